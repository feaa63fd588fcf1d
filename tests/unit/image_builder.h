/*
 * Guest images built in memory for the loader tests (test_elf.c, test_loader.c):
 * an ELF header and program headers written into a buffer, notes, and a
 * multiboot header. The test writes segment contents itself.
 */
#ifndef TESSERA_TESTS_UNIT_IMAGE_BUILDER_H
#define TESSERA_TESTS_UNIT_IMAGE_BUILDER_H

#include "tests/unit/check.h"
#include "hv/load/elf.h"
#include "guest-abi/multiboot.h"
#include "guest-abi/pvh.h"

#define IMG_MAX 0x10000

struct seg_spec {
	uint32_t type;
	uint64_t offset, paddr, vaddr, filesz, memsz, align;
};

/* Writes the ELF header (class 32 or 64) and n program headers right after it. */
static inline void img_elf(uint8_t *buf, int elf_class, uint16_t machine, uint64_t entry,
			   const struct seg_spec *segs, unsigned n)
{
	if (elf_class == ELFCLASS64) {
		struct elf64_ehdr eh = {
		    .e_type = ET_EXEC,
		    .e_machine = machine,
		    .e_version = EV_CURRENT,
		    .e_entry = entry,
		    .e_phoff = sizeof(eh),
		    .e_ehsize = sizeof(eh),
		    .e_phentsize = sizeof(struct elf64_phdr),
		    .e_phnum = (uint16_t)n,
		};
		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(buf, &eh, sizeof(eh));
		for (unsigned i = 0; i < n; i++) {
			struct elf64_phdr ph = {segs[i].type,	segs[i].type == PT_LOAD ? 7 : 4,
						segs[i].offset, segs[i].vaddr,
						segs[i].paddr,	segs[i].filesz,
						segs[i].memsz,	segs[i].align};
			memcpy(buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		}
	} else {
		struct elf32_ehdr eh = {
		    .e_type = ET_EXEC,
		    .e_machine = machine,
		    .e_version = EV_CURRENT,
		    .e_entry = (uint32_t)entry,
		    .e_phoff = sizeof(eh),
		    .e_ehsize = sizeof(eh),
		    .e_phentsize = sizeof(struct elf32_phdr),
		    .e_phnum = (uint16_t)n,
		};
		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS32;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(buf, &eh, sizeof(eh));
		for (unsigned i = 0; i < n; i++) {
			struct elf32_phdr ph = {segs[i].type,
						(uint32_t)segs[i].offset,
						(uint32_t)segs[i].vaddr,
						(uint32_t)segs[i].paddr,
						(uint32_t)segs[i].filesz,
						(uint32_t)segs[i].memsz,
						segs[i].type == PT_LOAD ? 7 : 4,
						(uint32_t)segs[i].align};
			memcpy(buf + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
		}
	}
}

/* Writes a note at buf (name padded to 4, descriptor padded to 4); returns its size. */
static inline size_t img_note(uint8_t *buf, const char *name, uint32_t type, const void *desc,
			      uint32_t descsz)
{
	struct elf_note_hdr nh = {(uint32_t)strlen(name) + 1, descsz, type};
	size_t name_pad = (nh.n_namesz + 3) & ~3u;

	memcpy(buf, &nh, sizeof(nh));
	memset(buf + sizeof(nh), 0, name_pad);
	memcpy(buf + sizeof(nh), name, nh.n_namesz);
	memcpy(buf + sizeof(nh) + name_pad, desc, descsz);
	return sizeof(nh) + name_pad + ((descsz + 3) & ~3u);
}

/* Writes the PVH entry note (8-byte descriptor); returns its size (24). */
static inline size_t img_pvh_note(uint8_t *buf, uint64_t entry)
{
	return img_note(buf, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 8);
}

/* Writes a multiboot header with a correct checksum (and the a.out fields given). */
static inline void img_mb_header(uint8_t *buf, uint32_t flags, const uint32_t aout[5])
{
	struct multiboot_header h = {
	    .magic = MULTIBOOT_HEADER_MAGIC,
	    .flags = flags,
	    .checksum = -(MULTIBOOT_HEADER_MAGIC + flags),
	};

	if (aout) {
		h.header_addr = aout[0];
		h.load_addr = aout[1];
		h.load_end_addr = aout[2];
		h.bss_end_addr = aout[3];
		h.entry_addr = aout[4];
	}
	memcpy(buf, &h, aout ? 32 : 12);
}

#endif
