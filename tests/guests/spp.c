/*
 * spp: sub-page write protection (docs/memory-protection.md) from a guest
 * with 2 vCPUs. A page gets a write mask (sub-pages 0-15 writable, 16-31
 * not); the guest writes all 32 sub-pages and counts the reports (#VE, one
 * per protected sub-page, none for the others) and the VM exits: none with
 * the CPU's #VE (TESSERA_SPP_REPORT_VE), one per protected write when Tessera
 * reports (REPORT_INJECT), none ever for an unprotected sub-page. The #VE
 * record (reason, addresses, busy) and the memory are checked; without a #VE
 * page, or while it is busy, the report is #PF (P|W, CR2). vCPU 1 caches a
 * writable translation of a page, vCPU 0 protects it, and vCPU 1's next write
 * is reported: the invalidation reached it. The bad inputs get their errors.
 * Then the figures. With "spp=off" (a CPU without SPP) the call must say
 * TESSERA_E_NOTSUP and the CPUID bit be clear.
 */
#include "tests/guests/memprot_common.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "spp";

#define EXC_VE	  20
#define SUB	  TESSERA_SPP_SUBPAGE_SIZE
#define MASK_HALF 0x0000ffffu /* sub-pages 0-15 writable */
#define WAIT	  2000000000ull

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_c[4096] __attribute__((aligned(4096)));
static uint8_t many[TESSERA_SPP_MAX_PAGES + 1][4096] __attribute__((aligned(4096)));
static struct tessera_ve_info ve0[4096 / sizeof(struct tessera_ve_info)]
    __attribute__((aligned(4096)));

static long hc(unsigned long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return tessera_hypercall(nr, a0, a1, a2, 0);
}

static uint64_t gpa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void write_byte(void *va)
{
	__asm__ volatile("movb $0x77, (%0)" : : "r"(va) : "memory");
}

/* Writes byte 5 of each sub-page; counts the reports (vector `vec`) and checks each record. */
static unsigned write_all(const char *what, uint8_t *page, int vec, bool check_record)
{
	unsigned reports = 0, bad_record = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct exc_info e;
		uint8_t *va = page + i * SUB + 5;

		if (!exc_expect(vec, write_byte, va, &e))
			continue;
		reports++;
		if (vec == EXC_VE && check_record &&
		    (ve0[0].exit_reason != EXIT_EPT_VIOL || ve0[0].physical_address != gpa(va) ||
		     ve0[0].linear_address != gpa(va) || ve0[0].busy != 0xffffffffu ||
		     !(ve0[0].qualification & 2)))
			bad_record++;
		if (vec == EXC_PF && (e.error_code != 3 || e.cr2 != gpa(va)))
			bad_record++;
		ve0[0].busy = 0; /* take the record: the next report may come */
	}
	checkf(bad_record == 0, what, "%u of %u reports with a wrong record", bad_record, reports);
	return reports;
}

/* Protected sub-pages keep 0, the others got the write. */
static bool memory_as_masked(const uint8_t *page, uint32_t mask)
{
	for (unsigned i = 0; i < 32; i++)
		if (page[i * SUB + 5] != ((mask >> i & 1) ? 0x77 : 0))
			return false;
	return true;
}

static void bad_inputs(void)
{
	check_eq("bad-unaligned", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_c) + 8, 0, 0),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("bad-mask", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_c), 1ull << 32, 0),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("bad-flags", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_c), 0, 2),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("bad-outside-ram", (uint64_t)hc(TESSERA_HC_SPP_SET, 0x40000000, 0, 0),
		 (uint64_t)TESSERA_E_FAULT);
	check_eq("bad-reserved", (uint64_t)hc(TESSERA_HC_SPP_SET, 0xb8000, 0, 0),
		 (uint64_t)TESSERA_E_FAULT);
	check_eq("bad-ve-page", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(ve0), 0, 0),
		 (uint64_t)TESSERA_E_DENIED);
	check_eq("bad-get-unaligned", (uint64_t)hc(TESSERA_HC_SPP_GET, gpa(page_c) + 1, 0, 0),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("bad-get-outside", (uint64_t)hc(TESSERA_HC_SPP_GET, 0x40000000, 0, 0),
		 (uint64_t)TESSERA_E_FAULT);
	check_eq("bad-ve-unaligned", (uint64_t)hc(TESSERA_HC_VE_INFO, gpa(ve0) + 64, 0, 0),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("bad-ve-outside", (uint64_t)hc(TESSERA_HC_VE_INFO, 0x40000000, 0, 0),
		 (uint64_t)TESSERA_E_FAULT);
	/* A protected page cannot become a #VE page. */
	hc(TESSERA_HC_SPP_SET, gpa(page_c), 0, 0);
	check_eq("bad-ve-on-protected", (uint64_t)hc(TESSERA_HC_VE_INFO, gpa(page_c), 0, 0),
		 (uint64_t)TESSERA_E_DENIED);
	hc(TESSERA_HC_SPP_SET, gpa(page_c), TESSERA_SPP_MASK_ALL, 0);
	/* The budget: TESSERA_SPP_MAX_PAGES pages at once, then E_NOMEM; lifted, all free again. */
	long rc = 0;
	unsigned n = 0;

	for (; n < TESSERA_SPP_MAX_PAGES && rc == 0; n++)
		rc = hc(TESSERA_HC_SPP_SET, gpa(many[n]), 1, 0);
	check_eq("budget-fills", rc == 0 ? n : 0, TESSERA_SPP_MAX_PAGES);
	check_eq("budget-spent", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(many[n]), 1, 0),
		 (uint64_t)TESSERA_E_NOMEM);
	for (unsigned i = 0; i < n; i++)
		hc(TESSERA_HC_SPP_SET, gpa(many[i]), TESSERA_SPP_MASK_ALL, 0);
	check_eq("budget-back", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(many[n]), 1, 0), 0);
	hc(TESSERA_HC_SPP_SET, gpa(many[n]), TESSERA_SPP_MASK_ALL, 0);
}

/* ---- vCPU 1: writes page_b when told to, and says what it saw ---- */
static volatile uint32_t ap_cmd, ap_done, ap_ready;
static volatile int ap_vector;
static volatile uint64_t ap_cr2;

static void ap_main(unsigned index)
{
	(void)index;
	ap_ready = 1;
	for (uint32_t seen = 0;;) {
		while (ap_cmd == seen)
			__asm__ volatile("pause");
		seen = ap_cmd;
		struct exc_info e;

		ap_vector =
		    exc_expect(EXC_PF, write_byte, page_b + 3 * SUB, &e) ? EXC_PF : EXC_NONE;
		ap_cr2 = e.cr2;
		ap_done = seen;
	}
}

static int ap_write(void)
{
	uint32_t n = ap_cmd + 1;

	ap_cmd = n;
	if (!smp_wait_for(&ap_done, n, WAIT))
		return -2;
	return ap_vector;
}

static void other_vcpu(void)
{
	if (!check_eq("ap-started", smp_start_aps(ap_main, 1, SMP_START_EACH), 1) ||
	    !smp_wait_for(&ap_ready, 1, WAIT))
		return;
	check_eq("ap-write-before", (uint64_t)ap_write(), (uint64_t)EXC_NONE); /* now cached */
	check_eq("ap-write-cached", (uint64_t)ap_write(), (uint64_t)EXC_NONE);
	check_eq("protect-b", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_b), 0, 0), 0);
	/* vCPU 1 has no #VE page: its report is #PF. */
	check_eq("ap-write-protected", (uint64_t)ap_write(), (uint64_t)EXC_PF);
	check_eq("ap-cr2", ap_cr2, gpa(page_b + 3 * SUB));
	check_eq("unprotect-b", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_b), ~0u, 0), 0);
	check_eq("ap-write-after", (uint64_t)ap_write(), (uint64_t)EXC_NONE);
}

/* Instructions per write of `count` writes to byte 5 of sub-page `sub`. */
static uint64_t write_cost(uint8_t *page, unsigned sub, int vec)
{
	struct exc_info e;
	uint8_t *va = page + sub * SUB + 5;
	uint64_t t0 = mp_rdtscp_fence();

	for (unsigned i = 0; i < 16; i++) {
		if (vec == EXC_NONE)
			write_byte(va);
		else
			exc_expect(vec, write_byte, va, &e);
		ve0[0].busy = 0;
	}
	return (mp_rdtscp_fence() - t0) / 16;
}

static void bench(void)
{
	uint64_t x0 = mp_exits(EXIT_EPT_VIOL);
	uint64_t plain = write_cost(page_c, 0, EXC_NONE);

	hc(TESSERA_HC_SPP_SET, gpa(page_c), MASK_HALF, TESSERA_SPP_REPORT_VE);
	uint64_t unprot = write_cost(page_c, 1, EXC_NONE);
	uint64_t x1 = mp_exits(EXIT_EPT_VIOL);
	uint64_t ve_hw = write_cost(page_c, 20, EXC_VE);
	uint64_t x2 = mp_exits(EXIT_EPT_VIOL);

	hc(TESSERA_HC_SPP_SET, gpa(page_c), MASK_HALF, TESSERA_SPP_REPORT_INJECT);
	uint64_t x3 = mp_exits(EXIT_EPT_VIOL);
	uint64_t ve_sw = write_cost(page_c, 20, EXC_VE);
	uint64_t x4 = mp_exits(EXIT_EPT_VIOL);
	uint64_t fault = write_cost(page_c, 0, EXC_NONE);

	check_eq("bench-unprotected-no-exit", x1 - x0, 0);
	check_eq("bench-hw-no-exit", x2 - x1, 0);
	check_eq("bench-inject-exit-each", x4 - x3, 16);
	guest_printf("bench: write to an unprotected page: %llu instructions; to an unprotected "
		     "sub-page of a protected page: %llu (%llu exits)\n",
		     (unsigned long long)plain, (unsigned long long)unprot,
		     (unsigned long long)(x1 - x0));
	guest_printf("bench: write to a protected sub-page, #VE round trip through the same "
		     "handler: by the CPU %llu instructions (%llu exits), by Tessera %llu (%llu "
		     "exits per write)\n",
		     (unsigned long long)ve_hw, (unsigned long long)(x2 - x1),
		     (unsigned long long)ve_sw, (unsigned long long)((x4 - x3) / 16));
	(void)fault;
	hc(TESSERA_HC_SPP_SET, gpa(page_c), TESSERA_SPP_MASK_ALL, 0);
}

static void offered(void)
{
	uint64_t x0, x1;

	check_eq("ve-info", (uint64_t)hc(TESSERA_HC_VE_INFO, gpa(ve0), 0, 0), 0);
	check_eq("get-unprotected", (uint64_t)hc(TESSERA_HC_SPP_GET, gpa(page_a), 0, 0),
		 TESSERA_SPP_MASK_ALL);
	/* #VE by the CPU: no exit at all. */
	check_eq("set", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_a), MASK_HALF, 0), 0);
	check_eq("get", (uint64_t)hc(TESSERA_HC_SPP_GET, gpa(page_a), 0, 0), MASK_HALF);
	x0 = mp_exits(EXIT_EPT_VIOL);
	check_eq("ve-reports", write_all("ve-records", page_a, EXC_VE, true), 16);
	x1 = mp_exits(EXIT_EPT_VIOL);
	check_eq("ve-exits", x1 - x0, 0);
	check(memory_as_masked(page_a, MASK_HALF), "ve-memory");
	/* The same by Tessera: one exit per protected sub-page written, none for the rest. */
	hc(TESSERA_HC_SPP_SET, gpa(page_a), TESSERA_SPP_MASK_ALL, 0);
	memset(page_a, 0, sizeof(page_a));
	check_eq(
	    "set-inject",
	    (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_a), MASK_HALF, TESSERA_SPP_REPORT_INJECT), 0);
	x0 = mp_exits(EXIT_EPT_VIOL);
	check_eq("inject-reports", write_all("inject-records", page_a, EXC_VE, true), 16);
	x1 = mp_exits(EXIT_EPT_VIOL);
	check_eq("inject-exits", x1 - x0, 16);
	check(memory_as_masked(page_a, MASK_HALF), "inject-memory");
	/* Busy (the record not taken): the next report is #PF. */
	ve0[0].busy = 1;
	struct exc_info e;
	check(exc_expect(EXC_PF, write_byte, page_a + 31 * SUB, &e) && e.error_code == 3,
	      "busy-gives-pf");
	ve0[0].busy = 0;
	/* No #VE page: #PF with CR2, by the CPU's path too. */
	check_eq("ve-none", (uint64_t)hc(TESSERA_HC_VE_INFO, TESSERA_VE_INFO_NONE, 0, 0), 0);
	hc(TESSERA_HC_SPP_SET, gpa(page_a), TESSERA_SPP_MASK_ALL, 0);
	memset(page_a, 0, sizeof(page_a));
	hc(TESSERA_HC_SPP_SET, gpa(page_a), MASK_HALF, 0);
	check_eq("pf-reports", write_all("pf-records", page_a, EXC_PF, false), 16);
	check(memory_as_masked(page_a, MASK_HALF), "pf-memory");
	check_eq("ve-again", (uint64_t)hc(TESSERA_HC_VE_INFO, gpa(ve0), 0, 0), 0);
	/* Lifted: every sub-page writable, no report. */
	check_eq("lift", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_a), TESSERA_SPP_MASK_ALL, 0), 0);
	check_eq("get-lifted", (uint64_t)hc(TESSERA_HC_SPP_GET, gpa(page_a), 0, 0),
		 TESSERA_SPP_MASK_ALL);
	memset(page_a, 0, sizeof(page_a));
	check_eq("lifted-reports", write_all("lifted-records", page_a, EXC_VE, true), 0);
	check(memory_as_masked(page_a, TESSERA_SPP_MASK_ALL), "lifted-memory");
	bad_inputs();
	bench();
	other_vcpu();
}

void guest_main(const struct guest_boot *boot)
{
	char word[8];
	struct cpuid_regs f = cpuid(TESSERA_CPUID_FEATURES);

	if (mp_arg(boot, "spp", word, sizeof(word)) && !strcmp(word, "off")) {
		check(!(f.eax & (TESSERA_FEAT_SPP | TESSERA_FEAT_VE)), "off-no-feature");
		check_eq("off-notsup", (uint64_t)hc(TESSERA_HC_SPP_SET, gpa(page_a), 0, 0),
			 (uint64_t)TESSERA_E_NOTSUP);
		check_eq("off-get-notsup", (uint64_t)hc(TESSERA_HC_SPP_GET, gpa(page_a), 0, 0),
			 (uint64_t)TESSERA_E_NOTSUP);
		check_eq("off-ve-notsup", (uint64_t)hc(TESSERA_HC_VE_INFO, gpa(ve0), 0, 0),
			 (uint64_t)TESSERA_E_NOTSUP);
		guest_finish();
	}
	check(f.eax & TESSERA_FEAT_SPP, "feature");
	check(f.eax & TESSERA_FEAT_VE, "feature-ve");
	if (f.eax & TESSERA_FEAT_SPP)
		offered();
	guest_finish();
}
