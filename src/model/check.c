/*
 * check.c - the invariant checker behind `check` and --check.
 *
 * It walks every free list and every materialized page descriptor (a run of
 * untouched chunks is checked as a whole) and verifies what the
 * buddy allocator promises: lists are well linked; every block on a list is
 * a free, aligned block of the list's order and zone; counters match the
 * lists; no page is both free and allocated, and none is lost; no two free
 * buddies of the same order are left unmerged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/highmem.h"
#include "kmemsh/buddy.h"
#include "kmemsh/i18n.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/pcp.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/memstore.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"

#define FAIL(...) do { model_err(m, __VA_ARGS__); return -EUCLEAN; } while (0)

static const struct page *pg(const struct machine *m, uint64_t pfn)
{
	return &m->chunk[pfn >> CHUNK_SHIFT][pfn & (CHUNK_PAGES - 1)];
}

/*
 * Whether every chunk of [first, first + count) is untouched and lies in
 * zone z, as machine_pfn_zone() sees it, in O(zones + log touched): the
 * chunks' starts run from lo to hi in one pfn range, which must sit in
 * z's span and meet no earlier zone's (machine_pfn_zone() takes the first
 * zone that spans a pfn).  A segment that fails is walked chunk by chunk
 * to name the first bad chunk.
 */
static bool segment_plausible(const struct machine *m, uint64_t first, uint64_t count, int z)
{
	uint64_t i = machine_touched_from(m, first);
	if (i < m->materialized && m->touched[i] < first + count)
		return false;
	uint64_t lo = first << CHUNK_SHIFT, hi = (first + count - 1) << CHUNK_SHIFT;
	const struct zone *zn = &m->zones[z];
	if (!zn->spanned || lo < zn->start_pfn || hi >= zn->start_pfn + zn->spanned)
		return false;
	for (int e = 0; e < z; e++) {
		const struct zone *ez = &m->zones[e];
		if (!ez->spanned)
			continue;
		/* the first chunk start at or after the earlier zone's start */
		uint64_t a = ez->start_pfn > lo ? ez->start_pfn : lo;
		a = (a + CHUNK_PAGES - 1) & ~(uint64_t)(CHUNK_PAGES - 1);
		if (a <= hi && a < ez->start_pfn + ez->spanned)
			return false;
	}
	return true;
}

static int check_lists(struct machine *m)
{
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		uint64_t free_pages = 0;
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			const struct free_area *a = &zn->free_area[o];
			uint64_t total = 0;
			for (int mt = 0; mt < MAX_MIGRATETYPES; mt++) {
				const struct flist *l = &a->list[mt];
				uint64_t n = 0;
				uint32_t prev = NODE_NIL;
				for (uint32_t id = l->head; id != NODE_NIL; ) {
					uint32_t next, back;
					if (id & NODE_SEG) {
						uint32_t si = id & ~NODE_SEG;
						if (si >= m->nr_seg)
							FAIL("zone %s order %u: bad segment id %u", zn->name, o, si);
						const struct segment *s = &m->seg[si];
						if (o != MAX_ORDER_MODEL || !s->count || s->zone != z || s->mt != mt)
							FAIL("zone %s order %u: segment %u on the wrong list", zn->name, o, si);
						if (!segment_plausible(m, s->first_chunk, s->count, z)) {
							for (uint64_t c = s->first_chunk; c < s->first_chunk + s->count; c++) {
								if (m->chunk[c])
									FAIL("segment %u covers touched chunk %llu", si,
									     (unsigned long long)c);
								if (machine_pfn_zone(m, c << CHUNK_SHIFT) != z)
									FAIL("segment %u: chunk %llu outside zone %s", si,
									     (unsigned long long)c, zn->name);
							}
						}
						n += s->count;
						next = s->next;
						back = s->prev;
					} else {
						if (id >= m->max_pfn || !m->chunk[id >> CHUNK_SHIFT])
							FAIL("zone %s order %u: list holds bad pfn %#x", zn->name, o, id);
						const struct page *p = pg(m, id);
						if (!(p->flags & PG_buddy) || p->order != o || p->mt != mt || p->zone != z)
							FAIL("pfn %#x on the %s order-%u %s list is not a free block of that list",
							     id, zn->name, o, m->kp->mt_names[mt]);
						if (id & ((1u << o) - 1))
							FAIL("free block at pfn %#x is not aligned to order %u", id, o);
						if (machine_pfn_zone(m, id + (1u << o) - 1) != z)
							FAIL("free block at pfn %#x order %u leaves zone %s", id, o, zn->name);
						n++;
						next = p->next;
						back = p->prev;
					}
					if (back != prev)
						FAIL("zone %s order %u: broken back link at node %#x", zn->name, o, id);
					prev = id;
					id = next;
					if (n > m->max_pfn)
						FAIL("zone %s order %u: list loops", zn->name, o);
				}
				if (l->tail != prev)
					FAIL("zone %s order %u %s: tail pointer wrong", zn->name, o, m->kp->mt_names[mt]);
				if (n != a->nr_mt[mt])
					FAIL("zone %s order %u %s: list has %llu blocks, counter says %llu", zn->name, o,
					     m->kp->mt_names[mt], (unsigned long long)n, (unsigned long long)a->nr_mt[mt]);
				total += n;
			}
			if (total != a->nr_free)
				FAIL("zone %s order %u: lists hold %llu blocks, nr_free says %llu", zn->name, o,
				     (unsigned long long)total, (unsigned long long)a->nr_free);
			free_pages += total << o;
		}
		if (free_pages != zn->free_pages)
			FAIL("zone %s: NR_FREE_PAGES %llu but lists hold %llu pages", zn->name,
			     (unsigned long long)zn->free_pages, (unsigned long long)free_pages);
	}
	return 0;
}

static int check_pages(struct machine *m)
{
	uint64_t allocated = 0, pcp_blocks = 0, pcp_listed;
	if (pcp_check(m, &pcp_listed))
		return -EUCLEAN;
	for (uint64_t t = 0; t < m->materialized; t++) {
		uint64_t c = m->touched[t];
		if (c >= m->nr_chunks || !m->chunk[c] || (t && c <= m->touched[t - 1]))
			FAIL("the list of touched chunks is wrong at entry %llu (chunk %llu)",
			     (unsigned long long)t, (unsigned long long)c);
		uint64_t base = c << CHUNK_SHIFT;
		for (uint64_t pfn = base; pfn < base + CHUNK_PAGES && pfn < m->max_pfn; ) {
			const struct page *p = pg(m, pfn);
			if (p->flags & (PG_hole | PG_reserved)) {
				if (p->flags & (PG_buddy | PG_head))
					FAIL("reserved pfn %#llx is marked free or allocated", (unsigned long long)pfn);
				pfn++;
				continue;
			}
			if (page_on_pcp(p)) {
				/* a free block on a per-CPU list (pcp_check checks its list) */
				if (p->order > MAX_ORDER_MODEL || (pfn & ((1ull << p->order) - 1)))
					FAIL("pcp block at pfn %#llx has bad order %u", (unsigned long long)pfn, p->order);
				pcp_blocks++;
				pfn += 1ull << p->order;
				continue;
			}
			if (!(p->flags & (PG_buddy | PG_head)))
				FAIL("pfn %#llx is neither free, allocated nor reserved (a lost page)",
				     (unsigned long long)pfn);
			if ((p->flags & PG_buddy) && (p->flags & PG_head))
				FAIL("pfn %#llx is both free and allocated", (unsigned long long)pfn);
			unsigned o = p->order;
			if (o > MAX_ORDER_MODEL || (pfn & ((1ull << o) - 1)))
				FAIL("block at pfn %#llx has bad order %u", (unsigned long long)pfn, o);
			for (uint64_t q = pfn + 1; q < pfn + (1ull << o); q++)
				if (pg(m, q)->flags & (PG_buddy | PG_head | PG_reserved | PG_hole))
					FAIL("pfn %#llx inside the order-%u block at %#llx is itself marked",
					     (unsigned long long)q, o, (unsigned long long)pfn);
			if (p->flags & PG_head) {
				allocated++;
			} else if (o < MAX_ORDER_MODEL) {
				uint64_t b = pfn ^ (1ull << o);
				if (b < m->max_pfn && m->chunk[b >> CHUNK_SHIFT]) {
					const struct page *bp = pg(m, b);
					if ((bp->flags & PG_buddy) && bp->order == o && bp->zone == p->zone &&
					    !(m->kp->kv != KV_2_6_32 && o >= m->pageblock_order &&
					      get_pageblock_mt(m, b) != get_pageblock_mt(m, pfn)))
						FAIL("free buddies at pfn %#llx and %#llx (order %u) were not merged",
						     (unsigned long long)pfn, (unsigned long long)b, o);
				}
			}
			pfn += 1ull << o;
		}
	}
	if (pcp_blocks != pcp_listed)
		FAIL("%llu blocks are marked as on pcp lists, the lists hold %llu", (unsigned long long)pcp_blocks,
		     (unsigned long long)pcp_listed);
	if (allocated != m->nr_alloc_blocks)
		FAIL("%llu allocated blocks found, %llu recorded", (unsigned long long)allocated,
		     (unsigned long long)m->nr_alloc_blocks);
	return 0;
}

/* the 6.x watermark boost: each mark holds it (wmark_pages() = _watermark +
 * watermark_boost), and 2.6.32 has no boost */
static int check_boost(struct machine *m)
{
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (m->kp->kv == KV_2_6_32 && zn->watermark_boost)
			FAIL("zone %s: a watermark boost of %llu pages on 2.6.32", zn->name,
			     (unsigned long long)zn->watermark_boost);
		for (int i = 0; i < NR_WMARK; i++)
			if (zn->wmark[i] < zn->watermark_boost)
				FAIL("zone %s: watermark %d (%llu) below its boost %llu", zn->name, i,
				     (unsigned long long)zn->wmark[i], (unsigned long long)zn->watermark_boost);
	}
	return 0;
}

/* the zone a pageblock is counted in: the one its first pfn lies in, or
 * for a pageblock the zone starts inside (DMA at pfn 1) that zone, as
 * pagetypeinfo walks a zone's pageblocks from its first pfn */
static int pageblock_zone(const struct machine *m, uint64_t start)
{
	int z = machine_pfn_zone(m, start);
	if (z >= 0)
		return z;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *zn = &m->zones[i];
		if (zn->spanned && zn->start_pfn > start && zn->start_pfn < start + (1ull << m->pageblock_order))
			return i;
	}
	return -1;
}

/* HighAtomic pageblocks of zone z from the pageblock types themselves */
static uint64_t count_highatomic_blocks(const struct machine *m, int z)
{
	const struct zone *zn = &m->zones[z];
	uint64_t n = 0, first = zn->start_pfn >> m->pageblock_order;
	uint64_t end = (zn->start_pfn + zn->spanned + (1ull << m->pageblock_order) - 1) >> m->pageblock_order;
	for (uint64_t b = first; b < end && b < m->nr_pb; b++)
		if (get_pageblock_mt(m, b << m->pageblock_order) == m->kp->mt_highatomic &&
		    pageblock_zone(m, b << m->pageblock_order) == z)
			n++;
	return n;
}

/*
 * The highatomic reserve (6.x; buddy.c reserve_highatomic_pageblock()):
 * a zone's nr_reserved_highatomic is the pages of its HighAtomic
 * pageblocks (pagetypeinfo's count, and the pageblock types: those in
 * touched chunks, where every reservation is made, and all of them when
 * those disagree, as after --from), and a HighAtomic free list holds only
 * blocks of HighAtomic pageblocks.  2.6.32 reserves nothing.
 */
static int check_highatomic(struct machine *m)
{
	const int ha = m->kp->mt_highatomic;
	uint64_t touched[MAX_ZONES_MODEL] = { 0 };
	if (ha >= 0) {
		const uint64_t per_chunk = m->pageblock_order < CHUNK_SHIFT ? 1ull << (CHUNK_SHIFT - m->pageblock_order) : 1;
		for (uint64_t t = 0; t < m->materialized; t++) {
			uint64_t base = m->touched[t] << CHUNK_SHIFT;
			for (uint64_t i = 0; i < per_chunk; i++) {
				uint64_t pfn = base + (i << m->pageblock_order);
				if (get_pageblock_mt(m, pfn) != ha)
					continue;
				int z = pageblock_zone(m, pfn);
				if (z >= 0)
					touched[z]++;
			}
		}
	}
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (ha < 0) {
			if (zn->nr_reserved_highatomic)
				FAIL("zone %s: %llu highatomic pages reserved, but this kernel has no highatomic reserve",
				     zn->name, (unsigned long long)zn->nr_reserved_highatomic);
			continue;
		}
		uint64_t blocks = zn->nr_pageblocks[ha];
		if (touched[z] != blocks)
			touched[z] = count_highatomic_blocks(m, z);
		if (touched[z] != blocks)
			FAIL("zone %s: %llu pageblocks are HighAtomic, pagetypeinfo counts %llu", zn->name,
			     (unsigned long long)touched[z], (unsigned long long)blocks);
		if (zn->nr_reserved_highatomic != blocks << m->pageblock_order)
			FAIL("zone %s: nr_reserved_highatomic is %llu pages, its %llu HighAtomic pageblocks hold %llu",
			     zn->name, (unsigned long long)zn->nr_reserved_highatomic, (unsigned long long)blocks,
			     (unsigned long long)(blocks << m->pageblock_order));
		for (int i = 0; i < NR_WMARK; i++)
			if (zn->wmark_fast[i] != (zn->nr_reserved_highatomic ? UINT64_MAX / 4 : zn->wmark[i]))
				FAIL("zone %s: the fast path's watermarks are stale", zn->name);
		for (unsigned o = 0; o < NR_ORDERS; o++)
			for (uint32_t id = zn->free_area[o].list[ha].head; id != NODE_NIL;) {
				if (id & NODE_SEG) {
					const struct segment *sg = &m->seg[id & ~NODE_SEG];
					id = sg->next;
					continue;
				}
				if (get_pageblock_mt(m, id) != ha)
					FAIL("free order-%u block at pfn %#x is on a HighAtomic list outside a HighAtomic "
					     "pageblock", o, id);
				id = pg(m, id)->next;
			}
	}
	return 0;
}

int machine_check(struct machine *m)
{
	int r = check_lists(m);
	if (!r)
		r = check_boost(m);
	if (!r)
		r = check_pages(m);
	if (!r)
		r = check_highatomic(m);
	if (!r)
		r = slab_check(m);
	if (!r)
		r = pgtable_check(m);
	if (!r)
		r = memstore_check(m);
	if (!r)
		r = vmap_check(m);
	if (!r)
		r = ioremap_check(m);
	if (!r)
		r = highmem_check(m);
	if (!r)
		r = vmscan_check(m);
	return r;
}
