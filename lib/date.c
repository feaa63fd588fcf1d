/* See date.h. */
#include "lib/date.h"

#define SECS_PER_DAY 86400u

bool date_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned date_month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && date_leap(y));
}

uint64_t date_to_epoch(unsigned year, unsigned mon, unsigned mday, unsigned hour, unsigned min,
		       unsigned sec)
{
	uint64_t days = 0;

	for (unsigned y = 1970; y < year; y++)
		days += date_leap(y) ? 366 : 365;
	for (unsigned i = 1; i < mon && i <= 12; i++)
		days += date_month_days(year, i);
	days += mday ? mday - 1 : 0;
	return days * SECS_PER_DAY + hour * 3600ull + min * 60ull + sec;
}

struct date date_from_epoch(uint64_t t)
{
	struct date d = {.year = 1970, .mon = 1};
	uint64_t days = t / SECS_PER_DAY, rest = t % SECS_PER_DAY;

	d.sec = (unsigned)(rest % 60);
	d.min = (unsigned)(rest / 60 % 60);
	d.hour = (unsigned)(rest / 3600);
	d.wday = (unsigned)((days + 4) % 7) + 1; /* 1970-01-01 was a Thursday */
	while (days >= (date_leap(d.year) ? 366u : 365u))
		days -= date_leap(d.year++) ? 366 : 365;
	while (days >= date_month_days(d.year, d.mon))
		days -= date_month_days(d.year, d.mon++);
	d.mday = (unsigned)days + 1;
	return d;
}
