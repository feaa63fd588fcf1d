/* hv/dev/console_switch.c: Ctrl-A three times switches the input focus. */
#include "tests/unit/check.h"
#include "hv/dev/console_switch.h"

/* Feeds s; delivered bytes are appended to got (Ctrl-A as '^'), switches as '|'. */
static void feed(struct console_switch *sw, const char *s, char *got)
{
	uint8_t out[CONSOLE_SWITCH_COUNT];
	size_t n, len = strlen(got);

	for (; *s; s++) {
		if (console_switch_feed(sw, (uint8_t)*s, out, &n))
			got[len++] = n ? '!' : '|'; /* a switch delivers nothing */
		for (size_t i = 0; i < n; i++)
			got[len++] = out[i] == 1 ? '^' : (char)out[i];
	}
	got[len] = '\0';
}

TEST(plain_bytes_pass)
{
	struct console_switch sw = {0};
	char got[64] = "";

	feed(&sw, "hello\r\n", got);
	CHECK_STR(got, "hello\r\n");
}

TEST(three_ctrl_a_switch)
{
	struct console_switch sw = {0};
	char got[64] = "";

	feed(&sw,
	     "a\x01\x01\x01"
	     "b",
	     got);
	CHECK_STR(got, "a|b");
	feed(&sw, "\x01\x01\x01\x01\x01\x01", got);
	CHECK_STR(got, "a|b||");
	feed(&sw,
	     "\x01\x01\x01\x01"
	     "c",
	     got); /* a switch, then one held back */
	CHECK_STR(got, "a|b|||^c");
}

TEST(fewer_are_delivered)
{
	struct console_switch sw = {0};
	char got[64] = "";

	feed(&sw,
	     "\x01"
	     "x\x01\x01"
	     "y",
	     got);
	CHECK_STR(got, "^x^^y");
	feed(&sw, "\x01\x01", got); /* held back until something follows */
	CHECK_STR(got, "^x^^y");
	CHECK_EQ(sw.seen, 2);
	feed(&sw, "\x01", got);
	CHECK_STR(got, "^x^^y|");
	CHECK_EQ(sw.seen, 0);
}

static bool no_vuart[8];

static bool usable(uint32_t i)
{
	return !no_vuart[i];
}

TEST(focus_cycles_through_partitions_then_tessera)
{
	memset(no_vuart, 0, sizeof(no_vuart));
	CHECK_EQ(console_focus_next(0, 3, usable), 1);
	CHECK_EQ(console_focus_next(1, 3, usable), 2);
	CHECK_EQ(console_focus_next(2, 3, usable), 3); /* Tessera */
	CHECK_EQ(console_focus_next(3, 3, usable), 0);
	CHECK_EQ(console_focus_next(99, 3, usable), 0); /* out of range: as Tessera */
	no_vuart[1] = true;
	CHECK_EQ(console_focus_next(0, 3, usable), 2);
	no_vuart[0] = no_vuart[2] = true;
	CHECK_EQ(console_focus_next(3, 3, usable), 3); /* nobody takes input: Tessera stays */
	CHECK_EQ(console_focus_next(0, 0, usable), 0); /* no partitions: Tessera is 0 */
}

int main(void)
{
	CHECK_MAIN("console_switch");
	RUN(plain_bytes_pass);
	RUN(three_ctrl_a_switch);
	RUN(fewer_are_delivered);
	RUN(focus_cycles_through_partitions_then_tessera);
	return CHECK_END();
}
