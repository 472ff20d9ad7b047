/*
 * vmalloc.c - vmap areas and vmalloc (mm/vmalloc.c of Linux 6.13 and
 * 2.6.32).
 *
 * vmalloc gives a virtually contiguous area built from pages allocated one
 * by one: the area's addresses come from the vmap allocator, each page from
 * the buddy allocator (physically scattered, HighMem first), and the
 * page-table entries that join them are written through the pgtable API.
 *
 * 6.13: free space is a red-black tree of free blocks sorted by address
 * and augmented with subtree_max_size (the largest block below a node), so
 * find_vmap_lowest_match() descends to the lowest-addressed block that
 * fits in O(log n).  The chosen block is cut by va_clip(): FL_FIT_TYPE (the
 * whole block), LE_FIT_TYPE (its left edge), RE_FIT_TYPE (its right edge)
 * or NE_FIT_TYPE (the middle: the block splits in two).  Busy areas live
 * in a second tree.  vfree clears the PTEs at once but puts the area on a
 * lazy list; when more than lazy_max_pages() pages wait there (or on
 * vm_unmap_aliases()) purge_vmap_area_lazy() flushes the TLB over the whole
 * lazy range once and merges every area back into the free tree
 * (merge_or_add_vmap_area()).
 *
 * 6.13 vmap nodes and their pools: vmap_node.c.
 *
 * 2.6.32: one tree (and address-ordered list) of vmap areas, busy and
 * lazily freed alike; alloc_vmap_area() walks it first-fit from the lowest
 * address, stepping over each area with one extra page of distance
 * (ALIGN(first->va_end + PAGE_SIZE, align)); purging removes lazy areas
 * from the tree.
 *
 * The model of mm/vmalloc.c is four files (vmalloc_impl.h says which part
 * each holds); this one is the area API and vmalloc/vfree/vmap proper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/buddy.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/context.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "vmalloc_impl.h"

#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)

/*
 * Where mm/vmalloc.c checks the context (might_sleep() / BUG_ON()) and
 * where it WARNs about a bad vfree()/vunmap().
 *  6.13  __get_vm_area_node(): BUG_ON(in_interrupt()), then kzalloc_node()
 *        of the vm_struct (might_alloc(): include/linux/sched/mm.h), then
 *        alloc_vmap_area(): might_sleep(); remove_vm_area(): might_sleep(),
 *        WARN "Trying to vfree() bad address"; vfree(): in_interrupt() ->
 *        vfree_atomic(), else might_sleep(), WARN "... nonexistent vm area";
 *        vunmap(): BUG_ON(in_interrupt()); might_sleep(); WARN; vmap():
 *        might_sleep().
 *  2.6.32 __get_vm_area_node(): BUG_ON(in_interrupt()), then kmalloc_node()
 *        of the vm_struct and of the vmap_area (the slab allocator's
 *        might_sleep_if()); vfree(): BUG_ON(in_interrupt());
 *        vunmap(): BUG_ON(in_interrupt()); might_sleep(); vmap(): might_sleep().
 *
 * The 6.13 lines.  No copy of the v6.13 file could be read; each line is
 * the v6.13 one as kernel reports of the 6.13 cycle print it, or it is
 * placed from one of those by the distance the same function body has in
 * the Debian linux-source-6.12 (6.12.118) mm/vmalloc.c, whose code between
 * the two points is the v6.13 code (the 6.12.y backports that are not in
 * v6.13 lie elsewhere):
 *   1972 alloc_vmap_area() might_sleep(): 6.12.28 has setup_vmalloc_vm()'s
 *        body at 1940 (the hunk of the 6.12.29 backport of "mm: vmalloc:
 *        support more granular vrealloc() sizing"), might_sleep() 32 lines
 *        further; a 6.13-cycle syzbot report (upstream 2d8308bf, with
 *        kasan_release_vmalloc_node()) puts the lines after it where
 *        6.12.28 has them (purge_vmap_node() 2213, drain_vmap_area_work()
 *        2338); kernel-facts.md 11.4 says 1972 too.
 *   3118 __get_vm_area_node() BUG_ON(in_interrupt()): syzbot on
 *        6.13.0-rc1-00005-gceb8bf2ceaa7 reports its kzalloc_node() at 3127,
 *        nine lines below the BUG_ON().
 *   3359 vfree() might_sleep(): syzbot on 6.12.0-09073-g9f16d5e6f220 (the
 *        6.13 merge window) reports "invalid context at mm/vmalloc.c:3359";
 *        "vmalloc: fix accounting with i915" (a2e740e216f5), made against
 *        6.13-rc2, has vfree()'s page loop at 3374, 15 lines below; that
 *        fix, the last 6.13 change to the file, lands after the line.
 *   3366 vfree() WARN, 7 lines below its might_sleep().
 *   3229 remove_vm_area() might_sleep(), 3231 its WARN: 130 and 128 lines
 *        above vfree()'s might_sleep(); a 6.14-rc6 (next-20250311) report
 *        prints "WARNING: ... at mm/vmalloc.c:3231 remove_vm_area".
 *   3406/3407/3413 vunmap() BUG_ON(), might_sleep(), WARN, and 3443
 *        vmap() might_sleep(): 47, 48, 54 and 84 lines below vfree()'s
 *        might_sleep(); a 6.14-rc4 report prints "WARNING: ... at
 *        mm/vmalloc.c:3413 vunmap".
 * The 2.6.32 lines (1175, 1412, 1430, 1431, 1451) could not be checked: no
 * v2.6.32 mm/vmalloc.c was found among the stored sources, nor a report
 * of that version; the WARN lines of 2.6.32 __vunmap() are not known, and
 * those reports print the file without a line (0 below).  Looked for
 * again for issue 8: the only whole 2.6.32 mm/vmalloc.c in the index,
 * zybsyzlz/linux-2.6.32's, is a study copy with added comment lines, so
 * its numbering is not the kernel's; kernel.org and the Debian archives
 * of old releases are not reachable from here.  (Looked for once more:
 * xuguangmin/linux-2.6.32.67-for-study's mm/vmalloc.c has Chinese
 * comment lines added and 2.6.32.y's later VM_UNLIST changes; the
 * STLinux 2.6.32.y tree in the index holds no mm/vmalloc.c.  The 6.13
 * lines stand as placed above: no v6.13 copy of the file was found
 * either, and a 6.12.0-rc7 syzbot trace - vfree()'s page loop at 3361 -
 * agrees with the 6.13 merge window moving vfree() 13 lines down to the
 * 3374 of the 6.13-rc2-based fix.)
 */
struct vm_sites {
	int get_vm_area_bug, alloc_vmap_sleep, remove_vm_area_sleep, vfree_sleep, vfree_bug, vunmap_bug,
	    vunmap_sleep, vmap_sleep, remove_vm_area_warn, vfree_warn, vunmap_warn;
};
/* 6.1 (Debian linux-source-6.1, 6.1.192 mm/vmalloc.c; the real 6.1.176 may
 * differ by a few lines): alloc_vmap_area() might_sleep() 1673,
 * __get_vm_area_node() BUG_ON(in_interrupt()) 2554, remove_vm_area()
 * might_sleep() 2663, vfree() might_sleep_if(!in_interrupt()) 2858,
 * vunmap() BUG_ON() 2878 and might_sleep() 2879, vmap() might_sleep() 2907;
 * both WARNs are __vunmap()'s: "bad address" 2752 (remove_vm_area_warn
 * here), "nonexistent vm area" 2758, for vfree() and vunmap() alike. */
static const struct vm_sites sites_6_1 = {
	.get_vm_area_bug = 2554, .alloc_vmap_sleep = 1673, .remove_vm_area_sleep = 2663, .vfree_sleep = 2858,
	.vunmap_bug = 2878, .vunmap_sleep = 2879, .vmap_sleep = 2907,
	.remove_vm_area_warn = 2752, .vfree_warn = 2758, .vunmap_warn = 2758,
};
static const struct vm_sites sites_6_13 = {
	.get_vm_area_bug = 3118, .alloc_vmap_sleep = 1972, .remove_vm_area_sleep = 3229, .vfree_sleep = 3359,
	.vunmap_bug = 3406, .vunmap_sleep = 3407, .vmap_sleep = 3443,
	.remove_vm_area_warn = 3231, .vfree_warn = 3366, .vunmap_warn = 3413,
};
static const struct vm_sites sites_2_6_32 = {
	.get_vm_area_bug = 1175, .vfree_bug = 1412, .vunmap_bug = 1430, .vunmap_sleep = 1431, .vmap_sleep = 1451,
};

static const struct vm_sites *sites(const struct machine *m)
{
	return m->kp->kv == KV_6_13 ? &sites_6_13 : m->kp->kv == KV_6_1 ? &sites_6_1 : &sites_2_6_32;
}
#define VMALLOC_C "mm/vmalloc.c"

/*
 * sizeof(struct vmap_area).  2.6.32: va_start, va_end, flags, rb_node,
 * list, purge_list, private, rcu_head = 13 longs/pointers, 52 bytes on
 * i386 and 104 on x86_64, kmalloc'ed (size-64 / size-128).  6.13:
 * va_start, va_end, rb_node, list, the subtree_max_size/vm union, flags =
 * 9 longs, 36 and 72 bytes (the 6.1 captures show 32 and 64: flags came in
 * 6.3), from its own cache.
 */
static unsigned vmap_area_size(const struct machine *m)
{
	unsigned longs = m->kp->kv == KV_6_13 ? 9 : m->kp->kv == KV_6_1 ? 8 : 13;
	return longs * (m->arch->bits / 8);
}

/* an object of vmap_area_cachep (6.13), 0 when there is none */
uint64_t vmap_va_obj_alloc(struct machine *m, struct vmap_state *v, gfp_t gfp)
{
	uint64_t obj = 0;
	if (v->va_cache >= 0 && slab_cache_alloc(m, v->va_cache, gfp, &obj))
		obj = 0;
	return obj;
}

void vmap_va_obj_free(struct machine *m, struct vmap_area *va)
{
	struct vmap_state *v = m->vmap;
	if (!va->obj)
		return;
	if (v && v->va_cache >= 0 && is_613(m))
		slab_cache_free(m, v->va_cache, va->obj);
	else
		slab_kfree(m, va->obj);
	va->obj = 0;
}

unsigned vmap_va_cpu(const struct machine *m, const struct vmap_state *v)
{
	unsigned cpu = machine_this_cpu(m);
	return cpu < v->npreload ? cpu : 0;
}

static struct vmap_state *state(struct machine *m)
{
	if (!m->vmap) {
		struct vmap_state *v = calloc(1, sizeof *v);
		if (!v)
			return NULL;
		list_init(&v->free_list);
		v->ulong_max = m->arch->bits == 64 ? UINT64_MAX : 0xffffffffull;
		v->va_cache = -1;
		v->node = -1;
		v->nodes = &v->single;
		v->nr_nodes = 1;
		v->zone_size = 1;
		vmap_node_init(&v->single);
		m->vmap = v;
		if (is_613(m)) {
			/* vmalloc_init(): vmap_area_cachep; vmap_init_free_space():
			 * [1, ULONG_MAX] with no early areas, one object (GFP_NOWAIT).
			 * Boot calls it (vmap_init()); with --from the first use
			 * of the vmap allocator does. */
			struct vmap_area *f = calloc(1, sizeof *f);
			v->npreload = m->ncpus ? m->ncpus : 1;
			v->preload = calloc(v->npreload, sizeof *v->preload);
			if (!f || !v->preload) {
				free(f);
				free(v->preload);
				free(v);
				m->vmap = NULL;
				return NULL;
			}
			if (m->slab && slab_cache_create(m, "vmap_area", vmap_area_size(m), m->arch->bits / 8, 0,
							 &v->va_cache))
				v->va_cache = -1;
			if (vmap_init_nodes(m, v)) {
				if (v->va_cache >= 0)
					slab_cache_destroy(m, v->va_cache);
				free(f);
				free(v->preload);
				free(v);
				m->vmap = NULL;
				return NULL;
			}
			f->obj = vmap_va_obj_alloc(m, v, vmap_gfp_named(m, "GFP_NOWAIT"));
			if (v->va_cache >= 0 && !f->obj) {
				/* the kernel does this at boot, where it cannot
				 * fail; here memory may be short: no vmap state yet */
				slab_cache_destroy(m, v->va_cache);
				if (v->nodes_obj)
					slab_kfree(m, v->nodes_obj);
				if (v->nodes != &v->single)
					free(v->nodes);
				free(f);
				free(v->preload);
				free(v);
				m->vmap = NULL;
				model_err(m, "no memory for the first vmap_area object: the vmap "
					 "allocator cannot start");
				return NULL;
			}
			f->va_start = 1;
			f->va_end = v->ulong_max;
			f->subtree_max_size = va_size(f);
			rb_link_node(&f->rb_node, NULL, &v->free_root.rb_node);
			rb_insert_color(&f->rb_node, &v->free_root);
			list_add_after(&f->list, &v->free_list);
			if (m->kp->vmap_nodes)  /* 6.9+: 6.1 has no vmap nodes and no shrinker */
				vmap_node_shrinker_register(m, v);
		}
	}
	return m->vmap;
}

static void free_vm(struct vm_struct *vm)
{
	if (vm) {
		free(vm->pages);
		free(vm);
	}
}

static void free_list_all(struct list_head *h)
{
	while (h->next != h) {
		struct vmap_area *va = list_entry(h->next, struct vmap_area, list);
		list_del(&va->list);
		free_vm(va->vm);
		free(va);
	}
}

/* 6.13 mm_core_init() -> vmalloc_init(), after kmem_cache_init(): the
 * vmap_area cache and the free tree's first block exist from boot (the
 * real 6.1 captures list vmap_area in /proc/slabinfo right after boot).
 * 2.6.32's vmalloc_init() creates no cache: its vmap_areas are kmalloc'ed
 * when the first area is made, so nothing happens here. */
int vmap_init(struct machine *m)
{
	if (!is_613(m) || !m->slab)
		return 0;
	return state(m) ? 0 : -ENOMEM;
}

void vmap_destroy(struct machine *m)
{
	struct vmap_state *v = m->vmap;
	if (!v)
		return;
	shrinker_free(m, &v->shrinker);
	free_list_all(&v->free_list);
	for (unsigned n = 0; n < v->nr_nodes; n++) {
		struct vmap_node *vn = &v->nodes[n];
		free_list_all(&vn->busy_list);
		free_list_all(&vn->lazy_list);
		free_list_all(&vn->purge_list);
		for (int i = 0; i < MAX_VA_SIZE_PAGES; i++)
			free_list_all(&vn->pool[i].head);
	}
	if (v->nodes != &v->single)
		free(v->nodes);
	free(v->preload);
	free(v->deferred);
	free(v);
	m->vmap = NULL;
}

void vmap_log_change(struct machine *m, enum change_kind kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       int mt)
{
	struct change ch = { .kind = kind, .addr = a, .val = b, .pfn = c, .pfn2 = d, .mt = (uint8_t)mt };
	changelog_add(m, &ch);
}

/* ---- the area API --------------------------------------------------------------- */

/* sizeof(struct vm_struct) of the modelled kernel (its kmalloc size) */
static size_t vm_struct_size(const struct machine *m)
{
	if (m->arch->bits == 64)
		return 64;
	if (m->kp->kv == KV_6_13 && m->arch->pae)
		return 48;      /* page_order (HAVE_ARCH_HUGE_VMALLOC) and a 64-bit phys_addr */
	if (m->kp->kv == KV_6_1 && m->arch->pae)
		return 36;      /* a 64-bit phys_addr; 6.1 selects HAVE_ARCH_HUGE_VMALLOC on X86_64 only */
	return 32;
}

static struct vmap_area *find_in_tree(const struct rb_root *root, uint64_t addr)
{
	struct rb_node *n = root->rb_node;
	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);
		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* find_vmap_area(): the busy area holding addr, looked for in addr's node
 * first, then in the next ones (an area lives in the node of its start,
 * and may span the zones of others) */
static struct vmap_area *find_busy(const struct vmap_state *v, uint64_t addr)
{
	if (!v)
		return NULL;
	unsigned i = addr_to_node_id(v, addr), j = i;
	do {
		struct vmap_area *va = find_in_tree(&v->nodes[i].busy_root, addr);
		if (va)
			return va;
	} while ((i = (i + 1) % v->nr_nodes) != j);
	return NULL;
}

struct vm_struct *vmap_find_area(const struct machine *m, uint64_t addr)
{
	struct vmap_area *va = find_busy(m->vmap, addr);
	return va && !va->lazy ? va->vm : NULL;
}

/*
 * The area vfree()/vunmap() of addr takes away.  6.13 remove_vm_area()
 * looks a page-aligned address up with find_unlink_vmap_area(), whose
 * __find_vmap_area() finds the busy area that contains it (va_start <=
 * addr < va_end, the guard page included), so any page of a live area
 * frees the whole area; 2.6.32's __find_vmap_area() matches va_start only.
 */
uint64_t vmap_free_target(const struct machine *m, uint64_t addr)
{
	if (!is_613(m) || (addr & (PAGE_SIZE - 1)))
		return addr;
	struct vmap_area *va = find_busy(m->vmap, addr);
	return va && !va->lazy && va->vm ? va->va_start : addr;
}

gfp_t vmap_gfp_named(const struct machine *m, const char *name)
{
	gfp_t g = 0;
	gfp_parse(m->kp, name, &g, NULL);
	return g;
}

/* __get_vm_area_node() with the caller's gfp (vmalloc passes its own; vmap
 * and ioremap GFP_KERNEL): the vm_struct's kzalloc_node() gets
 * gfp & GFP_RECLAIM_MASK */
static int get_vm_area_gfp(struct machine *m, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend,
			   unsigned long vm_flags, const char *caller, gfp_t gfp, struct vm_struct **out);

int vmap_area_alloc(struct machine *m, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend,
		    unsigned long vm_flags, const char *caller, struct vm_struct **out)
{
	return get_vm_area_gfp(m, size, align, vstart, vend, vm_flags, caller, vmap_gfp_named(m, "GFP_KERNEL"), out);
}

static int get_vm_area_gfp(struct machine *m, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend,
			   unsigned long vm_flags, const char *caller, gfp_t gfp, struct vm_struct **out)
{
	/* __get_vm_area_node(): BUG_ON(in_interrupt()) before anything */
	if (context_bug_on_interrupt(m, "__get_vm_area_node", VMALLOC_C, sites(m)->get_vm_area_bug))
		return -EPERM;
	struct vmap_state *v = state(m);
	if (!v)
		return -ENOMEM;
	if (!vstart && !vend) {
		vstart = m->layout.vmalloc_start;
		vend = m->layout.vmalloc_end;
	}
	if (!align)
		align = PAGE_SIZE;
	if (!is_613(m))
		vm_flags &= ~VM_NO_GUARD;       /* "We always allocate a guard page" */
	size = align_up(size, PAGE_SIZE);
	if (!size || (align & (align - 1)) || size < PAGE_SIZE) {
		model_err(m, "vmap area of size 0 or bad alignment %#llx",
			 (unsigned long long)align);
		return -EINVAL;
	}
	if (vm_flags & VM_IOREMAP) {
		/* 6.13: 1 << clamp(get_count_order_long(size), PAGE_SHIFT, IOREMAP_MAX_ORDER);
		 * 2.6.32: 1 << clamp(fls(size), ...) */
		unsigned order = is_613(m) ? kmemsh_fls64(size - 1) : kmemsh_fls64(size);
		unsigned max = m->arch->bits == 64 ? 30 : (m->arch->pae ? 21 : 22);
		if (!is_613(m))
			max = 7 + 12;
		if (order < 12)
			order = 12;
		if (order > max)
			order = max;
		align = 1ull << order;
	}
	/* the vm_struct comes from kmalloc (kzalloc_node) */
	uint64_t obj = 0;
	/* mm/internal.h GFP_RECLAIM_MASK */
	gfp_t reclaim = gfp & vmap_gfp_named(m, is_613(m) ? "__GFP_RECLAIM|__GFP_HIGH|__GFP_IO|__GFP_FS|__GFP_NOWARN|"
					"__GFP_RETRY_MAYFAIL|__GFP_NOFAIL|__GFP_NORETRY|__GFP_MEMALLOC|__GFP_NOMEMALLOC" :
					"__GFP_WAIT|__GFP_HIGH|__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_REPEAT|__GFP_NOFAIL|"
					"__GFP_NORETRY|__GFP_NOMEMALLOC");
	slab_kmalloc(m, vm_struct_size(m), reclaim, &obj);
	if (!obj) {
		model_err(m, "vmalloc error: size %llu, vm_struct allocation failed",
			 (unsigned long long)size);
		return -ENOMEM;
	}
	uint64_t real = size + ((vm_flags & VM_NO_GUARD) ? 0 : PAGE_SIZE);
	uint64_t vaobj = 0;
	if (is_613(m) && CONTEXT_MAYBE_ATOMIC(m))
		context_might_sleep(m, VMALLOC_C, sites(m)->alloc_vmap_sleep);  /* alloc_vmap_area() */
	/* 6.13 alloc_vmap_area(): node_alloc() first: an area of this size
	 * from this CPU's node pool comes with its own vmap_area */
	unsigned vn_id = 0;
	struct vmap_area *pooled = is_613(m) ? node_alloc(m, v, real, align, vstart, vend, &vn_id) : NULL;
	if (pooled) {
		vaobj = pooled->obj;
	} else if (!is_613(m)) {
		slab_kmalloc(m, vmap_area_size(m), reclaim, &vaobj);   /* kmalloc_node(sizeof(struct vmap_area)) */
	} else {
		/* alloc_vmap_area(): kmem_cache_alloc_node(vmap_area_cachep), then
		 * preload_this_cpu_lock() fills this CPU's ne_fit_preload_node */
		vaobj = vmap_va_obj_alloc(m, v, reclaim);
	}
	if (!pooled && !vaobj && (!is_613(m) || v->va_cache >= 0)) {
		/* alloc_vmap_area(): "if (unlikely(!va)) return ERR_PTR(-ENOMEM)";
		 * __get_vm_area_node() kfree()s the vm_struct and returns NULL */
		slab_kfree(m, obj);
		model_err(m, "vmalloc error: size %llu, vm_struct allocation failed (no memory "
			 "for the struct vmap_area)", (unsigned long long)size);
		return -ENOMEM;
	}
	uint64_t addr = pooled ? pooled->va_start : vend;
	for (int purged = 0; addr == vend; purged++) {
		if (is_613(m)) {
			/* preload_this_cpu_lock(), then __alloc_vmap_area() */
			if (v->va_cache >= 0) {
				unsigned cpu = vmap_va_cpu(m, v);
				if (!v->preload[cpu])
					v->preload[cpu] = vmap_va_obj_alloc(m, v, reclaim);
			}
			addr = vmap_alloc_613(m, v, real, align, vstart, vend);
		} else {
			addr = vmap_alloc_2632(v, real, align, vstart, vend);
		}
		if (addr != vend || purged)
			break;
		/* 6.13 reclaim_and_purge_vmap_areas(): a full pool decay, then
		 * the retry; 2.6.32 retries only when something was purged */
		if (is_613(m))
			vmap_purge_613(m, v, true, VMAP_PURGER_ALLOC);
		else if (!vmap_purge_lazy(m))
			break;
	}
	if (addr == vend) {
		if (is_613(m))
			dmesg_printf(m, "vmalloc_node_range for size %llu failed: Address range restricted to %#llx - %#llx",
				     (unsigned long long)real, (unsigned long long)vstart, (unsigned long long)vend);
		else
			dmesg_printf(m, "vmap allocation for size %llu failed: use vmalloc=<size> to increase size.",
				     (unsigned long long)real);
		slab_kfree(m, obj);
		struct vmap_area tmp = { .obj = vaobj };
		vmap_va_obj_free(m, &tmp);
		model_err(m, "no free vmap space of %llu bytes in [%#llx, %#llx)",
			 (unsigned long long)real, (unsigned long long)vstart, (unsigned long long)vend);
		return -ENOMEM;
	}
	struct vmap_area *va = pooled ? pooled : calloc(1, sizeof *va);
	struct vm_struct *vm = calloc(1, sizeof *vm);
	if (!va || !vm) {
		if (!pooled)
			free(va);
		free(vm);
		return -ENOMEM;
	}
	va->va_start = addr;
	va->va_end = addr + real;
	va->vm = vm;
	va->obj = vaobj;
	va->vn_id = vn_id;
	vm->addr = addr;
	vm->size = real;
	vm->flags = vm_flags;
	vm->struct_addr = obj;
	snprintf(vm->caller, sizeof vm->caller, "%s", caller ? caller : "");
	struct vmap_node *vn = addr_to_node(v, va->va_start);
	insert_vmap_area(va, &vn->busy_root, &vn->busy_list);
	vmap_log_change(m, CH_VMAP_INSERT, va->va_start, va->va_end, vmap_node_id(v, vn), v->nr_nodes, 0);
	*out = vm;
	return 0;
}

/* vunmap_range_noflush(): clear every present entry of the range, a huge
 * ioremap leaf whole (pmd_clear_huge()/pud_clear_huge()) */
static void vunmap_range_noflush(struct machine *m, uint64_t start, uint64_t end)
{
	pgtable_vunmap_range(m, start, end);
}

/* remove_vm_area(): unmap, unlink from the busy tree, lazy list */
static struct vm_struct *remove_vm_area(struct machine *m, uint64_t addr)
{
	struct vmap_state *v = m->vmap;
	struct vmap_area *va = find_busy(v, addr);
	if (is_613(m) && CONTEXT_MAYBE_ATOMIC(m))
		context_might_sleep(m, VMALLOC_C, sites(m)->remove_vm_area_sleep);
	if (!va || va->lazy || va->va_start != addr)
		return NULL;
	struct vm_struct *vm = va->vm;
	vunmap_range_noflush(m, va->va_start, va->va_end);
	va->vm = NULL;
	v->lazy_nr += va_size(va) / PAGE_SIZE;
	if (is_613(m)) {
		/* free_vmap_area_noflush(): the lazy tree of the node the area
		 * was allocated for, else of the node of its address */
		unlink_va(va, &addr_to_node(v, va->va_start)->busy_root, false);
		unsigned id = decode_vn_id(v, va->vn_id);
		struct vmap_node *vn = id < v->nr_nodes ? &v->nodes[id] : addr_to_node(v, va->va_start);
		insert_vmap_area(va, &vn->lazy_root, &vn->lazy_list);
	} else {
		va->lazy = true;
	}
	vmap_log_change(m, CH_VMAP_LAZY, va->va_start, va->va_end, v->lazy_nr, vmap_lazy_max_pages(m), 0);
	return vm;
}

static void maybe_purge(struct machine *m)
{
	if (m->vmap && m->vmap->lazy_nr > vmap_lazy_max_pages(m))
		vmap_purge_drain(m);
}

int vmap_area_free(struct machine *m, uint64_t addr)
{
	struct vm_struct *vm = remove_vm_area(m, addr);
	if (!vm) {
		model_err(m, "no vmap area starts at %#llx", (unsigned long long)addr);
		return -EINVAL;
	}
	slab_kfree(m, vm->struct_addr);
	free_vm(vm);
	maybe_purge(m);
	return 0;
}

/* ---- vmalloc -------------------------------------------------------------------- */

static uint64_t page_prot(const struct machine *m)
{
	(void)m;
	return PAGE_KERNEL;     /* pgtable_mk_pte() drops NX where the profile has none */
}

static int map_pages(struct machine *m, struct vm_struct *vm, const uint64_t *pfns, unsigned n, uint64_t prot)
{
	for (unsigned i = 0; i < n; i++) {
		int r = pgtable_set_pte(m, vm->addr + (uint64_t)i * PAGE_SIZE, pgtable_mk_pte(m, pfns[i], prot));
		if (r)
			return r;
		vm->nr_mapped = i + 1;
	}
	return 0;
}

/*
 * WARN() as the kernel prints it (6.13 lib/bug.c __warn(), 2.6.32
 * kernel/panic.c warn_slowpath_common()): the message comes before the
 * WARNING line in 6.13 and after it in 2.6.32; the task is tainted W after
 * the report.  line is the WARN's line in mm/vmalloc.c (vm_sites); 0 where
 * it is not known, and then the report names the file alone.  %p prints
 * the raw pointer, zero-padded to 2 * sizeof(void *) digits (the captures
 * boot with no_hash_pointers).  msg NULL: a WARN_ON() / WARN_ON_ONCE(),
 * which has no message.
 */
void vmap_warn(struct machine *m, const char *fn, int line, const char *msg)
{
	char at[32] = VMALLOC_C;
	if (line > 0)
		snprintf(at, sizeof at, "%s:%d", VMALLOC_C, line);
	dmesg_printf(m, "------------[ cut here ]------------");
	if (m->kp->kv == KV_2_6_32) {
		dmesg_printf(m, "WARNING: at %s %s+0x0/0x0()", at, fn);
		if (msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "Modules linked in:");
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
	} else {
		if (msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "WARNING: CPU: %u PID: 1 at %s %s+0x0/0x0", machine_this_cpu(m), at, fn);
		dmesg_printf(m, "Modules linked in:");
		machine_dump_stack_info(m, machine_this_cpu(m));
	}
	dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
	m->taint |= 1ul << TAINT_WARN;
}

/*
 * vfree()/vunmap() of an address that starts no live area.  2.6.32
 * __vunmap(): WARN "Trying to vfree() bad address" for an unaligned one,
 * else WARN "Trying to vfree() nonexistent vm area" (vfree() and vunmap()
 * share __vunmap(), so both say vfree()).  6.13: remove_vm_area() WARNs
 * "Trying to vfree() bad address" and returns NULL, then vfree()/vunmap()
 * WARN "Trying to %s() nonexistent vm area" as well.
 */
static int warn_bad_vunmap(struct machine *m, uint64_t addr, const char *who)
{
	char msg[96], ptr[20];
	if (m->arch->bits == 64)
		snprintf(ptr, sizeof ptr, "%016llx", (unsigned long long)addr);
	else
		snprintf(ptr, sizeof ptr, "%08llx", (unsigned long long)(addr & 0xffffffffu));
	/* 2.6.32 and 6.1: __vunmap() WARNs (for vfree and vunmap alike) and
	 * returns on a bad address; 6.13 WARNs in remove_vm_area() */
	bool old = m->kp->kv != KV_6_13;
	const char *fn = old ? "__vunmap" : who;
	if (addr & (PAGE_SIZE - 1)) {
		snprintf(msg, sizeof msg, "Trying to vfree() bad address (%s)", ptr);
		vmap_warn(m, old ? fn : "remove_vm_area", sites(m)->remove_vm_area_warn, msg);   /* 6.1: __vunmap's */
		model_err(m, "%#llx is not page-aligned: \"Trying to vfree() bad address\" "
			 "WARN, nothing freed", (unsigned long long)addr);
		if (old)
			return -EINVAL;
	}
	snprintf(msg, sizeof msg, "Trying to %s() nonexistent vm area (%s)", old ? "vfree" : who, ptr);
	vmap_warn(m, fn, m->kp->kv == KV_2_6_32 ? 0 : !strcmp(who, "vunmap") ? sites(m)->vunmap_warn : sites(m)->vfree_warn,
		msg);
	if (!(addr & (PAGE_SIZE - 1)))
		model_err(m, "no vmap area %s %#llx: \"Trying to %s() nonexistent vm "
			 "area\" WARN, nothing freed", m->kp->kv == KV_2_6_32 ? _("starts at") : _("holds"),
			 (unsigned long long)addr,
			 old ? "vfree" : who);
	return -EINVAL;
}

/* __vunmap(addr, deallocate_pages) */
static int vunmap_common(struct machine *m, uint64_t addr, bool pages, const char *who)
{
	struct vmap_area *va = find_busy(m->vmap, addr);
	if (addr & (PAGE_SIZE - 1) || !va || va->lazy || va->va_start != addr)
		return warn_bad_vunmap(m, addr, who);
	struct vm_struct *vm = remove_vm_area(m, addr);
	unsigned refused = 0, nr_pages = vm->nr_pages;
	uint64_t refused_pfn = 0;
	char why[sizeof m->err];
	why[0] = '\0';
	if (pages && vm->pages) {
		/* __vunmap(): __free_pages() of each page; one the page allocator
		 * refuses (a bad page state in the kernel) stays allocated, and
		 * the caller hears of it */
		for (unsigned i = 0; i < vm->nr_pages; i++)
			if (vm->pages[i] != UINT64_MAX && buddy_free_pages(m, vm->pages[i], 0)) {
				if (!refused++) {
					refused_pfn = vm->pages[i];
					snprintf(why, sizeof why, "%s", m->err);
				}
			}
		if (vm->flags & VM_ALLOC)
			m->vmap->nr_vmalloc_pages -= vm->nr_pages;
		if (vm->pages_addr) {
			if (vm->flags & VM_VPAGES)
				vunmap_common(m, vm->pages_addr, true, "vfree");
			else
				slab_kfree(m, vm->pages_addr);
		}
	}
	/* vunmap() of a vmalloc'ed area: the pages and the page array leak
	 * and nr_vmalloc_pages keeps them (only vfree() subtracts) */
	if (!pages && (vm->flags & VM_ALLOC))
		m->vmap->vunmapped_vmalloc_pages += vm->nr_pages;
	slab_kfree(m, vm->struct_addr);
	free_vm(vm);
	maybe_purge(m);
	if (refused) {
		model_err(m, "%s: the page allocator refused %u of the area's %u pages, which stay allocated "
			  "(pfn %#llx: %s)", who, refused, nr_pages, (unsigned long long)refused_pfn, why);
		return -EUCLEAN;
	}
	return 0;
}

/* the checks of __vunmap()/vfree() that come before the work, so that a
 * refused call changes nothing */
static int vunmap_precheck(struct machine *m, uint64_t addr, const char *who)
{
	struct vmap_area *va = find_busy(m->vmap, addr);
	if (addr & (PAGE_SIZE - 1) || !va || va->lazy || va->va_start != addr)
		return warn_bad_vunmap(m, addr, who);
	/* The kernel's vfree()/vunmap() would take an ioremap area too,
	 * leaving its memtype reserved and a later iounmap() to WARN; the
	 * model's ioremap layer keeps its own record of the mapping, which
	 * this layer cannot drop, so the call is refused. */
	if (va->vm && (va->vm->flags & VM_IOREMAP)) {
		model_err(m, "%#llx is an ioremap() mapping: %s() would unmap it behind "
			 "ioremap's back (the kernel does, and leaks its memtype); use iounmap()",
			 (unsigned long long)addr, who);
		return -EINVAL;
	}
	return 0;
}

/*
 * 6.13 vfree_atomic(): llist_add() to this CPU's vfree_deferred and
 * schedule_work(); delayed_vfree_work() calls vfree() for each later, in
 * process context.  The kernel does not look at the address until then;
 * the model checks it now (a bad or twice-queued address is refused with
 * the message vfree() would give) so that the queue only holds areas it
 * can free.
 */
static int vfree_atomic_area(struct machine *m, uint64_t addr)
{
	struct vmap_state *v = m->vmap;
	if (!addr)
		return 0;
	int e = vunmap_precheck(m, addr, "vfree");
	if (e)
		return e;
	for (unsigned i = 0; i < v->ndeferred; i++) {
		if (v->deferred[i] == addr) {
			model_err(m, "%#llx is already queued by vfree_atomic(): a second llist_add() "
				 "of the same node would corrupt the list", (unsigned long long)addr);
			return -EINVAL;
		}
	}
	if (v->ndeferred == v->deferred_cap) {
		unsigned cap = v->deferred_cap ? 2 * v->deferred_cap : 8;
		uint64_t *n = realloc(v->deferred, cap * sizeof *n);
		if (!n) {
			model_err(m, "out of host memory");
			return -ENOMEM;
		}
		v->deferred = n;
		v->deferred_cap = cap;
	}
	v->deferred[v->ndeferred++] = addr;
	struct vmap_area *va = find_busy(v, addr);
	/* llist_add() returns true for the first node: only then schedule_work() */
	vmap_log_change(m, CH_VFREE_DEFER, va->va_start, va->va_end, v->ndeferred, 0, v->ndeferred == 1);
	return 0;
}

unsigned vmap_deferred_count(const struct machine *m)
{
	return m->vmap ? m->vmap->ndeferred : 0;
}

bool vmap_is_deferred(const struct machine *m, uint64_t addr)
{
	for (unsigned i = 0; i < vmap_deferred_count(m); i++)
		if (m->vmap->deferred[i] == addr)
			return true;
	return false;
}

/* delayed_vfree_work(): llist_del_all(), then vfree() of each node.  The
 * llist is LIFO: llist_del_all() hands the nodes back newest first. */
int vmap_run_deferred(struct machine *m)
{
	struct vmap_state *v = m->vmap;
	int n = 0;
	/* the work runs in a kworker, another task: the RCU read-side
	 * section this task may be in is not its own */
	int rcu = m->ctx.rcu_depth;
	m->ctx.rcu_depth = 0;
	while (v && v->ndeferred) {
		uint64_t addr = v->deferred[--v->ndeferred];
		vmap_log_change(m, CH_VFREE_WORK, addr, 0, 0, 0, 0);
		if (!vfree_area(m, addr))
			n++;
	}
	m->ctx.rcu_depth = rcu;
	return n;
}

int vfree_area(struct machine *m, uint64_t addr)
{
	const struct vm_sites *st = sites(m);
	m->err[0] = '\0';
	addr = vmap_free_target(m, addr);
	if (is_613(m)) {
		/* vfree_atomic() takes nothing from the vmap allocator: with no
		 * vmap state yet there is no area to queue (and vfree(NULL)
		 * must not make the state, which takes slab memory) */
		if (context_in_interrupt(m))
			return vfree_atomic_area(m, addr);
		if (CONTEXT_MAYBE_ATOMIC(m))
			context_might_sleep(m, VMALLOC_C, st->vfree_sleep);
	} else if (context_bug_on_interrupt(m, "vfree", VMALLOC_C, st->vfree_bug)) {
		return -EPERM;
	}
	if (!addr)
		return 0;
	if (is_613(m) && vmap_is_deferred(m, addr)) {
		model_err(m, "%#llx is queued by vfree_atomic() and not freed yet: vfree() now would "
			 "free it twice", (unsigned long long)addr);
		return -EINVAL;
	}
	int e = vunmap_precheck(m, addr, "vfree");
	if (e)
		return e;
	return vunmap_common(m, addr, true, "vfree");
}

int vunmap_area(struct machine *m, uint64_t addr)
{
	const struct vm_sites *st = sites(m);
	m->err[0] = '\0';
	addr = vmap_free_target(m, addr);
	if (context_bug_on_interrupt(m, "vunmap", VMALLOC_C, st->vunmap_bug))
		return -EPERM;
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_sleep(m, VMALLOC_C, st->vunmap_sleep);
	if (!addr)
		return 0;
	int e = vunmap_precheck(m, addr, "vunmap");
	if (e)
		return e;
	return vunmap_common(m, addr, false, "vunmap");
}

#define VMALLOC_PAGE_SHIFT 12
#define VMALLOC_PMD_SHIFT 21          /* x86_64 PMD_SHIFT */


/*
 * The page shift __vmalloc_node_range_noprof() (6.13 mm/vmalloc.c) tries
 * first: with vmap_allow_huge (CONFIG_HAVE_ARCH_HUGE_VMALLOC, which x86
 * selects "if X86_64"; "nohugevmalloc" clears it) and VM_ALLOW_HUGE_VMAP
 * (kvmalloc's fallback), size_per_node = size, divided by
 * num_online_nodes() for NUMA_NO_NODE; arch_vmap_pmd_supported() (PSE)
 * and size_per_node >= PMD_SIZE give PMD_SHIFT, else
 * arch_vmap_pte_supported_shift() = PAGE_SHIFT on x86.  6.1 is the same.
 */
static unsigned vmalloc_huge_shift(const struct machine *m, uint64_t size, unsigned long vm_flags)
{
	if (!is_613(m) || m->arch->bits != 64 || !(vm_flags & VM_ALLOW_HUGE_VMAP) || !m->pt ||
	    machine_cmdline_word(m, "nohugevmalloc"))
		return VMALLOC_PAGE_SHIFT;
	uint64_t per_node = size;
	if (m->vmap->node < 0 && m->nr_nodes > 1)
		per_node /= m->nr_nodes;
	return per_node >= (1ull << VMALLOC_PMD_SHIFT) ? VMALLOC_PMD_SHIFT : VMALLOC_PAGE_SHIFT;
}

/*
 * vmap_pages_range_noflush() of a huge area: __vmap_pages_range_noflush()
 * maps each 1 << page_shift piece with vmap_range_noflush(), whose
 * vmap_try_huge_pmd() makes the pmd one leaf (pmd_set_huge(): PAGE_KERNEL,
 * which has no PAT bit to move, | _PAGE_PSE), after pmd_free_pte_page()
 * where an earlier area left an empty pte table; when that table cannot
 * go, the piece is mapped with ptes (vmap_pte_range()).
 */
static int map_pages_huge(struct machine *m, struct vm_struct *vm, unsigned nr, uint64_t prot)
{
	unsigned pmd = m->pt->g.levels - 2, per = 1u << (VMALLOC_PMD_SHIFT - VMALLOC_PAGE_SHIFT);
	for (unsigned i = 0; i < nr; i += per) {
		uint64_t a = vm->addr + (uint64_t)i * PAGE_SIZE;
		uint64_t e = pgtable_entry_at(m, a, pmd);
		bool huge = !(e & _PAGE_PRESENT) || pgtable_entry_is_leaf(m, pmd, e) ||
			    pgtable_pmd_free_pte_page(m, a, pmd);
		int r;
		if (huge) {
			r = pgtable_set_entry(m, a, pmd, pgtable_mk_pte(m, vm->pages[i], prot | _PAGE_PSE));
		} else {
			r = 0;
			for (unsigned k = 0; !r && k < per; k++)
				r = pgtable_set_pte(m, a + (uint64_t)k * PAGE_SIZE,
						    pgtable_mk_pte(m, vm->pages[i + k], prot));
		}
		if (r)
			return r;
		vm->nr_mapped = i + per;
	}
	return 0;
}

/* is_vm_area_hugepages() (alloc_large_system_hash()'s "vmalloc hugepage") */
bool vmalloc_area_is_huge(struct machine *m, uint64_t addr)
{
	const struct vm_struct *vm = vmap_find_area(m, addr);
	return vm && vm->addr == addr && vm->page_order > 0;
}

int vmalloc_node_range(struct machine *m, uint64_t size, uint64_t align, uint64_t start, uint64_t end, gfp_t gfp,
		       uint64_t prot, unsigned long vm_flags, const char *caller, uint64_t *addr)
{
	const struct kernel_profile *kp = m->kp;
	uint64_t real = align_up(size, PAGE_SIZE);
	struct vm_struct *vm;
	int r;
	const gfp_t real_gfp = gfp;
	const uint64_t real_size = real, real_align = align;
	unsigned shift = VMALLOC_PAGE_SHIFT;

	*addr = 0;
	if (!size || (real >> 12) > m->totalram_pages) {
		if (size && is_613(m))  /* warn_alloc(); 2.6.32 returns NULL silently */
			dmesg_printf(m, "vmalloc error: size %llu, exceeds total pages", (unsigned long long)real);
		model_err(m, "%s", size ? _("size exceeds total pages") : _("size 0"));
		return -EINVAL;
	}
	shift = vmalloc_huge_shift(m, real, vm_flags);
again:
	gfp = real_gfp;
	if (shift != VMALLOC_PAGE_SHIFT) {
		/* align = max(real_align, 1UL << shift); __get_vm_area_node()
		 * rounds the area to ALIGN(size, 1ul << shift) */
		uint64_t hs = 1ull << shift;
		align = align > hs ? align : hs;
		real = align_up(real, hs);
	}
	r = get_vm_area_gfp(m, real, align, start, end, VM_ALLOC | vm_flags, caller, gfp, &vm);
	if (r)
		return r;
	/* __vmalloc_area_node(): set_vm_area_page_order() */
	vm->page_order = shift - VMALLOC_PAGE_SHIFT;
	unsigned nr = (unsigned)(get_vm_area_size(vm) >> 12);
	unsigned psize = m->arch->bits / 8;
	uint64_t array = (uint64_t)nr * psize;
	gfp_t nested = (gfp & ~(kp->gfp_highmem | kp->gfp_dma | kp->gfp_dma32 | kp->gfp_movable)) | kp->gfp_zero;
	if (is_613(m) && !(gfp & (kp->gfp_dma | kp->gfp_dma32)))
		gfp |= kp->gfp_highmem;
	vm->highmem = (gfp & kp->gfp_highmem) != 0;
	vm->pages = calloc(nr, sizeof *vm->pages);
	if (!vm->pages) {
		vunmap_common(m, vm->addr, true, "vfree");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nr; i++)
		vm->pages[i] = UINT64_MAX;
	vm->zero = (gfp & kp->gfp_zero) != 0;
	if (array > PAGE_SIZE) {
		uint64_t pa = 0;
		r = vmalloc_node_range(m, array, 1, m->layout.vmalloc_start, m->layout.vmalloc_end, nested, prot, 0,
				       caller, &pa);
		if (!r) {
			vm->pages_addr = pa;
			vm->flags |= VM_VPAGES;
		}
	} else {
		slab_kmalloc(m, (size_t)array, nested, &vm->pages_addr);
	}
	if (!vm->pages_addr) {
		dmesg_printf(m, "vmalloc error: size %llu, failed to allocated page array size %llu",
			     (unsigned long long)real, (unsigned long long)array);
		vunmap_common(m, vm->addr, true, "vfree");
		model_err(m, "vmalloc: the pages array could not be allocated");
		return -ENOMEM;
	}
	/* vm_area_alloc_pages(): one page at a time; nr_pages counts what
	 * was allocated, and nr_vmalloc_pages grows by it before the check,
	 * so that vfree() of a short area gives back exactly those */
	gfp_t pgfp = is_613(m) ? gfp | kp->gfp_nowarn : gfp;
	unsigned got = 0;
	if (shift != VMALLOC_PAGE_SHIFT) {
		/* (page_order ? gfp_mask & ~__GFP_NOFAIL : gfp_mask) | __GFP_NOWARN;
		 * vm_area_alloc_pages(): alloc_pages(_node)() of page_order
		 * blocks, each split_page()d, "tracking is done per PAGE_SIZE
		 * page" in pages[] */
		pgfp &= ~vmap_gfp_named(m, "__GFP_NOFAIL");
		unsigned order = shift - VMALLOC_PAGE_SHIFT;
		while (got < nr) {
			uint64_t pfn;
			/* NUMA_NO_NODE: alloc_pages(), the task's memory policy */
			if (m->vmap->node < 0 ? buddy_alloc_pages(m, pgfp, order, &pfn)
					      : buddy_alloc_pages_node(m, m->vmap->node, pgfp, order, &pfn))
				break;
			buddy_split_page(m, pfn);
			for (unsigned k = 0; k < 1u << order; k++)
				vm->pages[got + k] = pfn + k;
			got += 1u << order;
		}
	} else if (m->vmap->node < 0 && is_613(m)) {
		/* NUMA_NO_NODE: alloc_pages_bulk_array_mempolicy_noprof(), the
		 * task's memory policy, in requests of 100 (mempolicy.c) */
		got = mempolicy_alloc_bulk(m, pgfp, nr, vm->pages);
	} else {
		for (; got < nr; got++) {
			uint64_t pfn;
			/* alloc_pages_bulk_array_node(gfp, nid, ...) / 2.6.32
			 * alloc_pages_node(nid, ...): the node vmalloc_node() names,
			 * NUMA_NO_NODE the current CPU's */
			if (buddy_alloc_pages_node(m, m->vmap->node, pgfp, 0, &pfn))
				break;
			vm->pages[got] = pfn;
		}
	}
	vm->nr_pages = got;
	if (vm->flags & VM_ALLOC)
		m->vmap->nr_vmalloc_pages += got;
	if (got < nr && shift != VMALLOC_PAGE_SHIFT) {
		/* no warning ("Since we always retry allocations at order-0 in
		 * the huge page case a warning for either is spurious"): vfree()
		 * of what was had, then __vmalloc_node_range_noprof()'s fail:
		 * shift = PAGE_SHIFT, align = real_align, size = real_size,
		 * goto again */
		vunmap_common(m, vm->addr, true, "vfree");
		shift = VMALLOC_PAGE_SHIFT;
		align = real_align;
		real = real_size;
		goto again;
	}
	if (got < nr) {
		if (is_613(m))
			dmesg_printf(m, "vmalloc error: size %llu, failed to allocate pages",
				     (unsigned long long)got * PAGE_SIZE);
		else
			dmesg_printf(m, "vmalloc: allocation failure, allocated %llu of %llu bytes",
				     (unsigned long long)got * PAGE_SIZE, (unsigned long long)vm->size);
		vunmap_common(m, vm->addr, true, "vfree");
		model_err(m, "vmalloc: out of pages after %u of %u", got, nr);
		return -ENOMEM;
	}
	r = shift != VMALLOC_PAGE_SHIFT ? map_pages_huge(m, vm, nr, prot ? prot : page_prot(m))
				: map_pages(m, vm, vm->pages, nr, prot ? prot : page_prot(m));
	if (r) {
		vunmap_common(m, vm->addr, true, "vfree");
		model_err(m, "vmalloc error: size %llu, failed to map pages", (unsigned long long)real);
		return -ENOMEM;
	}
	vm->flags &= ~VM_UNINITIALIZED;
	*addr = vm->addr;
	return 0;
}

int vmalloc_alloc(struct machine *m, uint64_t size, gfp_t gfp, unsigned long vm_flags, const char *caller,
		  uint64_t *addr)
{
	return vmalloc_node_range(m, size, PAGE_SIZE, m->layout.vmalloc_start, m->layout.vmalloc_end, gfp, 0,
				  vm_flags, caller, addr);
}

void vmalloc_set_node(struct machine *m, int nid)
{
	struct vmap_state *v = state(m);
	if (v)
		v->node = nid;
}

int vmap_pages(struct machine *m, const uint64_t *pfns, unsigned n, unsigned long vm_flags, const char *caller,
	       uint64_t *addr)
{
	struct vm_struct *vm;
	*addr = 0;
	m->err[0] = '\0';
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_sleep(m, VMALLOC_C, sites(m)->vmap_sleep);       /* vmap(): might_sleep() */
	if (!n || n > m->totalram_pages) {
		model_err(m, "vmap of %u pages", n);
		return -EINVAL;
	}
	/* vmap() takes pages its caller owns; the kernel does not look, but a
	 * free page mapped is memory nobody owns reachable through the area
	 * (check's "free and mapped"): refused as bad input */
	for (unsigned i = 0; i < n; i++) {
		struct page_info pi;
		buddy_page_info(m, pfns[i], &pi);
		if (pi.state == PS_FREE) {
			if (pi.pcp_cpu)
				model_err(m, "pfn %#llx is free (on a per-cpu list): vmap() maps pages its "
					  "caller owns; allocate it first", (unsigned long long)pfns[i]);
			else
				model_err(m, "pfn %#llx is free (on a free list): vmap() maps pages its "
					  "caller owns; allocate it first", (unsigned long long)pfns[i]);
			return -EINVAL;
		}
	}
	int r = vmap_area_alloc(m, (uint64_t)n * PAGE_SIZE, PAGE_SIZE, 0, 0, vm_flags, caller, &vm);
	if (r)
		return r;
	vm->pages = malloc(n * sizeof *vm->pages);
	if (!vm->pages) {
		vmap_area_free(m, vm->addr);
		return -ENOMEM;
	}
	memcpy(vm->pages, pfns, n * sizeof *pfns);
	if (map_pages(m, vm, pfns, n, page_prot(m))) {
		vmap_area_free(m, vm->addr);
		model_err(m, "vmap: failed to map pages");
		return -ENOMEM;
	}
	if (vm_flags & VM_MAP_PUT_PAGES)
		vm->nr_pages = n;
	*addr = vm->addr;
	return 0;
}

int vmap_ioremap_page_range(struct machine *m, struct vm_struct *vm, uint64_t phys_addr, uint64_t prot)
{
	if (phys_addr & (PAGE_SIZE - 1)) {
		model_err(m, "ioremap_page_range: phys %#llx is not page-aligned",
			 (unsigned long long)phys_addr);
		return -EINVAL;
	}
	vm->phys_addr = phys_addr;
	uint64_t n = get_vm_area_size(vm) / PAGE_SIZE;
	for (uint64_t i = 0; i < n; i++) {
		int r = pgtable_set_pte(m, vm->addr + i * PAGE_SIZE, pgtable_mk_pte(m, (phys_addr >> 12) + i, prot));
		if (r)
			return r;
		vm->nr_mapped = (unsigned)(i + 1);
	}
	return 0;
}

bool vmap_maps_pfn(const struct machine *m, uint64_t pfn, uint64_t n)
{
	return vmap_area_of_pfn(m, pfn, n, VM_MAP) != 0;
}

/* The busy areas whose mapped pages include one of [pfn, pfn + n): one
 * pass over them; an area with VM_ALLOC in flags wins over the others (a
 * vmalloc'd page is reported as vmalloc's even when a vmap maps it too).
 * *kind: the winner's VM_ALLOC or VM_MAP. */
static uint64_t area_of_pfn(const struct machine *m, uint64_t pfn, uint64_t n, unsigned long flags,
			    unsigned long *kind)
{
	const struct vmap_state *v = m->vmap;
	uint64_t other = 0;
	unsigned long other_kind = 0;
	*kind = 0;
	if (!v)
		return 0;
	for (unsigned nd = 0; nd < v->nr_nodes; nd++) {
		const struct vmap_node *vn = &v->nodes[nd];
		for (const struct list_head *p = vn->busy_list.next; p != &vn->busy_list; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			const struct vm_struct *vm = va->vm;
			if (va->lazy || !vm || !(vm->flags & flags) || (vm->flags & VM_IOREMAP) || !vm->pages)
				continue;
			if (other && !(vm->flags & flags & VM_ALLOC))
				continue;
			for (uint64_t i = 0; i < vm->nr_mapped; i++) {
				if (vm->pages[i] < pfn || vm->pages[i] - pfn >= n)
					continue;
				unsigned long k = vm->flags & flags & VM_ALLOC ? VM_ALLOC : VM_MAP;
				if (k == VM_ALLOC || !(flags & VM_ALLOC)) {
					*kind = k;
					return va->va_start;
				}
				other = va->va_start;
				other_kind = k;
				break;
			}
		}
	}
	*kind = other_kind;
	return other;
}

uint64_t vmap_area_of_pfn(const struct machine *m, uint64_t pfn, uint64_t n, unsigned long flags)
{
	unsigned long kind;
	return area_of_pfn(m, pfn, n, flags, &kind);
}

uint64_t vmap_area_mapping_pfn(const struct machine *m, uint64_t pfn, uint64_t n, unsigned long *kind)
{
	return area_of_pfn(m, pfn, n, VM_ALLOC | VM_MAP, kind);
}

bool vmap_is_vmalloc_addr(const struct machine *m, uint64_t addr)
{
	return addr >= m->layout.vmalloc_start && addr < m->layout.vmalloc_end;
}

int vmap_vmalloc_to_pfn(const struct machine *m, uint64_t addr, uint64_t *pfn)
{
	struct pt_walk w;
	pgtable_walk(m, addr, &w);
	if (w.end != WALK_MAPPED)
		return -EFAULT;
	*pfn = w.phys >> 12;
	return 0;
}

/* ---- walks and totals ----------------------------------------------------------- */

/* /proc/vmallocinfo order: node by node (vmalloc_info_show() walks
 * vmap_nodes[i].busy.head, then show_purge_info() each node's lazy list),
 * address order within a node */
void vmap_walk_busy(const struct machine *m, vm_area_cb cb, void *arg)
{
	const struct vmap_state *v = m->vmap;
	if (!v)
		return;
	for (unsigned n = 0; n < v->nr_nodes; n++) {
		const struct list_head *h = &v->nodes[n].busy_list;
		for (const struct list_head *p = h->next; p != h; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			if (va->vm && !va->lazy && cb(arg, va->vm))
				return;
		}
	}
}

void vmap_walk_lazy(const struct machine *m, vmap_range_cb cb, void *arg)
{
	const struct vmap_state *v = m->vmap;
	if (!v)
		return;
	for (unsigned n = 0; n < v->nr_nodes; n++) {
		const struct list_head *h = is_613(m) ? &v->nodes[n].lazy_list : &v->nodes[n].busy_list;
		for (const struct list_head *p = h->next; p != h; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			if ((is_613(m) || va->lazy) && cb(arg, va->va_start, va->va_end))
				return;
		}
	}
}

void vmap_walk_free(const struct machine *m, vmap_range_cb cb, void *arg)
{
	if (!m->vmap || !is_613(m))
		return;
	const struct list_head *h = &m->vmap->free_list;
	for (const struct list_head *p = h->next; p != h; p = p->next) {
		const struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (cb(arg, va->va_start, va->va_end))
			return;
	}
}

int vmap_find_lazy(const struct machine *m, uint64_t addr, struct vmap_range *r)
{
	const struct vmap_state *v = m->vmap;
	if (!v)
		return -ENOENT;
	for (unsigned n = 0; n < v->nr_nodes; n++) {
		const struct vmap_area *va = is_613(m) ? find_in_tree(&v->nodes[n].lazy_root, addr) :
					     find_in_tree(&v->nodes[n].busy_root, addr);
		if (va && (is_613(m) || va->lazy)) {
			r->start = va->va_start;
			r->end = va->va_end;
			return 0;
		}
	}
	return -ENOENT;
}

void vmap_totals(const struct machine *m, struct vmalloc_totals *t)
{
	memset(t, 0, sizeof *t);
	uint64_t prev = m->layout.vmalloc_start;
	if (m->vmap) {
		t->used_pages = m->vmap->nr_vmalloc_pages;
		/* 2.6.32 get_vmalloc_info(): over vmlist (live vm_structs only),
		 * in address order: 2.6.32 has the one node (the gaps, largest_chunk,
		 * are only 2.6.32's) */
		for (unsigned n = 0; n < m->vmap->nr_nodes; n++) {
			const struct list_head *h = &m->vmap->nodes[n].busy_list;
			for (const struct list_head *p = h->next; p != h; p = p->next) {
				const struct vmap_area *va = list_entry(p, struct vmap_area, list);
				if (!va->vm || va->lazy)
					continue;
				if (va->va_start < m->layout.vmalloc_start || va->va_start >= m->layout.vmalloc_end)
					continue;
				t->used_bytes += va->vm->size;
				if (m->vmap->nr_nodes > 1)
					continue;
				if (va->va_start - prev > t->largest_chunk)
					t->largest_chunk = va->va_start - prev;
				prev = va->va_start + va->vm->size;
			}
		}
	}
	if (m->layout.vmalloc_end - prev > t->largest_chunk)
		t->largest_chunk = m->layout.vmalloc_end - prev;
}

static void walk_node(const struct rb_node *n, unsigned depth, vmap_tree_cb cb, void *arg, size_t *count,
		      bool *stop)
{
	if (!n || *stop)
		return;
	const struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);
	struct vmap_tree_node t = { va->va_start, va->va_end, va->subtree_max_size, depth, rb_is_red(n), va->lazy };
	(*count)++;
	if (cb && cb(arg, &t))
		*stop = true;
	walk_node(n->rb_left, depth + 1, cb, arg, count, stop);
	walk_node(n->rb_right, depth + 1, cb, arg, count, stop);
}

size_t vmap_walk_tree(const struct machine *m, int which, unsigned node, vmap_tree_cb cb, void *arg)
{
	const struct vmap_state *v = m->vmap;
	size_t count = 0;
	bool stop = false;
	if (!v || (which != 1 && node >= v->nr_nodes))
		return 0;
	const struct rb_root *root = which == 1 ? &v->free_root : which == 2 ? &v->nodes[node].lazy_root :
				     &v->nodes[node].busy_root;
	walk_node(root->rb_node, 0, cb, arg, &count, &stop);
	return count;
}
