/*
 * VM-exit handling: one handler per basic exit reason, in a table
 * (hv/exit/vmexit.c). Each returns an enum exit_action; the run loop (hv/vcpu/run.c)
 * does what it asks, for EXIT_ADVANCE in one place: vcpu_skip_instruction()
 * (hv/vcpu/step.h).
 */
#ifndef TESSERA_HV_VMEXIT_H
#define TESSERA_HV_VMEXIT_H

#include "hv/vcpu/vcpu.h"
#include "hv/vcpu/step.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "arch/x86/exception.h" /* EXC_*: the vectors to inject */

typedef enum exit_action (*exit_handler_t)(struct vcpu *v);

/* Indexed by the basic exit reason; every entry is set (handle_unknown unless named). */
extern const exit_handler_t exit_handlers[EXIT_REASON_MAX];
/* An exit Tessera does not handle, or a reason beyond the table: crashes the partition. */
enum exit_action handle_unknown(struct vcpu *v);

/* Handlers living in their own files. */
enum exit_action handle_cpuid(struct vcpu *v);
enum exit_action handle_rdmsr(struct vcpu *v);
enum exit_action handle_wrmsr(struct vcpu *v);
enum exit_action handle_io(struct vcpu *v);
enum exit_action handle_cr_access(struct vcpu *v);
enum exit_action handle_xsetbv(struct vcpu *v);
enum exit_action handle_vmcall(struct vcpu *v);
enum exit_action handle_entry_failure(struct vcpu *v);
enum exit_action handle_nmi_window(struct vcpu *v);  /* hv/vlapic/vapic_events.c */
enum exit_action handle_apic_access(struct vcpu *v); /* hv/exit/exit_apic.c */
enum exit_action handle_apic_write(struct vcpu *v);
enum exit_action handle_eoi_induced(struct vcpu *v);
/*
 * An EPT violation at gpa: inside the vCPU's relocated xAPIC window (which
 * APICv does not serve), the access is emulated and *act says what next; true.
 * Anywhere else false: the access reached nothing.
 */
bool apic_window_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act);
struct insn_mov;
/* The MOV at the guest's RIP, read through its page tables and decoded: 0, or -1. */
int guest_mov_at_rip(struct vcpu *v, struct insn_mov *m);
/* An emulated MMIO load's value into the MOV's destination, as a load of its size would. */
void mmio_load_result(struct vcpu *v, const struct insn_mov *m, uint64_t value);
/* An emulated MMIO store's value, cut to the MOV's size. */
uint64_t mmio_store_value(struct vcpu *v, const struct insn_mov *m);
/* An EPT violation in the partition's vIOAPIC window (hv/exit/exit_mmio.c): emulated, true. */
bool ioapic_fault(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act);
enum exit_action handle_preemption_timer(struct vcpu *v); /* hv/vlapic/vtimer.c */

/* A VMLAUNCH/VMRESUME that failed (1 = VMfailValid, 2 = VMfailInvalid): log why, stop. */
void vmentry_failed(struct vcpu *v, int fail);

/* Events for the guest, delivered at the next VM entry (hv/vcpu/event.c). */
void inject_exception(struct vcpu *v, uint8_t vector);
void inject_exception_code(struct vcpu *v, uint8_t vector, uint32_t error_code);
/*
 * If the exit interrupted the delivery of an event (IDT-vectoring information
 * valid), arranges for it to be delivered again at the next entry.
 */
void reinject_vectoring_event(struct vcpu *v);

/* The guest's current privilege level (SS.DPL). */
static inline unsigned guest_cpl(void)
{
	return (unsigned)(vmread(GUEST_SS_AR_BYTES) >> 5) & 3;
}

#endif
