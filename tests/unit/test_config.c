/* tools/cfgc: the partition config parser, checker and emitter (cfgc). */
#include "tests/unit/check.h"
#include "tools/cfgc/cfgc.h"

static struct tessera_config cfg;
static struct cfg_source src;
static struct cfg_diag diag;

/* Parses and, when the syntax is fine, checks. Returns the number of errors. */
static unsigned compile(const char *text)
{
	unsigned errors;

	cfg_diag_init(&diag);
	errors = cfg_parse("t.cfg", text, strlen(text), &cfg, &src, &diag);
	if (!errors)
		errors = cfg_check(&cfg, &src, &diag);
	return errors;
}

/* The config must be rejected with a message containing `msg`. */
#define REJECT(config_text, msg)                                                    \
	do {                                                                        \
		CHECK(compile(config_text) > 0);                                    \
		if (!strstr(diag.text, (msg))) {                                    \
			printf("  expected: %s\n  got:      %s", (msg), diag.text); \
		}                                                                   \
		CHECK(strstr(diag.text, (msg)) != NULL);                            \
	} while (0)

/* Line 1-3: a machine of 4 CPUs and 256 MiB, CPU 0 housekeeping by default. */
#define MACHINE "[machine]\ncpus = 4\nmemory = 256M\n"
/* Lines 4-7 after MACHINE. */
#define ALPHA	"[partition alpha]\ncpus = 1\nmemory = 16M\nimage = guest-alpha\n"
/* Lines 8-11 after MACHINE ALPHA. */
#define BETA	"[partition beta]\ncpus = 2\nmemory = 16M\nimage = guest-beta\n"

/* ---- good configs --------------------------------------------------------------- */

TEST(default_config)
{
	CHECK_EQ(compile("# The default machine\n" MACHINE "housekeeping = 0\n\n"
			 "[partition alpha]\ncpus = 1\nmemory = 16M\nimage = guest-alpha\n"
			 "cmdline = \"alpha\"\n\n"
			 "[partition beta]\ncpus = 2\nmemory = 16M\nimage = guest-beta\n"),
		 0);
	CHECK_EQ(cfg.magic, CONFIG_MAGIC);
	CHECK_EQ(cfg.version, CONFIG_VERSION);
	CHECK_EQ(cfg.size, sizeof(cfg));
	CHECK_EQ(cfg.machine_cpus, 4);
	CHECK_EQ(cfg.machine_memory, 256 * MiB);
	CHECK_EQ(cfg.nr_housekeeping, 1);
	CHECK_EQ(cfg.housekeeping[0].kind, CONFIG_CPU_INDEX);
	CHECK_EQ(cfg.housekeeping[0].id, 0);
	CHECK_EQ(cfg.nr_partitions, 2);

	const struct partition_config *a = &cfg.partitions[0], *b = &cfg.partitions[1];
	CHECK_STR(a->name, "alpha");
	CHECK_EQ(a->nr_cpus, 1);
	CHECK_EQ(a->cpus[0].id, 1);
	CHECK_EQ(a->memory, 16 * MiB);
	CHECK_STR(a->image, "guest-alpha");
	CHECK_STR(a->cmdline, "alpha");
	CHECK_EQ(a->boot, CONFIG_BOOT_AUTO);
	CHECK_EQ(a->on_crash, CONFIG_ON_CRASH_STOP);
	CHECK_EQ(a->restart_limit, CONFIG_RESTART_LIMIT_DEFAULT);
	CHECK_EQ(a->restart_window_s, CONFIG_RESTART_WINDOW_DEFAULT);
	CHECK_EQ(a->vuart_port, 0x3f8);
	CHECK_EQ(a->timer, CONFIG_TIMER_AUTO);
	CHECK_EQ(a->halt, CONFIG_HALT_EXIT);
	CHECK_EQ(a->pause, CONFIG_PAUSE_PASSTHROUGH);
	CHECK_EQ(a->hyperv, CONFIG_OFF);
	CHECK_EQ(a->xom, CONFIG_XOM_OFF);
	CHECK_EQ(a->pmu, CONFIG_OFF);
	CHECK_EQ(a->nr_io_ranges, 0);
	CHECK_EQ(a->nr_modules, 0);
	CHECK_EQ(a->fw_cfg, CONFIG_OFF);
	CHECK_EQ(a->x2apic, CONFIG_ON);
	/* The default layout: RAM from 0, the legacy hole reserved, all of memory used. */
	CHECK_EQ(a->nr_mem_regions, 3);
	CHECK_EQ(a->mem_regions[0].gpa, 0);
	CHECK_EQ(a->mem_regions[0].size, 0xa0000);
	CHECK_EQ(a->mem_regions[0].type, CONFIG_MEM_RAM);
	CHECK_EQ(a->mem_regions[1].gpa, 0xa0000);
	CHECK_EQ(a->mem_regions[1].size, 0x60000);
	CHECK_EQ(a->mem_regions[1].type, CONFIG_MEM_RESERVED);
	CHECK_EQ(a->mem_regions[2].gpa, 0x100000);
	CHECK_EQ(a->mem_regions[2].size, 15 * MiB);
	CHECK_EQ(a->mem_regions[2].type, CONFIG_MEM_RAM);
	CHECK_STR(b->name, "beta");
	CHECK_EQ(b->cpus[0].id, 2);
	CHECK_STR(b->cmdline, "");
	CHECK_EQ(src.part_line[1][CFG_P_SECTION], 13);
}

TEST(every_key)
{
	CHECK_EQ(compile("[machine]\r\ncpus = 8\r\nmemory = 4G\r\nhousekeeping = 0, 7 # two\r\n"
			 "[ partition linux ]\n"
			 "cpus = 1-3\n"
			 "memory = 0x40000000\n"
			 "image = vmlinux\n"
			 "cmdline = \"console=ttyS0 a=\\\"b\\\" c\\\\d # not a comment\"  # one\n"
			 "modules = initrd, extra\n"
			 "boot = pvh\n"
			 "ioports = 0x70-0x71, 0x80, 96\n"
			 "vuart = 0x2f8\n"
			 "on_crash = restart\n"
			 "\t[partition rtos]   # by APIC ID\n"
			 "cpus = apic:4, apic:0x10-apic:0x11\n"),
		 1); /* "apic:0x10-apic:0x11" is not a range */
	CHECK(strstr(diag.text, "t.cfg:16: partition rtos: cpus:") != NULL);

	CHECK_EQ(compile("[machine]\r\ncpus = 8\r\nmemory = 4G\r\nhousekeeping = 0, 7 # two\r\n"
			 "[ partition linux ]\n"
			 "cpus = 1-3\n"
			 "memory = 0x40000000\n"
			 "image = vmlinux\n"
			 "cmdline = \"console=ttyS0 a=\\\"b\\\" c\\\\d # not a comment\"  # one\n"
			 "modules = initrd, extra\n"
			 "boot = pvh\n"
			 "ioports = 0x70-0x71, 0x80, 96\n"
			 "vuart = 0x2f8\n"
			 "on_crash = restart\n"
			 "fw_cfg = on\n"
			 "x2apic = off\n"
			 "ioapic = off\n"
			 "\t[partition rtos]   # by APIC ID\n"
			 "cpus = apic:4, apic:0x10-0x11\n"
			 "memory = 64m\n"
			 "ram = 0x0:640K, 0x100000 : 62M\n"
			 "image = rtos.elf\n"
			 "boot = multiboot\n"
			 "vuart = off\n"),
		 0);
	CHECK_EQ(cfg.machine_memory, 4 * GiB);
	CHECK_EQ(cfg.nr_housekeeping, 2);
	CHECK_EQ(cfg.housekeeping[1].id, 7);

	const struct partition_config *l = &cfg.partitions[0], *r = &cfg.partitions[1];
	CHECK_STR(l->name, "linux");
	CHECK_EQ(l->nr_cpus, 3);
	CHECK_EQ(l->cpus[0].id, 1);
	CHECK_EQ(l->cpus[2].id, 3);
	CHECK_EQ(l->memory, GiB);
	CHECK_STR(l->cmdline, "console=ttyS0 a=\"b\" c\\d # not a comment");
	CHECK_EQ(l->nr_modules, 2);
	CHECK_STR(l->modules[1], "extra");
	CHECK_EQ(l->boot, CONFIG_BOOT_PVH);
	CHECK_EQ(l->nr_io_ranges, 3);
	CHECK_EQ(l->io_ranges[0].first, 0x70);
	CHECK_EQ(l->io_ranges[0].last, 0x71);
	CHECK_EQ(l->io_ranges[2].first, 96);
	CHECK_EQ(l->io_ranges[2].last, 96);
	CHECK_EQ(l->vuart_port, 0x2f8);
	CHECK_EQ(l->on_crash, CONFIG_ON_CRASH_RESTART);
	CHECK_EQ(l->fw_cfg, CONFIG_ON);
	CHECK_EQ(l->x2apic, CONFIG_OFF);
	CHECK_EQ(l->ioapic, CONFIG_OFF);
	CHECK_EQ(cfg.partitions[1].fw_cfg, CONFIG_OFF);
	CHECK_EQ(cfg.partitions[1].x2apic, CONFIG_ON);
	CHECK_EQ(cfg.partitions[1].ioapic, CONFIG_ON); /* the default */

	CHECK_EQ(r->nr_cpus, 3);
	CHECK_EQ(r->cpus[0].kind, CONFIG_CPU_APIC_ID);
	CHECK_EQ(r->cpus[0].id, 4);
	CHECK_EQ(r->cpus[2].id, 0x11);
	CHECK_EQ(r->memory, 64 * MiB);
	CHECK_EQ(r->nr_mem_regions, 2);
	CHECK_EQ(r->mem_regions[1].gpa, 0x100000);
	CHECK_EQ(r->mem_regions[1].size, 62 * MiB);
	CHECK_EQ(r->boot, CONFIG_BOOT_MULTIBOOT);
	CHECK_EQ(r->vuart_port, CONFIG_VUART_OFF);
	CHECK_EQ(r->on_crash, CONFIG_ON_CRASH_STOP);
}

TEST(emit)
{
	FILE *f = tmpfile();
	char out[16384];
	size_t n;

	CHECK(f != NULL);
	CHECK_EQ(compile(MACHINE ALPHA "cmdline = \"q\\\"uote\\\\ ?\?= \"\nioports = 0x80\n"), 0);
	CHECK_EQ(cfg_emit(f, &cfg, "x*/y.cfg"), 0);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	fclose(f);
	out[n] = '\0';
	CHECK(strstr(out, "x_/y.cfg") != NULL); /* a file name cannot close the comment */
	CHECK(strstr(out, "section(\".tessera_config\")") != NULL);
	CHECK(strstr(out, ".magic = 0x47464354,") != NULL);
	CHECK(strstr(out, ".name = \"alpha\"") != NULL);
	CHECK(strstr(out, ".cmdline = \"q\\\"uote\\\\ \\077\\077= \"") != NULL);
	CHECK(strstr(out, "{.first = 0x80, .last = 0x80},") != NULL);
	CHECK(strstr(out, ".memory = 0x1000000ULL,") != NULL);
	CHECK(strstr(out, ".type = CONFIG_MEM_RESERVED") != NULL);
	CHECK(strstr(out, ".fw_cfg = CONFIG_OFF,") != NULL);
	CHECK(strstr(out, ".x2apic = CONFIG_ON,") != NULL);
}

/* ---- CPUs ------------------------------------------------------------------------ */

TEST(cpu_twice_across_partitions)
{
	REJECT(MACHINE ALPHA "[partition beta]\ncpus = 2, 1\nmemory = 16M\nimage = b\n",
	       "t.cfg:9: partition beta: cpus: CPU 1 is already assigned to partition alpha");
	REJECT(MACHINE ALPHA "[partition beta]\ncpus = apic:3\nmemory = 2M\nimage = b\n"
			     "[partition gamma]\ncpus = apic:3\nmemory = 2M\nimage = c\n",
	       "t.cfg:13: partition gamma: cpus: apic:3 is already assigned to partition beta");
}

TEST(cpu_twice_in_partition)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 1-2, 2\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: CPU 2 listed twice");
}

TEST(cpu_housekeeping)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 0-1\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: CPU 0 is a housekeeping CPU");
	REJECT("[machine]\ncpus = 4\nmemory = 256M\nhousekeeping = 3\n"
	       "[partition alpha]\ncpus = 3\nmemory = 16M\nimage = a\n",
	       "t.cfg:6: partition alpha: cpus: CPU 3 is a housekeeping CPU");
}

TEST(partition_without_cpus)
{
	REJECT(MACHINE "[partition alpha]\nmemory = 16M\nimage = a\n",
	       "t.cfg:4: partition alpha: cpus: partition has no CPUs");
	REJECT(MACHINE "[partition alpha]\ncpus =\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: partition has no CPUs");
}

TEST(cpu_beyond_machine)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 3-4\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: CPU 4 is beyond the machine's 4 CPUs");
	REJECT("[machine]\ncpus = 65\nmemory = 1G\n" ALPHA,
	       "t.cfg:2: machine: cpus: 65 is more than the 64 CPUs");
	REJECT(MACHINE "[partition alpha]\ncpus = apic:0xffffffff\nmemory = 16M\nimage = a\n",
	       "partition alpha: cpus: APIC ID 0xffffffff is the broadcast ID");
}

TEST(housekeeping_missing)
{
	REJECT(MACHINE "housekeeping =\n" ALPHA,
	       "t.cfg:4: machine: housekeeping: housekeeping CPU missing");
	REJECT(MACHINE "housekeeping = 4\n" ALPHA,
	       "t.cfg:4: machine: housekeeping: CPU 4 is beyond the machine's 4 CPUs");
	REJECT(MACHINE "housekeeping = 0,0\n" ALPHA,
	       "t.cfg:4: machine: housekeeping: CPU 0 listed twice");
}

TEST(cpu_range_syntax)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 3-1\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: '3-1': item '3-1': range is inverted");
	REJECT(MACHINE "[partition alpha]\ncpus = 1,,2\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: '1,,2': empty item in the list");
	REJECT(MACHINE "[partition alpha]\ncpus = 1,\nmemory = 16M\nimage = a\n",
	       "partition alpha: cpus: '1,': empty item in the list");
	REJECT(MACHINE "[partition alpha]\ncpus = one\nmemory = 16M\nimage = a\n",
	       "partition alpha: cpus: 'one': item 'one': not a number");
	/* A huge range is refused before it is expanded. */
	REJECT(MACHINE "[partition alpha]\ncpus = 0-0xffffffff\nmemory = 16M\nimage = a\n",
	       "partition alpha: cpus: '0-0xffffffff': more than 16 CPUs");
	REJECT(MACHINE "[partition alpha]\ncpus = apic:0x100000000\nmemory = 16M\nimage = a\n",
	       "item 'apic:0x100000000': too large");
}

/* ---- partitions and sections ----------------------------------------------------- */

TEST(no_partitions)
{
	REJECT(MACHINE, "t.cfg: no partitions");
	REJECT("", "t.cfg: no partitions");
	REJECT(ALPHA, "t.cfg: machine: section [machine] missing");
}

TEST(unknown_section)
{
	REJECT(MACHINE "[guest alpha]\ncpus = 1\n" ALPHA, "t.cfg:4: unknown section [guest alpha]");
	REJECT(MACHINE "[partitionalpha]\n" ALPHA, "t.cfg:4: unknown section [partitionalpha]");
	REJECT(MACHINE "[partition alpha\n", "t.cfg:4: malformed section header");
	REJECT(MACHINE "[partition]\n", "t.cfg:4: section [partition] needs a name");
	REJECT(MACHINE MACHINE ALPHA, "t.cfg:4: machine: section [machine] given twice");
}

TEST(unknown_key)
{
	REJECT(MACHINE ALPHA "colour = blue\n",
	       "t.cfg:8: partition alpha: colour: unknown key (known: cpus, memory,");
	REJECT(MACHINE ALPHA "name = alpha\n", "t.cfg:8: partition alpha: name: unknown key");
	REJECT(MACHINE "image = a\n" ALPHA, "t.cfg:4: machine: image: unknown key");
	REJECT("cpus = 4\n" MACHINE ALPHA, "t.cfg:1: cpus: key outside any section");
	REJECT(MACHINE ALPHA "just words\n", "t.cfg:8: partition alpha: expected 'key = value'");
	REJECT(MACHINE ALPHA "boot pvh\n", "t.cfg:8: partition alpha: expected 'key = value'");
}

TEST(duplicate_key)
{
	REJECT(MACHINE ALPHA "memory = 32M\n",
	       "t.cfg:8: partition alpha: memory: given twice (first on line 6)");
	REJECT(MACHINE "cpus = 8\n" ALPHA, "t.cfg:4: machine: cpus: given twice (first on line 2)");
}

TEST(duplicate_name)
{
	REJECT(MACHINE ALPHA "[partition alpha]\ncpus = 2\nmemory = 16M\nimage = b\n",
	       "t.cfg:8: partition alpha: name: duplicate partition name (also on line 4)");
}

/* Names that would make a partition's "[NAME] " lines look like Tessera's own. */
TEST(reserved_names)
{
	static const char *const bad[] = {"cpu",     "cpu0",	  "cpu12",	"CPU3",	 "tessera",
					  "Tessera", "partition", "partitions", "smp",	 "vmx",
					  "error",   "warning",	  "panic",	"acpi",	 "mem",
					  "memory",  "paging",	  "console",	"PANIC", "tsc"};
	char text[256], msg[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 MACHINE "[partition %s]\ncpus = 1\nmemory = 2M\nimage = a\n", bad[i]);
		snprintf(msg, sizeof(msg),
			 "t.cfg:4: partition %s: name: '%s' is reserved: Tessera's own console "
			 "lines begin with",
			 bad[i], bad[i]);
		REJECT(text, msg);
	}
	CHECK(strstr(diag.text, "with 'tsc'") != NULL);
	REJECT(MACHINE "[partition cpu7]\ncpus = 1\nmemory = 2M\nimage = a\n", "with 'cpuN'");
	/* Words that merely begin like one are fine. */
	static const char *const good[] = {"cpux",	"cpu0a",	 "cp",	 "vmx2", "memtest",
					   "smp-guest", "tessera_guest", "alpha"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text),
			 MACHINE "[partition %s]\ncpus = 1\nmemory = 2M\nimage = a\n", good[i]);
		CHECK_EQ(compile(text), 0);
	}
}

TEST(name_too_long)
{
	REJECT(MACHINE "[partition abcdefghijklmnopqrstuvwxyz0123456]\n",
	       "t.cfg:4: partition name 'abcdefghijklmnopqrstuvwxyz0123456' is longer than 31");
	/* 31 characters fit. */
	CHECK_EQ(compile(MACHINE "[partition abcdefghijklmnopqrstuvwxyz01234]\ncpus = 1\n"
				 "memory = 2M\nimage = a\n"),
		 0);
	REJECT(MACHINE "[partition al.pha]\ncpus = 1\nmemory = 2M\nimage = a\n",
	       "t.cfg:4: partition al.pha: name: 'al.pha' is not a name");
	REJECT(MACHINE ALPHA "modules = "
			     "m0123456789012345678901234567890123456789012345678901234567890123\n",
	       "t.cfg:8: partition alpha: modules:");
	char long_cmdline[700];
	snprintf(long_cmdline, sizeof(long_cmdline), "%s%scmdline = %0520d\n", MACHINE, ALPHA, 7);
	REJECT(long_cmdline, "t.cfg:8: partition alpha: cmdline: '");
	CHECK(strstr(diag.text, "longer than 511 characters") != NULL);
}

TEST(too_many)
{
	char text[4096];
	size_t len = 0;

	len += (size_t)snprintf(text + len, sizeof(text) - len, "[machine]\ncpus=16\nmemory=1G\n");
	for (int i = 1; i <= 9; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"[partition p%d]\ncpus=%d\nmemory=2M\nimage=x\n", i, i);
	REJECT(text, "t.cfg:36: partition p9: more than 8 partitions");

	REJECT("[machine]\ncpus = 64\nmemory = 1G\n"
	       "[partition alpha]\ncpus = 1-17\nmemory = 16M\nimage = a\n",
	       "t.cfg:5: partition alpha: cpus: '1-17': more than 16 CPUs");
	REJECT(MACHINE ALPHA "ioports = 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n",
	       "t.cfg:8: partition alpha: ioports: '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17': "
	       "more than 16 I/O ranges");
	REJECT(MACHINE ALPHA "modules = a, b, c, d, e\n",
	       "t.cfg:8: partition alpha: modules: 'a, b, c, d, e': more than 4 modules");
	REJECT(MACHINE ALPHA "ram = 0:4K,0x1000:4K,0x2000:4K,0x3000:4K,0x4000:4K,0x5000:4K,"
			     "0x6000:4K,0x7000:4K,0x8000:4K\n",
	       "t.cfg:8: partition alpha: ram: '0:4K,0x1000:4K,");
	CHECK(strstr(diag.text, "...': more than 8 regions") != NULL); /* long values cut */
	REJECT("[machine]\ncpus = 16\nmemory = 256M\nhousekeeping = 0-8\n" ALPHA,
	       "t.cfg:4: machine: housekeeping: '0-8': more than 8 CPUs");
}

/* ---- memory ------------------------------------------------------------------------ */

TEST(memory_not_2m_or_zero)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 3M\nimage = a\n",
	       "t.cfg:6: partition alpha: memory: 0x300000 bytes is not a multiple of 2 MiB");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 0\nimage = a\n",
	       "t.cfg:6: partition alpha: memory: missing or zero");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nimage = a\n",
	       "t.cfg:4: partition alpha: memory: missing or zero");
	REJECT("[machine]\ncpus = 4\n" ALPHA, "t.cfg:1: machine: memory: missing or zero");
}

TEST(memory_does_not_fit)
{
	/* 16 + 16 + 32 reserve = 64: fits exactly; one more 2 MiB does not. */
	CHECK_EQ(compile("[machine]\ncpus = 4\nmemory = 64M\n" ALPHA BETA), 0);
	REJECT("[machine]\ncpus = 4\nmemory = 64M\n" ALPHA
	       "[partition beta]\ncpus = 2\nmemory = 18M\nimage = b\n",
	       "t.cfg:10: partition beta: memory: does not fit: partitions up to this one need "
	       "34 MiB plus 32 MiB for Tessera, the machine has 64 MiB");
	/* Sums that would overflow 64 bits. */
	REJECT("[machine]\ncpus = 4\nmemory = 0xffffffffffffffff\n" ALPHA
	       "[partition beta]\ncpus = 2\nmemory = 0xffffffffffe00000\nimage = b\n",
	       "t.cfg:10: partition beta: memory: does not fit");
}

TEST(bad_sizes_and_numbers)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16Q\nimage = a\n",
	       "t.cfg:6: partition alpha: memory: '16Q': not a size");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = M\nimage = a\n",
	       "partition alpha: memory: 'M': not a size");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16MB\nimage = a\n",
	       "partition alpha: memory: '16MB': not a size");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = -16M\nimage = a\n",
	       "partition alpha: memory: '-16M': not a size");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 18446744073709551616\nimage = a\n",
	       "partition alpha: memory: '18446744073709551616': too large");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 17179869184G\nimage = a\n",
	       "partition alpha: memory: '17179869184G': too large");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 0x\nimage = a\n",
	       "partition alpha: memory: '0x': not a size");
	REJECT("[machine]\ncpus = 0x100000000\nmemory = 1G\n" ALPHA,
	       "t.cfg:2: machine: cpus: '0x100000000': too large");
	REJECT("[machine]\ncpus = 4 cpus\nmemory = 1G\n" ALPHA,
	       "t.cfg:2: machine: cpus: '4 cpus': not a number");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16M\nimage = a\nvuart = 0x10000\n",
	       "t.cfg:8: partition alpha: vuart: '0x10000': too large");
}

TEST(bad_enums)
{
	REJECT(MACHINE ALPHA "boot = bios\n",
	       "t.cfg:8: partition alpha: boot: 'bios': not one of auto, pvh, multiboot");
	REJECT(MACHINE ALPHA "on_crash = reboot\n",
	       "t.cfg:8: partition alpha: on_crash: 'reboot': not one of stop, restart");
	REJECT(MACHINE ALPHA "boot = PVH\n", "partition alpha: boot: 'PVH': not one of");
	REJECT(MACHINE ALPHA "fw_cfg = yes\n",
	       "t.cfg:8: partition alpha: fw_cfg: 'yes': not one of off, on");
	REJECT(MACHINE ALPHA "x2apic = 1\n",
	       "t.cfg:8: partition alpha: x2apic: '1': not one of off, on");
	REJECT(MACHINE ALPHA "x2apic =\n", "t.cfg:8: partition alpha: x2apic:");
	REJECT(MACHINE ALPHA "ioapic = yes\n",
	       "t.cfg:8: partition alpha: ioapic: 'yes': not one of off, on");
	REJECT(MACHINE ALPHA "fw_cfg = on\nfw_cfg = off\n", "t.cfg:9: partition alpha: fw_cfg");
	REJECT(MACHINE ALPHA "timer = hpet\n",
	       "t.cfg:8: partition alpha: timer: 'hpet': not one of auto, posted, emulated");
	REJECT(MACHINE ALPHA "timer = Posted\n", "partition alpha: timer: 'Posted': not one of");
	REJECT(MACHINE ALPHA "halt = poll\n",
	       "t.cfg:8: partition alpha: halt: 'poll': not one of exit, passthrough");
	REJECT(MACHINE ALPHA "pause = ple\n",
	       "t.cfg:8: partition alpha: pause: 'ple': not one of passthrough, exit");
	REJECT(MACHINE ALPHA "halt =\n", "partition alpha: halt:");
	REJECT(MACHINE ALPHA "hyperv = yes\n",
	       "t.cfg:8: partition alpha: hyperv: 'yes': not one of off, on");
	REJECT(MACHINE ALPHA "hyperv = ON\n", "t.cfg:8: partition alpha: hyperv: 'ON': not one of");
	REJECT(MACHINE ALPHA "hyperv = 1\n", "partition alpha: hyperv: '1': not one of off, on");
	REJECT(MACHINE ALPHA "hyperv =\n", "t.cfg:8: partition alpha: hyperv:");
	REJECT(MACHINE ALPHA "xom = yes\n",
	       "t.cfg:8: partition alpha: xom: 'yes': not one of off, on, user");
	REJECT(MACHINE ALPHA "xom = supervisor\n",
	       "partition alpha: xom: 'supervisor': not one of");
	REJECT(MACHINE ALPHA "xom =\n", "t.cfg:8: partition alpha: xom:");
	REJECT(MACHINE ALPHA "pmu = 1\n", "t.cfg:8: partition alpha: pmu: '1': not one of off, on");
	REJECT(MACHINE ALPHA "pmu = lbr\n", "partition alpha: pmu: 'lbr': not one of off, on");
}

TEST(timer_halt_pause)
{
	const struct partition_config *a = &cfg.partitions[0];

	CHECK_EQ(compile(MACHINE ALPHA "timer = posted\nhalt = passthrough\npause = exit\n"), 0);
	CHECK(a->timer == CONFIG_TIMER_POSTED && a->halt == CONFIG_HALT_PASSTHROUGH &&
	      a->pause == CONFIG_PAUSE_EXIT);
	CHECK_EQ(compile(MACHINE ALPHA "timer = emulated\nhalt = exit\npause = passthrough\n"), 0);
	CHECK(a->timer == CONFIG_TIMER_EMULATED && a->halt == CONFIG_HALT_EXIT &&
	      a->pause == CONFIG_PAUSE_PASSTHROUGH);
	CHECK_EQ(compile(MACHINE ALPHA "timer = auto\n"), 0);
	CHECK_EQ(a->timer, CONFIG_TIMER_AUTO);
	REJECT(MACHINE ALPHA "timer = posted\ntimer = emulated\n", "partition alpha: timer:");
}

TEST(xom_pmu_keys)
{
	const struct partition_config *a = &cfg.partitions[0];

	CHECK_EQ(compile(MACHINE ALPHA "xom = on\n"), 0);
	CHECK_EQ(a->xom, CONFIG_XOM_ON);
	CHECK_EQ(compile(MACHINE ALPHA "xom = user\npmu = on\n"), 0);
	CHECK_EQ(a->xom, CONFIG_XOM_USER);
	CHECK_EQ(a->pmu, CONFIG_ON);
	CHECK_EQ(compile(MACHINE ALPHA "xom = off\npmu = off\n"), 0);
	CHECK_EQ(a->xom, CONFIG_XOM_OFF);
	CHECK_EQ(a->pmu, CONFIG_OFF);
	REJECT(MACHINE ALPHA "xom = on\nxom = user\n", "t.cfg:9: partition alpha: xom:");
	REJECT(MACHINE ALPHA "pmu = on\npmu = on\n", "t.cfg:9: partition alpha: pmu:");
}

TEST(hyperv_key)
{
	const struct partition_config *a = &cfg.partitions[0];

	CHECK_EQ(compile(MACHINE ALPHA "hyperv = on\n"), 0);
	CHECK_EQ(a->hyperv, CONFIG_ON);
	CHECK_EQ(compile(MACHINE ALPHA "hyperv = off\n"), 0);
	CHECK_EQ(a->hyperv, CONFIG_OFF);
	REJECT(MACHINE ALPHA "hyperv = on\nhyperv = off\n", "t.cfg:9: partition alpha: hyperv:");
}

TEST(restart_limit)
{
	const struct partition_config *a = &cfg.partitions[0];

	CHECK_EQ(compile(MACHINE ALPHA "on_crash = restart\nrestart_limit = 3/60s\n"), 0);
	CHECK(a->restart_limit == 3 && a->restart_window_s == 60);
	CHECK_EQ(compile(MACHINE ALPHA "restart_limit = 1000/3600\n"), 0); /* the `s` is optional */
	CHECK(a->restart_limit == 1000 && a->restart_window_s == 3600);
	CHECK_EQ(compile(MACHINE ALPHA "restart_limit = 0x2/1s\n"), 0);
	CHECK(a->restart_limit == 2 && a->restart_window_s == 1);
	REJECT(MACHINE ALPHA "restart_limit = 5\n",
	       "t.cfg:8: partition alpha: restart_limit: '5': not COUNT/SECONDS (like 5/10s)");
	REJECT(MACHINE ALPHA "restart_limit = /10s\n", "restart_limit: '/10s': not COUNT/SECONDS");
	REJECT(MACHINE ALPHA "restart_limit = 5/\n", "restart_limit: '5/': not COUNT/SECONDS");
	REJECT(MACHINE ALPHA "restart_limit = 5/s\n", "restart_limit: '5/s': not COUNT/SECONDS");
	REJECT(MACHINE ALPHA "restart_limit = 5/10m\n", "restart_limit: '5/10m': not a number");
	REJECT(MACHINE ALPHA "restart_limit = x/10s\n", "restart_limit: 'x/10s': not a number");
	REJECT(MACHINE ALPHA "restart_limit = 5/99999999999s\n", "'5/99999999999s': too large");
	REJECT(MACHINE ALPHA "restart_limit = 0/10s\n",
	       "t.cfg:8: partition alpha: restart_limit: 0 restarts: allowed are 1 to 1000");
	REJECT(MACHINE ALPHA "restart_limit = 1001/10s\n", "1001 restarts: allowed are 1 to 1000");
	REJECT(MACHINE ALPHA "restart_limit = 5/0s\n",
	       "restart_limit: a window of 0 s: allowed are 1 to 3600 s");
	REJECT(MACHINE ALPHA "restart_limit = 5/3601s\n",
	       "a window of 3601 s: allowed are 1 to 3600 s");
	REJECT(MACHINE ALPHA "restart_limit = 5/10s\nrestart_limit = 5/10s\n", "restart_limit");
}

TEST(ram_layout)
{
	REJECT(MACHINE ALPHA "ram = 0x0:2M, 0x100000:1M\n",
	       "t.cfg:8: partition alpha: ram: region 0x100000-0x1fffff overlaps region "
	       "0x0-0x1fffff");
	REJECT(MACHINE ALPHA "ram = 0x0:8M, 0x1000000:9M\n",
	       "t.cfg:8: partition alpha: ram: regions need 0x1100000 bytes, more than memory "
	       "(0x1000000)");
	REJECT(MACHINE ALPHA "ram = 0x800:4K\n",
	       "t.cfg:8: partition alpha: ram: region 0x800:0x1000 must be nonzero and 4 KiB "
	       "aligned");
	REJECT(MACHINE ALPHA "ram = 0x0:0\n",
	       "partition alpha: ram: region 0x0:0x0 must be nonzero");
	REJECT(MACHINE ALPHA "ram = 0xfffffffffffff000:4K\n",
	       "partition alpha: ram: region 0xfffffffffffff000:0x1000 reaches beyond");
	REJECT(MACHINE ALPHA "ram = 0x1000\n", "partition alpha: ram: '0x1000': item '0x1000': "
					       "expected BASE:SIZE");
	REJECT(MACHINE ALPHA "ram = 0x1000:4X\n", "partition alpha: ram: '0x1000:4X': size '4X'");
	/* Overlap found even when the earlier region is the one out of reach. */
	REJECT(MACHINE ALPHA "ram = 0xfffffffffffff000:8K, 0:4K\n", "reaches beyond");
	/* Explicit layout with a hole, using less than memory: fine. */
	CHECK_EQ(compile(MACHINE ALPHA "ram = 0x0:640K, 0x100000:15M\n"), 0);
	CHECK_EQ(cfg.partitions[0].nr_mem_regions, 2);
}

/* ---- I/O ports ----------------------------------------------------------------------- */

TEST(ioports_claimed_twice)
{
	REJECT(MACHINE ALPHA
	       "ioports = 0x70-0x71\n"
	       "[partition beta]\ncpus = 2\nmemory = 16M\nimage = b\nioports = 0x71\n",
	       "t.cfg:13: partition beta: ioports: 0x71 is already given to partition alpha");
	REJECT(MACHINE ALPHA "ioports = 0x60-0x64, 0x64\n",
	       "t.cfg:8: partition alpha: ioports: 0x64 is claimed twice");
}

TEST(ioports_reserved)
{
	REJECT(MACHINE ALPHA "vuart = 0x2f8\nioports = 0x2f0-0x2f8\n",
	       "t.cfg:9: partition alpha: ioports: 0x2f0-0x2f8 overlaps the partition's own "
	       "vuart (0x2f8-0x2ff)");
	REJECT(MACHINE ALPHA "ioports = 0xf7\n",
	       "t.cfg:8: partition alpha: ioports: 0xf7 overlaps the debug-exit port");
	REJECT(MACHINE ALPHA "vuart = off\nioports = 0x3fd\n",
	       "t.cfg:9: partition alpha: ioports: 0x3fd overlaps Tessera's console UART");
	REJECT(MACHINE ALPHA "fw_cfg = on\nioports = 0x500-0x510\n",
	       "t.cfg:9: partition alpha: ioports: 0x500-0x510 overlaps the partition's own "
	       "fw_cfg ports (0x510-0x511)");
	REJECT(MACHINE ALPHA "vuart = 0x50c\nfw_cfg = on\n",
	       "t.cfg:8: partition alpha: vuart: ports 0x50c-0x513 overlap the partition's own "
	       "fw_cfg ports (0x510-0x511)");
	/* Without the device the ports are free to pass through or emulate. */
	CHECK_EQ(compile(MACHINE ALPHA "ioports = 0x510-0x511\n"), 0);
	CHECK_EQ(compile(MACHINE ALPHA "vuart = 0x50c\n"), 0);
	/* Another partition's vuart is virtual: the same port range is fine there. */
	CHECK_EQ(compile(MACHINE ALPHA "vuart = 0x2f8\n"
				       "[partition beta]\ncpus = 2\nmemory = 16M\nimage = b\n"
				       "vuart = off\nioports = 0x2f8-0x2ff\n"),
		 0);
}

TEST(ioports_inverted_and_bad)
{
	REJECT(MACHINE ALPHA "ioports = 0x71-0x70\n",
	       "t.cfg:8: partition alpha: ioports: range 0x71-0x70 is inverted");
	REJECT(MACHINE ALPHA "ioports = 0x70-0x10000\n",
	       "t.cfg:8: partition alpha: ioports: '0x70-0x10000': item '0x70-0x10000': too large");
	REJECT(MACHINE ALPHA "ioports = 0x70-\n", "partition alpha: ioports: '0x70-': item");
}

TEST(vuart)
{
	REJECT(MACHINE ALPHA "vuart = 0xfffa\n",
	       "t.cfg:8: partition alpha: vuart: port 0xfffa: its 8 ports reach beyond 0xffff");
	REJECT(MACHINE ALPHA "vuart = 0xf0\n",
	       "t.cfg:8: partition alpha: vuart: ports 0xf0-0xf7 overlap the debug-exit port");
	REJECT(MACHINE ALPHA "vuart = 0\n", "t.cfg:8: partition alpha: vuart: '0': port 0");
	CHECK_EQ(compile(MACHINE ALPHA "vuart = 0xfff8\n"), 0);
}

/* ---- images, strings, syntax -------------------------------------------------------- */

TEST(image)
{
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16M\n",
	       "t.cfg:4: partition alpha: image: missing");
	REJECT(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16M\nimage = \"two words\"\n",
	       "t.cfg:7: partition alpha: image: 'two words' is not a module name");
	CHECK_EQ(compile(MACHINE ALPHA "modules = \"a,b\"\n"), 0); /* quotes change nothing */
	CHECK_EQ(cfg.partitions[0].nr_modules, 2);
}

TEST(quoting_and_lines)
{
	REJECT(MACHINE ALPHA "cmdline = \"open\n",
	       "t.cfg:8: partition alpha: cmdline: unterminated quoted string");
	REJECT(MACHINE ALPHA "cmdline = \"a\" b\n",
	       "t.cfg:8: partition alpha: cmdline: text after the closing quote");
	REJECT(MACHINE ALPHA "cmdline = \"a\\n\"\n",
	       "t.cfg:8: partition alpha: cmdline: unknown escape '\\n'");
	REJECT(MACHINE ALPHA "cmdline = \"a\\\n", "t.cfg:8: partition alpha: cmdline:");

	char longline[CFG_LINE_MAX + 200];
	snprintf(longline, sizeof(longline), MACHINE ALPHA "cmdline = \"%01100d\"\n", 1);
	REJECT(longline, "t.cfg:8: partition alpha: line longer than 1023 characters");

	static const char nul[] = MACHINE ALPHA "cmdline = a\0b\n";
	cfg_diag_init(&diag);
	CHECK(cfg_parse("t.cfg", nul, sizeof(nul) - 1, &cfg, &src, &diag) > 0);
	CHECK(strstr(diag.text, "t.cfg:8: partition alpha: NUL byte in the line") != NULL);

	/* Control characters reach the checker through a quoted string. */
	REJECT(MACHINE ALPHA "cmdline = \"a\tb\"\n",
	       "t.cfg:8: partition alpha: cmdline: control or non-ASCII character 0x9");
}

/* ---- the checker on hostile tables --------------------------------------------------- */

TEST(check_hostile_table)
{
	CHECK_EQ(compile(MACHINE ALPHA), 0);
	cfg.partitions[0].nr_cpus = 1000;
	cfg.partitions[0].nr_io_ranges = 0xffffffff;
	cfg_diag_init(&diag);
	CHECK(cfg_check(&cfg, &src, &diag) >= 2);
	CHECK(strstr(diag.text, "t.cfg:5: partition alpha: cpus: 1000 entries, more than 16") !=
	      NULL);

	CHECK_EQ(compile(MACHINE ALPHA), 0);
	memset(cfg.partitions[0].name, 'x', sizeof(cfg.partitions[0].name));
	cfg_diag_init(&diag);
	CHECK(cfg_check(&cfg, &src, &diag) > 0);
	CHECK(strstr(diag.text, "name not terminated") != NULL);

	CHECK_EQ(compile(MACHINE ALPHA), 0);
	cfg.partitions[0].boot = 7;
	cfg.partitions[0].cpus[0].kind = 9;
	cfg.partitions[0].mem_regions[0].type = 0;
	cfg.nr_partitions = 99;
	cfg_diag_init(&diag);
	CHECK(cfg_check(&cfg, &src, &diag) > 0);
	CHECK(strstr(diag.text, "99 partitions, more than 8") != NULL);
	cfg.nr_partitions = 1;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 3);
	cfg.partitions[0].timer = 3;
	cfg.partitions[0].halt = 2;
	cfg.partitions[0].pause = 0xffffffff;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 6);
	CHECK(strstr(diag.text, "timer: 3 is not a timer mode") != NULL);
	CHECK(strstr(diag.text, "halt: 2 is not a HLT mode") != NULL);
	CHECK(strstr(diag.text, "pause: 4294967295 is not a PAUSE mode") != NULL);
	cfg.partitions[0].timer = cfg.partitions[0].halt = cfg.partitions[0].pause = 0;
	cfg.partitions[0].hyperv = 2;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 4);
	CHECK(strstr(diag.text, "hyperv: 2 is not on or off") != NULL);
	cfg.partitions[0].hyperv = 0;
	cfg.partitions[0].xom = 3;
	cfg.partitions[0].pmu = 2;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 5);
	CHECK(strstr(diag.text, "xom: 3 is not off, on or user") != NULL);
	CHECK(strstr(diag.text, "pmu: 2 is not on or off") != NULL);
	cfg.partitions[0].xom = cfg.partitions[0].pmu = 0;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 3);
	CHECK(strstr(diag.text, "boot: 7 is not a boot protocol") != NULL);
	CHECK(strstr(diag.text, "cpus: CPU kind 9") != NULL);
	CHECK(strstr(diag.text, "ram: region 0 has unknown type 0") != NULL);

	CHECK_EQ(compile(MACHINE ALPHA), 0);
	cfg.partitions[0].fw_cfg = 2;
	cfg.partitions[0].x2apic = 0xffffffff;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 2);
	CHECK(strstr(diag.text, "t.cfg:4: partition alpha: fw_cfg: 2 is not on or off") != NULL);
	CHECK(strstr(diag.text, "partition alpha: x2apic: 4294967295 is not on or off") != NULL);

	cfg.magic = 0;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 1);
}

/* ---- shared memory ------------------------------------------------------------------- */

/* Lines 12-15 after MACHINE ALPHA BETA. */
#define SHMEM(extra) "[shmem ring]\nsize = 64K\npeers = alpha, beta:ro\n" extra

TEST(shmem_good)
{
	CHECK_EQ(compile(MACHINE ALPHA BETA SHMEM("gpa = beta:0xd0000000\n")), 0);
	CHECK_EQ(cfg.nr_shmem, 1);
	const struct config_shmem *s = &cfg.shmem[0];
	CHECK_STR(s->name, "ring");
	CHECK_EQ(s->size, 64 * KiB);
	CHECK_EQ(s->nr_peers, 2);
	CHECK_EQ(s->notify_on_read, CONFIG_OFF);
	CHECK_EQ(s->peers[0].partition, 0);
	CHECK_EQ(s->peers[0].access, CONFIG_SHMEM_RW);
	CHECK_EQ(s->peers[0].gpa, CONFIG_SHMEM_AUTO_BASE); /* auto: the first free place */
	CHECK_EQ(s->peers[1].partition, 1);
	CHECK_EQ(s->peers[1].access, CONFIG_SHMEM_RO);
	CHECK_EQ(s->peers[1].gpa, 0xd0000000);

	/* The section before the partitions it names; a second region is placed after the first. */
	CHECK_EQ(compile(MACHINE "[shmem a]\nsize = 4K\npeers = alpha, beta\nnotify_on_read = on\n"
				 "[shmem b]\nsize = 4M\npeers = beta, alpha\n" ALPHA BETA),
		 0);
	CHECK_EQ(cfg.shmem[0].notify_on_read, CONFIG_ON);
	CHECK_EQ(cfg.shmem[0].peers[0].gpa, CONFIG_SHMEM_AUTO_BASE);
	/* 4 KiB and its doorbell page, then the next 2 MiB boundary for a 4 MiB region. */
	CHECK_EQ(cfg.shmem[1].peers[0].gpa, CONFIG_SHMEM_AUTO_BASE + 2 * MiB);
	CHECK_EQ(cfg.shmem[1].peers[1].gpa, CONFIG_SHMEM_AUTO_BASE + 2 * MiB);

	/* A RAM region where auto would start: placed after it. */
	CHECK_EQ(compile(MACHINE "[partition alpha]\ncpus = 1\nmemory = 16M\nimage = a\n"
				 "ram = 0:8M, 0xc0000000:8M\n" BETA SHMEM("")),
		 0);
	CHECK_EQ(cfg.shmem[0].peers[0].gpa, CONFIG_SHMEM_AUTO_BASE + 8 * MiB);
	CHECK_EQ(cfg.shmem[0].peers[1].gpa, CONFIG_SHMEM_AUTO_BASE);

	FILE *f = tmpfile();
	char out[16384];
	size_t n;

	CHECK(f != NULL);
	CHECK_EQ(compile(MACHINE ALPHA BETA SHMEM("")), 0);
	CHECK_EQ(cfg_emit(f, &cfg, "t.cfg"), 0);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	fclose(f);
	out[n] = '\0';
	CHECK(strstr(out, ".nr_shmem = 1,") != NULL);
	CHECK(strstr(out, "{.partition = 1, .access = CONFIG_SHMEM_RO, .gpa = 0xc0000000ULL},") !=
	      NULL);
}

TEST(shmem_rejected)
{
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 64K\npeers = alpha, gamma\n",
	       "t.cfg:14: shmem ring: peers: no partition named 'gamma'");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 64K\npeers = alpha\n",
	       "t.cfg:14: shmem ring: peers: 1 peers: a region is shared by 2 to 4 partitions");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 64K\npeers = alpha, alpha\n",
	       "t.cfg:14: shmem ring: peers: partition alpha is listed twice");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 64K\npeers = alpha:ro, beta:ro\n",
	       "t.cfg:14: shmem ring: peers: every peer is ro: at least one must be rw");
	REJECT(
	    MACHINE ALPHA BETA "[shmem ring]\nsize = 64K\npeers = alpha:wo, beta\n",
	    "t.cfg:14: shmem ring: peers: 'alpha:wo, beta': peer 'alpha': access 'wo' is not rw");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\npeers = alpha, beta\n",
	       "t.cfg:12: shmem ring: size: 0x0 bytes: a nonzero multiple of 4 KiB");
	REJECT(MACHINE ALPHA BETA SHMEM("size = 1\n"), "t.cfg:15: shmem ring: size: given twice");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 6000\npeers = alpha, beta\n",
	       "t.cfg:13: shmem ring: size: 0x1770 bytes: a nonzero multiple of 4 KiB");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 2G\npeers = alpha, beta\n",
	       "t.cfg:13: shmem ring: size: 0x80000000 bytes: a nonzero multiple of 4 KiB, at "
	       "most 1024 MiB");
	REJECT(MACHINE ALPHA BETA "[shmem ring]\nsize = 512M\npeers = alpha, beta\n",
	       "t.cfg:13: shmem ring: size: does not fit");
	/* The address of one peer: inside its RAM, over the APIC window, unaligned. */
	REJECT(MACHINE ALPHA BETA SHMEM("gpa = alpha:0x800000\n"),
	       "t.cfg:15: shmem ring: gpa: partition alpha: 0x800000-0x810fff (the region and its "
	       "doorbell page) overlaps its ram 0x100000-0xffffff");
	REJECT(MACHINE ALPHA BETA SHMEM("gpa = beta:0xfedf0000\n"),
	       "t.cfg:15: shmem ring: gpa: partition beta: 0xfedf0000-0xfee00fff overlaps the APIC "
	       "window 0xfee00000");
	REJECT(MACHINE ALPHA BETA SHMEM("gpa = beta:0xd0000100\n"),
	       "t.cfg:15: shmem ring: gpa: partition beta: 0xd0000100 must be 4 KiB aligned");
	REJECT(MACHINE ALPHA BETA SHMEM("gpa = gamma:0xd0000000\n"),
	       "t.cfg:15: shmem ring: gpa: 'gamma' is not one of the region's peers");
	REJECT(MACHINE ALPHA BETA SHMEM("gpa = beta:auto, beta:0xd0000000\n"),
	       "t.cfg:15: shmem ring: gpa: 'beta' is given twice");
	REJECT(
	    MACHINE ALPHA BETA SHMEM("gpa = beta\n"),
	    "t.cfg:15: shmem ring: gpa: 'beta': item 'beta': expected PEER:ADDRESS or PEER:auto");
	/* Two regions at the same place in one partition. */
	REJECT(
	    MACHINE ALPHA BETA SHMEM(
		"gpa = beta:0xd0000000\n") "[shmem two]\nsize = 4K\npeers = alpha, beta\ngpa = "
					   "beta:0xd0010000\n",
	    "t.cfg:19: shmem two: gpa: partition beta: 0xd0010000-0xd0011fff overlaps shmem ring");
	REJECT(MACHINE ALPHA BETA SHMEM("") SHMEM(""),
	       "t.cfg:15: shmem ring: name: duplicate shmem name (also on line 12)");
	REJECT(MACHINE ALPHA BETA "[shmem]\n", "t.cfg:12: section [shmem] needs a name");
	REJECT(MACHINE ALPHA BETA SHMEM("notify_on_read = yes\n"),
	       "t.cfg:15: shmem ring: notify_on_read: 'yes': not one of off, on");
	REJECT(MACHINE ALPHA BETA SHMEM("doorbell = 1\n"),
	       "t.cfg:15: shmem ring: doorbell: unknown key (known: size, peers, gpa, "
	       "notify_on_read)");

	/* The checker alone, on a table cfgc did not write. */
	CHECK_EQ(compile(MACHINE ALPHA BETA SHMEM("")), 0);
	cfg.shmem[0].peers[1].partition = 7;
	cfg.shmem[0].notify_on_read = 5;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 2);
	CHECK(strstr(diag.text, "peers: peer 1: partition index 7 out of range") != NULL);
	CHECK(strstr(diag.text, "notify_on_read: 5 is not on or off") != NULL);
	cfg.nr_shmem = 9;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 1);
	CHECK(strstr(diag.text, "9 shmem regions, more than 8") != NULL);
	CHECK_EQ(compile(MACHINE ALPHA BETA SHMEM("")), 0);
	memset(cfg.shmem[0].name, 'x', sizeof(cfg.shmem[0].name));
	cfg.shmem[0].nr_peers = 100;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 1);
	CHECK(strstr(diag.text, "name not terminated") != NULL);
}

TEST(lapic_key)
{
	CHECK_EQ(compile(MACHINE ALPHA "lapic = passthrough\n"), 0);
	CHECK_EQ(cfg.partitions[0].lapic, CONFIG_LAPIC_PASSTHROUGH);
	CHECK_EQ(compile(MACHINE ALPHA), 0);
	CHECK_EQ(cfg.partitions[0].lapic, CONFIG_LAPIC_VIRTUAL);
	REJECT(MACHINE ALPHA "lapic = pass\n",
	       "t.cfg:8: partition alpha: lapic: 'pass': not one of virtual, passthrough");
	REJECT(MACHINE ALPHA "lapic = passthrough\nx2apic = off\n",
	       "t.cfg:8: partition alpha: lapic: passthrough needs x2apic = on");
	REJECT(MACHINE ALPHA "lapic = passthrough\ntimer = posted\n",
	       "t.cfg:9: partition alpha: timer: not used with lapic = passthrough");
	CHECK_EQ(compile(MACHINE ALPHA), 0);
	cfg.partitions[0].lapic = 2;
	cfg_diag_init(&diag);
	CHECK_EQ(cfg_check(&cfg, &src, &diag), 1);
	CHECK(strstr(diag.text, "lapic: 2 is not a LAPIC mode") != NULL);
}

int main(void)
{
	CHECK_MAIN("config");
	RUN(default_config);
	RUN(every_key);
	RUN(emit);
	RUN(cpu_twice_across_partitions);
	RUN(cpu_twice_in_partition);
	RUN(cpu_housekeeping);
	RUN(partition_without_cpus);
	RUN(cpu_beyond_machine);
	RUN(housekeeping_missing);
	RUN(cpu_range_syntax);
	RUN(no_partitions);
	RUN(unknown_section);
	RUN(unknown_key);
	RUN(duplicate_key);
	RUN(duplicate_name);
	RUN(reserved_names);
	RUN(name_too_long);
	RUN(too_many);
	RUN(memory_not_2m_or_zero);
	RUN(memory_does_not_fit);
	RUN(bad_sizes_and_numbers);
	RUN(bad_enums);
	RUN(timer_halt_pause);
	RUN(hyperv_key);
	RUN(xom_pmu_keys);
	RUN(ram_layout);
	RUN(ioports_claimed_twice);
	RUN(ioports_reserved);
	RUN(ioports_inverted_and_bad);
	RUN(vuart);
	RUN(restart_limit);
	RUN(image);
	RUN(quoting_and_lines);
	RUN(check_hostile_table);
	RUN(shmem_good);
	RUN(shmem_rejected);
	RUN(lapic_key);
	return CHECK_END();
}
