test_guest_acpi_SRCS := hv/load/guest_acpi.c hv/dev/power_ports.c
