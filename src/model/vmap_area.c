/*
 * vmap_area.c - the address allocator of mm/vmalloc.c (Linux 6.13 and
 * 2.6.32): where a new vmap area goes.
 *
 * 6.13: free space is a red-black tree of free blocks sorted by address
 * and augmented with subtree_max_size (the largest block below a node:
 * RB_DECLARE_CALLBACKS_MAX), so find_vmap_lowest_match() descends to the
 * lowest-addressed block that fits in O(log n), and va_clip() cuts the
 * chosen block by one of the four fit types.  Freed space goes back
 * through merge_or_add_vmap_area(), which joins it to the free blocks it
 * touches.
 *
 * 2.6.32: there is no free tree; alloc_vmap_area() walks the busy tree
 * first-fit from the lowest address.
 */
#include <stdlib.h>

#include "kmemsh/machine.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/vmalloc.h"
#include "vmalloc_impl.h"

/* ---- the augmented free tree (RB_DECLARE_CALLBACKS_MAX) ------------------------ */

static uint64_t get_subtree_max_size(const struct rb_node *n)
{
	return n ? rb_entry(n, struct vmap_area, rb_node)->subtree_max_size : 0;
}

uint64_t compute_subtree_max_size(const struct vmap_area *va)
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

int insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head)
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

void unlink_va(struct vmap_area *va, struct rb_root *root, bool augment)
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
struct vmap_area *merge_or_add_vmap_area_augment(struct machine *m, struct vmap_area *va,
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
			vmap_va_obj_free(m, va);     /* kmem_cache_free(vmap_area_cachep, va) */
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
			vmap_va_obj_free(m, va);
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
			unsigned cpu = vmap_va_cpu(m, v);
			lva->obj = v->preload[cpu];
			v->preload[cpu] = 0;
			if (!lva->obj)
				lva->obj = vmap_va_obj_alloc(m, v, vmap_gfp_named(m, "GFP_NOWAIT"));
			if (!lva->obj) {
				free(lva);
				return -ENOMEM;
			}
		}
	}
	vmap_log_change(m, CH_VMAP_CLIP, va->va_start, va->va_end, nva, nva + size, (int)type);
	if (type == FL_FIT_TYPE) {
		unlink_va(va, root, true);
		vmap_va_obj_free(m, va);
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
uint64_t vmap_alloc_613(struct machine *m, struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart,
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
			vmap_warn(m, "alloc_vmap_area", 0, NULL);
		}
		return vend;
	}
	return nva;
}

/* ---- 2.6.32: alloc_vmap_area()'s first fit over the busy tree -------------------- */

uint64_t vmap_alloc_2632(struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend)
{
	uint64_t addr = align_up(vstart, align);
	struct rb_node *n = v->nodes[0].busy_root.rb_node;

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
