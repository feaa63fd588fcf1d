/* Calendar dates (proleptic Gregorian, UTC) and seconds since 1970-01-01 00:00:00. */
#ifndef TESSERA_LIB_DATE_H
#define TESSERA_LIB_DATE_H

#include "lib/types.h"

struct date {
	unsigned year, mon, mday; /* mon 1-12, mday 1-31 */
	unsigned wday;		  /* 1 (Sunday) to 7, as the CMOS clock counts */
	unsigned hour, min, sec;
};

bool date_leap(unsigned year);
unsigned date_month_days(unsigned year, unsigned mon);
/* Seconds since 1970 of a date from 1970 on (its wday is not read). */
uint64_t date_to_epoch(unsigned year, unsigned mon, unsigned mday, unsigned hour, unsigned min,
		       unsigned sec);
struct date date_from_epoch(uint64_t t);

#endif
