/*
 * The DSDT's AML (see guest_dsdt.h): names, devices and resource templates
 * written as bytes, opcodes and encodings as ACPI 6.5 gives them (chapter 20
 * for AML, 6.4 for resource descriptors).
 */
#include "hv/load/guest_dsdt.h"
#include "lib/le_bytes.h"
#include "lib/string.h"

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

/* The QWord Address Space Descriptor (ACPI 6.5, 6.4.3.5.1), memory. */
#define QWORD_DESC	      0x8a
#define QWORD_LEN	      46 /* with its 3-byte header */
#define QWORD_TYPE_MEMORY     0
#define QWORD_FIXED_CONSUMER  0x0d /* _MAF | _MIF fixed, positive decode, consumer */
#define QWORD_MEM_RW	      BIT(0)
#define QWORD_MEM_CACHEABLE   (1u << 1)
#define QWORD_MEM_UNCACHEABLE 0
#define END_TAG		      0x79

struct aml_out {
	uint8_t *buf;
	size_t size, used;
	bool overflow;
};

/* Appends bytes to the AML. */
static void aml(struct aml_out *o, const uint8_t *bytes, size_t len)
{
	if (o->overflow || len > o->size - o->used) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->used, bytes, len);
	o->used += len;
}

/*
 * Opens a package (Scope, Device, Buffer, Package): `bytes` PkgLength bytes
 * (1 or 2) are reserved and close_pkg() fills them in. One byte holds a
 * length below 64, two below 4096 (ACPI 6.5, 20.2.4); a longer package is an
 * overflow. The encoding is chosen up front, so the short devices keep their
 * one-byte form and the shared-memory ones, longer, take two.
 */
static size_t open_pkg(struct aml_out *o, unsigned bytes)
{
	static const uint8_t zero[2];

	aml(o, zero, bytes);
	return o->used - bytes;
}

static void close_pkg(struct aml_out *o, size_t at, unsigned bytes)
{
	size_t len = o->used - at;

	if (o->overflow)
		return;
	if (len >= (bytes == 1 ? 64u : 4096u)) {
		o->overflow = true;
	} else if (bytes == 1) {
		o->buf[at] = (uint8_t)len;
	} else {
		o->buf[at] = (uint8_t)(BIT(6) | (len & 0xf)); /* ByteCount 1, the low nibble */
		o->buf[at + 1] = (uint8_t)(len >> 4);
	}
}

static void aml_s5(struct aml_out *o)
{
	static const uint8_t name[] = {AML_NAME, '_', 'S', '5', '_', AML_PACKAGE};
	/* NumElements, then SLP_TYPa, SLP_TYPb and two reserved zeros. */
	static const uint8_t body[] = {
	    4,	      AML_BYTE_PREFIX, GUEST_ACPI_S5_TYPE, AML_BYTE_PREFIX, GUEST_ACPI_S5_TYPE,
	    AML_ZERO, AML_ZERO};
	size_t pkg;

	aml(o, name, sizeof(name));
	pkg = open_pkg(o, 1);
	aml(o, body, sizeof(body));
	close_pkg(o, pkg, 1);
}

/*
 * Scope (\_SB) { Device (name) { ids; Name (_CRS, Buffer { res }) } }: ids are
 * the device's _HID (and _UID) objects, res its resource template (a
 * ByteConst length, the descriptors, the end tag).
 */
static void aml_sb_device(struct aml_out *o, const char name[4], const uint8_t *ids, size_t ids_len,
			  const uint8_t *res, size_t res_len, unsigned pkg_bytes)
{
	static const uint8_t scope[] = {AML_ROOT, '_', 'S', 'B', '_'};
	static const uint8_t dev_op[] = {AML_EXT_PREFIX, AML_DEVICE};
	static const uint8_t crs_name[] = {AML_NAME, '_', 'C', 'R', 'S', AML_BUFFER};
	size_t s, d, b;

	aml(o, (const uint8_t[]){AML_SCOPE}, 1);
	s = open_pkg(o, pkg_bytes);
	aml(o, scope, sizeof(scope));
	aml(o, dev_op, sizeof(dev_op));
	d = open_pkg(o, pkg_bytes);
	aml(o, (const uint8_t *)name, 4);
	aml(o, ids, ids_len);
	aml(o, crs_name, sizeof(crs_name));
	b = open_pkg(o, pkg_bytes);
	aml(o, res, res_len);
	close_pkg(o, b, pkg_bytes);
	close_pkg(o, d, pkg_bytes);
	close_pkg(o, s, pkg_bytes);
}

/* Device (COM1): _HID PNP0501, _UID 1, _CRS { IO port, 8; IRQNoFlags irq }. */
static void aml_uart(struct aml_out *o, uint16_t port, uint8_t irq)
{
	uint8_t ids[] = {AML_NAME, '_', 'H', 'I', 'D', AML_DWORD_PREFIX, 0, 0, 0, 0,
			 AML_NAME, '_', 'U', 'I', 'D', AML_ONE};
	/* I/O port descriptor (decodes 16 bits, fixed base, 8 ports), IRQ mask, end tag. */
	uint8_t res[] = {
	    AML_BYTE_PREFIX, 13, 0x47, 0x01, 0, 0, 0, 0, 0x08, 0x08, 0x22, 0, 0, 0x79, 0x00};

	put_le32(ids + 6, PNP0501_EISAID);
	put_le16(res + 4, port);
	put_le16(res + 6, port);
	put_le16(res + 11, (uint16_t)BIT(irq));
	aml_sb_device(o, "COM1", ids, sizeof(ids), res, sizeof(res), 1);
}

/*
 * Device (PEVT): _HID "QEMU0001", _CRS { IO port, 1 }: the pvpanic device
 * (hv/policy/power_ports.h), by which a panicking guest says so.
 */
static void aml_pvpanic(struct aml_out *o)
{
	uint8_t ids[6 + sizeof(PVPANIC_ACPI_HID)] = {AML_NAME, '_', 'H',
						     'I',      'D', AML_STRING_PREFIX};
	/* I/O port descriptor (decodes 16 bits, fixed base, 1 port), end tag. */
	uint8_t res[] = {AML_BYTE_PREFIX, 10, 0x47, 0x01, 0, 0, 0, 0, 0x01, 0x01, 0x79, 0x00};

	memcpy(ids + 6, PVPANIC_ACPI_HID, sizeof(PVPANIC_ACPI_HID)); /* with its NUL */
	put_le16(res + 4, GUEST_ACPI_PVPANIC_PORT);
	put_le16(res + 6, GUEST_ACPI_PVPANIC_PORT);
	aml_sb_device(o, "PEVT", ids, sizeof(ids), res, sizeof(res), 1);
}

/* A fixed memory range of len bytes at base, as a consumer. */
static void qword_memory(uint8_t *d, uint64_t base, uint64_t len, uint8_t flags)
{
	d[0] = QWORD_DESC;
	put_le16(d + 1, QWORD_LEN - 3);
	d[3] = QWORD_TYPE_MEMORY;
	d[4] = QWORD_FIXED_CONSUMER;
	d[5] = flags;
	put_le64(d + 6, 0); /* granularity: 0 for a fixed range */
	put_le64(d + 14, base);
	put_le64(d + 22, base + len - 1);
	put_le64(d + 30, 0); /* no translation */
	put_le64(d + 38, len);
}

/*
 * Device (SHMn): _HID "TSRA0001", _UID n (the region's index in
 * TESSERA_HC_SHMEM_LIST), _CRS { the region, cacheable, read-write or
 * read-only for this peer; its doorbell page after it, uncacheable }.
 */
static void aml_shmem(struct aml_out *o, uint8_t index, const struct guest_acpi_shmem *r)
{
	uint8_t ids[6 + sizeof(GUEST_ACPI_SHMEM_HID) + 7] = {AML_NAME, '_', 'H',
							     'I',      'D', AML_STRING_PREFIX};
	uint8_t *uid = ids + 6 + sizeof(GUEST_ACPI_SHMEM_HID);
	uint8_t res[2 + 2 * QWORD_LEN + 2] = {AML_BYTE_PREFIX, 2 * QWORD_LEN + 2};
	char name[4] = {'S', 'H', 'M', (char)('0' + index)};

	memcpy(ids + 6, GUEST_ACPI_SHMEM_HID, sizeof(GUEST_ACPI_SHMEM_HID)); /* with its NUL */
	memcpy(uid, (const uint8_t[]){AML_NAME, '_', 'U', 'I', 'D', AML_BYTE_PREFIX, index}, 7);
	qword_memory(res + 2, r->gpa, r->size,
		     QWORD_MEM_CACHEABLE | (r->writable ? QWORD_MEM_RW : 0));
	qword_memory(res + 2 + QWORD_LEN, r->gpa + r->size, CONFIG_SHMEM_DOORBELL_SZ,
		     QWORD_MEM_UNCACHEABLE | QWORD_MEM_RW);
	res[2 + 2 * QWORD_LEN] = END_TAG;
	aml_sb_device(o, name, ids, sizeof(ids), res, sizeof(res), 2);
}

size_t guest_dsdt_body(uint8_t *buf, size_t size, const struct guest_acpi_params *p)
{
	struct aml_out o = {.buf = buf, .size = size};

	aml_s5(&o);
	if (p->ioapic && p->uart_port)
		aml_uart(&o, p->uart_port, p->uart_irq);
	aml_pvpanic(&o);
	for (uint32_t i = 0; i < p->nr_shmem; i++)
		aml_shmem(&o, (uint8_t)i, &p->shmem[i]);
	return o.overflow ? 0 : o.used;
}
