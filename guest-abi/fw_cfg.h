/*
 * The firmware configuration interface a partition with `fw_cfg = on` sees:
 * the port-I/O form of QEMU's fw_cfg device (its traditional interface, no
 * DMA), which kvm-unit-tests and other QEMU-aware guests read for the number
 * of CPUs and the RAM size. Usable by any guest (needs only <stdint.h>).
 *
 *   OUT 16 bits to FW_CFG_PORT_SEL: select an item (FW_CFG_*), rewind to its
 *                                   first byte;
 *   IN 8 bits from FW_CFG_PORT_DATA (or FW_CFG_PORT_SEL): the selected
 *                                   item's next byte; 0 past its end.
 * Items are little-endian. Every other access reads all-ones or is ignored.
 */
#ifndef TESSERA_GUEST_ABI_FW_CFG_H
#define TESSERA_GUEST_ABI_FW_CFG_H

#define FW_CFG_PORT_SEL	 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_PORTS	 2

/* Items Tessera answers; every other selector is an empty item. */
#define FW_CFG_SIGNATURE 0x00 /* "QEMU" */
#define FW_CFG_ID	 0x01 /* 32 bits: FW_CFG_ID_TRADITIONAL (no DMA) */
#define FW_CFG_RAM_SIZE	 0x03 /* 64 bits: the partition's memory, bytes */
#define FW_CFG_NB_CPUS	 0x05 /* 16 bits: the partition's vCPUs */
#define FW_CFG_MAX_CPUS	 0x0f /* 16 bits: the same */

#define FW_CFG_ID_TRADITIONAL 1u
#define FW_CFG_SIGNATURE_TEXT "QEMU"

#endif
