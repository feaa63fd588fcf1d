/*
 * The ports by which a partition's guest resets itself or reports a panic
 * (pure; hv/exit/exit_io.c acts on the result, docs/linux.md):
 *
 * - 0xcf9, the reset control register (RST_CNT) of Intel's PCH and of the
 *   ICH before it: a byte write with RST_CPU (bit 2) set resets; SYS_RST
 *   (bit 1) and FULL_RST (bit 3) only choose how hard, all the same to a
 *   partition. It is also the reset register the FADT names
 *   (GUEST_ACPI_RESET_PORT, value GUEST_ACPI_RESET_VALUE), so ACPI's reset,
 *   Linux's reboot=pci and the reset-vector stub (hv/load/guest_acpi.h) all
 *   arrive here.
 * - 0x64, the 8042 keyboard controller's command port: commands 0xf0-0xff
 *   pulse the output port lines whose bits (0-3) are 0, and line 0 is the
 *   CPU's reset; so 0xfe (Linux's reboot=kbd), or any even command of that
 *   row, resets. There is no controller otherwise (reads all-ones).
 * - 0x505, QEMU's pvpanic device (ACPI _HID QEMU0001, in the DSDT): reading
 *   it gives the events offered (PVPANIC_PANICKED only); the guest writes
 *   PVPANIC_PANICKED from its panic notifier, which is a crash under the
 *   partition's on_crash policy. PVPANIC_CRASH_LOADED (a crash kernel will
 *   run) is not offered, and is ignored if written.
 *
 * Only byte accesses act: both registers are byte-wide and every guest that
 * resets by them writes a byte; wider accesses and other values are ignored
 * as writes to an empty port are. Port 0x92 (system control port A, fast
 * reset) is not one of them: it stays empty.
 */
#ifndef TESSERA_HV_POLICY_POWER_PORTS_H
#define TESSERA_HV_POLICY_POWER_PORTS_H

#include "lib/types.h"

#define RST_CNT_PORT	     0xcf9
#define RST_CNT_SYS_RST	     BIT(1)
#define RST_CNT_RST_CPU	     BIT(2)
#define RST_CNT_FULL_RST     BIT(3)
#define I8042_CMD_PORT	     0x64
#define I8042_CMD_PULSE	     0xf0 /* 0xf0-0xff: pulse the output lines whose bit is 0 */
#define I8042_LINE_RESET     BIT(0)
#define PVPANIC_PORT	     0x505
#define PVPANIC_PANICKED     BIT(0)
#define PVPANIC_CRASH_LOADED BIT(1)
#define PVPANIC_ACPI_HID     "QEMU0001"

enum power_event {
	POWER_NONE,  /* nothing happens: the write is ignored */
	POWER_RESET, /* the partition resets: a reboot */
	POWER_PANIC, /* the guest panicked: a crash */
};

/* Is port one of the three above? */
static inline bool power_port(uint16_t port)
{
	return port == RST_CNT_PORT || port == I8042_CMD_PORT || port == PVPANIC_PORT;
}

/* What an OUT of size bytes (1, 2, 4) of value to port means. */
enum power_event power_port_write(uint16_t port, unsigned size, uint32_t value);

/* What an IN of size bytes from port reads (the low size bytes count). */
uint32_t power_port_read(uint16_t port, unsigned size);

#endif
