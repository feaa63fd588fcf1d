test_elf_SRCS := hv/elf.c lib/format.c lib/string.c
