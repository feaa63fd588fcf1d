# Tessera build. `make` builds build/tessera.elf with gcc and binutils alone.
# `make iso`, `make run`, `make test`, `make deps`, `make format` are the other entry points.

CC      := gcc
LD      := ld
OBJCOPY := objcopy
BUILD   := build
Q       ?= @

# Every .c/.S file under these directories is part of the hypervisor image.
HV_DIRS := boot hv arch/x86 drivers lib
HV_SRCS := $(sort $(foreach d,$(HV_DIRS),$(wildcard $(d)/*.c $(d)/*.S))) $(EXTRA_SRCS)
HV_OBJS := $(patsubst %,$(BUILD)/hv/%.o,$(basename $(HV_SRCS)))

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
HV_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -nostdlib -fno-builtin-printf \
           -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
           -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
           -fno-strict-aliasing -fcf-protection=none -I. -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -I. -MMD -MP -g
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
           --no-warn-rwx-segments -T linker.ld
include hv/config/config.mk

.PHONY: all iso run test unit deps format format-check clean run-guest
all: $(BUILD)/tessera.elf

$(BUILD)/tessera.elf: $(HV_OBJS) linker.ld
	$(Q)$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS)
	@size $@ | tail -1 | awk '{ printf "tessera.elf: %d bytes loadable\n", $$4 }'

$(BUILD)/hv/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hv/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

-include $(HV_OBJS:.o=.d)

# ---- GRUB ISO -----------------------------------------------------------------
# CMDLINE: Tessera's command line. ISO_MODULES: FILE or FILE=NAME (no spaces), one
# module2 line each; tests/runners/mkiso.sh takes module arguments too.
ISO_MODULES ?=
ISO_MODULE_FILES = $(foreach m,$(ISO_MODULES),$(firstword $(subst =, ,$(m))))
iso: $(BUILD)/tessera.iso
$(BUILD)/tessera.iso: $(BUILD)/tessera.elf tests/runners/mkiso.sh $(ISO_MODULE_FILES) $(BUILD)/iso.args
	$(Q)bash tests/runners/mkiso.sh $@ $(BUILD)/tessera.elf "$(CMDLINE)" $(ISO_MODULES)
# Remembers CMDLINE and ISO_MODULES, so that changing them rebuilds the ISO.
$(BUILD)/iso.args: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' "$(CMDLINE)" "$(ISO_MODULES)" | cmp -s - $@ || \
		printf '%s\n' "$(CMDLINE)" "$(ISO_MODULES)" >$@
.PHONY: FORCE
FORCE:

# ---- Set-up, run, test --------------------------------------------------------
deps:
	bash tests/setup/deps.sh

# make run [CPUS=2] [BOCHS=3|2.7] [TIMEOUT=600] [CMDLINE=...] [ISO_MODULES=...]
run:
	@bash tests/setup/deps.sh
	@$(MAKE) --no-print-directory iso
	bash tests/runners/bochs.sh --iso $(BUILD)/tessera.iso --cpus $(or $(CPUS),2) \
		--bochs $(or $(BOCHS),3) --timeout $(or $(TIMEOUT),600) --stream

test:
	@bash tests/setup/deps.sh
	bash tests/run.sh

include tests/guests/guests.mk

# ---- Host unit tests (ASan + UBSan) --------------------------------------------
# Each tests/unit/NAME.mk sets NAME_SRCS: the hypervisor sources the test links.
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wno-missing-field-initializers \
           -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
           -I. -DHOST_TEST
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
-include $(wildcard tests/unit/*.mk)
UNIT_BINS := $(patsubst %,$(BUILD)/unit/%,$(UNIT_TESTS))
unit: $(UNIT_BINS)
.SECONDEXPANSION:
$(BUILD)/unit/%: tests/unit/%.c tests/unit/check.h tests/unit/host_support.c $$($$*_SRCS) $$(wildcard */*.h arch/x86/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -o $@ $< tests/unit/host_support.c $($*_SRCS)

# ---- Formatting -----------------------------------------------------------------
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) out
