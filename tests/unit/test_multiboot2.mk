test_multiboot2_SRCS := boot/multiboot2.c lib/string.c
