test_pvh_SRCS := boot/pvh.c lib/string.c
