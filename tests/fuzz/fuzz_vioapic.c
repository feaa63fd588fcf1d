/*
 * hv/dev/vioapic: a guest's accesses to its vIOAPIC window, as the exit
 * handler makes them (a MOV at RIP decoded by insn_decode_mov, or a plain
 * access of any offset, width and value), mixed with pin changes and EOIs of
 * any vector. After every step the model keeps the datasheet's promises:
 * only pins that exist are delivered, and only unmasked ones whose message a
 * vLAPIC can take; Remote IRR is set only on level entries, and on every
 * level entry just delivered; reserved bits stay 0; the version never changes;
 * the EOI-exit set is exactly the level entries' vectors.
 */
#include "tests/fuzz/fuzz.h"
#include "arch/x86/insn_decode.h"
#include "hv/dev/vioapic.h"

#define STEP 20 /* kind, 2 offset bytes, flags, 16 bytes of value or instruction */

static void check(const struct vioapic *io, const struct vioapic_effect *e)
{
	uint64_t bm[4], want[4] = {0};
	struct vlapic_ipi m;

	FUZZ_CHECK((e->deliver >> VIOAPIC_PINS) == 0);
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];
		bool level = rte & IOAPIC_RTE_TRIGGER_LEVEL;

		FUZZ_CHECK((rte & ~(IOAPIC_RTE_WRITABLE | IOAPIC_RTE_REMOTE_IRR)) == 0);
		FUZZ_CHECK(level || !(rte & IOAPIC_RTE_REMOTE_IRR));
		if (level)
			want[(rte & 0xff) / 64] |= 1ull << (rte & 63);
		if (!((e->deliver >> pin) & 1))
			continue;
		FUZZ_CHECK(!(rte & IOAPIC_RTE_MASKED));
		FUZZ_CHECK(vioapic_message(io, pin, &m));
		FUZZ_CHECK(m.mode == APIC_ICR_DM_NMI || m.vector >= 16);
		FUZZ_CHECK(m.shorthand == APIC_ICR_NO_SHORTHAND && !m.x2apic && m.dest <= 0xff);
		FUZZ_CHECK(!level || (rte & IOAPIC_RTE_REMOTE_IRR));
	}
	vioapic_level_vectors(io, bm);
	FUZZ_CHECK(!memcmp(bm, want, sizeof(bm)));
	FUZZ_CHECK((io->id & ~IOAPIC_ID_MASK) == 0 && io->regsel <= 0xff);
	FUZZ_CHECK((io->lines >> VIOAPIC_PINS) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sizes[] = {1, 2, 4, 8};
	struct vioapic io;

	vioapic_reset(&io, 1);
	for (; size >= STEP; data += STEP, size -= STEP) {
		struct vioapic_access a = {(data[1] | (uint32_t)data[2] << 8) % VIOAPIC_SIZE,
					   sizes[data[3] & 3], data[3] & 4, fuzz_get64(data + 4)};
		struct vioapic_effect e = {0};
		struct insn_mov m;

		switch (data[0] % 4) {
		case 0: /* the exit handler's path: the MOV decides width, direction, value */
			if (insn_decode_mov(data + 4, 16, (enum insn_cpu_mode)((data[3] >> 3) % 3),
					    &m))
				continue;
			a.size = m.size;
			a.write = m.kind != INSN_MOV_LOAD;
			a.value = m.kind == INSN_MOV_STORE_IMM ? m.imm : fuzz_get64(data + 12);
			e = vioapic_mmio(&io, &a);
			break;
		case 1:
			e = vioapic_mmio(&io, &a);
			break;
		case 2:
			e = vioapic_set_irq(&io, data[1] % 32, data[2] & 1);
			break;
		default:
			e = vioapic_eoi(&io, data[1]);
			break;
		}
		check(&io, &e);
		a = (struct vioapic_access){IOAPIC_IOREGSEL, 4, true, IOAPIC_IOAPICVER};
		vioapic_mmio(&io, &a);
		a = (struct vioapic_access){IOAPIC_IOWIN, 4, false, 0};
		FUZZ_CHECK(vioapic_mmio(&io, &a).read_value == 0x00170011);
		a = (struct vioapic_access){IOAPIC_IOREGSEL, 4, true, data[1]};
		vioapic_mmio(&io, &a); /* the selection the next step finds */
	}
	return 0;
}
