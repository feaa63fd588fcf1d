/* The hypervisor console: COM1, optionally mirrored to the 0xE9 debug port. */
#ifndef TESSERA_DRIVERS_CONSOLE_H
#define TESSERA_DRIVERS_CONSOLE_H

#include "lib/types.h"

void console_init(void);
/* Mirror every byte to port 0xE9 (Bochs/QEMU debug console). */
void console_set_e9(bool on);
/* Writes a whole line atomically with respect to other CPUs. */
void console_write(const char *s, size_t len);
/* For panic: take the console even if a dead CPU holds its lock. */
void console_force_unlock(void);

#endif
