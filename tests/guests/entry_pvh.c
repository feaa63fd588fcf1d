/*
 * entry_pvh: the machine state a PVH loader hands over (guest-abi/pvh.h).
 * Command-line words it understands (all optional, for the test runner):
 *   mods=N        exactly N modules are expected
 *   mod0=TEXT     module 0 starts with TEXT (also mod1..mod3)
 */
#include "guest-abi/pvh.h"
#include "tests/guests/lib/entry_checks.h"

const char guest_name[] = "entry_pvh";

#define EFLAGS_TF	(1u << 8)
#define EFLAGS_IF	(1u << 9)
#define EFLAGS_VM	(1u << 17)
#define EFLAGS_FIXED	0x2u
#define CR0_PE		(1u << 0)
#define CR0_ET		(1u << 4)
#define CR0_WRITABLE	0xe005002eu /* MP EM TS NE WP AM NW CD PG */
#define TSS32_BUSY	0xb
#define PVH_MODULES_MAX 64

static struct mem_range map[MEM_MAP_MAX];

static void check_registers(const struct guest_entry_state *st)
{
	checkf(!(st->eflags & (EFLAGS_VM | EFLAGS_IF | EFLAGS_TF)), "eflags-vm-if-tf-clear",
	       "EFLAGS %#x", st->eflags);
	checkf((st->cr0 & CR0_PE) && !(st->cr0 & CR0_WRITABLE), "cr0-pe-only", "CR0 %#x", st->cr0);
	check_eq("cr4-zero", st->cr4, 0);
	check_entry_segments(st, false);

	/* QEMU's PVH loader leaves TR null although the PVH spec asks for a TSS. */
	struct seg_desc tr;
	if (!on_tessera() && (st->sel[ENTRY_SEG_TR] & ~3u) == 0)
		skip("tr-tss32",
		     "TR is null: this loader (QEMU does) ignores that part of the spec");
	else if (entry_seg_desc(st, ENTRY_SEG_TR, &tr))
		checkf(!tr.s && tr.type == TSS32_BUSY && tr.base == 0 && tr.limit == 0x67,
		       "tr-tss32", "selector %#x: type %#x base %#x limit %#x",
		       st->sel[ENTRY_SEG_TR], tr.type, tr.base, tr.limit);
	else
		checkf(false, "tr-tss32", "TR selector %#x: no GDT descriptor",
		       st->sel[ENTRY_SEG_TR]);

	if (on_tessera())
		check_eq("eflags-exactly-bit1", st->eflags, EFLAGS_FIXED);
	else
		skip("eflags-exactly-bit1", "Tessera's contract; not running on Tessera");
}

static unsigned read_memmap(const struct hvm_start_info *si)
{
	uint32_t n = si->memmap_entries;

	if (!checkf(si->memmap_paddr && n > 0 && n <= MEM_MAP_MAX, "memmap-present",
		    "memmap_paddr %#llx entries %u", (unsigned long long)si->memmap_paddr, n))
		return 0;
	if (!check(pa_mapped(si->memmap_paddr, (uint64_t)n * sizeof(struct hvm_memmap_table_entry)),
		   "memmap-below-4g"))
		return 0;
	const struct hvm_memmap_table_entry *e = (const void *)si->memmap_paddr;
	for (uint32_t i = 0; i < n; i++)
		map[i] = (struct mem_range){e[i].addr, e[i].size, e[i].type};
	return n;
}

static void check_cmdline(const struct hvm_start_info *si, char *cmdline, size_t size)
{
	cmdline[0] = '\0';
	if (!si->cmdline_paddr) {
		skip("cmdline-readable", "no command line given");
		return;
	}
	size_t len = loader_strlen(si->cmdline_paddr);
	if (checkf(len < LOADER_STRING_MAX && len < size, "cmdline-readable",
		   "not NUL-terminated within %d bytes", LOADER_STRING_MAX)) {
		memcpy(cmdline, (const char *)si->cmdline_paddr, len + 1);
		guest_printf("guest %s: cmdline \"%s\"\n", guest_name, cmdline);
	}
}

static void check_modules(const struct hvm_start_info *si, const char *cmdline, unsigned nmap)
{
	char word[64];
	uint64_t want;

	if (cmdline_get(cmdline, LOADER_STRING_MAX, "mods", word, sizeof(word)) &&
	    parse_u64(word, &want))
		check_eq("modules-count", si->nr_modules, want);
	if (si->nr_modules == 0)
		return;
	uint32_t n = si->nr_modules;
	if (!checkf(si->modlist_paddr && n <= PVH_MODULES_MAX &&
			pa_mapped(si->modlist_paddr, n * sizeof(struct hvm_modlist_entry)),
		    "modlist-present", "modlist_paddr %#llx nr_modules %u",
		    (unsigned long long)si->modlist_paddr, n))
		return;

	const struct hvm_modlist_entry *m = (const void *)si->modlist_paddr;
	for (uint32_t i = 0; i < n; i++) {
		char what[40];
		guest_printf("guest %s: module %u at %#llx, %llu bytes\n", guest_name, i,
			     (unsigned long long)m[i].paddr, (unsigned long long)m[i].size);
		guest_snprintf(what, sizeof(what), "module%u-in-ram", i);
		check(m[i].size && range_in_ram(map, nmap, m[i].paddr, m[i].size) &&
			  pa_mapped(m[i].paddr, m[i].size),
		      what);
		guest_snprintf(what, sizeof(what), "module%u-not-on-image", i);
		check(!range_overlaps_image(m[i].paddr, m[i].size), what);
		if (m[i].cmdline_paddr) {
			guest_snprintf(what, sizeof(what), "module%u-cmdline-readable", i);
			check(loader_strlen(m[i].cmdline_paddr) < LOADER_STRING_MAX, what);
		}
		char key[8];
		guest_snprintf(key, sizeof(key), "mod%u", i);
		if (i < 4 && cmdline_get(cmdline, LOADER_STRING_MAX, key, word, sizeof(word))) {
			size_t wl = strnlen(word, sizeof(word));
			guest_snprintf(what, sizeof(what), "module%u-content", i);
			check(wl <= m[i].size && pa_mapped(m[i].paddr, wl) &&
				  memcmp((const void *)m[i].paddr, word, wl) == 0,
			      what);
		}
	}
}

void guest_main(const struct guest_boot *boot)
{
	static char cmdline[LOADER_STRING_MAX];

	check_eq("protocol-pvh", boot->protocol, GUEST_BOOT_PVH);
	check_registers(&boot->entry);
	if (!checkf(boot->info && pa_mapped(boot->info, sizeof(struct hvm_start_info)),
		    "start-info-address", "EBX %#llx", (unsigned long long)boot->info))
		return;

	const struct hvm_start_info *si = (const void *)boot->info;
	check_eq("start-info-magic", si->magic, XEN_HVM_START_MAGIC_VALUE);
	checkf(si->version >= HVM_START_INFO_VERSION_1, "start-info-version-1",
	       "version %u: no memory map", si->version);
	guest_printf("guest %s: start info v%u flags %#x modules %u rsdp %#llx\n", guest_name,
		     si->version, si->flags, si->nr_modules, (unsigned long long)si->rsdp_paddr);
	unsigned nmap = si->version >= HVM_START_INFO_VERSION_1 ? read_memmap(si) : 0;
	check_memory_map(map, nmap);
	check(!range_overlaps_image(boot->info, sizeof(*si)), "start-info-not-on-image");
	check_cmdline(si, cmdline, sizeof(cmdline));
	check_modules(si, cmdline, nmap);
}
