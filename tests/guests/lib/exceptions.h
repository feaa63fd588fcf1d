/* Inside the guest library: the exception frame and the saved contexts that
 * vectors.S, exceptions.c and user.c share. */
#ifndef TESSERA_GUEST_LIB_EXCEPTIONS_H
#define TESSERA_GUEST_LIB_EXCEPTIONS_H

#include "tests/guests/lib/lib.h"

/* What exc_common leaves on the stack, lowest address first. */
struct exc_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* The callee-saved registers and the stack pointer of a ctx_call/user_enter. */
struct exc_context {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp;
};

/* Returns 0 when fn returns, or the value given to exc_resume_context(). */
uint64_t ctx_call(struct exc_context *ctx, void (*fn)(void *arg), void *arg);
/* Runs fn(arg) at CPL 3 on stack `rsp`; returns like ctx_call(). */
uint64_t user_enter(struct exc_context *ctx, long (*fn)(void *arg), void *arg, uint64_t rsp);
/* Makes the interrupted code return from ctx's ctx_call/user_enter with `value`, at CPL 0. */
void exc_resume_context(struct exc_frame *f, const struct exc_context *ctx, uint64_t value);

/* user.c: handles int $GUEST_VEC_USER_RETURN; false if no run_user() is active. */
bool user_return(struct exc_frame *f);
/* user.c: forgets an active run_user() that an exception abandoned. */
void user_abandon(void);

void exc_dispatch(struct exc_frame *f);

/* safe.c: the vector a fixed-up instruction raised, EXC_NONE if none. */
extern volatile int exc_fixup_vector;

#endif
