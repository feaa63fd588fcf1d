/*
 * The ACPI tables a partition's guest finds (docs/linux.md): built per
 * partition by guest_acpi_build(), a pure function over a buffer (host-tested
 * in tests/unit/test_guest_acpi.c), and placed by the loader at
 * GUEST_ACPI_GPA, inside the legacy hole 0xA0000-0xFFFFF that the guest's
 * memory map already reports reserved. The RSDP comes first there, so a
 * multiboot guest finds it by the legacy scan of 0xE0000-0xFFFFF and a PVH
 * guest through hvm_start_info.rsdp_paddr.
 *
 * Tables: RSDP (revision 2), XSDT, FADT (revision 6, hardware-reduced: no
 * PM1 blocks, no SCI, no FACS; the sleep control and status registers and
 * the reset register are I/O ports Tessera emulates), a DSDT whose AML names
 * \_S5, the pvpanic device, with the vIOAPIC the COM1 device with its IRQ,
 * and the shared-memory regions (guest_dsdt.h), and a MADT with one
 * local APIC entry per vCPU (its virtual APIC ID, the vCPU index), the
 * vIOAPIC and the override of ISA IRQ 0 to GSI 2. Nothing in them names a
 * device or CPU outside the partition.
 */
#ifndef TESSERA_HV_GUEST_ACPI_H
#define TESSERA_HV_GUEST_ACPI_H

#include "lib/types.h"
#include "hv/policy/power_ports.h"
#include "hv/partition/partition_config.h" /* CONFIG_MAX_SHMEM, CONFIG_SHMEM_DOORBELL_SZ */

#define GUEST_ACPI_GPA	0xE0000ULL
#define GUEST_ACPI_SIZE 0x2000ULL /* what the tables may take */

/* The emulated ports the FADT names (hv/exit/exit_io.c). */
#define GUEST_ACPI_SLEEP_CTL_PORT 0x600 /* SLP_TYPx bits 2-4, SLP_EN bit 5 */
#define GUEST_ACPI_SLEEP_STS_PORT 0x601 /* WAK_STS bit 7: reads 0 */
#define GUEST_ACPI_S5_TYPE	  5	/* the SLP_TYPx \_S5 gives */
#define GUEST_ACPI_SCI_IRQ	  9	/* named for the record: hardware-reduced has no SCI */
/* The FADT's reset register: RST_CNT, SYS_RST | RST_CPU (a byte write there reboots). */
#define GUEST_ACPI_RESET_PORT	  RST_CNT_PORT
#define GUEST_ACPI_RESET_VALUE	  (RST_CNT_SYS_RST | RST_CNT_RST_CPU)
#define GUEST_ACPI_PVPANIC_PORT	  PVPANIC_PORT /* the DSDT's QEMU0001 device */

#define GUEST_ACPI_SLP_TYP_SHIFT 2
#define GUEST_ACPI_SLP_TYP_MASK	 0x1c
#define GUEST_ACPI_SLP_EN	 0x20

#define GUEST_ACPI_SHMEM_HID "TSRA0001" /* Tessera's own ID: not in the ACPI ID registry */

struct guest_acpi_shmem {
	uint64_t gpa, size; /* where this partition sees the region; page multiples */
	bool writable;	    /* an rw peer */
};

struct guest_acpi_params {
	uint32_t nr_cpus;     /* local APIC entries, APIC IDs 0..nr_cpus-1; 1..255 */
	bool ioapic;	      /* a vIOAPIC entry (and the IRQ 0 override) */
	uint8_t ioapic_id;    /* its APIC ID: not among the CPUs' */
	uint32_t ioapic_addr; /* its MMIO base */
	uint16_t uart_port;   /* with the vIOAPIC: a COM device at this port, 0 for none */
	uint8_t uart_irq;     /* and its ISA IRQ */
	uint32_t nr_shmem;    /* shared-memory regions, at most CONFIG_MAX_SHMEM */
	struct guest_acpi_shmem shmem[CONFIG_MAX_SHMEM];
};

/*
 * Writes the tables for p into buf (size bytes), as they will lie at
 * guest-physical gpa (16-byte aligned, below 4 GiB); the RSDP is at offset 0.
 * Returns the bytes used, or 0 when p is out of range or buf too small.
 */
size_t guest_acpi_build(uint8_t *buf, size_t size, uint64_t gpa, const struct guest_acpi_params *p);

#endif
