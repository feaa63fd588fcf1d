/*
 * console_echo: reads lines from its UART (LSR.DR, RBR), prints each back and
 * checks it is what "expect=TEXT1,TEXT2..." says, one line per item. Under Tessera the bytes come
 * from the serial console while this partition has the input focus (tests/system/console-input.sh).
 * Gives up after "wait=TICKS" (default 2^31).
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "console_echo";

#define UART_LSR    5
#define UART_LSR_DR 0x01
#define LINE_MAX    64

/* One line (ended by CR or LF, not kept); false on timeout. */
static bool read_line(char *buf, size_t size, uint64_t ticks)
{
	uint64_t t0 = rdtsc();
	size_t n = 0;

	while (rdtsc() - t0 < ticks) {
		if (!(inb(COM1_PORT + UART_LSR) & UART_LSR_DR))
			continue;
		char c = (char)inb(COM1_PORT);

		if (c == '\r' || c == '\n') {
			if (!n)
				continue; /* the LF of a CRLF, or an empty line */
			buf[n] = '\0';
			return true;
		}
		if (n + 1 < size)
			buf[n++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	buf[n] = '\0';
	return false;
}

/* Reads one line and checks it against `want`. False when none came. */
static bool echo_one(unsigned nr, const char *want, uint64_t wait)
{
	char line[LINE_MAX], name[2][32];

	guest_snprintf(name[0], sizeof(name[0]), "line-%u-received", nr);
	guest_snprintf(name[1], sizeof(name[1]), "line-%u-as-typed", nr);
	guest_printf("console_echo: waiting for a line\n");
	bool got = read_line(line, sizeof(line), wait);

	checkf(got, name[0], "after %llu ticks: \"%s\" so far", (unsigned long long)wait, line);
	guest_printf("console_echo: got \"%s\"\n", line);
	checkf(!strcmp(line, want), name[1], "got \"%s\", want \"%s\"", line, want);
	return got;
}

void guest_main(const struct guest_boot *boot)
{
	char expect[LINE_MAX * 2];
	uint64_t wait = iso_arg_u64(boot, "wait", 1ull << 31, 1ull << 40);

	if (!cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "expect", expect, sizeof(expect)))
		expect[0] = '\0';
	unsigned nr = 1;

	for (char *item = expect, *end;; item = end + 1) {
		for (end = item; *end && *end != ','; end++)
			;
		bool last = !*end;

		*end = '\0';
		if (!echo_one(nr++, item, wait) || last)
			break;
	}
}
