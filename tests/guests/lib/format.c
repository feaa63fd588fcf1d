/* The guest library's printf engine: one pass over the format, output by callback. */
#include <stdbool.h>
#include <stdint.h>
#include "tests/guests/lib/format.h"

struct spec {
	bool left, zero, alt;
	int width, precision; /* precision -1: none */
	int size;	      /* 'H' char, 'h' short, 0 int, 'l' long, 'L' long long */
};

struct sink {
	void (*put)(char c, void *ctx);
	void *ctx;
	int count;
};

static void emit(struct sink *s, char c)
{
	s->put(c, s->ctx);
	s->count++;
}

static void emit_fill(struct sink *s, char c, int n)
{
	while (n-- > 0)
		emit(s, c);
}

static void emit_text(struct sink *s, const struct spec *sp, const char *text, int len)
{
	if (!sp->left)
		emit_fill(s, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		emit(s, text[i]);
	if (sp->left)
		emit_fill(s, ' ', sp->width - len);
}

static void emit_number(struct sink *s, const struct spec *sp, uint64_t v, bool negative,
			unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits for 2^64 - 1 */
	int n = 0;
	const char *prefix = "";

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		prefix = "-";
	else if (sp->alt && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && buf[n - 1] != '0')
		prefix = "0";

	int plen = 0;
	while (prefix[plen])
		plen++;
	int pad = sp->width - n - plen;

	if (!sp->left && !sp->zero)
		emit_fill(s, ' ', pad);
	for (int i = 0; i < plen; i++)
		emit(s, prefix[i]);
	if (!sp->left && sp->zero)
		emit_fill(s, '0', pad);
	while (n > 0)
		emit(s, buf[--n]);
	if (sp->left)
		emit_fill(s, ' ', pad);
}

static uint64_t take_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->size) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t take_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->size) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	default:
		return va_arg(*ap, int);
	}
}

/* Widths and precisions beyond this are taken as this (no overflow, no flood). */
#define FIELD_MAX 4096

static int clamp(int v)
{
	return v > FIELD_MAX ? FIELD_MAX : v;
}

/* Reads flags, width, precision and length; returns the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.precision = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f != ' ' && *f != '+')
			break;
	}
	if (*f == '*') {
		int w = va_arg(*ap, int);
		if (w < 0) {
			sp->left = true;
			w = w < -FIELD_MAX ? FIELD_MAX : -w; /* also INT_MIN */
		}
		sp->width = clamp(w);
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = clamp(sp->width * 10 + (*f - '0'));
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			sp->precision = sp->precision < 0 ? -1 : clamp(sp->precision);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->precision = clamp(sp->precision * 10 + (*f - '0'));
	}
	if (f[0] == 'h' && f[1] == 'h') {
		sp->size = 'H';
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->size = 'L';
		f += 2;
	} else if (*f == 'h') {
		sp->size = 'h';
		f++;
	} else if (*f == 'l' || *f == 'z' || *f == 'j' || *f == 't') {
		sp->size = *f == 'j' ? 'L' : 'l'; /* size_t and ptrdiff_t are long here */
		f++;
	}
	return f;
}

int guest_vformat(void (*put)(char c, void *ctx), void *ctx, const char *fmt, va_list ap_in)
{
	struct sink s = {put, ctx, 0};
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&s, *fmt++);
			continue;
		}
		struct spec sp;
		fmt = parse_spec(fmt + 1, &sp, &ap);
		char conv = *fmt;
		if (conv == '\0')
			break;
		fmt++;
		switch (conv) {
		case 'd':
		case 'i': {
			int64_t v = take_signed(&sp, &ap);
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			emit_number(&s, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
			emit_number(&s, &sp, take_unsigned(&sp, &ap), false, 10, false);
			break;
		case 'x':
		case 'X':
			emit_number(&s, &sp, take_unsigned(&sp, &ap), false, 16, conv == 'X');
			break;
		case 'o':
			emit_number(&s, &sp, take_unsigned(&sp, &ap), false, 8, false);
			break;
		case 'p':
			sp.alt = true;
			emit_number(&s, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit_text(&s, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;
			if (!str)
				str = "(null)";
			while (str[len] && (sp.precision < 0 || len < sp.precision))
				len++;
			emit_text(&s, &sp, str, len);
			break;
		}
		case '%':
			emit(&s, '%');
			break;
		default: /* unknown: print it as written */
			emit(&s, '%');
			emit(&s, conv);
			break;
		}
	}
	va_end(ap);
	return s.count;
}

struct buffer {
	char *buf;
	size_t size, pos;
};

static void put_buffer(char c, void *ctx)
{
	struct buffer *b = ctx;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = {buf, size, 0};
	int n = guest_vformat(put_buffer, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int guest_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = guest_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
