test_vmx_caps_SRCS := arch/x86/vmx_caps.c
