/*
 * hv/dev/vrtc.c and lib/date.c: the virtual CMOS clock reads the time it is
 * given in BCD or binary, 24- or 12-hour form; UIP never reads set; writes to
 * the time registers move only the guest's clock; C and D are read-only.
 */
#include "tests/unit/check.h"
#include "hv/dev/vrtc.h"
#include "lib/date.h"

static uint8_t reg(struct vrtc *r, uint8_t index, uint64_t now)
{
	vrtc_write(r, 0, index, now);
	return vrtc_read(r, 1, now);
}

static void set(struct vrtc *r, uint8_t index, uint8_t v, uint64_t now)
{
	vrtc_write(r, 0, index, now);
	vrtc_write(r, 1, v, now);
}

TEST(dates)
{
	struct date d = date_from_epoch(0);

	CHECK_EQ(d.year, 1970);
	CHECK_EQ(d.wday, 5); /* Thursday, Sunday = 1 */
	CHECK_EQ(date_to_epoch(2000, 1, 1, 0, 0, 0), 946684800);
	CHECK_EQ(date_to_epoch(2024, 2, 29, 23, 59, 59), 1709251199);
	d = date_from_epoch(1709251199);
	CHECK_EQ(d.year, 2024);
	CHECK_EQ(d.mon, 2);
	CHECK_EQ(d.mday, 29);
	CHECK_EQ(d.hour, 23);
	CHECK_EQ(d.wday, 5);
	for (uint64_t t = 0; t < 4200000000ull; t += 86399 * 37)
		CHECK_EQ(date_to_epoch(date_from_epoch(t).year, date_from_epoch(t).mon,
				       date_from_epoch(t).mday, date_from_epoch(t).hour,
				       date_from_epoch(t).min, date_from_epoch(t).sec),
			 t);
}

TEST(reads_bcd_24h)
{
	struct vrtc r;
	uint64_t t = date_to_epoch(2026, 12, 2, 14, 38, 59);

	vrtc_reset(&r);
	CHECK_EQ(reg(&r, 0x00, t), 0x59);
	CHECK_EQ(reg(&r, 0x02, t), 0x38);
	CHECK_EQ(reg(&r, 0x04, t), 0x14);
	CHECK_EQ(reg(&r, 0x07, t), 0x02);
	CHECK_EQ(reg(&r, 0x08, t), 0x12);
	CHECK_EQ(reg(&r, 0x09, t), 0x26);
	CHECK_EQ(reg(&r, 0x32, t), 0x20);
	CHECK_EQ(reg(&r, 0x06, t), 0x04);	 /* a Wednesday */
	CHECK_EQ(reg(&r, 0x0a, t) & 0x80, 0);	 /* never an update in progress */
	CHECK_EQ(reg(&r, 0x0d, t), 0x80);	 /* valid RAM and time */
	CHECK_EQ(reg(&r, 0x80 | 0x00, t), 0x59); /* bit 7 of the index (NMI mask) is ignored */
	CHECK_EQ(vrtc_read(&r, 0, t), 0xff);
}

TEST(binary_and_12h)
{
	struct vrtc r;
	uint64_t t = date_to_epoch(2026, 12, 2, 14, 38, 59);

	vrtc_reset(&r);
	set(&r, 0x0b, 0x04, t); /* binary, 12-hour */
	CHECK_EQ(reg(&r, 0x00, t), 59);
	CHECK_EQ(reg(&r, 0x04, t), 0x80 | 2);	    /* 2 PM */
	CHECK_EQ(reg(&r, 0x04, t - 14 * 3600), 12); /* midnight is 12 AM */
	set(&r, 0x0b, 0x06, t);
	CHECK_EQ(reg(&r, 0x04, t), 14);
}

TEST(writes_move_the_guest_clock_only)
{
	struct vrtc r;
	uint64_t t = date_to_epoch(2026, 12, 2, 14, 38, 59);

	vrtc_reset(&r);
	set(&r, 0x09, 0x27, t); /* 2027 */
	CHECK_EQ(reg(&r, 0x09, t), 0x27);
	CHECK_EQ(reg(&r, 0x00, t + 1), 0x00); /* and the clock runs on */
	CHECK_EQ(reg(&r, 0x02, t + 1), 0x39);
	set(&r, 0x04, 0x03, t);
	CHECK_EQ(reg(&r, 0x04, t), 0x03);
	CHECK_EQ(reg(&r, 0x09, t), 0x27);
	set(&r, 0x0c, 0xff, t); /* read-only */
	set(&r, 0x0d, 0x00, t);
	CHECK_EQ(reg(&r, 0x0c, t), 0);
	CHECK_EQ(reg(&r, 0x0d, t), 0x80);
	set(&r, 0x0a, 0xa6, t); /* UIP is not writable */
	CHECK_EQ(reg(&r, 0x0a, t), 0x26);
	set(&r, 0x40, 0x5a, t); /* CMOS RAM */
	CHECK_EQ(reg(&r, 0x40, t), 0x5a);
	vrtc_reset(&r);
	CHECK_EQ(reg(&r, 0x09, t), 0x26);
	CHECK_EQ(reg(&r, 0x40, t), 0);
}

int main(void)
{
	CHECK_MAIN("vrtc");
	RUN(dates);
	RUN(reads_bcd_24h);
	RUN(binary_and_12h);
	RUN(writes_move_the_guest_clock_only);
	return CHECK_END();
}
