/*
 * test_boot_caches.c - the named caches a booted 6.x kernel has
 * (src/model/boot_caches.c) against the real kernels they were read from:
 * Debian 12's 6.1 amd64 and 686 kernels booted with 2 CPUs
 * (tests/data/snapshots/amd64-6.1-4G-2cpu, i386-6.1-1G-2cpu; their
 * proc/slabinfo and sys/kernel/slab).  The rows hold only what
 * kmem_cache_create() is given (size, align, flags); the geometry is the
 * model's SLUB code's, and the merging the model's find_mergeable(), so
 * every number compared here is the real kernel's against the model's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmemsh/boot_caches.h"
#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/slab_geometry.h"
#include "kmemsh/vmscan.h"

#define DATA "tests/data/snapshots/"

/* one row of a real /proc/slabinfo */
struct real_row {
	char name[64];
	unsigned objsize, perslab, pages;
};

static size_t read_slabinfo(const char *dir, struct real_row *v, size_t max)
{
	char path[PATH_MAX], line[512];
	snprintf(path, sizeof path, DATA "%s/proc/slabinfo", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot read", path);
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < max) {
		unsigned long long a, b;
		if (sscanf(line, "%63s %llu %llu %u %u %u", v[n].name, &a, &b, &v[n].objsize, &v[n].perslab,
			   &v[n].pages) == 6)
			n++;
	}
	fclose(f);
	return n;
}

static unsigned attr(const char *dir, const char *cache, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, DATA "%s/sys/kernel/slab/%s/%s", dir, cache, name);
	FILE *f = fopen(path, "r");
	unsigned v = 0;
	if (!f || fscanf(f, "%u", &v) != 1)
		fail_msg("%s: cannot read", path);
	fclose(f);
	return v;
}

/* the directory a name of sys/kernel/slab stands for (itself, or the
 * merged cache's unique name its link points to) */
static void sysdir(const char *dir, const char *cache, char *out, size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, DATA "%s/sys/kernel/slab/%s", dir, cache);
	ssize_t k = readlink(path, out, len - 1);
	if (k < 0)
		snprintf(out, len, "%s", cache);
	else
		out[k] = '\0';
}

static struct machine *boot_2cpu(const char *arch, const char *kernel)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = 2 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("%s", err);
	return m;
}

/*
 * Each row's geometry, by the model's SLUB calculate_sizes() and
 * calculate_order() with that kernel's 2 CPUs, word size and
 * cache_line_size() (x86_cache_alignment: the guest's proc/cpuinfo
 * "cache_alignment", 64 on amd64 and 32 on the QEMU i386 CPU), equals the
 * real sys/kernel/slab's slab_size, order and objs_per_slab of the cache
 * it made or merged into.
 */
static void check_geometry(const char *arch, const char *dir, unsigned ptr, unsigned line)
{
	struct machine *m = boot_2cpu(arch, "6.13");
	size_t n;
	const struct boot_cache *t = boot_caches_table(m, &n);
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		char d[128];
		sysdir(dir, t[i].name, d, sizeof d);
		struct slab_geometry g;
		assert_int_equal(slub_geometry_ex(t[i].size, t[i].align, t[i].flags, 2, false, ptr, line, &g), 0);
		if (g.size != attr(dir, d, "slab_size") || g.order != attr(dir, d, "order") ||
		    g.objects != attr(dir, d, "objs_per_slab") || g.align != attr(dir, d, "align"))
			fail_msg("%s %s (%s): model size %u align %u order %u objects %u, real %u %u %u %u", dir,
				 t[i].name, d, g.size, g.align, g.order, g.objects, attr(dir, d, "slab_size"),
				 attr(dir, d, "align"), attr(dir, d, "order"), attr(dir, d, "objs_per_slab"));
	}
	machine_destroy(m);
}

static void boot_cache_rows__give_the_real_kernels_geometry_amd64(void **state)
{
	(void)state;
	check_geometry("x86_64", "amd64-6.1-4G-2cpu", 8, 64);
}

static void boot_cache_rows__give_the_real_kernels_geometry_i686(void **state)
{
	(void)state;
	check_geometry("i386", "i386-6.1-1G-2cpu", 4, 32);
}

/*
 * x86_64 booted with 2 CPUs: its slabinfo lists the real kernel's caches,
 * each with the real objsize, objperslab and pagesperslab, and every name
 * sys/kernel/slab shows as a link is another name of the cache that
 * slabinfo lists for it there.  What the model lacks or has otherwise, and
 * why (kmem_cache and kmem_cache_node, SLUB's bootstrap caches, are
 * modelled and checked here with the rest):
 *  - vmap_area is 6.13's (72 bytes; 64 in 6.1), so the 6.1 names merged
 *    into it (:0000064) and Acpi-Operand's 72-byte group merge otherwise.
 */
static void booted_x86_64__lists_the_real_slabinfo_and_merges_as_it(void **state)
{
	(void)state;
	const char *dir = "amd64-6.1-4G-2cpu";
	static struct real_row real[512];
	size_t nr = read_slabinfo(dir, real, 512);
	assert_true(nr > 140);
	struct machine *m = boot_2cpu("x86_64", NULL);
	const char *unmodelled[] = { "vmap_area", "Acpi-Operand" };
	size_t listed = 0;
	for (size_t i = 0; i < nr; i++) {
		bool skip = false;
		for (size_t k = 0; k < sizeof unmodelled / sizeof unmodelled[0]; k++)
			skip |= !strcmp(real[i].name, unmodelled[k]);
		if (skip)
			continue;
		int c = slab_cache_find(m, real[i].name);
		if (c < 0)
			fail_msg("%s: no such cache in the booted model", real[i].name);
		struct slabinfo_row r;
		slab_cache_slabinfo(m, c, &r);
		if (r.objsize != real[i].objsize || r.objperslab != real[i].perslab ||
		    r.pagesperslab != real[i].pages)
			fail_msg("%s: model %u %u %u, real %u %u %u", real[i].name, r.objsize, r.objperslab,
				 r.pagesperslab, real[i].objsize, real[i].perslab, real[i].pages);
		listed++;
	}
	assert_true(listed > 135);
	/* the merged names: each is an alias of the cache slabinfo names for
	 * its directory (the row whose sysdir is the same) */
	size_t n;
	const struct boot_cache *t = boot_caches_table(m, &n);
	size_t aliases = 0;
	for (size_t i = 0; i < n; i++) {
		char d[128], leader_dir[128];
		sysdir(dir, t[i].name, d, sizeof d);
		if (d[0] != ':' || !strcmp(d, ":0000064") || !strcmp(d, ":0000072"))
			continue;
		const char *leader = NULL;
		for (size_t j = 0; j < nr && !leader; j++) {
			sysdir(dir, real[j].name, leader_dir, sizeof leader_dir);
			if (!strcmp(leader_dir, d))
				leader = real[j].name;
		}
		assert_non_null(leader);
		if (!strcmp(leader, t[i].name))
			continue;
		int c = slab_alias_find(m, t[i].name);
		if (c < 0 || strcmp(m->slab->caches[c].name, leader))
			fail_msg("%s: merged into %s in the model, %s (%s) on the real kernel", t[i].name,
				 c < 0 ? "nothing" : m->slab->caches[c].name, leader, d);
		aliases++;
	}
	assert_true(aliases > 40);
	machine_destroy(m);
}

static void assert_row(const struct machine *m, const char *name, unsigned long long active, unsigned long long num,
		       unsigned objsize, unsigned perslab, unsigned long long slabs)
{
	int c = slab_cache_find(m, name);
	assert_true(c >= 0);
	struct slabinfo_row r;
	slab_cache_slabinfo(m, c, &r);
	if (r.active_objs != active || r.num_objs != num || r.objsize != objsize || r.objperslab != perslab ||
	    r.num_slabs != slabs)
		fail_msg("%s: %llu %llu %u %u %llu, want %llu %llu %u %u %llu", name, r.active_objs, r.num_objs,
			 r.objsize, r.objperslab, r.num_slabs, active, num, objsize, perslab, slabs);
}

/*
 * SLUB's kmem_cache_init(): every cache holds a struct kmem_cache from the
 * kmem_cache cache and a struct kmem_cache_node per node from
 * kmem_cache_node.  The booted 6.1 machines (2 CPUs) print the real
 * files' rows: i386 "kmem_cache_node 256 256 32 128 1 ... 2 2" and
 * "kmem_cache 150 150 160 25 1 ... 6 6" (141 caches), amd64 192 192 64 64
 * ... 3 and 160 160 256 16 ... 10 (145).  A kmem_cache_create() takes one
 * of each (x86_64 6.13: 145 caches fill 9 of kmem_cache's 16-object slabs
 * and 1 object of the 10th, 2 of kmem_cache_node's 64-object slabs and 17
 * of the 3rd), kmem_cache_destroy() gives them back; with 2 nodes each
 * cache has two node structures and struct kmem_cache two node pointers.
 */
static void kmem_cache_rows__count_every_cache_and_node(void **state)
{
	(void)state;
	struct machine *m = boot_2cpu("i386", "6.1");
	assert_row(m, "kmem_cache_node", 256, 256, 32, 128, 2);
	assert_row(m, "kmem_cache", 150, 150, 160, 25, 6);
	machine_destroy(m);
	m = boot_2cpu("x86_64", "6.1");
	assert_row(m, "kmem_cache_node", 192, 192, 64, 64, 3);
	assert_row(m, "kmem_cache", 160, 160, 256, 16, 10);
	machine_destroy(m);

	m = boot_2cpu("x86_64", "6.13");
	int kc = slab_cache_find(m, "kmem_cache"), kn = slab_cache_find(m, "kmem_cache_node");
	assert_int_equal(m->slab->caches[kc].active_objects, 145);
	assert_int_equal(m->slab->caches[kn].active_objects, 145);
	int c;
	assert_int_equal(slab_cache_create(m, "foo", 100, 8, 0, &c), 0);
	assert_int_equal(m->slab->caches[kc].active_objects, 146);
	assert_int_equal(m->slab->caches[kn].active_objects, 146);
	assert_int_equal(m->slab->caches[kc].nr_slabs, 10);
	assert_int_equal(slab_cache_destroy(m, c), 0);
	assert_int_equal(m->slab->caches[kc].active_objects, 145);
	assert_int_equal(m->slab->caches[kn].active_objects, 145);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);

	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .ncpus = 2, .nr_nodes = 2 };
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	kc = slab_cache_find(m, "kmem_cache");
	kn = slab_cache_find(m, "kmem_cache_node");
	assert_int_equal(m->slab->caches[kc].g.object_size, 216 + 2 * 8);
	assert_int_equal(m->slab->caches[kn].active_objects, 2 * m->slab->caches[kc].active_objects);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* The caches are made empty, and 2.6.32 gets none of them */
static void boot_caches__are_empty_and_6x_only(void **state)
{
	(void)state;
	struct machine *m = boot_2cpu("x86_64", NULL);
	int c = slab_cache_find(m, "task_struct");
	assert_true(c >= 0);
	assert_int_equal(m->slab->caches[c].nr_slabs, 0);
	assert_int_equal(m->slab->caches[c].active_objects, 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	m = boot_2cpu("i386", "2.6.32");
	assert_int_equal(slab_cache_find(m, "task_struct"), -1);
	machine_destroy(m);
}

/*
 * kmem_cache_create() when memory has run out between the two
 * structures: kmem_cache's cpu slab still has room for the struct
 * kmem_cache, kmem_cache_node none and no page for a new slab.  The
 * kernel's create_cache() frees what it took and returns NULL: the name
 * was never a cache, so nothing may later call it a destroyed one, and
 * kmem_cache's and kmem_cache_node's counts are what they were.
 */
static void kmem_cache_create__failing_for_a_node_structure__leaves_no_trace(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .kernel = "6.1", .ncpus = 1, .mem_bytes = 64ull << 20 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	int kc = slab_cache_find(m, "kmem_cache"), kn = slab_cache_find(m, "kmem_cache_node");
	gfp_t atomic;
	size_t bad;
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &atomic, &bad), 0);
	uint64_t pfn, a;
	while (buddy_alloc_pages(m, atomic, 0, &pfn) == 0)
		;
	unsigned long long node_objs = 0;
	while (slab_cache_alloc(m, kn, atomic, &a) == 0 && a)
		node_objs++;
	assert_true(node_objs > 0);     /* its cpu slab had room: now none */
	unsigned long long kc_active = m->slab->caches[kc].active_objects;
	unsigned long long kn_active = m->slab->caches[kn].active_objects;
	int c = 0;
	assert_true(slab_cache_create(m, "foo", 100, 8, 0, &c) < 0);
	assert_int_equal(m->slab->caches[kc].active_objects, kc_active);
	assert_int_equal(m->slab->caches[kn].active_objects, kn_active);
	assert_int_equal(slab_cache_find(m, "foo"), -1);
	for (uint32_t i = 0; i < m->slab->nr_caches; i++)
		if (strcmp(m->slab->caches[i].name, "foo") == 0)
			fail_msg("slot %u keeps the name of a cache that was never made", i);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * kmem_cache_destroy() of the boot caches: create_boot_cache() leaves
 * them refcount -1 (6.1 mm/slab_common.c), so kmem_cache_destroy()'s
 * --s->refcount is not 0 and it returns before shutdown_cache(): no cpu
 * slab is flushed and no "Slab cache still has objects" WARN is printed.
 * The model refuses it with a line and leaves the caches as they were.
 */
static void kmem_cache_destroy__of_a_boot_cache__leaves_it_as_it_was(void **state)
{
	(void)state;
	struct machine *m = boot_2cpu("i386", "6.1");
	const char *names[] = { "kmem_cache", "kmem_cache_node" };
	for (int k = 0; k < 2; k++) {
		int c = slab_cache_find(m, names[k]);
		assert_true(c >= 0);
		uint32_t cpu_slab = m->slab->caches[c].cpu[0].slab;
		assert_true(cpu_slab != SLAB_NONE);
		unsigned long long active = m->slab->caches[c].active_objects;
		size_t lines = m->dmesg.n;
		assert_true(slab_cache_destroy(m, c) < 0);
		assert_non_null(strstr(m->err, "refcount"));
		assert_int_equal(m->slab->caches[c].cpu[0].slab, cpu_slab);
		assert_int_equal(m->slab->caches[c].active_objects, active);
		assert_true(m->slab->caches[c].live);
		assert_int_equal(m->dmesg.n, lines);
	}
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * kmem_cache_create() when the struct kmem_cache needs a new slab and
 * memory is short, with a task to kill.  6.x mm/slub.c allocate_slab()
 * first asks with __GFP_NORETRY | __GFP_NOWARN, and when that fails asks
 * again for s->min with the caller's own flags ("Try a lower order alloc
 * if possible": oo = s->min; alloc_gfp = flags), whatever the orders:
 * kmem_cache's slabs are order 0 both ways, so the second GFP_KERNEL ask
 * may reclaim, retry and call the OOM killer, which frees the hog's
 * memory, and every cache is made.
 */
static void kmem_cache_create__short_of_memory__retries_as_allocate_slab_does_and_oom_kills(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .ncpus = 1, .mem_bytes = 256ull << 20,
				      .thp = THP_NEVER };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	int t = vmscan_task_create(m, "hog", 0);
	assert_true(t >= 0);
	uint64_t n, pfn;
	assert_int_equal(vmscan_anon(m, t, 57856, &n), 0);   /* 226 MiB, no swap */
	assert_int_equal(n, 57856);
	gfp_t noretry;
	size_t bad;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN", &noretry, &bad), 0);
	while (buddy_alloc_pages(m, noretry, 0, &pfn) == 0)
		;
	bool killed = false;
	for (int i = 0; i < 40; i++) {
		char name[16];
		int c;
		snprintf(name, sizeof name, "c%d", i);
		if (slab_cache_create(m, name, 100, 8, 0, &c))
			fail_msg("%s: %s", name, m->err);
		for (size_t k = m->dmesg.start; k < m->dmesg.n && !killed; k++)
			killed = strstr(dmesg_slot(&m->dmesg, k)->text, "invoked oom-killer") != NULL;
	}
	assert_true(killed);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boot_cache_rows__give_the_real_kernels_geometry_amd64),
		cmocka_unit_test(boot_cache_rows__give_the_real_kernels_geometry_i686),
		cmocka_unit_test(booted_x86_64__lists_the_real_slabinfo_and_merges_as_it),
		cmocka_unit_test(boot_caches__are_empty_and_6x_only),
		cmocka_unit_test(kmem_cache_rows__count_every_cache_and_node),
		cmocka_unit_test(kmem_cache_create__failing_for_a_node_structure__leaves_no_trace),
		cmocka_unit_test(kmem_cache_destroy__of_a_boot_cache__leaves_it_as_it_was),
		cmocka_unit_test(kmem_cache_create__short_of_memory__retries_as_allocate_slab_does_and_oom_kills),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
