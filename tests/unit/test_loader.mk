test_loader_SRCS := hv/load/loader.c hv/load/guest_acpi.c hv/load/reset_vector.c hv/policy/power_ports.c hv/load/loader_bootinfo.c hv/load/elf.c hv/load/multiboot_image.c lib/format.c lib/string.c
