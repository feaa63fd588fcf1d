/*
 * VMX instructions for the VMX core as inline functions; failures are reported
 * through return values. VMXON/VMXOFF live in arch/x86/vmx/vmx.c.
 */
#ifndef TESSERA_ARCH_X86_VMX_OPS_H
#define TESSERA_ARCH_X86_VMX_OPS_H

#include "lib/types.h"

#ifndef HOST_TEST
/* Returns true on VMsucceed (CF=0 and ZF=0). */
#define VMX_OK_ASM "seta %0"

static inline uint64_t vmread(uint64_t field)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static inline bool vmwrite(uint64_t field, uint64_t value)
{
	bool ok;

	__asm__ volatile("vmwrite %2, %1; " VMX_OK_ASM
			 : "=qm"(ok)
			 : "r"(field), "rm"(value)
			 : "cc", "memory");
	return ok;
}

/* For fields the caller knows are writable (no result: one instruction less on hot paths). */
static inline void vmwrite_fast(uint64_t field, uint64_t value)
{
	__asm__ volatile("vmwrite %1, %0" : : "r"(field), "rm"(value) : "cc", "memory");
}

static inline bool vmclear(uint64_t vmcs_pa)
{
	bool ok;

	__asm__ volatile("vmclear %1; " VMX_OK_ASM : "=qm"(ok) : "m"(vmcs_pa) : "cc", "memory");
	return ok;
}

static inline bool vmptrld(uint64_t vmcs_pa)
{
	bool ok;

	__asm__ volatile("vmptrld %1; " VMX_OK_ASM : "=qm"(ok) : "m"(vmcs_pa) : "cc", "memory");
	return ok;
}

#define INVEPT_SINGLE_CONTEXT	   1
#define INVEPT_ALL_CONTEXT	   2
#define INVVPID_INDIVIDUAL_ADDR	   0 /* the address must be canonical, else VMfail */
#define INVVPID_SINGLE_CONTEXT	   1
#define INVVPID_ALL_CONTEXT	   2
#define INVVPID_SINGLE_CONTEXT_NOG 3 /* retaining global translations */

static inline bool invept(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, reserved;
	} desc = {eptp, 0};
	bool ok;

	__asm__ volatile("invept %1, %2; " VMX_OK_ASM
			 : "=qm"(ok)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return ok;
}

static inline bool invvpid_addr(uint64_t type, uint16_t vpid, uint64_t address)
{
	struct {
		uint64_t vpid, address;
	} desc = {vpid, address};
	bool ok;

	__asm__ volatile("invvpid %1, %2; " VMX_OK_ASM
			 : "=qm"(ok)
			 : "m"(desc), "r"(type)
			 : "cc", "memory");
	return ok;
}

static inline bool invvpid(uint64_t type, uint16_t vpid)
{
	return invvpid_addr(type, vpid, 0);
}
#endif

#endif
