test_restart_budget_SRCS := hv/partition/restart_budget.c
