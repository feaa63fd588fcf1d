/* hv/dev/vuart.c: the virtual 16550. */
#include "tests/unit/check.h"
#include "hv/dev/vuart.h"

static char out[16][200];
static bool cont[16];
static unsigned lines;

static void emit(void *opaque, const char *line, size_t len, bool continued)
{
	(void)opaque;
	if (lines < 16) {
		memcpy(out[lines], line, len);
		out[lines][len] = '\0';
		cont[lines] = continued;
	}
	lines++;
}

static void send(struct vuart *u, const char *s)
{
	while (*s)
		vuart_write(u, 0, (uint8_t)*s++);
}

TEST(lines)
{
	struct vuart u;

	lines = 0;
	vuart_init(&u, emit, NULL);
	send(&u, "hello\r\nworld\n");
	CHECK_EQ(lines, 2);
	CHECK_STR(out[0], "hello");
	CHECK_STR(out[1], "world");
	send(&u, "partial");
	CHECK_EQ(lines, 2);
	vuart_flush(&u);
	CHECK_EQ(lines, 3);
	CHECK_STR(out[2], "partial");
	vuart_flush(&u);
	CHECK_EQ(lines, 3);
}

TEST(long_line_and_control_chars)
{
	struct vuart u;

	lines = 0;
	vuart_init(&u, emit, NULL);
	for (int i = 0; i < VUART_LINE_MAX + 5; i++)
		vuart_write(&u, 0, 'x');
	CHECK_EQ(lines, 1);
	CHECK_EQ(strlen(out[0]), VUART_LINE_MAX);
	CHECK(!cont[0]);
	vuart_write(&u, 0, '\n');
	CHECK_STR(out[1], "xxxxx");
	CHECK(cont[1]); /* the rest of the cut line is marked */
	send(&u, "a\033[2Jb\x01\n");
	CHECK_STR(out[2], "a?[2Jb?");
	CHECK(!cont[2]);
}

/* Megabytes without a newline: the buffer never grows, pieces keep coming, marked. */
TEST(flood_without_newline)
{
	static uint8_t buf[1 << 20];
	struct vuart u;

	lines = 0;
	memset(buf, 'y', sizeof(buf));
	vuart_init(&u, emit, NULL);
	vuart_transmit(&u, buf, sizeof(buf));
	CHECK_EQ(lines, sizeof(buf) / VUART_LINE_MAX);
	CHECK(u.len == sizeof(buf) % VUART_LINE_MAX);
	CHECK(!cont[0] && cont[1] && cont[15]);
	vuart_flush(&u);
	CHECK_EQ(lines, sizeof(buf) / VUART_LINE_MAX + 1);
	send(&u, "new\n");
	CHECK_EQ(lines, sizeof(buf) / VUART_LINE_MAX + 2); /* a flush ends the cut line */
}

TEST(receive_fifo)
{
	struct vuart u;
	char text[128];

	vuart_init(&u, emit, NULL);
	CHECK_EQ(vuart_read(&u, 5) & 0x01, 0); /* LSR.DR: nothing */
	CHECK(vuart_receive(&u, 'h'));
	CHECK(vuart_receive(&u, 'i'));
	CHECK_EQ(vuart_read(&u, 5), 0x61);
	CHECK_EQ(vuart_read(&u, 0), 'h');
	CHECK_EQ(vuart_read(&u, 0), 'i');
	CHECK_EQ(vuart_read(&u, 5), 0x60);
	CHECK_EQ(vuart_read(&u, 0), 0); /* empty: reads 0, stays empty */
	for (int i = 0; i < VUART_RX_SIZE; i++)
		CHECK(vuart_receive(&u, (uint8_t)i));
	CHECK(!vuart_receive(&u, 0xaa)); /* full: dropped and counted */
	CHECK_EQ(u.rx_dropped, 1);
	vuart_describe_input(&u, text, sizeof(text));
	CHECK_STR(text, "console input 66 bytes: 64 waiting, 0 cleared by the guest, 1 dropped "
			"(FIFO full)");
	for (int i = 0; i < VUART_RX_SIZE; i++)
		CHECK_EQ(vuart_read(&u, 0), (uint8_t)i);
	CHECK_EQ(vuart_read(&u, 5) & 0x01, 0);
	vuart_write(&u, 3, 0x80); /* DLAB: RBR is the divisor, the FIFO is untouched */
	CHECK(vuart_receive(&u, 'z'));
	CHECK_EQ(vuart_read(&u, 0), 0);
	vuart_write(&u, 3, 0x03);
	CHECK_EQ(vuart_read(&u, 0), 'z');
}

TEST(registers)
{
	struct vuart u;

	lines = 0;
	vuart_init(&u, emit, NULL);
	CHECK_EQ(vuart_read(&u, 5), 0x60); /* LSR: THR empty */
	vuart_write(&u, 7, 0xa5);
	CHECK_EQ(vuart_read(&u, 7), 0xa5); /* scratch */
	vuart_write(&u, 3, 0x80);	   /* DLAB */
	vuart_write(&u, 0, 0x01);
	vuart_write(&u, 1, 0x00);
	CHECK_EQ(vuart_read(&u, 0), 0x01);
	CHECK_EQ(lines, 0); /* divisor writes are not output */
	vuart_write(&u, 3, 0x03);
	CHECK_EQ(vuart_read(&u, 3), 0x03);
	vuart_write(&u, 1, 0xff);
	CHECK_EQ(vuart_read(&u, 1), 0x0f);
	CHECK_EQ(vuart_read(&u, 2), 0x02); /* ETBEI turned on: THR empty */
	CHECK_EQ(vuart_read(&u, 2), 0x01); /* cleared by the read: none pending */
	CHECK_EQ(vuart_read(&u, 0), 0);	   /* nothing received */
	CHECK_EQ(vuart_read(&u, 8), 0xff); /* beyond the UART */
}

/* The INTR line as the vIOAPIC sees it: every change, in order. */
static char irq_log[64];
static unsigned irq_n;

static void irq(void *opaque, bool level)
{
	(void)opaque;
	if (irq_n < sizeof(irq_log) - 1)
		irq_log[irq_n++] = level ? '1' : '0';
	irq_log[irq_n] = '\0';
}

static void irq_uart(struct vuart *u)
{
	lines = 0;
	vuart_init(u, emit, NULL);
	vuart_set_irq(u, irq, NULL);
	irq_n = 0;
	irq_log[0] = '\0';
}

/* IER.ETBEI: pending when it goes 0 -> 1 (THR is empty), cleared by an IIR read naming it. */
TEST(thre_interrupt)
{
	struct vuart u;

	irq_uart(&u);
	vuart_write(&u, 4, 0x08); /* OUT2 */
	vuart_write(&u, 1, 0x02); /* ETBEI */
	CHECK_STR(irq_log, "1");
	CHECK_EQ(vuart_read(&u, 5), 0x60); /* LSR does not clear it */
	CHECK_STR(irq_log, "1");
	CHECK_EQ(vuart_read(&u, 2), 0x02); /* THRE identified, and cleared by this read */
	CHECK_STR(irq_log, "10");
	CHECK_EQ(vuart_read(&u, 2), 0x01);
	/* Linux's THRE test: IER 0, then ETBEI again must raise it again. */
	vuart_write(&u, 1, 0x00);
	vuart_write(&u, 1, 0x02);
	CHECK_STR(irq_log, "101");
	vuart_write(&u, 1, 0x02); /* already on: no new interrupt */
	CHECK_STR(irq_log, "101");
	/* A THR write while the line is high: it falls and rises, one edge per byte. */
	vuart_write(&u, 0, 'a');
	CHECK_STR(irq_log, "10101");
	CHECK_EQ(vuart_read(&u, 2), 0x02);
	CHECK_STR(irq_log, "101010");
	vuart_write(&u, 0, 'b'); /* from low: rises once */
	CHECK_STR(irq_log, "1010101");
	vuart_write(&u, 1, 0x00); /* ETBEI off: the line drops, THRE stays pending inside */
	CHECK_STR(irq_log, "10101010");
	CHECK_EQ(vuart_read(&u, 2), 0x01);
	vuart_write(&u, 0, '\n');
	CHECK_STR(out[0], "ab");
	CHECK_STR(irq_log, "10101010"); /* no source enabled: nothing */
}

/* ERBFI: received data outranks THRE; OUT2 gates the line; FCR enables the FIFO bits. */
TEST(receive_interrupt_and_priority)
{
	struct vuart u;

	irq_uart(&u);
	vuart_write(&u, 1, 0x03); /* ERBFI | ETBEI, OUT2 still off */
	CHECK(vuart_receive(&u, 'x'));
	CHECK_STR(irq_log, "");		   /* OUT2 clear: the line never leaves the UART */
	CHECK_EQ(vuart_read(&u, 2), 0x04); /* but IIR says it */
	vuart_write(&u, 4, 0x0b);	   /* DTR, RTS, OUT2 */
	CHECK_STR(irq_log, "1");
	vuart_write(&u, 2, 0x01); /* FCR: FIFOs on */
	CHECK_EQ(vuart_read(&u, 2), 0xc4);
	CHECK_EQ(vuart_read(&u, 0), 'x');
	CHECK_STR(irq_log, "1");	   /* THRE still pending: the line stays up */
	CHECK_EQ(vuart_read(&u, 2), 0xc2); /* THRE next, cleared by this read */
	CHECK_STR(irq_log, "10");
	CHECK_EQ(vuart_read(&u, 2), 0xc1);
	CHECK(vuart_receive(&u, 'y'));
	CHECK(vuart_receive(&u, 'z')); /* already high: one rise for both */
	CHECK_STR(irq_log, "101");
	vuart_write(&u, 2, 0x03); /* FCR: clear the receive FIFO */
	CHECK_STR(irq_log, "1010");
	CHECK_EQ(vuart_read(&u, 5) & 0x01, 0);
	CHECK_EQ(u.rx_cleared, 2); /* counted for the statistics */
	vuart_write(&u, 2, 0x00);
	CHECK_EQ(vuart_read(&u, 2), 0x01);
	CHECK(vuart_receive(&u, 'w'));
	vuart_write(&u, 4, 0x03); /* OUT2 off with a source pending: the line drops */
	CHECK_STR(irq_log, "101010");
	vuart_reset_regs(&u); /* a restart: registers as at power-up, the byte kept */
	CHECK_EQ(vuart_read(&u, 1), 0);
	CHECK_EQ(vuart_read(&u, 0), 'w');
	CHECK_STR(irq_log, "101010");
}

/* Loopback (MCR bit 4): MSR reflects DTR, RTS, OUT1, OUT2 (Linux's probe without SKIP_TEST). */
TEST(loopback_modem_status)
{
	struct vuart u;

	irq_uart(&u);
	CHECK_EQ(vuart_read(&u, 6), 0xb0);
	vuart_write(&u, 4, 0x1a); /* LOOP | OUT2 | RTS */
	CHECK_EQ(vuart_read(&u, 6) & 0xf0, 0x90);
	vuart_write(&u, 4, 0x1f);
	CHECK_EQ(vuart_read(&u, 6) & 0xf0, 0xf0);
	vuart_write(&u, 4, 0x00);
	CHECK_EQ(vuart_read(&u, 6), 0xb0);
}

int main(void)
{
	CHECK_MAIN("vuart");
	RUN(lines);
	RUN(long_line_and_control_chars);
	RUN(flood_without_newline);
	RUN(receive_fifo);
	RUN(registers);
	RUN(thre_interrupt);
	RUN(receive_interrupt_and_priority);
	RUN(loopback_modem_status);
	return CHECK_END();
}
