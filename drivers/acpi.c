/*
 * Finding the ACPI tables: the RSDP (ACPI 6.5 section 5.2.5), then the XSDT or RSDT,
 * whose entries point at the tables acpi_tables.c parses. Every address here comes
 * from firmware and every byte is read through the phys_reader_t, which refuses
 * ranges it cannot map.
 */
#include "drivers/acpi.h"
#include "drivers/acpi_tables.h"
#include "lib/log.h"
#include "lib/string.h"

#define RSDP_SIG	 "RSD PTR "
#define RSDP_V1_LEN	 20 /* covered by the first checksum */
#define RSDP_V2_LEN	 36
#define RSDP_MAX_LEN	 4096 /* a longer "length" is corrupt */
#define RSDP_OEM_ID	 9
#define RSDP_REVISION	 15
#define RSDP_RSDT	 16
#define RSDP_LENGTH	 20
#define RSDP_XSDT	 24
#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_SCAN_LEN	 1024
#define EBDA_LIMIT	 0xa0000 /* the EBDA lies below the VGA hole */
#define BIOS_AREA_START	 0xe0000
#define BIOS_AREA_LEN	 0x20000
#define HDR_LENGTH	 4

/* What an RSDP says. */
struct rsdp {
	uint8_t revision;
	char oem_id[7];
	uint32_t rsdt;
	uint64_t xsdt; /* 0 unless revision >= 2 and the extended checksum holds */
};

static uint8_t sum_bytes(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

/*
 * Checks an RSDP of which `avail` bytes are readable at p. The first 20 bytes must
 * be right; a bad ACPI 2.0 part only costs the XSDT (logged), as the RSDT still works.
 */
static bool rsdp_check(const uint8_t *p, size_t avail, const char *where, struct rsdp *r)
{
	if (avail < RSDP_V1_LEN || memcmp(p, RSDP_SIG, 8) != 0)
		return false;
	if (sum_bytes(p, RSDP_V1_LEN) != 0) {
		log_warn("acpi: RSDP %s: bad checksum", where);
		return false;
	}
	*r = (struct rsdp){.revision = p[RSDP_REVISION], .rsdt = acpi_get32(p + RSDP_RSDT)};
	for (int i = 0; i < 6; i++) {
		uint8_t c = p[RSDP_OEM_ID + i];
		r->oem_id[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (r->revision < 2)
		return true;
	if (avail < RSDP_V2_LEN) {
		log_warn("acpi: RSDP %s: revision %u but only %zu bytes; using the RSDT", where,
			 r->revision, avail);
		return true;
	}
	uint32_t len = acpi_get32(p + RSDP_LENGTH);
	if (len < RSDP_V2_LEN || len > avail || sum_bytes(p, len) != 0) {
		log_warn("acpi: RSDP %s: bad length (%u) or extended checksum; using the RSDT",
			 where, len);
		return true;
	}
	r->xsdt = acpi_get64(p + RSDP_XSDT);
	return true;
}

/* An RSDP at a physical address: read as much as its length field asks for. */
static bool rsdp_at(phys_reader_t rd, uint64_t pa, const char *where, struct rsdp *r)
{
	const uint8_t *p = rd(pa, RSDP_V1_LEN);
	size_t avail = RSDP_V1_LEN;

	if (!p) {
		log_warn("acpi: RSDP %s at %#llx is not readable", where, (unsigned long long)pa);
		return false;
	}
	const uint8_t *v2 = p[RSDP_REVISION] >= 2 ? rd(pa, RSDP_V2_LEN) : NULL;
	if (v2) {
		uint32_t len = acpi_get32(v2 + RSDP_LENGTH);
		const uint8_t *full = len > RSDP_V2_LEN && len <= RSDP_MAX_LEN ? rd(pa, len) : NULL;

		p = full ? full : v2;
		avail = full ? len : RSDP_V2_LEN;
	}
	if (!rsdp_check(p, avail, where, r)) {
		if (memcmp(p, RSDP_SIG, 8) != 0)
			log_warn("acpi: no RSDP signature %s at %#llx", where,
				 (unsigned long long)pa);
		return false;
	}
	return true;
}

/* Scans [base, base+len) on 16-byte boundaries; returns the address found or 0. */
static uint64_t rsdp_scan(phys_reader_t rd, uint64_t base, uint64_t len, struct rsdp *r)
{
	const uint8_t *area = rd(base, len);

	if (!area)
		return 0;
	for (uint64_t off = 0; off + RSDP_V1_LEN <= len; off += 16)
		if (rsdp_check(area + off, len - off, "found by scan", r))
			return base + off;
	return 0;
}

static uint64_t rsdp_find_by_scan(phys_reader_t rd, struct rsdp *r)
{
	const uint8_t *bda = rd(BDA_EBDA_SEGMENT, 2);
	uint64_t pa = 0;

	if (bda) {
		uint64_t ebda = (uint64_t)acpi_get16(bda) << 4;

		if (ebda >= 0x1000 && ebda + EBDA_SCAN_LEN <= EBDA_LIMIT)
			pa = rsdp_scan(rd, ebda, EBDA_SCAN_LEN, r);
	}
	if (!pa)
		pa = rsdp_scan(rd, BIOS_AREA_START, BIOS_AREA_LEN, r);
	return pa;
}

/* The RSDP in the order the loader's information suggests; false if there is none. */
static bool rsdp_find(const struct boot_info *bi, phys_reader_t rd, struct rsdp *r,
		      struct acpi_info *out)
{
	if (bi->rsdp && rsdp_at(rd, bi->rsdp, "given by the loader", r)) {
		out->rsdp_pa = bi->rsdp;
		return true;
	}
	if (bi->rsdp_copy_len &&
	    rsdp_check(bi->rsdp_copy, MIN(bi->rsdp_copy_len, sizeof(bi->rsdp_copy)),
		       "copied by the loader", r))
		return true;
	if (bi->rsdp_copy_len)
		log_warn("acpi: the loader's copy of the RSDP is not one; scanning memory");
	out->rsdp_pa = rsdp_find_by_scan(rd, r);
	return out->rsdp_pa != 0;
}

/*
 * A whole table at pa with signature sig, checked: header readable, 36 <= length
 * <= 1 MiB, every byte readable, checksum zero. NULL (logged) otherwise.
 */
static const uint8_t *table_map(phys_reader_t rd, uint64_t pa, const char *sig, uint32_t *len)
{
	const uint8_t *t = rd(pa, ACPI_HDR_LEN);

	if (!t) {
		log_err("acpi: %s at %#llx: header not readable", sig, (unsigned long long)pa);
		return NULL;
	}
	if (memcmp(t, sig, 4) != 0) {
		log_err("acpi: %s at %#llx: wrong signature", sig, (unsigned long long)pa);
		return NULL;
	}
	*len = acpi_get32(t + HDR_LENGTH);
	if (*len < ACPI_HDR_LEN || *len > ACPI_TABLE_MAXLEN) {
		log_err("acpi: %s at %#llx: implausible length %u", sig, (unsigned long long)pa,
			*len);
		return NULL;
	}
	t = rd(pa, *len);
	if (!t) {
		log_err("acpi: %s at %#llx: %u bytes run past readable memory", sig,
			(unsigned long long)pa, *len);
		return NULL;
	}
	if (sum_bytes(t, *len) != 0) {
		log_err("acpi: %s at %#llx: bad checksum", sig, (unsigned long long)pa);
		return NULL;
	}
	return t;
}

typedef void (*table_parser_t)(const uint8_t *t, uint32_t len, struct acpi_info *out);

static const struct {
	char sig[5];
	table_parser_t parse;
} table_parsers[] = {
    {"APIC", acpi_parse_madt},
    {"FACP", acpi_parse_fadt},
    {"HPET", acpi_parse_hpet},
};

/* The walk over the root table's entries. */
struct walk {
	phys_reader_t rd;
	struct acpi_info *out;
	uint32_t parsed; /* bit i: table_parsers[i] done */
	char seen[160];	 /* " FACP APIC ...", for the log */
	size_t seen_len;
};

static void walk_note(struct walk *w, const char *sig)
{
	if (w->seen_len + 5 < sizeof(w->seen)) {
		w->seen[w->seen_len] = ' ';
		memcpy(w->seen + w->seen_len + 1, sig, 5);
		w->seen_len += 5;
	}
}

/* Parses the table at pa if it is one we read. */
static void table_visit(struct walk *w, uint64_t pa)
{
	const uint8_t *hdr = w->rd(pa, ACPI_HDR_LEN);
	char sig[5] = "????";
	uint32_t len;

	if (!hdr) {
		log_err("acpi: table at %#llx: header not readable", (unsigned long long)pa);
		walk_note(w, sig);
		return;
	}
	for (int i = 0; i < 4; i++)
		sig[i] = hdr[i] >= 0x20 && hdr[i] < 0x7f ? (char)hdr[i] : '?';
	walk_note(w, sig);
	for (uint32_t i = 0; i < ARRAY_SIZE(table_parsers); i++) {
		if (memcmp(hdr, table_parsers[i].sig, 4) != 0)
			continue;
		if (w->parsed & BIT(i)) {
			log_warn("acpi: second %s table at %#llx ignored", sig,
				 (unsigned long long)pa);
			return;
		}
		const uint8_t *t = table_map(w->rd, pa, table_parsers[i].sig, &len);
		if (t) {
			w->parsed |= (uint32_t)BIT(i);
			table_parsers[i].parse(t, len, w->out);
		}
		return;
	}
}

/* The XSDT (8-byte entries) or RSDT (4-byte entries); false if it is unusable. */
static bool root_walk(struct walk *w, uint64_t pa, bool xsdt)
{
	const char *sig = xsdt ? "XSDT" : "RSDT";
	uint32_t esize = xsdt ? 8 : 4, len;
	const uint8_t *t = table_map(w->rd, pa, sig, &len);

	if (!t)
		return false;
	uint32_t count = (len - ACPI_HDR_LEN) / esize;
	if ((len - ACPI_HDR_LEN) % esize)
		log_warn("acpi: %s: %u trailing bytes ignored", sig, (len - ACPI_HDR_LEN) % esize);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = t + ACPI_HDR_LEN + i * esize;
		uint64_t entry = xsdt ? acpi_get64(e) : acpi_get32(e);

		if (entry)
			table_visit(w, entry);
	}
	log_info("acpi: %s at %#llx, %u tables:%s", sig, (unsigned long long)pa, count, w->seen);
	return true;
}

int acpi_parse(const struct boot_info *bi, phys_reader_t rd, struct acpi_info *out)
{
	struct walk w = {.rd = rd, .out = out};
	struct rsdp r;

	memset(out, 0, sizeof(*out));
	if (!rsdp_find(bi, rd, &r, out)) {
		log_err("acpi: no valid RSDP (loader gave %#llx, copy of %u bytes; BIOS areas "
			"scanned)",
			(unsigned long long)bi->rsdp, bi->rsdp_copy_len);
		return -1;
	}
	out->revision = r.revision;
	memcpy(out->oem_id, r.oem_id, sizeof(out->oem_id));
	if (out->rsdp_pa)
		log_info("acpi: RSDP revision %u, OEM \"%s\", at %#llx", r.revision, out->oem_id,
			 (unsigned long long)out->rsdp_pa);
	else
		log_info("acpi: RSDP revision %u, OEM \"%s\", from the loader's copy", r.revision,
			 out->oem_id);
	if (r.xsdt) {
		if (root_walk(&w, r.xsdt, true))
			return 0;
		log_warn("acpi: XSDT unusable, falling back to the RSDT");
		w = (struct walk){.rd = rd, .out = out};
	}
	if (r.rsdt && root_walk(&w, r.rsdt, false))
		return 0;
	log_err("acpi: no usable root table (RSDT %#x)", r.rsdt);
	return -1;
}

#ifndef HOST_TEST
#include "drivers/machine_exit.h"

static struct acpi_info acpi_info;
static uint64_t readable_top = 4 * GiB;

/*
 * Physical memory is identity mapped: the low 4 GiB by the boot tables, all of the
 * memory map by the hypervisor's own tables. Tables beyond that are refused.
 */
static const void *identity_reader(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= readable_top || len > readable_top - pa)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

int acpi_init(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_REGIONS; i++) {
		uint64_t end = bi->mem[i].base + bi->mem[i].len;

		if (end > readable_top && end > bi->mem[i].base)
			readable_top = end;
	}
	int err = acpi_parse(bi, identity_reader, &acpi_info);
	/* S5's SLP_TYP comes from the DSDT's \_S5 object, which needs AML; it is 0 on the
	 * PIIX4 PM of QEMU and Bochs, which is all this is for. */
	if (acpi_info.pm1a_cnt_port)
		machine_exit_set_acpi(acpi_info.pm1a_cnt_port, 0);
	return err;
}

const struct acpi_info *acpi_get(void)
{
	return &acpi_info;
}
#endif
