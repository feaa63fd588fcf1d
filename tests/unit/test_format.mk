test_format_SRCS := lib/format.c
