test_guest_walk_SRCS := arch/x86/mm/guest_walk.c
