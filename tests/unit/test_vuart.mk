test_vuart_SRCS := hv/dev/vuart.c lib/format.c
