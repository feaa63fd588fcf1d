test_shell_parse_SRCS := hv/shell/shell_parse.c lib/format.c lib/string.c
