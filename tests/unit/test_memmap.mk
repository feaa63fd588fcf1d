test_memmap_SRCS := boot/memmap.c
