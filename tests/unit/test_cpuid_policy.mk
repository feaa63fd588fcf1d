test_cpuid_policy_SRCS := hv/policy/cpuid_policy.c
