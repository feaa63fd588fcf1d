/* The doorbell page's rules (shmem_doorbell.h). */
#include "hv/policy/shmem_doorbell.h"

struct shmem_db_result shmem_doorbell_decode(const struct shmem_db_access *a, uint32_t self,
					     uint32_t nr_peers, bool notify_on_read)
{
	struct shmem_db_result r = {0, 0};
	uint32_t all;

	if (nr_peers > TESSERA_SHMEM_MAX_PEERS || self >= nr_peers)
		return r; /* not a peer's view: a Tessera bug, but never a ring */
	all = (1u << nr_peers) - 1;
	if (a->offset != TESSERA_SHMEM_DB_RING || a->size != 4)
		return r;
	if (!a->write) {
		r.read_value = self;
		if (notify_on_read)
			r.ring = all & ~(1u << self);
		return r;
	}
	if ((uint32_t)a->value == a->value && a->value < nr_peers && a->value != self)
		r.ring = 1u << a->value;
	return r;
}
