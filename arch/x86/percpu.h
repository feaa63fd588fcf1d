/*
 * Per-CPU state. Each CPU's GS base points at its struct percpu, whose first
 * field points at itself, so this_cpu() is one load.
 */
#ifndef TESSERA_ARCH_X86_PERCPU_H
#define TESSERA_ARCH_X86_PERCPU_H

#include "lib/types.h"
#include "arch/x86/desc.h"
#include "arch/x86/vmx/vmx_caps.h"

#define MAX_CPUS       64
#define CPU_STACK_SIZE (16 * 1024)

struct percpu {
	struct percpu *self; /* %gs:0 */
	uint32_t index;	     /* logical number, 0 = boot CPU */
	uint32_t apic_id;
	volatile bool online; /* reported in */
	volatile bool ready;  /* finished its start-up checks (timer, VMX probe) */
	uint64_t stack_top;
	/*
	 * Requests from other CPUs, one bit each: what they mean, the payloads and
	 * the protocol are hv/vcpu/request.h's. vmx_enter looks at it before every
	 * VM entry.
	 */
	volatile uint64_t requests;

	uint64_t gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);

	/* Exception fix-up for *_safe accessors: a #GP at fixup_rip resumes at fixup_to. */
	uint64_t fixup_rip, fixup_to;
	volatile bool fixup_hit;

	uint64_t tsc_khz;	       /* this CPU's TSC frequency */
	volatile uint64_t timer_fired; /* one-shot timer interrupts taken */

	struct vmx_caps vmx;
	uint64_t vmxon_pa; /* VMXON region, 0 until allocated */
	int vmx_smoke;	   /* VMXON/VMXOFF smoke test: 0 not run, 1 ok, < 0 failed */
	bool in_vmx_root;  /* between VMXON and VMXOFF */
	void *vcpu;	   /* the vCPU this CPU runs (hv/vcpu/vcpu.h), or NULL */
	/* The output ring of that vCPU's partition: this CPU's log lines follow its lines. */
	struct console_ring *console_out;
	/*
	 * lapic = passthrough: the LAPIC is the guest's (it may mask, raise TPR,
	 * software-disable it), so this CPU is kicked and woken by NMI only and
	 * never sleeps with interrupts on (nmi_sleep.h).
	 */
	volatile bool nmi_only;
	volatile bool lapic_draining; /* lapic_reset_for_guest(): interrupts taken are dropped */
	uint32_t lapic_drained;	      /* how many it dropped */
};

extern struct percpu percpu[MAX_CPUS];
extern uint32_t cpu_count; /* CPUs known from the MADT (or 1) */

#ifndef HOST_TEST
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Points GS at cpu; the first thing every CPU does. */
void percpu_install(struct percpu *cpu);
#endif

#endif
