/*
 * cfgc CONFIG OUT.c: parses and checks a partition config and writes the C
 * table the hypervisor links. On any error it prints every message, writes
 * nothing and exits 1.
 * cfgc --hyperv-cpuid CONFIG: checks it the same way and prints, for each
 * partition, the Hyper-V CPUID leaves it would be offered (none with
 * hyperv = off), as the hypervisor prints them at boot (hv/policy/hyperv_offer.c).
 */
#include <stdlib.h>
#include <string.h>
#include "tools/cfgc/cfgc.h"
#include "hv/policy/hyperv_offer.h"

/* Reads the whole file, up to CFG_FILE_MAX bytes (one more tells us it is too big). */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(CFG_FILE_MAX + 1);
	if (buf)
		*len = fread(buf, 1, CFG_FILE_MAX + 1, f);
	if (!buf || ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Writes OUT through a temporary file, so a failed run never leaves a half table. */
static int write_output(const char *path, const struct tessera_config *cfg, const char *src)
{
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	FILE *out;
	int rc;

	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	out = fopen(tmp, "w");
	if (!out) {
		free(tmp);
		return -1;
	}
	rc = cfg_emit(out, cfg, src);
	if (fclose(out) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0)
		remove(tmp);
	free(tmp);
	return rc;
}

static void print_hyperv_cpuid(const struct tessera_config *cfg)
{
	for (uint32_t i = 0; i < cfg->nr_partitions; i++) {
		const struct partition_config *p = &cfg->partitions[i];
		struct hv_cpuid c;

		if (p->hyperv != CONFIG_ON) {
			printf("partition %s: hyperv: off (no Hyper-V leaves; 0x40000000 is "
			       "Tessera's)\n",
			       p->name);
			continue;
		}
		struct hv_offer o = hv_offer_for(p->nr_cpus);

		hv_cpuid_build(&o, &c);
		for (uint32_t l = 0; l < HV_CPUID_COUNT; l++)
			printf("partition %s: hyperv: leaf %#x: eax %08x ebx %08x ecx %08x edx "
			       "%08x (%s)\n",
			       p->name, HV_CPUID_FIRST + l, c.leaf[l].eax, c.leaf[l].ebx,
			       c.leaf[l].ecx, c.leaf[l].edx, hv_cpuid_leaf_name(l));
	}
}

int main(int argc, char **argv)
{
	static struct tessera_config cfg;
	static struct cfg_source src;
	static struct cfg_diag diag;
	size_t len = 0;
	char *text;
	bool report = argc == 3 && !strcmp(argv[1], "--hyperv-cpuid");

	if (argc != 3) {
		fprintf(stderr, "usage: cfgc CONFIG OUT.c | cfgc --hyperv-cpuid CONFIG\n");
		return 2;
	}
	if (report)
		argv++; /* argv[1] is the config now */
	text = read_file(argv[1], &len);
	if (!text) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 1;
	}
	cfg_diag_init(&diag);
	if (cfg_parse(argv[1], text, len, &cfg, &src, &diag) == 0)
		cfg_check(&cfg, &src, &diag);
	free(text);
	if (diag.errors) {
		fputs(diag.text, stderr);
		if (count_lines(diag.text) < diag.errors)
			fprintf(stderr, "%s: (more messages dropped)\n", argv[1]);
		fprintf(stderr, "%s: %u error%s\n", argv[1], diag.errors,
			diag.errors == 1 ? "" : "s");
		return 1;
	}
	if (report) {
		print_hyperv_cpuid(&cfg);
		return 0;
	}
	if (write_output(argv[2], &cfg, argv[1]) != 0) {
		fprintf(stderr, "%s: cannot write\n", argv[2]);
		return 1;
	}
	return 0;
}
