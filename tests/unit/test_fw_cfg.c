/* hv/dev/fw_cfg.c: selection, byte reads, item contents, hostile accesses. */
#include "tests/unit/check.h"
#include "hv/dev/fw_cfg.h"

static struct fw_cfg f;

static void fresh(void)
{
	struct fw_cfg_info info = {.nr_cpus = 3, .ram_size = 0x4000000};

	memset(&f, 0xa5, sizeof(f)); /* init must not depend on what was there */
	fw_cfg_init(&f, &info);
}

static void select_key(uint16_t key)
{
	fw_cfg_out(&f, 0, 2, key);
}

/* Reads n bytes from the data port, little-endian, as kvm-unit-tests does. */
static uint64_t read_le(unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)(fw_cfg_in(&f, 1, 1) & 0xff) << (8 * i);
	return v;
}

TEST(signature_is_selected_at_power_up)
{
	fresh();
	CHECK_EQ(read_le(4), 0x554d4551); /* "QEMU" */
	CHECK_EQ(fw_cfg_in(&f, 1, 1), 0); /* past the end: 0 */
	select_key(FW_CFG_SIGNATURE);
	CHECK_EQ(fw_cfg_in(&f, 0, 1), 'Q'); /* the selector port reads data too */
	CHECK_EQ(fw_cfg_in(&f, 1, 1), 'E');
}

TEST(items)
{
	fresh();
	select_key(FW_CFG_NB_CPUS);
	CHECK_EQ(read_le(2), 3);
	CHECK_EQ(read_le(2), 0);
	select_key(FW_CFG_NB_CPUS); /* selecting again rewinds */
	CHECK_EQ(read_le(2), 3);
	select_key(FW_CFG_MAX_CPUS);
	CHECK_EQ(read_le(2), 3);
	select_key(FW_CFG_RAM_SIZE);
	CHECK_EQ(read_le(8), 0x4000000);
	select_key(FW_CFG_ID);
	CHECK_EQ(read_le(4), FW_CFG_ID_TRADITIONAL);
}

TEST(unknown_items_are_empty)
{
	fresh();
	select_key(0x11); /* FW_CFG_MAX_RAM of kvm-unit-tests: 0 = no limit */
	CHECK_EQ(read_le(8), 0);
	select_key(0xffff);
	CHECK_EQ(read_le(8), 0);
	select_key(0x4005); /* the write bit with NB_CPUS: another, empty item */
	CHECK_EQ(read_le(2), 0);
}

TEST(other_accesses_do_nothing)
{
	fresh();
	select_key(FW_CFG_NB_CPUS);
	fw_cfg_out(&f, 0, 1, FW_CFG_RAM_SIZE); /* byte writes: the write channel, ignored */
	fw_cfg_out(&f, 1, 1, 0x55);
	fw_cfg_out(&f, 0, 4, FW_CFG_RAM_SIZE); /* a 32-bit OUT selects nothing */
	fw_cfg_out(&f, 1, 2, FW_CFG_RAM_SIZE); /* the data port is no selector */
	fw_cfg_out(&f, 7, 2, FW_CFG_RAM_SIZE);
	CHECK_EQ(fw_cfg_in(&f, 1, 2), 0xffffffff); /* wide reads: not decoded */
	CHECK_EQ(fw_cfg_in(&f, 1, 4), 0xffffffff);
	CHECK_EQ(fw_cfg_in(&f, 2, 1), 0xffffffff);
	CHECK_EQ(read_le(2), 3); /* still NB_CPUS, from its first byte */
}

TEST(reads_never_leave_the_item)
{
	fresh();
	for (unsigned key = 0; key <= 0xffff; key += 0x3f) {
		select_key((uint16_t)key);
		for (unsigned i = 0; i < 2 * FW_CFG_ITEM_MAX; i++)
			CHECK(fw_cfg_in(&f, 1, 1) <= 0xff);
		CHECK(f.offset <= f.len && f.len <= FW_CFG_ITEM_MAX);
	}
}

int main(void)
{
	CHECK_MAIN("fw_cfg");
	RUN(signature_is_selected_at_power_up);
	RUN(items);
	RUN(unknown_items_are_empty);
	RUN(other_accesses_do_nothing);
	RUN(reads_never_leave_the_item);
	return CHECK_END();
}
