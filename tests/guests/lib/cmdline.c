/* Command-line parsing for test guests: bounded, never trusts the loader's string. */
#include "tests/guests/lib/cmdline.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool cmdline_get(const char *cmdline, size_t max, const char *key, char *buf, size_t size)
{
	size_t klen = 0;
	bool found = false;

	if (!cmdline || !key || !buf || size == 0)
		return false;
	while (key[klen])
		klen++;
	if (klen == 0)
		return false;

	size_t i = 0;
	while (i < max && cmdline[i]) {
		while (i < max && is_space(cmdline[i]))
			i++;
		size_t start = i;
		while (i < max && cmdline[i] && !is_space(cmdline[i]))
			i++;
		size_t wlen = i - start;
		const char *w = cmdline + start;

		if (wlen < klen)
			continue;
		size_t k = 0;
		while (k < klen && w[k] == key[k])
			k++;
		if (k != klen || (wlen > klen && w[klen] != '='))
			continue;

		size_t vstart = wlen > klen ? klen + 1 : wlen;
		size_t n = 0;
		for (size_t j = vstart; j < wlen && n + 1 < size; j++)
			buf[n++] = w[j];
		buf[n] = '\0';
		found = true;
	}
	return found;
}

bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (!s || !*s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return false;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}
