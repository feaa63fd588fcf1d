/*
 * Tessera on Hyper-V: GUEST_OS_ID, the hypercall page, the two flush calls.
 * See hyperv_nested.h; the decision is hyperv_nested_plan.c.
 */
#include "drivers/hyperv_nested.h"
#include "drivers/hyperv_nested_plan.h"
#include "guest-abi/hyperv-tlfs-x86.h"
#include "guest-abi/tessera.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/mm/paging.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/spinlock.h"

static struct hyperv_nested_plan plan;
static void *hypercall_page; /* executable, never writable by Tessera */
static uint64_t *input_page; /* one input block for all CPUs, under input_lock */
static spinlock_t input_lock;
static bool failed; /* a flush call failed once: INVEPT from then on */

static struct cpuid_regs cpuid_leaf(void *opaque, uint32_t leaf)
{
	(void)opaque;
	return cpuid(leaf, 0);
}

/*
 * The hypercall page: a page of Tessera's memory mapped read-only and
 * executable before Hyper-V fills it (through its own mapping of the GPA),
 * so it is never writable and executable at once.
 */
static bool enable_hypercall_page(void)
{
	uint64_t hc, pa;

	if (!rdmsr_safe(HV_X64_MSR_HYPERCALL, &hc) || (hc & HV_X64_MSR_HYPERCALL_LOCKED))
		return false; /* locked by someone else: its page is not ours to trust */
	hypercall_page = alloc_pages(1);
	pa = (uint64_t)(uintptr_t)hypercall_page;
	paging_hv_map(pa, PAGE_SIZE, PT_GLOBAL);
	hc = (hc & HV_X64_MSR_HYPERCALL_RSVDP_MASK) | pa | HV_X64_MSR_HYPERCALL_ENABLE;
	if (!wrmsr_safe(HV_X64_MSR_GUEST_OS_ID, hyperv_nested_guest_os_id(TESSERA_ABI_VERSION)) ||
	    !wrmsr_safe(HV_X64_MSR_HYPERCALL, hc) || !rdmsr_safe(HV_X64_MSR_HYPERCALL, &hc) ||
	    !(hc & HV_X64_MSR_HYPERCALL_ENABLE)) {
		wrmsr_safe(HV_X64_MSR_GUEST_OS_ID, 0); /* which also disables the page */
		paging_hv_map(pa, PAGE_SIZE, PT_WRITE | PT_NX | PT_GLOBAL);
		hypercall_page = NULL;
		return false;
	}
	input_page = alloc_pages(1);
	return true;
}

void hyperv_nested_init(void)
{
	char line[256];

	hyperv_nested_plan(cpuid_leaf, NULL, &plan);
	if (plan.gpa_flush && !enable_hypercall_page()) {
		plan.gpa_flush = false;
		plan.why_not = "the hypercall page could not be enabled";
	}
	hyperv_nested_describe(&plan, line, sizeof(line));
	log_info("%s", line);
}

bool hyperv_nested_gpa_flush(void)
{
	return plan.gpa_flush && !__atomic_load_n(&failed, __ATOMIC_RELAXED);
}

/* Through Tessera's own hypercall page: RDX the input GPA, no output. */
static uint64_t hypercall(uint64_t control, uint64_t in_pa)
{
	return hv_hypercall_page_call(hypercall_page, control, in_pa, 0);
}

static uint16_t check(uint16_t status, const char *call)
{
	if (status != HV_STATUS_SUCCESS && !__atomic_exchange_n(&failed, true, __ATOMIC_RELAXED))
		log_warn("hyperv-nested: %s failed with status %#x: EPT invalidation by INVEPT "
			 "from now on",
			 call, status);
	return status;
}

uint16_t hyperv_nested_flush_space(uint64_t root)
{
	struct hv_input_flush_guest_physical_address_space *in;
	uint64_t result;

	if (!hyperv_nested_gpa_flush())
		return HV_STATUS_FEATURE_UNAVAILABLE;
	spin_lock(&input_lock);
	in = (void *)input_page;
	in->address_space = root;
	in->flags = 0;
	result =
	    hypercall(HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_SPACE, (uint64_t)(uintptr_t)input_page);
	spin_unlock(&input_lock);
	return check(hv_result_status(result), "HvCallFlushGuestPhysicalAddressSpace");
}

uint16_t hyperv_nested_flush_list(uint64_t root, const struct hv_gpa_list *l)
{
	uint64_t control =
	    hv_hypercall_input(HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_LIST, 0, 0, l->nr, 0);
	uint64_t result = HV_STATUS_INVALID_PARAMETER;
	int more;

	if (!hyperv_nested_gpa_flush())
		return HV_STATUS_FEATURE_UNAVAILABLE;
	if (l->nr == 0 || l->nr > HV_GPA_PAGE_RANGE_MAX_REPS)
		return check(HV_STATUS_INVALID_PARAMETER, "HvCallFlushGuestPhysicalAddressList");
	spin_lock(&input_lock);
	input_page[0] = root;
	input_page[1] = 0; /* Flags: RsvdZ */
	for (uint32_t i = 0; i < l->nr; i++)
		input_page[2 + i] = l->range[i];
	do {
		result = hypercall(control, (uint64_t)(uintptr_t)input_page);
		more = hyperv_rep_continue(&control, result, l->nr);
	} while (more > 0);
	spin_unlock(&input_lock);
	if (more < 0 && hv_result_status(result) == HV_STATUS_SUCCESS)
		result = HV_STATUS_INVALID_HYPERCALL_INPUT; /* no progress: count it as failed */
	return check(hv_result_status(result), "HvCallFlushGuestPhysicalAddressList");
}
