/*
 * config_get: the hypervisor's view of the built-in partition table. The table
 * was checked at build time (tools/cfgc/check.c); here we only make sure it is the
 * table this hypervisor was built to read, and that no count can take a reader
 * past the end of an array.
 */
#include "hv/partition/partition_config.h"
#include "hv/vlapic/vlapic_dest.h"
#include "arch/x86/percpu.h"
#include "lib/log.h"
#include "lib/string.h"

STATIC_ASSERT(CONFIG_MAX_CPUS <= MAX_CPUS, "config CPU indexes must fit the per-CPU array");
/* A partition's vCPUs are distinct CPUs: every one fits the vLAPIC's (and Hyper-V's) masks. */
STATIC_ASSERT(CONFIG_MAX_CPUS <= VLAPIC_MAX_VCPUS, "a partition's vCPUs must fit a 64-bit set");

static bool terminated(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

static bool partition_sane(const struct partition_config *p)
{
	if (p->nr_cpus > CONFIG_MAX_PARTITION_CPUS || p->nr_mem_regions > CONFIG_MAX_MEM_REGIONS ||
	    p->nr_modules > CONFIG_MAX_MODULES || p->nr_io_ranges > CONFIG_MAX_IO_RANGES)
		return false;
	if (!terminated(p->name, sizeof(p->name)) || !terminated(p->image, sizeof(p->image)) ||
	    !terminated(p->cmdline, sizeof(p->cmdline)))
		return false;
	for (uint32_t i = 0; i < p->nr_modules; i++)
		if (!terminated(p->modules[i], sizeof(p->modules[i])))
			return false;
	return true;
}

const struct tessera_config *config_get(void)
{
	const struct tessera_config *c = &tessera_config;

	if (c->magic != CONFIG_MAGIC || c->version != CONFIG_VERSION)
		panic("config: built-in table has magic %#x version %u, expected %#x version %u",
		      c->magic, c->version, CONFIG_MAGIC, CONFIG_VERSION);
	if (c->size != sizeof(*c))
		panic("config: built-in table is %u bytes, this hypervisor reads %u", c->size,
		      (unsigned)sizeof(*c));
	if (c->nr_partitions > CONFIG_MAX_PARTITIONS ||
	    c->nr_housekeeping > CONFIG_MAX_HOUSEKEEPING_CPUS)
		panic("config: built-in table has %u partitions, %u housekeeping CPUs: too many",
		      c->nr_partitions, c->nr_housekeeping);
	for (uint32_t i = 0; i < c->nr_partitions; i++)
		if (!partition_sane(&c->partitions[i]))
			panic("config: built-in table: partition %u has a count or string out of "
			      "bounds",
			      i);
	return c;
}
