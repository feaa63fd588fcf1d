/*
 * hv/policy/hyperv_decode: a guest's Hyper-V hypercall. Input: RCX (8 bytes), the
 * input GPA (8), an offer byte (bits 0-5: VP count - 1, bit 6 XMM input, bit 7
 * extended GVA ranges), then the input block. Checked: a decoded call's input
 * fits where it must be (16 or 112 bytes fast, one page by memory), the block
 * is read only within the bytes the call asks for, VP masks name only VPs
 * that exist, the GVA ranges are 1-4096 aligned pages, and every status is
 * one the decoder documents. The ranges then go into a TLB flush plan
 * (hv/policy/tlb_flush_plan.c), which must hold at most TLB_FLUSH_ADDR_MAX
 * addresses, all canonical (INVVPID fails on the others), or be full.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/policy/hyperv_decode.h"
#include "hv/policy/tlb_flush_plan.h"

static int known_status(uint16_t st)
{
	return st == HV_STATUS_SUCCESS || st == HV_STATUS_INVALID_HYPERCALL_CODE ||
	       st == HV_STATUS_INVALID_HYPERCALL_INPUT || st == HV_STATUS_INVALID_ALIGNMENT ||
	       st == HV_STATUS_INVALID_PARAMETER;
}

static uint64_t existing(uint32_t nr)
{
	return nr >= 64 ? ~0ull : (1ull << nr) - 1;
}

/* The rep elements of a list call, from the block copied to an exact-size buffer. */
static void check_plan(const struct tlb_flush_plan *p)
{
	FUZZ_CHECK(p->nr <= TLB_FLUSH_ADDR_MAX);
	FUZZ_CHECK(!p->full || p->nr == 0);
	for (uint32_t i = 0; i < p->nr; i++)
		FUZZ_CHECK(tlb_gva_canonical48(p->gva[i]) && (p->gva[i] & 0xfff) == 0);
}

static void check_ranges(const struct hv_call *c, const struct hv_flush *f, const uint8_t *blk)
{
	struct tlb_flush_plan plan = {0};

	for (uint32_t i = c->rep_start; i < c->rep_count; i++) {
		struct hv_gva_span s;
		uint64_t r;

		memcpy(&r, blk + f->list_offset + (size_t)i * 8, 8);
		uint16_t st =
		    hv_gva_range_decode(r, f->flags & HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, &s);

		FUZZ_CHECK(known_status(st));
		if (st)
			continue;
		FUZZ_CHECK(s.pages >= 1 && s.pages <= 4096);
		FUZZ_CHECK(s.page_shift == 12 || s.page_shift == 21 || s.page_shift == 30);
		FUZZ_CHECK((s.base & ((1ull << s.page_shift) - 1)) == 0);
		tlb_flush_plan_add(&plan, s.base, s.pages, s.page_shift, i & 1);
		check_plan(&plan);
	}
}

static void check_block(const struct hv_call *c, const struct hv_offer *o, const uint8_t *blk)
{
	struct hv_flush f;
	struct hv_ipi ipi;
	uint16_t st = hv_flush_decode(c, o, blk, c->input_bytes, &f);

	FUZZ_CHECK(known_status(st));
	if (st == HV_STATUS_SUCCESS) {
		FUZZ_CHECK((f.vp_mask & ~existing(o->nr_vps)) == 0);
		FUZZ_CHECK(f.list_offset + (uint32_t)c->rep_count * c->desc->rep_bytes ==
			   c->input_bytes);
		check_ranges(c, &f, blk);
	}
	st = hv_ipi_decode(c, o, blk, c->input_bytes, &ipi);
	FUZZ_CHECK(known_status(st));
	if (st == HV_STATUS_SUCCESS) {
		FUZZ_CHECK(ipi.vector >= HV_IPI_LOW_VECTOR);
		FUZZ_CHECK((ipi.vp_mask & ~existing(o->nr_vps)) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_offer o;
	struct hv_call c;
	uint64_t rcx, gpa;
	uint16_t st;

	if (size < 17)
		return 0;
	rcx = fuzz_get64(data);
	gpa = fuzz_get64(data + 8);
	o = (struct hv_offer){(data[16] & 63) + 1u, data[16] & 64, data[16] & 128};
	st = hv_call_decode(rcx, &o, &c);
	FUZZ_CHECK(known_status(st));
	if (st)
		return 0;
	FUZZ_CHECK(c.input_bytes <= (c.fast ? (o.xmm_input ? 112u : 16u) : 4096u));
	if (!c.fast && hv_call_check_input_gpa(&c, gpa) == HV_STATUS_SUCCESS)
		FUZZ_CHECK((gpa & 7) == 0 && (gpa & 4095) + c.input_bytes <= 4096);
	if (size - 17 < c.input_bytes)
		return 0;
	/* An exact copy: ASan sees any read past what the call asks for. */
	uint8_t *blk = malloc(c.input_bytes ? c.input_bytes : 1);

	memcpy(blk, data + 17, c.input_bytes);
	check_block(&c, &o, blk);
	free(blk);
	return 0;
}
