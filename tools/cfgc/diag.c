/* cfgc: collecting error messages, and the key names messages use. */
#include <stdarg.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"

const char *const cfg_machine_keys[CFG_M_COUNT] = {
    [CFG_M_SECTION] = "section",
    [CFG_M_CPUS] = "cpus",
    [CFG_M_MEMORY] = "memory",
    [CFG_M_HOUSEKEEPING] = "housekeeping",
};

const char *const cfg_part_keys[CFG_P_COUNT] = {
    [CFG_P_SECTION] = "name",	   [CFG_P_CPUS] = "cpus",
    [CFG_P_MEMORY] = "memory",	   [CFG_P_RAM] = "ram",
    [CFG_P_IMAGE] = "image",	   [CFG_P_CMDLINE] = "cmdline",
    [CFG_P_MODULES] = "modules",   [CFG_P_BOOT] = "boot",
    [CFG_P_IOPORTS] = "ioports",   [CFG_P_VUART] = "vuart",
    [CFG_P_ON_CRASH] = "on_crash", [CFG_P_RESTART_LIMIT] = "restart_limit",
    [CFG_P_TIMER] = "timer",	   [CFG_P_HALT] = "halt",
    [CFG_P_PAUSE] = "pause",	   [CFG_P_FW_CFG] = "fw_cfg",
    [CFG_P_X2APIC] = "x2apic",	   [CFG_P_HYPERV] = "hyperv",
    [CFG_P_XOM] = "xom",	   [CFG_P_PMU] = "pmu",
    [CFG_P_LAPIC] = "lapic",	   [CFG_P_IOAPIC] = "ioapic",
};

const char *const cfg_shmem_keys[CFG_S_COUNT] = {
    [CFG_S_SECTION] = "name",
    [CFG_S_SIZE] = "size",
    [CFG_S_PEERS] = "peers",
    [CFG_S_GPA] = "gpa",
    [CFG_S_NOTIFY_ON_READ] = "notify_on_read",
};

void cfg_diag_init(struct cfg_diag *d)
{
	d->errors = 0;
	d->len = 0;
	d->text[0] = '\0';
}

/* Appends formatted text if it fits whole; a message never ends up cut in half. */
static void append(struct cfg_diag *d, const char *fmt, ...)
{
	size_t room = sizeof(d->text) - d->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(d->text + d->len, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room)
		d->len += (size_t)n;
	else
		d->text[d->len] = '\0';
}

void cfg_error(struct cfg_diag *d, const char *file, unsigned line, const char *section,
	       const char *field, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	d->errors++;
	if (line)
		append(d, "%s:%u: %s%s%s%s%s\n", file, line, section ? section : "",
		       section ? ": " : "", field ? field : "", field ? ": " : "", what);
	else
		append(d, "%s: %s%s%s%s%s\n", file, section ? section : "", section ? ": " : "",
		       field ? field : "", field ? ": " : "", what);
}
