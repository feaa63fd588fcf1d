/*
 * attack_ports: writes I/O ports it does not own whose writes would reset the
 * machine if they reached hardware: 0xcf9 (reset control) 0x0e (full reset),
 * 0x64 (keyboard controller) 0xfe (pulse the reset line), 0x92 (system
 * control port A) bit 0 (fast reset). Tessera must ignore the writes (reads
 * give all-ones) and the guest, the hypervisor and the other partitions go on.
 * Not for plain QEMU: there these ports are real and reset the machine.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "attack_ports";

#define PORT_RESET_CONTROL 0xcf9
#define PORT_KBC_COMMAND   0x64
#define PORT_SYSCTL_A	   0x92

/* A few hundred thousand instructions: time for a reset to take effect. */
static void spin(void)
{
	for (volatile unsigned i = 0; i < 100000; i++)
		;
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	if (!check(on_tessera(), "on-tessera"))
		guest_finish();
	guest_printf("guest attack_ports: attacking: reset writes to ports 0xcf9, 0x64, 0x92\n");

	outb(PORT_RESET_CONTROL, 0x0e);
	spin();
	check(true, "alive-after-cf9-reset");
	check_eq("cf9-reads-all-ones", inb(PORT_RESET_CONTROL), 0xff);

	outb(PORT_KBC_COMMAND, 0xfe);
	spin();
	check(true, "alive-after-kbc-reset");
	check_eq("kbc-status-reads-all-ones", inb(PORT_KBC_COMMAND), 0xff);

	outb(PORT_SYSCTL_A, 0x01);
	spin();
	check(true, "alive-after-port92-reset");
	check_eq("port92-reads-all-ones", inb(PORT_SYSCTL_A), 0xff);

	/* Wider accesses to the same ports: all-ones in every byte. */
	outw(PORT_RESET_CONTROL, 0x0e0e);
	outl(PORT_SYSCTL_A, 0x01010101);
	spin();
	check_eq("cf9-word-reads-all-ones", inw(PORT_RESET_CONTROL), 0xffff);
	check_eq("port92-dword-reads-all-ones", inl(PORT_SYSCTL_A), 0xffffffff);
	check(on_tessera(), "still-on-tessera");
}
