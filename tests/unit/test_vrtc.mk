test_vrtc_SRCS := hv/dev/vrtc.c lib/date.c
