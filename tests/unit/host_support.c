/*
 * What hypervisor code expects from its environment, for host unit tests:
 * log_printf() and panic(). Logged text is kept in check_log so tests can check
 * the messages; panic() aborts the test program (a test that reaches it fails).
 */
#include <stdarg.h>
#include "tests/unit/check.h"
#include "lib/log.h"

int check_failed_cases;
const char *check_suite = "?";
bool check_case_failed;
char check_log[8192];

void check_log_clear(void)
{
	check_log[0] = '\0';
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	size_t used = strlen(check_log);
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(check_log + used, sizeof(check_log) - used, fmt, ap);
	va_end(ap);
	used = strlen(check_log);
	if (used + 1 < sizeof(check_log)) {
		check_log[used] = '\n';
		check_log[used + 1] = '\0';
	}
	if (getenv("CHECK_VERBOSE")) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
