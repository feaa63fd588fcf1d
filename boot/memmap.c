/*
 * memmap_normalize(): the loader's memory map -> sorted, non-overlapping,
 * merged regions, with RAM trimmed to whole pages.
 *
 * Method: a sweep over the address space. From the lowest base, each step finds
 * the regions covering the current address and the nearest point where that set
 * changes (a region's start or end), and emits [pos, that point) with the
 * winning type; gaps are skipped. With n input regions there are at most 2n such
 * points, so at most 2n - 1 pieces and O(n^2) work, in a static scratch array
 * (no heap; called once on the boot CPU, not reentrant).
 *
 * Which type wins an overlap, from weakest to strongest:
 *   RAM < ACPI reclaimable < ACPI NVS < reserved and unknown types < bad.
 * RAM loses to everything (handing out memory the firmware also claims is the
 * one unrecoverable mistake); ACPI reclaimable becomes RAM once its tables are
 * read, NVS must survive but is still plain memory, reserved may be MMIO, and
 * bad memory must never be touched. Between reserved and unknown types, or two
 * unknown types, the higher type number wins, only so the result is
 * deterministic.
 *
 * Addresses: a region whose base + len passes 2^64 is clipped so that it ends at
 * 2^64 - 1 (exclusive). Every normalized region therefore satisfies
 * base + len <= UINT64_MAX, and callers may compute the end without wrapping.
 * The last byte of the 64-bit space is never described (no x86 CPU has it).
 */
#include "boot/boot_info.h"
#include "lib/log.h"
#include "lib/string.h"

struct piece {
	uint64_t base;
	uint64_t end; /* exclusive */
	uint32_t type;
};

static struct piece pieces[2 * BOOT_MAX_MEM_REGIONS];

static uint64_t region_end(const struct boot_mem_region *r)
{
	return r->len > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->len;
}

static unsigned int type_rank(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
		return 0;
	case BOOT_MEM_ACPI_RECLAIM:
		return 1;
	case BOOT_MEM_ACPI_NVS:
		return 2;
	case BOOT_MEM_BAD:
		return 4;
	default: /* reserved and every unknown type */
		return 3;
	}
}

static bool type_beats(uint32_t a, uint32_t b)
{
	unsigned int ra = type_rank(a), rb = type_rank(b);

	return ra > rb || (ra == rb && a > b);
}

/* Sweeps bi->mem[0..n) into pieces[]; returns how many pieces. */
static uint32_t resolve_overlaps(const struct boot_info *bi, uint32_t n)
{
	uint32_t count = 0;
	uint64_t pos = UINT64_MAX;

	for (uint32_t i = 0; i < n; i++)
		if (region_end(&bi->mem[i]) > bi->mem[i].base)
			pos = MIN(pos, bi->mem[i].base);

	for (;;) {
		bool covered = false, have_next = false;
		uint32_t type = 0;
		uint64_t next = UINT64_MAX;

		for (uint32_t i = 0; i < n; i++) {
			const struct boot_mem_region *r = &bi->mem[i];
			uint64_t end = region_end(r);

			if (r->base <= pos && pos < end) {
				if (!covered || type_beats(r->type, type))
					type = r->type;
				covered = true;
				next = MIN(next, end);
				have_next = true;
			} else if (r->base > pos && end > r->base) {
				next = MIN(next, r->base);
				have_next = true;
			}
		}
		if (!have_next)
			break;
		if (covered) {
			struct piece *last = count ? &pieces[count - 1] : NULL;

			if (last && last->type == type && last->end == pos) {
				last->end = next;
			} else if (count < ARRAY_SIZE(pieces)) {
				pieces[count++] = (struct piece){pos, next, type};
			} else {
				/* Cannot happen (at most 2n - 1 pieces); stop rather than overrun.
				 */
				log_warn("memmap: too many pieces, ignoring memory from %#llx",
					 (unsigned long long)pos);
				break;
			}
		}
		pos = next; /* next > pos: every candidate lies above pos */
	}
	return count;
}

void memmap_normalize(struct boot_info *bi)
{
	uint32_t n = MIN(bi->nr_mem, (uint32_t)BOOT_MAX_MEM_REGIONS);

	for (uint32_t i = 0; i < n; i++)
		if (bi->mem[i].len > UINT64_MAX - bi->mem[i].base)
			log_warn("memmap: region %#llx+%#llx passes the top of the address space, "
				 "clipped",
				 (unsigned long long)bi->mem[i].base,
				 (unsigned long long)bi->mem[i].len);

	uint32_t count = resolve_overlaps(bi, n);
	uint32_t out = 0, dropped = 0;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t base = pieces[i].base, end = pieces[i].end;

		if (pieces[i].type == BOOT_MEM_RAM) {
			if (base > UINT64_MAX - (PAGE_SIZE - 1))
				continue;
			base = ALIGN_UP(base, PAGE_SIZE);
			end = ALIGN_DOWN(end, PAGE_SIZE);
		}
		if (end <= base)
			continue;
		if (out == BOOT_MAX_MEM_REGIONS) {
			dropped++;
			continue;
		}
		bi->mem[out++] = (struct boot_mem_region){base, end - base, pieces[i].type};
	}
	/* Dropping the highest regions is safe: memory not listed is never used. */
	if (dropped)
		log_warn("memmap: %u regions above %#llx do not fit and are ignored", dropped,
			 (unsigned long long)(bi->mem[out - 1].base + bi->mem[out - 1].len));
	bi->nr_mem = out;
}

uint64_t memmap_ram_top(const struct boot_info *bi)
{
	uint64_t top = 0;
	uint32_t n = MIN(bi->nr_mem, (uint32_t)BOOT_MAX_MEM_REGIONS);

	for (uint32_t i = 0; i < n; i++)
		if (bi->mem[i].type == BOOT_MEM_RAM && bi->mem[i].len)
			top = MAX(top, region_end(&bi->mem[i]));
	return top;
}
