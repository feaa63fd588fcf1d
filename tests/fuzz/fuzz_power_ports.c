/*
 * hv/policy/power_ports: any guest OUT or IN at any port. Input: 7 bytes per
 * access: a 16-bit port, a size selector (bits 0-1: 1, 2, 4 or 3 bytes) and
 * a 32-bit value. Checked against a model written here from the register
 * definitions: only byte writes to 0xcf9 with RST_CPU, to 0x64 with a pulse
 * of line 0, and to 0x505 with PANICKED act; reads are all-ones except
 * pvpanic's byte.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/policy/power_ports.h"

static enum power_event model(uint16_t port, unsigned size, uint32_t v)
{
	uint8_t b = (uint8_t)v;

	if (size != 1)
		return POWER_NONE;
	if (port == 0xcf9)
		return b & 0x04 ? POWER_RESET : POWER_NONE;
	if (port == 0x64)
		return b >= 0xf0 && !(b & 1) ? POWER_RESET : POWER_NONE;
	if (port == 0x505)
		return b & 1 ? POWER_PANIC : POWER_NONE;
	return POWER_NONE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t at = 0; at + 7 <= size; at += 7) {
		uint16_t port = (uint16_t)(data[at] | data[at + 1] << 8);
		unsigned bytes = 1u << (data[at + 2] & 3);
		uint32_t value = fuzz_get32(data + at + 3);
		uint32_t r;

		if (bytes == 8)
			bytes = 3; /* no such access: the decoder must cope */
		if (power_port_write(port, bytes, value) != model(port, bytes, value))
			__builtin_trap();
		r = power_port_read(port, bytes);
		if (r != (port == 0x505 && bytes == 1 ? 0xffffff01u : 0xffffffffu))
			__builtin_trap();
	}
	return 0;
}
