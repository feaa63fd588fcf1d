/*
 * Tessera as a guest of Hyper-V (nested, as on Azure): what the machine's
 * CPUID says and what Tessera will use from it. Pure (host-tested): CPUID
 * comes from a callback, and only leaves that exist are asked for.
 *
 * Tessera uses one enlightenment: HvCallFlushGuestPhysicalAddressSpace/List
 * for its own EPT invalidations. It needs "Microsoft Hv" with the "Hv#1"
 * interface, the hypercall MSRs (privilege HV_MSR_HYPERCALL_AVAILABLE), the
 * nested enlightenments (recommendation HV_X64_ENLIGHTENED_VMCS_RECOMMENDED:
 * leaf 0x4000000A is meaningful) and the guest mapping flush feature
 * (0x4000000A EAX bit 18). Without any of them, INVEPT as on bare metal.
 */
#ifndef TESSERA_DRIVERS_HYPERV_NESTED_PLAN_H
#define TESSERA_DRIVERS_HYPERV_NESTED_PLAN_H

#include "lib/types.h"
#include "arch/x86/cpuid.h"

typedef struct cpuid_regs (*hyperv_cpuid_fn)(void *opaque, uint32_t leaf);

struct hyperv_nested_plan {
	bool hypervisor; /* CPUID.1:ECX.hypervisor */
	bool hyperv;	 /* "Microsoft Hv" and "Hv#1" */
	char vendor[13]; /* the 0x40000000 signature, when a hypervisor is there */
	uint32_t max_leaf, build, version; /* version: major << 16 | minor */
	uint32_t privileges;		   /* 0x40000003 EAX */
	uint32_t recommendations;	   /* 0x40000004 EAX */
	uint32_t nested_features;	   /* 0x4000000A EAX, 0 when not meaningful */
	bool hypercall_msrs;		   /* GUEST_OS_ID and HYPERCALL may be written */
	bool gpa_flush;			   /* what Tessera will use for EPT invalidations */
	const char *why_not;		   /* gpa_flush false: the reason, for the boot line */
};

/* Fills *p from the CPUID that leaf_fn() answers. */
void hyperv_nested_plan(hyperv_cpuid_fn leaf_fn, void *opaque, struct hyperv_nested_plan *p);

/* The boot line: what was found and what Tessera will use. Returns snprintf's count. */
int hyperv_nested_describe(const struct hyperv_nested_plan *p, char *buf, size_t size);

/*
 * Tessera's GUEST_OS_ID: the TLFS's open-source layout, OS type 0 (Microsoft
 * has allocated none to Tessera), OS ID 0x54 ('T'), the guest ABI version.
 */
#define TESSERA_HV_OS_ID 0x54u
uint64_t hyperv_nested_guest_os_id(uint32_t version);

/*
 * A rep hypercall returned `result` for input value *control (rep count
 * `reps`): 0 when every rep is done, 1 when some remain (then *control's rep
 * start index is moved to the first one not done: issue it again), -1 on a
 * failure status or a return that made no progress.
 */
int hyperv_rep_continue(uint64_t *control, uint64_t result, uint32_t reps);

#endif
