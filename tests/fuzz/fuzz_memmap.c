/*
 * boot/memmap.c: memmap_normalize() on any memory map a loader may hand over.
 * Input: records of base (8 bytes), length (8) and type (4), little endian,
 * at most BOOT_MAX_MEM_REGIONS. Checked: the normalized map's promises and
 * that it gives each address the type of the strongest region over it.
 */
#include "tests/fuzz/boot_info_check.h"

#define RECORD 20

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct boot_mem_region in[BOOT_MAX_MEM_REGIONS];
	uint32_t n = (uint32_t)MIN(size / RECORD, (size_t)BOOT_MAX_MEM_REGIONS);

	memset(&bi, 0, sizeof(bi));
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = data + i * RECORD;

		in[i] =
		    (struct boot_mem_region){fuzz_get64(r), fuzz_get64(r + 8), fuzz_get32(r + 16)};
	}
	memcpy(bi.mem, in, n * sizeof(in[0]));
	bi.nr_mem = n;
	check_log_clear();
	memmap_normalize(&bi);
	check_normalized(&bi, in, n, strstr(check_log, "do not fit") != NULL);
	return 0;
}
