/* 16550 UART, polled. */
#ifndef TESSERA_DRIVERS_UART_H
#define TESSERA_DRIVERS_UART_H

#include "lib/types.h"

#define UART_COM1 0x3f8

void uart_init(uint16_t base);
void uart_putc(uint16_t base, char c);
/* Sends c only if the transmitter can take it now; false if it is busy. */
bool uart_try_putc(uint16_t base, char c);
/* Takes a received byte if one is waiting; false if none. */
bool uart_try_getc(uint16_t base, uint8_t *c);
/* Waits (bounded) until every byte has left the transmitter. */
void uart_drain(uint16_t base);

#endif
