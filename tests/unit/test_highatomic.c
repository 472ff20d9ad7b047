/*
 * test_highatomic.c - the highatomic reserve (mm/page_alloc.c
 * reserve_highatomic_pageblock(), unreserve_highatomic_pageblock(),
 * rmqueue_buddy(), __zone_watermark_unusable_free()): the per-zone limit
 * worked by hand from each kernel's formula, a high-order GFP_ATOMIC
 * allocation under pressure that reserves its pageblock, the watermark
 * check that stops counting the reserve for callers without reserve
 * rights, the order-0 last resort, and the unreserve before the OOM killer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"
#include "fixture.h"

static struct machine *boot(const char *arch, const char *kernel, const char *mem)
{
	/* THP never (6.x): min_free_kbytes as calculate_min_free_kbytes() makes it */
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .pcp_off = true,
				      .thp = strcmp(kernel, "2.6.32") ? THP_NEVER : THP_DEFAULT };
	assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	return boot_cfg(&cfg);
}

static int zone_named(const struct machine *m, const char *name)
{
	for (int z = 0; z < m->nr_zones; z++)
		if (strcmp(m->zones[z].name, name) == 0)
			return z;
	fail_msg("no zone %s", name);
	return -1;
}

/* free pages on zone z's HighAtomic lists */
static uint64_t highatomic_free(const struct machine *m, int z)
{
	uint64_t n = 0;
	for (unsigned o = 0; o < NR_ORDERS; o++)
		n += m->zones[z].free_area[o].nr_mt[m->kp->mt_highatomic] << o;
	return n;
}

/* free pages inside the pageblock at start, block by block */
static uint64_t pageblock_free(const struct machine *m, uint64_t start)
{
	uint64_t n = 0, end = start + (1ull << m->pageblock_order);
	for (uint64_t pfn = start; pfn < end;) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state == PS_FREE && pi.block_pfn == pfn) {
			n += 1ull << pi.order;
			pfn += 1ull << pi.order;
		} else {
			pfn++;
		}
	}
	return n;
}

/*
 * x86_64, 256 MiB, THP never, pcp off, as samples/atomic-vs-kernel.kms: an
 * anonymous task fills memory (no swap: nothing is reclaimable), then
 * GFP_KERNEL pages (below low through the slow path at min) bring DMA32
 * down to `above` pages above its min watermark, and DMA to its min.
 */
static struct machine *under_pressure(const char *kernel, uint64_t above)
{
	struct machine *m = boot("x86_64", kernel, "256M");
	int t = vmscan_task_create(m, "hog", 0);
	uint64_t n, pfn;
	assert_true(t >= 0);
	const struct zone *zn = &m->zones[zone_named(m, "DMA32")];
	/* the hog leaves 816 free pages in DMA and DMA32 together (58513 pages
	 * when this was written: 55489 + 3840 free on 6.13; the boot-time vmap
	 * areas, the kmem_cache caches and 6.1's preallocated vmalloc tables
	 * have since taken some), so that both kernels reach the loops below
	 * with DMA32 above min */
	uint64_t hog = zn->free_pages + m->zones[zone_named(m, "DMA")].free_pages - 816;
	assert_int_equal(vmscan_anon(m, t, hog, &n), 0);
	assert_true(zn->free_pages > zn->wmark[WMARK_MIN] + above);
	/* DMA gives its pages above low + lowmem_reserve first */
	for (unsigned i = 0; zn->free_pages > zn->wmark[WMARK_MIN] + above; i++) {
		assert_true(i < 1000);
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	}
	/* and GFP_DMA pages bring DMA to its min plus the lowmem_reserve it
	 * keeps from DMA32 requests, so that none of theirs passes there */
	const struct zone *dma = &m->zones[zone_named(m, "DMA")];
	uint64_t keep = dma->wmark[WMARK_MIN] + dma->lowmem_reserve[machine_zone_idx(m, zn)];
	for (unsigned i = 0; dma->free_pages > keep; i++) {
		assert_true(i < 1000);
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_DMA"), 0, &pfn), 0);
	}
	return m;
}

/* ---- the limit --------------------------------------------------------------- */

static void limit__6_13_aligns_one_percent_up_and_skips_small_zones_6_1_adds_a_pageblock(void **state)
{
	(void)state;
	/* 6.13: managed / 100 < pageblock_nr_pages (512): no reserve at all;
	 * else ALIGN(managed / 100, 512) */
	struct machine *m = boot("x86_64", "6.13", "256M");
	int dma = zone_named(m, "DMA"), dma32 = zone_named(m, "DMA32");
	assert_int_equal(m->zones[dma].managed, 3840);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[dma]), 0);             /* 38 < 512 */
	/* 55600 less the brk's dmi page and the two vmemmap tables memblock
	 * keeps (6.13 boot, kmemsh.7 BOOT), less the 14 pages its small
	 * allocations (memblock_early.c) hold at the top of RAM, as 6.1's:
	 * mem_section's roots (8), root 0 (1), the cpu_entry_area's pud, pmd
	 * and pte tables (3), and 2 pages the small pieces and the hashes
	 * after them share: 55583, 555 either way */
	assert_int_equal(m->zones[dma32].managed, 55597 - 14);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[dma32]), 1024);       /* 555 -> 1024 */
	machine_destroy(m);

	m = boot("x86_64", "6.13", "4G");
	dma32 = zone_named(m, "DMA32");
	int normal = zone_named(m, "Normal");
	/* the brk's dmi page in DMA32, the two vmemmap tables at the top of
	 * Normal (memblock top-down) */
	assert_int_equal(m->zones[dma32].managed, 761294 - 1);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[dma32]), 7680);       /* 7612 -> 15 * 512 */
	/* and the small allocations' 15 pages (those 14 and the swiotlb
	 * areas': RAM above 4 GiB) */
	assert_int_equal(m->zones[normal].managed, 243970 - 2 - 15);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[normal]), 2560);      /* 2439 -> 5 * 512 */
	machine_destroy(m);

	/* 6.1.192: managed / 100 + pageblock_nr_pages, small zones too */
	m = boot("x86_64", "6.1", "256M");
	dma = zone_named(m, "DMA");
	dma32 = zone_named(m, "DMA32");
	assert_int_equal(m->zones[dma].managed, 3840);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[dma]), 38 + 512);
	/* 55557 before 6.1's boot took its brk page and vmemmap tables from
	 * memblock, then its small allocations (memblock_early.c) at the top
	 * of RAM: mem_section's roots (8 pages), root 0 (1), the page the
	 * small pieces share (1), the cpu_entry_area's pud, pmd and pte
	 * tables (3), and the page the hashes, now after those pieces and
	 * 64-byte aligned, straddle (1): 55540, 555 either way */
	assert_int_equal(m->zones[dma32].managed, 55540);
	assert_int_equal(buddy_highatomic_limit(m, &m->zones[dma32]), 555 + 512);
	machine_destroy(m);

	/* 2.6.32 has MIGRATE_RESERVE instead */
	m = boot("i386", "2.6.32", "256M");
	for (int z = 0; z < m->nr_zones; z++)
		assert_int_equal(buddy_highatomic_limit(m, &m->zones[z]), 0);
	machine_destroy(m);
}

/* ---- the watermark check ------------------------------------------------------- */

static void watermark__counts_the_reserve_only_for_callers_with_reserve_rights(void **state)
{
	(void)state;
	/* a zone with 1000 free pages, 512 reserved, 16 of them free on the
	 * order-3 HighAtomic list (2 blocks): order 0 against a mark of 990 */
	const char *kernels[] = { "6.13", "6.1" };
	for (int k = 0; k < 2; k++) {
		struct machine *m = boot("x86_64", kernels[k], "256M");
		static struct zone tmp;
		tmp = m->zones[zone_named(m, "DMA32")];
		memset(tmp.free_area, 0, sizeof tmp.free_area);
		memset(tmp.lowmem_reserve, 0, sizeof tmp.lowmem_reserve);
		tmp.free_pages = 1000;
		tmp.nr_reserved_highatomic = 512;
		tmp.free_area[3].nr_mt[m->kp->mt_highatomic] = 2;
		tmp.free_area[3].nr_free = 2;
		int classzone = zone_named(m, "DMA32");
		/* GFP_KERNEL-like (no ALLOC_RESERVES): 6.13 subtracts the 16 free
		 * highatomic pages (1000 - 16 = 984), 6.1 the whole reserve
		 * (1000 - 512 = 488) */
		bool v613 = k == 0;
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 983, classzone, AF_WMARK_MIN), v613);
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 984, classzone, AF_WMARK_MIN), 0);
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 487, classzone, AF_WMARK_MIN), 1);
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 488, classzone, AF_WMARK_MIN), v613);
		/* ALLOC_NON_BLOCK alone (GFP_NOWAIT) is a reserve right: all 1000
		 * count, the mark is not lowered (that needs ALLOC_MIN_RESERVE) */
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 999, classzone, AF_WMARK_MIN | AF_HARDER), 1);
		assert_int_equal(buddy_zone_watermark_ok(m, &tmp, 0, 1000, classzone, AF_WMARK_MIN | AF_HARDER), 0);
		machine_destroy(m);
	}
}

/* ---- reserve -------------------------------------------------------------------- */

static void order1_atomic_under_pressure__reserves_its_pageblock(void **state)
{
	(void)state;
	struct machine *m = under_pressure("6.13", 0);
	int dma32 = zone_named(m, "DMA32");
	const uint64_t pb = 1ull << m->pageblock_order;
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, 0);
	/* DMA32 is at its min watermark: the fast path (low) fails, the slow
	 * path's GFP_ATOMIC mark (448 - 224 - 56 = 168) passes */
	assert_int_equal(m->zones[dma32].free_pages, m->zones[dma32].wmark[WMARK_MIN]);
	uint64_t pfn;
	m->log.n = 0;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), dma32);
	uint64_t start = pfn & ~(pb - 1);
	/* one pageblock's worth reserved, the block now HighAtomic, and every
	 * free page of it on the HighAtomic lists */
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, pb);
	assert_int_equal(get_pageblock_mt(m, pfn), m->kp->mt_highatomic);
	assert_int_equal(m->zones[dma32].nr_pageblocks[m->kp->mt_highatomic], 1);
	assert_true(pageblock_free(m, start) > 0);
	assert_int_equal(highatomic_free(m, dma32), pageblock_free(m, start));
	const struct change *c = last_event(m, CH_HIGHATOMIC);
	assert_non_null(c);
	assert_false(c->tail);
	assert_int_equal(c->pfn, start);
	assert_int_equal(c->mt, m->kp->mt_unmovable);     /* GFP_ATOMIC's block was Unmovable */
	assert_int_equal(c->val, pb);
	assert_int_equal(c->old, 1024);
	assert_int_equal(machine_check(m), 0);

	/* a second order-1 atomic request is served from the HighAtomic lists
	 * first, and reserves nothing more (its pageblock is HighAtomic) */
	uint64_t pfn2;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn2), 0);
	assert_int_equal(pfn2 & ~(pb - 1), start);
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, pb);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void order1_atomic_on_6_1__reserves_a_pageblock_and_subtracts_all_of_it(void **state)
{
	(void)state;
	struct machine *m = under_pressure("6.1", 0);
	int dma32 = zone_named(m, "DMA32");
	const uint64_t pb = 1ull << m->pageblock_order;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, pb);
	assert_int_equal(get_pageblock_mt(m, pfn), m->kp->mt_highatomic);
	assert_int_equal(machine_check(m), 0);
	/* 6.1.192 gfp_to_alloc_flags(): ALLOC_HIGHATOMIC only with
	 * ALLOC_MIN_RESERVE, so an order-1 GFP_NOWAIT (no __GFP_HIGH)
	 * reserves nothing */
	machine_destroy(m);
	m = under_pressure("6.1", 24);
	dma32 = zone_named(m, "DMA32");
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_NOWAIT"), 1, &pfn), 0);
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, 0);
	machine_destroy(m);
}

static void order1_atomic_on_2_6_32__keeps_migrate_reserve_and_reserves_nothing(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "2.6.32", "256M");
	int normal = zone_named(m, "Normal");
	uint64_t reserve_blocks = m->zones[normal].nr_pageblocks[m->kp->mt_reserve];
	assert_true(reserve_blocks > 0);
	uint64_t pfn;
	m->log.n = 0;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	for (int z = 0; z < m->nr_zones; z++)
		assert_int_equal(m->zones[z].nr_reserved_highatomic, 0);
	assert_null(last_event(m, CH_HIGHATOMIC));
	assert_int_equal(m->zones[normal].nr_pageblocks[m->kp->mt_reserve], reserve_blocks);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- the order-0 last resort ------------------------------------------------------ */

struct blocks {
	uint64_t pfn[4096];
	unsigned order[4096];
	size_t n;
};

static int collect(void *arg, uint64_t pfn, unsigned order, int mt)
{
	struct blocks *b = arg;
	(void)mt;
	if (b->n == sizeof b->pfn / sizeof b->pfn[0])
		return 1;
	b->pfn[b->n] = pfn;
	b->order[b->n++] = order;
	return 0;
}

static void order0_atomic__takes_the_reserve_only_when_nothing_else_is_left(void **state)
{
	(void)state;
	struct machine *m = under_pressure("6.13", 0);
	int dma32 = zone_named(m, "DMA32");
	const int ha = m->kp->mt_highatomic;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, 512);
	/* an order-0 GFP_ATOMIC while DMA32 has other free pages: not from
	 * the reserve */
	uint64_t before = highatomic_free(m, dma32);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 0, &pfn), 0);
	assert_int_not_equal(get_pageblock_mt(m, pfn), ha);
	assert_int_equal(highatomic_free(m, dma32), before);
	/* take every other free block of DMA32 (as a trace replay would,
	 * ignoring the watermarks) */
	static struct blocks b;
	b.n = 0;
	for (unsigned o = 0; o < NR_ORDERS; o++)
		for (int mt = 0; mt < m->kp->nr_migratetypes; mt++)
			if (mt != ha)
				buddy_walk_list(m, dma32, o, mt, 0, collect, &b);
	for (size_t i = 0; i < b.n; i++)
		assert_int_equal(buddy_alloc_pages_at(m, gfp(m, "GFP_KERNEL"), b.pfn[i], b.order[i]), 0);
	assert_int_equal(m->zones[dma32].free_pages, before);
	/* GFP_ATOMIC's min (168) is below the reserve's free pages: the
	 * watermark passes; __rmqueue() finds nothing of Unmovable or its
	 * fallbacks, and rmqueue_buddy() falls back to the HighAtomic lists
	 * for ALLOC_NON_BLOCK */
	assert_true(before > 168);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 0, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), dma32);
	assert_int_equal(get_pageblock_mt(m, pfn), ha);
	assert_int_equal(highatomic_free(m, dma32), before - 1);
	/* GFP_KERNEL may not: the check does not count the reserve (free
	 * - highatomic = 0), so DMA32 fails and so does DMA (lowmem_reserve) */
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	assert_int_equal(highatomic_free(m, dma32), before - 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- unreserve ---------------------------------------------------------------------- */

static void unreserve__keeps_the_last_pageblock_unless_forced(void **state)
{
	(void)state;
	struct machine *m = under_pressure("6.13", 0);
	int dma32 = zone_named(m, "DMA32");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	int classzone = machine_zone_idx(m, &m->zones[dma32]);
	/* "Preserve at least one pageblock unless memory pressure is really
	 * high": 512 <= pageblock_nr_pages */
	assert_false(buddy_unreserve_highatomic_pageblock(m, classzone, m->kp->mt_movable, false));
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, 512);
	m->log.n = 0;
	assert_true(buddy_unreserve_highatomic_pageblock(m, classzone, m->kp->mt_movable, true));
	assert_int_equal(m->zones[dma32].nr_reserved_highatomic, 0);
	assert_int_equal(get_pageblock_mt(m, pfn), m->kp->mt_movable);
	assert_int_equal(highatomic_free(m, dma32), 0);
	const struct change *c = last_event(m, CH_HIGHATOMIC);
	assert_non_null(c);
	assert_true(c->tail);
	assert_int_equal(c->order2, 1);
	assert_int_equal(c->pfn2, 512);
	assert_int_equal(c->mt2, m->kp->mt_movable);
	/* nothing left to give back */
	assert_false(buddy_unreserve_highatomic_pageblock(m, classzone, m->kp->mt_movable, true));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void gfp_kernel_before_oom__gets_the_reserve_back_and_succeeds(void **state)
{
	(void)state;
	/* DMA32 left 24 pages above min */
	struct machine *m = under_pressure("6.13", 24);
	int dma32 = zone_named(m, "DMA32");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC"), 1, &pfn), 0);
	uint64_t block = pfn & ~((1ull << m->pageblock_order) - 1);
	const struct zone *zn = &m->zones[dma32];
	uint64_t free = zn->free_pages, held = highatomic_free(m, dma32), min = zn->wmark[WMARK_MIN];
	/* counted without the reserve DMA32 is below min, with it above */
	assert_true(free - held <= min);
	assert_true(free > min);
	m->log.n = 0;
	uint64_t kpfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &kpfn), 0);
	/* reclaim found nothing (no progress: no unreserve(false) then);
	 * should_reclaim_retry() said no and, before the OOM killer,
	 * unreserve_highatomic_pageblock(ac, true) gave the block to
	 * GFP_KERNEL's type; the retry then met min */
	assert_null(last_event(m, CH_OOM_KILL));
	const struct change *c = last_event(m, CH_HIGHATOMIC);
	assert_non_null(c);
	assert_true(c->tail);
	assert_int_equal(c->order2, 1);
	assert_int_equal(c->pfn, block);
	assert_int_equal(get_pageblock_mt(m, block), m->kp->mt_unmovable);
	assert_int_equal(zn->nr_reserved_highatomic, 0);
	const struct change *r = last_event(m, CH_RECLAIM_RETRY);
	assert_non_null(r);
	assert_int_equal(r->mt, VR_HIGHATOMIC);
	assert_int_equal(machine_pfn_zone(m, kpfn), dma32);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limit__6_13_aligns_one_percent_up_and_skips_small_zones_6_1_adds_a_pageblock),
		cmocka_unit_test(watermark__counts_the_reserve_only_for_callers_with_reserve_rights),
		cmocka_unit_test(order1_atomic_under_pressure__reserves_its_pageblock),
		cmocka_unit_test(order1_atomic_on_6_1__reserves_a_pageblock_and_subtracts_all_of_it),
		cmocka_unit_test(order1_atomic_on_2_6_32__keeps_migrate_reserve_and_reserves_nothing),
		cmocka_unit_test(order0_atomic__takes_the_reserve_only_when_nothing_else_is_left),
		cmocka_unit_test(unreserve__keeps_the_last_pageblock_unless_forced),
		cmocka_unit_test(gfp_kernel_before_oom__gets_the_reserve_back_and_succeeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
