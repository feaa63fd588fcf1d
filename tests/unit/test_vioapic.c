/* hv/dev/vioapic.c: the virtual 82093AA's registers, pins, Remote IRR and messages. */
#include "tests/unit/check.h"
#include "hv/dev/vioapic.h"

static uint32_t rd(struct vioapic *io, uint32_t index)
{
	struct vioapic_access sel = {IOAPIC_IOREGSEL, 4, true, index};
	struct vioapic_access win = {IOAPIC_IOWIN, 4, false, 0};

	vioapic_mmio(io, &sel);
	return vioapic_mmio(io, &win).read_value;
}

static struct vioapic_effect wr(struct vioapic *io, uint32_t index, uint32_t value)
{
	struct vioapic_access sel = {IOAPIC_IOREGSEL, 4, true, index};
	struct vioapic_access win = {IOAPIC_IOWIN, 4, true, value};

	vioapic_mmio(io, &sel);
	return vioapic_mmio(io, &win);
}

static struct vioapic_effect set_rte(struct vioapic *io, uint32_t pin, uint64_t rte)
{
	wr(io, IOAPIC_IOREDTBL + 2 * pin + 1, (uint32_t)(rte >> 32));
	return wr(io, IOAPIC_IOREDTBL + 2 * pin, (uint32_t)rte);
}

TEST(identification_and_reset)
{
	struct vioapic io;
	struct vioapic_access a = {IOAPIC_IOREGSEL, 4, false, 0};

	vioapic_reset(&io, 2);
	CHECK_EQ(rd(&io, IOAPIC_IOAPICID), 2u << 24);
	CHECK_EQ(rd(&io, IOAPIC_IOAPICVER), 0x00170011); /* 24 entries, version 0x11 */
	CHECK_EQ(rd(&io, IOAPIC_IOAPICARB), 2u << 24);
	CHECK_EQ(vioapic_mmio(&io, &a).read_value, IOAPIC_IOAPICARB); /* IOREGSEL reads back */
	wr(&io, IOAPIC_IOAPICID, 0xffffffff);
	CHECK_EQ(rd(&io, IOAPIC_IOAPICID), 0x0f000000); /* bits 27:24 only */
	wr(&io, IOAPIC_IOAPICVER, 0);
	CHECK_EQ(rd(&io, IOAPIC_IOAPICVER), 0x00170011); /* read-only */
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++) {
		CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 2 * pin), IOAPIC_RTE_MASKED);
		CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 2 * pin + 1), 0);
	}
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 2 * VIOAPIC_PINS), 0); /* beyond the table */
	CHECK_EQ(rd(&io, 0x03), 0);
	CHECK_EQ(rd(&io, 0xff), 0);
}

TEST(entry_bits_and_decoder)
{
	struct vioapic io;
	struct vioapic_access a;

	vioapic_reset(&io, 1);
	wr(&io, IOAPIC_IOREDTBL + 8, 0xffffffff);
	/* Delivery status (12) and Remote IRR (14) are read-only; bits 31:17 reserved. */
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 8), 0x1afff);
	wr(&io, IOAPIC_IOREDTBL + 9, 0xffffffff);
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 9), 0xff000000); /* only the destination */
	/* IOREGSEL by a byte write: the low byte selects. */
	a = (struct vioapic_access){IOAPIC_IOREGSEL, 1, true, 0x101};
	vioapic_mmio(&io, &a);
	a = (struct vioapic_access){IOAPIC_IOWIN, 4, false, 0};
	CHECK_EQ(vioapic_mmio(&io, &a).read_value, 0x00170011);
	/* IOWIN wants 32-bit accesses; other offsets are nothing. */
	a = (struct vioapic_access){IOAPIC_IOWIN, 1, false, 0};
	CHECK_EQ(vioapic_mmio(&io, &a).read_value, 0);
	a = (struct vioapic_access){IOAPIC_IOWIN, 8, true, 0};
	vioapic_mmio(&io, &a);
	a = (struct vioapic_access){0x20, 4, true, 0x10};
	CHECK_EQ(vioapic_mmio(&io, &a).deliver, 0);
	a = (struct vioapic_access){IOAPIC_IOREGSEL, 4, false, 0};
	CHECK_EQ(vioapic_mmio(&io, &a).read_value, 0x01); /* those changed no selection */
	CHECK_EQ(rd(&io, IOAPIC_IOAPICID), 1u << 24);
}

/* Edge entries: a message per rising edge while unmasked; edges while masked are lost. */
TEST(edge)
{
	struct vioapic io;
	struct vlapic_ipi m;

	vioapic_reset(&io, 1);
	CHECK_EQ(vioapic_set_irq(&io, 4, true).deliver, 0); /* masked */
	CHECK_EQ(vioapic_set_irq(&io, 4, false).deliver, 0);
	CHECK_EQ(set_rte(&io, 4, 0x0300000000000031ull).deliver, 0); /* unmasked, low line */
	CHECK_EQ(vioapic_set_irq(&io, 4, true).deliver, 1u << 4);
	CHECK_EQ(vioapic_set_irq(&io, 4, true).deliver, 0); /* still high: no edge */
	CHECK_EQ(vioapic_set_irq(&io, 4, false).deliver, 0);
	CHECK_EQ(vioapic_set_irq(&io, 4, true).deliver, 1u << 4);
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 8) & IOAPIC_RTE_REMOTE_IRR, 0); /* edge: never set */
	CHECK(vioapic_message(&io, 4, &m));
	CHECK_EQ(m.vector, 0x31);
	CHECK_EQ(m.mode, APIC_ICR_DM_FIXED);
	CHECK(!m.logical && !m.x2apic && !m.level_trigger);
	CHECK_EQ(m.dest, 3);
	CHECK_EQ(m.shorthand, APIC_ICR_NO_SHORTHAND);
	vioapic_set_irq(&io, 4, false);
	/* Masking while high, unmasking: the edge is gone. */
	set_rte(&io, 4, 0x0300000000010031ull);
	vioapic_set_irq(&io, 4, true);
	CHECK_EQ(set_rte(&io, 4, 0x0300000000000031ull).deliver, 0);
	CHECK_EQ(vioapic_set_irq(&io, 99, true).deliver, 0); /* no such pin */
	CHECK_EQ(io.lines, 1u << 4);
}

/* Level entries: Remote IRR holds further messages until the EOI of their vector. */
TEST(level_remote_irr_and_eoi)
{
	struct vioapic io;
	struct vioapic_effect e;
	uint64_t bm[4];

	vioapic_reset(&io, 1);
	vioapic_level_vectors(&io, bm);
	CHECK(!bm[0] && !bm[1] && !bm[2] && !bm[3]);
	e = set_rte(&io, 9, IOAPIC_RTE_TRIGGER_LEVEL | IOAPIC_RTE_MASKED | 0x41);
	CHECK(e.level_changed);
	vioapic_level_vectors(&io, bm);
	CHECK_EQ(bm[1], 1ull << 1);			    /* vector 0x41 */
	CHECK_EQ(vioapic_set_irq(&io, 9, true).deliver, 0); /* masked */
	e = set_rte(&io, 9, IOAPIC_RTE_TRIGGER_LEVEL | 0x41);
	CHECK_EQ(e.deliver, 1u << 9); /* unmasked while asserted */
	CHECK(!e.level_changed);
	CHECK(rd(&io, IOAPIC_IOREDTBL + 18) & IOAPIC_RTE_REMOTE_IRR);
	CHECK_EQ(vioapic_set_irq(&io, 9, true).deliver, 0); /* in service */
	CHECK_EQ(vioapic_eoi(&io, 0x42).deliver, 0);	    /* another vector */
	CHECK(rd(&io, IOAPIC_IOREDTBL + 18) & IOAPIC_RTE_REMOTE_IRR);
	CHECK_EQ(vioapic_eoi(&io, 0x41).deliver, 1u << 9); /* still asserted: again */
	vioapic_set_irq(&io, 9, false);
	CHECK_EQ(vioapic_eoi(&io, 0x41).deliver, 0);
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, 0);
	CHECK_EQ(vioapic_set_irq(&io, 9, true).deliver, 1u << 9);
	/* A guest write cannot clear Remote IRR; switching to edge does. */
	wr(&io, IOAPIC_IOREDTBL + 18, IOAPIC_RTE_TRIGGER_LEVEL | 0x41);
	CHECK(rd(&io, IOAPIC_IOREDTBL + 18) & IOAPIC_RTE_REMOTE_IRR);
	e = wr(&io, IOAPIC_IOREDTBL + 18, 0x41);
	CHECK(e.level_changed);
	CHECK_EQ(rd(&io, IOAPIC_IOREDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, 0);
	vioapic_level_vectors(&io, bm);
	CHECK_EQ(bm[1], 0);
	/* A new vector on a level entry changes the EOI-exit set too. */
	set_rte(&io, 9, IOAPIC_RTE_TRIGGER_LEVEL | IOAPIC_RTE_MASKED | 0xfe);
	CHECK(wr(&io, IOAPIC_IOREDTBL + 18, IOAPIC_RTE_TRIGGER_LEVEL | IOAPIC_RTE_MASKED | 0xfd)
		  .level_changed);
	vioapic_level_vectors(&io, bm);
	CHECK_EQ(bm[3], 1ull << 61);
}

/* Delivery modes: fixed, lowest priority, NMI go out; the others and low vectors do not. */
TEST(messages)
{
	static const struct {
		uint64_t rte;
		bool sent;
	} cases[] = {
	    {IOAPIC_RTE_DM_FIXED | 0x20, true},
	    {IOAPIC_RTE_DM_FIXED | 0x0f, false}, /* vectors 0-15 are illegal */
	    {IOAPIC_RTE_DM_LOWEST | 0x30, true},
	    {IOAPIC_RTE_DM_LOWEST | 0x05, false},
	    {IOAPIC_RTE_DM_NMI | 0x00, true}, /* NMI: the vector is ignored */
	    {IOAPIC_RTE_DM_SMI | 0x20, false},
	    {IOAPIC_RTE_DM_INIT | 0x20, false},
	    {IOAPIC_RTE_DM_EXTINT | 0x20, false},
	    {(3ull << 8) | 0x20, false},
	    {(6ull << 8) | 0x20, false},
	};
	struct vioapic io;
	struct vlapic_ipi m;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		vioapic_reset(&io, 1);
		set_rte(&io, 0, cases[i].rte | IOAPIC_RTE_DEST_LOGICAL | 0xa5ull << 56);
		CHECK_EQ(vioapic_message(&io, 0, &m), cases[i].sent);
		CHECK_EQ(vioapic_set_irq(&io, 0, true).deliver, cases[i].sent ? 1u : 0u);
		CHECK(m.logical);
		CHECK_EQ(m.dest, 0xa5);
		CHECK_EQ(m.mode, (uint32_t)(cases[i].rte & IOAPIC_RTE_DM_MASK));
		/* A dropped level message leaves Remote IRR clear: nothing waits for an EOI. */
		vioapic_reset(&io, 1);
		set_rte(&io, 0, cases[i].rte | IOAPIC_RTE_TRIGGER_LEVEL);
		vioapic_set_irq(&io, 0, true);
		CHECK_EQ(!!(rd(&io, IOAPIC_IOREDTBL) & IOAPIC_RTE_REMOTE_IRR), cases[i].sent);
	}
	CHECK(!vioapic_message(&io, VIOAPIC_PINS, &m));
}

int main(void)
{
	CHECK_MAIN("vioapic");
	RUN(identification_and_reset);
	RUN(entry_bits_and_decoder);
	RUN(edge);
	RUN(level_remote_irr_and_eoi);
	RUN(messages);
	return CHECK_END();
}
