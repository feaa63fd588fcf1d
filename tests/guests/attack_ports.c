/*
 * attack_ports: writes the I/O ports whose writes would reset the machine if
 * they reached hardware. In a partition they reset that partition only: a
 * reboot from its image (docs/linux.md), never the machine or a neighbour;
 * writes that ask for no reset are ignored (reads give all-ones).
 *   boot 0 (restarts 0): 0xcf9 (reset control) 0x0e, full reset: reboots;
 *   boot 1 (restarts 1): 0x64 (keyboard controller) 0xfe, pulse the reset
 *                        line: reboots;
 *   boot 2 (restarts 2): the checks: it was rebooted twice, and 0x92 (system
 *                        control port A) bit 0 (fast reset, not offered),
 *                        0xcf9 with SYS_RST but not RST_CPU, 0x64 with 0xff
 *                        (pulses no line) and 16/32-bit accesses to the same
 *                        ports change nothing; it ends with status 0.
 * A boot that goes on after its reset write fails. Not for plain QEMU: there
 * these ports are real and reset the machine.
 */
#include "tests/guests/isolation_common.h"

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

/* A reset write, after which this boot must not go on. */
static void reset_by(uint16_t port, uint8_t value, const char *what)
{
	guest_printf("guest attack_ports: attacking: OUT %#x to port %#x (%s)\n", value, port,
		     what);
	outb(port, value);
	spin();
	checkf(false, "reset-reboots", "still running after OUT %#x to port %#x", value, port);
	guest_finish();
}

void guest_main(const struct guest_boot *boot)
{
	struct tessera_partition_info info;

	(void)boot;
	if (!check(on_tessera(), "on-tessera") || !iso_partition_info(&info))
		guest_finish();
	guest_printf("guest attack_ports: restarts = %u\n", info.restarts);
	if (info.restarts == 0)
		reset_by(PORT_RESET_CONTROL, 0x0e, "reset control: full reset");
	if (info.restarts == 1)
		reset_by(PORT_KBC_COMMAND, 0xfe, "keyboard controller: pulse reset");
	check_eq("rebooted-twice", info.restarts, 2);

	guest_printf("guest attack_ports: attacking: writes that are no reset: 0x92 bit 0, "
		     "0xcf9 0x02, 0x64 0xff, 16/32-bit\n");
	outb(PORT_SYSCTL_A, 0x01);
	spin();
	check(true, "alive-after-port92-reset");
	check_eq("port92-reads-all-ones", inb(PORT_SYSCTL_A), 0xff);

	outb(PORT_RESET_CONTROL, 0x02); /* SYS_RST without RST_CPU: Linux's first write */
	spin();
	check(true, "alive-after-cf9-sys-rst");
	check_eq("cf9-reads-all-ones", inb(PORT_RESET_CONTROL), 0xff);

	outb(PORT_KBC_COMMAND, 0xff); /* pulses none of the output lines */
	spin();
	check(true, "alive-after-kbc-pulse-none");
	check_eq("kbc-status-reads-all-ones", inb(PORT_KBC_COMMAND), 0xff);

	/* Wider accesses to the same ports: not the byte registers; all-ones in every byte. */
	outw(PORT_RESET_CONTROL, 0x0e0e);
	outw(PORT_KBC_COMMAND, 0xfefe);
	outl(PORT_SYSCTL_A, 0x01010101);
	spin();
	check_eq("cf9-word-reads-all-ones", inw(PORT_RESET_CONTROL), 0xffff);
	check_eq("port92-dword-reads-all-ones", inl(PORT_SYSCTL_A), 0xffffffff);
	check(on_tessera(), "still-on-tessera");
}
