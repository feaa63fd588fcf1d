/* The virtual 16550: see vuart.h. Register offsets as in the 16550 data sheet. */
#include "hv/dev/vuart.h"
#include "lib/string.h"

#define REG_DATA	0 /* THR/RBR, or DLL with DLAB */
#define REG_IER		1 /* or DLM with DLAB */
#define REG_IIR		2 /* read: interrupt identification; write: FCR */
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define REG_MSR		6
#define REG_SCR		7
#define LCR_DLAB	0x80
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define IIR_NONE	0x01
#define MSR_CTS_DSR_DCD 0xb0

void vuart_init(struct vuart *u, void (*emit)(void *opaque, const char *line, size_t len),
		void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->emit = emit;
	u->opaque = opaque;
}

void vuart_flush(struct vuart *u)
{
	if (u->len) {
		u->emit(u->opaque, u->line, u->len);
		u->len = 0;
	}
}

static void transmit(struct vuart *u, uint8_t c)
{
	if (c == '\n') {
		u->emit(u->opaque, u->line, u->len);
		u->len = 0;
		return;
	}
	if (c == '\r')
		return;
	/* Control characters other than tab would garble the shared console. */
	u->line[u->len++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? (char)c : '?';
	if (u->len == VUART_LINE_MAX)
		vuart_flush(u);
}

void vuart_write(struct vuart *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (offset) {
	case REG_DATA:
		if (dlab)
			u->dll = value;
		else
			transmit(u, value);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = value;
		else
			u->ier = value & 0x0f;
		break;
	case REG_LCR:
		u->lcr = value;
		break;
	case REG_MCR:
		u->mcr = value & 0x1f;
		break;
	case REG_SCR:
		u->scr = value;
		break;
	default: /* FCR, LSR, MSR: nothing to keep */
		break;
	}
}

uint8_t vuart_read(struct vuart *u, unsigned offset)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (offset) {
	case REG_DATA:
		return dlab ? u->dll : 0;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return IIR_NONE;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THRE | LSR_TEMT;
	case REG_MSR:
		return MSR_CTS_DSR_DCD;
	case REG_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}
