test_hv_decode_SRCS := hv/hyperv/hv_decode.c lib/string.c
