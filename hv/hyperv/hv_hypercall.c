/*
 * Hyper-V hypercalls (TLFS "Hypercall Interface"), the hypercall interface of
 * a partition with hyperv = on. Until the guest has set its OS ID and enabled
 * the hypercall page, a VMCALL is Tessera's (docs/hypercalls.md); then it is
 * Hyper-V's: RCX the input value, RDX/R8 the input and output GPAs (memory
 * form) or the first 16 bytes of input (fast form), XMM0-XMM5 the rest (XMM
 * fast form); RAX the result value. Only 64-bit callers at CPL 0.
 *
 * The input is copied once, headers first (so nothing the guest changes
 * meanwhile is read twice), the rep elements one load each. A rep call does
 * at most HV_REPS_PER_EXIT reps per exit; then RCX gets the next rep start
 * index and RIP stays on the VMCALL, which the guest executes again.
 */
#include "hv/hyperv/hyperv.h"
#include "hv/exit/vmexit.h"
#include "hv/partition/partition.h"
#include "hv/policy/hyperv_decode.h"
#include "arch/x86/fpu.h"
#include "arch/x86/msr.h"
#include "lib/string.h"

/* The fixed header and an HV_VP_SET with every bank: the largest header a call can use. */
#define HDR_MAX (32 + HV_VP_SET_BANK_COUNT_MAX * 8)

struct input_copy {
	uint8_t hdr[HDR_MAX];
	uint64_t regs[HV_X64_FAST_INPUT_MAX_BYTES / 8]; /* the fast forms' input */
};

static bool guest_in_64bit_mode(void)
{
	return (vmread(GUEST_CS_AR_BYTES) & VMX_AR_L) && (vmread(GUEST_IA32_EFER) & EFER_LMA);
}

/* The fast forms: RDX, R8, then as many XMM registers as the input needs. */
static const uint8_t *fast_input(struct vcpu *v, const struct hv_call *c, struct input_copy *in)
{
	uint32_t beyond = c->input_bytes > 16 ? c->input_bytes - 16 : 0;

	in->regs[0] = v->ctx.gpr[GPR_RDX];
	in->regs[1] = v->ctx.gpr[GPR_R8];
	/* hv_call_decode() allowed more than 16 bytes only with XMM input offered. */
	if (beyond)
		fpu_read_xmm(&in->regs[2], (beyond + 15) / 16);
	return (const uint8_t *)in->regs;
}

/* The memory form: the block at RDX, aligned, in one page, all of it RAM. */
static uint16_t memory_input(struct vcpu *v, const struct hv_call *c, const uint8_t **blk)
{
	uint64_t gpa = v->ctx.gpr[GPR_RDX];
	uint16_t st = hv_call_check_input_gpa(c, gpa);

	if (st != HV_STATUS_SUCCESS)
		return st;
	*blk = gpa_to_hva(v->part, gpa, c->input_bytes ? c->input_bytes : 1);
	return *blk ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER;
}

static uint64_t dispatch(struct vcpu *v, const struct hv_call *c, const struct hv_input *in,
			 uint16_t *reps_done)
{
	switch (c->desc->code) {
	case HVCALL_SEND_SYNTHETIC_CLUSTER_IPI:
	case HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX:
		return hyperv_ipi(v, c, in);
	default: /* the decoder knows only these and the four flushes */
		return hyperv_flush(v, c, in, reps_done);
	}
}

/* A call the guest made with its hypercall page enabled. */
static __attribute__((noinline)) enum exit_action hyperv_call(struct vcpu *v)
{
	struct hyperv *hv = v->part->hv;
	uint64_t rcx = v->ctx.gpr[GPR_RCX];
	struct input_copy copy;
	struct hv_call c;
	struct hv_input in;
	const uint8_t *blk;
	uint16_t st, reps_done = 0;

	/*
	 * TLFS: a hypercall from anywhere but CPL 0 in protected mode is #UD; of
	 * protected mode, only 64-bit (the 32-bit register convention is not offered).
	 */
	if (!guest_in_64bit_mode() || guest_cpl()) {
		inject_exception(v, EXC_UD);
		return EXIT_RESUME;
	}
	st = hv_call_decode(rcx, &hv->offer, &c);
	if (st == HV_STATUS_SUCCESS && c.fast)
		blk = fast_input(v, &c, &copy);
	else if (st == HV_STATUS_SUCCESS)
		st = memory_input(v, &c, &blk);
	if (st == HV_STATUS_SUCCESS) {
		uint32_t hdr = c.desc->fixed_bytes + c.var_bytes;

		/* More banks than a VP set can have: no set could match (hv_vp_set_decode). */
		if (hdr > HDR_MAX) {
			st = HV_STATUS_INVALID_HYPERCALL_INPUT;
		} else {
			memcpy(copy.hdr, blk, hdr);
			in = (struct hv_input){copy.hdr, hdr, blk + hdr};
			st = (uint16_t)dispatch(v, &c, &in, &reps_done);
		}
	}
	/* A rep call not finished in this exit: the guest runs the VMCALL again from there. */
	if (st == HV_STATUS_SUCCESS && c.desc->rep && reps_done < c.rep_count) {
		v->ctx.gpr[GPR_RCX] = (rcx & ~HV_HYPERCALL_REP_START_MASK) |
				      (uint64_t)reps_done << HV_HYPERCALL_REP_START_SHIFT;
		return EXIT_RESUME;
	}
	v->ctx.gpr[GPR_RAX] = hv_result(st, reps_done);
	return EXIT_ADVANCE;
}

static enum exit_action hyperv_vmcall(struct vcpu *v)
{
	/* One aligned load: the guest changes these MSRs only on its own vCPUs' exits. */
	if (!hv_hypercalls_enabled(&v->part->hv->msrs))
		return tessera_hypercall_iface.handle(v);
	return hyperv_call(v);
}

const struct hypercall_iface hyperv_hypercall_iface = {
    .name = "hyperv",
    .handle = hyperv_vmcall,
};
