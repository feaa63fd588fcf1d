/*
 * drivers/hyperv_gpa_range.c: HV_GPA_PAGE_RANGE lists for
 * HvCallFlushGuestPhysicalAddressList: the 4 KiB form, 2048 pages an entry,
 * the large-page forms where aligned, rounding, limits, and the decoder.
 */
#include "tests/unit/check.h"
#include "drivers/hyperv_gpa_range.h"
#include "guest-abi/hyperv-tlfs.h"

static uint64_t buf[64];

static struct hv_gpa_list list(uint32_t max)
{
	memset(buf, 0xa5, sizeof(buf));
	return (struct hv_gpa_list){.nr = 0, .max = max, .range = buf};
}

/* The bytes the list names, checking each entry decodes and follows the last. */
static uint64_t covered(const struct hv_gpa_list *l, uint64_t start)
{
	uint64_t cur = start;

	for (uint32_t i = 0; i < l->nr; i++) {
		struct hv_gpa_span s;

		if (!hv_gpa_range_decode(l->range[i], &s) || s.base != cur)
			return ~0ull;
		cur += s.pages << s.page_shift;
	}
	return cur - start;
}

TEST(small_pages)
{
	struct hv_gpa_list l = list(64);

	CHECK(hv_gpa_list_add(&l, 0x5000, 0x1000, false));
	CHECK_EQ(l.nr, 1);
	CHECK_EQ(l.range[0], 0x5000); /* one page: no additional pages */
	/* Rounded out to whole pages: 0x6fff-0x8000 touches 3 pages. */
	CHECK(hv_gpa_list_add(&l, 0x6fff, 0x1002, false));
	CHECK_EQ(l.nr, 2);
	CHECK_EQ(l.range[1], 0x6000 | 2);
	CHECK(hv_gpa_list_add(&l, 0x10000, 0, false)); /* nothing */
	CHECK_EQ(l.nr, 2);
}

TEST(max_pages_per_entry)
{
	struct hv_gpa_list l = list(64);

	/* 2048 pages fit one entry (bits 10:0 = 2047); one more needs a second. */
	CHECK(hv_gpa_list_add(&l, 0x100000, 2048 * 4096ull, false));
	CHECK_EQ(l.nr, 1);
	CHECK_EQ(l.range[0], 0x100000 | 0x7ff);
	CHECK(!(l.range[0] & HV_GPA_PAGE_RANGE_LARGE_PAGE));
	CHECK(hv_gpa_list_add(&l, 0x10000000, 2049 * 4096ull, false));
	CHECK_EQ(l.nr, 3);
	CHECK_EQ(l.range[1], 0x10000000 | 0x7ff);
	CHECK_EQ(l.range[2], 0x10000000 + 2048 * 4096ull);
	/* Without large pages, a 1 GiB range is 128 entries of 8 MiB. */
	l = list(64);
	CHECK(!hv_gpa_list_add(&l, GiB, GiB, false));
	CHECK_EQ(l.nr, 0); /* unchanged on failure */
}

TEST(large_pages)
{
	struct hv_gpa_list l = list(64);

	/* 4 GiB at 1 GiB: one entry of four 1 GiB pages. */
	CHECK(hv_gpa_list_add(&l, GiB, 4 * GiB, true));
	CHECK_EQ(l.nr, 1);
	CHECK_EQ(l.range[0],
		 GiB | 3 | HV_GPA_PAGE_RANGE_LARGE_PAGE | HV_GPA_PAGE_RANGE_PAGE_SIZE_1G);
	/* 2 MiB aligned, shorter than 1 GiB: 2 MiB pages. */
	CHECK(hv_gpa_list_add(&l, 0x40000000ull * 8 + 2 * MiB, 6 * MiB, true));
	CHECK_EQ(l.nr, 2);
	CHECK_EQ(l.range[1], (8 * GiB + 2 * MiB) | 2 | HV_GPA_PAGE_RANGE_LARGE_PAGE);
	/* Unaligned head and tail in 4 KiB pages, the middle large, each size stopping at the
	 * boundary where the next larger one starts. */
	l = list(64);
	uint64_t start = GiB - 2 * MiB - 0x3000, len = 0x3000 + 2 * MiB + GiB + 2 * MiB + 0x1000;

	CHECK(hv_gpa_list_add(&l, start, len, true));
	CHECK_EQ(l.nr, 5);
	CHECK_EQ(l.range[0], start | 2);
	CHECK_EQ(l.range[1], (GiB - 2 * MiB) | HV_GPA_PAGE_RANGE_LARGE_PAGE);
	CHECK_EQ(l.range[2], GiB | HV_GPA_PAGE_RANGE_LARGE_PAGE | HV_GPA_PAGE_RANGE_PAGE_SIZE_1G);
	CHECK_EQ(l.range[3], 2 * GiB | HV_GPA_PAGE_RANGE_LARGE_PAGE);
	CHECK_EQ(l.range[4], 2 * GiB + 2 * MiB);
	CHECK_EQ(covered(&l, start), len);
	/* A small range that crosses a 2 MiB boundary stays one 4 KiB entry. */
	l = list(64);
	CHECK(hv_gpa_list_add(&l, 2 * MiB - 0x1000, 0x2000, true));
	CHECK_EQ(l.nr, 1);
	CHECK_EQ(l.range[0], (2 * MiB - 0x1000) | 1);
}

TEST(limits)
{
	struct hv_gpa_list l = list(2);

	CHECK(!hv_gpa_list_add(&l, HV_GPA_RANGE_LIMIT, 0x1000, false));
	CHECK(!hv_gpa_list_add(&l, HV_GPA_RANGE_LIMIT - 0x1000, 0x2000, false));
	CHECK(!hv_gpa_list_add(&l, 0x1000, ~0ull, false)); /* wraps */
	CHECK(hv_gpa_list_add(&l, HV_GPA_RANGE_LIMIT - 0x1000, 0x1000, false));
	CHECK_EQ(l.nr, 1);
	/* Room for one more entry, not two: nothing is added. */
	CHECK(!hv_gpa_list_add(&l, 0, 2049 * 4096ull, false));
	CHECK_EQ(l.nr, 1);
	CHECK(hv_gpa_list_add(&l, 0, 2048 * 4096ull, false));
	CHECK_EQ(l.nr, 2);
	CHECK(!hv_gpa_list_add(&l, 0x80000000, 0x1000, false)); /* full */
	CHECK_EQ(buf[2], 0xa5a5a5a5a5a5a5a5ull);		/* never written past max */
}

TEST(decode)
{
	struct hv_gpa_span s;

	CHECK(hv_gpa_range_decode(0x12345000 | 0x7ff, &s));
	CHECK_EQ(s.base, 0x12345000);
	CHECK_EQ(s.pages, 2048);
	CHECK_EQ(s.page_shift, 12);
	CHECK(hv_gpa_range_decode(0x40200000 | 1 | HV_GPA_PAGE_RANGE_LARGE_PAGE, &s));
	CHECK_EQ(s.base, 0x40200000);
	CHECK_EQ(s.pages, 2);
	CHECK_EQ(s.page_shift, 21);
	CHECK(hv_gpa_range_decode(
	    0x80000000 | HV_GPA_PAGE_RANGE_LARGE_PAGE | HV_GPA_PAGE_RANGE_PAGE_SIZE_1G, &s));
	CHECK_EQ(s.base, 0x80000000);
	CHECK_EQ(s.page_shift, 30);
	/* Reserved bits 20:13 of the large form, and a 1 GiB page that is not aligned. */
	CHECK(!hv_gpa_range_decode(0x40000000 | HV_GPA_PAGE_RANGE_LARGE_PAGE | 0x2000, &s));
	CHECK(!hv_gpa_range_decode(
	    0x40200000 | HV_GPA_PAGE_RANGE_LARGE_PAGE | HV_GPA_PAGE_RANGE_PAGE_SIZE_1G, &s));
}

int main(void)
{
	CHECK_MAIN("hyperv_gpa_range");
	RUN(small_pages);
	RUN(max_pages_per_entry);
	RUN(large_pages);
	RUN(limits);
	RUN(decode);
	return CHECK_END();
}
