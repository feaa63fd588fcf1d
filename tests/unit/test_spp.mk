test_spp_SRCS := arch/x86/mm/spp.c
