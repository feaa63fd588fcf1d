/* lib/page_alloc.c: the free-range page allocator. */
#include "tests/unit/check.h"
#include "lib/page_alloc.h"

#define P PAGE_SIZE

static struct page_allocator pa;

/* Checks the allocator's invariant: sorted, page aligned, non-empty, not touching. */
static bool well_formed(const struct page_allocator *a)
{
	for (uint32_t i = 0; i < a->nr; i++) {
		if (a->r[i].base >= a->r[i].end || a->r[i].base % P || a->r[i].end % P ||
		    a->r[i].base == 0)
			return false;
		if (i && a->r[i - 1].end >= a->r[i].base)
			return false;
	}
	return true;
}

TEST(add_trims_to_pages_and_skips_page_zero)
{
	pa_init(&pa);
	CHECK_EQ(pa_add(&pa, 0, 0x9fc00), 0);
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa.r[0].base, P);
	CHECK_EQ(pa.r[0].end, 0x9f000);
	CHECK_EQ(pa_add(&pa, 0x100001, 0x2000), 0); /* only page 0x101000 is whole */
	CHECK_EQ(pa.nr, 2);
	CHECK_EQ(pa.r[1].base, 0x101000);
	CHECK_EQ(pa.r[1].end, 0x102000);
	CHECK_EQ(pa_free_bytes(&pa), 0x9e000 + P);
	CHECK(well_formed(&pa));
}

TEST(zero_and_sub_page_adds_add_nothing)
{
	pa_init(&pa);
	CHECK_EQ(pa_add(&pa, 0x200000, 0), 0);
	CHECK_EQ(pa_add(&pa, 0x200001, 0xffe), 0);
	CHECK_EQ(pa_add(&pa, 0, P), 0); /* page 0 alone */
	CHECK_EQ(pa.nr, 0);
	CHECK_EQ(pa_alloc(&pa, 1, P, PA_NO_LIMIT), 0);
}

TEST(add_near_2_pow_64_does_not_wrap)
{
	pa_init(&pa);
	CHECK_EQ(pa_add(&pa, UINT64_MAX - 0x1000, 0x10000), 0);	     /* above 2^52: ignored */
	CHECK_EQ(pa_add(&pa, PA_PHYS_LIMIT - 2 * P, UINT64_MAX), 0); /* clipped at 2^52 */
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa.r[0].base, PA_PHYS_LIMIT - 2 * P);
	CHECK_EQ(pa.r[0].end, PA_PHYS_LIMIT);
	CHECK_EQ(pa_add(&pa, 0x1000, UINT64_MAX), 0); /* everything below 2^52: merges */
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa_free_bytes(&pa), PA_PHYS_LIMIT - P);
	CHECK_EQ(pa_alloc(&pa, 1, P, PA_NO_LIMIT), PA_PHYS_LIMIT - P);
	CHECK(well_formed(&pa));
}

TEST(overlapping_and_touching_adds_merge)
{
	pa_init(&pa);
	CHECK_EQ(pa_add(&pa, 0x10000, 0x10000), 0);
	CHECK_EQ(pa_add(&pa, 0x30000, 0x10000), 0);
	CHECK_EQ(pa_add(&pa, 0x50000, 0x10000), 0);
	CHECK_EQ(pa.nr, 3);
	CHECK_EQ(pa_add(&pa, 0x18000, 0x40000), 0); /* overlaps all three */
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa.r[0].base, 0x10000);
	CHECK_EQ(pa.r[0].end, 0x60000);
	CHECK_EQ(pa_add(&pa, 0x60000, 0x1000), 0); /* touching the end */
	CHECK_EQ(pa_add(&pa, 0xf000, 0x1000), 0);  /* touching the start */
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa.r[0].base, 0xf000);
	CHECK_EQ(pa.r[0].end, 0x61000);
	CHECK(well_formed(&pa));
}

TEST(alloc_takes_highest_first)
{
	pa_init(&pa);
	pa_add(&pa, 0x1000, 0x9e000);
	pa_add(&pa, 0x100000, 0xbff00000);    /* 1 MiB .. 3 GiB */
	pa_add(&pa, 0x100000000, 0x40000000); /* 4 GiB .. 5 GiB */
	CHECK_EQ(pa_alloc(&pa, 1, P, PA_NO_LIMIT), 0x13ffff000);
	CHECK_EQ(pa_alloc(&pa, 2, P, 4 * GiB), 0xbfffe000);
	CHECK_EQ(pa_alloc(&pa, 1, P, 1 * MiB), 0x9e000);
	CHECK_EQ(pa_alloc(&pa, 1, P, 1 * MiB), 0x9d000);
	CHECK(well_formed(&pa));
}

TEST(alloc_respects_limit_exactly)
{
	pa_init(&pa);
	pa_add(&pa, 0x10000, 0x10000);
	/* The run must end at or below limit: 0x12000 + 2 pages = 0x14000. */
	CHECK_EQ(pa_alloc(&pa, 2, P, 0x14000), 0x12000);
	CHECK_EQ(pa_alloc(&pa, 2, P, 0x11fff), 0); /* only 0x10000-0x11000 ends below */
	CHECK_EQ(pa_alloc(&pa, 1, P, 0x11fff), 0x10000);
	CHECK_EQ(pa_alloc(&pa, 1, P, 0x10fff), 0);
	CHECK_EQ(pa_alloc(&pa, 1, P, 0), 0);
	/* What is left: 0x11000-0x12000 and 0x14000-0x20000. */
	CHECK_EQ(pa.nr, 2);
	CHECK_EQ(pa_free_bytes(&pa), P + 0xc000);
	CHECK(well_formed(&pa));
}

TEST(alloc_alignment_splits_range)
{
	pa_init(&pa);
	check_log_clear();
	pa_add(&pa, 0x1000, 0x400000 - 0x1000 + 0x3000); /* 0x1000 .. 0x403000 */
	uint64_t a = pa_alloc(&pa, 512, 2 * MiB, PA_NO_LIMIT);

	CHECK_EQ(a, 0x200000);
	CHECK_EQ(pa.nr, 2); /* 0x1000-0x200000 and 0x400000-0x403000 */
	CHECK_EQ(pa.r[0].end, 0x200000);
	CHECK_EQ(pa.r[1].base, 0x400000);
	CHECK_EQ(pa_alloc(&pa, 1, 2 * MiB, PA_NO_LIMIT), 0x400000);
	CHECK_EQ(pa_alloc(&pa, 1, 3 * P, PA_NO_LIMIT), 0); /* not a power of two */
	CHECK(strstr(check_log, "not a power of two") != NULL);
	CHECK_EQ(pa_alloc(&pa, 1, 16, PA_NO_LIMIT), 0x402000); /* below 4 KiB means 4 KiB */
	CHECK_EQ(pa_alloc(&pa, 1, BIT(60), PA_NO_LIMIT), 0);
	CHECK(well_formed(&pa));
}

TEST(bad_counts_refused)
{
	pa_init(&pa);
	pa_add(&pa, 0x1000, 0x100000);
	CHECK_EQ(pa_alloc(&pa, 0, P, PA_NO_LIMIT), 0);
	CHECK_EQ(pa_alloc(&pa, UINT64_MAX, P, PA_NO_LIMIT), 0);
	CHECK_EQ(pa_alloc(&pa, UINT64_MAX / P + 1, P, PA_NO_LIMIT), 0); /* size would wrap */
	CHECK_EQ(pa_alloc(&pa, 0x101, P, PA_NO_LIMIT), 0);		/* one page too many */
	CHECK_EQ(pa_alloc(&pa, 0x100, P, PA_NO_LIMIT), 0x1000);
	CHECK_EQ(pa.nr, 0);
}

TEST(exhaustion_then_free_merges_back)
{
	uint64_t got[16];

	pa_init(&pa);
	pa_add(&pa, 0x10000, 16 * P);
	for (int i = 0; i < 16; i++) {
		got[i] = pa_alloc(&pa, 1, P, PA_NO_LIMIT);
		CHECK_EQ(got[i], 0x10000 + (15 - i) * P);
	}
	CHECK_EQ(pa_alloc(&pa, 1, P, PA_NO_LIMIT), 0);
	CHECK_EQ(pa_free_bytes(&pa), 0);
	/* Free every other page, then the rest: must end as one range. */
	for (int i = 0; i < 16; i += 2)
		pa_free(&pa, got[i], 1);
	CHECK_EQ(pa.nr, 8);
	for (int i = 1; i < 16; i += 2)
		pa_free(&pa, got[i], 1);
	CHECK_EQ(pa.nr, 1);
	CHECK_EQ(pa.r[0].base, 0x10000);
	CHECK_EQ(pa.r[0].end, 0x20000);
	CHECK(well_formed(&pa));
}

TEST(double_free_refused)
{
	pa_init(&pa);
	pa_add(&pa, 0x10000, 0x10000);
	uint64_t a = pa_alloc(&pa, 4, P, PA_NO_LIMIT);

	CHECK_EQ(a, 0x1c000);
	pa_free(&pa, a, 4);
	CHECK_EQ(pa_free_bytes(&pa), 0x10000);
	check_log_clear();
	pa_free(&pa, a, 4); /* again */
	CHECK(strstr(check_log, "double free") != NULL);
	CHECK_EQ(pa_free_bytes(&pa), 0x10000);
	/* Partly free: the first page of the freed run is free already. */
	a = pa_alloc(&pa, 2, P, PA_NO_LIMIT);
	CHECK_EQ(a, 0x1e000);
	check_log_clear();
	pa_free(&pa, a - P, 3);
	CHECK(strstr(check_log, "double free") != NULL);
	CHECK_EQ(pa_free_bytes(&pa), 0x10000 - 2 * P);
	CHECK(well_formed(&pa));
}

TEST(bad_free_refused)
{
	pa_init(&pa);
	check_log_clear();
	pa_free(&pa, 0, 1);
	pa_free(&pa, 0x10800, 1);
	pa_free(&pa, PA_PHYS_LIMIT - P, 2);
	pa_free(&pa, 0x10000, UINT64_MAX);
	CHECK_EQ(pa.nr, 0);
	CHECK(strstr(check_log, "refusing to free 1 pages at 0 (") != NULL);
	CHECK(strstr(check_log, "at 0x10800") != NULL);
	pa_free(&pa, 0x10000, 0); /* nothing */
	CHECK_EQ(pa.nr, 0);
}

TEST(reserve_splits_and_trims)
{
	pa_init(&pa);
	pa_add(&pa, 0x1000, 0x9f000 - 0x1000);
	pa_add(&pa, 0x100000, 0x7f00000);
	/* Widened outward: 0x100800..0x180001 takes 0x100000..0x181000. */
	pa_reserve(&pa, 0x100800, 0x7f801);
	CHECK_EQ(pa.nr, 2);
	CHECK_EQ(pa.r[1].base, 0x181000);
	/* A hole in the middle of the low range. */
	pa_reserve(&pa, 0x8000, 0x2000);
	CHECK_EQ(pa.nr, 3);
	CHECK_EQ(pa.r[0].end, 0x8000);
	CHECK_EQ(pa.r[1].base, 0xa000);
	/* Across a gap and two ranges at once. */
	pa_reserve(&pa, 0x9e000, 0x184000 - 0x9e000);
	CHECK_EQ(pa.nr, 3);
	CHECK_EQ(pa.r[1].end, 0x9e000);
	CHECK_EQ(pa.r[2].base, 0x184000);
	/* Non-free memory and zero length: no change. */
	pa_reserve(&pa, 0xa0000, 0x10000);
	pa_reserve(&pa, 0x200000, 0);
	CHECK_EQ(pa.nr, 3);
	/* To the end of the address space. */
	pa_reserve(&pa, 0x4000000, UINT64_MAX);
	CHECK_EQ(pa.r[2].end, 0x4000000);
	pa_reserve(&pa, 0, P); /* page 0 was never free */
	CHECK_EQ(pa.r[0].base, 0x1000);
	CHECK_EQ(pa_free_bytes(&pa),
		 (0x8000 - 0x1000) + (0x9e000 - 0xa000) + (0x4000000 - 0x184000));
	CHECK(well_formed(&pa));
}

TEST(reserve_everything)
{
	pa_init(&pa);
	pa_add(&pa, 0x1000, 0x10000);
	pa_add(&pa, 0x20000, 0x10000);
	pa_reserve(&pa, 0, UINT64_MAX);
	CHECK_EQ(pa.nr, 0);
	CHECK_EQ(pa_alloc(&pa, 1, P, PA_NO_LIMIT), 0);
}

TEST(array_full)
{
	pa_init(&pa);
	/* PA_MAX_RANGES separate single pages, one page apart. */
	for (uint64_t i = 0; i < PA_MAX_RANGES; i++)
		CHECK_EQ(pa_add(&pa, (2 * i + 1) * P, P), 0);
	CHECK_EQ(pa.nr, PA_MAX_RANGES);
	check_log_clear();
	CHECK_EQ(pa_add(&pa, 0x10000000, P), -1);
	CHECK(strstr(check_log, "range array full") != NULL);
	CHECK_EQ(pa.nr, PA_MAX_RANGES);
	/* Merging still works when full: the gap page joins two ranges. */
	CHECK_EQ(pa_add(&pa, 2 * P, P), 0);
	CHECK_EQ(pa.nr, PA_MAX_RANGES - 1);
	CHECK_EQ(pa.r[0].base, P);
	CHECK_EQ(pa.r[0].end, 4 * P);
	CHECK(well_formed(&pa));
}

TEST(array_full_split_drops_smaller_side)
{
	pa_init(&pa);
	for (uint64_t i = 0; i < PA_MAX_RANGES - 1; i++)
		pa_add(&pa, (2 * i + 1) * P, P);
	pa_add(&pa, 0x10000000, 0x10000); /* the last slot: 16 pages */
	CHECK_EQ(pa.nr, PA_MAX_RANGES);
	uint64_t before = pa_free_bytes(&pa);

	check_log_clear();
	/* A hole of 1 page leaving 2 pages below and 13 above: the 2 pages are dropped. */
	pa_reserve(&pa, 0x10002000, P);
	CHECK(strstr(check_log, "dropping 8 KiB at 0x10000000") != NULL);
	CHECK_EQ(pa.nr, PA_MAX_RANGES);
	CHECK_EQ(pa.r[PA_MAX_RANGES - 1].base, 0x10003000);
	CHECK_EQ(pa_free_bytes(&pa), before - 3 * P);
	CHECK_EQ(pa.dropped_bytes, 2 * P);
	/* An aligned allocation in the middle of the last range: the smaller side goes. */
	CHECK_EQ(pa_alloc(&pa, 1, 0x8000, PA_NO_LIMIT), 0x10008000);
	CHECK_EQ(pa.r[PA_MAX_RANGES - 1].base, 0x10009000);
	CHECK_EQ(pa.dropped_bytes, 7 * P);
	/* Freeing a page that touches nothing when full: leaked, logged. */
	check_log_clear();
	pa_free(&pa, 0x20000000, 1);
	CHECK(strstr(check_log, "leaking") != NULL);
	CHECK(well_formed(&pa));
}

TEST(random_against_model)
{
	/* A byte per page over 256 pages as the model; random ops must agree. */
	enum { NP = 256 };
	static bool free_model[NP];
	uint64_t held[NP];
	unsigned nheld = 0;
	uint64_t seed = 12345;

	pa_init(&pa);
	memset(free_model, 0, sizeof(free_model));
	pa_add(&pa, P, (NP - 1) * P);
	for (unsigned i = 1; i < NP; i++)
		free_model[i] = true;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned r = (unsigned)(seed >> 33);

		if ((r & 1) && nheld) {
			unsigned k = (r >> 1) % nheld;
			uint64_t pg = held[k];

			pa_free(&pa, pg, 1);
			free_model[pg / P] = true;
			held[k] = held[--nheld];
		} else {
			uint64_t limit = ((r >> 1) % (NP + 1)) * P;
			uint64_t got = pa_alloc(&pa, 1, P, limit);
			uint64_t want = 0;

			for (uint64_t i = limit / P; i-- > 1;)
				if (free_model[i]) {
					want = i * P;
					break;
				}
			CHECK_EQ(got, want);
			if (got) {
				free_model[got / P] = false;
				held[nheld++] = got;
			}
		}
		CHECK(well_formed(&pa));
	}
}

int main(void)
{
	CHECK_MAIN("page_alloc");
	RUN(add_trims_to_pages_and_skips_page_zero);
	RUN(zero_and_sub_page_adds_add_nothing);
	RUN(add_near_2_pow_64_does_not_wrap);
	RUN(overlapping_and_touching_adds_merge);
	RUN(alloc_takes_highest_first);
	RUN(alloc_respects_limit_exactly);
	RUN(alloc_alignment_splits_range);
	RUN(bad_counts_refused);
	RUN(exhaustion_then_free_merges_back);
	RUN(double_free_refused);
	RUN(bad_free_refused);
	RUN(reserve_splits_and_trims);
	RUN(reserve_everything);
	RUN(array_full);
	RUN(array_full_split_drops_smaller_side);
	RUN(random_against_model);
	return CHECK_END();
}
