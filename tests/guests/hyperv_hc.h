/*
 * The hyperv guest's Hyper-V calls: through the hypercall page (a CALL to it,
 * as Linux and Windows do), in the memory form (RDX, R8 GPAs), the fast form
 * (RDX, R8 values) and the XMM fast form (XMM0-XMM5 too). Header-only, for
 * tests/guests/hyperv.c.
 */
#ifndef TESSERA_TESTS_GUESTS_HYPERV_HC_H
#define TESSERA_TESTS_GUESTS_HYPERV_HC_H

#include "guest-abi/hyperv-tlfs-x86.h"
#include "tests/guests/lib/lib.h"

/* Where the guest put its hypercall page (hyperv.c sets it up). */
extern void *hv_page;

/* RCX = ctl, RDX = a, R8 = b; returns RAX (the result value). */
static inline uint64_t hv_call(uint64_t ctl, uint64_t a, uint64_t b)
{
	return hv_hypercall_page_call(hv_page, ctl, a, b);
}

/* The XMM fast form: xmm[0..11] are XMM0-XMM5 (low word first). */
static inline uint64_t hv_call_xmm(uint64_t ctl, uint64_t a, uint64_t b, const uint64_t *xmm)
{
	register uint64_t r8 __asm__("r8") = b;
	uint64_t ret;

	__asm__ volatile("movdqu 0(%[x]), %%xmm0\n\tmovdqu 16(%[x]), %%xmm1\n\t"
			 "movdqu 32(%[x]), %%xmm2\n\tmovdqu 48(%[x]), %%xmm3\n\t"
			 "movdqu 64(%[x]), %%xmm4\n\tmovdqu 80(%[x]), %%xmm5\n\t"
			 "call *%[page]"
			 : "=a"(ret), "+c"(ctl), "+d"(a), "+r"(r8)
			 : [page] "r"(hv_page), [x] "r"(xmm)
			 : "cc", "memory", "r9", "r10", "r11");
	return ret;
}

#endif
