/*
 * x86-64 4-level page tables: a pure builder (pt_*), and the hypervisor's own
 * identity map built with it (paging_init and friends, not in host tests).
 *
 * Levels are numbered as the walk sees them: 4 = PML4, 3 = PDPT (1 GiB leaves),
 * 2 = PD (2 MiB leaves), 1 = PT (4 KiB pages).
 */
#include "arch/x86/mm/paging.h"
#include "lib/log.h"

#define PT_INDEX_MASK (PT_ENTRIES - 1)

static unsigned level_shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

static uint64_t level_size(int level)
{
	return 1ULL << level_shift(level);
}

/* Whether a leaf may sit at this level (a 1 GiB or 2 MiB page). */
static bool leaf_allowed(const struct pt_ctx *pt, int level, uint32_t flags)
{
	if (flags & PT_SMALL)
		return false;
	return (level == 3 && pt->use_1g) || (level == 2 && pt->use_2m);
}

static uint64_t leaf_bits(const struct pt_ctx *pt, uint32_t flags)
{
	/* A and D preset: the CPU then never writes back into the tables. */
	uint64_t e = PTE_P | PTE_A;

	if (flags & PT_WRITE)
		e |= PTE_RW | PTE_D;
	if (flags & PT_UC)
		e |= PTE_PCD | PTE_PWT;
	if (flags & PT_GLOBAL)
		e |= PTE_G;
	if ((flags & PT_NX) && pt->nx)
		e |= PTE_XD;
	return e;
}

static uint64_t *table_at(const struct pt_ctx *pt, uint64_t pa)
{
	return pt->table_ptr(pt->opaque, pa);
}

/* Frees the table at pa (holding entries of `level`) and every table below it. */
static void free_subtree(struct pt_ctx *pt, uint64_t pa, int level)
{
	if (level > 1) {
		uint64_t *t = table_at(pt, pa);

		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
				free_subtree(pt, t[i] & PTE_ADDR_MASK, level - 1);
	}
	if (pt->free_table)
		pt->free_table(pt->opaque, pa);
}

/* Before entry e at `level` is overwritten: release the tables it points to. */
static void release_entry(struct pt_ctx *pt, uint64_t e, int level)
{
	if (level > 1 && (e & PTE_P) && !(e & PTE_PS))
		free_subtree(pt, e & PTE_ADDR_MASK, level - 1);
}

/*
 * Replaces the large leaf *e at `level` by a table of 512 next-smaller pages
 * with the same attributes (the PAT bit moves from bit 12 to bit 7 in PTEs).
 */
static int split_leaf(struct pt_ctx *pt, uint64_t *e, int level)
{
	uint64_t table = pt->alloc_table(pt->opaque);
	uint64_t child = level_size(level - 1);
	uint64_t base = *e & PTE_ADDR_MASK & ~(level_size(level) - 1);
	uint64_t attrs = *e & ~PTE_ADDR_MASK;
	uint64_t *t;

	if (!table)
		return -1;
	if (level - 1 == 1) {
		attrs &= ~PTE_PS;
		if (*e & PTE_PAT_LARGE)
			attrs |= PTE_PAT_4K;
	} else if (*e & PTE_PAT_LARGE) {
		attrs |= PTE_PAT_LARGE;
	}
	t = table_at(pt, table);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		t[i] = (base + i * child) | attrs;
	*e = table | PTE_P | PTE_RW;
	return 0;
}

/*
 * Sets [va, end) in the table at table_pa (entries of `level`) to map pa
 * onward with leaf bits `bits`, or to not present when bits == 0.
 */
static int set_range(struct pt_ctx *pt, uint64_t table_pa, int level, uint64_t va, uint64_t end,
		     uint64_t pa, uint64_t bits, uint32_t flags)
{
	uint64_t *t = table_at(pt, table_pa);
	uint64_t size = level_size(level);

	while (va < end) {
		uint64_t *e = &t[(va >> level_shift(level)) & PT_INDEX_MASK];
		uint64_t next = MIN(end, ALIGN_DOWN(va, size) + size);
		bool whole = IS_ALIGNED(va, size) && next - va == size;

		if (level == 1) {
			*e = bits ? pa | bits : 0;
		} else if (whole && !bits) {
			release_entry(pt, *e, level);
			*e = 0;
		} else if (whole && leaf_allowed(pt, level, flags) && IS_ALIGNED(pa, size)) {
			release_entry(pt, *e, level);
			*e = pa | bits | PTE_PS;
		} else if ((*e & PTE_P) || bits) {
			if (!(*e & PTE_P)) {
				uint64_t table = pt->alloc_table(pt->opaque);

				if (!table)
					return -1;
				*e = table | PTE_P | PTE_RW;
			} else if (*e & PTE_PS) {
				if (split_leaf(pt, e, level))
					return -1;
			}
			if (set_range(pt, *e & PTE_ADDR_MASK, level - 1, va, next, pa, bits, flags))
				return -1;
		}
		pa += next - va;
		va = next;
	}
	return 0;
}

static bool range_ok(uint64_t base, uint64_t len, uint64_t limit)
{
	return IS_ALIGNED(base, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) && base <= limit &&
	       len <= limit - base;
}

int pt_init(struct pt_ctx *pt)
{
	pt->root = pt->alloc_table(pt->opaque);
	return pt->root ? 0 : -1;
}

int pt_map(struct pt_ctx *pt, uint64_t va, uint64_t pa, uint64_t len, uint32_t flags)
{
	if (!range_ok(va, len, PT_VA_LIMIT) || !range_ok(pa, len, PT_PHYS_LIMIT)) {
		log_err(
		    "paging: cannot map va %#llx pa %#llx len %#llx (misaligned or out of range)",
		    (unsigned long long)va, (unsigned long long)pa, (unsigned long long)len);
		return -1;
	}
	if (set_range(pt, pt->root, 4, va, va + len, pa, leaf_bits(pt, flags), flags)) {
		log_err("paging: out of table pages mapping va %#llx len %#llx",
			(unsigned long long)va, (unsigned long long)len);
		return -1;
	}
	return 0;
}

int pt_unmap(struct pt_ctx *pt, uint64_t va, uint64_t len)
{
	if (!range_ok(va, len, PT_VA_LIMIT)) {
		log_err("paging: cannot unmap va %#llx len %#llx (misaligned or out of range)",
			(unsigned long long)va, (unsigned long long)len);
		return -1;
	}
	if (set_range(pt, pt->root, 4, va, va + len, 0, 0, 0)) {
		log_err("paging: out of table pages unmapping va %#llx len %#llx",
			(unsigned long long)va, (unsigned long long)len);
		return -1;
	}
	return 0;
}

bool pt_lookup(const struct pt_ctx *pt, uint64_t va, uint64_t *pa, uint64_t *leaf,
	       uint64_t *page_size)
{
	uint64_t table = pt->root;

	if (va >= PT_VA_LIMIT)
		return false;
	for (int level = 4; level >= 1; level--) {
		uint64_t e = table_at(pt, table)[(va >> level_shift(level)) & PT_INDEX_MASK];
		uint64_t size = level_size(level);

		if (!(e & PTE_P))
			return false;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			*pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			*leaf = e;
			*page_size = size;
			return true;
		}
		table = e & PTE_ADDR_MASK;
	}
	return false;
}

#ifndef HOST_TEST
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "lib/page_alloc.h"

/* From linker.ld: the image, page aligned. */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

static struct pt_ctx hv_pt;
static uint32_t hv_table_pages;
/*
 * Tables unlinked from the live map: the CPU may still hold them in its
 * paging-structure caches, so they are freed only after the TLB flush.
 */
static uint64_t hv_unlinked[64];
static uint32_t hv_nr_unlinked;

static uint64_t hv_alloc_table(void *opaque)
{
	(void)opaque;
	hv_table_pages++;
	return (uint64_t)(uintptr_t)alloc_pages(1); /* panics when out */
}

static void hv_free_table(void *opaque, uint64_t pa)
{
	(void)opaque;
	if (hv_nr_unlinked < ARRAY_SIZE(hv_unlinked)) {
		hv_unlinked[hv_nr_unlinked++] = pa;
		hv_table_pages--;
	} /* else leaked: a page is cheaper than a stale walk */
}

/* After a full TLB flush (or before the tables are loaded). */
static void free_unlinked_tables(void)
{
	while (hv_nr_unlinked)
		free_pages(hv_unlinked[--hv_nr_unlinked], 1);
}

/* Table pages are below 4 GiB: identity mapped by the boot tables and by ours. */
static uint64_t *hv_table_ptr(void *opaque, uint64_t pa)
{
	(void)opaque;
	return (uint64_t *)(uintptr_t)pa;
}

/* MAXPHYADDR, kept within what 4-level paging can express. */
static unsigned phys_addr_bits(void)
{
	unsigned bits = 36; /* the SDM's value when the leaf is absent */

	if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_EXT_ADDR_SIZES)
		bits = cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & CPUID_80000008_EAX_PHYS_BITS;
	return MIN(MAX(bits, 36u), 52u);
}

/* End of the identity map: max(4 GiB, end of the highest region), whole GiBs. */
static uint64_t map_top(const struct boot_info *bi, uint64_t phys_limit)
{
	uint64_t top = 4 * GiB;

	for (uint32_t i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct boot_mem_region *m = &bi->mem[i];

		if (m->len && m->base < phys_limit)
			top = MAX(top, m->base + MIN(m->len, phys_limit - m->base));
	}
	return MIN(ALIGN_UP(top, GiB), phys_limit);
}

/* Memory the firmware treats as ordinary RAM: mapped write-back. */
static bool is_cacheable(uint32_t type)
{
	return type == BOOT_MEM_RAM || type == BOOT_MEM_ACPI_RECLAIM || type == BOOT_MEM_ACPI_NVS;
}

static void hv_map(uint64_t pa, uint64_t len, uint32_t flags)
{
	if (pt_map(&hv_pt, pa, pa, len, flags))
		panic("paging: cannot map %#llx-%#llx", (unsigned long long)pa,
		      (unsigned long long)(pa + len - 1));
}

static void map_image_range(const char *start, const char *end, uint32_t flags)
{
	uint64_t s = (uint64_t)(uintptr_t)start, e = (uint64_t)(uintptr_t)end;

	if (e > s)
		hv_map(s, e - s, flags | PT_GLOBAL | PT_SMALL);
}

void paging_init(const struct boot_info *bi)
{
	uint32_t ext_max = cpuid(CPUID_EXT_MAX, 0).eax;
	uint32_t ext_edx = ext_max >= CPUID_EXT_FEATURES ? cpuid(CPUID_EXT_FEATURES, 0).edx : 0;
	uint64_t phys_limit = MIN(BIT(phys_addr_bits()), PT_VA_LIMIT);
	uint64_t top = map_top(bi, phys_limit);

	hv_pt = (struct pt_ctx){
	    .alloc_table = hv_alloc_table,
	    .free_table = hv_free_table,
	    .table_ptr = hv_table_ptr,
	    .use_1g = (ext_edx & CPUID_80000001_EDX_1G) != 0,
	    .use_2m = true,
	    .nx = (ext_edx & CPUID_80000001_EDX_NX) != 0,
	};
	if (pt_init(&hv_pt))
		panic("paging: no page for the PML4");

	/* Everything uncached first, then RAM write-back over it, then the image. */
	hv_map(0, top, PT_WRITE | PT_NX | PT_UC | PT_GLOBAL);
	for (uint32_t i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_REGIONS; i++) {
		const struct boot_mem_region *m = &bi->mem[i];

		if (!is_cacheable(m->type) || m->base >= top)
			continue;
		/* A page only partly cacheable stays uncached: round inward. */
		uint64_t base = ALIGN_UP(m->base, PAGE_SIZE);
		uint64_t end =
		    ALIGN_DOWN(m->len > top - m->base ? top : m->base + m->len, PAGE_SIZE);
		if (base < end)
			hv_map(base, end - base, PT_WRITE | PT_NX | PT_GLOBAL);
	}
	map_image_range(__text_start, __text_end, 0);
	map_image_range(__rodata_start, __rodata_end, PT_NX);
	map_image_range(__data_start, __bss_end, PT_WRITE | PT_NX);
	if (pt_unmap(&hv_pt, 0, PAGE_SIZE))
		panic("paging: cannot unmap page 0");

	/* XD bits are reserved until EFER.NXE is set: set it before loading CR3. */
	if (hv_pt.nx)
		wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE);
	write_cr3(hv_pt.root);
	write_cr4(read_cr4() | CR4_PGE);
	free_unlinked_tables();
	log_info("paging: identity map 0-%#llx, %s pages, NX %s, %u table pages, CR3 %#llx",
		 (unsigned long long)(top - 1), hv_pt.use_1g ? "1 GiB" : "2 MiB",
		 hv_pt.nx ? "on" : "not available", hv_table_pages, (unsigned long long)hv_pt.root);
}

uint64_t paging_hv_cr3(void)
{
	return hv_pt.root;
}

bool paging_hv_nx(void)
{
	return hv_pt.nx;
}

void paging_hv_map(uint64_t pa, uint64_t len, uint32_t flags)
{
	uint64_t cr4 = read_cr4();

	if (!hv_pt.root)
		panic("paging: paging_hv_map(%#llx) before paging_init()", (unsigned long long)pa);
	hv_map(pa, len, flags);
	/* Global entries survive a CR3 load; toggling CR4.PGE flushes them too. */
	write_cr4(cr4 & ~CR4_PGE);
	write_cr4(cr4);
	free_unlinked_tables();
}
#endif
