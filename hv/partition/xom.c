/*
 * Execute-only memory (xom = on | user, docs/memory-protection.md): the
 * partition's RAM mapped a second time at GPA | 2^B, execute-only, where B is
 * the physical-address bit CPUID 0x80000008 no longer reports. A read or write
 * through the alias is an EPT violation that Tessera turns into the #PF the
 * guest's own paging would raise for a page it may not access; the partition
 * runs on. Also the partition's part of the memory-protection set-up.
 */
#include "hv/partition/memprot.h"
#include "hv/partition/partition.h"
#include "hv/exit/vmexit.h"
#include "hv/policy/memprot_check.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "lib/log.h"

/* One EPT serves all of the partition's CPUs: a feature counts when each has it. */
static bool all_cpus(const struct partition *p, bool (*has)(const struct vmx_caps *c))
{
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (!has(&p->vcpus[i]->cpu->vmx))
			return false;
	return p->nr_vcpus > 0;
}

static bool has_exec_only(const struct vmx_caps *c)
{
	return c->ept_exec_only;
}

static bool has_mbec(const struct vmx_caps *c)
{
	return c->mbec;
}

static bool has_spp(const struct vmx_caps *c)
{
	return c->spp;
}

static bool has_ve(const struct vmx_caps *c)
{
	return c->ept_ve;
}

static int refused(struct partition *p, const char *key, const char *why)
{
	log_err("partition %s: not started: %s: %s", p->name, key, why);
	p->state = PARTITION_STOPPED;
	p->stop_reason = "could not be built";
	return -1;
}

static int xom_build(struct partition *p)
{
	const struct partition_config *cfg = p->cfg;

	p->mp.xom_bit = 0;
	p->mp.gpa_mask = ~0ULL;
	if (cfg->xom == CONFIG_XOM_OFF)
		return 0;
	if (!all_cpus(p, has_exec_only))
		return refused(p, "xom",
			       "this CPU has no EPT execute-only pages "
			       "(IA32_VMX_EPT_VPID_CAP bit 0)");
	if (cfg->xom == CONFIG_XOM_USER && !all_cpus(p, has_mbec))
		return refused(p, "xom",
			       "'user' needs mode-based execute control, which this CPU "
			       "lacks (use xom = on)");
	unsigned bit = xom_alias_bit(cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & 0xff);

	if (!bit || !xom_regions_fit(p->regions, p->nr_regions, bit))
		return refused(p, "xom",
			       "the RAM reaches the alias bit (physical-address bit of "
			       "the alias too low)");
	p->mp.xom_bit = bit;
	p->mp.gpa_mask = ~BIT(bit);
	p->ept.mbec = cfg->xom == CONFIG_XOM_USER;
	log_info("partition %s: xom: execute-only alias at GPA bit %u (%s), guest physical "
		 "address width %u",
		 p->name, bit, p->ept.mbec ? "user mode only" : "all modes", bit);
	return 0;
}

/* SPP where every CPU has it; its top table at once, as the VMCS needs a pointer. */
static int spp_build(struct partition *p)
{
	p->mp.spp = all_cpus(p, has_spp);
	p->mp.ve_hw = all_cpus(p, has_ve);
	if (!p->mp.spp)
		return 0;
	p->mp.sppt =
	    (struct spp_table){.alloc_table = p->ept.alloc_table, .table_ptr = p->ept.table_ptr};
	return spp_init(&p->mp.sppt) ? refused(p, "memory", "no page for the SPP table") : 0;
}

int memprot_build(struct partition *p)
{
	return xom_build(p) || spp_build(p) ? -1 : 0;
}

int memprot_map_region(struct partition *p, uint64_t gpa, uint64_t hpa, uint64_t size)
{
	uint32_t rwx = EPT_RWX | (p->ept.mbec ? EPT_USER_EXEC : 0);

	if (!p->mp.xom_bit)
		return ept_map(&p->ept, gpa, hpa, size, rwx, EPT_MEMTYPE_WB);
	return ept_map_alias(&p->ept, gpa, hpa, size, rwx, p->ept.mbec ? EPT_USER_EXEC : EPT_EXEC,
			     p->mp.xom_bit, EPT_MEMTYPE_WB);
}

uint32_t memprot_secondary(const struct partition *p)
{
	return (p->ept.mbec ? SECONDARY_EXEC_MODE_BASED_EPT_EXEC : 0) |
	       (p->mp.spp ? SECONDARY_EXEC_EPT_SUB_PAGE_PERMISSIONS : 0);
}

uint32_t memprot_features(const struct partition *p)
{
	return (p->mp.xom_bit ? TESSERA_FEAT_XOM : 0) |
	       (p->mp.xom_bit && p->ept.mbec ? TESSERA_FEAT_XOM_USER : 0) |
	       (p->mp.spp ? TESSERA_FEAT_SPP : 0) |
	       (p->mp.spp && p->mp.ve_hw ? TESSERA_FEAT_VE : 0);
}

/*
 * The fault for an access the guest's paging allowed and the EPT did not. If
 * it interrupted the delivery of an event, a fault on top of it is a double
 * fault. An IRET that unblocked NMIs and then faulted blocks them again, as
 * the instruction will run again (SDM 28.2.3).
 */
void memprot_deliver_pf(struct vcpu *v, uint64_t qual, uint32_t err)
{
	if (qual & EPT_VIOL_NMI_UNBLOCKING)
		vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			vmread(GUEST_INTERRUPTIBILITY_INFO) | GUEST_INTR_STATE_NMI);
	if (vmread(IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID) {
		inject_exception_code(v, EXC_DF, 0);
		return;
	}
	/* The guest's CR2 is the CPU's own: Tessera never faults in root mode. */
	write_cr2(qual & EPT_VIOL_GLA_VALID ? vmread(GUEST_LINEAR_ADDRESS) : 0);
	inject_exception_code(v, EXC_PF, err);
}

bool xom_ept_violation(struct vcpu *v, uint64_t gpa, uint64_t qual, enum exit_action *act)
{
	struct partition *p = v->part;

	if (!p->mp.xom_bit || !(gpa & BIT(p->mp.xom_bit)) ||
	    !guest_ram_region(p->regions, p->nr_regions, partition_gpa(p, gpa)))
		return false;
	memprot_deliver_pf(v, qual, xom_pf_error_code(qual, guest_cpl()));
	*act = EXIT_RESUME;
	return true;
}
