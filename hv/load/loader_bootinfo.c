/*
 * The boot information a loaded guest finds through EBX, written into the
 * boot-info page (LOADER_BOOT_INFO_GPA): for PVH a version 1 hvm_start_info,
 * for multiboot v1 a multiboot_info; each followed by the memory map, the
 * module list and the strings they point to. Everything is built in locals and
 * copied in with memcpy, so nothing depends on the host alignment of guest RAM.
 */
#include "hv/load/loader_internal.h"
#include "guest-abi/multiboot.h"
#include "guest-abi/pvh.h"
#include "lib/string.h"

#define LOADER_NAME "Tessera"

uint64_t bi_put(struct load_ctx *c, const void *data, uint64_t len, uint64_t align)
{
	uint64_t off = ALIGN_UP(c->bi_wanted, align);

	c->bi_wanted = off + len;
	if (c->bi_wanted > LOADER_BOOT_INFO_SIZE)
		return 0;
	if (len)
		memcpy(c->bi + off, data, len);
	return LOADER_BOOT_INFO_GPA + off;
}

int bi_check(const struct load_ctx *c)
{
	if (c->bi_wanted <= LOADER_BOOT_INFO_SIZE)
		return 0;
	return load_fail(c,
			 "boot information needs %llu bytes, more than the %llu-byte page at "
			 "%#llx (command lines too long?)",
			 (unsigned long long)c->bi_wanted, LOADER_BOOT_INFO_SIZE,
			 LOADER_BOOT_INFO_GPA);
}

static uint64_t put_string(struct load_ctx *c, const char *s)
{
	return bi_put(c, s, strlen(s) + 1, 1);
}

uint32_t loader_write_pvh(struct load_ctx *c)
{
	struct hvm_start_info si = {0};
	struct hvm_modlist_entry mods[CONFIG_MAX_MODULES];
	uint64_t si_gpa, memmap_gpa = 0, modlist_gpa = 0, cmdline_gpa;

	si_gpa = bi_put(c, &si, sizeof(si), 8); /* filled in at the end */
	for (uint32_t i = 0; i < c->nr_memmap; i++) {
		struct hvm_memmap_table_entry e = {
		    .addr = c->memmap[i].addr,
		    .size = c->memmap[i].size,
		    .type = c->memmap[i].type == LOADER_MEM_RAM ? XEN_HVM_MEMMAP_TYPE_RAM
								: XEN_HVM_MEMMAP_TYPE_RESERVED,
		};
		uint64_t gpa = bi_put(c, &e, sizeof(e), 8);

		if (i == 0)
			memmap_gpa = gpa;
	}
	cmdline_gpa = put_string(c, c->cmdline);
	for (uint32_t i = 0; i < c->nr_modules; i++) {
		const struct loader_module *m = &c->modules[i];

		mods[i] = (struct hvm_modlist_entry){
		    .paddr = m->gpa,
		    .size = m->size,
		    .cmdline_paddr = m->cmdline ? put_string(c, m->cmdline) : 0,
		};
	}
	if (c->nr_modules)
		modlist_gpa = bi_put(c, mods, c->nr_modules * sizeof(mods[0]), 8);
	if (bi_check(c))
		return 0;

	si = (struct hvm_start_info){
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = HVM_START_INFO_VERSION_1,
	    .flags = 0,
	    .nr_modules = c->nr_modules,
	    .modlist_paddr = modlist_gpa,
	    .cmdline_paddr = cmdline_gpa,
	    .rsdp_paddr = c->rsdp_gpa,
	    .memmap_paddr = memmap_gpa,
	    .memmap_entries = c->nr_memmap,
	};
	memcpy(c->bi + (si_gpa - LOADER_BOOT_INFO_GPA), &si, sizeof(si));
	return (uint32_t)si_gpa;
}

uint32_t loader_write_multiboot(struct load_ctx *c)
{
	struct multiboot_info mbi = {0};
	struct multiboot_mod_list mods[CONFIG_MAX_MODULES];
	uint64_t mbi_gpa, mmap_gpa = 0, mods_gpa = 0;
	uint64_t lower = MIN(loader_ram_end_from(c, 0), CONFIG_LEGACY_HOLE_START);
	uint64_t upper = loader_ram_end_from(c, 1 * MiB) - 1 * MiB;

	mbi_gpa = bi_put(c, &mbi, sizeof(mbi), 8); /* filled in at the end */
	for (uint32_t i = 0; i < c->nr_memmap; i++) {
		struct multiboot_mmap_entry e = {
		    .size = sizeof(e) - sizeof(e.size),
		    .addr = c->memmap[i].addr,
		    .len = c->memmap[i].size,
		    .type = c->memmap[i].type == LOADER_MEM_RAM ? MULTIBOOT_MEMORY_AVAILABLE
								: MULTIBOOT_MEMORY_RESERVED,
		};
		uint64_t gpa = bi_put(c, &e, sizeof(e), 4);

		if (i == 0)
			mmap_gpa = gpa;
	}
	/* The guest's modules lie below 4 GiB (place_modules() made sure), as does this page. */
	for (uint32_t i = 0; i < c->nr_modules; i++) {
		const struct loader_module *m = &c->modules[i];

		mods[i] = (struct multiboot_mod_list){
		    .mod_start = (uint32_t)m->gpa,
		    .mod_end = (uint32_t)(m->gpa + m->size),
		    .cmdline = m->cmdline ? (uint32_t)put_string(c, m->cmdline) : 0,
		};
	}
	if (c->nr_modules)
		mods_gpa = bi_put(c, mods, c->nr_modules * sizeof(mods[0]), 4);

	mbi.flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MODS |
		    MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_LOADER_NAME;
	mbi.mem_lower = (uint32_t)(lower / KiB);
	mbi.mem_upper = (uint32_t)MIN(upper / KiB, (uint64_t)UINT32_MAX);
	mbi.cmdline = (uint32_t)put_string(c, c->cmdline);
	mbi.mods_count = c->nr_modules;
	mbi.mods_addr = (uint32_t)mods_gpa;
	mbi.mmap_length = c->nr_memmap * (uint32_t)sizeof(struct multiboot_mmap_entry);
	mbi.mmap_addr = (uint32_t)mmap_gpa;
	mbi.boot_loader_name = (uint32_t)put_string(c, LOADER_NAME);
	if (bi_check(c))
		return 0;
	memcpy(c->bi + (mbi_gpa - LOADER_BOOT_INFO_GPA), &mbi, sizeof(mbi));
	return (uint32_t)mbi_gpa;
}
