# The sources each harness tests/fuzz/fuzz_NAME.c links, as NAME_SRCS; most are
# exactly those of the unit test of the same parser (tests/unit/test_*.mk).
fuzz_acpi_SRCS            := $(test_acpi_SRCS)
fuzz_config_SRCS          := $(test_config_SRCS)
fuzz_elf_SRCS             := $(test_elf_SRCS)
fuzz_hypercall_check_SRCS := $(test_hypercall_check_SRCS)
fuzz_loader_SRCS          := $(test_loader_SRCS)
fuzz_memmap_SRCS          := $(test_memmap_SRCS)
fuzz_multiboot2_SRCS      := $(test_multiboot2_SRCS) boot/memmap.c
fuzz_multiboot_image_SRCS := hv/load/multiboot_image.c lib/format.c lib/string.c
fuzz_pvh_SRCS             := $(test_pvh_SRCS) boot/memmap.c
fuzz_insn_decode_SRCS     := $(test_insn_decode_SRCS)
fuzz_guest_walk_SRCS      := $(test_guest_walk_SRCS)
fuzz_vlapic_SRCS          := $(test_vlapic_dest_SRCS)
fuzz_fw_cfg_SRCS         := $(test_fw_cfg_SRCS)
fuzz_power_ports_SRCS    := $(test_power_ports_SRCS)
fuzz_hyperv_decode_SRCS       := $(test_hyperv_decode_SRCS) hv/policy/tlb_flush_plan.c
fuzz_hyperv_gpa_range_SRCS    := $(test_hyperv_gpa_range_SRCS)
fuzz_spp_call_SRCS       := arch/x86/mm/ept.c arch/x86/mm/spp.c hv/policy/memprot_check.c hv/policy/hypercall_check.c lib/string.c
fuzz_shell_parse_SRCS         := $(test_shell_parse_SRCS)
fuzz_shmem_doorbell_SRCS      := $(test_shmem_doorbell_SRCS) $(test_insn_decode_SRCS)
fuzz_vioapic_SRCS             := $(test_vioapic_SRCS) $(test_insn_decode_SRCS)
