/* hv/vlapic/: the vLAPIC register model, interrupts, timer and APIC_BASE rules. */
#include "tests/unit/check.h"
#include "hv/vlapic/vlapic.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/posted_intr.h"

static uint32_t page[VLAPIC_PAGE_SIZE / 4];
static struct vlapic v;

#define X2(off) (MSR_X2APIC_BASE + ((off) >> 4))

static void fresh(uint32_t id)
{
	memset(page, 0xa5, sizeof(page)); /* reset must clear what was there */
	vlapic_reset(&v, page, id, id == 0, true);
}

static void to_x2apic(void)
{
	struct vlapic_effect e =
	    vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN | APIC_BASE_EXTD, 39);

	(void)e;
}

TEST(reset_state_is_the_sdm_power_up_state)
{
	fresh(3);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ID, 0), 3u << 24);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_VERSION, 0), 0x14 | (6u << 16));
	CHECK_EQ(vlapic_mmio_read(&v, APIC_SVR, 0), 0xff);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_DFR, 0), 0xffffffff);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_TIMER, 0), APIC_LVT_MASKED);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_LINT1, 0), APIC_LVT_MASKED);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TPR, 0), 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_IRR + 0x70, 0), 0);
	CHECK_EQ(v.apic_base, APIC_BASE_DEFAULT | APIC_BASE_EN); /* not the BSP */
	fresh(0);
	CHECK(v.apic_base & APIC_BASE_BSP);
	CHECK(!vlapic_sw_enabled(&v));
}

TEST(xapic_read_only_registers_and_holes)
{
	fresh(2);
	vlapic_mmio_write(&v, APIC_VERSION, 0, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_VERSION, 0) & 0xff, 0x14);
	vlapic_mmio_write(&v, 0x040, 0x1234, 0); /* a hole */
	CHECK_EQ(vlapic_mmio_read(&v, 0x040, 0), 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_EOI, 0), 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TPR + 4, 0), 0); /* unaligned */
	CHECK_EQ(vlapic_mmio_read(&v, 0x1000, 0), 0);	    /* outside the page */
	vlapic_mmio_write(&v, 0xffc, 1, 0);
	vlapic_mmio_write(&v, 0x5000, 1, 0);
}

TEST(xapic_id_is_writable_and_reset_restores_it)
{
	uint64_t val;

	fresh(2);
	vlapic_mmio_write(&v, APIC_ID, 0x7f123456, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ID, 0), 0x7f000000); /* bits 31:24 only */
	CHECK_EQ(vlapic_phys_id(&v), 0x7f);			/* destinations follow it */
	CHECK_EQ(v.id, 2);					/* the initial ID is kept */
	to_x2apic();
	CHECK(vlapic_msr_read(&v, X2(APIC_ID), 0, &val));
	CHECK_EQ(val, 2); /* x2APIC: the initial ID, read-only */
	CHECK_EQ(vlapic_phys_id(&v), 2);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT, 39);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN, 39);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ID, 0), 2u << 24); /* re-enabled: power-up ID */
	vlapic_mmio_write(&v, APIC_ID, 5u << 24, 0);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT, 39);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN, 39);
	CHECK_EQ(vlapic_phys_id(&v), 2);
}

/*
 * INIT (vlapic_reset_registers) keeps the ID and never writes its word: a
 * vCPU resolving the SIPI that follows reads it meanwhile from another CPU.
 * A reset that wrote the ID word at all (even with the value it had) is caught
 * by the canary: the word is not a valid register value, reset must leave it.
 */
TEST(init_keeps_the_id_word_untouched)
{
	uint64_t val;

	fresh(2);
	vlapic_mmio_write(&v, APIC_ID, 6u << 24, 0);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE | 0xff, 0);
	vlapic_mmio_write(&v, APIC_LDR, 0x04000000, 0);
	page[APIC_ID / 4] = 0x06000001; /* a canary in the low bits */
	vlapic_reset_registers(&v);
	CHECK_EQ(page[APIC_ID / 4], 0x06000001);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LDR, 0), 0);	   /* INIT clears the LDR */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_SVR, 0), 0xff); /* and disables the APIC */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_DFR, 0), 0xffffffff);
	fresh(0x13);
	to_x2apic();
	vlapic_reset_registers(&v);
	CHECK(vlapic_msr_read(&v, X2(APIC_ID), 0, &val));
	CHECK_EQ(val, 0x13);
	CHECK(vlapic_msr_read(&v, X2(APIC_LDR), 0, &val));
	CHECK_EQ(val, (1u << 16) | (1u << 3)); /* x2APIC: the LDR follows the ID */
}

TEST(ldr_dfr_svr_masks)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_LDR, 0xffffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LDR, 0), 0xff000000);
	vlapic_mmio_write(&v, APIC_DFR, 0x01234567, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_DFR, 0), 0x0fffffff); /* cluster model */
	vlapic_mmio_write(&v, APIC_SVR, 0xffffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_SVR, 0), 0x3ff); /* no EOI-broadcast suppression */
}

TEST(software_disable_masks_every_lvt)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE | 0xff, 0);
	vlapic_mmio_write(&v, APIC_LVT_TIMER, 0x40, 0);
	vlapic_mmio_write(&v, APIC_LVT_LINT0, 0x700, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_TIMER, 0), 0x40);
	vlapic_mmio_write(&v, APIC_SVR, 0xff, 0);
	CHECK(vlapic_mmio_read(&v, APIC_LVT_TIMER, 0) & APIC_LVT_MASKED);
	CHECK(vlapic_mmio_read(&v, APIC_LVT_LINT0, 0) & APIC_LVT_MASKED);
	vlapic_mmio_write(&v, APIC_LVT_ERROR, 0xfe, 0); /* stays masked while disabled */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_ERROR, 0), APIC_LVT_MASKED | 0xfe);
}

TEST(lvt_reserved_and_read_only_bits)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_LVT_ERROR, 0xffffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_ERROR, 0), APIC_LVT_MASKED | 0xff);
	vlapic_mmio_write(&v, APIC_LVT_LINT1, 0xffffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_LINT1, 0), 0x1a7ff); /* no remote IRR, no status */
	vlapic_mmio_write(&v, APIC_LVT_PERF, 0xffffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_LVT_PERF, 0), 0x107ff);
}

TEST(esr_shows_errors_after_a_write)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	CHECK(!vlapic_accept(&v, 5, false));		/* illegal vector: a receive error */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ESR, 0), 0); /* not visible before the write */
	vlapic_mmio_write(&v, APIC_ESR, 0, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ESR, 0), APIC_ESR_RECV_ILLEGAL_VEC);
	vlapic_mmio_write(&v, APIC_ESR, 0, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ESR, 0), 0);
}

TEST(icr_low_write_sends)
{
	struct vlapic_effect e;

	fresh(0);
	vlapic_mmio_write(&v, APIC_ICR_HIGH, 0x03ffffff, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ICR_HIGH, 0), 0x03000000);
	e = vlapic_mmio_write(&v, APIC_ICR_LOW, 0xffffffff, 0);
	CHECK(e.what & VLAPIC_DO_IPI);
	CHECK_EQ(e.icr, 0x03000000000ccfffull); /* busy and reserved bits dropped */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ICR_LOW, 0) & APIC_ICR_BUSY, 0);
}

TEST(priorities_irr_isr_eoi)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	CHECK(vlapic_accept(&v, 0x31, false));
	CHECK(vlapic_accept(&v, 0x52, true));
	CHECK(vlapic_in_irr(&v, 0x52));
	CHECK(vlapic_mmio_read(&v, APIC_TMR + 0x20, 0) & (1u << (0x52 - 64)));
	CHECK_EQ(vlapic_pending(&v), 0x52);
	vlapic_mmio_write(&v, APIC_TPR, 0x50, 0); /* class 5 masks 0x52 */
	CHECK_EQ(vlapic_pending(&v), -1);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_PPR, 0), 0x50);
	vlapic_mmio_write(&v, APIC_TPR, 0x20, 0);
	CHECK_EQ(vlapic_ack(&v), 0x52);
	CHECK(vlapic_in_isr(&v, 0x52));
	CHECK_EQ(vlapic_mmio_read(&v, APIC_PPR, 0), 0x50); /* the in-service class */
	CHECK_EQ(vlapic_pending(&v), -1);		   /* 0x31 waits below it */
	CHECK_EQ(vlapic_mmio_write(&v, APIC_EOI, 0, 0).eoi_vector, 0x52);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_PPR, 0), 0x20);
	CHECK_EQ(vlapic_ack(&v), 0x31);
	CHECK_EQ(vlapic_mmio_write(&v, APIC_EOI, 0, 0).eoi_vector, 0x31);
	CHECK_EQ(vlapic_mmio_write(&v, APIC_EOI, 0, 0).eoi_vector, -1);
}

TEST(a_disabled_apic_accepts_nothing)
{
	fresh(1); /* software-disabled after reset */
	CHECK(!vlapic_accept(&v, 0x40, false));
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT, 39); /* hardware disable */
	CHECK(!vlapic_accept(&v, 0x40, false));
	CHECK_EQ(vlapic_mmio_read(&v, APIC_SVR, 0), 0xffffffff); /* window not decoded */
}

TEST(one_shot_timer)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0xb, 0); /* divide by 1 */
	vlapic_mmio_write(&v, APIC_LVT_TIMER, 0x40, 0);
	CHECK(vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 1000, 100).what & VLAPIC_DO_TIMER);
	CHECK_EQ(v.timer_deadline, 1100);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 600), 500);
	CHECK_EQ(vlapic_timer_expire(&v, 1099), -1);
	CHECK_EQ(vlapic_timer_expire(&v, 1100), 0x40);
	CHECK_EQ(v.timer_deadline, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 2000), 0);
	vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0x3, 0); /* by 16 */
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 10, 0);
	CHECK_EQ(v.timer_deadline, 160);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 1), 10);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 0, 5); /* disarms */
	CHECK_EQ(v.timer_deadline, 0);
}

TEST(periodic_timer_skips_missed_periods_and_honours_mask)
{
	fresh(1);
	v.min_period = 50;
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0xb, 0);
	vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x41, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 100, 0);
	CHECK_EQ(vlapic_timer_expire(&v, 100), 0x41);
	CHECK_EQ(v.timer_deadline, 200);
	CHECK_EQ(vlapic_timer_expire(&v, 450), 0x41); /* one interrupt for the late ones */
	CHECK_EQ(v.timer_deadline, 500);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 510), 90);
	vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED | 0x41, 0);
	CHECK_EQ(vlapic_timer_expire(&v, 500), -1); /* masked: counts on, delivers nothing */
	CHECK_EQ(v.timer_deadline, 600);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 1, 1000); /* below the floor */
	CHECK_EQ(v.timer_period, 50);
}

/* TDCR written while counting: the count goes on from where it is, at the new rate. */
TEST(divide_change_keeps_the_count)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0xb, 0); /* by 1 */
	vlapic_mmio_write(&v, APIC_LVT_TIMER, 0x40, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 1000, 0);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 400), 600);
	CHECK(vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0x3, 400).what & VLAPIC_DO_TIMER); /* 16 */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 400), 600);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 400 + 160), 590);
	CHECK_EQ(v.timer_deadline, 400 + 600 * 16);
	CHECK(!(vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0x3, 500).what & VLAPIC_DO_TIMER));
}

/* A periodic period stretched to the floor still reads at most the initial count. */
TEST(current_count_never_above_initial)
{
	fresh(1);
	v.min_period = 1000;
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_TIMER_DIVIDE, 0x3, 0); /* by 16 */
	vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x41, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 4, 0);
	CHECK_EQ(v.timer_period, 1000);
	for (uint64_t t = 0; t < 3000; t += 7)
		CHECK(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, t) <= 4);
}

TEST(tsc_deadline_mode)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_timer_write_tsc_deadline(&v, 5000, 0); /* not in deadline mode: dropped */
	CHECK_EQ(v.tsc_deadline_msr, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 100, 0);
	CHECK(vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x42, 0).what &
	      VLAPIC_DO_TIMER);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_INIT_COUNT, 0), 0); /* mode change disarms */
	CHECK_EQ(v.timer_deadline, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 100, 0); /* ignored in this mode */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_INIT_COUNT, 0), 0);
	vlapic_timer_write_tsc_deadline(&v, 5000, 10);
	CHECK_EQ(v.timer_deadline, 5000);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_CUR_COUNT, 10), 0);
	CHECK_EQ(vlapic_timer_expire(&v, 5001), 0x42);
	CHECK_EQ(v.tsc_deadline_msr, 0);
	vlapic_timer_write_tsc_deadline(&v, 7000, 10);
	vlapic_timer_write_tsc_deadline(&v, 0, 20); /* 0 disarms */
	CHECK_EQ(v.timer_deadline, 0);
}

/*
 * APICv's APIC-write exit is trap-like: the page already holds the new LVT
 * when the model sees the write. The mode change must still disarm.
 */
TEST(tsc_deadline_mode_change_after_the_page_write)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_LVT_TIMER, 0x42, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 100, 0);
	CHECK_EQ(v.timer_deadline, 200);
	vlapic_set_reg(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x42); /* the CPU wrote */
	CHECK(vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x42, 0).what &
	      VLAPIC_DO_TIMER);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TIMER_INIT_COUNT, 0), 0);
	CHECK_EQ(v.timer_deadline, 0);
	vlapic_timer_write_tsc_deadline(&v, 5000, 10);
	vlapic_set_reg(&v, APIC_LVT_TIMER, 0x42); /* and back to one-shot */
	vlapic_mmio_write(&v, APIC_LVT_TIMER, 0x42, 20);
	CHECK_EQ(v.timer_deadline, 0);
	CHECK_EQ(v.tsc_deadline_msr, 0);
}

TEST(tsc_deadline_mode_needs_the_cpuid_bit)
{
	memset(page, 0, sizeof(page));
	vlapic_reset(&v, page, 1, false, false);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	vlapic_mmio_write(&v, APIC_LVT_TIMER, APIC_LVT_TIMER_TSC_DEADLINE | 0x42, 0);
	CHECK_EQ(vlapic_timer_mode(&v), APIC_LVT_TIMER_ONESHOT);
}

TEST(apic_base_transitions)
{
	uint64_t base = APIC_BASE_DEFAULT;

	fresh(1);
	CHECK(vlapic_write_apic_base(&v, base | APIC_BASE_EXTD, 39).what & VLAPIC_DO_GP);
	CHECK(vlapic_write_apic_base(&v, base | APIC_BASE_EN | 1, 39).what & VLAPIC_DO_GP);
	CHECK(vlapic_write_apic_base(&v, base | APIC_BASE_EN | (1ull << 39), 39).what &
	      VLAPIC_DO_GP);
	CHECK(!(vlapic_write_apic_base(&v, base | APIC_BASE_EN | APIC_BASE_EXTD, 39).what &
		VLAPIC_DO_GP));
	CHECK(vlapic_x2apic(&v));
	CHECK(vlapic_write_apic_base(&v, base | APIC_BASE_EN, 39).what & VLAPIC_DO_GP);
	CHECK(vlapic_x2apic(&v));
	CHECK(!(vlapic_write_apic_base(&v, base, 39).what & VLAPIC_DO_GP)); /* x2 -> off */
	CHECK(!vlapic_hw_enabled(&v));
	CHECK(vlapic_write_apic_base(&v, base | APIC_BASE_EN | APIC_BASE_EXTD, 39).what &
	      VLAPIC_DO_GP); /* off -> x2 */
	CHECK(!(vlapic_write_apic_base(&v, base | APIC_BASE_EN, 39).what & VLAPIC_DO_GP));
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ID, 0), 1u << 24);
	CHECK(!(vlapic_write_apic_base(&v, 0xfed00000 | APIC_BASE_EN | APIC_BASE_BSP, 39).what &
		VLAPIC_DO_GP));
	CHECK_EQ(vlapic_mmio_base(&v), 0xfed00000); /* relocated; BSP stays the partition's */
	CHECK(!(v.apic_base & APIC_BASE_BSP));
}

TEST(apic_base_extd_reserved_without_x2apic)
{
	fresh(1);
	v.x2apic_hidden = true;
	CHECK(
	    vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN | APIC_BASE_EXTD, 39).what &
	    VLAPIC_DO_GP);
	CHECK(!vlapic_x2apic(&v));
	CHECK(!(vlapic_write_apic_base(&v, APIC_BASE_DEFAULT, 39).what & VLAPIC_DO_GP));
	CHECK(!(vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN, 39).what &
		VLAPIC_DO_GP));
	v.x2apic_hidden = false;
	CHECK(!(
	    vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN | APIC_BASE_EXTD, 39).what &
	    VLAPIC_DO_GP));
}

TEST(disable_loses_state)
{
	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE | 0x3f, 0);
	vlapic_mmio_write(&v, APIC_TPR, 0x30, 0);
	vlapic_mmio_write(&v, APIC_TIMER_INIT_COUNT, 100, 0);
	CHECK(vlapic_write_apic_base(&v, APIC_BASE_DEFAULT, 39).what & VLAPIC_DO_TIMER);
	CHECK_EQ(v.timer_deadline, 0);
	vlapic_write_apic_base(&v, APIC_BASE_DEFAULT | APIC_BASE_EN, 39);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_SVR, 0), 0xff);
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TPR, 0), 0);
}

TEST(x2apic_registers_and_gp_rules)
{
	uint64_t val;

	fresh(0x13);
	to_x2apic();
	CHECK(vlapic_msr_read(&v, X2(APIC_ID), 0, &val));
	CHECK_EQ(val, 0x13);
	CHECK(vlapic_msr_read(&v, X2(APIC_LDR), 0, &val));
	CHECK_EQ(val, (1u << 16) | (1u << 3)); /* cluster 1, bit 3 */
	CHECK(!vlapic_msr_read(&v, X2(APIC_DFR), 0, &val));
	CHECK(!vlapic_msr_read(&v, X2(APIC_EOI), 0, &val));
	CHECK(!vlapic_msr_read(&v, X2(APIC_ICR_HIGH), 0, &val));
	CHECK(!vlapic_msr_read(&v, X2(APIC_SELF_IPI), 0, &val));
	CHECK(!vlapic_msr_read(&v, X2(APIC_APR), 0, &val));
	CHECK(!vlapic_msr_read(&v, 0x8ff, 0, &val));
	CHECK(vlapic_msr_write(&v, X2(APIC_ID), 5, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_LDR), 5, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_EOI), 1, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_ESR), 1, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_TPR), 0x100, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_SVR), 1ull << 32, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_SELF_IPI), 0x100, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_ICR_LOW), 1ull << 13, 0).what & VLAPIC_DO_GP);
	CHECK(vlapic_msr_write(&v, X2(APIC_TIMER_CUR_COUNT), 0, 0).what & VLAPIC_DO_GP);
	CHECK(!(vlapic_msr_write(&v, X2(APIC_TPR), 0x20, 0).what & VLAPIC_DO_GP));
	CHECK(vlapic_msr_read(&v, X2(APIC_PPR), 0, &val));
	CHECK_EQ(val, 0x20);
}

TEST(x2apic_icr_and_self_ipi)
{
	struct vlapic_effect e;
	uint64_t val;

	fresh(0);
	to_x2apic();
	e = vlapic_msr_write(&v, X2(APIC_ICR_LOW), 0x0000000700000431ull, 0);
	CHECK(e.what & VLAPIC_DO_IPI);
	CHECK_EQ(e.icr, 0x0000000700000431ull);
	CHECK(vlapic_msr_read(&v, X2(APIC_ICR_LOW), 0, &val));
	CHECK_EQ(val, 0x0000000700000431ull);
	e = vlapic_msr_write(&v, X2(APIC_SELF_IPI), 0x66, 0);
	CHECK(e.what & VLAPIC_DO_IPI);
	CHECK_EQ(e.icr, APIC_ICR_SELF | 0x66);
	CHECK(vlapic_msr_write(&v, X2(APIC_ICR_LOW), 0, 0).what == VLAPIC_DO_IPI);
	/* In xAPIC mode the MSRs do not exist, and in x2APIC mode the MMIO window is gone. */
	CHECK_EQ(vlapic_mmio_read(&v, APIC_ID, 0), 0xffffffff);
	fresh(0);
	CHECK(!vlapic_msr_read(&v, X2(APIC_ID), 0, &val));
	CHECK(vlapic_msr_write(&v, X2(APIC_TPR), 0, 0).what & VLAPIC_DO_GP);
}

TEST(posting_notifies_once_and_merges_into_irr)
{
	static struct pi_desc d __attribute__((aligned(4096)));

	fresh(1);
	vlapic_mmio_write(&v, APIC_SVR, APIC_SVR_ENABLE, 0);
	memset(&d, 0, sizeof(d));
	CHECK(pi_post(&d, 0x31));  /* ON was clear: notify */
	CHECK(!pi_post(&d, 0xe5)); /* already outstanding: no second IPI */
	CHECK(pi_pending(&d));
	vlapic_accept(&v, 0x31, true); /* level: TMR set, then posted as edge */
	CHECK(vlapic_merge_pir(&v, &d));
	CHECK(!pi_pending(&d));
	CHECK(vlapic_in_irr(&v, 0x31));
	CHECK(vlapic_in_irr(&v, 0xe5));
	CHECK_EQ(vlapic_mmio_read(&v, APIC_TMR + 0x10, 0), 0);
	CHECK_EQ(vlapic_intr_status(&v), 0xe5);
	CHECK_EQ(vlapic_ack(&v), 0xe5);
	CHECK_EQ(vlapic_intr_status(&v), 0xe531);
	CHECK(!vlapic_merge_pir(&v, &d));
	d.control = PI_CONTROL_SN;
	CHECK(!pi_post(&d, 0x40)); /* suppressed: posted, not notified */
	CHECK(vlapic_merge_pir(&v, &d));
	CHECK(vlapic_in_irr(&v, 0x40));
}

int main(void)
{
	CHECK_MAIN("vlapic");
	RUN(reset_state_is_the_sdm_power_up_state);
	RUN(xapic_read_only_registers_and_holes);
	RUN(xapic_id_is_writable_and_reset_restores_it);
	RUN(init_keeps_the_id_word_untouched);
	RUN(ldr_dfr_svr_masks);
	RUN(software_disable_masks_every_lvt);
	RUN(lvt_reserved_and_read_only_bits);
	RUN(esr_shows_errors_after_a_write);
	RUN(icr_low_write_sends);
	RUN(priorities_irr_isr_eoi);
	RUN(a_disabled_apic_accepts_nothing);
	RUN(one_shot_timer);
	RUN(periodic_timer_skips_missed_periods_and_honours_mask);
	RUN(divide_change_keeps_the_count);
	RUN(current_count_never_above_initial);
	RUN(tsc_deadline_mode);
	RUN(tsc_deadline_mode_change_after_the_page_write);
	RUN(tsc_deadline_mode_needs_the_cpuid_bit);
	RUN(apic_base_transitions);
	RUN(apic_base_extd_reserved_without_x2apic);
	RUN(disable_loses_state);
	RUN(x2apic_registers_and_gp_rules);
	RUN(x2apic_icr_and_self_ipi);
	RUN(posting_notifies_once_and_merges_into_irr);
	return CHECK_END();
}
