/* hv/policy/hyperv_msr.c: the synthetic MSRs' rules. */
#include "tests/unit/check.h"
#include "hv/policy/hyperv_msr.h"

static const struct hv_vp_view vp = {2, 1234, 5678, 3000000000ull, 3000000000ull, 0};
static struct hv_vp_msrs vm;

TEST(hypercall_page_needs_os_id)
{
	struct hv_partition_msrs s = {0};
	uint64_t v;

	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x5000 | 1), HV_MSR_DONE);
	CHECK(hv_msr_read(&s, &vp, HV_X64_MSR_HYPERCALL, &v));
	CHECK_EQ(v, 0x5000); /* enable dropped: no OS ID yet */
	CHECK(!hv_hypercalls_enabled(&s));
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_GUEST_OS_ID, 0x8100000000000000ull), HV_MSR_DONE);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x5000 | 1), HV_MSR_HYPERCALL_PAGE);
	CHECK(hv_hypercalls_enabled(&s));
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_GUEST_OS_ID, 0), HV_MSR_DONE);
	CHECK(!hv_hypercalls_enabled(&s));
	CHECK_EQ(s.hypercall, 0x5000);
}

TEST(hypercall_reserved_and_lock)
{
	struct hv_partition_msrs s = {.guest_os_id = 1};

	for (int b = 2; b < 12; b++)
		CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x5000 | 1u << b), HV_MSR_GP);
	CHECK_EQ(s.hypercall, 0);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x5000 | 3), HV_MSR_HYPERCALL_PAGE);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x6000 | 3), HV_MSR_GP);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0), HV_MSR_GP);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_HYPERCALL, 0x5000 | 3), HV_MSR_DONE);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_GUEST_OS_ID, 0), HV_MSR_DONE);
	CHECK_EQ(s.hypercall, 0x5003); /* locked: stays */
}

TEST(read_only_and_unknown)
{
	struct hv_partition_msrs s = {0};
	uint64_t v = 0;
	const uint32_t ro[] = {HV_X64_MSR_VP_INDEX, HV_X64_MSR_VP_RUNTIME,
			       HV_X64_MSR_TIME_REF_COUNT, HV_X64_MSR_TSC_FREQUENCY,
			       HV_X64_MSR_APIC_FREQUENCY};

	for (unsigned i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		CHECK_EQ(hv_msr_write(&s, &vm, ro[i], 0), HV_MSR_GP);
		CHECK(hv_msr_read(&s, &vp, ro[i], &v));
	}
	CHECK(hv_msr_read(&s, &vp, HV_X64_MSR_VP_INDEX, &v));
	CHECK_EQ(v, 2);
	CHECK(hv_msr_read(&s, &vp, HV_X64_MSR_TIME_REF_COUNT, &v));
	CHECK_EQ(v, 5678);
	const uint32_t absent[] = {HV_X64_MSR_RESET, HV_X64_MSR_EOI, HV_X64_MSR_ICR,
				   HV_X64_MSR_TPR,   0x40000080,     0x400000ff};
	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		CHECK(!hv_msr_read(&s, &vp, absent[i], &v));
		CHECK_EQ(hv_msr_write(&s, &vm, absent[i], 0), HV_MSR_GP);
		CHECK(hv_msr_is_synthetic(absent[i]));
	}
	CHECK(!hv_msr_is_synthetic(0x40000100));
}

TEST(reference_tsc)
{
	struct hv_partition_msrs s = {0};

	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_REFERENCE_TSC, 0x7000 | 2), HV_MSR_GP);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_REFERENCE_TSC, 0x7000), HV_MSR_DONE);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_REFERENCE_TSC, 0x7001), HV_MSR_TSC_PAGE);
	CHECK_EQ(s.reference_tsc, 0x7001);
}

TEST(vp_assist_page_per_vp)
{
	struct hv_partition_msrs s = {0};
	struct hv_vp_msrs other = {0};
	struct hv_vp_view view = vp;
	uint64_t v = 1;

	vm = (struct hv_vp_msrs){0};
	CHECK(hv_msr_read(&s, &view, HV_X64_MSR_VP_ASSIST_PAGE, &v));
	CHECK_EQ(v, 0);
	/* Reserved bits 11:1 #GP and change nothing. */
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_VP_ASSIST_PAGE, 0x9000 | 3), HV_MSR_GP);
	CHECK_EQ(vm.vp_assist, 0);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_VP_ASSIST_PAGE, 0x9000), HV_MSR_DONE);
	CHECK_EQ(hv_msr_write(&s, &vm, HV_X64_MSR_VP_ASSIST_PAGE, 0x9001), HV_MSR_VP_ASSIST);
	CHECK_EQ(vm.vp_assist, 0x9001);
	CHECK_EQ(other.vp_assist, 0);
	/* The partition's MSRs are not touched by a VP's. */
	CHECK_EQ(s.guest_os_id | s.hypercall | s.reference_tsc, 0);
	view.vp_assist = vm.vp_assist;
	CHECK(hv_msr_read(&s, &view, HV_X64_MSR_VP_ASSIST_PAGE, &v));
	CHECK_EQ(v, 0x9001);
}

int main(void)
{
	CHECK_MAIN("hyperv_msr");
	RUN(hypercall_page_needs_os_id);
	RUN(vp_assist_page_per_vp);
	RUN(hypercall_reserved_and_lock);
	RUN(read_only_and_unknown);
	RUN(reference_tsc);
	return CHECK_END();
}
