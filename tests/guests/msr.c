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

	check(rdmsr_safe(IA32_MISC_ENABLE, &v) == EXC_NONE, "misc-enable-readable");
	check(wrmsr_safe(IA32_MISC_ENABLE, v ^ 1) == EXC_NONE, "misc-enable-write-accepted");
	check(rdmsr_safe(IA32_MISC_ENABLE, &v2) == EXC_NONE && v2 == v,
	      "misc-enable-write-ignored");
	wrmsr_safe(IA32_MISC_ENABLE, v);

	check(rdmsr_safe(IA32_MTRRCAP, &v) == EXC_NONE && v == 0, "mtrrcap-zero");
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
