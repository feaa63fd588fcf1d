/*
 * Console output and log_printf(). Lines are formatted into a local buffer and
 * written under one lock, so lines of different CPUs never interleave.
 *
 * A 115200-baud UART takes ~87 us a byte, far longer than producing it, so
 * output goes through a ring: a writer copies its line in and sends what the
 * UART's FIFO takes right now, without waiting; the housekeeping CPU drains the
 * rest (console_poll) while it waits for the partitions. Only when the ring is
 * full does a writer wait for the UART. Nothing is ever dropped; panic and the
 * end of a run flush the ring synchronously (console_flush).
 */
#include <stdarg.h>
#include "drivers/console.h"
#include "drivers/uart.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "lib/spinlock.h"
#include "lib/format.h"
#include "lib/log.h"

#define E9_PORT 0xe9

#define RING_SIZE 8192 /* a power of two; a full ring makes writers wait, never drop */

static spinlock_t console_lock = SPINLOCK_INIT;
static bool mirror_e9;
static char ring[RING_SIZE];
static uint32_t ring_head, ring_tail; /* free-running: written, sent */

void console_init(void)
{
	uart_init(UART_COM1);
}

void console_set_e9(bool on)
{
	mirror_e9 = on;
}

/* Sends what the UART accepts now; with `wait`, everything. Lock held. */
static void drain(bool wait)
{
	while (ring_tail != ring_head) {
		if (wait)
			uart_putc(UART_COM1, ring[ring_tail++ % RING_SIZE]);
		else if (!uart_try_putc(UART_COM1, ring[ring_tail % RING_SIZE]))
			return;
		else
			ring_tail++;
	}
}

static void put(char c)
{
	if (ring_head - ring_tail == RING_SIZE)
		uart_putc(UART_COM1, ring[ring_tail++ % RING_SIZE]); /* full: wait for one */
	ring[ring_head++ % RING_SIZE] = c;
	if (mirror_e9)
		outb(E9_PORT, (uint8_t)c);
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
	drain(false);
	spin_unlock(&console_lock);
}

void console_poll(void)
{
	if (ring_tail == ring_head || !spin_trylock_for(&console_lock, 1))
		return;
	drain(false);
	spin_unlock(&console_lock);
}

void console_flush(void)
{
	spin_lock(&console_lock);
	drain(true);
	spin_unlock(&console_lock);
}

/*
 * How long the holder may keep the lock before it counts as stuck: far longer
 * than a line takes to print. 4M pause loops or 2^29 TSC ticks, whichever ends
 * first (Bochs's TSC counts instructions; in QEMU TCG a pause is slow).
 */
#define CONSOLE_STUCK_ROUNDS 4096
#define CONSOLE_STUCK_SPINS  1024 /* per round */
#define CONSOLE_STUCK_TSC    (1ULL << 29)

void console_force_unlock(void)
{
	uint64_t start = rdtsc();

	for (uint32_t i = 0; i < CONSOLE_STUCK_ROUNDS && rdtsc() - start < CONSOLE_STUCK_TSC; i++) {
		if (spin_trylock_for(&console_lock, CONSOLE_STUCK_SPINS)) {
			spin_unlock(&console_lock); /* the holder let go: the lock works */
			return;
		}
	}
	console_lock = (spinlock_t)SPINLOCK_INIT; /* the holder is stuck: take it over */
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	static const char *const tag[] = {"error: ", "warning: ", "", ""};
	char line[256];
	int n = fmt_snprintf(line, sizeof(line), "[cpu%u] %s", this_cpu()->index, tag[level]);
	va_list ap;

	va_start(ap, fmt);
	n += fmt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	console_write(line, (size_t)n);
}
