/* 16550 UART on an I/O port base, 115200 8N1, polled. */
#include "drivers/uart.h"
#include "arch/x86/io.h"

#define UART_THR      0 /* transmit holding (DLAB=0) */
#define UART_RBR      0 /* receive buffer (DLAB=0) */
#define UART_DLL      0 /* divisor low (DLAB=1) */
#define UART_IER      1
#define UART_DLM      1
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LSR_DR   0x01 /* data ready */
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40 /* transmitter completely empty */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1  0x03

void uart_init(uint16_t base)
{
	outb(base + UART_IER, 0x00);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, 1); /* 115200 baud */
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, 0x07); /* enable and clear FIFOs */
	outb(base + UART_MCR, 0x03); /* DTR, RTS */
}

bool uart_try_putc(uint16_t base, char c)
{
	if (!(inb(base + UART_LSR) & UART_LSR_THRE))
		return false;
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
