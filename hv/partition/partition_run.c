/*
 * Running partitions: each vCPU runs on its own CPU (vcpu_main); the
 * housekeeping CPU waits for every partition to finish and reports. A partition
 * ends when its guest says so (status), stops when it crashes, and restarts
 * instead when its config says on_crash = restart: vCPU 0 then reloads the image
 * from the untouched boot module and starts again.
 */
#include <stdarg.h>
#include "hv/partition/partition.h"
#include "hv/core/smp.h"
#include "hv/dev/console_input.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "drivers/console.h"
#include "drivers/lapic.h"
#include "lib/format.h"
#include "lib/log.h"

/* Leaves the guest on every other CPU of the partition: an NMI exits to the host. */
static void kick_others(struct partition *p)
{
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (p->vcpus[i]->cpu != this_cpu() && p->vcpus[i]->state == VCPU_RUNNABLE)
			lapic_send_nmi(p->vcpus[i]->cpu->apic_id);
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
		kick_others(p);
	return changed;
}

void partition_end(struct partition *p, int status)
{
	vuart_flush(&p->vuart);
	if (leave_running(p, PARTITION_ENDED, status, NULL))
		log_info("partition %s: ended with status %d", p->name, status);
}

void partition_vcpu_halted(struct vcpu *v)
{
	vuart_flush(&v->part->vuart);
	/* Application processors are parked (never run), so vCPU 0 halting ends it. */
	if (v->index == 0 &&
	    leave_running(v->part, PARTITION_ENDED, PARTITION_STATUS_HALTED, "halted"))
		log_info("partition %s: ended: its boot vCPU halted for good (no status)",
			 v->part->name);
}

/* A control register as the guest sees it: its own bits, and the shadow where we own them. */
static uint64_t guest_view(uint64_t field, uint64_t shadow, uint64_t mask)
{
	return (vmread(field) & ~mask) | (vmread(shadow) & mask);
}

void partition_crash(struct vcpu *v, const char *fmt, ...)
{
	struct partition *p = v->part;
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vuart_flush(&p->vuart);
	log_err("partition %s: vCPU %u: %s at RIP %#llx; %s", p->name, v->index, msg,
		(unsigned long long)vmread(GUEST_RIP),
		p->cfg->on_crash == CONFIG_ON_CRASH_RESTART ? "restarting it" : "stopping it");
	log_err("partition %s: vCPU %u: RSP %#llx RFLAGS %#llx CR0 %#llx CR3 %#llx CR4 %#llx "
		"EFER %#llx",
		p->name, v->index, (unsigned long long)vmread(GUEST_RSP),
		(unsigned long long)vmread(GUEST_RFLAGS),
		(unsigned long long)guest_view(GUEST_CR0, CR0_READ_SHADOW, v->cr0_mask),
		(unsigned long long)vmread(GUEST_CR3),
		(unsigned long long)guest_view(GUEST_CR4, CR4_READ_SHADOW, v->cr4_mask),
		(unsigned long long)vmread(GUEST_IA32_EFER));
	log_err("partition %s: vCPU %u: RAX %#llx RBX %#llx RCX %#llx RDX %#llx RSI %#llx RDI "
		"%#llx RBP %#llx",
		p->name, v->index, (unsigned long long)v->ctx.gpr[GPR_RAX],
		(unsigned long long)v->ctx.gpr[GPR_RBX], (unsigned long long)v->ctx.gpr[GPR_RCX],
		(unsigned long long)v->ctx.gpr[GPR_RDX], (unsigned long long)v->ctx.gpr[GPR_RSI],
		(unsigned long long)v->ctx.gpr[GPR_RDI], (unsigned long long)v->ctx.gpr[GPR_RBP]);
	leave_running(p, PARTITION_STOPPED, -1, "crashed");
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
}

static bool wants_restart(const struct partition *p)
{
	return p->state == PARTITION_STOPPED && p->cfg->on_crash == CONFIG_ON_CRASH_RESTART &&
	       !p->restart_failed;
}

/* vCPU 0, all vCPUs out: start over; enter_guest() reloads the image. */
static void restart(struct partition *p)
{
	p->restarts++;
	log_info("partition %s: restart %u: reloading image \"%s\"", p->name, p->restarts,
		 p->cfg->image);
	p->vcpus_out = 0;
	p->state = PARTITION_RUNNING;
}

static void enter_guest(struct vcpu *v)
{
	struct partition *p = v->part;

	if (vcpu_setup_vmcs(v)) {
		leave_running(p, PARTITION_STOPPED, -1, "VMX set-up failed");
		p->restart_failed = true;
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
			leave_running(p, PARTITION_STOPPED, -1, "image could not be loaded");
			p->restart_failed = true;
			return;
		}
		vcpu_reset_flat32(v, &p->entry);
		if (!p->restarts)
			log_info(
			    "partition %s: first VM entry %llu TSC ticks after Tessera's entry",
			    p->name, (unsigned long long)(rdtsc() - boot_tsc));
		vcpu_run(v);
	} else {
		/* Starting application processors needs INIT/SIPI from the guest's LAPIC. */
		v->state = VCPU_WAIT_SIPI;
	}
}

static void vcpu_main(struct percpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	struct partition *p = v->part;

	if (vmx_root_enter(cpu) != VMX_SMOKE_OK) {
		leave_running(p, PARTITION_STOPPED, -1, "VMXON failed");
		p->restart_failed = true;
	}
	if (v->index > 0)
		log_info("partition %s: vCPU %u parked on CPU %u: application processors need the "
			 "virtual LAPIC to start (not in this version)",
			 p->name, v->index, cpu->index);
	for (;;) {
		if (p->state == PARTITION_RUNNING)
			enter_guest(v);
		while (p->state == PARTITION_RUNNING)
			cpu_relax();
		__atomic_add_fetch(&p->vcpus_out, 1, __ATOMIC_SEQ_CST);
		if (!wants_restart(p))
			break;
		if (v->index == 0) {
			while (__atomic_load_n(&p->vcpus_out, __ATOMIC_SEQ_CST) < p->nr_vcpus)
				cpu_relax();
			restart(p);
		} else {
			while (p->state == PARTITION_STOPPED && !p->restart_failed)
				cpu_relax();
		}
		if (p->state != PARTITION_RUNNING)
			break;
	}
	vmx_root_leave(cpu);
}

static bool finished(const struct partition *p)
{
	return p->vcpus_out >= p->nr_vcpus && p->state != PARTITION_RUNNING && !wants_restart(p);
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
	if (p->nr_vcpus)
		partition_print_stats(p);
}

int partitions_run(const struct boot_info *bi)
{
	const struct tessera_config *cfg = config_get();
	int failures = 0;

	nr_partitions = cfg->nr_partitions;
	log_info("partitions: %u in the config (for %u CPUs, %llu MiB); this machine has %u "
		 "CPUs online",
		 cfg->nr_partitions, cfg->machine_cpus,
		 (unsigned long long)(cfg->machine_memory / MiB), cpu_count);
	for (uint32_t i = 0; i < nr_partitions; i++)
		partition_build(&partitions[i], i, cfg, bi);
	console_input_init();
	for (uint32_t i = 0; i < nr_partitions; i++) {
		struct partition *p = &partitions[i];

		if (p->state != PARTITION_RUNNING) {
			p->vcpus_out = p->nr_vcpus;
			continue;
		}
		for (uint32_t j = 0; j < p->nr_vcpus; j++)
			smp_run_on(p->vcpus[j]->cpu->index, vcpu_main);
	}
	for (uint32_t i = 0; i < nr_partitions; i++)
		while (!finished(&partitions[i])) {
			console_input_poll();
			console_poll();
			cpu_relax();
		}
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
