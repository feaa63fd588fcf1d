/*
 * trap_dispatch(): what every interrupt and exception comes to (see traps.h),
 * the exception dump, and the #GP fix-up behind rdmsr_safe()/wrmsr_safe().
 */
#include "arch/x86/traps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/nmi_sleep.h"
#include "arch/x86/vmx/vmx.h"
#include "drivers/console.h"
#include "drivers/lapic.h"
#include "lib/log.h"

/* A request's IPI (hv/vcpu/request.h) only ends a HLT: the waiter looks at its requests. */
static void request_ipi(struct trap_frame *frame)
{
	(void)frame;
	lapic_eoi();
}

static irq_handler_t irq_handlers[IDT_VECTORS] = {[VECTOR_REQUEST] = request_ipi};
/* Vectors already reported as unhandled, one bit each: report once, not per interrupt. */
static uint64_t unhandled_reported[IDT_VECTORS / 64];
/* Per CPU: an exception hit while this CPU was dumping one. */
static volatile bool dumping[MAX_CPUS];

void irq_register(uint8_t vector, irq_handler_t fn)
{
	if (vector < EXC_COUNT) {
		log_err("traps: irq_register: vector %u is an exception vector, refused", vector);
		return;
	}
	__atomic_store_n(&irq_handlers[vector], fn, __ATOMIC_RELEASE);
}

static void unhandled_interrupt(uint64_t vector);

void irq_run_acknowledged(uint8_t vector)
{
	struct trap_frame frame = {.vector = vector};
	irq_handler_t fn = __atomic_load_n(&irq_handlers[vector], __ATOMIC_ACQUIRE);

	if (fn && vector >= EXC_COUNT) {
		fn(&frame);
	} else {
		unhandled_interrupt(vector);
		lapic_eoi();
	}
}

/* A #GP at the armed instruction of rdmsr_safe/wrmsr_safe: resume after it. */
static bool gp_fixup(struct trap_frame *frame)
{
	struct percpu *cpu = this_cpu();

	if (!cpu->fixup_rip || frame->rip != cpu->fixup_rip)
		return false;
	frame->rip = cpu->fixup_to;
	cpu->fixup_rip = 0;
	cpu->fixup_hit = true;
	return true;
}

static void dump_exception(const struct trap_frame *f, uint64_t cr2)
{
	char meaning[96];

	exception_describe_error(f->vector, f->error_code, meaning, sizeof(meaning));
	log_err("exception %s (vector %llu) on cpu%u", exception_name(f->vector),
		(unsigned long long)f->vector, this_cpu()->index);
	if (f->vector == EXC_PF)
		log_err("  error code %#llx: %s, address CR2 %#018llx",
			(unsigned long long)f->error_code, meaning, (unsigned long long)cr2);
	else if (exception_has_error_code(f->vector))
		log_err("  error code %#llx%s%s", (unsigned long long)f->error_code,
			meaning[0] ? ": " : "", meaning);
	log_err("  RIP %#018llx CS  %#06llx RFLAGS %#018llx", (unsigned long long)f->rip,
		(unsigned long long)f->cs, (unsigned long long)f->rflags);
	log_err("  RSP %#018llx SS  %#06llx", (unsigned long long)f->rsp,
		(unsigned long long)f->ss);
	log_err("  RAX %#018llx RBX %#018llx RCX %#018llx", (unsigned long long)f->rax,
		(unsigned long long)f->rbx, (unsigned long long)f->rcx);
	log_err("  RDX %#018llx RSI %#018llx RDI %#018llx", (unsigned long long)f->rdx,
		(unsigned long long)f->rsi, (unsigned long long)f->rdi);
	log_err("  RBP %#018llx R8  %#018llx R9  %#018llx", (unsigned long long)f->rbp,
		(unsigned long long)f->r8, (unsigned long long)f->r9);
	log_err("  R10 %#018llx R11 %#018llx R12 %#018llx", (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	log_err("  R13 %#018llx R14 %#018llx R15 %#018llx", (unsigned long long)f->r13,
		(unsigned long long)f->r14, (unsigned long long)f->r15);
	log_err("  CR0 %#018llx CR2 %#018llx CR3 %#018llx CR4 %#018llx",
		(unsigned long long)read_cr0(), (unsigned long long)cr2,
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

static __noreturn void fatal_exception(const struct trap_frame *f)
{
	uint64_t cr2 = read_cr2(); /* first: a fault in the dump would overwrite it */
	uint32_t me = this_cpu()->index;

	if (me < MAX_CPUS && dumping[me])
		panic("%s (vector %llu) at RIP %#llx while reporting an exception",
		      exception_name(f->vector), (unsigned long long)f->vector,
		      (unsigned long long)f->rip);
	if (me < MAX_CPUS)
		dumping[me] = true;
	/* Frees the console if its holder is stuck (maybe this CPU, faulting inside it). */
	console_force_unlock();
	dump_exception(f, cr2);
	panic("unhandled exception %s at RIP %#llx", exception_name(f->vector),
	      (unsigned long long)f->rip);
}

static void nmi(struct trap_frame *frame)
{
	if (cpu_stop_requested())
		cpu_stop_self();
	/*
	 * On a partition's CPU an NMI is a request's kick out of the guest, which
	 * may land here (hv/vcpu/request.h); just before a VM entry it must make
	 * vmx_enter look at the requests again.
	 */
	if (vmx_enter_nmi_fixup(frame) || nmi_sleep_fixup(frame))
		return;
	if (!this_cpu()->vcpu && !this_cpu()->requests)
		log_warn("traps: NMI on cpu%u, no stop requested: ignored", this_cpu()->index);
}

static void unhandled_interrupt(uint64_t vector)
{
	uint64_t bit = BIT(vector % 64);

	if (__atomic_fetch_or(&unhandled_reported[vector / 64], bit, __ATOMIC_RELAXED) & bit)
		return;
	log_warn("traps: interrupt vector %#llx has no handler: ignored (reported once)",
		 (unsigned long long)vector);
}

void trap_dispatch(struct trap_frame *frame)
{
	uint64_t vector = frame->vector;
	irq_handler_t fn;

	if (vector == EXC_NMI) {
		nmi(frame);
		return;
	}
	/* The guest's interrupts left in a passthrough LAPIC, drained (lapic_reset_for_guest). */
	if (vector >= EXC_COUNT && this_cpu()->lapic_draining) {
		this_cpu()->lapic_drained++;
		lapic_eoi();
		return;
	}
	if (vector < EXC_COUNT) {
		if (vector == EXC_GP && gp_fixup(frame))
			return;
		fatal_exception(frame);
	}
	fn = vector < IDT_VECTORS ? __atomic_load_n(&irq_handlers[vector], __ATOMIC_ACQUIRE) : NULL;
	if (fn)
		fn(frame);
	else
		unhandled_interrupt(vector);
}

/*
 * rdmsr/wrmsr that survive a #GP. The instruction's address is armed in
 * cpu->fixup_rip with the address after it in cpu->fixup_to; gp_fixup() resumes
 * there and sets cpu->fixup_hit. Interrupts are off meanwhile, so a handler
 * that uses these too cannot disarm the fix-up or clear fixup_hit in between.
 * RAX is written by the asm before the memory operands are, so it is
 * early-clobbered: no operand address may live in it.
 */
bool rdmsr_safe(uint32_t msr, uint64_t *value)
{
	uint64_t rflags = read_rflags();
	struct percpu *cpu = this_cpu();
	uint32_t lo, hi = 0;
	bool faulted;

	irq_disable();
	cpu->fixup_hit = false;
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %[rip]\n\t"
			 "leaq 2f(%%rip), %%rax\n\t"
			 "movq %%rax, %[to]\n"
			 "1:\trdmsr\n"
			 "2:"
			 : "=&a"(lo), "+d"(hi), [rip] "=m"(cpu->fixup_rip), [to] "=m"(cpu->fixup_to)
			 : "c"(msr)
			 : "memory");
	cpu->fixup_rip = 0;
	faulted = cpu->fixup_hit;
	cpu->fixup_hit = false;
	if (rflags & RFLAGS_IF)
		irq_enable();
	if (faulted)
		return false;
	*value = ((uint64_t)hi << 32) | lo;
	return true;
}

bool wrmsr_safe(uint32_t msr, uint64_t value)
{
	uint64_t rflags = read_rflags();
	struct percpu *cpu = this_cpu();
	bool faulted;

	irq_disable();
	cpu->fixup_hit = false;
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %[rip]\n\t"
			 "leaq 2f(%%rip), %%rax\n\t"
			 "movq %%rax, %[to]\n\t"
			 "movl %k[lo], %%eax\n"
			 "1:\twrmsr\n"
			 "2:"
			 : [rip] "=m"(cpu->fixup_rip), [to] "=m"(cpu->fixup_to)
			 : "c"(msr), "d"((uint32_t)(value >> 32)), [lo] "r"((uint32_t)value)
			 : "rax", "memory");
	cpu->fixup_rip = 0;
	faulted = cpu->fixup_hit;
	cpu->fixup_hit = false;
	if (rflags & RFLAGS_IF)
		irq_enable();
	return !faulted;
}
