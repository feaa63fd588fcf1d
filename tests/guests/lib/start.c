/*
 * From the entry code to guest_main(): the C side of the library's start-up,
 * and the helpers that read what the loader left behind.
 */
#include "tests/guests/lib/lib.h"

/* Filled by entry_common.S before anything else ran. */
extern struct guest_entry_state guest_entry_state;

void guest_start(uint32_t protocol);

static struct guest_boot boot;

bool entry_seg_desc(const struct guest_entry_state *st, unsigned seg, struct seg_desc *out)
{
	if (seg >= ENTRY_NR_SEGS || !(st->desc_valid & (1u << seg)))
		return false;
	uint32_t lo = st->desc[seg][0], hi = st->desc[seg][1];
	uint32_t limit = (lo & 0xffff) | (hi & 0x000f0000);

	out->g = hi & (1u << 23);
	out->limit = out->g ? (limit << 12) | 0xfff : limit;
	out->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
	out->type = (hi >> 8) & 0xf;
	out->s = hi & (1u << 12);
	out->dpl = (hi >> 13) & 3;
	out->present = hi & (1u << 15);
	out->l = hi & (1u << 21);
	out->db = hi & (1u << 22);
	return true;
}

uint32_t tessera_cpuid_base(void)
{
	for (uint32_t base = TESSERA_CPUID_HV_BASE; base < TESSERA_CPUID_HV_BASE + 0x10000;
	     base += TESSERA_CPUID_STEP) {
		struct cpuid_regs r = cpuid(base);

		if (r.ebx == TESSERA_SIGNATURE_EBX && r.ecx == TESSERA_SIGNATURE_ECX &&
		    r.edx == TESSERA_SIGNATURE_EDX)
			return base;
	}
	return 0;
}

bool on_tessera(void)
{
	return tessera_cpuid_base() != 0;
}

__attribute__((used)) void guest_start(uint32_t protocol)
{
	boot.protocol = protocol;
	boot.entry = guest_entry_state;
	boot.magic = boot.entry.eax;
	boot.info = boot.entry.ebx;

	console_init();
	exceptions_init();
	guest_printf("guest %s: started by %s\n", guest_name,
		     protocol == GUEST_BOOT_PVH ? "PVH" : "multiboot");
	guest_main(&boot);
	guest_finish();
}
