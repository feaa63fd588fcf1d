test_msr_policy_SRCS := hv/policy/msr_policy.c
