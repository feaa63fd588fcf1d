/* The hypervisor console: COM1, optionally mirrored to the 0xE9 debug port. */
#ifndef TESSERA_DRIVERS_CONSOLE_H
#define TESSERA_DRIVERS_CONSOLE_H

#include "lib/types.h"
#include "drivers/console_ring.h"

void console_init(void);
/* Mirror every byte to port 0xE9 (Bochs/QEMU debug console). */
void console_set_e9(bool on);
/*
 * Adds a partition's output ring to the merge (drivers/console_ring.h); its
 * lines go out as whole lines among the hypervisor's. False when 16 are in.
 */
bool console_add_ring(struct console_ring *r);
/* Writes a whole line atomically with respect to other CPUs (the hypervisor's own). */
void console_write(const char *s, size_t len);
/* Sends what the UART takes now of the buffered output, reports drops (housekeeping loop). */
void console_poll(void);
/* Bytes Tessera's ring can take now without its writer waiting for the UART. */
size_t console_room(void);
/* A byte typed on the console, if one is waiting (housekeeping CPU only). */
bool console_try_getc(uint8_t *c);
/* Sends all buffered output, waiting for the UART (panic, end of a run). */
void console_flush(void);
/*
 * For panic and exception reports: makes sure the console lock is free. Waits a
 * bounded time for the holder; if it does not let go (a stopped CPU, or this CPU
 * interrupted while printing), resets the lock.
 */
void console_force_unlock(void);

#endif
