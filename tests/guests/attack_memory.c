/*
 * attack_memory: writes guest-physical memory outside its RAM. Tessera must
 * stop the partition at that access (EPT violation), so nothing after it may
 * run. The command line chooses the target:
 *   attack=ram-end  the first byte past the end of its RAM (the last byte of
 *                   RAM is written first: the boundary is exact);
 *   attack=far      GPA 0x40000000 (1 GiB), far beyond a small partition;
 *   attack=ioapic   the machine's IOAPIC at 0xfec00000, given to no partition (the
 *                   LAPIC window at 0xfee00000 is the partition's own vLAPIC).
 * Not for plain QEMU: there these addresses are real (or plain RAM).
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "attack_memory";

#define FAR_GPA	   0x40000000ull
#define IOAPIC_GPA 0xfec00000ull /* the IOAPIC's usual base */

static uint64_t target_gpa(const char *attack, uint64_t ram_end)
{
	if (!strcmp(attack, "ram-end"))
		return ram_end;
	if (!strcmp(attack, "far"))
		return FAR_GPA;
	if (!strcmp(attack, "ioapic"))
		return IOAPIC_GPA;
	return 0;
}

void guest_main(const struct guest_boot *boot)
{
	struct tessera_partition_info info;
	char attack[16];
	uint64_t ram_end = iso_ram_end(boot), gpa;

	if (!check(on_tessera(), "on-tessera") || !iso_partition_info(&info))
		guest_finish();
	if (!cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "attack", attack, sizeof(attack)))
		attack[0] = '\0';
	gpa = target_gpa(attack, ram_end);
	if (!checkf(gpa != 0, "attack-chosen", "cmdline \"%s\": want attack=ram-end|far|ioapic",
		    iso_cmdline(boot)))
		guest_finish();
	checkf(ram_end == info.memory_bytes, "ram-end-is-partition-memory",
	       "memory map ends at %#llx, partition info says %#llx bytes",
	       (unsigned long long)ram_end, (unsigned long long)info.memory_bytes);
	checkf(info.memory_bytes < FAR_GPA, "far-gpa-outside-ram", "the partition has %#llx bytes",
	       (unsigned long long)info.memory_bytes);

	/* The last byte of RAM is ours: this must work and read back. */
	volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)(ram_end - 1);
	*last = 0x5a;
	check_eq("last-ram-byte-usable", *last, 0x5a);
	if (checks_failed())
		guest_finish();

	guest_report();
	guest_printf("guest attack_memory: attacking: write to GPA %#llx (%s)\n",
		     (unsigned long long)gpa, attack);
	*(volatile uint32_t *)(uintptr_t)gpa = 0xff;

	/* Tessera let the write through (or mapped something there). */
	checkf(false, "stopped-at-attack", "the write to GPA %#llx completed and the guest ran on",
	       (unsigned long long)gpa);
	guest_exit(1);
}
