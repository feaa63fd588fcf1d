/* hv/dev/vuart.c: the virtual 16550. */
#include "tests/unit/check.h"
#include "hv/dev/vuart.h"

static char out[16][200];
static unsigned lines;

static void emit(void *opaque, const char *line, size_t len)
{
	(void)opaque;
	if (lines < 16) {
		memcpy(out[lines], line, len);
		out[lines][len] = '\0';
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
	vuart_write(&u, 0, '\n');
	CHECK_STR(out[1], "xxxxx");
	send(&u, "a\033[2Jb\x01\n");
	CHECK_STR(out[2], "a?[2Jb?");
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
	RUN(registers);
	return CHECK_END();
}
