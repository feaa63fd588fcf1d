test_hyperv_nested_plan_SRCS := drivers/hyperv_nested_plan.c lib/format.c lib/string.c
