/*
 * test_shrinker.c - reclaimable slab with a shrinker: objects of a
 * SLAB_RECLAIM_ACCOUNT cache on a shrinker's list_lru, freed by
 * shrink_slab() with the kernel's scan arithmetic (6.13 mm/shrinker.c
 * do_shrink_slab(); 2.6.32 mm/vmscan.c shrink_slab()), by drop_caches 2 and
 * by reclaim.  The expected numbers are worked out here from those formulas
 * (DEFAULT_SEEKS 2, SHRINK_BATCH 128).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/pcp.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"
#include "kmemsh/vmscan.h"
#include "../../src/model/vmscan_impl.h"     /* vmscan_try_to_free_pages() */

struct fx {
	struct machine *m;
	int cache;
};

static int boot(void **state, const char *arch, const char *kernel)
{
	struct machine_config c = { .arch = arch, .kernel = kernel, .mem_bytes = 256ull << 20, .ncpus = 1 };
	struct fx *f = calloc(1, sizeof *f);
	char err[256];
	if (!f || machine_create(&c, &f->m, err, sizeof err))
		return -1;
	if (slab_cache_create(f->m, "dcache_test", 192, 0, SLAB_RECLAIM_ACCOUNT_F, &f->cache))
		return -1;
	*state = f;
	return 0;
}

static int setup_613(void **state) { return boot(state, "x86_64", "6.13"); }
static int setup_2632(void **state) { return boot(state, "i386", "2.6.32"); }
static int setup_61(void **state) { return boot(state, "x86_64", "6.1"); }

static int teardown(void **state)
{
	struct fx *f = *state;
	machine_destroy(f->m);
	free(f);
	return 0;
}

/* the cache's list_lru and its shrinker's nr_deferred */
static const struct vm_list_lru *list(const struct fx *f)
{
	const struct vm_list_lru *l = vmscan_shrinkable_lru(f->m, f->cache, NULL);
	if (!l)
		fail_msg("no shrinker");
	return l;
}

static unsigned long deferred(const struct fx *f)
{
	const struct shrinker *s;
	if (!vmscan_shrinkable_lru(f->m, f->cache, &s))
		fail_msg("no shrinker");
	return s->nr_deferred[0];
}

static void add(struct fx *f, uint64_t n)
{
	uint64_t added;
	assert_int_equal(vmscan_shrinkable_add(f->m, f->cache, n, &added), 0);
	assert_int_equal(added, n);
}

static void objects__count_as_reclaimable_slab(void **state)
{
	struct fx *f = *state;
	uint64_t rec0 = f->m->slab->reclaimable_pages;
	add(f, 1000);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 1000);
	/* SLUB: 192-byte objects, 21 per 4 KiB slab: at least 1000 / 21 slabs */
	assert_true(f->m->slab->reclaimable_pages - rec0 >= 1000 / 21);
}

static void a_cache_without_slab_reclaim_account__is_refused_and_nothing_changes(void **state)
{
	struct fx *f = *state;
	int plain;
	assert_int_equal(slab_cache_create(f->m, "plain", 64, 0, 0, &plain), 0);
	uint64_t added = 7, rec0 = f->m->slab->reclaimable_pages, un0 = f->m->slab->unreclaimable_pages;
	assert_int_equal(vmscan_shrinkable_add(f->m, plain, 10, &added), -EINVAL);
	assert_int_equal(added, 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, plain), 0);
	assert_int_equal(f->m->slab->reclaimable_pages, rec0);
	assert_int_equal(f->m->slab->unreclaimable_pages, un0);
	assert_int_equal(vmscan_shrinkable_add(f->m, 9999, 10, &added), -EINVAL);
}

/* VM_SHRINKERS_MAX shrinkable caches: the fixture's and 15 more.  One
 * more is refused with -ENOSPC and a one-line error, nothing allocated and
 * the registry as it was; once a cache is emptied and destroyed its
 * shrinker's slot is free again. */
static void one_shrinker_too_many__is_refused_and_nothing_changes(void **state)
{
	struct fx *f = *state;
	int c[VM_SHRINKERS_MAX + 1];
	char name[32];
	uint64_t added;
	c[0] = f->cache;
	for (int i = 1; i <= VM_SHRINKERS_MAX; i++) {
		snprintf(name, sizeof name, "rcl_test_%d", i);
		assert_int_equal(slab_cache_create(f->m, name, 64, 0, SLAB_RECLAIM_ACCOUNT_F, &c[i]), 0);
	}
	for (int i = 0; i < VM_SHRINKERS_MAX; i++)
		assert_int_equal(vmscan_shrinkable_add(f->m, c[i], 10, &added), 0);
	unsigned nr0 = f->m->nr_shrinkers;
	uint64_t rec0 = f->m->slab->reclaimable_pages;
	added = 7;
	assert_int_equal(vmscan_shrinkable_add(f->m, c[VM_SHRINKERS_MAX], 10, &added), -ENOSPC);
	assert_int_equal(added, 0);
	assert_non_null(strstr(f->m->err, "at most 16 shrinkers"));
	assert_null(strchr(f->m->err, '\n'));
	assert_int_equal(f->m->nr_shrinkers, nr0);
	assert_int_equal(f->m->slab->reclaimable_pages, rec0);
	assert_null(vmscan_shrinkable_lru(f->m, c[VM_SHRINKERS_MAX], NULL));
	/* drop_caches 2 empties every list; a destroyed cache frees its slot */
	uint64_t dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(slab_cache_destroy(f->m, c[1]), 0);
	assert_int_equal(vmscan_shrinkable_add(f->m, c[VM_SHRINKERS_MAX], 10, &added), 0);
	assert_int_equal(added, 10);
	assert_int_equal(f->m->nr_shrinkers, nr0);
}

/* do_shrink_slab() at priority 6 with 100000 freeable objects and nothing
 * deferred: delta = (100000 >> 6) * 4 / 2 = 3124, total_scan 3124, so 24
 * batches of 128 (3072) and 52 left deferred. */
static void do_shrink_slab__priority_6__scans_whole_batches_and_defers_the_rest(void **state)
{
	struct fx *f = *state;
	add(f, 100000);
	uint64_t scanned0 = f->m->vm->ev.slabs_scanned;
	vmscan_shrink_slab_caches(f->m, 6, 0, 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 3072);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 100000 - 3072);
	assert_int_equal(deferred(f), 52);
	/* priority 12: delta = (96928 >> 12) * 2 = 46; total_scan = (52 >> 12)
	 * + 46 = 46: below a batch and below the freeable, so nothing is
	 * scanned and nr_deferred becomes 52 + 46 */
	vmscan_shrink_slab_caches(f->m, 12, 0, 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 3072);
	assert_int_equal(deferred(f), 98);
}

/* drop_caches 2 (6.13 drop_slab()): priority 0, total_scan = min(0 + 1000 *
 * 4 / 2, 2 * 1000) = 2000: 15 batches of 128 (1920; then 80 is below both a
 * batch and the 1000 freeable); a second round finds nothing. */
static void drop_caches_2__6_13__frees_every_object_and_their_empty_slabs(void **state)
{
	struct fx *f = *state;
	uint64_t rec0 = f->m->slab->reclaimable_pages;
	add(f, 1000);
	uint64_t dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned, 1920);
	assert_int_equal(f->m->vm->ev.drop_slab, 1);
	/* SLUB lets the emptied slabs go except the CPU slab, those on the
	 * CPU partial list (cpu_partial 120 objects: DIV_ROUND_UP(120 * 2, 21)
	 * = 12 slabs) and min_partial (5) on the node's partial list */
	assert_true(f->m->slab->reclaimable_pages <= rec0 + 1 + 12 + 5);
	assert_true(f->m->slab->reclaimable_pages < rec0 + 1000 / 21);
}

/* 2.6.32 drop_slab(): shrink_slab(1000, GFP_KERNEL, 1000): delta = (4 *
 * 1000 / 2) * 1000 / 1001 = 1998, so 15 batches (1920) and 78 kept in
 * shrinker->nr; the next round (1000 freed > 10) has max_pass 0, which
 * caps nr at 0. */
static void drop_caches_2__2_6_32__follows_its_shrink_slab(void **state)
{
	struct fx *f = *state;
	add(f, 1000);
	uint64_t dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned, 1920);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 0);
	assert_int_equal(deferred(f), 0);
}

/* 2.6.32 shrink_slab() from reclaim: 32 pages scanned of 1000 LRU pages,
 * 5000 objects: delta = (4 * 32 / 2) * 5000 / 1001 = 319; two batches
 * (256), 63 kept. */
static void shrink_slab__2_6_32__scales_with_the_pages_scanned(void **state)
{
	struct fx *f = *state;
	add(f, 5000);
	vmscan_shrink_slab_caches(f->m, 0, 32, 1000);
	assert_int_equal(f->m->vm->ev.slabs_scanned, 256);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 5000 - 256);
	assert_int_equal(deferred(f), 63);
}

static void the_shrinker_frees_the_oldest_objects_first(void **state)
{
	struct fx *f = *state;
	add(f, 300);
	/* one node: every object on node 0's list */
	const struct vm_list_lru_one *s = &list(f)->node[0];
	uint64_t oldest = s->obj[s->head], newest = s->obj[s->head + s->n - 1];
	assert_true(vmscan_shrinker_owns(f->m, f->cache, oldest));
	/* priority 0: total_scan min(600, 600): 4 batches (512; 88 is below a
	 * batch and the 300 freeable), every object goes; 600 - 512 = 88 is
	 * deferred */
	vmscan_shrink_slab_caches(f->m, 0, 0, 0);
	assert_false(vmscan_shrinker_owns(f->m, f->cache, oldest));
	assert_false(vmscan_shrinker_owns(f->m, f->cache, newest));
	assert_int_equal(deferred(f), 88);
	add(f, 200);
	s = &list(f)->node[0];
	oldest = s->obj[s->head];
	newest = s->obj[s->head + s->n - 1];
	uint64_t the_129th = s->obj[s->head + 128];
	/* priority 1: total_scan = (88 >> 1) + (200 >> 1) * 2 = 244: one batch
	 * of 128, the oldest; 116 is below a batch and below 200 */
	vmscan_shrink_slab_caches(f->m, 1, 0, 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 72);
	assert_false(vmscan_shrinker_owns(f->m, f->cache, oldest));
	assert_true(vmscan_shrinker_owns(f->m, f->cache, the_129th));
	assert_true(vmscan_shrinker_owns(f->m, f->cache, newest));
	/* 88 + 200 - 128 = 160 deferred, at most 2 * 200 */
	assert_int_equal(deferred(f), 160);
}

/* Memory pressure: a machine full of reclaimable dentries; reading a file
 * into the page cache makes reclaim run the shrinker, whose freed slab
 * pages count as reclaim's progress. */
static void reclaim_under_pressure__runs_the_shrinker_and_frees_slab_pages(void **state)
{
	struct fx *f = *state;
	uint64_t free = 0;
	for (int z = 0; z < f->m->nr_zones; z++)
		free += f->m->zones[z].free_pages;
	/* 21 objects a page: fill about 90 % of free memory */
	add(f, free * 9 / 10 * 21);
	uint64_t rec = f->m->slab->reclaimable_pages, n = vmscan_shrinkable_count(f->m, f->cache);
	uint64_t added;
	assert_int_equal(vmscan_pagecache(f->m, "big", free / 2, false, &added), 0);
	assert_int_equal(added, free / 2);
	assert_true(f->m->vm->ev.slabs_scanned > 0);
	assert_true(vmscan_shrinkable_count(f->m, f->cache) < n);
	assert_true(f->m->slab->reclaimable_pages < rec);
}

/* A registered shrinker (shrinker.c) with `fake_n` objects, each scan
 * freeing what it is asked for; fake_counts counts count_objects() calls. */
static unsigned long fake_n, fake_counts;
static unsigned long fake_count(struct machine *m, struct shrink_control *sc)
{
	(void)m;
	(void)sc;
	fake_counts++;
	return fake_n;
}
static unsigned long fake_scan(struct machine *m, struct shrink_control *sc)
{
	(void)m;
	unsigned long n = sc->nr_to_scan < fake_n ? sc->nr_to_scan : fake_n;
	fake_n -= n;
	return n;
}

/* mm/shrinker.c do_shrink_slab(): count_vm_events(SLABS_SCANNED,
 * shrinkctl->nr_scanned) after every batch a registered shrinker scanned:
 * priority 0, 1000 objects: total_scan min(2000, 2000), 15 batches (1920) */
static void registered_shrinker__counts_slabs_scanned(void **state)
{
	struct fx *f = *state;
	struct shrinker s = { .name = "fake", .count_objects = fake_count, .scan_objects = fake_scan };
	fake_n = 1000;
	assert_int_equal(shrinker_register(f->m, &s), 0);
	uint64_t scanned0 = vmscan_state(f->m)->ev.slabs_scanned;
	assert_int_equal(vmscan_shrink_slab(f->m, 0), 1000);
	assert_int_equal(vmscan_state(f->m)->ev.slabs_scanned - scanned0, 1920);
	shrinker_free(f->m, &s);
}

/* mm/vmscan.c drop_slab(): one loop, each round's shrink_slab() asking
 * every shrinker, the registered ones and the list_lru caches' alike:
 * round 1 frees the 1000 cache objects (1000 >> 0 > 1: again), round 2
 * frees nothing, so the registered shrinker is counted twice. */
static void drop_caches_2__asks_every_shrinker_each_round(void **state)
{
	struct fx *f = *state;
	struct shrinker s = { .name = "fake", .count_objects = fake_count, .scan_objects = fake_scan };
	fake_n = 0;
	fake_counts = 0;
	assert_int_equal(shrinker_register(f->m, &s), 0);
	add(f, 1000);
	uint64_t dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, f->cache), 0);
	assert_int_equal(fake_counts, 2);
	shrinker_free(f->m, &s);
}

static uint64_t alloc_ok(struct machine *m, void *ctx, unsigned af, int *zone)
{
	(void)m;
	(void)ctx;
	(void)af;
	*zone = 0;
	return 0x1000;
}

/* 6.1 has the registered shrinkers' shrink_slab() in direct reclaim too:
 * mm/vmscan.c shrink_node_memcgs() calls shrink_slab() for every memcg
 * since 4.x (6.1.y included), as 6.13's does */
static void direct_reclaim__6_1__runs_the_registered_shrinkers(void **state)
{
	struct fx *f = *state;
	struct shrinker s = { .name = "fake", .count_objects = fake_count, .scan_objects = fake_scan };
	fake_n = 0;
	fake_counts = 0;
	assert_int_equal(shrinker_register(f->m, &s), 0);
	int zone;
	vmscan_slowpath(f->m, 0, 0, 0, 0, alloc_ok, alloc_ok, NULL, NULL, &zone);
	assert_true(fake_counts > 0);
	shrinker_free(f->m, &s);
}

/* ---- the dentry and inode caches: the superblock's shrinker ---------------- */

/* 3000 unused dentries and 1000 unused inodes of the booted kernel's own
 * caches, on the superblock shrinker's two lists */
static void add_vfs(struct fx *f, int *dentry, int *inode)
{
	uint64_t added;
	*dentry = slab_cache_find(f->m, "dentry");
	*inode = slab_cache_find(f->m, "inode_cache");
	assert_true(*dentry >= 0 && *inode >= 0);
	assert_int_equal(vmscan_shrinkable_add(f->m, *dentry, 3000, &added), 0);
	assert_int_equal(vmscan_shrinkable_add(f->m, *inode, 1000, &added), 0);
	assert_int_equal(added, 1000);
}

static unsigned long vfs_deferred(const struct fx *f, int cache)
{
	const struct shrinker *s;
	assert_non_null(vmscan_shrinkable_lru(f->m, cache, &s));
	return s->nr_deferred[0];
}

/* fs/super.c super_cache_count(): 4000 objects at vfs_cache_pressure 100;
 * do_shrink_slab() at priority 2: delta = (4000 >> 2) * 4 / 2 = 2000, one
 * batch of 1024 (976 is below a batch and below 4000).  super_cache_scan()
 * shares the 1024 over 3000 + 1000 + 1: dentries mult_frac(1024, 3000,
 * 4001) = 767, inodes mult_frac(1024, 1000, 4001) = 255, and prunes one
 * more of each: 768 dentries, 256 inodes.  Deferred: 2000 - 1024 = 976. */
static void super_cache_scan__shares_a_batch_between_dentries_and_inodes(void **state)
{
	struct fx *f = *state;
	int d, i;
	add_vfs(f, &d, &i);
	uint64_t scanned0 = f->m->vm->ev.slabs_scanned;
	vmscan_shrink_slab_caches(f->m, 2, 0, 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 1024);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 3000 - 768);
	assert_int_equal(vmscan_shrinkable_count(f->m, i), 1000 - 256);
	assert_int_equal(vfs_deferred(f, d), 976);
	/* one shrinker holds both lists */
	const struct shrinker *sd, *si;
	vmscan_shrinkable_lru(f->m, d, &sd);
	vmscan_shrinkable_lru(f->m, i, &si);
	assert_ptr_equal(sd, si);
	assert_int_equal(sd->batch, 1024);
}

/* vm.vfs_cache_pressure 200: the count doubles to 8000; priority 2: delta
 * (8000 >> 2) * 2 = 4000, three batches (3072, then 928).  Batch 2 shares
 * 1024 over 2232 + 744 + 1: 767 + 1 and 255 + 1; batch 3 over 1464 + 488 +
 * 1: 767 + 1 and 255 + 1 (mult_frac(1024, 1464, 1953) = 767, mult_frac(1024,
 * 488, 1953) = 255).  Left: 696 dentries, 232 inodes; deferred 928. */
static void vfs_cache_pressure_200__doubles_what_the_shrinker_counts(void **state)
{
	struct fx *f = *state;
	int d, i;
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "200"), 0);
	add_vfs(f, &d, &i);
	uint64_t scanned0 = f->m->vm->ev.slabs_scanned;
	vmscan_shrink_slab_caches(f->m, 2, 0, 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 3072);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 696);
	assert_int_equal(vmscan_shrinkable_count(f->m, i), 232);
	assert_int_equal(vfs_deferred(f, d), 928);
}

/* vfs_cache_pressure 0: the count is 0, so do_shrink_slab() returns at
 * once: drop_caches 2 frees none of them; a bad value changes nothing */
static void vfs_cache_pressure_0__keeps_the_dentries_and_inodes(void **state)
{
	struct fx *f = *state;
	int d, i;
	char buf[32];
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "-1"), -ERANGE);
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "100");
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "0"), 0);
	add_vfs(f, &d, &i);
	uint64_t dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 3000);
	assert_int_equal(vmscan_shrinkable_count(f->m, i), 1000);
	assert_int_equal(vfs_deferred(f, d), 0);
}

/* drop_caches 2 at pressure 100: priority 0, total_scan min(8000, 8000):
 * seven batches of 1024; the fourth empties both lists (the shares of 696
 * and 232 plus one cover them) and the rest prune nothing.  Deferred: 8000
 * - 7168 = 832.  Round two finds the lists empty (SHRINK_EMPTY). */
static void drop_caches_2__frees_every_unused_dentry_and_inode(void **state)
{
	struct fx *f = *state;
	int d, i;
	add_vfs(f, &d, &i);
	uint64_t scanned0 = f->m->vm->ev.slabs_scanned, dropped;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 7168);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, i), 0);
	assert_int_equal(vfs_deferred(f, d), 832);
}

/* vm.vfs_cache_pressure at its largest (proc_dointvec_minmax takes any
 * int from 0): 100000 dentries count as mult_frac(100000, 2147483647, 100)
 * = 2147483647000.  drop_caches 2 at priority 0: delta = 2 * that =
 * 4294967294000 = total_scan (the 2 * freeable limit); whole batches of
 * 1024 while total_scan >= 1024: 4294967293952 scanned, 48 left (below a
 * batch, below freeable) and deferred (0 + delta - scanned).  The first 98
 * batches free every dentry; the rest scan empty lists, as the kernel's
 * loop does, and must give the same figures. */
static void vfs_cache_pressure_int_max__scans_as_do_shrink_slab_counts(void **state)
{
	struct fx *f = *state;
	uint64_t added, dropped;
	int d = slab_cache_find(f->m, "dentry");
	assert_true(d >= 0);
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "2147483647"), 0);
	assert_int_equal(vmscan_shrinkable_add(f->m, d, 100000, &added), 0);
	assert_int_equal(added, 100000);
	uint64_t scanned0 = f->m->vm->ev.slabs_scanned;
	assert_int_equal(vmscan_drop_caches(f->m, 2, &dropped), 0);
	assert_int_equal(f->m->vm->ev.slabs_scanned - scanned0, 4294967293952ull);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 0);
	assert_int_equal(vfs_deferred(f, d), 48);
}

/* super_cache_scan() without __GFP_FS answers SHRINK_STOP: nothing is
 * scanned, and the whole delta (2000 at priority 2) is deferred */
static void super_cache_scan__without_gfp_fs__stops(void **state)
{
	struct fx *f = *state;
	int d, i;
	add_vfs(f, &d, &i);
	gfp_t nofs;
	assert_int_equal(gfp_parse(f->m->kp, "GFP_NOFS", &nofs, NULL), 0);
	struct shrink_result res = { 0, 0, 0, 0 };
	shrink_slab(f->m, nofs, 0, 2, 0, 0, &res);
	assert_int_equal(res.scanned, 0);
	assert_int_equal(vmscan_shrinkable_count(f->m, d), 3000);
	assert_int_equal(vfs_deferred(f, d), 2000);
}

/* direct reclaim passes the allocation's gfp to shrink_slab()
 * (try_to_free_pages(): sc.gfp_mask): a GFP_NOFS allocation's reclaim
 * leaves the dentries and inodes alone (super_cache_scan() stops without
 * __GFP_FS), a GFP_KERNEL one's frees some */
static void direct_reclaim__gfp_nofs__spares_the_dentry_and_inode_caches(void **state)
{
	struct fx *f = *state;
	int d, i, zone;
	add_vfs(f, &d, &i);
	gfp_t nofs, kernel;
	assert_int_equal(gfp_parse(f->m->kp, "GFP_NOFS", &nofs, NULL), 0);
	assert_int_equal(gfp_parse(f->m->kp, "GFP_KERNEL", &kernel, NULL), 0);
	vmscan_slowpath(f->m, nofs, 0, 0, 0, alloc_ok, alloc_ok, NULL, NULL, &zone);
	assert_int_equal(vmscan_shrinkable_count(f->m, d) + vmscan_shrinkable_count(f->m, i), 4000);
	vmscan_slowpath(f->m, kernel, 0, 0, 0, alloc_ok, alloc_ok, NULL, NULL, &zone);
	assert_true(vmscan_shrinkable_count(f->m, d) + vmscan_shrinkable_count(f->m, i) < 4000);
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

/* A read of 48x memory (with the inet tables made at boot, the two
 * zones' kswapd cycles come back into step only after about 8.4x memory)
 * with the kernel's dentries and inodes on the superblock shrinker: the fill that skips repeating kswapd periods
 * (filemap.c; its signature holds both lists and every shrinker's
 * nr_deferred) ends as reading every page does (tests/unit/test_fill.c
 * does the same with a cache's own shrinker). */
static void fill_with_vfs_caches__skipping__ends_as_reading_every_page(void **state)
{
	(void)state;
	struct machine *m[2];
	for (int k = 0; k < 2; k++) {
		struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 64ull << 20, .ncpus = 1 };
		char err[256];
		assert_int_equal(machine_create(&c, &m[k], err, sizeof err), 0);
		assert_non_null(vmscan_state(m[k]));
		m[k]->vm->no_fill_skip = k == 0;
		/* kswapd stops at the high watermark early in its priority loop
		 * (its frees leave at most 4 * batch pages on the pcp lists,
		 * ZONE_RECLAIM_ACTIVE); 23000 objects at pressure 100 ask
		 * (23000 >> p) * 4 / 2 < 128 (SHRINK_BATCH) a pass down to
		 * priority 9, so it would defer every scan: pressure 400 makes
		 * freeable 92000: 88 + (nr_deferred >> 11) at priority 11 */
		assert_int_equal(machine_sysctl_set(m[k], "vm.vfs_cache_pressure", "400"), 0);
		uint64_t added;
		assert_int_equal(vmscan_shrinkable_add(m[k], slab_cache_find(m[k], "dentry"), 20000, &added), 0);
		assert_int_equal(vmscan_shrinkable_add(m[k], slab_cache_find(m[k], "inode_cache"), 3000, &added), 0);
		assert_int_equal(vmscan_pagecache(m[k], "big", 48 * 16384 + 555, false, &added), 0);
	}
	void (*views[])(struct out *, const struct machine *) = { view_vmstat, view_meminfo, view_zoneinfo,
								  view_reclaim };
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		char *x = render(m[0], views[i]), *y = render(m[1], views[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	assert_int_equal(m[0]->vm->fill_skipped, 0);
	assert_true(m[1]->vm->fill_skipped > 0);
	/* and reclaim did run the superblock's shrinker */
	assert_true(m[1]->vm->ev.slabs_scanned > 0);
	assert_true(vmscan_shrinkable_count(m[1], slab_cache_find(m[1], "dentry")) < 20000);
	machine_destroy(m[0]);
	machine_destroy(m[1]);
}

/* 2.6.32 kernel/sysctl.c vm_table: vfs_cache_pressure = 100 (fs/dcache.c),
 * handler proc_dointvec, which never reads extra1 (&zero): 0, 200 and -1
 * are all stored as written. The sysctl listing names it. */
static void vfs_cache_pressure__2_6_32__is_proc_dointvec(void **state)
{
	struct fx *f = *state;
	char buf[32];
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "100");
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "0"), 0);
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "200"), 0);
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "200");
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "-1"), 0);
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "-1");
	assert_int_equal(machine_sysctl_set(f->m, "vm.vfs_cache_pressure", "x"), -EINVAL);
	assert_int_equal(machine_sysctl_get(f->m, "vm.vfs_cache_pressure", buf, sizeof buf), 0);
	assert_string_equal(buf, "-1");
	bool listed = false;
	for (size_t i = 0; machine_sysctl_name_at(f->m, i); i++)
		if (strcmp(machine_sysctl_name_at(f->m, i), "vm.vfs_cache_pressure") == 0)
			listed = true;
	assert_true(listed);
}

/* One do_try_to_free_pages() (GFP_KERNEL, order 0) on a 6.13 x86_64
 * machine with 2 GiB, with a registered shrinker that is not
 * SHRINKER_NUMA_AWARE (fake: 100 objects, scans free what is asked; no slab
 * page is freed, no LRU page exists, so the priority loop runs 12 .. 0).
 * The fixture's cache has no objects, so no other shrinker counts anything.
 * do_shrink_slab(): delta = (100 >> p) * 4 / 2, total_scan = (nr >> p) +
 * delta, a batch of 128 when total_scan >= 128 or >= freeable,
 * nr_deferred = nr + delta - scanned (at most 200).
 * One node, one call a round: p12..p7 delta 0; p6 2 -> nr 2; p5 (0+6) ->
 * 8; p4 (0+12) -> 20; p3 (2+24) -> 44; p2 (11+50) -> 94; p1 (47+100 = 147)
 * scans 128 (frees the 100) -> nr 94+100-128 = 66; p0 counts 0.
 * 12 calls counted objects.
 * Two nodes (--nodes 2): shrink_zones() -> shrink_node() for each node,
 * each shrink_slab(gfp, nid, ...) asks the shrinker, which counts its
 * 100 whatever the node and, not being NUMA-aware, has one nr_deferred
 * (nr_deferred[0], xchg_nr_deferred()):
 *   p6: 2 -> nr 2, (0+2) -> 4;  p5: (0+6) -> 10, (0+6) -> 16;
 *   p4: (1+12) -> 28, (1+12) -> 40;  p3: (5+24) -> 64, (8+24) -> 88;
 *   p2: (22+50) -> 138, (34+50) -> 188;
 *   p1: (94+100 = 194) scans 128 -> nr 188+100-128 = 160; the second call
 *   counts 0.  11 rounds x 2 + 1 = 23 calls counted objects. */
static void direct_reclaim__two_nodes__asks_a_shrinker_once_per_node(void **state)
{
	(void)state;
	static const unsigned nodes[2] = { 0, 2 };
	static const unsigned long calls[2] = { 12, 23 }, deferred[2] = { 66, 160 };
	for (int k = 0; k < 2; k++) {
		struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 2048ull << 20,
					    .ncpus = 2, .nr_nodes = nodes[k] };
		struct machine *m;
		char err[256];
		assert_int_equal(machine_create(&c, &m, err, sizeof err), 0);
		struct vm_state *v = vmscan_state(m);
		assert_non_null(v);
		int classzone = m->nr_node_zones - 1;
		/* the zonelist reaches a populated zone of every node */
		unsigned seen = 0;
		for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone))
			if (m->zones[z].present)
				seen |= 1u << m->zones[z].nid;
		assert_int_equal(seen, nodes[k] ? 3u : 1u);
		struct shrinker s = { .name = "fake", .count_objects = fake_count, .scan_objects = fake_scan };
		fake_n = 100;
		assert_int_equal(shrinker_register(m, &s), 0);
		gfp_t gfp;
		assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL), 0);
		uint64_t scanned0 = v->ev.slabs_scanned;
		struct scan_control sc;
		vmscan_try_to_free_pages(m, v, gfp, 0, classzone, &sc);
		assert_int_equal(sc.priority, 0);
		assert_int_equal(s.calls, calls[k]);
		assert_int_equal(s.nr_deferred[0], deferred[k]);
		assert_int_equal(v->ev.slabs_scanned - scanned0, 128);
		assert_int_equal(fake_n, 0);
		shrinker_free(m, &s);
		machine_destroy(m);
	}
}

/* ---- two nodes: a list per node (mm/list_lru.c) -------------------------------------- */

/* A 6.13 x86_64 machine of 512 MiB with --nodes 2 and 2 CPUs (cpu 1 on
 * node 1): nd dentries and ni inodes made on node 0 (cpu 0), then md and
 * mi on node 1 (cpu 1).  Every object sits on the list of its slab page's
 * node (list_lru_add_obj(): page_to_nid(virt_to_page(item))), which the
 * test checks for each object from the page's address. */
static struct machine *two_nodes(int *d, int *i, uint64_t nd, uint64_t ni, uint64_t md, uint64_t mi)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 512ull << 20, .ncpus = 2,
				    .nr_nodes = 2 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&c, &m, err, sizeof err), 0);
	assert_int_equal(m->nr_nodes, 2);
	assert_int_equal(machine_cpu_to_node(m, 1), 1);
	*d = slab_cache_find(m, "dentry");
	*i = slab_cache_find(m, "inode_cache");
	assert_true(*d >= 0 && *i >= 0);
	uint64_t added;
	const uint64_t n[2][2] = { { nd, ni }, { md, mi } };
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		assert_int_equal(machine_set_cpu(m, cpu), 0);
		assert_int_equal(vmscan_shrinkable_add(m, *d, n[cpu][0], &added), 0);
		assert_int_equal(vmscan_shrinkable_add(m, *i, n[cpu][1], &added), 0);
	}
	assert_int_equal(machine_set_cpu(m, 0), 0);
	for (int k = 0; k < 2; k++) {
		const struct vm_list_lru *l = vmscan_shrinkable_lru(m, k ? *i : *d, NULL);
		assert_non_null(l);
		for (unsigned nid = 0; nid < 2; nid++) {
			assert_int_equal(l->node[nid].n, n[nid][k]);
			for (uint64_t j = 0; j < l->node[nid].n; j++) {
				uint64_t pfn = 0;
				assert_int_equal(machine_vaddr_to_pfn(m, l->node[nid].obj[l->node[nid].head + j], &pfn,
								      NULL), 0);
				assert_int_equal(numa_pfn_to_nid(m, pfn), nid);
			}
		}
		assert_int_equal(l->n, n[0][k] + n[1][k]);
	}
	return m;
}

static const struct shrinker *sb_shrinker(const struct machine *m, int d)
{
	const struct shrinker *s;
	assert_non_null(vmscan_shrinkable_lru(m, d, &s));
	assert_true(s->flags & SHRINKER_NUMA_AWARE);
	return s;
}

/* shrink_slab(GFP_KERNEL, nid 1, priority 0): the superblock shrinker
 * counts node 1's 1000 + 1000 objects only: freeable 2000, delta (2000 >>
 * 0) * 4 / 2 = 4000, total_scan min(4000, 4000).  Batch 1 of 1024:
 * mult_frac(1024, 1000, 2001) = 511 of each, pruned one more: 512 + 512,
 * 488 + 488 left; batch 2: mult_frac(1024, 488, 977) = 511, 512 asked of
 * each, the 488 + 488 go; batch 3 frees nothing, 928 left is below a
 * batch and below 2000.  Scanned 3 x 1024 = 3072, nr_deferred[1] = 4000 -
 * 3072 = 928; node 0's 3000 + 1000 and nr_deferred[0] untouched. */
static void two_nodes__shrink_slab_of_node_1__frees_only_node_1s_objects(void **state)
{
	(void)state;
	int d, i;
	struct machine *m = two_nodes(&d, &i, 3000, 1000, 1000, 1000);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL), 0);
	struct shrink_result res = { 0, 0, 0, 0 };
	shrink_slab(m, gfp, 1, 0, 0, 0, &res);
	assert_int_equal(res.scanned, 3072);
	assert_int_equal(res.freed, 2000);
	assert_int_equal(vmscan_shrinkable_count_node(m, d, 1), 0);
	assert_int_equal(vmscan_shrinkable_count_node(m, i, 1), 0);
	assert_int_equal(vmscan_shrinkable_count_node(m, d, 0), 3000);
	assert_int_equal(vmscan_shrinkable_count_node(m, i, 0), 1000);
	const struct shrinker *s = sb_shrinker(m, d);
	assert_int_equal(s->nr_deferred[1], 928);
	assert_int_equal(s->nr_deferred[0], 0);
	machine_destroy(m);
}

/* drop_caches 2 on two nodes: drop_slab() -> shrink_slab(GFP_KERNEL, nid,
 * memcg, 0) for node 0, then node 1.
 * Node 0: freeable 4000, delta 8000, total_scan 8000.  Batches of 1024
 * shared over the lists (+ 1 each): 3000/1000 -> 768 + 256 pruned (767,
 * 255 from mult_frac(1024, 3000, 4001), mult_frac(1024, 1000, 4001)) ->
 * 2232/744 -> (mult_frac(1024, 2232, 2977) = 767, mult_frac(1024, 744,
 * 2977) = 255) 1464/488 -> (767, 255 of 1953) 696/232 -> the rest (928);
 * then 3 empty batches: 7 x 1024 = 7168 scanned, 832 left is below a batch
 * and below 4000; nr_deferred[0] = 8000 - 7168 = 832.
 * Node 1: as in the test above: 3072 scanned, nr_deferred[1] = 928.
 * Round 2 counts nothing on either node (SHRINK_EMPTY: nothing deferred
 * changes) and the loop ends ((0 >> 1) <= 1). */
static void two_nodes__drop_caches_2__shrinks_each_nodes_lists_with_its_nr_deferred(void **state)
{
	(void)state;
	int d, i;
	struct machine *m = two_nodes(&d, &i, 3000, 1000, 1000, 1000);
	uint64_t scanned0 = m->vm->ev.slabs_scanned, dropped;
	assert_int_equal(vmscan_drop_caches(m, 2, &dropped), 0);
	assert_int_equal(dropped, 0);           /* page cache pages: none */
	assert_int_equal(m->vm->ev.slabs_scanned - scanned0, 7168 + 3072);
	assert_int_equal(vmscan_shrinkable_count(m, d) + vmscan_shrinkable_count(m, i), 0);
	const struct shrinker *s = sb_shrinker(m, d);
	assert_int_equal(s->nr_deferred[0], 832);
	assert_int_equal(s->nr_deferred[1], 928);
	machine_destroy(m);
}

/* kswapd of node 1 (balance_pgdat() -> kswapd_shrink_node() ->
 * shrink_node() -> shrink_slab(gfp, pgdat->node_id = 1, ...)): node 1's
 * memory is taken down to its min watermark with __GFP_THISNODE
 * allocations that wake no kswapd, so kswapd1 runs its priority loop down
 * to 1 without balancing the node (its 300 + 100 objects' slab pages are
 * far fewer than the high - min watermark gap).  Each pass asks the
 * superblock shrinker about node 1 only: by priority 1 the deferred work
 * makes total_scan reach freeable, and every object of node 1 goes; node
 * 0's 3000 + 1000 stay, its nr_deferred[0] stays 0. */
static void two_nodes__kswapd_of_node_1__frees_only_node_1s_objects(void **state)
{
	(void)state;
	int d, i;
	struct machine *m = two_nodes(&d, &i, 3000, 1000, 300, 100);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "__GFP_THISNODE|__GFP_NOWARN", &gfp, NULL), 0);
	uint64_t pfn, n = 0;
	while (buddy_alloc_pages_node(m, 1, gfp, 0, &pfn) == 0)
		n++;
	assert_true(n > 0);
	uint64_t reclaimed;
	assert_int_equal(vmscan_kswapd_run(m, true, 1, &reclaimed), 1);
	assert_int_equal(vmscan_shrinkable_count_node(m, d, 1), 0);
	assert_int_equal(vmscan_shrinkable_count_node(m, i, 1), 0);
	assert_int_equal(vmscan_shrinkable_count_node(m, d, 0), 3000);
	assert_int_equal(vmscan_shrinkable_count_node(m, i, 0), 1000);
	assert_int_equal(sb_shrinker(m, d)->nr_deferred[0], 0);
	machine_destroy(m);
}

/* kswapd() binds itself to its node's CPUs (set_cpus_allowed_ptr(tsk,
 * cpumask_of_node(pgdat->node_id))): node 1's kswapd, run while the task
 * is on CPU 0 (node 0), frees the emptied slab pages of node 1 through the
 * pcp lists of CPU 1, the one CPU of node 1 (free_frozen_pages() ->
 * free_unref_page_commit() counts them in that CPU's pcp->free_count;
 * high-order slab pages then go on to the buddy lists, free_high), while
 * CPU 0's lists keep their pages and free_count; the task is back on CPU 0
 * afterwards. */
static void two_nodes__kswapd_of_node_1__frees_to_a_cpu_of_node_1(void **state)
{
	(void)state;
	int d, i;
	struct machine *m = two_nodes(&d, &i, 0, 0, 3000, 1000);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "__GFP_THISNODE|__GFP_NOWARN", &gfp, NULL), 0);
	uint64_t pfn;
	while (buddy_alloc_pages_node(m, 1, gfp, 0, &pfn) == 0)
		;
	int count0[MAX_ZONES_MODEL], fc0[MAX_ZONES_MODEL], fc1[MAX_ZONES_MODEL];
	uint64_t slab0 = m->slab->reclaimable_pages;
	for (int z = 0; z < m->nr_zones; z++) {
		count0[z] = pcp_of(m, z, 0)->count;
		fc0[z] = pcp_of(m, z, 0)->free_count;
		fc1[z] = pcp_of(m, z, 1)->free_count;
	}
	uint64_t reclaimed;
	assert_int_equal(machine_this_cpu(m), 0);
	assert_int_equal(vmscan_kswapd_run(m, true, 1, &reclaimed), 1);
	assert_int_equal(machine_this_cpu(m), 0);
	assert_true(m->slab->reclaimable_pages < slab0);
	bool grew = false;
	for (int z = 0; z < m->nr_zones; z++) {
		assert_int_equal(pcp_of(m, z, 0)->count, count0[z]);
		assert_int_equal(pcp_of(m, z, 0)->free_count, fc0[z]);
		grew |= m->zones[z].nid == 1 && pcp_of(m, z, 1)->free_count > fc1[z];
	}
	assert_true(grew);
	machine_destroy(m);
}

/* check (vmscan_check()): an object on another node's list than its slab
 * page's, or a list_lru whose count is not the sum of its lists, is found */
static void two_nodes__check_finds_an_object_on_the_wrong_nodes_list(void **state)
{
	(void)state;
	int d, i;
	struct machine *m = two_nodes(&d, &i, 10, 0, 10, 0);
	assert_int_equal(vmscan_check(m), 0);
	struct vm_list_lru *l = (struct vm_list_lru *)vmscan_shrinkable_lru(m, d, NULL);
	uint64_t *a = &l->node[0].obj[l->node[0].head], *b = &l->node[1].obj[l->node[1].head], t = *a;
	*a = *b;
	*b = t;
	assert_int_equal(vmscan_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "on node 0's list, its slab page on node 1"));
	*b = *a;
	*a = t;
	assert_int_equal(vmscan_check(m), 0);
	l->n++;
	assert_int_equal(vmscan_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "counts 21 objects, its lists hold 20"));
	l->n--;
	assert_int_equal(vmscan_check(m), 0);
	machine_destroy(m);
}

/* A cache's own shrinker is not NUMA-aware: asked about node 1, it counts
 * the objects of both nodes (300 + 200) and walks the lists in node order
 * (list_lru_walk()).  Priority 2: delta (500 >> 2) * 4 / 2 = 250, one
 * batch of 128 from node 0's list (300 -> 172; node 1's 200 stay), 122
 * left below a batch and below 500, deferred to nr_deferred[0] (never
 * [1]). */
static void two_nodes__a_shrinker_not_numa_aware__counts_all_nodes_and_defers_to_0(void **state)
{
	(void)state;
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 512ull << 20, .ncpus = 2,
				    .nr_nodes = 2 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&c, &m, err, sizeof err), 0);
	int cache;
	assert_int_equal(slab_cache_create(m, "dcache_test", 192, 0, SLAB_RECLAIM_ACCOUNT_F, &cache), 0);
	uint64_t added;
	assert_int_equal(vmscan_shrinkable_add(m, cache, 300, &added), 0);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(vmscan_shrinkable_add(m, cache, 200, &added), 0);
	assert_int_equal(vmscan_shrinkable_count_node(m, cache, 0), 300);
	assert_int_equal(vmscan_shrinkable_count_node(m, cache, 1), 200);
	const struct shrinker *s;
	assert_non_null(vmscan_shrinkable_lru(m, cache, &s));
	assert_false(s->flags & SHRINKER_NUMA_AWARE);
	gfp_t gfp;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL), 0);
	struct shrink_result res = { 0, 0, 0, 0 };
	shrink_slab(m, gfp, 1, 2, 0, 0, &res);
	assert_int_equal(res.scanned, 128);
	assert_int_equal(vmscan_shrinkable_count_node(m, cache, 0), 172);
	assert_int_equal(vmscan_shrinkable_count_node(m, cache, 1), 200);
	assert_int_equal(s->nr_deferred[0], 122);
	assert_int_equal(s->nr_deferred[1], 0);
	machine_destroy(m);
}

#define T(fn, s) cmocka_unit_test_setup_teardown(fn, s, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(objects__count_as_reclaimable_slab, setup_613),
		T(a_cache_without_slab_reclaim_account__is_refused_and_nothing_changes, setup_613),
		T(one_shrinker_too_many__is_refused_and_nothing_changes, setup_613),
		T(do_shrink_slab__priority_6__scans_whole_batches_and_defers_the_rest, setup_613),
		T(drop_caches_2__6_13__frees_every_object_and_their_empty_slabs, setup_613),
		T(drop_caches_2__2_6_32__follows_its_shrink_slab, setup_2632),
		T(shrink_slab__2_6_32__scales_with_the_pages_scanned, setup_2632),
		T(the_shrinker_frees_the_oldest_objects_first, setup_613),
		T(reclaim_under_pressure__runs_the_shrinker_and_frees_slab_pages, setup_613),
		T(reclaim_under_pressure__runs_the_shrinker_and_frees_slab_pages, setup_2632),
		T(registered_shrinker__counts_slabs_scanned, setup_613),
		T(drop_caches_2__asks_every_shrinker_each_round, setup_613),
		T(direct_reclaim__6_1__runs_the_registered_shrinkers, setup_61),
		T(super_cache_scan__shares_a_batch_between_dentries_and_inodes, setup_613),
		T(vfs_cache_pressure_200__doubles_what_the_shrinker_counts, setup_613),
		T(vfs_cache_pressure_0__keeps_the_dentries_and_inodes, setup_613),
		T(drop_caches_2__frees_every_unused_dentry_and_inode, setup_613),
		T(super_cache_scan__without_gfp_fs__stops, setup_613),
		T(vfs_cache_pressure_int_max__scans_as_do_shrink_slab_counts, setup_613),
		T(vfs_cache_pressure__2_6_32__is_proc_dointvec, setup_2632),
		cmocka_unit_test(direct_reclaim__two_nodes__asks_a_shrinker_once_per_node),
		cmocka_unit_test(two_nodes__shrink_slab_of_node_1__frees_only_node_1s_objects),
		cmocka_unit_test(two_nodes__drop_caches_2__shrinks_each_nodes_lists_with_its_nr_deferred),
		cmocka_unit_test(two_nodes__kswapd_of_node_1__frees_only_node_1s_objects),
		cmocka_unit_test(two_nodes__kswapd_of_node_1__frees_to_a_cpu_of_node_1),
		cmocka_unit_test(two_nodes__check_finds_an_object_on_the_wrong_nodes_list),
		cmocka_unit_test(two_nodes__a_shrinker_not_numa_aware__counts_all_nodes_and_defers_to_0),
		T(direct_reclaim__gfp_nofs__spares_the_dentry_and_inode_caches, setup_613),
		cmocka_unit_test(fill_with_vfs_caches__skipping__ends_as_reading_every_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
