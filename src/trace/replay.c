/*
 * replay.c - a kernel allocation trace, replayed through the model.
 *
 * Each traced allocation becomes the same call on the model: kmalloc with
 * the traced bytes_req and gfp_flags, kmem_cache_alloc on a cache made on
 * the fly from the traced name and bytes_alloc (its object size, so the
 * slab geometry follows: order, objects per slab), alloc_pages with the
 * traced order.  Traced pointers and pfns (hashed or raw: they are
 * consistent within one trace) map to what the model handed out; a free
 * finds its allocation there.  A free of something allocated before the
 * capture started is counted as pre-existing.
 *
 * Which events do what, and why:
 *   kmalloc, kmalloc_node            slab_kmalloc(bytes_req); the model's
 *                                    size class is compared with bytes_alloc
 *   kmem_cache_alloc(_node)          slab_cache_alloc() on the traced cache;
 *                                    before 6.18 the event has no name=, the
 *                                    cache is inferred from bytes_alloc
 *   kfree, kmem_cache_free           the free matching the allocation
 *   mm_page_alloc                    buddy_alloc_pages() (or, --exact-pfn,
 *                                    buddy_alloc_pages_at() the traced pfn)
 *   mm_page_free                     buddy_free_pages()
 *   mm_page_free_batched             free_unref_page_list() / free_unref_folios()
 *                                    trace it after mm_page_free of the same
 *                                    page (free_pages_prepare()): a companion,
 *                                    replayed only when its page is still live
 *   mm_page_alloc_zone_locked,       the per-CPU lists' refills and drains and
 *   mm_page_pcpu_drain,              the fallback notice: counted (pages
 *   mm_page_alloc_extfrag            refilled, taken straight from the buddy
 *                                    lists, drained; fallbacks that fragment
 *                                    or re-own a pageblock), not replayed.
 *                                    Each page they move also has its own
 *                                    mm_page_alloc / mm_page_free, which are
 *                                    replayed: a refill or a drain replayed
 *                                    too would take or free it twice, and
 *                                    keeping refilled pages off the free lists
 *                                    until their mm_page_alloc needs per-CPU
 *                                    lists, which the model does not have (a
 *                                    free to a per-CPU list is not traced, nor
 *                                    is which pages a drain leaves).  extfrag
 *                                    reports a steal made inside an allocation
 *                                    whose mm_page_alloc follows; the model
 *                                    makes its own when it replays that.
 *   alloc_vmap_area                  vmap_area_alloc(): an area of the traced
 *                                    size (guard page included) and align in
 *                                    the traced range (the model's vmalloc
 *                                    range when it lies outside); the area
 *                                    only, no pages (they are page events)
 *   free_vmap_area_noflush           vmap_area_free(): unmapped, lazily freed
 *   purge_vmap_area_lazy             vmap_purge_lazy()
 *                                    The model's vmap also takes its own
 *                                    vm_struct (kmalloc) and vmap_area objects,
 *                                    which the trace shows as kmem events too.
 * kmem_cache_alloc_bulk/free_bulk are not traced by the kernel.
 * Each event runs on its traced CPU (modulo the machine's CPUs), so the
 * per-CPU slabs and array caches see the trace's CPUs; the session's
 * current CPU is put back afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"
#include "kmemsh/slab.h"
#include "kmemsh/trace.h"
#include "kmemsh/vmalloc.h"

#define PAGE_SIZE 4096ull       /* both profiles: x86 4K pages */

/*
 * ---- u64 -> object map (open addressing, linear probing; key 0 = empty) ----
 *
 * Each event looks up one traced pointer or pfn, in a table far bigger than
 * the data cache, so the layout is the cost: a slot is 32 bytes (key and
 * value together, two slots to a 64-byte line, the table line-aligned) and
 * the table is at most half full, so that a lookup, found or not, mostly
 * reads the one line its key hashes to (linear probing at load a expects
 * (1 + 1/(1-a)^2)/2 slots for a miss: 2.5 at 1/2, 8.5 at 3/4).  The replay
 * loop prefetches that line as soon as the line is parsed.
 */

/* a slot in use: live, or (objects only) freed and not allocated since,
 * to tell a second free from a pre-existing object in the same probe */
enum { OBJ_LIVE = 1, OBJ_FREED = 2 };
enum { KIND_KMALLOC = 0, KIND_CACHE = 1, KIND_PAGE = 2, KIND_VMAP = 3,
       KIND_PAIRED = 4,         /* a traced page block the slab layer's replay stands for */
       KIND_PRE_KFREE = 5 };    /* freed by kfree, pre-existing: not allocated in the trace */

struct obj {
	uint64_t key;                   /* traced pointer, or pfn + 1; 0 = empty slot */
	uint64_t addr;                  /* model address (objects) or pfn (pages) */
	uint32_t req;                   /* bytes_req; a page block: its order */
	uint32_t alloc;
	int32_t stat;                   /* cache stat index, -1: none; a KIND_CACHE object's
					 * model cache is its row's (cs[stat].cache) */
	unsigned site : 27;             /* site index + 1; 0: none (SITE_MAX at most) */
	unsigned state : 2, kind : 3;
};
_Static_assert(sizeof(struct obj) == 32, "two slots to a cache line");
#define SITE_MAX ((1u << 27) - 1)
#define OMAP_LINE 64

struct omap {
	struct obj *slot;               /* in mem, line-aligned */
	void *mem;
	size_t cap, used;
};

/* n zeroed bytes at a line boundary in *mem (calloc: a big table comes
 * zeroed from mmap, not written) */
static void *line_calloc(size_t n, void **mem)
{
	char *p = calloc(1, n + OMAP_LINE);
	*mem = p;
	return p ? p + (OMAP_LINE - (uintptr_t)p % OMAP_LINE) % OMAP_LINE : NULL;
}

/* Fibonacci hashing: the top bits of k times 2^64 / phi */
static inline size_t omap_hash(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ull) >> (64 - __builtin_ctzll(cap)));
}

static int omap_grow(struct omap *mp)
{
	size_t nc = mp->cap ? mp->cap * 2 : 1u << 12;
	void *mem;
	struct obj *ns = line_calloc(nc * sizeof *ns, &mem);
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < mp->cap; i++) {
		if (!mp->slot[i].key)
			continue;
		size_t h = omap_hash(mp->slot[i].key, nc);
		while (ns[h].key)
			h = (h + 1) & (nc - 1);
		ns[h] = mp->slot[i];
	}
	free(mp->mem);
	mp->mem = mem;
	mp->slot = ns;
	mp->cap = nc;
	return 0;
}

static struct obj *omap_find(const struct omap *mp, uint64_t k)
{
	if (!mp->cap)
		return NULL;
	size_t h = omap_hash(k, mp->cap);
	while (mp->slot[h].key) {
		if (mp->slot[h].key == k)
			return &mp->slot[h];
		h = (h + 1) & (mp->cap - 1);
	}
	return NULL;
}

/* the line k hashes to, on its way to the cache while the event is worked on */
static inline void omap_prefetch(const struct omap *mp, uint64_t k)
{
	if (mp->cap)
		__builtin_prefetch(&mp->slot[omap_hash(k, mp->cap)]);
}

/* the slot for k, created (zeroed) when absent; NULL without memory */
static struct obj *omap_get(struct omap *mp, uint64_t k)
{
	if ((mp->used + 1) * 2 > mp->cap && omap_grow(mp))
		return NULL;
	size_t h = omap_hash(k, mp->cap);
	while (mp->slot[h].key) {
		if (mp->slot[h].key == k)
			return &mp->slot[h];
		h = (h + 1) & (mp->cap - 1);
	}
	struct obj *o = &mp->slot[h];
	memset(o, 0, sizeof *o);
	o->key = k;
	o->stat = -1;
	mp->used++;
	return o;
}

/* remove o (from omap_find/omap_get) by backward-shift deletion: later
 * entries of its probe run move up, so no tombstones are needed */
static void omap_del(struct omap *mp, struct obj *o)
{
	size_t mask = mp->cap - 1, i = (size_t)(o - mp->slot), j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!mp->slot[j].key)
			break;
		size_t k = omap_hash(mp->slot[j].key, mp->cap);
		/* slot j may move to i unless its home k lies cyclically in (i, j] */
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			mp->slot[i] = mp->slot[j];
			i = j;
		}
	}
	mp->slot[i].key = 0;
	mp->used--;
}

/*
 * The pfns (+ 1; 0 = empty) freed and not allocated since, same probing,
 * to tell a second free from a pre-existing page; each with whether
 * mm_page_free freed it (its mm_page_free_batched may still follow) in the
 * key's top bit (PSET_VIA: pfns are far below it).  One set, and the flag
 * in the key's word, so that a page event reads one line here.
 */
#define PSET_VIA (1ull << 63)

struct pset {
	uint64_t *key;                  /* in mem, line-aligned */
	void *mem;
	size_t cap, used;
};

static bool pset_find(const struct pset *ps, uint64_t k, size_t *at)
{
	if (!ps->cap)
		return false;
	size_t h = omap_hash(k, ps->cap);
	while (ps->key[h]) {
		if ((ps->key[h] & ~PSET_VIA) == k) {
			*at = h;
			return true;
		}
		h = (h + 1) & (ps->cap - 1);
	}
	*at = h;
	return false;
}

static inline void pset_prefetch(const struct pset *ps, uint64_t k)
{
	if (ps->cap)
		__builtin_prefetch(&ps->key[omap_hash(k, ps->cap)]);
}

/* add k, or mark it (via: freed by mm_page_free) when there */
static void pset_add(struct pset *ps, uint64_t k, bool via)
{
	size_t at = 0;
	if ((ps->used + 1) * 2 > ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 1u << 12;
		void *mem;
		uint64_t *nk = line_calloc(nc * sizeof *nk, &mem);
		if (!nk)
			return;         /* a later second free then counts as pre-existing */
		for (size_t i = 0; i < ps->cap; i++) {
			if (!ps->key[i])
				continue;
			size_t h = omap_hash(ps->key[i] & ~PSET_VIA, nc);
			while (nk[h])
				h = (h + 1) & (nc - 1);
			nk[h] = ps->key[i];
		}
		free(ps->mem);
		ps->mem = mem;
		ps->key = nk;
		ps->cap = nc;
	}
	if (pset_find(ps, k, &at)) {
		ps->key[at] |= via ? PSET_VIA : 0;
		return;
	}
	ps->key[at] = k | (via ? PSET_VIA : 0);
	ps->used++;
}

/* remove the entry at i (from pset_find) by backward-shift deletion */
static void pset_del_at(struct pset *ps, size_t i)
{
	size_t mask = ps->cap - 1, j = i;
	for (;;) {
		j = (j + 1) & mask;
		if (!ps->key[j])
			break;
		size_t h = omap_hash(ps->key[j] & ~PSET_VIA, ps->cap);
		bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
		if (!stays) {
			ps->key[i] = ps->key[j];
			i = j;
		}
	}
	ps->key[i] = 0;
	ps->used--;
}

/* ---- string table: call sites, cache names, gfp strings -------------------- */

struct sentry {
	uint64_t hash;
	char *s;
	uint32_t len;
	int64_t val;
};

#define MEMO_N 256

struct strtab {
	uint32_t *slot;                 /* entry index + 1; 0 = empty */
	size_t cap;
	struct sentry *e;
	size_t n, ecap;
	uint32_t memo[MEMO_N];          /* entry index + 1 of the last string looked up in each
					 * memo slot (memo_of()): most lookups end here, unhashed */
};

/* eight bytes at a time: call sites and gfp strings are hashed per event */
static uint64_t str_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	/* the last 0-7 bytes, without a call to memcpy of a variable length */
	uint64_t w = 0;
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n) {
		w = (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (unsigned char)p[n - 1];
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

static inline bool eq8(const char *a, const char *b)
{
	uint64_t x, y;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return x == y;
}

#if defined(__SSE2__)
/* sixteen bytes at a time (x86_64 always has SSE2): gfp strings are often
 * 40 to 80 bytes, compared on every event that has one */
static inline bool eq16(const char *a, const char *b)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)a);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)b);
	return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) == 0xffff;
}
#endif

/* a[0..n) == b[0..n), sixteen (or eight) bytes at a time; the last block
 * overlaps the one before it rather than going byte by byte */
static inline __attribute__((always_inline)) bool str_eq(const char *a, const char *b, size_t n)
{
#if defined(__SSE2__)
	if (n >= 16) {
		for (size_t i = 0; i + 16 < n; i += 16)
			if (!eq16(a + i, b + i))
				return false;
		return eq16(a + n - 16, b + n - 16);
	}
	if (n >= 8)
		return eq8(a, b) && eq8(a + n - 8, b + n - 8);
#else
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (!eq8(a + i, b + i))
				return false;
		return eq8(a + n - 8, b + n - 8);
	}
#endif
	for (; n; a++, b++, n--)
		if (*a != *b)
			return false;
	return true;
}

static __attribute__((noinline)) struct sentry *strtab_lookup(struct strtab *t, const char *p, size_t n,
							      bool *created);

/* the memo slot of p/n: its length, middle and last bytes (call sites of
 * one length differ there: the symbol, and the function's size in hex) */
static inline size_t memo_of(const char *p, size_t n)
{
	if (!n)
		return 0;
	return (n * 31 + (unsigned char)p[n / 2] * 7 + (unsigned char)p[n - 1]) & (MEMO_N - 1);
}

/* the entry for p/n: *created when new (val 0); NULL without memory.
 * The memo inline, the table out of line */
static inline __attribute__((always_inline)) struct sentry *strtab_get(struct strtab *t, const char *p, size_t n, bool *created)
{
	*created = false;
	uint32_t memo = t->memo[memo_of(p, n)];
	if (memo) {
		struct sentry *e = &t->e[memo - 1];
		if (e->len == n && str_eq(e->s, p, n))
			return e;
	}
	return strtab_lookup(t, p, n, created);
}

static struct sentry *strtab_lookup(struct strtab *t, const char *p, size_t n, bool *created)
{
	uint32_t *memo = &t->memo[memo_of(p, n)];
	uint64_t h = str_hash(p, n);
	if ((t->n + 1) * 2 >= t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		uint32_t *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return NULL;
		for (size_t i = 0; i < t->n; i++) {
			size_t k = (size_t)t->e[i].hash & (nc - 1);
			while (ns[k])
				k = (k + 1) & (nc - 1);
			ns[k] = (uint32_t)i + 1;
		}
		free(t->slot);
		t->slot = ns;
		t->cap = nc;
	}
	size_t k = (size_t)h & (t->cap - 1);
	while (t->slot[k]) {
		struct sentry *e = &t->e[t->slot[k] - 1];
		if (e->hash == h && e->len == n && str_eq(e->s, p, n)) {
			*memo = (uint32_t)(e - t->e) + 1;
			return e;
		}
		k = (k + 1) & (t->cap - 1);
	}
	if (t->n == t->ecap) {
		size_t nc = t->ecap ? t->ecap * 2 : 64;
		struct sentry *ne = realloc(t->e, nc * sizeof *ne);
		if (!ne)
			return NULL;
		t->e = ne;
		t->ecap = nc;
	}
	char *copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, p, n);
	copy[n] = '\0';
	struct sentry *e = &t->e[t->n];
	e->hash = h;
	e->s = copy;
	e->len = (uint32_t)n;
	e->val = 0;
	t->slot[k] = (uint32_t)++t->n;
	*memo = (uint32_t)t->n;
	*created = true;
	return e;
}

static void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].s);
	free(t->e);
	free(t->slot);
}

/* ---- the replay's state ------------------------------------------------------ */

#define MAX_SAMPLES 512
#define MAX_RECENT_CPUS 4096

/*
 * Slab pages counted once.  The slab layer gets its pages from the page
 * allocator, and the kernel traces that allocation too: a large kmalloc
 * (mm/slab_common.c __kmalloc_large_node(): alloc_pages(flags |
 * __GFP_COMP, order) then trace_kmalloc() with bytes_alloc = PAGE_SIZE <<
 * order, on the same CPU; kfree() -> free_large_kmalloc() -> __free_pages()
 * traces mm_page_free after kfree), and a new slab (mm/slub.c
 * allocate_slab() -> alloc_slab_page(), then the object's own
 * kmem_cache_alloc/kmalloc, which lies inside that page; __free_slab()
 * traces mm_page_free).  The model's slab layer allocates its own pages
 * when it replays the object, so the page event's pages are given back
 * once the pairing is sure:
 *   - by address: the object's raw pointer (no_hash_pointers, or a 2.6.32
 *     trace) is in the direct map at a pfn inside the last page block
 *     allocated on the object's CPU (a large kmalloc: at its first pfn,
 *     order equal).  Once one object has paired so, raw pointers pair by
 *     address only;
 *   - by the order of events (hashed pointers, or raw ones whose direct map
 *     KASLR moved, until its base is known): a large kmalloc pairs with an
 *     mm_page_alloc of __GFP_COMP and its order that was the event just
 *     before it on the same CPU; any other slab object with an
 *     mm_page_alloc just before it on its CPU whose gfp_flags are
 *     new_slab()'s: mm/slub.c new_slab() keeps only GFP_RECLAIM_MASK |
 *     GFP_CONSTRAINT_MASK of the caller's flags (no __GFP_ZERO, no
 *     __GFP_ACCOUNT, no zone bits __GFP_HIGHMEM / __GFP_MOVABLE) and
 *     allocate_slab() adds __GFP_NORETRY (with __GFP_NOWARN) to its first
 *     try.  Page cache pages (__GFP_MOVABLE, readahead's __GFP_NORETRY
 *     too), user and page table pages (__GFP_ZERO, __GFP_ACCOUNT) do not
 *     have that pattern.  allocate_slab() may trace one kmalloc between the
 *     page and the object, the slab's obj_exts vector (6.x
 *     alloc_slab_obj_exts()): it is passed over, or, when it needed a new
 *     slab of its own (two such pages in a row), paired with the second.
 *     SLAB adds no __GFP_NORETRY: when the model's allocator is SLAB the
 *     trace is taken to be a SLAB kernel's, and its own rule applies (see
 *     slab_classic_fits());
 *   - a raw pointer paired by the order of events is checked and gives a
 *     vote for the direct map's base: x86_64 KASLR (arch/x86/mm/kaslr.c
 *     kernel_randomize_memory()) puts page_offset_base at or above
 *     __PAGE_OFFSET_BASE_L4 on a PUD_SIZE (1 GiB) boundary, so the object's
 *     address less its page's pfn * PAGE_SIZE, rounded down to 1 GiB, is
 *     the base, and the rest must be less than the block's size (else the
 *     page is not the object's, and they do not pair).  A base with
 *     BASE_VOTES votes more than the others (Boyer-Moore majority) becomes
 *     the base, and pairing goes by address from then on.
 */
struct cpu_recent {
	uint64_t key;                   /* pfn + 1 of the last mm_page_alloc replayed here; 0 none */
	uint64_t seq;                   /* its event number */
	uint64_t last_seq;              /* the event number of the last event here */
	uint64_t first_ts;              /* timestamp + 1 of the first event here; 0 none yet */
	uint64_t outer;                 /* pfn + 1 of a slab page just before key's (also slab): the
					 * obj_exts kmalloc's new slab came inside its allocate_slab() */
	gfp_t gfp, outer_gfp;           /* their gfp_flags (SLAB's rule reads them) */
	uint8_t order, outer_order;
	bool comp;                      /* its gfp_flags had __GFP_COMP */
	bool slab;                      /* its gfp_flags were new_slab()'s (see above) */
};

/*
 * SLAB's slab pages (mm/slab.c, 6.1 and 2.6.32).  A cache grows when a CPU's
 * array cache and the node's lists are empty: cache_alloc_refill() calls
 * cache_grow_begin(cachep, gfp_exact_node(flags), node) (6.1; 2.6.32
 * cache_grow(cachep, flags | GFP_THISNODE, node, NULL)), which keeps
 * local_flags = flags & (GFP_CONSTRAINT_MASK|GFP_RECLAIM_MASK) and calls
 * kmem_getpages(): __alloc_pages_node(nodeid, local_flags |
 * cachep->allocflags, cachep->gfporder).  The caller's object is then taken
 * from the new slab and traced (trace_kmem_cache_alloc / trace_kmalloc,
 * with the caller's flags) on the same CPU.  So the page that came just
 * before a slab object on its CPU is that object's new slab when:
 *   - its order is the object's cache's gfporder (the model's cache);
 *   - its gfp_flags hold nothing but the object's flags &
 *     (GFP_CONSTRAINT_MASK|GFP_RECLAIM_MASK) (mm/internal.h), the
 *     allocflags (6.1 __kmem_cache_create(): __GFP_COMP always, GFP_DMA,
 *     GFP_DMA32, __GFP_RECLAIMABLE; 2.6.32: no __GFP_COMP (only !MMU adds
 *     it), GFP_DMA, __GFP_RECLAIMABLE) and the NUMA node pinning
 *     (gfp_exact_node(): __GFP_THISNODE|__GFP_NOWARN; 2.6.32's NUMA
 *     GFP_THISNODE: __GFP_THISNODE|__GFP_NOWARN|__GFP_NORETRY), and in 6.1
 *     the __GFP_HARDWALL of cpusets (__alloc_pages() traces alloc_gfp,
 *     which prepare_alloc_pages() ORs with it when cpusets_enabled();
 *     2.6.32's __alloc_pages_nodemask() traces the gfp_mask it was given);
 *   - and lack none of those flags but what the kernel drops on the way:
 *     6.1's gfp_exact_node() clears __GFP_RECLAIM (with __GFP_THISNODE)
 *     and __GFP_NOFAIL, and __alloc_pages()' current_gfp_context() clears
 *     __GFP_IO/__GFP_FS in a memalloc_noio/nofs scope; 2.6.32 drops none.
 * A 6.1 page must have __GFP_COMP, a 2.6.32 one must not.  An off-slab
 * freelist (alloc_slabmgmt()) or memcg vector between page and object is
 * passed over as SLUB's obj_exts is (inside_grow()).  With hashed pointers
 * nothing in the trace confirms such a pair: a page whose flags are only
 * the caller's plus __GFP_COMP (and the cpusets' __GFP_HARDWALL, which the
 * caller's own page would get too), with no sign of gfp_exact_node(), could
 * be the caller's own alloc_pages(flags|__GFP_COMP, order) just before a
 * kmalloc, and is counted as ambiguous; a page of SLAB's look just before
 * an object it does not fit is counted as not paired.
 */
struct slab_classic_rule {
	gfp_t keep;             /* GFP_CONSTRAINT_MASK|GFP_RECLAIM_MASK */
	gfp_t added;            /* allocflags and the node pinning kmem_getpages() may add */
	gfp_t pin;              /* __GFP_THISNODE */
	gfp_t dropped;          /* dropped whatever the page: __GFP_IO|__GFP_FS|__GFP_NOFAIL (6.1) */
	gfp_t dropped_pinned;   /* dropped with __GFP_THISNODE: __GFP_RECLAIM (6.1) */
	gfp_t comp;             /* __GFP_COMP */
	gfp_t cpuset;           /* __GFP_HARDWALL the page allocator adds (6.1), 0 (2.6.32) */
	bool comp_always;       /* allocflags has __GFP_COMP (6.1), or never (2.6.32) */
};

#define BASE_VOTES 4
#define KASLR_ALIGN (1ull << 30)        /* PUD_SIZE, x86_64 4-level paging */

/* a traced cache name with one bytes_alloc, and its model cache (-1: none) */
struct name_size {
	uint64_t bytes_alloc;
	int32_t cache;
	int64_t next;                   /* index + 1 of the name's next size; 0: last */
};

struct replay {
	struct machine *m;
	const struct replay_opts *o;
	struct replay_report *rep;
	struct omap objs, pages;        /* objects live or freed since (OBJ_*), allocated pages */
	struct omap vmaps;              /* live vmap areas by traced va_start */
	struct pset pfree;              /* pfns + 1 freed, and whether by mm_page_free (do_page_free) */
	uint64_t zero_ptr;              /* hashed: ZERO_SIZE_PTR as traced, once found; 0: not yet */
	struct strtab sites, site_tokens, names, gfps;  /* sites: "func+0x1a"; tokens: as traced */
	struct name_size *nsz;          /* names' val: index + 1 of their first (bytes_alloc, cache) */
	size_t nnsz, cap_nsz;
	struct replay_cache_stat *cs;
	size_t ncs, cap_cs;
	int32_t *stat_of_cache;         /* model cache -> cs index + 1 */
	size_t cap_soc;
	int32_t large_stat;             /* cs index + 1 of "large kmalloc" */
	struct replay_site_stat *ss;
	size_t nss, cap_ss;
	gfp_t gfp_kernel, gfp_comp;
	gfp_t gfp_noretry, gfp_not_slab;        /* __GFP_NORETRY; flags new_slab() drops */
	uint8_t *site_obj_exts;                 /* by site row: alloc_slab_obj_exts() */
	uint64_t line, last_ts, next_sample;
	/* per traced CPU: the last mm_page_alloc replayed, for pairing */
	struct cpu_recent *recent;
	size_t nrecent;
	uint64_t seq;                   /* events so far */
	uint64_t dm_base;               /* the traced direct map's base (6.x, 64-bit) */
	uint64_t base_cand, base_votes; /* its majority vote while !base_sure */
	bool base_sure;                 /* an object paired by address with dm_base */
	bool hashed;                    /* an object pointer not 4-aligned: pointers are hashed */
	bool have_ts;
	bool classic;                   /* the model's allocator is SLAB: SLAB's rule */
	struct slab_classic_rule sc;
};

/*
 * tracefs' header line "# entries-in-buffer/entries-written: %lu/%lu   #P:%d"
 * (kernel/trace/trace.c print_event_info(): the events in the buffer now
 * and all written, overwritten ones included)
 */
static void header_entries(struct replay_report *rep, const char *line, size_t len)
{
	static const char key[] = "entries-in-buffer/entries-written:";
	const size_t klen = sizeof key - 1;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '#')
		return;
	i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < klen || memcmp(line + i, key, klen) != 0)
		return;
	i += klen;
	while (i < len && line[i] == ' ')
		i++;
	uint64_t v[2] = { 0, 0 };
	for (int k = 0; k < 2; k++) {
		size_t b = i;
		while (i < len && line[i] >= '0' && line[i] <= '9' && i - b < 19)
			v[k] = v[k] * 10 + (uint64_t)(line[i++] - '0');
		if (i == b || (k == 0 && (i >= len || line[i++] != '/')))
			return;
	}
	if (v[0] > v[1])
		return;
	rep->entries_in_buffer = v[0];
	rep->entries_written = v[1];
}

/*
 * perf script --show-lost-events prints perf's own PERF_RECORD_LOST records
 * among the events: the sample's comm, pid, CPU and time, then
 * "PERF_RECORD_LOST lost %lu" (tools/perf/util/event.c perf_event__fprintf()
 * and perf_event__fprintf_lost()): that many events did not fit in perf's
 * ring buffer.  The line's count, or false when it is not such a line.
 */
static bool perf_lost_line(const char *line, size_t len, uint64_t *lost)
{
	static const char key[] = "PERF_RECORD_LOST lost ";
	const size_t klen = sizeof key - 1;
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	size_t e = len;
	while (e && line[e - 1] >= '0' && line[e - 1] <= '9' && len - e < 19)
		e--;
	if (e == len || e < klen || (e > 0 && line[e - 1] >= '0' && line[e - 1] <= '9') ||
	    memcmp(line + e - klen, key, klen) != 0 || (e > klen && line[e - klen - 1] != ' '))
		return false;
	uint64_t v = 0;
	for (size_t i = e; i < len; i++)
		v = v * 10 + (uint64_t)(line[i] - '0');
	*lost = v;
	return true;
}

static void problem(struct replay *rp, const char *fmt, const char *detail)
{
	struct replay_report *rep = rp->rep;
	rep->problems++;
	if (rep->nproblem < REPLAY_PROBLEMS) {
		struct replay_problem *p = &rep->problem[rep->nproblem++];
		p->line = rp->line;
		snprintf(p->what, sizeof p->what, _(fmt), detail ? detail : "");  /* a msgid: the Makefile names problem */
	}
}

/* names and call sites come from the trace: no control bytes in what the
 * report prints */
static void printable(char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static int32_t new_stat(struct replay *rp, const char *name, int cache, unsigned size)
{
	if (rp->ncs == rp->cap_cs) {
		size_t nc = rp->cap_cs ? rp->cap_cs * 2 : 64;
		struct replay_cache_stat *n = realloc(rp->cs, nc * sizeof *n);
		if (!n)
			return -1;
		rp->cs = n;
		rp->cap_cs = nc;
	}
	struct replay_cache_stat *c = &rp->cs[rp->ncs];
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->cache = cache;
	c->size = size;
	return (int32_t)rp->ncs++;
}

/* the stat row of model cache idx */
static int32_t stat_of_cache(struct replay *rp, int idx)
{
	if ((size_t)idx >= rp->cap_soc) {
		size_t nc = rp->cap_soc ? rp->cap_soc : 64;
		while (nc <= (size_t)idx)
			nc *= 2;
		int32_t *n = realloc(rp->stat_of_cache, nc * sizeof *n);
		if (!n)
			return -1;
		memset(n + rp->cap_soc, 0, (nc - rp->cap_soc) * sizeof *n);
		rp->stat_of_cache = n;
		rp->cap_soc = nc;
	}
	if (!rp->stat_of_cache[idx]) {
		const struct kmem_cache *c = &rp->m->slab->caches[idx];
		int32_t s = new_stat(rp, c->name, idx, c->g.size);
		if (s < 0)
			return -1;
		rp->stat_of_cache[idx] = s + 1;
	}
	return rp->stat_of_cache[idx] - 1;
}

/*
 * A call site that allocates inside the slab layer's own growing of a
 * cache, between the new slab's page and the object that asked for it:
 * SLUB's obj_exts vector (6.10+ alloc_slab_obj_exts(); 6.1
 * memcg_alloc_slab_cgroups() from account_slab(), SLUB and SLAB alike) and
 * SLAB's off-slab freelist (mm/slab.c alloc_slabmgmt(), inlined into
 * cache_grow_begin() in 6.1; 2.6.32's cache_grow() traces its call_site in
 * hex, so it is never named).
 */
static bool inside_grow(const char *site, size_t n)
{
	static const char *const names[] = { "alloc_slab_obj_exts+", "memcg_alloc_slab_cgroups+",
					     "cache_grow_begin+", "alloc_slabmgmt+" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		size_t k = strlen(names[i]);
		if (n >= k && !memcmp(site, names[i], k))
			return true;
	}
	return false;
}

/* call site index + 1 for a call_site token (0: none, or no memory) */
static uint32_t site_row(struct replay *rp, const struct trace_str *site)
{
	/* "func+0x1a/0x40": the symbol and offset; the function's length adds nothing */
	size_t n = site->len;
	const char *slash = memchr(site->p, '/', n);
	if (slash)
		n = (size_t)(slash - site->p);
	bool created;
	struct sentry *e = strtab_get(&rp->sites, site->p, n, &created);
	if (!e)
		return 0;
	if (created) {
		if (rp->nss == rp->cap_ss) {
			size_t nc = rp->cap_ss ? rp->cap_ss * 2 : 256;
			struct replay_site_stat *ns = realloc(rp->ss, nc * sizeof *ns);
			if (!ns)
				return 0;
			rp->ss = ns;
			uint8_t *nf = realloc(rp->site_obj_exts, nc);
			if (!nf)
				return 0;
			rp->site_obj_exts = nf;
			rp->cap_ss = nc;
		}
		rp->site_obj_exts[rp->nss] = inside_grow(e->s, n);
		struct replay_site_stat *s = &rp->ss[rp->nss];
		memset(s, 0, sizeof *s);
		snprintf(s->site, sizeof s->site, "%s", e->s);
		printable(s->site);
		e->val = rp->nss < SITE_MAX ? (int64_t)++rp->nss : 0;
	}
	return (uint32_t)e->val;
}

/* call site index + 1 (0: the event has none): the whole token looked up
 * first, so that the '/' is looked for once per distinct token */
static uint32_t site_of(struct replay *rp, const struct trace_str *site)
{
	if (!site->len)
		return 0;
	bool created;
	struct sentry *t = strtab_get(&rp->site_tokens, site->p, site->len, &created);
	if (t && t->val)
		return (uint32_t)t->val;
	uint32_t v = site_row(rp, site);
	if (t)
		t->val = v;
	return v;
}

/* the model's gfp_t for a traced gfp_flags string; names the model's
 * kernel does not know are dropped (counted once per string) */
static gfp_t gfp_of(struct replay *rp, const struct trace_str *g)
{
	const struct kernel_profile *kp = rp->m->kp;
	if (!g->len)
		return rp->gfp_kernel;
	bool created;
	struct sentry *e = strtab_get(&rp->gfps, g->p, g->len, &created);
	if (!e)
		return rp->gfp_kernel;
	if (!created)
		return (gfp_t)e->val;
	gfp_t out = 0;
	size_t bad;
	if (gfp_parse(kp, e->s, &out, &bad)) {
		/* flag by flag, keeping what this kernel knows */
		out = 0;
		bool any = false;
		char *save = NULL, *copy = strdup(e->s);
		for (char *w = copy ? strtok_r(copy, "|", &save) : NULL; w; w = strtok_r(NULL, "|", &save)) {
			gfp_t f;
			if (!gfp_parse(kp, w, &f, &bad)) {
				out |= f;
				any = true;
			}
		}
		free(copy);
		if (!any)
			out = rp->gfp_kernel;
		rp->rep->gfp_unknown++;
	}
	e->val = out;
	return out;
}

/* ---- the timeline -------------------------------------------------------------- */

static unsigned unusable_milli(const struct machine *m, unsigned order)
{
	/* mm/vmstat.c unusable_free_index(), over all zones */
	uint64_t free = 0, suitable = 0;
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			uint64_t n = free_area_nr_free(&zn->free_area[o]);
			free += n << o;
			if (o >= order)
				suitable += n << (o - order);
		}
	}
	if (!free)
		return 1000;
	return (unsigned)(((free - (suitable << order)) * 1000) / free);
}

static void take_sample(struct replay *rp, uint64_t ts)
{
	struct replay_report *rep = rp->rep;
	if (rep->nsamples == MAX_SAMPLES) {
		/* keep every other sample, sample half as often */
		for (size_t i = 0; i < MAX_SAMPLES / 2; i++)
			rep->samples[i] = rep->samples[2 * i];
		rep->nsamples = MAX_SAMPLES / 2;
		rep->sample_step_ns *= 2;
		rp->next_sample = rep->samples[rep->nsamples - 1].ts_ns + rep->sample_step_ns;
		if (ts < rp->next_sample)
			return;
	}
	const struct machine *m = rp->m;
	struct replay_sample *s = &rep->samples[rep->nsamples++];
	s->ts_ns = ts;
	s->free_pages = 0;
	for (int z = 0; z < m->nr_zones; z++)
		s->free_pages += m->zones[z].free_pages;
	s->live_objects = rep->live_objects;
	s->live_bytes = rep->live_bytes;
	s->slab_pages = m->slab ? m->slab->reclaimable_pages + m->slab->unreclaimable_pages : 0;
	s->unusable_milli = unusable_milli(m, m->pageblock_order);
	rp->next_sample = ts + rep->sample_step_ns;
}

/* ---- objects --------------------------------------------------------------------- */

static void count_alloc(struct replay *rp, struct obj *o)
{
	struct replay_report *rep = rp->rep;
	rep->live_objects++;
	rep->live_bytes += o->alloc;
	if (rep->live_objects > rep->max_live_objects)
		rep->max_live_objects = rep->live_objects;
	if (rep->live_objects + rp->pages.used > rep->max_live_traced)
		rep->max_live_traced = rep->live_objects + rp->pages.used;
	if (o->stat >= 0) {
		struct replay_cache_stat *c = &rp->cs[o->stat];
		c->allocs++;
		c->live++;
		c->live_bytes += o->alloc;
		c->req_bytes += o->req;
		c->alloc_bytes += o->alloc;
		if (c->live > c->peak_live)
			c->peak_live = c->live;
		if (c->live_bytes > c->peak_bytes)
			c->peak_bytes = c->live_bytes;
	}
	if (o->site) {
		struct replay_site_stat *s = &rp->ss[o->site - 1];
		s->allocs++;
		s->live++;
		s->live_bytes += o->alloc;
		s->req_bytes += o->req;
		s->alloc_bytes += o->alloc;
	}
}

static void count_free(struct replay *rp, struct obj *o)
{
	struct replay_report *rep = rp->rep;
	rep->live_objects--;
	rep->live_bytes -= o->alloc;
	if (o->stat >= 0) {
		struct replay_cache_stat *c = &rp->cs[o->stat];
		c->frees++;
		c->live--;
		c->live_bytes -= o->alloc;
	}
	if (o->site) {
		struct replay_site_stat *s = &rp->ss[o->site - 1];
		s->frees++;
		s->live--;
		s->live_bytes -= o->alloc;
	}
}

/* give the model object of o back */
static int model_free(struct replay *rp, struct obj *o)
{
	int r = o->kind == KIND_CACHE ? slab_cache_free(rp->m, rp->cs[o->stat].cache, o->addr)
				      : slab_kfree(rp->m, o->addr);
	count_free(rp, o);
	return r;
}

static int record_alloc(struct replay *rp, uint64_t ptr, struct obj **out)
{
	struct obj *o = omap_get(&rp->objs, ptr);
	if (!o)
		return -ENOMEM;
	if (o->state == OBJ_LIVE) {
		/* allocated again without a traced free (kmem_cache_free_bulk is
		 * not traced): the old one goes first */
		rp->rep->realloc_live++;
		model_free(rp, o);
	}
	*out = o;
	return 0;
}

static struct cpu_recent *recent_grow(struct replay *rp, const struct trace_event *ev)
{
	if (!(ev->has & TF_CPU) || ev->cpu < 0 || ev->cpu >= MAX_RECENT_CPUS)
		return NULL;
	size_t cpu = (size_t)ev->cpu;
	if (cpu >= rp->nrecent) {
		size_t n = rp->nrecent ? rp->nrecent : 4;
		while (n <= cpu)
			n *= 2;
		struct cpu_recent *r = realloc(rp->recent, n * sizeof *r);
		if (!r)
			return NULL;
		memset(r + rp->nrecent, 0, (n - rp->nrecent) * sizeof *r);
		rp->recent = r;
		rp->nrecent = n;
	}
	return &rp->recent[cpu];
}

/* the traced CPU's pairing state; NULL when the event has no CPU (-1) */
static inline struct cpu_recent *recent_of(struct replay *rp, const struct trace_event *ev)
{
	if ((unsigned)ev->cpu < rp->nrecent)
		return &rp->recent[ev->cpu];
	return recent_grow(rp, ev);
}

/* the pfn of a raw direct-map pointer of the traced kernel (PAGE_OFFSET
 * of 6.x, or the base KASLR gave it, found from the trace; or of 2.6.32
 * below it: arch/x86/include/asm/page_64_types.h, page_32_types.h), ~0
 * when below the base; false when pointers are hashed or it is not one */
static bool traced_pfn(const struct replay *rp, uint64_t ptr, uint64_t *pfn)
{
	const struct arch_profile *a = rp->m->arch;
	bool now = ptr >= a->page_offset;
	uint64_t base = now ? rp->dm_base : a->page_offset_old;
	if (rp->hashed || (!now && ptr < base) || (ptr - base) >> 52)
		return false;
	*pfn = ptr >= base ? (ptr - base) >> 12 : ~0ull;
	return true;
}

/* the 1 GiB-aligned base at or above PAGE_OFFSET that puts a raw pointer
 * inside the block at pfn first; false when there is none */
static bool base_for(const struct replay *rp, uint64_t ptr, uint64_t first, unsigned order, uint64_t *base)
{
	const struct arch_profile *a = rp->m->arch;
	if (ptr < a->page_offset || a->page_offset <= UINT32_MAX || first > (ptr - a->page_offset) / PAGE_SIZE)
		return false;   /* 32-bit: PAGE_OFFSET is not randomised */
	uint64_t at = ptr - first * PAGE_SIZE;
	*base = at & ~(KASLR_ALIGN - 1);
	return *base >= a->page_offset && at - *base < PAGE_SIZE << order;
}

/* a raw pointer paired by the order of events with the block at pfn first:
 * false when no 1 GiB-aligned base at or above PAGE_OFFSET puts it inside
 * the block; else a vote for that base (see cpu_recent) */
static bool vote_base(struct replay *rp, uint64_t ptr, uint64_t first, unsigned order)
{
	const struct arch_profile *a = rp->m->arch;
	uint64_t base;
	if (!base_for(rp, ptr, first, order, &base))
		return false;
	if (!rp->base_votes)
		rp->base_cand = base;
	if (rp->base_cand == base)
		rp->base_votes++;
	else
		rp->base_votes--;
	if (rp->base_votes >= BASE_VOTES) {
		rp->dm_base = base;
		rp->base_sure = true;
		if (base != a->page_offset)
			rp->rep->direct_map_base = base;
	}
	return true;
}

/* a page of gfp_flags g could be kmem_getpages()'s for some caller (see
 * slab_classic_rule) */
static bool slab_classic_like(const struct slab_classic_rule *sc, gfp_t g)
{
	return !(g & ~(sc->keep | sc->added)) && !(g & sc->comp) == !sc->comp_always;
}

/* ... for the caller whose traced gfp_flags are f */
static bool slab_classic_fits(const struct slab_classic_rule *sc, gfp_t g, gfp_t f)
{
	gfp_t want = f & sc->keep;
	gfp_t dropped = sc->dropped | ((g & sc->pin) ? sc->dropped_pinned : 0);
	return slab_classic_like(sc, g) && !(g & ~(want | sc->added)) && !(want & ~g & ~dropped);
}

/* ... and nothing but the caller's flags and __GFP_COMP: what the caller's
 * own alloc_pages(f | __GFP_COMP, order) would trace too */
static bool slab_classic_plain(const struct slab_classic_rule *sc, gfp_t g, gfp_t f)
{
	gfp_t skip = sc->comp | sc->cpuset;
	return (g & ~skip) == (f & sc->keep & ~skip);
}

/* give back the model's pages of the traced page block at key, which the
 * slab layer's replay of the object stands for; inner: the object was
 * allocated inside the growing of another slab, whose page (outer) comes
 * next; false when the block is no longer live (nothing paired) */
static bool pair_page(struct replay *rp, struct cpu_recent *cr, bool large, bool ordered, bool inner)
{
	struct obj *pg = omap_find(&rp->pages, cr->key);
	cr->key = 0;
	if (cr->outer && inner) {
		/* the obj_exts kmalloc's slab: the outer slab's object is next */
		cr->key = cr->outer;
		cr->order = cr->outer_order;
		cr->gfp = cr->outer_gfp;
		cr->comp = false;
		cr->slab = true;
		cr->seq = rp->seq;
	}
	cr->outer = 0;
	if (!pg || pg->state != OBJ_LIVE || pg->kind != KIND_PAGE)
		return false;
	struct replay_report *rep = rp->rep;
	buddy_free_pages(rp->m, pg->addr, pg->req);
	rep->live_pages -= 1ull << pg->req;
	pg->kind = KIND_PAIRED;
	/* the mm_page_alloc was counted replayed: it is not, in the end */
	rep->ev[TEV_PAGE_ALLOC].replayed--;
	rep->ev[TEV_PAGE_ALLOC].skipped++;
	if (large) {
		rep->paired_large++;
		rep->paired_large_pages += 1ull << pg->req;
	} else {
		rep->paired_slab++;
		rep->paired_slab_pages += 1ull << pg->req;
		rep->paired_slab_ordered += ordered;
	}
	return true;
}

/* after a slab object's replay (large: a large kmalloc in the model of
 * bytes_alloc; obj_exts: allocated inside the growing of a slab, see
 * inside_grow(); gfp: its traced gfp_flags; cache: its model cache, -1
 * none): pair it with its CPU's last page block when sure (see cpu_recent) */
static void pair_object(struct replay *rp, const struct trace_event *ev, bool large, bool obj_exts, gfp_t gfp,
			int cache)
{
	if (ev->ptr & 3)
		rp->hashed = true;      /* no slab object of x86 is less than 4-aligned */
	struct cpu_recent *cr = recent_of(rp, ev);
	if (!cr || !cr->key)
		return;
	if (rp->hashed && (cr->seq != cr->last_seq || !(large ? cr->comp : cr->slab)))
		return;         /* the common case, decided before the rest */
	uint64_t first = cr->key - 1, pfn;
	bool raw = traced_pfn(rp, ev->ptr, &pfn);
	if (raw) {
		if (large ? pfn == first && !(ev->ptr & 4095) && ev->bytes_alloc == PAGE_SIZE << cr->order
			  : pfn >= first && pfn - first < 1ull << cr->order) {
			rp->base_sure = true;
			pair_page(rp, cr, large, false, obj_exts || !rp->classic);
			return;
		}
		if (rp->base_sure)
			return;
	}
	/* by the order of events: the block was this CPU's last event */
	if (cr->seq != cr->last_seq)
		return;
	if (large) {
		if (!cr->comp || ev->bytes_alloc != PAGE_SIZE << cr->order)
			return;
	} else if (!cr->slab) {
		return;
	} else if (obj_exts && !cr->outer) {
		cr->seq = rp->seq;      /* inside the slab's allocate_slab(): passed over */
		return;
	} else if (rp->classic) {
		uint64_t base;
		if (raw && !base_for(rp, ev->ptr, first, cr->order, &base))
			return;         /* the address says it is not this block's: no pair to count unfit */
		if (cache < 0 || rp->m->slab->caches[cache].g.order != cr->order ||
		    !slab_classic_fits(&rp->sc, cr->gfp, gfp)) {
			rp->rep->slab_classic_unfit++;
			return;
		}
	}
	if (raw && !vote_base(rp, ev->ptr, first, cr->order))
		return;
	/* ambiguous: of the pairs (the page may have gone since, freed on another CPU) */
	bool plain = rp->classic && !large && slab_classic_plain(&rp->sc, cr->gfp, gfp);
	if (pair_page(rp, cr, large, true, obj_exts || !rp->classic) && plain)
		rp->rep->slab_classic_plain++;
}

static void do_kmalloc(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	struct machine *m = rp->m;
	bool ptrval = ev->has & TF_PTRVAL;
	if (!ev->ptr && !ptrval) {
		rp->rep->trace_failed_allocs++;
		c->skipped++;
		return;
	}
	gfp_t gfp = gfp_of(rp, &ev->gfp);
	uint64_t addr;
	if (slab_kmalloc(m, (size_t)ev->bytes_req, gfp, &addr) || !addr) {
		c->failed++;
		problem(rp, "kmalloc failed in the model: %s", m->err);
		return;
	}
	if (addr == ZERO_SIZE_PTR) {
		c->replayed++;  /* kmalloc(0): nothing to free later */
		return;
	}
	struct obj *o = NULL;
	if (ptrval) {
		/* no pointer to follow: the size class is checked, and the
		 * model's object given back at once */
		rp->rep->ptrval++;
		c->skipped++;
	} else if (record_alloc(rp, ev->ptr, &o)) {
		slab_kfree(m, addr);
		c->failed++;
		return;
	} else {
		c->replayed++;
	}
	/* the size class the model chose, as the kernel's trace_kmalloc() reports it:
	 * s->size for a slab cache (6.x __do_kmalloc_node(), 2.6.32 cachep->buffer_size),
	 * PAGE_SIZE << order for a large kmalloc */
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	uint64_t model_alloc;
	int32_t stat = -1;
	if (oi.large) {
		model_alloc = (uint64_t)PAGE_SIZE << oi.large_order;
		if (!rp->large_stat && o) {
			int32_t s = new_stat(rp, "(large kmalloc)", -1, 0);
			rp->large_stat = s + 1;
		}
		stat = rp->large_stat - 1;      /* -1 until a large kmalloc is followed */
		rp->rep->order_checked++;
		if (model_alloc != ev->bytes_alloc)
			rp->rep->order_mismatch++;
	} else if (oi.cache >= 0) {
		model_alloc = m->slab->caches[oi.cache].g.size;
		if (o)
			stat = stat_of_cache(rp, oi.cache);
	} else {
		size_t ks = 0;
		slab_ksize(m, addr, &ks);
		model_alloc = ks;
		stat = -1;
	}
	struct replay_report *rep = rp->rep;
	rep->size_checked++;
	if (model_alloc != ev->bytes_alloc) {
		rep->size_mismatch++;
		if (rep->nmismatch < REPLAY_PROBLEMS) {
			struct replay_problem *p = &rep->mismatch[rep->nmismatch++];
			p->line = rp->line;
			snprintf(p->what, sizeof p->what, _("kmalloc(%llu): traced bytes_alloc %llu, model %llu"),
				 (unsigned long long)ev->bytes_req, (unsigned long long)ev->bytes_alloc,
				 (unsigned long long)model_alloc);
		}
	}
	if (!o) {
		slab_kfree(m, addr);
		return;
	}
	o->addr = addr;
	o->kind = KIND_KMALLOC;
	o->state = OBJ_LIVE;
	o->req = (uint32_t)ev->bytes_req;
	o->alloc = (uint32_t)ev->bytes_alloc;
	o->stat = stat;
	o->site = site_of(rp, &ev->site);
	count_alloc(rp, o);
	pair_object(rp, ev, oi.large, o->site && rp->site_obj_exts[o->site - 1], gfp, oi.large ? -1 : oi.cache);
}

/* the model cache for a traced kmem_cache_alloc: by name= (6.18 and later),
 * else by bytes_alloc; made on first use with bytes_alloc as its size */
static int cache_of(struct replay *rp, const struct trace_event *ev)
{
	struct machine *m = rp->m;
	/* the key: name= (or nothing) and bytes_alloc; a name with a
	 * different size is another cache.  The name is looked up as traced
	 * (no key built per event), its sizes in a short chain */
	size_t nl = ev->name.len > 31 ? 31 : ev->name.len;
	bool created;
	struct sentry *e = strtab_get(&rp->names, ev->name.p ? ev->name.p : "", nl, &created);
	if (!e)
		return -1;
	uint64_t ba = ev->bytes_alloc;
	for (int64_t i = e->val; i; i = rp->nsz[i - 1].next)
		if (rp->nsz[i - 1].bytes_alloc == ba)
			return rp->nsz[i - 1].cache;
	if (rp->nnsz == rp->cap_nsz) {
		size_t nc = rp->cap_nsz ? rp->cap_nsz * 2 : 64;
		struct name_size *n = realloc(rp->nsz, nc * sizeof *n);
		if (!n)
			return -1;
		rp->nsz = n;
		rp->cap_nsz = nc;
	}
	struct name_size *ns = &rp->nsz[rp->nnsz];
	ns->bytes_alloc = ba;
	ns->cache = -1;
	ns->next = e->val;
	e->val = (int64_t)++rp->nnsz;
	if (ev->bytes_alloc == 0 || ev->bytes_alloc > (1u << 21))
		return -1;
	unsigned size = (unsigned)ev->bytes_alloc;
	char name[32];
	if (nl)
		snprintf(name, sizeof name, "%.*s", (int)nl, ev->name.p);
	else
		snprintf(name, sizeof name, "cache-%u", size);
	printable(name);
	/* a name SLUB merged into another cache (a booted 6.x model's, or
	 * --from's) stands for that cache */
	int idx = slab_cache_find(m, name);
	if (idx < 0)
		idx = slab_alias_find(m, name);
	if (idx >= 0 && m->slab->caches[idx].g.size != size) {
		/* a name taken with another size: NAME-SIZE */
		if (nl)
			snprintf(name, sizeof name, "%.*s-%u", (int)(nl > 20 ? 20 : nl), ev->name.p, size);
		else
			snprintf(name, sizeof name, "cache-%u-%u", size, size);
		printable(name);
		idx = slab_cache_find(m, name);
	}
	if (idx < 0 && slab_cache_create(m, name, size, 0, 0, &idx))
		return -1;
	ns->cache = idx;
	return idx;
}

static void do_cache_alloc(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	struct machine *m = rp->m;
	if (ev->has & TF_PTRVAL) {
		rp->rep->ptrval++;
		c->skipped++;
		return;
	}
	if (!ev->ptr) {
		rp->rep->trace_failed_allocs++;
		c->skipped++;
		return;
	}
	int cache = cache_of(rp, ev);
	if (cache < 0) {
		c->failed++;
		problem(rp, "no cache for this kmem_cache_alloc: %s", m->err);
		return;
	}
	uint64_t addr;
	gfp_t gfp = gfp_of(rp, &ev->gfp);
	if (slab_cache_alloc(m, cache, gfp, &addr) || !addr) {
		c->failed++;
		problem(rp, "kmem_cache_alloc failed in the model: %s", m->err);
		return;
	}
	struct obj *o;
	int32_t stat = stat_of_cache(rp, cache);       /* also where the free finds the cache */
	if (stat < 0 || record_alloc(rp, ev->ptr, &o)) {
		slab_cache_free(m, cache, addr);
		c->failed++;
		return;
	}
	c->replayed++;
	o->addr = addr;
	o->kind = KIND_CACHE;
	o->state = OBJ_LIVE;
	o->req = (uint32_t)ev->bytes_req;
	o->alloc = (uint32_t)ev->bytes_alloc;
	o->stat = stat;
	o->site = site_of(rp, &ev->site);
	count_alloc(rp, o);
	pair_object(rp, ev, false, o->site && rp->site_obj_exts[o->site - 1], gfp, cache);
}

/* kmem_cache_free has name= (the 6.1 capture has it) where kmem_cache_alloc
 * had none: the first name a nameless cache's objects are freed with, and
 * whether there were others (caches of one size share a model cache) */
static void learn_name(struct replay_cache_stat *c, const struct trace_event *ev)
{
	const char *nm = c->name;      /* "cache-", byte by byte: no library call per free */
	if (nm[0] != 'c' || nm[1] != 'a' || nm[2] != 'c' || nm[3] != 'h' || nm[4] != 'e' || nm[5] != '-')
		return;
	size_t n = ev->name.len < sizeof c->freed_as - 1 ? ev->name.len : sizeof c->freed_as - 1;
	if (!c->freed_as[0]) {
		memcpy(c->freed_as, ev->name.p, n);
		c->freed_as[n] = '\0';
		printable(c->freed_as);
	} else if (!c->freed_as_more && (strlen(c->freed_as) != n || memcmp(c->freed_as, ev->name.p, n) != 0)) {
		c->freed_as_more = true;
	}
}

/*
 * kfree(ZERO_SIZE_PTR) with hashed pointers.  kmalloc(0) returns
 * ZERO_SIZE_PTR untraced (6.1 and 6.13 mm/slab_common.c
 * __do_kmalloc_node(): kmalloc_slab() gives it for size 0, returned before
 * trace_kmalloc(); 2.6.32 mm/slab.c __do_kmalloc() alike), but kfree()
 * traces it before its ZERO_OR_NULL_PTR() test (memdup_user(buf, 0) and
 * its kfree: a 0-byte write to /proc/PID/attr/current does it).  Raw it is
 * 0x10; hashed it is some value (lib/vsprintf.c ptr_to_id() prints only
 * NULL and error pointers raw) that no traced allocation returns: the
 * first pointer kfree'd a second time with no allocation of it in the
 * trace (o: its entry, freed pre-existing by kfree) is taken for it (a
 * freed slab object comes back only through an allocation, traced but for
 * kmem_cache_alloc_bulk(), whose objects go back by kmem_cache_free()).
 * Its first kfree, counted pre-existing, is moved to ZERO_SIZE_PTR's.
 */
static bool zero_size_ptr(struct replay *rp, const struct trace_event *ev, const struct obj *o,
			  struct replay_counts *c)
{
	if (rp->zero_ptr || !rp->hashed || ev->type != TEV_KFREE || o->kind != KIND_PRE_KFREE)
		return false;
	rp->zero_ptr = ev->ptr;
	rp->rep->kfree_zero += 2;
	c->preexisting--;
	c->skipped += 2;
	return true;
}

static void do_free(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	if (ev->has & TF_PTRVAL) {
		rp->rep->ptrval++;
		c->skipped++;
		return;
	}
	if (!ev->ptr) {
		rp->rep->kfree_null++;
		c->skipped++;
		return;
	}
	if (ev->ptr == ZERO_SIZE_PTR) {
		rp->rep->kfree_zero++;
		c->skipped++;
		return;
	}
	if (ev->ptr & 3)
		rp->hashed = true;      /* as in pair_object() */
	struct obj *o = omap_get(&rp->objs, ev->ptr);
	if (!o || o->state != OBJ_LIVE) {
		if (ev->ptr == rp->zero_ptr && ev->type == TEV_KFREE) {
			rp->rep->kfree_zero++;
			c->skipped++;
			return;
		}
		if (o && o->state == OBJ_FREED && zero_size_ptr(rp, ev, o, c))
			return;
		if (o && o->state == OBJ_FREED) {
			/* a double free, or an allocation the kernel does not trace
			 * (kmem_cache_alloc_bulk()) handed the object out again */
			rp->rep->dup_frees++;
			c->preexisting++;
			problem(rp, "freed again with no traced allocation since (double free, or kmem_cache_alloc_bulk)%s",
				NULL);
			return;
		}
		/* allocated before the capture: remember it, to tell a second free */
		c->preexisting++;
		if (o) {
			o->state = OBJ_FREED;
			if (ev->type == TEV_KFREE)
				o->kind = KIND_PRE_KFREE;
		}
		return;
	}
	if (ev->name.len && o->kind == KIND_CACHE && o->stat >= 0 && rp->cs[o->stat].name[0] != '\0')
		learn_name(&rp->cs[o->stat], ev);
	int r = model_free(rp, o);
	o->state = OBJ_FREED;
	if (r) {
		c->failed++;
		problem(rp, "free failed in the model: %s", rp->m->err);
		return;
	}
	c->replayed++;
}

/* ---- pages ---------------------------------------------------------------------- */

static void page_free(struct replay *rp, struct obj *o)
{
	buddy_free_pages(rp->m, o->addr, o->req);
	rp->rep->live_pages -= 1ull << o->req;
}

static void do_page_alloc(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	struct machine *m = rp->m;
	struct replay_report *rep = rp->rep;
	if (ev->pfn == ~0ull) {
		rep->trace_failed_allocs++;
		c->skipped++;
		return;
	}
	if (rp->o->no_pages) {
		c->skipped++;
		return;
	}
	gfp_t gfp = gfp_of(rp, &ev->gfp);
	uint64_t key = ev->pfn + 1;
	struct obj *o = omap_get(&rp->pages, key);
	if (!o) {
		c->failed++;
		return;
	}
	size_t at;
	if (pset_find(&rp->pfree, key, &at))
		pset_del_at(&rp->pfree, at);
	if (o->state == OBJ_LIVE) {
		rep->realloc_live++;
		if (o->kind == KIND_PAGE)
			page_free(rp, o);
	}
	uint64_t pfn = ~0ull;
	if (rp->o->exact_pfn) {
		int r = ev->order <= MAX_ORDER_MODEL ? buddy_alloc_pages_at(m, gfp, ev->pfn, ev->order) : -EINVAL;
		if (r == 0) {
			pfn = ev->pfn;
			rep->pfn_exact++;
		} else if (r == -ERANGE) {
			rep->pfn_outside++;
		} else {
			rep->pfn_busy++;
		}
	}
	if (pfn == ~0ull && buddy_alloc_pages(m, gfp, ev->order, &pfn)) {
		omap_del(&rp->pages, o);
		pset_add(&rp->pfree, key, false);
		c->failed++;
		problem(rp, "alloc_pages failed in the model: %s", m->err);
		return;
	}
	c->replayed++;
	if (rep->live_objects + rp->pages.used > rep->max_live_traced)
		rep->max_live_traced = rep->live_objects + rp->pages.used;
	o->addr = pfn;
	o->req = ev->order;     /* the order: pages have no bytes_req */
	o->state = OBJ_LIVE;
	o->kind = KIND_PAGE;
	rep->live_pages += 1ull << ev->order;
	struct cpu_recent *cr = recent_of(rp, ev);
	if (cr) {
		bool slab = rp->classic ? slab_classic_like(&rp->sc, gfp)
					: (gfp & rp->gfp_noretry) && !(gfp & rp->gfp_not_slab);
		cr->outer = 0;
		if (slab && cr->key && cr->slab && cr->seq == cr->last_seq) {
			cr->outer = cr->key;
			cr->outer_order = cr->order;
			cr->outer_gfp = cr->gfp;
		}
		cr->key = key;
		cr->gfp = gfp;
		cr->seq = rp->seq;
		cr->order = (uint8_t)ev->order;
		cr->comp = rp->gfp_comp && (gfp & rp->gfp_comp);
		cr->slab = slab;
	}
}

/*
 * The pages map holds allocated pages only; pfree the pfns freed since
 * (to tell a second free), with those freed by mm_page_free marked: their
 * mm_page_free_batched may still follow.
 */
static void do_page_free(struct replay *rp, const struct trace_event *ev, struct replay_counts *c, bool batched)
{
	if (rp->o->no_pages) {
		c->skipped++;
		return;
	}
	uint64_t key = ev->pfn + 1;
	size_t at;
	struct obj *o = omap_find(&rp->pages, key);
	if (o && o->kind == KIND_PAIRED) {
		/* its pages went with the slab object's replay */
		omap_del(&rp->pages, o);
		pset_add(&rp->pfree, key, !batched);
		rp->rep->paired_frees++;
		c->skipped++;
		return;
	}
	if (o) {
		page_free(rp, o);
		omap_del(&rp->pages, o);
		pset_add(&rp->pfree, key, !batched);
		c->replayed++;
		return;
	}
	bool freed = pset_find(&rp->pfree, key, &at);
	if (batched && freed && (rp->pfree.key[at] & PSET_VIA)) {
		/* the mm_page_free of this page came first */
		rp->rep->pages_companion++;
		rp->pfree.key[at] &= ~PSET_VIA;
		c->skipped++;
		return;
	}
	if (!batched && freed) {
		/* a double free, or an allocation the kernel does not trace
		 * (alloc_pages_bulk(), which vmalloc uses) */
		rp->rep->dup_frees++;
		c->preexisting++;
		problem(rp, "freed again with no traced allocation since (double free, or alloc_pages_bulk)%s", NULL);
		return;
	}
	c->preexisting++;
	if (!freed)
		pset_add(&rp->pfree, key, !batched);
}

/* ---- vmap areas ------------------------------------------------------------------- */

static void vmap_gone(struct replay *rp, struct obj *o)
{
	rp->rep->live_vmaps--;
	rp->rep->live_vmap_bytes -= o->alloc;
	omap_del(&rp->vmaps, o);
}

static void do_vmap_alloc(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	struct machine *m = rp->m;
	struct replay_report *rep = rp->rep;
	if (ev->va.failed || ev->ptr == UINT64_MAX) {
		rep->trace_failed_allocs++;
		c->skipped++;
		return;
	}
	/* __get_vm_area_node() traced size + PAGE_SIZE (the guard page, unless
	 * VM_NO_GUARD): ask for one page less and the model adds it back */
	uint64_t size = ev->va.size, vstart = 0, vend = 0;
	unsigned long flags = 0;
	if (size > PAGE_SIZE)
		size -= PAGE_SIZE;
	else
		flags = VM_NO_GUARD;    /* 2.6.32 adds the guard regardless: a size mismatch */
	if ((ev->has & TF_VA_RANGE) && ev->va.vstart >= m->layout.vmalloc_start &&
	    ev->va.vend <= m->layout.vmalloc_end && ev->va.vstart < ev->va.vend) {
		vstart = ev->va.vstart;
		vend = ev->va.vend;
	} else {
		rep->vmap_range_model++;
	}
	uint64_t align = (ev->has & TF_VA_ALIGN) && ev->va.align >= PAGE_SIZE ? ev->va.align : PAGE_SIZE;
	struct obj *o = omap_get(&rp->vmaps, ev->ptr + 1);
	if (!o) {
		c->failed++;
		return;
	}
	if (o->state == OBJ_LIVE) {
		/* a traced area at a live one's address: the free was not traced */
		rep->realloc_live++;
		vmap_area_free(m, o->addr);
		vmap_gone(rp, o);
		o = omap_get(&rp->vmaps, ev->ptr + 1);
		if (!o) {
			c->failed++;
			return;
		}
	}
	struct vm_struct *vm;
	if (vmap_area_alloc(m, size, align, vstart, vend, flags, "replay", &vm)) {
		omap_del(&rp->vmaps, o);
		c->failed++;
		problem(rp, "alloc_vmap_area failed in the model: %s", m->err);
		return;
	}
	c->replayed++;
	rep->vmap_checked++;
	if (vm->addr == ev->ptr)
		rep->vmap_same_addr++;
	if (vm->size != ev->va.size) {
		rep->vmap_size_mismatch++;
		char what[96];
		snprintf(what, sizeof what, "%llu, model %llu", (unsigned long long)ev->va.size,
			 (unsigned long long)vm->size);
		problem(rp, "alloc_vmap_area: traced size %s", what);
	}
	o->addr = vm->addr;
	o->alloc = (uint32_t)(vm->size > UINT32_MAX ? UINT32_MAX : vm->size);
	o->kind = KIND_VMAP;
	o->state = OBJ_LIVE;
	rep->live_vmaps++;
	rep->live_vmap_bytes += o->alloc;
}

static void do_vmap_free(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	struct machine *m = rp->m;
	struct replay_report *rep = rp->rep;
	if (ev->has & TF_VA_LAZY) {
		/* mm/vmalloc.c lazy_max_pages(): fls(num_online_cpus()) * 32M / PAGE_SIZE */
		rep->vmap_lazy_checked++;
		rep->vmap_lazy_max_traced = ev->va.nr_lazy_max;
		rep->vmap_lazy_max_model = vmap_lazy_max_pages(m);
		if (ev->va.nr_lazy_max != rep->vmap_lazy_max_model)
			rep->vmap_lazy_max_mismatch++;
	}
	struct obj *o = ev->ptr == UINT64_MAX ? NULL : omap_find(&rp->vmaps, ev->ptr + 1);
	if (!o) {
		c->preexisting++;       /* allocated before the capture */
		return;
	}
	uint64_t lazy0 = vmap_lazy_nr(m);
	int r = vmap_area_free(m, o->addr);
	uint64_t pages = o->alloc / PAGE_SIZE;
	vmap_gone(rp, o);
	if (r) {
		c->failed++;
		problem(rp, "free_vmap_area_noflush failed in the model: %s", m->err);
		return;
	}
	/* the model's own purge (lazy_nr over lazy_max_pages()) empties the lazy list */
	if (vmap_lazy_nr(m) < lazy0 + pages)
		rep->vmap_model_purges++;
	c->replayed++;
}

static void do_vmap_purge(struct replay *rp, const struct trace_event *ev, struct replay_counts *c)
{
	rp->rep->vmap_purged_traced += ev->va.num_purged;
	int n = vmap_purge_lazy(rp->m);
	if (n > 0)
		rp->rep->vmap_purged_model += (uint64_t)n;
	c->replayed++;
}

/* ---- the loop ----------------------------------------------------------------- */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void replay_event(struct replay *rp, const struct trace_event *ev)
{
	struct replay_report *rep = rp->rep;
	if ((unsigned)ev->type >= TEV_NR)
		return;         /* not an event: replay_run() takes those out first */
	struct replay_counts *c = &rep->ev[ev->type];
	c->seen++;
	rep->events++;
	rp->seq++;
	switch (ev->type) {
	case TEV_KMALLOC:
	case TEV_KMALLOC_NODE:
		do_kmalloc(rp, ev, c);
		break;
	case TEV_CACHE_ALLOC:
	case TEV_CACHE_ALLOC_NODE:
		do_cache_alloc(rp, ev, c);
		break;
	case TEV_KFREE:
	case TEV_CACHE_FREE:
		do_free(rp, ev, c);
		break;
	case TEV_PAGE_ALLOC:
		do_page_alloc(rp, ev, c);
		break;
	case TEV_PAGE_FREE:
		do_page_free(rp, ev, c, false);
		break;
	case TEV_PAGE_FREE_BATCHED:
		do_page_free(rp, ev, c, true);
		break;
	case TEV_ALLOC_VMAP_AREA:
		do_vmap_alloc(rp, ev, c);
		break;
	case TEV_FREE_VMAP_AREA_NOFLUSH:
		do_vmap_free(rp, ev, c);
		break;
	case TEV_PURGE_VMAP_AREA_LAZY:
		do_vmap_purge(rp, ev, c);
		break;
	case TEV_OTHER:
		/* the first such line is listed, with its event's name; the
		 * other row counts them all */
		if (!rep->other_events++) {
			char name[64];
			size_t n = ev->event.len < sizeof name - 1 ? ev->event.len : sizeof name - 1;
			if (n)
				memcpy(name, ev->event.p, n);
			name[n] = '\0';
			printable(name);
			problem(rp, "event %s is not one replay reads: counted as other and skipped (the first)", name);
		}
		c->skipped++;
		break;
	case TEV_PAGE_ALLOC_ZONE_LOCKED:
		/* rmqueue_bulk() refilling a per-CPU list (percpu_refill=1) or
		 * rmqueue_buddy() (0): the page's own mm_page_alloc follows */
		if (ev->pg.percpu_refill)
			rep->pcp_refill_pages += 1ull << ev->order;
		else
			rep->pcp_direct_pages += 1ull << ev->order;
		c->skipped++;
		break;
	case TEV_PAGE_PCPU_DRAIN:
		/* free_pcppages_bulk(): its mm_page_free came before */
		rep->pcp_drain_pages += 1ull << ev->order;
		c->skipped++;
		break;
	case TEV_PAGE_ALLOC_EXTFRAG:
		/* __rmqueue_fallback() stealing from another migratetype, inside
		 * the allocation whose mm_page_alloc follows */
		rep->extfrag_fragmenting += ev->pg.fragmenting;
		rep->extfrag_change_ownership += ev->pg.change_ownership;
		c->skipped++;
		break;
	default:
		c->skipped++;
		break;
	}
}

static int finish(struct replay *rp)
{
	struct replay_report *rep = rp->rep;
	rep->caches = rp->cs;
	rep->ncaches = rp->ncs;
	rp->cs = NULL;
	/* sizes the model chose, also for caches created on the fly */
	for (size_t i = 0; i < rep->ncaches; i++)
		if (rep->caches[i].cache >= 0)
			rep->caches[i].size = rp->m->slab->caches[rep->caches[i].cache].g.size;
	rep->sites = rp->ss;
	rep->nsites = rp->nss;
	rp->ss = NULL;
	rep->host_bytes = (rp->objs.cap + rp->pages.cap + rp->vmaps.cap) * sizeof(struct obj) +
			  rp->pfree.cap * sizeof(uint64_t);
	return 0;
}

/* the masks of slab_classic_rule for this kernel: each name the kernel
 * has (6.1 include/linux/gfp_types.h and mm/internal.h GFP_RECLAIM_MASK,
 * which has __GFP_ATOMIC until 6.3; 2.6.32 include/linux/gfp.h) */
static gfp_t gfp_names(const struct kernel_profile *kp, const char *const *names, size_t n)
{
	gfp_t out = 0, f;
	size_t bad;
	for (size_t i = 0; i < n; i++)
		if (!gfp_parse(kp, names[i], &f, &bad))
			out |= f;
	return out;
}

static void slab_classic_rule_init(const struct kernel_profile *kp, struct slab_classic_rule *sc)
{
	static const char *const keep[] = {
		"__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_WAIT", "__GFP_HIGH", "__GFP_IO", "__GFP_FS",
		"__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_REPEAT", "__GFP_NOFAIL", "__GFP_NORETRY",
		"__GFP_MEMALLOC", "__GFP_NOMEMALLOC", "__GFP_ATOMIC", "__GFP_HARDWALL", "__GFP_THISNODE",
	};
	static const char *const added61[] = {
		"__GFP_COMP", "__GFP_DMA", "__GFP_DMA32", "__GFP_RECLAIMABLE", "__GFP_THISNODE", "__GFP_NOWARN",
		"__GFP_HARDWALL",
	};
	static const char *const added32[] = {
		"__GFP_DMA", "__GFP_RECLAIMABLE", "__GFP_THISNODE", "__GFP_NOWARN", "__GFP_NORETRY",
	};
	static const char *const dropped61[] = { "__GFP_IO", "__GFP_FS", "__GFP_NOFAIL" };
	static const char *const pinned61[] = { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM" };
	static const char *const comp[] = { "__GFP_COMP" };
	static const char *const pin[] = { "__GFP_THISNODE" };
	static const char *const cpuset[] = { "__GFP_HARDWALL" };
	bool old = kp->kv == KV_2_6_32;
	memset(sc, 0, sizeof *sc);
	sc->keep = gfp_names(kp, keep, sizeof keep / sizeof *keep);
	sc->added = old ? gfp_names(kp, added32, sizeof added32 / sizeof *added32)
			: gfp_names(kp, added61, sizeof added61 / sizeof *added61);
	if (!old) {
		sc->dropped = gfp_names(kp, dropped61, sizeof dropped61 / sizeof *dropped61);
		sc->dropped_pinned = gfp_names(kp, pinned61, sizeof pinned61 / sizeof *pinned61);
		sc->cpuset = gfp_names(kp, cpuset, 1);
	}
	sc->comp = gfp_names(kp, comp, 1);
	sc->pin = gfp_names(kp, pin, 1);
	sc->comp_always = !old;
}

int replay_run(struct machine *m, struct trace_reader *r, const struct replay_opts *o,
	       struct replay_report **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!m->slab) {
		snprintf(err, errlen, "%s", _("the machine has no slab allocator"));
		return -EINVAL;
	}
	struct replay rp = { .m = m, .o = o };
	struct replay_report *rep = calloc(1, sizeof *rep);
	if (rep)
		rep->samples = malloc(MAX_SAMPLES * sizeof *rep->samples);
	if (!rep || !rep->samples) {
		if (rep)
			free(rep->samples);
		free(rep);
		snprintf(err, errlen, "%s", _("out of memory"));
		return -ENOMEM;
	}
	rp.rep = rep;
	rp.gfp_kernel = m->kp->gfp_kernel;
	rp.gfp_comp = m->kp->gfp_comp;
	size_t bad;
	if (gfp_parse(m->kp, "__GFP_NORETRY", &rp.gfp_noretry, &bad))
		rp.gfp_noretry = 0;
	/* what new_slab() drops: __GFP_ZERO, __GFP_ACCOUNT and the zone bits
	 * (those this kernel has) */
	static const char *const not_slab[] = { "__GFP_ZERO", "__GFP_ACCOUNT", "__GFP_HIGHMEM", "__GFP_MOVABLE" };
	for (size_t i = 0; i < sizeof not_slab / sizeof *not_slab; i++) {
		gfp_t f;
		if (!gfp_parse(m->kp, not_slab[i], &f, &bad))
			rp.gfp_not_slab |= f;
	}
	rp.classic = m->slab->impl == SLAB_IMPL_SLAB;
	rep->slab_classic = rp.classic;
	if (rp.classic)
		slab_classic_rule_init(m->kp, &rp.sc);
	rp.dm_base = m->arch->page_offset;
	rep->exact_pfn = o->exact_pfn;
	rep->sample_step_ns = 1000000;  /* 1 ms, doubled as the trace goes on */
	/* the model's own messages during the replay would only repeat the counts */
	bool log = m->log.enabled;
	m->log.enabled = false;
	unsigned ncpus = m->ncpus ? m->ncpus : 1, cpu0 = machine_this_cpu(m);
	double t0 = now();
	const char *line;
	size_t len;
	int k;
	struct trace_event ev;
	while ((k = trace_reader_next(r, &line, &len)) != 0) {
		rp.line = trace_reader_lineno(r);
		rep->lines++;
		if (o->progress && !(rp.line & 0xffff)) {
			uint64_t done, total;
			trace_reader_progress(r, &done, &total);
			o->progress(o->progress_arg, rep->events, done, total, now() - t0);
		}
		if (k == 2) {
			rep->overlong_lines++;
			problem(&rp, "line longer than %s bytes, skipped", "65536");
			continue;
		}
		if (len && line[len - 1] == '\r') {
			/* the first is listed; the lines: row counts them all */
			if (!rep->crlf_lines++)
				problem(&rp, "CRLF line end (the first; the line is read without its CR)%s", NULL);
			len--;
		}
		if (trace_reader_may_have_nul(r) && memchr(line, '\0', len)) {
			rep->nul_lines++;
			problem(&rp, "NUL byte in the line, skipped%s", NULL);
			continue;
		}
		trace_parse_line(line, len, &ev);
		if (ev.type == TEV_NONE) {
			rep->comments++;
			header_entries(rep, line, len);
			continue;
		}
		uint64_t lost;
		if (ev.type == TEV_BAD && perf_lost_line(line, len, &lost)) {
			rep->comments++;
			rep->perf_lost += lost;
			rep->perf_lost_records++;
			continue;
		}
		if (ev.type == TEV_BAD) {
			rep->bad_lines++;
			problem(&rp, "%s", ev.why ? _(ev.why) : "");     /* a msgid: the Makefile names set_bad */
			continue;
		}
		if (ev.has & TF_TS) {
			if (!rp.have_ts) {
				rp.have_ts = true;
				rep->first_ts = ev.ts_ns;
				rp.next_sample = ev.ts_ns;
			} else if (ev.ts_ns < rp.last_ts) {
				rep->backwards_ts++;
				problem(&rp, "timestamp earlier than the line before%s", NULL);
			}
			if (ev.ts_ns > rp.last_ts || !rep->last_ts)
				rep->last_ts = ev.ts_ns;
			rp.last_ts = ev.ts_ns;
		}
		/* the map line this event will look in (see omap) */
		if (ev.type <= TEV_CACHE_FREE)
			omap_prefetch(&rp.objs, ev.ptr);
		else if (ev.type <= TEV_PAGE_FREE_BATCHED) {
			omap_prefetch(&rp.pages, ev.pfn + 1);
			pset_prefetch(&rp.pfree, ev.pfn + 1);
		}
		/* on the traced CPU (modulo the machine's CPUs): per-CPU slabs
		 * and array caches follow the trace */
		if ((ev.has & TF_CPU) && ncpus > 1)
			m->this_cpu = (unsigned)ev.cpu < ncpus ? (unsigned)ev.cpu : (unsigned)ev.cpu % ncpus;
		replay_event(&rp, &ev);
		if ((ev.has & (TF_CPU | TF_TS)) == (TF_CPU | TF_TS)) {
			struct cpu_recent *c = recent_of(&rp, &ev);
			if (c && !c->first_ts)
				c->first_ts = ev.ts_ns + 1;
		}
		if ((unsigned)ev.cpu < rp.nrecent)     /* -1: no CPU */
			rp.recent[ev.cpu].last_seq = rp.seq;
		if (rp.have_ts && rp.last_ts >= rp.next_sample)
			take_sample(&rp, rp.last_ts);
	}
	if (rp.have_ts)
		take_sample(&rp, rep->last_ts);
	rep->late_cpu = -1;
	for (size_t c = 0; c < rp.nrecent; c++) {
		uint64_t t = rp.recent[c].first_ts;
		if (t && t - 1 >= rep->first_ts && (rep->late_cpu < 0 || t - 1 - rep->first_ts > rep->late_cpu_after_ns)) {
			rep->late_cpu = (int)c;
			rep->late_cpu_after_ns = t - 1 - rep->first_ts;
		}
	}
	if (trace_reader_error(r))
		snprintf(rep->input_error, sizeof rep->input_error, "%s", trace_reader_error(r));
	rep->gzip = trace_reader_gzip(r);
	rep->seconds = now() - t0;
	m->log.enabled = log;
	m->this_cpu = cpu0;
	finish(&rp);
	free(rp.objs.mem);
	free(rp.pages.mem);
	free(rp.vmaps.mem);
	free(rp.pfree.mem);
	strtab_free(&rp.sites);
	strtab_free(&rp.site_tokens);
	strtab_free(&rp.names);
	strtab_free(&rp.gfps);
	free(rp.cs);
	free(rp.ss);
	free(rp.site_obj_exts);
	free(rp.nsz);
	free(rp.stat_of_cache);
	free(rp.recent);
	*out = rep;
	return 0;
}

void replay_report_free(struct replay_report *rep)
{
	if (!rep)
		return;
	free(rep->caches);
	free(rep->sites);
	free(rep->samples);
	free(rep);
}
