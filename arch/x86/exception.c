/* Exception names and error-code decoding for the exception dump. Pure: host-tested. */
#include "arch/x86/exception.h"
#include "lib/format.h"

static const char *const names[EXC_COUNT] = {
    [EXC_DE] = "#DE divide error",
    [EXC_DB] = "#DB debug",
    [EXC_NMI] = "NMI non-maskable interrupt",
    [EXC_BP] = "#BP breakpoint",
    [EXC_OF] = "#OF overflow",
    [EXC_BR] = "#BR bound range exceeded",
    [EXC_UD] = "#UD invalid opcode",
    [EXC_NM] = "#NM device not available",
    [EXC_DF] = "#DF double fault",
    [9] = "coprocessor segment overrun",
    [EXC_TS] = "#TS invalid TSS",
    [EXC_NP] = "#NP segment not present",
    [EXC_SS] = "#SS stack-segment fault",
    [EXC_GP] = "#GP general protection",
    [EXC_PF] = "#PF page fault",
    [EXC_MF] = "#MF x87 floating-point error",
    [EXC_AC] = "#AC alignment check",
    [EXC_MC] = "#MC machine check",
    [EXC_XM] = "#XM SIMD floating-point",
    [EXC_VE] = "#VE virtualization exception",
    [EXC_CP] = "#CP control protection",
    [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication",
    [30] = "#SX security exception",
};

/* Vectors with an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX. */
#define ERROR_CODE_VECTORS                                                                   \
	(BIT(EXC_DF) | BIT(EXC_TS) | BIT(EXC_NP) | BIT(EXC_SS) | BIT(EXC_GP) | BIT(EXC_PF) | \
	 BIT(EXC_AC) | BIT(EXC_CP) | BIT(29) | BIT(30))

const char *exception_name(uint64_t vector)
{
	if (vector >= EXC_COUNT)
		return "interrupt";
	return names[vector] ? names[vector] : "reserved exception";
}

bool exception_has_error_code(uint64_t vector)
{
	return vector < EXC_COUNT && (ERROR_CODE_VECTORS & BIT(vector));
}

static size_t describe_page_fault(uint64_t e, char *buf, size_t size)
{
	const char *access = (e & PF_ERR_I) ? "fetch" : (e & PF_ERR_W) ? "write" : "read";
	int n = fmt_snprintf(
	    buf, size, "%s %s %s%s%s%s%s%s", (e & PF_ERR_P) ? "protection" : "not-present",
	    (e & PF_ERR_U) ? "user" : "supervisor", access,
	    (e & PF_ERR_RSVD) ? " reserved-bit" : "", (e & PF_ERR_PK) ? " protection-key" : "",
	    (e & PF_ERR_SS) ? " shadow-stack" : "", (e & PF_ERR_HLAT) ? " hlat" : "",
	    (e & PF_ERR_SGX) ? " sgx" : "");

	return MIN((size_t)n, size - 1);
}

static size_t describe_selector(uint64_t e, char *buf, size_t size)
{
	const char *ext = (e & SEL_ERR_EXT) ? "external, " : "";
	int n;

	if ((e & 0xffff) == 0) {
		buf[0] = '\0';
		return 0;
	}
	if (e & SEL_ERR_IDT)
		n = fmt_snprintf(buf, size, "%sidt vector %#04llx", ext,
				 (unsigned long long)SEL_ERR_INDEX(e));
	else
		n = fmt_snprintf(buf, size, "%s%s selector %#06llx", ext,
				 (e & SEL_ERR_TI) ? "ldt" : "gdt",
				 (unsigned long long)(e & 0xfffc));
	return MIN((size_t)n, size - 1);
}

size_t exception_describe_error(uint64_t vector, uint64_t error_code, char *buf, size_t size)
{
	if (!buf || size == 0)
		return 0;
	switch (vector) {
	case EXC_PF:
		return describe_page_fault(error_code, buf, size);
	case EXC_TS:
	case EXC_NP:
	case EXC_SS:
	case EXC_GP:
		return describe_selector(error_code, buf, size);
	default:
		buf[0] = '\0';
		return 0;
	}
}
