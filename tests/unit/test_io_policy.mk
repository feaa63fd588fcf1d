test_io_policy_SRCS := hv/io_policy.c
