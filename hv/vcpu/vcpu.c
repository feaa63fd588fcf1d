/*
 * vCPU set-up: the VMCS controls (from the CPU's capabilities), the initial
 * guest state of each entry protocol, and register access for exit handlers.
 * Everything here runs on the vCPU's own physical CPU, in VMX root operation.
 */
#include <stddef.h>
#include "hv/vcpu/vcpu.h"
#include "hv/vlapic/vapic.h"
#include "hv/partition/partition.h"
#include "hv/partition/ept_flush.h"
#include "hv/load/loader.h"
#include "hv/policy/msr_policy.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/fpu.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_defs.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

static uint16_t next_vpid = 1;

uint64_t vcpu_gpr(struct vcpu *v, unsigned reg)
{
	reg &= 15;
	return reg == GPR_RSP ? vmread(GUEST_RSP) : v->ctx.gpr[reg];
}

void vcpu_set_gpr(struct vcpu *v, unsigned reg, uint64_t value)
{
	reg &= 15;
	if (reg == GPR_RSP)
		vmwrite(GUEST_RSP, value);
	else
		v->ctx.gpr[reg] = value;
}

static void set_segment(unsigned seg, uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
	/* ES, CS, SS, DS, FS, GS, LDTR, TR: consecutive encodings, 2 apart. */
	vmwrite(GUEST_ES_SELECTOR + 2 * seg, sel);
	vmwrite(GUEST_ES_BASE + 2 * seg, base);
	vmwrite(GUEST_ES_LIMIT + 2 * seg, limit);
	vmwrite(GUEST_ES_AR_BYTES + 2 * seg, ar);
}
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/*
 * What the guest owns directly in this CPU's hardware and VM entry does not
 * load: the pass-through MSRs outside the VMCS, the x87/SSE/AVX registers and
 * XCR0, CR2, DR0-DR3 and DR6 (nothing in the hypervisor uses them, so they stay
 * the guest's across exits). A (re)started guest must find their reset values,
 * as after a cold boot, not what it (or its previous boot) left.
 */
static void reset_hardware_state(void)
{
	for (size_t i = 0; i < msr_guest_owned_count; i++)
		wrmsr_safe(msr_guest_owned[i], 0); /* an MSR this CPU lacks: nothing to reset */
	fpu_load_init_state();
	write_cr2(0);
	write_dr0(0);
	write_dr1(0);
	write_dr2(0);
	write_dr3(0);
	write_dr6(DR6_RESET);
}

/* The state both PVH and multiboot v1 specify: flat 32-bit protected mode, paging off. */
static void reset_common(struct vcpu *v)
{
	const struct vmx_caps *c = &v->cpu->vmx;

	for (unsigned i = 0; i < 16; i++)
		v->ctx.gpr[i] = 0;
	reset_hardware_state();
	set_segment(SEG_LDTR, 0, 0, 0, VMX_AR_UNUSABLE);
	set_segment(SEG_TR, 0, 0, 0x67, VMX_AR_TSS32_BUSY);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0x3ff);
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, CR4_VMXE | (c->cr4_fixed0 & ~CR4_VMXE));
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_DR7, DR7_RESET);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RFLAGS, RFLAGS_FIXED);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(GUEST_IA32_PAT, MSR_IA32_PAT_RESET);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmwrite(VM_ENTRY_CONTROLS, vmread(VM_ENTRY_CONTROLS) & ~VM_ENTRY_IA32E_MODE);
}

static void set_cr0(struct vcpu *v, uint64_t shadow)
{
	vmwrite(CR0_READ_SHADOW, shadow);
	vmwrite(GUEST_CR0, shadow | CR0_NE);
	(void)v;
}

void vcpu_reset_flat32(struct vcpu *v, const struct guest_entry *e)
{
	reset_common(v);
	set_segment(SEG_CS, LOADER_SEL_CODE32, 0, 0xffffffff, VMX_AR_CODE32);
	set_segment(SEG_DS, LOADER_SEL_DATA32, 0, 0xffffffff, VMX_AR_DATA32);
	set_segment(SEG_ES, LOADER_SEL_DATA32, 0, 0xffffffff, VMX_AR_DATA32);
	set_segment(SEG_SS, LOADER_SEL_DATA32, 0, 0xffffffff, VMX_AR_DATA32);
	set_segment(SEG_FS, LOADER_SEL_DATA32, 0, 0xffffffff, VMX_AR_DATA32);
	set_segment(SEG_GS, LOADER_SEL_DATA32, 0, 0xffffffff, VMX_AR_DATA32);
	set_segment(SEG_TR, LOADER_SEL_TSS, 0, 0x67, VMX_AR_TSS32_BUSY);
	vmwrite(GUEST_GDTR_BASE, e->gdt_base);
	vmwrite(GUEST_GDTR_LIMIT, e->gdt_limit);
	set_cr0(v, CR0_PE | CR0_ET);
	vmwrite(GUEST_RIP, e->rip);
	v->ctx.gpr[GPR_RAX] = e->eax;
	v->ctx.gpr[GPR_RBX] = e->ebx;
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	v->state = VCPU_RUNNABLE;
}

/* The state after INIT: an application processor waits for a start-up IPI. */
void vcpu_reset_wait_sipi(struct vcpu *v)
{
	reset_common(v);
	vcpu_start_real_mode(v, 0);
	v->state = VCPU_WAIT_SIPI; /* not entered until a SIPI: it sleeps on its mailbox */
}

/* Real mode at vector:0000, as a start-up IPI leaves an application processor. */
void vcpu_start_real_mode(struct vcpu *v, uint8_t vector)
{
	uint16_t sel = (uint16_t)(vector << 8);

	set_segment(SEG_CS, sel, (uint64_t)sel << 4, 0xffff, VMX_AR_CODE16);
	set_segment(SEG_DS, 0, 0, 0xffff, VMX_AR_DATA16);
	set_segment(SEG_ES, 0, 0, 0xffff, VMX_AR_DATA16);
	set_segment(SEG_SS, 0, 0, 0xffff, VMX_AR_DATA16);
	set_segment(SEG_FS, 0, 0, 0xffff, VMX_AR_DATA16);
	set_segment(SEG_GS, 0, 0, 0xffff, VMX_AR_DATA16);
	set_cr0(v, CR0_ET);
	vmwrite(GUEST_RIP, 0);
	vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	v->state = VCPU_RUNNABLE;
}

static bool controls(struct vcpu *v, const char *what, uint64_t cap, uint32_t required,
		     uint32_t optional, uint64_t field, uint32_t *out)
{
	uint32_t missing;

	*out = vmx_ctls(cap, required, optional, &missing);
	if (missing) {
		log_err("partition %s: vCPU %u: this CPU lacks %s controls %#x", v->part->name,
			v->index, what, missing);
		return false;
	}
	vmwrite(field, *out);
	return true;
}

/*
 * Posted interrupts need virtual-interrupt delivery and "acknowledge interrupt
 * on exit" (SDM 26.2.1.1); without them the vLAPIC falls back to requests.
 */
static bool can_post(const struct vmx_caps *c)
{
	return c->posted_intr && c->virt_intr_delivery &&
	       ((c->exit >> 32) & VM_EXIT_ACK_INTR_ON_EXIT);
}

/*
 * The controls the LAPIC mode wants. The vLAPIC: external-interrupt exiting,
 * TPR shadow (which also serves MOV CR8: no CR8 exits), APIC-register
 * virtualization and virtual-interrupt delivery, posted interrupts where the
 * CPU has them; x2APIC virtualization and APIC-access virtualization take
 * turns (vapic.c). lapic = passthrough: none of them, the guest's interrupts
 * go through its IDT and MOV CR8 reaches the CPU's TPR; NMI exiting stays
 * (Tessera's kicks), and HLT is the guest's (a HLT exit would block in root
 * mode, where the guest's interrupts cannot wake it).
 */
struct apic_controls {
	uint32_t pin, proc, proc2, exit;
};

static struct apic_controls apic_controls(const struct vcpu *v, bool posted)
{
	const struct partition_config *cfg = v->part->cfg;
	bool pt = partition_lapic_pt(v->part);
	struct apic_controls a = {
	    .pin = PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
	    .proc = cfg->halt == CONFIG_HALT_PASSTHROUGH || pt ? 0 : CPU_BASED_HLT_EXITING,
	};

	if (pt)
		return a;
	a.pin |= PIN_BASED_EXT_INTR_MASK | (posted ? PIN_BASED_POSTED_INTR : 0);
	a.proc |= CPU_BASED_TPR_SHADOW;
	a.proc2 = SECONDARY_EXEC_APIC_REGISTER_VIRT | SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	a.exit = posted ? VM_EXIT_ACK_INTR_ON_EXIT : 0;
	return a;
}

/*
 * Pin-based, processor-based, secondary, VM-exit and VM-entry controls. DR7 and
 * IA32_DEBUGCTL are the guest's: saved on every exit and loaded on every entry
 * (MOV DR does not exit; DR0-DR3 and DR6 stay in the hardware registers).
 * PAUSE as the config says (docs/config.md); PAUSE-loop exiting is never on.
 */
static bool setup_controls(struct vcpu *v)
{
	const struct vmx_caps *c = &v->cpu->vmx;
	const struct partition_config *cfg = v->part->cfg;
	bool pt = partition_lapic_pt(v->part), posted = can_post(c) && !pt;
	struct apic_controls a = apic_controls(v, posted);
	uint32_t pin, proc, proc2 = 0, exit, entry;
	uint32_t pause = cfg->pause == CONFIG_PAUSE_EXIT ? CPU_BASED_PAUSE_EXITING : 0;

	if (!controls(v, "pin-based", c->pinbased, a.pin, 0, PIN_BASED_VM_EXEC_CONTROL, &pin) ||
	    !controls(v, "processor-based", c->procbased,
		      a.proc | pause | CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
			  CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_MWAIT_EXITING |
			  CPU_BASED_MONITOR_EXITING |
			  (v->part->pmu.on ? 0 : CPU_BASED_RDPMC_EXITING) |
			  CPU_BASED_USE_TSC_OFFSETTING,
		      0, CPU_BASED_VM_EXEC_CONTROL, &proc) ||
	    !controls(v, "secondary", c->procbased2,
		      a.proc2 | SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST |
			  memprot_secondary(v->part),
		      SECONDARY_EXEC_ENABLE_VPID | SECONDARY_EXEC_ENABLE_RDTSCP |
			  SECONDARY_EXEC_ENABLE_INVPCID | SECONDARY_EXEC_ENABLE_XSAVES |
			  SECONDARY_EXEC_WBINVD_EXITING,
		      SECONDARY_VM_EXEC_CONTROL, &proc2) ||
	    !controls(v, "VM-exit", c->exit,
		      a.exit | VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_DEBUG_CONTROLS |
			  VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
			  VM_EXIT_LOAD_IA32_PAT,
		      0, VM_EXIT_CONTROLS, &exit) ||
	    !controls(v, "VM-entry", c->entry,
		      VM_ENTRY_LOAD_DEBUG_CONTROLS | VM_ENTRY_LOAD_IA32_EFER |
			  VM_ENTRY_LOAD_IA32_PAT,
		      0, VM_ENTRY_CONTROLS, &entry))
		return false;
	if (!pt && (!c->apic_access || !c->x2apic_virt)) {
		log_err(
		    "partition %s: vCPU %u: this CPU lacks APIC-access or x2APIC virtualization",
		    v->part->name, v->index);
		return false;
	}
	v->secondary = proc2;
	v->apic.posted = posted;
	v->apic.halt_in_guest = cfg->halt == CONFIG_HALT_PASSTHROUGH || pt;
	vtimer_choose(v, posted);
	return true;
}

/* What the controls point at: bitmaps, EPT, VPID; and the fields left at rest. */
static void setup_execution_fields(struct vcpu *v)
{
	struct partition *p = v->part;

	vmwrite(EXCEPTION_BITMAP, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(IO_BITMAP_A, (uint64_t)(uintptr_t)p->io_bitmap);
	vmwrite(IO_BITMAP_B, (uint64_t)(uintptr_t)p->io_bitmap + PAGE_SIZE);
	vmwrite(MSR_BITMAP, (uint64_t)(uintptr_t)p->msr_bitmap);
	vmwrite(EPT_POINTER, p->ept.eptp);
	ept_flush_track(v, p->ept.eptp);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	/* No #VE information page at a (re)start: the guest gives one again. */
	v->ve_info_gpa = TESSERA_VE_INFO_NONE;
	v->ve_info = NULL;
	memprot_setup_vmcs(v);
	if (v->secondary & SECONDARY_EXEC_ENABLE_VPID) {
		if (!v->vpid)
			v->vpid = __atomic_fetch_add(&next_vpid, 1, __ATOMIC_RELAXED);
		vmwrite(VIRTUAL_PROCESSOR_ID, v->vpid);
	}
}

/*
 * CR0/CR4 bits the guest may not own: those VMX fixes (except PE/PG, which
 * unrestricted guest frees), CR4.VMXE/SMXE (VMX is hidden from the guest) and
 * CR4 bits this CPU does not implement (so setting one gets #GP from us).
 */
static void setup_cr_ownership(struct vcpu *v)
{
	const struct vmx_caps *c = &v->cpu->vmx;

	v->cr0_mask = (c->cr0_fixed0 & ~(CR0_PE | CR0_PG)) | (~c->cr0_fixed1 & 0xffffffffULL);
	v->cr4_mask = c->cr4_fixed0 | (~c->cr4_fixed1 & 0xffffffffULL) | CR4_VMXE | CR4_SMXE;
	vmwrite(CR0_GUEST_HOST_MASK, v->cr0_mask);
	vmwrite(CR4_GUEST_HOST_MASK, v->cr4_mask);
}

/*
 * Makes v's VMCS current on this CPU and fills it: controls, execution fields,
 * CR ownership and host state. The guest state comes from a vcpu_reset_*().
 */
int vcpu_setup_vmcs(struct vcpu *v)
{
	if (!v->vmcs_pa)
		v->vmcs_pa = (uint64_t)(uintptr_t)alloc_pages(1);
	*(uint32_t *)(uintptr_t)v->vmcs_pa = v->cpu->vmx.vmcs_revision;
	if (!vmclear(v->vmcs_pa) || !vmptrld(v->vmcs_pa)) {
		log_err("partition %s: vCPU %u: VMCLEAR/VMPTRLD failed", v->part->name, v->index);
		return -1;
	}
	v->ctx.launched = 0;
	v->ctx.host_rsp = 0;
	if (!setup_controls(v))
		return -1;
	setup_execution_fields(v);
	setup_cr_ownership(v);
	vcpu_reset_msrs(v);
	pmu_reset_vcpu(v);
	vapic_reset(v);
	vapic_setup_vmcs(v);
	vmcs_write_host_state(v->cpu);
	vcpu_flush_tlb(v);
	return 0;
}

void vcpu_flush_tlb(struct vcpu *v)
{
	if (v->vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid);
	ept_flush(v, NULL, 0); /* INVEPT, or Hyper-V's flush when Tessera runs nested */
}
