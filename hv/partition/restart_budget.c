/* The restart budget: see restart_budget.h. */
#include "hv/partition/restart_budget.h"

bool restart_budget_take(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now)
{
	b->crashes++;
	if (b->in_window == 0 || now - b->window_start >= window) {
		b->window_start = now;
		b->in_window = 0;
	}
	if (b->in_window >= limit)
		return false;
	b->in_window++;
	return true;
}
