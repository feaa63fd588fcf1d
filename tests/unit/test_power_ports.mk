test_power_ports_SRCS := hv/dev/power_ports.c
