/*
 * test_stress.c - randomized stress of the page allocator under the
 * invariant checker, compared with an independent reference model.
 *
 * The reference keeps one bit per page (allocated or not) and the list of
 * live blocks; after every operation the model must agree with it: every
 * block handed out lies in RAM that is neither reserved nor already handed
 * out, each zone's NR_FREE_PAGES equals its managed pages minus the pages
 * the reference holds there, refused frees change nothing, and
 * machine_check() finds the lists and descriptors consistent.
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
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/physaddr.h"
#include "kmemsh/slab.h"

struct block {
	uint64_t pfn;
	unsigned order;
};

struct ref {
	uint8_t *used;          /* one byte per pfn */
	uint64_t held[MAX_NR_ZONES_MODEL];
	struct block *live;
	size_t nlive, cap;
};

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next_rand(void)
{
	/* xorshift64*, seeded: the run is deterministic */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static void expect_consistent(struct machine *m, const struct ref *r)
{
	if (machine_check(m))
		fail_msg("checker: %s", m->err);
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].free_pages != m->zones[z].managed - r->held[z])
			fail_msg("zone %s: free %llu, reference %llu", m->zones[z].name,
				 (unsigned long long)m->zones[z].free_pages,
				 (unsigned long long)(m->zones[z].managed - r->held[z]));
}

/* A random byte of a fresh block: the page tables map it to itself
 * (lowmem), and __pa/__va go there and back; a HighMem page has no
 * address and __va refuses its physical address. */
static void walk_and_translate(struct machine *m, uint64_t pfn, unsigned order)
{
	uint64_t off = next_rand() % ((1ull << order) << 12), phys = (pfn << 12) + off;
	uint64_t va, pa;
	if (pfn >= m->max_low_pfn) {
		assert_int_equal(vm_phys_to_virt(m, phys, &va), -EFAULT);
		return;
	}
	assert_int_equal(vm_phys_to_virt(m, phys, &va), 0);
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	if (w.end != WALK_MAPPED || w.phys != phys)
		fail_msg("walk of %#llx: phys %#llx, expected %#llx", (unsigned long long)va,
			 (unsigned long long)w.phys, (unsigned long long)phys);
	assert_int_equal(vm_virt_to_phys(m, va, &pa), 0);
	assert_int_equal(pa, phys);
	assert_true(vm_virt_addr_valid(m, va));
}

static void run(const char *arch, const char *mem, const char *const *gfps, size_t ngfp, unsigned ops)
{
	struct machine_config cfg = { .arch = arch };
	struct machine *m;
	char err[256];
	assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	struct ref r = { 0 };
	r.used = calloc(m->max_pfn, 1);
	assert_non_null(r.used);
	gfp_t masks[16];
	for (size_t i = 0; i < ngfp; i++)
		assert_int_equal(gfp_parse(m->kp, gfps[i], &masks[i], NULL), 0);

	unsigned allocs = 0, fails = 0, frees = 0, refused = 0;
	for (unsigned op = 0; op < ops; op++) {
		uint64_t dice = next_rand() % 100;
		if (dice < 55 || r.nlive == 0) {
			/* orders 0..10, small ones more often; now and then above MAX */
			unsigned order = (unsigned)(next_rand() % 100);
			order = order < 50 ? 0 : order < 70 ? 1 : order < 80 ? 2 : order < 85 ? 3 :
				order < 99 ? 4 + (unsigned)(next_rand() % 7) : 11;
			gfp_t gfp = masks[next_rand() % ngfp];
			uint64_t pfn;
			int rc = buddy_alloc_pages(m, gfp, order, &pfn);
			if (rc == 0) {
				allocs++;
				int z = machine_pfn_zone(m, pfn);
				assert_true(z >= 0);
				assert_int_equal(pfn & ((1ull << order) - 1), 0);
				for (uint64_t p = pfn; p < pfn + (1ull << order); p++) {
					if (r.used[p])
						fail_msg("pfn %#llx handed out twice", (unsigned long long)p);
					if (!memmap_pfn_is_ram(&m->memmap, p) || memmap_pfn_is_reserved(&m->memmap, p))
						fail_msg("pfn %#llx is not free RAM", (unsigned long long)p);
					assert_int_equal(machine_pfn_zone(m, p), z);
					r.used[p] = 1;
				}
				r.held[z] += 1ull << order;
				if (r.nlive == r.cap) {
					r.cap = r.cap ? r.cap * 2 : 1024;
					r.live = realloc(r.live, r.cap * sizeof *r.live);
					assert_non_null(r.live);
				}
				r.live[r.nlive++] = (struct block){ pfn, order };
				walk_and_translate(m, pfn, order);
			} else {
				assert_true(rc == -ENOMEM || rc == -EINVAL);
				fails++;
			}
		} else if (dice < 95) {
			size_t i = next_rand() % r.nlive;
			struct block b = r.live[i];
			assert_int_equal(buddy_free_pages(m, b.pfn, b.order), 0);
			int z = machine_pfn_zone(m, b.pfn);
			for (uint64_t p = b.pfn; p < b.pfn + (1ull << b.order); p++)
				r.used[p] = 0;
			r.held[z] -= 1ull << b.order;
			r.live[i] = r.live[--r.nlive];
			frees++;
		} else {
			/* bad frees: wrong order, a tail page, a free page */
			size_t i = next_rand() % r.nlive;
			struct block b = r.live[i];
			uint64_t total = 0;
			for (int z = 0; z < m->nr_zones; z++)
				total += m->zones[z].free_pages;
			assert_int_equal(buddy_free_pages(m, b.pfn, b.order ^ 1), -EINVAL);
			if (b.order)
				assert_int_equal(buddy_free_pages(m, b.pfn + 1, 0), -EINVAL);
			uint64_t p = next_rand() % m->max_pfn;
			if (!r.used[p])
				assert_int_equal(buddy_free_pages(m, p, 0), -EINVAL);
			uint64_t after = 0;
			for (int z = 0; z < m->nr_zones; z++)
				after += m->zones[z].free_pages;
			assert_int_equal(after, total);
			refused++;
		}
		expect_consistent(m, &r);
	}
	/* free everything: the zones must return to their boot state */
	while (r.nlive) {
		struct block b = r.live[--r.nlive];
		assert_int_equal(buddy_free_pages(m, b.pfn, b.order), 0);
		r.held[machine_pfn_zone(m, b.pfn)] -= 1ull << b.order;
	}
	expect_consistent(m, &r);
	for (int z = 0; z < m->nr_zones; z++)
		assert_int_equal(m->zones[z].free_pages, m->zones[z].managed);
	printf("  %s %s (%s): %u ops: %u allocations, %u NULL results, %u frees, %u refused-free rounds\n",
	       arch, mem, m->kp->version, ops, allocs, fails, frees, refused);
	assert_true(allocs > ops / 4 && frees > ops / 4 && fails > 0);
	free(r.used);
	free(r.live);
	machine_destroy(m);
}

static void x86_64_6_13__random_alloc_free_stays_consistent(void **state)
{
	(void)state;
	static const char *const gfps[] = {
		"GFP_KERNEL", "GFP_ATOMIC", "GFP_KERNEL|GFP_DMA", "GFP_DMA32", "GFP_HIGHUSER_MOVABLE",
		"GFP_NOWAIT", "GFP_KERNEL|__GFP_RECLAIMABLE", "GFP_USER|__GFP_NOWARN", "GFP_NOIO|__GFP_COMP",
	};
	run("x86_64", "64M", gfps, sizeof gfps / sizeof gfps[0], 60000);
}

static void i386_2_6_32__random_alloc_free_stays_consistent(void **state)
{
	(void)state;
	static const char *const gfps[] = {
		"GFP_KERNEL", "GFP_ATOMIC", "GFP_KERNEL|GFP_DMA", "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
		"GFP_NOWAIT", "GFP_TEMPORARY", "GFP_USER|__GFP_NOWARN", "GFP_NOFS|__GFP_COMP",
	};
	run("i386", "40M", gfps, sizeof gfps / sizeof gfps[0], 60000);
}

/*
 * Slab traffic: random kmalloc sizes (0 .. 20000 bytes, so the large path
 * too), kfree, a user cache, double and bad frees, under the checker.  The
 * reference keeps every live object's [start, start + ksize) and verifies
 * that no two overlap and that ksize covers the request.
 */
struct live_obj {
	uint64_t addr;
	size_t size;
	int cache;      /* -1: kmalloc */
	size_t req;     /* the requested size */
	bool damaged;   /* written past req: slub_debug=F refuses the free once */
};

/*
 * With `debug` (slub_debug letters including F) the run also writes into
 * memory: inside objects (never reported), a few bytes past the request
 * (reported at the free, which is refused once and then succeeds), and
 * into freed objects (found at a later allocation, which abandons the
 * slab and still succeeds).
 */
/* in a slab that "Marking all objects used" disabled */
static bool frozen(const struct machine *m, uint64_t addr)
{
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	return oi.found && !oi.large && oi.slab != SLAB_NONE && m->slab->slabs[oi.slab].leaked;
}

static void slab_run(const char *arch, const char *impl, const char *debug, unsigned ops)
{
	struct machine_config cfg = { .arch = arch, .ncpus = 2, .slab = impl, .slub_debug = debug };
	struct machine *m;
	char err[256];
	assert_int_equal(parse_size("256M", &cfg.mem_bytes), 0);
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	gfp_t kernel, atomic;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &kernel, NULL), 0);
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &atomic, NULL), 0);
	int cache;
	assert_int_equal(slab_cache_create(m, "stress", 72, 0, SLAB_HWCACHE_ALIGN_F, &cache), 0);
	static struct live_obj live[4096];
	size_t nlive = 0;
	unsigned allocs = 0, frees = 0, refused = 0, uaf = 0, lost = 0;
	for (unsigned op = 0; op < ops; op++) {
		uint64_t dice = next_rand() % 100;
		if (dice < 3)
			assert_int_equal(slab_set_cpu(m, (unsigned)(next_rand() % 2)), 0);
		if ((dice < 55 && nlive < 4096) || nlive == 0) {
			uint64_t a;
			size_t size = 0;
			int c = -1;
			if (next_rand() % 4 == 0) {
				assert_int_equal(slab_cache_alloc(m, cache, kernel, &a), 0);
				c = cache;
				size = 72;
			} else {
				size = (size_t)(next_rand() % 100 < 90 ? next_rand() % 600 : next_rand() % 20000);
				assert_int_equal(slab_kmalloc(m, size, next_rand() % 5 ? kernel : atomic, &a), 0);
			}
			if (a == 0 || a == 16)
				continue;
			size_t ks;
			assert_int_equal(slab_ksize(m, a, &ks), 0);
			assert_true(ks >= size);
			for (size_t i = 0; i < nlive; i++)
				if (a < live[i].addr + live[i].size && live[i].addr < a + ks)
					fail_msg("%#llx (+%zu) overlaps live object %#llx (+%zu)", (unsigned long long)a, ks,
						 (unsigned long long)live[i].addr, live[i].size);
			live[nlive++] = (struct live_obj){ a, ks, c, size, false };
			if (debug && size && ks <= 8192 && next_rand() % 3 == 0)
				assert_int_equal(slab_memset(m, a, 0x41, size), 0);
			allocs++;
		} else if (dice < 95) {
			size_t i = next_rand() % nlive;
			struct live_obj o = live[i];
			live[i] = live[--nlive];
			if (frozen(m, o.addr)) {
				/* its slab was given up: SLUB refuses every free into it */
				assert_int_equal(o.cache >= 0 ? slab_cache_free(m, o.cache, o.addr) : slab_kfree(m, o.addr),
						 -EINVAL);
				lost++;
				continue;
			}
			if (o.damaged) {
				assert_int_equal(o.cache >= 0 ? slab_cache_free(m, o.cache, o.addr) : slab_kfree(m, o.addr),
						 -EINVAL);
				refused++;
			}
			if (o.cache >= 0)
				assert_int_equal(slab_cache_free(m, o.cache, o.addr), 0);
			else
				assert_int_equal(slab_kfree(m, o.addr), 0);
			if (debug && next_rand() % 64 == 0) {
				/* use after free, while it is still a free object */
				struct object_info oi;
				slab_object_info(m, o.addr, &oi);
				if (oi.found && !oi.large && !oi.allocated && oi.object_addr == o.addr) {
					assert_int_equal(slab_memset(m, o.addr, 0, 1), 0);
					uaf++;
				}
			}
			/* a double free right away must be refused */
			if (next_rand() % 10 == 0) {
				assert_int_equal(o.cache >= 0 ? slab_cache_free(m, o.cache, o.addr) : slab_kfree(m, o.addr),
						 -EINVAL);
				refused++;
			}
			frees++;
		} else if (debug && dice < 98) {
			/* a few bytes past the object: its right red zone (the run
			 * called ksize(), which lets the caller use the whole object,
			 * so the kmalloc red zone is not checked any more) */
			size_t i = next_rand() % nlive;
			if (live[i].size <= 8192 && live[i].req) {
				assert_int_equal(slab_memset(m, live[i].addr + live[i].size, 0x41, 1 + next_rand() % 4), 0);
				live[i].damaged = true;
			}
		} else {
			size_t i = next_rand() % nlive;
			if (live[i].size > 8)
				assert_int_equal(slab_kfree(m, live[i].addr + 8), -EINVAL);
			refused++;
		}
		if (machine_check(m))
			fail_msg("after op %u: %s", op, m->err);
	}
	while (nlive) {
		struct live_obj o = live[--nlive];
		if (frozen(m, o.addr))
			continue;
		if (o.damaged)
			assert_int_equal(o.cache >= 0 ? slab_cache_free(m, o.cache, o.addr) : slab_kfree(m, o.addr), -EINVAL);
		assert_int_equal(o.cache >= 0 ? slab_cache_free(m, o.cache, o.addr) : slab_kfree(m, o.addr), 0);
	}
	assert_int_equal(machine_check(m), 0);
	printf("  %s (%s, %s): %u ops: %u allocations, %u frees, %u refused\n", arch, m->kp->version,
	       slab_impl_name(m->slab->impl), ops, allocs, frees, refused);
	if (debug) {
		/* both kinds of damage were really found (red zones: in the last 4096 lines of the log) */
		unsigned given_up = 0, red = 0;
		for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)   /* the kept part of the ring */
			red += strstr(dmesg_slot(&m->dmesg, i)->text, "Redzone overwritten") != NULL;
		for (uint32_t i = 0; i < m->slab->nr_slabs; i++)
			given_up += m->slab->slabs[i].cache != SLAB_NONE && m->slab->slabs[i].leaked;
		printf("  slub_debug=%s: %u red zone reports, %u writes after free, %u slabs given up, %u objects "
		       "lost with them\n", debug, red, uaf, given_up, lost);
		assert_true(given_up > 0 && red > 0);
	}
	machine_destroy(m);
}

static void slub_6_13__random_kmalloc_kfree_stays_consistent(void **state)
{
	(void)state;
	slab_run("x86_64", NULL, NULL, 20000);
}

static void slab_2_6_32__random_kmalloc_kfree_stays_consistent(void **state)
{
	(void)state;
	slab_run("i386", NULL, NULL, 20000);
}

static void slob_2_6_32__random_kmalloc_kfree_stays_consistent(void **state)
{
	(void)state;
	slab_run("i386", "slob", NULL, 20000);
}

static void slub_6_13_debug__memory_damage_is_caught_and_stays_consistent(void **state)
{
	(void)state;
	slab_run("x86_64", NULL, "FZPU", 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(x86_64_6_13__random_alloc_free_stays_consistent),
		cmocka_unit_test(i386_2_6_32__random_alloc_free_stays_consistent),
		cmocka_unit_test(slub_6_13__random_kmalloc_kfree_stays_consistent),
		cmocka_unit_test(slab_2_6_32__random_kmalloc_kfree_stays_consistent),
		cmocka_unit_test(slob_2_6_32__random_kmalloc_kfree_stays_consistent),
		cmocka_unit_test(slub_6_13_debug__memory_damage_is_caught_and_stays_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
