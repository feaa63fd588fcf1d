/*
 * The restart budget of a partition (pure; called from partition_crash() and
 * partition_reboot() in hv/partition/partition_run.c): at most `limit`
 * restarts within a window of `window` TSC ticks that opens at the first
 * restart, so a guest that crashes (with on_crash = restart) or reboots on
 * every boot is stopped instead of restarting forever. Crash restarts and
 * reboots share the window: a reboot costs Tessera the same reload of the
 * image, and a loop of either must not fill the console or hold the machine's
 * memory bandwidth. The first RESTART_FULL_DUMPS crashes print the register
 * dump; later ones one line (reboots print none and do not count there).
 */
#ifndef TESSERA_HV_RESTART_BUDGET_H
#define TESSERA_HV_RESTART_BUDGET_H

#include "lib/types.h"

#define RESTART_FULL_DUMPS 2u

struct restart_budget {
	uint64_t window_start; /* TSC at the first restart of the window */
	uint32_t in_window;    /* restarts since window_start */
	uint32_t crashes;      /* crashes so far (for the dump's rate limit); not reboots */
};

/*
 * A crash at TSC `now`: true when the partition may restart (the restart is
 * counted), false when `limit` restarts happened in the window and it stops.
 */
bool restart_budget_take(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now);

/* A reboot the guest asked for at `now`: the same window, but not a crash. */
bool restart_budget_reboot(struct restart_budget *b, uint32_t limit, uint64_t window, uint64_t now);

/* Whether the crash being reported (counted by restart_budget_take) gets the full dump. */
static inline bool restart_budget_full_dump(const struct restart_budget *b)
{
	return b->crashes <= RESTART_FULL_DUMPS;
}

#endif
