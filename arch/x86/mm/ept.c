/* The EPT builder: see ept.h. Levels are numbered 4 (PML4) down to 1 (PT). */
#include "arch/x86/mm/ept.h"

static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

static bool entry_present(uint64_t e)
{
	return (e & EPT_RWX) != 0;
}

static bool leaf_allowed(const struct ept *e, int level)
{
	return level == 1 || (level == 2 && e->use_2m) || (level == 3 && e->use_1g);
}

static uint64_t new_table(struct ept *e)
{
	uint64_t pa = e->alloc_table(e->opaque);

	if (pa)
		e->nr_tables++;
	return pa;
}

/* Replaces a large leaf by a table of 512 smaller leaves with the same mapping. */
static uint64_t split_large(struct ept *e, uint64_t leaf, int level)
{
	uint64_t pa = new_table(e);
	uint64_t sub = 1ULL << level_shift(level - 1);
	uint64_t bits = leaf & ~EPT_ADDR_MASK;

	if (!pa)
		return 0;
	if (level - 1 == 1)
		bits &= ~EPT_LARGE;
	uint64_t *t = e->table_ptr(e->opaque, pa);
	for (unsigned i = 0; i < EPT_ENTRIES; i++)
		t[i] = ((leaf & EPT_ADDR_MASK) + i * sub) | bits;
	return pa;
}

static int map_level(struct ept *e, uint64_t table_pa, int level, uint64_t gpa, uint64_t hpa,
		     uint64_t len, uint64_t leaf_bits)
{
	uint64_t *t = e->table_ptr(e->opaque, table_pa);
	unsigned shift = level_shift(level);
	uint64_t size = 1ULL << shift;

	while (len) {
		uint64_t *entry = &t[(gpa >> shift) & (EPT_ENTRIES - 1)];
		uint64_t chunk = MIN(len, size - (gpa & (size - 1)));

		if (level == 1) {
			*entry = hpa | leaf_bits;
		} else if (leaf_allowed(e, level) && chunk == size && IS_ALIGNED(hpa, size)) {
			/* A table that was here is dropped: tables are not reused. */
			*entry = hpa | leaf_bits | EPT_LARGE;
		} else {
			uint64_t next;

			if (!entry_present(*entry))
				next = new_table(e);
			else if (*entry & EPT_LARGE)
				next = split_large(e, *entry, level);
			else
				next = *entry & EPT_ADDR_MASK;
			if (!next)
				return -1;
			*entry = next | EPT_RWX;
			if (map_level(e, next, level - 1, gpa, hpa, chunk, leaf_bits))
				return -1;
		}
		gpa += chunk;
		hpa += chunk;
		len -= chunk;
	}
	return 0;
}

void ept_choose_page_sizes(struct ept *e, const struct vmx_caps *const caps[], uint32_t n)
{
	e->use_2m = e->use_1g = n > 0;
	for (uint32_t i = 0; i < n; i++) {
		e->use_2m &= caps[i]->ept_2m;
		e->use_1g &= caps[i]->ept_1g;
	}
}

int ept_init(struct ept *e)
{
	e->nr_tables = 0;
	e->root = new_table(e);
	if (!e->root)
		return -1;
	e->eptp = e->root | EPTP_MEMTYPE_WB | EPTP_WALK_4 | (e->ad ? EPTP_AD_ENABLE : 0);
	return 0;
}

int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, uint32_t perms,
	    uint32_t memtype)
{
	if (!IS_ALIGNED(gpa | hpa | len, PAGE_SIZE) || !len || !(perms & EPT_RWX) ||
	    (perms & ~(uint32_t)EPT_RWX) || memtype > 7 || gpa >= EPT_GPA_LIMIT ||
	    len > EPT_GPA_LIMIT - gpa || hpa >= BIT(52) || len > BIT(52) - hpa)
		return -1;
	return map_level(e, e->root, 4, gpa, hpa, len,
			 perms | ((uint64_t)memtype << EPT_MEMTYPE_SHIFT));
}

bool ept_lookup(const struct ept *e, uint64_t gpa, uint64_t *hpa, uint64_t *leaf,
		uint64_t *page_size)
{
	uint64_t table = e->root;

	if (gpa >= EPT_GPA_LIMIT)
		return false;
	for (int level = 4; level >= 1; level--) {
		unsigned shift = level_shift(level);
		uint64_t entry = e->table_ptr(e->opaque, table)[(gpa >> shift) & (EPT_ENTRIES - 1)];

		if (!entry_present(entry))
			return false;
		if (level == 1 || (entry & EPT_LARGE)) {
			uint64_t size = 1ULL << shift;

			*hpa = (entry & EPT_ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));
			*leaf = entry;
			*page_size = size;
			return true;
		}
		table = entry & EPT_ADDR_MASK;
	}
	return false;
}
