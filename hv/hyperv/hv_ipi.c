/*
 * HvCallSendSyntheticClusterIpi and its Ex form: one exit for a fixed
 * interrupt to every vCPU of the set, each delivered by vapic_post() (a
 * posted interrupt where the CPU has them: no exit on a running target).
 */
#include "hv/hyperv/hyperv.h"
#include "hv/partition/partition.h"
#include "hv/policy/hyperv_decode.h"
#include "hv/vlapic/vapic.h"

uint64_t hyperv_ipi(struct vcpu *v, const struct hv_call *c, const struct hv_input *in)
{
	struct partition *p = v->part;
	struct hv_ipi ipi;
	uint16_t st = hv_ipi_decode(c, &p->hv->offer, in->blk, in->len, &ipi);

	if (st != HV_STATUS_SUCCESS)
		return st;
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		if (ipi.vp_mask >> i & 1)
			vapic_post(v, p->vcpus[i], ipi.vector);
	return HV_STATUS_SUCCESS;
}
