/*
 * Control-register exits from inside: CR0 bits Tessera owns (NE) and the #GP rules,
 * CR4 bits the guest may not set (VMXE, SMXE, unsupported ones), CR8 kept per vCPU,
 * LMSW/CLTS, the EFER rules, CPUID.OSXSAVE following CR4, and XSETBV validation.
 */
#include "tests/guests/lib/lib.h"
#include "tests/guests/lib/msr_index.h"

const char guest_name[] = "control_regs";

static inline void write_cr0_(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}
static inline void write_cr4_(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}
static inline void write_cr8_(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr8" ::"r"(v) : "memory");
}
static inline uint64_t read_cr8_(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}
static inline void xsetbv_(uint32_t x, uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(x), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint64_t xgetbv_(uint32_t x)
{
	uint32_t a, d;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(x));
	return ((uint64_t)d << 32) | a;
}

static uint64_t arg64;
static void do_cr0(void *a)
{
	(void)a;
	write_cr0_(arg64);
}
static void do_cr4(void *a)
{
	(void)a;
	write_cr4_(arg64);
}
static void do_cr8(void *a)
{
	(void)a;
	write_cr8_(arg64);
}
static void do_xsetbv(void *a)
{
	(void)a;
	xsetbv_(0, arg64);
}
static void do_xsetbv1(void *a)
{
	(void)a;
	xsetbv_(1, 1);
}

static int gp(void (*fn)(void *), uint64_t v)
{
	struct exc_info info;
	arg64 = v;
	return exc_expect(EXC_GP, fn, 0, &info) ? EXC_GP : info.other_vector;
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(IA32_EFER);
	guest_printf("crx: cr0 %#llx cr4 %#llx efer %#llx\n", (unsigned long long)cr0,
		     (unsigned long long)cr4, (unsigned long long)efer);

	/* CR8 */
	write_cr8_(5);
	check_eq("cr8-readback", read_cr8_(), 5);
	check(gp(do_cr8, 16) == EXC_GP, "cr8-16-gp");
	check_eq("cr8-kept", read_cr8_(), 5);
	write_cr8_(0);

	/* CR4: VMXE/SMXE forbidden; bit 63 forbidden */
	check(gp(do_cr4, cr4 | (1u << 13)) == EXC_GP, "cr4-vmxe-gp");
	check(gp(do_cr4, cr4 | (1u << 14)) == EXC_GP, "cr4-smxe-gp");
	check(gp(do_cr4, cr4 | (1ull << 40)) == EXC_GP, "cr4-high-gp");
	check_eq("cr4-unchanged", read_cr4(), cr4);

	/* CR0: NE is host-owned: toggling it exits and is emulated. */
	write_cr0_(cr0 ^ (1u << 5));
	check_eq("cr0-ne-toggle-readback", read_cr0(), cr0 ^ (1u << 5));
	write_cr0_(cr0);
	check_eq("cr0-restored", read_cr0(), cr0);
	/* Faults (with NE toggled so the write exits). */
	check(gp(do_cr0, (cr0 ^ (1u << 5)) | (1ull << 33)) == EXC_GP, "cr0-high-gp");
	check(gp(do_cr0, (cr0 ^ (1u << 5)) | (1u << 29)) == EXC_GP || (cr0 & (1u << 30)),
	      "cr0-nw-without-cd-gp");
	check(gp(do_cr0, (cr0 ^ (1u << 5)) & ~(1ull << 31)) == EXC_GP, "cr0-pg-off-in-64bit-gp");
	check_eq("cr0-still", read_cr0(), cr0);
	/* LMSW and CLTS: only exit if MP/EM/TS are host-owned; just run them. */
	__asm__ volatile("clts");
	{
		uint16_t msw = (uint16_t)read_cr0() | 8; /* TS */
		__asm__ volatile("lmsw %0" ::"r"(msw));
		check((read_cr0() & 9) == 9, "lmsw-ts");
		__asm__ volatile("clts");
		check((read_cr0() & 8) == 0, "clts");
		msw = (uint16_t)(read_cr0() & ~1u);
		__asm__ volatile("lmsw %0" ::"r"(msw));
		check(read_cr0() & 1, "lmsw-cannot-clear-pe");
	}

	/* EFER */
	check(wrmsr_safe(IA32_EFER, efer) == EXC_NONE, "efer-same");
	check(wrmsr_safe(IA32_EFER, efer & ~(1ull << 8)) == EXC_GP, "efer-lme-off-with-paging-gp");
	check(wrmsr_safe(IA32_EFER, efer | (1ull << 12)) == EXC_GP, "efer-reserved-gp");
	check(wrmsr_safe(IA32_EFER, efer ^ (1ull << 10)) == EXC_NONE, "efer-lma-ignored");
	check_eq("efer-kept", rdmsr(IA32_EFER), efer);
	check(wrmsr_safe(IA32_EFER, efer | 1) == EXC_NONE, "efer-sce");
	check_eq("efer-sce-set", rdmsr(IA32_EFER), efer | 1);
	wrmsr(IA32_EFER, efer);

	/* XSETBV */
	if (cpuid(1).ecx & (1u << 26)) {
		check(!(cpuid(1).ecx & (1u << 27)) == !(cr4 & (1u << 18)), "osxsave-follows-cr4");
		write_cr4_(cr4 | (1u << 18));
		check(cpuid(1).ecx & (1u << 27), "osxsave-set");
		xsetbv_(0, 3);
		check_eq("xcr0-3", xgetbv_(0), 3);
		check(gp(do_xsetbv, 0) == EXC_GP, "xcr0-0-gp");
		check(gp(do_xsetbv, 5) == EXC_GP, "xcr0-avx-no-sse-gp");
		check(gp(do_xsetbv, 1ull << 62) == EXC_GP, "xcr0-unsupported-gp");
		check(gp(do_xsetbv1, 0) == EXC_GP, "xcr1-gp");
		if (cpuid_count(0xd, 0).eax & 4) {
			xsetbv_(0, 7);
			check_eq("xcr0-7", xgetbv_(0), 7);
		}
		xsetbv_(0, 1);
		write_cr4_(cr4);
		check(!(cpuid(1).ecx & (1u << 27)) == !(cr4 & (1u << 18)), "osxsave-back");
	} else {
		skip("xsetbv", "no XSAVE");
	}
	guest_finish();
}
