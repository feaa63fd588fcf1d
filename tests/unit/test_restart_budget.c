/* hv/partition/restart_budget.c: how many restarts a crashing or rebooting partition gets. */
#include "tests/unit/check.h"
#include "hv/partition/restart_budget.h"

TEST(limit_within_window)
{
	struct restart_budget b = {0};

	/* 5 restarts in 100 ticks: crashes at 1000, 1010, ... */
	for (uint64_t i = 0; i < 5; i++)
		CHECK(restart_budget_take(&b, 5, 100, 1000 + 10 * i));
	CHECK(!restart_budget_take(&b, 5, 100, 1050)); /* the sixth crash: stop */
	CHECK_EQ(b.in_window, 5);
	CHECK_EQ(b.crashes, 6);
}

TEST(window_reopens)
{
	struct restart_budget b = {0};

	CHECK(restart_budget_take(&b, 2, 100, 0)); /* TSC 0 is a time like any other */
	CHECK(restart_budget_take(&b, 2, 100, 99));
	CHECK(restart_budget_take(&b, 2, 100, 100)); /* a new window opens here */
	CHECK_EQ(b.window_start, 100);
	CHECK(restart_budget_take(&b, 2, 100, 150));
	CHECK(!restart_budget_take(&b, 2, 100, 199));
	/* Slow crashes restart forever: one a window. */
	for (uint64_t t = 1000; t < 100000; t += 1000)
		CHECK(restart_budget_take(&b, 1, 500, t));
}

TEST(tsc_wraps)
{
	struct restart_budget b = {0};

	CHECK(restart_budget_take(&b, 1, 100, ~0ULL - 10));
	CHECK(!restart_budget_take(&b, 1, 100, 20)); /* 31 ticks later, past the wrap */
	CHECK(restart_budget_take(&b, 1, 100, 200));
}

TEST(full_dump_rate_limit)
{
	struct restart_budget b = {0};

	for (uint32_t i = 1; i <= 6; i++) {
		restart_budget_take(&b, 10, 1000, i);
		CHECK_EQ(restart_budget_full_dump(&b), i <= RESTART_FULL_DUMPS);
	}
}

TEST(reboots_share_the_window_not_the_dumps)
{
	struct restart_budget b = {0};

	CHECK(restart_budget_reboot(&b, 3, 100, 0));
	CHECK(restart_budget_take(&b, 3, 100, 10)); /* a crash restart in the same window */
	CHECK(restart_budget_reboot(&b, 3, 100, 20));
	CHECK(!restart_budget_reboot(&b, 3, 100, 30)); /* the fourth restart: stop */
	CHECK_EQ(b.in_window, 3);
	CHECK_EQ(b.crashes, 1); /* reboots are not crashes: no register dumps spent on them */
	CHECK(restart_budget_full_dump(&b));
	CHECK(restart_budget_reboot(&b, 3, 100, 130)); /* a new window */
}

int main(void)
{
	CHECK_MAIN("restart_budget");
	RUN(limit_within_window);
	RUN(window_reopens);
	RUN(tsc_wraps);
	RUN(full_dump_rate_limit);
	RUN(reboots_share_the_window_not_the_dumps);
	return CHECK_END();
}
