test_cr_policy_SRCS := hv/cr_policy.c
