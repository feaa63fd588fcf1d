test_traps_SRCS := arch/x86/exception.c lib/format.c
