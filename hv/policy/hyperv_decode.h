/*
 * Decoding a guest's Hyper-V hypercall (pure: host-tested and fuzzed). Every
 * field is hostile. The decoder answers with the HV_STATUS the TLFS names for
 * what is wrong, or HV_STATUS_SUCCESS and a description the caller can act on
 * without looking at guest input again.
 *
 * Order: the input value in RCX (reserved bits, call code, rep fields, the
 * variable header), then where the input block lies (fast: in registers,
 * bounded; memory: 8-byte aligned, in one page), then the block itself (flags,
 * the VP set, the vector), then per rep the GVA ranges.
 */
#ifndef TESSERA_HV_POLICY_HYPERV_DECODE_H
#define TESSERA_HV_POLICY_HYPERV_DECODE_H

#include "lib/types.h"
#include "hv/policy/hyperv_offer.h"

/* The shape of a call Tessera implements. */
struct hv_call_desc {
	uint16_t code;
	bool rep;	      /* a rep call: one element per rep after the headers */
	bool var_header;      /* banks of an HV_VP_SET in the variable header */
	uint16_t fixed_bytes; /* the fixed header */
	uint16_t rep_bytes;   /* one rep element */
};

/* The input value (RCX), decoded. */
struct hv_call {
	const struct hv_call_desc *desc;
	bool fast;
	uint16_t var_bytes; /* variable header, bytes */
	uint16_t rep_count;
	uint16_t rep_start;
	uint32_t input_bytes; /* fixed + variable header + every rep element */
};

uint16_t hv_call_decode(uint64_t rcx, const struct hv_offer *offer, struct hv_call *out);

/* Where a memory call's input block lies: HV_STATUS_SUCCESS if it may be read. */
uint16_t hv_call_check_input_gpa(const struct hv_call *c, uint64_t gpa);

/*
 * A flush or IPI call's headers, decoded from the first `len` bytes of its input
 * block (`len` >= c->input_bytes - reps: the caller reads what c asks for).
 * vp_mask: the target VP indices that exist (others named are ignored).
 */
struct hv_flush {
	uint64_t address_space;
	uint64_t flags;
	uint64_t vp_mask;
	uint32_t list_offset; /* the first GVA range, bytes into the block */
};

struct hv_ipi {
	uint8_t vector;
	uint64_t vp_mask;
};

uint16_t hv_flush_decode(const struct hv_call *c, const struct hv_offer *offer, const uint8_t *blk,
			 size_t len, struct hv_flush *out);
uint16_t hv_ipi_decode(const struct hv_call *c, const struct hv_offer *offer, const uint8_t *blk,
		       size_t len, struct hv_ipi *out);

/*
 * An HV_VP_SET at `set` (Format, ValidBankMask) whose banks follow in
 * `var_words` 64-bit words: the existing VP indices it names.
 */
uint16_t hv_vp_set_decode(const uint8_t *set, size_t len, uint32_t var_words, uint32_t nr_vps,
			  uint64_t *vp_mask);

/* One HV_GVA_RANGE: pages of (1 << page_shift) bytes from base. */
struct hv_gva_span {
	uint64_t base;
	uint64_t pages;
	uint32_t page_shift;
};

uint16_t hv_gva_range_decode(uint64_t range, bool extended, struct hv_gva_span *out);

#endif
