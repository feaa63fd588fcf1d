/*
 * hv/shell/shell_parse.c: the console shell's editor and parser on any bytes
 * typed at the serial console. Every byte goes through shell_line_feed(); each
 * line it yields is parsed. Checked: a line never exceeds SHELL_LINE_MAX and
 * is printable ASCII; a parse gives 1, 0 or -1; a refusal leaves the command
 * untouched and says why in one terminated line; an accepted command names a
 * known partition, a vCPU it has, a level that exists, a vUART for attach.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/shell/shell_parse.h"

static const struct shell_env env = {
    .nr_targets = 3,
    .name = {"alpha", "beta", "g"},
    .nr_vcpus = {2, 1, 10},
    .has_vuart = {true, false, true},
};

static bool takes_name(enum shell_op op)
{
	return op != SHELL_HELP && op != SHELL_LIST && op != SHELL_LOG;
}

static void check_line(const char *text)
{
	struct shell_cmd cmd, before;
	char err[SHELL_ERR_MAX];

	FUZZ_CHECK(strlen(text) <= SHELL_LINE_MAX);
	for (const char *p = text; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p <= 0x7e);
	memset(&cmd, 0xa5, sizeof(cmd));
	before = cmd;
	int r = shell_parse(text, &env, &cmd, err);
	FUZZ_CHECK(r >= -1 && r <= 1);
	if (r != 1) {
		FUZZ_CHECK(!memcmp(&cmd, &before, sizeof(cmd)));
		FUZZ_CHECK(memchr(err, '\0', SHELL_ERR_MAX) != NULL);
		FUZZ_CHECK(!strchr(err, '\n'));
		FUZZ_CHECK(r == 0 || err[0]);
		return;
	}
	FUZZ_CHECK(cmd.op < SHELL_OP_COUNT);
	if (takes_name(cmd.op))
		FUZZ_CHECK(cmd.target < env.nr_targets);
	if (cmd.op == SHELL_REGS)
		FUZZ_CHECK(cmd.vcpu < env.nr_vcpus[cmd.target]);
	if (cmd.op == SHELL_LOG)
		FUZZ_CHECK(cmd.level <= 3);
	if (cmd.op == SHELL_ATTACH)
		FUZZ_CHECK(env.has_vuart[cmd.target]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shell_line line = {0};

	for (size_t i = 0; i < size; i++) {
		enum shell_feed r = shell_line_feed(&line, data[i]);

		FUZZ_CHECK(line.len <= SHELL_LINE_MAX);
		if (r == SHELL_FEED_LINE)
			check_line(line.buf);
	}
	/* The raw input as one line too: the parser must take any string. */
	char raw[SHELL_LINE_MAX + 8];
	size_t n = size < sizeof(raw) - 1 ? size : sizeof(raw) - 1;
	memcpy(raw, data, n);
	raw[n] = '\0';
	struct shell_cmd cmd;
	char err[SHELL_ERR_MAX];
	int r = shell_parse(raw, &env, &cmd, err);
	FUZZ_CHECK(r >= -1 && r <= 1);
	FUZZ_CHECK(strlen(raw) <= SHELL_LINE_MAX || r == -1);
	return 0;
}
