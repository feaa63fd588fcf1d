# Test guests: every tests/guests/NAME.c becomes a bootable image, linked at
# 1 MiB with the guest library in tests/guests/lib/ (see docs/test-guests.md):
#   $(BUILD)/guests/NAME.pvh.elf  ELF64 with the PVH note (QEMU -kernel, Tessera)
#   $(BUILD)/guests/NAME.mb.elf   ELF32 with a multiboot v1 header (QEMU -kernel, GRUB)
# A guest that only makes sense one way is listed below. `make guests` builds all.

GUEST_DIR      := tests/guests
GUEST_LIB_DIR  := $(GUEST_DIR)/lib
GUEST_NAMES    := $(sort $(basename $(notdir $(wildcard $(GUEST_DIR)/*.c))))
GUEST_PVH_ONLY := entry_pvh
GUEST_MB_ONLY  := entry_multiboot

GUEST_CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -nostdlib -fno-builtin \
           -fno-tree-loop-distribute-patterns -fno-pic -fno-pie -mno-red-zone \
           -mgeneral-regs-only -mcmodel=small -fno-stack-protector \
           -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -fno-strict-aliasing \
           -fcf-protection=none -I. -MMD -MP
GUEST_ASFLAGS := -D__ASSEMBLY__ -I. -MMD -MP -g
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
           --no-warn-rwx-segments -T $(GUEST_LIB_DIR)/guest.ld

GUEST_OBJ      := $(BUILD)/guests/obj
GUEST_LIB_SRCS := $(sort $(wildcard $(GUEST_LIB_DIR)/*.c)) \
           $(filter-out %/entry_pvh.S %/entry_mb.S,$(sort $(wildcard $(GUEST_LIB_DIR)/*.S)))
GUEST_LIB_OBJS := $(patsubst %,$(GUEST_OBJ)/%.o,$(basename $(GUEST_LIB_SRCS)))

GUEST_IMAGES := $(patsubst %,$(BUILD)/guests/%.pvh.elf,$(filter-out $(GUEST_MB_ONLY),$(GUEST_NAMES))) \
           $(patsubst %,$(BUILD)/guests/%.mb.elf,$(filter-out $(GUEST_PVH_ONLY),$(GUEST_NAMES)))

.PHONY: guests
guests: $(GUEST_IMAGES)

$(GUEST_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJ)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(GUEST_ASFLAGS) -c $< -o $@

$(BUILD)/guests/%.pvh.elf: $(GUEST_OBJ)/$(GUEST_DIR)/%.o $(GUEST_OBJ)/$(GUEST_LIB_DIR)/entry_pvh.o \
		$(GUEST_LIB_OBJS) $(GUEST_LIB_DIR)/guest.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -e _start_pvh -o $@ $(filter %.o,$^)

# Linked as ELF64, then re-wrapped as ELF32: multiboot v1 loaders (QEMU, GRUB)
# take only 32-bit ELF files. Every address is below 4 GiB, so nothing is lost.
$(BUILD)/guests/%.mb.elf: $(GUEST_OBJ)/$(GUEST_DIR)/%.o $(GUEST_OBJ)/$(GUEST_LIB_DIR)/entry_mb.o \
		$(GUEST_LIB_OBJS) $(GUEST_LIB_DIR)/guest.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -e _start_mb -o $@.64 $(filter %.o,$^)
	$(Q)$(OBJCOPY) -O elf32-i386 $@.64 $@
	$(Q)rm -f $@.64

.PRECIOUS: $(GUEST_OBJ)/%.o
-include $(shell find $(GUEST_OBJ) -name '*.d' 2>/dev/null)
