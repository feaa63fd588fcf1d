/* A guest's page tables, walked from the top level down (see guest_walk.h). */
#include "arch/x86/mm/guest_walk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

#define PTE_P	     BIT(0)
#define PTE_PS	     BIT(7)
#define ADDR_MASK    0x000ffffffffff000ull /* bits 51:12 */
#define PDPTE32_MASK 0xffffffe0ull	   /* CR3 bits 31:5 in PAE mode */

struct level {
	unsigned shift; /* the linear-address bits this level indexes start here */
	bool large_ok;	/* PS may map a page at this level */
};

static bool read_entry(guest_phys_read_t read, void *ctx, uint64_t gpa, unsigned size, uint64_t *e)
{
	uint32_t e32;

	*e = 0;
	if (size == 4) {
		if (!read(ctx, gpa, &e32, 4))
			return false;
		*e = e32;
		return true;
	}
	return read(ctx, gpa, e, 8);
}

/* 32-bit paging: two levels of 4-byte entries; 4 MiB pages with CR4.PSE (PSE-36 bits). */
static int walk32(const struct guest_paging *pg, uint32_t la, guest_phys_read_t read, void *ctx,
		  uint64_t *gpa)
{
	uint64_t pde, pte;

	if (!read_entry(read, ctx, (pg->cr3 & 0xfffff000u) + (la >> 22) * 4, 4, &pde) ||
	    !(pde & PTE_P))
		return -1;
	if ((pde & PTE_PS) && (pg->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000u) | ((pde >> 13) & 0xff) << 32 | (la & 0x3fffff);
		return 0;
	}
	if (!read_entry(read, ctx, (pde & 0xfffff000u) + ((la >> 12) & 0x3ff) * 4, 4, &pte) ||
	    !(pte & PTE_P))
		return -1;
	*gpa = (pte & 0xfffff000u) | (la & 0xfff);
	return 0;
}

/* PAE, 4-level and 5-level paging: 8-byte entries, 9 bits a level. */
static int walk64(uint64_t table, uint64_t la, const struct level *levels, unsigned n,
		  guest_phys_read_t read, void *ctx, uint64_t *gpa)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned shift = levels[i].shift;
		uint64_t e, index = (la >> shift) & (i == 0 && shift == 30 ? 3 : 0x1ff);

		if (!read_entry(read, ctx, table + index * 8, 8, &e) || !(e & PTE_P))
			return -1;
		if (shift > 12 && (e & PTE_PS)) {
			uint64_t page = 1ull << shift;

			if (!levels[i].large_ok || (e & ADDR_MASK & (page - 1) & ~0x1fffull))
				return -1; /* PS where none may be, or reserved low address bits */
			*gpa = (e & ADDR_MASK & ~(page - 1)) | (la & (page - 1));
			return 0;
		}
		if (shift == 12) {
			*gpa = (e & ADDR_MASK) | (la & 0xfff);
			return 0;
		}
		table = e & ADDR_MASK;
	}
	return -1;
}

int guest_walk(const struct guest_paging *pg, uint64_t la, guest_phys_read_t read, void *ctx,
	       uint64_t *gpa)
{
	static const struct level five[] = {
	    {48, false}, {39, false}, {30, true}, {21, true}, {12, false}};
	static const struct level pae[] = {{30, false}, {21, true}, {12, false}};

	if (!(pg->cr0 & CR0_PG)) {
		*gpa = (pg->efer & EFER_LMA) ? la : (uint32_t)la;
		return 0;
	}
	if (!(pg->cr4 & CR4_PAE))
		return walk32(pg, (uint32_t)la, read, ctx, gpa);
	if (!(pg->efer & EFER_LMA))
		return walk64(pg->cr3 & PDPTE32_MASK, (uint32_t)la, pae, 3, read, ctx, gpa);
	if (pg->cr4 & CR4_LA57)
		return walk64(pg->cr3 & ADDR_MASK, la, five, 5, read, ctx, gpa);
	return walk64(pg->cr3 & ADDR_MASK, la, five + 1, 4, read, ctx, gpa);
}
