/*
 * A vCPU's local APIC on VMX: the register model (vlapic.h) kept in the
 * virtual-APIC page, with APICv doing what it can without an exit:
 *   - TPR shadow, APIC-register virtualization and virtual-interrupt delivery:
 *     register reads, TPR and EOI writes, and the delivery of a pending vector
 *     cost no exit; other writes are trap-like APIC-write exits (xAPIC) or
 *     WRMSR exits (x2APIC), handled by the model;
 *   - posted interrupts: another CPU (a sibling vCPU's IPI, a timer fired on
 *     the housekeeping CPU) sets the vector in the posted-interrupt descriptor
 *     and sends the notification vector; a running target takes it without an
 *     exit. Without posted interrupts the same descriptor is used as a pending
 *     set, the target is kicked by a request, and its pre-entry step moves the
 *     vectors into the virtual IRR (the fallback, same guest-visible result).
 * A partition needs TPR shadow, APIC-access virtualization, APIC-register
 * virtualization and virtual-interrupt delivery on its CPUs; a CPU without
 * them cannot start it (logged).
 */
#ifndef TESSERA_HV_VLAPIC_VAPIC_H
#define TESSERA_HV_VLAPIC_VAPIC_H

#include "hv/vlapic/vlapic.h"
#include "arch/x86/vmx/posted_intr.h"
#include "arch/x86/msr.h"

struct vcpu;
struct partition;

struct vapic {
	struct vlapic lapic;
	struct pi_desc *pi;  /* its own page (Bochs wants it 4 KiB aligned) */
	bool posted;	     /* the CPU processes `pi` itself (posted interrupts in use) */
	uint8_t sipi_vector; /* for REQUEST_SIPI: written before the request is sent */
	bool preempt_on;     /* the VMX-preemption timer is on (vtimer.c) */
	bool timer_armed;    /* the emulated timer has a deadline (vtimer.c) */
	bool timer_posted;   /* timer = posted: on the housekeeping CPU (ptimer.c) */
	bool halt_in_guest;  /* halt = passthrough: the guest's HLT does not exit */
	bool relocation_logged;
};

/* The host vector of posted-interrupt notifications (POSTED_INTR_NV). */
#define VECTOR_POSTED_NOTIFY 0xf2

/* Once, at bring-up: the host's handler of the notification vector. */
void vapic_init_host(void);
/* Build time: the pages of v's vLAPIC. 0, or -1 when memory ran out. */
int vapic_alloc(struct vcpu *v);
/* With v's VMCS current: the APICv fields and the controls of the vLAPIC's mode. */
void vapic_setup_vmcs(struct vcpu *v);
/* Power-up state (cold boot, restart); INIT keeps IA32_APIC_BASE. */
void vapic_reset(struct vcpu *v);
void vapic_init_signal(struct vcpu *v);

/* The pre-entry step's part: posted vectors into the virtual IRR, RVI/SVI into the VMCS. */
void vapic_sync(struct vcpu *v);
/* Something the vCPU would take now (for a HLT): a vector above the PPR, or posted. */
bool vapic_has_interrupt(struct vcpu *v);

/* Requests a fixed interrupt `vector` on vCPU t (from any CPU, t's own included). */
void vapic_post(struct vcpu *from, struct vcpu *t, uint8_t vector);
struct vlapic_ipi;
/*
 * An interrupt message to the vCPUs of p it names (vlapic_ipi_targets: p's
 * only), from vCPU `from` (its VMCS current) or from a device (NULL; then
 * `ipi` has no shorthand).
 */
void vapic_deliver_ipi(struct vcpu *from, struct partition *p, const struct vlapic_ipi *ipi);
/* Does what a register write asked (struct vlapic_effect); the exit's action. */
int vapic_apply(struct vcpu *v, const struct vlapic_effect *e);
/* Pre-entry (vapic_events.c): the vLAPIC's requests; an NMI waiting for its window. */
void vapic_take_requests(struct vcpu *v, volatile uint64_t *requests);
void vapic_try_nmi(struct vcpu *v);
/* A vCPU halted with interrupts on: true (and runnable again) once it has something. */
bool vapic_halt_done(struct vcpu *v);
/* IA32_APIC_BASE changed mode or base: controls, MSR bitmap (vapic.c). */
void vapic_mode_changed(struct vcpu *v);
/* The vLAPIC timer's registers changed: arm or disarm it (vtimer.c). */
void vtimer_changed(struct vcpu *v);
/*
 * Before the guest touches a timer register (any vLAPIC write, TSC_DEADLINE):
 * with the posted timer, a deadline that has passed has fired in the model
 * too, whether the housekeeping CPU got to it yet or not (a one-shot that
 * reached 0 then stays at 0 when the LVT switches to periodic, as on hardware).
 */
void vtimer_sync(struct vcpu *v);
/* Has v a timer armed or a vector posted (either timer mode)? From any CPU. */
bool vtimer_pending(struct vcpu *v);
/* Set-up: which timer v uses (the config's choice, where the CPU allows it). */
void vtimer_choose(struct vcpu *v, bool posted_intr);
/* HLT left to the guest: a pending interrupt ends its HLT activity state at entry. */
void vapic_wake_guest_hlt(struct vcpu *v);
/* Before every entry while armed: fire a due timer, program the preemption timer. */
void vtimer_before_entry(struct vcpu *v);
/* Blocking in HLT: is the deadline past; make this CPU's timer end the HLT at it. */
bool vtimer_due(struct vcpu *v);
void vtimer_wake_at_deadline(struct vcpu *v);
/* The vLAPIC's MSRs (vapic_msr.c): x2APIC registers, IA32_APIC_BASE, TSC_DEADLINE. */
static inline bool vapic_owns_msr(uint32_t msr)
{
	return (msr >= MSR_X2APIC_BASE && msr <= MSR_X2APIC_LAST) || msr == MSR_IA32_APIC_BASE ||
	       msr == MSR_IA32_TSC_DEADLINE;
}
bool vapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value); /* false: #GP */
bool vapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);	 /* false: #GP */
/* The guest's TSC now: the time the vLAPIC timer counts in. */
uint64_t vapic_now(const struct vcpu *v);

#endif
