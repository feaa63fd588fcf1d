/* hv/shell/shell_parse.c: the console shell's line editor and command parser. */
#include "tests/unit/check.h"
#include "hv/shell/shell_parse.h"

static const struct shell_env env = {
    .nr_targets = 3,
    .name = {"alpha", "beta", "gamma"},
    .nr_vcpus = {2, 1, 12},
    .has_vuart = {true, true, false},
};

static struct shell_cmd cmd;
static char err[SHELL_ERR_MAX];

/* Parses and expects success; the command is in cmd. */
static int ok(const char *line)
{
	memset(&cmd, 0xee, sizeof(cmd));
	return shell_parse(line, &env, &cmd, err);
}

/* Parses, expects a refusal whose message holds `why`, and cmd untouched. */
static bool refused(const char *line, const char *why)
{
	struct shell_cmd before;

	memset(&cmd, 0xee, sizeof(cmd));
	before = cmd;
	if (shell_parse(line, &env, &cmd, err) != -1 || memcmp(&before, &cmd, sizeof(cmd)))
		return false;
	if (!strstr(err, why)) {
		printf("    message: %s\n", err);
		return false;
	}
	return strlen(err) < SHELL_ERR_MAX && !strchr(err, '\n');
}

TEST(every_command)
{
	CHECK_EQ(ok("help"), 1);
	CHECK_EQ(cmd.op, SHELL_HELP);
	CHECK_EQ(ok("list"), 1);
	CHECK_EQ(cmd.op, SHELL_LIST);
	CHECK_EQ(ok("stats beta"), 1);
	CHECK_EQ(cmd.op, SHELL_STATS);
	CHECK_EQ(cmd.target, 1);
	CHECK_EQ(ok("stop alpha"), 1);
	CHECK_EQ(cmd.op, SHELL_STOP);
	CHECK_EQ(cmd.target, 0);
	CHECK_EQ(ok("restart gamma"), 1);
	CHECK_EQ(cmd.op, SHELL_RESTART);
	CHECK_EQ(cmd.target, 2);
	CHECK_EQ(ok("start beta"), 1);
	CHECK_EQ(cmd.op, SHELL_START);
	CHECK_EQ(ok("regs alpha 1"), 1);
	CHECK_EQ(cmd.op, SHELL_REGS);
	CHECK_EQ(cmd.target, 0);
	CHECK_EQ(cmd.vcpu, 1);
	CHECK_EQ(ok("regs gamma 11"), 1);
	CHECK_EQ(cmd.vcpu, 11);
	CHECK_EQ(ok("hv-cpuid alpha"), 1);
	CHECK_EQ(cmd.op, SHELL_HV_CPUID);
	CHECK_EQ(ok("log warn"), 1);
	CHECK_EQ(cmd.op, SHELL_LOG);
	CHECK_EQ(cmd.level, 1);
	CHECK_EQ(ok("log debug"), 1);
	CHECK_EQ(cmd.level, 3);
	CHECK_EQ(ok("attach beta"), 1);
	CHECK_EQ(cmd.op, SHELL_ATTACH);
	CHECK_EQ(cmd.target, 1);
	CHECK_EQ(ok("   list   "), 1); /* spaces around and between words */
	CHECK_EQ(ok("regs  alpha   0"), 1);
	CHECK_EQ(cmd.vcpu, 0);
}

TEST(empty_lines)
{
	CHECK_EQ(ok(""), 0);
	CHECK_EQ(ok("     "), 0);
}

TEST(bad_input)
{
	CHECK(refused("halt", "unknown command \"halt\""));
	CHECK(refused("HELP", "unknown command"));
	CHECK(refused("help me", "too many arguments; usage: help"));
	CHECK(refused("stats", "too few arguments; usage: stats NAME"));
	CHECK(refused("stop alpha beta", "too many"));
	CHECK(refused("stop delta", "no partition \"delta\""));
	CHECK(refused("stop Alpha", "no partition"));
	CHECK(refused("stop alph", "no partition"));
	CHECK(refused("regs alpha", "too few"));
	CHECK(refused("regs alpha 2", "vCPU \"2\" is not one of partition alpha's (0 to 1)"));
	CHECK(refused("regs alpha -1", "vCPU"));
	CHECK(refused("regs alpha 01", "vCPU"));
	CHECK(refused("regs alpha 0x1", "vCPU"));
	CHECK(refused("regs alpha 1a", "vCPU"));
	CHECK(refused("regs gamma 12", "(0 to 11)"));
	CHECK(refused("regs gamma 4294967297", "vCPU")); /* wraps to 1 in 32 bits */
	CHECK(refused("regs gamma 99999999999999999999", "vCPU"));
	CHECK(refused("regs nobody 0", "no partition"));
	CHECK(refused("log loud", "not one of error, warn, info, debug"));
	CHECK(refused("log 3", "not one of"));
	CHECK(refused("log", "too few"));
	CHECK(refused("attach gamma", "partition gamma has no vUART"));
	CHECK(refused("attach", "too few"));
	CHECK(refused("hv-cpuid", "too few"));
	CHECK(refused("a b c d e f g", "unknown command \"a\""));
	char longline[SHELL_LINE_MAX + 2];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	CHECK(refused(longline, "longer than 80"));
	char longword[64];
	memset(longword, 'y', 60);
	longword[60] = '\0';
	CHECK(refused(longword, "unknown command"));
}

TEST(help_table)
{
	CHECK_EQ(shell_nr_commands(), SHELL_OP_COUNT);
	for (uint32_t i = 0; i < shell_nr_commands(); i++) {
		const char *u = shell_command_usage(i);
		char word[32] = {0};

		CHECK(strlen(u) > 0 && strlen(shell_command_help(i)) > 0);
		for (size_t k = 0; u[k] && u[k] != ' ' && k < sizeof(word) - 1; k++)
			word[k] = u[k];
		/* Every usage's first word is a command the parser takes. */
		CHECK(shell_parse(word, &env, &cmd, err) == 1 || strstr(err, "too few"));
	}
	CHECK_STR(shell_command_usage(99), "");
	CHECK_STR(shell_level_name(0), "error");
	CHECK_STR(shell_level_name(3), "debug");
	CHECK_STR(shell_level_name(4), "?");
}

/* Feeds a string; returns the last result. */
static enum shell_feed feed(struct shell_line *l, const char *s)
{
	enum shell_feed r = SHELL_FEED_MORE;

	for (; *s; s++)
		r = shell_line_feed(l, (uint8_t)*s);
	return r;
}

TEST(line_editor)
{
	struct shell_line l = {0};

	CHECK_EQ(feed(&l, "list\r"), SHELL_FEED_LINE);
	CHECK_STR(l.buf, "list");
	CHECK_EQ(feed(&l, "\n"), SHELL_FEED_LINE); /* the LF of CR LF: an empty line */
	CHECK_STR(l.buf, "");
	CHECK_EQ(feed(&l, "stq\bop al\x7f\x7f"
			  "alpha\n"),
		 SHELL_FEED_LINE);
	CHECK_STR(l.buf, "stop alpha");
	CHECK_EQ(feed(&l, "\b\b\bhelp\r"), SHELL_FEED_LINE); /* backspace on empty: nothing */
	CHECK_STR(l.buf, "help");
	CHECK_EQ(feed(&l, "garbage\x15list\r"), SHELL_FEED_LINE); /* Ctrl-U */
	CHECK_STR(l.buf, "list");
	CHECK_EQ(feed(&l, "stop alpha\x03"), SHELL_FEED_CANCELLED);
	CHECK_EQ(feed(&l, "\r"), SHELL_FEED_LINE);
	CHECK_STR(l.buf, "");
	CHECK_EQ(feed(&l, "li\x1bst\r"), SHELL_FEED_BAD_BYTE); /* an escape */
	CHECK_EQ(feed(&l, "\xfflist\r"), SHELL_FEED_BAD_BYTE);
	CHECK_EQ(feed(&l, "list\r"), SHELL_FEED_LINE); /* the editor is clean again */
	CHECK_STR(l.buf, "list");
	for (int i = 0; i < SHELL_LINE_MAX; i++)
		CHECK_EQ(shell_line_feed(&l, 'a'), SHELL_FEED_MORE);
	CHECK_EQ(l.len, SHELL_LINE_MAX);
	CHECK_EQ(feed(&l, "b\r"), SHELL_FEED_TOO_LONG);
	CHECK_EQ(feed(&l, "help\r"), SHELL_FEED_LINE);
	CHECK_STR(l.buf, "help");
	/* Exactly SHELL_LINE_MAX characters are a line. */
	for (int i = 0; i < SHELL_LINE_MAX; i++)
		shell_line_feed(&l, 'a');
	CHECK_EQ(feed(&l, "\r"), SHELL_FEED_LINE);
	CHECK_EQ(strlen(l.buf), SHELL_LINE_MAX);
	CHECK(refused(l.buf, "unknown command"));
}

int main(void)
{
	CHECK_MAIN("shell_parse");
	RUN(every_command);
	RUN(empty_lines);
	RUN(bad_input);
	RUN(help_table);
	RUN(line_editor);
	return CHECK_END();
}
