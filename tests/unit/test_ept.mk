test_ept_SRCS := arch/x86/ept.c
