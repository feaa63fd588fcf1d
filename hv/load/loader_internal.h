/*
 * What hv/load/loader.c (image and modules) shares with hv/load/loader_bootinfo.c (the
 * PVH start info and the multiboot info). Not for use outside the loader.
 */
#ifndef TESSERA_HV_LOADER_INTERNAL_H
#define TESSERA_HV_LOADER_INTERNAL_H

#include "hv/load/loader.h"

/* Memory map types given to the guest (the E820 numbering both protocols use). */
#define LOADER_MEM_RAM	    1
#define LOADER_MEM_RESERVED 2

/* Each region gives at most three entries: RAM below, reserved in, RAM above the legacy hole. */
#define LOADER_MAX_MEMMAP (3 * (CONFIG_MAX_MEM_REGIONS + 1))

struct loader_memmap_entry {
	uint64_t addr, size;
	uint32_t type; /* LOADER_MEM_* */
};

/* A module once placed in guest RAM. */
struct loader_module {
	uint64_t gpa, size;
	const char *cmdline; /* NULL for none; length checked */
};

struct load_ctx {
	const char *part; /* names for messages */
	char image[CONFIG_MODULE_NAME_MAX];
	struct guest_mem *mem;

	const char *cmdline; /* the guest's command line; length checked */
	uint32_t nr_modules;
	struct loader_module modules[CONFIG_MAX_MODULES];
	uint32_t nr_memmap; /* the guest's memory map, sorted, legacy hole reserved */
	struct loader_memmap_entry memmap[LOADER_MAX_MEMMAP];

	/* The boot-info page: host view, and bytes asked for so far (may exceed the page). */
	uint8_t *bi;
	uint64_t bi_wanted;
	uint64_t rsdp_gpa; /* the guest's ACPI tables, 0 for none */
};

/* Logs "partition NAME: image IMAGE: <message>" as an error; returns -1. */
int load_fail(const struct load_ctx *c, const char *fmt, ...) __printf(2, 3);

/*
 * Copies len bytes into the boot-info page at the next `align`-aligned offset
 * and returns their guest-physical address; 0 once the page is full (every
 * later call then also returns 0, and bi_wanted keeps counting).
 */
uint64_t bi_put(struct load_ctx *c, const void *data, uint64_t len, uint64_t align);

/* Fails (logging how many bytes were needed) if the boot information overflowed its page. */
int bi_check(const struct load_ctx *c);

/* End of the guest RAM that runs contiguously from addr (addr itself if addr is not RAM). */
uint64_t loader_ram_end_from(const struct load_ctx *c, uint64_t addr);

/* Write the boot information into the page; each returns its GPA for EBX, or 0 after load_fail. */
uint32_t loader_write_pvh(struct load_ctx *c);
uint32_t loader_write_multiboot(struct load_ctx *c);

#endif
