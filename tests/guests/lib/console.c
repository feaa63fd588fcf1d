/*
 * Console on COM1, polled. On QEMU this is a 16550; under Tessera it is the
 * vUART, whose LSR always reads "transmitter empty". The wait is bounded so a
 * missing or wedged UART slows output down but never hangs the guest.
 */
#include "tests/guests/lib/lib.h"

#define UART_THR      0 /* transmit holding (DLAB 0) */
#define UART_DLL      0 /* divisor low (DLAB 1) */
#define UART_IER      1
#define UART_DLM      1 /* divisor high (DLAB 1) */
#define UART_FCR      2
#define UART_LCR      3
#define UART_MCR      4
#define UART_LSR      5
#define UART_LCR_8N1  0x03
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20
#define UART_POLL_MAX 100000

void console_init(void)
{
	outb(COM1_PORT + UART_IER, 0x00);
	outb(COM1_PORT + UART_LCR, UART_LCR_DLAB);
	outb(COM1_PORT + UART_DLL, 1); /* 115200 baud */
	outb(COM1_PORT + UART_DLM, 0);
	outb(COM1_PORT + UART_LCR, UART_LCR_8N1);
	outb(COM1_PORT + UART_FCR, 0x07); /* enable and clear the FIFOs */
	outb(COM1_PORT + UART_MCR, 0x03); /* DTR, RTS */
}

void console_putc(char c)
{
	for (unsigned i = 0; i < UART_POLL_MAX; i++)
		if (inb(COM1_PORT + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1_PORT + UART_THR, (uint8_t)c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

static void put_console(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

int guest_vprintf(const char *fmt, va_list ap)
{
	return guest_vformat(put_console, NULL, fmt, ap);
}

int guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = guest_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
