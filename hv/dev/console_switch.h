/*
 * The console's input switch, as in Xen: Ctrl-A (0x01) three times in a row
 * moves the input focus to the next partition, then to Tessera itself, then
 * round again. Pure (no hardware, no globals): host-tested in
 * tests/unit/test_console_switch.c.
 *
 * Fewer than three Ctrl-As followed by another byte are not lost: they go to
 * the focus before that byte, so a guest can still be sent a Ctrl-A.
 */
#ifndef TESSERA_HV_CONSOLE_SWITCH_H
#define TESSERA_HV_CONSOLE_SWITCH_H

#include "lib/types.h"

#define CONSOLE_SWITCH_CHAR  0x01 /* Ctrl-A */
#define CONSOLE_SWITCH_COUNT 3

struct console_switch {
	uint32_t seen; /* Ctrl-As in a row, held back */
};

/*
 * Feeds one received byte. True: it completed the sequence (switch the focus;
 * nothing to deliver). False: out[0..*n) are the bytes to deliver now (held
 * back Ctrl-As, then c), *n from 0 (c held back) to CONSOLE_SWITCH_COUNT.
 */
bool console_switch_feed(struct console_switch *s, uint8_t c, uint8_t out[CONSOLE_SWITCH_COUNT],
			 size_t *n);

/*
 * The focus after `focus` among `count` targets (partitions 0..count-1, and
 * count for Tessera), skipping those `usable` says no to. Tessera is always
 * usable; a focus beyond count is taken as Tessera.
 */
uint32_t console_focus_next(uint32_t focus, uint32_t count, bool (*usable)(uint32_t target));

#endif
