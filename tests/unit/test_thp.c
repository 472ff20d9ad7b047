/*
 * test_thp.c - transparent huge pages where they touch the page
 * allocator: khugepaged's set_recommended_min_free_kbytes() (6.12/6.13
 * mm/khugepaged.c) against the real Debian 6.1 machines of
 * ../shared/reference/real-kernels, and --thp at boot.
 *
 * The real inputs are the zones as they were when hugepage_init() ran (a
 * subsys_initcall): the final managed counts of zoneinfo less the pages the
 * kernel freed later (dmesg: "Freeing initrd memory", "Freeing unused
 * kernel image ..."), which sit in the zone of the kernel image.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmemsh/buddy.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"

/*
 * amd64, 4 GiB, 2 CPUs: DMA, DMA32 and Normal populated, pageblocks of 512
 * pages: 512 * 3 * (2 + 3 * 3) = 16896 pages = 67584 kB, well under 5% of
 * lowmem.  This machine's own /proc/sys/vm/min_free_kbytes (THP madvise,
 * the same three zones) is 67584 too.
 */
static void recommended_min__amd64_4g__is_67584(void **state)
{
	(void)state;
	assert_int_equal(machine_thp_recommended_min_free_kbytes(512, 3, 990000), 67584);
}

/*
 * i386, 1 GiB (the 686 kernel, THP always, min_free_kbytes 42288): the
 * zones GFP_USER may use are DMA and Normal (not HighMem), pageblocks of
 * 1024 pages: 1024 * 2 * 11 = 22528 pages, more than 5% of
 * nr_free_buffer_pages().  That is the managed pages above each zone's
 * high watermark: DMA 3840 - 24, Normal 209480 - 489 (initrd 1044K and
 * initmem 912K freed later) - 1355, the high marks from min_free_kbytes
 * int_sqrt(212831 * 64) = 3690 (pages_min 922: DMA min 16, tmp 4, high
 * 24; Normal min 905, tmp 225, high 1355): 211452 / 20 = 10572 pages =
 * 42288 kB.  With transparent_hugepage=never calculate_min_free_kbytes()
 * runs again over the same pages: int_sqrt(211452 * 64) = 3678, what the
 * same kernel shows booted with transparent_hugepage=never.
 */
static void recommended_min__i386_1g__is_capped_at_5_percent_42288(void **state)
{
	(void)state;
	assert_int_equal(machine_thp_recommended_min_free_kbytes(1024, 2, (3840 - 24) + (209480 - 489 - 1355)), 42288);
	assert_int_equal(int_sqrt(211452ull * 4 * 16), 3678);
}

/*
 * The watermarks that follow: 67584 kB on the amd64 zones as they were at
 * hugepage_init() (zoneinfo's managed DMA 3840, DMA32 754605, Normal 239237,
 * less 9032 kB = 2258 pages freed later from DMA32, where the image is):
 * DMA32 min = 16896 * 752347 / 995424 = 12770, tmp = 12770 / 4 = 3192,
 * low 15962, high 19154.
 */
static void watermarks__amd64_thp_on__dma32_12770_15962_19154(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 4ull << 30 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	int dma = machine_zone_by_name(m, "DMA"), dma32 = machine_zone_by_name(m, "DMA32"),
	    normal = machine_zone_by_name(m, "Normal");
	m->zones[dma].managed = 3840;
	m->zones[dma32].managed = 754605 - 2258;
	m->zones[normal].managed = 239237;
	m->min_free_kbytes = 67584;
	machine_setup_wmarks(m);
	assert_int_equal(m->zones[dma32].wmark[WMARK_MIN], 12770);
	assert_int_equal(m->zones[dma32].wmark[WMARK_LOW], 15962);
	assert_int_equal(m->zones[dma32].wmark[WMARK_HIGH], 19154);
	machine_destroy(m);
}

static struct machine *boot_thp(const char *arch, const char *kernel, enum thp_mode thp)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .mem_bytes = 4ull << 30, .thp = thp };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

/* At boot: always (the default) and madvise raise min_free_kbytes to the
 * recommendation; never recomputes it over nr_free_buffer_pages(). */
static void boot__thp_raises_min_free_kbytes_only_upward(void **state)
{
	(void)state;
	struct machine *m = boot_thp("x86_64", NULL, THP_DEFAULT);
	assert_int_equal(m->thp, THP_ALWAYS);
	assert_int_equal(m->min_free_kbytes, 67584);
	unsigned on = m->zones[machine_zone_by_name(m, "DMA32")].wmark[WMARK_MIN];
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	m = boot_thp("x86_64", NULL, THP_MADVISE);
	assert_int_equal(m->min_free_kbytes, 67584);
	machine_destroy(m);
	m = boot_thp("x86_64", NULL, THP_NEVER);
	assert_int_equal(m->thp, THP_NEVER);
	/* the high marks are those of the min_free_kbytes computed before */
	uint64_t nfbp = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE && z->kind != ZK_DEVICE && z->managed)
			nfbp += z->managed;
	}
	assert_true(m->min_free_kbytes < 8192);
	assert_true(m->min_free_kbytes <= int_sqrt(nfbp * 64));
	assert_true(m->zones[machine_zone_by_name(m, "DMA32")].wmark[WMARK_MIN] < on);
	machine_destroy(m);
	/* only upward: a min_free_kbytes above the recommendation stays */
	m = boot_thp("x86_64", NULL, THP_ALWAYS);
	char err[256];
	m->min_free_kbytes = 100000;
	assert_int_equal(machine_thp_init(m, err, sizeof err), 0);
	assert_int_equal(m->min_free_kbytes, 100000);
	machine_destroy(m);
}

/*
 * Order-9 THP allocations by their GFP flags (6.13 __alloc_pages_slowpath()):
 * with every zone fragmented (`fragment`, every other page free) no
 * order-9 block exists.  GFP_TRANSHUGE_LIGHT has no __GFP_DIRECT_RECLAIM:
 * no compaction, it fails at once.  GFP_TRANSHUGE may reclaim: a costly
 * order, so direct compaction runs (async, then at compact_priority) for
 * each zone it is suitable for; without __GFP_RETRY_MAYFAIL a costly
 * request does not loop, and it fails or succeeds after those two runs,
 * each counted as a compact_stall.
 */
static void order_9_thp_requests__follow_their_gfp(void **state)
{
	(void)state;
	struct machine *m = boot_thp("x86_64", NULL, THP_DEFAULT);
	gfp_t movable, light, full;
	assert_int_equal(gfp_parse(m->kp, "GFP_HIGHUSER_MOVABLE", &movable, NULL), 0);
	assert_int_equal(gfp_parse(m->kp, "GFP_TRANSHUGE_LIGHT", &light, NULL), 0);
	assert_int_equal(gfp_parse(m->kp, "GFP_TRANSHUGE", &full, NULL), 0);
	for (int z = 0; z < m->nr_zones; z++) {
		uint64_t taken, freed;
		if (m->zones[z].present)
			assert_int_equal(extfrag_fragment_zone(m, z, movable, "x.", &taken, &freed), 0);
	}
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, light, 9, &pfn), -ENOMEM);
	assert_int_equal(m->compact_ev.stall, 0);
	int r = buddy_alloc_pages(m, full, 9, &pfn);
	assert_int_equal(m->compact_ev.stall, 2);
	assert_int_equal(m->compact_ev.success + m->compact_ev.fail, 2);
	assert_int_equal(r == 0, m->compact_ev.success == 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void linux_2_6_32__refuses_thp(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .thp = THP_ALWAYS };
	struct machine *m = NULL;
	char err[256] = "";
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), -EINVAL);
	assert_null(m);
	assert_non_null(strstr(err, "no transparent huge pages"));
	cfg.thp = THP_DEFAULT;
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	assert_int_equal(m->thp, THP_NONE);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recommended_min__amd64_4g__is_67584),
		cmocka_unit_test(recommended_min__i386_1g__is_capped_at_5_percent_42288),
		cmocka_unit_test(watermarks__amd64_thp_on__dma32_12770_15962_19154),
		cmocka_unit_test(boot__thp_raises_min_free_kbytes_only_upward),
		cmocka_unit_test(order_9_thp_requests__follow_their_gfp),
		cmocka_unit_test(linux_2_6_32__refuses_thp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
