/*
 * Interprocessor interrupts inside a partition: decoding an ICR and finding
 * the vCPUs it reaches (SDM vol. 3A, 11.6 and 11.12.9). Pure, host-tested.
 *
 * Containment: the only APICs an IPI can name are the sender's partition's
 * vLAPICs, passed in as an array indexed by vCPU; the result is a set of
 * indexes into that array. No value a guest writes can reach anything else.
 */
#ifndef TESSERA_HV_VLAPIC_VLAPIC_DEST_H
#define TESSERA_HV_VLAPIC_VLAPIC_DEST_H

#include "hv/vlapic/vlapic.h"

#define VLAPIC_MAX_VCPUS 64 /* the target set is a 64-bit mask */

struct vlapic_ipi {
	uint8_t vector;
	uint32_t mode;	    /* APIC_ICR_DM_* */
	uint32_t shorthand; /* APIC_ICR_NO_SHORTHAND, _SELF, _ALL_INCL_SELF, _ALL_BUT_SELF */
	bool logical;
	bool assert;	    /* level: assert (1) or de-assert (0) */
	bool level_trigger; /* trigger mode: level (1) or edge (0) */
	uint32_t dest;	    /* 8 bits (xAPIC) or 32 bits (x2APIC) */
	bool x2apic;	    /* the sender's mode: how `dest` reads */
};

struct vlapic_ipi vlapic_decode_icr(uint64_t icr, bool x2apic);

/*
 * Checks an IPI its sender may send: false (nothing is sent) for a fixed or
 * lowest-priority IPI with an illegal vector (0-15; the sender's ESR latches
 * "send illegal vector"), for SMI and the reserved delivery modes, for an
 * INIT de-assert (a no-op on current CPUs) and for the self shorthand with
 * INIT, SIPI or lowest priority, which the SDM does not allow.
 */
bool vlapic_ipi_valid(struct vlapic *sender, const struct vlapic_ipi *ipi);

/*
 * The vCPUs (bit i: lapics[i]) that `ipi` from vCPU `self` reaches among the
 * `nr` vLAPICs of its partition (nr <= VLAPIC_MAX_VCPUS). Hardware-disabled
 * APICs receive nothing. A lowest-priority IPI picks one target: the lowest
 * processor priority, then the lowest index.
 */
uint64_t vlapic_ipi_targets(const struct vlapic *const *lapics, uint32_t nr, uint32_t self,
			    const struct vlapic_ipi *ipi);

#endif
