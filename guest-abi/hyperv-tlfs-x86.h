/*
 * The Hyper-V interface, x86 part (TLFS): the CPUID leaves and their bits,
 * the synthetic MSRs, and how hypercalls use the registers on x64. The
 * generic part is guest-abi/hyperv-tlfs.h. Names follow the TLFS. Usable by
 * any guest and by the hypervisor.
 */
#ifndef TESSERA_GUEST_ABI_HYPERV_TLFS_X86_H
#define TESSERA_GUEST_ABI_HYPERV_TLFS_X86_H

#include "guest-abi/hyperv-tlfs.h"

/* ---- CPUID leaves ------------------------------------------------------- */
#define HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS 0x40000000u
#define HYPERV_CPUID_INTERFACE		      0x40000001u
#define HYPERV_CPUID_VERSION		      0x40000002u
#define HYPERV_CPUID_FEATURES		      0x40000003u
#define HYPERV_CPUID_ENLIGHTMENT_INFO	      0x40000004u
#define HYPERV_CPUID_IMPLEMENT_LIMITS	      0x40000005u
#define HYPERV_CPUID_HARDWARE_FEATURES	      0x40000006u
#define HYPERV_CPUID_NESTED_FEATURES	      0x4000000au

/* "Microsoft Hv" in EBX, ECX, EDX of the first leaf. */
#define HYPERV_CPUID_SIGNATURE_EBX 0x7263694du /* "Micr" */
#define HYPERV_CPUID_SIGNATURE_ECX 0x666f736fu /* "osof" */
#define HYPERV_CPUID_SIGNATURE_EDX 0x76482074u /* "t Hv" */
/* "Hv#1" in EAX of the interface leaf. */
#define HYPERV_CPUID_INTERFACE_HV1 0x31237648u

/* Leaf 0x40000003 EAX (the low half of HV_PARTITION_PRIVILEGE_MASK). */
#define HV_MSR_VP_RUNTIME_AVAILABLE	      (1u << 0)
#define HV_MSR_TIME_REF_COUNT_AVAILABLE	      (1u << 1)
#define HV_MSR_SYNIC_AVAILABLE		      (1u << 2)
#define HV_MSR_SYNTIMER_AVAILABLE	      (1u << 3)
#define HV_MSR_APIC_ACCESS_AVAILABLE	      (1u << 4)
#define HV_MSR_HYPERCALL_AVAILABLE	      (1u << 5)
#define HV_MSR_VP_INDEX_AVAILABLE	      (1u << 6)
#define HV_MSR_RESET_AVAILABLE		      (1u << 7)
#define HV_MSR_STAT_PAGES_AVAILABLE	      (1u << 8)
#define HV_MSR_REFERENCE_TSC_AVAILABLE	      (1u << 9)
#define HV_MSR_GUEST_IDLE_AVAILABLE	      (1u << 10)
#define HV_ACCESS_FREQUENCY_MSRS	      (1u << 11)
#define HV_ACCESS_REENLIGHTENMENT	      (1u << 13)
#define HV_ACCESS_TSC_INVARIANT		      (1u << 15)
/* Leaf 0x40000003 EDX (feature identification). */
#define HV_X64_MWAIT_AVAILABLE		      (1u << 0)
#define HV_X64_GUEST_DEBUGGING_AVAILABLE      (1u << 1)
#define HV_X64_PERF_MONITOR_AVAILABLE	      (1u << 2)
#define HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE  (1u << 4)
#define HV_X64_GUEST_IDLE_STATE_AVAILABLE     (1u << 5)
#define HV_FEATURE_FREQUENCY_MSRS_AVAILABLE   (1u << 8)
#define HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE  (1u << 10)
#define HV_FEATURE_EXT_GVA_RANGES_FLUSH	      (1u << 14)
#define HV_X64_HYPERCALL_XMM_OUTPUT_AVAILABLE (1u << 15)

/* Leaf 0x40000004 EAX (implementation recommendations). */
#define HV_X64_AS_SWITCH_RECOMMENDED	      (1u << 0)
#define HV_X64_LOCAL_TLB_FLUSH_RECOMMENDED    (1u << 1)
#define HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED   (1u << 2)
#define HV_X64_APIC_ACCESS_RECOMMENDED	      (1u << 3)
#define HV_X64_SYSTEM_RESET_RECOMMENDED	      (1u << 4)
#define HV_X64_RELAXED_TIMING_RECOMMENDED     (1u << 5)
#define HV_X64_CLUSTER_IPI_RECOMMENDED	      (1u << 10)
#define HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED (1u << 11)
#define HV_X64_HYPERV_NESTED		      (1u << 12) /* a Hyper-V that itself runs nested */
/* A nested hypervisor should use the enlightened VMCS; leaf 0x4000000A is meaningful. */
#define HV_X64_ENLIGHTENED_VMCS_RECOMMENDED   (1u << 14)
/* Leaf 0x40000004 EBX: spinlock retries before notifying; all ones: never. */
#define HV_SPINLOCK_RETRIES_NEVER	      0xffffffffu

/* Leaf 0x4000000A EAX (nested virtualization features, for a nested hypervisor). */
#define HV_X64_NESTED_EVMCS_VERSION_MASK  0xffffu    /* bits 15:0, high byte major */
#define HV_X64_NESTED_DIRECT_FLUSH	  (1u << 17) /* direct virtual flush hypercalls */
/* HvCallFlushGuestPhysicalAddressSpace and HvCallFlushGuestPhysicalAddressList. */
#define HV_X64_NESTED_GUEST_MAPPING_FLUSH (1u << 18)
#define HV_X64_NESTED_MSR_BITMAP	  (1u << 19) /* enlightened MSR bitmap */

/* ---- Synthetic MSRs ------------------------------------------------------ */
#define HV_X64_MSR_GUEST_OS_ID	  0x40000000u
#define HV_X64_MSR_HYPERCALL	  0x40000001u
#define HV_X64_MSR_VP_INDEX	  0x40000002u
#define HV_X64_MSR_RESET	  0x40000003u
#define HV_X64_MSR_VP_RUNTIME	  0x40000010u
#define HV_X64_MSR_TIME_REF_COUNT 0x40000020u
#define HV_X64_MSR_REFERENCE_TSC  0x40000021u
#define HV_X64_MSR_TSC_FREQUENCY  0x40000022u
#define HV_X64_MSR_APIC_FREQUENCY 0x40000023u
#define HV_X64_MSR_EOI		  0x40000070u
#define HV_X64_MSR_ICR		  0x40000071u
#define HV_X64_MSR_TPR		  0x40000072u
#define HV_X64_MSR_VP_ASSIST_PAGE 0x40000073u
/* The synthetic MSR range: everything in it that is not offered #GPs. */
#define HV_X64_MSR_FIRST	  0x40000000u
#define HV_X64_MSR_LAST		  0x400000ffu

/* HV_X64_MSR_HYPERCALL: enable (bit 0), locked (bit 1), the page's GPA >> 12. */
#define HV_X64_MSR_HYPERCALL_ENABLE	 (1ull << 0)
#define HV_X64_MSR_HYPERCALL_LOCKED	 (1ull << 1)
#define HV_X64_MSR_HYPERCALL_PFN_SHIFT	 12
/* HV_X64_MSR_VP_ASSIST_PAGE: enable (bit 0), bits 11:1 reserved, the page's GPA >> 12. */
#define HV_X64_MSR_VP_ASSIST_PAGE_ENABLE (1ull << 0)
/* Bits 11:2 of HV_X64_MSR_HYPERCALL are reserved: a writer preserves them. */
#define HV_X64_MSR_HYPERCALL_RSVDP_MASK	 0xffcull

/*
 * HV_X64_MSR_GUEST_OS_ID, the TLFS's layout for an open-source OS: bit 63
 * set, bits 62:56 the OS type (allocated by Microsoft: 1 Linux, 2 FreeBSD,
 * 3 Xen, 4 Illumos), bits 55:48 an OS ID of the vendor's choosing, bits 47:16
 * the version, bits 15:0 a build number. Nonzero before the hypercall page
 * may be enabled.
 */
#define HV_GUEST_OS_ID_OPEN_SOURCE   (1ull << 63)
#define HV_GUEST_OS_ID_OS_TYPE_SHIFT 56
#define HV_GUEST_OS_ID_OS_ID_SHIFT   48
#define HV_GUEST_OS_ID_VERSION_SHIFT 16

/* HV_X64_MSR_REFERENCE_TSC: enable (bit 0), the TSC page's GPA >> 12. */
#define HV_X64_MSR_TSC_REFERENCE_ENABLE	   (1ull << 0)
#define HV_X64_MSR_TSC_REFERENCE_PFN_SHIFT 12

/*
 * The reference TSC page: reference time (100 ns) =
 * ((TSC * tsc_scale) >> 64) + tsc_offset, valid while tsc_sequence is not 0
 * and unchanged across the read (0: use the TIME_REF_COUNT MSR instead).
 */
struct hv_reference_tsc_page {
	volatile uint32_t tsc_sequence;
	uint32_t reserved1;
	volatile uint64_t tsc_scale;
	volatile int64_t tsc_offset;
};
#define HV_REFERENCE_TIME_HZ 10000000ull /* 100 ns units */

/*
 * Hypercalls on x64 (from CPL 0, by the VMCALL in the hypercall page):
 * RCX the input value, RDX the input block's GPA (fast: the first 8 bytes of
 * input), R8 the output block's GPA (fast: the next 8 bytes); RAX the result
 * value. The XMM fast form continues the input in XMM0-XMM5 (up to 112 bytes
 * in all, with RDX and R8).
 */
/*
 * A hypercall through the hypercall page (a CALL to it, as the TLFS asks of a
 * guest): RCX the input value, RDX and R8 the input and output GPAs (the fast
 * form: the first 16 bytes of input). Returns RAX, the result value.
 */
static inline uint64_t hv_hypercall_page_call(const void *page, uint64_t input, uint64_t rdx,
					      uint64_t r8_value)
{
	register uint64_t r8 __asm__("r8") = r8_value;
	uint64_t result;

	__asm__ volatile("call *%[page]"
			 : "=a"(result), "+c"(input), "+d"(rdx), "+r"(r8)
			 : [page] "r"(page)
			 : "cc", "memory", "r9", "r10", "r11");
	return result;
}

#define HV_X64_FAST_INPUT_MAX_BYTES 112u
#define HV_X64_FAST_INPUT_GPR_BYTES 16u

#endif
