test_console_switch_SRCS := hv/dev/console_switch.c
