/* MSR numbers the test guests use, named as the Intel SDM names them. */
#ifndef TESSERA_GUEST_LIB_MSR_INDEX_H
#define TESSERA_GUEST_LIB_MSR_INDEX_H

#define IA32_TIME_STAMP_COUNTER	 0x010
#define IA32_APIC_BASE		 0x01b
#define IA32_FEATURE_CONTROL	 0x03a
#define IA32_TSC_ADJUST		 0x03b
#define IA32_MPERF		 0x0e7
#define IA32_APERF		 0x0e8
#define IA32_MTRRCAP		 0x0fe
#define IA32_SYSENTER_CS	 0x174
#define IA32_SYSENTER_ESP	 0x175
#define IA32_SYSENTER_EIP	 0x176
#define IA32_MCG_CAP		 0x179
#define IA32_MCG_STATUS		 0x17a
#define IA32_MCG_CTL		 0x17b
#define IA32_MISC_ENABLE	 0x1a0
#define IA32_ENERGY_PERF_BIAS	 0x1b0
#define IA32_DEBUGCTL		 0x1d9
#define IA32_PAT		 0x277
#define IA32_MTRR_DEF_TYPE	 0x2ff
#define IA32_MC0_CTL		 0x400
#define IA32_VMX_BASIC		 0x480
#define IA32_VMX_VMFUNC		 0x491
#define IA32_VMX_PROCBASED_CTLS3 0x492
#define IA32_DS_AREA		 0x600
#define IA32_XSS		 0xda0
#define IA32_EFER		 0xc0000080
#define IA32_STAR		 0xc0000081
#define IA32_LSTAR		 0xc0000082
#define IA32_CSTAR		 0xc0000083
#define IA32_FMASK		 0xc0000084
#define IA32_FS_BASE		 0xc0000100
#define IA32_GS_BASE		 0xc0000101
#define IA32_KERNEL_GS_BASE	 0xc0000102
#define IA32_TSC_AUX		 0xc0000103

#define APIC_BASE_BSP	    (1ull << 8)
#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_ADDR_MASK 0xfffff000ull
#define XAPIC_DEFAULT_BASE  0xfee00000ull

#endif
