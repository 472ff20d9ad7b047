/*
 * filemap.c - the page cache as reads and writes fill it (6.13
 * mm/filemap.c filemap_read(), generic_perform_write(); 2.6.32
 * do_generic_file_read(), grab_cache_page_write_begin()).
 *
 * Each page of a file read or written is allocated and put on the
 * inactive file list (add_to_page_cache_lru()).  A read larger than
 * memory cycles through it with kswapd; the fill skips the cycle's whole
 * periods once its state repeats (below).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

/* ---- page cache -------------------------------------------------------------------- */

bool vmscan_valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n >= max)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '/' || *s == '$' || *s == '=' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/*
 * A read larger than memory.  Once the page cache is full, each page read
 * pushes the zones below their low watermark again, kswapd reclaims the
 * oldest cache back to high, and the fill goes on: the kernel cycles
 * through memory for as long as the read lasts (it does not stop, and it
 * keeps no more than fits).  The model's decisions in that cycle (which
 * zone serves an order-0 page, when kswapd wakes and how much it takes)
 * depend only on per-zone counts, so once the counts after a kswapd run
 * repeat exactly, everything from there on repeats with the same period:
 * the fill skips whole periods, adding each period's counter increments
 * (vmstat events, pgalloc, the zones' allocs and frees, the merged change
 * log) as many times as it skips, and reads the rest page by page.  Every
 * count ends as reading each page would leave it (vmstat, meminfo,
 * zoneinfo, the LRU lists); which free pages merged into which blocks is
 * that of the read shortened by the periods skipped, a layout the same
 * counts also reach.  The cost grows with memory, not with the size read.
 */
#define FILL_SIG_MAX 1536
#define FILL_CHECKPOINTS 4096
#define FILL_LOG_FIELDS 6

struct fill_point {
	uint64_t hash, done;
	uint64_t *ctr;                  /* the counters at this point */
};

struct fill_cycle {
	struct fill_point *pt;
	unsigned npt;
	size_t nctr;
	bool off;                       /* gave up (no room, or skipped already) */
	uint64_t kcompactd_runs;        /* compact_ev.daemon_wake when the fill began */
};

static uint64_t mix64(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

/* Everything the cycle's decisions read: per zone the free pages, the free
 * blocks per order of the other migratetypes and the free pages of the
 * fill's own, the pageblock types, the LRU lists and dirty pages; kswapd's
 * state; swap, the tasks, the shrinkers, the slab pages; the per-CPU
 * lists; and the length of the change log and dmesg (a new entry or
 * message breaks the cycle).
 *
 * Not which orders the fill's own free pages sit at: the cycle allocates
 * only order-0 pages of that type, which __rmqueue_smallest() takes from
 * any order while one is left (the free count drops by one whichever
 * block it splits), and falls back to the other types only when none is
 * left, where the layout is empty; kswapd runs at order 0, whose
 * watermark checks read the free count only (__zone_watermark_ok()).
 * Those orders follow from which pfns reclaim frees, which the signature
 * does not hold either (a period repeats the counts, not the pfns); with
 * them in, the state after a kswapd run repeats only once the layout has
 * settled, which can take longer than the read. */
static uint64_t fill_signature(const struct machine *m, const struct vm_state *v, int fill_mt)
{
	uint64_t h = 0x243f6a8885a308d3ull;
	const struct kernel_profile *kp = m->kp;
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		h = mix64(h, zn->free_pages);
		uint64_t own = 0;
		for (unsigned o = 0; o < NR_ORDERS; o++)
			for (int mt = 0; mt < kp->nr_migratetypes; mt++)
				if (mt == fill_mt)
					own += zn->free_area[o].nr_mt[mt] << o;
				else
					h = mix64(h, zn->free_area[o].nr_mt[mt]);
		h = mix64(h, own);
		for (int mt = 0; mt < kp->nr_migratetypes; mt++)
			h = mix64(h, zn->nr_pageblocks[mt]);
		for (int l = 0; l < NR_LRU_LISTS; l++)
			h = mix64(h, v->lru[z][l].nr);
		h = mix64(h, v->nr_dirty[z]);
		h = mix64(h, zn->watermark_boost);      /* 6.x: wmark[] hold it too */
	}
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		h = mix64(h, v->kswapd_woken[n]);
		h = mix64(h, v->kswapd_order[n]);
		h = mix64(h, (uint64_t)(int64_t)v->kswapd_classzone[n]);
		h = mix64(h, v->kswapd_failures[n]);
	}
	h = mix64(h, v->swap_used);
	for (unsigned t = 0; t < v->ntask; t++)
		h = mix64(mix64(mix64(mix64(h, v->task[t].alive), v->task[t].anon_rss), v->task[t].swapents),
			  v->task[t].mpol.il_prev);
	h = mix64(h, m->mpol.il_prev);  /* interleave_nodes()' place */
	for (unsigned i = 0; i < m->nr_shrinkers; i++)
		for (unsigned n = 0; n < m->nr_nodes && n < MAX_NUMNODES_MODEL; n++)
			h = mix64(h, m->shrinkers[i]->nr_deferred[n]);
	for (unsigned i = 0; i < v->nshrinker; i++)
		for (unsigned n = 0; n < m->nr_nodes && n < MAX_NUMNODES_MODEL; n++)
			h = mix64(mix64(h, v->shrinker[i].lru[0].node[n].n), v->shrinker[i].lru[1].node[n].n);
	if (m->slab)
		h = mix64(mix64(h, m->slab->reclaimable_pages), m->slab->unreclaimable_pages);
	h = pcp_signature(m, h, mix64);         /* the per-CPU lists' state */
	h = mix64(h, m->nr_alloc_blocks);
	h = mix64(h, m->log.n);
	h = mix64(h, m->dmesg.n);
	return h;
}

/* The counters a period adds to, in one order: vm_events (all uint64_t),
 * pgalloc, the zones' allocs/frees/fails and numastat counters, the change
 * log's sums. */
static size_t fill_counters(const struct machine *m, const struct vm_state *v, uint64_t *out)
{
	size_t n = 0;
	const uint64_t *ev = (const uint64_t *)&v->ev;
	for (size_t i = 0; i < sizeof v->ev / sizeof(uint64_t); i++)
		out ? (void)(out[n++] = ev[i]) : (void)n++;
	for (int z = 0; z < MAX_ZONES_MODEL; z++) {
		uint64_t f[4] = { m->pgalloc[z], z < m->nr_zones ? m->zones[z].allocs : 0,
				  z < m->nr_zones ? m->zones[z].frees : 0, z < m->nr_zones ? m->zones[z].fails : 0 };
		for (int k = 0; k < 4; k++)
			out ? (void)(out[n++] = f[k]) : (void)n++;
		for (int k = 0; k < NR_NUMA_STAT; k++)
			out ? (void)(out[n++] = z < m->nr_zones ? m->zones[z].numa_stat[k] : 0) : (void)n++;
	}
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		uint64_t f[FILL_LOG_FIELDS] = { c->addr, c->pfn, c->pfn2, c->val, c->old, c->obj };
		for (int k = 0; k < FILL_LOG_FIELDS; k++)
			out ? (void)(out[n++] = f[k]) : (void)n++;
	}
	return n;
}

/* Add times * (to - from) to the counters. */
static void fill_advance(struct machine *m, struct vm_state *v, const uint64_t *from, const uint64_t *to,
			 uint64_t times)
{
	size_t n = 0;
	uint64_t *ev = (uint64_t *)&v->ev;
	for (size_t i = 0; i < sizeof v->ev / sizeof(uint64_t); i++, n++)
		ev[i] += times * (to[n] - from[n]);
	for (int z = 0; z < MAX_ZONES_MODEL; z++) {
		m->pgalloc[z] += times * (to[n] - from[n]);
		n++;
		if (z < m->nr_zones) {
			m->zones[z].allocs += times * (to[n] - from[n]);
			m->zones[z].frees += times * (to[n + 1] - from[n + 1]);
			m->zones[z].fails += times * (to[n + 2] - from[n + 2]);
		}
		n += 3;
		for (int k = 0; k < NR_NUMA_STAT; k++, n++)
			if (z < m->nr_zones)
				m->zones[z].numa_stat[k] += times * (to[n] - from[n]);
	}
	for (size_t i = 0; i < m->log.n; i++) {
		struct change *c = &m->log.v[i];
		c->addr += times * (to[n] - from[n]);
		c->pfn += times * (to[n + 1] - from[n + 1]);
		c->pfn2 += times * (to[n + 2] - from[n + 2]);
		c->val += times * (to[n + 3] - from[n + 3]);
		c->old += times * (to[n + 4] - from[n + 4]);
		c->obj = (uint32_t)(c->obj + times * (to[n + 5] - from[n + 5]));
		n += FILL_LOG_FIELDS;
	}
}

static void fill_cycle_free(struct fill_cycle *fc)
{
	for (unsigned i = 0; i < fc->npt; i++)
		free(fc->pt[i].ctr);
	free(fc->pt);
	memset(fc, 0, sizeof *fc);
}

/* After a kswapd run in a fill, done pages of `pages` read: record the
 * point, or, when the same state was seen before, skip whole periods.
 * Returns the pages skipped. */
static uint64_t fill_cycle_step(struct machine *m, struct vm_state *v, struct fill_cycle *fc, int fill_mt,
				uint64_t done, uint64_t pages)
{
	if (fc->off || v->no_fill_skip)
		return 0;
	/* kcompactd ran: its migrations depend on the pfns, which the
	 * signature does not hold; no period is taken from then on */
	if (m->compact_ev.daemon_wake != fc->kcompactd_runs) {
		fc->off = true;
		return 0;
	}
	/* boosted reclaim moved dirty pages up the inactive list: where they
	 * lie, which the signature does not hold, decides what reclaim meets
	 * next, until they are written; no point is taken meanwhile */
	if (v->boost_dirty_kept) {
		for (int z = 0; z < m->nr_zones; z++)
			if (v->nr_dirty[z])
				return 0;
		v->boost_dirty_kept = 0;        /* every page it kept has been written */
	}
	uint64_t h = fill_signature(m, v, fill_mt);
	size_t nctr = fill_counters(m, v, NULL);
	if (fc->npt && nctr != fc->nctr) {
		/* the change log grew: earlier points cannot be compared */
		for (unsigned i = 0; i < fc->npt; i++)
			free(fc->pt[i].ctr);
		fc->npt = 0;
	}
	fc->nctr = nctr;
	for (unsigned i = fc->npt; i-- > 0;) {
		if (fc->pt[i].hash != h)
			continue;
		uint64_t period = done - fc->pt[i].done;
		uint64_t times = period ? (pages - done) / period : 0;
		fc->off = true;
		if (!times)
			return 0;
		uint64_t *now = malloc(nctr * sizeof *now);
		if (!now)
			return 0;
		fill_counters(m, v, now);
		fill_advance(m, v, fc->pt[i].ctr, now, times);
		free(now);
		v->fill_skipped += times * period;
		return times * period;
	}
	if (fc->npt == FILL_CHECKPOINTS) {
		fc->off = true;
		return 0;
	}
	if (!fc->pt && !(fc->pt = calloc(FILL_CHECKPOINTS, sizeof *fc->pt))) {
		fc->off = true;
		return 0;
	}
	uint64_t *ctr = malloc(nctr * sizeof *ctr);
	if (!ctr) {
		fc->off = true;
		return 0;
	}
	fill_counters(m, v, ctr);
	fc->pt[fc->npt++] = (struct fill_point){ h, done, ctr };
	return 0;
}

int vmscan_pagecache(struct machine *m, const char *file, uint64_t pages, bool dirty, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	if (!vmscan_valid_name(file, sizeof m->vm->file[0])) {
		model_err(m, "a file name is 1 to 31 printable characters, no '/', '$' or '='");
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	int f = -1;
	for (unsigned i = 0; i < v->nfile; i++)
		if (strcmp(v->file[i], file) == 0)
			f = (int)i;
	if (f < 0) {
		if (v->nfile == VM_FILES_MAX) {
			model_err(m, "at most %d files", VM_FILES_MAX);
			return -ENOSPC;
		}
		f = (int)v->nfile++;
		snprintf(v->file[f], sizeof v->file[f], "%s", file);
	}
	/* The page-cache allocation: 6.13 filemap_alloc_folio(mapping_gfp_mask())
	 * with a regular file's GFP_HIGHUSER_MOVABLE (inode_init_always()),
	 * a folio: | __GFP_COMP;
	 * 2.6.32 page_cache_alloc_cold() on the read path (| __GFP_COLD) and
	 * __page_cache_alloc() in grab_cache_page_write_begin() on writes. */
	gfp_t gfp = vmscan_folio_gfp(m, vmscan_gfp_bit(m, "GFP_HIGHUSER_MOVABLE"));
	if (m->kp->kv == KV_2_6_32 && !dirty)
		gfp |= vmscan_gfp_bit(m, "__GFP_COLD");
	/* the migratetype the fill's pages are taken from: gfp_migratetype()
	 * is MIGRATE_UNMOVABLE while page_group_by_mobility_disabled (as
	 * buddy_alloc_pages() takes it), and the movable free blocks are then
	 * what __rmqueue_fallback() reads, largest order first */
	int fill_mt = m->mobility_disabled ? m->kp->mt_unmovable : gfp_migratetype(m->kp, gfp);
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	struct fill_cycle fc = { .kcompactd_runs = m->compact_ev.daemon_wake };
	int r = 0;
	for (uint64_t n = 0; n < pages; n++) {
		/* add_to_page_cache_lru(): the inactive file list */
		r = vmscan_add_page(m, gfp, -1, f, dirty, LRU_INACTIVE_FILE, MPOL_NO_INTERLEAVE_INDEX);
		if (r)
			break;
		(*added)++;
		/* filemap_read() -> readahead -> submit_bio(): PGPGIN; a write
		 * dirties the folio (folio_account_dirtied(): NR_DIRTIED) */
		*(dirty ? &v->ev.nr_dirtied : &v->ev.pgread) += 1;
		if (vmscan_kswapd_pending(m) > 0) {
			uint64_t skipped = fill_cycle_step(m, v, &fc, fill_mt, n + 1, pages);
			n += skipped;
			*added += skipped;
		}
	}
	fill_cycle_free(&fc);
	vmscan_quiet_end(m, q);
	return r;
}
