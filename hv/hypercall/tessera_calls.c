/*
 * Tessera's hypercall interface (guest-abi/tessera.h, docs/hypercalls.md).
 * RAX holds the call number, RDI, RSI, RDX, RCX the arguments; the result goes
 * to RAX. Argument checks that need no partition are in hv/policy/hypercall_check.c;
 * guest buffers, which may span adjacent RAM regions, are reached only through
 * hv/hypercall/guest_buffer.h. A hot path: no logging.
 */
#include "hv/hypercall/hypercall.h"
#include "hv/exit/vmexit.h"
#include "hv/hypercall/guest_buffer.h"
#include "hv/policy/hypercall_check.h"
#include "hv/partition/partition.h"
#include "hv/hyperv/hyperv.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"

static bool guest_in_64bit_mode(void)
{
	return (vmread(GUEST_CS_AR_BYTES) & VMX_AR_L) && (vmread(GUEST_IA32_EFER) & EFER_LMA);
}

/* Through the vUART's line buffer, so the output looks like the guest's UART output. */
static void console_piece(void *ctx, uint8_t *hva, uint64_t offset, uint64_t len)
{
	struct partition *p = ctx;

	(void)offset;
	vuart_transmit(&p->vuart, hva, len); /* one lock per piece, not per byte */
}

static long console_write(struct partition *p, uint64_t gpa, uint64_t len)
{
	if (!guest_buffer_each(p, gpa, len, console_piece, p))
		return TESSERA_E_FAULT;
	return (long)len;
}

static long partition_info(struct vcpu *v, uint64_t gpa)
{
	struct partition *p = v->part;
	struct tessera_partition_info info;

	hypercall_fill_info(&info, p->id, p->name, p->nr_vcpus, v->index, p->ram_size, p->restarts);
	return copy_to_guest(p, gpa, &info, sizeof(info)) ? 0 : TESSERA_E_FAULT;
}

/* The partition's exit counters (summed over its vCPUs) for reasons 0..count-1. */
static long exit_stats(struct partition *p, uint64_t gpa, uint64_t count)
{
	uint64_t counts[TESSERA_EXIT_STATS_MAX];

	if (count > TESSERA_EXIT_STATS_MAX) /* hypercall_check() said so; the array relies on it */
		return TESSERA_E_INVAL;
	for (uint32_t r = 0; r < count; r++)
		counts[r] = partition_exit_count(p, r);
	return copy_to_guest(p, gpa, counts, count * sizeof(uint64_t)) ? (long)count
								       : TESSERA_E_FAULT;
}

/* The Hyper-V leaves the partition is offered: how many, and the first `count` copied. */
static long hyperv_cpuid_report(struct partition *p, uint64_t gpa, uint64_t count)
{
	struct tessera_cpuid_leaf leaves[TESSERA_HYPERV_CPUID_MAX];
	uint32_t n = p->hv ? HV_CPUID_COUNT : 0;

	if (count > TESSERA_HYPERV_CPUID_MAX) /* hypercall_check() said so */
		return TESSERA_E_INVAL;
	count = MIN(count, (uint64_t)n);
	for (uint32_t i = 0; i < count; i++) {
		const struct cpuid_regs *r = &p->hv->cpuid.leaf[i];

		leaves[i] = (struct tessera_cpuid_leaf){
		    HV_CPUID_FIRST + i, 0, r->eax, r->ebx, r->ecx, r->edx};
	}
	if (!copy_to_guest(p, gpa, leaves, count * sizeof(leaves[0])))
		return TESSERA_E_FAULT;
	return n;
}

/*
 * Every call but ABI_VERSION: decode the arguments (only the low halves outside
 * 64-bit mode), check them, act. Off the hot path.
 */
static __attribute__((noinline)) enum exit_action full_call(struct vcpu *v, unsigned cpl)
{
	struct hypercall hc = {
	    v->ctx.gpr[GPR_RAX],
	    {v->ctx.gpr[GPR_RDI], v->ctx.gpr[GPR_RSI], v->ctx.gpr[GPR_RDX], v->ctx.gpr[GPR_RCX]},
	};
	long ret;

	if (cpl == 0 && !guest_in_64bit_mode())
		hypercall_truncate(&hc);
	ret = hypercall_check(&hc, cpl);
	if (ret == 0) {
		switch (hc.nr) {
		case TESSERA_HC_ABI_VERSION:
			ret = TESSERA_ABI_VERSION;
			break;
		case TESSERA_HC_EXIT:
			partition_end(v->part, (int)hc.arg[0]);
			return EXIT_STOP;
		case TESSERA_HC_CONSOLE_WRITE:
			ret = console_write(v->part, hc.arg[0], hc.arg[1]);
			break;
		case TESSERA_HC_PARTITION_INFO:
			ret = partition_info(v, hc.arg[0]);
			break;
		case TESSERA_HC_EXIT_STATS:
			ret = exit_stats(v->part, hc.arg[0], hc.arg[1]);
			break;
		case TESSERA_HC_PRINT_STATS:
			partition_print_stats(v->part);
			break;
		case TESSERA_HC_HYPERV_CPUID:
			ret = hyperv_cpuid_report(v->part, hc.arg[0], hc.arg[1]);
			break;
		case TESSERA_HC_SPP_SET:
			ret = spp_set_call(v, hc.arg[0], hc.arg[1], hc.arg[2]);
			break;
		case TESSERA_HC_SPP_GET:
			ret = spp_get_call(v, hc.arg[0]);
			break;
		case TESSERA_HC_VE_INFO:
			ret = ve_info_call(v, hc.arg[0]);
			break;
		case TESSERA_HC_SHMEM_LIST:
			ret = shmem_list(v->part, hc.arg[0], hc.arg[1]);
			break;
		case TESSERA_HC_SHMEM_VECTOR:
			ret = shmem_set_vector(v, hc.arg[0], hc.arg[1]);
			break;
		case TESSERA_HC_SHMEM_NOTIFY:
			ret = shmem_notify(v, hc.arg[0], hc.arg[1]);
			break;
		default:
			ret =
			    TESSERA_E_NOSYS; /* hypercall_check() let through a call not handled */
			break;
		}
	}
	v->ctx.gpr[GPR_RAX] = (uint64_t)ret;
	return EXIT_ADVANCE;
}

static enum exit_action tessera_vmcall(struct vcpu *v)
{
	uint64_t ss_ar = vmread(GUEST_SS_AR_BYTES);

	/*
	 * The call without arguments is answered at once: RAX == 0 is ABI_VERSION in
	 * any mode (outside 64-bit mode only EAX counts, and it is 0 too), so neither
	 * the mode nor any argument needs looking at; CPL 0 is SS.DPL == 0. One test
	 * for both.
	 */
	if (likely((v->ctx.gpr[GPR_RAX] | (ss_ar & VMX_AR_DPL_MASK)) == 0)) {
		v->ctx.gpr[GPR_RAX] = TESSERA_ABI_VERSION;
		return EXIT_ADVANCE;
	}
	return full_call(v, guest_cpl());
}

const struct hypercall_iface tessera_hypercall_iface = {
    .name = "tessera",
    .handle = tessera_vmcall,
};
