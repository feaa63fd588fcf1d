/*
 * Which EPT pointers a partition's vCPUs use (pure: host-tested). Tessera
 * gives every vCPU of a partition the partition's one EPT, so they always
 * share it; the record is kept anyway, as KVM does for Hyper-V's flush: a
 * flush that acts on every processor (HvCallFlushGuestPhysicalAddressSpace)
 * then needs one call when the vCPUs share an EPT, and one per distinct EPT
 * when they do not, and never silently misses one.
 *
 * Each VMWRITE of EPT_POINTER is recorded. The common EPT is remembered
 * while it holds; a vCPU that sets another one makes it unknown, and the next
 * flush looks at every vCPU again (and remembers it if they agree once more).
 * EPTs are compared by their root (bits 51:12), which is what the flush call
 * takes; the full EPTP is kept for INVEPT.
 */
#ifndef TESSERA_HV_POLICY_EPTP_TRACK_H
#define TESSERA_HV_POLICY_EPTP_TRACK_H

#include "lib/types.h"
#include "hv/partition/partition_config.h"

#define EPTP_ROOT_MASK 0x000ffffffffff000ull /* the EPT PML4's address */

static inline uint64_t eptp_root(uint64_t eptp)
{
	return eptp & EPTP_ROOT_MASK;
}

struct eptp_track {
	uint32_t nr;				  /* vCPUs of the partition */
	uint64_t eptp[CONFIG_MAX_PARTITION_CPUS]; /* each vCPU's; 0: none yet */
	uint64_t common;			  /* the EPTP all set vCPUs share; 0: unknown */
};

/* A partition of nr vCPUs, none of which has an EPTP yet. */
void eptp_track_init(struct eptp_track *t, uint32_t nr);

/* vCPU `index` now uses eptp (0: none, e.g. its VMCS is gone). */
void eptp_track_set(struct eptp_track *t, uint32_t index, uint64_t eptp);

/*
 * The distinct EPTPs in use (one per root), at most max of them into out[];
 * returns how many there are, which may exceed max (then flush more widely).
 * Remembers the common EPTP when there is exactly one.
 */
uint32_t eptp_track_distinct(struct eptp_track *t, uint64_t *out, uint32_t max);

#endif
