/*
 * Interrupt and exception handling. arch/x86/trap_entry.S has one entry stub
 * per vector; all of them save the interrupted registers into a struct
 * trap_frame on the stack and call trap_dispatch(), with interrupts off:
 *   - exceptions 0-31: a register dump, then panic() (NMI and the #GP fix-up of
 *     rdmsr_safe/wrmsr_safe excepted);
 *   - NMI: halts this CPU when panic() asked every CPU to stop, else is a
 *     request's kick (see vmx_enter_nmi_fixup) or logged;
 *   - VECTOR_REQUEST: only acknowledged (EOI); it wakes a CPU sleeping in HLT;
 *   - vectors 32-255: the handler given to irq_register() (which sends the EOI).
 */
#ifndef TESSERA_ARCH_X86_TRAPS_H
#define TESSERA_ARCH_X86_TRAPS_H

#include "lib/types.h"

#define VECTOR_TIMER	0xec
#define VECTOR_REQUEST	0xed /* a request is waiting (hv/vcpu/request.h): ends a HLT */
#define VECTOR_SPURIOUS 0xff
#define IDT_VECTORS	256

/* Lowest address first: the order in which trap_entry.S pushes, reversed. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;	   /* error_code is 0 where the CPU pushes none */
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*irq_handler_t)(struct trap_frame *frame);

/* Sets the handler of vector 32-255 (NULL removes it); others are refused and logged. */
void irq_register(uint8_t vector, irq_handler_t fn);
/*
 * Runs the handler of an interrupt the CPU already acknowledged (a VM exit with
 * "acknowledge interrupt on exit"), as if it had come through the IDT.
 */
void irq_run_acknowledged(uint8_t vector);

/* Called by trap_entry.S only. */
void trap_dispatch(struct trap_frame *frame);

/* Entry stubs, one per vector, for idt_init() (trap_entry.S). */
extern const uint64_t trap_stub_table[IDT_VECTORS];

/*
 * Stopping CPUs (implemented in arch/x86/panic.c). panic() sets the request and
 * NMIs every other CPU; an NMI handler that sees it calls cpu_stop_self(). Code
 * that takes NMIs another way (a VM exit for an NMI) must check it as well.
 */
bool cpu_stop_requested(void);
/* Logs "cpu N stopped" once and halts this CPU forever. */
__noreturn void cpu_stop_self(void);

#endif
