/*
 * Which MSRs a guest reaches and what the emulated ones return (pure; the exit
 * handlers in hv/exit/exit_msr.c apply it).
 *
 * Passed through (no exit): the per-thread state a kernel switches often
 * (FS/GS bases, SYSCALL and SYSENTER MSRs, TSC_AUX, PAT), SPEC_CTRL, writes of
 * PRED_CMD, reads of ARCH_CAPABILITIES and of the TSC (offset by the VMCS).
 * With pmu = on also the PMU's and LBRs' (hv/policy/pmu_policy.h), added per partition.
 * Emulated: EFER, MISC_ENABLE, writes of the TSC, TSC_ADJUST, XSS, PERF_CAPABILITIES (pmu = on),
 * the MTRR capability and default type (no MTRRs), PLATFORM_ID and BIOS_SIGN_ID. Everything else
 * raises #GP in the guest; in particular the VMX capability and machine-check MSRs never reach the
 * hardware.
 */
#ifndef TESSERA_HV_MSR_POLICY_H
#define TESSERA_HV_MSR_POLICY_H

#include "lib/types.h"
#include "arch/x86/msr.h"

/*
 * The VMX MSR bitmap, one 4 KiB page, a bit per MSR, 1 = exit: reads of MSRs
 * 0-0x1fff at byte 0, reads of 0xc0000000-0xc0001fff at 1024, writes of the low
 * range at 2048, of the high range at 3072. MSRs outside both ranges always exit.
 */
#define MSR_BITMAP_SIZE	      4096
#define MSR_BITMAP_READ_LOW   0
#define MSR_BITMAP_READ_HIGH  1024
#define MSR_BITMAP_WRITE_LOW  2048
#define MSR_BITMAP_WRITE_HIGH 3072
#define MSR_BITMAP_LOW_LAST   0x00001fffu
#define MSR_BITMAP_HIGH_FIRST 0xc0000000u
#define MSR_BITMAP_HIGH_LAST  0xc0001fffu

/* Fills bitmap (MSR_BITMAP_SIZE bytes): every access exits except the pass-through set. */
void msr_bitmap_init(uint8_t *bitmap);
/* Lets reads and writes of msr through without an exit (pmu = on: the PMU's MSRs). */
void msr_bitmap_pass(uint8_t *bitmap, uint32_t msr);

/* Pass-through MSRs only the hardware holds (not switched by VM entry/exit). */
extern const uint32_t msr_guest_owned[];
extern const size_t msr_guest_owned_count;
/* Whether a RDMSR (write false) or WRMSR (write true) of msr exits under bitmap. */
bool msr_bitmap_exits(const uint8_t *bitmap, uint32_t msr, bool write);

/*
 * The emulated MSRs a vCPU keeps (struct vcpu.msr). The guest's TSC is the
 * host's plus tsc_offset (the VMCS TSC offset); IA32_TSC_ADJUST changes with
 * it as the SDM says: a write of IA32_TSC moves TSC_ADJUST by the same delta,
 * and a write of TSC_ADJUST moves the TSC.
 */
struct msr_state {
	uint32_t vcpu_index;
	uint64_t misc_enable;
	uint64_t tsc_offset;
	uint64_t tsc_adjust;
	uint64_t xss;	      /* also in the CPU's IA32_XSS while the guest runs */
	uint64_t xss_allowed; /* msr_xss_allowed() of the host's XSS bits */
	bool xsaves;	      /* XSAVES is enabled for the guest: IA32_XSS exists */
	bool pmu;	      /* pmu = on: PERF_CAPABILITIES exists, MISC_ENABLE reports EMON */
	uint64_t perf_caps;   /* IA32_PERF_CAPABILITIES as offered (pmu_policy.h) */
};

/*
 * IA32_MISC_ENABLE after reset: fast strings on, BTS and PEBS unavailable (no
 * debug store); EMON (performance monitoring available) only with pmu = on.
 */
#define MSR_MISC_ENABLE_GUEST \
	(MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE)
/*
 * The bits software may write (SDM vol. 4, IA32_MISC_ENABLE; what kvm-unit-tests'
 * x86/msr.c toggles): kept per vCPU. Like KVM, Tessera keeps MONITOR FSM,
 * limit-CPUID-maxval and XD disable without their effect on CPUID and EFER
 * (Linux only ever clears them). The read-only bits (PMU available, BTS/PEBS
 * unavailable) must be written as read, every other bit is reserved: else #GP.
 */
#define MSR_MISC_ENABLE_WRITABLE                                                                   \
	(MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_TCC | MISC_ENABLE_EIST | MISC_ENABLE_MONITOR_FSM | \
	 MISC_ENABLE_LIMIT_CPUID_MAXVAL | MISC_ENABLE_XTPR_DISABLE | MISC_ENABLE_XD_DISABLE)

/*
 * The IA32_XSS bits (supervisor state components) Tessera lets a guest set,
 * given those the host supports: none yet. PT, CET, arch LBR and HWP state
 * belong to features hidden from guests (hv/policy/cpuid_policy.c).
 */
#define MSR_XSS_TESSERA 0ULL
static inline uint64_t msr_xss_allowed(uint64_t host_supported)
{
	return host_supported & MSR_XSS_TESSERA;
}

/*
 * The state of a cold reset, at host TSC host_tsc: the guest's TSC counts from
 * 0 (as from a hardware reset), TSC_ADJUST 0, MISC_ENABLE its reset value.
 */
void msr_state_reset(struct msr_state *s, uint32_t vcpu_index, uint64_t host_tsc, bool xsaves,
		     uint64_t xss_allowed);
/*
 * After the reset, for pmu = on: IA32_MISC_ENABLE reports performance
 * monitoring available (EMON, bit 7: read-only), and IA32_PERF_CAPABILITIES
 * reads perf_caps (read-only). With pmu = off neither: bit 7 clear, the MSR #GP.
 */
void msr_state_offer_pmu(struct msr_state *s, uint64_t perf_caps);

/* The bitmap for x2APIC mode, from the xAPIC-mode one (see msr_policy.c). */
void msr_bitmap_x2apic_init(uint8_t *bitmap, const uint8_t *xapic_bitmap);
/* lapic = passthrough: all of the x2APIC range and TSC_DEADLINE pass, but ID, LDR and ICR. */
void msr_bitmap_lapic_pt_init(uint8_t *bitmap, const uint8_t *xapic_bitmap);

/*
 * An emulated RDMSR other than EFER (which lives in the VMCS): true with *value,
 * or false when the guest gets #GP.
 */
bool msr_emulate_read(uint32_t msr, const struct msr_state *s, uint64_t *value);
/*
 * An emulated WRMSR other than EFER at host TSC host_tsc: true when accepted
 * (s updated; the caller puts tsc_offset and xss into the hardware), false for #GP.
 */
bool msr_emulate_write(uint32_t msr, struct msr_state *s, uint64_t value, uint64_t host_tsc);

/*
 * A guest WRMSR to EFER, given its current EFER and CR0: only SCE, LME and NXE
 * may be written (LMA is the CPU's: a different LMA is ignored), and LME may not
 * change while paging is on. True with *out = the new EFER, or false for #GP.
 */
bool msr_efer_write(uint64_t efer, uint64_t cr0, uint64_t value, uint64_t *out);

#endif
