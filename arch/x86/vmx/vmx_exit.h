/*
 * VM-exit reasons, VM-instruction errors and the exit-qualification formats
 * (Intel SDM Vol. 3, Appendix C and chapter "VM Exits"), with pure decoders
 * (arch/x86/vmx/vmx_decode.c, host-tested).
 */
#ifndef TESSERA_ARCH_X86_VMX_EXIT_H
#define TESSERA_ARCH_X86_VMX_EXIT_H

#include "lib/types.h"

enum vmx_exit_reason {
	EXIT_REASON_EXCEPTION_NMI = 0,
	EXIT_REASON_EXTERNAL_INTERRUPT = 1,
	EXIT_REASON_TRIPLE_FAULT = 2,
	EXIT_REASON_INIT_SIGNAL = 3,
	EXIT_REASON_SIPI = 4,
	EXIT_REASON_IO_SMI = 5,
	EXIT_REASON_OTHER_SMI = 6,
	EXIT_REASON_INTERRUPT_WINDOW = 7,
	EXIT_REASON_NMI_WINDOW = 8,
	EXIT_REASON_TASK_SWITCH = 9,
	EXIT_REASON_CPUID = 10,
	EXIT_REASON_GETSEC = 11,
	EXIT_REASON_HLT = 12,
	EXIT_REASON_INVD = 13,
	EXIT_REASON_INVLPG = 14,
	EXIT_REASON_RDPMC = 15,
	EXIT_REASON_RDTSC = 16,
	EXIT_REASON_RSM = 17,
	EXIT_REASON_VMCALL = 18,
	EXIT_REASON_VMCLEAR = 19,
	EXIT_REASON_VMLAUNCH = 20,
	EXIT_REASON_VMPTRLD = 21,
	EXIT_REASON_VMPTRST = 22,
	EXIT_REASON_VMREAD = 23,
	EXIT_REASON_VMRESUME = 24,
	EXIT_REASON_VMWRITE = 25,
	EXIT_REASON_VMXOFF = 26,
	EXIT_REASON_VMXON = 27,
	EXIT_REASON_CR_ACCESS = 28,
	EXIT_REASON_DR_ACCESS = 29,
	EXIT_REASON_IO_INSTRUCTION = 30,
	EXIT_REASON_MSR_READ = 31,
	EXIT_REASON_MSR_WRITE = 32,
	EXIT_REASON_INVALID_STATE = 33,
	EXIT_REASON_MSR_LOAD_FAIL = 34,
	EXIT_REASON_MWAIT = 36,
	EXIT_REASON_MONITOR_TRAP_FLAG = 37,
	EXIT_REASON_MONITOR = 39,
	EXIT_REASON_PAUSE = 40,
	EXIT_REASON_MCE_DURING_VMENTRY = 41,
	EXIT_REASON_TPR_BELOW_THRESHOLD = 43,
	EXIT_REASON_APIC_ACCESS = 44,
	EXIT_REASON_EOI_INDUCED = 45,
	EXIT_REASON_GDTR_IDTR = 46,
	EXIT_REASON_LDTR_TR = 47,
	EXIT_REASON_EPT_VIOLATION = 48,
	EXIT_REASON_EPT_MISCONFIG = 49,
	EXIT_REASON_INVEPT = 50,
	EXIT_REASON_RDTSCP = 51,
	EXIT_REASON_PREEMPTION_TIMER = 52,
	EXIT_REASON_INVVPID = 53,
	EXIT_REASON_WBINVD = 54,
	EXIT_REASON_XSETBV = 55,
	EXIT_REASON_APIC_WRITE = 56,
	EXIT_REASON_RDRAND = 57,
	EXIT_REASON_INVPCID = 58,
	EXIT_REASON_VMFUNC = 59,
	EXIT_REASON_ENCLS = 60,
	EXIT_REASON_RDSEED = 61,
	EXIT_REASON_PML_FULL = 62,
	EXIT_REASON_XSAVES = 63,
	EXIT_REASON_XRSTORS = 64,
	EXIT_REASON_SPP = 66,
	EXIT_REASON_UMWAIT = 67,
	EXIT_REASON_TPAUSE = 68,
	EXIT_REASON_BUS_LOCK = 74,
	EXIT_REASON_NOTIFY = 75,
	EXIT_REASON_MAX = 80, /* counters and tables cover reasons below this */
};

/* Bits of the exit-reason field besides the basic reason (bits 15:0). */
#define EXIT_REASON_BASIC_MASK	  0xffffu
#define EXIT_REASON_ENTRY_FAILURE (1u << 31)

/* Exit qualification: control-register access (reason 28). */
struct cr_access {
	unsigned cr;	   /* 0, 3, 4, 8 */
	unsigned type;	   /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
	unsigned gpr;	   /* register number for MOV */
	uint16_t lmsw_src; /* LMSW source data */
};
#define CR_ACCESS_MOV_TO   0
#define CR_ACCESS_MOV_FROM 1
#define CR_ACCESS_CLTS	   2
#define CR_ACCESS_LMSW	   3
struct cr_access vmx_decode_cr_access(uint64_t qual);

/* Exit qualification: I/O instruction (reason 30). */
struct io_access {
	unsigned size; /* 1, 2 or 4 bytes */
	bool in;       /* IN (true) or OUT */
	bool string;   /* INS/OUTS */
	bool rep;
	uint16_t port;
};
struct io_access vmx_decode_io(uint64_t qual);

/* Exit qualification: EPT violation (reason 48). */
#define EPT_VIOL_READ		BIT(0)
#define EPT_VIOL_WRITE		BIT(1)
#define EPT_VIOL_FETCH		BIT(2)
#define EPT_VIOL_READABLE	BIT(3)
#define EPT_VIOL_WRITABLE	BIT(4)
#define EPT_VIOL_EXECUTABLE	BIT(5)
#define EPT_VIOL_GLA_VALID	BIT(7)
#define EPT_VIOL_NMI_UNBLOCKING BIT(12)
/* Writes "read", "write" or "fetch" and the entry's permissions ("r-x") into buf. */
void vmx_describe_ept_violation(uint64_t qual, char *buf, size_t size);

const char *vmx_exit_reason_name(uint32_t basic_reason);
/* VM-instruction error numbers the entry-failure diagnosis acts on (SDM 31.4). */
#define VMXERR_ENTRY_INVALID_CONTROL_FIELD    7
#define VMXERR_ENTRY_INVALID_HOST_STATE_FIELD 8
const char *vmx_instruction_error_name(uint32_t error);

#endif
