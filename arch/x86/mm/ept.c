/* The EPT builder: see ept.h. Levels are numbered 4 (PML4) down to 1 (PT). */
#include "arch/x86/mm/ept.h"

static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

/* Present: any permission bit (SDM 29.3.2; bit 10 counts only with MBEC, which we set only then).
 */
static bool entry_present(uint64_t e)
{
	return (e & EPT_PERM_MASK) != 0;
}

/* A table entry's permissions: everything, the leaves decide. */
static uint64_t table_perms(const struct ept *e)
{
	return EPT_RWX | (e->mbec ? EPT_USER_EXEC : 0);
}

static bool leaf_allowed(const struct ept *e, int level)
{
	return level == 1 || (level == 2 && e->use_2m) || (level == 3 && e->use_1g);
}

/* A table of non-present entries, each with "suppress #VE" (see ept.h). */
static uint64_t new_table(struct ept *e)
{
	uint64_t pa = e->alloc_table(e->opaque);

	if (pa) {
		uint64_t *t = e->table_ptr(e->opaque, pa);

		for (unsigned i = 0; i < EPT_ENTRIES; i++)
			t[i] = EPT_SUPPRESS_VE;
		e->nr_tables++;
	}
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
			*entry = next | table_perms(e) | EPT_SUPPRESS_VE;
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
	uint32_t allowed = e->mbec ? (uint32_t)EPT_PERM_MASK : (uint32_t)EPT_RWX;

	if (!IS_ALIGNED(gpa | hpa | len, PAGE_SIZE) || !len || !(perms & allowed) ||
	    (perms & ~allowed) || memtype > 7 || gpa >= EPT_GPA_LIMIT ||
	    len > EPT_GPA_LIMIT - gpa || hpa >= BIT(52) || len > BIT(52) - hpa)
		return -1;
	return map_level(e, e->root, 4, gpa, hpa, len,
			 perms | ((uint64_t)memtype << EPT_MEMTYPE_SHIFT) | EPT_SUPPRESS_VE);
}

int ept_map_alias(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, uint32_t perms,
		  uint32_t alias_perms, unsigned alias_bit, uint32_t memtype)
{
	uint64_t alias = BIT(alias_bit & 63);

	if (alias_bit < 12 || alias_bit >= 48 || gpa >= alias || len > alias - gpa)
		return -1;
	if (ept_map(e, gpa, hpa, len, perms, memtype))
		return -1;
	return ept_map(e, gpa | alias, hpa, len, alias_perms, memtype);
}

/* The 4 KiB leaf for gpa, splitting large pages on the way; NULL when unmapped. */
static uint64_t *leaf_4k(struct ept *e, uint64_t gpa)
{
	uint64_t table = e->root;

	for (int level = 4; level > 1; level--) {
		uint64_t *entry = &e->table_ptr(
		    e->opaque, table)[(gpa >> level_shift(level)) & (EPT_ENTRIES - 1)];

		if (!entry_present(*entry))
			return NULL;
		if (*entry & EPT_LARGE) {
			uint64_t next = split_large(e, *entry, level);

			if (!next)
				return NULL;
			*entry = next | table_perms(e) | EPT_SUPPRESS_VE;
		}
		table = *entry & EPT_ADDR_MASK;
	}
	uint64_t *leaf = &e->table_ptr(e->opaque, table)[(gpa >> 12) & (EPT_ENTRIES - 1)];

	return entry_present(*leaf) ? leaf : NULL;
}

int ept_update_4k(struct ept *e, uint64_t gpa, uint64_t clear, uint64_t set, uint64_t *old)
{
	const uint64_t may = EPT_PERM_MASK | EPT_SPP | EPT_SUPPRESS_VE;

	if (!IS_ALIGNED(gpa, PAGE_SIZE) || gpa >= EPT_GPA_LIMIT || ((clear | set) & ~may) ||
	    (!e->mbec && ((clear | set) & EPT_USER_EXEC)))
		return -1;
	uint64_t *leaf = leaf_4k(e, gpa);

	if (!leaf)
		return -1;
	if (old)
		*old = *leaf;
	*leaf = (*leaf & ~clear) | set;
	return 0;
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
