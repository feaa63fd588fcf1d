/*
 * Every invalidation of a partition's guest-physical translations (its EPT)
 * goes through here. On Hyper-V with the guest mapping flush
 * (drivers/hyperv_nested.h): HvCallFlushGuestPhysicalAddressSpace, or
 * ...List for GPA ranges, once per distinct EPT the partition's vCPUs use
 * (hv/policy/eptp_track.h), acting on every processor. Elsewhere, or when a
 * call fails: INVEPT single-context of the vCPU's EPTP (all-context where the
 * CPU lacks single-context) on this CPU only.
 */
#ifndef TESSERA_HV_PARTITION_EPT_FLUSH_H
#define TESSERA_HV_PARTITION_EPT_FLUSH_H

#include "lib/types.h"

struct vcpu;

/* v's VMCS now holds EPT pointer eptp: at every VMWRITE of EPT_POINTER. */
void ept_flush_track(struct vcpu *v, uint64_t eptp);

struct gpa_span {
	uint64_t gpa, len;
};

/*
 * Drops the guest-physical translations of v's partition: those of the n
 * spans, or all of them with n == 0. Returns true when every CPU was reached
 * (the Hyper-V calls), false when only this one was (INVEPT): a caller that
 * changed the EPT under other running vCPUs then asks them to flush too.
 */
bool ept_flush(struct vcpu *v, const struct gpa_span *spans, uint32_t n);

#endif
