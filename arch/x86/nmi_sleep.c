/*
 * nmi_sleep (nmi_sleep.h): the look and the HLT in one asm block, between two
 * labels the NMI handler knows.
 */
#include "arch/x86/nmi_sleep.h"
#include "arch/x86/traps.h"

extern const char nmi_sleep_window[], nmi_sleep_window_end[];

__attribute__((noinline)) void nmi_sleep(const volatile uint64_t *word, uint64_t bits)
{
	__asm__ volatile("cli\n"
			 ".globl nmi_sleep_window\n"
			 "nmi_sleep_window:\n\t"
			 "testq %1, (%0)\n\t"
			 "jnz 1f\n\t"
			 "hlt\n"
			 ".globl nmi_sleep_window_end\n"
			 "nmi_sleep_window_end:\n"
			 "1:"
			 :
			 : "r"(word), "r"(bits)
			 : "cc", "memory");
}

bool nmi_sleep_fixup(struct trap_frame *frame)
{
	/* At the HLT or before it: not asleep yet, so look again. After it: woken. */
	if (frame->rip < (uint64_t)(uintptr_t)nmi_sleep_window ||
	    frame->rip >= (uint64_t)(uintptr_t)nmi_sleep_window_end)
		return false;
	frame->rip = (uint64_t)(uintptr_t)nmi_sleep_window;
	return true;
}
