/*
 * Lengths of x86 instructions in 64-bit mode, so that an expected fault can be
 * resumed after the faulting instruction. Covers the general-purpose one- and
 * two-byte maps and the 0F38/0F3A maps; VEX/EVEX/XOP and 3DNow! are not
 * decoded. Pure logic: also built on the host for tests/unit/test_guest_insn_len.c.
 */
#ifndef TESSERA_GUEST_LIB_INSN_LEN_H
#define TESSERA_GUEST_LIB_INSN_LEN_H

#include <stddef.h>
#include <stdint.h>

#define INSN_MAX_LEN 15

/* Length of the instruction at code[0..avail), or 0 if it is invalid, not
 * covered, longer than 15 bytes or longer than avail. */
unsigned insn_len64(const uint8_t *code, size_t avail);

#endif
