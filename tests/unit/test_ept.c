/* arch/x86/mm/ept.c: the EPT builder, run over a pool of fake table pages. */
#include "tests/unit/check.h"
#include "arch/x86/mm/ept.h"

#define POOL_PAGES 64
#define POOL_BASE  0x100000ULL /* fake physical address of pool page 0 */

#include "tests/unit/fake_table_pool.h"

static struct ept new_ept(bool use_2m, bool use_1g)
{
	struct ept e = {
	    .alloc_table = fake_alloc, .table_ptr = fake_ptr, .use_2m = use_2m, .use_1g = use_1g};

	pool_used = 0;
	pool_limit = POOL_PAGES;
	if (ept_init(&e))
		abort();
	return e;
}

static bool maps(const struct ept *e, uint64_t gpa, uint64_t want_hpa, uint64_t want_size,
		 uint64_t want_perms)
{
	uint64_t hpa, leaf, size;

	return ept_lookup(e, gpa, &hpa, &leaf, &size) && hpa == want_hpa && size == want_size &&
	       (leaf & EPT_RWX) == want_perms;
}

TEST(eptp)
{
	struct ept e = new_ept(true, false);

	CHECK_EQ(e.eptp, POOL_BASE | 6 | (3 << 3));
	e.ad = true;
	CHECK_EQ(ept_init(&e), 0);
	CHECK_EQ(e.eptp & 0xfff, 6 | (3 << 3) | (1 << 6));
}

TEST(large_pages_where_aligned)
{
	struct ept e = new_ept(true, false);

	/* 16 MiB at GPA 0 from HPA 64 MiB: eight 2 MiB pages, 3 tables in all. */
	CHECK_EQ(ept_map(&e, 0, 64 << 20, 16 << 20, EPT_RWX, EPT_MEMTYPE_WB), 0);
	CHECK_EQ(e.nr_tables, 3);
	CHECK(maps(&e, 0, 64 << 20, 2 << 20, EPT_RWX));
	CHECK(maps(&e, 0x123456, (64 << 20) + 0x123456, 2 << 20, EPT_RWX));
	CHECK(maps(&e, (16 << 20) - 1, (80 << 20) - 1, 2 << 20, EPT_RWX));
	uint64_t hpa, leaf, size;
	CHECK(!ept_lookup(&e, 16 << 20, &hpa, &leaf, &size));
	CHECK(ept_lookup(&e, 0, &hpa, &leaf, &size));
	CHECK_EQ((leaf >> EPT_MEMTYPE_SHIFT) & 7, EPT_MEMTYPE_WB);
}

TEST(small_pages_without_2m)
{
	struct ept e = new_ept(false, false);

	CHECK_EQ(ept_map(&e, 0, 1 << 30, 4 << 20, EPT_RWX, EPT_MEMTYPE_WB), 0);
	CHECK_EQ(e.nr_tables, 5); /* PML4, PDPT, PD, 2 PTs */
	CHECK(maps(&e, 0x3ff000, (1 << 30) + 0x3ff000, 4096, EPT_RWX));
}

TEST(one_gig_pages)
{
	struct ept e = new_ept(true, true);

	CHECK_EQ(ept_map(&e, 1ULL << 30, 4ULL << 30, 2ULL << 30, EPT_RWX, EPT_MEMTYPE_WB), 0);
	CHECK_EQ(e.nr_tables, 2);
	CHECK(maps(&e, (1ULL << 30) + 5, (4ULL << 30) + 5, 1ULL << 30, EPT_RWX));
	/* Misaligned host address: falls back to 2 MiB pages. */
	struct ept f = new_ept(true, true);
	CHECK_EQ(ept_map(&f, 0, 2 << 20, 1ULL << 30, EPT_RWX, EPT_MEMTYPE_WB), 0);
	CHECK(maps(&f, 0, 2 << 20, 2 << 20, EPT_RWX));
}

TEST(split_keeps_the_rest)
{
	struct ept e = new_ept(true, false);

	CHECK_EQ(ept_map(&e, 0, 32 << 20, 4 << 20, EPT_RWX, EPT_MEMTYPE_WB), 0);
	/* Make one 4 KiB page execute-only inside the first 2 MiB page. */
	CHECK_EQ(ept_map(&e, 0x5000, (32 << 20) + 0x5000, 4096, EPT_EXEC, EPT_MEMTYPE_WB), 0);
	CHECK(maps(&e, 0x5000, (32 << 20) + 0x5000, 4096, EPT_EXEC));
	CHECK(maps(&e, 0x4000, (32 << 20) + 0x4000, 4096, EPT_RWX));
	CHECK(maps(&e, 0x1ff000, (32 << 20) + 0x1ff000, 4096, EPT_RWX));
	CHECK(maps(&e, 2 << 20, 34 << 20, 2 << 20, EPT_RWX)); /* untouched large page */
	uint64_t hpa, leaf, size;
	CHECK(ept_lookup(&e, 0x4000, &hpa, &leaf, &size));
	CHECK(!(leaf & EPT_LARGE));
	CHECK_EQ((leaf >> EPT_MEMTYPE_SHIFT) & 7, EPT_MEMTYPE_WB);
}

TEST(memtype_uc)
{
	struct ept e = new_ept(true, false);
	uint64_t hpa, leaf, size;

	CHECK_EQ(ept_map(&e, 0xfee00000, 0x7000000, 4096, EPT_READ | EPT_WRITE, EPT_MEMTYPE_UC), 0);
	CHECK(ept_lookup(&e, 0xfee00010, &hpa, &leaf, &size));
	CHECK_EQ(hpa, 0x7000010);
	CHECK_EQ((leaf >> EPT_MEMTYPE_SHIFT) & 7, EPT_MEMTYPE_UC);
	CHECK(!(leaf & EPT_EXEC));
}

TEST(bad_arguments)
{
	struct ept e = new_ept(true, false);

	CHECK_EQ(ept_map(&e, 0x800, 0, 4096, EPT_RWX, 6), -1);	       /* unaligned gpa */
	CHECK_EQ(ept_map(&e, 0, 0x800, 4096, EPT_RWX, 6), -1);	       /* unaligned hpa */
	CHECK_EQ(ept_map(&e, 0, 0, 100, EPT_RWX, 6), -1);	       /* unaligned length */
	CHECK_EQ(ept_map(&e, 0, 0, 0, EPT_RWX, 6), -1);		       /* empty */
	CHECK_EQ(ept_map(&e, 0, 0, 4096, 0, 6), -1);		       /* no permission */
	CHECK_EQ(ept_map(&e, 0, 0, 4096, 0x10, 6), -1);		       /* unknown bits */
	CHECK_EQ(ept_map(&e, 0, 0, 4096, EPT_RWX, 8), -1);	       /* bad memory type */
	CHECK_EQ(ept_map(&e, EPT_GPA_LIMIT, 0, 4096, EPT_RWX, 6), -1); /* beyond 2^48 */
	CHECK_EQ(ept_map(&e, EPT_GPA_LIMIT - 4096, 0, 8192, EPT_RWX, 6), -1);
	CHECK_EQ(ept_map(&e, 0, ~0xfffULL, 8192, EPT_RWX, 6), -1); /* hpa wraps */
	CHECK_EQ(e.nr_tables, 1);
	uint64_t hpa, leaf, size;
	CHECK(!ept_lookup(&e, EPT_GPA_LIMIT, &hpa, &leaf, &size));
}

TEST(out_of_pages)
{
	struct ept e = new_ept(false, false);

	pool_limit = pool_used + 2; /* PDPT and PD, but no PT */
	CHECK_EQ(ept_map(&e, 0, 0, 4096, EPT_RWX, 6), -1);
}

/* Every entry, present or not, suppresses #VE: violations exit unless a leaf says otherwise. */
TEST(suppress_ve_everywhere)
{
	struct ept e = new_ept(true, false);
	uint64_t hpa, leaf, size;

	CHECK_EQ(ept_map(&e, 0, 32 << 20, 4 << 20, EPT_RWX, EPT_MEMTYPE_WB), 0);
	for (unsigned p = 0; p < pool_used; p++)
		for (unsigned i = 0; i < 512; i++)
			if (!(pool[p][i] & EPT_SUPPRESS_VE)) {
				CHECK(!"an entry without suppress #VE");
				return;
			}
	CHECK(ept_lookup(&e, 0x1000, &hpa, &leaf, &size));
	CHECK(leaf & EPT_SUPPRESS_VE);
	CHECK(!(pool[1][1] & EPT_RWX)); /* PDPT entry 1: not present, yet suppresses */
}

/*
 * The XOM alias: the same host page at gpa and at gpa | 2^bit, read/write/execute
 * below and execute-only above, with the largest pages both allow.
 */
TEST(xom_alias)
{
	struct ept e = new_ept(true, true);
	const uint64_t alias = 1ULL << 39;

	CHECK_EQ(ept_map_alias(&e, 0, 1ULL << 30, 1ULL << 30, EPT_RWX, EPT_EXEC, 39, 6), 0);
	CHECK(maps(&e, 0x1234, (1ULL << 30) + 0x1234, 1ULL << 30, EPT_RWX));
	CHECK(maps(&e, alias | 0x1234, (1ULL << 30) + 0x1234, 1ULL << 30, EPT_EXEC));
	CHECK(maps(&e, alias | 0x3fffffff, (2ULL << 30) - 1, 1ULL << 30, EPT_EXEC));
	uint64_t hpa, leaf, size;
	CHECK(!ept_lookup(&e, alias | (1ULL << 30), &hpa, &leaf, &size));
	CHECK(!ept_lookup(&e, alias >> 1, &hpa, &leaf, &size));
	CHECK_EQ(e.nr_tables, 3); /* bit 39 is the PML4 index's lowest: a PDPT each */

	/* 6 MiB at 2 MiB: 2 MiB pages in both halves. */
	struct ept f = new_ept(true, false);
	CHECK_EQ(ept_map_alias(&f, 2 << 20, 64 << 20, 6 << 20, EPT_RWX, EPT_EXEC, 39, 6), 0);
	CHECK(maps(&f, alias | (7 << 20), 69 << 20, 2 << 20, EPT_EXEC));
	CHECK(maps(&f, 7 << 20, 69 << 20, 2 << 20, EPT_RWX));
	CHECK(!ept_lookup(&f, alias | (1 << 20), &hpa, &leaf, &size));
	/* RAM reaching the alias bit, a bit too small or beyond the 4-level walk. */
	CHECK_EQ(ept_map_alias(&f, alias - 4096, 0, 8192, EPT_RWX, EPT_EXEC, 39, 6), -1);
	CHECK_EQ(ept_map_alias(&f, 0, 0, 4096, EPT_RWX, EPT_EXEC, 48, 6), -1);
	CHECK_EQ(ept_map_alias(&f, 0, 0, 4096, EPT_RWX, EPT_EXEC, 11, 6), -1);
}

/* With MBEC: user-mode execute is a permission of its own, in every table entry. */
TEST(mbec_user_exec)
{
	struct ept e = new_ept(true, false);
	const uint64_t alias = 1ULL << 39;
	uint64_t hpa, leaf, size;

	CHECK_EQ(ept_map(&e, 0, 0, 4096, EPT_USER_EXEC, 6), -1); /* not without MBEC */
	e.mbec = true;
	CHECK_EQ(
	    ept_map_alias(&e, 0, 16 << 20, 2 << 20, EPT_RWX | EPT_USER_EXEC, EPT_USER_EXEC, 39, 6),
	    0);
	CHECK(ept_lookup(&e, alias | 0x5000, &hpa, &leaf, &size));
	CHECK_EQ(leaf & EPT_PERM_MASK, EPT_USER_EXEC);
	CHECK_EQ(size, 2 << 20);
	CHECK_EQ(hpa, (16 << 20) + 0x5000);
	CHECK_EQ(pool[0][1] & EPT_PERM_MASK, EPT_PERM_MASK); /* the PML4 entry of the alias */
	CHECK_EQ(pool[0][0] & EPT_PERM_MASK, EPT_PERM_MASK);
}

/* SPP's split: one 4 KiB leaf changes, the 511 others keep the large page's mapping. */
TEST(update_4k_splits)
{
	struct ept e = new_ept(true, true);
	uint64_t hpa, leaf, size, old;

	CHECK_EQ(ept_map(&e, 0, 1ULL << 30, 1ULL << 30, EPT_RWX, 6), 0);
	CHECK_EQ(e.nr_tables, 2);
	CHECK_EQ(ept_update_4k(&e, 0x12345000, EPT_WRITE | EPT_SUPPRESS_VE, EPT_SPP, &old), 0);
	CHECK_EQ(e.nr_tables, 4);				  /* 1 GiB -> 2 MiB -> 4 KiB */
	CHECK_EQ(old & (EPT_RWX | EPT_SPP | EPT_LARGE), EPT_RWX); /* the leaf once split */
	CHECK(ept_lookup(&e, 0x12345080, &hpa, &leaf, &size));
	CHECK_EQ(hpa, (1ULL << 30) + 0x12345080);
	CHECK_EQ(size, 4096);
	CHECK_EQ(leaf & (EPT_RWX | EPT_SPP | EPT_SUPPRESS_VE | EPT_LARGE),
		 EPT_READ | EPT_EXEC | EPT_SPP);
	CHECK_EQ((leaf >> EPT_MEMTYPE_SHIFT) & 7, 6);
	CHECK(maps(&e, 0x12344000, (1ULL << 30) + 0x12344000, 4096, EPT_RWX));
	CHECK(maps(&e, 0x12346fff, (1ULL << 30) + 0x12346fff, 4096, EPT_RWX));
	CHECK(maps(&e, 0x12000000, (1ULL << 30) + 0x12000000, 2 << 20, EPT_RWX));
	CHECK(maps(&e, 0x3fe00000, (1ULL << 30) + 0x3fe00000, 2 << 20, EPT_RWX));
	/* Back again: no new tables, the old bits return. */
	CHECK_EQ(ept_update_4k(&e, 0x12345000, 0, 0, &old), 0);
	CHECK_EQ(old, leaf);
	CHECK_EQ(ept_update_4k(&e, 0x12345000, EPT_SPP, EPT_WRITE | EPT_SUPPRESS_VE, &old), 0);
	CHECK_EQ(e.nr_tables, 4);
	CHECK(old & EPT_SPP);
	CHECK(ept_lookup(&e, 0x12345000, &hpa, &leaf, &size));
	CHECK_EQ(leaf & (EPT_RWX | EPT_SPP | EPT_SUPPRESS_VE), EPT_RWX | EPT_SUPPRESS_VE);
	CHECK_EQ(ept_update_4k(&e, 0x12345000, 0, 0, &old), 0);
	CHECK_EQ(old, leaf);
	/* Bad: unaligned, unmapped, other bits, user execute without MBEC, out of pages. */
	CHECK_EQ(ept_update_4k(&e, 0x12345800, EPT_WRITE, 0, NULL), -1);
	CHECK_EQ(ept_update_4k(&e, 2ULL << 30, EPT_WRITE, 0, NULL), -1);
	CHECK_EQ(ept_update_4k(&e, EPT_GPA_LIMIT, EPT_WRITE, 0, NULL), -1);
	CHECK_EQ(ept_update_4k(&e, 0x1000, EPT_LARGE, 0, NULL), -1);
	CHECK_EQ(ept_update_4k(&e, 0x1000, 0, (uint64_t)EPT_ADDR_MASK, NULL), -1);
	CHECK_EQ(ept_update_4k(&e, 0x1000, 0, EPT_USER_EXEC, NULL), -1);
	pool_limit = pool_used;
	CHECK_EQ(ept_update_4k(&e, 0x20000000, EPT_WRITE, 0, NULL), -1);
	CHECK(maps(&e, 0x20000000, (1ULL << 30) + 0x20000000, 2 << 20, EPT_RWX));
}

/* One EPT serves every CPU of a partition: only the page sizes they all have. */
TEST(page_sizes_common_to_all_cpus)
{
	struct vmx_caps big = {.ept_2m = true, .ept_1g = true}, mid = {.ept_2m = true};
	struct vmx_caps small = {0};
	const struct vmx_caps *one[] = {&big}, *mixed[] = {&big, &mid}, *worst[] = {&big, &small};
	const struct vmx_caps *later[] = {&small, &big};
	struct ept e = {0};

	ept_choose_page_sizes(&e, one, 1);
	CHECK(e.use_2m && e.use_1g);
	ept_choose_page_sizes(&e, mixed, 2);
	CHECK(e.use_2m && !e.use_1g);
	ept_choose_page_sizes(&e, worst, 2);
	CHECK(!e.use_2m && !e.use_1g);
	ept_choose_page_sizes(&e, later, 2);
	CHECK(!e.use_2m && !e.use_1g);
	ept_choose_page_sizes(&e, one, 0);
	CHECK(!e.use_2m && !e.use_1g);
}

int main(void)
{
	CHECK_MAIN("ept");
	RUN(eptp);
	RUN(large_pages_where_aligned);
	RUN(small_pages_without_2m);
	RUN(one_gig_pages);
	RUN(split_keeps_the_rest);
	RUN(memtype_uc);
	RUN(bad_arguments);
	RUN(out_of_pages);
	RUN(page_sizes_common_to_all_cpus);
	RUN(suppress_ve_everywhere);
	RUN(xom_alias);
	RUN(mbec_user_exec);
	RUN(update_4k_splits);
	return CHECK_END();
}
