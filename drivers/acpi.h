/*
 * ACPI: the little Tessera needs from the firmware's tables. acpi_parse() finds the
 * RSDP, walks the XSDT (or RSDT) and reads the MADT (CPUs, IOAPICs, LAPIC base), the
 * FADT (PM timer, PM1a control, SCI) and the HPET table. Every table is checked
 * (readable, sane length, checksum, signature) before a field of it is used.
 */
#ifndef TESSERA_DRIVERS_ACPI_H
#define TESSERA_DRIVERS_ACPI_H

#include "lib/types.h"
#include "boot/boot_info.h"
#include "arch/x86/percpu.h"

#define ACPI_MAX_IOAPICS  8
#define ACPI_PM_TIMER_HZ  3579545
#define ACPI_TABLE_MAXLEN (1 * MiB) /* longer tables are treated as corrupt */

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled;	     /* MADT flag: usable now */
	bool online_capable; /* MADT flag: may be enabled later (only when !enabled) */
};

struct acpi_ioapic {
	uint32_t id;
	uint64_t addr;
	uint32_t gsi_base;
};

struct acpi_info {
	uint64_t rsdp_pa; /* 0 when the loader handed us a copy of the RSDP */
	uint8_t revision; /* RSDP revision: 0 = ACPI 1.0, 2 = ACPI 2.0+ */
	char oem_id[7];

	/*
	 * CPUs from MADT types 0 and 9, in table order; entries that are neither enabled
	 * nor online-capable are left out, as are duplicate APIC IDs. 0 without a MADT.
	 */
	uint32_t nr_cpus;
	struct acpi_cpu cpus[MAX_CPUS];
	uint32_t nr_cpus_ignored; /* usable CPUs beyond MAX_CPUS */

	uint64_t lapic_base; /* from the MADT (type 5 overrides); 0 without a MADT */
	uint32_t nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];

	bool has_madt, has_fadt, has_hpet, pcat_compat;

	uint16_t pm_tmr_port; /* 0: no PM timer */
	bool pm_tmr_32bit;    /* FADT TMR_VAL_EXT: the counter is 32 bits, else 24 */
	uint16_t pm1a_cnt_port;
	uint32_t sci_irq;

	uint64_t hpet_base; /* valid when has_hpet */
};

/*
 * Finds the RSDP (bi->rsdp, else bi->rsdp_copy, else a scan of the EBDA and
 * 0xe0000-0xfffff) and parses the tables through `rd`. Returns 0 when a valid root
 * table was found (even if some tables were missing or bad: see the has_* flags),
 * a negative value when there is no usable ACPI. Logs what it found and why it
 * rejected anything. `out` is always fully written.
 */
int acpi_parse(const struct boot_info *bi, phys_reader_t rd, struct acpi_info *out);

#ifndef HOST_TEST
/*
 * The hypervisor's ACPI step: acpi_parse() over identity-mapped memory into a
 * global, then tells machine_exit() the PM1a control port. Returns acpi_parse()'s
 * result.
 */
int acpi_init(const struct boot_info *bi);

/* What acpi_init() found; never NULL (all zero when ACPI was not found). */
const struct acpi_info *acpi_get(void);
#endif

#endif
