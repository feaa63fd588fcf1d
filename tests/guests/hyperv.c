/*
 * hyperv: the Hyper-V interface of a partition with hyperv = on, from a
 * 64-bit guest with 3 vCPUs ("cpus=3"): the CPUID leaves and their report
 * (TESSERA_HC_HYPERV_CPUID), the synthetic MSRs, the hypercall page, every
 * PV flush call in its memory and XMM fast forms with single, list, range,
 * large-page and sparse sets, proven on the targets by a stale-translation
 * probe, the malformed inputs and their statuses, the PV IPIs, the reference
 * counter and TSC page against the TSC; then the figures ("bench: " lines).
 * With "hyperv=off" it checks instead that none of it is there.
 *
 * The probe: a target vCPU reads a page through a fresh virtual address (its
 * TLB caches the translation), vCPU 0 points the PTE at another page with no
 * INVLPG anywhere, the target still reads the old page (shown first: the
 * probe can see a missing flush), vCPU 0 makes the flush call, and the target
 * now reads the new page.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/hyperv_hc.h"
#include "tests/guests/lib/apic.h"
#include "tests/guests/lib/smp.h"

const char guest_name[] = "hyperv";

#define NR_VCPUS  3
#define WAIT	  2000000000ull
#define VEC_PV	  0x70		 /* PV IPIs */
#define VEC_WAKE  0x71		 /* ends a halted target's HLT */
#define VEC_SHOOT 0x72		 /* the native shootdown: INVLPG in the handler */
#define PTE_FLAGS 0x7ull	 /* present, writable, user */
#define PTE_PS	  0x80ull	 /* 2 MiB page */
#define PROBE_VA  0x100000000ull /* 4 GiB: PDPT[4], beyond the library's identity map */
#define LARGE_A	  0x800000ull	 /* two 2 MiB pages of RAM for the large-page probe */
#define LARGE_B	  0xa00000ull

void *hv_page;
static uint8_t hc_page[4096] __attribute__((aligned(4096)));
static uint8_t in_blk[4096] __attribute__((aligned(4096)));
static struct hv_reference_tsc_page tsc_page __attribute__((aligned(4096)));
static uint64_t probe_pd[512] __attribute__((aligned(4096)));
static uint64_t probe_pt[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
extern uint64_t guest_pdpt[512];

static unsigned next_pte = 1, next_pde = 1;
static uint64_t hc_msr;

/* ---- The targets: a command loop in guest mode (no exits while it spins) ---- */
enum { OP_READ = 1, OP_HALT_READ, OP_IDLE_HALT };
static volatile uint32_t cmd_op[NR_VCPUS], cmd_seq[NR_VCPUS], ack_seq[NR_VCPUS];
static volatile uint64_t cmd_va[NR_VCPUS], result[NR_VCPUS];
static volatile uint32_t wake[NR_VCPUS], wakes[NR_VCPUS], halt_done[NR_VCPUS];
static volatile uint32_t pv_count[NR_VCPUS], shoot_acks, ap_ready;
static volatile uint64_t shoot_va, vp_index_seen[NR_VCPUS], ref_seen[NR_VCPUS];

/*
 * The xAPIC registers by MMIO, without the library's mode check (an RDMSR of
 * IA32_APIC_BASE, an exit each time): the handlers and the native shootdown
 * cost only what a guest that knows its APIC mode pays.
 */
static inline volatile uint32_t *xapic(uint32_t reg)
{
	return (volatile uint32_t *)(uintptr_t)(0xfee00000u + reg);
}

static void xapic_eoi(void)
{
	*xapic(GAPIC_EOI) = 0; /* virtualized: no exit */
}

static void xapic_send(uint32_t dest, uint8_t vector)
{
	*xapic(GAPIC_ICR_HIGH) = dest << 24;
	*xapic(GAPIC_ICR) = vector; /* fixed, physical: an APIC-write exit */
}

static unsigned me(void)
{
	uint32_t id = *xapic(GAPIC_ID) >> 24;

	return id < NR_VCPUS ? id : 0;
}

static void on_pv(uint8_t v)
{
	(void)v;
	pv_count[me()]++;
	xapic_eoi();
}

static void on_wake(uint8_t v)
{
	(void)v;
	xapic_eoi();
}

static void on_shoot(uint8_t v)
{
	(void)v;
	__asm__ volatile("invlpg (%0)" : : "r"(shoot_va) : "memory");
	__atomic_add_fetch(&shoot_acks, 1, __ATOMIC_SEQ_CST);
	xapic_eoi();
}

static void halt_until_woken(unsigned i)
{
	while (!wake[i]) {
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		wakes[i]++;
	}
	wake[i] = 0;
	__asm__ volatile("sti");
}

static void ap_main(unsigned arrival)
{
	unsigned i = me();
	uint32_t last = 0;

	(void)arrival;
	apic_sw_enable(0xff);
	vp_index_seen[i] = rdmsr(HV_X64_MSR_VP_INDEX) + 1;
	__atomic_add_fetch(&ap_ready, 1, __ATOMIC_SEQ_CST);
	irq_enable();
	for (;;) {
		while (cmd_seq[i] == last)
			__asm__ volatile("pause");
		last = cmd_seq[i];
		if (cmd_op[i] == OP_READ) {
			result[i] = *(volatile uint64_t *)(uintptr_t)cmd_va[i];
			ack_seq[i] = last;
		} else if (cmd_op[i] == OP_HALT_READ) {
			ack_seq[i] = last; /* then halts: vCPU 0 flushes meanwhile */
			irq_disable();
			halt_until_woken(i);
			result[i] = *(volatile uint64_t *)(uintptr_t)cmd_va[i];
			halt_done[i] = last;
		} else if (cmd_op[i] == OP_IDLE_HALT) {
			ack_seq[i] = last;
			irq_disable();
			halt_until_woken(i);
			halt_done[i] = last;
		} else {
			ref_seen[i] = rdmsr(HV_X64_MSR_TIME_REF_COUNT);
			ack_seq[i] = last;
		}
	}
}

/* Runs op on vCPU t and waits for its acknowledgement. */
static bool ap_do(unsigned t, uint32_t op, uint64_t va)
{
	uint32_t seq = cmd_seq[t] + 1;

	cmd_op[t] = op;
	cmd_va[t] = va;
	__atomic_store_n(&cmd_seq[t], seq, __ATOMIC_SEQ_CST);
	return smp_wait_for(&ack_seq[t], seq, WAIT);
}

static void ap_wake(unsigned t)
{
	wake[t] = 1;
	xapic_send(t, VEC_WAKE);
}

/* ---- The probe's page tables ---- */
static void probe_tables(void)
{
	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	*(volatile uint64_t *)(uintptr_t)LARGE_A = 0xa2a2;
	*(volatile uint64_t *)(uintptr_t)LARGE_B = 0xb2b2;
	probe_pd[0] = (uint64_t)(uintptr_t)probe_pt | PTE_FLAGS;
	guest_pdpt[4] = (uint64_t)(uintptr_t)probe_pd | PTE_FLAGS;
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

struct probe {
	uint64_t va;
	volatile uint64_t *entry;
	uint64_t old_val, new_val, new_entry;
};

/* A fresh 4 KiB (or 2 MiB) address mapping page A (LARGE_A), not yet cached anywhere. */
static struct probe probe_new(bool large)
{
	struct probe p;

	if (large) {
		unsigned k = next_pde++;

		p = (struct probe){PROBE_VA + (uint64_t)k * 0x200000, &probe_pd[k], 0xa2a2, 0xb2b2,
				   LARGE_B | PTE_FLAGS | PTE_PS};
		*p.entry = LARGE_A | PTE_FLAGS | PTE_PS;
	} else {
		unsigned k = next_pte++;

		p = (struct probe){PROBE_VA + (uint64_t)k * 4096, &probe_pt[k], 0xaaaa, 0xbbbb,
				   (uint64_t)(uintptr_t)page_b | PTE_FLAGS};
		*p.entry = (uint64_t)(uintptr_t)page_a | PTE_FLAGS;
	}
	return p;
}

/*
 * Targets in mask cache p's translation; the PTE changes without INVLPG; they
 * still see the old page. Returns whether every target showed it.
 */
static bool probe_stale(const char *name, struct probe *p, uint32_t mask)
{
	bool ok = true;

	for (unsigned t = 1; t < NR_VCPUS; t++)
		if (mask >> t & 1)
			ok &= ap_do(t, OP_READ, p->va) && result[t] == p->old_val;
	*p->entry = p->new_entry; /* no INVLPG: the targets' TLBs still hold the old one */
	for (unsigned t = 1; t < NR_VCPUS; t++)
		if (mask >> t & 1) {
			bool stale = ap_do(t, OP_READ, p->va) && result[t] == p->old_val;

			checkf(stale, "probe-stale-before-flush",
			       "%s: vCPU %u read %#llx, want old %#llx", name, t,
			       (unsigned long long)result[t], (unsigned long long)p->old_val);
			ok &= stale;
		}
	return ok;
}

static void probe_fresh(const char *name, const struct probe *p, uint32_t mask)
{
	for (unsigned t = 1; t < NR_VCPUS; t++)
		if (mask >> t & 1) {
			bool fresh = ap_do(t, OP_READ, p->va) && result[t] == p->new_val;

			checkf(fresh, name, "vCPU %u read %#llx after the flush, want new %#llx", t,
			       (unsigned long long)result[t], (unsigned long long)p->new_val);
		}
}

/* ---- Flush calls in each form ---- */
enum form { SLOW, XMM };

static uint64_t put_block(const uint64_t *w, unsigned n)
{
	memcpy(in_blk, w, n * 8);
	return (uint64_t)(uintptr_t)in_blk;
}

/* words: the whole input block (headers, then ranges); reps and var words as the call has. */
static uint64_t flush_call(uint16_t code, enum form f, const uint64_t *w, unsigned n, uint32_t var,
			   uint32_t reps)
{
	if (f == SLOW)
		return hv_call(hv_hypercall_input(code, false, var, reps, 0), put_block(w, n), 0);
	uint64_t xmm[12] = {0};

	memcpy(xmm, w + 2, (n - 2) * 8);
	return hv_call_xmm(hv_hypercall_input(code, true, var, reps, 0), w[0], w[1], xmm);
}

/* One probe per case: the call must succeed and the targets see the new page. */
struct flush_case {
	const char *name;
	uint16_t code;
	enum form form;
	uint32_t mask; /* targets (vCPU 0 never reads the probe) */
	bool large, ex, list, all;
};

static void run_flush_case(const struct flush_case *c)
{
	struct probe p = probe_new(c->large);
	uint64_t w[16];
	unsigned n = 0;
	uint64_t flags = (c->all ? HV_FLUSH_ALL_PROCESSORS : 0) |
			 (c->large ? HV_FLUSH_USE_EXTENDED_RANGE_FORMAT : 0);

	if (!probe_stale(c->name, &p, c->mask))
		return;
	w[n++] = 0; /* AddressSpace: ignored with ALL_VIRTUAL_ADDRESS_SPACES */
	w[n++] = flags | HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
	if (c->ex) {
		w[n++] = HV_GENERIC_SET_SPARSE_4K;
		w[n++] = 1; /* ValidBankMask: bank 0 */
		w[n++] = c->all ? 0 : c->mask;
	} else {
		w[n++] = c->all ? 0 : c->mask;
	}
	uint32_t reps = 0;

	if (c->list) {
		if (c->large)
			w[n++] = (p.va & ~0x1fffffull) |
				 HV_GVA_RANGE_EXT_LARGE_PAGE; /* one 2 MiB page */
		else
			w[n++] =
			    (p.va - 4096) | 2; /* three pages: one before, the probe, one after */
		reps = 1;
	}
	uint64_t r = flush_call(c->code, c->form, w, n, c->ex ? 1 : 0, reps);

	checkf(hv_result_status(r) == HV_STATUS_SUCCESS && hv_result_reps(r) == reps, c->name,
	       "result %#llx", (unsigned long long)r);
	probe_fresh(c->name, &p, c->mask);
}

static const struct flush_case flush_cases[] = {
    {"flush-space-slow-one", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, SLOW, 2},
    {"flush-space-slow-two", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, SLOW, 6},
    {"flush-space-xmm", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, XMM, 4},
    {"flush-space-all-processors", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, SLOW, 6, .all = true},
    {"flush-list-slow", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, SLOW, 2, .list = true},
    {"flush-list-xmm", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, XMM, 6, .list = true},
    {"flush-space-ex-sparse", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, SLOW, 4, .ex = true},
    {"flush-space-ex-xmm", HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, XMM, 6, .ex = true},
    {"flush-list-ex-sparse", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, SLOW, 2, .ex = true,
     .list = true},
    {"flush-list-ex-xmm", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, XMM, 4, .ex = true, .list = true},
    {"flush-list-ex-large-page", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, SLOW, 6, .large = true,
     .ex = true, .list = true},
    {"flush-list-ex-xmm-large-page", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, XMM, 2, .large = true,
     .ex = true, .list = true},
    {"flush-list-ex-all-processors", HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX, SLOW, 6, .ex = true,
     .list = true, .all = true},
};

/* A list longer than one exit does (64 reps), all but the last in the hole: it resumes. */
static void check_rep_resume(void)
{
	static uint64_t w[3 + 200];
	struct probe p = probe_new(false);

	if (!probe_stale("flush-list-resumes", &p, 2))
		return;
	w[0] = 0;
	w[1] = HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
	w[2] = 2;
	for (unsigned i = 0; i < 199; i++)
		w[3 + i] = 0x8000000000000000ull + i * 4096ull; /* not canonical: nothing cached */
	w[3 + 199] = p.va;
	uint64_t r =
	    hv_call(hv_hypercall_input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, false, 0, 200, 0),
		    put_block(w, 203), 0);

	checkf(hv_result_status(r) == 0 && hv_result_reps(r) == 200, "flush-list-resumes",
	       "result %#llx", (unsigned long long)r);
	probe_fresh("flush-list-resumes", &p, 2);
}

/* A halted target is flushed before it runs again, and the flush does not wake it. */
static void check_halted_target(void)
{
	struct probe p = probe_new(false);
	uint64_t w[3] = {0, HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES, 2};

	if (!ap_do(1, OP_READ, p.va) || result[1] != p.old_val) {
		check(false, "flush-halted-target");
		return;
	}
	wakes[1] = 0;
	ap_do(1, OP_HALT_READ, p.va);
	iso_spin(200000); /* it reaches its HLT */
	*p.entry = p.new_entry;
	uint64_t r = hv_call(hv_hypercall_input(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, false, 0, 0, 0),
			     put_block(w, 3), 0);

	check_eq("flush-halted-target-status", hv_result_status(r), 0);
	iso_spin(200000);
	check_eq("flush-halted-target-not-woken", wakes[1], 0);
	ap_wake(1);
	check(smp_wait_for(&halt_done[1], cmd_seq[1], WAIT), "flush-halted-target-woke");
	check_eq("flush-halted-target", result[1], p.new_val);
}

/* ---- Malformed input ---- */
struct bad_case {
	const char *name;
	uint64_t ctl, rdx;
	uint64_t w[6];
	uint16_t want;
};

static void check_malformed(void)
{
	const uint64_t blk = (uint64_t)(uintptr_t)in_blk;
	const uint16_t F = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE,
		       L = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST;
	const uint16_t FX = HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX,
		       LX = HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX;
	const uint16_t I = HVCALL_SEND_SYNTHETIC_CLUSTER_IPI,
		       IX = HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX;
	const uint64_t ok_flush[6] = {0, 0, 2};
	struct bad_case cases[] = {
	    {"bad-reserved-bits",
	     hv_hypercall_input(F, false, 0, 0, 0) | (1ull << 30),
	     blk,
	     {0},
	     3},
	    {"bad-reserved-bits-high",
	     hv_hypercall_input(F, false, 0, 0, 0) | (1ull << 63),
	     blk,
	     {0},
	     3},
	    {"bad-nested-bit",
	     hv_hypercall_input(F, false, 0, 0, 0) | HV_HYPERCALL_NESTED_BIT,
	     blk,
	     {0},
	     3},
	    {"bad-call-code", hv_hypercall_input(0x99, false, 0, 0, 0), blk, {0}, 2},
	    {"bad-call-code-gpa-flush", hv_hypercall_input(0xaf, false, 0, 0, 0), blk, {0}, 2},
	    {"bad-reps-on-simple-call", hv_hypercall_input(F, false, 0, 1, 0), blk, {0, 0, 2}, 3},
	    {"bad-no-reps-on-rep-call", hv_hypercall_input(L, false, 0, 0, 0), blk, {0, 0, 2}, 3},
	    {"bad-rep-start-past-count", hv_hypercall_input(L, false, 0, 2, 2), blk, {0, 0, 2}, 3},
	    {"bad-var-header-non-ex", hv_hypercall_input(F, false, 1, 0, 0), blk, {0, 0, 2}, 3},
	    {"bad-too-many-reps", hv_hypercall_input(L, false, 0, 510, 0), blk, {0, 0, 2}, 3},
	    {"bad-fast-too-long", hv_hypercall_input(L, true, 0, 12, 0), 0, {0}, 3},
	    {"bad-misaligned-gpa", hv_hypercall_input(F, false, 0, 0, 0), blk + 4, {0}, 4},
	    {"bad-block-crosses-page", hv_hypercall_input(F, false, 0, 0, 0), blk + 4088, {0}, 4},
	    {"bad-gpa-outside-ram", hv_hypercall_input(F, false, 0, 0, 0), 0x80000000ull, {0}, 5},
	    {"bad-gpa-far", hv_hypercall_input(F, false, 0, 0, 0), 0xfffffffffffff000ull, {0}, 5},
	    {"bad-flush-flags", hv_hypercall_input(F, false, 0, 0, 0), blk, {0, 1u << 4, 2}, 5},
	    {"bad-ext-range-flag-on-space",
	     hv_hypercall_input(F, false, 0, 0, 0),
	     blk,
	     {0, HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, 2},
	     5},
	    {"bad-non-global-flag-on-list",
	     hv_hypercall_input(L, false, 0, 1, 0),
	     blk,
	     {0, HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY, 2, 0x1000},
	     5},
	    {"bad-vp-set-format", hv_hypercall_input(FX, false, 0, 0, 0), blk, {0, 0, 2, 0}, 5},
	    {"bad-vp-set-bank-count", hv_hypercall_input(FX, false, 0, 0, 0), blk, {0, 0, 0, 1}, 3},
	    {"bad-vp-set-extra-bank",
	     hv_hypercall_input(FX, false, 2, 0, 0),
	     blk,
	     {0, 0, 0, 1, 2, 2},
	     3},
	    {"bad-large-page-reserved",
	     hv_hypercall_input(LX, false, 1, 1, 0),
	     blk,
	     {0, HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, 0, 1, 2,
	      PROBE_VA | HV_GVA_RANGE_EXT_LARGE_PAGE | (1ull << 13)},
	     5},
	    {"bad-ipi-vector-low", hv_hypercall_input(I, false, 0, 0, 0), blk, {0x0f, 2}, 5},
	    {"bad-ipi-vtl",
	     hv_hypercall_input(I, false, 0, 0, 0),
	     blk,
	     {VEC_PV | 1ull << 32, 2},
	     5},
	    {"bad-ipi-ex-format", hv_hypercall_input(IX, false, 0, 0, 0), blk, {VEC_PV, 7, 0}, 5},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];

		memcpy(in_blk, c->w, sizeof(c->w));
		uint64_t r = hv_call(c->ctl, c->rdx, 0);

		checkf(hv_result_status(r) == c->want, c->name, "status %#x, want %#x",
		       hv_result_status(r), c->want);
	}
	/* A GPA that holds the block up to the last byte of its page is fine. */
	memcpy(in_blk + 4096 - 24, ok_flush, 24);
	check_eq(
	    "ok-block-ends-page",
	    hv_result_status(hv_call(hv_hypercall_input(F, false, 0, 0, 0), blk + 4096 - 24, 0)),
	    0);
	/* A list whose second range is bad: the first counts as done. */
	const uint64_t two[5] = {0, HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, 0, 1, 2};
	uint64_t w[7];

	memcpy(w, two, sizeof(two));
	w[5] = PROBE_VA;
	w[6] = PROBE_VA | HV_GVA_RANGE_EXT_LARGE_PAGE | HV_GVA_RANGE_EXT_PAGE_SIZE_1G | 0x200000;
	uint64_t r = hv_call(hv_hypercall_input(LX, false, 1, 2, 0), put_block(w, 7), 0);

	checkf(hv_result_status(r) == 5 && hv_result_reps(r) == 1, "bad-second-range-reps-done",
	       "result %#llx", (unsigned long long)r);
}

/* A Hyper-V hypercall at CPL 3 (RCX the input value, RDX the block): the vector it raises. */
static long user_hypercall(void *arg)
{
	long r;

	(void)arg;
	return hypercall_safe(
	    0, 0, 0, (uint64_t)(uintptr_t)in_blk,
	    hv_hypercall_input(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, false, 0, 0, 0), &r);
}

/* ---- PV IPIs ---- */
static void check_pv_ipis(void)
{
	uint64_t w[4] = {VEC_PV, HV_GENERIC_SET_SPARSE_4K, 1, 6};
	uint32_t base1 = pv_count[1], base2 = pv_count[2];

	/* The fast form: vector in RDX, mask in R8. */
	uint64_t r = hv_call(hv_hypercall_input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0),
			     VEC_PV, 6);

	check_eq("pv-ipi-fast-status", hv_result_status(r), 0);
	check(smp_wait_for(&pv_count[1], base1 + 1, WAIT) &&
		  smp_wait_for(&pv_count[2], base2 + 1, WAIT),
	      "pv-ipi-fast-delivered");
	r = hv_call(hv_hypercall_input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX, false, 1, 0, 0),
		    put_block(w, 4), 0);
	check_eq("pv-ipi-ex-status", hv_result_status(r), 0);
	check(smp_wait_for(&pv_count[1], base1 + 2, WAIT) &&
		  smp_wait_for(&pv_count[2], base2 + 2, WAIT),
	      "pv-ipi-ex-delivered");
	/* A vector below 0x10 is refused and nothing arrives. */
	r = hv_call(hv_hypercall_input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0), 0x05, 6);
	check_eq("pv-ipi-bad-vector", hv_result_status(r), HV_STATUS_INVALID_PARAMETER);
	iso_spin(100000);
	check(pv_count[1] == base1 + 2 && pv_count[2] == base2 + 2, "pv-ipi-bad-vector-not-sent");
}

/* ---- CPUID, MSRs, the page, time ---- */
static void check_cpuid(void)
{
	struct cpuid_regs r = cpuid(HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS);
	static struct tessera_cpuid_leaf rep[TESSERA_HYPERV_CPUID_MAX];

	check(r.eax == 0x40000006 && r.ebx == HYPERV_CPUID_SIGNATURE_EBX &&
		  r.ecx == HYPERV_CPUID_SIGNATURE_ECX && r.edx == HYPERV_CPUID_SIGNATURE_EDX,
	      "cpuid-vendor-microsoft-hv");
	check_eq("cpuid-interface-hv1", cpuid(HYPERV_CPUID_INTERFACE).eax,
		 HYPERV_CPUID_INTERFACE_HV1);
	r = cpuid(HYPERV_CPUID_FEATURES);
	check_eq("cpuid-privileges", r.eax,
		 HV_MSR_VP_RUNTIME_AVAILABLE | HV_MSR_TIME_REF_COUNT_AVAILABLE |
		     HV_MSR_HYPERCALL_AVAILABLE | HV_MSR_VP_INDEX_AVAILABLE |
		     HV_MSR_REFERENCE_TSC_AVAILABLE | HV_ACCESS_FREQUENCY_MSRS);
	check_eq("cpuid-features-edx", r.edx,
		 HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE | HV_FEATURE_FREQUENCY_MSRS_AVAILABLE |
		     HV_FEATURE_EXT_GVA_RANGES_FLUSH);
	r = cpuid(HYPERV_CPUID_ENLIGHTMENT_INFO);
	check(r.eax == (HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED | HV_X64_RELAXED_TIMING_RECOMMENDED |
			HV_X64_CLUSTER_IPI_RECOMMENDED | HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED) &&
		  r.ebx == HV_SPINLOCK_RETRIES_NEVER,
	      "cpuid-recommendations");
	r = cpuid(HYPERV_CPUID_IMPLEMENT_LIMITS);
	check(r.eax == NR_VCPUS && r.ebx == NR_VCPUS, "cpuid-limits");
	r = cpuid(0x40000007);
	check(!(r.eax | r.ebx | r.ecx | r.edx), "cpuid-0x40000007-zero");
	check_eq("cpuid-tessera-still-at-0x40000100", tessera_cpuid_base(), 0x40000100);
	/* The report (a Tessera call: the hypercall page is not enabled yet). */
	long n = tessera_hypercall(TESSERA_HC_HYPERV_CPUID, (uint64_t)(uintptr_t)rep,
				   TESSERA_HYPERV_CPUID_MAX, 0, 0);
	bool same = n == 7;

	for (long i = 0; same && i < n; i++) {
		struct cpuid_regs c = cpuid(0x40000000u + (uint32_t)i);

		same = rep[i].function == 0x40000000u + i && rep[i].eax == c.eax &&
		       rep[i].ebx == c.ebx && rep[i].ecx == c.ecx && rep[i].edx == c.edx;
	}
	checkf(same, "report-matches-cpuid", "%ld leaves", n);
}

static void check_msrs_and_page(void)
{
	uint64_t v = 0;
	uint64_t page = (uint64_t)(uintptr_t)hc_page;

	check_eq("msr-vp-index-0", rdmsr(HV_X64_MSR_VP_INDEX), 0);
	check(vp_index_seen[1] == 2 && vp_index_seen[2] == 3, "msr-vp-index-aps");
	check_eq("msr-vp-index-read-only", wrmsr_safe(HV_X64_MSR_VP_INDEX, 1), EXC_GP);
	check_eq("msr-unknown-synthetic-gp", rdmsr_safe(0x40000050, &v), EXC_GP);
	check_eq("msr-synic-not-offered-gp", rdmsr_safe(0x40000080, &v), EXC_GP);
	check_eq("msr-reset-not-offered-gp", rdmsr_safe(HV_X64_MSR_RESET, &v), EXC_GP);
	check_eq("msr-tsc-frequency", rdmsr(HV_X64_MSR_TSC_FREQUENCY) != 0, 1);
	check_eq("msr-apic-frequency", rdmsr(HV_X64_MSR_APIC_FREQUENCY),
		 rdmsr(HV_X64_MSR_TSC_FREQUENCY));
	/* No OS ID yet: the enable bit does not stick, VMCALL stays Tessera's. */
	wrmsr(HV_X64_MSR_HYPERCALL, page | HV_X64_MSR_HYPERCALL_ENABLE);
	check_eq("msr-hypercall-needs-os-id", rdmsr(HV_X64_MSR_HYPERCALL), page);
	check_eq("vmcall-tessera-before-enable",
		 tessera_hypercall(TESSERA_HC_ABI_VERSION, 0, 0, 0, 0), TESSERA_ABI_VERSION);
	wrmsr(HV_X64_MSR_GUEST_OS_ID, 0x8100000000000000ull); /* an open-source OS ID */
	check_eq("msr-guest-os-id", rdmsr(HV_X64_MSR_GUEST_OS_ID), 0x8100000000000000ull);
	check_eq("msr-hypercall-reserved-gp", wrmsr_safe(HV_X64_MSR_HYPERCALL, page | 4), EXC_GP);
	check_eq("msr-hypercall-outside-ram-gp",
		 wrmsr_safe(HV_X64_MSR_HYPERCALL, 0x80000000ull | HV_X64_MSR_HYPERCALL_ENABLE),
		 EXC_GP);
	hc_msr = page | HV_X64_MSR_HYPERCALL_ENABLE;
	wrmsr(HV_X64_MSR_HYPERCALL, hc_msr);
	check(hc_page[0] == 0x0f && hc_page[1] == 0x01 && hc_page[2] == 0xc1 && hc_page[3] == 0xc3,
	      "hypercall-page-vmcall-ret");
	hv_page = hc_page;
	/* Now VMCALL is Hyper-V's: RAX 0 is no Tessera call but a bad input value (code 0). */
	check_eq("vmcall-hyperv-after-enable", hv_result_status(hv_call(0, 0, 0)),
		 HV_STATUS_INVALID_HYPERCALL_CODE);
	long res = 0;

	/* TLFS: only CPL 0 may call; anywhere else the VMCALL is #UD. */
	check(run_user(user_hypercall, NULL, &res) && res == EXC_UD, "hypercall-cpl3-ud");
}

static uint64_t page_time(void)
{
	uint32_t seq;
	uint64_t t;

	do {
		seq = tsc_page.tsc_sequence;
		t = (uint64_t)(((unsigned __int128)rdtsc() * tsc_page.tsc_scale) >> 64) +
		    (uint64_t)tsc_page.tsc_offset;
	} while (seq != tsc_page.tsc_sequence);
	return t;
}

static void check_time(void)
{
	uint64_t hz = rdmsr(HV_X64_MSR_TSC_FREQUENCY);
	uint64_t r0 = rdmsr(HV_X64_MSR_TIME_REF_COUNT), t0 = rdtsc();

	iso_spin(500000);
	uint64_t r1 = rdmsr(HV_X64_MSR_TIME_REF_COUNT), t1 = rdtsc();
	uint64_t want = (t1 - t0) * 10000000ull / hz, got = r1 - r0;

	checkf(got + 2 >= want && got <= want + want / 50 + 2, "ref-count-vs-tsc",
	       "%llu units for %llu TSC ticks at %llu Hz (want %llu)", (unsigned long long)got,
	       (unsigned long long)(t1 - t0), (unsigned long long)hz, (unsigned long long)want);
	/* Across vCPUs: vCPU 1 reads after vCPU 0, vCPU 0 again after it. */
	uint64_t a = rdmsr(HV_X64_MSR_TIME_REF_COUNT);

	ap_do(1, 99, 0);
	uint64_t c = rdmsr(HV_X64_MSR_TIME_REF_COUNT);

	check(a <= ref_seen[1] && ref_seen[1] <= c, "ref-count-monotonic-across-vcpus");
	check(rdmsr(HV_X64_MSR_VP_RUNTIME) > 0, "vp-runtime-counts");
	/* The TSC page: the same clock, read without an exit. */
	check_eq("msr-reference-tsc-reserved-gp",
		 wrmsr_safe(HV_X64_MSR_REFERENCE_TSC, (uint64_t)(uintptr_t)&tsc_page | 2), EXC_GP);
	wrmsr(HV_X64_MSR_REFERENCE_TSC, (uint64_t)(uintptr_t)&tsc_page | 1);
	checkf(tsc_page.tsc_sequence != 0 && tsc_page.tsc_scale != 0, "tsc-page-valid",
	       "sequence %u scale %#llx", tsc_page.tsc_sequence,
	       (unsigned long long)tsc_page.tsc_scale);
	uint64_t m0 = rdmsr(HV_X64_MSR_TIME_REF_COUNT), p = page_time();
	uint64_t m1 = rdmsr(HV_X64_MSR_TIME_REF_COUNT);

	checkf(m0 <= p && p <= m1, "tsc-page-between-msr-reads", "%llu <= %llu <= %llu",
	       (unsigned long long)m0, (unsigned long long)p, (unsigned long long)m1);
	uint64_t last = 0;
	bool mono = true;

	for (int i = 0; i < 1000; i++) {
		uint64_t x = (i & 1) ? page_time() : rdmsr(HV_X64_MSR_TIME_REF_COUNT);

		mono &= x >= last;
		last = x;
	}
	check(mono, "ref-time-monotonic-page-and-msr");
}

/* ---- Figures ---- */
static uint64_t exits_total(void)
{
	static uint64_t st[TESSERA_EXIT_STATS_MAX];
	uint64_t sum = 0;

	wrmsr(HV_X64_MSR_HYPERCALL, hc_msr & ~HV_X64_MSR_HYPERCALL_ENABLE);
	tessera_hypercall(TESSERA_HC_EXIT_STATS, (uint64_t)(uintptr_t)st, TESSERA_EXIT_STATS_MAX, 0,
			  0);
	wrmsr(HV_X64_MSR_HYPERCALL, hc_msr);
	for (unsigned i = 0; i < TESSERA_EXIT_STATS_MAX; i++)
		sum += st[i];
	return sum;
}

enum bench_op { B_NONE, B_PV_FLUSH, B_NATIVE, B_PV_IPI, B_ICR };

static void bench_op(enum bench_op op, uint32_t mask)
{
	uint64_t w[4] = {0, HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES, mask, PROBE_VA};
	uint32_t acks, want = 0;

	switch (op) {
	case B_NONE:
		break;
	case B_PV_FLUSH:
		hv_call(hv_hypercall_input(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST, false, 0, 1, 0),
			put_block(w, 4), 0);
		break;
	case B_NATIVE: /* IPIs, INVLPG in each handler, wait for every acknowledgement */
		shoot_va = PROBE_VA;
		acks = shoot_acks;
		for (unsigned t = 1; t < NR_VCPUS; t++)
			if (mask >> t & 1) {
				xapic_send(t, VEC_SHOOT);
				want++;
			}
		if (mask & 1)
			__asm__ volatile("invlpg (%0)" : : "r"(shoot_va) : "memory");
		while (shoot_acks - acks < want)
			__asm__ volatile("pause");
		break;
	case B_PV_IPI:
		hv_call(hv_hypercall_input(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0),
			VEC_PV, mask);
		break;
	case B_ICR:
		for (unsigned t = 1; t < NR_VCPUS; t++)
			if (mask >> t & 1)
				xapic_send(t, VEC_PV);
		break;
	}
}

struct figure {
	uint64_t insns, exits;
};

/* The fewest instructions over 8 runs (the caller's TSC: Bochs counts instructions), exits per run.
 */
static struct figure measure(enum bench_op op, uint32_t mask, const struct figure *base)
{
	struct figure f = {~0ull, 0};
	uint64_t e0 = exits_total();

	for (int i = 0; i < 8; i++) {
		uint64_t t0 = rdtsc();

		bench_op(op, mask);
		uint64_t t1 = rdtsc();

		if (t1 - t0 < f.insns)
			f.insns = t1 - t0;
		iso_spin(20000); /* the targets' handlers and exits settle */
	}
	/* Per run, rounded: the 3 exits of the two readings themselves vanish in the rounding. */
	f.exits = (exits_total() - e0 + 4) / 8;
	if (base) {
		f.insns = f.insns > base->insns ? f.insns - base->insns : 0;
		f.exits = f.exits > base->exits ? f.exits - base->exits : 0;
	}
	return f;
}

static void report(const char *what, const char *how, uint32_t mask, struct figure f)
{
	guest_printf("bench: %-10s %-8s targets %u: %llu instructions, %llu exits\n", what, how,
		     (mask & 1) + (mask >> 1 & 1) + (mask >> 2 & 1), (unsigned long long)f.insns,
		     (unsigned long long)f.exits);
}

static void bench(void)
{
	struct figure base = measure(B_NONE, 0, NULL);
	static const uint32_t masks[3] = {2, 6, 7};

	guest_printf("bench: baseline (subtracted) %llu instructions, %llu exits\n",
		     (unsigned long long)base.insns, (unsigned long long)base.exits);
	for (int m = 0; m < 3; m++) {
		report("pv-flush", "running", masks[m], measure(B_PV_FLUSH, masks[m], &base));
		report("native", "running", masks[m], measure(B_NATIVE, masks[m], &base));
	}
	/* Halted targets: the PV flush does not wake them; the native one must. */
	for (unsigned t = 1; t < NR_VCPUS; t++)
		ap_do(t, OP_IDLE_HALT, 0);
	iso_spin(200000);
	for (int m = 0; m < 3; m++)
		report("pv-flush", "halted", masks[m], measure(B_PV_FLUSH, masks[m], &base));
	for (int m = 0; m < 3; m++)
		report("native", "halted", masks[m], measure(B_NATIVE, masks[m], &base));
	for (unsigned t = 1; t < NR_VCPUS; t++)
		ap_wake(t);
	iso_spin(200000);
	for (int m = 0; m < 2; m++) {
		report("pv-ipi", "running", masks[m], measure(B_PV_IPI, masks[m], &base));
		report("icr-write", "running", masks[m], measure(B_ICR, masks[m], &base));
	}
}

/* ---- hyperv = off ---- */
static void check_off(void)
{
	uint64_t v;
	static struct tessera_cpuid_leaf rep[1];
	struct cpuid_regs r = cpuid(0x40000000);

	check(r.ebx == TESSERA_SIGNATURE_EBX && r.ecx == TESSERA_SIGNATURE_ECX,
	      "off-0x40000000-is-tessera");
	r = cpuid(HYPERV_CPUID_INTERFACE);
	check(!(r.eax | r.ebx | r.ecx | r.edx), "off-no-interface-leaf");
	r = cpuid(HYPERV_CPUID_FEATURES);
	check(!(r.eax | r.ebx | r.ecx | r.edx), "off-no-features-leaf");
	const uint32_t msrs[] = {HV_X64_MSR_GUEST_OS_ID,    HV_X64_MSR_HYPERCALL,
				 HV_X64_MSR_VP_INDEX,	    HV_X64_MSR_TIME_REF_COUNT,
				 HV_X64_MSR_REFERENCE_TSC,  HV_X64_MSR_TSC_FREQUENCY,
				 HV_X64_MSR_APIC_FREQUENCY, HV_X64_MSR_VP_RUNTIME};
	bool gp = true;

	for (unsigned i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++)
		gp &= rdmsr_safe(msrs[i], &v) == EXC_GP && wrmsr_safe(msrs[i], 0) == EXC_GP;
	check(gp, "off-synthetic-msrs-gp");
	check_eq(
	    "off-report-empty",
	    (uint64_t)tessera_hypercall(TESSERA_HC_HYPERV_CPUID, (uint64_t)(uintptr_t)rep, 1, 0, 0),
	    0);
	check_eq("off-vmcall-tessera", tessera_hypercall(TESSERA_HC_ABI_VERSION, 0, 0, 0, 0),
		 TESSERA_ABI_VERSION);
}

static void enable_sse(void)
{
	uint64_t cr4 = read_cr4() | (1u << 9) | (1u << 10); /* OSFXSR, OSXMMEXCPT */

	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

void guest_main(const struct guest_boot *boot)
{
	char word[8];

	if (cmdline_get(iso_cmdline(boot), 512, "hyperv", word, sizeof(word)) &&
	    !strcmp(word, "off")) {
		check_off();
		guest_finish();
	}
	enable_sse();
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_write(GAPIC_LVT_LINT0, GAPIC_LVT_MASKED);
	apic_sw_enable(0xff);
	irq_set_handler(VEC_PV, on_pv);
	irq_set_handler(VEC_WAKE, on_wake);
	irq_set_handler(VEC_SHOOT, on_shoot);
	check_cpuid();
	probe_tables();
	check_eq("aps-started", smp_start_aps(ap_main, NR_VCPUS - 1, SMP_START_EACH), NR_VCPUS - 1);
	check(smp_wait_for(&ap_ready, NR_VCPUS - 1, WAIT), "aps-ready");
	check_msrs_and_page();
	irq_enable();
	for (unsigned i = 0; i < sizeof(flush_cases) / sizeof(flush_cases[0]); i++)
		run_flush_case(&flush_cases[i]);
	check_rep_resume();
	check_halted_target();
	check_malformed();
	check_pv_ipis();
	check_time();
	bench();
	irq_disable();
	guest_finish();
}
