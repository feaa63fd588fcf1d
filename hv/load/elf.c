/*
 * elf_parse(): checks a guest ELF image in memory and lists what to load.
 *
 * Rules (docs/loading.md): ELF magic, class 32 or 64, little endian, version 1,
 * type EXEC or DYN, machine EM_386 for class 32 and EM_X86_64 for class 64,
 * e_phentsize the size of a program header, 1..ELF_MAX_PHDRS program headers
 * lying inside the file; PT_LOAD segments (those with memsz 0 are ignored):
 * file bytes inside the file, filesz <= memsz, paddr + memsz not wrapping (not
 * past 4 GiB for class 32), at most ELF_MAX_SEGMENTS, no two overlapping
 * physically; PT_NOTE segments inside the file, each note inside its segment,
 * a "Xen" note of type XEN_ELFNOTE_PHYS32_ENTRY with a 4- or 8-byte descriptor
 * holding an address below 4 GiB.
 * Headers are copied out with memcpy: the image need not be aligned.
 */
#include "hv/load/elf.h"
#include "guest-abi/pvh.h"
#include "lib/format.h"
#include "lib/string.h"

#define FAIL(...)                                         \
	do {                                              \
		fmt_snprintf(err, err_size, __VA_ARGS__); \
		return -1;                                \
	} while (0)

/* A program header, whichever class it came from. */
struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* True if [off, off + len) lies inside a buffer of size bytes (no wrap). */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

bool elf_has_magic(const void *image, size_t size)
{
	return image && size >= SELFMAG && memcmp(image, ELFMAG, SELFMAG) == 0;
}

static void read_phdr(const uint8_t *image, uint32_t elf_class, uint64_t off, struct phdr *ph)
{
	if (elf_class == ELFCLASS64) {
		struct elf64_phdr p;

		memcpy(&p, image + off, sizeof(p));
		*ph = (struct phdr){p.p_type,	p.p_offset, p.p_vaddr, p.p_paddr,
				    p.p_filesz, p.p_memsz,  p.p_align};
	} else {
		struct elf32_phdr p;

		memcpy(&p, image + off, sizeof(p));
		*ph = (struct phdr){p.p_type,	p.p_offset, p.p_vaddr, p.p_paddr,
				    p.p_filesz, p.p_memsz,  p.p_align};
	}
}

/* Header checks; fills class, entry, and where the program headers are. */
static int parse_ehdr(const uint8_t *image, size_t size, struct elf_image *out, uint64_t *phoff,
		      uint32_t *phnum, char *err, size_t err_size)
{
	uint32_t phentsize, want_phentsize, want_machine;
	uint16_t type, machine;
	uint32_t version;

	if (!elf_has_magic(image, size))
		FAIL("not an ELF file (bad magic)");
	if (size < EI_NIDENT)
		FAIL("truncated ELF header (%zu bytes)", size);
	out->elf_class = image[EI_CLASS];
	if (image[EI_DATA] != ELFDATA2LSB)
		FAIL("ELF data encoding %u is not little endian", image[EI_DATA]);
	if (image[EI_VERSION] != EV_CURRENT)
		FAIL("ELF ident version %u, expected %u", image[EI_VERSION], EV_CURRENT);

	if (out->elf_class == ELFCLASS64) {
		struct elf64_ehdr eh;

		if (size < sizeof(eh))
			FAIL("truncated ELF64 header (%zu bytes)", size);
		memcpy(&eh, image, sizeof(eh));
		type = eh.e_type, machine = eh.e_machine, version = eh.e_version;
		out->entry = eh.e_entry;
		*phoff = eh.e_phoff, *phnum = eh.e_phnum, phentsize = eh.e_phentsize;
		want_phentsize = sizeof(struct elf64_phdr), want_machine = EM_X86_64;
	} else if (out->elf_class == ELFCLASS32) {
		struct elf32_ehdr eh;

		if (size < sizeof(eh))
			FAIL("truncated ELF32 header (%zu bytes)", size);
		memcpy(&eh, image, sizeof(eh));
		type = eh.e_type, machine = eh.e_machine, version = eh.e_version;
		out->entry = eh.e_entry;
		*phoff = eh.e_phoff, *phnum = eh.e_phnum, phentsize = eh.e_phentsize;
		want_phentsize = sizeof(struct elf32_phdr), want_machine = EM_386;
	} else {
		FAIL("ELF class %u is neither 32- nor 64-bit", out->elf_class);
	}

	if (version != EV_CURRENT)
		FAIL("ELF version %u, expected %u", version, EV_CURRENT);
	if (type != ET_EXEC && type != ET_DYN)
		FAIL("ELF type %u is not an executable", type);
	if (machine != want_machine)
		FAIL("ELF%u machine %u, expected %u (%s)", out->elf_class == ELFCLASS64 ? 64 : 32,
		     machine, want_machine, want_machine == EM_X86_64 ? "x86-64" : "i386");
	if (phentsize != want_phentsize)
		FAIL("program header size %u, expected %u", phentsize, want_phentsize);
	if (*phnum == 0 || *phnum > ELF_MAX_PHDRS)
		FAIL("%u program headers (1 to %u allowed)", *phnum, ELF_MAX_PHDRS);
	if (!in_file(*phoff, (uint64_t)*phnum * phentsize, size))
		FAIL("program headers at offset %#llx (%u of %u bytes) run past the end of the "
		     "file (%zu bytes)",
		     (unsigned long long)*phoff, *phnum, phentsize, size);
	return 0;
}

static int add_load(const struct phdr *ph, uint32_t idx, size_t size, struct elf_image *out,
		    char *err, size_t err_size)
{
	uint64_t limit = out->elf_class == ELFCLASS32 ? BIT(32) : UINT64_MAX;

	if (!in_file(ph->offset, ph->filesz, size))
		FAIL("segment %u (offset %#llx, %#llx bytes) runs past the end of the file "
		     "(%zu bytes)",
		     idx, (unsigned long long)ph->offset, (unsigned long long)ph->filesz, size);
	if (ph->filesz > ph->memsz)
		FAIL("segment %u has filesz %#llx > memsz %#llx", idx,
		     (unsigned long long)ph->filesz, (unsigned long long)ph->memsz);
	if (ph->memsz == 0)
		return 0;
	if (ph->paddr > limit || ph->memsz > limit - ph->paddr)
		FAIL("segment %u at %#llx size %#llx wraps the address space", idx,
		     (unsigned long long)ph->paddr, (unsigned long long)ph->memsz);
	for (uint32_t i = 0; i < out->nr_segments; i++) {
		const struct elf_segment *s = &out->segments[i];

		if (ph->paddr < s->paddr + s->memsz && s->paddr < ph->paddr + ph->memsz)
			FAIL("segment %u (%#llx-%#llx) overlaps an earlier segment (%#llx-%#llx)",
			     idx, (unsigned long long)ph->paddr,
			     (unsigned long long)(ph->paddr + ph->memsz - 1),
			     (unsigned long long)s->paddr,
			     (unsigned long long)(s->paddr + s->memsz - 1));
	}
	if (out->nr_segments == ELF_MAX_SEGMENTS)
		FAIL("more than %u loadable segments", ELF_MAX_SEGMENTS);
	out->segments[out->nr_segments++] = (struct elf_segment){
	    .offset = ph->offset,
	    .filesz = ph->filesz,
	    .paddr = ph->paddr,
	    .vaddr = ph->vaddr,
	    .memsz = ph->memsz,
	};
	return 0;
}

/* Walks the notes of one PT_NOTE segment, recording the PVH entry note. */
static int walk_notes(const uint8_t *image, size_t size, const struct phdr *ph, uint32_t idx,
		      struct elf_image *out, char *err, size_t err_size)
{
	/* Offsets in a note count from its start, aligned to 4 (to 8 in an 8-aligned segment). */
	uint64_t align = ph->align == 8 ? 8 : 4;
	const uint8_t *seg;
	uint64_t pos = 0;

	/* Checked before image + offset is formed: a pointer past the buffer is undefined. */
	if (!in_file(ph->offset, ph->filesz, size))
		FAIL("note segment %u (offset %#llx, %#llx bytes) runs past the end of the file "
		     "(%zu bytes)",
		     idx, (unsigned long long)ph->offset, (unsigned long long)ph->filesz, size);
	seg = image + ph->offset;
	while (pos < ph->filesz) { /* every pass advances at least sizeof(nh) */
		struct elf_note_hdr nh;
		uint64_t left = ph->filesz - pos, desc_off;

		if (left < sizeof(nh))
			FAIL("note at offset %#llx of segment %u is truncated",
			     (unsigned long long)pos, idx);
		memcpy(&nh, seg + pos, sizeof(nh));
		desc_off = ALIGN_UP(sizeof(nh) + (uint64_t)nh.n_namesz, align);
		if (desc_off > left || nh.n_descsz > left - desc_off)
			FAIL("note at offset %#llx of segment %u (name %u, desc %u bytes) runs "
			     "past the segment",
			     (unsigned long long)pos, idx, nh.n_namesz, nh.n_descsz);
		const uint8_t *name = seg + pos + sizeof(nh);
		const uint8_t *desc = seg + pos + desc_off;

		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    memcmp(name, "Xen", 4) == 0 && !out->has_pvh_entry) {
			uint64_t entry = 0;

			if (nh.n_descsz != 4 && nh.n_descsz != 8)
				FAIL("PVH entry note has a %u-byte descriptor (4 or 8 expected)",
				     nh.n_descsz);
			memcpy(&entry, desc, nh.n_descsz); /* little endian */
			if (entry >= BIT(32))
				FAIL("PVH entry %#llx is not below 4 GiB",
				     (unsigned long long)entry);
			out->has_pvh_entry = true;
			out->pvh_entry = (uint32_t)entry;
		}
		/* The last note's padding may lie past the segment's end. */
		pos += ALIGN_UP(desc_off + nh.n_descsz, align);
	}
	return 0;
}

int elf_parse(const void *image, size_t size, struct elf_image *out, char *err, size_t err_size)
{
	const uint8_t *img = image;
	uint64_t phoff;
	uint32_t phnum;

	memset(out, 0, sizeof(*out));
	if (err_size)
		err[0] = '\0';
	if (parse_ehdr(img, size, out, &phoff, &phnum, err, err_size))
		return -1;

	uint64_t phentsize =
	    out->elf_class == ELFCLASS64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);
	for (uint32_t i = 0; i < phnum; i++) {
		struct phdr ph;

		read_phdr(img, out->elf_class, phoff + i * phentsize, &ph);
		if (ph.type == PT_LOAD && add_load(&ph, i, size, out, err, err_size))
			return -1;
		if (ph.type == PT_NOTE && walk_notes(img, size, &ph, i, out, err, err_size))
			return -1;
	}
	if (out->nr_segments == 0)
		FAIL("no loadable segment");
	return 0;
}

uint64_t elf_entry_paddr(const struct elf_image *elf)
{
	for (uint32_t i = 0; i < elf->nr_segments; i++) {
		const struct elf_segment *s = &elf->segments[i];

		if (elf->entry >= s->vaddr && elf->entry - s->vaddr < s->memsz)
			return s->paddr + (elf->entry - s->vaddr);
	}
	return elf->entry;
}
