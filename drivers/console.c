/*
 * Console output and log_printf(). Lines are formatted into a local buffer and
 * written under one lock, so lines of different CPUs never interleave.
 */
#include <stdarg.h>
#include "drivers/console.h"
#include "drivers/uart.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "arch/x86/spinlock.h"
#include "lib/format.h"
#include "lib/log.h"

#define E9_PORT 0xe9

static spinlock_t console_lock = SPINLOCK_INIT;
static bool mirror_e9;

void console_init(void)
{
	uart_init(UART_COM1);
}

void console_set_e9(bool on)
{
	mirror_e9 = on;
}

static void emit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc(UART_COM1, '\r');
		uart_putc(UART_COM1, s[i]);
		if (mirror_e9)
			outb(E9_PORT, (uint8_t)s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	spin_lock(&console_lock);
	emit(s, len);
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
	static const char *const tag[] = { "error: ", "warning: ", "", "" };
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
