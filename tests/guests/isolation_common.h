/*
 * What the isolation and crash-policy guests (attack_*, neighbour,
 * crash_restart, stats, console_*) share: the boot command line and numbers
 * on it, the top of RAM from the
 * loader's memory map, and Tessera's partition information. Header-only: each
 * guest is its own image and links only the library.
 */
#ifndef TESSERA_TESTS_GUESTS_ISOLATION_COMMON_H
#define TESSERA_TESTS_GUESTS_ISOLATION_COMMON_H

#include "guest-abi/multiboot.h"
#include "guest-abi/pvh.h"
#include "tests/guests/lib/entry_checks.h"
#include "tests/guests/lib/lib.h"

/* The loader's command line, or "" when there is none or it is not a sane string. */
static inline const char *iso_cmdline(const struct guest_boot *boot)
{
	uint64_t pa = 0;

	if (boot->protocol == GUEST_BOOT_PVH && boot->info) {
		const struct hvm_start_info *si = (const void *)(uintptr_t)boot->info;

		if (si->magic == XEN_HVM_START_MAGIC_VALUE)
			pa = si->cmdline_paddr;
	} else if (boot->protocol == GUEST_BOOT_MULTIBOOT && boot->info) {
		const struct multiboot_info *mbi = (const void *)(uintptr_t)boot->info;

		if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
			pa = mbi->cmdline;
	}
	if (!pa || !pa_mapped(pa, 1) || loader_strlen(pa) >= LOADER_STRING_MAX)
		return "";
	return (const char *)(uintptr_t)pa;
}

/* End of the RAM entry that contains address 1 MiB (where the image is), or 0. */
static inline uint64_t iso_ram_end(const struct guest_boot *boot)
{
	const uint64_t image = 0x100000;

	if (boot->protocol == GUEST_BOOT_PVH && boot->info) {
		const struct hvm_start_info *si = (const void *)(uintptr_t)boot->info;
		const struct hvm_memmap_table_entry *mm;
		uint32_t n = si->memmap_entries;

		if (si->magic != XEN_HVM_START_MAGIC_VALUE || si->version < 1 || n > MEM_MAP_MAX ||
		    !pa_mapped(si->memmap_paddr, (uint64_t)n * sizeof(*mm)))
			return 0;
		mm = (const void *)(uintptr_t)si->memmap_paddr;
		for (uint32_t i = 0; i < n; i++)
			if (mm[i].type == XEN_HVM_MEMMAP_TYPE_RAM && mm[i].addr <= image &&
			    mm[i].size > image - mm[i].addr)
				return mm[i].addr + mm[i].size;
		return 0;
	}
	if (boot->protocol == GUEST_BOOT_MULTIBOOT && boot->info) {
		const struct multiboot_info *mbi = (const void *)(uintptr_t)boot->info;

		if (mbi->flags & MULTIBOOT_INFO_MEMORY)
			return image + (uint64_t)mbi->mem_upper * 1024;
	}
	return 0;
}

/*
 * The number given as "key=N" on the command line, `dflt` when there is none;
 * a value that is not a number up to `max` fails the guest (args-valid).
 */
static inline uint64_t iso_arg_u64(const struct guest_boot *boot, const char *key, uint64_t dflt,
				   uint64_t max)
{
	char word[24];
	uint64_t v = dflt;

	if (cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, key, word, sizeof(word)) &&
	    !(parse_u64(word, &v) && v <= max)) {
		checkf(false, "args-valid", "%s=%s: want 0..%llu", key, word,
		       (unsigned long long)max);
		guest_finish();
	}
	return v;
}

/* Busy-waits `ticks` TSC ticks (in Bochs: instructions). */
static inline void iso_spin(uint64_t ticks)
{
	uint64_t t0 = rdtsc();

	while (rdtsc() - t0 < ticks)
		__asm__ volatile("pause");
}

/* TESSERA_HC_PARTITION_INFO into *info; false (and a FAIL line) if it fails. */
static inline bool iso_partition_info(struct tessera_partition_info *info)
{
	long ret = -1;
	int exc = hypercall_safe(TESSERA_HC_PARTITION_INFO, (uintptr_t)info, 0, 0, 0, &ret);

	return checkf(exc == EXC_NONE && ret == 0 && info->size >= sizeof(*info) &&
			  info->name[sizeof(info->name) - 1] == '\0',
		      "partition-info", "exception %d, returned %ld, size %u", exc, ret,
		      info->size);
}

#endif
