/*
 * drivers/acpi.c, drivers/acpi_tables.c: acpi_parse() over hostile firmware
 * memory. Input: one control byte, then physical memory from address 0 (in an
 * exactly sized buffer: nothing past it is readable), where the seeds put the
 * BDA's EBDA pointer at 0x40e, an RSDP at RSDP_PA = 0x1000 and the tables
 * after it. Control bits 0-1: 0 the loader gives the RSDP's address RSDP_PA,
 * 1 the loader gives a copy of the 36 bytes there (20 with bit 2), 2 and 3 no
 * hint (the EBDA is scanned; the BIOS area 0xe0000-0xfffff is never readable,
 * as a scan of it would cost 8192 probes a run). Bit 3: the harness first fixes
 * the checksums of everything that looks like an RSDP or a table Tessera
 * reads, so that mutations reach past them.
 * Checked: the acpi_info promises (counts within their arrays, CPUs listed
 * once and usable, no MADT data without a MADT), and a reason for failure.
 */
#include "tests/fuzz/fuzz.h"
#include "drivers/acpi.h"
#include "tests/unit/fake_phys.h"

#define RSDP_PA 0x1000
#define SIG(s) \
	((uint32_t)(s)[0] | (uint32_t)(s)[1] << 8 | (uint32_t)(s)[2] << 16 | (uint32_t)(s)[3] << 24)

/* Integer compares only: libFuzzer hooks every memcmp, which would cost too much here. */
static void fix_checksums(uint8_t *mem, size_t size)
{
	static const uint32_t sigs[] = {SIG("RSDT"), SIG("XSDT"), SIG("APIC"), SIG("FACP"),
					SIG("HPET")};

	for (size_t off = 0; off + 36 <= size; off += 4) {
		uint32_t sig = fuzz_get32(mem + off), len = fuzz_get32(mem + off + 4);

		for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			if (sig == sigs[i] && len >= 36 && len <= size - off)
				fuzz_fix_sum(mem + off, len, 9);
	}
	for (size_t off = 0; off + 36 <= size; off += 16) {
		uint32_t len = fuzz_get32(mem + off + 20);

		if (fuzz_get32(mem + off) != SIG("RSD ") ||
		    fuzz_get32(mem + off + 4) != SIG("PTR "))
			continue;
		fuzz_fix_sum(mem + off, 20, 8);
		if (mem[off + 15] >= 2 && len >= 36 && len <= size - off)
			fuzz_fix_sum(mem + off, len, 32);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct acpi_info info;
	int rc;

	if (size < 1)
		return 0;
	fake_phys_map(0, data + 1, size - 1);
	if (data[0] & 8)
		fix_checksums(fake_phys_mem, size - 1);
	memset(&bi, 0, sizeof(bi));
	if ((data[0] & 3) == 0)
		bi.rsdp = RSDP_PA;
	if ((data[0] & 3) == 1 && size - 1 >= RSDP_PA + 36) {
		bi.rsdp_copy_len = data[0] & 4 ? 20 : 36;
		memcpy(bi.rsdp_copy, fake_phys_mem + RSDP_PA, bi.rsdp_copy_len);
	}
	check_log_clear();
	memset(&info, 0xa5, sizeof(info));

	rc = acpi_parse(&bi, fake_phys_read, &info);
	if (rc != 0) {
		FUZZ_CHECK(rc < 0 && strstr(check_log, "acpi: ") != NULL);
		return 0;
	}
	FUZZ_CHECK(fuzz_terminated(info.oem_id, sizeof(info.oem_id)));
	FUZZ_CHECK(info.rsdp_pa == 0 || info.rsdp_pa < size - 1);
	/* A copy from the loader is used as it is; memory is scanned only when it is no RSDP. */
	FUZZ_CHECK((data[0] & 3) != 1 || info.rsdp_pa == 0 ||
		   strstr(check_log, "copy of the RSDP is not one") != NULL);
	FUZZ_CHECK(info.nr_cpus <= MAX_CPUS && info.nr_ioapics <= ACPI_MAX_IOAPICS);
	if (!info.has_madt)
		FUZZ_CHECK(info.nr_cpus == 0 && info.nr_ioapics == 0 && info.lapic_base == 0);
	for (uint32_t i = 0; i < info.nr_cpus; i++) {
		FUZZ_CHECK(info.cpus[i].enabled != info.cpus[i].online_capable);
		FUZZ_CHECK(info.cpus[i].apic_id != 0xffffffff);
		for (uint32_t j = 0; j < i; j++)
			FUZZ_CHECK(info.cpus[i].apic_id != info.cpus[j].apic_id);
	}
	if (info.nr_cpus < MAX_CPUS)
		FUZZ_CHECK(info.nr_cpus_ignored == 0);
	return 0;
}
