/*
 * cfgc: config text -> struct tessera_config. Judges syntax only: what cannot
 * be represented in the table (bad numbers and sizes, overflow, unknown
 * sections and keys, keys given twice, bad enums, too many items, names too
 * long). Whether the values make sense together is check.c's job.
 */
#include <stdarg.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"
#include "tools/cfgc/parse_values.h"
#include "tools/cfgc/enum_keys.h"

enum section { SEC_NONE, SEC_SKIP, SEC_MACHINE, SEC_PARTITION, SEC_SHMEM };

struct parser {
	const char *file;
	unsigned line;
	struct tessera_config *cfg;
	struct cfg_source *src;
	struct cfg_diag *d;
	enum section sec;
	struct partition_config *part; /* the current partition section */
	unsigned *part_line;	       /* its src->part_line row */
	uint32_t shmem;		       /* the current [shmem] section's index */
	char where[64];		       /* "machine" or "partition NAME", for messages */
};

/* Records an error at the current line, in the current section. */
static void perr(struct parser *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void perr(struct parser *p, const char *field, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cfg_error(p->d, p->file, p->line, p->where[0] ? p->where : NULL, field, "%s", what);
}

/* Quotes a bad value in the message, cut short if long. */
static void report(struct parser *p, const char *key, const char *value, const char *err)
{
	perr(p, key, "'%.80s%s': %s", value, strlen(value) > 80 ? "..." : "", err);
}

static char *skip_space(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* After a closing bracket or quote only blanks and a comment may follow. */
static bool only_comment_left(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0' || *s == '#';
}

static void start_partition(struct parser *p, char *name)
{
	struct tessera_config *c = p->cfg;
	struct partition_config *part;

	name = skip_space(name);
	trim_end(name);
	if (!*name) {
		perr(p, NULL, "section [partition] needs a name: [partition NAME]");
		return;
	}
	if (strlen(name) >= CONFIG_NAME_MAX) {
		perr(p, NULL, "partition name '%s' is longer than %d characters", name,
		     CONFIG_NAME_MAX - 1);
		return;
	}
	snprintf(p->where, sizeof(p->where), "partition %s", name);
	if (c->nr_partitions >= CONFIG_MAX_PARTITIONS) {
		perr(p, NULL, "more than %d partitions", CONFIG_MAX_PARTITIONS);
		return;
	}
	part = &c->partitions[c->nr_partitions];
	p->part_line = p->src->part_line[c->nr_partitions];
	c->nr_partitions++;
	memcpy(part->name, name, strlen(name) + 1);
	part->boot = CONFIG_BOOT_AUTO;
	part->on_crash = CONFIG_ON_CRASH_STOP;
	part->restart_limit = CONFIG_RESTART_LIMIT_DEFAULT;
	part->restart_window_s = CONFIG_RESTART_WINDOW_DEFAULT;
	part->vuart_port = CONFIG_VUART_DEFAULT;
	part->timer = CONFIG_TIMER_AUTO;
	part->halt = CONFIG_HALT_EXIT;
	part->pause = CONFIG_PAUSE_PASSTHROUGH;
	part->fw_cfg = CONFIG_OFF;
	part->x2apic = CONFIG_ON;
	part->hyperv = CONFIG_OFF;
	part->xom = CONFIG_XOM_OFF;
	part->pmu = CONFIG_OFF;
	part->lapic = CONFIG_LAPIC_VIRTUAL;
	part->ioapic = CONFIG_ON;
	p->part_line[CFG_P_SECTION] = p->line;
	p->part = part;
	p->sec = SEC_PARTITION;
}

static void start_shmem(struct parser *p, char *name)
{
	struct tessera_config *c = p->cfg;

	name = skip_space(name);
	trim_end(name);
	if (!*name) {
		perr(p, NULL, "section [shmem] needs a name: [shmem NAME]");
		return;
	}
	if (strlen(name) >= CONFIG_NAME_MAX) {
		perr(p, NULL, "shmem name '%s' is longer than %d characters", name,
		     CONFIG_NAME_MAX - 1);
		return;
	}
	snprintf(p->where, sizeof(p->where), "shmem %s", name);
	if (c->nr_shmem >= CONFIG_MAX_SHMEM) {
		perr(p, NULL, "more than %d shmem regions", CONFIG_MAX_SHMEM);
		return;
	}
	p->shmem = c->nr_shmem++;
	memcpy(c->shmem[p->shmem].name, name, strlen(name) + 1);
	c->shmem[p->shmem].notify_on_read = CONFIG_OFF;
	p->src->shmem_line[p->shmem][CFG_S_SECTION] = p->line;
	p->sec = SEC_SHMEM;
}

/* "[word" followed by a blank or the end: the section's kind. */
static bool section_kind(const char *body, const char *kind)
{
	size_t n = strlen(kind);

	return strncmp(body, kind, n) == 0 &&
	       (body[n] == '\0' || body[n] == ' ' || body[n] == '\t');
}

static void parse_section(struct parser *p, char *s)
{
	char *end = strchr(s, ']');
	char *body = s + 1;

	/* Until a good header is seen, the keys that follow are skipped unjudged. */
	p->sec = SEC_SKIP;
	p->where[0] = '\0';
	if (!end || !only_comment_left(end + 1)) {
		perr(p, NULL,
		     "malformed section header: expected [machine], [partition NAME] or "
		     "[shmem NAME]");
		return;
	}
	*end = '\0';
	body = skip_space(body);
	trim_end(body);
	if (strcmp(body, "machine") == 0) {
		snprintf(p->where, sizeof(p->where), "machine");
		if (p->src->machine_line[CFG_M_SECTION]) {
			perr(p, NULL, "section [machine] given twice (first on line %u)",
			     p->src->machine_line[CFG_M_SECTION]);
			return;
		}
		p->src->machine_line[CFG_M_SECTION] = p->line;
		p->sec = SEC_MACHINE;
	} else if (section_kind(body, "partition")) {
		start_partition(p, body + 9);
	} else if (section_kind(body, "shmem")) {
		start_shmem(p, body + 5);
	} else {
		perr(p, NULL,
		     "unknown section [%s]: expected [machine], [partition NAME] or [shmem NAME]",
		     body);
	}
}

/*
 * Splits "key = value" and unquotes the value into `value` (CFG_LINE_MAX bytes).
 * Returns the key, or NULL having reported why not.
 */
static char *split_key_value(struct parser *p, char *s, char *value)
{
	char *key = s;
	size_t n = 0;

	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
	       (*s >= '0' && *s <= '9'))
		s++;
	if (s == key) {
		perr(p, NULL, "expected 'key = value', a [section] or a # comment");
		return NULL;
	}
	char *key_end = s;
	s = skip_space(s);
	if (*s != '=') {
		perr(p, NULL, "expected 'key = value', a [section] or a # comment");
		return NULL;
	}
	*key_end = '\0';
	s = skip_space(s + 1);
	if (*s != '"') {
		char *hash = strchr(s, '#');

		if (hash)
			*hash = '\0';
		trim_end(s);
		memcpy(value, s, strlen(s) + 1);
		return key;
	}
	for (s++; *s != '"'; s++) {
		if (*s == '\0') {
			perr(p, key, "unterminated quoted string");
			return NULL;
		}
		if (*s == '\\') {
			s++;
			if (*s != '"' && *s != '\\') {
				perr(p, key, "unknown escape '\\%c' (only \\\" and \\\\)",
				     *s ? *s : '0');
				return NULL;
			}
		}
		value[n++] = *s;
	}
	value[n] = '\0';
	if (!only_comment_left(s + 1)) {
		perr(p, key, "text after the closing quote");
		return NULL;
	}
	return key;
}

static int find_key(const char *const *keys, int count, const char *key)
{
	for (int i = 1; i < count; i++) /* 0 is the section itself, not a key */
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

static void unknown_key(struct parser *p, const char *key, const char *const *keys, int count)
{
	char known[200] = "";
	size_t len = 0;

	for (int i = 1; i < count; i++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", i > 1 ? ", " : "",
					keys[i]);
	perr(p, key, "unknown key (known: %s)", known);
}

static void machine_value(struct parser *p, int field, const char *key, const char *v)
{
	struct tessera_config *c = p->cfg;
	char err[PV_ERR_MAX];
	bool ok = true;
	uint64_t n;

	switch (field) {
	case CFG_M_CPUS:
		ok = pv_number(v, UINT32_MAX, &n, err);
		if (ok)
			c->machine_cpus = (uint32_t)n;
		break;
	case CFG_M_MEMORY:
		ok = pv_size(v, &c->machine_memory, err);
		break;
	case CFG_M_HOUSEKEEPING:
		ok = pv_cpu_list(v, c->housekeeping, CONFIG_MAX_HOUSEKEEPING_CPUS,
				 &c->nr_housekeeping, err);
		break;
	}
	if (!ok)
		report(p, key, v, err);
}

static void partition_value(struct parser *p, int field, const char *key, const char *v)
{
	struct partition_config *part = p->part;
	const struct cfg_enum_key *ek = cfg_enum_key(field);
	char err[PV_ERR_MAX];
	bool ok = true;

	if (ek) {
		if (!pv_enum(v, ek->spellings, cfg_enum_value(part, ek), err))
			report(p, key, v, err);
		return;
	}
	switch (field) {
	case CFG_P_CPUS:
		ok = pv_cpu_list(v, part->cpus, CONFIG_MAX_PARTITION_CPUS, &part->nr_cpus, err);
		break;
	case CFG_P_MEMORY:
		ok = pv_size(v, &part->memory, err);
		break;
	case CFG_P_RAM:
		ok = pv_region_list(v, part->mem_regions, CONFIG_MAX_MEM_REGIONS,
				    &part->nr_mem_regions, err);
		break;
	case CFG_P_IMAGE:
		ok = pv_string(v, part->image, sizeof(part->image), err);
		break;
	case CFG_P_CMDLINE:
		ok = pv_string(v, part->cmdline, sizeof(part->cmdline), err);
		break;
	case CFG_P_MODULES:
		ok = pv_word_list(v, part->modules, CONFIG_MAX_MODULES, &part->nr_modules, err);
		break;
	case CFG_P_IOPORTS:
		ok = pv_io_list(v, part->io_ranges, CONFIG_MAX_IO_RANGES, &part->nr_io_ranges, err);
		break;
	case CFG_P_VUART:
		ok = pv_vuart(v, &part->vuart_port, err);
		break;
	case CFG_P_RESTART_LIMIT:
		ok = pv_restart_limit(v, &part->restart_limit, &part->restart_window_s, err);
		break;
	}
	if (!ok)
		report(p, key, v, err);
}

static void shmem_value(struct parser *p, int field, const char *key, const char *v)
{
	struct config_shmem *sh = &p->cfg->shmem[p->shmem];
	char err[PV_ERR_MAX];
	bool ok = true;

	switch (field) {
	case CFG_S_SIZE:
		ok = pv_size(v, &sh->size, err);
		break;
	case CFG_S_PEERS:
		ok = pv_shmem_peers(v, sh->peers, p->src->shmem_peer[p->shmem],
				    CONFIG_MAX_SHMEM_PEERS, &sh->nr_peers, err);
		break;
	case CFG_S_GPA:
		ok = pv_shmem_gpas(v, p->src->shmem_gpa[p->shmem], CONFIG_MAX_SHMEM_PEERS,
				   &p->src->nr_shmem_gpa[p->shmem], err);
		break;
	case CFG_S_NOTIFY_ON_READ:
		ok = pv_enum(v, (const char *const[]){"off", "on", NULL}, &sh->notify_on_read, err);
		break;
	}
	if (!ok)
		report(p, key, v, err);
}

static void parse_key_value(struct parser *p, char *s)
{
	char value[CFG_LINE_MAX];
	char *key = split_key_value(p, s, value);
	unsigned *lines;
	int field;

	if (!key || p->sec == SEC_SKIP)
		return;
	if (p->sec == SEC_NONE) {
		perr(p, key, "key outside any section (start with [machine])");
		return;
	}
	if (p->sec == SEC_MACHINE) {
		field = find_key(cfg_machine_keys, CFG_M_COUNT, key);
		lines = p->src->machine_line;
		if (field < 0) {
			unknown_key(p, key, cfg_machine_keys, CFG_M_COUNT);
			return;
		}
	} else if (p->sec == SEC_SHMEM) {
		field = find_key(cfg_shmem_keys, CFG_S_COUNT, key);
		lines = p->src->shmem_line[p->shmem];
		if (field < 0) {
			unknown_key(p, key, cfg_shmem_keys, CFG_S_COUNT);
			return;
		}
	} else {
		field = find_key(cfg_part_keys, CFG_P_COUNT, key);
		lines = p->part_line;
		if (field < 0) {
			unknown_key(p, key, cfg_part_keys, CFG_P_COUNT);
			return;
		}
	}
	if (lines[field]) {
		perr(p, key, "given twice (first on line %u)", lines[field]);
		return;
	}
	lines[field] = p->line;
	if (p->sec == SEC_MACHINE)
		machine_value(p, field, key, value);
	else if (p->sec == SEC_SHMEM)
		shmem_value(p, field, key, value);
	else
		partition_value(p, field, key, value);
}

static void parse_line(struct parser *p, char *s)
{
	s = skip_space(s);
	if (*s == '\0' || *s == '#')
		return;
	if (*s == '[')
		parse_section(p, s);
	else
		parse_key_value(p, s);
}

void cfg_default_layout(struct partition_config *p)
{
	p->nr_mem_regions = 0;
	if (p->memory <= CONFIG_LEGACY_HOLE_END) {
		/* Too small for the hole to matter (and the checker rejects it anyway). */
		if (p->memory)
			p->mem_regions[p->nr_mem_regions++] = (struct config_mem_region){
			    .gpa = 0, .size = p->memory, .type = CONFIG_MEM_RAM};
		return;
	}
	p->mem_regions[0] = (struct config_mem_region){
	    .gpa = 0, .size = CONFIG_LEGACY_HOLE_START, .type = CONFIG_MEM_RAM};
	p->mem_regions[1] =
	    (struct config_mem_region){.gpa = CONFIG_LEGACY_HOLE_START,
				       .size = CONFIG_LEGACY_HOLE_END - CONFIG_LEGACY_HOLE_START,
				       .type = CONFIG_MEM_RESERVED};
	p->mem_regions[2] = (struct config_mem_region){.gpa = CONFIG_LEGACY_HOLE_END,
						       .size = p->memory - CONFIG_LEGACY_HOLE_END,
						       .type = CONFIG_MEM_RAM};
	p->nr_mem_regions = 3;
}

unsigned cfg_parse(const char *file, const char *text, size_t len, struct tessera_config *cfg,
		   struct cfg_source *src, struct cfg_diag *d)
{
	struct parser p = {.file = file, .cfg = cfg, .src = src, .d = d, .sec = SEC_NONE};
	unsigned errors_before = d->errors;
	char line[CFG_LINE_MAX];
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	memset(src, 0, sizeof(*src));
	src->file = file;
	cfg->magic = CONFIG_MAGIC;
	cfg->version = CONFIG_VERSION;
	cfg->size = sizeof(*cfg);
	cfg->nr_housekeeping = 1; /* CPU 0 unless the machine section says otherwise */
	cfg->housekeeping[0] = (struct config_cpu){.kind = CONFIG_CPU_INDEX, .id = 0};

	if (len > CFG_FILE_MAX) {
		cfg_error(d, file, 0, NULL, NULL, "larger than %d bytes", CFG_FILE_MAX);
		return d->errors - errors_before;
	}
	while (pos < len) {
		size_t n = 0;
		bool bad_byte = false;

		p.line++;
		while (pos < len && text[pos] != '\n') {
			if (text[pos] == '\0')
				bad_byte = true;
			if (n < sizeof(line) - 1)
				line[n] = text[pos];
			n++;
			pos++;
		}
		pos++; /* the newline */
		if (n && n <= sizeof(line) - 1 && line[n - 1] == '\r')
			n--;
		if (n > sizeof(line) - 1) {
			perr(&p, NULL, "line longer than %d characters", CFG_LINE_MAX - 1);
			continue;
		}
		line[n] = '\0';
		if (bad_byte) {
			perr(&p, NULL, "NUL byte in the line");
			continue;
		}
		parse_line(&p, line);
	}

	for (uint32_t i = 0; i < cfg->nr_partitions; i++)
		if (!src->part_line[i][CFG_P_RAM])
			cfg_default_layout(&cfg->partitions[i]);
	if (d->errors == errors_before)
		cfg_shmem_resolve(cfg, src, d);
	return d->errors - errors_before;
}
