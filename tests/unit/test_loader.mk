test_loader_SRCS := hv/loader.c hv/loader_bootinfo.c hv/elf.c hv/multiboot_image.c lib/format.c lib/string.c
