/* tests/guests/lib/cmdline.c: command-line words and numbers from the loader. */
#include "tests/unit/check.h"
#include "tests/guests/lib/cmdline.h"

static char v[16];

TEST(words)
{
	const char *c = "/boot/g.elf mods=2 quiet mod0=TMOD";

	CHECK(cmdline_get(c, 4096, "mods", v, sizeof(v)));
	CHECK_STR(v, "2");
	CHECK(cmdline_get(c, 4096, "quiet", v, sizeof(v)));
	CHECK_STR(v, "");
	CHECK(cmdline_get(c, 4096, "mod0", v, sizeof(v)));
	CHECK_STR(v, "TMOD");
	CHECK(!cmdline_get(c, 4096, "mod", v, sizeof(v))); /* a prefix is not a match */
	CHECK(!cmdline_get(c, 4096, "mod1", v, sizeof(v)));
	CHECK(cmdline_get("a=1 a=2", 4096, "a", v, sizeof(v))); /* the last one wins */
	CHECK_STR(v, "2");
	CHECK(cmdline_get("  \tx=y\n", 4096, "x", v, sizeof(v)));
	CHECK_STR(v, "y");
}

TEST(hostile)
{
	char small[4];
	/* Not NUL-terminated within max: only max bytes are read (ASan watches). */
	static const char unterminated[5] = {'k', '=', 'a', 'b', 'c'};

	CHECK(cmdline_get(unterminated, sizeof(unterminated), "k", v, sizeof(v)));
	CHECK_STR(v, "abc");
	CHECK(!cmdline_get(unterminated, 3, "kk", v, sizeof(v)));
	CHECK(cmdline_get("k=abcdefgh", 4096, "k", small, sizeof(small))); /* truncated */
	CHECK_STR(small, "abc");
	CHECK(!cmdline_get(NULL, 4096, "k", v, sizeof(v)));
	CHECK(!cmdline_get("k=1", 4096, "", v, sizeof(v)));
	CHECK(!cmdline_get("k=1", 4096, "k", v, 0));
	CHECK(!cmdline_get("", 4096, "k", v, sizeof(v)));
	CHECK(!cmdline_get("k=1", 0, "k", v, sizeof(v)));
}

TEST(numbers)
{
	uint64_t n = 0;

	CHECK(parse_u64("0", &n) && n == 0);
	CHECK(parse_u64("4096", &n) && n == 4096);
	CHECK(parse_u64("0x1F", &n) && n == 31);
	CHECK(parse_u64("18446744073709551615", &n) && n == UINT64_MAX);
	CHECK(parse_u64("0xffffffffffffffff", &n) && n == UINT64_MAX);
	CHECK(!parse_u64("18446744073709551616", &n));
	CHECK(!parse_u64("0x10000000000000000", &n));
	CHECK(!parse_u64("", &n));
	CHECK(!parse_u64("0x", &n));
	CHECK(!parse_u64("12a", &n));
	CHECK(!parse_u64("-1", &n));
	CHECK(!parse_u64(NULL, &n));
}

int main(void)
{
	CHECK_MAIN("guest_cmdline");
	RUN(words);
	RUN(hostile);
	RUN(numbers);
	return CHECK_END();
}
