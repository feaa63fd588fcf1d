/* drivers/acpi.c, drivers/acpi_tables.c: RSDP search and table parsing over fake memory. */
#include "tests/unit/check.h"
#include "drivers/acpi.h"

/* Fake physical memory: [0, MEM_SIZE); page 0 and anything beyond are unreadable. */
#define MEM_SIZE 0x180000
static uint8_t mem[MEM_SIZE];
static struct boot_info bi;
static struct acpi_info info;

static const void *reader(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= MEM_SIZE || len > MEM_SIZE - pa)
		return NULL;
	return mem + pa;
}

static void put16(uint64_t pa, uint16_t v)
{
	memcpy(mem + pa, &v, 2);
}
static void put32(uint64_t pa, uint32_t v)
{
	memcpy(mem + pa, &v, 4);
}
static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, 8);
}

static void fix_sum(uint64_t pa, uint32_t len, uint32_t sum_off)
{
	uint8_t s = 0;

	mem[pa + sum_off] = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + mem[pa + i]);
	mem[pa + sum_off] = (uint8_t)-s;
}

/* A table: header with signature and length, then `body`; checksum fixed. */
static void put_table(uint64_t pa, const char *sig, const void *body, uint32_t body_len)
{
	memset(mem + pa, 0, 36);
	memcpy(mem + pa, sig, 4);
	put32(pa + 4, 36 + body_len);
	mem[pa + 8] = 1;
	memcpy(mem + pa + 10, "TESTOE", 6);
	if (body_len)
		memcpy(mem + pa + 36, body, body_len);
	fix_sum(pa, 36 + body_len, 9);
}

static void put_rsdp_in(uint8_t *p, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t s = 0;

	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "TESTOE", 6);
	p[15] = rev;
	memcpy(p + 16, &rsdt, 4);
	if (rev >= 2) {
		uint32_t len = 36;
		memcpy(p + 20, &len, 4);
		memcpy(p + 24, &xsdt, 8);
	}
	for (int i = 0; i < 20; i++)
		s = (uint8_t)(s + p[i]);
	p[8] = (uint8_t)-s;
	if (rev >= 2) {
		s = 0;
		for (int i = 0; i < 36; i++)
			s = (uint8_t)(s + p[i]);
		p[32] = (uint8_t)-s;
	}
}

static void put_rsdp(uint64_t pa, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	put_rsdp_in(mem + pa, rev, rsdt, xsdt);
}

/* Tables at fixed places. */
#define RSDP_PA 0xf5a10
#define RSDT_PA 0x100000
#define XSDT_PA 0x101000
#define MADT_PA 0x102000
#define FADT_PA 0x103000
#define HPET_PA 0x104000
#define DSDT_PA 0x105000

static void put_rsdt(uint64_t pa, const uint32_t *entries, uint32_t n)
{
	put_table(pa, "RSDT", entries, n * 4);
}
static void put_xsdt(uint64_t pa, const uint64_t *entries, uint32_t n)
{
	put_table(pa, "XSDT", entries, n * 8);
}

/* A MADT under construction. */
static uint8_t madt[4096];
static uint32_t madt_len;

static void madt_begin(uint32_t lapic, uint32_t flags)
{
	memcpy(madt, &lapic, 4);
	memcpy(madt + 4, &flags, 4);
	madt_len = 8;
}
static void madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt + madt_len;
	e[0] = 0;
	e[1] = 8;
	e[2] = uid;
	e[3] = id;
	memcpy(e + 4, &flags, 4);
	madt_len += 8;
}
static void madt_x2apic(uint32_t id, uint32_t uid, uint32_t flags)
{
	uint8_t *e = madt + madt_len;
	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	memcpy(e + 4, &id, 4);
	memcpy(e + 8, &flags, 4);
	memcpy(e + 12, &uid, 4);
	madt_len += 16;
}
static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi)
{
	uint8_t *e = madt + madt_len;
	e[0] = 1;
	e[1] = 12;
	e[2] = id;
	e[3] = 0;
	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &gsi, 4);
	madt_len += 12;
}
static void madt_raw(uint8_t type, uint8_t len)
{
	memset(madt + madt_len, 0, 2);
	madt[madt_len] = type;
	madt[madt_len + 1] = len;
	madt_len += 2;
}
/* A whole entry of `len` zero bytes but for type and length. */
static void madt_zeroed(uint8_t type, uint8_t len)
{
	memset(madt + madt_len, 0, len);
	madt_raw(type, len);
	madt_len += len - 2u;
}
static void madt_end(void)
{
	put_table(MADT_PA, "APIC", madt, madt_len);
}

/* A FADT of `len` bytes (116 = ACPI 1.0, 276 = 6.x) with PM blocks set. */
static void put_fadt(uint32_t len, uint32_t pm_tmr, uint8_t tmr_len, uint32_t pm1a_cnt,
		     uint32_t flags)
{
	uint8_t body[300] = {0};

	memcpy(body + 46 - 36, &(uint16_t){9}, 2);
	memcpy(body + 64 - 36, &pm1a_cnt, 4);
	memcpy(body + 76 - 36, &pm_tmr, 4);
	body[91 - 36] = tmr_len;
	memcpy(body + 112 - 36, &flags, 4);
	put_table(FADT_PA, "FACP", body, len - 36);
}

/* Sets a FADT generic address structure at offset off and fixes the checksum. */
static void fadt_gas(uint32_t off, uint8_t space, uint64_t addr)
{
	uint32_t len;

	memcpy(&len, mem + FADT_PA + 4, 4);
	mem[FADT_PA + off] = space;
	mem[FADT_PA + off + 1] = 32;
	put64(FADT_PA + off + 4, addr);
	fix_sum(FADT_PA, len, 9);
}

/* A standard machine: RSDP rev 2 in the BIOS area, XSDT and RSDT both listing tables. */
static void machine(void)
{
	uint32_t r[] = {FADT_PA, MADT_PA, HPET_PA};
	uint64_t x[] = {FADT_PA, MADT_PA, HPET_PA};
	uint8_t hpet[20] = {0};

	memset(mem, 0, sizeof(mem));
	memset(&bi, 0, sizeof(bi));
	check_log_clear();
	put_rsdp(RSDP_PA, 2, RSDT_PA, XSDT_PA);
	put_rsdt(RSDT_PA, r, 3);
	put_xsdt(XSDT_PA, x, 3);
	madt_begin(0xfee00000, 1);
	for (int i = 0; i < 4; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, 1);
	madt_ioapic(0, 0xfec00000, 0);
	madt_end();
	put_fadt(276, 0x608, 4, 0x604, 1u << 8);
	hpet[4] = 0; /* GAS: memory space */
	uint64_t base = 0xfed00000;
	memcpy(hpet + 8, &base, 8);
	put_table(HPET_PA, "HPET", hpet, sizeof(hpet));
}

static bool logged(const char *s)
{
	return strstr(check_log, s) != NULL;
}

TEST(scan_bios_area)
{
	machine();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.rsdp_pa, RSDP_PA);
	CHECK_EQ(info.revision, 2);
	CHECK_STR(info.oem_id, "TESTOE");
	CHECK(info.has_madt && info.has_fadt && info.has_hpet && info.pcat_compat);
	CHECK_EQ(info.nr_cpus, 4);
	CHECK_EQ(info.cpus[3].apic_id, 3);
	CHECK(info.cpus[3].enabled && !info.cpus[3].online_capable);
	CHECK_EQ(info.lapic_base, 0xfee00000);
	CHECK_EQ(info.nr_ioapics, 1);
	CHECK_EQ(info.ioapics[0].addr, 0xfec00000);
	CHECK_EQ(info.hpet_base, 0xfed00000);
	CHECK(logged("acpi: MADT: 4 CPUs (apic ids 0 1 2 3), IOAPIC 0xfec00000"));
	CHECK(logged("acpi: XSDT at 0x101000, 3 tables: FACP APIC HPET"));
}

TEST(scan_ebda_first)
{
	machine();
	put16(0x40e, 0x9fc0);
	put_rsdp(0x9fc00 + 0x30, 0, RSDT_PA, 0);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.rsdp_pa, 0x9fc30);
	CHECK_EQ(info.revision, 0);
	CHECK(logged("RSDT at 0x100000"));
}

TEST(scan_needs_16_byte_alignment)
{
	machine();
	memset(mem + RSDP_PA, 0, 36);
	put_rsdp(0xe0008, 0, RSDT_PA, 0);
	CHECK(acpi_parse(&bi, reader, &info) < 0);
	CHECK_EQ(info.nr_cpus, 0);
	CHECK(logged("no valid RSDP"));
}

TEST(given_by_loader)
{
	machine();
	memset(mem + RSDP_PA, 0, 36);
	put_rsdp(0x120000, 2, RSDT_PA, XSDT_PA);
	bi.rsdp = 0x120000;
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.rsdp_pa, 0x120000);
	CHECK_EQ(info.nr_cpus, 4);
}

TEST(copy_from_loader)
{
	machine();
	memset(mem + RSDP_PA, 0, 36);
	put_rsdp_in(bi.rsdp_copy, 2, RSDT_PA, XSDT_PA);
	bi.rsdp_copy_len = 36;
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.rsdp_pa, 0);
	CHECK(logged("XSDT at"));
	CHECK_EQ(info.nr_cpus, 4);
}

TEST(copy_v1_of_a_v2_rsdp_uses_rsdt)
{
	machine();
	memset(mem + RSDP_PA, 0, 36);
	put_rsdp_in(bi.rsdp_copy, 2, RSDT_PA, XSDT_PA);
	bi.rsdp_copy_len = 20; /* multiboot2's old-ACPI tag: only the first 20 bytes */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(logged("RSDT at"));
	CHECK(!logged("XSDT at"));
}

TEST(bad_rsdp_checksum)
{
	machine();
	put_rsdp(0x120000, 0, RSDT_PA, 0);
	mem[0x120000 + 16] ^= 1; /* RSDT address: breaks the checksum */
	bi.rsdp = 0x120000;
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0); /* falls back to the scan */
	CHECK(logged("given by the loader: bad checksum"));
	CHECK_EQ(info.rsdp_pa, RSDP_PA);
	mem[RSDP_PA + 8] ^= 1;
	CHECK(acpi_parse(&bi, reader, &info) < 0);
}

TEST(bad_extended_checksum_uses_rsdt)
{
	machine();
	mem[RSDP_PA + 33] ^= 0x55; /* reserved byte: only the extended checksum covers it */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(logged("extended checksum; using the RSDT"));
	CHECK(logged("RSDT at"));
	CHECK_EQ(info.nr_cpus, 4);
}

TEST(bad_xsdt_checksum_falls_back_to_rsdt)
{
	machine();
	mem[XSDT_PA + 36] ^= 1;
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(logged("XSDT at 0x101000: bad checksum"));
	CHECK(logged("falling back to the RSDT"));
	CHECK(logged("RSDT at 0x100000, 3 tables"));
	CHECK(info.has_madt && info.has_fadt);
	CHECK_EQ(info.nr_cpus, 4);
}

TEST(no_usable_root_table)
{
	machine();
	mem[XSDT_PA + 36] ^= 1;
	mem[RSDT_PA + 36] ^= 1;
	CHECK(acpi_parse(&bi, reader, &info) < 0);
	CHECK(!info.has_madt);
	machine();
	put_rsdp(RSDP_PA, 0, 0, 0);
	CHECK(acpi_parse(&bi, reader, &info) < 0);
}

TEST(short_tables)
{
	machine();
	put32(MADT_PA + 4, 30); /* shorter than a header */
	fix_sum(MADT_PA, 30, 9);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_madt);
	CHECK(logged("implausible length 30"));

	machine();
	madt_begin(0xfee00000, 0);
	put_table(MADT_PA, "APIC", madt, 4); /* header and the LAPIC address, no flags */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_madt);
	CHECK(logged("MADT: 40 bytes, too short"));

	machine();
	put_fadt(80, 0x608, 4, 0x604, 0); /* ends before PM_TMR_LEN */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_fadt);
	CHECK_EQ(info.pm_tmr_port, 0);

	machine();
	put_table(HPET_PA, "HPET", "x", 1);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_hpet);
}

TEST(table_past_readable_memory)
{
	uint64_t x[] = {FADT_PA, MEM_SIZE - 64};

	machine();
	madt_end();
	memcpy(mem + MEM_SIZE - 64, mem + MADT_PA, 64); /* a MADT whose length runs off the end */
	put_xsdt(XSDT_PA, x, 2);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_madt);
	CHECK(info.has_fadt);
	CHECK(logged("run past readable memory"));

	machine();
	put32(MADT_PA + 4, 2 * 1024 * 1024); /* over 1 MiB */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_madt);
	CHECK(logged("implausible length"));

	machine();
	x[1] = MEM_SIZE + 0x1000; /* header itself unreadable */
	put_xsdt(XSDT_PA, x, 2);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(logged("header not readable"));
	CHECK(info.has_fadt);
}

TEST(madt_entry_length_zero)
{
	machine();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_raw(0, 0);
	madt_lapic(1, 1, 1);
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(info.has_madt);
	CHECK(!info.pcat_compat);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK(logged("entry at offset 52 has length 0"));
}

TEST(madt_entry_past_end)
{
	machine();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 1);
	madt_raw(1, 12); /* an IOAPIC entry whose body is missing */
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 2);
	CHECK_EQ(info.nr_ioapics, 0);
	CHECK(logged("runs past the table's end"));

	machine();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt[madt_len++] = 0; /* one lone byte: not even an entry header */
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK(logged("has length 0"));
}

TEST(madt_entry_too_short_for_type)
{
	machine();
	madt_begin(0xfee00000, 1);
	madt_zeroed(0, 6); /* a local APIC entry needs 8 */
	madt_zeroed(9, 2);
	madt_zeroed(0x7f, 3); /* unknown types are skipped, whatever their length */
	madt_lapic(0, 7, 1);
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK_EQ(info.cpus[0].apic_id, 7);
	CHECK(logged("2 entries too short"));
}

TEST(more_cpus_than_max)
{
	machine();
	madt_begin(0xfee00000, 1);
	for (uint32_t i = 0; i < MAX_CPUS + 5; i++)
		madt_x2apic(i * 2, i, 1);
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, MAX_CPUS);
	CHECK_EQ(info.nr_cpus_ignored, 5);
	CHECK_EQ(info.cpus[MAX_CPUS - 1].apic_id, (MAX_CPUS - 1) * 2);
	CHECK(logged("5 more CPUs ignored"));
	CHECK(logged(" ...)")); /* the id list is cut, not the line */
}

TEST(disabled_cpus)
{
	machine();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 0); /* neither enabled nor online-capable: unusable */
	madt_lapic(2, 2, 2); /* online-capable */
	madt_lapic(3, 3, 3); /* enabled; online-capable is meaningless then */
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 3);
	CHECK_EQ(info.cpus[1].apic_id, 2);
	CHECK(!info.cpus[1].enabled && info.cpus[1].online_capable);
	CHECK(info.cpus[2].enabled && !info.cpus[2].online_capable);
	CHECK(logged("1 of them online-capable"));
	CHECK(logged("skipped 1 unusable"));
}

TEST(x2apic_entries)
{
	machine();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 0xff, 1); /* 0xff: described by the x2APIC entry instead */
	madt_x2apic(0x100, 1, 1);
	madt_x2apic(0, 9, 1);	       /* same CPU as the first entry */
	madt_x2apic(0xffffffff, 2, 1); /* invalid ID */
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 2);
	CHECK_EQ(info.cpus[1].apic_id, 0x100);
	CHECK_EQ(info.cpus[1].acpi_uid, 1);
	CHECK(logged("1 duplicate, 2 invalid-ID"));
}

TEST(madt_lapic_override_and_ioapics)
{
	uint8_t ovr[12] = {5, 12};
	uint64_t base = 0x123456789000ULL;

	machine();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	for (int i = 0; i < 10; i++)
		madt_ioapic((uint8_t)i, 0xfec00000 + (uint32_t)i * 0x1000, (uint32_t)i * 24);
	memcpy(ovr + 4, &base, 8);
	memcpy(madt + madt_len, ovr, 12);
	madt_len += 12;
	madt_end();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.lapic_base, base);
	CHECK_EQ(info.nr_ioapics, ACPI_MAX_IOAPICS);
	CHECK_EQ(info.ioapics[7].addr, 0xfec07000);
	CHECK_EQ(info.ioapics[7].gsi_base, 7 * 24);
	CHECK_EQ(info.ioapics[7].id, 7);
	CHECK(logged("2 IOAPICs beyond 8 ignored"));
}

TEST(fadt_fields)
{
	machine();
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm_tmr_port, 0x608);
	CHECK(info.pm_tmr_32bit);
	CHECK_EQ(info.pm1a_cnt_port, 0x604);
	CHECK_EQ(info.sci_irq, 9);
	CHECK(logged("PM timer port 0x608 (PM_TMR_BLK, 32-bit), PM1a control 0x604, SCI 9"));

	/* The X_ blocks win when they are I/O ports; memory-space ones are not ports. */
	fadt_gas(208, 1, 0xb008);
	fadt_gas(172, 0, 0xfe000000);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm_tmr_port, 0xb008);
	CHECK_EQ(info.pm1a_cnt_port, 0x604);
	fadt_gas(172, 1, 0xb004);
	fadt_gas(208, 1, 0x1fffe); /* not a port: the legacy block stays */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm1a_cnt_port, 0xb004);
	CHECK_EQ(info.pm_tmr_port, 0x608);
}

TEST(fadt_acpi1_and_bad_timer)
{
	machine();
	put_fadt(116, 0xb008, 4, 0xb004, 0);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm_tmr_port, 0xb008);
	CHECK(!info.pm_tmr_32bit);
	CHECK_EQ(info.pm1a_cnt_port, 0xb004);

	put_fadt(116, 0xb008, 0, 0xb004, 1u << 8); /* PM_TMR_LEN 0: no timer */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm_tmr_port, 0);
	CHECK(!info.pm_tmr_32bit);

	put_fadt(116, 0x12345678, 4, 0xfffff, 0); /* not ports */
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.pm_tmr_port, 0);
	CHECK_EQ(info.pm1a_cnt_port, 0);
}

TEST(missing_madt)
{
	uint64_t x[] = {FADT_PA, DSDT_PA};

	machine();
	put_table(DSDT_PA, "DSDT", "AML", 3);
	put_xsdt(XSDT_PA, x, 2);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_madt);
	CHECK_EQ(info.nr_cpus, 0);
	CHECK_EQ(info.lapic_base, 0);
	CHECK(info.has_fadt);
	CHECK(!info.has_hpet);
	CHECK(logged("2 tables: FACP DSDT"));
}

TEST(duplicate_and_bad_signature_tables)
{
	uint64_t x[] = {MADT_PA, MADT_PA, 0, FADT_PA};

	machine();
	put_xsdt(XSDT_PA, x, 4);
	mem[XSDT_PA + 4] += 3; /* 3 trailing bytes */
	fix_sum(XSDT_PA, 36 + 4 * 8 + 3, 9);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK_EQ(info.nr_cpus, 4);
	CHECK(logged("second APIC table"));
	CHECK(logged("3 trailing bytes"));

	machine();
	memcpy(mem + RSDT_PA, "RSDX", 4);
	mem[XSDT_PA + 36] ^= 1;
	CHECK(acpi_parse(&bi, reader, &info) < 0);
	CHECK(logged("RSDT at 0x100000: wrong signature"));
}

TEST(hpet_bad_base)
{
	machine();
	mem[HPET_PA + 40] = 1; /* I/O space: not an HPET */
	fix_sum(HPET_PA, 56, 9);
	CHECK_EQ(acpi_parse(&bi, reader, &info), 0);
	CHECK(!info.has_hpet);
	CHECK(logged("HPET: unusable base"));
}

int main(void)
{
	CHECK_MAIN("acpi");
	RUN(scan_bios_area);
	RUN(scan_ebda_first);
	RUN(scan_needs_16_byte_alignment);
	RUN(given_by_loader);
	RUN(copy_from_loader);
	RUN(copy_v1_of_a_v2_rsdp_uses_rsdt);
	RUN(bad_rsdp_checksum);
	RUN(bad_extended_checksum_uses_rsdt);
	RUN(bad_xsdt_checksum_falls_back_to_rsdt);
	RUN(no_usable_root_table);
	RUN(short_tables);
	RUN(table_past_readable_memory);
	RUN(madt_entry_length_zero);
	RUN(madt_entry_past_end);
	RUN(madt_entry_too_short_for_type);
	RUN(more_cpus_than_max);
	RUN(disabled_cpus);
	RUN(x2apic_entries);
	RUN(madt_lapic_override_and_ioapics);
	RUN(fadt_fields);
	RUN(fadt_acpi1_and_bad_timer);
	RUN(missing_madt);
	RUN(duplicate_and_bad_signature_tables);
	RUN(hpet_bad_base);
	return CHECK_END();
}
