/*
 * smp: the partition's own application processors. vCPU 0 starts the others
 * by INIT-SIPI-SIPI (one by one as the SDM describes, or with command line
 * "broadcast" one INIT and one SIPI to all-excluding-self, as kvm-unit-tests
 * does), then they exchange IPIs: fixed by physical and logical destination,
 * broadcast by shorthand, NMI. "cpus=N" says how many vCPUs there are (4).
 * Also runs under plain QEMU (-smp N).
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "smp";

#define VEC_PING  0x50 /* BSP -> AP */
#define VEC_PONG  0x60 /* AP i -> BSP: 0x60 + i (one IRR bit each: same-vector IPIs merge) */
#define VEC_BCAST 0x52
#define WAIT	  2000000000ull /* TSC ticks: ample for emulators that run vCPUs in turn */

static volatile uint32_t ap_ready, ap_ids[GUEST_MAX_CPUS], pings[GUEST_MAX_CPUS];
static volatile uint32_t nmis[GUEST_MAX_CPUS], bcasts[GUEST_MAX_CPUS], done;
static volatile uint64_t tsc_sent, tsc_seen[GUEST_MAX_CPUS];
static volatile uint32_t tsc_go, tsc_answers;
static volatile uint32_t pongs, pong_from[GUEST_MAX_CPUS];

static unsigned my_index(void)
{
	uint32_t id = apic_id();

	return id < GUEST_MAX_CPUS ? id : 0;
}

static void on_ping(uint8_t vector)
{
	(void)vector;
	pings[my_index()]++;
	apic_eoi();
	apic_send(0, VEC_PONG + my_index()); /* answer the BSP, APIC ID 0 */
}

static void on_pong(uint8_t vector)
{
	pong_from[(vector - VEC_PONG) % GUEST_MAX_CPUS]++;
	__atomic_add_fetch(&pongs, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

static void on_bcast(uint8_t vector)
{
	(void)vector;
	bcasts[my_index()]++;
	apic_eoi();
}

static void on_nmi(uint8_t vector)
{
	(void)vector;
	nmis[my_index()]++;
}

static void ap_main(unsigned index)
{
	unsigned me = my_index();

	(void)index;
	apic_sw_enable(0xff);
	apic_write(GAPIC_LDR, (1u << me) << 24); /* flat logical ID: a bit per vCPU */
	ap_ids[me] = apic_id() + 1;
	__atomic_add_fetch(&ap_ready, 1, __ATOMIC_SEQ_CST);
	while (!tsc_go)
		__asm__ volatile("pause");
	tsc_seen[me] = rdtsc(); /* after the BSP's reading, on one clock: not earlier */
	__atomic_add_fetch(&tsc_answers, 1, __ATOMIC_SEQ_CST);
	irq_enable();
	while (!done)
		__asm__ volatile("pause");
	irq_disable();
}

/* The vCPUs' TSCs are one clock: a TSC read after another CPU's is not earlier. */
static void check_tsc_sync(unsigned nr_aps)
{
	tsc_sent = rdtsc();
	__atomic_store_n(&tsc_go, 1, __ATOMIC_SEQ_CST);
	check(smp_wait_for(&tsc_answers, nr_aps, WAIT), "aps-read-tsc");
	for (unsigned i = 1; i <= nr_aps; i++)
		checkf(tsc_seen[i] >= tsc_sent, "tsc-agrees-across-vcpus",
		       "vCPU %u read %llu after vCPU 0 read %llu", i,
		       (unsigned long long)tsc_seen[i], (unsigned long long)tsc_sent);
}

static unsigned cpus_from_cmdline(const struct guest_boot *boot)
{
	char buf[16];
	uint64_t n = 4;

	if (cmdline_get(iso_cmdline(boot), 512, "cpus", buf, sizeof(buf)))
		parse_u64(buf, &n);
	return n >= 2 && n <= GUEST_MAX_CPUS ? (unsigned)n : 4;
}

static void check_ipis(unsigned nr_aps)
{
	uint32_t want;

	for (unsigned i = 1; i <= nr_aps; i++)
		apic_send(i, VEC_PING);
	check(smp_wait_for(&pongs, nr_aps, WAIT), "fixed-physical-ping-pong");
	for (unsigned i = 1; i <= nr_aps; i++)
		checkf(pings[i] == 1 && pong_from[i] == 1, "ping-pong-once-each",
		       "AP %u: %u pings, %u pongs", i, pings[i], pong_from[i]);
	if (nr_aps >= 2) {
		apic_send(0x6, GAPIC_DEST_LOGICAL | VEC_PING); /* logical: vCPUs 1 and 2 */
		check(smp_wait_for(&pongs, nr_aps + 2, WAIT), "fixed-logical-flat");
		check(pings[1] == 2 && pings[2] == 2 && (nr_aps < 3 || pings[3] == 1),
		      "logical-reaches-only-its-set");
	}
	apic_send(0, GAPIC_ALL_BUT_SELF | VEC_BCAST);
	want = 0;
	for (unsigned i = 1; i <= nr_aps; i++)
		want += smp_wait_for(&bcasts[i], 1, WAIT);
	check_eq("all-but-self-reaches-every-ap", want, nr_aps);
	check_eq("all-but-self-skips-self", bcasts[0], 0);
	apic_send(0xff, GAPIC_DEST_LOGICAL | VEC_BCAST); /* logical broadcast: all, self too */
	check(smp_wait_for(&bcasts[0], 1, WAIT), "logical-broadcast-includes-self");
	for (unsigned i = 1; i <= nr_aps; i++)
		apic_send(i, GAPIC_DM_NMI);
	want = 0;
	for (unsigned i = 1; i <= nr_aps; i++)
		want += smp_wait_for(&nmis[i], 1, WAIT);
	check_eq("nmi-to-each-ap", want, nr_aps);
}

void guest_main(const struct guest_boot *boot)
{
	char word[2]; /* cmdline_get finds nothing without a buffer to copy the value into */
	bool bcast = cmdline_get(iso_cmdline(boot), 512, "broadcast", word, sizeof(word));
	unsigned nr_aps = cpus_from_cmdline(boot) - 1, arrived;

	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
	apic_sw_enable(0xff);
	apic_write(GAPIC_LDR, 1u << 24);
	irq_set_handler(VEC_PING, on_ping);
	for (unsigned i = 1; i < GUEST_MAX_CPUS; i++)
		irq_set_handler((uint8_t)(VEC_PONG + i), on_pong);
	irq_set_handler(VEC_BCAST, on_bcast);
	irq_set_handler(2, on_nmi);
	arrived = smp_start_aps(ap_main, nr_aps, bcast ? SMP_START_BROADCAST : SMP_START_EACH);
	check_eq(bcast ? "aps-started-by-broadcast" : "aps-started-one-by-one", arrived, nr_aps);
	check(smp_wait_for(&ap_ready, nr_aps, WAIT), "aps-ready");
	for (unsigned i = 1; i <= nr_aps; i++)
		checkf(ap_ids[i] == i + 1, "ap-apic-ids", "vCPU %u: APIC ID %u", i, ap_ids[i] - 1);
	check_tsc_sync(nr_aps);
	irq_enable();
	check_ipis(nr_aps);
	irq_disable();
	done = 1;
	guest_finish();
}
