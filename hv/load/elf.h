/*
 * ELF images (32- and 64-bit, x86, little endian) held in memory: the format's
 * constants and structures as the System V gABI names them, and a parser that
 * checks a guest image and extracts what a loader needs: the PT_LOAD segments,
 * the entry point and the PVH entry note. The image is hostile: every offset,
 * size and count is checked before use, and the parser never writes to it.
 */
#ifndef TESSERA_HV_ELF_H
#define TESSERA_HV_ELF_H

#include "lib/types.h"

/* e_ident */
#define EI_NIDENT   16
#define EI_MAG0	    0
#define EI_CLASS    4
#define EI_DATA	    5
#define EI_VERSION  6
#define ELFMAG	    "\177ELF"
#define SELFMAG	    4
#define ELFCLASS32  1
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define EV_CURRENT  1

/* e_type, e_machine */
#define ET_EXEC	  2
#define ET_DYN	  3
#define EM_386	  3
#define EM_X86_64 62

/* p_type */
#define PT_LOAD 1
#define PT_NOTE 4

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* A note: this header, then the name and the descriptor, each padded. */
struct elf_note_hdr {
	uint32_t n_namesz, n_descsz, n_type;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "elf32_ehdr layout");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "elf32_phdr layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr layout");

/* Limits Tessera puts on guest images. */
#define ELF_MAX_PHDRS	 256 /* program headers looked at */
#define ELF_MAX_SEGMENTS 16  /* PT_LOAD segments with a nonzero memsz */

/* One PT_LOAD segment, checked: its file bytes lie in the image, filesz <= memsz. */
struct elf_segment {
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t paddr; /* where it is loaded; paddr + memsz does not wrap */
	uint64_t vaddr;
	uint64_t memsz; /* nonzero */
};

struct elf_image {
	uint32_t elf_class; /* ELFCLASS32 or ELFCLASS64 */
	uint64_t entry;	    /* e_entry, as in the file */
	uint32_t nr_segments;
	struct elf_segment segments[ELF_MAX_SEGMENTS]; /* in program-header order */
	bool has_pvh_entry;
	uint32_t pvh_entry; /* XEN_ELFNOTE_PHYS32_ENTRY, when has_pvh_entry */
};

/* True if the image starts with the ELF magic (says nothing about the rest). */
bool elf_has_magic(const void *image, size_t size);

/*
 * Checks the ELF image of `size` bytes at `image` and fills *out. Returns 0, or
 * -1 with a one-line reason in err (err_size bytes, always terminated).
 */
int elf_parse(const void *image, size_t size, struct elf_image *out, char *err, size_t err_size);

/*
 * e_entry as a physical address: when it lies inside a segment's virtual range,
 * translated by that segment's paddr - vaddr (a kernel linked high but loaded
 * low); otherwise unchanged.
 */
uint64_t elf_entry_paddr(const struct elf_image *elf);

#endif
