/*
 * The range list of HvCallFlushGuestPhysicalAddressList: guest-physical
 * ranges as HV_GPA_PAGE_RANGE entries (guest-abi/hyperv-tlfs.h), and the
 * decoding of one entry. Pure (host-tested, fuzzed: every range list must
 * name exactly the pages asked for, rounded out to whole 4 KiB pages).
 *
 * Up to 2048 pages an entry; with `large`, a part that is 2 MiB or 1 GiB
 * aligned and long enough becomes the large-page form. The TLFS page of the
 * list call documents only the 4 KiB form, so Tessera's flush does not ask
 * for the large one (hv/partition/ept_flush.c).
 */
#ifndef TESSERA_DRIVERS_HYPERV_GPA_RANGE_H
#define TESSERA_DRIVERS_HYPERV_GPA_RANGE_H

#include "lib/types.h"

/* Guest-physical addresses an EPT can map (4-level: below 2^48). */
#define HV_GPA_RANGE_LIMIT (1ull << 48)

struct hv_gpa_list {
	uint32_t nr, max; /* entries used, capacity of range[] */
	uint64_t *range;
};

/*
 * Appends the entries for [gpa, gpa + len), rounded out to 4 KiB pages.
 * len 0 adds nothing. Returns false, with the list unchanged, when the range
 * passes HV_GPA_RANGE_LIMIT or the entries do not fit: flush everything then.
 */
bool hv_gpa_list_add(struct hv_gpa_list *l, uint64_t gpa, uint64_t len, bool large);

struct hv_gpa_span {
	uint64_t base, pages;
	uint32_t page_shift; /* 12, 21 or 30 */
};

/* One entry: false for reserved bits set or a misaligned 1 GiB page. */
bool hv_gpa_range_decode(uint64_t range, struct hv_gpa_span *out);

#endif
