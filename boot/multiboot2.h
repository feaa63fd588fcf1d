/*
 * Multiboot2 boot information, as GRUB hands it over in EBX (GNU Multiboot2
 * specification, "Boot information format"). Only the parts Tessera reads.
 *
 * The block starts with an 8-byte header and continues with tags, each starting
 * on an 8-byte boundary, until a tag of type MB2_TAG_END. A tag's size counts its
 * own 8-byte header but not the padding after it. The parser reads these layouts
 * with byte copies (see multiboot2.c), so the structs only document offsets.
 */
#ifndef TESSERA_BOOT_MULTIBOOT2_H
#define TESSERA_BOOT_MULTIBOOT2_H

#include "lib/types.h"

#define MB2_INFO_MAX_SIZE (1 * MiB) /* sanity bound on total_size */
#define MB2_TAG_ALIGN	  8

/* Tag types. */
#define MB2_TAG_END	       0
#define MB2_TAG_CMDLINE	       1
#define MB2_TAG_LOADER_NAME    2
#define MB2_TAG_MODULE	       3
#define MB2_TAG_BASIC_MEMINFO  4
#define MB2_TAG_BOOTDEV	       5
#define MB2_TAG_MMAP	       6
#define MB2_TAG_FRAMEBUFFER    8
#define MB2_TAG_ELF_SECTIONS   9
#define MB2_TAG_APM	       10
#define MB2_TAG_EFI32	       11
#define MB2_TAG_EFI64	       12
#define MB2_TAG_SMBIOS	       13
#define MB2_TAG_ACPI_OLD       14 /* copy of the ACPI 1.0 RSDP (20 bytes) */
#define MB2_TAG_ACPI_NEW       15 /* copy of the ACPI 2.0+ RSDP (36 bytes) */
#define MB2_TAG_NETWORK	       16
#define MB2_TAG_EFI_MMAP       17
#define MB2_TAG_LOAD_BASE_ADDR 21

struct mb2_info_header {
	uint32_t total_size; /* of the whole block, including this header and the end tag */
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size; /* including this header, excluding padding */
};

/* MB2_TAG_CMDLINE, MB2_TAG_LOADER_NAME: a NUL-terminated string follows the header. */

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start; /* physical, first byte */
	uint32_t mod_end;   /* physical, one past the last byte */
			    /* NUL-terminated command line follows */
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;	/* a multiple of 8, at least sizeof(struct mb2_mmap_entry) */
	uint32_t entry_version; /* 0; later versions only append fields */
				/* entries follow, entry_size bytes apart */
};

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type; /* E820 numbering: 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
	uint32_t reserved;
};

/*
 * MB2_TAG_EFI_MMAP: the firmware's memory map as GetMemoryMap() returned it
 * just before GRUB exited boot services (EFI_MEMORY_DESCRIPTORs, boot/efi.h).
 * The descriptors follow the header, descr_size bytes apart; descr_size is a
 * multiple of 8 of at least sizeof(struct efi_memory_descriptor).
 */
struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	uint32_t descr_size;
	uint32_t descr_vers; /* EFI_MEMORY_DESCRIPTOR_VERSION, 1 */
};

STATIC_ASSERT(sizeof(struct mb2_info_header) == 8, "multiboot2 info header");
STATIC_ASSERT(sizeof(struct mb2_tag) == 8, "multiboot2 tag header");
STATIC_ASSERT(sizeof(struct mb2_tag_module) == 16, "multiboot2 module tag");
STATIC_ASSERT(sizeof(struct mb2_tag_mmap) == 16, "multiboot2 mmap tag");
STATIC_ASSERT(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry");
STATIC_ASSERT(sizeof(struct mb2_tag_efi_mmap) == 16, "multiboot2 EFI mmap tag");

#define MB2_RSDP_V1_SIZE 20
#define MB2_RSDP_V2_SIZE 36

#endif
