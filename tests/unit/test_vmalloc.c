/*
 * test_vmalloc.c - the vmap allocator of both profiles (6.13: free tree,
 * fit types, merging on purge; 2.6.32: first fit over the busy tree with
 * its extra page between areas), guard pages, lazy freeing and its
 * lazy_max_pages() trigger, vmalloc's pages (HighMem first on i386,
 * mapped by PTEs) and the checker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"
#include "fixture.h"

static struct machine *boot(const char *arch, const char *kernel, unsigned ncpus)
{
	struct machine_config cfg = { .arch = arch, .kernel = kernel, .ncpus = ncpus };
	return boot_cfg(&cfg);
}

static int count_busy(void *arg, const struct vm_struct *vm)
{
	(void)vm;
	++*(unsigned *)arg;
	return 0;
}

static unsigned vmap_busy_count(const struct machine *m)
{
	unsigned n = 0;
	vmap_walk_busy(m, count_busy, &n);
	return n;
}

static gfp_t kernel_gfp(struct machine *m)
{
	return gfp(m, "GFP_KERNEL");
}

static void check_ok(struct machine *m)
{
	if (machine_check(m))
		fail_msg("check: %s", m->err);
}

static size_t count_changes(const struct machine *m, enum change_kind k, int mt)
{
	size_t n = 0;
	for (size_t i = 0; i < m->log.n; i++)
		if (m->log.v[i].kind == k && (mt < 0 || m->log.v[i].mt == mt))
			n++;
	return n;
}

/* vmap_walk_free() callback: keep the first (lowest) free block */
static int first_free(void *arg, uint64_t start, uint64_t end)
{
	struct vmap_range *r = arg;
	if (!r->end) {
		r->start = start;
		r->end = end;
	}
	return 1;
}

static void vmalloc_613__first_areas__lowest_addresses_with_guard_pages(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	uint64_t a, b, s = m->layout.vmalloc_start;
	/* boot's first area, CPU 0's IRQ stack at VMALLOC_START, split
	 * [1, ULONG_MAX] in the middle: [1, VMALLOC_START) is free below it */
	struct vmap_range lo = { 0, 0 };
	vmap_walk_free(m, first_free, &lo);
	assert_int_equal(lo.start, 1);
	assert_int_equal(lo.end, s);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 3 * 4096, kernel_gfp(m), 0, "vmalloc+0x0/0x0", &a), 0);
	/* after the IRQ stack (4 pages + guard) and the HPET's ioremap (1 +
	 * guard): the left edge of the free block [s + 0x7000, ULONG_MAX] */
	assert_int_equal(a, s + 0x7000);
	assert_int_equal(count_changes(m, CH_VMAP_CLIP, 2 /* LE_FIT_TYPE */), 1);
	assert_int_equal(count_changes(m, CH_PTE_SET, -1) >= 3, 1);
	struct vm_struct *vm = vmap_find_area(m, a);
	assert_non_null(vm);
	assert_int_equal(vm->size, 4 * 4096);   /* guard page included */
	assert_int_equal(vm->nr_pages, 3);
	assert_true(vm->flags & VM_ALLOC);
	assert_ptr_equal(vmap_find_area(m, a + 3 * 4096), vm);  /* the guard page belongs to it */
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "vmalloc+0x0/0x0", &b), 0);
	assert_int_equal(b, a + 4 * 4096);
	assert_int_equal(count_changes(m, CH_VMAP_CLIP, 2 /* LE_FIT_TYPE */), 1);
	uint64_t pfn;
	assert_int_equal(vmap_vmalloc_to_pfn(m, a + 4096, &pfn), 0);
	assert_int_equal(pfn, vm->pages[1]);
	assert_int_not_equal(vmap_vmalloc_to_pfn(m, a + 3 * 4096, &pfn), 0);  /* guard: no PTE */
	check_ok(m);
	machine_destroy(m);
}

/* __vunmap(): a page the page allocator refuses to free (here one whose
 * struct page says order 1, as a corrupted page would) is reported, not
 * ignored: vfree fails with the allocator's reason, the other pages go
 * back, the refused one stays allocated. */
static void vfree__a_page_the_allocator_refuses__is_reported_and_stays_allocated(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	uint64_t a;
	assert_int_equal(vmalloc_alloc(m, 3 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	struct vm_struct *vm = vmap_find_area(m, a);
	assert_non_null(vm);
	uint64_t bad = vm->pages[1], good = vm->pages[0];
	page_touched(m, bad)->order = 1;
	assert_int_equal(vfree_area(m, a), -EUCLEAN);
	assert_non_null(strstr(m->err, "refused 1 of the area's 3 pages"));
	assert_non_null(strstr(m->err, "not 0"));
	assert_null(vmap_find_area(m, a));
	struct page_info pi;
	buddy_page_info(m, good, &pi);
	assert_int_equal(pi.state, PS_FREE);
	buddy_page_info(m, bad, &pi);
	assert_int_not_equal(pi.state, PS_FREE);
	page_touched(m, bad)->order = 0;
	assert_int_equal(buddy_free_pages(m, bad, 0), 0);
	machine_destroy(m);
}

static void vfree_613__area_waits_on_lazy_list__purge_merges_it_back(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	uint64_t a, b, c;
	m->log.enabled = true;
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &b), 0);
	uint64_t free_before = m->zones[m->nr_zones - 1].free_pages + m->zones[0].free_pages;
	(void)free_before;
	changelog_reset(m);
	assert_int_equal(vfree_area(m, a), 0);
	assert_null(vmap_find_area(m, a));
	struct vmap_range r;
	assert_int_equal(vmap_find_lazy(m, a, &r), 0);
	assert_int_equal(r.start, a);
	assert_int_equal(count_changes(m, CH_PTE_CLEAR, -1), 1);
	assert_int_equal(count_changes(m, CH_TLB_FLUSH, -1), 0);        /* deferred */
	check_ok(m);
	/* the lazy area is not reused before the purge */
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &c), 0);
	assert_int_equal(c, b + 2 * 4096);
	changelog_reset(m);
	assert_int_equal(vmap_purge_lazy(m), 1);
	assert_int_equal(count_changes(m, CH_TLB_FLUSH, -1), 1);
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 1);
	assert_int_not_equal(vmap_find_lazy(m, a, &r), 0);
	check_ok(m);
	/* the purged area [a, b) lies between the boot's HPET area and b,
	 * both busy: a free block of its own, which the next area of its
	 * size fills whole */
	changelog_reset(m);
	uint64_t d;
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &d), 0);
	assert_int_equal(d, a);
	assert_int_equal(count_changes(m, CH_VMAP_CLIP, 1 /* FL_FIT_TYPE */), 1);
	check_ok(m);
	machine_destroy(m);
}

static void vmap_area_alloc_613__right_edge_fit_and_alignment(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	struct vm_struct *vm, *v2;
	uint64_t s = m->layout.vmalloc_start;
	m->log.enabled = true;
	assert_int_equal(vmap_area_alloc(m, 4 * 4096, 4096, s, s + 16 * 4096, VM_MAP, "t", &vm), 0);
	/* above the boot's IRQ stack (0x5000) and HPET (0x2000) areas */
	assert_int_equal(vm->addr, s + 0x7000);
	/* a 64 KiB-aligned request lands on the next 64 KiB boundary */
	assert_int_equal(vmap_area_alloc(m, 4096, 65536, s, s + 1024 * 4096, VM_MAP | VM_NO_GUARD, "t", &v2), 0);
	assert_int_equal(v2->addr, s + 65536);
	assert_int_equal(v2->size, 4096);
	changelog_reset(m);
	/* a block ending exactly at vend: RE fit */
	struct vm_struct *v3;
	assert_int_equal(vmap_area_alloc(m, 4096, 4096, s + 65536 + 4096 * 2, s + 65536 + 4096 * 4,
					 VM_MAP, "t", &v3), 0);
	assert_int_equal(v3->addr, s + 65536 + 4096 * 2);
	check_ok(m);
	uint64_t a3 = v3->addr;
	assert_int_equal(vmap_area_free(m, vm->addr), 0);
	assert_int_equal(vmap_area_free(m, v2->addr), 0);
	assert_int_equal(vmap_area_free(m, a3), 0);
	assert_int_not_equal(vmap_area_free(m, a3), 0);   /* freed: the vm_struct is gone */
	assert_int_equal(vmap_purge_lazy(m), 3);
	check_ok(m);
	machine_destroy(m);
}

static void vmalloc_2632__first_fit_leaves_a_page_between_areas(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "2.6.32", 1);
	uint64_t a, b;
	assert_int_equal(vmalloc_alloc(m, 8192, kernel_gfp(m) | m->kp->gfp_highmem, 0, "vmalloc+0x0/0x0", &a), 0);
	/* the boot's HPET ioremap (1 page + guard) is at VMALLOC_START: one
	 * page further, ALIGN(va_end + PAGE_SIZE) */
	assert_int_equal(a, m->layout.vmalloc_start + 0x2000 + 4096);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m) | m->kp->gfp_highmem, 0, "vmalloc+0x0/0x0", &b), 0);
	/* 8 KiB + guard, then ALIGN(va_end + PAGE_SIZE) */
	assert_int_equal(b, a + 3 * 4096 + 4096);
	struct vm_struct *vm = vmap_find_area(m, a);
	assert_int_equal(vm->size, 3 * 4096);
	/* i386: the pages come from HighMem */
	struct page_info pi;
	buddy_page_info(m, vm->pages[0], &pi);
	assert_string_equal(m->zones[pi.zone].name, "HighMem");
	check_ok(m);
	assert_int_equal(vfree_area(m, a), 0);
	check_ok(m);
	struct vmalloc_totals t;
	vmap_totals(m, &t);
	assert_int_equal(t.used_bytes, 2 * 4096 + 8192);        /* b's area and the HPET's */
	assert_int_equal(vmap_purge_lazy(m), 1);
	check_ok(m);
	machine_destroy(m);
}

static void vfree__lazy_pages_over_lazy_max_pages__purges(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	assert_int_equal(vmap_lazy_max_pages(m), 2 * 8192);     /* fls(2) * 32 MiB */
	uint64_t a[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(vmalloc_alloc(m, 30ull << 20, kernel_gfp(m), 0, "x+0x0/0x0", &a[i]), 0);
	m->log.enabled = true;
	assert_int_equal(vfree_area(m, a[0]), 0);
	changelog_reset(m);
	assert_int_equal(vfree_area(m, a[1]), 0);       /* 2 * (7681) pages: below 16384 */
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 0);
	changelog_reset(m);
	assert_int_equal(vfree_area(m, a[2]), 0);       /* now above */
	/* 3 areas and their page arrays (7680 * 8 = 60 KiB each: vmalloc'ed
	 * too, VM_VPAGES): the 7681-page areas are above MAX_VA_SIZE_PAGES and
	 * go back to the free tree, the 16-page arrays (allocated on CPU 0 over
	 * the whole vmalloc range, with 2 vmap nodes) to node 0's pool */
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 3);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_ADD), 3);
	struct vmap_range r;
	assert_int_not_equal(vmap_find_lazy(m, a[0], &r), 0);
	check_ok(m);
	machine_destroy(m);
}

/* ---- 6.13 vmap nodes and their pools ---------------------------------------- */

/* sizeof(struct vmap_node) on 6.13 x86_64 with CONFIG_DEBUG_SPINLOCK
 * (spinlock_t 24 bytes): pool[256] x (16 + 8) + pool_lock 24 + bool (+7)
 * + busy and lazy rb_lists 2 x (8 + 16 + 24) + purge_list 16 + work_struct
 * 32 + nr_purged 8 */
#define VMAP_NODE_SIZE (256 * 24 + 24 + 8 + 2 * 48 + 16 + 32 + 8)

static void nodes_array_is(struct machine *m, unsigned nodes, unsigned order)
{
	assert_int_equal(vmap_nr_nodes(m), nodes);
	assert_int_equal(vmap_zone_size(m), 16 * 4096);
	struct object_info oi;
	slab_object_info(m, vmap_nodes_array(m), &oi);
	assert_true(oi.found && oi.large && oi.allocated);
	assert_int_equal(oi.large_size, nodes * VMAP_NODE_SIZE);
	assert_int_equal(oi.large_order, order);
	check_ok(m);
}

/* vmap_init_nodes(): clamp(num_possible_cpus(), 1, 128) nodes, only on a
 * 64-bit kernel with more than one; their array is one kmalloc_array()
 * (above KMALLOC_MAX_CACHE_SIZE 8 KiB: straight from the page allocator) */
static void vmap_nodes_613__one_per_cpu_on_64_bit_up_to_128(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	nodes_array_is(m, 2, 2);        /* 12656 bytes: order 2 */
	machine_destroy(m);
	m = boot("x86_64", "6.13", 3);
	nodes_array_is(m, 3, 3);        /* 18984 bytes: order 3 */
	machine_destroy(m);
	m = boot("x86_64", "6.13", 200);
	nodes_array_is(m, 128, 8);      /* clamped to 128: 809984 bytes, order 8 */
	machine_destroy(m);
	/* one CPU, a 32-bit kernel (#if BITS_PER_LONG == 64), or 2.6.32 */
	const char *one[][2] = { { "x86_64", "6.13" }, { "i386", "6.13" }, { "i386", "2.6.32" } };
	for (int i = 0; i < 3; i++) {
		m = boot(one[i][0], one[i][1], i ? 4 : 1);
		uint64_t a;
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
		assert_int_equal(vmap_nr_nodes(m), 1);
		assert_int_equal(vmap_nodes_array(m), 0);
		machine_destroy(m);
	}
}

static size_t tree_size(struct machine *m, int which, unsigned node)
{
	return vmap_walk_tree(m, which, node, NULL, NULL);
}

/* A busy area lives in the node of its start address ((addr / 64 KiB) %
 * nodes); a lazily freed one in the node of the CPU it was allocated on;
 * the purge keeps it in that node's pool of its size, not in the free
 * tree; node_alloc() hands it out again to the next allocation of exactly
 * that size on that node's CPU, before any free-tree search. */
static void vmap_pools_613__purge_keeps_small_areas_node_alloc_reuses_them(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t s = m->layout.vmalloc_start, a, b, c, d, e;
	assert_int_equal((s / 0x10000) % 2, 0);
	assert_int_equal(vmalloc_alloc(m, 16 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &b), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &c), 0);
	/* after the boot's areas (CPU 0's IRQ stack 0x5000, the HPET's
	 * 0x2000, CPU 1's IRQ stack 0x5000: 0xc000), 17 pages (guard
	 * included), then 2 and 2 */
	assert_int_equal(a, s + 0xc000);
	assert_int_equal(b, s + 0x1d000);
	assert_int_equal(c, s + 0x1f000);
	/* a and the boot's three in zone 0 -> node 0; b and c in zone 1 -> node 1 */
	assert_int_equal(tree_size(m, 0, 0), 4);
	assert_int_equal(tree_size(m, 0, 1), 2);
	check_ok(m);
	assert_int_equal(vfree_area(m, a), 0);
	assert_int_equal(vfree_area(m, b), 0);
	/* both were allocated on CPU 0: node 0's lazy tree */
	assert_int_equal(tree_size(m, 2, 0), 2);
	assert_int_equal(tree_size(m, 2, 1), 0);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmap_purge_lazy(m), 2);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_ADD), 2);
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 0);
	struct vmap_range r;
	unsigned node = 9;
	assert_int_equal(vmap_find_pooled(m, b + 4096, &r, &node), 0);
	assert_int_equal(r.start, b);
	assert_int_equal(r.end, b + 0x2000);
	assert_int_equal(node, 0);
	assert_int_equal(vmap_find_pooled(m, a, &r, NULL), 0);
	check_ok(m);
	/* 3 pages: no pool of that size, the free tree's lowest fit is after c */
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 2 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &d), 0);
	assert_int_equal(d, s + 0x21000);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, -1), 0);
	/* on CPU 1 the 2-page area of node 0's pool is not seen */
	assert_int_equal(machine_set_cpu(m, 1), 0);
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &e), 0);
	assert_int_equal(e, s + 0x24000);
	assert_int_equal(vfree_area(m, e), 0);
	/* on CPU 0 it is taken from the pool: no free-tree search, no new vmap_area */
	assert_int_equal(machine_set_cpu(m, 0), 0);
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &e), 0);
	assert_int_equal(e, b);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_TAKE), 1);
	assert_int_equal(count_changes(m, CH_VMAP_CLIP, -1), 0);
	assert_int_not_equal(vmap_find_pooled(m, b, &r, NULL), 0);
	assert_non_null(vmap_find_area(m, b));
	check_ok(m);
	machine_destroy(m);
}

static unsigned long pool_len(struct machine *m, unsigned pages);

struct len_arg {
	unsigned pages;
	unsigned long len;
};

static int len_cb(void *arg, unsigned node, unsigned pages, unsigned long len, uint64_t start, uint64_t end)
{
	struct len_arg *l = arg;
	(void)node;
	(void)start;
	(void)end;
	if (pages == l->pages)
		l->len = len;
	return 0;
}

static unsigned long pool_len(struct machine *m, unsigned pages)
{
	struct len_arg l = { pages, 0 };
	vmap_walk_pools(m, len_cb, &l);
	return l.len;
}

/* decay_va_pool_node() on each purge: len >> 2 areas leave each pool from
 * its head (the last one added: the highest address), and a pool of fewer
 * than 4 empties (6.13's --n_decay wraps below zero): 8 -> 6 -> 5 -> 4 ->
 * 3 -> 0. */
static void vmap_pools_613__decay_a_quarter_and_all_below_four(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a[8], keep;
	for (int i = 0; i < 8; i++)
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a[i]), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &keep), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(vfree_area(m, a[i]), 0);
	assert_int_equal(vmap_purge_lazy(m), 8);
	assert_int_equal(pool_len(m, 2), 8);
	struct vmap_range r;
	static const unsigned long want[] = { 6, 5, 4, 3, 0 };
	for (int k = 0; k < 5; k++) {
		assert_int_equal(vmap_purge_lazy(m), 0);        /* nothing lazy: only the decay */
		assert_int_equal(pool_len(m, 2), want[k]);
		check_ok(m);
	}
	for (int i = 0; i < 8; i++)
		assert_int_not_equal(vmap_find_pooled(m, a[i], &r, NULL), 0);
	/* all back in the free tree, merged: the next 8 pages fit at a[0] */
	uint64_t big;
	assert_int_equal(vmalloc_alloc(m, 7 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &big), 0);
	assert_int_equal(big, a[0]);
	check_ok(m);
	machine_destroy(m);
}

/* The first decay takes the pool's head: the area purged last, the highest */
static void vmap_pools_613__decay_takes_the_head_first(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a[i]), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(vfree_area(m, a[i]), 0);
	assert_int_equal(vmap_purge_lazy(m), 4);
	assert_int_equal(vmap_purge_lazy(m), 0);        /* 4 >> 2 = 1 leaves */
	assert_int_equal(pool_len(m, 2), 3);
	struct vmap_range r;
	assert_int_not_equal(vmap_find_pooled(m, a[3], &r, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(vmap_find_pooled(m, a[i], &r, NULL), 0);
	check_ok(m);
	machine_destroy(m);
}

/* An allocation that finds no space purges with a full decay
 * (reclaim_and_purge_vmap_areas()) and retries: a pooled area comes back
 * to the free tree and serves it; an area of another range never takes
 * from a pool, and is never pooled. */
static void vmap_pools_613__no_space_full_decay_then_retry(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a[6];
	for (int i = 0; i < 6; i++)
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a[i]), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(vfree_area(m, a[i]), 0);
	assert_int_equal(vmap_purge_lazy(m), 6);
	assert_int_equal(pool_len(m, 2), 6);
	struct vm_struct *vm;
	m->log.enabled = true;
	changelog_reset(m);
	/* [a[0], a[0] + 8 KiB): only the pooled area is there */
	assert_int_equal(vmap_area_alloc(m, 4096, 0, a[0], a[0] + 0x2000, VM_MAP, "x+0x0/0x0", &vm), 0);
	assert_int_equal(vm->addr, a[0]);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_DECAY), 6);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_TAKE), 0);
	assert_int_equal(pool_len(m, 2), 0);
	check_ok(m);
	/* not allocated over the whole vmalloc range: no node, no pool */
	assert_int_equal(vmap_area_free(m, a[0]), 0);
	changelog_reset(m);
	assert_int_equal(vmap_purge_lazy(m), 1);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_ADD), 0);
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 1);
	check_ok(m);
	machine_destroy(m);
}

/* ---- 6.13 the vmap-node pool shrinker ------------------------------------- */

/* n areas of 4 KiB (2 pages with the guard page) freed and purged into
 * node 0's pool of 2-page areas on a 2-CPU machine */
static void fill_pool(struct machine *m, uint64_t *a, int n)
{
	uint64_t keep;
	for (int i = 0; i < n; i++)
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a[i]), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &keep), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(vfree_area(m, a[i]), 0);
	assert_int_equal(vmap_purge_lazy(m), n);
	assert_int_equal(pool_len(m, 2), (unsigned long)n);
}

/* vmalloc_init() registers "vmap-node" (6.13 only, whatever the nodes);
 * vmap_node_shrink_count() is the sum of the pools' len, SHRINK_EMPTY
 * when they are empty; shrinker_alloc() leaves seeks DEFAULT_SEEKS */
static void vmap_shrinker_613__registered_counts_every_pool(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	struct shrinker *s = vmap_node_shrinker(m);
	assert_non_null(s);
	assert_string_equal(s->name, "vmap-node");
	assert_int_equal(s->seeks, 2);
	struct shrink_control sc = { 0 };
	assert_true(s->count_objects(m, &sc) == SHRINK_EMPTY);
	uint64_t a[5];
	fill_pool(m, a, 5);
	assert_int_equal(s->count_objects(m, &sc), 5);
	machine_destroy(m);

	m = boot("x86_64", "2.6.32", 2);
	assert_null(vmap_node_shrinker(m));
	assert_int_equal(m->nr_shrinkers, 0);
	machine_destroy(m);
}

/* drop_caches 2: drop_slab() -> shrink_slab(priority 0): delta = (5 >> 0)
 * * 4 / DEFAULT_SEEKS = 10 >= freeable 5, so the scan runs, empties every
 * pool (full decay) and answers SHRINK_STOP: nothing counts as scanned,
 * and next_deferred = min(0 + 10 - 0, 2 * 5) = 10 */
static void vmap_shrinker_613__drop_caches_2_empties_the_pools(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a[5], dropped, big;
	fill_pool(m, a, 5);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmscan_drop_caches(m, 2, &dropped), 0);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_SHRINK), 1);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_SHRUNK), 5);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_DECAY), 0);
	assert_int_equal(pool_len(m, 2), 0);
	assert_int_equal(vmap_node_shrinker(m)->nr_deferred[0], 10);
	check_ok(m);
	/* the five areas merged back: 9 pages + guard fit at a[0] */
	assert_int_equal(vmalloc_alloc(m, 9 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &big), 0);
	assert_int_equal(big, a[0]);
	/* drop_caches 1 runs no shrinker */
	fill_pool(m, a, 3);
	changelog_reset(m);
	assert_int_equal(vmscan_drop_caches(m, 1, &dropped), 0);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, -1), 0);
	assert_int_equal(pool_len(m, 2), 3);
	check_ok(m);
	machine_destroy(m);
}

/* do_shrink_slab() at a reclaim priority: with 8 pooled areas, priority 2
 * gives delta = (8 >> 2) * 4 / 2 = 4 < 8: no scan, 4 more deferred each
 * time (nr 0, 4, 8, 12, then capped at 2 * 8 = 16); total_scan = (nr >>
 * 2) + 4 reaches freeable only when nr = 16: 16 / 4 + 4 = 8.  Priority 12
 * asks for nothing: (8 >> 12) * 4 / 2 = 0 and nr >> 12 = 0 */
static void vmap_shrinker_613__deferred_work_builds_up_until_the_scan(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a[8];
	fill_pool(m, a, 8);
	struct shrinker *s = vmap_node_shrinker(m);
	vmscan_shrink_slab(m, 12);
	assert_int_equal(s->nr_deferred[0], 0);
	assert_int_equal(pool_len(m, 2), 8);
	static const unsigned long deferred[] = { 4, 8, 12, 16 };
	for (int i = 0; i < 4; i++) {
		vmscan_shrink_slab(m, 2);
		assert_int_equal(s->nr_deferred[0], deferred[i]);
		assert_int_equal(pool_len(m, 2), 8);
	}
	vmscan_shrink_slab(m, 2);
	assert_int_equal(pool_len(m, 2), 0);
	assert_int_equal(s->nr_deferred[0], 16);   /* min(16 + 4 - 0, 16) */
	check_ok(m);
	/* empty pools: SHRINK_EMPTY, do_shrink_slab() returns before touching
	 * nr_deferred */
	vmscan_shrink_slab(m, 0);
	assert_int_equal(s->nr_deferred[0], 16);
	machine_destroy(m);
}

/* one vmap node (one CPU): nothing is ever pooled, the shrinker counts
 * SHRINK_EMPTY and drop_caches logs nothing of vmalloc */
static void vmap_shrinker_613__one_node_has_nothing_to_shrink(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	uint64_t a, dropped;
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	assert_int_equal(vfree_area(m, a), 0);
	assert_int_equal(vmap_purge_lazy(m), 1);
	struct shrink_control sc = { 0 };
	assert_true(vmap_node_shrinker(m)->count_objects(m, &sc) == SHRINK_EMPTY);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmscan_drop_caches(m, 2, &dropped), 0);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, -1), 0);
	check_ok(m);
	machine_destroy(m);
}

/* Direct reclaim with nothing to reclaim (anon memory, no swap) runs its
 * priority loop down from 12 and shrink_slab() after each round
 * (shrink_node_memcgs()): with 8 pooled areas the target (8 >> p) * 4 / 2
 * plus the deferred work first reaches 8 at priority 1 - p = 3 defers 2,
 * p = 2 asks (2 >> 2) + 4 = 4 and defers 6, p = 1 asks (6 >> 1) + 8 = 11 -
 * so the pools go there, once; afterwards the count is SHRINK_EMPTY */
static void vmap_shrinker_613__direct_reclaim_empties_the_pools_at_priority_1(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .ncpus = 2, .mem_bytes = 128ull << 20 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	uint64_t a[8], n, pfn, room = 0;
	fill_pool(m, a, 8);
	int t = vmscan_task_create(m, "hog", 0);
	assert_true(t >= 0);
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present && m->zones[z].free_pages > m->zones[z].wmark[WMARK_HIGH])
			room += m->zones[z].free_pages - m->zones[z].wmark[WMARK_HIGH];
	assert_int_equal(vmscan_anon(m, t, room / 2, &n), 0);
	assert_int_equal(pool_len(m, 2), 8);
	struct shrinker *s = vmap_node_shrinker(m);
	assert_int_equal(s->calls, 0);
	gfp_t g = 0;
	assert_int_equal(gfp_parse(m->kp, "GFP_KERNEL|__GFP_NORETRY|__GFP_NOWARN", &g, NULL), 0);
	int r = 0;
	m->log.enabled = true;
	for (int i = 0; i < 1000000 && r == 0; i++) {
		changelog_reset(m);             /* the log of the last allocation only */
		r = buddy_alloc_pages(m, g, 0, &pfn);
	}
	assert_int_equal(r, -ENOMEM);
	/* the shrinker's steps are in the failing allocation's log one by
	 * one, though reclaim keeps its own bulk work quiet: its line, and
	 * each of the 8 areas leaving node 0's pool */
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_SHRINK), 1);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_POOL_SHRUNK), 8);
	/* one direct reclaim (no progress, __GFP_NORETRY: no retry) */
	assert_int_equal(m->vm->ev.allocstall[0] + m->vm->ev.allocstall[1] + m->vm->ev.allocstall[2], 1);
	assert_int_equal(pool_len(m, 2), 0);
	/* priorities 12..1 counted the 8 areas (0 found SHRINK_EMPTY); the
	 * deferred work: 2 after p = 3, 6 after p = 2, 6 + 8 - 0 = 14 after
	 * the scan at p = 1 (SHRINK_STOP scans nothing) */
	assert_int_equal(s->calls, 12);
	assert_int_equal(s->nr_deferred[0], 14);
	check_ok(m);
	machine_destroy(m);
}

/*
 * 6.13 __purge_vmap_area_lazy()'s helpers: nr_purge_helpers =
 * clamp(vmap_lazy_nr / lazy_max_pages(), 1, nr_purge_nodes) - 1, the
 * lowest nodes with lazy areas go to the kworkers of their own CPUs
 * (schedule_work_on()), the rest the purging task does, then
 * flush_work().  4 CPUs: 4 nodes, lazy_max_pages() = fls(4) * 32M / 4K =
 * 3 * 8192 = 24576.  A 4K vmalloc freed on CPUs 0, 1, 2 puts 2 pages each
 * on the lazy trees of nodes 0, 1, 2 (the node of the allocating CPU);
 * then an ioremap of 192M (49152 pages + the guard) on CPU 3, unmapped
 * there: 6 + 49153 = 49159 lazy pages, past 24576, so
 * drain_vmap_area_work() on CPU 3 purges 4 nodes with 49159 / 24576 = 2
 * -> clamp(2, 1, 4) - 1 = 1 helper: node 0 to CPU 0, nodes 1, 2 and 3 by
 * CPU 3 itself.  (The 49152 cleared PTEs fit the change log's 65536.)
 */
static void vmap_purge_613__a_helper_takes_the_lowest_node(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 4);
	uint64_t a, va;
	assert_int_equal(vmap_nr_nodes(m), 4);
	assert_int_equal(vmap_lazy_max_pages(m), 24576);
	for (unsigned cpu = 0; cpu < 3; cpu++) {
		assert_int_equal(machine_set_cpu(m, cpu), 0);
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
		assert_int_equal(vfree_area(m, a), 0);
	}
	assert_int_equal(vmap_lazy_nr(m), 6);
	assert_int_equal(machine_set_cpu(m, 3), 0);
	assert_int_equal(ioremap_caller(m, 0xc0000000, 0xc000000, PCM_UC_MINUS, &va, NULL), 0);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(ioremap_iounmap(m, va, NULL), 0);
	assert_int_equal(m->log.dropped, 0);
	assert_int_equal(vmap_lazy_nr(m), 0);
	/* the plan, then in order: node 0 queued, nodes 1-3 here, node 0 by its helper */
	static const struct { int mt; unsigned node, cpu, how; } want[] = {
		{ VMAP_PURGE_QUEUE, 0, 0, VMAP_PURGE_WORK_ON }, { VMAP_PURGE_NODE, 1, 3, VMAP_PURGE_SELF },
		{ VMAP_PURGE_NODE, 2, 3, VMAP_PURGE_SELF },     { VMAP_PURGE_NODE, 3, 3, VMAP_PURGE_SELF },
		{ VMAP_PURGE_NODE, 0, 0, VMAP_PURGE_WORK_ON },
	};
	const struct change *plan = NULL;
	size_t k = 0;
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		if (c->kind != CH_VMAP_POOL || c->mt < VMAP_PURGE_PLAN)
			continue;
		if (c->mt == VMAP_PURGE_PLAN) {
			assert_null(plan);
			assert_int_equal(k, 0);
			plan = c;
			continue;
		}
		assert_true(k < sizeof want / sizeof want[0]);
		assert_int_equal(c->mt, want[k].mt);
		assert_int_equal(c->pfn, want[k].node);
		assert_int_equal(c->pfn2, want[k].cpu);
		assert_int_equal(c->cache, want[k].how);
		if (c->mt == VMAP_PURGE_NODE)
			assert_int_equal(c->obj, 1);
		k++;
	}
	assert_int_equal(k, 5);
	assert_non_null(plan);
	assert_int_equal(plan->old, 49159);
	assert_int_equal(plan->val, 24576);
	assert_int_equal(plan->pfn, 4);
	assert_int_equal(plan->pfn2, 1);
	assert_int_equal(plan->obj, 3);
	assert_int_equal(plan->cache, VMAP_PURGER_DRAIN);
	check_ok(m);
	machine_destroy(m);
}

/* below twice lazy_max_pages() no helper is asked for: vm_unmap_aliases()
 * with 2 lazy pages on each of two nodes purges both itself */
static void vmap_purge_613__no_helper_below_twice_lazy_max(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	uint64_t a;
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		assert_int_equal(machine_set_cpu(m, cpu), 0);
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
		assert_int_equal(vfree_area(m, a), 0);
	}
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmap_purge_lazy(m), 2);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_PURGE_QUEUE), 0);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, VMAP_PURGE_NODE), 2);
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		if (c->kind == CH_VMAP_POOL && c->mt == VMAP_PURGE_PLAN) {
			assert_int_equal(c->pfn, 2);
			assert_int_equal(c->pfn2, 0);
			assert_int_equal(c->obj, 1);            /* the purging CPU: the last one set */
			assert_int_equal(c->cache, VMAP_PURGER_CALLER);
		}
		if (c->kind == CH_VMAP_POOL && c->mt == VMAP_PURGE_NODE)
			assert_int_equal(c->cache, VMAP_PURGE_SELF);
	}
	machine_destroy(m);
}

/* i386 6.13 has one node: a purged area always merges into the free tree,
 * and the next allocation is the lowest fit again */
static void vmap_pools_613__i386_has_none(void **state)
{
	(void)state;
	struct machine *m = boot("i386", "6.13", 4);
	uint64_t a, b, c;
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &b), 0);
	assert_int_equal(vfree_area(m, b), 0);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmap_purge_lazy(m), 1);
	assert_int_equal(count_changes(m, CH_VMAP_POOL, -1), 0);
	assert_int_equal(count_changes(m, CH_VMAP_PURGE, -1), 1);
	assert_int_equal(vmalloc_alloc(m, 2 * 4096, kernel_gfp(m), 0, "x+0x0/0x0", &c), 0);
	assert_int_equal(c, b);
	check_ok(m);
	machine_destroy(m);
}

static void vfree__nonexistent_area__warns(void **state)
{
	(void)state;
	struct machine *m = boot("i386", NULL, 1);
	/* 1 MiB in: no area there (the boot's HPET ioremap is at VMALLOC_START) */
	assert_int_equal(vfree_area(m, m->layout.vmalloc_start + (1 << 20)), -EINVAL);
	assert_non_null(strstr(m->err, "nonexistent vm area"));
	assert_int_equal(vfree_area(m, 0), 0);
	machine_destroy(m);
}

/* 6.13 makes vmap_area_cachep at boot (mm_core_init() -> vmalloc_init()),
 * with one object for the free tree's first block [1, ULONG_MAX]; 2.6.32
 * has no such cache.  A step that does nothing (vfree(NULL) in an
 * interrupt, vm_unmap_aliases() with nothing lazy) takes no memory. */
static void vmap_613__cache_made_at_boot__noop_steps_take_no_memory(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	assert_non_null(m->vmap);
	int c = slab_cache_find(m, "vmap_area");
	assert_true(c >= 0);
	/* the free tree's first block, split by CPU 0's IRQ stack into [1,
	 * VMALLOC_START) and the block after the HPET's area, the two busy
	 * areas, and this CPU's preload (refilled before the HPET's area) */
	assert_int_equal(m->slab->caches[c].active_objects, 5);
	uint64_t free_before = 0, free_after = 0;
	for (int z = 0; z < m->nr_zones; z++)
		free_before += m->zones[z].free_pages;
	assert_int_equal(vmap_purge_lazy(m), 0);
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vfree_area(m, 0), 0);
	assert_int_equal(vfree_area(m, m->layout.vmalloc_start + (1 << 20)), -EINVAL);        /* no area there */
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	for (int z = 0; z < m->nr_zones; z++)
		free_after += m->zones[z].free_pages;
	assert_int_equal(free_after, free_before);
	assert_int_equal(m->slab->caches[c].active_objects, 5);
	check_ok(m);
	machine_destroy(m);
	m = boot("x86_64", "2.6.32", 1);
	/* the vmap state holds the boot's HPET ioremap, its vmap_area kmalloc'ed */
	assert_non_null(vmap_find_area(m, m->layout.vmalloc_start));
	assert_true(slab_cache_find(m, "vmap_area") < 0);
	machine_destroy(m);
}

/* 6.13 va_clip(): an NE_FIT_TYPE split needs a second vmap_area: this CPU's
 * ne_fit_preload_node, else kmem_cache_alloc(GFP_NOWAIT).  With neither
 * (the cache's last object went to the area itself, and no page is left)
 * va_alloc()'s WARN_ON_ONCE(ret) fires and the allocation fails, once
 * reported; the model stays consistent. */
static void vmap_613__ne_fit_without_preload__warns_once_and_fails(void **state)
{
	(void)state;
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 64ull << 20, .ncpus = 1 };
	struct machine *m;
	char err[256];
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), 0);
	gfp_t atomic = 0;
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &atomic, NULL), 0);
	uint64_t a;
	/* an area asked for 1 MiB into the vmalloc space is cut from the
	 * middle (NE_FIT_TYPE) of the free block above the boot's areas.  One
	 * such area warms the kmalloc caches of the vm_struct and the pages
	 * array and uses up the preload the boot's HPET area refilled; after
	 * the purge the free tree is [1, VMALLOC_START) and that block again */
	uint64_t mid = m->layout.vmalloc_start + (1 << 20), end = m->layout.vmalloc_end;
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, mid, end, kernel_gfp(m), 0, 0, "t+0x0/0x0", &a), 0);
	assert_int_equal(a, mid);
	assert_int_equal(vfree_area(m, a), 0);
	assert_true(vmap_purge_lazy(m) > 0);
	size_t cap = 1 << 16, n = 0;
	uint64_t *held = malloc(cap * sizeof *held);
	assert_non_null(held);
	while (n < cap && !buddy_alloc_pages(m, atomic, 0, &held[n]))
		n++;
	/* every vmap_area object in use but one */
	int c = slab_cache_find(m, "vmap_area");
	assert_true(c >= 0);
	uint64_t o = 0, last = 0;
	while (!slab_cache_alloc(m, c, atomic, &o) && o)
		last = o;
	assert_true(last != 0);
	slab_cache_free(m, c, last);
	assert_false(dmesg_has(m, "at mm/vmalloc.c"));
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, mid, end, kernel_gfp(m), 0, 0, "t+0x0/0x0", &a), -ENOMEM);
	assert_true(dmesg_has(m, "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c alloc_vmap_area+0x0/0x0"));
	assert_true(m->taint & (1ul << TAINT_WARN));
	check_ok(m);
	size_t lines = m->dmesg.n;
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, mid, end, kernel_gfp(m), 0, 0, "t+0x0/0x0", &a), -ENOMEM);
	for (size_t i = lines; i < m->dmesg.n; i++)
		assert_null(strstr(dmesg_slot(&m->dmesg, i)->text, "WARNING:"));      /* once */
	/* memory back: the split has its object */
	while (n > 0)
		buddy_free_pages(m, held[--n], 0);
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, mid, end, kernel_gfp(m), 0, 0, "t+0x0/0x0", &a), 0);
	assert_int_equal(a, mid);
	check_ok(m);
	free(held);
	machine_destroy(m);
}

/* Near OOM every allocation inside vmalloc may fail: the vm_struct, the
 * struct vmap_area (6.13: "if (unlikely(!va)) return ERR_PTR(-ENOMEM)",
 * and the free tree's first object when the model starts the allocator),
 * the NE_FIT split's object, the pages.  Whatever fails, vmalloc fails
 * cleanly or succeeds: the model stays consistent (no area without its
 * vmap_area object).  Memory is given back one page at a time, so every
 * failure point is met on the way. */
static void vmalloc_near_oom(const char *kernel, bool started)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = kernel, .mem_bytes = 64ull << 20, .ncpus = 1 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	gfp_t atomic = 0;
	assert_int_equal(gfp_parse(m->kp, "GFP_ATOMIC", &atomic, NULL), 0);
	uint64_t a;
	if (started) {
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "t+0x0/0x0", &a), 0);
		assert_int_equal(vfree_area(m, a), 0);
	}
	size_t cap = 1 << 16, n = 0;
	uint64_t *held = malloc(cap * sizeof *held);
	assert_non_null(held);
	while (n < cap && !buddy_alloc_pages(m, atomic, 0, &held[n]))
		n++;
	assert_true(n > 0 && n < cap);
	if (started && !strcmp(kernel, "6.13")) {
		/* no free vmap_area object left either: the next one needs a page */
		int c = slab_cache_find(m, "vmap_area");
		uint64_t o;
		assert_true(c >= 0);
		for (unsigned i = 0; i < 4096 && !slab_cache_alloc(m, c, atomic, &o); i++)
			;
	}
	unsigned ok = 0;
	while (n > 0) {
		buddy_free_pages(m, held[--n], 0);
		int r = vmalloc_alloc(m, 3 * 4096, kernel_gfp(m), 0, "t+0x0/0x0", &a);
		assert_true(r == 0 || r == -ENOMEM);
		check_ok(m);
		if (!r)
			ok++;
		if (ok == 8)
			break;
	}
	assert_int_equal(ok, 8);
	free(held);
	machine_destroy(m);
}

static void vmalloc_near_oom__fails_cleanly_or_succeeds(void **state)
{
	(void)state;
	vmalloc_near_oom("6.13", false);
	vmalloc_near_oom("6.13", true);
	vmalloc_near_oom("2.6.32", true);
}

/* 6.13 remove_vm_area() finds the busy area that contains a page-aligned
 * address (find_unlink_vmap_area()), guard page included, and frees it;
 * 2.6.32's __find_vmap_area() matches va_start only and WARNs */
static void vfree_vunmap__address_inside_an_area__613_frees_it_2632_warns(void **state)
{
	(void)state;
	for (int old = 0; old < 2; old++) {
		struct machine *m = boot("x86_64", old ? "2.6.32" : "6.13", 1);
		uint64_t a, pfn, v;
		assert_int_equal(vmalloc_alloc(m, 8192, kernel_gfp(m), 0, "t+0x0/0x0", &a), 0);
		assert_int_equal(buddy_alloc_pages(m, kernel_gfp(m), 0, &pfn), 0);
		assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
		assert_int_equal(vmap_free_target(m, a + 4096), old ? a + 4096 : a);
		assert_int_equal(vfree_area(m, a + 4096), old ? -EINVAL : 0);
		assert_true(old ? vmap_find_area(m, a) != NULL : vmap_find_area(m, a) == NULL);
		/* the guard page is part of the vmap_area */
		assert_int_equal(vunmap_area(m, v + 4096), old ? -EINVAL : 0);
		assert_true(old ? vmap_find_area(m, v) != NULL : vmap_find_area(m, v) == NULL);
		/* not page-aligned: "bad address" in both */
		assert_int_equal(vfree_area(m, (old ? a : v) + 8), -EINVAL);
		check_ok(m);
		machine_destroy(m);
	}
}

/* vunmap() of a vmalloc'ed area (the boot's hashdist tables, or the
 * user's): __vunmap(addr, 0) (2.6.32, 6.1) and 6.13 vunmap() remove the
 * area and kfree() its vm_struct, but neither frees the pages nor
 * subtracts them from nr_vmalloc_pages (only vfree() does): 6.x's
 * VmallocUsed keeps the 2 pages of an 8 KiB vmalloc, the pages stay
 * allocated, and the model stays consistent. */
static void vunmap_of_a_vmalloc_area__pages_leak_and_stay_counted(void **state)
{
	(void)state;
	static const char *const kern[] = { "6.1", "6.13", "2.6.32" };
	for (size_t k = 0; k < 3; k++) {
		struct machine *m = boot("x86_64", kern[k], 1);
		struct vmalloc_totals t0, t1;
		vmap_totals(m, &t0);
		uint64_t a;
		assert_int_equal(vmalloc_alloc(m, 8192, kernel_gfp(m), 0, "t+0x0/0x0", &a), 0);
		uint64_t pfn;
		assert_int_equal(vmap_vmalloc_to_pfn(m, a, &pfn), 0);
		assert_int_equal(vunmap_area(m, a), 0);
		assert_null(vmap_find_area(m, a));
		vmap_totals(m, &t1);
		if (strcmp(kern[k], "2.6.32"))
			assert_int_equal(t1.used_pages, t0.used_pages + 2);
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		assert_int_equal(pi.state, PS_ALLOCATED);
		check_ok(m);
		machine_destroy(m);
	}
}

/* 6.13 __warn(): the WARNING line and dump_stack_print_info() name the CPU
 * the task runs on (`cpu 1`), not CPU 0 */
static void vfree_613__nonexistent_area_on_cpu_1__warning_names_cpu_1(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 2);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	size_t n = m->dmesg.n;
	assert_int_equal(vfree_area(m, m->layout.vmalloc_start + (1 << 20)), -EINVAL);     /* no area there */
	bool warning = false, cpu_line = false;
	for (size_t i = n; i < m->dmesg.n; i++) {
		const char *t = m->dmesg.v[i].text;
		assert_null(strstr(t, "CPU: 0 "));
		warning |= !strcmp(t, "WARNING: CPU: 1 PID: 1 at mm/vmalloc.c:3366 vfree+0x0/0x0");
		cpu_line |= !strncmp(t, "CPU: 1 UID: 0 PID: 1 Comm: kmemsh ", 34);
	}
	assert_true(warning);
	assert_true(cpu_line);
	machine_destroy(m);
}

/* The API ioremap builds on: a VM_IOREMAP area (its alignment rule per
 * version), mapped to device memory, checked, found by whatis, freed. */
static void ioremap_area(const char *arch, const char *kernel, uint64_t want_align)
{
	struct machine *m = boot(arch, kernel, 1);
	struct vm_struct *vm, *pad;
	/* one page first, so that alignment matters */
	assert_int_equal(vmap_area_alloc(m, 4096, 0, 0, 0, VM_MAP | VM_NO_GUARD, "pad+0x0/0x0", &pad), 0);
	assert_int_equal(vmap_area_alloc(m, 8192, 0, 0, 0, VM_IOREMAP, "pci_iomap+0x0/0x0", &vm), 0);
	assert_int_equal(vm->addr % want_align, 0);
	assert_int_equal(vm->size, 3 * 4096);
	assert_int_equal(vmap_ioremap_page_range(m, vm, 0xfebc0000, _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD), 0);
	uint64_t pfn;
	assert_int_equal(vmap_vmalloc_to_pfn(m, vm->addr + 4096, &pfn), 0);
	assert_int_equal(pfn, 0xfebc1);
	check_ok(m);
	uint64_t a = vm->addr;
	assert_int_equal(vmap_area_free(m, a), 0);
	assert_int_not_equal(vmap_vmalloc_to_pfn(m, a, &pfn), 0);
	check_ok(m);
	machine_destroy(m);
}

static void vmap_area_alloc__ioremap__aligned_mapped_and_freed(void **state)
{
	(void)state;
	ioremap_area("x86_64", "6.13", 8192);   /* 1 << get_count_order(8K) */
	ioremap_area("i386", "2.6.32", 16384);  /* 1 << fls(8K) */
}

/*
 * __get_vm_area_node() takes the VM_IOREMAP alignment from the requested
 * size, before it adds the guard page.  Two pages (0x2000 bytes) in a
 * range that starts 8 KiB past a 16 KiB boundary, worked by hand:
 * 6.13 get_count_order_long(0x2000) = fls(0x1fff) = 13, align 8 KiB, so
 * the area starts at the range's start (with the guard page counted,
 * fls(0x2fff) = 14 would give 16 KiB and start 8 KiB higher);
 * 2.6.32 fls(0x2000) = 14, align 16 KiB: start + 8 KiB.  The area is
 * 0x3000 bytes with its guard page in both.
 */
static void ioremap_align_of_two_pages(const char *arch, const char *kernel, uint64_t want_off)
{
	struct machine *m = boot(arch, kernel, 1);
	uint64_t base = ((m->layout.vmalloc_end - 0x100000) & ~0x3fffull) + 0x2000;
	struct vm_struct *vm;
	assert_int_equal(base % 0x4000, 0x2000);
	assert_int_equal(vmap_area_alloc(m, 0x2000, 0, base, base + 0x10000, VM_IOREMAP, "t+0x0/0x0", &vm), 0);
	assert_int_equal(vm->addr - base, want_off);
	assert_int_equal(vm->size, 0x3000);
	check_ok(m);
	machine_destroy(m);
}

static void vmap_area_alloc__ioremap_align_from_the_size_without_the_guard(void **state)
{
	(void)state;
	ioremap_align_of_two_pages("x86_64", "6.13", 0);        /* 8 KiB */
	ioremap_align_of_two_pages("i386", "6.13", 0);          /* 8 KiB */
	ioremap_align_of_two_pages("i386", "2.6.32", 0x2000);   /* 16 KiB */
	ioremap_align_of_two_pages("x86_64", "2.6.32", 0x2000); /* 16 KiB */
}

/* Random vmalloc/vfree/vmap/vunmap traffic on each profile, the checker
 * after every step: PTEs map exactly each area's pages, the trees agree,
 * no mapped page is free, lazy counts add up. */
static void stress(const char *arch, const char *kernel, bool pae, unsigned ncpus)
{
	struct machine_config cfg = { .arch = pae ? "i386-pae" : arch, .kernel = kernel, .ncpus = ncpus };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("machine_create: %s", err);
	enum { LIVE = 64, OPS = 1500 };
	uint64_t live[LIVE] = { 0 }, vpfn[LIVE] = { 0 };
	bool is_vmap[LIVE] = { false };
	uint64_t x = 12345;
	gfp_t g = kernel_gfp(m);
	for (int op = 0; op < OPS; op++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned i = (unsigned)(x >> 33) % LIVE;
		if (live[i]) {
			if (is_vmap[i]) {
				assert_int_equal(vunmap_area(m, live[i]), 0);
				assert_int_equal(buddy_free_pages(m, vpfn[i], 0), 0);
			} else {
				assert_int_equal(vfree_area(m, live[i]), 0);
			}
			live[i] = 0;
		} else if ((x >> 20) % 5 == 0) {
			uint64_t pfn;
			if (buddy_alloc_pages(m, g, 0, &pfn) == 0) {
				uint64_t pfns[2] = { pfn, pfn };
				assert_int_equal(vmap_pages(m, pfns, 2, VM_MAP, "t+0x0/0x0", &live[i]), 0);
				vpfn[i] = pfn;
				is_vmap[i] = true;
			}
		} else {
			uint64_t size = 1 + (x >> 40) % (1ull << ((x >> 12) % 2 ? 14 : 19));
			assert_int_equal(vmalloc_alloc(m, size, g, 0, "t+0x0/0x0", &live[i]), 0);
			is_vmap[i] = false;
		}
		if (op % 50 == 0 && (x >> 50) % 3 == 0)
			vmap_purge_lazy(m);
		if (ncpus > 1 && op % 7 == 0)   /* node_alloc() on another CPU's node */
			assert_int_equal(machine_set_cpu(m, (unsigned)(x >> 45) % ncpus), 0);
		if (machine_check(m))
			fail_msg("%s %s op %d: %s", arch, kernel, op, m->err);
	}
	machine_destroy(m);
}

static void vmalloc_stress__every_profile__stays_consistent(void **state)
{
	(void)state;
	stress("i386", "2.6.32", false, 1);
	stress("i386", "6.13", false, 1);
	stress("i386", "6.13", true, 1);
	stress("x86_64", "6.13", false, 1);
	stress("x86_64", "6.13", false, 3);     /* 3 vmap nodes and their pools */
}

static unsigned long long objs_in_use(const struct machine *m, const char *cache)
{
	int c = slab_cache_find(m, cache);
	if (c < 0)
		fail_msg("no cache %s", cache);
	/* objects handed out and not freed (slabinfo's active_objs counts a
	 * SLUB cpu slab as all active) */
	return m->slab->caches[c].allocs - m->slab->caches[c].frees;
}

/* 6.13: every vmap_area (free tree, busy tree, lazy list, this CPU's
 * ne_fit_preload_node) is an object of vmap_area_cachep */
static void vmap_area_613__objects_of_vmap_area_cachep__follow_the_trees(void **state)
{
	(void)state;
	/* sizeof(struct vmap_area) 72 and 36; slabinfo shows s->size, 36 rounded
	 * up to ARCH_SLAB_MINALIGN (__alignof__(unsigned long long), 8) */
	static const struct { const char *arch; unsigned objsize, boot; } prof[] = { { "x86_64", 72, 5 }, { "i386", 40, 4 } };
	for (size_t p = 0; p < 2; p++) {
		struct machine *m = boot(prof[p].arch, "6.13", 1);
		uint64_t a, b;
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
		int c = slab_cache_find(m, "vmap_area");
		assert_true(c >= 0);
		struct slabinfo_row row;
		slab_cache_slabinfo(m, c, &row);
		assert_int_equal(row.objsize, prof[p].objsize);
		/* boot: [1, VMALLOC_START) and the block above the boot's areas
		 * free, the areas busy (x86_64: CPU 0's IRQ stack and the HPET's;
		 * i386: the HPET's), the preload refilled after the IRQ stack's
		 * (x86_64) or the HPET's (i386) NE_FIT split.  a is the left edge
		 * of the upper block (LE_FIT): one object more */
		assert_int_equal(objs_in_use(m, "vmap_area"), prof[p].boot + 1);
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &b), 0);
		assert_int_equal(objs_in_use(m, "vmap_area"), prof[p].boot + 2);        /* b */
		assert_int_equal(vfree_area(m, a), 0);
		assert_int_equal(objs_in_use(m, "vmap_area"), prof[p].boot + 2);        /* a waits on the lazy list */
		assert_int_equal(vmap_purge_lazy(m), 1);
		/* a lies between the boot's last area and b: a free block of its own */
		assert_int_equal(objs_in_use(m, "vmap_area"), prof[p].boot + 2);
		assert_int_equal(vfree_area(m, b), 0);
		assert_int_equal(vmap_purge_lazy(m), 1);
		/* b merged into the block above it, and a's block into that: both freed */
		assert_int_equal(objs_in_use(m, "vmap_area"), prof[p].boot);
		check_ok(m);
		machine_destroy(m);
	}
}

/* 2.6.32: alloc_vmap_area() kmallocs its struct vmap_area: 52 bytes on
 * i386 (size-64), 104 on x86_64 (size-128) */
static void vmap_area_2632__is_kmalloced_by_its_size(void **state)
{
	(void)state;
	static const struct { const char *arch; const char *cache; } prof[] = {
		{ "i386", "size-64" }, { "x86_64", "size-128" } };
	for (size_t p = 0; p < 2; p++) {
		struct machine *m = boot(prof[p].arch, "2.6.32", 1);
		uint64_t a;
		unsigned long long before = objs_in_use(m, prof[p].cache);
		assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
		assert_int_equal(objs_in_use(m, prof[p].cache), before + 1);
		assert_int_equal(slab_cache_find(m, "vmap_area"), -1);
		assert_int_equal(vfree_area(m, a), 0);
		assert_int_equal(vmap_purge_lazy(m), 1);
		assert_int_equal(objs_in_use(m, prof[p].cache), before);
		check_ok(m);
		machine_destroy(m);
	}
}

/* the checker: a vmap_area whose object went back to the cache is caught */
static void vmap_check_613__a_freed_vmap_area_object__is_caught(void **state)
{
	(void)state;
	struct machine *m = boot("x86_64", "6.13", 1);
	uint64_t a;
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmalloc_alloc(m, 4096, kernel_gfp(m), 0, "x+0x0/0x0", &a), 0);
	check_ok(m);
	int c = slab_cache_find(m, "vmap_area");
	uint64_t obj = 0;
	for (size_t i = 0; i < m->log.n && !obj; i++)
		if (m->log.v[i].kind == CH_OBJ_ALLOC && (int)m->log.v[i].cache == c)
			obj = m->log.v[i].addr;         /* the free tree's first node */
	assert_true(obj != 0);
	assert_int_equal(slab_cache_free(m, c, obj), 0);
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "vmap_area_cachep"));
	machine_destroy(m);
}

/* ---- kvmalloc's huge fallback (6.x x86_64, VM_ALLOW_HUGE_VMAP) -------------------
 * Expected figures by hand from 6.13 mm/vmalloc.c __vmalloc_node_range_noprof():
 * size_per_node = size (/ num_online_nodes() for NUMA_NO_NODE) >= PMD_SIZE
 * (2 MiB) gives shift 21, align = max(PAGE_SIZE, 2M), size = ALIGN(size, 2M);
 * vm_area_alloc_pages() takes order-9 blocks and split_page()s them; each
 * 2M piece is one pmd leaf (vmap_try_huge_pmd()); vfree() frees order-0 pages. */

/* "no page is both free and mapped" (issue 8's check): vmap() of a page
 * the page allocator holds free (on a free list or a pcp list) is bad
 * input, refused with the model unchanged; a vmap area whose page is freed
 * behind its back (buddy_free_pages() directly: the CLI's __free_pages
 * refuses it) fails check, as a vmalloc area's does */
static void vmap__free_page__refused_and_check_catches_a_freed_one(void **state)
{
	(void)state;
	const char *const kern[] = { "6.13", "2.6.32" };
	for (int k = 0; k < 2; k++) {
		struct machine *m = boot("i386", kern[k], 1);
		uint64_t pfn, v;
		assert_int_equal(buddy_alloc_pages(m, kernel_gfp(m), 0, &pfn), 0);
		assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
		unsigned areas = vmap_busy_count(m);
		assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), -EINVAL);
		assert_non_null(strstr(m->err, "is free"));
		assert_int_equal(vmap_busy_count(m), areas);
		assert_int_equal(machine_check(m), 0);
		assert_int_equal(buddy_alloc_pages(m, kernel_gfp(m), 0, &pfn), 0);
		assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
		assert_int_equal(vmap_area_of_pfn(m, pfn, 1, VM_MAP), v);
		assert_int_equal(machine_check(m), 0);
		assert_int_equal(buddy_free_pages(m, pfn, 0), 0);
		assert_int_not_equal(machine_check(m), 0);
		assert_non_null(strstr(m->err, "is free"));
		machine_destroy(m);
	}
}

static struct machine *boot_613(const char *arch, uint64_t mem, const char *cmdline, unsigned nodes)
{
	struct machine_config cfg = { .arch = arch, .kernel = "6.13", .ncpus = 1, .mem_bytes = mem,
				      .cmdline = cmdline, .nr_nodes = nodes };
	return boot_cfg(&cfg);
}

static uint64_t kvmalloc_fallback(struct machine *m, uint64_t size, unsigned long flags)
{
	uint64_t a = 0;
	if (vmalloc_node_range(m, size, 4096, m->layout.vmalloc_start, m->layout.vmalloc_end, kernel_gfp(m), 0,
			       flags, "kvmalloc", &a))
		fail_msg("vmalloc_node_range(%llu): %s", (unsigned long long)size, m->err);
	return a;
}

/* the area is mapped by npmd pmd leaves over split, 512-aligned order-9 blocks */
static void assert_huge(struct machine *m, uint64_t a, unsigned npmd)
{
	const struct vm_struct *vm = vmap_find_area(m, a);
	unsigned pmd = m->pt->g.levels - 2;
	assert_non_null(vm);
	assert_int_equal(a % (2u << 20), 0);
	assert_int_equal(vm->page_order, 9);
	assert_int_equal(vm->size, (uint64_t)npmd * (2u << 20) + 4096);
	assert_int_equal(vm->nr_pages, npmd * 512);
	for (unsigned i = 0; i < npmd; i++) {
		uint64_t head = vm->pages[i * 512];
		uint64_t e = pgtable_entry_at(m, a + (uint64_t)i * (2u << 20), pmd);
		assert_int_equal(head % 512, 0);
		assert_true(pgtable_entry_is_leaf(m, pmd, e));
		assert_true(e & _PAGE_PSE);
		assert_int_equal((e & 0x000ffffffffff000ull) >> 12, head);
		for (unsigned k = 0; k < 512; k++) {
			struct page_info pi;
			assert_int_equal(vm->pages[i * 512 + k], head + k);
			buddy_page_info(m, head + k, &pi);
			assert_int_equal(pi.state, PS_ALLOCATED);
			assert_int_equal(pi.order, 0);         /* split_page() */
			assert_int_equal(pi.block_pfn, head + k);
		}
		uint64_t pfn = 0;
		assert_int_equal(vmap_vmalloc_to_pfn(m, a + (uint64_t)i * (2u << 20) + 0x1234f, &pfn), 0);
		assert_int_equal(pfn, head + 0x12);
	}
}

static void kvmalloc_613__8m_on_x86_64__four_pmd_leaves_of_split_order_9_blocks(void **state)
{
	(void)state;
	struct machine *m = boot_613("x86_64", 4ull << 30, NULL, 0);
	uint64_t a = kvmalloc_fallback(m, 8u << 20, VM_ALLOW_HUGE_VMAP);
	const struct vm_struct *vm = vmap_find_area(m, a);
	uint64_t pfns[2048];
	memcpy(pfns, vm->pages, sizeof pfns);
	assert_huge(m, a, 4);
	check_ok(m);
	unsigned pmd = m->pt->g.levels - 2;
	assert_int_equal(vfree_area(m, a), 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(pgtable_entry_at(m, a + (uint64_t)i * (2u << 20), pmd), 0);
	for (unsigned i = 0; i < 2048; i++) {
		struct page_info pi;
		buddy_page_info(m, pfns[i], &pi);
		assert_int_not_equal(pi.state, PS_ALLOCATED);
	}
	check_ok(m);
	machine_destroy(m);
}

static void kvmalloc_613__5m__rounds_to_6m_three_pmds(void **state)
{
	(void)state;
	struct machine *m = boot_613("x86_64", 4ull << 30, NULL, 0);
	uint64_t a = kvmalloc_fallback(m, 5u << 20, VM_ALLOW_HUGE_VMAP);
	assert_huge(m, a, 3);       /* ALIGN(5M, 2M) = 6M: 1536 pages */
	check_ok(m);
	assert_int_equal(vfree_area(m, a), 0);
	check_ok(m);
	machine_destroy(m);
}

static void small_pages(struct machine *m, uint64_t a, uint64_t size)
{
	const struct vm_struct *vm = vmap_find_area(m, a);
	assert_non_null(vm);
	assert_int_equal(vm->page_order, 0);
	assert_int_equal(vm->size, size + 4096);
	assert_int_equal(vm->nr_pages, size / 4096);
	struct pt_walk w;
	pgtable_walk(m, a, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	if (m->arch->bits == 64)
		assert_false(pgtable_entry_is_leaf(m, m->pt->g.levels - 2,
						   pgtable_entry_at(m, a, m->pt->g.levels - 2)));
	check_ok(m);
}

static void kvmalloc_613__no_huge__plain_vmalloc_nohugevmalloc_i386_and_per_node_size(void **state)
{
	(void)state;
	/* no VM_ALLOW_HUGE_VMAP: plain vmalloc() */
	struct machine *m = boot_613("x86_64", 4ull << 30, NULL, 0);
	small_pages(m, kvmalloc_fallback(m, 8u << 20, 0), 8u << 20);
	machine_destroy(m);
	/* "nohugevmalloc": vmap_allow_huge = false */
	m = boot_613("x86_64", 4ull << 30, "nohugevmalloc", 0);
	small_pages(m, kvmalloc_fallback(m, 8u << 20, VM_ALLOW_HUGE_VMAP), 8u << 20);
	machine_destroy(m);
	/* i386 has no HAVE_ARCH_HUGE_VMALLOC */
	m = boot_613("i386", 512ull << 20, NULL, 0);
	small_pages(m, kvmalloc_fallback(m, 8u << 20, VM_ALLOW_HUGE_VMAP), 8u << 20);
	machine_destroy(m);
	/* 4 nodes, NUMA_NO_NODE: 5M / 4 = 1.25M per node < PMD_SIZE; 8M / 4 = 2M is enough */
	m = boot_613("x86_64", 4ull << 30, NULL, 4);
	small_pages(m, kvmalloc_fallback(m, 5u << 20, VM_ALLOW_HUGE_VMAP), 5u << 20);
	assert_huge(m, kvmalloc_fallback(m, 8u << 20, VM_ALLOW_HUGE_VMAP), 4);
	check_ok(m);
	machine_destroy(m);
}

/* No free order-9 block: the huge attempt fails quietly and the area is
 * allocated again with order-0 pages at real_size and real_align. */
static void kvmalloc_613__no_order_9_block__falls_back_to_small_pages(void **state)
{
	(void)state;
	struct machine *m = boot_613("x86_64", 128ull << 20, NULL, 0);
	gfp_t nowait = 0;
	assert_int_equal(gfp_parse(m->kp, "GFP_NOWAIT|__GFP_NOWARN", &nowait, NULL), 0);
	static uint64_t blk[4096];
	unsigned n = 0;
	while (n < 4096 && !buddy_alloc_pages(m, nowait, 9, &blk[n]))
		n++;
	assert_true(n >= 4);
	/* keep one page in the middle of four blocks, free the rest of them:
	 * 4 * 511 free pages, none in an order-9 block */
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(buddy_split_page(m, blk[i]), 0);
		for (unsigned k = 0; k < 512; k++)
			if (k != 256)
				assert_int_equal(buddy_free_pages(m, blk[i] + k, 0), 0);
	}
	size_t dmesg0 = m->dmesg.n;
	uint64_t a = kvmalloc_fallback(m, 2u << 20, VM_ALLOW_HUGE_VMAP);
	small_pages(m, a, 2u << 20);
	assert_int_equal(m->dmesg.n, dmesg0);   /* page_order != 0: no warn_alloc() */
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmalloc_613__first_areas__lowest_addresses_with_guard_pages),
		cmocka_unit_test(vfree__a_page_the_allocator_refuses__is_reported_and_stays_allocated),
		cmocka_unit_test(vmap__free_page__refused_and_check_catches_a_freed_one),
		cmocka_unit_test(vfree_613__area_waits_on_lazy_list__purge_merges_it_back),
		cmocka_unit_test(vmap_area_alloc_613__right_edge_fit_and_alignment),
		cmocka_unit_test(vmalloc_2632__first_fit_leaves_a_page_between_areas),
		cmocka_unit_test(vfree__lazy_pages_over_lazy_max_pages__purges),
		cmocka_unit_test(vmap_nodes_613__one_per_cpu_on_64_bit_up_to_128),
		cmocka_unit_test(vmap_pools_613__purge_keeps_small_areas_node_alloc_reuses_them),
		cmocka_unit_test(vmap_pools_613__decay_a_quarter_and_all_below_four),
		cmocka_unit_test(vmap_pools_613__decay_takes_the_head_first),
		cmocka_unit_test(vmap_pools_613__no_space_full_decay_then_retry),
		cmocka_unit_test(vmap_purge_613__a_helper_takes_the_lowest_node),
		cmocka_unit_test(vmap_purge_613__no_helper_below_twice_lazy_max),
		cmocka_unit_test(vmap_pools_613__i386_has_none),
		cmocka_unit_test(vmap_shrinker_613__registered_counts_every_pool),
		cmocka_unit_test(vmap_shrinker_613__drop_caches_2_empties_the_pools),
		cmocka_unit_test(vmap_shrinker_613__deferred_work_builds_up_until_the_scan),
		cmocka_unit_test(vmap_shrinker_613__one_node_has_nothing_to_shrink),
		cmocka_unit_test(vmap_shrinker_613__direct_reclaim_empties_the_pools_at_priority_1),
		cmocka_unit_test(vfree__nonexistent_area__warns),
		cmocka_unit_test(vfree_613__nonexistent_area_on_cpu_1__warning_names_cpu_1),
		cmocka_unit_test(vfree_vunmap__address_inside_an_area__613_frees_it_2632_warns),
		cmocka_unit_test(vunmap_of_a_vmalloc_area__pages_leak_and_stay_counted),
		cmocka_unit_test(vmap_613__cache_made_at_boot__noop_steps_take_no_memory),
		cmocka_unit_test(vmap_613__ne_fit_without_preload__warns_once_and_fails),
		cmocka_unit_test(vmalloc_near_oom__fails_cleanly_or_succeeds),
		cmocka_unit_test(vmap_area_alloc__ioremap__aligned_mapped_and_freed),
		cmocka_unit_test(vmap_area_alloc__ioremap_align_from_the_size_without_the_guard),
		cmocka_unit_test(vmalloc_stress__every_profile__stays_consistent),
		cmocka_unit_test(vmap_area_613__objects_of_vmap_area_cachep__follow_the_trees),
		cmocka_unit_test(vmap_area_2632__is_kmalloced_by_its_size),
		cmocka_unit_test(vmap_check_613__a_freed_vmap_area_object__is_caught),
		cmocka_unit_test(kvmalloc_613__8m_on_x86_64__four_pmd_leaves_of_split_order_9_blocks),
		cmocka_unit_test(kvmalloc_613__5m__rounds_to_6m_three_pmds),
		cmocka_unit_test(kvmalloc_613__no_huge__plain_vmalloc_nohugevmalloc_i386_and_per_node_size),
		cmocka_unit_test(kvmalloc_613__no_order_9_block__falls_back_to_small_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
