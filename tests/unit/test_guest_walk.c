/* arch/x86/mm/guest_walk.c: a guest's page tables in every paging mode. */
#include "tests/unit/check.h"
#include "arch/x86/mm/guest_walk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

#define MEM (1u << 20) /* 1 MiB of fake guest RAM at GPA 0 */
static uint8_t mem[MEM];

static bool read_mem(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	if (gpa >= MEM || len > MEM - gpa)
		return false;
	memcpy(buf, mem + gpa, len);
	return true;
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(mem + gpa, &v, 8);
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(mem + gpa, &v, 4);
}

static int walk(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer, uint64_t la, uint64_t *gpa)
{
	struct guest_paging pg = {cr0, cr3, cr4, efer};

	return guest_walk(&pg, la, read_mem, NULL, gpa);
}

TEST(no_paging_is_identity)
{
	uint64_t gpa;

	CHECK_EQ(walk(CR0_PE, 0, 0, 0, 0x1fee00020ull, &gpa), 0);
	CHECK_EQ(gpa, 0xfee00020); /* 32 bits outside long mode */
}

TEST(four_level_4k_2m_1g)
{
	uint64_t gpa, la = 255ull << 39 | 2ull << 30 | 1u << 21 | 1u << 12 | 0xabc;

	memset(mem, 0, sizeof(mem));
	put64(0x1000 + 255 * 8, 0x2000 | 1);
	put64(0x2000 + 2 * 8, 0x3000 | 1);
	put64(0x3000 + 1 * 8, 0x4000 | 1);
	put64(0x4000 + 1 * 8, 0xfee00000 | 1);
	CHECK_EQ(walk(CR0_PG | CR0_PE, 0x1000, CR4_PAE, EFER_LMA | EFER_LME, la, &gpa), 0);
	CHECK_EQ(gpa, 0xfee00abc);
	put64(0x3000 + 1 * 8, 0x40000000ull | 0x80 | 1); /* a 2 MiB page */
	CHECK_EQ(walk(CR0_PG | CR0_PE, 0x1000, CR4_PAE, EFER_LMA, la, &gpa), 0);
	CHECK_EQ(gpa, 0x40001abc);
	put64(0x2000 + 2 * 8, 0x80000000ull | 0x80 | 1); /* a 1 GiB page */
	CHECK_EQ(walk(CR0_PG | CR0_PE, 0x1000, CR4_PAE, EFER_LMA, la, &gpa), 0);
	CHECK_EQ(gpa, 0x80201abc);
	put64(0x2000 + 2 * 8, 0x80002000ull | 0x80 | 1); /* reserved bit 13 */
	CHECK_EQ(walk(CR0_PG | CR0_PE, 0x1000, CR4_PAE, EFER_LMA, la, &gpa), -1);
	put64(0x1000 + 255 * 8, 0x2000); /* not present */
	CHECK_EQ(walk(CR0_PG | CR0_PE, 0x1000, CR4_PAE, EFER_LMA, la, &gpa), -1);
}

TEST(five_level)
{
	uint64_t gpa, la = 2ull << 48 | 0x123; /* PML5 index 2, the rest 0 */

	memset(mem, 0, sizeof(mem));
	put64(0x1000 + 2 * 8, 0x2000 | 1);
	put64(0x2000, 0x3000 | 1);
	put64(0x3000, 0x4000 | 1);
	put64(0x4000, 0x5000 | 1);
	put64(0x5000, 0x7000 | 1);
	CHECK_EQ(walk(CR0_PG, 0x1000, CR4_PAE | CR4_LA57, EFER_LMA, la, &gpa), 0);
	CHECK_EQ(gpa, 0x7123);
}

TEST(pae_and_32bit)
{
	uint64_t gpa;

	memset(mem, 0, sizeof(mem));
	put64(0x1020 + 3 * 8, 0x2000 | 1); /* PDPT at CR3 0x1020 (32-byte aligned) */
	put64(0x2000 + 0x1f7 * 8, 0x3000 | 1);
	put64(0x3000 + 0x000 * 8, 0xabc000 | 1);
	CHECK_EQ(walk(CR0_PG, 0x1020, CR4_PAE, 0, 0xfee00123, &gpa), 0);
	CHECK_EQ(gpa, 0xabc123);
	put64(0x1020 + 3 * 8, 0x2000 | 0x80 | 1); /* PS in a PDPTE: reserved */
	CHECK_EQ(walk(CR0_PG, 0x1020, CR4_PAE, 0, 0xfee00123, &gpa), -1);
	put32(0x5000 + (0xfee00123u >> 22) * 4, 0x6000 | 1);
	put32(0x6000 + ((0xfee00123u >> 12) & 0x3ff) * 4, 0x9000 | 1);
	CHECK_EQ(walk(CR0_PG, 0x5000, 0, 0, 0xfee00123, &gpa), 0);
	CHECK_EQ(gpa, 0x9123);
	put32(0x5000 + (0xfee00123u >> 22) * 4, 0xfec00000 | (0x5 << 13) | 0x80 | 1);
	CHECK_EQ(walk(CR0_PG, 0x5000, CR4_PSE, 0, 0xfee00123, &gpa), 0);
	CHECK_EQ(gpa, 0x5fee00123ull); /* PSE-36: bits 39:32 from PDE bits 20:13 */
}

TEST(tables_outside_ram_fail)
{
	uint64_t gpa;

	CHECK_EQ(walk(CR0_PG, 0xfff00000ull, CR4_PAE, EFER_LMA, 0x1000, &gpa), -1);
}

/* Random tables: the walk ends, reads only through the callback, and never crashes. */
TEST(random_tables_are_safe)
{
	uint64_t seed = 1234567, gpa;

	for (int round = 0; round < 2000; round++) {
		for (size_t i = 0; i < 0x8000; i += 8) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			put64(i, (seed & 0x7fff) | 1 | (seed & 0x80));
		}
		walk(CR0_PG, seed & 0x7000, CR4_PAE | (seed & CR4_LA57), EFER_LMA, seed, &gpa);
		walk(CR0_PG, seed & 0x7fe0, CR4_PAE, 0, seed, &gpa);
		walk(CR0_PG, seed & 0x7000, CR4_PSE, 0, seed, &gpa);
	}
}

int main(void)
{
	CHECK_MAIN("guest_walk");
	RUN(no_paging_is_identity);
	RUN(four_level_4k_2m_1g);
	RUN(five_level);
	RUN(pae_and_32bit);
	RUN(tables_outside_ram_fail);
	RUN(random_tables_are_safe);
	return CHECK_END();
}
