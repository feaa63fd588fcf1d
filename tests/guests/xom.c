/*
 * xom: execute-only memory through the alias bit (xom = on | user,
 * docs/memory-protection.md), from 64-bit paging. Tessera's CPUID leaf gives
 * the alias bit and CPUID 0x80000008 reports one physical-address bit fewer;
 * a page of code mapped through the alias executes, and a read or a write
 * through it is a #PF with P=1, W as the access, U as the CPL, I/D=0 and CR2
 * the linear address, the page unchanged; the same page through the lower
 * mapping stays readable. With "mode=user" (xom = user, MBEC) the alias
 * executes only through user pages (U/S=1 in the guest's paging): a fetch
 * through a supervisor page of it is #PF with I/D=1. With "mode=off" none
 * of it is offered. Then the figure: one #PF round trip through the alias
 * against an ordinary not-present #PF through the same handler.
 *
 * Command line: "mode=on|user|off bit=N" (N: the alias bit expected, 39 in Bochs).
 */
#include "tests/guests/memprot_common.h"

const char guest_name[] = "xom";

/* mov $0x5a5a, %eax; ret */
static uint8_t code[4096] __attribute__((aligned(4096))) = {0xb8, 0x5a, 0x5a, 0x00, 0x00, 0xc3};

static void read_at(void *va)
{
	uint64_t v;

	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(va) : "memory");
}

static void write_at(void *va)
{
	__asm__ volatile("movq %1, (%0)" : : "r"(va), "r"(0x1111ull) : "memory");
}

static void call_at(void *va)
{
	uint32_t r = ((uint32_t(*)(void))va)();

	*(volatile uint32_t *)&code[0x800] = r;
}

static long user_read(void *va)
{
	read_at(va);
	return 7;
}

static long user_call(void *va)
{
	return (long)((uint32_t(*)(void))va)();
}

static void user_read_fn(void *va)
{
	long r = 0;

	run_user(user_read, va, &r);
}

static void check_pf(const char *what, void (*fn)(void *), void *va, uint32_t want_err)
{
	struct exc_info e;
	char name[48];

	exc_expect(EXC_PF, fn, va, &e);
	guest_snprintf(name, sizeof(name), "%s-pf", what);
	check_eq(name, (uint64_t)e.vector, EXC_PF);
	guest_snprintf(name, sizeof(name), "%s-error-code", what);
	check_eq(name, e.error_code, want_err);
	guest_snprintf(name, sizeof(name), "%s-cr2", what);
	check_eq(name, e.cr2, (uint64_t)(uintptr_t)va);
}

static unsigned cmd_bit(const struct guest_boot *boot, char *mode, size_t size)
{
	char buf[16];
	uint64_t bit = 0;

	if (!mp_arg(boot, "mode", mode, size))
		guest_snprintf(mode, size, "on");
	if (mp_arg(boot, "bit", buf, sizeof(buf)))
		parse_u64(buf, &bit);
	return (unsigned)bit;
}

/* One #PF round trip through exc_expect: average instructions (the TSC counts them). */
static uint64_t pf_cost(void *va)
{
	struct exc_info e;
	uint64_t t0 = mp_rdtscp_fence();

	for (unsigned i = 0; i < 16; i++)
		exc_expect(EXC_PF, read_at, va, &e);
	return (mp_rdtscp_fence() - t0) / 16;
}

static void bench(void *alias_va)
{
	void *absent = mp_map(3, 0);
	uint64_t xom = pf_cost(alias_va), native = pf_cost(absent);

	guest_printf("bench: xom #PF round trip %llu instructions (a not-present #PF, same "
		     "handler: %llu; Tessera's part %llu)\n",
		     (unsigned long long)xom, (unsigned long long)native,
		     (unsigned long long)(xom - native));
}

void guest_main(const struct guest_boot *boot)
{
	char mode[8];
	unsigned want_bit = cmd_bit(boot, mode, sizeof(mode));
	struct cpuid_regs f = cpuid(TESSERA_CPUID_FEATURES);
	unsigned bit = f.ecx & TESSERA_CPUID_XOM_BIT_MASK;
	bool user = !strcmp(mode, "user");

	if (!strcmp(mode, "off")) {
		check(!(f.eax & (TESSERA_FEAT_XOM | TESSERA_FEAT_XOM_USER)), "off-no-feature");
		check_eq("off-no-bit", bit, 0);
		check((cpuid(0x80000008).eax & 0xff) > want_bit, "off-full-width");
		guest_finish();
	}
	check(f.eax & TESSERA_FEAT_XOM, "feature");
	check_eq("feature-user", !!(f.eax & TESSERA_FEAT_XOM_USER), user);
	check_eq("alias-bit", bit, want_bit);
	check_eq("phys-width", cpuid(0x80000008).eax & 0xff, bit);
	if (!bit)
		guest_finish();

	uint64_t code_gpa = (uint64_t)(uintptr_t)code, alias = 1ull << bit;
	uint64_t ept_before = mp_exits(EXIT_EPT_VIOL);
	unsigned faults = 0;

	mp_tables();
	void *x = mp_map(0, (code_gpa | alias) | MP_PTE); /* through the alias */
	void *low = mp_map(1, code_gpa | MP_PTE);	  /* the same page below */

	check_eq("lower-readable", *(volatile uint8_t *)low, 0xb8);
	if (!user) {
		struct exc_info e;

		check(!exc_expect(EXC_PF, call_at, x, &e) && e.completed, "execute");
		check_eq("execute-result", *(volatile uint32_t *)&code[0x800], 0x5a5a);
	} else {
		long r = 0;

		/* MBEC goes by the page's U/S: a supervisor page of the alias cannot execute. */
		void *xs = mp_map(2, (code_gpa | alias) | 0x3);

		check_pf("supervisor-fetch", call_at, xs, 0x11); /* P, I/D */
		faults++;
		check(run_user(user_call, x, &r), "user-execute");
		check_eq("user-execute-result", (uint64_t)r, 0x5a5a);
	}
	check_pf("read", read_at, (uint8_t *)x + 0x10, 0x1);	       /* P */
	check_pf("write", write_at, (uint8_t *)x + 0x20, 0x3);	       /* P, W */
	check_pf("user-read", user_read_fn, (uint8_t *)x + 0x30, 0x5); /* P, U */
	faults += 3;
	check_eq("write-not-done", *(volatile uint64_t *)&code[0x20], 0);
	check_eq("exits-one-per-fault", mp_exits(EXIT_EPT_VIOL) - ept_before, faults);
	bench(x);
	guest_finish();
}
