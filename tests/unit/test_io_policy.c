/* hv/policy/io_policy.c: the I/O bitmap, port kinds, IN/OUT values, the once-per-port log. */
#include "tests/unit/check.h"
#include "hv/policy/io_policy.h"

static uint8_t bitmap[IO_BITMAP_SIZE];

static unsigned count_passing(void)
{
	unsigned n = 0;

	for (uint32_t port = 0; port <= 0xffff; port++)
		n += !io_bitmap_exits(bitmap, (uint16_t)port);
	return n;
}

TEST(nothing_passes_by_default)
{
	struct partition_config cfg = {.vuart_port = CONFIG_VUART_DEFAULT};

	memset(bitmap, 0, sizeof(bitmap));
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 0);
}

TEST(ranges_pass_through)
{
	struct partition_config cfg = {.vuart_port = CONFIG_VUART_DEFAULT, .nr_io_ranges = 2};

	cfg.io_ranges[0] = (struct config_io_range){0x2f8, 0x2ff};
	cfg.io_ranges[1] = (struct config_io_range){0x8000, 0x8000};
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 9);
	CHECK(io_bitmap_exits(bitmap, 0x2f7));
	CHECK(!io_bitmap_exits(bitmap, 0x2f8));
	CHECK(!io_bitmap_exits(bitmap, 0x2ff));
	CHECK(io_bitmap_exits(bitmap, 0x300));
	CHECK(!io_bitmap_exits(bitmap, 0x8000)); /* first port of bitmap B */
	CHECK(io_bitmap_exits(bitmap, 0x7fff));
	/* Raw layout: port 0x8000 is bit 0 of byte 4096 (bitmap B). */
	CHECK_EQ(bitmap[4096] & 1, 0);
	CHECK_EQ(bitmap[0x2f8 / 8], 0);
}

TEST(emulated_ports_always_exit)
{
	struct partition_config cfg = {.vuart_port = 0x3f8, .nr_io_ranges = 1};

	/* A pass-through range covering everything still leaves the emulated ports. */
	cfg.io_ranges[0] = (struct config_io_range){0, 0xffff};
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 0x10000 - 8 - 4);
	for (uint16_t p = 0x3f8; p < 0x400; p++)
		CHECK(io_bitmap_exits(bitmap, p));
	for (uint16_t p = 0xf4; p < 0xf8; p++)
		CHECK(io_bitmap_exits(bitmap, p));
	CHECK(!io_bitmap_exits(bitmap, 0xf3));
	CHECK(!io_bitmap_exits(bitmap, 0xf8));
	CHECK(!io_bitmap_exits(bitmap, 0x3f7));
	CHECK(!io_bitmap_exits(bitmap, 0x400));
	CHECK(!io_bitmap_exits(bitmap, 0xffff));
}

TEST(vuart_off_passes_its_ports)
{
	struct partition_config cfg = {.vuart_port = CONFIG_VUART_OFF, .nr_io_ranges = 1};

	cfg.io_ranges[0] = (struct config_io_range){0x3f8, 0x3ff};
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 8);
	CHECK(!io_bitmap_exits(bitmap, 0x3f8));
	CHECK(io_bitmap_exits(bitmap, 0)); /* "off" is not port 0 */
}

TEST(hostile_config)
{
	struct partition_config cfg = {.vuart_port = 0xfffc, .nr_io_ranges = 1000};

	/* A count past the array, a reversed range, a vUART that runs off the port space. */
	for (unsigned i = 0; i < CONFIG_MAX_IO_RANGES; i++)
		cfg.io_ranges[i] = (struct config_io_range){0x100, 0x0ff};
	cfg.io_ranges[3] = (struct config_io_range){0xfff0, 0xffff};
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 12); /* 0xfff0-0xfffb; 0xfffc-0xffff are the vUART */
	CHECK(io_bitmap_exits(bitmap, 0xffff));
	cfg = (struct partition_config){.vuart_port = 0xfffffffcu};
	io_bitmap_init(bitmap, &cfg);
	CHECK_EQ(count_passing(), 0);
}

TEST(port_kinds)
{
	CHECK_EQ(io_port_kind(0x3f8, 0x3f8, false), IO_PORT_VUART);
	CHECK_EQ(io_port_kind(0x3ff, 0x3f8, false), IO_PORT_VUART);
	CHECK_EQ(io_port_kind(0x400, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x3f7, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0xf4, 0x3f8, false), IO_PORT_DEBUG_EXIT);
	CHECK_EQ(io_port_kind(0xf7, 0x3f8, false), IO_PORT_DEBUG_EXIT);
	CHECK_EQ(io_port_kind(0xf3, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0xf8, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0, CONFIG_VUART_OFF, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(7, CONFIG_VUART_OFF, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x3f8, CONFIG_VUART_OFF, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0xffff, 0xfffc, false), IO_PORT_VUART);
	CHECK_EQ(io_port_kind(0x2, 0xfffffffcu, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x6f, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x70, 0x3f8, false), IO_PORT_RTC);
	CHECK_EQ(io_port_kind(0x71, 0x3f8, false), IO_PORT_RTC);
	CHECK_EQ(io_port_kind(0x72, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x5ff, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x600, 0x3f8, false), IO_PORT_SLEEP);
	CHECK_EQ(io_port_kind(0x601, 0x3f8, false), IO_PORT_SLEEP);
	CHECK_EQ(io_port_kind(0x602, 0x3f8, false), IO_PORT_NONE);
	/* The reset ports and pvpanic (hv/policy/power_ports.h); their neighbours are empty. */
	CHECK_EQ(io_port_kind(0xcf9, 0x3f8, false), IO_PORT_POWER);
	CHECK_EQ(io_port_kind(0x64, 0x3f8, false), IO_PORT_POWER);
	CHECK_EQ(io_port_kind(0x505, 0x3f8, false), IO_PORT_POWER);
	CHECK_EQ(io_port_kind(0xcf8, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x60, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x92, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x504, 0x3f8, false), IO_PORT_NONE);
	/* fw_cfg: 0x510-0x511 only when the partition has it. */
	CHECK_EQ(io_port_kind(0x510, 0x3f8, false), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x510, 0x3f8, true), IO_PORT_FW_CFG);
	CHECK_EQ(io_port_kind(0x511, 0x3f8, true), IO_PORT_FW_CFG);
	CHECK_EQ(io_port_kind(0x50f, 0x3f8, true), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x512, 0x3f8, true), IO_PORT_NONE);
	CHECK_EQ(io_port_kind(0x514, 0x3f8, true), IO_PORT_NONE); /* no DMA interface */
}

TEST(fw_cfg_ports_exit)
{
	struct partition_config cfg = {
	    .vuart_port = CONFIG_VUART_OFF, .nr_io_ranges = 1, .fw_cfg = CONFIG_ON};

	cfg.io_ranges[0] = (struct config_io_range){0x500, 0x5ff};
	io_bitmap_init(bitmap, &cfg);
	CHECK(!io_bitmap_exits(bitmap, 0x50f));
	CHECK(io_bitmap_exits(bitmap, 0x510));
	CHECK(io_bitmap_exits(bitmap, 0x511));
	CHECK(!io_bitmap_exits(bitmap, 0x512));
	cfg.fw_cfg = CONFIG_OFF;
	io_bitmap_init(bitmap, &cfg);
	CHECK(!io_bitmap_exits(bitmap, 0x510));
}

TEST(in_results)
{
	uint64_t rax = 0x1122334455667788ULL;

	CHECK_EQ(io_in_result(rax, 1, 0xffffffffu), 0x11223344556677ffULL);
	CHECK_EQ(io_in_result(rax, 2, 0xffffffffu), 0x112233445566ffffULL);
	CHECK_EQ(io_in_result(rax, 4, 0xffffffffu), 0x00000000ffffffffULL);
	CHECK_EQ(io_in_result(rax, 1, 0xffffff60u), 0x1122334455667760ULL);
	CHECK_EQ(io_in_result(rax, 2, 0xffffff60u), 0x112233445566ff60ULL);
	CHECK_EQ(io_in_result(rax, 4, 0xffffff60u), 0xffffff60ULL);
}

TEST(out_values)
{
	uint64_t rax = 0x1122334455667788ULL;

	CHECK_EQ(io_out_value(rax, 1), 0x88);
	CHECK_EQ(io_out_value(rax, 2), 0x7788);
	CHECK_EQ(io_out_value(rax, 4), 0x55667788);
}

TEST(note_port_once)
{
	uint16_t seen[4];
	uint32_t nr = 0;

	CHECK(io_note_port(seen, &nr, 4, 0x61));
	CHECK(!io_note_port(seen, &nr, 4, 0x61));
	CHECK(io_note_port(seen, &nr, 4, 0x0));
	CHECK(!io_note_port(seen, &nr, 4, 0x0));
	CHECK(io_note_port(seen, &nr, 4, 0xffff));
	CHECK(io_note_port(seen, &nr, 4, 0x70));
	CHECK_EQ(nr, 4);
	/* Full: new ports are no longer recorded (nor logged), known ones stay known. */
	CHECK(!io_note_port(seen, &nr, 4, 0x71));
	CHECK(!io_note_port(seen, &nr, 4, 0x61));
	CHECK_EQ(nr, 4);
	/* A corrupt count past the array is not trusted. */
	nr = 1000;
	CHECK(!io_note_port(seen, &nr, 4, 0x72));
	CHECK(!io_note_port(seen, &nr, 4, 0x70));
}

int main(void)
{
	CHECK_MAIN("io_policy");
	RUN(nothing_passes_by_default);
	RUN(ranges_pass_through);
	RUN(emulated_ports_always_exit);
	RUN(vuart_off_passes_its_ports);
	RUN(hostile_config);
	RUN(port_kinds);
	RUN(fw_cfg_ports_exit);
	RUN(in_results);
	RUN(out_values);
	RUN(note_port_once);
	return CHECK_END();
}
