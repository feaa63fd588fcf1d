/*
 * tools/cfgc: the partition config parser and checker (cfg_parse, cfg_check,
 * then cfg_emit for a config that passes). An input that starts with a NUL
 * byte is not text: the rest is copied over a zeroed struct tessera_config and
 * handed to cfg_check alone, which promises to trust no count or string in it.
 */
#include "tests/fuzz/fuzz.h"
#include "tools/cfgc/cfgc.h"

static struct tessera_config cfg;
static struct cfg_source src;
static struct cfg_diag diag;

/* Every message is whole lines "FILE:..." and the count matches. */
static void check_diag(unsigned errors)
{
	FUZZ_CHECK(errors == diag.errors);
	FUZZ_CHECK(diag.len < sizeof(diag.text) && diag.text[diag.len] == '\0');
	FUZZ_CHECK(strlen(diag.text) == diag.len);
	FUZZ_CHECK((errors == 0) == (diag.len == 0));
	for (const char *line = diag.text; *line;) {
		const char *nl = strchr(line, '\n');

		FUZZ_CHECK(strncmp(line, "f.cfg:", 6) == 0);
		FUZZ_CHECK(nl != NULL);
		line = nl + 1;
	}
}

/* What the parser promises about any *cfg it returns, errors or not. */
static void check_parsed(void)
{
	FUZZ_CHECK(cfg.nr_partitions <= CONFIG_MAX_PARTITIONS);
	FUZZ_CHECK(cfg.nr_housekeeping <= CONFIG_MAX_HOUSEKEEPING_CPUS);
	for (uint32_t i = 0; i < cfg.nr_partitions; i++) {
		const struct partition_config *p = &cfg.partitions[i];

		FUZZ_CHECK(p->nr_cpus <= CONFIG_MAX_PARTITION_CPUS);
		FUZZ_CHECK(p->nr_mem_regions <= CONFIG_MAX_MEM_REGIONS);
		FUZZ_CHECK(p->nr_io_ranges <= CONFIG_MAX_IO_RANGES);
		FUZZ_CHECK(p->nr_modules <= CONFIG_MAX_MODULES);
		FUZZ_CHECK(fuzz_terminated(p->name, sizeof(p->name)));
		FUZZ_CHECK(fuzz_terminated(p->image, sizeof(p->image)));
		FUZZ_CHECK(fuzz_terminated(p->cmdline, sizeof(p->cmdline)));
		for (uint32_t m = 0; m < p->nr_modules; m++)
			FUZZ_CHECK(fuzz_terminated(p->modules[m], sizeof(p->modules[m])));
	}
	FUZZ_CHECK(cfg.nr_shmem <= CONFIG_MAX_SHMEM);
	for (uint32_t r = 0; r < cfg.nr_shmem; r++) {
		FUZZ_CHECK(cfg.shmem[r].nr_peers <= CONFIG_MAX_SHMEM_PEERS);
		FUZZ_CHECK(fuzz_terminated(cfg.shmem[r].name, sizeof(cfg.shmem[r].name)));
	}
}

/* What a table that passed the checker guarantees the hypervisor about shared memory. */
static void check_shmem_checked(void)
{
	for (uint32_t r = 0; r < cfg.nr_shmem; r++) {
		const struct config_shmem *s = &cfg.shmem[r];

		FUZZ_CHECK(s->nr_peers >= 2 && s->size && s->size <= CONFIG_SHMEM_SIZE_MAX);
		for (uint32_t k = 0; k < s->nr_peers; k++) {
			const struct config_shmem_peer *pe = &s->peers[k];
			const struct partition_config *p = &cfg.partitions[pe->partition];

			FUZZ_CHECK(pe->partition < cfg.nr_partitions);
			FUZZ_CHECK(pe->gpa < CONFIG_GPA_LIMIT &&
				   cfg_shmem_span(s) <= CONFIG_GPA_LIMIT - pe->gpa);
			for (uint32_t i = 0; i < p->nr_mem_regions; i++)
				FUZZ_CHECK(pe->gpa + cfg_shmem_span(s) <= p->mem_regions[i].gpa ||
					   p->mem_regions[i].gpa + p->mem_regions[i].size <=
					       pe->gpa);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	unsigned errors;

	if (!sink)
		sink = fopen("/dev/null", "w");
	cfg_diag_init(&diag);
	if (size && data[0] == '\0') {
		memset(&cfg, 0, sizeof(cfg));
		memset(&src, 0, sizeof(src));
		src.file = "f.cfg";
		memcpy(&cfg, data + 1, MIN(size - 1, sizeof(cfg)));
		check_diag(cfg_check(&cfg, &src, &diag));
		return 0;
	}
	if (size > CFG_FILE_MAX)
		return 0;
	errors = cfg_parse("f.cfg", (const char *)data, size, &cfg, &src, &diag);
	check_diag(errors);
	check_parsed();
	if (errors)
		return 0;
	errors = cfg_check(&cfg, &src, &diag);
	check_diag(errors);
	if (!errors) {
		check_shmem_checked();
		FUZZ_CHECK(cfg_emit(sink, &cfg, "f.cfg") == 0);
	}
	return 0;
}
