/*
 * A hypercall's guest buffers, reached region by region: a buffer may span
 * adjacent RAM regions of the partition, whose host memory need not be
 * contiguous. Nothing is touched unless every byte is guest RAM
 * (guest_ram_covers(), hv/policy/hypercall_check.c).
 */
#ifndef TESSERA_HV_GUEST_BUFFER_H
#define TESSERA_HV_GUEST_BUFFER_H

#include "hv/partition/partition.h"

/* Called for each piece: its host address, its offset in the buffer, its length. */
typedef void (*guest_piece_fn)(void *ctx, uint8_t *hva, uint64_t offset, uint64_t len);

/* fn over [gpa, gpa + len) in order, piece by piece; false (fn not called) if not all RAM. */
bool guest_buffer_each(struct partition *p, uint64_t gpa, uint64_t len, guest_piece_fn fn,
		       void *ctx);

/* Copies len bytes of src to guest-physical gpa; false (nothing written) if not all RAM. */
bool copy_to_guest(struct partition *p, uint64_t gpa, const void *src, uint64_t len);

#endif
