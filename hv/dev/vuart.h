/*
 * A partition's virtual UART: the part of a 16550 that a polling guest console
 * uses. Transmitted bytes are collected into lines and handed to `emit` (the
 * hypervisor console prefixes them with the partition name). No receive path,
 * no interrupts: the line status always says "transmitter empty".
 */
#ifndef TESSERA_HV_VUART_H
#define TESSERA_HV_VUART_H

#include "lib/types.h"

#define VUART_LINE_MAX 160

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint32_t len;
	char line[VUART_LINE_MAX];
	void (*emit)(void *opaque, const char *line, size_t len);
	void *opaque;
};

void vuart_init(struct vuart *u, void (*emit)(void *opaque, const char *line, size_t len),
		void *opaque);
/* offset: 0..7 from the UART's base port. */
void vuart_write(struct vuart *u, unsigned offset, uint8_t value);
uint8_t vuart_read(struct vuart *u, unsigned offset);
/* Hands out a partial line (at partition end). */
void vuart_flush(struct vuart *u);

#endif
