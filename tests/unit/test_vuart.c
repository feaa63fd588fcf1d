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
	CHECK_EQ(vuart_read(&u, 2), 0x01); /* no interrupt pending */
	CHECK_EQ(vuart_read(&u, 0), 0);	   /* nothing received */
	CHECK_EQ(vuart_read(&u, 8), 0xff); /* beyond the UART */
}

int main(void)
{
	CHECK_MAIN("vuart");
	RUN(lines);
	RUN(long_line_and_control_chars);
	RUN(flood_without_newline);
	RUN(receive_fifo);
	RUN(registers);
	return CHECK_END();
}
