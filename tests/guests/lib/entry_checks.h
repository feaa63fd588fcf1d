/*
 * Checks that the entry guests (entry_pvh, entry_multiboot) share: the
 * segment state at entry and the loader's memory map, in a common form.
 */
#ifndef TESSERA_GUEST_LIB_ENTRY_CHECKS_H
#define TESSERA_GUEST_LIB_ENTRY_CHECKS_H

#include "tests/guests/lib/lib.h"

#define MEM_TYPE_RAM	  1 /* the E820 numbering both protocols use */
#define MEM_TYPE_RESERVED 2
#define MEM_MAP_MAX	  128
#define LEGACY_HOLE_START 0xa0000ull
#define LEGACY_HOLE_END	  0x100000ull
#define LOADER_STRING_MAX 4096

struct mem_range {
	uint64_t base, len;
	uint32_t type;
};

/* CS a flat 32-bit code segment; DS ES SS (and FS GS if asked) flat 32-bit data. */
void check_entry_segments(const struct guest_entry_state *st, bool fs_gs);
/* Entries sane, RAM at 0 and under the image, no RAM in 0xA0000-0xFFFFF. */
void check_memory_map(const struct mem_range *map, unsigned n);
/* [base, base + len) lies in RAM (adjacent RAM entries count as one). */
bool range_in_ram(const struct mem_range *map, unsigned n, uint64_t base, uint64_t len);
/* [base, base + len) shares a byte with this guest's image. */
bool range_overlaps_image(uint64_t base, uint64_t len);
/* [pa, pa + len) lies in the library's identity map (the low 4 GiB). */
bool pa_mapped(uint64_t pa, uint64_t len);
/* Length of a loader string at pa, at most LOADER_STRING_MAX (then unterminated). */
size_t loader_strlen(uint64_t pa);

#endif
