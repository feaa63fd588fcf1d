test_guest_cmdline_SRCS := tests/guests/lib/cmdline.c
