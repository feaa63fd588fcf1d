/*
 * run_user(): a function at CPL 3. The library's page tables are user
 * accessible, so only the stack and the way back need arranging: the user
 * side ends with int $GUEST_VEC_USER_RETURN (a DPL 3 gate), whose handler
 * returns to run_user() at CPL 0 with the result.
 */
#include "tests/guests/lib/exceptions.h"

#define USER_STACK_SIZE 8192

static uint8_t user_stack[USER_STACK_SIZE] __attribute__((aligned(16)));

static struct {
	bool active;
	long result;
	struct exc_context ctx;
} user;

bool user_return(struct exc_frame *f)
{
	if (!user.active)
		return false;
	user.active = false;
	user.result = (long)f->rdi;
	exc_resume_context(f, &user.ctx, 0);
	return true;
}

void user_abandon(void)
{
	user.active = false;
}

bool run_user(long (*fn)(void *arg), void *arg, long *result)
{
	if (user.active)
		return false;
	user.active = true;
	user.result = 0;
	user_enter(&user.ctx, fn, arg, (uint64_t)(user_stack + sizeof(user_stack)));
	/* Back at CPL 0, either through user_return() or through an abandon. */
	bool done = !user.active && read_cs() == GUEST_SEL_CODE64;
	if (result)
		*result = user.result;
	return done;
}
