/*
 * pvh_parse(): PVH start info (guest-abi/pvh.h) -> struct boot_info.
 *
 * Every structure is fetched through the phys_reader_t and copied into a local
 * before use. Policy:
 *   - the magic must match and the version must be at least 1: a version 0
 *     start info carries no memory map, and Tessera will not guess one;
 *   - the memory map is required and must have at least one non-empty entry;
 *   - more modules or memory regions than struct boot_info holds: the first
 *     ones are kept, with a warning (the rest are never read);
 *   - a pointer into unreadable memory, a module at address 0 or one whose end
 *     wraps past 2^64 is an error; strings longer than their buffer are cut.
 */
#include "boot/boot_info.h"
#include "guest-abi/pvh.h"
#include "lib/log.h"
#include "lib/string.h"

/*
 * Copies the NUL-terminated string at pa into dst (size bytes, always
 * terminated), one byte per read so a short string near the end of readable
 * memory is fine. Returns -1 if the string runs into unreadable memory.
 */
static int read_string(phys_reader_t rd, uint64_t pa, char *dst, size_t size, const char *what)
{
	size_t n = 0;

	dst[0] = '\0';
	if (pa == 0)
		return 0;
	for (; n < size - 1; n++) {
		const char *c = pa + n >= pa ? rd(pa + n, 1) : NULL;

		if (!c) {
			log_err("pvh: %s at %#llx runs into unreadable memory at offset %zu", what,
				(unsigned long long)pa, n);
			dst[0] = '\0';
			return -1;
		}
		dst[n] = *c;
		if (*c == '\0')
			return 0;
	}
	dst[n] = '\0';
	log_warn("pvh: %s at %#llx longer than %zu bytes, truncated", what, (unsigned long long)pa,
		 size - 1);
	return 0;
}

/* True when an array of count entries of entry_size bytes at pa is not at 0 and does not wrap. */
static bool array_fits(uint64_t pa, uint64_t count, uint64_t entry_size)
{
	return pa != 0 && pa <= UINT64_MAX - count * entry_size;
}

static int parse_modules(phys_reader_t rd, const struct hvm_start_info *si, struct boot_info *bi)
{
	uint32_t count = MIN(si->nr_modules, (uint32_t)BOOT_MAX_MODULES);

	if (si->nr_modules == 0)
		return 0;
	if (si->nr_modules > BOOT_MAX_MODULES)
		log_warn("pvh: %u modules given, only the first %u are used", si->nr_modules,
			 BOOT_MAX_MODULES);
	if (!array_fits(si->modlist_paddr, count, sizeof(struct hvm_modlist_entry))) {
		log_err("pvh: module list at %#llx is not a valid address for %u entries",
			(unsigned long long)si->modlist_paddr, count);
		return -1;
	}

	for (uint32_t i = 0; i < count; i++) {
		uint64_t pa = si->modlist_paddr + (uint64_t)i * sizeof(struct hvm_modlist_entry);
		const void *p = rd(pa, sizeof(struct hvm_modlist_entry));
		struct hvm_modlist_entry e;

		if (!p) {
			log_err("pvh: module list entry %u at %#llx is not readable", i,
				(unsigned long long)pa);
			return -1;
		}
		memcpy(&e, p, sizeof(e));
		if (e.paddr == 0 || e.paddr + e.size < e.paddr) {
			log_err("pvh: module %u at %#llx size %#llx is not a valid range", i,
				(unsigned long long)e.paddr, (unsigned long long)e.size);
			return -1;
		}
		struct boot_module *m = &bi->modules[i];
		m->start = e.paddr;
		m->end = e.paddr + e.size;
		if (read_string(rd, e.cmdline_paddr, m->cmdline, sizeof(m->cmdline),
				"module command line"))
			return -1;
		bi->nr_modules = i + 1;
	}
	return 0;
}

static int parse_memmap(phys_reader_t rd, const struct hvm_start_info *si, struct boot_info *bi)
{
	uint32_t count = MIN(si->memmap_entries, (uint32_t)BOOT_MAX_MEM_REGIONS);

	if (si->memmap_entries == 0 || si->memmap_paddr == 0) {
		log_err("pvh: no memory map (%u entries at %#llx)", si->memmap_entries,
			(unsigned long long)si->memmap_paddr);
		return -1;
	}
	if (si->memmap_entries > BOOT_MAX_MEM_REGIONS)
		log_warn("pvh: %u memory regions given, only the first %u are used",
			 si->memmap_entries, BOOT_MAX_MEM_REGIONS);
	if (!array_fits(si->memmap_paddr, count, sizeof(struct hvm_memmap_table_entry))) {
		log_err("pvh: memory map at %#llx is not a valid address for %u entries",
			(unsigned long long)si->memmap_paddr, count);
		return -1;
	}

	bi->mem_entries = si->memmap_entries;
	for (uint32_t i = 0; i < count; i++) {
		uint64_t pa =
		    si->memmap_paddr + (uint64_t)i * sizeof(struct hvm_memmap_table_entry);
		const void *p = rd(pa, sizeof(struct hvm_memmap_table_entry));
		struct hvm_memmap_table_entry e;

		if (!p) {
			log_err("pvh: memory map entry %u at %#llx is not readable", i,
				(unsigned long long)pa);
			return -1;
		}
		memcpy(&e, p, sizeof(e));
		if (e.size == 0)
			continue;
		struct boot_mem_region *r = &bi->mem[bi->nr_mem++];
		r->base = e.addr;
		r->len = e.size;
		r->type = e.type;
	}
	if (bi->nr_mem == 0) {
		log_err("pvh: every memory map entry has length 0");
		return -1;
	}
	return 0;
}

int pvh_parse(uint64_t start_info_pa, phys_reader_t rd, struct boot_info *bi)
{
	struct hvm_start_info si;
	const void *p;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = BOOT_PROTO_PVH;

	p = rd(start_info_pa, HVM_START_INFO_SIZE_V0);
	if (!p) {
		log_err("pvh: start info at %#llx is not readable",
			(unsigned long long)start_info_pa);
		return -1;
	}
	memset(&si, 0, sizeof(si));
	memcpy(&si, p, HVM_START_INFO_SIZE_V0);
	if (si.magic != XEN_HVM_START_MAGIC_VALUE) {
		log_err("pvh: start info magic is %#x, not %#x", si.magic,
			XEN_HVM_START_MAGIC_VALUE);
		return -1;
	}
	if (si.version < HVM_START_INFO_VERSION_1) {
		log_err("pvh: start info version %u has no memory map (need version 1)",
			si.version);
		return -1;
	}
	p = rd(start_info_pa, HVM_START_INFO_SIZE_V1);
	if (!p) {
		log_err("pvh: start info at %#llx is not readable",
			(unsigned long long)start_info_pa);
		return -1;
	}
	memcpy(&si, p, HVM_START_INFO_SIZE_V1);

	if (read_string(rd, si.cmdline_paddr, bi->cmdline, sizeof(bi->cmdline), "command line"))
		return -1;
	if (parse_modules(rd, &si, bi) || parse_memmap(rd, &si, bi))
		return -1;
	bi->rsdp = si.rsdp_paddr;
	return 0;
}
