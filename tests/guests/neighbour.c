/*
 * neighbour: a well-behaved partition that runs while another one attacks.
 * It fills most of its RAM (from 2 MiB to the end) with a pattern that
 * depends on the address and the pass, verifies it, and repeats: long enough
 * to overlap the attacks (cmdline "passes=N", default 4, at most 64). Any
 * word found changed is a failure: another partition (or Tessera) wrote it.
 * Its .data canary and its image's code must also be intact at the end.
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "neighbour";

#define AREA_START     0x200000ull /* above the image, which is linked at 1 MiB */
#define DEFAULT_PASSES 4
#define MAX_PASSES     64

extern const char __image_end[];

static volatile uint64_t data_canary = 0x6e65696768626f75ull; /* "neighbou" */

static uint64_t pattern(uint64_t addr, unsigned pass)
{
	return (addr * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)pass << 56) ^ 0xa5a5a5a5a5a5a5a5ull;
}

static void fill(uint64_t start, uint64_t end, unsigned pass)
{
	for (uint64_t a = start; a < end; a += 8)
		*(volatile uint64_t *)(uintptr_t)a = pattern(a, pass);
}

/* The number of words that differ; the first one is reported. */
static uint64_t verify(uint64_t start, uint64_t end, unsigned pass)
{
	uint64_t bad = 0;

	for (uint64_t a = start; a < end; a += 8) {
		uint64_t got = *(volatile uint64_t *)(uintptr_t)a;

		if (got != pattern(a, pass) && bad++ == 0)
			guest_printf(
			    "guest neighbour: pass %u: word at %#llx is %#llx, want %#llx\n", pass,
			    (unsigned long long)a, (unsigned long long)got,
			    (unsigned long long)pattern(a, pass));
	}
	return bad;
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t end = iso_ram_end(boot), passes = DEFAULT_PASSES, bad = 0;
	char word[16];

	if (cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "passes", word, sizeof(word)) &&
	    !(parse_u64(word, &passes) && passes >= 1 && passes <= MAX_PASSES)) {
		checkf(false, "passes-valid", "passes=%s: want 1..%u", word, MAX_PASSES);
		guest_finish();
	}
	if (end > 0x100000000ull)
		end = 0x100000000ull; /* the library maps the low 4 GiB only */
	if (!checkf((uint64_t)(uintptr_t)__image_end <= AREA_START && end >= AREA_START + 0x100000,
		    "area-usable", "image ends at %p, RAM at %#llx", (const void *)__image_end,
		    (unsigned long long)end))
		guest_finish();
	if (on_tessera()) {
		struct tessera_partition_info info;

		if (iso_partition_info(&info))
			check_eq("ram-end-is-partition-memory", end, info.memory_bytes);
	}

	guest_printf("guest neighbour: %llu passes over %#llx-%#llx\n", (unsigned long long)passes,
		     (unsigned long long)AREA_START, (unsigned long long)end - 1);
	for (unsigned pass = 0; pass < passes; pass++) {
		uint64_t t0 = rdtsc();
		uint64_t n;

		fill(AREA_START, end, pass);
		n = verify(AREA_START, end, pass);
		bad += n;
		guest_printf("guest neighbour: pass %u: %llu bad words, %llu ticks\n", pass,
			     (unsigned long long)n, (unsigned long long)(rdtsc() - t0));
	}
	checkf(bad == 0, "memory-pattern-intact", "%llu words changed under it",
	       (unsigned long long)bad);
	check_eq("data-canary-intact", data_canary, 0x6e65696768626f75ull);
}
