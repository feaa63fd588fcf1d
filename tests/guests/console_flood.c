/*
 * console_flood: writes megabytes to the console without a newline, through
 * the vUART (cmdline "vuart=BYTES", default 2 MiB, one OUT a byte without
 * waiting for the line status) and through TESSERA_HC_CONSOLE_WRITE
 * ("hypercall=BYTES", default 4 MiB, 4 KiB a call), in turns. Under Tessera the pieces
 * are cut and marked, most are dropped and counted, and a neighbour
 * (console_neighbour) must not notice (tests/system/console-flood.sh). Then it
 * waits for its output ring to empty, so that its check lines are not dropped.
 * "quiet" makes the same exits print nothing (OUTs to the scratch register,
 * hypercalls of length 0): the baseline run, whose CPUs do the same work, as
 * Bochs's clock depends on what every CPU runs.
 */
#include "tests/guests/isolation_common.h"

const char guest_name[] = "console_flood";

#define DEFAULT_VUART	  (1ull << 20)
#define DEFAULT_HYPERCALL (4ull << 20)
#define CHUNK		  TESSERA_CONSOLE_WRITE_MAX
#define ROUNDS		  64
#define DRAIN_TICKS	  30000000 /* its ring empties meanwhile: its own lines then arrive */
#define MAX_BYTES	  (64ull << 20)

static char chunk[CHUNK];

static void flood_vuart(uint64_t bytes, uint16_t port)
{
	for (uint64_t i = 0; i < bytes; i++)
		outb(port, (uint8_t)('a' + i % 26));
}

static bool flood_hypercall(uint64_t bytes, bool quiet)
{
	bool ok = true;

	while (bytes) {
		uint64_t n = bytes < CHUNK ? bytes : CHUNK;
		uint64_t len = quiet ? 0 : n;
		long ret = tessera_hypercall(TESSERA_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)chunk,
					     len, 0, 0);

		ok &= ret == (long)len;
		bytes -= n;
	}
	return ok;
}

/* Both ways in turn, ROUNDS rounds, so a neighbour sees both whenever it looks. */
static bool flood(uint64_t vuart, uint64_t hypercall, bool quiet)
{
	bool ok = true;

	for (uint32_t i = 0; i < CHUNK; i++)
		chunk[i] = (char)('A' + i % 26);
	for (unsigned r = 0; r < ROUNDS; r++) {
		flood_vuart(vuart / ROUNDS, quiet ? COM1_PORT + 7 : COM1_PORT);
		if (on_tessera())
			ok &= flood_hypercall(hypercall / ROUNDS, quiet);
	}
	return ok;
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t vuart = iso_arg_u64(boot, "vuart", DEFAULT_VUART, MAX_BYTES);
	uint64_t hypercall = iso_arg_u64(boot, "hypercall", DEFAULT_HYPERCALL, MAX_BYTES);
	char word[8];
	bool quiet = cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "quiet", word, sizeof(word));

	guest_printf(
	    "console_flood: %llu bytes through the vUART, %llu by hypercall, no newline%s\n",
	    (unsigned long long)vuart, (unsigned long long)hypercall,
	    quiet ? " (quiet: to the scratch register, hypercalls of length 0)" : "");
	bool ok = flood(vuart, hypercall, quiet);
	iso_spin(DRAIN_TICKS);
	guest_printf("\nconsole_flood: done\n");
	if (on_tessera())
		check(ok, "hypercall-writes-accepted");
	else
		skip("hypercall-writes-accepted", "not running on Tessera");
	check(true, "flood-written");
}
