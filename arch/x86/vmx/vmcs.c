/* VMCS building blocks: control adjustment (pure) and the host-state area. */
#include "arch/x86/vmx/vmcs.h"

uint32_t vmx_ctls(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *missing)
{
	uint32_t must = (uint32_t)cap, may = (uint32_t)(cap >> 32);

	*missing = required & ~may;
	return ((required | optional) & may) | must;
}

#ifndef HOST_TEST
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"

extern char vmx_exit_point[];

void vmcs_write_host_state(struct percpu *cpu)
{
	struct desc_ptr gdtr, idtr;
	uint16_t tr;

	__asm__ volatile("sgdt %0; sidt %1; str %2" : "=m"(gdtr), "=m"(idtr), "=r"(tr));
	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_CS_SELECTOR, GDT_CODE64);
	vmwrite(HOST_SS_SELECTOR, GDT_DATA);
	vmwrite(HOST_DS_SELECTOR, GDT_DATA);
	vmwrite(HOST_ES_SELECTOR, GDT_DATA);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, tr);
	vmwrite(HOST_FS_BASE, 0);
	vmwrite(HOST_GS_BASE, (uint64_t)(uintptr_t)cpu);
	vmwrite(HOST_TR_BASE, (uint64_t)(uintptr_t)&cpu->tss);
	vmwrite(HOST_GDTR_BASE, gdtr.base);
	vmwrite(HOST_IDTR_BASE, idtr.base);
	vmwrite(HOST_IA32_SYSENTER_CS, 0);
	vmwrite(HOST_IA32_SYSENTER_ESP, 0);
	vmwrite(HOST_IA32_SYSENTER_EIP, 0);
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_point);
}
#endif
