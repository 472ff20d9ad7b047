/*
 * test_vmscan.c - memory pressure: si_mem_available(), oom_badness() and
 * 2.6.32's badness(), the OOM victim choice, mm_pgtables_bytes(), kswapd's
 * low/high watermark rules, direct reclaim's order (clean cache first) and
 * the slow path's retry rules, each from the kernel's formula with
 * hand-computed numbers next to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

static struct machine *boot(const char *arch, const char *mem)
{
	struct machine_config cfg = { .arch = arch };
	if (mem)
		assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

static gfp_t gfp(const struct machine *m, const char *s)
{
	gfp_t g;
	assert_int_equal(gfp_parse(m->kp, s, &g, NULL), 0);
	return g;
}

static uint64_t free_pages(const struct machine *m)
{
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += m->zones[z].free_pages;
	return n;
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

/* ---- formulas -------------------------------------------------------------- */

static void si_mem_available__keeps_half_the_cache_or_the_low_watermarks(void **state)
{
	(void)state;
	/* free 10000 - reserve 2000 = 8000; cache 3000 - min(1500, low 500) = 2500;
	 * slab 400 - min(200, 500) = 200: 10700 */
	assert_int_equal(vmscan_si_mem_available(10000, 2000, 500, 3000, 400), 10700);
	/* cache 600 - min(300, 500) = 300; slab 0: 8000 + 300 = 8300 */
	assert_int_equal(vmscan_si_mem_available(10000, 2000, 500, 600, 0), 8300);
	/* below the reserve and nothing to reclaim: never negative */
	assert_int_equal(vmscan_si_mem_available(100, 2000, 500, 0, 0), 0);
}

static void oom_badness__rss_swap_and_tables_moved_by_oom_score_adj(void **state)
{
	(void)state;
	struct vm_task t = { .alive = true, .anon_rss = 1000, .swapents = 200, .oom_score_adj = 0 };
	/* 1000 + 200 + 3 table pages */
	assert_int_equal(oom_badness(&t, 3, 1000000), 1203);
	/* adj 500 in thousandths of 1000000 pages: + 500 * 1000 */
	t.oom_score_adj = 500;
	assert_int_equal(oom_badness(&t, 3, 1000000), 501203);
	t.oom_score_adj = -500;
	assert_int_equal(oom_badness(&t, 3, 1000000), 1203 - 500000);
	/* OOM_SCORE_ADJ_MIN: never */
	t.oom_score_adj = -1000;
	assert_true(oom_badness(&t, 3, 1000000) == INT64_MIN);
}

static void badness_2632__root_run_time_and_oom_adj_shifts(void **state)
{
	(void)state;
	/* total_vm 1600, root: / 4 / 4 = 100 */
	struct vm_task t = { .alive = true, .total_vm = 1600, .start_s = 0 };
	assert_int_equal(oom_badness_2632(&t, 0), 100);
	/* run time (16 * 1024 s) >> 10 = 16: / int_sqrt(int_sqrt(16)) = / 2 */
	assert_int_equal(oom_badness_2632(&t, 16 * 1024), 50);
	/* oom_adj 2: << 2; -2: >> 2 */
	t.oom_score_adj = 2;
	assert_int_equal(oom_badness_2632(&t, 0), 400);
	t.oom_score_adj = -2;
	assert_int_equal(oom_badness_2632(&t, 0), 25);
	/* a positive oom_adj lifts 0 points to 1 first */
	struct vm_task small = { .alive = true, .total_vm = 10, .oom_score_adj = 3 };
	assert_int_equal(oom_badness_2632(&small, 0), 8);
	t.oom_score_adj = OOM_DISABLE;
	assert_int_equal(oom_badness_2632(&t, 0), 0);
}

static void pgtables_bytes__count_the_levels_each_profile_has(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL);
	struct vm_task t = { .alive = true, .total_vm = 513 };
	/* 2 PTE tables (512 entries each), 1 PMD, 1 PUD */
	assert_int_equal(oom_pgtables_bytes(m, &t), 4 * 4096);
	t.total_vm = 0;
	assert_int_equal(oom_pgtables_bytes(m, &t), 0);
	machine_destroy(m);
	m = boot("i386", NULL);
	/* 2-level: 1024 entries a table, PMD folded */
	t.total_vm = 1025;
	assert_int_equal(oom_pgtables_bytes(m, &t), 2 * 4096);
	machine_destroy(m);
}

static void select_bad_process__ties_go_to_the_later_task_on_6_13_the_first_on_2_6_32(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "256M");
	int a = vmscan_task_create(m, "a", 0), b = vmscan_task_create(m, "b", 0);
	uint64_t n;
	assert_int_equal(vmscan_anon(m, a, 100, &n), 0);
	assert_int_equal(vmscan_anon(m, b, 100, &n), 0);
	/* equal points: oom_evaluate_task() skips only points < chosen_points */
	assert_int_equal(oom_select_bad_process(m), b);
	/* one more page makes a the worst */
	assert_int_equal(vmscan_anon(m, a, 1, &n), 0);
	assert_int_equal(oom_select_bad_process(m), a);
	/* oom_score_adj -1000: never chosen */
	m->vm->task[a].oom_score_adj = OOM_SCORE_ADJ_MIN;
	assert_int_equal(oom_select_bad_process(m), b);
	machine_destroy(m);

	m = boot("i386", "256M");
	a = vmscan_task_create(m, "a", 0);
	b = vmscan_task_create(m, "b", 0);
	assert_int_equal(vmscan_anon(m, a, 160, &n), 0);
	assert_int_equal(vmscan_anon(m, b, 160, &n), 0);
	/* select_bad_process(): only points > the best replace it */
	assert_int_equal(oom_select_bad_process(m), a);
	/* oom_adj 1 doubles b's 10 points */
	m->vm->task[b].oom_score_adj = 1;
	assert_int_equal(oom_select_bad_process(m), b);
	machine_destroy(m);
}

/* ---- reclaim ------------------------------------------------------------------- */

static void kswapd__woken_below_low_and_reclaims_until_high(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "256M");
	int dma32 = m->zone_of_kind[ZK_DMA32];
	const struct zone *z = &m->zones[dma32];
	uint64_t n, pfn;
	/* page cache for half the zone, then plain pages down to low */
	assert_int_equal(vmscan_pagecache(m, "f", z->free_pages / 2, false, &n), 0);
	assert_false(m->vm->kswapd_woken[0]);
	gfp_t g = gfp(m, "GFP_HIGHUSER_MOVABLE");
	while (z->free_pages > z->wmark[WMARK_LOW] - 1 && !m->vm->kswapd_woken[0])
		assert_int_equal(buddy_alloc_pages(m, g, 0, &pfn), 0);
	/* woken by the first allocation that found DMA32 at or below low */
	assert_true(m->vm->kswapd_woken[0]);
	assert_true(z->free_pages <= z->wmark[WMARK_LOW]);
	/* balance_pgdat() runs until a zone up to the waker's is above high */
	assert_int_equal(vmscan_kswapd_pending(m), 1);
	assert_false(m->vm->kswapd_woken[0]);
	assert_true(z->free_pages > z->wmark[WMARK_HIGH]);
	assert_true(m->vm->ev.pgsteal_kswapd > 0);
	assert_int_equal(m->vm->ev.pgsteal_direct, 0);
	assert_int_equal(m->vm->ev.pageoutrun, 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void direct_reclaim__frees_clean_cache_before_dirty(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "256M");
	uint64_t n, total = free_pages(m);
	/* a hopeless kswapd (6.13 wakeup_kswapd(): kswapd_failures at
	 * MAX_RECLAIM_RETRIES): only direct reclaim frees memory */
	vmscan_state(m)->kswapd_failures[0] = MAX_RECLAIM_RETRIES;
	/* dirty pages first (older: at the LRU tail), then clean ones, more
	 * than memory holds */
	assert_int_equal(vmscan_pagecache(m, "dirty", 2048, true, &n), 0);
	assert_int_equal(vmscan_pagecache(m, "clean", total, false, &n), 0);
	assert_int_equal(m->vm->ev.pgsteal_kswapd, 0);
	assert_true(m->vm->ev.pgsteal_direct > 0);
	assert_true(m->vm->ev.allocstall[m->zl_classzone[2 | 8]] > 0);
	/* the dirty pages met at the tail were written back, not freed: every
	 * page freed so far beyond those written was clean cache */
	assert_true(m->vm->ev.nr_vmscan_write > 0);
	assert_int_equal(vmscan_nr_dirty(m, -1) + m->vm->ev.nr_vmscan_write, 2048);
	assert_true(m->vm->ev.pgsteal_file > m->vm->ev.nr_vmscan_write);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* a task's anon pages fill memory (no swap: nothing to reclaim), then
 * __GFP_NORETRY pages drain it to the min marks without an OOM kill */
static struct machine *full_of_anon(const char *arch)
{
	struct machine *m = boot(arch, "128M");
	int t = vmscan_task_create(m, "hog", 0);
	uint64_t n, pfn, room = 0;
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present && m->zones[z].free_pages > m->zones[z].wmark[WMARK_HIGH])
			room += m->zones[z].free_pages - m->zones[z].wmark[WMARK_HIGH];
	assert_int_equal(vmscan_anon(m, t, room / 2, &n), 0);
	gfp_t g = gfp(m, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN");
	int r = 0;
	for (int i = 0; i < 1000000 && r == 0; i++)
		r = buddy_alloc_pages(m, g, 0, &pfn);
	assert_int_equal(r, -ENOMEM);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	assert_true(m->vm->task[t].alive);
	return m;
}

static void slowpath__noretry_reclaims_once_and_fails_without_oom(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	uint64_t pfn;
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	assert_int_equal(count_events(m, CH_DIRECT_RECLAIM), 1);
	assert_int_equal(count_events(m, CH_RECLAIM_RETRY), 0);
	assert_int_equal(count_events(m, CH_OOM_KILL), 0);
	const struct change *c = last_event(m, CH_NOPAGE);
	assert_non_null(c);
	assert_int_equal(c->mt, VR_NORETRY);
	machine_destroy(m);
}

static void slowpath__gfp_kernel_calls_the_oom_killer_and_gets_its_page(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	int hog = vmscan_task_find(m, "hog");
	assert_true(hog >= 0);
	uint64_t pfn;
	/* the shell's own GFP_KERNEL page: reclaim finds nothing (no swap), the
	 * OOM killer takes the hog, the retry succeeds */
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(m->vm->ev.oom_kill, 1);
	assert_int_equal(count_events(m, CH_OOM_KILL), 1);
	/* should_reclaim_retry() first: no progress, nothing reclaimable */
	assert_true(count_events(m, CH_DIRECT_RECLAIM) >= 1);
	assert_false(m->vm->task[hog].alive);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void slowpath__retry_mayfail_and_costly_orders_never_kill(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	uint64_t pfn;
	m->log.enabled = true;
	changelog_reset(m);
	/* an order-4 (costly) GFP_KERNEL: no retry, no OOM (6.13 needs
	 * __GFP_RETRY_MAYFAIL to retry costly orders; may_oom stops above 3) */
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOWARN"), 4, &pfn), -ENOMEM);
	assert_int_equal(last_event(m, CH_NOPAGE)->mt, VR_COSTLY);
	/* order 0 with __GFP_RETRY_MAYFAIL: no OOM killer for it */
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NOWARN"), 0, &pfn),
			 -ENOMEM);
	assert_int_equal(last_event(m, CH_NOPAGE)->mt, VR_NO_OOM);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * 6.13 __alloc_pages_slowpath(): a costly order goes to nopage without a
 * retry (no __GFP_RETRY_MAYFAIL) and __alloc_pages_may_oom() does not kill
 * for it (order > PAGE_ALLOC_COSTLY_ORDER).  At nopage, __GFP_NOFAIL tries
 * __alloc_pages_cpuset_fallback(gfp, order, ALLOC_MIN_RESERVE, ac): the
 * min watermark halved (__zone_watermark_ok(): min -= min / 2).  Plain
 * GFP_KERNEL fails there; __GFP_NOFAIL gets its block from the reserve,
 * with no OOM kill.  Whether a zone can give it is computed here from the
 * zone's state by that rule (free - 2^order + 1 > min / 2 + lowmem_reserve,
 * and a free block of the order or larger).
 */
static void slowpath__nofail_costly_order_takes_the_min_reserve(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	const unsigned order = 4;
	bool room = false;
	int top = m->nr_zones - 1;       /* GFP_KERNEL's highest zone: the classzone's reserve */
	while (top > 0 && !m->zones[top].present)
		top--;
	for (int z = 0; z <= top; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->present)
			continue;
		uint64_t min = zn->wmark[WMARK_MIN];
		min -= min / 2;
		bool block = false;
		for (unsigned o = order; o < NR_ORDERS; o++)
			block |= zn->free_area[o].nr_free > 0;
		if (block && zn->free_pages - (1u << order) + 1 > min + zn->lowmem_reserve[top])
			room = true;
	}
	assert_true(room);      /* the state this test is about */
	uint64_t pfn;
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOWARN"), order, &pfn), -ENOMEM);
	assert_int_equal(last_event(m, CH_NOPAGE)->mt, VR_COSTLY);
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOFAIL"), order, &pfn), 0);
	assert_null(last_event(m, CH_NOPAGE));
	assert_int_equal(count_events(m, CH_OOM_KILL), 0);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	/* the block came from below the min watermark */
	int z = machine_pfn_zone(m, pfn);
	assert_true(z >= 0);
	assert_true(m->zones[z].free_pages < m->zones[z].wmark[WMARK_MIN]);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void slowpath_2632__small_orders_call_the_oom_killer_without_progress(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("i386");
	uint64_t pfn;
	/* no progress, __GFP_FS, not __GFP_NORETRY: __alloc_pages_may_oom() */
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(m->vm->ev.oom_kill, 1);
	/* a task asking for more than memory holds becomes the largest and is
	 * the victim itself: the fault-in stops with its death */
	int t = vmscan_task_create(m, "hog2", 0);
	uint64_t n;
	assert_int_equal(vmscan_anon(m, t, 1000000, &n), -ENOMEM);
	assert_false(m->vm->task[t].alive);
	assert_int_equal(m->vm->ev.oom_kill, 2);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 6.13 __zone_watermark_ok() under ALLOC_RESERVES: "if (alloc_flags &
 * ALLOC_OOM) min -= min / 2"; a zone's own classzone has lowmem_reserve 0.
 * A DMA32 copy with min 448: ALLOC_OOM's mark is 448 - 224 = 224, so 225
 * free pages pass and 224 do not; without it 225 fail (225 <= 448).
 * With ALLOC_MIN_RESERVE too (not a combination the slow path makes, but
 * the kernel's arithmetic): 448 - 224 = 224, then - 112 = 112. */
static void watermark__alloc_oom_halves_the_min_mark(void **state)
{
	(void)state;
	static const char *const kernels[] = { "6.13", "6.1" };
	for (int k = 0; k < 2; k++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = kernels[k], .pcp_off = true };
		assert_int_equal(parse_size("256M", &cfg.mem_bytes), 0);
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		int dz = m->zone_of_kind[ZK_DMA32];
		static struct zone z;
		z = m->zones[dz];
		z.wmark[WMARK_MIN] = 448;
		z.free_pages = 225;
		assert_false(buddy_zone_watermark_ok(m, &z, 0, 448, dz, AF_WMARK_MIN));
		assert_true(buddy_zone_watermark_ok(m, &z, 0, 448, dz, AF_WMARK_MIN | AF_OOM));
		z.free_pages = 224;
		assert_false(buddy_zone_watermark_ok(m, &z, 0, 448, dz, AF_WMARK_MIN | AF_OOM));
		z.free_pages = 113;
		assert_true(buddy_zone_watermark_ok(m, &z, 0, 448, dz, AF_WMARK_MIN | AF_OOM | AF_HIGH));
		z.free_pages = 112;
		assert_false(buddy_zone_watermark_ok(m, &z, 0, 448, dz, AF_WMARK_MIN | AF_OOM | AF_HIGH));
		machine_destroy(m);
	}
}

/* A task faulting in more than memory holds, with nothing to reclaim:
 * the OOM killer chooses the task itself.  6.x: mark_oom_victim(), then
 * the retry with ALLOC_OOM alone at the min watermark
 * (__gfp_pfmemalloc_flags(): oom_reserves_allowed()); 2.6.32: TIF_MEMDIE,
 * restart, ALLOC_NO_WATERMARKS (__alloc_pages_high_priority()).  Its memory
 * is still held at that retry (it goes back at exit), yet the page comes:
 * the fault that was killed faults in one page more than the task kept
 * (pgfault = pages kept + 1), then the task exits and its memory returns. */
static void oom_victim__its_own_allocation_retries_with_the_victims_reserves(void **state)
{
	(void)state;
	static const struct { const char *arch, *kernel; unsigned af; } cases[] = {
		{ "x86_64", "6.13", AF_WMARK_MIN | AF_OOM },
		{ "x86_64", "6.1", AF_WMARK_MIN | AF_OOM },
		/* TIF_MEMDIE: ALLOC_NO_WATERMARKS; AF_OOM only marks the victim's retry
		 * for the view (2.6.32 has no ALLOC_OOM, so it is not printed) */
		{ "i386", "2.6.32", AF_NO_WATERMARKS | AF_OOM },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct machine_config cfg = { .arch = cases[i].arch, .kernel = cases[i].kernel, .pcp_off = true,
					      .thp = THP_NEVER };
		if (strcmp(cases[i].kernel, "2.6.32") == 0)
			cfg.thp = THP_DEFAULT;
		assert_int_equal(parse_size("256M", &cfg.mem_bytes), 0);
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		uint64_t before = free_pages(m);
		int t = vmscan_task_create(m, "web", 0);
		uint64_t n;
		m->log.enabled = true;
		changelog_reset(m);
		assert_int_equal(vmscan_anon(m, t, 76800, &n), -ENOMEM);
		assert_int_equal(m->vm->ev.oom_kill, 1);
		assert_int_equal(m->vm->ev.pgfault, n + 1);
		const struct change *r = last_event(m, CH_RECLAIM_RETRY);
		assert_non_null(r);
		assert_int_equal(r->mt, VR_OOM_VICTIM);
		const struct change *sp = last_event(m, CH_SLOWPATH);
		assert_non_null(sp);
		assert_int_equal(sp->mt, cases[i].af);
		const struct change *k = last_event(m, CH_OOM_KILL);
		assert_non_null(k);
		assert_int_equal(k->mt, 1);
		assert_int_equal(k->val, 0);    /* nothing freed at the kill */
		assert_false(m->vm->task[t].alive);
		assert_false(m->vm->task[t].oom_victim);
		/* exit_mmap(): every page back (page tables aside) */
		assert_true(free_pages(m) + 200 > before);
		assert_int_equal(vmscan_lru_pages(m, -1, LRU_INACTIVE_ANON) + vmscan_lru_pages(m, -1, LRU_ACTIVE_ANON), 0);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

static struct machine *boot_613(const char *mem)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .pcp_off = true, .thp = THP_NEVER };
	assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

/*
 * kswapd going to sleep wakes kcompactd (6.13 kswapd_try_to_sleep() ->
 * prepare_kswapd_sleep() -> wakeup_kcompactd(pgdat, alloc_order, ...)).
 * 256M x86_64, THP off: 30M of clean cache (7680 pages on the inactive file
 * list), DMA and DMA32 fragmented to order-0 blocks.  A GFP_ATOMIC order-4
 * request fails and wakes kswapd for order 4.  balance_pgdat() scans
 * lru >> priority file pages a pass, each reclaimed: 7680 >> 12 = 1,
 * 7679 >> 11 = 3, 7676 >> 10 = 7, 7669 >> 9 = 14 (25 in all), 7655 >> 8 =
 * 29: 54 >= compact_gap(4) = 32, so kswapd_shrink_node() drops sc.order to
 * 0; the node is balanced at order 0 and kswapd stops: 54 pages at
 * priority 8.  Going to sleep it wakes kcompactd for order 4 (zones up to
 * the classzone); kcompactd runs after it: compact_daemon_wake 1.
 */
static void kswapd__going_to_sleep_wakes_kcompactd_for_the_order_it_was_woken_for(void **state)
{
	(void)state;
	struct machine *m = boot_613("256M");
	uint64_t added, taken, freed, pfn;
	assert_int_equal(vmscan_pagecache(m, "log", 7680, false, &added), 0);
	assert_int_equal(extfrag_fragment_zone(m, machine_zone_by_name(m, "DMA32"), gfp(m, "GFP_HIGHUSER_MOVABLE"),
					       "x.", &taken, &freed), 0);
	assert_int_equal(extfrag_fragment_zone(m, machine_zone_by_name(m, "DMA"), gfp(m, "GFP_HIGHUSER_MOVABLE"), "x.",
					       &taken, &freed), 0);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|__GFP_NOWARN"), 4, &pfn), -ENOMEM);
	assert_int_equal(vmscan_kswapd_pending(m), 2);          /* kswapd0, then kcompactd0 */
	const struct change *k = last_event(m, CH_KSWAPD);
	assert_non_null(k);
	assert_int_equal(k->pfn2, 54);
	assert_int_equal(k->order, 8);
	assert_int_equal(k->mt, 1);
	const struct change *w = last_event(m, CH_KCOMPACTD_WAKE);
	assert_non_null(w);
	assert_int_equal(w->mt, KCOMPACTD_BY_KSWAPD_SLEEP);
	assert_int_equal(w->order, 4);
	const struct change *r = last_event(m, CH_KCOMPACTD);
	assert_non_null(r);
	assert_int_equal(r->order, 4);
	assert_int_equal(m->compact_ev.daemon_wake, 1);
	assert_int_equal(m->compact_ev.daemon_migrate_scanned, r->val);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * Boosted reclaim ends with wakeup_kcompactd(pgdat, pageblock_order,
 * highest_zoneidx) (6.13 balance_pgdat()).  DMA with min_free_kbytes 0 and
 * watermark_scale_factor 1000 (min 0, low 384, high 768), fragmented: an
 * Unmovable order-0 request steals part of a Movable pageblock, the
 * boost is 512 and rmqueue() wakes kswapd for zone DMA; boosted reclaim
 * finds nothing, clears the boost and wakes kcompactd for order 9 (the
 * pageblock order), zones up to DMA: 1920 free > low 384 + compact_gap(9)
 * 1024, fragmentation index above 500.
 */
static void boosted_reclaim__wakes_kcompactd_for_a_pageblock(void **state)
{
	(void)state;
	struct machine *m = boot_613("4G");
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "0"), 0);
	assert_int_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "1000"), 0);
	int dma = machine_zone_by_name(m, "DMA");
	uint64_t taken, freed, pfn;
	assert_int_equal(extfrag_fragment_zone(m, dma, gfp(m, "GFP_HIGHUSER_MOVABLE"), "x.", &taken, &freed), 0);
	assert_int_equal(m->zones[dma].wmark[WMARK_LOW], 384);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|GFP_DMA"), 0, &pfn), 0);
	assert_int_equal(m->zones[dma].watermark_boost, 512);
	vmscan_kswapd_pending(m);
	assert_int_equal(m->zones[dma].watermark_boost, 0);
	const struct change *w = last_event(m, CH_KCOMPACTD_WAKE);
	assert_non_null(w);
	assert_int_equal(w->mt, KCOMPACTD_BY_BOOST);
	assert_int_equal(w->order, 9);
	assert_int_equal(w->zone, dma);
	assert_int_equal(m->compact_ev.daemon_wake, 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * 6.13 wakeup_kswapd() on a node that is already balanced: "There may be
 * plenty of free memory available, but it's too fragmented for high-order
 * allocations": without __GFP_DIRECT_RECLAIM it wakes kcompactd instead.
 * 256M x86_64, DMA fragmented (1920 free order-0 pages), DMA32 untouched:
 * the node is balanced at order 4 up to DMA32 (DMA32 has order-4 blocks
 * above high), kswapd stays asleep.  kcompactd_node_suitable(): DMA has no
 * order-4 block and 1920 > low 38 + compact_gap(4) 32 + lowmem_reserve
 * 213 = 283 with a fragmentation index above 500: woken.  A GFP_KERNEL
 * caller, which may compact itself, wakes nothing.
 */
static void wakeup_kswapd__balanced_node_wakes_kcompactd_for_an_atomic_caller(void **state)
{
	(void)state;
	struct machine *m = boot_613("256M");
	int dma = machine_zone_by_name(m, "DMA");
	assert_int_equal(m->zones[dma].wmark[WMARK_LOW], 38);
	assert_int_equal(m->zones[dma].lowmem_reserve[1], 213);
	uint64_t taken, freed;
	assert_int_equal(extfrag_fragment_zone(m, dma, gfp(m, "GFP_HIGHUSER_MOVABLE"), "x.", &taken, &freed), 0);
	assert_int_equal(m->zones[dma].free_pages, 1920);
	m->log.enabled = true;
	changelog_reset(m);
	vmscan_wakeup_kswapd(m, gfp(m, "GFP_KERNEL"), 4, 1);
	assert_false(m->vm->kswapd_woken[0]);
	assert_false(m->kcompactd[0].woken);
	vmscan_wakeup_kswapd(m, gfp(m, "GFP_ATOMIC"), 4, 1);
	assert_false(m->vm->kswapd_woken[0]);
	assert_true(m->kcompactd[0].woken);
	const struct change *w = last_event(m, CH_KCOMPACTD_WAKE);
	assert_non_null(w);
	assert_int_equal(w->mt, KCOMPACTD_BY_WAKEUP_KSWAPD);
	assert_int_equal(vmscan_kswapd_pending(m), 1);          /* kcompactd0 alone */
	assert_int_equal(m->compact_ev.daemon_wake, 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void drop_caches__frees_clean_cache_and_keeps_dirty(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "256M");
	uint64_t n, dropped, before = free_pages(m);
	assert_int_equal(vmscan_pagecache(m, "a", 100, false, &n), 0);
	assert_int_equal(vmscan_pagecache(m, "b", 30, true, &n), 0);
	assert_int_equal(vmscan_drop_caches(m, 1, &dropped), 0);
	assert_int_equal(dropped, 100);
	assert_int_equal(vmscan_file_pages(m), 30);
	assert_int_equal(free_pages(m), before - 30);
	/* 6.13 takes 1..4, 2.6.32 1..3 */
	assert_int_equal(vmscan_drop_caches(m, 5, &dropped), -EINVAL);
	assert_int_equal(vmscan_drop_caches(m, 4, &dropped), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void check__finds_an_lru_count_that_lies(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "256M");
	uint64_t n;
	assert_int_equal(vmscan_pagecache(m, "a", 10, false, &n), 0);
	assert_int_equal(machine_check(m), 0);
	int z = m->vm->pg[0].zone;
	m->vm->lru[z][LRU_INACTIVE_FILE].nr++;
	assert_int_equal(machine_check(m), -EUCLEAN);
	m->vm->lru[z][LRU_INACTIVE_FILE].nr--;
	m->vm->nr_dirty[z]++;
	assert_int_equal(machine_check(m), -EUCLEAN);
	m->vm->nr_dirty[z]--;
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void swap__anon_goes_to_swap_and_swapoff_brings_it_back(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "128M");
	assert_int_equal(vmscan_swapon(m, 8193), 0);
	assert_int_equal(m->vm->swap_total, 8192);     /* page 0: the header */
	/* unkillable, so that swapoff cannot make room by killing it */
	int t = vmscan_task_create(m, "big", OOM_SCORE_ADJ_MIN);
	uint64_t n, total = free_pages(m);
	/* more anon than RAM: the rest goes to swap */
	assert_int_equal(vmscan_anon(m, t, total + 1000, &n), 0);
	assert_true(m->vm->task[t].swapents >= 1000);
	assert_int_equal(m->vm->swap_used, m->vm->task[t].swapents);
	assert_int_equal(machine_check(m), 0);
	/* swapoff cannot read it all back and nothing can be killed (the
	 * kernel would panic): ENOMEM, swap stays on */
	assert_int_equal(vmscan_swapoff(m), -ENOMEM);
	assert_true(m->vm->swap_total > 0);
	assert_int_equal(machine_check(m), 0);
	uint64_t freed;
	assert_int_equal(vmscan_task_exit(m, t, &freed), 0);
	assert_int_equal(m->vm->swap_used, 0);
	assert_int_equal(vmscan_swapoff(m), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* sys_swapoff() marks itself the OOM killer's first choice (2.6.32
 * PF_OOM_ORIGIN, 6.13 set_current_oom_origin()): when try_to_unuse() runs
 * out of memory it is swapoff that is killed and fails, swap stays on; no
 * task loses its memory to make room for the pages swapoff reads back. */
static void swapoff__out_of_memory_kills_no_task_both_profiles(void **state)
{
	(void)state;
	static const char *const arch[] = { "i386", "x86_64" };
	for (int a = 0; a < 2; a++) {
		struct machine *m = boot(arch[a], "128M");
		assert_int_equal(vmscan_swapon(m, 16384), 0);
		int t = vmscan_task_create(m, "t", 0);
		int u = vmscan_task_create(m, "u", 0);
		uint64_t n, total = free_pages(m);
		assert_int_equal(vmscan_anon(m, t, total, &n), 0);
		assert_int_equal(vmscan_anon(m, u, total / 2, &n), 0);
		assert_true(m->vm->task[t].alive && m->vm->task[u].alive);
		uint64_t swapped = m->vm->swap_used;
		assert_true(swapped > 1000);
		uint64_t kills = m->vm->ev.oom_kill;
		assert_int_not_equal(vmscan_swapoff(m), 0);
		assert_int_equal(m->vm->ev.oom_kill, kills);
		assert_true(m->vm->task[t].alive && m->vm->task[u].alive);
		assert_true(m->vm->swap_total > 0);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* ---- vm.swappiness and the scan balance ------------------------------------ */

/* the zone of kind k on node 0 */
static int zone_of(const struct machine *m, int k)
{
	for (int z = 0; z < m->nr_node_zones; z++)
		if ((int)m->zones[z].kind == k)
			return z;
	fail();
	return -1;
}

/* lists set by hand: 4000 + 4000 anon (not low: under 1 GB the ratio is 1,
 * 4000 < 4000 is false), 4000 + 6000 file (low: 4000 < 6000, so no
 * cache_trim_mode), 10000 file pages far above the high watermark (not
 * file_is_tiny), 1000 pages of free swap */
static struct vm_state *lists(struct machine *m, int z)
{
	struct vm_state *v = vmscan_state(m);
	assert_non_null(v);
	v->lru[z][LRU_INACTIVE_ANON].nr = 4000;
	v->lru[z][LRU_ACTIVE_ANON].nr = 4000;
	v->lru[z][LRU_INACTIVE_FILE].nr = 4000;
	v->lru[z][LRU_ACTIVE_FILE].nr = 6000;
	v->swap_total = 1000;
	return v;
}

static void expect_scan(const uint64_t nr[NR_LRU_LISTS], uint64_t ia, uint64_t aa, uint64_t inf, uint64_t af)
{
	assert_int_equal(nr[LRU_INACTIVE_ANON], ia);
	assert_int_equal(nr[LRU_ACTIVE_ANON], aa);
	assert_int_equal(nr[LRU_INACTIVE_FILE], inf);
	assert_int_equal(nr[LRU_ACTIVE_FILE], af);
}

/* 6.13 get_scan_count() SCAN_FRACT at priority 2 (lists >> 2: 1000, 1000,
 * 1000, 1500).  No cost yet: ap = swappiness, fp = 200 - swappiness.
 * swappiness 60: anon 1000 * 60 / 200 = 300, file 1000 * 140 / 200 = 700
 * and 1500 * 140 / 200 = 1050; swappiness 150: 750, 250, 375.  With
 * anon_cost 1000, file_cost 3000 at 60: total 4000, anon_cost 5000,
 * file_cost 7000, total 12000; ap = 60 * 12001 / 5001 = 143, fp = 140 *
 * 12001 / 7001 = 239; anon 1000 * 143 / 382 = 374, file 1000 * 239 / 382
 * = 625, 1500 * 239 / 382 = 938. */
static void scan_count_6_13__swappiness_and_costs_split_anon_and_file(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "128M");
	int z = zone_of(m, ZK_DMA32);
	struct vm_state *v = lists(m, z);
	uint64_t nr[NR_LRU_LISTS];
	assert_int_equal(m->swappiness, 60);
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 300, 300, 700, 1050);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "150"), 0);
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 750, 750, 250, 375);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "60"), 0);
	v->scan_cost[z][0] = 1000;
	v->scan_cost[z][1] = 3000;
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 374, 374, 625, 938);
	/* priority 0: SCAN_EQUAL with swappiness 60, whole lists; with 0 it
	 * stays SCAN_FRACT and ap = 0: file only, whole */
	vmscan_get_scan_count(m, z, 0, nr);
	expect_scan(nr, 4000, 4000, 4000, 6000);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "0"), 0);
	vmscan_get_scan_count(m, z, 0, nr);
	expect_scan(nr, 0, 0, 4000, 6000);
	/* no free swap: SCAN_FILE whatever swappiness says */
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "200"), 0);
	v->swap_used = 1000;
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 0, 0, 1000, 1500);
	machine_destroy(m);
}

/* 6.13 prepare_scan_control()'s file_is_tiny: file + free at or below the
 * high watermark, inactive anon not low and >> priority: SCAN_ANON, even
 * at swappiness 0.  The zone's free pages are taken down to its high
 * watermark with 100 file pages on the lists. */
static void scan_count_6_13__tiny_file_scans_anon_even_at_swappiness_0(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "128M");
	int z = zone_of(m, ZK_DMA32);
	struct vm_state *v = lists(m, z);
	v->lru[z][LRU_INACTIVE_FILE].nr = 40;
	v->lru[z][LRU_ACTIVE_FILE].nr = 60;
	uint64_t saved = m->zones[z].free_pages;
	m->zones[z].free_pages = m->zones[z].wmark[WMARK_HIGH] - 100;
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "0"), 0);
	uint64_t nr[NR_LRU_LISTS];
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 1000, 1000, 0, 0);
	/* one more free page: not tiny; cache_trim_mode needs an inactive
	 * file list that is not low (40 < 60 is low): SCAN_FRACT, ap = 0 */
	m->zones[z].free_pages++;
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 0, 0, 10, 15);
	m->zones[z].free_pages = saved;
	machine_destroy(m);
}

/* 2.6.32 shrink_zone() + get_scan_ratio() at priority 2 with
 * recent_scanned {1000, 4000}: 1000 <= 8000 / 4 stays, 4000 > 10000 / 4
 * halves to 2000.  swappiness 60: ap = 61 * 1001 = 61061, fp = 141 * 2001
 * = 282141, percent[0] = 6106100 / 343203 = 17, percent[1] = 83: anon
 * 1000 * 17 / 100 = 170, file 830 and 1245.  swappiness 100: ap = 101 *
 * 1001 = 101101, fp = 101 * 2001 = 202101, percent[0] = 10110100 / 303203
 * = 33: anon 330, file 670 and 1005.  At priority 0 with swap every list
 * is scanned whole. */
static void scan_ratio_2632__swappiness_and_recent_scanned_split_anon_and_file(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "256M");
	assert_int_equal(m->kp->kv, KV_2_6_32);
	int z = zone_of(m, ZK_NORMAL);
	struct vm_state *v = lists(m, z);
	v->recent_scanned[z][0] = 1000;
	v->recent_scanned[z][1] = 4000;
	uint64_t nr[NR_LRU_LISTS];
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 170, 170, 830, 1245);
	assert_int_equal(v->recent_scanned[z][0], 1000);
	assert_int_equal(v->recent_scanned[z][1], 2000);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "100"), 0);
	vmscan_get_scan_count(m, z, 2, nr);
	expect_scan(nr, 330, 330, 670, 1005);
	vmscan_get_scan_count(m, z, 0, nr);
	expect_scan(nr, 4000, 4000, 4000, 6000);
	machine_destroy(m);
}

/* the sysctls' ranges: 6.x swappiness 0..200 and compact_unevictable_allowed
 * 0..1; 2.6.32 swappiness 0..100 and no compact_unevictable_allowed (4.1) */
static void swappiness_and_compact_unevictable__ranges_per_version(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "128M");
	char buf[32];
	assert_int_equal(machine_sysctl_get(m, "vm.compact_unevictable_allowed", buf, sizeof buf), 0);
	assert_string_equal(buf, "1");
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "201"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "-1"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "200"), 0);
	assert_int_equal(machine_sysctl_set(m, "vm.compact_unevictable_allowed", "2"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.compact_unevictable_allowed", "0"), 0);
	assert_int_equal(m->compact_unevictable_allowed, 0);
	assert_int_equal(m->swappiness, 200);
	machine_destroy(m);
	m = boot("i386", "128M");
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "101"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.swappiness", "100"), 0);
	assert_int_equal(machine_sysctl_get(m, "vm.compact_unevictable_allowed", buf, sizeof buf), -ENOENT);
	assert_int_equal(machine_sysctl_set(m, "vm.compact_unevictable_allowed", "0"), -ENOENT);
	machine_destroy(m);
}

/* The gfp of the LRU page newest on list l of any zone (the last one added). */
static gfp_t newest_lru_gfp(struct machine *m, enum lru_list l)
{
	for (int z = 0; z < m->nr_zones; z++) {
		uint32_t h = m->vm->lru[z][l].head;
		if (h != UINT32_MAX && m->vm->lru[z][l].nr)
			return page_touched(m, m->vm->pg[h].pfn)->gfp;
	}
	fail_msg("no page on LRU list %d", (int)l);
	return 0;
}

/*
 * The pages of the user's memory are folios on 6.x: do_anonymous_page()
 * (6.1: alloc_page_vma() -> vma_alloc_folio(); 6.13:
 * vma_alloc_zeroed_movable_folio() -> vma_alloc_folio_noprof()), the page
 * cache's filemap_alloc_folio() and swapin's __read_swap_cache_async() all
 * allocate through __folio_alloc()/folio_alloc_mpol(), which add
 * __GFP_COMP.  The real Debian 6.1 machine's trace (real-kernels/amd64-*,
 * trace.txt.gz) has 980 order-0 mm_page_alloc events with
 * gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO and 2060 with
 * GFP_HIGHUSER_MOVABLE|__GFP_COMP, and 6.x OOM reports of a faulting task
 * read "gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)"
 * (0x100cca | __GFP_COMP 0x40000 | __GFP_ZERO 0x100).  2.6.32 has no
 * folios: alloc_zeroed_user_highpage_movable() gives 0x280da (0x200da |
 * __GFP_ZERO 0x8000), the read path's page_cache_alloc_cold() 0x201da.
 */
static void user_pages__are_folios_with_gfp_comp_on_6_x(void **state)
{
	(void)state;
	static const struct {
		const char *arch, *kernel;
		gfp_t anon, cache;
	} k[] = {
		{ "x86_64", "6.13", 0x140dca, 0x140cca },
		{ "x86_64", "6.1", 0x140dca, 0x140cca },
		{ "i386", "2.6.32", 0x280da, 0x201da },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct machine_config cfg = { .arch = k[i].arch, .kernel = k[i].kernel, .mem_bytes = 128ull << 20,
					      .pcp_off = true };
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		uint64_t n;
		int t = vmscan_task_create(m, "web", 0);
		assert_int_equal(vmscan_anon(m, t, 4, &n), 0);
		enum lru_list al = m->kp->kv == KV_2_6_32 ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
		assert_int_equal(newest_lru_gfp(m, al), k[i].anon);
		assert_int_equal(vmscan_pagecache(m, "log", 4, false, &n), 0);
		assert_int_equal(newest_lru_gfp(m, LRU_INACTIVE_FILE), k[i].cache);
		if (m->kp->kv != KV_2_6_32) {
			char names[256];
			gfp_format(m->kp, k[i].anon, names, sizeof names);
			assert_string_equal(names, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
		}
		machine_destroy(m);
	}
}

/* Whether the kernel log has a line equal to text. */
static bool dmesg_has(const struct machine *m, const char *text)
{
	for (size_t k = m->dmesg.start; k < m->dmesg.n; k++)
		if (strcmp(dmesg_slot(&m->dmesg, k)->text, text) == 0)
			return true;
	return false;
}

/*
 * __show_mem() prints "%lu pages hwpoisoned" only under
 * CONFIG_MEMORY_FAILURE (6.13 mm/show_mem.c, 6.1 lib/show_mem.c), the
 * option that also gives meminfo its HardwareCorrupted line: Debian's 6.1
 * has both (its meminfo.txt shows the line), the 6.13 configuration the
 * model follows has neither (view/proc.c; the 6.18 host snapshot's meminfo
 * has no HardwareCorrupted).  The OOM report and meminfo must agree.
 */
static void oom_report__hwpoisoned_line_only_with_memory_failure(void **state)
{
	(void)state;
	static const struct { const char *kernel; bool memory_failure; } k[] = {
		{ "6.13", false }, { "6.1", true },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = k[i].kernel, .mem_bytes = 128ull << 20,
					      .pcp_off = true };
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		uint64_t n;
		int a = vmscan_task_create(m, "a", 0), b = vmscan_task_create(m, "b", 0);
		assert_int_equal(vmscan_anon(m, b, free_pages(m) / 2, &n), 0);
		vmscan_anon(m, a, free_pages(m), &n);
		assert_int_equal(m->vm->ev.oom_kill, 1);
		assert_true(dmesg_has(m, "Mem-Info:"));
		assert_int_equal(dmesg_has(m, "0 pages hwpoisoned"), k[i].memory_failure);
		machine_destroy(m);
	}
}

/* Whether some populated zone's free pages are below its min watermark. */
static bool below_min(const struct machine *m)
{
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present && m->zones[z].free_pages < m->zones[z].wmark[WMARK_MIN])
			return true;
	return false;
}

/*
 * 6.13 __gfp_pfmemalloc_flags(): __GFP_MEMALLOC without __GFP_NOMEMALLOC is
 * ALLOC_NO_WATERMARKS, tried in __alloc_pages_slowpath() before direct
 * reclaim ("if (reserve_flags) ... get_page_from_freelist()"): memory at
 * the min marks (the __GFP_NORETRY drain of full_of_anon() stops there)
 * still gives the page, from below the mark, with no reclaim and no kill;
 * __GFP_NOMEMALLOC takes the right away and the request fails.
 */
static void slowpath__gfp_memalloc_goes_below_min_and_nomemalloc_forbids_it(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	uint64_t pfn;
	assert_false(below_min(m));
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_MEMALLOC|__GFP_NOMEMALLOC|__GFP_NORETRY|"
						   "__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	changelog_reset(m);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_MEMALLOC"), 0, &pfn), 0);
	assert_true(below_min(m));
	/* the step log says so: a slow-path event with ALLOC_NO_WATERMARKS */
	const struct change *sp = last_event(m, CH_SLOWPATH);
	assert_non_null(sp);
	assert_int_equal(sp->mt, AF_NO_WATERMARKS);
	assert_int_equal(count_events(m, CH_DIRECT_RECLAIM), 0);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * PF_MEMALLOC (6.13 __gfp_pfmemalloc_flags(): "if (!in_interrupt()) { if
 * (current->flags & PF_MEMALLOC) return ALLOC_NO_WATERMARKS; ...}", and
 * __alloc_pages_slowpath(): "Avoid recursion of direct reclaim: if
 * (current->flags & PF_MEMALLOC) goto nopage"): between
 * memalloc_noreclaim_save() and _restore() the task's plain GFP_KERNEL
 * pages come from below the min marks with no reclaim; with
 * __GFP_NOMEMALLOC it may neither use the reserves nor reclaim: it fails,
 * no OOM kill.  In a hardirq the flag gives nothing.  It is the shell
 * task's flag: the hog's own faults reclaim and end in the OOM killer.
 */
static void slowpath__pf_memalloc_task_takes_the_reserves_and_never_reclaims(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("x86_64");
	int hog = vmscan_task_find(m, "hog");
	uint64_t pfn;
	unsigned flags = 1;
	assert_int_equal(context_memalloc_noreclaim_save(m, &flags), 0);
	assert_int_equal(flags, 0);
	unsigned nested;
	assert_int_equal(context_memalloc_noreclaim_save(m, &nested), 0);
	assert_int_equal(nested, PF_MEMALLOC);
	assert_int_equal(context_memalloc_noreclaim_restore(m, nested), 0);
	assert_true(m->ctx.pf_memalloc);
	m->log.enabled = true;
	changelog_reset(m);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_true(below_min(m));
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOMEMALLOC|__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	assert_int_equal(count_events(m, CH_DIRECT_RECLAIM), 0);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	assert_true(m->vm->task[hog].alive);
	/* a hardirq: in_interrupt(), the flag does not count */
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_false(context_pf_memalloc_reserves(m));
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_true(context_pf_memalloc_reserves(m));
	assert_int_equal(context_memalloc_noreclaim_restore(m, 3), -EINVAL);
	assert_true(m->ctx.pf_memalloc);
	/* the flag is the shell's (pid 1): another task's page faults take
	 * the normal path, reclaim and the OOM killer (which takes the hog) */
	uint64_t n;
	vmscan_anon(m, hog, 1000, &n);
	assert_true(count_events(m, CH_DIRECT_RECLAIM) > 0);
	assert_int_equal(m->vm->ev.oom_kill, 1);
	assert_false(m->vm->task[hog].alive);
	assert_int_equal(context_memalloc_noreclaim_restore(m, flags), 0);
	assert_false(m->ctx.pf_memalloc);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	/* 2.6.32 has no such calls */
	m = boot("i386", "64M");
	assert_int_equal(context_memalloc_noreclaim_save(m, &flags), -EINVAL);
	assert_false(m->ctx.pf_memalloc);
	machine_destroy(m);
}

/*
 * 2.6.32 gfp_to_alloc_flags(): "if (likely(!(gfp_mask & __GFP_NOMEMALLOC)))
 * { if (!in_interrupt() && ((p->flags & PF_MEMALLOC) || ...)) alloc_flags |=
 * ALLOC_NO_WATERMARKS; }", and __alloc_pages_slowpath(): "Avoid recursion
 * of direct reclaim: if (p->flags & PF_MEMALLOC) goto nopage".  Its code
 * sets the flag directly (current->flags |= PF_MEMALLOC): the task's
 * GFP_KERNEL pages then come from below the min marks, with no reclaim;
 * 2.6.32's in_interrupt() counts softirq context too (irq_count():
 * HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK), so a softirq gets nothing.
 */
static void slowpath__2_6_32_pf_memalloc_task_takes_the_reserves(void **state)
{
	(void)state;
	struct machine *m = full_of_anon("i386");
	uint64_t pfn;
	assert_false(below_min(m));
	context_pf_memalloc_set(m, true);
	assert_true(m->ctx.pf_memalloc);
	m->log.enabled = true;
	changelog_reset(m);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_true(below_min(m));
	assert_int_equal(count_events(m, CH_DIRECT_RECLAIM), 0);
	assert_int_equal(m->vm->ev.oom_kill, 0);
	/* __GFP_NOMEMALLOC: no reserves, and no reclaim either (recursion) */
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOMEMALLOC|__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	assert_int_equal(count_events(m, CH_DIRECT_RECLAIM), 0);
	assert_int_equal(context_enter(m, CTX_SOFTIRQ), 0);
	assert_false(context_pf_memalloc_reserves(m));
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_true(context_pf_memalloc_reserves(m));
	context_pf_memalloc_set(m, false);
	assert_false(context_pf_memalloc_reserves(m));
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * __GFP_NOFAIL for a PF_MEMALLOC task with nothing left: the kernel never
 * fails it.  6.13 __alloc_pages_slowpath() warns on entry, "if
 * (unlikely(nofail)) { ... WARN_ON_ONCE(current->flags & PF_MEMALLOC); }",
 * and at nopage tries __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE) and
 * goes back to retry; 6.1 warns at nopage, WARN_ON_ONCE_GFP(current->flags
 * & PF_MEMALLOC, gfp_mask) (mm/page_alloc.c:5375 in Debian's 6.1.192;
 * __GFP_NOWARN hides it there).  Neither reaches fail: (warn_alloc()'s
 * "page allocation failure"); the model stops the endless retry (VR_LOOP).
 * WARN_ON_ONCE: a second such request warns no more.
 */
static size_t dmesg_lines_with(const struct machine *m, const char *part)
{
	size_t n = 0;
	for (size_t k = m->dmesg.start; k < m->dmesg.n; k++)
		n += strstr(dmesg_slot(&m->dmesg, k)->text, part) != NULL;
	return n;
}

static void slowpath__pf_memalloc_nofail_loops_and_warns_once(void **state)
{
	(void)state;
	static const struct { const char *kernel, *warn; } k[] = {
		{ "6.13", "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:4215 __alloc_pages_slowpath+0x0/0x0" },
		{ "6.1", "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:5375 __alloc_pages_slowpath+0x0/0x0" },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = k[i].kernel, .pcp_off = true };
		assert_int_equal(parse_size("128M", &cfg.mem_bytes), 0);
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		unsigned flags;
		uint64_t pfn;
		assert_int_equal(context_memalloc_noreclaim_save(m, &flags), 0);
		/* no watermark at all (ALLOC_NO_WATERMARKS): every free page */
		int r = 0;
		for (int n = 0; n < 1000000 && r == 0; n++)
			r = buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOWARN"), 0, &pfn);
		assert_int_equal(r, -ENOMEM);
		assert_int_equal(dmesg_lines_with(m, "WARNING:"), 0);
		assert_false(m->taint & (1ul << TAINT_WARN));
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOFAIL"), 0, &pfn), -ENOMEM);
		assert_int_equal(m->vm->last_why, VR_LOOP);
		assert_int_equal(dmesg_lines_with(m, "page allocation failure"), 0);
		assert_true(dmesg_has(m, k[i].warn));
		assert_true(m->taint & (1ul << TAINT_WARN));
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOFAIL"), 0, &pfn), -ENOMEM);
		assert_int_equal(dmesg_lines_with(m, "WARNING:"), 1);
		assert_int_equal(dmesg_lines_with(m, "page allocation failure"), 0);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/*
 * An OOM victim's own __GFP_NOFAIL request (6.x): after its ALLOC_OOM
 * retry, "Avoid allocations with no watermarks from looping endlessly"
 * (tsk_is_oom_victim(current) && alloc_flags & ALLOC_OOM) goes to nopage,
 * where __GFP_NOFAIL does not fail: __alloc_pages_cpuset_fallback(gfp,
 * order, ALLOC_MIN_RESERVE) gives pages from half the min mark, and when
 * that too is empty the kernel retries for ever; never warn_alloc().
 */
static void oom_victim__nofail_takes_the_min_reserve_then_loops(void **state)
{
	(void)state;
	static const char *const kernels[] = { "6.13", "6.1" };
	for (size_t i = 0; i < 2; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = kernels[i], .pcp_off = true,
					      .thp = THP_NEVER };
		assert_int_equal(parse_size("128M", &cfg.mem_bytes), 0);
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
		int hog = vmscan_task_create(m, "hog", 0);
		uint64_t n, pfn;
		assert_int_equal(vmscan_anon(m, hog, free_pages(m), &n), -ENOMEM);
		/* the hog was killed and its memory came back: fill it again with
		 * pages no one reclaims, to below the min marks */
		int r = 0;
		for (int k = 0; k < 1000000 && r == 0; k++)
			r = buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN"), 0, &pfn);
		/* a task mark_oom_victim() marked, allocating */
		int t = vmscan_task_create(m, "victim", 0);
		m->vm->task[t].oom_victim = true;
		m->vm->current = t;
		unsigned kills = (unsigned)m->vm->ev.oom_kill;
		size_t warned = dmesg_lines_with(m, "page allocation failure");
		unsigned got = 0;
		r = 0;
		for (int k = 0; k < 100000 && r == 0; k++)
			if ((r = buddy_alloc_pages(m, gfp(m, "GFP_KERNEL|__GFP_NOFAIL"), 0, &pfn)) == 0)
				got++;
		assert_int_equal(r, -ENOMEM);
		assert_true(got > 0);           /* the ALLOC_MIN_RESERVE fallback's pages */
		assert_int_equal(m->vm->last_why, VR_LOOP);
		assert_int_equal(dmesg_lines_with(m, "page allocation failure"), warned);
		assert_int_equal(m->vm->ev.oom_kill, kills);    /* no second kill */
		m->vm->current = -1;
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(si_mem_available__keeps_half_the_cache_or_the_low_watermarks),
		cmocka_unit_test(oom_badness__rss_swap_and_tables_moved_by_oom_score_adj),
		cmocka_unit_test(badness_2632__root_run_time_and_oom_adj_shifts),
		cmocka_unit_test(pgtables_bytes__count_the_levels_each_profile_has),
		cmocka_unit_test(select_bad_process__ties_go_to_the_later_task_on_6_13_the_first_on_2_6_32),
		cmocka_unit_test(kswapd__woken_below_low_and_reclaims_until_high),
		cmocka_unit_test(direct_reclaim__frees_clean_cache_before_dirty),
		cmocka_unit_test(slowpath__noretry_reclaims_once_and_fails_without_oom),
		cmocka_unit_test(slowpath__gfp_kernel_calls_the_oom_killer_and_gets_its_page),
		cmocka_unit_test(slowpath__pf_memalloc_nofail_loops_and_warns_once),
		cmocka_unit_test(oom_victim__nofail_takes_the_min_reserve_then_loops),
		cmocka_unit_test(slowpath__retry_mayfail_and_costly_orders_never_kill),
		cmocka_unit_test(slowpath__nofail_costly_order_takes_the_min_reserve),
		cmocka_unit_test(slowpath_2632__small_orders_call_the_oom_killer_without_progress),
		cmocka_unit_test(watermark__alloc_oom_halves_the_min_mark),
		cmocka_unit_test(oom_victim__its_own_allocation_retries_with_the_victims_reserves),
		cmocka_unit_test(kswapd__going_to_sleep_wakes_kcompactd_for_the_order_it_was_woken_for),
		cmocka_unit_test(boosted_reclaim__wakes_kcompactd_for_a_pageblock),
		cmocka_unit_test(wakeup_kswapd__balanced_node_wakes_kcompactd_for_an_atomic_caller),
		cmocka_unit_test(drop_caches__frees_clean_cache_and_keeps_dirty),
		cmocka_unit_test(check__finds_an_lru_count_that_lies),
		cmocka_unit_test(swap__anon_goes_to_swap_and_swapoff_brings_it_back),
		cmocka_unit_test(swapoff__out_of_memory_kills_no_task_both_profiles),
		cmocka_unit_test(scan_count_6_13__swappiness_and_costs_split_anon_and_file),
		cmocka_unit_test(scan_count_6_13__tiny_file_scans_anon_even_at_swappiness_0),
		cmocka_unit_test(scan_ratio_2632__swappiness_and_recent_scanned_split_anon_and_file),
		cmocka_unit_test(swappiness_and_compact_unevictable__ranges_per_version),
		cmocka_unit_test(user_pages__are_folios_with_gfp_comp_on_6_x),
		cmocka_unit_test(oom_report__hwpoisoned_line_only_with_memory_failure),
		cmocka_unit_test(slowpath__gfp_memalloc_goes_below_min_and_nomemalloc_forbids_it),
		cmocka_unit_test(slowpath__pf_memalloc_task_takes_the_reserves_and_never_reclaims),
		cmocka_unit_test(slowpath__2_6_32_pf_memalloc_task_takes_the_reserves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
