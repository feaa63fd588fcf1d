/*
 * mb2_parse(): multiboot2 boot information -> struct boot_info.
 *
 * The whole block is fetched once through the phys_reader_t and then walked by
 * offset, so every access is checked against total_size. Fields are read with
 * byte copies: the loader's alignment is not trusted either.
 *
 * Policy: a block whose structure is broken (sizes, offsets, missing end tag or
 * memory map, module end before start) is rejected; too many modules or memory
 * regions keep the first ones with a warning; a malformed RSDP copy is ignored
 * with a warning (ACPI can still find the RSDP by scanning).
 *
 * Under UEFI, GRUB gives both its E820-style map (tag 6, converted from the
 * firmware's) and the firmware's own (tag 17). The EFI map is the one used: it
 * says which memory is the firmware's at run time, which tag 6 folds into
 * "reserved" or, for some types, into RAM. A malformed EFI map is ignored with a
 * warning and tag 6 is used instead.
 */
#include "boot/boot_info.h"
#include "boot/efi.h"
#include "boot/multiboot2.h"
#include "lib/log.h"
#include "lib/string.h"

struct mb2_state {
	struct boot_info *bi;
	bool have_mmap;	       /* tag 6 or tag 17 filled bi->mem */
	bool have_efi_mmap;    /* tag 17 did */
	uint32_t modules_seen; /* including those that did not fit */
	uint32_t regions_seen; /* non-empty entries, including those that did not fit */
};

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

/* Length of a string of at most max bytes that may lack its NUL. */
static uint32_t bounded_strlen(const uint8_t *s, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Copies a string tag's payload, which may lack its NUL, and says when it was cut. */
static void copy_tag_string(char *dst, size_t size, const uint8_t *src, uint32_t len,
			    const char *what)
{
	str_copy_bounded(dst, size, (const char *)src, len);
	if (bounded_strlen(src, len) >= size)
		log_warn("mb2: %s longer than %zu bytes, truncated", what, size - 1);
}

static int parse_module(struct mb2_state *st, const uint8_t *tag, uint32_t size, uint32_t off)
{
	struct boot_info *bi = st->bi;

	if (size < sizeof(struct mb2_tag_module)) {
		log_err("mb2: module tag at offset %#x has size %u, below %zu", off, size,
			sizeof(struct mb2_tag_module));
		return -1;
	}
	uint32_t start = load32(tag + 8);
	uint32_t end = load32(tag + 12);
	if (end < start) {
		log_err("mb2: module tag at offset %#x ends (%#x) before it starts (%#x)", off, end,
			start);
		return -1;
	}
	if (st->modules_seen++ >= BOOT_MAX_MODULES)
		return 0;

	struct boot_module *m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->end = end;
	copy_tag_string(m->cmdline, sizeof(m->cmdline), tag + sizeof(struct mb2_tag_module),
			size - sizeof(struct mb2_tag_module), "module command line");
	return 0;
}

static int parse_mmap(struct mb2_state *st, const uint8_t *tag, uint32_t size, uint32_t off)
{
	struct boot_info *bi = st->bi;

	if (st->have_efi_mmap)
		return 0; /* the EFI map is preferred */
	if (st->have_mmap) {
		log_warn("mb2: second memory map tag at offset %#x ignored", off);
		return 0;
	}
	if (size < sizeof(struct mb2_tag_mmap)) {
		log_err("mb2: memory map tag at offset %#x has size %u, below %zu", off, size,
			sizeof(struct mb2_tag_mmap));
		return -1;
	}
	uint32_t entry_size = load32(tag + 8);
	uint32_t entry_version = load32(tag + 12);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8) {
		log_err("mb2: memory map entry size %u is not a multiple of 8 of at least %zu",
			entry_size, sizeof(struct mb2_mmap_entry));
		return -1;
	}
	if (entry_version != 0)
		log_warn("mb2: memory map entry version %u, reading it as version 0",
			 entry_version);

	uint32_t bytes = size - sizeof(struct mb2_tag_mmap);
	uint32_t count = bytes / entry_size;
	if (bytes % entry_size)
		log_warn("mb2: memory map tag has %u stray bytes after its %u entries",
			 bytes % entry_size, count);
	if (count == 0) {
		log_err("mb2: memory map tag at offset %#x has no entries", off);
		return -1;
	}
	st->have_mmap = true;
	bi->mem_entries = count;

	const uint8_t *e = tag + sizeof(struct mb2_tag_mmap);
	for (uint32_t i = 0; i < count; i++, e += entry_size) {
		uint64_t len = load64(e + 8);

		if (len == 0)
			continue;
		if (st->regions_seen++ >= BOOT_MAX_MEM_REGIONS)
			continue;
		struct boot_mem_region *r = &bi->mem[bi->nr_mem++];
		r->base = load64(e);
		r->len = len;
		r->type = load32(e + 16);
	}
	return 0;
}

/* Appends an EFI region, merged into the previous one when it continues it. */
static void add_efi_region(struct mb2_state *st, uint64_t base, uint64_t len, uint32_t type)
{
	struct boot_info *bi = st->bi;
	struct boot_mem_region *prev = bi->nr_mem ? &bi->mem[bi->nr_mem - 1] : NULL;

	/* Firmware maps come in many small pieces of boot-services memory: merging
	 * keeps a server's map within BOOT_MAX_MEM_REGIONS. */
	if (prev && prev->type == type && prev->len <= UINT64_MAX - prev->base &&
	    prev->base + prev->len == base && len <= UINT64_MAX - prev->len) {
		prev->len += len;
		return;
	}
	if (st->regions_seen++ >= BOOT_MAX_MEM_REGIONS)
		return;
	bi->mem[bi->nr_mem++] = (struct boot_mem_region){base, len, type};
}

static void parse_efi_mmap(struct mb2_state *st, const uint8_t *tag, uint32_t size, uint32_t off)
{
	struct boot_info *bi = st->bi;

	bi->uefi = true;
	if (st->have_efi_mmap) {
		log_warn("mb2: second EFI memory map tag at offset %#x ignored", off);
		return;
	}
	if (size < sizeof(struct mb2_tag_efi_mmap)) {
		log_warn("mb2: EFI memory map tag at offset %#x has size %u, below %zu; ignored",
			 off, size, sizeof(struct mb2_tag_efi_mmap));
		return;
	}
	uint32_t dsize = load32(tag + 8);
	if (dsize < sizeof(struct efi_memory_descriptor) || dsize % 8) {
		log_warn("mb2: EFI descriptor size %u is not a multiple of 8 of at least %zu; "
			 "map ignored",
			 dsize, sizeof(struct efi_memory_descriptor));
		return;
	}
	uint32_t count = (size - (uint32_t)sizeof(struct mb2_tag_efi_mmap)) / dsize;
	if (count == 0) {
		log_warn("mb2: EFI memory map tag at offset %#x has no descriptors; ignored", off);
		return;
	}

	/* Replaces what tag 6 may have put there. */
	st->have_mmap = st->have_efi_mmap = true;
	st->regions_seen = 0;
	bi->nr_mem = 0;
	bi->mem_source = BOOT_MEM_FROM_EFI;
	bi->mem_entries = count;
	const uint8_t *d = tag + sizeof(struct mb2_tag_efi_mmap);
	for (uint32_t i = 0; i < count; i++, d += dsize) {
		uint64_t base = load64(d + 8), pages = load64(d + 24);

		if (pages == 0)
			continue;
		/* More pages than the address space holds: memmap_normalize() clips. */
		uint64_t len =
		    pages > UINT64_MAX / EFI_PAGE_SIZE ? UINT64_MAX : pages * EFI_PAGE_SIZE;
		add_efi_region(st, base, len, efi_mem_type_to_boot(load32(d), load64(d + 32)));
	}
}

/* ACPI RSDP copies: tag 15 (ACPI 2.0+) is preferred over tag 14 (ACPI 1.0). */
static void parse_rsdp(struct mb2_state *st, const uint8_t *tag, uint32_t size, uint32_t type)
{
	struct boot_info *bi = st->bi;
	uint32_t want = type == MB2_TAG_ACPI_NEW ? MB2_RSDP_V2_SIZE : MB2_RSDP_V1_SIZE;
	uint32_t have = size - sizeof(struct mb2_tag);

	if (have < want) {
		log_warn("mb2: ACPI RSDP tag %u holds %u bytes, needs %u; ignored", type, have,
			 want);
		return;
	}
	if (memcmp(tag + sizeof(struct mb2_tag), "RSD PTR ", 8) != 0) {
		log_warn("mb2: ACPI RSDP tag %u lacks the \"RSD PTR \" signature; ignored", type);
		return;
	}
	if (type == MB2_TAG_ACPI_OLD && bi->rsdp_copy_len == MB2_RSDP_V2_SIZE)
		return;
	memcpy(bi->rsdp_copy, tag + sizeof(struct mb2_tag), want);
	bi->rsdp_copy_len = want;
}

static int parse_tag(struct mb2_state *st, const uint8_t *tag, uint32_t type, uint32_t size,
		     uint32_t off)
{
	struct boot_info *bi = st->bi;
	const uint8_t *payload = tag + sizeof(struct mb2_tag);
	uint32_t payload_len = size - sizeof(struct mb2_tag);

	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_tag_string(bi->cmdline, sizeof(bi->cmdline), payload, payload_len,
				"command line");
		return 0;
	case MB2_TAG_LOADER_NAME:
		copy_tag_string(bi->loader_name, sizeof(bi->loader_name), payload, payload_len,
				"loader name");
		return 0;
	case MB2_TAG_MODULE:
		return parse_module(st, tag, size, off);
	case MB2_TAG_MMAP:
		return parse_mmap(st, tag, size, off);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		parse_rsdp(st, tag, size, type);
		return 0;
	case MB2_TAG_EFI_MMAP:
		parse_efi_mmap(st, tag, size, off);
		return 0;
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
		bi->uefi = true; /* the system table's address; Tessera calls no UEFI service */
		return 0;
	default:
		return 0;
	}
}

int mb2_parse(uint64_t info_pa, phys_reader_t rd, struct boot_info *bi)
{
	struct mb2_state st = {.bi = bi};

	memset(bi, 0, sizeof(*bi));
	bi->protocol = BOOT_PROTO_MULTIBOOT2;

	const uint8_t *hdr = rd(info_pa, sizeof(struct mb2_info_header));
	if (!hdr) {
		log_err("mb2: boot information at %#llx is not readable",
			(unsigned long long)info_pa);
		return -1;
	}
	uint32_t total = load32(hdr);
	if (total < sizeof(struct mb2_info_header) + sizeof(struct mb2_tag) ||
	    total > MB2_INFO_MAX_SIZE) {
		log_err("mb2: boot information total_size %u is outside [16, %llu]", total,
			(unsigned long long)MB2_INFO_MAX_SIZE);
		return -1;
	}
	const uint8_t *info = rd(info_pa, total);
	if (!info) {
		log_err("mb2: boot information %#llx+%#x is not readable",
			(unsigned long long)info_pa, total);
		return -1;
	}

	bool have_end = false;
	uint32_t off = sizeof(struct mb2_info_header);
	while (off < total) {
		if (total - off < sizeof(struct mb2_tag)) {
			log_err("mb2: tag header at offset %#x runs past total_size %u", off,
				total);
			return -1;
		}
		uint32_t type = load32(info + off);
		uint32_t size = load32(info + off + 4);
		if (size < sizeof(struct mb2_tag) || size > total - off) {
			log_err("mb2: tag %u at offset %#x has size %u (needs 8..%u)", type, off,
				size, total - off);
			return -1;
		}
		if (type == MB2_TAG_END) {
			have_end = true;
			break;
		}
		if (parse_tag(&st, info + off, type, size, off))
			return -1;
		off += (uint32_t)ALIGN_UP(size, MB2_TAG_ALIGN);
	}

	if (!have_end) {
		log_err("mb2: no end tag within total_size %u", total);
		return -1;
	}
	if (!st.have_mmap) {
		log_err("mb2: the loader gave no memory map (tag 6 or 17)");
		return -1;
	}
	if (bi->nr_mem == 0) {
		log_err("mb2: every memory map entry has length 0");
		return -1;
	}
	if (st.modules_seen > BOOT_MAX_MODULES)
		log_warn("mb2: %u modules given, only the first %u are used", st.modules_seen,
			 BOOT_MAX_MODULES);
	if (st.regions_seen > BOOT_MAX_MEM_REGIONS)
		log_warn("mb2: %u memory regions given, only the first %u are used",
			 st.regions_seen, BOOT_MAX_MEM_REGIONS);
	return 0;
}
