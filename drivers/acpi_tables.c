/*
 * The ACPI tables Tessera reads: MADT (signature "APIC"), FADT ("FACP") and HPET.
 * Offsets are those of the ACPI 6.5 specification, sections 5.2.9 (FADT), 5.2.12
 * (MADT) and the IA-PC HPET specification. A field is read only when the table's
 * length covers it; older, shorter revisions simply lack the later fields.
 */
#include "drivers/acpi_tables.h"
#include "lib/format.h"
#include "lib/log.h"

/* MADT */
#define MADT_LAPIC_ADDR		36
#define MADT_FLAGS		40
#define MADT_ENTRIES		44
#define MADT_FLAG_PCAT_COMPAT	BIT(0)
#define MADT_LAPIC		0 /* processor local APIC */
#define MADT_IOAPIC		1
#define MADT_LAPIC_OVERRIDE	5 /* 64-bit local APIC address */
#define MADT_X2APIC		9 /* processor local x2APIC */
#define MADT_LAPIC_ENABLED	BIT(0)
#define MADT_LAPIC_ONLINE_CAP	BIT(1)
#define MADT_LAPIC_LEN		8
#define MADT_IOAPIC_LEN		12
#define MADT_LAPIC_OVERRIDE_LEN 12
#define MADT_X2APIC_LEN		16

/* FADT */
#define FADT_SCI_INT	      46 /* 16 bits */
#define FADT_PM1A_CNT_BLK     64 /* 32 bits */
#define FADT_PM_TMR_BLK	      76 /* 32 bits */
#define FADT_PM_TMR_LEN	      91 /* 8 bits */
#define FADT_FLAGS	      112
#define FADT_FLAG_TMR_VAL_EXT BIT(8)
#define FADT_X_PM1A_CNT_BLK   172 /* generic address structure */
#define FADT_X_PM_TMR_BLK     208

/* Generic address structure (12 bytes) */
#define GAS_SPACE_ID	 0
#define GAS_ADDRESS	 4
#define GAS_LEN		 12
#define GAS_SPACE_MEMORY 0
#define GAS_SPACE_IO	 1

/* HPET */
#define HPET_BASE_GAS  40
#define HPET_TABLE_LEN 56

/* What the MADT walk saw, for its summary line. */
struct madt_counts {
	uint32_t unusable, duplicates, bad_ids, short_entries, ioapics_ignored;
};

static bool cpu_known(const struct acpi_info *out, uint32_t apic_id)
{
	for (uint32_t i = 0; i < out->nr_cpus; i++)
		if (out->cpus[i].apic_id == apic_id)
			return true;
	return false;
}

static void madt_add_cpu(struct acpi_info *out, struct madt_counts *c, uint32_t apic_id,
			 uint32_t uid, uint32_t flags)
{
	if (!(flags & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAP))) {
		c->unusable++;
		return;
	}
	if (cpu_known(out, apic_id)) {
		c->duplicates++;
		return;
	}
	if (out->nr_cpus == MAX_CPUS) {
		out->nr_cpus_ignored++;
		return;
	}
	out->cpus[out->nr_cpus++] = (struct acpi_cpu){
	    .apic_id = apic_id,
	    .acpi_uid = uid,
	    .enabled = flags & MADT_LAPIC_ENABLED,
	    .online_capable = !(flags & MADT_LAPIC_ENABLED) && (flags & MADT_LAPIC_ONLINE_CAP),
	};
}

static void madt_add_ioapic(struct acpi_info *out, struct madt_counts *c, const uint8_t *e)
{
	if (out->nr_ioapics == ACPI_MAX_IOAPICS) {
		c->ioapics_ignored++;
		return;
	}
	out->ioapics[out->nr_ioapics++] = (struct acpi_ioapic){
	    .id = e[2],
	    .addr = acpi_get32(e + 4),
	    .gsi_base = acpi_get32(e + 8),
	};
}

/* Minimum entry length for the types we read, 0 for the others. */
static uint32_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:
		return MADT_LAPIC_LEN;
	case MADT_IOAPIC:
		return MADT_IOAPIC_LEN;
	case MADT_LAPIC_OVERRIDE:
		return MADT_LAPIC_OVERRIDE_LEN;
	case MADT_X2APIC:
		return MADT_X2APIC_LEN;
	default:
		return 0;
	}
}

static void madt_entry(struct acpi_info *out, struct madt_counts *c, const uint8_t *e,
		       uint32_t elen)
{
	if (elen < madt_min_len(e[0])) {
		c->short_entries++;
		return;
	}
	switch (e[0]) {
	case MADT_LAPIC:
		if (e[3] == 0xff) /* not a valid xAPIC ID: the CPU is described by a type 9 */
			c->bad_ids++;
		else
			madt_add_cpu(out, c, e[3], e[2], acpi_get32(e + 4));
		break;
	case MADT_X2APIC:
		if (acpi_get32(e + 4) == 0xffffffff)
			c->bad_ids++;
		else
			madt_add_cpu(out, c, acpi_get32(e + 4), acpi_get32(e + 12),
				     acpi_get32(e + 8));
		break;
	case MADT_LAPIC_OVERRIDE:
		out->lapic_base = acpi_get64(e + 4);
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(out, c, e);
		break;
	}
}

/* "acpi: MADT: 4 CPUs (apic ids 0 1 2 3), IOAPIC 0xfec00000, ..." in one line. */
static void madt_summary(const struct acpi_info *out, const struct madt_counts *c)
{
	char line[200];
	size_t n = 0;

#define ADD(...)                                                                            \
	do {                                                                                \
		if (n < sizeof(line))                                                       \
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, __VA_ARGS__); \
	} while (0)

	uint32_t later = 0;
	bool cut = false;

	ADD("%u CPUs (apic ids", out->nr_cpus);
	for (uint32_t i = 0; i < out->nr_cpus; i++) {
		later += !out->cpus[i].enabled;
		if (cut)
			continue;
		cut = n > sizeof(line) - 48; /* keep room for the rest of the line */
		if (cut)
			ADD(" ...");
		else
			ADD(" %u", out->cpus[i].apic_id);
	}
	ADD(")");
	if (later)
		ADD(", %u of them online-capable, not enabled", later);
	for (uint32_t i = 0; i < out->nr_ioapics; i++)
		ADD(", IOAPIC %#llx", (unsigned long long)out->ioapics[i].addr);
	ADD(", LAPIC %#llx", (unsigned long long)out->lapic_base);
#undef ADD
	log_info("acpi: MADT: %s", line);
	if (out->nr_cpus_ignored)
		log_warn("acpi: MADT: %u more CPUs ignored (Tessera supports %u)",
			 out->nr_cpus_ignored, MAX_CPUS);
	if (c->unusable || c->duplicates || c->bad_ids)
		log_info("acpi: MADT: skipped %u unusable, %u duplicate, %u invalid-ID CPU entries",
			 c->unusable, c->duplicates, c->bad_ids);
	if (c->short_entries)
		log_warn("acpi: MADT: %u entries too short for their type, skipped",
			 c->short_entries);
	if (c->ioapics_ignored)
		log_warn("acpi: MADT: %u IOAPICs beyond %u ignored", c->ioapics_ignored,
			 ACPI_MAX_IOAPICS);
}

void acpi_parse_madt(const uint8_t *t, uint32_t len, struct acpi_info *out)
{
	struct madt_counts c = {0};
	uint32_t off = MADT_ENTRIES;

	if (len < MADT_ENTRIES) {
		log_err("acpi: MADT: %u bytes, too short for its fixed fields", len);
		return;
	}
	out->has_madt = true;
	out->lapic_base = acpi_get32(t + MADT_LAPIC_ADDR);
	out->pcat_compat = acpi_get32(t + MADT_FLAGS) & MADT_FLAG_PCAT_COMPAT;
	/* Each step advances by at least 2 bytes, so this ends. */
	while (off < len) {
		uint32_t elen = len - off >= 2 ? t[off + 1] : 0;

		if (elen < 2) {
			log_err("acpi: MADT: entry at offset %u has length %u; ignoring the rest",
				off, elen);
			break;
		}
		if (elen > len - off) {
			log_err("acpi: MADT: entry at offset %u (type %u, %u bytes) runs past the "
				"table's end (%u); ignoring the rest",
				off, t[off], elen, len);
			break;
		}
		madt_entry(out, &c, t + off, elen);
		off += elen;
	}
	madt_summary(out, &c);
}

/* An I/O port from a generic address structure, 0 when it is not a usable port. */
static uint16_t gas_io_port(const uint8_t *gas, uint32_t span)
{
	uint64_t addr = acpi_get64(gas + GAS_ADDRESS);

	if (gas[GAS_SPACE_ID] != GAS_SPACE_IO || addr == 0 || addr > 0x10000 - span)
		return 0;
	return (uint16_t)addr;
}

/* A legacy 32-bit port block field, 0 when absent or not a port. */
static uint16_t legacy_io_port(uint32_t addr, uint32_t span)
{
	return addr && addr <= 0x10000 - span ? (uint16_t)addr : 0;
}

void acpi_parse_fadt(const uint8_t *t, uint32_t len, struct acpi_info *out)
{
	uint16_t pm_tmr = 0, pm1a_cnt = 0;
	const char *tmr_from = "none";

	if (len < FADT_PM_TMR_LEN + 1) {
		log_err("acpi: FADT: %u bytes, too short for the PM blocks", len);
		return;
	}
	out->has_fadt = true;
	out->sci_irq = acpi_get16(t + FADT_SCI_INT);
	if (t[FADT_PM_TMR_LEN] == 4 &&
	    (pm_tmr = legacy_io_port(acpi_get32(t + FADT_PM_TMR_BLK), 4)))
		tmr_from = "PM_TMR_BLK";
	pm1a_cnt = legacy_io_port(acpi_get32(t + FADT_PM1A_CNT_BLK), 2);
	if (len >= FADT_FLAGS + 4)
		out->pm_tmr_32bit = acpi_get32(t + FADT_FLAGS) & FADT_FLAG_TMR_VAL_EXT;
	/* The 64-bit X_ blocks take precedence when they hold a usable I/O port. */
	if (len >= FADT_X_PM1A_CNT_BLK + GAS_LEN) {
		uint16_t x = gas_io_port(t + FADT_X_PM1A_CNT_BLK, 2);

		if (x)
			pm1a_cnt = x;
	}
	if (len >= FADT_X_PM_TMR_BLK + GAS_LEN) {
		uint16_t x = gas_io_port(t + FADT_X_PM_TMR_BLK, 4);

		if (x) {
			pm_tmr = x;
			tmr_from = "X_PM_TMR_BLK";
		}
	}
	out->pm_tmr_port = pm_tmr;
	out->pm1a_cnt_port = pm1a_cnt;
	if (!pm_tmr)
		out->pm_tmr_32bit = false;
	log_info("acpi: FADT: PM timer port %#x (%s, %u-bit), PM1a control %#x, SCI %u", pm_tmr,
		 tmr_from, out->pm_tmr_32bit ? 32 : 24, pm1a_cnt, out->sci_irq);
}

void acpi_parse_hpet(const uint8_t *t, uint32_t len, struct acpi_info *out)
{
	uint64_t base;

	if (len < HPET_TABLE_LEN) {
		log_err("acpi: HPET: %u bytes, too short", len);
		return;
	}
	base = acpi_get64(t + HPET_BASE_GAS + GAS_ADDRESS);
	if (t[HPET_BASE_GAS + GAS_SPACE_ID] != GAS_SPACE_MEMORY || base == 0 ||
	    !IS_ALIGNED(base, 1024)) {
		log_err("acpi: HPET: unusable base address %#llx (space %u)",
			(unsigned long long)base, t[HPET_BASE_GAS + GAS_SPACE_ID]);
		return;
	}
	out->has_hpet = true;
	out->hpet_base = base;
	log_info("acpi: HPET: base %#llx", (unsigned long long)base);
}
