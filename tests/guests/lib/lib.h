/*
 * The test-guest library: everything a guest in tests/guests/NAME.c uses
 * besides guest-abi/. See docs/test-guests.md.
 *
 * A guest defines
 *   const char guest_name[] = "NAME";
 *   void guest_main(const struct guest_boot *boot) { ...checks...; guest_finish(); }
 * The library's entry code (PVH or multiboot v1) switches to 64-bit long mode
 * with identity-mapped low 4 GiB, its own GDT, TSS and IDT, a COM1 console,
 * and calls guest_main() at CPL 0 with interrupts off.
 */
#ifndef TESSERA_GUEST_LIB_LIB_H
#define TESSERA_GUEST_LIB_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest-abi/tessera.h"
#include "tests/guests/lib/boot_layout.h"
#include "tests/guests/lib/cmdline.h"
#include "tests/guests/lib/format.h"
#include "tests/guests/lib/x86.h"

#define __noreturn     __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))

/* ---- What the loader gave ------------------------------------------------ */

/* Machine state at the entry point, recorded before the library changed it. */
struct guest_entry_state {
	uint32_t eax, ebx, esp, eflags, cr0, cr4;
	uint32_t gdt_base, gdt_limit;
	uint32_t desc_valid;		 /* bit ENTRY_SEG_x: desc[x] holds the GDT entry */
	uint32_t sel[ENTRY_NR_SEGS];	 /* CS DS ES SS FS GS TR selectors */
	uint32_t desc[ENTRY_NR_SEGS][2]; /* their descriptors: low, high dword */
};
_Static_assert(__builtin_offsetof(struct guest_entry_state, eflags) == ENTRY_EFLAGS, "layout");
_Static_assert(__builtin_offsetof(struct guest_entry_state, cr4) == ENTRY_CR4, "layout");
_Static_assert(__builtin_offsetof(struct guest_entry_state, desc_valid) == ENTRY_DESC_VALID,
	       "layout");
_Static_assert(__builtin_offsetof(struct guest_entry_state, sel) == ENTRY_SEL, "layout");
_Static_assert(__builtin_offsetof(struct guest_entry_state, desc) == ENTRY_DESC, "layout");
_Static_assert(sizeof(struct guest_entry_state) == ENTRY_STATE_SIZE, "layout");

struct guest_boot {
	uint32_t protocol; /* GUEST_BOOT_PVH or GUEST_BOOT_MULTIBOOT */
	uint32_t magic;	   /* EAX at entry (0x2BADB002 from a multiboot loader) */
	uint64_t info;	   /* EBX at entry: hvm_start_info or multiboot_info address */
	struct guest_entry_state entry;
};

/* A segment descriptor from the entry snapshot, decoded. */
struct seg_desc {
	uint32_t base, limit; /* limit in bytes, granularity applied */
	uint8_t type;	      /* 4 bits */
	bool s, present, l, db, g;
	uint8_t dpl;
};
/* False if the snapshot has no descriptor for segment `seg` (ENTRY_SEG_*). */
bool entry_seg_desc(const struct guest_entry_state *st, unsigned seg, struct seg_desc *out);

/* Provided by each guest. */
extern const char guest_name[];
void guest_main(const struct guest_boot *boot);

/* ---- Console (COM1, polled; works on QEMU and on Tessera's vUART) ---------- */
#define COM1_PORT 0x3f8
void console_init(void);
void console_putc(char c);
void console_puts(const char *s);
int guest_printf(const char *fmt, ...) __printf(1, 2);
int guest_vprintf(const char *fmt, va_list ap);

/* ---- Checks ---------------------------------------------------------------- */
/*
 * Each prints "PASS: guest/NAME/what" or "FAIL: guest/NAME/what: details" and
 * counts it; `what` is a short name without spaces. They return `cond`.
 */
bool check(bool cond, const char *what);
bool checkf(bool cond, const char *what, const char *fmt, ...) __printf(3, 4);
bool check_eq(const char *what, uint64_t got, uint64_t want);
/* Prints "SKIP: guest/NAME/what: why"; counts as neither. */
void skip(const char *what, const char *why);
unsigned checks_failed(void);
/* Prints "guest NAME: N passed, N failed"; returns the number failed. */
unsigned guest_report(void);
/* guest_report(), then writes 0 (all passed) or 1 to port 0xf4. */
__noreturn void guest_finish(void);
/* Writes `status` to port 0xf4, then stops this vCPU. */
__noreturn void guest_exit(uint32_t status);

/* ---- Exceptions ------------------------------------------------------------ */
#define EXC_NONE (-1)
#define EXC_DE	 0
#define EXC_DB	 1
#define EXC_NMI	 2
#define EXC_BP	 3
#define EXC_OF	 4
#define EXC_BR	 5
#define EXC_UD	 6
#define EXC_NM	 7
#define EXC_DF	 8
#define EXC_TS	 10
#define EXC_NP	 11
#define EXC_SS	 12
#define EXC_GP	 13
#define EXC_PF	 14
#define EXC_MF	 16
#define EXC_AC	 17
#define EXC_MC	 18
#define EXC_XM	 19

struct exc_info {
	int vector;	     /* first expected exception seen, or EXC_NONE */
	unsigned count;	     /* how many times the expected vector was raised */
	uint64_t error_code; /* of the first one (0 for vectors without one) */
	uint64_t rip;	     /* of the faulting (or, for traps, the next) instruction */
	uint64_t cr2;	     /* CR2 at the time (meaningful for #PF) */
	uint16_t cs;	     /* CS of the interrupted code: CPL in bits 0-1 */
	uint64_t rflags;     /* RFLAGS pushed by the first one (RF set for faults) */
	bool completed;	     /* fn returned (false: it was abandoned) */
	int other_vector;    /* an unexpected vector that abandoned fn, or EXC_NONE */
};

/*
 * Runs fn(arg) expecting exception `vector`. When it is raised, it is recorded
 * and fn resumes after the faulting instruction (traps such as #BP resume
 * where the CPU left them). If the instruction cannot be decoded, or another
 * vector is raised, fn is abandoned and exc_expect returns at once.
 * Returns whether `vector` was raised. Not nestable.
 */
bool exc_expect(int vector, void (*fn)(void *arg), void *arg, struct exc_info *info);
const char *exc_name(int vector);
void exceptions_init(void);

/* MSR access and hypercalls that report an exception instead of dying of it:
 * they return EXC_NONE, or the vector raised (then *value / *ret is 0). */
int rdmsr_safe(uint32_t msr, uint64_t *value);
int wrmsr_safe(uint32_t msr, uint64_t value);
int hypercall_safe(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, long *ret);

/* Runs fn(arg) at CPL 3 (IOPL 0, interrupts off) on its own stack and stores its
 * result. Returns false if fn could not complete (an exception abandoned it). */
bool run_user(long (*fn)(void *arg), void *arg, long *result);

/* ---- Tessera ----------------------------------------------------------------- */
/*
 * The first hypervisor CPUID base (0x40000000 + n * 0x100, n < 256) whose leaf
 * carries "TesseraHV", as a guest that may also be offered another interface
 * looks for it; 0 when there is none. ABI 1.1 answers at 0x40000000 (while no
 * other interface is offered) and at 0x40000100.
 */
uint32_t tessera_cpuid_base(void);
/* Whether tessera_cpuid_base() found Tessera. */
bool on_tessera(void);

/* ---- Memory and strings (also what the compiler may call) ------------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);

#endif
