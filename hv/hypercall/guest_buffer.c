/* A hypercall's guest buffers, region by region: see guest_buffer.h. */
#include "hv/hypercall/guest_buffer.h"
#include "hv/policy/hypercall_check.h"
#include "lib/string.h"

bool guest_buffer_each(struct partition *p, uint64_t gpa, uint64_t len, guest_piece_fn fn,
		       void *ctx)
{
	uint64_t offset = 0;

	gpa = partition_gpa(p, gpa); /* the execute-only alias is the same RAM */
	if (!guest_ram_covers(p->regions, p->nr_regions, gpa, len))
		return false;
	while (offset < len) {
		uint64_t hpa;
		uint64_t span =
		    guest_ram_span(p->regions, p->nr_regions, gpa + offset, len - offset, &hpa);

		fn(ctx, (uint8_t *)(uintptr_t)hpa, offset, span);
		offset += span;
	}
	return true;
}

static void copy_piece(void *src, uint8_t *hva, uint64_t offset, uint64_t len)
{
	memcpy(hva, (const uint8_t *)src + offset, len);
}

bool copy_to_guest(struct partition *p, uint64_t gpa, const void *src, uint64_t len)
{
	return guest_buffer_each(p, gpa, len, copy_piece, (void *)src);
}
