/*
 * test_extfrag.c - the kernel's fragmentation indices (mm/vmstat.c, 6.13:
 * fill_contig_page_info, unusable_free_index, __fragmentation_index,
 * extfrag_for_order), their debugfs text, and the fragment helper.
 *
 * Expected values are hand-computed from the kernel's formulas (shown next
 * to each), or real debugfs lines:
 *   - amd64 Debian 6.1 under QEMU (/work/shared/reference/real-kernels/
 *     amd64-6.1-4G-2cpu-nokaslr-thpnever): DMA and DMA32, whose free lists
 *     did not change between its buddyinfo and unusable_index reads;
 *   - an x86_64 Linux 6.18 host, /proc/buddyinfo read before and after
 *     /sys/kernel/debug/extfrag/{unusable,extfrag}_index with no change:
 *     Normal 13063 10938 3266 546 2805 2148 967 442 154 64 69.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/machine.h"
#include "kmemsh/view.h"

static void set_counts(struct zone *z, const uint64_t counts[NR_ORDERS])
{
	for (int o = 0; o < NR_ORDERS; o++) {
		memset(z->free_area[o].nr_mt, 0, sizeof z->free_area[o].nr_mt);
		z->free_area[o].nr_mt[0] = counts[o];
		z->free_area[o].nr_free = counts[o];
	}
}

static void expect_indices(const uint64_t counts[NR_ORDERS], const int unusable[NR_ORDERS],
			   const int extfrag[NR_ORDERS])
{
	struct zone z;
	memset(&z, 0, sizeof z);
	set_counts(&z, counts);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		struct contig_page_info info;
		extfrag_fill_contig_page_info(&z, o, &info);
		assert_int_equal(extfrag_unusable_free_index(o, &info), unusable[o]);
		assert_int_equal(extfrag_fragmentation_index(o, &info), extfrag[o]);
	}
}

static const int ALL_MINUS_ONE[NR_ORDERS] = { -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000,
					      -1000, -1000 };

static void real_amd64_6_1_dma_and_dma32__match_its_debugfs_files(void **state)
{
	(void)state;
	/* DMA: 3712 free pages; order 8: (3712 - 7 * 512) * 1000 / 3712 = 34 */
	static const uint64_t dma[NR_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 3 };
	static const int dma_u[NR_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 0, 34, 34, 172 };
	expect_indices(dma, dma_u, ALL_MINUS_ONE);
	static const uint64_t dma32[NR_ORDERS] = { 5, 5, 7, 7, 5, 6, 6, 8, 5, 3, 732 };
	static const int dma32_u[NR_ORDERS] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 6 };
	expect_indices(dma32, dma32_u, ALL_MINUS_ONE);
}

static void real_host_6_18_normal__matches_its_debugfs_files(void **state)
{
	(void)state;
	static const uint64_t normal[NR_ORDERS] = { 13063, 10938, 3266, 546, 2805, 2148, 967, 442, 154, 64, 69 };
	static const int u[NR_ORDERS] = { 0, 30, 81, 112, 122, 227, 388, 533, 665, 757, 834 };
	expect_indices(normal, u, ALL_MINUS_ONE);
}

static void every_other_page_free__order_1_and_up_fail_for_fragmentation(void **state)
{
	(void)state;
	/* 122880 order-0 blocks: order n: 1000 - (1000 + 122880000 / 2^n) / 122880 */
	static const uint64_t c[NR_ORDERS] = { 122880 };
	static const int u[NR_ORDERS] = { 0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const int e[NR_ORDERS] = { -1000, 500, 750, 875, 938, 969, 985, 993, 997, 999, 1000 };
	expect_indices(c, u, e);
}

static void few_free_blocks__index_goes_negative_as_in_the_kernel(void **state)
{
	(void)state;
	/* one free page: order 1 gives 1000 - (1000 + 500) / 1 = -500;
	 * order 2: 1000 - (1000 + 250) = -250 */
	static const uint64_t one[NR_ORDERS] = { 1 };
	static const int u[NR_ORDERS] = { 0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const int e[NR_ORDERS] = { -1000, -500, -250, -125, -62, -31, -15, -7, -3, -1, 0 };
	expect_indices(one, u, e);
}

static void nothing_free__unusable_is_one_and_extfrag_zero(void **state)
{
	(void)state;
	static const uint64_t none[NR_ORDERS] = { 0 };
	static const int u[NR_ORDERS] = { 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const int e[NR_ORDERS] = { 0 };
	expect_indices(none, u, e);
	/* __fragmentation_index() WARNs and gives 0 above MAX_ORDER */
	struct contig_page_info info = { 8, 1, 0 };
	assert_int_equal(extfrag_fragmentation_index(MAX_ORDER_MODEL + 1, &info), 0);
}

static void extfrag_for_order__is_the_percentage_below_the_order(void **state)
{
	(void)state;
	struct zone z;
	memset(&z, 0, sizeof z);
	/* 4 order-0 pages and one order-2 block: 8 free, 4 below order 2: 50% */
	static const uint64_t c[NR_ORDERS] = { 4, 0, 1 };
	set_counts(&z, c);
	assert_int_equal(extfrag_for_order(&z, 2), 50);
	assert_int_equal(extfrag_for_order(&z, 0), 0);
	assert_int_equal(extfrag_for_order(&z, 3), 100);
}

static struct machine *boot(const char *arch)
{
	struct machine_config cfg = { .arch = arch };
	struct machine *m;
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	return m;
}

static void debugfs_text__is_the_kernels_format(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	assert_true(extfrag_debugfs_exists(m));
	int z = machine_zone_by_name(m, "Normal");
	assert_true(z >= 0);
	static const uint64_t normal[NR_ORDERS] = { 13063, 10938, 3266, 546, 2805, 2148, 967, 442, 154, 64, 69 };
	set_counts(&m->zones[z], normal);
	struct out o;
	out_init_buf(&o);
	view_unusable_index(&o, m);
	/* the host's debugfs line, byte for byte (trailing space included) */
	assert_non_null(strstr(o.buf, "Node 0, zone   Normal 0.000 0.030 0.081 0.112 0.122 0.227 0.388 0.533 "
				      "0.665 0.757 0.834 \n"));
	out_free(&o);
	/* "%2d.%03d": -1000 is "-1.000"; -500 is " 0.-500" and -7 " 0.-07" (C's / and %,
	 * and %03d pads a negative number to three characters sign included) */
	static const uint64_t one[NR_ORDERS] = { 1 };
	set_counts(&m->zones[z], one);
	out_init_buf(&o);
	view_extfrag_index(&o, m);
	assert_non_null(strstr(o.buf, "Node 0, zone   Normal -1.000  0.-500  0.-250  0.-125  0.-62  0.-31 "
				      " 0.-15  0.-07  0.-03  0.-01  0.000 \n"));
	out_free(&o);
	machine_destroy(m);
	m = boot("i386");
	assert_false(extfrag_debugfs_exists(m));
	machine_destroy(m);
}

/* the free pages of zone z whose place in pattern is '.', counted before
 * fragment runs (boot may have allocated a page or two) */
static uint64_t pages_to_free(const struct machine *m, int z, const char *pattern)
{
	const struct zone *zn = &m->zones[z];
	size_t len = strlen(pattern);
	uint64_t n = 0;
	for (uint64_t pfn = zn->start_pfn; pfn < zn->start_pfn + zn->spanned; pfn++) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state == PS_FREE && pi.zone == z && pattern[(pfn - zn->start_pfn) % len] == '.')
			n++;
	}
	return n;
}

static void fragment_default_pattern__leaves_only_order_0_blocks(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64");
	int z = machine_zone_by_name(m, "Normal");
	uint64_t free0 = m->zones[z].free_pages, taken, freed;
	uint64_t expect = pages_to_free(m, z, "x.");
	gfp_t movable = 0x100ccau;      /* 6.13 GFP_HIGHUSER_MOVABLE */
	assert_int_equal(extfrag_fragment_zone(m, z, movable, "x.", &taken, &freed), 0);
	assert_int_equal(taken, free0);
	assert_int_equal(freed, expect);
	assert_int_equal(m->zones[z].free_pages, freed);
	assert_int_equal(free_area_nr_free(&m->zones[z].free_area[0]), freed);
	for (int o = 1; o < NR_ORDERS; o++)
		assert_int_equal(free_area_nr_free(&m->zones[z].free_area[o]), 0);
	assert_int_equal(machine_check(m), 0);
	/* "..x.": three of four free, pairs merge into order 1: per 4 pages one
	 * order-1 block and one order-0 block */
	machine_destroy(m);
	m = boot("x86_64");
	z = machine_zone_by_name(m, "Normal");
	free0 = m->zones[z].free_pages;
	expect = pages_to_free(m, z, "..x.");
	assert_int_equal(extfrag_fragment_zone(m, z, movable, "..x.", &taken, &freed), 0);
	assert_int_equal(freed, expect);
	/* the zone is 2^18 pages from an aligned start: about a quarter are
	 * order-1 pairs (offsets 0-1) and a quarter lone pages (offset 3),
	 * give or take the few pages boot had allocated */
	assert_true(free_area_nr_free(&m->zones[z].free_area[1]) + 4 >= free0 / 4);
	assert_true(free_area_nr_free(&m->zones[z].free_area[0]) + 4 >= free0 / 4);
	assert_int_equal(free_area_nr_free(&m->zones[z].free_area[0]) +
			 2 * free_area_nr_free(&m->zones[z].free_area[1]), freed);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void fragment_bad_pattern__is_refused_and_changes_nothing(void **state)
{
	(void)state;
	struct machine *m = boot("i386");
	int z = machine_zone_by_name(m, "Normal");
	uint64_t free0 = m->zones[z].free_pages, taken = 7, freed = 7;
	assert_int_equal(extfrag_fragment_zone(m, z, 0xd0u, "x#", &taken, &freed), -EINVAL);
	assert_int_equal(extfrag_fragment_zone(m, z, 0xd0u, "", &taken, &freed), -EINVAL);
	assert_int_equal(taken, 7);
	assert_int_equal(m->zones[z].free_pages, free0);
	assert_true(m->err[0] != '\0');
	machine_destroy(m);
	/* more than 64 GiB free: refused before anything is taken */
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 128ull << 30 };
	char err[256];
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	z = machine_zone_by_name(m, "Normal");
	free0 = m->zones[z].free_pages;
	uint64_t allocs0 = m->zones[z].allocs;
	assert_true(free0 > EXTFRAG_FRAGMENT_MAX_PAGES);
	assert_int_equal(extfrag_fragment_zone(m, z, 0x100ccau, "x.", &taken, &freed), -E2BIG);
	assert_int_equal(m->zones[z].free_pages, free0);
	assert_int_equal(m->zones[z].allocs, allocs0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_amd64_6_1_dma_and_dma32__match_its_debugfs_files),
		cmocka_unit_test(real_host_6_18_normal__matches_its_debugfs_files),
		cmocka_unit_test(every_other_page_free__order_1_and_up_fail_for_fragmentation),
		cmocka_unit_test(few_free_blocks__index_goes_negative_as_in_the_kernel),
		cmocka_unit_test(nothing_free__unusable_is_one_and_extfrag_zero),
		cmocka_unit_test(extfrag_for_order__is_the_percentage_below_the_order),
		cmocka_unit_test(debugfs_text__is_the_kernels_format),
		cmocka_unit_test(fragment_default_pattern__leaves_only_order_0_blocks),
		cmocka_unit_test(fragment_bad_pattern__is_refused_and_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
