/*
 * The AML of a partition's DSDT (guest_acpi.h builds the table around it):
 * \_S5 (the sleep type of power-off), the pvpanic device, with the vIOAPIC
 * the COM1 device and its IRQ, and one device per shared-memory region the
 * partition is a peer of (docs/shmem.md): _HID GUEST_ACPI_SHMEM_HID, _UID its
 * index in TESSERA_HC_SHMEM_LIST, _CRS the region (read-only where this peer
 * only reads it) and its doorbell page. Pure, host-tested with the tables.
 */
#ifndef TESSERA_HV_LOAD_GUEST_DSDT_H
#define TESSERA_HV_LOAD_GUEST_DSDT_H

#include "hv/load/guest_acpi.h"

/* Writes the AML for p into buf; returns its length, or 0 when size is too small. */
size_t guest_dsdt_body(uint8_t *buf, size_t size, const struct guest_acpi_params *p);

#endif
