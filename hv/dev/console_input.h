/*
 * Console input: bytes typed on the serial console go to the vUART receive
 * FIFO of the partition that has the input focus (the first partition with a
 * vUART at the start); Ctrl-A three times moves the focus on
 * (hv/dev/console_switch.h), through the partitions and then Tessera, whose
 * console shell gets it (hv/shell/shell.h), and one line says where input goes now.
 * Only the housekeeping CPU calls these.
 */
#ifndef TESSERA_HV_CONSOLE_INPUT_H
#define TESSERA_HV_CONSOLE_INPUT_H

#include "lib/types.h"

/* After the partitions are built: the first focus, and the line saying so. */
void console_input_init(void);
/* The shell's `attach`: input goes to that partition (which has a vUART). */
void console_input_attach(uint32_t partition);
/* Moves what was typed to its target (housekeeping loop). */
void console_input_poll(void);

#endif
