/*
 * The restart budget of a partition with on_crash = restart (pure; called from
 * partition_crash() in hv/partition/partition_run.c): at most `limit` restarts
 * within a window of `window` TSC ticks that opens at the first restart, so a
 * guest that crashes on every boot is stopped instead of restarting forever.
 * The first RESTART_FULL_DUMPS crashes print the register dump; later ones one line.
 */
#ifndef TESSERA_HV_RESTART_BUDGET_H
#define TESSERA_HV_RESTART_BUDGET_H

#include "lib/types.h"

#define RESTART_FULL_DUMPS 2u

struct restart_budget {
	uint64_t window_start; /* TSC at the first restart of the window */
	uint32_t in_window;    /* restarts since window_start */
	uint32_t crashes;      /* crashes so far (for the dump's rate limit) */
};

/*
 * A crash at TSC `now`: true when the partition may restart (the restart is
 * counted), false when `limit` restarts happened in the window and it stops.
 */
bool restart_budget_take(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now);

/* Whether the crash being reported (counted by restart_budget_take) gets the full dump. */
static inline bool restart_budget_full_dump(const struct restart_budget *b)
{
	return b->crashes <= RESTART_FULL_DUMPS;
}

#endif
