test_vmx_caps_SRCS := arch/x86/vmx/vmx_caps.c
