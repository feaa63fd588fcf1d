/*
 * The console shell: what Tessera does with the console input when it has the
 * focus (Ctrl-A three times until "input goes to Tessera"). The line editor
 * and the parser are hv/shell/shell_parse.c; this file runs checked commands.
 *
 * It runs on the housekeeping CPU, inside its wait loop (console_input_poll),
 * and never waits: stop, restart and start change a partition's state and send
 * requests (hv/partition/partition_run.c), regs asks the vCPU's own CPU to dump
 * its registers (REQUEST_DUMP), and a command runs only when Tessera's console
 * ring has room for all it prints, so the housekeeper never waits for the UART
 * (shell_ready). Its answers are "shell: " lines printed at every log level.
 */
#include "hv/shell/shell.h"
#include "hv/shell/shell_parse.h"
#include "hv/dev/console_input.h"
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "hv/vcpu/request.h"
#include "arch/x86/vmx/vmx_exit.h"
#include "drivers/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/log.h"
#include "drivers/tsc.h"
#include "arch/x86/cpu.h"

/* The most a command prints: `stats` with every exit reason counted, or `help`. */
#define SHELL_OUTPUT_MAX 4096

static struct shell_line line;
static struct shell_env env;
static bool pending; /* line.buf holds a line waiting for console room */

void shell_init(void)
{
	env.nr_targets = MIN(nr_partitions, (uint32_t)SHELL_TARGETS_MAX);
	for (uint32_t i = 0; i < env.nr_targets; i++) {
		env.name[i] = partitions[i].name;
		env.nr_vcpus[i] = partitions[i].nr_vcpus;
		env.has_vuart[i] = partition_has_vuart(&partitions[i]);
	}
}

void shell_greet(void)
{
	log_always("shell: ready (help lists the commands; Ctrl-A three times: next)");
}

static void cmd_help(void)
{
	for (uint32_t i = 0; i < shell_nr_commands(); i++)
		log_always("shell:   %-16s %s", shell_command_usage(i), shell_command_help(i));
}

/* The mode the vLAPIC timer runs in (timer = auto resolved at set-up: vtimer.c). */
static const char *timer_name(const struct partition *p)
{
	if (!p->nr_vcpus)
		return "-";
	if (partition_lapic_pt(p))
		return "lapic-pt";
	return p->vcpus[0]->apic.timer_posted ? "posted" : "emulated";
}

static uint64_t exits_total(const struct partition *p)
{
	uint64_t n = 0;

	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++)
		n += partition_exit_count(p, r);
	return n;
}

/* "1,2,3": the physical CPUs the partition's vCPUs run on. */
static void cpu_list(const struct partition *p, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < p->nr_vcpus && n < size; i++)
		n += (size_t)fmt_snprintf(buf + n, size - n, i ? ",%u" : "%u",
					  p->vcpus[i]->cpu->index);
	if (!p->nr_vcpus)
		str_copy(buf, "-", size);
}

static void cmd_list(void)
{
	char cpus[64];

	log_always("shell: %-12s %-10s %-8s %8s %-8s %8s %10s", "NAME", "STATE", "CPUS", "MEMORY",
		   "TIMER", "RESTARTS", "EXITS");
	for (uint32_t i = 0; i < nr_partitions; i++) {
		const struct partition *p = &partitions[i];

		cpu_list(p, cpus, sizeof(cpus));
		log_always("shell: %-12s %-10s %-8s %4llu MiB %-8s %8u %10llu", p->name,
			   partition_state_name(p), cpus,
			   (unsigned long long)(p->cfg ? p->cfg->memory / MiB : 0), timer_name(p),
			   p->restarts, (unsigned long long)exits_total(p));
	}
}

static void cmd_stats(const struct partition *p)
{
	log_always("shell: %s: %s%s%s%s, %u vCPU(s), %u restart(s), console %llu lines %llu "
		   "bytes out, %llu bytes dropped",
		   p->name, partition_state_name(p), p->stop_reason ? " (" : "",
		   p->stop_reason ? p->stop_reason : "", p->stop_reason ? ")" : "", p->nr_vcpus,
		   p->restarts, (unsigned long long)p->console.lines,
		   (unsigned long long)p->console.bytes,
		   (unsigned long long)console_ring_dropped(&p->console));
	if (partition_has_vuart(p)) {
		char input[128];

		vuart_describe_input(&p->vuart, input, sizeof(input));
		log_always("shell: %s: %s", p->name, input);
	}
	/* The time of the counts, so that two of them give rates (tests/system/linux-hyperv.sh). */
	if (p->state == PARTITION_RUNNING)
		log_always("shell: %s: time %llu TSC ticks since its boot, TSC %llu kHz", p->name,
			   (unsigned long long)(rdtsc() - p->boot_tsc),
			   (unsigned long long)tsc_khz());
	for (uint32_t r = 0; r < EXIT_REASON_MAX; r++) {
		uint64_t n = partition_exit_count(p, r);

		if (n)
			log_always("shell: %s: exits: %-28s %llu", p->name, vmx_exit_reason_name(r),
				   (unsigned long long)n);
	}
	log_always("shell: %s: exits: %-28s %llu", p->name, "total",
		   (unsigned long long)exits_total(p));
}

static const char *const ctl_why[] = {
    [PARTITION_CTL_NOT_RUNNING] = "is not running",
    [PARTITION_CTL_RUNNING] = "is running (stop or restart it)",
    [PARTITION_CTL_BUSY] = "is still on its way out; try again",
    [PARTITION_CTL_NEVER] = "was never started (it failed to build)",
};

static void cmd_control(struct partition *p, enum shell_op op)
{
	static const char *const done[] = {
	    [SHELL_STOP] = "stopping: its vCPUs leave the guest and wait (start resumes it)",
	    [SHELL_RESTART] = "restarting: its vCPUs leave the guest, then it boots again",
	    [SHELL_START] = "starting: it boots again from its image",
	};
	enum partition_ctl r = op == SHELL_START ? partition_shell_start(p)
						 : partition_shell_stop(p, op == SHELL_RESTART);

	if (r == PARTITION_CTL_OK)
		log_always("shell: %s: %s", p->name, done[op]);
	else
		log_always("shell: error: %s: partition %s %s; nothing changed",
			   op == SHELL_START  ? "start"
			   : op == SHELL_STOP ? "stop"
					      : "restart",
			   p->name, r < ARRAY_SIZE(ctl_why) && ctl_why[r] ? ctl_why[r] : "refused");
}

static void cmd_regs(struct partition *p, uint32_t index)
{
	struct vcpu *v = p->vcpus[index];

	if (p->state != PARTITION_RUNNING) {
		log_always("shell: error: regs: partition %s is not running; nothing changed",
			   p->name);
		return;
	}
	request_send(v->cpu, REQ(DUMP)); /* its CPU dumps at its next look at its requests */
	log_always("shell: %s: vCPU %u dumps its registers on CPU %u%s", p->name, index,
		   v->cpu->index,
		   log_get_level() < LOG_INFO ? " (info lines, hidden at this log level)" : "");
}

static void cmd_hv_cpuid(const struct partition *p)
{
	if (!p->hv) {
		log_always("shell: %s: hyperv = off: no Hyper-V leaves (CPUID 0x40000000 is "
			   "Tessera's)",
			   p->name);
		return;
	}
	for (uint32_t i = 0; i < HV_CPUID_COUNT; i++) {
		const struct cpuid_regs *c = &p->hv->cpuid.leaf[i];

		log_always("shell: %s: leaf %#x: eax %08x ebx %08x ecx %08x edx %08x (%s)", p->name,
			   HV_CPUID_FIRST + i, c->eax, c->ebx, c->ecx, c->edx,
			   hv_cpuid_leaf_name(i));
	}
}

static void run(const struct shell_cmd *c)
{
	struct partition *p = &partitions[c->target];

	switch (c->op) {
	case SHELL_HELP:
		cmd_help();
		break;
	case SHELL_LIST:
		cmd_list();
		break;
	case SHELL_STATS:
		cmd_stats(p);
		break;
	case SHELL_STOP:
	case SHELL_RESTART:
	case SHELL_START:
		cmd_control(p, c->op);
		break;
	case SHELL_REGS:
		cmd_regs(p, c->vcpu);
		break;
	case SHELL_HV_CPUID:
		cmd_hv_cpuid(p);
		break;
	case SHELL_LOG:
		log_set_level((enum log_level)c->level);
		log_always("shell: log level %s: Tessera's lines up to %s are shown",
			   shell_level_name(c->level), shell_level_name(c->level));
		break;
	case SHELL_ATTACH:
		log_always("shell: attach: console input goes to partition %s", p->name);
		console_input_attach(c->target);
		break;
	default:
		break;
	}
}

static void run_line(const char *text)
{
	struct shell_cmd cmd;
	char err[SHELL_ERR_MAX];
	int r = shell_parse(text, &env, &cmd, err);

	if (r == 0)
		return;
	log_always("shell> %s", text);
	if (r < 0)
		log_always("shell: error: %s; nothing changed", err);
	else
		run(&cmd);
}

bool shell_ready(void)
{
	if (pending && console_room() >= SHELL_OUTPUT_MAX) {
		pending = false;
		run_line(line.buf);
	}
	return !pending;
}

void shell_feed(uint8_t c)
{
	switch (shell_line_feed(&line, c)) {
	case SHELL_FEED_LINE:
		pending = true; /* run now, or when the console has room */
		shell_ready();
		break;
	case SHELL_FEED_TOO_LONG:
		log_always("shell: error: line longer than %u characters; nothing changed",
			   SHELL_LINE_MAX);
		break;
	case SHELL_FEED_BAD_BYTE:
		log_always("shell: error: the line held a byte that is not printable ASCII; "
			   "nothing changed");
		break;
	case SHELL_FEED_CANCELLED:
		log_always("shell: line cancelled (Ctrl-C)");
		break;
	default:
		break;
	}
}
