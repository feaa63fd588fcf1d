/* The virtual I/O APIC's registers and pins: see vioapic.h. */
#include "hv/dev/vioapic.h"
#include "lib/string.h"

#define VER_VALUE (IOAPIC_VER_VERSION | (VIOAPIC_PINS - 1) << IOAPIC_VER_MRE_SHIFT)

void vioapic_reset(struct vioapic *io, uint8_t id)
{
	memset(io, 0, sizeof(*io));
	io->id = ((uint32_t)id << IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
	for (uint32_t i = 0; i < VIOAPIC_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
}

bool vioapic_message(const struct vioapic *io, uint32_t pin, struct vlapic_ipi *out)
{
	uint64_t rte;

	if (pin >= VIOAPIC_PINS)
		return false;
	rte = io->rte[pin];
	*out = (struct vlapic_ipi){
	    .vector = (uint8_t)(rte & IOAPIC_RTE_VECTOR_MASK),
	    .mode = (uint32_t)(rte & IOAPIC_RTE_DM_MASK), /* the ICR's encoding */
	    .shorthand = APIC_ICR_NO_SHORTHAND,
	    .logical = rte & IOAPIC_RTE_DEST_LOGICAL,
	    .assert = true,
	    .level_trigger = rte & IOAPIC_RTE_TRIGGER_LEVEL,
	    .dest = (uint32_t)(rte >> IOAPIC_RTE_DEST_SHIFT),
	    .x2apic = false, /* 8-bit destinations: no interrupt remapping */
	};
	switch (rte & IOAPIC_RTE_DM_MASK) {
	case IOAPIC_RTE_DM_FIXED:
	case IOAPIC_RTE_DM_LOWEST:
		return out->vector >= 16;
	case IOAPIC_RTE_DM_NMI:
		return true;
	default: /* SMI, INIT, ExtINT, reserved: nothing in a partition takes them */
		return false;
	}
}

static bool level_entry(const struct vioapic *io, uint32_t pin)
{
	return io->rte[pin] & IOAPIC_RTE_TRIGGER_LEVEL;
}

/* Pin `pin` fires: the bit to deliver, or 0 (masked, dropped, level still in service). */
static uint32_t fire(struct vioapic *io, uint32_t pin)
{
	struct vlapic_ipi m;

	if ((io->rte[pin] & IOAPIC_RTE_MASKED) || !vioapic_message(io, pin, &m))
		return 0;
	if (level_entry(io, pin)) {
		if (io->rte[pin] & IOAPIC_RTE_REMOTE_IRR)
			return 0;
		io->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
	}
	return 1u << pin;
}

static bool asserted(const struct vioapic *io, uint32_t pin)
{
	return io->lines & (1u << pin);
}

struct vioapic_effect vioapic_set_irq(struct vioapic *io, uint32_t pin, bool level)
{
	struct vioapic_effect e = {0};
	bool was;

	if (pin >= VIOAPIC_PINS)
		return e;
	was = asserted(io, pin);
	io->lines = level ? io->lines | 1u << pin : io->lines & ~(1u << pin);
	if (level && (level_entry(io, pin) || !was))
		e.deliver = fire(io, pin);
	return e;
}

struct vioapic_effect vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	struct vioapic_effect e = {0};

	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];

		if (!level_entry(io, pin) || (rte & IOAPIC_RTE_VECTOR_MASK) != vector ||
		    !(rte & IOAPIC_RTE_REMOTE_IRR))
			continue;
		io->rte[pin] = rte & ~IOAPIC_RTE_REMOTE_IRR;
		if (asserted(io, pin))
			e.deliver |= fire(io, pin);
	}
	return e;
}

void vioapic_level_vectors(const struct vioapic *io, uint64_t out[4])
{
	memset(out, 0, 4 * sizeof(out[0]));
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++)
		if (level_entry(io, pin)) {
			uint8_t v = (uint8_t)(io->rte[pin] & IOAPIC_RTE_VECTOR_MASK);

			out[v / 64] |= 1ull << (v % 64);
		}
}

static uint32_t read_reg(const struct vioapic *io, uint32_t index)
{
	uint32_t pin = (index - IOAPIC_IOREDTBL) / 2;

	switch (index) {
	case IOAPIC_IOAPICID:
	case IOAPIC_IOAPICARB: /* the arbitration ID is loaded from the ID */
		return io->id;
	case IOAPIC_IOAPICVER:
		return VER_VALUE;
	default:
		if (index < IOAPIC_IOREDTBL || pin >= VIOAPIC_PINS)
			return 0;
		return (uint32_t)(io->rte[pin] >> (index & 1 ? 32 : 0));
	}
}

/* A redirection-table word: the writable bits only; Remote IRR is the IOAPIC's. */
static void write_rte(struct vioapic *io, uint32_t index, uint32_t value, struct vioapic_effect *e)
{
	uint32_t pin = (index - IOAPIC_IOREDTBL) / 2;
	uint64_t old = io->rte[pin], rte, v = value;

	rte = index & 1 ? (old & 0xffffffffull) | v << 32 : (old & ~0xffffffffull) | v;
	rte = (rte & IOAPIC_RTE_WRITABLE) | (old & IOAPIC_RTE_REMOTE_IRR);
	if (!(rte & IOAPIC_RTE_TRIGGER_LEVEL))
		rte &= ~IOAPIC_RTE_REMOTE_IRR; /* an edge entry has nothing in service */
	io->rte[pin] = rte;
	e->level_changed =
	    ((old ^ rte) & IOAPIC_RTE_TRIGGER_LEVEL) ||
	    ((rte & IOAPIC_RTE_TRIGGER_LEVEL) && ((old ^ rte) & IOAPIC_RTE_VECTOR_MASK));
	/* Unmasking an asserted level entry sends it (a masked edge was lost). */
	if (level_entry(io, pin) && asserted(io, pin) && (old & IOAPIC_RTE_MASKED))
		e->deliver = fire(io, pin);
}

static void write_reg(struct vioapic *io, uint32_t index, uint32_t value, struct vioapic_effect *e)
{
	if (index == IOAPIC_IOAPICID)
		io->id = value & IOAPIC_ID_MASK;
	else if (index >= IOAPIC_IOREDTBL && (index - IOAPIC_IOREDTBL) / 2 < VIOAPIC_PINS)
		write_rte(io, index, value, e);
	/* VER, ARB and the unknown indexes are read-only */
}

struct vioapic_effect vioapic_mmio(struct vioapic *io, const struct vioapic_access *a)
{
	struct vioapic_effect e = {0};

	if (a->offset == IOAPIC_IOREGSEL) {
		if (a->write)
			io->regsel = (uint32_t)(a->value & 0xff);
		else
			e.read_value = io->regsel;
	} else if (a->offset == IOAPIC_IOWIN && a->size == 4) {
		if (a->write)
			write_reg(io, io->regsel, (uint32_t)a->value, &e);
		else
			e.read_value = read_reg(io, io->regsel);
	}
	return e;
}
