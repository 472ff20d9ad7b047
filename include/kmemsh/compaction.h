/*
 * compaction.h - memory compaction (mm/compaction.c, Linux 6.12/6.13): the
 * migrate scanner walks a zone up from its start isolating movable pages,
 * the free scanner walks down from its end isolating free pages, and the
 * movable pages are migrated into the free ones, so that free memory
 * gathers at the zone's start into high-order blocks.  It stops when the
 * scanners meet (or, for an allocation, as soon as a block of its order
 * is free).  Linux 2.6.32 has no compaction (it came in 2.6.35).
 *
 * What moves: a page that stands for a user page on an LRU list
 * (buddy_set_page_lru(): alloc_pages()/alloc_page() and `fragment` give
 * such pages when the GFP's migratetype is Movable, e.g.
 * GFP_HIGHUSER_MOVABLE).  Slab pages, large kmalloc pages, page tables,
 * vmalloc pages, reserved pages and pages mapped with kmap never move.
 * A migrated page keeps its data (the bytes move along) but not its pfn:
 * kmemsh keeps a record of each move (compaction_moved_to()), and
 * variables holding the old struct page pointer keep holding it.
 */
#ifndef KMEMSH_COMPACTION_H
#define KMEMSH_COMPACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* include/linux/compaction.h, in its order (try_to_compact_pages() keeps
 * the largest) */
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,
	COMPACT_SKIPPED,
	COMPACT_DEFERRED,
	COMPACT_NO_SUITABLE_PAGE,
	COMPACT_CONTINUE,
	COMPACT_COMPLETE,
	COMPACT_PARTIAL_SKIPPED,
	COMPACT_CONTENDED,
	COMPACT_SUCCESS,
};
/* the tracepoints' names ("complete", "success", ...: mmflags.h) */
const char *compact_result_name(enum compact_result r);

/* enum compact_priority: how hard direct compaction tries */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,         /* MIN_COMPACT_PRIORITY */
	COMPACT_PRIO_SYNC_LIGHT,        /* DEFAULT_COMPACT_PRIORITY */
	COMPACT_PRIO_ASYNC,             /* INIT_COMPACT_PRIORITY */
};

#define COMPACT_CLUSTER_MAX 32u        /* SWAP_CLUSTER_MAX */

struct compact_move {
	uint64_t from, to;
	unsigned order;
};

/* What one compaction of a zone did. */
struct compact_zone_report {
	int zone;
	enum compact_result result;
	uint64_t migrate_scanned, free_scanned, isolated;       /* the vmstat events it counted */
	uint64_t migrated, failed;                              /* pages */
	/* what the free scanner (isolate_freepages()) isolated, and the
	 * largest stride it sampled a pageblock with (it doubles after each
	 * pageblock where it isolated nothing, up to COMPACT_CLUSTER_MAX);
	 * free_found: the free blocks it came upon, isolated or not (the
	 * min watermark may refuse one: __isolate_free_page()) */
	uint64_t free_isolated, free_found;
	unsigned free_stride_max;
	/* COMPACT_CONTENDED because the host (not the modelled kernel) ran
	 * out of memory; false for compact_zone()'s own COMPACT_CONTENDED,
	 * migrate_pages() failing with -ENOMEM before the scanners met */
	bool host_oom;
	uint64_t nr_free_before[NR_ORDERS];
};

struct compact_report {
	struct compact_zone_report zone[MAX_ZONES_MODEL];
	int nzones;
	struct compact_move *moves;     /* every block moved, in order */
	size_t nmoves, cap;
};
void compact_report_free(struct compact_report *rep);

/* Whether the modelled kernel has compaction (6.13: yes; 2.6.32: no). */
bool compaction_exists(const struct machine *m);

/*
 * `echo 1 > /proc/sys/vm/compact_memory` (compact_node(): every populated
 * zone, order -1, MIGRATE_SYNC, the whole zone) or one zone of it (z >= 0).
 * rep (may be NULL) gets what each zone's run did.  0, -EOPNOTSUPP (2.6.32),
 * -EINVAL (no such populated zone); m->err says why.
 */
int compaction_compact_memory(struct machine *m, int z, struct compact_report *rep);

/* __compaction_suitable() and compaction_suitable() for an order-`order`
 * request whose highest zone is highest_zoneidx */
bool compaction_suitable_wmark(const struct machine *m, int z, unsigned order, int highest_zoneidx);
bool compaction_suitable(const struct machine *m, int z, unsigned order, int highest_zoneidx);

/*
 * Direct compaction (try_to_compact_pages()): each zone of the zonelist
 * from `highest` down (classzone: the lowmem_reserve index, as in
 * buddy_zone_watermark_ok()), compact_zone_order() at priority prio for a request
 * of this gfp, order and alloc flags, stopping at the first COMPACT_SUCCESS.
 * Returns the largest result (COMPACT_SKIPPED when the gfp forbids it:
 * no __GFP_IO).  Each zone run is a CH_COMPACT event in the change log;
 * rep may be NULL.
 */
enum compact_result compaction_try_to_compact_pages(struct machine *m, gfp_t gfp, unsigned order, unsigned alloc_flags,
						     int highest, int classzone, enum compact_priority prio,
						     struct compact_report *rep);

/*
 * kcompactd, one per node (6.13 and 6.1 mm/compaction.c; 2.6.32 has none):
 * compaction_wakeup_kcompactd() is wakeup_kcompactd(pgdat, order,
 * highest_zoneidx) (a zone type): nothing for order 0; else the node's
 * kcompactd_max_order rises to order and kcompactd_highest_zoneidx falls to
 * highest_zoneidx, and a sleeping kcompactd is woken when
 * kcompactd_node_suitable() finds a zone where compaction may help.
 * Returns whether it woke it.  Its callers (vmscan.c): kswapd going to
 * sleep (kswapd_try_to_sleep(): alloc_order), boosted reclaim's end
 * (pageblock_order) and wakeup_kswapd() on a balanced node for a caller
 * that cannot reclaim directly.
 * compaction_kcompactd_run() is kcompactd_do_work() for a woken kcompactd:
 * each populated zone up to highest_zoneidx that
 * compaction_suit_allocation_order() lets compact, compact_zone() at
 * MIGRATE_SYNC_LIGHT; drain_all_pages(zone) after COMPACT_COMPLETE or
 * COMPACT_PARTIAL_SKIPPED; the compact_daemon_* events; then max_order
 * back to 0, highest_zoneidx to the node's last populated zone.  1 when it
 * ran (*res says what it did), 0 when it was not woken.
 */
enum kcompactd_waker { KCOMPACTD_BY_KSWAPD_SLEEP, KCOMPACTD_BY_BOOST, KCOMPACTD_BY_WAKEUP_KSWAPD };
struct kcompactd_result {
	unsigned order;
	int highest_zoneidx;
	unsigned zones;                 /* zones compacted */
	enum compact_result last;       /* the last compacted zone's result */
	uint64_t migrated, failed, migrate_scanned, free_scanned;
};
bool compaction_wakeup_kcompactd(struct machine *m, unsigned nid, unsigned order, int highest_zoneidx);
int compaction_kcompactd_run(struct machine *m, unsigned nid, struct kcompactd_result *res);

/* The pfn compaction last moved the page at pfn to (0 and *to), or
 * -ENOENT when no page was moved away from pfn.  One step: whether that
 * page moved on again is the record of *to. */
int compaction_moved_to(const struct machine *m, uint64_t pfn, uint64_t *to);

/* Free the compaction state (machine_destroy). */
void compaction_destroy(struct machine *m);

#endif
