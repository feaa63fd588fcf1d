/* tests/guests/lib/insn_len.c: instruction lengths for resuming after a fault. */
#include "tests/unit/check.h"
#include "tests/guests/lib/insn_len.h"

#define LEN(...)                                              \
	({                                                    \
		static const uint8_t code_[] = {__VA_ARGS__}; \
		insn_len64(code_, sizeof(code_));             \
	})

TEST(simple)
{
	CHECK_EQ(LEN(0x0f, 0x0b), 2);	    /* ud2 */
	CHECK_EQ(LEN(0xcc), 1);		    /* int3 */
	CHECK_EQ(LEN(0xf7, 0xf1), 2);	    /* div ecx */
	CHECK_EQ(LEN(0x0f, 0x32), 2);	    /* rdmsr */
	CHECK_EQ(LEN(0x0f, 0x30), 2);	    /* wrmsr */
	CHECK_EQ(LEN(0x0f, 0x01, 0xc1), 3); /* vmcall */
	CHECK_EQ(LEN(0x0f, 0xa2), 2);	    /* cpuid */
	CHECK_EQ(LEN(0xee), 1);		    /* out dx, al */
	CHECK_EQ(LEN(0xe6, 0xf4), 2);	    /* out 0xf4, al */
	CHECK_EQ(LEN(0x0f, 0x22, 0xc0), 3); /* mov cr0, rax */
	CHECK_EQ(LEN(0x8e, 0xd8), 2);	    /* mov ds, ax */
}

TEST(modrm_forms)
{
	CHECK_EQ(LEN(0x48, 0x8b, 0x03), 3);		   /* mov rax, [rbx] */
	CHECK_EQ(LEN(0x8b, 0x44, 0x24, 0x08), 4);	   /* mov eax, [rsp+8] */
	CHECK_EQ(LEN(0x8b, 0x04, 0x25, 0, 0, 0, 0), 7);	   /* SIB, no base */
	CHECK_EQ(LEN(0x48, 0xf7, 0x35, 1, 2, 3, 4), 7);	   /* div [rip+d32] */
	CHECK_EQ(LEN(0x8b, 0x80, 0, 0x10, 0, 0), 6);	   /* [rax+d32] */
	CHECK_EQ(LEN(0x8b, 0x84, 0x88, 0, 0x10, 0, 0), 7); /* SIB + d32 */
	CHECK_EQ(LEN(0xc7, 0x80, 0, 0x10, 0, 0, 0x78, 0x56, 0x34, 0x12), 10);
}

TEST(immediates)
{
	CHECK_EQ(LEN(0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8), 10); /* mov rax, imm64 */
	CHECK_EQ(LEN(0xb8, 1, 2, 3, 4), 5);		       /* mov eax, imm32 */
	CHECK_EQ(LEN(0x66, 0xb8, 0x34, 0x12), 4);	       /* mov ax, imm16 */
	CHECK_EQ(LEN(0xf6, 0x00, 0x01), 3);		       /* test byte [rax], 1 */
	CHECK_EQ(LEN(0xf6, 0x10), 2);			       /* not byte [rax] */
	CHECK_EQ(LEN(0xf7, 0xc0, 1, 0, 0, 0), 6);	       /* test eax, imm32 */
	CHECK_EQ(LEN(0xa0, 1, 2, 3, 4, 5, 6, 7, 8), 9);	       /* mov al, moffs64 */
	CHECK_EQ(LEN(0x67, 0xa0, 1, 2, 3, 4), 6);	       /* mov al, moffs32 */
	CHECK_EQ(LEN(0xc8, 0x10, 0x00, 0x00), 4);	       /* enter */
	CHECK_EQ(LEN(0x6b, 0xc0, 0x05), 3);		       /* imul eax, eax, 5 */
	CHECK_EQ(LEN(0x0f, 0x84, 1, 2, 3, 4), 6);	       /* jz rel32 */
	CHECK_EQ(LEN(0x0f, 0x38, 0x00, 0xc1), 4);	       /* 0F38 map */
	CHECK_EQ(LEN(0x0f, 0x3a, 0x0f, 0xc1, 0x08), 5);	       /* 0F3A map + imm8 */
	CHECK_EQ(LEN(0xf0, 0x48, 0x0f, 0xb1, 0x0a), 5);	       /* lock cmpxchg [rdx], rcx */
}

TEST(malformed)
{
	static const uint8_t long_prefixes[16] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
						  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90};

	CHECK_EQ(insn_len64(NULL, 15), 0);
	CHECK_EQ(LEN(0x90) * 0 + insn_len64((const uint8_t *)"\x90", 0), 0); /* nothing readable */
	CHECK_EQ(LEN(0x0f), 0);						     /* truncated opcode */
	CHECK_EQ(LEN(0xf7), 0);						     /* missing ModRM */
	CHECK_EQ(LEN(0xc7, 0x80, 0, 0x10), 0);	  /* truncated displacement */
	CHECK_EQ(LEN(0xb8, 1, 2), 0);		  /* truncated immediate */
	CHECK_EQ(LEN(0xc5, 0xf8, 0x77), 0);	  /* VEX: not covered */
	CHECK_EQ(LEN(0x06), 0);			  /* push es: invalid in 64-bit */
	CHECK_EQ(LEN(0x0f, 0x0f, 0xc0, 0x90), 0); /* 3DNow!: not covered */
	CHECK_EQ(LEN(0x48, 0x48, 0x90), 0);	  /* REX not right before the opcode */
	CHECK_EQ(insn_len64(long_prefixes, sizeof(long_prefixes)), 0); /* over 15 bytes */
	CHECK_EQ(insn_len64(long_prefixes + 2, 14), 14);	       /* 13 prefixes + nop */
}

int main(void)
{
	CHECK_MAIN("guest_insn_len");
	RUN(simple);
	RUN(modrm_forms);
	RUN(immediates);
	RUN(malformed);
	return CHECK_END();
}
