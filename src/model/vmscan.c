/*
 * vmscan.c - page reclaim: kswapd, direct reclaim, node_reclaim, the
 * shrinkers as reclaim runs them, drop_caches.
 *
 * Reclaim takes from the tail of the LRU lists (lru.c) of the page cache
 * (filemap.c) and of the tasks' anonymous memory (anon.c).  When free
 * memory runs short
 * the page allocator wakes kswapd, which reclaims in the background until
 * the zones are back above their high watermark, and a caller that may
 * sleep reclaims directly: a priority loop from DEF_PRIORITY (12) down to
 * 0 that scans lru_pages >> priority pages of each list, freeing clean
 * cache at once, writing dirty cache back first and sending anon pages to
 * swap when there is swap.  When that makes no progress the slow path's
 * retry rules decide between another round, the OOM killer and failure.
 *
 * Followed: Linux 6.13 mm/vmscan.c (get_scan_count, shrink_lruvec,
 * shrink_active_list, shrink_inactive_list, do_try_to_free_pages,
 * balance_pgdat with the watermark boost's reclaim, pgdat_balanced,
 * pgdat_watermark_boosted, wakeup_kswapd, inactive_is_low, drop_slab),
 * fs/drop_caches.c; and 2.6.32's mm/vmscan.c (get_scan_ratio,
 * shrink_zone, shrink_list, balance_pgdat, wakeup_kswapd,
 * inactive_anon_is_low, inactive_file_is_low).  The slow path's retry
 * rules that call it are slowpath.c's.
 *
 * Simplifications, each named where it applies: 6.13 keeps one lruvec per
 * node, the model a list per zone in both versions (2.6.32's layout); no
 * page is ever referenced again, so the active lists only age; writeback
 * finishes at once (a dirty page is written when reclaim meets it and is
 * rotated to the tail for the next pass, as folio_rotate_reclaimable()
 * does when the write completes).  vm.swappiness steers the anon/file
 * scan balance with the history each version keeps (get_scan_count()).
 * kswapd wakes kcompactd (compaction.c) as it goes to sleep, after boosted
 * reclaim, and for a balanced node's caller that cannot reclaim; the
 * kcompactds run after the kswapds.  A dirty page boosted reclaim meets
 * without may_writepage is kept
 * (moved to the inactive head) where 6.x first marks it PG_reclaim and
 * activates it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

/* ---- shrink_slab as reclaim runs it ----------------------------------------------- */

/* shrink_slab() (shrinker.c) with its step logged: the slab pages freed,
 * reclaim_state->reclaimed_slab, which count as reclaim's progress (6.13
 * shrink_node() -> flush_reclaim_state(); 2.6.32 adds them after each
 * shrink_slab()).  6.13 takes the priority, 2.6.32 the pages scanned and
 * the LRU pages.  The step is logged when anything was scanned. */
static uint64_t reclaim_slab(struct machine *m, gfp_t gfp, int nid, int priority, uint64_t scanned,
			     uint64_t lru_pages)
{
	struct shrink_result res = { 0, 0, 0, 0 };
	shrink_slab(m, gfp, nid, priority, scanned, lru_pages, &res);
	if (res.scanned)
		vm_log(m, &(struct change){ .kind = CH_SHRINK_SLAB, .val = res.scanned, .pfn = res.freed,
					    .pfn2 = res.pages });
	return res.pages;
}

uint64_t vmscan_shrink_slab_caches(struct machine *m, int priority, uint64_t scanned, uint64_t lru_pages)
{
	return vmscan_state(m) ? reclaim_slab(m, vmscan_gfp_bit(m, "GFP_KERNEL"), 0, priority, scanned, lru_pages) : 0;
}

/* drop_slab(): 6.13 drop_slab_node(nid) -> shrink_slab(GFP_KERNEL, nid,
 * memcg, 0) for every online node, until a round over the nodes frees
 * little ((freed >> shift++) > 1); 2.6.32 shrink_slab(1000,
 * GFP_KERNEL, 1000) while it returns more than 10.  Each round's
 * shrink_slab() asks every registered shrinker in their order
 * (vmalloc_init()'s vmap-node one first).  The rounds' steps merge into
 * one in the change log.  Objects freed. */
static uint64_t drop_slab(struct machine *m)
{
	uint64_t total = 0;
	unsigned shift = 0;
	gfp_t gfp = vmscan_gfp_bit(m, "GFP_KERNEL");
	for (unsigned round = 0; round < 64; round++) {
		struct shrink_result res = { 0, 0, 0, 0 };
		if (m->kp->kv == KV_2_6_32)
			shrink_slab(m, gfp, 0, 0, 1000, 1000, &res);
		else
			for (unsigned nid = 0; nid < m->nr_nodes; nid++)        /* for_each_online_node() */
				shrink_slab(m, gfp, (int)nid, 0, 0, 0, &res);
		if (res.scanned)
			vmscan_log(m, &(struct change){ .kind = CH_SHRINK_SLAB, .val = res.scanned, .pfn = res.freed,
							.pfn2 = res.pages }, true);
		total += res.freed;
		if (m->kp->kv == KV_2_6_32 ? res.ret <= 10 : (res.ret >> shift++) <= 1)
			break;
	}
	return total;
}

/* ---- drop_caches ------------------------------------------------------------------- */

int vmscan_drop_caches(struct machine *m, int what, uint64_t *dropped)
{
	*dropped = 0;
	m->err[0] = '\0';
	/* kernel/sysctl.c: 1..4 in 6.13 (4: stop the message), 1..3 in 2.6.32 */
	int max = m->kp->kv == KV_2_6_32 ? 3 : 4;
	if (what < 1 || what > max) {
		model_err(m, "drop_caches takes 1 to %d (1 page cache, 2 slab, 3 both%s)", max,
			 max == 4 ? ", 4 quiet" : "");
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (what & 1) {
		/* drop_pagecache_sb() -> invalidate_mapping_pages(): clean,
		 * unmapped page cache; dirty pages stay */
		struct vmscan_quiet q = vmscan_quiet_begin(m);
		for (uint32_t i = 0; i < v->npg; i++)
			if (v->pg[i].lru != REC_FREE && v->pg[i].file >= 0 && !v->pg[i].dirty) {
				vmscan_release_page(m, v, i);
				(*dropped)++;
			}
		vmscan_quiet_end(m, q);
		v->ev.drop_pagecache++;
	}
	if (what & 2) {
		drop_slab(m);
		v->ev.drop_slab++;
	}
	/* 6.13 drop_caches_sysctl_handler() */
	if (m->kp->kv != KV_2_6_32) {
		if (!v->drop_caches_said) {
			const char *comm = v->current >= 0 ? v->task[v->current].comm : "kmemsh";
			int pid = v->current >= 0 ? v->task[v->current].pid : 1;
			dmesg_printf(m, "%s (%d): drop_caches: %d", comm, pid, what);
		}
		if (what & 4)
			v->drop_caches_said = true;
	}
	return 0;
}


/* ---- reclaim ----------------------------------------------------------------------- */

/* can_reclaim_anon_pages(): only with free swap */
static bool can_reclaim_anon(const struct vm_state *v)
{
	return !v->swapoff_running && v->swap_used < v->swap_total;
}

/* 6.13 inactive_is_low(); 2.6.32 inactive_anon_is_low() (zone->inactive_ratio
 * from calculate_zone_inactive_ratio(): int_sqrt(10 * GB of the zone), at
 * least 1) and inactive_file_is_low() (active > inactive). */
static bool inactive_is_low(const struct machine *m, const struct vm_state *v, int z, enum lru_list inactive)
{
	uint64_t in = v->lru[z][inactive].nr, act = v->lru[z][inactive + 1].nr;
	uint64_t gb;
	if (m->kp->kv == KV_2_6_32) {
		if (inactive == LRU_INACTIVE_FILE)
			return act > in;
		gb = m->zones[z].present >> (30 - 12);
	} else {
		gb = (in + act) >> (30 - 12);
	}
	uint64_t ratio = gb ? int_sqrt(10 * gb) : 1;
	return in * ratio < act;
}

/* shrink_active_list(): pages from the active tail to the inactive head
 * (no page is referenced again in the model, so every one is deactivated;
 * nr_rotated is 0, so 6.x notes no cost); 2.6.32 counts the pages taken in
 * reclaim_stat->recent_scanned */
static void shrink_active_list(const struct machine *m, struct vm_state *v, int z, uint64_t nr,
			       enum lru_list active)
{
	uint64_t k = 0;
	for (; k < nr && v->lru[z][active].tail != NIL; k++) {
		uint32_t i = v->lru[z][active].tail;
		vmscan_lru_del(v, i);
		vmscan_lru_add(v, i, (enum lru_list)(active - 1));
		v->ev.pgdeactivate++;
		/* PGREFILL: every page isolated from the active list */
		v->ev.pgrefill++;
		v->ev.pgrefill_z[z]++;
	}
	if (m->kp->kv == KV_2_6_32)
		v->recent_scanned[z][active == LRU_ACTIVE_FILE] += k;
}

/* the pages of zone z's four lists */
static uint64_t lru_size(const struct vm_state *v, int z)
{
	return v->lru[z][LRU_INACTIVE_ANON].nr + v->lru[z][LRU_ACTIVE_ANON].nr + v->lru[z][LRU_INACTIVE_FILE].nr +
	       v->lru[z][LRU_ACTIVE_FILE].nr;
}

/* 6.x mm/swap.c lru_note_cost() after a batch of shrink_inactive_list():
 * 6.13 (since 6.2's "mm: vmscan: make rotations a secondary factor in
 * balancing anon vs file") cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated
 * with nr_io = stat.nr_pageout and nr_rotated = nr_scanned - nr_reclaimed;
 * 6.1 cost = nr_pageout.  Both costs halve once their sum passes a
 * quarter of the lists. */
static void lru_note_cost(const struct machine *m, struct vm_state *v, int z, bool file, uint64_t nr_io,
			  uint64_t nr_rotated)
{
	uint64_t cost = m->kp->kv == KV_6_1 ? nr_io : nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	v->scan_cost[z][file] += cost;
	if (v->scan_cost[z][0] + v->scan_cost[z][1] > lru_size(v, z) / 4) {
		v->scan_cost[z][0] /= 2;
		v->scan_cost[z][1] /= 2;
	}
}

/* shrink_inactive_list() + shrink_folio_list(): clean file pages are freed,
 * dirty ones written back and rotated to the tail once the batch is done,
 * anon pages added to swap and freed.  The batch then goes into the scan
 * balance's history: 6.x lru_note_cost(), 2.6.32 recent_scanned. */
static void shrink_inactive_list(struct machine *m, struct vm_state *v, struct scan_control *sc, int z,
				 uint64_t nr, enum lru_list lru)
{
	bool file = lru == LRU_INACTIVE_FILE;
	uint32_t written[SWAP_CLUSTER_MAX];
	unsigned nw = 0;
	uint64_t scanned0 = sc->nr_scanned, reclaimed0 = sc->nr_reclaimed, pageout = 0;
	for (uint64_t k = 0; k < nr && v->lru[z][lru].tail != NIL; k++) {
		uint32_t i = v->lru[z][lru].tail;
		struct lru_page *p = &v->pg[i];
		sc->nr_scanned++;
		*(sc->kswapd ? &v->ev.pgscan_kswapd : &v->ev.pgscan_direct) += 1;
		*(sc->kswapd ? &v->ev.pgscan_kswapd_z[z] : &v->ev.pgscan_direct_z[z]) += 1;
		*(file ? &v->ev.pgscan_file : &v->ev.pgscan_anon) += 1;
		if (file && p->dirty && sc->no_writepage) {
			/* shrink_folio_list(): "if (!sc->may_writepage) goto
			 * keep_locked": back on the list, not written */
			vmscan_lru_del(v, i);
			vmscan_lru_add(v, i, lru);
			v->boost_dirty_kept++;
			continue;
		}
		if (file && p->dirty) {
			/* pageout(): writeback starts; the page is clean when it
			 * completes and goes to the tail (folio_rotate_reclaimable) */
			vmscan_lru_del(v, i);
			p->dirty = false;
			v->nr_dirty[z]--;
			v->ev.nr_vmscan_write++;
			v->ev.vmscan_write_z[z]++;
			sc->nr_written++;
			pageout++;
			if (nw < SWAP_CLUSTER_MAX)
				written[nw++] = i;
			else
				vmscan_lru_add(v, i, lru);
			continue;
		}
		if (!file) {
			/* add_to_swap() + pageout() to the swap area */
			if (!can_reclaim_anon(v))
				break;
			struct vm_task *t = &v->task[p->task];
			t->anon_rss--;
			t->swapents++;
			v->swap_used++;
			v->ev.pswpout++;
			sc->nr_swapped++;
			pageout++;
		}
		vmscan_release_page(m, v, i);
		sc->nr_reclaimed++;
		*(sc->kswapd ? &v->ev.pgsteal_kswapd : &v->ev.pgsteal_direct) += 1;
		v->ev.pgsteal_z[z]++;
		*(file ? &v->ev.pgsteal_file : &v->ev.pgsteal_anon) += 1;
	}
	for (unsigned w = 0; w < nw; w++) {
		vmscan_lru_add_tail(v, written[w], lru);
		v->ev.pgrotated++;
	}
	uint64_t scanned = sc->nr_scanned - scanned0;
	if (m->kp->kv == KV_2_6_32)
		v->recent_scanned[z][file] += scanned;
	else if (scanned)
		lru_note_cost(m, v, z, file, pageout, scanned - (sc->nr_reclaimed - reclaimed0));
}

/*
 * The scan balance between anon and file, vm.swappiness its input; the
 * model's lists are per zone (2.6.32's lruvec), so the sizes, free pages
 * and history below are the zone's.
 *
 * get_scan_count() (6.1, 6.13) takes the first that holds:
 *   no free swap                                   SCAN_FILE
 *   priority 0 and swappiness > 0                  SCAN_EQUAL
 *   file_is_tiny: file + free <= the high watermark, the inactive anon
 *     list not low (no DEACTIVATE_ANON) and inactive anon >> priority  SCAN_ANON
 *   cache_trim_mode: inactive file >> priority, the inactive file list
 *     not low (no DEACTIVATE_FILE)                 SCAN_FILE
 *   else SCAN_FRACT: with total = anon_cost + file_cost,
 *     ap = swappiness * (2 total + 1) / (total + anon_cost + 1),
 *     fp = (200 - swappiness) * (2 total + 1) / (total + file_cost + 1),
 *     each list (size >> priority) * fraction / (ap + fp).
 * (prepare_scan_control() sets file_is_tiny and cache_trim_mode; the
 * model has no refaults, so DEACTIVATE_* follow inactive_is_low() alone.)
 * So swappiness 0 scans file only (ap = 0) unless file is tiny, also at
 * priority 0; swappiness 200 scans anon only while there are no costs.
 *
 * 2.6.32 shrink_zone() + get_scan_ratio(): no free swap: file only; file +
 * free at or below the high watermark: anon only; else anon_prio =
 * swappiness, file_prio = 200 - swappiness, recent_scanned halved when
 * over a quarter of its lists, ap = (anon_prio + 1) * (recent_scanned[0]
 * + 1) / (recent_rotated[0] + 1), fp likewise, percent[0] = 100 * ap /
 * (ap + fp + 1), percent[1] = 100 - percent[0]; each list (size >>
 * priority) * percent / 100, except at priority 0 with swap, where every
 * list is scanned whole.  recent_rotated stays 0: no page is referenced
 * again in the model, and an anon page that finds no swap stops the scan
 * instead of being activated.
 */
static void get_scan_count(const struct machine *m, struct vm_state *v, int priority, bool no_swap, int z,
			   uint64_t nr[NR_LRU_LISTS])
{
	enum { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE } balance;
	uint64_t fraction[2] = { 1, 1 }, den = 1;       /* anon, file */
	uint64_t swappiness = (uint64_t)m->swappiness;
	const struct zone *zn = &m->zones[z];
	uint64_t file = v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
	/* "If we have no swap space, do not bother scanning anon folios":
	 * !sc->may_swap || !can_reclaim_anon_pages() (6.x; boosted reclaim
	 * clears may_swap) */
	bool swap = can_reclaim_anon(v) && !no_swap;
	if (m->kp->kv == KV_2_6_32) {
		uint64_t anon = v->lru[z][LRU_INACTIVE_ANON].nr + v->lru[z][LRU_ACTIVE_ANON].nr;
		if (!swap) {
			balance = SCAN_FILE;
		} else if (file + zn->free_pages <= zn->wmark[WMARK_HIGH]) {
			balance = SCAN_ANON;
		} else {
			uint64_t *rs = v->recent_scanned[z];
			if (rs[0] > anon / 4)
				rs[0] /= 2;
			if (rs[1] > file / 4)
				rs[1] /= 2;
			uint64_t ap = (swappiness + 1) * (rs[0] + 1), fp = (200 - swappiness + 1) * (rs[1] + 1);
			fraction[0] = 100 * ap / (ap + fp + 1);
			fraction[1] = 100 - fraction[0];
			den = 100;
			balance = SCAN_FRACT;
		}
		if (swap && !priority)
			balance = SCAN_EQUAL;
	} else if (!swap) {
		balance = SCAN_FILE;
	} else if (!priority && swappiness) {
		balance = SCAN_EQUAL;
	} else if (file + zn->free_pages <= zn->wmark[WMARK_HIGH] && !inactive_is_low(m, v, z, LRU_INACTIVE_ANON) &&
		   v->lru[z][LRU_INACTIVE_ANON].nr >> priority) {
		balance = SCAN_ANON;
	} else if ((v->lru[z][LRU_INACTIVE_FILE].nr >> priority) && !inactive_is_low(m, v, z, LRU_INACTIVE_FILE)) {
		balance = SCAN_FILE;
	} else {
		uint64_t total = v->scan_cost[z][0] + v->scan_cost[z][1];
		uint64_t anon_cost = total + v->scan_cost[z][0], file_cost = total + v->scan_cost[z][1];
		total = anon_cost + file_cost;
		fraction[0] = swappiness * (total + 1) / (anon_cost + 1);
		fraction[1] = (200 - swappiness) * (total + 1) / (file_cost + 1);
		den = fraction[0] + fraction[1];
		balance = SCAN_FRACT;
	}
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		bool is_file = l >= LRU_INACTIVE_FILE;
		uint64_t scan = v->lru[z][l].nr >> priority;
		if (balance == SCAN_FRACT)
			scan = scan * fraction[is_file] / den;
		else if ((balance == SCAN_ANON && is_file) || (balance == SCAN_FILE && !is_file))
			scan = 0;
		nr[l] = scan;
	}
}

void vmscan_get_scan_count(struct machine *m, int z, int priority, uint64_t nr[NR_LRU_LISTS])
{
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		memset(nr, 0, NR_LRU_LISTS * sizeof *nr);
		return;
	}
	get_scan_count(m, v, priority, false, z, nr);
}

/* shrink_list(): active lists are aged when their inactive list is low */
static void shrink_list(struct machine *m, struct vm_state *v, struct scan_control *sc, int z, uint64_t nr,
			enum lru_list lru)
{
	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE) {
		if (inactive_is_low(m, v, z, (enum lru_list)(lru - 1)))
			shrink_active_list(m, v, z, nr, lru);
		return;
	}
	shrink_inactive_list(m, v, sc, z, nr, lru);
}

/* shrink_lruvec() (6.13) / shrink_zone() (2.6.32) */
static void shrink_zone(struct machine *m, struct vm_state *v, struct scan_control *sc, int z)
{
	uint64_t nr[NR_LRU_LISTS];
	get_scan_count(m, v, sc->priority, sc->no_swap, z, nr);
	/* 6.13: global direct reclaim at DEF_PRIORITY scans the whole target
	 * (proportional_reclaim); 2.6.32 stops once enough is reclaimed below
	 * DEF_PRIORITY */
	bool proportional = m->kp->kv != KV_2_6_32 && !sc->kswapd && sc->priority == DEF_PRIORITY;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (int l = 0; l < NR_LRU_LISTS; l++) {
			if (!nr[l])
				continue;
			uint64_t n = nr[l] < SWAP_CLUSTER_MAX ? nr[l] : SWAP_CLUSTER_MAX;
			nr[l] -= n;
			shrink_list(m, v, sc, z, n, (enum lru_list)l);
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim &&
		    (m->kp->kv != KV_2_6_32 ? !proportional : sc->priority < DEF_PRIORITY))
			break;
	}
	/* age the anon lists a little: 6.13 shrink_lruvec() end, 2.6.32
	 * shrink_zone() end */
	if (can_reclaim_anon(v) && inactive_is_low(m, v, z, LRU_INACTIVE_ANON))
		shrink_active_list(m, v, z, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON);
}

/* do_try_to_free_pages(): the priority loop over the zonelist's zones */
uint64_t vmscan_try_to_free_pages(struct machine *m, struct vm_state *v, gfp_t gfp, unsigned order, int classzone,
				  struct scan_control *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->gfp_mask = gfp;             /* current_gfp_context(gfp_mask) */
	sc->order = order;
	sc->nr_to_reclaim = SWAP_CLUSTER_MAX;
	/* 6.13: __count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx, 1); 2.6.32:
	 * count_vm_event(ALLOCSTALL) */
	v->ev.allocstall[m->kp->kv != KV_2_6_32 ? classzone : 0]++;
	/* 2.6.32: lru_pages, the zonelist's zone_reclaimable_pages() */
	uint64_t lru_pages = 0;
	for (int z = classzone; z >= 0; z--)
		lru_pages += vmscan_zone_reclaimable_pages(v, z);
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		uint64_t scanned0 = sc->nr_scanned;
		bool old = m->kp->kv == KV_2_6_32;
		int last_nid = -1;
		/* shrink_zones(): the zonelist's zones, the preferred node's
		 * first (with NUMA nodes: the allocation's zonelist, buddy.c).
		 * 6.x: shrink_node() once per node (a zone of last_pgdat is
		 * skipped; a node's zones are consecutive in the zonelist), the
		 * model's per-zone LRU lists of the node, then
		 * shrink_node_memcgs()'s shrink_slab(gfp, nid, memcg, priority)
		 * (6.1's as 6.13's) for that node: with --nodes N every shrinker
		 * is asked N times a round, a NUMA-aware one about each node's
		 * objects (shrinker.c); the slab pages freed count */
		for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone)) {
			if (!m->zones[z].present)
				continue;
			int nid = (int)m->zones[z].nid;
			if (!old && last_nid >= 0 && nid != last_nid)
				sc->nr_reclaimed += reclaim_slab(m, sc->gfp_mask, last_nid, sc->priority, 0, 0);
			last_nid = nid;
			shrink_zone(m, v, sc, z);
		}
		/* 6.x: the last node's (the first's, with one node);
		 * 2.6.32 do_try_to_free_pages(): shrink_slab() once, with the
		 * pages this priority scanned */
		if (!old)
			sc->nr_reclaimed += reclaim_slab(m, sc->gfp_mask, last_nid >= 0 ? last_nid : 0, sc->priority, 0, 0);
		else
			sc->nr_reclaimed += reclaim_slab(m, sc->gfp_mask, 0, sc->priority, sc->nr_scanned - scanned0,
							 lru_pages);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	if (sc->priority < 0)
		sc->priority = 0;
	return sc->nr_reclaimed;
}

/* zone_reclaimable_pages(): file always, anon with free swap */
uint64_t vmscan_zone_reclaimable_pages(const struct vm_state *v, int z)
{
	uint64_t n = v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
	if (can_reclaim_anon(v))
		n += v->lru[z][LRU_INACTIVE_ANON].nr + v->lru[z][LRU_ACTIVE_ANON].nr;
	return n;
}

/* ---- kswapd ------------------------------------------------------------------------ */

static bool zone_ok(const struct machine *m, int z, unsigned order, uint64_t mark, int classzone)
{
	return buddy_zone_watermark_ok(m, &m->zones[z], order, mark, classzone, 0);
}

/* 6.x pgdat_watermark_boosted(): a managed zone up to highest_zoneidx with
 * a watermark boost ("Check for watermark boosts top-down as the higher
 * zones are more likely to be boosted") */
static bool pgdat_watermark_boosted(const struct machine *m, unsigned nid, int classzone)
{
	int z0 = (int)nid * m->nr_node_zones;
	for (int i = classzone < m->nr_node_zones ? classzone : m->nr_node_zones - 1; i >= 0; i--)
		if (m->zones[z0 + i].managed && m->zones[z0 + i].watermark_boost)
			return true;
	return false;
}

/* 6.13 pgdat_balanced(): any managed zone up to highest_zoneidx above its
 * high watermark.  2.6.32 balance_pgdat()'s test: every populated zone
 * above high (checked against classzone 0). */
static bool pgdat_balanced(const struct machine *m, unsigned nid, unsigned order, int classzone)
{
	bool any = false;
	int z0 = (int)nid * m->nr_node_zones;   /* node nid's zones: z0 + zone type */
	if (m->kp->kv == KV_2_6_32) {
		for (int z = z0; z < z0 + m->nr_node_zones && z < m->nr_zones; z++)
			if (m->zones[z].present && !zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], 0))
				return false;
		return true;
	}
	for (int i = 0; i <= classzone && i < m->nr_node_zones; i++) {
		int z = z0 + i;
		if (!m->zones[z].managed)
			continue;
		any = true;
		if (zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], classzone))
			return true;
	}
	return !any;
}

/*
 * node_reclaim() (mm/vmscan.c, 6.13), called by get_page_from_freelist()
 * with vm.zone_reclaim_mode set when a zone fails its watermark, before the
 * allocation moves on to the next zone of its zonelist (a remote node's):
 * - NODE_RECLAIM_FULL when the node's reclaimable page cache
 *   (node_pagecache_reclaimable(): the file LRU, nothing mapped in the
 *   model, less the dirty pages without RECLAIM_WRITE) is at most
 *   pgdat->min_unmapped_pages (each zone's managed * min_unmapped_ratio 1
 *   / 100, setup_min_unmapped_ratio()); the reclaimable slab side
 *   (min_slab_pages) is not modelled per node;
 * - NODE_RECLAIM_NOSCAN when the caller may not block, or the node has
 *   CPUs and is not the current CPU's node;
 * - else __node_reclaim(): shrink_node() from NODE_RECLAIM_PRIORITY 4 down
 *   until 1 << order pages are reclaimed (nr_to_reclaim at least
 *   SWAP_CLUSTER_MAX); SUCCESS when they are, else zone_reclaim_failed++.
 */
#define RECLAIM_WRITE 2                 /* mm/internal.h */
#define NODE_RECLAIM_PRIORITY 4         /* mm/vmscan.c */
int vmscan_node_reclaim(struct machine *m, unsigned nid, gfp_t gfp, unsigned order)
{
	struct vm_state *v = vmscan_state(m);
	if (!v || nid >= m->nr_nodes)
		return -2;
	const int z0 = (int)nid * m->nr_node_zones;
	uint64_t file = 0, dirty = 0, min_unmapped = 0;
	for (int z = z0; z < z0 + m->nr_node_zones; z++) {
		file += v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
		dirty += v->nr_dirty[z];
		min_unmapped += m->zones[z].managed * 1 / 100;
	}
	uint64_t reclaimable = file;
	if (!(m->zone_reclaim_mode & RECLAIM_WRITE))
		reclaimable -= dirty < reclaimable ? dirty : reclaimable;
	if (reclaimable <= min_unmapped)
		return -1;
	if (!gfp_allow_blocking(m->kp, gfp))
		return -2;
	bool has_cpus = false;
	for (unsigned c = 0; c < m->ncpus; c++)
		has_cpus |= machine_cpu_to_node(m, c) == nid;
	if (has_cpus && nid != machine_numa_node_id(m))
		return -2;
	struct scan_control sc;
	memset(&sc, 0, sizeof sc);
	sc.gfp_mask = gfp;              /* current_gfp_context(gfp_mask) */
	sc.order = order;
	uint64_t nr_pages = 1ull << order;
	sc.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ? nr_pages : SWAP_CLUSTER_MAX;
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	sc.priority = NODE_RECLAIM_PRIORITY;
	do {
		/* shrink_node(): the node's one LRU, which the model keeps per
		 * zone, highest first, until nr_to_reclaim */
		for (int z = z0 + m->nr_node_zones - 1; z >= z0 && sc.nr_reclaimed < sc.nr_to_reclaim; z--)
			if (m->zones[z].present)
				shrink_zone(m, v, &sc, z);
		sc.nr_reclaimed += reclaim_slab(m, sc.gfp_mask, (int)nid, sc.priority, 0, 0);
	} while (sc.nr_reclaimed < nr_pages && --sc.priority >= 0);
	vmscan_quiet_end(m, q);
	if (sc.nr_reclaimed >= nr_pages)
		return 1;
	v->ev.zone_reclaim_failed++;
	return 0;
}

/* wakeup_kcompactd() with its step logged (the trace event
 * mm_compaction_wakeup_kcompactd) when it woke kcompactdN */
static void kcompactd_wake(struct machine *m, unsigned nid, unsigned order, int classzone, enum kcompactd_waker by)
{
	if (compaction_wakeup_kcompactd(m, nid, order, classzone))
		vm_log(m, &(struct change){ .kind = CH_KCOMPACTD_WAKE, .order = (uint8_t)order,
					    .zone = (uint8_t)((int)nid * m->nr_node_zones + classzone), .mt = (uint8_t)by });
}

/* wakeup_kswapd() for node nid (mm/vmscan.c): classzone a zone type;
 * boosted: rmqueue()'s wakeup for a boosted watermark (the log says so);
 * direct_reclaim: the caller's __GFP_DIRECT_RECLAIM */
static void wakeup_kswapd(struct machine *m, struct vm_state *v, unsigned nid, unsigned order, int classzone,
			  bool boosted, bool direct_reclaim)
{
	int z0 = (int)nid * m->nr_node_zones;
	if (m->kp->kv == KV_2_6_32) {
		/* wakeup_kswapd() per zone of the zonelist: not when it is above low */
		bool low = false;
		for (int i = classzone; i >= 0; i--)
			if (m->zones[z0 + i].present && !zone_ok(m, z0 + i, order, m->zones[z0 + i].wmark[WMARK_LOW], 0))
				low = true;
		if (!low)
			return;
	} else if (v->kswapd_failures[nid] >= MAX_RECLAIM_RETRIES ||
		   (pgdat_balanced(m, nid, order, classzone) && !pgdat_watermark_boosted(m, nid, classzone))) {
		/* "Hopeless node, leave it to direct reclaim", or balanced
		 * and not boosted: "There may be plenty of free memory
		 * available, but it's too fragmented for high-order
		 * allocations.  Wake up kcompactd and rely on
		 * compaction_suitable() to determine if it's needed." */
		if (!direct_reclaim)
			kcompactd_wake(m, nid, order, classzone, KCOMPACTD_BY_WAKEUP_KSWAPD);
		return;
	}
	bool asleep = !v->kswapd_woken[nid];
	if (asleep || order > v->kswapd_order[nid])
		v->kswapd_order[nid] = order;
	if (asleep || classzone > v->kswapd_classzone[nid])
		v->kswapd_classzone[nid] = classzone;
	v->kswapd_woken[nid] = true;
	if (!asleep)
		return;
	v->ev.kswapd_wakeups++;
	vm_log(m, &(struct change){ .kind = CH_KSWAPD_WAKE, .order = (uint8_t)order, .zone = (uint8_t)(z0 + classzone),
				    .tail = boosted });
}

void vmscan_wakeup_kswapd_boosted(struct machine *m, int z)
{
	struct vm_state *v = vmscan_state(m);
	/* wakeup_kswapd(): "if (!managed_zone(zone)) return;" */
	if (v && m->zones[z].managed)
		/* rmqueue(): wakeup_kswapd(zone, 0, 0, zone_idx(zone)): gfp 0 */
		wakeup_kswapd(m, v, (unsigned)m->zones[z].nid, 0, machine_zone_idx(m, &m->zones[z]), true, false);
}

/*
 * wake_all_kswapds() (mm/page_alloc.c): wakeup_kswapd() once for each node
 * whose managed zones the zonelist (of m->ac_nid, one node for
 * __GFP_THISNODE) reaches, in its order; each node's kswapd decides for
 * itself (its own zones balanced or not).
 */
void vmscan_wakeup_kswapd(struct machine *m, gfp_t gfp, unsigned order, int classzone)
{
	struct vm_state *v = vmscan_state(m);
	if (!v)
		return;
	bool direct = gfp_allow_blocking(m->kp, gfp);   /* gfp_flags & __GFP_DIRECT_RECLAIM */
	if (m->nr_nodes <= 1) {
		wakeup_kswapd(m, v, 0, order, classzone, false, direct);
		return;
	}
	int last = -1;
	for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone)) {
		if (!m->zones[z].managed || m->zones[z].nid == last)
			continue;
		last = m->zones[z].nid;
		wakeup_kswapd(m, v, (unsigned)last, order, classzone, false, direct);
	}
}

/* node nid's highest populated zone type */
static int highest_populated(const struct machine *m, unsigned nid)
{
	for (int i = m->nr_node_zones - 1; i >= 0; i--)
		if (m->zones[(int)nid * m->nr_node_zones + i].present)
			return i;
	return 0;
}

/* balance_pgdat() */
static uint64_t balance_pgdat(struct machine *m, struct vm_state *v, unsigned nid, unsigned order, int classzone,
			      struct change *ev, unsigned *reclaim_order)
{
	const int z0 = (int)nid * m->nr_node_zones;     /* the node's zones: z0 + zone type */
	struct scan_control sc;
	memset(&sc, 0, sizeof sc);
	sc.gfp_mask = vmscan_gfp_bit(m, "GFP_KERNEL");  /* balance_pgdat()'s scan_control */
	sc.kswapd = true;
	sc.order = order;
	*ev = (struct change){ .kind = CH_KSWAPD };
	v->ev.pageoutrun++;
	uint64_t passes = 0;
	bool balanced = false;
	int prio = DEF_PRIORITY;
	if (m->kp->kv != KV_2_6_32) {
		/* "Account for the reclaim boost. Note that the zone boost is
		 * left in place so that parallel allocations that are near the
		 * watermark will stall or direct reclaim until kswapd is
		 * finished." (6.x; 5.0 on) */
		uint64_t nr_boost_reclaim = 0, zone_boosts[MAX_NR_ZONES_MODEL] = { 0 };
		for (int i = 0; i <= classzone && i < m->nr_node_zones; i++)
			if (m->zones[z0 + i].managed) {
				nr_boost_reclaim += m->zones[z0 + i].watermark_boost;
				zone_boosts[i] = m->zones[z0 + i].watermark_boost;
			}
		const bool boosted = nr_boost_reclaim != 0;
		bool out = false;
		ev->need = (int64_t)nr_boost_reclaim;
		/* set_reclaim_active(pgdat, highest_zoneidx) (6.1, 6.13): each managed
		 * zone up to highest_zoneidx gets ZONE_RECLAIM_ACTIVE until
		 * clear_reclaim_active() at the end, limiting what the pages
		 * freed meanwhile may leave on the pcp lists (nr_pcp_high()) */
		for (int z = z0; z <= z0 + classzone; z++)
			if (m->zones[z].managed)
				pcp_set_reclaim_active(m, z, true);
		for (sc.priority = DEF_PRIORITY; sc.priority >= 1 && passes < 100000; passes++) {
			balanced = pgdat_balanced(m, nid, sc.order, classzone);
			/* "If the pgdat is imbalanced then ignore boosting and
			 * preserve the watermarks for a later time and restart" */
			if (!balanced && nr_boost_reclaim) {
				nr_boost_reclaim = 0;
				sc.priority = DEF_PRIORITY;     /* goto restart */
				continue;
			}
			/* "If boosting is not active then only reclaim if there
			 * are no eligible zones" */
			if (!nr_boost_reclaim && balanced) {
				out = true;                     /* goto out */
				break;
			}
			/* "Limit the priority of boosting to avoid reclaim
			 * writeback"; "Do not writeback or swap pages for boosted
			 * reclaim" (may_writepage again below DEF_PRIORITY - 2) */
			bool raise = !(nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2);
			sc.no_writepage = nr_boost_reclaim && sc.priority >= DEF_PRIORITY - 2;
			sc.no_swap = nr_boost_reclaim != 0;
			if (nr_boost_reclaim)
				ev->tail = true;
			/* kswapd_shrink_node(): nr_to_reclaim is each eligible zone's
			 * high watermark (boosted), at least SWAP_CLUSTER_MAX */
			sc.nr_to_reclaim = 0;
			for (int z = z0; z <= z0 + classzone; z++)
				if (m->zones[z].managed)
					sc.nr_to_reclaim += m->zones[z].wmark[WMARK_HIGH] > SWAP_CLUSTER_MAX ?
							    m->zones[z].wmark[WMARK_HIGH] : SWAP_CLUSTER_MAX;
			uint64_t scanned0 = sc.nr_scanned, reclaimed0 = sc.nr_reclaimed;
			sc.nr_to_reclaim += sc.nr_reclaimed;    /* the target of this pass */
			for (int z = z0 + classzone; z >= z0; z--)
				if (m->zones[z].present)
					shrink_zone(m, v, &sc, z);
			/* kswapd_shrink_node() -> shrink_node() -> shrink_node_memcgs():
			 * shrink_slab(gfp, pgdat->node_id, memcg, priority) */
			sc.nr_reclaimed += reclaim_slab(m, sc.gfp_mask, (int)nid, sc.priority, 0, 0);
			/* kswapd_shrink_node(): "If twice the allocation size has
			 * been reclaimed then recheck watermarks only at order-0 to
			 * prevent excessive reclaim" (compact_gap(): 2 << order) */
			if (sc.order && sc.nr_reclaimed >= (2ull << sc.order))
				sc.order = 0;
			if (sc.nr_scanned - scanned0 >= sc.nr_to_reclaim - reclaimed0)
				raise = false;
			prio = sc.priority;
			uint64_t nr_reclaimed = sc.nr_reclaimed - reclaimed0;
			nr_boost_reclaim -= nr_boost_reclaim < nr_reclaimed ? nr_boost_reclaim : nr_reclaimed;
			/* "If reclaim made no progress for a boost, stop reclaim as
			 * IO cannot be queued and it could be an infinite loop in
			 * extreme circumstances." */
			if (nr_boost_reclaim && !nr_reclaimed)
				break;
			if (raise || !nr_reclaimed)
				sc.priority--;
		}
		if (!balanced)
			balanced = pgdat_balanced(m, nid, sc.order, classzone);
		for (int z = z0; z <= z0 + classzone; z++)     /* clear_reclaim_active() */
			if (m->zones[z].managed)
				pcp_set_reclaim_active(m, z, false);
		/* "if (!sc.nr_reclaimed) pgdat->kswapd_failures++;" before the
		 * out: label; shrink_node() resets it whenever it reclaims */
		if (sc.nr_reclaimed)
			v->kswapd_failures[nid] = 0;
		else if (!out)
			v->kswapd_failures[nid]++;
		/* "If reclaim was boosted, account for the reclaim done in
		 * this pass": each zone's boost less what it was at the start */
		if (boosted)
			for (int i = 0; i <= classzone && i < m->nr_node_zones; i++) {
				struct zone *zn = &m->zones[z0 + i];
				uint64_t off = zn->watermark_boost < zone_boosts[i] ? zn->watermark_boost : zone_boosts[i];
				if (off)
					zone_set_watermark_boost(zn, zn->watermark_boost - off);
			}
		/* "As there is now likely space, wakeup kcompact to defragment
		 * pageblocks." */
		if (boosted)
			kcompactd_wake(m, nid, m->pageblock_order, classzone, KCOMPACTD_BY_BOOST);
	} else {
		/* 2.6.32: loop_again until every zone is above high, or a whole
		 * loop reclaims nothing (the zones are all_unreclaimable) */
		sc.nr_to_reclaim = ~0ull;
		bool all_ok = true;
		for (;;) {
			uint64_t loop0 = sc.nr_reclaimed;
			all_ok = true;
			for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
				passes++;
				int end_zone = -1;
				for (int z = m->nr_zones - 1; z >= 0; z--) {
					if (!m->zones[z].present)
						continue;
					if (can_reclaim_anon(v) && inactive_is_low(m, v, z, LRU_INACTIVE_ANON))
						shrink_active_list(m, v, z, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON);
					if (!zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], 0)) {
						end_zone = z;
						break;
					}
				}
				prio = sc.priority;
				if (end_zone < 0) {
					all_ok = true;
					break;
				}
				all_ok = true;
				uint64_t before = sc.nr_reclaimed, lru_pages = 0;
				for (int z = 0; z <= end_zone; z++)
					lru_pages += vmscan_zone_reclaimable_pages(v, z);
				for (int z = 0; z <= end_zone; z++) {
					if (!m->zones[z].present)
						continue;
					uint64_t scanned0 = sc.nr_scanned;
					if (!zone_ok(m, z, order, 8 * m->zones[z].wmark[WMARK_HIGH], end_zone))
						shrink_zone(m, v, &sc, z);
					/* reclaim_state->reclaimed_slab after shrink_slab() */
					/* 2.6.32 shrink_slab(nr_scanned, GFP_KERNEL, lru_pages) */
					sc.nr_reclaimed += reclaim_slab(m, sc.gfp_mask, 0, 0, sc.nr_scanned - scanned0,
									lru_pages);
					if (!zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], end_zone))
						all_ok = false;
				}
				if (all_ok || sc.nr_reclaimed - before >= SWAP_CLUSTER_MAX)
					break;
			}
			if (all_ok || sc.nr_reclaimed == loop0 || passes > 100000)
				break;
			if (sc.nr_reclaimed - loop0 < SWAP_CLUSTER_MAX)
				order = sc.order = 0;
		}
		balanced = all_ok;
	}
	*reclaim_order = sc.order;      /* "return sc.order;" */
	int64_t boost0 = ev->need;
	bool boost_mode = ev->tail;
	*ev = (struct change){ .kind = CH_KSWAPD, .order = (uint8_t)prio, .pfn = sc.nr_scanned,
			       .pfn2 = sc.nr_reclaimed, .mt = balanced, .val = passes, .old = sc.nr_written,
			       .zone = (uint8_t)(z0 + classzone), .obj = (uint32_t)sc.nr_swapped, .need = boost0,
			       .tail = boost_mode };
	return sc.nr_reclaimed;
}

/*
 * The CPU node nid's kswapd runs on: kswapd() binds itself to the node's
 * CPUs (set_cpus_allowed_ptr(tsk, cpumask_of_node(pgdat->node_id)) unless
 * the mask is empty), so the pages it frees go to the pcp lists of a CPU
 * of node nid (free_frozen_pages() -> this CPU's zone->per_cpu_pageset).
 * The model runs it on the current CPU when that is one of them (always,
 * with one node), else on the node's first CPU (the scheduler picks one of
 * the mask; cpumask_first() is the model's choice), and on the current CPU
 * when the node has none.
 */
static unsigned kswapd_cpu(const struct machine *m, unsigned nid)
{
	unsigned cur = machine_this_cpu(m);
	if (machine_cpu_to_node(m, cur) == nid)
		return cur;
	for (unsigned c = 0; c < m->ncpus; c++)
		if (machine_cpu_to_node(m, c) == nid)
			return c;
	return cur;
}

/* kswapd() for node nid: balance_pgdat() at the order and zone it was woken for */
static int kswapd_run_node(struct machine *m, struct vm_state *v, unsigned nid, bool force, uint64_t *reclaimed)
{
	if (!v->kswapd_woken[nid] && !force)
		return 0;
	unsigned order = v->kswapd_woken[nid] ? v->kswapd_order[nid] : 0;
	int classzone = v->kswapd_woken[nid] ? v->kswapd_classzone[nid] : highest_populated(m, nid);
	if (classzone < 0 || classzone >= m->nr_node_zones)
		classzone = highest_populated(m, nid);
	v->kswapd_woken[nid] = false;
	struct change ev;
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	unsigned cpu0 = machine_this_cpu(m);
	m->this_cpu = kswapd_cpu(m, nid);      /* the kswapd thread's CPU, then back to the task's */
	unsigned reclaim_order;
	*reclaimed += balance_pgdat(m, v, nid, order, classzone, &ev, &reclaim_order);
	m->this_cpu = cpu0;
	vmscan_quiet_end(m, q);
	vm_log(m, &ev);
	/* kswapd() goes back to kswapd_try_to_sleep(pgdat, alloc_order,
	 * reclaim_order, highest_zoneidx): prepare_kswapd_sleep() at the order
	 * balance_pgdat() ended with (a hopeless node, or balanced), then "We
	 * have freed the memory, now we should compact it to make allocation
	 * of the requested order possible": wakeup_kcompactd(pgdat,
	 * alloc_order, highest_zoneidx).  The model's kswapd runs
	 * balance_pgdat() once per wakeup: an unbalanced node does not sleep. */
	if (m->kp->kv != KV_2_6_32 &&
	    (v->kswapd_failures[nid] >= MAX_RECLAIM_RETRIES || pgdat_balanced(m, nid, reclaim_order, classzone)))
		kcompactd_wake(m, nid, order, classzone, KCOMPACTD_BY_KSWAPD_SLEEP);
	return 1;
}

/* kcompactd() for node nid: kcompactd_do_work() when it was woken */
static int kcompactd_run_node(struct machine *m, unsigned nid)
{
	struct kcompactd_result r;
	if (!compaction_kcompactd_run(m, nid, &r))
		return 0;
	vm_log(m, &(struct change){ .kind = CH_KCOMPACTD, .order = (uint8_t)r.order,
				    .zone = (uint8_t)((int)nid * m->nr_node_zones + r.highest_zoneidx),
				    .mt = (uint8_t)r.last, .obj = r.zones, .pfn = r.migrated, .pfn2 = r.failed,
				    .val = r.migrate_scanned, .old = r.free_scanned });
	return 1;
}

int vmscan_kswapd_run(struct machine *m, bool force, int nid, uint64_t *reclaimed)
{
	struct vm_state *v = vmscan_state(m);
	*reclaimed = 0;
	if (!v)
		return -ENOMEM;
	if (nid >= (int)m->nr_nodes) {
		model_err(m, "node %d does not exist (this machine has %u; --nodes N)", nid, m->nr_nodes);
		return -EINVAL;
	}
	if (nid >= 0)
		return kswapd_run_node(m, v, (unsigned)nid, force, reclaimed);
	int ran = 0;
	for (unsigned n = 0; n < m->nr_nodes; n++)
		ran += kswapd_run_node(m, v, n, force, reclaimed);
	return ran;
}

int vmscan_kswapd_pending(struct machine *m)
{
	uint64_t n;
	if (!m->vm)
		return 0;
	int ran = vmscan_kswapd_run(m, false, -1, &n);
	/* then the kcompactds kswapd (or the allocator) woke */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		ran += kcompactd_run_node(m, nid);
	return ran;
}
