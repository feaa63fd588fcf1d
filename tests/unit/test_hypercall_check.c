/* hv/policy/hypercall_check.c: hypercall arguments a guest cannot be trusted with. */
#include "tests/unit/check.h"
#include "hv/policy/hypercall_check.h"

static long check(uint64_t nr, uint64_t a0, uint64_t a1, unsigned cpl)
{
	struct hypercall hc = {nr, {a0, a1, 0, 0}};

	return hypercall_check(&hc, cpl);
}

TEST(known_calls)
{
	CHECK_EQ(check(TESSERA_HC_ABI_VERSION, 0, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, 13, 0), 0);
	CHECK_EQ(check(TESSERA_HC_PARTITION_INFO, 0x1000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_EXIT, (uint64_t)-1, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, 0x1000, 80, 0), 0);
	CHECK_EQ(check(TESSERA_HC_PRINT_STATS, 0, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, 0x1000, 16, 0), 0);
}

TEST(unknown_numbers)
{
	CHECK_EQ(check(10, 0, 0, 0), TESSERA_E_NOSYS);
	CHECK_EQ(check(0x100000000ULL, 0, 0, 0), TESSERA_E_NOSYS); /* 0 in the low half */
	CHECK_EQ(check((uint64_t)-1, 0, 0, 0), TESSERA_E_NOSYS);
	CHECK_EQ(check(0x8000000000000001ULL, 0, 0, 0), TESSERA_E_NOSYS);
}

TEST(cpl_first)
{
	for (unsigned cpl = 1; cpl <= 3; cpl++) {
		CHECK_EQ(check(TESSERA_HC_ABI_VERSION, 0, 0, cpl), TESSERA_E_PERM);
		CHECK_EQ(check(TESSERA_HC_EXIT, 0, 0, cpl), TESSERA_E_PERM);
		CHECK_EQ(check(99, 0, 0, cpl), TESSERA_E_PERM); /* before the number is looked at */
		CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0, 4097, cpl), TESSERA_E_PERM);
	}
}

TEST(console_write_bounds)
{
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, 4096, 0), 0);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, 4097, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, (uint64_t)-1, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, 0x1000, 0x100000001000ULL, 0), TESSERA_E_INVAL);
	/* Buffers that wrap past 2^64; one ending exactly at the top does not wrap. */
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, (uint64_t)-1, 2, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, (uint64_t)-4000, 4096, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, (uint64_t)-4096, 4096, 0), 0);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, (uint64_t)-1, 1, 0), 0);
	CHECK_EQ(check(TESSERA_HC_CONSOLE_WRITE, (uint64_t)-1, 0, 0), 0);
}

TEST(partition_info_bounds)
{
	CHECK_EQ(check(TESSERA_HC_PARTITION_INFO, (uint64_t)-64, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_PARTITION_INFO, (uint64_t)-63, 0, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_PARTITION_INFO, (uint64_t)-1, 0, 0), TESSERA_E_FAULT);
}

TEST(exit_stats_bounds)
{
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, 0x1000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, 0x1000, 81, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, 0x1000, (uint64_t)-1, 0), TESSERA_E_INVAL);
	/* A count whose byte size would wrap if multiplied unchecked. */
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, 0x1000, 0x2000000000000001ULL, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, (uint64_t)-8, 2, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_EXIT_STATS, (uint64_t)-16, 2, 0), 0);
}

TEST(hyperv_cpuid_bounds)
{
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, 0x1000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, 0x1000, 17, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, 0x1000, (uint64_t)-1, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, (uint64_t)-48, 2, 0), 0);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, (uint64_t)-47, 2, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_HYPERV_CPUID, 0x1000, 1, 3), TESSERA_E_PERM);
}

TEST(shmem_calls)
{
	CHECK_EQ(check(TESSERA_HC_SHMEM_LIST, 0x1000, 8, 0), 0);
	CHECK_EQ(check(TESSERA_HC_SHMEM_LIST, 0x1000, 0, 0), 0);
	CHECK_EQ(check(TESSERA_HC_SHMEM_LIST, 0x1000, 9, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SHMEM_LIST, (uint64_t)-160, 2, 0), 0);
	CHECK_EQ(check(TESSERA_HC_SHMEM_LIST, (uint64_t)-159, 2, 0), TESSERA_E_FAULT);
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 0, 0, 0), 0);		     /* no vector */
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 7, 32, 0), 0);		     /* the first allowed */
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 7, 255, 0), 0);		     /* the last */
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 0, 31, 0), TESSERA_E_INVAL); /* an exception */
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 0, 256, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SHMEM_VECTOR, 8, 40, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SHMEM_NOTIFY, 7, 3, 0), 0);
	CHECK_EQ(check(TESSERA_HC_SHMEM_NOTIFY, 8, 0, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SHMEM_NOTIFY, 0, 4, 0), TESSERA_E_INVAL);
	CHECK_EQ(check(TESSERA_HC_SHMEM_NOTIFY, 0, 1, 3), TESSERA_E_PERM);
}

TEST(truncate_outside_64bit)
{
	struct hypercall hc = {0xdeadbeef00000001ULL,
			       {0xffffffff00001000ULL, 0x100000005ULL, ~0ULL, 1}};

	/* In 64-bit mode the upper halves count: unknown call. */
	CHECK_EQ(hypercall_check(&hc, 0), TESSERA_E_NOSYS);
	hypercall_truncate(&hc);
	CHECK_EQ(hc.nr, TESSERA_HC_CONSOLE_WRITE);
	CHECK_EQ(hc.arg[0], 0x1000);
	CHECK_EQ(hc.arg[1], 5);
	CHECK_EQ(hc.arg[2], 0xffffffffULL);
	CHECK_EQ(hc.arg[3], 1);
	CHECK_EQ(hypercall_check(&hc, 0), 0);
	/* A "negative" 32-bit length is still over the limit. */
	hc.arg[1] = 0xfffffffeULL;
	CHECK_EQ(hypercall_check(&hc, 0), TESSERA_E_INVAL);
}

/*
 * A partition of three RAM regions, the first two adjacent (0-8 MiB, 8-12 MiB,
 * backed by host blocks that are not adjacent), a reserved one right after them
 * and a RAM region after a hole: 12-13 MiB reserved, 16-17 MiB RAM.
 */
static const struct guest_region regions[] = {
    {0x000000, 0x800000, 0x10000000, CONFIG_MEM_RAM},
    {0x800000, 0x400000, 0x30000000, CONFIG_MEM_RAM},
    {0xc00000, 0x100000, 0x40000000, CONFIG_MEM_RESERVED},
    {0x1000000, 0x100000, 0x50000000, CONFIG_MEM_RAM},
};
#define NR_REGIONS 4

static bool covers(uint64_t gpa, uint64_t len)
{
	return guest_ram_covers(regions, NR_REGIONS, gpa, len);
}

TEST(ram_within_one_region)
{
	CHECK(covers(0x1000, 64));
	CHECK(covers(0, 0x800000));
	CHECK(covers(0x7fffc0, 64)); /* ends exactly at the boundary */
	CHECK(covers(0x800000, 0x400000));
	CHECK(covers(0x1000000, 0x100000));
	CHECK(covers(0x12345678, 0)); /* empty: nothing to touch */
}

/* The defect: every byte is RAM, in two adjacent regions. */
TEST(ram_across_adjacent_regions)
{
	CHECK(covers(0x7ffff8, 16));
	CHECK(covers(0x7fffe0, 64));		       /* a partition-info structure */
	CHECK(covers(0x7ff800, 4096));		       /* a full console write */
	CHECK(covers(0, 0xc00000));		       /* both regions whole */
	CHECK(covers(0x7fffff, 0x400001));	       /* first byte of one, all of the next */
	CHECK(covers(0x7ffff8, 2 * sizeof(uint64_t))); /* two exit counters */
}

TEST(ram_not_covered)
{
	CHECK(!covers(0xbffff8, 16));	    /* into the reserved region */
	CHECK(!covers(0xc00000, 1));	    /* reserved is not RAM */
	CHECK(!covers(0x7ffff8, 0x400009)); /* across the boundary, then past the RAM */
	CHECK(!covers(0xfffff8, 16));	    /* from the hole into RAM */
	CHECK(!covers(0x10ffff8, 16));	    /* from RAM into nothing */
	CHECK(!covers(0x1100000, 1));
	CHECK(!covers(0, 0x1100000));	  /* the hole in between */
	CHECK(!covers((uint64_t)-8, 16)); /* wraps */
	CHECK(!covers(0x800000, (uint64_t)-1));
}

TEST(ram_span_pieces)
{
	uint64_t hpa = 0;

	CHECK_EQ(guest_ram_span(regions, NR_REGIONS, 0x7ffff8, 16, &hpa), 8);
	CHECK_EQ(hpa, 0x107ffff8);
	CHECK_EQ(guest_ram_span(regions, NR_REGIONS, 0x800000, 8, &hpa), 8);
	CHECK_EQ(hpa, 0x30000000);
	CHECK_EQ(guest_ram_span(regions, NR_REGIONS, 0x1000, 16, &hpa), 16);
	CHECK_EQ(hpa, 0x10001000);
	CHECK_EQ(guest_ram_span(regions, NR_REGIONS, 0xc00000, 16, &hpa), 0);
	CHECK_EQ(guest_ram_span(regions, NR_REGIONS, 0x2000000, 16, &hpa), 0);
	CHECK_EQ(guest_ram_span(regions, 0, 0x1000, 16, &hpa), 0); /* no regions */
}

TEST(fill_info)
{
	struct tessera_partition_info info;
	char long_name[64];

	memset(&info, 0xaa, sizeof(info));
	hypercall_fill_info(&info, 2, "linux-a", 4, 1, 256ULL << 20, 3);
	CHECK_EQ(info.size, 64);
	CHECK_EQ(info.partition_id, 2);
	CHECK_STR(info.name, "linux-a");
	CHECK_EQ(info.name[31], 0); /* the rest of the name is zeroed, not left over */
	CHECK_EQ(info.nr_vcpus, 4);
	CHECK_EQ(info.vcpu_index, 1);
	CHECK_EQ(info.memory_bytes, 256ULL << 20);
	CHECK_EQ(info.restarts, 3);
	CHECK_EQ(info.reserved, 0);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	hypercall_fill_info(&info, 0, long_name, 1, 0, 0, 0);
	CHECK_EQ(strlen(info.name), 31);
	CHECK_EQ(info.nr_vcpus, 1);
}

int main(void)
{
	CHECK_MAIN("hypercall_check");
	RUN(known_calls);
	RUN(unknown_numbers);
	RUN(cpl_first);
	RUN(console_write_bounds);
	RUN(partition_info_bounds);
	RUN(exit_stats_bounds);
	RUN(hyperv_cpuid_bounds);
	RUN(shmem_calls);
	RUN(truncate_outside_64bit);
	RUN(ram_within_one_region);
	RUN(ram_across_adjacent_regions);
	RUN(ram_not_covered);
	RUN(ram_span_pieces);
	RUN(fill_info);
	return CHECK_END();
}
