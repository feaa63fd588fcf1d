/*
 * A partition's virtual UART: the part of a 16550 that a polling guest console
 * uses. Transmitted bytes are collected into lines and handed to `emit` (the
 * hypervisor console prefixes them with the partition name and puts them into
 * the partition's output ring). A line longer than VUART_LINE_MAX is cut: the
 * pieces after the first are emitted with `continued` set. Received bytes (the
 * serial console's input while the partition has the focus) wait in a bounded
 * FIFO: RBR pops it, LSR.DR says it is not empty, a full FIFO drops.
 *
 * Interrupts, as a PC's 16550A (National Semiconductor PC16550D data sheet):
 * IER enables "received data available" (ERBFI: while the FIFO holds a byte)
 * and "THR empty" (ETBEI: THR empties at once, so the THRE interrupt is
 * pending after every THR write and when ETBEI goes from 0 to 1; reading IIR
 * while it is the one identified, or writing THR, clears it); IIR identifies
 * the highest of the pending ones (received data, then THR empty) and reads
 * 0xc0 in its top bits once FCR enabled the FIFOs (FCR bit 1 empties the
 * receive FIFO); there are no line-status or modem-status interrupts (no line
 * errors, the modem lines never change; in loopback mode MSR reflects MCR).
 * The INTR output is gated by MCR.OUT2, as on a PC: the line is OUT2 and an
 * enabled source pending. Each change of that line goes to `irq` (set by
 * vuart_set_irq); a THR write while it is high gives a fall and a rise, as
 * the real line drops while the byte goes out.
 *
 * Locking: every register access, vuart_transmit, vuart_flush and
 * vuart_receive take `lock`, so the vCPUs of one partition are one producer of
 * its output ring, and the line changes reach `irq` in the order they happen
 * (`irq` is called with the lock held). vuart_receive is the FIFO's only
 * producer (the housekeeping CPU).
 */
#ifndef TESSERA_HV_VUART_H
#define TESSERA_HV_VUART_H

#include "lib/types.h"
#include "lib/spinlock.h"

#define VUART_LINE_MAX 160
#define VUART_RX_SIZE  64 /* a power of two */

typedef void vuart_emit_fn(void *opaque, const char *line, size_t len, bool continued);
typedef void vuart_irq_fn(void *opaque, bool level);

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool fifo;	   /* FCR bit 0: the FIFOs are enabled */
	bool thre_pending; /* the THR-empty interrupt is pending (if ETBEI allows it) */
	bool irq_level;	   /* the INTR line as last given to `irq` */
	vuart_irq_fn *irq;
	void *irq_opaque;
	spinlock_t lock;
	bool continued; /* the next piece continues a line that was cut */
	uint32_t len;
	char line[VUART_LINE_MAX];
	vuart_emit_fn *emit;
	void *opaque;
	uint32_t rx_head, rx_tail; /* free-running: received, read by the guest */
	uint64_t rx_received;	   /* taken into the FIFO */
	uint64_t rx_dropped;	   /* arrived with the FIFO full */
	uint64_t rx_cleared;	   /* thrown away by the guest (FCR's receive-FIFO reset) */
	uint8_t rx[VUART_RX_SIZE];
};

void vuart_init(struct vuart *u, vuart_emit_fn *emit, void *opaque);
/* Where the INTR line's changes go (NULL: nowhere, the line only polled). */
void vuart_set_irq(struct vuart *u, vuart_irq_fn *irq, void *opaque);
/* The registers' power-up state (a partition's restart); output and input kept. */
void vuart_reset_regs(struct vuart *u);
/* offset: 0..7 from the UART's base port. */
void vuart_write(struct vuart *u, unsigned offset, uint8_t value);
uint8_t vuart_read(struct vuart *u, unsigned offset);
/* Transmits len bytes as if written to THR one by one, under one lock (Tessera's console
 * hypercall: the guest did not write THR, so no THR-empty interrupt follows). */
void vuart_transmit(struct vuart *u, const uint8_t *buf, size_t len);
/* Hands out a partial line (at partition end). */
void vuart_flush(struct vuart *u);
/* A byte the guest will read from RBR; false (and counted) when the FIFO is full. */
bool vuart_receive(struct vuart *u, uint8_t c);
/* What became of the input so far, one line for the console statistics. */
void vuart_describe_input(const struct vuart *u, char *buf, size_t size);

#endif
