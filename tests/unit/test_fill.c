/*
 * test_fill.c - a page-cache read larger than memory (vmscan_pagecache()):
 * the fill that skips whole periods of the kswapd cycle must end with what
 * reading every page ends with: the same /proc/vmstat, meminfo, zoneinfo,
 * the same LRU lists and shrinker state (the free blocks' layout may be
 * that of the shorter read: a period repeats the counts, not the pfns).  The reference is the same model
 * reading page by page (vm_state.no_fill_skip), not pasted output.
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

#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"
#include "kmemsh/vmscan.h"

static struct machine *boot(const char *arch, const char *kernel, uint64_t mem, bool skip)
{
	struct machine_config c = { .arch = arch, .kernel = kernel, .mem_bytes = mem, .ncpus = 1 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&c, &m, err, sizeof err), 0);
	assert_non_null(vmscan_state(m));
	m->vm->no_fill_skip = !skip;
	return m;
}

static char *render(const struct machine *m, void (*fn)(struct out *, const struct machine *))
{
	struct out o;
	out_init_buf(&o);
	fn(&o, m);
	char *s = strdup(o.buf ? o.buf : "");
	out_free(&o);
	return s;
}

static void same_views(const struct machine *a, const struct machine *b)
{
	/* not buddyinfo: which free blocks merged is the shorter read's
	 * (the period skipped repeats the counts, not the pfns) */
	void (*views[])(struct out *, const struct machine *) = { view_vmstat, view_meminfo, view_zoneinfo,
								  view_reclaim };
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		char *x = render(a, views[i]), *y = render(b, views[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
}

/* read `pages` in a fill of its own, after `pre` (both machines) */
static void read_both(const char *arch, const char *kernel, uint64_t mem, uint64_t pages, bool dentries)
{
	struct machine *m[2];
	for (int k = 0; k < 2; k++) {
		m[k] = boot(arch, kernel, mem, k == 1);
		uint64_t added;
		if (dentries) {
			int c;
			assert_int_equal(slab_cache_create(m[k], "dcache_test", 192, 0, SLAB_RECLAIM_ACCOUNT_F, &c), 0);
			assert_int_equal(vmscan_shrinkable_add(m[k], c, 20000, &added), 0);
		}
		assert_int_equal(vmscan_pagecache(m[k], "small", 1000, true, &added), 0);
		assert_int_equal(vmscan_pagecache(m[k], "big", pages, false, &added), 0);
		assert_int_equal(added, pages);
	}
	same_views(m[0], m[1]);
	/* and the second did skip, most of the read */
	assert_int_equal(m[0]->vm->ev.pgread, pages);
	assert_int_equal(m[1]->vm->ev.pgread, pages);
	assert_int_equal(m[0]->vm->fill_skipped, 0);
	assert_true(m[1]->vm->fill_skipped > pages / 2);
	machine_destroy(m[0]);
	machine_destroy(m[1]);
}

static void read_of_16x_memory__x86_64_6_13__ends_as_reading_every_page(void **state)
{
	(void)state;
	read_both("x86_64", "6.13", 64ull << 20, 16 * 16384 + 12345, false);
}

/* With the dentries' reclaimable pageblock, the two zones' kswapd cycles
 * fall back into step only every ~8.4x memory (138267 pages once the boot
 * has made inet_init()'s tables), first seen after ~10x: the read must be
 * long enough to hold several periods. */
static void read_with_dentries__x86_64_6_13__ends_as_reading_every_page(void **state)
{
	(void)state;
	read_both("x86_64", "6.13", 64ull << 20, 48 * 16384 + 777, true);
}

static void read_of_8x_memory__i386_2_6_32__ends_as_reading_every_page(void **state)
{
	(void)state;
	read_both("i386", "2.6.32", 128ull << 20, 8 * 32768 + 99, false);
}

/* Below pageblock_nr_pages * MIGRATE_TYPES pages build_all_zonelists()
 * turns page_group_by_mobility_disabled on: gfp_migratetype() is then
 * MIGRATE_UNMOVABLE, so the fill allocates unmovable pages and falls back
 * to the movable pageblocks (largest order first, __rmqueue_fallback()):
 * the movable free blocks' orders are read, the unmovable ones are not. */
static void read_without_mobility__i386_6_13__ends_as_reading_every_page(void **state)
{
	(void)state;
	/* 20 MiB: the 6.x image (Debian 686's, 15 MiB) leaves 16 MiB no room
	 * for the per-CPU chunk; mobility is still off (build_all_zonelists()) */
	read_both("i386", "6.13", 20ull << 20, 16 * 6144 + 321, false);
}

static void read_without_mobility__i386_2_6_32__ends_as_reading_every_page(void **state)
{
	(void)state;
	read_both("i386", "2.6.32", 16ull << 20, 16 * 4096 + 321, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_of_16x_memory__x86_64_6_13__ends_as_reading_every_page),
		cmocka_unit_test(read_with_dentries__x86_64_6_13__ends_as_reading_every_page),
		cmocka_unit_test(read_of_8x_memory__i386_2_6_32__ends_as_reading_every_page),
		cmocka_unit_test(read_without_mobility__i386_6_13__ends_as_reading_every_page),
		cmocka_unit_test(read_without_mobility__i386_2_6_32__ends_as_reading_every_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
