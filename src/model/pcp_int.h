/*
 * pcp_int.h - what the per-CPU lists (pcp.c) need of the buddy allocator
 * (buddy.c): its __rmqueue() and __free_one_page() with zone->lock held.
 * Internal to the model.
 */
#ifndef KMEMSH_PCP_INT_H
#define KMEMSH_PCP_INT_H

#include <stdint.h>

struct machine;

/* __rmqueue(): one block of the order from zone z's lists (fallbacks
 * included), its pfn, or ~0; NR_FREE_PAGES drops by its pages */
uint64_t buddy_rmqueue_locked(struct machine *m, int z, unsigned order, int mt, unsigned alloc_flags);
/* __free_one_page(): merge and put on the buddy lists with type mt */
void buddy_free_one_locked(struct machine *m, int z, uint64_t pfn, unsigned order, int mt);

#endif
