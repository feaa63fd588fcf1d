/* A table-free x86-64 instruction length decoder (see insn_len.h for its reach). */
#include <stdbool.h>
#include "tests/guests/lib/insn_len.h"

/* What follows an opcode: a ModRM byte and an immediate of `imm` bytes. */
struct shape {
	bool valid;
	bool modrm;
	bool group3; /* F6/F7: an immediate only for /0 and /1 (TEST) */
	unsigned imm;
};

#define OPS(m, i) ((struct shape){.valid = true, .modrm = (m), .imm = (i)})
#define INVALID	  ((struct shape){.valid = false})

static struct shape one_byte(uint8_t op, bool opsize, bool addrsize, bool rex_w)
{
	unsigned iz = opsize ? 2 : 4;

	if (op < 0x40) { /* the ALU rows: 0-3 ModRM, 4 imm8, 5 imm16/32, 6-7 legacy */
		switch (op & 7) {
		case 4:
			return OPS(false, 1);
		case 5:
			return OPS(false, iz);
		case 6:
		case 7:
			return INVALID; /* push/pop seg, DAA...: invalid in 64-bit mode */
		default:
			return OPS(true, 0);
		}
	}
	if (op >= 0x50 && op <= 0x5f)
		return OPS(false, 0);
	if (op >= 0x70 && op <= 0x7f)
		return OPS(false, 1);
	if (op >= 0x84 && op <= 0x8f)
		return OPS(true, 0);
	if (op >= 0x90 && op <= 0x9f && op != 0x9a)
		return OPS(false, 0);
	if (op >= 0xa0 && op <= 0xa3)
		return OPS(false, addrsize ? 4 : 8); /* moffs */
	if (op >= 0xb0 && op <= 0xb7)
		return OPS(false, 1);
	if (op >= 0xb8 && op <= 0xbf)
		return OPS(false, rex_w ? 8 : iz);
	if (op >= 0xd8 && op <= 0xdf)
		return OPS(true, 0); /* x87 */
	if (op >= 0xe0 && op <= 0xe7)
		return OPS(false, 1);

	switch (op) {
	case 0x63:
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3:
	case 0xfe:
	case 0xff:
		return OPS(true, 0);
	case 0x68:
	case 0xa9:
		return OPS(false, iz);
	case 0x69:
	case 0x81:
	case 0xc7:
		return OPS(true, iz);
	case 0x6a:
	case 0xa8:
	case 0xcd:
	case 0xeb:
		return OPS(false, 1);
	case 0x6b:
	case 0x80:
	case 0x83:
	case 0xc0:
	case 0xc1:
	case 0xc6:
		return OPS(true, 1);
	case 0x6c:
	case 0x6d:
	case 0x6e:
	case 0x6f:
	case 0xa4:
	case 0xa5:
	case 0xa6:
	case 0xa7:
	case 0xaa:
	case 0xab:
	case 0xac:
	case 0xad:
	case 0xae:
	case 0xaf:
	case 0xc3:
	case 0xc9:
	case 0xcb:
	case 0xcc:
	case 0xcf:
	case 0xd7:
	case 0xec:
	case 0xed:
	case 0xee:
	case 0xef:
	case 0xf1:
	case 0xf4:
	case 0xf5:
	case 0xf8:
	case 0xf9:
	case 0xfa:
	case 0xfb:
	case 0xfc:
	case 0xfd:
		return OPS(false, 0);
	case 0xc2:
	case 0xca:
		return OPS(false, 2);
	case 0xc8:
		return OPS(false, 3); /* ENTER imm16, imm8 */
	case 0xe8:
	case 0xe9:
		return OPS(false, 4);
	case 0xf6:
		return (struct shape){.valid = true, .modrm = true, .group3 = true, .imm = 1};
	case 0xf7:
		return (struct shape){.valid = true, .modrm = true, .group3 = true, .imm = iz};
	default:
		/* 0x40-0x4f (a REX not directly before the opcode), 0x60-0x62, 0x82,
		 * 0x9a, 0xc4/0xc5 (VEX), 0xce, 0xd4-0xd6, 0xea: invalid or not covered. */
		return INVALID;
	}
}

static struct shape two_byte(uint8_t op)
{
	if ((op >= 0x10 && op <= 0x23) || (op >= 0x28 && op <= 0x2f) ||
	    (op >= 0x40 && op <= 0x6f) || (op >= 0x90 && op <= 0x9f) ||
	    (op >= 0xb0 && op <= 0xb9) || (op >= 0xbb && op <= 0xc1) || op >= 0xd0)
		return OPS(true, 0);
	if (op >= 0x30 && op <= 0x37)
		return OPS(false, 0); /* WRMSR, RDTSC, RDMSR, RDPMC, SYSENTER, SYSEXIT, GETSEC */
	if (op >= 0x80 && op <= 0x8f)
		return OPS(false, 4); /* Jcc rel32 */
	if (op >= 0xc8 && op <= 0xcf)
		return OPS(false, 0); /* BSWAP */
	if (op >= 0x70 && op <= 0x73)
		return OPS(true, 1);

	switch (op) {
	case 0x00:
	case 0x01:
	case 0x02:
	case 0x03:
	case 0x0d:
	case 0x74:
	case 0x75:
	case 0x76:
	case 0x78:
	case 0x79:
	case 0x7c:
	case 0x7d:
	case 0x7e:
	case 0x7f:
	case 0xa3:
	case 0xa5:
	case 0xab:
	case 0xad:
	case 0xae:
	case 0xaf:
	case 0xc3:
	case 0xc7:
		return OPS(true, 0);
	case 0x05:
	case 0x06:
	case 0x07:
	case 0x08:
	case 0x09:
	case 0x0b:
	case 0x77:
	case 0xa0:
	case 0xa1:
	case 0xa2:
	case 0xa8:
	case 0xa9:
	case 0xaa:
		return OPS(false, 0);
	case 0xa4:
	case 0xac:
	case 0xba:
	case 0xc2:
	case 0xc4:
	case 0xc5:
	case 0xc6:
		return OPS(true, 1);
	default:
		return INVALID; /* 0x04, 0x0a, 0x0c, 0x0e, 0x0f (3DNow!), 0x24-0x27, ... */
	}
}

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26:
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
	case 0x66:
	case 0x67:
	case 0xf0:
	case 0xf2:
	case 0xf3:
		return true;
	default:
		return false;
	}
}

/* Bytes taken by the ModRM byte at code[0] and its SIB and displacement. */
static unsigned modrm_len(const uint8_t *code, size_t avail)
{
	if (avail < 1)
		return 0;
	uint8_t mod = code[0] >> 6, rm = code[0] & 7;
	unsigned len = 1;

	if (mod == 3)
		return len;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		len++;
		if (mod == 0 && (code[1] & 7) == 5)
			len += 4; /* SIB without base: disp32 */
	}
	if (mod == 0 && rm == 5)
		len += 4; /* RIP-relative */
	else if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len;
}

unsigned insn_len64(const uint8_t *code, size_t avail)
{
	size_t max = avail < INSN_MAX_LEN ? avail : INSN_MAX_LEN;
	size_t i = 0;
	bool opsize = false, addrsize = false, rex_w = false;

	if (!code)
		return 0;
	while (i < max && is_legacy_prefix(code[i])) {
		opsize |= code[i] == 0x66;
		addrsize |= code[i] == 0x67;
		i++;
	}
	if (i < max && (code[i] & 0xf0) == 0x40) {
		rex_w = code[i] & 8;
		i++;
	}
	if (i >= max)
		return 0;

	uint8_t op = code[i++];
	struct shape sh;

	if (op != 0x0f) {
		sh = one_byte(op, opsize, addrsize, rex_w);
	} else {
		if (i >= max)
			return 0;
		uint8_t op2 = code[i++];
		if (op2 == 0x38 || op2 == 0x3a) {
			if (i >= max)
				return 0;
			i++; /* the third opcode byte */
			sh = OPS(true, op2 == 0x3a ? 1 : 0);
		} else {
			sh = two_byte(op2);
		}
	}
	if (!sh.valid)
		return 0;
	if (sh.modrm) {
		if (sh.group3 && i < max && ((code[i] >> 3) & 7) > 1)
			sh.imm = 0; /* NOT, NEG, MUL, IMUL, DIV, IDIV */
		unsigned m = modrm_len(code + i, max - i);
		if (m == 0)
			return 0;
		i += m;
	}
	i += sh.imm;
	return i <= max ? (unsigned)i : 0;
}
