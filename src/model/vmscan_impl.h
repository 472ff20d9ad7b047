/*
 * vmscan_impl.h - what the files of reclaim share (lru.c the lists,
 * filemap.c the page cache, anon.c the tasks and swap, vmscan.c reclaim,
 * slowpath.c the retry rules, list_lru.c the shrinkable caches): the
 * page records, the quiet stretches of bulk work, the reclaim change log,
 * GFP bits by name.  Not a public header.
 */
#ifndef KMEMSH_VMSCAN_IMPL_H
#define KMEMSH_VMSCAN_IMPL_H

#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

/* The per-page or per-object events of bulk work (a fill, a shrinker's
 * scan) are not logged; what reclaim, kswapd and the OOM killer do is, as
 * one event each.  Begin/end nest. */
struct vmscan_quiet {
	bool outer;
};
struct vmscan_quiet vmscan_quiet_begin(struct machine *m);
void vmscan_quiet_end(struct machine *m, struct vmscan_quiet q);

/* A reclaim event into the step's change log; inside a quiet stretch (or
 * with merge) events of one kind merge into one that counts them. */
void vmscan_log(struct machine *m, const struct change *c, bool merge);

/* the profile's GFP bits of a name (0: the profile has no such flag) */
uint32_t vmscan_gfp_bit(const struct machine *m, const char *name);
/* the gfp a user page is allocated with: a folio on 6.x (__GFP_COMP) */
gfp_t vmscan_folio_gfp(const struct machine *m, gfp_t gfp);

#define NIL NODE_NIL
#define REC_FREE 0xff                   /* lru_page.lru of a free record */

/* lru.c: a page on a list (list_add(): at the head; _tail: what
 * folio_rotate_reclaimable() does), off its list */
void vmscan_lru_add(struct vm_state *v, uint32_t i, enum lru_list lru);
void vmscan_lru_add_tail(struct vm_state *v, uint32_t i, enum lru_list lru);
void vmscan_lru_del(struct vm_state *v, uint32_t i);
/* lru.c: a new page of a file (task -1) or a task (file -1), allocated
 * and put on its list; 0, -ESRCH (the owner was OOM-killed meanwhile),
 * an allocation's error.  A page leaving its list for the buddy
 * allocator. */
int vmscan_add_page(struct machine *m, gfp_t gfp, int task, int file, bool dirty, enum lru_list lru, long ilx);
void vmscan_release_page(struct machine *m, struct vm_state *v, uint32_t i);
/* anon.c: the OOM victim's memory goes back (the OOM reaper and exit);
 * the pages freed */
uint64_t vmscan_kill_task(struct machine *m, int t);
/* filemap.c: a file or task name: 1 to max - 1 printable characters */
bool vmscan_valid_name(const char *s, size_t max);

static inline void vm_log(struct machine *m, const struct change *c)
{
	vmscan_log(m, c, false);
}

/* vmscan.c: reclaim's scan_control */
struct scan_control {
	gfp_t gfp_mask;                 /* what the shrinkers see (super_cache_scan() wants __GFP_FS) */
	unsigned order;
	int priority;
	bool kswapd;
	/* !may_swap, !may_writepage: kswapd's boosted reclaim takes neither
	 * anon pages nor dirty ones (balance_pgdat()); false elsewhere */
	bool no_swap, no_writepage;
	uint64_t nr_to_reclaim;
	uint64_t nr_scanned, nr_reclaimed, nr_written, nr_swapped;
};

/* zone_reclaimable_pages(): file always, anon with free swap */
uint64_t vmscan_zone_reclaimable_pages(const struct vm_state *v, int z);
/* do_try_to_free_pages(): the direct reclaim of the slow path */
uint64_t vmscan_try_to_free_pages(struct machine *m, struct vm_state *v, gfp_t gfp, unsigned order, int classzone,
				  struct scan_control *sc);

/* list_lru.c: every shrinkable cache's shrinker unregistered, its lists freed */
void vmscan_shrinkable_destroy(struct machine *m);

/* the shrinkers' list_lrus (list_lru.c): each object on the list of its
 * slab page's node, each list_lru's count the sum of its nodes' lists;
 * 0 or -EUCLEAN with m->err set */
int vmscan_shrinkable_check(struct machine *m);

#endif
