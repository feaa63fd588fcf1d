test_vmx_report_SRCS := hv/core/vmx_report.c lib/format.c lib/string.c
