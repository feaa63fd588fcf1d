test_cpuid_policy_SRCS := hv/cpuid_policy.c
