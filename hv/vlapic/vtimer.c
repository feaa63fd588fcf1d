/*
 * The vLAPIC timer, emulated on the vCPU's own CPU (`timer = emulated`): the
 * VMX-preemption timer counts down to the deadline while the guest runs; when
 * the vCPU blocks in HLT, the CPU's own one-shot timer ends the HLT at the
 * deadline. While the timer is armed (vapic.timer_armed, one test on the
 * run loop's path) a due timer is fired and the preemption timer reprogrammed
 * before every entry: the deadline is in guest TSC ticks and the preemption
 * timer counts only in guest mode, so root-mode time must not be lost.
 */
#include "hv/vlapic/vapic.h"
#include "hv/vcpu/request.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "hv/vlapic/ptimer.h"
#include "drivers/timer.h"
#include "lib/log.h"

static void preemption_timer(struct vcpu *v, bool on)
{
	uint64_t pin;

	if (v->apic.preempt_on == on)
		return;
	pin = vmread(PIN_BASED_VM_EXEC_CONTROL);
	vmwrite(PIN_BASED_VM_EXEC_CONTROL,
		on ? pin | PIN_BASED_VMX_PREEMPTION_TIMER : pin & ~PIN_BASED_VMX_PREEMPTION_TIMER);
	v->apic.preempt_on = on;
}

static void fire(struct vcpu *v, uint64_t now);

/*
 * Posted: a one-shot or TSC-deadline timer whose deadline has passed. (A
 * periodic one is the housekeeping CPU's: the model's deadline is its first.)
 */
static bool posted_due(const struct vcpu *v, uint64_t now)
{
	const struct vlapic *l = &v->apic.lapic;

	return l->timer_deadline && now >= l->timer_deadline &&
	       l->timer_lvt_mode != APIC_LVT_TIMER_PERIODIC;
}

void vtimer_sync(struct vcpu *v)
{
	uint64_t now;

	if (!v->apic.timer_posted)
		return;
	ptimer_catch_up(v);
	now = vapic_now(v);
	/*
	 * Past its deadline, but the housekeeping CPU has not fired it yet: on
	 * hardware it has fired, in the mode it had, before this access.
	 */
	if (posted_due(v, now)) {
		fire(v, now);
		ptimer_changed(v);
	}
}

void vtimer_changed(struct vcpu *v)
{
	if (v->apic.timer_posted) {
		uint64_t now = vapic_now(v);

		ptimer_catch_up(v);
		/*
		 * A deadline already past (a TSC deadline written with the TSC's value)
		 * fires here, before the guest's next instruction, as on hardware; the
		 * housekeeping CPU gets only future ones.
		 */
		if (posted_due(v, now))
			fire(v, now);
		ptimer_changed(v);
		return;
	}
	v->apic.timer_armed = v->apic.lapic.timer_deadline != 0;
	if (!v->apic.timer_armed)
		preemption_timer(v, false);
}

/* The deadline passed: the timer's vector into the virtual IRR (if the LVT lets it). */
static void fire(struct vcpu *v, uint64_t now)
{
	int vector = vlapic_timer_expire(&v->apic.lapic, now);

	if (vector >= 0 && vlapic_accept(&v->apic.lapic, (uint8_t)vector, false)) {
		vmwrite(GUEST_INTR_STATUS, vlapic_intr_status(&v->apic.lapic));
		vapic_wake_guest_hlt(v);
	}
}

void vtimer_before_entry(struct vcpu *v)
{
	struct vlapic *l = &v->apic.lapic;
	uint64_t now = vapic_now(v), ticks;

	if (l->timer_deadline && now >= l->timer_deadline)
		fire(v, now);
	if (!l->timer_deadline) {
		vtimer_changed(v);
		return;
	}
	ticks = (l->timer_deadline - now) >> v->cpu->vmx.preemption_timer_rate;
	preemption_timer(v, true);
	vmwrite(VMX_PREEMPTION_TIMER_VALUE, ticks > UINT32_MAX ? UINT32_MAX : ticks);
}

bool vtimer_due(struct vcpu *v)
{
	return !v->apic.timer_posted && v->apic.lapic.timer_deadline &&
	       vapic_now(v) >= v->apic.lapic.timer_deadline;
}

void vtimer_wake_at_deadline(struct vcpu *v)
{
	uint64_t now = vapic_now(v), khz = v->cpu->tsc_khz ? v->cpu->tsc_khz : 1;

	if (!v->apic.timer_posted && v->apic.lapic.timer_deadline > now)
		timer_arm_us((v->apic.lapic.timer_deadline - now) * 1000 / khz + 1);
}

static const char *const timer_names[] = {"auto", "posted", "emulated"};

/*
 * timer = auto: posted where the CPU has posted interrupts (a housekeeping CPU
 * always exists: the config requires one). timer = posted on a CPU without
 * them falls back to emulated, and says so: the guest sees the same timer.
 */
void vtimer_choose(struct vcpu *v, bool posted_intr)
{
	const struct partition_config *c = v->part->cfg;
	bool first = v->index == 0 && !v->part->restarts;

	v->apic.timer_posted = c->timer != CONFIG_TIMER_EMULATED && posted_intr;
	if (partition_lapic_pt(v->part)) { /* no vLAPIC timer: the CPU's own LAPIC timer */
		v->apic.timer_posted = false;
		if (first)
			log_info("partition %s: lapic passthrough (timer and interrupts the "
				 "guest's own, Tessera's kicks by NMI), halt passthrough, pause %s",
				 v->part->name,
				 c->pause == CONFIG_PAUSE_EXIT ? "exit" : "passthrough");
		return;
	}
	if (c->timer == CONFIG_TIMER_POSTED && !posted_intr)
		log_warn("partition %s: vCPU %u: timer = posted, but CPU %u has no posted "
			 "interrupts: the timer is emulated (VMX-preemption timer)",
			 v->part->name, v->index, v->cpu->index);
	if (!first)
		return;
	if (v->apic.timer_posted)
		log_info("partition %s: timer posted (housekeeping CPU %u; config: %s), halt %s, "
			 "pause %s",
			 v->part->name, ptimer_housekeeper(), timer_names[c->timer % 3],
			 c->halt == CONFIG_HALT_PASSTHROUGH ? "passthrough" : "exit",
			 c->pause == CONFIG_PAUSE_EXIT ? "exit" : "passthrough");
	else
		log_info("partition %s: timer emulated (VMX-preemption timer on CPU %u; config: "
			 "%s), halt %s, pause %s",
			 v->part->name, v->cpu->index, timer_names[c->timer % 3],
			 c->halt == CONFIG_HALT_PASSTHROUGH ? "passthrough" : "exit",
			 c->pause == CONFIG_PAUSE_EXIT ? "exit" : "passthrough");
}

bool vtimer_pending(struct vcpu *v)
{
	if (v->apic.timer_posted)
		return ptimer_pending(v);
	return v->apic.lapic.timer_deadline || pi_pending(v->apic.pi);
}

enum exit_action handle_preemption_timer(struct vcpu *v)
{
	(void)v; /* the timer is armed: vtimer_before_entry() fires it */
	return EXIT_RESUME;
}
