/*
 * hv/load/multiboot_image.c: mb_image_find() on a hostile image, then what
 * struct mb_image promises: the header 4-byte aligned in the first 8192 bytes
 * with a good checksum and only known required flags; with the a.out kludge,
 * the loaded bytes inside the file, ending below 4 GiB, the entry inside them.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/load/multiboot_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *image = malloc(size ? size : 1);
	struct mb_image mb;
	char err[128];
	int rc;

	memcpy(image, data, size);
	memset(err, 'x', sizeof(err));
	rc = mb_image_find(image, size, &mb, err, sizeof(err));
	FUZZ_CHECK(rc >= -1 && rc <= 1);
	if (rc < 0)
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)) && err[0] != '\0');
	if (rc == 1) {
		uint32_t h[3];

		FUZZ_CHECK(mb.header_offset % 4 == 0);
		FUZZ_CHECK(mb.header_offset + 12 <= MIN(size, 8192u));
		memcpy(h, image + mb.header_offset, sizeof(h));
		FUZZ_CHECK(h[0] == MULTIBOOT_HEADER_MAGIC && h[0] + h[1] + h[2] == 0);
		FUZZ_CHECK(h[1] == mb.flags);
		FUZZ_CHECK((mb.flags & 0xffff & ~MB_IMAGE_KNOWN_FLAGS) == 0);
		FUZZ_CHECK(mb.aout == !!(mb.flags & MULTIBOOT_AOUT_KLUDGE));
		if (mb.aout) {
			FUZZ_CHECK(mb.load_size != 0);
			FUZZ_CHECK(mb.load_offset <= size && mb.load_size <= size - mb.load_offset);
			FUZZ_CHECK(mb.load_addr + mb.load_size + mb.bss_size <= 1ULL << 32);
			FUZZ_CHECK(mb.entry >= mb.load_addr &&
				   mb.entry - mb.load_addr < mb.load_size);
		}
	}
	free(image);
	return 0;
}
