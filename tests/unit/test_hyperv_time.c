/* hv/policy/hyperv_time.c: the reference counter and the TSC page formula. */
#include "tests/unit/check.h"
#include "hv/policy/hyperv_time.h"

TEST(scale)
{
	struct hv_ref_clock c;

	hv_ref_clock_init(&c, 2000000000ull, 0); /* 2 GHz: 200 ticks per 100 ns */
	CHECK_EQ(c.scale, 0x0147ae147ae147aeull);
	CHECK_EQ(hv_ref_time(&c, 2000000000ull), 10000000 - 1); /* the scale rounds down */
	CHECK_EQ(hv_ref_time(&c, 0), 0);
}

TEST(origin_and_monotonic)
{
	struct hv_ref_clock c;
	uint64_t last = 0;

	hv_ref_clock_init(&c, 2399987000ull, 123456789012345ull);
	CHECK(hv_ref_time(&c, c.origin) <= 1);
	for (uint64_t t = c.origin; t < c.origin + 100000; t += 97) {
		uint64_t r = hv_ref_time(&c, t);

		CHECK(r >= last);
		last = r;
	}
	/* One second later: 10^7 units, within rounding. */
	uint64_t s = hv_ref_time(&c, c.origin + 2399987000ull);

	CHECK(s >= 10000000 - 2 && s <= 10000000 + 1);
}

TEST(slow_tsc)
{
	struct hv_ref_clock c;

	hv_ref_clock_init(&c, 5000000, 1000); /* 5 MHz: no page scale, the MSR still counts */
	CHECK_EQ(c.scale, 0);
	CHECK_EQ(hv_ref_time(&c, 1000 + 5000000), 10000000);
	CHECK_EQ(hv_ref_time(&c, 1001), 2);
}

TEST(ticks)
{
	CHECK_EQ(hv_ticks_to_100ns(3000, 3000000000ull), 10);
	CHECK_EQ(hv_ticks_to_100ns(0, 1), 0);
	CHECK_EQ(hv_ticks_to_100ns(~0ull, 1), ~0ull);
	CHECK_EQ(hv_ticks_to_100ns(~0ull, 10000000), ~0ull);
	CHECK_EQ(hv_ticks_to_100ns(~0ull, 20000000), ~0ull / 2);
}

int main(void)
{
	CHECK_MAIN("hyperv_time");
	RUN(scale);
	RUN(origin_and_monotonic);
	RUN(slow_tsc);
	RUN(ticks);
	return CHECK_END();
}
