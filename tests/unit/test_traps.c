/* arch/x86/exception.c: exception names and error-code decoding for the exception dump. */
#include "tests/unit/check.h"
#include "arch/x86/exception.h"

static char buf[128];

TEST(names)
{
	CHECK_STR(exception_name(EXC_DE), "#DE divide error");
	CHECK_STR(exception_name(EXC_UD), "#UD invalid opcode");
	CHECK_STR(exception_name(EXC_DF), "#DF double fault");
	CHECK_STR(exception_name(EXC_GP), "#GP general protection");
	CHECK_STR(exception_name(EXC_PF), "#PF page fault");
	CHECK_STR(exception_name(EXC_CP), "#CP control protection");
	CHECK_STR(exception_name(EXC_BP), "#BP breakpoint");
}

TEST(names_reserved_and_out_of_range)
{
	CHECK_STR(exception_name(15), "reserved exception");
	CHECK_STR(exception_name(22), "reserved exception");
	CHECK_STR(exception_name(31), "reserved exception");
	CHECK_STR(exception_name(32), "interrupt");
	CHECK_STR(exception_name(0xff), "interrupt");
	CHECK_STR(exception_name(UINT64_MAX), "interrupt");
	/* Every vector has a name: the dump never prints "(null)". */
	for (uint64_t v = 0; v < 300; v++)
		CHECK(exception_name(v) != NULL && exception_name(v)[0] != '\0');
}

TEST(error_code_vectors)
{
	static const uint8_t with[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};
	int count = 0;

	for (size_t i = 0; i < sizeof(with); i++)
		CHECK(exception_has_error_code(with[i]));
	for (uint64_t v = 0; v < 256; v++)
		count += exception_has_error_code(v);
	CHECK_EQ(count, sizeof(with));
	CHECK(!exception_has_error_code(UINT64_MAX));
}

TEST(page_fault_codes)
{
	CHECK_EQ(exception_describe_error(EXC_PF, 0, buf, sizeof(buf)),
		 strlen("not-present supervisor read"));
	CHECK_STR(buf, "not-present supervisor read");
	exception_describe_error(EXC_PF, PF_ERR_P | PF_ERR_W, buf, sizeof(buf));
	CHECK_STR(buf, "protection supervisor write");
	exception_describe_error(EXC_PF, PF_ERR_U | PF_ERR_I, buf, sizeof(buf));
	CHECK_STR(buf, "not-present user fetch");
	exception_describe_error(EXC_PF, PF_ERR_P | PF_ERR_RSVD, buf, sizeof(buf));
	CHECK_STR(buf, "protection supervisor read reserved-bit");
	exception_describe_error(EXC_PF, PF_ERR_P | PF_ERR_PK | PF_ERR_SS | PF_ERR_SGX, buf,
				 sizeof(buf));
	CHECK_STR(buf, "protection supervisor read protection-key shadow-stack sgx");
}

TEST(page_fault_all_bits_set)
{
	/* Unknown bits are ignored, known ones all reported. */
	exception_describe_error(EXC_PF, UINT64_MAX, buf, sizeof(buf));
	CHECK_STR(buf, "protection user fetch reserved-bit protection-key shadow-stack hlat sgx");
}

TEST(selector_codes)
{
	exception_describe_error(EXC_GP, 0, buf, sizeof(buf));
	CHECK_STR(buf, "");
	/* #GP through IDT gate 0x0e: index 14, IDT bit. */
	exception_describe_error(EXC_GP, (14 << 3) | SEL_ERR_IDT, buf, sizeof(buf));
	CHECK_STR(buf, "idt vector 0x0e");
	exception_describe_error(EXC_NP, 0x20 | SEL_ERR_EXT, buf, sizeof(buf));
	CHECK_STR(buf, "external, gdt selector 0x0020");
	exception_describe_error(EXC_TS, 0x18 | SEL_ERR_TI, buf, sizeof(buf));
	CHECK_STR(buf, "ldt selector 0x001c");
	exception_describe_error(EXC_SS, 0x10, buf, sizeof(buf));
	CHECK_STR(buf, "gdt selector 0x0010");
	/* Bits above 15 are reserved: not taken for a selector. */
	exception_describe_error(EXC_GP, 0xffff0000ULL, buf, sizeof(buf));
	CHECK_STR(buf, "");
}

TEST(nothing_to_decode)
{
	strcpy(buf, "stale");
	CHECK_EQ(exception_describe_error(EXC_UD, 0x1234, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	strcpy(buf, "stale");
	CHECK_EQ(exception_describe_error(EXC_DF, 0, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
	strcpy(buf, "stale");
	CHECK_EQ(exception_describe_error(0x80, 0xe, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
}

TEST(small_and_missing_buffers)
{
	char small[8];

	memset(small, 'x', sizeof(small));
	CHECK_EQ(exception_describe_error(EXC_PF, 0, small, sizeof(small)), sizeof(small) - 1);
	CHECK_STR(small, "not-pre");
	memset(small, 'x', sizeof(small));
	CHECK_EQ(exception_describe_error(EXC_GP, (14 << 3) | SEL_ERR_IDT, small, 1), 0);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(small[1], 'x');
	CHECK_EQ(exception_describe_error(EXC_PF, 0, NULL, 64), 0);
	CHECK_EQ(exception_describe_error(EXC_PF, 0, small, 0), 0);
	CHECK_EQ(small[1], 'x');
}

int main(void)
{
	CHECK_MAIN("traps");
	RUN(names);
	RUN(names_reserved_and_out_of_range);
	RUN(error_code_vectors);
	RUN(page_fault_codes);
	RUN(page_fault_all_bits_set);
	RUN(selector_codes);
	RUN(nothing_to_decode);
	RUN(small_and_missing_buffers);
	return CHECK_END();
}
