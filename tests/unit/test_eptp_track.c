/*
 * hv/policy/eptp_track.c: whether a partition's vCPUs share one EPT, for the
 * Hyper-V flush that acts on every processor: one flush when they share, one
 * per distinct EPT when not, none missed; roots compared, full EPTPs kept.
 */
#include "tests/unit/check.h"
#include "hv/policy/eptp_track.h"

#define EPTP_A (0x0000000012345000ull | 0x5e) /* WB, 4-level walk, A/D */
#define EPTP_B (0x0000000098765000ull | 0x1e)

TEST(shared)
{
	struct eptp_track t;
	uint64_t out[4] = {0};

	eptp_track_init(&t, 3);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 0); /* no VMCS holds one yet */
	for (uint32_t i = 0; i < 3; i++)
		eptp_track_set(&t, i, EPTP_A);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 1);
	CHECK_EQ(out[0], EPTP_A); /* the full EPTP, for INVEPT */
	CHECK_EQ(t.common, EPTP_A);
	CHECK_EQ(eptp_root(out[0]), 0x12345000);
	/* The same EPT again (a restart's VMCS set-up) keeps the common one. */
	eptp_track_set(&t, 1, EPTP_A);
	CHECK_EQ(t.common, EPTP_A);
	/* Another vCPU slot joining with the same root: still shared. */
	eptp_track_set(&t, 2, (EPTP_A & EPTP_ROOT_MASK) | 0x1e);
	CHECK_EQ(t.common, EPTP_A);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 1);
}

TEST(mismatch)
{
	struct eptp_track t;
	uint64_t out[4] = {0};

	eptp_track_init(&t, 3);
	for (uint32_t i = 0; i < 3; i++)
		eptp_track_set(&t, i, EPTP_A);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 1);
	eptp_track_set(&t, 2, EPTP_B);
	CHECK_EQ(t.common, 0); /* unknown until the next flush looks */
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 2);
	CHECK_EQ(out[0], EPTP_A);
	CHECK_EQ(out[1], EPTP_B);
	CHECK_EQ(t.common, 0); /* they differ: not remembered */
	/* More distinct ones than room: the count says so, out[] holds what fits. */
	CHECK_EQ(eptp_track_distinct(&t, out, 1), 2);
	/* Back to one EPT: found again and remembered. */
	eptp_track_set(&t, 2, EPTP_A);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 1);
	CHECK_EQ(t.common, EPTP_A);
}

TEST(cleared_and_bounds)
{
	struct eptp_track t;
	uint64_t out[4] = {0};

	eptp_track_init(&t, 2);
	eptp_track_set(&t, 0, EPTP_A);
	eptp_track_set(&t, 1, EPTP_B);
	eptp_track_set(&t, 1, 0); /* its VMCS gone: only vCPU 0's EPT is left */
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 1);
	CHECK_EQ(out[0], EPTP_A);
	eptp_track_set(&t, 0, 0);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 0);
	CHECK_EQ(t.common, 0);
	/* An index beyond the partition's vCPUs is ignored. */
	eptp_track_set(&t, 2, EPTP_B);
	eptp_track_set(&t, CONFIG_MAX_PARTITION_CPUS, EPTP_B);
	CHECK_EQ(eptp_track_distinct(&t, out, 4), 0);
	eptp_track_init(&t, 1000); /* clamped to the array */
	CHECK_EQ(t.nr, CONFIG_MAX_PARTITION_CPUS);
}

int main(void)
{
	CHECK_MAIN("eptp_track");
	RUN(shared);
	RUN(mismatch);
	RUN(cleared_and_bounds);
	return CHECK_END();
}
