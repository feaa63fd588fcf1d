/* See machine_exit.h. */
#include "drivers/machine_exit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/console.h"
#include "drivers/uart.h"
#include "lib/log.h"

#define BOCHS_SHUTDOWN_PORT 0x8900
#define ACPI_SLP_EN	    (1u << 13)

static uint16_t acpi_pm1a_cnt, acpi_slp_typ;

void machine_exit_set_acpi(uint16_t pm1a_cnt, uint16_t slp_typ_s5)
{
	acpi_pm1a_cnt = pm1a_cnt;
	acpi_slp_typ = slp_typ_s5;
}

__noreturn void machine_exit(enum tessera_status status)
{
	static const char *const names[] = {"ok", "panic", "no-vmx", "guest-failed"};

	log_info("tessera: end, status %u (%s)", status,
		 status < sizeof(names) / sizeof(names[0]) ? names[status] : "?");
	console_flush();
	uart_drain(UART_COM1); /* emulators stop at once: let the last line out first */
	outl(QEMU_DEBUG_EXIT_PORT, status);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	if (acpi_pm1a_cnt)
		outw(acpi_pm1a_cnt, (uint16_t)((acpi_slp_typ << 10) | ACPI_SLP_EN));
	cpu_halt_forever();
}
