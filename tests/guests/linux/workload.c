/*
 * The Linux guest's workload (a static host program in its initramfs, not a
 * Tessera test guest):
 *
 *   workload shootdown ROUNDS   two threads on two CPUs: one maps, writes,
 *                               write-protects and unmaps pages ROUNDS times
 *                               while the other keeps the address space live
 *                               on its CPU, so each mprotect/munmap needs a
 *                               TLB shootdown IPI (or a Hyper-V flush hypercall)
 *   workload hog CPU LOOPS      pins itself to CPU and spins LOOPS iterations
 *
 * Prints one "workload: ..." line when done; exit status 0 on success.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES 8

static volatile int done;
static volatile unsigned long spins;

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void *toucher(void *arg)
{
	(void)arg;
	pin(1);
	while (!done)
		spins++;
	return NULL;
}

static int shootdown(long rounds)
{
	long page = sysconf(_SC_PAGESIZE);
	pthread_t t;
	int two = sysconf(_SC_NPROCESSORS_ONLN) > 1;

	if (two && pthread_create(&t, NULL, toucher, NULL))
		return 1;
	pin(0);
	for (long i = 0; i < rounds; i++) {
		char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		for (int k = 0; k < PAGES; k++)
			p[k * page] = (char)i;
		if (mprotect(p, PAGES * page, PROT_READ) || p[page] != (char)i ||
		    munmap(p, PAGES * page))
			return 1;
	}
	done = 1;
	if (two)
		pthread_join(t, NULL);
	printf("workload: shootdown %ld rounds of %d pages done (%s)\n", rounds, PAGES,
	       two ? "two threads on CPUs 0 and 1" : "one CPU: no remote flush");
	return 0;
}

static int hog(int cpu, long loops)
{
	volatile unsigned long x = 0;

	if (pin(cpu))
		return 1;
	for (long i = 0; i < loops; i++)
		x += (unsigned long)i;
	printf("workload: hog on CPU %d done (%ld loops)\n", sched_getcpu(), loops);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc == 3 && !strcmp(argv[1], "shootdown"))
		rc = shootdown(atol(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "hog"))
		rc = hog(atoi(argv[2]), atol(argv[3]));
	else
		fprintf(stderr, "usage: workload shootdown ROUNDS | hog CPU LOOPS\n");
	if (rc == 1)
		perror("workload");
	return rc;
}
