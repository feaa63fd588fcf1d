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
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define IIR_NONE	0x01
#define MSR_CTS_DSR_DCD 0xb0

STATIC_ASSERT((VUART_RX_SIZE & (VUART_RX_SIZE - 1)) == 0, "a power of two");

void vuart_init(struct vuart *u, vuart_emit_fn *emit, void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->lock = (spinlock_t)SPINLOCK_INIT;
	u->emit = emit;
	u->opaque = opaque;
}

/* Lock held. */
static void emit_line(struct vuart *u, bool cut)
{
	u->emit(u->opaque, u->line, u->len, u->continued);
	u->len = 0;
	u->continued = cut;
}

static void transmit(struct vuart *u, uint8_t c)
{
	if (c == '\n') {
		emit_line(u, false);
		return;
	}
	if (c == '\r')
		return;
	/* Control characters other than tab would garble the shared console. */
	u->line[u->len++] = (c >= 0x20 && c < 0x7f) || c == '\t' ? (char)c : '?';
	if (u->len == VUART_LINE_MAX)
		emit_line(u, true); /* never grows, never waits: cut, and go on */
}

void vuart_transmit(struct vuart *u, const uint8_t *buf, size_t len)
{
	spin_lock(&u->lock);
	for (size_t i = 0; i < len; i++)
		transmit(u, buf[i]);
	spin_unlock(&u->lock);
}

void vuart_flush(struct vuart *u)
{
	spin_lock(&u->lock);
	if (u->len)
		emit_line(u, false);
	u->continued = false;
	spin_unlock(&u->lock);
}

bool vuart_receive(struct vuart *u, uint8_t c)
{
	uint32_t head = u->rx_head;

	if (head - __atomic_load_n(&u->rx_tail, __ATOMIC_ACQUIRE) == VUART_RX_SIZE) {
		u->rx_dropped++;
		return false;
	}
	u->rx[head % VUART_RX_SIZE] = c;
	__atomic_store_n(&u->rx_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

static bool rx_ready(const struct vuart *u)
{
	return __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE) != u->rx_tail;
}

static uint8_t rx_pop(struct vuart *u)
{
	uint8_t c = 0;

	spin_lock(&u->lock);
	if (rx_ready(u)) {
		c = u->rx[u->rx_tail % VUART_RX_SIZE];
		__atomic_store_n(&u->rx_tail, u->rx_tail + 1, __ATOMIC_RELEASE);
	}
	spin_unlock(&u->lock);
	return c;
}

void vuart_write(struct vuart *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (offset) {
	case REG_DATA:
		if (dlab)
			u->dll = value;
		else
			vuart_transmit(u, &value, 1);
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
		return dlab ? u->dll : rx_pop(u);
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return IIR_NONE;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THRE | LSR_TEMT | (rx_ready(u) ? LSR_DR : 0);
	case REG_MSR:
		return MSR_CTS_DSR_DCD;
	case REG_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}
