/*
 * First C code on the boot CPU: install the per-CPU pointer, bring up the
 * console, turn the loader's structures into a struct boot_info and hand over
 * to the hypervisor proper.
 */
#include "boot/boot_info.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "drivers/console.h"
#include "lib/log.h"
#include "lib/string.h"
#include "hv/core/hv.h"

void boot_main(uint32_t protocol, uint32_t info_pa, uint32_t magic);

static struct boot_info boot_info;
uint64_t boot_tsc; /* TSC at Tessera's first C instruction, for start-up figures */

/* Memory is identity mapped (4 GiB by the boot tables), and loader data lives below 4 GiB. */
static const void *identity_reader(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa >= 4 * GiB || len > 4 * GiB - pa)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) == n && !strncmp(p, word, n))
			return true;
		p = end;
	}
	return false;
}

void boot_main(uint32_t protocol, uint32_t info_pa, uint32_t magic)
{
	struct boot_info *bi = &boot_info;
	int err;

	boot_tsc = rdtsc();
	percpu[0].index = 0;
	percpu_install(&percpu[0]);
	console_init();

	if (protocol == BOOT_PROTO_MULTIBOOT2) {
		if (magic != MB2_BOOTLOADER_MAGIC)
			panic("boot: entered by multiboot2 with EAX=%#x, not 0x36d76289", magic);
		err = mb2_parse(info_pa, identity_reader, bi);
	} else {
		err = pvh_parse(info_pa, identity_reader, bi);
	}
	if (err)
		panic("boot: cannot use the boot information at %#x (%s)", info_pa,
		      protocol == BOOT_PROTO_PVH ? "PVH" : "multiboot2");
	console_set_e9(cmdline_has(bi->cmdline, "e9"));
	memmap_normalize(bi);
	hv_main(bi);
}
