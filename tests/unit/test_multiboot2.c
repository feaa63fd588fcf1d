/* boot/multiboot2.c: mb2_parse() on synthetic boot information blocks. */
#include "tests/unit/check.h"
#include "tests/unit/fake_phys.h"
#include "boot/boot_info.h"
#include "boot/multiboot2.h"

#define INFO_PA 0x10000ULL

static struct boot_info bi;
static uint8_t blk[64 * 1024];
static uint32_t blk_off;

static void put32(uint32_t off, uint32_t v)
{
	memcpy(blk + off, &v, 4);
}

/* Starts a block; padding bytes are 'X' so an unterminated string would run on. */
static void mb_begin(void)
{
	memset(blk, 'X', sizeof(blk));
	put32(4, 0);
	blk_off = 8;
}

/* Appends a tag with the given payload; returns its offset. */
static uint32_t mb_tag(uint32_t type, const void *payload, uint32_t len)
{
	uint32_t off = blk_off;

	put32(off, type);
	put32(off + 4, 8 + len);
	if (len)
		memcpy(blk + off + 8, payload, len);
	blk_off = off + ((8 + len + 7) & ~7u);
	return off;
}

static void mb_string(uint32_t type, const char *s)
{
	mb_tag(type, s, (uint32_t)strlen(s) + 1);
}

static void mb_module(uint32_t start, uint32_t end, const char *cmdline)
{
	uint8_t p[8 + 4096];
	uint32_t n = (uint32_t)strlen(cmdline) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, cmdline, n);
	mb_tag(MB2_TAG_MODULE, p, 8 + n);
}

struct ent {
	uint64_t base, len;
	uint32_t type;
};

/* Memory map tag with entries entry_size bytes apart (extra bytes 0). */
static uint32_t mb_mmap_sized(const struct ent *e, uint32_t n, uint32_t entry_size)
{
	uint8_t p[8 + 200 * 40];

	memset(p, 0, sizeof(p));
	memcpy(p, &entry_size, 4);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(p + 8 + i * entry_size, &e[i].base, 8);
		memcpy(p + 8 + i * entry_size + 8, &e[i].len, 8);
		memcpy(p + 8 + i * entry_size + 16, &e[i].type, 4);
	}
	return mb_tag(MB2_TAG_MMAP, p, 8 + n * entry_size);
}

static const struct ent std_map[] = {
    {0, 0x9fc00, 1},
    {0x9fc00, 0x400, 2},
    {0x100000, 0xff00000, 1},
};

static void mb_std_mmap(void)
{
	mb_mmap_sized(std_map, 3, 24);
}

static void mb_end(void)
{
	mb_tag(MB2_TAG_END, NULL, 0);
}

/* Sets total_size to the built length and maps exactly that much. */
static int mb_parse_built(void)
{
	put32(0, blk_off);
	fake_phys_map(INFO_PA, blk, blk_off);
	check_log_clear();
	return mb2_parse(INFO_PA, fake_phys_read, &bi);
}

static void rsdp(uint8_t *p, uint8_t rev, uint32_t len)
{
	memset(p, 0, len);
	memcpy(p, "RSD PTR ", 8);
	p[15] = rev;
	p[len - 1] = 0xab; /* marks the last byte copied */
}

TEST(good_block)
{
	uint8_t v1[20], v2[36];
	uint8_t other[12] = {1, 2, 3};

	rsdp(v1, 0, 20);
	rsdp(v2, 2, 36);
	mb_begin();
	mb_string(MB2_TAG_CMDLINE, "e9 loglevel=3");
	mb_string(MB2_TAG_LOADER_NAME, "GRUB 2.06");
	mb_module(0x200000, 0x201000, "guest1 console=ttyS0");
	mb_tag(MB2_TAG_ACPI_NEW, v2, 36);
	mb_tag(MB2_TAG_LOAD_BASE_ADDR, other, 4);
	mb_std_mmap();
	mb_tag(MB2_TAG_ACPI_OLD, v1, 20);
	mb_module(0x300000, 0x300000, "");
	mb_tag(99, other, sizeof(other));
	mb_end();
	bi.nr_mem = 77; /* must be reset by the parser */
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.protocol, BOOT_PROTO_MULTIBOOT2);
	CHECK_STR(bi.cmdline, "e9 loglevel=3");
	CHECK_STR(bi.loader_name, "GRUB 2.06");
	CHECK_EQ(bi.nr_modules, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x201000);
	CHECK_STR(bi.modules[0].cmdline, "guest1 console=ttyS0");
	CHECK_EQ(bi.modules[1].start, 0x300000);
	CHECK_EQ(bi.modules[1].end, 0x300000);
	CHECK_STR(bi.modules[1].cmdline, "");
	CHECK_EQ(bi.nr_mem, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(bi.mem[i].base, std_map[i].base);
		CHECK_EQ(bi.mem[i].len, std_map[i].len);
		CHECK_EQ(bi.mem[i].type, std_map[i].type);
	}
	/* tag 15 wins although tag 14 came later */
	CHECK_EQ(bi.rsdp_copy_len, 36);
	CHECK(memcmp(bi.rsdp_copy, v2, 36) == 0);
	CHECK_EQ(bi.rsdp, 0);
	CHECK_EQ(check_log[0], '\0');
}

TEST(acpi_old_only)
{
	uint8_t v1[24];

	rsdp(v1, 0, 20);
	mb_begin();
	mb_std_mmap();
	mb_tag(MB2_TAG_ACPI_OLD, v1, 20);
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.rsdp_copy_len, 20);
	CHECK(memcmp(bi.rsdp_copy, v1, 20) == 0);
	CHECK_STR(bi.cmdline, "");
	CHECK_STR(bi.loader_name, "");
}

TEST(acpi_malformed_ignored)
{
	uint8_t v2[36];

	rsdp(v2, 2, 36);
	mb_begin();
	mb_std_mmap();
	mb_tag(MB2_TAG_ACPI_NEW, v2, 30); /* too short */
	v2[0] = 'X';
	mb_tag(MB2_TAG_ACPI_NEW, v2, 36); /* bad signature */
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.rsdp_copy_len, 0);
	CHECK(strstr(check_log, "holds 30 bytes"));
	CHECK(strstr(check_log, "signature"));
}

TEST(total_size_bounds)
{
	mb_begin();
	mb_std_mmap();
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);

	static const uint32_t bad[] = {0, 8, 15, 2 * 1024 * 1024, 0xffffffff};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put32(0, bad[i]);
		fake_phys_map(INFO_PA, blk, sizeof(blk));
		check_log_clear();
		CHECK_EQ(mb2_parse(INFO_PA, fake_phys_read, &bi), -1);
		CHECK(strstr(check_log, "total_size"));
	}
}

TEST(total_size_past_readable)
{
	mb_begin();
	mb_std_mmap();
	mb_end();
	put32(0, blk_off + 64); /* claims more than the reader grants */
	fake_phys_map(INFO_PA, blk, blk_off);
	check_log_clear();
	CHECK_EQ(mb2_parse(INFO_PA, fake_phys_read, &bi), -1);
	CHECK(strstr(check_log, "not readable"));
}

TEST(info_unreadable)
{
	fake_phys_map(INFO_PA, blk, 4); /* not even the 8-byte header */
	CHECK_EQ(mb2_parse(INFO_PA, fake_phys_read, &bi), -1);
	CHECK_EQ(mb2_parse(0x5000, fake_phys_read, &bi), -1);
	CHECK_EQ(mb2_parse(UINT64_MAX - 3, fake_phys_read, &bi), -1);
}

TEST(tag_size_below_8)
{
	static const uint32_t sizes[] = {0, 4, 7};

	for (unsigned i = 0; i < 3; i++) {
		mb_begin();
		mb_std_mmap();
		uint32_t off = mb_tag(MB2_TAG_CMDLINE, "hi", 3);
		mb_end();
		put32(off + 4, sizes[i]);
		CHECK_EQ(mb_parse_built(), -1);
		CHECK(strstr(check_log, "has size"));
	}
}

TEST(tag_past_total_size)
{
	mb_begin();
	mb_std_mmap();
	uint32_t off = mb_tag(MB2_TAG_CMDLINE, "hi", 3);
	mb_end();
	put32(off + 4, blk_off - off + 1); /* one byte past the block */
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "has size"));

	/* an mmap tag whose size claims more entries than the block holds */
	mb_begin();
	off = mb_mmap_sized(std_map, 3, 24);
	mb_end();
	put32(off + 4, 16 + 24 * 100);
	CHECK_EQ(mb_parse_built(), -1);
}

TEST(truncated_tag_header)
{
	mb_begin();
	mb_std_mmap();
	mb_end();
	blk_off -= 4; /* the end tag is cut in half */
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "runs past total_size"));
}

TEST(missing_end_tag)
{
	mb_begin();
	mb_std_mmap();
	mb_string(MB2_TAG_CMDLINE, "x");
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "no end tag"));
}

TEST(missing_mmap)
{
	mb_begin();
	mb_string(MB2_TAG_CMDLINE, "x");
	mb_end();
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "no memory map"));
}

TEST(bad_entry_size)
{
	static const uint32_t sizes[] = {0, 8, 20, 28, 30};

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		mb_begin();
		uint32_t off = mb_mmap_sized(std_map, 3, 24);
		mb_end();
		put32(off + 8, sizes[i]);
		CHECK_EQ(mb_parse_built(), -1);
		CHECK(strstr(check_log, "entry size"));
	}
}

TEST(larger_entry_size)
{
	mb_begin();
	mb_mmap_sized(std_map, 3, 40);
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 3);
	CHECK_EQ(bi.mem[2].base, 0x100000);
	CHECK_EQ(bi.mem[2].len, 0xff00000);
	CHECK_EQ(bi.mem[2].type, 1);
}

TEST(empty_maps)
{
	/* no entries at all */
	mb_begin();
	mb_mmap_sized(std_map, 0, 24);
	mb_end();
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "no entries"));

	/* a tag too short for its own header */
	mb_begin();
	uint32_t off = mb_mmap_sized(std_map, 0, 24);
	mb_end();
	put32(off + 4, 12);
	CHECK_EQ(mb_parse_built(), -1);

	/* only zero-length entries */
	static const struct ent zero[] = {{0x1000, 0, 1}, {0x5000, 0, 1}};
	mb_begin();
	mb_mmap_sized(zero, 2, 24);
	mb_end();
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "length 0"));

	/* zero-length entries are skipped among good ones */
	static const struct ent mixed[] = {{0x1000, 0, 1}, {0x5000, 0x1000, 1}};
	mb_begin();
	mb_mmap_sized(mixed, 2, 24);
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK_EQ(bi.mem[0].base, 0x5000);
}

TEST(stray_bytes_in_mmap)
{
	mb_begin();
	uint32_t off = mb_mmap_sized(std_map, 3, 24);
	put32(off + 4, 16 + 2 * 24 + 8); /* 2 entries and 8 stray bytes */
	blk_off = off + 16 + 2 * 24 + 8;
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 2);
	CHECK(strstr(check_log, "stray"));
}

TEST(unterminated_strings)
{
	mb_begin();
	mb_tag(MB2_TAG_CMDLINE, "abc", 3); /* no NUL; padding is 'X' */
	mb_tag(MB2_TAG_LOADER_NAME, "", 0);
	uint8_t p[8 + 5];
	uint32_t s = 0x1000, e = 0x2000;
	memcpy(p, &s, 4);
	memcpy(p + 4, &e, 4);
	memcpy(p + 8, "mod-1", 5);
	mb_tag(MB2_TAG_MODULE, p, sizeof(p));
	mb_std_mmap();
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_STR(bi.cmdline, "abc");
	CHECK_STR(bi.loader_name, "");
	CHECK_STR(bi.modules[0].cmdline, "mod-1");
}

TEST(long_strings_truncated)
{
	static char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	mb_begin();
	mb_string(MB2_TAG_CMDLINE, big);
	mb_module(0x1000, 0x2000, big);
	mb_string(MB2_TAG_LOADER_NAME, big);
	mb_std_mmap();
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK_EQ(strlen(bi.modules[0].cmdline), BOOT_MOD_CMDLINE_MAX - 1);
	CHECK_EQ(strlen(bi.loader_name), sizeof(bi.loader_name) - 1);
	CHECK(strstr(check_log, "truncated"));
}

TEST(module_errors)
{
	mb_begin();
	mb_std_mmap();
	mb_module(0x3000, 0x2fff, "backwards");
	mb_end();
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "before it starts"));

	mb_begin();
	mb_std_mmap();
	uint8_t p[4] = {0};
	mb_tag(MB2_TAG_MODULE, p, 4); /* no room for mod_end */
	mb_end();
	CHECK_EQ(mb_parse_built(), -1);
	CHECK(strstr(check_log, "module tag"));
}

TEST(too_many_modules)
{
	char name[16];

	mb_begin();
	mb_std_mmap();
	for (uint32_t i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		mb_module(0x100000 * (i + 1), 0x100000 * (i + 1) + 0x1000, name);
	}
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_modules, BOOT_MAX_MODULES);
	CHECK_STR(bi.modules[0].cmdline, "m0");
	CHECK_STR(bi.modules[15].cmdline, "m15");
	CHECK_EQ(bi.modules[15].start, 0x1000000);
	CHECK(strstr(check_log, "20 modules given"));
}

TEST(too_many_regions)
{
	static struct ent many[200];

	for (uint32_t i = 0; i < 200; i++)
		many[i] = (struct ent){0x10000ULL * i, 0x8000, 1 + i % 2};
	mb_begin();
	mb_mmap_sized(many, 200, 24);
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
	CHECK_EQ(bi.mem[127].base, 0x10000ULL * 127);
	CHECK_EQ(bi.mem[127].type, 2);
	CHECK(strstr(check_log, "200 memory regions"));
}

TEST(second_mmap_ignored)
{
	static const struct ent other[] = {{0x40000000, 0x1000, 1}};

	mb_begin();
	mb_std_mmap();
	mb_mmap_sized(other, 1, 24);
	mb_end();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 3);
	CHECK(strstr(check_log, "second memory map"));
}

TEST(unaligned_block)
{
	/* The parser must not depend on the loader's alignment (UBSan checks). */
	mb_begin();
	mb_std_mmap();
	mb_end();
	put32(0, blk_off);
	static uint8_t shifted[4096];
	memcpy(shifted + 1, blk, blk_off);
	fake_phys_map(INFO_PA + 1, shifted + 1, blk_off);
	CHECK_EQ(mb2_parse(INFO_PA + 1, fake_phys_read, &bi), 0);
	CHECK_EQ(bi.nr_mem, 3);
}

int main(void)
{
	CHECK_MAIN("multiboot2");
	RUN(good_block);
	RUN(acpi_old_only);
	RUN(acpi_malformed_ignored);
	RUN(total_size_bounds);
	RUN(total_size_past_readable);
	RUN(info_unreadable);
	RUN(tag_size_below_8);
	RUN(tag_past_total_size);
	RUN(truncated_tag_header);
	RUN(missing_end_tag);
	RUN(missing_mmap);
	RUN(bad_entry_size);
	RUN(larger_entry_size);
	RUN(empty_maps);
	RUN(stray_bytes_in_mmap);
	RUN(unterminated_strings);
	RUN(long_strings_truncated);
	RUN(module_errors);
	RUN(too_many_modules);
	RUN(too_many_regions);
	RUN(second_mmap_ignored);
	RUN(unaligned_block);
	return CHECK_END();
}
