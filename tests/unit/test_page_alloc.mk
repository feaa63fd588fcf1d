test_page_alloc_SRCS := lib/page_alloc.c
