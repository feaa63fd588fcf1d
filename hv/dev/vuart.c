/* The virtual 16550: see vuart.h. Register offsets as in the 16550 data sheet. */
#include "hv/dev/vuart.h"
#include "lib/format.h"
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
#define IER_ERBFI	0x01 /* received data available */
#define IER_ETBEI	0x02 /* transmitter holding register empty */
#define IER_MASK	0x0f
#define IIR_NONE	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_FIFO	0xc0 /* FIFOs enabled */
#define FCR_FIFO_ENABLE 0x01
#define FCR_RX_CLEAR	0x02
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08 /* on a PC: gates INTR to the interrupt controller */
#define MCR_LOOP	0x10
#define MCR_MASK	0x1f
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

STATIC_ASSERT((VUART_RX_SIZE & (VUART_RX_SIZE - 1)) == 0, "a power of two");

void vuart_init(struct vuart *u, vuart_emit_fn *emit, void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->lock = (spinlock_t)SPINLOCK_INIT;
	u->emit = emit;
	u->opaque = opaque;
}

void vuart_set_irq(struct vuart *u, vuart_irq_fn *irq, void *opaque)
{
	spin_lock(&u->lock);
	u->irq = irq;
	u->irq_opaque = opaque;
	u->irq_level = false;
	spin_unlock(&u->lock);
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

static bool rx_ready(const struct vuart *u)
{
	return __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE) != u->rx_tail;
}

/* Lock held: the pending source IIR identifies, highest priority first. */
static uint8_t iir(const struct vuart *u)
{
	uint8_t fifo = u->fifo ? IIR_FIFO : 0;

	if ((u->ier & IER_ERBFI) && rx_ready(u))
		return fifo | IIR_RDA;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return fifo | IIR_THRE;
	return fifo | IIR_NONE;
}

/* Lock held: the INTR line follows the sources and OUT2; each change goes to `irq`. */
static void irq_update(struct vuart *u)
{
	bool level = (u->mcr & MCR_OUT2) && !(iir(u) & IIR_NONE);

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->irq_opaque, level);
}

void vuart_reset_regs(struct vuart *u)
{
	spin_lock(&u->lock);
	u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = 0;
	u->fifo = u->thre_pending = false;
	irq_update(u);
	spin_unlock(&u->lock);
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
	uint32_t head;
	bool ok = false;

	spin_lock(&u->lock);
	head = u->rx_head;
	if (head - __atomic_load_n(&u->rx_tail, __ATOMIC_ACQUIRE) == VUART_RX_SIZE) {
		__atomic_store_n(&u->rx_dropped, u->rx_dropped + 1, __ATOMIC_RELAXED);
	} else {
		u->rx[head % VUART_RX_SIZE] = c;
		__atomic_store_n(&u->rx_head, head + 1, __ATOMIC_RELEASE);
		__atomic_store_n(&u->rx_received, u->rx_received + 1, __ATOMIC_RELAXED);
		irq_update(u);
		ok = true;
	}
	spin_unlock(&u->lock);
	return ok;
}

/* Counters read without the lock, one by one: figures for a person, not a snapshot. */
void vuart_describe_input(const struct vuart *u, char *buf, size_t size)
{
	uint64_t received = __atomic_load_n(&u->rx_received, __ATOMIC_RELAXED);
	uint32_t waiting = __atomic_load_n(&u->rx_head, __ATOMIC_RELAXED) -
			   __atomic_load_n(&u->rx_tail, __ATOMIC_RELAXED);

	fmt_snprintf(buf, size,
		     "console input %llu bytes: %u waiting, %llu cleared by the guest, %llu "
		     "dropped (FIFO full)",
		     (unsigned long long)received, waiting,
		     (unsigned long long)__atomic_load_n(&u->rx_cleared, __ATOMIC_RELAXED),
		     (unsigned long long)__atomic_load_n(&u->rx_dropped, __ATOMIC_RELAXED));
}

/* Lock held. */
static uint8_t rx_pop(struct vuart *u)
{
	uint8_t c = 0;

	if (rx_ready(u)) {
		c = u->rx[u->rx_tail % VUART_RX_SIZE];
		__atomic_store_n(&u->rx_tail, u->rx_tail + 1, __ATOMIC_RELEASE);
	}
	return c;
}

/* Lock held: THR takes a byte, which goes out at once: THRE falls, then rises again. */
static void write_thr(struct vuart *u, uint8_t c)
{
	u->thre_pending = false;
	irq_update(u);
	transmit(u, c);
	u->thre_pending = true;
	irq_update(u);
}

static void write_fcr(struct vuart *u, uint8_t value)
{
	u->fifo = value & FCR_FIFO_ENABLE;
	if (value & FCR_RX_CLEAR) {
		uint32_t head = __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE);

		__atomic_store_n(&u->rx_cleared, u->rx_cleared + (head - u->rx_tail),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&u->rx_tail, head, __ATOMIC_RELEASE);
	}
}

static void write_locked(struct vuart *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (offset) {
	case REG_DATA:
		if (dlab)
			u->dll = value;
		else
			write_thr(u, value);
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = value;
			break;
		}
		if (!(u->ier & IER_ETBEI) && (value & IER_ETBEI))
			u->thre_pending = true; /* THR is empty: enabling its interrupt raises it */
		u->ier = value & IER_MASK;
		break;
	case REG_IIR:
		write_fcr(u, value);
		break;
	case REG_LCR:
		u->lcr = value;
		break;
	case REG_MCR:
		u->mcr = value & MCR_MASK;
		break;
	case REG_SCR:
		u->scr = value;
		break;
	default: /* LSR, MSR: nothing to keep */
		break;
	}
}

void vuart_write(struct vuart *u, unsigned offset, uint8_t value)
{
	spin_lock(&u->lock);
	write_locked(u, offset, value);
	irq_update(u);
	spin_unlock(&u->lock);
}

/* The modem lines: carrier, ready and clear to send; in loopback, MCR's outputs. */
static uint8_t modem_status(const struct vuart *u)
{
	uint8_t m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
	       (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
}

static uint8_t read_locked(struct vuart *u, unsigned offset)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t id;

	switch (offset) {
	case REG_DATA:
		return dlab ? u->dll : rx_pop(u);
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		id = iir(u);
		if ((id & ~IIR_FIFO) == IIR_THRE)
			u->thre_pending = false; /* reading IIR clears the THRE it identifies */
		return id;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_THRE | LSR_TEMT | (rx_ready(u) ? LSR_DR : 0);
	case REG_MSR:
		return modem_status(u);
	case REG_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

uint8_t vuart_read(struct vuart *u, unsigned offset)
{
	uint8_t value;

	spin_lock(&u->lock);
	value = read_locked(u, offset);
	irq_update(u);
	spin_unlock(&u->lock);
	return value;
}
