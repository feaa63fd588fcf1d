test_config_SRCS := tools/cfgc/parse.c tools/cfgc/parse_values.c tools/cfgc/check.c tools/cfgc/diag.c tools/cfgc/emit.c tools/cfgc/enum_keys.c tools/cfgc/shmem_place.c tools/cfgc/check_shmem.c
