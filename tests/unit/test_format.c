/* lib/format.c: the hypervisor's vsnprintf. */
#include "tests/unit/check.h"
#include "lib/format.h"

static char buf[128];
static const char *volatile null_str;

TEST(integers)
{
	fmt_snprintf(buf, sizeof(buf), "%d %u %x %X %lld", -42, 42u, 0xbeefu, 0xbeefu, -1LL);
	CHECK_STR(buf, "-42 42 beef BEEF -1");
}

TEST(width_and_flags)
{
	fmt_snprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%#x][%#010llx]", 42, 42, -42, 255u,
		     0x1234ULL);
	CHECK_STR(buf, "[   42][42   ][-0042][0xff][0x00001234]");
}

TEST(strings)
{
	fmt_snprintf(buf, sizeof(buf), "%s|%-4s|%4s|%.2s|%s|%c", "ab", "ab", "ab", "abcdef",
		     null_str, 'z');
	CHECK_STR(buf, "ab|ab  |  ab|ab|(null)|z");
}

TEST(truncation)
{
	char small[8];
	int n = fmt_snprintf(small, sizeof(small), "%s", "0123456789");

	CHECK_EQ(n, 10);
	CHECK_STR(small, "0123456");
	CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

TEST(extremes)
{
	fmt_snprintf(buf, sizeof(buf), "%llu %lld %llx", 18446744073709551615ULL,
		     (long long)INT64_MIN, 0ULL);
	CHECK_STR(buf, "18446744073709551615 -9223372036854775808 0");
}

int main(void)
{
	CHECK_MAIN("format");
	RUN(integers);
	RUN(width_and_flags);
	RUN(strings);
	RUN(truncation);
	RUN(extremes);
	return CHECK_END();
}
