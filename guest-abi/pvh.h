/*
 * The PVH boot ABI (Xen's "HVM start info", also used by QEMU -kernel and by
 * Tessera when it starts a PVH guest). Self-contained: needs only <stdint.h>.
 *
 * A PVH kernel is an ELF image with a note of type XEN_ELFNOTE_PHYS32_ENTRY
 * (owner name "Xen") whose descriptor is the 32-bit physical entry address.
 * The loader enters it in 32-bit protected mode with paging off:
 *   EBX     physical address of struct hvm_start_info;
 *   CR0     only PE set (other writable bits clear); CR4 all clear;
 *   CS      32-bit execute/read code segment, base 0, limit 4 GiB;
 *   DS/ES/SS 32-bit read/write data segments, base 0, limit 4 GiB;
 *   TR      a 32-bit busy TSS, base 0, limit 0x67;
 *   EFLAGS  VM, IF and TF clear.
 * Selector values and every other register are unspecified: the kernel sets
 * up its own stack, GDT and IDT.
 *
 * All fields are little endian. Nothing is placed at physical address 0, so 0
 * in an address field means "not given". Loaders keep these structures below
 * 4 GiB.
 */
#ifndef TESSERA_GUEST_ABI_PVH_H
#define TESSERA_GUEST_ABI_PVH_H

#include <stdint.h>

/* ELF note type carrying the 32-bit PVH entry point. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578 /* "xEn3" with bit 7 of the 'E' set */

/* Version 0 ends after rsdp_paddr; version 1 adds the memory map. */
#define HVM_START_INFO_VERSION_0 0
#define HVM_START_INFO_VERSION_1 1
#define HVM_START_INFO_SIZE_V0	 40
#define HVM_START_INFO_SIZE_V1	 56

/* hvm_start_info.flags (Xen's SIF_* start flags). */
#define SIF_PRIVILEGED 0x1 /* the guest may access hardware directly */
#define SIF_INITDOMAIN 0x2 /* the guest is the initial (control) domain */

struct hvm_start_info {
	uint32_t magic;		 /* XEN_HVM_START_MAGIC_VALUE */
	uint32_t version;	 /* newer versions only append fields */
	uint32_t flags;		 /* SIF_* */
	uint32_t nr_modules;	 /* entries at modlist_paddr */
	uint64_t modlist_paddr;	 /* array of struct hvm_modlist_entry */
	uint64_t cmdline_paddr;	 /* NUL-terminated ASCII command line */
	uint64_t rsdp_paddr;	 /* ACPI RSDP */
	uint64_t memmap_paddr;	 /* version >= 1: array of struct hvm_memmap_table_entry */
	uint32_t memmap_entries; /* version >= 1: entries at memmap_paddr */
	uint32_t reserved;	 /* version >= 1: must be 0 */
};

struct hvm_modlist_entry {
	uint64_t paddr;		/* first byte of the module */
	uint64_t size;		/* in bytes */
	uint64_t cmdline_paddr; /* NUL-terminated ASCII, 0 if none */
	uint64_t reserved;
};

/* Memory map types (the E820 numbering, plus two of Xen's). */
#define XEN_HVM_MEMMAP_TYPE_RAM	     1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI     3 /* ACPI tables, reclaimable once read */
#define XEN_HVM_MEMMAP_TYPE_NVS	     4 /* ACPI non-volatile storage */
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5 /* faulty memory */
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM     7 /* persistent memory */

struct hvm_memmap_table_entry {
	uint64_t addr; /* base */
	uint64_t size; /* length in bytes */
	uint32_t type; /* XEN_HVM_MEMMAP_TYPE_* */
	uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == HVM_START_INFO_SIZE_V1, "hvm_start_info layout");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == HVM_START_INFO_SIZE_V0,
	       "hvm_start_info v0 layout");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry layout");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry layout");

#endif
