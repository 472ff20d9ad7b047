/*
 * test_machine.c - booting machines: zone layout, present/managed,
 * watermarks, lowmem_reserve, min_free_kbytes, sysctl, scale.
 *
 * Real-kernel fixtures: tests/data/x86_64-6.18-firecracker.iomem is the
 * /proc/iomem of an x86_64 Linux 6.18 machine; its /proc/zoneinfo showed
 *   DMA    start_pfn 1       spanned 4095    present 3998
 *   DMA32  start_pfn 4096    spanned 1044480 present 782336
 *   Normal start_pfn 1048576 spanned 5505024 present 5505024
 * and, with min_free_kbytes 67584, watermark_scale_factor 10 and managed
 * pages DMA 3840, DMA32 772808, Normal 163840:
 *   DMA min 68 low 85 high 102 promo 119, protection (0, 3018, 3658, 3658, 3658)
 *   DMA32 min 13883 low 17353 high 20823, protection (0, 0, 640, 640, 640)
 *   Normal min 2943 low 3678 high 4413
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/machine.h"
#include "fixture.h"

static void real_iomem__gives_the_real_zone_spans(void **state)
{
	(void)state;
	char *text = slurp("tests/data/x86_64-6.18-firecracker.iomem");
	struct machine_config cfg = { .arch = "x86_64", .iomem_text = text };
	struct machine *m = boot_cfg(&cfg);
	static const struct { const char *zone; uint64_t start, spanned, present; } want[] = {
		{ "DMA", 1, 4095, 3998 },
		{ "DMA32", 4096, 1044480, 782336 },
		{ "Normal", 1048576, 5505024, 5505024 },
	};
	for (size_t i = 0; i < 3; i++) {
		int z = machine_zone_by_name(m, want[i].zone);
		assert_true(z >= 0);
		assert_int_equal(m->zones[z].start_pfn, want[i].start);
		assert_int_equal(m->zones[z].spanned, want[i].spanned);
		assert_int_equal(m->zones[z].present, want[i].present);
	}
	/* the whole first MiB is reserved (reserve_real_mode), so DMA's managed
	 * pages are pfn 256..4095, as on the real machine */
	assert_int_equal(m->zones[machine_zone_by_name(m, "DMA")].managed, 3840);
	machine_destroy(m);
	free(text);
}

static void wmark_formula__matches_a_real_6_x_kernel(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64" };
	struct machine *m = boot_cfg(&cfg);
	/* give the zones the real machine's managed pages, then its sysctl */
	m->zones[0].managed = 3840;
	m->zones[1].managed = 772808;
	m->zones[2].managed = 163840;
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "67584"), 0);
	machine_setup_lowmem_reserve(m);
	static const uint64_t wm[3][4] = {
		{ 68, 85, 102, 119 }, { 13883, 17353, 20823, 24293 }, { 2943, 3678, 4413, 5148 },
	};
	for (int z = 0; z < 3; z++)
		for (int w = 0; w < 3; w++)
			assert_int_equal(m->zones[z].wmark[w], wm[z][w]);
	assert_int_equal(m->zones[0].wmark[WMARK_PROMO], 119);
	static const uint64_t prot[2][5] = { { 0, 3018, 3658, 3658, 3658 }, { 0, 0, 640, 640, 640 } };
	for (int z = 0; z < 2; z++)
		for (int j = 0; j < 5; j++)
			assert_int_equal(m->zones[z].lowmem_reserve[j], prot[z][j]);
	/* empty Movable: min = clamp(0/1024, 32, 128), low = high = 32 */
	int mov = machine_zone_by_name(m, "Movable");
	assert_int_equal(m->zones[mov].wmark[WMARK_MIN], 32);
	assert_int_equal(m->zones[mov].wmark[WMARK_HIGH], 32);
	machine_destroy(m);
}

/* calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), where
 * lowmem_kbytes counts managed pages of zones up to Normal. */
static void min_free_kbytes__is_sqrt_of_16_times_lowmem_kbytes(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64" };
	struct machine *m = boot_cfg(&cfg);
	uint64_t lowmem_kb = 0;
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].kind <= ZK_NORMAL)
			lowmem_kb += m->zones[z].managed * 4;
	/* calculate_min_free_kbytes() over the managed pages the machine has
	 * now.  The value boot used (before the late frees of the init
	 * sections and gaps) is not kept: THP, on by default, replaces it
	 * with set_recommended_min_free_kbytes()'s (test_thp.c), and
	 * test_memblock.c checks the boot-time order. */
	uint64_t r = 0;
	while ((r + 1) * (r + 1) <= lowmem_kb * 16)
		r++;
	/* init_per_zone_wmark_min()'s value; THP (on by default) raises
	 * min_free_kbytes later at boot (test_thp.c) */
	assert_int_equal(machine_calc_min_free_kbytes(m), r);
	/* the source comment's table: 4096 MB of lowmem -> 8192k */
	assert_true(r > 7900 && r <= 8192);
	machine_destroy(m);
}

/*
 * 2.6.32 i386 with 1 GiB (e820 RAM 0x10000-0x9fbff and 1 MiB-1 GiB):
 * MAXMEM 0x377fe000 -> max_low_pfn 0x377fe ("887MB LOWMEM available.");
 * free_area_init_core(): DMA spans 0x10-0x1000 (4080 pages, 32 memmap pages
 * with a 32-byte struct page, present 4047 - 96 hole - 32 = 3951, batch 0);
 * Normal 0x1000-0x377fe: 223230 pages, memmap 1744, present 221486, batch 31.
 */
static void i386_1g__zones_follow_2_6_32_free_area_init_core(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386" };
	struct machine *m = boot_cfg(&cfg);
	assert_string_equal(m->kp->version, "2.6.32");
	assert_int_equal(m->max_low_pfn, 0x377fe);
	int dma = machine_zone_by_name(m, "DMA"), normal = machine_zone_by_name(m, "Normal");
	int high = machine_zone_by_name(m, "HighMem");
	assert_int_equal(m->zones[dma].start_pfn, 0x10);
	assert_int_equal(m->zones[dma].spanned, 4080);
	assert_int_equal(m->zones[dma].memmap_pages, 32);
	assert_int_equal(m->zones[dma].present, 3951);
	assert_int_equal(m->zones[normal].spanned, 223230);
	assert_int_equal(m->zones[normal].memmap_pages, 1744);
	assert_int_equal(m->zones[normal].present, 221486);
	assert_int_equal(m->zones[high].start_pfn, 0x377fe);
	/* lowmem_reserve of DMA for Normal: 221486 / 256 = 865 */
	assert_int_equal(m->zones[dma].lowmem_reserve[normal], 865);
	bool found = false;
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		if (strcmp(dmesg_text(m, i), "887MB LOWMEM available.") == 0)
			found = true;
	assert_true(found);
	machine_destroy(m);
}

/* Cost grows with the work done: a 1 TiB machine has no page descriptors
 * for untouched memory. */
static void one_tib_machine__boots_without_per_page_descriptors(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 1ull << 40 };
	struct machine *m = boot_cfg(&cfg);
	assert_true(machine_host_bytes(m) < 16u << 20);
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, 0xcc0, 0, &pfn), 0);
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* check, show zones and machine_destroy visit m->touched, not every chunk:
 * it holds exactly the materialized chunks, ascending; a free segment is
 * checked as a whole, and one that covers a touched chunk or leaves its
 * zone is still caught and named. */
static void touched_chunks__are_the_materialized_ones_and_check_still_catches_bad_segments(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 1ull << 40 };
	struct machine *m = boot_cfg(&cfg);
	uint64_t pfn[64];
	for (int i = 0; i < 64; i++)
		assert_int_equal(buddy_alloc_pages(m, 0xcc0, (unsigned)(i % 11), &pfn[i]), 0);
	uint64_t n = 0;
	for (uint64_t c = 0; c < m->nr_chunks; c++) {
		if (!m->chunk[c])
			continue;
		assert_true(n < m->materialized);
		assert_int_equal(m->touched[n], c);
		n++;
	}
	assert_int_equal(n, m->materialized);
	assert_true(n > 1);
	assert_int_equal(machine_touched_from(m, 0), 0);
	assert_int_equal(machine_touched_from(m, m->touched[n - 1] + 1), n);
	assert_int_equal(machine_check(m), 0);

	/* a live segment of a zone's free list next to a touched chunk (the
	 * allocations took chunks from one end of a run), made to cover it */
	struct segment *sg = NULL;
	bool below = false;
	for (uint32_t i = 0; i < m->nr_seg && !sg; i++) {
		struct segment *x = &m->seg[i];
		if (!x->count)
			continue;
		if (x->first_chunk > 0 && m->chunk[x->first_chunk - 1]) {
			sg = x;
			below = true;
		} else if (x->first_chunk + x->count < m->nr_chunks && m->chunk[x->first_chunk + x->count]) {
			sg = x;
		}
	}
	assert_non_null(sg);
	if (below)
		sg->first_chunk--;
	sg->count++;
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "covers touched chunk"));
	sg->count--;
	if (below)
		sg->first_chunk++;
	assert_int_equal(machine_check(m), 0);
	/* ... or to run past the end of its zone */
	const struct zone *zn = &m->zones[sg->zone];
	uint64_t end_chunk = (zn->start_pfn + zn->spanned) >> CHUNK_SHIFT, saved = sg->count;
	if (sg->first_chunk + sg->count == end_chunk) {
		sg->count++;
		assert_int_equal(machine_check(m), -EUCLEAN);
		sg->count = saved;
	}
	assert_int_equal(machine_check(m), 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buddy_free_pages(m, pfn[i], (unsigned)(i % 11)), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void sysctl__rejects_bad_values_and_keeps_the_old_ones(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64" };
	struct machine *m = boot_cfg(&cfg);
	unsigned old = m->min_free_kbytes;
	assert_int_not_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "-5"), 0);
	assert_int_not_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "12x"), 0);
	assert_int_not_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "0"), 0);
	assert_int_not_equal(machine_sysctl_set(m, "vm.watermark_scale_factor", "3001"), 0);
	assert_int_not_equal(machine_sysctl_set(m, "vm.lowmem_reserve_ratio", "1 2 3 4 5 6"), 0);
	assert_int_equal(machine_sysctl_set(m, "vm.nonexistent", "1"), -ENOENT);
	assert_int_equal(m->min_free_kbytes, old);
	char buf[64];
	assert_int_equal(machine_sysctl_set(m, "vm.lowmem_reserve_ratio", "128 128 32 0 0"), 0);
	assert_int_equal(machine_sysctl_get(m, "vm.lowmem_reserve_ratio", buf, sizeof buf), 0);
	assert_string_equal(buf, "128\t128\t32\t0\t0");
	machine_destroy(m);
}

/* Which vm sysctls each kernel has, and why one is missing.  6.1: the real
 * machines' /proc/sys/vm (shared/reference/real-kernels/{amd64-6.1-4G-2cpu-
 * nokaslr-thpnever,i386-6.1-1G-2cpu}/sysctl_vm.txt): the amd64 kernel has
 * zone_reclaim_mode (CONFIG_NUMA), the i386 one not, and both have
 * percpu_pagelist_high_fraction.  2.6.32 (kernel/sysctl.c vm_table) has
 * percpu_pagelist_fraction and none of watermark_scale_factor (4.6),
 * extfrag_threshold (2.6.35), compact_unevictable_allowed (4.1),
 * watermark_boost_factor (5.0). */
static void sysctl_table__each_kernel_has_its_own_sysctls_and_says_why_others_are_missing(void **state)
{
	(void)state;
	static const struct {
		const char *arch, *kernel, *names;
	} want[] = {
		{ "x86_64", "6.1", "vm.min_free_kbytes vm.watermark_scale_factor vm.lowmem_reserve_ratio "
		  "vm.extfrag_threshold vm.zone_reclaim_mode vm.vfs_cache_pressure vm.percpu_pagelist_high_fraction "
		  "vm.swappiness vm.compact_unevictable_allowed vm.watermark_boost_factor " },
		{ "i386", "6.1", "vm.min_free_kbytes vm.watermark_scale_factor vm.lowmem_reserve_ratio "
		  "vm.extfrag_threshold vm.vfs_cache_pressure vm.percpu_pagelist_high_fraction "
		  "vm.swappiness vm.compact_unevictable_allowed vm.watermark_boost_factor " },
		{ "i386", "2.6.32", "vm.min_free_kbytes vm.lowmem_reserve_ratio vm.vfs_cache_pressure "
		  "vm.percpu_pagelist_fraction vm.swappiness " },
	};
	for (size_t t = 0; t < sizeof want / sizeof want[0]; t++) {
		struct machine_config cfg = { .arch = want[t].arch, .kernel = want[t].kernel };
		struct machine *m = boot_cfg(&cfg);
		char names[512] = "", buf[64];
		for (size_t i = 0; machine_sysctl_name_at(m, i); i++) {
			strcat(names, machine_sysctl_name_at(m, i));
			strcat(names, " ");
			assert_int_equal(machine_sysctl_get(m, machine_sysctl_name_at(m, i), buf, sizeof buf), 0);
		}
		assert_string_equal(names, want[t].names);
		machine_destroy(m);
	}

	struct machine_config cfg = { .arch = "i386", .kernel = "2.6.32" };
	struct machine *m = boot_cfg(&cfg);
	struct sysctl_absent why;
	char buf[64];
	assert_true(machine_sysctl_absent(m, "vm.extfrag_threshold", &why));
	assert_string_equal(why.since, "2.6.35");
	assert_null(why.from);
	assert_int_equal(machine_sysctl_get(m, "vm.extfrag_threshold", buf, sizeof buf), -ENOENT);
	assert_int_equal(machine_sysctl_set(m, "vm.extfrag_threshold", "500"), -ENOENT);
	assert_true(machine_sysctl_absent(m, "watermark_scale_factor", &why));
	assert_string_equal(why.since, "4.6");
	/* the new name on the old kernel: a rename, not a "came in" */
	assert_true(machine_sysctl_absent(m, "vm.percpu_pagelist_high_fraction", &why));
	assert_string_equal(why.since, "5.14");
	assert_string_equal(why.from, "vm.percpu_pagelist_fraction");
	assert_string_equal(why.to, "vm.percpu_pagelist_high_fraction");
	assert_string_equal(why.has, "vm.percpu_pagelist_fraction");
	assert_false(machine_sysctl_absent(m, "vm.percpu_pagelist_fraction", &why));
	assert_false(machine_sysctl_absent(m, "vm.min_free_kbytes", &why));
	assert_false(machine_sysctl_absent(m, "vm.no_such_sysctl", &why));
	machine_destroy(m);

	cfg = (struct machine_config){ .arch = "i386", .kernel = "6.13" };
	m = boot_cfg(&cfg);
	assert_true(machine_sysctl_absent(m, "vm.percpu_pagelist_fraction", &why));
	assert_string_equal(why.since, "5.14");
	assert_string_equal(why.has, "vm.percpu_pagelist_high_fraction");
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_fraction", "8"), -ENOENT);
	/* no CONFIG_NUMA: missing, but not for its version */
	assert_false(machine_sysctl_absent(m, "vm.zone_reclaim_mode", &why));
	assert_int_equal(machine_sysctl_get(m, "vm.zone_reclaim_mode", buf, sizeof buf), -ENOENT);
	/* 1 to 7 are EINVAL on both; 0 too on 2.6.32 */
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "7"), -EDOM);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "0"), 0);
	assert_false(machine_sysctl_zero_refused("vm.percpu_pagelist_high_fraction"));
	assert_true(machine_sysctl_zero_refused("vm.percpu_pagelist_fraction"));
	machine_destroy(m);
}

static void parse_size__accepts_suffixes_and_rejects_garbage(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(parse_size("16M", &v), 0);
	assert_int_equal(v, 16u << 20);
	assert_int_equal(parse_size("1T", &v), 0);
	assert_int_equal(v, 1ull << 40);
	assert_int_equal(parse_size("4GiB", &v), 0);
	assert_int_equal(v, 4ull << 30);
	assert_int_not_equal(parse_size("-1G", &v), 0);
	assert_int_not_equal(parse_size("1X", &v), 0);
	assert_int_not_equal(parse_size("", &v), 0);
	assert_int_not_equal(parse_size("99999999999999999999T", &v), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_iomem__gives_the_real_zone_spans),
		cmocka_unit_test(wmark_formula__matches_a_real_6_x_kernel),
		cmocka_unit_test(min_free_kbytes__is_sqrt_of_16_times_lowmem_kbytes),
		cmocka_unit_test(i386_1g__zones_follow_2_6_32_free_area_init_core),
		cmocka_unit_test(one_tib_machine__boots_without_per_page_descriptors),
		cmocka_unit_test(touched_chunks__are_the_materialized_ones_and_check_still_catches_bad_segments),
		cmocka_unit_test(sysctl__rejects_bad_values_and_keeps_the_old_ones),
		cmocka_unit_test(sysctl_table__each_kernel_has_its_own_sysctls_and_says_why_others_are_missing),
		cmocka_unit_test(parse_size__accepts_suffixes_and_rejects_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
