/* Pure decoders for VM-exit information: names and exit-qualification fields. */
#include "arch/x86/vmx/vmx_exit.h"
#include "lib/format.h"

static const char *const exit_reason_names[EXIT_REASON_MAX] = {
    [EXIT_REASON_EXCEPTION_NMI] = "exception or NMI",
    [EXIT_REASON_EXTERNAL_INTERRUPT] = "external interrupt",
    [EXIT_REASON_TRIPLE_FAULT] = "triple fault",
    [EXIT_REASON_INIT_SIGNAL] = "INIT signal",
    [EXIT_REASON_SIPI] = "start-up IPI",
    [EXIT_REASON_IO_SMI] = "I/O SMI",
    [EXIT_REASON_OTHER_SMI] = "other SMI",
    [EXIT_REASON_INTERRUPT_WINDOW] = "interrupt window",
    [EXIT_REASON_NMI_WINDOW] = "NMI window",
    [EXIT_REASON_TASK_SWITCH] = "task switch",
    [EXIT_REASON_CPUID] = "CPUID",
    [EXIT_REASON_GETSEC] = "GETSEC",
    [EXIT_REASON_HLT] = "HLT",
    [EXIT_REASON_INVD] = "INVD",
    [EXIT_REASON_INVLPG] = "INVLPG",
    [EXIT_REASON_RDPMC] = "RDPMC",
    [EXIT_REASON_RDTSC] = "RDTSC",
    [EXIT_REASON_RSM] = "RSM",
    [EXIT_REASON_VMCALL] = "VMCALL",
    [EXIT_REASON_VMCLEAR] = "VMCLEAR",
    [EXIT_REASON_VMLAUNCH] = "VMLAUNCH",
    [EXIT_REASON_VMPTRLD] = "VMPTRLD",
    [EXIT_REASON_VMPTRST] = "VMPTRST",
    [EXIT_REASON_VMREAD] = "VMREAD",
    [EXIT_REASON_VMRESUME] = "VMRESUME",
    [EXIT_REASON_VMWRITE] = "VMWRITE",
    [EXIT_REASON_VMXOFF] = "VMXOFF",
    [EXIT_REASON_VMXON] = "VMXON",
    [EXIT_REASON_CR_ACCESS] = "control-register access",
    [EXIT_REASON_DR_ACCESS] = "debug-register access",
    [EXIT_REASON_IO_INSTRUCTION] = "I/O instruction",
    [EXIT_REASON_MSR_READ] = "RDMSR",
    [EXIT_REASON_MSR_WRITE] = "WRMSR",
    [EXIT_REASON_INVALID_STATE] = "VM-entry failure: invalid guest state",
    [EXIT_REASON_MSR_LOAD_FAIL] = "VM-entry failure: MSR loading",
    [EXIT_REASON_MWAIT] = "MWAIT",
    [EXIT_REASON_MONITOR_TRAP_FLAG] = "monitor trap flag",
    [EXIT_REASON_MONITOR] = "MONITOR",
    [EXIT_REASON_PAUSE] = "PAUSE",
    [EXIT_REASON_MCE_DURING_VMENTRY] = "VM-entry failure: machine check",
    [EXIT_REASON_TPR_BELOW_THRESHOLD] = "TPR below threshold",
    [EXIT_REASON_APIC_ACCESS] = "APIC access",
    [EXIT_REASON_EOI_INDUCED] = "virtualized EOI",
    [EXIT_REASON_GDTR_IDTR] = "GDTR/IDTR access",
    [EXIT_REASON_LDTR_TR] = "LDTR/TR access",
    [EXIT_REASON_EPT_VIOLATION] = "EPT violation",
    [EXIT_REASON_EPT_MISCONFIG] = "EPT misconfiguration",
    [EXIT_REASON_INVEPT] = "INVEPT",
    [EXIT_REASON_RDTSCP] = "RDTSCP",
    [EXIT_REASON_PREEMPTION_TIMER] = "preemption timer",
    [EXIT_REASON_INVVPID] = "INVVPID",
    [EXIT_REASON_WBINVD] = "WBINVD",
    [EXIT_REASON_XSETBV] = "XSETBV",
    [EXIT_REASON_APIC_WRITE] = "APIC write",
    [EXIT_REASON_RDRAND] = "RDRAND",
    [EXIT_REASON_INVPCID] = "INVPCID",
    [EXIT_REASON_VMFUNC] = "VMFUNC",
    [EXIT_REASON_ENCLS] = "ENCLS",
    [EXIT_REASON_RDSEED] = "RDSEED",
    [EXIT_REASON_PML_FULL] = "page-modification log full",
    [EXIT_REASON_XSAVES] = "XSAVES",
    [EXIT_REASON_XRSTORS] = "XRSTORS",
    [EXIT_REASON_SPP] = "SPP-related event",
    [EXIT_REASON_UMWAIT] = "UMWAIT",
    [EXIT_REASON_TPAUSE] = "TPAUSE",
    [EXIT_REASON_BUS_LOCK] = "bus lock",
    [EXIT_REASON_NOTIFY] = "notify window",
};

const char *vmx_exit_reason_name(uint32_t basic_reason)
{
	if (basic_reason < EXIT_REASON_MAX && exit_reason_names[basic_reason])
		return exit_reason_names[basic_reason];
	return "unknown";
}

static const char *const instruction_errors[] = {
    [1] = "VMCALL executed in VMX root operation",
    [2] = "VMCLEAR with invalid physical address",
    [3] = "VMCLEAR with VMXON pointer",
    [4] = "VMLAUNCH with non-clear VMCS",
    [5] = "VMRESUME with non-launched VMCS",
    [6] = "VMRESUME after VMXOFF",
    [7] = "VM entry with invalid control field(s)",
    [8] = "VM entry with invalid host-state field(s)",
    [9] = "VMPTRLD with invalid physical address",
    [10] = "VMPTRLD with VMXON pointer",
    [11] = "VMPTRLD with incorrect VMCS revision identifier",
    [12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [13] = "VMWRITE to read-only VMCS component",
    [15] = "VMXON executed in VMX root operation",
    [16] = "VM entry with invalid executive-VMCS pointer",
    [17] = "VM entry with non-launched executive VMCS",
    [18] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [19] = "VMCALL with non-clear VMCS",
    [20] = "VMCALL with invalid VM-exit control fields",
    [22] = "VMCALL with incorrect MSEG revision identifier",
    [23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [24] = "VMCALL with invalid SMM-monitor features",
    [25] = "VM entry with invalid VM-execution control fields in executive VMCS",
    [26] = "VM entry with events blocked by MOV SS",
    [28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_name(uint32_t error)
{
	if (error < ARRAY_SIZE(instruction_errors) && instruction_errors[error])
		return instruction_errors[error];
	return "unknown VM-instruction error";
}

struct cr_access vmx_decode_cr_access(uint64_t qual)
{
	struct cr_access a = {
	    .cr = qual & 0xf,
	    .type = (qual >> 4) & 3,
	    .gpr = (qual >> 8) & 0xf,
	    .lmsw_src = (uint16_t)(qual >> 16),
	};
	return a;
}

struct io_access vmx_decode_io(uint64_t qual)
{
	struct io_access a = {
	    .size = (unsigned)(qual & 7) + 1,
	    .in = (qual >> 3) & 1,
	    .string = (qual >> 4) & 1,
	    .rep = (qual >> 5) & 1,
	    .port = (uint16_t)(qual >> 16),
	};
	return a;
}

void vmx_describe_ept_violation(uint64_t qual, char *buf, size_t size)
{
	const char *access = qual & EPT_VIOL_FETCH   ? "fetch"
			     : qual & EPT_VIOL_WRITE ? "write"
						     : "read";

	fmt_snprintf(buf, size, "%s, mapping %c%c%c", access, qual & EPT_VIOL_READABLE ? 'r' : '-',
		     qual & EPT_VIOL_WRITABLE ? 'w' : '-', qual & EPT_VIOL_EXECUTABLE ? 'x' : '-');
}
