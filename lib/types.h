/* Basic types for every Tessera source: the compiler's freestanding headers. */
#ifndef TESSERA_LIB_TYPES_H
#define TESSERA_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define BIT(n)		 (1ULL << (n))
#define PAGE_SIZE	 4096ULL
#define KiB		 1024ULL
#define MiB		 (1024ULL * KiB)
#define GiB		 (1024ULL * MiB)

#define __packed	    __attribute__((packed))
#define __aligned(n)	    __attribute__((aligned(n)))
#define __noreturn	    __attribute__((noreturn))
#define __printf(a, b)	    __attribute__((format(printf, a, b)))
#define __section(s)	    __attribute__((section(s)))
#define __unused	    __attribute__((unused))
#define __noinline	    __attribute__((noinline))
#define likely(x)	    __builtin_expect(!!(x), 1)
#define unlikely(x)	    __builtin_expect(!!(x), 0)
#define STATIC_ASSERT(c, m) _Static_assert(c, m)

#endif
