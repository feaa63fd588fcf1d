/*
 * Running partitions: each vCPU runs on its own CPU (vcpu_main); the
 * housekeeping CPU waits for every partition to finish and reports. A partition
 * ends when its guest says so (status), stops when it crashes, and restarts
 * instead when its config says on_crash = restart: vCPU 0 then reloads the image
 * from the untouched boot module and starts again.
 *
 * Every wait here sleeps on the CPU's request mailbox (hv/vcpu/request.h):
 * whoever changes what a CPU waits for (the partition's state, vcpus_out)
 * writes it first and then sends that CPU REQUEST_STOP or REQUEST_WAKE.
 */
#include <stdarg.h>
#include "hv/partition/partition.h"
#include "hv/core/smp.h"
#include "hv/vcpu/request.h"
#include "hv/vlapic/ptimer.h"
#include "hv/hyperv/hyperv.h"
#include "hv/dev/console_input.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/console.h"
#include "drivers/tsc.h"
#include "lib/format.h"
#include "lib/log.h"

/* How often the housekeeping CPU wakes to feed the UART while it waits (a FIFO: ~1.4 ms). */
#define CONSOLE_POLL_US 500

static struct percpu *housekeeper; /* the CPU in partitions_run(), waiting for them */

/* To every other vCPU of the partition, wherever it is (guest, run loop, a wait). */
static void send_others(struct partition *p, uint64_t bits)
{
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (p->vcpus[i]->cpu != this_cpu())
			request_send(p->vcpus[i]->cpu, bits);
}

static bool leave_running(struct partition *p, enum partition_state to, int status,
			  const char *reason)
{
	bool changed = false;

	spin_lock(&p->lock);
	if (p->state == PARTITION_RUNNING) {
		p->state = to;
		p->status = status;
		p->stop_reason = reason;
		changed = true;
	}
	spin_unlock(&p->lock);
	if (changed)
		send_others(p, REQ(STOP));
	return changed;
}

/* Stops the partition, and no restart can help: nothing to restart from. */
static void fail_for_good(struct partition *p, const char *reason)
{
	p->restart_failed = true; /* first: the STOP or WAKE below makes the others look */
	if (!leave_running(p, PARTITION_STOPPED, -1, reason))
		send_others(p, REQ(WAKE));
}

void partition_end(struct partition *p, int status)
{
	vuart_flush(&p->vuart);
	if (leave_running(p, PARTITION_ENDED, status, NULL))
		log_info("partition %s: ended with status %d", p->name, status);
}

/*
 * Can no vCPU of p run again? Each is halted (with interrupts on or off) or
 * waits for a SIPI, and none has a timer armed, a vector posted or an NMI
 * pending: nothing inside the partition can wake any of them, and nothing
 * outside sends it interrupts. A vCPU stores its own state before it looks at
 * the others', so of two halting together at least one sees both halted.
 */
bool partition_idle_forever(struct partition *p)
{
	for (uint32_t i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *o = p->vcpus[i];
		enum vcpu_state st = __atomic_load_n(&o->state, __ATOMIC_SEQ_CST);

		if ((st != VCPU_HALTED && st != VCPU_HALT_WAIT && st != VCPU_WAIT_SIPI) ||
		    vtimer_pending(o) || o->nmi_pending)
			return false;
	}
	return true;
}

void partition_vcpu_halted(struct vcpu *v)
{
	vuart_flush(&v->part->vuart);
	if (leave_running(v->part, PARTITION_ENDED, PARTITION_STATUS_HALTED, "halted"))
		log_info("partition %s: ended: its vCPUs halted for good (no status)",
			 v->part->name);
}

/* on_crash = restart, and within the restart budget (hv/partition/restart_budget.c)? */
static bool crash_restarts(struct partition *p, uint64_t now)
{
	const struct partition_config *c = p->cfg;

	return c->on_crash == CONFIG_ON_CRASH_RESTART &&
	       restart_budget_take(&p->restart_budget, c->restart_limit,
				   tsc_ticks_from_us(c->restart_window_s * 1000000ULL), now);
}

static void give_up(struct partition *p, uint64_t now)
{
	const struct restart_budget *b = &p->restart_budget;
	uint64_t khz = tsc_khz() ? tsc_khz() : 1, ms = (now - b->window_start) / khz;

	log_err("partition %s: restarted %u times in %llu.%03llu s: giving up, stopped", p->name,
		b->in_window, (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
	p->restart_failed = true;
}

void partition_crash(struct vcpu *v, const char *fmt, ...)
{
	struct partition *p = v->part;
	bool by_policy = p->cfg->on_crash == CONFIG_ON_CRASH_RESTART;
	uint64_t now = rdtsc();
	bool restart = crash_restarts(p, now);
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vuart_flush(&p->vuart);
	log_err("partition %s: vCPU %u: %s at RIP %#llx; %s", p->name, v->index, msg,
		(unsigned long long)vmread(GUEST_RIP), restart ? "restarting it" : "stopping it");
	/* A crash loop: the register dumps for the first crashes, then one line each. */
	if (!by_policy || restart_budget_full_dump(&p->restart_budget)) {
		vcpu_dump(v);
		if (p->nr_vcpus > 1)
			send_others(p, REQ(DUMP)); /* their registers too, before they stop */
	}
	if (by_policy && !restart)
		give_up(p, now); /* restart_failed is set before the stop is sent */
	leave_running(p, PARTITION_STOPPED, -1, "crashed");
}

/*
 * The guest reset its partition: it boots again from the pristine image
 * whatever on_crash says, within the restart budget crash restarts share
 * (restart_budget.h); a partition past it is stopped. No register dump: the
 * guest asked for this.
 */
void partition_reboot(struct vcpu *v, const char *fmt, ...)
{
	struct partition *p = v->part;
	const struct partition_config *c = p->cfg;
	uint64_t now = rdtsc();
	bool changed = false, again = false;
	char msg[120];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vuart_flush(&p->vuart);
	spin_lock(&p->lock);
	if (p->state == PARTITION_RUNNING) {
		again =
		    restart_budget_reboot(&p->restart_budget, c->restart_limit,
					  tsc_ticks_from_us(c->restart_window_s * 1000000ULL), now);
		p->state = PARTITION_STOPPED;
		p->status = -1;
		p->stop_reason = again ? "rebooted" : "rebooted too often";
		p->restart_asked = again; /* both before the STOP below makes the vCPUs look */
		p->restart_failed = !again;
		changed = true;
	}
	spin_unlock(&p->lock);
	if (!changed)
		return;
	log_info("partition %s: vCPU %u: reset by %s at RIP %#llx; %s", p->name, v->index, msg,
		 (unsigned long long)vmread(GUEST_RIP),
		 again ? "rebooting it from its image" : "not rebooting it");
	if (!again)
		give_up(p, now);
	send_others(p, REQ(STOP));
}

uint64_t partition_exit_count(const struct partition *p, uint32_t reason)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		n += p->vcpus[i]->exit_count[reason];
	return n;
}

void partition_print_stats(struct partition *p)
{
	uint64_t total = 0;

	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		uint64_t n = partition_exit_count(p, r);

		if (n)
			log_info("partition %s: exits: %-28s %llu", p->name,
				 vmx_exit_reason_name(r), (unsigned long long)n);
		total += n;
	}
	log_info("partition %s: exits: %-28s %llu", p->name, "total", (unsigned long long)total);
	shmem_print_stats(p);
}

/* A stopped partition boots again: by its crash policy, or the shell asked (now or at `start`). */
static bool wants_restart(const struct partition *p)
{
	return p->state == PARTITION_STOPPED && !p->restart_failed &&
	       (p->held || p->restart_asked || p->cfg->on_crash == CONFIG_ON_CRASH_RESTART);
}

/* vCPU 0, all vCPUs out: start over; enter_guest() reloads the image. */
static void restart(struct partition *p)
{
	p->restarts++;
	log_info("partition %s: restart %u: reloading image \"%s\"", p->name, p->restarts,
		 p->cfg->image);
	p->vcpus_out = 0;
	p->boot_tsc = rdtsc(); /* before the others wake: their TSCs start here too */
	p->state = PARTITION_RUNNING;
	/*
	 * Last: until vcpus_out and the state say otherwise, restart_asked is what
	 * tells the housekeeper (finished()) that this partition is not done.
	 */
	p->restart_asked = false;
	send_others(p, REQ(WAKE));
}

static void enter_guest(struct vcpu *v)
{
	struct partition *p = v->part;

	if (vcpu_setup_vmcs(v)) {
		fail_for_good(p, "VMX set-up failed");
		return;
	}
	if (v->index == 0) {
		/*
		 * Each partition clears and loads its RAM on its own CPU, in parallel, at
		 * every boot: a restart starts from the untouched boot module again.
		 */
		if (partition_load_image(p, &p->entry)) {
			log_err("partition %s: %s: image \"%s\" could not be loaded", p->name,
				p->restarts ? "restart failed" : "not started", p->cfg->image);
			fail_for_good(p, "image could not be loaded");
			return;
		}
		vcpu_reset_flat32(v, &p->entry);
		memprot_reset(v);	  /* no page protected: the boot before asked for them */
		shmem_partition_reset(p); /* its peers' doorbells wait for its new vectors */
		hyperv_reset(p); /* the synthetic MSRs as at power-up; the APs wait for SIPI */
		if (!p->restarts)
			log_info(
			    "partition %s: first VM entry %llu TSC ticks after Tessera's entry",
			    p->name, (unsigned long long)(rdtsc() - boot_tsc));
		vcpu_run(v);
	} else {
		/*
		 * Starting application processors needs INIT/SIPI from the guest's LAPIC:
		 * until then it sleeps on its mailbox, woken to stop or restart.
		 */
		vcpu_reset_wait_sipi(v);
		vcpu_run(v);
	}
}

static bool left_running(const struct partition *p)
{
	return p->state != PARTITION_RUNNING;
}

static bool all_out(const struct partition *p)
{
	return __atomic_load_n(&p->vcpus_out, __ATOMIC_SEQ_CST) >= p->nr_vcpus;
}

static bool released(const struct partition *p)
{
	return !p->held;
}

static bool restart_decided(const struct partition *p)
{
	return p->state != PARTITION_STOPPED || p->restart_failed;
}

/* Sleeps on this CPU's mailbox until `done`; a STOP or WAKE makes it look again. */
static void wait_until(const struct partition *p, bool (*done)(const struct partition *p))
{
	while (!done(p)) {
		request_wait(REQ(STOP) | REQ(WAKE));
		request_take(&this_cpu()->requests, REQ(STOP) | REQ(WAKE));
	}
}

/* This vCPU has left its run loop: vCPU 0 (for a restart) and the housekeeper may look. */
static void vcpu_out(struct partition *p)
{
	__atomic_add_fetch(&p->vcpus_out, 1, __ATOMIC_SEQ_CST);
	if (p->vcpus[0]->cpu != this_cpu())
		request_send(p->vcpus[0]->cpu, REQ(WAKE));
	request_send(housekeeper, REQ(WAKE));
}

static void vcpu_main(struct percpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	struct partition *p = v->part;

	if (vmx_root_enter(cpu) != VMX_SMOKE_OK)
		fail_for_good(p, "VMXON failed");
	if (v->index > 0)
		log_info("partition %s: vCPU %u on CPU %u waits for the guest's INIT-SIPI-SIPI",
			 p->name, v->index, cpu->index);
	for (;;) {
		if (p->state == PARTITION_RUNNING)
			enter_guest(v);
		wait_until(p, left_running);
		vcpu_out(p);
		if (!wants_restart(p))
			break;
		if (v->index == 0) {
			wait_until(p, all_out);
			wait_until(p, released); /* held by the shell: until `start` */
			restart(p);
		} else {
			wait_until(p, restart_decided);
		}
		if (p->state != PARTITION_RUNNING)
			break;
	}
	vmx_root_leave(cpu);
	__atomic_add_fetch(&p->vcpus_gone, 1, __ATOMIC_SEQ_CST);
}

static bool finished(const struct partition *p)
{
	return p->vcpus_out >= p->nr_vcpus && p->state != PARTITION_RUNNING && !wants_restart(p);
}

/*
 * The housekeeping CPU: fires the posted timers that are due (hv/vlapic/ptimer.h),
 * then waits until a vCPU leaves its run loop or arms an earlier timer (a
 * WAKE), the earliest posted timer is due, or the UART may take more of the
 * console's ring.
 */
static bool all_finished(void)
{
	for (uint32_t i = 0; i < nr_partitions; i++)
		if (!finished(&partitions[i]))
			return false;
	return true;
}

/*
 * Until the TSC reaches `until` or a WAKE comes: polled, with PAUSE, not in
 * HLT. The housekeeping CPU is Tessera's own, and what it waits for is short
 * (CONSOLE_POLL_US at most) and must not be missed: in HLT, Bochs 3.0 at
 * times did not wake it at its TSC deadline (the timer interrupt was taken,
 * the CPU was halted again at the same HLT, its registers and the LAPIC's
 * ISR and IRR clean), so the console and every posted timer stopped until
 * some IPI came, seconds later or never. Polling also fires posted timers
 * with no wake-up latency. No sender needs to kick it: it never sets
 * `waiting`, and looks at its request word each round.
 */
static void housekeeper_wait(uint64_t until)
{
	while (!request_pending(&this_cpu()->requests, REQ(WAKE)) && rdtsc() < until)
		cpu_relax();
}

/* All are looked at each time: the shell may start one that had finished. */
static void wait_for_partitions(void)
{
	while (!all_finished()) {
		uint64_t next = ptimer_run(), poll;

		console_input_poll();
		console_poll();
		poll = rdtsc() + tsc_ticks_from_us(CONSOLE_POLL_US);
		housekeeper_wait(MIN(next, poll));
		request_take(&this_cpu()->requests, REQ(WAKE));
	}
}

enum partition_ctl partition_shell_stop(struct partition *p, bool restart_now)
{
	bool changed = false;

	spin_lock(&p->lock);
	if (p->state == PARTITION_RUNNING) {
		p->state = PARTITION_STOPPED;
		p->status = -1;
		p->stop_reason =
		    restart_now ? "restarted from the shell" : "stopped from the shell";
		p->held = !restart_now; /* both before the STOP below makes the vCPUs look */
		p->restart_asked = restart_now;
		changed = true;
	}
	spin_unlock(&p->lock);
	if (!changed)
		return PARTITION_CTL_NOT_RUNNING;
	send_others(p, REQ(STOP));
	return PARTITION_CTL_OK;
}

/* Its vCPUs all left vcpu_main: run it on each CPU again, from a fresh boot. */
static void dispatch_again(struct partition *p)
{
	p->restart_failed = false;
	p->restart_budget = (struct restart_budget){0};
	p->vcpus_out = p->vcpus_gone = 0;
	p->restarts++;
	p->boot_tsc = rdtsc();
	p->state = PARTITION_RUNNING;
	log_info("partition %s: restart %u (started from the shell): reloading image \"%s\"",
		 p->name, p->restarts, p->cfg->image);
	for (uint32_t j = 0; j < p->nr_vcpus; j++)
		smp_run_on(p->vcpus[j]->cpu->index, vcpu_main);
}

enum partition_ctl partition_shell_start(struct partition *p)
{
	enum partition_ctl r = PARTITION_CTL_OK;

	spin_lock(&p->lock);
	if (!p->started)
		r = PARTITION_CTL_NEVER;
	else if (p->state == PARTITION_RUNNING)
		r = PARTITION_CTL_RUNNING;
	else if (p->held)
		p->held = false; /* vCPU 0 restarts it once all are out */
	else if (p->restart_asked || p->vcpus_gone < p->nr_vcpus)
		r = PARTITION_CTL_BUSY;
	else
		dispatch_again(p);
	spin_unlock(&p->lock);
	if (r == PARTITION_CTL_OK)
		request_send(p->vcpus[0]->cpu, REQ(WAKE));
	return r;
}

const char *partition_state_name(const struct partition *p)
{
	switch (p->state) {
	case PARTITION_RUNNING:
		return "running";
	case PARTITION_STOPPING:
		return "stopping";
	case PARTITION_ENDED:
		return "ended";
	default:
		return p->held ? "held" : p->restart_asked ? "restarting" : "stopped";
	}
}

static void report(struct partition *p)
{
	if (p->state == PARTITION_ENDED && p->status != PARTITION_STATUS_HALTED)
		log_info("partition %s: result: ended with status %d%s", p->name, p->status,
			 p->restarts ? " (after restarts)" : "");
	else
		log_info("partition %s: result: %s", p->name,
			 p->state == PARTITION_ENDED ? "halted without a status"
			 : p->stop_reason	     ? p->stop_reason
						     : "stopped");
	log_info("partition %s: console: %llu lines (%llu bytes) out, %llu bytes dropped", p->name,
		 (unsigned long long)p->console.lines, (unsigned long long)p->console.bytes,
		 (unsigned long long)console_ring_dropped(&p->console));
	if (partition_has_vuart(p)) {
		char input[128];

		vuart_describe_input(&p->vuart, input, sizeof(input));
		log_info("partition %s: %s", p->name, input);
	}
	if (p->nr_vcpus)
		partition_print_stats(p);
}

int partitions_run(const struct boot_info *bi)
{
	const struct tessera_config *cfg = config_get();
	int failures = 0;

	nr_partitions = cfg->nr_partitions;
	housekeeper = this_cpu();
	ptimer_init(housekeeper);
	log_info("partitions: %u in the config (for %u CPUs, %llu MiB); this machine has %u "
		 "CPUs online",
		 cfg->nr_partitions, cfg->machine_cpus,
		 (unsigned long long)(cfg->machine_memory / MiB), cpu_count);
	shmem_alloc_all(cfg);
	for (uint32_t i = 0; i < nr_partitions; i++)
		partition_build(&partitions[i], i, cfg, bi);
	console_input_init();
	for (uint32_t i = 0; i < nr_partitions; i++) {
		struct partition *p = &partitions[i];

		if (p->state != PARTITION_RUNNING) {
			p->vcpus_out = p->nr_vcpus;
			continue;
		}
		p->boot_tsc = rdtsc(); /* one TSC origin for all its vCPUs */
		p->started = true;
		for (uint32_t j = 0; j < p->nr_vcpus; j++)
			smp_run_on(p->vcpus[j]->cpu->index, vcpu_main);
	}
	wait_for_partitions();
	console_flush(); /* the partitions' last lines before the report */
	for (uint32_t i = 0; i < nr_partitions; i++) {
		report(&partitions[i]);
		if (partitions[i].state != PARTITION_ENDED || partitions[i].status != 0)
			failures++;
	}
	log_info("partitions: %u of %u ended with status 0", nr_partitions - failures,
		 nr_partitions);
	return failures;
}
