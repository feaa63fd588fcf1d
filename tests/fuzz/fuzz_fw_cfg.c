/*
 * hv/dev/fw_cfg: the partition's fw_cfg ports driven by any sequence of guest
 * accesses. Input: 4 bytes of item values (CPU count, low RAM size bits),
 * then 4 bytes per access: kind (bit 0: OUT, bits 1-2: port offset 0-3,
 * bits 3-4: size 1, 2, 4 or 3), and a 16-bit value. Checked against a model
 * written here from guest-abi/fw_cfg.h: which accesses select, which read
 * data, what each byte of each item is, and that the device's offset never
 * leaves its item.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/dev/fw_cfg.h"

static uint8_t expected_byte(uint16_t key, uint32_t i, const struct fw_cfg_info *info)
{
	switch (key) {
	case FW_CFG_SIGNATURE:
		return i < 4 ? (uint8_t) "QEMU"[i] : 0;
	case FW_CFG_ID:
		return i == 0 ? FW_CFG_ID_TRADITIONAL : 0;
	case FW_CFG_RAM_SIZE:
		return i < 8 ? (uint8_t)(info->ram_size >> (8 * i)) : 0;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		return i < 2 ? (uint8_t)(info->nr_cpus >> (8 * i)) : 0;
	default:
		return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_cfg_info info;
	struct fw_cfg f;
	uint16_t key = FW_CFG_SIGNATURE;
	uint32_t pos = 0;

	if (size < 4)
		return 0;
	info = (struct fw_cfg_info){.nr_cpus = (uint16_t)(data[0] | data[1] << 8),
				    .ram_size = (uint64_t)fuzz_get32(data) << 12};
	fw_cfg_init(&f, &info);
	for (size_t at = 4; at + 4 <= size; at += 4) {
		bool out = data[at] & 1;
		unsigned off = (data[at] >> 1) & 3, bytes = 1u << ((data[at] >> 3) & 3);
		uint16_t value = (uint16_t)(data[at + 2] | data[at + 3] << 8);

		if (bytes == 8)
			bytes = 3; /* no such access: the device must cope */
		if (out) {
			fw_cfg_out(&f, off, bytes, value);
			if (off == 0 && bytes == 2) {
				key = value;
				pos = 0;
			}
		} else {
			uint32_t got = fw_cfg_in(&f, off, bytes);

			if (off < FW_CFG_PORTS && bytes == 1) {
				FUZZ_CHECK(got == expected_byte(key, pos, &info));
				pos++;
			} else {
				FUZZ_CHECK(got == 0xffffffffu);
			}
		}
		FUZZ_CHECK(f.offset <= f.len && f.len <= FW_CFG_ITEM_MAX);
		FUZZ_CHECK(f.selector == key);
	}
	return 0;
}
