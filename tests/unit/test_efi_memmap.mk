test_efi_memmap_SRCS := boot/multiboot2.c boot/efi_memmap.c boot/memmap.c lib/string.c
