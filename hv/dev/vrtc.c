/* The virtual CMOS clock: see vrtc.h. Register numbers as in the MC146818 data sheet. */
#include "hv/dev/vrtc.h"
#include "lib/date.h"
#include "lib/string.h"

#define REG_SEC	    0x00
#define REG_MIN	    0x02
#define REG_HOUR    0x04
#define REG_WDAY    0x06
#define REG_MDAY    0x07
#define REG_MON	    0x08
#define REG_YEAR    0x09
#define REG_A	    0x0a
#define REG_B	    0x0b
#define REG_C	    0x0c
#define REG_D	    0x0d
#define REG_CENTURY 0x32 /* the PC's century byte (the FADT's CENTURY field names none) */
#define A_UIP	    0x80
#define A_DEFAULT   0x26 /* 32.768 kHz time base, 1024 Hz rate */
#define B_DM_BINARY 0x04
#define B_24H	    0x02
#define D_VRT	    0x80 /* the battery is good */
#define HOUR_PM	    0x80

void vrtc_reset(struct vrtc *r)
{
	memset(r, 0, sizeof(*r));
	r->ram[REG_A] = A_DEFAULT;
	r->ram[REG_B] = B_24H;
	r->ram[REG_D] = D_VRT;
}

static uint8_t encode(const struct vrtc *r, unsigned v)
{
	return r->ram[REG_B] & B_DM_BINARY ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

static unsigned decode(const struct vrtc *r, uint8_t v)
{
	return r->ram[REG_B] & B_DM_BINARY ? v : (v >> 4) * 10u + (v & 15u);
}

static uint64_t guest_now(const struct vrtc *r, uint64_t now_s)
{
	int64_t t = (int64_t)now_s + r->offset_s;

	return t < 0 ? 0 : (uint64_t)t;
}

static uint8_t hour_reg(const struct vrtc *r, unsigned h)
{
	unsigned h12;

	if (r->ram[REG_B] & B_24H)
		return encode(r, h);
	h12 = h % 12 ? h % 12 : 12;
	return (uint8_t)(encode(r, h12) | (h >= 12 ? HOUR_PM : 0));
}

static uint8_t time_reg(const struct vrtc *r, uint8_t reg, uint64_t now_s)
{
	struct date d = date_from_epoch(guest_now(r, now_s));

	switch (reg) {
	case REG_SEC:
		return encode(r, d.sec);
	case REG_MIN:
		return encode(r, d.min);
	case REG_HOUR:
		return hour_reg(r, d.hour);
	case REG_WDAY:
		return encode(r, d.wday);
	case REG_MDAY:
		return encode(r, d.mday);
	case REG_MON:
		return encode(r, d.mon);
	case REG_YEAR:
		return encode(r, d.year % 100);
	default: /* REG_CENTURY */
		return encode(r, d.year / 100);
	}
}

static bool is_time_reg(uint8_t reg)
{
	return reg == REG_SEC || reg == REG_MIN || reg == REG_HOUR ||
	       (reg >= REG_WDAY && reg <= REG_YEAR) || reg == REG_CENTURY;
}

uint8_t vrtc_read(struct vrtc *r, unsigned port_offset, uint64_t now_s)
{
	uint8_t reg = r->index;

	if (port_offset == 0)
		return 0xff; /* the index port is write-only */
	if (is_time_reg(reg))
		return time_reg(r, reg, now_s);
	if (reg == REG_A)
		return r->ram[REG_A] & (uint8_t)~A_UIP;
	if (reg == REG_C) /* no interrupt flags, and reading clears them */
		return 0;
	return r->ram[reg];
}

/* A write to one time field: the guest's clock moves by the difference. */
static void set_time_reg(struct vrtc *r, uint8_t reg, uint8_t value, uint64_t now_s)
{
	uint64_t t = guest_now(r, now_s);
	struct date d = date_from_epoch(t);
	unsigned v = decode(r, reg == REG_HOUR ? value & (uint8_t)~HOUR_PM : value);

	switch (reg) {
	case REG_SEC:
		d.sec = v % 60;
		break;
	case REG_MIN:
		d.min = v % 60;
		break;
	case REG_HOUR:
		if (!(r->ram[REG_B] & B_24H))
			v = v % 12 + (value & HOUR_PM ? 12 : 0);
		d.hour = v % 24;
		break;
	case REG_MDAY:
		d.mday = v >= 1 && v <= date_month_days(d.year, d.mon) ? v : d.mday;
		break;
	case REG_MON:
		d.mon = v >= 1 && v <= 12 ? v : d.mon;
		d.mday = d.mday <= date_month_days(d.year, d.mon) ? d.mday
								  : date_month_days(d.year, d.mon);
		break;
	case REG_YEAR:
		d.year = d.year / 100 * 100 + v % 100;
		break;
	case REG_CENTURY:
		d.year = (v >= 19 && v <= 20 ? v : d.year / 100) * 100 + d.year % 100;
		break;
	default: /* the weekday follows from the date */
		return;
	}
	if (d.year < 1970 || d.year > 2099)
		return;
	r->offset_s +=
	    (int64_t)date_to_epoch(d.year, d.mon, d.mday, d.hour, d.min, d.sec) - (int64_t)t;
}

void vrtc_write(struct vrtc *r, unsigned port_offset, uint8_t value, uint64_t now_s)
{
	uint8_t reg = r->index;

	if (port_offset == 0) {
		r->index = value & 0x7f; /* bit 7 masks NMIs on a PC: nothing to mask here */
		return;
	}
	if (is_time_reg(reg))
		set_time_reg(r, reg, value, now_s);
	else if (reg == REG_A)
		r->ram[REG_A] = value & (uint8_t)~A_UIP;
	else if (reg == REG_B)
		r->ram[REG_B] =
		    value & (uint8_t)~0x70;    /* no interrupt enables: nothing raises IRQ 8 */
	else if (reg != REG_C && reg != REG_D) /* C and D are read-only */
		r->ram[reg] = value;
}
