test_cr_policy_SRCS := hv/policy/cr_policy.c
