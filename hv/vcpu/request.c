/*
 * Sending requests and sleeping on them: the hardware half of the mailbox
 * (hv/vcpu/request.h has the protocol). What a request does on its target is
 * the run loop's pre-entry step (hv/vcpu/run.c) or the wait that takes it.
 */
#include "hv/vcpu/request.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "drivers/lapic.h"
#include "arch/x86/traps.h"
#include "arch/x86/nmi_sleep.h"

static struct request_mailbox mailboxes[MAX_CPUS];

struct request_mailbox *request_mailbox(struct percpu *cpu)
{
	return &mailboxes[cpu->index];
}

/* After the bits are set: wake a sleeper, make a vCPU leave the guest (see request.h). */
static void kick(struct percpu *cpu)
{
	if (cpu == this_cpu())
		return;
	if (cpu->nmi_only) /* lapic = passthrough: the guest's LAPIC may refuse the IPI */
		lapic_send_nmi(cpu->apic_id);
	else if (__atomic_load_n(&request_mailbox(cpu)->waiting, __ATOMIC_SEQ_CST))
		lapic_send_fixed(cpu->apic_id, VECTOR_REQUEST);
	else if (cpu->vcpu)
		lapic_send_nmi(cpu->apic_id);
}

void request_send(struct percpu *cpu, uint64_t bits)
{
	request_set(&cpu->requests, bits);
	kick(cpu);
}

bool request_send_if_awake(struct percpu *cpu, uint64_t bits)
{
	request_set(&cpu->requests, bits);
	/* The OR above and this load are ordered (request.h): a sleeper that cleared waiting sees
	 * the bits. */
	if (cpu != this_cpu() && __atomic_load_n(&request_mailbox(cpu)->waiting, __ATOMIC_SEQ_CST))
		return false;
	kick(cpu);
	return true;
}

static bool send_payload(struct percpu *cpu, uint64_t bit,
			 void (*fill)(struct request_mailbox *, const void *), const void *payload)
{
	struct request_mailbox *mb = request_mailbox(cpu);
	bool sent;

	spin_lock(&mb->lock);
	sent = request_post(&cpu->requests, bit, fill, mb, payload);
	spin_unlock(&mb->lock);
	if (sent)
		kick(cpu);
	return sent;
}

static void fill_run(struct request_mailbox *mb, const void *payload)
{
	mb->run = *(void (*const *)(struct percpu *))payload;
}

bool request_send_run(struct percpu *cpu, void (*fn)(struct percpu *cpu))
{
	return send_payload(cpu, REQ(RUN), fill_run, &fn);
}

static void fill_event(struct request_mailbox *mb, const void *payload)
{
	mb->event = *(const struct request_event *)payload;
}

bool request_send_inject(struct percpu *cpu, const struct request_event *event)
{
	return send_payload(cpu, REQ(INJECT), fill_event, event);
}

struct vmcs_call {
	request_vmcs_fn fn;
	void *arg;
};

static void fill_vmcs(struct request_mailbox *mb, const void *payload)
{
	const struct vmcs_call *c = payload;

	mb->vmcs_fn = c->fn;
	mb->vmcs_arg = c->arg;
}

bool request_send_vmcs(struct percpu *cpu, request_vmcs_fn fn, void *arg)
{
	struct vmcs_call c = {fn, arg};

	return send_payload(cpu, REQ(VMCS), fill_vmcs, &c);
}

/*
 * STI; HLT are one step for interrupts (STI's shadow): a kick after the check
 * below, whether IPI or NMI, ends the HLT instead of coming before it. A CPU
 * kicked by NMI only sleeps with interrupts off (arch/x86/nmi_sleep.h).
 */
void request_sleep(uint64_t bits)
{
	struct percpu *cpu = this_cpu();
	struct request_mailbox *mb = request_mailbox(cpu);

	__atomic_store_n(&mb->waiting, true, __ATOMIC_SEQ_CST);
	if (cpu->nmi_only)
		nmi_sleep(&cpu->requests, bits); /* interrupts off: they are the guest's */
	else if (!request_pending(&cpu->requests, bits))
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	__atomic_store_n(&mb->waiting, false, __ATOMIC_SEQ_CST);
}

void request_wait(uint64_t bits)
{
	while (!request_pending(&this_cpu()->requests, bits))
		request_sleep(bits);
}
