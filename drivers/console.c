/*
 * Console output and log_printf(). The hypervisor's lines are formatted into a
 * local buffer and copied into its own ring under one lock, so lines of
 * different CPUs never interleave. Each partition writes into a ring of its own
 * (drivers/console_ring.h) without this lock and without ever waiting.
 *
 * A 115200-baud UART takes ~87 us a byte, far longer than producing it, so the
 * holder of the console lock sends what the UART takes right now and the
 * housekeeping CPU sends the rest (console_poll) while it waits for the
 * partitions. Sending merges the rings line by line: a line, once begun, is
 * finished before another starts; between lines the hypervisor's ring goes
 * first, then the partitions' rings take turns, except that a line Tessera
 * logs on a partition's CPU (its crash, its end, its counters) waits until
 * that partition's earlier lines are out (a barrier; only when they are few).
 * The hypervisor's ring drops nothing: when it is full, its writer waits for
 * the UART. A partition's ring drops whole lines when full (its writer never
 * waits); the count is reported at most once a second. Panic and the end of a run flush
 * synchronously (console_flush).
 */
#include <stdarg.h>
#include "drivers/console.h"
#include "drivers/tsc.h"
#include "drivers/uart.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "lib/spinlock.h"
#include "lib/format.h"
#include "lib/log.h"

#define E9_PORT 0xe9

#define RING_SIZE      8192 /* a power of two; a full ring makes writers wait, never drop */
#define MAX_RINGS      16   /* partition rings */
#define SRC_NONE       (-1) /* no line is being sent */
#define SRC_HV	       MAX_RINGS
#define DROP_REPORT_US 1000000
#define MAX_BARRIERS   64   /* more at once: the rest are sent without waiting */
#define BARRIER_MAX    2048 /* bytes a barrier may wait for (~180 ms at 115200 baud) */

static spinlock_t console_lock = SPINLOCK_INIT;
static bool mirror_e9;
static char ring[RING_SIZE];
static uint32_t ring_head, ring_tail; /* free-running: written, sent */

/* Under console_lock: the merge. */
static struct console_ring *rings[MAX_RINGS];
static uint32_t nr_rings, next_ring;
static int current = SRC_NONE; /* whose line is on its way out */
static bool cr_sent;	       /* the '\r' before the current '\n' went out */
static uint64_t last_drop_report;

/* The hypervisor's line at hv_pos goes out only once ring `ring` sent up to ring_pos. */
struct barrier {
	uint32_t hv_pos, ring, ring_pos;
};
static struct barrier barriers[MAX_BARRIERS];
static uint32_t barrier_head, barrier_tail;

void console_init(void)
{
	uart_init(UART_COM1);
}

bool console_try_getc(uint8_t *c)
{
	return uart_try_getc(UART_COM1, c);
}

void console_set_e9(bool on)
{
	mirror_e9 = on;
}

bool console_add_ring(struct console_ring *r)
{
	bool ok;

	spin_lock(&console_lock);
	ok = nr_rings < MAX_RINGS;
	if (ok) {
		r->merge_index = nr_rings;
		rings[nr_rings++] = r;
	}
	spin_unlock(&console_lock);
	return ok;
}

static uint32_t src_pending(int src)
{
	return src == SRC_HV ? ring_head - ring_tail : console_ring_pending(rings[src]);
}

static char src_peek(int src)
{
	return src == SRC_HV ? ring[ring_tail % RING_SIZE] : console_ring_peek(rings[src], 0);
}

static void src_consume(int src)
{
	if (src == SRC_HV)
		ring_tail++;
	else
		console_ring_consume(rings[src], 1);
}

/* Lock held, at the start of a line of this CPU's: after its partition's lines so far. */
static void add_barrier(void)
{
	struct console_ring *r = this_cpu()->console_out;
	uint32_t pending = r ? console_ring_pending(r) : 0;

	/* Past BARRIER_MAX, order gives way: a partition cannot hold Tessera's lines back. */
	if (!pending || pending > BARRIER_MAX || barrier_head - barrier_tail == MAX_BARRIERS)
		return;
	barriers[barrier_head++ % MAX_BARRIERS] = (struct barrier){
	    ring_head, r->merge_index, __atomic_load_n(&r->head, __ATOMIC_ACQUIRE)};
}

/* The ring whose lines must go before the hypervisor's next line, or SRC_HV. */
static int hv_or_barrier(void)
{
	while (barrier_tail != barrier_head) {
		const struct barrier *b = &barriers[barrier_tail % MAX_BARRIERS];

		if ((int32_t)(b->hv_pos - ring_tail) > 0)
			return SRC_HV; /* the next line has none */
		if (b->hv_pos == ring_tail && (int32_t)(b->ring_pos - rings[b->ring]->tail) > 0)
			return (int)b->ring;
		barrier_tail++; /* its ring caught up (or the line is gone: never expected) */
	}
	return SRC_HV;
}

/* The hypervisor's ring first, then the next partition ring with a line. */
static int pick_source(void)
{
	if (ring_head != ring_tail)
		return hv_or_barrier();
	for (uint32_t i = 0; i < nr_rings; i++) {
		uint32_t r = (next_ring + i) % nr_rings;

		if (console_ring_pending(rings[r])) {
			next_ring = (r + 1) % nr_rings;
			return (int)r;
		}
	}
	return SRC_NONE;
}

static bool send_byte(char c, bool wait)
{
	if (wait)
		uart_putc(UART_COM1, c);
	else if (!uart_try_putc(UART_COM1, c))
		return false;
	/* The hypervisor's own bytes were mirrored when written. */
	if (mirror_e9 && current != SRC_HV)
		outb(E9_PORT, (uint8_t)c);
	return true;
}

/* One byte of the merged stream ("\n" goes out as "\r\n"). False: nothing sent. */
static bool send_one(bool wait)
{
	char c;

	if (current == SRC_NONE)
		current = pick_source();
	if (current == SRC_NONE || !src_pending(current))
		return false; /* a begun line is always whole in its ring: this is idle */
	c = src_peek(current);
	if (c == '\n' && !cr_sent) {
		cr_sent = send_byte('\r', wait);
		return cr_sent;
	}
	if (!send_byte(c, wait))
		return false;
	src_consume(current);
	if (c == '\n') {
		cr_sent = false;
		current = SRC_NONE;
	}
	return true;
}

/* Sends what the UART accepts now. Lock held. */
static void drain(void)
{
	while (send_one(false))
		;
}

static void put(char c)
{
	while (ring_head - ring_tail == RING_SIZE)
		if (!send_one(true)) /* full: wait for the UART */
			break;
	if (ring_head - ring_tail == RING_SIZE)
		return; /* cannot happen: a full ring always has a line to send */
	ring[ring_head++ % RING_SIZE] = c;
	if (mirror_e9 && c == '\n')
		outb(E9_PORT, '\r');
	if (mirror_e9)
		outb(E9_PORT, (uint8_t)c);
}

static void write_locked(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put(s[i]);
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	add_barrier();
	write_locked(s, len);
	drain();
	spin_unlock(&console_lock);
}

/* At most once a second: one line per partition ring that dropped output. Lock held. */
static void report_drops(void)
{
	uint64_t now = rdtsc();
	char line[128];

	if (!nr_rings || now - last_drop_report < tsc_ticks_from_us(DROP_REPORT_US))
		return;
	for (uint32_t i = 0; i < nr_rings; i++) {
		uint64_t n = console_ring_dropped(rings[i]);

		if (n == rings[i]->dropped_reported)
			continue;
		rings[i]->dropped_reported = n;
		last_drop_report = now;
		int len =
		    fmt_snprintf(line, sizeof(line),
				 "[cpu%u] console: partition %s: output ring full: %llu bytes "
				 "dropped so far\n",
				 this_cpu()->index, rings[i]->name, (unsigned long long)n);
		write_locked(line, (size_t)MIN(len, (int)sizeof(line) - 1));
	}
}

/* Anything to send or report? Read without the lock: the housekeeping loop is cheap when idle. */
static bool busy(void)
{
	if (ring_head != ring_tail || current != SRC_NONE)
		return true;
	for (uint32_t i = 0; i < nr_rings; i++)
		if (console_ring_pending(rings[i]) ||
		    console_ring_dropped(rings[i]) != rings[i]->dropped_reported)
			return true;
	return false;
}

void console_poll(void)
{
	if (!busy() || !spin_trylock_for(&console_lock, 1))
		return;
	report_drops();
	drain();
	spin_unlock(&console_lock);
}

/*
 * Sends everything that was waiting, waiting for the UART. A partition that
 * goes on writing cannot keep it here: it stops at the end of the line after as
 * many bytes as all rings hold.
 */
void console_flush(void)
{
	uint64_t budget = RING_SIZE + (uint64_t)nr_rings * CONSOLE_RING_SIZE;

	spin_lock(&console_lock);
	while ((budget || current != SRC_NONE) && send_one(true))
		if (budget)
			budget--;
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

/* Lines above this level are not printed (the shell's `log LEVEL`); all by default. */
static volatile uint32_t log_level_shown = LOG_DEBUG;

void log_set_level(enum log_level level)
{
	log_level_shown = level;
}

enum log_level log_get_level(void)
{
	return (enum log_level)log_level_shown;
}

size_t console_room(void)
{
	return RING_SIZE - (size_t)(__atomic_load_n(&ring_head, __ATOMIC_RELAXED) -
				    __atomic_load_n(&ring_tail, __ATOMIC_RELAXED));
}

static void log_line(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = {"error: ", "warning: ", "", ""};
	char line[256];
	int n = fmt_snprintf(line, sizeof(line), "[cpu%u] %s", this_cpu()->index, tag[level]);

	n += fmt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	console_write(line, (size_t)n);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((uint32_t)level > log_level_shown)
		return;
	va_start(ap, fmt);
	log_line(level, fmt, ap);
	va_end(ap);
}

void log_always(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(LOG_INFO, fmt, ap);
	va_end(ap);
}
