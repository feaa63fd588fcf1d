/*
 * console_neighbour: prints numbered lines through its vUART and measures,
 * with RDTSC around every OUT to the transmit register, what each costs. A
 * flooding neighbour (console_flood) must change neither the figures nor the
 * output: tests/system/console-flood.sh compares the figures with a run
 * without the flood and checks that every line arrived. "lines=N" (default
 * 24), "gap=TICKS" between lines (default 1000000, so a fair console keeps
 * up), "wait=TICKS" before the first (default 5000000: the flood is going).
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "console_neighbour";

#define MAX_LINES 64

struct cost {
	uint64_t out_min, out_max, line_max, total, outs;
};

/* One OUT to THR, timed; the rdtsc pair's own cost subtracted. */
static __attribute__((noinline)) uint64_t timed_out(char c, uint64_t overhead)
{
	uint64_t t0 = rdtsc();
	outb(COM1_PORT, (uint8_t)c);
	uint64_t d = rdtsc() - t0;

	return d > overhead ? d - overhead : 0;
}

static void timed_line(const char *s, uint64_t overhead, struct cost *c)
{
	uint64_t line = 0;

	for (; *s; s++) {
		uint64_t d = timed_out(*s, overhead);

		c->out_min = d < c->out_min ? d : c->out_min;
		c->out_max = d > c->out_max ? d : c->out_max;
		line += d;
		c->outs++;
	}
	c->line_max = line > c->line_max ? line : c->line_max;
	c->total += line;
}

static uint64_t rdtsc_overhead(void)
{
	uint64_t min = ~0ull;

	for (int i = 0; i < 100; i++) {
		uint64_t t0 = rdtsc();
		uint64_t d = rdtsc() - t0;

		min = d < min ? d : min;
	}
	return min;
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t lines = iso_arg_u64(boot, "lines", 24, MAX_LINES);
	uint64_t gap = iso_arg_u64(boot, "gap", 1000000, 1ull << 32);
	uint64_t overhead = rdtsc_overhead();
	struct cost c = {.out_min = ~0ull};
	char text[96];
	bool formatted = true;

	iso_spin(iso_arg_u64(boot, "wait", 5000000, 1ull << 34));
	for (uint64_t i = 0; i < lines; i++) {
		int n = guest_snprintf(text, sizeof(text),
				       "console_neighbour: line %02llu of %02llu: %s\n",
				       (unsigned long long)i, (unsigned long long)lines,
				       "the quick brown fox jumps over the lazy dog");

		formatted &= n > 0 && n < (int)sizeof(text);
		timed_line(text, overhead, &c);
		iso_spin(gap);
	}
	guest_printf("console_neighbour: out-thr min %llu max %llu avg %llu, line max %llu "
		     "instructions (%llu OUTs)\n",
		     (unsigned long long)c.out_min, (unsigned long long)c.out_max,
		     (unsigned long long)(c.outs ? c.total / c.outs : 0),
		     (unsigned long long)c.line_max, (unsigned long long)c.outs);
	check(formatted, "lines-formatted");
	check(c.outs > 0, "lines-written");
}
