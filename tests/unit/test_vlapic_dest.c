/* hv/vlapic/vlapic_dest.c: ICR decoding, destinations, shorthands, containment. */
#include "tests/unit/check.h"
#include "hv/vlapic/vlapic_dest.h"
#include "arch/x86/msr.h"

#define N 6
static uint32_t pages[N][VLAPIC_PAGE_SIZE / 4];
static struct vlapic lapic[N];
static const struct vlapic *const lapics[N] = {&lapic[0], &lapic[1], &lapic[2],
					       &lapic[3], &lapic[4], &lapic[5]};

static void setup(bool x2apic)
{
	for (uint32_t i = 0; i < N; i++) {
		vlapic_reset(&lapic[i], pages[i], i, i == 0, true);
		vlapic_mmio_write(&lapic[i], APIC_SVR, APIC_SVR_ENABLE | 0xff, 0);
		if (x2apic)
			vlapic_write_apic_base(
			    &lapic[i], APIC_BASE_DEFAULT | APIC_BASE_EN | APIC_BASE_EXTD, 39);
	}
}

static uint64_t xapic_targets(uint32_t self, uint32_t icr_low, uint8_t dest)
{
	struct vlapic_ipi ipi = vlapic_decode_icr((uint64_t)dest << 56 | icr_low, false);

	return vlapic_ipi_targets(lapics, N, self, &ipi);
}

static uint64_t x2apic_targets(uint32_t self, uint32_t icr_low, uint32_t dest)
{
	struct vlapic_ipi ipi = vlapic_decode_icr((uint64_t)dest << 32 | icr_low, true);

	return vlapic_ipi_targets(lapics, N, self, &ipi);
}

TEST(decode_icr_fields)
{
	struct vlapic_ipi ipi = vlapic_decode_icr(0x0500000000004d31ull, false);

	CHECK_EQ(ipi.vector, 0x31);
	CHECK_EQ(ipi.mode, APIC_ICR_DM_INIT);
	CHECK(ipi.logical);
	CHECK(ipi.assert);
	CHECK(!ipi.level_trigger);
	CHECK_EQ(ipi.dest, 5);
	ipi = vlapic_decode_icr(0x1234567800000000ull | APIC_ICR_ALL_BUT_SELF, true);
	CHECK_EQ(ipi.dest, 0x12345678);
	CHECK_EQ(ipi.shorthand, APIC_ICR_ALL_BUT_SELF);
}

TEST(physical_and_broadcast)
{
	setup(false);
	CHECK_EQ(xapic_targets(0, 0x40, 3), 1u << 3);
	CHECK_EQ(xapic_targets(0, 0x40, 9), 0); /* no such APIC in this partition */
	CHECK_EQ(xapic_targets(0, 0x40, 0xff), (1u << N) - 1);
	setup(true);
	CHECK_EQ(x2apic_targets(0, 0x40, 5), 1u << 5);
	CHECK_EQ(x2apic_targets(0, 0x40, 0xff), 0); /* 0xff is an ID in x2APIC mode */
	CHECK_EQ(x2apic_targets(0, 0x40, 0xffffffff), (1u << N) - 1);
	CHECK_EQ(x2apic_targets(0, 0x40, 0x100), 0);
}

TEST(physical_follows_a_rewritten_xapic_id)
{
	setup(false);
	/* Two APICs given the same ID both take it (kvm-unit-tests' aliased IDs). */
	vlapic_mmio_write(&lapic[1], APIC_ID, 0, 0);
	CHECK_EQ(xapic_targets(2, 0x40, 0), (1u << 0) | (1u << 1));
	CHECK_EQ(xapic_targets(2, 0x40, 1), 0);
	vlapic_mmio_write(&lapic[4], APIC_ID, 0xfeu << 24, 0);
	CHECK_EQ(xapic_targets(0, 0x40, 0xfe), 1u << 4);
	/* An x2APIC sender's 32-bit destination compares with the same ID. */
	CHECK_EQ(x2apic_targets(0, 0x40, 0xfe), 1u << 4);
	CHECK_EQ(x2apic_targets(0, 0x40, 0x1fe), 0);
}

TEST(shorthands)
{
	setup(false);
	CHECK_EQ(xapic_targets(2, 0x40 | APIC_ICR_SELF, 0), 1u << 2);
	CHECK_EQ(xapic_targets(2, 0x40 | APIC_ICR_ALL_INCL_SELF, 0), (1u << N) - 1);
	CHECK_EQ(xapic_targets(2, 0x40 | APIC_ICR_ALL_BUT_SELF, 0), ((1u << N) - 1) & ~(1u << 2));
}

TEST(logical_flat_and_cluster)
{
	setup(false);
	for (uint32_t i = 0; i < N; i++)
		vlapic_mmio_write(&lapic[i], APIC_LDR, (1u << i) << 24, 0);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x06), 0x6);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0xff), (1u << N) - 1);
	for (uint32_t i = 0; i < N; i++) { /* cluster model: cluster i/2, bit i%2 */
		vlapic_mmio_write(&lapic[i], APIC_DFR, APIC_DFR_CLUSTER, 0);
		vlapic_mmio_write(&lapic[i], APIC_LDR, ((i / 2) << 4 | 1u << (i % 2)) << 24, 0);
	}
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x13), 0xc);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x22), 0x20);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x30), 0);
}

TEST(logical_x2apic_clusters)
{
	setup(true);
	CHECK_EQ(x2apic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x0000000a), 0xa);
	CHECK_EQ(x2apic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0x0001000a), 0); /* cluster 1 */
	CHECK_EQ(x2apic_targets(0, 0x40 | APIC_ICR_DEST_LOGICAL, 0xffffffff), (1u << N) - 1);
}

TEST(disabled_targets_receive_nothing)
{
	setup(false);
	vlapic_write_apic_base(&lapic[3], APIC_BASE_DEFAULT, 39);
	CHECK_EQ(xapic_targets(0, 0x40, 3), 0);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_ALL_BUT_SELF, 0), 0x36);
	CHECK_EQ(xapic_targets(0, APIC_ICR_DM_INIT | APIC_ICR_LEVEL_ASSERT, 3), 0);
}

TEST(lowest_priority_picks_one)
{
	setup(false);
	for (uint32_t i = 0; i < N; i++)
		vlapic_mmio_write(&lapic[i], APIC_TPR, 0x80 - 0x10 * i, 0);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DM_LOWEST, 0xff), 1u << (N - 1));
	vlapic_mmio_write(&lapic[1], APIC_TPR, 0, 0);
	vlapic_mmio_write(&lapic[5], APIC_TPR, 0, 0);
	CHECK_EQ(xapic_targets(0, 0x40 | APIC_ICR_DM_LOWEST, 0xff),
		 1u << 1); /* tie: lowest index */
}

TEST(validity)
{
	struct vlapic_ipi ipi;
	uint64_t v;

	setup(false);
	ipi = vlapic_decode_icr(0x0000000000000005ull, false); /* fixed vector 5 */
	CHECK(!vlapic_ipi_valid(&lapic[0], &ipi));
	vlapic_mmio_write(&lapic[0], APIC_ESR, 0, 0);
	v = vlapic_mmio_read(&lapic[0], APIC_ESR, 0);
	CHECK_EQ(v, APIC_ESR_SEND_ILLEGAL_VEC);
	ipi = vlapic_decode_icr(APIC_ICR_DM_NMI, false);
	CHECK(vlapic_ipi_valid(&lapic[0], &ipi));
	ipi = vlapic_decode_icr(APIC_ICR_DM_SMI | 0x40, false);
	CHECK(!vlapic_ipi_valid(&lapic[0], &ipi));
	ipi = vlapic_decode_icr(APIC_ICR_DM_INIT | APIC_ICR_TRIGGER_LEVEL, false); /* de-assert */
	CHECK(!vlapic_ipi_valid(&lapic[0], &ipi));
	ipi = vlapic_decode_icr(APIC_ICR_DM_STARTUP | APIC_ICR_SELF | 0x9, false);
	CHECK(!vlapic_ipi_valid(&lapic[0], &ipi));
	ipi = vlapic_decode_icr(APIC_ICR_DM_STARTUP | APIC_ICR_ALL_BUT_SELF | 0x9, false);
	CHECK(vlapic_ipi_valid(&lapic[0], &ipi));
	ipi = vlapic_decode_icr((7u << 8) | 0x40, false); /* reserved mode */
	CHECK(!vlapic_ipi_valid(&lapic[0], &ipi));
}

/* Whatever a guest writes to the ICR, only vCPUs 0..N-1 of its own partition are named. */
TEST(random_icrs_stay_in_the_partition)
{
	uint64_t seed = 88172645463325252ull;

	for (int round = 0; round < 2; round++) {
		setup(round == 1);
		for (int i = 0; i < 200000; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			struct vlapic_ipi ipi = vlapic_decode_icr(seed, round == 1);
			uint32_t self = (uint32_t)(seed % N);

			CHECK_EQ(vlapic_ipi_targets(lapics, N, self, &ipi) >> N, 0);
			CHECK_EQ(vlapic_ipi_targets(lapics, N, N, &ipi), 0); /* bad sender */
		}
	}
}

int main(void)
{
	CHECK_MAIN("vlapic_dest");
	RUN(decode_icr_fields);
	RUN(physical_and_broadcast);
	RUN(physical_follows_a_rewritten_xapic_id);
	RUN(shorthands);
	RUN(logical_flat_and_cluster);
	RUN(logical_x2apic_clusters);
	RUN(disabled_targets_receive_nothing);
	RUN(lowest_priority_picks_one);
	RUN(validity);
	RUN(random_icrs_stay_in_the_partition);
	return CHECK_END();
}
