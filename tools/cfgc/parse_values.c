/* cfgc: parsers for config value types. Every one bounds what it accepts. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"
#include "tools/cfgc/parse_values.h"

static bool fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, PV_ERR_MAX, fmt, ap);
	va_end(ap);
	return false;
}

static int digit_value(char c, unsigned base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (base == 16 && c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (base == 16 && c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v < (int)base ? v : -1;
}

/* Reads the number at *s, advancing *s past it. 0 ok, -1 no digits, -2 overflow. */
static int read_number(const char **s, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t n = 0;
	int digits = 0, v;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; (v = digit_value(*p, base)) >= 0; p++, digits++) {
		if (n > (UINT64_MAX - (uint64_t)v) / base)
			return -2;
		n = n * base + (uint64_t)v;
	}
	if (!digits)
		return -1;
	*s = p;
	*out = n;
	return 0;
}

bool pv_number(const char *s, uint64_t max, uint64_t *out, char *err)
{
	int r = read_number(&s, out);

	if (r == -2 || (r == 0 && !*s && *out > max))
		return fail(err, "too large (at most %#llx)", (unsigned long long)max);
	if (r < 0 || *s)
		return fail(err, "not a number (decimal or 0x hex)");
	return true;
}

bool pv_size(const char *s, uint64_t *out, char *err)
{
	uint64_t n, unit = 1;
	int r = read_number(&s, &n);

	if (r == -1)
		return fail(err, "not a size (a number with an optional K, M or G suffix)");
	if (r == -2)
		return fail(err, "too large");
	if (*s == 'K' || *s == 'k')
		unit = KiB;
	else if (*s == 'M' || *s == 'm')
		unit = MiB;
	else if (*s == 'G' || *s == 'g')
		unit = GiB;
	if (unit != 1)
		s++;
	if (*s)
		return fail(err, "not a size (a number with an optional K, M or G suffix)");
	if (n > UINT64_MAX / unit)
		return fail(err, "too large");
	*out = n * unit;
	return true;
}

/* Trims blanks at both ends, in place. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/*
 * Cuts the next comma-separated item out of *cursor into item[CFG_LINE_MAX],
 * trimmed. Returns 1 with an item, 0 at the end, -1 on an empty item.
 */
static int next_item(const char **cursor, char *item)
{
	const char *s = *cursor, *end;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	end = strchr(s, ',');
	n = end ? (size_t)(end - s) : strlen(s);
	if (n >= CFG_LINE_MAX)
		n = CFG_LINE_MAX - 1;
	memcpy(item, s, n);
	item[n] = '\0';
	while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
		item[--n] = '\0';
	*cursor = end ? end + 1 : s + strlen(s);
	if (end && !**cursor)
		return -1; /* a trailing comma */
	return n ? 1 : -1;
}

/* "A" or "A-B", each at most max. */
static bool parse_range(const char *item, uint64_t max, uint64_t *lo, uint64_t *hi, char *err)
{
	char buf[CFG_LINE_MAX];
	char *dash;

	memcpy(buf, item, strlen(item) + 1);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (!pv_number(trim(buf), max, lo, err))
		return false;
	*hi = *lo;
	if (dash && !pv_number(trim(dash + 1), max, hi, err))
		return false;
	return true;
}

bool pv_cpu_list(const char *s, struct config_cpu *cpus, uint32_t max, uint32_t *count, char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	uint64_t lo, hi;
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		const char *range = item;
		uint32_t kind = CONFIG_CPU_INDEX;

		if (strncmp(item, "apic:", 5) == 0) {
			kind = CONFIG_CPU_APIC_ID;
			range = item + 5;
		}
		if (!parse_range(range, UINT32_MAX, &lo, &hi, why))
			return fail(err, "item '%s': %s", item, why);
		if (hi < lo)
			return fail(err, "item '%s': range is inverted", item);
		if (hi - lo >= max - *count)
			return fail(err, "more than %u CPUs", max);
		for (uint64_t id = lo; id <= hi; id++)
			cpus[(*count)++] = (struct config_cpu){.kind = kind, .id = (uint32_t)id};
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}

bool pv_region_list(const char *s, struct config_mem_region *regions, uint32_t max, uint32_t *count,
		    char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	uint64_t base, size;
	char *colon;
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		colon = strchr(item, ':');
		if (!colon)
			return fail(err, "item '%s': expected BASE:SIZE", item);
		*colon = '\0';
		char *base_text = trim(item), *size_text = trim(colon + 1);
		if (!pv_number(base_text, UINT64_MAX, &base, why))
			return fail(err, "base '%s': %s", base_text, why);
		if (!pv_size(size_text, &size, why))
			return fail(err, "size '%s': %s", size_text, why);
		if (*count == max)
			return fail(err, "more than %u regions", max);
		regions[(*count)++] =
		    (struct config_mem_region){.gpa = base, .size = size, .type = CONFIG_MEM_RAM};
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}

bool pv_io_list(const char *s, struct config_io_range *ranges, uint32_t max, uint32_t *count,
		char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	uint64_t lo, hi;
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		if (!parse_range(item, 0xffff, &lo, &hi, why))
			return fail(err, "item '%s': %s", item, why);
		if (*count == max)
			return fail(err, "more than %u I/O ranges", max);
		ranges[(*count)++] =
		    (struct config_io_range){.first = (uint16_t)lo, .last = (uint16_t)hi};
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}

bool pv_string(const char *s, char *dst, size_t size, char *err)
{
	size_t n = strlen(s);

	if (n >= size)
		return fail(err, "longer than %zu characters", size - 1);
	memcpy(dst, s, n + 1);
	return true;
}

bool pv_word_list(const char *s, char (*words)[CONFIG_MODULE_NAME_MAX], uint32_t max,
		  uint32_t *count, char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		if (*count == max)
			return fail(err, "more than %u modules", max);
		if (!pv_string(item, words[*count], CONFIG_MODULE_NAME_MAX, why))
			return fail(err, "module '%s': %s", item, why);
		(*count)++;
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}

bool pv_enum(const char *s, const char *const *names, uint32_t *out, char *err)
{
	char known[PV_ERR_MAX] = "";
	size_t len = 0;

	for (uint32_t i = 0; names[i]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return true;
		}
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", i ? ", " : "",
					names[i]);
	}
	return fail(err, "not one of %s", known);
}

bool pv_vuart(const char *s, uint32_t *port, char *err)
{
	uint64_t n;

	if (strcmp(s, "off") == 0) {
		*port = CONFIG_VUART_OFF;
		return true;
	}
	if (!pv_number(s, 0xffff, &n, err))
		return false;
	if (n == 0)
		return fail(err, "port 0 cannot hold a UART (write 'off' to have none)");
	*port = (uint32_t)n;
	return true;
}

bool pv_restart_limit(const char *s, uint32_t *count, uint32_t *seconds, char *err)
{
	char num[32];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : 0, t;
	uint64_t c, w;

	if (!slash || n == 0 || n >= sizeof(num))
		return fail(err, "not COUNT/SECONDS (like 5/10s)");
	memcpy(num, s, n);
	num[n] = '\0';
	if (!pv_number(num, UINT32_MAX, &c, err))
		return false;
	t = strlen(slash + 1);
	if (t > 0 && slash[t] == 's')
		t--;
	if (t == 0 || t >= sizeof(num))
		return fail(err, "not COUNT/SECONDS (like 5/10s)");
	memcpy(num, slash + 1, t);
	num[t] = '\0';
	if (!pv_number(num, UINT32_MAX, &w, err))
		return false;
	*count = (uint32_t)c;
	*seconds = (uint32_t)w;
	return true;
}

/* "NAME" or "NAME:SUFFIX": cuts at the colon; *suffix is NULL without one. */
static bool split_name(char *item, const char **suffix, char *err)
{
	char *colon = strchr(item, ':');

	*suffix = NULL;
	if (colon) {
		*colon = '\0';
		*suffix = trim(colon + 1);
	}
	item = trim(item);
	if (!*item)
		return fail(err, "a partition name is missing before ':'");
	if (strlen(item) >= CONFIG_NAME_MAX)
		return fail(err, "'%s' is longer than %d characters", item, CONFIG_NAME_MAX - 1);
	return true;
}

bool pv_shmem_peers(const char *s, struct config_shmem_peer *peers, char (*names)[CONFIG_NAME_MAX],
		    uint32_t max, uint32_t *count, char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	const char *suffix;
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		uint32_t access = CONFIG_SHMEM_RW;

		if (!split_name(item, &suffix, why))
			return fail(err, "item '%s': %s", item, why);
		if (suffix && strcmp(suffix, "rw") && strcmp(suffix, "ro"))
			return fail(err, "peer '%s': access '%s' is not rw or ro", trim(item),
				    suffix);
		if (suffix && !strcmp(suffix, "ro"))
			access = CONFIG_SHMEM_RO;
		if (*count == max)
			return fail(err, "more than %u peers", max);
		memcpy(names[*count], trim(item), strlen(trim(item)) + 1);
		peers[(*count)++] = (struct config_shmem_peer){.access = access};
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}

bool pv_shmem_gpas(const char *s, struct cfg_shmem_gpa *gpas, uint32_t max, uint32_t *count,
		   char *err)
{
	char item[CFG_LINE_MAX], why[PV_ERR_MAX];
	const char *suffix;
	int r;

	*count = 0;
	while ((r = next_item(&s, item)) > 0) {
		struct cfg_shmem_gpa g = {.is_auto = false};

		if (!split_name(item, &suffix, why))
			return fail(err, "item '%s': %s", item, why);
		if (!suffix)
			return fail(err, "item '%s': expected PEER:ADDRESS or PEER:auto", item);
		if (!strcmp(suffix, "auto"))
			g.is_auto = true;
		else if (!pv_number(suffix, UINT64_MAX, &g.gpa, why))
			return fail(err, "peer '%s': address '%s': %s", trim(item), suffix, why);
		if (*count == max)
			return fail(err, "more than %u peers", max);
		memcpy(g.peer, trim(item), strlen(trim(item)) + 1);
		gpas[(*count)++] = g;
	}
	return r < 0 ? fail(err, "empty item in the list") : true;
}
