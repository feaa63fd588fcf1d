/*
 * A partition: dedicated physical CPUs (one vCPU each), a slice of RAM mapped by
 * its own EPT, its own I/O and MSR bitmaps and virtual UART, built from one
 * entry of the compiled config (hv/partition/partition_config.h).
 */
#ifndef TESSERA_HV_PARTITION_H
#define TESSERA_HV_PARTITION_H

#include "lib/types.h"
#include "lib/spinlock.h"
#include "arch/x86/mm/ept.h"
#include "boot/boot_info.h"
#include "hv/partition/partition_config.h"
#include "hv/policy/guest_region.h"
#include "hv/policy/eptp_track.h"
#include "hv/vcpu/vcpu.h"
#include "hv/dev/vuart.h"
#include "hv/dev/fw_cfg.h"
#include "hv/dev/vrtc.h"
#include "hv/dev/vioapic.h"
#include "drivers/console_ring.h"
#include "hv/load/loader.h"
#include "hv/hypercall/hypercall.h"
#include "hv/partition/restart_budget.h"
#include "hv/partition/memprot.h"
#include "hv/partition/pmu.h"
#include "hv/partition/shmem.h"

enum partition_state {
	PARTITION_RUNNING,
	PARTITION_STOPPING, /* a vCPU asked the others to leave the guest */
	PARTITION_ENDED,    /* the guest ended it (port 0xf4, hypercall): status is valid */
	PARTITION_STOPPED,  /* crashed, or failed to load: stopped by the crash policy */
};

struct hyperv;

struct partition {
	uint32_t id;
	const struct partition_config *cfg;
	const char *name;

	uint64_t ram_hpa, ram_size; /* the host block backing all regions */
	uint32_t nr_regions;
	struct guest_region regions[CONFIG_MAX_MEM_REGIONS];
	struct ept ept;
	struct eptp_track eptp_track; /* the EPTP each vCPU's VMCS holds; under eptp_lock */
	spinlock_t eptp_lock;
	struct memprot mp; /* execute-only alias, sub-page protection (memprot.h) */

	uint32_t nr_shmem; /* the shared-memory regions it is a peer of (docs/shmem.md) */
	struct partition_shmem shmem[CONFIG_MAX_SHMEM];

	uint8_t *io_bitmap;	    /* 2 pages: ports 0-0x7fff, 0x8000-0xffff; 1 = exit */
	uint8_t *msr_bitmap;	    /* 1 page; 1 = exit; for vCPUs in xAPIC mode */
	struct partition_pmu pmu;   /* pmu = on: the MSRs passed, the offer (pmu.h) */
	uint8_t *msr_bitmap_x2apic; /* the same, x2APIC registers served by APICv */
	uint64_t apic_access_hpa;   /* the page behind the xAPIC window (APICv) */
	struct vuart vuart;
	struct fw_cfg fw_cfg; /* fw_cfg = on: QEMU's configuration ports; under `lock` */
	struct vrtc vrtc;     /* ports 0x70-0x71 unless passed through */
	bool ioapic_on;	      /* ioapic = on: the vIOAPIC (partition_irq.h) */
	struct vioapic vioapic;
	spinlock_t ioapic_lock;		  /* vioapic, eoi_exit */
	uint64_t eoi_exit[4];		  /* the vectors of its level entries: EOIs that exit */
	struct hypercall_iface hypercall; /* what its VMCALLs mean: a copy, one load from a vCPU */
	struct hyperv *hv;	/* hyperv = on: its Hyper-V state (hv/hyperv/), else NULL */
	uint16_t io_logged[16]; /* ports with nothing behind them whose first access was logged */
	uint32_t nr_io_logged;

	const struct boot_module *image;
	const struct boot_module *modules[CONFIG_MAX_MODULES];

	uint32_t nr_vcpus;
	struct vcpu *vcpus[CONFIG_MAX_PARTITION_CPUS];

	struct guest_entry entry;      /* where the loaded image starts */
	struct guest_acpi_params acpi; /* what its ACPI tables describe */

	spinlock_t lock;
	volatile enum partition_state state;
	volatile uint32_t vcpus_out; /* vCPUs that have left their run loop */
	int status;		     /* exit status (PARTITION_ENDED) */
	const char *stop_reason;
	uint32_t restarts;
	uint64_t boot_tsc; /* host TSC at this boot's start: every vCPU's TSC is 0 there */
	struct restart_budget restart_budget; /* crash restarts and reboots left */
	volatile bool restart_failed;
	/* The console shell's stop, restart and start (hv/shell/shell.c). */
	volatile bool held;	      /* stopped from the shell: vCPU 0 waits for `start` */
	volatile bool restart_asked;  /* restarted from the shell: boots again once all are out */
	volatile uint32_t vcpus_gone; /* vCPUs that have left vcpu_main: it may be run again */
	bool started;		      /* its vCPUs were dispatched at least once */
	struct console_ring console;  /* the vUART's lines, merged into the console */
};

/* Status of a partition whose boot vCPU halted for good without giving one. */
#define PARTITION_STATUS_HALTED (-1000)

extern struct partition partitions[CONFIG_MAX_PARTITIONS];
extern uint32_t nr_partitions;

/*
 * Host address of guest-physical [gpa, gpa + len) when it lies inside one RAM
 * region of the partition, else NULL. Every guest-supplied address goes through it
 * or, for buffers that may span adjacent regions, hv/hypercall/guest_buffer.h.
 */
void *gpa_to_hva(struct partition *p, uint64_t gpa, uint64_t len);
/* The GPA as RAM users see it: the execute-only alias bit (xom) masked. */
static inline uint64_t partition_gpa(const struct partition *p, uint64_t gpa)
{
	return gpa & p->mp.gpa_mask;
}

/* lapic = passthrough: its vCPUs own their CPUs' LAPICs (docs/interrupts.md). */
static inline bool partition_lapic_pt(const struct partition *p)
{
	return p->cfg->lapic == CONFIG_LAPIC_PASSTHROUGH;
}

/* The config gives it a vUART (a console it can read, and a 16550 at its port). */
static inline bool partition_has_vuart(const struct partition *p)
{
	return p->cfg && p->cfg->vuart_port != CONFIG_VUART_OFF;
}

/* Ends the partition (from one of its vCPUs): the guest asked, with a status. */
void partition_end(struct partition *p, int status);
/* Stops the partition for a fault of the guest; its crash policy then applies. */
void partition_crash(struct vcpu *v, const char *fmt, ...) __printf(2, 3);
/* The guest reset the partition (fmt: by what): it boots again, whatever on_crash says. */
void partition_reboot(struct vcpu *v, const char *fmt, ...) __printf(2, 3);
/* No vCPU of p can run again (see partition_run.c). */
bool partition_idle_forever(struct partition *p);
/* Ends p, whose vCPUs halted for good (partition_idle_forever), without a status. */
void partition_vcpu_halted(struct vcpu *v);
/* VM exits of one basic reason, summed over the partition's vCPUs. */
uint64_t partition_exit_count(const struct partition *p, uint32_t reason);
/* Prints the partition's exit counters. */
void partition_print_stats(struct partition *p);

/* Builds partition `id` of the config (CPUs, memory, EPT, bitmaps, image). 0 or -1. */
int partition_build(struct partition *p, uint32_t id, const struct tessera_config *cfg,
		    const struct boot_info *bi);
/* (Re)loads the guest image into zeroed guest RAM. 0 or -1 (logged). */
int partition_load_image(struct partition *p, struct guest_entry *entry);

/*
 * The shell's controls, from the housekeeping CPU; each only changes state and
 * sends requests, and returns at once (the vCPUs do the work on their CPUs).
 * partition_shell_stop: a running partition leaves the guest and waits, held,
 * until partition_shell_start (restart = true: boots again at once, as a crash
 * restart does, without taking from the crash budget). partition_shell_start:
 * releases a held partition, or boots again one that ended or was stopped by
 * its crash policy (its restart budget starts afresh).
 */
enum partition_ctl {
	PARTITION_CTL_OK,
	PARTITION_CTL_NOT_RUNNING, /* stop/restart of one that is not running */
	PARTITION_CTL_RUNNING,	   /* start of one that runs */
	PARTITION_CTL_BUSY,	   /* start of one whose vCPUs are still on their way out */
	PARTITION_CTL_NEVER,	   /* start of one that was never started (failed to build) */
};
enum partition_ctl partition_shell_stop(struct partition *p, bool restart);
enum partition_ctl partition_shell_start(struct partition *p);
const char *partition_state_name(const struct partition *p);

/* Builds every partition of the config and starts each on its CPUs; returns when all ended. */
int partitions_run(const struct boot_info *bi);

#endif
