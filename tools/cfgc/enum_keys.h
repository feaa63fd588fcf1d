/*
 * cfgc: the partition keys whose value is one of a few words (boot, on_crash,
 * timer, halt, pause and the on/off switches), described once: where the
 * value lives in struct partition_config, how the config spells each value,
 * the enumerator cfgc emits for it, and what an out-of-range value is called
 * in a message. Parsing, checking and emitting all walk this one table.
 */
#ifndef TESSERA_TOOLS_CFGC_ENUM_KEYS_H
#define TESSERA_TOOLS_CFGC_ENUM_KEYS_H

#include <stddef.h>
#include "tools/cfgc/cfgc.h"

struct cfg_enum_key {
	enum cfg_part_field field;	/* its key name is cfg_part_keys[field] */
	size_t offset;			/* of its uint32_t in struct partition_config */
	const char *const *spellings;	/* by value, NULL-terminated */
	const char *const *enumerators; /* by value, as many as spellings */
	const char *what;		/* "%u is not <what>" */
};

extern const struct cfg_enum_key cfg_enum_keys[];
extern const size_t cfg_nr_enum_keys;

/* The key of a partition field, or NULL when its value is not one of a few words. */
const struct cfg_enum_key *cfg_enum_key(enum cfg_part_field field);

/* How many values a key has. */
uint32_t cfg_enum_count(const struct cfg_enum_key *k);

static inline uint32_t *cfg_enum_value(struct partition_config *p, const struct cfg_enum_key *k)
{
	return (uint32_t *)((char *)p + k->offset);
}

static inline uint32_t cfg_enum_get(const struct partition_config *p, const struct cfg_enum_key *k)
{
	return *(const uint32_t *)((const char *)p + k->offset);
}

#endif
