/*
 * test_stress.c - randomized stress of the page allocator under the
 * invariant checker, compared with an independent reference model.
 *
 * The reference keeps one bit per page (allocated or not) and the list of
 * live blocks; after every operation the model must agree with it: every
 * block handed out lies in RAM that is neither reserved nor already handed
 * out, each zone's NR_FREE_PAGES equals its managed pages minus the pages
 * the reference holds there (less the pages on the per-CPU lists), refused
 * frees change nothing, and
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
#include "kmemsh/pcp.h"
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
		/* NR_FREE_PAGES leaves out the blocks on the per-CPU lists */
		if (m->zones[z].free_pages + pcp_zone_pages(m, z) != m->zones[z].managed - r->held[z])
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
	/* what boot holds: 6.13 vmalloc_init()'s vmap_area slab page, the
	 * hash tables from alloc_pages_exact() (mount, futex, inet_init()'s):
	 * blocks the random frees may hit, so they count as used */
	for (uint64_t p = 0; p < m->max_pfn; p++) {
		struct page_info pi;
		buddy_page_info(m, p, &pi);
		if (pi.state == PS_ALLOCATED)
			r.used[p] = 1;
	}
	uint64_t boot_held[MAX_NR_ZONES_MODEL];
	for (int z = 0; z < m->nr_zones; z++)
		r.held[z] = boot_held[z] = m->zones[z].managed - m->zones[z].free_pages;
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
	/* drain_all_pages(): the per-CPU lists give every block back, and
	 * then the zones must be as booted */
	uint64_t on_pcp = pcp_zone_pages(m, -1);
	assert_int_equal(pcp_drain_zone(m, -1), on_pcp);
	assert_int_equal(pcp_zone_pages(m, -1), 0);
	for (int z = 0; z < m->nr_zones; z++)
		assert_int_equal(m->zones[z].free_pages, m->zones[z].managed - boot_held[z]);
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
			assert_int_equal(machine_set_cpu(m, (unsigned)(next_rand() % 2)), 0);
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

/*
 * vmalloc, vmap, kvmalloc, ioremap and kmap traffic through the command
 * language, as a script runs it under --check (the session's check_each:
 * machine_check() after every command, which walks the vmap trees, every
 * area's PTEs, the ioremap mappings and the kmap slots).  Beside it the
 * test keeps its own record of every live mapping and verifies, after
 * every step, what a caller relies on: each page of a vmalloc/vmap area
 * translates (vmalloc_to_pfn) to a page that is allocated and that no
 * other live mapping holds; an ioremap address walks to the physical
 * address asked for, with nothing but page tables taken from the buddy
 * allocator; the page after each area (its guard) is not mapped; a
 * kmapped HighMem page's page_address() is its kmap address.
 */
#include "kmemsh/cli.h"
#include "kmemsh/highmem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"

enum vm_kind { K_VMALLOC, K_KVMALLOC, K_VMAP, K_IOREMAP, K_PAGE };
static const char *const vm_kind_name[] = { "vmalloc", "kvmalloc", "vmap", "ioremap", "page" };

struct vm_live {
	enum vm_kind kind;
	uint64_t addr;          /* K_PAGE: the struct page pointer */
	uint64_t size;          /* bytes asked for (K_VMAP: pages * 4096) */
	uint64_t phys;          /* K_IOREMAP */
	uint64_t pfn;           /* K_PAGE */
	int pages[4];           /* K_VMAP: indexes of the K_PAGE entries it maps */
	unsigned npages;
	int kmaps;              /* K_PAGE: kmap() calls not yet kunmap'ed */
	bool vmapped;           /* K_PAGE: in a live vmap */
};

struct vm_run {
	struct session s;
	struct vm_live live[256];
	size_t n;
	int atomic[2];          /* kmap_atomic stack: live[] indexes */
	uint64_t atomic_addr[2];
	unsigned depth;
	bool old;               /* 2.6.32 */
	unsigned cmds, refused;
};

/* Run one command line; it must succeed (or, with may_fail, be refused
 * without the checker complaining).  0 succeeded, 1 refused. */
static int vm_cmd(struct vm_run *r, bool may_fail, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int vm_cmd(struct vm_run *r, bool may_fail, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	r->cmds++;
	size_t before = r->s.err.len;
	int rc = session_run_line(&r->s, line);
	const char *err = r->s.err.buf ? r->s.err.buf + before : "";
	if (strstr(err, "model inconsistent"))
		fail_msg("%s: %s", line, err);
	if (rc && !may_fail)
		fail_msg("%s failed: %s", line, err);
	/* keep the error buffer small */
	r->s.err.len = 0;
	if (r->s.err.buf)
		r->s.err.buf[0] = 0;
	return rc != 0;
}

static uint64_t vm_var(struct vm_run *r)
{
	const struct value *v = var_get(&r->s, "x");
	assert_non_null(v);
	return v->u;
}

static void vm_add(struct vm_run *r, struct vm_live l)
{
	assert_true(r->n < sizeof r->live / sizeof r->live[0]);
	r->live[r->n++] = l;
}

static void vm_drop(struct vm_run *r, size_t i)
{
	/* indexes into live[] are kept by vmaps and the atomic stack: move the
	 * last entry into the hole and renumber its users */
	size_t last = --r->n;
	if (i != last) {
		r->live[i] = r->live[last];
		for (size_t j = 0; j < r->n; j++)
			for (unsigned k = 0; r->live[j].kind == K_VMAP && k < r->live[j].npages; k++)
				if (r->live[j].pages[k] == (int)last)
					r->live[j].pages[k] = (int)i;
		for (unsigned d = 0; d < r->depth; d++)
			if (r->atomic[d] == (int)last)
				r->atomic[d] = (int)i;
	}
}

/* a random live entry of a kind, or -1 */
static int vm_pick(struct vm_run *r, enum vm_kind kind)
{
	if (!r->n)
		return -1;
	size_t start = next_rand() % r->n;
	for (size_t k = 0; k < r->n; k++) {
		size_t i = (start + k) % r->n;
		if (r->live[i].kind == kind)
			return (int)i;
	}
	return -1;
}

static bool vm_page_busy(const struct vm_run *r, int i)
{
	if (r->live[i].kmaps || r->live[i].vmapped)
		return true;
	for (unsigned d = 0; d < r->depth; d++)
		if (r->atomic[d] == i)
			return true;
	return false;
}

/* The caller's view of every live mapping (see above). */
static void vm_verify(struct vm_run *r)
{
	struct machine *m = r->s.m;
	size_t cap = 0, nseen = 0;
	uint64_t *seen = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct vm_live *l = &r->live[i];
		if (l->kind == K_PAGE) {
			if (l->kmaps && highmem_page(m, l->pfn)) {
				uint64_t a = highmem_page_address(m, l->pfn);
				if (!a || a < m->layout.pkmap_base)
					fail_msg("kmapped HighMem pfn %#llx: page_address %#llx", (unsigned long long)l->pfn,
						 (unsigned long long)a);
			}
			continue;
		}
		bool direct = l->kind == K_KVMALLOC && !vmap_is_vmalloc_addr(m, l->addr);
		if (direct) {
			/* kvmalloc's kmalloc path: a direct-map object */
			struct object_info oi;
			slab_object_info(m, l->addr, &oi);
			if (!oi.found)
				fail_msg("kvmalloc %#llx: neither a vmalloc area nor a slab object", (unsigned long long)l->addr);
			continue;
		}
		if (l->kind == K_KVMALLOC && !r->old && l->size <= 4096)
			fail_msg("kvmalloc(%llu) went to vmalloc: a request of a page or less stays in kmalloc",
				 (unsigned long long)l->size);
		uint64_t base = l->addr & ~4095ull, npages = ((l->addr & 4095) + l->size + 4095) / 4096;
		for (uint64_t p = 0; p < npages; p++) {
			struct pt_walk w;
			pgtable_walk(m, base + p * 4096, &w);
			if (w.end != WALK_MAPPED)
				fail_msg("page %llu of the %s area at %#llx is not mapped", (unsigned long long)p,
					 vm_kind_name[l->kind], (unsigned long long)l->addr);
			uint64_t pfn = w.phys >> 12;
			if (l->kind == K_IOREMAP) {
				if (w.phys != (l->phys & ~4095ull) + p * 4096)
					fail_msg("ioremap %#llx page %llu maps phys %#llx", (unsigned long long)l->addr,
						 (unsigned long long)p, (unsigned long long)w.phys);
				continue;
			}
			uint64_t vpfn;
			assert_int_equal(vmap_vmalloc_to_pfn(m, base + p * 4096, &vpfn), 0);
			assert_int_equal(vpfn, pfn);
			if (l->kind == K_VMAP && pfn != r->live[l->pages[p]].pfn)
				fail_msg("vmap %#llx page %llu maps pfn %#llx, not the page given", (unsigned long long)l->addr,
					 (unsigned long long)p, (unsigned long long)pfn);
			struct page_info pi;
			buddy_page_info(m, pfn, &pi);
			if (pi.state != PS_ALLOCATED)
				fail_msg("pfn %#llx mapped at %#llx is not an allocated page", (unsigned long long)pfn,
					 (unsigned long long)(base + p * 4096));
			for (size_t k = 0; k < nseen; k++)
				if (seen[k] == pfn)
					fail_msg("pfn %#llx is mapped by two live areas", (unsigned long long)pfn);
			if (nseen == cap) {
				cap = cap ? 2 * cap : 256;
				seen = realloc(seen, cap * sizeof *seen);
				assert_non_null(seen);
			}
			seen[nseen++] = pfn;
		}
		/* the guard page (VM_NO_GUARD is never asked for here) */
		struct pt_walk g;
		const struct vm_struct *vm = vmap_find_area(m, base);
		assert_non_null(vm);
		pgtable_walk(m, vm->addr + vm->size - 4096, &g);
		if (g.end == WALK_MAPPED)
			fail_msg("the guard page of the area at %#llx is mapped", (unsigned long long)vm->addr);
	}
	free(seen);
}

static const struct { uint64_t phys, len; } io_windows[] = {
	{ 0xfed00000, 0x400 },          /* HPET */
	{ 0xfec00000, 0x400 },          /* IOAPIC */
	{ 0xfee00000, 0x1000 },         /* Local APIC */
	{ 0xfebc0000, 0x20000 },        /* the e1000's BAR 0 */
	{ 0xfd000000, 0x1000000 },      /* the VGA framebuffer BAR */
};

static void vm_step(struct vm_run *r)
{
	/* ioremap_uc came with 4.1, ioremap_nocache left in 5.6 */
	static const char *const io_new[] = { "ioremap", "ioremap_uc", "ioremap_wc", "ioremap_cache" };
	static const char *const io_old[] = { "ioremap", "ioremap_nocache", "ioremap_wc", "ioremap_cache" };
	struct machine *m = r->s.m;
	uint64_t dice = next_rand() % 100;
	bool room = r->n < 200;
	int i;
	if (dice < 14) {
		if (!room)
			return;
		uint64_t size = next_rand() % 4 ? 1 + next_rand() % 20000 : 1 + next_rand() % 300000;
		const char *fn = next_rand() % 3 || r->old ? "vmalloc" : "vzalloc";   /* vzalloc: 2.6.37 */
		vm_cmd(r, false, "x = %s %llu", fn, (unsigned long long)size);
		vm_add(r, (struct vm_live){ .kind = K_VMALLOC, .addr = vm_var(r), .size = size });
	} else if (dice < 24) {
		if ((i = vm_pick(r, K_VMALLOC)) >= 0) {
			vm_cmd(r, false, "vfree %#llx", (unsigned long long)r->live[i].addr);
			vm_drop(r, (size_t)i);
		}
	} else if (dice < 32 && !r->old) {
		if (!room)
			return;
		uint64_t size = next_rand() % 2 ? 1 + next_rand() % 4096 : 4097 + next_rand() % 100000;
		vm_cmd(r, false, "x = %s %llu%s", next_rand() % 2 ? "kvmalloc" : "kvzalloc", (unsigned long long)size,
		       next_rand() % 2 ? " GFP_KERNEL" : "");
		vm_add(r, (struct vm_live){ .kind = K_KVMALLOC, .addr = vm_var(r), .size = size });
	} else if (dice < 38 && !r->old) {
		if ((i = vm_pick(r, K_KVMALLOC)) >= 0) {
			vm_cmd(r, false, "kvfree %#llx", (unsigned long long)r->live[i].addr);
			vm_drop(r, (size_t)i);
		}
	} else if (dice < 50) {
		unsigned npages = 0;
		for (size_t k = 0; k < r->n; k++)
			npages += r->live[k].kind == K_PAGE;
		if (!room || npages >= 48)
			return;
		const char *gfp = m->arch->bits == 32 && next_rand() % 2 ? "GFP_HIGHUSER" : "GFP_KERNEL";
		vm_cmd(r, false, "x = alloc_page %s", gfp);
		uint64_t ptr = vm_var(r), pfn;
		assert_int_equal(machine_page_ptr_to_pfn(m, ptr, &pfn), 0);
		vm_add(r, (struct vm_live){ .kind = K_PAGE, .addr = ptr, .pfn = pfn });
	} else if (dice < 55) {
		/* __free_page of a page nobody maps */
		if ((i = vm_pick(r, K_PAGE)) >= 0 && !vm_page_busy(r, i)) {
			vm_cmd(r, false, "__free_page %#llx", (unsigned long long)r->live[i].addr);
			vm_drop(r, (size_t)i);
		}
	} else if (dice < 61) {
		/* vmap of 1..4 free-standing pages */
		struct vm_live v = { .kind = K_VMAP };
		char list[200] = "";
		unsigned want = 1 + (unsigned)(next_rand() % 4);
		if (!room)
			return;
		for (size_t k = 0; k < r->n && v.npages < want; k++)
			if (r->live[k].kind == K_PAGE && !r->live[k].vmapped) {
				size_t len = strlen(list);
				snprintf(list + len, sizeof list - len, " %#llx", (unsigned long long)r->live[k].addr);
				v.pages[v.npages++] = (int)k;
			}
		if (!v.npages)
			return;
		vm_cmd(r, false, "x = vmap%s", list);
		v.addr = vm_var(r);
		v.size = v.npages * 4096ull;
		for (unsigned k = 0; k < v.npages; k++)
			r->live[v.pages[k]].vmapped = true;
		vm_add(r, v);
	} else if (dice < 66) {
		if ((i = vm_pick(r, K_VMAP)) >= 0) {
			vm_cmd(r, false, "vunmap %#llx", (unsigned long long)r->live[i].addr);
			for (unsigned k = 0; k < r->live[i].npages; k++)
				r->live[r->live[i].pages[k]].vmapped = false;
			vm_drop(r, (size_t)i);
		}
	} else if (dice < 74) {
		size_t w = next_rand() % (sizeof io_windows / sizeof io_windows[0]);
		uint64_t off = next_rand() % io_windows[w].len, len = 1 + next_rand() % (io_windows[w].len - off);
		if (len > 0x40000)
			len = 1 + len % 0x40000;
		const char *fn = (r->old ? io_old : io_new)[next_rand() % 4];
		if (!room)
			return;
		/* a second mapping of a range with another cache mode may be
		 * refused (memtype conflict): that must leave the model as it
		 * was, which the checker after the step verifies */
		if (vm_cmd(r, false, "x = %s %#llx %#llx", fn, (unsigned long long)(io_windows[w].phys + off),
			   (unsigned long long)len)) {
			r->refused++;
			return;
		}
		if (!vm_var(r)) {
			/* the kernel's NULL: a memtype conflict (the x86/PAT report in dmesg) */
			r->refused++;
			return;
		}
		vm_add(r, (struct vm_live){ .kind = K_IOREMAP, .addr = vm_var(r), .size = len,
					    .phys = io_windows[w].phys + off });
	} else if (dice < 80) {
		if ((i = vm_pick(r, K_IOREMAP)) >= 0) {
			vm_cmd(r, false, "iounmap %#llx", (unsigned long long)r->live[i].addr);
			vm_drop(r, (size_t)i);
		}
	} else if (dice < 86) {
		/* kmap (may sleep: only outside kmap_atomic, or the step would
		 * report sleeping in atomic context — still consistent) */
		if ((i = vm_pick(r, K_PAGE)) >= 0 && r->live[i].kmaps < 3) {
			vm_cmd(r, false, "kmap %#llx", (unsigned long long)r->live[i].addr);
			r->live[i].kmaps++;
		}
	} else if (dice < 91) {
		if ((i = vm_pick(r, K_PAGE)) >= 0 && r->live[i].kmaps) {
			vm_cmd(r, false, "kunmap %#llx", (unsigned long long)r->live[i].addr);
			r->live[i].kmaps--;
		}
	} else if (dice < 95) {
		if (r->depth < 2 && (i = vm_pick(r, K_PAGE)) >= 0) {
			vm_cmd(r, false, "x = kmap_atomic %#llx%s", (unsigned long long)r->live[i].addr,
			       r->old ? (r->depth ? " KM_USER1" : " KM_USER0") : "");
			r->atomic_addr[r->depth] = vm_var(r);
			r->atomic[r->depth++] = i;
		}
	} else if (dice < 98) {
		if (r->depth) {
			r->depth--;
			vm_cmd(r, false, "kunmap_atomic %#llx%s", (unsigned long long)r->atomic_addr[r->depth],
			       r->old ? (r->depth ? " KM_USER1" : " KM_USER0") : "");
		}
	} else {
		vm_cmd(r, false, "vm_unmap_aliases");
	}
}

static void vm_traffic(const char *arch, const char *kernel, unsigned ops)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel };
	char err[256];
	struct vm_run *r = calloc(1, sizeof *r);
	assert_non_null(r);
	assert_int_equal(session_init(&r->s, &cfg, err, sizeof err), 0);
	out_init_buf(&r->s.out);
	out_init_buf(&r->s.err);
	r->s.src_name = "stress";
	r->s.check_each = true;         /* --check */
	r->s.quiet = true;
	r->old = r->s.m->kp->kv != KV_6_13;
	/* what boot mapped (boot_vmap.c: the HPET's ioremap, x86_64 6.x's IRQ
	 * stacks), which 2.6.32's VmallocUsed counts */
	struct vmalloc_totals boot;
	vmap_totals(r->s.m, &boot);
	for (unsigned op = 0; op < ops; op++) {
		vm_step(r);
		/* the output is not looked at: keep the buffer from growing */
		r->s.out.len = 0;
		vm_verify(r);
	}
	/* unwind: everything given back, the checker still content */
	while (r->depth) {
		r->depth--;
		vm_cmd(r, false, "kunmap_atomic %#llx%s", (unsigned long long)r->atomic_addr[r->depth],
		       r->old ? (r->depth ? " KM_USER1" : " KM_USER0") : "");
	}
	unsigned counts[5] = { 0 };
	for (size_t i = 0; i < r->n; i++)
		counts[r->live[i].kind]++;
	for (size_t i = r->n; i-- > 0; ) {
		struct vm_live *l = &r->live[i];
		static const char *const fn[] = { "vfree", "kvfree", "vunmap", "iounmap" };
		if (l->kind != K_PAGE)
			vm_cmd(r, false, "%s %#llx", fn[l->kind], (unsigned long long)l->addr);
	}
	for (size_t i = 0; i < r->n; i++) {
		struct vm_live *l = &r->live[i];
		if (l->kind != K_PAGE)
			continue;
		while (l->kmaps--)
			vm_cmd(r, false, "kunmap %#llx", (unsigned long long)l->addr);
		vm_cmd(r, false, "__free_page %#llx", (unsigned long long)l->addr);
	}
	vm_cmd(r, false, "vm_unmap_aliases");
	assert_int_equal(machine_check(r->s.m), 0);
	/* nothing left mapped in vmalloc space but what boot put there */
	struct vmalloc_totals t;
	vmap_totals(r->s.m, &t);
	printf("  %s %s: %u commands under --check, %u ioremaps refused (memtype), %u vmalloc pages left; "
	       "live at the end: %u vmalloc, %u kvmalloc, %u vmap, %u ioremap, %u pages\n", arch,
	       r->s.m->kp->version, r->cmds, r->refused, (unsigned)t.used_pages, counts[K_VMALLOC],
	       counts[K_KVMALLOC], counts[K_VMAP], counts[K_IOREMAP], counts[K_PAGE]);
	assert_int_equal(t.used_pages, 0);
	assert_int_equal(t.used_bytes, boot.used_bytes);
	session_free(&r->s);
	free(r);
}

/*
 * Pressure traffic under --check (issue 9): page cache (clean and dirty),
 * tasks faulting in anonymous memory and exiting, swap on and off,
 * drop_caches, compaction (6.x), kswapd runs and page allocations of
 * orders 0-4 with GFP_KERNEL, GFP_ATOMIC, __GFP_NORETRY and movable
 * masks, on a 128 MiB machine (256 MiB with two nodes), so that kswapd, direct reclaim, swapping
 * and the OOM killer all act.  After every command the session's checker
 * (check_each: the LRU, pcp, swap and zone counters against the free
 * lists) must stay content; commands the model refuses (a task the OOM
 * killer took, swapoff without memory, an allocation that fails) may fail,
 * never leave it inconsistent.
 */
static void pressure_traffic(const char *arch, const char *kernel, unsigned mib, unsigned ncpus, unsigned nodes,
			     unsigned ops)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .mem_bytes = (uint64_t)mib << 20, .ncpus = ncpus,
				      .nr_nodes = nodes };
	char err[256];
	struct vm_run *r = calloc(1, sizeof *r);
	assert_non_null(r);
	assert_int_equal(session_init(&r->s, &cfg, err, sizeof err), 0);
	out_init_buf(&r->s.out);
	out_init_buf(&r->s.err);
	r->s.src_name = "pressure";
	r->s.check_each = true;         /* --check */
	r->s.quiet = true;
	r->old = r->s.m->kp->kv == KV_2_6_32;
	static const char *const gfps[] = { "GFP_KERNEL", "GFP_ATOMIC|__GFP_NOWARN", "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN",
					    "GFP_HIGHUSER_MOVABLE", "GFP_KERNEL|__GFP_NOWARN" };
	struct { uint64_t page; unsigned order; } held[64];
	unsigned nheld = 0, kills = 0;
	bool swap = false;
	for (unsigned op = 0; op < ops; op++) {
		unsigned t = (unsigned)(next_rand() % 4);
		switch (next_rand() % 12) {
		case 0: case 1:
			vm_cmd(r, true, "pagecache %uK f%u%s", 4 * (1 + (unsigned)(next_rand() % 4096)),
			       (unsigned)(next_rand() % 3), next_rand() % 3 ? "" : " dirty");
			break;
		case 2:
			vm_cmd(r, true, "task t%u", t);
			/* fall through */
		case 3:
			vm_cmd(r, true, "anon t%u %uK", t, 4 * (1 + (unsigned)(next_rand() % 8192)));
			break;
		case 4:
			vm_cmd(r, true, "exit t%u", t);
			break;
		case 5: case 6: {
			if (nheld == 64)
				break;
			unsigned order = (unsigned)(next_rand() % 5), g = (unsigned)(next_rand() % 5);
			if (vm_cmd(r, true, "x = alloc_pages %s %u", gfps[g], order))
				break;
			const struct value *v = var_get(&r->s, "x");
			assert_non_null(v);
			/* a Movable block stands for LRU pages: compaction may move
			 * it, and its old struct page pointer no longer frees it
			 * (kmemsh.7 COMPACTION), so it goes back at once */
			if (v->u && g == 3)
				vm_cmd(r, false, "__free_pages %#llx %u", (unsigned long long)v->u, order);
			else if (v->u) {
				held[nheld].page = v->u;
				held[nheld++].order = order;
			}
			break;
		}
		case 7:
			if (nheld) {
				unsigned i = (unsigned)(next_rand() % nheld);
				vm_cmd(r, false, "__free_pages %#llx %u", (unsigned long long)held[i].page, held[i].order);
				held[i] = held[--nheld];
			}
			break;
		case 8:
			vm_cmd(r, false, "drop_caches %u", 1 + (unsigned)(next_rand() % 3));
			break;
		case 9:
			if (!swap)
				swap = !vm_cmd(r, true, "swapon %uM", 8 + (unsigned)(next_rand() % 32));
			else
				swap = vm_cmd(r, true, "swapoff");
			break;
		case 10:
			if (!r->old)
				vm_cmd(r, false, "compact");
			else
				vm_cmd(r, false, "kswapd run");
			break;
		default:
			if (ncpus > 1)
				vm_cmd(r, false, "cpu %u", (unsigned)(next_rand() % ncpus));
			else
				vm_cmd(r, false, "kswapd run");
			break;
		}
		r->s.out.len = 0;
		assert_int_equal(machine_check(r->s.m), 0);
	}
	kills = r->s.m->vm ? (unsigned)r->s.m->vm->ev.oom_kill : 0;
	/* unwind: the pages given back, the tasks ended, the caches dropped */
	while (nheld) {
		nheld--;
		vm_cmd(r, false, "__free_pages %#llx %u", (unsigned long long)held[nheld].page, held[nheld].order);
	}
	for (unsigned t = 0; t < 4; t++)
		vm_cmd(r, true, "exit t%u", t);
	if (swap)
		vm_cmd(r, false, "swapoff");
	vm_cmd(r, false, "drop_caches 3");
	assert_int_equal(machine_check(r->s.m), 0);
	printf("  %s %s (%u CPU%s, %u node%s): %u commands under --check, %u OOM kills\n", arch, r->s.m->kp->version,
	       ncpus, ncpus > 1 ? "s" : "", nodes ? nodes : 1, nodes > 1 ? "s" : "", r->cmds, kills);
	session_free(&r->s);
	free(r);
}

static void pressure_traffic_x86_64_6_13__stays_consistent_under_check(void **state)
{
	(void)state;
	pressure_traffic("x86_64", NULL, 128, 2, 0, 2000);
}

static void pressure_traffic_x86_64_6_13_two_nodes__stays_consistent_under_check(void **state)
{
	(void)state;
	pressure_traffic("x86_64", NULL, 256, 2, 2, 1500);
}

static void pressure_traffic_x86_64_6_1__stays_consistent_under_check(void **state)
{
	(void)state;
	pressure_traffic("x86_64", "6.1", 128, 1, 0, 1500);
}

static void pressure_traffic_i386_2_6_32__stays_consistent_under_check(void **state)
{
	(void)state;
	pressure_traffic("i386", NULL, 128, 1, 0, 2000);
}

static void vm_traffic_i386_2_6_32__stays_consistent_under_check(void **state)
{
	(void)state;
	vm_traffic("i386", "2.6.32", 3000);
}

static void vm_traffic_i386_6_13__stays_consistent_under_check(void **state)
{
	(void)state;
	vm_traffic("i386", "6.13", 3000);
}

static void vm_traffic_x86_64_2_6_32__stays_consistent_under_check(void **state)
{
	(void)state;
	vm_traffic("x86_64", "2.6.32", 3000);
}

static void vm_traffic_x86_64_6_13__stays_consistent_under_check(void **state)
{
	(void)state;
	vm_traffic("x86_64", "6.13", 3000);
}

/*
 * The checker that --check runs must see a vmalloc or ioremap mapping
 * that no longer maps exactly its pages: each damage below is done behind
 * the model's back on a fresh machine of each profile, and machine_check()
 * must refuse the result.
 */
enum vm_damage { D_PTE_CLEARED, D_PTE_OTHER_PAGE, D_PAGE_FREED, D_STRAY_PTE, D_IO_CACHE_BITS };

static void vm_damage_run(const char *arch, const char *kernel, enum vm_damage d, const char *want)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	gfp_t g;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL", &g, NULL), 0);
	uint64_t a, b;
	assert_int_equal(vmalloc_alloc(m, 3 * 4096, g, VM_ALLOC, "t+0x0/0x0", &a), 0);
	/* a second area, so that the damage is not in the last one */
	assert_int_equal(vmalloc_alloc(m, 4096, g, VM_ALLOC, "t+0x0/0x0", &b), 0);
	if (machine_check(m))
		fail_msg("before the damage: %s", m->err);
	const struct vm_struct *vm = vmap_find_area(m, a);
	assert_non_null(vm);
	struct pt_walk w0;
	pgtable_walk(m, a, &w0);
	assert_int_equal(w0.end, WALK_MAPPED);
	uint64_t pte0 = w0.step[w0.nsteps - 1].entry;
	switch (d) {
	case D_PTE_CLEARED:
		assert_int_equal(pgtable_pte_clear(m, a + 4096), 0);
		break;
	case D_PTE_OTHER_PAGE:
		assert_int_equal(pgtable_set_pte(m, a + 4096, pte0), 0);
		break;
	case D_PAGE_FREED:
		assert_int_equal(buddy_free_pages(m, vm->pages[2], 0), 0);
		break;
	case D_STRAY_PTE: {
		/* a pte in vmalloc space that no area holds (after both areas and
		 * their guard pages, in free space) */
		uint64_t hole = b + 16 * 4096;
		assert_null(vmap_find_area(m, hole));
		assert_int_equal(pgtable_pte_alloc_kernel(m, hole), 0);
		assert_int_equal(pgtable_set_pte(m, hole, pte0), 0);
		break;
	}
	case D_IO_CACHE_BITS: {
		uint64_t io;
		assert_int_equal(ioremap_caller(m, 0xfed00000, 0x400, PCM_UC_MINUS, &io, NULL), 0);
		assert_int_equal(machine_check(m), 0);
		struct pt_walk w;
		pgtable_walk(m, io, &w);
		assert_int_equal(w.end, WALK_MAPPED);
		/* a write-back pte where the mapping is uncached */
		assert_int_equal(pgtable_set_pte(m, io, w.step[w.nsteps - 1].entry & ~(uint64_t)(_PAGE_PCD | _PAGE_PWT)), 0);
		break;
	}
	}
	if (machine_check(m) != -EUCLEAN)
		fail_msg("%s %s damage %d: the checker found nothing", arch, kernel, (int)d);
	if (!strstr(m->err, want))
		fail_msg("%s %s damage %d: \"%s\" does not say \"%s\"", arch, kernel, (int)d, m->err, want);
	machine_destroy(m);
}

static void machine_check__damaged_vmalloc_and_ioremap_mappings__are_caught(void **state)
{
	(void)state;
	static const char *const prof[][2] = { { "i386", "2.6.32" }, { "i386", "6.13" }, { "x86_64", "2.6.32" },
					       { "x86_64", "6.13" } };
	for (size_t p = 0; p < 4; p++) {
		vm_damage_run(prof[p][0], prof[p][1], D_PTE_CLEARED, "is not mapped");
		vm_damage_run(prof[p][0], prof[p][1], D_PTE_OTHER_PAGE, "expected its page");
		vm_damage_run(prof[p][0], prof[p][1], D_PAGE_FREED, "is free");
		vm_damage_run(prof[p][0], prof[p][1], D_STRAY_PTE, "no area");
		vm_damage_run(prof[p][0], prof[p][1], D_IO_CACHE_BITS, "does not map phys");
	}
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
		cmocka_unit_test(vm_traffic_i386_2_6_32__stays_consistent_under_check),
		cmocka_unit_test(vm_traffic_i386_6_13__stays_consistent_under_check),
		cmocka_unit_test(vm_traffic_x86_64_2_6_32__stays_consistent_under_check),
		cmocka_unit_test(vm_traffic_x86_64_6_13__stays_consistent_under_check),
		cmocka_unit_test(pressure_traffic_x86_64_6_13__stays_consistent_under_check),
		cmocka_unit_test(pressure_traffic_x86_64_6_13_two_nodes__stays_consistent_under_check),
		cmocka_unit_test(pressure_traffic_x86_64_6_1__stays_consistent_under_check),
		cmocka_unit_test(pressure_traffic_i386_2_6_32__stays_consistent_under_check),
		cmocka_unit_test(machine_check__damaged_vmalloc_and_ioremap_mappings__are_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
