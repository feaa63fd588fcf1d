/*
 * arch/x86/mm/paging.c: the page-table builder. Tables live in a pool here; a
 * walker written independently of pt_lookup() checks the final translations.
 */
#include "tests/unit/check.h"
#include "arch/x86/mm/paging.h"

#define POOL_PAGES 64
#define POOL_BASE  0x7000000ULL /* "physical" address of pool page 0 */
#define P	   PAGE_SIZE

static uint64_t pool[POOL_PAGES][PT_ENTRIES] __attribute__((aligned(4096)));
static bool in_use[POOL_PAGES];
static unsigned allocs, frees, alloc_budget;
static bool bad_access;
static struct pt_ctx pt;

static uint64_t test_alloc(void *opaque)
{
	(void)opaque;
	if (alloc_budget == 0)
		return 0;
	for (unsigned i = 0; i < POOL_PAGES; i++)
		if (!in_use[i]) {
			in_use[i] = true;
			memset(pool[i], 0, sizeof(pool[i]));
			allocs++;
			alloc_budget--;
			return POOL_BASE + i * P;
		}
	return 0;
}

static unsigned pool_index(uint64_t pa)
{
	if (pa < POOL_BASE || pa >= POOL_BASE + POOL_PAGES * P || pa % P) {
		bad_access = true;
		return 0;
	}
	return (unsigned)((pa - POOL_BASE) / P);
}

static void test_free(void *opaque, uint64_t pa)
{
	unsigned i = pool_index(pa);

	(void)opaque;
	if (!in_use[i])
		bad_access = true;
	in_use[i] = false;
	memset(pool[i], 0xa5, sizeof(pool[i])); /* a freed table still used shows up as junk */
	frees++;
}

static uint64_t *test_table(void *opaque, uint64_t pa)
{
	unsigned i = pool_index(pa);

	(void)opaque;
	if (!in_use[i])
		bad_access = true;
	return pool[i];
}

static void setup(bool use_1g, bool use_2m, bool nx)
{
	memset(in_use, 0, sizeof(in_use));
	allocs = frees = 0;
	alloc_budget = POOL_PAGES;
	bad_access = false;
	pt = (struct pt_ctx){.alloc_table = test_alloc,
			     .free_table = test_free,
			     .table_ptr = test_table,
			     .use_1g = use_1g,
			     .use_2m = use_2m,
			     .nx = nx};
	pt_init(&pt);
}

/* The test's own walk: the translation of va, 0 when not present. */
struct walk {
	bool present;
	uint64_t pa, entry, size;
};

static struct walk walk(uint64_t va)
{
	struct walk w = {0};
	uint64_t table = pt.root;
	const unsigned shifts[4] = {39, 30, 21, 12};

	for (int i = 0; i < 4; i++) {
		uint64_t e = pool[pool_index(table)][(va >> shifts[i]) & 511];
		uint64_t size = 1ULL << shifts[i];

		if (!(e & 1))
			return w;
		if (i == 3 || (i > 0 && (e & 0x80))) {
			w.present = true;
			w.entry = e;
			w.size = size;
			w.pa = (e & 0x000ffffffffff000ULL & ~(size - 1)) + (va & (size - 1));
			return w;
		}
		if (e & ~0x000ffffffffff000ULL & ~0x63ULL) /* non-leaf: P|RW|A only */
			bad_access = true;
		table = e & 0x000ffffffffff000ULL;
	}
	return w;
}

static bool writable(struct walk w)
{
	return w.entry & BIT(1);
}
static bool executable(struct walk w)
{
	return !(w.entry & BIT(63));
}
static bool uncached(struct walk w)
{
	return (w.entry & (BIT(3) | BIT(4))) == (BIT(3) | BIT(4));
}

TEST(four_gib_with_1g_pages)
{
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * GiB, PT_WRITE | PT_NX | PT_GLOBAL), 0);
	CHECK_EQ(allocs, 2); /* PML4 and one PDPT */
	struct walk w = walk(0x12345678);
	CHECK(w.present);
	CHECK_EQ(w.pa, 0x12345678);
	CHECK_EQ(w.size, GiB);
	CHECK(writable(w) && !executable(w) && !uncached(w));
	CHECK(w.entry & BIT(8)); /* global */
	CHECK(walk(0xffffffff).present);
	CHECK(!walk(4 * GiB).present);
	CHECK(!bad_access);
}

TEST(four_gib_with_2m_pages)
{
	setup(false, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * GiB, PT_WRITE), 0);
	CHECK_EQ(allocs, 6); /* PML4, PDPT, four PDs */
	struct walk w = walk(0xfee00000);
	CHECK_EQ(w.size, 2 * MiB);
	CHECK_EQ(w.pa, 0xfee00000);
	CHECK(executable(w));
	CHECK(!bad_access);
}

TEST(only_4k_pages)
{
	setup(false, false, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 8 * MiB, PT_WRITE), 0);
	CHECK_EQ(allocs, 7); /* PML4, PDPT, PD, four PTs */
	CHECK_EQ(walk(0x7ff123).size, P);
	CHECK_EQ(walk(0x7ff123).pa, 0x7ff123);
	CHECK(!bad_access);
}

TEST(largest_page_that_fits)
{
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0x1ff000, 0x1ff000, 0x40201000 - 0x1ff000, PT_WRITE), 0);
	CHECK_EQ(walk(0x1ff000).size, P);
	CHECK_EQ(walk(0x200000).size, 2 * MiB);
	CHECK_EQ(walk(0x3fe00000).size, 2 * MiB); /* 0..1 GiB is not whole: no 1 GiB page */
	CHECK_EQ(walk(0x40000000).size, 2 * MiB);
	CHECK_EQ(walk(0x40200000).size, P);
	CHECK(!walk(0x1fe000).present);
	CHECK(!walk(0x40201000).present);
	/* va and pa misaligned to each other: 4 KiB pages only. */
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x40001000, 4 * MiB, 0), 0);
	CHECK_EQ(walk(0x40200000).size, P);
	CHECK_EQ(walk(0x40200000).pa, 0x40201000);
	/* PT_SMALL: 4 KiB pages even where a large one fits. */
	CHECK_EQ(pt_map(&pt, 0x80000000, 0x80000000, GiB, PT_SMALL), -1); /* 513 tables */
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0x200000, 0x200000, 2 * MiB, PT_SMALL), 0);
	CHECK_EQ(walk(0x200000).size, P);
	CHECK_EQ(walk(0x3ff000).size, P);
	CHECK(!bad_access);
}

TEST(non_identity_high_va)
{
	setup(true, true, true);
	uint64_t va = 0x7fffc0000000ULL;
	CHECK_EQ(pt_map(&pt, va, 0x123456000, 0x3000, PT_WRITE | PT_NX), 0);
	CHECK_EQ(walk(va + 0x2abc).pa, 0x123458abc);
	CHECK(!walk(va + 0x3000).present);
	uint64_t pa, leaf, size;
	CHECK(pt_lookup(&pt, va + 0x1004, &pa, &leaf, &size));
	CHECK_EQ(pa, 0x123457004);
	CHECK_EQ(size, P);
	CHECK(!pt_lookup(&pt, va + 0x3000, &pa, &leaf, &size));
	CHECK(!pt_lookup(&pt, PT_VA_LIMIT, &pa, &leaf, &size));
	CHECK(!bad_access);
}

TEST(split_1g_for_one_4k_page)
{
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, GiB, PT_WRITE | PT_NX | PT_UC), 0);
	CHECK_EQ(walk(0x203000).size, GiB);
	CHECK_EQ(pt_map(&pt, 0x203000, 0x203000, P, PT_WRITE), 0);
	struct walk w = walk(0x203000);
	CHECK_EQ(w.size, P);
	CHECK_EQ(w.pa, 0x203000);
	CHECK(!uncached(w) && executable(w) && writable(w));
	w = walk(0x202fff);
	CHECK_EQ(w.size, P);
	CHECK_EQ(w.pa, 0x202fff);
	CHECK(uncached(w) && !executable(w) && writable(w));
	CHECK_EQ(walk(0x204000).pa, 0x204000);
	CHECK(uncached(walk(0x3ff000)));
	w = walk(0x400000); /* the rest of the GiB: 2 MiB pages */
	CHECK_EQ(w.size, 2 * MiB);
	CHECK(uncached(w) && !executable(w));
	CHECK_EQ(walk(0x3fffffff).size, 2 * MiB);
	CHECK_EQ(walk(0x3fffffff).pa, 0x3fffffff);
	CHECK_EQ(walk(0).size, 2 * MiB);
	/* The same 2 MiB page entirely WB again: back to one 2 MiB leaf, PT freed. */
	CHECK_EQ(pt_map(&pt, 0x200000, 0x200000, 2 * MiB, PT_WRITE), 0);
	CHECK_EQ(walk(0x203000).size, 2 * MiB);
	CHECK_EQ(frees, 1);
	/* The whole GiB again: the PD is freed too. */
	CHECK_EQ(pt_map(&pt, 0, 0, GiB, PT_WRITE), 0);
	CHECK_EQ(walk(0x203000).size, GiB);
	CHECK_EQ(frees, 2);
	CHECK(!bad_access);
}

TEST(split_keeps_pat_bit)
{
	setup(false, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 2 * MiB, PT_WRITE), 0);
	/* Mark the 2 MiB leaf with PAT (bit 12), as another builder might have. */
	uint64_t *pdpt = pool[pool_index(pool[pool_index(pt.root)][0] & PTE_ADDR_MASK)];
	uint64_t *pd = pool[pool_index(pdpt[0] & PTE_ADDR_MASK)];
	CHECK(pd[0] & PTE_PS);
	pd[0] |= PTE_PAT_LARGE;
	CHECK_EQ(pt_unmap(&pt, 0x1000, P), 0);
	struct walk w = walk(0x2000);
	CHECK_EQ(w.size, P);
	CHECK_EQ(w.pa, 0x2000);
	CHECK(w.entry & PTE_PAT_4K);
	CHECK(!(w.entry & BIT(12)));
	CHECK(!walk(0x1000).present);
	CHECK(!bad_access);
}

TEST(page_zero_not_present)
{
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * GiB, PT_WRITE | PT_NX), 0);
	CHECK_EQ(pt_unmap(&pt, 0, P), 0);
	CHECK(!walk(0).present);
	CHECK(!walk(0xfff).present);
	CHECK_EQ(walk(0x1000).pa, 0x1000);
	CHECK_EQ(walk(0x1000).size, P);
	CHECK_EQ(walk(0x200000).size, 2 * MiB);
	CHECK_EQ(walk(GiB).size, GiB);
	CHECK(!bad_access);
}

TEST(unmap_of_nothing_allocates_nothing)
{
	setup(true, true, true);
	unsigned before = allocs;
	CHECK_EQ(pt_unmap(&pt, 0x1000, 64 * GiB), 0);
	CHECK_EQ(allocs, before);
	CHECK_EQ(pt_unmap(&pt, 0, 0), 0);
	CHECK_EQ(pt_map(&pt, 0, 0, 0, PT_WRITE), 0);
	CHECK_EQ(allocs, before);
}

/*
 * An image-like layout, built as paging_init() builds it: all UC+NX, RAM WB,
 * then text RX, rodata R, data RW (4 KiB pages), page 0 out.
 */
TEST(image_w_xor_x_and_uc_holes)
{
	const uint64_t text = 0x100000, rodata = 0x10d000, data = 0x110000, end = 0x11a000;

	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * GiB, PT_WRITE | PT_NX | PT_UC | PT_GLOBAL), 0);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, 0x9f000 - 0x1000, PT_WRITE | PT_NX), 0);
	CHECK_EQ(pt_map(&pt, 0x100000, 0x100000, 0xbff00000, PT_WRITE | PT_NX), 0);
	CHECK_EQ(pt_map(&pt, text, text, rodata - text, PT_SMALL), 0);
	CHECK_EQ(pt_map(&pt, rodata, rodata, data - rodata, PT_NX | PT_SMALL), 0);
	CHECK_EQ(pt_map(&pt, data, data, end - data, PT_WRITE | PT_NX | PT_SMALL), 0);
	CHECK_EQ(pt_unmap(&pt, 0, P), 0);

	for (uint64_t va = 0; va < 8 * MiB; va += P) {
		struct walk w = walk(va);

		if (va == 0) {
			CHECK(!w.present);
			continue;
		}
		CHECK(w.present);
		CHECK_EQ(w.pa, va);
		CHECK(!(writable(w) && executable(w)));
		CHECK_EQ(executable(w), va >= text && va < rodata);
		CHECK_EQ(writable(w), !(va >= text && va < data));
		CHECK_EQ(uncached(w), va >= 0x9f000 && va < 0x100000);
		if (va >= text && va < end)
			CHECK_EQ(w.size, P);
	}
	CHECK(uncached(walk(0xfee00000)) && !executable(walk(0xfee00000)));
	CHECK(uncached(walk(0xc0000000)));
	CHECK(!uncached(walk(0xbffff000)));
	CHECK_EQ(walk(0x200000).size, 2 * MiB);
	CHECK_EQ(walk(0x80000000).size, GiB);
	CHECK_EQ(walk(0xc0000000).size, GiB);
	CHECK(!bad_access);
}

TEST(nx_ignored_without_nx)
{
	setup(true, true, false);
	CHECK_EQ(pt_map(&pt, 0, 0, GiB, PT_WRITE | PT_NX), 0);
	CHECK(executable(walk(0x5000)));
	CHECK(!(walk(0x5000).entry & BIT(63)));
}

TEST(bad_arguments_refused)
{
	setup(true, true, true);
	check_log_clear();
	CHECK_EQ(pt_map(&pt, 0x1001, 0x1000, P, 0), -1);
	CHECK(strstr(check_log, "cannot map va 0x1001") != NULL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1800, P, 0), -1);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, 0x800, 0), -1);
	CHECK_EQ(pt_map(&pt, PT_VA_LIMIT - P, 0, 2 * P, 0), -1);
	CHECK_EQ(pt_map(&pt, PT_VA_LIMIT, 0, P, 0), -1);
	CHECK_EQ(pt_map(&pt, 0, PT_PHYS_LIMIT - P, 2 * P, 0), -1);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x1000, UINT64_MAX & ~0xfffULL, 0), -1); /* would wrap */
	CHECK_EQ(pt_unmap(&pt, 0x1000, 0x10), -1);
	CHECK_EQ(allocs, 1); /* nothing but the root */
	CHECK_EQ(pt_map(&pt, PT_VA_LIMIT - P, PT_PHYS_LIMIT - P, P, 0), 0); /* the last page */
	CHECK_EQ(walk(PT_VA_LIMIT - P).pa, PT_PHYS_LIMIT - P);
	CHECK(!bad_access);
}

TEST(out_of_table_pages)
{
	setup(false, false, true);
	alloc_budget = 3; /* PDPT, PD, one PT */
	check_log_clear();
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * MiB, PT_WRITE), -1);
	CHECK(strstr(check_log, "out of table pages") != NULL);
	CHECK_EQ(walk(0x1ff000).pa, 0x1ff000); /* what was mapped is sound */
	CHECK(!walk(0x200000).present);
	/* A split that cannot get its table fails too. */
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, GiB, PT_WRITE), 0);
	alloc_budget = 0;
	CHECK_EQ(pt_unmap(&pt, 0, P), -1);
	CHECK_EQ(walk(0).size, GiB);
	CHECK(!bad_access);
}

TEST(lookup_agrees_with_walk)
{
	setup(true, true, true);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * GiB, PT_WRITE | PT_UC), 0);
	CHECK_EQ(pt_map(&pt, 0x1234000, 0x1234000, 0x3000, PT_NX), 0);
	CHECK_EQ(pt_unmap(&pt, 0x20000000, 2 * MiB), 0);
	for (uint64_t va = 0; va < 4 * GiB; va += 0x1ff000 + 0x123) {
		uint64_t pa = 0, leaf = 0, size = 0;
		struct walk w = walk(va);
		bool got = pt_lookup(&pt, va, &pa, &leaf, &size);

		CHECK_EQ(got, w.present);
		if (got) {
			CHECK_EQ(pa, w.pa);
			CHECK_EQ(leaf, w.entry);
			CHECK_EQ(size, w.size);
		}
	}
	CHECK(!walk(0x20000000).present);
	CHECK(!bad_access);
}

int main(void)
{
	CHECK_MAIN("paging");
	RUN(four_gib_with_1g_pages);
	RUN(four_gib_with_2m_pages);
	RUN(only_4k_pages);
	RUN(largest_page_that_fits);
	RUN(non_identity_high_va);
	RUN(split_1g_for_one_4k_page);
	RUN(split_keeps_pat_bit);
	RUN(page_zero_not_present);
	RUN(unmap_of_nothing_allocates_nothing);
	RUN(image_w_xor_x_and_uc_holes);
	RUN(nx_ignored_without_nx);
	RUN(bad_arguments_refused);
	RUN(out_of_table_pages);
	RUN(lookup_agrees_with_walk);
	return CHECK_END();
}
