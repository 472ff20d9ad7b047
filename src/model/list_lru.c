/*
 * list_lru.c - the shrinkable caches: unused objects of SLAB_RECLAIM_ACCOUNT
 * caches kept on list_lrus (mm/list_lru.c), which their shrinkers free
 * when shrink_slab() (shrinker.c) asks.
 *
 * A cache's unused objects (a dentry nobody holds, an inode no dentry
 * pins) stay allocated, oldest first on a list_lru, until memory runs
 * short: then reclaim and drop_caches 2 call the shrinkers, which free
 * objects from the head of their lists; the emptied slabs' pages go back
 * to the buddy allocator as the slab allocator lets them go.
 *
 * Two kinds of shrinker, each registered in the one registry:
 *
 * - the filesystem's, over the kernel's own dentry and inode caches
 *   (6.x: the caches named dentry and inode_cache, which boot makes,
 *   boot_caches.c, and a --from snapshot has): fs/super.c alloc_super()'s
 *   "sb-" shrinker, super_cache_count() / super_cache_scan(), batch 1024,
 *   seeks DEFAULT_SEEKS.  Its count is vfs_pressure_ratio() of the objects
 *   on both lists (mult_frac(n, vm.vfs_cache_pressure, 100)); its scan
 *   shares nr_to_scan between the lists in proportion, prune_dcache_sb()
 *   first (the dentries pin the inodes), then prune_icache_sb(), each
 *   asked for one more than its share.  The model keeps one superblock
 *   for all the machine's filesystems (a real machine has one shrinker
 *   per mounted filesystem, each with its own lists), and its objects are
 *   the simplest unused ones: negative dentries (lookups of names that do
 *   not exist: no inode behind them) and inodes without a dentry or page
 *   cache, none of them referenced again, so each scan frees what it
 *   walks (dentry_lru_isolate(), inode_lru_isolate() without
 *   DCACHE_REFERENCED / I_REFERENCED).
 *
 * - any other SLAB_RECLAIM_ACCOUNT cache's own shrinker over one list_lru
 *   (a driver's cache, kmalloc-rcl-*, or 2.6.32's caches: that profile
 *   boots no named caches), counting its objects and freeing what it is
 *   asked to scan.
 *
 * A list_lru is a list per node (struct list_lru_node), and each object
 * goes on the list of its slab page's node (6.13 list_lru_add_obj():
 * page_to_nid(virt_to_page(item))).  The superblock's shrinker is
 * SHRINKER_NUMA_AWARE: shrink_slab(gfp, nid, ...) makes it count and scan
 * node nid's lists only (list_lru_shrink_count(), list_lru_shrink_walk()),
 * so node N's kswapd frees node N's objects.  A cache's own shrinker is
 * not NUMA-aware: it counts every node's objects (list_lru_count()) and
 * walks the lists in node order (list_lru_walk()).  With one node all is
 * on node 0's list, as before.
 *
 * The objects of a scan are freed quietly (one shrink_slab step in the
 * change log, vmscan.c, not an event per object).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

#define SB_SHRINK_BATCH 1024    /* fs/super.c alloc_super(): s_shrink->batch */

/* mult_frac(x, numer, denom) (include/linux/math.h) */
static uint64_t mult_frac(uint64_t x, uint64_t numer, uint64_t denom)
{
	uint64_t q = x / denom, r = x % denom;
	return q * numer + r * numer / denom;
}

/* ---- the lists ----------------------------------------------------------------- */

/* page_to_nid(virt_to_page(item)): the node of the object's slab page */
static unsigned obj_nid(const struct machine *m, uint64_t addr)
{
	uint64_t pfn;
	if (machine_vaddr_to_pfn(m, addr, &pfn, NULL))
		return 0;
	int z = machine_pfn_zone(m, pfn);
	return z >= 0 ? m->zones[z].nid : 0;
}

/* list_lru_shrink_walk() of node nid's list with an isolate callback that
 * frees every object it walks: up to nr objects from the head of the
 * list; the objects freed. */
static uint64_t lru_free_node(struct machine *m, struct vm_list_lru *l, unsigned nid, uint64_t nr)
{
	uint64_t freed = 0;
	struct vm_list_lru_one *o = &l->node[nid];
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	for (; nr && o->n; nr--) {
		uint64_t addr = o->obj[o->head++];
		o->n--;
		l->n--;
		if (slab_cache_free(m, l->cache, addr) == 0)
			freed++;
	}
	vmscan_quiet_end(m, q);
	if (!o->n)
		o->head = 0;
	return freed;
}

/* include/linux/list_lru.h list_lru_walk(): the nodes' lists in node
 * order (for_each_node_state(nid, N_NORMAL_MEMORY)) until nr objects were
 * walked; the objects freed */
static uint64_t lru_free_all(struct machine *m, struct vm_list_lru *l, uint64_t nr)
{
	uint64_t freed = 0;
	for (unsigned nid = 0; nid < m->nr_nodes && nid < MAX_NUMNODES_MODEL && nr; nid++) {
		uint64_t walk = nr < l->node[nid].n ? nr : l->node[nid].n;
		freed += lru_free_node(m, l, nid, walk);
		nr -= walk;
	}
	return freed;
}

/* room for one more at the tail of node nid's list: 0 or -ENOMEM */
static int lru_room(struct vm_list_lru *l, unsigned nid)
{
	struct vm_list_lru_one *o = &l->node[nid];
	if (o->head + o->n < o->cap)
		return 0;
	if (o->head) {
		memmove(o->obj, o->obj + o->head, o->n * sizeof *o->obj);
		o->head = 0;
		return 0;
	}
	uint64_t cap = o->cap ? 2 * o->cap : 64;
	uint64_t *p = realloc(o->obj, cap * sizeof *p);
	if (!p)
		return -ENOMEM;
	o->obj = p;
	o->cap = cap;
	return 0;
}

static void lru_release(struct vm_list_lru *l)
{
	for (unsigned nid = 0; nid < MAX_NUMNODES_MODEL; nid++)
		free(l->node[nid].obj);
	*l = (struct vm_list_lru){ .cache = -1 };
}

/* ---- the callbacks ------------------------------------------------------------- */

/* A cache's own shrinker, not SHRINKER_NUMA_AWARE: it counts and walks
 * every node's list whatever node it is asked for (list_lru_count(),
 * list_lru_walk()), as a shrinker without per-node counts does; its one
 * nr_deferred is [0] (xchg_nr_deferred()). */
static unsigned long cache_count(struct machine *m, struct shrink_control *sc)
{
	(void)m;
	const struct vm_shrinker *vs = sc->private_data;
	return vs->lru[0].n;
}

static unsigned long cache_scan(struct machine *m, struct shrink_control *sc)
{
	struct vm_shrinker *vs = sc->private_data;
	return lru_free_all(m, &vs->lru[0], sc->nr_to_scan);
}

/* list_lru_shrink_count(): node sc->nid's objects (6.13 shrink_slab()
 * passes the node to every shrinker; 2.6.32 has no superblock shrinker) */
static uint64_t shrink_count(const struct vm_list_lru *l, const struct shrink_control *sc)
{
	return sc->nid >= 0 && sc->nid < MAX_NUMNODES_MODEL ? l->node[sc->nid].n : 0;
}

/* fs/super.c super_cache_count(), SHRINKER_NUMA_AWARE: node sc->nid's
 * dentries and inodes */
static unsigned long super_cache_count(struct machine *m, struct shrink_control *sc)
{
	const struct vm_shrinker *vs = sc->private_data;
	/* list_lru_shrink_count() of s_dentry_lru and s_inode_lru */
	uint64_t total = shrink_count(&vs->lru[0], sc) + shrink_count(&vs->lru[1], sc);
	if (!total)
		return SHRINK_EMPTY;
	return mult_frac(total, (uint64_t)m->vfs_cache_pressure, 100);   /* vfs_pressure_ratio() */
}

/* fs/super.c super_cache_scan(): node sc->nid's lists */
static unsigned long super_cache_scan(struct machine *m, struct shrink_control *sc)
{
	struct vm_shrinker *vs = sc->private_data;
	/* deadlock avoidance: no recursion into the filesystem without __GFP_FS */
	if (!(sc->gfp_mask & vmscan_gfp_bit(m, "__GFP_FS")))
		return SHRINK_STOP;
	uint64_t dentries = shrink_count(&vs->lru[0], sc), inodes = shrink_count(&vs->lru[1], sc);
	uint64_t total = dentries + inodes + 1;         /* no fs_objects */
	/* proportion the scan between the caches */
	dentries = mult_frac(sc->nr_to_scan, dentries, total);
	inodes = mult_frac(sc->nr_to_scan, inodes, total);
	/* prune the dcache first as the icache is pinned by it; at least one
	 * object each: prune_dcache_sb() and prune_icache_sb() walk node
	 * sc->nid's list (list_lru_shrink_walk()) */
	unsigned nid = (unsigned)sc->nid;
	if (nid >= MAX_NUMNODES_MODEL)
		return 0;
	unsigned long freed = lru_free_node(m, &vs->lru[0], nid, dentries + 1);   /* prune_dcache_sb() */
	freed += lru_free_node(m, &vs->lru[1], nid, inodes + 1);                  /* prune_icache_sb() */
	return freed;
}

/* ---- registration ------------------------------------------------------------- */

/* the kernel's own dentry and inode caches: 0 and 1; -1 for any other */
static int vfs_cache(const struct machine *m, int cache)
{
	if (m->kp->kv == KV_2_6_32)
		return -1;
	const char *name = m->slab->caches[cache].name;
	if (strcmp(name, "dentry") == 0)
		return 0;
	if (strcmp(name, "inode_cache") == 0)
		return 1;
	return -1;
}

static struct vm_list_lru *lru_of(const struct vm_state *v, int cache, struct vm_shrinker **vs)
{
	for (unsigned i = 0; i < v->nshrinker; i++)
		for (int k = 0; k < 2; k++)
			if (v->shrinker[i].kind != VM_SHR_NONE && v->shrinker[i].lru[k].cache == cache) {
				if (vs)
					*vs = (struct vm_shrinker *)&v->shrinker[i];
				return (struct vm_list_lru *)&v->shrinker[i].lru[k];
			}
	return NULL;
}

const struct vm_list_lru *vmscan_shrinkable_lru(const struct machine *m, int cache, const struct shrinker **s)
{
	struct vm_shrinker *vs = NULL;
	const struct vm_list_lru *l = m->vm ? lru_of(m->vm, cache, &vs) : NULL;
	if (s)
		*s = l ? &vs->shrinker : NULL;
	return l;
}

uint64_t vmscan_shrinkable_count(const struct machine *m, int cache)
{
	const struct vm_list_lru *l = vmscan_shrinkable_lru(m, cache, NULL);
	return l ? l->n : 0;
}

uint64_t vmscan_shrinkable_count_node(const struct machine *m, int cache, unsigned nid)
{
	const struct vm_list_lru *l = vmscan_shrinkable_lru(m, cache, NULL);
	return l && nid < MAX_NUMNODES_MODEL ? l->node[nid].n : 0;
}

bool vmscan_shrinker_owns(const struct machine *m, int cache, uint64_t addr)
{
	const struct vm_list_lru *l = vmscan_shrinkable_lru(m, cache, NULL);
	if (!l)
		return false;
	const struct vm_list_lru_one *o = &l->node[obj_nid(m, addr)];
	for (uint64_t i = 0; i < o->n; i++)
		if (o->obj[o->head + i] == addr)
			return true;
	return false;
}

static void shrinker_release(struct machine *m, struct vm_shrinker *vs)
{
	shrinker_free(m, &vs->shrinker);
	for (int k = 0; k < 2; k++)
		lru_release(&vs->lru[k]);
	*vs = (struct vm_shrinker){ .kind = VM_SHR_NONE, .lru = { { .cache = -1 }, { .cache = -1 } } };
}

/* a list whose cache was destroyed is gone (its list was empty, or the
 * destroy would have been refused); a shrinker with no list left is
 * unregistered and its slot free */
static void forget_destroyed(struct machine *m, struct vm_state *v)
{
	const struct slab_state *st = m->slab;
	for (unsigned i = 0; i < v->nshrinker; i++) {
		struct vm_shrinker *vs = &v->shrinker[i];
		if (vs->kind == VM_SHR_NONE)
			continue;
		bool any = false;
		for (int k = 0; k < 2; k++) {
			struct vm_list_lru *l = &vs->lru[k];
			if (l->cache >= 0 && ((uint32_t)l->cache >= st->nr_caches || !st->caches[l->cache].live))
				lru_release(l);
			any |= l->cache >= 0;
		}
		if (!any)
			shrinker_release(m, vs);
	}
}

/* The list for cache's objects, its shrinker registered (register_shrinker(),
 * or alloc_super()'s for the dentry and inode caches) */
static struct vm_list_lru *lru_for(struct machine *m, struct vm_state *v, int cache)
{
	struct vm_list_lru *l = lru_of(v, cache, NULL);
	if (l)
		return l;
	int k = vfs_cache(m, cache);
	if (k >= 0)
		for (unsigned i = 0; i < v->nshrinker; i++)
			if (v->shrinker[i].kind == VM_SHR_SB) {
				v->shrinker[i].lru[k].cache = cache;
				return &v->shrinker[i].lru[k];
			}
	struct vm_shrinker *vs = NULL;
	for (unsigned i = 0; i < v->nshrinker && !vs; i++)
		if (v->shrinker[i].kind == VM_SHR_NONE)
			vs = &v->shrinker[i];
	if (!vs && v->nshrinker == VM_SHRINKERS_MAX) {
		model_err(m, "at most %d shrinkers", VM_SHRINKERS_MAX);
		return NULL;
	}
	if (!vs)
		vs = &v->shrinker[v->nshrinker++];
	*vs = (struct vm_shrinker){ .kind = k >= 0 ? VM_SHR_SB : VM_SHR_CACHE,
				    .lru = { { .cache = -1 }, { .cache = -1 } } };
	if (k >= 0)
		vs->shrinker = (struct shrinker){ .name = "sb", .count_objects = super_cache_count,
						  .scan_objects = super_cache_scan, .seeks = DEFAULT_SEEKS,
						  .batch = SB_SHRINK_BATCH, .private_data = vs,
						  /* alloc_super(): SHRINKER_NUMA_AWARE |
						   * SHRINKER_MEMCG_AWARE */
						  .flags = SHRINKER_NUMA_AWARE };
	else
		vs->shrinker = (struct shrinker){ .name = "list_lru", .count_objects = cache_count,
						  .scan_objects = cache_scan, .seeks = DEFAULT_SEEKS,
						  .private_data = vs };
	if (shrinker_register(m, &vs->shrinker)) {
		vs->kind = VM_SHR_NONE;
		model_err(m, "at most %d shrinkers", MACHINE_SHRINKERS_MAX);
		return NULL;
	}
	l = &vs->lru[k >= 0 ? k : 0];
	l->cache = cache;
	return l;
}

int vmscan_shrinkable_add(struct machine *m, int cache, uint64_t n, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	const struct slab_state *st = m->slab;
	if (!st || cache < 0 || (uint32_t)cache >= st->nr_caches || !st->caches[cache].live) {
		model_err(m, "no such cache");
		return -EINVAL;
	}
	if (!(st->caches[cache].flags & SLAB_RECLAIM_ACCOUNT_F)) {
		model_err(m, "%s is not a SLAB_RECLAIM_ACCOUNT cache: its pages would not count as reclaimable "
			  "(create one with kmem_cache_create NAME SIZE SLAB_RECLAIM_ACCOUNT, or use a kmalloc-rcl cache)",
			  st->caches[cache].name);
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	forget_destroyed(m, v);
	struct vm_list_lru *l = lru_for(m, v, cache);
	if (!l)
		return -ENOSPC;
	/* d_alloc(), alloc_inode(): kmem_cache_alloc(GFP_KERNEL) */
	gfp_t gfp = vmscan_gfp_bit(m, "GFP_KERNEL");
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	int r = 0;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t addr;
		r = slab_cache_alloc(m, cache, gfp, &addr);
		if (r)
			break;
		/* list_lru_add_obj(): the list of the object's node; reclaim
		 * inside the allocation may have run this very shrinker */
		unsigned nid = obj_nid(m, addr);
		struct vm_list_lru_one *o = &l->node[nid];
		if (lru_room(l, nid)) {
			slab_cache_free(m, cache, addr);
			model_err(m, "out of host memory");
			r = -ENOMEM;
			break;
		}
		o->obj[o->head + o->n++] = addr;        /* list_lru_add(): the tail */
		l->n++;
		(*added)++;
		vmscan_kswapd_pending(m);
	}
	vmscan_quiet_end(m, q);
	return r;
}

int vmscan_shrinkable_check(struct machine *m)
{
	for (unsigned i = 0; m->vm && i < m->vm->nshrinker; i++)
		for (int k = 0; k < 2; k++) {
			const struct vm_list_lru *l = &m->vm->shrinker[i].lru[k];
			if (m->vm->shrinker[i].kind == VM_SHR_NONE || l->cache < 0)
				continue;
			uint64_t n = 0;
			for (unsigned nid = 0; nid < MAX_NUMNODES_MODEL; nid++) {
				const struct vm_list_lru_one *o = &l->node[nid];
				n += o->n;
				for (uint64_t j = 0; j < o->n; j++)
					if (obj_nid(m, o->obj[o->head + j]) != nid) {
						model_err(m, "list_lru of %s: object %#llx is on node %u's list, its slab "
							  "page on node %u", m->slab->caches[l->cache].name,
							  (unsigned long long)o->obj[o->head + j], nid,
							  obj_nid(m, o->obj[o->head + j]));
						return -EUCLEAN;
					}
			}
			if (n != l->n) {
				model_err(m, "list_lru of %s counts %llu objects, its lists hold %llu",
					  m->slab->caches[l->cache].name, (unsigned long long)l->n, (unsigned long long)n);
				return -EUCLEAN;
			}
		}
	return 0;
}

void vmscan_shrinkable_destroy(struct machine *m)
{
	for (unsigned i = 0; m->vm && i < m->vm->nshrinker; i++)
		if (m->vm->shrinker[i].kind != VM_SHR_NONE)
			shrinker_release(m, &m->vm->shrinker[i]);
}
