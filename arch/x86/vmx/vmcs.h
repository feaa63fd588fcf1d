/* Building a VMCS: control values from the capability MSRs, and the host state. */
#ifndef TESSERA_ARCH_X86_VMCS_H
#define TESSERA_ARCH_X86_VMCS_H

#include "lib/types.h"

/*
 * A VM-execution/exit/entry control value for a capability MSR (bits 31:0 the
 * bits that must be 1, bits 63:32 those that may be 1): `required` and whatever
 * of `optional` the CPU allows, plus the bits it insists on. Required bits the CPU
 * cannot set are returned in *missing (0 when all are there).
 */
uint32_t vmx_ctls(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *missing);

#ifndef HOST_TEST
struct percpu;
/* Writes the host-state area of the current VMCS for this CPU (exits land at vmx_exit_point). */
void vmcs_write_host_state(struct percpu *cpu);
#endif

#endif
