/* arch/x86/vmx/vmx_decode.c: exit-reason names and exit-qualification decoding. */
#include "tests/unit/check.h"
#include "arch/x86/vmx/vmx_exit.h"

TEST(reason_names)
{
	CHECK_STR(vmx_exit_reason_name(EXIT_REASON_CPUID), "CPUID");
	CHECK_STR(vmx_exit_reason_name(EXIT_REASON_EPT_VIOLATION), "EPT violation");
	CHECK_STR(vmx_exit_reason_name(35), "unknown");	   /* a hole in the table */
	CHECK_STR(vmx_exit_reason_name(65535), "unknown"); /* out of range */
	CHECK_STR(vmx_exit_reason_name(EXIT_REASON_MAX), "unknown");
}

TEST(instruction_errors)
{
	CHECK_STR(vmx_instruction_error_name(7), "VM entry with invalid control field(s)");
	CHECK_STR(vmx_instruction_error_name(14), "unknown VM-instruction error");
	CHECK_STR(vmx_instruction_error_name(0), "unknown VM-instruction error");
	CHECK_STR(vmx_instruction_error_name(0xffffffffu), "unknown VM-instruction error");
}

TEST(cr_access)
{
	/* mov %rbx, %cr4: CR 4, type 0, GPR 3 */
	struct cr_access a = vmx_decode_cr_access(0x304);

	CHECK_EQ(a.cr, 4);
	CHECK_EQ(a.type, CR_ACCESS_MOV_TO);
	CHECK_EQ(a.gpr, 3);
	/* lmsw with source 0x000b */
	a = vmx_decode_cr_access((0xbULL << 16) | (3 << 4));
	CHECK_EQ(a.type, CR_ACCESS_LMSW);
	CHECK_EQ(a.lmsw_src, 0xb);
	/* mov %cr3, %r15 */
	a = vmx_decode_cr_access((15 << 8) | (1 << 4) | 3);
	CHECK_EQ(a.cr, 3);
	CHECK_EQ(a.type, CR_ACCESS_MOV_FROM);
	CHECK_EQ(a.gpr, 15);
}

TEST(io)
{
	/* outb to 0x3f8 */
	struct io_access a = vmx_decode_io(0x3f8ULL << 16);

	CHECK_EQ(a.size, 1);
	CHECK(!a.in && !a.string && !a.rep);
	CHECK_EQ(a.port, 0x3f8);
	/* rep insl from 0xf4 */
	a = vmx_decode_io((0xf4ULL << 16) | (1 << 5) | (1 << 4) | (1 << 3) | 3);
	CHECK_EQ(a.size, 4);
	CHECK(a.in && a.string && a.rep);
	CHECK_EQ(a.port, 0xf4);
	/* inw from 0xffff */
	a = vmx_decode_io((0xffffULL << 16) | (1 << 3) | 1);
	CHECK_EQ(a.size, 2);
	CHECK_EQ(a.port, 0xffff);
}

TEST(ept_violation)
{
	char buf[64];

	vmx_describe_ept_violation(EPT_VIOL_WRITE | EPT_VIOL_READABLE | EPT_VIOL_EXECUTABLE, buf,
				   sizeof(buf));
	CHECK_STR(buf, "write, mapping r-x");
	vmx_describe_ept_violation(EPT_VIOL_FETCH, buf, sizeof(buf));
	CHECK_STR(buf, "fetch, mapping ---");
	vmx_describe_ept_violation(EPT_VIOL_READ, buf, sizeof(buf));
	CHECK_STR(buf, "read, mapping ---");
}

int main(void)
{
	CHECK_MAIN("vmx_decode");
	RUN(reason_names);
	RUN(instruction_errors);
	RUN(cr_access);
	RUN(io);
	RUN(ept_violation);
	return CHECK_END();
}
