/*
 * shmem: shared memory with doorbells between partitions (docs/shmem.md),
 * one image in three roles picked by the command line (configs/tests/shmem.cfg):
 *
 *   role=producer  sends numbered messages through a ring in the region to the
 *                  consumer and rings its doorbell (the hypercall, the doorbell
 *                  page's write and, with notify_on_read, its read); checks every
 *                  echo that comes back through the other ring; prints the
 *                  figures: exits and instructions per message.
 *   role=consumer  sleeps (STI; HLT) until its doorbell rings, echoes each
 *                  message back and rings the producer; prints the wake-up
 *                  latency of its halted vCPU (deadline: the producer's TSC at
 *                  the ring, translated by a clock offset measured at start).
 *   role=watcher   a read-only peer: sees what the producer wrote, then writes,
 *                  which stops it; restarted (on_crash = restart), it checks the
 *                  region still holds what the producer wrote.
 *
 * Both rings are single-producer, single-consumer: head written by the sender
 * only, tail by the receiver only, the message before the head.
 */
#include "tests/guests/isolation_common.h"
#include "tests/guests/lib/apic.h"

const char guest_name[] = "shmem";

#define VEC_DOORBELL  0x60
#define MAGIC	      0x5348454d52494e47ull /* "SHEMRING" */
#define RING_SLOTS    64
#define PINGS	      100 /* the ping-pong messages the figures are taken over */
#define BURST	      RING_SLOTS
#define LAT_PINGS     20 /* first: slow pings, each to a consumer halted by then */
#define ECHOES	      (LAT_PINGS + 3 * PINGS + BURST)
#define WAIT_TICKS    100000000ull
#define VEC_WATCHDOG  0x51
#define WATCHDOG      1000000u /* a periodic tick that ends any HLT: a lost doorbell fails a check */
#define REASON_VMCALL 18
#define REASON_EPT    48
#define PEER_PRODUCER 0
#define PEER_CONSUMER 1

enum msg_kind { MSG_ECHO = 1, MSG_END = 2 };

struct msg {
	uint32_t seq, kind;
	uint64_t t_send; /* the sender's TSC just before it rang */
	uint64_t payload, check;
};

struct ring {
	volatile uint32_t head; /* written by the sender */
	uint32_t pad0[15];
	volatile uint32_t tail; /* written by the receiver */
	uint32_t pad1[15];
	struct msg slot[RING_SLOTS];
};

struct layout {
	volatile uint64_t magic;	  /* the producer's first write */
	volatile uint64_t clock;	  /* the producer's TSC, for the consumer's offset */
	volatile uint32_t consumer_ready; /* its vector is set */
	volatile uint32_t watcher_target; /* the word the read-only peer tries to write */
	uint8_t pad[4096 - 24];
	struct ring p2c, c2p;
};

static struct tessera_shmem_region region;
static struct layout *shm;
static volatile uint32_t doorbells;	/* interrupts taken at VEC_DOORBELL */
static volatile uint64_t last_doorbell; /* TSC at the handler's start */
static uint64_t halted_at;		/* TSC just before the last STI; HLT */
static uint32_t bad_reads;		/* doorbell-page reads that did not return the index */

static void lapic_w(uint32_t reg, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)(APIC_DEFAULT_BASE + reg) = value;
}

static void on_doorbell(uint8_t vector)
{
	(void)vector;
	last_doorbell = rdtsc();
	doorbells++;
	lapic_w(GAPIC_EOI, 0); /* virtualized: no exit */
}

static uint64_t checksum(const struct msg *m)
{
	return (m->seq * 0x9e3779b97f4a7c15ull) ^ m->payload ^ m->kind;
}

static long hc(unsigned long nr, unsigned long a0, unsigned long a1)
{
	return tessera_hypercall(nr, a0, a1, 0, 0);
}

/* The region, as the hypercall lists it; false (checked) when it is not there. */
static bool find_region(uint32_t self, bool writable)
{
	struct tessera_shmem_region list[TESSERA_SHMEM_MAX];
	long n = hc(TESSERA_HC_SHMEM_LIST, (uint64_t)(uintptr_t)list, TESSERA_SHMEM_MAX);

	if (!check_eq("list-one-region", (uint64_t)n, 1))
		return false;
	region = list[0];
	check(!strcmp(region.name, "ring"), "list-name");
	check_eq("list-size", region.size, 64 * 1024);
	check_eq("list-doorbell-after-region", region.doorbell_gpa, region.gpa + region.size);
	check_eq("list-flags", region.flags,
		 (writable ? TESSERA_SHMEM_WRITABLE : 0) | TESSERA_SHMEM_NOTIFY_ON_READ);
	check_eq("list-self", region.self, self);
	check_eq("list-peers", region.nr_peers, 3);
	check_eq("list-count-zero-copies-none", (uint64_t)hc(TESSERA_HC_SHMEM_LIST, 0, 0), 1);
	shm = (struct layout *)(uintptr_t)region.gpa;
	return true;
}

static void on_watchdog(uint8_t vector)
{
	(void)vector;
	lapic_w(GAPIC_EOI, 0);
}

static void doorbell_setup(void)
{
	irq_set_handler(VEC_DOORBELL, on_doorbell);
	irq_set_handler(VEC_WATCHDOG, on_watchdog);
	lapic_w(GAPIC_SVR, GAPIC_SVR_ENABLE | 0xff);
	lapic_w(GAPIC_TDCR, 0xb); /* divide by 1 */
	lapic_w(GAPIC_LVT_TIMER, GAPIC_TIMER_PERIOD | VEC_WATCHDOG);
	lapic_w(GAPIC_TMICT, WATCHDOG);
	check_eq("vector-set", (uint64_t)hc(TESSERA_HC_SHMEM_VECTOR, 0, VEC_DOORBELL), 0);
	check_eq("vector-below-32-refused", (uint64_t)hc(TESSERA_HC_SHMEM_VECTOR, 0, 31),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("vector-no-such-region", (uint64_t)hc(TESSERA_HC_SHMEM_VECTOR, 1, VEC_DOORBELL),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("notify-self-refused", (uint64_t)hc(TESSERA_HC_SHMEM_NOTIFY, 0, region.self),
		 (uint64_t)TESSERA_E_INVAL);
	check_eq("notify-no-such-peer", (uint64_t)hc(TESSERA_HC_SHMEM_NOTIFY, 0, 3),
		 (uint64_t)TESSERA_E_INVAL);
}

/*
 * Waits until *word != value, halting between doorbells: the look happens
 * with interrupts off and STI; HLT closes the window, so a doorbell rung
 * after the look ends the HLT.
 */
static bool wait_change(volatile uint32_t *word, uint32_t value)
{
	uint64_t end = rdtsc() + WAIT_TICKS;

	irq_disable();
	while (*word == value && rdtsc() < end) {
		halted_at = rdtsc();
		safe_halt();
		irq_disable();
	}
	return *word != value;
}

static void send(struct ring *r, uint32_t seq, uint32_t kind, uint64_t payload)
{
	struct msg *m = &r->slot[r->head % RING_SLOTS];

	m->seq = seq;
	m->kind = kind;
	m->payload = payload;
	m->check = checksum(m);
	m->t_send = rdtsc();
	__atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
}

/* ---- the exit counters ---- */
static uint64_t stats_a[TESSERA_EXIT_STATS_MAX], stats_b[TESSERA_EXIT_STATS_MAX];

static void snapshot(uint64_t *s)
{
	hc(TESSERA_HC_EXIT_STATS, (uint64_t)(uintptr_t)s, TESSERA_EXIT_STATS_MAX);
}

/* Exits between the snapshots, the second one's own VMCALL left out. */
static uint64_t exits_between(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < TESSERA_EXIT_STATS_MAX; i++)
		n += stats_b[i] - stats_a[i];
	return n - 1;
}

/* ---- producer ---- */
enum ring_how { BY_HYPERCALL, BY_DOORBELL_WRITE, BY_DOORBELL_READ };

static void ring_consumer(enum ring_how how)
{
	volatile uint32_t *db = (volatile uint32_t *)(uintptr_t)region.doorbell_gpa;

	if (how == BY_HYPERCALL)
		hc(TESSERA_HC_SHMEM_NOTIFY, 0, PEER_CONSUMER);
	else if (how == BY_DOORBELL_WRITE)
		*db = PEER_CONSUMER;
	else
		bad_reads += *db != PEER_PRODUCER; /* one check at the end: a line costs exits */
}

/* One message out, its echo back: true when the echo is right. */
static bool ping(uint32_t seq, enum ring_how how)
{
	uint32_t tail = shm->c2p.tail;
	const struct msg *m;

	send(&shm->p2c, seq, MSG_ECHO, seq * 7ull);
	ring_consumer(how);
	if (!wait_change(&shm->c2p.head, tail))
		return false;
	m = &shm->c2p.slot[tail % RING_SLOTS];
	__atomic_store_n(&shm->c2p.tail, tail + 1, __ATOMIC_RELEASE);
	return m->seq == seq && m->kind == MSG_ECHO && m->payload == ~(seq * 7ull) &&
	       m->check == checksum(m);
}

static void figures(const char *how_name, enum ring_how how, uint32_t *seq)
{
	bool ok = true;
	uint64_t t0, t1;

	snapshot(stats_a);
	t0 = rdtsc();
	for (uint32_t i = 0; i < PINGS; i++)
		ok &= ping((*seq)++, how);
	t1 = rdtsc();
	snapshot(stats_b);
	checkf(ok, "ping-pong-both-ways", "%s", how_name);
	guest_printf("bench: %s: %llu instructions per message round trip (producer to consumer "
		     "and back, %u messages)\n",
		     how_name, (unsigned long long)((t1 - t0) / PINGS), PINGS);
	guest_printf("bench: %s: producer exits per message %llu.%02llu (vmcall %llu, EPT "
		     "violation %llu)\n",
		     how_name, (unsigned long long)(exits_between() / PINGS),
		     (unsigned long long)(exits_between() * 100 / PINGS % 100),
		     (unsigned long long)(stats_b[REASON_VMCALL] - stats_a[REASON_VMCALL] - 1),
		     (unsigned long long)(stats_b[REASON_EPT] - stats_a[REASON_EPT]));
}

/* BURST messages rung one by one without waiting: the doorbells coalesce. */
static void burst(uint32_t *seq)
{
	uint32_t rung = 0, coalesced = 0, tail = shm->c2p.tail;
	bool ok = true;

	for (uint32_t i = 0; i < BURST; i++) {
		send(&shm->p2c, *seq + i, MSG_ECHO, (*seq + i) * 7ull);
		if (hc(TESSERA_HC_SHMEM_NOTIFY, 0, PEER_CONSUMER) == TESSERA_SHMEM_RUNG)
			rung++;
		else
			coalesced++;
	}
	for (uint32_t i = 0; i < BURST; i++) {
		const struct msg *m;

		while (shm->c2p.head == tail)
			if (!wait_change(&shm->c2p.head, tail))
				break;
		m = &shm->c2p.slot[tail % RING_SLOTS];
		ok &= m->seq == *seq + i && m->payload == ~((*seq + i) * 7ull);
		__atomic_store_n(&shm->c2p.tail, ++tail, __ATOMIC_RELEASE);
	}
	*seq += BURST;
	check(ok, "burst-all-echoed");
	checkf(coalesced > 0 && rung > 0, "burst-coalesced", "%u rung, %u coalesced", rung,
	       coalesced);
	guest_printf("bench: burst of %u doorbells: %u rung, %u coalesced\n", BURST, rung,
		     coalesced);
}

static void producer(void)
{
	uint32_t seq = 1;

	if (!find_region(PEER_PRODUCER, true))
		return;
	doorbell_setup();
	shm->magic = MAGIC; /* after the vector: the consumer's first ring must find it */
	if (!check(wait_change(&shm->consumer_ready, 0), "consumer-ready"))
		return;
	shm->clock = rdtsc(); /* the consumer spins on it: its offset to this TSC */
	iso_spin(100000);
	for (bool ok = true; seq <= LAT_PINGS; seq++) {
		iso_spin(20000); /* the consumer halts meanwhile */
		ok &= ping(seq, BY_HYPERCALL);
		if (seq == LAT_PINGS)
			check(ok, "slow-pings-echoed");
	}
	figures("hypercall", BY_HYPERCALL, &seq);
	figures("doorbell-page write", BY_DOORBELL_WRITE, &seq);
	figures("doorbell-page read (notify_on_read)", BY_DOORBELL_READ, &seq);
	check_eq("doorbell-read-returns-self", bad_reads, 0);
	burst(&seq);
	check(doorbells > 0, "echo-doorbells-taken");
	send(&shm->p2c, seq, MSG_END, 0);
	hc(TESSERA_HC_SHMEM_NOTIFY, 0, PEER_CONSUMER);
}

/* ---- consumer ---- */
static void consumer(void)
{
	uint64_t offset, lat_min = ~0ull, lat_sum = 0, woken = 0;
	uint32_t seq = 1, bad = 0;
	bool end = false;

	if (!find_region(PEER_CONSUMER, true))
		return;
	doorbell_setup();
	for (uint64_t t = rdtsc() + WAIT_TICKS; shm->magic != MAGIC && rdtsc() < t;)
		;
	shm->consumer_ready = 1; /* before the clock: the producer writes it only after this */
	hc(TESSERA_HC_SHMEM_NOTIFY, 0, PEER_PRODUCER); /* it waits halted */
	while (!shm->clock)
		;
	offset = rdtsc() - shm->clock; /* this TSC minus the producer's, to a few instructions */
	snapshot(stats_a);
	while (!end) {
		uint32_t tail = shm->p2c.tail, seen = doorbells;

		halted_at = ~0ull;
		if (!wait_change(&shm->p2c.head, tail))
			break;
		for (; shm->p2c.head != tail; tail++) {
			const struct msg *m = &shm->p2c.slot[tail % RING_SLOTS];

			bad += m->seq != seq++ || m->check != checksum(m);
			end = m->kind == MSG_END;
			if (doorbells != seen && m->seq <= LAT_PINGS &&
			    m->t_send + offset > halted_at) {
				/* a slow ping: woken from HLT by this message's doorbell */
				uint64_t lat = last_doorbell - offset - m->t_send;
				lat_min = lat < lat_min ? lat : lat_min;
				lat_sum += lat;
				woken++;
				seen = doorbells;
			}
			if (!end) {
				send(&shm->c2p, m->seq, MSG_ECHO, ~m->payload);
				hc(TESSERA_HC_SHMEM_NOTIFY, 0, PEER_PRODUCER);
			}
			__atomic_store_n(&shm->p2c.tail, tail + 1, __ATOMIC_RELEASE);
		}
	}
	snapshot(stats_b);
	check(end, "end-received");
	check_eq("messages-in-order-and-intact", bad, 0);
	check_eq("messages-received", seq - 1, LAT_PINGS + 3 * PINGS + BURST + 1);
	/* Each echo is one VMCALL; with halt = passthrough waiting costs no exit. */
	checkf(stats_b[REASON_VMCALL] - stats_a[REASON_VMCALL] - 1 == ECHOES &&
		   exits_between() == ECHOES,
	       "exits-only-the-echo-vmcalls", "%llu exits, %llu vmcalls",
	       (unsigned long long)exits_between(),
	       (unsigned long long)(stats_b[REASON_VMCALL] - stats_a[REASON_VMCALL] - 1));
	if (check(woken > 0, "woken-from-hlt"))
		guest_printf("bench: wake-up latency of the halted consumer, producer's ring to "
			     "handler: min %llu avg %llu instructions (%llu wake-ups)\n",
			     (unsigned long long)lat_min, (unsigned long long)(lat_sum / woken),
			     (unsigned long long)woken);
	guest_printf("bench: consumer exits per message %llu (its echo's VMCALL; HLT in guest "
		     "mode)\n",
		     (unsigned long long)(exits_between() / ECHOES));
}

/* ---- watcher: a read-only peer ---- */
static void watcher(void)
{
	struct tessera_partition_info info;
	uint64_t end = rdtsc() + WAIT_TICKS;

	if (!iso_partition_info(&info))
		return;
	if (info.restarts == 0) {
		/* No checks in this boot: its lines would not add up with the next one's. */
		struct tessera_shmem_region list[1];

		hc(TESSERA_HC_SHMEM_LIST, (uint64_t)(uintptr_t)list, 1);
		shm = (struct layout *)(uintptr_t)list[0].gpa;
		while (shm->magic != MAGIC && rdtsc() < end)
			iso_spin(1000);
		guest_printf("watcher: writing to the read-only region (Tessera must stop me)\n");
		shm->watcher_target = 0xbad;
		guest_printf("watcher: the write went through\n");
		return;
	}
	if (!find_region(2, false))
		return;
	check_eq("reads-what-the-producer-wrote", shm->magic, MAGIC);
	/* Restarted after the write: it never reached the region. */
	check_eq("restarted-once", info.restarts, 1);
	check_eq("read-only-write-not-done", shm->watcher_target, 0);
}

void guest_main(const struct guest_boot *boot)
{
	char role[16] = "";

	cmdline_get(iso_cmdline(boot), LOADER_STRING_MAX, "role", role, sizeof(role));
	if (!strcmp(role, "producer"))
		producer();
	else if (!strcmp(role, "consumer"))
		consumer();
	else if (!strcmp(role, "watcher"))
		watcher();
	else
		checkf(false, "role", "role=%s: want producer, consumer or watcher", role);
	guest_finish();
}
