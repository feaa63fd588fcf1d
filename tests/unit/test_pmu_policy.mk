test_pmu_policy_SRCS := hv/policy/pmu_policy.c hv/policy/msr_policy.c lib/string.c
