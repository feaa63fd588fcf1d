/*
 * Walking a guest's own page tables: linear address to guest-physical, in
 * every paging mode (SDM vol. 3A, chapter 4: none, 32-bit, PAE, 4-level and
 * 5-level), for reading the instruction an exit did not describe. Pure: the
 * tables are read through a callback (which refuses what is not guest RAM),
 * and every entry is hostile. Access rights are not checked: the guest's CPU
 * just used the translation.
 */
#ifndef TESSERA_ARCH_X86_MM_GUEST_WALK_H
#define TESSERA_ARCH_X86_MM_GUEST_WALK_H

#include "lib/types.h"

struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
};

/* Reads `len` bytes of guest-physical memory at gpa; false when not guest RAM. */
typedef bool (*guest_phys_read_t)(void *ctx, uint64_t gpa, void *buf, size_t len);

/*
 * Translates `la`. Returns 0 with *gpa, or -1: an entry not present, with
 * reserved large-page bits, or not readable through `read`.
 */
int guest_walk(const struct guest_paging *pg, uint64_t la, guest_phys_read_t read, void *ctx,
	       uint64_t *gpa);

#endif
