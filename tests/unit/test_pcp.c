/*
 * test_pcp.c - the per-CPU page lists: batch and high from the kernel's
 * formulas (checked against real kernels' /proc/zoneinfo), refills,
 * drains, 2.6.32's hot and cold ends, `set pcp off`, the checker.
 * Expected numbers come from mm/page_alloc.c's formulas worked by hand
 * or from the real-kernel files, never from kmemsh's own output.
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
#include "kmemsh/machine.h"
#include "kmemsh/pcp.h"

#define G13_KERNEL 0xcc0u               /* 6.13 include/linux/gfp_types.h */
#define G32_KERNEL 0xd0u                /* 2.6.32 include/linux/gfp.h */
#define G32_COLD 0x100u                 /* 2.6.32 __GFP_COLD */

static struct machine *boot(const char *arch, const char *kernel, const char *mem, unsigned ncpus, bool pcp_off)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = ncpus, .pcp_off = pcp_off };
	struct machine *m;
	char err[256];
	if (mem)
		assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	return m;
}

static int zone_named(const struct machine *m, const char *name)
{
	for (int i = 0; i < m->nr_zones; i++)
		if (strcmp(m->zones[i].name, name) == 0)
			return i;
	fail_msg("no zone %s", name);
	return -1;
}

static int collect(void *arg, uint64_t pfn)
{
	uint64_t *v = arg;
	v[++v[0]] = pfn;
	return v[0] == 255;
}

/* ---- formulas -------------------------------------------------------------- */

/* 6.13 zone_batchsize(): min(managed >> 10, 256) / 4, at least 1, then
 * rounddown_pow_of_two(b + b / 2) - 1.  The managed counts are the real
 * kernels' (real-kernels/amd64-6.1-4G-2cpu-nokaslr-thpnever and
 * i386-6.1-1G-2cpu zoneinfo.txt), whose "batch:" lines say 1, 63, 63 and
 * 1, 63, 7; 6.1 has the same zone_batchsize(). */
static void zone_batchsize_13__matches_the_formula_and_real_kernels(void **state)
{
	(void)state;
	/* 3840 >> 10 = 3, / 4 = 0 -> 1; rounddown_pow_of_two(1) - 1 = 0
	 * (the pageset takes max(1, 0) = 1) */
	assert_int_equal(pcp_batchsize_13(3840, 4096), 0);
	/* 754605 >> 10 = 736 -> 256, / 4 = 64; 64 + 32 = 96 -> 64 - 1 = 63 */
	assert_int_equal(pcp_batchsize_13(754605, 4096), 63);
	/* 239237 >> 10 = 233, / 4 = 58; 58 + 29 = 87 -> 64 - 1 = 63 */
	assert_int_equal(pcp_batchsize_13(239237, 4096), 63);
	/* i386 HighMem 37858 >> 10 = 36, / 4 = 9; 9 + 4 = 13 -> 8 - 1 = 7 */
	assert_int_equal(pcp_batchsize_13(37858, 4096), 7);
	/* 20000 >> 10 = 19, / 4 = 4; 4 + 2 = 6 -> 4 - 1 = 3 */
	assert_int_equal(pcp_batchsize_13(20000, 4096), 3);
}

/* 6.13 zone_highsize() with percpu_pagelist_high_fraction 0: the low
 * watermark split across the CPUs, at least batch * 4 — what 6.1 prints
 * as "high:" (real: amd64 DMA 10/2 = 5, DMA32 2256/2 = 1128, Normal
 * 717/2 = 358; i386 DMA 237/2 = 118, Normal 12976/2 = 6488, HighMem
 * 506/2 = 253).  high_max: managed / 8 split the same way. */
static void zone_highsize_13__low_watermark_per_cpu_at_least_four_batches(void **state)
{
	(void)state;
	assert_int_equal(pcp_highsize_13(10, 3840, 1, 2, 0), 5);
	assert_int_equal(pcp_highsize_13(2256, 754605, 63, 2, 0), 1128);
	assert_int_equal(pcp_highsize_13(717, 239237, 63, 2, 0), 358);
	assert_int_equal(pcp_highsize_13(237, 3840, 1, 2, 0), 118);
	assert_int_equal(pcp_highsize_13(12976, 209480, 63, 2, 0), 6488);
	assert_int_equal(pcp_highsize_13(506, 37858, 7, 2, 0), 253);
	/* high_max, fraction 8: 754605 / 8 = 94325, / 2 = 47162 */
	assert_int_equal(pcp_highsize_13(2256, 754605, 63, 2, 8), 47162);
	/* the floor: low 100 on 4 CPUs is 25, below 63 * 4 = 252 */
	assert_int_equal(pcp_highsize_13(100, 400000, 63, 4, 0), 252);
}

/* 2.6.32 zone_batchsize(): present pages, capped at 512 KiB = 128 pages;
 * setup_pageset(): high = 6 * batch, batch at least 1 */
static void zone_batchsize_2632__present_pages_capped_at_512k(void **state)
{
	(void)state;
	/* 3999 / 1024 = 3, / 4 = 0 -> 1 -> 1 - 1 = 0: high 0, batch 1 */
	assert_int_equal(pcp_batchsize_2632(3999, 4096), 0);
	/* 225280 / 1024 = 220 -> 128, / 4 = 32; 32 + 16 = 48 -> 32 - 1 = 31 */
	assert_int_equal(pcp_batchsize_2632(225280, 4096), 31);
	/* 40000 / 1024 = 39, / 4 = 9; 9 + 4 = 13 -> 8 - 1 = 7 */
	assert_int_equal(pcp_batchsize_2632(40000, 4096), 7);
}

/* every populated zone's pagesets get those values (a 2-CPU machine) */
/* 10240 order-0 pages allocated, then freed: they pile up on CPU 0's
 * DMA32 lists of a 1G 2-CPU x86_64 machine */
static struct machine *pcp_full(const char *kernel, int *dz)
{
	struct machine *m = boot("x86_64", kernel, "1G", 2, false);
	*dz = zone_named(m, "DMA32");
	static uint64_t pfn[10240];
	for (int i = 0; i < 10240; i++)
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn[i]), 0);
	for (int i = 0; i < 10240; i++)
		buddy_free_pages(m, pfn[i], 0);
	return m;
}

/*
 * 6.13 decay_pcp_high() from vmstat_update(): high = max3(count - (batch
 * << 5), high - (high >> 3), high_min), then free what lies above it.
 * The pageset after the frees: count 12033 (the 10240 pages and the rest
 * of the refill batches), high 15548 (high_max), batch 63 (63 << 5 =
 * 2016), high_min 6932.  DMA32 of this machine: managed 248768 pages, low
 * mark 13865 (the boot figures golden pcp-6.13 shows; not real-machine
 * ones); 6.13 zone_set_pageset_high_and_batch() (no
 * percpu_pagelist_high_fraction) and zone_highsize(), split over the
 * node's 2 CPUs:
 *   batch    zone_batchsize(): min(248768 >> 10 = 242, 256) / 4 = 60;
 *            rounddown_pow_of_two(60 + 30 = 90) - 1 = 63
 *   high_min zone_highsize(fraction 0): low 13865 / 2 = 6932 (> 63 << 2)
 *   high_max zone_highsize(MIN_PERCPU_PAGELIST_HIGH_FRACTION 8):
 *            248768 / 8 = 31096, / 2 = 15548; the frees raised high to it
 * The count 12033 is the model's (the refills' nr_pcp_alloc() batches
 * with their alloc_factor doubling, less the frees' nr_pcp_free()):
 * not worked by hand.
 *   run 1: max(12033 - 2016 = 10017, 15548 - 1943 = 13605, 6932) = 13605;
 *          12033 - 13605 < 0: nothing freed; work left (13605 > 6932);
 *   run 2: 13605 - 1700 = 11905 (10017 below): 12033 - 11905 = 128 freed;
 *   run 3: 11905 - 1488 = 10417 (9889 below): 1488 freed;
 *   run 4: 10417 - 1302 = 9115 (8401 below): 1302 freed;
 *   run 5: 9115 - 1139 = 7976 (7099 below): 1139 freed;
 *   run 6: 7976 - 997 = 6979 (5960 below): 997 freed;
 *   run 7: 6979 - 872 = 6107, below high_min: 6932; 47 freed; high is at
 *          high_min, the drain alone is work done (1).
 * CPU 1's pageset was never used (high 0, not above high_min): untouched.
 */
static void decay_pcp_high__high_decays_by_an_eighth_down_to_high_min(void **state)
{
	(void)state;
	int dz;
	struct machine *m = pcp_full("6.13", &dz);
	const struct per_cpu_pages *p = pcp_of(m, dz, 0);
	assert_int_equal(m->zones[dz].managed, 248768);
	assert_int_equal(m->zones[dz].wmark[WMARK_LOW], 13865);
	assert_int_equal(p->count, 12033);
	assert_int_equal(p->high, 248768 / 8 / 2);
	assert_int_equal(p->high, 15548);
	assert_int_equal(p->batch, 63);
	assert_int_equal(p->high_min, 13865 / 2);
	assert_int_equal(p->high_min, 6932);
	uint64_t nr_free = m->zones[dz].free_pages, freed;
	static const int high[] = { 13605, 11905, 10417, 9115, 7976, 6979, 6932 };
	static const int count[] = { 12033, 11905, 10417, 9115, 7976, 6979, 6932 };
	static const uint64_t gone[] = { 0, 128, 1488, 1302, 1139, 997, 47 };
	for (int run = 0; run < 7; run++) {
		int todo = pcp_vmstat_update(m, 0, &freed);
		assert_int_equal(p->high, high[run]);
		assert_int_equal(p->count, count[run]);
		assert_int_equal(freed, gone[run]);
		nr_free += gone[run];
		assert_int_equal(m->zones[dz].free_pages, nr_free);   /* free_pcppages_bulk() to the buddy lists */
		assert_int_equal(todo, run < 6 ? 1 + (gone[run] > 0) : 1);
		assert_int_equal(pcp_vmstat_update(m, 1, &freed), 0);
		assert_int_equal(pcp_of(m, dz, 1)->high, 0);
	}
	/* at high_min with count == high: nothing left */
	assert_int_equal(pcp_vmstat_update(m, 0, &freed), 0);
	assert_int_equal(freed, 0);
	uint64_t blocks;
	assert_int_equal(pcp_check(m, &blocks), 0);
	machine_destroy(m);
}

/* 6.1 has no decay_pcp_high() (6.7 brought high_min/high_max and the
 * decay): its vmstat worker leaves a full pageset alone */
static void decay_pcp_high_6_1__does_not_exist(void **state)
{
	(void)state;
	int dz;
	struct machine *m = pcp_full("6.1", &dz);
	const struct per_cpu_pages *p = pcp_of(m, dz, 0);
	int high = p->high, cnt = p->count;
	assert_true(cnt > 0);
	uint64_t freed;
	assert_int_equal(pcp_vmstat_update(m, 0, &freed), 0);
	assert_int_equal(freed, 0);
	assert_int_equal(p->high, high);
	assert_int_equal(p->count, cnt);
	machine_destroy(m);
}

static void pagesets__take_the_formulas_values_on_every_cpu(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 2, false);
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->managed)
			continue;
		int b = pcp_batchsize_13(zn->managed, 4096);
		if (b < 1)
			b = 1;
		int64_t hmin = (int64_t)zn->wmark[WMARK_LOW] / 2, hmax = (int64_t)(zn->managed / 8) / 2;
		if (hmin < 4 * b)
			hmin = 4 * b;
		if (hmax < 4 * b)
			hmax = 4 * b;
		for (unsigned cpu = 0; cpu < 2; cpu++) {
			const struct per_cpu_pages *p = pcp_of(m, z, cpu);
			assert_non_null(p);
			assert_int_equal(p->batch, b);
			assert_int_equal(p->high_min, hmin);
			assert_int_equal(p->high_max, hmax);
			assert_int_equal(p->high, 0);   /* per_cpu_pages_init(): unused so far */
			assert_int_equal(p->count, 0);
		}
	}
	machine_destroy(m);
}

/* ---- vm.percpu_pagelist_high_fraction / 2.6.32 vm.percpu_pagelist_fraction ---- */

static int high_of(int64_t pages_per_cpu, int batch)
{
	return (int)(pages_per_cpu > 4 * batch ? pages_per_cpu : 4 * batch);
}

static void expect_pagesets(const struct machine *m, int z, int batch, int high_min, int high_max)
{
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		const struct per_cpu_pages *p = pcp_of(m, z, cpu);
		assert_int_equal(p->batch, batch);
		assert_int_equal(p->high_min, high_min);
		assert_int_equal(p->high_max, high_max);
	}
}

/* 6.13 percpu_pagelist_high_fraction_sysctl_handler() ->
 * zone_set_pageset_high_and_batch(): with a fraction, high_min = high_max
 * = zone_highsize(fraction) = max(managed / fraction / CPUs, 4 * batch),
 * batch unchanged; 0 brings back the low-watermark default.  The DMA zone
 * (managed 3840, as on the real amd64 machine) on 2 CPUs, by hand:
 * 100: 3840 / 100 = 38, / 2 = 19; 8: 480 / 2 = 240; 1000: 3 / 2 = 1,
 * below 4 * batch (1) = 4 */
static void high_fraction_13__high_min_and_max_from_managed_over_fraction(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 2, false);
	int dma = zone_named(m, "DMA");
	assert_int_equal(m->zones[dma].managed, 3840);
	int low = (int)m->zones[dma].wmark[WMARK_LOW];
	expect_pagesets(m, dma, 1, high_of(low / 2, 1), 240);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "100"), 0);
	expect_pagesets(m, dma, 1, 19, 19);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "8"), 0);
	expect_pagesets(m, dma, 1, 240, 240);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "1000"), 0);
	expect_pagesets(m, dma, 1, 4, 4);
	/* every populated zone, batch untouched */
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "100"), 0);
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->managed)
			continue;
		int b = pcp_batchsize_13(zn->managed, 4096);
		b = b < 1 ? 1 : b;
		int h = high_of((int64_t)(zn->managed / 100 / 2), b);
		expect_pagesets(m, z, b, h, h);
	}
	/* a watermark change recomputes the pagesets with the fraction still set */
	assert_int_equal(machine_sysctl_set(m, "vm.min_free_kbytes", "100000"), 0);
	expect_pagesets(m, dma, 1, 19, 19);
	char buf[32];
	assert_int_equal(machine_sysctl_get(m, "vm.percpu_pagelist_high_fraction", buf, sizeof buf), 0);
	assert_string_equal(buf, "100");
	/* 0: the default again, from the (new) low watermark */
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "0"), 0);
	low = (int)m->zones[dma].wmark[WMARK_LOW];
	expect_pagesets(m, dma, 1, high_of(low / 2, 1), 240);
	machine_destroy(m);
}

/* 1 to 7 fail with EINVAL ("Sanity checking to avoid pcp imbalance") and
 * keep the old value; a negative value is below extra1 (SYSCTL_ZERO);
 * 2.6.32's name does not exist on 6.x */
static void high_fraction_13__one_to_seven_are_refused_and_change_nothing(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 2, false);
	int dma = zone_named(m, "DMA");
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "100"), 0);
	char v[12];
	for (int i = 1; i <= 7; i++) {
		snprintf(v, sizeof v, "%d", i);
		assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", v), -EDOM);
		assert_int_equal(m->pcp_high_fraction, 100);
		expect_pagesets(m, dma, 1, 19, 19);
	}
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "-1"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "8x"), -EINVAL);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_fraction", "8"), -ENOENT);
	assert_int_equal(m->pcp_high_fraction, 100);
	machine_destroy(m);
}

/* with high fixed at 4 batches (Normal, managed / 1000 < 252, one CPU),
 * frees drain as soon as the CPU holds 252 pages: the list never holds
 * more (without the sysctl it grows towards managed / 8) */
static void high_fraction_13__frees_drain_at_the_new_high(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	assert_true(m->zones[z].managed / 1000 < 252);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "1000"), 0);
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	assert_int_equal(p->batch, 63);
	assert_int_equal(p->high_min, 252);
	assert_int_equal(p->high_max, 252);
	static uint64_t held[600];
	for (unsigned i = 0; i < 600; i++)
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &held[i]), 0);
	int most = 0, drains = 0;
	for (unsigned i = 600; i-- > 0;) {
		int before = p->count;
		assert_int_equal(buddy_free_pages(m, held[i], 0), 0);
		if (p->count < before + 1) {
			assert_int_equal(before + 1, 252);     /* count >= high */
			drains++;
		}
		most = p->count > most ? p->count : most;
	}
	assert_true(drains > 0);
	assert_true(most < 252);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 6.1 zone_highsize() reads the fraction too; pageset_update() sets the
 * one pcp->high (DMA on 2 CPUs: 3840 / 100 / 2 = 19) */
static void high_fraction_61__sets_the_fixed_high(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", "4G", 2, false);
	int dma = zone_named(m, "DMA");
	assert_int_equal(m->zones[dma].managed, 3840);
	int def = pcp_of(m, dma, 1)->high;
	assert_int_equal(def, high_of((int)m->zones[dma].wmark[WMARK_LOW] / 2, 1));
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "100"), 0);
	assert_int_equal(pcp_of(m, dma, 0)->high, 19);
	assert_int_equal(pcp_of(m, dma, 1)->high, 19);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "7"), -EDOM);
	assert_int_equal(pcp_of(m, dma, 1)->high, 19);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "0"), 0);
	assert_int_equal(pcp_of(m, dma, 1)->high, def);
	machine_destroy(m);
}

/* 2.6.32 setup_pagelist_highmark(): high = present / fraction, batch =
 * max(1, high / 4) but at most PAGE_SHIFT * 8 = 96.  By hand: 3951 / 8 =
 * 493, 493 / 4 = 123 > 96 -> 96; / 100 = 39, batch 9; / 1000 = 3, batch
 * max(1, 0) = 1.  extra1 = 8: 0 to 7 are EINVAL, so 0 cannot be written
 * back; the 6.x name does not exist */
static void pagelist_fraction_2632__high_and_batch_from_present_pages(void **state)
{
	(void)state;
	int high, batch;
	pcp_highmark_2632(3951, 8, 12, &high, &batch);
	assert_int_equal(high, 493);
	assert_int_equal(batch, 96);
	pcp_highmark_2632(3951, 100, 12, &high, &batch);
	assert_int_equal(high, 39);
	assert_int_equal(batch, 9);
	pcp_highmark_2632(3951, 1000, 12, &high, &batch);
	assert_int_equal(high, 3);
	assert_int_equal(batch, 1);

	struct machine *m = boot("i386", NULL, "1G", 2, false);
	char v[12];
	for (int i = 0; i <= 7; i++) {
		snprintf(v, sizeof v, "%d", i);
		assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_fraction", v), -EDOM);
	}
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_fraction", "-8"), -EDOM);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_high_fraction", "8"), -ENOENT);
	assert_int_equal(m->pcp_high_fraction, 0);
	assert_int_equal(machine_sysctl_set(m, "vm.percpu_pagelist_fraction", "100"), 0);
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->present)
			continue;
		int h = (int)(zn->present / 100), b = h / 4 > 96 ? 96 : h / 4 < 1 ? 1 : h / 4;
		for (unsigned cpu = 0; cpu < 2; cpu++) {
			assert_int_equal(pcp_of(m, z, cpu)->high, h);
			assert_int_equal(pcp_of(m, z, cpu)->batch, b);
		}
	}
	machine_destroy(m);
}

/* ---- refill and drain (6.13) --------------------------------------------------- */

/* Take the zone's free blocks of type mt below the largest order off the
 * buddy lists, smallest first, with the per-CPU lists off: the boot's late
 * tables (inet_init()'s hashes, trimmed by alloc_pages_exact()) leave such
 * Unmovable fragments, and rmqueue_bulk() would take them before
 * splitting a block. */
static void take_fragments(struct machine *m, int z, int mt)
{
	uint64_t pfn;
	pcp_set_enabled(m, false);
	for (unsigned o = 0; o + 1 < NR_ORDERS; o++)
		while (m->zones[z].free_area[o].nr_mt[mt])
			assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, o, &pfn), 0);
	pcp_set_enabled(m, true);
}

/* rmqueue_pcplist(): an empty list is refilled by rmqueue_bulk() with
 * nr_pcp_alloc() blocks: batch << alloc_factor (0 the first time, then 1),
 * split off one block in ascending pfn order; NR_FREE_PAGES drops by all
 * of them */
static void refill_13__batch_blocks_in_pfn_order_then_twice_as_many(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	take_fragments(m, z, m->kp->mt_unmovable);
	assert_int_equal(p->alloc_factor, 0);
	uint64_t free0 = m->zones[z].free_pages, pfn;
	int batch = p->batch;
	assert_int_equal(batch, 63);
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(p->count, batch - 1);
	assert_int_equal(m->zones[z].free_pages, free0 - (uint64_t)batch);
	assert_int_equal(p->alloc_factor, 1);
	/* the list (Unmovable, order 0) is in ascending pfn order and its
	 * first block follows the one handed out */
	uint64_t v[256] = { 0 };
	pcp_walk_list(m, z, 0, (unsigned)m->kp->mt_unmovable, collect, v);
	assert_int_equal(v[0], (uint64_t)batch - 1);
	for (uint64_t i = 2; i <= v[0]; i++)
		assert_true(v[i] > v[i - 1]);
	assert_true(v[1] > pfn);
	/* empty the list, then the next refill is batch << 1 = 126 */
	for (int i = 0; i < batch - 1; i++)
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(p->count, 0);
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(p->count, 2 * batch - 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* free_unref_page_commit(): a free goes to the head of its list; when the
 * count reaches high, free_pcppages_bulk() gives back nr_pcp_free() pages:
 * clamp(free_count, batch, high - batch) */
static void free_13__drains_when_count_reaches_high(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	static uint64_t held[80000];
	unsigned n = 0;
	uint64_t pfn;
	/* take enough pages that freeing them all passes high (which the
	 * refills raise towards high_max) */
	while (n < 80000 && (uint64_t)p->high_max + 200 > n) {
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &held[n]), 0);
		n++;
	}
	/* a free goes to the head */
	assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
	uint64_t v[256] = { 0 };
	pcp_walk_list(m, z, 0, (unsigned)m->kp->mt_unmovable, collect, v);
	assert_int_equal(v[1], held[n]);
	/* keep freeing until a drain happens: the count falls */
	bool drained = false;
	while (n && !drained) {
		int before = p->count, free_count = p->free_count, high = p->high;
		uint64_t nr_free = m->zones[z].free_pages;
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
		if (p->count < before + 1) {
			drained = true;
			/* free_count was raised by this free before nr_pcp_free(),
			 * unless it had reached batch << CONFIG_PCP_BATCH_SCALE_MAX */
			int fc = free_count < p->batch << 5 ? free_count + 1 : free_count, want = fc;
			if (want < p->batch)
				want = p->batch;
			if (want > high - p->batch)
				want = high - p->batch;
			assert_true(high > 0);
			assert_int_equal(p->count, before + 1 - want);
			assert_int_equal(m->zones[z].free_pages, nr_free + (uint64_t)want);
		}
	}
	assert_true(drained);
	assert_int_equal(machine_check(m), 0);
	/* drain_all_pages() empties them all and every page is free again */
	while (n)
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
	(void)pfn;
	assert_int_equal(pcp_drain_zone(m, -1) > 0, 1);
	assert_int_equal(pcp_zone_pages(m, -1), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- 6.1 ------------------------------------------------------------------------ */

/* 6.1 __rmqueue_pcplist(): every refill is pcp->batch blocks (order n:
 * max(batch >> n, 2)); alloc_factor, which doubles 6.13's refills, came
 * in 6.7 */
static void refill_61__always_batch_blocks(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	uint64_t pfn;
	int batch = p->batch;
	assert_int_equal(batch, 63);
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(p->count, batch - 1);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < batch - 1; i++)
			assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
		assert_int_equal(p->count, 0);
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
		assert_int_equal(p->count, batch - 1);
	}
	/* order 1: max(63 >> 1, 2) = 31 blocks, one handed out: 60 pages */
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 1, &pfn), 0);
	assert_int_equal(p->count, batch - 1 + 30 * 2);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 6.1 free_unref_page_commit(): high is fixed (zone_highsize()); at
 * count >= high nr_pcp_free() frees batch << free_factor clamped to
 * [batch, high - batch] and raises free_factor: batch the first time,
 * 2 * batch the next */
static void free_61__drains_batch_then_twice_as_many(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	static uint64_t held[20000];
	unsigned n = 0;
	int high = p->high, batch = p->batch;
	assert_int_equal(p->high_min, high);
	assert_int_equal(p->high_max, high);
	assert_true(high > 4 * batch && high + 1000 < 20000);
	while (n < (unsigned)high + 1000) {
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &held[n]), 0);
		n++;
	}
	int drains = 0;
	while (n && drains < 2) {
		int before = p->count;
		uint64_t nr_free = m->zones[z].free_pages;
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
		if (p->count < before + 1) {
			int want = drains ? 2 * batch : batch;
			assert_int_equal(before + 1, high);
			assert_int_equal(p->count, high - want);
			assert_int_equal(m->zones[z].free_pages, nr_free + (uint64_t)want);
			drains++;
		}
	}
	assert_int_equal(drains, 2);
	assert_int_equal(p->high, high);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- ZONE_RECLAIM_ACTIVE (kswapd's balance_pgdat()) ------------------------------ */

/* Take n order-0 pages, then give the pcp lists back to the buddy lists:
 * the lists start empty, and free_count (halved by every allocation) is 0 */
static unsigned take_pages(struct machine *m, int z, uint64_t *held, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &held[i]), 0);
	pcp_drain_zone(m, z);
	assert_int_equal(pcp_of(m, z, 0)->count, 0);
	assert_int_equal(pcp_of(m, z, 0)->free_count, 0);
	return n;
}

/* 6.13 nr_pcp_high() with ZONE_RECLAIM_ACTIVE: pcp->high = max(high -
 * max(free_count, batch), high_min), and the free sees min(batch << 2,
 * pcp->high) = 252 with batch 63 (high_min is at least 4 * batch,
 * zone_highsize()).  Frees 1..251 stay on the list (count = k); the 252nd
 * drains nr_pcp_free() = clamp(free_count 252, batch 63, 252 - 63) = 189,
 * leaving 63; 189 frees later (the 441st) the same again.  Cleared, the
 * limit is high_min again: the count grows past 252. */
static void reclaim_active_13__limits_the_lists_to_four_batches(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	static uint64_t held[1000];
	unsigned n = take_pages(m, z, held, 1000);
	assert_int_equal(p->batch, 63);
	assert_true(p->high_min >= 252);
	/* high falls by at least batch a free: 441 frees bring it to high_min */
	assert_true(p->high_max - p->high_min <= 441 * 63);
	pcp_set_reclaim_active(m, z, true);
	uint64_t free0 = m->zones[z].free_pages;
	for (int k = 1; k <= 441; k++) {
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
		int want = k < 252 ? k : k < 441 ? 63 + (k - 252) : 63;
		assert_int_equal(p->count, want);
		uint64_t drained = k < 252 ? 0 : k < 441 ? 189 : 378;
		assert_int_equal(m->zones[z].free_pages, free0 + drained);
	}
	assert_int_equal(p->high, p->high_min);
	/* clear_reclaim_active(): 300 more frees, no drain (high_min >= 252
	 * and the list holds 63 + 300 = 363; a drain would leave at most 363
	 * - batch) unless high_min itself is below 363 */
	pcp_set_reclaim_active(m, z, false);
	for (int k = 0; k < 300; k++)
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
	if (p->high_min > 363)
		assert_int_equal(p->count, 363);
	assert_true(p->count > 252);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* 6.1 nr_pcp_high() with ZONE_RECLAIM_ACTIVE: min(pcp->batch << 2, high)
 * = 252; nr_pcp_free() with that high: batch << free_factor clamped to
 * [63, 252 - 63], free_factor rising while below 189: drains of 63 (at
 * the 252nd free), 126 (63 frees later: count 189 + 63), then 189 (126
 * frees later: count 126 + 126), each at count 252 */
static void reclaim_active_61__high_is_four_batches(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.1", "4G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	static uint64_t held[1000];
	unsigned n = take_pages(m, z, held, 1000);
	assert_int_equal(p->batch, 63);
	assert_true(p->high > 252);
	pcp_set_reclaim_active(m, z, true);
	const int at[3] = { 252, 252 + 63, 252 + 63 + 126 }, nr[3] = { 63, 126, 189 };
	int drains = 0, count = 0;
	for (int k = 1; k <= at[2]; k++) {
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
		count++;
		if (drains < 3 && k == at[drains])
			count -= nr[drains++];
		assert_int_equal(p->count, count);
	}
	assert_int_equal(drains, 3);
	assert_int_equal(p->count, 63);
	pcp_set_reclaim_active(m, z, false);
	for (int k = 0; k < 200; k++)
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
	assert_int_equal(p->count, 263);    /* below 6.1's fixed high: no drain */
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- 2.6.32 ------------------------------------------------------------------- */

/* 2.6.32 buffered_rmqueue(): a hot request takes the head, a cold one
 * (__GFP_COLD) the tail; rmqueue_bulk() lays a batch out in pfn order;
 * free_hot_page() puts a page back at the head (LIFO); at high = 6 * batch
 * free_pcppages_bulk() gives back batch pages */
static void hot_cold_2632__head_for_hot_tail_for_cold_and_batch_drains(void **state)
{
	(void)state;
	struct machine *m = boot("i386", NULL, "1G", 1, false);
	int z = zone_named(m, "Normal");
	const struct per_cpu_pages *p = pcp_of(m, z, 0);
	int b = pcp_batchsize_2632(m->zones[z].present, 4096);
	assert_int_equal(p->batch, b);
	assert_int_equal(p->high, 6 * b);
	uint64_t hot, cold, again;
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 0, &hot), 0);
	assert_int_equal(p->count, b - 1);
	uint64_t v[256] = { 0 };
	pcp_walk_list(m, z, 0, (unsigned)m->kp->mt_unmovable, collect, v);
	assert_int_equal(v[0], (uint64_t)b - 1);
	for (uint64_t i = 2; i <= v[0]; i++)
		assert_true(v[i] > v[i - 1]);
	uint64_t tail = v[v[0]];
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL | G32_COLD, 0, &cold), 0);
	assert_int_equal(cold, tail);
	/* hot free to the head, the next hot allocation takes it back */
	assert_int_equal(buddy_free_pages(m, hot, 0), 0);
	assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 0, &again), 0);
	assert_int_equal(again, hot);
	/* fill to high: one drain of batch pages */
	static uint64_t held[4096];
	unsigned n = 0;
	for (int i = 0; i < 7 * b && n < 4096; i++)
		assert_int_equal(buddy_alloc_pages(m, G32_KERNEL, 0, &held[n++]), 0);
	int drains = 0;
	while (n) {
		int before = p->count;
		assert_int_equal(buddy_free_pages(m, held[--n], 0), 0);
		if (p->count != before + 1) {
			assert_int_equal(before + 1, 6 * b);    /* count reached high */
			assert_int_equal(p->count, 6 * b - b);  /* pcp->count -= pcp->batch */
			drains++;
		}
	}
	assert_true(drains >= 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* ---- set pcp off, the checker --------------------------------------------------- */

static void pcp_off__drains_and_frees_merge_at_once(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 2, false);
	int z = zone_named(m, "Normal");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_true(pcp_zone_pages(m, z) > 0);
	pcp_set_enabled(m, false);
	assert_false(pcp_enabled(m));
	assert_int_equal(pcp_zone_pages(m, -1), 0);
	assert_int_equal(machine_check(m), 0);
	/* pure buddy: alloc and free leave the free lists as they were */
	uint64_t before[NR_ORDERS];
	for (int o = 0; o < NR_ORDERS; o++)
		before[o] = m->zones[z].free_area[o].nr_free;
	uint64_t nr_free = m->zones[z].free_pages, q;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &q), 0);
	assert_int_equal(m->zones[z].free_pages, nr_free - 1);
	assert_int_equal(pcp_zone_pages(m, -1), 0);
	assert_int_equal(buddy_free_pages(m, q, 0), 0);
	for (int o = 0; o < NR_ORDERS; o++)
		assert_int_equal(m->zones[z].free_area[o].nr_free, before[o]);
	assert_int_equal(m->zones[z].free_pages, nr_free);
	/* a block on a pcp list is free, and says whose list it is on */
	pcp_set_enabled(m, true);
	assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	assert_int_equal(pi.state, PS_FREE);
	assert_int_equal(pi.pcp_cpu, 1);        /* CPU 0 */
	machine_destroy(m);
}

static void check__finds_a_wrong_pcp_count(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	assert_int_equal(machine_check(m), 0);
	struct per_cpu_pages *p = (struct per_cpu_pages *)pcp_of(m, z, 0);
	p->count++;
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "pcp count"));
	p->count--;
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* trace replay takes a block at its pfn: one on a pcp list comes back to
 * the buddy lists first */
static void alloc_at__takes_a_block_off_a_pcp_list(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", NULL, "4G", 1, false);
	int z = zone_named(m, "Normal");
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, G13_KERNEL, 0, &pfn), 0);
	uint64_t v[256] = { 0 };
	pcp_walk_list(m, z, 0, (unsigned)m->kp->mt_unmovable, collect, v);
	assert_true(v[0] > 0);
	assert_int_equal(buddy_alloc_pages_at(m, G13_KERNEL, v[1], 0), 0);
	assert_int_equal(pcp_zone_pages(m, z), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zone_batchsize_13__matches_the_formula_and_real_kernels),
		cmocka_unit_test(zone_highsize_13__low_watermark_per_cpu_at_least_four_batches),
		cmocka_unit_test(zone_batchsize_2632__present_pages_capped_at_512k),
		cmocka_unit_test(pagesets__take_the_formulas_values_on_every_cpu),
		cmocka_unit_test(high_fraction_13__high_min_and_max_from_managed_over_fraction),
		cmocka_unit_test(high_fraction_13__one_to_seven_are_refused_and_change_nothing),
		cmocka_unit_test(high_fraction_13__frees_drain_at_the_new_high),
		cmocka_unit_test(high_fraction_61__sets_the_fixed_high),
		cmocka_unit_test(pagelist_fraction_2632__high_and_batch_from_present_pages),
		cmocka_unit_test(refill_13__batch_blocks_in_pfn_order_then_twice_as_many),
		cmocka_unit_test(free_13__drains_when_count_reaches_high),
		cmocka_unit_test(refill_61__always_batch_blocks),
		cmocka_unit_test(free_61__drains_batch_then_twice_as_many),
		cmocka_unit_test(reclaim_active_13__limits_the_lists_to_four_batches),
		cmocka_unit_test(reclaim_active_61__high_is_four_batches),
		cmocka_unit_test(hot_cold_2632__head_for_hot_tail_for_cold_and_batch_drains),
		cmocka_unit_test(pcp_off__drains_and_frees_merge_at_once),
		cmocka_unit_test(check__finds_a_wrong_pcp_count),
		cmocka_unit_test(alloc_at__takes_a_block_off_a_pcp_list),
		cmocka_unit_test(decay_pcp_high__high_decays_by_an_eighth_down_to_high_min),
		cmocka_unit_test(decay_pcp_high_6_1__does_not_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
