test_memprot_check_SRCS := hv/policy/memprot_check.c hv/policy/hypercall_check.c lib/string.c
