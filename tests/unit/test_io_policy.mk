test_io_policy_SRCS := hv/policy/io_policy.c
