/*
 * halt: HLT with nothing that could wake the vCPU (guests get no interrupts
 * yet). Tessera stops the vCPU with a log line saying interrupts were enabled or
 * disabled, and the partition ends without a status. The command line chooses:
 * "sti" halts with interrupts enabled, anything else with them disabled. The
 * guest reports its checks first; a line after the HLT means it was resumed.
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "halt";

void guest_main(const struct guest_boot *boot)
{
	bool sti = strcmp(iso_cmdline(boot), "sti") == 0;

	check(on_tessera(), "on-tessera");
	guest_report();
	guest_printf("halt: halting with interrupts %s\n", sti ? "enabled" : "disabled");
	if (sti)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	else
		__asm__ volatile("cli; hlt" ::: "memory");
	check(false, "resumed-after-hlt");
	guest_finish();
}
