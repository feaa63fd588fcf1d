/*
 * A partition's hypercall interface: what its VMCALLs mean. One is chosen when
 * the partition is built (hypercall_iface_for()) and copied into the partition;
 * handle_vmcall(), the exit table's entry for VMCALL, jumps straight to its
 * handler. Tessera's (hv/hypercall/tessera_calls.c, docs/hypercalls.md), or
 * with hyperv = on Hyper-V's (hv/hyperv/hv_hypercall.c), which hands VMCALLs
 * to Tessera's until the guest has enabled its hypercall page.
 */
#ifndef TESSERA_HV_HYPERCALL_H
#define TESSERA_HV_HYPERCALL_H

#include "hv/vcpu/vcpu.h"
#include "hv/partition/partition_config.h"

struct hypercall_iface {
	const char *name; /* for logs: "tessera" */
	/*
	 * One VMCALL of a vCPU of the partition, at any CPL and in any mode: every
	 * register is the guest's to set. The result goes into the guest's registers.
	 */
	enum exit_action (*handle)(struct vcpu *v);
};

/* Tessera's own calls (guest-abi/tessera.h). */
extern const struct hypercall_iface tessera_hypercall_iface;

/* The interface a partition built from cfg offers. Never NULL. */
const struct hypercall_iface *hypercall_iface_for(const struct partition_config *cfg);

#endif
