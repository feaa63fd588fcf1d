/*
 * guest_load(): a partition's guest image and modules into its guest RAM.
 *
 * Order: check the memory map the caller gave and build the guest's view of it
 * (legacy hole reserved); choose the protocol and list the segments; check every
 * destination before the first byte is written (segments in RAM, not in the
 * legacy hole, not over the boot-info page; modules placed page-aligned above
 * the image and 1 MiB); then copy, and write the boot information.
 */
#include <stdarg.h>
#include "hv/load/loader_internal.h"
#include "hv/load/elf.h"
#include "hv/load/multiboot_image.h"
#include "guest-abi/multiboot.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/string.h"

/* What to copy from the image, and where it starts. */
struct load_plan {
	uint32_t protocol; /* CONFIG_BOOT_PVH or CONFIG_BOOT_MULTIBOOT */
	uint64_t entry;
	uint32_t nr_segments;
	struct load_segment {
		uint64_t offset, filesz, gpa, memsz;
	} segments[ELF_MAX_SEGMENTS];
	uint64_t image_end; /* one past the highest loaded byte */
};

int load_fail(const struct load_ctx *c, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("partition %s: image %s: %s", c->part, c->image, msg);
	return -1;
}

/* strnlen(), which the host's C11 headers do not declare. */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* Checks the caller's regions and builds c->memmap with the legacy hole carved out of RAM. */
static int build_memmap(struct load_ctx *c)
{
	const struct guest_mem *mem = c->mem;
	uint64_t prev_end = 0;

	if (!mem->ptr || mem->nr_regions == 0 || mem->nr_regions > ARRAY_SIZE(mem->regions))
		return load_fail(c, "guest memory map has %u regions", mem->nr_regions);
	for (uint32_t i = 0; i < mem->nr_regions; i++) {
		const struct guest_mem_region *r = &mem->regions[i];
		uint64_t a = r->gpa, b = r->gpa + r->size;

		if (r->size == 0 || b < a || a < prev_end ||
		    (r->type != CONFIG_MEM_RAM && r->type != CONFIG_MEM_RESERVED))
			return load_fail(c,
					 "guest memory region %u (%#llx size %#llx type %u) is "
					 "empty, wraps, is out of order or of unknown type",
					 i, (unsigned long long)a, (unsigned long long)r->size,
					 r->type);
		prev_end = b;
		if (r->type == CONFIG_MEM_RESERVED) {
			c->memmap[c->nr_memmap++] =
			    (struct loader_memmap_entry){a, r->size, LOADER_MEM_RESERVED};
			continue;
		}
		uint64_t hs = CONFIG_LEGACY_HOLE_START, he = CONFIG_LEGACY_HOLE_END;
		if (a < hs)
			c->memmap[c->nr_memmap++] =
			    (struct loader_memmap_entry){a, MIN(b, hs) - a, LOADER_MEM_RAM};
		if (a < he && b > hs)
			c->memmap[c->nr_memmap++] = (struct loader_memmap_entry){
			    MAX(a, hs), MIN(b, he) - MAX(a, hs), LOADER_MEM_RESERVED};
		if (b > he)
			c->memmap[c->nr_memmap++] = (struct loader_memmap_entry){
			    MAX(a, he), b - MAX(a, he), LOADER_MEM_RAM};
	}
	return 0;
}

uint64_t loader_ram_end_from(const struct load_ctx *c, uint64_t addr)
{
	uint64_t end = addr;

	for (uint32_t i = 0; i < c->nr_memmap; i++) {
		const struct loader_memmap_entry *e = &c->memmap[i];

		if (e->type == LOADER_MEM_RAM && e->addr <= end && e->addr + e->size > end)
			end = e->addr + e->size;
	}
	return end;
}

static void plan_from_elf(struct load_plan *p, const struct elf_image *elf)
{
	p->nr_segments = elf->nr_segments;
	for (uint32_t i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->segments[i];

		p->segments[i] = (struct load_segment){s->offset, s->filesz, s->paddr, s->memsz};
	}
}

/* Picks the protocol cfg->boot asks for (or the image offers) and lists the segments. */
static int make_plan(struct load_ctx *c, uint32_t boot, const void *image, size_t size,
		     struct load_plan *p)
{
	struct elf_image elf;
	struct mb_image mb;
	char elf_err[160], mb_err[160];
	bool is_elf = elf_has_magic(image, size);
	bool elf_ok = is_elf && elf_parse(image, size, &elf, elf_err, sizeof(elf_err)) == 0;

	if (boot != CONFIG_BOOT_AUTO && boot != CONFIG_BOOT_PVH && boot != CONFIG_BOOT_MULTIBOOT)
		return load_fail(c, "unknown boot protocol %u", boot);
	if (boot == CONFIG_BOOT_PVH || (boot == CONFIG_BOOT_AUTO && elf_ok && elf.has_pvh_entry)) {
		if (!is_elf)
			return load_fail(c, "boot = pvh, but the image is not an ELF file");
		if (!elf_ok)
			return load_fail(c, "%s", elf_err);
		if (!elf.has_pvh_entry)
			return load_fail(c, "boot = pvh, but the ELF file has no PVH entry note "
					    "(Xen note XEN_ELFNOTE_PHYS32_ENTRY)");
		p->protocol = CONFIG_BOOT_PVH;
		p->entry = elf.pvh_entry;
		plan_from_elf(p, &elf);
		return 0;
	}

	int found = mb_image_find(image, size, &mb, mb_err, sizeof(mb_err));
	if (found < 0)
		return load_fail(c, "%s", mb_err);
	if (found == 0) {
		if (boot == CONFIG_BOOT_MULTIBOOT)
			return load_fail(c,
					 "boot = multiboot, but no multiboot header in the "
					 "first %u bytes",
					 MULTIBOOT_SEARCH);
		if (is_elf && !elf_ok)
			return load_fail(c, "%s", elf_err);
		return load_fail(c, "no PVH note and no multiboot header");
	}
	p->protocol = CONFIG_BOOT_MULTIBOOT;
	if (mb.aout) {
		p->nr_segments = 1;
		p->segments[0] = (struct load_segment){mb.load_offset, mb.load_size, mb.load_addr,
						       mb.load_size + mb.bss_size};
		p->entry = mb.entry;
		return 0;
	}
	if (!is_elf)
		return load_fail(c, "multiboot header without address fields (flags bit 16), "
				    "and the image is not an ELF file");
	if (!elf_ok)
		return load_fail(c, "%s", elf_err);
	plan_from_elf(p, &elf);
	p->entry = elf_entry_paddr(&elf);
	return 0;
}

/* Every segment: in one RAM region, clear of the legacy hole and the boot-info page. */
static int check_segments(struct load_ctx *c, struct load_plan *p)
{
	bool entry_loaded = false;

	for (uint32_t i = 0; i < p->nr_segments; i++) {
		const struct load_segment *s = &p->segments[i];
		uint64_t end = s->gpa + s->memsz; /* the parsers ruled out a wrap */

		if (!c->mem->ptr(c->mem->opaque, s->gpa, s->memsz))
			return load_fail(c,
					 "segment %#llx-%#llx is not inside one guest RAM region",
					 (unsigned long long)s->gpa, (unsigned long long)(end - 1));
		if (overlaps(s->gpa, s->memsz, CONFIG_LEGACY_HOLE_START,
			     CONFIG_LEGACY_HOLE_END - CONFIG_LEGACY_HOLE_START))
			return load_fail(c,
					 "segment %#llx-%#llx overlaps the legacy hole %#llx-%#llx",
					 (unsigned long long)s->gpa, (unsigned long long)(end - 1),
					 CONFIG_LEGACY_HOLE_START, CONFIG_LEGACY_HOLE_END - 1);
		if (overlaps(s->gpa, s->memsz, LOADER_BOOT_INFO_GPA, LOADER_BOOT_INFO_SIZE))
			return load_fail(
			    c, "segment %#llx-%#llx overlaps the boot-info page %#llx-%#llx",
			    (unsigned long long)s->gpa, (unsigned long long)(end - 1),
			    LOADER_BOOT_INFO_GPA, LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE - 1);
		if (p->protocol == CONFIG_BOOT_MULTIBOOT && end > BIT(32))
			return load_fail(c, "segment %#llx-%#llx is not below 4 GiB (multiboot)",
					 (unsigned long long)s->gpa, (unsigned long long)(end - 1));
		if (p->entry >= s->gpa && p->entry < end)
			entry_loaded = true;
		p->image_end = MAX(p->image_end, end);
	}
	if (!entry_loaded)
		return load_fail(c, "entry point %#llx is not inside a loaded segment",
				 (unsigned long long)p->entry);
	return 0;
}

/* First page-aligned place at or above `from` inside one RAM entry that holds size bytes. */
static uint64_t find_room(const struct load_ctx *c, uint64_t from, uint64_t size, uint64_t limit)
{
	for (uint32_t i = 0; i < c->nr_memmap; i++) {
		const struct loader_memmap_entry *e = &c->memmap[i];
		uint64_t end = MIN(e->addr + e->size, limit);
		uint64_t start = ALIGN_UP(MAX(from, e->addr), PAGE_SIZE);

		/* (an empty module may sit right at the end of a region) */
		if (e->type != LOADER_MEM_RAM || start < MAX(from, e->addr) || start > end)
			continue;
		if (size <= end - start)
			return start;
	}
	return 0;
}

/*
 * The partition's ACPI tables, at GUEST_ACPI_GPA in the legacy hole (which the
 * memory map reports reserved, and which no segment or module may use). A
 * guest RAM layout without RAM there gets none, and is told so.
 */
static bool reserved_in_memmap(const struct load_ctx *c, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < c->nr_memmap; i++) {
		const struct loader_memmap_entry *e = &c->memmap[i];

		if (e->type == LOADER_MEM_RESERVED && gpa >= e->addr && gpa - e->addr < e->size &&
		    len <= e->size - (gpa - e->addr))
			return true;
	}
	return false;
}

static int place_acpi(struct load_ctx *c)
{
	uint8_t *area = c->mem->acpi_area;

	if (!area || !reserved_in_memmap(c, GUEST_ACPI_GPA, GUEST_ACPI_SIZE)) {
		log_warn("partition %s: no ACPI tables: %#llx-%#llx is not backed memory the "
			 "guest's map reserves",
			 c->part, GUEST_ACPI_GPA, GUEST_ACPI_GPA + GUEST_ACPI_SIZE - 1);
		return 0;
	}
	memset(area, 0, GUEST_ACPI_SIZE);
	if (!guest_acpi_build(area, GUEST_ACPI_SIZE, GUEST_ACPI_GPA, c->mem->acpi))
		return load_fail(c, "the ACPI tables for %u vCPUs do not fit in %#llx bytes",
				 c->mem->acpi->nr_cpus, GUEST_ACPI_SIZE);
	c->rsdp_gpa = GUEST_ACPI_GPA;
	/* A jump to the reset vector writes the FADT's reset register. */
	if (c->mem->reset_vector && reserved_in_memmap(c, RESET_VECTOR_GPA, RESET_VECTOR_SIZE))
		reset_vector_build(c->mem->reset_vector, GUEST_ACPI_RESET_PORT,
				   GUEST_ACPI_RESET_VALUE);
	return 0;
}

static int place_modules(struct load_ctx *c, const struct load_plan *p,
			 const struct guest_module *modules, uint32_t nr_modules)
{
	uint64_t next = MAX(p->image_end, LOADER_MODULE_MIN_GPA);
	/* Multiboot module addresses are 32-bit, and mod_end is one past the last byte. */
	uint64_t limit = p->protocol == CONFIG_BOOT_MULTIBOOT ? BIT(32) - 1 : UINT64_MAX;

	if (nr_modules > CONFIG_MAX_MODULES || (nr_modules && !modules))
		return load_fail(c, "%u modules given (at most %u)", nr_modules,
				 CONFIG_MAX_MODULES);
	for (uint32_t i = 0; i < nr_modules; i++) {
		const struct guest_module *m = &modules[i];
		uint64_t gpa;

		if (m->size && !m->data)
			return load_fail(c, "module %u has no data", i);
		if (m->cmdline && bounded_len(m->cmdline, LOADER_MODULE_CMDLINE_MAX + 1) >
				      LOADER_MODULE_CMDLINE_MAX)
			return load_fail(c, "module %u command line longer than %u bytes", i,
					 LOADER_MODULE_CMDLINE_MAX);
		gpa = find_room(c, next, m->size, limit);
		if (!gpa || (m->size && !c->mem->ptr(c->mem->opaque, gpa, m->size)))
			return load_fail(c,
					 "module %u (%#llx bytes) does not fit in guest RAM above "
					 "%#llx%s",
					 i, (unsigned long long)m->size, (unsigned long long)next,
					 limit == UINT64_MAX ? "" : " and below 4 GiB");
		c->modules[i] = (struct loader_module){gpa, m->size, m->cmdline};
		next = gpa + m->size;
	}
	c->nr_modules = nr_modules;
	return 0;
}

static void copy_all(struct load_ctx *c, const struct load_plan *p, const uint8_t *image,
		     const struct guest_module *modules)
{
	for (uint32_t i = 0; i < p->nr_segments; i++) {
		const struct load_segment *s = &p->segments[i];
		uint8_t *dst = c->mem->ptr(c->mem->opaque, s->gpa, s->memsz);

		memcpy(dst, image + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	for (uint32_t i = 0; i < c->nr_modules; i++) {
		if (c->modules[i].size)
			memcpy(c->mem->ptr(c->mem->opaque, c->modules[i].gpa, c->modules[i].size),
			       modules[i].data, c->modules[i].size);
	}
}

int guest_load(const char *part_name, const struct partition_config *cfg, const void *image,
	       size_t image_size, const struct guest_module *modules, uint32_t nr_modules,
	       struct guest_mem *mem, struct guest_entry *out)
{
	struct load_plan plan = {0};
	struct load_ctx c = {.part = part_name ? part_name : "?", .mem = mem};
	uint32_t ebx;

	if (!cfg || !mem || !out) {
		log_err("partition %s: guest_load called without config, memory or result", c.part);
		return -1;
	}
	str_copy_bounded(c.image, sizeof(c.image), cfg->image, sizeof(cfg->image));
	if (!image || image_size == 0)
		return load_fail(&c, "image is empty");
	if (bounded_len(cfg->cmdline, sizeof(cfg->cmdline)) == sizeof(cfg->cmdline))
		return load_fail(&c, "command line is not terminated");
	c.cmdline = cfg->cmdline;

	if (build_memmap(&c) || make_plan(&c, cfg->boot, image, image_size, &plan) ||
	    check_segments(&c, &plan) || place_modules(&c, &plan, modules, nr_modules))
		return -1;
	c.bi = mem->ptr(mem->opaque, LOADER_BOOT_INFO_GPA, LOADER_BOOT_INFO_SIZE);
	if (!c.bi)
		return load_fail(&c, "boot-info page %#llx-%#llx is not guest RAM",
				 LOADER_BOOT_INFO_GPA,
				 LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE - 1);

	copy_all(&c, &plan, image, modules);
	if (mem->acpi && place_acpi(&c))
		return -1;
	memset(c.bi, 0, LOADER_BOOT_INFO_SIZE);
	/* null, flat 32-bit code (accessed), flat data (accessed), busy 32-bit TSS at 0. */
	static const uint64_t entry_gdt[] = {0, 0x00cf9b000000ffffULL, 0x00cf93000000ffffULL,
					     0x00008b0000000067ULL};
	uint64_t gdt = bi_put(&c, entry_gdt, sizeof(entry_gdt), 8);
	ebx = plan.protocol == CONFIG_BOOT_PVH ? loader_write_pvh(&c) : loader_write_multiboot(&c);
	if (!ebx)
		return -1;

	*out = (struct guest_entry){
	    .rip = plan.entry,
	    .gdt_base = (uint32_t)gdt,
	    .gdt_limit = sizeof(entry_gdt) - 1,
	    .eax = plan.protocol == CONFIG_BOOT_PVH ? 0 : MULTIBOOT_BOOTLOADER_MAGIC,
	    .ebx = ebx,
	    .protocol = plan.protocol,
	};
	log_info("partition %s: image %s: %s, entry %#llx, %u segments up to %#llx, %u modules",
		 c.part, c.image, plan.protocol == CONFIG_BOOT_PVH ? "PVH" : "multiboot",
		 (unsigned long long)plan.entry, plan.nr_segments,
		 (unsigned long long)plan.image_end, c.nr_modules);
	return 0;
}
