/*
 * cfgc: the [shmem] sections after parsing. Their `peers` and `gpa` keys name
 * partitions, which may be declared after them: the names become indexes here,
 * once every section is read. Then each peer whose address is auto (the
 * default) is given the lowest free guest-physical span from
 * CONFIG_SHMEM_AUTO_BASE up that stays below CONFIG_SHMEM_AUTO_LIMIT, else the
 * lowest from 4 GiB up: free of the partition's RAM regions, its APIC window
 * and the spans of its other regions. check.c then judges the result like any
 * address written by hand.
 */
#include <string.h>
#include "tools/cfgc/cfgc.h"

struct span {
	uint64_t start, end; /* [start, end) */
};

static void shmem_err(struct cfg_diag *d, const struct cfg_source *src,
		      const struct tessera_config *cfg, uint32_t r, int field, const char *what,
		      const char *name)
{
	const unsigned *lines = src->shmem_line[r];
	char where[16 + CONFIG_NAME_MAX];

	snprintf(where, sizeof(where), "shmem %.*s", CONFIG_NAME_MAX - 1, cfg->shmem[r].name);
	cfg_error(d, src->file, lines[field] ? lines[field] : lines[CFG_S_SECTION], where,
		  cfg_shmem_keys[field], what, name);
}

static int find_partition(const struct tessera_config *cfg, const char *name)
{
	for (uint32_t i = 0; i < cfg->nr_partitions; i++)
		if (!strcmp(cfg->partitions[i].name, name))
			return (int)i;
	return -1;
}

static int find_peer(const struct cfg_source *src, uint32_t r, uint32_t nr_peers, const char *name)
{
	for (uint32_t k = 0; k < nr_peers; k++)
		if (!strcmp(src->shmem_peer[r][k], name))
			return (int)k;
	return -1;
}

/* What partition `part` already has at guest-physical addresses: up to n spans in out[]. */
static uint32_t taken_spans(const struct tessera_config *cfg, uint32_t part,
			    bool placed[CONFIG_MAX_SHMEM][CONFIG_MAX_SHMEM_PEERS], struct span *out)
{
	const struct partition_config *p = &cfg->partitions[part];
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->nr_mem_regions && i < CONFIG_MAX_MEM_REGIONS; i++)
		out[n++] = (struct span){p->mem_regions[i].gpa,
					 p->mem_regions[i].gpa + p->mem_regions[i].size};
	out[n++] =
	    (struct span){CONFIG_SHMEM_AUTO_LIMIT, CONFIG_SHMEM_AUTO_HIGH}; /* APIC, IOAPIC */
	for (uint32_t r = 0; r < cfg->nr_shmem; r++)
		for (uint32_t k = 0; k < cfg->shmem[r].nr_peers; k++)
			if (placed[r][k] && cfg->shmem[r].peers[k].partition == part)
				out[n++] = (struct span){cfg->shmem[r].peers[k].gpa,
							 cfg->shmem[r].peers[k].gpa +
							     cfg_shmem_span(&cfg->shmem[r])};
	return n;
}

/* The lowest aligned start >= from where [start, start + len) meets none of spans[]. */
static uint64_t first_fit(const struct span *spans, uint32_t n, uint64_t from, uint64_t len,
			  uint64_t align)
{
	uint64_t start = ALIGN_UP(from, align);
	bool moved = true;

	while (moved && start < CONFIG_GPA_LIMIT) {
		moved = false;
		for (uint32_t i = 0; i < n; i++)
			if (start < spans[i].end && spans[i].start < start + len) {
				start = ALIGN_UP(spans[i].end, align);
				moved = true;
			}
	}
	return start;
}

static bool place(struct tessera_config *cfg, uint32_t r, uint32_t k,
		  bool placed[CONFIG_MAX_SHMEM][CONFIG_MAX_SHMEM_PEERS])
{
	struct config_shmem *s = &cfg->shmem[r];
	struct span spans[CONFIG_MAX_MEM_REGIONS + 1 + CONFIG_MAX_SHMEM * CONFIG_MAX_SHMEM_PEERS];
	uint64_t len = cfg_shmem_span(s), align = s->size >= 2 * MiB ? 2 * MiB : PAGE_SIZE;
	uint32_t n = taken_spans(cfg, s->peers[k].partition, placed, spans);
	uint64_t at = first_fit(spans, n, CONFIG_SHMEM_AUTO_BASE, len, align);

	if (at > CONFIG_SHMEM_AUTO_LIMIT || len > CONFIG_SHMEM_AUTO_LIMIT - at)
		at = first_fit(spans, n, CONFIG_SHMEM_AUTO_HIGH, len, align);
	if (at >= CONFIG_GPA_LIMIT || len > CONFIG_GPA_LIMIT - at)
		return false;
	s->peers[k].gpa = at;
	placed[r][k] = true;
	return true;
}

unsigned cfg_shmem_resolve(struct tessera_config *cfg, const struct cfg_source *src,
			   struct cfg_diag *d)
{
	static bool placed[CONFIG_MAX_SHMEM][CONFIG_MAX_SHMEM_PEERS];
	unsigned errors_before = d->errors;

	memset(placed, 0, sizeof(placed));
	for (uint32_t r = 0; r < cfg->nr_shmem; r++) {
		struct config_shmem *s = &cfg->shmem[r];
		bool seen[CONFIG_MAX_SHMEM_PEERS] = {false};

		for (uint32_t k = 0; k < s->nr_peers; k++) {
			int idx = find_partition(cfg, src->shmem_peer[r][k]);

			if (idx < 0)
				shmem_err(d, src, cfg, r, CFG_S_PEERS, "no partition named '%s'",
					  src->shmem_peer[r][k]);
			s->peers[k].partition = idx < 0 ? 0 : (uint32_t)idx;
		}
		for (uint32_t g = 0; g < src->nr_shmem_gpa[r]; g++) {
			const struct cfg_shmem_gpa *e = &src->shmem_gpa[r][g];
			int k = find_peer(src, r, s->nr_peers, e->peer);

			if (k < 0) {
				shmem_err(d, src, cfg, r, CFG_S_GPA,
					  "'%s' is not one of the region's peers", e->peer);
				continue;
			}
			if (seen[k]) {
				shmem_err(d, src, cfg, r, CFG_S_GPA, "'%s' is given twice",
					  e->peer);
				continue;
			}
			seen[k] = true;
			if (!e->is_auto) {
				s->peers[k].gpa = e->gpa;
				placed[r][k] = true;
			}
		}
	}
	if (d->errors != errors_before)
		return d->errors - errors_before;
	for (uint32_t r = 0; r < cfg->nr_shmem; r++)
		for (uint32_t k = 0; k < cfg->shmem[r].nr_peers; k++)
			if (!placed[r][k] && !place(cfg, r, k, placed))
				shmem_err(d, src, cfg, r, CFG_S_GPA,
					  "no free guest-physical space for the region in "
					  "partition %s",
					  cfg->partitions[cfg->shmem[r].peers[k].partition].name);
	return d->errors - errors_before;
}
