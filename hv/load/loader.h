/*
 * Guest image loading: validates a partition's guest image (an ELF file with a
 * PVH note, an ELF file with a multiboot v1 header, or a flat image with a
 * multiboot a.out-kludge header), copies it and the partition's modules into
 * guest RAM and writes the boot information the protocol defines. The caller
 * then starts the boot vCPU in 32-bit protected mode, paging off, at out->rip
 * with out->eax and out->ebx (docs/loading.md).
 */
#ifndef TESSERA_HV_LOADER_H
#define TESSERA_HV_LOADER_H

#include "lib/types.h"
#include "hv/load/guest_mem.h"
#include "hv/partition/partition_config.h"

/* Where the boot information (start info or multiboot info, with what they point to) goes. */
#define LOADER_BOOT_INFO_GPA  0x6000ULL
#define LOADER_BOOT_INFO_SIZE 0x1000ULL

/* The lowest guest-physical address a module is placed at. */
#define LOADER_MODULE_MIN_GPA (1 * MiB)

/* Longest module command line taken, without its NUL. */
#define LOADER_MODULE_CMDLINE_MAX 1024

struct guest_module {
	const void *data;
	size_t size;
	const char *cmdline; /* NUL-terminated, or NULL for none */
};

/*
 * Both protocols leave segment registers loaded with flat 32-bit descriptors but
 * say nothing of the GDT. Tessera puts a real one first in the boot-info page,
 * so the selectors it loads name real descriptors (a guest may reload them):
 */
#define LOADER_SEL_CODE32 0x08
#define LOADER_SEL_DATA32 0x10
#define LOADER_SEL_TSS	  0x18

struct guest_entry {
	uint64_t rip;	   /* 32-bit physical entry point */
	uint32_t gdt_base; /* guest-physical GDT with the entry descriptors */
	uint16_t gdt_limit;
	uint32_t eax, ebx; /* PVH: 0, start info; multiboot: 0x2BADB002, multiboot info */
	uint32_t protocol; /* CONFIG_BOOT_PVH or CONFIG_BOOT_MULTIBOOT */
};

/*
 * Loads `image` (image_size bytes) and `modules` (nr_modules, at most
 * CONFIG_MAX_MODULES, in config order) into the guest memory `mem` as cfg->boot
 * says, with cfg->cmdline as the guest's command line, and fills *out. Returns 0,
 * or a negative value after logging one line
 * "partition NAME: image IMAGE: what is wrong"; guest RAM may then hold part of
 * the image, and the partition must not be started.
 */
int guest_load(const char *part_name, const struct partition_config *cfg, const void *image,
	       size_t image_size, const struct guest_module *modules, uint32_t nr_modules,
	       struct guest_mem *mem, struct guest_entry *out);

#endif
