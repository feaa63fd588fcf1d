/* boot/pvh.c: pvh_parse() on synthetic PVH start info layouts. */
#include "tests/unit/check.h"
#include "tests/unit/fake_phys.h"
#include "boot/boot_info.h"
#include "guest-abi/pvh.h"

/*
 * Layout of the fake physical range (base BASE):
 *   +0x0000 start info, +0x0100 command line, +0x0200 module list,
 *   +0x0800 module command lines (0x40 each), +0x1000 memory map.
 */
#define BASE	    0x200000ULL
#define OFF_CMDLINE 0x100
#define OFF_MODLIST 0x200
#define OFF_MODCMD  0x800
#define OFF_MEMMAP  0x1000
#define MEM_SIZE    0x2000 /* room for 170 memmap entries */

static struct boot_info bi;
static uint8_t mem[MEM_SIZE];
static struct hvm_start_info si;

static void set_module(uint32_t i, uint64_t paddr, uint64_t size, const char *cmdline)
{
	struct hvm_modlist_entry e = {paddr, size, 0, 0};

	if (cmdline) {
		e.cmdline_paddr = BASE + OFF_MODCMD + i * 0x40;
		strcpy((char *)mem + OFF_MODCMD + i * 0x40, cmdline);
	}
	memcpy(mem + OFF_MODLIST + i * sizeof(e), &e, sizeof(e));
}

static void set_region(uint32_t i, uint64_t addr, uint64_t size, uint32_t type)
{
	struct hvm_memmap_table_entry e = {addr, size, type, 0};

	memcpy(mem + OFF_MEMMAP + i * sizeof(e), &e, sizeof(e));
}

/* A good version 1 start info: command line, two modules, three regions. */
static void build_good(void)
{
	memset(mem, 0, sizeof(mem));
	si = (struct hvm_start_info){
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = 1,
	    .nr_modules = 2,
	    .modlist_paddr = BASE + OFF_MODLIST,
	    .cmdline_paddr = BASE + OFF_CMDLINE,
	    .rsdp_paddr = 0xf5a20,
	    .memmap_paddr = BASE + OFF_MEMMAP,
	    .memmap_entries = 4,
	};
	strcpy((char *)mem + OFF_CMDLINE, "e9 quiet");
	set_module(0, 0x1000000, 0x1234, "guest.elf console=hvc0");
	set_module(1, 0x2000000, 0, NULL);
	set_region(0, 0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM);
	set_region(1, 0x9fc00, 0, XEN_HVM_MEMMAP_TYPE_RESERVED); /* empty: skipped */
	set_region(2, 0xf0000, 0x10000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	set_region(3, 0x100000, 0xfee0000, XEN_HVM_MEMMAP_TYPE_RAM);
}

/* Maps the first `len` bytes of the layout and parses it. */
static int parse_len(size_t len)
{
	memcpy(mem, &si, sizeof(si));
	fake_phys_map(BASE, mem, len);
	check_log_clear();
	return pvh_parse(BASE, fake_phys_read, &bi);
}

static int parse(void)
{
	return parse_len(sizeof(mem));
}

TEST(good)
{
	build_good();
	bi.nr_modules = 9; /* must be reset */
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.protocol, BOOT_PROTO_PVH);
	CHECK_STR(bi.cmdline, "e9 quiet");
	CHECK_STR(bi.loader_name, "");
	CHECK_EQ(bi.nr_modules, 2);
	CHECK_EQ(bi.modules[0].start, 0x1000000);
	CHECK_EQ(bi.modules[0].end, 0x1001234);
	CHECK_STR(bi.modules[0].cmdline, "guest.elf console=hvc0");
	CHECK_EQ(bi.modules[1].start, 0x2000000);
	CHECK_EQ(bi.modules[1].end, 0x2000000);
	CHECK_STR(bi.modules[1].cmdline, "");
	CHECK_EQ(bi.nr_mem, 3);
	CHECK_EQ(bi.mem[0].len, 0x9fc00);
	CHECK_EQ(bi.mem[1].base, 0xf0000);
	CHECK_EQ(bi.mem[1].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.mem[2].base, 0x100000);
	CHECK_EQ(bi.mem[2].len, 0xfee0000);
	CHECK_EQ(bi.rsdp, 0xf5a20);
	CHECK_EQ(bi.rsdp_copy_len, 0);
	CHECK_EQ(check_log[0], '\0');
}

TEST(no_cmdline_no_modules)
{
	build_good();
	si.cmdline_paddr = 0;
	si.nr_modules = 0;
	si.modlist_paddr = 0;
	si.rsdp_paddr = 0;
	CHECK_EQ(parse(), 0);
	CHECK_STR(bi.cmdline, "");
	CHECK_EQ(bi.nr_modules, 0);
	CHECK_EQ(bi.rsdp, 0);
}

TEST(bad_magic)
{
	build_good();
	si.magic = 0x336ec579;
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "magic"));
}

TEST(versions)
{
	build_good();
	si.version = 0;
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "no memory map"));

	build_good();
	si.version = 2; /* later versions only append */
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.nr_mem, 3);
}

TEST(start_info_unreadable)
{
	build_good();
	CHECK_EQ(parse_len(HVM_START_INFO_SIZE_V0 - 1), -1);
	CHECK(strstr(check_log, "not readable"));
	/* the version 0 part is readable, the version 1 fields are not */
	CHECK_EQ(parse_len(HVM_START_INFO_SIZE_V0), -1);
	CHECK(strstr(check_log, "not readable"));
	CHECK_EQ(pvh_parse(0, fake_phys_read, &bi), -1);
	CHECK_EQ(pvh_parse(UINT64_MAX - 8, fake_phys_read, &bi), -1);
}

TEST(cmdline_unterminated)
{
	build_good();
	si.cmdline_paddr = BASE + MEM_SIZE - 4; /* last 4 bytes, no NUL */
	memcpy(mem + MEM_SIZE - 4, "abcd", 4);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "unreadable memory"));

	build_good();
	si.cmdline_paddr = BASE + MEM_SIZE - 4; /* ends exactly at the last byte */
	memcpy(mem + MEM_SIZE - 4, "abc", 4);
	CHECK_EQ(parse(), 0);
	CHECK_STR(bi.cmdline, "abc");

	build_good();
	si.cmdline_paddr = UINT64_MAX - 2; /* would wrap */
	CHECK_EQ(parse(), -1);
}

TEST(cmdline_too_long)
{
	build_good();
	memset(mem + OFF_MODCMD, 'z', 0x700); /* longer than BOOT_CMDLINE_MAX */
	si.cmdline_paddr = BASE + OFF_MODCMD;
	si.nr_modules = 0;
	CHECK_EQ(parse(), 0);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(strstr(check_log, "truncated"));
}

TEST(nr_modules_huge)
{
	char name[16];

	build_good();
	for (uint32_t i = 0; i < BOOT_MAX_MODULES; i++) {
		snprintf(name, sizeof(name), "mod%u", i);
		set_module(i, 0x1000000 + i * 0x100000ULL, 0x1000, name);
	}
	si.nr_modules = 0xffffffff;
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.nr_modules, BOOT_MAX_MODULES);
	CHECK_STR(bi.modules[15].cmdline, "mod15");
	CHECK_EQ(bi.modules[15].start, 0x1f00000);
	CHECK(strstr(check_log, "4294967295 modules given"));
}

TEST(modlist_outside)
{
	build_good();
	si.modlist_paddr = BASE + MEM_SIZE; /* just past readable memory */
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "not readable"));

	build_good();
	si.modlist_paddr = BASE + MEM_SIZE - 48; /* entry 0 readable, entry 1 cut */
	memcpy(mem + MEM_SIZE - 48, mem + OFF_MODLIST, 32);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "entry 1"));

	build_good();
	si.modlist_paddr = 0; /* modules but no list */
	CHECK_EQ(parse(), -1);

	build_good();
	si.modlist_paddr = UINT64_MAX - 40; /* list wraps */
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "not a valid address"));
}

TEST(module_bad_range)
{
	build_good();
	set_module(1, 0, 0x1000, NULL);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "module 1"));

	build_good();
	set_module(0, 0xfffffffffffff000ULL, 0x2000, NULL);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "module 0"));

	build_good();
	set_module(0, 0x1000000, 0x1000, NULL);
	struct hvm_modlist_entry e;
	memcpy(&e, mem + OFF_MODLIST, sizeof(e));
	e.cmdline_paddr = BASE + MEM_SIZE + 0x100; /* unreadable command line */
	memcpy(mem + OFF_MODLIST, &e, sizeof(e));
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "module command line"));
}

TEST(memmap_missing)
{
	build_good();
	si.memmap_entries = 0;
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "no memory map"));

	build_good();
	si.memmap_paddr = 0;
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "no memory map"));

	build_good();
	for (uint32_t i = 0; i < 4; i++)
		set_region(i, i * 0x1000, 0, 1);
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "length 0"));
}

TEST(memmap_outside)
{
	build_good();
	si.memmap_paddr = BASE + MEM_SIZE - 2 * 24; /* 2 of 4 entries readable */
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "entry 2"));

	build_good();
	si.memmap_paddr = UINT64_MAX - 24 * 2;
	CHECK_EQ(parse(), -1);
	CHECK(strstr(check_log, "not a valid address"));
}

TEST(memmap_entries_huge)
{
	build_good();
	for (uint32_t i = 0; i < 160; i++)
		set_region(i, i * 0x10000ULL, 0x1000, 1 + i % 5);
	si.memmap_entries = 0xfffffff0;
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
	CHECK_EQ(bi.mem[127].base, 127 * 0x10000ULL);
	CHECK_EQ(bi.mem[127].type, 1 + 127 % 5);
	CHECK(strstr(check_log, "only the first 128"));
}

TEST(unaligned_start_info)
{
	build_good();
	static uint8_t shifted[MEM_SIZE + 1];
	memcpy(mem, &si, sizeof(si));
	memcpy(shifted + 1, mem, MEM_SIZE);
	/* every address moves by one byte; so must the pointers inside */
	struct hvm_start_info s2 = si;
	s2.cmdline_paddr += 1;
	s2.modlist_paddr += 1;
	s2.memmap_paddr += 1;
	memcpy(shifted + 1, &s2, sizeof(s2));
	for (uint32_t i = 0; i < 2; i++) {
		struct hvm_modlist_entry e;
		memcpy(&e, shifted + 1 + OFF_MODLIST + i * sizeof(e), sizeof(e));
		if (e.cmdline_paddr)
			e.cmdline_paddr += 1;
		memcpy(shifted + 1 + OFF_MODLIST + i * sizeof(e), &e, sizeof(e));
	}
	fake_phys_map(BASE + 1, shifted + 1, MEM_SIZE);
	CHECK_EQ(pvh_parse(BASE + 1, fake_phys_read, &bi), 0);
	CHECK_STR(bi.cmdline, "e9 quiet");
	CHECK_STR(bi.modules[0].cmdline, "guest.elf console=hvc0");
	CHECK_EQ(bi.nr_mem, 3);
}

int main(void)
{
	CHECK_MAIN("pvh");
	RUN(good);
	RUN(no_cmdline_no_modules);
	RUN(bad_magic);
	RUN(versions);
	RUN(start_info_unreadable);
	RUN(cmdline_unterminated);
	RUN(cmdline_too_long);
	RUN(nr_modules_huge);
	RUN(modlist_outside);
	RUN(module_bad_range);
	RUN(memmap_missing);
	RUN(memmap_outside);
	RUN(memmap_entries_huge);
	RUN(unaligned_start_info);
	return CHECK_END();
}
