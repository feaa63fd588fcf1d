/* hv/policy/tlb_flush_plan.c: per-address lists, the threshold, canonical addresses, merging. */
#include "tests/unit/check.h"
#include "hv/policy/tlb_flush_plan.h"

TEST(pages)
{
	struct tlb_flush_plan p = {0};

	tlb_flush_plan_add(&p, 0x7000123, 3, 12, true);
	CHECK(!p.full);
	CHECK_EQ(p.nr, 3);
	CHECK_EQ(p.gva[0], 0x7000000);
	CHECK_EQ(p.gva[2], 0x7002000);
	tlb_flush_plan_add(&p, 0x7001000, 1, 12, true); /* already there */
	CHECK_EQ(p.nr, 3);
	tlb_flush_plan_add(&p, 0x40000000, 2, 21, true); /* two 2 MiB pages: one address each */
	CHECK_EQ(p.nr, 5);
	CHECK_EQ(p.gva[4], 0x40200000);
	tlb_flush_plan_add(&p, 0xffffffff80000000ull, 1, 30, true);
	CHECK_EQ(p.nr, 6);
	CHECK_EQ(p.gva[5], 0xffffffff80000000ull);
}

TEST(threshold)
{
	struct tlb_flush_plan p = {0};

	tlb_flush_plan_add(&p, 0x100000, TLB_FLUSH_ADDR_MAX, 12, true);
	CHECK(!p.full);
	CHECK_EQ(p.nr, TLB_FLUSH_ADDR_MAX);
	tlb_flush_plan_add(&p, 0x900000, 1, 12, true); /* one more: the whole context */
	CHECK(p.full && !p.keep_global);
	CHECK_EQ(p.nr, 0);
	p = (struct tlb_flush_plan){0};
	tlb_flush_plan_add(&p, 0x100000, TLB_FLUSH_ADDR_MAX + 1, 12, true); /* one range above */
	CHECK(p.full);
	p = (struct tlb_flush_plan){0};
	tlb_flush_plan_add(&p, 0x100000, 1, 12, false); /* no individual-address INVVPID */
	CHECK(p.full);
}

TEST(canonical)
{
	struct tlb_flush_plan p = {0};

	CHECK(tlb_gva_canonical48(0x00007ffffffff000ull));
	CHECK(tlb_gva_canonical48(0xffff800000000000ull));
	CHECK(!tlb_gva_canonical48(0x0000800000000000ull));
	CHECK(!tlb_gva_canonical48(0x8000000000000000ull));
	/* In the hole for 48 and 57 bits: skipped, never given to INVVPID. */
	tlb_flush_plan_add(&p, 0x8000000000000000ull, 100, 12, true);
	CHECK(tlb_flush_plan_empty(&p));
	tlb_flush_plan_add(&p, 0x0100000000000000ull, 1, 12, true);
	CHECK(tlb_flush_plan_empty(&p));
	/* A page in the hole of both widths, then the first canonical one: one address. */
	tlb_flush_plan_add(&p, 0xfefffffffffff000ull, 1, 12, true);
	tlb_flush_plan_add(&p, 0xffff800000000000ull, 1, 12, true);
	CHECK(!p.full);
	CHECK_EQ(p.nr, 1);
	CHECK_EQ(p.gva[0], 0xffff800000000000ull);
	/* Canonical with 57 bits only: INVVPID might refuse it, so the whole context. */
	tlb_flush_plan_add(&p, 0x00007ffffffff000ull, 2, 12, true);
	CHECK(p.full);
	/* A range that wraps at 2^64 stops there. */
	p = (struct tlb_flush_plan){0};
	tlb_flush_plan_add(&p, 0xfffffffffffff000ull, 5, 12, true);
	CHECK_EQ(p.nr, 1);
}

TEST(merge_and_globals)
{
	struct tlb_flush_plan a = {0}, b = {0};

	tlb_flush_plan_add(&a, 0x1000, 2, 12, true);
	tlb_flush_plan_add(&b, 0x2000, 2, 12, true);
	tlb_flush_plan_merge(&a, &b);
	CHECK_EQ(a.nr, 3);
	tlb_flush_plan_all(&b, true);
	tlb_flush_plan_merge(&a, &b);
	CHECK(a.full && a.keep_global);
	tlb_flush_plan_all(&b, false);
	tlb_flush_plan_merge(&a, &b);
	CHECK(a.full && !a.keep_global);
	tlb_flush_plan_all(&b, true); /* once globals must go, they still must */
	tlb_flush_plan_merge(&a, &b);
	CHECK(a.full && !a.keep_global);
	/* A list merged into a full plan changes nothing. */
	b = (struct tlb_flush_plan){0};
	tlb_flush_plan_add(&b, 0x5000, 1, 12, true);
	tlb_flush_plan_merge(&a, &b);
	CHECK(a.full && a.nr == 0);
}

/* The EPT part (SPP changes): not empty by itself, kept by merges and by "all". */
TEST(ept_part)
{
	struct tlb_flush_plan p = {0}, q = {.ept = true};

	CHECK(tlb_flush_plan_empty(&p));
	CHECK(!tlb_flush_plan_empty(&q));
	tlb_flush_plan_merge(&p, &q);
	CHECK(p.ept && !p.full && p.nr == 0);
	tlb_flush_plan_add(&p, 0x1000, 1, 12, true);
	tlb_flush_plan_all(&p, true);
	CHECK(p.ept && p.full);
	struct tlb_flush_plan r = {0};
	tlb_flush_plan_merge(&r, &p);
	CHECK(r.ept && r.full);
	struct tlb_flush_plan s = {0}, t = {.full = true};
	tlb_flush_plan_merge(&s, &t);
	CHECK(!s.ept);
}

int main(void)
{
	CHECK_MAIN("tlb_flush_plan");
	RUN(pages);
	RUN(threshold);
	RUN(canonical);
	RUN(merge_and_globals);
	RUN(ept_part);
	return CHECK_END();
}
