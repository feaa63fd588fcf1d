/* The reset vector stub: see reset_vector.h. Encodings for 16-bit code (SDM vol. 2). */
#include "hv/load/reset_vector.h"
#include "lib/string.h"

#define OP_MOV_DX_IMM16 0xba /* MOV r16, imm16 with r = DX (B8+2) */
#define OP_MOV_AL_IMM8	0xb0 /* MOV r8, imm8 with r = AL */
#define OP_OUT_DX_AL	0xee
#define OP_HLT		0xf4
#define OP_JMP_REL8	0xeb

void reset_vector_build(uint8_t out[RESET_VECTOR_SIZE], uint16_t port, uint8_t value)
{
	const uint8_t code[] = {
	    OP_MOV_DX_IMM16, (uint8_t)port, (uint8_t)(port >> 8), OP_MOV_AL_IMM8, value,
	    OP_OUT_DX_AL,    OP_HLT,	    OP_JMP_REL8,	  (uint8_t)-3, /* back to HLT */
	};

	memset(out, OP_HLT, RESET_VECTOR_SIZE);
	memcpy(out, code, sizeof(code));
}
