/*
 * hv/policy/hypercall_check: the checks of a guest's hypercall registers.
 * Input: RAX, RDI, RSI, RDX, RCX (8 bytes each), CPL and a 32-bit-mode flag.
 * Checked against the documented rules (guest-abi/tessera.h), computed here
 * independently: the error that must come back, and that an allowed call's
 * buffer lies within 2^64 and its length within its limit; and the
 * PARTITION_INFO reply's size and terminated name for any name.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/policy/hypercall_check.h"

/* Whether [gpa, gpa + len) fits below 2^64 (len 0 always fits). */
static int fits(uint64_t gpa, uint64_t len)
{
	uint64_t end;

	return len == 0 || !__builtin_add_overflow(gpa, len - 1, &end);
}

/*
 * The calls of guest-abi/tessera.h and their arguments: a buffer at arg[0] of
 * `fixed` bytes, or of arg[1] items of `unit` bytes, arg[1] at most `max`.
 */
static const struct rule {
	uint64_t nr;
	uint64_t fixed, unit, max;
} rules[] = {
    {TESSERA_HC_ABI_VERSION, 0, 0, 0},
    {TESSERA_HC_CONSOLE_WRITE, 0, 1, TESSERA_CONSOLE_WRITE_MAX},
    {TESSERA_HC_PARTITION_INFO, sizeof(struct tessera_partition_info), 0, 0},
    {TESSERA_HC_EXIT, 0, 0, 0},
    {TESSERA_HC_EXIT_STATS, 0, sizeof(uint64_t), TESSERA_EXIT_STATS_MAX},
    {TESSERA_HC_PRINT_STATS, 0, 0, 0},
    {TESSERA_HC_HYPERV_CPUID, 0, sizeof(struct tessera_cpuid_leaf), TESSERA_HYPERV_CPUID_MAX},
    {TESSERA_HC_SHMEM_LIST, 0, sizeof(struct tessera_shmem_region), TESSERA_SHMEM_MAX},
};

/* The SPP calls take page addresses and a mask, not buffers: -1 for the other calls. */
static long expected_spp(const struct hypercall *hc)
{
	switch (hc->nr) {
	case TESSERA_HC_SPP_SET:
		if (hc->arg[1] > 0xffffffffu || (hc->arg[2] & ~1ull))
			return TESSERA_E_INVAL;
		return hc->arg[0] % 4096 ? TESSERA_E_INVAL : 0;
	case TESSERA_HC_SPP_GET:
		return hc->arg[0] % 4096 ? TESSERA_E_INVAL : 0;
	case TESSERA_HC_VE_INFO:
		return hc->arg[0] != ~0ull && hc->arg[0] % 4096 ? TESSERA_E_INVAL : 0;
	default:
		return -1;
	}
}

/* The shared-memory calls without a buffer: a region index, then a vector or a peer. */
static long expected_shmem(const struct hypercall *hc)
{
	if (hc->arg[0] >= TESSERA_SHMEM_MAX)
		return TESSERA_E_INVAL;
	if (hc->nr == TESSERA_HC_SHMEM_VECTOR)
		return hc->arg[1] == 0 || (hc->arg[1] >= 32 && hc->arg[1] <= 255) ? 0
										  : TESSERA_E_INVAL;
	return hc->arg[1] < TESSERA_SHMEM_MAX_PEERS ? 0 : TESSERA_E_INVAL;
}

static long expected(const struct hypercall *hc, unsigned cpl)
{
	const struct rule *r = NULL;

	if (cpl)
		return TESSERA_E_PERM;
	if (expected_spp(hc) != -1)
		return expected_spp(hc);
	if (hc->nr == TESSERA_HC_SHMEM_VECTOR || hc->nr == TESSERA_HC_SHMEM_NOTIFY)
		return expected_shmem(hc);
	for (unsigned i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].nr == hc->nr)
			r = &rules[i];
	if (!r)
		return TESSERA_E_NOSYS;
	if (r->unit && hc->arg[1] > r->max)
		return TESSERA_E_INVAL;
	return fits(hc->arg[0], r->unit ? hc->arg[1] * r->unit : r->fixed) ? 0 : TESSERA_E_FAULT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hypercall hc;
	struct tessera_partition_info info;
	unsigned cpl;
	char name[80];

	if (size < 42)
		return 0;
	hc.nr = fuzz_get64(data);
	for (unsigned i = 0; i < 4; i++)
		hc.arg[i] = fuzz_get64(data + 8 + 8 * i);
	cpl = data[40] & 3;
	if (data[41] & 1) {
		hypercall_truncate(&hc);
		FUZZ_CHECK(hc.nr <= UINT32_MAX && hc.arg[0] <= UINT32_MAX &&
			   hc.arg[3] <= UINT32_MAX);
	}
	FUZZ_CHECK(hypercall_check(&hc, cpl) == expected(&hc, cpl));

	/* The rest of the input is a partition name of any length, terminated here. */
	memset(name, 0, sizeof(name));
	memcpy(name, data + 42, MIN(size - 42, sizeof(name) - 1));
	memset(&info, 0xa5, sizeof(info));
	hypercall_fill_info(&info, (uint32_t)hc.arg[0], name, (uint32_t)hc.arg[1],
			    (uint32_t)hc.arg[2], hc.arg[3], (uint32_t)hc.nr);
	FUZZ_CHECK(info.size == sizeof(info));
	FUZZ_CHECK(fuzz_terminated(info.name, sizeof(info.name)));
	FUZZ_CHECK(strncmp(info.name, name, sizeof(info.name) - 1) == 0);
	FUZZ_CHECK(info.memory_bytes == hc.arg[3] && info.reserved == 0);
	return 0;
}
