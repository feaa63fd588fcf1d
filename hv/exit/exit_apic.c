/*
 * vLAPIC exits of xAPIC mode. APIC-register virtualization serves most
 * accesses to the APIC window from the virtual-APIC page; what it does not:
 *   - APIC-write (trap-like): a write landed in the virtual-APIC page and the
 *     register's side effects are ours (ICR, LVTs, timer, SVR, ESR...);
 *   - APIC access (fault-like): an access APICv does not virtualize, e.g. a
 *     read of the timer's current count. The exit gives the offset, not the
 *     data: the MOV at the guest's RIP is read through its page tables and
 *     decoded (arch/x86/insn_decode.c), then emulated by the model;
 *   - EOI-induced: the EOI of a vector the vIOAPIC's level entries use (their
 *     Remote IRR; partition_irq.h), the only vectors in the EOI-exit bitmap.
 */
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/partition/partition_irq.h"
#include "hv/vlapic/vapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/insn_decode.h"
#include "arch/x86/mm/guest_walk.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_exit.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/string.h"

#define APIC_ACCESS_OFFSET(q) ((uint32_t)(q)&0xfff)
#define APIC_ACCESS_TYPE(q)   (((uint32_t)(q) >> 12) & 0xf)
#define APIC_ACCESS_READ      0 /* linear access for a data read */
#define APIC_ACCESS_WRITE     1 /* linear access for a data write */

enum exit_action handle_apic_write(struct vcpu *v)
{
	uint32_t off = APIC_ACCESS_OFFSET(vmread(EXIT_QUALIFICATION)) & ~0xfu;
	struct vlapic_effect e;

	vtimer_sync(v);
	e = vlapic_mmio_write(&v->apic.lapic, off, vlapic_reg(&v->apic.lapic, off), vapic_now(v));

	vapic_apply(v, &e);
	return EXIT_RESUME; /* trap-like: RIP is already past the write */
}

static bool read_guest(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	void *hva = gpa_to_hva(ctx, gpa, len);

	if (!hva)
		return false;
	memcpy(buf, hva, len);
	return true;
}

/* The bytes at the guest's RIP (up to 15, not crossing into a page it lacks). */
static size_t fetch_insn(struct vcpu *v, uint8_t *buf)
{
	struct guest_paging pg = {vmread(GUEST_CR0), vmread(GUEST_CR3), vmread(GUEST_CR4),
				  vmread(GUEST_IA32_EFER)};
	uint64_t la = vmread(GUEST_CS_BASE) + vmread(GUEST_RIP), gpa;
	size_t got = 0;

	while (got < INSN_MAX_LEN) {
		size_t chunk = MIN(INSN_MAX_LEN - got, PAGE_SIZE - ((la + got) & (PAGE_SIZE - 1)));

		if (guest_walk(&pg, la + got, read_guest, v->part, &gpa) ||
		    !read_guest(v->part, gpa, buf + got, chunk))
			break;
		got += chunk;
	}
	return got;
}

static enum insn_cpu_mode cpu_mode(void)
{
	uint32_t cs_ar = (uint32_t)vmread(GUEST_CS_AR_BYTES);

	if ((vmread(GUEST_IA32_EFER) & EFER_LMA) && (cs_ar & VMX_AR_L))
		return INSN_MODE_64;
	return (cs_ar & VMX_AR_DB) && (vmread(GUEST_CR0) & CR0_PE) ? INSN_MODE_32 : INSN_MODE_16;
}

int guest_mov_at_rip(struct vcpu *v, struct insn_mov *m)
{
	uint8_t buf[INSN_MAX_LEN];
	size_t n = fetch_insn(v, buf);

	return insn_decode_mov(buf, n, cpu_mode(), m);
}

static enum exit_action emulate_access(struct vcpu *v, uint32_t off, bool write)
{
	uint8_t buf[INSN_MAX_LEN];
	size_t n = fetch_insn(v, buf);
	struct insn_mov m;

	if (insn_decode_mov(buf, n, cpu_mode(), &m) || m.size != 4 || (off & 3) ||
	    write != (m.kind != INSN_MOV_LOAD)) {
		partition_crash(v,
				"APIC access at offset %#x that is not a 32-bit MOV (%zu bytes "
				"at RIP: %02x %02x %02x)",
				off, n, n > 0 ? buf[0] : 0, n > 1 ? buf[1] : 0, n > 2 ? buf[2] : 0);
		return EXIT_STOP;
	}
	if (!write) {
		vcpu_set_gpr(v, m.reg, vlapic_mmio_read(&v->apic.lapic, off, vapic_now(v)));
	} else {
		uint32_t value =
		    (uint32_t)(m.kind == INSN_MOV_STORE_IMM ? m.imm : vcpu_gpr(v, m.reg));
		struct vlapic_effect e;

		vtimer_sync(v);
		e = vlapic_mmio_write(&v->apic.lapic, off, value, vapic_now(v));

		if (vapic_apply(v, &e))
			return EXIT_RESUME;
	}
	vcpu_skip_bytes(v, m.len);
	return EXIT_RESUME;
}

enum exit_action handle_apic_access(struct vcpu *v)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	uint32_t type = APIC_ACCESS_TYPE(q);

	if (type == APIC_ACCESS_READ || type == APIC_ACCESS_WRITE)
		return emulate_access(v, APIC_ACCESS_OFFSET(q), type == APIC_ACCESS_WRITE);
	reinject_vectoring_event(v);
	partition_crash(v,
			"APIC-access exit of type %u at offset %#x (an instruction fetch or "
			"an event delivery through the APIC window)",
			type, APIC_ACCESS_OFFSET(q));
	return EXIT_STOP;
}

/*
 * A moved xAPIC window (IA32_APIC_BASE relocated away from 0xfee00000) is not
 * mapped in the EPT: the partition's one APIC-access page stays at the default
 * base for the vCPUs that keep it, and "virtualize APIC accesses" is off for a
 * vCPU whose window moved (vapic.c). Its accesses to the new window fault
 * here and are emulated like APIC-access exits: slower, but a relocated APIC
 * is rare (kvm-unit-tests' apicbase test), and the EPT never changes, so a
 * guest relocating at will costs Tessera no memory and its siblings nothing.
 */
bool apic_window_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act)
{
	const struct vlapic *l = &v->apic.lapic;
	uint64_t base = vlapic_mmio_base(l);

	if (!vlapic_hw_enabled(l) || vlapic_x2apic(l) || base == APIC_BASE_DEFAULT ||
	    gpa - base >= PAGE_SIZE || (qual & EPT_VIOL_FETCH) ||
	    (vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID))
		return false; /* not the window, or not a data access an instruction made */
	*act = emulate_access(v, (uint32_t)(gpa - base), qual & EPT_VIOL_WRITE);
	return true;
}

/* The EOI of a vector in the EOI-exit bitmap (a vIOAPIC level entry's), already virtualized. */
enum exit_action handle_eoi_induced(struct vcpu *v)
{
	partition_irq_eoi(v, (uint8_t)(vmread(EXIT_QUALIFICATION) & 0xff));
	return EXIT_RESUME;
}
