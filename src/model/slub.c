/*
 * slub.c - SLUB (mm/slub.c, Linux 6.13; kmalloc caches also for 2.6.32).
 *
 * Each CPU owns one slab at a time, the cpu slab, and allocates from its
 * lockless freelist; a slab that is not a cpu slab keeps its own freelist
 * of objects freed into it.  When the cpu slab runs dry it is deactivated:
 * back onto the node's partial list if it still has free objects, not on
 * any list if it is full (SLUB does not track full slabs), given back to
 * the buddy allocator if empty and the node already has min_partial
 * partial slabs.  The next cpu slab comes from the head of the partial
 * list, else a new slab is allocated.  Freeing into a full slab puts it at
 * the tail of the partial list; a slab that becomes empty is given back
 * unless the node holds fewer than min_partial partial slabs.
 *
 * 6.13 also keeps per-CPU partial lists (CONFIG_SLUB_CPU_PARTIAL, on in
 * SMP builds): a full slab that gets an object back goes to the freeing
 * CPU's partial list rather than the node's, get_partial_node() moves a
 * few more node partial slabs there when it refills a CPU, and a CPU
 * looks at its own partial list before the node's.  When the list holds
 * cpu_partial_slabs slabs the next such free drains it to the node
 * (__put_partials()).  2.6.32's SLUB had no such lists.
 *
 * Each node has its own partial list (struct kmem_cache_node's partial
 * and nr_partial): a slab goes on the list of its pages' node
 * (slab_nid()), a _node allocation takes its node's, an allocation
 * without a node the local node's, else the first node in zonelist order
 * with more than min_partial (get_partial(), get_any_partial()), and an
 * empty slab is kept while its node holds fewer than min_partial.
 *
 * Not modelled: freelist randomization.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/i18n.h"
#include "kmemsh/mempolicy.h"
#include "slab_impl.h"

enum { KM_NORMAL, KM_DMA, KM_RECLAIM, KM_CGROUP };

/* ---- kmalloc caches ------------------------------------------------------ */

static unsigned kmalloc_size_of(int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1u << index;
}

static int new_kmalloc_cache(struct machine *m, int index, int type)
{
	static const char *const prefix[] = { "kmalloc-", "dma-kmalloc-", "kmalloc-rcl-", "kmalloc-cg-" };
	static const unsigned flags[] = { 0, SLAB_CACHE_DMA_F, SLAB_RECLAIM_ACCOUNT_F, SLAB_ACCOUNT_F };
	char name[32];
	unsigned size = kmalloc_size_of(index);
	if (m->kp->kv == KV_2_6_32)
		snprintf(name, sizeof name, "%s%u", type == KM_DMA ? "kmalloc_dma-" : "kmalloc-", size);
	else
		snprintf(name, sizeof name, "%s%s", prefix[type], slub_kmalloc_short_size(index));
	/* create_boot_cache(): kmalloc caches are aligned to their power of two */
	unsigned align = size & (~size + 1);   /* 1 << (ffs(size) - 1) */
	if (align < 8)
		align = 8;
	int c = slab_cache_new(m, name, size, align, flags[type], true);
	if (c < 0)
		return c;
	m->slab->kmalloc_cache[type][index] = c;
	return 0;
}

static int create_kmalloc_caches(struct machine *m);

/*
 * mm/slub.c kmem_cache_init() (6.1, 6.13): the two caches every other one
 * takes its structures from.  create_boot_cache() lays out kmem_cache_node
 * (sizeof(struct kmem_cache_node), SLAB_HWCACHE_ALIGN) and gives it its own
 * first object (early_kmem_cache_node_alloc()), then kmem_cache
 * (offsetof(struct kmem_cache, node) + nr_node_ids pointers), whose
 * kmem_cache_node object comes from the first; bootstrap() copies each
 * into an object of kmem_cache and puts it on slab_caches, kmem_cache
 * first, so /proc/slabinfo ends with kmem_cache_node, kmem_cache.  Both
 * keep refcount -1: never merged.  The sizes are Debian 6.1's (the real
 * kernels' sys/kernel/slab object_size: kmem_cache_node 32 on 686, 64 on
 * amd64; kmem_cache 140 and 224 with one node, so offsetof(node) is 136
 * and 216), for 6.13 too: its struct kmem_cache_node is 6.1's, its
 * struct kmem_cache no real file here shows.  Then every cache made
 * afterwards, kmalloc's first, takes one object of each (slab.c
 * meta_alloc()).
 */
static int kmem_cache_init_boot_caches(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (m->kp->kv == KV_2_6_32 || m->cfg.snapshot)
		return 0;
	bool b32 = m->arch->bits == 32;
	unsigned nr_node_ids = m->cfg.nr_nodes ? m->cfg.nr_nodes : 1;
	unsigned node_size = b32 ? 32 : 64, cache_size = (b32 ? 136 : 216) + nr_node_ids * (b32 ? 4 : 8);
	int kc = slab_cache_new(m, "kmem_cache", cache_size, 8, SLAB_HWCACHE_ALIGN_F | SLAB_NOMERGE_F, false);
	if (kc < 0)
		return kc;
	int kn = slab_cache_new(m, "kmem_cache_node", node_size, 8, SLAB_HWCACHE_ALIGN_F | SLAB_NOMERGE_F, false);
	if (kn < 0)
		return kn;
	/* their own structures, made before there was a cache to take them
	 * from: the node structures first (init_kmem_cache_nodes() of each),
	 * then bootstrap()'s copies, kmem_cache's first */
	gfp_t gk;
	size_t bad;
	int r = gfp_parse(m->kp, "GFP_KERNEL", &gk, &bad);
	for (unsigned nid = 0; !r && nid < nr_node_ids && nid < MAX_NUMNODES_MODEL; nid++)
		r = slab_cache_alloc_node(m, kn, gk, (int)nid, &st->meta[kn].node[nid]);
	for (unsigned nid = 0; !r && nid < nr_node_ids && nid < MAX_NUMNODES_MODEL; nid++)
		r = slab_cache_alloc_node(m, kn, gk, (int)nid, &st->meta[kc].node[nid]);
	if (!r)
		r = slab_cache_alloc(m, kc, gk, &st->meta[kc].obj);
	if (!r)
		r = slab_cache_alloc(m, kc, gk, &st->meta[kn].obj);
	if (r)
		return r;
	st->meta_cache = kc;
	st->meta_node_cache = kn;
	return 0;
}

static int slub_setup(struct machine *m)
{
	int r = kmem_cache_init_boot_caches(m);
	return r ? r : create_kmalloc_caches(m);
}

/*
 * 6.13 create_kmalloc_caches(): for each type (normal, reclaimable, DMA,
 * cgroup, in /proc/slabinfo's reverse order) kmalloc-96 and -192 first,
 * then 8 .. 8k.  6.1 (mm/slab_common.c create_kmalloc_caches(), and
 * include/linux/slab.h's enum kmalloc_cache_type: NORMAL, CGROUP,
 * RECLAIM, DMA) makes the types in that order and each one's sizes
 * upwards, 96 right after 64 and 192 after 128 (the "i == 6" and "i == 7"
 * tests of its loop), as its /proc/slabinfo shows them read upwards.
 * 2.6.32: the normal caches only ("kmalloc-%d", up to 2 * PAGE_SIZE); DMA
 * caches are created on first use.
 */
static int create_kmalloc_caches(struct machine *m)
{
	static const int types13[] = { KM_NORMAL, KM_RECLAIM, KM_DMA, KM_CGROUP };
	static const int types61[] = { KM_NORMAL, KM_CGROUP, KM_RECLAIM, KM_DMA };
	bool v61 = m->kp->kv == KV_6_1;
	/* the gfp bits do_kmalloc() looks at for a type other than normal */
	m->slab->kmalloc_type_mask = m->kp->gfp_dma;
	if (m->kp->kv != KV_2_6_32)
		m->slab->kmalloc_type_mask |= m->kp->gfp_reclaimable | 0x400000u /* __GFP_ACCOUNT */;
	for (unsigned i = 0; i < 24; i++)
		m->slab->size_index[i] = (uint8_t)slub_kmalloc_index((i + 1) * 8);
	int ntypes = m->kp->kv == KV_2_6_32 ? 1 : 4;
	for (int t = 0; t < ntypes; t++) {
		int type = v61 ? types61[t] : types13[t];
		int r = 0;
		if (!v61) {
			r = new_kmalloc_cache(m, 1, type);
			if (!r)
				r = new_kmalloc_cache(m, 2, type);
		}
		for (int i = 3; !r && i <= 13; i++) {
			r = new_kmalloc_cache(m, i, type);
			if (!r && v61 && (i == 6 || i == 7))
				r = new_kmalloc_cache(m, i - 5, type);
		}
		if (r)
			return r;
	}
	return 0;
}

static int slab_alloc_st(struct machine *m, struct slab_state *st, int cache, gfp_t gfp, uint64_t *addr,
			 size_t requested);
static int slab_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested);
static int slab_alloc_on_node(struct machine *m, int cache, gfp_t gfp, int node, uint64_t *addr, size_t requested);

/* __do_kmalloc_node(): the kmalloc cache for size and type, or the page
 * allocator */
static inline __attribute__((always_inline)) int kmalloc_st(struct machine *m, struct slab_state *st, size_t size,
							     gfp_t gfp, uint64_t *addr)
{
	const struct kernel_profile *kp = m->kp;
	size_t max_cache = 8192;   /* KMALLOC_MAX_CACHE_SIZE (6.13) / SLUB_MAX_SIZE (2.6.32) */

	if (size == 0) {
		*addr = ZERO_SIZE_PTR;
		return 0;
	}
	if (size > max_cache)
		return slab_kmalloc_large(m, size, gfp, addr);
	/* kmalloc_index(): the size_index table up to 192, else fls(size - 1) */
	int index = size <= 192 ? st->size_index[(size - 1) / 8] : (int)kmemsh_fls64(size - 1);
	/* kmalloc_type(): the common case, none of the type flags, in one test */
	int type = KM_NORMAL;
	if (__builtin_expect(gfp & st->kmalloc_type_mask, 0)) {
		bool old = kp->kv == KV_2_6_32;
		if (gfp & kp->gfp_dma)
			type = KM_DMA;
		else if (!old && (gfp & kp->gfp_reclaimable))
			type = KM_RECLAIM;
		else if (!old && (gfp & 0x400000u /* __GFP_ACCOUNT */))
			type = KM_CGROUP;
	}
	int cache = st->kmalloc_cache[type][index];
	if (cache < 0 && type == KM_DMA && kp->kv == KV_2_6_32) {
		/* 2.6.32 dma_kmalloc_cache(): created on first use */
		int r = new_kmalloc_cache(m, index, KM_DMA);
		if (r)
			return r;
		cache = st->kmalloc_cache[type][index];
	}
	if (cache < 0) {
		model_err(m, "no kmalloc cache for %zu bytes", size);
		return -EINVAL;
	}
	if (m->node_arg >= 0)
		return slab_alloc_on_node(m, cache, gfp, m->node_arg, addr, size);
	return slab_alloc_st(m, st, cache, gfp, addr, size);
}

static int do_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	return kmalloc_st(m, m->slab, size, gfp, addr);
}

/* kmalloc_st() for slab_kmalloc()'s direct call (slab_ops_kmalloc()),
 * with the slab state slab_kmalloc() loaded */
SLAB_API_INLINE int slub_kmalloc(struct machine *m, struct slab_state *st, size_t size, gfp_t gfp, uint64_t *addr)
{
	return kmalloc_st(m, st, size, gfp, addr);
}

/* ---- the cpu slab ----------------------------------------------------------- */

/* slab_nid(): the node of the slab's pages (set by slab_new()) */
static int slab_nid(const struct machine *m, uint32_t id)
{
	return m->slab->slabs[id].node;
}

/*
 * n->nr_partial >= s->min_partial for n = get_node(s, slab_nid(slab)):
 * the test deactivate_slab(), __put_partials() and __slab_free() make
 * before giving an empty slab back.
 */
static bool node_partial_full(const struct machine *m, const struct kmem_cache *c, uint32_t id)
{
	return c->partial[slab_nid(m, id)].count >= c->min_partial;
}

/* deactivate_slab(): give the cpu slab back to its node */
static void deactivate(struct machine *m, int cache, unsigned cpu)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	struct slab_cpu *sc = &c->cpu[cpu];
	if (sc->slab == SLAB_NONE)
		return;
	uint32_t id = sc->slab;
	struct slab *s = &m->slab->slabs[id];
	bool remote = s->freelist != SLAB_NONE;
	/* the cpu freelist goes back in front of the slab's own freelist */
	uint32_t o = sc->freelist;
	if (o != SLAB_NONE) {
		uint32_t last = o;
		while (s->fp[last] != SLAB_NONE)
			last = s->fp[last];
		s->fp[last] = s->freelist;
		s->freelist = o;
		slab_mem_set_fp(m, s, last);
	}
	sc->slab = SLAB_NONE;
	sc->freelist = SLAB_NONE;
	s->cpu = -1;
	s->list = SL_NONE;
	slab_log(m, CH_SLAB_LIST, cache, id, s->pfn, s->order, 0, 0, SL_CPU, SL_NONE);
	if (s->inuse == 0 && node_partial_full(m, c, id)) {
		slab_discard(m, id);
	} else if (s->freelist != SLAB_NONE) {
		/* DEACTIVATE_TO_TAIL when objects were freed remotely */
		s->list = SL_NONE;
		slab_move(m, cache, id, SL_PARTIAL, remote);
	}
	/* a full slab is on no list */
}

/* ---- per-CPU partial lists (6.13 CONFIG_SLUB_CPU_PARTIAL) ---------------------- */

/* __put_partials(): a detached cpu partial list goes to the node's
 * partial list (tail), its empty slabs back to the buddy allocator while
 * the node holds min_partial partial slabs */
static void put_partials(struct machine *m, int cache, uint32_t list)
{
	struct slab_state *st = m->slab;
	uint32_t discard = SLAB_NONE;   /* slab_to_discard, linked by next as in the kernel */
	while (list != SLAB_NONE) {
		struct kmem_cache *c = &st->caches[cache];
		struct slab *s = &st->slabs[list];
		uint32_t id = list;
		list = s->next;
		s->next = s->prev = SLAB_NONE;
		if (s->inuse == 0 && node_partial_full(m, c, id)) {
			s->list = SL_NONE;
			slab_log(m, CH_SLAB_LIST, cache, id, s->pfn, s->order, 0, 0, SL_CPU_PARTIAL, SL_NONE);
			s->next = discard;
			discard = id;
		} else {
			slab_move(m, cache, id, SL_PARTIAL, true);   /* from SL_CPU_PARTIAL: no list to leave */
		}
	}
	while (discard != SLAB_NONE) {
		uint32_t id = discard;
		discard = st->slabs[id].next;
		st->slabs[id].next = SLAB_NONE;
		slab_discard(m, id);
	}
}

/* put_partials_cpu(): the whole list of one CPU */
static void put_partials_cpu(struct machine *m, int cache, unsigned cpu)
{
	struct slab_cpu *sc = &m->slab->caches[cache].cpu[cpu];
	uint32_t list = sc->partial;
	sc->partial = SLAB_NONE;
	sc->partial_slabs = 0;
	put_partials(m, cache, list);
}

/* put_cpu_partial(): push slab id on CPU cpu's partial list; with drain,
 * a list already holding cpu_partial_slabs slabs goes to the node first */
static void put_cpu_partial(struct machine *m, int cache, unsigned cpu, uint32_t id, bool drain)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	struct slab_cpu *sc = &c->cpu[cpu];
	struct slab *s = &m->slab->slabs[id];
	uint32_t old = SLAB_NONE;
	if (sc->partial != SLAB_NONE && drain && sc->partial_slabs >= c->cpu_partial_slabs) {
		old = sc->partial;
		sc->partial = SLAB_NONE;
		sc->partial_slabs = 0;
	}
	int from = s->list;
	struct slab_list_head *l = slab_list_of(c, s, s->list);
	if (l)
		slab_list_del(m, l, id);
	s->list = SL_CPU_PARTIAL;
	s->prev = SLAB_NONE;
	s->next = sc->partial;
	sc->partial = id;
	sc->partial_slabs++;
	slab_log(m, CH_SLAB_LIST, cache, id, s->pfn, s->order, 0, 0, from, SL_CPU_PARTIAL);
	if (old != SLAB_NONE)
		put_partials(m, cache, old);
}

static void make_cpu_slab(struct machine *m, int cache, unsigned cpu, uint32_t id)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	struct slab *s = &m->slab->slabs[id];
	struct slab_list_head *l = slab_list_of(c, s, s->list);
	int from = s->list;
	if (l)
		slab_list_del(m, l, id);
	s->list = SL_CPU;
	s->cpu = (int16_t)cpu;
	c->cpu[cpu].slab = id;
	c->cpu[cpu].freelist = s->freelist;
	s->freelist = SLAB_NONE;
	slab_log(m, CH_SLAB_LIST, cache, id, s->pfn, s->order, 0, 0, from, SL_CPU);
}

/* get_partial_node() for a cache with cpu slabs: the first slab of node
 * nid's partial list becomes the cpu slab; with cpu partial lists, up to
 * cpu_partial_slabs / 2 + 1 more go to this CPU's partial list.  false
 * if the node has none. */
static bool take_node_partial(struct machine *m, int cache, unsigned cpu, int nid)
{
	struct slab_state *st = m->slab;
	uint32_t first = st->caches[cache].partial[nid].head;
	if (first == SLAB_NONE)
		return false;
	uint32_t next = st->slabs[first].next;
	make_cpu_slab(m, cache, cpu, first);
	unsigned moved = 0;
	while (st->caches[cache].cpu_partial_slabs && next != SLAB_NONE) {
		uint32_t id = next;
		next = st->slabs[id].next;
		put_cpu_partial(m, cache, cpu, id, false);
		if (++moved > st->caches[cache].cpu_partial_slabs / 2)
			break;
	}
	return true;
}

/*
 * get_partial(s, NUMA_NO_NODE): the local node's partial slabs
 * (get_partial_node() on numa_mem_id()), else get_any_partial(): the
 * zonelist of mempolicy_slab_node() (the task's policy), the first node
 * with a zone in it and more than min_partial partial slabs
 * (n->nr_partial > s->min_partial).  get_any_partial() goes there only
 * when get_cycles() % 1024 <= remote_node_defrag_ratio (kmem_cache_open()
 * sets 1000, 2.6.32 and 6.x alike); kmemsh takes that likely branch.
 * Returns the node, or -1.
 */
static int get_partial_nid(struct machine *m, const struct kmem_cache *c, gfp_t gfp)
{
	int local = (int)machine_numa_node_id(m);
	if (c->partial[local].head != SLAB_NONE)
		return local;
	if (m->nr_nodes < 2)
		return -1;
	int start = mempolicy_slab_node(m), highest = buddy_gfp_zone(m, gfp);
	for (unsigned k = 0; k < m->nr_nodes; k++) {
		int nid = m->node[start].node_order[k];
		if (nid < 0)
			break;
		bool zone = false;      /* a populated zone of the node in the zonelist */
		for (int t = 0; t <= highest && !zone; t++)
			zone = m->zones[nid * m->nr_node_zones + t].present != 0;
		if (!zone)
			continue;
		if (c->partial[nid].count > c->min_partial)
			return nid;
	}
	return -1;
}

/* get_partial(): one node, its list's head; several, get_partial_nid() */
static bool get_partial(struct machine *m, int cache, unsigned cpu, gfp_t gfp)
{
	if (m->nr_nodes < 2)
		return take_node_partial(m, cache, cpu, 0);
	int nid = get_partial_nid(m, &m->slab->caches[cache], gfp);
	return nid >= 0 && take_node_partial(m, cache, cpu, nid);
}

/*
 * Debug caches (6.13, kmem_cache_debug()) have no cpu slabs: every
 * allocation takes one object from the first partial slab
 * (alloc_single_from_partial()) or from a new slab
 * (alloc_single_from_new_slab()), through alloc_debug_processing().  When
 * its checks fail, the slab is given up ("Marking all objects used": its
 * free objects are lost) and the next slab is tried.  With a node
 * (kmem_cache_alloc_node(), node >= 0; NUMA machines are 6.13's),
 * ___slab_alloc() passes it to get_partial(s, node), which looks at that
 * node's partial list only, and to new_slab(s, flags, node).
 */
static __attribute__((noinline)) int alloc_debug(struct machine *m, int cache, gfp_t gfp, int node, uint64_t *addr,
						 size_t requested)
{
	struct slab_state *st = m->slab;
	for (;;) {
		struct kmem_cache *c = &st->caches[cache];
		/* get_partial() -> get_partial_node() -> alloc_single_from_partial() */
		int nid = node >= 0 ? (c->partial[node].head != SLAB_NONE ? node : -1) : get_partial_nid(m, c, gfp);
		uint32_t id = nid < 0 ? SLAB_NONE : c->partial[nid].head;
		bool fresh = id == SLAB_NONE;
		if (fresh) {
			int saved = m->node_arg;
			if (node >= 0)
				m->node_arg = node;
			id = slab_new(m, cache, slab_kmalloc_fix_flags(m, gfp));
			m->node_arg = saved;
			if (id == SLAB_NONE) {
				*addr = 0;
				return 0;
			}
			c = &st->caches[cache];
		}
		struct slab *s = &st->slabs[id];
		uint32_t idx = s->freelist;
		s->freelist = s->fp[idx];
		s->fp[idx] = SLAB_NONE;
		s->inuse++;
		if (!slub_check_alloc(m, s, idx)) {
			dmesg_printf(m, "FIX %s: Marking all objects used", c->name);
			unsigned real = s->inuse - 1 - s->leaked;   /* objects the user holds */
			c->active_objects += (s->objects - real) - s->leaked;
			s->leaked = s->objects - real;
			s->inuse = s->objects;
			s->freelist = SLAB_NONE;
			slab_move(m, cache, id, SL_NONE, false);   /* remove_partial() */
			continue;
		}
		s->req[idx] = (uint32_t)(requested ? requested : 1);
		c->active_objects++;
		c->allocs++;
		*addr = slab_object_addr(m, s, idx);
		slab_mem_on_alloc(m, s, idx, requested, gfp);
		slab_log(m, CH_OBJ_ALLOC, cache, id, s->pfn, s->order, idx, *addr, 0, 0);
		/* add_full() keeps full slabs on a list only with SLAB_STORE_USER */
		int full = (c->flags & SLAB_STORE_USER_F) ? SL_FULL : SL_NONE;
		if (fresh)
			slab_move(m, cache, id, s->inuse == s->objects ? full : SL_PARTIAL, false);
		else if (s->inuse == s->objects)
			slab_move(m, cache, id, full, false);
		return 0;
	}
}

static int double_free(struct machine *m, int cache, uint32_t id, unsigned idx);

/* free_to_partial_list(): a debug cache's free, after
 * free_debug_processing() */
static __attribute__((noinline)) int free_debug(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab *s = &st->slabs[id];
	uint64_t addr = slab_object_addr(m, s, idx);
	if (!slub_check_free_slab(m, s)) {
		/* free_debug_processing(): check_slab() failed */
		dmesg_printf(m, "FIX %s: Object at 0x%016llx not freed", c->name, (unsigned long long)addr);
		model_err(m, "kfree(%#llx): the slab was disabled by an earlier failed check "
			 "(see dmesg); SLUB frees nothing in it any more", (unsigned long long)addr);
		return -EINVAL;
	}
	if (!s->req[idx])
		return double_free(m, cache, id, idx);
	if (!slub_check_free(m, s, idx)) {
		dmesg_printf(m, "FIX %s: Object at 0x%016llx not freed", c->name, (unsigned long long)addr);
		model_err(m, "kfree(%#llx): SLUB found damage around the object (see dmesg), "
			 "repaired it and did not free the object: it stays allocated", (unsigned long long)addr);
		return -EINVAL;
	}
	slab_mem_on_free(m, s, idx);
	s->req[idx] = 0;
	c->active_objects--;
	c->frees++;
	slab_log(m, CH_OBJ_FREE, cache, id, s->pfn, s->order, idx, addr, 0, 0);
	uint32_t prior = s->freelist;
	s->inuse--;
	s->fp[idx] = prior;
	s->freelist = idx;
	slab_mem_set_fp(m, s, idx);
	bool discard = s->inuse == 0 && node_partial_full(m, c, id);
	if (prior == SLAB_NONE) {
		if (discard)
			slab_discard(m, id);
		else
			slab_move(m, cache, id, SL_PARTIAL, true);   /* remove_full() + add_partial(TAIL) */
	} else if (discard) {
		slab_discard(m, id);
	}
	return 0;
}

/* the change-log entry of an object taken or given back on the fast
 * paths, out of their way (the log is off in scripts run with -q) */
static __attribute__((noinline, cold)) void log_obj(struct machine *m, enum change_kind kind, int cache, uint32_t id,
						   unsigned idx)
{
	const struct slab *s = &m->slab->slabs[id];
	slab_log(m, kind, cache, id, s->pfn, s->order, idx, slab_object_addr(m, s, idx), 0, 0);
}

/* slab_alloc_node(); st is m->slab, loaded once by the caller (the hot
 * path's calls out, rare as they are, would make GCC load it again) */
static inline __attribute__((always_inline)) int slab_alloc_st(struct machine *m, struct slab_state *st, int cache,
								gfp_t gfp, uint64_t *addr, size_t requested)
{
	unsigned cpu = machine_this_cpu(m);
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *sc = &c->cpu[cpu];

	/* ___slab_alloc(): the lockless freelist, then the slab's own (debug
	 * caches never have a cpu slab, so they always come this way) */
	if (sc->freelist == SLAB_NONE && c->debug)
		return alloc_debug(m, cache, gfp, -1, addr, requested);
	if (sc->freelist == SLAB_NONE && sc->slab != SLAB_NONE) {
		struct slab *s = &st->slabs[sc->slab];
		sc->freelist = s->freelist;
		s->freelist = SLAB_NONE;
	}
	if (sc->freelist == SLAB_NONE) {
		deactivate(m, cache, cpu);
		c = &st->caches[cache];
		sc = &c->cpu[cpu];
		if (sc->partial != SLAB_NONE) {
			/* new_slab: the CPU's own partial list first */
			uint32_t id = sc->partial;
			sc->partial = st->slabs[id].next;
			sc->partial_slabs--;
			st->slabs[id].next = SLAB_NONE;
			make_cpu_slab(m, cache, cpu, id);
		} else if ((m->nr_nodes > 1 || c->partial[0].head != SLAB_NONE) && get_partial(m, cache, cpu, gfp)) {
			/* get_partial_node(): a partial slab became the cpu slab */
		} else {
			gfp_t g = gfp;
			if (m->kp->kv != KV_2_6_32)
				g = slab_kmalloc_fix_flags(m, gfp);
			uint32_t id = slab_new(m, cache, g);
			if (id == SLAB_NONE) {
				/* slab_out_of_memory() is rate limited and needs
				 * __GFP_NOWARN off; the page allocator has warned */
				*addr = 0;
				return 0;
			}
			c = &st->caches[cache];
			sc = &c->cpu[cpu];
			make_cpu_slab(m, cache, cpu, id);
		}
		c = &st->caches[cache];
		sc = &c->cpu[cpu];
	}
	struct slab *s = &st->slabs[sc->slab];
	uint32_t idx = sc->freelist;
	sc->freelist = s->fp[idx];
	s->fp[idx] = SLAB_NONE;
	s->inuse++;
	s->req[idx] = (uint32_t)(requested ? requested : 1);
	c->active_objects++;
	c->allocs++;
	*addr = slab_object_addr(m, s, idx);
	if (s->mem)
		slab_mem_on_alloc(m, s, idx, requested, gfp);
	if (__builtin_expect(m->log.enabled, 0))
		log_obj(m, CH_OBJ_ALLOC, cache, sc->slab, idx);
	return 0;
}

static inline __attribute__((always_inline)) int slab_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr,
							     size_t requested)
{
	return slab_alloc_st(m, m->slab, cache, gfp, addr, requested);
}

/*
 * kmem_cache_alloc_bulk(): 6.13 mm/slub.c __kmem_cache_alloc_bulk() takes
 * the objects from the cpu freelist one after the other and goes through
 * ___slab_alloc() only when it runs dry, so n objects leave the cache as n
 * slab_alloc() calls would; the saving is the per-call entry.  Debug
 * caches take their objects one by one (alloc_debug()).  0 with all n in
 * p, or the first failure (*addr 0 or -errno) with *done taken.
 */
static int alloc_bulk(struct machine *m, int cache, gfp_t gfp, size_t n, uint64_t *p, size_t requested,
		      size_t *done)
{
	struct slab_state *st = m->slab;
	unsigned cpu = machine_this_cpu(m);
	size_t i = 0;
	*done = 0;
	while (i < n) {
		int r = slab_alloc(m, cache, gfp, &p[i], requested);
		if (r || !p[i] || st->bug) {
			*done = i;
			return r ? r : -ENOMEM;
		}
		i++;
		struct kmem_cache *c = &st->caches[cache];
		struct slab_cpu *sc = &c->cpu[cpu];
		if (c->debug || sc->slab == SLAB_NONE)
			continue;
		uint32_t id = sc->slab;
		struct slab *s = &st->slabs[id];
		uint32_t req = (uint32_t)(requested ? requested : 1);
		size_t k = 0;
		if (!s->mem && !m->log.enabled) {
			/* nothing to write but the metadata: the same steps with
			 * the freelist in a register */
			uint32_t fl = sc->freelist, *fp = s->fp, *rq = s->req;
			uint64_t at = s->vaddr + s->base, size = s->size;
			while (i < n && fl != SLAB_NONE) {
				uint32_t idx = fl;
				fl = fp[idx];
				fp[idx] = SLAB_NONE;
				rq[idx] = req;
				p[i++] = at + idx * size;       /* slab_object_addr() */
				k++;
			}
			sc->freelist = fl;
		}
		while (i < n && sc->freelist != SLAB_NONE) {
			uint32_t idx = sc->freelist;
			sc->freelist = s->fp[idx];
			s->fp[idx] = SLAB_NONE;
			s->req[idx] = req;
			p[i] = slab_object_addr(m, s, idx);
			if (s->mem)
				slab_mem_on_alloc(m, s, idx, requested, gfp);
			slab_log(m, CH_OBJ_ALLOC, cache, id, s->pfn, s->order, idx, p[i], 0, 0);
			i++;
			k++;
		}
		s->inuse += (uint32_t)k;
		c->active_objects += k;
		c->allocs += k;
	}
	*done = n;
	return 0;
}

/*
 * slab_alloc_node() with a node (kmem_cache_alloc_node(), kmalloc_node())
 * on a machine with NUMA nodes, 6.13 ___slab_alloc(): a cpu slab of
 * another node is deactivated (node_match(), ALLOC_NODE_MISMATCH); with no
 * objects left, the CPU's partial slabs of other nodes go back to their
 * node (__put_partials()) until one of this node comes up; then
 * get_partial(s, node) takes that node's partial slabs only
 * (get_partial_node(): the first becomes the cpu slab, up to
 * cpu_partial_slabs / 2 + 1 more go to the CPU's partial list); else
 * new_slab(s, flags, node) takes pages from the node's zonelist
 * (alloc_slab_page(): __folio_alloc_node()), which may fall back to
 * another node's memory.
 */
static __attribute__((noinline)) int slab_alloc_on_node(struct machine *m, int cache, gfp_t gfp, int node,
							uint64_t *addr, size_t requested)
{
	struct slab_state *st = m->slab;
	unsigned cpu = machine_this_cpu(m);
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *sc = &c->cpu[cpu];

	if (m->nr_nodes < 2)
		return slab_alloc(m, cache, gfp, addr, requested);
	if (c->debug)
		return alloc_debug(m, cache, gfp, node, addr, requested);
	if (sc->slab != SLAB_NONE && slab_nid(m, sc->slab) != node)
		deactivate(m, cache, cpu);
	c = &st->caches[cache];
	sc = &c->cpu[cpu];
	if (sc->freelist != SLAB_NONE || (sc->slab != SLAB_NONE && st->slabs[sc->slab].freelist != SLAB_NONE))
		return slab_alloc(m, cache, gfp, addr, requested);
	deactivate(m, cache, cpu);
	c = &st->caches[cache];
	sc = &c->cpu[cpu];
	while (sc->partial != SLAB_NONE) {
		uint32_t id = sc->partial;
		sc->partial = st->slabs[id].next;
		sc->partial_slabs--;
		st->slabs[id].next = SLAB_NONE;
		if (slab_nid(m, id) == node) {
			make_cpu_slab(m, cache, cpu, id);
			return slab_alloc(m, cache, gfp, addr, requested);
		}
		put_partials(m, cache, id);
		c = &st->caches[cache];
		sc = &c->cpu[cpu];
	}
	if (take_node_partial(m, cache, cpu, node))
		return slab_alloc(m, cache, gfp, addr, requested);
	int saved = m->node_arg;
	m->node_arg = node;
	uint32_t id = slab_new(m, cache, slab_kmalloc_fix_flags(m, gfp));
	m->node_arg = saved;
	if (id == SLAB_NONE) {
		*addr = 0;
		return 0;
	}
	make_cpu_slab(m, cache, cpu, id);
	return slab_alloc(m, cache, gfp, addr, requested);
}

static int alloc_node_op(struct machine *m, int cache, gfp_t gfp, int node, uint64_t *addr, size_t requested)
{
	return slab_alloc_on_node(m, cache, gfp, node, addr, requested);
}

/* ---- free ---------------------------------------------------------------------------- */

static int slab_free_slow(struct machine *m, int cache, uint32_t id, unsigned idx);

/* slab_free() of an object that is already free */
static __attribute__((noinline)) int double_free(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	const struct kmem_cache *c = &m->slab->caches[cache];
	const struct slab *s = &m->slab->slabs[id];
	uint64_t addr = slab_object_addr(m, s, idx);
	/* already free: with slub_debug=F free_consistency_checks()
	 * finds it on the freelist; without, CONFIG_SLAB_FREELIST_HARDENED
	 * catches only an immediate double free (the object is the
	 * freelist head) in set_freepointer() */
	uint32_t head = (s->cpu >= 0) ? c->cpu[s->cpu].freelist : s->freelist;
	if (c->flags & SLAB_DEBUG_FREE_F) {
		slub_slab_bug(m, c->name, "Object already free");
		slub_print_trailer(m, s, idx);
		dmesg_printf(m, "FIX %s: Object at 0x%016llx not freed", c->name, (unsigned long long)addr);
		model_err(m, "double free of %#llx in %s: SLUB reports \"Object already "
			 "free\" and does not free it", (unsigned long long)addr, c->name);
	} else if (head == idx && m->kp->kv != KV_2_6_32) {
		/* set_freepointer()'s BUG_ON: 6.13 mm/slub.c:545, 6.1 (6.1.192)
		 * :419; report_bug() and die(), with the die counter, the
		 * registers' header and TAINT_DIE (context_kernel_bug()) */
		context_kernel_bug(m, "mm/slub.c", m->kp->kv == KV_6_1 ? 419 : 545);
		model_err(m, "double free of %#llx in %s: the object is the head of the "
			 "freelist, so set_freepointer() hits BUG_ON(object == fp)", (unsigned long long)addr,
			 c->name);
	} else {
		model_err(m, "double free of %#llx in %s (object %u is already free); the "
			 "kernel without slub_debug would not notice and its freelist would be corrupted: "
			 "refused", (unsigned long long)addr, c->name, idx);
	}
	return -EINVAL;
}

/* slab_free() */
static inline __attribute__((always_inline)) int slab_free(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	struct slab_state *st = m->slab;
	unsigned cpu = machine_this_cpu(m);
	struct kmem_cache *c = &st->caches[cache];
	struct slab *s = &st->slabs[id];

	if (c->debug)
		return free_debug(m, cache, id, idx);
	if (!s->req[idx])
		return double_free(m, cache, id, idx);
	s->req[idx] = 0;
	s->inuse--;
	c->active_objects--;
	c->frees++;
	if (__builtin_expect(m->log.enabled, 0))
		log_obj(m, CH_OBJ_FREE, cache, id, idx);

	if (c->cpu[cpu].slab == id) {
		/* do_slab_free() fast path: onto the cpu freelist */
		s->fp[idx] = c->cpu[cpu].freelist;
		c->cpu[cpu].freelist = idx;
		if (s->mem)
			slab_mem_set_fp(m, s, idx);
		return 0;
	}
	return slab_free_slow(m, cache, id, idx);
}

/* slab_free() for slab_kfree()'s direct call (slab_ops_free()) */
SLAB_API_INLINE int slub_free(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	return slab_free(m, cache, id, idx);
}

/* __slab_free(): into a slab that is not this CPU's cpu slab */
static __attribute__((noinline)) int slab_free_slow(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	struct slab *s = &m->slab->slabs[id];
	uint32_t prior = s->freelist;
	s->fp[idx] = prior;
	s->freelist = idx;
	slab_mem_set_fp(m, s, idx);
	if (s->cpu >= 0)
		return 0;   /* frozen: another CPU's cpu slab */
	if (prior == SLAB_NONE && c->cpu_partial_slabs) {
		/* it was full: onto this CPU's partial list (even if now empty) */
		put_cpu_partial(m, cache, machine_this_cpu(m), id, true);
		return 0;
	}
	if (prior != SLAB_NONE && s->list != SL_PARTIAL)
		return 0;   /* on a cpu partial list: no list work */
	if (s->inuse == 0 && node_partial_full(m, c, id)) {
		slab_discard(m, id);   /* slab_empty: remove_partial() + discard_slab() */
		return 0;
	}
	if (prior == SLAB_NONE)
		slab_move(m, cache, id, SL_PARTIAL, true);   /* add_partial(DEACTIVATE_TO_TAIL) */
	return 0;
}

/* ---- shrink / drain ----------------------------------------------------------------- */

/* flush_all(): every CPU's cpu slab deactivated, its partial list put back */
static void flush_all(struct machine *m, int cache)
{
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		deactivate(m, cache, cpu);
		put_partials_cpu(m, cache, cpu);
	}
}

/*
 * __kmem_cache_do_shrink(): after flushing the cpu slabs, each node's
 * (for_each_kmem_cache_node()) empty partial slabs go back to the buddy
 * allocator and the rest are sorted so that the fullest come first (slabs
 * with 32 or more free objects stay behind, in order).
 */
static int shrink(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	flush_all(m, cache);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		struct kmem_cache *c = &st->caches[cache];
		enum { PROMOTE = 32 };
		uint32_t ids[PROMOTE][64];
		unsigned n[PROMOTE] = { 0 };
		uint32_t id = c->partial[nid].head;
		while (id != SLAB_NONE) {
			uint32_t next = st->slabs[id].next;
			struct slab *s = &st->slabs[id];
			unsigned free = s->objects - s->inuse;
			if (s->inuse == 0) {
				slab_discard(m, id);
			} else if (free < PROMOTE && n[free] < 64) {
				slab_list_del(m, &c->partial[nid], id);
				ids[free][n[free]++] = id;
			}
			id = next;
			c = &st->caches[cache];
		}
		for (int f = PROMOTE - 1; f >= 0; f--)
			for (int k = (int)n[f] - 1; k >= 0; k--)
				slab_list_add(m, &c->partial[nid], ids[f][k], false);
	}
	return 0;
}

/*
 * kmem_cache_destroy(): __kmem_cache_shutdown() flushes the cpu slabs and
 * gives back every slab, which it can only when no object is left.
 */
static int destroy(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	shrink(m, cache);
	struct kmem_cache *c = &st->caches[cache];
	if (c->active_objects) {
		if (m->kp->kv != KV_2_6_32) {
			/* mm/slab_common.c kmem_cache_destroy() (6.1 and 6.13) */
			dmesg_printf(m, "kmem_cache_destroy %s: Slab cache still has objects when called from "
				     "kmemsh_command+0x0/0x0", c->name);
		} else {
			/* 2.6.32 mm/slub.c kmem_cache_destroy(), when kmem_cache_close() fails */
			dmesg_printf(m, "SLUB %s: kmem_cache_destroy called for cache that still has objects.", c->name);
			dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
		}
		return -EBUSY;
	}
	/* empty slabs still held as cpu slabs or on the lists */
	flush_all(m, cache);
	c = &st->caches[cache];
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		while (c->partial[nid].head != SLAB_NONE) {
			slab_discard(m, c->partial[nid].head);
			c = &st->caches[cache];
		}
	return 0;
}

/* ---- the interface ------------------------------------------------------------------ */

static int geometry(const struct machine *m, unsigned size, unsigned align, unsigned flags,
		    struct slab_geometry *g)
{
	return slub_geometry_kv(size, align, flags, m->ncpus, m->kp->kv, m->arch->bits / 8,
				m->slab->cache_line, g);
}

static int cache_init(struct machine *m, int cache)
{
	const struct kernel_profile *kp = m->kp;
	struct kmem_cache *c = &m->slab->caches[cache];
	c->debug = slub_debug_cache(m, c);
	/* calculate_sizes(): 6.13 always __GFP_COMP, 6.1 for order > 0 */
	if (kp->kv == KV_6_13 || (kp->kv == KV_6_1 && c->g.order))
		c->allocflags |= kp->gfp_comp;
	/* 6.x set_cpu_partial() (CONFIG_SLUB_CPU_PARTIAL, default y on SMP;
	 * not for debug caches; 2.6.32 had no cpu partial lists): objects
	 * by size, then slabs assuming they are half full */
	if (kp->kv != KV_2_6_32 && !c->debug) {
		unsigned size = c->g.size;
		c->cpu_partial = size >= 4096 ? 6 : size >= 1024 ? 24 : size >= 256 ? 52 : 120;
		c->cpu_partial_slabs = (c->cpu_partial * 2 + c->g.objects - 1) / c->g.objects;
	}
	return 0;
}

/* __ksize(): the cache's object_size */
static size_t ksize(const struct machine *m, const struct object_info *oi)
{
	return m->slab->caches[oi->cache].g.object_size;
}

/* get_slabinfo(): free objects counted on the partial lists only */
static void slabinfo(const struct machine *m, const struct kmem_cache *c, struct slabinfo_row *row)
{
	const struct slab_state *st = m->slab;
	unsigned long long nr_free = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)    /* count_partial() per node */
		for (uint32_t id = c->partial[nid].head; id != SLAB_NONE; id = st->slabs[id].next)
			nr_free += st->slabs[id].objects - st->slabs[id].inuse;
	row->active_objs = row->num_objs - nr_free;
	row->active_slabs = row->num_slabs;
}

const struct slab_ops slub_ops = {
	.setup = slub_setup,
	.geometry = geometry,
	.cache_init = cache_init,
	.shrink = shrink,
	.destroy = destroy,
	.kmalloc = do_kmalloc,
	.alloc = slab_alloc,
	.alloc_bulk = alloc_bulk,
	.alloc_node = alloc_node_op,
	.free = slab_free,
	.report_invalid = slub_report_invalid,
	.ksize = ksize,
	.skip_orig_size_check = slub_skip_orig_size_check,
	.debug_new_slab = slub_debug_new_slab,
	.debug_discard = slub_check_discard,
	.slabinfo = slabinfo,
};
