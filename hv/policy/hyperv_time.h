/*
 * Hyper-V reference time (pure): 100 ns units since the partition's TSC origin,
 * the same from the TIME_REF_COUNT MSR and from the reference TSC page, so a
 * guest mixing them never sees time go back. The page's formula is the TLFS's:
 * time = ((TSC * scale) >> 64) + offset.
 */
#ifndef TESSERA_HV_POLICY_HYPERV_TIME_H
#define TESSERA_HV_POLICY_HYPERV_TIME_H

#include "lib/types.h"

struct hv_ref_clock {
	uint64_t scale;	 /* 2^64 * 10^7 / tsc_hz; 0 when the TSC is not faster than 10 MHz */
	int64_t offset;	 /* -((origin * scale) >> 64) */
	uint64_t origin; /* the partition's TSC at boot */
	uint64_t tsc_hz;
};

/* The clock for a TSC of tsc_hz (> 0) counting from origin. */
void hv_ref_clock_init(struct hv_ref_clock *c, uint64_t tsc_hz, uint64_t origin);

/* The reference time at TSC value tsc (>= origin). */
uint64_t hv_ref_time(const struct hv_ref_clock *c, uint64_t tsc);

/* 100 ns units in `ticks` TSC ticks (for VP_RUNTIME). */
uint64_t hv_ticks_to_100ns(uint64_t ticks, uint64_t tsc_hz);

#endif
