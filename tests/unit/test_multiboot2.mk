test_multiboot2_SRCS := boot/multiboot2.c boot/efi_memmap.c lib/string.c
