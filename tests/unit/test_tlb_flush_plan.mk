test_tlb_flush_plan_SRCS := hv/policy/tlb_flush_plan.c
