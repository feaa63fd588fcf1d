test_paging_SRCS := arch/x86/paging.c
