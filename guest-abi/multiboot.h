/*
 * Multiboot version 1 (specification 0.6.96): the kernel's header and the
 * information structure the loader passes. Self-contained: needs only
 * <stdint.h> (and nothing at all from assembly, with __ASSEMBLY__ defined).
 *
 * The header lies 4-byte aligned in the first 8192 bytes of the image. The
 * loader enters the kernel in 32-bit protected mode, paging off, with
 *   EAX = MULTIBOOT_BOOTLOADER_MAGIC, EBX = physical address of the
 *   multiboot_info; CS a flat 32-bit code segment, DS ES FS GS SS flat data,
 *   A20 on, CR0 PE set and PG clear, EFLAGS VM and IF clear.
 * ESP, the GDTR and the IDTR are undefined: the kernel sets up its own.
 * Every address in these structures is physical and below 4 GiB.
 */
#ifndef TESSERA_GUEST_ABI_MULTIBOOT_H
#define TESSERA_GUEST_ABI_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC	   0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_SEARCH	   8192 /* the header lies in the first 8 KiB */
#define MULTIBOOT_HEADER_ALIGN	   4

/* multiboot_header.flags: bits 0-15 must be honoured, 16-31 are optional. */
#define MULTIBOOT_PAGE_ALIGN  0x00000001 /* modules on 4 KiB boundaries */
#define MULTIBOOT_MEMORY_INFO 0x00000002 /* mem_lower/mem_upper (and mmap) wanted */
#define MULTIBOOT_VIDEO_MODE  0x00000004 /* mode_type..depth are valid */
#define MULTIBOOT_AOUT_KLUDGE 0x00010000 /* header_addr..entry_addr are valid */

/* multiboot_info.flags: which fields the loader filled in. */
#define MULTIBOOT_INFO_MEMORY	   0x00000001 /* mem_lower, mem_upper */
#define MULTIBOOT_INFO_BOOTDEV	   0x00000002 /* boot_device */
#define MULTIBOOT_INFO_CMDLINE	   0x00000004 /* cmdline */
#define MULTIBOOT_INFO_MODS	   0x00000008 /* mods_count, mods_addr */
#define MULTIBOOT_INFO_AOUT_SYMS   0x00000010 /* syms as a.out symbol table */
#define MULTIBOOT_INFO_ELF_SHDR	   0x00000020 /* syms as ELF section headers */
#define MULTIBOOT_INFO_MEM_MAP	   0x00000040 /* mmap_length, mmap_addr */
#define MULTIBOOT_INFO_DRIVE_INFO  0x00000080 /* drives_length, drives_addr */
#define MULTIBOOT_INFO_CONFIG	   0x00000100 /* config_table */
#define MULTIBOOT_INFO_LOADER_NAME 0x00000200 /* boot_loader_name */
#define MULTIBOOT_INFO_APM	   0x00000400 /* apm_table */
#define MULTIBOOT_INFO_VBE	   0x00000800 /* vbe_* */
#define MULTIBOOT_INFO_FRAMEBUFFER 0x00001000 /* framebuffer_* */

/* multiboot_mmap_entry.type */
#define MULTIBOOT_MEMORY_AVAILABLE	  1
#define MULTIBOOT_MEMORY_RESERVED	  2
#define MULTIBOOT_MEMORY_ACPI_RECLAIMABLE 3
#define MULTIBOOT_MEMORY_NVS		  4
#define MULTIBOOT_MEMORY_BADRAM		  5

#ifndef __ASSEMBLY__
#include <stdint.h>

struct multiboot_header {
	uint32_t magic;	   /* MULTIBOOT_HEADER_MAGIC */
	uint32_t flags;	   /* MULTIBOOT_PAGE_ALIGN ... */
	uint32_t checksum; /* magic + flags + checksum == 0 (mod 2^32) */
	/* With MULTIBOOT_AOUT_KLUDGE: */
	uint32_t header_addr;
	uint32_t load_addr;
	uint32_t load_end_addr;
	uint32_t bss_end_addr;
	uint32_t entry_addr;
	/* With MULTIBOOT_VIDEO_MODE: */
	uint32_t mode_type;
	uint32_t width;
	uint32_t height;
	uint32_t depth;
};

struct multiboot_info {
	uint32_t flags;	    /* MULTIBOOT_INFO_*: which fields below are valid */
	uint32_t mem_lower; /* KiB of RAM from 0 (at most 640) */
	uint32_t mem_upper; /* KiB of RAM from 1 MiB up to the first hole */
	uint32_t boot_device;
	uint32_t cmdline; /* NUL-terminated */
	uint32_t mods_count;
	uint32_t mods_addr; /* array of struct multiboot_mod_list */
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes of struct multiboot_mmap_entry records */
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name; /* NUL-terminated */
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode;
	uint16_t vbe_interface_seg;
	uint16_t vbe_interface_off;
	uint16_t vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch;
	uint32_t framebuffer_width;
	uint32_t framebuffer_height;
	uint8_t framebuffer_bpp;
	uint8_t framebuffer_type;
	uint8_t color_info[6];
} __attribute__((packed));

/*
 * Memory map records are variable in size: `size` counts the bytes after
 * itself (20 or more), so the next record starts at (char *)entry + size + 4.
 */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type; /* MULTIBOOT_MEMORY_* */
} __attribute__((packed));

struct multiboot_mod_list {
	uint32_t mod_start; /* first byte */
	uint32_t mod_end;   /* one past the last byte */
	uint32_t cmdline;   /* NUL-terminated string, 0 if none */
	uint32_t pad;
};

_Static_assert(sizeof(struct multiboot_header) == 48, "multiboot_header layout");
_Static_assert(__builtin_offsetof(struct multiboot_info, mmap_length) == 44,
	       "multiboot_info layout");
_Static_assert(__builtin_offsetof(struct multiboot_info, framebuffer_addr) == 88,
	       "multiboot_info layout");
_Static_assert(sizeof(struct multiboot_info) == 116, "multiboot_info layout");
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot_mmap_entry layout");
_Static_assert(sizeof(struct multiboot_mod_list) == 16, "multiboot_mod_list layout");
#endif

#endif
