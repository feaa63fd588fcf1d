/* arch/x86/mm/spp.c: the sub-page permission table builder, over fake table pages. */
#include "tests/unit/check.h"
#include "arch/x86/mm/spp.h"

#define POOL_PAGES 16
#define POOL_BASE  0x200000ULL

#include "tests/unit/fake_table_pool.h"

static struct spp_table new_table(void)
{
	struct spp_table t = {.alloc_table = fake_alloc, .table_ptr = fake_ptr};

	pool_used = 0;
	pool_limit = POOL_PAGES;
	if (spp_init(&t))
		abort();
	return t;
}

TEST(mask_encoding)
{
	CHECK_EQ(spp_mask_to_leaf(0), 0);
	CHECK_EQ(spp_mask_to_leaf(1), 1);
	CHECK_EQ(spp_mask_to_leaf(2), 4);
	CHECK_EQ(spp_mask_to_leaf(0x80000000u), 1ULL << 62);
	CHECK_EQ(spp_mask_to_leaf(SPP_MASK_ALL), 0x5555555555555555ULL);
	CHECK_EQ(spp_mask_to_leaf(0xdeadbeef) & SPPT_LEAF_ODD, 0);
	/* 3m + 1 permutes the 32-bit values: bounded, or it walks all 2^32 of them. */
	uint32_t m = 1;
	for (uint32_t i = 0; i < 100000; i++, m = m * 3 + 1)
		if (spp_leaf_to_mask(spp_mask_to_leaf(m)) != m) {
			CHECK(!"round trip");
			return;
		}
	CHECK_EQ(spp_leaf_to_mask(SPPT_LEAF_ODD), 0); /* odd bits do not count */
	CHECK_EQ(spp_subpage(0x1000), 0);
	CHECK_EQ(spp_subpage(0x107f), 0);
	CHECK_EQ(spp_subpage(0x1080), 1);
	CHECK_EQ(spp_subpage(0x1fff), 31);
}

TEST(set_and_get)
{
	struct spp_table t = new_table();
	uint32_t mask = 0;

	CHECK(!spp_get(&t, 0x5000, &mask));
	CHECK_EQ(spp_set(&t, 0x5000, 0x0000ff0f), 0);
	CHECK_EQ(t.nr_tables, 4);
	CHECK(spp_get(&t, 0x5000, &mask));
	CHECK_EQ(mask, 0x0000ff0f);
	CHECK(spp_get(&t, 0x5fff, &mask)); /* any address of the page */
	CHECK_EQ(mask, 0x0000ff0f);
	/* The layout the CPU walks: valid table entries, the leaf at its index. */
	CHECK_EQ(pool[0][0], (POOL_BASE + 4096) | SPPT_VALID);
	CHECK_EQ(pool[1][0], (POOL_BASE + 2 * 4096) | SPPT_VALID);
	CHECK_EQ(pool[2][0], (POOL_BASE + 3 * 4096) | SPPT_VALID);
	CHECK_EQ(pool[3][5], spp_mask_to_leaf(0x0000ff0f));
	/* A neighbour in the same leaf table has no tables of its own... */
	CHECK_EQ(spp_set(&t, 0x6000, 0), 0);
	CHECK_EQ(t.nr_tables, 4);
	CHECK(spp_get(&t, 0x6000, &mask));
	CHECK_EQ(mask, 0);
	/* ...one far away does; changing a mask makes none. */
	CHECK_EQ(spp_set(&t, 0x8000000000ULL + 0x40000000, SPP_MASK_ALL), 0);
	CHECK_EQ(t.nr_tables, 7);
	CHECK_EQ(spp_set(&t, 0x5000, 1), 0);
	CHECK_EQ(t.nr_tables, 7);
	CHECK(spp_get(&t, 0x5000, &mask));
	CHECK_EQ(mask, 1);
	CHECK(spp_get(&t, 0x8000000000ULL + 0x40000000, &mask));
	CHECK_EQ(mask, SPP_MASK_ALL);
	CHECK(!spp_get(&t, 0x8000000000ULL, &mask));
}

TEST(bad_arguments)
{
	struct spp_table t = new_table();
	uint32_t mask;

	CHECK_EQ(spp_set(&t, 0x5080, 0), -1);
	CHECK_EQ(spp_set(&t, 1ULL << 48, 0), -1);
	CHECK(!spp_get(&t, 1ULL << 48, &mask));
	CHECK_EQ(t.nr_tables, 1);
	pool_limit = pool_used + 2; /* two of the three tables a leaf needs */
	CHECK_EQ(spp_set(&t, 0x5000, 0), -1);
	CHECK(!spp_get(&t, 0x5000, &mask));
	struct spp_table none = {.alloc_table = fake_alloc, .table_ptr = fake_ptr};
	pool_limit = pool_used;
	CHECK_EQ(spp_init(&none), -1);
	CHECK_EQ(spp_set(&none, 0, 0), -1);
	CHECK(!spp_get(&none, 0, &mask));
}

int main(void)
{
	CHECK_MAIN("spp");
	RUN(mask_encoding);
	RUN(set_and_get);
	RUN(bad_arguments);
	return CHECK_END();
}
