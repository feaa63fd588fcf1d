/*
 * Writes the generated seeds of the fuzz corpus (`make fuzz-corpus`):
 * gen_corpus DIR puts valid inputs that reach deep into DIR/NAME/gen-*.bin for
 * each harness: ELF and multiboot images made with tests/unit/image_builder.h,
 * a multiboot2 block, a PVH start info, an E820-like map, ACPI tables and
 * hypercalls. The config harness takes configs/ itself (tests/fuzz/run.sh).
 * Hand-made seeds and reproducers live next to these, named otherwise.
 */
#include <sys/stat.h>
#include "tests/fuzz/fuzz.h"
#include "tests/unit/image_builder.h"
#include "boot/boot_info.h"
#include "boot/multiboot2.h"
#include "guest-abi/tessera.h"
#include "hv/partition/partition_config.h"

static const char *dir;
static uint8_t buf[IMG_MAX];

static void put(const char *name, const char *seed, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/gen-%s.bin", dir, name, seed);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "gen_corpus: cannot write %s\n", path);
		exit(1);
	}
}

/* An image as a loader seed: the control byte (boot = ctl & 3, modules (ctl >> 2) & 3) first. */
static void put_loader(const char *seed, size_t len, uint8_t ctl)
{
	static uint8_t with_ctl[IMG_MAX + 1];

	with_ctl[0] = ctl;
	memcpy(with_ctl + 1, buf, len);
	put("loader", seed, with_ctl, len + 1);
}

static void w32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void w64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* ELF64 with a PVH note: text at 1 MiB with bss, data at 2 MiB, entry 0x100010. */
static size_t elf64_pvh(void)
{
	struct seg_spec s[3] = {
	    {PT_LOAD, 0x200, 0x100000, 0xffffffff80100000, 0x100, 0x2000, 0x1000},
	    {PT_LOAD, 0x300, 0x200000, 0xffffffff80200000, 0x80, 0x80, 0x1000},
	    {PT_NOTE, 0x100, 0, 0, 24, 24, 4},
	};

	memset(buf, 0, sizeof(buf));
	img_elf(buf, ELFCLASS64, EM_X86_64, 0xffffffff80100020, s, 3);
	img_pvh_note(buf + 0x100, 0x100010);
	memset(buf + 0x200, 0x90, 0x180);
	return 0x380;
}

/* ELF32 with a multiboot header at the start of its one segment (1 MiB, entry 0x10000c). */
static size_t elf32_mb(void)
{
	struct seg_spec s = {PT_LOAD, 0x100, 0x100000, 0x100000, 0x100, 0x1000, 0x1000};

	memset(buf, 0, sizeof(buf));
	img_elf(buf, ELFCLASS32, EM_386, 0x10000c, &s, 1);
	img_mb_header(buf + 0x100, MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO, NULL);
	return 0x200;
}

/* A flat a.out-kludge image: header at 0x40, loaded at 1 MiB, bss to 0x104000. */
static size_t aout_mb(void)
{
	const uint32_t aout[5] = {0x100040, 0x100000, 0x100200, 0x104000, 0x100080};

	memset(buf, 0xf4, 0x200);
	img_mb_header(buf + 0x40, MULTIBOOT_AOUT_KLUDGE | MULTIBOOT_MEMORY_INFO, aout);
	return 0x200;
}

static void images(void)
{
	size_t n = elf64_pvh();

	put("elf", "elf64-pvh", buf, n);
	put_loader("elf64-pvh", n, CONFIG_BOOT_AUTO | 2 << 2);
	put_loader("elf64-pvh-boot-pvh-single", n, CONFIG_BOOT_PVH | 1 << 2 | 0x10);
	n = elf32_mb();
	put("elf", "elf32-multiboot", buf, n);
	put("multiboot_image", "elf32", buf, n);
	put_loader("elf32-multiboot", n, CONFIG_BOOT_MULTIBOOT | 2 << 2);
	n = aout_mb();
	put("multiboot_image", "aout", buf, n);
	put_loader("aout", n, CONFIG_BOOT_AUTO | 1 << 2);
}

/* Writes a multiboot2 tag at buf + off; returns the offset of the next (8-aligned). */
static size_t mb2_tag(size_t off, uint32_t type, const void *payload, uint32_t len)
{
	w32(buf + off, type);
	w32(buf + off + 4, 8 + len);
	if (len)
		memcpy(buf + off + 8, payload, len);
	return off + ((8 + len + 7) & ~7u);
}

/* The same as GRUB's x86_64-efi writes it: tag 6, the EFI system table, tag 17 (OVMF-like). */
static void multiboot2_efi(const uint8_t *mmap, uint32_t mmap_len)
{
	static const struct {
		uint32_t type;
		uint64_t base, pages, attr;
	} efi[] = {{3, 0, 1, 0xf},
		   {7, 0x1000, 0x9f, 0xf},
		   {1, 0x100000, 0x80, 0xf},
		   {7, 0x180000, 0x680, 0xf},
		   {10, 0x800000, 8, 0xf},
		   {4, 0x808000, 8, 0xf},
		   {6, 0x810000, 0x10, 1ULL << 63},
		   {9, 0x820000, 2, 0xf},
		   {11, 0xffc00000, 0x400, 1ULL << 63}};
	uint8_t emap[8 + 48 * 9] = {48, 0, 0, 0, 1};
	uint8_t st[8] = {0, 0, 0, 0x7f};
	size_t off = 8;

	for (unsigned i = 0; i < 9; i++) {
		w32(emap + 8 + 48 * i, efi[i].type);
		w64(emap + 16 + 48 * i, efi[i].base);
		w64(emap + 32 + 48 * i, efi[i].pages);
		w64(emap + 40 + 48 * i, efi[i].attr);
	}
	memset(buf, 0, sizeof(buf));
	off = mb2_tag(off, MB2_TAG_CMDLINE, "", 1);
	off = mb2_tag(off, MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
	off = mb2_tag(off, MB2_TAG_MMAP, mmap, mmap_len);
	off = mb2_tag(off, MB2_TAG_EFI64, st, sizeof(st));
	off = mb2_tag(off, MB2_TAG_ACPI_NEW, "RSD PTR ", 9);
	off = mb2_tag(off, MB2_TAG_EFI_MMAP, emap, sizeof(emap));
	off = mb2_tag(off, MB2_TAG_END, NULL, 0);
	w32(buf, (uint32_t)off);
	put("multiboot2", "grub-efi", buf, off);
}

/* A multiboot2 block as GRUB writes it (at FUZZ_INFO_PA = 0x10000). */
static void multiboot2(void)
{
	static const struct {
		uint64_t base, len;
		uint32_t type;
	} e820[] = {{0, 0x9fc00, 1},	      {0x9fc00, 0x400, 2},     {0xf0000, 0x10000, 2},
		    {0x100000, 0xfef0000, 1}, {0xfff0000, 0x10000, 3}, {0xfffc0000, 0x40000, 2}};
	uint8_t mod0[8 + 12] = {0, 0, 0x20, 0, 0, 0x10, 0x20, 0, 'g', 'u', 'e', 's', 't', '-', 'a'};
	uint8_t mod1[8 + 5] = {0, 0x20, 0x20, 0, 0, 0x20, 0x20, 0, 'b', 'e', 't', 'a'};
	uint8_t mmap[8 + 24 * 6] = {24};
	uint8_t rsdp[36] = "RSD PTR ";
	size_t off = 8;

	for (unsigned i = 0; i < 6; i++) {
		w64(mmap + 8 + 24 * i, e820[i].base);
		w64(mmap + 16 + 24 * i, e820[i].len);
		w32(mmap + 24 + 24 * i, e820[i].type);
	}
	memset(buf, 0, sizeof(buf));
	off = mb2_tag(off, MB2_TAG_CMDLINE, "e9", 3);
	off = mb2_tag(off, MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
	off = mb2_tag(off, MB2_TAG_MODULE, mod0, sizeof(mod0));
	off = mb2_tag(off, MB2_TAG_MODULE, mod1, sizeof(mod1));
	off = mb2_tag(off, MB2_TAG_MMAP, mmap, sizeof(mmap));
	off = mb2_tag(off, MB2_TAG_ACPI_OLD, rsdp, 20);
	off = mb2_tag(off, MB2_TAG_ACPI_NEW, rsdp, 36);
	off = mb2_tag(off, MB2_TAG_FRAMEBUFFER, rsdp, 24);
	off = mb2_tag(off, MB2_TAG_END, NULL, 0);
	w32(buf, (uint32_t)off);
	put("multiboot2", "grub", buf, off);
	multiboot2_efi(mmap, sizeof(mmap));

	/* The same map for memmap_normalize(), plus overlaps and a region that wraps. */
	uint8_t map[20 * 9];
	for (unsigned i = 0; i < 6; i++) {
		w64(map + 20 * i, e820[i].base);
		w64(map + 20 * i + 8, e820[i].len);
		w32(map + 20 * i + 16, e820[i].type);
	}
	w64(map + 120, 0x1000), w64(map + 128, 0x2800), w32(map + 136, BOOT_MEM_ACPI_NVS);
	w64(map + 140, 0x100000), w64(map + 148, 0x1000), w32(map + 156, BOOT_MEM_BAD);
	w64(map + 160, 0xfffffffffffff000), w64(map + 168, 0x2000), w32(map + 176, 7);
	put("memmap", "e820", map, 20 * 6);
	put("memmap", "overlaps", map, sizeof(map));
}

/* A version 1 hvm_start_info at 0x10000 with its command line, modules and memory map. */
static void pvh(void)
{
	const uint64_t pa = 0x10000;
	struct hvm_start_info si = {
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = 1,
	    .nr_modules = 2,
	    .modlist_paddr = pa + 0x40,
	    .cmdline_paddr = pa + 0x100,
	    .rsdp_paddr = 0xf5a20,
	    .memmap_paddr = pa + 0x140,
	    .memmap_entries = 4,
	};
	struct hvm_modlist_entry mods[2] = {{0x200000, 0x1000, pa + 0x110, 0},
					    {0x202000, 0x10, 0, 0}};
	struct hvm_memmap_table_entry mm[4] = {{0, 0x9fc00, 1, 0},
					       {0x9fc00, 0x400, 2, 0},
					       {0x100000, 0x7f00000, 1, 0},
					       {0xfeffc000, 0x4000, 2, 0}};

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &si, sizeof(si));
	memcpy(buf + 0x40, mods, sizeof(mods));
	memcpy(buf + 0x100, "e9", 3);
	memcpy(buf + 0x110, "guest-alpha x=1", 16);
	memcpy(buf + 0x140, mm, sizeof(mm));
	put("pvh", "qemu", buf, 0x140 + sizeof(mm));
}

static void sdt(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	w32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "TESSER", 6);
	fuzz_fix_sum(t, len, 9);
}

/*
 * Memory from 0 for fuzz_acpi (after its control byte): the BDA's EBDA segment
 * 0x100, an ACPI 2.0 RSDP at 0x1000, XSDT at 0x1040 and RSDT at 0x1080 listing
 * a MADT (two xAPIC CPUs, one x2APIC, an IOAPIC, a LAPIC override), a FADT and
 * an HPET table.
 */
static void acpi(void)
{
	static uint8_t m[1 + 0x1400];
	uint8_t *mem = m + 1, *e;

	memset(m, 0, sizeof(m));
	mem[0x40e] = 0x00, mem[0x40f] = 0x01;
	/* MADT at 0x1100 */
	e = mem + 0x1100 + 44;
	w32(mem + 0x1100 + 36, 0xfee00000), w32(mem + 0x1100 + 40, 1);
	e[0] = 0, e[1] = 8, e[2] = 0, e[3] = 0, w32(e + 4, 1), e += 8;
	e[0] = 0, e[1] = 8, e[2] = 1, e[3] = 1, w32(e + 4, 1), e += 8;
	e[0] = 9, e[1] = 16, w32(e + 4, 0x100), w32(e + 8, 2), w32(e + 12, 2), e += 16;
	e[0] = 1, e[1] = 12, e[2] = 2, w32(e + 4, 0xfec00000), e += 12;
	e[0] = 5, e[1] = 12, w64(e + 4, 0xfee00000), e += 12;
	sdt(mem + 0x1100, "APIC", (uint32_t)(e - (mem + 0x1100)));
	/* FADT at 0x1200: SCI 9, PM1a control 0xb004, PM timer 0xb008 (32-bit) */
	mem[0x1200 + 46] = 9;
	w32(mem + 0x1200 + 64, 0xb004), w32(mem + 0x1200 + 76, 0xb008);
	mem[0x1200 + 91] = 4, w32(mem + 0x1200 + 112, 1u << 8);
	mem[0x1200 + 208] = 1, mem[0x1200 + 209] = 32, w64(mem + 0x1200 + 212, 0xb008);
	sdt(mem + 0x1200, "FACP", 244);
	/* HPET at 0x1300 */
	w64(mem + 0x1300 + 44, 0xfed00000);
	sdt(mem + 0x1300, "HPET", 56);
	/* XSDT and RSDT */
	w64(mem + 0x1040 + 36, 0x1100), w64(mem + 0x1040 + 44, 0x1200),
	    w64(mem + 0x1040 + 52, 0x1300);
	sdt(mem + 0x1040, "XSDT", 60);
	w32(mem + 0x1080 + 36, 0x1100), w32(mem + 0x1080 + 40, 0x1200),
	    w32(mem + 0x1080 + 44, 0x1300);
	sdt(mem + 0x1080, "RSDT", 48);
	/* RSDP */
	memcpy(mem + 0x1000, "RSD PTR ", 8);
	memcpy(mem + 0x1000 + 9, "TESSER", 6);
	mem[0x1000 + 15] = 2;
	w32(mem + 0x1000 + 16, 0x1080), w32(mem + 0x1000 + 20, 36), w64(mem + 0x1000 + 24, 0x1040);
	fuzz_fix_sum(mem + 0x1000, 20, 8);
	fuzz_fix_sum(mem + 0x1000, 36, 32);

	static const struct {
		const char *name;
		uint8_t ctl;
	} modes[] = {{"given", 0x08},
		     {"copy", 0x09},
		     {"copy-v1", 0x0d},
		     {"ebda", 0x0a},
		     {"given-nofix", 0x00}};
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		m[0] = modes[i].ctl;
		put("acpi", modes[i].name, m, sizeof(m));
	}
}

/* Each hypercall with good arguments, from CPL 0 in 64-bit mode. */
static void hypercalls(void)
{
	static const uint64_t calls[][3] = {
	    {TESSERA_HC_ABI_VERSION, 0, 0},	      {TESSERA_HC_CONSOLE_WRITE, 0x100000, 12},
	    {TESSERA_HC_PARTITION_INFO, 0x200000, 0}, {TESSERA_HC_EXIT, 0, 0},
	    {TESSERA_HC_EXIT_STATS, 0x300000, 80},    {TESSERA_HC_PRINT_STATS, 0, 0}};
	uint8_t in[42 + 6];
	char name[8];

	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		memset(in, 0, sizeof(in));
		for (unsigned j = 0; j < 3; j++)
			w64(in + 8 * j, calls[i][j]);
		memcpy(in + 42, "alpha", 6);
		snprintf(name, sizeof(name), "call%u", i);
		put("hypercall_check", name, in, sizeof(in));
	}
}

/* SPP sessions (fuzz_spp_call.c): protect, read back, lift, and the bad inputs. */
static void spp_sessions(void)
{
	static const uint64_t calls[][4] = {
	    {0, 0x4000, 0xffff, 0},	{1, 0x4000, 0, 0},
	    {0, 0x4000, 0xffffffff, 0}, {0, 0x8000000004000ULL, 1, 1},
	    {0, 0x9000, 0, 0},		{0, 0xa0000, 0, 0},
	    {0, 0x4080, 0, 0},		{0, 0x200000, 0x100000000ULL, 0},
	    {2, 0x7000, 0, 0},		{0, 0x1ff000, 0x80000001, 1},
	    {0, 0x200000, 0x5555, 0},	{3, 0, 0, 0},
	};
	uint8_t in[1 + 25 * (sizeof(calls) / sizeof(calls[0]))];

	for (unsigned flags = 0; flags < 4; flags++) {
		char name[16];

		in[0] = (uint8_t)flags;
		for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
			uint8_t *c = in + 1 + 25 * i;

			c[0] = (uint8_t)calls[i][0];
			w64(c + 1, calls[i][1]);
			w64(c + 9, calls[i][2]);
			w64(c + 17, calls[i][3]);
		}
		snprintf(name, sizeof(name), "session%u", flags);
		put("spp_call", name, in, sizeof(in));
	}
}

/* vLAPIC sessions (fuzz_vlapic.c): operations of 16 bytes on one of three vLAPICs. */
static uint8_t *vl_op(uint8_t *p, unsigned who, unsigned kind, uint32_t off, uint64_t value)
{
	memset(p, 0, 16);
	p[0] = (uint8_t)(who << 4 | kind);
	w32(p + 1, off);
	w64(p + 8, value);
	return p + 16;
}

static void vlapic_sessions(void)
{
	uint8_t in[1 + 16 * 16], *p;

	/* xAPIC: enable, self-IPI, ack, EOI; a fixed IPI to vCPU 1 and a logical one. */
	in[0] = 0;
	p = in + 1;
	for (unsigned i = 0; i < 3; i++)
		p = vl_op(p, i, 1, 0x0f0, 0x1ff);
	p = vl_op(p, 0, 1, 0x300, 0x40 | 1u << 18);
	p = vl_op(p, 0, 6, 0, 0);
	p = vl_op(p, 0, 1, 0x0b0, 0);
	p = vl_op(p, 0, 1, 0x310, 1u << 24);
	p = vl_op(p, 0, 1, 0x300, 0x41);
	p = vl_op(p, 1, 1, 0x0d0, 2u << 24);
	p = vl_op(p, 0, 1, 0x310, 2u << 24);
	p = vl_op(p, 0, 1, 0x300, 0x42 | 1u << 11 | 1u << 8);
	p = vl_op(p, 1, 1, 0x080, 0x50);
	p = vl_op(p, 1, 0, 0x0a0, 0);
	put("vlapic", "xapic-ipis", in, (size_t)(p - in));

	/* x2APIC: MSR writes, broadcast, SELF_IPI, ICR with reserved bits. */
	in[0] = 1;
	p = in + 1;
	p = vl_op(p, 0, 3, 0x0f, 0x1ff);
	p = vl_op(p, 0, 3, 0x30, 0xffffffffull << 32 | 0x60);
	p = vl_op(p, 0, 3, 0x3f, 0x61);
	p = vl_op(p, 0, 2, 0x0a, 0);
	p = vl_op(p, 0, 3, 0x30, 0x1000);
	p = vl_op(p, 0, 3, 0x0d, 1);
	p = vl_op(p, 0, 4, 0, 0xfee00000ull);
	p = vl_op(p, 0, 4, 0, 0xfee00000ull | 1u << 11);
	put("vlapic", "x2apic-msrs", in, (size_t)(p - in));

	/* The timer: periodic, divide by 16, time passes, it fires; TSC-deadline too. */
	in[0] = 2;
	p = in + 1;
	p = vl_op(p, 0, 1, 0x0f0, 0x1ff);
	p = vl_op(p, 0, 1, 0x3e0, 0x3);
	p = vl_op(p, 0, 1, 0x320, 0x20030);
	p = vl_op(p, 0, 1, 0x380, 1000);
	p = vl_op(p, 0, 12, 0, 20000);
	p = vl_op(p, 0, 0, 0x390, 0);
	p = vl_op(p, 0, 8, 0, 0);
	p = vl_op(p, 0, 1, 0x320, 0x40031);
	p = vl_op(p, 0, 11, 0, 2000000);
	p = vl_op(p, 0, 12, 0, 2000000);
	p = vl_op(p, 0, 8, 0, 0);
	p = vl_op(p, 0, 9, 0, 0x8001);
	p = vl_op(p, 0, 10, 0, 0xf0);
	put("vlapic", "timer", in, (size_t)(p - in));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);
	images();
	multiboot2();
	pvh();
	acpi();
	hypercalls();
	spp_sessions();
	vlapic_sessions();
	return 0;
}
