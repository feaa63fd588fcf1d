/* The few string and memory functions the hypervisor needs (no libc). */
#ifndef TESSERA_LIB_STRING_H
#define TESSERA_LIB_STRING_H

#include "lib/types.h"

#ifdef HOST_TEST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/* Copies at most size-1 bytes and always terminates (size > 0). Returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* Copies a string of at most len bytes (may be unterminated) into dst of size bytes. */
void str_copy_bounded(char *dst, size_t size, const char *src, size_t len);

#endif
