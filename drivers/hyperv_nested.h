/*
 * Tessera as a guest of Hyper-V (nested, as on Azure): the mechanism.
 * hyperv_nested_init() decides from CPUID (hyperv_nested_plan.h), prints the
 * boot line, and where the guest mapping flush is offered sets Tessera's
 * GUEST_OS_ID and its hypercall page. The flush calls then act on every
 * processor of the partition Hyper-V runs Tessera in.
 *
 * Not runnable here (no Hyper-V host): only the pure parts have tests.
 */
#ifndef TESSERA_DRIVERS_HYPERV_NESTED_H
#define TESSERA_DRIVERS_HYPERV_NESTED_H

#include "lib/types.h"
#include "drivers/hyperv_gpa_range.h"

/*
 * On the boot CPU, after paging and the page allocator, before the other
 * CPUs start: the hypercall page's mapping changes with only this CPU's TLB
 * flushed (paging_hv_map).
 */
void hyperv_nested_init(void);

/* Whether the flush hypercalls are in use (false on bare metal, QEMU, Bochs). */
bool hyperv_nested_gpa_flush(void);

/*
 * HvCallFlushGuestPhysicalAddressSpace for the EPT whose PML4 is at `root`.
 * Returns the HV_STATUS; any failure (or the hypercalls not in use) makes
 * later calls fail at once, logged once: the caller uses INVEPT instead.
 */
uint16_t hyperv_nested_flush_space(uint64_t root);

/* HvCallFlushGuestPhysicalAddressList for those ranges of that EPT; same rules. */
uint16_t hyperv_nested_flush_list(uint64_t root, const struct hv_gpa_list *l);

#endif
