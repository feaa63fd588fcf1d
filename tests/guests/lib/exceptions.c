/*
 * The guest's IDT and TSS, and what happens on an exception: a fixed-up
 * instruction (rdmsr_safe...) continues after itself, an expected exception
 * (exc_expect) is recorded and the code resumes after the faulting
 * instruction, anything else is a test failure that ends the guest.
 */
#include "tests/guests/lib/exceptions.h"
#include "tests/guests/lib/insn_len.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

#define IDT_ENTRIES    256
#define GATE_INTERRUPT 0x8e00 /* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3      0x6000
#define IST_DF	       1
#define RFLAGS_FIXED   0x2
#define PF_ERR_FETCH   (1u << 4)

struct idt_gate {
	uint16_t offset_lo, selector, flags, offset_mid;
	uint32_t offset_hi, reserved;
};

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct fixup {
	uint64_t insn, resume;
};

extern const uint64_t exc_vector_table[IDT_ENTRIES];
extern uint64_t guest_gdt[GUEST_GDT_ENTRIES];
extern const struct fixup __guest_fixup_start[], __guest_fixup_end[];

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t irq_stack[GUEST_IRQ_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t df_stack[GUEST_DF_STACK_SIZE] __attribute__((aligned(16)));

/* The armed exc_expect(), if any. */
static struct {
	bool armed;
	int vector;
	struct exc_info *info;
	struct exc_context ctx;
} expect;

/* Nesting of exc_dispatch per CPU: APs take interrupts at the same time as the BSP. */
static unsigned dispatch_depth_of[GUEST_MAX_CPUS];

static const char *const names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
    "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE",  "#CP",
    "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *exc_name(int vector)
{
	if (vector >= 0 && vector < 32)
		return names[vector];
	return vector < 0 ? "none" : "interrupt";
}

void exceptions_init(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint64_t a = exc_vector_table[v];
		uint16_t flags = GATE_INTERRUPT;

		if (v == GUEST_VEC_USER_RETURN || v == EXC_BP)
			flags |= GATE_DPL3; /* reachable by INT n / INT3 from CPL 3 */
		if (v == EXC_DF)
			flags |= IST_DF;
		idt[v] = (struct idt_gate){(uint16_t)a,		GUEST_SEL_CODE64,    flags,
					   (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
	}
	struct desc_ptr idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));

	tss.rsp[0] = (uint64_t)(irq_stack + sizeof(irq_stack));
	tss.ist[IST_DF - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: CPL 3 has no port access */
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	unsigned slot = GUEST_SEL_TSS / 8;
	guest_gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			  (((base >> 24) & 0xff) << 56);
	guest_gdt[slot + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(GUEST_SEL_TSS));
}

void exc_resume_context(struct exc_frame *f, const struct exc_context *ctx, uint64_t value)
{
	f->rbx = ctx->rbx;
	f->rbp = ctx->rbp;
	f->r12 = ctx->r12;
	f->r13 = ctx->r13;
	f->r14 = ctx->r14;
	f->r15 = ctx->r15;
	f->rsp = ctx->rsp;
	f->rax = value;
	f->cs = GUEST_SEL_CODE64;
	f->ss = GUEST_SEL_DATA;
	f->rflags = RFLAGS_FIXED;
	extern const char ctx_landing[];
	f->rip = (uint64_t)ctx_landing;
}

static bool apply_fixup(struct exc_frame *f)
{
	for (const struct fixup *x = __guest_fixup_start; x < __guest_fixup_end; x++) {
		if (x->insn == f->rip) {
			exc_fixup_vector = (int)f->vector;
			f->rip = x->resume;
			return true;
		}
	}
	return false;
}

/* Traps report the address after the instruction; faults the instruction itself. */
static bool is_trap(uint64_t vector)
{
	return vector == EXC_BP || vector == EXC_OF || vector >= 32;
}

static void abandon(struct exc_frame *f)
{
	expect.armed = false;
	expect.info->completed = false;
	user_abandon();
	exc_resume_context(f, &expect.ctx, 1);
}

static void handle_expected(struct exc_frame *f, uint64_t cr2)
{
	struct exc_info *info = expect.info;

	if ((int)f->vector != expect.vector) {
		info->other_vector = (int)f->vector;
		info->error_code = f->error_code;
		info->rip = f->rip;
		info->cr2 = cr2;
		abandon(f);
		return;
	}
	if (info->count++ == 0) {
		info->vector = (int)f->vector;
		info->error_code = f->error_code;
		info->rip = f->rip;
		info->cr2 = cr2;
		info->cs = (uint16_t)f->cs;
		info->rflags = f->rflags;
	}
	if (is_trap(f->vector))
		return;
	/* A fault on fetching the instruction itself leaves nothing to decode. */
	if (f->vector == EXC_PF && (cr2 == f->rip || (f->error_code & PF_ERR_FETCH))) {
		abandon(f);
		return;
	}
	unsigned len = insn_len64((const uint8_t *)f->rip, INSN_MAX_LEN);
	if (len == 0 || info->count > 1000) { /* undecodable, or faulting in a loop */
		abandon(f);
		return;
	}
	f->rip += len;
}

static __noreturn void unexpected(const struct exc_frame *f, uint64_t cr2)
{
	guest_printf("guest %s: RAX %#llx RBX %#llx RCX %#llx RDX %#llx RSI %#llx RDI %#llx\n",
		     guest_name, (unsigned long long)f->rax, (unsigned long long)f->rbx,
		     (unsigned long long)f->rcx, (unsigned long long)f->rdx,
		     (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	checkf(
	    false, "unexpected-exception",
	    "vector %llu (%s) error %#llx at RIP %#llx CS %#llx RFLAGS %#llx RSP %#llx CR2 %#llx",
	    (unsigned long long)f->vector, exc_name((int)f->vector),
	    (unsigned long long)f->error_code, (unsigned long long)f->rip,
	    (unsigned long long)f->cs, (unsigned long long)f->rflags, (unsigned long long)f->rsp,
	    (unsigned long long)cr2);
	guest_finish();
}

void exc_dispatch(struct exc_frame *f)
{
	uint64_t cr2 = read_cr2();

	unsigned *depth = &dispatch_depth_of[guest_cpu_index()];

	if (++*depth > 2) { /* faulting while reporting a fault: just stop */
		outl(TESSERA_DEBUG_EXIT_PORT, 1);
		halt_forever();
	}
	if (f->vector < 32 && apply_fixup(f)) {
		/* done */
	} else if ((f->vector >= 32 || f->vector == EXC_NMI) && irq_dispatch((uint8_t)f->vector)) {
		/* an interrupt a guest installed a handler for */
	} else if (f->vector == GUEST_VEC_USER_RETURN && (f->cs & 3) == 3 && user_return(f)) {
		/* done */
	} else if (expect.armed && *depth == 1) {
		handle_expected(f, cr2);
	} else {
		unexpected(f, cr2);
	}
	(*depth)--;
}

static void run_expected(void *arg)
{
	(void)arg;
}

bool exc_expect(int vector, void (*fn)(void *arg), void *arg, struct exc_info *info)
{
	struct exc_info local;

	if (!info)
		info = &local;
	*info = (struct exc_info){.vector = EXC_NONE, .other_vector = EXC_NONE};
	if (expect.armed) {
		info->completed = false;
		checkf(false, "exc-expect-nested", "exc_expect() called inside exc_expect()");
		return false;
	}
	expect.vector = vector;
	expect.info = info;
	expect.armed = true;
	uint64_t abandoned = ctx_call(&expect.ctx, fn ? fn : run_expected, arg);
	expect.armed = false;
	info->completed = abandoned == 0;
	return info->count > 0 && info->vector == vector;
}
