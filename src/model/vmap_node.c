/*
 * vmap_node.c - 6.13 vmap nodes, their pools of freed areas and the lazy
 * purge of mm/vmalloc.c (Linux 6.13; 2.6.32's purge at the end).
 *
 * 6.13 vmap nodes (vmap_init_nodes()): on a 64-bit kernel with more than
 * one possible CPU, nr_vmap_nodes = clamp(num_possible_cpus(), 1, 128)
 * and the address space is dealt out to the nodes in zones of 16 pages
 * (vmap_zone_size): a busy area lives in the node of its start address
 * (addr_to_node()).  Each node also keeps pools of free areas, one per
 * size of 1 to MAX_VA_SIZE_PAGES (256) pages: an area allocated over
 * [VMALLOC_START, VMALLOC_END) is marked with the node of the CPU that
 * asked (encode_vn_id()), and the purge puts it, once flushed, into that
 * node's pool of its size instead of merging it into the free tree
 * (purge_vmap_node()); node_alloc() serves the next allocation of exactly
 * that size from the pool before any free-tree search.  Each purge first
 * decays every pool by a quarter (decay_va_pool_node(); a pool of fewer
 * than 4 areas empties: the kernel's --n_decay wraps below zero), all of
 * it when the purge comes from an allocation that found no space.  A
 * 32-bit kernel (the #if BITS_PER_LONG == 64 in vmap_init_nodes()) and a
 * single-CPU machine keep the one static node and no pools are used.
 *
 * Memory pressure trims the pools too: vmalloc_init() registers the
 * "vmap-node" shrinker, whose count is every pool's len and whose scan
 * empties every pool of every node (decay_va_pool_node() with
 * full_decay) and answers SHRINK_STOP (shrinker.c says what reclaim and
 * drop_caches make of that).
 */
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/rbtree.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"
#include "vmalloc_impl.h"

void vmap_node_init(struct vmap_node *vn)
{
	memset(vn, 0, sizeof *vn);
	for (int i = 0; i < MAX_VA_SIZE_PAGES; i++)
		list_init(&vn->pool[i].head);
	list_init(&vn->busy_list);
	list_init(&vn->lazy_list);
	list_init(&vn->purge_list);
}

/*
 * sizeof(struct vmap_node), 6.13 x86_64: pool[256] of { list_head, len }
 * = 6144 bytes; pool_lock; skip_populate; busy and lazy, each a struct
 * rb_list { rb_root, list_head, spinlock_t }; purge_list; purge_work (a
 * work_struct: data, entry, func = 32 bytes); nr_purged.  spinlock_t is 24
 * bytes with CONFIG_DEBUG_SPINLOCK (raw_lock, magic, owner_cpu, owner:
 * the build kmemsh.7 CONTEXT AND SLEEPING takes), 4 without:
 *   6144 + 24 + 1 (+7) + 2 * (8 + 16 + 24) + 16 + 32 + 8 = 6328.
 */
#define VMAP_NODE_SIZE_6_13_X86_64 (6144 + 24 + 8 + 2 * (8 + 16 + 24) + 16 + 32 + 8)

/*
 * vmap_init_nodes() (6.13 vmalloc_init(), after vmap_area_cachep): only
 * "#if BITS_PER_LONG == 64", n = clamp(num_possible_cpus(), 1, 128); for
 * n > 1 the nodes come from kmalloc_array(n, sizeof(*vn), GFP_NOWAIT |
 * __GFP_NOWARN) and vmap_zone_size is 16 pages; if that fails,
 * "Failed to allocate an array. Disable a node layer" and the one static
 * node stays.
 */
int vmap_init_nodes(struct machine *m, struct vmap_state *v)
{
	v->nodes = &v->single;
	v->nr_nodes = 1;
	v->zone_size = 1;
	vmap_node_init(&v->single);
	unsigned n = m->ncpus ? m->ncpus : 1;
	if (n > 128)
		n = 128;
	if (!m->kp->vmap_nodes || m->arch->bits != 64 || n <= 1 || !m->slab || m->cfg.vmap_one_node)
		return 0;
	uint64_t obj = 0;
	slab_kmalloc(m, (size_t)n * VMAP_NODE_SIZE_6_13_X86_64, vmap_gfp_named(m, "GFP_NOWAIT|__GFP_NOWARN"), &obj);
	if (!obj) {
		dmesg_printf(m, "Failed to allocate an array. Disable a node layer");
		return 0;
	}
	struct vmap_node *vn = calloc(n, sizeof *vn);
	if (!vn) {
		slab_kfree(m, obj);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++)
		vmap_node_init(&vn[i]);
	v->nodes = vn;
	v->nr_nodes = n;
	v->zone_size = 16 * PAGE_SIZE;
	v->nodes_obj = obj;
	return 0;
}

/* addr_to_node_id(): the node whose zone of vmap_zone_size holds addr */
unsigned addr_to_node_id(const struct vmap_state *v, uint64_t addr)
{
	return (unsigned)((addr / v->zone_size) % v->nr_nodes);
}

struct vmap_node *addr_to_node(const struct vmap_state *v, uint64_t addr)
{
	return &v->nodes[addr_to_node_id(v, addr)];
}

/* encode_vn_id() / decode_vn_id(): 0 is "no node" */
static unsigned encode_vn_id(const struct vmap_state *v, unsigned id)
{
	return id < v->nr_nodes ? (id + 1) << 8 : 0;
}

unsigned decode_vn_id(const struct vmap_state *v, unsigned val)
{
	unsigned id = (val >> 8) - 1;
	return id < v->nr_nodes ? id : v->nr_nodes;
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

/* ---- 6.13 vmap node pools -------------------------------------------------------- */

/* size_to_va_pool(): the pool of areas of size bytes, NULL above 256 pages */
static struct vmap_pool *size_to_va_pool(struct vmap_node *vn, uint64_t size)
{
	uint64_t idx = (size - 1) / PAGE_SIZE;
	return idx < MAX_VA_SIZE_PAGES ? &vn->pool[idx] : NULL;
}

unsigned vmap_node_id(const struct vmap_state *v, const struct vmap_node *vn)
{
	return (unsigned)(vn - v->nodes);
}

/* node_pool_add_va(): list_add(), so the pool hands out the last one first */
static bool node_pool_add_va(struct machine *m, struct vmap_node *vn, struct vmap_area *va)
{
	struct vmap_pool *vp = size_to_va_pool(vn, va_size(va));
	if (!vp)
		return false;
	list_add_after(&va->list, &vp->head);
	vp->len++;
	vmap_log_change(m, CH_VMAP_POOL, va->va_start, va->va_end, vmap_node_id(m->vmap, vn), vp->len, VMAP_POOL_ADD);
	return true;
}

/*
 * node_pool_del_va(): the first area of the pool of this size, if it is
 * aligned; one that is not goes to the tail (list_move_tail) and nothing
 * is taken.  The kernel's WARN_ON_ONCE sanity checks (size, range) cannot
 * fail here: node_alloc() only asks for the whole vmalloc range.
 */
static struct vmap_area *node_pool_del_va(struct machine *m, struct vmap_node *vn, uint64_t size, uint64_t align)
{
	struct vmap_pool *vp = size_to_va_pool(vn, size);
	if (!vp || vp->head.next == &vp->head)
		return NULL;
	struct vmap_area *va = list_entry(vp->head.next, struct vmap_area, list);
	list_del(&va->list);
	if (va->va_start & (align - 1)) {
		list_add_after(&va->list, vp->head.prev);
		return NULL;
	}
	vp->len--;
	vmap_log_change(m, CH_VMAP_POOL, va->va_start, va->va_end, vmap_node_id(m->vmap, vn), vp->len, VMAP_POOL_TAKE);
	return va;
}

/*
 * node_alloc(): only for the whole vmalloc range and more than one node;
 * *vn_id is this CPU's node (raw_smp_processor_id() % nr_vmap_nodes),
 * encoded, also when its pool has nothing: the area then returns to this
 * node's pool when it is purged.
 */
struct vmap_area *node_alloc(struct machine *m, struct vmap_state *v, uint64_t size, uint64_t align,
				    uint64_t vstart, uint64_t vend, unsigned *vn_id)
{
	*vn_id = 0;
	if (vstart != m->layout.vmalloc_start || vend != m->layout.vmalloc_end || v->nr_nodes == 1)
		return NULL;
	unsigned id = machine_this_cpu(m) % v->nr_nodes;
	*vn_id = encode_vn_id(v, id);
	return node_pool_del_va(m, &v->nodes[id], size, align);
}

/* reclaim_list_global(): each area of the list back into the free tree,
 * merged with its free neighbours; the list is not used afterwards */
static void reclaim_list_global(struct machine *m, struct vmap_state *v, struct list_head *head, bool decayed)
{
	for (struct list_head *p = head->next, *nx; p != head; p = nx) {
		nx = p->next;
		struct vmap_area *va = list_entry(p, struct vmap_area, list);
		uint64_t s = va->va_start, e = va->va_end;
		RB_CLEAR_NODE(&va->rb_node);
		struct vmap_area *into = merge_or_add_vmap_area_augment(m, va, &v->free_root, &v->free_list);
		if (decayed)
			vmap_log_change(m, CH_VMAP_POOL, s, e, into ? into->va_start : 0, into ? into->va_end : 0,
				   VMAP_POOL_RECLAIM);
		else
			vmap_log_change(m, CH_VMAP_PURGE, s, e, into ? into->va_start : 0, into ? into->va_end : 0, 0);
	}
	list_init(head);
}

/*
 * decay_va_pool_node(): each pool is detached; a full decay empties it,
 * otherwise n_decay = len >> 2 areas leave it from its head, one at a
 * time with "if (!--n_decay) break;" - which never breaks when n_decay
 * starts at 0, so a pool of fewer than 4 areas empties too (6.13; the
 * counting was rewritten after it).  The areas leaving are first merged
 * among themselves (merge_or_add_vmap_area() into a local tree), then
 * into the free tree (reclaim_list_global()).
 */
static void decay_va_pool_node(struct machine *m, struct vmap_state *v, struct vmap_node *vn, bool full_decay,
			       int event)
{
	struct rb_root decay_root = { NULL };
	struct list_head decay_list;
	list_init(&decay_list);
	for (int i = 0; i < MAX_VA_SIZE_PAGES; i++) {
		struct vmap_pool *vp = &vn->pool[i];
		if (vp->head.next == &vp->head)
			continue;
		struct list_head tmp;
		list_init(&tmp);
		list_add_after(&tmp, &vp->head);        /* list_replace_init() */
		list_del(&vp->head);
		if (full_decay)
			vp->len = 0;
		unsigned long n_decay = vp->len >> 2;
		while (tmp.next != &tmp) {
			struct vmap_area *va = list_entry(tmp.next, struct vmap_area, list);
			list_del(&va->list);
			if (!full_decay)
				vp->len--;
			vmap_log_change(m, CH_VMAP_POOL, va->va_start, va->va_end, vmap_node_id(v, vn), vp->len, event);
			RB_CLEAR_NODE(&va->rb_node);
			merge_or_add_vmap_area_augment(m, va, &decay_root, &decay_list);
			if (!full_decay && !--n_decay)
				break;
		}
		if (!full_decay && tmp.next != &tmp) {
			list_add_after(&vp->head, &tmp);
			list_del(&tmp);
		}
	}
	reclaim_list_global(m, v, &decay_list, true);
}

/* purge_vmap_node(): each purged area to its node's pool when it was
 * marked with a node and fits one, else back to the free tree (list_add()
 * onto the local list: the last one first) */
static void purge_vmap_node(struct machine *m, struct vmap_state *v, struct vmap_node *vn)
{
	struct list_head local;
	list_init(&local);
	vn->nr_purged = 0;
	while (vn->purge_list.next != &vn->purge_list) {
		struct vmap_area *va = list_entry(vn->purge_list.next, struct vmap_area, list);
		list_del(&va->list);
		v->lazy_nr -= va_size(va) / PAGE_SIZE;
		vn->nr_purged++;
		if (decode_vn_id(v, va->vn_id) < v->nr_nodes && !vn->skip_populate && node_pool_add_va(m, vn, va))
			continue;
		list_add_after(&va->list, &local);
	}
	reclaim_list_global(m, v, &local, false);
}

/*
 * __purge_vmap_area_lazy(): every node's pools decay (all of them when
 * full_pool_decay: the purge of an allocation that found no space), its
 * lazy areas move to its purge list, one TLB flush covers all of them,
 * then each node's purge list is purged (purge_vmap_node()).
 *
 * Since 6.9 ("mm: vmalloc: offload free_vmap_area_lock lock") the purge
 * shares that work out, and 6.13 does it so:
 *
 *	nr_purge_helpers = atomic_long_read(&vmap_lazy_nr) / lazy_max_pages();
 *	nr_purge_helpers = clamp(nr_purge_helpers, 1U, nr_purge_nodes) - 1;
 *	for_each_cpu(i, &purge_nodes) {
 *		if (nr_purge_helpers > 0) {
 *			INIT_WORK(&vn->purge_work, purge_vmap_node);
 *			if (cpumask_test_cpu(i, cpu_online_mask))
 *				schedule_work_on(i, &vn->purge_work);
 *			else
 *				schedule_work(&vn->purge_work);
 *			nr_purge_helpers--;
 *		} else {
 *			vn->purge_work.func = NULL;
 *			purge_vmap_node(&vn->purge_work);
 *		}
 *	}
 *	then flush_work() of every node whose purge_work.func is set.
 *
 * purge_nodes is a cpumask of node ids (bit i for node i, set for each
 * node with lazy areas), so the walk is in node order: with one helper
 * per full lazy_max_pages() of lazy pages beyond the first, the lowest
 * nodes go to the kworkers of the CPUs of their own number, the rest the
 * purging task does itself.  vmap_lazy_nr is read before any node is
 * purged (purge_vmap_node() subtracts what it purged).  (Source: the 6.9
 * patch as posted to linux-mm and a 6.x mm/vmalloc.c in the index whose
 * loop is for_each_vmap_node(), the same code; a later rework moved the
 * helpers to an unbound workqueue, after 6.13.)  The model runs one
 * schedule the kernel allows: the purging task first purges its own
 * nodes, then each flush_work() finds its helper's work not started and
 * waits while it runs.  The change log shows the plan, each queued work
 * and each node's purge with the CPU it runs on.
 */
static unsigned long list_count(const struct list_head *h)
{
	unsigned long n = 0;
	for (const struct list_head *p = h->next; p != h; p = p->next)
		n++;
	return n;
}

/* the helper lines are for more than one node: with one, nr_purge_helpers
 * is always clamp(x, 1, 1) - 1 = 0 and the purging task does it all */
static void log_purge(struct machine *m, const struct vmap_state *v, const struct change *c)
{
	if (v->nr_nodes > 1)
		changelog_add(m, c);
}

int vmap_purge_613(struct machine *m, struct vmap_state *v, bool full_pool_decay, enum vmap_purger by)
{
	uint64_t start = UINT64_MAX, end = 0;
	unsigned nodes = 0;
	int n = 0;
	for (unsigned i = 0; i < v->nr_nodes; i++) {
		struct vmap_node *vn = &v->nodes[i];
		list_init(&vn->purge_list);
		vn->skip_populate = full_pool_decay;
		decay_va_pool_node(m, v, vn, full_pool_decay, VMAP_POOL_DECAY);
		if (vn->lazy_list.next == &vn->lazy_list)
			continue;
		/* WRITE_ONCE(vn->lazy.root.rb_node, NULL); list_replace_init() */
		vn->lazy_root.rb_node = NULL;
		list_add_after(&vn->purge_list, &vn->lazy_list);
		list_del(&vn->lazy_list);
		uint64_t s = list_entry(vn->purge_list.next, struct vmap_area, list)->va_start;
		uint64_t e = list_entry(vn->purge_list.prev, struct vmap_area, list)->va_end;
		start = s < start ? s : start;
		end = e > end ? e : end;
		nodes++;
	}
	if (!nodes)
		return 0;
	pgtable_flush_tlb_kernel_range(m, start, end);

	/* One extra worker is per a lazy_max_pages() full set minus one. */
	uint64_t lazy = v->lazy_nr, max = vmap_lazy_max_pages(m);
	uint64_t h = lazy / max;
	unsigned helpers = (unsigned)(h < 1 ? 1 : h > nodes ? nodes : h) - 1;
	unsigned self = machine_this_cpu(m), ncpus = m->ncpus ? m->ncpus : 1;
	log_purge(m, v, &(struct change){ .kind = CH_VMAP_POOL, .mt = VMAP_PURGE_PLAN, .old = lazy, .val = max,
					   .pfn = nodes, .pfn2 = helpers, .obj = self, .cache = (uint32_t)by });
	bool *queued = helpers ? calloc(v->nr_nodes, sizeof *queued) : NULL;
	if (helpers && !queued)
		helpers = 0;                    /* out of host memory: purge every node here */
	for (unsigned i = 0; i < v->nr_nodes; i++) {
		struct vmap_node *vn = &v->nodes[i];
		if (vn->purge_list.next == &vn->purge_list)
			continue;
		if (helpers > 0) {
			/* schedule_work_on(i) when CPU i is online, else
			 * schedule_work(): the queueing CPU's kworker */
			bool online = i < ncpus;
			log_purge(m, v, &(struct change){ .kind = CH_VMAP_POOL, .mt = VMAP_PURGE_QUEUE, .pfn = i,
							   .pfn2 = online ? i : self, .obj = (uint32_t)list_count(&vn->purge_list),
							   .cache = online ? VMAP_PURGE_WORK_ON : VMAP_PURGE_WORK });
			queued[i] = true;
			helpers--;
			continue;
		}
		log_purge(m, v, &(struct change){ .kind = CH_VMAP_POOL, .mt = VMAP_PURGE_NODE, .pfn = i, .pfn2 = self,
						   .obj = (uint32_t)list_count(&vn->purge_list), .cache = VMAP_PURGE_SELF });
		purge_vmap_node(m, v, vn);
		n += (int)vn->nr_purged;
	}
	for (unsigned i = 0; queued && i < v->nr_nodes; i++) {
		if (!queued[i])
			continue;
		struct vmap_node *vn = &v->nodes[i];
		bool online = i < ncpus;
		log_purge(m, v, &(struct change){ .kind = CH_VMAP_POOL, .mt = VMAP_PURGE_NODE, .pfn = i,
						   .pfn2 = online ? i : self, .obj = (uint32_t)list_count(&vn->purge_list),
						   .cache = online ? VMAP_PURGE_WORK_ON : VMAP_PURGE_WORK });
		purge_vmap_node(m, v, vn);      /* flush_work(&vn->purge_work) */
		n += (int)vn->nr_purged;
	}
	free(queued);
	return n;
}

int vmap_purge_drain(struct machine *m)
{
	struct vmap_state *v = m->vmap;
	if (v && is_613(m))
		return vmap_purge_613(m, v, false, VMAP_PURGER_DRAIN);
	return vmap_purge_lazy(m);
}

/* purge_vmap_area_lazy() / vm_unmap_aliases(): 6.13 with a partial pool
 * decay; 2.6.32 removes the lazy areas from the tree */
int vmap_purge_lazy(struct machine *m)
{
	/* nothing was ever freed lazily before the vmap allocator's first
	 * use: do not make its state (its slab cache) just to purge nothing */
	struct vmap_state *v = m->vmap;
	uint64_t start = UINT64_MAX, end = 0;
	int n = 0;

	if (!v)
		return 0;
	if (is_613(m))
		return vmap_purge_613(m, v, false, VMAP_PURGER_CALLER);
	struct vmap_node *vn = &v->nodes[0];
	for (struct list_head *p = vn->busy_list.next; p != &vn->busy_list; p = p->next) {
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
	for (struct list_head *p = vn->busy_list.next, *nx; p != &vn->busy_list; p = nx) {
		nx = p->next;
		struct vmap_area *va = list_entry(p, struct vmap_area, list);
		if (!va->lazy)
			continue;
		v->lazy_nr -= va_size(va) / PAGE_SIZE;
		vmap_log_change(m, CH_VMAP_PURGE, va->va_start, va->va_end, 0, 0, 0);
		unlink_va(va, &vn->busy_root, false);
		vmap_va_obj_free(m, va);
		free(va);
	}
	return n;
}

unsigned vmap_nr_nodes(const struct machine *m)
{
	return m->vmap ? m->vmap->nr_nodes : 1;
}

uint64_t vmap_zone_size(const struct machine *m)
{
	return m->vmap ? m->vmap->zone_size : 1;
}

uint64_t vmap_nodes_array(const struct machine *m)
{
	return m->vmap ? m->vmap->nodes_obj : 0;
}

void vmap_walk_pools(const struct machine *m, vmap_pool_cb cb, void *arg)
{
	const struct vmap_state *v = m->vmap;
	if (!v || !is_613(m))
		return;
	for (unsigned n = 0; n < v->nr_nodes; n++)
		for (unsigned i = 0; i < MAX_VA_SIZE_PAGES; i++) {
			const struct vmap_pool *vp = &v->nodes[n].pool[i];
			for (const struct list_head *p = vp->head.next; p != &vp->head; p = p->next) {
				const struct vmap_area *va = list_entry(p, struct vmap_area, list);
				if (cb(arg, n, i + 1, vp->len, va->va_start, va->va_end))
					return;
			}
		}
}

struct pooled_find {
	uint64_t addr;
	struct vmap_range *r;
	unsigned *node;
	bool found;
};

static int pooled_hit(void *arg, unsigned node, unsigned pages, unsigned long len, uint64_t start, uint64_t end)
{
	struct pooled_find *f = arg;
	(void)pages;
	(void)len;
	if (f->addr < start || f->addr >= end)
		return 0;
	f->r->start = start;
	f->r->end = end;
	if (f->node)
		*f->node = node;
	f->found = true;
	return 1;
}

int vmap_find_pooled(const struct machine *m, uint64_t addr, struct vmap_range *r, unsigned *node)
{
	struct pooled_find f = { addr, r, node, false };
	vmap_walk_pools(m, pooled_hit, &f);
	return f.found ? 0 : -ENOENT;
}

/* ---- the pool shrinker (6.13 vmalloc_init(): shrinker_alloc(0, "vmap-node")) ---- */

/* vmap_node_shrink_count(): every pool's len, of every node; SHRINK_EMPTY
 * for none */
static unsigned long vmap_node_shrink_count(struct machine *m, struct shrink_control *sc)
{
	const struct vmap_state *v = m->vmap;
	unsigned long count = 0;
	(void)sc;
	for (unsigned i = 0; v && i < v->nr_nodes; i++)
		for (unsigned j = 0; j < MAX_VA_SIZE_PAGES; j++)
			count += v->nodes[i].pool[j].len;
	return count ? count : SHRINK_EMPTY;
}

/* vmap_node_shrink_scan(): whatever nr_to_scan asks, a full decay of each
 * node's pools, then SHRINK_STOP.  (6.13 takes no lock here; the
 * vmap_purge_lock a later fix takes only serialises it with the purge,
 * which one CPU running commands does anyway.)
 * Its steps are logged one by one also inside direct reclaim and kswapd,
 * whose bulk work keeps the step's log quiet (vmscan.c's quiet_begin()):
 * the shrinker line, each area leaving its pool, each merge into the free
 * tree, as drop_caches shows them - when the step's own log is on, as
 * oom_kill.c logs its kill. */
static unsigned long vmap_node_shrink_scan(struct machine *m, struct shrink_control *sc)
{
	struct vmap_state *v = m->vmap;
	if (!v)
		return SHRINK_STOP;
	const struct vm_state *vs = m->vm;
	bool saved = m->log.enabled;
	m->log.enabled = vs && vs->quiet_depth ? vs->log_on : saved;
	unsigned long counted = vmap_node_shrink_count(m, sc);
	vmap_log_change(m, CH_VMAP_POOL, 0, 0, counted == SHRINK_EMPTY ? 0 : counted, (uint64_t)sc->priority,
			VMAP_POOL_SHRINK);
	for (unsigned i = 0; i < v->nr_nodes; i++)
		decay_va_pool_node(m, v, &v->nodes[i], true, VMAP_POOL_SHRUNK);
	m->log.enabled = saved;
	return SHRINK_STOP;
}

/* the end of 6.13 vmalloc_init(): count_objects and scan_objects set,
 * shrinker_register(); seeks stays shrinker_alloc()'s DEFAULT_SEEKS */
void vmap_node_shrinker_register(struct machine *m, struct vmap_state *v)
{
	v->shrinker = (struct shrinker){ .name = "vmap-node", .count_objects = vmap_node_shrink_count,
					 .scan_objects = vmap_node_shrink_scan };
	shrinker_register(m, &v->shrinker);
}

struct shrinker *vmap_node_shrinker(const struct machine *m)
{
	for (unsigned i = 0; m->vmap && i < m->nr_shrinkers; i++)
		if (m->shrinkers[i] == &m->vmap->shrinker)
			return m->shrinkers[i];
	return NULL;
}
