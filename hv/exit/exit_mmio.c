/*
 * Emulated MMIO: the MOV helpers the doorbell pages (exit_shmem.c) and the
 * vIOAPIC window share, and the vIOAPIC's EPT violations. The window at
 * IOAPIC_BASE_DEFAULT is mapped nowhere in a partition with `ioapic = on`, so
 * each access faults here: the guest's MOV is decoded, the access is given to
 * the register model (hv/dev/vioapic.c, through hv/partition/partition_irq.c),
 * a read's value goes to the MOV's register. A fetch from the window, or an
 * access that is not a MOV, stops the partition.
 */
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/partition/partition_irq.h"
#include "arch/x86/insn_decode.h"
#include "arch/x86/vmx/vmx_exit.h"

/* A read's value into the MOV's destination register, as a load of that size would. */
void mmio_load_result(struct vcpu *v, const struct insn_mov *m, uint64_t value)
{
	uint64_t old = vcpu_gpr(v, m->reg);

	switch (m->size) {
	case 1:
		if (m->high_byte)
			vcpu_set_gpr(v, m->reg - 4,
				     (vcpu_gpr(v, m->reg - 4) & ~0xff00ull) | (value & 0xff) << 8);
		else
			vcpu_set_gpr(v, m->reg, (old & ~0xffull) | (value & 0xff));
		break;
	case 2:
		vcpu_set_gpr(v, m->reg, (old & ~0xffffull) | (value & 0xffff));
		break;
	default: /* a 32-bit load zero-extends, as does this 64-bit one */
		vcpu_set_gpr(v, m->reg, m->size == 4 ? (uint32_t)value : value);
		break;
	}
}

uint64_t mmio_store_value(struct vcpu *v, const struct insn_mov *m)
{
	uint64_t value = m->kind == INSN_MOV_STORE_IMM ? m->imm : vcpu_gpr(v, m->reg);

	if (m->kind == INSN_MOV_STORE && m->size == 1 && m->high_byte)
		value = vcpu_gpr(v, m->reg - 4) >> 8;
	return m->size == 8 ? value : value & ((1ull << (8 * m->size)) - 1);
}

bool ioapic_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act)
{
	struct vioapic_access a;
	struct insn_mov m;
	uint64_t off = gpa - IOAPIC_BASE_DEFAULT;

	if (!v->part->ioapic_on || off >= VIOAPIC_SIZE)
		return false;
	if ((qual & EPT_VIOL_FETCH) || (vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID) ||
	    guest_mov_at_rip(v, &m) || off + m.size > VIOAPIC_SIZE) {
		reinject_vectoring_event(v);
		partition_crash(v, "%s the IOAPIC window at GPA %#llx that is not a MOV",
				qual & EPT_VIOL_FETCH ? "instruction fetch from" : "access to",
				(unsigned long long)gpa);
		*act = EXIT_STOP;
		return true;
	}
	a = (struct vioapic_access){(uint32_t)off, m.size, m.kind != INSN_MOV_LOAD, 0};
	if (a.write)
		a.value = mmio_store_value(v, &m);
	a.value = partition_ioapic_access(v, &a);
	if (!a.write)
		mmio_load_result(v, &m, a.value);
	vcpu_skip_bytes(v, m.len);
	*act = EXIT_RESUME;
	return true;
}
