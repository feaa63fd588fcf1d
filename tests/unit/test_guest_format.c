/* tests/guests/lib/format.c: the test guests' printf engine. */
#include "tests/unit/check.h"
#include "tests/guests/lib/format.h"

static char buf[128];
static const char *volatile null_str;

/* No format attribute: lets the malformed cases past the compiler's checks. */
static int unchecked(char *b, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = guest_vsnprintf(b, n, fmt, ap);
	va_end(ap);
	return r;
}

TEST(integers)
{
	guest_snprintf(buf, sizeof(buf), "%d %i %u %x %X %o %lld", -42, 7, 42u, 0xbeefu, 0xbeefu,
		       8u, -1LL);
	CHECK_STR(buf, "-42 7 42 beef BEEF 10 -1");
}

TEST(lengths)
{
	guest_snprintf(buf, sizeof(buf), "%hhu %hd %lu %zu %llx", 0x1ff, 0x18000, 1ul << 40,
		       (size_t)5, 0xfedcba9876543210ull);
	CHECK_STR(buf, "255 -32768 1099511627776 5 fedcba9876543210");
}

TEST(flags_and_width)
{
	guest_snprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%#x][%#010llx][%*d][%-*d]", 42, 42, -42,
		       255u, 0x1234ULL, 4, 7, -3, 8);
	CHECK_STR(buf, "[   42][42   ][-0042][0xff][0x00001234][   7][8  ]");
}

TEST(strings_and_chars)
{
	guest_snprintf(buf, sizeof(buf), "%s|%-4s|%4s|%.2s|%.*s|%s|%c|%%", "ab", "ab", "ab",
		       "abcdef", 3, "abcdef", null_str, 'z');
	CHECK_STR(buf, "ab|ab  |  ab|ab|abc|(null)|z|%");
}

TEST(extremes)
{
	guest_snprintf(buf, sizeof(buf), "%llu %lld %llo %d", 18446744073709551615ULL,
		       (long long)INT64_MIN, 0ULL, INT32_MIN);
	CHECK_STR(buf, "18446744073709551615 -9223372036854775808 0 -2147483648");
}

TEST(pointer)
{
	guest_snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CHECK_STR(buf, "0x1000");
}

TEST(truncation)
{
	char small[8];

	CHECK_EQ(guest_snprintf(small, sizeof(small), "%s", "0123456789"), 10);
	CHECK_STR(small, "0123456");
	CHECK_EQ(guest_snprintf(NULL, 0, "%d", 12345), 5);
	small[0] = 'x';
	CHECK_EQ(guest_snprintf(small, 1, "abc"), 3);
	CHECK_EQ(small[0], '\0');
}

TEST(malformed_formats)
{
	/* A lone '%' at the end stops; an unknown conversion is printed as written. */
	CHECK_EQ(unchecked(buf, sizeof(buf), "abc%"), 3);
	CHECK_STR(buf, "abc");
	unchecked(buf, sizeof(buf), "%q%5");
	CHECK_STR(buf, "%q");
	/* Absurd widths are clamped, not overflowed. */
	char small[4];
	CHECK_EQ(unchecked(small, sizeof(small), "%99999999999d", 1), 4096);
	CHECK_STR(small, "   ");
	CHECK_EQ(unchecked(small, sizeof(small), "%*d", INT32_MIN, 1), 4096);
	CHECK_EQ(unchecked(small, sizeof(small), "%.*s|", -5, "ab"), 3); /* negative: none */
}

int main(void)
{
	CHECK_MAIN("guest_format");
	RUN(integers);
	RUN(lengths);
	RUN(flags_and_width);
	RUN(strings_and_chars);
	RUN(extremes);
	RUN(pointer);
	RUN(truncation);
	RUN(malformed_formats);
	return CHECK_END();
}
