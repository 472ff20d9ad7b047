/*
 * test_compaction.c - memory compaction (mm/compaction.c as in 6.12/6.13):
 * the two scanners on a hand-built zone, with the pages migrated, the
 * counters and the free lists worked out by hand from compact_zone(),
 * isolate_migratepages_block(), isolate_freepages_block() and
 * compaction_alloc(); compaction_suitable()'s watermark gap and
 * vm.extfrag_threshold; what never moves; 2.6.32 having none; direct
 * compaction rescuing an order-4 request.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/highmem.h"
#include "kmemsh/machine.h"
#include "kmemsh/memstore.h"
#include "kmemsh/view.h"

#define GFP_KERNEL_13 0xcc0u
#define GFP_HIGHUSER_MOVABLE_13 0x100ccau

static struct machine *boot(const char *arch)
{
	struct machine_config cfg = { .arch = arch };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

/* Take every free page of zone z one by one as a kernel page (not movable). */
static void take_all(struct machine *m, int z)
{
	const struct zone *zn = &m->zones[z];
	for (uint64_t pfn = zn->start_pfn; pfn < zn->start_pfn + zn->spanned; pfn++) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state == PS_FREE && pi.zone == z)
			assert_int_equal(buddy_alloc_pages_at(m, GFP_KERNEL_13, pfn, 0), 0);
	}
	assert_int_equal(zn->free_pages, 0);
}

static void user_page_at(struct machine *m, uint64_t pfn)
{
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	assert_int_equal(buddy_alloc_pages_at(m, GFP_HIGHUSER_MOVABLE_13, pfn, 0), 0);
	buddy_set_page_lru(m, pfn);
}

static void free_range(struct machine *m, uint64_t from, uint64_t to)
{
	for (uint64_t pfn = from; pfn < to; pfn++)
		assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
}

static uint64_t nr_free(const struct machine *m, int z, unsigned order)
{
	return free_area_nr_free(&m->zones[z].free_area[order]);
}

/*
 * x86_64 DMA spans pfns 1-0xfff, pageblocks of 512 pages.  Every page is
 * taken as a kernel page, then: user pages at 0x200, 0x202, 0x204 with
 * their neighbours 0x201, 0x203, 0x205, 0x206-0x207 free; pageblock
 * 0x600-0x7ff free (one order-9 block: above the watermark, and never a
 * target, its first page being a free block of pageblock order); in the
 * top pageblock 0xff8 and 0xffc-0xfff free (order 0 and order 2).
 *
 * compact_zone(): migrate_pfn 1, free_pfn 0xe00.
 * 1st pass: last_migrated_pfn 0 is in the same pageblock as pfn 1, so the
 *   pageblock is finished: pfns 1-0x1ff scanned (511), nothing isolated.
 * 2nd pass: 0x200-0x3ff: 0x200, 0x202, 0x204 isolated (list_add: 0x204
 *   first), the free order-1 block at 0x206 skipped whole: 512 scanned.
 *   compaction_alloc() for 0x204 finds no free page and runs the free
 *   scanner from 0xe00: 504 kernel pages, then 0xff8 (order 0, 1 page:
 *   3 > 1, go on), 0xff9-0xffb, 0xffc (order 2: 5 >= 3, stop): 512
 *   scanned, 5 isolated; free_pfn drops to 0xc00.  0x204 -> 0xff8 (the
 *   order-0 list); 0x202 -> 0xffc (order 2 split: 0xffe to the order-1
 *   list, 0xffd to the order-0 list); 0x200 -> 0xffd.
 * Then 0x400, 0x600 (the order-9 block skipped whole), 0x800 and 0xa00:
 *   512 each; the scanners meet at 0xc00.  0xffe (order 1) goes back.
 * Migrate scanned 511 + 5 * 512 = 3071, free scanned 512, isolated 3 + 5.
 * The freed sources merge: 0x204+0x205+0x206 (order 2), 0x202+0x203
 * (order 1), then 0x200+0x201+0x202+0x204: one order-3 block at 0x200.
 * Free: order 1 (0xffe), order 3 (0x200), order 9 (0x600).
 */
static void compact_memory__hand_built_dma_zone__moves_what_the_kernel_moves(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "DMA");
	assert_true(z >= 0);
	assert_int_equal(m->zones[z].start_pfn, 1);
	assert_int_equal(m->zones[z].start_pfn + m->zones[z].spanned, 0x1000);
	assert_int_equal(m->pageblock_order, 9);
	take_all(m, z);
	for (uint64_t pb = 0; pb < 0x1000; pb += 0x200)
		assert_int_equal(get_pageblock_mt(m, pb), m->kp->mt_movable);
	user_page_at(m, 0x200);
	user_page_at(m, 0x202);
	user_page_at(m, 0x204);
	free_range(m, 0x201, 0x202);
	free_range(m, 0x203, 0x204);
	free_range(m, 0x205, 0x208);
	free_range(m, 0x600, 0x800);
	free_range(m, 0xff8, 0xff9);
	free_range(m, 0xffc, 0x1000);
	assert_int_equal(nr_free(m, z, 9), 1);
	uint64_t allocated = m->nr_alloc_blocks;
	struct compact_events before = m->compact_ev;

	struct compact_report rep;
	assert_int_equal(compaction_compact_memory(m, z, &rep), 0);
	assert_int_equal(rep.nzones, 1);
	assert_int_equal(rep.zone[0].result, COMPACT_COMPLETE);
	assert_int_equal(rep.zone[0].migrate_scanned, 3071);
	assert_int_equal(rep.zone[0].free_scanned, 512);
	assert_int_equal(rep.zone[0].isolated, 8);
	assert_int_equal(rep.zone[0].migrated, 3);
	assert_int_equal(rep.zone[0].failed, 0);
	assert_int_equal(rep.nmoves, 3);
	assert_int_equal(rep.moves[0].from, 0x204);
	assert_int_equal(rep.moves[0].to, 0xff8);
	assert_int_equal(rep.moves[1].from, 0x202);
	assert_int_equal(rep.moves[1].to, 0xffc);
	assert_int_equal(rep.moves[2].from, 0x200);
	assert_int_equal(rep.moves[2].to, 0xffd);
	compact_report_free(&rep);

	for (unsigned o = 0; o < NR_ORDERS; o++)
		assert_int_equal(nr_free(m, z, o), o == 1 || o == 3 || o == 9 ? 1 : 0);
	struct page_info pi;
	buddy_page_info(m, 0x200, &pi);
	assert_int_equal(pi.state, PS_FREE);
	assert_int_equal(pi.order, 3);
	buddy_page_info(m, 0xffe, &pi);
	assert_int_equal(pi.state, PS_FREE);
	assert_int_equal(pi.order, 1);
	/* the pages moved keep what they were: Movable user pages */
	buddy_page_info(m, 0xffd, &pi);
	assert_int_equal(pi.state, PS_ALLOCATED);
	assert_int_equal(pi.gfp, GFP_HIGHUSER_MOVABLE_13);
	assert_true(page_touched(m, 0xffd)->flags & PG_lru);
	assert_int_equal(m->nr_alloc_blocks, allocated);
	uint64_t to;
	assert_int_equal(compaction_moved_to(m, 0x200, &to), 0);
	assert_int_equal(to, 0xffd);
	assert_int_equal(compaction_moved_to(m, 0x201, &to), -ENOENT);
	/* /proc/vmstat's events */
	assert_int_equal(m->compact_ev.migrate_scanned - before.migrate_scanned, 3071);
	assert_int_equal(m->compact_ev.free_scanned - before.free_scanned, 512);
	assert_int_equal(m->compact_ev.isolated - before.isolated, 8);
	assert_int_equal(m->compact_ev.stall, before.stall);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * isolate_freepages()'s stride: a sync compaction samples the first
 * pageblock at every pfn, and each pageblock where it isolated nothing
 * with twice the stride (at most COMPACT_CLUSTER_MAX), so free pages at
 * odd pfns only are missed.  DMA, every page a kernel page, a user page at
 * 0x200, free 0xc01 and 0xc03:
 *   migrate scanner: block 1-0x1ff nothing, block 0x200 isolates 0x200
 *   (migrate_pfn 0x400); compaction_alloc() runs the free scanner from
 *   0xe00 down to pb_end(0x400) = 0x600: 0xe00 stride 1 (512 pfns), 0xc00
 *   stride 2 (256, all even: in use), 0xa00 stride 4 (128), 0x800 stride 8
 *   (64), 0x600 stride 16 (32): 992 sampled, none free, free_pfn 0x400:
 *   the scanners met, 0x200 could not move.
 * The view says why.  With 0xc00 free as well (merged with 0xc01: order
 * 1), stride 2 comes upon it at its first pfn (513 scanned), but the zone
 * has 3 free pages, below min + 2, and __isolate_free_page() refuses it:
 * the free scanner stops there (free_pfn 0xc00, above the migrate
 * scanner, so compact_zone() answers migrate_pages()'s -ENOMEM with
 * COMPACT_CONTENDED), 0x200 does not move, and the view does not blame
 * the stride.
 */
static void compact_memory__free_scanner_stride_misses_odd_free_pages(void **state)
{
	(void)state;
	for (int even = 0; even < 2; even++) {
		struct machine *m = boot("x86_64");
		int z = machine_zone_by_name(m, "DMA");
		take_all(m, z);
		user_page_at(m, 0x200);
		free_range(m, 0xc01, 0xc02);
		free_range(m, 0xc03, 0xc04);
		if (even)
			free_range(m, 0xc00, 0xc01);
		struct compact_report rep;
		assert_int_equal(compaction_compact_memory(m, z, &rep), 0);
		const struct compact_zone_report *zr = &rep.zone[0];
		assert_int_equal(zr->result, even ? COMPACT_CONTENDED : COMPACT_COMPLETE);
		struct out o;
		out_init_buf(&o);
		view_compact(&o, m, &rep, NULL, 0);
		const char *line = "  the free scanner found no free page in the 992 pfns it sampled "
				   "(isolate_freepages(): after each pageblock with none the stride doubles, here to 16)\n";
		o.json = true;
		view_compact(&o, m, &rep, NULL, 0);
		if (!even) {
			assert_int_equal(zr->migrated, 0);
			assert_int_equal(zr->failed, 1);
			assert_int_equal(zr->free_scanned, 992);
			assert_int_equal(zr->free_isolated, 0);
			assert_int_equal(zr->free_stride_max, 16);
			assert_non_null(strstr(o.buf, line));
			assert_non_null(strstr(o.buf, "\"free_isolated\":0,\"free_stride_max\":16,"
						      "\"free_scanner_found_none\":true"));
			assert_int_equal(zr->free_found, 0);
		} else {
			assert_int_equal(zr->migrated, 0);
			assert_int_equal(zr->failed, 1);
			assert_int_equal(zr->free_scanned, 513);
			assert_int_equal(zr->free_found, 1);
			assert_int_equal(zr->free_isolated, 0);
			assert_int_equal(zr->free_stride_max, 2);
			assert_null(strstr(o.buf, "the free scanner found no free page"));
			assert_non_null(strstr(o.buf, "\"free_scanner_found_none\":false"));
			/* contended here is compact_zone()'s answer to -ENOMEM, not the host's */
			assert_false(zr->host_oom);
			assert_non_null(strstr(o.buf, ": contended (stopped: no free page to migrate into before the "
						      "scanners met: migrate_pages() failed with -ENOMEM)\n"));
			assert_null(strstr(o.buf, "out of host memory"));
		}
		out_free(&o);
		compact_report_free(&rep);
		assert_int_equal(machine_check(m), 0);
		machine_destroy(m);
	}
}

/* A run the model stopped because the host had no memory left (cc->oom,
 * not a kernel outcome) is COMPACT_CONTENDED too; the view tells the two
 * apart by the report's host_oom. */
static void compact_view__contended_by_host_oom(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	struct compact_report rep = { .nzones = 1 };
	rep.zone[0].zone = machine_zone_by_name(m, "DMA");
	rep.zone[0].result = COMPACT_CONTENDED;
	rep.zone[0].host_oom = true;
	struct out o;
	out_init_buf(&o);
	view_compact(&o, m, &rep, NULL, 0);
	assert_non_null(strstr(o.buf, ": contended (stopped: out of host memory)\n"));
	assert_null(strstr(o.buf, "migrate_pages()"));
	out_free(&o);
	machine_destroy(m);
}

/* The bytes of a migrated page go with it. */
static void migrated_page__keeps_its_contents(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "DMA");
	take_all(m, z);
	user_page_at(m, 0x200);
	free_range(m, 0x600, 0x800);
	free_range(m, 0xfff, 0x1000);
	uint64_t va = machine_pfn_to_vaddr(m, 0x200);
	struct mem_access_result res;
	assert_int_equal(memstore_write(m, va + 8, 0x1122334455667788ull, 8, &res), 0);
	assert_int_equal(compaction_compact_memory(m, z, NULL), 0);
	uint64_t to, v = 0;
	assert_int_equal(compaction_moved_to(m, 0x200, &to), 0);
	assert_int_equal(to, 0xfff);
	assert_int_equal(memstore_read(m, machine_pfn_to_vaddr(m, 0xfff) + 8, 8, &v, &res), 0);
	assert_int_equal(v, 0x1122334455667788ull);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* Kernel pages, a non-compound high-order block and Movable pages that
 * never were user pages (a large kmalloc with __GFP_MOVABLE) stay put. */
static void kernel_pages__never_move(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "DMA");
	take_all(m, z);
	/* a Movable page that nobody marked as a user page */
	assert_int_equal(buddy_free_pages(m, 0x200, 0), 0);
	assert_int_equal(buddy_alloc_pages_at(m, GFP_HIGHUSER_MOVABLE_13, 0x200, 0), 0);
	/* a Movable order-1 block without __GFP_COMP: not a folio */
	assert_int_equal(buddy_free_pages(m, 0x202, 0), 0);
	assert_int_equal(buddy_free_pages(m, 0x203, 0), 0);
	assert_int_equal(buddy_alloc_pages_at(m, GFP_HIGHUSER_MOVABLE_13, 0x202, 1), 0);
	buddy_set_page_lru(m, 0x202);
	assert_false(page_touched(m, 0x202)->flags & PG_lru);
	/* a kernel page marked is refused too */
	buddy_set_page_lru(m, 0x204);
	assert_false(page_touched(m, 0x204)->flags & PG_lru);
	free_range(m, 0x600, 0x800);
	free_range(m, 0xff0, 0x1000);
	struct compact_report rep;
	assert_int_equal(compaction_compact_memory(m, z, &rep), 0);
	assert_int_equal(rep.zone[0].migrated, 0);
	assert_int_equal(rep.nmoves, 0);
	compact_report_free(&rep);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* A HighMem page mapped with kmap() is pinned: its neighbours move, it stays. */
static void kmapped_highmem_page__stays_where_it_is(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .kernel = "6.13" };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	int z = machine_zone_by_name(m, "HighMem");
	assert_true(z >= 0);
	gfp_t movable;
	assert_int_equal(gfp_parse(m->kp, "GFP_HIGHUSER_MOVABLE", &movable, NULL), 0);
	uint64_t taken, freed;
	assert_int_equal(extfrag_fragment_zone(m, z, movable, "x.", &taken, &freed), 0);
	uint64_t first = m->zones[z].start_pfn;
	struct page_info pi;
	buddy_page_info(m, first, &pi);
	assert_int_equal(pi.state, PS_ALLOCATED);
	struct kmap_result kr;
	assert_int_equal(highmem_kmap(m, first, &kr), 0);
	assert_int_equal(compaction_compact_memory(m, z, NULL), 0);
	uint64_t to;
	assert_int_equal(compaction_moved_to(m, first, &to), -ENOENT);
	buddy_page_info(m, first, &pi);
	assert_int_equal(pi.state, PS_ALLOCATED);
	/* its neighbour, allocated by the same pattern and not mapped, moved */
	assert_int_equal(compaction_moved_to(m, first + 2, &to), 0);
	assert_int_equal(machine_check(m), 0);
	assert_int_equal(highmem_kunmap(m, first, &kr), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * __compaction_suitable(): order-0 watermark ok at low (costly) or min
 * (otherwise) plus compact_gap() = 2 << order; compaction_suitable() for
 * orders above 3 also wants fragmentation_index() above
 * vm.extfrag_threshold.  After `fragment DMA` every free block has order
 * 0: with F free pages the index at order 4 is
 * 1000 - (1000 + F * 1000 / 16) / F.
 */
static void compaction_suitable__watermark_gap_and_extfrag_threshold(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "DMA");
	uint64_t taken, freed;
	assert_int_equal(extfrag_fragment_zone(m, z, GFP_HIGHUSER_MOVABLE_13, "x.", &taken, &freed), 0);
	struct zone *zn = &m->zones[z];
	uint64_t F = zn->free_pages;
	struct contig_page_info info;
	extfrag_fill_contig_page_info(zn, 4, &info);
	int idx = (int)(1000 - (1000 + F * 1000 / 16) / F);
	assert_int_equal(extfrag_fragmentation_index(4, &info), idx);
	assert_true(idx > 500);
	assert_int_equal(m->extfrag_threshold, 500);
	assert_true(compaction_suitable(m, z, 4, z));
	/* a threshold at the index: "towards lack of memory", not compacted */
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", "1000"), 0);
	assert_false(compaction_suitable(m, z, 4, z));
	assert_true(compaction_suitable(m, z, 3, z));           /* not costly: the index is not asked */
	char buf[32];
	snprintf(buf, sizeof buf, "%d", idx);
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", buf), 0);
	assert_false(compaction_suitable(m, z, 4, z));
	snprintf(buf, sizeof buf, "%d", idx - 1);
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", buf), 0);
	assert_true(compaction_suitable(m, z, 4, z));
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", "1001"), -ERANGE);
	/* the gap: free must exceed low + 32 for order 4 (min + 16 for order 3) */
	uint64_t save[NR_WMARK];
	memcpy(save, zn->wmark, sizeof save);
	zn->wmark[WMARK_LOW] = F - 32;
	assert_false(compaction_suitable_wmark(m, z, 4, z));
	zn->wmark[WMARK_LOW] = F - 33;
	assert_true(compaction_suitable_wmark(m, z, 4, z));
	zn->wmark[WMARK_MIN] = F - 16;
	assert_false(compaction_suitable_wmark(m, z, 3, z));
	zn->wmark[WMARK_MIN] = F - 17;
	assert_true(compaction_suitable_wmark(m, z, 3, z));
	memcpy(zn->wmark, save, sizeof save);
	machine_destroy(m);
}

/* An order-4 GFP_KERNEL|GFP_DMA request after `fragment DMA`: the fast path
 * and the min watermark find no order-4 block; async direct compaction
 * scans only Unmovable pageblocks (there are none in DMA) and fails; the
 * sync run compacts until an order-4 block is free, and the retry takes
 * it: two stalls, one failure, one success. */
static void direct_compaction__rescues_an_order_4_request(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "DMA");
	uint64_t taken, freed;
	assert_int_equal(extfrag_fragment_zone(m, z, GFP_HIGHUSER_MOVABLE_13, "x.", &taken, &freed), 0);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL|GFP_DMA", &gfp, NULL), 0);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp, 4, &pfn), 0);
	assert_int_equal(machine_pfn_zone(m, pfn), z);
	assert_int_equal(m->compact_ev.stall, 2);
	assert_int_equal(m->compact_ev.fail, 1);
	assert_int_equal(m->compact_ev.success, 1);
	assert_true(m->compact_ev.isolated > 0);
	assert_int_equal(machine_check(m), 0);
	/* GFP_TRANSHUGE_LIGHT may not reclaim or compact: it fails at once */
	uint64_t stalls = m->compact_ev.stall;
	gfp_t light;
	assert_int_equal(gfp_parse(m->kp, "GFP_TRANSHUGE_LIGHT", &light, NULL), 0);
	assert_int_equal(extfrag_fragment_zone(m, machine_zone_by_name(m, "Normal"), GFP_HIGHUSER_MOVABLE_13, "x.",
					       &taken, &freed), 0);
	assert_int_equal(extfrag_fragment_zone(m, machine_zone_by_name(m, "DMA32"), GFP_HIGHUSER_MOVABLE_13, "x.",
					       &taken, &freed), 0);
	assert_int_equal(buddy_alloc_pages(m, light, 9, &pfn), -ENOMEM);
	assert_int_equal(m->compact_ev.stall, stalls);
	machine_destroy(m);
}

/*
 * wakeup_kcompactd() and kcompactd_do_work() (6.13 mm/compaction.c) on the
 * default x86_64 machine (4G: DMA, DMA32 and Normal populated, so the
 * node's last zone type, pgdat->nr_zones - 1, is 2).  DMA: managed 3840,
 * low 80, protection (lowmem_reserve) for DMA32 2969.
 *   - order 0: nothing (not even the order is noted);
 *   - nothing fragmented: every zone already meets order 4 at min
 *     (compaction_suit_allocation_order() says COMPACT_SUCCESS), so
 *     kcompactd_node_suitable() is false and it sleeps on, though
 *     kcompactd_max_order keeps the 4 and highest_zoneidx falls to 1;
 *   - after `fragment DMA` (1920 free pages, all order 0): for zones up to
 *     DMA32, DMA needs low 80 + compact_gap(4) 32 + protection 2969 = 3081
 *     free pages for __compaction_suitable() and has 1920, DMA32 still
 *     meets order 4: not woken.  Up to DMA only (type 0): 80 + 32 + 0 =
 *     112 < 1920, and the fragmentation index at order 5 is above 500:
 *     woken, max_order 5, highest_zoneidx 0; a second wakeup (order 6)
 *     finds it awake and only raises max_order to 6;
 *   - its run: KCOMPACTD_WAKE 1, order 6, zones up to type 0: DMA only,
 *     compacted at MIGRATE_SYNC_LIGHT; the compact_daemon_*_scanned events
 *     are the run's (and in compact_*_scanned too); not a stall; then
 *     max_order 0 and highest_zoneidx back to 2.
 */
static void kcompactd__wakes_only_where_compaction_helps_and_resets_after_a_run(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int dma = machine_zone_by_name(m, "DMA");
	assert_int_equal(m->zones[dma].wmark[WMARK_LOW], 80);
	assert_int_equal(m->zones[dma].lowmem_reserve[1], 2969);
	const struct kcompactd_state *k = &m->kcompactd[0];
	assert_false(compaction_wakeup_kcompactd(m, 0, 0, 1));
	assert_false(k->init);
	assert_false(compaction_wakeup_kcompactd(m, 0, 4, 1));
	assert_false(k->woken);
	assert_int_equal(k->max_order, 4);
	assert_int_equal(k->highest_zoneidx, 1);
	struct kcompactd_result r;
	assert_int_equal(compaction_kcompactd_run(m, 0, &r), 0);
	assert_int_equal(m->compact_ev.daemon_wake, 0);
	uint64_t taken, freed;
	assert_int_equal(extfrag_fragment_zone(m, dma, GFP_HIGHUSER_MOVABLE_13, "x.", &taken, &freed), 0);
	assert_int_equal(m->zones[dma].free_pages, 1920);
	assert_false(compaction_wakeup_kcompactd(m, 0, 4, 1));
	assert_false(k->woken);
	assert_true(compaction_wakeup_kcompactd(m, 0, 5, 0));
	assert_true(k->woken);
	assert_int_equal(k->max_order, 5);
	assert_int_equal(k->highest_zoneidx, 0);
	assert_false(compaction_wakeup_kcompactd(m, 0, 6, 1));
	assert_int_equal(k->max_order, 6);
	assert_int_equal(k->highest_zoneidx, 0);
	uint64_t ms0 = m->compact_ev.migrate_scanned, fs0 = m->compact_ev.free_scanned;
	assert_int_equal(compaction_kcompactd_run(m, 0, &r), 1);
	assert_int_equal(r.order, 6);
	assert_int_equal(r.highest_zoneidx, 0);
	assert_int_equal(r.zones, 1);
	assert_true(r.migrated > 0);
	assert_int_equal(m->compact_ev.daemon_wake, 1);
	assert_int_equal(m->compact_ev.daemon_migrate_scanned, r.migrate_scanned);
	assert_int_equal(m->compact_ev.daemon_free_scanned, r.free_scanned);
	assert_int_equal(m->compact_ev.migrate_scanned - ms0, r.migrate_scanned);
	assert_int_equal(m->compact_ev.free_scanned - fs0, r.free_scanned);
	assert_int_equal(m->compact_ev.stall, 0);       /* not direct compaction */
	assert_false(k->woken);
	assert_int_equal(k->max_order, 0);
	assert_int_equal(k->highest_zoneidx, 2);
	assert_int_equal(compaction_kcompactd_run(m, 0, &r), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 2.6.32 has no kcompactd (compaction came in 2.6.35, kcompactd in 4.6) */
static void kcompactd_2_6_32__does_not_exist(void **state)
{
	(void)state;
	struct machine *m = boot("i386");
	assert_int_equal(m->kp->kv, KV_2_6_32);
	assert_false(compaction_wakeup_kcompactd(m, 0, 4, 1));
	assert_false(m->kcompactd[0].woken);
	struct kcompactd_result r;
	assert_int_equal(compaction_kcompactd_run(m, 0, &r), 0);
	machine_destroy(m);
}

static void linux_2_6_32__has_no_compaction(void **state)
{
	(void)state;
	struct machine *m = boot("i386");
	assert_false(compaction_exists(m));
	assert_int_equal(compaction_compact_memory(m, -1, NULL), -EOPNOTSUPP);
	assert_true(m->err[0] != '\0');
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", "500"), -ENOENT);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compact_memory__hand_built_dma_zone__moves_what_the_kernel_moves),
		cmocka_unit_test(compact_memory__free_scanner_stride_misses_odd_free_pages),
		cmocka_unit_test(compact_view__contended_by_host_oom),
		cmocka_unit_test(migrated_page__keeps_its_contents),
		cmocka_unit_test(kernel_pages__never_move),
		cmocka_unit_test(kmapped_highmem_page__stays_where_it_is),
		cmocka_unit_test(compaction_suitable__watermark_gap_and_extfrag_threshold),
		cmocka_unit_test(direct_compaction__rescues_an_order_4_request),
		cmocka_unit_test(linux_2_6_32__has_no_compaction),
		cmocka_unit_test(kcompactd__wakes_only_where_compaction_helps_and_resets_after_a_run),
		cmocka_unit_test(kcompactd_2_6_32__does_not_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
