/*
 * The SPP hypercalls' inputs (docs/memory-protection.md), end to end through
 * the pure parts: hypercall_check(), spp_check_page() against a partition of
 * two RAM regions with a reserved hole, the execute-only alias and two shared
 * pages, and, for each call allowed, the table changes spp.c makes (the EPT
 * leaf split to 4 KiB and marked, the SPP mask) on a bounded pool. Input: a
 * flags byte (SPP supported, xom on), then calls of 25 bytes: RAX's low byte
 * (16 + n % 4: SET, GET, VE_INFO, unknown), RDI, RSI, RDX (8 bytes each).
 * Checked after every call, against a model kept here: every page's EPT
 * translation still reaches its own host page, protected pages have a 4 KiB
 * leaf, not writable, marked SPP, their mask in the SPP table as set;
 * unprotected ones are writable and unmarked; at most
 * TESSERA_SPP_MAX_PAGES are protected; errors are the documented ones.
 */
#include "tests/fuzz/fuzz.h"
#include "arch/x86/mm/ept.h"
#include "arch/x86/mm/spp.h"
#include "hv/policy/hypercall_check.h"
#include "hv/policy/memprot_check.h"

#define POOL_PAGES 160
#define POOL_BASE  0x40000000ULL
#define ALIAS	   (1ULL << 39)
#define RAM_PAGES  (0x400000 / 4096) /* what the model tracks: the first 4 MiB */

#include "tests/unit/fake_table_pool.h"

static const struct guest_region regions[] = {
    {0, 0xa0000, 0x10000000, CONFIG_MEM_RAM},
    {0xa0000, 0x60000, 0x100a0000, CONFIG_MEM_RESERVED},
    {0x100000, 0x700000, 0x10100000, CONFIG_MEM_RAM},
};
static const uint64_t shared[] = {0x9000, 0x300000};

static struct ept ept;
static struct spp_table sppt;
static uint32_t model[RAM_PAGES + 256]; /* mask per page; SPP_MASK_ALL: unprotected */
static uint32_t nr_protected;

static void setup(bool xom)
{
	pool_used = 0;
	ept = (struct ept){.alloc_table = fake_alloc, .table_ptr = fake_ptr, .use_2m = true};
	FUZZ_CHECK(ept_init(&ept) == 0);
	for (unsigned i = 0; i < 3; i++)
		FUZZ_CHECK((xom ? ept_map_alias(&ept, regions[i].gpa, regions[i].hpa,
						regions[i].size, EPT_RWX, EPT_EXEC, 39, 6)
				: ept_map(&ept, regions[i].gpa, regions[i].hpa, regions[i].size,
					  EPT_RWX, 6)) == 0);
	sppt = (struct spp_table){.alloc_table = fake_alloc, .table_ptr = fake_ptr};
	FUZZ_CHECK(spp_init(&sppt) == 0);
	for (unsigned i = 0; i < sizeof(model) / sizeof(model[0]); i++)
		model[i] = SPP_MASK_ALL;
	nr_protected = 0;
}

/* What spp.c's protect() and unprotect() do to the tables. */
static long apply_set(uint64_t page, uint32_t mask, uint64_t flags)
{
	uint32_t *m = &model[page / 4096];
	uint64_t sve = flags & TESSERA_SPP_REPORT_INJECT ? EPT_SUPPRESS_VE : 0;

	if (mask == SPP_MASK_ALL) {
		if (*m != SPP_MASK_ALL) {
			FUZZ_CHECK(ept_update_4k(&ept, page, EPT_SPP, EPT_WRITE | EPT_SUPPRESS_VE,
						 NULL) == 0);
			FUZZ_CHECK(spp_set(&sppt, page, SPP_MASK_ALL) == 0);
			nr_protected--;
		}
		*m = SPP_MASK_ALL;
		return 0;
	}
	if (*m == SPP_MASK_ALL && nr_protected == TESSERA_SPP_MAX_PAGES)
		return TESSERA_E_NOMEM;
	if (spp_set(&sppt, page, mask) ||
	    ept_update_4k(&ept, page, EPT_WRITE | EPT_SUPPRESS_VE, EPT_SPP | sve, NULL))
		return TESSERA_E_NOMEM; /* the pool: the model keeps the page as it was */
	if (*m == SPP_MASK_ALL)
		nr_protected++;
	*m = mask;
	return 0;
}

static void check_page(uint64_t page)
{
	uint64_t hpa, leaf, size;
	uint32_t mask;
	const struct guest_region *r = guest_ram_region(regions, 3, page);

	FUZZ_CHECK(r && ept_lookup(&ept, page, &hpa, &leaf, &size));
	FUZZ_CHECK(hpa == r->hpa + (page - r->gpa));
	if (model[page / 4096] != SPP_MASK_ALL) {
		FUZZ_CHECK(size == 4096 && (leaf & EPT_SPP) && !(leaf & EPT_WRITE));
		FUZZ_CHECK((leaf & (EPT_READ | EPT_EXEC)) == (EPT_READ | EPT_EXEC));
		FUZZ_CHECK(spp_get(&sppt, page, &mask) && mask == model[page / 4096]);
	} else {
		FUZZ_CHECK((leaf & EPT_RWX) == EPT_RWX && !(leaf & EPT_SPP));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t touched[64];
	unsigned nr_touched = 0;

	if (size < 1)
		return 0;
	bool supported = data[0] & 1, xom = data[0] & 2;
	struct spp_env env = {regions, 3, xom ? ~ALIAS : ~0ULL, shared, 2, supported};

	setup(xom);
	for (size_t at = 1; at + 25 <= size; at += 25) {
		struct hypercall hc = {16 + data[at] % 4,
				       {fuzz_get64(data + at + 1), fuzz_get64(data + at + 9),
					fuzz_get64(data + at + 17), 0}};
		uint64_t page = 0;
		long rc = hypercall_check(&hc, 0);

		if (hc.nr == 19) {
			FUZZ_CHECK(rc == TESSERA_E_NOSYS);
			continue;
		}
		if (rc || hc.nr == TESSERA_HC_VE_INFO)
			continue;
		rc = spp_check_page(&env, hc.arg[0], hc.nr == TESSERA_HC_SPP_SET, &page);
		if (!supported) {
			FUZZ_CHECK(rc == TESSERA_E_NOTSUP);
			continue;
		}
		if (rc) {
			FUZZ_CHECK(rc == TESSERA_E_FAULT || rc == TESSERA_E_DENIED);
			FUZZ_CHECK(rc == TESSERA_E_FAULT ||
				   (page == 0 && ((hc.arg[0] & env.gpa_mask) == shared[0] ||
						  (hc.arg[0] & env.gpa_mask) == shared[1])));
			continue;
		}
		FUZZ_CHECK(page == (hc.arg[0] & env.gpa_mask) &&
			   guest_ram_region(regions, 3, page));
		if (page >= RAM_PAGES * 4096ULL) /* beyond the model: only the checks ran */
			continue;
		if (hc.nr == TESSERA_HC_SPP_SET) {
			FUZZ_CHECK(page != shared[0] && page != shared[1]);
			apply_set(page, (uint32_t)hc.arg[1], hc.arg[2]);
			if (nr_touched < 64)
				touched[nr_touched++] = page;
		}
		FUZZ_CHECK(nr_protected <= TESSERA_SPP_MAX_PAGES);
		for (unsigned i = 0; i < nr_touched; i++)
			check_page(touched[i]);
		check_page(0x100000); /* an untouched page of the split region keeps its mapping */
	}
	return 0;
}
