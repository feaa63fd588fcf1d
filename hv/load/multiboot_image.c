/*
 * mb_image_find(): the multiboot v1 header of a guest image.
 *
 * The a.out kludge fields are checked against the file and each other:
 *   load_addr <= header_addr, and the header's file offset leaves room for the
 *     header_addr - load_addr bytes before it (they come from the file too);
 *   load_end_addr 0 means "to the end of the file", else load_addr <
 *     load_end_addr and those bytes lie in the file; the end stays below 4 GiB;
 *   bss_end_addr 0 means no bss, else load_end <= bss_end_addr;
 *   load_addr <= entry_addr < load_end (the entry is in the loaded bytes).
 */
#include "hv/load/multiboot_image.h"
#include "lib/format.h"
#include "lib/string.h"

#define FAIL(...)                                         \
	do {                                              \
		fmt_snprintf(err, err_size, __VA_ARGS__); \
		return -1;                                \
	} while (0)

/* Bytes of the header up to and including entry_addr. */
#define AOUT_HEADER_SIZE (__builtin_offsetof(struct multiboot_header, entry_addr) + 4)
#define BASE_HEADER_SIZE 12

static int check_aout(const struct multiboot_header *h, size_t size, struct mb_image *out,
		      char *err, size_t err_size)
{
	uint64_t delta, load_end;

	if (h->load_addr > h->header_addr)
		FAIL("multiboot a.out load_addr %#x is above header_addr %#x", h->load_addr,
		     h->header_addr);
	delta = (uint64_t)h->header_addr - h->load_addr;
	if (delta > out->header_offset)
		FAIL("multiboot a.out load_addr %#x would start %#llx bytes before the file",
		     h->load_addr, (unsigned long long)(delta - out->header_offset));
	out->load_offset = out->header_offset - delta;
	out->load_addr = h->load_addr;

	if (h->load_end_addr == 0) {
		out->load_size = size - out->load_offset;
	} else {
		if (h->load_end_addr <= h->load_addr)
			FAIL("multiboot a.out load_end_addr %#x is not above load_addr %#x",
			     h->load_end_addr, h->load_addr);
		out->load_size = (uint64_t)h->load_end_addr - h->load_addr;
		if (out->load_size > size - out->load_offset)
			FAIL("multiboot a.out load range %#x-%#x needs %#llx bytes of file from "
			     "offset %#llx, the file has %zu bytes",
			     h->load_addr, h->load_end_addr, (unsigned long long)out->load_size,
			     (unsigned long long)out->load_offset, size);
	}
	load_end = (uint64_t)h->load_addr + out->load_size;
	if (load_end > BIT(32))
		FAIL("multiboot a.out image at %#x (%#llx bytes) runs past 4 GiB", h->load_addr,
		     (unsigned long long)out->load_size);

	out->bss_size = 0;
	if (h->bss_end_addr != 0) {
		if (h->bss_end_addr < load_end)
			FAIL("multiboot a.out bss_end_addr %#x is below the end of the loaded "
			     "bytes %#llx",
			     h->bss_end_addr, (unsigned long long)load_end);
		out->bss_size = h->bss_end_addr - load_end;
	}

	if (h->entry_addr < h->load_addr || h->entry_addr >= load_end)
		FAIL("multiboot a.out entry_addr %#x is outside the loaded bytes %#x-%#llx",
		     h->entry_addr, h->load_addr, (unsigned long long)(load_end - 1));
	out->entry = h->entry_addr;
	return 0;
}

static int check_header(const uint8_t *img, size_t size, uint32_t off, struct mb_image *out,
			char *err, size_t err_size)
{
	struct multiboot_header h;
	uint32_t unknown;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	memcpy(&h, img + off, BASE_HEADER_SIZE);
	out->header_offset = off;
	out->flags = h.flags;

	unknown = h.flags & 0xffff & ~(uint32_t)MB_IMAGE_KNOWN_FLAGS;
	if (unknown)
		FAIL("multiboot header requires unsupported features (flags %#x)", unknown);
	if (!(h.flags & MULTIBOOT_AOUT_KLUDGE))
		return 0;

	out->aout = true;
	if (size - off < AOUT_HEADER_SIZE)
		FAIL("multiboot header at offset %#x: a.out fields run past the end of the file",
		     off);
	memcpy(&h, img + off, AOUT_HEADER_SIZE);
	return check_aout(&h, size, out, err, err_size);
}

int mb_image_find(const void *image, size_t size, struct mb_image *out, char *err, size_t err_size)
{
	const uint8_t *img = image;
	size_t limit = MIN(size, (size_t)MULTIBOOT_SEARCH);
	bool bad_checksum = false;
	uint32_t bad_offset = 0;

	if (err_size)
		err[0] = '\0';
	if (!image)
		return 0;
	for (size_t off = 0; off + BASE_HEADER_SIZE <= limit; off += MULTIBOOT_HEADER_ALIGN) {
		uint32_t w[3];

		memcpy(w, img + off, sizeof(w));
		if (w[0] != MULTIBOOT_HEADER_MAGIC)
			continue;
		if ((uint32_t)(w[0] + w[1] + w[2]) != 0) {
			if (!bad_checksum)
				bad_offset = (uint32_t)off;
			bad_checksum = true;
			continue;
		}
		if (check_header(img, size, (uint32_t)off, out, err, err_size))
			return -1;
		return 1;
	}
	if (bad_checksum)
		FAIL("multiboot header at offset %#x has a bad checksum", bad_offset);
	return 0;
}
