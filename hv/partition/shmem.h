/*
 * Shared memory between partitions, with doorbells (docs/shmem.md). Each
 * [shmem NAME] region of the config is one block of host memory, allocated
 * and zeroed once at boot and never again (a peer's restart keeps it: the
 * other peers may still be using it), mapped into each peer's EPT at that
 * peer's address, read-write or read-only and never executable. Right after
 * it, in each peer, lies its doorbell page, mapped nowhere: every access
 * exits and is emulated (hv/exit/exit_shmem.c).
 *
 * A doorbell raises, as a posted interrupt, the vector its receiving peer
 * chose (TESSERA_HC_SHMEM_VECTOR, on the vCPU that made the call). A ring
 * whose vector is still pending at the target (requested in its PIR or in
 * its virtual IRR) is coalesced: no notification, no work on the target's
 * CPU. So a peer is interrupted at most once per interrupt it has taken,
 * however fast the others ring, and a ring reaches nobody but the CPU of
 * the vCPU that asked for it.
 */
#ifndef TESSERA_HV_PARTITION_SHMEM_H
#define TESSERA_HV_PARTITION_SHMEM_H

#include "lib/types.h"
#include "hv/partition/partition_config.h"
#include "hv/vcpu/vcpu.h" /* enum exit_action */

struct partition;
struct vcpu;

/* Where a peer's doorbells go: vector | vCPU index << 8, 0 for nowhere. One word, atomic. */
#define SHMEM_ROUTE(vcpu, vector) ((uint32_t)(vector) | (uint32_t)(vcpu) << 8)

struct shmem_peer_state {
	volatile uint32_t route;
	uint64_t rung, coalesced; /* doorbells for this peer (atomic adds) */
};

struct shmem_region {
	const struct config_shmem *cfg;
	uint64_t hpa; /* 0: not allocated (no memory): its peers do not start */
	struct shmem_peer_state peers[CONFIG_MAX_SHMEM_PEERS];
};

/* A partition's view of one region: which, and its own index among the peers. */
struct partition_shmem {
	uint32_t region;
	uint32_t self;
};

/* At boot, before the partitions are built: every region's memory. */
void shmem_alloc_all(const struct tessera_config *cfg);
/* Build time: p's regions into its EPT and into p->shmem. 0, or -1 (logged by the caller). */
int shmem_map(struct partition *p, const char **why);
/* Build time, after partition_irq_build: p's regions into its guest ACPI tables (p->acpi). */
void shmem_describe(struct partition *p);
/* Every boot of p: its peers' doorbells have no route into it until it chooses one again. */
void shmem_partition_reset(struct partition *p);

/* The hypercalls (guest-abi/tessera.h), arguments already range-checked by hypercall_check. */
long shmem_list(struct partition *p, uint64_t gpa, uint64_t count);
long shmem_set_vector(struct vcpu *v, uint64_t index, uint64_t vector);
long shmem_notify(struct vcpu *v, uint64_t index, uint64_t peer);
/* Rings peers `mask` (bit k: peer k) of p's region `index` from vCPU v. */
void shmem_ring_mask(struct vcpu *v, uint32_t index, uint32_t mask);

/* Which of p's regions holds gpa in its span (the region and its doorbell page), or -1. */
int shmem_find(struct partition *p, uint64_t gpa);
const struct config_shmem *shmem_config(struct partition *p, uint32_t index);

/*
 * An EPT violation at gpa of one of p's regions or doorbell pages: emulated
 * (a doorbell) or the partition stopped (a write to a read-only region, a
 * fetch), with *act; true. false: not shared memory.
 */
bool shmem_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act);
/* The doorbells rung for p's regions, for the exit statistics. */
void shmem_print_stats(struct partition *p);

#endif
