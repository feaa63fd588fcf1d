/*
 * debug: the guest's debug state under Tessera. Hardware breakpoints (an
 * execute breakpoint in DR0, a data write breakpoint in DR1) and DR7.GD must
 * work although VM exits happen between arming and hitting them: DR7 lives in
 * the VMCS and must be saved and loaded on every exit and entry. Single-step
 * (RFLAGS.TF) over an instruction Tessera emulates (CPUID) must trap right
 * after it, as over a plain instruction; after MOV SS the step trap waits for
 * the instruction after it (the MOV SS shadow), and Tessera skipping CPUID
 * must end that shadow, not carry it over to the next instruction. Faults that
 * Tessera injects push RFLAGS with RF set, as hardware delivers faults.
 * Needs Tessera: the #DB handler is the guest's own, installed in IDT slot 1.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "debug";

#define RFLAGS_RF     (1ull << 16)
#define DR6_RESET     0xffff0ff0ull
#define DR6_B0	      (1ull << 0)
#define DR6_B1	      (1ull << 1)
#define DR6_BD	      (1ull << 13)
#define DR6_BS	      (1ull << 14)
#define DR7_RESET     0x400ull
#define DR7_L0	      (1ull << 0)
#define DR7_L1	      (1ull << 2)
#define DR7_GD	      (1ull << 13)
#define DR7_RW1_WRITE (1ull << 20)
#define DR7_LEN1_4    (3ull << 22)
#define MSR_VMX_BASIC 0x480 /* Tessera refuses every VMX MSR with #GP */

/* What the #DB handler (db_handler below) saw; the last delivery wins. */
struct db_record {
	uint64_t count, dr6, rip, rflags;
};
volatile struct db_record db_rec;
volatile uint32_t watch_var __attribute__((aligned(8)));

/*
 * The #DB handler records DR6 and the pushed RIP/RFLAGS, resets DR6, and
 * returns with TF clear (one step per test) and RF set (an instruction
 * breakpoint lets its instruction run). The probes set TF with POPF, so the
 * first instruction traced is the one after the POPF.
 */
__asm__(".text\n"
	"db_handler:\n"
	"	pushq %rax\n"
	"	incq db_rec(%rip)\n"
	"	movq %dr6, %rax\n"
	"	movq %rax, db_rec+8(%rip)\n"
	"	movq 8(%rsp), %rax\n"
	"	movq %rax, db_rec+16(%rip)\n"
	"	movq 24(%rsp), %rax\n"
	"	movq %rax, db_rec+24(%rip)\n"
	"	andq $~0x100, 24(%rsp)\n"
	"	orq $0x10000, 24(%rsp)\n"
	"	movl $0xffff0ff0, %eax\n"
	"	movq %rax, %dr6\n"
	"	popq %rax\n"
	"	iretq\n"
	/* TF over CPUID: the trap comes after CPUID (at step_cpuid_after). */
	"step_cpuid:\n"
	"	pushq %rbx\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	xorl %eax, %eax\n"
	"	xorl %ecx, %ecx\n"
	"	popfq\n"
	"	cpuid\n"
	"step_cpuid_after:\n"
	"	nop\n"
	"	nop\n"
	"	popq %rbx\n"
	"	ret\n"
	/* TF over a plain instruction. */
	"step_nop:\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	nop\n"
	"step_nop_after:\n"
	"	nop\n"
	"	nop\n"
	"	ret\n"
	/* TF, then MOV SS; CPUID: one trap, after the CPUID. */
	"step_movss_cpuid:\n"
	"	pushq %rbx\n"
	"	movw %ss, %dx\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	xorl %eax, %eax\n"
	"	xorl %ecx, %ecx\n"
	"	popfq\n"
	"	movw %dx, %ss\n"
	"	cpuid\n"
	"step_movss_cpuid_after:\n"
	"	nop\n"
	"	nop\n"
	"	popq %rbx\n"
	"	ret\n"
	/* Breakpoints armed by the caller; a CPUID exit before each hit. */
	"exec_bp:\n"
	"	pushq %rbx\n"
	"	xorl %eax, %eax\n"
	"	cpuid\n"
	"	call exec_bp_target\n"
	"	popq %rbx\n"
	"	ret\n"
	"exec_bp_target:\n"
	"	nop\n"
	"	ret\n"
	/* The same breakpoint hit with no exit after arming it: does this CPU have them? */
	"exec_bp_native:\n"
	"	call exec_bp_target\n"
	"	ret\n"
	"data_bp:\n"
	"	pushq %rbx\n"
	"	xorl %eax, %eax\n"
	"	cpuid\n"
	"	movl $1, watch_var(%rip)\n"
	"data_bp_after:\n"
	"	nop\n"
	"	popq %rbx\n"
	"	ret\n"
	"gd_probe:\n"
	"	pushq %rbx\n"
	"	xorl %eax, %eax\n"
	"	cpuid\n"
	"gd_mov:\n"
	"	movq %dr0, %rax\n"
	"	popq %rbx\n"
	"	ret\n");

void db_handler(void);
void step_cpuid(void), step_nop(void), step_movss_cpuid(void), exec_bp(void), data_bp(void);
void gd_probe(void), exec_bp_native(void);
extern const char step_cpuid_after[], step_nop_after[], step_movss_cpuid_after[];
extern const char exec_bp_target[], data_bp_after[], gd_mov[];

static void install_db_handler(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	volatile uint16_t *gate = (volatile uint16_t *)(uintptr_t)(idtr.base + 16 * EXC_DB);
	uint64_t a = (uint64_t)(uintptr_t)db_handler;

	/* Offset 15:0, 31:16 and 63:32; selector and gate type stay as the library set them. */
	gate[0] = (uint16_t)a;
	gate[3] = (uint16_t)(a >> 16);
	gate[4] = (uint16_t)(a >> 32);
	gate[5] = (uint16_t)(a >> 48);
}

/*
 * Runs fn with the #DB record and DR6 cleared and DR7 = dr7 (set last: DR7.GD
 * makes every later MOV DR fault); checks one #DB at `rip` with `dr6_bit` in DR6.
 */
static void expect_db(const char *what, void (*fn)(void), uint64_t dr7, const void *rip,
		      uint64_t dr6_bit)
{
	db_rec.count = db_rec.dr6 = db_rec.rip = db_rec.rflags = 0;
	write_dr6(DR6_RESET);
	write_dr7(dr7);
	fn();
	checkf(db_rec.count == 1 && db_rec.rip == (uint64_t)(uintptr_t)rip &&
		   (db_rec.dr6 & dr6_bit),
	       what, "%llu #DB, last at RIP %#llx (want one at %p), DR6 %#llx (want bit %#llx)",
	       (unsigned long long)db_rec.count, (unsigned long long)db_rec.rip, rip,
	       (unsigned long long)db_rec.dr6, (unsigned long long)dr6_bit);
}

/*
 * Bochs built without its x86 debugger (--enable-x86-debugger=no, as
 * tests/setup/build-bochs.sh builds it) keeps DR0-DR3 and DR7 but never
 * matches a breakpoint; real CPUs do. Probed with no exit in between.
 */
static bool cpu_has_breakpoints(void)
{
	db_rec.count = 0;
	write_dr7(DR7_RESET | DR7_L0);
	exec_bp_native();
	write_dr7(DR7_RESET);
	return db_rec.count == 1;
}

static void check_breakpoints(void)
{
	static const char why[] = "this CPU matches no DR0-DR3 breakpoint (Bochs without its "
				  "x86 debugger)";

	write_dr0((uint64_t)(uintptr_t)exec_bp_target);
	write_dr7(DR7_RESET | DR7_L0);
	(void)cpuid(0);
	check_eq("dr7-kept-across-exit", read_dr7(), DR7_RESET | DR7_L0);
	write_dr7(DR7_RESET);
	if (cpu_has_breakpoints()) {
		expect_db("exec-breakpoint-b0", exec_bp, DR7_RESET | DR7_L0, exec_bp_target,
			  DR6_B0);
		write_dr1((uint64_t)(uintptr_t)&watch_var);
		expect_db("data-write-breakpoint-b1", data_bp,
			  DR7_RESET | DR7_L1 | DR7_RW1_WRITE | DR7_LEN1_4, data_bp_after, DR6_B1);
		write_dr7(DR7_RESET);
		check_eq("data-write-done", watch_var, 1);
	} else {
		skip("exec-breakpoint-b0", why);
		skip("data-write-breakpoint-b1", why);
	}

	/* The #DB clears DR7.GD, so MOV DR works again in the handler and after it. */
	expect_db("dr7-gd-mov-dr-bd", gd_probe, DR7_RESET | DR7_GD, gd_mov, DR6_BD);
	check_eq("dr7-gd-cleared-by-db", read_dr7() & DR7_GD, 0);
	write_dr7(DR7_RESET);
}

static void vmxoff_probe(void *arg)
{
	(void)arg;
	__asm__ volatile("vmxoff" ::: "cc", "memory");
}

static void rdmsr_probe(void *arg)
{
	(void)arg;
	(void)rdmsr(MSR_VMX_BASIC);
}

static void ud2_probe(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

/* A fault's pushed RFLAGS has RF set, whether hardware or Tessera delivers it. */
static void check_fault_rf(const char *what, int vector, void (*fn)(void *))
{
	struct exc_info info;

	if (!exc_expect(vector, fn, NULL, &info)) {
		checkf(false, what, "%s not raised (saw %s)", exc_name(vector),
		       exc_name(info.other_vector));
		return;
	}
	checkf(info.rflags & RFLAGS_RF, what, "pushed RFLAGS %#llx without RF",
	       (unsigned long long)info.rflags);
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	if (!check(on_tessera(), "on-tessera"))
		guest_finish();
	install_db_handler();
	expect_db("single-step-nop-bs", step_nop, DR7_RESET, step_nop_after, DR6_BS);
	expect_db("single-step-cpuid-bs", step_cpuid, DR7_RESET, step_cpuid_after, DR6_BS);
	expect_db("single-step-movss-cpuid-bs", step_movss_cpuid, DR7_RESET, step_movss_cpuid_after,
		  DR6_BS);
	check_breakpoints();
	check_fault_rf("hardware-ud-rf", EXC_UD, ud2_probe);
	check_fault_rf("injected-ud-rf", EXC_UD, vmxoff_probe);
	check_fault_rf("injected-gp-rf", EXC_GP, rdmsr_probe);
}
