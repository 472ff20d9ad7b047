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
 * (merge_or_add_vmap_area()).  Modelled with one vmap node
 * (nr_vmap_nodes = 1, as on 32-bit and single-CPU machines), so no
 * per-node pools.
 *
 * 2.6.32: one tree (and address-ordered list) of vmap areas, busy and
 * lazily freed alike; alloc_vmap_area() walks it first-fit from the lowest
 * address, stepping over each area with one extra page of distance
 * (ALIGN(first->va_end + PAGE_SIZE, align)); purging removes lazy areas
 * from the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"

#define PAGE_SIZE 4096ull
#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)

struct list_head {
	struct list_head *next, *prev;
};

static void list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static void list_add_after(struct list_head *n, struct list_head *prev)
{
	n->next = prev->next;
	n->prev = prev;
	prev->next->prev = n;
	prev->next = n;
}

static void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define list_entry(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

struct vmap_area {
	uint64_t va_start, va_end;
	struct rb_node rb_node;
	struct list_head list;
	uint64_t subtree_max_size;      /* free tree */
	struct vm_struct *vm;           /* busy tree */
	bool lazy;                      /* 2.6.32 VM_LAZY_FREE */
	uint64_t obj;                   /* the struct vmap_area's object: 2.6.32 kmalloc, 6.13 vmap_area_cachep */
};

struct vmap_state {
	struct rb_root free_root;       /* 6.13 free_vmap_area_root */
	struct list_head free_list;
	struct rb_root busy_root;       /* 6.13 vn->busy; 2.6.32 vmap_area_root (lazy ones too) */
	struct list_head busy_list;
	struct rb_root lazy_root;       /* 6.13 vn->lazy */
	struct list_head lazy_list;
	uint64_t lazy_nr;               /* vmap_lazy_nr, pages */
	uint64_t nr_vmalloc_pages;
	uint64_t ulong_max;
	/* 6.13 vfree_deferred (per CPU; one CPU runs commands): the llist
	 * vfree_atomic() adds to, drained by delayed_vfree_work() */
	uint64_t *deferred;
	unsigned ndeferred, deferred_cap;
	/* 6.13 vmap_area_cachep (KMEM_CACHE(vmap_area, SLAB_PANIC) in
	 * vmalloc_init()) and each CPU's ne_fit_preload_node object */
	int va_cache;
	uint64_t *preload;              /* [ncpus], 0: none */
	unsigned npreload;
	bool clip_warned;               /* va_alloc()'s WARN_ON_ONCE(ret) has fired */
};

/*
 * Where mm/vmalloc.c checks the context (might_sleep() / BUG_ON()).
 *  6.13  __get_vm_area_node(): BUG_ON(in_interrupt()), then kzalloc_node()
 *        of the vm_struct (might_alloc(): include/linux/sched/mm.h), then
 *        alloc_vmap_area(): might_sleep(); remove_vm_area(): might_sleep();
 *        vfree(): in_interrupt() -> vfree_atomic(), else might_sleep();
 *        vunmap(): BUG_ON(in_interrupt()); might_sleep(); vmap(): might_sleep().
 *  2.6.32 __get_vm_area_node(): BUG_ON(in_interrupt()), then kmalloc_node()
 *        of the vm_struct and of the vmap_area (the slab allocator's
 *        might_sleep_if()); vfree(): BUG_ON(in_interrupt());
 *        vunmap(): BUG_ON(in_interrupt()); might_sleep(); vmap(): might_sleep().
 * Line numbers: 6.13 alloc_vmap_area()'s 1972 is kernel-facts.md §11.4's.
 * The others could not be checked against the v6.13 / v2.6.32 tags with
 * the source tools available (no tagged copy of mm/vmalloc.c was found):
 * they are approximate and said so in the issue note.
 */
struct vm_sites {
	int get_vm_area_bug, alloc_vmap_sleep, remove_vm_area_sleep, vfree_sleep, vfree_bug, vunmap_bug,
	    vunmap_sleep, vmap_sleep;
};
static const struct vm_sites sites_6_13 = { 3114, 1972, 3231, 3375, 0, 3409, 3410, 3444 };
static const struct vm_sites sites_2_6_32 = { 1175, 0, 0, 0, 1412, 1430, 1431, 1451 };

static const struct vm_sites *sites(const struct machine *m)
{
	return m->kp->kv == KV_6_13 ? &sites_6_13 : &sites_2_6_32;
}
#define VMALLOC_C "mm/vmalloc.c"

static bool is_613(const struct machine *m)
{
	return m->kp->kv == KV_6_13;
}

static uint64_t va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static gfp_t gfp_named(const struct machine *m, const char *name);
static void vm_warn(struct machine *m, const char *fn, const char *msg);

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
	unsigned longs = is_613(m) ? 9 : 13;
	return longs * (m->arch->bits / 8);
}

/* an object of vmap_area_cachep (6.13), 0 when there is none */
static uint64_t va_obj_alloc(struct machine *m, struct vmap_state *v, gfp_t gfp)
{
	uint64_t obj = 0;
	if (v->va_cache >= 0 && slab_cache_alloc(m, v->va_cache, gfp, &obj))
		obj = 0;
	return obj;
}

static void va_obj_free(struct machine *m, struct vmap_area *va)
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

static unsigned va_cpu(const struct machine *m, const struct vmap_state *v)
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
		list_init(&v->busy_list);
		list_init(&v->lazy_list);
		v->ulong_max = m->arch->bits == 64 ? UINT64_MAX : 0xffffffffull;
		v->va_cache = -1;
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
			f->obj = va_obj_alloc(m, v, gfp_named(m, "GFP_NOWAIT"));
			if (v->va_cache >= 0 && !f->obj) {
				/* the kernel does this at boot, where it cannot
				 * fail; here memory may be short: no vmap state yet */
				slab_cache_destroy(m, v->va_cache);
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
	free_list_all(&v->free_list);
	free_list_all(&v->busy_list);
	free_list_all(&v->lazy_list);
	free(v->preload);
	free(v->deferred);
	free(v);
	m->vmap = NULL;
}

static void log_change(struct machine *m, enum change_kind kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		       int mt)
{
	struct change ch = { .kind = kind, .addr = a, .val = b, .pfn = c, .pfn2 = d, .mt = (uint8_t)mt };
	changelog_add(m, &ch);
}

/* ---- the augmented free tree (RB_DECLARE_CALLBACKS_MAX) ------------------------ */

static uint64_t get_subtree_max_size(const struct rb_node *n)
{
	return n ? rb_entry(n, struct vmap_area, rb_node)->subtree_max_size : 0;
}

static uint64_t compute_subtree_max_size(const struct vmap_area *va)
{
	uint64_t mx = va_size(va), l = get_subtree_max_size(va->rb_node.rb_left),
		 r = get_subtree_max_size(va->rb_node.rb_right);
	if (l > mx)
		mx = l;
	if (r > mx)
		mx = r;
	return mx;
}

static void aug_propagate(struct rb_node *rb, struct rb_node *stop)
{
	while (rb != stop) {
		struct vmap_area *va = rb_entry(rb, struct vmap_area, rb_node);
		uint64_t mx = compute_subtree_max_size(va);
		if (va->subtree_max_size == mx)
			break;
		va->subtree_max_size = mx;
		rb = rb_parent(&va->rb_node);
	}
}

static void aug_copy(struct rb_node *o, struct rb_node *n)
{
	rb_entry(n, struct vmap_area, rb_node)->subtree_max_size = rb_entry(o, struct vmap_area, rb_node)->subtree_max_size;
}

static void aug_rotate(struct rb_node *o, struct rb_node *n)
{
	struct vmap_area *old = rb_entry(o, struct vmap_area, rb_node);
	rb_entry(n, struct vmap_area, rb_node)->subtree_max_size = old->subtree_max_size;
	old->subtree_max_size = compute_subtree_max_size(old);
}

static const struct rb_augment_callbacks free_vmap_area_rb_augment_cb = { aug_propagate, aug_copy, aug_rotate };

static void augment_tree_propagate_from(struct vmap_area *va)
{
	aug_propagate(&va->rb_node, NULL);
}

/* find_va_links(): where va goes in the tree; NULL if it overlaps */
static struct rb_node **find_va_links(struct vmap_area *va, struct rb_root *root, struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;
	*parent = NULL;
	while (*link) {
		struct vmap_area *t = rb_entry(*link, struct vmap_area, rb_node);
		*parent = *link;
		if (va->va_end <= t->va_start)
			link = &(*link)->rb_left;
		else if (va->va_start >= t->va_end)
			link = &(*link)->rb_right;
		else
			return NULL;
	}
	return link;
}

/* __link_va(): link into the tree and into the address-ordered list */
static void link_va(struct vmap_area *va, struct rb_root *root, struct rb_node *parent, struct rb_node **link,
		    struct list_head *head, bool augment)
{
	if (parent) {
		head = &rb_entry(parent, struct vmap_area, rb_node)->list;
		if (&parent->rb_right != link)
			head = head->prev;
	}
	rb_link_node(&va->rb_node, parent, link);
	if (augment) {
		rb_insert_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
		va->subtree_max_size = 0;
	} else {
		rb_insert_color(&va->rb_node, root);
	}
	list_add_after(&va->list, head);
}

static int insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);
	if (!link)
		return -EEXIST;
	link_va(va, root, parent, link, head, false);
	return 0;
}

static void insert_vmap_area_augment(struct vmap_area *va, struct rb_root *root, struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);
	if (link) {
		link_va(va, root, parent, link, head, true);
		augment_tree_propagate_from(va);
	}
}

static void unlink_va(struct vmap_area *va, struct rb_root *root, bool augment)
{
	if (augment)
		rb_erase_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	else
		rb_erase(&va->rb_node, root);
	list_del(&va->list);
	RB_CLEAR_NODE(&va->rb_node);
}

/* __merge_or_add_vmap_area(): put [va) back into the free tree, merging
 * with the next and previous free blocks when they touch it */
static struct vmap_area *merge_or_add_vmap_area_augment(struct machine *m, struct vmap_area *va,
							struct rb_root *root, struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);
	struct list_head *next;
	bool merged = false;

	if (!link)
		return NULL;
	if (!parent)
		goto insert;
	next = &rb_entry(parent, struct vmap_area, rb_node)->list;
	if (&parent->rb_right == link)
		next = next->next;
	if (next != head) {
		struct vmap_area *sibling = list_entry(next, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			va_obj_free(m, va);     /* kmem_cache_free(vmap_area_cachep, va) */
			free(va);
			va = sibling;
			merged = true;
		}
	}
	if (next->prev != head) {
		struct vmap_area *sibling = list_entry(next->prev, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			if (merged)
				unlink_va(va, root, true);
			sibling->va_end = va->va_end;
			va_obj_free(m, va);
			free(va);
			va = sibling;
			merged = true;
		}
	}
insert:
	if (!merged)
		link_va(va, root, parent, link, head, true);
	augment_tree_propagate_from(va);
	return va;
}

/* ---- 6.13: find_vmap_lowest_match() and va_clip() ------------------------------- */

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static bool is_within_this_va(const struct vmap_area *va, uint64_t size, uint64_t align, uint64_t vstart)
{
	uint64_t nva = align_up(va->va_start > vstart ? va->va_start : vstart, align);
	if (nva + size < nva || nva < vstart)
		return false;
	return nva + size <= va->va_end;
}

static struct vmap_area *find_vmap_lowest_match(struct rb_root *root, uint64_t size, uint64_t align,
						uint64_t vstart, bool adjust_search_size)
{
	struct rb_node *node = root->rb_node;
	uint64_t length = adjust_search_size ? size + align - 1 : size;

	while (node) {
		struct vmap_area *va = rb_entry(node, struct vmap_area, rb_node);
		if (get_subtree_max_size(node->rb_left) >= length && vstart < va->va_start) {
			node = node->rb_left;
		} else {
			if (is_within_this_va(va, size, align, vstart))
				return va;
			if (get_subtree_max_size(node->rb_right) >= length) {
				node = node->rb_right;
				continue;
			}
			/* roll back to the first right subtree that may fit */
			while ((node = rb_parent(node))) {
				va = rb_entry(node, struct vmap_area, rb_node);
				if (is_within_this_va(va, size, align, vstart))
					return va;
				if (get_subtree_max_size(node->rb_right) >= length && vstart <= va->va_start) {
					vstart = va->va_start + 1;
					node = node->rb_right;
					break;
				}
			}
		}
	}
	return NULL;
}

enum fit_type { NOTHING_FIT, FL_FIT_TYPE, LE_FIT_TYPE, RE_FIT_TYPE, NE_FIT_TYPE };

static enum fit_type classify_va_fit_type(const struct vmap_area *va, uint64_t nva, uint64_t size)
{
	if (nva < va->va_start || nva + size > va->va_end)
		return NOTHING_FIT;
	if (va->va_start == nva)
		return va->va_end == nva + size ? FL_FIT_TYPE : LE_FIT_TYPE;
	return va->va_end == nva + size ? RE_FIT_TYPE : NE_FIT_TYPE;
}

static int va_clip(struct machine *m, struct rb_root *root, struct list_head *head, struct vmap_area *va,
		   uint64_t nva, uint64_t size)
{
	enum fit_type type = classify_va_fit_type(va, nva, size);
	struct vmap_area *lva = NULL;

	if (type == NOTHING_FIT)
		return -EINVAL;
	if (type == NE_FIT_TYPE) {
		lva = calloc(1, sizeof *lva);
		if (!lva)
			return -ENOMEM;
		/* this CPU's ne_fit_preload_node, else kmem_cache_alloc(GFP_NOWAIT);
		 * with neither, -ENOMEM before the block is touched */
		struct vmap_state *v = m->vmap;
		if (v->va_cache >= 0) {
			unsigned cpu = va_cpu(m, v);
			lva->obj = v->preload[cpu];
			v->preload[cpu] = 0;
			if (!lva->obj)
				lva->obj = va_obj_alloc(m, v, gfp_named(m, "GFP_NOWAIT"));
			if (!lva->obj) {
				free(lva);
				return -ENOMEM;
			}
		}
	}
	log_change(m, CH_VMAP_CLIP, va->va_start, va->va_end, nva, nva + size, (int)type);
	if (type == FL_FIT_TYPE) {
		unlink_va(va, root, true);
		va_obj_free(m, va);
		free(va);
	} else if (type == LE_FIT_TYPE) {
		va->va_start += size;
	} else if (type == RE_FIT_TYPE) {
		va->va_end = nva;
	} else {
		lva->va_start = va->va_start;
		lva->va_end = nva;
		va->va_start = nva + size;
	}
	if (type != FL_FIT_TYPE) {
		augment_tree_propagate_from(va);
		if (lva)
			insert_vmap_area_augment(lva, root, head);
	}
	return 0;
}

/* __alloc_vmap_area(): the address, or vend when nothing fits */
static uint64_t alloc_613(struct machine *m, struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart,
			  uint64_t vend)
{
	bool adjust = !(align <= PAGE_SIZE || (vend - vstart) == size);
	struct vmap_area *va = find_vmap_lowest_match(&v->free_root, size, align, vstart, adjust);
	if (!va)
		return vend;
	uint64_t nva = align_up(va->va_start > vstart ? va->va_start : vstart, align);
	if (nva + size > vend)
		return vend;
	if (va_clip(m, &v->free_root, &v->free_list, va, nva, size)) {
		/* 6.13 va_alloc(): "if (WARN_ON_ONCE(ret)) return vend;" - here
		 * only NE_FIT_TYPE's missing object fails (no preloaded
		 * ne_fit_preload_node and kmem_cache_alloc(GFP_NOWAIT) failed).
		 * The symbol is the one %pS names when va_alloc() and
		 * __alloc_vmap_area() are inlined into alloc_vmap_area(). */
		if (!v->clip_warned) {
			v->clip_warned = true;
			vm_warn(m, "alloc_vmap_area", NULL);
		}
		return vend;
	}
	return nva;
}

/* ---- 2.6.32: alloc_vmap_area()'s first fit over the busy tree -------------------- */

static uint64_t alloc_2632(struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend)
{
	uint64_t addr = align_up(vstart, align);
	struct rb_node *n = v->busy_root.rb_node;

	if (addr + size - 1 < addr)
		return vend;
	if (n) {
		struct vmap_area *first = NULL;
		do {
			struct vmap_area *tmp = rb_entry(n, struct vmap_area, rb_node);
			if (tmp->va_end >= addr) {
				if (!first && tmp->va_start < addr + size)
					first = tmp;
				n = n->rb_left;
			} else {
				first = tmp;
				n = n->rb_right;
			}
		} while (n);
		if (!first)
			goto found;
		if (first->va_end < addr) {
			n = rb_next(&first->rb_node);
			if (n)
				first = rb_entry(n, struct vmap_area, rb_node);
			else
				goto found;
		}
		while (addr + size > first->va_start && addr + size <= vend) {
			addr = align_up(first->va_end + PAGE_SIZE, align);
			if (addr + size - 1 < addr)
				return vend;
			n = rb_next(&first->rb_node);
			if (n)
				first = rb_entry(n, struct vmap_area, rb_node);
			else
				goto found;
		}
	}
found:
	if (addr + size > vend || addr + size < addr)
		return vend;
	return addr;
}

/* ---- lazy freeing --------------------------------------------------------------- */

uint64_t vmap_lazy_nr(const struct machine *m)
{
	return m->vmap ? m->vmap->lazy_nr : 0;
}

uint64_t vmap_lazy_max_pages(const struct machine *m)
{
	unsigned ncpus = m->ncpus ? m->ncpus : 1;
	return (uint64_t)kmemsh_fls64(ncpus) * (32ull * 1024 * 1024 / PAGE_SIZE);
}

/* __purge_vmap_area_lazy(): one flush over the lazy range, then every
 * lazy area goes back to the free space */
int vmap_purge_lazy(struct machine *m)
{
	/* nothing was ever freed lazily before the vmap allocator's first
	 * use: do not make its state (its slab cache) just to purge nothing */
	struct vmap_state *v = m->vmap;
	uint64_t start = UINT64_MAX, end = 0;
	int n = 0;

	if (!v)
		return 0;
	if (is_613(m)) {
		if (v->lazy_list.next == &v->lazy_list)
			return 0;
		start = list_entry(v->lazy_list.next, struct vmap_area, list)->va_start;
		end = list_entry(v->lazy_list.prev, struct vmap_area, list)->va_end;
		pgtable_flush_tlb_kernel_range(m, start, end);
		while (v->lazy_list.next != &v->lazy_list) {
			struct vmap_area *va = list_entry(v->lazy_list.next, struct vmap_area, list);
			uint64_t s = va->va_start, e = va->va_end;
			unlink_va(va, &v->lazy_root, false);
			v->lazy_nr -= va_size(va) / PAGE_SIZE;
			struct vmap_area *into = merge_or_add_vmap_area_augment(m, va, &v->free_root, &v->free_list);
			log_change(m, CH_VMAP_PURGE, s, e, into ? into->va_start : 0, into ? into->va_end : 0, 0);
			n++;
		}
		return n;
	}
	for (struct list_head *p = v->busy_list.next; p != &v->busy_list; p = p->next) {
		struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (va->lazy) {
			if (va->va_start < start)
				start = va->va_start;
			if (va->va_end > end)
				end = va->va_end;
			n++;
		}
	}
	if (!n)
		return 0;
	pgtable_flush_tlb_kernel_range(m, start, end);
	for (struct list_head *p = v->busy_list.next, *nx; p != &v->busy_list; p = nx) {
		nx = p->next;
		struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (!va->lazy)
			continue;
		v->lazy_nr -= va_size(va) / PAGE_SIZE;
		log_change(m, CH_VMAP_PURGE, va->va_start, va->va_end, 0, 0, 0);
		unlink_va(va, &v->busy_root, false);
		va_obj_free(m, va);
		free(va);
	}
	return n;
}

/* ---- the area API --------------------------------------------------------------- */

/* sizeof(struct vm_struct) of the modelled kernel (its kmalloc size) */
static size_t vm_struct_size(const struct machine *m)
{
	if (m->arch->bits == 64)
		return 64;
	if (is_613(m) && m->arch->pae)
		return 48;      /* page_order (HAVE_ARCH_HUGE_VMALLOC) and a 64-bit phys_addr */
	return 32;
}

static struct vmap_area *find_busy(const struct vmap_state *v, uint64_t addr)
{
	struct rb_node *n = v ? v->busy_root.rb_node : NULL;
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

static gfp_t gfp_named(const struct machine *m, const char *name)
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
	return get_vm_area_gfp(m, size, align, vstart, vend, vm_flags, caller, gfp_named(m, "GFP_KERNEL"), out);
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
	gfp_t reclaim = gfp & gfp_named(m, is_613(m) ? "__GFP_RECLAIM|__GFP_HIGH|__GFP_IO|__GFP_FS|__GFP_NOWARN|"
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
	if (!is_613(m)) {
		slab_kmalloc(m, vmap_area_size(m), reclaim, &vaobj);   /* kmalloc_node(sizeof(struct vmap_area)) */
	} else {
		/* alloc_vmap_area(): kmem_cache_alloc_node(vmap_area_cachep), then
		 * preload_this_cpu_lock() fills this CPU's ne_fit_preload_node */
		vaobj = va_obj_alloc(m, v, reclaim);
	}
	if (!vaobj && (!is_613(m) || v->va_cache >= 0)) {
		/* alloc_vmap_area(): "if (unlikely(!va)) return ERR_PTR(-ENOMEM)";
		 * __get_vm_area_node() kfree()s the vm_struct and returns NULL */
		slab_kfree(m, obj);
		model_err(m, "vmalloc error: size %llu, vm_struct allocation failed (no memory "
			 "for the struct vmap_area)", (unsigned long long)size);
		return -ENOMEM;
	}
	if (is_613(m) && v->va_cache >= 0) {
		unsigned cpu = va_cpu(m, v);
		if (!v->preload[cpu])
			v->preload[cpu] = va_obj_alloc(m, v, reclaim);
	}

	uint64_t addr = vend;
	for (int purged = 0; purged < 2; purged++) {
		addr = is_613(m) ? alloc_613(m, v, real, align, vstart, vend) : alloc_2632(v, real, align, vstart, vend);
		if (addr != vend)
			break;
		if (!purged && !vmap_purge_lazy(m))
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
		va_obj_free(m, &tmp);
		model_err(m, "no free vmap space of %llu bytes in [%#llx, %#llx)",
			 (unsigned long long)real, (unsigned long long)vstart, (unsigned long long)vend);
		return -ENOMEM;
	}
	struct vmap_area *va = calloc(1, sizeof *va);
	struct vm_struct *vm = calloc(1, sizeof *vm);
	if (!va || !vm) {
		free(va);
		free(vm);
		return -ENOMEM;
	}
	va->va_start = addr;
	va->va_end = addr + real;
	va->vm = vm;
	va->obj = vaobj;
	vm->addr = addr;
	vm->size = real;
	vm->flags = vm_flags;
	vm->struct_addr = obj;
	snprintf(vm->caller, sizeof vm->caller, "%s", caller ? caller : "");
	insert_vmap_area(va, &v->busy_root, &v->busy_list);
	log_change(m, CH_VMAP_INSERT, va->va_start, va->va_end, 0, 0, 0);
	*out = vm;
	return 0;
}

/* vunmap_range_noflush(): clear every present pte of the range */
static void vunmap_range_noflush(struct machine *m, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		struct pt_walk w;
		pgtable_walk(m, a, &w);
		if (w.end == WALK_MAPPED && w.page_size == PAGE_SIZE)
			pgtable_pte_clear(m, a);
	}
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
		unlink_va(va, &v->busy_root, false);
		insert_vmap_area(va, &v->lazy_root, &v->lazy_list);
	} else {
		va->lazy = true;
	}
	log_change(m, CH_VMAP_LAZY, va->va_start, va->va_end, v->lazy_nr, vmap_lazy_max_pages(m), 0);
	return vm;
}

static void maybe_purge(struct machine *m)
{
	if (m->vmap && m->vmap->lazy_nr > vmap_lazy_max_pages(m))
		vmap_purge_lazy(m);
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
 * the report.  The line in mm/vmalloc.c is not given: it was not checked
 * against either version's source.  %p prints the raw pointer, zero-padded
 * to 2 * sizeof(void *) digits (the captures boot with no_hash_pointers).
 * msg NULL: a WARN_ON() / WARN_ON_ONCE(), which has no message.
 */
static void vm_warn(struct machine *m, const char *fn, const char *msg)
{
	dmesg_printf(m, "------------[ cut here ]------------");
	if (m->kp->kv == KV_2_6_32) {
		dmesg_printf(m, "WARNING: at mm/vmalloc.c %s+0x0/0x0()", fn);
		if (msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "Modules linked in:");
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
	} else {
		if (msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "WARNING: CPU: %u PID: 1 at mm/vmalloc.c %s+0x0/0x0", machine_this_cpu(m), fn);
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
	bool old = m->kp->kv == KV_2_6_32;
	const char *fn = old ? "__vunmap" : who;
	if (addr & (PAGE_SIZE - 1)) {
		snprintf(msg, sizeof msg, "Trying to vfree() bad address (%s)", ptr);
		vm_warn(m, old ? fn : "remove_vm_area", msg);
		model_err(m, "%#llx is not page-aligned: \"Trying to vfree() bad address\" "
			 "WARN, nothing freed", (unsigned long long)addr);
		if (old)
			return -EINVAL;
	}
	snprintf(msg, sizeof msg, "Trying to %s() nonexistent vm area (%s)", old ? "vfree" : who, ptr);
	vm_warn(m, fn, msg);
	if (!(addr & (PAGE_SIZE - 1)))
		model_err(m, "no vmap area %s %#llx: \"Trying to %s() nonexistent vm "
			 "area\" WARN, nothing freed", old ? _("starts at") : _("holds"), (unsigned long long)addr,
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
	if (pages && vm->pages) {
		for (unsigned i = 0; i < vm->nr_pages; i++)
			if (vm->pages[i] != UINT64_MAX)
				buddy_free_pages(m, vm->pages[i], 0);
		if (vm->flags & VM_ALLOC)
			m->vmap->nr_vmalloc_pages -= vm->nr_pages;
		if (vm->pages_addr) {
			if (vm->flags & VM_VPAGES)
				vunmap_common(m, vm->pages_addr, true, "vfree");
			else
				slab_kfree(m, vm->pages_addr);
		}
	}
	slab_kfree(m, vm->struct_addr);
	free_vm(vm);
	maybe_purge(m);
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
	log_change(m, CH_VFREE_DEFER, va->va_start, va->va_end, v->ndeferred, 0, v->ndeferred == 1);
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
		log_change(m, CH_VFREE_WORK, addr, 0, 0, 0, 0);
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

int vmalloc_node_range(struct machine *m, uint64_t size, uint64_t align, uint64_t start, uint64_t end, gfp_t gfp,
		       uint64_t prot, unsigned long vm_flags, const char *caller, uint64_t *addr)
{
	const struct kernel_profile *kp = m->kp;
	uint64_t real = align_up(size, PAGE_SIZE);
	struct vm_struct *vm;
	int r;

	*addr = 0;
	if (!size || (real >> 12) > m->totalram_pages) {
		if (size && is_613(m))  /* warn_alloc(); 2.6.32 returns NULL silently */
			dmesg_printf(m, "vmalloc error: size %llu, exceeds total pages", (unsigned long long)real);
		model_err(m, "%s", size ? _("size exceeds total pages") : _("size 0"));
		return -EINVAL;
	}
	r = get_vm_area_gfp(m, real, align, start, end, VM_ALLOC | vm_flags, caller, gfp, &vm);
	if (r)
		return r;
	/* __vmalloc_area_node() */
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
	for (; got < nr; got++) {
		uint64_t pfn;
		if (buddy_alloc_pages(m, pgfp, 0, &pfn))
			break;
		vm->pages[got] = pfn;
	}
	vm->nr_pages = got;
	if (vm->flags & VM_ALLOC)
		m->vmap->nr_vmalloc_pages += got;
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
	r = map_pages(m, vm, vm->pages, nr, prot ? prot : page_prot(m));
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

void vmap_walk_busy(const struct machine *m, vm_area_cb cb, void *arg)
{
	if (!m->vmap)
		return;
	const struct list_head *h = &m->vmap->busy_list;
	for (const struct list_head *p = h->next; p != h; p = p->next) {
		const struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (va->vm && !va->lazy && cb(arg, va->vm))
			return;
	}
}

void vmap_walk_lazy(const struct machine *m, vmap_range_cb cb, void *arg)
{
	if (!m->vmap)
		return;
	const struct list_head *h = is_613(m) ? &m->vmap->lazy_list : &m->vmap->busy_list;
	for (const struct list_head *p = h->next; p != h; p = p->next) {
		const struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if ((is_613(m) || va->lazy) && cb(arg, va->va_start, va->va_end))
			return;
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
	if (!m->vmap)
		return -ENOENT;
	const struct list_head *h = is_613(m) ? &m->vmap->lazy_list : &m->vmap->busy_list;
	for (const struct list_head *p = h->next; p != h; p = p->next) {
		const struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if ((is_613(m) || va->lazy) && addr >= va->va_start && addr < va->va_end) {
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
		const struct list_head *h = &m->vmap->busy_list;
		/* 2.6.32 get_vmalloc_info(): over vmlist (live vm_structs only) */
		for (const struct list_head *p = h->next; p != h; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			if (!va->vm || va->lazy)
				continue;
			if (va->va_start < m->layout.vmalloc_start || va->va_start >= m->layout.vmalloc_end)
				continue;
			t->used_bytes += va->vm->size;
			if (va->va_start - prev > t->largest_chunk)
				t->largest_chunk = va->va_start - prev;
			prev = va->va_start + va->vm->size;
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

size_t vmap_walk_tree(const struct machine *m, int which, vmap_tree_cb cb, void *arg)
{
	const struct vmap_state *v = m->vmap;
	size_t count = 0;
	bool stop = false;
	if (!v)
		return 0;
	const struct rb_root *root = which == 1 ? &v->free_root : which == 2 ? &v->lazy_root : &v->busy_root;
	walk_node(root->rb_node, 0, cb, arg, &count, &stop);
	return count;
}

/* ---- the checker ---------------------------------------------------------------- */

struct chk {
	struct machine *m;
	int bad;
};

static int check_tree_order(struct machine *m, const struct rb_root *root, const struct list_head *head,
			    bool augmented, const char *name)
{
	const struct list_head *p = head->next;
	uint64_t prev_end = 0;
	for (struct rb_node *n = rb_first(root); n; n = rb_next(n), p = p->next) {
		const struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);
		if (p == head || list_entry(p, struct vmap_area, list) != va) {
			model_err(m, "vmalloc: the %s tree and its list disagree at %#llx", name,
				 (unsigned long long)va->va_start);
			return -EUCLEAN;
		}
		if (va->va_start >= va->va_end || va->va_start < prev_end) {
			model_err(m, "vmalloc: %s area %#llx-%#llx overlaps or is empty", name,
				 (unsigned long long)va->va_start, (unsigned long long)va->va_end);
			return -EUCLEAN;
		}
		if (augmented && va->subtree_max_size != compute_subtree_max_size(va)) {
			model_err(m, "vmalloc: free block %#llx-%#llx: subtree_max_size %#llx, "
				 "should be %#llx", (unsigned long long)va->va_start, (unsigned long long)va->va_end,
				 (unsigned long long)va->subtree_max_size,
				 (unsigned long long)compute_subtree_max_size(va));
			return -EUCLEAN;
		}
		prev_end = va->va_end;
	}
	if (p != head) {
		model_err(m, "vmalloc: the %s list has more entries than its tree", name);
		return -EUCLEAN;
	}
	return 0;
}

static int check_area_ptes(struct machine *m, const struct vmap_area *va)
{
	const struct vm_struct *vm = va->vm;
	for (uint64_t a = va->va_start; a < va->va_end; a += PAGE_SIZE) {
		uint64_t i = (a - va->va_start) / PAGE_SIZE;
		struct pt_walk w;
		pgtable_walk(m, a, &w);
		bool mapped = w.end == WALK_MAPPED;
		bool want = vm && !va->lazy && i < vm->nr_mapped;
		uint64_t pfn = !want ? 0 : (vm->flags & VM_IOREMAP) ? (vm->phys_addr >> 12) + i : vm->pages[i];
		if (mapped != want || (want && (w.phys >> 12) != pfn)) {
			model_err(m, "vmalloc: %#llx in area %#llx-%#llx is %s (expected %s)",
				 (unsigned long long)a, (unsigned long long)va->va_start, (unsigned long long)va->va_end,
				 mapped ? _("mapped") : _("not mapped"), want ? _("its page") : _("no entry"));
			return -EUCLEAN;
		}
		if (want && !(vm->flags & (VM_MAP | VM_IOREMAP))) {
			struct page_info pi;
			buddy_page_info(m, vm->pages[i], &pi);
			if (pi.state == PS_FREE) {
				model_err(m, "vmalloc: pfn %#llx mapped at %#llx is free",
					 (unsigned long long)vm->pages[i], (unsigned long long)a);
				return -EUCLEAN;
			}
		}
	}
	return 0;
}

/* No entry in vmalloc space outside the areas: a present leaf there must
 * lie in a live area (whose entries check_area_ptes() verified page by
 * page); one in free space or a lazily freed area is a stray mapping.
 * Costs one visit per entry of the materialised tables of the range. */
struct stray {
	struct machine *m;
	uint64_t at;
	bool found;
};

static void note_stray(void *arg, const struct pt_dump_entry *e)
{
	struct stray *s = arg;
	if (s->found || !e->leaf || !(e->entry & _PAGE_PRESENT))
		return;
	if (!vmap_find_area(s->m, e->addr)) {
		s->found = true;
		s->at = e->addr;
	}
}

static int check_stray_ptes(struct machine *m)
{
	struct stray s = { m, 0, false };
	pgtable_dump_walk(m, m->layout.vmalloc_start, m->layout.vmalloc_end, note_stray, &s);
	if (s.found) {
		model_err(m, "vmalloc: %#llx is mapped but no area holds it",
			 (unsigned long long)s.at);
		return -EUCLEAN;
	}
	return 0;
}

static bool live_va_obj(const struct machine *m, const struct vmap_state *v, uint64_t obj)
{
	struct object_info oi;
	if (!obj)
		return false;
	slab_object_info(m, obj, &oi);
	return oi.found && oi.cache == v->va_cache && oi.allocated && !oi.offset;
}

/* 6.13: every vmap_area of the three lists, and each CPU's preload, is a
 * live object of vmap_area_cachep (the cache's name is visible, so a user's
 * kmem_cache_alloc() may hold others: the counts are the unit tests') */
static int check_va_objects(struct machine *m, const struct vmap_state *v, const struct list_head *const hs[3])
{
	if (v->va_cache < 0 || !m->slab)
		return 0;
	for (int k = 0; k < 3; k++)
		for (const struct list_head *p = hs[k]->next; p != hs[k]; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			if (!live_va_obj(m, v, va->obj)) {
				model_err(m, "vmalloc: vmap_area %#llx-%#llx has no live object of "
					 "vmap_area_cachep (%#llx)", (unsigned long long)va->va_start,
					 (unsigned long long)va->va_end, (unsigned long long)va->obj);
				return -EUCLEAN;
			}
		}
	for (unsigned c = 0; c < v->npreload; c++)
		if (v->preload[c] && !live_va_obj(m, v, v->preload[c])) {
			model_err(m, "vmalloc: CPU %u's ne_fit_preload_node %#llx is no live "
				 "vmap_area_cachep object", c, (unsigned long long)v->preload[c]);
			return -EUCLEAN;
		}
	return 0;
}

int vmap_check(struct machine *m)
{
	struct vmap_state *v = m->vmap;
	if (!v)
		return 0;
	int r = check_tree_order(m, &v->busy_root, &v->busy_list, false, "busy");
	if (!r && is_613(m))
		r = check_tree_order(m, &v->free_root, &v->free_list, true, "free");
	if (!r && is_613(m))
		r = check_tree_order(m, &v->lazy_root, &v->lazy_list, false, "lazy");
	if (r)
		return r;
	uint64_t lazy = 0, used = 0;
	for (struct list_head *p = v->busy_list.next; p != &v->busy_list; p = p->next) {
		struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (va->lazy)
			lazy += va_size(va) / PAGE_SIZE;
		else if (va->vm && (va->vm->flags & VM_ALLOC))
			used += va->vm->nr_pages;
		if ((r = check_area_ptes(m, va)))
			return r;
	}
	if (is_613(m)) {
		/* busy, lazy and free space tile [1, ULONG_MAX) without overlap */
		uint64_t total = 0;
		const struct list_head *hs[3] = { &v->busy_list, &v->lazy_list, &v->free_list };
		for (int k = 0; k < 3; k++)
			for (const struct list_head *p = hs[k]->next; p != hs[k]; p = p->next) {
				const struct vmap_area *va = list_entry(p, struct vmap_area, list);
				total += va_size(va);
				if (k == 1)
					lazy += va_size(va) / PAGE_SIZE;
				if (k == 1 && (r = check_area_ptes(m, va)))
					return r;
				if (k != 2) {
					/* a busy or lazy area must not be free space */
					struct rb_node *n = v->free_root.rb_node;
					while (n) {
						const struct vmap_area *f = rb_entry(n, struct vmap_area, rb_node);
						if (va->va_end <= f->va_start) {
							n = n->rb_left;
						} else if (va->va_start >= f->va_end) {
							n = n->rb_right;
						} else {
							model_err(m, "vmalloc: area %#llx-%#llx is also "
								 "in the free tree", (unsigned long long)va->va_start,
								 (unsigned long long)va->va_end);
							return -EUCLEAN;
						}
					}
				}
			}
		if (total != v->ulong_max - 1) {
			model_err(m, "vmalloc: busy, lazy and free space cover %#llx bytes, not %#llx",
				 (unsigned long long)total, (unsigned long long)(v->ulong_max - 1));
			return -EUCLEAN;
		}
		if ((r = check_va_objects(m, v, hs)))
			return r;
	}
	if (m->pt && (r = check_stray_ptes(m)))
		return r;
	if (lazy != v->lazy_nr || used != v->nr_vmalloc_pages) {
		model_err(m, "vmalloc: vmap_lazy_nr %llu (counted %llu), vmalloc pages %llu "
			 "(counted %llu)", (unsigned long long)v->lazy_nr, (unsigned long long)lazy,
			 (unsigned long long)v->nr_vmalloc_pages, (unsigned long long)used);
		return -EUCLEAN;
	}
	return 0;
}
