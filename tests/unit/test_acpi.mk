test_acpi_SRCS := drivers/acpi.c drivers/acpi_tables.c lib/format.c
