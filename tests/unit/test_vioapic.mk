test_vioapic_SRCS := hv/dev/vioapic.c lib/string.c
