test_hyperv_time_SRCS := hv/policy/hyperv_time.c
