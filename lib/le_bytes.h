/* Little-endian stores into byte buffers (tables and registers built for a guest). */
#ifndef TESSERA_LIB_LE_BYTES_H
#define TESSERA_LIB_LE_BYTES_H

#include "lib/types.h"

static inline void put_le(uint8_t *dst, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		dst[i] = (uint8_t)(value >> (8 * i));
}

static inline void put_le16(uint8_t *dst, uint16_t v)
{
	put_le(dst, v, 2);
}

static inline void put_le32(uint8_t *dst, uint32_t v)
{
	put_le(dst, v, 4);
}

static inline void put_le64(uint8_t *dst, uint64_t v)
{
	put_le(dst, v, 8);
}

#endif
