/*
 * cfgc: the checker's rules for [shmem NAME] sections (docs/config.md). Pure,
 * like check.c: it judges any table, trusting none of its counts, indexes or
 * strings, and names the file, line, region and field of each broken rule.
 */
#include <stdarg.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"
#include "arch/x86/msr.h" /* APIC_BASE_DEFAULT */

struct shmem_checker {
	const struct tessera_config *cfg;
	const struct cfg_source *src;
	struct cfg_diag *d;
};

static void serr(struct shmem_checker *c, uint32_t r, int field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void serr(struct shmem_checker *c, uint32_t r, int field, const char *fmt, ...)
{
	const unsigned *lines = c->src->shmem_line[r];
	char what[400], where[16 + CONFIG_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(where, sizeof(where), "shmem %.*s", CONFIG_NAME_MAX - 1, c->cfg->shmem[r].name);
	cfg_error(c->d, c->src->file, lines[field] ? lines[field] : lines[CFG_S_SECTION], where,
		  cfg_shmem_keys[field], "%s", what);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Name, size, peers: what the address checks rely on. False: skip the rest. */
static bool region_sane(struct shmem_checker *c, uint32_t r)
{
	const struct config_shmem *s = &c->cfg->shmem[r];
	bool ok = true, writer = false;

	if (!memchr(s->name, '\0', sizeof(s->name))) {
		serr(c, r, CFG_S_SECTION, "name not terminated");
		return false;
	}
	if (!name_ok(s->name))
		serr(c, r, CFG_S_SECTION, "'%s' is not a name (letters, digits, '_' and '-' only)",
		     s->name);
	for (uint32_t j = 0; j < r; j++)
		if (!strcmp(s->name, c->cfg->shmem[j].name))
			serr(c, r, CFG_S_SECTION, "duplicate shmem name (also on line %u)",
			     c->src->shmem_line[j][CFG_S_SECTION]);
	if (s->size == 0 || !IS_ALIGNED(s->size, PAGE_SIZE) || s->size > CONFIG_SHMEM_SIZE_MAX) {
		serr(
		    c, r, CFG_S_SIZE, "0x%llx bytes: a nonzero multiple of 4 KiB, at most %llu MiB",
		    (unsigned long long)s->size, (unsigned long long)(CONFIG_SHMEM_SIZE_MAX / MiB));
		ok = false;
	}
	if (s->notify_on_read > CONFIG_ON)
		serr(c, r, CFG_S_NOTIFY_ON_READ, "%u is not on or off", s->notify_on_read);
	if (s->nr_peers < 2 || s->nr_peers > CONFIG_MAX_SHMEM_PEERS) {
		serr(c, r, CFG_S_PEERS, "%u peers: a region is shared by 2 to %d partitions",
		     s->nr_peers, CONFIG_MAX_SHMEM_PEERS);
		return false;
	}
	for (uint32_t k = 0; k < s->nr_peers; k++) {
		const struct config_shmem_peer *pe = &s->peers[k];

		if (pe->partition >= c->cfg->nr_partitions) {
			serr(c, r, CFG_S_PEERS, "peer %u: partition index %u out of range", k,
			     pe->partition);
			ok = false;
			continue;
		}
		if (pe->access > CONFIG_SHMEM_RO)
			serr(c, r, CFG_S_PEERS, "peer %u: access %u is not rw or ro", k,
			     pe->access);
		writer |= pe->access == CONFIG_SHMEM_RW;
		for (uint32_t j = 0; j < k; j++)
			if (s->peers[j].partition == pe->partition) {
				serr(c, r, CFG_S_PEERS, "partition %s is listed twice",
				     c->cfg->partitions[pe->partition].name);
				ok = false;
			}
	}
	if (!writer)
		serr(c, r, CFG_S_PEERS, "every peer is ro: at least one must be rw");
	return ok;
}

/* One peer's span against its partition's RAM, APIC window and earlier regions. */
static void check_span(struct shmem_checker *c, uint32_t r, uint32_t k)
{
	const struct config_shmem *s = &c->cfg->shmem[r];
	const struct config_shmem_peer *pe = &s->peers[k];
	const struct partition_config *p = &c->cfg->partitions[pe->partition];
	uint64_t len = cfg_shmem_span(s);

	if (!IS_ALIGNED(pe->gpa, PAGE_SIZE) || pe->gpa >= CONFIG_GPA_LIMIT ||
	    len > CONFIG_GPA_LIMIT - pe->gpa) {
		serr(c, r, CFG_S_GPA,
		     "partition %s: 0x%llx must be 4 KiB aligned, the region and its doorbell "
		     "page below 0x%llx",
		     p->name, (unsigned long long)pe->gpa, (unsigned long long)CONFIG_GPA_LIMIT);
		return;
	}
	for (uint32_t i = 0; i < p->nr_mem_regions && i < CONFIG_MAX_MEM_REGIONS; i++)
		if (overlaps(pe->gpa, len, p->mem_regions[i].gpa, p->mem_regions[i].size))
			serr(c, r, CFG_S_GPA,
			     "partition %s: 0x%llx-0x%llx (the region and its doorbell page) "
			     "overlaps its ram 0x%llx-0x%llx",
			     p->name, (unsigned long long)pe->gpa,
			     (unsigned long long)(pe->gpa + len - 1),
			     (unsigned long long)p->mem_regions[i].gpa,
			     (unsigned long long)(p->mem_regions[i].gpa + p->mem_regions[i].size -
						  1));
	if (overlaps(pe->gpa, len, APIC_BASE_DEFAULT, PAGE_SIZE))
		serr(c, r, CFG_S_GPA, "partition %s: 0x%llx-0x%llx overlaps the APIC window 0x%llx",
		     p->name, (unsigned long long)pe->gpa, (unsigned long long)(pe->gpa + len - 1),
		     (unsigned long long)APIC_BASE_DEFAULT);
	for (uint32_t j = 0; j < r; j++) {
		const struct config_shmem *o = &c->cfg->shmem[j];

		for (uint32_t m = 0; m < o->nr_peers; m++)
			if (o->peers[m].partition == pe->partition &&
			    overlaps(pe->gpa, len, o->peers[m].gpa, cfg_shmem_span(o)))
				serr(c, r, CFG_S_GPA,
				     "partition %s: 0x%llx-0x%llx overlaps shmem %s", p->name,
				     (unsigned long long)pe->gpa,
				     (unsigned long long)(pe->gpa + len - 1), o->name);
	}
}

unsigned cfg_check_shmem(const struct tessera_config *cfg, const struct cfg_source *src,
			 struct cfg_diag *d)
{
	struct shmem_checker c = {cfg, src, d};
	unsigned errors_before = d->errors;
	uint64_t need = CONFIG_HV_RESERVE;
	bool sane[CONFIG_MAX_SHMEM];

	if (cfg->nr_shmem > CONFIG_MAX_SHMEM) {
		cfg_error(d, src->file, 0, NULL, NULL, "%u shmem regions, more than %d",
			  cfg->nr_shmem, CONFIG_MAX_SHMEM);
		return d->errors - errors_before;
	}
	bool all_sane = true; /* the overlap checks read earlier regions: only sane ones */

	for (uint32_t r = 0; r < cfg->nr_shmem; r++) {
		sane[r] = region_sane(&c, r);
		for (uint32_t k = 0; all_sane && sane[r] && k < cfg->shmem[r].nr_peers; k++)
			check_span(&c, r, k);
		all_sane &= sane[r];
	}
	/* check.c reported partitions that do not fit; sizes below 2^48 cannot overflow here. */
	for (uint32_t i = 0; i < cfg->nr_partitions && i < CONFIG_MAX_PARTITIONS; i++)
		need +=
		    cfg->partitions[i].memory < CONFIG_GPA_LIMIT ? cfg->partitions[i].memory : 0;
	for (uint32_t r = 0; r < cfg->nr_shmem; r++) {
		if (!sane[r])
			continue;
		need += cfg->shmem[r].size;
		if (cfg->machine_memory && need > cfg->machine_memory) {
			serr(&c, r, CFG_S_SIZE,
			     "does not fit: the partitions and the regions up to this one need "
			     "%llu MiB with Tessera's %llu MiB, the machine has %llu MiB",
			     (unsigned long long)(need / MiB),
			     (unsigned long long)(CONFIG_HV_RESERVE / MiB),
			     (unsigned long long)(cfg->machine_memory / MiB));
			break;
		}
	}
	return d->errors - errors_before;
}
