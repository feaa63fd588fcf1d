/*
 * A fake physical address range for tests of code that reads loader structures
 * through a phys_reader_t: fake_phys_map() copies a buffer into an exactly
 * sized heap block (so ASan catches any read past what the reader granted) and
 * fake_phys_read() hands out pointers into it, or NULL outside it.
 */
#ifndef TESSERA_TESTS_UNIT_FAKE_PHYS_H
#define TESSERA_TESTS_UNIT_FAKE_PHYS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *fake_phys_mem;
static uint64_t fake_phys_base, fake_phys_len;

static inline void fake_phys_map(uint64_t base, const void *buf, size_t len)
{
	free(fake_phys_mem);
	fake_phys_mem = malloc(len ? len : 1);
	memcpy(fake_phys_mem, buf, len);
	fake_phys_base = base;
	fake_phys_len = len;
}

static inline const void *fake_phys_read(uint64_t pa, uint64_t len)
{
	if (pa < fake_phys_base || pa - fake_phys_base > fake_phys_len ||
	    len > fake_phys_len - (pa - fake_phys_base))
		return NULL;
	return fake_phys_mem + (pa - fake_phys_base);
}

#endif
