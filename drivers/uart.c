/* 16550 UART on an I/O port base, 115200 8N1, polled. */
#include "drivers/uart.h"
#include "arch/x86/io.h"

#define UART_THR      0 /* transmit holding (DLAB=0) */
#define UART_RBR      0 /* receive buffer (DLAB=0) */
#define UART_DLL      0 /* divisor low (DLAB=1) */
#define UART_IER      1
#define UART_DLM      1
#define UART_FCR      2
#define UART_IIR      2 /* read: bits 7:6 are 11 when the FIFOs are on (16550A) */
#define UART_IIR_FIFO 0xc0
#define UART_FIFO_LEN 16
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_DR   0x01 /* data ready */
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40 /* transmitter completely empty */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1  0x03

/* The console UART's transmit FIFO (one UART is driven: COM1). */
static unsigned fifo_len = 1, tx_room;

void uart_init(uint16_t base)
{
	outb(base + UART_IER, 0x00);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, 1); /* 115200 baud */
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, 0x07); /* enable and clear FIFOs */
	outb(base + UART_MCR, 0x03); /* DTR, RTS */
	fifo_len = (inb(base + UART_IIR) & UART_IIR_FIFO) == UART_IIR_FIFO ? UART_FIFO_LEN : 1;
}

/*
 * THRE says the whole transmit FIFO is empty, not that one byte fits: after
 * seeing it, a FIFO's worth may be written without looking again. A poll thus
 * moves up to 16 bytes, not one (the console is drained by polls).
 */
bool uart_try_putc(uint16_t base, char c)
{
	if (!tx_room) {
		if (!(inb(base + UART_LSR) & UART_LSR_THRE))
			return false;
		tx_room = fifo_len;
	}
	tx_room--;
	outb(base + UART_THR, (uint8_t)c);
	return true;
}

bool uart_try_getc(uint16_t base, uint8_t *c)
{
	uint8_t lsr = inb(base + UART_LSR);

	if (lsr == 0xff || !(lsr & UART_LSR_DR))
		return false; /* 0xff: no UART there */
	*c = inb(base + UART_RBR);
	return true;
}

void uart_drain(uint16_t base)
{
	for (int i = 0; i < 1000000 && !(inb(base + UART_LSR) & UART_LSR_TEMT); i++)
		;
}

void uart_putc(uint16_t base, char c)
{
	/* Bounded wait: a missing UART reads 0xff (THRE set) and must not hang us. */
	for (int i = 0; i < 100000 && !(inb(base + UART_LSR) & UART_LSR_THRE); i++)
		;
	outb(base + UART_THR, (uint8_t)c);
}
