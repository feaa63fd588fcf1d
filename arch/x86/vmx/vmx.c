/*
 * VMX root operation on one CPU. The smoke test enters VMX operation with VMXON
 * and leaves it again with VMXOFF: it proves the capability MSRs, CR0/CR4 fixed
 * bits and IA32_FEATURE_CONTROL agree before anything builds a VMCS.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/guest_ctx.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

/* VMX instructions report failure in RFLAGS: CF = VMfailInvalid, ZF = VMfailValid. */
enum vmx_insn_result { VMX_SUCCEED, VMX_FAIL_INVALID, VMX_FAIL_VALID };

static enum vmx_insn_result vmx_result(bool cf, bool zf)
{
	if (cf)
		return VMX_FAIL_INVALID;
	return zf ? VMX_FAIL_VALID : VMX_SUCCEED;
}

static enum vmx_insn_result vmxon(uint64_t region_pa)
{
	bool cf, zf;

	__asm__ volatile("vmxon %[pa]" : "=@ccc"(cf), "=@ccz"(zf) : [pa] "m"(region_pa) : "memory");
	return vmx_result(cf, zf);
}

static enum vmx_insn_result vmxoff(void)
{
	bool cf, zf;

	__asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory");
	return vmx_result(cf, zf);
}

static const char *vmx_result_name(enum vmx_insn_result r)
{
	return r == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid";
}

static int finish(struct percpu *cpu, int result)
{
	cpu->vmx_smoke = result;
	return result;
}

/* The VMXON region: one zeroed page, allocated once and kept for the VMX core. */
static bool prepare_region(struct percpu *cpu)
{
	const struct vmx_caps *caps = &cpu->vmx;
	uint64_t pa = cpu->vmxon_pa;

	if (!pa) {
		pa = (uint64_t)(uintptr_t)alloc_pages(1);
		cpu->vmxon_pa = pa;
	}
	if (!IS_ALIGNED(pa, PAGE_SIZE) || caps->vmcs_size > PAGE_SIZE ||
	    (caps->addr_32bit && pa >= 4 * GiB - PAGE_SIZE)) {
		log_err("vmx: VMXON/VMXOFF failed: VMXON region %#llx unusable (size %u, %s)",
			(unsigned long long)pa, caps->vmcs_size,
			caps->addr_32bit ? "must lie below 4 GiB" : "64-bit addresses");
		return false;
	}
	/* Bits 30:0 of the first dword: the VMCS revision identifier; bit 31 clear. */
	*(volatile uint32_t *)(uintptr_t)pa =
	    caps->vmcs_revision & (uint32_t)VMX_BASIC_REVISION_MASK;
	return true;
}

/*
 * Enters VMX root operation on this CPU: applies the CR0/CR4 fixed bits, sets
 * CR4.VMXE and runs VMXON on the CPU's VMXON region. Returns VMX_SMOKE_OK or the
 * failure, having logged why. Interrupts must be off (the caller's job).
 */
static int root_enter(struct percpu *cpu)
{
	const struct vmx_caps *caps = &cpu->vmx;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4(), vmx_cr0, vmx_cr4, bad0, bad4;
	enum vmx_insn_result r;

	if (!caps->present || caps->missing)
		return VMX_SMOKE_UNUSABLE;
	if (!prepare_region(cpu))
		return VMX_SMOKE_BAD_REGION;
	bool cr0_ok =
	    vmx_fixed_cr(cr0, caps->cr0_fixed0, caps->cr0_fixed1, CR0_NE, &vmx_cr0, &bad0);
	bool cr4_ok =
	    vmx_fixed_cr(cr4 | CR4_VMXE, caps->cr4_fixed0, caps->cr4_fixed1, 0, &vmx_cr4, &bad4);
	if (!cr0_ok || !cr4_ok) {
		log_err("vmx: CR0 %#llx / CR4 %#llx cannot meet the VMX fixed bits (offending CR0 "
			"bits %#llx, CR4 bits %#llx)",
			(unsigned long long)cr0, (unsigned long long)cr4, (unsigned long long)bad0,
			(unsigned long long)bad4);
		return VMX_SMOKE_CR_FIXED;
	}
	if (vmx_cr0 != cr0)
		write_cr0(vmx_cr0); /* CR0.NE: stays set, it is the modern FPU error mode */
	write_cr4(vmx_cr4);
	r = vmxon(cpu->vmxon_pa);
	if (r != VMX_SUCCEED) {
		write_cr4(vmx_cr4 & ~CR4_VMXE);
		log_err("vmx: VMXON gave %s (region %#llx, revision 0x%x)", vmx_result_name(r),
			(unsigned long long)cpu->vmxon_pa, caps->vmcs_revision);
		return VMX_SMOKE_VMXON_FAILED;
	}
	return VMX_SMOKE_OK;
}

static int root_leave(void)
{
	enum vmx_insn_result r = vmxoff();

	/* Clearing CR4.VMXE while still in VMX operation would #GP. */
	if (r != VMX_SUCCEED) {
		log_err("vmx: VMXOFF gave %s; this CPU stays in VMX operation", vmx_result_name(r));
		return VMX_SMOKE_VMXOFF_FAILED;
	}
	write_cr4(read_cr4() & ~CR4_VMXE);
	return VMX_SMOKE_OK;
}

int vmx_root_enter(struct percpu *cpu)
{
	uint64_t rflags = read_rflags();
	int r;

	if (cpu->in_vmx_root)
		return VMX_SMOKE_OK;
	irq_disable();
	r = root_enter(cpu);
	if (rflags & RFLAGS_IF)
		irq_enable();
	cpu->in_vmx_root = r == VMX_SMOKE_OK;
	return r;
}

int vmx_root_leave(struct percpu *cpu)
{
	int r = VMX_SMOKE_OK;

	if (cpu->in_vmx_root) {
		r = root_leave();
		cpu->in_vmx_root = r != VMX_SMOKE_OK;
	}
	return r;
}

int vmx_smoke_test(struct percpu *cpu)
{
	int r;

	if (!cpu->vmx.present || cpu->vmx.missing)
		return finish(cpu, VMX_SMOKE_UNUSABLE);
	r = vmx_root_enter(cpu);
	if (r == VMX_SMOKE_OK)
		r = vmx_root_leave(cpu);
	if (r != VMX_SMOKE_OK) {
		log_err("vmx: VMXON/VMXOFF failed on this CPU");
		return finish(cpu, r);
	}
	log_info("vmx: VMXON/VMXOFF ok (VMCS revision 0x%x)", cpu->vmx.vmcs_revision);
	return finish(cpu, VMX_SMOKE_OK);
}

static bool in_window(uint64_t rip, const char *start, const char *end)
{
	return rip >= (uint64_t)(uintptr_t)start && rip < (uint64_t)(uintptr_t)end;
}

bool vmx_enter_nmi_fixup(struct trap_frame *frame)
{
	const char *start;

	if (in_window(frame->rip, vmx_enter_window, vmx_enter_window_end))
		start = vmx_enter_window;
	else if (in_window(frame->rip, vmx_launch_window, vmx_launch_window_end))
		start = vmx_launch_window;
	else
		return false;
	/* In both windows vmx_enter_guest keeps ctx on top of its stack (vmx_entry.S). */
	frame->rdi = *(const uint64_t *)(uintptr_t)frame->rsp;
	frame->rip = (uint64_t)(uintptr_t)start;
	return true;
}
