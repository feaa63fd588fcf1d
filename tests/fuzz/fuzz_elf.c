/*
 * hv/load/elf.c: elf_parse() on a hostile image, then the promises of
 * struct elf_image: every segment's file bytes inside the image, filesz <=
 * memsz, memsz nonzero, paddr + memsz not wrapping (nor past 4 GiB for ELF32),
 * no two overlapping; a terminated reason on failure.
 */
#include "tests/fuzz/fuzz.h"
#include "hv/load/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exactly sized copy, so that ASan sees a read past the image's end. */
	uint8_t *image = malloc(size ? size : 1);
	struct elf_image elf;
	char err[128];

	memcpy(image, data, size);
	memset(err, 'x', sizeof(err));
	check_log_clear();
	if (elf_parse(image, size, &elf, err, sizeof(err)) != 0) {
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)) && err[0] != '\0');
		free(image);
		return 0;
	}
	FUZZ_CHECK(elf_has_magic(image, size));
	FUZZ_CHECK(elf.elf_class == ELFCLASS32 || elf.elf_class == ELFCLASS64);
	FUZZ_CHECK(elf.nr_segments <= ELF_MAX_SEGMENTS);
	for (uint32_t i = 0; i < elf.nr_segments; i++) {
		const struct elf_segment *s = &elf.segments[i];

		FUZZ_CHECK(s->memsz != 0 && s->filesz <= s->memsz);
		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_CHECK(s->paddr <= UINT64_MAX - s->memsz);
		if (elf.elf_class == ELFCLASS32)
			FUZZ_CHECK(s->paddr + s->memsz <= 1ULL << 32);
		for (uint32_t j = 0; j < i; j++) /* no two overlap where they are loaded */
			FUZZ_CHECK(s->paddr >= elf.segments[j].paddr + elf.segments[j].memsz ||
				   elf.segments[j].paddr >= s->paddr + s->memsz);
	}
	uint64_t entry = elf_entry_paddr(&elf);
	if (elf.elf_class == ELFCLASS32)
		FUZZ_CHECK(entry <= UINT32_MAX);
	free(image);
	return 0;
}
