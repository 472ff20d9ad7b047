/*
 * test_watermark_boost.c - 6.x watermark boosting (mm/page_alloc.c
 * boost_watermark(), steal_suitable_fallback(), rmqueue(),
 * zone_watermark_fast(); mm/vmscan.c balance_pgdat(), wakeup_kswapd()):
 * the boost a fragmenting fallback adds, its cap, what turns it off, the
 * kswapd it wakes, the boosted reclaim that takes it off again, the
 * sysctl, and 2.6.32 having none.  Figures worked by hand from the
 * kernel's formulas.
 *
 * The zone used: x86_64 DMA, pfns 1-0xfff, managed 3840 pages (the real
 * amd64 6.1 4 GiB machine's zoneinfo shows the same), pageblocks of 512
 * pages.  With vm.min_free_kbytes = 0 its marks are worked by hand from
 * __setup_per_zone_wmarks(): pages_min 0, so min = 0 and
 *   tmp = max(0 >> 2, mult_frac(3840, wsf, 10000))
 *   wsf 1000: tmp = 3840000 / 10000 = 384: min 0, low 384, high 768
 *             max_boost = mult_frac(768, 15000, 10000) = 11520000 / 10000 = 1152
 *   wsf 100:  tmp = 384000 / 10000 = 38: min 0, low 38, high 76
 *             max_boost = max(512, mult_frac(76, 15000, 10000) = 114) = 512
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

static struct machine *boot(const char *arch, const char *kernel)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel };
	/* x86_64 4 GiB (DMA, DMA32, Normal); i386 1 GiB (DMA, Normal, HighMem) */
	assert_int_equal(parse_size(strcmp(arch, "i386") ? "4G" : "1G", &cfg.mem_bytes), 0);
	cfg.pcp_off = true;      /* pure buddy: each request reaches the fallback itself */
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

static gfp_t gfp(const struct machine *m, const char *s)
{
	gfp_t g;
	assert_int_equal(gfp_parse(m->kp, s, &g, NULL), 0);
	return g;
}

static int zone_of(const struct machine *m, enum zone_kind k)
{
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].kind == k)
			return z;
	fail();
	return -1;
}

static size_t count_events(const struct machine *m, enum change_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < m->log.n; i++)
		if (m->log.v[i].kind == k)
			n++;
	return n;
}

static const struct change *last_event(const struct machine *m, enum change_kind k)
{
	for (size_t i = m->log.n; i-- > 0;)
		if (m->log.v[i].kind == k)
			return &m->log.v[i];
	return NULL;
}

/* the last dmesg line that starts with prefix, or NULL */
static const char *dmesg_find(const struct machine *m, const char *prefix)
{
	const char *found = NULL;
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strncmp(dmesg_slot(&m->dmesg, i)->text, prefix, strlen(prefix)) == 0)
			found = dmesg_slot(&m->dmesg, i)->text;
	return found;
}

/* every free page of zone z taken as a kernel page at its pfn (no fallback) */
static void take_all(struct machine *m, int z)
{
	const struct zone *zn = &m->zones[z];
	for (uint64_t pfn = zn->start_pfn; pfn < zn->start_pfn + zn->spanned; pfn++) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state == PS_FREE && pi.zone == z)
			assert_int_equal(buddy_alloc_pages_at(m, gfp(m, "GFP_KERNEL"), pfn, 0), 0);
	}
	assert_int_equal(zn->free_pages, 0);
}

static void free_range(struct machine *m, uint64_t from, uint64_t to)
{
	for (uint64_t pfn = from; pfn < to; pfn++)
		assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
}

/* DMA's marks as the header works them out: min 0, low 384, high 768 */
static int dma_marks_by_hand(struct machine *m)
{
	int z = zone_of(m, ZK_DMA);
	assert_int_equal(m->zones[z].managed, 3840);
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "0"), 0);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "1000"), 0);
	assert_int_equal(m->zones[z].wmark[WMARK_MIN], 0);
	assert_int_equal(m->zones[z].wmark[WMARK_LOW], 384);
	assert_int_equal(m->zones[z].wmark[WMARK_HIGH], 768);
	return z;
}

/* the same with watermark_scale_factor 100: min 0, low 38, high 76 */
static int dma_small_marks_by_hand(struct machine *m)
{
	int z = dma_marks_by_hand(m);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "100"), 0);
	assert_int_equal(m->zones[z].wmark[WMARK_LOW], 38);
	assert_int_equal(m->zones[z].wmark[WMARK_HIGH], 76);
	return z;
}

/* DMA taken whole, then order-8 blocks freed in the Movable pageblocks
 * 0x200, 0x400, 0x600, 0x800 (pfns 0xN00-0xNff): 1024 free pages, no
 * free block of pageblock order */
static void four_order8_blocks(struct machine *m, int z)
{
	take_all(m, z);
	for (uint64_t pb = 0x200; pb <= 0x800; pb += 0x200)
		free_range(m, pb, pb + 0x100);
	assert_int_equal(m->zones[z].free_pages, 1024);
	assert_int_equal(free_area_nr_free(&m->zones[z].free_area[8]), 4);
}

/*
 * One free page in each of DMA's Movable pageblocks 0x200, 0x400, 0x600,
 * 0x800, 0xa00: an Unmovable order-0 request finds no Unmovable page and falls
 * back to an order-0 Movable block (current_order 0 < pageblock_order 9:
 * fragmenting), so steal_suitable_fallback() boosts.  GFP_ATOMIC: below
 * the boosted min the order-0 ALLOC_MIN_RESERVE request is held to
 * _watermark[WMARK_MIN] = 0 (zone_watermark_fast()), so each request gets
 * its page whatever the boost.
 *   1st: min(0 + 512, 1152) = 512   (marks 512 / 896 / 1280)
 *   2nd: min(512 + 512, 1152) = 1024
 *   3rd: min(1024 + 512, 1152) = 1152
 *   4th: min(1152 + 512, 1152) = 1152
 * One page is left: __GFP_KSWAPD_RECLAIM alone (GFP_NOWAIT without 6.12's
 * __GFP_NOWARN: no __GFP_HIGH) is held to the boosted min
 * 1152 and fails; GFP_ATOMIC gets it through _watermark[WMARK_MIN] = 0.
 * The failure's Mem-Info (show_free_areas()) prints K(watermark_boost) and
 * the boosted marks: boost 1152 * 4 = 4608 kB, min (0 + 1152) * 4 = 4608,
 * low (384 + 1152) * 4 = 6144, high (768 + 1152) * 4 = 7680, free 4 kB.
 */
static void fallback__boosts_by_a_pageblock_up_to_the_factor_of_high(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_marks_by_hand(m);
	struct zone *zn = &m->zones[z];
	take_all(m, z);
	for (uint64_t pb = 0x200; pb <= 0xa00; pb += 0x200)
		free_range(m, pb, pb + 1);
	const uint64_t want[] = { 512, 1024, 1152, 1152 };
	const gfp_t g = gfp(m, "GFP_ATOMIC|GFP_DMA");
	for (int i = 0; i < 4; i++) {
		uint64_t pfn;
		m->log.enabled = true;
		changelog_reset(m);
		assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
		assert_int_equal(zn->watermark_boost, want[i]);
		/* wmark_pages(): _watermark + watermark_boost */
		assert_int_equal(zn->wmark[WMARK_MIN], 0 + want[i]);
		assert_int_equal(zn->wmark[WMARK_LOW], 384 + want[i]);
		assert_int_equal(zn->wmark[WMARK_HIGH], 768 + want[i]);
		assert_int_equal(zone_raw_wmark(zn, WMARK_HIGH), 768);
		const struct change *c = last_event(m, CH_WMARK_BOOST);
		assert_non_null(c);
		assert_int_equal(c->old, i ? want[i - 1] : 0);
		assert_int_equal(c->val, want[i]);
		assert_int_equal(c->pfn2, 1152);
		assert_int_equal(c->mt, m->kp->mt_unmovable);
		assert_int_equal(c->mt2, m->kp->mt_movable);
	}
	assert_int_equal(zn->free_pages, 1);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "__GFP_KSWAPD_RECLAIM|GFP_DMA"), 0, &pfn), -ENOMEM);
	const char *line = dmesg_find(m, "Node 0 DMA free:");
	assert_non_null(line);
	assert_non_null(strstr(line, "Node 0 DMA free:4kB boost:4608kB min:4608kB low:6144kB high:7680kB "));
	assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
	assert_int_equal(zn->free_pages, 0);
	machine_destroy(m);
}

/* The same steal with vm.watermark_boost_factor 0: no boost, no flag. */
static void boost_factor_zero__no_boost(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_marks_by_hand(m);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_boost_factor", "0"), 0);
	take_all(m, z);
	free_range(m, 0x200, 0x201);
	uint64_t pfn;
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(pfn, 0x200);
	assert_int_equal(count_events(m, CH_FALLBACK), 1);
	assert_int_equal(count_events(m, CH_WMARK_BOOST), 0);
	assert_int_equal(m->zones[z].watermark_boost, 0);
	assert_int_equal(m->zones[z].wmark[WMARK_HIGH], 768);
	machine_destroy(m);
}

/* max_boost = mult_frac(_watermark[WMARK_HIGH], factor, 10000): with the
 * marks all 0 (min_free_kbytes 0, watermark_scale_factor 1: tmp =
 * mult_frac(3840, 1, 10000) = 0) "high watermark may be uninitialised":
 * no boost; a small high gives max(pageblock_nr_pages, max_boost) = 512
 * and stays there (wsf 100: tmp = 38, high 76, max_boost 114). */
static void boost__needs_a_high_mark_and_is_at_least_a_pageblock(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_marks_by_hand(m);
	struct zone *zn = &m->zones[z];
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "1"), 0);
	assert_int_equal(zn->wmark[WMARK_HIGH], 0);
	take_all(m, z);
	for (uint64_t pb = 0x200; pb <= 0x600; pb += 0x200)
		free_range(m, pb, pb + 1);
	uint64_t pfn;
	const gfp_t g = gfp(m, "GFP_ATOMIC|GFP_DMA");
	assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
	assert_int_equal(zn->watermark_boost, 0);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "100"), 0);
	assert_int_equal(zn->wmark[WMARK_LOW], 38);
	assert_int_equal(zn->wmark[WMARK_HIGH], 76);
	assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
	assert_int_equal(zn->watermark_boost, 512);
	assert_int_equal(zn->wmark[WMARK_HIGH], 76 + 512);
	assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
	assert_int_equal(zn->watermark_boost, 512);
	/* setup_per_zone_wmarks() (a sysctl write) clears the boost */
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "100"), 0);
	assert_int_equal(zn->watermark_boost, 0);
	assert_int_equal(zn->wmark[WMARK_HIGH], 76);
	machine_destroy(m);
}

/* A steal of a whole free pageblock (order >= pageblock_order) takes
 * ownership and returns before the boost: no boost. */
static void whole_pageblock_steal__no_boost(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_marks_by_hand(m);
	take_all(m, z);
	free_range(m, 0x200, 0x400);
	m->log.enabled = true;
	changelog_reset(m);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(count_events(m, CH_FALLBACK), 1);
	assert_int_equal(m->zones[z].watermark_boost, 0);
	machine_destroy(m);
}

/*
 * i386 (no PAE) 6.13: pageblock_order 10, pageblock_nr_pages 1024.  Its
 * DMA zone (under 4096 managed pages: 4 * 1024 > managed) is never
 * boosted ("Don't bother in zones that are unlikely to produce
 * results"); a steal in Normal boosts by 1024.
 */
static void i386__pageblock_1024_and_no_boost_in_a_small_zone(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "6.13");
	assert_int_equal(m->pageblock_order, 10);
	/* min 0 in every zone: the one free page passes the slow path's min */
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "0"), 0);
	int dma = zone_of(m, ZK_DMA), nz = zone_of(m, ZK_NORMAL);
	assert_true(m->zones[dma].managed < 4096);
	take_all(m, dma);
	free_range(m, 0x400, 0x401);
	uint64_t pfn;
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(count_events(m, CH_FALLBACK), 1);
	assert_int_equal(m->zones[dma].watermark_boost, 0);
	/* Normal: take it all, free one page of a Movable pageblock */
	const struct zone *zn = &m->zones[nz];
	/* a page boot left free, in a Movable pageblock well above boot's
	 * own unmovable allocations (the kmem_cache caches' slabs, the boot
	 * areas' tables now sit in Normal's first pageblocks) */
	uint64_t p = (zn->start_pfn + 0x10000) & ~1023ull;
	struct page_info pi;
	buddy_page_info(m, p, &pi);
	assert_int_equal(pi.state, PS_FREE);
	take_all(m, nz);
	free_range(m, p, p + 1);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 0, &pfn), 0);
	assert_int_equal(pfn, p);
	/* min(0 + 1024, max(1024, mult_frac(high, 15000, 10000))) = 1024,
	 * whatever Normal's high watermark */
	assert_int_equal(zn->watermark_boost, 1024);
	machine_destroy(m);
}

/*
 * rmqueue()'s end: the boosted zone's node's kswapd is woken, with
 * __GFP_KSWAPD_RECLAIM, for zone_idx(zone) at order 0, even though the
 * zone is above its low watermark (the fast path served the request:
 * 1024 free > low 38); without __GFP_KSWAPD_RECLAIM the flag is cleared
 * and nothing is woken.  The request takes an order-8 Movable block (the
 * fallback's largest), claims its pageblock (256 free + 256 allocated
 * non-movable pages >= half a pageblock) and boosts by 512.
 */
static void fragmenting_steal__wakes_kswapd_with_kswapd_reclaim_only(void **state)
{
	(void)state;
	for (int with = 0; with < 2; with++) {
		struct machine *m = boot("x86_64", "6.13");
		int z = dma_small_marks_by_hand(m);
		four_order8_blocks(m, z);
		struct vm_state *v = vmscan_state(m);
		assert_non_null(v);
		m->log.enabled = true;
		changelog_reset(m);
		uint64_t pfn;
		/* GFP_KERNEL less __GFP_KSWAPD_RECLAIM (0x800) for the first run */
		gfp_t g = gfp(m, "GFP_KERNEL|GFP_DMA") & (with ? ~0u : ~0x800u);
		assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
		assert_int_equal(count_events(m, CH_SLOWPATH), 0);
		assert_int_equal(pfn & 0xff, 0);
		assert_int_equal(m->zones[z].watermark_boost, 512);
		assert_int_equal(m->zones[z].wmark[WMARK_HIGH], 76 + 512);
			assert_int_equal(v->kswapd_woken[0], with);
		const struct change *w = last_event(m, CH_KSWAPD_WAKE);
		if (with) {
			assert_non_null(w);
			assert_true(w->tail);
			assert_int_equal(w->order, 0);
			assert_int_equal(w->zone, z);
		} else {
			assert_null(w);
		}
		machine_destroy(m);
	}
}

/*
 * kswapd's boosted reclaim with nothing on the LRU lists: the node is
 * balanced at the boosted marks (DMA: 1023 free > high 76 + 512), so
 * nr_boost_reclaim = 512 and reclaim runs without writeback or swap; it
 * reclaims nothing ("If reclaim made no progress for a boost, stop
 * reclaim") at priority 12, kswapd_failures goes to 1, and the boost
 * comes off: 512 - min(512, 512) = 0.
 */
static void kswapd__boosted_reclaim_clears_the_boost(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_small_marks_by_hand(m);
	four_order8_blocks(m, z);
	uint64_t pfn, reclaimed;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(m->zones[z].watermark_boost, 512);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmscan_kswapd_run(m, false, -1, &reclaimed), 1);
	assert_int_equal(reclaimed, 0);
	assert_int_equal(m->zones[z].watermark_boost, 0);
	assert_int_equal(m->zones[z].wmark[WMARK_HIGH], 76);
	assert_int_equal(m->vm->kswapd_failures[0], 1);
	const struct change *k = last_event(m, CH_KSWAPD);
	assert_non_null(k);
	assert_int_equal(k->need, 512);
	assert_true(k->tail);
	assert_int_equal(k->order, DEF_PRIORITY);
	machine_destroy(m);
}

/*
 * A boost kswapd cannot meet with the zone as it is: only the one
 * order-8 block free (256 pages; 255 after the request) is below the
 * boosted high 76 + 512, so balance_pgdat() "ignore[s] boosting ...
 * and restart[s]": normal reclaim from priority 12 down to 1 (nothing to
 * reclaim), not balanced, kswapd_failures 1; the boost still comes off at
 * the end.
 */
static void kswapd__imbalanced_boost_restarts_as_normal_reclaim(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int z = dma_small_marks_by_hand(m);
	take_all(m, z);
	free_range(m, 0x200, 0x300);
	uint64_t pfn, reclaimed;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(m->zones[z].watermark_boost, 512);
	assert_true(m->vm->kswapd_woken[0]);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmscan_kswapd_run(m, false, -1, &reclaimed), 1);
	assert_int_equal(m->zones[z].watermark_boost, 0);
	assert_int_equal(m->vm->kswapd_failures[0], 1);
	const struct change *k = last_event(m, CH_KSWAPD);
	assert_non_null(k);
	assert_int_equal(k->need, 512);
	assert_false(k->tail);
	assert_false(k->mt);
	assert_int_equal(k->order, 1);
	machine_destroy(m);
}

/*
 * Boosted reclaim over clean page cache in Normal (x86_64 4 GiB: Normal
 * holds the file pages, and is far above its marks).  A boost of 1024 is
 * put on Normal's marks and kswapd woken as rmqueue() wakes it
 * (classzone Normal, order 0).  balance_pgdat(): balanced, so boosted:
 * SCAN_FILE (no swap), the inactive file list's size >> priority a pass:
 *   priority 12: 40960 >> 12 = 10 reclaimed, boost left 1014, raise -> 11
 *   priority 11: 40950 >> 11 = 19, left 995, raise -> 10
 *   priority 10 (DEF_PRIORITY - 2: no raising while boosting): 40931 >> 10
 *   = 39 a pass while the list holds 39936 or more; 26 passes, 995 -
 *   25 * 39 = 20 left before the 26th (the list then 39956)
 * 10 + 19 + 26 * 39 = 1043 pages; then balanced and no boost left: out.
 * The boost comes off: 1024 - min(1024, 1024) = 0.
 */
static void kswapd__boosted_reclaim_takes_the_boost_in_clean_cache(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int nz = zone_of(m, ZK_NORMAL);
	uint64_t added, reclaimed;
	assert_int_equal(vmscan_pagecache(m, "f", 40960, false, &added), 0);
	assert_int_equal(added, 40960);
	struct vm_state *v = m->vm;
	assert_int_equal(v->lru[nz][LRU_INACTIVE_FILE].nr, 40960);
	uint64_t steal0 = v->ev.pgsteal_kswapd, high = m->zones[nz].wmark[WMARK_HIGH];
	zone_set_watermark_boost(&m->zones[nz], 1024);
	assert_int_equal(m->zones[nz].wmark[WMARK_HIGH], high + 1024);
	vmscan_wakeup_kswapd_boosted(m, nz);
	assert_true(v->kswapd_woken[0]);
	assert_int_equal(vmscan_kswapd_run(m, false, -1, &reclaimed), 1);
	assert_int_equal(v->ev.pgsteal_kswapd - steal0, 1043);
	assert_int_equal(v->lru[nz][LRU_INACTIVE_FILE].nr, 40960 - 1043);
	assert_int_equal(m->zones[nz].watermark_boost, 0);
	assert_int_equal(m->zones[nz].wmark[WMARK_HIGH], high);
	assert_int_equal(v->kswapd_failures[0], 0);
	machine_destroy(m);
}

/*
 * Boosted reclaim writes nothing back: 4096 dirty pages added first lie
 * at the inactive tail.  Priority 12 scans (4096 + 40960) >> 12 = 11
 * pages, all dirty: kept, none written, nothing reclaimed, so kswapd
 * stops at once; the boost is still taken off.  Without a boost the same
 * kswapd would write them (sc.may_writepage).
 */
static void kswapd__boosted_reclaim_writes_nothing_back(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13");
	int nz = zone_of(m, ZK_NORMAL);
	uint64_t added, reclaimed;
	assert_int_equal(vmscan_pagecache(m, "d", 4096, true, &added), 0);
	assert_int_equal(vmscan_pagecache(m, "f", 40960, false, &added), 0);
	struct vm_state *v = m->vm;
	uint64_t written0 = v->ev.nr_vmscan_write, scan0 = v->ev.pgscan_kswapd;
	zone_set_watermark_boost(&m->zones[nz], 512);
	vmscan_wakeup_kswapd_boosted(m, nz);
	assert_int_equal(vmscan_kswapd_run(m, false, -1, &reclaimed), 1);
	assert_int_equal(reclaimed, 0);
	assert_int_equal(v->ev.nr_vmscan_write - written0, 0);
	assert_int_equal(v->ev.pgscan_kswapd - scan0, 11);
	assert_int_equal(v->nr_dirty[nz], 4096);
	assert_int_equal(m->zones[nz].watermark_boost, 0);
	machine_destroy(m);
}

/* vm.watermark_boost_factor: 15000 at boot, proc_dointvec_minmax with
 * min 0 and no max; not a sysctl of 2.6.32, which says when it came */
static void sysctl__the_factor_and_2_6_32_refusing_it(void **state)
{
	(void)state;
	char buf[32];
	struct machine *m = boot("x86_64", "6.1");
	assert_int_equal(machine_sysctl_get(m, "vm.watermark_boost_factor", buf, sizeof buf), 0);
	assert_string_equal(buf, "15000");      /* the real 6.1 machines' sysctl_vm.txt */
	struct sysctl_absent why;
	assert_false(machine_sysctl_absent(m, "vm.watermark_boost_factor", &why));
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_boost_factor", "-1"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_boost_factor", "x"), -EINVAL);
	assert_int_equal(m->watermark_boost_factor, 15000);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_boost_factor", "2147483647"), 0);
	assert_int_equal(machine_sysctl_set(m, "watermark_boost_factor", "0"), 0);
	assert_int_equal(m->watermark_boost_factor, 0);
	machine_destroy(m);

	m = boot("x86_64", "2.6.32");
	assert_int_equal(machine_sysctl_get(m, "vm.watermark_boost_factor", buf, sizeof buf), -ENOENT);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_boost_factor", "0"), -ENOENT);
	assert_true(machine_sysctl_absent(m, "vm.watermark_boost_factor", &why));
	assert_string_equal(why.since, "5.0");
	assert_null(why.from);
	for (size_t i = 0; machine_sysctl_name_at(m, i); i++)
		assert_string_not_equal(machine_sysctl_name_at(m, i), "vm.watermark_boost_factor");
	machine_destroy(m);
}

/* 6.1: the same boost as 6.13 (one free page of pageblock 0x200). */
static void v6_1__boosts_as_6_13(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1");
	int z = dma_marks_by_hand(m);
	take_all(m, z);
	free_range(m, 0x200, 0x201);
	free_range(m, 0x400, 0x401);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(m->zones[z].watermark_boost, 512);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(m->zones[z].watermark_boost, 1024);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fallback__boosts_by_a_pageblock_up_to_the_factor_of_high),
		cmocka_unit_test(boost_factor_zero__no_boost),
		cmocka_unit_test(boost__needs_a_high_mark_and_is_at_least_a_pageblock),
		cmocka_unit_test(whole_pageblock_steal__no_boost),
		cmocka_unit_test(i386__pageblock_1024_and_no_boost_in_a_small_zone),
		cmocka_unit_test(fragmenting_steal__wakes_kswapd_with_kswapd_reclaim_only),
		cmocka_unit_test(kswapd__boosted_reclaim_clears_the_boost),
		cmocka_unit_test(kswapd__imbalanced_boost_restarts_as_normal_reclaim),
		cmocka_unit_test(kswapd__boosted_reclaim_takes_the_boost_in_clean_cache),
		cmocka_unit_test(kswapd__boosted_reclaim_writes_nothing_back),
		cmocka_unit_test(sysctl__the_factor_and_2_6_32_refusing_it),
		cmocka_unit_test(v6_1__boosts_as_6_13),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
