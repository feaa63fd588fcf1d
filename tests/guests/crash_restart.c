/*
 * crash_restart: for a partition with on_crash = restart. First boot
 * (restarts == 0): checks its RAM is as a fresh boot gives it, dirties .data,
 * the zero-filled tail of its data segment and two areas of free RAM, then
 * triple-faults. Tessera must reload the image from its pristine boot module
 * into zeroed RAM; the second boot (restarts == 1) checks exactly that and
 * ends with status 0. Needs Tessera (TESSERA_HC_PARTITION_INFO).
 * With `crash=always` on its command line it triple-faults on every boot, for
 * the restart budget (tests/system/crash-loop.sh).
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/msr_index.h"

const char guest_name[] = "crash_restart";

#define CANARY	  0xc0ffee0012345678ull
#define DIRTY	  0xa5
#define AREA_SIZE 0x10000ull  /* 64 KiB */
#define LOW_AREA  0x400000ull /* 4 MiB: free RAM above the image */
#define SEG_TAIL  64	      /* bytes before __bss_start the loader must zero */

extern char __bss_start[];

static volatile uint64_t data_canary = CANARY;
static volatile uint32_t data_words[8] = {1, 2, 3, 5, 8, 13, 21, 34};

struct area {
	const char *name;
	volatile uint8_t *p;
	uint64_t len;
};

static bool all_bytes(volatile const uint8_t *p, uint64_t len, uint8_t v, uint64_t *where)
{
	for (uint64_t i = 0; i < len; i++)
		if (p[i] != v) {
			*where = i;
			return false;
		}
	return true;
}

static void check_zero(const struct area *a, const char *boot)
{
	char what[48];
	uint64_t at = 0;

	guest_snprintf(what, sizeof(what), "%s-%s-zero", boot, a->name);
	checkf(all_bytes(a->p, a->len, 0, &at), what, "byte at %p is %#x",
	       (const void *)(a->p + at), a->p[at]);
}

static void check_data(const char *boot)
{
	static const uint32_t want[8] = {1, 2, 3, 5, 8, 13, 21, 34};
	char what[48];
	bool same = true;

	for (unsigned i = 0; i < 8; i++)
		same &= data_words[i] == want[i];
	guest_snprintf(what, sizeof(what), "%s-data-canary-as-built", boot);
	check_eq(what, data_canary, CANARY);
	guest_snprintf(what, sizeof(what), "%s-data-array-as-built", boot);
	check(same, what);
}

/*
 * State the guest keeps in its CPU's hardware rather than in memory: MSRs that
 * VM entry does not switch, and XCR0. A restart must reset them too.
 */
static const uint32_t hw_msrs[] = {IA32_STAR, IA32_LSTAR, IA32_CSTAR, IA32_FMASK,
				   IA32_KERNEL_GS_BASE};
static const char *const hw_msr_checks[] = {"second-boot-star-reset", "second-boot-lstar-reset",
					    "second-boot-cstar-reset", "second-boot-fmask-reset",
					    "second-boot-kernel-gs-base-reset"};

static bool has_xsave(void)
{
	return cpuid(1).ecx & (1u << 26);
}

static uint64_t xcr0_read(void)
{
	uint32_t lo, hi;

	__asm__ volatile("mov %%cr4, %%rax; or $0x40000, %%rax; mov %%rax, %%cr4" ::: "rax");
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* CR2, the debug registers, x87 and SSE state: a restart must leave them as at reset. */
#define CR0_EM		  (1ull << 2)
#define CR0_TS		  (1ull << 3)
#define CR4_OSFXSR	  (1ull << 9)
#define DR6_RESET	  0xffff0ff0ull
#define DR7_RESET	  0x400ull
#define FCW_INIT	  0x037f /* what FNINIT and an XRSTOR of the init state give */
#define MXCSR_RESET	  0x1f80
#define DIRTY_PATTERN	  0x5a5a5a5a12345678ull
#define DIRTY_DR_ADDR	  0x00007ffff0001000ull /* canonical, never executed or accessed */
#define DIRTY_DR7_ENABLES 0xffull /* L0-3 and G0-3: breakpoints at addresses never used */

struct fpu_regs {
	uint64_t xmm0, cr2, dr[4], dr6, dr7;
	uint32_t mxcsr;
	uint16_t fcw, fsw;
};

static void enable_sse(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	__asm__ volatile("mov %0, %%cr0; mov %1, %%cr4"
			 :
			 : "r"(cr0 & ~(CR0_EM | CR0_TS)), "r"(cr4 | CR4_OSFXSR));
}

static void dirty_cpu_registers(void)
{
	uint32_t mxcsr = MXCSR_RESET | 0x6000; /* rounding toward zero */
	uint16_t fcw = 0x027f;		       /* precision 53 bits */

	enable_sse();
	__asm__ volatile("movq %0, %%xmm0; ldmxcsr %1; fldcw %2; fld1; fld1"
			 :
			 : "r"(DIRTY_PATTERN), "m"(mxcsr), "m"(fcw));
	__asm__ volatile("mov %0, %%cr2" : : "r"(DIRTY_PATTERN));
	write_dr0(DIRTY_DR_ADDR);
	write_dr1(DIRTY_DR_ADDR + 8);
	write_dr2(DIRTY_DR_ADDR + 16);
	write_dr3(DIRTY_DR_ADDR + 24);
	write_dr6(DR6_RESET | 0x400f); /* B0-B3 and BS */
	write_dr7(DR7_RESET | DIRTY_DR7_ENABLES);
}

static void read_cpu_registers(struct fpu_regs *r)
{
	enable_sse();
	__asm__ volatile("movq %%xmm0, %0; stmxcsr %1; fnstcw %2; fnstsw %3"
			 : "=r"(r->xmm0), "=m"(r->mxcsr), "=m"(r->fcw), "=m"(r->fsw));
	r->cr2 = read_cr2();
	r->dr[0] = read_dr0();
	r->dr[1] = read_dr1();
	r->dr[2] = read_dr2();
	r->dr[3] = read_dr3();
	r->dr6 = read_dr6();
	r->dr7 = read_dr7();
}

static void check_cpu_registers(void)
{
	static const char *const dr_checks[] = {"second-boot-dr0-reset", "second-boot-dr1-reset",
						"second-boot-dr2-reset", "second-boot-dr3-reset"};
	struct fpu_regs r;

	read_cpu_registers(&r);
	check_eq("second-boot-cr2-reset", r.cr2, 0);
	for (unsigned i = 0; i < 4; i++)
		check_eq(dr_checks[i], r.dr[i], 0);
	check_eq("second-boot-dr6-reset", r.dr6, DR6_RESET);
	check_eq("second-boot-dr7-reset", r.dr7, DR7_RESET);
	check_eq("second-boot-xmm0-reset", r.xmm0, 0);
	check_eq("second-boot-mxcsr-reset", r.mxcsr, MXCSR_RESET);
	check_eq("second-boot-x87-control-word-reset", r.fcw, FCW_INIT);
	check_eq("second-boot-x87-status-top-reset", r.fsw, 0);
}

#define TSC_FAR (1ull << 50)

static void dirty_hardware_state(void)
{
	dirty_cpu_registers();
	wrmsr_safe(IA32_MISC_ENABLE, 0x1800); /* fast strings off */
	wrmsr_safe(IA32_TIME_STAMP_COUNTER, TSC_FAR);
	for (unsigned i = 0; i < ARRAY_SIZE(hw_msrs); i++)
		wrmsr_safe(hw_msrs[i], 0xffff800000001000ULL + i * 0x1000);
	if (has_xsave()) {
		(void)xcr0_read();				       /* sets CR4.OSXSAVE */
		__asm__ volatile("xsetbv" : : "c"(0), "a"(3), "d"(0)); /* x87 | SSE */
	}
}

static void check_hardware_state(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(hw_msrs); i++) {
		uint64_t v = ~0ULL;

		checkf(rdmsr_safe(hw_msrs[i], &v) == EXC_NONE && v == 0, hw_msr_checks[i],
		       "MSR %#x reads %#llx after the restart, want 0", hw_msrs[i],
		       (unsigned long long)v);
	}
	if (has_xsave())
		check_eq("second-boot-xcr0-reset", xcr0_read(), 1);
	uint64_t misc = 0, tsc = rdtsc();

	check(rdmsr_safe(IA32_MISC_ENABLE, &misc) == EXC_NONE && misc == 0x1801,
	      "second-boot-misc-enable-reset");
	checkf(tsc < TSC_FAR / 2, "second-boot-tsc-from-reset", "TSC %#llx",
	       (unsigned long long)tsc);
}

static void triple_fault(void)
{
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty_idt = {0, 0};
	__asm__ volatile("lidt %0; ud2" : : "m"(empty_idt) : "memory");
}

void guest_main(const struct guest_boot *boot)
{
	struct tessera_partition_info info;
	uint64_t ram_end = iso_ram_end(boot);

	if (!check(on_tessera(), "on-tessera") || !iso_partition_info(&info))
		guest_finish();
	/* The tail of the data segment holds no .data: it is the ELF's zero fill. */
	if (!checkf((uintptr_t)&data_words[8] + SEG_TAIL <= (uintptr_t)__bss_start &&
			(uintptr_t)&data_canary + 8 + SEG_TAIL <= (uintptr_t)__bss_start &&
			ram_end >= LOW_AREA + 2 * AREA_SIZE && ram_end == info.memory_bytes,
		    "layout-as-expected", "bss at %p, RAM end %#llx, partition %#llx bytes",
		    (void *)__bss_start, (unsigned long long)ram_end,
		    (unsigned long long)info.memory_bytes))
		guest_finish();

	const struct area areas[] = {
	    {"segment-tail", (volatile uint8_t *)((uintptr_t)__bss_start - SEG_TAIL), SEG_TAIL},
	    {"low-ram", (volatile uint8_t *)(uintptr_t)LOW_AREA, AREA_SIZE},
	    {"top-ram", (volatile uint8_t *)(uintptr_t)(ram_end - AREA_SIZE), AREA_SIZE},
	};

	guest_printf("guest crash_restart: restarts = %u\n", info.restarts);
	char mode[8];

	if (cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "crash", mode, sizeof(mode)) &&
	    strcmp(mode, "always") == 0) {
		guest_printf("guest crash_restart: crash=always: triple-faulting\n");
		triple_fault();
	}
	if (info.restarts == 0) {
		check_data("first-boot");
		for (unsigned i = 0; i < ARRAY_SIZE(areas); i++)
			check_zero(&areas[i], "first-boot");
		if (checks_failed())
			guest_finish();
		data_canary = ~CANARY;
		for (unsigned i = 0; i < 8; i++)
			data_words[i] = 0xdeadbeef;
		for (unsigned i = 0; i < ARRAY_SIZE(areas); i++)
			memset((void *)areas[i].p, DIRTY, areas[i].len);
		dirty_hardware_state();
		guest_report();
		guest_printf("guest crash_restart: memory dirtied; triple-faulting\n");
		triple_fault();
		checkf(false, "crashed", "the guest ran on after a triple fault");
		guest_exit(1);
	}
	check_eq("restarted-once", info.restarts, 1);
	check_data("second-boot");
	for (unsigned i = 0; i < ARRAY_SIZE(areas); i++)
		check_zero(&areas[i], "second-boot");
	check_hardware_state();
	check_cpu_registers();
}
