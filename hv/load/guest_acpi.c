/*
 * guest_acpi_build(): a partition's ACPI tables (see guest_acpi.h). Layouts
 * and field offsets as the ACPI specification (6.5) gives them; every table
 * is written into a zeroed area, then its length and checksum are set.
 */
#include "hv/load/guest_acpi.h"
#include "hv/load/guest_dsdt.h"
#include "lib/le_bytes.h"
#include "lib/string.h"
#include "hv/policy/power_ports.h"

#define HDR_LEN		36 /* the common description header */
#define RSDP_LEN	36
#define FADT_LEN	276 /* revision 6 */
#define MADT_LAPIC_LEN	8
#define MADT_IOAPIC_LEN 12
#define MADT_ISO_LEN	10
#define MADT_NMI_LEN	6

/* FADT fields (byte offsets) and flags. */
#define FADT_DSDT	     40
#define FADT_SCI_INT	     46
#define FADT_IAPC_BOOT_ARCH  109
#define FADT_FLAGS	     112
#define FADT_RESET_REG	     116
#define FADT_RESET_VALUE     128
#define FADT_MINOR_VERSION   131
#define FADT_X_DSDT	     140
#define FADT_SLEEP_CTL_REG   244
#define FADT_SLEEP_STS_REG   256
#define FADT_HYPERVISOR_ID   268
#define FADT_F_WBINVD	     BIT(0)
#define FADT_F_PWR_BUTTON    BIT(4) /* no fixed power button */
#define FADT_F_SLP_BUTTON    BIT(5) /* no fixed sleep button */
#define FADT_F_RESET_REG_SUP BIT(10)
#define FADT_F_HW_REDUCED    BIT(20)
#define BOOT_ARCH_NO_VGA     BIT(2)
#define BOOT_ARCH_NO_MSI     BIT(3)
#define BOOT_ARCH_NO_ASPM    BIT(4)
#define GAS_SYSTEM_IO	     1
#define GAS_ACCESS_BYTE	     1

/* MADT entry types and flags. */
#define MADT_TYPE_LAPIC	    0
#define MADT_TYPE_IOAPIC    1
#define MADT_TYPE_ISO	    2
#define MADT_TYPE_LAPIC_NMI 4
#define MADT_LAPIC_ENABLED  BIT(0)
#define MADT_LAPIC_ADDR	    0xfee00000u
#define MADT_ALL_PROCESSORS 0xff
#define MADT_NMI_LINT1	    1

struct out {
	uint8_t *buf;
	size_t size, used;
	bool overflow;
};

static uint8_t *take(struct out *o, size_t len, size_t align)
{
	size_t at = ALIGN_UP(o->used, align);

	if (at > o->size || len > o->size - at) {
		o->overflow = true;
		return NULL;
	}
	o->used = at + len;
	memset(o->buf + at, 0, len);
	return o->buf + at;
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

static void header(uint8_t *t, const char sig[4], uint8_t revision)
{
	memcpy(t, sig, 4);
	t[8] = revision;
	memcpy(t + 10, "TESSRA", 6);
	memcpy(t + 16, "TESSERA ", 8);
	put_le32(t + 24, 1);	   /* OEM revision */
	memcpy(t + 28, "TSRA", 4); /* creator ID */
	put_le32(t + 32, 1);	   /* creator revision */
}

/* Sets the length and the checksum of the table t, which ends at o->used. */
static void finish(const struct out *o, uint8_t *t)
{
	uint32_t len = (uint32_t)(o->buf + o->used - t);

	put_le32(t + 4, len);
	t[9] = 0;
	t[9] = checksum(t, len);
}

static uint64_t gpa_of(const struct out *o, uint64_t base, const uint8_t *p)
{
	return base + (uint64_t)(p - o->buf);
}

static void gas_io8(uint8_t *g, uint16_t port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = 8; /* bit width */
	g[2] = 0; /* bit offset */
	g[3] = GAS_ACCESS_BYTE;
	put_le64(g + 4, port);
}

static uint8_t *build_dsdt(struct out *o, const struct guest_acpi_params *p)
{
	uint8_t *t = take(o, HDR_LEN, 16);
	size_t n;

	if (!t)
		return NULL;
	header(t, "DSDT", 2); /* revision 2: integers are 64-bit */
	n = guest_dsdt_body(o->buf + o->used, o->size - o->used, p);
	if (!n) {
		o->overflow = true;
		return NULL;
	}
	o->used += n;
	finish(o, t);
	return t;
}

/* ---- FADT, MADT, XSDT, RSDT, RSDP --------------------------------------------- */

static uint8_t *build_fadt(struct out *o, uint64_t base, const uint8_t *dsdt)
{
	uint8_t *t = take(o, FADT_LEN, 16);
	uint64_t dsdt_gpa = gpa_of(o, base, dsdt);

	if (!t)
		return NULL;
	header(t, "FACP", 6);
	put_le32(t + FADT_DSDT, (uint32_t)dsdt_gpa);
	put_le16(t + FADT_SCI_INT, GUEST_ACPI_SCI_IRQ);
	put_le16(t + FADT_IAPC_BOOT_ARCH, BOOT_ARCH_NO_VGA | BOOT_ARCH_NO_MSI | BOOT_ARCH_NO_ASPM);
	put_le32(t + FADT_FLAGS, FADT_F_WBINVD | FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON |
				     FADT_F_RESET_REG_SUP | FADT_F_HW_REDUCED);
	gas_io8(t + FADT_RESET_REG, GUEST_ACPI_RESET_PORT);
	t[FADT_RESET_VALUE] = GUEST_ACPI_RESET_VALUE;
	t[FADT_MINOR_VERSION] = 5;
	put_le64(t + FADT_X_DSDT, dsdt_gpa);
	gas_io8(t + FADT_SLEEP_CTL_REG, GUEST_ACPI_SLEEP_CTL_PORT);
	gas_io8(t + FADT_SLEEP_STS_REG, GUEST_ACPI_SLEEP_STS_PORT);
	memcpy(t + FADT_HYPERVISOR_ID, "Tessera\0", 8);
	finish(o, t);
	return t;
}

static void madt_entry(struct out *o, const uint8_t *bytes, size_t len)
{
	uint8_t *e = take(o, len, 1);

	if (e)
		memcpy(e, bytes, len);
}

static uint8_t *build_madt(struct out *o, const struct guest_acpi_params *p)
{
	uint8_t *t = take(o, HDR_LEN + 8, 16);

	if (!t)
		return NULL;
	header(t, "APIC", 5);
	put_le32(t + HDR_LEN, MADT_LAPIC_ADDR);
	put_le32(t + HDR_LEN + 4, 0); /* flags: no PC-AT 8259 pair */
	for (uint32_t i = 0; i < p->nr_cpus; i++) {
		uint8_t e[MADT_LAPIC_LEN] = {MADT_TYPE_LAPIC, MADT_LAPIC_LEN, (uint8_t)i,
					     (uint8_t)i};

		put_le32(e + 4, MADT_LAPIC_ENABLED);
		madt_entry(o, e, sizeof(e));
	}
	if (p->ioapic) {
		uint8_t io[MADT_IOAPIC_LEN] = {MADT_TYPE_IOAPIC, MADT_IOAPIC_LEN, p->ioapic_id};
		/* ISA IRQ 0 is the timer's; it reaches GSI 2 as on every PC with an IOAPIC. */
		uint8_t iso[MADT_ISO_LEN] = {MADT_TYPE_ISO, MADT_ISO_LEN, 0, 0, 2};

		put_le32(io + 4, p->ioapic_addr);
		put_le32(io + 8, 0); /* GSI base */
		madt_entry(o, io, sizeof(io));
		madt_entry(o, iso, sizeof(iso));
	}
	madt_entry(o,
		   (const uint8_t[MADT_NMI_LEN]){MADT_TYPE_LAPIC_NMI, MADT_NMI_LEN,
						 MADT_ALL_PROCESSORS, 0, 0, MADT_NMI_LINT1},
		   MADT_NMI_LEN);
	if (!o->overflow)
		finish(o, t);
	return t;
}

/* The XSDT (8-byte entries) or the RSDT (4-byte entries) over the given tables. */
static uint8_t *build_root(struct out *o, uint64_t base, bool xsdt, uint8_t *const tables[],
			   size_t n)
{
	size_t entry = xsdt ? 8 : 4;
	uint8_t *t = take(o, HDR_LEN + n * entry, 16);

	if (!t)
		return NULL;
	header(t, xsdt ? "XSDT" : "RSDT", 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t gpa = gpa_of(o, base, tables[i]);

		if (xsdt)
			put_le64(t + HDR_LEN + i * 8, gpa);
		else
			put_le32(t + HDR_LEN + i * 4, (uint32_t)gpa);
	}
	finish(o, t);
	return t;
}

/* Each region non-empty, page-aligned, and its doorbell page inside the 64-bit space. */
static bool shmem_params_ok(const struct guest_acpi_params *p)
{
	if (p->nr_shmem > CONFIG_MAX_SHMEM)
		return false;
	for (uint32_t i = 0; i < p->nr_shmem; i++) {
		const struct guest_acpi_shmem *r = &p->shmem[i];

		/* The last byte, gpa + size + page - 1, must not wrap: no sum that can. */
		if (!r->size || ((r->gpa | r->size) & (CONFIG_SHMEM_DOORBELL_SZ - 1)) ||
		    r->size > ~r->gpa || ~r->gpa - r->size < CONFIG_SHMEM_DOORBELL_SZ - 1)
			return false;
	}
	return true;
}

size_t guest_acpi_build(uint8_t *buf, size_t size, uint64_t gpa, const struct guest_acpi_params *p)
{
	struct out o = {.buf = buf, .size = size};
	uint8_t *rsdp, *dsdt, *tables[2], *xsdt, *rsdt;

	if (!buf || !p || p->nr_cpus == 0 || p->nr_cpus > 255 || (gpa & 15) ||
	    gpa + size > BIT(32) || (p->ioapic && p->ioapic_id < p->nr_cpus) ||
	    (p->ioapic && p->uart_port && p->uart_irq > 15) || !shmem_params_ok(p))
		return 0;
	rsdp = take(&o, RSDP_LEN, 16);
	dsdt = build_dsdt(&o, p);
	tables[0] = o.overflow ? NULL : build_fadt(&o, gpa, dsdt);
	tables[1] = o.overflow ? NULL : build_madt(&o, p);
	xsdt = o.overflow ? NULL : build_root(&o, gpa, true, tables, 2);
	rsdt = o.overflow ? NULL : build_root(&o, gpa, false, tables, 2);
	if (o.overflow)
		return 0;
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "TESSRA", 6);
	rsdp[15] = 2; /* revision: ACPI 2.0 and later */
	put_le32(rsdp + 16, (uint32_t)gpa_of(&o, gpa, rsdt));
	put_le32(rsdp + 20, RSDP_LEN);
	put_le64(rsdp + 24, gpa_of(&o, gpa, xsdt));
	rsdp[8] = checksum(rsdp, 20);
	rsdp[32] = checksum(rsdp, RSDP_LEN);
	return o.used;
}
