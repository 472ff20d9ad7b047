/*
 * vmalloc_check.c - vmap_check(): the vmap allocator's state against
 * itself and the page tables (the trees and their lists, each area's
 * PTEs, stray entries, the vmap_area objects, 6.13's pools and the tiling
 * of [1, ULONG_MAX)).  No kernel function; CONFIG_DEBUG_VM in spirit.
 */
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "vmalloc_impl.h"

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
		if (want && !(vm->flags & VM_IOREMAP)) {
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

/* an area of a list whose object must be a live object of vmap_area_cachep */
static int check_va_object(struct machine *m, const struct vmap_state *v, const struct vmap_area *va)
{
	if (v->va_cache < 0 || !m->slab || live_va_obj(m, v, va->obj))
		return 0;
	model_err(m, "vmalloc: vmap_area %#llx-%#llx has no live object of vmap_area_cachep "
		 "(%#llx)", (unsigned long long)va->va_start, (unsigned long long)va->va_end,
		 (unsigned long long)va->obj);
	return -EUCLEAN;
}

/* 6.13: each CPU's preload is a live object of vmap_area_cachep too (the
 * cache's name is visible, so a user's kmem_cache_alloc() may hold
 * others: the counts are the unit tests') */
static int check_preload(struct machine *m, const struct vmap_state *v)
{
	if (v->va_cache < 0 || !m->slab)
		return 0;
	for (unsigned c = 0; c < v->npreload; c++)
		if (v->preload[c] && !live_va_obj(m, v, v->preload[c])) {
			model_err(m, "vmalloc: CPU %u's ne_fit_preload_node %#llx is no live "
				 "vmap_area_cachep object", c, (unsigned long long)v->preload[c]);
			return -EUCLEAN;
		}
	return 0;
}

static bool overlaps_tree(const struct rb_root *root, const struct vmap_area *va)
{
	const struct rb_node *n = root->rb_node;
	while (n) {
		const struct vmap_area *f = rb_entry(n, struct vmap_area, rb_node);
		if (va->va_end <= f->va_start)
			n = n->rb_left;
		else if (va->va_start >= f->va_end)
			n = n->rb_right;
		else
			return true;
	}
	return false;
}

static int area_error(struct machine *m, const struct vmap_area *va, const char *what)
{
	model_err(m, "vmalloc: area %#llx-%#llx %s", (unsigned long long)va->va_start,
		 (unsigned long long)va->va_end, what);
	return -EUCLEAN;
}

/* 6.13: a pooled area is neither busy, nor lazy, nor free space, is of its
 * pool's size and keeps its vmap_area object */
static int check_pools(struct machine *m, const struct vmap_state *v, uint64_t *total)
{
	int r;
	for (unsigned n = 0; n < v->nr_nodes; n++)
		for (unsigned i = 0; i < MAX_VA_SIZE_PAGES; i++) {
			const struct vmap_pool *vp = &v->nodes[n].pool[i];
			unsigned long len = 0;
			for (const struct list_head *p = vp->head.next; p != &vp->head; p = p->next, len++) {
				const struct vmap_area *va = list_entry(p, struct vmap_area, list);
				*total += va_size(va);
				if ((va_size(va) - 1) / PAGE_SIZE != i)
					return area_error(m, va, "is in the pool of another size");
				if (overlaps_tree(&v->free_root, va))
					return area_error(m, va, "is in a node pool and in the free tree");
				for (unsigned k = 0; k < v->nr_nodes; k++)
					if (overlaps_tree(&v->nodes[k].busy_root, va) ||
					    overlaps_tree(&v->nodes[k].lazy_root, va))
						return area_error(m, va, "is in a node pool and busy or lazily freed");
				if ((r = check_va_object(m, v, va)))
					return r;
			}
			if (len != vp->len) {
				model_err(m, "vmalloc: node %u's pool of %u pages holds %lu areas, "
					 "its len says %lu", n, i + 1, len, vp->len);
				return -EUCLEAN;
			}
		}
	return 0;
}

int vmap_check(struct machine *m)
{
	struct vmap_state *v = m->vmap;
	if (!v)
		return 0;
	int r = 0;
	for (unsigned n = 0; n < v->nr_nodes && !r; n++) {
		r = check_tree_order(m, &v->nodes[n].busy_root, &v->nodes[n].busy_list, false, "busy");
		if (!r && is_613(m))
			r = check_tree_order(m, &v->nodes[n].lazy_root, &v->nodes[n].lazy_list, false, "lazy");
	}
	if (!r && is_613(m))
		r = check_tree_order(m, &v->free_root, &v->free_list, true, "free");
	if (r)
		return r;
	uint64_t lazy = 0, used = 0, total = 0;
	for (unsigned n = 0; n < v->nr_nodes; n++) {
		const struct vmap_node *vn = &v->nodes[n];
		for (struct list_head *p = vn->busy_list.next; p != &vn->busy_list; p = p->next) {
			struct vmap_area *va = list_entry(p, struct vmap_area, list);
			if (va->lazy)
				lazy += va_size(va) / PAGE_SIZE;
			else if (va->vm && (va->vm->flags & VM_ALLOC))
				used += va->vm->nr_pages;
			if ((r = check_area_ptes(m, va)))
				return r;
			if (!is_613(m))
				continue;
			/* a busy area lives in the node of its start address */
			total += va_size(va);
			if (addr_to_node(v, va->va_start) != vn)
				return area_error(m, va, "is busy in the wrong node");
			if (overlaps_tree(&v->free_root, va))
				return area_error(m, va, "is busy and in the free tree");
			if ((r = check_va_object(m, v, va)))
				return r;
		}
		if (!is_613(m))
			continue;
		for (struct list_head *p = vn->lazy_list.next; p != &vn->lazy_list; p = p->next) {
			struct vmap_area *va = list_entry(p, struct vmap_area, list);
			/* in the node it was allocated for, else in its address's */
			unsigned id = decode_vn_id(v, va->vn_id);
			const struct vmap_node *want = id < v->nr_nodes ? &v->nodes[id] : addr_to_node(v, va->va_start);
			total += va_size(va);
			lazy += va_size(va) / PAGE_SIZE;
			if (want != vn)
				return area_error(m, va, "is lazily freed in the wrong node");
			if ((r = check_area_ptes(m, va)))
				return r;
			if (overlaps_tree(&v->free_root, va))
				return area_error(m, va, "is lazily freed and in the free tree");
			if ((r = check_va_object(m, v, va)))
				return r;
		}
	}
	if (is_613(m)) {
		/* busy, lazy, pooled and free space tile [1, ULONG_MAX) without overlap */
		if ((r = check_pools(m, v, &total)))
			return r;
		for (const struct list_head *p = v->free_list.next; p != &v->free_list; p = p->next) {
			const struct vmap_area *va = list_entry(p, struct vmap_area, list);
			total += va_size(va);
			if ((r = check_va_object(m, v, va)))
				return r;
		}
		if (total != v->ulong_max - 1) {
			model_err(m, "vmalloc: busy, lazy, pooled and free space cover %#llx bytes, "
				 "not %#llx", (unsigned long long)total, (unsigned long long)(v->ulong_max - 1));
			return -EUCLEAN;
		}
		if ((r = check_preload(m, v)))
			return r;
		if (v->nodes_obj && m->slab) {
			struct object_info oi;
			slab_object_info(m, v->nodes_obj, &oi);
			if (!oi.found || !oi.allocated || oi.object_addr != v->nodes_obj) {
				model_err(m, "vmalloc: the vmap_nodes array %#llx is no live kmalloc "
					 "object", (unsigned long long)v->nodes_obj);
				return -EUCLEAN;
			}
		}
	}
	if (m->pt && (r = check_stray_ptes(m)))
		return r;
	used += v->vunmapped_vmalloc_pages;
	if (lazy != v->lazy_nr || used != v->nr_vmalloc_pages) {
		model_err(m, "vmalloc: vmap_lazy_nr %llu (counted %llu), vmalloc pages %llu "
			 "(counted %llu)", (unsigned long long)v->lazy_nr, (unsigned long long)lazy,
			 (unsigned long long)v->nr_vmalloc_pages, (unsigned long long)used);
		return -EUCLEAN;
	}
	return 0;
}

