/*
 * x86-64 4-level paging: entry bits as the Intel SDM names them, a page-table
 * builder, and the hypervisor's own identity map.
 *
 * The builder (struct pt_ctx, pt_*) is pure: it gets table pages from a callback
 * and reaches them through a phys->virt callback, so host tests can run it on
 * a buffer. It maps only the lower canonical half (virtual addresses < 2^47).
 */
#ifndef TESSERA_ARCH_X86_PAGING_H
#define TESSERA_ARCH_X86_PAGING_H

#include "lib/types.h"
#include "boot/boot_info.h"

/* Page-table entry bits (SDM Vol. 3A, 4.5). */
#define PTE_P	      BIT(0)
#define PTE_RW	      BIT(1)
#define PTE_US	      BIT(2)
#define PTE_PWT	      BIT(3)
#define PTE_PCD	      BIT(4)
#define PTE_A	      BIT(5)
#define PTE_D	      BIT(6)
#define PTE_PS	      BIT(7) /* in a PDPTE or PDE: maps a 1 GiB / 2 MiB page */
#define PTE_PAT_4K    BIT(7) /* in a PTE */
#define PTE_G	      BIT(8)
#define PTE_PAT_LARGE BIT(12) /* in a 1 GiB / 2 MiB leaf */
#define PTE_XD	      BIT(63) /* execute-disable (needs EFER.NXE) */
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PT_ENTRIES    512
#define PT_VA_LIMIT   BIT(47) /* end of the lower canonical half */
#define PT_PHYS_LIMIT BIT(52)

/* What a mapping allows: pt_map() flags. Without PT_WRITE it is read-only. */
#define PT_WRITE  BIT(0)
#define PT_NX	  BIT(1) /* no execute; ignored when pt_ctx.nx is false */
#define PT_UC	  BIT(2) /* uncached: PCD|PWT, PAT entry 3 (UC) at reset */
#define PT_GLOBAL BIT(3)
#define PT_SMALL  BIT(4) /* 4 KiB pages only */

struct pt_ctx {
	uint64_t root; /* physical address of the PML4 */
	/* A zeroed, 4 KiB aligned page; its physical address, 0 when none. */
	uint64_t (*alloc_table)(void *opaque);
	/* Gives back a table page no longer referenced; may be NULL (then leaked). */
	void (*free_table)(void *opaque, uint64_t pa);
	/* Where a table page at physical pa can be read and written. */
	uint64_t *(*table_ptr)(void *opaque, uint64_t pa);
	void *opaque;
	bool use_1g; /* 1 GiB pages allowed (CPUID.80000001:EDX[26]) */
	bool use_2m; /* 2 MiB pages allowed */
	bool nx;     /* XD bit usable (EFER.NXE set); else PT_NX is ignored */
};

/* Allocates the root table. Returns 0, or -1 when alloc_table fails. */
int pt_init(struct pt_ctx *pt);

/*
 * Maps virtual [va, va + len) to physical [pa, pa + len) with `flags` (PT_*),
 * replacing whatever was mapped there: larger pages are split where only part of
 * them changes, and the largest allowed page size is used where va, pa and the
 * remaining length line up. All three must be 4 KiB aligned, va + len <= 2^47,
 * pa + len <= 2^52. Returns 0, or -1 (bad arguments, or out of table pages:
 * the range may then be partly mapped).
 */
int pt_map(struct pt_ctx *pt, uint64_t va, uint64_t pa, uint64_t len, uint32_t flags);

/* Makes [va, va + len) not present. Same rules and result as pt_map(). */
int pt_unmap(struct pt_ctx *pt, uint64_t va, uint64_t len);

/*
 * Walks the tables for va. Returns true when mapped, with the physical address,
 * the leaf entry and the page size (4 KiB, 2 MiB or 1 GiB).
 */
bool pt_lookup(const struct pt_ctx *pt, uint64_t va, uint64_t *pa, uint64_t *leaf,
	       uint64_t *page_size);

#ifndef HOST_TEST
/*
 * Builds the hypervisor's identity map of [0, max(4 GiB, top of the memory map)):
 * RAM write-back, the rest uncached, everything no-execute except the image's
 * text, the image W^X, page 0 not present. Sets EFER.NXE (when the CPU has NX)
 * and CR4.PGE, then loads CR3. Table pages come from alloc_pages(): below 4 GiB.
 */
void paging_init(const struct boot_info *bi);

/* The hypervisor's CR3 value, for APs (below 4 GiB: loadable from 32-bit code). */
uint64_t paging_hv_cr3(void);

/*
 * Whether the hypervisor's tables use the XD bit: then every CPU must set
 * EFER.NXE before it loads paging_hv_cr3(), or the XD bits are reserved bits.
 */
bool paging_hv_nx(void);

/*
 * Changes the hypervisor's map of [pa, pa + len) (identity) to `flags`, e.g. to
 * make the AP trampoline page executable or map MMIO above the initial top.
 * Flushes this CPU's TLB only: use it before other CPUs run, or shoot down.
 */
void paging_hv_map(uint64_t pa, uint64_t len, uint32_t flags);
#endif

#endif
