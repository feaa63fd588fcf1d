/*
 * misc_exits: the exits no other guest causes. I/O ports the config passes
 * through (0x70-0x71, the CMOS/RTC) reach the hardware while others read
 * all-ones; every VMX instruction raises #UD; INVD and WBINVD complete and are
 * counted as exits (Tessera skips them: docs/partitions.md). Needs Tessera and a config
 * with `ioports = 0x70-0x71`.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "misc_exits";

#define CMOS_INDEX	   0x70
#define CMOS_DATA	   0x71
#define CMOS_SECONDS	   0x00
#define CMOS_STATUS_B	   0x0b
#define BLOCKED_PORT	   0x2fd /* COM2's line status: never passed through here */
#define EXIT_REASON_INVD   13
#define EXIT_REASON_WBINVD 54

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void check_ports(void)
{
	uint8_t seconds = cmos_read(CMOS_SECONDS), status_b = cmos_read(CMOS_STATUS_B);
	uint16_t w;
	uint32_t l;

	/* Seconds are BCD (< 0x60) or binary (< 60) per status B bit 2; never 0xff. */
	checkf(seconds != 0xff && seconds < 0x60, "passthrough-rtc-seconds",
	       "RTC seconds read %#x, status B %#x", seconds, status_b);
	checkf(status_b != 0xff, "passthrough-cmos-status-b", "CMOS status B read %#x", status_b);
	check_eq("blocked-inb-all-ones", inb(BLOCKED_PORT), 0xff);
	__asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"((uint16_t)BLOCKED_PORT));
	check_eq("blocked-inw-all-ones", w, 0xffff);
	__asm__ volatile("inl %1, %0" : "=a"(l) : "Nd"((uint16_t)BLOCKED_PORT));
	check_eq("blocked-inl-all-ones", l, 0xffffffff);
}

static uint64_t zero_region[2] __attribute__((aligned(16)));

static void do_vmxon(void *a)
{
	(void)a;
	__asm__ volatile("vmxon %0" : : "m"(zero_region[0]) : "memory");
}
static void do_vmclear(void *a)
{
	(void)a;
	__asm__ volatile("vmclear %0" : : "m"(zero_region[0]) : "memory");
}
static void do_vmptrld(void *a)
{
	(void)a;
	__asm__ volatile("vmptrld %0" : : "m"(zero_region[0]) : "memory");
}
static void do_vmptrst(void *a)
{
	(void)a;
	__asm__ volatile("vmptrst %0" : "=m"(zero_region[0]) : : "memory");
}
static void do_vmread(void *a)
{
	uint64_t v;

	(void)a;
	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(0x681eULL) : "memory");
}
static void do_vmwrite(void *a)
{
	(void)a;
	__asm__ volatile("vmwrite %0, %1" : : "r"(0ULL), "r"(0x681eULL) : "memory");
}
static void do_vmlaunch(void *a)
{
	(void)a;
	__asm__ volatile("vmlaunch" ::: "memory");
}
static void do_vmresume(void *a)
{
	(void)a;
	__asm__ volatile("vmresume" ::: "memory");
}
static void do_vmxoff(void *a)
{
	(void)a;
	__asm__ volatile("vmxoff" ::: "memory");
}
static void do_invept(void *a)
{
	(void)a;
	__asm__ volatile("invept %0, %1" : : "m"(zero_region), "r"(1ULL) : "memory");
}
static void do_invvpid(void *a)
{
	(void)a;
	__asm__ volatile("invvpid %0, %1" : : "m"(zero_region), "r"(1ULL) : "memory");
}

static void check_vmx_instructions(void)
{
	static const struct {
		const char *what;
		void (*fn)(void *);
	} insns[] = {
	    {"vmxon-ud", do_vmxon},	  {"vmclear-ud", do_vmclear},	{"vmptrld-ud", do_vmptrld},
	    {"vmptrst-ud", do_vmptrst},	  {"vmread-ud", do_vmread},	{"vmwrite-ud", do_vmwrite},
	    {"vmlaunch-ud", do_vmlaunch}, {"vmresume-ud", do_vmresume}, {"vmxoff-ud", do_vmxoff},
	    {"invept-ud", do_invept},	  {"invvpid-ud", do_invvpid},
	};

	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		struct exc_info info;
		bool ud = exc_expect(EXC_UD, insns[i].fn, 0, &info);

		checkf(ud, insns[i].what, "expected #UD, got %s", exc_name(info.other_vector));
	}
}

static uint64_t before[TESSERA_EXIT_STATS_MAX], after[TESSERA_EXIT_STATS_MAX];

static void check_cache_flushes(void)
{
	long n = tessera_hypercall(TESSERA_HC_EXIT_STATS, (uintptr_t)before, 60, 0, 0);

	volatile int stage = 0;

	__asm__ volatile("invd" ::: "memory");
	stage = 1;
	__asm__ volatile("wbinvd" ::: "memory");
	stage = 2;
	tessera_hypercall(TESSERA_HC_EXIT_STATS, (uintptr_t)after, 60, 0, 0);
	check_eq("cache-flushes-complete", (uint64_t)stage, 2);
	check_eq("exit-stats-read", (uint64_t)n, 60);
	check_eq("invd-exit-counted", after[EXIT_REASON_INVD] - before[EXIT_REASON_INVD], 1);
	check_eq("wbinvd-exit-counted", after[EXIT_REASON_WBINVD] - before[EXIT_REASON_WBINVD], 1);
}

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	if (!check(on_tessera(), "on-tessera"))
		return;
	check_ports();
	check_vmx_instructions();
	check_cache_flushes();
}
