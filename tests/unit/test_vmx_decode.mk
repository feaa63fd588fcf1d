test_vmx_decode_SRCS := arch/x86/vmx/vmx_decode.c lib/format.c
