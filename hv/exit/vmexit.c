/*
 * The VM-exit dispatch table, which the run loop (hv/vcpu/run.c) indexes by the
 * basic exit reason. Handlers for the simple reasons live here; the bigger ones
 * have files of their own.
 */
#include "hv/exit/vmexit.h"
#include "hv/vlapic/vapic.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/log.h"

static enum exit_action handle_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(VM_EXIT_INTR_INFO);
	uint32_t type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	reinject_vectoring_event(v);
	if (type == INTR_TYPE_NMI) {
		/*
		 * Host NMIs: a panic stopping every CPU, or a request's kick, which the
		 * run loop sees before it enters again (hv/vcpu/request.h).
		 */
		if (cpu_stop_requested())
			cpu_stop_self();
		cpu_unblock_nmi();
		return EXIT_RESUME;
	}
	partition_crash(v, "unexpected exception exit, vector %u (interruption info %#x)",
			info & INTR_INFO_VECTOR_MASK, info);
	return EXIT_STOP;
}

static enum exit_action handle_external_interrupt(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(VM_EXIT_INTR_INFO);

	reinject_vectoring_event(v);
	if (info & INTR_INFO_VALID) /* acknowledged on exit (posted interrupts in use) */
		irq_run_acknowledged((uint8_t)(info & INTR_INFO_VECTOR_MASK));
	else /* still pending in the LAPIC: let the host take it now */
		__asm__ volatile("sti; nop; cli" ::: "memory");
	return EXIT_RESUME;
}

static enum exit_action handle_triple_fault(struct vcpu *v)
{
	partition_crash(v, "triple fault");
	return EXIT_STOP;
}

static enum exit_action handle_init(struct vcpu *v)
{
	vcpu_reset_wait_sipi(v);
	return EXIT_RESUME;
}

static enum exit_action handle_sipi(struct vcpu *v)
{
	if (v->state == VCPU_WAIT_SIPI)
		vcpu_start_real_mode(v, (uint8_t)vmread(EXIT_QUALIFICATION));
	return EXIT_RESUME;
}

/*
 * HLT: with interrupts enabled the vCPU blocks (EXIT_BLOCK: a real HLT in root
 * mode) until an interrupt or NMI is there for it; with interrupts disabled and
 * no NMI pending it stops for good. When no vCPU of the partition can run again
 * (partition_idle_forever), the partition ends, halted without a status.
 */
static enum exit_action handle_hlt(struct vcpu *v)
{
	bool irq_on = vmread(GUEST_RFLAGS) & RFLAGS_IF;

	if (irq_on || v->nmi_pending) {
		vcpu_skip_instruction(v); /* an interrupt that wakes it returns past the HLT */
		if (v->nmi_pending || vapic_has_interrupt(v))
			return EXIT_RESUME;
	}
	__atomic_store_n(&v->state, irq_on ? VCPU_HALT_WAIT : VCPU_HALTED, __ATOMIC_SEQ_CST);
	if (!partition_idle_forever(v->part))
		return irq_on ? EXIT_BLOCK : EXIT_STOP;
	log_info("partition %s: vCPU %u halted with interrupts %s at RIP %#llx; no timer is "
		 "armed and no vCPU runs, so nothing can wake it",
		 v->part->name, v->index, irq_on ? "enabled" : "disabled",
		 (unsigned long long)vmread(GUEST_RIP));
	partition_vcpu_halted(v);
	return EXIT_STOP;
}

/*
 * WBINVD and INVD: counted (the exit counters) and skipped. Without
 * passed-through DMA devices a partition has nothing that needs caches written
 * back (EPT maps its RAM write-back, and the CPU keeps caches coherent), and a
 * real WBINVD would flush the caches its neighbours share; INVD would even drop
 * their dirty lines. KVM does the same for guests without non-coherent DMA.
 */
static enum exit_action handle_cache_flush(struct vcpu *v)
{
	(void)v;
	return EXIT_ADVANCE;
}

/* pause = exit: every PAUSE exits, is counted and skipped (no scheduler to yield to). */
static enum exit_action handle_pause(struct vcpu *v)
{
	(void)v;
	return EXIT_ADVANCE;
}

static enum exit_action handle_undefined(struct vcpu *v)
{
	inject_exception(v, EXC_UD);
	return EXIT_RESUME;
}

static enum exit_action handle_rdpmc(struct vcpu *v)
{
	inject_exception_code(v, EXC_GP, 0); /* no performance counters are offered */
	return EXIT_RESUME;
}

static enum exit_action handle_task_switch(struct vcpu *v)
{
	partition_crash(v, "hardware task switch (not emulated by Tessera), qualification %#llx",
			(unsigned long long)vmread(EXIT_QUALIFICATION));
	return EXIT_STOP;
}

static enum exit_action handle_ept_violation(struct vcpu *v)
{
	uint64_t qual = vmread(EXIT_QUALIFICATION);
	enum exit_action act;
	char access[40];

	uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	/* The protections the guest asked for (memprot.h), then the relocated xAPIC window. */
	if (xom_ept_violation(v, gpa, qual, &act) || spp_ept_violation(v, gpa, qual, &act) ||
	    apic_window_fault(v, gpa, qual, &act) || shmem_fault(v, gpa, qual, &act) ||
	    ioapic_fault(v, gpa, qual, &act))
		return act;
	reinject_vectoring_event(v);
	vmx_describe_ept_violation(qual, access, sizeof(access));
	partition_crash(v, "access outside its memory: GPA %#llx (%s)", (unsigned long long)gpa,
			access);
	return EXIT_STOP;
}

static enum exit_action handle_ept_misconfig(struct vcpu *v)
{
	partition_crash(v, "EPT misconfiguration at GPA %#llx (a Tessera bug)",
			(unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	return EXIT_STOP;
}

enum exit_action handle_unknown(struct vcpu *v)
{
	uint32_t reason = (uint32_t)vmread(VM_EXIT_REASON);

	partition_crash(v, "unhandled VM exit %u (%s), qualification %#llx",
			reason & EXIT_REASON_BASIC_MASK,
			vmx_exit_reason_name(reason & EXIT_REASON_BASIC_MASK),
			(unsigned long long)vmread(EXIT_QUALIFICATION));
	return EXIT_STOP;
}

/* Every reason has a handler (handle_unknown unless named), so dispatch needs no NULL check. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const exit_handler_t exit_handlers[EXIT_REASON_MAX] = {
    [0 ... EXIT_REASON_MAX - 1] = handle_unknown,
    [EXIT_REASON_EXCEPTION_NMI] = handle_exception_nmi,
    [EXIT_REASON_EXTERNAL_INTERRUPT] = handle_external_interrupt,
    [EXIT_REASON_TRIPLE_FAULT] = handle_triple_fault,
    [EXIT_REASON_INIT_SIGNAL] = handle_init,
    [EXIT_REASON_SIPI] = handle_sipi,
    [EXIT_REASON_TASK_SWITCH] = handle_task_switch,
    [EXIT_REASON_CPUID] = handle_cpuid,
    [EXIT_REASON_GETSEC] = handle_undefined,
    [EXIT_REASON_HLT] = handle_hlt,
    [EXIT_REASON_INVD] = handle_cache_flush,
    [EXIT_REASON_RDPMC] = handle_rdpmc,
    [EXIT_REASON_RSM] = handle_undefined,
    [EXIT_REASON_VMCALL] = handle_vmcall,
    [EXIT_REASON_VMCLEAR] = handle_undefined,
    [EXIT_REASON_VMLAUNCH] = handle_undefined,
    [EXIT_REASON_VMPTRLD] = handle_undefined,
    [EXIT_REASON_VMPTRST] = handle_undefined,
    [EXIT_REASON_VMREAD] = handle_undefined,
    [EXIT_REASON_VMRESUME] = handle_undefined,
    [EXIT_REASON_VMWRITE] = handle_undefined,
    [EXIT_REASON_VMXOFF] = handle_undefined,
    [EXIT_REASON_VMXON] = handle_undefined,
    [EXIT_REASON_CR_ACCESS] = handle_cr_access,
    [EXIT_REASON_IO_INSTRUCTION] = handle_io,
    [EXIT_REASON_MSR_READ] = handle_rdmsr,
    [EXIT_REASON_MSR_WRITE] = handle_wrmsr,
    [EXIT_REASON_INVALID_STATE] = handle_entry_failure,
    [EXIT_REASON_MSR_LOAD_FAIL] = handle_entry_failure,
    [EXIT_REASON_MWAIT] = handle_undefined,
    [EXIT_REASON_MONITOR] = handle_undefined,
    [EXIT_REASON_MCE_DURING_VMENTRY] = handle_entry_failure,
    [EXIT_REASON_EPT_VIOLATION] = handle_ept_violation,
    [EXIT_REASON_EPT_MISCONFIG] = handle_ept_misconfig,
    [EXIT_REASON_INVEPT] = handle_undefined,
    [EXIT_REASON_INVVPID] = handle_undefined,
    [EXIT_REASON_WBINVD] = handle_cache_flush,
    [EXIT_REASON_XSETBV] = handle_xsetbv,
    [EXIT_REASON_VMFUNC] = handle_undefined,
    [EXIT_REASON_NMI_WINDOW] = handle_nmi_window,
    [EXIT_REASON_APIC_ACCESS] = handle_apic_access,
    [EXIT_REASON_APIC_WRITE] = handle_apic_write,
    [EXIT_REASON_EOI_INDUCED] = handle_eoi_induced,
    [EXIT_REASON_PREEMPTION_TIMER] = handle_preemption_timer,
    [EXIT_REASON_PAUSE] = handle_pause,
};
#pragma GCC diagnostic pop
