/*
 * Console input: bytes typed on the serial console go to the vUART receive
 * FIFO of the partition that has the input focus (the first partition with a
 * vUART at the start); Ctrl-A three times moves the focus on
 * (hv/dev/console_switch.h), through the partitions and then Tessera (no
 * shell yet: what it gets is dropped), and one line says where input goes now.
 * Only the housekeeping CPU calls these.
 */
#ifndef TESSERA_HV_CONSOLE_INPUT_H
#define TESSERA_HV_CONSOLE_INPUT_H

/* After the partitions are built: the first focus, and the line saying so. */
void console_input_init(void);
/* Moves what was typed to its target (housekeeping loop). */
void console_input_poll(void);

#endif
