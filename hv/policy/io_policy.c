/* Port I/O rules: see io_policy.h. */
#include "hv/policy/io_policy.h"
#include "guest-abi/tessera.h"
#include "lib/string.h"

STATIC_ASSERT(CONFIG_VUART_PORTS == TESSERA_VUART_PORTS, "guest ABI: vUART ports");

static void set_exit(uint8_t *bitmap, uint32_t port, bool exits)
{
	if (exits)
		bitmap[port / 8] |= (uint8_t)(1u << (port % 8));
	else
		bitmap[port / 8] &= (uint8_t) ~(1u << (port % 8));
}

void io_bitmap_init(uint8_t *bitmap, const struct partition_config *cfg)
{
	uint32_t nr = MIN(cfg->nr_io_ranges, (uint32_t)CONFIG_MAX_IO_RANGES);

	memset(bitmap, 0xff, IO_BITMAP_SIZE);
	for (uint32_t i = 0; i < nr; i++)
		for (uint32_t port = cfg->io_ranges[i].first; port <= cfg->io_ranges[i].last;
		     port++)
			set_exit(bitmap, port, false);
	/* Emulated ports exit even inside a pass-through range. */
	if (cfg->vuart_port != CONFIG_VUART_OFF)
		for (uint32_t port = cfg->vuart_port;
		     port < cfg->vuart_port + CONFIG_VUART_PORTS && port <= 0xffff; port++)
			set_exit(bitmap, port, true);
	for (uint32_t i = 0; i < TESSERA_DEBUG_EXIT_PORTS; i++)
		set_exit(bitmap, TESSERA_DEBUG_EXIT_PORT + i, true);
	if (cfg->fw_cfg == CONFIG_ON)
		for (uint32_t i = 0; i < FW_CFG_PORTS; i++)
			set_exit(bitmap, FW_CFG_PORT_SEL + i, true);
}

bool io_bitmap_exits(const uint8_t *bitmap, uint16_t port)
{
	return bitmap[port / 8] & (1u << (port % 8));
}

bool io_note_port(uint16_t *seen, uint32_t *nr_seen, uint32_t max, uint16_t port)
{
	uint32_t nr = MIN(*nr_seen, max);

	for (uint32_t i = 0; i < nr; i++)
		if (seen[i] == port)
			return false;
	if (nr == max)
		return false;
	seen[nr] = port;
	*nr_seen = nr + 1;
	return true;
}
