/*
 * A partition's virtual CMOS clock (MC146818 as PCs have it), at ports 0x70
 * (index; bit 7, the NMI mask, is ignored) and 0x71 (data), for partitions
 * that do not own those ports by `ioports`. The time registers read the
 * wall-clock time: the host's RTC read once at Tessera's boot (hv/core), plus
 * the TSC time since; in BCD or binary and in 12- or 24-hour form as register
 * B asks. An update is never in progress (register A's UIP reads 0: a read
 * computes the whole time at once), so a guest waiting for UIP to fall does
 * not wait. Guest writes to the time registers move only this partition's
 * clock (an offset); registers A-D keep their writable bits; bytes 0x0e-0x7f
 * are plain CMOS RAM. No interrupts (IRQ 8: no alarm, periodic or update
 * interrupt). Pure: the caller passes the time; host-tested.
 */
#ifndef TESSERA_HV_VRTC_H
#define TESSERA_HV_VRTC_H

#include "lib/types.h"

#define VRTC_NR_REGS 128

struct vrtc {
	uint8_t index;
	uint8_t ram[VRTC_NR_REGS]; /* registers A-D (10-13) and CMOS RAM; time kept apart */
	int64_t offset_s;	   /* the guest's clock minus the wall clock */
};

void vrtc_reset(struct vrtc *r);
/* now_s: the wall-clock time in seconds since 1970-01-01 00:00:00 UTC. */
uint8_t vrtc_read(struct vrtc *r, unsigned port_offset, uint64_t now_s);
void vrtc_write(struct vrtc *r, unsigned port_offset, uint8_t value, uint64_t now_s);

#endif
