test_power_ports_SRCS := hv/policy/power_ports.c
