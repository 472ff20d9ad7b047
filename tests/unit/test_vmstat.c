/*
 * test_vmstat.c - /proc/vmstat (view_vmstat): the names and their order
 * against real kernels' files, the values the model computes against the
 * kernel's formulas recomputed here.
 *
 * Real-kernel data: NAMES_6_1 is the first column of /proc/vmstat of Debian
 * 6.1.0 amd64 (4 GiB, 2 CPUs; /work/shared/reference/real-kernels/
 * amd64-6.1-4G-2cpu-nokaslr-thpnever/vmstat.txt).  REAL_IOMEM is the
 * /proc/iomem of an x86_64 Linux 6.18 machine (the one test_view.c uses),
 * whose /proc/vmstat said nr_memmap_boot_pages 98304.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/vmscan.h"
#include "kmemsh/view.h"

#include "view_fixture.h"
#include "fixture.h"

typedef unsigned long long ull;

static const char NAMES_6_1[] =
	"nr_free_pages nr_zone_inactive_anon nr_zone_active_anon nr_zone_inactive_file nr_zone_active_file "
	"nr_zone_unevictable nr_zone_write_pending nr_mlock nr_bounce nr_zspages nr_free_cma numa_hit "
	"numa_miss numa_foreign numa_interleave numa_local numa_other nr_inactive_anon nr_active_anon "
	"nr_inactive_file nr_active_file nr_unevictable nr_slab_reclaimable nr_slab_unreclaimable "
	"nr_isolated_anon nr_isolated_file workingset_nodes workingset_refault_anon workingset_refault_file "
	"workingset_activate_anon workingset_activate_file workingset_restore_anon workingset_restore_file "
	"workingset_nodereclaim nr_anon_pages nr_mapped nr_file_pages nr_dirty nr_writeback "
	"nr_writeback_temp nr_shmem nr_shmem_hugepages nr_shmem_pmdmapped nr_file_hugepages "
	"nr_file_pmdmapped nr_anon_transparent_hugepages nr_vmscan_write nr_vmscan_immediate_reclaim "
	"nr_dirtied nr_written nr_throttled_written nr_kernel_misc_reclaimable nr_foll_pin_acquired "
	"nr_foll_pin_released nr_kernel_stack nr_page_table_pages nr_sec_page_table_pages nr_swapcached "
	"pgpromote_success pgpromote_candidate nr_dirty_threshold nr_dirty_background_threshold pgpgin "
	"pgpgout pswpin pswpout pgalloc_dma pgalloc_dma32 pgalloc_normal pgalloc_movable pgalloc_device "
	"allocstall_dma allocstall_dma32 allocstall_normal allocstall_movable allocstall_device pgskip_dma "
	"pgskip_dma32 pgskip_normal pgskip_movable pgskip_device pgfree pgactivate pgdeactivate pglazyfree "
	"pgfault pgmajfault pglazyfreed pgrefill pgreuse pgsteal_kswapd pgsteal_direct pgdemote_kswapd "
	"pgdemote_direct pgscan_kswapd pgscan_direct pgscan_direct_throttle pgscan_anon pgscan_file "
	"pgsteal_anon pgsteal_file zone_reclaim_failed pginodesteal slabs_scanned kswapd_inodesteal "
	"kswapd_low_wmark_hit_quickly kswapd_high_wmark_hit_quickly pageoutrun pgrotated drop_pagecache "
	"drop_slab oom_kill numa_pte_updates numa_huge_pte_updates numa_hint_faults numa_hint_faults_local "
	"numa_pages_migrated pgmigrate_success pgmigrate_fail thp_migration_success thp_migration_fail "
	"thp_migration_split compact_migrate_scanned compact_free_scanned compact_isolated compact_stall "
	"compact_fail compact_success compact_daemon_wake compact_daemon_migrate_scanned "
	"compact_daemon_free_scanned htlb_buddy_alloc_success htlb_buddy_alloc_fail unevictable_pgs_culled "
	"unevictable_pgs_scanned unevictable_pgs_rescued unevictable_pgs_mlocked unevictable_pgs_munlocked "
	"unevictable_pgs_cleared unevictable_pgs_stranded thp_fault_alloc thp_fault_fallback "
	"thp_fault_fallback_charge thp_collapse_alloc thp_collapse_alloc_failed thp_file_alloc "
	"thp_file_fallback thp_file_fallback_charge thp_file_mapped thp_split_page thp_split_page_failed "
	"thp_deferred_split_page thp_split_pmd thp_scan_exceed_none_pte thp_scan_exceed_swap_pte "
	"thp_scan_exceed_share_pte thp_split_pud thp_zero_page_alloc thp_zero_page_alloc_failed thp_swpout "
	"thp_swpout_fallback balloon_inflate balloon_deflate balloon_migrate swap_ra swap_ra_hit "
	"ksm_swpin_copy cow_ksm zswpin zswpout direct_map_level2_splits direct_map_level3_splits nr_unstable "	;

/* What vmstat_text[] gained from 6.1 to 6.13 in this configuration (each a
 * kernel commit: nr_iommu_pages 6.11, pgdemote_* moved to the node stats
 * 6.10, nr_hugetlb 6.9, nr_memmap_* 6.11, pg{steal,scan}_khugepaged 6.7,
 * thp_underused_split_page 6.12, swpin_zero/swpout_zero 6.13, zswpwb 6.8,
 * direct_map_level*_collapses 6.3). */
static const char *const ADDED_6_13[] = {
	"nr_iommu_pages", "pgdemote_kswapd", "pgdemote_direct", "pgdemote_khugepaged", "nr_hugetlb",
	"nr_memmap_pages", "nr_memmap_boot_pages", "pgsteal_khugepaged", "pgscan_khugepaged",
	"thp_underused_split_page", "swpin_zero", "swpout_zero", "zswpwb", "direct_map_level2_collapses",
	"direct_map_level3_collapses",
};

static const char REAL_IOMEM[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-000fffff : Reserved\n"
	"00100000-bfffffff : System RAM\n"
	"c0001000-eebfffff : PCI Bus 0000:00\n"
	"eec00000-febfffff : Reserved\n"
	"fec00000-fec003ff : IOAPIC 0\n"
	"100000000-63fffffff : System RAM\n";

static int setup_x86_64_4g(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_x86_64_real(void **state)
{
	struct machine_config c = { .arch = "x86_64", .iomem_text = REAL_IOMEM, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_i386_613(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 2 };
	return boot(state, &c);
}

static int setup_i386_2632(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30, .ncpus = 1 };
	return boot(state, &c);
}

static const char *render(struct fx *f)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	view_vmstat(&f->o, f->m);
	assert_non_null(f->o.buf);
	return f->o.buf;
}

/* the value of "NAME v" in the text; fails the test when absent */
static ull item(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; *p;) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	fail_msg("%s is not in /proc/vmstat", name);
	return 0;
}

static bool in_list(const char *const *l, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], w) == 0)
			return true;
	return false;
}

static void vmstat__6_13__is_6_1s_list_in_its_order_plus_the_items_added_since(void **state)
{
	struct fx *f = *state;
	const char *t = render(f);
	/* the model's names, in order */
	static char names[256][48];
	size_t n = 0;
	for (const char *p = t; *p && n < 256; n++) {
		size_t l = strcspn(p, " ");
		assert_true(l < 48);
		memcpy(names[n], p, l);
		names[n][l] = '\0';
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	/* every 6.1 name is there, in 6.1's order (pgdemote_kswapd and
	 * pgdemote_direct moved from the events to the node stats) */
	char buf[sizeof NAMES_6_1];
	memcpy(buf, NAMES_6_1, sizeof buf);
	size_t at = 0, real = 0;
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "), real++) {
		if (strncmp(w, "pgdemote_", 9) == 0)
			continue;
		while (at < n && strcmp(names[at], w))
			at++;
		assert_true(at < n);
	}
	assert_int_equal(real, 173);
	/* and what is not in 6.1 is exactly the list of items added since */
	size_t added = 0;
	for (size_t i = 0; i < n; i++) {
		char pat[64];
		static char hay[sizeof NAMES_6_1 + 2];
		snprintf(pat, sizeof pat, " %.48s ", names[i]);
		hay[0] = ' ';
		memcpy(hay + 1, NAMES_6_1, sizeof NAMES_6_1);
		if (strstr(hay, pat) && strncmp(names[i], "pgdemote_", 9))
			continue;
		assert_true(in_list(ADDED_6_13, sizeof ADDED_6_13 / sizeof ADDED_6_13[0], names[i]));
		added++;
	}
	assert_int_equal(added, sizeof ADDED_6_13 / sizeof ADDED_6_13[0]);
	assert_int_equal(n, 173 - 2 + added);
	assert_string_equal(names[n - 1], "nr_unstable");
}

static void vmstat__real_iomem__memmap_boot_pages_as_the_real_kernel(void **state)
{
	struct fx *f = *state;
	/* 192 present 128 MiB sections, each 32768 * 64 bytes of struct page */
	assert_int_equal(item(render(f), "nr_memmap_boot_pages"), 98304);
}

/* mm/page-writeback.c global_dirtyable_memory() + domain_dirty_limits() */
static void vmstat__dirty_thresholds_follow_global_dirty_limits(void **state)
{
	struct fx *f = *state;
	const struct machine *m = f->m;
	ull free = 0, high_part = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free += m->zones[z].free_pages;
	ull tr = vmscan_totalreserve_pages(m);
	ull x = free > tr ? free - tr : 0;
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].kind == ZK_HIGHMEM && m->zones[z].present)
			high_part += m->zones[z].free_pages - m->zones[z].wmark[WMARK_HIGH];
	x -= high_part < x ? high_part : x;
	x += 1;
	ull thresh = (20 * 4096 / 100) * x / 4096, bg = (10 * 4096 / 100) * x / 4096;
	const char *t = render(f);
	assert_int_equal(item(t, "nr_dirty_threshold"), thresh);
	assert_int_equal(item(t, "nr_dirty_background_threshold"), bg);
	/* 819/4096 is not 20 %: the kernel's per-page ratio shows */
	assert_true(thresh < x / 5);
}

static void vmstat__an_order_3_allocation__counts_8_pages_in_pgalloc_and_leaves_pgfree(void **state)
{
	struct fx *f = *state;
	const char *t = render(f);
	ull a0 = item(t, "pgalloc_normal"), f0 = item(t, "pgfree"), n0 = item(t, "nr_free_pages");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 3, &pfn), 0);
	t = render(f);
	assert_int_equal(item(t, "pgalloc_normal"), a0 + 8);
	assert_int_equal(item(t, "nr_free_pages"), n0 - 8);
	assert_int_equal(item(t, "pgfree"), f0);
	assert_int_equal(buddy_free_pages(f->m, pfn, 3), 0);
	assert_int_equal(item(render(f), "pgfree"), f0 + 8);
}

static void vmstat__page_cache_and_reclaim__count_pgpgin_pgscan_and_pgsteal(void **state)
{
	struct fx *f = *state;
	uint64_t added, reclaimed;
	assert_int_equal(vmscan_pagecache(f->m, "f", 1000, false, &added), 0);
	assert_int_equal(added, 1000);
	const char *t = render(f);
	assert_int_equal(item(t, "pgpgin"), 4000);
	assert_int_equal(item(t, "nr_inactive_file"), 1000);
	assert_int_equal(item(t, "nr_file_pages"), 1000);
	vmscan_kswapd_run(f->m, true, -1, &reclaimed);
	t = render(f);
	assert_int_equal(item(t, "pageoutrun"), 1);
	assert_int_equal(item(t, "pgsteal_kswapd"), f->m->vm->ev.pgsteal_kswapd);
	assert_int_equal(item(t, "pgsteal_kswapd") + item(t, "nr_inactive_file"), 1000);
}

static void vmstat__2_6_32__zone_stats_then_events_per_zone(void **state)
{
	struct fx *f = *state;
	const char *t = render(f);
	assert_true(strncmp(t, "nr_free_pages ", 14) == 0);
	/* 23 zone stats, 4, pgalloc x 4 zones, 3, 2, 4 x 4 zones, 6, 1, 2, 8 */
	size_t lines = 0;
	for (const char *p = t; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 23 + 4 + 4 + 3 + 2 + 16 + 6 + 1 + 2 + 8);
	assert_non_null(strstr(t, "\npgrefill_high 0\npgrefill_movable 0\npgsteal_dma 0\n"));
	assert_true(strstr(t, "unevictable_pgs_mlockfreed 0\n") == t + strlen(t) - strlen("unevictable_pgs_mlockfreed 0\n"));
	assert_null(strstr(t, "nr_dirty_threshold"));
}

static void vmstat__json_is_one_object_of_the_same_items(void **state)
{
	struct fx *f = *state;
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = true;
	view_vmstat(&f->o, f->m);
	assert_true(f->o.buf[0] == '{');
	assert_non_null(strstr(f->o.buf, "\"nr_free_pages\":"));
	assert_non_null(strstr(f->o.buf, "\"nr_unstable\":0}"));
}

/* One node with MPOL_INTERLEAVE 0: 6.13 alloc_pages_mpol() counts
 * NUMA_INTERLEAVE_HIT on the page's zone whenever page_to_nid() is the
 * node interleave chose (here always node 0), with one node as with more,
 * and /proc/vmstat's numa_interleave is the sum of that zone counter
 * (vmstat.c fold_vm_zone_numa_events()): three pages, three hits.  The
 * hits and locals are the page allocations themselves, one each. */
static void vmstat__one_node_interleave__counts_numa_interleave(void **state)
{
	struct fx *f = *state;
	const char *t = render(f);
	ull i0 = item(t, "numa_interleave"), h0 = item(t, "numa_hit");
	assert_int_equal(mempolicy_set(f->m, MPOL_INTERLEAVE, 0x1, true), 0);
	uint64_t pfn;
	for (int i = 0; i < 3; i++)
		assert_int_equal(buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 0, &pfn), 0);
	t = render(f);
	assert_int_equal(item(t, "numa_interleave"), i0 + 3);
	assert_int_equal(item(t, "numa_hit"), h0 + 3);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(vmstat__6_13__is_6_1s_list_in_its_order_plus_the_items_added_since, setup_x86_64_4g),
		T(vmstat__real_iomem__memmap_boot_pages_as_the_real_kernel, setup_x86_64_real),
		T(vmstat__dirty_thresholds_follow_global_dirty_limits, setup_x86_64_4g),
		T(vmstat__dirty_thresholds_follow_global_dirty_limits, setup_i386_613),
		T(vmstat__an_order_3_allocation__counts_8_pages_in_pgalloc_and_leaves_pgfree, setup_x86_64_4g),
		T(vmstat__page_cache_and_reclaim__count_pgpgin_pgscan_and_pgsteal, setup_x86_64_4g),
		T(vmstat__2_6_32__zone_stats_then_events_per_zone, setup_i386_2632),
		T(vmstat__json_is_one_object_of_the_same_items, setup_x86_64_4g),
		T(vmstat__one_node_interleave__counts_numa_interleave, setup_x86_64_4g),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
