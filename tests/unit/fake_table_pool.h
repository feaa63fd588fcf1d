/*
 * A pool of fake page-table pages for the table builders' host tests and
 * fuzzers (EPT, SPP): page i stands at the fake physical address
 * POOL_BASE + 4096 * i. Define POOL_PAGES and POOL_BASE before including it;
 * pool_limit lowers how many pages fake_alloc hands out (to test running out).
 * A table address outside the pool is a bug in the builder: it aborts.
 */
#ifndef TESSERA_TESTS_UNIT_FAKE_TABLE_POOL_H
#define TESSERA_TESTS_UNIT_FAKE_TABLE_POOL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used, pool_limit = POOL_PAGES;

static uint64_t fake_alloc(void *opaque)
{
	(void)opaque;
	if (pool_used >= pool_limit)
		return 0;
	memset(pool[pool_used], 0, sizeof(pool[0]));
	return POOL_BASE + 4096ULL * pool_used++;
}

static uint64_t *fake_ptr(void *opaque, uint64_t pa)
{
	(void)opaque;
	if (pa < POOL_BASE || pa >= POOL_BASE + 4096ULL * POOL_PAGES || (pa & 4095)) {
		fprintf(stderr, "bad table address %#llx\n", (unsigned long long)pa);
		abort();
	}
	return pool[(pa - POOL_BASE) / 4096];
}

#endif
