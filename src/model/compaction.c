/*
 * compaction.c - memory compaction: moving movable pages together so that
 * the free memory between them joins into high-order blocks.
 *
 * Two scanners walk a zone one pageblock at a time.  The migrate scanner
 * starts at the zone's first pfn and goes up, isolating the pages it can
 * migrate (isolate_migratepages_block(): at most COMPACT_CLUSTER_MAX of
 * them at a time, the rest of the pageblock when it comes back to the same
 * one); the free scanner starts at the zone's last pageblock and goes down,
 * taking free blocks off the buddy lists (isolate_freepages_block()) in
 * Movable pageblocks until it holds as many pages as there are to move.
 * Each isolated page is then copied into an isolated free page
 * (compaction_alloc() takes the first free block of the smallest order
 * that fits and splits it) and the old page is freed, where it merges with
 * its free neighbours.  The run ends when the scanners meet in one
 * pageblock; what the free scanner isolated and did not use goes back.
 * For an allocation (direct compaction) it also ends as soon as a free
 * block of the wanted order is on a list the request may use
 * (__compact_finished()).
 *
 * Followed: Linux 6.12 mm/compaction.c (unchanged in what is modelled here
 * in 6.13): compact_zone(), isolate_migratepages(),
 * isolate_migratepages_block(), isolate_freepages(),
 * isolate_freepages_block(), compaction_alloc(), release_free_list(),
 * __compact_finished(), __compaction_suitable(), compaction_suitable(),
 * compaction_suit_allocation_order(), try_to_compact_pages(),
 * compact_node(); mm/page_alloc.c __isolate_free_page().
 *
 * kcompactd (kcompactd_do_work(), wakeup_kcompactd()) runs after the step
 * that woke it, as kswapd does; its proactive compaction (the
 * vm.compaction_proactiveness timer) is not modelled.
 *
 * Not modelled: the cached scanner positions, the pageblock skip bits and
 * compaction deferral (every run starts at the zone's two ends, as
 * compact_memory and MIN_COMPACT_PRIORITY do), the fast searches of the
 * free lists (fast_find_migrateblock(), fast_isolate_freepages()), page
 * capture, per-CPU lists to drain, and migration failures other than
 * running out of free pages: a page that is isolated moves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/gfp.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmalloc.h"

enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };

/* a list of block pfns with list_add (front) and list_add_tail (back) */
struct plist {
	uint64_t *v;
	size_t head, n, cap;            /* ring buffer */
};

struct compact_control {
	struct machine *m;
	int z;
	int order;                      /* -1: compact_memory */
	int migratetype;
	int highest_zoneidx;
	unsigned alloc_flags;
	enum migrate_mode mode;
	bool direct_compaction;
	bool finish_pageblock;
	uint64_t migrate_pfn, free_pfn;
	struct plist migratepages;      /* isolated block heads (list_add: newest first) */
	uint64_t nr_migratepages;       /* pages */
	struct plist freepages[NR_ORDERS];
	uint64_t nr_freepages;
	uint64_t total_migrate_scanned, total_free_scanned, isolated, migrated, failed;
	uint64_t free_isolated;         /* pages the free scanner isolated */
	uint64_t free_found;            /* free blocks it came upon, isolated or not */
	unsigned free_stride_max;       /* the largest stride the free scanner sampled with */
	bool oom;                       /* out of host memory */
	struct compact_report *rep;
};

/* The record of moves: an open-addressing hash from old pfn to new pfn. */
struct compaction_state {
	struct { uint64_t from, to; } *slot;    /* from == ~0: empty */
	size_t cap, count;
};

bool compaction_exists(const struct machine *m)
{
	return m->kp->kv != KV_2_6_32;
}

const char *compact_result_name(enum compact_result r)
{
	static const char *const names[] = {
		[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone", [COMPACT_SKIPPED] = "skipped",
		[COMPACT_DEFERRED] = "deferred", [COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
		[COMPACT_CONTINUE] = "continue", [COMPACT_COMPLETE] = "complete",
		[COMPACT_PARTIAL_SKIPPED] = "partial_skipped", [COMPACT_CONTENDED] = "contended",
		[COMPACT_SUCCESS] = "success",
	};
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

void compact_report_free(struct compact_report *rep)
{
	if (!rep)
		return;
	free(rep->moves);
	memset(rep, 0, sizeof *rep);
}

/* ---- small lists ---------------------------------------------------------------- */

static int pl_grow(struct plist *l)
{
	size_t nc = l->cap ? l->cap * 2 : 64;
	uint64_t *nv = malloc(nc * sizeof *nv);
	if (!nv)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		nv[i] = l->v[(l->head + i) % l->cap];
	free(l->v);
	l->v = nv;
	l->head = 0;
	l->cap = nc;
	return 0;
}

static int pl_add_tail(struct plist *l, uint64_t pfn)
{
	if (l->n == l->cap && pl_grow(l))
		return -ENOMEM;
	l->v[(l->head + l->n++) % l->cap] = pfn;
	return 0;
}

static int pl_add(struct plist *l, uint64_t pfn)
{
	if (l->n == l->cap && pl_grow(l))
		return -ENOMEM;
	l->head = (l->head + l->cap - 1) % l->cap;
	l->v[l->head] = pfn;
	l->n++;
	return 0;
}

static uint64_t pl_pop(struct plist *l)
{
	uint64_t pfn = l->v[l->head];
	l->head = (l->head + 1) % l->cap;
	l->n--;
	return pfn;
}

/* ---- the record of moves ----------------------------------------------------------- */

static size_t mv_hash(uint64_t pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static int record_move(struct machine *m, uint64_t from, uint64_t to)
{
	struct compaction_state *cs = m->compaction;
	if (!cs) {
		cs = calloc(1, sizeof *cs);
		if (!cs)
			return -ENOMEM;
		m->compaction = cs;
	}
	if ((cs->count + 1) * 4 > cs->cap * 3) {
		size_t nc = cs->cap ? cs->cap * 2 : 256;
		__typeof__(cs->slot) ns = malloc(nc * sizeof *ns);
		if (!ns)
			return -ENOMEM;
		for (size_t i = 0; i < nc; i++)
			ns[i].from = ~0ull;
		for (size_t i = 0; i < cs->cap; i++) {
			if (cs->slot[i].from == ~0ull)
				continue;
			size_t h = mv_hash(cs->slot[i].from, nc);
			while (ns[h].from != ~0ull)
				h = (h + 1) & (nc - 1);
			ns[h] = cs->slot[i];
		}
		free(cs->slot);
		cs->slot = ns;
		cs->cap = nc;
	}
	size_t h = mv_hash(from, cs->cap);
	while (cs->slot[h].from != ~0ull && cs->slot[h].from != from)
		h = (h + 1) & (cs->cap - 1);
	if (cs->slot[h].from == ~0ull)
		cs->count++;
	cs->slot[h].from = from;
	cs->slot[h].to = to;
	return 0;
}

static bool lookup_move(const struct compaction_state *cs, uint64_t from, uint64_t *to)
{
	if (!cs || !cs->count)
		return false;
	size_t h = mv_hash(from, cs->cap);
	while (cs->slot[h].from != ~0ull) {
		if (cs->slot[h].from == from) {
			*to = cs->slot[h].to;
			return true;
		}
		h = (h + 1) & (cs->cap - 1);
	}
	return false;
}

int compaction_moved_to(const struct machine *m, uint64_t pfn, uint64_t *to)
{
	/* one step: whether the page at `to` moved on is its own record */
	return lookup_move(m->compaction, pfn, to) ? 0 : -ENOENT;
}

void compaction_destroy(struct machine *m)
{
	if (!m->compaction)
		return;
	free(m->compaction->slot);
	free(m->compaction);
	m->compaction = NULL;
}

/* ---- suitability ------------------------------------------------------------------- */

#define PAGE_ALLOC_COSTLY_ORDER 3

/* compact_gap(): twice the request, the pages isolated at once at worst */
static uint64_t compact_gap(unsigned order)
{
	return 2ull << order;
}

bool compaction_suitable_wmark(const struct machine *m, int z, unsigned order, int highest_zoneidx)
{
	const struct zone *zn = &m->zones[z];
	/* __compaction_suitable(): order-0 watermark plus the gap; low for
	 * costly orders, min otherwise */
	uint64_t mark = (order > PAGE_ALLOC_COSTLY_ORDER ? zn->wmark[WMARK_LOW] : zn->wmark[WMARK_MIN]) +
			compact_gap(order);
	return buddy_zone_watermark_ok(m, zn, 0, mark, highest_zoneidx, AF_WMARK_MIN);
}

bool compaction_suitable(const struct machine *m, int z, unsigned order, int highest_zoneidx)
{
	if (!compaction_suitable_wmark(m, z, order, highest_zoneidx))
		return false;
	/* costly orders: only when a failure would be for fragmentation
	 * (fragmentation_index() above vm.extfrag_threshold) */
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		struct contig_page_info info;
		extfrag_fill_contig_page_info(&m->zones[z], order, &info);
		int fragindex = extfrag_fragmentation_index(order, &info);
		if (fragindex >= 0 && fragindex <= m->extfrag_threshold)
			return false;
	}
	return true;
}

/* compaction_suit_allocation_order() */
static enum compact_result suit_allocation_order(const struct machine *m, int z, unsigned order,
						 int highest_zoneidx, unsigned alloc_flags)
{
	const struct zone *zn = &m->zones[z];
	if (buddy_zone_watermark_ok(m, zn, order, zn->wmark[alloc_flags & AF_WMARK_MASK], highest_zoneidx,
				    alloc_flags))
		return COMPACT_SUCCESS;
	if (!compaction_suitable(m, z, order, highest_zoneidx))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

/* ---- the scanners ------------------------------------------------------------------ */

static uint64_t pb_nr(const struct machine *m)
{
	return 1ull << m->pageblock_order;
}

static uint64_t pb_start(const struct machine *m, uint64_t pfn)
{
	return pfn & ~(pb_nr(m) - 1);
}

static uint64_t pb_end(const struct machine *m, uint64_t pfn)
{
	return pb_start(m, pfn) + pb_nr(m);
}

static uint64_t zone_end(const struct compact_control *cc)
{
	const struct zone *zn = &cc->m->zones[cc->z];
	return zn->start_pfn + zn->spanned;
}

/* skip_isolation_on_order() */
static bool skip_isolation_on_order(const struct compact_control *cc, unsigned order)
{
	if (cc->order >= 0 && order >= (unsigned)cc->order)
		return true;
	return order >= cc->m->pageblock_order;
}

/* pageblock_pfn_to_page(): both ends of [start, end) in the zone */
static bool pageblock_in_zone(const struct compact_control *cc, uint64_t start, uint64_t end)
{
	const struct zone *zn = &cc->m->zones[cc->z];
	return start >= zn->start_pfn && end - 1 < zn->start_pfn + zn->spanned;
}

/* a page kmap() or vmap() maps: the mapping holds a reference, and
 * migrate_folio() fails on a folio with more references than it expects */
static bool pinned(const struct machine *m, uint64_t pfn, unsigned order)
{
	return (m->page_pinned && m->page_pinned(m, pfn)) || vmap_maps_pfn(m, pfn, 1ull << order);
}

/* isolate_migratepages_block(): [low, end) within one pageblock */
static void isolate_migratepages_block(struct compact_control *cc, uint64_t low, uint64_t end)
{
	struct machine *m = cc->m;
	uint64_t nr_scanned = 0, nr_isolated = 0, next_skip_pfn = 0;
	bool skip_on_failure = false;
	unsigned co = cc->order > 0 ? (unsigned)cc->order : 0;

	cc->migrate_pfn = low;
	if (cc->direct_compaction && cc->mode == MIGRATE_ASYNC) {
		skip_on_failure = true;
		next_skip_pfn = (low + 1 + (1ull << co) - 1) & ~((1ull << co) - 1);   /* block_end_pfn() */
	}
	for (; low < end; low++) {
		if (skip_on_failure && low >= next_skip_pfn) {
			if (nr_isolated)
				break;
			next_skip_pfn = (low + 1 + (1ull << co) - 1) & ~((1ull << co) - 1);
		}
		const struct page *p = page_touched(m, low);
		if (!p) {
			/* an untouched chunk: a free MAX_ORDER block (or no RAM);
			 * its head is skipped whole, the other pages fail one by one */
			uint64_t chunk_end = (low | (CHUNK_PAGES - 1)) + 1;
			uint64_t stop = chunk_end < end ? chunk_end : end;
			if (!(low & (CHUNK_PAGES - 1))) {
				nr_scanned += CHUNK_PAGES;
				low += CHUNK_PAGES - 1;
				continue;
			}
			if (!skip_on_failure) {
				nr_scanned += stop - low;
				low = stop - 1;
				continue;
			}
			nr_scanned++;
			goto isolate_fail;
		}
		nr_scanned++;
		if (p->flags & PG_buddy) {
			if (p->order > 0 && p->order <= MAX_ORDER_MODEL) {
				low += (1ull << p->order) - 1;
				nr_scanned += (1ull << p->order) - 1;
			}
			continue;
		}
		if ((p->flags & (PG_head | PG_comp)) == (PG_head | PG_comp) && skip_isolation_on_order(cc, p->order)) {
			low += (1ull << p->order) - 1;
			nr_scanned += (1ull << p->order) - 1;
			goto isolate_fail;
		}
		/* a page of reclaim's records (PG_vmscan) is not isolated: the
		 * model's LRU records name pages by pfn and have no rmap to move
		 * them with (kmemsh keeps page cache and anon pages in place) */
		if ((p->flags & (PG_lru | PG_vmscan)) != PG_lru || pinned(m, low, p->order))
			goto isolate_fail;
		/* 6.x isolate_migratepages() adds ISOLATE_UNEVICTABLE to the
		 * mode when vm.compact_unevictable_allowed is 1; without it an
		 * unevictable folio (folio_test_unevictable()) is not isolated
		 * here.  No page of the model is unevictable (nothing mlocks,
		 * SHM_LOCKs or sits on ramfs), so the sysctl is kept and
		 * shown and changes nothing */
		/* isolate the folio */
		if (pl_add(&cc->migratepages, low)) {
			cc->oom = true;
			break;
		}
		uint64_t n = 1ull << p->order;
		cc->nr_migratepages += n;
		nr_isolated += n;
		nr_scanned += n - 1;
		low += n - 1;
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->finish_pageblock) {
			++low;
			break;
		}
		continue;
isolate_fail:
		if (!skip_on_failure)
			continue;
		if (nr_isolated) {
			/* putback_movable_pages() */
			cc->migratepages.n = 0;
			cc->nr_migratepages = 0;
			nr_isolated = 0;
		}
		if (low < next_skip_pfn) {
			low = next_skip_pfn - 1;
			next_skip_pfn += 1ull << co;
		}
	}
	if (low > end)
		low = end;
	cc->total_migrate_scanned += nr_scanned;
	cc->isolated += nr_isolated;
	cc->migrate_pfn = low;
}

/* suitable_migration_source() */
static bool suitable_migration_source(const struct compact_control *cc, uint64_t pfn)
{
	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	int block_mt = get_pageblock_mt(cc->m, pfn);
	if (cc->migratetype == cc->m->kp->mt_movable)
		return block_mt == cc->m->kp->mt_movable;
	return block_mt == cc->migratetype;
}

/* isolate_migratepages(): the first pageblock below the free scanner with
 * something to isolate.  Returns whether anything was isolated. */
static bool isolate_migratepages(struct compact_control *cc)
{
	const struct machine *m = cc->m;
	uint64_t low = cc->migrate_pfn;
	uint64_t block_start = pb_start(m, low);
	if (block_start < m->zones[cc->z].start_pfn)
		block_start = m->zones[cc->z].start_pfn;
	uint64_t block_end = pb_end(m, low);

	for (; block_end <= cc->free_pfn;
	     cc->migrate_pfn = low = block_end, block_start = block_end, block_end += pb_nr(m)) {
		if (!pageblock_in_zone(cc, block_start, block_end))
			continue;
		if (!suitable_migration_source(cc, block_start))
			continue;
		isolate_migratepages_block(cc, low, block_end);
		break;
	}
	return cc->nr_migratepages != 0;
}

/* suitable_migration_target() */
static bool suitable_migration_target(const struct compact_control *cc, uint64_t pfn)
{
	struct page tmp;
	const struct page *p = page_peek(cc->m, pfn, &tmp);
	if (p && (p->flags & PG_buddy)) {
		unsigned order = cc->order > 0 ? (unsigned)cc->order : cc->m->pageblock_order;
		if (p->order >= order)
			return false;
	}
	return get_pageblock_mt(cc->m, pfn) == cc->m->kp->mt_movable;
}

/* isolate_freepages_block(): free blocks of [*start, end), every stride-th
 * pfn, until enough pages are isolated.  Returns the pages isolated. */
static uint64_t isolate_freepages_block(struct compact_control *cc, uint64_t *start, uint64_t end,
					unsigned stride)
{
	struct machine *m = cc->m;
	uint64_t nr_scanned = 0, total_isolated = 0;
	uint64_t bp = *start;

	if (bp < end && stride > cc->free_stride_max)
		cc->free_stride_max = stride;
	for (; bp < end; bp += stride) {
		const struct page *p = page_touched(m, bp);
		if (!p) {
			/* the tail pages of an untouched free block: nothing to take */
			uint64_t stop = ((bp | (CHUNK_PAGES - 1)) + 1) < end ? ((bp | (CHUNK_PAGES - 1)) + 1) : end;
			uint64_t steps = (stop - bp + stride - 1) / stride;
			nr_scanned += steps;
			bp += (steps - 1) * stride;
			continue;
		}
		nr_scanned++;
		if ((p->flags & (PG_head | PG_comp)) == (PG_head | PG_comp)) {
			if (p->order <= MAX_ORDER_MODEL && bp + (1ull << p->order) <= end) {
				bp += (1ull << p->order) - 1;
				nr_scanned += (1ull << p->order) - 1;
			}
			continue;
		}
		if (!(p->flags & PG_buddy))
			continue;
		cc->free_found++;
		unsigned order = p->order;
		unsigned isolated = buddy_isolate_free_page(m, bp);
		if (!isolated)
			break;
		if (pl_add_tail(&cc->freepages[order], bp)) {
			buddy_free_isolated(m, bp, order);
			cc->oom = true;
			break;
		}
		nr_scanned += isolated - 1;
		total_isolated += isolated;
		cc->nr_freepages += isolated;
		if (cc->nr_migratepages <= cc->nr_freepages) {
			bp += isolated;
			break;
		}
		bp += isolated - 1;
	}
	if (bp > end)
		bp = end;
	*start = bp;
	cc->total_free_scanned += nr_scanned;
	cc->isolated += total_isolated;
	cc->free_isolated += total_isolated;
	return total_isolated;
}

/* isolate_freepages(): down from the free scanner's position, pageblock by
 * pageblock, to the pageblock above the migrate scanner */
static void isolate_freepages(struct compact_control *cc)
{
	const struct machine *m = cc->m;
	uint64_t zend = zone_end(cc);
	uint64_t isolate_start = cc->free_pfn;
	int64_t block_start = (int64_t)pb_start(m, isolate_start);
	uint64_t block_end = (uint64_t)block_start + pb_nr(m) < zend ? (uint64_t)block_start + pb_nr(m) : zend;
	int64_t low_pfn = (int64_t)pb_end(m, cc->migrate_pfn);
	unsigned stride = cc->mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;

	for (; block_start >= low_pfn; block_end = (uint64_t)block_start, block_start -= (int64_t)pb_nr(m),
	     isolate_start = (uint64_t)block_start) {
		if (!pageblock_in_zone(cc, (uint64_t)block_start, block_end))
			continue;
		if (!suitable_migration_target(cc, (uint64_t)block_start))
			continue;
		uint64_t nr_isolated = isolate_freepages_block(cc, &isolate_start, block_end, stride);
		if (cc->oom)
			break;
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start >= block_end)
				isolate_start = (uint64_t)(block_start - (int64_t)pb_nr(m));
			break;
		} else if (isolate_start < block_end) {
			break;
		}
		if (nr_isolated) {
			stride = 1;
			continue;
		}
		stride = stride << 1 < COMPACT_CLUSTER_MAX ? stride << 1 : COMPACT_CLUSTER_MAX;
	}
	/* a negative start (the loop ran past pfn 0) leaves the scanner below
	 * every pageblock: the scanners have met */
	cc->free_pfn = block_start < low_pfn && (int64_t)isolate_start < 0 ? 0 : isolate_start;
}

/* compaction_alloc(): the first isolated free block of the smallest order
 * that fits, split down (the upper halves go to the heads of the lower
 * lists).  ~0 when there is none even after isolating more. */
static uint64_t compaction_alloc(struct compact_control *cc, unsigned order)
{
	bool has_isolated_pages = false;
	unsigned start_order;
again:
	for (start_order = order; start_order < NR_ORDERS; start_order++)
		if (cc->freepages[start_order].n)
			break;
	if (start_order == NR_ORDERS) {
		if (has_isolated_pages)
			return ~0ull;
		isolate_freepages(cc);
		has_isolated_pages = true;
		goto again;
	}
	uint64_t pfn = pl_pop(&cc->freepages[start_order]);
	uint64_t size = 1ull << start_order;
	while (start_order > order) {
		start_order--;
		size >>= 1;
		if (pl_add(&cc->freepages[start_order], pfn + size)) {
			buddy_free_isolated(cc->m, pfn + size, start_order);
			cc->oom = true;
		}
	}
	cc->nr_freepages -= 1ull << order;
	cc->nr_migratepages -= 1ull << order;
	return pfn;
}

static void report_move(struct compact_control *cc, uint64_t from, uint64_t to, unsigned order)
{
	struct compact_report *rep = cc->rep;
	if (!rep)
		return;
	if (rep->nmoves == rep->cap) {
		size_t nc = rep->cap ? rep->cap * 2 : 64;
		struct compact_move *nv = realloc(rep->moves, nc * sizeof *nv);
		if (!nv)
			return;         /* the report is short; the model is right */
		rep->moves = nv;
		rep->cap = nc;
	}
	rep->moves[rep->nmoves++] = (struct compact_move){ from, to, order };
}

/* migrate_pages(): each isolated folio, newest first, into a page from
 * compaction_alloc(); -ENOMEM when the free pages ran out (the rest stay) */
static int migrate_pages(struct compact_control *cc)
{
	struct machine *m = cc->m;
	int err = 0;
	while (cc->migratepages.n) {
		uint64_t src = pl_pop(&cc->migratepages);
		const struct page *sp = page_touched(m, src);
		unsigned order = sp->order;
		if (err) {
			cc->failed += 1ull << order;
			m->compact_ev.migrate_fail += 1ull << order;
			continue;
		}
		uint64_t dst = compaction_alloc(cc, order);
		if (dst == ~0ull || record_move(m, src, dst) || buddy_migrate_block(m, src, dst)) {
			if (dst != ~0ull) {
				/* compaction_free(): the target goes back to the list */
				if (pl_add(&cc->freepages[order], dst))
					buddy_free_isolated(m, dst, order);
				else
					cc->nr_freepages += 1ull << order;
				cc->oom = true;
			}
			cc->failed += 1ull << order;
			m->compact_ev.migrate_fail += 1ull << order;
			err = -ENOMEM;
			continue;
		}
		cc->migrated += 1ull << order;
		/* migrate_pages_batch(): PGMIGRATE_SUCCESS counts pages */
		m->compact_ev.migrated += 1ull << order;
		report_move(cc, src, dst, order);
	}
	cc->nr_migratepages = 0;
	return err;
}

static bool compact_scanners_met(const struct compact_control *cc)
{
	return (cc->free_pfn >> cc->m->pageblock_order) <= (cc->migrate_pfn >> cc->m->pageblock_order);
}

/* __compact_finished() */
static enum compact_result compact_finished(const struct compact_control *cc)
{
	const struct machine *m = cc->m;
	if (compact_scanners_met(cc))
		return COMPACT_COMPLETE;        /* whole_zone: the scanners started at the ends */
	if (cc->order < 0)
		return COMPACT_CONTINUE;        /* is_via_compact_memory() */
	if (cc->migrate_pfn & (pb_nr(m) - 1))
		return COMPACT_CONTINUE;        /* finish the pageblock first */
	for (unsigned order = (unsigned)cc->order; order < NR_ORDERS; order++) {
		const struct free_area *a = &m->zones[cc->z].free_area[order];
		if (a->list[cc->migratetype].head != NODE_NIL)
			return COMPACT_SUCCESS;
		if (buddy_find_suitable_fallback(m, cc->z, order, cc->migratetype, true) != -1)
			return COMPACT_SUCCESS;
	}
	return COMPACT_CONTINUE;                /* COMPACT_NO_SUITABLE_PAGE, as compact_finished() returns it */
}

/* release_free_list(): the isolated free pages not used go back */
static void release_free_list(struct compact_control *cc)
{
	for (unsigned order = 0; order < NR_ORDERS; order++) {
		struct plist *l = &cc->freepages[order];
		while (l->n)
			buddy_free_isolated(cc->m, pl_pop(l), order);
		free(l->v);
		memset(l, 0, sizeof *l);
	}
	cc->nr_freepages = 0;
}

/* compact_zone() */
static enum compact_result compact_zone(struct compact_control *cc)
{
	struct machine *m = cc->m;
	const struct zone *zn = &m->zones[cc->z];
	enum compact_result ret;
	uint64_t start_pfn = zn->start_pfn, end_pfn = zone_end(cc);
	uint64_t last_migrated_pfn = 0;

	if (cc->order >= 0) {
		ret = suit_allocation_order(m, cc->z, (unsigned)cc->order, cc->highest_zoneidx, cc->alloc_flags);
		if (ret != COMPACT_CONTINUE)
			return ret;
	}
	cc->migrate_pfn = start_pfn;
	cc->free_pfn = pb_start(m, end_pfn - 1);

	while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {
		uint64_t iteration_start_pfn = cc->migrate_pfn;
		/* a second pass over the same pageblock takes all of it */
		cc->finish_pageblock = pb_start(m, last_migrated_pfn) == pb_start(m, iteration_start_pfn);
		if (!isolate_migratepages(cc)) {
			if (cc->oom)
				break;
			continue;
		}
		last_migrated_pfn = pb_start(m, cc->migrate_pfn - 1) > start_pfn ? pb_start(m, cc->migrate_pfn - 1)
										  : start_pfn;
		int err = migrate_pages(cc);
		if (cc->oom)
			break;
		/* 6.13 compact_zone(): migrate_pages() fails with -ENOMEM when
		 * compaction_alloc() has no free page to give (the free
		 * scanner isolated none); unless the scanners met (then
		 * compact_finished() says COMPACT_COMPLETE) that ends the run
		 * as COMPACT_CONTENDED */
		if (err == -ENOMEM && !compact_scanners_met(cc)) {
			ret = COMPACT_CONTENDED;
			break;
		}
	}
	if (cc->oom) {
		/* out of host memory: what is isolated stays where it is */
		cc->migratepages.n = 0;
		cc->nr_migratepages = 0;
		ret = COMPACT_CONTENDED;
	}
	release_free_list(cc);
	free(cc->migratepages.v);
	memset(&cc->migratepages, 0, sizeof cc->migratepages);
	m->compact_ev.migrate_scanned += cc->total_migrate_scanned;
	m->compact_ev.free_scanned += cc->total_free_scanned;
	m->compact_ev.isolated += cc->isolated;
	return ret;
}

/* One zone's run: the report row and the change-log event around compact_zone(). */
static enum compact_result run_zone(struct compact_control *cc)
{
	struct machine *m = cc->m;
	struct compact_zone_report zr = { .zone = cc->z };
	for (unsigned o = 0; o < NR_ORDERS; o++)
		zr.nr_free_before[o] = free_area_nr_free(&m->zones[cc->z].free_area[o]);
	cc->total_migrate_scanned = cc->total_free_scanned = cc->isolated = cc->migrated = cc->failed = 0;
	cc->free_isolated = cc->free_found = 0;
	cc->free_stride_max = 0;
	/* the merges and splits of a run are as many as its pages: the log
	 * gets the run as one event */
	bool log = m->log.enabled;
	m->log.enabled = false;
	enum compact_result r = compact_zone(cc);
	m->log.enabled = log;
	zr.result = r;
	zr.migrate_scanned = cc->total_migrate_scanned;
	zr.free_scanned = cc->total_free_scanned;
	zr.isolated = cc->isolated;
	zr.migrated = cc->migrated;
	zr.failed = cc->failed;
	zr.free_isolated = cc->free_isolated;
	zr.free_found = cc->free_found;
	zr.free_stride_max = cc->free_stride_max;
	zr.host_oom = cc->oom;
	if (cc->rep && cc->rep->nzones < MAX_ZONES_MODEL)
		cc->rep->zone[cc->rep->nzones++] = zr;
	if (m->log.enabled) {
		struct change c = { .kind = CH_COMPACT, .zone = (uint8_t)cc->z, .order = (uint8_t)cc->mode,
				    .order2 = (uint8_t)(cc->order + 1), .mt = (uint8_t)r,
				    .pfn = cc->migrated, .pfn2 = cc->failed,
				    .val = cc->total_migrate_scanned, .old = cc->total_free_scanned };
		changelog_add(m, &c);
	}
	return r;
}

int compaction_compact_memory(struct machine *m, int z, struct compact_report *rep)
{
	m->err[0] = '\0';
	if (!compaction_exists(m)) {
		model_err(m, "Linux %s has no memory compaction (it came in 2.6.35)",
			 m->kp->version);
		return -EOPNOTSUPP;
	}
	if (z >= m->nr_zones || (z >= 0 && !m->zones[z].present)) {
		model_err(m, "no such populated zone");
		return -EINVAL;
	}
	if (rep)
		memset(rep, 0, sizeof *rep);
	/* compact_node(): order -1, MIGRATE_SYNC, GFP_KERNEL, the whole zone */
	struct compact_control cc = { .m = m, .order = -1, .mode = MIGRATE_SYNC,
				      .migratetype = m->kp->mt_unmovable, .rep = rep };
	for (int i = 0; i < m->nr_zones; i++) {
		if (!m->zones[i].present || (z >= 0 && i != z))
			continue;
		cc.z = i;
		run_zone(&cc);
	}
	return 0;
}

enum compact_result compaction_try_to_compact_pages(struct machine *m, gfp_t gfp, unsigned order, unsigned alloc_flags,
						     int highest, int classzone, enum compact_priority prio,
						     struct compact_report *rep)
{
	gfp_t io = 0;
	if (rep)
		memset(rep, 0, sizeof *rep);
	/* gfp_compaction_allowed(): CONFIG_COMPACTION and __GFP_IO */
	if (!compaction_exists(m) || gfp_parse(m->kp, "__GFP_IO", &io, NULL) || !(gfp & io))
		return COMPACT_SKIPPED;
	enum compact_result rc = COMPACT_SKIPPED;
	/* for_each_zone_zonelist_nodemask(): the allocation's zonelist, the
	 * preferred node's zones first (buddy.c) */
	for (int z = buddy_zonelist_first(m, highest); z >= 0; z = buddy_zonelist_next(m, z, highest)) {
		if (!m->zones[z].present)
			continue;
		/* compact_zone_order() */
		struct compact_control cc = {
			.m = m, .z = z, .order = (int)order,
			.migratetype = m->mobility_disabled ? m->kp->mt_unmovable : gfp_migratetype(m->kp, gfp),
			.highest_zoneidx = classzone, .alloc_flags = alloc_flags,
			.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
			.direct_compaction = true, .rep = rep,
		};
		enum compact_result status = run_zone(&cc);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS)
			break;
	}
	return rc;
}

/* ---- kcompactd ------------------------------------------------------------------- */

/* pgdat->nr_zones - 1: the node's last populated zone type */
static int node_last_zone(const struct machine *m, unsigned nid)
{
	for (int i = m->nr_node_zones - 1; i >= 0; i--)
		if (m->zones[(int)nid * m->nr_node_zones + i].present)
			return i;
	return 0;
}

/* kcompactd_run() -> kcompactd(): kcompactd_max_order 0,
 * kcompactd_highest_zoneidx pgdat->nr_zones - 1 */
static struct kcompactd_state *kcompactd_of(struct machine *m, unsigned nid)
{
	struct kcompactd_state *k = &m->kcompactd[nid];
	if (!k->init) {
		k->init = true;
		k->max_order = 0;
		k->highest_zoneidx = node_last_zone(m, nid);
	}
	return k;
}

/* 6.13 kcompactd_node_suitable(): a populated zone up to highest_zoneidx
 * where compaction_suit_allocation_order(zone, kcompactd_max_order,
 * highest_zoneidx, ALLOC_WMARK_MIN) says COMPACT_CONTINUE (6.1:
 * compaction_suitable(zone, order, 0, highest_zoneidx), the same test) */
static bool kcompactd_node_suitable(const struct machine *m, unsigned nid, const struct kcompactd_state *k)
{
	for (int i = 0; i <= k->highest_zoneidx && i < m->nr_node_zones; i++) {
		int z = (int)nid * m->nr_node_zones + i;
		if (m->zones[z].present &&
		    suit_allocation_order(m, z, k->max_order, k->highest_zoneidx, AF_WMARK_MIN) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

bool compaction_wakeup_kcompactd(struct machine *m, unsigned nid, unsigned order, int highest_zoneidx)
{
	if (!compaction_exists(m) || !order || nid >= m->nr_nodes)
		return false;
	struct kcompactd_state *k = kcompactd_of(m, nid);
	if (k->max_order < order)
		k->max_order = order;
	if (k->highest_zoneidx > highest_zoneidx)
		k->highest_zoneidx = highest_zoneidx;
	/* "if (!wq_has_sleeper(&pgdat->kcompactd_wait)) return;": a woken
	 * kcompactd that has not run yet is not asleep */
	if (k->woken)
		return false;
	if (!kcompactd_node_suitable(m, nid, k))
		return false;
	k->woken = true;
	return true;
}

int compaction_kcompactd_run(struct machine *m, unsigned nid, struct kcompactd_result *res)
{
	memset(res, 0, sizeof *res);
	if (nid >= m->nr_nodes || !m->kcompactd[nid].woken)
		return 0;
	struct kcompactd_state *k = kcompactd_of(m, nid);
	k->woken = false;
	/* kcompactd(): "wait_event_freezable_timeout(..., kcompactd_work_requested())":
	 * kcompactd_max_order > 0 (the proactive compaction of the timeout
	 * is not modelled) */
	if (!k->max_order)
		return 0;
	res->order = k->max_order;
	res->highest_zoneidx = k->highest_zoneidx;
	res->last = COMPACT_SKIPPED;
	m->compact_ev.daemon_wake++;            /* count_compact_event(KCOMPACTD_WAKE) */
	for (int i = 0; i <= res->highest_zoneidx && i < m->nr_node_zones; i++) {
		int z = (int)nid * m->nr_node_zones + i;
		if (!m->zones[z].present)
			continue;
		/* compaction_deferred() is not modelled (no deferral) */
		if (suit_allocation_order(m, z, res->order, i, AF_WMARK_MIN) != COMPACT_CONTINUE)
			continue;
		/* cc: order and search_order kcompactd_max_order, highest_zoneidx,
		 * MIGRATE_SYNC_LIGHT, GFP_KERNEL (its migratetype: Unmovable),
		 * alloc_flags 0 (ALLOC_WMARK_MIN), not direct compaction */
		struct compact_control cc = { .m = m, .z = z, .order = (int)res->order,
					      .migratetype = m->kp->mt_unmovable, .highest_zoneidx = res->highest_zoneidx,
					      .alloc_flags = AF_WMARK_MIN, .mode = MIGRATE_SYNC_LIGHT };
		bool log = m->log.enabled;
		m->log.enabled = false;
		enum compact_result status = compact_zone(&cc);
		m->log.enabled = log;
		/* "Buddy pages may become stranded on pcps that could otherwise
		 * coalesce on the zone's free area for order >= cc->order" */
		if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE)
			pcp_drain_zone(m, z);
		m->compact_ev.daemon_migrate_scanned += cc.total_migrate_scanned;
		m->compact_ev.daemon_free_scanned += cc.total_free_scanned;
		res->zones++;
		res->last = status;
		res->migrated += cc.migrated;
		res->failed += cc.failed;
		res->migrate_scanned += cc.total_migrate_scanned;
		res->free_scanned += cc.total_free_scanned;
	}
	/* "Regardless of success, we are done until woken up next" */
	if (k->max_order <= res->order)
		k->max_order = 0;
	if (k->highest_zoneidx >= res->highest_zoneidx)
		k->highest_zoneidx = node_last_zone(m, nid);
	return 1;
}
