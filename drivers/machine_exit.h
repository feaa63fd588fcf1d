/*
 * Ending a run. Tessera has no one to return to, so "exit" means: print the
 * final status line, then try every way an emulator offers to stop:
 *   QEMU isa-debug-exit (port 0xf4): QEMU exits with (status << 1) | 1;
 *   Bochs: "Shutdown" written to port 0x8900;
 *   ACPI power-off (PM1a control, from the FADT when known);
 * and on real hardware, halt.
 */
#ifndef TESSERA_DRIVERS_MACHINE_EXIT_H
#define TESSERA_DRIVERS_MACHINE_EXIT_H

#include "lib/types.h"

enum tessera_status {
	TESSERA_OK = 0,		  /* everything ran and passed */
	TESSERA_PANIC = 1,	  /* the hypervisor hit a fatal error */
	TESSERA_NO_VMX = 2,	  /* this machine cannot run Tessera: a VMX feature is missing */
	TESSERA_GUEST_FAILED = 3, /* a partition ended with a failure status */
};

#define QEMU_DEBUG_EXIT_PORT 0xf4

/* Remember the ACPI PM1a control port for power-off (0 = none). */
void machine_exit_set_acpi(uint16_t pm1a_cnt, uint16_t slp_typ_s5);
__noreturn void machine_exit(enum tessera_status status);

#endif
