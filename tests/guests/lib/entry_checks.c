/* Entry-state and memory-map checks shared by the entry guests. */
#include "tests/guests/lib/entry_checks.h"

extern const char __image_start[], __image_end[];

#define SEG_TYPE_CODE 0x8 /* in the 4-bit type: executable */
#define SEG_TYPE_RW   0x2 /* readable (code) or writable (data) */
#define FLAT_LIMIT    0xffffffffu

static void check_flat(const struct guest_entry_state *st, unsigned seg, const char *name,
		       bool code)
{
	struct seg_desc d;
	char what[32];

	guest_snprintf(what, sizeof(what), "%s-flat-32bit-%s", name, code ? "code" : "data");
	if (!entry_seg_desc(st, seg, &d)) {
		checkf(false, what, "selector %#x: no GDT descriptor to read", st->sel[seg]);
		return;
	}
	bool type_ok =
	    code ? (d.type & (SEG_TYPE_CODE | SEG_TYPE_RW)) == (SEG_TYPE_CODE | SEG_TYPE_RW)
		 : (d.type & (SEG_TYPE_CODE | SEG_TYPE_RW)) == SEG_TYPE_RW;
	checkf(d.present && d.s && type_ok && d.base == 0 && d.limit == FLAT_LIMIT && d.db && !d.l,
	       what, "selector %#x: base %#x limit %#x type %#x s %d p %d db %d l %d", st->sel[seg],
	       d.base, d.limit, d.type, d.s, d.present, d.db, d.l);
}

void check_entry_segments(const struct guest_entry_state *st, bool fs_gs)
{
	check_flat(st, ENTRY_SEG_CS, "cs", true);
	check_flat(st, ENTRY_SEG_DS, "ds", false);
	check_flat(st, ENTRY_SEG_ES, "es", false);
	check_flat(st, ENTRY_SEG_SS, "ss", false);
	if (fs_gs) {
		check_flat(st, ENTRY_SEG_FS, "fs", false);
		check_flat(st, ENTRY_SEG_GS, "gs", false);
	}
}

bool range_overlaps_image(uint64_t base, uint64_t len)
{
	uint64_t start = (uint64_t)__image_start, end = (uint64_t)__image_end;

	return len && base < end && base + len > start;
}

bool range_in_ram(const struct mem_range *map, unsigned n, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	if (end < base)
		return false;
	/* Walk forward through RAM entries that cover `base`, at most n steps. */
	for (unsigned step = 0; step <= n && base < end; step++) {
		bool advanced = false;
		for (unsigned i = 0; i < n; i++) {
			const struct mem_range *r = &map[i];
			if (r->type == MEM_TYPE_RAM && r->base <= base && base - r->base < r->len) {
				base = r->base + r->len;
				advanced = true;
				break;
			}
		}
		if (!advanced)
			return false;
	}
	return base >= end;
}

void check_memory_map(const struct mem_range *map, unsigned n)
{
	bool sane = n > 0, ram_at_0 = false, hole_free = true;

	for (unsigned i = 0; i < n; i++) {
		const struct mem_range *r = &map[i];
		guest_printf("guest %s: mem %#014llx-%#014llx type %u\n", guest_name,
			     (unsigned long long)r->base,
			     (unsigned long long)(r->base + r->len - 1), r->type);
		if (r->len == 0 || r->base + r->len < r->base)
			sane = false;
		for (unsigned j = 0; j < i; j++)
			if (r->base < map[j].base + map[j].len && map[j].base < r->base + r->len)
				sane = false;
		if (r->type == MEM_TYPE_RAM && r->base == 0)
			ram_at_0 = true;
		if (r->type == MEM_TYPE_RAM && r->base < LEGACY_HOLE_END &&
		    r->base + r->len > LEGACY_HOLE_START)
			hole_free = false;
	}
	check(sane, "memmap-entries-sane");
	check(ram_at_0, "memmap-ram-at-0");
	check(hole_free, "memmap-no-ram-in-legacy-hole");
	check(
	    range_in_ram(map, n, (uint64_t)__image_start, (uint64_t)(__image_end - __image_start)),
	    "memmap-image-in-ram");

	/* Tessera lists the hole as reserved; other loaders may leave a gap. */
	bool hole_reserved = false;
	for (unsigned i = 0; i < n; i++)
		if (map[i].type == MEM_TYPE_RESERVED && map[i].base <= LEGACY_HOLE_START &&
		    map[i].base + map[i].len >= LEGACY_HOLE_END)
			hole_reserved = true;
	if (on_tessera())
		check(hole_reserved, "memmap-legacy-hole-reserved");
	else
		skip("memmap-legacy-hole-reserved", "Tessera's contract; not running on Tessera");
}

bool pa_mapped(uint64_t pa, uint64_t len)
{
	return pa + len >= pa && pa + len <= 0x100000000ull;
}

size_t loader_strlen(uint64_t pa)
{
	if (!pa_mapped(pa, LOADER_STRING_MAX))
		return LOADER_STRING_MAX;
	return strnlen((const char *)pa, LOADER_STRING_MAX);
}
