/*
 * Physical page allocator over free ranges.
 *
 * A page_allocator holds a sorted array of non-overlapping, non-adjacent free
 * ranges [base, end), all page aligned. Its size does not depend on how much
 * memory the machine has, only on how fragmented the free memory is.
 *
 * Policy: pa_alloc() takes the highest fitting pages at or below `limit`. Memory
 * at low addresses (below 1 MiB for the AP trampoline, below 4 GiB for tables
 * that 32-bit code loads) is therefore used last, and only by callers that ask
 * for it through `limit`.
 *
 * Page 0 is never stored, so never handed out: 0 is the "none" value.
 * Every pa_* function takes the allocator's lock, except the read-only queries.
 */
#ifndef TESSERA_LIB_PAGE_ALLOC_H
#define TESSERA_LIB_PAGE_ALLOC_H

#include "lib/types.h"
#include "lib/spinlock.h"

#define PA_MAX_RANGES 256
/* Highest physical address the architecture allows (MAXPHYADDR <= 52). */
#define PA_PHYS_LIMIT BIT(52)
/* pa_alloc() limit meaning "anywhere". */
#define PA_NO_LIMIT   UINT64_MAX

struct pa_range {
	uint64_t base; /* first byte, page aligned */
	uint64_t end;  /* one past the last byte, page aligned, > base */
};

struct page_allocator {
	spinlock_t lock;
	uint32_t nr;
	uint64_t dropped_bytes; /* free memory lost because the range array was full */
	struct pa_range r[PA_MAX_RANGES];
};

void pa_init(struct page_allocator *a);

/*
 * Adds free RAM [base, base + len): trimmed inward to whole pages, page 0 and
 * anything at or above PA_PHYS_LIMIT left out. Overlap with ranges already free
 * is merged (adding the same RAM twice is harmless). Returns 0, or -1 when the
 * range array is full (the range is then not added; logged).
 */
int pa_add(struct page_allocator *a, uint64_t base, uint64_t len);

/*
 * Removes [base, base + len), widened outward to whole pages, from the free
 * ranges; parts that are not free are ignored. Splitting a range needs a slot:
 * with the array full the smaller piece is dropped (never handed out; logged).
 */
void pa_reserve(struct page_allocator *a, uint64_t base, uint64_t len);

/*
 * A run of npages pages whose first byte is aligned to `align` bytes (a power of
 * two; values below 4 KiB mean 4 KiB) and whose last byte is below `limit`
 * (start + npages * 4 KiB <= limit). Takes the highest such run. Returns its
 * physical address, or 0 when none fits or the arguments are invalid.
 */
uint64_t pa_alloc(struct page_allocator *a, uint64_t npages, uint64_t align, uint64_t limit);

/*
 * Gives back npages pages at pa (page aligned). Freeing page 0, a misaligned
 * address, a range that wraps, or any page that is already free is refused and
 * logged: nothing is freed then.
 */
void pa_free(struct page_allocator *a, uint64_t pa, uint64_t npages);

/* Snapshots without the lock: for reports. */
uint64_t pa_free_bytes(const struct page_allocator *a);
uint32_t pa_range_count(const struct page_allocator *a);

#ifndef HOST_TEST
/* The hypervisor's allocator, fed by mem_init() (hv/core/mem.c). */
struct page_allocator *hv_page_allocator(void);

/*
 * npages zeroed pages, 4 KiB aligned, below 4 GiB, identity mapped. Panics with
 * the request and what is left when memory is exhausted: callers need not check.
 */
void *alloc_pages(uint64_t npages);

/* npages pages ending at or below limit, not zeroed; 0 when none. */
uint64_t alloc_pages_below(uint64_t npages, uint64_t limit);

/* Returns pages from alloc_pages() / alloc_pages_below(). */
void free_pages(uint64_t pa, uint64_t npages);
#endif

#endif
