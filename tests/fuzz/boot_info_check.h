/*
 * The promises of struct boot_info (boot/boot_info.h), checked by the harnesses
 * of its parsers (fuzz_multiboot2.c, fuzz_pvh.c) and of memmap_normalize()
 * (fuzz_memmap.c; the parsers' harnesses normalize what they return too).
 */
#ifndef TESSERA_TESTS_FUZZ_BOOT_INFO_CHECK_H
#define TESSERA_TESTS_FUZZ_BOOT_INFO_CHECK_H

#include "tests/fuzz/fuzz.h"
#include "boot/boot_info.h"
#include "tests/unit/fake_phys.h"

/* What a parser that returned 0 promises. */
static inline void check_parsed_boot_info(const struct boot_info *bi)
{
	FUZZ_CHECK(bi->nr_mem <= BOOT_MAX_MEM_REGIONS);
	FUZZ_CHECK(bi->nr_modules <= BOOT_MAX_MODULES);
	FUZZ_CHECK(fuzz_terminated(bi->cmdline, sizeof(bi->cmdline)));
	FUZZ_CHECK(fuzz_terminated(bi->loader_name, sizeof(bi->loader_name)));
	FUZZ_CHECK(bi->rsdp_copy_len == 0 || bi->rsdp_copy_len == 20 || bi->rsdp_copy_len == 36);
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		FUZZ_CHECK(bi->mem[i].len != 0);
	for (uint32_t i = 0; i < bi->nr_modules; i++) {
		FUZZ_CHECK(bi->modules[i].start <= bi->modules[i].end);
		FUZZ_CHECK(fuzz_terminated(bi->modules[i].cmdline, sizeof(bi->modules[i].cmdline)));
	}
}

/*
 * The documented order of memory types, weakest first: RAM < ACPI reclaimable
 * < ACPI NVS < reserved and unknown (the higher number first) < bad.
 */
static inline unsigned fuzz_mem_rank(uint32_t type)
{
	return type == BOOT_MEM_RAM	       ? 0
	       : type == BOOT_MEM_ACPI_RECLAIM ? 1
	       : type == BOOT_MEM_ACPI_NVS     ? 2
	       : type == BOOT_MEM_BAD	       ? 4
					       : 3;
}

static inline int fuzz_mem_beats(uint32_t a, uint32_t b)
{
	return fuzz_mem_rank(a) > fuzz_mem_rank(b) ||
	       (fuzz_mem_rank(a) == fuzz_mem_rank(b) && a > b);
}

/* The type the input map gives to address p (0 when no region covers it). */
static inline uint32_t fuzz_mem_type_at(const struct boot_mem_region *in, uint32_t n, uint64_t p)
{
	uint32_t type = 0;
	int covered = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t end =
		    in[i].len > UINT64_MAX - in[i].base ? UINT64_MAX : in[i].base + in[i].len;

		if (in[i].base <= p && p < end && (!covered || fuzz_mem_beats(in[i].type, type))) {
			type = in[i].type;
			covered = 1;
		}
	}
	return covered ? type : 0;
}

/*
 * memmap_normalize() turned in[0..n) into bi->mem: sorted, non-overlapping,
 * non-empty, not wrapping, adjacent regions of one type merged, RAM in whole
 * pages, memmap_ram_top() the end of the last RAM, and at both ends of each region the type the
 * input's strongest region there gives. When nothing was dropped (more than the array holds), every
 * point the input covers with a non-RAM type is listed with that type.
 */
static inline void check_normalized(const struct boot_info *bi, const struct boot_mem_region *in,
				    uint32_t n, int dropped)
{
	uint64_t ram_top = 0;

	FUZZ_CHECK(bi->nr_mem <= BOOT_MAX_MEM_REGIONS);
	for (uint32_t i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_region *r = &bi->mem[i];

		if (r->type == BOOT_MEM_RAM)
			ram_top = r->base + r->len;

		FUZZ_CHECK(r->len != 0 && r->base <= UINT64_MAX - r->len);
		if (r->type == BOOT_MEM_RAM)
			FUZZ_CHECK(IS_ALIGNED(r->base, PAGE_SIZE) && IS_ALIGNED(r->len, PAGE_SIZE));
		if (i > 0) {
			const struct boot_mem_region *prev = &bi->mem[i - 1];

			FUZZ_CHECK(prev->base + prev->len <= r->base);
			FUZZ_CHECK(prev->base + prev->len < r->base || prev->type != r->type);
		}
		FUZZ_CHECK(fuzz_mem_type_at(in, n, r->base) == r->type);
		FUZZ_CHECK(fuzz_mem_type_at(in, n, r->base + r->len - 1) == r->type);
	}
	FUZZ_CHECK(memmap_ram_top(bi) == ram_top);
	if (dropped)
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t p = in[i].base;
		uint32_t want = fuzz_mem_type_at(in, n, p);
		uint32_t j;

		if (!in[i].len || want == BOOT_MEM_RAM || p == UINT64_MAX)
			continue;
		for (j = 0; j < bi->nr_mem; j++)
			if (bi->mem[j].base <= p && p - bi->mem[j].base < bi->mem[j].len)
				break;
		FUZZ_CHECK(j < bi->nr_mem && bi->mem[j].type == want);
	}
}

/*
 * A harness for a boot-information parser (mb2_parse, pvh_parse): the input is
 * the loader's block and all it points to, mapped from INFO_PA in an exactly
 * sized buffer. On failure the parser must have said why (a line starting with
 * `prefix`); on success its result must keep its promises, and so must
 * memmap_normalize() run on the map it returned, as boot/boot.c does.
 */
#define FUZZ_INFO_PA 0x10000

static inline void fuzz_boot_parser(int (*parse)(uint64_t, phys_reader_t, struct boot_info *),
				    const char *prefix, enum boot_protocol protocol,
				    const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct boot_mem_region in[BOOT_MAX_MEM_REGIONS];
	uint32_t n;

	fake_phys_map(FUZZ_INFO_PA, data, size);
	check_log_clear();
	if (parse(FUZZ_INFO_PA, fake_phys_read, &bi) != 0) {
		FUZZ_CHECK(strstr(check_log, prefix) != NULL);
		return;
	}
	FUZZ_CHECK(bi.protocol == protocol);
	check_parsed_boot_info(&bi);
	n = bi.nr_mem;
	memcpy(in, bi.mem, sizeof(in));
	check_log_clear();
	memmap_normalize(&bi);
	check_normalized(&bi, in, n, strstr(check_log, "do not fit") != NULL);
}

#endif
