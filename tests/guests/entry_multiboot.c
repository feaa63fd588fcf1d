/*
 * entry_multiboot: the machine state a multiboot v1 loader hands over
 * (guest-abi/multiboot.h). Command-line words it understands (all optional,
 * for the test runner):
 *   mods=N        exactly N modules are expected
 *   mod0=TEXT     module 0 starts with TEXT (also mod1..mod3)
 */
#include "guest-abi/multiboot.h"
#include "tests/guests/lib/entry_checks.h"

const char guest_name[] = "entry_multiboot";

#define EFLAGS_IF	(1u << 9)
#define EFLAGS_VM	(1u << 17)
#define CR0_PE		(1u << 0)
#define CR0_PG		(1u << 31)
#define MMAP_LENGTH_MAX (64u * 1024)
#define MB_MODULES_MAX	64
#define PAGE_SIZE	4096u

static struct mem_range map[MEM_MAP_MAX];

static void check_registers(const struct guest_boot *boot)
{
	const struct guest_entry_state *st = &boot->entry;

	check_eq("eax-magic", st->eax, MULTIBOOT_BOOTLOADER_MAGIC);
	check_eq("boot-magic", boot->magic, MULTIBOOT_BOOTLOADER_MAGIC);
	checkf(!(st->eflags & (EFLAGS_VM | EFLAGS_IF)), "eflags-vm-if-clear", "EFLAGS %#x",
	       st->eflags);
	checkf((st->cr0 & CR0_PE) && !(st->cr0 & CR0_PG), "cr0-pe-no-pg", "CR0 %#x", st->cr0);
	check_entry_segments(st, true);
}

/* Walks the variable-size records; never trusts `size` beyond the buffer. */
static unsigned read_mmap(const struct multiboot_info *mbi)
{
	uint32_t len = mbi->mmap_length;
	unsigned n = 0;

	if (!checkf(mbi->mmap_addr && len >= sizeof(struct multiboot_mmap_entry) &&
			len <= MMAP_LENGTH_MAX && pa_mapped(mbi->mmap_addr, len),
		    "mmap-present", "mmap_addr %#x mmap_length %u", mbi->mmap_addr, len))
		return 0;
	bool sizes_ok = true;
	for (uint32_t off = 0; off + sizeof(struct multiboot_mmap_entry) <= len;) {
		const struct multiboot_mmap_entry *e =
		    (const void *)(uint64_t)(mbi->mmap_addr + off);
		if (e->size < sizeof(*e) - 4 || n == MEM_MAP_MAX) {
			sizes_ok = false;
			break;
		}
		map[n++] = (struct mem_range){e->addr, e->len, e->type};
		off += e->size + 4;
	}
	check(sizes_ok, "mmap-record-sizes");
	return n;
}

/* Bytes of RAM from `base` on, over adjacent RAM entries. */
static uint64_t ram_extent(unsigned n, uint64_t base)
{
	uint64_t at = base;

	for (unsigned step = 0; step <= n; step++) {
		bool moved = false;
		for (unsigned i = 0; i < n; i++)
			if (map[i].type == MEM_TYPE_RAM && map[i].base <= at &&
			    at - map[i].base < map[i].len) {
				at = map[i].base + map[i].len;
				moved = true;
			}
		if (!moved)
			break;
	}
	return at - base;
}

static void check_memory(const struct multiboot_info *mbi, unsigned n)
{
	guest_printf("guest %s: mem_lower %u KiB, mem_upper %u KiB\n", guest_name, mbi->mem_lower,
		     mbi->mem_upper);
	checkf(mbi->mem_lower <= 640, "mem-lower-at-most-640k", "mem_lower %u", mbi->mem_lower);
	if (n == 0)
		return;
	uint64_t low = ram_extent(n, 0), high = ram_extent(n, 0x100000);
	check_eq("mem-lower-matches-mmap", mbi->mem_lower, low / 1024);
	check_eq("mem-upper-matches-mmap", mbi->mem_upper, high / 1024);
}

static void check_cmdline(const struct multiboot_info *mbi, char *cmdline, size_t size)
{
	cmdline[0] = '\0';
	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE)) {
		skip("cmdline-readable", "no command line given");
		return;
	}
	size_t len = loader_strlen(mbi->cmdline);
	if (checkf(mbi->cmdline && len < LOADER_STRING_MAX && len < size, "cmdline-readable",
		   "cmdline %#x not NUL-terminated within %d bytes", mbi->cmdline,
		   LOADER_STRING_MAX)) {
		memcpy(cmdline, (const char *)(uint64_t)mbi->cmdline, len + 1);
		guest_printf("guest %s: cmdline \"%s\"\n", guest_name, cmdline);
	}
}

static void check_one_module(const struct multiboot_mod_list *m, unsigned i, const char *cmdline,
			     unsigned nmap)
{
	char what[40], key[8], word[64];
	uint64_t size = (uint64_t)m->mod_end - m->mod_start;

	guest_printf("guest %s: module %u at %#x-%#x \"%s\"\n", guest_name, i, m->mod_start,
		     m->mod_end,
		     m->cmdline && loader_strlen(m->cmdline) < LOADER_STRING_MAX
			 ? (const char *)(uint64_t)m->cmdline
			 : "");
	guest_snprintf(what, sizeof(what), "module%u-bounds", i);
	check(m->mod_start <= m->mod_end, what);
	guest_snprintf(what, sizeof(what), "module%u-page-aligned", i);
	check(m->mod_start % PAGE_SIZE == 0, what);
	guest_snprintf(what, sizeof(what), "module%u-in-ram", i);
	check(m->mod_start <= m->mod_end &&
		  (size == 0 || range_in_ram(map, nmap, m->mod_start, size)),
	      what);
	guest_snprintf(what, sizeof(what), "module%u-not-on-image", i);
	check(!range_overlaps_image(m->mod_start, size), what);
	guest_snprintf(what, sizeof(what), "module%u-string-readable", i);
	check(m->cmdline && loader_strlen(m->cmdline) < LOADER_STRING_MAX, what);

	guest_snprintf(key, sizeof(key), "mod%u", i);
	if (i < 4 && cmdline_get(cmdline, LOADER_STRING_MAX, key, word, sizeof(word))) {
		size_t wl = strnlen(word, sizeof(word));
		guest_snprintf(what, sizeof(what), "module%u-content", i);
		check(m->mod_start <= m->mod_end && wl <= size &&
			  memcmp((const void *)(uint64_t)m->mod_start, word, wl) == 0,
		      what);
	}
}

static void check_modules(const struct multiboot_info *mbi, const char *cmdline, unsigned nmap)
{
	char word[64];
	uint64_t want;
	uint32_t n = mbi->flags & MULTIBOOT_INFO_MODS ? mbi->mods_count : 0;

	if (cmdline_get(cmdline, LOADER_STRING_MAX, "mods", word, sizeof(word)) &&
	    parse_u64(word, &want))
		check_eq("modules-count", n, want);
	if (n == 0)
		return;
	if (!checkf(mbi->mods_addr && n <= MB_MODULES_MAX &&
			pa_mapped(mbi->mods_addr, n * sizeof(struct multiboot_mod_list)),
		    "modlist-present", "mods_addr %#x mods_count %u", mbi->mods_addr, n))
		return;
	const struct multiboot_mod_list *m = (const void *)(uint64_t)mbi->mods_addr;
	bool disjoint = true;
	for (uint32_t i = 0; i < n; i++) {
		check_one_module(&m[i], i, cmdline, nmap);
		for (uint32_t j = 0; j < i; j++)
			if (m[i].mod_start < m[j].mod_end && m[j].mod_start < m[i].mod_end)
				disjoint = false;
	}
	check(disjoint, "modules-disjoint");
}

void guest_main(const struct guest_boot *boot)
{
	static char cmdline[LOADER_STRING_MAX];

	check_eq("protocol-multiboot", boot->protocol, GUEST_BOOT_MULTIBOOT);
	check_registers(boot);
	if (!checkf(boot->info && pa_mapped(boot->info, sizeof(struct multiboot_info)),
		    "info-address", "EBX %#llx", (unsigned long long)boot->info))
		return;

	const struct multiboot_info *mbi = (const void *)boot->info;
	guest_printf("guest %s: info flags %#x\n", guest_name, mbi->flags);
	if (mbi->flags & MULTIBOOT_INFO_LOADER_NAME && loader_strlen(mbi->boot_loader_name) < 256)
		guest_printf("guest %s: loader \"%s\"\n", guest_name,
			     (const char *)(uint64_t)mbi->boot_loader_name);
	check(mbi->flags & MULTIBOOT_INFO_MEMORY, "flags-memory");
	check(mbi->flags & MULTIBOOT_INFO_MEM_MAP, "flags-mmap");
	check(!range_overlaps_image(boot->info, sizeof(*mbi)), "info-not-on-image");

	unsigned nmap = mbi->flags & MULTIBOOT_INFO_MEM_MAP ? read_mmap(mbi) : 0;
	check_memory_map(map, nmap);
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		check_memory(mbi, nmap);
	check_cmdline(mbi, cmdline, sizeof(cmdline));
	check_modules(mbi, cmdline, nmap);
}
