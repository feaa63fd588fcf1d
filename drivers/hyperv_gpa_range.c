/* HV_GPA_PAGE_RANGE lists: see hyperv_gpa_range.h. */
#include "drivers/hyperv_gpa_range.h"
#include "guest-abi/hyperv-tlfs.h"

#define SHIFT_4K 12u
#define SHIFT_2M 21u
#define SHIFT_1G 30u

static uint64_t encode(uint64_t base, uint64_t pages, uint32_t shift)
{
	uint64_t add = pages - 1;

	if (shift == SHIFT_4K)
		return base | add;
	return base | add | HV_GPA_PAGE_RANGE_LARGE_PAGE |
	       (shift == SHIFT_1G ? HV_GPA_PAGE_RANGE_PAGE_SIZE_1G : 0);
}

/*
 * The page size of the next entry at cur (rem bytes left, a multiple of
 * 4 KiB), and how many pages it takes: the largest size cur is aligned to
 * and rem holds; a run of smaller pages stops at the boundary where a larger
 * page would start, so a long aligned stretch gets the large form.
 */
static uint32_t next_entry(uint64_t cur, uint64_t rem, bool large, uint64_t *pages)
{
	static const uint32_t shifts[] = {SHIFT_1G, SHIFT_2M, SHIFT_4K};
	uint32_t first = large ? 0 : 2;

	for (uint32_t i = first; i < 3; i++) {
		uint64_t size = 1ull << shifts[i];

		if ((cur & (size - 1)) || rem < size)
			continue;
		uint64_t n = rem >> shifts[i];

		if (n > HV_GPA_PAGE_RANGE_MAX_PAGES)
			n = HV_GPA_PAGE_RANGE_MAX_PAGES;
		if (i > first) {
			uint64_t up = 1ull << shifts[i - 1];
			uint64_t to_edge = ((cur + up) & ~(up - 1)) - cur;

			/* Stop at the larger boundary if a larger page fits after it. */
			if (to_edge < (n << shifts[i]) && rem - to_edge >= up)
				n = to_edge >> shifts[i];
		}
		*pages = n;
		return shifts[i];
	}
	*pages = 0; /* not reached: rem >= 4 KiB and cur is 4 KiB aligned */
	return SHIFT_4K;
}

bool hv_gpa_list_add(struct hv_gpa_list *l, uint64_t gpa, uint64_t len, bool large)
{
	uint32_t nr = l->nr;

	if (len == 0)
		return true;
	if (gpa >= HV_GPA_RANGE_LIMIT || len > HV_GPA_RANGE_LIMIT - gpa)
		return false;
	uint64_t cur = gpa & ~0xfffull;
	uint64_t end = (gpa + len + 0xfff) & ~0xfffull;

	while (cur < end) {
		uint64_t pages;
		uint32_t shift = next_entry(cur, end - cur, large, &pages);

		if (nr >= l->max || pages == 0)
			return false; /* l->nr untouched: the caller flushes everything */
		l->range[nr++] = encode(cur, pages, shift);
		cur += pages << shift;
	}
	l->nr = nr;
	return true;
}

bool hv_gpa_range_decode(uint64_t range, struct hv_gpa_span *out)
{
	out->pages = (range & HV_GPA_PAGE_RANGE_ADDITIONAL_MASK) + 1;
	if (!(range & HV_GPA_PAGE_RANGE_LARGE_PAGE)) {
		out->base = range & ~0xfffull;
		out->page_shift = SHIFT_4K;
		return true;
	}
	if (range & HV_GPA_PAGE_RANGE_LARGE_RSVD_MASK)
		return false;
	out->page_shift = range & HV_GPA_PAGE_RANGE_PAGE_SIZE_1G ? SHIFT_1G : SHIFT_2M;
	out->base = range & ~((1ull << HV_GPA_PAGE_RANGE_LARGE_SHIFT) - 1);
	return (out->base & ((1ull << out->page_shift) - 1)) == 0;
}
