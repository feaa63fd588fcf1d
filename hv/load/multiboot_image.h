/*
 * Finding and checking the multiboot v1 header of a guest image (the kernel's
 * side of multiboot, guest-abi/multiboot.h). With the a.out kludge (flags bit
 * 16) the header itself says what to load; otherwise the image must be an ELF
 * file and its program headers say it.
 */
#ifndef TESSERA_HV_MULTIBOOT_IMAGE_H
#define TESSERA_HV_MULTIBOOT_IMAGE_H

#include "lib/types.h"
#include "guest-abi/multiboot.h"

/* Header flags Tessera honours or may ignore; any other of bits 0-15 is refused. */
#define MB_IMAGE_KNOWN_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO | MULTIBOOT_VIDEO_MODE)

struct mb_image {
	uint32_t header_offset; /* of the header in the file */
	uint32_t flags;
	bool aout; /* MULTIBOOT_AOUT_KLUDGE: the fields below are valid */
	/* file[load_offset, load_offset + load_size) goes to load_addr; then bss_size zeroes */
	uint64_t load_offset, load_size;
	uint32_t load_addr;
	uint64_t bss_size;
	uint32_t entry;
};

/*
 * Looks for the header: magic 0x1BADB002 at a 4-byte aligned offset with the
 * whole 12-byte header in the first 8192 bytes, and a valid checksum (the first
 * such header counts). Returns 1 and fills *out when found and valid, 0 when
 * there is none, -1 when the header is unusable (only headers with a bad
 * checksum, a required flag Tessera lacks, inconsistent a.out addresses), with a
 * one-line reason in err (err_size bytes).
 */
int mb_image_find(const void *image, size_t size, struct mb_image *out, char *err, size_t err_size);

#endif
