/*
 * Instructions that may raise an exception the caller wants to see as a
 * result rather than a failure. Each faulting instruction has a fixup entry
 * {instruction, resume address} that exc_dispatch() honours for vectors 0-31.
 */
#include "tests/guests/lib/exceptions.h"

volatile int exc_fixup_vector = EXC_NONE;

#define FIXUP(insn, resume)                                                        \
	".pushsection .guest_fixup, \"a\"\n\t.balign 8\n\t.quad " insn ", " resume \
	"\n\t.popsection\n\t"

int rdmsr_safe(uint32_t msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;

	exc_fixup_vector = EXC_NONE;
	__asm__ volatile("1: rdmsr\n2:\n\t" FIXUP("1b", "2b")
			 : "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "memory");
	int vector = exc_fixup_vector;
	*value = vector == EXC_NONE ? ((uint64_t)hi << 32) | lo : 0;
	return vector;
}

int wrmsr_safe(uint32_t msr, uint64_t value)
{
	exc_fixup_vector = EXC_NONE;
	__asm__ volatile("1: wrmsr\n2:\n\t" FIXUP("1b", "2b")
			 :
			 : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
	return exc_fixup_vector;
}

int hypercall_safe(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, long *ret)
{
	long r = 0;

	exc_fixup_vector = EXC_NONE;
	__asm__ volatile("1: vmcall\n2:\n\t" FIXUP("1b", "2b")
			 : "=a"(r)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "c"(a3)
			 : "memory");
	int vector = exc_fixup_vector;
	*ret = vector == EXC_NONE ? r : 0;
	return vector;
}
