/*
 * memview.h - renderers of memory contents (memview.c): what `read`
 * found and where, and `dump`'s hex lines.  Like every renderer they only
 * read the model; each has a text and a JSON form (out->json).
 */
#ifndef KMEMSH_MEMVIEW_H
#define KMEMSH_MEMVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "kmemsh/memstore.h"
#include "kmemsh/view.h"

/* one line saying which allocation len bytes at addr are in: a slab
 * range as view_slab_range() gives it, "order-2 block at pfn 0x37000
 * (GFP_KERNEL), +0x10", "large kmalloc of 20000 bytes at ..., +0x0" */
void view_mem_where(const struct machine *m, const struct mem_access_result *r, uint64_t addr, uint64_t len,
		    char *buf, size_t buflen);

/* a load's result: "*(u32 *)0xc1f3f000 = 0xaaaaaaaa  [where]" */
void view_mem_read(struct out *o, const struct machine *m, uint64_t addr, unsigned size, uint64_t val,
		   const struct mem_access_result *r);

/* len bytes from addr as print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ...,
 * true) shows them; JSON: {"addr":"0x...","bytes":"6b6b..."} */
void view_mem_dump(struct out *o, const struct machine *m, uint64_t addr, const uint8_t *buf, size_t len);

#endif
