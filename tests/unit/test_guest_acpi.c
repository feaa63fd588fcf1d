/*
 * hv/load/guest_acpi.c: the tables a partition's guest gets, checked against
 * the ACPI specification's rules (6.5: 5.2.5 RSDP, 5.2.6 headers, 5.2.8 XSDT,
 * 5.2.9 FADT, 5.2.12 MADT, 20 AML), not against the builder's own constants:
 * signatures, lengths, revisions, checksums, the pointers between the
 * tables, one enabled local APIC per vCPU, the IOAPIC and the IRQ 0
 * override, the DSDT's \_S5, COM1 and pvpanic device, the FADT's reset
 * register, and that nothing lies outside the area.
 */
#include "tests/unit/check.h"
#include "hv/load/guest_acpi.h"

#define BASE 0xe0000u
static uint8_t area[GUEST_ACPI_SIZE];

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static size_t used;

/* Inside the helpers (CHECK returns from the case): counted, then checked zero by the case. */
static int problems;
#define EXPECT(c)   \
	((c) ? true \
	     : (printf("    %s:%d: EXPECT(%s)\n", __FILE__, __LINE__, #c), problems++, false))
#define EXPECT_EQ(a, b) EXPECT((unsigned long long)(a) == (unsigned long long)(b))

/* The table at gpa, once its header is checked: in the area, its length, checksum, signature. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *t;

	if (!EXPECT(gpa >= BASE && gpa + 36 <= BASE + used))
		return NULL;
	t = area + (gpa - BASE);
	if (!EXPECT(memcmp(t, sig, 4) == 0) || !EXPECT(get32(t + 4) >= 36) ||
	    !EXPECT(gpa + get32(t + 4) <= BASE + used))
		return NULL;
	EXPECT_EQ(sum(t, get32(t + 4)), 0);
	EXPECT(memcmp(t + 10, "TESSRA", 6) == 0);
	return t;
}

static size_t build(const struct guest_acpi_params *p)
{
	memset(area, 0xcc, sizeof(area));
	problems = 0;
	used = guest_acpi_build(area, sizeof(area), BASE, p);
	return used;
}

/* The RSDP and the tables XSDT names, by signature (the RSDT must name the same). */
static const uint8_t *find(const char *sig)
{
	const uint8_t *x = table(get64(area + 24), "XSDT"), *r = table(get32(area + 16), "RSDT");
	uint32_t n;

	if (!x || !r || !EXPECT_EQ((get32(x + 4) - 36) % 8, 0))
		return NULL;
	n = (get32(x + 4) - 36) / 8;
	EXPECT_EQ(get32(r + 4), 36 + 4 * n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gpa = get64(x + 36 + 8 * i);

		EXPECT_EQ(get32(r + 36 + 4 * i), gpa);
		if (gpa >= BASE && gpa + 4 <= BASE + used && memcmp(area + gpa - BASE, sig, 4) == 0)
			return table(gpa, sig);
	}
	return NULL;
}

TEST(rsdp)
{
	struct guest_acpi_params p = {.nr_cpus = 2};

	CHECK(build(&p) > 0);
	CHECK(memcmp(area, "RSD PTR ", 8) == 0);
	CHECK_EQ(sum(area, 20), 0);	/* the ACPI 1.0 checksum */
	CHECK_EQ(sum(area, 36), 0);	/* the extended checksum */
	CHECK_EQ(area[15], 2);		/* revision 2: the XSDT address is valid */
	CHECK_EQ(get32(area + 20), 36); /* length */
	CHECK(get64(area + 24) != 0 && get32(area + 16) != 0);
	CHECK(find("FACP") && find("APIC"));
	CHECK(used <= GUEST_ACPI_SIZE);
	/* Nothing beyond what it says it used. */
	for (size_t i = used; i < sizeof(area); i++)
		CHECK_EQ(area[i], 0xcc);
}

TEST(fadt_hardware_reduced_with_sleep_registers)
{
	struct guest_acpi_params p = {.nr_cpus = 1};
	const uint8_t *f, *d;

	build(&p);
	f = find("FACP");
	if (!f)
		return;
	CHECK_EQ(get32(f + 4), 276); /* revision 6 length */
	CHECK_EQ(f[8], 6);
	CHECK(get32(f + 112) & (1u << 20)); /* HW_REDUCED_ACPI */
	/* Hardware-reduced: no PM1/PM timer/GPE blocks, no FACS, no SMI command. */
	CHECK_EQ(get32(f + 36) | get32(f + 48) | get32(f + 56) | get32(f + 64) | get32(f + 76), 0);
	CHECK_EQ(get64(f + 132), 0);
	/* The sleep control and status registers: system I/O, 8 bits, Tessera's ports. */
	CHECK_EQ(f[244], 1);
	CHECK_EQ(f[245], 8);
	CHECK_EQ(get64(f + 248), 0x600);
	CHECK_EQ(f[256], 1);
	CHECK_EQ(get64(f + 260), 0x601);
	/* DSDT and X_DSDT agree and name a DSDT. */
	CHECK_EQ(get64(f + 140), get32(f + 40));
	d = table(get64(f + 140), "DSDT");
	CHECK(d != NULL);
}

/* Looks for AML bytes in the DSDT body. */
static bool dsdt_has(const uint8_t *d, const uint8_t *bytes, size_t n)
{
	for (uint32_t i = 36; i + n <= get32(d + 4); i++)
		if (memcmp(d + i, bytes, n) == 0)
			return true;
	return false;
}

TEST(dsdt_s5_and_com1)
{
	/* Name (_S5, Package (4) { 5, 5, 0, 0 }): PkgLength 8 covers NumElements and four items. */
	static const uint8_t s5[] = {0x08, '_',	 'S',  '5',  '_',  0x12, 0x08,
				     0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00};
	static const uint8_t hid[] = {0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01};
	/* IO (Decode16, 0x3f8, 0x3f8, 8, 8), IRQNoFlags {4}, end tag. */
	static const uint8_t crs[] = {0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x08,
				      0x08, 0x22, 0x10, 0x00, 0x79, 0x00};
	struct guest_acpi_params p = {.nr_cpus = 1};
	const uint8_t *f, *d;

	build(&p);
	f = find("FACP");
	d = f ? table(get64(f + 140), "DSDT") : NULL;
	if (!d)
		return;
	CHECK(dsdt_has(d, s5, sizeof(s5)));
	CHECK(!dsdt_has(d, hid, sizeof(hid))); /* no COM1 without an IOAPIC to route IRQ 4 */
	p = (struct guest_acpi_params){.nr_cpus = 1,
				       .ioapic = true,
				       .ioapic_id = 1,
				       .ioapic_addr = 0xfec00000,
				       .uart_port = 0x3f8,
				       .uart_irq = 4};
	build(&p);
	f = find("FACP");
	d = f ? table(get64(f + 140), "DSDT") : NULL;
	if (!d)
		return;
	CHECK(dsdt_has(d, s5, sizeof(s5)));
	CHECK(dsdt_has(d, hid, sizeof(hid)));
	CHECK(dsdt_has(d, crs, sizeof(crs)));
	/* Each Scope (\_SB): its PkgLength runs to the next Scope or to the end of the table. */
	for (uint32_t i = 36; i + 6 < get32(d + 4); i++)
		if (d[i] == 0x10 && memcmp(d + i + 2, "\\_SB_", 5) == 0) {
			uint32_t end = i + 1 + d[i + 1];

			CHECK(end == get32(d + 4) || (end < get32(d + 4) && d[end] == 0x10));
		}
}

TEST(fadt_reset_register)
{
	struct guest_acpi_params p = {.nr_cpus = 1};
	const uint8_t *f;

	build(&p);
	f = find("FACP");
	if (!f)
		return;
	CHECK(get32(f + 112) & (1u << 10)); /* RESET_REG_SUP */
	/* RESET_REG (5.2.9, offset 116): system I/O, 8 bits at offset 0, byte access, 0xcf9. */
	CHECK_EQ(f[116], 1);
	CHECK_EQ(f[117], 8);
	CHECK_EQ(f[118], 0);
	CHECK_EQ(f[119], 1);
	CHECK_EQ(get64(f + 120), 0xcf9);
	CHECK_EQ(f[128], 0x06); /* RESET_VALUE: SYS_RST | RST_CPU, which the port takes as reset */
	CHECK_EQ(power_port_write(get64(f + 120), 1, f[128]), POWER_RESET);
}

TEST(dsdt_pvpanic)
{
	/* Device (PEVT) { Name (_HID, "QEMU0001"), Name (_CRS, IO (Decode16, 0x505, 0x505, 1, 1)) }
	 */
	static const uint8_t hid[] = {0x08, '_', 'H', 'I', 'D', 0x0d, 'Q', 'E',
				      'M',  'U', '0', '0', '0', '1',  0x00};
	static const uint8_t crs[] = {0x08, '_',  'C',	'R',  'S',  0x11, 0x0d, 0x0a, 0x0a, 0x47,
				      0x01, 0x05, 0x05, 0x05, 0x05, 0x01, 0x01, 0x79, 0x00};
	static const uint8_t dev[] = {0x5b, 0x82};
	struct guest_acpi_params p = {.nr_cpus = 2};
	const uint8_t *f, *d;
	uint32_t i;

	build(&p);
	f = find("FACP");
	d = f ? table(get64(f + 140), "DSDT") : NULL;
	if (!d)
		return;
	CHECK(dsdt_has(d, hid, sizeof(hid)));
	CHECK(dsdt_has(d, crs, sizeof(crs)));
	/* The device's PkgLength covers its name, _HID and _CRS: 1 + 4 + 15 + 19 bytes. */
	for (i = 36; i + 7 < get32(d + 4); i++)
		if (memcmp(d + i, dev, 2) == 0 && memcmp(d + i + 3, "PEVT", 4) == 0)
			break;
	CHECK(i + 7 < get32(d + 4));
	CHECK_EQ(d[i + 2], 1 + 4 + sizeof(hid) + sizeof(crs));
	/* What the guest's driver reads there: PVPANIC_PANICKED offered. */
	CHECK_EQ(power_port_read(0x505, 1) & 0xff, 0x01);
}

/* The QWordMemory descriptor the test expects: fixed range [base, base + len), consumer. */
static void qword(uint8_t d[46], uint64_t base, uint64_t len, uint8_t flags)
{
	memset(d, 0, 46);
	d[0] = 0x8a;
	d[1] = 43;
	d[4] = 0x0d;
	d[5] = flags;
	for (int i = 0; i < 8; i++) {
		d[14 + i] = (uint8_t)(base >> (8 * i));
		d[22 + i] = (uint8_t)((base + len - 1) >> (8 * i));
		d[38 + i] = (uint8_t)(len >> (8 * i));
	}
}

TEST(dsdt_shmem)
{
	static const uint8_t hid[] = {0x08, '_', 'H', 'I', 'D', 0x0d, 'T', 'S',
				      'R',  'A', '0', '0', '0', '1',  0x00};
	static const uint8_t uid1[] = {0x08, '_', 'U', 'I', 'D', 0x0a, 0x01};
	struct guest_acpi_params p = {
	    .nr_cpus = 255,
	    .nr_shmem = 2,
	    .shmem = {{.gpa = 0x100000000ull, .size = 0x200000, .writable = true},
		      {.gpa = 0xfe000000u, .size = 0x1000, .writable = false}}};
	uint8_t rw[46], ro[46], bell[46];
	const uint8_t *f, *d;
	uint32_t i, len;

	CHECK(build(&p) > 0);
	f = find("FACP");
	d = f ? table(get64(f + 140), "DSDT") : NULL;
	if (!d)
		return;
	len = get32(d + 4);
	CHECK(dsdt_has(d, hid, sizeof(hid)));
	CHECK(dsdt_has(d, uid1, sizeof(uid1)));
	qword(rw, 0x100000000ull, 0x200000, 0x03); /* cacheable, read-write */
	qword(ro, 0xfe000000u, 0x1000, 0x02);	   /* cacheable, read-only */
	qword(bell, 0xfe001000u, 0x1000, 0x01);	   /* the doorbell page: uncacheable */
	CHECK(dsdt_has(d, rw, sizeof(rw)));
	CHECK(dsdt_has(d, ro, sizeof(ro)));
	CHECK(dsdt_has(d, bell, sizeof(bell)));
	/* Device (SHM1): a two-byte PkgLength covering itself, the name, _HID, _UID, _CRS. */
	for (i = 36; i + 8 < len; i++)
		if (d[i] == 0x5b && d[i + 1] == 0x82 && memcmp(d + i + 4, "SHM1", 4) == 0)
			break;
	CHECK(i + 8 < len);
	CHECK_EQ(d[i + 2] >> 6, 1);
	CHECK_EQ((d[i + 2] & 0xf) | d[i + 3] << 4, 2 + 4 + 22 + 6 + 2 + 96);
	/* Bad regions: none of the tables. */
	p.shmem[1].size = 0;
	CHECK_EQ(build(&p), 0);
	p.shmem[1].size = 0x1800; /* not whole pages */
	CHECK_EQ(build(&p), 0);
	p.shmem[1] = (struct guest_acpi_shmem){.gpa = ~0xfffull, .size = 0x1000};
	CHECK_EQ(build(&p), 0); /* the doorbell page would wrap past 2^64 */
	p.shmem[1] = (struct guest_acpi_shmem){.gpa = 0x1000, .size = ~0xfffull};
	CHECK_EQ(build(&p), 0); /* so would the region */
	p.shmem[1] = (struct guest_acpi_shmem){.gpa = 0x10000, .size = 0x1000};
	p.nr_shmem = CONFIG_MAX_SHMEM + 1;
	CHECK_EQ(build(&p), 0);
	p.nr_shmem = CONFIG_MAX_SHMEM; /* the most, beside 255 CPUs: everything still fits */
	for (i = 0; i < CONFIG_MAX_SHMEM; i++)
		p.shmem[i] = (struct guest_acpi_shmem){.gpa = 0x200000000ull + i * 0x200000ull,
						       .size = 0x100000};
	CHECK(build(&p) > 0);
}

/* Walks the MADT's entries: every length in bounds, counted by type. */
static void madt_walk(const uint8_t *m, uint32_t counts[16], uint8_t ids[256])
{
	uint32_t len = get32(m + 4), off = 44;

	while (off + 2 <= len) {
		uint8_t type = m[off], elen = m[off + 1];

		if (!EXPECT(elen >= 2 && off + elen <= len))
			return;
		if (type < 16)
			counts[type]++;
		if (type == 0 && EXPECT_EQ(elen, 8)) {
			EXPECT_EQ(get32(m + off + 4) & 1, 1); /* enabled */
			ids[m[off + 3]]++;
			EXPECT_EQ(m[off + 2], m[off + 3]); /* UID = APIC ID = vCPU index */
		}
		off += elen;
	}
	EXPECT_EQ(off, len);
}

TEST(madt_one_lapic_per_vcpu)
{
	for (uint32_t n = 1; n <= 16; n++) {
		struct guest_acpi_params p = {.nr_cpus = n};
		uint32_t counts[16] = {0};
		uint8_t ids[256] = {0};
		const uint8_t *m;

		CHECK(build(&p) > 0);
		m = find("APIC");
		CHECK(m != NULL);
		CHECK(m[8] >= 1);
		CHECK_EQ(get32(m + 36), 0xfee00000);
		CHECK_EQ(get32(m + 40) & 1, 0); /* no 8259 pair */
		madt_walk(m, counts, ids);
		CHECK_EQ(counts[0], n);
		for (uint32_t i = 0; i < 256; i++)
			CHECK_EQ(ids[i], i < n ? 1 : 0);
		CHECK_EQ(counts[1] + counts[2], 0); /* no IOAPIC asked for */
	}
}

TEST(madt_ioapic_and_irq0_override)
{
	struct guest_acpi_params p = {
	    .nr_cpus = 2, .ioapic = true, .ioapic_id = 2, .ioapic_addr = 0xfec00000};
	uint32_t counts[16] = {0};
	uint8_t ids[256] = {0};
	const uint8_t *m;
	uint32_t off;

	build(&p);
	m = find("APIC");
	if (!m)
		return;
	madt_walk(m, counts, ids);
	CHECK_EQ(counts[1], 1);
	CHECK_EQ(counts[2], 1);
	for (off = 44; off + 2 <= get32(m + 4) && m[off + 1]; off += m[off + 1]) {
		if (m[off] == 1) {
			CHECK_EQ(m[off + 1], 12);
			CHECK_EQ(m[off + 2], 2);
			CHECK_EQ(get32(m + off + 4), 0xfec00000);
			CHECK_EQ(get32(m + off + 8), 0);
		} else if (m[off] == 2) {
			CHECK_EQ(m[off + 1], 10);
			CHECK_EQ(m[off + 2], 0);	 /* ISA */
			CHECK_EQ(m[off + 3], 0);	 /* IRQ 0 */
			CHECK_EQ(get32(m + off + 4), 2); /* GSI 2 */
		}
	}
}

TEST(bad_parameters)
{
	struct guest_acpi_params p = {.nr_cpus = 0};
	uint8_t small[64];

	CHECK_EQ(build(&p), 0);
	p.nr_cpus = 256;
	CHECK_EQ(build(&p), 0);
	p = (struct guest_acpi_params){.nr_cpus = 4, .ioapic = true, .ioapic_id = 3};
	CHECK_EQ(build(&p), 0); /* the IOAPIC's ID is a CPU's */
	p = (struct guest_acpi_params){
	    .nr_cpus = 1, .ioapic = true, .ioapic_id = 1, .uart_port = 0x3f8, .uart_irq = 16};
	CHECK_EQ(build(&p), 0);
	p = (struct guest_acpi_params){.nr_cpus = 1};
	CHECK_EQ(guest_acpi_build(small, sizeof(small), BASE, &p), 0);
	CHECK_EQ(guest_acpi_build(area, sizeof(area), BASE + 8, &p), 0); /* RSDP not 16-aligned */
	CHECK_EQ(guest_acpi_build(area, sizeof(area), 0xfffff000u, &p), 0); /* crosses 4 GiB */
	p.nr_cpus = 255;
	CHECK(build(&p) > 0); /* the most: every entry still fits */
}

/* A case, then the problems its helpers found. */
#define RUN_ACPI(name)                                                                   \
	do {                                                                             \
		problems = 0;                                                            \
		RUN(name);                                                               \
		if (problems) {                                                          \
			printf("FAIL: unit/guest_acpi/%s: %d problems (above)\n", #name, \
			       problems);                                                \
			check_failed_cases++;                                            \
		}                                                                        \
	} while (0)

int main(void)
{
	CHECK_MAIN("guest_acpi");
	RUN_ACPI(rsdp);
	RUN_ACPI(fadt_hardware_reduced_with_sleep_registers);
	RUN_ACPI(dsdt_s5_and_com1);
	RUN_ACPI(fadt_reset_register);
	RUN_ACPI(dsdt_pvpanic);
	RUN_ACPI(dsdt_shmem);
	RUN_ACPI(madt_one_lapic_per_vcpu);
	RUN_ACPI(madt_ioapic_and_irq0_override);
	RUN_ACPI(bad_parameters);
	return CHECK_END();
}
