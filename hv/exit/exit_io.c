/*
 * I/O instruction exits. Ports passed through never get here (the I/O bitmap,
 * hv/policy/io_policy.c); what does is the virtual UART, the debug-exit ports, the
 * fw_cfg device (fw_cfg = on), the virtual CMOS clock, the ACPI sleep
 * registers, the reset and pvpanic ports, or a port with nothing behind it,
 * which reads all-ones and ignores writes.
 */
#include "hv/exit/vmexit.h"
#include "hv/policy/io_policy.h"
#include "hv/partition/partition.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmx_ops.h"
#include "lib/log.h"
#include "drivers/rtc.h"
#include "hv/load/guest_acpi.h"

/* Logs the first access to each empty port, for the first few ports of a partition. */
static void note_empty_port(struct vcpu *v, const struct io_access *io)
{
	struct partition *p = v->part;
	uint32_t nr;
	bool first;

	spin_lock(&p->lock);
	first = io_note_port(p->io_logged, &p->nr_io_logged, ARRAY_SIZE(p->io_logged), io->port);
	nr = p->nr_io_logged;
	spin_unlock(&p->lock);
	if (!first)
		return;
	log_warn("partition %s: vCPU %u: %s port %#x (%u byte%s) at RIP %#llx: nothing there, "
		 "%s; logged once%s",
		 p->name, v->index, io->in ? "IN from" : "OUT to", io->port, io->size,
		 io->size == 1 ? "" : "s", (unsigned long long)vmread(GUEST_RIP),
		 io->in ? "reads all-ones" : "write ignored",
		 nr == ARRAY_SIZE(p->io_logged) ? " (further ports are not logged)" : "");
}

/* A write to the ACPI sleep control register asking for S5 (soft off), as \_S5 says. */
static bool sleep_to_s5(uint8_t value)
{
	return (value & GUEST_ACPI_SLP_EN) &&
	       (value & GUEST_ACPI_SLP_TYP_MASK) >> GUEST_ACPI_SLP_TYP_SHIFT == GUEST_ACPI_S5_TYPE;
}

/* The reset and pvpanic ports (hv/policy/power_ports.h): a reboot, a crash, or nothing there. */
static enum exit_action power_io(struct vcpu *v, const struct io_access *io, uint64_t *rax)
{
	uint32_t value = io_out_value(*rax, io->size);

	if (io->in) {
		*rax = io_in_result(*rax, io->size, power_port_read(io->port, io->size));
		if (io->port != PVPANIC_PORT)
			note_empty_port(v, io);
		return EXIT_ADVANCE;
	}
	switch (power_port_write(io->port, io->size, value)) {
	case POWER_RESET:
		partition_reboot(v, "OUT %#x to port %#x", value, io->port);
		return EXIT_STOP;
	case POWER_PANIC:
		partition_crash(v, "the guest panicked (pvpanic: OUT %#x to port %#x)", value,
				io->port);
		return EXIT_STOP;
	case POWER_NONE:
		break;
	}
	if (io->port != PVPANIC_PORT)
		note_empty_port(v, io);
	return EXIT_ADVANCE;
}

enum exit_action handle_io(struct vcpu *v)
{
	struct partition *p = v->part;
	struct io_access io = vmx_decode_io(vmread(EXIT_QUALIFICATION));
	uint64_t *rax = &v->ctx.gpr[GPR_RAX];

	if (unlikely(io.string)) {
		partition_crash(v, "string I/O (%s) to port %#x is not emulated",
				io.in ? "INS" : "OUTS", io.port);
		return EXIT_STOP;
	}
	switch (io_port_kind(io.port, p->cfg->vuart_port, p->cfg->fw_cfg == CONFIG_ON)) {
	case IO_PORT_VUART: {
		unsigned reg = io.port - p->cfg->vuart_port;

		/* Wider accesses: the low byte is the register, the other bytes read as ones. */
		if (io.in)
			*rax =
			    io_in_result(*rax, io.size, 0xffffff00u | vuart_read(&p->vuart, reg));
		else
			vuart_write(&p->vuart, reg, (uint8_t)*rax);
		return EXIT_ADVANCE;
	}
	case IO_PORT_DEBUG_EXIT:
		if (io.in)
			break;
		partition_end(p, (int)io_out_value(*rax, io.size));
		return EXIT_STOP;
	case IO_PORT_FW_CFG: {
		unsigned off = io.port - FW_CFG_PORT_SEL;

		/* One device per partition: its vCPUs share the selection, as on QEMU. */
		spin_lock(&p->lock);
		if (io.in)
			*rax = io_in_result(*rax, io.size, fw_cfg_in(&p->fw_cfg, off, io.size));
		else
			fw_cfg_out(&p->fw_cfg, off, io.size, io_out_value(*rax, io.size));
		spin_unlock(&p->lock);
		return EXIT_ADVANCE;
	}
	case IO_PORT_RTC:
		if (io.in)
			*rax = io_in_result(*rax, io.size,
					    0xffffff00u | vrtc_read(&p->vrtc, io.port - IO_RTC_PORT,
								    rtc_now_seconds()));
		else
			vrtc_write(&p->vrtc, io.port - IO_RTC_PORT, (uint8_t)*rax,
				   rtc_now_seconds());
		return EXIT_ADVANCE;
	case IO_PORT_SLEEP:
		if (!io.in && io.port == GUEST_ACPI_SLEEP_CTL_PORT && sleep_to_s5((uint8_t)*rax)) {
			log_info("partition %s: vCPU %u: ACPI power-off (S5)", p->name, v->index);
			partition_end(p, 0);
			return EXIT_STOP;
		}
		if (io.in) /* neither register has anything to say: WAK_STS is 0 */
			*rax = io_in_result(*rax, io.size, 0);
		return EXIT_ADVANCE; /* other sleep states are not offered */
	case IO_PORT_POWER:
		return power_io(v, &io, rax);
	case IO_PORT_NONE:
		note_empty_port(v, &io);
		break;
	}
	if (io.in)
		*rax = io_in_result(*rax, io.size, 0xffffffffu);
	return EXIT_ADVANCE;
}
