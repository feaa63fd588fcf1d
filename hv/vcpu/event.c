/* Injecting exceptions into a guest, and re-injecting events an exit interrupted. */
#include "hv/exit/vmexit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"

/*
 * Hardware delivering a fault pushes RFLAGS with RF set, so that an instruction
 * breakpoint does not fire again when the handler returns to the instruction
 * (SDM 3A 17.3.1.1); VM entry pushes RF as the guest-state area holds it (3C
 * 27.6.1.2), so for an injected fault it is set there.
 */
static void set_rf_for_fault(uint8_t vector)
{
	if (vector < EXC_COUNT && (EXC_FAULTS & BIT(vector)))
		vmwrite(GUEST_RFLAGS, vmread(GUEST_RFLAGS) | RFLAGS_RF);
}

void inject_exception(struct vcpu *v, uint8_t vector)
{
	(void)v;
	set_rf_for_fault(vector);
	vmwrite(VM_ENTRY_INTR_INFO_FIELD,
		INTR_INFO_VALID | (INTR_TYPE_HARD_EXCEPTION << INTR_INFO_TYPE_SHIFT) | vector);
}

void inject_exception_code(struct vcpu *v, uint8_t vector, uint32_t error_code)
{
	(void)v;
	set_rf_for_fault(vector);
	vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	vmwrite(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_INFO_DELIVER_CODE |
					      (INTR_TYPE_HARD_EXCEPTION << INTR_INFO_TYPE_SHIFT) |
					      vector);
}

void reinject_vectoring_event(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(IDT_VECTORING_INFO_FIELD);
	uint32_t type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	(void)v;
	if (!(info & INTR_INFO_VALID))
		return;
	/* Bit 12 is undefined in IDT-vectoring information; entry wants it clear. */
	vmwrite(VM_ENTRY_INTR_INFO_FIELD, info & ~INTR_INFO_NMI_UNBLOCK_IRET);
	if (info & INTR_INFO_DELIVER_CODE)
		vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_HARD_EXCEPTION)
		set_rf_for_fault((uint8_t)(info & INTR_INFO_VECTOR_MASK));
	/* Software events restart the instruction that raised them: give its length. */
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmwrite(VM_ENTRY_INSTRUCTION_LEN, vmread(VM_EXIT_INSTRUCTION_LEN));
	/* An interrupted NMI delivery: NMIs are unblocked again until it is delivered. */
	if (type == INTR_TYPE_NMI)
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			vmread(GUEST_INTERRUPTIBILITY_INFO) & ~GUEST_INTR_STATE_NMI);
}
