/*
 * buddy.c - the zoned buddy page allocator (mm/page_alloc.c).
 *
 * A buddy system keeps free blocks of 2^order pages; a block's buddy is
 * found by flipping bit `order` of its pfn, and when both halves are free
 * they merge into one block of order + 1.  Allocation takes the first block
 * of the smallest order that fits (__rmqueue_smallest) and splits it down,
 * keeping the lower half and freeing the upper halves (expand).  Free lists
 * are kept per order and per migratetype; when a type runs dry the
 * allocator steals from another (__rmqueue_fallback).  A zone is used only
 * while its free pages stay above a watermark plus the lowmem reserve that
 * protects it from allocations that could have been served higher up.
 *
 * Followed: Linux 6.13 (mm/page_alloc.c, mm/internal.h) and 2.6.32
 * (mm/page_alloc.c) — the differences are noted where they occur.  The
 * per-CPU page lists in front of the buddy lists are in pcp.c: rmqueue()
 * asks them first for the orders they hold, and __free_pages() gives
 * those orders to them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/vmscan.h"
#include "kmemsh/compaction.h"
#include "kmemsh/i18n.h"
#include "kmemsh/memstore.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/pcp.h"
#include "pcp_int.h"


#define HOT static inline __attribute__((always_inline))
#define CH(m, ...) do { if ((m)->log.enabled) { struct change c_ = { __VA_ARGS__ }; changelog_add((m), &c_); } } while (0)

/* Change-log entries from the hot loops go through an out-of-line helper,
 * so the loops keep their values in registers.  Not marked cold: with the
 * change log shown (the default for scripts) it runs for every split and
 * merge, and cold code is optimized for size. */
static void __attribute__((noinline))
log_change(struct machine *m, enum change_kind kind, int z, uint64_t pfn, uint64_t pfn2,
	   unsigned order, unsigned order2, int mt, bool tail)
{
	struct change c = { .kind = kind, .zone = (uint8_t)z, .pfn = pfn, .pfn2 = pfn2, .order = (uint8_t)order,
			    .order2 = (uint8_t)order2, .mt = (uint8_t)mt, .tail = tail };
	changelog_add(m, &c);
}

/* A descriptor's flags, order, mt and zone bytes as one 32-bit word, so
 * the hot loops read and write them with one access. */
static inline uint32_t page_word(unsigned flags, unsigned order, unsigned mt, unsigned zone)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return flags | order << 8 | mt << 16 | zone << 24;
#else
	const uint8_t b[4] = { (uint8_t)flags, (uint8_t)order, (uint8_t)mt, (uint8_t)zone };
	uint32_t w;
	memcpy(&w, b, sizeof w);
	return w;
#endif
}

static void describe_block(const struct machine *m, uint64_t pfn, char *buf, size_t len);

/* ---- list primitives (list_head with node ids) ------------------------- */

HOT struct page *PG(const struct machine *m, uint64_t pfn)
{
	return &m->chunk[pfn >> CHUNK_SHIFT][pfn & (CHUNK_PAGES - 1)];
}

HOT uint32_t *nextp(struct machine *m, uint32_t id)
{
	return id & NODE_SEG ? &m->seg[id & ~NODE_SEG].next : &PG(m, id)->next;
}

HOT uint32_t *prevp(struct machine *m, uint32_t id)
{
	return id & NODE_SEG ? &m->seg[id & ~NODE_SEG].prev : &PG(m, id)->prev;
}

HOT void list_link_after(struct machine *m, struct flist *l, uint32_t after, uint32_t id)
{
	/* after == NODE_NIL: insert at head */
	uint32_t next = after == NODE_NIL ? l->head : *nextp(m, after);
	*prevp(m, id) = after;
	*nextp(m, id) = next;
	if (after == NODE_NIL)
		l->head = id;
	else
		*nextp(m, after) = id;
	if (next == NODE_NIL)
		l->tail = id;
	else
		*prevp(m, next) = id;
}

HOT void list_unlink(struct machine *m, struct flist *l, uint32_t id)
{
	uint32_t prev = *prevp(m, id), next = *nextp(m, id);
	if (prev == NODE_NIL)
		l->head = next;
	else
		*nextp(m, prev) = next;
	if (next == NODE_NIL)
		l->tail = prev;
	else
		*prevp(m, next) = prev;
	*prevp(m, id) = *nextp(m, id) = NODE_NIL;
}

HOT struct flist *flist_of(struct machine *m, int z, unsigned order, int mt)
{
	return &m->zones[z].free_area[order].list[mt];
}

/* ---- free block bookkeeping ---------------------------------------------- */

/* a zone's free lists changed: its generation and the machine's move
 * together (the view skips zones, and whole steps, whose count stayed) */
static inline void free_area_changed(struct machine *m, struct zone *zn)
{
	zn->free_area_gen++;
	m->free_area_gen++;
}

HOT void account(struct machine *m, int z, unsigned order, int mt, int sign)
{
	struct zone *zn = &m->zones[z];
	struct free_area *a = &zn->free_area[order];
	free_area_changed(m, zn);
	if (sign > 0) {
		a->nr_mt[mt]++;
		a->nr_free++;
		zn->free_pages += 1ull << order;
	} else {
		a->nr_mt[mt]--;
		a->nr_free--;
		zn->free_pages -= 1ull << order;
	}
}

/* __add_to_free_list() + set_buddy_order() + account */
/* list_add / list_add_tail / list_del for a page node whose descriptor
 * we already hold (the hot path: no lookups for the node itself) */
HOT void link_page(struct machine *m, struct flist *l, uint32_t id, struct page *p, bool tail)
{
	if (!tail) {
		uint32_t next = l->head;
		p->prev = NODE_NIL;
		p->next = next;
		l->head = id;
		if (next == NODE_NIL)
			l->tail = id;
		else
			*prevp(m, next) = id;
	} else {
		uint32_t prev = l->tail;
		p->next = NODE_NIL;
		p->prev = prev;
		l->tail = id;
		if (prev == NODE_NIL)
			l->head = id;
		else
			*nextp(m, prev) = id;
	}
}

HOT void unlink_page(struct machine *m, struct flist *l, struct page *p)
{
	uint32_t prev = p->prev, next = p->next;
	if (prev == NODE_NIL)
		l->head = next;
	else
		*nextp(m, prev) = next;
	if (next == NODE_NIL)
		l->tail = prev;
	else
		*prevp(m, next) = prev;
}

/* __add_to_free_list() + set_buddy_order() + account */
HOT void add_free_page(struct machine *m, int z, uint64_t pfn, struct page *p, unsigned order, int mt, bool tail)
{
	p->flags = (uint8_t)((p->flags & ~(PG_head | PG_comp)) | PG_buddy);
	p->order = (uint8_t)order;
	p->mt = (uint8_t)mt;
	p->gfp = 0;
	link_page(m, flist_of(m, z, order, mt), (uint32_t)pfn, p, tail);
	account(m, z, order, mt, +1);
}

HOT void add_free(struct machine *m, int z, uint64_t pfn, unsigned order, int mt, bool tail)
{
	add_free_page(m, z, pfn, PG(m, pfn), order, mt, tail);
}

/* del_page_from_free_list() */
HOT void del_free_page(struct machine *m, int z, struct page *p)
{
	unlink_page(m, flist_of(m, z, p->order, p->mt), p);
	account(m, z, p->order, p->mt, -1);
	p->flags &= (uint8_t)~PG_buddy;
}

HOT void del_free(struct machine *m, int z, uint64_t pfn)
{
	del_free_page(m, z, PG(m, pfn));
}

static uint32_t new_segment(struct machine *m)
{
	if (m->nr_seg == m->cap_seg) {
		uint32_t nc = m->cap_seg ? m->cap_seg * 2 : 16;
		struct segment *nv = realloc(m->seg, nc * sizeof *nv);
		if (!nv)
			return NODE_NIL;
		m->seg = nv;
		m->cap_seg = nc;
	}
	uint32_t i = m->nr_seg++;
	memset(&m->seg[i], 0, sizeof m->seg[i]);
	m->seg[i].next = m->seg[i].prev = NODE_NIL;
	return i;
}

/* The chunk at the head of a segment in list order. */
static uint64_t seg_head_chunk(const struct segment *s)
{
	return s->descending ? s->first_chunk + s->count - 1 : s->first_chunk;
}

/* Take the first block of a list; returns its pfn (materialized, off the
 * list, accounted) or ~0 if empty. */
HOT uint64_t take_first(struct machine *m, int z, unsigned order, int mt)
{
	struct flist *l = flist_of(m, z, order, mt);
	uint32_t id = l->head;
	if (id == NODE_NIL)
		return ~0ull;
	if (!(id & NODE_SEG)) {
		del_free(m, z, id);
		return id;
	}
	struct segment *s = &m->seg[id & ~NODE_SEG];
	uint64_t c = seg_head_chunk(s);
	if (!machine_new_chunk(m, c))
		return ~0ull;
	s = &m->seg[id & ~NODE_SEG];
	if (!s->descending)
		s->first_chunk++;
	s->count--;
	if (s->count == 0)
		list_unlink(m, l, id);
	account(m, z, order, mt, -1);
	return c << CHUNK_SHIFT;
}

/* Give an untouched chunk page descriptors.  If it is a free block inside a
 * segment, the segment is split around it and the block keeps its place in
 * the list. */
static struct page *buddy_materialize(struct machine *m, uint64_t c)
{
	if (m->chunk[c])
		return m->chunk[c];
	for (uint32_t i = 0; i < m->nr_seg; i++) {
		struct segment *s = &m->seg[i];
		if (!s->count || c < s->first_chunk || c >= s->first_chunk + s->count)
			continue;
		int z = s->zone, mt = s->mt;
		bool desc = s->descending;
		uint64_t first = s->first_chunk, count = s->count;
		struct flist *l = flist_of(m, z, MAX_ORDER_MODEL, mt);
		/* list order: the part before c, c, the part after c */
		uint64_t before_first, before_count, after_first, after_count;
		if (!desc) {
			before_first = first;
			before_count = c - first;
			after_first = c + 1;
			after_count = first + count - c - 1;
		} else {
			before_first = c + 1;
			before_count = first + count - c - 1;
			after_first = first;
			after_count = c - first;
		}
		uint32_t after_id = NODE_NIL;
		if (after_count) {
			after_id = new_segment(m);
			if (after_id == NODE_NIL)
				return NULL;
			s = &m->seg[i];
		}
		struct page *pg = machine_new_chunk(m, c);
		if (!pg)
			return NULL;
		uint32_t sid = i | NODE_SEG;
		uint32_t anchor;
		if (before_count) {
			s->first_chunk = before_first;
			s->count = before_count;
			anchor = sid;
		} else {
			anchor = s->prev;
			list_unlink(m, l, sid);
			s->count = 0;
		}
		/* the block itself */
		uint64_t pfn = c << CHUNK_SHIFT;
		struct page *p = PG(m, pfn);
		p->flags = PG_buddy;
		p->order = MAX_ORDER_MODEL;
		p->mt = (uint8_t)mt;
		list_link_after(m, l, anchor, (uint32_t)pfn);
		if (after_count) {
			struct segment *a = &m->seg[after_id];
			a->first_chunk = after_first;
			a->count = after_count;
			a->zone = (uint8_t)z;
			a->mt = (uint8_t)mt;
			a->descending = desc;
			list_link_after(m, l, (uint32_t)pfn, after_id | NODE_SEG);
		}
		return pg;
	}
	return machine_new_chunk(m, c);
}

/* ---- watermarks ---------------------------------------------------------- */

/*
 * The highatomic part of __zone_watermark_unusable_free(), for a caller
 * without ALLOC_RESERVES (ALLOC_NON_BLOCK, ALLOC_MIN_RESERVE,
 * ALLOC_HIGHATOMIC, ALLOC_OOM).  6.13: zone->nr_free_highatomic, the free
 * pages on the HighAtomic lists (account_freepages() keeps it; here it is
 * summed from the lists' counts).  6.1.192: the whole reserve,
 * zone->nr_reserved_highatomic ("This will over-estimate the size of the
 * atomic reserve but it avoids a search").  HighAtomic free pages lie only
 * in HighAtomic pageblocks (check.c), so a zone without a reserve has none.
 */
static int64_t __attribute__((noinline, cold)) highatomic_unusable_held(const struct machine *m,
									 const struct zone *z)
{
	if (buddy_highatomic_unusable_whole_reserve(m))
		return (int64_t)z->nr_reserved_highatomic;
	uint64_t n = 0;
	for (unsigned o = 0; o < NR_ORDERS; o++)
		n += z->free_area[o].nr_mt[m->kp->mt_highatomic] << o;
	return (int64_t)n;
}

static inline int64_t highatomic_unusable(const struct machine *m, const struct zone *z)
{
	return z->nr_reserved_highatomic ? highatomic_unusable_held(m, z) : 0;
}

/* How far the reserve flags lower a watermark, as zone_watermark_ok() does.
 * 2.6.32 zone_watermark_ok(): ALLOC_HIGH halves it, ALLOC_HARDER takes a
 * further quarter.  6.13 __zone_watermark_ok() (under ALLOC_RESERVES):
 * ALLOC_MIN_RESERVE halves it and ALLOC_NON_BLOCK then takes a quarter;
 * ALLOC_OOM halves it again ("OOM victims can try even harder than the
 * normal reserve users on the grounds that it's definitely going to be in
 * the exit path shortly and free memory"). */
uint64_t buddy_effective_min(const struct machine *m, uint64_t mark, unsigned af)
{
	int64_t min = (int64_t)mark;

	if (m->kp->kv == KV_2_6_32) {
		if (af & AF_HIGH)
			min -= min / 2;
		if (af & AF_HARDER)
			min -= min / 4;
		return (uint64_t)min;
	}
	if (af & AF_HIGH) {
		min -= min / 2;
		if (af & AF_HARDER)
			min -= min / 4;
	}
	if (af & AF_OOM)
		min -= min / 2;
	return (uint64_t)min;
}

/* __zone_watermark_ok() with the free pages given (zone_watermark_ok()
 * passes the zone's own; should_reclaim_retry() and
 * compaction_zonelist_suitable() add the reclaimable ones) */
static inline __attribute__((always_inline)) int zone_watermark_ok_free(const struct machine *m,
									const struct zone *z, unsigned order,
									uint64_t mark, int highest, unsigned af,
									int64_t free_pages)
{
	int64_t min = (int64_t)mark;

	if (m->kp->kv == KV_2_6_32) {
		/* 2.6.32 zone_watermark_ok() */
		free_pages -= (1ll << order) - 1;
		min = (int64_t)buddy_effective_min(m, mark, af);
		if (free_pages <= min + (int64_t)z->lowmem_reserve[highest])
			return 0;
		for (unsigned o = 0; o < order; o++) {
			free_pages -= (int64_t)(free_area_nr_free(&z->free_area[o]) << o);
			min >>= 1;
			if (free_pages <= min)
				return 0;
		}
		return 1;
	}
	/* 6.13 __zone_watermark_ok() (no CMA): free_pages less
	 * __zone_watermark_unusable_free() */
	free_pages -= (1ll << order) - 1;
	if (!(af & AF_RESERVES)) {
		/* "If the caller does not have rights to reserves below the min
		 * watermark then subtract the high-atomic reserves" */
		free_pages -= highatomic_unusable(m, z);
	} else {
		/* "unlikely(alloc_flags & ALLOC_RESERVES)" */
		min = (int64_t)buddy_effective_min(m, mark, af);
	}
	if (free_pages <= min + (int64_t)z->lowmem_reserve[highest])
		return 0;
	if (order == 0)
		return 1;
	for (unsigned o = order; o < NR_ORDERS; o++) {
		const struct free_area *a = &z->free_area[o];
		if (!free_area_nr_free(a))
			continue;
		for (int mt = 0; mt < m->kp->nr_pcptypes; mt++)
			if (a->nr_mt[mt])
				return 1;
		if ((af & (AF_HIGHATOMIC | AF_OOM)) && m->kp->mt_highatomic >= 0 && a->nr_mt[m->kp->mt_highatomic])
			return 1;
	}
	return 0;
}

int buddy_zone_watermark_ok(const struct machine *m, const struct zone *z, unsigned order,
			    uint64_t mark, int highest, unsigned af)
{
	return zone_watermark_ok_free(m, z, order, mark, highest, af, (int64_t)z->free_pages);
}

int buddy_zone_watermark_ok_free(const struct machine *m, const struct zone *z, unsigned order, uint64_t mark,
				 int highest, unsigned af, uint64_t free_pages)
{
	return zone_watermark_ok_free(m, z, order, mark, highest, af, (int64_t)free_pages);
}

/* __zone_watermark_ok() at the watermark af names, as zone_watermark_fast()
 * begins: order 0 without ALLOC_HIGH/HARDER/HIGHATOMIC is one comparison
 * against fast_mark, the zone's wmark_fast[] (its wmark[], or out of reach
 * while the zone holds a highatomic reserve: then the full function,
 * which subtracts the reserve's free pages, decides); anything else the
 * full function decides */
static inline bool watermark_ok(const struct machine *m, const struct zone *z, unsigned order, uint64_t fast_mark,
				int highest, unsigned af)
{
	if (order == 0 && !(af & AF_RESERVES))
		return (int64_t)z->free_pages > (int64_t)fast_mark + (int64_t)z->lowmem_reserve[highest] ||
		       (z->nr_reserved_highatomic &&
			buddy_zone_watermark_ok(m, z, 0, z->wmark[af & AF_WMARK_MASK], highest, af));
	return buddy_zone_watermark_ok(m, z, order, z->wmark[af & AF_WMARK_MASK], highest, af);
}

/* alloc_fast()'s check: __zone_watermark_ok() against mark, in one
 * comparison for order 0 without ALLOC_HIGH/HARDER/HIGHATOMIC */
static inline bool fast_watermark_ok(const struct machine *m, const struct zone *z, unsigned order, uint64_t mark,
				     int highest, unsigned af)
{
	if (order == 0 && !(af & AF_RESERVES))
		return (int64_t)z->free_pages > (int64_t)mark + (int64_t)z->lowmem_reserve[highest];
	return buddy_zone_watermark_ok(m, z, order, mark, highest, af);
}

/* ---- allocation ---------------------------------------------------------- */

/* expand(): split a block of order `high` at pfn down to `low`, putting the
 * upper halves at the head of the lower-order lists. */
HOT void expand(struct machine *m, int z, uint64_t pfn, unsigned low, unsigned high, int mt)
{
	/* a block of order <= MAX_ORDER lies inside one chunk */
	struct page *base = m->chunk[pfn >> CHUNK_SHIFT] - (pfn & ~(uint64_t)(CHUNK_PAGES - 1));
	struct free_area *fa = m->zones[z].free_area;
	const bool logging = m->log.enabled;
	uint64_t size = 1ull << high;

	m->zones[z].free_pages += size - (1ull << low);
	free_area_changed(m, &m->zones[z]);
	/* walk down the orders with pointers: the free_area, the page, and the
	 * descriptor word (whose order byte drops by one each step) */
	struct free_area *a = &fa[high];
	struct page *head = base + pfn;
	uint32_t v = page_word(PG_buddy, high, (unsigned)mt, (unsigned)z);
	if (__builtin_expect(logging, 0)) {
		while (high > low) {
			high--;
			a--;
			size >>= 1;
			v -= 1u << 8;
			struct page *p = head + size;
			memcpy(&p->flags, &v, sizeof v);
			link_page(m, &a->list[mt], (uint32_t)(pfn + size), p, false);
			a->nr_mt[mt]++;
			a->nr_free++;
			log_change(m, CH_SPLIT, z, pfn, pfn + size, high + 1, high, mt, false);
		}
		return;
	}
	/* the same loop without the log (the branch out of it) */
	while (high > low) {
		high--;
		a--;
		size >>= 1;
		v -= 1u << 8;
		struct page *p = head + size;
		memcpy(&p->flags, &v, sizeof v);
		link_page(m, &a->list[mt], (uint32_t)(pfn + size), p, false);
		a->nr_mt[mt]++;
		a->nr_free++;
	}
}

HOT uint64_t rmqueue_smallest(struct machine *m, int z, unsigned order, int mt)
{
	const struct free_area *a = &m->zones[z].free_area[order];
	for (unsigned o = order; o < NR_ORDERS; o++, a++) {
		if (a->list[mt].head == NODE_NIL)
			continue;
		uint64_t pfn = take_first(m, z, o, mt);
		if (pfn == ~0ull)
			return ~0ull;
		if (__builtin_expect(m->log.enabled, 0))
			log_change(m, CH_TAKE, z, pfn, 0, o, 0, mt, false);
		expand(m, z, pfn, order, o, mt);
		return pfn;
	}
	return ~0ull;
}

static void change_pageblock_range(struct machine *m, uint64_t pfn, unsigned order, int mt)
{
	uint64_t n = order >= m->pageblock_order ? 1ull << (order - m->pageblock_order) : 1;
	for (uint64_t i = 0; i < n; i++)
		set_pageblock_mt(m, pfn + (i << m->pageblock_order), mt);
}

/* 6.13 __move_freepages_block(): every free block of the pageblock goes to
 * the tail of new_mt's list; the pageblock is retyped. */
static uint64_t move_freepages_block_13(struct machine *m, int z, uint64_t start, int old_mt, int new_mt)
{
	uint64_t end = start + (1ull << m->pageblock_order), moved = 0;
	for (uint64_t pfn = start; pfn < end; ) {
		struct page *p = PG(m, pfn);
		if (!(p->flags & PG_buddy)) {
			pfn++;
			continue;
		}
		unsigned o = p->order;
		del_free(m, z, pfn);
		add_free(m, z, pfn, o, new_mt, true);
		CH(m, .kind = CH_MOVE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)o,
		   .mt = (uint8_t)old_mt, .mt2 = (uint8_t)new_mt);
		moved += 1ull << o;
		pfn += 1ull << o;
	}
	set_pageblock_mt(m, start, new_mt);
	return moved;
}

/* 6.13 can_steal_fallback() */
static bool can_steal_13(const struct machine *m, unsigned order, int start_mt)
{
	if (order >= m->pageblock_order)
		return true;
	return order >= m->pageblock_order / 2 || start_mt == m->kp->mt_reclaimable ||
	       start_mt == m->kp->mt_unmovable || m->mobility_disabled;
}

/* 6.13 find_suitable_fallback(area, order, mt, only_stealable, can_steal) */
static int find_suitable_fallback_13(const struct machine *m, int z, unsigned order, int start_mt,
				     bool only_stealable, bool *can_steal)
{
	const struct free_area *a = &m->zones[z].free_area[order];
	*can_steal = false;
	if (!free_area_nr_free(a))
		return -1;
	for (int i = 0; i < 2; i++) {
		int fmt = m->kp->fallbacks[start_mt][i];
		if (fmt < 0 || a->list[fmt].head == NODE_NIL)
			continue;
		if (can_steal_13(m, order, start_mt))
			*can_steal = true;
		if (!only_stealable || *can_steal)
			return fmt;
	}
	return -1;
}

static int find_fallback_13(const struct machine *m, int z, unsigned order, int start_mt, bool *can_steal)
{
	return find_suitable_fallback_13(m, z, order, start_mt, false, can_steal);
}

/*
 * 6.x boost_watermark() (mm/page_alloc.c, 5.0 on; 6.1 and 6.13 alike): a
 * fallback that takes part of another type's pageblock raises the zone's
 * watermarks, "to increase reclaim pressure to reduce the likelihood of
 * future fallbacks", by a pageblock each time up to
 *   max_boost = max(pageblock_nr_pages,
 *                   mult_frac(_watermark[WMARK_HIGH], watermark_boost_factor, 10000))
 *   watermark_boost = min(watermark_boost + pageblock_nr_pages, max_boost)
 * Not with vm.watermark_boost_factor 0, not in a zone smaller than four
 * pageblocks (managed pages; "boosting the watermark can cause an out of
 * memory situation immediately"), not while the high mark is still 0.
 *
 * When it boosts, steal_suitable_fallback() sets ZONE_BOOSTED_WATERMARK
 * for an ALLOC_KSWAPD request (__GFP_KSWAPD_RECLAIM in every pass the
 * model makes), and the end of rmqueue() clears it and wakes the zone's
 * node's kswapd, wakeup_kswapd(zone, 0, 0, zone_idx(zone)) (6.13 tests
 * ALLOC_KSWAPD there too, since "mm/page_alloc: don't wake kswapd from
 * rmqueue() unless __GFP_KSWAPD_RECLAIM is specified", 6.5).  The model
 * keeps no flag and wakes kswapd here: the flag is set and tested within
 * the one rmqueue() call, and wakeup_kswapd() decides the same at both
 * points (the zone is boosted, so pgdat_watermark_boosted() holds, and
 * nothing in between changes kswapd_failures); only the wakeup's place in
 * the change log is earlier, before the page is taken.  So the fast path
 * carries no test for it.
 */
static void __attribute__((noinline, cold)) boost_watermark(struct machine *m, int z, uint64_t pfn, int start_mt,
							   int block_mt)
{
	struct zone *zn = &m->zones[z];
	const uint64_t pb = 1ull << m->pageblock_order;
	if (!m->watermark_boost_factor || pb * 4 > zn->managed)
		return;
	uint64_t high = zone_raw_wmark(zn, WMARK_HIGH), f = (uint64_t)m->watermark_boost_factor;
	uint64_t max_boost = high / 10000 * f + high % 10000 * f / 10000;      /* mult_frac() */
	if (!max_boost)
		return;
	if (max_boost < pb)
		max_boost = pb;
	uint64_t before = zn->watermark_boost, boost = before + pb < max_boost ? before + pb : max_boost;
	zone_set_watermark_boost(zn, boost);
	CH(m, .kind = CH_WMARK_BOOST, .zone = (uint8_t)z, .pfn = pfn, .old = before, .val = boost, .pfn2 = max_boost,
	   .mt = (uint8_t)start_mt, .mt2 = (uint8_t)block_mt);
	if (m->ac_gfp & m->kp->gfp_kswapd)
		vmscan_wakeup_kswapd_boosted(m, z);
}

/* trace_mm_page_alloc_extfrag(page, order, current_order, start_mt,
 * fallback_mt): change_ownership is whether the page's pageblock now has
 * the request's type */
static uint64_t extfrag_event(struct machine *m, int z, uint64_t pfn, unsigned order, int co, int start_mt, int fmt)
{
	if (pfn != ~0ull)
		CH(m, .kind = CH_EXTFRAG, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .order2 = (uint8_t)co,
		   .mt = (uint8_t)start_mt, .mt2 = (uint8_t)fmt, .tail = get_pageblock_mt(m, pfn) == start_mt);
	return pfn;
}

/* 6.13 __rmqueue_fallback() + steal_suitable_fallback() */
static uint64_t rmqueue_fallback_13(struct machine *m, int z, unsigned order, int start_mt, unsigned af)
{
	unsigned min_order = order;
	int fmt = -1;
	bool can_steal = false;
	int co;

	if (order < m->pageblock_order && (af & AF_NOFRAGMENT))
		min_order = m->pageblock_order;
	for (co = MAX_ORDER_MODEL; co >= (int)min_order; co--) {
		fmt = find_fallback_13(m, z, (unsigned)co, start_mt, &can_steal);
		if (fmt == -1)
			continue;
		if (!can_steal && start_mt == m->kp->mt_movable && co > (int)order)
			goto find_smallest;
		goto do_steal;
	}
	return ~0ull;
find_smallest:
	for (co = (int)order; co < NR_ORDERS; co++) {
		fmt = find_fallback_13(m, z, (unsigned)co, start_mt, &can_steal);
		if (fmt != -1)
			break;
	}
	if (co >= NR_ORDERS)
		return ~0ull;
do_steal:;
	/* get_page_from_free_area(): the head of the fallback list */
	uint32_t id = m->zones[z].free_area[co].list[fmt].head;
	uint64_t pfn = id & NODE_SEG ? seg_head_chunk(&m->seg[id & ~NODE_SEG]) << CHUNK_SHIFT : id;
	int block_type = get_pageblock_mt(m, pfn);
	CH(m, .kind = CH_FALLBACK, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)co,
	   .order2 = (uint8_t)order, .mt = (uint8_t)start_mt, .mt2 = (uint8_t)fmt);

	/* steal_suitable_fallback(): "This can happen due to races and we
	 * want to prevent broken highatomic accounting" (in the model: a 6.1
	 * reserve that moved only part of its pageblock, see
	 * reserve_highatomic_pageblock()) */
	if (block_type == m->kp->mt_highatomic)
		goto single_page;
	if ((unsigned)co >= m->pageblock_order) {
		/* take ownership of the whole block */
		pfn = take_first(m, z, (unsigned)co, fmt);
		if (pfn == ~0ull)
			return ~0ull;
		CH(m, .kind = CH_TAKE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)co, .mt = (uint8_t)fmt);
		change_pageblock_range(m, pfn, (unsigned)co, start_mt);
		expand(m, z, pfn, order, (unsigned)co, start_mt);
		return extfrag_event(m, z, pfn, order, co, start_mt, fmt);
	}
	/* "Boost watermarks to increase reclaim pressure to reduce the
	 * likelihood of future fallbacks. Wake kswapd now as the node may be
	 * balanced overall and kswapd will not wake naturally." (before the
	 * whole_block test: also when only the one block is taken) */
	if (block_type != m->kp->mt_highatomic)
		boost_watermark(m, z, pfn, start_mt, block_type);
	if (can_steal) {
		/* prep_move_freepages_block(): the pageblock must lie in the zone */
		uint64_t start = pfn & ~((1ull << m->pageblock_order) - 1);
		uint64_t end = start + (1ull << m->pageblock_order);
		const struct zone *zn = &m->zones[z];
		if (start >= zn->start_pfn && end - 1 < zn->start_pfn + zn->spanned) {
			uint64_t free_pages = 0, movable_pages = 0, alike;
			for (uint64_t p = start; p < end; ) {
				const struct page *pg = PG(m, p);
				if (pg->flags & PG_buddy) {
					free_pages += 1ull << pg->order;
					p += 1ull << pg->order;
					continue;
				}
				/* PageLRU || __PageMovable: the model keeps no LRU pages */
				p++;
			}
			if (start_mt == m->kp->mt_movable)
				alike = movable_pages;
			else if (block_type == m->kp->mt_movable)
				alike = (1ull << m->pageblock_order) - (free_pages + movable_pages);
			else
				alike = 0;
			if (free_pages + alike >= 1ull << (m->pageblock_order - 1) || m->mobility_disabled) {
				move_freepages_block_13(m, z, start, block_type, start_mt);
				return extfrag_event(m, z, rmqueue_smallest(m, z, order, start_mt), order, co, start_mt,
						     fmt);
			}
		}
	}
single_page:
	/* page_del_and_expand() keeping the block's own type */
	pfn = take_first(m, z, (unsigned)co, fmt);
	if (pfn == ~0ull)
		return ~0ull;
	CH(m, .kind = CH_TAKE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)co, .mt = (uint8_t)fmt);
	expand(m, z, pfn, order, (unsigned)co, block_type);
	return extfrag_event(m, z, pfn, order, co, start_mt, fmt);
}

/* 2.6.32 and 6.1 move_freepages_block(): free blocks of the pageblock
 * (clipped at the zone start, refused past the zone end) to mt's list, at
 * its head (2.6.32 list_move()) or its tail (6.1 move_to_free_list():
 * list_move_tail()). */
static uint64_t move_freepages_block_clip(struct machine *m, int z, uint64_t pfn, int mt, bool tail)
{
	uint64_t start = pfn & ~((1ull << m->pageblock_order) - 1);
	uint64_t end = start + (1ull << m->pageblock_order) - 1;
	const struct zone *zn = &m->zones[z];
	uint64_t moved = 0;

	if (start < zn->start_pfn)
		start = pfn;
	if (end >= zn->start_pfn + zn->spanned)
		return 0;
	if (!m->chunk[start >> CHUNK_SHIFT] && !buddy_materialize(m, start >> CHUNK_SHIFT))
		return 0;
	for (uint64_t p = start; p <= end; ) {
		if (!m->chunk[p >> CHUNK_SHIFT] && !buddy_materialize(m, p >> CHUNK_SHIFT))
			return moved;
		struct page *pg = PG(m, p);
		if (!(pg->flags & PG_buddy)) {
			p++;
			continue;
		}
		unsigned o = pg->order;
		int old = pg->mt;
		del_free(m, z, p);
		add_free(m, z, p, o, mt, tail);
		if (old != mt)
			CH(m, .kind = CH_MOVE, .zone = (uint8_t)z, .pfn = p, .order = (uint8_t)o,
			   .mt = (uint8_t)old, .mt2 = (uint8_t)mt);
		p += 1ull << o;
		moved += 1ull << o;
	}
	return moved;
}

/* 2.6.32 __rmqueue_fallback() */
static uint64_t rmqueue_fallback_32(struct machine *m, int z, unsigned order, int start_mt)
{
	for (int co = MAX_ORDER_MODEL; co >= (int)order; co--) {
		for (int i = 0; i < 2; i++) {
			int mt = m->kp->fallbacks[start_mt][i];
			if (mt < 0 || m->zones[z].free_area[co].list[mt].head == NODE_NIL)
				continue;
			uint32_t id = m->zones[z].free_area[co].list[mt].head;
			uint64_t pfn = id & NODE_SEG ? seg_head_chunk(&m->seg[id & ~NODE_SEG]) << CHUNK_SHIFT : id;
			CH(m, .kind = CH_FALLBACK, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)co,
			   .order2 = (uint8_t)order, .mt = (uint8_t)start_mt, .mt2 = (uint8_t)mt);
			int list_mt = mt;
			if ((unsigned)co >= (m->pageblock_order >> 1) || start_mt == m->kp->mt_reclaimable ||
			    m->mobility_disabled) {
				uint64_t pages = move_freepages_block_clip(m, z, pfn, start_mt, false);
				if (pages >= 1ull << (m->pageblock_order - 1) || m->mobility_disabled)
					set_pageblock_mt(m, pfn, start_mt);
				list_mt = start_mt;
			}
			/* the block may now sit on start_mt's list (moved above) */
			struct page *pg = PG(m, pfn);
			del_free(m, z, pfn);
			(void)pg;
			CH(m, .kind = CH_TAKE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)co,
			   .mt = (uint8_t)list_mt);
			if ((unsigned)co >= m->pageblock_order)
				change_pageblock_range(m, pfn, (unsigned)co, start_mt);
			expand(m, z, pfn, order, (unsigned)co, list_mt);
			return pfn;
		}
	}
	return ~0ull;
}

/* __rmqueue(): the buddy lists of the request's type, then the fallbacks
 * (what rmqueue_bulk() refills the pcp lists with) */
static uint64_t rmqueue(struct machine *m, int z, unsigned order, int mt, unsigned af)
{
	uint64_t pfn;
	if (m->kp->kv == KV_2_6_32) {
		/* __rmqueue(): own type, fallback types, then MIGRATE_RESERVE */
		pfn = rmqueue_smallest(m, z, order, mt);
		if (pfn == ~0ull)
			pfn = rmqueue_fallback_32(m, z, order, mt);
		if (pfn == ~0ull)
			pfn = rmqueue_smallest(m, z, order, m->kp->mt_reserve);
		return pfn;
	}
	/* rmqueue_buddy() / __rmqueue() */
	pfn = rmqueue_smallest(m, z, order, mt);
	if (pfn == ~0ull)
		pfn = rmqueue_fallback_13(m, z, order, mt, af);
	return pfn;
}

/* __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC): out of line, so
 * that the common path keeps one copy of the list walk */
static uint64_t __attribute__((noinline, cold)) rmqueue_highatomic(struct machine *m, int z, unsigned order)
{
	return m->kp->mt_highatomic < 0 ? ~0ull : rmqueue_smallest(m, z, order, m->kp->mt_highatomic);
}

/*
 * 6.x rmqueue_buddy() (6.13 and 6.1.192 alike): a high-order atomic
 * request (ALLOC_HIGHATOMIC) takes from the HighAtomic lists first; then
 * __rmqueue(); if that fails, "allow OOM handling and order-0 (atomic)
 * allocs access to HIGHATOMIC reserves as failing now is worse than
 * failing a high-order atomic allocation in the future": any
 * ALLOC_OOM (an OOM victim's, slowpath.c) or ALLOC_NON_BLOCK request.
 * 2.6.32 has no highatomic reserve (nor ALLOC_HIGHATOMIC): its __rmqueue()
 * alone, with MIGRATE_RESERVE last.
 */
static inline uint64_t rmqueue_buddy(struct machine *m, int z, unsigned order, int mt, unsigned af)
{
	uint64_t pfn = ~0ull;
	if (__builtin_expect(af & AF_HIGHATOMIC, 0))
		pfn = rmqueue_highatomic(m, z, order);
	if (pfn == ~0ull) {
		pfn = rmqueue(m, z, order, mt, af);
		if (pfn == ~0ull && (af & (AF_OOM | AF_HARDER)))
			pfn = rmqueue_highatomic(m, z, order);
	}
	return pfn;
}

/* ---- the highatomic reserve (6.x) ------------------------------------------ */

static int zonelist_first(const struct machine *m, int highest);
static int zonelist_after(const struct machine *m, int z, int highest);

/*
 * How many pages reserve_highatomic_pageblock() may set aside in zone zn:
 *   6.13: "minimum is 1 pageblock, maximum is roughly 1% of a zone. But if
 *         1% of a zone falls below a pageblock size, then don't reserve any
 *         pageblocks": 0 when managed / 100 < pageblock_nr_pages, else
 *         ALIGN(managed / 100, pageblock_nr_pages);
 *   6.1.192: "Limit the number reserved to 1 pageblock or roughly 1% of a
 *         zone": managed / 100 + pageblock_nr_pages;
 *   2.6.32: none (it has MIGRATE_RESERVE instead).
 * A pageblock is reserved while nr_reserved_highatomic is below the limit.
 */
uint64_t buddy_highatomic_limit(const struct machine *m, const struct zone *zn)
{
	const uint64_t pb = 1ull << m->pageblock_order, pct = zn->managed / 100;
	if (m->kp->mt_highatomic < 0)
		return 0;
	if (m->kp->kv == KV_6_1)
		return pct + pb;
	if (pct < pb)
		return 0;
	return (pct + pb - 1) & ~(pb - 1);
}

static void log_highatomic(struct machine *m, int z, uint64_t pfn, uint64_t pages, unsigned order, int from, int to,
			   bool unreserve, bool force)
{
	const struct zone *zn = &m->zones[z];
	CH(m, .kind = CH_HIGHATOMIC, .zone = (uint8_t)z, .pfn = pfn & ~((1ull << m->pageblock_order) - 1),
	   .pfn2 = pages, .order = (uint8_t)order, .order2 = force, .mt = (uint8_t)from, .mt2 = (uint8_t)to,
	   .tail = unreserve, .val = zn->nr_reserved_highatomic, .old = buddy_highatomic_limit(m, zn));
}

/*
 * reserve_highatomic_pageblock() (mm/page_alloc.c), after a high-order
 * atomic allocation (ALLOC_HIGHATOMIC) took the block at pfn from zone z:
 * "Reserve the pageblock(s) surrounding an allocation request for
 * exclusive use of high-order atomic allocations".  Only a pageblock of
 * a mergeable type (Unmovable, Movable, Reclaimable: not HighAtomic
 * already, CMA or Isolate), while the zone is below its limit.
 *   6.13: order < pageblock_order: move_freepages_block() moves the
 *         pageblock's free blocks to the HighAtomic lists' tails and
 *         retypes it (not a pageblock that straddles the zone's edge: -1);
 *         a pageblock's worth is reserved.  Larger orders:
 *         change_pageblock_range() over the allocation's pageblocks,
 *         1 << order pages reserved.
 *   6.1.192: set_pageblock_migratetype() of pfn's pageblock, then 6.1's
 *         move_freepages_block() (clipped at the zone start, nothing moved
 *         past the zone end); one pageblock's worth, whatever the order.
 */
static void __attribute__((noinline, cold)) reserve_highatomic_pageblock(struct machine *m, int z, uint64_t pfn,
									 unsigned order)
{
	struct zone *zn = &m->zones[z];
	const int ha = m->kp->mt_highatomic;
	const uint64_t pb = 1ull << m->pageblock_order;
	if (zn->nr_reserved_highatomic >= buddy_highatomic_limit(m, zn))
		return;
	/* "Yoink!"  "Only reserve normal pageblocks (i.e., they can merge
	 * with others)": migratetype_is_mergeable() */
	int mt = get_pageblock_mt(m, pfn);
	if (mt < 0 || mt >= m->kp->nr_pcptypes)
		return;
	uint64_t start = pfn & ~(pb - 1);
	if (m->kp->kv == KV_6_1) {
		zn->nr_reserved_highatomic += pb;
		log_highatomic(m, z, start, pb, order, mt, ha, false, false);
		set_pageblock_mt(m, pfn, ha);
		move_freepages_block_clip(m, z, pfn, ha, true);
	} else if (order < m->pageblock_order) {
		if (start < zn->start_pfn || start + pb > zn->start_pfn + zn->spanned)
			return;
		zn->nr_reserved_highatomic += pb;
		log_highatomic(m, z, start, pb, order, mt, ha, false, false);
		move_freepages_block_13(m, z, start, mt, ha);
	} else {
		zn->nr_reserved_highatomic += 1ull << order;
		log_highatomic(m, z, start, 1ull << order, order, mt, ha, false, false);
		change_pageblock_range(m, pfn, order, ha);
	}
	zone_sync_fast_wmark(zn);
}

/*
 * unreserve_highatomic_pageblock(ac, force) (mm/page_alloc.c): "Used when
 * an allocation is about to fail under memory pressure. This potentially
 * hurts the reliability of high-order allocations when under intense
 * memory pressure but failed atomic allocations should be easier to
 * recover from than an OOM."  Over the allocation's zonelist (highest: its
 * highest zone type), each zone that holds more than one pageblock's
 * reserve ("Preserve at least one pageblock unless memory pressure is
 * really high"; any reserve with force): the first free block on a
 * HighAtomic list from order 0 up; its pageblock goes to the allocation's
 * migratetype mt, "avoid[ing] the normal pageblock stealing heuristics".
 *   6.13: when that pageblock is HighAtomic, nr_reserved_highatomic -=
 *         max(pageblock_nr_pages, 1 << order) (no more than it holds);
 *         below pageblock_order move_freepages_block() moves and retypes
 *         the pageblock, from it up the block moves (move_to_free_list())
 *         and its pageblocks are retyped (change_pageblock_range()).
 *   6.1.192: -= pageblock_nr_pages; set_pageblock_migratetype() of the
 *         block's pageblock, then 6.1's move_freepages_block().
 * true when pages were moved, and the caller tries again.
 */
bool __attribute__((cold)) buddy_unreserve_highatomic_pageblock(struct machine *m, int highest, int mt, bool force)
{
	const int ha = m->kp->mt_highatomic;
	const uint64_t pb = 1ull << m->pageblock_order;
	if (ha < 0)
		return false;
	for (int z = zonelist_first(m, highest); z >= 0; z = zonelist_after(m, z, highest)) {
		struct zone *zn = &m->zones[z];
		if (!force && zn->nr_reserved_highatomic <= pb)
			continue;
		for (unsigned order = 0; order < NR_ORDERS; order++) {
			/* get_page_from_free_area(): the list's head */
			uint32_t id = zn->free_area[order].list[ha].head;
			if (id == NODE_NIL)
				continue;
			uint64_t pfn = id & NODE_SEG ? seg_head_chunk(&m->seg[id & ~NODE_SEG]) << CHUNK_SHIFT : id;
			if ((id & NODE_SEG) && !buddy_materialize(m, pfn >> CHUNK_SHIFT))
				continue;
			int block_mt = get_pageblock_mt(m, pfn);
			uint64_t size = 0;
			if (block_mt == ha) {
				size = m->kp->kv == KV_6_1 || (1ull << order) < pb ? pb : 1ull << order;
				if (size > zn->nr_reserved_highatomic)
					size = zn->nr_reserved_highatomic;
				zn->nr_reserved_highatomic -= size;
			}
			log_highatomic(m, z, pfn, size, order, block_mt, mt, true, force);
			uint64_t moved;
			if (m->kp->kv == KV_6_1) {
				set_pageblock_mt(m, pfn, mt);
				moved = move_freepages_block_clip(m, z, pfn, mt, true);
			} else if (order < m->pageblock_order) {
				/* "Reserving the block(s) already succeeded, so this
				 * should not fail on zone boundaries." */
				moved = move_freepages_block_13(m, z, pfn & ~(pb - 1), block_mt, mt);
			} else {
				/* move_to_free_list(): to the list's tail */
				del_free(m, z, pfn);
				add_free(m, z, pfn, order, mt, true);
				CH(m, .kind = CH_MOVE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order,
				   .mt = (uint8_t)ha, .mt2 = (uint8_t)mt);
				change_pageblock_range(m, pfn, order, mt);
				moved = 1;
			}
			zone_sync_fast_wmark(zn);
			if (moved)
				return true;
		}
	}
	return false;
}

/*
 * The zonelist of the preferred node (m->ac_nid), walked as
 * for_next_zone_zonelist_nodemask() walks it: that node's zones from the
 * highest allowed zone type down, then (not for __GFP_THISNODE, whose
 * ZONELIST_NOFALLBACK has one node) each other node's in the node order
 * build_zonelists() gave (numa.c).  highest is a zone type (an index
 * inside a node); the zones are indices in m->zones.  With one node this
 * is zones highest, highest - 1, ..., 0.
 */
static int zonelist_after(const struct machine *m, int z, int highest);

/* ac->nodemask: a memory policy's nodes (mempolicy.c); 0 is NULL, every
 * node (for_next_zone_zonelist_nodemask() skips the zones of the others) */
static bool node_allowed(const struct machine *m, int nid)
{
	return !m->ac_nodemask || (m->ac_nodemask >> nid & 1u);
}

static int zonelist_first(const struct machine *m, int highest)
{
	if (node_allowed(m, m->ac_nid))
		return m->ac_nid * m->nr_node_zones + highest;
	/* first_zones_zonelist(): the first zone of an allowed node */
	return zonelist_after(m, m->ac_nid * m->nr_node_zones, highest);
}

static int zonelist_after(const struct machine *m, int z, int highest)
{
	int nzk = m->nr_node_zones, nid = m->zones[z].nid;
	if (z > nid * nzk)
		return z - 1;
	if (m->ac_gfp & m->kp->gfp_thisnode)
		return -1;
	const int8_t *ord = m->node[m->ac_nid].node_order;
	unsigned k = 0;
	while (k < m->nr_nodes && ord[k] != nid)
		k++;
	for (k++; k < m->nr_nodes && ord[k] >= 0; k++)
		if (node_allowed(m, ord[k]))
			return ord[k] * nzk + highest;
	return -1;
}

int buddy_zonelist_first(const struct machine *m, int highest)
{
	return zonelist_first(m, highest);
}

int buddy_zonelist_next(const struct machine *m, int z, int highest)
{
	return zonelist_after(m, z, highest);
}

/* The zonelist moves on from zone z when a further populated zone remains. */
static void zonelist_next(struct machine *m, int z, int highest)
{
	for (int lower = zonelist_after(m, z, highest); lower >= 0; lower = zonelist_after(m, lower, highest))
		if (m->zones[lower].present) {
			CH(m, .kind = CH_ZONE_FALLBACK, .zone = (uint8_t)z, .pfn2 = (uint64_t)lower);
			return;
		}
}

/* get_page_from_freelist() with vm.zone_reclaim_mode (6.x): a zone below
 * its watermark whose node is within node_reclaim_distance (RECLAIM_DISTANCE
 * 30) of the preferred node gets node_reclaim() (vmscan.c) and is used if
 * that brings it back above the watermark (NODE_RECLAIM_SOME or SUCCESS) */
static bool node_reclaim_ok(struct machine *m, const struct zone *zn, gfp_t gfp, unsigned order, uint64_t mark,
			    int classzone, unsigned af)
{
	if (!m->zone_reclaim_mode || m->kp->kv == KV_2_6_32 || m->node_distance[m->ac_nid][zn->nid] > 30)
		return false;
	return vmscan_node_reclaim(m, (unsigned)zn->nid, gfp, order) >= 0 &&
	       buddy_zone_watermark_ok(m, zn, order, mark, classzone, af);
}

/* the end of 6.x zone_watermark_fast(): "Ignore watermark boosting for
 * __GFP_HIGH order-0 allocations when checking the min watermark. The min
 * watermark is the point where boosting is ignored so that kswapd is woken
 * up when below the low watermark": with ALLOC_MIN_RESERVE (6.1.192 as
 * 6.13; before 6.3 it read __GFP_ATOMIC) an order-0 request held to min
 * tries zone->_watermark[WMARK_MIN] once more */
static bool boost_ignored_ok(const struct machine *m, const struct zone *zn, unsigned order, int classzone,
			     unsigned af)
{
	return order == 0 && (af & AF_HIGH) && zn->watermark_boost && (af & AF_WMARK_MASK) == AF_WMARK_MIN &&
	       buddy_zone_watermark_ok(m, zn, 0, zone_raw_wmark(zn, WMARK_MIN), classzone, af);
}

/* a zone failed its watermark check: the numbers it was judged by, and
 * the free highatomic pages a request without reserve rights did not count */
static void __attribute__((noinline, cold)) log_zone_skip(struct machine *m, int z, unsigned order, int classzone,
							  unsigned af)
{
	const struct zone *zn = &m->zones[z];
	CH(m, .kind = CH_ZONE_SKIP, .zone = (uint8_t)z, .order = (uint8_t)order,
	   .wmark = (uint8_t)(af & AF_WMARK_MASK), .free = (int64_t)zn->free_pages,
	   .val = af & AF_RESERVES ? 0 : (uint64_t)highatomic_unusable(m, zn),
	   .need = (int64_t)(zn->wmark[af & AF_WMARK_MASK] + zn->lowmem_reserve[classzone]));
}

/* get_page_from_freelist(): walk the zonelist from the highest allowed
 * zone down, checking each zone's watermark. */
static uint64_t get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned order, int highest,
				       int classzone, int mt, unsigned af, int *zone_out)
{
	const bool pcp = pcp_enabled(m) && pcp_allowed_order(m, order);
	/* 2.6.32 include/linux/gfp.h: __GFP_COLD 0x100u (6.13 has none) */
	const bool cold = m->kp->kv == KV_2_6_32 && (gfp & 0x100u);
	for (int z = zonelist_first(m, highest); z >= 0; z = zonelist_after(m, z, highest)) {
		struct zone *zn = &m->zones[z];
		if (!zn->present)
			continue;
		/* 6.13: ZONE_BELOW_HIGH, for the pcp lists' high (nr_pcp_high()) */
		if (pcp && m->kp->kv == KV_6_13 && !pcp_below_high(m, z) &&
		    /* zone_watermark_fast(): order 0 above the mark needs no more
		     * (wmark_fast: not with a highatomic reserve to subtract) */
		    !(order == 0 && zn->free_pages > zn->wmark_fast[WMARK_HIGH] + zn->lowmem_reserve[classzone]) &&
		    !buddy_zone_watermark_ok(m, zn, order, zn->wmark[WMARK_HIGH], classzone, af))
			pcp_note_below_high(m, z);
		if (!(af & AF_NO_WATERMARKS)) {
			if (!watermark_ok(m, zn, order, zn->wmark_fast[af & AF_WMARK_MASK], classzone, af) &&
			    !boost_ignored_ok(m, zn, order, classzone, af) &&
			    !node_reclaim_ok(m, zn, gfp, order, zn->wmark[af & AF_WMARK_MASK], classzone, af)) {
				if (m->log.enabled)
					log_zone_skip(m, z, order, classzone, af);
				zonelist_next(m, z, highest);
				continue;
			}
		}
		/* rmqueue(): the current CPU's pcp list first (rmqueue_pcplist() /
		 * buffered_rmqueue()), then the buddy lists */
		uint64_t pfn = pcp ? pcp_rmqueue(m, z, order, mt, af, cold) : ~0ull;
		if (pfn == ~0ull)
			pfn = rmqueue_buddy(m, z, order, mt, af);
		if (pfn != ~0ull) {
			/* then, for ALLOC_HIGHATOMIC, reserve_highatomic_pageblock():
			 * get_page_from_freelist_slow() */
			*zone_out = z;
			return pfn;
		}
		CH(m, .kind = CH_ZONE_SKIP, .zone = (uint8_t)z, .order = (uint8_t)order, .wmark = 0xff,
		   .free = (int64_t)zn->free_pages, .need = 0);
		zonelist_next(m, z, highest);
	}
	return ~0ull;
}

/* get_page_from_freelist() with the slow path's alloc_flags: the kernel's
 * ends, after rmqueue() succeeded, with "If this is a high-order atomic
 * allocation then check if the pageblock should be reserved for the
 * future": reserve_highatomic_pageblock().  Only gfp_to_alloc_flags() sets
 * ALLOC_HIGHATOMIC, so the fast path's calls go without the test. */
static uint64_t get_page_from_freelist_slow(struct machine *m, gfp_t gfp, unsigned order, int highest,
					    int classzone, int mt, unsigned af, int *zone_out)
{
	uint64_t pfn = get_page_from_freelist(m, gfp, order, highest, classzone, mt, af, zone_out);
	if (pfn != ~0ull && (af & AF_HIGHATOMIC))
		reserve_highatomic_pageblock(m, *zone_out, pfn, order);
	return pfn;
}

/* warn_alloc() (6.13) / the nopage report of 2.6.32's slow path, with the
 * current task's name and the Mem-Info report (oom_kill.c: oom_show_mem,
 * 6.13 filtered to gfp_zone()) */
static void warn_alloc(struct machine *m, gfp_t gfp, unsigned order, int classzone)
{
	char names[256];
	gfp_format(m->kp, gfp, names, sizeof names);
	int pid;
	const char *comm = vmscan_current(m, &pid);
	/* 6.13 warn_alloc(): static DEFINE_RATELIMIT_STATE(nopage_rs, 10*HZ, 1);
	 * 2.6.32 nopage: printk_ratelimit() (printk_ratelimit_state: 5*HZ,
	 * burst 10, func __alloc_pages_slowpath) */
	if (m->kp->kv == KV_2_6_32 ? !machine_ratelimit(m, &m->nopage_rs, 5000000, 10, "__alloc_pages_slowpath")
				   : !machine_ratelimit(m, &m->nopage_rs, 10000000, 1, "warn_alloc"))
		return;
	if (m->kp->kv == KV_2_6_32) {
		/* 2.6.32 __alloc_pages_slowpath(): nopage */
		dmesg_printf(m, "%s: page allocation failure. order:%u, mode:0x%x", comm, order, gfp);
		dmesg_printf(m, "Pid: %d, comm: %.20s %s 2.6.32 #1", pid, comm, machine_print_tainted(m));
	} else {
		/* 6.13 warn_alloc() */
		char mems[16];
		dmesg_printf(m, "%s: page allocation failure: order:%u, mode:%#x(%s), "
			     "nodemask=(null),cpuset=/,mems_allowed=%s", comm, order, gfp, names,
			     machine_mems_allowed(m, mems, sizeof mems));
		machine_dump_stack_info_task(m, machine_this_cpu(m), pid, comm);
	}
	oom_show_mem(m, classzone);
}

/* the slow path's retries through vmscan_slowpath() */
struct slow_ctx {
	unsigned order;
	int highest, classzone, mt;
	gfp_t gfp;
	struct compact_retry cr;        /* the retry loop's compact_priority, result, retries */
};

static uint64_t slow_try(struct machine *m, void *ctx, unsigned af, int *zone)
{
	const struct slow_ctx *c = ctx;
	return get_page_from_freelist_slow(m, c->gfp, c->order, c->highest, c->classzone, c->mt, af, zone);
}

/* 6.13 __alloc_pages_direct_compact(): compact, then try the free lists
 * again; compact_stall counts runs that were not skipped, compact_success
 * and compact_fail whether the allocation then succeeded. */
static uint64_t direct_compact(struct machine *m, gfp_t gfp, unsigned order, unsigned af, int highest, int classzone,
			       int mt, enum compact_priority prio, enum compact_result *result, int *zone)
{
	if (order == 0)
		return ~0ull;
	*result = compaction_try_to_compact_pages(m, gfp, order, af, highest, classzone, prio, NULL);
	if (*result == COMPACT_SKIPPED)
		return ~0ull;
	m->compact_ev.stall++;
	uint64_t pfn = get_page_from_freelist_slow(m, gfp, order, highest, classzone, mt, af, zone);
	if (pfn != ~0ull)
		m->compact_ev.success++;
	else
		m->compact_ev.fail++;
	return pfn;
}

/* the retry loop's __alloc_pages_direct_compact() at compact_priority,
 * after direct reclaim (vmscan_slowpath()) */
static uint64_t slow_compact(struct machine *m, void *ctx, unsigned af, int *zone)
{
	struct slow_ctx *c = ctx;
	enum compact_result r = (enum compact_result)c->cr.result;
	uint64_t pfn = direct_compact(m, c->gfp, c->order, af, c->highest, c->classzone, c->mt,
				      (enum compact_priority)c->cr.prio, &r, zone);
	c->cr.result = (int)r;
	return pfn;
}

/* zone_statistics() (6.13 mm/page_alloc.c): a hit when the page comes from
 * the preferred zone's node, else a miss there and a foreign on the
 * preferred zone; local or other by the current CPU's node.  One count per
 * allocation, whatever its order (rmqueue()'s nr_account 1). */
static inline void zone_statistics(struct machine *m, int preferred, int z)
{
	struct zone *zn = &m->zones[z];
	if (zn->nid == m->zones[preferred].nid) {
		zn->numa_stat[NUMA_HIT]++;
	} else {
		zn->numa_stat[NUMA_MISS]++;
		m->zones[preferred].numa_stat[NUMA_FOREIGN]++;
	}
	zn->numa_stat[(unsigned)zn->nid == machine_numa_node_id(m) ? NUMA_LOCAL : NUMA_OTHER]++;
}

/* the zone modifiers of gfp, the index of m->zl_highest[] and its kin:
 * gfp_zone()'s `flags & GFP_ZONEMASK` (include/linux/gfp.h), the four low
 * bits in every modelled version (___GFP_DMA 0x01, ___GFP_HIGHMEM 0x02,
 * ___GFP_DMA32 0x04, ___GFP_MOVABLE 0x08: 6.13 include/linux/gfp_types.h,
 * 2.6.32 include/linux/gfp.h; test_gfp checks the profiles) */
#define GFP_ZONEMASK 0x0fu

static inline unsigned gfp_zone_bits(gfp_t gfp)
{
	return gfp & GFP_ZONEMASK;
}

/* a block taken from zone `zone`'s lists is allocated: its head page, the
 * zone's counters (rmqueue(): PGALLOC; zone_statistics()) */
static inline __attribute__((always_inline)) void alloc_done(struct machine *m, gfp_t gfp, unsigned order, int mt,
							     uint64_t pfn, int zone, int preferred)
{
	struct page *p = PG(m, pfn);
	p->flags = (uint8_t)((p->flags & ~(PG_buddy | PG_lru | PG_vmscan)) | PG_head |
			     ((gfp & m->kp->gfp_comp) ? PG_comp : 0));
	p->order = (uint8_t)order;
	p->mt = (uint8_t)mt;
	p->gfp = gfp;
	m->zones[zone].allocs++;
	m->pgalloc[zone] += 1ull << order;     /* rmqueue(): __count_zid_vm_events(PGALLOC, ...) */
	if (preferred >= 0)
		zone_statistics(m, preferred, zone);
	m->nr_alloc_blocks++;
	CH(m, .kind = CH_ALLOC, .zone = (uint8_t)zone, .pfn = pfn, .order = (uint8_t)order, .mt = (uint8_t)mt);
}

/*
 * The fast path of __alloc_pages() on a one-node machine, the case the
 * kernel optimises for too: get_page_from_freelist()'s first zone is the
 * preferred zone, it passes its low watermark, and the current CPU's pcp
 * list for the order and migratetype has a block (rmqueue_pcplist()).
 * It does what buddy_alloc_pages_node() below does in that state, step
 * for step (the same counters, flags and change-log entries); in any
 * other state it returns false having changed nothing, and the general
 * path runs.  (On one node ac_nid is node 0 and zonelist_first() is
 * `highest` itself; __GFP_THISNODE only matters past the first zone.)
 */
static inline __attribute__((always_inline)) bool alloc_fast(struct machine *m, gfp_t gfp, unsigned order,
							     uint64_t *pfn_out)
{
	const struct kernel_profile *kp = m->kp;
	if (m->nr_nodes != 1 || order > MAX_ORDER_MODEL || CONTEXT_MAYBE_ATOMIC(m) || !pcp_enabled(m) ||
	    !pcp_allowed_order(m, order))
		return false;
	unsigned bits = gfp_zone_bits(gfp);
	int z = m->zl_highest[bits];
	if (z < 0 || ((gfp & kp->gfp_movable) && (gfp & kp->gfp_reclaimable)) ||
	    (kp->kv == KV_2_6_32 && (gfp & 0x100u)) || !m->zones[z].present)
		return false;
	struct zone *zn = &m->zones[z];
	int classzone = m->zl_classzone[bits];
	unsigned af = AF_WMARK_LOW | (m->zl_nofragment[bits] ? AF_NOFRAGMENT : 0);
	/* the low watermark, against wmark_fast[]: while the zone holds a
	 * highatomic reserve it is out of reach, and the general path does
	 * the full check */
	if (!fast_watermark_ok(m, zn, order, zn->wmark_fast[WMARK_LOW], classzone, af))
		return false;
	int mt = m->mobility_disabled ? kp->mt_unmovable : gfp_migratetype(kp, gfp);
	/* get_page_from_freelist()'s ZONE_BELOW_HIGH test, as below: it
	 * only ever sets the flag, so its place before the list does not matter */
	if (kp->kv == KV_6_13 && !pcp_below_high(m, z) &&
	    !(order == 0 && zn->free_pages > zn->wmark_fast[WMARK_HIGH] + zn->lowmem_reserve[classzone]) &&
	    !buddy_zone_watermark_ok(m, zn, order, zn->wmark[WMARK_HIGH], classzone, af))
		pcp_note_below_high(m, z);
	uint64_t pfn = pcp_rmqueue_hot(m, z, order, mt);
	if (pfn == ~0ull)
		return false;
	m->err[0] = '\0';
	alloc_done(m, gfp, order, mt, pfn, z, z);
	*pfn_out = pfn;
	return true;
}

/* alloc_pages() under a memory policy: out of line, so that the common
 * case below needs no stack frame */
static __attribute__((noinline)) int alloc_pages_mpol(struct machine *m, gfp_t gfp, unsigned order,
						      uint64_t *pfn_out)
{
	return mempolicy_alloc_pages(m, gfp, order, MPOL_NO_INTERLEAVE_INDEX, pfn_out);
}

int buddy_alloc_pages(struct machine *m, gfp_t gfp, unsigned order, uint64_t *pfn_out)
{
	/* a slab _node call's node: alloc_slab_page() -> __alloc_pages_node() */
	if (m->node_arg >= 0 && m->node_arg < (int)m->nr_nodes)
		return buddy_alloc_pages_node(m, m->node_arg, gfp, order, pfn_out);
	/* alloc_pages(): the task's memory policy (mempolicy.c); without one
	 * alloc_pages_node(numa_node_id(), ...), with its one-node fast path */
	if (mempolicy_none(m, gfp))
		return buddy_alloc_pages_node(m, (int)machine_numa_node_id(m), gfp, order, pfn_out);
	return alloc_pages_mpol(m, gfp, order, pfn_out);
}

static int alloc_pages_node(struct machine *m, gfp_t gfp, unsigned order, uint64_t *pfn_out);

static __attribute__((noinline)) int alloc_pages_nid(struct machine *m, int nid, gfp_t gfp, unsigned order,
						    uint64_t *pfn_out);

int buddy_alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned order, uint64_t *pfn_out)
{
	if (nid < 1 && alloc_fast(m, gfp, order, pfn_out))
		return 0;
	return alloc_pages_nid(m, nid, gfp, order, pfn_out);
}

/* The __GFP_NOFAIL PF_MEMALLOC warning (WARN_ON_ONCE: once per boot).  6.13's
 * line is not checked: no 6.13 mm/page_alloc.c was found; 4215 is 4727 (the
 * checked line of __alloc_pages_noprof()'s WARN_ON_ONCE_GFP(order >
 * MAX_PAGE_ORDER)) less 512, the distance between the two in Debian's
 * 6.12.118 (4323 and 4835), whose slow path starts the same way. */
#define NOFAIL_MEMALLOC_AT_6_13 "mm/page_alloc.c:4215"
static void warn_nofail_memalloc(struct machine *m, const char *at)
{
	if (m->warned_nofail_memalloc)
		return;
	m->warned_nofail_memalloc = true;
	dmesg_printf(m, "------------[ cut here ]------------");
	dmesg_printf(m, "WARNING: CPU: %u PID: 1 at %s __alloc_pages_slowpath+0x0/0x0", machine_this_cpu(m), at);
	machine_dump_stack_info(m, machine_this_cpu(m));
	dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
	m->taint |= 1ul << TAINT_WARN;  /* __warn(): add_taint(TAINT_WARN) */
}

/* buddy_alloc_pages_node() in general: the node's context for
 * alloc_pages_node() */
static __attribute__((noinline)) int alloc_pages_nid(struct machine *m, int nid, gfp_t gfp, unsigned order,
						    uint64_t *pfn_out)
{
	if (nid >= (int)m->nr_nodes) {
		m->err[0] = '\0';
		model_err(m, "node %d does not exist (this machine has %u)", nid, m->nr_nodes);
		return -EINVAL;
	}
	/* NUMA_NO_NODE: the node a slab _node call passes down, else
	 * numa_mem_id(), the current CPU's node */
	if (nid < 0 && m->node_arg >= 0 && m->node_arg < (int)m->nr_nodes)
		nid = m->node_arg;
	return buddy_alloc_pages_nodemask(m, nid < 0 ? (int)machine_numa_node_id(m) : nid, 0, gfp, order, pfn_out);
}

int buddy_alloc_pages_nodemask(struct machine *m, int nid, unsigned nodemask, gfp_t gfp, unsigned order,
			       uint64_t *pfn_out)
{
	/* an allocation inside one (the slow path's reclaim, say) keeps the
	 * outer one's context intact */
	int saved_nid = m->ac_nid;
	gfp_t saved_gfp = m->ac_gfp;
	unsigned saved_mask = m->ac_nodemask;
	m->ac_nid = nid;
	m->ac_nodemask = nodemask;
	m->ac_gfp = gfp;
	int r = alloc_pages_node(m, gfp, order, pfn_out);
	m->ac_nid = saved_nid;
	m->ac_gfp = saved_gfp;
	m->ac_nodemask = saved_mask;
	return r;
}

int buddy_gfp_zone(const struct machine *m, gfp_t gfp)
{
	unsigned bits = gfp_zone_bits(gfp);
	return m->zl_highest[bits] < 0 ? -1 : m->zl_highest[bits];
}

/* __alloc_pages() with the preferred node and nodemask in m->ac_nid and
 * m->ac_nodemask, its gfp in m->ac_gfp */
static int alloc_pages_node(struct machine *m, gfp_t gfp, unsigned order, uint64_t *pfn_out)
{
	const struct kernel_profile *kp = m->kp;
	bool old = kp->kv == KV_2_6_32;

	m->err[0] = '\0';
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_alloc(m, gfp, true);
	if (order > MAX_ORDER_MODEL) {
		/* 6.13: WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp) in
		 * __alloc_pages_noprof(), mm/page_alloc.c:4727 as syzbot prints
		 * it on 6.13.0-rc2-00159-gf932fb9b4074 ("WARNING: ... at
		 * mm/page_alloc.c:4727 __alloc_pages_noprof") and a 6.13.0-rc1
		 * riscv report; 6.12.118's copy of the function has the same
		 * body.  2.6.32: WARN_ON_ONCE(!(gfp & __GFP_NOWARN)) in
		 * __alloc_pages_slowpath(); its line 1795 is not checked (no
		 * v2.6.32 mm/page_alloc.c was found) */
		if (!(gfp & kp->gfp_nowarn) && !m->warned_order_once) {
			m->warned_order_once = true;
			dmesg_printf(m, "------------[ cut here ]------------");
			if (old)
				dmesg_printf(m, "WARNING: at mm/page_alloc.c:1795 __alloc_pages_nodemask()");
			else
				dmesg_printf(m, "WARNING: CPU: %u PID: 1 at mm/page_alloc.c:4727 __alloc_pages_noprof",
					     machine_this_cpu(m));
			dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
			m->taint |= 1ul << TAINT_WARN;  /* __warn(): add_taint(TAINT_WARN) */
		}
		model_err(m, "order %u is above MAX_ORDER %d: the kernel warns and returns NULL",
			 order, MAX_ORDER_MODEL);
		return -EINVAL;
	}
	unsigned bits = gfp_zone_bits(gfp);
	int highest = m->zl_highest[bits];
	if (highest == -2) {
		model_err(m,
			 "invalid combination of zone modifiers (GFP_ZONE_BAD): gfp_zone() would BUG");
		return -EINVAL;
	}
	if ((gfp & kp->gfp_movable) && (gfp & kp->gfp_reclaimable)) {
		model_err(m,
			 "__GFP_MOVABLE and __GFP_RECLAIMABLE together name no migratetype "
			 "(the kernel warns in gfp_migratetype())");
		return -EINVAL;
	}
	if (highest < 0) {
		model_err(m, "no zone for these flags on this machine");
		return -EINVAL;
	}
	int classzone = m->zl_classzone[bits];
	/* allocflags_to_migratetype() / gfp_migratetype(): with mobility
	 * grouping off everything is Unmovable */
	int mt = m->mobility_disabled ? kp->mt_unmovable : gfp_migratetype(kp, gfp);
	int zone = -1;
	uint64_t pfn;

	/* fast path: the low watermark; alloc_flags_nofragment() when the
	 * preferred zone is Normal with DMA32 below it (6.13) */
	bool nofragment = m->zl_nofragment[bits];
	int preferred = zonelist_first(m, highest);
	while (preferred >= 0 && !m->zones[preferred].present)
		preferred = zonelist_after(m, preferred, highest);
	if (m->nr_nodes > 1 && preferred < 0) {
		/* __alloc_pages_slowpath(): first_zones_zonelist() finds no zone
		 * (__GFP_THISNODE on a node without one of these types): nopage */
		model_err(m, "node %d's zonelist has no populated zone for these flags", m->ac_nid);
		if (!(gfp & kp->gfp_nowarn))
			warn_alloc(m, gfp, order, zonelist_first(m, highest));
		return -ENOMEM;
	}
	if (m->nr_nodes > 1) {
		/* alloc_flags_nofragment(): the preferred zone is Normal and, with
		 * more than one node, the DMA32 zone below it is populated */
		const struct zone *pz = preferred >= 0 ? &m->zones[preferred] : NULL;
		nofragment = pz && pz->kind == ZK_NORMAL && preferred > 0 &&
			     m->zones[preferred - 1].kind == ZK_DMA32 && m->zones[preferred - 1].present;
	}
	unsigned af = AF_WMARK_LOW | (nofragment ? AF_NOFRAGMENT : 0);
	pfn = get_page_from_freelist(m, gfp, order, highest, classzone, mt, af, &zone);
	if (pfn == ~0ull && (af & AF_NOFRAGMENT))
		pfn = get_page_from_freelist(m, gfp, order, highest, classzone, mt, af & ~AF_NOFRAGMENT, &zone);

	if (pfn == ~0ull) {
		/* 6.13 __alloc_pages_slowpath() starts with "if
		 * (unlikely(nofail))": WARN_ON_ONCE(current->flags &
		 * PF_MEMALLOC) ("PF_MEMALLOC request from this context is
		 * rather bizarre"), a plain WARN_ON_ONCE (__GFP_NOWARN does not
		 * hide it) */
		if (kp->kv == KV_6_13 && m->ctx.pf_memalloc && vmscan_gfp_nofail(m, gfp) &&
		    (!m->vm || m->vm->current < 0))
			warn_nofail_memalloc(m, NOFAIL_MEMALLOC_AT_6_13);
		/* slow path: gfp_to_alloc_flags() */
		bool can_block = gfp_allow_blocking(kp, gfp);
		af = AF_WMARK_MIN;
		if (gfp & kp->gfp_high)
			af |= AF_HIGH;
		if (old) {
			if (!can_block)
				af |= AF_HARDER;
		} else if (!can_block && !(gfp & kp->gfp_nomemalloc)) {
			af |= AF_HARDER;
			/* 6.1.192: only with ALLOC_MIN_RESERVE (__GFP_HIGH) */
			if (order > 0 && (kp->kv != KV_6_1 || (gfp & kp->gfp_high)))
				af |= AF_HIGHATOMIC;
		}
		CH(m, .kind = CH_SLOWPATH, .order = (uint8_t)order, .mt = (uint8_t)af);
		/* wake_all_kswapds(): 6.13 for __GFP_KSWAPD_RECLAIM, 2.6.32 always */
		if (old || (gfp & kp->gfp_kswapd))
			vmscan_wakeup_kswapd(m, gfp, order, classzone);
		pfn = get_page_from_freelist_slow(m, gfp, order, highest, classzone, mt, af, &zone);
		/* __gfp_pfmemalloc_flags() (2.6.32: gfp_to_alloc_flags()):
		 * ALLOC_NO_WATERMARKS for __GFP_MEMALLOC or a PF_MEMALLOC task,
		 * never with __GFP_NOMEMALLOC */
		bool shell = !m->vm || m->vm->current < 0;     /* PF_MEMALLOC is the shell task's flag */
		bool pfmemalloc = !(gfp & kp->gfp_nomemalloc) &&
				  ((kp->gfp_memalloc && (gfp & kp->gfp_memalloc)) ||
				   (shell && context_pf_memalloc_reserves(m)));
		if (pfn == ~0ull && m->ac_nodemask && (pfmemalloc || (!can_block && (gfp & kp->gfp_high)))) {
			/* 6.13 __alloc_pages_slowpath() at retry: "Reset the nodemask
			 * and zonelist iterators if memory policies can be ignored":
			 * gfp_to_alloc_flags() drops ALLOC_CPUSET for a non-blocking
			 * __GFP_HIGH (ALLOC_MIN_RESERVE) request, and reserve_flags
			 * for __GFP_MEMALLOC; ac->nodemask = NULL, the preferred zone
			 * found again, and get_page_from_freelist() once more */
			m->ac_nodemask = 0;
			preferred = zonelist_first(m, highest);
			while (preferred >= 0 && !m->zones[preferred].present)
				preferred = zonelist_after(m, preferred, highest);
			if (!pfmemalloc)
				pfn = get_page_from_freelist_slow(m, gfp, order, highest, classzone, mt, af, &zone);
		}
		/* 6.13 __alloc_pages_slowpath(): costly orders, and high orders
		 * that are not Movable, try direct compaction (async) before
		 * reclaim */
		bool costly = order > 3;        /* PAGE_ALLOC_COSTLY_ORDER */
		bool noretry = (gfp & 0x10000u) != 0;   /* __GFP_NORETRY (6.13) */
		enum compact_result cres = COMPACT_SKIPPED;
		enum compact_priority prio = COMPACT_PRIO_SYNC_LIGHT;  /* DEFAULT_COMPACT_PRIORITY */
		bool nopage = false;
		if (pfn == ~0ull && !old && can_block && (costly || (order > 0 && mt != kp->mt_movable)) && !pfmemalloc) {
			pfn = direct_compact(m, gfp, order, af, highest, classzone, mt, COMPACT_PRIO_ASYNC, &cres, &zone);
			if (pfn == ~0ull && costly && noretry) {
				if (cres == COMPACT_SKIPPED || cres == COMPACT_DEFERRED)
					nopage = true;
				prio = COMPACT_PRIO_ASYNC;
			}
		}
		if (pfn == ~0ull && !nopage && pfmemalloc) {
			/* "if (reserve_flags) alloc_flags = ... reserve_flags": once
			 * more with no watermark at all */
			CH(m, .kind = CH_SLOWPATH, .order = (uint8_t)order, .mt = (uint8_t)AF_NO_WATERMARKS);
			pfn = get_page_from_freelist(m, gfp, order, highest, classzone, mt, AF_NO_WATERMARKS, &zone);
		}
		/* "Avoid recursion of direct reclaim": a PF_MEMALLOC task that
		 * found nothing, reserves included, goes to nopage and fails */
		bool recursion = pfn == ~0ull && !nopage && can_block && shell && m->ctx.pf_memalloc;
		if (recursion && vmscan_gfp_nofail(m, gfp) && (!old || pfmemalloc)) {
			/* ... unless __GFP_NOFAIL: 6.1 nopage warns,
			 * WARN_ON_ONCE_GFP(current->flags & PF_MEMALLOC, gfp_mask)
			 * (mm/page_alloc.c:5375 in Debian's 6.1.192; 6.13 warned at
			 * the slow path's entry, above), tries
			 * __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE) and goes
			 * back to retry, for ever: no warn_alloc().  2.6.32: the
			 * PF_MEMALLOC task's ALLOC_NO_WATERMARKS try (above) is
			 * __alloc_pages_high_priority(), which loops for ever with
			 * __GFP_NOFAIL (with __GFP_NOMEMALLOC it has none: nopage) */
			if (kp->kv == KV_6_1 && !(gfp & kp->gfp_nowarn))
				warn_nofail_memalloc(m, "mm/page_alloc.c:5375");
			struct slow_ctx c = { order, highest, classzone, mt, gfp, { (int)cres, (int)prio, 0 } };
			pfn = vmscan_nofail_loop(m, old ? NULL : slow_try, &c, &zone);
			if (pfn == ~0ull) {
				m->zones[zonelist_first(m, highest)].fails++;
				return -ENOMEM;
			}
			recursion = false;
		}
		if (pfn == ~0ull && !nopage && can_block && !recursion) {
			/* direct reclaim, then direct compaction at compact_priority
			 * (6.13), the retry rules, the OOM killer (slowpath.c) */
			context_would_schedule(m);
			struct slow_ctx c = { order, highest, classzone, mt, gfp, { (int)cres, (int)prio, 0 } };
			pfn = vmscan_slowpath(m, gfp, order, classzone, af, slow_try, old ? NULL : slow_compact, &c,
					      old ? NULL : &c.cr, &zone);
		}
		if (pfn == ~0ull) {
			m->zones[zonelist_first(m, highest)].fails++;
			if (!can_block)
				model_err(m,
					 "no zone has a free block of order %u above its reserve-adjusted "
					 "min watermark, and the caller may not sleep", order);
			else if (recursion && pfmemalloc)
				model_err(m, "no zone has a free block of order %u, even below the min watermark, "
					 "and a PF_MEMALLOC task does not enter direct reclaim (it would recurse)", order);
			else if (recursion)
				model_err(m, "no zone has a free block of order %u above its min watermark "
					 "(__GFP_NOMEMALLOC), and a PF_MEMALLOC task does not enter direct reclaim "
					 "(it would recurse)", order);
			if (!(gfp & kp->gfp_nowarn) && (!can_block || recursion || vmscan_nopage_warns(m)))
				warn_alloc(m, gfp, order, classzone);
			return -ENOMEM;
		}
	}
	alloc_done(m, gfp, order, mt, pfn, zone, preferred);
	*pfn_out = pfn;
	return 0;
}

/*
 * Take the block of 2^order pages at pfn out of the free lists, wherever
 * the allocator would have looked: the free block holding it is split
 * down around it (the halves that do not hold it go back to the heads of
 * their lists, as expand() puts them).  For replaying a trace with its
 * real physical layout; no watermark or fallback decides anything.
 */
int buddy_alloc_pages_at(struct machine *m, gfp_t gfp, uint64_t pfn, unsigned order)
{
	const struct kernel_profile *kp = m->kp;
	m->err[0] = '\0';
	if (order > MAX_ORDER_MODEL) {
		model_err(m, "order %u is above MAX_ORDER %d", order, MAX_ORDER_MODEL);
		return -EINVAL;
	}
	if (pfn & ((1ull << order) - 1)) {
		model_err(m, "pfn %#llx is not aligned to order %u", (unsigned long long)pfn, order);
		return -EINVAL;
	}
	if (pfn < m->min_pfn || pfn + (1ull << order) > m->max_pfn) {
		model_err(m, "pfn %#llx is outside this machine's memory", (unsigned long long)pfn);
		return -ERANGE;
	}
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	if (pi.zone >= 0 && pcp_zone_pages(m, pi.zone) &&
	    (pi.pcp_cpu || (pi.state == PS_FREE && pi.order < order))) {
		/* the block sits on a pcp list (or a piece of it does): the
		 * pages go back to the buddy lists first, drain_all_pages(zone) */
		pcp_drain_zone(m, pi.zone);
		buddy_page_info(m, pfn, &pi);
	}
	if (pi.state != PS_FREE || pi.order < order || pi.zone < 0) {
		if (pi.state == PS_FREE)
			model_err(m, "pfn %#llx: only an order-%u block is free there",
				 (unsigned long long)pfn, pi.order);
		else
			describe_block(m, pfn, m->err, sizeof m->err);
		return -EBUSY;
	}
	if (!m->chunk[pfn >> CHUNK_SHIFT] && !buddy_materialize(m, pfn >> CHUNK_SHIFT)) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	int z = pi.zone;
	uint64_t block = pi.block_pfn;
	unsigned bo = pi.order;
	struct page *bp = PG(m, block);
	int list_mt = bp->mt;
	del_free_page(m, z, bp);
	CH(m, .kind = CH_TAKE, .zone = (uint8_t)z, .pfn = block, .order = (uint8_t)bo, .mt = (uint8_t)list_mt);
	while (bo > order) {
		bo--;
		uint64_t upper = block + (1ull << bo);
		uint64_t other = pfn >= upper ? block : upper;
		if (pfn >= upper)
			block = upper;
		add_free(m, z, other, bo, list_mt, false);
		CH(m, .kind = CH_SPLIT, .zone = (uint8_t)z, .pfn = block, .pfn2 = other, .order = (uint8_t)(bo + 1),
		   .order2 = (uint8_t)bo, .mt = (uint8_t)list_mt);
	}
	int mt = m->mobility_disabled ? kp->mt_unmovable : gfp_migratetype(kp, gfp);
	struct page *p = PG(m, pfn);
	p->flags = (uint8_t)((p->flags & ~(PG_buddy | PG_lru | PG_vmscan)) | PG_head | ((gfp & kp->gfp_comp) ? PG_comp : 0));
	p->order = (uint8_t)order;
	p->mt = (uint8_t)mt;
	p->gfp = gfp;
	m->zones[z].allocs++;
	m->pgalloc[z] += 1ull << order;
	m->nr_alloc_blocks++;
	CH(m, .kind = CH_ALLOC, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .mt = (uint8_t)mt);
	return 0;
}

/* ---- freeing --------------------------------------------------------------- */

/* __free_one_page() */
static void free_one_page(struct machine *m, int z, uint64_t pfn, unsigned order, int mt)
{
	/* invariants in locals: stores through page pointers would otherwise
	 * make the compiler reload them every iteration */
	const bool old = m->kp->kv == KV_2_6_32;
	const unsigned pb_order = m->pageblock_order;
	const int nr_pcp = m->kp->nr_pcptypes;
	const bool logging = m->log.enabled;
	struct zone *zn = &m->zones[z];
	struct free_area *fa = zn->free_area;
	/* buddies below MAX_ORDER lie in the same chunk */
	struct page *base = m->chunk[pfn >> CHUNK_SHIFT] - (pfn & ~(uint64_t)(CHUNK_PAGES - 1));

	zn->free_pages += 1ull << order;
	free_area_changed(m, zn);
	/* 6.13 checks pageblock types when merging at pageblock_order and up */
	const unsigned check_from = old ? MAX_ORDER_MODEL : pb_order;
	/* page_is_buddy(): PageBuddy, same order, same zone — compared as one
	 * word of the descriptor's flags/order/mt/zone bytes */
	const uint32_t mk = page_word(PG_buddy, 0xff, 0, 0xff);
	/* below pageblock_order: plain merging (a tight loop) */
	{
		struct free_area *a = &fa[order];
		uint32_t want = page_word(PG_buddy, order, 0, (unsigned)z);
		if (__builtin_expect(logging, 0)) {
			while (order < check_from) {
				uint64_t buddy = pfn ^ (1ull << order);
				struct page *bp = base + buddy;
				uint32_t w;
				memcpy(&w, &bp->flags, sizeof w);
				if ((w & mk) != want)
					goto done;
				/* del_page_from_free_list(buddy) */
				unsigned bmt = bp->mt;
				unlink_page(m, &a->list[bmt], bp);
				a->nr_mt[bmt]--;
				a->nr_free--;
				bp->flags = 0;
				log_change(m, CH_MERGE, z, pfn, buddy, order, order + 1, mt, false);
				pfn &= buddy;
				order++;
				a++;
				want += 1u << 8;
			}
		} else {
			/* the same loop without the log (the branch out of it) */
			while (order < check_from) {
				uint64_t buddy = pfn ^ (1ull << order);
				struct page *bp = base + buddy;
				uint32_t w;
				memcpy(&w, &bp->flags, sizeof w);
				if ((w & mk) != want)
					goto done;
				/* del_page_from_free_list(buddy) */
				unsigned bmt = bp->mt;
				unlink_page(m, &a->list[bmt], bp);
				a->nr_mt[bmt]--;
				a->nr_free--;
				bp->flags = 0;
				pfn &= buddy;
				order++;
				a++;
				want += 1u << 8;
			}
		}
	}
	/* pageblock_order and up: migratetypes must be mergeable */
	while (order < MAX_ORDER_MODEL) {
		uint64_t buddy = pfn ^ (1ull << order);
		struct page *bp = base + buddy;
		uint32_t w;
		memcpy(&w, &bp->flags, sizeof w);
		if ((w & mk) != page_word(PG_buddy, order, 0, (unsigned)z))
			break;
		int list_mt = bp->mt;
		int buddy_mt = get_pageblock_mt(m, buddy);
		bool mergeable = mt < nr_pcp && buddy_mt < nr_pcp;
		if (mt != buddy_mt && !mergeable)
			break;
		unlink_page(m, &fa[order].list[list_mt], bp);
		fa[order].nr_mt[list_mt]--;
		fa[order].nr_free--;
		bp->flags = 0;
		if (buddy_mt != mt)
			set_pageblock_mt(m, buddy, mt);   /* match the buddy's pageblock to ours */
		if (__builtin_expect(logging, 0))
			log_change(m, CH_MERGE, z, pfn, buddy, order, order + 1, mt, false);
		pfn &= buddy;
		order++;
	}
done:;
	bool tail = false;
	if (!old && order < MAX_ORDER_MODEL - 1) {
		/* buddy_merge_likely(): is the buddy of our parent free? */
		uint64_t higher = (pfn ^ (1ull << order)) & pfn;
		uint64_t hb = higher ^ (1ull << (order + 1));
		const struct page *hp = base + hb;
		tail = (hp->flags & PG_buddy) && hp->order == order + 1 && hp->zone == z;
	}
	struct page *p = base + pfn;
	p->flags = PG_buddy;
	p->order = (uint8_t)order;
	p->mt = (uint8_t)mt;
	link_page(m, &fa[order].list[mt], (uint32_t)pfn, p, tail);
	fa[order].nr_mt[mt]++;
	fa[order].nr_free++;
	if (__builtin_expect(logging, 0))
		log_change(m, CH_PUT, z, pfn, 0, order, 0, mt, tail);
}

static void describe_block(const struct machine *m, uint64_t pfn, char *buf, size_t len)
{
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	switch (pi.state) {
	case PS_NONE:
		snprintf(buf, len, _("pfn %#llx is beyond the end of memory (max_pfn %#llx)"),
			 (unsigned long long)pfn, (unsigned long long)m->max_pfn);
		break;
	case PS_HOLE:
		snprintf(buf, len, _("pfn %#llx is not RAM"), (unsigned long long)pfn);
		break;
	case PS_RESERVED:
		snprintf(buf, len, _("pfn %#llx is reserved at boot and was never allocated"), (unsigned long long)pfn);
		break;
	case PS_FREE:
		snprintf(buf, len, _("pfn %#llx is already free (in the free order-%u block at pfn %#llx): double free?"),
			 (unsigned long long)pfn, pi.order, (unsigned long long)pi.block_pfn);
		break;
	case PS_ALLOCATED:
		snprintf(buf, len, _("pfn %#llx is inside the order-%u block allocated at pfn %#llx, not its start"),
			 (unsigned long long)pfn, pi.order, (unsigned long long)pi.block_pfn);
		break;
	}
}

/* buddy_free_pages() of something that is not an allocated block of that
 * order: the error, and what the kernel would do (bad_page()) */
static __attribute__((noinline)) int free_refused(struct machine *m, uint64_t pfn, unsigned order)
{
	if (order > MAX_ORDER_MODEL) {
		model_err(m, "order %u is above MAX_ORDER %d", order, MAX_ORDER_MODEL);
		return -EINVAL;
	}
	struct page *p = pfn < m->max_pfn && m->chunk[pfn >> CHUNK_SHIFT] ? PG(m, pfn) : NULL;
	if (!p || !(p->flags & PG_head)) {
		/* not an allocated block head: say what it is instead */
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state == PS_RESERVED) {
			/* A reserved page holds a reference: freeing it reaches
			 * free_pages_prepare() (6.13) / free_pages_check() (2.6.32),
			 * whose bad_page() reports it and does not free it. */
			dmesg_printf(m, "BUG: Bad page state in process kmemsh  pfn:%05llx", (unsigned long long)pfn);
			if (m->kp->kv != KV_2_6_32)
				dmesg_printf(m, "page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
			dmesg_printf(m, "Disabling lock debugging due to kernel taint");
		}
		describe_block(m, pfn, m->err, sizeof m->err);
		return -EINVAL;
	}
	if (p->flags & PG_vmscan) {
		/* page cache or a task's anon page: reclaim, drop_caches or exit frees it */
		model_err(m, "pfn %#llx is on an LRU list (page cache or a task's memory); "
			 "drop_caches, reclaim or exit frees it", (unsigned long long)pfn);
		return -EBUSY;
	}
	if (p->order != order) {
		model_err(m,
			 "the block at pfn %#llx was allocated with order %u, not %u "
			 "(the kernel would free the wrong number of pages)",
			 (unsigned long long)pfn, p->order, order);
		return -EINVAL;
	}
	return -EINVAL;   /* not reached: the caller found something wrong */
}

/* __free_pages() of an order the pcp lists do not take (or with them off):
 * straight to the buddy lists */
static __attribute__((noinline)) void free_to_buddy(struct machine *m, int z, uint64_t pfn, unsigned order)
{
	if (m->kp->kv == KV_2_6_32) {
		free_one_page(m, z, pfn, order, get_pageblock_mt(m, pfn));
		return;
	}
	/* 6.13 split_large_buddy(): pageblock-sized pieces, each with its
	 * pageblock's migratetype */
	unsigned piece = order > m->pageblock_order ? m->pageblock_order : order;
	uint64_t end = pfn + (1ull << order);
	for (uint64_t q = pfn; q < end; q += 1ull << piece)
		free_one_page(m, z, q, piece, get_pageblock_mt(m, q));
}

int buddy_free_pages(struct machine *m, uint64_t pfn, unsigned order)
{
	m->err[0] = '\0';
	struct page *p = order <= MAX_ORDER_MODEL && pfn < m->max_pfn && m->chunk[pfn >> CHUNK_SHIFT] ? PG(m, pfn) : NULL;
	if (!p || (p->flags & (PG_head | PG_vmscan)) != PG_head || p->order != order)
		return free_refused(m, pfn, order);
	int z = p->zone;
	memstore_free_pages(m, pfn, order);
	p->flags &= (uint8_t)~(PG_head | PG_comp | PG_lru | PG_vmscan);
	m->zones[z].frees++;
	m->nr_alloc_blocks--;
	CH(m, .kind = CH_FREE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .mt = p->mt);
	/* 6.13 free_unref_page() / 2.6.32 free_hot_page(): the orders the
	 * pcp lists hold go to the current CPU's list */
	if (!pcp_free(m, z, pfn, p, order, false))
		free_to_buddy(m, z, pfn, order);
	return 0;
}

/* ---- the per-CPU lists' hands on the free lists (pcp.c) ------------------- */

uint64_t buddy_rmqueue_locked(struct machine *m, int z, unsigned order, int mt, unsigned alloc_flags)
{
	return rmqueue(m, z, order, mt, alloc_flags);
}

void buddy_free_one_locked(struct machine *m, int z, uint64_t pfn, unsigned order, int mt)
{
	free_one_page(m, z, pfn, order, mt);
}

/* ---- compaction's hands on the free lists (compaction.c) ------------------- */

int buddy_find_suitable_fallback(const struct machine *m, int z, unsigned order, int mt, bool only_stealable)
{
	bool can_steal;
	if (m->kp->kv == KV_2_6_32)
		return -1;
	return find_suitable_fallback_13(m, z, order, mt, only_stealable, &can_steal);
}

void buddy_set_page_lru(struct machine *m, uint64_t pfn)
{
	struct page *p = page_touched(m, pfn);
	if (!p || !(p->flags & PG_head) || p->mt != m->kp->mt_movable || m->mobility_disabled)
		return;
	/* only a folio can be on an LRU list: a single page or a compound one */
	if (p->order && !(p->flags & PG_comp))
		return;
	p->flags |= PG_lru;
}

/* 6.13 __isolate_free_page() */
unsigned buddy_isolate_free_page(struct machine *m, uint64_t pfn)
{
	struct page *p = page_touched(m, pfn);
	if (!p || !(p->flags & PG_buddy))
		return 0;
	unsigned order = p->order;
	int z = p->zone;
	struct zone *zn = &m->zones[z];
	/* obey the watermarks as if the page were being allocated: a raised
	 * order-0 min watermark (ALLOC_CMA), the unboosted one
	 * (zone->_watermark[WMARK_MIN]) */
	if (!buddy_zone_watermark_ok(m, zn, 0, zone_raw_wmark(zn, WMARK_MIN) + (1ull << order), 0, AF_WMARK_MIN))
		return 0;
	del_free_page(m, z, p);
	/* a block of at least half a pageblock makes its pageblock(s) Movable */
	if (order + 1 >= m->pageblock_order) {
		uint64_t end = pfn + (1ull << order) - 1;
		for (uint64_t q = pfn; q < end; q += 1ull << m->pageblock_order) {
			int mt = get_pageblock_mt(m, q);
			if (mt == m->kp->mt_movable || mt == m->kp->mt_unmovable || mt == m->kp->mt_reclaimable) {
				uint64_t start = q & ~((1ull << m->pageblock_order) - 1);
				if (mt != m->kp->mt_movable && start >= zn->start_pfn &&
				    start + (1ull << m->pageblock_order) <= zn->start_pfn + zn->spanned)
					move_freepages_block_13(m, z, start, mt, m->kp->mt_movable);
			}
		}
	}
	return 1u << order;
}

/* __free_pages() of a block compaction isolated: no allocation to count */
void buddy_free_isolated(struct machine *m, uint64_t pfn, unsigned order)
{
	struct page *p = PG(m, pfn);
	int z = p->zone;
	unsigned piece = order > m->pageblock_order ? m->pageblock_order : order;
	for (uint64_t q = pfn; q < pfn + (1ull << order); q += 1ull << piece)
		free_one_page(m, z, q, piece, get_pageblock_mt(m, q));
}

/*
 * make_alloc_exact() (mm/page_alloc.c, alloc_pages_exact()): the allocated
 * block at pfn is split_page()d and the pages past the first `keep` are
 * freed one by one (6.13 __free_pages_ok(page, 0, FPI_TO_TAIL); 6.1
 * free_page()), merging back into blocks.  The model keeps allocated
 * blocks whole, so the kept pages become the aligned power-of-two blocks
 * that cover them, each a head of its own; the frees count as the one
 * free of the tail they are.  0, or -EINVAL when pfn is no block head or
 * keep is not below its size.
 */
int buddy_alloc_exact_trim(struct machine *m, uint64_t pfn, uint64_t keep)
{
	struct page *p = pfn < m->max_pfn && m->chunk[pfn >> CHUNK_SHIFT] ? PG(m, pfn) : NULL;
	if (!p || !(p->flags & PG_head) || !keep || keep >= 1ull << p->order)
		return -EINVAL;
	unsigned order = p->order;
	int z = p->zone;
	uint64_t at = pfn;
	for (int o = (int)order - 1; o >= 0; o--)
		if (keep & (1ull << o)) {
			struct page *q = PG(m, at);
			if (at != pfn) {
				q->flags = (uint8_t)((q->flags & ~(PG_buddy | PG_lru | PG_vmscan)) | PG_head |
						     (p->flags & PG_comp));
				q->mt = p->mt;
				q->gfp = p->gfp;
				m->nr_alloc_blocks++;
			}
			q->order = (uint8_t)o;
			at += 1ull << o;
		}
	uint64_t end = pfn + (1ull << order);
	m->zones[z].frees++;
	for (uint64_t q = at; q < end; q++) {
		memstore_free_pages(m, q, 0);
		CH(m, .kind = CH_FREE, .zone = (uint8_t)z, .pfn = q, .order = 0, .mt = p->mt);
		free_one_page(m, z, q, 0, get_pageblock_mt(m, q));
	}
	return 0;
}

/* split_page() (mm/page_alloc.c): a non-compound allocated block of order
 * > 0 becomes 1 << order allocated order-0 pages, each freed on its own
 * later (huge vmalloc's vm_area_alloc_pages()).  0, or -EINVAL when pfn is
 * no head of such a block. */
int buddy_split_page(struct machine *m, uint64_t pfn)
{
	struct page *p = pfn < m->max_pfn && m->chunk[pfn >> CHUNK_SHIFT] ? PG(m, pfn) : NULL;
	if (!p || !(p->flags & PG_head) || (p->flags & PG_comp) || !p->order)
		return -EINVAL;
	uint64_t end = pfn + (1ull << p->order);
	for (uint64_t q = pfn + 1; q < end; q++) {
		struct page *t = PG(m, q);
		t->flags = (uint8_t)((t->flags & ~(PG_buddy | PG_lru | PG_vmscan)) | PG_head);
		t->order = 0;
		t->mt = p->mt;
		t->gfp = p->gfp;
		m->nr_alloc_blocks++;
	}
	p->order = 0;
	return 0;
}

/* migrate_folio(): the allocated block at src becomes the block at dst (an
 * isolated free block of the same order), bytes and all; src is freed. */
int buddy_migrate_block(struct machine *m, uint64_t src, uint64_t dst)
{
	struct page *sp = PG(m, src), *dp = PG(m, dst);
	unsigned order = sp->order;
	if (memstore_migrate(m, src, dst, order))
		return -ENOMEM;
	dp->flags = (uint8_t)((dp->flags & ~PG_buddy) | (sp->flags & (PG_head | PG_comp | PG_lru)));
	dp->order = sp->order;
	dp->mt = sp->mt;
	dp->gfp = sp->gfp;
	sp->flags &= (uint8_t)~(PG_head | PG_comp | PG_lru);
	sp->gfp = 0;
	buddy_free_isolated(m, src, order);
	return 0;
}

/* ---- inspection ----------------------------------------------------------- */

void buddy_page_info(const struct machine *m, uint64_t pfn, struct page_info *pi)
{
	memset(pi, 0, sizeof *pi);
	pi->pfn = pfn;
	pi->zone = -1;
	if (pfn >= m->max_pfn) {
		pi->state = PS_NONE;
		return;
	}
	pi->zone = machine_pfn_zone(m, pfn);
	pi->pageblock_mt = get_pageblock_mt(m, pfn);
	uint64_t c = pfn >> CHUNK_SHIFT;
	if (!m->chunk[c]) {
		if (!memmap_pfn_is_ram(&m->memmap, pfn)) {
			pi->state = PS_HOLE;
		} else if (memmap_pfn_is_reserved(&m->memmap, pfn)) {
			pi->state = PS_RESERVED;
		} else {
			pi->state = PS_FREE;
			pi->block_pfn = c << CHUNK_SHIFT;
			pi->order = MAX_ORDER_MODEL;
			pi->mt = get_pageblock_mt(m, pi->block_pfn);
			pi->virgin = 1;
			/* find the segment's list type */
			for (uint32_t i = 0; i < m->nr_seg; i++) {
				const struct segment *s = &m->seg[i];
				if (s->count && c >= s->first_chunk && c < s->first_chunk + s->count)
					pi->mt = s->mt;
			}
		}
		return;
	}
	const struct page *p = PG(m, pfn);
	if (p->flags & PG_hole) {
		pi->state = PS_HOLE;
		return;
	}
	if (p->flags & PG_reserved) {
		pi->state = PS_RESERVED;
		return;
	}
	/* the block containing pfn: look back for a head covering it */
	uint64_t base = c << CHUNK_SHIFT;
	for (unsigned o = 0; o <= MAX_ORDER_MODEL; o++) {
		uint64_t h = pfn & ~((1ull << o) - 1);
		if (h < base)
			break;
		const struct page *hp = PG(m, h);
		bool pcp = page_on_pcp(hp);
		if (((hp->flags & (PG_buddy | PG_head)) || pcp) && hp->order >= o && h + (1ull << hp->order) > pfn) {
			pi->state = (hp->flags & PG_buddy) || pcp ? PS_FREE : PS_ALLOCATED;
			pi->pcp_cpu = pcp ? (int)page_pcp_cpu(hp) + 1 : 0;
			pi->block_pfn = h;
			pi->order = hp->order;
			pi->mt = hp->mt;
			pi->gfp = hp->gfp;
			return;
		}
	}
	pi->state = PS_NONE;
}

void buddy_walk_list(const struct machine *m, int z, unsigned order, int mt,
		     uint64_t limit, free_block_cb cb, void *arg)
{
	uint64_t n = 0;
	uint32_t id = m->zones[z].free_area[order].list[mt].head;
	while (id != NODE_NIL) {
		if (id & NODE_SEG) {
			const struct segment *s = &m->seg[id & ~NODE_SEG];
			for (uint64_t k = 0; k < s->count; k++) {
				uint64_t c = s->descending ? s->first_chunk + s->count - 1 - k : s->first_chunk + k;
				if ((limit && n >= limit) || cb(arg, c << CHUNK_SHIFT, order, mt))
					return;
				n++;
			}
			id = s->next;
		} else {
			if ((limit && n >= limit) || cb(arg, id, order, mt))
				return;
			n++;
			id = PG(m, id)->next;
		}
	}
}

/* ---- zonelists ----------------------------------------------------------------- */

/*
 * For each combination of zone modifiers: gfp_zone() gives the highest
 * zone kind; the zonelist starts at the highest configured zone of that
 * kind or below (build_zonerefs_node()); 6.13 indexes lowmem_reserve by
 * that zone (ac->highest_zoneidx), 2.6.32 by the preferred zone, the first
 * populated one; 6.13 sets ALLOC_NOFRAGMENT when the preferred zone is
 * Normal and a DMA32 zone exists (alloc_flags_nofragment()).
 */
void buddy_build_zonelists(struct machine *m)
{
	const struct kernel_profile *kp = m->kp;
	for (unsigned bits = 0; bits <= GFP_ZONEMASK; bits++) {
		int zk = gfp_zone(kp, (gfp_t)bits, m->zone_of_kind[ZK_DMA32] >= 0, m->zone_of_kind[ZK_HIGHMEM] >= 0);
		m->zl_nofragment[bits] = false;
		if (zk < 0) {
			m->zl_highest[bits] = m->zl_classzone[bits] = -2;
			continue;
		}
		int highest = -1;
		for (int i = 0; i < m->nr_node_zones; i++)
			if (m->zones[i].kind <= (enum zone_kind)zk && m->zones[i].kind != ZK_DEVICE)
				highest = i;
		if (zk == ZK_MOVABLE)
			highest = m->zone_of_kind[ZK_MOVABLE];
		int pref = highest;
		while (pref > 0 && !m->zones[pref].present)
			pref--;
		m->zl_highest[bits] = (int8_t)highest;
		m->zl_classzone[bits] = (int8_t)(kp->kv == KV_2_6_32 ? pref : highest);
		m->zl_nofragment[bits] = kp->kv != KV_2_6_32 && highest >= 0 && m->zone_of_kind[ZK_DMA32] >= 0 &&
					 pref >= 0 && m->zones[pref].present && m->zones[pref].kind == ZK_NORMAL;
	}
}

/* ---- boot ------------------------------------------------------------------- */

/* Add a run of untouched MAX_ORDER blocks [c0, c0 + n) to the top-order list. */
static void add_virgin_run(struct machine *m, int z, uint64_t c0, uint64_t n, int mt, bool to_tail)
{
	struct flist *l = flist_of(m, z, MAX_ORDER_MODEL, mt);
	bool desc = !to_tail;
	/* extend the adjacent segment when the run continues it */
	uint32_t end_id = to_tail ? l->tail : l->head;
	if (end_id != NODE_NIL && (end_id & NODE_SEG)) {
		struct segment *s = &m->seg[end_id & ~NODE_SEG];
		if (s->descending == desc && s->first_chunk + s->count == c0) {
			s->count += n;
			for (uint64_t i = 0; i < n; i++)
				account(m, z, MAX_ORDER_MODEL, mt, +1);
			return;
		}
	}
	uint32_t id = new_segment(m);
	if (id == NODE_NIL)
		return;
	struct segment *s = &m->seg[id];
	s->first_chunk = c0;
	s->count = n;
	s->zone = (uint8_t)z;
	s->mt = (uint8_t)mt;
	s->descending = desc;
	list_link_after(m, l, to_tail ? l->tail : NODE_NIL, id | NODE_SEG);
	for (uint64_t i = 0; i < n; i++)
		account(m, z, MAX_ORDER_MODEL, mt, +1);
}

static unsigned ffs64(uint64_t v)
{
	return v ? (unsigned)__builtin_ctzll(v) : 64;
}

/* Free [s, e) (within one zone and one chunk) as the largest aligned blocks. */
static void free_range_blocks(struct machine *m, int z, uint64_t s, uint64_t e, int mt, bool to_tail)
{
	while (s < e) {
		unsigned o = ffs64(s);
		if (o > MAX_ORDER_MODEL)
			o = MAX_ORDER_MODEL;
		while (s + (1ull << o) > e)
			o--;
		add_free(m, z, s, o, mt, to_tail);
		s += 1ull << o;
	}
}

/*
 * memblock_free_all() (6.13) / free_all_bootmem() (2.6.32): every free
 * page of RAM goes to the buddy allocator.  Freeing all of it, whatever the
 * order, leaves the unique maximal buddy decomposition of each zone's free
 * ranges; what differs is list order.  6.13 frees in ascending pfn order
 * with FPI_TO_TAIL, so each list ends up ascending (head = lowest pfn);
 * 2.6.32 adds every freed block at the head, so each list ends up
 * descending (head = highest pfn).
 */
void buddy_boot_free(struct machine *m)
{
	bool to_tail = m->kp->boot_free_to_tail;
	int mt = m->kp->mt_movable;
	const struct memmap *mm = &m->memmap;

	for (int z = 0; z < m->nr_zones; z++) {
		struct zone *zn = &m->zones[z];
		if (!zn->spanned)
			continue;
		uint64_t zs = zn->start_pfn, ze = zn->start_pfn + zn->spanned;
		/* the zone's free ranges: RAM minus reservations, ascending */
		for (size_t r = 0; r < mm->nram; r++) {
			uint64_t rs = mm->ram[r].start >> 12, re = mm->ram[r].end >> 12;
			if (rs < zs)
				rs = zs;
			if (re > ze)
				re = ze;
			uint64_t s = rs;
			while (s < re) {
				/* skip reserved pages, find the end of this free stretch */
				uint64_t e = re;
				for (size_t k = 0; k < mm->nresv; k++) {
					uint64_t vs = mm->resv[k].start >> 12;
					uint64_t ve = (mm->resv[k].end + 4095) >> 12;
					if (ve <= s || vs >= e)
						continue;
					if (vs <= s) {
						s = ve;
						if (s >= e)
							break;
						k = (size_t)-1;  /* rescan from the start */
						continue;
					}
					e = vs;
				}
				if (s >= re)
					break;
				if (e > re)
					e = re;
				if (s >= e)
					continue;
				/* [s, e) is free: whole chunks become segments, partial
				 * chunks get descriptors */
				uint64_t p = s;
				while (p < e) {
					uint64_t c = p >> CHUNK_SHIFT;
					uint64_t cend = (c + 1) << CHUNK_SHIFT;
					if ((p & (CHUNK_PAGES - 1)) == 0 && cend <= e) {
						uint64_t n = (e - p) >> CHUNK_SHIFT;
						if (!to_tail) {
							/* descending lists: push each run at the head */
							add_virgin_run(m, z, c, n, mt, false);
						} else {
							add_virgin_run(m, z, c, n, mt, true);
						}
						p += n << CHUNK_SHIFT;
						continue;
					}
					uint64_t stop = cend < e ? cend : e;
					if (!m->chunk[c])
						machine_new_chunk(m, c);
					free_range_blocks(m, z, p, stop, mt, to_tail);
					p = stop;
				}
				s = e;
			}
		}
	}
	/* partially used chunks that hold no free page still need descriptors
	 * for reserved pages to show as reserved: page_peek synthesizes them */
}

/*
 * free_reserved_area() (mm/page_alloc.c): boot memory given back after the
 * buddy allocator is up (initrd, the image's init sections): each page of
 * RAM in [start_pfn, end_pfn) that was reserved loses PG_reserved, goes to
 * the free lists one page at a time and counts in its zone's managed pages
 * (adjust_managed_page_count()).  The kernel's __free_page() passes through
 * the per-CPU lists; the model frees straight to the zone, which merges the
 * same way.  Returns the number of pages freed.
 */
uint64_t buddy_free_reserved_range(struct machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t n = 0;
	if (end_pfn > m->max_pfn)
		end_pfn = m->max_pfn;
	for (uint64_t c = start_pfn >> CHUNK_SHIFT; start_pfn < end_pfn && c <= (end_pfn - 1) >> CHUNK_SHIFT; c++)
		if (!m->chunk[c] && !machine_new_chunk(m, c))
			return 0;
	memmap_unreserve(&m->memmap, start_pfn << 12, end_pfn << 12);
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *p = PG(m, pfn);
		int z = machine_pfn_zone(m, pfn);
		if ((p->flags & (PG_reserved | PG_hole)) != PG_reserved || z < 0)
			continue;
		p->flags &= (uint8_t)~PG_reserved;
		m->zones[z].managed++;
		if (m->zones[z].reserved_pages)
			m->zones[z].reserved_pages--;
		m->totalram_pages++;
		if (m->zones[z].kind == ZK_HIGHMEM)
			m->totalhigh_pages++;
		free_one_page(m, z, pfn, 0, get_pageblock_mt(m, pfn));
		n++;
	}
	return n;
}

int buddy_adopt_reserved_range(struct machine *m, uint64_t start_pfn, uint64_t end_pfn, gfp_t gfp)
{
	const uint64_t blk = 1ull << MAX_ORDER_MODEL;
	if (((start_pfn | end_pfn) & (blk - 1)) || end_pfn <= start_pfn || end_pfn > m->max_pfn)
		return -EINVAL;
	for (uint64_t c = start_pfn >> CHUNK_SHIFT; c <= (end_pfn - 1) >> CHUNK_SHIFT; c++)
		if (!m->chunk[c] && !machine_new_chunk(m, c))
			return -ENOMEM;
	int z = machine_pfn_zone(m, start_pfn);
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++)
		if ((PG(m, pfn)->flags & (PG_reserved | PG_hole)) != PG_reserved || machine_pfn_zone(m, pfn) != z)
			return -EBUSY;
	memmap_unreserve(&m->memmap, start_pfn << 12, end_pfn << 12);
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++) {
		PG(m, pfn)->flags &= (uint8_t)~PG_reserved;
		m->zones[z].managed++;
		if (m->zones[z].reserved_pages)
			m->zones[z].reserved_pages--;
		m->totalram_pages++;
		if (m->zones[z].kind == ZK_HIGHMEM)
			m->totalhigh_pages++;
	}
	for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn += blk) {
		struct page *p = PG(m, pfn);
		p->flags = (uint8_t)(p->flags | PG_head | ((gfp & m->kp->gfp_comp) ? PG_comp : 0));
		p->order = (uint8_t)MAX_ORDER_MODEL;
		p->mt = (uint8_t)(m->mobility_disabled ? m->kp->mt_unmovable : gfp_migratetype(m->kp, gfp));
		p->gfp = gfp;
		m->nr_alloc_blocks++;
	}
	return 0;
}

/*
 * 2.6.32 setup_zone_migrate_reserve(): the first min_wmark/pageblock
 * movable pageblocks of each zone (skipping blocks whose first page is
 * reserved) become MIGRATE_RESERVE, their free pages moved to the reserve
 * lists (at most two blocks); reserve blocks beyond the count are given
 * back to MOVABLE.  (FLATMEM counts pageblocks from the zone start in the
 * pageblock bitmap; the model aligns pageblocks to absolute pfns.)
 */
void buddy_setup_migrate_reserve(struct machine *m)
{
	if (m->kp->mt_reserve < 0)
		return;
	uint64_t nr = 1ull << m->pageblock_order;
	for (int z = 0; z < m->nr_zones; z++) {
		struct zone *zn = &m->zones[z];
		if (!zn->spanned)
			continue;
		uint64_t reserve = ((zn->wmark[WMARK_MIN] + nr - 1) / nr * nr) >> m->pageblock_order;
		if (reserve > 2)
			reserve = 2;
		for (uint64_t pfn = zn->start_pfn; pfn < zn->start_pfn + zn->spanned; pfn += nr) {
			struct page tmp;
			const struct page *p = page_peek(m, pfn, &tmp);
			if (!p || (p->flags & PG_reserved))
				continue;
			/* a pageblock straddling two zones is left to the zone of
			 * its first pfn (the model's pageblocks are absolute) */
			int owner = machine_pfn_zone(m, pfn & ~(nr - 1));
			if (owner >= 0 && owner != z)
				continue;
			int bmt = get_pageblock_mt(m, pfn);
			if (reserve > 0 && bmt == m->kp->mt_reserve) {
				reserve--;
				continue;
			}
			if (reserve > 0 && bmt == m->kp->mt_movable) {
				set_pageblock_mt(m, pfn, m->kp->mt_reserve);
				move_freepages_block_clip(m, z, pfn, m->kp->mt_reserve, false);
				reserve--;
				continue;
			}
			if (bmt == m->kp->mt_reserve) {
				set_pageblock_mt(m, pfn, m->kp->mt_movable);
				move_freepages_block_clip(m, z, pfn, m->kp->mt_movable, false);
			}
		}
	}
}

/* ---- loading a snapshot (snapshot.c) --------------------------------------- */

/* Empty every free list: free pages lose PG_buddy (the loader says what
 * they are next), segments are dropped, the counters go to zero. */
void buddy_clear_free_lists(struct machine *m)
{
	for (int z = 0; z < m->nr_zones; z++) {
		struct zone *zn = &m->zones[z];
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			for (int mt = 0; mt < MAX_MIGRATETYPES; mt++) {
				struct flist *l = flist_of(m, z, o, mt);
				for (uint32_t id = l->head; id != NODE_NIL; ) {
					uint32_t next = *nextp(m, id);
					if (!(id & NODE_SEG)) {
						struct page *p = PG(m, id);
						p->flags &= (uint8_t)~PG_buddy;
						p->next = p->prev = NODE_NIL;
					}
					id = next;
				}
				l->head = l->tail = NODE_NIL;
				zn->free_area[o].nr_mt[mt] = 0;
			}
			zn->free_area[o].nr_free = 0;
		}
		free_area_changed(m, zn);
		zn->free_pages = 0;
	}
	m->nr_seg = 0;
}

/* A free block at the tail of its list; its chunk must have descriptors. */
void buddy_load_free_block(struct machine *m, int z, uint64_t pfn, unsigned order, int mt)
{
	add_free(m, z, pfn, order, mt, true);
}

/* A run of untouched free MAX_ORDER chunks at the tail of its list. */
void buddy_load_free_run(struct machine *m, int z, uint64_t c0, uint64_t n, int mt)
{
	add_virgin_run(m, z, c0, n, mt, true);
}
