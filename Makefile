# Tessera build. `make` builds build/tessera.elf with gcc and binutils alone.
# `make iso`, `make run`, `make test`, `make deps`, `make format` are the other entry points.

CC      := gcc
LD      := ld
OBJCOPY := objcopy
BUILD   := build
Q       ?= @

# Every .c/.S file under these directories, subsystem folders included, is part of the image.
HV_DIRS := boot hv arch/x86 drivers lib
ASM_OFFSETS_SRC := arch/x86/vmx/asm_offsets.c
HV_SRCS := $(sort $(filter-out $(ASM_OFFSETS_SRC),$(shell find $(HV_DIRS) -name '*.c' -o -name '*.S'))) \
           $(EXTRA_SRCS)
HV_OBJS := $(patsubst %,$(BUILD)/hv/%.o,$(basename $(HV_SRCS)))

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
HV_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -nostdlib -fno-builtin-printf \
           -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
           -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
           -fno-strict-aliasing -fcf-protection=none -I. -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -I. -I$(BUILD)/gen -MMD -MP -g
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
           --no-warn-rwx-segments -T linker.ld
include tools/cfgc/config.mk

.PHONY: all iso run test unit fuzz fuzz-corpus deps format format-check clean run-guest
all: $(BUILD)/tessera.elf

$(BUILD)/tessera.elf: $(HV_OBJS) linker.ld
	$(Q)$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS)
	@size $@ | tail -1 | awk '{ printf "tessera.elf: %d KiB loaded from the file, %d KiB in memory with .bss\n", ($$1 + $$2 + 1023) / 1024, ($$4 + 1023) / 1024 }'

$(BUILD)/hv/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

# Constants for the assembly, generated from the C structures (arch/x86/vmx/asm_offsets.c).
ASM_OFFSETS := $(BUILD)/gen/asm_offsets.h
$(ASM_OFFSETS): $(ASM_OFFSETS_SRC) arch/x86/vmx/guest_ctx.h arch/x86/vmx/vmcs_fields.h \
		arch/x86/percpu.h
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) $(HV_CFLAGS) -S -o $@.s $<
	$(Q)sed -n 's/.*"->\([A-Z_0-9]*\) \([0-9]*\)".*/#define \1 \2/p' $@.s >$@.tmp
	$(Q)mv $@.tmp $@ && rm -f $@.s
$(BUILD)/hv/arch/x86/vmx/vmx_entry.o: $(ASM_OFFSETS)

$(BUILD)/hv/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

-include $(HV_OBJS:.o=.d)

# ---- GRUB ISO -----------------------------------------------------------------
# The ISO carries Tessera and the guest modules of $(CONFIG)'s sidecar file
# (configs/NAME.modules next to configs/NAME.cfg: "MODULE_NAME IMAGE [ARGS...]" a
# line, IMAGE from $(BUILD)/guests/; see tests/runners/config-iso.sh), then
# ISO_MODULES: FILE or FILE=NAME (no spaces), one module2 line each.
# CMDLINE: Tessera's command line.
ISO_MODULES ?=
ISO_MODULE_FILES = $(foreach m,$(ISO_MODULES),$(firstword $(subst =, ,$(m))))
CONFIG_MODULES := $(wildcard $(patsubst %.cfg,%.modules,$(filter %.cfg,$(CONFIG))))
CONFIG_MODULE_IMAGES := $(if $(CONFIG_MODULES),$(shell bash tests/runners/config-iso.sh \
		--images $(CONFIG_MODULES) $(BUILD)/guests 2>/dev/null))
iso: $(BUILD)/tessera.iso
$(BUILD)/tessera.iso: $(BUILD)/tessera.elf tests/runners/mkiso.sh tests/runners/config-iso.sh \
		$(CONFIG_MODULES) $(CONFIG_MODULE_IMAGES) $(ISO_MODULE_FILES) $(BUILD)/iso.args
	$(Q)bash tests/runners/config-iso.sh $@ $(BUILD)/tessera.elf "$(CMDLINE)" \
		"$(CONFIG_MODULES)" $(BUILD)/guests $(ISO_MODULES)
# Remembers CMDLINE, the sidecar and ISO_MODULES, so that changing them rebuilds the ISO.
ISO_ARGS = "$(CMDLINE)" "$(CONFIG_MODULES)" "$(ISO_MODULES)"
$(BUILD)/iso.args: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(ISO_ARGS) | cmp -s - $@ || printf '%s\n' $(ISO_ARGS) >$@
.PHONY: FORCE
FORCE:

# ---- Set-up, run, test --------------------------------------------------------
deps:
	@bash tests/setup/deps.sh

# Single-quotes a value for the shell.
shell_quote = '$(subst ','\'',$(1))'

# make run [CONFIG=...] [CPUS=n] [MEGS=m] [BOCHS=3|2.7] [TIMEOUT=600] [CMDLINE=...]
# Boots the ISO in Bochs with the machine of the config's [machine] section
# (CPUs and memory; CPUS=/MEGS= override) and streams the console until Tessera
# ends the run: each partition's guest lines, then its "result:" line.
CONFIG_MACHINE = $(shell bash tests/runners/config-machine.sh $(CONFIG))
run:
	@bash tests/setup/deps.sh
	@$(MAKE) --no-print-directory iso
	bash tests/runners/bochs.sh --iso $(BUILD)/tessera.iso \
		--cpus $(or $(CPUS),$(word 1,$(CONFIG_MACHINE)),4) \
		--megs $(or $(MEGS),$(word 2,$(CONFIG_MACHINE)),256) \
		--bochs $(or $(BOCHS),3) --timeout $(or $(TIMEOUT),600) --stream

# make run-guest IMAGE=FILE [CPUS=1] [MEM=64] [APPEND="..."] [MODULES="FILE..."]
#                [X2APIC=on|off] [FW_CFG=on|off] [BOCHS=3|2.7] [TIMEOUT=300]
# Boots Tessera in Bochs with one partition running IMAGE (PVH or multiboot ELF),
# built with its own config in $(BUILD)/run-guest/. tests/runners/run-guest.sh
# exits with (status << 1) | 1, status being what the guest wrote to port 0xf4,
# or an even code when the guest never ended (see its header); make can only
# report success or failure, so `make run-guest` succeeds when the status is 0.
run-guest:
	@bash tests/setup/deps.sh
	@bash tests/runners/run-guest.sh --build $(call shell_quote,$(BUILD)) \
		--image $(call shell_quote,$(IMAGE)) --cpus $(call shell_quote,$(or $(CPUS),1)) \
		--mem $(call shell_quote,$(or $(MEM),64)) --append $(call shell_quote,$(APPEND)) \
		--modules $(call shell_quote,$(MODULES)) --x2apic $(call shell_quote,$(or $(X2APIC),on)) \
		--fw-cfg $(call shell_quote,$(or $(FW_CFG),on)) \
		--bochs $(call shell_quote,$(or $(BOCHS),3)) \
		--timeout $(call shell_quote,$(or $(TIMEOUT),300)); [ $$? = 1 ]

test:
	@bash tests/setup/deps.sh
	bash tests/run.sh

include tests/guests/guests.mk
include tools/linux/linux.mk

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
# Every header of the tree: a unit test is rebuilt when any header it may include changes.
UNIT_HDRS := $(shell find boot hv arch drivers lib guest-abi tools tests -name '*.h')
$(BUILD)/unit/%: tests/unit/%.c tests/unit/host_support.c $$($$*_SRCS) $(UNIT_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -o $@ $< tests/unit/host_support.c $($*_SRCS)

# ---- Fuzzing (clang's libFuzzer + ASan + UBSan) -------------------------------------
# Every tests/fuzz/fuzz_NAME.c is a harness for one parser of untrusted input,
# linked with the sources tests/fuzz/fuzz.mk lists. `make fuzz` builds them all;
# FUZZ_SECONDS=N (or FUZZ_RUNS=N executions) also runs each on a scratch copy of
# its corpus tests/fuzz/corpus/NAME/ (tests/fuzz/run.sh; nothing is written to
# the tree). `make fuzz-corpus` regenerates the generated seeds in the tree.
FUZZ_CC     := clang
FUZZ_CFLAGS := $(filter-out -fsanitize=%,$(UNIT_CFLAGS)) -fsanitize=fuzzer,address,undefined
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
include tests/fuzz/fuzz.mk
FUZZ_BINS   := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
fuzz: $(FUZZ_BINS)
ifneq ($(FUZZ_SECONDS)$(FUZZ_RUNS),)
	$(Q)BUILD=$(BUILD) bash tests/fuzz/run.sh $(if $(FUZZ_SECONDS),--seconds $(FUZZ_SECONDS)) \
		$(if $(FUZZ_RUNS),--runs $(FUZZ_RUNS))
endif
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/unit/host_support.c $$(fuzz_$$*_SRCS) $(UNIT_HDRS)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< tests/unit/host_support.c $(fuzz_$*_SRCS)
$(BUILD)/fuzz/gen_corpus: tests/fuzz/gen_corpus.c tests/unit/host_support.c $(UNIT_HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(UNIT_CFLAGS) -o $@ $< tests/unit/host_support.c
fuzz-corpus: $(BUILD)/fuzz/gen_corpus
	$(Q)$(BUILD)/fuzz/gen_corpus tests/fuzz/corpus

# ---- Formatting -----------------------------------------------------------------
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) out
