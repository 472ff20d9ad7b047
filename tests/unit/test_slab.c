/*
 * test_slab.c - the slab layer: SLUB (mm/slub.c, 6.13) and SLAB
 * (mm/slab.c, 2.6.32) behaviour behind kmalloc and kmem_cache_*.
 * Expected numbers come from the allocators' rules cited per test.
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
#include "kmemsh/slab.h"
#include "fixture.h"

#define G13_KERNEL 0xcc0u
#define G13_DMA 0x01u
#define G13_DMA32 0x04u
#define G13_RECLAIMABLE 0x10u
#define G32_KERNEL 0xd0u

static struct machine *boot(const char *arch, unsigned cpus)
{
	struct machine_config cfg = { .arch = arch, .ncpus = cpus };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	struct machine *m = boot_cfg(&cfg);
	assert_non_null(m->slab);
	return m;
}

static int setup_slub(void **state)
{
	*state = boot("x86_64", 1);
	return 0;
}

static int setup_slab(void **state)
{
	*state = boot("i386", 1);
	return 0;
}

static int setup_slab_2cpu(void **state)
{
	*state = boot("i386", 2);
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static const char *cache_of(struct machine *m, uint64_t addr)
{
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	return oi.found && oi.cache >= 0 ? m->slab->caches[oi.cache].name : "";
}

/* kmalloc_slab(): size_index for <= 192, fls(size - 1) above */
static void slub_kmalloc__picks_the_kernels_size_class(void **state)
{
	struct machine *m = *state;
	static const struct { size_t size; const char *cache; } cases[] = {
		{ 1, "kmalloc-8" }, { 8, "kmalloc-8" }, { 9, "kmalloc-16" }, { 24, "kmalloc-32" },
		{ 65, "kmalloc-96" }, { 96, "kmalloc-96" }, { 100, "kmalloc-128" }, { 129, "kmalloc-192" },
		{ 200, "kmalloc-256" }, { 4097, "kmalloc-8k" }, { 8192, "kmalloc-8k" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t a;
		assert_int_equal(slab_kmalloc(m, cases[i].size, G13_KERNEL, &a), 0);
		assert_string_equal(cache_of(m, a), cases[i].cache);
	}
	uint64_t a;
	/* kmalloc_type(): __GFP_DMA -> dma-kmalloc, __GFP_RECLAIMABLE -> kmalloc-rcl */
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL | G13_DMA, &a), 0);
	assert_string_equal(cache_of(m, a), "dma-kmalloc-64");
	assert_int_equal(machine_pfn_zone(m, (a - m->arch->page_offset) >> 12), machine_zone_by_name(m, "DMA"));
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL | G13_RECLAIMABLE, &a), 0);
	assert_string_equal(cache_of(m, a), "kmalloc-rcl-64");
	assert_int_equal(machine_check(m), 0);
}

/* kmalloc(0) = ZERO_SIZE_PTR (16); kfree(NULL) and kfree(ZERO_SIZE_PTR) are no-ops */
static void kmalloc_zero_and_kfree_null__are_the_kernels_special_cases(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 0, G13_KERNEL, &a), 0);
	assert_int_equal(a, 16);
	assert_int_equal(slab_kfree(m, 0), 0);
	assert_int_equal(slab_kfree(m, 16), 0);
	size_t ks;
	assert_int_equal(slab_ksize(m, 16, &ks), 0);
	assert_int_equal(ks, 0);
}

/* A fresh slab hands out objects in address order; ksize is the cache's object size. */
static void slub_fresh_slab__hands_out_objects_in_address_order(void **state)
{
	struct machine *m = *state;
	uint64_t a, b, c;
	assert_int_equal(slab_kmalloc(m, 200, G13_KERNEL, &a), 0);
	assert_int_equal(slab_kmalloc(m, 200, G13_KERNEL, &b), 0);
	assert_int_equal(slab_kmalloc(m, 256, G13_KERNEL, &c), 0);
	assert_int_equal(b, a + 256);
	assert_int_equal(c, b + 256);
	assert_int_equal(a & 4095, 0);
	size_t ks;
	assert_int_equal(slab_ksize(m, a, &ks), 0);
	assert_int_equal(ks, 256);
	/* a freed object goes to the head of the cpu freelist and comes back first */
	assert_int_equal(slab_kfree(m, b), 0);
	uint64_t d;
	assert_int_equal(slab_kmalloc(m, 10, G13_KERNEL | 0, &d), 0);   /* kmalloc-16: another cache */
	assert_int_equal(slab_kmalloc(m, 250, G13_KERNEL, &d), 0);
	assert_int_equal(d, b);
	assert_int_equal(machine_check(m), 0);
}

/* Above KMALLOC_MAX_CACHE_SIZE (8 KiB) kmalloc takes a compound page
 * allocation of get_order(size), accounted as unreclaimable slab; above
 * 4 MiB (order > MAX_ORDER) it returns NULL. */
static void slub_large_kmalloc__goes_to_the_page_allocator(void **state)
{
	struct machine *m = *state;
	uint64_t before = m->slab->unreclaimable_pages, a;
	assert_int_equal(slab_kmalloc(m, 8193, G13_KERNEL, &a), 0);
	assert_int_equal(a & 16383, 0);
	assert_int_equal(m->slab->unreclaimable_pages, before + 4);   /* get_order(8193) = 2 */
	size_t ks;
	assert_int_equal(slab_ksize(m, a, &ks), 0);
	assert_int_equal(ks, 16384);
	assert_int_equal(slab_kfree(m, a), 0);
	assert_int_equal(m->slab->unreclaimable_pages, before);
	assert_int_equal(slab_kmalloc(m, (4u << 20) + 1, G13_KERNEL, &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(machine_check(m), 0);

	/* several live at once, freed out of order: each kfree finds its own
	 * size, and a second kfree of one is refused */
	uint64_t big[5];
	size_t sizes[5] = { 9000, 20000, 70000, 8200, 300000 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(slab_kmalloc(m, sizes[i], G13_KERNEL, &big[i]), 0);
	int order[5] = { 1, 4, 0, 3, 2 };
	for (int k = 0; k < 5; k++) {
		int i = order[k];
		assert_int_equal(slab_ksize(m, big[i], &ks), 0);
		assert_int_equal(ks, 4096u << slab_get_order(sizes[i]));
		assert_int_equal(slab_kfree(m, big[i]), 0);
		assert_int_not_equal(slab_kfree(m, big[i]), 0);
		/* a newcomer in between must not disturb the others */
		uint64_t t;
		assert_int_equal(slab_kmalloc(m, 1u << 20, G13_KERNEL, &t), 0);
		assert_int_equal(slab_ksize(m, t, &ks), 0);
		assert_int_equal(ks, 1u << 20);
		assert_int_equal(slab_kfree(m, t), 0);
	}
	assert_int_equal(m->slab->unreclaimable_pages, before);
	assert_int_equal(machine_check(m), 0);
}

/* kmalloc_fix_flags(): __GFP_DMA32 in a slab allocation is stripped with
 * the kernel's message when a new slab is needed */
static void slub_dma32_in_kmalloc__is_fixed_up_with_the_kernels_message(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	size_t lines = m->dmesg.n;
	/* kmalloc-128: a cache with no slab yet (kmalloc-64 has the one the
	 * boot's vm_structs took, so a kmalloc of 64 needs no new slab) */
	assert_int_equal(slab_kmalloc(m, 128, G13_KERNEL | G13_DMA32, &a), 0);
	assert_string_equal(cache_of(m, a), "kmalloc-128");
	bool found = false;
	for (size_t i = lines; i < m->dmesg.n; i++)
		if (strcmp(m->dmesg.v[i].text, "Unexpected gfp: 0xcc4 (GFP_KERNEL|GFP_DMA32). Fixing up to gfp: "
			   "0xcc0 (GFP_KERNEL). Fix your code!") == 0)
			found = true;
	assert_true(found);
	/* the slab page came from Normal, not DMA32 */
	assert_int_equal(machine_pfn_zone(m, (a - m->arch->page_offset) >> 12), machine_zone_by_name(m, "Normal"));
}

/* Double free: an immediate one trips CONFIG_SLAB_FREELIST_HARDENED's
 * BUG_ON in set_freepointer(); either way the model refuses and stays intact. */
static void slub_double_free__is_reported_and_refused(void **state)
{
	struct machine *m = *state;
	uint64_t a, b;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &a), 0);
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &b), 0);
	assert_int_equal(slab_kfree(m, a), 0);
	size_t lines = m->dmesg.n;
	assert_int_equal(slab_kfree(m, a), -EINVAL);
	assert_true(m->dmesg.n > lines);
	assert_non_null(strstr(m->dmesg.v[lines + 1].text, "kernel BUG at mm/slub.c:"));
	/* lib/bug.c then die(): 6.13 __die_header()'s "Oops: invalid opcode:
	 * 0000 [#%d] PREEMPT SMP NOPTI" with ++die_counter, show_regs()'s
	 * header, and oops_end()'s add_taint(TAINT_DIE) */
	assert_string_equal(m->dmesg.v[lines + 1].text, "kernel BUG at mm/slub.c:545!");
	assert_string_equal(m->dmesg.v[lines + 2].text, "Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI");
	assert_non_null(strstr(m->dmesg.v[lines + 3].text, "CPU: 0 UID: 0 PID: 1 Comm: kmemsh "));
	assert_true(m->taint & (1ul << TAINT_DIE));
	assert_int_equal(slab_kfree(m, b), 0);
	assert_int_equal(slab_kfree(m, a), -EINVAL);   /* not the head any more: no BUG, still refused */
	assert_int_equal(slab_kfree(m, a + 8), -EINVAL);   /* not an object start */
	/* a second immediate double free: the second oops, "[#2]" */
	uint64_t c;
	assert_int_equal(slab_kmalloc(m, 64, G13_KERNEL, &c), 0);
	assert_int_equal(slab_kfree(m, c), 0);
	lines = m->dmesg.n;
	assert_int_equal(slab_kfree(m, c), -EINVAL);
	assert_string_equal(m->dmesg.v[lines + 2].text, "Oops: invalid opcode: 0000 [#2] PREEMPT SMP NOPTI");
	assert_int_equal(machine_check(m), 0);
}

/* kmem_cache_create/alloc/free/destroy and the wrong-cache WARN */
static void kmem_cache__life_cycle_and_wrong_cache(void **state)
{
	struct machine *m = *state;
	int c, d;
	assert_int_equal(slab_cache_create(m, "foo", 100, 0, SLAB_HWCACHE_ALIGN_F, &c), 0);
	/* calculate_alignment(): HWCACHE with 100 > 64/2 -> 64-byte alignment, size 128 */
	assert_int_equal(m->slab->caches[c].g.size, 128);
	assert_int_equal(slab_cache_create(m, "bar", 100, 0, 0, &d), 0);
	assert_int_equal(m->slab->caches[d].g.size, 104);
	uint64_t a;
	assert_int_equal(slab_cache_alloc(m, c, G13_KERNEL, &a), 0);
	size_t lines = m->dmesg.n;
	assert_int_equal(slab_cache_free(m, d, a), -EINVAL);
	assert_non_null(strstr(m->dmesg.v[lines + 1].text, "kmem_cache_free: Wrong slab cache. bar but object is from foo"));
	/* destroy with an object left: the kernel complains and keeps the cache */
	assert_int_equal(slab_cache_destroy(m, c), -EBUSY);
	assert_non_null(strstr(m->dmesg.v[m->dmesg.n - 1].text, "Slab cache still has objects"));
	assert_int_equal(slab_cache_free(m, c, a), 0);
	assert_int_equal(slab_cache_destroy(m, c), 0);
	assert_int_equal(slab_cache_alloc(m, c, G13_KERNEL, &a), -EINVAL);
	assert_non_null(strstr(m->err, "destroyed"));
	assert_int_equal(machine_check(m), 0);
}

/* 2.6.32 SLAB kmem_cache_destroy(): __cache_shrink() fails, so
 * slab_error(cachep, "Can't free all objects") and the cache stays */
static void slab_2_6_32__destroy_with_objects_is_a_slab_error(void **state)
{
	struct machine *m = *state;
	int c;
	uint64_t a;
	assert_int_equal(slab_cache_create(m, "foo", 100, 0, 0, &c), 0);
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &a), 0);
	size_t from = m->dmesg.n;
	assert_int_equal(slab_cache_destroy(m, c), -EBUSY);
	assert_true(m->dmesg.n > from);
	assert_string_equal(m->dmesg.v[from].text, "slab error in kmem_cache_destroy(): cache `foo': Can't free all objects");
	/* debug flags are not in a non-debug build's CREATE_MASK */
	int d;
	assert_int_equal(slab_cache_create(m, "bar", 100, 0, SLAB_RED_ZONE_F, &d), -EINVAL);
	assert_non_null(strstr(m->err, "CONFIG_DEBUG_SLAB"));
	assert_int_equal(slab_cache_free(m, c, a), 0);
	assert_int_equal(slab_cache_destroy(m, c), 0);
	assert_int_equal(machine_check(m), 0);
}

/* SLUB keeps up to min_partial empty slabs on the node's partial list and
 * gives the rest back (__put_partials(), __slab_free(): slab_empty when
 * nr_partial >= min_partial). */
static void slub_empty_slabs__beyond_min_partial_go_back_to_the_buddy_allocator(void **state)
{
	struct machine *m = *state;
	int c;
	/* 2048-byte objects; min_partial = ilog2(2048)/2 = 5 */
	assert_int_equal(slab_cache_create(m, "big", 2048, 0, 0, &c), 0);
	assert_int_equal(m->slab->caches[c].min_partial, 5);
	unsigned per = m->slab->caches[c].g.objects;
	uint64_t objs[16 * 12];
	unsigned n = per * 12;
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(slab_cache_alloc(m, c, G13_KERNEL, &objs[i]), 0);
	assert_int_equal(m->slab->caches[c].nr_slabs, 12);
	/*
	 * Free everything, slab by slab.  calculate_order(): min_objects
	 * 4 * (fls(1) + 1) = 8, so 8 objects per order-2 slab; set_cpu_partial():
	 * 2048-byte objects keep 24 objects, cpu_partial_slabs =
	 * DIV_ROUND_UP(24 * 2, 8) = 6.  Each full slab that gets an object back
	 * goes on CPU 0's partial list (and stays there when it empties); the
	 * 7th finds the list at 6 and drains it to the node (__put_partials()),
	 * head first: slabs 5..1 fill the node's partial list to min_partial
	 * (5), so slab 0 is discarded.  Slabs 6..10 then fill the CPU's list
	 * again, and slab 11, the cpu slab, takes its frees on the fast path.
	 */
	assert_int_equal(per, 8);
	assert_int_equal(m->slab->caches[c].cpu_partial_slabs, 6);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(slab_cache_free(m, c, objs[i]), 0);
	assert_int_equal(m->slab->caches[c].partial[0].count, 5);
	assert_int_equal(m->slab->caches[c].cpu[0].partial_slabs, 5);
	assert_int_equal(m->slab->caches[c].nr_slabs, 11);
	assert_int_equal(machine_check(m), 0);
	/* kmem_cache_shrink(): flush_all() then every empty slab goes */
	assert_int_equal(slab_cache_shrink(m, c), 0);
	assert_int_equal(m->slab->caches[c].nr_slabs, 0);
	assert_int_equal(machine_check(m), 0);
}

/* SLAB (2.6.32): the array cache is a LIFO; the first refill is capped at
 * BATCHREFILL_LIMIT (16) while the array is untouched */
static void slab_2_6_32__array_cache_is_lifo_and_refills_in_batches(void **state)
{
	struct machine *m = *state;
	uint64_t a, b;
	assert_int_equal(slab_kmalloc(m, 200, G32_KERNEL, &a), 0);
	assert_string_equal(cache_of(m, a), "size-256");
	struct object_info oi;
	slab_object_info(m, a, &oi);
	/* 15 objects per size-256 slab: all 15 moved (<= 16), the last one popped first */
	assert_int_equal(oi.index, 14);
	int c = oi.cache;
	assert_int_equal(m->slab->caches[c].cpu[0].avail, 14);
	assert_int_equal(slab_kmalloc(m, 256, G32_KERNEL, &b), 0);
	slab_object_info(m, b, &oi);
	assert_int_equal(oi.index, 13);
	assert_int_equal(slab_kfree(m, a), 0);
	uint64_t d;
	assert_int_equal(slab_kmalloc(m, 256, G32_KERNEL, &d), 0);
	assert_int_equal(d, a);   /* LIFO */
	/* size-96 does not exist with a 64-byte L1 line; 100 bytes is size-128 */
	assert_int_equal(slab_kmalloc(m, 90, G32_KERNEL, &d), 0);
	assert_string_equal(cache_of(m, d), "size-128");
	assert_int_equal(machine_check(m), 0);
}

/* 2.6.32: kmalloc(32) 200 times into objs; the cache of the first */
static struct kmem_cache *kmalloc_200_of_32(struct machine *m, uint64_t objs[200])
{
	for (int i = 0; i < 200; i++)
		assert_int_equal(slab_kmalloc(m, 32, G32_KERNEL, &objs[i]), 0);
	struct object_info oi;
	slab_object_info(m, objs[0], &oi);
	return &m->slab->caches[oi.cache];
}

/* SLAB: a full array (limit) flushes its oldest batchcount objects back to
 * their slabs (free_block()); with one CPU there is no shared array */
static void slab_2_6_32__full_array_flushes_batchcount_to_the_slabs(void **state)
{
	struct machine *m = *state;
	uint64_t objs[200];
	struct kmem_cache *c = kmalloc_200_of_32(m, objs);
	assert_string_equal(c->name, "size-32");
	assert_int_equal(c->g.limit, 120);
	assert_int_equal(c->g.batchcount, 60);
	int i = 0;
	while (c->cpu[0].avail < c->g.limit)
		assert_int_equal(slab_kfree(m, objs[i++]), 0);
	uint64_t free_objects = c->free_objects;
	/* the next free finds the array full: cache_flusharray() first */
	assert_int_equal(slab_kfree(m, objs[i++]), 0);
	assert_int_equal(c->cpu[0].avail, 120 - 60 + 1);
	assert_int_equal(c->free_objects, free_objects + 60);
	assert_int_equal(machine_check(m), 0);
}

/* __find_general_cachep(): the first general cache that holds the size, in
 * 2.6.32's kmalloc_sizes.h order; with a 64-byte L1 line there is no
 * size-96 (CACHE(96) needs L1_CACHE_BYTES < 64) but there is a size-192
 * (L1_CACHE_BYTES < 128); GFP_DMA takes the class's size-N(DMA) cache */
static void slab_2_6_32__kmalloc_takes_the_first_general_cache_that_holds_the_size(void **state)
{
	struct machine *m = *state;
	static const struct { size_t size; const char *cache; } cases[] = {
		{ 1, "size-32" }, { 32, "size-32" }, { 33, "size-64" }, { 64, "size-64" }, { 65, "size-128" },
		{ 96, "size-128" }, { 128, "size-128" }, { 129, "size-192" }, { 192, "size-192" },
		{ 193, "size-256" }, { 256, "size-256" }, { 257, "size-512" }, { 512, "size-512" },
		{ 513, "size-1024" }, { 1000, "size-1024" }, { 1024, "size-1024" }, { 1025, "size-2048" },
		{ 2048, "size-2048" }, { 2049, "size-4096" }, { 4097, "size-8192" }, { 65537, "size-131072" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t a, d;
		char dma[40];
		assert_int_equal(slab_kmalloc(m, cases[i].size, G32_KERNEL, &a), 0);
		assert_string_equal(cache_of(m, a), cases[i].cache);
		assert_int_equal(slab_kmalloc(m, cases[i].size, G32_KERNEL | 0x01u /* GFP_DMA */, &d), 0);
		snprintf(dma, sizeof dma, "%s(DMA)", cases[i].cache);
		assert_string_equal(cache_of(m, d), dma);
		assert_int_equal(slab_kfree(m, a), 0);
		assert_int_equal(slab_kfree(m, d), 0);
	}
	assert_int_equal(machine_check(m), 0);
}

/* 6.1's SLAB takes mm/slab_common.c's kmalloc caches (kmalloc_slab():
 * size_index[] up to 192 with 8..24 moved to KMALLOC_SHIFT_LOW 5, then
 * fls(size - 1); kmalloc_type(): __GFP_DMA, __GFP_RECLAIMABLE,
 * __GFP_ACCOUNT), and above KMALLOC_MAX_CACHE_SIZE the page allocator */
static void slab_6_1_i386__kmalloc_uses_slab_common_kmalloc_caches(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .kernel = "6.1", .slab = "slab", .pcp_off = true };
	struct machine *m = boot_cfg(&cfg);
	gfp_t k = gfp(m, "GFP_KERNEL"), dma = gfp(m, "GFP_KERNEL|GFP_DMA");
	gfp_t rcl = gfp(m, "GFP_KERNEL|__GFP_RECLAIMABLE"), acct = gfp(m, "GFP_KERNEL_ACCOUNT");
	static const struct { size_t size; const char *cache; } cases[] = {
		{ 1, "kmalloc-32" }, { 8, "kmalloc-32" }, { 24, "kmalloc-32" }, { 32, "kmalloc-32" },
		{ 33, "kmalloc-64" }, { 64, "kmalloc-64" }, { 65, "kmalloc-96" }, { 96, "kmalloc-96" },
		{ 97, "kmalloc-128" }, { 129, "kmalloc-192" }, { 193, "kmalloc-256" }, { 1000, "kmalloc-1k" },
		{ 4097, "kmalloc-8k" }, { 8192, "kmalloc-8k" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t a;
		assert_int_equal(slab_kmalloc(m, cases[i].size, k, &a), 0);
		assert_string_equal(cache_of(m, a), cases[i].cache);
	}
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 100, dma, &a), 0);
	assert_string_equal(cache_of(m, a), "dma-kmalloc-128");
	assert_int_equal(slab_kmalloc(m, 100, rcl, &a), 0);
	assert_string_equal(cache_of(m, a), "kmalloc-rcl-128");
	assert_int_equal(slab_kmalloc(m, 100, acct, &a), 0);
	assert_string_equal(cache_of(m, a), "kmalloc-cg-128");
	/* __GFP_DMA wins over __GFP_RECLAIMABLE */
	assert_int_equal(slab_kmalloc(m, 100, dma | rcl, &a), 0);
	assert_string_equal(cache_of(m, a), "dma-kmalloc-128");
	/* 8193 bytes: get_order() 2 from the page allocator, no cache */
	assert_int_equal(slab_kmalloc(m, 8193, k, &a), 0);
	assert_true(a != 0);
	struct object_info oi;
	slab_object_info(m, a, &oi);
	assert_true(oi.large);
	assert_int_equal(oi.large_order, 2);
	assert_int_equal(slab_cache_find(m, "size-64"), -1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * cache_flusharray() without a shared array: free_block() gives the
 * oldest batchcount (60) entries back to their slabs, and the rest move
 * to the bottom of the array in their order, so the array stays a LIFO:
 * the next allocations take the newest frees first.  Each entry keeps the
 * object's slab and index beside it.
 */
static void slab_2_6_32__flush_keeps_the_newest_entries_in_order(void **state)
{
	struct machine *m = *state;
	uint64_t objs[200];
	struct kmem_cache *c = kmalloc_200_of_32(m, objs);
	struct object_info oi;
	/* boot's HPET ioremap took one size-32 object (its vm_struct) from a
	 * first refill of 16 (untouched array: BATCHREFILL_LIMIT), leaving
	 * 15.  The 200 allocations from 113-object slabs take those 15, then
	 * refills of 60 (batchcount), 37 (the rest of the first slab:
	 * cache_alloc_refill() grows the cache only when it took nothing),
	 * then 60 and 53 from a second slab: 226 taken for 201, 25 wait */
	assert_int_equal(c->active_objects, 201);
	assert_int_equal(c->cpu[0].avail, 25);
	/* 95 frees fill the array to its limit (120); the 96th, of objs[95],
	 * finds it full: the 25 waiting objects and objs[0..34] go back to
	 * their slabs, objs[35..94] move down to entries 0..59, and objs[95]
	 * is entry 60 */
	for (int i = 0; i <= 95; i++)
		assert_int_equal(slab_kfree(m, objs[i]), 0);
	const struct slab_cpu *ac = &c->cpu[0];
	assert_int_equal(ac->avail, 61);
	for (unsigned k = 0; k < 61; k++) {
		assert_int_equal(ac->entry[k].obj, objs[k + 35]);
		slab_object_info(m, objs[k + 35], &oi);
		assert_int_equal(ac->entry[k].slab, oi.slab);
		assert_int_equal(ac->entry[k].idx, oi.index);
	}
	/* objs[0..34] are free in their slabs (the model's requested size 0) */
	for (int i = 0; i < 35; i++) {
		slab_object_info(m, objs[i], &oi);
		assert_int_equal(m->slab->slabs[oi.slab].req[oi.index], 0);
	}
	/* LIFO: the newest free comes back first, then the one before */
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 32, G32_KERNEL, &a), 0);
	assert_int_equal(a, objs[95]);
	assert_int_equal(slab_kmalloc(m, 32, G32_KERNEL, &a), 0);
	assert_int_equal(a, objs[94]);
	assert_int_equal(machine_check(m), 0);
}

/* kfree() and kmem_cache_free() push the same entry: the object's
 * address, its slab and index (kfree() passes the address it was given,
 * kmem_cache_free() works it out from the slab) */
static void slab_2_6_32__kfree_and_kmem_cache_free_push_the_object_with_its_slab(void **state)
{
	struct machine *m = *state;
	int c;
	assert_int_equal(slab_cache_create(m, "ac", 100, 0, 0, &c), 0);
	uint64_t a, b;
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &a), 0);
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &b), 0);
	struct object_info oa, ob;
	slab_object_info(m, a, &oa);
	slab_object_info(m, b, &ob);
	const struct slab_cpu *ac = &m->slab->caches[c].cpu[0];
	unsigned avail = ac->avail;
	assert_int_equal(slab_cache_free(m, c, a), 0);
	assert_int_equal(ac->avail, avail + 1);
	assert_int_equal(ac->entry[avail].obj, a);
	assert_int_equal(ac->entry[avail].slab, oa.slab);
	assert_int_equal(ac->entry[avail].idx, oa.index);
	assert_int_equal(slab_kfree(m, b), 0);
	assert_int_equal(ac->entry[avail + 1].obj, b);
	assert_int_equal(ac->entry[avail + 1].slab, ob.slab);
	assert_int_equal(ac->entry[avail + 1].idx, ob.index);
	/* a second free of either is refused and leaves the array alone */
	assert_int_equal(slab_kfree(m, a), -EINVAL);
	assert_int_equal(slab_cache_free(m, c, b), -EINVAL);
	assert_int_equal(ac->avail, avail + 2);
	uint64_t x;
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &x), 0);
	assert_int_equal(x, b);
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &x), 0);
	assert_int_equal(x, a);
	assert_int_equal(machine_check(m), 0);
}

static void slab_2_6_32__successive_slabs_are_coloured(void **state)
{
	struct machine *m = *state;
	int c;
	/* 1000-byte objects: 4 per page, left_over 4096 - 28 - 16 - 4000 = 52 -> no colour;
	 * pick 700: on-slab, 5 objects, mgmt ALIGN(28 + 20, 4) = 48, left 548 -> 8 colours of 64 */
	assert_int_equal(slab_cache_create(m, "col", 700, 0, 0, &c), 0);
	struct kmem_cache *k = &m->slab->caches[c];
	unsigned objects = k->g.objects;
	assert_true(k->g.colour > 1);
	uint64_t first[4];
	for (int s = 0; s < 4; s++) {
		uint64_t a;
		for (unsigned i = 0; i < objects; i++)
			assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &a), 0);
		struct object_info oi;
		slab_object_info(m, a, &oi);
		first[s] = m->slab->slabs[oi.slab].colour_off;
	}
	for (int s = 0; s < 4; s++)
		assert_int_equal(first[s], (unsigned)s % k->g.colour * k->g.colour_off);
	assert_int_equal(machine_check(m), 0);
}

/* 2.6.32 SLAB kmalloc: above the largest general cache (4 MiB with
 * MAX_ORDER 11) it returns NULL without a message */
static void slab_2_6_32__kmalloc_above_the_largest_cache_is_null(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	size_t lines = m->dmesg.n;
	assert_int_equal(slab_kmalloc(m, (4u << 20) + 1, G32_KERNEL, &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(m->dmesg.n, lines);
	assert_int_equal(slab_kmalloc(m, 131073, G32_KERNEL, &a), 0);
	assert_string_equal(cache_of(m, a), "size-262144");
}

/* with 2 CPUs SLAB adds a shared array of shared * batchcount entries */
static void slab_2_6_32__two_cpus_get_a_shared_array(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(slab_kmalloc(m, 32, G32_KERNEL, &a), 0);
	struct object_info oi;
	slab_object_info(m, a, &oi);
	struct kmem_cache *c = &m->slab->caches[oi.cache];
	assert_int_equal(c->g.shared, 8);
	assert_int_equal(c->shared.limit, 8 * 60);
	/* l3->free_limit = (1 + nr_cpus) * batchcount + num */
	assert_int_equal(c->free_limit, 3 * 60 + 113);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(slab_kfree(m, a), 0);
	assert_int_equal(c->cpu[1].avail, 1);
	assert_int_equal(machine_check(m), 0);
}

static int setup_slob(void **state)
{
	struct machine_config cfg = { .arch = "i386", .slab = "slob" };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	*state = boot_cfg(&cfg);
	return 0;
}

/*
 * SLOB (2.6.32 mm/slob.c): kmalloc(n) takes SLOB_UNITS(n + 4) 2-byte units
 * first fit, with the size in a 4-byte header in front of the object
 * (ARCH_KMALLOC_MINALIGN = __alignof__(unsigned long) on i386); ksize is
 * the size rounded up to a unit; freeing coalesces; an empty page goes
 * back to the buddy allocator.
 */
static void slob__first_fit_with_a_size_header_and_coalescing(void **state)
{
	struct machine *m = *state;
	uint64_t a, b, c, d;
	uint64_t free_before = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_before += m->zones[z].free_pages;
	assert_int_equal(slab_kmalloc(m, 100, G32_KERNEL, &a), 0);
	/* after the boot's HPET area's vm_struct (32 bytes + the header: 18
	 * units) and vmap_area (52 + 4: 28 units) on the small list's page:
	 * unit 46 (92 bytes) + the header */
	assert_int_equal(a & 4095, 92 + 4);
	assert_int_equal(slab_kmalloc(m, 30, G32_KERNEL, &b), 0);
	assert_int_equal(b, a + 104);                   /* 104 bytes = 52 units later */
	size_t ks;
	assert_int_equal(slab_ksize(m, b, &ks), 0);
	assert_int_equal(ks, 30);
	assert_int_equal(slab_kfree(m, a), 0);
	/* first fit: a 50-byte request (54 with the header) reuses unit 0 */
	assert_int_equal(slab_kmalloc(m, 50, G32_KERNEL, &c), 0);
	assert_int_equal(c, a);
	/* a page or more goes to the page allocator */
	assert_int_equal(slab_kmalloc(m, 5000, G32_KERNEL, &d), 0);
	assert_int_equal(d & 4095, 0);
	assert_int_equal(slab_kfree(m, d), 0);
	/* krealloc() (mm/util.c) keeps the block while the size fits ksize():
	 * 2.6.32 SLOB's ksize() is the header's size rounded up to units */
	uint64_t r;
	assert_int_equal(slab_krealloc(m, b, 30, G32_KERNEL, &r), 0);
	assert_int_equal(r, b);
	assert_int_equal(slab_krealloc(m, b, 31, G32_KERNEL, &r), 0);
	assert_int_not_equal(r, b);
	assert_int_equal(slab_kfree(m, b), -EINVAL);   /* krealloc freed it */
	b = r;
	assert_int_equal(slab_kfree(m, b), 0);
	assert_int_equal(slab_kfree(m, b), -EINVAL);   /* double free: refused */
	assert_int_equal(slab_kfree(m, c), 0);
	/* all of the test's objects freed: the page keeps only the boot's two
	 * objects, as before the test */
	uint64_t free_after = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_after += m->zones[z].free_pages;
	assert_int_equal(free_after, free_before);
	assert_int_equal(machine_check(m), 0);
}

/* krealloc() of an address inside an object that must move: the move
 * would end in a kfree() that is refused, so krealloc() refuses first and
 * allocates nothing (it used to leave the new object, and on a fresh
 * cache a new slab page, behind) */
static void krealloc__inside_an_object__refused_before_allocating(void **state)
{
	struct machine *m = *state;
	uint64_t a, r = 0;
	assert_int_equal(slab_kmalloc(m, 100, G32_KERNEL, &a), 0);
	uint64_t free_before = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_before += m->zones[z].free_pages;
	uint64_t blocks = m->nr_alloc_blocks;
	assert_int_equal(slab_krealloc(m, a + 8, 5000, G32_KERNEL, &r), -EINVAL);
	assert_non_null(strstr(m->err, "not the start of an object"));
	uint64_t free_after = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_after += m->zones[z].free_pages;
	assert_int_equal(free_after, free_before);
	assert_int_equal(m->nr_alloc_blocks, blocks);
	assert_int_equal(slab_krealloc(m, a, 5000, G32_KERNEL, &r), 0);      /* the start moves */
	assert_int_equal(slab_kfree(m, r), 0);
	assert_int_equal(machine_check(m), 0);
}

/* SLOB caches: HWCACHE alignment to the 64-byte line; destroy does not check */
static void slob__caches_align_and_destroy_without_checking(void **state)
{
	struct machine *m = *state;
	int c;
	assert_int_equal(slab_cache_create(m, "foo", 60, 0, SLAB_HWCACHE_ALIGN_F, &c), 0);
	assert_int_equal(m->slab->caches[c].g.align, 64);
	uint64_t x, y;
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &x), 0);
	assert_int_equal(x & 63, 0);
	assert_int_equal(slab_cache_alloc(m, c, G32_KERNEL, &y), 0);
	assert_int_equal(y & 63, 0);
	assert_int_equal(slab_cache_free(m, c, x), 0);
	assert_int_equal(slab_kfree(m, y), -EINVAL);   /* a cache object through kfree */
	assert_int_equal(slab_cache_destroy(m, c), 0);  /* y leaks, as in the kernel */
	assert_int_equal(machine_check(m), 0);
}

/* ---- HighMem and the slab layer (issue 12) ----------------------------------------------------- */

#define G32_HIGHMEM 0x02u

static int setup_slub_2_6_32(void **state)
{
	struct machine_config cfg = { .arch = "i386", .slab = "slub" };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	*state = boot_cfg(&cfg);
	return 0;
}

static uint64_t free_pages_total(const struct machine *m)
{
	uint64_t n = 0;
	for (int i = 0; i < m->nr_zones; i++)
		n += m->zones[i].free_pages;
	return n;
}

/* 2.6.32 cache_grow() / new_slab(): BUG_ON(flags & GFP_SLAB_BUG_MASK) when
 * a new slab is needed; the model refuses and takes no page */
static void slab_2_6_32__highmem_kmalloc_needing_a_slab__is_refused_and_takes_nothing(void **state)
{
	struct machine *m = *state;
	uint64_t before = free_pages_total(m), addr = 1;
	assert_int_equal(slab_kmalloc(m, 3000, G32_KERNEL | G32_HIGHMEM, &addr), -EINVAL);
	assert_int_equal(addr, 0);
	assert_non_null(strstr(m->err, "GFP_SLAB_BUG_MASK"));
	assert_int_equal(free_pages_total(m), before);
	assert_int_equal(slab_check(m), 0);
	/* the flag does not stick: the next plain kmalloc works */
	assert_int_equal(slab_kmalloc(m, 3000, G32_KERNEL, &addr), 0);
	assert_true(addr != 0);
}

/* 2.6.32 SLOB: slob_new_pages() returns page_address() of the page, NULL
 * for a HighMem page, so the kernel leaks the page and returns NULL; the
 * model refuses and takes no page */
static void slob__highmem_kmalloc__is_refused_and_takes_nothing(void **state)
{
	struct machine *m = *state;
	uint64_t before = free_pages_total(m), addr = 1;
	/* 300 bytes: free_slob_medium, which has no page yet (slob_alloc()
	 * asks for a page only when its list has no room; the small list's
	 * page holds the boot's HPET area's vm_struct and vmap_area) */
	assert_int_equal(slab_kmalloc(m, 300, G32_KERNEL | G32_HIGHMEM, &addr), -EINVAL);
	assert_non_null(strstr(m->err, "page_address"));
	assert_int_equal(slab_kmalloc(m, 8192, G32_KERNEL | G32_HIGHMEM, &addr), -EINVAL);
	assert_int_equal(free_pages_total(m), before);
	assert_int_equal(slab_check(m), 0);
}

/* the same request on a machine without HighMem gets lowmem: the zonelist
 * has no HighMem zone to prefer */
static void slob__highmem_kmalloc_without_highmem__gets_lowmem(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "i386", .slab = "slob", .mem_bytes = 512ull << 20 };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	struct machine *m = boot_cfg(&cfg);
	uint64_t addr = 0, pfn = 0, off = 0;
	assert_int_equal(slab_kmalloc(m, 100, G32_KERNEL | G32_HIGHMEM, &addr), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, addr, &pfn, &off), 0);
	assert_true(pfn < m->max_low_pfn);
	machine_destroy(m);
}

/* check: a slab page above max_low_pfn is an error of the model */
static void slab_check__a_slab_outside_lowmem__is_caught(void **state)
{
	struct machine *m = *state;
	uint64_t addr;
	assert_int_equal(slab_kmalloc(m, 64, G32_KERNEL, &addr), 0);
	assert_int_equal(slab_check(m), 0);
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	assert_true(oi.found && !oi.large);
	uint32_t id = oi.slab;
	uint64_t saved = m->slab->slabs[id].pfn;
	m->slab->slabs[id].pfn = m->max_low_pfn;
	assert_int_equal(slab_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "outside lowmem"));
	m->slab->slabs[id].pfn = saved;
	assert_int_equal(slab_check(m), 0);
}

/* kmem_cache_alloc_bulk() takes the objects n kmem_cache_alloc() calls
 * would (6.13 mm/slub.c __kmem_cache_alloc_bulk(): the cpu freelist, then
 * ___slab_alloc() when it is empty): the same addresses in the same order,
 * the same slabs, and the same object next.  SLAB has no bulk hook here, so
 * slab.c calls its alloc() n times. */
static void bulk_equals_singles(const char *arch, const char *kernel, unsigned cpus, gfp_t gfp)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = cpus };
	struct machine *a = boot_cfg(&cfg), *b = boot_cfg(&cfg);
	enum { N = 1000 };
	static uint64_t pa[N], pb[N];
	int ca, cb;
	assert_int_equal(slab_cache_create(a, "bulk", 200, 0, SLAB_HWCACHE_ALIGN_F, &ca), 0);
	assert_int_equal(slab_cache_create(b, "bulk", 200, 0, SLAB_HWCACHE_ALIGN_F, &cb), 0);
	uint64_t one;
	assert_int_equal(slab_cache_alloc(a, ca, gfp, &one), 0);   /* a cpu slab part used */
	assert_int_equal(slab_cache_alloc(b, cb, gfp, &one), 0);
	assert_int_equal(slab_cache_alloc_bulk(a, ca, gfp, N, pa), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(slab_cache_alloc(b, cb, gfp, &pb[i]), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(pa[i], pb[i]);
	struct slabinfo_row ra, rb;
	slab_cache_slabinfo(a, ca, &ra);
	slab_cache_slabinfo(b, cb, &rb);
	assert_int_equal(a->slab->caches[ca].active_objects, N + 1);
	assert_int_equal(ra.active_objs, rb.active_objs);
	assert_int_equal(ra.num_objs, rb.num_objs);
	assert_int_equal(ra.num_slabs, rb.num_slabs);
	assert_int_equal(slab_cache_free(a, ca, pa[17]), 0);
	assert_int_equal(slab_cache_free(b, cb, pb[17]), 0);
	uint64_t na, nb;
	assert_int_equal(slab_cache_alloc(a, ca, gfp, &na), 0);
	assert_int_equal(slab_cache_alloc(b, cb, gfp, &nb), 0);
	assert_int_equal(na, nb);
	assert_int_equal(machine_check(a), 0);
	machine_destroy(a);
	machine_destroy(b);
}

static void cache_alloc_bulk__takes_what_single_allocations_would(void **state)
{
	(void)state;
	bulk_equals_singles("x86_64", NULL, 2, G13_KERNEL);
	bulk_equals_singles("i386", NULL, 1, G32_KERNEL);
}

/* kmem_cache_alloc_bulk() that cannot take them all gives back what it
 * took and fails (mm/slub.c: kmem_cache_free_bulk(), return 0) */
static void cache_alloc_bulk__that_fails_takes_nothing(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 64ull << 20 };
	struct machine *m = boot_cfg(&cfg);
	int c;
	assert_int_equal(slab_cache_create(m, "big", 4096, 0, 0, &c), 0);
	size_t n = 64ull << 20 >> 12;           /* more pages than the machine has */
	uint64_t *p = calloc(n, sizeof *p);
	assert_non_null(p);
	assert_int_not_equal(slab_cache_alloc_bulk(m, c, G13_KERNEL, n, p), 0);
	assert_int_equal(m->slab->caches[c].active_objects, 0);   /* SLUB's slabinfo counts the cpu slab's */
	assert_int_equal(machine_check(m), 0);
	free(p);
	machine_destroy(m);
}

/*
 * 2.6.32 SLAB's cache_cache ("kmem_cache"): every kmem_cache_create()
 * takes a struct kmem_cache from it.  i386 (NR_CPUS 8, one node): 8 * 4 +
 * 72 + 4 = 108 bytes, aligned to the 64-byte line: 128, 30 to a page.  At
 * boot 19 general sizes and their DMA twins take one object each (its
 * boot array holds 1): 38, a full slab and 8 of the next.  A cache made
 * after boot refills its array cache with 16 (BATCHREFILL_LIMIT, array
 * untouched) and takes one: 54 in use, as s_show() counts array objects.
 */
static void slab_2_6_32__kmem_cache_row__counts_each_cache_made(void **state)
{
	struct machine *m = *state;
	int kc = slab_cache_find(m, "kmem_cache");
	assert_true(kc >= 0);
	struct slabinfo_row r;
	slab_cache_slabinfo(m, kc, &r);
	assert_int_equal(r.objsize, 128);
	assert_int_equal(r.objperslab, 30);
	assert_int_equal(r.pagesperslab, 1);
	assert_int_equal(r.active_objs, 38);
	assert_int_equal(r.num_objs, 60);
	assert_int_equal(r.limit, 120);
	int c;
	assert_int_equal(slab_cache_create(m, "foo", 100, 0, 0, &c), 0);
	slab_cache_slabinfo(m, kc, &r);
	assert_int_equal(r.active_objs, 54);
	assert_int_equal(r.num_objs, 60);
	assert_int_equal(slab_cache_destroy(m, kc), -EINVAL);
	assert_int_equal(machine_check(m), 0);
}

/* 6.1's SLAB kmem_cache_boot: offsetof(struct kmem_cache, node) + one
 * node pointer (6.1 slab_def.h, Debian's config) = 100 bytes on i386,
 * aligned to the 32-byte line (SLAB_HWCACHE_ALIGN): 128, 32 a page with
 * the freelist in a free object; 136 on x86_64: 192, 21 a page.  A
 * create_boot_cache() cache is never destroyed (refcount -1) */
static void slab_6_1__kmem_cache_boot_row(void **state)
{
	(void)state;
	static const struct { const char *arch; unsigned object_size, size, num; } want[] = {
		{ "i386", 100, 128, 32 }, { "x86_64", 136, 192, 21 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct machine_config cfg = { .arch = want[i].arch, .kernel = "6.1", .slab = "slab", .pcp_off = true };
		struct machine *m = boot_cfg(&cfg);
		int kc = slab_cache_find(m, "kmem_cache");
		assert_true(kc >= 0);
		const struct kmem_cache *c = &m->slab->caches[kc];
		assert_int_equal(c->g.object_size, want[i].object_size);
		assert_int_equal(c->g.size, want[i].size);
		assert_int_equal(c->g.objects, want[i].num);
		assert_int_equal(c->g.order, 0);
		assert_true(c->g.objfreelist);
		assert_int_equal(slab_cache_destroy(m, kc), -EINVAL);
		machine_destroy(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cache_alloc_bulk__takes_what_single_allocations_would),
		cmocka_unit_test_setup_teardown(slab_2_6_32__kmem_cache_row__counts_each_cache_made, setup_slab, teardown),
		cmocka_unit_test(slab_6_1__kmem_cache_boot_row),
		cmocka_unit_test(cache_alloc_bulk__that_fails_takes_nothing),
		cmocka_unit_test_setup_teardown(slub_kmalloc__picks_the_kernels_size_class, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__highmem_kmalloc_needing_a_slab__is_refused_and_takes_nothing,
						setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__highmem_kmalloc_needing_a_slab__is_refused_and_takes_nothing,
						setup_slub_2_6_32, teardown),
		cmocka_unit_test_setup_teardown(slob__highmem_kmalloc__is_refused_and_takes_nothing, setup_slob, teardown),
		cmocka_unit_test(slob__highmem_kmalloc_without_highmem__gets_lowmem),
		cmocka_unit_test_setup_teardown(slab_check__a_slab_outside_lowmem__is_caught, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_check__a_slab_outside_lowmem__is_caught, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(krealloc__inside_an_object__refused_before_allocating, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(krealloc__inside_an_object__refused_before_allocating, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(kmalloc_zero_and_kfree_null__are_the_kernels_special_cases, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slub_fresh_slab__hands_out_objects_in_address_order, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slub_large_kmalloc__goes_to_the_page_allocator, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slub_dma32_in_kmalloc__is_fixed_up_with_the_kernels_message, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slub_double_free__is_reported_and_refused, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(kmem_cache__life_cycle_and_wrong_cache, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slub_empty_slabs__beyond_min_partial_go_back_to_the_buddy_allocator, setup_slub, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__array_cache_is_lifo_and_refills_in_batches, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__full_array_flushes_batchcount_to_the_slabs, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__kmalloc_takes_the_first_general_cache_that_holds_the_size,
						setup_slab, teardown),
		cmocka_unit_test(slab_6_1_i386__kmalloc_uses_slab_common_kmalloc_caches),
		cmocka_unit_test_setup_teardown(slab_2_6_32__flush_keeps_the_newest_entries_in_order, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__kfree_and_kmem_cache_free_push_the_object_with_its_slab,
						setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__successive_slabs_are_coloured, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__kmalloc_above_the_largest_cache_is_null, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__two_cpus_get_a_shared_array, setup_slab_2cpu, teardown),
		cmocka_unit_test_setup_teardown(slab_2_6_32__destroy_with_objects_is_a_slab_error, setup_slab, teardown),
		cmocka_unit_test_setup_teardown(slob__first_fit_with_a_size_header_and_coalescing, setup_slob, teardown),
		cmocka_unit_test_setup_teardown(slob__caches_align_and_destroy_without_checking, setup_slob, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
