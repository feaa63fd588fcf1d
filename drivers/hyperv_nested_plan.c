/* What Hyper-V offers Tessera, and what Tessera uses: see hyperv_nested_plan.h. */
#include "drivers/hyperv_nested_plan.h"
#include "guest-abi/hyperv-tlfs-x86.h"
#include "lib/format.h"
#include "lib/string.h"

static void read_vendor(struct hyperv_nested_plan *p, struct cpuid_regs r)
{
	memcpy(p->vendor, &r.ebx, 4);
	memcpy(p->vendor + 4, &r.ecx, 4);
	memcpy(p->vendor + 8, &r.edx, 4);
	p->vendor[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (p->vendor[i] && (p->vendor[i] < 0x20 || p->vendor[i] > 0x7e))
			p->vendor[i] = '?'; /* the boot line prints it */
}

static bool is_hyperv(struct cpuid_regs vendor, struct cpuid_regs iface)
{
	return vendor.ebx == HYPERV_CPUID_SIGNATURE_EBX &&
	       vendor.ecx == HYPERV_CPUID_SIGNATURE_ECX &&
	       vendor.edx == HYPERV_CPUID_SIGNATURE_EDX && iface.eax == HYPERV_CPUID_INTERFACE_HV1;
}

/* The Hv#1 leaves, each only when the first leaf says it exists. */
static void read_hv1(hyperv_cpuid_fn leaf_fn, void *opaque, struct hyperv_nested_plan *p)
{
	if (p->max_leaf >= HYPERV_CPUID_VERSION) {
		struct cpuid_regs r = leaf_fn(opaque, HYPERV_CPUID_VERSION);

		p->build = r.eax;
		p->version = r.ebx;
	}
	if (p->max_leaf >= HYPERV_CPUID_FEATURES)
		p->privileges = leaf_fn(opaque, HYPERV_CPUID_FEATURES).eax;
	if (p->max_leaf >= HYPERV_CPUID_ENLIGHTMENT_INFO)
		p->recommendations = leaf_fn(opaque, HYPERV_CPUID_ENLIGHTMENT_INFO).eax;
	/* The TLFS: the nested-features leaf means something only with this recommendation. */
	if (p->max_leaf >= HYPERV_CPUID_NESTED_FEATURES &&
	    (p->recommendations & HV_X64_ENLIGHTENED_VMCS_RECOMMENDED))
		p->nested_features = leaf_fn(opaque, HYPERV_CPUID_NESTED_FEATURES).eax;
}

static const char *decide(struct hyperv_nested_plan *p)
{
	if (!p->hypervisor)
		return "no hypervisor";
	if (!p->hyperv)
		return "not Hyper-V";
	p->hypercall_msrs = (p->privileges & HV_MSR_HYPERCALL_AVAILABLE) != 0;
	if (!p->hypercall_msrs)
		return "no hypercall MSRs";
	if (!(p->recommendations & HV_X64_ENLIGHTENED_VMCS_RECOMMENDED))
		return "no nested enlightenments";
	if (!(p->nested_features & HV_X64_NESTED_GUEST_MAPPING_FLUSH))
		return "no guest mapping flush";
	p->gpa_flush = true;
	return NULL;
}

void hyperv_nested_plan(hyperv_cpuid_fn leaf_fn, void *opaque, struct hyperv_nested_plan *p)
{
	*p = (struct hyperv_nested_plan){0};
	p->hypervisor = (leaf_fn(opaque, CPUID_LEAF_FEATURES).ecx & CPUID_1_ECX_HYPERVISOR) != 0;
	if (p->hypervisor) {
		struct cpuid_regs v = leaf_fn(opaque, HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS);
		/* Leaves 0x40000000 and 0x40000001 always exist with the hypervisor bit. */
		struct cpuid_regs i = leaf_fn(opaque, HYPERV_CPUID_INTERFACE);

		read_vendor(p, v);
		p->max_leaf = v.eax;
		p->hyperv = is_hyperv(v, i);
		if (p->hyperv)
			read_hv1(leaf_fn, opaque, p);
	}
	p->why_not = decide(p);
}

int hyperv_nested_describe(const struct hyperv_nested_plan *p, char *buf, size_t size)
{
	const char *use = p->gpa_flush ? "HvCallFlushGuestPhysicalAddressSpace/List" : "INVEPT";

	if (!p->hypervisor)
		return fmt_snprintf(buf, size, "hyperv-nested: %s: EPT invalidation by %s",
				    p->why_not, use);
	if (!p->hyperv)
		return fmt_snprintf(buf, size, "hyperv-nested: \"%s\", %s: EPT invalidation by %s",
				    p->vendor, p->why_not, use);
	return fmt_snprintf(buf, size,
			    "hyperv-nested: \"%s\" Hv#1 %u.%u build %u, max leaf %#x, privileges "
			    "%#x, recommendations %#x, nested features %#x%s%s: EPT invalidation "
			    "by %s",
			    p->vendor, p->version >> 16, p->version & 0xffff, p->build, p->max_leaf,
			    p->privileges, p->recommendations, p->nested_features,
			    p->why_not ? ", " : "", p->why_not ? p->why_not : "", use);
}

uint64_t hyperv_nested_guest_os_id(uint32_t version)
{
	return HV_GUEST_OS_ID_OPEN_SOURCE |
	       (uint64_t)TESSERA_HV_OS_ID << HV_GUEST_OS_ID_OS_ID_SHIFT |
	       (uint64_t)version << HV_GUEST_OS_ID_VERSION_SHIFT;
}

int hyperv_rep_continue(uint64_t *control, uint64_t result, uint32_t reps)
{
	uint64_t start = (*control & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT;
	uint64_t done = hv_result_reps(result);

	if (hv_result_status(result) != HV_STATUS_SUCCESS)
		return -1;
	if (done >= reps)
		return 0;
	if (done <= start) /* no progress: never loop for ever on a confused answer */
		return -1;
	*control = (*control & ~HV_HYPERCALL_REP_START_MASK) | done << HV_HYPERCALL_REP_START_SHIFT;
	return 1;
}
