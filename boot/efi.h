/*
 * UEFI definitions Tessera reads (UEFI Specification 2.10, 7.2 "Memory
 * Allocation Services", EFI_MEMORY_DESCRIPTOR and EFI_MEMORY_TYPE). Tessera
 * never calls UEFI: GRUB has exited boot services before entering it. It only
 * reads the firmware's memory map, which GRUB passes in multiboot2 tag 17.
 */
#ifndef TESSERA_BOOT_EFI_H
#define TESSERA_BOOT_EFI_H

#include "lib/types.h"

/* EFI_MEMORY_TYPE */
#define EFI_RESERVED_MEMORY_TYPE   0
#define EFI_LOADER_CODE		   1
#define EFI_LOADER_DATA		   2
#define EFI_BOOT_SERVICES_CODE	   3
#define EFI_BOOT_SERVICES_DATA	   4
#define EFI_RUNTIME_SERVICES_CODE  5
#define EFI_RUNTIME_SERVICES_DATA  6
#define EFI_CONVENTIONAL_MEMORY	   7
#define EFI_UNUSABLE_MEMORY	   8
#define EFI_ACPI_RECLAIM_MEMORY	   9
#define EFI_ACPI_MEMORY_NVS	   10
#define EFI_MEMORY_MAPPED_IO	   11
#define EFI_MEMORY_MAPPED_IO_PORT  12
#define EFI_PAL_CODE		   13
#define EFI_PERSISTENT_MEMORY	   14
#define EFI_UNACCEPTED_MEMORY_TYPE 15

/* EFI_MEMORY_DESCRIPTOR.Attribute bits Tessera looks at. */
#define EFI_MEMORY_RUNTIME (1ULL << 63) /* the firmware uses it after boot services */
#define EFI_MEMORY_SP	   (1ULL << 18) /* "specific purpose": kept for a driver, not the OS */

#define EFI_PAGE_SIZE 4096

/*
 * EFI_MEMORY_DESCRIPTOR, version 1. The firmware's descriptor size may be
 * larger (later versions append fields); descriptors are that size apart.
 */
struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	uint64_t physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};

STATIC_ASSERT(sizeof(struct efi_memory_descriptor) == 40, "EFI memory descriptor");

/*
 * The E820-numbered type (enum boot_mem_type) for an EFI region, after boot
 * services have been exited: loader and boot-services memory is free RAM,
 * runtime-services memory and anything the OS must not use is reserved.
 */
uint32_t efi_mem_type_to_boot(uint32_t efi_type, uint64_t attribute);

#endif
