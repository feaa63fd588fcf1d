/*
 * A partition's EPT protections (docs/memory-protection.md): the execute-only
 * alias of its RAM (xom = on | user, hv/partition/xom.c) and sub-page write
 * protection with its reports (hv/partition/spp.c). The rules are pure, in
 * hv/policy/memprot_check.c; the tables are arch/x86/mm/ept.c and spp.c.
 */
#ifndef TESSERA_HV_PARTITION_MEMPROT_H
#define TESSERA_HV_PARTITION_MEMPROT_H

#include "lib/types.h"
#include "lib/spinlock.h"
#include "arch/x86/mm/spp.h"
#include "guest-abi/tessera.h"

struct partition;
struct vcpu;
enum exit_action;

/* Table pages a partition may add for SPP (EPT splits and SPP tables), taken at first use. */
#define MEMPROT_POOL_PAGES 48

struct memprot {
	unsigned xom_bit;  /* the alias bit, 0 without xom */
	uint64_t gpa_mask; /* ~2^xom_bit, or ~0: what GPA users apply first */
	bool spp;	   /* every CPU has SPP: the table is in use, the control on */
	bool ve_hw;	   /* every CPU has EPT-violation #VE */
	struct spp_table sppt;
	spinlock_t lock; /* SPP_SET calls take turns; protects all below */
	uint64_t pool;	 /* MEMPROT_POOL_PAGES pages, 0 until the first protection */
	uint32_t pool_used;
	uint32_t nr_pages; /* protected pages, each 4 KiB aligned */
	uint64_t pages[TESSERA_SPP_MAX_PAGES];
};

/*
 * Partition build, after the vCPUs are assigned and before the RAM is mapped:
 * checks xom against the CPUs (a clear line and -1 when they lack it) and
 * chooses the alias; sets up SPP where every CPU has it. 0 or -1 (logged).
 */
int memprot_build(struct partition *p);
/* Maps one RAM region: with xom its alias too. 0 or -1. */
int memprot_map_region(struct partition *p, uint64_t gpa, uint64_t hpa, uint64_t size);
/* Every boot, on vCPU v (0) before it enters: no page is protected any more. */
void memprot_reset(struct vcpu *v);
/* Secondary controls the partition needs (MBEC, SPP) and the SPP table pointer. */
uint32_t memprot_secondary(const struct partition *p);
void memprot_setup_vmcs(struct vcpu *v);
/* Tessera's CPUID feature bits (TESSERA_FEAT_*) and leaf 0x40000101 ECX. */
uint32_t memprot_features(const struct partition *p);

/*
 * An EPT violation at gpa: an access through the alias (a #PF for the guest)
 * or a write to a protected sub-page (its report). True with *act; false:
 * neither, for the other handlers.
 */
bool xom_ept_violation(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act);
bool spp_ept_violation(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act);

/* Injects #PF(err) with CR2 from the violation (or #DF, during an event's delivery). */
void memprot_deliver_pf(struct vcpu *v, uint64_t qual, uint32_t err);

/* The hypercalls (arguments through hypercall_check()): results for RAX. */
long spp_set_call(struct vcpu *v, uint64_t gpa, uint64_t mask, uint64_t flags);
long spp_get_call(struct vcpu *v, uint64_t gpa);
long ve_info_call(struct vcpu *v, uint64_t gpa);

#endif
