test_hypercall_check_SRCS := hv/hypercall_check.c lib/string.c
