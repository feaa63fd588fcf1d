/*
 * boot/pvh.c: pvh_parse() on a hostile hvm_start_info and everything it points
 * to, what a PVH loader leaves at EBX (see fuzz_boot_parser() for the checks).
 */
#include "tests/fuzz/boot_info_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_boot_parser(pvh_parse, "pvh: ", BOOT_PROTO_PVH, data, size);
	return 0;
}
