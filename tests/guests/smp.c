/*
 * smp: the partition's own application processors. vCPU 0 starts the others
 * by INIT-SIPI-SIPI (one by one as the SDM describes, or with command line
 * "broadcast" one INIT and one SIPI to all-excluding-self, as kvm-unit-tests
 * does), then they exchange IPIs: fixed by physical and logical destination,
 * broadcast by shorthand, NMI; an AP's NMI and the BSP's own arriving
 * together are both taken (one in service, one latched). "cpus=N" says how
 * many vCPUs there are (4); "fw_cfg" that the partition has QEMU's fw_cfg
 * ports, whose CPU count must say the same. Also runs under plain QEMU (-smp N).
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"
#include "guest-abi/fw_cfg.h"

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
static volatile uint32_t nmi_round, nmi_fired; /* the NMIs-together rounds (AP 1 and BSP) */
#define NMI_ROUNDS 50

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
	/* AP 1: in each round, an NMI to the BSP as the BSP sends itself one. */
	for (uint32_t round = 1; me == 1 && round <= NMI_ROUNDS; round++) {
		while (nmi_round != round && !done)
			__asm__ volatile("pause");
		if (done)
			break;
		apic_send(0, GAPIC_DM_NMI);
		__atomic_store_n(&nmi_fired, round, __ATOMIC_SEQ_CST);
	}
	while (!done)
		__asm__ volatile("pause");
	irq_disable();
}

/*
 * Two NMIs that arrive together are two: one delivered, one latched until its
 * IRET (SDM 3A 6.7.1). Each round, AP 1 and vCPU 0 send vCPU 0 an NMI at
 * once; vCPU 0 must take exactly two, every round.
 */
static void check_nmis_together(void)
{
	uint32_t bad = 0;

	if (!on_tessera()) { /* QEMU TCG merges NMIs that arrive together */
		skip("two-nmis-together", "not on Tessera: QEMU TCG merges them");
		done = 1; /* AP 1 waits for rounds that will not come */
		return;
	}
	for (uint32_t round = 1; round <= NMI_ROUNDS; round++) {
		uint32_t before = nmis[0];

		__atomic_store_n(&nmi_round, round, __ATOMIC_SEQ_CST);
		apic_send(0, GAPIC_SELF | GAPIC_DM_NMI);
		smp_wait_for(&nmi_fired, round, WAIT);
		for (int i = 0; i < 20000 && nmis[0] - before < 2; i++)
			__asm__ volatile("pause");
		bad += nmis[0] - before != 2;
	}
	checkf(bad == 0, "two-nmis-together-both-taken", "%u of %u rounds took one NMI", bad,
	       NMI_ROUNDS);
}

/* QEMU's fw_cfg, as kvm-unit-tests reads it: the signature, then the CPU count. */
static void check_fw_cfg(unsigned nr_cpus)
{
	char sig[5];
	uint32_t n;

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	for (unsigned i = 0; i < 4; i++)
		sig[i] = (char)inb(FW_CFG_PORT_DATA);
	sig[4] = 0;
	check(strcmp(sig, FW_CFG_SIGNATURE_TEXT) == 0, "fw-cfg-signature");
	outw(FW_CFG_PORT_SEL, FW_CFG_NB_CPUS);
	n = inb(FW_CFG_PORT_DATA);
	n |= (uint32_t)inb(FW_CFG_PORT_DATA) << 8;
	check_eq("fw-cfg-nb-cpus", n, nr_cpus);
	check_eq("fw-cfg-past-the-end", inb(FW_CFG_PORT_DATA), 0);
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
	check_nmis_together();
}

void guest_main(const struct guest_boot *boot)
{
	char word[2]; /* cmdline_get finds nothing without a buffer to copy the value into */
	bool bcast = cmdline_get(iso_cmdline(boot), 512, "broadcast", word, sizeof(word));
	bool fw_cfg = cmdline_get(iso_cmdline(boot), 512, "fw_cfg", word, sizeof(word));
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
	if (fw_cfg)
		check_fw_cfg(nr_aps + 1);
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
