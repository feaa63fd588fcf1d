# Partition config (docs/config.md). The host tool cfgc, built from tools/cfgc/*.c
# (never part of the image), checks $(CONFIG) and compiles it into
# $(BUILD)/config/config.c, whose table is linked into the hypervisor.
# `make CONFIG=configs/other.cfg` picks another config; a bad one fails the build
# with cfgc's messages.
CONFIG ?= configs/default.cfg

CFGC        := $(BUILD)/tools/cfgc
# The Hyper-V offer is pure and shared: cfgc --hyperv-cpuid prints what the hypervisor would offer.
CFGC_SRCS   := $(sort $(wildcard tools/cfgc/*.c)) hv/policy/hyperv_offer.c
CFGC_DEPS   := $(CFGC_SRCS) $(wildcard tools/cfgc/*.h) hv/partition/partition_config.h lib/types.h \
               hv/policy/hyperv_offer.h guest-abi/hyperv-tlfs.h guest-abi/hyperv-tlfs-x86.h \
               drivers/uart.h drivers/machine_exit.h guest-abi/fw_cfg.h
CFGC_CFLAGS := -std=c11 -O2 -g $(WARN) -I.
CONFIG_C    := $(BUILD)/config/config.c
CONFIG_O    := $(BUILD)/config/config.o
# Holds the path of the config last compiled, rewritten only when CONFIG changes,
# so that switching CONFIG= rebuilds the table even if the new file is older.
CONFIG_USED := $(BUILD)/config/config-used

HV_OBJS += $(CONFIG_O)

# This file is included before the Makefile's first rule: keep `all` the default.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif

$(CFGC): $(CFGC_DEPS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(CFGC_CFLAGS) -o $@ $(CFGC_SRCS)

$(CONFIG_USED): FORCE
	@mkdir -p $(dir $@)
	@echo '$(CONFIG)' | cmp -s - $@ || echo '$(CONFIG)' > $@

$(CONFIG_C): $(CONFIG) $(CFGC) $(CONFIG_USED)
	@echo "  CFGC    $(CONFIG)"
	$(Q)$(CFGC) $(CONFIG) $@

$(CONFIG_O): $(CONFIG_C)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

.PHONY: FORCE
FORCE:
