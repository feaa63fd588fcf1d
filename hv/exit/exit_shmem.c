/*
 * EPT violations in shared memory (docs/shmem.md): the doorbell page after
 * each region is mapped nowhere, so every access to it lands here and is
 * emulated: the guest's MOV is decoded (as for the APIC window), the access
 * judged by hv/policy/shmem_doorbell.c, the peers rung, a read answered.
 * In the region itself only what the EPT refuses lands here: a write by a
 * read-only peer, or an instruction fetch. Both stop the partition.
 */
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/policy/shmem_doorbell.h"
#include "arch/x86/insn_decode.h"
#include "arch/x86/vmx/vmx_exit.h"

static enum exit_action doorbell(struct vcpu *v, uint32_t index, uint64_t offset)
{
	const struct config_shmem *c = shmem_config(v->part, index);
	uint32_t self = v->part->shmem[index].self;
	struct shmem_db_access a;
	struct shmem_db_result r;
	struct insn_mov m;

	if (guest_mov_at_rip(v, &m)) {
		partition_crash(v, "access to the doorbell page of shmem %s that is not a MOV",
				c->name);
		return EXIT_STOP;
	}
	a = (struct shmem_db_access){offset, m.size, m.kind != INSN_MOV_LOAD, 0};
	if (a.write)
		a.value = mmio_store_value(v, &m);
	r = shmem_doorbell_decode(&a, self, c->nr_peers, c->notify_on_read == CONFIG_ON);
	if (!a.write)
		mmio_load_result(v, &m, r.read_value);
	if (r.ring)
		shmem_ring_mask(v, index, r.ring);
	vcpu_skip_bytes(v, m.len);
	return EXIT_RESUME;
}

bool shmem_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act)
{
	int i = shmem_find(v->part, gpa);
	const struct config_shmem *c;
	uint64_t offset;

	if (i < 0)
		return false;
	c = shmem_config(v->part, (uint32_t)i);
	offset = gpa - c->peers[v->part->shmem[i].self].gpa;
	if (offset >= c->size && !(qual & EPT_VIOL_FETCH) &&
	    !(vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID)) {
		*act = doorbell(v, (uint32_t)i, offset - c->size);
		return true;
	}
	reinject_vectoring_event(v);
	partition_crash(v, "%s shared memory %s at GPA %#llx (offset %#llx): %s",
			qual & EPT_VIOL_FETCH	? "instruction fetch from"
			: qual & EPT_VIOL_WRITE ? "write to"
						: "access to",
			c->name, (unsigned long long)gpa, (unsigned long long)offset,
			offset >= c->size	? "its doorbell page is not memory"
			: qual & EPT_VIOL_FETCH ? "shared memory is never executable"
			: qual & EPT_VIOL_WRITE ? "this partition may only read it"
						: "refused");
	*act = EXIT_STOP;
	return true;
}
