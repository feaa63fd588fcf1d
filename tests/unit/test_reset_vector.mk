test_reset_vector_SRCS := hv/load/reset_vector.c hv/policy/power_ports.c lib/string.c
