/*
 * The one internal description of what the loader handed us. Both boot paths
 * (multiboot2 from GRUB, PVH from QEMU -kernel or any PVH loader) are parsed into
 * this structure; nothing after boot/ looks at loader formats.
 */
#ifndef TESSERA_BOOT_BOOT_INFO_H
#define TESSERA_BOOT_BOOT_INFO_H

#include "lib/types.h"

#define BOOT_MAX_MEM_REGIONS 128
#define BOOT_MAX_MODULES     16
#define BOOT_CMDLINE_MAX     512
#define BOOT_MOD_CMDLINE_MAX 256

enum boot_protocol {
	BOOT_PROTO_MULTIBOOT2 = 1,
	BOOT_PROTO_PVH = 2,
};

/* Memory types, numbered as in the E820 map (which both loaders use). */
enum boot_mem_type {
	BOOT_MEM_RAM = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIM = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	uint64_t base;
	uint64_t len;
	uint32_t type; /* enum boot_mem_type; unknown types are kept, and count as reserved */
};

struct boot_module {
	uint64_t start; /* physical, first byte */
	uint64_t end;	/* physical, one past the last byte */
	char cmdline[BOOT_MOD_CMDLINE_MAX];
};

/* Where bi->mem came from. */
enum boot_mem_source {
	BOOT_MEM_FROM_E820 = 0, /* an E820-style map: multiboot2 tag 6 or PVH's */
	BOOT_MEM_FROM_EFI = 1,	/* the UEFI memory map, multiboot2 tag 17 */
};

struct boot_info {
	enum boot_protocol protocol;
	bool uefi; /* the loader said the firmware is UEFI (tags 11, 12, 17) */
	enum boot_mem_source mem_source;
	uint32_t mem_entries; /* entries of the map used, as the loader gave them */
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t nr_mem;
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	uint32_t nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	/*
	 * ACPI RSDP: PVH gives its physical address; multiboot2 gives a copy of the
	 * structure itself (tags 14/15), kept here because the info block is reused.
	 * With neither, drivers/acpi.c scans the BIOS areas.
	 */
	uint64_t rsdp; /* physical address of the RSDP, 0 if not given */
	uint8_t rsdp_copy[36];
	uint32_t rsdp_copy_len; /* 0, 20 (ACPI 1.0) or 36 (ACPI 2.0+) */
	char loader_name[64];	/* boot loader name when given, else "" */
};

/*
 * Loader structures are reached through this: it returns a pointer to `len`
 * bytes at physical address `pa`, or NULL when that range is not readable.
 * In the hypervisor memory is identity mapped; host tests map a buffer.
 */
typedef const void *(*phys_reader_t)(uint64_t pa, uint64_t len);

/* Each returns 0 on success or a negative value, having logged why. */
int mb2_parse(uint64_t info_pa, phys_reader_t rd, struct boot_info *bi);
int pvh_parse(uint64_t start_info_pa, phys_reader_t rd, struct boot_info *bi);

/*
 * Turns bi->mem into a sorted list of non-overlapping regions: where regions
 * overlap, the more restrictive type wins (anything over RAM); adjacent regions
 * of the same type are merged; RAM is trimmed to whole pages; empty ones dropped.
 * Afterwards base + len never wraps (see boot/memmap.c for the details).
 */
void memmap_normalize(struct boot_info *bi);

/* End (exclusive) of the highest RAM region, 0 if there is none. */
uint64_t memmap_ram_top(const struct boot_info *bi);

/* The TSC when Tessera's C code started (boot/boot.c). */
extern uint64_t boot_tsc;

/* Magic values in EAX/start_info at entry. */
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define PVH_START_MAGIC	     0x336ec578

#endif
