/* hv/vcpu/request.h: the request word's bit operations and the payload slot protocol. */
#include <pthread.h>
#include "tests/unit/check.h"
#include "hv/vcpu/request.h"

TEST(set_take_clear)
{
	volatile uint64_t w = 0;

	request_set(&w, REQ(STOP));
	request_set(&w, REQ(DUMP) | REQ(STOP));
	CHECK_EQ(w, REQ(STOP) | REQ(DUMP));
	CHECK_EQ(request_pending(&w, REQ(STOP) | REQ(WAKE)), REQ(STOP));
	CHECK_EQ(request_pending(&w, REQ(WAKE)), 0);
	CHECK_EQ(request_take(&w, REQ(STOP) | REQ(WAKE)), REQ(STOP));
	CHECK_EQ(request_take(&w, REQ(STOP)), 0); /* taken once only */
	CHECK_EQ(w, REQ(DUMP));
	request_clear(&w, REQ(DUMP));
	CHECK_EQ(w, 0);
}

TEST(bits_fit_the_word)
{
	CHECK(REQUEST_COUNT <= 64);
	CHECK_EQ(REQ(RUN), 1);
}

static void fill_run(struct request_mailbox *mb, const void *payload)
{
	mb->vmcs_arg = *(void *const *)payload;
}

/* A full slot (bit still set) refuses a second payload and keeps the first. */
TEST(payload_slot)
{
	struct request_mailbox mb = {0};
	volatile uint64_t w = 0;
	void *first = &mb, *second = (void *)&w;

	CHECK(request_post(&w, REQ(VMCS), fill_run, &mb, &first));
	CHECK_EQ(w, REQ(VMCS));
	CHECK(!request_post(&w, REQ(VMCS), fill_run, &mb, &second));
	CHECK(mb.vmcs_arg == first);
	request_clear(&w, REQ(VMCS)); /* the target read it */
	CHECK(request_post(&w, REQ(VMCS), fill_run, &mb, &second));
	CHECK(mb.vmcs_arg == second);
}

/* Threads: senders of plain bits and of payloads, one target taking them. */
#define ROUNDS	4000
#define SENDERS 3

static volatile uint64_t word;
static struct request_mailbox box;
static volatile bool target_done;
static uint64_t taken[REQUEST_COUNT];
static uint64_t payload_sum, payload_sent_sum;

static void fill_value(struct request_mailbox *mb, const void *payload)
{
	mb->vmcs_arg = (void *)(uintptr_t) * (const uint64_t *)payload;
}

/* Sender i: sets bit DUMP+i and waits for the target to take it, ROUNDS times. */
static void *plain_sender(void *arg)
{
	uint64_t bit = REQ(DUMP) << (uintptr_t)arg;

	for (int n = 0; n < ROUNDS; n++) {
		request_set(&word, bit);
		while (request_pending(&word, bit))
			;
	}
	return NULL;
}

static void *payload_sender(void *arg)
{
	(void)arg;
	for (uint64_t n = 1; n <= ROUNDS;) {
		spin_lock(&box.lock);
		bool sent = request_post(&word, REQ(VMCS), fill_value, &box, &n);
		spin_unlock(&box.lock);
		if (sent)
			__atomic_fetch_add(&payload_sent_sum, n++, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *target(void *arg)
{
	(void)arg;
	while (!target_done || word) {
		if (request_pending(&word, REQ(VMCS))) {
			uint64_t v = (uint64_t)(uintptr_t)box.vmcs_arg; /* read, then clear */

			request_clear(&word, REQ(VMCS));
			payload_sum += v;
			taken[REQUEST_VMCS]++;
		}
		for (int i = REQUEST_DUMP; i < REQUEST_DUMP + SENDERS; i++)
			if (request_take(&word, 1ull << i))
				taken[i]++;
	}
	return NULL;
}

TEST(threads_lose_nothing)
{
	pthread_t t, s[SENDERS], p;

	CHECK(REQUEST_DUMP + SENDERS <= REQUEST_COUNT);
	pthread_create(&t, NULL, target, NULL);
	pthread_create(&p, NULL, payload_sender, NULL);
	for (uintptr_t i = 0; i < SENDERS; i++)
		pthread_create(&s[i], NULL, plain_sender, (void *)i);
	for (int i = 0; i < SENDERS; i++)
		pthread_join(s[i], NULL);
	pthread_join(p, NULL);
	target_done = true;
	pthread_join(t, NULL);
	for (int i = REQUEST_DUMP; i < REQUEST_DUMP + SENDERS; i++)
		CHECK_EQ(taken[i], ROUNDS);
	CHECK_EQ(taken[REQUEST_VMCS], ROUNDS);
	CHECK_EQ(payload_sum, payload_sent_sum);
	CHECK_EQ(payload_sum, (uint64_t)ROUNDS * (ROUNDS + 1) / 2);
}

int main(void)
{
	CHECK_MAIN("request");
	RUN(set_take_clear);
	RUN(bits_fit_the_word);
	RUN(payload_slot);
	RUN(threads_lose_nothing);
	return CHECK_END();
}
