/* drivers/console_ring.c: a partition's output ring (whole lines, drops counted). */
#include "tests/unit/check.h"
#include "drivers/console_ring.h"

#define SIZE 4096

static struct console_ring r;
static char buf_[SIZE];

/* Takes the oldest line out (without its '\n') into buf. */
static size_t take_line(char *buf, size_t max)
{
	size_t n = 0;

	while (console_ring_pending(&r)) {
		char c = console_ring_peek(&r, 0);

		console_ring_consume(&r, 1);
		if (c == '\n')
			break;
		if (n + 1 < max)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return n;
}

TEST(lines_whole_with_prefix)
{
	char buf[64];

	console_ring_init(&r, "alpha", buf_, SIZE);
	CHECK_EQ(console_ring_pending(&r), 0);
	CHECK(console_ring_put_line(&r, "[alpha] ", 8, "hello", 5));
	CHECK(console_ring_put_line(&r, "[alpha]+ ", 9, "", 0));
	CHECK_EQ(console_ring_pending(&r), 14 + 10);
	take_line(buf, sizeof(buf));
	CHECK_STR(buf, "[alpha] hello");
	take_line(buf, sizeof(buf));
	CHECK_STR(buf, "[alpha]+ ");
	CHECK_EQ(console_ring_pending(&r), 0);
	CHECK_EQ(r.lines, 2);
	CHECK_EQ(r.bytes, 5);
}

/* A full ring drops whole lines and counts their text; it never overwrites. */
TEST(full_drops_and_counts)
{
	static char text[100];
	char buf[128];
	uint32_t n = 0;

	console_ring_init(&r, "flood", buf_, SIZE);
	memset(text, 'x', sizeof(text));
	while (console_ring_put_line(&r, "[f] ", 4, text, sizeof(text)))
		n++;
	CHECK_EQ(n, SIZE / 105);
	CHECK_EQ(console_ring_dropped(&r), 100);
	CHECK(!console_ring_put_line(&r, "[f] ", 4, text, 10));
	CHECK_EQ(console_ring_dropped(&r), 110);
	/* What fits exactly still goes in. */
	uint32_t room = SIZE - console_ring_pending(&r);
	CHECK(room >= 1);
	CHECK(console_ring_put_line(&r, "", 0, text, room - 1));
	CHECK_EQ(console_ring_pending(&r), SIZE);
	take_line(buf, sizeof(buf));
	CHECK_EQ(strlen(buf), 104);
	CHECK(console_ring_put_line(&r, "[f] ", 4, text, 100)); /* room again */
	CHECK(!console_ring_put_line(&r, "", 0, text, 0));	/* even an empty line needs 1 */
}

/* Lines wrap around the end of the buffer intact, for many rounds. */
TEST(wraps)
{
	char buf[64], want[64];

	console_ring_init(&r, "w", buf_, SIZE);
	for (uint32_t i = 0; i < 100000; i++) {
		int n = snprintf(want, sizeof(want), "line %u", i);

		CHECK(console_ring_put_line(&r, want, 5, want + 5, (size_t)n - 5));
		if (i % 3 == 2)
			for (int k = 0; k < 3; k++)
				take_line(buf, sizeof(buf));
	}
	CHECK_EQ(console_ring_pending(&r), 0 + 11 /* "line 99999\n" */);
	take_line(buf, sizeof(buf));
	CHECK_STR(buf, "line 99999");
	CHECK_EQ(console_ring_dropped(&r), 0);
}

/* A size that is not a power of two: the largest one in it is used. */
TEST(size_rounded_down)
{
	static char text[2047];

	console_ring_init(&r, "odd", buf_, 3000);
	CHECK_EQ(r.mask, 2047);
	CHECK(console_ring_put_line(&r, "", 0, text, sizeof(text)));
	CHECK(!console_ring_put_line(&r, "", 0, "", 0));
}

int main(void)
{
	CHECK_MAIN("console_ring");
	RUN(lines_whole_with_prefix);
	RUN(full_drops_and_counts);
	RUN(wraps);
	RUN(size_rounded_down);
	return CHECK_END();
}
