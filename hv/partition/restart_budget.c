/* The restart budget: see restart_budget.h. */
#include "hv/partition/restart_budget.h"

/* A restart at `now`: counted in the window if there is room. */
static bool take_window(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now)
{
	if (b->in_window == 0 || now - b->window_start >= window) {
		b->window_start = now;
		b->in_window = 0;
	}
	if (b->in_window >= limit)
		return false;
	b->in_window++;
	return true;
}

bool restart_budget_take(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now)
{
	b->crashes++;
	return take_window(b, limit, window, now);
}

bool restart_budget_reboot(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now)
{
	return take_window(b, limit, window, now);
}
