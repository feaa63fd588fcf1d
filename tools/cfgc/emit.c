/*
 * cfgc: writes a checked struct tessera_config as C source. The magic, version
 * and size are written as numbers (not the header's macros), so a table
 * generated for another layout of the struct fails to build or is refused by
 * config_get() instead of being misread.
 */
#include <string.h>
#include "tools/cfgc/cfgc.h"

static void emit_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < ' ' || ch >= 0x7f || ch == '?') /* '?': no trigraphs */
			fprintf(out, "\\%03o", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static const char *cpu_kind_name(uint32_t kind)
{
	return kind == CONFIG_CPU_APIC_ID ? "CONFIG_CPU_APIC_ID" : "CONFIG_CPU_INDEX";
}

static void emit_cpus(FILE *out, const char *indent, const struct config_cpu *cpus, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "%s\t{.kind = %s, .id = %u},\n", indent, cpu_kind_name(cpus[i].kind),
			cpus[i].id);
}

static const char *const boot_names[] = {
    [CONFIG_BOOT_AUTO] = "CONFIG_BOOT_AUTO",
    [CONFIG_BOOT_PVH] = "CONFIG_BOOT_PVH",
    [CONFIG_BOOT_MULTIBOOT] = "CONFIG_BOOT_MULTIBOOT",
};

static const char *const on_crash_names[] = {
    [CONFIG_ON_CRASH_STOP] = "CONFIG_ON_CRASH_STOP",
    [CONFIG_ON_CRASH_RESTART] = "CONFIG_ON_CRASH_RESTART",
};

static const char *const timer_names[] = {
    [CONFIG_TIMER_AUTO] = "CONFIG_TIMER_AUTO",
    [CONFIG_TIMER_POSTED] = "CONFIG_TIMER_POSTED",
    [CONFIG_TIMER_EMULATED] = "CONFIG_TIMER_EMULATED",
};

static const char *const halt_names[] = {
    [CONFIG_HALT_EXIT] = "CONFIG_HALT_EXIT",
    [CONFIG_HALT_PASSTHROUGH] = "CONFIG_HALT_PASSTHROUGH",
};

static const char *const pause_names[] = {
    [CONFIG_PAUSE_PASSTHROUGH] = "CONFIG_PAUSE_PASSTHROUGH",
    [CONFIG_PAUSE_EXIT] = "CONFIG_PAUSE_EXIT",
};

static const char *const switch_names[] = {
    [CONFIG_OFF] = "CONFIG_OFF",
    [CONFIG_ON] = "CONFIG_ON",
};

static const char *const xom_names[] = {
    [CONFIG_XOM_OFF] = "CONFIG_XOM_OFF",
    [CONFIG_XOM_ON] = "CONFIG_XOM_ON",
    [CONFIG_XOM_USER] = "CONFIG_XOM_USER",
};

/* `.field = {` ... `},` around an array's entries; nothing for an empty one. */
static void open_array(FILE *out, const char *indent, const char *field, uint32_t n)
{
	fprintf(out, "%s.nr_%s = %u,\n", indent, field, n);
	if (n)
		fprintf(out, "%s.%s = {\n", indent, field);
}

static void close_array(FILE *out, const char *indent, uint32_t n)
{
	if (n)
		fprintf(out, "%s},\n", indent);
}

static void emit_partition(FILE *out, const struct partition_config *p)
{
	const char *in = "\t\t\t";

	fprintf(out, "\t\t{\n%s.name = ", in);
	emit_string(out, p->name);
	fputs(",\n", out);
	open_array(out, in, "cpus", p->nr_cpus);
	emit_cpus(out, in, p->cpus, p->nr_cpus);
	close_array(out, in, p->nr_cpus);
	fprintf(out, "%s.memory = %#llxULL,\n", in, (unsigned long long)p->memory);
	fprintf(out, "%s.nr_mem_regions = %u,\n", in, p->nr_mem_regions);
	if (p->nr_mem_regions)
		fprintf(out, "%s.mem_regions = {\n", in);
	for (uint32_t i = 0; i < p->nr_mem_regions; i++) {
		const struct config_mem_region *m = &p->mem_regions[i];

		fprintf(out, "%s\t{.gpa = %#llxULL, .size = %#llxULL, .type = %s},\n", in,
			(unsigned long long)m->gpa, (unsigned long long)m->size,
			m->type == CONFIG_MEM_RESERVED ? "CONFIG_MEM_RESERVED" : "CONFIG_MEM_RAM");
	}
	close_array(out, in, p->nr_mem_regions);
	fprintf(out, "%s.image = ", in);
	emit_string(out, p->image);
	fprintf(out, ",\n%s.cmdline = ", in);
	emit_string(out, p->cmdline);
	fputs(",\n", out);
	open_array(out, in, "modules", p->nr_modules);
	for (uint32_t i = 0; i < p->nr_modules; i++) {
		fprintf(out, "%s\t", in);
		emit_string(out, p->modules[i]);
		fputs(",\n", out);
	}
	close_array(out, in, p->nr_modules);
	fprintf(out, "%s.boot = %s,\n", in, boot_names[p->boot]);
	open_array(out, in, "io_ranges", p->nr_io_ranges);
	for (uint32_t i = 0; i < p->nr_io_ranges; i++)
		fprintf(out, "%s\t{.first = %#x, .last = %#x},\n", in, p->io_ranges[i].first,
			p->io_ranges[i].last);
	close_array(out, in, p->nr_io_ranges);
	fprintf(out, "%s.vuart_port = %#x,\n%s.on_crash = %s,\n", in, p->vuart_port, in,
		on_crash_names[p->on_crash]);
	fprintf(out, "%s.restart_limit = %u,\n%s.restart_window_s = %u,\n", in, p->restart_limit,
		in, p->restart_window_s);
	fprintf(out, "%s.timer = %s,\n%s.halt = %s,\n%s.pause = %s,\n", in, timer_names[p->timer],
		in, halt_names[p->halt], in, pause_names[p->pause]);
	fprintf(out, "%s.fw_cfg = %s,\n%s.x2apic = %s,\n%s.hyperv = %s,\n", in,
		switch_names[p->fw_cfg], in, switch_names[p->x2apic], in, switch_names[p->hyperv]);
	fprintf(out, "%s.xom = %s,\n%s.pmu = %s,\n\t\t},\n", in, xom_names[p->xom], in,
		switch_names[p->pmu]);
}

int cfg_emit(FILE *out, const struct tessera_config *cfg, const char *source_name)
{
	/* Only a checked table gets here; the enums index the name tables. */
	for (uint32_t i = 0; i < cfg->nr_partitions; i++)
		if (cfg->partitions[i].boot >= ARRAY_SIZE(boot_names) ||
		    cfg->partitions[i].on_crash >= ARRAY_SIZE(on_crash_names) ||
		    cfg->partitions[i].timer >= ARRAY_SIZE(timer_names) ||
		    cfg->partitions[i].halt >= ARRAY_SIZE(halt_names) ||
		    cfg->partitions[i].pause >= ARRAY_SIZE(pause_names) ||
		    cfg->partitions[i].fw_cfg >= ARRAY_SIZE(switch_names) ||
		    cfg->partitions[i].x2apic >= ARRAY_SIZE(switch_names) ||
		    cfg->partitions[i].hyperv >= ARRAY_SIZE(switch_names) ||
		    cfg->partitions[i].xom >= ARRAY_SIZE(xom_names) ||
		    cfg->partitions[i].pmu >= ARRAY_SIZE(switch_names))
			return -1;

	fputs("/* Generated by cfgc from ", out);
	for (const char *s = source_name; *s; s++) /* a file name cannot end the comment */
		fputc(*s == '*' && s[1] == '/' ? '_' : *s, out);
	fputs(": do not edit. */\n#include \"hv/partition/partition_config.h\"\n\n", out);
	fprintf(out,
		"_Static_assert(sizeof(struct tessera_config) == %zu,\n"
		"\t       \"hv/partition/partition_config.h changed: regenerate with cfgc\");\n\n",
		sizeof(*cfg));
	fputs("const struct tessera_config tessera_config "
	      "__attribute__((section(\".tessera_config\"))) = {\n",
	      out);
	fprintf(out, "\t.magic = %#x,\n\t.version = %u,\n\t.size = %u,\n", cfg->magic, cfg->version,
		cfg->size);
	fprintf(out, "\t.machine_cpus = %u,\n\t.machine_memory = %#llxULL,\n", cfg->machine_cpus,
		(unsigned long long)cfg->machine_memory);
	open_array(out, "\t", "housekeeping", cfg->nr_housekeeping);
	emit_cpus(out, "\t", cfg->housekeeping, cfg->nr_housekeeping);
	close_array(out, "\t", cfg->nr_housekeeping);
	open_array(out, "\t", "partitions", cfg->nr_partitions);
	for (uint32_t i = 0; i < cfg->nr_partitions; i++)
		emit_partition(out, &cfg->partitions[i]);
	close_array(out, "\t", cfg->nr_partitions);
	fputs("};\n", out);
	return ferror(out) ? -1 : 0;
}
