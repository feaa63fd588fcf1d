test_console_ring_SRCS := drivers/console_ring.c
