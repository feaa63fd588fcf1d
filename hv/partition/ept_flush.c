/* EPT invalidation on Hyper-V or by INVEPT: see ept_flush.h. */
#include "hv/partition/ept_flush.h"
#include "hv/partition/partition.h"
#include "hv/vcpu/vcpu.h"
#include "drivers/hyperv_nested.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "guest-abi/hyperv-tlfs.h"
#include "lib/log.h"

void ept_flush_track(struct vcpu *v, uint64_t eptp)
{
	struct partition *p = v->part;

	spin_lock(&p->eptp_lock);
	eptp_track_set(&p->eptp_track, v->index, eptp);
	spin_unlock(&p->eptp_lock);
}

/* This CPU only: single-context for v's EPTP, all-context where single is missing. */
static void invept_local(struct vcpu *v)
{
	const struct vmx_caps *c = &v->cpu->vmx;
	uint64_t eptp = v->part->ept.eptp;

	if (c->invept_single || !c->invept_all)
		invept(INVEPT_SINGLE_CONTEXT, eptp);
	else
		invept(INVEPT_ALL_CONTEXT, eptp);
}

/*
 * Ranges per list call, at most: each covers up to 8 MiB (2048 pages), and
 * a list that needs more becomes a whole-space flush (kept off the stack's
 * budget; the TLFS allows HV_GPA_PAGE_RANGE_MAX_REPS).
 */
#define EPT_FLUSH_MAX_RANGES 64u

/*
 * The GPA ranges of the spans as one list (4 KiB form: the TLFS documents
 * no other for this call). False when they do not fit.
 */
static bool build_list(struct hv_gpa_list *l, const struct gpa_span *spans, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!hv_gpa_list_add(l, spans[i].gpa, spans[i].len, false))
			return false;
	return l->nr > 0;
}

/* One Hyper-V call per distinct EPT of the partition; false when any failed. */
static bool flush_by_hypercall(struct partition *p, const struct gpa_span *spans, uint32_t n)
{
	uint64_t eptps[CONFIG_MAX_PARTITION_CPUS], ranges[EPT_FLUSH_MAX_RANGES];
	struct hv_gpa_list list = {.max = EPT_FLUSH_MAX_RANGES, .range = ranges};
	bool use_list = n && build_list(&list, spans, n);
	uint32_t nr;

	spin_lock(&p->eptp_lock);
	nr = eptp_track_distinct(&p->eptp_track, eptps, CONFIG_MAX_PARTITION_CPUS);
	spin_unlock(&p->eptp_lock);
	if (nr == 0) { /* no VMCS holds an EPTP yet: the partition's own one */
		eptps[0] = p->ept.eptp;
		nr = 1;
	}
	for (uint32_t i = 0; i < nr; i++) {
		uint64_t root = eptp_root(eptps[i]);
		uint16_t st = use_list ? hyperv_nested_flush_list(root, &list)
				       : hyperv_nested_flush_space(root);

		if (st != HV_STATUS_SUCCESS)
			return false;
	}
	return true;
}

bool ept_flush(struct vcpu *v, const struct gpa_span *spans, uint32_t n)
{
	if (hyperv_nested_gpa_flush() && flush_by_hypercall(v->part, spans, n))
		return true;
	invept_local(v);
	return false;
}
