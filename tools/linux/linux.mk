# Tessera's Linux guest (docs/linux.md). `make linux-guest` fetches Debian 12's
# kernel and busybox-static with apt-get download into ~/.cache/tessera/linux/
# (tools/linux/prepare.sh), extracts the vmlinux and builds the initramfs:
#   $(BUILD)/guests/linux.vmlinux           link to the cached vmlinux (PVH ELF)
#   $(BUILD)/guests/linux-initramfs.cpio    busybox, /init, the workload, pvpanic modules
# `make run-linux` boots configs/linux.cfg in Bochs 3.0 with the console on the
# terminal and tessera.shell on the kernel command line: /init ends in a shell.
LINUX_CACHE   := $(or $(TESSERA_CACHE),$(HOME)/.cache/tessera)/linux
LINUX_BUSYBOX ?= $(LINUX_CACHE)/busybox-static.bin
LINUX_MODULES ?= $(lastword $(sort $(wildcard $(LINUX_CACHE)/modules-*)))
LINUX_SRC     := tests/guests/linux
MKCPIO        := $(BUILD)/tools/mkcpio

.PHONY: linux-guest run-linux
linux-guest:
	@bash tools/linux/prepare.sh $(BUILD)

$(MKCPIO): tools/linux/mkcpio.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $(WARN) -o $@ $<

# A Linux program, not a Tessera guest: the host's gcc and glibc, linked static.
$(BUILD)/guests/linux/workload: $(LINUX_SRC)/workload.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@ (static, for the Linux guest)"
	$(Q)$(CC) -static -O2 $(WARN) -pthread -o $@ $<

$(BUILD)/guests/linux-initramfs.cpio: $(MKCPIO) $(BUILD)/guests/linux/workload $(LINUX_SRC)/init \
		$(LINUX_SRC)/initramfs.list $(LINUX_BUSYBOX) $(LINUX_MODULES)/pvpanic-mmio.ko
	@echo "  CPIO    $@"
	$(Q)sed -e 's|@BUSYBOX@|$(LINUX_BUSYBOX)|' -e 's|@INIT@|$(LINUX_SRC)/init|' \
		-e 's|@WORKLOAD@|$(BUILD)/guests/linux/workload|' \
		-e 's|@MODULES@|$(LINUX_MODULES)|' $(LINUX_SRC)/initramfs.list >$@.list
	$(Q)$(MKCPIO) $@.list >$@.tmp && mv $@.tmp $@

LINUX_CONFIG := configs/linux.cfg
run-linux:
	@bash tests/setup/deps.sh
	@bash tools/linux/prepare.sh $(BUILD)
	@bash tests/runners/build-config.sh $(BUILD) $(LINUX_CONFIG) $(BUILD)/configs/linux all iso \
		-- CONFIG=$(LINUX_CONFIG) BUILD=$(BUILD)/configs/linux
	bash tests/runners/bochs.sh --iso $(BUILD)/configs/linux/tessera.iso \
		--cpus $(word 1,$(shell bash tests/runners/config-machine.sh $(LINUX_CONFIG))) \
		--megs $(word 2,$(shell bash tests/runners/config-machine.sh $(LINUX_CONFIG))) \
		--timeout $(or $(TIMEOUT),3600) --stream --quiet-info
