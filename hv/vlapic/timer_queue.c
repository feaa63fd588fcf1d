/* The housekeeping CPU's timer queue (see timer_queue.h): a binary min-heap. */
#include "hv/vlapic/timer_queue.h"

void tq_init(struct timer_queue *q)
{
	q->nr = 0;
	for (uint32_t i = 0; i < TQ_MAX; i++) {
		q->pos[i] = TQ_NOT_SET;
		q->deadline[i] = TQ_NEVER;
	}
}

static bool earlier(const struct timer_queue *q, uint32_t a, uint32_t b)
{
	return q->deadline[q->heap[a]] < q->deadline[q->heap[b]];
}

static void swap_slots(struct timer_queue *q, uint32_t a, uint32_t b)
{
	uint8_t t = q->heap[a];

	q->heap[a] = q->heap[b];
	q->heap[b] = t;
	q->pos[q->heap[a]] = (uint8_t)a;
	q->pos[q->heap[b]] = (uint8_t)b;
}

static void sift_up(struct timer_queue *q, uint32_t i)
{
	while (i > 0 && earlier(q, i, (i - 1) / 2)) {
		swap_slots(q, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct timer_queue *q, uint32_t i)
{
	for (;;) {
		uint32_t least = i, l = 2 * i + 1, r = 2 * i + 2;

		if (l < q->nr && earlier(q, l, least))
			least = l;
		if (r < q->nr && earlier(q, r, least))
			least = r;
		if (least == i)
			return;
		swap_slots(q, i, least);
		i = least;
	}
}

bool tq_armed(const struct timer_queue *q, uint32_t id)
{
	return id < TQ_MAX && q->pos[id] != TQ_NOT_SET;
}

bool tq_arm(struct timer_queue *q, uint32_t id, uint64_t deadline)
{
	if (id >= TQ_MAX)
		return false;
	if (!tq_armed(q, id)) {
		q->heap[q->nr] = (uint8_t)id;
		q->pos[id] = (uint8_t)q->nr;
		q->nr++;
	}
	q->deadline[id] = deadline;
	sift_up(q, q->pos[id]);
	sift_down(q, q->pos[id]);
	return true;
}

bool tq_disarm(struct timer_queue *q, uint32_t id)
{
	uint32_t i;

	if (!tq_armed(q, id))
		return false;
	i = q->pos[id];
	q->nr--;
	if (i != q->nr) {
		uint8_t moved = q->heap[q->nr]; /* the last entry fills the hole */

		swap_slots(q, i, q->nr);
		sift_up(q, i);
		sift_down(q, q->pos[moved]);
	}
	q->pos[id] = TQ_NOT_SET;
	q->deadline[id] = TQ_NEVER;
	return true;
}

uint64_t tq_earliest(const struct timer_queue *q)
{
	return q->nr ? q->deadline[q->heap[0]] : TQ_NEVER;
}

bool tq_pop_expired(struct timer_queue *q, uint64_t now, uint32_t *id, uint64_t *deadline)
{
	if (!q->nr || q->deadline[q->heap[0]] > now)
		return false;
	*id = q->heap[0];
	*deadline = q->deadline[*id];
	tq_disarm(q, *id);
	return true;
}
