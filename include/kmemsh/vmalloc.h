/*
 * vmalloc.h - vmap areas over [VMALLOC_START, VMALLOC_END) and vmalloc on
 * top of them (mm/vmalloc.c).
 *
 * A vmap area is a range of kernel virtual addresses handed out by the
 * vmap allocator: vmalloc, vmap and ioremap each take one, then write
 * page-table entries for it.  The allocator follows the modelled kernel:
 *
 *   6.13   busy trees and a free tree (red-black trees, rbtree.h); the
 *          free tree is augmented with each subtree's largest free block
 *          (subtree_max_size) and searched lowest-address-first
 *          (find_vmap_lowest_match); a free block is cut by va_clip() in
 *          one of four ways (FL/LE/RE/NE_FIT_TYPE); a freed area goes to
 *          the purge list and is merged back into the free tree
 *          (merge_or_add_vmap_area) when purge_vmap_area_lazy() runs, or
 *          kept in a per-node pool of its size for the next allocation of
 *          that size (x86_64 with more than one CPU: one vmap node per
 *          CPU, a busy and a lazy tree in each).
 *   2.6.32 one tree of busy areas (plus its address-ordered list) walked
 *          first-fit from the lowest address; lazily freed areas stay in
 *          the tree until __purge_vmap_area_lazy().
 *
 * Sizes: a vm_struct's size includes its guard page (one page after the
 * area unless VM_NO_GUARD; 2.6.32 always has it).  get_vm_area_size() is
 * size without the guard.
 *
 * Ownership: vm_structs belong to the vmap state of the machine; the
 * pointers handed out stay valid until the area is freed (vmap_area_free
 * or vfree/vunmap).  All functions return 0 or a negative errno with
 * m->err set, and log their steps in the change log.
 */
#ifndef KMEMSH_VMALLOC_H
#define KMEMSH_VMALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/gfp.h"

struct machine;

/* vm_struct->flags (include/linux/vmalloc.h, 6.13 values) */
#define VM_IOREMAP              0x00000001ul
#define VM_ALLOC                0x00000002ul
#define VM_MAP                  0x00000004ul
#define VM_USERMAP              0x00000008ul
#define VM_DMA_COHERENT         0x00000010ul
#define VM_UNINITIALIZED        0x00000020ul
#define VM_NO_GUARD             0x00000040ul
#define VM_KASAN                0x00000080ul
#define VM_FLUSH_RESET_PERMS    0x00000100ul
#define VM_MAP_PUT_PAGES        0x00000200ul
#define VM_ALLOW_HUGE_VMAP      0x00000400ul
#define VM_SPARSE               0x00001000ul
/* 2.6.32 also had VM_VPAGES (0x10): the pages array came from vmalloc;
 * 6.13 tells it by is_vmalloc_addr(pages).  We keep it as a model flag. */
#define VM_VPAGES               0x00010000ul

#define VMAP_CALLER_MAX 48

struct vm_struct {
	uint64_t addr;                  /* first address */
	uint64_t size;                  /* bytes, guard page included */
	unsigned long flags;            /* VM_* */
	uint64_t *pages;                /* pfns of the pages (model copy of the array) */
	unsigned nr_pages;              /* the kernel's count (0 for a vmap without VM_MAP_PUT_PAGES) */
	unsigned nr_mapped;             /* model: entries of pages[] mapped from addr on */
	unsigned page_order;            /* 6.x HAVE_ARCH_HUGE_VMALLOC: 9 for a huge vmalloc, else 0 */
	uint64_t phys_addr;             /* ioremap: the physical base */
	char caller[VMAP_CALLER_MAX];   /* %pS of the caller, e.g. "vmalloc+0x0/0x0" */
	/* model bookkeeping */
	uint64_t struct_addr;           /* kmalloc'ed address of the vm_struct */
	uint64_t pages_addr;            /* the pages array: kmalloc or vmalloc address, 0 none */
	bool zero;                      /* vzalloc / __GFP_ZERO */
	bool highmem;                   /* the pages were asked for with __GFP_HIGHMEM */
};

/* is_vm_area_hugepages(): the vmalloc area at addr was mapped with huge
 * pages (vmalloc_huge() on x86_64, VM_ALLOW_HUGE_VMAP) */
bool vmalloc_area_is_huge(struct machine *m, uint64_t addr);

static inline uint64_t get_vm_area_size(const struct vm_struct *vm)
{
	return (vm->flags & VM_NO_GUARD) ? vm->size : vm->size - 4096;
}

/* State: 6.13 creates it at boot (vmalloc_init(): vmap_area_cachep and
 * the free tree; on first use after --from), 2.6.32 on first use; freed
 * with the machine.
 * vmap_init() is boot's call: 0, or -ENOMEM with m->err set. */
int vmap_init(struct machine *m);
void vmap_destroy(struct machine *m);

/*
 * The area allocator (used by vmalloc, vmap and ioremap).
 * __get_vm_area_node(): size is rounded up to pages, the guard page added
 * unless VM_NO_GUARD; align a power of two >= PAGE_SIZE (0 = PAGE_SIZE);
 * [vstart, vend) the range to search (0, 0 = VMALLOC_START, VMALLOC_END).
 * The vm_struct is allocated with kmalloc (as the kernel does), the area
 * taken from the free space.  0, -ENOMEM (no space: the purge is tried
 * first, as the kernel does), -EINVAL.
 */
int vmap_area_alloc(struct machine *m, uint64_t size, uint64_t align, uint64_t vstart, uint64_t vend,
		    unsigned long vm_flags, const char *caller, struct vm_struct **out);
/*
 * remove_vm_area() + kfree(vm): the area's PTEs are cleared
 * (vunmap_range_noflush), it leaves the busy tree and goes to the lazy
 * (purge) list, the TLB flush waiting for the purge.  The pages are not
 * freed.  addr must be an area's start.
 */
int vmap_area_free(struct machine *m, uint64_t addr);
/*
 * ioremap_page_range() for an area from vmap_area_alloc(.., VM_IOREMAP, ..):
 * map its pages (guard excluded) to phys_addr, phys_addr + PAGE_SIZE, ...
 * with prot (the cache-mode bits included), page tables on demand;
 * records vm->phys_addr and vm->nr_mapped, which check() verifies.
 * phys_addr must be page-aligned.  0, -EINVAL, -ENOMEM.
 */
int vmap_ioremap_page_range(struct machine *m, struct vm_struct *vm, uint64_t phys_addr, uint64_t prot);
/* find_vm_area(): the busy area containing addr (guard page included), or NULL */
struct vm_struct *vmap_find_area(const struct machine *m, uint64_t addr);
/* the start of the area vfree(addr)/vunmap(addr) frees: 6.13 finds the live
 * area that contains a page-aligned addr (guard page included), 2.6.32
 * only the one that starts there; addr itself when there is none */
uint64_t vmap_free_target(const struct machine *m, uint64_t addr);

/* purge_vmap_area_lazy() / vm_unmap_aliases(): areas purged (>= 0) */
int vmap_purge_lazy(struct machine *m);
/* vmap_lazy_nr: pages of lazily freed areas waiting for the purge */
uint64_t vmap_lazy_nr(const struct machine *m);
/* lazy_max_pages() of the profile */
uint64_t vmap_lazy_max_pages(const struct machine *m);

/* vmalloc proper (__vmalloc_node_range). addr out. */
int vmalloc_node_range(struct machine *m, uint64_t size, uint64_t align, uint64_t start, uint64_t end,
		       gfp_t gfp, uint64_t prot, unsigned long vm_flags, const char *caller, uint64_t *addr);
int vmalloc_alloc(struct machine *m, uint64_t size, gfp_t gfp, unsigned long vm_flags, const char *caller,
		  uint64_t *addr);
/* vmalloc_node()'s node: the next vmallocs take their pages from node
 * nid's zonelist (alloc_pages_node()); -1 (NUMA_NO_NODE) again after it.
 * nid must exist (< m->nr_nodes). */
void vmalloc_set_node(struct machine *m, int nid);
/*
 * vfree: in atomic context might_sleep()s (6.13); from interrupt context
 * 6.13 defers it (vfree_atomic(): the area stays mapped until the work
 * runs, vmap_run_deferred()) and 2.6.32 BUG()s (-EPERM, model unchanged).
 * vunmap: BUG_ON(in_interrupt()) in both (-EPERM), might_sleep().
 */
int vfree_area(struct machine *m, uint64_t addr);                       /* vfree */
int vmap_pages(struct machine *m, const uint64_t *pfns, unsigned n, unsigned long vm_flags,
	       const char *caller, uint64_t *addr);                     /* vmap(pages, n, flags, PAGE_KERNEL) */
int vunmap_area(struct machine *m, uint64_t addr);                      /* vunmap */
/* whether a live vmap() area (VM_MAP) maps a page of [pfn, pfn + n): its
 * mapping holds the page, which compaction must not migrate */
bool vmap_maps_pfn(const struct machine *m, uint64_t pfn, uint64_t n);
/* the start of a live area with one of flags (VM_ALLOC, VM_MAP) that maps a
 * page of [pfn, pfn + n), or 0 */
uint64_t vmap_area_of_pfn(const struct machine *m, uint64_t pfn, uint64_t n, unsigned long flags);
/* the area a vmalloc (VM_ALLOC, preferred) or vmap (VM_MAP) maps a page of
 * [pfn, pfn + n) in, 0 none; *kind says which: one pass (__free_pages) */
uint64_t vmap_area_mapping_pfn(const struct machine *m, uint64_t pfn, uint64_t n, unsigned long *kind);
bool vmap_is_vmalloc_addr(const struct machine *m, uint64_t addr);     /* is_vmalloc_addr */
/* 6.13 vfree_atomic()'s queue: areas waiting, is addr one of them, and
 * delayed_vfree_work(): vfree() each (newest first); number freed */
unsigned vmap_deferred_count(const struct machine *m);
bool vmap_is_deferred(const struct machine *m, uint64_t addr);
int vmap_run_deferred(struct machine *m);
/* vmalloc_to_pfn: 0 and *pfn, -EFAULT when not mapped */
int vmap_vmalloc_to_pfn(const struct machine *m, uint64_t addr, uint64_t *pfn);

/* Iteration in address order: busy areas, then (6.13) the lazily freed
 * ones (purge list) and free blocks. */
typedef int (*vm_area_cb)(void *arg, const struct vm_struct *vm);
void vmap_walk_busy(const struct machine *m, vm_area_cb cb, void *arg);
struct vmap_range {
	uint64_t start, end;
};
typedef int (*vmap_range_cb)(void *arg, uint64_t start, uint64_t end);
void vmap_walk_lazy(const struct machine *m, vmap_range_cb cb, void *arg);
void vmap_walk_free(const struct machine *m, vmap_range_cb cb, void *arg);
/* a lazily freed (not yet purged) area containing addr: 0 and *r, else -ENOENT */
int vmap_find_lazy(const struct machine *m, uint64_t addr, struct vmap_range *r);

/* 6.13 vmap nodes: nr_vmap_nodes (1 on 32-bit, on one CPU and on
 * 2.6.32) and vmap_zone_size (16 pages with more than one node, else 1) */
unsigned vmap_nr_nodes(const struct machine *m);
uint64_t vmap_zone_size(const struct machine *m);
/* the kmalloc_array() of the nodes (a kmalloc address), 0 with one node */
uint64_t vmap_nodes_array(const struct machine *m);
/* 6.13 node pools: every pooled area, node by node, pool by pool (areas
 * of `pages` pages; len is the pool's length), each pool from its head
 * (the area node_alloc() takes next) */
typedef int (*vmap_pool_cb)(void *arg, unsigned node, unsigned pages, unsigned long len, uint64_t start,
			    uint64_t end);
void vmap_walk_pools(const struct machine *m, vmap_pool_cb cb, void *arg);
/* the pooled area holding addr: 0, *r and *node (may be NULL), else -ENOENT */
int vmap_find_pooled(const struct machine *m, uint64_t addr, struct vmap_range *r, unsigned *node);
/* CH_VMAP_POOL's mt: what happened to [addr, val) */
enum vmap_pool_event {
	VMAP_POOL_ADD,          /* purge_vmap_node() put it into node pfn's pool (len now pfn2) */
	VMAP_POOL_TAKE,         /* node_alloc() took it from node pfn's pool (len now pfn2) */
	VMAP_POOL_DECAY,        /* decay_va_pool_node() took it out of node pfn's pool (len now pfn2) */
	VMAP_POOL_RECLAIM,      /* decayed areas, merged, went into free block [pfn, pfn2) */
	VMAP_POOL_SHRINK,       /* the vmap-node shrinker's scan: pfn areas pooled, at priority pfn2 */
	VMAP_POOL_SHRUNK,       /* the shrinker took it out of node pfn's pool (len now pfn2) */
	/* 6.13 __purge_vmap_area_lazy()'s helpers (no range: addr is 0) */
	VMAP_PURGE_PLAN,        /* old lazy pages, val lazy_max_pages(), pfn nodes to purge, pfn2 helpers;
				   obj the CPU purging, cache enum vmap_purger */
	VMAP_PURGE_QUEUE,       /* node pfn's purge_work queued for CPU pfn2 (obj areas; cache: how) */
	VMAP_PURGE_NODE,        /* purge_vmap_node() of node pfn runs on CPU pfn2 (obj areas; cache: how) */
};
/* who runs __purge_vmap_area_lazy() (VMAP_PURGE_PLAN's cache) */
enum vmap_purger {
	VMAP_PURGER_CALLER,     /* purge_vmap_area_lazy() / vm_unmap_aliases() in the calling task */
	VMAP_PURGER_DRAIN,      /* drain_vmap_area_work(): schedule_work() from free_vmap_area_noflush() */
	VMAP_PURGER_ALLOC,      /* reclaim_and_purge_vmap_areas(): an allocation found no space */
};
/* how a node is purged (VMAP_PURGE_QUEUE / VMAP_PURGE_NODE's cache) */
enum vmap_purge_how {
	VMAP_PURGE_SELF,        /* by the purging task itself */
	VMAP_PURGE_WORK_ON,     /* by a helper: schedule_work_on(node's CPU), waited for with flush_work() */
	VMAP_PURGE_WORK,        /* by a helper: schedule_work(), the node's CPU being offline */
};
/* 6.13: the "vmap-node" shrinker vmalloc_init() registered (vmscan.h),
 * NULL before the vmap allocator starts and on 2.6.32 */
struct shrinker *vmap_node_shrinker(const struct machine *m);

/* The trees as they are shaped (`show vmap`): pre-order, each node with
 * its depth and colour; subtree_max is the free tree's augmented value
 * (0 in the other trees).  which: 0 busy (2.6.32: every area, lazy ones
 * flagged), 1 free (6.13), 2 lazy (6.13); node: the vmap node of a busy
 * or lazy tree (6.13; 0 on one node).  Returns the number of nodes. */
struct vmap_tree_node {
	uint64_t start, end, subtree_max;
	unsigned depth;
	bool red, lazy;
};
typedef int (*vmap_tree_cb)(void *arg, const struct vmap_tree_node *n);
size_t vmap_walk_tree(const struct machine *m, int which, unsigned node, vmap_tree_cb cb, void *arg);

/* Totals for meminfo */
struct vmalloc_totals {
	uint64_t used_pages;            /* 6.13 VmallocUsed: vmalloc_nr_pages() */
	uint64_t used_bytes;            /* 2.6.32 VmallocUsed: sum of VM_... areas' sizes */
	uint64_t largest_chunk;         /* 2.6.32 VmallocChunk: largest free gap */
};
void vmap_totals(const struct machine *m, struct vmalloc_totals *t);

/* check(): every area's PTEs map exactly its pages, trees agree */
int vmap_check(struct machine *m);

#endif
