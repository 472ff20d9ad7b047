/*
 * pcp.h - the per-CPU page lists (struct per_cpu_pages, mm/page_alloc.c).
 *
 * Every zone keeps, for every CPU, a small cache of free blocks taken from
 * the buddy lists in batches (rmqueue_bulk()) and given back in batches
 * (free_pcppages_bulk()), so that most order-0 allocations and frees touch
 * neither zone->lock nor the buddy lists.  Blocks on a pcp list are free
 * but not on a buddy list: /proc/buddyinfo does not show them and the
 * zone's NR_FREE_PAGES does not count them (both versions account the free
 * pages on the buddy side: 6.13 account_freepages() in __free_one_page()
 * and del_page_from_free_list(), 2.6.32 rmqueue_bulk() and
 * free_pcppages_bulk()).
 *
 *   6.13    one list per (order, migratetype) for orders 0..3
 *           (PAGE_ALLOC_COSTLY_ORDER), plus two for the THP order
 *           (HPAGE_PMD_ORDER: Movable and the rest), order_to_pindex();
 *           batch, high_min, high_max from zone_batchsize() and
 *           zone_highsize(); high auto-tunes between them.
 *   2.6.32  order 0 only, one list per migratetype; hot pages at the
 *           head, cold ones (__GFP_COLD) at the tail; high = 6 * batch.
 *
 * `set pcp off` (pcp_set_enabled) drains every list and sends every
 * allocation and free straight to the buddy lists, for teaching.
 */
#ifndef KMEMSH_PCP_H
#define KMEMSH_PCP_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* NR_PCP_LISTS (6.13, CONFIG_TRANSPARENT_HUGEPAGE): MIGRATE_PCPTYPES *
 * (PAGE_ALLOC_COSTLY_ORDER + 1) + NR_PCP_THP (2) */
#define PCP_MAX_LISTS 14
#define PCP_COSTLY_ORDER 3              /* PAGE_ALLOC_COSTLY_ORDER */
#define PCP_BATCH_SCALE_MAX 5           /* CONFIG_PCP_BATCH_SCALE_MAX (6.13 default) */
/* vm.percpu_pagelist_high_fraction's smallest value but 0 (6.x
 * mm/page_alloc.c); 2.6.32's vm.percpu_pagelist_fraction has the same
 * minimum (kernel/sysctl.c min_percpu_pagelist_fract), 0 included */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

/* pcp->flags (6.13 include/linux/mmzone.h) */
enum { PCPF_PREV_FREE_HIGH_ORDER = 1u << 0, PCPF_FREE_HIGH_BATCH = 1u << 1 };

struct per_cpu_pages {
	int count;                      /* pages (not blocks) on the lists */
	int high, high_min, high_max;   /* 2.6.32: high only */
	int batch;
	int free_count;                 /* 6.13: pages freed since the last allocation (nr_pcp_free) */
	int alloc_factor;               /* 6.13: batch scale of refills (nr_pcp_alloc) */
	uint8_t flags;                  /* PCPF_* */
	struct flist lists[PCP_MAX_LISTS];
};

/* A page on a pcp list has neither PG_buddy nor PG_head; its gfp word
 * holds PCP_GFP_MARK | cpu (no real gfp mask uses those bits). */
#define PCP_GFP_MARK 0xfff00000u
static inline bool page_on_pcp(const struct page *p)
{
	return !(p->flags & (PG_buddy | PG_head)) && (p->gfp & PCP_GFP_MARK) == PCP_GFP_MARK;
}
static inline unsigned page_pcp_cpu(const struct page *p)
{
	return p->gfp & ~PCP_GFP_MARK;
}

/* Boot (boot.c): the real pagesets, after the watermarks (setup_per_cpu_pageset()).
 * 0 or -ENOMEM.  pcp_destroy frees them. */
int pcp_setup(struct machine *m);
void pcp_destroy(struct machine *m);
/* zone_pcp_update() of every zone: batch and high after the watermarks
 * changed (setup_per_zone_wmarks()) */
void pcp_update(struct machine *m);

/* Everything the lists' next decisions read, folded into h with mix: per
 * zone and CPU the counts, high, batch state and each list's length in
 * blocks, and ZONE_BELOW_HIGH (filemap.c's fill detects repeating states
 * with it).  Walks the lists: the cost is the blocks they hold. */
uint64_t pcp_signature(const struct machine *m, uint64_t h, uint64_t (*mix)(uint64_t, uint64_t));
/* Whether the lists are in use (not `set pcp off`, and set up). */
bool pcp_enabled(const struct machine *m);
/* set pcp on|off: off drains every list first. */
void pcp_set_enabled(struct machine *m, bool on);

/* pcp_allowed_order(): the orders a pcp list holds in this kernel */
bool pcp_allowed_order(const struct machine *m, unsigned order);

/* The allocator's hands (buddy.c).
 * pcp_rmqueue: rmqueue_pcplist() / buffered_rmqueue()'s order-0 branch for
 *   zone z on the current CPU: the block's pfn, or ~0 when the list is
 *   empty and rmqueue_bulk() found nothing; the block is taken off the list
 *   (flags cleared, the caller marks it allocated).
 * pcp_rmqueue_hot: the same when the list already has a block (not a
 *   2.6.32 cold allocation); ~0, with nothing changed, when it is empty.
 * pcp_free: free_unref_page() / free_hot_cold_page() of the block at pfn,
 *   whose head page is p: true when the block went onto a pcp list (the
 *   caller has already done the free's bookkeeping), false when it must go
 *   to the buddy lists.
 * pcp_drain_zone: drain every CPU's lists of zone z (-1: every zone),
 *   drain_all_pages(); returns the pages given back.
 * pcp_drain_local: drain_local_pages(zone) on the current CPU. */
uint64_t pcp_rmqueue(struct machine *m, int z, unsigned order, int mt, unsigned alloc_flags, bool cold);
uint64_t pcp_rmqueue_hot(struct machine *m, int z, unsigned order, int mt);
bool pcp_free(struct machine *m, int z, uint64_t pfn, struct page *p, unsigned order, bool cold);
uint64_t pcp_drain_zone(struct machine *m, int z);
uint64_t pcp_drain_local(struct machine *m, int z);
/* 6.13 get_page_from_freelist(): ZONE_BELOW_HIGH is set when an allocation
 * finds the zone below its high watermark, cleared by a pcp free that
 * leaves it above again */
void pcp_note_below_high(struct machine *m, int z);
bool pcp_below_high(const struct machine *m, int z);
/* ZONE_RECLAIM_ACTIVE (6.x mm/vmscan.c set_reclaim_active()/
 * clear_reclaim_active() around kswapd's balance_pgdat()): while set, a
 * pcp free sees a high of at most batch << 2 (nr_pcp_high()) */
void pcp_set_reclaim_active(struct machine *m, int z, bool on);

/* One run of the vmstat worker on CPU cpu (6.13 mm/vmstat.c vmstat_update()
 * -> refresh_cpu_vm_stats(true)): decay_pcp_high() for each populated zone
 * of that CPU, freeing what lies above the new high to the buddy lists
 * (*freed pages).  Returns the work left (0: the worker would not requeue
 * itself).  6.1 and 2.6.32 have no decay: 0, nothing changes. */
int pcp_vmstat_update(struct machine *m, unsigned cpu, uint64_t *freed);

/* For the views and the checker */
const struct per_cpu_pages *pcp_of(const struct machine *m, int z, unsigned cpu);
unsigned pcp_nr_lists(const struct machine *m);
unsigned pcp_list_order(const struct machine *m, unsigned pindex);
int pcp_list_mt(const struct machine *m, unsigned pindex);
/* pages on the pcp lists of zone z (-1: all zones), every CPU; of one CPU */
uint64_t pcp_zone_pages(const struct machine *m, int z);
uint64_t pcp_cpu_pages(const struct machine *m, int z, unsigned cpu);
/* walk one list head to tail: cb(arg, pfn); nonzero stops */
void pcp_walk_list(const struct machine *m, int z, unsigned cpu, unsigned pindex,
		   int (*cb)(void *arg, uint64_t pfn), void *arg);
/* the checker: lists well linked, every page marked for its CPU, zone and
 * order, counts right; *blocks = blocks on all lists.  0 or -EUCLEAN. */
int pcp_check(struct machine *m, uint64_t *blocks);

/* The formulas (pcp.c), for the tests:
 * 6.13 zone_batchsize(): min(managed >> 10, SZ_1M / PAGE_SIZE) / 4, at least 1,
 *   rounddown_pow_of_two(batch + batch / 2) - 1;
 * zone_highsize(): max(total / nr_cpus, batch * 4), total = low watermark
 *   (fraction 0) or managed / fraction;
 * 2.6.32 zone_batchsize(): the same from present pages with a 512 KiB cap;
 * 2.6.32 setup_pagelist_highmark() with vm.percpu_pagelist_fraction:
 *   high = present / fraction, batch = max(1, high / 4) capped at
 *   PAGE_SHIFT * 8. */
int pcp_batchsize_13(uint64_t managed, unsigned page_size);
int pcp_highsize_13(uint64_t low_wmark, uint64_t managed, int batch, unsigned ncpus, int fraction);
int pcp_batchsize_2632(uint64_t present, unsigned page_size);
void pcp_highmark_2632(uint64_t present, int fraction, unsigned page_shift, int *high, int *batch);

#endif
