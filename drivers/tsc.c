/*
 * TSC frequency. CPUID can state it (leaf 0x15: crystal clock and TSC/crystal
 * ratio; leaf 0x16: base frequency in MHz), but emulators copy those leaves from the
 * CPU model they imitate while their TSC runs at another rate (Bochs: one tick per
 * instruction). So the TSC is also measured against a clock with a known rate, the
 * ACPI PM timer (3.579545 MHz) or else PIT channel 2 (1.193182 MHz), and CPUID's
 * figure is used only when the measurement agrees with it.
 */
#include "drivers/tsc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/io.h"
#include "arch/x86/percpu.h"
#include "lib/log.h"

#define CALIBRATE_MS	  2 /* PM timer: ~7000 counts, PIT: ~2400; +-1 count is < 0.05% */
#define CALIBRATE_RUNS	  3
#define AGREE_PERMILLE	  20	   /* CPUID and measurement within 2% */
#define STUCK_READS	  100000   /* a clock that shows no change this often is dead */
#define MAX_READS	  10000000 /* bound on one measurement window */
#define GUESS_KHZ	  2000000  /* when nothing can be measured */
#define EARLY_KHZ	  5000000  /* udelay before tsc_init: assume a fast TSC */
#define MIN_PLAUSIBLE_KHZ 1000	   /* 1 MHz: Bochs runs at its ips setting */
#define MAX_PLAUSIBLE_KHZ 100000000

#define PIT_HZ		   1193182
#define PIT_CH2_DATA	   0x42
#define PIT_COMMAND	   0x43
#define PIT_CH2_MODE0_LOHI 0xb0 /* channel 2, lobyte/hibyte, mode 0, binary */
#define SYS_CTRL_PORT_B	   0x61
#define PORT_B_GATE2	   BIT(0)
#define PORT_B_SPEAKER	   BIT(1)
#define PORT_B_OUT2	   BIT(5)

static uint64_t khz;

uint64_t tsc_khz(void)
{
	return khz;
}

uint64_t tsc_ticks_from_us(uint64_t us)
{
	uint64_t k = khz ? khz : EARLY_KHZ;

	if (us > UINT64_MAX / k)
		return UINT64_MAX;
	return us * k / 1000;
}

void udelay(uint64_t us)
{
	uint64_t ticks = tsc_ticks_from_us(us), start = rdtsc();

	while (rdtsc() - start < ticks)
		cpu_relax();
}

/* The frequency CPUID states, 0 if none; *src names the leaf. */
static uint64_t cpuid_khz(const char **src)
{
	uint32_t max = cpuid(0, 0).eax;

	if (max >= 0x15) {
		struct cpuid_regs r = cpuid(0x15, 0);

		/* EAX: denominator, EBX: numerator, ECX: crystal Hz (0: not enumerated). */
		if (r.eax && r.ebx && r.ecx) {
			*src = "CPUID 0x15";
			return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
		}
	}
	if (max >= 0x16) {
		uint32_t mhz = cpuid(0x16, 0).eax & 0xffff;

		if (mhz) {
			*src = "CPUID 0x16";
			return (uint64_t)mhz * 1000;
		}
	}
	return 0;
}

/* TSC kHz over CALIBRATE_MS of the PM timer; 0 if the timer does not tick. */
static uint64_t measure_pm_timer(uint16_t port, bool bits32)
{
	const uint32_t mask = bits32 ? 0xffffffffu : 0xffffffu;
	const uint32_t window = (uint32_t)((uint64_t)ACPI_PM_TIMER_HZ * CALIBRATE_MS / 1000);
	uint32_t first = inl(port) & mask, start, elapsed = 0;
	uint64_t reads = 0, t0, t1;

	/* Start on a tick edge, so the window is exact to the TSC's resolution. */
	while ((start = inl(port) & mask) == first)
		if (++reads == STUCK_READS)
			return 0;
	t0 = rdtsc();
	for (reads = 0; elapsed < window; reads++) {
		if (reads == MAX_READS)
			return 0;
		elapsed = ((inl(port) & mask) - start) & mask;
	}
	t1 = rdtsc();
	return (t1 - t0) * ACPI_PM_TIMER_HZ / elapsed / 1000;
}

/* TSC kHz over CALIBRATE_MS of PIT channel 2 in one-shot mode; 0 if it never ends. */
static uint64_t measure_pit(void)
{
	const uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1, reads = 0;

	/* Gate on, speaker off; OUT2 goes high when the count reaches zero. */
	outb(SYS_CTRL_PORT_B, (uint8_t)((inb(SYS_CTRL_PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
	outb(PIT_CH2_DATA, count & 0xff);
	outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
	t0 = rdtsc();
	while (!(inb(SYS_CTRL_PORT_B) & PORT_B_OUT2))
		if (++reads == MAX_READS)
			return 0;
	t1 = rdtsc();
	return (t1 - t0) * PIT_HZ / count / 1000;
}

/*
 * The lowest of a few runs: an interruption (SMI, the host descheduling an
 * emulator) can only make a run read high.
 */
static uint64_t measure(const struct acpi_info *acpi, const char **src)
{
	uint64_t best = 0;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t k = acpi->pm_tmr_port
				 ? measure_pm_timer(acpi->pm_tmr_port, acpi->pm_tmr_32bit)
				 : measure_pit();
		if (k < MIN_PLAUSIBLE_KHZ || k > MAX_PLAUSIBLE_KHZ)
			break;
		best = best && best < k ? best : k;
	}
	if (best)
		*src = acpi->pm_tmr_port ? "ACPI PM timer" : "PIT";
	else if (acpi->pm_tmr_port)
		log_warn("tsc: the ACPI PM timer at port %#x does not tick", acpi->pm_tmr_port);
	else
		log_warn("tsc: PIT channel 2 does not count");
	return best;
}

void tsc_init(const struct acpi_info *acpi)
{
	const char *cpuid_src = NULL, *measure_src = NULL;

	if (!(cpuid(1, 0).edx & CPUID_1_EDX_TSC))
		panic("tsc: this CPU has no time-stamp counter");

	uint64_t stated = cpuid_khz(&cpuid_src);
	uint64_t measured = measure(acpi, &measure_src);
	if (stated && measured) {
		uint64_t diff = stated > measured ? stated - measured : measured - stated;

		if (diff * 1000 <= measured * AGREE_PERMILLE) {
			khz = stated;
			log_info("tsc: %llu kHz (from %s; %s measured %llu kHz)",
				 (unsigned long long)khz, cpuid_src, measure_src,
				 (unsigned long long)measured);
		} else {
			khz = measured;
			log_info("tsc: %llu kHz (from %s; %s says %llu kHz, not this TSC's rate)",
				 (unsigned long long)khz, measure_src, cpuid_src,
				 (unsigned long long)stated);
		}
	} else if (stated || measured) {
		khz = stated ? stated : measured;
		log_info("tsc: %llu kHz (from %s)", (unsigned long long)khz,
			 stated ? cpuid_src : measure_src);
	} else {
		khz = GUESS_KHZ;
		log_err("tsc: %llu kHz (a guess: no CPUID leaf and no clock to measure against)",
			(unsigned long long)khz);
	}
	this_cpu()->tsc_khz = khz;
}
