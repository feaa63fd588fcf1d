/*
 * fw_cfg: see fw_cfg.h. QEMU's port-I/O device takes a 16-bit write as a
 * selection and byte reads as data (its DMA interface and write channel are
 * not offered); the behaviour here is that, from its specification.
 */
#include "hv/dev/fw_cfg.h"
#include "lib/le_bytes.h"

/* Fills the selected item; an unknown selector is an empty item (reads 0). */
static void select_item(struct fw_cfg *f, uint16_t key)
{
	static const char signature[] = FW_CFG_SIGNATURE_TEXT;

	f->selector = key;
	f->offset = 0;
	f->len = 0;
	switch (key) {
	case FW_CFG_SIGNATURE:
		for (unsigned i = 0; i < sizeof(signature) - 1; i++)
			f->item[i] = (uint8_t)signature[i];
		f->len = sizeof(signature) - 1;
		break;
	case FW_CFG_ID:
		put_le(f->item, FW_CFG_ID_TRADITIONAL, 4);
		f->len = 4;
		break;
	case FW_CFG_RAM_SIZE:
		put_le(f->item, f->info.ram_size, 8);
		f->len = 8;
		break;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		put_le(f->item, f->info.nr_cpus, 2);
		f->len = 2;
		break;
	}
}

void fw_cfg_init(struct fw_cfg *f, const struct fw_cfg_info *info)
{
	f->info = *info;
	select_item(f, FW_CFG_SIGNATURE);
}

void fw_cfg_out(struct fw_cfg *f, unsigned off, unsigned size, uint32_t value)
{
	/* Byte writes would be the data port's write channel: gone from QEMU, ignored. */
	if (off == 0 && size == 2)
		select_item(f, (uint16_t)value);
}

uint32_t fw_cfg_in(struct fw_cfg *f, unsigned off, unsigned size)
{
	uint8_t b = 0;

	if (off >= FW_CFG_PORTS || size != 1)
		return 0xffffffffu; /* not an access the device decodes */
	if (f->offset < f->len && f->len <= FW_CFG_ITEM_MAX)
		b = f->item[f->offset++];
	return b;
}
