/*
 * The machine's CMOS clock, read once at boot (after tsc_init) as the
 * wall-clock time partitions' virtual clocks start from (hv/dev/vrtc.h).
 */
#ifndef TESSERA_DRIVERS_RTC_H
#define TESSERA_DRIVERS_RTC_H

#include "lib/types.h"

/* Reads the clock (waits out an update in progress, at most ~10 ms) and logs it. */
void rtc_init(void);
/* Seconds since 1970 now: the clock read at rtc_init plus the TSC time since. */
uint64_t rtc_now_seconds(void);

#endif
