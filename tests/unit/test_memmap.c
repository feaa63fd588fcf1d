/* boot/memmap.c: memmap_normalize() and memmap_ram_top(). */
#include "tests/unit/check.h"
#include "boot/boot_info.h"

#define RAM  BOOT_MEM_RAM
#define RES  BOOT_MEM_RESERVED
#define ACPI BOOT_MEM_ACPI_RECLAIM
#define NVS  BOOT_MEM_ACPI_NVS
#define BAD  BOOT_MEM_BAD

static struct boot_info bi;

struct reg {
	uint64_t base, len;
	uint32_t type;
};

static void set_map(const struct reg *r, uint32_t n)
{
	memset(&bi, 0, sizeof(bi));
	for (uint32_t i = 0; i < n; i++)
		bi.mem[i] = (struct boot_mem_region){r[i].base, r[i].len, r[i].type};
	bi.nr_mem = n;
	check_log_clear();
}

/* Normalizes r and compares with want; returns false (after printing) on mismatch. */
static bool normalizes_to(const struct reg *r, uint32_t n, const struct reg *want, uint32_t nw)
{
	set_map(r, n);
	memmap_normalize(&bi);
	bool ok = bi.nr_mem == nw;
	for (uint32_t i = 0; ok && i < nw; i++)
		ok = bi.mem[i].base == want[i].base && bi.mem[i].len == want[i].len &&
		     bi.mem[i].type == want[i].type;
	if (!ok) {
		printf("  got %u regions:\n", bi.nr_mem);
		for (uint32_t i = 0; i < bi.nr_mem; i++)
			printf("    %#llx +%#llx type %u\n", (unsigned long long)bi.mem[i].base,
			       (unsigned long long)bi.mem[i].len, bi.mem[i].type);
	}
	return ok;
}

#define N(a)		     (uint32_t)(sizeof(a) / sizeof((a)[0]))
#define CHECK_NORM(in, want) CHECK(normalizes_to(in, N(in), want, N(want)))

TEST(clean_map_unchanged)
{
	static const struct reg in[] = {
	    {0, 0x9f000, RAM}, {0x9f000, 0x1000, RES}, {0x100000, 0x7ff00000, RAM}};
	CHECK_NORM(in, in);
	CHECK_EQ(check_log[0], '\0');
}

TEST(unsorted)
{
	static const struct reg in[] = {
	    {0x100000, 0x100000, RAM}, {0xf0000, 0x10000, RES}, {0, 0x1000, RAM}};
	static const struct reg want[] = {
	    {0, 0x1000, RAM}, {0xf0000, 0x10000, RES}, {0x100000, 0x100000, RAM}};
	CHECK_NORM(in, want);
}

TEST(partial_overlap)
{
	static const struct reg in[] = {{0, 0x10000, RAM}, {0x8000, 0x18000, RES}};
	static const struct reg want[] = {{0, 0x8000, RAM}, {0x8000, 0x18000, RES}};
	CHECK_NORM(in, want);

	/* the same with the reserved region first and overlapping from below */
	static const struct reg in2[] = {{0x8000, 0x10000, RAM}, {0, 0xa000, RES}};
	static const struct reg want2[] = {{0, 0xa000, RES}, {0xa000, 0xe000, RAM}};
	CHECK_NORM(in2, want2);
}

TEST(nested_overlap)
{
	/* a reserved hole inside RAM, not page aligned: RAM around it loses partial pages */
	static const struct reg in[] = {{0, 0x100000, RAM}, {0x9fc00, 0x400, RES}};
	static const struct reg want[] = {
	    {0, 0x9f000, RAM}, {0x9fc00, 0x400, RES}, {0xa0000, 0x60000, RAM}};
	CHECK_NORM(in, want);

	/* three levels deep */
	static const struct reg in3[] = {
	    {0, 0x10000, RAM}, {0x2000, 0x6000, ACPI}, {0x4000, 0x2000, RES}};
	static const struct reg want3[] = {{0, 0x2000, RAM},
					   {0x2000, 0x2000, ACPI},
					   {0x4000, 0x2000, RES},
					   {0x6000, 0x2000, ACPI},
					   {0x8000, 0x8000, RAM}};
	CHECK_NORM(in3, want3);

	/* RAM nested inside reserved disappears */
	static const struct reg in4[] = {{0x1000, 0x1000, RAM}, {0, 0x10000, RES}};
	static const struct reg want4[] = {{0, 0x10000, RES}};
	CHECK_NORM(in4, want4);
}

TEST(type_priority)
{
	static const struct reg a[] = {{0, 0x2000, RES}, {0x1000, 0x2000, ACPI}};
	static const struct reg wa[] = {{0, 0x2000, RES}, {0x2000, 0x1000, ACPI}};
	CHECK_NORM(a, wa);

	static const struct reg b[] = {{0, 0x2000, NVS}, {0x1000, 0x2000, ACPI}};
	static const struct reg wb[] = {{0, 0x2000, NVS}, {0x2000, 0x1000, ACPI}};
	CHECK_NORM(b, wb);

	static const struct reg c[] = {{0, 0x2000, RES}, {0x1000, 0x2000, BAD}};
	static const struct reg wc[] = {{0, 0x1000, RES}, {0x1000, 0x2000, BAD}};
	CHECK_NORM(c, wc);

	/* unknown types rank with reserved; the higher number wins the tie */
	static const struct reg d[] = {{0, 0x2000, 7}, {0x1000, 0x2000, RES}, {0x1800, 0x100, 12}};
	static const struct reg wd[] = {
	    {0, 0x1800, 7}, {0x1800, 0x100, 12}, {0x1900, 0x700, 7}, {0x2000, 0x1000, RES}};
	CHECK_NORM(d, wd);

	/* bad memory beats an unknown type */
	static const struct reg e[] = {{0, 0x2000, 200}, {0, 0x1000, BAD}};
	static const struct reg we[] = {{0, 0x1000, BAD}, {0x1000, 0x1000, 200}};
	CHECK_NORM(e, we);
}

TEST(adjacency_merge)
{
	/* RAM split at an unaligned boundary must not lose the page across it */
	static const struct reg in[] = {
	    {0x1800, 0x1800, RAM}, {0, 0x1800, RAM}, {0x3000, 0x1000, RES}, {0x4000, 0x10, RES}};
	static const struct reg want[] = {{0, 0x3000, RAM}, {0x3000, 0x1010, RES}};
	CHECK_NORM(in, want);

	/* adjacent regions of different types stay apart; same type across a gap too */
	static const struct reg in2[] = {
	    {0, 0x1000, RAM}, {0x1000, 0x1000, ACPI}, {0x2000, 0x1000, RAM}, {0x4000, 0x1000, RAM}};
	CHECK_NORM(in2, in2);

	/* overlapping and duplicate regions of the same type fuse */
	static const struct reg in3[] = {
	    {0, 0x3000, RAM}, {0x1000, 0x4000, RAM}, {0, 0x3000, RAM}, {0, 0x3000, RAM}};
	static const struct reg want3[] = {{0, 0x5000, RAM}};
	CHECK_NORM(in3, want3);
}

TEST(ram_trimmed_and_empty_dropped)
{
	static const struct reg in[] = {{0x1234, 0x4444, RAM},	/* -> 0x2000..0x5000 */
					{0x10000, 0, RES},	/* empty */
					{0x20000, 0, RAM},	/* empty */
					{0x30100, 0xe00, RAM},	/* no whole page */
					{0x40010, 0x20, ACPI}}; /* not RAM: kept as is */
	static const struct reg want[] = {{0x2000, 0x3000, RAM}, {0x40010, 0x20, ACPI}};
	CHECK_NORM(in, want);

	static const struct reg none[] = {{0x10, 0x10, RAM}, {0x5000, 0, RES}};
	set_map(none, N(none));
	memmap_normalize(&bi);
	CHECK_EQ(bi.nr_mem, 0);

	set_map(none, 0);
	memmap_normalize(&bi);
	CHECK_EQ(bi.nr_mem, 0);
}

TEST(top_of_address_space)
{
	static const struct reg in[] = {
	    {0xffffffffffff0000ULL, 0x20000, RAM},    /* wraps */
	    {0xfffffffe00000000ULL, UINT64_MAX, RES}, /* wraps far */
	    {0xffffffffffffffffULL, 1, RES},	      /* only the last byte */
	    {0xfffffffffffff800ULL, 0x10, RES},	      /* inside the RAM's last page */
	    {0x1000, 0xfffffffffffff000ULL, ACPI},    /* ends exactly at 2^64 */
	};
	set_map(in, N(in));
	memmap_normalize(&bi);
	CHECK(strstr(check_log, "top of the address space"));
	/* ACPI covers everything from 0x1000 up, RES beats it above 0xfffffffe00000000 */
	CHECK_EQ(bi.nr_mem, 2);
	CHECK_EQ(bi.mem[0].base, 0x1000);
	CHECK_EQ(bi.mem[0].type, ACPI);
	CHECK_EQ(bi.mem[1].base, 0xfffffffe00000000ULL);
	CHECK_EQ(bi.mem[1].type, RES);
	CHECK_EQ(bi.mem[1].base + bi.mem[1].len, UINT64_MAX);

	/* RAM alone at the top: clipped and trimmed, base + len does not wrap */
	static const struct reg ram[] = {{0xffffffffffff0000ULL, 0x20000, RAM},
					 {0xfffffffffffffff0ULL, 0x10, RAM}};
	static const struct reg want[] = {{0xffffffffffff0000ULL, 0xf000, RAM}};
	CHECK_NORM(ram, want);
	CHECK_EQ(memmap_ram_top(&bi), 0xfffffffffffff000ULL);

	/* the largest possible region */
	static const struct reg all[] = {{0, UINT64_MAX, RES}, {1, UINT64_MAX, RES}};
	static const struct reg wall[] = {{0, UINT64_MAX, RES}};
	CHECK_NORM(all, wall);
}

TEST(too_many_pieces)
{
	/* one RAM region with 127 holes makes 255 pieces: the top ones are dropped */
	struct reg in[128];

	in[0] = (struct reg){0, 1ULL << 30, RAM};
	for (uint32_t i = 1; i < 128; i++)
		in[i] = (struct reg){i * 0x100000ULL, 0x1000, RES};
	set_map(in, 128);
	memmap_normalize(&bi);
	CHECK_EQ(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
	CHECK(strstr(check_log, "do not fit"));
	for (uint32_t i = 0; i < bi.nr_mem; i++) {
		CHECK_EQ(bi.mem[i].type, i % 2 ? RES : RAM);
		if (i)
			CHECK(bi.mem[i].base == bi.mem[i - 1].base + bi.mem[i - 1].len);
	}
}

TEST(hostile_count)
{
	static const struct reg in[] = {{0x1000, 0x1000, RAM}};
	set_map(in, 1);
	bi.nr_mem = 100000; /* the rest of the array is zeroed: empty regions */
	memmap_normalize(&bi);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK_EQ(bi.mem[0].base, 0x1000);
	bi.nr_mem = 100000;
	CHECK_EQ(memmap_ram_top(&bi), 0x2000);
}

TEST(ram_top)
{
	static const struct reg in[] = {
	    {0, 0x9f000, RAM}, {0x100000, 0xff00000, RAM}, {0xfec00000, 0x1000, RES}};
	set_map(in, N(in));
	CHECK_EQ(memmap_ram_top(&bi), 0x10000000);

	static const struct reg none[] = {{0xfec00000, 0x1000, RES}};
	set_map(none, 1);
	CHECK_EQ(memmap_ram_top(&bi), 0);
}

/* ---- randomized comparison with a brute-force model -------------------------- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static int rank(uint32_t t)
{
	return t == RAM ? 0 : t == ACPI ? 1 : t == NVS ? 2 : t == BAD ? 4 : 3;
}

/* The winning input type at address a, 0 if none covers it. */
static uint32_t model_type(const struct reg *r, uint32_t n, uint64_t a)
{
	uint32_t best = 0;

	for (uint32_t i = 0; i < n; i++)
		if (a >= r[i].base && a < r[i].base + r[i].len) {
			uint32_t t = r[i].type;
			if (!best || rank(t) > rank(best) || (rank(t) == rank(best) && t > best))
				best = t;
		}
	return best;
}

static uint32_t out_type(uint64_t a)
{
	for (uint32_t i = 0; i < bi.nr_mem; i++)
		if (a >= bi.mem[i].base && a < bi.mem[i].base + bi.mem[i].len)
			return bi.mem[i].type;
	return 0;
}

TEST(random_against_model)
{
	static const uint32_t types[] = {RAM, RAM, RAM, RES, ACPI, NVS, BAD, 7, 12};
	struct reg in[24];

	for (int round = 0; round < 2000; round++) {
		uint32_t n = 1 + rng() % 24;
		for (uint32_t i = 0; i < n; i++) {
			in[i].base = (rng() % 64) * 0x400;
			in[i].len = (rng() % 24) * 0x400;
			in[i].type = types[rng() % N(types)];
		}
		set_map(in, n);
		memmap_normalize(&bi);

		for (uint32_t i = 0; i < bi.nr_mem; i++) {
			const struct boot_mem_region *m = &bi.mem[i];
			CHECK(m->len > 0);
			if (m->type == RAM)
				CHECK(m->base % 4096 == 0 && m->len % 4096 == 0);
			if (i) {
				const struct boot_mem_region *p = &bi.mem[i - 1];
				CHECK(p->base + p->len <= m->base);
				CHECK(p->base + p->len < m->base || p->type != m->type);
			}
		}
		for (uint64_t a = 0; a < 0x1a000; a += 0x400) {
			uint32_t want = model_type(in, n, a), got = out_type(a);
			if (want == RAM) {
				/* RAM survives exactly where its whole page is RAM */
				uint64_t page = a & ~0xfffULL;
				bool whole = true;
				for (uint64_t b = page; b < page + 0x1000; b += 0x400)
					whole = whole && model_type(in, n, b) == RAM;
				CHECK_EQ(got, whole ? RAM : 0);
			} else {
				CHECK_EQ(got, want);
			}
		}
	}
}

int main(void)
{
	CHECK_MAIN("memmap");
	RUN(clean_map_unchanged);
	RUN(unsorted);
	RUN(partial_overlap);
	RUN(nested_overlap);
	RUN(type_priority);
	RUN(adjacency_merge);
	RUN(ram_trimmed_and_empty_dropped);
	RUN(top_of_address_space);
	RUN(too_many_pieces);
	RUN(hostile_count);
	RUN(ram_top);
	RUN(random_against_model);
	return CHECK_END();
}
