/* Hyper-V reference time: see hyperv_time.h. */
#include "hv/policy/hyperv_time.h"

#define REF_HZ 10000000ull

static uint64_t mul_hi(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

/* (hi:lo) / d for hi < d, by shifts: no libgcc division in the hypervisor. */
static uint64_t div128(uint64_t hi, uint64_t lo, uint64_t d)
{
	uint64_t q = 0;

	for (int i = 0; i < 64; i++) {
		bool carry = hi >> 63;

		hi = hi << 1 | lo >> 63;
		lo <<= 1;
		q <<= 1;
		if (carry || hi >= d) {
			hi -= d;
			q |= 1;
		}
	}
	return q;
}

void hv_ref_clock_init(struct hv_ref_clock *c, uint64_t tsc_hz, uint64_t origin)
{
	c->tsc_hz = tsc_hz;
	c->origin = origin;
	/* 10^7 * 2^64 / hz fits in 64 bits only when hz > 10^7. */
	c->scale = tsc_hz > REF_HZ ? div128(REF_HZ, 0, tsc_hz) : 0;
	c->offset = -(int64_t)mul_hi(origin, c->scale);
}

uint64_t hv_ticks_to_100ns(uint64_t ticks, uint64_t tsc_hz)
{
	unsigned __int128 p = (unsigned __int128)ticks * REF_HZ;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p;

	if (hi >= tsc_hz) /* more than 2^64 units: centuries */
		return ~0ull;
	return div128(hi, lo, tsc_hz);
}

uint64_t hv_ref_time(const struct hv_ref_clock *c, uint64_t tsc)
{
	if (!c->scale)
		return hv_ticks_to_100ns(tsc - c->origin, c->tsc_hz);
	return mul_hi(tsc, c->scale) + (uint64_t)c->offset;
}
