/*
 * hv/load/: guest_load() as a partition's boot runs it, on a hostile image:
 * the protocol choice (PVH note, ELF32/64, multiboot v1 with or without the
 * a.out kludge), the checks of every destination, the copy into guest RAM and
 * the boot information. Input: one control byte (bits 0-1: cfg->boot, bits
 * 2-3: how many of the two modules, bit 4: a single RAM region instead of the
 * default layout with the legacy hole), then the image.
 * The contract: failure logs exactly one line "partition fz: image img: ...";
 * success logs one line, and the entry point, the GDT and the boot
 * information lie in guest RAM as the protocol says.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/load/loader.h"
#include "guest-abi/multiboot.h"
#include "guest-abi/pvh.h"

#define RAM_SIZE (4 * 1024 * 1024)

static uint8_t *ram; /* guest-physical 0 .. RAM_SIZE */
static struct guest_mem mem;

static void *ram_ptr(void *opaque, uint64_t gpa, uint64_t len)
{
	(void)opaque;
	for (uint32_t i = 0; i < mem.nr_regions; i++) {
		const struct guest_mem_region *r = &mem.regions[i];

		if (r->type == CONFIG_MEM_RAM && gpa >= r->gpa && gpa - r->gpa <= r->size &&
		    len <= r->size - (gpa - r->gpa))
			return ram + gpa;
	}
	return NULL;
}

static void set_layout(int single)
{
	static const struct guest_mem_region def[] = {
	    {0, 0xa0000, CONFIG_MEM_RAM},
	    {0xa0000, 0x60000, CONFIG_MEM_RESERVED},
	    {0x100000, RAM_SIZE - 0x100000, CONFIG_MEM_RAM},
	};

	memset(&mem, 0, sizeof(mem));
	mem.ptr = ram_ptr;
	if (single) {
		mem.nr_regions = 1;
		mem.regions[0] = (struct guest_mem_region){0, RAM_SIZE, CONFIG_MEM_RAM};
	} else {
		mem.nr_regions = 3;
		memcpy(mem.regions, def, sizeof(def));
	}
}

static int one_line(const char *log)
{
	const char *nl = strchr(log, '\n');

	return nl && nl[1] == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t initrd[600] = {1, 2, 3};
	static const struct guest_module mods[2] = {
	    {initrd, sizeof(initrd), "initrd root=/dev/ram0"},
	    {"hello", 5, NULL},
	};
	static struct partition_config cfg;
	struct guest_entry entry;
	uint8_t *image;
	int rc;

	if (size < 1)
		return 0;
	if (!ram)
		ram = aligned_alloc(4096, RAM_SIZE);
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "fz");
	strcpy(cfg.image, "img");
	strcpy(cfg.cmdline, "console=ttyS0");
	cfg.boot = data[0] & 3;
	set_layout(data[0] & 0x10);
	image = malloc(size - 1 ? size - 1 : 1);
	memcpy(image, data + 1, size - 1);
	memset(&entry, 0, sizeof(entry));
	check_log_clear();

	rc = guest_load("fz", &cfg, image, size - 1, mods, MIN((data[0] >> 2) & 3, 2u), &mem,
			&entry);
	FUZZ_CHECK(one_line(check_log));
	if (rc < 0) {
		FUZZ_CHECK(strncmp(check_log, "partition fz: image img: ", 25) == 0);
		free(image);
		return 0;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(entry.protocol == CONFIG_BOOT_PVH || entry.protocol == CONFIG_BOOT_MULTIBOOT);
	FUZZ_CHECK(cfg.boot == CONFIG_BOOT_AUTO || entry.protocol == cfg.boot);
	FUZZ_CHECK(entry.rip < RAM_SIZE && ram_ptr(NULL, entry.rip, 1));
	FUZZ_CHECK(entry.gdt_base >= LOADER_BOOT_INFO_GPA &&
		   entry.gdt_base + entry.gdt_limit < LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE);
	FUZZ_CHECK(entry.ebx >= LOADER_BOOT_INFO_GPA &&
		   entry.ebx < LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE);
	if (entry.protocol == CONFIG_BOOT_PVH) {
		struct hvm_start_info si;

		FUZZ_CHECK(entry.eax == 0);
		FUZZ_CHECK(entry.ebx + sizeof(si) <= LOADER_BOOT_INFO_GPA + LOADER_BOOT_INFO_SIZE);
		memcpy(&si, ram + entry.ebx, sizeof(si));
		FUZZ_CHECK(si.magic == XEN_HVM_START_MAGIC_VALUE);
		FUZZ_CHECK(si.nr_modules == MIN((data[0] >> 2) & 3, 2u));
	} else {
		FUZZ_CHECK(entry.eax == MULTIBOOT_BOOTLOADER_MAGIC);
	}
	free(image);
	return 0;
}
