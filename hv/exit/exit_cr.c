/*
 * Control-register exits (MOV to CR0/CR4 that touches a bit Tessera owns, LMSW,
 * CLTS) and XSETBV; MOV CR8 goes to the vLAPIC's TPR through the TPR shadow. The rules are in
 * hv/policy/cr_policy.c; this file reads the guest state from the VMCS and writes the outcome back.
 */
#include "hv/exit/vmexit.h"
#include "hv/policy/cr_policy.h"
#include "hv/partition/partition.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/string.h"

static enum exit_action refuse(struct vcpu *v)
{
	inject_exception_code(v, EXC_GP, 0);
	return EXIT_RESUME;
}

static struct cr_state guest_cr_state(struct vcpu *v)
{
	struct cr_state s = {
	    .cr0 = cr_guest_view(vmread(GUEST_CR0), vmread(CR0_READ_SHADOW), v->cr0_mask),
	    .cr3 = vmread(GUEST_CR3),
	    .cr4 = cr_guest_view(vmread(GUEST_CR4), vmread(CR4_READ_SHADOW), v->cr4_mask),
	    .efer = vmread(GUEST_IA32_EFER),
	};

	s.in_64bit_mode = (s.efer & EFER_LMA) && (vmread(GUEST_CS_AR_BYTES) & VMX_AR_L);
	return s;
}

/*
 * With EPT and PAE paging, VM entry takes the PDPTEs from the VMCS. A MOV to
 * CR0/CR4 executed by the CPU would load them from memory at CR3; one emulated
 * here must do the same. False when the guest gets #GP (bad or missing entries).
 */
static bool load_pdptes(struct vcpu *v, uint64_t cr3)
{
	const void *src = gpa_to_hva(v->part, cr3 & 0xffffffe0ULL, 4 * sizeof(uint64_t));
	uint64_t pdpte[4];

	if (!src)
		return false;
	memcpy(pdpte, src, sizeof(pdpte));
	if (!cr_pdptes_valid(pdpte,
			     cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & CPUID_80000008_EAX_PHYS_BITS))
		return false;
	vmwrite(GUEST_PDPTR0, pdpte[0]);
	vmwrite(GUEST_PDPTR1, pdpte[1]);
	vmwrite(GUEST_PDPTR2, pdpte[2]);
	vmwrite(GUEST_PDPTR3, pdpte[3]);
	return true;
}

static enum exit_action guest_write_cr0(struct vcpu *v, const struct cr_state *s, uint64_t value)
{
	const struct cr_fixed fx = {v->cpu->vmx.cr0_fixed0, v->cpu->vmx.cr0_fixed1};
	struct cr0_update u;

	if (!cr0_write(s, &fx, value, &u))
		return refuse(v);
	if (cr_pae_paging(u.shadow, s->cr4, u.efer) &&
	    ((u.shadow ^ s->cr0) & (CR0_PG | CR0_CD | CR0_NW)) && !load_pdptes(v, s->cr3))
		return refuse(v);
	vmwrite(GUEST_CR0, u.real);
	vmwrite(CR0_READ_SHADOW, u.shadow);
	if (u.efer != s->efer) {
		uint64_t entry = vmread(VM_ENTRY_CONTROLS);

		vmwrite(GUEST_IA32_EFER, u.efer);
		vmwrite(VM_ENTRY_CONTROLS,
			u.ia32e_mode ? entry | VM_ENTRY_IA32E_MODE : entry & ~VM_ENTRY_IA32E_MODE);
	}
	return EXIT_ADVANCE;
}

static enum exit_action guest_write_cr4(struct vcpu *v, const struct cr_state *s, uint64_t value)
{
	const struct cr_fixed fx = {v->cpu->vmx.cr4_fixed0, v->cpu->vmx.cr4_fixed1};
	struct cr4_update u;

	/* The mask holds what the guest may not change: all of it but VMX's fixed-1 bits. */
	if (!cr4_write(s, &fx, v->cr4_mask & ~fx.fixed0, value, &u))
		return refuse(v);
	if (cr_pae_paging(s->cr0, u.shadow, s->efer) &&
	    ((u.shadow ^ s->cr4) & (CR4_PAE | CR4_PGE | CR4_PSE | CR4_SMEP)) &&
	    !load_pdptes(v, s->cr3))
		return refuse(v);
	vmwrite(GUEST_CR4, u.real);
	vmwrite(CR4_READ_SHADOW, u.shadow);
	if (u.flush_tlb && v->vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
	return EXIT_ADVANCE;
}

enum exit_action handle_cr_access(struct vcpu *v)
{
	struct cr_access a = vmx_decode_cr_access(vmread(EXIT_QUALIFICATION));
	struct cr_state s;

	if (guest_cpl() != 0)
		return refuse(v);
	if ((a.cr == 0 || a.cr == 4) && a.type == CR_ACCESS_MOV_TO) {
		s = guest_cr_state(v);
		uint64_t value = vcpu_gpr(v, a.gpr);

		/* Outside 64-bit mode the operand is 32 bits: the register's upper half is not. */
		if (!s.in_64bit_mode)
			value = (uint32_t)value;
		return a.cr == 0 ? guest_write_cr0(v, &s, value) : guest_write_cr4(v, &s, value);
	}
	if (a.cr == 0 && (a.type == CR_ACCESS_LMSW || a.type == CR_ACCESS_CLTS)) {
		s = guest_cr_state(v);
		return guest_write_cr0(v, &s,
				       a.type == CR_ACCESS_LMSW ? cr0_lmsw(s.cr0, a.lmsw_src)
								: s.cr0 & ~CR0_TS);
	}
	partition_crash(v, "unexpected control-register exit: CR%u, access type %u", a.cr, a.type);
	return EXIT_STOP;
}

enum exit_action handle_xsetbv(struct vcpu *v)
{
	uint64_t value = (v->ctx.gpr[GPR_RDX] << 32) | (uint32_t)v->ctx.gpr[GPR_RAX];
	struct cpuid_regs xsave;
	uint64_t host_cr4;

	if (guest_cpl() != 0 || (uint32_t)v->ctx.gpr[GPR_RCX] != 0)
		return refuse(v);
	xsave = cpuid(CPUID_LEAF_XSAVE, 0);
	if (!xcr0_valid(value, ((uint64_t)xsave.edx << 32) | xsave.eax))
		return refuse(v);
	/*
	 * Each CPU runs one vCPU only, and Tessera uses no extended state: XCR0 is
	 * the guest's. XSETBV needs CR4.OSXSAVE in the host too; XCR0 keeps its
	 * value when the bit is cleared again.
	 */
	host_cr4 = read_cr4();
	if (!(host_cr4 & CR4_OSXSAVE))
		write_cr4(host_cr4 | CR4_OSXSAVE);
	xsetbv(0, value);
	if (!(host_cr4 & CR4_OSXSAVE))
		write_cr4(host_cr4);
	return EXIT_ADVANCE;
}
