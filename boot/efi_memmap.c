/*
 * efi_mem_type_to_boot(): an EFI memory descriptor's type as the E820-numbered
 * type the rest of Tessera uses.
 *
 * GRUB has exited boot services before Tessera runs, so boot-services code and
 * data are free, and so is loader memory: what of it is still live (Tessera's
 * image and its modules; the boot information is copied first) is reserved by
 * mem_init() as under BIOS. Runtime-services memory stays the firmware's
 * (EFI_MEMORY_RUNTIME marks it on any type). Persistent, unaccepted and
 * "specific purpose" memory are not plain RAM, and unknown types (OEM and OS
 * ranges included) are reserved: handing out memory the firmware claims is the
 * mistake that cannot be undone.
 */
#include "boot/efi.h"
#include "boot/boot_info.h"

static const uint8_t efi_to_boot[] = {
    [EFI_RESERVED_MEMORY_TYPE] = BOOT_MEM_RESERVED,
    [EFI_LOADER_CODE] = BOOT_MEM_RAM,
    [EFI_LOADER_DATA] = BOOT_MEM_RAM,
    [EFI_BOOT_SERVICES_CODE] = BOOT_MEM_RAM,
    [EFI_BOOT_SERVICES_DATA] = BOOT_MEM_RAM,
    [EFI_RUNTIME_SERVICES_CODE] = BOOT_MEM_RESERVED,
    [EFI_RUNTIME_SERVICES_DATA] = BOOT_MEM_RESERVED,
    [EFI_CONVENTIONAL_MEMORY] = BOOT_MEM_RAM,
    [EFI_UNUSABLE_MEMORY] = BOOT_MEM_BAD,
    [EFI_ACPI_RECLAIM_MEMORY] = BOOT_MEM_ACPI_RECLAIM,
    [EFI_ACPI_MEMORY_NVS] = BOOT_MEM_ACPI_NVS,
    [EFI_MEMORY_MAPPED_IO] = BOOT_MEM_RESERVED,
    [EFI_MEMORY_MAPPED_IO_PORT] = BOOT_MEM_RESERVED,
    [EFI_PAL_CODE] = BOOT_MEM_RESERVED,
    [EFI_PERSISTENT_MEMORY] = BOOT_MEM_RESERVED,
    [EFI_UNACCEPTED_MEMORY_TYPE] = BOOT_MEM_RESERVED,
};

uint32_t efi_mem_type_to_boot(uint32_t efi_type, uint64_t attribute)
{
	if (efi_type >= ARRAY_SIZE(efi_to_boot))
		return BOOT_MEM_RESERVED;
	if (efi_to_boot[efi_type] == BOOT_MEM_RAM &&
	    (attribute & (EFI_MEMORY_RUNTIME | EFI_MEMORY_SP)))
		return BOOT_MEM_RESERVED;
	return efi_to_boot[efi_type];
}
