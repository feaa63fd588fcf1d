/*
 * What an access to a shared-memory doorbell page means (docs/shmem.md,
 * guest-abi/tessera.h). Pure: the exit handler decodes the guest's MOV and
 * hands the offset, size, direction and value here; the answer is which
 * peers to ring and what a read returns. Every field is the guest's choice.
 */
#ifndef TESSERA_HV_POLICY_SHMEM_DOORBELL_H
#define TESSERA_HV_POLICY_SHMEM_DOORBELL_H

#include "lib/types.h"
#include "guest-abi/tessera.h"

struct shmem_db_access {
	uint64_t offset; /* in the doorbell page, 0..4095 */
	uint8_t size;	 /* 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /* what a write writes */
};

struct shmem_db_result {
	uint32_t ring; /* bit k: ring peer k */
	uint64_t read_value;
};

/*
 * The access of peer `self` of a region of nr_peers peers
 * (2..TESSERA_SHMEM_MAX_PEERS), whose reads ring the others when
 * notify_on_read. A write of peer k's index to TESSERA_SHMEM_DB_RING (32 bits)
 * rings k, unless k is the writer or no peer; a 32-bit read there returns
 * `self`. Anything else reads 0 and writes nothing.
 */
struct shmem_db_result shmem_doorbell_decode(const struct shmem_db_access *a, uint32_t self,
					     uint32_t nr_peers, bool notify_on_read);

#endif
