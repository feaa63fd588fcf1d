/*
 * hv/policy/power_ports.c: which writes reset the partition or report a panic,
 * by the register definitions (Intel PCH RST_CNT at 0xcf9, the 8042's pulse
 * commands at 0x64, QEMU's pvpanic at 0x505), not the decoder's own constants.
 */
#include "tests/unit/check.h"
#include "hv/policy/power_ports.h"

TEST(reset_control_0xcf9)
{
	/* RST_CPU (bit 2) set resets, whatever else; SYS_RST alone (Linux's first write) does not.
	 */
	for (uint32_t v = 0; v < 256; v++)
		CHECK_EQ(power_port_write(0xcf9, 1, v), (v & 4) ? POWER_RESET : POWER_NONE);
	CHECK_EQ(power_port_write(0xcf9, 1, 0x06), POWER_RESET); /* the FADT's value */
	CHECK_EQ(power_port_write(0xcf9, 1, 0x0e), POWER_RESET); /* full reset */
	CHECK_EQ(power_port_write(0xcf9, 1, 0x02), POWER_NONE);
	CHECK_EQ(power_port_write(0xcf9, 1, 0x104), POWER_RESET); /* a byte: AL only counts */
	/* Wider accesses are not the byte register. */
	CHECK_EQ(power_port_write(0xcf9, 2, 0x0e0e), POWER_NONE);
	CHECK_EQ(power_port_write(0xcf9, 4, 0x06), POWER_NONE);
}

TEST(keyboard_controller_pulse)
{
	/* 0xf0-0xff pulse the lines whose bit is 0; line 0 is the reset. */
	for (uint32_t v = 0; v < 256; v++)
		CHECK_EQ(power_port_write(0x64, 1, v),
			 (v >= 0xf0 && !(v & 1)) ? POWER_RESET : POWER_NONE);
	CHECK_EQ(power_port_write(0x64, 1, 0xfe), POWER_RESET); /* Linux's reboot=kbd */
	CHECK_EQ(power_port_write(0x64, 1, 0xff), POWER_NONE);	/* pulses nothing */
	CHECK_EQ(power_port_write(0x64, 2, 0xfe), POWER_NONE);
	CHECK_EQ(power_port_write(0x60, 1, 0xfe), POWER_NONE); /* the data port: nothing */
}

TEST(pvpanic)
{
	CHECK_EQ(power_port_write(0x505, 1, 1), POWER_PANIC);
	CHECK_EQ(power_port_write(0x505, 1, 3), POWER_PANIC);
	CHECK_EQ(power_port_write(0x505, 1, 2), POWER_NONE); /* crash loaded: not offered */
	CHECK_EQ(power_port_write(0x505, 1, 0), POWER_NONE);
	CHECK_EQ(power_port_write(0x505, 4, 1), POWER_NONE);
	CHECK_EQ(power_port_read(0x505, 1) & 0xff, 1); /* offers PANICKED only */
	CHECK_EQ(power_port_read(0x505, 2), 0xffffffffu);
	CHECK_EQ(power_port_read(0xcf9, 1), 0xffffffffu);
	CHECK_EQ(power_port_read(0x64, 1), 0xffffffffu); /* no controller */
}

TEST(other_ports_never_act)
{
	const uint32_t values[] = {0, 1, 2, 4, 6, 0x0e, 0xfe, 0xff, 0xffffffffu};

	for (uint32_t port = 0; port <= 0xffff; port++) {
		bool ours = port == 0xcf9 || port == 0x64 || port == 0x505;

		CHECK_EQ(power_port((uint16_t)port), ours);
		if (ours)
			continue;
		for (unsigned i = 0; i < ARRAY_SIZE(values); i++)
			for (unsigned size = 1; size <= 4; size *= 2)
				CHECK_EQ(power_port_write((uint16_t)port, size, values[i]),
					 POWER_NONE);
	}
	CHECK_EQ(power_port_write(0x92, 1, 1), POWER_NONE); /* port A's fast reset: not offered */
}

int main(void)
{
	CHECK_MAIN("power_ports");
	RUN(reset_control_0xcf9);
	RUN(keyboard_controller_pulse);
	RUN(pvpanic);
	RUN(other_ports_never_act);
	return CHECK_END();
}
