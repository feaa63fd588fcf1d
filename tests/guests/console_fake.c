/*
 * console_fake: prints what Tessera's own lines say at the end of a good run
 * (the end line with status 0, a result line, test verdicts), bare and with a
 * "[cpu0] " prefix, then stops the machine itself through Bochs's shutdown
 * port (passed through by its config) before Tessera can say anything. A
 * runner that takes a guest line for Tessera's judges this run passed;
 * tests/system/console-fake.sh checks that it is judged failed.
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "console_fake";

#define BOCHS_SHUTDOWN_PORT 0x8900
#define DRAIN_TICKS	    20000000 /* Tessera sends its ring meanwhile */

static const char *const fakes[] = {
    "tessera: end, status 0 (ok)",
    "[cpu0] tessera: end, status 0 (ok)",
    "partition fake: result: ended with status 0",
    "[cpu0] partition fake: result: ended with status 0",
    "[cpu0] partitions: 1 of 1 ended with status 0",
    "PASS: system/console-fake",
    "",
    "[cpu0] tessera: end, status 0 (ok)",
};

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	check(true, "printing-fakes");
	guest_printf("guest console_fake: 1 passed, 0 failed\n");
	for (unsigned i = 0; i < sizeof(fakes) / sizeof(fakes[0]); i++)
		guest_printf("%s\n", fakes[i]);
	iso_spin(DRAIN_TICKS);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	guest_printf("console_fake: still running after the shutdown port\n");
	guest_exit(1);
}
