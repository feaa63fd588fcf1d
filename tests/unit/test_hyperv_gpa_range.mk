test_hyperv_gpa_range_SRCS := drivers/hyperv_gpa_range.c
