/*
 * The compiled partition configuration: the read-only table the hypervisor reads.
 *
 * A text config in configs/ (format: docs/config.md) is parsed and checked at
 * build time by the host tool cfgc (tools/cfgc/), which writes it out as one
 * initialized `struct tessera_config` placed in the .tessera_config section.
 * Everything here is fixed-size and pointer-free, so the table is plain data.
 *
 * What the build-time checker has already guaranteed (docs/config.md lists it all):
 * counts within the limits below, strings NUL-terminated, CPU indexes below
 * machine_cpus, no CPU given twice, every partition's memory a nonzero multiple of
 * 2 MiB, partitions plus CONFIG_HV_RESERVE fitting in machine_memory, memory
 * regions aligned and not overlapping, I/O ranges not claimed twice.
 * What it cannot know: whether the real machine has that many CPUs and that much
 * RAM, which APIC IDs exist, and whether a CPU given by index and one given by
 * APIC ID are the same CPU. The hypervisor checks those at run time.
 */
#ifndef TESSERA_HV_PARTITION_CONFIG_H
#define TESSERA_HV_PARTITION_CONFIG_H

#include "lib/types.h"

#define CONFIG_MAGIC   0x47464354u /* "TCFG" in memory order */
#define CONFIG_VERSION 3u

/* Limits. */
#define CONFIG_MAX_PARTITIONS	     8
#define CONFIG_MAX_CPUS		     64 /* CPU indexes are below this (MAX_CPUS in percpu.h) */
#define CONFIG_MAX_PARTITION_CPUS    16
#define CONFIG_MAX_HOUSEKEEPING_CPUS 8
#define CONFIG_MAX_MEM_REGIONS	     8
#define CONFIG_MAX_IO_RANGES	     16
#define CONFIG_MAX_MODULES	     4		 /* modules besides the image */
#define CONFIG_NAME_MAX		     32		 /* partition name, with its NUL */
#define CONFIG_MODULE_NAME_MAX	     64		 /* GRUB module name, with its NUL */
#define CONFIG_CMDLINE_MAX	     512	 /* guest command line, with its NUL */
#define CONFIG_MAX_APIC_ID	     0xfffffffeu /* 0xffffffff is the x2APIC broadcast */
#define CONFIG_MAX_SHMEM	     8		 /* [shmem NAME] sections */
#define CONFIG_MAX_SHMEM_PEERS	     4		 /* partitions sharing one region */

/* Memory rules. */
#define CONFIG_MEMORY_ALIGN (2 * MiB)  /* partition memory is allocated in 2 MiB pages */
#define CONFIG_REGION_ALIGN PAGE_SIZE  /* guest-physical regions are mapped in 4 KiB pages */
#define CONFIG_GPA_LIMIT    BIT(48)    /* what 4-level EPT can map */
#define CONFIG_HV_RESERVE   (32 * MiB) /* machine RAM kept for Tessera itself */

/* The default layout reports the PC legacy hole to the guest as reserved. */
#define CONFIG_LEGACY_HOLE_START 0xa0000ULL
#define CONFIG_LEGACY_HOLE_END	 0x100000ULL /* one past the last byte */

/*
 * The restart budget of on_crash = restart: at most restart_limit restarts
 * within restart_window_s seconds, then the partition is stopped.
 */
#define CONFIG_RESTART_LIMIT_DEFAULT  5u
#define CONFIG_RESTART_WINDOW_DEFAULT 10u /* seconds */
#define CONFIG_RESTART_LIMIT_MAX      1000u
#define CONFIG_RESTART_WINDOW_MAX     3600u

/* Virtual UART: a 16550 at vuart_port..vuart_port+7, emulated per partition. */
#define CONFIG_VUART_DEFAULT 0x3f8u
#define CONFIG_VUART_OFF     0u
#define CONFIG_VUART_PORTS   8u

/*
 * Shared memory between partitions ([shmem NAME], docs/shmem.md): a region of
 * `size` bytes that each peer sees at its own guest-physical address, followed
 * there by the peer's doorbell page (never RAM: each access is emulated).
 * cfgc places a peer whose gpa is `auto` at the lowest free address from
 * CONFIG_SHMEM_AUTO_BASE up, below CONFIG_SHMEM_AUTO_LIMIT (where 32-bit
 * guests reach it), else from 4 GiB up; the table always holds the address.
 */
#define CONFIG_SHMEM_SIZE_MAX	 (1 * GiB)
#define CONFIG_SHMEM_AUTO_BASE	 0xc0000000ULL
#define CONFIG_SHMEM_AUTO_LIMIT	 0xfec00000ULL /* the IOAPIC and LAPIC windows above */
#define CONFIG_SHMEM_AUTO_HIGH	 0x100000000ULL
#define CONFIG_SHMEM_DOORBELL_SZ PAGE_SIZE

enum config_shmem_access {
	CONFIG_SHMEM_RW = 0, /* the peer reads and writes the region */
	CONFIG_SHMEM_RO = 1, /* the peer only reads it (a write stops the peer) */
};

struct config_shmem_peer {
	uint32_t partition; /* index in partitions[] */
	uint32_t access;    /* enum config_shmem_access */
	uint64_t gpa;	    /* the region here; its doorbell page at gpa + size */
};

struct config_shmem {
	char name[CONFIG_NAME_MAX]; /* [A-Za-z0-9_-], unique among regions */
	uint64_t size;		 /* bytes, a nonzero multiple of 4 KiB, <= CONFIG_SHMEM_SIZE_MAX */
	uint32_t notify_on_read; /* enum config_switch: a doorbell-page read rings too */
	uint32_t nr_peers;	 /* 2..CONFIG_MAX_SHMEM_PEERS */
	struct config_shmem_peer peers[CONFIG_MAX_SHMEM_PEERS];
};

/* How a CPU is named: by its logical index (MADT order, 0 = boot CPU) or APIC ID. */
enum config_cpu_kind {
	CONFIG_CPU_INDEX = 0,
	CONFIG_CPU_APIC_ID = 1,
};

struct config_cpu {
	uint32_t kind; /* enum config_cpu_kind */
	uint32_t id;   /* CPU index (< machine_cpus) or APIC ID */
};

enum config_mem_type {
	CONFIG_MEM_RAM = 1,	 /* backed, mapped, reported to the guest as RAM */
	CONFIG_MEM_RESERVED = 2, /* backed, mapped, reported as reserved */
};

/*
 * One guest-physical region. Regions are backed by the partition's memory in
 * order: the first region by its first bytes, and so on.
 */
struct config_mem_region {
	uint64_t gpa;  /* guest-physical start, 4 KiB aligned */
	uint64_t size; /* bytes, nonzero, 4 KiB aligned */
	uint32_t type; /* enum config_mem_type */
	uint32_t pad;
};

/* I/O ports passed through to the partition, first..last inclusive. */
struct config_io_range {
	uint16_t first;
	uint16_t last;
};

enum config_boot {
	CONFIG_BOOT_AUTO = 0,	   /* PVH note if the image has one, else multiboot */
	CONFIG_BOOT_PVH = 1,	   /* the ELF's PVH entry (XEN_ELFNOTE_PHYS32_ENTRY) */
	CONFIG_BOOT_MULTIBOOT = 2, /* multiboot header in the image */
};

/* A feature a partition has or not (`key = on | off`). */
enum config_switch {
	CONFIG_OFF = 0,
	CONFIG_ON = 1,
};

enum config_on_crash {
	CONFIG_ON_CRASH_STOP = 0,    /* stop the partition, leave the others running */
	CONFIG_ON_CRASH_RESTART = 1, /* reload the image and start it again */
};

/*
 * Where the vLAPIC timer runs (docs/interrupts.md). auto: posted where the
 * partition's CPUs have posted interrupts, else emulated.
 */
enum config_timer {
	CONFIG_TIMER_AUTO = 0,
	CONFIG_TIMER_POSTED = 1,   /* on the housekeeping CPU, fired as a posted interrupt */
	CONFIG_TIMER_EMULATED = 2, /* the VMX-preemption timer on the vCPU's own CPU */
};

/*
 * Who owns the LAPIC of the partition's CPUs (docs/interrupts.md). passthrough:
 * the guest's own x2APIC, timer and interrupts without exits; Tessera keeps
 * the ICR and IA32_APIC_BASE and reaches the CPU by NMI only.
 */
enum config_lapic {
	CONFIG_LAPIC_VIRTUAL = 0,
	CONFIG_LAPIC_PASSTHROUGH = 1,
};

/* HLT and PAUSE in the guest: a VM exit, or left to the hardware in guest mode. */
enum config_halt {
	CONFIG_HALT_EXIT = 0,	     /* Tessera blocks the vCPU's CPU in root mode */
	CONFIG_HALT_PASSTHROUGH = 1, /* no HLT exiting: the guest halts in guest mode */
};

enum config_pause {
	CONFIG_PAUSE_PASSTHROUGH = 0, /* no PAUSE exiting, no PAUSE-loop exiting */
	CONFIG_PAUSE_EXIT = 1,	      /* PAUSE exiting: every PAUSE exits (counted) */
};

/*
 * Execute-only memory (docs/memory-protection.md): an alias of the partition's
 * RAM at the physical-address bit CPUID 0x80000008 no longer reports, mapped
 * execute-only in the EPT; a read or write through it is a #PF in the guest.
 */
enum config_xom {
	CONFIG_XOM_OFF = 0,
	CONFIG_XOM_ON = 1,   /* the alias executes in both modes (MBEC: supervisor and user) */
	CONFIG_XOM_USER = 2, /* needs MBEC: the alias executes through user pages only */
};

struct partition_config {
	char name[CONFIG_NAME_MAX]; /* [A-Za-z0-9_-], unique */

	/* Dedicated physical CPUs; the first is the guest's bootstrap processor. */
	uint32_t nr_cpus;
	struct config_cpu cpus[CONFIG_MAX_PARTITION_CPUS];

	/* Bytes of machine RAM the partition owns; a multiple of CONFIG_MEMORY_ALIGN. */
	uint64_t memory;
	/* Its guest-physical layout; the regions together use at most `memory` bytes. */
	uint32_t nr_mem_regions;
	struct config_mem_region mem_regions[CONFIG_MAX_MEM_REGIONS];

	/* The guest image and extra modules, by GRUB module name (first word of module2). */
	char image[CONFIG_MODULE_NAME_MAX];
	char cmdline[CONFIG_CMDLINE_MAX];
	uint32_t nr_modules;
	char modules[CONFIG_MAX_MODULES][CONFIG_MODULE_NAME_MAX];
	uint32_t boot; /* enum config_boot */

	uint32_t nr_io_ranges;
	struct config_io_range io_ranges[CONFIG_MAX_IO_RANGES];
	uint32_t vuart_port; /* base port of the virtual UART, or CONFIG_VUART_OFF */
	uint32_t on_crash;   /* enum config_on_crash */
	uint32_t
	    restart_limit; /* restarts allowed within the window, 1..CONFIG_RESTART_LIMIT_MAX */
	uint32_t restart_window_s; /* the window, seconds, 1..CONFIG_RESTART_WINDOW_MAX */
	uint32_t timer;		   /* enum config_timer */
	uint32_t halt;		   /* enum config_halt */
	uint32_t pause;		   /* enum config_pause */
	uint32_t fw_cfg;	   /* enum config_switch: QEMU's fw_cfg ports (default off) */
	uint32_t x2apic;	   /* enum config_switch: CPUID offers x2APIC (default on) */
	uint32_t hyperv;	   /* enum config_switch: Hyper-V, docs/hyperv.md (default off) */
	uint32_t xom;		   /* enum config_xom (default off) */
	uint32_t pmu;		   /* enum config_switch: PMU and LBRs, docs/pmu.md (default off) */
	uint32_t lapic;		   /* enum config_lapic (default virtual) */
	uint32_t ioapic;	   /* enum config_switch: the vIOAPIC, IRQ 4 from the vUART (on) */
};

struct tessera_config {
	uint32_t magic;	  /* CONFIG_MAGIC */
	uint32_t version; /* CONFIG_VERSION */
	uint32_t size;	  /* sizeof(struct tessera_config) of the tool that wrote it */

	/* The least machine this config is meant for. */
	uint32_t machine_cpus;
	uint64_t machine_memory; /* bytes */

	/* CPUs Tessera keeps for itself (at least one); no partition may use them. */
	uint32_t nr_housekeeping;
	struct config_cpu housekeeping[CONFIG_MAX_HOUSEKEEPING_CPUS];

	uint32_t nr_partitions;
	struct partition_config partitions[CONFIG_MAX_PARTITIONS];

	/* Shared memory between partitions (docs/shmem.md). */
	uint32_t nr_shmem;
	struct config_shmem shmem[CONFIG_MAX_SHMEM];
};

/* The table linked into the image (generated from $(CONFIG) by cfgc). */
extern const struct tessera_config tessera_config;

/* The table, after checking its magic, version, size and counts; panics if broken. */
const struct tessera_config *config_get(void);

#endif
