/* See rtc.h. MC146818 register numbers as on every PC. */
#include "drivers/rtc.h"
#include "drivers/tsc.h"
#include "arch/x86/io.h"
#include "arch/x86/cpu.h"
#include "lib/date.h"
#include "lib/log.h"

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define REG_A_UIP   0x80
#define REG_B_BIN   0x04
#define REG_B_24H   0x02
#define HOUR_PM	    0x80
#define REG_CENTURY 0x32

static uint64_t boot_seconds, clock_tsc;

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned field(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10u + (v & 15u);
}

/* The time registers, read twice until both reads agree (no update between them). */
static bool read_clock(struct date *d)
{
	uint8_t a[7], b[7];

	for (int tries = 0; tries < 10; tries++) {
		for (int i = 0; i < 1000 && (cmos(0x0a) & REG_A_UIP); i++)
			udelay(10);
		static const uint8_t regs[7] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, REG_CENTURY};
		for (int i = 0; i < 7; i++)
			a[i] = cmos(regs[i]);
		for (int i = 0; i < 7; i++)
			b[i] = cmos(regs[i]);
		bool same = true;
		for (int i = 0; i < 7; i++)
			same &= a[i] == b[i];
		if (!same)
			continue;
		uint8_t regb = cmos(0x0b);
		bool bin = regb & REG_B_BIN;
		unsigned hour = field(a[2] & (uint8_t)~HOUR_PM, bin);

		if (!(regb & REG_B_24H))
			hour = hour % 12 + (a[2] & HOUR_PM ? 12 : 0);
		unsigned century = field(a[6], bin);
		*d = (struct date){.sec = field(a[0], bin),
				   .min = field(a[1], bin),
				   .hour = hour,
				   .mday = field(a[3], bin),
				   .mon = field(a[4], bin),
				   .year = (century >= 19 && century <= 20 ? century : 20) * 100 +
					   field(a[5], bin)};
		return d->sec < 60 && d->min < 60 && d->hour < 24 && d->mon >= 1 && d->mon <= 12 &&
		       d->mday >= 1 && d->mday <= date_month_days(d->year, d->mon) &&
		       d->year >= 1970;
	}
	return false;
}

void rtc_init(void)
{
	struct date d;

	clock_tsc = rdtsc();
	if (!read_clock(&d)) {
		log_warn("rtc: the CMOS clock reads no valid time; partitions' clocks start at "
			 "2000-01-01");
		boot_seconds = date_to_epoch(2000, 1, 1, 0, 0, 0);
		return;
	}
	boot_seconds = date_to_epoch(d.year, d.mon, d.mday, d.hour, d.min, d.sec);
	log_info("rtc: %04u-%02u-%02u %02u:%02u:%02u (the partitions' clocks start there)", d.year,
		 d.mon, d.mday, d.hour, d.min, d.sec);
}

uint64_t rtc_now_seconds(void)
{
	uint64_t khz = tsc_khz() ? tsc_khz() : 1;

	return boot_seconds + (rdtsc() - clock_tsc) / (khz * 1000);
}
