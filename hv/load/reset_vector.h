/*
 * The reset vector stub (docs/linux.md): Tessera has no firmware, but a
 * guest may jump to the x86 reset vector, F000:FFF0 (GPA 0xffff0), in real
 * mode to restart, as a BIOS reboot does. Linux does by default on an ACPI
 * hardware-reduced machine without EFI (its reboot_type is then "EFI", whose
 * fallback is the BIOS method: machine_real_restart()). What it finds there
 * is this stub, which writes the FADT's reset register and so reboots the
 * partition (hv/policy/power_ports.h); without it the guest would run whatever
 * bytes lie there. Placed by the loader with the ACPI tables, in the legacy
 * hole the guest's memory map reports reserved. Pure: host-tested.
 */
#ifndef TESSERA_HV_RESET_VECTOR_H
#define TESSERA_HV_RESET_VECTOR_H

#include "lib/types.h"

#define RESET_VECTOR_GPA  0xffff0ULL /* F000:FFF0 */
#define RESET_VECTOR_SIZE 16	     /* up to the end of the first MiB */

/*
 * Writes the stub into out (RESET_VECTOR_SIZE bytes): 16-bit code that
 * writes value to port with OUT DX, AL, then halts for good.
 */
void reset_vector_build(uint8_t out[RESET_VECTOR_SIZE], uint16_t port, uint8_t value);

#endif
