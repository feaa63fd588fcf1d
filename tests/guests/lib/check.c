/* PASS/FAIL bookkeeping and the end of a test guest's run. */
#include "tests/guests/lib/lib.h"

static unsigned passed, failed;

bool checkf(bool cond, const char *what, const char *fmt, ...)
{
	if (cond) {
		passed++;
		guest_printf("PASS: guest/%s/%s\n", guest_name, what);
		return true;
	}
	failed++;
	guest_printf("FAIL: guest/%s/%s: ", guest_name, what);
	va_list ap;
	va_start(ap, fmt);
	guest_vprintf(fmt, ap);
	va_end(ap);
	guest_printf("\n");
	return false;
}

bool check(bool cond, const char *what)
{
	return checkf(cond, what, "check failed");
}

bool check_eq(const char *what, uint64_t got, uint64_t want)
{
	return checkf(got == want, what, "got %#llx, want %#llx", (unsigned long long)got,
		      (unsigned long long)want);
}

void skip(const char *what, const char *why)
{
	guest_printf("SKIP: guest/%s/%s: %s\n", guest_name, what, why);
}

unsigned checks_failed(void)
{
	return failed;
}

__noreturn void guest_exit(uint32_t status)
{
	outl(TESSERA_DEBUG_EXIT_PORT, status);
	halt_forever();
	__builtin_unreachable();
}

unsigned guest_report(void)
{
	if (passed + failed == 0) {
		/* A guest that checked nothing has not shown anything. */
		failed++;
		guest_printf("FAIL: guest/%s/no-checks: the guest ran no checks\n", guest_name);
	}
	guest_printf("guest %s: %u passed, %u failed\n", guest_name, passed, failed);
	return failed;
}

__noreturn void guest_finish(void)
{
	guest_exit(guest_report() ? 1 : 0);
}
