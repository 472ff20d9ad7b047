/*
 * vmalloc_impl.h - the vmap allocator's state, shared by the files of
 * mm/vmalloc.c's model.  Internal to src/model.
 *
 *   vmalloc.c        the area API (__get_vm_area_node(), remove_vm_area()),
 *                    vmalloc/vfree/vmap/vunmap, the walks the views read
 *   vmap_area.c      the free tree (augmented red-black tree) and the two
 *                    allocators of addresses: 6.13 find_vmap_lowest_match()
 *                    + va_clip(), 2.6.32 alloc_vmap_area()'s first fit
 *   vmap_node.c      6.13 vmap nodes, their pools of freed areas, the lazy
 *                    purge (both versions) and the pool shrinker
 *   vmalloc_check.c  vmap_check(): the trees, the PTEs, the pools
 *
 * Calls run one way: vmalloc.c calls vmap_node.c and vmap_area.c;
 * vmap_node.c calls vmap_area.c (merge_or_add_vmap_area_augment());
 * the helpers vmalloc.c offers below (the vmap_area object, the change
 * log) are leaves.  Kernel functions keep their kernel names.
 */
#ifndef KMEMSH_VMALLOC_IMPL_H
#define KMEMSH_VMALLOC_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "kmemsh/machine.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"

#define PAGE_SIZE 4096ull

struct list_head {
	struct list_head *next, *prev;
};

static inline void list_init(struct list_head *h)
{
	h->next = h->prev = h;
}

static inline void list_add_after(struct list_head *n, struct list_head *prev)
{
	n->next = prev->next;
	n->prev = prev;
	prev->next->prev = n;
	prev->next = n;
}

static inline void list_del(struct list_head *n)
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
	unsigned vn_id;                 /* 6.13 va->flags' encoded node: (id + 1) << 8, 0 none */
	uint64_t obj;                   /* the struct vmap_area's object: 2.6.32 kmalloc, 6.13 vmap_area_cachep */
};

/* 6.13 "A fast size storage contains VAs up to 1M size": pool[i] holds
 * areas of i + 1 pages */
#define MAX_VA_SIZE_PAGES 256

struct vmap_pool {
	struct list_head head;
	unsigned long len;
};

/* 6.13 struct vmap_node; 2.6.32's one vmap_area tree is node 0's busy tree */
struct vmap_node {
	struct vmap_pool pool[MAX_VA_SIZE_PAGES];
	bool skip_populate;
	struct rb_root busy_root;       /* 6.13 vn->busy; 2.6.32 vmap_area_root (lazy ones too) */
	struct list_head busy_list;
	struct rb_root lazy_root;       /* 6.13 vn->lazy */
	struct list_head lazy_list;
	struct list_head purge_list;
	unsigned long nr_purged;
};

struct vmap_state {
	struct rb_root free_root;       /* 6.13 free_vmap_area_root */
	struct list_head free_list;
	struct vmap_node single;        /* the static node of a one-node kernel */
	struct vmap_node *nodes;        /* vmap_nodes: &single, or the kmalloc_array() of vmap_init_nodes() */
	unsigned nr_nodes;              /* nr_vmap_nodes */
	uint64_t zone_size;             /* vmap_zone_size */
	uint64_t nodes_obj;             /* the kmalloc'ed array, 0 with the single node */
	uint64_t lazy_nr;               /* vmap_lazy_nr, pages */
	int node;                       /* the NUMA node of the vmalloc_node() in progress, -1 NUMA_NO_NODE */
	uint64_t nr_vmalloc_pages;
	uint64_t vunmapped_vmalloc_pages; /* of VM_ALLOC areas vunmap() took: still in nr_vmalloc_pages, allocated, no area's */
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
	struct shrinker shrinker;       /* 6.13 vmap_node_shrinker, registered by vmalloc_init() */
};

#define VMALLOC_C "mm/vmalloc.c"

/* 6.x: the augmented free tree, vmap_area_cachep, the lazy purge into the
 * free tree; 6.1 is 6.13 with one vmap node and no pools (vmap_nodes) */
static inline bool is_613(const struct machine *m)
{
	return m->kp->kv != KV_2_6_32;
}

static inline uint64_t va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static inline uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* vmalloc.c: the struct vmap_area's object (6.13 vmap_area_cachep,
 * 2.6.32 kmalloc), this CPU's preload slot, GFP masks by name, the WARN
 * of a bad vfree()/vunmap() (line 0: the file without a line), the change
 * log */
uint64_t vmap_va_obj_alloc(struct machine *m, struct vmap_state *v, gfp_t gfp);
void vmap_va_obj_free(struct machine *m, struct vmap_area *va);
unsigned vmap_va_cpu(const struct machine *m, const struct vmap_state *v);
gfp_t vmap_gfp_named(const struct machine *m, const char *name);
void vmap_warn(struct machine *m, const char *fn, int line, const char *msg);
void vmap_log_change(struct machine *m, enum change_kind kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		     int mt);

/* vmap_area.c: the trees; the address of a new area, or vend when
 * nothing fits (6.13 __alloc_vmap_area(), 2.6.32 alloc_vmap_area()) */
int insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head);
void unlink_va(struct vmap_area *va, struct rb_root *root, bool augment);
struct vmap_area *merge_or_add_vmap_area_augment(struct machine *m, struct vmap_area *va, struct rb_root *root,
						 struct list_head *head);
uint64_t compute_subtree_max_size(const struct vmap_area *va);
uint64_t vmap_alloc_613(struct machine *m, struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart,
			uint64_t vend);
uint64_t vmap_alloc_2632(struct vmap_state *v, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend);

/* vmap_node.c: the nodes, their pools, the purge (6.13
 * __purge_vmap_area_lazy(); full_pool_decay from an allocation that found
 * no space) */
void vmap_node_init(struct vmap_node *vn);
int vmap_init_nodes(struct machine *m, struct vmap_state *v);
unsigned addr_to_node_id(const struct vmap_state *v, uint64_t addr);
struct vmap_node *addr_to_node(const struct vmap_state *v, uint64_t addr);
unsigned decode_vn_id(const struct vmap_state *v, unsigned val);
unsigned vmap_node_id(const struct vmap_state *v, const struct vmap_node *vn);
struct vmap_area *node_alloc(struct machine *m, struct vmap_state *v, uint64_t size, uint64_t align,
			     uint64_t vstart, uint64_t vend, unsigned *vn_id);
int vmap_purge_613(struct machine *m, struct vmap_state *v, bool full_pool_decay, enum vmap_purger by);
/* free_vmap_area_noflush() past lazy_max_pages(): 6.13 schedule_work(&drain_vmap_work), run at once;
 * 2.6.32 try_purge_vmap_area_lazy() */
int vmap_purge_drain(struct machine *m);
void vmap_node_shrinker_register(struct machine *m, struct vmap_state *v);

#endif
