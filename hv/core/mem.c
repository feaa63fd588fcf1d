/*
 * mem_init(): the global page allocator from the loader's memory map, then
 * paging_init(). Memory below 1 MiB stays allocatable (the AP trampoline takes
 * a page there); only page 0 is held back, as a NULL guard and because real-mode
 * data (IVT, BDA) lives there.
 */
#include "hv/core/mem.h"
#include "arch/x86/mm/paging.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

extern char __image_start[], __image_end[];

static void reserve_modules(struct page_allocator *a, const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (m->end < m->start) {
			/* The parsers reject this; if it ever gets here, keep the start page. */
			log_warn("mem: module %u ends (%#llx) before it starts (%#llx)", i,
				 (unsigned long long)m->end, (unsigned long long)m->start);
			pa_reserve(a, m->start, PAGE_SIZE);
			continue;
		}
		pa_reserve(a, m->start, m->end - m->start);
	}
}

void mem_init(struct boot_info *bi)
{
	struct page_allocator *a = hv_page_allocator();
	uint64_t image = (uint64_t)(uintptr_t)__image_start;

	pa_init(a);
	for (uint32_t i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_REGIONS; i++)
		if (bi->mem[i].type == BOOT_MEM_RAM && pa_add(a, bi->mem[i].base, bi->mem[i].len))
			log_warn("mem: RAM %#llx+%#llx left unused",
				 (unsigned long long)bi->mem[i].base,
				 (unsigned long long)bi->mem[i].len);

	pa_reserve(a, 0, PAGE_SIZE);
	pa_reserve(a, image, (uint64_t)(uintptr_t)__image_end - image);
	reserve_modules(a, bi);
	/* The RSDP normally sits in firmware memory; a loader may put it in RAM. */
	if (bi->rsdp)
		pa_reserve(a, bi->rsdp, sizeof(bi->rsdp_copy)); /* an ACPI 2.0 RSDP */

	log_info("mem: %llu MiB free in %u ranges", (unsigned long long)(pa_free_bytes(a) / MiB),
		 pa_range_count(a));
	if (pa_free_bytes(a) == 0)
		panic("mem: no usable RAM in the memory map");
	paging_init(bi);
}
