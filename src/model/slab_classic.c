/*
 * slab_classic.c - SLAB (mm/slab.c, Linux 2.6.32).
 *
 * Every cache keeps three lists of slabs — full, partial and free — and
 * each CPU an array cache: a LIFO stack of free object pointers.  kmalloc
 * pops the stack; when it is empty, cache_alloc_refill() moves up to
 * batchcount objects from partial (then free) slabs into it, growing the
 * cache by a new slab when there is none.  kfree pushes onto the stack;
 * when it is full (limit), cache_flusharray() gives the oldest batchcount
 * objects to the shared array or back to their slabs (free_block()), and a
 * slab that becomes empty is destroyed once the cache holds more than
 * free_limit free objects.  The periodic cache_reap() is not modelled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/bitops.h"
#include "kmemsh/i18n.h"
#include "slab_impl.h"

#define BATCHREFILL_LIMIT 16

static int array_init(struct slab_cpu *a, unsigned limit, unsigned batch)
{
	free(a->entry);
	a->entry = calloc(limit ? limit : 1, sizeof *a->entry);
	if (!a->entry)
		return -ENOMEM;
	a->avail = 0;
	a->limit = limit;
	a->batchcount = batch;
	a->touched = false;
	return 0;
}

/* a new cache: CONFIG_DEBUG_SLAB's debug and STATS, then
 * enable_cpucache() -> do_tune_cpucache(): per-CPU arrays, the shared
 * array (shared * batchcount entries) and l3->free_limit */
static int cache_init(struct machine *m, int cache)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	c->debug = slab_classic_debug(c);
	c->stats = (m->slab->slub_debug & SLAB_DEBUG_BUILD_F) != 0;
	c->slow = c->debug || c->stats;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
		if (array_init(&c->cpu[cpu], c->g.limit, c->g.batchcount))
			return -ENOMEM;
	if (c->g.shared && m->ncpus > 1) {
		if (array_init(&c->shared, c->g.shared * c->g.batchcount, 0xbaadf00du))
			return -ENOMEM;
	}
	c->free_limit = (1 + m->ncpus) * c->g.batchcount + c->g.objects;
	return 0;
}

/*
 * 2.6.32 mm/slab.c kmem_cache_init(), step 1: cache_cache, named
 * "kmem_cache", the cache every struct kmem_cache comes from
 * (kmem_cache_create(): kmem_cache_zalloc(&cache_cache, gfp)).  It is
 * itself static, so it counts only the others; being the first on
 * cache_chain, /proc/slabinfo shows it last.  Its object is
 * offsetof(struct kmem_cache, nodelists) + nr_node_ids pointers
 * (include/linux/slab_def.h, 2.6.32): array[NR_CPUS] first, then
 * batchcount .. gfpflags (nine 32-bit words), colour, colour_off,
 * slabp_cache, slab_size, dflags, ctor, name, next (a list_head), and
 * under CONFIG_DEBUG_SLAB ten longs, four atomic_t and two ints:
 *   i386:   NR_CPUS * 4 + 72 (+ 64 with DEBUG_SLAB)
 *   x86_64: NR_CPUS * 8 + 104 (+ 104 with DEBUG_SLAB)
 * NR_CPUS is the build's (layout.c kconfig: Debian 686 8, 686-bigmem 32;
 * x86_64 4096, RHEL 6's, whose slabinfo row "kmem_cache 214 214 32896 1
 * 16 : tunables 8 4 0" is ALIGN(4096 * 8 + 104 + 8, 64) in one order-4
 * slab).  Until kmem_cache_init_late()'s enable_cpucache() its head
 * array is initarray_cache: BOOT_CPUCACHE_ENTRIES (1), batchcount 1, so
 * each cache made meanwhile takes exactly one object from its slabs.
 */
static int cache_cache_boot_arrays(struct machine *m, int c);

static int create_cache_cache(struct machine *m)
{
	struct slab_state *st = m->slab;
	bool b32 = m->arch->bits == 32;
	bool debug = (st->slub_debug & SLAB_DEBUG_BUILD_F) != 0;
	unsigned nr_cpus = m->layout.kconfig ? m->layout.kconfig->nr_cpus : 0;
	unsigned nr_node_ids = 1;
	if (!nr_cpus)
		return 0;               /* the build's NR_CPUS is not known: no row */
	unsigned size = b32 ? nr_cpus * 4 + 72 + (debug ? 64 : 0) : nr_cpus * 8 + 104 + (debug ? 104 : 0);
	size += nr_node_ids * (b32 ? 4 : 8);
	int c = slab_cache_new(m, "kmem_cache", size, st->cache_line, SLAB_BOOT_CACHE_F, false);
	return cache_cache_boot_arrays(m, c);
}

/*
 * 6.1 mm/slab.c kmem_cache_init(), step 1: kmem_cache_boot, "kmem_cache",
 * laid out by create_boot_cache() (SLAB_HWCACHE_ALIGN) as any other
 * cache, of offsetof(struct kmem_cache, node) + nr_node_ids pointers
 * (include/linux/slab_def.h, 6.1, without CONFIG_DEBUG_SLAB and KASAN,
 * with CONFIG_SLAB_FREELIST_RANDOM as Debian builds it): cpu_cache,
 * batchcount, limit, shared, size, reciprocal_buffer_size (u32 + two u8),
 * flags, num, gfporder, allocflags, colour (size_t), colour_off,
 * freelist_size, ctor, name, list, refcount, object_size, align,
 * random_seq, useroffset, usersize:
 *   i386:   96 + 4 (one node): 100 bytes, a 128-byte slot (32-byte line)
 *   x86_64: 128 + 8: 136 bytes, a 192-byte slot (64-byte line)
 * It is the first on slab_caches: /proc/slabinfo shows it last.  Its head
 * arrays stay the boot ones (BOOT_CPUCACHE_ENTRIES) until
 * kmem_cache_init_late()'s enable_cpucache(), as 2.6.32's.
 */
static int create_kmem_cache_61(struct machine *m)
{
	bool b32 = m->arch->bits == 32;
	unsigned nr_node_ids = m->cfg.nr_nodes ? m->cfg.nr_nodes : 1;
	unsigned size = (b32 ? 96 : 128) + nr_node_ids * (b32 ? 4 : 8);
	int c = slab_cache_new(m, "kmem_cache", size, 8, SLAB_HWCACHE_ALIGN_F, false);
	return cache_cache_boot_arrays(m, c);
}

/* the boot cache's head arrays until kmem_cache_init_late() */
static int cache_cache_boot_arrays(struct machine *m, int c)
{
	struct slab_state *st = m->slab;
	if (c < 0)
		return c;
	struct kmem_cache *kc = &st->caches[c];
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		kc->cpu[cpu].limit = 1;
		kc->cpu[cpu].batchcount = 1;
	}
	st->meta_cache = c;
	return 0;
}

/* kmem_cache_init_late(), step 6: enable_cpucache() gives cache_cache its
 * head arrays (the boot one is empty: limit 1, each object taken) */
static int cache_cache_init_late(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (st->meta_cache < 0)
		return 0;
	struct kmem_cache *kc = &st->caches[st->meta_cache];
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
		if (kc->cpu[cpu].avail || array_init(&kc->cpu[cpu], kc->g.limit, kc->g.batchcount))
			return -ENOMEM;
	return 0;
}

/* the tables do_kmalloc() walks, for n classes of cls[] */
static void set_class_index(struct slab_state *st, const struct kmalloc_class *cls, size_t n)
{
	st->nr_classic = (unsigned)n;
	for (unsigned b = 0; b < 64; b++) {
		unsigned i = 0;
		while (b > 0 && i < n && cls[i].size <= (1ull << (b - 1)))
			i++;
		st->classic_start[b] = (uint8_t)i;
	}
	/* the walk's answer for sizes up to 1024, whose classes are all
	 * multiples of 32: one per 32 bytes */
	for (unsigned k = 0; k < sizeof st->classic_index; k++) {
		unsigned i = 0;
		while (i < n && cls[i].size < (k + 1) * 32)
			i++;
		st->classic_index[k] = (uint8_t)i;
	}
	for (size_t i = 0; i < n; i++)
		st->classic_size[i] = cls[i].size;
}

/* 6.1 include/linux/slab.h enum kmalloc_cache_type (CONFIG_ZONE_DMA and
 * CONFIG_MEMCG_KMEM set, as in Debian's builds); 2.6.32 has normal and
 * DMA (1) */
enum { KMALLOC_NORMAL, KMALLOC_CGROUP, KMALLOC_RECLAIM, KMALLOC_DMA, NR_KMALLOC_TYPES };
#define GFP_ACCOUNT_61 0x400000u        /* __GFP_ACCOUNT of 6.1 */

/* 6.1: the kmalloc caches made so far, for an off-slab freelist
 * (calculate_slab_order()'s kmalloc_slab()) */
static void kmalloc_caches_61(const struct machine *m, struct slab61_kmalloc *km)
{
	const struct slab_state *st = m->slab;
	memset(km, 0, sizeof *km);
	for (unsigned i = 0; i < st->nr_classic; i++) {
		int c = st->classic_cache[KMALLOC_NORMAL][i];
		int idx = slab61_kmalloc_index(st->classic_size[i]);
		if (c >= 0 && idx > 0 && idx < 14) {
			km->size[idx] = st->caches[c].g.size;
			km->off_slab[idx] = st->caches[c].g.off_slab;
		}
	}
}

/*
 * 6.1: SLAB's kmalloc caches are mm/slab_common.c's.  kmalloc_info[]
 * names them ("kmalloc-96", "kmalloc-rcl-1k", "kmalloc-cg-8k",
 * "dma-kmalloc-192"); CONFIG_SLAB's KMALLOC_SHIFT_LOW 5 and
 * KMALLOC_SHIFT_HIGH 13 give kmalloc-32 .. kmalloc-8k, with 96 and 192
 * (KMALLOC_MIN_SIZE 32 <= 32, <= 64); above 8 KiB kmalloc goes to the
 * page allocator.  mm/slab.c kmem_cache_init() makes first the cache of
 * struct kmem_cache_node, kmalloc_caches[KMALLOC_NORMAL][INDEX_NODE]
 * (INDEX_NODE = kmalloc_index(sizeof(struct kmem_cache_node)): SLAB's
 * is spinlock_t, three list_heads, three longs, two ints, two pointers,
 * a long and an int: 64 bytes on i386, 120 on x86_64 -> kmalloc-64,
 * kmalloc-128), then create_kmalloc_caches(ARCH_KMALLOC_FLAGS) the rest:
 * for each type in enum order (NORMAL, CGROUP, RECLAIM, DMA), 32 .. 8k,
 * 96 right after 64 and 192 after 128.  create_boot_cache() aligns a
 * power-of-two size to itself (ARCH_KMALLOC_MINALIGN 8 otherwise), and
 * SLAB_HWCACHE_ALIGN (ARCH_KMALLOC_FLAGS) does the rest.
 */
static const struct kmalloc_class kmalloc_classes_61[] = {
	{ "32", 32 }, { "64", 64 }, { "96", 96 }, { "128", 128 }, { "192", 192 }, { "256", 256 },
	{ "512", 512 }, { "1k", 1024 }, { "2k", 2048 }, { "4k", 4096 }, { "8k", 8192 },
};

static int new_kmalloc_cache_61(struct machine *m, unsigned type, unsigned i)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" };
	static const unsigned flags[NR_KMALLOC_TYPES] = { 0, SLAB_ACCOUNT_F, SLAB_RECLAIM_ACCOUNT_F, SLAB_CACHE_DMA_F };
	struct slab_state *st = m->slab;
	unsigned size = kmalloc_classes_61[i].size;
	char name[32];
	snprintf(name, sizeof name, "%s%s", prefix[type], kmalloc_classes_61[i].name);
	unsigned align = (size & (size - 1)) ? 8 : size;   /* is_power_of_2(size): max(align, size) */
	int c = slab_cache_new(m, name, size, align, SLAB_HWCACHE_ALIGN_F | flags[type], true);
	if (c < 0)
		return c;
	st->classic_cache[type][i] = c;
	return 0;
}

static int create_kmalloc_caches_61(struct machine *m)
{
	struct slab_state *st = m->slab;
	const size_t n = sizeof kmalloc_classes_61 / sizeof kmalloc_classes_61[0];
	set_class_index(st, kmalloc_classes_61, n);
	/* kmalloc_type(): KMALLOC_NOT_NORMAL_BITS */
	st->kmalloc_type_mask = m->kp->gfp_dma | m->kp->gfp_reclaimable | GFP_ACCOUNT_61;
	unsigned node_size = m->arch->bits == 32 ? 64 : 120;
	unsigned node_class = 0;
	while (kmalloc_classes_61[node_class].size < node_size)
		node_class++;
	int r = m->cfg.snapshot ? 0 : create_kmem_cache_61(m);
	if (!r)
		r = new_kmalloc_cache_61(m, KMALLOC_NORMAL, node_class);
	for (unsigned type = 0; !r && type < NR_KMALLOC_TYPES; type++)
		for (unsigned i = 0; !r && i < n; i++)
			if (st->classic_cache[type][i] < 0)
				r = new_kmalloc_cache_61(m, type, i);
	return r ? r : cache_cache_init_late(m);
}

/* kmem_cache_init(): the general caches size-N and size-N(DMA) (6.1:
 * create_kmalloc_caches_61()) */
static int create_general_caches(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (m->kp->kv != KV_2_6_32)
		return create_kmalloc_caches_61(m);
	/* 2.6.32's own cache_cache */
	if (!m->cfg.snapshot) {
		int r = create_cache_cache(m);
		if (r)
			return r;
	}
	struct kmalloc_class cls[24];
	size_t n = slab_classic_sizes(st->cache_line, cls, 24);
	set_class_index(st, cls, n);
	/* __find_general_cachep(): GFP_DMA picks the class's DMA cache */
	st->kmalloc_type_mask = m->kp->gfp_dma;
	for (size_t i = 0; i < n; i++) {
		char dma[40];
		/* ARCH_KMALLOC_MINALIGN, ARCH_KMALLOC_FLAGS */
		int c = slab_cache_new(m, cls[i].name, cls[i].size, 8, SLAB_HWCACHE_ALIGN_F, true);
		if (c < 0)
			return c;
		st->classic_cache[0][i] = c;
		snprintf(dma, sizeof dma, "%s(DMA)", cls[i].name);
		c = slab_cache_new(m, dma, cls[i].size, 8, SLAB_HWCACHE_ALIGN_F | SLAB_CACHE_DMA_F, true);
		if (c < 0)
			return c;
		st->classic_cache[1][i] = c;
	}
	return cache_cache_init_late(m);
}

static int cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested);

/* the type of cache for a gfp with one of st->kmalloc_type_mask's bits:
 * 2.6.32 __find_general_cachep(): GFP_DMA, the class's DMA cache; 6.1
 * kmalloc_type(): __GFP_DMA, else __GFP_RECLAIMABLE, else __GFP_ACCOUNT */
static __attribute__((noinline, cold)) unsigned kmalloc_type(const struct machine *m, gfp_t gfp)
{
	const struct kernel_profile *kp = m->kp;
	if (kp->kv == KV_2_6_32)
		return 1;
	if (gfp & kp->gfp_dma)
		return KMALLOC_DMA;
	if (gfp & kp->gfp_reclaimable)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

/* __do_kmalloc() */
static inline __attribute__((always_inline)) int do_kmalloc(struct machine *m, size_t size, gfp_t gfp,
							     uint64_t *addr)
{
	struct slab_state *st = m->slab;
	/* __find_general_cachep(): size 0 gives ZERO_SIZE_PTR; past the last
	 * class (KMALLOC_MAX_SIZE: 4 MiB with MAX_ORDER 11) the sentinel has no
	 * cache and __do_kmalloc() returns NULL without a message */
	if (size == 0) {
		*addr = ZERO_SIZE_PTR;
		return 0;
	}
	/* __find_general_cachep() walks malloc_sizes[] from the start, to
	 * the first class that holds size: up to 1024 bytes the walk's answer
	 * is tabled; above, the walk starts at the first class above half the
	 * size's power of two */
	unsigned i;
	/* (6.1's kmalloc_slab(): size_index[] up to 192, then fls(size -
	 * 1), picks the same class as this walk over its kmalloc_info[]
	 * sizes: the smallest that holds size) */
	if (__builtin_expect(size <= 32 * sizeof st->classic_index, 1)) {
		i = st->classic_index[(size - 1) / 32];
	} else {
		i = st->nr_classic;
		if (size <= st->classic_size[st->nr_classic - 1]) {
			i = st->classic_start[kmemsh_fls64(size - 1)];
			while (size > st->classic_size[i])
				i++;
		}
		if (i == st->nr_classic) {
			/* 6.1 __do_kmalloc_node(): above KMALLOC_MAX_CACHE_SIZE */
			if (m->kp->kv != KV_2_6_32)
				return slab_kmalloc_large(m, size, gfp, addr);
			model_err(m, "%zu bytes is above the largest general cache (size-%u): "
				 "2.6.32's kmalloc returns NULL", size, st->classic_size[st->nr_classic - 1]);
			*addr = 0;
			return 0;
		}
	}
	unsigned type = 0;
	if (__builtin_expect((gfp & st->kmalloc_type_mask) != 0, 0))
		type = kmalloc_type(m, gfp);
	return cache_alloc(m, st->classic_cache[type][i], gfp, addr, size);
}

/* do_kmalloc() for slab_kmalloc()'s direct call (slab_ops_kmalloc()) */
SLAB_API_INLINE int slab_classic_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	return do_kmalloc(m, size, gfp, addr);
}

/* slab_get_obj(): the slab's next free object (its bufctl chain) */
static unsigned get_obj(struct slab *s)
{
	unsigned idx = s->freelist;
	s->freelist = s->fp[idx];
	s->fp[idx] = SLAB_NONE;
	s->inuse++;
	return idx;
}

static void put_obj(struct slab *s, unsigned idx)
{
	s->fp[idx] = s->freelist;
	s->freelist = idx;
	s->inuse--;
}

/* cache_alloc_refill() */
static __attribute__((noinline)) int refill(struct machine *m, int cache, gfp_t gfp)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	unsigned batch = ac->batchcount;
	if (!ac->touched && batch > BATCHREFILL_LIMIT)
		batch = BATCHREFILL_LIMIT;
	/* transfer_objects() from the shared array: its newest entries */
	if (c->shared.entry && c->shared.avail) {
		unsigned nr = batch < c->shared.avail ? batch : c->shared.avail;
		memcpy(ac->entry + ac->avail, c->shared.entry + c->shared.avail - nr, nr * sizeof *ac->entry);
		c->shared.avail -= nr;
		ac->avail += nr;
		slab_log(m, CH_SLAB_REFILL, cache, SLAB_NONE, 0, 0, nr, 0, 1, 0);
		return 0;
	}
	for (;;) {
		while (batch > 0) {
			uint32_t id = c->partial[0].head != SLAB_NONE ? c->partial[0].head : c->free.head;
			if (id == SLAB_NONE)
				break;
			struct slab *s = &st->slabs[id];
			unsigned moved = 0;
			while (s->inuse < s->objects && batch > 0) {
				unsigned idx = get_obj(s);
				ac->entry[ac->avail++] = (struct slab_ac_entry){ slab_object_addr(m, s, idx), id, idx };
				batch--;
				moved++;
				/* STATS_INC_ALLOCED, STATS_INC_ACTIVE, STATS_SET_HIGH */
				c->counters.num_allocations++;
				if (++c->counters.num_active > c->counters.high_mark)
					c->counters.high_mark = c->counters.num_active;
			}
			c->free_objects -= moved;
			slab_log(m, CH_SLAB_REFILL, cache, id, s->pfn, s->order, moved, 0, 0, 0);
			/* list_del + list_add onto full or partial (head) */
			slab_move(m, cache, id, s->freelist == SLAB_NONE ? SL_FULL : SL_PARTIAL, false);
		}
		if (ac->avail)
			break;
		/* cache_grow(): a new, coloured slab on the free list's tail
		 * (6.1 cache_grow_begin() first fixes GFP_SLAB_BUG_MASK flags
		 * up with kmalloc_fix_flags()'s warning; 2.6.32's BUG_ON is
		 * slab_new()'s) */
		if (m->kp->kv != KV_2_6_32)
			gfp = slab_kmalloc_fix_flags(m, gfp);
		uint32_t id = slab_new(m, cache, gfp);
		if (id == SLAB_NONE)
			return -ENOMEM;
		c = &st->caches[cache];
		ac = &c->cpu[machine_this_cpu(m)];
		c->free_objects += st->slabs[id].objects;
		c->counters.grown++;   /* STATS_INC_GROWN */
		slab_move(m, cache, id, SL_FREE, true);
		batch = ac->batchcount;
		if (!ac->touched && batch > BATCHREFILL_LIMIT)
			batch = BATCHREFILL_LIMIT;
	}
	return 0;
}

/* a change-log entry for an object (out of the fast paths' way) */
static __attribute__((noinline, cold)) void log_obj(struct machine *m, enum change_kind kind, int cache, uint32_t id,
						   unsigned idx, uint64_t obj)
{
	const struct slab *s = &m->slab->slabs[id];
	slab_log(m, kind, cache, id, s->pfn, s->order, idx, obj, 0, 0);
}

/* __cache_alloc(), every case: an empty array (refill), STATS, debug */
static __attribute__((noinline)) int cache_alloc_slow(struct machine *m, int cache, gfp_t gfp, uint64_t *addr,
						      size_t requested)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	/* ____cache_alloc(): STATS_INC_ALLOCHIT / STATS_INC_ALLOCMISS */
	if (c->stats) {
		if (ac->avail)
			c->counters.allochit++;
		else
			c->counters.allocmiss++;
	}
	if (!ac->avail) {
		if (refill(m, cache, gfp)) {
			*addr = 0;   /* the page allocator has reported the failure */
			return 0;
		}
		c = &st->caches[cache];
		ac = &c->cpu[machine_this_cpu(m)];
	}
	ac->touched = true;
	const struct slab_ac_entry *e = &ac->entry[--ac->avail];
	uint64_t obj = e->obj;
	uint32_t id = e->slab;
	unsigned idx = e->idx;
	struct slab *s = &st->slabs[id];
	s->req[idx] = (uint32_t)(requested ? requested : 1);
	c->active_objects++;
	c->allocs++;
	*addr = obj;
	if (s->mem && c->debug)
		slab_classic_debug_alloc(m, s, idx, gfp);
	else if (s->mem)
		slab_mem_on_alloc(m, s, idx, requested, gfp);
	slab_log(m, CH_OBJ_ALLOC, cache, id, s->pfn, s->order, idx, obj, 0, 0);
	return 0;
}

/*
 * __cache_alloc(): ____cache_alloc()'s fast path, the newest object of
 * this CPU's array when it has one, as mm/slab.c takes it:
 * ac->touched = 1; objp = ac->entry[--ac->avail].  The model adds only
 * its own bookkeeping (the requested size, the counters, the slab's bytes
 * when it has any, the change log).  An empty array and the
 * CONFIG_DEBUG_SLAB build (STATS and the debug checks) go the whole way.
 */
static inline __attribute__((always_inline)) int cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr,
							      size_t requested)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	if (__builtin_expect(!ac->avail || c->slow, 0))
		return cache_alloc_slow(m, cache, gfp, addr, requested);
	ac->touched = true;
	const struct slab_ac_entry *e = &ac->entry[--ac->avail];
	struct slab *s = &st->slabs[e->slab];
	s->req[e->idx] = (uint32_t)(requested ? requested : 1);
	c->active_objects++;
	c->allocs++;
	*addr = e->obj;
	if (s->mem)
		slab_mem_on_alloc(m, s, e->idx, requested, gfp);
	if (__builtin_expect(m->log.enabled, 0))
		log_obj(m, CH_OBJ_ALLOC, cache, e->slab, e->idx, e->obj);
	return 0;
}

/* free_block(): objects back to their slabs */
static void free_block(struct machine *m, int cache, const struct slab_ac_entry *objs, unsigned n)
{
	struct slab_state *st = m->slab;
	for (unsigned i = 0; i < n; i++) {
		uint32_t id = objs[i].slab;
		struct kmem_cache *c = &st->caches[cache];
		struct slab *s = &st->slabs[id];
		put_obj(s, objs[i].idx);
		c->free_objects++;
		c->counters.num_active--;   /* STATS_DEC_ACTIVE */
		if (s->inuse == 0) {
			if (c->free_objects > c->free_limit) {
				c->free_objects -= s->objects;
				slab_discard(m, id);
			} else {
				slab_move(m, cache, id, SL_FREE, false);
			}
		} else {
			slab_move(m, cache, id, SL_PARTIAL, true);
		}
	}
}

/* cache_flusharray() */
static __attribute__((noinline)) void flusharray(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	unsigned batch = ac->batchcount;
	if (c->shared.entry) {
		unsigned max = c->shared.limit - c->shared.avail;
		if (max) {
			if (batch > max)
				batch = max;
			memcpy(c->shared.entry + c->shared.avail, ac->entry, batch * sizeof *ac->entry);
			c->shared.avail += batch;
			slab_log(m, CH_SLAB_REFILL, cache, SLAB_NONE, 0, 0, batch, 0, 2, 0);
			goto done;
		}
	}
	free_block(m, cache, ac->entry, batch);
	slab_log(m, CH_SLAB_REFILL, cache, SLAB_NONE, 0, 0, batch, 0, 3, 0);
done:
	c = &st->caches[cache];
	/* free_done: STATS_SET_FREEABLE(the slabs on the free list) */
	if (c->free.count > c->counters.max_freeable)
		c->counters.max_freeable = c->free.count;
	ac = &c->cpu[machine_this_cpu(m)];
	ac->avail -= batch;
	memmove(ac->entry, ac->entry + batch, ac->avail * sizeof *ac->entry);
}

static bool in_array(const struct slab_cpu *a, uint64_t obj)
{
	for (unsigned i = 0; i < a->avail; i++)
		if (a->entry[i].obj == obj)
			return true;
	return false;
}

static __attribute__((noinline)) int double_free(struct machine *m, const struct kmem_cache *c, unsigned idx,
						 uint64_t obj)
{
	bool cached = in_array(&c->shared, obj);
	for (unsigned cpu = 0; cpu < m->ncpus && !cached; cpu++)
		cached = in_array(&c->cpu[cpu], obj);
	if (c->debug)
		model_err(m, "double free of %#llx in %s (object %u is already free%s); "
			 "CONFIG_DEBUG_SLAB reports it (dmesg) and then frees it again, so it would be handed "
			 "out twice: refused", (unsigned long long)obj, c->name, idx, cached ? _(", in an array cache") : "");
	else if (m->kp->kv != KV_2_6_32)
		model_err(m, "double free of %#llx in %s (object %u is already free%s); 6.1's SLAB "
			 "would not notice and hand it out twice: refused",
			 (unsigned long long)obj, c->name, idx, cached ? _(", in an array cache") : "");
	else
		model_err(m, "double free of %#llx in %s (object %u is already free%s); 2.6.32 "
			 "SLAB without CONFIG_DEBUG_SLAB would not notice and hand it out twice: refused",
			 (unsigned long long)obj, c->name, idx, cached ? _(", in an array cache") : "");
	return -EINVAL;
}

/* __cache_free(), every case: a double free, STATS, debug, a full array */
static __attribute__((noinline)) int cache_free_slow(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab *s = &st->slabs[id];
	uint64_t obj = slab_object_addr(m, s, idx);
	if (!s->req[idx]) {
		if (s->mem && c->debug)
			slab_classic_debug_double_free(m, s, idx);
		return double_free(m, c, idx, obj);
	}
	if (s->mem && c->debug)
		slab_classic_debug_free(m, s, idx);
	s->req[idx] = 0;
	c->active_objects--;
	c->frees++;
	slab_log(m, CH_OBJ_FREE, cache, id, s->pfn, s->order, idx, obj, 0, 0);
	/* __cache_free(): STATS_INC_FREEHIT / STATS_INC_FREEMISS */
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	if (c->stats) {
		if (ac->avail < ac->limit)
			c->counters.freehit++;
		else
			c->counters.freemiss++;
	}
	if (ac->avail >= ac->limit)
		flusharray(m, cache);
	c = &st->caches[cache];
	ac = &c->cpu[machine_this_cpu(m)];
	ac->entry[ac->avail++] = (struct slab_ac_entry){ obj, id, idx };
	return 0;
}

/*
 * __cache_free() of object idx of slab id, at obj (its address, which
 * the caller has): the fast path, as mm/slab.c takes it when the array
 * has room: ac->entry[ac->avail++] = objp, after the model's bookkeeping
 * (the double-free check, the counters, the change log).  When the array
 * is full, cache_flusharray() first, as the kernel does; a double free
 * and the CONFIG_DEBUG_SLAB build go the whole way.
 */
static inline __attribute__((always_inline)) int cache_free_obj(struct machine *m, int cache, uint32_t id,
								 unsigned idx, uint64_t obj)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	struct slab *s = &st->slabs[id];
	if (__builtin_expect(c->slow || !s->req[idx], 0))
		return cache_free_slow(m, cache, id, idx);
	s->req[idx] = 0;
	c->active_objects--;
	c->frees++;
	if (__builtin_expect(m->log.enabled, 0))
		log_obj(m, CH_OBJ_FREE, cache, id, idx, obj);
	struct slab_cpu *ac = &c->cpu[machine_this_cpu(m)];
	if (__builtin_expect(ac->avail >= ac->limit, 0)) {
		flusharray(m, cache);
		c = &st->caches[cache];
		ac = &c->cpu[machine_this_cpu(m)];
	}
	ac->entry[ac->avail++] = (struct slab_ac_entry){ obj, id, idx };
	return 0;
}

/* ops->free: the object's address from its slab */
static int cache_free(struct machine *m, int cache, uint32_t id, unsigned idx)
{
	const struct slab *s = &m->slab->slabs[id];
	return cache_free_obj(m, cache, id, idx, slab_object_addr(m, s, idx));
}

/* drain the arrays back to the slabs (drain_cpu_caches()) */
static void drain_arrays(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		struct kmem_cache *c = &st->caches[cache];
		struct slab_cpu *ac = &c->cpu[cpu];
		unsigned n = ac->avail;
		ac->avail = 0;
		free_block(m, cache, ac->entry, n);
	}
	struct kmem_cache *c = &st->caches[cache];
	if (c->shared.entry) {
		unsigned n = c->shared.avail;
		c->shared.avail = 0;
		free_block(m, cache, c->shared.entry, n);
	}
}

/* __cache_shrink(): drain the arrays, destroy every free slab */
static int cache_shrink(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	drain_arrays(m, cache);
	struct kmem_cache *c = &st->caches[cache];
	while (c->free.head != SLAB_NONE) {
		uint32_t id = c->free.head;
		c->free_objects -= st->slabs[id].objects;
		slab_discard(m, id);
		c = &st->caches[cache];
	}
	return 0;
}

/* kmem_cache_destroy(): __cache_shrink() leaves no slab when no object is
 * left; otherwise the cache stays */
static int destroy(struct machine *m, int cache)
{
	cache_shrink(m, cache);
	const struct kmem_cache *c = &m->slab->caches[cache];
	if (c->active_objects) {
		if (m->kp->kv != KV_2_6_32) {
			/* 6.1's SLAB goes through mm/slab_common.c kmem_cache_destroy() */
			dmesg_printf(m, "kmem_cache_destroy %s: Slab cache still has objects when called from "
				     "kmemsh_command+0x0/0x0", c->name);
			return -EBUSY;
		}
		/* slab_error() + dump_stack() */
		dmesg_printf(m, "slab error in kmem_cache_destroy(): cache `%s': Can't free all objects", c->name);
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
		return -EBUSY;
	}
	return 0;
}

/* ---- the interface ------------------------------------------------------------------ */

static int geometry(const struct machine *m, unsigned size, unsigned align, unsigned flags,
		    struct slab_geometry *g)
{
	if (m->kp->kv != KV_2_6_32) {
		struct slab61_kmalloc km;
		kmalloc_caches_61(m, &km);
		return slab61_geometry(size, align, flags, m->slab->cache_line, m->mem_bytes > (32ull << 20),
				       m->ncpus, m->arch->bits / 8, &km, g);
	}
	return slab_classic_geometry_ex(size, align, flags, m->slab->cache_line, m->mem_bytes > (32ull << 20),
					m->ncpus, true, m->arch->bits / 8, g);
}

/* ksize(): obj_size(), the buffer size, or without the debug words under
 * CONFIG_DEBUG_SLAB */
static size_t ksize(const struct machine *m, const struct object_info *oi)
{
	const struct kmem_cache *c = &m->slab->caches[oi->cache];
	return c->g.debug_flags ? c->g.object_size : c->g.size;
}

/* s_show(): full slabs count whole, partial slabs their inuse (objects in
 * array caches are in use from the slabs' view) */
static void slabinfo(const struct machine *m, const struct kmem_cache *c, struct slabinfo_row *row)
{
	const struct slab_state *st = m->slab;
	for (uint32_t id = c->full.head; id != SLAB_NONE; id = st->slabs[id].next) {
		row->active_objs += st->slabs[id].objects;
		row->active_slabs++;
	}
	for (uint32_t id = c->partial[0].head; id != SLAB_NONE; id = st->slabs[id].next) {
		row->active_objs += st->slabs[id].inuse;
		row->active_slabs++;
	}
	row->limit = c->g.limit;
	row->batchcount = c->g.batchcount;
	row->sharedfactor = c->g.shared;
	row->shared_avail = c->shared.avail;
	if (st->slub_debug & SLAB_DEBUG_BUILD_F) {
		/* with STATS; reaped (cache_reap), errors (no call site in
		 * 2.6.32) and the NUMA counters stay 0 */
		row->stats = true;
		row->listallocs = c->counters.num_allocations;
		row->maxobjs = c->counters.high_mark;
		row->grown = c->counters.grown;
		row->maxfreeable = c->counters.max_freeable;
		row->allochit = c->counters.allochit;
		row->allocmiss = c->counters.allocmiss;
		row->freehit = c->counters.freehit;
		row->freemiss = c->counters.freemiss;
	}
}

/* cache_free_obj() for slab_kfree()'s direct call (slab_ops_free()), which
 * has the object's address */
SLAB_API_INLINE int slab_classic_free(struct machine *m, int cache, uint32_t id, unsigned idx, uint64_t addr)
{
	return cache_free_obj(m, cache, id, idx, addr);
}

const struct slab_ops slab_classic_ops = {
	.setup = create_general_caches,
	.geometry = geometry,
	.cache_init = cache_init,
	.shrink = cache_shrink,
	.destroy = destroy,
	.kmalloc = do_kmalloc,
	.alloc = cache_alloc,
	.free = cache_free,
	.ksize = ksize,
	.debug_new_slab = slab_classic_debug_init,
	.debug_discard = slab_classic_debug_destroy,
	.slabinfo = slabinfo,
};
