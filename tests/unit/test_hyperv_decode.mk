test_hyperv_decode_SRCS := hv/policy/hyperv_decode.c lib/string.c
