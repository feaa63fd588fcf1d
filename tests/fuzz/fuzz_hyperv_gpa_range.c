/*
 * drivers/hyperv_gpa_range: the HV_GPA_PAGE_RANGE list builder and decoder.
 * Input: a control byte (bit 0: large-page forms allowed, bits 6:1: list
 * capacity - 1), then records of 17 bytes: a length shift, a GPA, a length
 * (masked to 2^shift - 1; the GPA to 49 bits, so some pass the 2^48 limit).
 * Checked for every add: on success the new entries decode, follow each
 * other from the GPA rounded down and cover exactly the range rounded out to
 * 4 KiB pages, large ones aligned, below 2^48; on failure the list is
 * unchanged; never a write past its capacity. Every GPA is also decoded as a
 * raw entry: a valid one names 1-2048 aligned pages.
 */
#include "tests/fuzz/fuzz.h"
#include "drivers/hyperv_gpa_range.h"

#define CAP_MAX 64u
#define CANARY	0xa5a5a5a5a5a5a5a5ull

static void check_decode(uint64_t raw)
{
	struct hv_gpa_span s;

	if (!hv_gpa_range_decode(raw, &s))
		return;
	FUZZ_CHECK(s.pages >= 1 && s.pages <= 2048);
	FUZZ_CHECK(s.page_shift == 12 || s.page_shift == 21 || s.page_shift == 30);
	FUZZ_CHECK((s.base & ((1ull << s.page_shift) - 1)) == 0);
}

static void check_added(const struct hv_gpa_list *l, uint32_t from, uint64_t gpa, uint64_t len,
			bool large)
{
	uint64_t cur = gpa & ~0xfffull, end = (gpa + len + 0xfff) & ~0xfffull;

	if (len == 0) { /* nothing to name */
		FUZZ_CHECK(l->nr == from);
		return;
	}
	for (uint32_t i = from; i < l->nr; i++) {
		struct hv_gpa_span s;

		FUZZ_CHECK(hv_gpa_range_decode(l->range[i], &s));
		FUZZ_CHECK(s.base == cur);
		FUZZ_CHECK(large || s.page_shift == 12);
		cur += s.pages << s.page_shift;
		FUZZ_CHECK(cur <= end);
	}
	FUZZ_CHECK(cur == end);
	FUZZ_CHECK(end <= HV_GPA_RANGE_LIMIT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t range[CAP_MAX + 1];
	struct hv_gpa_list l = {.range = range};
	bool large;

	if (size < 1)
		return 0;
	large = data[0] & 1;
	l.max = ((data[0] >> 1) & 0x3f) + 1;
	for (uint32_t i = 0; i <= CAP_MAX; i++)
		range[i] = CANARY;
	for (size_t off = 1; off + 17 <= size; off += 17) {
		unsigned shift = data[off] & 63;
		uint64_t gpa = fuzz_get64(data + off + 1), len = fuzz_get64(data + off + 9);
		uint32_t before = l.nr;

		check_decode(gpa);
		gpa &= (1ull << 49) - 1;
		len &= (1ull << shift) - 1;
		if (hv_gpa_list_add(&l, gpa, len, large))
			check_added(&l, before, gpa, len, large);
		else
			FUZZ_CHECK(l.nr == before);
		FUZZ_CHECK(l.nr <= l.max);
		for (uint32_t i = l.max; i <= CAP_MAX; i++)
			FUZZ_CHECK(range[i] == CANARY);
	}
	return 0;
}
