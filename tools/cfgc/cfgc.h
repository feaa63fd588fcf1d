/*
 * cfgc, the partition config compiler (a host tool, never part of the image):
 * text config (docs/config.md) -> parse -> check -> emit a C file holding the
 * `struct tessera_config` table of hv/partition/partition_config.h.
 *
 * Every message is one line: "FILE:LINE: partition NAME: field: what is wrong"
 * ("machine" instead of "partition NAME" for the machine section; LINE, the
 * section and the field are left out where there is none).
 */
#ifndef TESSERA_HV_CONFIG_CFGC_H
#define TESSERA_HV_CONFIG_CFGC_H

#include <stdio.h>
#include "hv/partition/partition_config.h"

/* Longest accepted config line, and largest accepted config file. */
#define CFG_LINE_MAX 1024
#define CFG_FILE_MAX (1024 * 1024)

/* Fields of the machine section, for message locations. */
enum cfg_machine_field {
	CFG_M_SECTION, /* the [machine] line itself */
	CFG_M_CPUS,
	CFG_M_MEMORY,
	CFG_M_HOUSEKEEPING,
	CFG_M_COUNT
};

/* Fields of a partition section. */
enum cfg_part_field {
	CFG_P_SECTION, /* the [partition NAME] line itself */
	CFG_P_CPUS,
	CFG_P_MEMORY,
	CFG_P_RAM,
	CFG_P_IMAGE,
	CFG_P_CMDLINE,
	CFG_P_MODULES,
	CFG_P_BOOT,
	CFG_P_IOPORTS,
	CFG_P_VUART,
	CFG_P_ON_CRASH,
	CFG_P_RESTART_LIMIT,
	CFG_P_TIMER,
	CFG_P_HALT,
	CFG_P_PAUSE,
	CFG_P_FW_CFG,
	CFG_P_X2APIC,
	CFG_P_HYPERV,
	CFG_P_XOM,
	CFG_P_PMU,
	CFG_P_LAPIC,
	CFG_P_IOAPIC,
	CFG_P_COUNT
};

/* Fields of a shared-memory section. */
enum cfg_shmem_field {
	CFG_S_SECTION, /* the [shmem NAME] line itself */
	CFG_S_SIZE,
	CFG_S_PEERS,
	CFG_S_GPA,
	CFG_S_NOTIFY_ON_READ,
	CFG_S_COUNT
};

/* A `gpa` item of a [shmem] section as written: a peer's name and its address or auto. */
struct cfg_shmem_gpa {
	char peer[CONFIG_NAME_MAX];
	uint64_t gpa;
	bool is_auto;
};

/* Where each value came from (line numbers, 0 = not given): for messages only. */
struct cfg_source {
	const char *file;
	unsigned machine_line[CFG_M_COUNT];
	unsigned part_line[CONFIG_MAX_PARTITIONS][CFG_P_COUNT];
	unsigned shmem_line[CONFIG_MAX_SHMEM][CFG_S_COUNT];
	/* [shmem] sections name partitions, resolved once every section is read. */
	char shmem_peer[CONFIG_MAX_SHMEM][CONFIG_MAX_SHMEM_PEERS][CONFIG_NAME_MAX];
	uint32_t nr_shmem_gpa[CONFIG_MAX_SHMEM];
	struct cfg_shmem_gpa shmem_gpa[CONFIG_MAX_SHMEM][CONFIG_MAX_SHMEM_PEERS];
};

/* Collected messages. */
struct cfg_diag {
	unsigned errors;
	size_t len;
	char text[16384]; /* one message a line; later ones are dropped when full */
};

/* Key names as written in the config, indexed by the enums above. */
extern const char *const cfg_machine_keys[CFG_M_COUNT];
extern const char *const cfg_part_keys[CFG_P_COUNT];
extern const char *const cfg_shmem_keys[CFG_S_COUNT];

void cfg_diag_init(struct cfg_diag *d);
/* Records one error. `section` ("machine", "partition alpha") and `field` may be NULL. */
void cfg_error(struct cfg_diag *d, const char *file, unsigned line, const char *section,
	       const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Parses `len` bytes of config text into *cfg (zeroed first, defaults filled in)
 * and *src. Only syntax is judged here: what cannot be represented in *cfg (bad
 * numbers, unknown keys, too many items, names too long...). Returns the number
 * of errors recorded in *d.
 */
unsigned cfg_parse(const char *file, const char *text, size_t len, struct tessera_config *cfg,
		   struct cfg_source *src, struct cfg_diag *d);

/*
 * After parsing: resolves the partition names of the [shmem] sections into
 * indexes and places the peers whose gpa is auto (shmem_place.c). Returns the
 * number of errors recorded.
 */
unsigned cfg_shmem_resolve(struct tessera_config *cfg, const struct cfg_source *src,
			   struct cfg_diag *d);

/* The bytes a region takes in a peer's guest-physical space: itself and its doorbell page. */
static inline uint64_t cfg_shmem_span(const struct config_shmem *s)
{
	return s->size + CONFIG_SHMEM_DOORBELL_SZ;
}

/* The default guest-physical layout of `memory` bytes (RAM from 0, legacy hole reserved). */
void cfg_default_layout(struct partition_config *p);

/*
 * The semantic checker: judges any *cfg (it trusts no count or string in it) and
 * records every rule broken. Returns the number of errors recorded.
 */
unsigned cfg_check(const struct tessera_config *cfg, const struct cfg_source *src,
		   struct cfg_diag *d);

/* The [shmem] part of cfg_check (check_shmem.c). Returns the number of errors recorded. */
unsigned cfg_check_shmem(const struct tessera_config *cfg, const struct cfg_source *src,
			 struct cfg_diag *d);

/* Writes *cfg as a C file defining tessera_config. Returns 0, or -1 on a write error. */
int cfg_emit(FILE *out, const struct tessera_config *cfg, const char *source_name);

#endif
