/*
 * hv/load/loader.c, hv/load/loader_bootinfo.c, hv/load/multiboot_image.c: guest_load() on
 * images built in memory (ELF64 with a PVH note, ELF32 with a multiboot header,
 * a flat a.out-kludge image) into a guest_mem over host buffers.
 */
#include "tests/unit/image_builder.h"
#include "hv/load/loader.h"
#include "hv/load/multiboot_image.h"

#define RAM_SIZE  (8 * 1024 * 1024)
#define HIGH_GPA  0x100000000ULL
#define HIGH_SIZE (8 * 1024 * 1024)
#define FILL	  0xcc

static uint8_t *ram;  /* guest-physical 0 .. RAM_SIZE */
static uint8_t *high; /* guest-physical HIGH_GPA .. + HIGH_SIZE, in the "high" layout */
static uint8_t img[IMG_MAX];
static size_t img_size;
static struct partition_config cfg;
static struct guest_mem mem;
static struct guest_entry entry;
static struct guest_module mods[CONFIG_MAX_MODULES + 1];
static uint8_t mod0[0x1800];

static void *fake_ptr(void *opaque, uint64_t gpa, uint64_t len)
{
	(void)opaque;
	for (uint32_t i = 0; i < mem.nr_regions; i++) {
		const struct guest_mem_region *r = &mem.regions[i];
		uint8_t *host = r->gpa >= HIGH_GPA ? high + (r->gpa - HIGH_GPA) : ram + r->gpa;

		if (r->type == CONFIG_MEM_RAM && gpa >= r->gpa && gpa - r->gpa <= r->size &&
		    len <= r->size - (gpa - r->gpa))
			return host + (gpa - r->gpa);
	}
	return NULL;
}

enum layout { DEFAULT, SINGLE, GAP, HIGH, NO_LOW };

static void set_layout(enum layout l)
{
	static const struct guest_mem_region layouts[][4] = {
	    [DEFAULT] = {{0, 0xa0000, CONFIG_MEM_RAM},
			 {0xa0000, 0x60000, CONFIG_MEM_RESERVED},
			 {0x100000, RAM_SIZE - 0x100000, CONFIG_MEM_RAM}},
	    [SINGLE] = {{0, RAM_SIZE, CONFIG_MEM_RAM}},
	    [GAP] = {{0, 0xa0000, CONFIG_MEM_RAM},
		     {0x100000, 0x300000, CONFIG_MEM_RAM},
		     {0x500000, 0x300000, CONFIG_MEM_RAM}},
	    [HIGH] = {{0, 0xa0000, CONFIG_MEM_RAM},
		      {0xa0000, 0x60000, CONFIG_MEM_RESERVED},
		      {0x100000, RAM_SIZE - 0x100000, CONFIG_MEM_RAM},
		      {HIGH_GPA, HIGH_SIZE, CONFIG_MEM_RAM}},
	    [NO_LOW] = {{0x100000, RAM_SIZE - 0x100000, CONFIG_MEM_RAM}},
	};
	static const uint32_t counts[] = {
	    [DEFAULT] = 3, [SINGLE] = 1, [GAP] = 3, [HIGH] = 4, [NO_LOW] = 1};

	memset(&mem, 0, sizeof(mem));
	mem.ptr = fake_ptr;
	mem.nr_regions = counts[l];
	memcpy(mem.regions, layouts[l], sizeof(layouts[l]));
}

/* A fresh environment: RAM filled with FILL, default layout and config, two modules. */
static void reset(uint32_t boot)
{
	memset(ram, FILL, RAM_SIZE);
	memset(high, FILL, HIGH_SIZE);
	memset(img, 0, sizeof(img));
	set_layout(DEFAULT);
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "test");
	strcpy(cfg.image, "guest-img");
	strcpy(cfg.cmdline, "console=ttyS0 quiet");
	cfg.boot = boot;
	for (size_t i = 0; i < sizeof(mod0); i++)
		mod0[i] = (uint8_t)(i * 7 + 1);
	memset(mods, 0, sizeof(mods));
	mods[0] = (struct guest_module){mod0, sizeof(mod0), "initrd root=/dev/ram0"};
	mods[1] = (struct guest_module){"hello", 5, NULL};
	memset(&entry, 0, sizeof(entry));
	check_log_clear();
}

static int load(uint32_t nr_modules)
{
	return guest_load("test", &cfg, img, img_size, mods, nr_modules, &mem, &entry);
}

/* A load that must fail with one "partition test: image guest-img: ...what..." line. */
#define CHECK_FAILS(nr_modules, what)                                                       \
	do {                                                                                \
		CHECK(load(nr_modules) < 0);                                                \
		if (!strstr(check_log, (what)))                                             \
			printf("  log was: %s", check_log);                                 \
		CHECK(strstr(check_log, "partition test: image guest-img: ") == check_log); \
		CHECK(strstr(check_log, (what)) != NULL);                                   \
		CHECK(strchr(check_log, '\n') == check_log + strlen(check_log) - 1);        \
	} while (0)

static void fill_pattern(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * ELF64 with a PVH note (entry 0x100010): text 0x200 file bytes, 0x3000 in memory,
 * at 1 MiB; data 0x100 bytes at 2 MiB; with_mb adds a multiboot header at the start
 * of the text (ELF entry 0x100020).
 */
static struct seg_spec pvh_segs[3];

static void build_pvh(bool with_mb)
{
	size_t note_len = img_pvh_note(img + 0x800, 0x100010);

	pvh_segs[0] = (struct seg_spec){PT_LOAD, 0x1000, 0x100000, 0x100000, 0x200, 0x3000};
	pvh_segs[1] = (struct seg_spec){PT_LOAD, 0x2000, 0x200000, 0x200000, 0x100, 0x100};
	pvh_segs[2] = (struct seg_spec){PT_NOTE, 0x800, 0, 0, note_len, note_len, 4};
	img_elf(img, ELFCLASS64, EM_X86_64, 0x100020, pvh_segs, 3);
	fill_pattern(img + 0x1000, 0x200, 1);
	fill_pattern(img + 0x2000, 0x100, 2);
	if (with_mb)
		img_mb_header(img + 0x1000, MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO, NULL);
	img_size = 0x2100;
}

/* ELF32 with a multiboot header at the start of its one segment (1 MiB, entry 0x10000c). */
static struct seg_spec mb_seg;

static void build_mb32(uint32_t flags)
{
	mb_seg = (struct seg_spec){PT_LOAD, 0x1000, 0x100000, 0x100000, 0x400, 0x1000};
	fill_pattern(img + 0x1000, 0x400, 3);
	img_elf(img, ELFCLASS32, EM_386, 0x10000c, &mb_seg, 1);
	img_mb_header(img + 0x1000, flags, NULL);
	img_size = 0x1400;
}

/*
 * A flat a.out-kludge image of 0x1800 bytes, header at offset 0x40, loaded at
 * 1 MiB, bss to 0x104000, entry 0x100080. a[] are header_addr, load_addr,
 * load_end_addr, bss_end_addr, entry_addr.
 */
static uint32_t aout[5];

static void build_aout(void)
{
	fill_pattern(img, 0x1800, 4);
	img_size = 0x1800;
	img_mb_header(img + 0x40, MULTIBOOT_AOUT_KLUDGE | MULTIBOOT_MEMORY_INFO, aout);
}

static void set_aout(uint32_t header, uint32_t load, uint32_t load_end, uint32_t bss_end,
		     uint32_t entry_addr)
{
	aout[0] = header, aout[1] = load, aout[2] = load_end, aout[3] = bss_end;
	aout[4] = entry_addr;
	build_aout();
}

static void get(void *dst, uint64_t gpa, size_t len)
{
	memcpy(dst, ram + gpa, len);
}

TEST(pvh_elf64)
{
	struct hvm_start_info si;
	struct hvm_memmap_table_entry mm[3];
	struct hvm_modlist_entry ml[2];

	reset(CONFIG_BOOT_AUTO);
	build_pvh(false);
	CHECK_EQ(load(2), 0);
	CHECK_EQ(entry.protocol, CONFIG_BOOT_PVH);
	CHECK_EQ(entry.rip, 0x100010);
	CHECK_EQ(entry.eax, 0);
	/* The entry GDT comes first in the boot-info page, the start info after it. */
	CHECK_EQ(entry.gdt_base, LOADER_BOOT_INFO_GPA);
	CHECK_EQ(entry.gdt_limit, 31);
	CHECK_EQ(entry.ebx, LOADER_BOOT_INFO_GPA + 32);
	uint64_t gdt[4];
	memcpy(gdt, ram + LOADER_BOOT_INFO_GPA, sizeof(gdt));
	CHECK_EQ(gdt[0], 0);
	CHECK_EQ(gdt[LOADER_SEL_CODE32 / 8], 0x00cf9b000000ffffULL);
	CHECK_EQ(gdt[LOADER_SEL_DATA32 / 8], 0x00cf93000000ffffULL);
	CHECK_EQ(gdt[LOADER_SEL_TSS / 8], 0x00008b0000000067ULL);

	/* segments copied, bss zeroed, nothing written past them */
	CHECK(memcmp(ram + 0x100000, img + 0x1000, 0x200) == 0);
	CHECK(all_bytes(ram + 0x100200, 0x3000 - 0x200, 0));
	CHECK_EQ(ram[0x103000], FILL);
	CHECK(memcmp(ram + 0x200000, img + 0x2000, 0x100) == 0);
	CHECK_EQ(ram[0x200100], FILL);

	get(&si, entry.ebx, sizeof(si));
	CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
	CHECK_EQ(si.version, 1);
	CHECK_EQ(si.flags, 0);
	CHECK_EQ(si.rsdp_paddr, 0);
	CHECK_EQ(si.reserved, 0);
	CHECK_STR((char *)ram + si.cmdline_paddr, "console=ttyS0 quiet");

	/* the memory map: the reserved legacy hole between two RAM entries */
	CHECK_EQ(si.memmap_entries, 3);
	CHECK(si.memmap_paddr >= LOADER_BOOT_INFO_GPA &&
	      si.memmap_paddr + sizeof(mm) <= LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE);
	CHECK_EQ(si.memmap_paddr % 8, 0);
	get(mm, si.memmap_paddr, sizeof(mm));
	CHECK_EQ(mm[0].addr, 0);
	CHECK_EQ(mm[0].size, 0xa0000);
	CHECK_EQ(mm[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(mm[1].addr, 0xa0000);
	CHECK_EQ(mm[1].size, 0x60000);
	CHECK_EQ(mm[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(mm[2].addr, 0x100000);
	CHECK_EQ(mm[2].size, RAM_SIZE - 0x100000);
	CHECK_EQ(mm[2].type, XEN_HVM_MEMMAP_TYPE_RAM);

	/* modules: page-aligned above the highest loaded byte (0x2000ff), in order */
	CHECK_EQ(si.nr_modules, 2);
	get(ml, si.modlist_paddr, sizeof(ml));
	CHECK_EQ(ml[0].paddr, 0x201000);
	CHECK_EQ(ml[0].size, sizeof(mod0));
	CHECK(memcmp(ram + ml[0].paddr, mod0, sizeof(mod0)) == 0);
	CHECK_STR((char *)ram + ml[0].cmdline_paddr, "initrd root=/dev/ram0");
	CHECK_EQ(ml[1].paddr, 0x203000);
	CHECK_EQ(ml[1].size, 5);
	CHECK(memcmp(ram + ml[1].paddr, "hello", 5) == 0);
	CHECK_EQ(ml[1].cmdline_paddr, 0);
	CHECK(strstr(check_log, "partition test: image guest-img: PVH, entry 0x100010") != NULL);
}

TEST(pvh_hole_split_from_single_region)
{
	struct hvm_start_info si;
	struct hvm_memmap_table_entry mm[3];

	reset(CONFIG_BOOT_PVH);
	set_layout(SINGLE);
	build_pvh(false);
	CHECK_EQ(load(0), 0);
	get(&si, entry.ebx, sizeof(si));
	CHECK_EQ(si.nr_modules, 0);
	CHECK_EQ(si.modlist_paddr, 0);
	CHECK_EQ(si.memmap_entries, 3);
	get(mm, si.memmap_paddr, sizeof(mm));
	CHECK_EQ(mm[0].addr, 0);
	CHECK_EQ(mm[0].size, 0xa0000);
	CHECK_EQ(mm[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_EQ(mm[1].addr, 0xa0000);
	CHECK_EQ(mm[1].size, 0x60000);
	CHECK_EQ(mm[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_EQ(mm[2].addr, 0x100000);
	CHECK_EQ(mm[2].size, RAM_SIZE - 0x100000);
	CHECK_EQ(mm[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
}

TEST(multiboot_elf32)
{
	struct multiboot_info mbi;
	struct multiboot_mmap_entry mm[3];
	struct multiboot_mod_list ml[2];

	reset(CONFIG_BOOT_AUTO);
	build_mb32(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO | MULTIBOOT_VIDEO_MODE |
		   BIT(20) /* optional: ignored */);
	CHECK_EQ(load(2), 0);
	CHECK_EQ(entry.protocol, CONFIG_BOOT_MULTIBOOT);
	CHECK_EQ(entry.rip, 0x10000c);
	CHECK_EQ(entry.eax, MULTIBOOT_BOOTLOADER_MAGIC);
	CHECK_EQ(entry.gdt_base, LOADER_BOOT_INFO_GPA);
	CHECK_EQ(entry.ebx, LOADER_BOOT_INFO_GPA + 32);
	CHECK(memcmp(ram + 0x100000, img + 0x1000, 0x400) == 0);
	CHECK(all_bytes(ram + 0x100400, 0xc00, 0));

	get(&mbi, entry.ebx, sizeof(mbi));
	CHECK_EQ(mbi.flags, MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MODS |
				MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_LOADER_NAME);
	CHECK_EQ(mbi.mem_lower, 640);
	CHECK_EQ(mbi.mem_upper, (RAM_SIZE - 0x100000) / 1024);
	CHECK_STR((char *)ram + mbi.cmdline, "console=ttyS0 quiet");
	CHECK_STR((char *)ram + mbi.boot_loader_name, "Tessera");

	CHECK_EQ(mbi.mmap_length, 3 * sizeof(struct multiboot_mmap_entry));
	get(mm, mbi.mmap_addr, sizeof(mm));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(mm[i].size, 20);
	CHECK_EQ(mm[0].addr, 0);
	CHECK_EQ(mm[0].len, 0xa0000);
	CHECK_EQ(mm[0].type, MULTIBOOT_MEMORY_AVAILABLE);
	CHECK_EQ(mm[1].addr, 0xa0000);
	CHECK_EQ(mm[1].type, MULTIBOOT_MEMORY_RESERVED);
	CHECK_EQ(mm[2].addr, 0x100000);
	CHECK_EQ(mm[2].len, RAM_SIZE - 0x100000);
	CHECK_EQ(mm[2].type, MULTIBOOT_MEMORY_AVAILABLE);

	CHECK_EQ(mbi.mods_count, 2);
	get(ml, mbi.mods_addr, sizeof(ml));
	CHECK_EQ(ml[0].mod_start, 0x101000);
	CHECK_EQ(ml[0].mod_end, 0x101000 + sizeof(mod0));
	CHECK(memcmp(ram + ml[0].mod_start, mod0, sizeof(mod0)) == 0);
	CHECK_STR((char *)ram + ml[0].cmdline, "initrd root=/dev/ram0");
	CHECK_EQ(ml[1].mod_start, 0x103000);
	CHECK_EQ(ml[1].mod_end, 0x103005);
	CHECK_EQ(ml[1].cmdline, 0);
}

TEST(multiboot_memory_sizes_follow_the_layout)
{
	struct multiboot_info mbi;

	reset(CONFIG_BOOT_MULTIBOOT);
	set_layout(GAP);
	build_mb32(MULTIBOOT_MEMORY_INFO);
	CHECK_EQ(load(0), 0);
	get(&mbi, entry.ebx, sizeof(mbi));
	CHECK_EQ(mbi.mem_lower, 640);
	CHECK_EQ(mbi.mem_upper, 0x300000 / 1024); /* up to the gap at 4 MiB */
	CHECK_EQ(mbi.mods_count, 0);
	CHECK_EQ(mbi.mmap_length, 3 * 24);

	reset(CONFIG_BOOT_MULTIBOOT);
	set_layout(SINGLE);
	build_mb32(MULTIBOOT_MEMORY_INFO);
	CHECK_EQ(load(0), 0);
	get(&mbi, entry.ebx, sizeof(mbi));
	CHECK_EQ(mbi.mem_lower, 640); /* the hole is cut out of the single region */
	CHECK_EQ(mbi.mem_upper, (RAM_SIZE - 0x100000) / 1024);
	CHECK_EQ(mbi.mmap_length, 3 * 24);
}

TEST(multiboot_elf64_like_the_test_guests)
{
	/* An ELF64 with both a PVH note and a multiboot header: auto prefers PVH. */
	reset(CONFIG_BOOT_AUTO);
	build_pvh(true);
	CHECK_EQ(load(0), 0);
	CHECK_EQ(entry.protocol, CONFIG_BOOT_PVH);
	CHECK_EQ(entry.rip, 0x100010);

	reset(CONFIG_BOOT_MULTIBOOT);
	build_pvh(true);
	CHECK_EQ(load(0), 0);
	CHECK_EQ(entry.protocol, CONFIG_BOOT_MULTIBOOT);
	CHECK_EQ(entry.rip, 0x100020);
	CHECK_EQ(entry.eax, MULTIBOOT_BOOTLOADER_MAGIC);
}

TEST(multiboot_aout_kludge)
{
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0x101800, 0x104000, 0x100080);
	CHECK_EQ(load(1), 0);
	CHECK_EQ(entry.protocol, CONFIG_BOOT_MULTIBOOT);
	CHECK_EQ(entry.rip, 0x100080);
	CHECK(memcmp(ram + 0x100000, img, 0x1800) == 0);
	CHECK(all_bytes(ram + 0x101800, 0x104000 - 0x101800, 0));
	/* the module goes above the bss */
	struct multiboot_info mbi;
	struct multiboot_mod_list ml;
	get(&mbi, entry.ebx, sizeof(mbi));
	get(&ml, mbi.mods_addr, sizeof(ml));
	CHECK_EQ(ml.mod_start, 0x104000);

	/* load_addr after the start of the file, load_end 0 (to the end), no bss */
	reset(CONFIG_BOOT_MULTIBOOT);
	set_aout(0x200000, 0x1fffd0, 0, 0, 0x200000);
	CHECK_EQ(load(0), 0);
	CHECK(memcmp(ram + 0x1fffd0, img + 0x10, 0x1800 - 0x10) == 0);
	CHECK_EQ(ram[0x1fffd0 + 0x17f0], FILL);
	CHECK_EQ(entry.rip, 0x200000);
}

TEST(aout_inconsistent)
{
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100041, 0x101800, 0, 0x100080);
	CHECK_FAILS(0, "load_addr 0x100041 is above header_addr");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x0fff00, 0x101800, 0, 0x100080); /* would start before the file */
	CHECK_FAILS(0, "bytes before the file");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0x100000, 0, 0x100080);
	CHECK_FAILS(0, "load_end_addr 0x100000 is not above load_addr");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0x101801, 0, 0x100080); /* one byte past the file */
	CHECK_FAILS(0, "the file has 6144 bytes");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0x101800, 0x1017ff, 0x100080);
	CHECK_FAILS(0, "bss_end_addr 0x1017ff is below");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0x101800, 0, 0x101800);
	CHECK_FAILS(0, "entry_addr 0x101800 is outside");
	reset(CONFIG_BOOT_AUTO);
	set_aout(0xfffff040, 0xfffff000, 0, 0, 0xfffff080); /* 0x1800 bytes past 4 GiB */
	CHECK_FAILS(0, "runs past 4 GiB");
	/* the a.out fields cut off by the end of the file */
	reset(CONFIG_BOOT_AUTO);
	set_aout(0x100040, 0x100000, 0, 0, 0x100080);
	img_size = 0x40 + 20;
	CHECK_FAILS(0, "a.out fields run past the end of the file");
}

TEST(multiboot_header_search)
{
	struct mb_image mb;
	char err[160];

	memset(img, 0, sizeof(img));
	img_mb_header(img + 8192 - 12, 0, NULL); /* last place it may be */
	CHECK_EQ(mb_image_find(img, sizeof(img), &mb, err, sizeof(err)), 1);
	CHECK_EQ(mb.header_offset, 8192 - 12);
	CHECK_EQ(mb_image_find(img, 8192 - 1, &mb, err, sizeof(err)), 0); /* truncated file */

	memset(img, 0, sizeof(img));
	img_mb_header(img + 8192 - 8, 0, NULL); /* crosses the 8 KiB limit */
	CHECK_EQ(mb_image_find(img, sizeof(img), &mb, err, sizeof(err)), 0);

	memset(img, 0, sizeof(img));
	img_mb_header(img + 0x102, 0, NULL); /* not 4-byte aligned */
	CHECK_EQ(mb_image_find(img, sizeof(img), &mb, err, sizeof(err)), 0);

	/* a bad checksum first, a good header later: the good one counts */
	memset(img, 0, sizeof(img));
	img_mb_header(img + 0x100, MULTIBOOT_MEMORY_INFO, NULL);
	img[0x108] ^= 1;
	img_mb_header(img + 0x200, MULTIBOOT_MEMORY_INFO, NULL);
	CHECK_EQ(mb_image_find(img, sizeof(img), &mb, err, sizeof(err)), 1);
	CHECK_EQ(mb.header_offset, 0x200);
	CHECK(!mb.aout);
	CHECK_EQ(mb_image_find(img, 0x200, &mb, err, sizeof(err)), -1);
	CHECK(strstr(err, "offset 0x100 has a bad checksum") != NULL);
	CHECK_EQ(mb_image_find(img, 11, &mb, err, sizeof(err)), 0);
}

TEST(multiboot_bad_checksum_and_flags)
{
	reset(CONFIG_BOOT_AUTO);
	build_mb32(MULTIBOOT_MEMORY_INFO);
	img[0x1000 + 8] ^= 0x80;
	CHECK_FAILS(0, "bad checksum");

	reset(CONFIG_BOOT_AUTO);
	build_mb32(MULTIBOOT_MEMORY_INFO | BIT(3));
	CHECK_FAILS(0, "unsupported features (flags 0x8)");
}

TEST(protocol_choice_errors)
{
	reset(CONFIG_BOOT_PVH);
	build_mb32(MULTIBOOT_MEMORY_INFO);
	CHECK_FAILS(0, "no PVH entry note");

	reset(CONFIG_BOOT_PVH);
	set_aout(0x100040, 0x100000, 0, 0, 0x100080);
	CHECK_FAILS(0, "not an ELF file");

	reset(CONFIG_BOOT_MULTIBOOT);
	build_pvh(false);
	CHECK_FAILS(0, "no multiboot header");

	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	memset(img + 0x1000, 0, 12); /* an ELF with neither */
	CHECK_FAILS(0, "no PVH note and no multiboot header");

	reset(CONFIG_BOOT_AUTO);
	fill_pattern(img, 0x3000, 9); /* not an image at all */
	img_size = 0x3000;
	CHECK_FAILS(0, "no PVH note and no multiboot header");

	/* a broken ELF with a multiboot header that needs the ELF: the ELF's fault is told */
	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	img[18] = EM_X86_64;
	CHECK_FAILS(0, "machine 62");

	/* a flat image with a header lacking the address fields */
	reset(CONFIG_BOOT_AUTO);
	img_mb_header(img + 0x40, MULTIBOOT_MEMORY_INFO, NULL);
	img_size = 0x1000;
	CHECK_FAILS(0, "not an ELF file");

	reset(7);
	build_pvh(false);
	CHECK_FAILS(0, "unknown boot protocol 7");

	reset(CONFIG_BOOT_AUTO);
	img_size = 0;
	CHECK_FAILS(0, "image is empty");
}

TEST(truncated_image)
{
	reset(CONFIG_BOOT_AUTO);
	build_pvh(false);
	img_size = 0x2080; /* in the middle of the data segment */
	CHECK_FAILS(0, "segment 1");
	CHECK(all_bytes(ram + 0x100000, 0x200, FILL)); /* nothing was written */

	reset(CONFIG_BOOT_AUTO);
	build_pvh(false);
	img_size = 100; /* in the program headers */
	CHECK_FAILS(0, "past the end of the file");
}

TEST(malformed_elf_via_loader)
{
	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	img[0] = 0x7e;
	CHECK_FAILS(0, "not an ELF file");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	pvh_segs[0].memsz = 0x100; /* < filesz */
	img_elf(img, ELFCLASS64, EM_X86_64, 0x100020, pvh_segs, 3);
	CHECK_FAILS(0, "filesz 0x200 > memsz 0x100");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	pvh_segs[1].paddr = 0x101000; /* into the text's bss */
	img_elf(img, ELFCLASS64, EM_X86_64, 0x100020, pvh_segs, 3);
	CHECK_FAILS(0, "overlaps an earlier segment");
}

TEST(segment_placement_errors)
{
	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	mb_seg.paddr = RAM_SIZE - 0x800; /* runs off the end of RAM */
	img_elf(img, ELFCLASS32, EM_386, RAM_SIZE - 0x800, &mb_seg, 1);
	CHECK_FAILS(0, "not inside one guest RAM region");

	reset(CONFIG_BOOT_AUTO);
	set_layout(GAP);
	build_mb32(0);
	mb_seg.paddr = 0x480000; /* in the gap between regions */
	img_elf(img, ELFCLASS32, EM_386, 0x480000, &mb_seg, 1);
	CHECK_FAILS(0, "segment 0x480000-0x480fff is not inside one guest RAM region");

	reset(CONFIG_BOOT_AUTO);
	set_layout(GAP);
	build_mb32(0);
	mb_seg.paddr = 0x3ff800; /* straddles the end of a region */
	img_elf(img, ELFCLASS32, EM_386, 0x3ff800, &mb_seg, 1);
	CHECK_FAILS(0, "not inside one guest RAM region");

	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	mb_seg.paddr = 0xa0000; /* the legacy hole, reserved */
	img_elf(img, ELFCLASS32, EM_386, 0xa0000, &mb_seg, 1);
	CHECK_FAILS(0, "not inside one guest RAM region");

	reset(CONFIG_BOOT_AUTO);
	set_layout(SINGLE);
	build_mb32(0);
	mb_seg.paddr = 0x9f800; /* RAM, but into the legacy hole */
	img_elf(img, ELFCLASS32, EM_386, 0x9f800, &mb_seg, 1);
	CHECK_FAILS(0, "overlaps the legacy hole");

	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	mb_seg.paddr = 0x6800; /* over the boot-info page */
	img_elf(img, ELFCLASS32, EM_386, 0x6800, &mb_seg, 1);
	CHECK_FAILS(0, "overlaps the boot-info page");

	reset(CONFIG_BOOT_AUTO);
	build_mb32(0);
	img_elf(img, ELFCLASS32, EM_386, 0x101000, &mb_seg, 1); /* entry in no segment */
	CHECK_FAILS(0, "entry point 0x101000 is not inside a loaded segment");

	reset(CONFIG_BOOT_AUTO);
	set_layout(NO_LOW);
	build_mb32(0);
	CHECK_FAILS(0, "boot-info page 0x6000-0x6fff is not guest RAM");
}

TEST(modules)
{
	static uint8_t big[0x300000];
	struct multiboot_info mbi;
	struct multiboot_mod_list ml[3];

	/* placement skips a gap: 0x101000-0x3fffff is too small for the second module */
	reset(CONFIG_BOOT_MULTIBOOT);
	set_layout(GAP);
	build_mb32(0);
	mods[1] = (struct guest_module){big, sizeof(big), "big"};
	mods[2] = (struct guest_module){NULL, 0, ""}; /* empty module */
	fill_pattern(big, sizeof(big), 5);
	CHECK_EQ(load(3), 0);
	get(&mbi, entry.ebx, sizeof(mbi));
	get(ml, mbi.mods_addr, sizeof(ml));
	CHECK_EQ(ml[0].mod_start, 0x101000);
	CHECK_EQ(ml[1].mod_start, 0x500000);
	CHECK_EQ(ml[1].mod_end, 0x800000);
	CHECK(memcmp(ram + 0x500000, big, sizeof(big)) == 0);
	CHECK_EQ(ml[2].mod_start, 0x800000);
	CHECK_EQ(ml[2].mod_end, 0x800000);
	CHECK_STR((char *)ram + ml[2].cmdline, "");

	/* too big for the RAM left */
	reset(CONFIG_BOOT_MULTIBOOT);
	set_layout(GAP);
	build_mb32(0);
	mods[1] = (struct guest_module){big, sizeof(big) + 1, NULL};
	CHECK_FAILS(2, "module 1 (0x300001 bytes) does not fit in guest RAM above 0x102800");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mods[0].size = SIZE_MAX; /* must not wrap */
	CHECK_FAILS(1, "module 0");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mods[0].data = NULL;
	CHECK_FAILS(1, "module 0 has no data");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	CHECK_FAILS(CONFIG_MAX_MODULES + 1, "5 modules given");
}

TEST(modules_above_4g)
{
	uint8_t *huge = malloc(0x700000);
	struct hvm_start_info si;
	struct hvm_modlist_entry ml;

	CHECK(huge != NULL);
	memset(huge, 0x42, 0x700000);
	/* PVH: the module does not fit below 8 MiB and goes to the RAM at 4 GiB */
	reset(CONFIG_BOOT_PVH);
	set_layout(HIGH);
	build_pvh(false);
	mods[0] = (struct guest_module){huge, 0x700000, NULL};
	int r = load(1);
	if (r == 0) {
		get(&si, entry.ebx, sizeof(si));
		get(&ml, si.modlist_paddr, sizeof(ml));
	}
	bool copied = r == 0 && high[0] == 0x42 && high[0x6fffff] == 0x42 && high[0x700000] == FILL;
	/* multiboot: addresses are 32-bit, so it does not fit */
	reset(CONFIG_BOOT_MULTIBOOT);
	set_layout(HIGH);
	build_mb32(0);
	mods[0] = (struct guest_module){huge, 0x700000, NULL};
	int r2 = load(1);
	free(huge);
	CHECK_EQ(r, 0);
	CHECK_EQ(ml.paddr, HIGH_GPA);
	CHECK_EQ(si.memmap_entries, 4);
	CHECK(copied);
	CHECK(r2 < 0);
	CHECK(strstr(check_log, "and below 4 GiB") != NULL);
}

TEST(boot_info_overflow)
{
	static char long_cmd[4][1001];

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	for (int i = 0; i < 4; i++) {
		memset(long_cmd[i], 'a' + i, 1000);
		long_cmd[i][1000] = '\0';
		mods[i] = (struct guest_module){"x", 1, long_cmd[i]};
	}
	CHECK_FAILS(4, "boot information needs");
	CHECK(strstr(check_log, "more than the 4096-byte page at 0x6000") != NULL);

	reset(CONFIG_BOOT_MULTIBOOT);
	build_mb32(0);
	for (int i = 0; i < 4; i++)
		mods[i] = (struct guest_module){"x", 1, long_cmd[i]};
	CHECK_FAILS(4, "boot information needs");

	/* three of them fit */
	reset(CONFIG_BOOT_MULTIBOOT);
	build_mb32(0);
	for (int i = 0; i < 3; i++)
		mods[i] = (struct guest_module){"x", 1, long_cmd[i]};
	CHECK_EQ(load(3), 0);
}

TEST(cmdline_checks)
{
	static char very_long[LOADER_MODULE_CMDLINE_MAX + 2];

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	memset(cfg.cmdline, 'c', sizeof(cfg.cmdline)); /* no NUL */
	CHECK_FAILS(0, "command line is not terminated");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	memset(very_long, 'm', LOADER_MODULE_CMDLINE_MAX + 1);
	mods[0].cmdline = very_long;
	CHECK_FAILS(1, "module 0 command line longer than 1024 bytes");

	/* a full-length config command line fits */
	reset(CONFIG_BOOT_MULTIBOOT);
	build_mb32(0);
	memset(cfg.cmdline, 'c', sizeof(cfg.cmdline) - 1);
	CHECK_EQ(load(2), 0);
	struct multiboot_info mbi;
	get(&mbi, entry.ebx, sizeof(mbi));
	CHECK_EQ(strlen((char *)ram + mbi.cmdline), sizeof(cfg.cmdline) - 1);
}

TEST(bad_memory_map)
{
	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mem.regions[1].gpa = 0x90000; /* overlaps region 0 */
	CHECK_FAILS(0, "guest memory region 1");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mem.regions[2].type = 9;
	CHECK_FAILS(0, "guest memory region 2");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mem.regions[2].size = UINT64_MAX - 0x1000; /* wraps */
	CHECK_FAILS(0, "guest memory region 2");

	reset(CONFIG_BOOT_PVH);
	build_pvh(false);
	mem.nr_regions = CONFIG_MAX_MEM_REGIONS + 2;
	CHECK_FAILS(0, "guest memory map has 10 regions");
}

int main(void)
{
	ram = aligned_alloc(4096, RAM_SIZE);
	high = aligned_alloc(4096, HIGH_SIZE);
	if (!ram || !high)
		return 1;
	CHECK_MAIN("loader");
	RUN(pvh_elf64);
	RUN(pvh_hole_split_from_single_region);
	RUN(multiboot_elf32);
	RUN(multiboot_memory_sizes_follow_the_layout);
	RUN(multiboot_elf64_like_the_test_guests);
	RUN(multiboot_aout_kludge);
	RUN(aout_inconsistent);
	RUN(multiboot_header_search);
	RUN(multiboot_bad_checksum_and_flags);
	RUN(protocol_choice_errors);
	RUN(truncated_image);
	RUN(malformed_elf_via_loader);
	RUN(segment_placement_errors);
	RUN(modules);
	RUN(modules_above_4g);
	RUN(boot_info_overflow);
	RUN(cmdline_checks);
	RUN(bad_memory_map);
	free(ram);
	free(high);
	return CHECK_END();
}
