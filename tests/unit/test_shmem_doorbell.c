/* hv/policy/shmem_doorbell.c: what a doorbell-page access rings and returns. */
#include "tests/unit/check.h"
#include "hv/policy/shmem_doorbell.h"

static struct shmem_db_result db(uint64_t off, uint8_t size, bool write, uint64_t value,
				 uint32_t self, uint32_t n, bool nor)
{
	struct shmem_db_access a = {off, size, write, value};

	return shmem_doorbell_decode(&a, self, n, nor);
}

TEST(write_rings_one_peer)
{
	CHECK_EQ(db(0, 4, true, 1, 0, 2, false).ring, 2);
	CHECK_EQ(db(0, 4, true, 0, 1, 2, false).ring, 1);
	CHECK_EQ(db(0, 4, true, 3, 0, 4, false).ring, 8);
	CHECK_EQ(db(0, 4, true, 0, 0, 2, false).ring, 0); /* itself: nothing */
	CHECK_EQ(db(0, 4, true, 2, 0, 2, false).ring, 0); /* no such peer */
	CHECK_EQ(db(0, 4, true, 0x100000001ull, 0, 2, false).ring, 0);
	CHECK_EQ(db(0, 4, true, ~0ull, 0, 2, false).ring, 0);
	CHECK_EQ(db(0, 4, true, 1, 0, 2, true).ring, 2); /* notify_on_read changes no write */
}

TEST(other_accesses_do_nothing)
{
	CHECK_EQ(db(4, 4, true, 1, 0, 2, false).ring, 0);
	CHECK_EQ(db(0, 1, true, 1, 0, 2, false).ring, 0);
	CHECK_EQ(db(0, 2, true, 1, 0, 2, false).ring, 0);
	CHECK_EQ(db(0, 8, true, 1, 0, 2, false).ring, 0);
	CHECK_EQ(db(0xffc, 4, true, 1, 0, 2, false).ring, 0);
	CHECK_EQ(db(8, 4, false, 0, 1, 2, true).ring, 0);
	CHECK_EQ(db(8, 4, false, 0, 1, 2, true).read_value, 0);
	CHECK_EQ(db(0, 8, false, 0, 1, 2, true).read_value, 0);
}

TEST(reads)
{
	struct shmem_db_result r = db(0, 4, false, 0, 1, 3, false);

	CHECK_EQ(r.read_value, 1);
	CHECK_EQ(r.ring, 0);
	r = db(0, 4, false, 0, 1, 3, true);
	CHECK_EQ(r.read_value, 1);
	CHECK_EQ(r.ring, 5); /* every other peer */
	CHECK_EQ(db(0, 4, false, 0, 0, 4, true).ring, 0xe);
}

TEST(bad_views)
{
	CHECK_EQ(db(0, 4, true, 1, 2, 2, false).ring, 0);
	CHECK_EQ(db(0, 4, false, 0, 0, 5, true).ring, 0);
	CHECK_EQ(db(0, 4, false, 0, 0, 0, true).ring, 0);
}

int main(void)
{
	CHECK_MAIN("shmem_doorbell");
	RUN(write_rings_one_peer);
	RUN(other_accesses_do_nothing);
	RUN(reads);
	RUN(bad_views);
	return CHECK_END();
}
