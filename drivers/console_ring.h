/*
 * A partition's console output ring: whole lines, one producer, one consumer.
 *
 * The producer (a vCPU of the partition, serialised by the partition's vUART
 * lock) appends a line only when all of it fits, else drops it and counts its
 * bytes: it never waits. The consumer (drivers/console.c, under the console
 * lock) sees only whole lines, because the head moves past a line only once
 * the line and its '\n' are in. Indexes run free; the size is a power of two.
 * The owner provides the buffer (a partition: CONSOLE_RING_SIZE from its pages).
 */
#ifndef TESSERA_DRIVERS_CONSOLE_RING_H
#define TESSERA_DRIVERS_CONSOLE_RING_H

#include "lib/types.h"

#define CONSOLE_RING_SIZE 16384 /* what a partition gets: 4 pages */

struct console_ring {
	const char *name; /* who writes it, for the drop report */
	char *buf;
	uint32_t mask;		   /* size - 1 */
	uint32_t merge_index;	   /* drivers/console.c: its place among the merged rings */
	uint32_t head;		   /* written by the producer (release) */
	uint32_t tail;		   /* written by the consumer (release) */
	uint64_t lines, bytes;	   /* text accepted (producer) */
	uint64_t dropped;	   /* text bytes of lines that did not fit (producer) */
	uint64_t dropped_reported; /* consumer: the count last reported */
};

/* size: a power of two (a smaller one is taken otherwise), at least 2. */
void console_ring_init(struct console_ring *r, const char *name, char *buf, uint32_t size);
/*
 * Producer: appends prefix, text and '\n' as one line, or drops the line whole
 * (counting text_len in `dropped`) when it does not fit. True when appended.
 */
bool console_ring_put_line(struct console_ring *r, const char *prefix, size_t prefix_len,
			   const char *text, size_t text_len);
/* Consumer: bytes of whole lines waiting. */
uint32_t console_ring_pending(const struct console_ring *r);
/* Consumer: the byte `i` places after the oldest one (i < pending). */
char console_ring_peek(const struct console_ring *r, uint32_t i);
/* Consumer: frees the oldest n bytes (n <= pending). */
void console_ring_consume(struct console_ring *r, uint32_t n);
/* Either side: the drop counter, read whole. */
uint64_t console_ring_dropped(const struct console_ring *r);

#endif
