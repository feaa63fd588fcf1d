/*
 * hv_main: brings the machine up in order, on the boot CPU.
 *   1. descriptor tables (IDT, this CPU's GDT/TSS), so faults are reported;
 *   2. report what the loader gave us;
 *   3. page allocator and the hypervisor's own page tables;
 *   4. ACPI (CPUs, timers), LAPIC, TSC and the one-shot timer; whether
 *      Tessera runs on Hyper-V (its EPT flush hypercalls);
 *   5. start every other CPU; each reports in and probes VMX;
 *   6. the VMX feature table, and VMXON/VMXOFF on every CPU;
 *   7. the partitions of the config, each on its own CPUs, until all have ended.
 */
#include "hv/core/hv.h"
#include "hv/vlapic/vapic.h"
#include "hv/core/mem.h"
#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "drivers/acpi.h"
#include "drivers/hyperv_nested.h"
#include "drivers/lapic.h"
#include "drivers/machine_exit.h"
#include "drivers/timer.h"
#include "drivers/tsc.h"
#include "drivers/rtc.h"
#include "hv/core/vmx_report.h"
#include "hv/partition/partition.h"
#include "hv/core/smp.h"
#include "lib/log.h"

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM:
		return "ram";
	case BOOT_MEM_ACPI_RECLAIM:
		return "acpi";
	case BOOT_MEM_ACPI_NVS:
		return "acpi-nvs";
	case BOOT_MEM_BAD:
		return "bad";
	default:
		return "reserved";
	}
}

static void report_boot_info(const struct boot_info *bi)
{
	log_info("tessera: booted by %s%s%s%s, cmdline \"%s\"",
		 bi->protocol == BOOT_PROTO_PVH ? "PVH" : "multiboot2",
		 bi->loader_name[0] ? " from " : "", bi->loader_name, bi->uefi ? " on UEFI" : "",
		 bi->cmdline);
	log_info("mem: memory map from %s, %u entries",
		 bi->mem_source == BOOT_MEM_FROM_EFI ? "the UEFI memory map (multiboot2 tag 17)"
						     : "the loader's E820 map",
		 bi->mem_entries);
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		log_info("mem: %#014llx-%#014llx %s", (unsigned long long)bi->mem[i].base,
			 (unsigned long long)(bi->mem[i].base + bi->mem[i].len - 1),
			 mem_type_name(bi->mem[i].type));
	for (uint32_t i = 0; i < bi->nr_modules; i++)
		log_info("module %u: %#llx-%#llx \"%s\"", i,
			 (unsigned long long)bi->modules[i].start,
			 (unsigned long long)bi->modules[i].end, bi->modules[i].cmdline);
	log_info("mem: RAM ends at %#llx", (unsigned long long)memmap_ram_top(bi));
	if (bi->rsdp)
		log_info("acpi: RSDP given by the loader at %#llx", (unsigned long long)bi->rsdp);
	else if (bi->rsdp_copy_len)
		log_info("acpi: RSDP copy given by the loader (%u bytes, ACPI %s)",
			 bi->rsdp_copy_len, bi->rsdp_copy_len == 36 ? "2.0+" : "1.0");
	else
		log_info("acpi: RSDP not given by the loader");
}

__noreturn void hv_main(struct boot_info *bi)
{
	/* step 1: descriptor tables */
	idt_init();
	desc_init_cpu(this_cpu());
	log_info("Tessera microhypervisor");
	report_boot_info(bi);
	/* step 3: memory */
	mem_init(bi);
	/* step 4: ACPI, LAPIC, TSC, timer */
	if (acpi_init(bi))
		log_warn("acpi: not found; one CPU, no PM timer");
	tsc_init(acpi_get());
	rtc_init();
	lapic_init_cpu();
	timer_init_cpu();
	timer_self_test();
	/* Tessera itself as a guest of Hyper-V: before the other CPUs map the hypercall page. */
	hyperv_nested_init();
	/* step 5: SMP */
	smp_start_all();
	/* step 6: VMX */
	vmx_caps_probe(&this_cpu()->vmx);
	if (!this_cpu()->vmx.missing)
		vmx_smoke_test(this_cpu());
	if (!vmx_report())
		machine_exit(TESSERA_NO_VMX);
	/* step 7: partitions, their vLAPICs' notifications first */
	vapic_init_host();
	machine_exit(partitions_run(bi) ? TESSERA_GUEST_FAILED : TESSERA_OK);
}
