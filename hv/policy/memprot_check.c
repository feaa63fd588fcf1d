/* The rules of execute-only memory and sub-page protection: see memprot_check.h. */
#include "hv/policy/memprot_check.h"
#include "arch/x86/exception.h"
#include "arch/x86/vmx/vmx_exit.h"

uint32_t xom_pf_error_code(uint64_t qual, unsigned cpl)
{
	uint32_t err = PF_ERR_P;

	if (qual & EPT_VIOL_WRITE)
		err |= PF_ERR_W;
	if (cpl == 3)
		err |= PF_ERR_U;
	if (qual & EPT_VIOL_FETCH)
		err |= PF_ERR_I;
	return err;
}

bool xom_regions_fit(const struct guest_region *regions, uint32_t n, unsigned alias_bit)
{
	uint64_t limit = BIT(alias_bit & 63);

	if (alias_bit < 12 || alias_bit >= 64)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (regions[i].type == CONFIG_MEM_RAM &&
		    (regions[i].gpa >= limit || regions[i].size > limit - regions[i].gpa))
			return false;
	return true;
}

long spp_check_page(const struct spp_env *env, uint64_t gpa, bool setting, uint64_t *page)
{
	uint64_t p = gpa & env->gpa_mask & ~(uint64_t)(PAGE_SIZE - 1);

	if (!env->supported)
		return TESSERA_E_NOTSUP;
	/* A page lies in one region: regions are 4 KiB aligned. */
	if (!guest_ram_region(env->regions, env->nr_regions, p))
		return TESSERA_E_FAULT;
	for (uint32_t i = 0; setting && i < env->nr_shared; i++)
		if (env->shared[i] == p)
			return TESSERA_E_DENIED;
	*page = p;
	return 0;
}
