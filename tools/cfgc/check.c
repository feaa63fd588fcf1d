/*
 * cfgc: the semantic checker. Pure: it reads a struct tessera_config (trusting
 * none of its counts or strings) and reports every rule it breaks, naming the
 * file, line, partition and field. The rules are listed in docs/config.md.
 */
#include <stdarg.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"
#include "tools/cfgc/enum_keys.h"
#include "drivers/machine_exit.h"
#include "drivers/uart.h"
#include "guest-abi/fw_cfg.h"

#define FW_CFG_LAST (FW_CFG_PORT_SEL + FW_CFG_PORTS - 1)

struct checker {
	const struct tessera_config *cfg;
	const struct cfg_source *src;
	struct cfg_diag *d;
};

/* I/O ports Tessera itself drives or emulates: no partition may have them. */
static const struct {
	uint16_t first, last;
	const char *what;
} hv_ports[] = {
    {QEMU_DEBUG_EXIT_PORT, QEMU_DEBUG_EXIT_PORT + 3, "the debug-exit port Tessera emulates"},
    {UART_COM1, UART_COM1 + 7, "Tessera's console UART"},
};

static void machine_err(struct checker *c, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void machine_err(struct checker *c, int field, const char *fmt, ...)
{
	unsigned line = c->src->machine_line[field] ? c->src->machine_line[field]
						    : c->src->machine_line[CFG_M_SECTION];
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cfg_error(c->d, c->src->file, line, "machine", cfg_machine_keys[field], "%s", what);
}

static void part_err(struct checker *c, uint32_t i, int field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void part_err(struct checker *c, uint32_t i, int field, const char *fmt, ...)
{
	const unsigned *lines = c->src->part_line[i];
	const char *name = c->cfg->partitions[i].name;
	char what[400], where[16 + CONFIG_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* The name may be the broken thing: never read past its array. */
	snprintf(where, sizeof(where), "partition %.*s", CONFIG_NAME_MAX - 1, name);
	cfg_error(c->d, c->src->file, lines[field] ? lines[field] : lines[CFG_P_SECTION], where,
		  cfg_part_keys[field], "%s", what);
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* Names and module names: one word of printable ASCII. */
static bool is_word(const char *s, bool name_charset)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		bool ok = name_charset ? (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
					     (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'
				       : *s > ' ' && *s < 0x7f && *s != '"' && *s != ',';
		if (!ok)
			return false;
	}
	return true;
}

/*
 * The words Tessera's own console lines begin with, after "[cpuN] ": a
 * partition's lines begin "[NAME] ", so a partition may not be called like any
 * of them (in any case), nor "cpu" or "cpuN", or its lines could pass for
 * Tessera's. Keep in step with the log_*() and panic() calls of the hypervisor.
 */
static const char *const reserved_names[] = {
    "acpi",    "alloc_pages", "boot",  "config",    "console",	  "ept",     "error",  "exception",
    "image",   "lapic",	      "mb2",   "mem",	    "memmap",	  "memory",  "module", "modules",
    "paging",  "page_alloc",  "panic", "partition", "partitions", "pvh",     "rtc",    "smp",
    "tessera", "timer",	      "traps", "tsc",	    "vmx",	  "warning",
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool same_nocase(const char *a, const char *b)
{
	for (; *a && lower(*a) == lower(*b); a++, b++)
		;
	return lower(*a) == lower(*b);
}

/* "cpu", "cpu0", "CPU12"... */
static bool is_cpu_name(const char *n)
{
	if (lower(n[0]) != 'c' || lower(n[1]) != 'p' || lower(n[2]) != 'u')
		return false;
	for (n += 3; *n; n++)
		if (*n < '0' || *n > '9')
			return false;
	return true;
}

/* The reserved word a name looks like, or NULL. */
static const char *reserved_name(const char *name)
{
	if (is_cpu_name(name))
		return "cpuN";
	for (size_t i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (same_nocase(name, reserved_names[i]))
			return reserved_names[i];
	return NULL;
}

static const char *cpu_text(const struct config_cpu *cpu, char *buf, size_t size)
{
	snprintf(buf, size, cpu->kind == CONFIG_CPU_APIC_ID ? "apic:%u" : "CPU %u", cpu->id);
	return buf;
}

static bool same_cpu(const struct config_cpu *a, const struct config_cpu *b)
{
	return a->kind == b->kind && a->id == b->id;
}

/* Judges one CPU reference; returns false if it is already reported. */
static bool cpu_valid(const struct checker *c, const struct config_cpu *cpu, char *why, size_t size)
{
	if (cpu->kind == CONFIG_CPU_INDEX && cpu->id >= c->cfg->machine_cpus) {
		snprintf(why, size, "CPU %u is beyond the machine's %u CPUs (indexes 0-%u)",
			 cpu->id, c->cfg->machine_cpus,
			 c->cfg->machine_cpus ? c->cfg->machine_cpus - 1 : 0);
		return false;
	}
	if (cpu->kind == CONFIG_CPU_APIC_ID && cpu->id > CONFIG_MAX_APIC_ID) {
		snprintf(why, size, "APIC ID 0x%x is the broadcast ID", cpu->id);
		return false;
	}
	if (cpu->kind != CONFIG_CPU_INDEX && cpu->kind != CONFIG_CPU_APIC_ID) {
		snprintf(why, size, "CPU kind %u is neither an index nor an APIC ID", cpu->kind);
		return false;
	}
	return true;
}

static void check_machine(struct checker *c)
{
	const struct tessera_config *cfg = c->cfg;
	char why[160], a[32];

	if (!c->src->machine_line[CFG_M_SECTION])
		cfg_error(c->d, c->src->file, 0, "machine", NULL,
			  "section [machine] missing (it gives cpus and memory)");
	if (cfg->machine_cpus == 0)
		machine_err(c, CFG_M_CPUS, "missing or zero");
	else if (cfg->machine_cpus > CONFIG_MAX_CPUS)
		machine_err(c, CFG_M_CPUS, "%u is more than the %d CPUs Tessera supports",
			    cfg->machine_cpus, CONFIG_MAX_CPUS);
	if (cfg->machine_memory == 0)
		machine_err(c, CFG_M_MEMORY, "missing or zero");

	if (cfg->nr_housekeeping == 0 || cfg->nr_housekeeping > CONFIG_MAX_HOUSEKEEPING_CPUS) {
		machine_err(c, CFG_M_HOUSEKEEPING,
			    "housekeeping CPU missing: Tessera needs 1 to %d CPUs of its own",
			    CONFIG_MAX_HOUSEKEEPING_CPUS);
		return;
	}
	for (uint32_t i = 0; i < cfg->nr_housekeeping; i++) {
		if (!cpu_valid(c, &cfg->housekeeping[i], why, sizeof(why)))
			machine_err(c, CFG_M_HOUSEKEEPING, "%s", why);
		for (uint32_t j = 0; j < i; j++)
			if (same_cpu(&cfg->housekeeping[i], &cfg->housekeeping[j]))
				machine_err(c, CFG_M_HOUSEKEEPING, "%s listed twice",
					    cpu_text(&cfg->housekeeping[i], a, sizeof(a)));
	}
}

/* Counts and strings first: nothing else may be read until these hold. */
static bool partition_readable(struct checker *c, uint32_t i)
{
	const struct partition_config *p = &c->cfg->partitions[i];
	bool ok = true;

	if (!terminated(p->name, sizeof(p->name))) {
		part_err(c, i, CFG_P_SECTION, "name not terminated");
		return false;
	}
#define LIMIT(count, max, field)                                                   \
	if ((count) > (max)) {                                                     \
		part_err(c, i, field, "%u entries, more than %d", (count), (max)); \
		ok = false;                                                        \
	}
	LIMIT(p->nr_cpus, CONFIG_MAX_PARTITION_CPUS, CFG_P_CPUS);
	LIMIT(p->nr_mem_regions, CONFIG_MAX_MEM_REGIONS, CFG_P_RAM);
	LIMIT(p->nr_modules, CONFIG_MAX_MODULES, CFG_P_MODULES);
	LIMIT(p->nr_io_ranges, CONFIG_MAX_IO_RANGES, CFG_P_IOPORTS);
#undef LIMIT
	if (!terminated(p->image, sizeof(p->image))) {
		part_err(c, i, CFG_P_IMAGE, "not terminated");
		ok = false;
	}
	if (!terminated(p->cmdline, sizeof(p->cmdline))) {
		part_err(c, i, CFG_P_CMDLINE, "not terminated");
		ok = false;
	}
	for (uint32_t m = 0; ok && m < p->nr_modules; m++) {
		if (!terminated(p->modules[m], sizeof(p->modules[m]))) {
			part_err(c, i, CFG_P_MODULES, "module %u not terminated", m);
			ok = false;
		}
	}
	return ok;
}

static void check_names(struct checker *c, uint32_t i)
{
	const struct partition_config *p = &c->cfg->partitions[i];

	if (!is_word(p->name, true))
		part_err(c, i, CFG_P_SECTION,
			 "'%s' is not a name (letters, digits, '_' and '-' only)", p->name);
	else if (reserved_name(p->name))
		part_err(c, i, CFG_P_SECTION,
			 "'%s' is reserved: Tessera's own console lines begin with '%s', and a "
			 "partition's lines with its name",
			 p->name, reserved_name(p->name));
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(p->name, c->cfg->partitions[j].name) == 0)
			part_err(c, i, CFG_P_SECTION, "duplicate partition name (also on line %u)",
				 c->src->part_line[j][CFG_P_SECTION]);
	if (!p->image[0])
		part_err(c, i, CFG_P_IMAGE, "missing: the GRUB module name of the guest image");
	else if (!is_word(p->image, false))
		part_err(c, i, CFG_P_IMAGE, "'%s' is not a module name (one word, no quotes)",
			 p->image);
	for (uint32_t m = 0; m < p->nr_modules; m++)
		if (!is_word(p->modules[m], false))
			part_err(c, i, CFG_P_MODULES,
				 "'%s' is not a module name (one word, no quotes)", p->modules[m]);
	for (const char *s = p->cmdline; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7f) {
			part_err(c, i, CFG_P_CMDLINE, "control or non-ASCII character 0x%x",
				 (unsigned char)*s);
			break;
		}
	for (size_t k = 0; k < cfg_nr_enum_keys; k++) {
		const struct cfg_enum_key *ek = &cfg_enum_keys[k];

		if (cfg_enum_get(p, ek) >= cfg_enum_count(ek))
			part_err(c, i, ek->field, "%u is not %s", cfg_enum_get(p, ek), ek->what);
	}
	if (p->lapic == CONFIG_LAPIC_PASSTHROUGH && p->x2apic == CONFIG_OFF)
		part_err(c, i, CFG_P_LAPIC,
			 "passthrough needs x2apic = on (the guest runs its CPU's own x2APIC)");
	if (p->lapic == CONFIG_LAPIC_PASSTHROUGH && p->timer != CONFIG_TIMER_AUTO)
		part_err(c, i, CFG_P_TIMER,
			 "not used with lapic = passthrough (the guest programs its CPU's own "
			 "LAPIC timer): leave it out");
	if (p->restart_limit < 1 || p->restart_limit > CONFIG_RESTART_LIMIT_MAX)
		part_err(c, i, CFG_P_RESTART_LIMIT, "%u restarts: allowed are 1 to %u",
			 p->restart_limit, CONFIG_RESTART_LIMIT_MAX);
	if (p->restart_window_s < 1 || p->restart_window_s > CONFIG_RESTART_WINDOW_MAX)
		part_err(c, i, CFG_P_RESTART_LIMIT, "a window of %u s: allowed are 1 to %u s",
			 p->restart_window_s, CONFIG_RESTART_WINDOW_MAX);
}

static void check_cpus(struct checker *c, uint32_t i)
{
	const struct tessera_config *cfg = c->cfg;
	const struct partition_config *p = &cfg->partitions[i];
	char why[160], a[32];

	if (p->nr_cpus == 0)
		part_err(c, i, CFG_P_CPUS, "partition has no CPUs");
	for (uint32_t k = 0; k < p->nr_cpus; k++) {
		const struct config_cpu *cpu = &p->cpus[k];
		bool reported = false;

		if (!cpu_valid(c, cpu, why, sizeof(why))) {
			part_err(c, i, CFG_P_CPUS, "%s", why);
			continue;
		}
		cpu_text(cpu, a, sizeof(a));
		for (uint32_t h = 0; h < cfg->nr_housekeeping && h < CONFIG_MAX_HOUSEKEEPING_CPUS;
		     h++)
			if (same_cpu(cpu, &cfg->housekeeping[h])) {
				part_err(c, i, CFG_P_CPUS, "%s is a housekeeping CPU", a);
				reported = true;
			}
		for (uint32_t k2 = 0; k2 < k && !reported; k2++)
			if (same_cpu(cpu, &p->cpus[k2])) {
				part_err(c, i, CFG_P_CPUS, "%s listed twice", a);
				reported = true;
			}
		/* Partitions before this one are known readable. */
		for (uint32_t j = 0; j < i && !reported; j++)
			for (uint32_t k2 = 0; k2 < cfg->partitions[j].nr_cpus && !reported; k2++)
				if (same_cpu(cpu, &cfg->partitions[j].cpus[k2])) {
					part_err(c, i, CFG_P_CPUS,
						 "%s is already assigned to partition %s", a,
						 cfg->partitions[j].name);
					reported = true;
				}
	}
}

static void check_memory(struct checker *c, uint32_t i)
{
	const struct partition_config *p = &c->cfg->partitions[i];
	uint64_t used = 0;

	if (p->memory == 0)
		part_err(c, i, CFG_P_MEMORY, "missing or zero");
	else if (!IS_ALIGNED(p->memory, CONFIG_MEMORY_ALIGN))
		part_err(c, i, CFG_P_MEMORY, "0x%llx bytes is not a multiple of 2 MiB",
			 (unsigned long long)p->memory);

	for (uint32_t r = 0; r < p->nr_mem_regions; r++) {
		const struct config_mem_region *m = &p->mem_regions[r];

		if (m->type != CONFIG_MEM_RAM && m->type != CONFIG_MEM_RESERVED)
			part_err(c, i, CFG_P_RAM, "region %u has unknown type %u", r, m->type);
		if (m->size == 0 || !IS_ALIGNED(m->gpa, CONFIG_REGION_ALIGN) ||
		    !IS_ALIGNED(m->size, CONFIG_REGION_ALIGN)) {
			part_err(c, i, CFG_P_RAM,
				 "region 0x%llx:0x%llx must be nonzero and 4 KiB aligned",
				 (unsigned long long)m->gpa, (unsigned long long)m->size);
			continue;
		}
		if (m->gpa >= CONFIG_GPA_LIMIT || m->size > CONFIG_GPA_LIMIT - m->gpa) {
			part_err(c, i, CFG_P_RAM, "region 0x%llx:0x%llx reaches beyond 0x%llx",
				 (unsigned long long)m->gpa, (unsigned long long)m->size,
				 (unsigned long long)CONFIG_GPA_LIMIT);
			continue;
		}
		used += m->size; /* both below 2^48: cannot overflow */
		for (uint32_t r2 = 0; r2 < r; r2++) {
			const struct config_mem_region *o = &p->mem_regions[r2];

			/* An earlier region reaching too far was reported already. */
			if (o->gpa < CONFIG_GPA_LIMIT && o->size <= CONFIG_GPA_LIMIT - o->gpa &&
			    m->gpa < o->gpa + o->size && o->gpa < m->gpa + m->size)
				part_err(c, i, CFG_P_RAM,
					 "region 0x%llx-0x%llx overlaps region 0x%llx-0x%llx",
					 (unsigned long long)m->gpa,
					 (unsigned long long)(m->gpa + m->size - 1),
					 (unsigned long long)o->gpa,
					 (unsigned long long)(o->gpa + o->size - 1));
		}
	}
	if (p->memory && used > p->memory)
		part_err(c, i, CFG_P_RAM, "regions need 0x%llx bytes, more than memory (0x%llx)",
			 (unsigned long long)used, (unsigned long long)p->memory);
}

/* "0x70-0x71", or "0x80" for a single port. */
static const char *io_text(const struct config_io_range *io, char *buf, size_t size)
{
	if (io->first == io->last)
		snprintf(buf, size, "0x%x", io->first);
	else
		snprintf(buf, size, "0x%x-0x%x", io->first, io->last);
	return buf;
}

static bool ranges_overlap(uint32_t a_first, uint32_t a_last, uint32_t b_first, uint32_t b_last)
{
	return a_first <= b_last && b_first <= a_last;
}

static void check_ioports(struct checker *c, uint32_t i)
{
	const struct tessera_config *cfg = c->cfg;
	const struct partition_config *p = &cfg->partitions[i];
	uint32_t vuart = p->vuart_port, vuart_last;
	char a[32];

	if (vuart > 0x10000 - CONFIG_VUART_PORTS) {
		part_err(c, i, CFG_P_VUART, "port 0x%x: its %u ports reach beyond 0xffff", vuart,
			 CONFIG_VUART_PORTS);
		vuart = CONFIG_VUART_OFF;
	}
	vuart_last = vuart + CONFIG_VUART_PORTS - 1;
	if (vuart != CONFIG_VUART_OFF) {
		/* hv_ports[0], the debug-exit port, is the one a virtual UART could hide. */
		if (ranges_overlap(vuart, vuart_last, hv_ports[0].first, hv_ports[0].last))
			part_err(c, i, CFG_P_VUART, "ports 0x%x-0x%x overlap %s (0x%x)", vuart,
				 vuart_last, hv_ports[0].what, hv_ports[0].first);
		if (p->fw_cfg == CONFIG_ON &&
		    ranges_overlap(vuart, vuart_last, FW_CFG_PORT_SEL, FW_CFG_LAST))
			part_err(c, i, CFG_P_VUART,
				 "ports 0x%x-0x%x overlap the partition's own fw_cfg ports "
				 "(0x%x-0x%x)",
				 vuart, vuart_last, FW_CFG_PORT_SEL, FW_CFG_LAST);
	}
	for (uint32_t r = 0; r < p->nr_io_ranges; r++) {
		const struct config_io_range *io = &p->io_ranges[r];

		if (io->first > io->last) {
			part_err(c, i, CFG_P_IOPORTS, "range 0x%x-0x%x is inverted", io->first,
				 io->last);
			continue;
		}
		io_text(io, a, sizeof(a));
		if (vuart != CONFIG_VUART_OFF &&
		    ranges_overlap(io->first, io->last, vuart, vuart_last))
			part_err(c, i, CFG_P_IOPORTS,
				 "%s overlaps the partition's own vuart (0x%x-0x%x)", a, vuart,
				 vuart_last);
		if (p->fw_cfg == CONFIG_ON &&
		    ranges_overlap(io->first, io->last, FW_CFG_PORT_SEL, FW_CFG_LAST))
			part_err(c, i, CFG_P_IOPORTS,
				 "%s overlaps the partition's own fw_cfg ports (0x%x-0x%x)", a,
				 FW_CFG_PORT_SEL, FW_CFG_LAST);
		for (size_t h = 0; h < ARRAY_SIZE(hv_ports); h++)
			if (ranges_overlap(io->first, io->last, hv_ports[h].first,
					   hv_ports[h].last))
				part_err(c, i, CFG_P_IOPORTS, "%s overlaps %s (0x%x-0x%x)", a,
					 hv_ports[h].what, hv_ports[h].first, hv_ports[h].last);
		for (uint32_t r2 = 0; r2 < r; r2++)
			if (ranges_overlap(io->first, io->last, p->io_ranges[r2].first,
					   p->io_ranges[r2].last))
				part_err(c, i, CFG_P_IOPORTS, "%s is claimed twice", a);
		for (uint32_t j = 0; j < i; j++) {
			const struct partition_config *o = &cfg->partitions[j];

			for (uint32_t r2 = 0; r2 < o->nr_io_ranges; r2++)
				if (ranges_overlap(io->first, io->last, o->io_ranges[r2].first,
						   o->io_ranges[r2].last))
					part_err(c, i, CFG_P_IOPORTS,
						 "%s is already given to partition %s", a, o->name);
		}
	}
}

/* Sum of partitions plus the hypervisor's reserve must fit the machine. */
static void check_fit(struct checker *c)
{
	const struct tessera_config *cfg = c->cfg;
	uint64_t need = CONFIG_HV_RESERVE;

	for (uint32_t i = 0; i < cfg->nr_partitions; i++) {
		const struct partition_config *p = &cfg->partitions[i];

		if (p->memory > UINT64_MAX - need || need + p->memory > cfg->machine_memory) {
			part_err(c, i, CFG_P_MEMORY,
				 "does not fit: partitions up to this one need %llu MiB plus %llu "
				 "MiB for Tessera, the machine has %llu MiB",
				 (unsigned long long)((need - CONFIG_HV_RESERVE) / MiB +
						      p->memory / MiB),
				 (unsigned long long)(CONFIG_HV_RESERVE / MiB),
				 (unsigned long long)(cfg->machine_memory / MiB));
			return;
		}
		need += p->memory;
	}
}

unsigned cfg_check(const struct tessera_config *cfg, const struct cfg_source *src,
		   struct cfg_diag *d)
{
	struct checker c = {.cfg = cfg, .src = src, .d = d};
	unsigned errors_before = d->errors;

	if (cfg->magic != CONFIG_MAGIC || cfg->version != CONFIG_VERSION ||
	    cfg->size != sizeof(*cfg)) {
		cfg_error(d, src->file, 0, NULL, NULL, "not a version %u table", CONFIG_VERSION);
		return d->errors - errors_before;
	}
	check_machine(&c);
	if (cfg->nr_partitions == 0) {
		cfg_error(d, src->file, 0, NULL, NULL,
			  "no partitions: at least one [partition NAME] section is needed");
		return d->errors - errors_before;
	}
	if (cfg->nr_partitions > CONFIG_MAX_PARTITIONS) {
		cfg_error(d, src->file, 0, NULL, NULL, "%u partitions, more than %d",
			  cfg->nr_partitions, CONFIG_MAX_PARTITIONS);
		return d->errors - errors_before;
	}
	for (uint32_t i = 0; i < cfg->nr_partitions; i++) {
		if (!partition_readable(&c, i))
			return d->errors - errors_before;
		check_names(&c, i);
		check_cpus(&c, i);
		check_memory(&c, i);
		check_ioports(&c, i);
	}
	if (cfg->machine_memory)
		check_fit(&c);
	cfg_check_shmem(cfg, src, d);
	return d->errors - errors_before;
}
