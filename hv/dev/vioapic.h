/*
 * A partition's virtual I/O APIC: an 82093AA at IOAPIC_BASE_DEFAULT with 24
 * redirection entries (arch/x86/ioapic.h). Pure register logic, host-tested:
 * the caller serialises accesses, finds the vCPUs a message reaches among its
 * own partition's vLAPICs only (vlapic_ipi_targets) and delivers it.
 *
 * Input pins are levels set by the partition's devices (vioapic_set_irq). An
 * edge-triggered entry sends its message on a rising edge while unmasked
 * (edges on a masked pin are lost, as the datasheet says); a level-triggered
 * one sends it while the pin is asserted and Remote IRR is clear, sets Remote
 * IRR, and the vLAPIC's EOI of its vector (vioapic_eoi) clears Remote IRR and
 * sends again if the pin is still asserted; unmasking an asserted level
 * entry sends too. The polarity bit is kept but not applied: pins are the
 * devices' logical "asserted". Delivery status always reads idle (a message
 * is delivered at once).
 *
 * Messages: fixed, lowest priority and NMI, physical or logical destination
 * (8 bits, as without interrupt remapping). SMI, INIT, ExtINT and the
 * reserved modes, and fixed or lowest-priority vectors below 16, are dropped
 * (vioapic_message says false).
 *
 * The MMIO decoder (vioapic_mmio): IOREGSEL at offset 0 (any width: its low
 * byte is the selection), IOWIN at 0x10 (32-bit accesses only); every other
 * access reads 0 and writes nothing. Every value is the guest's: reserved and
 * read-only bits are kept as the datasheet says, unknown indexes read 0.
 */
#ifndef TESSERA_HV_DEV_VIOAPIC_H
#define TESSERA_HV_DEV_VIOAPIC_H

#include "lib/types.h"
#include "arch/x86/ioapic.h"
#include "hv/vlapic/vlapic_dest.h"

#define VIOAPIC_PINS 24u
#define VIOAPIC_SIZE 0x1000u /* the MMIO window: one page */

struct vioapic {
	uint32_t regsel;	    /* IOREGSEL */
	uint32_t id;		    /* IOAPICID as read (bits 27:24) */
	uint64_t rte[VIOAPIC_PINS]; /* the redirection table */
	uint32_t lines;		    /* bit n: pin n asserted */
};

/* What an access or an input change asks of the caller. */
struct vioapic_effect {
	uint32_t deliver;    /* bit n: send pin n's message now (vioapic_message) */
	bool level_changed;  /* the set of level-triggered vectors changed (EOI exits) */
	uint32_t read_value; /* for an MMIO read */
};

/* One MMIO access inside the window. */
struct vioapic_access {
	uint32_t offset; /* from the base, < VIOAPIC_SIZE */
	uint8_t size;	 /* 1, 2, 4 or 8 */
	bool write;
	uint64_t value; /* for a write */
};

/* Power-up state: every entry masked, edge, vector 0; no pin asserted. `id`: its APIC ID. */
void vioapic_reset(struct vioapic *io, uint8_t id);
struct vioapic_effect vioapic_mmio(struct vioapic *io, const struct vioapic_access *a);
/* Input pin `pin` now at `level` (out of range: nothing). */
struct vioapic_effect vioapic_set_irq(struct vioapic *io, uint32_t pin, bool level);
/* A vLAPIC's EOI of `vector`: the level entries with it in service. */
struct vioapic_effect vioapic_eoi(struct vioapic *io, uint8_t vector);
/* Pin `pin`'s message as an interrupt to resolve (no shorthand); false: dropped. */
bool vioapic_message(const struct vioapic *io, uint32_t pin, struct vlapic_ipi *out);
/* The vectors of level-triggered entries (bit v of the 256): their EOIs must exit. */
void vioapic_level_vectors(const struct vioapic *io, uint64_t out[4]);

#endif
