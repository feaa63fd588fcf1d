/*
 * exceptions: faults and traps reach the guest's own IDT with the right
 * vector, error code and CR2, and the guest resumes after the faulting
 * instruction. Also the library's own machinery: abandoning a function on an
 * unexpected vector or an undecodable fault, and a #PF taken at CPL 3.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "exceptions";

#define UNMAPPED_ADDR 0x8000000000ull /* 512 GiB: no PML4 entry */
#define NONCANONICAL  0x8000000000000000ull
#define BAD_SELECTOR  0x1230 /* GDT index 0x246, beyond the limit */
#define PF_ERR_WRITE  (1u << 1)
#define PF_ERR_USER   (1u << 2)

/* What a probe saw: where its faulting instruction was, and that it went on. */
struct probe {
	uint64_t insn, next;
	bool resumed;
};

static void probe_ud(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %0\n1: ud2\n" : "=r"(p->insn));
	p->resumed = true;
}

static void probe_de(void *arg)
{
	struct probe *p = arg;
	uint32_t eax = 1, edx = 0, zero = 0;

	__asm__ volatile("lea 1f(%%rip), %0\n1: divl %3\n"
			 : "=&r"(p->insn), "+a"(eax), "+d"(edx)
			 : "r"(zero));
	p->resumed = true;
}

static void probe_bp(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %0\n1: int3\n2: lea 2b(%%rip), %1\n"
			 : "=&r"(p->insn), "=r"(p->next));
	p->resumed = true;
}

static void probe_gp_selector(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %0\n1: movw %w1, %%ds\n"
			 : "=&r"(p->insn)
			 : "r"(BAD_SELECTOR));
	p->resumed = true;
}

static void probe_gp_noncanonical(void *arg)
{
	struct probe *p = arg;
	uint64_t v;

	__asm__ volatile("lea 1f(%%rip), %0\n1: movq (%2), %1\n"
			 : "=&r"(p->insn), "=r"(v)
			 : "r"(NONCANONICAL));
	p->resumed = true;
}

static void probe_pf_read(void *arg)
{
	struct probe *p = arg;
	uint64_t v;

	__asm__ volatile("lea 1f(%%rip), %0\n1: movq (%2), %1\n"
			 : "=&r"(p->insn), "=r"(v)
			 : "r"(UNMAPPED_ADDR + 0x123));
	p->resumed = true;
}

static void probe_pf_write(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %0\n1: movl $0x5a5a, (%1)\n"
			 : "=&r"(p->insn)
			 : "r"(UNMAPPED_ADDR + 0x2000)
			 : "memory");
	p->resumed = true;
}

static long user_pf_read(void *arg)
{
	probe_pf_read(arg);
	return 7;
}

static void probe_pf_user(void *arg)
{
	long result = 0;

	run_user(user_pf_read, arg, &result);
	((struct probe *)arg)->next = (uint64_t)result;
}

static void probe_int(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %0\n1: int $0x41\n" : "=r"(p->insn));
	p->resumed = true;
}

static void probe_pf_fetch(void *arg)
{
	struct probe *p = arg;

	((void (*)(void))UNMAPPED_ADDR)();
	p->resumed = true;
}

/* The fixed-up instructions report their exception instead of dying of it. */
static long user_rdmsr(void *arg)
{
	uint64_t v;

	(void)arg;
	return rdmsr_safe(0xc0000080, &v); /* IA32_EFER: #GP at CPL 3 */
}

static long user_wrmsr(void *arg)
{
	(void)arg;
	return wrmsr_safe(0xc0000080, 0);
}

static void check_safe_helpers(void)
{
	long r = 0;

	check(run_user(user_rdmsr, NULL, &r) && r == EXC_GP, "rdmsr-safe-cpl3-gp");
	check(run_user(user_wrmsr, NULL, &r) && r == EXC_GP, "wrmsr-safe-cpl3-gp");
	int e = hypercall_safe(TESSERA_HC_ABI_VERSION, 0, 0, 0, 0, &r);
	if (on_tessera())
		check(e == EXC_NONE && r == TESSERA_ABI_VERSION, "hypercall-safe");
	else
		checkf(e == EXC_UD, "vmcall-without-hypervisor-ud", "raised %d (%s)", e,
		       exc_name(e));
}

/* Runs one probe expecting `vector`; checks vector, place, error code, resumption. */
static struct exc_info expect_at(const char *name, int vector, void (*fn)(void *), struct probe *p,
				 uint64_t error_code)
{
	struct exc_info info;
	char what[48];

	*p = (struct probe){0};
	bool raised = exc_expect(vector, fn, p, &info);
	guest_snprintf(what, sizeof(what), "%s-raised", name);
	checkf(raised && info.count == 1, what, "vector %d (%s) count %u, other %d (%s) at %#llx",
	       info.vector, exc_name(info.vector), info.count, info.other_vector,
	       exc_name(info.other_vector), (unsigned long long)info.rip);
	guest_snprintf(what, sizeof(what), "%s-error-code", name);
	check_eq(what, info.error_code, error_code);
	guest_snprintf(what, sizeof(what), "%s-resumed", name);
	checkf(p->resumed && info.completed, what, "resumed %d completed %d", p->resumed,
	       info.completed);
	return info;
}

void guest_main(const struct guest_boot *boot)
{
	struct probe p;
	struct exc_info info;

	(void)boot;
	info = expect_at("ud", EXC_UD, probe_ud, &p, 0);
	check_eq("ud-rip", info.rip, p.insn);

	info = expect_at("de", EXC_DE, probe_de, &p, 0);
	check_eq("de-rip", info.rip, p.insn);

	info = expect_at("bp", EXC_BP, probe_bp, &p, 0);
	check_eq("bp-rip-after-int3", info.rip, p.next); /* a trap: RIP is past it */

	info = expect_at("gp-selector", EXC_GP, probe_gp_selector, &p, BAD_SELECTOR);
	check_eq("gp-selector-rip", info.rip, p.insn);

	info = expect_at("gp-noncanonical", EXC_GP, probe_gp_noncanonical, &p, 0);
	check_eq("gp-noncanonical-rip", info.rip, p.insn);

	info = expect_at("pf-read", EXC_PF, probe_pf_read, &p, 0);
	check_eq("pf-read-cr2", info.cr2, UNMAPPED_ADDR + 0x123);
	check_eq("pf-read-rip", info.rip, p.insn);

	info = expect_at("pf-write", EXC_PF, probe_pf_write, &p, PF_ERR_WRITE);
	check_eq("pf-write-cr2", info.cr2, UNMAPPED_ADDR + 0x2000);

	info = expect_at("pf-user", EXC_PF, probe_pf_user, &p, PF_ERR_USER);
	check_eq("pf-user-cr2", info.cr2, UNMAPPED_ADDR + 0x123);
	check_eq("pf-user-cpl3", info.cs & 3, 3);
	check_eq("pf-user-returned", p.next, 7);

	info = expect_at("int41", 0x41, probe_int, &p, 0);

	/* A fault on instruction fetch cannot be stepped over: the function is abandoned. */
	p = (struct probe){0};
	check(exc_expect(EXC_PF, probe_pf_fetch, &p, &info), "pf-fetch-raised");
	check_eq("pf-fetch-cr2", info.cr2, UNMAPPED_ADDR);
	check(!info.completed && !p.resumed, "pf-fetch-abandoned");

	/* Another vector than the one expected abandons the function. */
	p = (struct probe){0};
	check(!exc_expect(EXC_GP, probe_ud, &p, &info), "wrong-vector-not-reported");
	check_eq("wrong-vector-other", (uint64_t)info.other_vector, EXC_UD);
	check(!info.completed && !p.resumed, "wrong-vector-abandoned");

	check_safe_helpers();

	/* After all that the guest still runs normally at CPL 0 on its stack. */
	check_eq("cpl0-after", read_cs(), GUEST_SEL_CODE64);
}
