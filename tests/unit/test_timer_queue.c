/* hv/vlapic/timer_queue.c: the housekeeping CPU's ordered timer queue. */
#include "tests/unit/check.h"
#include "hv/vlapic/timer_queue.h"

static struct timer_queue q;

TEST(empty_queue_has_nothing)
{
	uint32_t id;
	uint64_t d;

	tq_init(&q);
	CHECK_EQ(tq_earliest(&q), TQ_NEVER);
	CHECK(!tq_pop_expired(&q, UINT64_MAX, &id, &d));
	CHECK(!tq_disarm(&q, 3));
	CHECK(!tq_armed(&q, 3));
}

TEST(bad_ids_are_refused)
{
	tq_init(&q);
	CHECK(!tq_arm(&q, TQ_MAX, 5));
	CHECK(!tq_arm(&q, UINT32_MAX, 5));
	CHECK(!tq_armed(&q, TQ_MAX));
	CHECK(!tq_disarm(&q, TQ_MAX));
	CHECK_EQ(q.nr, 0);
}

TEST(pops_in_deadline_order_only_when_expired)
{
	uint32_t id;
	uint64_t d;

	tq_init(&q);
	CHECK(tq_arm(&q, 5, 300));
	CHECK(tq_arm(&q, 1, 100));
	CHECK(tq_arm(&q, 9, 200));
	CHECK_EQ(tq_earliest(&q), 100);
	CHECK(!tq_pop_expired(&q, 99, &id, &d));
	CHECK(tq_pop_expired(&q, 250, &id, &d));
	CHECK_EQ(id, 1);
	CHECK_EQ(d, 100);
	CHECK(tq_pop_expired(&q, 250, &id, &d));
	CHECK_EQ(id, 9);
	CHECK(!tq_pop_expired(&q, 250, &id, &d));
	CHECK(!tq_armed(&q, 1));
	CHECK(tq_armed(&q, 5));
	CHECK_EQ(tq_earliest(&q), 300);
}

TEST(rearm_moves_an_armed_timer)
{
	uint32_t id;
	uint64_t d;

	tq_init(&q);
	tq_arm(&q, 2, 1000);
	tq_arm(&q, 3, 2000);
	tq_arm(&q, 2, 3000); /* later: 3 is now first */
	CHECK_EQ(q.nr, 2);
	CHECK_EQ(tq_earliest(&q), 2000);
	tq_arm(&q, 2, 10); /* earlier again */
	CHECK(tq_pop_expired(&q, 10, &id, &d));
	CHECK_EQ(id, 2);
}

/* Random arm/re-arm/disarm/pop against a plain array, which is the reference. */
TEST(random_operations_match_a_reference)
{
	uint64_t ref[TQ_MAX];
	uint32_t seed = 12345;

	tq_init(&q);
	for (uint32_t i = 0; i < TQ_MAX; i++)
		ref[i] = TQ_NEVER;
	for (int step = 0; step < 200000; step++) {
		seed = seed * 1103515245u + 12345u;
		uint32_t id = (seed >> 8) % TQ_MAX, op = (seed >> 20) % 4;
		uint64_t best = TQ_NEVER, d;
		uint32_t got;

		if (op <= 1) {
			uint64_t when = (seed >> 3) % 5000;
			CHECK(tq_arm(&q, id, when));
			ref[id] = when;
		} else if (op == 2) {
			CHECK_EQ(tq_disarm(&q, id), ref[id] != TQ_NEVER);
			ref[id] = TQ_NEVER;
		}
		for (uint32_t i = 0; i < TQ_MAX; i++)
			best = ref[i] < best ? ref[i] : best;
		CHECK_EQ(tq_earliest(&q), best);
		if (op == 3 && tq_pop_expired(&q, 2500, &got, &d)) {
			CHECK_EQ(d, best);
			CHECK_EQ(ref[got], best);
			CHECK(best <= 2500);
			ref[got] = TQ_NEVER;
		}
	}
}

int main(void)
{
	CHECK_MAIN("timer_queue");
	RUN(empty_queue_has_nothing);
	RUN(bad_ids_are_refused);
	RUN(pops_in_deadline_order_only_when_expired);
	RUN(rearm_moves_an_armed_timer);
	RUN(random_operations_match_a_reference);
	return CHECK_END();
}
