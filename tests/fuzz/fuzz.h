/*
 * What every libFuzzer harness in tests/fuzz/ shares. A harness feeds the
 * input to one parser of untrusted data and then checks the parser's own
 * contract (outputs within their bounds, strings terminated, errors
 * explained); FUZZ_CHECK aborts on a broken promise, which libFuzzer reports
 * as a crash with the input that caused it. ASan and UBSan catch the rest.
 * The hypervisor's log_printf() and panic() come from tests/unit/host_support.c.
 */
#ifndef TESSERA_TESTS_FUZZ_FUZZ_H
#define TESSERA_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/check.h"

#define FUZZ_CHECK(cond)                                                                          \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "fuzz: contract broken: %s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                                           \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/* True if buf[0..size) holds a NUL, i.e. a string kept in it is terminated. */
static inline int fuzz_terminated(const char *buf, size_t size)
{
	return memchr(buf, '\0', size) != NULL;
}

/* Little-endian reads of the input's control bytes. */
static inline uint32_t fuzz_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t fuzz_get64(const uint8_t *p)
{
	return (uint64_t)fuzz_get32(p) | (uint64_t)fuzz_get32(p + 4) << 32;
}

/* Sets p[at] so that the len bytes at p sum to 0 mod 256 (ACPI checksums). */
static inline void fuzz_fix_sum(uint8_t *p, uint32_t len, uint32_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
