/* Model-specific registers: numbers as the Intel SDM names them, and access. */
#ifndef TESSERA_ARCH_X86_MSR_H
#define TESSERA_ARCH_X86_MSR_H

#include "lib/types.h"

#define MSR_IA32_TSC			 0x00000010
#define MSR_IA32_APIC_BASE		 0x0000001b
#define APIC_BASE_DEFAULT		 0xfee00000ULL
#define APIC_BASE_BSP			 BIT(8)
#define APIC_BASE_EXTD			 BIT(10) /* x2APIC mode */
#define APIC_BASE_EN			 BIT(11)
#define MSR_IA32_FEATURE_CONTROL	 0x0000003a
#define FEATURE_CONTROL_LOCKED		 BIT(0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX	 BIT(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	 BIT(2)
#define MSR_IA32_TSC_ADJUST		 0x0000003b
#define MSR_IA32_PLATFORM_ID		 0x00000017
#define MSR_IA32_SPEC_CTRL		 0x00000048
#define MSR_IA32_PRED_CMD		 0x00000049
#define MSR_IA32_BIOS_SIGN_ID		 0x0000008b
#define MSR_IA32_SMBASE			 0x0000009e
#define MSR_IA32_MTRRCAP		 0x000000fe
#define MSR_IA32_ARCH_CAPABILITIES	 0x0000010a
#define MSR_IA32_SYSENTER_CS		 0x00000174
#define MSR_IA32_SYSENTER_ESP		 0x00000175
#define MSR_IA32_SYSENTER_EIP		 0x00000176
#define MSR_IA32_MCG_CAP		 0x00000179
#define MSR_IA32_MCG_STATUS		 0x0000017a
#define MSR_IA32_MCG_CTL		 0x0000017b
#define MSR_IA32_MISC_ENABLE		 0x000001a0
#define MISC_ENABLE_FAST_STRINGS	 BIT(0)
#define MISC_ENABLE_TCC			 BIT(3) /* automatic thermal control circuit */
#define MISC_ENABLE_PMU_AVAILABLE	 BIT(7)
#define MISC_ENABLE_BTS_UNAVAILABLE	 BIT(11)
#define MISC_ENABLE_PEBS_UNAVAILABLE	 BIT(12)
#define MISC_ENABLE_EIST		 BIT(16) /* Enhanced Intel SpeedStep */
#define MISC_ENABLE_MONITOR_FSM		 BIT(18)
#define MISC_ENABLE_LIMIT_CPUID_MAXVAL	 BIT(22)
#define MISC_ENABLE_XTPR_DISABLE	 BIT(23)
#define MISC_ENABLE_XD_DISABLE		 BIT(34)
#define MSR_IA32_DEBUGCTL		 0x000001d9
#define DEBUGCTL_LBR			 BIT(0) /* record last branches */
#define DEBUGCTL_BTF			 BIT(1) /* single-step on branches (with RFLAGS.TF) */
/* Architectural performance monitoring (SDM Vol. 3B ch. 20) and the model's LBR stack. */
#define MSR_IA32_PMC0			 0x000000c1 /* + n: general-purpose counter n */
#define MSR_IA32_PERFEVTSEL0		 0x00000186 /* + n: its event select */
#define MSR_IA32_FIXED_CTR0		 0x00000309 /* + n: fixed-function counter n */
#define MSR_IA32_PERF_CAPABILITIES	 0x00000345
#define PERF_CAP_LBR_FMT_MASK		 0x3fULL /* bits 5:0: the LBR record format */
#define PERF_CAP_FW_WRITE		 BIT(13) /* full-width writes through IA32_A_PMCn */
#define MSR_IA32_FIXED_CTR_CTRL		 0x0000038d
#define MSR_IA32_PERF_GLOBAL_STATUS	 0x0000038e
#define MSR_IA32_PERF_GLOBAL_CTRL	 0x0000038f
#define MSR_IA32_PERF_GLOBAL_OVF_CTRL	 0x00000390 /* PERF_GLOBAL_STATUS_RESET from version 4 */
#define MSR_IA32_PERF_GLOBAL_STATUS_SET	 0x00000391 /* version 4 */
#define MSR_IA32_PERF_GLOBAL_INUSE	 0x00000392 /* version 4 */
#define MSR_IA32_A_PMC0			 0x000004c1 /* + n: full-width alias of PMCn */
#define MSR_LBR_SELECT			 0x000001c8
#define MSR_LBR_TOS			 0x000001c9
#define MSR_LBR_NHM_FROM		 0x00000680 /* + n: branch n's source */
#define MSR_LBR_NHM_TO			 0x000006c0 /* + n: its target */
#define MSR_LBR_INFO_0			 0x00000dc0 /* + n: its flags and cycles (format 5+) */
#define MSR_IA32_MTRR_DEF_TYPE		 0x000002ff
#define MSR_IA32_PAT			 0x00000277
#define MSR_IA32_PAT_RESET		 0x0007040600070406ULL /* power-up value (SDM 13.12.4) */
#define MSR_IA32_MC0_CTL		 0x00000400
#define MSR_IA32_MC_LAST		 0x0000047f /* MCi_CTL/STATUS/ADDR/MISC banks end here */
#define MSR_IA32_VMX_BASIC		 0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS	 0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS	 0x00000482
#define MSR_IA32_VMX_EXIT_CTLS		 0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS		 0x00000484
#define MSR_IA32_VMX_MISC		 0x00000485
#define MSR_IA32_VMX_CR0_FIXED0		 0x00000486
#define MSR_IA32_VMX_CR0_FIXED1		 0x00000487
#define MSR_IA32_VMX_CR4_FIXED0		 0x00000488
#define MSR_IA32_VMX_CR4_FIXED1		 0x00000489
#define MSR_IA32_VMX_VMCS_ENUM		 0x0000048a
#define MSR_IA32_VMX_PROCBASED_CTLS2	 0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP	 0x0000048c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	 0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	 0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	 0x00000490
#define MSR_IA32_VMX_VMFUNC		 0x00000491
#define MSR_IA32_VMX_PROCBASED_CTLS3	 0x00000492
#define MSR_IA32_DS_AREA		 0x00000600
#define MSR_X2APIC_BASE			 0x00000800 /* 0x800 + (xAPIC offset >> 4) */
#define MSR_X2APIC_ID			 0x00000802
#define MSR_X2APIC_TPR			 0x00000808
#define MSR_X2APIC_EOI			 0x0000080b
#define MSR_X2APIC_LDR			 0x0000080d
#define MSR_X2APIC_ICR			 0x00000830
#define MSR_X2APIC_TMCCT		 0x00000839
#define MSR_X2APIC_SELF_IPI		 0x0000083f
#define MSR_X2APIC_LAST			 0x000008ff
#define MSR_IA32_TSC_DEADLINE		 0x000006e0
#define MSR_IA32_XSS			 0x00000da0
#define MSR_IA32_EFER			 0xc0000080
#define EFER_SCE			 BIT(0)
#define EFER_LME			 BIT(8)
#define EFER_LMA			 BIT(10)
#define EFER_NXE			 BIT(11)
#define MSR_IA32_STAR			 0xc0000081
#define MSR_IA32_LSTAR			 0xc0000082
#define MSR_IA32_CSTAR			 0xc0000083
#define MSR_IA32_FMASK			 0xc0000084
#define MSR_IA32_FS_BASE		 0xc0000100
#define MSR_IA32_GS_BASE		 0xc0000101
#define MSR_IA32_KERNEL_GS_BASE		 0xc0000102
#define MSR_IA32_TSC_AUX		 0xc0000103

#ifndef HOST_TEST
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

/*
 * rdmsr that survives a #GP (an MSR this CPU lacks): returns false then.
 * Implemented with an exception fix-up in arch/x86/traps.c.
 */
bool rdmsr_safe(uint32_t msr, uint64_t *value);
/* wrmsr that returns false instead of dying when the CPU refuses the write (#GP). */
bool wrmsr_safe(uint32_t msr, uint64_t value);
#endif

#endif
