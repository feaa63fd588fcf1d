/*
 * A partition's fw_cfg device (guest-abi/fw_cfg.h): the selector and data
 * ports of QEMU's firmware configuration interface, answering the few items a
 * partition has (signature, ID, RAM size, CPU counts). Pure and host-tested:
 * the I/O exit (hv/exit/exit_io.c) calls it under the partition's lock, the
 * device being one per partition as on a QEMU machine. Every selector, access
 * size and read count the guest uses is hostile input: any of them is safe.
 */
#ifndef TESSERA_HV_DEV_FW_CFG_H
#define TESSERA_HV_DEV_FW_CFG_H

#include "lib/types.h"
#include "guest-abi/fw_cfg.h"

#define FW_CFG_ITEM_MAX 8 /* the longest item Tessera has: 64 bits */

/* What the items say: fixed when the partition is built. */
struct fw_cfg_info {
	uint16_t nr_cpus;
	uint64_t ram_size;
};

struct fw_cfg {
	struct fw_cfg_info info;
	uint16_t selector;
	uint32_t offset; /* next byte of the selected item; at most len */
	uint32_t len;	 /* bytes of the selected item */
	uint8_t item[FW_CFG_ITEM_MAX];
};

/* Power-up state: item FW_CFG_SIGNATURE selected. */
void fw_cfg_init(struct fw_cfg *f, const struct fw_cfg_info *info);
/* An OUT of size bytes (1, 2, 4) to port offset off (0..FW_CFG_PORTS-1). */
void fw_cfg_out(struct fw_cfg *f, unsigned off, unsigned size, uint32_t value);
/* The value an IN of size bytes from port offset off reads. */
uint32_t fw_cfg_in(struct fw_cfg *f, unsigned off, unsigned size);

#endif
