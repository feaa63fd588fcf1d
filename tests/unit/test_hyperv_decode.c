/* hv/policy/hyperv_decode.c: a guest's Hyper-V hypercall input, against the TLFS. */
#include "tests/unit/check.h"
#include "hv/policy/hyperv_decode.h"

static const struct hv_offer offer3 = {.nr_vps = 3, .xmm_input = false, .ext_gva_ranges = false};
static const struct hv_offer offer3x = {.nr_vps = 3, .xmm_input = true, .ext_gva_ranges = true};

/* The input value as a guest builds it (guest-abi/hyperv-tlfs.h). */
static uint64_t input(uint16_t code, bool fast, uint64_t varq, uint64_t reps, uint64_t start)
{
	return hv_hypercall_input(code, fast, (uint32_t)varq, (uint32_t)reps, (uint32_t)start);
}

static uint16_t dec(uint64_t rcx, const struct hv_offer *o)
{
	struct hv_call c;

	return hv_call_decode(rcx, o, &c);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

TEST(reserved_bits)
{
	uint64_t ok = input(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, false, 0, 0, 0);

	CHECK_EQ(dec(ok, &offer3), HV_STATUS_SUCCESS);
	for (int bit = 0; bit < 64; bit++) {
		uint64_t b = 1ull << bit;
		bool rsvd = (b & HV_HYPERCALL_RSVDZ_MASK) || b == HV_HYPERCALL_NESTED_BIT;

		if (rsvd)
			CHECK_EQ(dec(ok | b, &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	}
	CHECK_EQ(__builtin_popcountll(HV_HYPERCALL_RSVDZ_MASK), 4 + 4 + 4);
}

TEST(call_codes)
{
	CHECK_EQ(dec(0x0001, &offer3), HV_STATUS_INVALID_HYPERCALL_CODE);
	CHECK_EQ(dec(0xffff, &offer3), HV_STATUS_INVALID_HYPERCALL_CODE);
	CHECK_EQ(dec(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, false, 0, 1, 0), &offer3), 0);
	CHECK_EQ(dec(input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0), &offer3), 0);
	CHECK_EQ(dec(input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX, false, 1, 0, 0), &offer3), 0);
}

TEST(rep_fields)
{
	uint16_t list = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST,
		 space = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE;

	CHECK_EQ(dec(input(space, false, 0, 1, 0), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(space, false, 0, 0, 1), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(list, false, 0, 0, 0), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(list, false, 0, 5, 5), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(list, false, 0, 5, 4), &offer3), HV_STATUS_SUCCESS);
	/* A variable header only where an HV_VP_SET is. */
	CHECK_EQ(dec(input(list, false, 1, 1, 0), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, false, 1, 1, 0), &offer3), 0);
}

TEST(input_sizes)
{
	uint16_t list = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST;
	struct hv_call c;

	/* Memory: 24 header bytes and 509 ranges fill the page; one more does not fit. */
	CHECK_EQ(hv_call_decode(input(list, false, 0, 509, 0), &offer3, &c), 0);
	CHECK_EQ(c.input_bytes, 4096);
	CHECK_EQ(dec(input(list, false, 0, 510, 0), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(list, false, 0, 4095, 0), &offer3), HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Fast: 16 bytes in RDX and R8, 112 with XMM0-5 when offered. */
	CHECK_EQ(dec(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, true, 0, 0, 0), &offer3),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(dec(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, true, 0, 0, 0), &offer3x), 0);
	CHECK_EQ(dec(input(list, true, 0, 11, 0), &offer3x), 0);
	CHECK_EQ(dec(input(list, true, 0, 12, 0), &offer3x), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hv_call_decode(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, false, 1023, 4095, 0),
				&offer3, &c),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(c.input_bytes, 32 + 1023 * 8 + 4095 * 8);
}

TEST(input_gpa)
{
	struct hv_call c;

	CHECK_EQ(
	    hv_call_decode(input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, false, 0, 2, 0), &offer3, &c),
	    0);
	CHECK_EQ(c.input_bytes, 40);
	CHECK_EQ(hv_call_check_input_gpa(&c, 0x1000), 0);
	CHECK_EQ(hv_call_check_input_gpa(&c, 0x1004), HV_STATUS_INVALID_ALIGNMENT);
	CHECK_EQ(hv_call_check_input_gpa(&c, 0x1fd8), 0); /* ends at the page's end */
	CHECK_EQ(hv_call_check_input_gpa(&c, 0x1fe0), HV_STATUS_INVALID_ALIGNMENT);
	CHECK_EQ(hv_call_check_input_gpa(&c, 0xfffffffffffffff8ull), HV_STATUS_INVALID_ALIGNMENT);
}

TEST(vp_sets)
{
	uint8_t s[16 + 3 * 8] = {0};
	uint64_t m = 0x5a5a;

	put64(s, HV_GENERIC_SET_ALL);
	CHECK_EQ(hv_vp_set_decode(s, 16, 0, 3, &m), 0);
	CHECK_EQ(m, 7);
	put64(s, HV_GENERIC_SET_SPARSE_4K);
	put64(s + 8, 0x1);
	put64(s + 16, 0xffff0005ull);
	CHECK_EQ(hv_vp_set_decode(s, 24, 1, 3, &m), 0);
	CHECK_EQ(m, 5);	   /* VPs 0 and 2; 16-31 do not exist */
	put64(s + 8, 0x6); /* banks 1 and 2: VPs 64-191, none exists */
	CHECK_EQ(hv_vp_set_decode(s, 32, 2, 3, &m), 0);
	CHECK_EQ(m, 0);
	CHECK_EQ(hv_vp_set_decode(s, 32, 1, 3, &m), HV_STATUS_INVALID_HYPERCALL_INPUT);
	CHECK_EQ(hv_vp_set_decode(s, 24, 2, 3, &m), HV_STATUS_INVALID_HYPERCALL_INPUT);
	put64(s + 8, 0x8000000000000001ull); /* bank 0 then bank 63 */
	put64(s + 16, 2);
	CHECK_EQ(hv_vp_set_decode(s, 32, 2, 3, &m), 0);
	CHECK_EQ(m, 2);
	put64(s, 2);
	CHECK_EQ(hv_vp_set_decode(s, 32, 2, 3, &m), HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(hv_vp_set_decode(s, 15, 0, 3, &m), HV_STATUS_INVALID_HYPERCALL_INPUT);
}

static uint16_t flush(uint16_t code, uint64_t varq, uint64_t reps, const uint8_t *blk, size_t len,
		      const struct hv_offer *o, struct hv_flush *f)
{
	struct hv_call c;
	uint16_t st = hv_call_decode(input(code, false, varq, reps, 0), o, &c);

	return st ? (uint16_t)(0x1000 | st) : hv_flush_decode(&c, o, blk, len, f);
}

TEST(flush_flags)
{
	uint8_t b[24] = {0};
	struct hv_flush f;
	uint16_t space = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE,
		 list = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST;

	put64(b, 0x1234000);
	put64(b + 16, 0xfe); /* VPs 1-7 named, 1 and 2 exist */
	CHECK_EQ(flush(space, 0, 0, b, 24, &offer3, &f), 0);
	CHECK_EQ(f.address_space, 0x1234000);
	CHECK_EQ(f.vp_mask, 6);
	put64(b + 8, HV_FLUSH_ALL_PROCESSORS | HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY);
	CHECK_EQ(flush(space, 0, 0, b, 24, &offer3, &f), 0);
	CHECK_EQ(f.vp_mask, 7);
	CHECK_EQ(flush(list, 0, 1, b, 24, &offer3, &f), HV_STATUS_INVALID_PARAMETER);
	put64(b + 8, HV_FLUSH_USE_EXTENDED_RANGE_FORMAT);
	CHECK_EQ(flush(list, 0, 1, b, 24, &offer3, &f), HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(flush(list, 0, 1, b, 24, &offer3x, &f), 0);
	CHECK_EQ(flush(space, 0, 0, b, 24, &offer3x, &f), HV_STATUS_INVALID_PARAMETER);
	put64(b + 8, 1ull << 4);
	CHECK_EQ(flush(space, 0, 0, b, 24, &offer3, &f), HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(flush(space, 0, 0, b, 23, &offer3, &f), HV_STATUS_INVALID_HYPERCALL_INPUT);
}

TEST(flush_ex)
{
	uint8_t b[48] = {0};
	struct hv_flush f;

	put64(b + 16, HV_GENERIC_SET_SPARSE_4K);
	put64(b + 24, 0x3);
	put64(b + 32, 0x4);
	CHECK_EQ(flush(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, 2, 1, b, 48, &offer3, &f), 0);
	CHECK_EQ(f.vp_mask, 4);
	CHECK_EQ(f.list_offset, 48);
	CHECK_EQ(flush(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, 1, 0, b, 40, &offer3, &f),
		 HV_STATUS_INVALID_HYPERCALL_INPUT);
	put64(b + 16, HV_GENERIC_SET_ALL);
	CHECK_EQ(flush(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, 0, 0, b, 32, &offer3, &f), 0);
	CHECK_EQ(f.vp_mask, 7);
	CHECK_EQ(f.list_offset, 32);
}

TEST(ipis)
{
	uint8_t b[32] = {0};
	struct hv_call c;
	struct hv_ipi ipi;

	CHECK_EQ(
	    hv_call_decode(input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0), &offer3, &c),
	    0);
	put64(b + 8, 0x3);
	for (uint64_t v = 0; v < 0x110; v++) {
		put64(b, v);
		CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 16, &ipi),
			 v >= 0x10 && v <= 0xff ? 0 : HV_STATUS_INVALID_PARAMETER);
	}
	put64(b, 0x40 | 1ull << 32); /* VTL 1 */
	CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 16, &ipi), HV_STATUS_INVALID_PARAMETER);
	put64(b, 0x40 | 1ull << 40); /* reserved */
	CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 16, &ipi), HV_STATUS_INVALID_PARAMETER);
	put64(b, 0x40);
	CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 16, &ipi), 0);
	CHECK_EQ(ipi.vector, 0x40);
	CHECK_EQ(ipi.vp_mask, 3);
	CHECK_EQ(hv_call_decode(input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX, false, 1, 0, 0),
				&offer3, &c),
		 0);
	put64(b + 8, HV_GENERIC_SET_SPARSE_4K);
	put64(b + 16, 1);
	put64(b + 24, 0x6);
	CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 32, &ipi), 0);
	CHECK_EQ(ipi.vp_mask, 6);
	CHECK_EQ(hv_ipi_decode(&c, &offer3, b, 31, &ipi), HV_STATUS_INVALID_HYPERCALL_INPUT);
}

TEST(gva_ranges)
{
	struct hv_gva_span s;

	CHECK_EQ(hv_gva_range_decode(0x7f0000123fffull, false, &s), 0);
	CHECK_EQ(s.base, 0x7f0000123000ull);
	CHECK_EQ(s.pages, 4096);
	CHECK_EQ(s.page_shift, 12);
	/* Extended: bit 11 is LargePage, and 0x123000 has reserved bits 20:13 set. */
	CHECK_EQ(hv_gva_range_decode(0x7f0000123fffull, true, &s), HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(hv_gva_range_decode(0x7f00001237ffull, true, &s), 0);
	CHECK_EQ(s.base, 0x7f0000123000ull);
	CHECK_EQ(s.pages, 2048);
	CHECK_EQ(s.page_shift, 12);
	CHECK_EQ(hv_gva_range_decode(0x7f0000200800ull | 3, true, &s), 0);
	CHECK_EQ(s.base, 0x7f0000200000ull);
	CHECK_EQ(s.pages, 4);
	CHECK_EQ(s.page_shift, 21);
	CHECK_EQ(hv_gva_range_decode(0x7f0000201800ull, true, &s), HV_STATUS_INVALID_PARAMETER);
	CHECK_EQ(hv_gva_range_decode(0x7f0040001800ull, true, &s), 0);
	CHECK_EQ(s.page_shift, 30);
	CHECK_EQ(s.base, 0x7f0040000000ull);
	/* 1 GiB pages: the large page number must be 1 GiB aligned. */
	CHECK_EQ(hv_gva_range_decode(0x7f0000200800ull | HV_GVA_RANGE_EXT_PAGE_SIZE_1G, true, &s),
		 HV_STATUS_INVALID_PARAMETER);
}

int main(void)
{
	CHECK_MAIN("hyperv_decode");
	RUN(reserved_bits);
	RUN(call_codes);
	RUN(rep_fields);
	RUN(input_sizes);
	RUN(input_gpa);
	RUN(vp_sets);
	RUN(flush_flags);
	RUN(flush_ex);
	RUN(ipis);
	RUN(gva_ranges);
	return CHECK_END();
}
