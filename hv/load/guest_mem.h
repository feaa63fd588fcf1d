/*
 * A partition's guest-physical memory, as the guest image loaders see it: a
 * translation from guest-physical ranges to host pointers, and the guest's
 * physical memory map. The partition code fills one in; host tests build one
 * over a plain buffer.
 */
#ifndef TESSERA_HV_GUEST_MEM_H
#define TESSERA_HV_GUEST_MEM_H

#include "lib/types.h"
#include "hv/partition/partition_config.h"
#include "hv/load/guest_acpi.h"
#include "hv/load/reset_vector.h"

struct guest_mem_region {
	uint64_t gpa, size;
	uint32_t type; /* CONFIG_MEM_RAM or CONFIG_MEM_RESERVED */
};

struct guest_mem {
	/*
	 * Host pointer to guest-physical [gpa, gpa + len) if it lies entirely in
	 * guest RAM (one region), else NULL.
	 */
	void *(*ptr)(void *opaque, uint64_t gpa, uint64_t len);
	void *opaque;
	uint32_t nr_regions; /* the guest's physical memory map, sorted by gpa */
	struct guest_mem_region regions[CONFIG_MAX_MEM_REGIONS + 1];
	/*
	 * The ACPI tables to build (guest_acpi.h), or NULL for none, and the host
	 * view of the GUEST_ACPI_SIZE bytes at GUEST_ACPI_GPA where they go: memory
	 * the guest's map reports reserved (so ptr() does not reach it), or NULL.
	 */
	const struct guest_acpi_params *acpi;
	uint8_t *acpi_area;
	/* With the tables: the host view of the reset vector (reset_vector.h), or NULL. */
	uint8_t *reset_vector;
};

#endif
