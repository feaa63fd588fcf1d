test_insn_decode_SRCS := arch/x86/insn_decode.c
