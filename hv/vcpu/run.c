/*
 * The run loop, the hot path: enter (vmx_enter looks at this CPU's requests
 * first), count the exit, call its handler from the dispatch table
 * (hv/exit/vmexit.c), do what it asks. Whatever is not an ordinary exit
 * reason, requests waiting included, is one compare away and handled off the
 * path: the pre-entry step, which runs the requests (hv/vcpu/request.h) before
 * the next VM entry, and the rare exits.
 */
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/vcpu/request.h"
#include "hv/vlapic/ptimer.h"
#include "hv/vlapic/lapic_pt.h"
#include "lib/log.h"

static void dump_on_request(struct vcpu *v)
{
	log_info("partition %s: vCPU %u: register dump on request (%s) at RIP %#llx", v->part->name,
		 v->index, v->state == VCPU_WAIT_SIPI ? "waiting for SIPI" : "running",
		 (unsigned long long)vmread(GUEST_RIP));
	vcpu_dump(v);
}

static void inject_requested(struct vcpu *v, const struct request_event *e)
{
	if (e->has_error_code)
		inject_exception_code(v, e->vector, e->error_code);
	else
		inject_exception(v, e->vector);
}

/*
 * The pre-entry step: every request pending on this CPU, payloads read before
 * their bits are cleared. EXIT_RESUME: enter; EXIT_BLOCK: nothing to run yet.
 */
static __noinline enum exit_action pre_entry(struct vcpu *v)
{
	volatile uint64_t *w = &v->cpu->requests;
	struct request_mailbox *mb = request_mailbox(v->cpu);

	if (request_pending(w, REQ(INJECT))) {
		struct request_event e = mb->event;

		request_clear(w, REQ(INJECT));
		inject_requested(v, &e);
	}
	if (request_take(w, REQ(FLUSH_TLB)))
		tlb_flush_requested(v);
	if (request_pending(w, REQ(VMCS))) {
		request_vmcs_fn fn = mb->vmcs_fn;
		void *arg = mb->vmcs_arg;

		request_clear(w, REQ(VMCS));
		fn(v, arg);
	}
	if (request_take(w, REQ(DUMP)))
		dump_on_request(v);
	if (request_take(w, REQ(RUN)))
		log_err("partition %s: vCPU %u: work for an idle CPU sent to CPU %u, which runs a "
			"vCPU: dropped",
			v->part->name, v->index, v->cpu->index);
	request_take(w, REQ(WAKE));
	/* A stop is about the partition's state, written before the request was sent. */
	if (request_take(w, REQ(STOP)) && v->part->state != PARTITION_RUNNING)
		return EXIT_STOP;
	vapic_take_requests(v, w);
	if (v->apic.timer_armed)
		vtimer_before_entry(v); /* a due timer can end a HLT */
	if (v->state == VCPU_WAIT_SIPI)
		return EXIT_BLOCK;
	if (v->state == VCPU_HALT_WAIT && !vapic_halt_done(v))
		return EXIT_BLOCK;
	return v->part->state == PARTITION_RUNNING ? EXIT_RESUME : EXIT_STOP;
}

/* What vmx_enter returned when it was not an ordinary exit reason. */
static __noinline enum exit_action off_path(struct vcpu *v, uint64_t r)
{
	uint32_t basic = (uint32_t)r & EXIT_REASON_BASIC_MASK;

	if (r == VMX_ENTER_REQUESTS)
		return pre_entry(v);
	if (r & VMX_ENTER_FAILED) {
		vmentry_failed(v, (int)(r & 3));
		return EXIT_STOP;
	}
	/* Bits besides the basic reason (a failed entry's bit 31), or one past the table. */
	if (basic >= EXIT_REASON_MAX)
		return handle_unknown(v);
	v->exit_count[basic]++;
	return exit_handlers[basic](v);
}

/*
 * EXIT_BLOCK: interrupts on, in HLT, until a request comes (the pre-entry step
 * then runs it) or the emulated timer's deadline passes (then a wake request
 * to itself, so that the pre-entry step fires it and ends the guest's HLT).
 */
static void block(struct vcpu *v)
{
	while (!request_pending(&v->cpu->requests, ~0ull)) {
		if (vtimer_due(v)) {
			request_set(&v->cpu->requests, REQ(WAKE));
			return;
		}
		vtimer_wake_at_deadline(v);
		request_sleep(~0ull);
	}
}

/* Does what a handler asked; false: leave the loop. */
static inline bool act(struct vcpu *v, enum exit_action a)
{
	if (likely(a == EXIT_ADVANCE)) {
		vcpu_skip_instruction(v);
		return true;
	}
	if (likely(a == EXIT_RESUME))
		return true;
	if (a == EXIT_BLOCK) {
		block(v);
		return true;
	}
	return false;
}

void vcpu_run(struct vcpu *v)
{
	enum exit_action a = v->state == VCPU_WAIT_SIPI ? EXIT_BLOCK : EXIT_RESUME;

	while (act(v, a)) {
		if (unlikely(v->apic.timer_armed))
			vtimer_before_entry(v);
		uint64_t r = vmx_enter(&v->ctx);

		if (unlikely(r >= EXIT_REASON_MAX)) {
			a = off_path(v, r);
			continue;
		}
		v->exit_count[r]++;
		a = exit_handlers[r](v);
	}
	ptimer_cancel(v); /* out of the housekeeping CPU's queue: nothing fires for it now */
	if (partition_lapic_pt(v->part))
		lapic_pt_reset_cpu(v); /* nothing the guest armed may fire into Tessera */
}
