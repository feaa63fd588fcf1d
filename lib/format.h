/*
 * printf-style formatting into a buffer. Supports %d %i %u %x %X %o %c %s %p %%,
 * the l, ll, z and h length modifiers, '-', '0' flags, a width and a precision
 * for strings (also as '*').
 */
#ifndef TESSERA_LIB_FORMAT_H
#define TESSERA_LIB_FORMAT_H

#include <stdarg.h>
#include "lib/types.h"

/* Like vsnprintf: returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
