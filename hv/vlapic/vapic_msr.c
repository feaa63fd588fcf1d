/*
 * The vLAPIC's MSRs, ahead of the MSR policy: the x2APIC registers
 * (0x800-0x8ff, the ones APICv does not serve), IA32_APIC_BASE and
 * IA32_TSC_DEADLINE. Each answer is the register model's; false: #GP.
 */
#include "hv/vlapic/vapic.h"
#include "hv/vcpu/vcpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "hv/vlapic/lapic_pt.h"
#include "hv/partition/partition.h"

bool vapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct vlapic *l = &v->apic.lapic;

	if (msr == MSR_IA32_APIC_BASE) {
		*value = l->apic_base;
		return true;
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		if (!l->tsc_deadline)
			return false;
		vtimer_sync(v); /* reads 0 once the deadline has passed */
		*value =
		    vlapic_timer_mode(l) == APIC_LVT_TIMER_TSC_DEADLINE ? l->tsc_deadline_msr : 0;
		return true;
	}
	return vlapic_msr_read(l, msr, vapic_now(v), value);
}

static unsigned maxphyaddr(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000008 ? cpuid(0x80000008, 0).eax & 0xff : 36;
}

bool vapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct vlapic *l = &v->apic.lapic;
	struct vlapic_effect e;

	if (msr == MSR_IA32_APIC_BASE && partition_lapic_pt(v->part))
		return lapic_pt_write_apic_base(v, value);
	if (msr == MSR_IA32_APIC_BASE) {
		e = vlapic_write_apic_base(l, value, maxphyaddr());
	} else if (msr == MSR_IA32_TSC_DEADLINE) {
		if (!l->tsc_deadline)
			return false;
		vtimer_sync(v); /* a fired deadline written again fires again */
		vlapic_timer_write_tsc_deadline(l, value, vapic_now(v));
		e = (struct vlapic_effect){.what = VLAPIC_DO_TIMER, .eoi_vector = -1};
	} else {
		vtimer_sync(v);
		e = vlapic_msr_write(l, msr, value, vapic_now(v));
	}
	if (e.what & VLAPIC_DO_GP)
		return false;
	vapic_apply(v, &e);
	return true;
}
