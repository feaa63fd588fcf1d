/* arch/x86/insn_decode.c: MOV decoding for MMIO emulation, and what it refuses. */
#include "tests/unit/check.h"
#include "arch/x86/insn_decode.h"

static struct insn_mov m;

#define DECODE(mode, ...)                                              \
	({                                                             \
		static const uint8_t b_[] = {__VA_ARGS__};             \
		insn_decode_mov(b_, sizeof(b_), INSN_MODE_##mode, &m); \
	})

TEST(loads_64)
{
	CHECK_EQ(DECODE(64, 0x8b, 0x05, 1, 2, 3, 4), 0); /* mov eax, [rip+d32] */
	CHECK_EQ(m.kind, INSN_MOV_LOAD);
	CHECK_EQ(m.len, 6);
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.reg, 0);
	CHECK_EQ(DECODE(64, 0x48, 0x8b, 0x43, 0x10), 0); /* mov rax, [rbx+0x10] */
	CHECK_EQ(m.len, 4);
	CHECK_EQ(m.size, 8);
	CHECK_EQ(DECODE(64, 0x44, 0x8b, 0x84, 0x24, 1, 2, 3, 4), 0); /* mov r8d, [rsp+d32] */
	CHECK_EQ(m.reg, 8);
	CHECK_EQ(m.len, 8);
	CHECK_EQ(DECODE(64, 0x8b, 0x04, 0x25, 0x20, 0, 0xe0, 0xfe), 0); /* [abs32] via SIB */
	CHECK_EQ(m.len, 7);
	CHECK_EQ(DECODE(64, 0x8b, 0x04, 0x24), 0); /* mov eax, [rsp] */
	CHECK_EQ(m.len, 3);
}

TEST(stores_64)
{
	CHECK_EQ(DECODE(64, 0x89, 0x0a), 0); /* mov [rdx], ecx */
	CHECK_EQ(m.kind, INSN_MOV_STORE);
	CHECK_EQ(m.reg, 1);
	CHECK_EQ(m.len, 2);
	CHECK_EQ(DECODE(64, 0x44, 0x89, 0x04, 0x25, 0xb0, 0, 0xe0, 0xfe), 0); /* r8d */
	CHECK_EQ(m.reg, 8);
	CHECK_EQ(m.len, 8);
	CHECK_EQ(DECODE(64, 0x66, 0x89, 0x08), 0); /* mov [rax], cx */
	CHECK_EQ(m.size, 2);
	CHECK_EQ(DECODE(64, 0xc7, 0x05, 1, 2, 3, 4, 0x78, 0x56, 0x34, 0x12), 0);
	CHECK_EQ(m.kind, INSN_MOV_STORE_IMM);
	CHECK_EQ(m.len, 10);
	CHECK_EQ(m.imm, 0x12345678);
	CHECK_EQ(DECODE(64, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), 0); /* sign-extends */
	CHECK_EQ(m.imm, UINT64_MAX);
	CHECK_EQ(m.size, 8);
	CHECK_EQ(DECODE(64, 0x88, 0x20), 0); /* mov [rax], ah */
	CHECK(m.high_byte);
	CHECK_EQ(DECODE(64, 0x40, 0x88, 0x20), 0); /* mov [rax], spl */
	CHECK(!m.high_byte);
}

TEST(moffs_forms)
{
	CHECK_EQ(DECODE(32, 0xa1, 0x20, 0, 0xe0, 0xfe), 0); /* mov eax, [0xfee00020] */
	CHECK_EQ(m.kind, INSN_MOV_LOAD);
	CHECK_EQ(m.len, 5);
	CHECK_EQ(DECODE(64, 0xa3, 0xb0, 0, 0xe0, 0xfe, 0, 0, 0, 0), 0); /* movabs [..], eax */
	CHECK_EQ(m.kind, INSN_MOV_STORE);
	CHECK_EQ(m.len, 9);
	CHECK_EQ(DECODE(16, 0xa1, 0x20, 0x00), 0);
	CHECK_EQ(m.size, 2);
	CHECK_EQ(m.len, 3);
}

TEST(modes_16_and_32)
{
	CHECK_EQ(DECODE(16, 0x8b, 0x07), 0); /* mov ax, [bx] */
	CHECK_EQ(m.size, 2);
	CHECK_EQ(m.len, 2);
	CHECK_EQ(DECODE(16, 0x66, 0x8b, 0x46, 0x10), 0); /* mov eax, [bp+0x10] */
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.len, 4);
	CHECK_EQ(DECODE(16, 0x8b, 0x06, 0x20, 0x00), 0); /* mov ax, [disp16] */
	CHECK_EQ(m.len, 4);
	CHECK_EQ(DECODE(32, 0x8b, 0x15, 1, 2, 3, 4), 0); /* mov edx, [disp32] */
	CHECK_EQ(m.reg, 2);
	CHECK_EQ(m.len, 6);
	CHECK_EQ(DECODE(32, 0x67, 0x8b, 0x07), 0); /* 16-bit addressing */
	CHECK_EQ(m.len, 3);
	CHECK_EQ(DECODE(32, 0x48, 0x8b), -1); /* 0x48 is DEC EAX outside 64-bit mode */
}

TEST(refusals)
{
	CHECK_EQ(DECODE(64, 0x8b, 0xc0), -1);		     /* register operand */
	CHECK_EQ(DECODE(64, 0xf3, 0xa5), -1);		     /* rep movsd */
	CHECK_EQ(DECODE(64, 0xf0, 0x89, 0x08), -1);	     /* lock */
	CHECK_EQ(DECODE(64, 0x8b, 0x05, 0), -1);	     /* truncated */
	CHECK_EQ(DECODE(64, 0xc7, 0x08, 1, 2), -1);	     /* truncated immediate */
	CHECK_EQ(DECODE(64, 0xc7, 0x48, 1, 2, 3, 4, 5), -1); /* C7 /1 */
	CHECK_EQ(DECODE(64, 0x0f, 0xb6, 0x00), -1);	     /* movzx: not handled */
	CHECK_EQ(DECODE(64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			0x66, 0x66, 0x8b, 0x00),
		 -1); /* 16 bytes: longer than any instruction */
	CHECK_EQ(DECODE(64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			0x66, 0x8b, 0x00),
		 0); /* exactly 15 */
	CHECK_EQ(m.len, 15);
	CHECK_EQ(insn_decode_mov(NULL, 0, INSN_MODE_64, &m), -1);
}

/* Any bytes at all: no read past what is given, a length within 1..15 when accepted. */
TEST(random_bytes_are_bounded)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	uint8_t buf[INSN_MAX_LEN];

	for (int i = 0; i < 300000; i++) {
		size_t n;

		for (size_t j = 0; j < sizeof(buf); j++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			buf[j] = (uint8_t)seed;
		}
		n = seed % (sizeof(buf) + 1);
		uint8_t *copy = malloc(n ? n : 1); /* ASan sees any read past n */
		memcpy(copy, buf, n);
		if (insn_decode_mov(copy, n, (enum insn_cpu_mode)(seed % 3), &m) == 0) {
			CHECK(m.len >= 1 && m.len <= n && m.len <= INSN_MAX_LEN);
			CHECK(m.size == 1 || m.size == 2 || m.size == 4 || m.size == 8);
			CHECK(m.reg < 16);
		}
		free(copy);
	}
}

int main(void)
{
	CHECK_MAIN("insn_decode");
	RUN(loads_64);
	RUN(stores_64);
	RUN(moffs_forms);
	RUN(modes_16_and_32);
	RUN(refusals);
	RUN(random_bytes_are_bounded);
	return CHECK_END();
}
