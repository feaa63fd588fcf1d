/*
 * pmu: the guest PMU and LBRs of a partition with pmu = on (docs/pmu.md),
 * on Bochs with tests/runners/bochs-pmu.msrs (the registers exist, nothing
 * counts). "pmu=on": CPUID 0xA is the CPU's and PDCM is set, MISC_ENABLE
 * reports EMON, PERF_CAPABILITIES reads the filtered 0x2005 and is read-only;
 * every counter, event select, fixed counter, global control, DEBUGCTL and
 * LBR register reads 0 at boot, keeps what the guest writes, and none of
 * those accesses nor RDPMC exits. With "restart" the first boot writes them,
 * then triple-faults (on_crash = restart); the second boot must find them 0
 * again. "pmu=off": no leaf 0xA, no PDCM, no EMON, and the MSRs and RDPMC #GP.
 */
#include "tests/guests/memprot_common.h"

const char guest_name[] = "pmu";

#define EXIT_RDPMC 15
#define EXIT_RDMSR 31
#define EXIT_WRMSR 32
#define SENTINEL   0x0000123456789abcull

static const struct {
	uint32_t msr;
	uint64_t value; /* what is written: bits every model keeps */
} regs[] = {
    {0xc1, SENTINEL},
    {0xc8, SENTINEL + 7}, /* PMC0, PMC7 */
    {0x186, 0x4300c0},
    {0x18d, 0x43003c}, /* PERFEVTSEL0, 7 */
    {0x309, SENTINEL + 1},
    {0x30c, SENTINEL + 4}, /* FIXED_CTR0, 3 */
    {0x38d, 0x333},
    {0x38f, 0x70000000full}, /* FIXED_CTR_CTRL, GLOBAL_CTRL */
    {0x4c1, SENTINEL + 2},   /* A_PMC0 */
    {0x1c8, 0x1c4},
    {0x1c9, 5},	  /* LBR_SELECT, TOS */
    {0x1d9, 0x1}, /* DEBUGCTL.LBR */
    {0x680, 0xffffffff81000000ull},
    {0x69f, 0x401000}, /* LBR FROM 0, 31 */
    {0x6c0, 0x401010},
    {0x6df, 0x401020}, /* LBR TO 0, 31 */
    {0xdc0, 0x8000000000000001ull},
    {0xddf, 2}, /* LBR INFO 0, 31 */
};

static unsigned msr_exits(void)
{
	return (unsigned)(mp_exits(EXIT_RDMSR) + mp_exits(EXIT_WRMSR) + mp_exits(EXIT_RDPMC));
}

static void rdpmc0(void *arg)
{
	uint32_t lo, hi;

	(void)arg;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0));
}

static void all_zero(const char *what)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		uint64_t v = ~0ull;

		if (rdmsr_safe(regs[i].msr, &v) != EXC_NONE || v != 0) {
			guest_printf("guest pmu: MSR %#x reads %#llx\n", regs[i].msr,
				     (unsigned long long)v);
			bad++;
		}
	}
	checkf(bad == 0, what, "%u of %u registers not 0", bad, (unsigned)ARRAY_SIZE(regs));
}

static void owned(void)
{
	unsigned before = msr_exits(), bad = 0;
	struct exc_info e;

	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		uint64_t v = 0;

		if (wrmsr_safe(regs[i].msr, regs[i].value) != EXC_NONE ||
		    rdmsr_safe(regs[i].msr, &v) != EXC_NONE || v != regs[i].value)
			bad++;
	}
	check(!exc_expect(EXC_GP, rdpmc0, NULL, &e), "rdpmc");
	/* One TESSERA_HC_EXIT_STATS between the counts: a VMCALL, no MSR exit. */
	checkf(bad == 0, "keeps-writes", "%u of %u registers", bad, (unsigned)ARRAY_SIZE(regs));
	check_eq("no-exits", msr_exits() - before, 0);
}

static void offered(const struct tessera_partition_info *info, bool restart)
{
	struct cpuid_regs a = cpuid(0xa);
	uint64_t v = 0;
	struct exc_info e;

	check_eq("leaf-a", a.eax, 0x08300805);	       /* Bochs's tigerlake: v5, 8 x 48 bits */
	check_eq("leaf-a-edx", a.edx & 0x1fff, 0x604); /* 4 fixed counters of 48 bits */
	check(cpuid(1).ecx & (1u << 15), "pdcm");
	check(rdmsr_safe(0x1a0, &v) == EXC_NONE && (v & (1u << 7)), "misc-enable-emon");
	check(v & (1u << 12), "misc-enable-pebs-unavailable");
	check_eq("misc-enable-emon-kept", (uint64_t)wrmsr_safe(0x1a0, v & ~(1ull << 7)),
		 (uint64_t)EXC_GP);
	check(rdmsr_safe(0x345, &v) == EXC_NONE, "perf-capabilities");
	check_eq("perf-capabilities-filtered", v, 0x2005);
	check_eq("perf-capabilities-read-only", (uint64_t)wrmsr_safe(0x345, v), (uint64_t)EXC_GP);
	(void)e;
	all_zero(info->restarts ? "zero-after-restart" : "zero-at-boot");
	owned();
	if (restart && info->restarts == 0) {
		static const struct __attribute__((packed)) {
			uint16_t limit;
			uint64_t base;
		} empty_idt = {0, 0};

		guest_report();
		guest_printf("guest pmu: triple fault for the restart\n");
		__asm__ volatile("lidt %0; ud2" : : "m"(empty_idt) : "memory");
	}
}

static void not_offered(void)
{
	uint64_t v = 0;
	struct exc_info e;
	unsigned gp = 0;

	check_eq("off-leaf-a", cpuid(0xa).eax, 0);
	check(!(cpuid(1).ecx & (1u << 15)), "off-no-pdcm");
	check(rdmsr_safe(0x1a0, &v) == EXC_NONE && !(v & (1u << 7)), "off-no-emon");
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		gp += rdmsr_safe(regs[i].msr, &v) == EXC_GP && wrmsr_safe(regs[i].msr, 0) == EXC_GP;
	check_eq("off-msrs-gp", gp, ARRAY_SIZE(regs));
	check_eq("off-perf-capabilities-gp", (uint64_t)rdmsr_safe(0x345, &v), (uint64_t)EXC_GP);
	check(exc_expect(EXC_GP, rdpmc0, NULL, &e), "off-rdpmc-gp");
}

void guest_main(const struct guest_boot *boot)
{
	char word[8] = "on";
	struct tessera_partition_info info;

	mp_arg(boot, "pmu", word, sizeof(word));
	if (!check_eq("partition-info",
		      (uint64_t)tessera_hypercall(TESSERA_HC_PARTITION_INFO,
						  (uint64_t)(uintptr_t)&info, 0, 0, 0),
		      0))
		guest_finish();
	guest_printf("guest pmu: restarts = %u\n", info.restarts);
	if (!strcmp(word, "off"))
		not_offered();
	else
		offered(&info, mp_arg(boot, "restart", word, sizeof(word)));
	guest_finish();
}
