/* The reset and pvpanic ports: see power_ports.h. */
#include "hv/policy/power_ports.h"

enum power_event power_port_write(uint16_t port, unsigned size, uint32_t value)
{
	if (size != 1)
		return POWER_NONE;
	switch (port) {
	case RST_CNT_PORT:
		return value & RST_CNT_RST_CPU ? POWER_RESET : POWER_NONE;
	case I8042_CMD_PORT:
		return (value & 0xf0) == I8042_CMD_PULSE && !(value & I8042_LINE_RESET)
			   ? POWER_RESET
			   : POWER_NONE;
	case PVPANIC_PORT:
		return value & PVPANIC_PANICKED ? POWER_PANIC : POWER_NONE;
	default:
		return POWER_NONE;
	}
}

uint32_t power_port_read(uint16_t port, unsigned size)
{
	/* The offered pvpanic events in a byte read; nothing else here reads. */
	if (port == PVPANIC_PORT && size == 1)
		return 0xffffff00u | PVPANIC_PANICKED;
	return 0xffffffffu;
}
