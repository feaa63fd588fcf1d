test_paging_SRCS := arch/x86/mm/paging.c
