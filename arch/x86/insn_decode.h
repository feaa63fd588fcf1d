/*
 * Decoding the one instruction family an emulated MMIO register is accessed
 * with: MOV between a general register (or an immediate) and memory (SDM vol.
 * 2, MOV: 88/89/8A/8B /r, C6/C7 /0, A0-A3 moffs). Pure and bounded: the bytes are the
 * guest's, so every length and prefix is checked, at most 15 bytes are read,
 * and anything else is refused.
 */
#ifndef TESSERA_ARCH_X86_INSN_DECODE_H
#define TESSERA_ARCH_X86_INSN_DECODE_H

#include "lib/types.h"

#define INSN_MAX_LEN 15

enum insn_cpu_mode {
	INSN_MODE_16, /* real mode, or a 16-bit code segment */
	INSN_MODE_32, /* a 32-bit code segment (also compatibility mode) */
	INSN_MODE_64, /* 64-bit mode */
};

enum insn_mov_kind {
	INSN_MOV_LOAD,	    /* register <- memory */
	INSN_MOV_STORE,	    /* memory <- register */
	INSN_MOV_STORE_IMM, /* memory <- immediate */
};

struct insn_mov {
	enum insn_mov_kind kind;
	uint8_t len;	/* instruction length in bytes */
	uint8_t size;	/* operand size: 1, 2, 4 or 8 bytes */
	uint8_t reg;	/* general register number 0-15 (loads and stores) */
	bool high_byte; /* a byte register AH/CH/DH/BH (no REX, reg 4-7) */
	uint64_t imm;	/* for STORE_IMM, sign-extended to the operand size */
};

/*
 * Decodes the MOV at buf[0..avail) in `mode`. Returns 0 with *out filled, or
 * -1 when the bytes are not a MOV with a memory operand, or are truncated
 * (avail too small), or the instruction would exceed 15 bytes.
 */
int insn_decode_mov(const uint8_t *buf, size_t avail, enum insn_cpu_mode mode,
		    struct insn_mov *out);

#endif
