/*
 * hv_main: brings the machine up in order, on the boot CPU.
 *   1. descriptor tables (IDT, this CPU's GDT/TSS), so faults are reported;
 *   2. report what the loader gave us;
 *   3. page allocator and the hypervisor's own page tables;
 *   4. ACPI (CPUs, timers), LAPIC, TSC and the one-shot timer;
 *   5. start every other CPU; each reports in and probes VMX;
 *   6. the VMX feature table, and VMXON/VMXOFF on every CPU.
 */
#include "hv/hv.h"
#include "arch/x86/percpu.h"
#include "drivers/machine_exit.h"
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
	log_info("tessera: booted by %s%s%s, cmdline \"%s\"",
		 bi->protocol == BOOT_PROTO_PVH ? "PVH" : "multiboot2", bi->loader_name[0] ? " from " : "",
		 bi->loader_name, bi->cmdline);
	for (uint32_t i = 0; i < bi->nr_mem; i++)
		log_info("mem: %#014llx-%#014llx %s", (unsigned long long)bi->mem[i].base,
			 (unsigned long long)(bi->mem[i].base + bi->mem[i].len - 1),
			 mem_type_name(bi->mem[i].type));
	for (uint32_t i = 0; i < bi->nr_modules; i++)
		log_info("module %u: %#llx-%#llx \"%s\"", i, (unsigned long long)bi->modules[i].start,
			 (unsigned long long)bi->modules[i].end, bi->modules[i].cmdline);
	log_info("acpi: RSDP %s at %#llx", bi->rsdp ? "given by the loader" : "not given",
		 (unsigned long long)bi->rsdp);
}

__noreturn void hv_main(struct boot_info *bi)
{
	/* step 1: descriptor tables */
	log_info("Tessera microhypervisor");
	report_boot_info(bi);
	/* step 3: memory */
	/* step 4: ACPI, LAPIC, TSC, timer */
	/* step 5: SMP */
	/* step 6: VMX */
	machine_exit(TESSERA_OK);
}
