/*
 * arch/x86/insn_decode.c: the MOV decoder behind MMIO emulation, fed the bytes
 * at a guest's RIP. Input: one mode byte, then up to 15 instruction bytes
 * (held in a buffer of exactly that size, so ASan sees any read past it).
 * Checked: an accepted MOV has a length within the bytes given and within 15,
 * an operand size of 1, 2, 4 or 8, a register below 16, an immediate only for
 * the immediate form, and decoding is a function of the bytes it consumed.
 */
#include "tests/fuzz/fuzz.h"
#include "arch/x86/insn_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insn_mov m, again;
	enum insn_cpu_mode mode;
	uint8_t *bytes;
	size_t n;

	if (size < 1)
		return 0;
	mode = (enum insn_cpu_mode)(data[0] % 3);
	n = size - 1 > INSN_MAX_LEN ? INSN_MAX_LEN : size - 1;
	bytes = malloc(n ? n : 1);
	memcpy(bytes, data + 1, n);
	if (insn_decode_mov(bytes, n, mode, &m) == 0) {
		FUZZ_CHECK(m.len >= 1 && m.len <= n && m.len <= INSN_MAX_LEN);
		FUZZ_CHECK(m.size == 1 || m.size == 2 || m.size == 4 || m.size == 8);
		FUZZ_CHECK(m.reg < 16);
		FUZZ_CHECK(m.kind == INSN_MOV_STORE_IMM || m.imm == 0);
		FUZZ_CHECK(!m.high_byte || m.size == 1);
		/* Only the first m.len bytes decide: the same prefix decodes the same. */
		FUZZ_CHECK(insn_decode_mov(bytes, m.len, mode, &again) == 0);
		FUZZ_CHECK(memcmp(&m, &again, sizeof(m)) == 0);
	}
	free(bytes);
	return 0;
}
