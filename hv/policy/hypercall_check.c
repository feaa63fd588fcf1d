/* The PARTITION_INFO reply; the argument checks are inline in hypercall_check.h. */
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
