/* panic(): report, stop every CPU, end the run with a failure status. */
#include <stdarg.h>
#include "arch/x86/cpu.h"
#include "drivers/console.h"
#include "drivers/machine_exit.h"
#include "lib/format.h"
#include "lib/log.h"

__noreturn void panic(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_err("PANIC: %s", line);
	machine_exit(TESSERA_PANIC);
}
