/*
 * Guest buffers against the partition's RAM regions, and the PARTITION_INFO
 * reply; the argument checks are inline in hypercall_check.h.
 */
#include "hv/policy/hypercall_check.h"
#include "lib/string.h"

void hypercall_fill_info(struct tessera_partition_info *info, uint32_t partition_id,
			 const char *name, uint32_t nr_vcpus, uint32_t vcpu_index,
			 uint64_t memory_bytes, uint32_t restarts)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->partition_id = partition_id;
	str_copy(info->name, name, sizeof(info->name));
	info->nr_vcpus = nr_vcpus;
	info->vcpu_index = vcpu_index;
	info->memory_bytes = memory_bytes;
	info->restarts = restarts;
}

uint64_t guest_ram_span(const struct guest_region *regions, uint32_t n, uint64_t gpa, uint64_t len,
			uint64_t *hpa)
{
	const struct guest_region *r = guest_ram_region(regions, n, gpa);

	if (!r)
		return 0;
	*hpa = r->hpa + (gpa - r->gpa);
	return MIN(len, r->size - (gpa - r->gpa));
}

bool guest_ram_covers(const struct guest_region *regions, uint32_t n, uint64_t gpa, uint64_t len)
{
	uint64_t hpa;

	if (hypercall_buffer_wraps(gpa, len))
		return false;
	/*
	 * Piece by piece: each ends a region's RAM or the range. Regions do not
	 * overlap, so each piece is in another region: at most n pieces.
	 */
	for (uint32_t i = 0; len && i < n; i++) {
		uint64_t span = guest_ram_span(regions, n, gpa, len, &hpa);

		if (!span)
			return false;
		gpa += span;
		len -= span;
	}
	return len == 0;
}
