/*
 * The rules of guest writes to CR0, CR4, CR8 and XCR0 that exit to Tessera
 * (pure; hv/exit/exit_cr.c applies them). Each check returns false when the
 * guest's instruction must raise #GP(0), else says what to load.
 *
 * CR0 and CR4 are split by the guest/host masks: bits in the mask are the
 * hypervisor's, the guest reads them from the read shadow; the rest live in
 * the real register. A write exits when it changes a masked bit.
 */
#ifndef TESSERA_HV_CR_POLICY_H
#define TESSERA_HV_CR_POLICY_H

#include "lib/types.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

/* The value the guest sees: masked bits from the read shadow, the others from the register. */
static inline uint64_t cr_guest_view(uint64_t real, uint64_t shadow, uint64_t mask)
{
	return (real & ~mask) | (shadow & mask);
}

/* The guest state a control-register write is checked against. */
struct cr_state {
	uint64_t cr0, cr3, cr4; /* as the guest sees them */
	uint64_t efer;
	bool in_64bit_mode; /* EFER.LMA and CS.L */
};

/* The fixed bits of VMX operation (IA32_VMX_CRn_FIXED0/1: 1 in FIXED0 = must be 1). */
struct cr_fixed {
	uint64_t fixed0, fixed1;
};

struct cr0_update {
	uint64_t real;	 /* for GUEST_CR0 */
	uint64_t shadow; /* for CR0_READ_SHADOW: what the guest reads back */
	uint64_t efer;	 /* EFER with LMA following PG when LME is set */
	bool ia32e_mode; /* the new value of EFER.LMA (the VM-entry control follows it) */
};

/*
 * MOV to CR0 (also LMSW and CLTS after cr0_lmsw/cr0_clts). #GP for bits 63:32,
 * PG without PE, NW without CD, paging on with EFER.LME but not CR4.PAE,
 * paging off in 64-bit mode or with CR4.PCIDE. Unsupported reserved bits of the
 * low half are dropped. The real CR0 gets the VMX fixed-1 bits (NE) but PE and
 * PG stay the guest's (unrestricted guest).
 */
bool cr0_write(const struct cr_state *s, const struct cr_fixed *fx, uint64_t value,
	       struct cr0_update *u);
/* What LMSW source src makes of CR0: loads PE, MP, EM, TS, but cannot clear PE. */
uint64_t cr0_lmsw(uint64_t cr0, uint16_t src);

struct cr4_update {
	uint64_t real;	 /* for GUEST_CR4 */
	uint64_t shadow; /* for CR4_READ_SHADOW */
	bool flush_tlb;	 /* paging-mode bits changed: the guest's TLB entries are stale */
};

/*
 * MOV to CR4. forbidden: bits the guest may never set (those the CPU lacks,
 * VMXE, SMXE; bits 63:32 always are). Also #GP for clearing PAE or changing
 * LA57 in IA-32e mode, and for setting PCIDE outside IA-32e mode or with
 * CR3[11:0] nonzero.
 */
bool cr4_write(const struct cr_state *s, const struct cr_fixed *fx, uint64_t forbidden,
	       uint64_t value, struct cr4_update *u);

/* True when PAE paging (not IA-32e) is on: VM entry then loads the PDPTEs from the VMCS. */
static inline bool cr_pae_paging(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	return (cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(efer & EFER_LMA);
}
/*
 * The four PDPTEs of PAE paging as a MOV to CR0/CR3/CR4 would load them: #GP
 * when a present entry has reserved bits set (bits 2:1, 8:5, and from the
 * physical-address width phys_bits up).
 */
bool cr_pdptes_valid(const uint64_t pdpte[4], unsigned phys_bits);

/*
 * XSETBV to XCR0: x87 must stay on, only components the host supports
 * (supported = CPUID.(0xD,0) EDX:EAX), AVX needs SSE, the AVX-512 components
 * (opmask, ZMM_Hi256, Hi16_ZMM) all or none and only with AVX, the MPX
 * components both or none, the AMX components both or none.
 */
bool xcr0_valid(uint64_t value, uint64_t supported);

#endif
