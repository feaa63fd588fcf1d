/* Memory bring-up: the page allocator from the memory map, then the page tables. */
#ifndef TESSERA_HV_MEM_H
#define TESSERA_HV_MEM_H

#include "boot/boot_info.h"

/*
 * Feeds every RAM region of bi's (normalized) memory map to the global page
 * allocator, reserves page 0, the Tessera image, the modules and the RSDP, logs
 * what is free, then builds and loads the hypervisor's page tables.
 */
void mem_init(struct boot_info *bi);

#endif
