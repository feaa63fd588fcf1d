/* The sub-page permission table builder: see spp.h. Levels 4 (top) to 1 (leaves). */
#include "arch/x86/mm/spp.h"

#define SPP_ENTRIES   512
#define SPP_GPA_LIMIT BIT(48)

static unsigned index_at(uint64_t gpa, int level)
{
	return (unsigned)(gpa >> (12 + 9 * (level - 1))) & (SPP_ENTRIES - 1);
}

int spp_init(struct spp_table *t)
{
	t->nr_tables = 0;
	t->root = t->alloc_table(t->opaque);
	if (!t->root)
		return -1;
	t->nr_tables = 1;
	return 0;
}

/* The leaf entry for gpa; with create, the missing tables are made. NULL: none. */
static uint64_t *leaf_entry(const struct spp_table *t, uint64_t gpa, bool create, uint32_t *made)
{
	uint64_t table = t->root;

	for (int level = 4; level > 1; level--) {
		uint64_t *e = &t->table_ptr(t->opaque, table)[index_at(gpa, level)];

		if (!(*e & SPPT_VALID)) {
			uint64_t pa = create ? t->alloc_table(t->opaque) : 0;

			if (!pa)
				return NULL;
			(*made)++;
			*e = pa | SPPT_VALID;
		}
		table = *e & SPPT_ADDR_MASK;
	}
	return &t->table_ptr(t->opaque, table)[index_at(gpa, 1)];
}

int spp_set(struct spp_table *t, uint64_t gpa, uint32_t mask)
{
	uint32_t made = 0;

	if (!IS_ALIGNED(gpa, PAGE_SIZE) || gpa >= SPP_GPA_LIMIT || !t->root)
		return -1;
	uint64_t *leaf = leaf_entry(t, gpa, true, &made);

	t->nr_tables += made;
	if (!leaf)
		return -1;
	*leaf = spp_mask_to_leaf(mask);
	return 0;
}

bool spp_get(const struct spp_table *t, uint64_t gpa, uint32_t *mask)
{
	uint32_t made = 0;

	if (gpa >= SPP_GPA_LIMIT || !t->root)
		return false;
	const uint64_t *leaf = leaf_entry(t, gpa & ~(uint64_t)(PAGE_SIZE - 1), false, &made);

	if (!leaf)
		return false;
	*mask = spp_leaf_to_mask(*leaf);
	return true;
}
