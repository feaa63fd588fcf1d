/*
 * boot/multiboot2.c: mb2_parse() on a hostile boot-information block, what
 * GRUB leaves at EBX (see fuzz_boot_parser() for what is checked).
 */
#include "tests/fuzz/boot_info_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_boot_parser(mb2_parse, "mb2: ", BOOT_PROTO_MULTIBOOT2, data, size);
	return 0;
}
