/*
 * MOV decoding for MMIO emulation (see insn_decode.h). The memory operand's
 * address is not computed: the exit that brought us here gave it. What is
 * needed is the direction, the size, the register or immediate, and the
 * length, so ModRM, SIB and displacement are walked only to be skipped.
 */
#include "arch/x86/insn_decode.h"

struct cursor {
	const uint8_t *buf;
	size_t avail, pos;
};

static bool take(struct cursor *c, uint8_t *b)
{
	if (c->pos >= c->avail || c->pos >= INSN_MAX_LEN)
		return false;
	*b = c->buf[c->pos++];
	return true;
}

static bool skip(struct cursor *c, size_t n)
{
	if (c->pos + n > c->avail || c->pos + n > INSN_MAX_LEN)
		return false;
	c->pos += n;
	return true;
}

/* Legacy prefixes and REX. Returns false on a prefix MOV cannot take. */
static bool prefixes(struct cursor *c, enum insn_cpu_mode mode, bool *opsize, bool *addrsize,
		     uint8_t *rex, uint8_t *op)
{
	for (;;) {
		if (!take(c, op))
			return false;
		switch (*op) {
		case 0x66:
			*opsize = true;
			continue;
		case 0x67:
			*addrsize = true;
			continue;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
		case 0x64:
		case 0x65:
			continue; /* segment overrides: the address is known already */
		case 0xf0:
		case 0xf2:
		case 0xf3:
			return false; /* LOCK, REP: not a plain MOV */
		}
		if (mode == INSN_MODE_64 && (*op & 0xf0) == 0x40) {
			*rex = *op; /* only the last REX before the opcode counts */
			if (!take(c, op))
				return false;
			if ((*op & 0xf0) == 0x40 || *op == 0x66 || *op == 0x67)
				return false; /* a prefix after REX: REX is void; refuse */
		}
		return true;
	}
}

/* Skips ModRM's memory operand (SIB, displacement). false: a register operand or short. */
static bool skip_memory_operand(struct cursor *c, uint8_t modrm, bool addr16)
{
	uint8_t mod = modrm >> 6, rm = modrm & 7, sib;

	if (mod == 3)
		return false;
	if (addr16) {
		if (mod == 0 && rm == 6)
			return skip(c, 2);
		return skip(c, mod == 1 ? 1 : mod == 2 ? 2 : 0);
	}
	if (rm == 4) {
		if (!take(c, &sib))
			return false;
		if (mod == 0 && (sib & 7) == 5)
			return skip(c, 4);
	}
	if (mod == 0 && rm == 5)
		return skip(c, 4); /* disp32 (RIP-relative in 64-bit mode) */
	return skip(c, mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static uint8_t operand_size(enum insn_cpu_mode mode, bool opsize, uint8_t rex, bool byte_op)
{
	if (byte_op)
		return 1;
	if (rex & 8)
		return 8;
	if (mode == INSN_MODE_16)
		return opsize ? 4 : 2;
	return opsize ? 2 : 4;
}

static bool read_imm(struct cursor *c, uint8_t size, uint64_t *imm)
{
	uint8_t n = size == 8 ? 4 : size, b;
	uint64_t v = 0;

	for (uint8_t i = 0; i < n; i++) {
		if (!take(c, &b))
			return false;
		v |= (uint64_t)b << (8 * i);
	}
	if (size == 8 && (v & 0x80000000u))
		v |= 0xffffffff00000000ull; /* imm32 sign-extended to 64 bits */
	*imm = v;
	return true;
}

/* MOV AL/AX/EAX/RAX <-> moffs (A0-A3): an absolute address of the address size. */
static int decode_moffs(struct cursor *c, enum insn_cpu_mode mode, bool addrsize, uint8_t op,
			struct insn_mov *out)
{
	size_t n = mode == INSN_MODE_64	  ? (addrsize ? 4 : 8)
		   : mode == INSN_MODE_32 ? (addrsize ? 2 : 4)
					  : (addrsize ? 4 : 2);

	out->kind = op >= 0xa2 ? INSN_MOV_STORE : INSN_MOV_LOAD;
	out->reg = 0;
	if (!skip(c, n))
		return -1;
	out->len = (uint8_t)c->pos;
	return 0;
}

int insn_decode_mov(const uint8_t *buf, size_t avail, enum insn_cpu_mode mode, struct insn_mov *out)
{
	struct cursor c = {buf, avail, 0};
	bool opsize = false, addrsize = false, byte_op;
	uint8_t rex = 0, op, modrm;
	bool addr16;

	if (!prefixes(&c, mode, &opsize, &addrsize, &rex, &op))
		return -1;
	byte_op = !(op & 1);
	*out = (struct insn_mov){.size = operand_size(mode, opsize, rex, byte_op)};
	if (op >= 0xa0 && op <= 0xa3)
		return decode_moffs(&c, mode, addrsize, op, out);
	if (!take(&c, &modrm))
		return -1;
	addr16 = mode == INSN_MODE_16 ? !addrsize : (mode == INSN_MODE_32 && addrsize);
	switch (op) {
	case 0x88:
	case 0x89:
		out->kind = INSN_MOV_STORE;
		break;
	case 0x8a:
	case 0x8b:
		out->kind = INSN_MOV_LOAD;
		break;
	case 0xc6:
	case 0xc7:
		if ((modrm >> 3) & 7)
			return -1; /* /0 only */
		out->kind = INSN_MOV_STORE_IMM;
		break;
	default:
		return -1;
	}
	out->reg = (uint8_t)(((modrm >> 3) & 7) | ((rex & 4) << 1));
	out->high_byte = byte_op && !rex && out->reg >= 4 && out->kind != INSN_MOV_STORE_IMM;
	if (!skip_memory_operand(&c, modrm, addr16))
		return -1;
	if (out->kind == INSN_MOV_STORE_IMM && !read_imm(&c, out->size, &out->imm))
		return -1;
	out->len = (uint8_t)c.pos;
	return 0;
}
