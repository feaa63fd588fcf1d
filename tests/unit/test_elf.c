/* hv/load/elf.c: elf_parse() on ELF32/ELF64 images built in memory, good and malformed. */
#include "tests/unit/image_builder.h"

static uint8_t img[IMG_MAX];
static struct elf_image elf;
static char err[160];

/*
 * The good ELF64: text (0x1000, 0x200 file bytes, 0x3000 in memory) at 1 MiB,
 * data at 2 MiB, and a note segment at file offset 0x800 holding a "GNU" note
 * and then the PVH note (entry 0x100010).
 */
#define NOTE_OFF 0x800
static struct seg_spec segs64[3];
static size_t size64;

static size_t build64(void)
{
	size_t note_len;

	memset(img, 0, sizeof(img));
	note_len = img_note(img + NOTE_OFF, "GNU", 3, "abcdefgh", 6);
	note_len += img_pvh_note(img + NOTE_OFF + note_len, 0x100010);
	segs64[0] = (struct seg_spec){PT_LOAD, 0x1000, 0x100000, 0xffffffff80100000, 0x200, 0x3000};
	segs64[1] = (struct seg_spec){PT_LOAD, 0x2000, 0x200000, 0xffffffff80200000, 0x100, 0x100};
	segs64[2] = (struct seg_spec){PT_NOTE, NOTE_OFF, 0, 0, note_len, note_len, 4};
	img_elf(img, ELFCLASS64, EM_X86_64, 0xffffffff80100020, segs64, 3);
	size64 = 0x2100;
	return size64;
}

static void rebuild64(void)
{
	img_elf(img, ELFCLASS64, EM_X86_64, 0xffffffff80100020, segs64, 3);
}

static int parse(size_t size)
{
	return elf_parse(img, size, &elf, err, sizeof(err));
}

/* Expects a rejection whose reason contains `what`. */
#define CHECK_REJECT(size, what)                           \
	do {                                               \
		CHECK_EQ(parse(size), -1);                 \
		if (!strstr(err, (what)))                  \
			printf("  reason was: %s\n", err); \
		CHECK(strstr(err, (what)) != NULL);        \
	} while (0)

TEST(good_elf64_with_pvh_note)
{
	CHECK_EQ(parse(build64()), 0);
	CHECK_EQ(elf.elf_class, ELFCLASS64);
	CHECK_EQ(elf.nr_segments, 2);
	CHECK_EQ(elf.segments[0].paddr, 0x100000);
	CHECK_EQ(elf.segments[0].offset, 0x1000);
	CHECK_EQ(elf.segments[0].filesz, 0x200);
	CHECK_EQ(elf.segments[0].memsz, 0x3000);
	CHECK_EQ(elf.segments[1].paddr, 0x200000);
	CHECK(elf.has_pvh_entry);
	CHECK_EQ(elf.pvh_entry, 0x100010);
	CHECK_EQ(elf.entry, 0xffffffff80100020);
	/* e_entry is in the text's virtual range: translated to its physical address */
	CHECK_EQ(elf_entry_paddr(&elf), 0x100020);
}

TEST(good_elf32_without_note)
{
	struct seg_spec s[2] = {
	    {PT_LOAD, 0x1000, 0x100000, 0x100000, 0x400, 0x1000},
	    {PT_LOAD, 0x0, 0x0, 0, 0, 0}, /* memsz 0: ignored */
	};

	memset(img, 0, sizeof(img));
	img_elf(img, ELFCLASS32, EM_386, 0x10000c, s, 2);
	CHECK_EQ(parse(0x1400), 0);
	CHECK_EQ(elf.elf_class, ELFCLASS32);
	CHECK_EQ(elf.nr_segments, 1);
	CHECK(!elf.has_pvh_entry);
	CHECK_EQ(elf_entry_paddr(&elf), 0x10000c);
}

TEST(pvh_note_with_4_byte_descriptor)
{
	uint32_t entry = 0x100040;

	build64();
	segs64[2].filesz = img_note(img + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
	rebuild64();
	CHECK_EQ(parse(size64), 0);
	CHECK_EQ(elf.pvh_entry, 0x100040);
}

TEST(note_named_other_than_xen_is_ignored)
{
	uint64_t entry = 0x100040;

	build64();
	segs64[2].filesz = img_note(img + NOTE_OFF, "Xem", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8);
	rebuild64();
	CHECK_EQ(parse(size64), 0);
	CHECK(!elf.has_pvh_entry);
}

TEST(bad_magic)
{
	build64();
	img[1] = 'F';
	CHECK_REJECT(size64, "bad magic");
	CHECK(!elf_has_magic(img, size64));
}

TEST(wrong_class_data_version)
{
	build64();
	img[EI_CLASS] = 3;
	CHECK_REJECT(size64, "class 3");
	build64();
	img[EI_DATA] = 2;
	CHECK_REJECT(size64, "not little endian");
	build64();
	img[EI_VERSION] = 0;
	CHECK_REJECT(size64, "version");
}

TEST(wrong_machine)
{
	struct seg_spec s = {PT_LOAD, 0x1000, 0x100000, 0x100000, 0x400, 0x1000};

	memset(img, 0, sizeof(img));
	img_elf(img, ELFCLASS64, EM_386, 0x100000, &s, 1);
	CHECK_REJECT(0x1400, "machine 3");
	img_elf(img, ELFCLASS32, EM_X86_64, 0x100000, &s, 1);
	CHECK_REJECT(0x1400, "machine 62");
	img_elf(img, ELFCLASS32, 40 /* ARM */, 0x100000, &s, 1);
	CHECK_REJECT(0x1400, "machine 40");
}

TEST(not_executable)
{
	uint16_t rel = 1;

	build64();
	memcpy(img + 16, &rel, 2); /* e_type = ET_REL */
	CHECK_REJECT(size64, "type 1");
}

TEST(truncated_header)
{
	build64();
	CHECK_REJECT(3, "bad magic");
	CHECK_REJECT(12, "truncated ELF header");
	CHECK_REJECT(63, "truncated ELF64 header");
	img[EI_CLASS] = ELFCLASS32;
	CHECK_REJECT(51, "truncated ELF32 header");
}

TEST(phentsize_wrong)
{
	uint16_t v = 32;

	build64();
	memcpy(img + offsetof(struct elf64_ehdr, e_phentsize), &v, 2);
	CHECK_REJECT(size64, "program header size 32");
}

TEST(phnum_zero_or_huge)
{
	uint16_t v = 0;

	build64();
	memcpy(img + offsetof(struct elf64_ehdr, e_phnum), &v, 2);
	CHECK_REJECT(size64, "0 program headers");
	v = 0xffff;
	memcpy(img + offsetof(struct elf64_ehdr, e_phnum), &v, 2);
	CHECK_REJECT(size64, "65535 program headers");
	v = ELF_MAX_PHDRS + 1;
	memcpy(img + offsetof(struct elf64_ehdr, e_phnum), &v, 2);
	CHECK_REJECT(size64, "program headers");
}

TEST(phoff_past_end)
{
	uint64_t v = size64 - 100; /* room for one of the three headers only */

	build64();
	memcpy(img + offsetof(struct elf64_ehdr, e_phoff), &v, 8);
	CHECK_REJECT(size64, "run past the end of the file");
	v = UINT64_MAX - 8; /* phoff + size wraps */
	memcpy(img + offsetof(struct elf64_ehdr, e_phoff), &v, 8);
	CHECK_REJECT(size64, "run past the end of the file");
	/* the image cut right after the ELF header */
	build64();
	CHECK_REJECT(sizeof(struct elf64_ehdr) + 10, "run past the end of the file");
}

TEST(segment_past_file)
{
	build64();
	segs64[1].filesz = 0x101; /* one byte past the end */
	rebuild64();
	CHECK_REJECT(size64, "segment 1");
	segs64[1].filesz = 0x100;
	segs64[1].offset = UINT64_MAX - 0x10; /* offset + filesz wraps */
	rebuild64();
	CHECK_REJECT(size64, "past the end of the file");
	/* the image truncated in the middle of the data segment */
	build64();
	CHECK_REJECT(size64 - 1, "segment 1");
}

TEST(filesz_above_memsz)
{
	build64();
	segs64[0].memsz = 0x1ff;
	rebuild64();
	CHECK_REJECT(size64, "filesz 0x200 > memsz 0x1ff");
}

TEST(overlapping_segments)
{
	build64();
	segs64[1].paddr = 0x102fff; /* last byte of text's bss */
	rebuild64();
	CHECK_REJECT(size64, "overlaps an earlier segment");
	segs64[1].paddr = 0x103000; /* adjacent: fine */
	rebuild64();
	CHECK_EQ(parse(size64), 0);
	segs64[1].paddr = 0xff000;
	segs64[1].memsz = 0x200000; /* covers text entirely */
	rebuild64();
	CHECK_REJECT(size64, "overlaps");
}

TEST(segment_address_wraps)
{
	struct seg_spec s = {PT_LOAD, 0x1000, 0xfffff000, 0xfffff000, 0x400, 0x2000};

	build64();
	segs64[1].paddr = UINT64_MAX - 0x10;
	rebuild64();
	CHECK_REJECT(size64, "wraps");
	/* ELF32: a segment may not run past 4 GiB */
	memset(img, 0, sizeof(img));
	img_elf(img, ELFCLASS32, EM_386, 0xfffff000, &s, 1);
	CHECK_REJECT(0x1400, "wraps");
	s.memsz = 0x1000; /* ends exactly at 4 GiB: fine */
	img_elf(img, ELFCLASS32, EM_386, 0xfffff000, &s, 1);
	CHECK_EQ(parse(0x1400), 0);
}

TEST(too_many_segments)
{
	struct seg_spec s[ELF_MAX_SEGMENTS + 1];

	memset(img, 0, sizeof(img));
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		s[i] = (struct seg_spec){PT_LOAD, 0x1000, 0x100000 + i * 0x1000, 0, 0x10, 0x1000};
	img_elf(img, ELFCLASS64, EM_X86_64, 0x100000, s, ELF_MAX_SEGMENTS);
	CHECK_EQ(parse(0x2000), 0);
	CHECK_EQ(elf.nr_segments, ELF_MAX_SEGMENTS);
	img_elf(img, ELFCLASS64, EM_X86_64, 0x100000, s, ELF_MAX_SEGMENTS + 1);
	CHECK_REJECT(0x2000, "more than 16 loadable segments");
}

TEST(no_loadable_segment)
{
	build64();
	segs64[0].type = 6; /* PT_PHDR */
	segs64[1].type = 6;
	rebuild64();
	CHECK_REJECT(size64, "no loadable segment");
}

TEST(note_past_segment)
{
	build64();
	segs64[2].filesz -= 1; /* cuts the PVH note's descriptor */
	rebuild64();
	CHECK_REJECT(size64, "runs past the segment");
	build64();
	segs64[2].filesz = 20 + 8; /* the GNU note (20) and 8 bytes of the next header */
	rebuild64();
	CHECK_REJECT(size64, "is truncated");
	/* a huge descsz must not wrap the bounds check */
	build64();
	uint32_t huge = 0xfffffff0;
	memcpy(img + NOTE_OFF + 4, &huge, 4);
	CHECK_REJECT(size64, "runs past the segment");
	/* the note segment itself past the end of the file */
	build64();
	segs64[2].offset = size64 - 8;
	rebuild64();
	CHECK_REJECT(size64, "note segment 2");
}

/* An offset far past the file is rejected before a pointer is formed from it (fuzz/elf found it).
 */
TEST(note_offset_huge)
{
	build64();
	segs64[2].offset = 0x8000000000000000ULL;
	rebuild64();
	CHECK_REJECT(size64, "note segment 2");
}

TEST(pvh_note_bad_descriptor)
{
	uint8_t desc[8] = {0x10, 0, 0x10, 0, 1, 0, 0, 0}; /* 0x1_0010_0010: above 4 GiB */

	build64();
	segs64[2].filesz = img_note(img + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, desc, 6);
	rebuild64();
	CHECK_REJECT(size64, "6-byte descriptor");
	build64();
	segs64[2].filesz = img_note(img + NOTE_OFF, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, desc, 8);
	rebuild64();
	CHECK_REJECT(size64, "not below 4 GiB");
}

TEST(notes_aligned_to_8)
{
	/* With p_align 8, the descriptor and the next note start 8-aligned from the note's start.
	 */
	struct elf_note_hdr gnu = {4, 4, 5};
	struct elf_note_hdr nh = {4, 8, XEN_ELFNOTE_PHYS32_ENTRY};
	uint64_t entry = 0x100080;
	uint8_t *p = img + NOTE_OFF;

	build64();
	memcpy(p, &gnu, 12);
	memcpy(p + 12, "GNU", 4);
	memset(p + 16, 0, 8); /* desc at 16 (4 bytes), padded to 24 */
	memcpy(p + 24, &nh, 12);
	memcpy(p + 36, "Xen", 4);
	memcpy(p + 40, &entry, 8); /* desc at 24 + 16 */
	segs64[2].filesz = 48;
	segs64[2].align = 8;
	rebuild64();
	CHECK_EQ(parse(size64), 0);
	CHECK(elf.has_pvh_entry);
	CHECK_EQ(elf.pvh_entry, 0x100080);
}

int main(void)
{
	CHECK_MAIN("elf");
	RUN(good_elf64_with_pvh_note);
	RUN(good_elf32_without_note);
	RUN(pvh_note_with_4_byte_descriptor);
	RUN(note_named_other_than_xen_is_ignored);
	RUN(bad_magic);
	RUN(wrong_class_data_version);
	RUN(wrong_machine);
	RUN(not_executable);
	RUN(truncated_header);
	RUN(phentsize_wrong);
	RUN(phnum_zero_or_huge);
	RUN(phoff_past_end);
	RUN(segment_past_file);
	RUN(filesz_above_memsz);
	RUN(overlapping_segments);
	RUN(segment_address_wraps);
	RUN(too_many_segments);
	RUN(no_loadable_segment);
	RUN(note_past_segment);
	RUN(note_offset_huge);
	RUN(pvh_note_bad_descriptor);
	RUN(notes_aligned_to_8);
	return CHECK_END();
}
