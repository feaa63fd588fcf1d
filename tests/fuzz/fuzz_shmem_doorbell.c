/*
 * hv/policy/shmem_doorbell: a guest's access to its doorbell page, as the exit
 * handler sees it: the instruction bytes at RIP (decoded by insn_decode_mov,
 * as in hv/exit), the offset in the page, the register value, the peer's
 * index and the region's peer count and notify_on_read. Checked against the
 * rules of guest-abi/tessera.h: only peers that exist are rung, never the
 * accessing one; a write rings at most one, and only by a 32-bit write of its
 * index at offset 0; a read rings only with notify_on_read and returns the
 * reader's index, and 0 anywhere else.
 */
#include "tests/fuzz/fuzz.h"
#include "arch/x86/insn_decode.h"
#include "hv/policy/shmem_doorbell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insn_mov m;
	struct shmem_db_access a;
	struct shmem_db_result r;
	uint32_t self, n;
	bool nor;

	/* n, self, flags (bit 0 notify_on_read, bits 1-2 the CPU mode), offset (2), value (8). */
	if (size < 14)
		return 0;
	n = data[0] % 6; /* 0..5: the bad views too */
	self = data[1] % 5;
	nor = data[2] & 1;
	a.offset = (data[3] | (uint32_t)data[4] << 8) & 0xfff;
	a.value = fuzz_get64(data + 5);
	if (insn_decode_mov(data + 13, size - 13, (enum insn_cpu_mode)((data[2] >> 1) % 3), &m))
		return 0;
	a.size = m.size;
	a.write = m.kind != INSN_MOV_LOAD;
	if (m.kind == INSN_MOV_STORE_IMM)
		a.value = m.imm;
	r = shmem_doorbell_decode(&a, self, n, nor);

	if (n > TESSERA_SHMEM_MAX_PEERS || self >= n) {
		FUZZ_CHECK(r.ring == 0);
		return 0;
	}
	FUZZ_CHECK((r.ring >> n) == 0);
	FUZZ_CHECK(!(r.ring & (1u << self)));
	if (a.write) {
		FUZZ_CHECK((r.ring & (r.ring - 1)) == 0);
		FUZZ_CHECK(!r.ring || (a.offset == 0 && a.size == 4 && r.ring == 1u << a.value));
		FUZZ_CHECK(r.read_value == 0);
	} else {
		FUZZ_CHECK(!r.ring || (nor && a.offset == 0 && a.size == 4));
		FUZZ_CHECK(r.read_value == (a.offset == 0 && a.size == 4 ? self : 0));
	}
	return 0;
}
