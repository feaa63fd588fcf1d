/*
 * A one-shot timer per CPU, interrupting on VECTOR_TIMER: the LAPIC timer in
 * TSC-deadline mode when the CPU has it (CPUID.1:ECX[24]), else in one-shot mode
 * at a rate calibrated once against the TSC. Needs tsc_init and lapic_init_cpu.
 */
#ifndef TESSERA_DRIVERS_TIMER_H
#define TESSERA_DRIVERS_TIMER_H

#include "lib/types.h"

/* This CPU. The first call (the boot CPU) picks the mode and registers the handler. */
void timer_init_cpu(void);
/* One interrupt on this CPU in `us` microseconds (at least one timer tick); re-arming
 * replaces the previous deadline. */
void timer_arm_us(uint64_t us);
/* One interrupt on this CPU when the TSC reaches `tsc` (at once if it has); replaces. */
void timer_arm_tsc(uint64_t tsc);
/* Cancels this CPU's pending deadline. */
void timer_disarm(void);
const char *timer_mode_name(void); /* "tsc-deadline", "lapic-oneshot" or "none" */
/* Arms ~200 us and waits with interrupts on (bounded by a TSC timeout); logs the
 * result: "timer: one-shot ok (MODE) ..." or why not. */
bool timer_self_test(void);

#endif
