/*
 * cfgc: parsers for the value types of a config (numbers, sizes, CPU lists,
 * region lists, port ranges, enums, names). Each takes the value text and
 * returns true, or false with a one-line reason in err[PV_ERR_MAX].
 */
#ifndef TESSERA_HV_CONFIG_PARSE_VALUES_H
#define TESSERA_HV_CONFIG_PARSE_VALUES_H

#include "tools/cfgc/cfgc.h"

#define PV_ERR_MAX 200

/* Decimal or 0x hex, at most `max`. */
bool pv_number(const char *s, uint64_t max, uint64_t *out, char *err);
/* A number with an optional K, M or G suffix (binary units). */
bool pv_size(const char *s, uint64_t *out, char *err);
/* "1,2", "1-3", "apic:2", "apic:4-5": CPU indexes or APIC IDs, at most max of them. */
bool pv_cpu_list(const char *s, struct config_cpu *cpus, uint32_t max, uint32_t *count, char *err);
/* "0x0:640K, 0x100000:63M": guest-physical BASE:SIZE RAM regions. */
bool pv_region_list(const char *s, struct config_mem_region *regions, uint32_t max, uint32_t *count,
		    char *err);
/* "0x70-0x71, 0x80": I/O port ranges (an inverted range is kept for the checker). */
bool pv_io_list(const char *s, struct config_io_range *ranges, uint32_t max, uint32_t *count,
		char *err);
/* A string that must fit in size bytes with its NUL. */
bool pv_string(const char *s, char *dst, size_t size, char *err);
/* Comma-separated module names. */
bool pv_word_list(const char *s, char (*words)[CONFIG_MODULE_NAME_MAX], uint32_t max,
		  uint32_t *count, char *err);
/* One of names[]; *out is its index. */
bool pv_enum(const char *s, const char *const *names, uint32_t *out, char *err);
/* A port number, or "off" (CONFIG_VUART_OFF). */
bool pv_vuart(const char *s, uint32_t *port, char *err);
/* "N/Ts": N restarts within T seconds (the `s` is optional); ranges are check.c's. */
bool pv_restart_limit(const char *s, uint32_t *count, uint32_t *seconds, char *err);
/*
 * "producer, consumer:ro": partition names with an optional :rw (the default)
 * or :ro; names go to names[i] (resolved later), the access to peers[i].
 */
bool pv_shmem_peers(const char *s, struct config_shmem_peer *peers, char (*names)[CONFIG_NAME_MAX],
		    uint32_t max, uint32_t *count, char *err);
/* "producer:0xc0000000, consumer:auto": a peer's name and its address, or auto. */
bool pv_shmem_gpas(const char *s, struct cfg_shmem_gpa *gpas, uint32_t max, uint32_t *count,
		   char *err);

#endif
