/*
 * What the memory-protection guests (xom, spp) share: a page table of their
 * own at 4 GiB (PDPT[4], beyond the library's identity map), exit counts, and
 * the figures' timing.
 */
#ifndef TESSERA_GUESTS_MEMPROT_COMMON_H
#define TESSERA_GUESTS_MEMPROT_COMMON_H

#include "tests/guests/isolation_common.h"

/* The command line's word key=value into buf; false without it. */
static inline bool mp_arg(const struct guest_boot *boot, const char *key, char *buf, size_t size)
{
	return cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, key, buf, size);
}

#define MP_VA	      0x100000000ull /* pt[i] maps MP_VA + i * 4 KiB */
#define MP_PTE	      0x7ull	     /* present, writable, user: the guest's paging allows all */
#define EXIT_EPT_VIOL 48

extern uint64_t guest_pdpt[512];
static uint64_t mp_pd[512] __attribute__((aligned(4096)));
static uint64_t mp_pt[512] __attribute__((aligned(4096)));

static inline void mp_tables(void)
{
	mp_pd[0] = (uint64_t)(uintptr_t)mp_pt | MP_PTE;
	guest_pdpt[4] = (uint64_t)(uintptr_t)mp_pd | MP_PTE;
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

/* pt[i] = pte, and that page's stale translation dropped. */
static inline void *mp_map(unsigned i, uint64_t pte)
{
	void *va = (void *)(uintptr_t)(MP_VA + (uint64_t)i * 4096);

	mp_pt[i] = pte;
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	return va;
}

/* The partition's exits of one basic reason so far. */
static inline uint64_t mp_exits(unsigned reason)
{
	static uint64_t stats[TESSERA_EXIT_STATS_MAX];

	if (tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)(uintptr_t)stats,
			      TESSERA_EXIT_STATS_MAX, 0, 0) != TESSERA_EXIT_STATS_MAX)
		return ~0ull;
	return stats[reason];
}

static inline uint64_t mp_rdtscp_fence(void)
{
	__asm__ volatile("lfence" ::: "memory");
	return rdtsc();
}

#endif
