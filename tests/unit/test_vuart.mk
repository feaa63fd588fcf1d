test_vuart_SRCS := hv/vuart.c
