/* MSR pass-through and emulation rules: see msr_policy.h. */
#include "hv/policy/msr_policy.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "lib/string.h"

#define PASS_READ  1u
#define PASS_WRITE 2u

/*
 * The writable pass-through MSRs that VM entry and exit do not switch: they
 * live in the hardware of the vCPU's CPU only. A vCPU reset puts them back to
 * their reset value, 0 (the others are guest-state fields of the VMCS).
 */
const uint32_t msr_guest_owned[] = {
    MSR_IA32_SPEC_CTRL, MSR_IA32_STAR,		 MSR_IA32_LSTAR,   MSR_IA32_CSTAR,
    MSR_IA32_FMASK,	MSR_IA32_KERNEL_GS_BASE, MSR_IA32_TSC_AUX,
};
const size_t msr_guest_owned_count = ARRAY_SIZE(msr_guest_owned);

static const struct {
	uint32_t msr;
	uint32_t pass; /* PASS_READ | PASS_WRITE */
} pass_through[] = {
    {MSR_IA32_TSC, PASS_READ},
    {MSR_IA32_SPEC_CTRL, PASS_READ | PASS_WRITE},
    {MSR_IA32_PRED_CMD, PASS_WRITE},
    {MSR_IA32_ARCH_CAPABILITIES, PASS_READ},
    {MSR_IA32_SYSENTER_CS, PASS_READ | PASS_WRITE},
    {MSR_IA32_SYSENTER_ESP, PASS_READ | PASS_WRITE},
    {MSR_IA32_SYSENTER_EIP, PASS_READ | PASS_WRITE},
    {MSR_IA32_PAT, PASS_READ | PASS_WRITE},
    {MSR_IA32_STAR, PASS_READ | PASS_WRITE},
    {MSR_IA32_LSTAR, PASS_READ | PASS_WRITE},
    {MSR_IA32_CSTAR, PASS_READ | PASS_WRITE},
    {MSR_IA32_FMASK, PASS_READ | PASS_WRITE},
    {MSR_IA32_FS_BASE, PASS_READ | PASS_WRITE},
    {MSR_IA32_GS_BASE, PASS_READ | PASS_WRITE},
    {MSR_IA32_KERNEL_GS_BASE, PASS_READ | PASS_WRITE},
    {MSR_IA32_TSC_AUX, PASS_READ | PASS_WRITE},
};

/* Byte offset of msr's read bit in the bitmap, or -1 when the MSR is outside both ranges. */
static int bitmap_read_bit(uint32_t msr)
{
	if (msr <= MSR_BITMAP_LOW_LAST)
		return MSR_BITMAP_READ_LOW * 8 + (int)msr;
	if (msr >= MSR_BITMAP_HIGH_FIRST && msr <= MSR_BITMAP_HIGH_LAST)
		return MSR_BITMAP_READ_HIGH * 8 + (int)(msr - MSR_BITMAP_HIGH_FIRST);
	return -1;
}

/* Write bits sit 2048 bytes after the read bits of the same range. */
#define WRITE_BIT_OFFSET ((MSR_BITMAP_WRITE_LOW - MSR_BITMAP_READ_LOW) * 8)

void msr_bitmap_init(uint8_t *bitmap)
{
	memset(bitmap, 0xff, MSR_BITMAP_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(pass_through); i++) {
		int bit = bitmap_read_bit(pass_through[i].msr);

		if (pass_through[i].pass & PASS_READ)
			bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		bit += WRITE_BIT_OFFSET;
		if (pass_through[i].pass & PASS_WRITE)
			bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	}
}

/*
 * x2APIC MSRs whose reads APIC-register virtualization serves from the
 * virtual-APIC page (SDM 30.5): ID, version, TPR, PPR, LDR, SVR, ISR, TMR,
 * IRR, ESR, ICR, the LVTs from timer to error, TMICT and TDCR. Not the
 * current count, which must be computed. A read of any other MSR of the range
 * with its bit clear would execute "normally": on the host's own x2APIC.
 */
static bool x2apic_read_virtualized(uint32_t msr)
{
	uint32_t r = msr - MSR_X2APIC_BASE;

	return r == 0x02 || r == 0x03 || r == 0x08 || r == 0x0a || r == 0x0d || r == 0x0f ||
	       (r >= 0x10 && r <= 0x28) || r == 0x30 || (r >= 0x32 && r <= 0x38) || r == 0x3e;
}

/*
 * The bitmap of a vCPU in x2APIC mode: the xAPIC-mode one, plus the x2APIC
 * registers that APICv serves without an exit: the reads above, writes of
 * TPR, EOI and SELF_IPI (virtual-interrupt delivery). Everything else of the
 * range exits to the register model. In xAPIC mode the range exits whole.
 */
void msr_bitmap_x2apic_init(uint8_t *bitmap, const uint8_t *xapic_bitmap)
{
	static const uint32_t write_through[] = {MSR_X2APIC_TPR, MSR_X2APIC_EOI,
						 MSR_X2APIC_SELF_IPI};

	memcpy(bitmap, xapic_bitmap, MSR_BITMAP_SIZE);
	for (uint32_t msr = MSR_X2APIC_BASE; msr <= MSR_X2APIC_LAST; msr++) {
		int bit = bitmap_read_bit(msr);

		if (x2apic_read_virtualized(msr))
			bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	}
	for (size_t i = 0; i < ARRAY_SIZE(write_through); i++) {
		int bit = bitmap_read_bit(write_through[i]) + WRITE_BIT_OFFSET;

		bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	}
}

/*
 * lapic = passthrough (docs/interrupts.md): the x2APIC registers are the
 * CPU's own, read and written without an exit, and so is IA32_TSC_DEADLINE;
 * only the ICR (destinations translated and confined to the partition), the
 * APIC ID and the LDR (the virtual IDs) exit to the register model.
 */
void msr_bitmap_lapic_pt_init(uint8_t *bitmap, const uint8_t *xapic_bitmap)
{
	memcpy(bitmap, xapic_bitmap, MSR_BITMAP_SIZE);
	for (uint32_t msr = MSR_X2APIC_BASE; msr <= MSR_X2APIC_LAST; msr++)
		if (msr != MSR_X2APIC_ID && msr != MSR_X2APIC_LDR && msr != MSR_X2APIC_ICR)
			msr_bitmap_pass(bitmap, msr);
	msr_bitmap_pass(bitmap, MSR_IA32_TSC_DEADLINE);
}

void msr_bitmap_pass(uint8_t *bitmap, uint32_t msr)
{
	int bit = bitmap_read_bit(msr);

	if (bit < 0)
		return;
	bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
	bit += WRITE_BIT_OFFSET;
	bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
}

bool msr_bitmap_exits(const uint8_t *bitmap, uint32_t msr, bool write)
{
	int bit = bitmap_read_bit(msr);

	if (bit < 0)
		return true;
	if (write)
		bit += WRITE_BIT_OFFSET;
	return bitmap[bit / 8] & (1u << (bit % 8));
}

void msr_state_reset(struct msr_state *s, uint32_t vcpu_index, uint64_t host_tsc, bool xsaves,
		     uint64_t xss_allowed)
{
	*s = (struct msr_state){
	    .vcpu_index = vcpu_index,
	    .misc_enable = MSR_MISC_ENABLE_GUEST,
	    .tsc_offset = -host_tsc,
	    .xss_allowed = xsaves ? xss_allowed : 0,
	    .xsaves = xsaves,
	};
}

void msr_state_offer_pmu(struct msr_state *s, uint64_t perf_caps)
{
	s->pmu = true;
	s->perf_caps = perf_caps;
	s->misc_enable |= MISC_ENABLE_PMU_AVAILABLE;
}

bool msr_emulate_read(uint32_t msr, const struct msr_state *s, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_PERF_CAPABILITIES:
		*value = s->perf_caps;
		return s->pmu; /* #GP without a PMU, as CPUID.1:ECX.PDCM then says */
	case MSR_IA32_MISC_ENABLE:
		*value = s->misc_enable;
		return true;
	case MSR_IA32_TSC_ADJUST:
		*value = s->tsc_adjust;
		return true;
	case MSR_IA32_XSS:
		*value = s->xss;
		return s->xsaves;    /* #GP without XSAVES, as CPUID then says */
	case MSR_IA32_MTRRCAP:	     /* no variable or fixed MTRRs, no WC */
	case MSR_IA32_MTRR_DEF_TYPE: /* MTRRs disabled: EPT decides memory types */
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_BIOS_SIGN_ID: /* no microcode revision to report */
		*value = 0;
		return true;
	default:
		return false;
	}
}

static bool misc_enable_write(struct msr_state *s, uint64_t value)
{
	if ((value ^ s->misc_enable) & ~(uint64_t)MSR_MISC_ENABLE_WRITABLE)
		return false;
	s->misc_enable = value;
	return true;
}

/* IA32_TSC and IA32_TSC_ADJUST move together (SDM 18.17.3). */
static void tsc_write(struct msr_state *s, uint64_t value, uint64_t host_tsc)
{
	uint64_t offset = value - host_tsc;

	s->tsc_adjust += offset - s->tsc_offset;
	s->tsc_offset = offset;
}

static void tsc_adjust_write(struct msr_state *s, uint64_t value)
{
	s->tsc_offset += value - s->tsc_adjust;
	s->tsc_adjust = value;
}

bool msr_emulate_write(uint32_t msr, struct msr_state *s, uint64_t value, uint64_t host_tsc)
{
	switch (msr) {
	case MSR_IA32_MISC_ENABLE:
		return misc_enable_write(s, value);
	case MSR_IA32_TSC:
		tsc_write(s, value, host_tsc);
		return true;
	case MSR_IA32_TSC_ADJUST:
		tsc_adjust_write(s, value);
		return true;
	case MSR_IA32_XSS:
		if (!s->xsaves || (value & ~s->xss_allowed))
			return false;
		s->xss = value;
		return true;
	case MSR_IA32_MTRR_DEF_TYPE:
	case MSR_IA32_BIOS_SIGN_ID: /* the microcode-update protocol writes 0 here */
		return true;
	default:
		return false; /* MTRRCAP and PLATFORM_ID are read-only */
	}
}

bool msr_efer_write(uint64_t efer, uint64_t cr0, uint64_t value, uint64_t *out)
{
	const uint64_t writable = EFER_SCE | EFER_LME | EFER_NXE;

	if (value & ~(writable | EFER_LMA))
		return false;
	if ((cr0 & CR0_PG) && ((value ^ efer) & EFER_LME))
		return false;
	*out = (value & writable) | (efer & EFER_LMA);
	return true;
}
