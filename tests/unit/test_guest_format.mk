test_guest_format_SRCS := tests/guests/lib/format.c
