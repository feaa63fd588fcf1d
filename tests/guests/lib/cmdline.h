/* Command-line words and numbers, for guests that take their expectations from
 * the loader's command line. Pure logic: also built on the host for
 * tests/unit/test_guest_cmdline.c. */
#ifndef TESSERA_GUEST_LIB_CMDLINE_H
#define TESSERA_GUEST_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Finds "key=value" (or a bare "key") among the space-separated words of
 * cmdline, reading at most `max` bytes of it. Copies the value (empty for a
 * bare key) into buf, NUL-terminated and truncated to size - 1 bytes, and
 * returns true if the word is there. A later word wins over an earlier one.
 */
bool cmdline_get(const char *cmdline, size_t max, const char *key, char *buf, size_t size);
/* Parses a whole decimal or 0x-hex number; false on junk, empty or overflow. */
bool parse_u64(const char *s, uint64_t *out);

#endif
