/*
 * arch/x86/mm/guest_walk.c: a guest's own page tables, walked for the
 * instruction Tessera must decode. Input: CR0, CR3, CR4, EFER and the linear
 * address (8 bytes each), then up to 64 KiB of guest memory at GPA 0 holding
 * whatever tables the guest built. Checked: every table read lies inside that
 * memory (the reader refuses the rest, as gpa_to_hva() does), the walk ends,
 * and without paging the address is its own translation.
 */
#include "tests/fuzz/fuzz.h"
#include "arch/x86/mm/guest_walk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

struct mem {
	const uint8_t *bytes;
	size_t size;
	unsigned reads;
};

static bool read_mem(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	struct mem *m = ctx;

	m->reads++;
	if (gpa >= m->size || len > m->size - gpa)
		return false;
	memcpy(buf, m->bytes + gpa, len);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_paging pg;
	struct mem m;
	uint64_t la, gpa = 0;
	int r;

	if (size < 40)
		return 0;
	pg = (struct guest_paging){fuzz_get64(data), fuzz_get64(data + 8), fuzz_get64(data + 16),
				   fuzz_get64(data + 24)};
	la = fuzz_get64(data + 32);
	m = (struct mem){data + 40, size - 40 > 65536 ? 65536 : size - 40, 0};
	r = guest_walk(&pg, la, read_mem, &m, &gpa);
	FUZZ_CHECK(r == 0 || r == -1);
	FUZZ_CHECK(m.reads <= 5); /* at most one entry per level, five levels */
	if (!(pg.cr0 & CR0_PG)) {
		FUZZ_CHECK(r == 0 && m.reads == 0);
		FUZZ_CHECK(gpa == ((pg.efer & EFER_LMA) ? la : (uint32_t)la));
	}
	return 0;
}
