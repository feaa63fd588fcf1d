/*
 * The guest's registers as a crash report shows them, read from this CPU's
 * current VMCS (the vCPU's) and the saved general registers. Another CPU gets
 * them through a REQUEST_DUMP (hv/vcpu/request.h).
 */
#include "hv/vcpu/vcpu.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/log.h"

/* A control register as the guest sees it: its own bits, and the shadow where we own them. */
static uint64_t guest_view(uint64_t field, uint64_t shadow, uint64_t mask)
{
	return (vmread(field) & ~mask) | (vmread(shadow) & mask);
}

void vcpu_dump(struct vcpu *v)
{
	const char *name = v->part->name;

	log_err("partition %s: vCPU %u: RSP %#llx RFLAGS %#llx CR0 %#llx CR3 %#llx CR4 %#llx "
		"EFER %#llx",
		name, v->index, (unsigned long long)vmread(GUEST_RSP),
		(unsigned long long)vmread(GUEST_RFLAGS),
		(unsigned long long)guest_view(GUEST_CR0, CR0_READ_SHADOW, v->cr0_mask),
		(unsigned long long)vmread(GUEST_CR3),
		(unsigned long long)guest_view(GUEST_CR4, CR4_READ_SHADOW, v->cr4_mask),
		(unsigned long long)vmread(GUEST_IA32_EFER));
	log_err("partition %s: vCPU %u: RAX %#llx RBX %#llx RCX %#llx RDX %#llx RSI %#llx RDI "
		"%#llx RBP %#llx",
		name, v->index, (unsigned long long)v->ctx.gpr[GPR_RAX],
		(unsigned long long)v->ctx.gpr[GPR_RBX], (unsigned long long)v->ctx.gpr[GPR_RCX],
		(unsigned long long)v->ctx.gpr[GPR_RDX], (unsigned long long)v->ctx.gpr[GPR_RSI],
		(unsigned long long)v->ctx.gpr[GPR_RDI], (unsigned long long)v->ctx.gpr[GPR_RBP]);
}
