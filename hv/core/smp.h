/* Starting the other CPUs. */
#ifndef TESSERA_HV_SMP_H
#define TESSERA_HV_SMP_H

#include "arch/x86/percpu.h"

/*
 * Starts every enabled CPU of the MADT with INIT-SIPI-SIPI, one at a time. Each
 * reports in, runs its start-up checks (timer, VMX probe and VMXON/VMXOFF) and
 * then idles, waiting for work. CPUs that do not answer are reported and left
 * out. Returns the number of CPUs online, the boot CPU included.
 */
uint32_t smp_start_all(void);

/*
 * Hands `fn` to an idle CPU (index), which runs it on its own stack: a
 * REQUEST_RUN to its mailbox (hv/vcpu/request.h), which wakes it.
 */
void smp_run_on(uint32_t index, void (*fn)(struct percpu *cpu));

#endif
