/*
 * The vLAPIC of a vCPU on VMX (see vapic.h): its pages, the APICv fields of
 * its VMCS, the mode-dependent controls, and the pre-entry synchronisation.
 * Everything but vapic_post() runs on the vCPU's own CPU with its VMCS current.
 */
#include "hv/vlapic/vapic.h"
#include "hv/vlapic/ptimer.h"
#include "hv/vlapic/lapic_pt.h"
#include "hv/partition/partition.h"
#include "hv/partition/partition_irq.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/lapic.h"
#include "lib/page_alloc.h"
#include "lib/log.h"
#include "hv/vcpu/request.h"
#include "arch/x86/traps.h"
#include "arch/x86/percpu.h"

int vapic_alloc(struct vcpu *v)
{
	v->apic.lapic.page = alloc_pages(1); /* zeroed; panics when memory runs out */
	v->apic.pi = alloc_pages(1);
	return 0;
}

uint64_t vapic_now(const struct vcpu *v)
{
	return rdtsc() + v->msr.tsc_offset;
}

/*
 * xAPIC mode: guest-physical APIC accesses are virtualized through the
 * APIC-access page; x2APIC mode: the MSRs are, and the xAPIC window is plain
 * (unmapped) memory. The two controls exclude each other (SDM 26.2.1.1). A
 * window moved from the default base is emulated instead (exit_apic.c:
 * apic_window_fault), and the page at the default base is then plain memory
 * for this vCPU, as for a disabled APIC.
 */
static void set_mode_controls(struct vcpu *v)
{
	bool x2 = vlapic_x2apic(&v->apic.lapic), pt = partition_lapic_pt(v->part);
	uint32_t proc2 = v->secondary & ~(SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES |
					  SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE);

	if (pt) /* x2APIC mode for good; the CPU's own LAPIC, the bitmap says which MSRs */
		;
	else if (x2)
		proc2 |= SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE;
	else if (vlapic_hw_enabled(&v->apic.lapic) &&
		 vlapic_mmio_base(&v->apic.lapic) == APIC_BASE_DEFAULT)
		proc2 |= SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES;
	v->secondary = proc2;
	vmwrite(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmwrite(MSR_BITMAP,
		(uint64_t)(uintptr_t)(x2 ? v->part->msr_bitmap_x2apic : v->part->msr_bitmap));
}

void vapic_sync(struct vcpu *v)
{
	if (partition_lapic_pt(v->part))
		return;		    /* nothing virtual to deliver */
	if (pi_pending(v->apic.pi)) /* posted while the vCPU was not in guest mode */
		vlapic_merge_pir(&v->apic.lapic, v->apic.pi);
	vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
	vapic_wake_guest_hlt(v);
}

/*
 * halt = passthrough: the guest may be in the HLT activity state when it
 * exits (a kick, the preemption timer). A vector that became pending in root
 * mode ends that HLT here, as the interrupt would on hardware (Bochs does not
 * wake a HLT for a virtual interrupt pending at VM entry); RIP is already
 * past the HLT.
 */
void vapic_wake_guest_hlt(struct vcpu *v)
{
	if (!v->apic.halt_in_guest || vlapic_pending(&v->apic.lapic) < 0 ||
	    !(vmread(GUEST_RFLAGS) & RFLAGS_IF) ||
	    vmread(GUEST_ACTIVITY_STATE) != GUEST_ACTIVITY_HLT)
		return;
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

void vapic_setup_vmcs(struct vcpu *v)
{
	struct vapic *a = &v->apic;

	vmwrite(VIRTUAL_APIC_PAGE_ADDR, (uint64_t)(uintptr_t)a->lapic.page);
	vmwrite(APIC_ACCESS_ADDR, v->part->apic_access_hpa);
	vmwrite(TPR_THRESHOLD, 0);
	if (!partition_lapic_pt(v->part))
		partition_irq_load_eoi_exit(v); /* empty unless the vIOAPIC has level entries */
	if (a->posted) {
		a->pi->nv = VECTOR_POSTED_NOTIFY;
		a->pi->ndst = lapic_x2apic_mode() ? v->cpu->apic_id : v->cpu->apic_id << 8;
		vmwrite(POSTED_INTR_NV, VECTOR_POSTED_NOTIFY);
		vmwrite(POSTED_INTR_DESC_ADDR, (uint64_t)(uintptr_t)a->pi);
	}
	set_mode_controls(v);
	vapic_sync(v);
}

void vapic_reset(struct vcpu *v)
{
	struct vapic *a = &v->apic;
	bool deadline = cpuid(1, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;

	ptimer_cancel(v); /* before the PIR is cleared: no fire of the last boot can follow */
	for (unsigned i = 0; i < 8; i++)
		pi_take_word(a->pi, i);
	pi_clear_on(a->pi);
	vlapic_reset(&a->lapic, a->lapic.page, v->index, v->index == 0, deadline);
	a->lapic.x2apic_hidden = v->part->cfg->x2apic == CONFIG_OFF;
	a->lapic.min_period = v->cpu->tsc_khz * 50 / 1000; /* 50 us: a floor for periodic timers */
	if (partition_lapic_pt(v->part))
		lapic_pt_reset(v);
}

/* INIT keeps the mode, the base and the ID (SDM 11.4.7.3): vlapic_reset_registers does. */
void vapic_init_signal(struct vcpu *v)
{
	vlapic_reset_registers(&v->apic.lapic);
	if (partition_lapic_pt(v->part))
		lapic_pt_reset_cpu(v); /* INIT resets the CPU's LAPIC too, the mode kept */
}

bool vapic_has_interrupt(struct vcpu *v)
{
	if (pi_pending(v->apic.pi))
		vlapic_merge_pir(&v->apic.lapic, v->apic.pi);
	return vlapic_pending(&v->apic.lapic) >= 0;
}

void vapic_mode_changed(struct vcpu *v)
{
	uint64_t base = vlapic_mmio_base(&v->apic.lapic);

	set_mode_controls(v);
	if (base != APIC_BASE_DEFAULT && !v->apic.relocation_logged) {
		log_info("partition %s: vCPU %u: xAPIC window moved to %#llx: its accesses are "
			 "emulated (logged once)",
			 v->part->name, v->index, (unsigned long long)base);
		v->apic.relocation_logged = true;
	}
}

/* The notification vector reached this CPU outside guest mode: merge before entry. */
static void posted_notification(struct trap_frame *frame)
{
	(void)frame;
	lapic_eoi();
	request_set(&this_cpu()->requests, REQ(INTERRUPT));
}

void vapic_init_host(void)
{
	irq_register(VECTOR_POSTED_NOTIFY, posted_notification);
}
