/*
 * A virtual CPU: one per physical CPU of a partition, run by that CPU only.
 * The VM-exit path saves the guest's general registers into `ctx.gpr` and calls
 * the exit handler for the basic exit reason (hv/exit/vmexit.c).
 */
#ifndef TESSERA_HV_VCPU_H
#define TESSERA_HV_VCPU_H

#include "lib/types.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx_exit.h"
#include "arch/x86/vmx/guest_ctx.h"
#include "hv/vlapic/vapic.h"
#include "hv/policy/msr_policy.h"
#include "hv/vcpu/tlb_flush.h"

struct partition;

enum vcpu_state {
	VCPU_RUNNABLE,
	VCPU_WAIT_SIPI, /* an application processor waiting for start-up */
	VCPU_HALTED,	/* HLT with interrupts disabled: nothing can wake it */
	VCPU_HALT_WAIT, /* HLT with interrupts enabled: an interrupt or NMI wakes it */
	VCPU_STOPPED,
};

/* What an exit handler asks the exit loop to do next. */
enum exit_action {
	EXIT_RESUME,  /* re-enter the guest at the same RIP (or one the handler set) */
	EXIT_ADVANCE, /* the instruction was emulated: skip it, then re-enter */
	EXIT_STOP,    /* leave the run loop: the partition ends, stops or restarts */
	EXIT_BLOCK,   /* sleep in root mode until a request comes, handle it, re-enter */
};

struct vcpu {
	struct vmx_guest_ctx ctx; /* first: the entry code reaches it by offset */
	struct partition *part;
	struct percpu *cpu;
	uint32_t index; /* within the partition; 0 is the guest's boot CPU */
	uint16_t vpid;
	enum vcpu_state state;
	uint64_t vmcs_pa;
	struct vapic apic;	     /* its local APIC (CR8 is its TPR, through the TPR shadow) */
	uint32_t nmi_pending;	     /* NMIs latched, not yet injected: the latch holds 2, or 1
					while one is in service (vapic_events.c) */
	uint32_t nmi_arrivals;	     /* NMIs sent to it, not yet latched (any CPU adds) */
	uint64_t cr0_mask, cr4_mask; /* CR bits the hypervisor owns (guest/host masks) */
	uint32_t secondary;	     /* secondary controls in use (RDTSCP, INVPCID, XSAVES...) */
	struct msr_state msr;	     /* emulated MSRs: MISC_ENABLE, TSC offset and adjust, XSS */
	struct tlb_flush_queue tlb_queue; /* flushes other vCPUs asked of this one */
	uint64_t ve_info_gpa;		  /* TESSERA_HC_VE_INFO page, TESSERA_VE_INFO_NONE */
	void *ve_info;			  /* its host address, NULL when none */
	uint64_t exit_count[EXIT_REASON_MAX];
	uint64_t exits_total;
};

/* Loads the VMCS of v on this CPU and writes its controls and host state. 0 or -1. */
int vcpu_setup_vmcs(struct vcpu *v);
/* Drops the guest's TLB entries (its VPID) and its EPT's cached translations. */
void vcpu_flush_tlb(struct vcpu *v);
/* Entry states: flat 32-bit protected mode (PVH, multiboot v1), or waiting for SIPI. */
struct guest_entry;
void vcpu_reset_flat32(struct vcpu *v, const struct guest_entry *entry);
void vcpu_reset_wait_sipi(struct vcpu *v);
void vcpu_start_real_mode(struct vcpu *v, uint8_t vector);
/* The emulated MSRs as a cold reset leaves them, TSC offset included (hv/vcpu/vcpu_msr.c). */
void vcpu_reset_msrs(struct vcpu *v);
/*
 * Runs the guest until an exit handler says EXIT_STOP or a request stops it
 * (hv/vcpu/run.c). A vCPU waiting for SIPI is not entered: it sleeps on its
 * mailbox (as for EXIT_BLOCK) until a request stops it.
 */
void vcpu_run(struct vcpu *v);
/* Logs the guest's registers as a crash report shows them (hv/vcpu/vcpu_dump.c). */
void vcpu_dump(struct vcpu *v);

/* Guest general registers by number (exit qualifications give numbers). RSP via VMCS. */
uint64_t vcpu_gpr(struct vcpu *v, unsigned reg);
void vcpu_set_gpr(struct vcpu *v, unsigned reg, uint64_t value);

#endif
