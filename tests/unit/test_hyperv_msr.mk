test_hyperv_msr_SRCS := hv/policy/hyperv_msr.c
