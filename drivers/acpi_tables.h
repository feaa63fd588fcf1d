/*
 * Inside drivers/acpi: the parsers of single tables (acpi_tables.c), called by the
 * root-table walk in acpi.c with a table already checked (length >= 36, fully
 * readable, checksum good, signature as expected), and the little-endian readers
 * both use. Nothing outside drivers/acpi*.c includes this.
 */
#ifndef TESSERA_DRIVERS_ACPI_TABLES_H
#define TESSERA_DRIVERS_ACPI_TABLES_H

#include "drivers/acpi.h"

#define ACPI_HDR_LEN 36 /* the common table header */

static inline uint16_t acpi_get16(const uint8_t *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t acpi_get32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t acpi_get64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

void acpi_parse_madt(const uint8_t *t, uint32_t len, struct acpi_info *out);
void acpi_parse_fadt(const uint8_t *t, uint32_t len, struct acpi_info *out);
void acpi_parse_hpet(const uint8_t *t, uint32_t len, struct acpi_info *out);

#endif
