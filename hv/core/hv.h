/* The hypervisor's top level: what boot/ hands over to. */
#ifndef TESSERA_HV_HV_H
#define TESSERA_HV_HV_H

#include "boot/boot_info.h"

__noreturn void hv_main(struct boot_info *bi);

#endif
