/*
 * guest_acpi_build(): a partition's ACPI tables (see guest_acpi.h). Layouts
 * and field offsets as the ACPI specification (6.5) gives them; every table
 * is written into a zeroed area, then its length and checksum are set.
 */
#include "hv/load/guest_acpi.h"
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

/* AML opcodes (ACPI 6.5, chapter 20). */
#define AML_ZERO	  0x00
#define AML_ONE		  0x01
#define AML_NAME	  0x08
#define AML_STRING_PREFIX 0x0d
#define AML_BYTE_PREFIX	  0x0a
#define AML_DWORD_PREFIX  0x0c
#define AML_SCOPE	  0x10
#define AML_BUFFER	  0x11
#define AML_PACKAGE	  0x12
#define AML_EXT_PREFIX	  0x5b
#define AML_DEVICE	  0x82
#define AML_ROOT	  0x5c
#define PNP0501_EISAID	  0x0105d041u /* EISAID("PNP0501"): a 16550-compatible COM port */

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

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
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
	put32(t + 24, 1);	   /* OEM revision */
	memcpy(t + 28, "TSRA", 4); /* creator ID */
	put32(t + 32, 1);	   /* creator revision */
}

/* Sets the length and the checksum of the table t, which ends at o->used. */
static void finish(const struct out *o, uint8_t *t)
{
	uint32_t len = (uint32_t)(o->buf + o->used - t);

	put32(t + 4, len);
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
	put64(g + 4, port);
}

/* ---- DSDT: a few bytes of AML ----------------------------------------------- */

/* Appends bytes to the DSDT. */
static void aml(struct out *o, const uint8_t *bytes, size_t len)
{
	uint8_t *p = take(o, len, 1);

	if (p)
		memcpy(p, bytes, len);
}

/*
 * Opens a package (Scope, Device, Buffer, Package): one PkgLength byte is
 * reserved and close_pkg() fills it in. Every package here is shorter than 64
 * bytes, the most a one-byte PkgLength holds; a longer one is an overflow.
 */
static size_t open_pkg(struct out *o)
{
	take(o, 1, 1);
	return o->used - 1;
}

static void close_pkg(struct out *o, size_t at)
{
	size_t len = o->used - at;

	if (o->overflow)
		return;
	if (len >= 64)
		o->overflow = true;
	else
		o->buf[at] = (uint8_t)len;
}

static void aml_s5(struct out *o)
{
	static const uint8_t name[] = {AML_NAME, '_', 'S', '5', '_', AML_PACKAGE};
	/* NumElements, then SLP_TYPa, SLP_TYPb and two reserved zeros. */
	static const uint8_t body[] = {
	    4,	      AML_BYTE_PREFIX, GUEST_ACPI_S5_TYPE, AML_BYTE_PREFIX, GUEST_ACPI_S5_TYPE,
	    AML_ZERO, AML_ZERO};
	size_t pkg;

	aml(o, name, sizeof(name));
	pkg = open_pkg(o);
	aml(o, body, sizeof(body));
	close_pkg(o, pkg);
}

/*
 * Scope (\_SB) { Device (name) { ids; Name (_CRS, Buffer { res }) } }: ids are
 * the device's _HID (and _UID) objects, res its resource template (a
 * ByteConst length, the descriptors, the end tag).
 */
static void aml_sb_device(struct out *o, const char name[4], const uint8_t *ids, size_t ids_len,
			  const uint8_t *res, size_t res_len)
{
	static const uint8_t scope[] = {AML_ROOT, '_', 'S', 'B', '_'};
	static const uint8_t dev_op[] = {AML_EXT_PREFIX, AML_DEVICE};
	static const uint8_t crs_name[] = {AML_NAME, '_', 'C', 'R', 'S', AML_BUFFER};
	size_t s, d, b;

	aml(o, (const uint8_t[]){AML_SCOPE}, 1);
	s = open_pkg(o);
	aml(o, scope, sizeof(scope));
	aml(o, dev_op, sizeof(dev_op));
	d = open_pkg(o);
	aml(o, (const uint8_t *)name, 4);
	aml(o, ids, ids_len);
	aml(o, crs_name, sizeof(crs_name));
	b = open_pkg(o);
	aml(o, res, res_len);
	close_pkg(o, b);
	close_pkg(o, d);
	close_pkg(o, s);
}

/* Device (COM1): _HID PNP0501, _UID 1, _CRS { IO port, 8; IRQNoFlags irq }. */
static void aml_uart(struct out *o, uint16_t port, uint8_t irq)
{
	uint8_t ids[] = {AML_NAME, '_', 'H', 'I', 'D', AML_DWORD_PREFIX, 0, 0, 0, 0,
			 AML_NAME, '_', 'U', 'I', 'D', AML_ONE};
	/* I/O port descriptor (decodes 16 bits, fixed base, 8 ports), IRQ mask, end tag. */
	uint8_t res[] = {
	    AML_BYTE_PREFIX, 13, 0x47, 0x01, 0, 0, 0, 0, 0x08, 0x08, 0x22, 0, 0, 0x79, 0x00};

	put32(ids + 6, PNP0501_EISAID);
	put16(res + 4, port);
	put16(res + 6, port);
	put16(res + 11, (uint16_t)BIT(irq));
	aml_sb_device(o, "COM1", ids, sizeof(ids), res, sizeof(res));
}

/*
 * Device (PEVT): _HID "QEMU0001", _CRS { IO port, 1 }: the pvpanic device
 * (hv/policy/power_ports.h), by which a panicking guest says so.
 */
static void aml_pvpanic(struct out *o)
{
	uint8_t ids[6 + sizeof(PVPANIC_ACPI_HID)] = {AML_NAME, '_', 'H',
						     'I',      'D', AML_STRING_PREFIX};
	/* I/O port descriptor (decodes 16 bits, fixed base, 1 port), end tag. */
	uint8_t res[] = {AML_BYTE_PREFIX, 10, 0x47, 0x01, 0, 0, 0, 0, 0x01, 0x01, 0x79, 0x00};

	memcpy(ids + 6, PVPANIC_ACPI_HID, sizeof(PVPANIC_ACPI_HID)); /* with its NUL */
	put16(res + 4, GUEST_ACPI_PVPANIC_PORT);
	put16(res + 6, GUEST_ACPI_PVPANIC_PORT);
	aml_sb_device(o, "PEVT", ids, sizeof(ids), res, sizeof(res));
}

static uint8_t *build_dsdt(struct out *o, const struct guest_acpi_params *p)
{
	uint8_t *t = take(o, HDR_LEN, 16);

	if (!t)
		return NULL;
	header(t, "DSDT", 2); /* revision 2: integers are 64-bit */
	aml_s5(o);
	if (p->ioapic && p->uart_port)
		aml_uart(o, p->uart_port, p->uart_irq);
	aml_pvpanic(o);
	if (!o->overflow)
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
	put32(t + FADT_DSDT, (uint32_t)dsdt_gpa);
	put16(t + FADT_SCI_INT, GUEST_ACPI_SCI_IRQ);
	put16(t + FADT_IAPC_BOOT_ARCH, BOOT_ARCH_NO_VGA | BOOT_ARCH_NO_MSI | BOOT_ARCH_NO_ASPM);
	put32(t + FADT_FLAGS, FADT_F_WBINVD | FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON |
				  FADT_F_RESET_REG_SUP | FADT_F_HW_REDUCED);
	gas_io8(t + FADT_RESET_REG, GUEST_ACPI_RESET_PORT);
	t[FADT_RESET_VALUE] = GUEST_ACPI_RESET_VALUE;
	t[FADT_MINOR_VERSION] = 5;
	put64(t + FADT_X_DSDT, dsdt_gpa);
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
	put32(t + HDR_LEN, MADT_LAPIC_ADDR);
	put32(t + HDR_LEN + 4, 0); /* flags: no PC-AT 8259 pair */
	for (uint32_t i = 0; i < p->nr_cpus; i++) {
		uint8_t e[MADT_LAPIC_LEN] = {MADT_TYPE_LAPIC, MADT_LAPIC_LEN, (uint8_t)i,
					     (uint8_t)i};

		put32(e + 4, MADT_LAPIC_ENABLED);
		madt_entry(o, e, sizeof(e));
	}
	if (p->ioapic) {
		uint8_t io[MADT_IOAPIC_LEN] = {MADT_TYPE_IOAPIC, MADT_IOAPIC_LEN, p->ioapic_id};
		/* ISA IRQ 0 is the timer's; it reaches GSI 2 as on every PC with an IOAPIC. */
		uint8_t iso[MADT_ISO_LEN] = {MADT_TYPE_ISO, MADT_ISO_LEN, 0, 0, 2};

		put32(io + 4, p->ioapic_addr);
		put32(io + 8, 0); /* GSI base */
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
			put64(t + HDR_LEN + i * 8, gpa);
		else
			put32(t + HDR_LEN + i * 4, (uint32_t)gpa);
	}
	finish(o, t);
	return t;
}

size_t guest_acpi_build(uint8_t *buf, size_t size, uint64_t gpa, const struct guest_acpi_params *p)
{
	struct out o = {.buf = buf, .size = size};
	uint8_t *rsdp, *dsdt, *tables[2], *xsdt, *rsdt;

	if (!buf || !p || p->nr_cpus == 0 || p->nr_cpus > 255 || (gpa & 15) ||
	    gpa + size > BIT(32) || (p->ioapic && p->ioapic_id < p->nr_cpus) ||
	    (p->ioapic && p->uart_port && p->uart_irq > 15))
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
	put32(rsdp + 16, (uint32_t)gpa_of(&o, gpa, rsdt));
	put32(rsdp + 20, RSDP_LEN);
	put64(rsdp + 24, gpa_of(&o, gpa, xsdt));
	rsdp[8] = checksum(rsdp, 20);
	rsdp[32] = checksum(rsdp, RSDP_LEN);
	return o.used;
}
