test_msr_policy_SRCS := hv/msr_policy.c
