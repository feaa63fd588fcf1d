/* See shell_parse.h. */
#include "hv/shell/shell_parse.h"
#include "lib/format.h"
#include "lib/string.h"

#define KEY_CTRL_C    0x03
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U    0x15
#define KEY_DEL	      0x7f

static void line_reset(struct shell_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
	l->too_long = l->unprintable = false;
}

enum shell_feed shell_line_feed(struct shell_line *l, uint8_t c)
{
	enum shell_feed r;

	switch (c) {
	case '\r':
	case '\n':
		l->buf[l->len] = '\0'; /* the last line's text may still be there past len */
		r = l->too_long	     ? SHELL_FEED_TOO_LONG
		    : l->unprintable ? SHELL_FEED_BAD_BYTE
				     : SHELL_FEED_LINE;
		if (r != SHELL_FEED_LINE)
			line_reset(l);
		else
			l->len =
			    0; /* buf keeps the line for the caller; the next byte overwrites it */
		return r;
	case KEY_CTRL_C:
		line_reset(l);
		return SHELL_FEED_CANCELLED;
	case KEY_CTRL_U:
		line_reset(l);
		return SHELL_FEED_MORE;
	case KEY_BACKSPACE:
	case KEY_DEL:
		if (l->len)
			l->buf[--l->len] = '\0';
		return SHELL_FEED_MORE;
	default:
		break;
	}
	if (c < 0x20 || c > 0x7e) {
		l->unprintable = true;
		return SHELL_FEED_MORE;
	}
	if (l->len >= SHELL_LINE_MAX) {
		l->too_long = true;
		return SHELL_FEED_MORE;
	}
	l->buf[l->len++] = (char)c;
	l->buf[l->len] = '\0';
	return SHELL_FEED_MORE;
}

/* ---- Commands ---- */

enum arg_kind { ARG_NONE, ARG_NAME, ARG_VCPU, ARG_LEVEL };

struct command {
	const char *word;
	enum shell_op op;
	enum arg_kind args[2];
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
    {"help", SHELL_HELP, {ARG_NONE}, "help", "this list"},
    {"list",
     SHELL_LIST,
     {ARG_NONE},
     "list",
     "each partition: state, CPUs, memory, timer, restarts, exits"},
    {"stats", SHELL_STATS, {ARG_NAME}, "stats NAME", "a partition's exits by reason, console"},
    {"stop", SHELL_STOP, {ARG_NAME}, "stop NAME", "stop a running partition (start resumes it)"},
    {"restart",
     SHELL_RESTART,
     {ARG_NAME},
     "restart NAME",
     "stop a running partition and boot it again"},
    {"start", SHELL_START, {ARG_NAME}, "start NAME", "boot a stopped or ended partition again"},
    {"regs",
     SHELL_REGS,
     {ARG_NAME, ARG_VCPU},
     "regs NAME VCPU",
     "a running vCPU's registers, dumped by its CPU"},
    {"hv-cpuid",
     SHELL_HV_CPUID,
     {ARG_NAME},
     "hv-cpuid NAME",
     "the Hyper-V CPUID leaves offered (hyperv = on)"},
    {"log",
     SHELL_LOG,
     {ARG_LEVEL},
     "log LEVEL",
     "show Tessera's lines up to LEVEL: error, warn, info, debug"},
    {"attach",
     SHELL_ATTACH,
     {ARG_NAME},
     "attach NAME",
     "console input to NAME's vUART (Ctrl-A three times: back)"},
};

static const char *const level_names[] = {"error", "warn", "info", "debug"};

uint32_t shell_nr_commands(void)
{
	return ARRAY_SIZE(commands);
}

const char *shell_command_usage(uint32_t i)
{
	return i < ARRAY_SIZE(commands) ? commands[i].usage : "";
}

const char *shell_command_help(uint32_t i)
{
	return i < ARRAY_SIZE(commands) ? commands[i].help : "";
}

const char *shell_level_name(uint32_t level)
{
	return level < ARRAY_SIZE(level_names) ? level_names[level] : "?";
}

/* Splits line at spaces into words[] (pointers into copy); returns how many, at most max. */
static uint32_t split(char *copy, char *words[], uint32_t max)
{
	uint32_t n = 0;
	char *p = copy;

	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		words[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int find_target(const struct shell_env *env, const char *word)
{
	uint32_t n = env->nr_targets < SHELL_TARGETS_MAX ? env->nr_targets : SHELL_TARGETS_MAX;

	for (uint32_t i = 0; i < n; i++)
		if (env->name[i] && !strcmp(env->name[i], word))
			return (int)i;
	return -1;
}

/* A decimal number below limit, without sign, spaces or leading zeros ("0" itself is fine). */
static bool parse_index(const char *s, uint32_t limit, uint32_t *out)
{
	uint32_t v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v >= limit)
			return false;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	if (v >= limit)
		return false;
	*out = v;
	return true;
}

static int parse_arg(const struct command *c, enum arg_kind kind, const char *word,
		     const struct shell_env *env, struct shell_cmd *out, char *err)
{
	int t;

	switch (kind) {
	case ARG_NAME:
		t = find_target(env, word);
		if (t < 0) {
			fmt_snprintf(err, SHELL_ERR_MAX,
				     "%s: no partition \"%s\" (list shows them)", c->word, word);
			return -1;
		}
		if (c->op == SHELL_ATTACH && !env->has_vuart[t]) {
			fmt_snprintf(err, SHELL_ERR_MAX, "attach: partition %s has no vUART", word);
			return -1;
		}
		out->target = (uint32_t)t;
		return 0;
	case ARG_VCPU:
		if (!parse_index(word, env->nr_vcpus[out->target], &out->vcpu)) {
			fmt_snprintf(err, SHELL_ERR_MAX,
				     "%s: vCPU \"%s\" is not one of partition %s's (0 to %u)",
				     c->word, word, env->name[out->target],
				     env->nr_vcpus[out->target] - 1);
			return -1;
		}
		return 0;
	case ARG_LEVEL:
		for (uint32_t i = 0; i < ARRAY_SIZE(level_names); i++)
			if (!strcmp(word, level_names[i])) {
				out->level = i;
				return 0;
			}
		fmt_snprintf(err, SHELL_ERR_MAX,
			     "log: level \"%s\" is not one of error, warn, info, debug", word);
		return -1;
	default:
		return -1;
	}
}

static const struct command *find_command(const char *word)
{
	for (uint32_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].word, word))
			return &commands[i];
	return NULL;
}

static uint32_t nr_args(const struct command *c)
{
	uint32_t n = 0;

	while (n < ARRAY_SIZE(c->args) && c->args[n] != ARG_NONE)
		n++;
	return n;
}

int shell_parse(const char *line, const struct shell_env *env, struct shell_cmd *cmd,
		char err[SHELL_ERR_MAX])
{
	char copy[SHELL_LINE_MAX + 1];
	char *words[SHELL_WORDS_MAX];
	struct shell_cmd out = {0};

	err[0] = '\0';
	if (strlen(line) > SHELL_LINE_MAX) {
		fmt_snprintf(err, SHELL_ERR_MAX, "line longer than %u characters", SHELL_LINE_MAX);
		return -1;
	}
	str_copy_bounded(copy, sizeof(copy), line, SHELL_LINE_MAX);
	uint32_t n = split(copy, words, SHELL_WORDS_MAX);
	if (n == 0)
		return 0;

	const struct command *c = find_command(words[0]);
	if (!c) {
		fmt_snprintf(err, SHELL_ERR_MAX, "unknown command \"%.24s\" (help lists them)",
			     words[0]);
		return -1;
	}
	uint32_t want = nr_args(c);
	if (n - 1 != want) {
		fmt_snprintf(err, SHELL_ERR_MAX, "%s: %s arguments; usage: %s", c->word,
			     n - 1 < want ? "too few" : "too many", c->usage);
		return -1;
	}
	out.op = c->op;
	for (uint32_t i = 0; i < want; i++)
		if (parse_arg(c, c->args[i], words[i + 1], env, &out, err))
			return -1;
	*cmd = out;
	return 1;
}
