/*
 * Port I/O rules for partitions (pure; hv/exit/exit_io.c applies them). A
 * partition reaches the ports its config passes through; every other access
 * exits: the virtual UART and the debug-exit ports (0xf4-0xf7) are emulated,
 * as are the virtual CMOS clock, the ACPI sleep registers and the reset and
 * pvpanic ports; anything else reads as all-ones and ignores writes, like an
 * empty bus.
 */
#ifndef TESSERA_HV_IO_POLICY_H
#define TESSERA_HV_IO_POLICY_H

#include "lib/types.h"
#include "hv/partition/partition_config.h"
#include "guest-abi/tessera.h"
#include "guest-abi/fw_cfg.h"
#include "hv/policy/power_ports.h"

/* The VMX I/O bitmaps A (ports 0-0x7fff) and B (0x8000-0xffff), back to back; 1 = exit. */
#define IO_BITMAP_SIZE 8192

/*
 * Fills bitmap (IO_BITMAP_SIZE bytes) for cfg: all ports exit except cfg's
 * pass-through ranges; the vUART's ports, the debug-exit ports and (fw_cfg = on)
 * the fw_cfg ports always exit.
 */
void io_bitmap_init(uint8_t *bitmap, const struct partition_config *cfg);
bool io_bitmap_exits(const uint8_t *bitmap, uint16_t port);

enum io_port_kind {
	IO_PORT_NONE,	    /* nothing there: reads all-ones, writes ignored */
	IO_PORT_VUART,	    /* the partition's virtual UART */
	IO_PORT_DEBUG_EXIT, /* 0xf4-0xf7: a write ends the partition */
	IO_PORT_FW_CFG,	    /* 0x510-0x511 with fw_cfg = on (hv/dev/fw_cfg.h) */
	IO_PORT_RTC,	    /* 0x70-0x71: the virtual CMOS clock (hv/dev/vrtc.c) */
	IO_PORT_SLEEP,	    /* the ACPI sleep control and status registers (power-off) */
	IO_PORT_POWER,	    /* 0xcf9, 0x64: reset; 0x505: pvpanic (hv/policy/power_ports.h) */
};

#define IO_RTC_PORT   0x70  /* index, then data at 0x71 */
#define IO_SLEEP_PORT 0x600 /* control, then status at 0x601 (hv/load/guest_acpi.h) */

/*
 * What sits at port for a partition whose vUART is at vuart_port (or
 * CONFIG_VUART_OFF) and that has the fw_cfg device or not.
 */
static inline enum io_port_kind io_port_kind(uint16_t port, uint32_t vuart_port, bool fw_cfg)
{
	if (vuart_port != CONFIG_VUART_OFF && port >= vuart_port &&
	    port - vuart_port < CONFIG_VUART_PORTS)
		return IO_PORT_VUART;
	if ((uint16_t)(port - TESSERA_DEBUG_EXIT_PORT) < TESSERA_DEBUG_EXIT_PORTS)
		return IO_PORT_DEBUG_EXIT;
	if (fw_cfg && (uint16_t)(port - FW_CFG_PORT_SEL) < FW_CFG_PORTS)
		return IO_PORT_FW_CFG;
	if ((uint16_t)(port - IO_RTC_PORT) < 2)
		return IO_PORT_RTC;
	if ((uint16_t)(port - IO_SLEEP_PORT) < 2)
		return IO_PORT_SLEEP;
	if (power_port(port))
		return IO_PORT_POWER;
	return IO_PORT_NONE;
}

/* RAX after an IN of size bytes (1, 2, 4) read value: AL/AX keep the rest, EAX zero-extends. */
static inline uint64_t io_in_result(uint64_t rax, unsigned size, uint32_t value)
{
	if (size == 1)
		return (rax & ~0xffULL) | (value & 0xffu);
	if (size == 2)
		return (rax & ~0xffffULL) | (value & 0xffffu);
	return value;
}

/* The value an OUT of size bytes writes: AL, AX or EAX. */
static inline uint32_t io_out_value(uint64_t rax, unsigned size)
{
	return size == 1 ? (uint8_t)rax : size == 2 ? (uint16_t)rax : (uint32_t)rax;
}

/*
 * Records port in seen[0..max) unless already there. True when the port is new
 * and was recorded (log it), false when known or when seen[] is full.
 */
bool io_note_port(uint16_t *seen, uint32_t *nr_seen, uint32_t max, uint16_t port);

#endif
