/*
 * Building partitions from the compiled config: resolve their CPUs on this
 * machine, give each its RAM, EPT, I/O and MSR bitmaps and virtual UART, and
 * load its guest image. A partition that cannot be built is reported and left
 * out; the others go on.
 */
#include <stdarg.h>
#include "hv/partition/partition.h"
#include "hv/partition/partition_irq.h"
#include "hv/load/guest_mem.h"
#include "hv/load/loader.h"
#include "hv/policy/msr_policy.h"
#include "hv/policy/io_policy.h"
#include "hv/hyperv/hyperv.h"
#include "arch/x86/percpu.h"
#include "drivers/console.h"
#include "drivers/lapic.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

struct partition partitions[CONFIG_MAX_PARTITIONS];
uint32_t nr_partitions;

void *gpa_to_hva(struct partition *p, uint64_t gpa, uint64_t len)
{
	gpa = partition_gpa(p, gpa);
	const struct guest_region *r = guest_ram_region(p->regions, p->nr_regions, gpa);

	if (!r || len > r->size - (gpa - r->gpa))
		return NULL;
	return (void *)(uintptr_t)(r->hpa + (gpa - r->gpa));
}

static int build_error(struct partition *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("partition %s: not started: %s", p->name, msg);
	p->state = PARTITION_STOPPED;
	p->stop_reason = "could not be built";
	return -1;
}

/* The logical CPU a config entry names, or -1. */
static int resolve_cpu(const struct config_cpu *c)
{
	if (c->kind == CONFIG_CPU_INDEX)
		return c->id < cpu_count && percpu[c->id].online ? (int)c->id : -1;
	for (uint32_t i = 0; i < cpu_count; i++)
		if (percpu[i].online && percpu[i].apic_id == c->id)
			return (int)i;
	return -1;
}

static bool is_housekeeping(const struct tessera_config *cfg, uint32_t index)
{
	for (uint32_t i = 0; i < cfg->nr_housekeeping; i++)
		if (resolve_cpu(&cfg->housekeeping[i]) == (int)index)
			return true;
	return index == 0; /* the boot CPU always stays with Tessera */
}

static int assign_cpus(struct partition *p, const struct tessera_config *cfg)
{
	for (uint32_t i = 0; i < p->cfg->nr_cpus; i++) {
		const struct config_cpu *c = &p->cfg->cpus[i];
		int idx = resolve_cpu(c);

		if (idx < 0)
			return build_error(p,
					   "cpus: %s %u is not an online CPU of this machine "
					   "(%u online)",
					   c->kind == CONFIG_CPU_INDEX ? "CPU" : "APIC ID", c->id,
					   cpu_count);
		if (is_housekeeping(cfg, (uint32_t)idx) || percpu[idx].vcpu)
			return build_error(p,
					   "cpus: CPU %d is already in use (housekeeping or "
					   "another partition)",
					   idx);
		/* Zeroed, and only for CPUs that run a vCPU: no static pool for MAX_CPUS. */
		struct vcpu *v = alloc_pages(ALIGN_UP(sizeof(struct vcpu), PAGE_SIZE) / PAGE_SIZE);

		v->part = p;
		v->vmcs_pa = (uint64_t)(uintptr_t)alloc_pages(1);
		v->cpu = &percpu[idx];
		v->index = i;
		percpu[idx].vcpu = v;
		p->vcpus[p->nr_vcpus++] = v;
	}
	return 0;
}

static uint64_t ept_alloc_table(void *opaque)
{
	(void)opaque;
	return (uint64_t)(uintptr_t)alloc_pages(1);
}

static uint64_t *ept_table_ptr(void *opaque, uint64_t pa)
{
	(void)opaque;
	return (uint64_t *)(uintptr_t)pa;
}

/*
 * The APIC-access page at the xAPIC base: the vLAPIC's MMIO window (APICv turns
 * accesses to it into virtual-APIC page accesses or APIC-access exits). A RAM
 * region over the window would hide the APIC, so it is refused.
 */
static int map_apic_access_page(struct partition *p)
{
	for (uint32_t i = 0; i < p->nr_regions; i++)
		if (APIC_BASE_DEFAULT - p->regions[i].gpa < p->regions[i].size)
			return build_error(p, "ram: region %u covers the APIC window at %#llx", i,
					   (unsigned long long)APIC_BASE_DEFAULT);
	p->apic_access_hpa = (uint64_t)(uintptr_t)alloc_pages(1);
	if (ept_map(&p->ept, APIC_BASE_DEFAULT, p->apic_access_hpa, PAGE_SIZE, EPT_READ | EPT_WRITE,
		    EPT_MEMTYPE_UC))
		return build_error(p, "memory: cannot map the APIC-access page in the EPT");
	return 0;
}

static int build_memory(struct partition *p)
{
	const struct partition_config *cfg = p->cfg;
	const struct vmx_caps *caps[CONFIG_MAX_PARTITION_CPUS];
	uint64_t used = 0;

	/* The page sizes the partition's own CPUs all support (assign_cpus ran). */
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		caps[i] = &p->vcpus[i]->cpu->vmx;
	p->ept = (struct ept){.alloc_table = ept_alloc_table, .table_ptr = ept_table_ptr};
	ept_choose_page_sizes(&p->ept, caps, p->nr_vcpus);

	uint64_t align = cfg->memory >= GiB && p->ept.use_1g ? GiB : 2 * MiB;

	p->ram_size = cfg->memory;
	p->ram_hpa = pa_alloc(hv_page_allocator(), cfg->memory / PAGE_SIZE, align, PA_NO_LIMIT);
	if (!p->ram_hpa)
		return build_error(p, "memory: cannot allocate %llu MiB (%llu MiB free)",
				   (unsigned long long)(cfg->memory / MiB),
				   (unsigned long long)(pa_free_bytes(hv_page_allocator()) / MiB));

	if (cfg->nr_mem_regions == 0) {
		p->regions[0] = (struct guest_region){0, cfg->memory, p->ram_hpa, CONFIG_MEM_RAM};
		p->nr_regions = 1;
	}
	for (uint32_t i = 0; i < cfg->nr_mem_regions; i++) {
		const struct config_mem_region *r = &cfg->mem_regions[i];

		p->regions[i] = (struct guest_region){r->gpa, r->size, p->ram_hpa + used, r->type};
		used += r->size;
		p->nr_regions++;
	}

	if (memprot_build(p))
		return -1;
	if (ept_init(&p->ept))
		return build_error(p, "memory: no page for the EPT root");
	for (uint32_t i = 0; i < p->nr_regions; i++)
		if (memprot_map_region(p, p->regions[i].gpa, p->regions[i].hpa, p->regions[i].size))
			return build_error(p, "memory: cannot map region %u in the EPT", i);
	const char *why = NULL;

	if (shmem_map(p, &why))
		return build_error(p, "shmem: %s", why);
	return map_apic_access_page(p);
}

/* A guest line into the partition's own ring: "[name] text", "[name]+ text" for a continuation. */
static void vuart_emit(void *opaque, const char *line, size_t len, bool continued)
{
	struct partition *p = opaque;
	char prefix[CONFIG_NAME_MAX + 4];
	int n = fmt_snprintf(prefix, sizeof(prefix), "[%s]%s ", p->name, continued ? "+" : "");

	console_ring_put_line(&p->console, prefix, (size_t)MIN(n, (int)sizeof(prefix) - 1), line,
			      len);
}

static const struct boot_module *find_module(const struct boot_info *bi, const char *name)
{
	size_t n = strlen(name);

	for (uint32_t i = 0; i < bi->nr_modules; i++) {
		const char *c = bi->modules[i].cmdline;

		if (!strncmp(c, name, n) && (c[n] == '\0' || c[n] == ' '))
			return &bi->modules[i];
	}
	return NULL;
}

static int find_modules(struct partition *p, const struct boot_info *bi)
{
	p->image = find_module(bi, p->cfg->image);
	if (!p->image)
		return build_error(p, "image: no boot module named \"%s\"", p->cfg->image);
	for (uint32_t i = 0; i < p->cfg->nr_modules; i++) {
		p->modules[i] = find_module(bi, p->cfg->modules[i]);
		if (!p->modules[i])
			return build_error(p, "modules: no boot module named \"%s\"",
					   p->cfg->modules[i]);
	}
	return 0;
}

static void *guest_mem_ptr(void *opaque, uint64_t gpa, uint64_t len)
{
	return gpa_to_hva(opaque, gpa, len);
}

/* Like gpa_to_hva(), for memory of any type the partition backs (reserved regions too). */
static uint8_t *backed_hva(struct partition *p, uint64_t gpa, uint64_t len)
{
	for (uint32_t i = 0; i < p->nr_regions; i++) {
		const struct guest_region *r = &p->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size && len <= r->size - (gpa - r->gpa))
			return (uint8_t *)(uintptr_t)(r->hpa + (gpa - r->gpa));
	}
	return NULL;
}

int partition_load_image(struct partition *p, struct guest_entry *entry)
{
	struct guest_module mods[CONFIG_MAX_MODULES];
	struct guest_mem mem = {.ptr = guest_mem_ptr, .opaque = p};
	struct fw_cfg_info fw = {.nr_cpus = (uint16_t)p->nr_vcpus, .ram_size = p->cfg->memory};

	fw_cfg_init(&p->fw_cfg, &fw); /* power-up state at every boot */
	/* The loader wants the guest's map sorted by address (insertion sort: a few regions). */
	for (uint32_t i = 0; i < p->nr_regions; i++) {
		struct guest_mem_region r = {p->regions[i].gpa, p->regions[i].size,
					     p->regions[i].type};
		uint32_t j = i;

		for (; j > 0 && mem.regions[j - 1].gpa > r.gpa; j--)
			mem.regions[j] = mem.regions[j - 1];
		mem.regions[j] = r;
	}
	mem.nr_regions = p->nr_regions;
	mem.acpi = &p->acpi;
	mem.acpi_area = backed_hva(p, GUEST_ACPI_GPA, GUEST_ACPI_SIZE);
	mem.reset_vector = backed_hva(p, RESET_VECTOR_GPA, RESET_VECTOR_SIZE);
	for (uint32_t i = 0; i < p->cfg->nr_modules; i++) {
		const struct boot_module *m = p->modules[i];

		/* The guest sees the module's arguments, not the name Tessera found it by. */
		const char *args = m->cmdline + strlen(p->cfg->modules[i]);

		while (*args == ' ')
			args++;
		mods[i] = (struct guest_module){(const void *)(uintptr_t)m->start,
						(size_t)(m->end - m->start), args};
	}
	vrtc_reset(&p->vrtc);
	partition_irq_reset(p);
	/* Start from zeroed RAM, as on the first boot: no state survives a restart. */
	for (uint32_t i = 0; i < p->nr_regions; i++)
		memset((void *)(uintptr_t)p->regions[i].hpa, 0, p->regions[i].size);
	return guest_load(p->name, p->cfg, (const void *)(uintptr_t)p->image->start,
			  (size_t)(p->image->end - p->image->start), mods, p->cfg->nr_modules, &mem,
			  entry);
}

/*
 * lapic = passthrough: the guest's x2APIC MSRs reach the CPU's own LAPIC only
 * while that LAPIC is in x2APIC mode (Tessera's choice where CPUID offers it).
 */
static int lapic_pt_check(struct partition *p)
{
	if (!lapic_x2apic_mode())
		return build_error(p,
				   "lapic: passthrough needs x2APIC, which this machine's CPUs "
				   "lack (CPUID.1:ECX.x2APIC clear; the LAPICs run in xAPIC mode)");
	if (p->cfg->hyperv == CONFIG_ON)
		return build_error(p, "lapic: passthrough with hyperv = on: the synthetic APIC "
				      "MSRs need the virtual LAPIC");
	return 0;
}

int partition_build(struct partition *p, uint32_t id, const struct tessera_config *cfg,
		    const struct boot_info *bi)
{
	uint64_t free_before = pa_free_bytes(hv_page_allocator());

	p->id = id;
	p->cfg = &cfg->partitions[id];
	p->name = p->cfg->name;
	p->state = PARTITION_RUNNING;
	p->hypercall = *hypercall_iface_for(p->cfg);
	vuart_init(&p->vuart, vuart_emit, p);
	console_ring_init(&p->console, p->name, alloc_pages(CONSOLE_RING_SIZE / PAGE_SIZE),
			  CONSOLE_RING_SIZE);
	if (!console_add_ring(&p->console))
		return build_error(p, "console: no room for its output ring");

	if (partition_lapic_pt(p) && lapic_pt_check(p))
		return -1;
	if (assign_cpus(p, cfg) || build_memory(p) || find_modules(p, bi))
		return -1;
	for (uint32_t i = 0; i < p->nr_vcpus && partition_lapic_pt(p); i++)
		p->vcpus[i]->cpu->nmi_only = true; /* from now on kicked by NMI only */
	eptp_track_init(&p->eptp_track, p->nr_vcpus);
	if (hyperv_build(p))
		return build_error(p, "hyperv: no memory for its state");
	/* What Tessera logs on these CPUs follows what the guest printed before. */
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		p->vcpus[i]->cpu->console_out = &p->console;
	p->io_bitmap = alloc_pages(2);
	p->msr_bitmap = alloc_pages(1);
	p->msr_bitmap_x2apic = alloc_pages(1);
	io_bitmap_init(p->io_bitmap, p->cfg);
	msr_bitmap_init(p->msr_bitmap);
	pmu_build(p);
	if (partition_lapic_pt(p))
		msr_bitmap_lapic_pt_init(p->msr_bitmap_x2apic, p->msr_bitmap);
	else
		msr_bitmap_x2apic_init(p->msr_bitmap_x2apic, p->msr_bitmap);
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		vapic_alloc(p->vcpus[i]);
	/* What the guest's ACPI tables describe: its vCPUs by their virtual APIC IDs, the
	 * vIOAPIC, the shared-memory regions. */
	partition_irq_build(p);
	shmem_describe(p);
	log_info("partition %s: %u vCPU(s) on CPU %u%s, %llu MiB at host %#llx", p->name,
		 p->nr_vcpus, p->vcpus[0]->cpu->index, p->nr_vcpus > 1 ? "..." : "",
		 (unsigned long long)(p->ram_size / MiB), (unsigned long long)p->ram_hpa);
	/* What the partition costs beyond its RAM: vCPUs, VMCSs, EPT, bitmaps. */
	uint64_t overhead = free_before - pa_free_bytes(hv_page_allocator()) - p->ram_size;
	log_info("partition %s: hypervisor memory %llu KiB (%llu KiB per vCPU, EPT %u pages)",
		 p->name, (unsigned long long)(overhead / KiB),
		 (unsigned long long)(overhead / KiB / p->nr_vcpus), p->ept.nr_tables);
	return 0;
}
