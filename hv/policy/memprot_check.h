/*
 * The pure rules of the EPT protections (docs/memory-protection.md): the
 * execute-only alias bit a CPU allows, the #PF a guest gets for an access
 * through the alias, and the checks on a page a guest asks Tessera to protect
 * with sub-page write permissions. Host-tested, and fuzzed
 * (tests/fuzz/fuzz_spp_call.c); hv/partition/xom.c and spp.c apply them.
 */
#ifndef TESSERA_HV_POLICY_MEMPROT_CHECK_H
#define TESSERA_HV_POLICY_MEMPROT_CHECK_H

#include "lib/types.h"
#include "guest-abi/tessera.h"
#include "hv/policy/guest_region.h"

/* The deepest guest-physical bit a 4-level EPT maps. */
#define XOM_GPA_BITS_MAX 48

/*
 * The alias bit for a CPU whose CPUID 0x80000008 reports maxphyaddr bits:
 * the highest one both the CPU and a 4-level EPT reach, so the guest is told
 * one bit fewer. 0 (no alias possible) below 13 bits.
 */
static inline unsigned xom_alias_bit(unsigned maxphyaddr)
{
	unsigned bits = maxphyaddr < XOM_GPA_BITS_MAX ? maxphyaddr : XOM_GPA_BITS_MAX;

	return bits > 12 ? bits - 1 : 0;
}

/*
 * The #PF error code for an EPT violation through the alias, from its exit
 * qualification and the guest's CPL: present (the guest's own tables map
 * the page), W for a write (a read-modify-write is one), U at CPL 3, I/D for
 * an instruction fetch; never RSVD.
 */
uint32_t xom_pf_error_code(uint64_t qual, unsigned cpl);

/* Whether every RAM region of regions[0..n) lies below 2^alias_bit. */
bool xom_regions_fit(const struct guest_region *regions, uint32_t n, unsigned alias_bit);

/* What a protection request may touch: the partition as the checks see it. */
struct spp_env {
	const struct guest_region *regions;
	uint32_t nr_regions;
	uint64_t gpa_mask;	/* ~2^alias_bit with xom, else ~0: the alias is the same page */
	const uint64_t *shared; /* pages Tessera writes for the partition (4 KiB aligned) */
	uint32_t nr_shared;
	bool supported; /* every CPU of the partition has SPP */
};

/*
 * The page a TESSERA_HC_SPP_SET or _GET (already through hypercall_check())
 * names: 0 with *page = the masked GPA, or E_NOTSUP (no SPP), E_FAULT (not
 * RAM), E_DENIED (a shared page; only when `setting`).
 */
long spp_check_page(const struct spp_env *env, uint64_t gpa, bool setting, uint64_t *page);

#endif
