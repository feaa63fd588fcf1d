/*
 * attack_ipi: a one-vCPU partition that sends every kind of IPI it can name
 * to everything it can name, beside a neighbour (ipi_neighbour) that must
 * receive none of them (tests/system/isolation-ipi.sh). Every delivery mode
 * (fixed, lowest priority, SMI, reserved, NMI, INIT, SIPI, ExtINT), edge and
 * level (assert and de-assert), physical and logical destinations, to every
 * destination 0..255, by every shorthand, in xAPIC mode with the flat and the
 * cluster model and in x2APIC mode (32-bit destinations: 0..255, IDs past the
 * partition up to 0xffffffff, every cluster); then random ICR values.
 * Vectors run through 0..255, the illegal 0-15 and Tessera's own included.
 *
 * Only its own vCPU (APIC ID 0) may be reached: the guest counts the fixed
 * interrupts and NMIs it takes and checks them against the SDM's rules for
 * its APIC ID and LDR. INITs that would reach itself are left out (INIT to
 * the boot vCPU is a guest reset, which ends the partition).
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"

const char guest_name[] = "attack_ipi";

#define ICR_LOGICAL (1u << 11)
#define ICR_ASSERT  (1u << 14)
#define ICR_LEVEL   (1u << 15)
#define ICR_SH_MASK (3u << 18)
#define MSR_X2_ICR  0x830
#define RANDOM_ICRS 4096

static volatile uint32_t got_fixed, got_nmi;
static uint64_t want_fixed, want_nmi, sent, refused, vec_seq;
static bool x2, cluster;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void on_irq(uint8_t v)
{
	(void)v;
	got_fixed++;
	apic_eoi();
}

static void on_nmi(uint8_t v)
{
	(void)v;
	got_nmi++;
}

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Whether the IPI reaches APIC ID 0 with LDR "bit 0 of cluster 0" (SDM 11.6.2). */
static bool reaches_self(uint32_t low, uint32_t dest)
{
	switch (low & ICR_SH_MASK) {
	case GAPIC_SELF:
	case GAPIC_ALL:
		return true;
	case GAPIC_ALL_BUT_SELF:
		return false;
	}
	if (x2) {
		if (dest == 0xffffffff)
			return true;
		return low & ICR_LOGICAL ? (dest >> 16) == 0 && (dest & 1) : dest == 0;
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if (!(low & ICR_LOGICAL))
		return dest == 0;
	return cluster ? (dest >> 4) == 0 && (dest & 1) : dest & 1;
}

/* What a CPU sends at all (SDM 11.6.1): the rest is dropped by the sender's APIC. */
static bool sendable(uint32_t low)
{
	uint32_t mode = (low >> 8) & 7, sh = low & ICR_SH_MASK;

	switch (mode) {
	case 0: /* fixed */
	case 1: /* lowest priority */
		return (low & 0xff) >= 16 && !(mode == 1 && sh == GAPIC_SELF);
	case 4: /* NMI */
		return true;
	case 5: /* INIT; level de-assert is a no-op */
		return !((low & ICR_LEVEL) && !(low & ICR_ASSERT)) && sh != GAPIC_SELF;
	case 6: /* SIPI */
		return sh != GAPIC_SELF;
	default: /* SMI, reserved, ExtINT: not for a partition */
		return false;
	}
}

static void send(uint32_t dest, uint32_t low)
{
	uint32_t mode = (low >> 8) & 7;
	bool self = reaches_self(low, dest), ok = sendable(low);

	if (mode == 5 && self && ok)
		return; /* INIT to itself: a guest reset */
	if (ok && self && mode <= 1) {
		/* Vectors 16-31 and 0xff would arrive as exceptions or spurious: 0x80 instead. */
		if ((low & 0xff) < 0x20 || (low & 0xff) == 0xff)
			low = (low & ~0xffu) | 0x80;
		want_fixed++;
	}
	if (ok && self && mode == 4)
		want_nmi++;
	sent++;
	if (x2) {
		if (wrmsr_safe(MSR_X2_ICR, (uint64_t)dest << 32 | low) != EXC_NONE)
			refused++;
		return;
	}
	*(volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + GAPIC_ICR_HIGH) = dest << 24;
	*(volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + GAPIC_ICR) = low;
}

static uint32_t next_vector(void)
{
	return (uint32_t)(vec_seq++ * 37) & 0xff; /* every vector, 0-15 and 0xec-0xff included */
}

static const uint32_t triggers[] = {0, ICR_LEVEL | ICR_ASSERT, ICR_LEVEL};
static const uint32_t shorthands[] = {GAPIC_SELF, GAPIC_ALL, GAPIC_ALL_BUT_SELF};

/* Every mode and trigger, physical and logical, to each destination of `dests`. */
static void sweep(const uint32_t *dests, unsigned n, bool all_bytes)
{
	for (uint32_t mode = 0; mode < 8; mode++)
		for (unsigned t = 0; t < 3; t++)
			for (uint32_t logical = 0; logical <= ICR_LOGICAL; logical += ICR_LOGICAL) {
				uint32_t low = mode << 8 | triggers[t] | logical;

				for (uint32_t d = 0; all_bytes && d < 256; d++)
					send(d, low | next_vector());
				for (unsigned i = 0; i < n; i++)
					send(dests[i], low | next_vector());
				for (unsigned s = 0; s < 3; s++)
					send((uint32_t)next_random(),
					     low | shorthands[s] | next_vector());
			}
}

static const uint32_t x2_dests[] = {
    0x100,	0x101,	    0x1ff,	0x400,	    0xfff,	0x1000,	    0xffff,
    0x10000,	0x10001,    0x1ffff,	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
    0x0001ffff, 0x00ff0001, 0xfffe0001, 0xffff0000, 0xffff0001, 0xffff00ff, 0x0000ffff,
};

/* Random ICRs: any destination, mode, trigger, shorthand and reserved bit. */
static void random_icrs(void)
{
	for (unsigned i = 0; i < RANDOM_ICRS; i++) {
		uint64_t r = next_random();

		send((uint32_t)(r >> 32), (uint32_t)r & (x2 ? 0x000ccfffu : 0xffffffffu));
	}
}

static void attack_xapic(bool cluster_model)
{
	cluster = cluster_model;
	apic_write(GAPIC_DFR, cluster_model ? 0x0fffffff : 0xffffffff);
	apic_write(GAPIC_LDR, 0x01u << 24); /* logical ID: bit 0 (of cluster 0) */
	sweep(NULL, 0, true);
	random_icrs();
}

static void attack_x2apic(void)
{
	uint32_t clusters[64];

	x2 = true;
	for (unsigned i = 0; i < 64; i++) /* every cluster's first and last members */
		clusters[i] = (i < 32 ? i * 0x800u : (i - 32) * 0x800u + 0x7ff) << 16 | 0x8001u;
	sweep(x2_dests, sizeof(x2_dests) / sizeof(x2_dests[0]), true);
	sweep(clusters, 64, false);
	random_icrs();
}

static void check_own(const char *what)
{
	iso_spin(100000); /* the last self-IPI's delivery */
	checkf(got_fixed == want_fixed, what, "took %u fixed interrupts, want %llu", got_fixed,
	       (unsigned long long)want_fixed);
	checkf(got_nmi == want_nmi, "own-nmis-exact", "took %u NMIs, want %llu", got_nmi,
	       (unsigned long long)want_nmi);
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t delay = iso_arg_u64(boot, "delay", 20000000, 1ull << 40), t0;

	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
	apic_sw_enable(0xff);
	for (unsigned v = 0x20; v < 0xff; v++)
		irq_set_handler((uint8_t)v, on_irq);
	irq_set_handler(2, on_nmi);
	irq_enable();
	iso_spin(delay); /* let the neighbour time its first undisturbed passes */
	guest_printf("guest attack_ipi: attacking: every IPI to every destination\n");
	t0 = rdtsc();
	attack_xapic(false);
	check_own("xapic-flat-only-self-reached");
	attack_xapic(true);
	check_own("xapic-cluster-only-self-reached");
	check(apic_set_mode(true), "x2apic-on");
	attack_x2apic();
	check_own("x2apic-only-self-reached");
	check(sent > 50000, "sent-them-all");
	guest_printf("guest attack_ipi: attack done: %llu IPIs sent (%llu refused with #GP), "
		     "%u fixed and %u NMIs came back to itself, %llu ticks\n",
		     (unsigned long long)sent, (unsigned long long)refused, got_fixed, got_nmi,
		     (unsigned long long)(rdtsc() - t0));
	irq_disable();
}
