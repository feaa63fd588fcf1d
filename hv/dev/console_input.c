/* See console_input.h. */
#include "hv/dev/console_input.h"
#include "hv/dev/console_switch.h"
#include "hv/partition/partition.h"
#include "hv/shell/shell.h"
#include "drivers/console.h"
#include "lib/log.h"

#define POLL_MAX 16 /* bytes a poll moves: the UART's FIFO */

static struct console_switch sw;
static uint32_t focus; /* a partition index, or nr_partitions for Tessera */

static bool has_vuart(uint32_t i)
{
	return partition_has_vuart(&partitions[i]);
}

static void say_focus(void)
{
	if (focus < nr_partitions)
		log_info("console: input goes to partition %s (Ctrl-A three times: next)",
			 partitions[focus].name);
	else
		log_info("console: input goes to Tessera, its shell (Ctrl-A three times: next)");
}

void console_input_init(void)
{
	sw = (struct console_switch){0};
	focus = nr_partitions; /* Tessera, then the first partition with a vUART */
	focus = console_focus_next(focus, nr_partitions, has_vuart);
	shell_init();
	say_focus();
	if (focus == nr_partitions)
		shell_greet();
}

void console_input_attach(uint32_t partition)
{
	if (partition >= nr_partitions || !has_vuart(partition))
		return; /* the shell's parser refuses these first */
	focus = partition;
	say_focus();
}

static void deliver(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (focus >= nr_partitions)
			shell_feed(buf[i]); /* an attach may move the focus mid-way */
		else
			vuart_receive(&partitions[focus].vuart, buf[i]); /* a full FIFO drops */
	}
}

void console_input_poll(void)
{
	uint8_t c, out[CONSOLE_SWITCH_COUNT];
	size_t n;

	/* While the shell holds a line back (no console room yet), input waits in the UART. */
	for (int i = 0; i < POLL_MAX && shell_ready() && console_try_getc(&c); i++) {
		if (console_switch_feed(&sw, c, out, &n)) {
			focus = console_focus_next(focus, nr_partitions, has_vuart);
			say_focus();
			if (focus == nr_partitions)
				shell_greet();
		} else {
			deliver(out, n);
		}
	}
}
