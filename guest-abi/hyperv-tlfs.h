/*
 * The Hyper-V interface, generic part: what the Hypervisor Top Level
 * Functional Specification (TLFS) defines the same way on every architecture.
 * Hypercall status codes, the hypercall input and result values, the call
 * codes Tessera knows, the flush flags, the GVA range formats and the sparse
 * VP set. The x86 part (CPUID leaves, synthetic MSRs, the register-based fast
 * forms) is guest-abi/hyperv-tlfs-x86.h. Names follow the TLFS. Usable by any
 * guest (needs only <stdint.h>) and by the hypervisor.
 */
#ifndef TESSERA_GUEST_ABI_HYPERV_TLFS_H
#define TESSERA_GUEST_ABI_HYPERV_TLFS_H

#include <stdint.h>

/* ---- HV_STATUS (TLFS "HV_STATUS") -------------------------------------- */
#define HV_STATUS_SUCCESS		  0x0000u
#define HV_STATUS_INVALID_HYPERCALL_CODE  0x0002u
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x0003u
#define HV_STATUS_INVALID_ALIGNMENT	  0x0004u
#define HV_STATUS_INVALID_PARAMETER	  0x0005u
#define HV_STATUS_ACCESS_DENIED		  0x0006u
#define HV_STATUS_INVALID_PARTITION_STATE 0x0007u
#define HV_STATUS_OPERATION_DENIED	  0x0008u
#define HV_STATUS_INSUFFICIENT_MEMORY	  0x000bu
#define HV_STATUS_INVALID_PARTITION_ID	  0x000du
#define HV_STATUS_INVALID_VP_INDEX	  0x000eu
#define HV_STATUS_INVALID_PORT_ID	  0x0011u
#define HV_STATUS_INVALID_CONNECTION_ID	  0x0012u
#define HV_STATUS_INSUFFICIENT_BUFFERS	  0x0013u
#define HV_STATUS_INVALID_VP_STATE	  0x0015u
#define HV_STATUS_FEATURE_UNAVAILABLE	  0x001eu
#define HV_STATUS_INVALID_REGISTER_VALUE  0x0050u

/* ---- The hypercall input value (TLFS "Hypercall Inputs") --------------- */
#define HV_HYPERCALL_CALL_CODE_MASK  0x000000000000ffffull /* bits 15:0 */
#define HV_HYPERCALL_FAST_BIT	     (1ull << 16)
#define HV_HYPERCALL_VARHEAD_SHIFT   17 /* bits 26:17: in 8-byte units */
#define HV_HYPERCALL_VARHEAD_MASK    0x0000000007fe0000ull
#define HV_HYPERCALL_NESTED_BIT	     (1ull << 31) /* only for a nested hypervisor */
#define HV_HYPERCALL_REP_COUNT_SHIFT 32		  /* bits 43:32 */
#define HV_HYPERCALL_REP_COUNT_MASK  0x00000fff00000000ull
#define HV_HYPERCALL_REP_START_SHIFT 48 /* bits 59:48 */
#define HV_HYPERCALL_REP_START_MASK  0x0fff000000000000ull
/* Bits 30:27, 47:44 and 63:60 are RsvdZ; bit 31 (nested) a guest of Tessera may not set. */
#define HV_HYPERCALL_RSVDZ_MASK	     0xf000f00078000000ull

/* ---- The hypercall result value ---------------------------------------- */
#define HV_HYPERCALL_RESULT_MASK    0x000000000000ffffull /* HV_STATUS */
#define HV_HYPERCALL_REP_COMP_SHIFT 32			  /* reps completed, bits 43:32 */
#define HV_HYPERCALL_REP_COMP_MASK  0x00000fff00000000ull

/* The input value of a call: its code, the fast form, a variable header of var_words 8-byte words,
 * reps and the first rep. */
static inline uint64_t hv_hypercall_input(uint16_t code, int fast, uint32_t var_words,
					  uint32_t reps, uint32_t start)
{
	/* Not masked: a caller may mean to overflow a field (a decoder's test). */
	return code | (fast ? HV_HYPERCALL_FAST_BIT : 0) |
	       (uint64_t)var_words << HV_HYPERCALL_VARHEAD_SHIFT |
	       (uint64_t)reps << HV_HYPERCALL_REP_COUNT_SHIFT |
	       (uint64_t)start << HV_HYPERCALL_REP_START_SHIFT;
}

/* The result value (RAX) of a status and the reps completed, and taken apart. */
static inline uint64_t hv_result(uint16_t status, uint16_t reps_done)
{
	return (uint64_t)status | (uint64_t)reps_done << HV_HYPERCALL_REP_COMP_SHIFT;
}

static inline uint16_t hv_result_status(uint64_t result)
{
	return (uint16_t)(result & HV_HYPERCALL_RESULT_MASK);
}

static inline uint32_t hv_result_reps(uint64_t result)
{
	return (uint32_t)((result & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_SHIFT);
}

/* Input and output blocks: 8-byte aligned, within one 4 KiB page each. */
#define HV_HYPERCALL_PARAM_ALIGN 8u
#define HV_PAGE_SIZE		 4096u

/* ---- Call codes --------------------------------------------------------- */
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE	  0x0002u /* HvCallFlushVirtualAddressSpace */
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST	  0x0003u /* rep */
#define HVCALL_SEND_SYNTHETIC_CLUSTER_IPI	  0x000bu
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX	  0x0013u
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX	  0x0014u /* rep */
#define HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX	  0x0015u
/* For a hypervisor that runs on Hyper-V itself (nested). */
#define HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_SPACE 0x00afu
#define HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_LIST  0x00b0u /* rep */

/* ---- HV_FLUSH_FLAGS ------------------------------------------------------ */
#define HV_FLUSH_ALL_PROCESSORS		    (1ull << 0)
#define HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES (1ull << 1)
#define HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY   (1ull << 2)
#define HV_FLUSH_USE_EXTENDED_RANGE_FORMAT  (1ull << 3)

/*
 * The flush calls' fixed header: AddressSpace (a CR3 value), Flags, then
 * either a 64-bit ProcessorMask (the non-Ex forms) or an HV_VP_SET (the Ex
 * forms, in the variable header). The list forms then have one HV_GVA_RANGE
 * per rep.
 */
struct hv_input_flush_virtual_address_space {
	uint64_t address_space;
	uint64_t flags;
	uint64_t processor_mask;
};

struct hv_input_flush_virtual_address_space_ex {
	uint64_t address_space;
	uint64_t flags;
	/* followed by an HV_VP_SET */
};

/*
 * HV_GVA_RANGE, simple format: bits 63:12 the page number, bits 11:0 the
 * number of pages beyond the first (1 to 4096 pages of 4 KiB).
 */
#define HV_GVA_RANGE_SIMPLE_ADDITIONAL_MASK 0xfffull
/*
 * Extended format (HV_FLUSH_USE_EXTENDED_RANGE_FORMAT): bits 10:0 the pages
 * beyond the first, bit 11 LargePage. Without LargePage, bits 63:12 the 4 KiB
 * page number; with it, bit 12 the page size (0: 2 MiB, 1: 1 GiB), bits 20:13
 * reserved, bits 63:21 the large page number (the address >> 21).
 */
#define HV_GVA_RANGE_EXT_ADDITIONAL_MASK    0x7ffull
#define HV_GVA_RANGE_EXT_LARGE_PAGE	    (1ull << 11)
#define HV_GVA_RANGE_EXT_PAGE_SIZE_1G	    (1ull << 12)
#define HV_GVA_RANGE_EXT_LARGE_RSVD_MASK    0x1fe000ull /* bits 20:13 */
#define HV_GVA_RANGE_EXT_LARGE_SHIFT	    21

/*
 * HV_VP_SET (HV_GENERIC_SET): Format, then for the sparse format a 64-bit
 * ValidBankMask and one 64-bit bank per bit set in it, in bank order; bank b
 * bit i names VP index 64 * b + i. The all format has no further words.
 */
#define HV_GENERIC_SET_SPARSE_4K 0ull
#define HV_GENERIC_SET_ALL	 1ull
#define HV_VP_SET_BANK_COUNT_MAX 64u

/*
 * HvCallFlushGuestPhysicalAddressSpace (simple) and ...List (rep), for a
 * hypervisor that runs on Hyper-V: AddressSpace is the physical address of
 * the EPT PML4 (the root, no EPTP attribute bits), Flags is RsvdZ. The list
 * form then has one HV_GPA_PAGE_RANGE per rep. Both act on every processor
 * of the calling partition, like a single-context INVEPT on each.
 */
struct hv_input_flush_guest_physical_address_space {
	uint64_t address_space;
	uint64_t flags;
};

/*
 * HV_GPA_PAGE_RANGE: bits 10:0 the pages beyond the first (1 to 2048 pages),
 * bit 11 LargePage. Without LargePage, bits 63:12 the 4 KiB page number; with
 * it, bit 12 the page size (0: 2 MiB, 1: 1 GiB), bits 20:13 reserved, bits
 * 63:21 the large page number (the address >> 21). The TLFS page of the list
 * call documents only the 4 KiB form.
 */
#define HV_GPA_PAGE_RANGE_ADDITIONAL_MASK 0x7ffull
#define HV_GPA_PAGE_RANGE_MAX_PAGES	  2048u
#define HV_GPA_PAGE_RANGE_LARGE_PAGE	  (1ull << 11)
#define HV_GPA_PAGE_RANGE_PAGE_SIZE_1G	  (1ull << 12)
#define HV_GPA_PAGE_RANGE_LARGE_RSVD_MASK 0x1fe000ull /* bits 20:13 */
#define HV_GPA_PAGE_RANGE_LARGE_SHIFT	  21
/* The ranges one input page holds after the 16-byte header. */
#define HV_GPA_PAGE_RANGE_MAX_REPS	  ((HV_PAGE_SIZE - 16u) / 8u)

/* HvCallSendSyntheticClusterIpi: Vector, TargetVtl, then the mask or set. */
struct hv_input_send_synthetic_cluster_ipi {
	uint32_t vector;
	uint8_t target_vtl;
	uint8_t reserved[3];
	uint64_t processor_mask;
};

struct hv_input_send_synthetic_cluster_ipi_ex {
	uint32_t vector;
	uint8_t target_vtl;
	uint8_t reserved[3];
	/* followed by an HV_VP_SET */
};

/* Vectors a synthetic IPI may carry (TLFS: 0x10-0xff). */
#define HV_IPI_LOW_VECTOR  0x10u
#define HV_IPI_HIGH_VECTOR 0xffu

#endif
