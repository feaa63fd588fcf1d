/*
 * A partition's guest-physical memory, region by region (its config's `ram`,
 * docs/config.md). Regions never overlap (the config checker sees to it) but
 * may be adjacent, so a guest buffer may span several.
 */
#ifndef TESSERA_HV_POLICY_GUEST_REGION_H
#define TESSERA_HV_POLICY_GUEST_REGION_H

#include "lib/types.h"
#include "hv/partition/partition_config.h"

/* Guest-physical RAM as the partition sees it: a region of host memory each. */
struct guest_region {
	uint64_t gpa, size, hpa;
	uint32_t type; /* enum config_mem_type */
};

/* The RAM region of regions[0..n) that holds gpa, or NULL. */
static inline const struct guest_region *guest_ram_region(const struct guest_region *regions,
							  uint32_t n, uint64_t gpa)
{
	for (uint32_t i = 0; i < n; i++)
		if (regions[i].type == CONFIG_MEM_RAM && gpa >= regions[i].gpa &&
		    gpa - regions[i].gpa < regions[i].size)
			return &regions[i];
	return NULL;
}

#endif
