test_ept_SRCS := arch/x86/mm/ept.c
