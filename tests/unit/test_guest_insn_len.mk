test_guest_insn_len_SRCS := tests/guests/lib/insn_len.c
