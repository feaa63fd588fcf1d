/* The EPT pointers of a partition's vCPUs: see eptp_track.h. */
#include "hv/policy/eptp_track.h"

void eptp_track_init(struct eptp_track *t, uint32_t nr)
{
	*t = (struct eptp_track){.nr = MIN(nr, (uint32_t)CONFIG_MAX_PARTITION_CPUS)};
}

void eptp_track_set(struct eptp_track *t, uint32_t index, uint64_t eptp)
{
	if (index >= t->nr)
		return;
	t->eptp[index] = eptp;
	/* The same EPT again keeps the common one; anything else makes it unknown. */
	if (!eptp || !t->common || eptp_root(eptp) != eptp_root(t->common))
		t->common = 0;
}

static bool seen(const uint64_t *out, uint32_t n, uint64_t eptp)
{
	for (uint32_t i = 0; i < n; i++)
		if (eptp_root(out[i]) == eptp_root(eptp))
			return true;
	return false;
}

uint32_t eptp_track_distinct(struct eptp_track *t, uint64_t *out, uint32_t max)
{
	uint64_t all[CONFIG_MAX_PARTITION_CPUS];
	uint32_t n = 0;

	if (t->common) {
		if (max)
			out[0] = t->common;
		return 1;
	}
	for (uint32_t i = 0; i < t->nr; i++)
		if (t->eptp[i] && !seen(all, n, t->eptp[i]))
			all[n++] = t->eptp[i];
	for (uint32_t i = 0; i < n && i < max; i++)
		out[i] = all[i];
	if (n == 1)
		t->common = all[0];
	return n;
}
