/*
 * The console shell's pure half: the line editor that turns typed bytes into
 * a line, and the parser that turns a line into a checked command. No
 * hardware, no globals: host-tested (tests/unit/test_shell_parse.c) and
 * fuzzed (tests/fuzz/fuzz_shell_parse.c), since every byte comes from whoever
 * holds the serial console.
 *
 * What the parser checks, each with a message saying why: the command is
 * known, it has exactly its arguments, a NAME is a partition of the config, a
 * VCPU is a decimal number below that partition's vCPU count, a LEVEL is one
 * of the log levels, `attach` names a partition with a vUART. What depends on
 * the moment (is the partition running?) is checked by hv/shell/shell.c.
 */
#ifndef TESSERA_HV_SHELL_PARSE_H
#define TESSERA_HV_SHELL_PARSE_H

#include "lib/types.h"

#define SHELL_LINE_MAX	  80 /* characters of a command line */
#define SHELL_WORDS_MAX	  4  /* a command and its arguments, plus one to see too many */
#define SHELL_TARGETS_MAX 16 /* partitions the parser knows */
#define SHELL_ERR_MAX	  128

/* ---- The line editor ---- */

struct shell_line {
	char buf[SHELL_LINE_MAX + 1];
	uint32_t len;
	bool too_long;	  /* a character did not fit: the line is refused */
	bool unprintable; /* a byte that is neither printable nor an editing key */
};

enum shell_feed {
	SHELL_FEED_MORE,      /* keep typing */
	SHELL_FEED_LINE,      /* Enter: buf holds the line (NUL-terminated), maybe empty */
	SHELL_FEED_TOO_LONG,  /* Enter after more than SHELL_LINE_MAX characters: dropped */
	SHELL_FEED_BAD_BYTE,  /* Enter after an unprintable byte: dropped */
	SHELL_FEED_CANCELLED, /* Ctrl-C: the line is dropped */
};

/*
 * One typed byte. CR or LF ends the line (so CR LF gives a second, empty line,
 * which callers ignore); Backspace (0x08) and DEL (0x7f) remove the last
 * character, Ctrl-U the whole line, Ctrl-C cancels it; printable ASCII is kept.
 * After any result but MORE the editor is empty again.
 */
enum shell_feed shell_line_feed(struct shell_line *l, uint8_t c);

/* ---- The parser ---- */

enum shell_op {
	SHELL_HELP,
	SHELL_LIST,
	SHELL_STATS,
	SHELL_STOP,
	SHELL_RESTART,
	SHELL_START,
	SHELL_REGS,
	SHELL_HV_CPUID,
	SHELL_LOG,
	SHELL_ATTACH,
	SHELL_OP_COUNT
};

/* What the parser knows of the partitions: names, vCPU counts, vUARTs. */
struct shell_env {
	uint32_t nr_targets;
	const char *name[SHELL_TARGETS_MAX];
	uint32_t nr_vcpus[SHELL_TARGETS_MAX];
	bool has_vuart[SHELL_TARGETS_MAX];
};

struct shell_cmd {
	enum shell_op op;
	uint32_t target; /* a partition index (commands with NAME) */
	uint32_t vcpu;	 /* regs */
	uint32_t level;	 /* log: enum log_level */
};

/*
 * Parses a line from the editor. 1: *cmd holds a checked command. 0: the line
 * is empty (only spaces). -1: err holds why it was refused (one line, no
 * newline), and *cmd is untouched.
 */
int shell_parse(const char *line, const struct shell_env *env, struct shell_cmd *cmd,
		char err[SHELL_ERR_MAX]);

/* The command table, for `help`: the i-th usage ("regs NAME VCPU") and what it does. */
uint32_t shell_nr_commands(void);
const char *shell_command_usage(uint32_t i);
const char *shell_command_help(uint32_t i);

/* The log level names, as `log` takes them: "error", "warn", "info", "debug". */
const char *shell_level_name(uint32_t level);

#endif
