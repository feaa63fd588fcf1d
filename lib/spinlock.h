/* A ticket spinlock. The hypervisor never sleeps, so this is its only lock. */
#ifndef TESSERA_LIB_SPINLOCK_H
#define TESSERA_LIB_SPINLOCK_H

#include "lib/types.h"

typedef struct {
	volatile uint16_t next, owner;
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void spin_lock(spinlock_t *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__asm__ volatile("pause");
}

/* Gives up after `spins` attempts; for panic paths where the holder may be dead. */
static inline bool spin_trylock_for(spinlock_t *l, uint64_t spins)
{
	while (spins--) {
		uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
		uint16_t expect = owner;

		if (__atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1), false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
		__asm__ volatile("pause");
	}
	return false;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

#endif
