/*
 * msr: Tessera's MSR allow/deny list (docs/hypercalls.md, "MSRs"). MSRs that
 * behave normally must keep what is written; the rest must raise #GP.
 * Parts fail on plain QEMU by design (it implements the MSRs Tessera denies).
 */
#include "tests/guests/lib/lib.h"
#include "tests/guests/lib/msr_index.h"

const char guest_name[] = "msr";

#define PAT_TEST_VALUE 0x0007010600070106ull /* WB WT UC- UC, swapped halves: valid */

/* Write `v`, read it back, restore the old value. */
static void check_rw(const char *what, uint32_t msr, uint64_t v)
{
	uint64_t old = 0, got = 0;
	int e1 = rdmsr_safe(msr, &old);
	int e2 = wrmsr_safe(msr, v);
	int e3 = rdmsr_safe(msr, &got);
	int e4 = wrmsr_safe(msr, old);

	checkf(e1 == EXC_NONE && e2 == EXC_NONE && e3 == EXC_NONE && e4 == EXC_NONE && got == v,
	       what, "MSR %#x: wrote %#llx, read %#llx (exceptions %d %d %d %d)", msr,
	       (unsigned long long)v, (unsigned long long)got, e1, e2, e3, e4);
}

static void check_read_gp(uint32_t msr)
{
	uint64_t v;
	char what[32];

	guest_snprintf(what, sizeof(what), "rdmsr-%#x-gp", msr);
	int e = rdmsr_safe(msr, &v);
	checkf(e == EXC_GP, what, "raised %d (%s)", e, exc_name(e));
}

static void check_write_gp(uint32_t msr, uint64_t v)
{
	char what[32];

	guest_snprintf(what, sizeof(what), "wrmsr-%#x-gp", msr);
	int e = wrmsr_safe(msr, v);
	checkf(e == EXC_GP, what, "raised %d (%s)", e, exc_name(e));
}

#define BIT(n)			 (1u << (n))
#define BIT64(n)		 (1ull << (n))
#define MISC_ENABLE_FAST_STRINGS BIT64(0)
#define MISC_ENABLE_RESERVED_1	 BIT64(1)
#define MISC_ENABLE_PMU		 BIT64(7)	/* performance monitoring available: read-only */
#define MISC_ENABLE_KVM_UT	 0x400c50809ull /* what kvm-unit-tests' msr test writes */
#define MISC_ENABLE_RO		 0x1880ull	/* the bits it keeps: 7, 11, 12 */

/* Fast strings is software-writable and sticks; reserved and read-only bits are #GP. */
static void check_misc_enable(void)
{
	uint64_t v = 0, v2 = 0;

	check(rdmsr_safe(IA32_MISC_ENABLE, &v) == EXC_NONE, "misc-enable-readable");
	check(wrmsr_safe(IA32_MISC_ENABLE, v ^ MISC_ENABLE_FAST_STRINGS) == EXC_NONE,
	      "misc-enable-fast-strings-write");
	checkf(rdmsr_safe(IA32_MISC_ENABLE, &v2) == EXC_NONE &&
		   v2 == (v ^ MISC_ENABLE_FAST_STRINGS),
	       "misc-enable-fast-strings-kept", "wrote %#llx, read %#llx",
	       (unsigned long long)(v ^ MISC_ENABLE_FAST_STRINGS), (unsigned long long)v2);
	check(wrmsr_safe(IA32_MISC_ENABLE, v) == EXC_NONE, "misc-enable-restore");
	check_write_gp(IA32_MISC_ENABLE, v | MISC_ENABLE_RESERVED_1);
	check_write_gp(IA32_MISC_ENABLE, v ^ MISC_ENABLE_PMU);
	check(rdmsr_safe(IA32_MISC_ENABLE, &v2) == EXC_NONE && v2 == v, "misc-enable-unchanged");
	uint64_t w = (MISC_ENABLE_KVM_UT & ~MISC_ENABLE_RO) | (v & MISC_ENABLE_RO);

	check(wrmsr_safe(IA32_MISC_ENABLE, w) == EXC_NONE &&
		  rdmsr_safe(IA32_MISC_ENABLE, &v2) == EXC_NONE && v2 == w,
	      "misc-enable-kvm-unit-tests-value");
	wrmsr_safe(IA32_MISC_ENABLE, v);
}

#define TSC_TARGET (1ull << 40)
#define TSC_SLACK  10000000ull /* instructions between the write and the reads */

/* A write of IA32_TSC moves the guest's TSC there: RDMSR and RDTSC agree. */
static void check_tsc_write(void)
{
	uint64_t before = rdtsc(), m = 0, t;

	checkf(before < TSC_TARGET / 2, "tsc-counts-from-boot", "TSC %#llx at start",
	       (unsigned long long)before);
	check(wrmsr_safe(IA32_TIME_STAMP_COUNTER, TSC_TARGET) == EXC_NONE, "tsc-write");
	check(rdmsr_safe(IA32_TIME_STAMP_COUNTER, &m) == EXC_NONE, "tsc-read");
	t = rdtsc();
	checkf(m >= TSC_TARGET && m < TSC_TARGET + TSC_SLACK && t >= m && t < m + TSC_SLACK,
	       "tsc-write-moves-tsc", "wrote %#llx, RDMSR %#llx, RDTSC %#llx",
	       (unsigned long long)TSC_TARGET, (unsigned long long)m, (unsigned long long)t);
	wrmsr_safe(IA32_TIME_STAMP_COUNTER, before);
}

/* IA32_TSC_ADJUST (CPUID.7.0:EBX[1]) follows TSC writes, and a write of it moves the TSC. */
static void check_tsc_adjust(void)
{
	uint64_t a0 = 0, a1 = 0, t0, t1;

	if (!(cpuid_count(7, 0).ebx & BIT(1))) {
		check_read_gp(IA32_TSC_ADJUST);
		return;
	}
	check(rdmsr_safe(IA32_TSC_ADJUST, &a0) == EXC_NONE, "tsc-adjust-readable");
	t0 = rdtsc();
	wrmsr_safe(IA32_TIME_STAMP_COUNTER, t0 + TSC_TARGET);
	check(rdmsr_safe(IA32_TSC_ADJUST, &a1) == EXC_NONE, "tsc-adjust-read-after-tsc-write");
	checkf(a1 - a0 >= TSC_TARGET - TSC_SLACK && a1 - a0 <= TSC_TARGET, "tsc-adjust-follows-tsc",
	       "TSC_ADJUST %#llx -> %#llx", (unsigned long long)a0, (unsigned long long)a1);
	t0 = rdtsc();
	check(wrmsr_safe(IA32_TSC_ADJUST, a1 - TSC_TARGET) == EXC_NONE, "tsc-adjust-write");
	t1 = rdtsc();
	checkf(t0 - t1 >= TSC_TARGET - TSC_SLACK && t0 - t1 <= TSC_TARGET, "tsc-adjust-moves-tsc",
	       "TSC %#llx -> %#llx", (unsigned long long)t0, (unsigned long long)t1);
	a0 = a1 - TSC_TARGET;
	check(rdmsr_safe(IA32_TSC_ADJUST, &a1) == EXC_NONE && a1 == a0, "tsc-adjust-reads-back");
}

/* IA32_XSS (XSAVES, CPUID.0xD.1:EAX[3]): the bits CPUID.0xD.1 ECX:EDX lists, nothing else. */
static void check_xss(void)
{
	struct cpuid_regs d1 = cpuid_count(0xd, 1);
	uint64_t supported = ((uint64_t)d1.edx << 32) | d1.ecx, v = ~0ull;

	if (!(d1.eax & BIT(3))) {
		check_read_gp(IA32_XSS);
		return;
	}
	check(rdmsr_safe(IA32_XSS, &v) == EXC_NONE && v == 0, "xss-reads-zero");
	check(wrmsr_safe(IA32_XSS, 0) == EXC_NONE, "xss-write-zero");
	check(wrmsr_safe(IA32_XSS, supported) == EXC_NONE, "xss-write-supported");
	check(rdmsr_safe(IA32_XSS, &v) == EXC_NONE && v == supported, "xss-reads-back");
	wrmsr_safe(IA32_XSS, 0);
	check_write_gp(IA32_XSS, 1); /* x87 is a user state: reserved in XSS */
	for (unsigned bit = 8; bit < 20; bit++)
		if (!(supported & BIT64(bit)))
			check_write_gp(IA32_XSS, BIT64(bit));
}

/* What CPUID does not offer has no MSR; what it offers has. */
static void check_hidden_features(void)
{
	struct cpuid_regs l1 = cpuid(1), l6 = cpuid(6);
	uint64_t v;

	checkf(!(l1.edx & BIT(21)) && !(l1.ecx & (BIT(2) | BIT(4))), "ds-hidden",
	       "leaf 1 ecx %#x edx %#x", l1.ecx, l1.edx);
	check_read_gp(IA32_DS_AREA);
	check(!(l6.ecx & BIT(0)) || (rdmsr_safe(IA32_MPERF, &v) == EXC_NONE &&
				     rdmsr_safe(IA32_APERF, &v) == EXC_NONE),
	      "leaf6-aperf-mperf-consistent");
	check(!(l6.ecx & BIT(3)) || rdmsr_safe(IA32_ENERGY_PERF_BIAS, &v) == EXC_NONE,
	      "leaf6-energy-perf-bias-consistent");
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t v = 0, v2 = 0;

	(void)boot;
	check(rdmsr_safe(IA32_EFER, &v) == EXC_NONE && wrmsr_safe(IA32_EFER, v) == EXC_NONE,
	      "efer-rw");
	check_rw("pat-rw", IA32_PAT, PAT_TEST_VALUE);
	check_rw("sysenter-cs-rw", IA32_SYSENTER_CS, 0x10);
	check_rw("sysenter-esp-rw", IA32_SYSENTER_ESP, 0xffff800000001000ull);
	check_rw("sysenter-eip-rw", IA32_SYSENTER_EIP, 0xffff800000002000ull);
	check_rw("fs-base-rw", IA32_FS_BASE, 0x123456789000ull);
	check_rw("gs-base-rw", IA32_GS_BASE, 0x223456789000ull);
	check_rw("kernel-gs-base-rw", IA32_KERNEL_GS_BASE, 0x323456789000ull);
	check_rw("star-rw", IA32_STAR, 0x0023001000000000ull);
	check_rw("lstar-rw", IA32_LSTAR, 0xffff800000003000ull);
	check_rw("cstar-rw", IA32_CSTAR, 0xffff800000004000ull);
	check_rw("fmask-rw", IA32_FMASK, 0x47700);
	if (cpuid(0x80000001).edx & (1u << 27)) /* RDTSCP: TSC_AUX exists */
		check_rw("tsc-aux-rw", IA32_TSC_AUX, 0x1234);
	else
		skip("tsc-aux-rw", "no RDTSCP on this CPU");

	check(rdmsr_safe(IA32_TIME_STAMP_COUNTER, &v) == EXC_NONE &&
		  rdmsr_safe(IA32_TIME_STAMP_COUNTER, &v2) == EXC_NONE && v2 > v,
	      "tsc-readable-advancing");

	check(rdmsr_safe(IA32_APIC_BASE, &v) == EXC_NONE, "apic-base-readable");
	checkf((v & APIC_BASE_ADDR_MASK) == XAPIC_DEFAULT_BASE && (v & APIC_BASE_ENABLE) &&
		   (v & APIC_BASE_BSP),
	       "apic-base-xapic-enabled-bsp", "IA32_APIC_BASE %#llx", (unsigned long long)v);
	check(wrmsr_safe(IA32_APIC_BASE, v) == EXC_NONE, "apic-base-same-value-write");

	check_misc_enable();
	check_tsc_write();
	check_tsc_adjust();
	check_xss();
	check_hidden_features();

	check(rdmsr_safe(IA32_MTRRCAP, &v) == EXC_NONE && v == 0, "mtrrcap-zero");
	check_write_gp(IA32_MTRRCAP, 0); /* read-only */
	check(rdmsr_safe(IA32_MTRR_DEF_TYPE, &v) == EXC_NONE && v == 0, "mtrr-def-type-zero");

	for (uint32_t msr = IA32_VMX_BASIC; msr <= IA32_VMX_PROCBASED_CTLS3; msr++)
		check_read_gp(msr);
	check_write_gp(IA32_VMX_BASIC, 0);
	check_read_gp(IA32_MCG_CAP);
	check_read_gp(IA32_MCG_STATUS);
	check_read_gp(IA32_MCG_CTL);
	for (uint32_t msr = IA32_MC0_CTL; msr < IA32_MC0_CTL + 8; msr++)
		check_read_gp(msr);
	check_write_gp(IA32_MCG_STATUS, 0);
	check_read_gp(IA32_FEATURE_CONTROL);
	check_write_gp(IA32_FEATURE_CONTROL, 0);
	check_read_gp(IA32_DEBUGCTL);
	check_read_gp(0x12345678);
	check_read_gp(0xc0011000);
}
