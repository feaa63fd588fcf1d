/*
 * The virtual local APIC of one vCPU: the architectural register model (SDM
 * vol. 3A, chapter 11), pure and host-tested. Its registers live in the
 * virtual-APIC page at their xAPIC offsets, the layout APICv hardware reads and
 * writes, so the software model and the hardware share one copy of the state.
 *
 * Time is the guest's TSC, passed in by the caller. The APIC timer counts at
 * the TSC rate divided by the divide configuration: one timer tick of divide 1
 * is one TSC tick (a guest calibrates its APIC timer, or is told the rate).
 *
 * Every access is hostile input: offsets and values are checked here. A
 * write returns what the caller must do next (send an IPI, deliver an error
 * interrupt, re-arm the timer, raise #GP); this file never acts on others.
 * The caller serialises accesses to one vLAPIC.
 */
#ifndef TESSERA_HV_VLAPIC_VLAPIC_H
#define TESSERA_HV_VLAPIC_VLAPIC_H

#include "lib/types.h"
#include "arch/x86/apic.h"

#define VLAPIC_VERSION	 0x14u /* an integrated APIC, as current Intel CPUs report */
#define VLAPIC_NR_LVT	 7u    /* timer, thermal, PMC, LINT0, LINT1, error, CMCI */
#define VLAPIC_PAGE_SIZE 4096u

struct vlapic {
	uint32_t *page;		   /* the virtual-APIC page: 1024 32-bit words, register r at r/4 */
	uint32_t id;		   /* the virtual APIC ID: the vCPU's index in its partition */
	bool bsp;		   /* vCPU 0 */
	bool tsc_deadline;	   /* the TSC-deadline timer mode is offered (CPUID.1:ECX.24) */
	uint64_t apic_base;	   /* IA32_APIC_BASE as the guest sees it */
	uint32_t esr_pending;	   /* errors collected since the last ESR write */
	uint64_t timer_deadline;   /* TSC of the next timer interrupt, 0: not armed */
	uint64_t timer_period;	   /* TSC ticks per period (periodic and one-shot modes) */
	uint64_t tsc_deadline_msr; /* IA32_TSC_DEADLINE as written (TSC-deadline mode) */
	uint32_t timer_lvt_mode;   /* the LVT timer mode last applied: an APIC-write exit
				      finds the new value already in the page */
	uint64_t min_period;	   /* shortest periodic period (TSC ticks): a floor the
				      housekeeping CPU's load depends on */
};

/* What a write asks of the caller (a bit set; the fields below carry the data). */
enum {
	VLAPIC_DO_GP = BIT(0),	  /* refuse the access: #GP (x2APIC MSR rules) */
	VLAPIC_DO_IPI = BIT(1),	  /* send `icr` (an ICR write, or SELF_IPI as a self IPI) */
	VLAPIC_DO_TIMER = BIT(2), /* the timer deadline or LVT changed: re-arm (0 disarms) */
	VLAPIC_DO_EOI = BIT(3),	  /* an EOI retired `eoi_vector` (-1: nothing in service) */
	VLAPIC_DO_ERROR = BIT(4), /* an error was latched: deliver the LVT error vector */
	VLAPIC_DO_MODE = BIT(5),  /* IA32_APIC_BASE changed mode, base or enable */
	VLAPIC_DO_REEVAL =
	    BIT(6), /* TPR or SVR changed: pending interrupts may now be deliverable */
};
struct vlapic_effect {
	uint32_t what; /* VLAPIC_DO_* */
	uint64_t icr;  /* for VLAPIC_DO_IPI, in the current mode's layout: the destination in
			  bits 63:56 (xAPIC) or 63:32 (x2APIC) */
	int eoi_vector;
};

/* Power-up state (also after INIT and a hardware re-enable): SDM 11.4.7.1. */
void vlapic_reset(struct vlapic *v, uint32_t *page, uint32_t id, bool bsp, bool tsc_deadline);

bool vlapic_hw_enabled(const struct vlapic *v);
bool vlapic_sw_enabled(const struct vlapic *v);
bool vlapic_x2apic(const struct vlapic *v);
/* The xAPIC MMIO base the guest chose (IA32_APIC_BASE bits 51:12). */
uint64_t vlapic_mmio_base(const struct vlapic *v);

/* xAPIC MMIO: 32-bit accesses at `offset` within the 4 KiB page. Reads of holes are 0. */
uint32_t vlapic_mmio_read(struct vlapic *v, uint32_t offset, uint64_t now);
struct vlapic_effect vlapic_mmio_write(struct vlapic *v, uint32_t offset, uint32_t value,
				       uint64_t now);
/* x2APIC MSRs 0x800-0x8ff. false: #GP. */
bool vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *value);
struct vlapic_effect vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value, uint64_t now);
/* IA32_APIC_BASE writes, with the xAPIC/x2APIC transition rules. `maxphyaddr`: CPUID's. */
struct vlapic_effect vlapic_write_apic_base(struct vlapic *v, uint64_t value, unsigned maxphyaddr);

/* ---- Interrupts (vlapic_irq.c) ---- */
/* Accepts a fixed interrupt into IRR (TMR for level). false: not accepted (disabled). */
bool vlapic_accept(struct vlapic *v, uint8_t vector, bool level);
/* The vector the CPU would take now (highest IRR above PPR), or -1. */
int vlapic_pending(const struct vlapic *v);
/* Takes the pending vector: IRR -> ISR. Returns it, or -1. */
int vlapic_ack(struct vlapic *v);
/* EOI: retires the highest in-service vector, returns it (-1: none). */
int vlapic_eoi(struct vlapic *v);
uint32_t vlapic_ppr(const struct vlapic *v);
bool vlapic_in_irr(const struct vlapic *v, uint8_t vec);
bool vlapic_in_isr(const struct vlapic *v, uint8_t vec);
/* Latches error bits (ESR semantics) and says whether the error LVT wants delivering. */
bool vlapic_set_error(struct vlapic *v, uint32_t esr_bits);
struct pi_desc;
/* Posted requests into IRR (as edge-triggered); true if there were any. */
bool vlapic_merge_pir(struct vlapic *v, struct pi_desc *d);
/* RVI (bits 7:0) and SVI (bits 15:8) for virtual-interrupt delivery. */
uint16_t vlapic_intr_status(const struct vlapic *v);

/* ---- Timer (vlapic_timer.c) ---- */
uint32_t vlapic_timer_mode(const struct vlapic *v); /* APIC_LVT_TIMER_* */
/* The current count (TMCCT) at `now`. */
uint32_t vlapic_timer_current(const struct vlapic *v, uint64_t now);
/* Recomputes the deadline after a write to LVT timer, TMICT, TDCR or TSC_DEADLINE. */
void vlapic_timer_restart(struct vlapic *v, uint64_t now);
void vlapic_timer_write_tsc_deadline(struct vlapic *v, uint64_t value, uint64_t now);
/*
 * The deadline passed at `now`: advances a periodic timer to its next period
 * (skipping the ones missed), disarms the others. Returns the vector to deliver,
 * or -1 when the timer's LVT is masked (or it was not due).
 */
int vlapic_timer_expire(struct vlapic *v, uint64_t now);

/* ---- Shared by the vlapic_*.c files ---- */
void vlapic_reset_registers(struct vlapic *v);
void vlapic_set_mode_ids(struct vlapic *v);
/* Registers both modes write alike; false: `off` is none of them. */
bool vlapic_write_common(struct vlapic *v, uint32_t off, uint32_t value, uint64_t now,
			 struct vlapic_effect *e);
uint32_t vlapic_read_common(struct vlapic *v, uint32_t off, uint64_t now);

static inline uint32_t vlapic_reg(const struct vlapic *v, uint32_t offset)
{
	return v->page[offset / 4];
}

static inline void vlapic_set_reg(struct vlapic *v, uint32_t offset, uint32_t value)
{
	v->page[offset / 4] = value;
}

#endif
