/*
 * printf-style formatting for test guests (no libc). Supports %d %i %u %x %X
 * %o %c %s %p %%, the flags '-', '0', '#', a width, a precision for %s (also
 * '*'), and the hh, h, l, ll, z, j and t length modifiers. Pure logic: also
 * built on the host for tests/unit/test_guest_format.c.
 */
#ifndef TESSERA_GUEST_LIB_FORMAT_H
#define TESSERA_GUEST_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Calls put(c, ctx) for every output character; returns how many. */
int guest_vformat(void (*put)(char c, void *ctx), void *ctx, const char *fmt, va_list ap);
/* Like vsnprintf: always NUL-terminates when size > 0, returns the full length. */
int guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int guest_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
