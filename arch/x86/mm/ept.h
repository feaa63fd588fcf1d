/*
 * Extended page tables: entry bits as the Intel SDM names them (Vol. 3C, 29.3)
 * and a builder for one partition's guest-physical -> host-physical map.
 *
 * The builder is pure: table pages come from a callback and are reached through
 * a phys->virt callback, so host tests run it on a buffer. 4-level tables only
 * (guest-physical addresses below 2^48).
 *
 * Every entry the builder writes has "suppress #VE" set (bit 63), the
 * non-present ones included: an EPT violation is a VM exit unless a leaf is
 * meant to raise #VE (sub-page protection, docs/memory-protection.md), which
 * clears the bit with ept_update_4k().
 */
#ifndef TESSERA_ARCH_X86_EPT_H
#define TESSERA_ARCH_X86_EPT_H

#include "lib/types.h"
#include "arch/x86/vmx/vmx_caps.h"

#define EPT_READ	  BIT(0)
#define EPT_WRITE	  BIT(1)
#define EPT_EXEC	  BIT(2) /* supervisor-mode execute with mode-based control */
#define EPT_RWX		  (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MEMTYPE_SHIFT 3 /* bits 5:3 of a leaf */
#define EPT_MEMTYPE_UC	  0
#define EPT_MEMTYPE_WB	  6
#define EPT_IGNORE_PAT	  BIT(6)
#define EPT_LARGE	  BIT(7) /* in a PDPTE or PDE: maps a 1 GiB / 2 MiB page */
#define EPT_ACCESSED	  BIT(8)
#define EPT_DIRTY	  BIT(9)
#define EPT_USER_EXEC	  BIT(10) /* user-mode execute, with mode-based control (MBEC) */
#define EPT_PERM_MASK	  (EPT_RWX | EPT_USER_EXEC)
#define EPT_SPP		  BIT(61) /* a 4 KiB leaf whose writes the SPP table decides */
#define EPT_SUPPRESS_VE	  BIT(63)
#define EPT_ADDR_MASK	  0x000ffffffffff000ULL
#define EPT_GPA_LIMIT	  BIT(48)
#define EPT_ENTRIES	  512

/* EPTP (SDM 25.6.11): memory type of the tables, walk length - 1, A/D enable. */
#define EPTP_MEMTYPE_WB	   6
#define EPTP_WALK_4	   (3 << 3)
#define EPTP_AD_ENABLE	   BIT(6)
#define EPTP_WALK_MASK	   (7 << 3)
#define EPTP_RESERVED_11_7 0xf80ULL

struct ept {
	uint64_t root; /* physical address of the EPT PML4 */
	uint64_t eptp;
	/* A zeroed, 4 KiB aligned page: its physical address, 0 when none. */
	uint64_t (*alloc_table)(void *opaque);
	uint64_t *(*table_ptr)(void *opaque, uint64_t pa);
	void *opaque;
	bool use_1g, use_2m; /* page sizes the CPU supports (IA32_VMX_EPT_VPID_CAP) */
	bool ad;	     /* turn on accessed/dirty flags in the EPTP */
	/*
	 * Mode-based execute control is on: EPT_EXEC is supervisor-mode execute,
	 * EPT_USER_EXEC user-mode execute, and a table entry needs both.
	 */
	bool mbec;
	uint32_t nr_tables;
};

/*
 * Pure: sets e->use_2m and e->use_1g to the large page sizes that every one of
 * the n CPUs in caps[] supports (IA32_VMX_EPT_VPID_CAP), since one EPT serves
 * all of a partition's CPUs. With n == 0, 4 KiB pages only.
 */
void ept_choose_page_sizes(struct ept *e, const struct vmx_caps *const caps[], uint32_t n);

/* Allocates the root and computes the EPTP. Returns 0, or -1 when out of pages. */
int ept_init(struct ept *e);

/*
 * Maps guest-physical [gpa, gpa + len) to host-physical [hpa, hpa + len) with
 * permissions `perms` (EPT_READ/WRITE/EXEC, EPT_USER_EXEC only with e->mbec;
 * may be execute-only where the CPU allows) and memory type `memtype`,
 * replacing what was there: a large page is split where only part of it
 * changes; the largest allowed page is used where gpa, hpa and the length line
 * up. All 4 KiB aligned, gpa + len <= 2^48, hpa + len <= 2^52, perms nonzero.
 * Returns 0, or -1 (bad arguments, out of pages).
 */
int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, uint32_t perms,
	    uint32_t memtype);

/*
 * The execute-only alias (docs/memory-protection.md): maps [gpa, gpa + len) to
 * hpa twice, with `perms` at gpa and `alias_perms` at gpa | 2^alias_bit, the
 * largest pages that fit in both. gpa + len must stay below 2^alias_bit, and
 * alias_bit below 48. Returns 0, or -1.
 */
int ept_map_alias(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t len, uint32_t perms,
		  uint32_t alias_perms, unsigned alias_bit, uint32_t memtype);

/*
 * Makes the leaf mapping gpa a 4 KiB page (splitting the large page over it:
 * its other 511 pages keep their mapping) and sets it to (leaf & ~clear) | set.
 * Only permission, SPP and suppress-#VE bits may be in clear and set. With old
 * non-NULL, *old gets the leaf as it was. Returns 0, or -1 (gpa not 4 KiB
 * aligned or not mapped, bad bits, out of pages). The caller invalidates
 * (INVEPT) on every CPU that uses the EPT.
 */
int ept_update_4k(struct ept *e, uint64_t gpa, uint64_t clear, uint64_t set, uint64_t *old);

/* Walks the tables: true when gpa is mapped, with hpa, the leaf entry and page size. */
bool ept_lookup(const struct ept *e, uint64_t gpa, uint64_t *hpa, uint64_t *leaf,
		uint64_t *page_size);

#endif
