/*
 * The Hyper-V interface of a partition with `hyperv = on` (docs/hyperv.md):
 * its state, built with the partition and reset at every boot, and the entry
 * points the exit handlers call. The rules are pure and host-tested in
 * hv/policy/ (hyperv_offer, hyperv_msr, hyperv_time, hyperv_decode,
 * tlb_flush_plan); this folder applies them to the partition's vCPUs, RAM and
 * VMCSs.
 */
#ifndef TESSERA_HV_HYPERV_H
#define TESSERA_HV_HYPERV_H

#include "lib/types.h"
#include "lib/spinlock.h"
#include "hv/policy/hyperv_offer.h"
#include "hv/policy/hyperv_msr.h"
#include "hv/policy/hyperv_time.h"
#include "hv/hypercall/hypercall.h"
#include "hv/vlapic/vlapic_dest.h"

struct partition;
struct vcpu;

/* Its VPs are the vLAPICs' vCPUs: the IPI and flush sets are the same 64-bit masks. */
#define HYPERV_MAX_VPS VLAPIC_MAX_VCPUS

struct hyperv {
	spinlock_t lock;			   /* msrs, and the pages they point at */
	struct hv_partition_msrs msrs;		   /* GUEST_OS_ID, HYPERCALL, REFERENCE_TSC */
	struct hv_vp_msrs vp_msrs[HYPERV_MAX_VPS]; /* each VP's: VP_ASSIST_PAGE */
	struct hv_offer offer;
	struct hv_cpuid cpuid;	   /* the leaves 0x40000000-0x40000006, built once */
	struct hv_ref_clock clock; /* in the partition's TSC: 0 at boot_tsc */
	uint64_t tsc_hz;
};

/* Build time: the state of a partition whose config says hyperv = on (else nothing). 0 or -1. */
int hyperv_build(struct partition *p);
/*
 * The guest pages Tessera writes for the partition's Hyper-V interface (the
 * hypercall page, the reference TSC page) while enabled: at most
 * HYPERV_SHARED_PAGES_MAX into out; how many.
 */
#define HYPERV_SHARED_PAGES_MAX 2
uint32_t hyperv_shared_pages(struct partition *p, uint64_t *out);
/* Every boot, before vCPU 0 enters: the synthetic MSRs as at power-up. */
void hyperv_reset(struct partition *p);
/* Logs the leaves the partition is offered, one line each. */
void hyperv_print_offer(const struct partition *p);

/* CPUID 0x40000000-0x40000006 of a Hyper-V partition: true with *r set. */
bool hyperv_cpuid(const struct vcpu *v, uint32_t leaf, struct cpuid_regs *r);

/* RDMSR/WRMSR of a synthetic MSR (hv_msr_is_synthetic) on a Hyper-V partition; false: #GP. */
bool hyperv_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value);
bool hyperv_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);

/* VMCALL on a Hyper-V partition: Hyper-V's once the guest enabled its page, else Tessera's. */
extern const struct hypercall_iface hyperv_hypercall_iface;

/* The reference time now, 100 ns units since the partition's boot. */
uint64_t hyperv_ref_time(const struct partition *p);

/* The calls (hv_flush.c, hv_ipi.c): a decoded call and its input, the result value for RAX. */
struct hv_call;
struct hv_input {
	const uint8_t *blk;  /* a copy of the fixed and variable headers */
	size_t len;	     /* their bytes */
	const uint8_t *reps; /* the rep elements (guest RAM or the register copy): read each once */
};

/* Reps one exit processes at most; a longer call resumes (hv_hypercall.c). */
#define HV_REPS_PER_EXIT 64u
uint64_t hyperv_flush(struct vcpu *v, const struct hv_call *c, const struct hv_input *in,
		      uint16_t *reps_done);
uint64_t hyperv_ipi(struct vcpu *v, const struct hv_call *c, const struct hv_input *in);

#endif
