test_guest_acpi_SRCS := hv/load/guest_acpi.c hv/load/guest_dsdt.c hv/policy/power_ports.c
