/*
 * attack_triple: triple-faults on purpose. It loads an IDT with limit 0, so
 * no vector can be delivered, and raises #UD: #UD cannot be delivered (#GP),
 * neither can #GP (#DF), nor #DF: a triple fault. Tessera must stop (or
 * restart) this partition only; nothing after the fault may run.
 * Not for plain QEMU: there it resets (or, with -no-reboot, ends) the machine.
 */
#include "tests/guests/lib/lib.h"

const char guest_name[] = "attack_triple";

struct __attribute__((packed)) idt_pointer {
	uint16_t limit;
	uint64_t base;
};

static const struct idt_pointer empty_idt = {0, 0};

void guest_main(const struct guest_boot *boot)
{
	(void)boot;
	if (!check(on_tessera(), "on-tessera"))
		guest_finish();
	check((read_rflags() & (1u << 9)) == 0, "interrupts-off");
	guest_report();
	guest_printf("guest attack_triple: attacking: IDT limit 0, then ud2 (triple fault)\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(empty_idt) : "memory");

	checkf(false, "stopped-at-attack", "the guest ran on after a triple fault");
	guest_exit(1);
}
