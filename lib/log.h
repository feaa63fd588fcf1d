/*
 * Logging. Every line goes to the console prefixed with the CPU number:
 *   [cpu1] vmx: VMXON ok
 * The implementation lives in drivers/console.c (host tests supply their own).
 */
#ifndef TESSERA_LIB_LOG_H
#define TESSERA_LIB_LOG_H

#include "lib/types.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);

/* Lines of a level above `level` are dropped from then on (default: none). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* An info line printed whatever the level (the console shell's answers). */
void log_always(const char *fmt, ...) __printf(1, 2);

#define log_err(...)   log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* Stops every CPU and ends the run with a failure status (arch/x86/panic.c). */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#endif
