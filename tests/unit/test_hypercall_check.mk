test_hypercall_check_SRCS := hv/policy/hypercall_check.c lib/string.c
