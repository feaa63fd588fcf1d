/*
 * Physical page allocator over a sorted array of free ranges (see page_alloc.h).
 * Invariant: r[0..nr) sorted by base, every range non-empty and page aligned,
 * r[i].end < r[i + 1].base (ranges that touch are merged), page 0 never inside.
 */
#include "lib/page_alloc.h"
#include "lib/log.h"
#include "lib/string.h"

void pa_init(struct page_allocator *a)
{
	memset(a, 0, sizeof(*a));
	a->lock = (spinlock_t)SPINLOCK_INIT;
}

static void insert_at(struct page_allocator *a, uint32_t i, uint64_t base, uint64_t end)
{
	memmove(&a->r[i + 1], &a->r[i], (a->nr - i) * sizeof(a->r[0]));
	a->r[i].base = base;
	a->r[i].end = end;
	a->nr++;
}

static void remove_at(struct page_allocator *a, uint32_t i, uint32_t count)
{
	memmove(&a->r[i], &a->r[i + count], (a->nr - i - count) * sizeof(a->r[0]));
	a->nr -= count;
}

/*
 * Makes [base, end) free, merging with every range it overlaps or touches.
 * Returns -1 when a new slot is needed and the array is full.
 */
static int add_union(struct page_allocator *a, uint64_t base, uint64_t end)
{
	uint32_t first = 0, last;

	while (first < a->nr && a->r[first].end < base)
		first++;
	last = first;
	while (last < a->nr && a->r[last].base <= end)
		last++;
	if (last == first) { /* touches nothing: a new range before r[first] */
		if (a->nr == PA_MAX_RANGES)
			return -1;
		insert_at(a, first, base, end);
		return 0;
	}
	/* r[first .. last) overlap or touch [base, end): fold them into r[first]. */
	a->r[first].base = MIN(base, a->r[first].base);
	a->r[first].end = MAX(end, a->r[last - 1].end);
	remove_at(a, first + 1, last - first - 1);
	return 0;
}

/*
 * Takes [s, e), which lies inside r[i], out of the free ranges. A hole in the
 * middle needs a new slot; with none left the smaller side is given up.
 */
static void carve(struct page_allocator *a, uint32_t i, uint64_t s, uint64_t e)
{
	struct pa_range *r = &a->r[i];

	if (s == r->base && e == r->end) {
		remove_at(a, i, 1);
	} else if (s == r->base) {
		r->base = e;
	} else if (e == r->end) {
		r->end = s;
	} else if (a->nr < PA_MAX_RANGES) {
		insert_at(a, i + 1, e, r->end);
		r->end = s;
	} else {
		uint64_t left = s - r->base, right = r->end - e;

		log_warn("page_alloc: range array full, dropping %llu KiB at %#llx",
			 (unsigned long long)(MIN(left, right) / KiB),
			 (unsigned long long)(left <= right ? r->base : e));
		a->dropped_bytes += MIN(left, right);
		if (left <= right)
			r->base = e;
		else
			r->end = s;
	}
}

int pa_add(struct page_allocator *a, uint64_t base, uint64_t len)
{
	uint64_t end;
	int rc;

	if (len == 0 || base >= PA_PHYS_LIMIT)
		return 0;
	end = len > PA_PHYS_LIMIT - base ? PA_PHYS_LIMIT : base + len;
	base = MAX(ALIGN_UP(base, PAGE_SIZE), PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (base >= end)
		return 0;
	spin_lock(&a->lock);
	rc = add_union(a, base, end);
	spin_unlock(&a->lock);
	if (rc)
		log_err("page_alloc: range array full (%u ranges), cannot add %#llx-%#llx",
			PA_MAX_RANGES, (unsigned long long)base, (unsigned long long)end - 1);
	return rc;
}

void pa_reserve(struct page_allocator *a, uint64_t base, uint64_t len)
{
	uint64_t end;

	if (len == 0 || base >= PA_PHYS_LIMIT)
		return;
	end = len > PA_PHYS_LIMIT - base ? PA_PHYS_LIMIT : base + len;
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	spin_lock(&a->lock);
	/* carve() leaves r[i] either gone, ending at or before base, or starting at end. */
	for (uint32_t i = 0; i < a->nr && a->r[i].base < end;) {
		if (a->r[i].end <= base) {
			i++;
			continue;
		}
		carve(a, i, MAX(base, a->r[i].base), MIN(end, a->r[i].end));
	}
	spin_unlock(&a->lock);
}

uint64_t pa_alloc(struct page_allocator *a, uint64_t npages, uint64_t align, uint64_t limit)
{
	uint64_t size, found = 0;

	if (npages == 0 || npages > PA_PHYS_LIMIT / PAGE_SIZE)
		return 0;
	align = MAX(align, PAGE_SIZE);
	if (align & (align - 1)) {
		log_err("page_alloc: alignment %#llx is not a power of two",
			(unsigned long long)align);
		return 0;
	}
	size = npages * PAGE_SIZE;
	spin_lock(&a->lock);
	for (uint32_t i = a->nr; i-- > 0;) {
		uint64_t top = MIN(a->r[i].end, limit);

		/* base + size cannot wrap: both are below 2^52. */
		if (top < a->r[i].base + size)
			continue;
		uint64_t start = ALIGN_DOWN(top - size, align);
		if (start < a->r[i].base)
			continue;
		carve(a, i, start, start + size);
		found = start;
		break;
	}
	spin_unlock(&a->lock);
	return found;
}

void pa_free(struct page_allocator *a, uint64_t pa, uint64_t npages)
{
	uint64_t end;
	bool overlap = false;
	int rc;

	if (npages == 0)
		return;
	if (pa == 0 || !IS_ALIGNED(pa, PAGE_SIZE) || pa >= PA_PHYS_LIMIT ||
	    npages > (PA_PHYS_LIMIT - pa) / PAGE_SIZE) {
		log_err("page_alloc: refusing to free %llu pages at %#llx (bad address or size)",
			(unsigned long long)npages, (unsigned long long)pa);
		return;
	}
	end = pa + npages * PAGE_SIZE;
	spin_lock(&a->lock);
	for (uint32_t i = 0; i < a->nr && a->r[i].base < end; i++)
		if (a->r[i].end > pa)
			overlap = true;
	rc = overlap ? 0 : add_union(a, pa, end);
	if (rc)
		a->dropped_bytes += end - pa;
	spin_unlock(&a->lock);
	if (overlap)
		log_err("page_alloc: double free: %#llx-%#llx is already partly free",
			(unsigned long long)pa, (unsigned long long)end - 1);
	else if (rc)
		log_warn("page_alloc: range array full, leaking freed %#llx-%#llx",
			 (unsigned long long)pa, (unsigned long long)end - 1);
}

uint64_t pa_free_bytes(const struct page_allocator *a)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < a->nr; i++)
		sum += a->r[i].end - a->r[i].base;
	return sum;
}

uint32_t pa_range_count(const struct page_allocator *a)
{
	return a->nr;
}

#ifndef HOST_TEST
static struct page_allocator hv_allocator; /* all zero: the state pa_init() makes */

struct page_allocator *hv_page_allocator(void)
{
	return &hv_allocator;
}

void *alloc_pages(uint64_t npages)
{
	uint64_t pa = pa_alloc(&hv_allocator, npages, PAGE_SIZE, 4 * GiB);

	if (!pa)
		panic("alloc_pages: out of memory: no run of %llu pages below 4 GiB "
		      "(%llu KiB free in %u ranges in all)",
		      (unsigned long long)npages,
		      (unsigned long long)(pa_free_bytes(&hv_allocator) / KiB),
		      pa_range_count(&hv_allocator));
	memset((void *)(uintptr_t)pa, 0, npages * PAGE_SIZE);
	return (void *)(uintptr_t)pa;
}

uint64_t alloc_pages_below(uint64_t npages, uint64_t limit)
{
	return pa_alloc(&hv_allocator, npages, PAGE_SIZE, limit);
}

void free_pages(uint64_t pa, uint64_t npages)
{
	pa_free(&hv_allocator, pa, npages);
}
#endif
