test_fw_cfg_SRCS := hv/dev/fw_cfg.c
