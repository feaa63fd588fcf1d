/*
 * The VMX feature table. One line per feature, in a fixed order with fixed names
 * (the test runners grep them), reading "yes" only when every CPU has the
 * feature: Tessera may use only what all of its CPUs offer.
 */
#include "hv/core/vmx_report.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/string.h"

struct feature_row {
	const char *name;
	size_t offset; /* of a bool in struct vmx_caps */
};

#define ROW(name, field)                               \
	{                                              \
		name, offsetof(struct vmx_caps, field) \
	}

static const struct feature_row feature_rows[] = {
    ROW("EPT", ept),
    ROW("EPT 2M pages", ept_2m),
    ROW("EPT 1G pages", ept_1g),
    ROW("EPT execute-only", ept_exec_only),
    ROW("EPT accessed/dirty", ept_ad),
    ROW("VPID", vpid),
    ROW("unrestricted guest", unrestricted_guest),
    ROW("APIC-access virtualization", apic_access),
    ROW("APIC-register virtualization", apic_register_virt),
    ROW("virtual-interrupt delivery", virt_intr_delivery),
    ROW("posted interrupts", posted_intr),
    ROW("preemption timer", preemption_timer),
    ROW("x2APIC virtualization", x2apic_virt),
    ROW("MSR bitmaps", msr_bitmap),
    ROW("I/O bitmaps", io_bitmap),
    ROW("VMCS shadowing", vmcs_shadowing),
    ROW("PML", pml),
    ROW("SPP", spp),
    ROW("mode-based execute control", mbec),
    ROW("VMFUNC", vm_functions),
};

static bool has(const struct vmx_caps *caps, const struct feature_row *row)
{
	return *(const bool *)((const char *)caps + row->offset);
}

static bool cpu_counted(uint32_t i)
{
	return i == 0 || percpu[i].online;
}

static uint32_t cpus_known(void)
{
	return cpu_count < 1 ? 1 : MIN(cpu_count, (uint32_t)MAX_CPUS);
}

/* Appends to buf at *used; on overflow ends buf with "..." and returns false. */
static bool __printf(4, 5) appendf(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used + 1 >= size)
		return false;
	va_start(ap, fmt);
	n = fmt_vsnprintf(buf + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *used) {
		if (size >= 4)
			str_copy(buf + size - 4, "...", 4);
		*used = size;
		return false;
	}
	*used += (size_t)n;
	return true;
}

/*
 * "cpu2 lacks PML, SPP; cpu3 lacks VPID": for each CPU, the features another CPU
 * has and it has not. Returns false when all CPUs agree.
 */
static bool describe_differences(char *buf, size_t size, const bool *any)
{
	size_t used = 0;
	bool differ = false;

	buf[0] = '\0';
	for (uint32_t i = 0; i < cpus_known(); i++) {
		bool first = true;

		if (!cpu_counted(i))
			continue;
		for (size_t f = 0; f < ARRAY_SIZE(feature_rows); f++) {
			if (!any[f] || has(&percpu[i].vmx, &feature_rows[f]))
				continue;
			if (first)
				appendf(buf, size, &used, "%scpu%u lacks %s", differ ? "; " : "", i,
					feature_rows[f].name);
			else
				appendf(buf, size, &used, ", %s", feature_rows[f].name);
			differ = true;
			first = false;
		}
	}
	return differ;
}

static void print_table(uint32_t ncpus)
{
	bool all[ARRAY_SIZE(feature_rows)], any[ARRAY_SIZE(feature_rows)];
	const struct vmx_caps *boot = &percpu[0].vmx;
	char differences[160], detail[48];

	for (size_t f = 0; f < ARRAY_SIZE(feature_rows); f++) {
		all[f] = true;
		any[f] = false;
		for (uint32_t i = 0; i < cpus_known(); i++) {
			if (!cpu_counted(i))
				continue;
			all[f] = all[f] && has(&percpu[i].vmx, &feature_rows[f]);
			any[f] = any[f] || has(&percpu[i].vmx, &feature_rows[f]);
		}
	}
	if (describe_differences(differences, sizeof(differences), any))
		log_info("vmx: feature table (%u CPUs, CPUs differ: %s)", ncpus, differences);
	else
		log_info("vmx: feature table (%u CPUs, identical)", ncpus);

	for (size_t f = 0; f < ARRAY_SIZE(feature_rows); f++) {
		const struct feature_row *row = &feature_rows[f];

		detail[0] = '\0';
		if (any[f] && !all[f])
			str_copy(detail, " (not on every CPU)", sizeof(detail));
		else if (all[f] && row->offset == offsetof(struct vmx_caps, preemption_timer))
			fmt_snprintf(detail, sizeof(detail), " (rate: TSC/%llu)",
				     1ULL << boot->preemption_timer_rate);
		log_info("vmx:   %-30s %s%s", row->name, all[f] ? "yes" : "no", detail);
	}
}

bool vmx_report(void)
{
	const struct vmx_caps *boot = &percpu[0].vmx;
	uint32_t ncpus = 0, smoke_ok = 0;

	if (boot->missing) {
		log_info("vmx: not available: %s", boot->missing);
		return false;
	}
	for (uint32_t i = 0; i < cpus_known(); i++) {
		if (!cpu_counted(i))
			continue;
		ncpus++;
		if (percpu[i].vmx_smoke == VMX_SMOKE_OK)
			smoke_ok++;
		if (percpu[i].vmx.missing)
			log_warn("vmx: cpu%u cannot use VMX: %s", i, percpu[i].vmx.missing);
	}
	print_table(ncpus);
	log_info("vmx: VMXON/VMXOFF ok on %u of %u CPUs", smoke_ok, ncpus);
	return true;
}
