test_config_SRCS := hv/config/parse.c hv/config/parse_values.c hv/config/check.c hv/config/diag.c hv/config/emit.c
