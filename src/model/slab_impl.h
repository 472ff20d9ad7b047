/*
 * slab_impl.h - the interface between slab.c and the allocators behind it
 * (SLUB: slub.c + slab_debug.c; SLAB: slab_classic.c +
 * slab_classic_debug.c; SLOB: slob.c).  Internal to src/model.
 *
 * Calls run one way.  slab.c is the kmem_cache interface: it checks the
 * caller's arguments, owns the caches, the slabs, the pfn map and the large
 * kmallocs, and reaches the allocator chosen at boot only through its
 * struct slab_ops (m->slab->ops, set once by slab_init() from a table
 * indexed by enum slab_impl); it calls no allocator by name.  The
 * allocators call down into the helpers slab.c and slab_debug.c offer
 * below (slab_cache_new(), slab_new(), slab_move(), slab_discard(),
 * slab_mem_on_alloc(), ...) and into their own files, never into each
 * other.  Where a helper needs the allocator it asks through the ops, as
 * slab.c does: slab_cache_new() for the geometry and the allocator's part
 * of a cache, slab_mem_create() and slab_discard() for a debug slab's
 * bytes and checks.
 */
#ifndef KMEMSH_SLAB_IMPL_H
#define KMEMSH_SLAB_IMPL_H

#include "kmemsh/slab.h"

/*
 * One slab allocator.  Hooks marked "or NULL" may be left out; the rest
 * are always there.  SLUB and SLAB keep objects in slabs, so slab.c finds
 * them in its pfn map and frees them with free(); SLOB keeps them in its
 * own pages, reached through the block hooks at the end.
 */
struct slab_ops {
	/* slab_init(): the kmalloc caches (SLUB, SLAB) or the heap (SLOB);
	 * slab_destroy_all(): what setup() made besides caches, or NULL */
	int (*setup)(struct machine *m);
	void (*teardown)(struct machine *m);

	/* kmem_cache_create(): the geometry of a cache of size-byte objects
	 * (flags: SLAB_*, the debug flags included), then, once slab.c has
	 * set the common fields of cache, the allocator's own (c->debug,
	 * per-CPU state); 0 or -errno */
	int (*geometry)(const struct machine *m, unsigned size, unsigned align, unsigned flags,
			struct slab_geometry *g);
	int (*cache_init)(struct machine *m, int cache);
	/* kmem_cache_shrink(), or NULL when nothing is cached per cache */
	int (*shrink)(struct machine *m, int cache);
	/* kmem_cache_destroy(): give back what the cache holds; -EBUSY, after
	 * the kernel's complaint in dmesg, when it still has objects */
	int (*destroy)(struct machine *m, int cache);
	/* the address of the cache's own struct kmem_cache when the
	 * allocator keeps it outside slab.c's meta (SLOB's block), or NULL */
	uint64_t (*cache_struct)(const struct machine *m, int cache);

	/* kmalloc() (see slab_ops_kmalloc() below) and kmem_cache_alloc():
	 * 0 and *addr (0 for NULL), or -errno with m->err */
	int (*kmalloc)(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
	int (*alloc)(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested);
	/* kmem_cache_alloc_bulk(): n objects into p, as n alloc() calls
	 * would take them; 0, or the first failure with *done taken.  NULL:
	 * slab.c calls alloc() n times */
	int (*alloc_bulk)(struct machine *m, int cache, gfp_t gfp, size_t n, uint64_t *p, size_t requested,
			  size_t *done);
	/* kmem_cache_alloc_node() for a node on a machine with NUMA nodes
	 * (SLUB), or NULL: the allocator has one node */
	int (*alloc_node)(struct machine *m, int cache, gfp_t gfp, int node, uint64_t *addr, size_t requested);
	/* free object idx of a slab (SLUB, SLAB; NULL for SLOB) */
	int (*free)(struct machine *m, int cache, uint32_t slab, unsigned idx);
	/* a free of addr inside a slab of cache but not at an object's start:
	 * the allocator's report in dmesg, or NULL */
	void (*report_invalid)(struct machine *m, int cache, uint32_t slab, uint64_t addr);
	/* __ksize() of the allocated object oi (not a large kmalloc), and
	 * what ksize() then does so that the caller may use all of it (6.13
	 * skip_orig_size_check(), or NULL) */
	size_t (*ksize)(const struct machine *m, const struct object_info *oi);
	void (*skip_orig_size_check)(struct machine *m, struct slab *s, unsigned idx);

	/* a debug cache's slab (c->debug): the bytes of a new one (s->mem is
	 * allocated), the checks before it goes back; NULL without debug */
	void (*debug_new_slab)(struct machine *m, struct slab *s);
	void (*debug_discard)(struct machine *m, struct slab *s);

	/* a /proc/slabinfo row: what slab.c leaves (active objects and slabs,
	 * tunables, statistics); NULL without /proc/slabinfo */
	void (*slabinfo)(const struct machine *m, const struct kmem_cache *c, struct slabinfo_row *row);

	/* objects outside slabs (SLOB's blocks), NULL for SLUB and SLAB.
	 * free_block(): 0 freed, -ENOENT not the allocator's memory, -EINVAL
	 * refused (m->err); cache -1 for kfree().  block_info(): fills oi
	 * (oi->slob) for an address in the allocator's pages.  owns(): addr
	 * is in one of them.  check(): their invariants, instead of the
	 * slabs' (0 or -EUCLEAN with m->err). */
	int (*free_block)(struct machine *m, uint64_t addr, int cache);
	void (*block_info)(const struct machine *m, uint64_t addr, struct object_info *oi);
	bool (*owns)(const struct machine *m, uint64_t addr);
	int (*check)(struct machine *m);
};

extern const struct slab_ops slub_ops, slab_classic_ops, slob_ops;

/*
 * ops->kmalloc, the hot path.  slab_kmalloc() calls SLUB's and SLAB's by
 * name through this switch: each is that allocator's kmalloc fast path
 * (always_inline there) behind a function with this one caller.  SLOB,
 * and every other hook, go through the pointer.
 *
 * The entry points slab_kmalloc()/slab_kfree(), these switches and the
 * functions behind them are always inlined (SLAB_API_INLINE).  With LTO
 * that reaches across files into the callers (the command handlers, the
 * bench, vmalloc); GCC's heuristics stopped doing it on their own once the
 * program grew (a kmalloc+kfree pair of 64 bytes went from 192 to 233
 * instructions with no slab change), and with the frames of slab_kmalloc,
 * slab_kfree and slab_ops_free gone the pair is 179 (callgrind; glibc's
 * malloc+free pair is 141).  Without LTO, callers in other files see a
 * plain declaration and call.
 */
#if defined(__clang__)
/* clang warns (-Wstatic-in-inline) of an inline external definition that
 * calls static functions, and the build uses LTO only with GCC */
#define SLAB_API_INLINE
#else
#define SLAB_API_INLINE __attribute__((always_inline)) inline
#endif

int slub_kmalloc(struct machine *m, struct slab_state *st, size_t size, gfp_t gfp, uint64_t *addr);
int slab_classic_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);

static inline __attribute__((always_inline)) int slab_ops_kmalloc(struct machine *m, struct slab_state *st, size_t size,
								    gfp_t gfp, uint64_t *addr)
{
	switch (st->impl) {
	case SLAB_IMPL_SLUB:
		return slub_kmalloc(m, st, size, gfp, addr);
	case SLAB_IMPL_SLAB:
		return slab_classic_kmalloc(m, size, gfp, addr);
	case SLAB_IMPL_SLOB:
		break;
	}
	return st->ops->kmalloc(m, size, gfp, addr);
}

/* The same direct call for kfree()'s fast path (ops->free of SLUB or SLAB):
 * with LTO the allocator's free is inlined into slab_kfree(), as its
 * kmalloc is into slab_kmalloc() (make bench: about 20 instructions of a
 * kmalloc+kfree pair were the indirect call's frame). */
int slub_free(struct machine *m, int cache, uint32_t slab, unsigned idx);
int slab_classic_free(struct machine *m, int cache, uint32_t slab, unsigned idx, uint64_t addr);

/* addr is object idx's address (SLAB's array cache keeps it) */
static inline __attribute__((always_inline)) int slab_ops_free(struct machine *m, int cache, uint32_t slab, unsigned idx,
								 uint64_t addr)
{
	switch (m->slab->impl) {
	case SLAB_IMPL_SLUB:
		return slub_free(m, cache, slab, idx);
	case SLAB_IMPL_SLAB:
		return slab_classic_free(m, cache, slab, idx, addr);
	case SLAB_IMPL_SLOB:
		break;
	}
	return m->slab->ops->free(m, cache, slab, idx);
}

/* ---- helpers slab.c offers the allocators ---------------------------------- */

/* the pfn maps of SLUB/SLAB (slabs, large kmallocs) and SLOB (pages) */
int pfn_map_put(struct pfn_map *pm, uint64_t pfn, uint32_t v);
void pfn_map_free(struct pfn_map *pm);

void slab_log_add(struct machine *m, enum change_kind kind, int cache, uint32_t slab, uint64_t pfn,
		  unsigned order, uint32_t obj, uint64_t addr, int from, int to);
/* a change-log entry, when the log is on (inline: the hot paths skip the call) */
static inline void slab_log(struct machine *m, enum change_kind kind, int cache, uint32_t slab, uint64_t pfn,
			    unsigned order, uint32_t obj, uint64_t addr, int from, int to)
{
	if (__builtin_expect(m->log.enabled, 0))
		slab_log_add(m, kind, cache, slab, pfn, order, obj, addr, from, to);
}

/*
 * The slab and object index of a direct-map address that is the start of
 * an object on the first page of a slab: the hot path of kfree() and of
 * SLAB's array caches (virt_to_slab() + obj_to_index()).  false for
 * anything else; callers then take the general path.
 */
static inline bool slab_locate_fast(struct machine *m, uint64_t addr, uint32_t *id, unsigned *idx)
{
	uint64_t pfn = 0, off = 0;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return false;
	uint32_t v = pfn_map_lookup(&m->slab->map, pfn);
	if (v == SLAB_NONE || (v & 0x80000000u))
		return false;
	const struct slab *s = &m->slab->slabs[v];
	if (off < s->base)
		return false;
	uint32_t rel = (uint32_t)(off - s->base);
	uint32_t i = slab_obj_index(s, rel);
	if (i >= s->objects || rel != i * s->size)
		return false;
	*id = v;
	*idx = i;
	return true;
}
void slab_list_add(struct machine *m, struct slab_list_head *l, uint32_t id, bool tail);
void slab_list_del(struct machine *m, struct slab_list_head *l, uint32_t id);
struct slab_list_head *slab_list_of(struct kmem_cache *c, const struct slab *s, int list);
void slab_move(struct machine *m, int cache, uint32_t id, int to, bool tail);
uint32_t slab_new(struct machine *m, int cache, gfp_t gfp);
void slab_discard(struct machine *m, uint32_t id);
uint32_t slab_of_addr(const struct machine *m, uint64_t addr);
int slab_cache_new(struct machine *m, const char *name, unsigned size, unsigned align, unsigned flags,
		   bool kmalloc);
int slab_large_add(struct machine *m, uint64_t pfn, size_t size, unsigned order);
/* kmalloc() above the largest kmalloc cache (SLUB; SLAB from 6.1):
 * __kmalloc_large_node(), pages from the buddy allocator */
int slab_kmalloc_large(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
/* kmalloc_fix_flags() (6.x): GFP_SLAB_BUG_MASK bits dropped, with the
 * kernel's warning in dmesg */
gfp_t slab_kmalloc_fix_flags(struct machine *m, gfp_t gfp);

/* little-endian words in slab memory (both modelled arches are x86) */
static inline void slab_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t slab_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* memory contents (slab_debug.c): a debug cache's new slab gets its bytes
 * (the allocator's debug_new_slab() writes them), __GFP_ZERO and SLUB's
 * debug writes after an allocation, krealloc() in place and moving */
int slab_mem_create(struct machine *m, struct slab *s);
void slab_mem_on_alloc(struct machine *m, struct slab *s, unsigned idx, size_t requested, gfp_t gfp);
void slab_mem_on_krealloc(struct machine *m, struct slab *s, unsigned idx, size_t size, gfp_t gfp);
void slab_mem_copy(struct machine *m, uint64_t dst, uint64_t src);

/* ---- within one allocator ------------------------------------------------------ */

/* SLUB: slub.c and its debug writes and checks in slab_debug.c */
bool slub_debug_cache(const struct machine *m, const struct kmem_cache *c);
void slub_debug_new_slab(struct machine *m, struct slab *s);
void slab_mem_set_fp(struct machine *m, const struct slab *s, unsigned idx);
void slab_mem_on_free(struct machine *m, struct slab *s, unsigned idx);
void slub_skip_orig_size_check(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_alloc(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_free(struct machine *m, struct slab *s, unsigned idx);
bool slub_check_free_slab(struct machine *m, struct slab *s);
void slub_check_discard(struct machine *m, struct slab *s);
void slub_report_invalid(struct machine *m, int cache, uint32_t slab, uint64_t addr);
void slub_slab_bug(struct machine *m, const char *cache, const char *reason);
void slub_print_trailer(struct machine *m, const struct slab *s, unsigned idx);

/* SLAB: slab_classic.c and CONFIG_DEBUG_SLAB in slab_classic_debug.c */
bool slab_classic_debug(const struct kmem_cache *c);
void slab_classic_debug_init(struct machine *m, struct slab *s);
void slab_classic_debug_alloc(struct machine *m, struct slab *s, unsigned idx, gfp_t gfp);
void slab_classic_debug_free(struct machine *m, struct slab *s, unsigned idx);
void slab_classic_debug_double_free(struct machine *m, struct slab *s, unsigned idx);
void slab_classic_debug_destroy(struct machine *m, struct slab *s);

/* SLOB: its page lists, for view/slabview.c (which declares it itself) */
unsigned slob_list_pages(const struct machine *m, int list, uint64_t *pfns, unsigned *units, unsigned max);

#endif
