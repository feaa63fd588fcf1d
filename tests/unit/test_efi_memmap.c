/*
 * The UEFI memory map in multiboot2 (tag 17, boot/multiboot2.c) and the EFI
 * type conversion (boot/efi_memmap.c): preferred over tag 6 in either order,
 * merged, converted, and ignored (tag 6 used) when malformed.
 */
#include "tests/unit/check.h"
#include "tests/unit/fake_phys.h"
#include "boot/boot_info.h"
#include "boot/efi.h"
#include "boot/multiboot2.h"

#define INFO_PA 0x20000ULL

static struct boot_info bi;
static uint8_t blk[32 * 1024];
static uint32_t blk_off;

static void put32(uint32_t off, uint32_t v)
{
	memcpy(blk + off, &v, 4);
}

static void put64(uint32_t off, uint64_t v)
{
	memcpy(blk + off, &v, 8);
}

static void mb_begin(void)
{
	memset(blk, 0, sizeof(blk));
	blk_off = 8;
}

/* Starts a tag of `len` payload bytes (zeroed) and returns the payload's offset. */
static uint32_t mb_tag(uint32_t type, uint32_t len)
{
	uint32_t off = blk_off;

	put32(off, type);
	put32(off + 4, 8 + len);
	blk_off = off + ((8 + len + 7) & ~7u);
	return off + 8;
}

/* Tag 6 with one RAM entry at 0x40000000, so it can be told from the EFI map. */
static void mb_e820(void)
{
	uint32_t p = mb_tag(MB2_TAG_MMAP, 8 + 24);

	put32(p, 24);
	put64(p + 8, 0x40000000);
	put64(p + 16, 0x100000);
	put32(p + 24, BOOT_MEM_RAM);
}

struct desc {
	uint32_t type;
	uint64_t base, pages, attr;
};

static void mb_efi(const struct desc *d, uint32_t n, uint32_t dsize)
{
	uint32_t p = mb_tag(MB2_TAG_EFI_MMAP, 8 + n * dsize);

	put32(p, dsize);
	put32(p + 4, 1);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t q = p + 8 + i * dsize;

		put32(q, d[i].type);
		put64(q + 8, d[i].base);
		put64(q + 16, 0xdead0000); /* VirtualStart: never read */
		put64(q + 24, d[i].pages);
		put64(q + 32, d[i].attr);
	}
}

static int mb_parse_built(void)
{
	mb_tag(MB2_TAG_END, 0);
	put32(0, blk_off);
	fake_phys_map(INFO_PA, blk, blk_off);
	check_log_clear();
	return mb2_parse(INFO_PA, fake_phys_read, &bi);
}

/* An OVMF-like map: low memory in pieces, firmware data, ACPI, MMIO. */
static const struct desc ovmf[] = {
    {EFI_BOOT_SERVICES_CODE, 0x0, 1, 0xf},
    {EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, 0xf},
    {EFI_LOADER_CODE, 0x100000, 0x80, 0xf},
    {EFI_CONVENTIONAL_MEMORY, 0x180000, 0x680, 0xf},
    {EFI_ACPI_MEMORY_NVS, 0x800000, 8, 0xf},
    {EFI_BOOT_SERVICES_DATA, 0x808000, 8, 0xf},
    {EFI_RUNTIME_SERVICES_DATA, 0x810000, 0x10, 0x800000000000000fULL},
    {EFI_ACPI_RECLAIM_MEMORY, 0x820000, 2, 0xf},
    {EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, 0x8000000000000001ULL},
};

TEST(efi_map_replaces_tag6)
{
	mb_begin();
	mb_e820();
	mb_efi(ovmf, 9, 48); /* OVMF's descriptor size */
	CHECK_EQ(mb_parse_built(), 0);
	CHECK(bi.uefi);
	CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_EFI);
	CHECK_EQ(bi.mem_entries, 9);
	/* Contiguous pieces merge: boot services + free below 640 KiB, loader + free above 1 MiB.
	 */
	CHECK_EQ(bi.nr_mem, 7);
	CHECK_EQ(bi.mem[0].base, 0);
	CHECK_EQ(bi.mem[0].len, 0xa0000);
	CHECK_EQ(bi.mem[0].type, BOOT_MEM_RAM);
	CHECK_EQ(bi.mem[1].base, 0x100000);
	CHECK_EQ(bi.mem[1].len, 0x700000);
	CHECK_EQ(bi.mem[1].type, BOOT_MEM_RAM);
	CHECK_EQ(bi.mem[2].type, BOOT_MEM_ACPI_NVS);
	CHECK_EQ(bi.mem[3].base, 0x808000);
	CHECK_EQ(bi.mem[3].type, BOOT_MEM_RAM);
	CHECK_EQ(bi.mem[4].type, BOOT_MEM_RESERVED); /* runtime services data */
	CHECK_EQ(bi.mem[5].type, BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(bi.mem[6].base, 0xffc00000);
	CHECK_EQ(bi.mem[6].len, 0x400000);
	CHECK_EQ(bi.mem[6].type, BOOT_MEM_RESERVED);
	for (uint32_t i = 0; i < bi.nr_mem; i++)
		CHECK(bi.mem[i].base != 0x40000000); /* nothing of tag 6 */
	CHECK(!strstr(check_log, "second memory map"));
}

TEST(efi_map_before_tag6)
{
	mb_begin();
	mb_efi(ovmf, 9, 40);
	mb_e820();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_EFI);
	CHECK_EQ(bi.nr_mem, 7);
	CHECK(!strstr(check_log, "second memory map"));
}

TEST(bad_efi_map_falls_back)
{
	static const uint32_t bad_sizes[] = {0, 8, 32, 44, 0xfffffff9u};

	for (uint32_t i = 0; i < 5; i++) {
		mb_begin();
		mb_efi(ovmf, 2, 48);
		put32(16, bad_sizes[i]); /* the descriptor size of the first tag */
		mb_e820();
		CHECK_EQ(mb_parse_built(), 0);
		CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_E820);
		CHECK_EQ(bi.nr_mem, 1);
		CHECK_EQ(bi.mem[0].base, 0x40000000);
		CHECK(strstr(check_log, "EFI descriptor size"));
		CHECK(bi.uefi);
	}
	/* No descriptor at all, and a tag too short for its header. */
	mb_begin();
	mb_efi(ovmf, 0, 48);
	mb_e820();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_E820);
	CHECK(strstr(check_log, "no descriptors"));
	mb_begin();
	mb_tag(MB2_TAG_EFI_MMAP, 4);
	mb_e820();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_E820);
	/* A bad EFI map and nothing else: no memory map. */
	mb_begin();
	mb_efi(ovmf, 2, 36);
	CHECK(mb_parse_built() < 0);
	CHECK(strstr(check_log, "no memory map"));
}

TEST(efi_attributes_and_sizes)
{
	static const struct desc d[] = {
	    {EFI_CONVENTIONAL_MEMORY, 0x100000, 0x10, EFI_MEMORY_RUNTIME},
	    {EFI_CONVENTIONAL_MEMORY, 0x200000, 0x10, EFI_MEMORY_SP},
	    {EFI_PERSISTENT_MEMORY, 0x300000, 0x10, 0},
	    {0x70000000, 0x400000, 0x10, 0}, /* an OEM type */
	    {EFI_UNUSABLE_MEMORY, 0x500000, 0x10, 0},
	    {EFI_CONVENTIONAL_MEMORY, 0x600000, 0, 0}, /* empty: skipped */
	    {EFI_CONVENTIONAL_MEMORY, 0x1000000000ULL, 1ULL << 60, 0},
	};

	mb_begin();
	mb_efi(d, 7, 40);
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 6);
	CHECK_EQ(bi.mem[0].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.mem[1].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.mem[2].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.mem[3].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.mem[4].type, BOOT_MEM_BAD);
	CHECK_EQ(bi.mem[5].len, UINT64_MAX); /* 2^60 pages saturate; normalize clips */
	memmap_normalize(&bi);
	CHECK_EQ(bi.mem[bi.nr_mem - 1].type, BOOT_MEM_RAM);
	CHECK(bi.mem[bi.nr_mem - 1].base + bi.mem[bi.nr_mem - 1].len >= bi.mem[bi.nr_mem - 1].base);
}

TEST(many_descriptors)
{
	static struct desc d[300];

	/* Alternating types cannot merge: the first BOOT_MAX_MEM_REGIONS are kept. */
	for (uint32_t i = 0; i < 300; i++)
		d[i] = (struct desc){i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY,
				     0x100000 + i * 0x1000ULL, 1, 0};
	mb_begin();
	mb_efi(d, 300, 48);
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
	CHECK(strstr(check_log, "300 memory regions"));
	/* The same count of one type merges into one region. */
	for (uint32_t i = 0; i < 300; i++)
		d[i].type = i % 3 ? EFI_BOOT_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY;
	mb_begin();
	mb_efi(d, 300, 48);
	CHECK_EQ(mb_parse_built(), 0);
	CHECK_EQ(bi.nr_mem, 1);
	CHECK_EQ(bi.mem[0].len, 300 * 0x1000);
}

TEST(efi64_tag_marks_uefi)
{
	mb_begin();
	put64(mb_tag(MB2_TAG_EFI64, 8), 0x7f000000);
	mb_e820();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK(bi.uefi);
	CHECK_EQ(bi.mem_source, BOOT_MEM_FROM_E820);
	mb_begin();
	mb_e820();
	CHECK_EQ(mb_parse_built(), 0);
	CHECK(!bi.uefi);
}

TEST(type_table)
{
	CHECK_EQ(efi_mem_type_to_boot(EFI_RESERVED_MEMORY_TYPE, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_LOADER_CODE, 0), BOOT_MEM_RAM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_LOADER_DATA, 0), BOOT_MEM_RAM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_BOOT_SERVICES_CODE, 0), BOOT_MEM_RAM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_BOOT_SERVICES_DATA, 0), BOOT_MEM_RAM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_RUNTIME_SERVICES_CODE, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_RUNTIME_SERVICES_DATA, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_CONVENTIONAL_MEMORY, 0), BOOT_MEM_RAM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_UNUSABLE_MEMORY, 0), BOOT_MEM_BAD);
	CHECK_EQ(efi_mem_type_to_boot(EFI_ACPI_RECLAIM_MEMORY, 0), BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(efi_mem_type_to_boot(EFI_ACPI_MEMORY_NVS, 0), BOOT_MEM_ACPI_NVS);
	CHECK_EQ(efi_mem_type_to_boot(EFI_MEMORY_MAPPED_IO, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_MEMORY_MAPPED_IO_PORT, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_PAL_CODE, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_PERSISTENT_MEMORY, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_UNACCEPTED_MEMORY_TYPE, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(16, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(0xffffffffu, 0), BOOT_MEM_RESERVED);
	CHECK_EQ(efi_mem_type_to_boot(EFI_ACPI_MEMORY_NVS, EFI_MEMORY_RUNTIME), BOOT_MEM_ACPI_NVS);
}

int main(void)
{
	CHECK_MAIN("efi_memmap");
	RUN(efi_map_replaces_tag6);
	RUN(efi_map_before_tag6);
	RUN(bad_efi_map_falls_back);
	RUN(efi_attributes_and_sizes);
	RUN(many_descriptors);
	RUN(efi64_tag_marks_uefi);
	RUN(type_table);
	return CHECK_END();
}
