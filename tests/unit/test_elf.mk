test_elf_SRCS := hv/load/elf.c lib/format.c lib/string.c
