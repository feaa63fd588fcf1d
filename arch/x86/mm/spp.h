/*
 * The sub-page permission table (SPPT, SDM Vol. 3C 29.3.4): for each 4 KiB
 * guest page whose EPT leaf has EPT_SPP set, which of its 32 sub-pages of 128
 * bytes may be written. Four levels indexed like the EPT's; a table entry
 * holds the next table's address and bit 0 (valid); a leaf holds the write
 * permission of sub-page i in bit 2i, its odd bits reserved.
 *
 * The builder is pure, like the EPT's (arch/x86/mm/ept.h): tables come from a
 * callback and are reached through another, so host tests run it on a buffer.
 */
#ifndef TESSERA_ARCH_X86_SPP_H
#define TESSERA_ARCH_X86_SPP_H

#include "lib/types.h"

#define SPP_SUBPAGES	  32
#define SPP_SUBPAGE_SHIFT 7 /* 128 bytes */
#define SPP_SUBPAGE_SIZE  (1u << SPP_SUBPAGE_SHIFT)
#define SPPT_VALID	  BIT(0)
#define SPPT_ADDR_MASK	  0x000ffffffffff000ULL
#define SPPT_LEAF_ODD	  0xaaaaaaaaaaaaaaaaULL /* reserved bits of a leaf */
#define SPP_MASK_ALL	  0xffffffffu		/* every sub-page writable */

struct spp_table {
	uint64_t root; /* physical address of the SPPT's top table: the VMCS SPPTP */
	/* A zeroed, 4 KiB aligned page: its physical address, 0 when none. */
	uint64_t (*alloc_table)(void *opaque);
	uint64_t *(*table_ptr)(void *opaque, uint64_t pa);
	void *opaque;
	uint32_t nr_tables;
};

/* Sub-page i writable (bit i of mask) as the leaf's bit 2i. */
static inline uint64_t spp_mask_to_leaf(uint32_t mask)
{
	uint64_t leaf = 0;

	for (unsigned i = 0; i < SPP_SUBPAGES; i++)
		leaf |= (uint64_t)((mask >> i) & 1) << (2 * i);
	return leaf;
}

/* The inverse; the odd (reserved) bits are ignored. */
static inline uint32_t spp_leaf_to_mask(uint64_t leaf)
{
	uint32_t mask = 0;

	for (unsigned i = 0; i < SPP_SUBPAGES; i++)
		mask |= (uint32_t)((leaf >> (2 * i)) & 1) << i;
	return mask;
}

/* The sub-page of a guest-physical address (0-31). */
static inline unsigned spp_subpage(uint64_t gpa)
{
	return (unsigned)((gpa & 0xfff) >> SPP_SUBPAGE_SHIFT);
}

/* Allocates the top table. Returns 0, or -1 when out of pages. */
int spp_init(struct spp_table *t);

/*
 * Sets the write mask of the 4 KiB page at gpa (4 KiB aligned, below 2^48),
 * creating the tables on the way. Returns 0, or -1 (bad gpa, out of pages).
 * The caller invalidates (INVEPT) on every CPU that uses the table.
 */
int spp_set(struct spp_table *t, uint64_t gpa, uint32_t mask);

/* The write mask of the page at gpa: true with *mask, false when it has none. */
bool spp_get(const struct spp_table *t, uint64_t gpa, uint32_t *mask);

#endif
