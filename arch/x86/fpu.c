/* Loading the initial x87/SSE/AVX state for a guest: see fpu.h. */
#include "arch/x86/fpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"

/* The legacy region of an FXSAVE/XSAVE area (SDM 1 10.5.1) and the XSAVE header (13.4.2). */
struct xsave_area {
	uint16_t fcw, fsw;
	uint8_t ftw_abridged, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st_xmm[512 - 32]; /* ST0-ST7, XMM0-XMM15, reserved */
	uint64_t xstate_bv, xcomp_bv;
	uint8_t header_reserved[48];
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct xsave_area) == 576, "legacy region and XSAVE header");

/* XSTATE_BV = XCOMP_BV = 0: XRSTOR initialises every requested component. */
static const struct xsave_area init_area = {.fcw = FCW_INIT, .mxcsr = MXCSR_RESET};

static void xrstor(const struct xsave_area *a, uint64_t mask)
{
	__asm__ volatile("xrstor %0"
			 :
			 : "m"(*a), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
			 : "memory");
}

/* MOVDQU of one register to memory; the register number is in the instruction. */
#define STORE_XMM(n, p) __asm__ volatile("movdqu %%xmm" #n ", %0" : "=m"(*(uint8_t(*)[16])(p)))

void fpu_read_xmm(uint64_t *out, unsigned nr)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	if (cr0 & (CR0_TS | CR0_EM))
		write_cr0(cr0 & ~(CR0_TS | CR0_EM));
	if (!(cr4 & CR4_OSFXSR))
		write_cr4(cr4 | CR4_OSFXSR);
	/* Unrolled: each register is named by the instruction itself. */
	if (nr > 0)
		STORE_XMM(0, out);
	if (nr > 1)
		STORE_XMM(1, out + 2);
	if (nr > 2)
		STORE_XMM(2, out + 4);
	if (nr > 3)
		STORE_XMM(3, out + 6);
	if (nr > 4)
		STORE_XMM(4, out + 8);
	if (nr > 5)
		STORE_XMM(5, out + 10);
	if (!(cr4 & CR4_OSFXSR))
		write_cr4(cr4);
	if (cr0 & (CR0_TS | CR0_EM))
		write_cr0(cr0);
}

void fpu_load_init_state(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	write_cr0(cr0 & ~(CR0_TS | CR0_EM)); /* neither may fault the instructions below */
	if (cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_XSAVE) {
		struct cpuid_regs x = cpuid(CPUID_LEAF_XSAVE, 0);
		uint64_t all = ((uint64_t)x.edx << 32) | x.eax; /* what XCR0 may enable */

		write_cr4(cr4 | CR4_OSFXSR | CR4_OSXSAVE);
		xsetbv(0, all);
		__asm__ volatile("fninit");
		xrstor(&init_area, all);
		xsetbv(0, XCR0_X87);
	} else {
		write_cr4(cr4 | CR4_OSFXSR);
		__asm__ volatile("fninit; fxrstor %0" : : "m"(init_area) : "memory");
	}
	write_cr4(cr4);
	write_cr0(cr0);
}
