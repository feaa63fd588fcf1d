/*
 * The console shell (docs/shell.md): commands typed on the serial console
 * while Tessera has the input focus. Only the housekeeping CPU calls these,
 * from console_input_poll(); none of them waits.
 */
#ifndef TESSERA_HV_SHELL_H
#define TESSERA_HV_SHELL_H

#include "lib/types.h"

/* After the partitions are built: what the parser knows of them. */
void shell_init(void);
/* The line printed when the focus comes to Tessera. */
void shell_greet(void);
/* One byte typed while Tessera has the focus; call only while shell_ready(). */
void shell_feed(uint8_t c);
/* Runs a line held back for console room; true when the shell takes bytes again. */
bool shell_ready(void);

#endif
