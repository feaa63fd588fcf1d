/*
 * Decoding a guest's Hyper-V hypercall: hyperv_decode.h says the order and the
 * contract. The statuses are the TLFS's: a malformed input value is
 * INVALID_HYPERCALL_INPUT, an unknown call INVALID_HYPERCALL_CODE, a block
 * that is misaligned or crosses a page INVALID_ALIGNMENT, a bad field in the
 * block INVALID_PARAMETER.
 */
#include "hv/policy/hyperv_decode.h"
#include "lib/string.h"

static const struct hv_call_desc calls[] = {
    {HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, false, false, 24, 0},
    {HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, true, false, 24, 8},
    {HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, false, false, 16, 0},
    {HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, false, true, 32, 0},
    {HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, true, true, 32, 8},
    {HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX, false, true, 24, 0},
};

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static const struct hv_call_desc *find_call(uint16_t code)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].code == code)
			return &calls[i];
	return NULL;
}

/* The rep fields: zero for a simple call; for a rep call, start < count. */
static bool reps_valid(const struct hv_call_desc *d, uint16_t count, uint16_t start)
{
	if (!d->rep)
		return count == 0 && start == 0;
	return count != 0 && start < count;
}

uint16_t hv_call_decode(uint64_t rcx, const struct hv_offer *offer, struct hv_call *out)
{
	const struct hv_call_desc *d;
	uint32_t max = HV_PAGE_SIZE;

	if (rcx & (HV_HYPERCALL_RSVDZ_MASK | HV_HYPERCALL_NESTED_BIT))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	d = find_call((uint16_t)(rcx & HV_HYPERCALL_CALL_CODE_MASK));
	if (!d)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	*out = (struct hv_call){
	    .desc = d,
	    .fast = (rcx & HV_HYPERCALL_FAST_BIT) != 0,
	    .var_bytes =
		(uint16_t)(((rcx & HV_HYPERCALL_VARHEAD_MASK) >> HV_HYPERCALL_VARHEAD_SHIFT) * 8),
	    .rep_count =
		(uint16_t)((rcx & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REP_COUNT_SHIFT),
	    .rep_start =
		(uint16_t)((rcx & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT),
	};
	if (!reps_valid(d, out->rep_count, out->rep_start))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (out->var_bytes && !d->var_header)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	/* At most 4095 reps of 8 bytes and a 8 KiB header: no overflow in 32 bits. */
	out->input_bytes =
	    d->fixed_bytes + out->var_bytes + (uint32_t)out->rep_count * d->rep_bytes;
	if (out->fast)
		max = offer->xmm_input ? HV_X64_FAST_INPUT_MAX_BYTES : HV_X64_FAST_INPUT_GPR_BYTES;
	/* An input that cannot fit where it must be: the rep count or header does not fit. */
	if (out->input_bytes > max)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return HV_STATUS_SUCCESS;
}

uint16_t hv_call_check_input_gpa(const struct hv_call *c, uint64_t gpa)
{
	uint64_t in_page = gpa & (HV_PAGE_SIZE - 1);

	if (gpa & (HV_HYPERCALL_PARAM_ALIGN - 1))
		return HV_STATUS_INVALID_ALIGNMENT;
	if (in_page + c->input_bytes > HV_PAGE_SIZE)
		return HV_STATUS_INVALID_ALIGNMENT;
	return HV_STATUS_SUCCESS;
}

/* Bits set in v (no libgcc: __builtin_popcountll needs it without POPCNT). */
static uint32_t bits_set(uint64_t v)
{
	uint32_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The VP indices of a 64-bit ProcessorMask that exist. */
static uint64_t existing(uint64_t mask, uint32_t nr_vps)
{
	return nr_vps >= 64 ? mask : mask & ((1ull << nr_vps) - 1);
}

uint16_t hv_vp_set_decode(const uint8_t *set, size_t len, uint32_t var_words, uint32_t nr_vps,
			  uint64_t *vp_mask)
{
	uint64_t format, banks;
	uint32_t used = 0;

	if (len < 16 + (size_t)var_words * 8)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	format = get64(set);
	banks = get64(set + 8);
	if (format == HV_GENERIC_SET_ALL) {
		*vp_mask = existing(~0ull, nr_vps);
		return HV_STATUS_SUCCESS;
	}
	if (format != HV_GENERIC_SET_SPARSE_4K)
		return HV_STATUS_INVALID_PARAMETER;
	/* One bank word per ValidBankMask bit, no more and no fewer. */
	if (bits_set(banks) != var_words)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	*vp_mask = 0;
	for (uint32_t b = 0; b < HV_VP_SET_BANK_COUNT_MAX; b++) {
		if (!(banks & (1ull << b)))
			continue;
		/* Bank 0 holds VPs 0-63, all a partition can have; the others name none. */
		if (b == 0)
			*vp_mask = existing(get64(set + 16 + (size_t)used * 8), nr_vps);
		used++;
	}
	return HV_STATUS_SUCCESS;
}

/* Flags each flush call accepts (TLFS: the others are reserved, or invalid for the list). */
static uint64_t flush_flags_allowed(const struct hv_call_desc *d, const struct hv_offer *offer)
{
	uint64_t f = HV_FLUSH_ALL_PROCESSORS | HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;

	if (!d->rep)
		return f | HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY;
	return offer->ext_gva_ranges ? f | HV_FLUSH_USE_EXTENDED_RANGE_FORMAT : f;
}

static bool is_flush(const struct hv_call_desc *d)
{
	return d->code == HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE ||
	       d->code == HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST ||
	       d->code == HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX ||
	       d->code == HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX;
}

uint16_t hv_flush_decode(const struct hv_call *c, const struct hv_offer *offer, const uint8_t *blk,
			 size_t len, struct hv_flush *out)
{
	const struct hv_call_desc *d = c->desc;
	uint16_t st;

	if (!is_flush(d) || len < (size_t)d->fixed_bytes + c->var_bytes)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	*out = (struct hv_flush){
	    .address_space = get64(blk),
	    .flags = get64(blk + 8),
	    .list_offset = d->fixed_bytes + c->var_bytes,
	};
	if (out->flags & ~flush_flags_allowed(d, offer))
		return HV_STATUS_INVALID_PARAMETER;
	if (d->var_header) {
		st = hv_vp_set_decode(blk + 16, len - 16, c->var_bytes / 8, offer->nr_vps,
				      &out->vp_mask);
		/* With ALL_PROCESSORS the set is ignored, but it must still be well formed. */
		if (st != HV_STATUS_SUCCESS)
			return st;
	} else {
		out->vp_mask = existing(get64(blk + 16), offer->nr_vps);
	}
	if (out->flags & HV_FLUSH_ALL_PROCESSORS)
		out->vp_mask = existing(~0ull, offer->nr_vps);
	return HV_STATUS_SUCCESS;
}

uint16_t hv_ipi_decode(const struct hv_call *c, const struct hv_offer *offer, const uint8_t *blk,
		       size_t len, struct hv_ipi *out)
{
	const struct hv_call_desc *d = c->desc;
	uint64_t head;
	uint32_t vector;

	if ((d->code != HVCALL_SEND_SYNTHETIC_CLUSTER_IPI &&
	     d->code != HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX) ||
	    len < (size_t)d->fixed_bytes + c->var_bytes)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	head = get64(blk); /* Vector (31:0), TargetVtl (39:32), reserved (63:40) */
	vector = (uint32_t)head;
	if (vector < HV_IPI_LOW_VECTOR || vector > HV_IPI_HIGH_VECTOR || (head >> 32) != 0)
		return HV_STATUS_INVALID_PARAMETER; /* only VTL 0 exists */
	out->vector = (uint8_t)vector;
	if (d->var_header)
		return hv_vp_set_decode(blk + 8, len - 8, c->var_bytes / 8, offer->nr_vps,
					&out->vp_mask);
	out->vp_mask = existing(get64(blk + 8), offer->nr_vps);
	return HV_STATUS_SUCCESS;
}

uint16_t hv_gva_range_decode(uint64_t range, bool extended, struct hv_gva_span *out)
{
	if (!extended) {
		*out = (struct hv_gva_span){range & ~0xfffull,
					    (range & HV_GVA_RANGE_SIMPLE_ADDITIONAL_MASK) + 1, 12};
		return HV_STATUS_SUCCESS;
	}
	out->pages = (range & HV_GVA_RANGE_EXT_ADDITIONAL_MASK) + 1;
	if (!(range & HV_GVA_RANGE_EXT_LARGE_PAGE)) {
		out->base = range & ~0xfffull;
		out->page_shift = 12;
		return HV_STATUS_SUCCESS;
	}
	if (range & HV_GVA_RANGE_EXT_LARGE_RSVD_MASK)
		return HV_STATUS_INVALID_PARAMETER;
	out->page_shift = range & HV_GVA_RANGE_EXT_PAGE_SIZE_1G ? 30 : 21;
	out->base = range & ~((1ull << HV_GVA_RANGE_EXT_LARGE_SHIFT) - 1);
	/* A 1 GiB page's number must be 1 GiB aligned. */
	if (out->base & ((1ull << out->page_shift) - 1))
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}
