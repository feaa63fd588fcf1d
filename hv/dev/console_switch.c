/* See console_switch.h. */
#include "hv/dev/console_switch.h"

bool console_switch_feed(struct console_switch *s, uint8_t c, uint8_t out[CONSOLE_SWITCH_COUNT],
			 size_t *n)
{
	*n = 0;
	if (c == CONSOLE_SWITCH_CHAR) {
		if (++s->seen < CONSOLE_SWITCH_COUNT)
			return false; /* held back */
		s->seen = 0;
		return true;
	}
	for (; s->seen; s->seen--)
		out[(*n)++] = CONSOLE_SWITCH_CHAR;
	out[(*n)++] = c;
	return false;
}

uint32_t console_focus_next(uint32_t focus, uint32_t count, bool (*usable)(uint32_t target))
{
	uint32_t f = focus > count ? count : focus;

	for (uint32_t i = 0; i <= count; i++) {
		f = f == count ? 0 : f + 1;
		if (f == count || usable(f))
			return f;
	}
	return count;
}
