/* See console_ring.h. No hardware here: host-tested (tests/unit/test_console_ring.c). */
#include "drivers/console_ring.h"
#include "lib/string.h"

STATIC_ASSERT((CONSOLE_RING_SIZE & (CONSOLE_RING_SIZE - 1)) == 0, "a power of two");

void console_ring_init(struct console_ring *r, const char *name, char *buf, uint32_t size)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->buf = buf;
	while (size & (size - 1))
		size &= size - 1; /* the largest power of two in it */
	r->mask = size - 1;
}

static void copy_in(struct console_ring *r, uint32_t at, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		r->buf[(at + i) & r->mask] = s[i];
}

bool console_ring_put_line(struct console_ring *r, const char *prefix, size_t prefix_len,
			   const char *text, size_t text_len)
{
	uint32_t head = r->head; /* only this side writes it */
	uint32_t used = head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	size_t need = prefix_len + text_len + 1;

	if (need > r->mask + 1 - used) {
		__atomic_store_n(&r->dropped, r->dropped + text_len, __ATOMIC_RELAXED);
		return false;
	}
	copy_in(r, head, prefix, prefix_len);
	copy_in(r, head + (uint32_t)prefix_len, text, text_len);
	r->buf[(head + need - 1) & r->mask] = '\n';
	r->lines++;
	r->bytes += text_len;
	__atomic_store_n(&r->head, head + (uint32_t)need, __ATOMIC_RELEASE);
	return true;
}

uint32_t console_ring_pending(const struct console_ring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) - r->tail;
}

char console_ring_peek(const struct console_ring *r, uint32_t i)
{
	return r->buf[(r->tail + i) & r->mask];
}

void console_ring_consume(struct console_ring *r, uint32_t n)
{
	__atomic_store_n(&r->tail, r->tail + n, __ATOMIC_RELEASE);
}

uint64_t console_ring_dropped(const struct console_ring *r)
{
	return __atomic_load_n(&r->dropped, __ATOMIC_RELAXED);
}
