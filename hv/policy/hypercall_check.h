/*
 * Checks on a guest's hypercall that need nothing but its registers (pure;
 * hv/hypercall/hypercall.c does the calls). Every argument is hostile: lengths and
 * counts are bounded, buffers may not wrap around the address space. Whether
 * a buffer is guest RAM is for guest_ram_covers() to say, from the partition's
 * regions.
 */
#ifndef TESSERA_HV_HYPERCALL_CHECK_H
#define TESSERA_HV_HYPERCALL_CHECK_H

#include "lib/types.h"
#include "guest-abi/tessera.h"
#include "hv/policy/guest_region.h"

/* A call as the guest made it: RAX, then RDI, RSI, RDX, RCX. */
struct hypercall {
	uint64_t nr;
	uint64_t arg[4];
};

/* Outside 64-bit mode only the low 32 bits of each register count. */
static inline void hypercall_truncate(struct hypercall *hc)
{
	hc->nr = (uint32_t)hc->nr;
	for (unsigned i = 0; i < 4; i++)
		hc->arg[i] = (uint32_t)hc->arg[i];
}

/* Whether [gpa, gpa + len) wraps past 2^64. */
static inline bool hypercall_buffer_wraps(uint64_t gpa, uint64_t len)
{
	return len && gpa > UINT64_MAX - (len - 1);
}

/*
 * 0 when the call may go ahead, else the TESSERA_E_* error to return: E_PERM
 * from CPL > 0 (before anything else), E_NOSYS for an unknown number, E_INVAL
 * for a length or count over its limit, a page address not 4 KiB aligned, a
 * mask over 32 bits or an unknown flag, E_FAULT for a buffer that wraps.
 * Inline: it is on every hypercall's path.
 */
static inline long hypercall_check(const struct hypercall *hc, unsigned cpl)
{
	if (cpl != 0)
		return TESSERA_E_PERM;
	switch (hc->nr) {
	case TESSERA_HC_ABI_VERSION:
	case TESSERA_HC_EXIT:
	case TESSERA_HC_PRINT_STATS:
		return 0;
	case TESSERA_HC_CONSOLE_WRITE:
		if (hc->arg[1] > TESSERA_CONSOLE_WRITE_MAX)
			return TESSERA_E_INVAL;
		return hypercall_buffer_wraps(hc->arg[0], hc->arg[1]) ? TESSERA_E_FAULT : 0;
	case TESSERA_HC_PARTITION_INFO:
		return hypercall_buffer_wraps(hc->arg[0], sizeof(struct tessera_partition_info))
			   ? TESSERA_E_FAULT
			   : 0;
	case TESSERA_HC_EXIT_STATS:
		if (hc->arg[1] > TESSERA_EXIT_STATS_MAX)
			return TESSERA_E_INVAL;
		return hypercall_buffer_wraps(hc->arg[0], hc->arg[1] * sizeof(uint64_t))
			   ? TESSERA_E_FAULT
			   : 0;
	case TESSERA_HC_HYPERV_CPUID:
		if (hc->arg[1] > TESSERA_HYPERV_CPUID_MAX)
			return TESSERA_E_INVAL;
		return hypercall_buffer_wraps(hc->arg[0],
					      hc->arg[1] * sizeof(struct tessera_cpuid_leaf))
			   ? TESSERA_E_FAULT
			   : 0;
	case TESSERA_HC_SPP_SET:
		if (hc->arg[1] > TESSERA_SPP_MASK_ALL ||
		    (hc->arg[2] & ~(uint64_t)TESSERA_SPP_FLAGS))
			return TESSERA_E_INVAL;
		return hc->arg[0] & 0xfff ? TESSERA_E_INVAL : 0;
	case TESSERA_HC_SPP_GET:
		return hc->arg[0] & 0xfff ? TESSERA_E_INVAL : 0;
	case TESSERA_HC_VE_INFO:
		return hc->arg[0] != TESSERA_VE_INFO_NONE && (hc->arg[0] & 0xfff) ? TESSERA_E_INVAL
										  : 0;
	case TESSERA_HC_SHMEM_LIST:
		if (hc->arg[1] > TESSERA_SHMEM_MAX)
			return TESSERA_E_INVAL;
		return hypercall_buffer_wraps(hc->arg[0],
					      hc->arg[1] * sizeof(struct tessera_shmem_region))
			   ? TESSERA_E_FAULT
			   : 0;
	case TESSERA_HC_SHMEM_VECTOR:
		if (hc->arg[0] >= TESSERA_SHMEM_MAX || hc->arg[1] > 255 ||
		    (hc->arg[1] && hc->arg[1] < TESSERA_SHMEM_VECTOR_MIN))
			return TESSERA_E_INVAL;
		return 0;
	case TESSERA_HC_SHMEM_NOTIFY:
		return hc->arg[0] < TESSERA_SHMEM_MAX && hc->arg[1] < TESSERA_SHMEM_MAX_PEERS
			   ? 0
			   : TESSERA_E_INVAL;
	default:
		return TESSERA_E_NOSYS;
	}
}

/*
 * The part of guest-physical [gpa, gpa + len) (len > 0) from gpa on that lies in
 * one RAM region of regions[0..n): its length, and in *hpa the host address of
 * gpa. 0 when gpa is not RAM.
 */
uint64_t guest_ram_span(const struct guest_region *regions, uint32_t n, uint64_t gpa, uint64_t len,
			uint64_t *hpa);

/*
 * Whether every byte of [gpa, gpa + len) is RAM of regions[0..n), adjacent
 * regions included. An empty range is; one that wraps past 2^64 is not.
 */
bool guest_ram_covers(const struct guest_region *regions, uint32_t n, uint64_t gpa, uint64_t len);

/* The reply to TESSERA_HC_PARTITION_INFO; name is cut to fit and always terminated. */
void hypercall_fill_info(struct tessera_partition_info *info, uint32_t partition_id,
			 const char *name, uint32_t nr_vcpus, uint32_t vcpu_index,
			 uint64_t memory_bytes, uint32_t restarts);

#endif
