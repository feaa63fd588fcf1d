/* A partition's interrupt lines: see partition_irq.h. */
#include "hv/partition/partition_irq.h"
#include "hv/partition/partition.h"
#include "hv/vlapic/vapic.h"
#include "hv/vcpu/request.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/string.h"

/* ioapic_lock held: the messages of `pins`, from `from` (NULL: a device, no vCPU). */
static void deliver(struct partition *p, struct vcpu *from, uint32_t pins)
{
	struct vlapic_ipi m;

	if (!pins || p->state != PARTITION_RUNNING)
		return; /* a stopped or restarting partition takes nothing */
	for (uint32_t pin = 0; pin < VIOAPIC_PINS; pin++)
		if ((pins >> pin) & 1 && vioapic_message(&p->vioapic, pin, &m))
			vapic_deliver_ipi(from, p, &m);
}

/* ioapic_lock held: the level vectors changed; every vCPU reloads its EOI-exit bitmap. */
static void level_vectors_changed(struct partition *p)
{
	uint64_t bm[4];

	vioapic_level_vectors(&p->vioapic, bm);
	if (!memcmp(bm, p->eoi_exit, sizeof(bm)))
		return;
	memcpy(p->eoi_exit, bm, sizeof(bm));
	for (uint32_t i = 0; i < p->nr_vcpus; i++)
		request_send(p->vcpus[i]->cpu, REQ(EOI_EXIT)); /* its own CPU: no kick */
}

static void apply(struct partition *p, struct vcpu *from, const struct vioapic_effect *e)
{
	if (e->level_changed)
		level_vectors_changed(p);
	deliver(p, from, e->deliver);
}

/* The vUART's INTR line (its lock held): from a vCPU's access or the housekeeping CPU. */
static void uart_line(void *opaque, bool level)
{
	struct partition *p = opaque;
	struct vioapic_effect e;
	struct vcpu *from = this_cpu()->vcpu;

	spin_lock(&p->ioapic_lock);
	e = vioapic_set_irq(&p->vioapic, GUEST_UART_IRQ, level);
	apply(p, from && from->part == p ? from : NULL, &e);
	spin_unlock(&p->ioapic_lock);
}

void partition_irq_build(struct partition *p)
{
	p->ioapic_on = p->cfg->ioapic == CONFIG_ON;
	p->ioapic_lock = (spinlock_t)SPINLOCK_INIT;
	p->acpi = (struct guest_acpi_params){.nr_cpus = p->nr_vcpus};
	if (!p->ioapic_on)
		return;
	/* An APIC ID no vCPU has (the vCPUs' are 0..N-1). */
	p->acpi.ioapic = true;
	p->acpi.ioapic_id = (uint8_t)p->nr_vcpus;
	p->acpi.ioapic_addr = IOAPIC_BASE_DEFAULT;
	if (p->cfg->vuart_port != CONFIG_VUART_OFF) {
		p->acpi.uart_port = (uint16_t)p->cfg->vuart_port;
		p->acpi.uart_irq = GUEST_UART_IRQ;
		vuart_set_irq(&p->vuart, uart_line, p);
	}
}

void partition_irq_reset(struct partition *p)
{
	vuart_reset_regs(&p->vuart); /* its line drops before the vIOAPIC is reset */
	spin_lock(&p->ioapic_lock);
	vioapic_reset(&p->vioapic, p->acpi.ioapic_id);
	memset(p->eoi_exit, 0, sizeof(p->eoi_exit));
	spin_unlock(&p->ioapic_lock);
}

uint64_t partition_ioapic_access(struct vcpu *v, const struct vioapic_access *a)
{
	struct partition *p = v->part;
	struct vioapic_effect e;

	spin_lock(&p->ioapic_lock);
	e = vioapic_mmio(&p->vioapic, a);
	apply(p, v, &e);
	spin_unlock(&p->ioapic_lock);
	return e.read_value;
}

void partition_irq_eoi(struct vcpu *v, uint8_t vector)
{
	struct partition *p = v->part;
	struct vioapic_effect e;

	if (!p->ioapic_on)
		return;
	spin_lock(&p->ioapic_lock);
	e = vioapic_eoi(&p->vioapic, vector);
	apply(p, v, &e);
	spin_unlock(&p->ioapic_lock);
}

void partition_irq_load_eoi_exit(struct vcpu *v)
{
	struct partition *p = v->part;
	uint64_t bm[4];

	spin_lock(&p->ioapic_lock);
	memcpy(bm, p->eoi_exit, sizeof(bm));
	spin_unlock(&p->ioapic_lock);
	for (unsigned i = 0; i < 4; i++)
		vmwrite(EOI_EXIT_BITMAP0 + 2 * i, bm[i]);
}
