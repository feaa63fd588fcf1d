/*
 * A partition's virtual UART: the part of a 16550 that a polling guest console
 * uses. Transmitted bytes are collected into lines and handed to `emit` (the
 * hypervisor console prefixes them with the partition name and puts them into
 * the partition's output ring). A line longer than VUART_LINE_MAX is cut: the
 * pieces after the first are emitted with `continued` set. Received bytes (the
 * serial console's input while the partition has the focus) wait in a bounded
 * FIFO: RBR pops it, LSR.DR says it is not empty, a full FIFO drops. No
 * interrupts.
 *
 * Locking: the transmit path (THR writes, vuart_transmit, vuart_flush) and
 * RBR reads take `lock`, so the vCPUs of one partition are one producer of its
 * output ring. vuart_receive is the FIFO's only producer (the housekeeping CPU).
 */
#ifndef TESSERA_HV_VUART_H
#define TESSERA_HV_VUART_H

#include "lib/types.h"
#include "lib/spinlock.h"

#define VUART_LINE_MAX 160
#define VUART_RX_SIZE  64 /* a power of two */

typedef void vuart_emit_fn(void *opaque, const char *line, size_t len, bool continued);

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	spinlock_t lock;
	bool continued; /* the next piece continues a line that was cut */
	uint32_t len;
	char line[VUART_LINE_MAX];
	vuart_emit_fn *emit;
	void *opaque;
	uint32_t rx_head, rx_tail; /* free-running: received, read by the guest */
	uint64_t rx_dropped;
	uint8_t rx[VUART_RX_SIZE];
};

void vuart_init(struct vuart *u, vuart_emit_fn *emit, void *opaque);
/* offset: 0..7 from the UART's base port. */
void vuart_write(struct vuart *u, unsigned offset, uint8_t value);
uint8_t vuart_read(struct vuart *u, unsigned offset);
/* Transmits len bytes as if written to THR one by one, under one lock. */
void vuart_transmit(struct vuart *u, const uint8_t *buf, size_t len);
/* Hands out a partial line (at partition end). */
void vuart_flush(struct vuart *u);
/* A byte the guest will read from RBR; false (and counted) when the FIFO is full. */
bool vuart_receive(struct vuart *u, uint8_t c);

#endif
