/*
 * Shared memory between partitions: the regions' memory, their place in each
 * peer's EPT, and the doorbells (shmem.h, docs/shmem.md).
 */
#include "hv/partition/shmem.h"
#include "guest-abi/tessera.h"
#include "hv/partition/partition.h"
#include "hv/hypercall/guest_buffer.h"
#include "hv/vlapic/vapic.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

static struct shmem_region regions[CONFIG_MAX_SHMEM];

void shmem_alloc_all(const struct tessera_config *cfg)
{
	for (uint32_t r = 0; r < cfg->nr_shmem; r++) {
		const struct config_shmem *c = &cfg->shmem[r];
		uint64_t align = c->size >= 2 * MiB ? 2 * MiB : PAGE_SIZE;

		regions[r].cfg = c;
		regions[r].hpa =
		    pa_alloc(hv_page_allocator(), c->size / PAGE_SIZE, align, PA_NO_LIMIT);
		if (!regions[r].hpa) {
			log_err("shmem %s: cannot allocate %llu KiB: its peers do not start",
				c->name, (unsigned long long)(c->size / KiB));
			continue;
		}
		memset((void *)(uintptr_t)regions[r].hpa, 0, c->size);
		log_info("shmem %s: %llu KiB at host %#llx, %u peers%s", c->name,
			 (unsigned long long)(c->size / KiB), (unsigned long long)regions[r].hpa,
			 c->nr_peers, c->notify_on_read ? ", notify on read" : "");
	}
}

int shmem_map(struct partition *p, const char **why)
{
	const struct tessera_config *cfg = config_get();

	p->nr_shmem = 0;
	for (uint32_t r = 0; r < cfg->nr_shmem; r++) {
		const struct config_shmem *c = &cfg->shmem[r];

		for (uint32_t k = 0; k < c->nr_peers; k++) {
			const struct config_shmem_peer *pe = &c->peers[k];

			if (pe->partition != p->id)
				continue;
			if (!regions[r].hpa) {
				*why = "a shared-memory region has no memory";
				return -1;
			}
			/* Data only: never executable, writable only for rw peers. */
			if (ept_map(&p->ept, pe->gpa, regions[r].hpa, c->size,
				    pe->access == CONFIG_SHMEM_RW ? EPT_READ | EPT_WRITE : EPT_READ,
				    EPT_MEMTYPE_WB)) {
				*why = "cannot map a shared-memory region in the EPT";
				return -1;
			}
			p->shmem[p->nr_shmem++] = (struct partition_shmem){r, k};
		}
	}
	return 0;
}

void shmem_describe(struct partition *p)
{
	const struct tessera_config *cfg = config_get();

	p->acpi.nr_shmem = p->nr_shmem;
	for (uint32_t i = 0; i < p->nr_shmem; i++) {
		const struct config_shmem *c = &cfg->shmem[p->shmem[i].region];
		const struct config_shmem_peer *pe = &c->peers[p->shmem[i].self];

		p->acpi.shmem[i] = (struct guest_acpi_shmem){
		    .gpa = pe->gpa, .size = c->size, .writable = pe->access == CONFIG_SHMEM_RW};
	}
}

void shmem_partition_reset(struct partition *p)
{
	for (uint32_t i = 0; i < p->nr_shmem; i++)
		__atomic_store_n(&regions[p->shmem[i].region].peers[p->shmem[i].self].route, 0,
				 __ATOMIC_SEQ_CST);
}

long shmem_list(struct partition *p, uint64_t gpa, uint64_t count)
{
	struct tessera_shmem_region out[TESSERA_SHMEM_MAX];

	count = MIN(count, (uint64_t)p->nr_shmem);
	for (uint32_t i = 0; i < count; i++) {
		const struct config_shmem *c = regions[p->shmem[i].region].cfg;
		const struct config_shmem_peer *me = &c->peers[p->shmem[i].self];

		memset(&out[i], 0, sizeof(out[i]));
		str_copy(out[i].name, c->name, sizeof(out[i].name));
		out[i].gpa = me->gpa;
		out[i].size = c->size;
		out[i].doorbell_gpa = me->gpa + c->size;
		out[i].flags = (me->access == CONFIG_SHMEM_RW ? TESSERA_SHMEM_WRITABLE : 0) |
			       (c->notify_on_read ? TESSERA_SHMEM_NOTIFY_ON_READ : 0);
		out[i].self = (uint16_t)p->shmem[i].self;
		out[i].nr_peers = (uint16_t)c->nr_peers;
		for (uint32_t k = 0; k < c->nr_peers; k++)
			out[i].peer_partition[k] = c->peers[k].partition;
	}
	if (!copy_to_guest(p, gpa, out, count * sizeof(out[0])))
		return TESSERA_E_FAULT;
	return p->nr_shmem;
}

long shmem_set_vector(struct vcpu *v, uint64_t index, uint64_t vector)
{
	struct partition *p = v->part;

	if (index >= p->nr_shmem)
		return TESSERA_E_INVAL;
	__atomic_store_n(&regions[p->shmem[index].region].peers[p->shmem[index].self].route,
			 vector ? SHMEM_ROUTE(v->index, vector) : 0, __ATOMIC_SEQ_CST);
	return 0;
}

/*
 * One doorbell for peer k of region r. Coalesced when the target has no
 * route, is not running, or the vector is still requested in its
 * posted-interrupt descriptor (a notification is on its way or being
 * processed: it carries this ring too). A vector already in the target's
 * virtual IRR is posted again: the notification costs the target no exit
 * and it takes one interrupt either way, and a HLT in guest mode that began
 * with the vector pending (Bochs does not end it) is ended by it.
 */
static long ring(struct vcpu *from, struct shmem_region *r, uint32_t k)
{
	struct shmem_peer_state *ps = &r->peers[k];
	uint32_t route = __atomic_load_n(&ps->route, __ATOMIC_SEQ_CST);
	struct partition *tp = &partitions[r->cfg->peers[k].partition];
	uint8_t vector = (uint8_t)route;
	struct vcpu *t;

	if (!route || tp->state != PARTITION_RUNNING || (route >> 8) >= tp->nr_vcpus)
		goto coalesced;
	t = tp->vcpus[route >> 8];
	if (__atomic_load_n(&t->apic.pi->pir[vector / 32], __ATOMIC_SEQ_CST) &
	    (1u << (vector % 32)))
		goto coalesced;
	vapic_post(from, t, vector);
	__atomic_fetch_add(&ps->rung, 1, __ATOMIC_RELAXED);
	return TESSERA_SHMEM_RUNG;
coalesced:
	__atomic_fetch_add(&ps->coalesced, 1, __ATOMIC_RELAXED);
	return TESSERA_SHMEM_COALESCED;
}

long shmem_notify(struct vcpu *v, uint64_t index, uint64_t peer)
{
	struct partition *p = v->part;
	struct shmem_region *r;

	if (index >= p->nr_shmem)
		return TESSERA_E_INVAL;
	r = &regions[p->shmem[index].region];
	if (peer >= r->cfg->nr_peers || peer == p->shmem[index].self)
		return TESSERA_E_INVAL;
	return ring(v, r, (uint32_t)peer);
}

void shmem_ring_mask(struct vcpu *v, uint32_t index, uint32_t mask)
{
	struct shmem_region *r = &regions[v->part->shmem[index].region];

	for (uint32_t k = 0; k < r->cfg->nr_peers; k++)
		if (mask & (1u << k))
			ring(v, r, k);
}

/* p's view of the region whose span [gpa, gpa + size + doorbell page) holds gpa, or -1. */
int shmem_find(struct partition *p, uint64_t gpa)
{
	for (uint32_t i = 0; i < p->nr_shmem; i++) {
		const struct config_shmem *c = regions[p->shmem[i].region].cfg;
		uint64_t base = c->peers[p->shmem[i].self].gpa;

		if (gpa - base < c->size + CONFIG_SHMEM_DOORBELL_SZ)
			return (int)i;
	}
	return -1;
}

const struct config_shmem *shmem_config(struct partition *p, uint32_t index)
{
	return regions[p->shmem[index].region].cfg;
}

void shmem_print_stats(struct partition *p)
{
	for (uint32_t i = 0; i < p->nr_shmem; i++) {
		const struct shmem_region *r = &regions[p->shmem[i].region];
		const struct shmem_peer_state *ps = &r->peers[p->shmem[i].self];

		log_info("partition %s: shmem %s: doorbells to it %llu rung, %llu coalesced",
			 p->name, r->cfg->name, (unsigned long long)ps->rung,
			 (unsigned long long)ps->coalesced);
	}
}
