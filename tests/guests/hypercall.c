/*
 * hypercall: every Tessera hypercall (docs/hypercalls.md), with good and bad
 * arguments, and from CPL 3. Ends with TESSERA_HC_EXIT instead of port 0xf4.
 * Needs Tessera: elsewhere it reports the one failure and stops. With
 * split=GPA on its command line (where two adjacent RAM regions of its
 * partition meet, configs/tests/guests-cpu.cfg), also buffers across that boundary.
 */
#include "tests/guests/lib/lib.h"
#include "tests/guests/isolation_common.h" /* iso_cmdline() */

const char guest_name[] = "hypercall";

#define EXIT_REASON_CPUID  10 /* SDM basic exit reasons */
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_IO	   30

static char big[TESSERA_CONSOLE_WRITE_MAX + 1];
static struct tessera_partition_info pinfo;
static uint64_t stats[TESSERA_EXIT_STATS_MAX + 1];

static long hc(unsigned long nr, unsigned long a0, unsigned long a1)
{
	long r;
	int e = hypercall_safe(nr, a0, a1, 0, 0, &r);

	if (e != EXC_NONE) {
		checkf(false, "hypercall-no-exception", "call %lu raised %d (%s)", nr, e,
		       exc_name(e));
		return 0x7fffffff;
	}
	return r;
}

static void check_ret(const char *what, long got, long want)
{
	checkf(got == want, what, "returned %ld, want %ld", got, want);
}

static void check_console_write(uint64_t ram)
{
	static const char line[] = "guest hypercall: a line through TESSERA_HC_CONSOLE_WRITE\n";

	check_ret("console-write", hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)line, sizeof(line) - 1),
		  sizeof(line) - 1);
	check_ret("console-write-empty", hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)line, 0), 0);
	/* 4096 bytes: 64 lines of 64. */
	for (unsigned i = 0; i < TESSERA_CONSOLE_WRITE_MAX; i++)
		big[i] = (i % 64 == 63) ? '\n' : (char)('0' + (i / 64) % 10);
	check_ret("console-write-4096", hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)big, 4096), 4096);
	check_ret("console-write-4097-inval", hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)big, 4097),
		  TESSERA_E_INVAL);
	check_ret("console-write-huge-len-inval", hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)big, ~0ul),
		  TESSERA_E_INVAL);
	check_ret("console-write-outside-ram-fault", hc(TESSERA_HC_CONSOLE_WRITE, ram, 16),
		  TESSERA_E_FAULT);
	check_ret("console-write-straddling-end-fault", hc(TESSERA_HC_CONSOLE_WRITE, ram - 8, 16),
		  TESSERA_E_FAULT);
	check_ret("console-write-wrapping-fault",
		  hc(TESSERA_HC_CONSOLE_WRITE, 0xffffffffffffff00ul, 0x200), TESSERA_E_FAULT);
}

static uint64_t check_partition_info(void)
{
	memset(&pinfo, 0xa5, sizeof(pinfo));
	check_ret("partition-info", hc(TESSERA_HC_PARTITION_INFO, (uint64_t)&pinfo, 0), 0);
	size_t nlen = strnlen(pinfo.name, sizeof(pinfo.name));
	check_eq("partition-info-size", pinfo.size, sizeof(pinfo));
	check(nlen > 0 && nlen < sizeof(pinfo.name), "partition-info-name-terminated");
	check(pinfo.nr_vcpus >= 1 && pinfo.vcpu_index < pinfo.nr_vcpus, "partition-info-vcpus");
	extern const char __image_end[];
	checkf(pinfo.memory_bytes >= (uint64_t)__image_end && pinfo.memory_bytes % 4096 == 0,
	       "partition-info-memory", "memory_bytes %#llx",
	       (unsigned long long)pinfo.memory_bytes);
	if (nlen < sizeof(pinfo.name))
		guest_printf(
		    "guest hypercall: partition %u \"%s\", %u vCPUs (this is %u), %llu MiB\n",
		    pinfo.partition_id, pinfo.name, pinfo.nr_vcpus, pinfo.vcpu_index,
		    (unsigned long long)(pinfo.memory_bytes >> 20));
	uint64_t ram = pinfo.memory_bytes;
	check_ret("partition-info-outside-ram-fault", hc(TESSERA_HC_PARTITION_INFO, ram, 0),
		  TESSERA_E_FAULT);
	check_ret("partition-info-straddling-end-fault", hc(TESSERA_HC_PARTITION_INFO, ram - 8, 0),
		  TESSERA_E_FAULT);
	return ram;
}

static void check_exit_stats(uint64_t ram)
{
	memset(stats, 0xff, sizeof(stats));
	check_ret("exit-stats", hc(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX),
		  TESSERA_EXIT_STATS_MAX);
	checkf(stats[EXIT_REASON_VMCALL] > 0 && stats[EXIT_REASON_VMCALL] < (1ull << 40),
	       "exit-stats-vmcall-counted", "%llu", (unsigned long long)stats[EXIT_REASON_VMCALL]);
	checkf(stats[EXIT_REASON_IO] > 0 && stats[EXIT_REASON_IO] < (1ull << 40),
	       "exit-stats-io-counted", "%llu", (unsigned long long)stats[EXIT_REASON_IO]);
	check_eq("exit-stats-no-overrun", stats[TESSERA_EXIT_STATS_MAX], ~0ull);
	uint64_t before = stats[EXIT_REASON_CPUID];
	cpuid(0);
	hc(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX);
	check(stats[EXIT_REASON_CPUID] >= before + 1, "exit-stats-cpuid-counted");
	check_ret("exit-stats-zero", hc(TESSERA_HC_EXIT_STATS, (uint64_t)stats, 0), 0);
	check_ret("exit-stats-81-inval",
		  hc(TESSERA_HC_EXIT_STATS, (uint64_t)stats, TESSERA_EXIT_STATS_MAX + 1),
		  TESSERA_E_INVAL);
	check_ret("exit-stats-outside-ram-fault", hc(TESSERA_HC_EXIT_STATS, ram, 1),
		  TESSERA_E_FAULT);
	check_ret("print-stats", hc(TESSERA_HC_PRINT_STATS, 0, 0), 0);
}

/* Where two adjacent RAM regions meet (split=GPA), or 0 (skipped) when not given or not usable. */
static uint64_t region_split(const struct guest_boot *boot, uint64_t ram)
{
	extern const char __image_end[];
	char arg[24];
	uint64_t split;

	if (!cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "split", arg, sizeof(arg)) ||
	    !parse_u64(arg, &split)) {
		skip("across-regions", "no split=GPA on the command line");
		return 0;
	}
	if (!checkf(split % 4096 == 0 && split - 4096 >= (uint64_t)__image_end &&
			split + 4096 <= ram,
		    "split-in-free-ram", "split=%#llx, image end %p, RAM %#llx",
		    (unsigned long long)split, __image_end, (unsigned long long)ram))
		return 0;
	return split;
}

/* Every byte is guest RAM, in two regions: the calls must work as anywhere else. */
static void check_across_regions(const struct guest_boot *boot, uint64_t ram)
{
	static const char line[] = "guest hypercall: a line across two RAM regions, in order\n";
	uint64_t split = region_split(boot, ram);

	if (!split)
		return;
	/* Identity-mapped free RAM: the line's first 20 bytes below split, the rest above. */
	char *text = (char *)(uintptr_t)(split - 20);
	memcpy(text, line, sizeof(line) - 1);
	check_ret("console-write-across-regions",
		  hc(TESSERA_HC_CONSOLE_WRITE, (uint64_t)text, sizeof(line) - 1), sizeof(line) - 1);

	struct tessera_partition_info *info = (void *)(uintptr_t)(split - 24);
	memset(info, 0xa5, sizeof(*info));
	check_ret("partition-info-across-regions", hc(TESSERA_HC_PARTITION_INFO, (uint64_t)info, 0),
		  0);
	check(memcmp(info, &pinfo, sizeof(pinfo)) == 0, "partition-info-across-regions-same");

	uint64_t *counters = (void *)(uintptr_t)(split - 8);
	memset(counters, 0xff, 3 * sizeof(uint64_t));
	check_ret("exit-stats-across-regions", hc(TESSERA_HC_EXIT_STATS, (uint64_t)counters, 2), 2);
	check(counters[0] < (1ull << 40) && counters[1] < (1ull << 40) && counters[2] == ~0ull,
	      "exit-stats-across-regions-values");
}

static long user_abi_version(void *arg)
{
	(void)arg;
	return tessera_hypercall(TESSERA_HC_ABI_VERSION, 0, 0, 0, 0);
}

static long user_exit(void *arg)
{
	(void)arg;
	return tessera_hypercall(TESSERA_HC_EXIT, 0, 0, 0, 0);
}

static long user_unknown(void *arg)
{
	(void)arg;
	return tessera_hypercall(0x1234, 0, 0, 0, 0);
}

static void check_cpl3(void)
{
	long r = 0;

	check(run_user(user_abi_version, NULL, &r) && r == TESSERA_E_PERM, "cpl3-abi-version-perm");
	check(run_user(user_unknown, NULL, &r) && r == TESSERA_E_PERM, "cpl3-unknown-perm");
	/* Must not end the partition: the check after it has to run. */
	check(run_user(user_exit, NULL, &r) && r == TESSERA_E_PERM, "cpl3-exit-perm");
}

void guest_main(const struct guest_boot *boot)
{
	if (!check(on_tessera(), "on-tessera"))
		return; /* VMCALL would only raise #UD */
	struct cpuid_regs r = cpuid(TESSERA_CPUID_FEATURES);
	if (!check(r.eax & TESSERA_FEAT_HYPERCALL, "feature-hypercall"))
		return;

	check_ret("abi-version", hc(TESSERA_HC_ABI_VERSION, 0, 0), TESSERA_ABI_VERSION);
	check_ret("abi-version-1.3", hc(TESSERA_HC_ABI_VERSION, 0, 0), 0x00010003);
	check_eq("abi-version-as-cpuid", r.ebx, TESSERA_ABI_VERSION);
	uint64_t ram = check_partition_info();
	check_console_write(ram);
	check_exit_stats(ram);
	check_across_regions(boot, ram);
	/* Without hyperv = on no Hyper-V leaf is offered: nothing to copy. */
	check_ret("hyperv-cpuid-none-offered", hc(TESSERA_HC_HYPERV_CPUID, 0x1000, 16), 0);
	check_ret("hyperv-cpuid-count-bound", hc(TESSERA_HC_HYPERV_CPUID, 0x1000, 17),
		  TESSERA_E_INVAL);
	/* This partition has no shared memory (docs/shmem.md): none listed, nothing to ring. */
	check_ret("shmem-list-none", hc(TESSERA_HC_SHMEM_LIST, 0x1000, 8), 0);
	check_ret("shmem-list-count-bound", hc(TESSERA_HC_SHMEM_LIST, 0x1000, 9), TESSERA_E_INVAL);
	check_ret("shmem-vector-no-region", hc(TESSERA_HC_SHMEM_VECTOR, 0, 0x40), TESSERA_E_INVAL);
	check_ret("shmem-notify-no-region", hc(TESSERA_HC_SHMEM_NOTIFY, 0, 1), TESSERA_E_INVAL);
	check_ret("unknown-10-nosys", hc(10, 0, 0), TESSERA_E_NOSYS);
	check_ret("unknown-huge-nosys", hc(~0ul, 0, 0), TESSERA_E_NOSYS);
	check_cpl3();

	/* Last: TESSERA_HC_EXIT ends the partition with the result. */
	unsigned failed = guest_report();
	long ret = 0;
	hypercall_safe(TESSERA_HC_EXIT, failed ? 1 : 0, 0, 0, 0, &ret);
	checkf(false, "exit-returned", "TESSERA_HC_EXIT returned %ld", ret);
	guest_finish();
}
