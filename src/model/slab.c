/*
 * slab.c - the slab layer common to SLUB and SLAB: caches, slabs and their
 * pages, the object <-> address mapping, accounting, and kmalloc on top.
 *
 * A slab is 2^order pages from the buddy allocator cut into equal objects.
 * Which free object is handed out next, where a slab goes when it fills or
 * empties, and when an empty slab is given back differ per allocator:
 * slub.c follows mm/slub.c (6.13), slab_classic.c follows mm/slab.c
 * (2.6.32).  Objects live in lowmem, so their addresses are direct-map
 * addresses of the slab's pages (page_address() + offset).  SLOB (slob.c)
 * keeps its objects in pages of its own.  The allocator is chosen at boot
 * and reached only through its struct slab_ops (slab_impl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"
#include "kmemsh/slab.h"
#include "slab_impl.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)

const char *slab_impl_name(enum slab_impl impl)
{
	switch (impl) {
	case SLAB_IMPL_SLUB: return "slub";
	case SLAB_IMPL_SLAB: return "slab";
	case SLAB_IMPL_SLOB: return "slob";
	}
	return "?";
}

int slab_impl_parse(const char *name, enum slab_impl *out)
{
	if (strcmp(name, "slub") == 0)
		*out = SLAB_IMPL_SLUB;
	else if (strcmp(name, "slab") == 0)
		*out = SLAB_IMPL_SLAB;
	else if (strcmp(name, "slob") == 0)
		*out = SLAB_IMPL_SLOB;
	else
		return -EINVAL;
	return 0;
}

/* ---- change log ------------------------------------------------------------ */

void slab_log_add(struct machine *m, enum change_kind kind, int cache, uint32_t slab, uint64_t pfn,
		  unsigned order, uint32_t obj, uint64_t addr, int from, int to)
{
	struct change c = { .kind = kind, .cache = (uint32_t)cache, .obj = obj, .pfn = pfn,
			    .pfn2 = slab, .order = (uint8_t)order, .addr = addr,
			    .mt = (uint8_t)from, .mt2 = (uint8_t)to };
	int z = machine_pfn_zone(m, pfn);
	c.zone = (uint8_t)(z < 0 ? 0 : z);
	changelog_add(m, &c);
}

/* ---- pfn maps (open addressing, linear probing) ------------------------------ */

/* double the table; tombstones are dropped by the rehash */
static int map_grow(struct pfn_map *pm)
{
	size_t nc = pm->cap ? pm->cap * 2 : 1024;
	if (!pm->cap)
		pm->hot_pfn = ~0ull;
	struct pfn_map_slot *ns = malloc(nc * sizeof *ns);
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < nc; i++)
		ns[i].pfn = ~0ull;
	size_t used = 0;
	for (size_t i = 0; i < pm->cap; i++) {
		const struct pfn_map_slot *o = &pm->slot[i];
		if (o->pfn == ~0ull || o->val == SLAB_NONE)
			continue;
		size_t h = pfn_map_hash(o->pfn, nc);
		while (ns[h].pfn != ~0ull)
			h = (h + 1) & (nc - 1);
		ns[h] = *o;
		used++;
	}
	free(pm->slot);
	pm->slot = ns;
	pm->cap = nc;
	pm->used = used;
	return 0;
}

/* insert or overwrite; v = SLAB_NONE leaves a tombstone */
int pfn_map_put(struct pfn_map *pm, uint64_t pfn, uint32_t v)
{
	if ((pm->used + 1) * 2 > pm->cap && map_grow(pm))
		return -ENOMEM;
	size_t h = pfn_map_hash(pfn, pm->cap);
	while (pm->slot[h].pfn != ~0ull && pm->slot[h].pfn != pfn)
		h = (h + 1) & (pm->cap - 1);
	if (pm->slot[h].pfn == ~0ull)
		pm->used++;
	pm->slot[h].pfn = pfn;
	pm->slot[h].val = v;
	if (pfn == pm->hot_pfn)
		pm->hot_val = v;
	return 0;
}

void pfn_map_free(struct pfn_map *pm)
{
	free(pm->slot);
	*pm = (struct pfn_map){ 0 };
}

/* change the value of a key that is in the map (never grows it) */
static void map_update(struct pfn_map *pm, uint64_t pfn, uint32_t v)
{
	size_t h = pfn_map_hash(pfn, pm->cap);
	while (pm->slot[h].pfn != pfn)
		h = (h + 1) & (pm->cap - 1);
	pm->slot[h].val = v;
	if (pfn == pm->hot_pfn)
		pm->hot_val = v;
}

static int map_put(struct slab_state *st, uint64_t pfn, uint32_t id)
{
	return pfn_map_put(&st->map, pfn, id);
}

static uint32_t map_raw(const struct slab_state *st, uint64_t pfn)
{
	return pfn_map_get(&st->map, pfn);
}

/* removal leaves a tombstone (slab id SLAB_NONE) */
static void map_del(struct slab_state *st, uint64_t pfn)
{
	if (pfn_map_get(&st->map, pfn) != SLAB_NONE)
		map_update(&st->map, pfn, SLAB_NONE);
}

/* Large kmallocs share the map: their value is the index in st->large
 * with LARGE_TAG set, so a kfree finds either kind in one lookup. */
#define LARGE_TAG 0x80000000u

static bool is_large_val(uint32_t v)
{
	return v != SLAB_NONE && (v & LARGE_TAG);
}

/* the slab whose first page is pfn, or SLAB_NONE */
static uint32_t map_get(const struct slab_state *st, uint64_t pfn)
{
	uint32_t v = map_raw(st, pfn);
	return is_large_val(v) ? SLAB_NONE : v;
}

/* ---- large kmalloc table ------------------------------------------------------- */

static struct large_alloc *large_find(const struct slab_state *st, uint64_t pfn)
{
	uint32_t v = map_raw(st, pfn);
	return is_large_val(v) ? &st->large[v & ~LARGE_TAG] : NULL;
}

/* forget large allocation la: the last one takes its slot */
static void large_remove(struct slab_state *st, struct large_alloc *la)
{
	size_t i = (size_t)(la - st->large), last = --st->large_used;
	map_del(st, la->pfn);
	if (i != last) {
		st->large[i] = st->large[last];
		map_update(&st->map, st->large[i].pfn, (uint32_t)i | LARGE_TAG);
	}
}

/* ---- slab lists ------------------------------------------------------------------ */

void slab_list_add(struct machine *m, struct slab_list_head *l, uint32_t id, bool tail)
{
	struct slab *s = &m->slab->slabs[id];
	if (!tail) {
		s->prev = SLAB_NONE;
		s->next = l->head;
		if (l->head != SLAB_NONE)
			m->slab->slabs[l->head].prev = id;
		else
			l->tail = id;
		l->head = id;
	} else {
		s->next = SLAB_NONE;
		s->prev = l->tail;
		if (l->tail != SLAB_NONE)
			m->slab->slabs[l->tail].next = id;
		else
			l->head = id;
		l->tail = id;
	}
	l->count++;
}

void slab_list_del(struct machine *m, struct slab_list_head *l, uint32_t id)
{
	struct slab *s = &m->slab->slabs[id];
	if (s->prev != SLAB_NONE)
		m->slab->slabs[s->prev].next = s->next;
	else
		l->head = s->next;
	if (s->next != SLAB_NONE)
		m->slab->slabs[s->next].prev = s->prev;
	else
		l->tail = s->prev;
	s->next = s->prev = SLAB_NONE;
	l->count--;
}

struct slab_list_head *slab_list_of(struct kmem_cache *c, const struct slab *s, int list)
{
	switch (list) {
	case SL_PARTIAL: return &c->partial[s->node];
	case SL_FULL: return &c->full;
	case SL_FREE: return &c->free;
	default: return NULL;
	}
}

/* move slab id onto list `to` (head or tail), logging the move */
void slab_move(struct machine *m, int cache, uint32_t id, int to, bool tail)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	struct slab *s = &m->slab->slabs[id];
	int from = s->list;
	struct slab_list_head *lf = slab_list_of(c, s, from), *lt = slab_list_of(c, s, to);
	if (lf)
		slab_list_del(m, lf, id);
	s->list = (uint8_t)to;
	if (lt)
		slab_list_add(m, lt, id, tail);
	if (from != to)
		slab_log(m, CH_SLAB_LIST, cache, id, s->pfn, s->order, 0, 0, from, to);
}

/* ---- slabs ------------------------------------------------------------------------- */

static uint32_t slab_struct_new(struct slab_state *st)
{
	if (st->free_slab_ids != SLAB_NONE) {
		uint32_t id = st->free_slab_ids;
		st->free_slab_ids = st->slabs[id].next;
		return id;
	}
	if (st->nr_slabs == st->cap_slabs) {
		uint32_t nc = st->cap_slabs ? st->cap_slabs * 2 : 256;
		struct slab *nv = realloc(st->slabs, nc * sizeof *nv);
		if (!nv)
			return SLAB_NONE;
		st->slabs = nv;
		st->cap_slabs = nc;
	}
	return st->nr_slabs++;
}

static void slab_set_layout(const struct machine *m, struct slab *s, const struct kmem_cache *c)
{
	s->vaddr = machine_pfn_to_vaddr(m, s->pfn);
	s->base = s->colour_off + c->g.slab_mgmt + c->g.red_left_pad;
	s->size = c->g.size;
	s->recip = UINT64_MAX / c->g.size + 1;
}

static void account_pages(struct machine *m, const struct kmem_cache *c, uint64_t pages, int sign)
{
	uint64_t *ctr = (c->flags & SLAB_RECLAIM_ACCOUNT_F) ? &m->slab->reclaimable_pages
							     : &m->slab->unreclaimable_pages;
	if (sign > 0)
		*ctr += pages;
	else
		*ctr -= pages;
}

/* slab_new() out of host memory: give everything back */
static uint32_t slab_new_undo(struct machine *m, uint32_t id, bool mapped, const char *what)
{
	struct slab_state *st = m->slab;
	struct slab *s = &st->slabs[id];
	free(s->fp);
	s->fp = NULL;
	s->req = NULL;
	if (mapped)
		map_del(st, s->pfn);
	s->cache = SLAB_NONE;
	s->next = st->free_slab_ids;
	st->free_slab_ids = id;
	buddy_free_pages(m, s->pfn, s->order);
	model_err(m, "out of host memory for slab %s", what);
	return SLAB_NONE;
}

/*
 * Allocate the pages of a new slab and set up its objects, freelist in
 * address order.  The page allocation's gfp is the caller's reclaim and
 * constraint bits plus the cache's allocflags (6.13 allocate_slab(),
 * 2.6.32 kmem_getpages()); 6.13 first tries the preferred order without
 * retrying or warning, then falls back to the minimum order (s->min).
 * Returns the slab id or SLAB_NONE (m->err explains).
 */
uint32_t slab_new(struct machine *m, int cache, gfp_t gfp)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[cache];
	const struct kernel_profile *kp = m->kp;
	/* 2.6.32 mm/slab.c cache_grow() and mm/slub.c new_slab():
	 * BUG_ON(flags & GFP_SLAB_BUG_MASK), include/linux/gfp.h
	 * GFP_SLAB_BUG_MASK = __GFP_DMA32|__GFP_HIGHMEM|~__GFP_BITS_MASK.
	 * (6.13 SLUB fixes the flags up and warns first: slub.c fix_flags().) */
	gfp_t bugmask = kp->gfp_dma32 | kp->gfp_highmem | ~kp->gfp_bits_mask;
	if (kp->kv == KV_2_6_32 && (gfp & bugmask)) {
		const char *bit = (gfp & kp->gfp_highmem) ? "__GFP_HIGHMEM" :
				  (gfp & kp->gfp_dma32) ? "__GFP_DMA32" : "bits above __GFP_BITS_MASK";
		model_err(m, "%s needs a new slab and %s is in GFP_SLAB_BUG_MASK: 2.6.32 %s() "
			 "hits BUG_ON(flags & GFP_SLAB_BUG_MASK) (slab pages are never HighMem); refused", c->name,
			 bit, st->impl == SLAB_IMPL_SLAB ? "cache_grow" : "new_slab");
		st->bug = true;
		return SLAB_NONE;
	}
	/* GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK: what of the caller's flags
	 * reaches the page allocator; zone and mobility come from the cache */
	gfp_t keep = gfp & ~(kp->gfp_dma | kp->gfp_dma32 | kp->gfp_highmem | kp->gfp_movable |
			     kp->gfp_reclaimable | kp->gfp_zero | kp->gfp_comp);
	gfp_t flags = keep | c->allocflags;
	unsigned order = c->g.order, objects = c->g.objects;
	uint64_t pfn;
	int r;

	if (st->impl == SLAB_IMPL_SLUB && kp->kv != KV_2_6_32) {
		gfp_t first = (flags | kp->gfp_nowarn | 0x10000 /* __GFP_NORETRY */) & ~0x8000u /* __GFP_NOFAIL */;
		if ((first & kp->gfp_wait) && order > c->g.min_order)
			first = (first | kp->gfp_nomemalloc) & ~(kp->gfp_wait | kp->gfp_kswapd);
		r = buddy_alloc_pages(m, first, order, &pfn);
		/* allocate_slab(): then oo = s->min, alloc_gfp = flags, whatever
		 * the orders: an order-0 cache asks twice, the second time with
		 * the caller's reclaim, retries and OOM killer */
		if (r) {
			order = c->g.min_order;
			objects = c->g.min_objects;
			r = buddy_alloc_pages(m, flags, order, &pfn);
		}
	} else {
		r = buddy_alloc_pages(m, flags, order, &pfn);
	}
	if (r)
		return SLAB_NONE;
	uint32_t id = slab_struct_new(st);
	if (id == SLAB_NONE) {
		buddy_free_pages(m, pfn, order);
		model_err(m, "out of host memory for slab descriptors");
		return SLAB_NONE;
	}
	c = &st->caches[cache];
	struct slab *s = &st->slabs[id];
	memset(s, 0, sizeof *s);
	s->cache = (uint32_t)cache;
	s->next = s->prev = SLAB_NONE;
	s->pfn = pfn;
	s->order = (uint8_t)order;
	s->cpu = -1;
	s->objects = objects;
	s->list = SL_NONE;
	if (st->impl == SLAB_IMPL_SLUB) {
		int z = machine_pfn_zone(m, pfn);       /* slab_nid(): the node of its pages */
		s->node = (uint8_t)(z >= 0 ? m->zones[z].nid : 0);
	}
	s->seq = ++st->seq;
	/* one block: the free pointers, then the requested sizes (req is
	 * never freed on its own) */
	s->fp = malloc(2 * (size_t)objects * sizeof *s->fp);
	s->req = s->fp ? s->fp + objects : NULL;
	if (s->req)
		memset(s->req, 0, objects * sizeof *s->req);
	if (!s->fp || map_put(st, pfn, id))
		return slab_new_undo(m, id, false, "descriptors");
	for (uint32_t i = 0; i < objects; i++)
		s->fp[i] = i + 1 < objects ? i + 1 : SLAB_NONE;
	s->freelist = 0;
	if (st->impl == SLAB_IMPL_SLAB && c->g.colour) {
		/* cache_grow(): colour the slab, then advance colour_next */
		s->colour_off = c->colour_next * c->g.colour_off;
		c->colour_next = (c->colour_next + 1) % c->g.colour;
	}
	slab_set_layout(m, s, c);
	if (c->debug && slab_mem_create(m, s))
		return slab_new_undo(m, id, true, "contents");
	c->nr_slabs++;
	c->total_objects += objects;
	st->meta[cache].nr_slabs[s->node]++;            /* inc_slabs_node() */
	st->meta[cache].total_objects[s->node] += objects;
	account_pages(m, c, 1ull << order, +1);
	slab_log(m, CH_SLAB_NEW, cache, id, pfn, order, objects, 0, SL_NONE, SL_NONE);
	return id;
}

/* discard_slab() / slab_destroy(): the pages go back to the buddy allocator */
void slab_discard(struct machine *m, uint32_t id)
{
	struct slab_state *st = m->slab;
	struct slab *s = &st->slabs[id];
	struct kmem_cache *c = &st->caches[s->cache];
	if (s->mem && c->debug)
		st->ops->debug_discard(m, s);
	slab_log(m, CH_SLAB_DISCARD, (int)s->cache, id, s->pfn, s->order, s->objects, 0, s->list, SL_NONE);
	struct slab_list_head *l = slab_list_of(c, s, s->list);
	if (l)
		slab_list_del(m, l, id);
	c->nr_slabs--;
	c->total_objects -= s->objects;
	st->meta[s->cache].nr_slabs[s->node]--;         /* dec_slabs_node() */
	st->meta[s->cache].total_objects[s->node] -= s->objects;
	account_pages(m, c, 1ull << s->order, -1);
	map_del(st, s->pfn);
	buddy_free_pages(m, s->pfn, s->order);
	free(s->fp);
	free(s->mem);
	s->fp = NULL;
	s->req = NULL;
	s->mem = NULL;
	s->leaked = 0;
	s->cache = SLAB_NONE;
	s->next = st->free_slab_ids;
	st->free_slab_ids = id;
}

/* Does the slab layer own the block starting at pfn (a slab, a SLOB page,
 * a large kmalloc)?  Writes what it is into buf and returns true.  The page
 * API must not free such a block: the kernel's free_pages_prepare() would
 * find PG_slab (2.6.32) or the slab page type (6.13) and report "Bad page
 * state"; a large kmalloc's pages belong to kfree(). */
bool slab_owns_pfn(const struct machine *m, uint64_t pfn, char *buf, size_t len)
{
	const struct slab_state *st = m->slab;
	if (!st)
		return false;
	if (st->ops->owns && st->ops->owns(m, machine_pfn_to_vaddr(m, pfn))) {
		snprintf(buf, len, "a SLOB page: the kernel would report \"BUG: Bad page state\"");
		return true;
	}
	uint32_t v = map_raw(st, pfn);
	if (v == SLAB_NONE)
		return false;
	if (is_large_val(v))
		snprintf(buf, len, "a large kmalloc of %zu bytes: free it with kfree()", st->large[v & ~LARGE_TAG].size);
	else
		snprintf(buf, len, "a slab of %s: the kernel would report \"BUG: Bad page state\"",
			 st->caches[st->slabs[v].cache].name);
	return true;
}

/* The slab holding a direct-map address, or SLAB_NONE. */
uint32_t slab_of_addr(const struct machine *m, uint64_t addr)
{
	uint64_t pfn, off;
	if (!m->slab || machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return SLAB_NONE;
	uint32_t id = map_get(m->slab, pfn);
	if (id == SLAB_NONE) {
		/* a tail page: the slab is the allocated block containing it */
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (pi.state != PS_ALLOCATED)
			return SLAB_NONE;
		id = map_get(m->slab, pi.block_pfn);
		if (id == SLAB_NONE)
			return SLAB_NONE;
	}
	const struct slab *s = &m->slab->slabs[id];
	return pfn >= s->pfn && pfn < s->pfn + (1ull << s->order) ? id : SLAB_NONE;
}

void slab_object_info(const struct machine *m, uint64_t addr, struct object_info *oi)
{
	memset(oi, 0, sizeof *oi);
	oi->cache = -1;
	oi->slab = SLAB_NONE;
	if (!m->slab)
		return;
	uint64_t pfn, off;
	if (!machine_vaddr_to_pfn(m, addr, &pfn, &off)) {
		const struct large_alloc *la = large_find(m->slab, pfn);
		if (la && off == 0) {
			oi->found = true;
			oi->large = true;
			oi->allocated = true;
			oi->large_size = la->size;
			oi->large_order = la->order;
			oi->object_addr = addr;
			oi->slab_pfn = pfn;
			return;
		}
	}
	if (m->slab->ops->block_info) {
		m->slab->ops->block_info(m, addr, oi);
		return;
	}
	uint32_t id = slab_of_addr(m, addr);
	if (id == SLAB_NONE)
		return;
	const struct slab *s = &m->slab->slabs[id];
	const struct kmem_cache *c = &m->slab->caches[s->cache];
	uint64_t first = slab_object_addr(m, s, 0) - c->g.red_left_pad;
	oi->cache = (int)s->cache;
	oi->slab = id;
	oi->slab_pfn = s->pfn;
	if (addr < first) {
		oi->found = true;   /* in the slab's management area / colour */
		oi->index = ~0u;
		return;
	}
	uint64_t rel = addr - first;
	unsigned idx = (unsigned)(rel / c->g.size);
	if (idx >= s->objects) {
		oi->found = true;
		oi->index = ~0u;   /* in the slab's tail padding */
		return;
	}
	oi->found = true;
	oi->index = idx;
	oi->object_addr = slab_object_addr(m, s, idx);
	/* negative inside the left red zone (slub_debug=Z) */
	oi->offset = (int)((int64_t)addr - (int64_t)oi->object_addr);
	oi->allocated = s->req[idx] != 0;
	oi->requested = s->req[idx];
}

/* ---- caches ------------------------------------------------------------------------ */

/* FNV-1a of a cache name */
static uint32_t name_hash(const char *name)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

int slab_cache_find(const struct machine *m, const char *name)
{
	const struct slab_state *st = m->slab;
	if (!st || !st->name_hash_cap)
		return -1;
	for (uint32_t i = st->name_hash[name_hash(name) & (st->name_hash_cap - 1)]; i != SLAB_NONE;
	     i = st->caches[i].hnext)
		if (strcmp(st->caches[i].name, name) == 0)
			return (int)i;
	return -1;
}

int slab_cache_add_alias(struct machine *m, int cache, const char *name)
{
	struct slab_state *st = m->slab;
	if (!st || cache < 0 || (uint32_t)cache >= st->nr_caches || !st->caches[cache].live ||
	    strlen(name) >= sizeof st->aliases[0].name || !*name)
		return -EINVAL;
	if (slab_cache_find(m, name) >= 0 || slab_alias_find(m, name) >= 0)
		return -EEXIST;
	if (st->nr_aliases == st->cap_aliases) {
		uint32_t nc = st->cap_aliases ? st->cap_aliases * 2 : 64;
		struct slab_alias *na = realloc(st->aliases, nc * sizeof *na);
		if (!na)
			return -ENOMEM;
		st->aliases = na;
		st->cap_aliases = nc;
	}
	struct slab_alias *a = &st->aliases[st->nr_aliases++];
	snprintf(a->name, sizeof a->name, "%s", name);
	a->cache = (uint32_t)cache;
	return 0;
}

int slab_alias_find(const struct machine *m, const char *name)
{
	const struct slab_state *st = m->slab;
	for (uint32_t i = 0; st && i < st->nr_aliases; i++)
		if (strcmp(st->aliases[i].name, name) == 0)
			return (int)st->aliases[i].cache;
	return -1;
}

unsigned slab_cache_aliases(const struct machine *m, int cache, const char **names, unsigned max)
{
	const struct slab_state *st = m->slab;
	unsigned n = 0;
	for (uint32_t i = 0; st && i < st->nr_aliases; i++)
		if (st->aliases[i].cache == (uint32_t)cache) {
			if (n < max)
				names[n] = st->aliases[i].name;
			n++;
		}
	return n;
}

/* the name hash, rebuilt with at least twice as many buckets as slots */
static int name_hash_grow(struct slab_state *st)
{
	uint32_t cap = st->name_hash_cap ? st->name_hash_cap : 64;
	while (cap < 2 * st->cap_caches)
		cap *= 2;
	if (cap == st->name_hash_cap)
		return 0;
	uint32_t *nh = malloc(cap * sizeof *nh);
	if (!nh)
		return -ENOMEM;
	memset(nh, 0xff, cap * sizeof *nh);
	free(st->name_hash);
	st->name_hash = nh;
	st->name_hash_cap = cap;
	for (uint32_t i = st->newest_cache; i != SLAB_NONE; i = st->caches[i].older) {
		uint32_t b = name_hash(st->caches[i].name) & (cap - 1);
		st->caches[i].hnext = nh[b];
		nh[b] = i;
	}
	return 0;
}

/* a slot for a new cache: the most recently freed one, else a new one */
static int cache_slot_get(struct slab_state *st)
{
	if (st->free_caches != SLAB_NONE) {
		uint32_t i = st->free_caches;
		st->free_caches = st->caches[i].older;
		return (int)i;
	}
	if (st->nr_caches == st->cap_caches) {
		uint32_t nc = st->cap_caches ? st->cap_caches * 2 : 64;
		struct kmem_cache *nv = realloc(st->caches, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		st->caches = nv;
		struct slab_meta *nm = realloc(st->meta, nc * sizeof *nm);
		if (!nm)
			return -ENOMEM;
		st->meta = nm;
		st->cap_caches = nc;
	}
	if (name_hash_grow(st))
		return -ENOMEM;
	memset(&st->meta[st->nr_caches], 0, sizeof *st->meta);
	return (int)st->nr_caches++;
}

static void cache_slot_put(struct slab_state *st, uint32_t i)
{
	st->caches[i].older = st->free_caches;
	st->free_caches = i;
}

/* a live cache joins the name hash and the head of the live list */
static void cache_link(struct slab_state *st, uint32_t i)
{
	struct kmem_cache *c = &st->caches[i];
	uint32_t b = name_hash(c->name) & (st->name_hash_cap - 1);
	c->hnext = st->name_hash[b];
	st->name_hash[b] = i;
	c->newer = SLAB_NONE;
	c->older = st->newest_cache;
	if (c->older != SLAB_NONE)
		st->caches[c->older].newer = i;
	st->newest_cache = i;
	st->nr_live_caches++;
}

static void cache_unlink(struct slab_state *st, uint32_t i)
{
	struct kmem_cache *c = &st->caches[i];
	uint32_t *pp = &st->name_hash[name_hash(c->name) & (st->name_hash_cap - 1)];
	while (*pp != i)
		pp = &st->caches[*pp].hnext;
	*pp = c->hnext;
	if (c->newer != SLAB_NONE)
		st->caches[c->newer].older = c->older;
	else
		st->newest_cache = c->older;
	if (c->older != SLAB_NONE)
		st->caches[c->older].newer = c->newer;
	st->nr_live_caches--;
}

/* the cache to the head of the live list, /proc/slabinfo's first row, as
 * if made last (--from puts the rows in the snapshot's order) */
void slab_cache_make_newest(struct machine *m, int cache)
{
	struct slab_state *st = m->slab;
	if (!st || cache < 0 || (uint32_t)cache >= st->nr_caches || !st->caches[cache].live ||
	    st->newest_cache == (uint32_t)cache)
		return;
	cache_unlink(st, (uint32_t)cache);
	cache_link(st, (uint32_t)cache);
}

/* what a cache holds besides its slabs: the per-CPU state and arrays */
static void cache_free_percpu(const struct machine *m, struct kmem_cache *c)
{
	if (c->cpu)
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
			free(c->cpu[cpu].entry);
	free(c->cpu);
	free(c->shared.entry);
	c->cpu = NULL;
	c->shared.entry = NULL;
}

static int slab_free_object(struct machine *m, int cache, uint64_t addr);

/* The node ids a cache has a struct kmem_cache_node for: every node with
 * memory (init_kmem_cache_nodes(): for_each_node_mask(node,
 * slab_nodes)); one without --nodes. */
static unsigned meta_nodes(const struct machine *m)
{
	unsigned n = m->cfg.nr_nodes ? m->cfg.nr_nodes : 1;
	return n < MAX_NUMNODES_MODEL ? n : MAX_NUMNODES_MODEL;
}

static void meta_free(struct machine *m, int idx)
{
	struct slab_state *st = m->slab;
	struct slab_meta *mt = &st->meta[idx];
	if (mt->obj)
		slab_free_object(m, st->meta_cache, mt->obj);
	for (unsigned nid = 0; nid < MAX_NUMNODES_MODEL; nid++)
		if (mt->node[nid])
			slab_free_object(m, st->meta_node_cache, mt->node[nid]);
	memset(mt, 0, sizeof *mt);
}

/*
 * mm/slab_common.c create_cache() (6.x; create_kmalloc_cache() alike):
 * kmem_cache_zalloc(kmem_cache, GFP_KERNEL) for the struct kmem_cache, then
 * mm/slub.c init_kmem_cache_nodes(): kmem_cache_alloc_node(kmem_cache_node,
 * GFP_KERNEL, node) for each node.  (Boot asks with GFP_NOWAIT; either
 * takes an unmovable lowmem page.)  Undone on failure, as the kernel's
 * error path frees them.
 */
static int meta_alloc(struct machine *m, int idx)
{
	struct slab_state *st = m->slab;
	if (st->meta_cache < 0)
		return 0;
	gfp_t gk = m->kp->gfp_kernel;
	uint64_t a = 0;
	int r = slab_cache_alloc(m, st->meta_cache, gk, &a);
	st->meta[idx].obj = a;
	/* SLAB's struct kmem_list3 come from kmalloc, not a cache of their own */
	for (unsigned nid = 0; !r && a && st->meta_node_cache >= 0 && nid < meta_nodes(m); nid++) {
		r = slab_cache_alloc_node(m, st->meta_node_cache, gk, (int)nid, &a);
		st->meta[idx].node[nid] = a;
	}
	if (r || !a) {
		meta_free(m, idx);
		return r ? r : -ENOMEM;
	}
	return 0;
}

uint64_t slab_cache_struct_addr(const struct machine *m, int cache)
{
	const struct slab_state *st = m->slab;
	if (st->meta[cache].obj)
		return st->meta[cache].obj;
	return st->ops->cache_struct ? st->ops->cache_struct(m, cache) : 0;
}

int slab_cache_by_struct(const struct machine *m, uint64_t addr)
{
	for (uint32_t i = 0; addr && i < m->slab->nr_caches; i++)
		if (m->slab->caches[i].live && slab_cache_struct_addr(m, (int)i) == addr)
			return (int)i;
	return -1;
}

/* a new kmem_cache with its geometry; -errno or the cache index */
int slab_cache_new(struct machine *m, const char *name, unsigned size, unsigned align, unsigned flags,
		   bool kmalloc)
{
	struct slab_state *st = m->slab;
	struct slab_geometry g;
	int r;

	if (strlen(name) >= sizeof st->caches[0].name)
		return -ENAMETOOLONG;
	flags |= st->slub_debug;
	if (kmalloc)
		flags |= SLAB_KMALLOC_F;
	r = st->ops->geometry(m, size, align, flags, &g);
	if (r)
		return r;
	int idx = cache_slot_get(st);
	if (idx < 0)
		return idx;
	struct kmem_cache *c = &st->caches[idx];
	memset(c, 0, sizeof *c);
	memset(st->meta[idx].nr_slabs, 0, sizeof st->meta[idx].nr_slabs);
	memset(st->meta[idx].total_objects, 0, sizeof st->meta[idx].total_objects);
	c->cpu = calloc(m->ncpus, sizeof *c->cpu);
	if (!c->cpu) {
		cache_slot_put(st, (uint32_t)idx);
		return -ENOMEM;
	}
	snprintf(c->name, sizeof c->name, "%s", name);
	c->live = true;
	c->kmalloc = kmalloc;
	c->flags = flags;
	c->g = g;
	for (int n = 0; n < MAX_NUMNODES_MODEL; n++)
		c->partial[n] = (struct slab_list_head){ SLAB_NONE, SLAB_NONE, 0 };
	c->full.head = c->full.tail = SLAB_NONE;
	c->free.head = c->free.tail = SLAB_NONE;
	const struct kernel_profile *kp = m->kp;
	c->allocflags = 0;
	if (flags & SLAB_CACHE_DMA_F)
		c->allocflags |= kp->gfp_dma;
	if (flags & SLAB_CACHE_DMA32_F)
		c->allocflags |= kp->gfp_dma32;
	if (flags & SLAB_RECLAIM_ACCOUNT_F)
		c->allocflags |= kp->gfp_reclaimable;
	/* SLUB set_min_partial(s, ilog2(s->size) / 2): clamp to [5, 10] */
	unsigned lg = 0;
	while ((2u << lg) <= g.size)
		lg++;
	c->min_partial = lg / 2 < 5 ? 5 : lg / 2 > 10 ? 10 : lg / 2;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		c->cpu[cpu].slab = SLAB_NONE;
		c->cpu[cpu].freelist = SLAB_NONE;
		c->cpu[cpu].partial = SLAB_NONE;
	}
	r = st->ops->cache_init(m, idx);
	if (r) {
		cache_free_percpu(m, &st->caches[idx]);
		st->caches[idx].live = false;
		st->caches[idx].name[0] = '\0';   /* never a cache: no name to call destroyed */
		cache_slot_put(st, (uint32_t)idx);
		return r;
	}
	cache_link(st, (uint32_t)idx);
	if ((r = meta_alloc(m, idx))) {
		cache_unlink(st, (uint32_t)idx);
		cache_free_percpu(m, &st->caches[idx]);
		st->caches[idx].live = false;
		st->caches[idx].name[0] = '\0';
		cache_slot_put(st, (uint32_t)idx);
		return r;
	}
	return idx;
}

int slab_cache_create(struct machine *m, const char *name, unsigned size, unsigned align,
		      unsigned flags, int *cache)
{
	if (!m->slab)
		return -ENODEV;
	if (slab_cache_find(m, name) >= 0) {
		model_err(m, "a cache named '%s' exists already", name);
		return -EEXIST;
	}
	int merged = slab_alias_find(m, name);
	if (merged >= 0) {
		model_err(m, "a cache named '%s' exists already (merged into %s)", name,
			 m->slab->caches[merged].name);
		return -EEXIST;
	}
	if (size < 1 || size > (m->slab->impl == SLAB_IMPL_SLAB ? (1u << 22) : (1u << 21))) {
		model_err(m, "size %u: kmem_cache_create() refuses it "
			 "(objects from 1 byte up to %s)", size,
			 m->slab->impl == SLAB_IMPL_SLAB ? "KMALLOC_MAX_SIZE" : _("a slab of MAX_ORDER"));
		return -EINVAL;
	}
	if (align & (align - 1)) {
		model_err(m, "align %u is not a power of two", align);
		return -EINVAL;
	}
	if (m->slab->impl == SLAB_IMPL_SLAB && m->kp->kv != KV_2_6_32)
		/* 6.1 kmem_cache_create_usercopy(): SLAB_FLAGS_PERMITTED has
		 * them, then "flags &= CACHE_CREATE_MASK" drops them without
		 * CONFIG_DEBUG_SLAB */
		flags &= ~(SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F | SLAB_DEBUG_FREE_F);
	if (m->slab->impl == SLAB_IMPL_SLAB && !(m->slab->slub_debug & SLAB_DEBUG_BUILD_F) &&
	    (flags & (SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F))) {
		/* 2.6.32 kmem_cache_create(): BUG_ON(flags & ~CREATE_MASK) */
		model_err(m, "SLAB_RED_ZONE, SLAB_POISON and SLAB_STORE_USER need a "
			 "CONFIG_DEBUG_SLAB kernel (--debug-slab); this one's kmem_cache_create() would hit "
			 "BUG_ON(flags & ~CREATE_MASK)");
		return -EINVAL;
	}
	int r = slab_cache_new(m, name, size, align, flags, false);
	if (r < 0) {
		if (!m->err[0])
			model_err(m, "cannot create cache '%s' (%s)", name, strerror(-r));
		if (flags & SLAB_PANIC_F)
			dmesg_printf(m, "Kernel panic - not syncing: kmem_cache_create(): failed to create slab `%s'", name);
		return r;
	}
	*cache = r;
	return 0;
}

/*
 * SLUB cache merging, 6.1 mm/slab_common.c find_mergeable() and
 * slab_unmergeable(), mm/slub.c __kmem_cache_alias(): a new mergeable
 * cache becomes another name of the newest live cache that is mergeable,
 * at least as large (ALIGN(size, sizeof(void *)) to the alignment),
 * aligned for it, less than a word larger, and agrees in SLAB_MERGE_SAME
 * (RECLAIM_ACCOUNT, CACHE_DMA, CACHE_DMA32, ACCOUNT).  Never merged:
 * a ctor, SLAB_NEVER_MERGE (RED_ZONE, POISON, STORE_USER, TYPESAFE_BY_RCU:
 * slub_debug= sets them on every cache), a usercopy region (kmalloc
 * caches have one: create_kmalloc_cache() passes usersize = size), and
 * SLUB only (SLAB's extra alignment test is not modelled).
 */
static const unsigned never_merge = SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F | SLAB_TYPESAFE_BY_RCU_F |
				    SLAB_CTOR_F | SLAB_NOMERGE_F | SLAB_KMALLOC_F;
static const unsigned merge_same = SLAB_RECLAIM_ACCOUNT_F | SLAB_CACHE_DMA_F | SLAB_CACHE_DMA32_F | SLAB_ACCOUNT_F;

static unsigned align_to(unsigned x, unsigned a)
{
	return (x + a - 1) / a * a;
}

static int find_mergeable(struct machine *m, unsigned size, unsigned align, unsigned flags)
{
	struct slab_state *st = m->slab;
	unsigned ptr = m->arch->bits / 8;
	struct slab_geometry g;
	flags |= st->slub_debug;                /* kmem_cache_flags() */
	if (st->impl != SLAB_IMPL_SLUB || (flags & never_merge) || st->ops->geometry(m, size, align, flags, &g))
		return -1;
	size = align_to(align_to(size, ptr), g.align);
	for (uint32_t i = st->newest_cache; i != SLAB_NONE; i = st->caches[i].older) {
		const struct kmem_cache *c = &st->caches[i];
		if (c->kmalloc || (c->flags & never_merge) || c->debug)
			continue;
		if (size > c->g.size || (flags & merge_same) != (c->flags & merge_same))
			continue;
		if ((c->g.size & ~(g.align - 1)) != c->g.size || c->g.size - size >= ptr)
			continue;
		return (int)i;
	}
	return -1;
}

int slab_cache_create_mergeable(struct machine *m, const char *name, unsigned size, unsigned align,
				unsigned flags, int *cache, bool *merged)
{
	*merged = false;
	if (!m->slab)
		return -ENODEV;
	int t = slab_cache_find(m, name) < 0 && slab_alias_find(m, name) < 0 && size >= 1 &&
		size <= (1u << 21) && !(align & (align - 1)) ? find_mergeable(m, size, align, flags) : -1;
	if (t < 0)
		return slab_cache_create(m, name, size, align, flags, cache);
	int r = slab_cache_add_alias(m, t, name);
	if (r) {
		model_err(m, "cannot create cache '%s' (%s)", name, strerror(-r));
		return r;
	}
	/* __kmem_cache_alias(): the merged cache keeps the largest object */
	struct kmem_cache *c = &m->slab->caches[t];
	unsigned ptr = m->arch->bits / 8;
	if (size > c->g.object_size)
		c->g.object_size = size;
	if (align_to(size, ptr) > c->g.inuse)
		c->g.inuse = align_to(size, ptr);
	*cache = t;
	*merged = true;
	return 0;
}

/* ---- object alloc/free dispatch --------------------------------------------------------- */

/* The live cache behind an index, or NULL with m->err set. */
static struct kmem_cache *live_cache(struct machine *m, int cache)
{
	m->err[0] = '\0';
	if (!m->slab || cache < 0 || (uint32_t)cache >= m->slab->nr_caches) {
		model_err(m, "no such cache");
		return NULL;
	}
	struct kmem_cache *c = &m->slab->caches[cache];
	if (!c->live) {
		model_err(m, "cache '%s' was destroyed: using it is a use-after-free", c->name);
		return NULL;
	}
	return c;
}

/* an allocation whose new slab hit slab_new()'s BUG_ON is refused */
static int refuse_on_bug(struct machine *m, int r, uint64_t *addr)
{
	if (!m->slab->bug)
		return r;
	m->slab->bug = false;
	*addr = 0;
	return -EINVAL;
}

int slab_cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr)
{
	struct kmem_cache *c = live_cache(m, cache);
	if (!c)
		return -EINVAL;
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_alloc(m, gfp, false);
	m->slab->bug = false;
	return refuse_on_bug(m, m->slab->ops->alloc(m, cache, gfp, addr, c->g.object_size), addr);
}

/* a _node call's node: NUMA_NO_NODE (-1) or a node of the machine */
/* A _node call's node: -EINVAL for a node that does not exist, 1 when the
 * allocator must pick the node's slabs, 0 when the plain call does (the
 * node is NUMA_NO_NODE, the machine has one node, or the allocator has one) */
static int node_call(struct machine *m, int nid)
{
	m->err[0] = '\0';
	if (nid >= (int)m->nr_nodes) {
		model_err(m, "node %d does not exist (this machine has %u)", nid, m->nr_nodes);
		return -EINVAL;
	}
	return nid >= 0 && m->nr_nodes >= 2 && m->slab && m->slab->ops->alloc_node;
}

int slab_cache_alloc_node(struct machine *m, int cache, gfp_t gfp, int nid, uint64_t *addr)
{
	int on_node = node_call(m, nid);
	if (on_node <= 0)
		return on_node ? on_node : slab_cache_alloc(m, cache, gfp, addr);
	struct kmem_cache *c = live_cache(m, cache);
	if (!c)
		return -EINVAL;
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_alloc(m, gfp, false);
	m->slab->bug = false;
	return refuse_on_bug(m, m->slab->ops->alloc_node(m, cache, gfp, nid, addr, c->g.object_size), addr);
}

int slab_kmalloc_node(struct machine *m, size_t size, gfp_t gfp, int nid, uint64_t *addr)
{
	int on_node = node_call(m, nid);
	if (on_node <= 0)
		return on_node ? on_node : slab_kmalloc(m, size, gfp, addr);
	/* __kmalloc_node(): the node goes down to the cache's slab_alloc_node()
	 * or, above KMALLOC_MAX_CACHE_SIZE, to __kmalloc_large_node() */
	m->node_arg = nid;
	int r = slab_kmalloc(m, size, gfp, addr);
	m->node_arg = -1;
	return r;
}

/*
 * kmem_cache_alloc_bulk() (mm/slub.c, 6.13): n objects at once; the kernel
 * gives back what it took when one fails (kmem_cache_free_bulk()) and
 * returns 0, and so does this.  The allocator's bulk hook, or n alloc()
 * calls when it has none.
 */
int slab_cache_alloc_bulk(struct machine *m, int cache, gfp_t gfp, size_t n, uint64_t *addrs)
{
	struct kmem_cache *c = live_cache(m, cache);
	if (!c)
		return -EINVAL;
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_alloc(m, gfp, false);
	m->slab->bug = false;
	size_t done = 0;
	size_t req = c->g.object_size;
	int r = 0;
	if (m->slab->ops->alloc_bulk) {
		r = m->slab->ops->alloc_bulk(m, cache, gfp, n, addrs, req, &done);
	} else {
		for (; done < n; done++) {
			r = m->slab->ops->alloc(m, cache, gfp, &addrs[done], req);
			if (r || !addrs[done] || m->slab->bug)
				break;
		}
		if (done < n && !r)
			r = -ENOMEM;
	}
	if (r || m->slab->bug) {
		m->slab->bug = false;
		char why[sizeof m->err];
		memcpy(why, m->err, sizeof why);
		for (size_t i = 0; i < done; i++)
			slab_cache_free(m, cache, addrs[i]);
		memcpy(m->err, why, sizeof why);
		return r ? r : -EINVAL;
	}
	return 0;
}

bool slab_highmem_unmapped(struct machine *m, gfp_t gfp, const char *fn)
{
	const struct kernel_profile *kp = m->kp;
	if (kp->kv != KV_2_6_32 || !(gfp & kp->gfp_highmem))
		return false;
	unsigned bits = ((gfp & kp->gfp_dma) ? 1 : 0) | ((gfp & kp->gfp_highmem) ? 2 : 0) |
			((gfp & kp->gfp_dma32) ? 4 : 0) | ((gfp & kp->gfp_movable) ? 8 : 0);
	/* the preferred zone: the first populated one of the zonelist (a
	 * HighMem zone below its watermarks would fall back to Normal; the
	 * model asks about the zone the request aims at) */
	int z = m->zl_highest[bits];
	while (z > 0 && !m->zones[z].present)
		z--;
	if (z < 0 || (m->zones[z].kind != ZK_HIGHMEM && m->zones[z].kind != ZK_MOVABLE))
		return false;
	model_err(m, "%s: __GFP_HIGHMEM gives a %s page, whose page_address() is NULL (not "
		 "kmapped): 2.6.32 returns NULL and leaks the page; refused (use alloc_pages + kmap)", fn,
		 m->zones[z].name);
	return true;
}

/* Free an object of cache (known) at addr in a slab, oi being
 * slab_object_info() of addr. */
static int free_object_at(struct machine *m, int cache, uint64_t addr, const struct object_info *o)
{
	const struct object_info oi = *o;
	struct kmem_cache *c = &m->slab->caches[cache];
	if (!oi.found || oi.large) {
		model_err(m, "%#llx is not in any slab of %s", (unsigned long long)addr, c->name);
		return -EINVAL;
	}
	if (oi.index == ~0u || oi.offset != 0) {
		if (m->slab->ops->report_invalid)
			m->slab->ops->report_invalid(m, cache, oi.slab, addr);
		model_err(m, "%#llx is not the start of an object (%s: inside object %u of the "
			 "slab at pfn %#llx, offset %d)", (unsigned long long)addr, c->name, oi.index,
			 (unsigned long long)oi.slab_pfn, oi.offset);
		return -EINVAL;
	}
	return m->slab->ops->free(m, cache, oi.slab, oi.index);
}

static int slab_free_object(struct machine *m, int cache, uint64_t addr)
{
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	return free_object_at(m, cache, addr, &oi);
}

int slab_cache_free(struct machine *m, int cache, uint64_t addr)
{
	struct kmem_cache *c = live_cache(m, cache);
	if (!c)
		return -EINVAL;
	if (addr == 0)
		return 0;   /* kmem_cache_free(s, NULL) is a no-op in 6.13 */
	if (m->slab->ops->free_block) {
		int r = m->slab->ops->free_block(m, addr, cache);
		if (r != -ENOENT)
			return r;
		/* SLOB's objects of a page or more: slob_free_pages() */
		struct object_info li;
		slab_object_info(m, addr, &li);
		if (!li.large) {
			model_err(m, "%#llx is not an object of %s", (unsigned long long)addr, c->name);
			return -EINVAL;
		}
		return slab_kfree(m, addr);
	}
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	if (oi.found && !oi.large && oi.cache != cache) {
		/* 6.13 cache_from_obj() with SLAB_FREELIST_HARDENED */
		dmesg_printf(m, "------------[ cut here ]------------");
		dmesg_printf(m, "kmem_cache_free: Wrong slab cache. %s but object is from %s", c->name,
			     m->slab->caches[oi.cache].name);
		model_err(m, "%#llx belongs to cache %s, not %s (the kernel warns: Wrong slab "
			 "cache)", (unsigned long long)addr, m->slab->caches[oi.cache].name, c->name);
		return -EINVAL;
	}
	return free_object_at(m, cache, addr, &oi);   /* slab_object_info() once */
}

/* ---- kmalloc ---------------------------------------------------------------------------------- */

SLAB_API_INLINE int slab_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	m->err[0] = '\0';
	if (!m->slab) {
		model_err(m, "no slab allocator on this machine");
		return -ENODEV;
	}
	if (CONTEXT_MAYBE_ATOMIC(m))
		context_might_alloc(m, gfp, false);
	/* refuse_on_bug() with m->slab loaded once for the whole call */
	struct slab_state *st = m->slab;
	st->bug = false;
	int r = slab_ops_kmalloc(m, st, size, gfp, addr);
	if (!st->bug)
		return r;
	st->bug = false;
	*addr = 0;
	return -EINVAL;
}

/* large kmalloc bookkeeping shared by the implementations */
int slab_large_add(struct machine *m, uint64_t pfn, size_t size, unsigned order)
{
	struct slab_state *st = m->slab;
	if (st->large_used == st->large_cap) {
		size_t nc = st->large_cap ? st->large_cap * 2 : 64;
		struct large_alloc *nv = realloc(st->large, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		st->large = nv;
		st->large_cap = nc;
	}
	if (map_put(st, pfn, (uint32_t)st->large_used | LARGE_TAG))
		return -ENOMEM;
	st->large[st->large_used++] = (struct large_alloc){ pfn, size, (uint8_t)order };
	/* 6.13 counts large kmallocs as NR_SLAB_UNRECLAIMABLE_B; 2.6.32's
	 * kmalloc_large() does not */
	if (m->kp->kv != KV_2_6_32)   /* 6.1 kmalloc_large_node_notrace() too */
		st->unreclaimable_pages += 1ull << order;
	return 0;
}

/* 6.13 mm/internal.h GFP_SLAB_BUG_MASK: __GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK */
gfp_t slab_kmalloc_fix_flags(struct machine *m, gfp_t gfp)
{
	const struct kernel_profile *kp = m->kp;
	gfp_t bug = kp->gfp_dma32 | kp->gfp_highmem;
	if (!(gfp & bug))
		return gfp;
	gfp_t fixed = gfp & ~bug;
	char a[128], b[128];
	gfp_format(kp, gfp, a, sizeof a);
	gfp_format(kp, fixed, b, sizeof b);
	/* mm/slub.c kmalloc_fix_flags() */
	dmesg_printf(m, "Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!", gfp, a, fixed, b);
	return fixed;
}

/* __kmalloc_large_node(): straight to the page allocator (SLUB; 6.1's
 * SLAB too: mm/slab_common.c __do_kmalloc_node()) */
__attribute__((noinline)) int slab_kmalloc_large(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	const struct kernel_profile *kp = m->kp;
	bool old = kp->kv == KV_2_6_32;
	unsigned order = slab_get_order(size);
	if (!old)
		gfp = slab_kmalloc_fix_flags(m, gfp);
	else if (slab_highmem_unmapped(m, gfp, "kmalloc_large() -> __get_free_pages()"))
		return -EINVAL;
	uint64_t pfn;
	int r = buddy_alloc_pages(m, gfp | kp->gfp_comp, order, &pfn);
	if (r == -EINVAL && order <= MAX_ORDER_MODEL)
		return r;
	if (r) {
		if (order > MAX_ORDER_MODEL)
			model_err(m, "%zu bytes is above KMALLOC_MAX_SIZE (4 MiB): order %u > "
				 "MAX_ORDER, the page allocator warns and kmalloc returns NULL", size, order);
		*addr = 0;
		return 0;
	}
	if (slab_large_add(m, pfn, size, order)) {
		buddy_free_pages(m, pfn, order);
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	*addr = machine_pfn_to_vaddr(m, pfn);
	slab_log(m, CH_LARGE, -1, SLAB_NONE, pfn, order, 0, *addr, 0, 1);
	return 0;
}

/* kfree() of anything but an object start on a slab's first page:
 * kfree(NULL), SLOB's blocks, large kmallocs, tail pages, and every error */
static __attribute__((noinline)) int kfree_general(struct machine *m, uint64_t addr)
{
	if (!m->slab) {
		model_err(m, "no slab allocator on this machine");
		return -ENODEV;
	}
	/* kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing */
	if (addr <= ZERO_SIZE_PTR)
		return 0;
	if (m->slab->ops->free_block) {
		int r = m->slab->ops->free_block(m, addr, -1);
		if (r != -ENOENT)
			return r;
	}
	uint64_t pfn = 0, off = 0;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off)) {
		model_err(m, "%#llx is not a direct-mapped kernel address: kfree() of memory "
			 "the slab layer never handed out", (unsigned long long)addr);
		return -EINVAL;
	}
	struct large_alloc *la = large_find(m->slab, pfn);
	if (la && off == 0) {
		/* free_large_kmalloc(): folio_put() of the compound page */
		unsigned order = la->order;
		int r = buddy_free_pages(m, pfn, order);
		if (r)
			return r;
		if (m->kp->kv != KV_2_6_32)
			m->slab->unreclaimable_pages -= 1ull << order;
		slab_log(m, CH_LARGE, -1, SLAB_NONE, pfn, order, 0, addr, 1, 0);
		large_remove(m->slab, la);
		return 0;
	}
	uint32_t id = slab_of_addr(m, addr);
	if (id == SLAB_NONE) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		if (m->kp->kv != KV_2_6_32 && m->slab->impl == SLAB_IMPL_SLUB) {
			/* kfree() of a non-slab folio: free_large_kmalloc() warns
			 * "WARN_ON_ONCE(!folio_test_large(folio))" for order-0 pages
			 * (6.1.192 mm/slab_common.c:904, WARN_ON_ONCE(order == 0)) */
			dmesg_printf(m, "------------[ cut here ]------------");
			if (m->kp->kv == KV_6_1)
				dmesg_printf(m, "WARNING: CPU: %u PID: 1 at mm/slab_common.c:904 free_large_kmalloc",
					     machine_this_cpu(m));
			else
				dmesg_printf(m, "WARNING: CPU: %u PID: 1 at mm/slub.c kfree", machine_this_cpu(m));
			m->taint |= 1ul << TAINT_WARN;
		}
		model_err(m, "%#llx is not memory the slab layer handed out (pfn %#llx is %s)",
			 (unsigned long long)addr, (unsigned long long)pfn,
			 pi.state == PS_FREE ? _("free in the buddy allocator") :
			 pi.state == PS_ALLOCATED ? _("a page-allocator block, not a slab") :
			 pi.state == PS_RESERVED ? _("reserved") : _("not RAM"));
		return -EINVAL;
	}
	int cache = (int)m->slab->slabs[id].cache;
	return slab_free_object(m, cache, addr);
}

SLAB_API_INLINE int slab_kfree(struct machine *m, uint64_t addr)
{
	m->err[0] = '\0';
	/* Fast path, as slab_free() after virt_to_slab() and obj_to_index()
	 * (mm/slub.c): an object start on the first page of a slab, for the
	 * allocators with slabs (ops->free: SLUB and SLAB, not SLOB) */
	uint32_t id;
	unsigned idx;
	if (m->slab && m->slab->impl != SLAB_IMPL_SLOB && slab_locate_fast(m, addr, &id, &idx))
		return slab_ops_free(m, (int)m->slab->slabs[id].cache, id, idx, addr);
	return kfree_general(m, addr);
}

static int ksize_common(struct machine *m, uint64_t addr, size_t *size, bool skip_orig);

int slab_ksize(struct machine *m, uint64_t addr, size_t *size)
{
	return ksize_common(m, addr, size, true);
}

/* ksize(); skip_orig: as the kernel's ksize() does, let the caller use the
 * whole object from now on (krealloc() looks without doing that) */
static int ksize_common(struct machine *m, uint64_t addr, size_t *size, bool skip_orig)
{
	m->err[0] = '\0';
	if (addr == ZERO_SIZE_PTR) {
		*size = 0;
		return 0;
	}
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	if (!oi.found || (!oi.large && (oi.index == ~0u || !oi.allocated))) {
		model_err(m, "%#llx is not an allocated kmalloc object", (unsigned long long)addr);
		return -EINVAL;
	}
	if (oi.large) {
		*size = (size_t)PAGE_SIZE << oi.large_order;
		return 0;
	}
	*size = m->slab->ops->ksize(m, &oi);
	/* 6.13 skip_orig_size_check(): whoever asked may use it all */
	if (skip_orig && m->slab->ops->skip_orig_size_check)
		m->slab->ops->skip_orig_size_check(m, &m->slab->slabs[oi.slab], oi.index);
	return 0;
}

/* krealloc(): same object when it still fits (ksize), else new + copy + free */
int slab_krealloc(struct machine *m, uint64_t addr, size_t size, gfp_t gfp, uint64_t *out)
{
	m->err[0] = '\0';
	if (addr <= ZERO_SIZE_PTR)
		return slab_kmalloc(m, size, gfp, out);
	if (size == 0) {
		int r = slab_kfree(m, addr);
		if (!r)
			*out = ZERO_SIZE_PTR;
		return r;
	}
	/* SLOB: a kmem_cache object has no size header; kfree() and ksize()
	 * would read garbage and the model's kfree() refuses it, so refuse
	 * here, before a new block (and perhaps a page) is allocated */
	struct object_info ci;
	slab_object_info(m, addr, &ci);
	if (ci.found && ci.slob && ci.cache >= 0) {
		model_err(m, "%#llx was allocated from cache %s, not by kmalloc: SLOB's krealloc() "
			 "would read a size header it has not (use kmem_cache_alloc and kmem_cache_free)",
			 (unsigned long long)addr, m->slab->caches[ci.cache].name);
		return -EINVAL;
	}
	size_t ks;
	if (ksize_common(m, addr, &ks, false))
		return -EINVAL;
	if (size <= ks) {
		struct object_info oi;
		slab_object_info(m, addr, &oi);
		/* SLUB/SLAB track the requested size; SLOB's krealloc() leaves
		 * the size header alone (ksize() reads it, rounded to units) */
		if (!oi.large && !oi.slob) {
			m->slab->slabs[oi.slab].req[oi.index] = (uint32_t)size;
			slab_mem_on_krealloc(m, &m->slab->slabs[oi.slab], oi.index, size, gfp);
		}
		*out = addr;
		return 0;
	}
	/* the move ends in kfree(addr): refuse what kfree() would refuse
	 * (an address inside an object) before anything is allocated */
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	if (oi.object_addr != addr) {
		model_err(m, "%#llx is not the start of an object (%s, offset %d): krealloc() "
			 "would kfree() it", (unsigned long long)addr,
			 oi.large ? _("a large kmalloc") : oi.cache >= 0 ? m->slab->caches[oi.cache].name : _("a SLOB block"),
			 oi.offset);
		return -EINVAL;
	}
	uint64_t n;
	int r = slab_kmalloc(m, size, gfp, &n);
	if (r)
		return r;
	if (n == 0) {
		*out = 0;   /* the old object stays */
		return 0;
	}
	slab_mem_copy(m, n, addr);   /* nothing for SLOB's blocks: no slab holds them */
	/* kfree() returns nothing: when SLUB's debug checks keep the old
	 * object ("Object at ... not freed" in dmesg), krealloc() still
	 * hands out the new one */
	if (slab_kfree(m, addr))
		m->err[0] = '\0';
	*out = n;
	return 0;
}

/* ---- shrink / destroy ------------------------------------------------------------------------- */

int slab_cache_shrink(struct machine *m, int cache)
{
	m->err[0] = '\0';
	if (!m->slab || cache < 0 || (uint32_t)cache >= m->slab->nr_caches || !m->slab->caches[cache].live) {
		model_err(m, "no such cache");
		return -EINVAL;
	}
	return m->slab->ops->shrink ? m->slab->ops->shrink(m, cache) : 0;
}

int slab_cache_destroy(struct machine *m, int cache)
{
	m->err[0] = '\0';
	if (!m->slab || cache < 0 || (uint32_t)cache >= m->slab->nr_caches || !m->slab->caches[cache].live) {
		model_err(m, "no such cache");
		return -EINVAL;
	}
	struct kmem_cache *c = &m->slab->caches[cache];
	if (c->kmalloc) {
		model_err(m, "%s is a kmalloc cache; the kernel never destroys those", c->name);
		return -EINVAL;
	}
	if (cache == m->slab->meta_cache && m->slab->impl == SLAB_IMPL_SLAB && m->kp->kv == KV_2_6_32) {
		/* 2.6.32 mm/slab.c: cache_cache is a static struct, and
		 * __kmem_cache_destroy() ends in kmem_cache_free(&cache_cache,
		 * cachep) - of itself */
		model_err(m, "%s is 2.6.32 SLAB's static cache_cache: kmem_cache_destroy() would free it into "
			 "itself", c->name);
		return -EINVAL;
	}
	if (cache == m->slab->meta_cache || cache == m->slab->meta_node_cache) {
		/* 6.x mm/slab_common.c create_boot_cache(): refcount -1, so
		 * kmem_cache_destroy()'s --s->refcount is not 0 and it returns
		 * before shutdown_cache() */
		model_err(m, "%s is a boot cache of kmem_cache_init() (refcount -1): kmem_cache_destroy() only "
			 "lowers its refcount and never shuts it down", c->name);
		return -EINVAL;
	}
	unsigned nal = slab_cache_aliases(m, cache, NULL, 0);
	if (nal) {
		/* mm/slab_common.c kmem_cache_destroy(): --s->refcount, and only at
		 * 0 is the cache shut down; the model keeps no count per name */
		model_err(m, "%s is one cache for %u merged names (SLUB cache merging): "
			 "kmem_cache_destroy() would only drop a reference, which kmemsh does not model", c->name, nal + 1);
		return -EINVAL;
	}
	int r = m->slab->ops->destroy(m, cache);
	c = &m->slab->caches[cache];
	if (r) {
		/* SLAB's __cache_shrink() and SLUB's __kmem_cache_shutdown() flush
		 * the per-CPU caches and free empty slabs before they find the
		 * objects left: that part stays done, as in the kernel */
		model_err(m, "%s still has %llu objects: not destroyed%s", c->name,
			 (unsigned long long)c->active_objects,
			 m->slab->impl == SLAB_IMPL_SLOB ? ""
				 : _(" (its per-CPU objects were flushed and empty slabs freed first, as the kernel does)"));
		return r;
	}
	/* the kernel frees the struct kmem_cache (and its per-CPU parts, and
	 * SLUB's struct kmem_cache_node: free_kmem_cache_nodes()); a SLOB
	 * cache's leaked blocks still name it, so its slot waits */
	meta_free(m, cache);
	c->live = false;
	cache_unlink(m->slab, (uint32_t)cache);

	cache_free_percpu(m, c);
	if (c->active_objects || c->nr_slabs)
		c->zombie = true;
	else
		cache_slot_put(m->slab, (uint32_t)cache);
	return 0;
}

/* ---- init / destroy ---------------------------------------------------------------------------- */

static const struct slab_ops *const slab_ops_of[] = {
	[SLAB_IMPL_SLUB] = &slub_ops,
	[SLAB_IMPL_SLAB] = &slab_classic_ops,
	[SLAB_IMPL_SLOB] = &slob_ops,
};

int slab_init(struct machine *m, enum slab_impl impl, unsigned slub_debug)
{
	struct slab_state *st = calloc(1, sizeof *st);
	if (!st)
		return -ENOMEM;
	m->slab = st;
	st->impl = impl;
	st->free_slab_ids = SLAB_NONE;
	st->newest_cache = st->free_caches = SLAB_NONE;
	st->meta_cache = st->meta_node_cache = -1;
	st->cache_line = 64;   /* L1_CACHE_BYTES: X86_GENERIC i386, x86_64 */
	/* Debian 12's 686 kernel: "SLUB: HWalign=32" (cache_line_size()) */
	if (m->kp->kv == KV_6_1 && m->arch->bits == 32)
		st->cache_line = 32;
	st->slub_debug = slub_debug;
	memset(st->kmalloc_cache, -1, sizeof st->kmalloc_cache);
	memset(st->classic_cache, -1, sizeof st->classic_cache);
	st->ops = slab_ops_of[impl];
	int r = st->ops->setup(m);
	if (r) {
		slab_destroy_all(m);
		return r;
	}
	return 0;
}

void slab_destroy_all(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (!st)
		return;
	if (st->ops->teardown)
		st->ops->teardown(m);
	for (uint32_t i = 0; i < st->nr_slabs; i++)
		if (st->slabs[i].cache != SLAB_NONE) {
			free(st->slabs[i].fp);
			free(st->slabs[i].mem);
		}
	for (uint32_t i = 0; i < st->nr_caches; i++)
		cache_free_percpu(m, &st->caches[i]);
	free(st->caches);
	free(st->meta);
	free(st->aliases);
	free(st->name_hash);
	free(st->check_scratch);
	free(st->slabs);
	pfn_map_free(&st->map);
	free(st->large);
	free(st);
	m->slab = NULL;
}

/* ---- /proc/slabinfo ------------------------------------------------------------------------- */

void slab_cache_slabinfo(const struct machine *m, int cache, struct slabinfo_row *row)
{
	const struct slab_state *st = m->slab;
	const struct kmem_cache *c = &st->caches[cache];
	memset(row, 0, sizeof *row);
	row->objsize = c->g.size;
	row->objperslab = c->g.objects;
	row->pagesperslab = 1u << c->g.order;
	row->num_slabs = c->nr_slabs;
	row->num_objs = c->total_objects;
	if (st->ops->slabinfo)
		st->ops->slabinfo(m, c, row);
}

/* ---- invariants ------------------------------------------------------------------------------- */

/* slab pages and large kmallocs live in lowmem: they are used through
 * page_address() (the kernel never gives a slab HighMem, see slab_new()) */
static int check_lowmem(struct machine *m)
{
	struct slab_state *st = m->slab;
	for (uint32_t id = 0; id < st->nr_slabs; id++) {
		struct slab *s = &st->slabs[id];
		if (s->cache == SLAB_NONE || s->pfn < m->max_low_pfn)
			continue;
		model_err(m, "%s: slab at pfn %#llx is outside lowmem (max_low_pfn %#llx)",
			 st->caches[s->cache].name, (unsigned long long)s->pfn, (unsigned long long)m->max_low_pfn);
		return -EUCLEAN;
	}
	for (size_t i = 0; i < st->large_used; i++) {
		if (st->large[i].order == 0xff || st->large[i].pfn < m->max_low_pfn)
			continue;
		model_err(m, "kmalloc of %zu bytes at pfn %#llx is outside lowmem (max_low_pfn %#llx)",
			 st->large[i].size, (unsigned long long)st->large[i].pfn, (unsigned long long)m->max_low_pfn);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * One pass over the slabs sums slabs, objects, objects in use and cpu
 * partial slabs per cache; then each live cache's counters and lists are
 * compared with the sums.  The cost is O(slabs + objects + live caches):
 * destroyed caches cost nothing.
 */
enum { CK_SLABS, CK_OBJS, CK_ACTIVE, CK_MARKED, CK_NODE_SLABS,
       CK_NODE_OBJS = CK_NODE_SLABS + MAX_NUMNODES_MODEL, CK_N = CK_NODE_OBJS + MAX_NUMNODES_MODEL };

static int check_one_slab(struct machine *m, uint32_t id, uint64_t *usedp);

static int check_slab(struct machine *m, uint32_t id, uint64_t *sum, uint64_t *rec, uint64_t *unrec)
{
	struct slab_state *st = m->slab;
	struct slab *s = &st->slabs[id];
	uint64_t used = 0;
	int r = check_one_slab(m, id, &used);
	if (r)
		return r;
	if (st->caches[s->cache].flags & SLAB_RECLAIM_ACCOUNT_F)
		*rec += 1ull << s->order;
	else
		*unrec += 1ull << s->order;
	sum[CK_SLABS]++;
	sum[CK_OBJS] += s->objects;
	sum[CK_ACTIVE] += used;
	sum[CK_MARKED] += s->list == SL_CPU_PARTIAL;
	sum[CK_NODE_SLABS + s->node]++;
	sum[CK_NODE_OBJS + s->node] += s->objects;
	return 0;
}

/* one slab: its cache, objects, freelists and pages; *used gets the
 * objects in use (with SLUB's leaked ones) */
static int check_one_slab(struct machine *m, uint32_t id, uint64_t *usedp)
{
	struct slab_state *st = m->slab;
	struct slab *s = &st->slabs[id];
	if (s->cache >= st->nr_caches || (!st->caches[s->cache].live && !st->caches[s->cache].zombie)) {
		model_err(m, "slab at pfn %#llx belongs to no cache (%u)", (unsigned long long)s->pfn,
			 s->cache);
		return -EUCLEAN;
	}
	struct kmem_cache *c = &st->caches[s->cache];
	uint64_t used = 0, onlist = 0;
	for (uint32_t i = 0; i < s->objects; i++)
		used += s->req[i] != 0;
	/* free objects reachable from the slab's (and cpu's) freelists */
	uint32_t chains[2] = { s->freelist, SLAB_NONE };
	if (s->cpu >= 0 && st->impl == SLAB_IMPL_SLUB && c->cpu)
		chains[1] = c->cpu[s->cpu].freelist;
	for (int k = 0; k < 2; k++)
		for (uint32_t o = chains[k]; o != SLAB_NONE; o = s->fp[o]) {
			if (o >= s->objects || s->req[o]) {
				model_err(m, "%s: slab at pfn %#llx: freelist holds object %u, "
					 "which is %s", c->name, (unsigned long long)s->pfn, o,
					 o >= s->objects ? _("out of range") : _("allocated"));
				return -EUCLEAN;
			}
			if (++onlist > s->objects) {
				model_err(m, "%s: freelist loops", c->name);
				return -EUCLEAN;
			}
		}
	/* SLAB: objects in per-CPU arrays are allocated from the slab's view
	 * (inuse) but free for the user */
	uint64_t in_arrays = st->impl == SLAB_IMPL_SLAB ? s->inuse - used : 0;
	/* SLUB: objects lost to "Marking all objects used" count as in use */
	used += s->leaked;
	if (st->impl == SLAB_IMPL_SLAB ? (s->inuse < used) : (s->inuse != used)) {
		model_err(m, "%s: slab at pfn %#llx: inuse %u but %llu objects allocated",
			 c->name, (unsigned long long)s->pfn, s->inuse, (unsigned long long)used);
		return -EUCLEAN;
	}
	if (onlist + used + in_arrays != s->objects) {
		model_err(m, "%s: slab at pfn %#llx: %llu free on lists + %llu allocated "
			 "!= %u objects", c->name, (unsigned long long)s->pfn, (unsigned long long)onlist,
			 (unsigned long long)(used + in_arrays), s->objects);
		return -EUCLEAN;
	}
	struct page_info pi;
	buddy_page_info(m, s->pfn, &pi);
	if (pi.state != PS_ALLOCATED || pi.block_pfn != s->pfn || pi.order != s->order) {
		model_err(m, "%s: slab at pfn %#llx is not an allocated order-%u block",
			 c->name, (unsigned long long)s->pfn, s->order);
		return -EUCLEAN;
	}
	if (pfn_map_get(&st->map, s->pfn) != id) {
		model_err(m, "%s: slab at pfn %#llx is not found by its pfn", c->name,
			 (unsigned long long)s->pfn);
		return -EUCLEAN;
	}
	*usedp = used;
	return 0;
}

/* a cache's counters, cpu partial lists and node lists against the sums */
static int check_cache(struct machine *m, uint32_t ci, const uint64_t *sum)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = &st->caches[ci];
	if (sum[CK_SLABS] != c->nr_slabs || sum[CK_OBJS] != c->total_objects || sum[CK_ACTIVE] != c->active_objects) {
		model_err(m, "%s: counters say %llu slabs/%llu objects/%llu active, slabs "
			 "hold %llu/%llu/%llu", c->name, (unsigned long long)c->nr_slabs,
			 (unsigned long long)c->total_objects, (unsigned long long)c->active_objects,
			 (unsigned long long)sum[CK_SLABS], (unsigned long long)sum[CK_OBJS],
			 (unsigned long long)sum[CK_ACTIVE]);
		return -EUCLEAN;
	}
	/* kmem_cache_node's nr_slabs and total_objects */
	for (int n = 0; n < MAX_NUMNODES_MODEL; n++)
		if (sum[CK_NODE_SLABS + n] != st->meta[ci].nr_slabs[n] ||
		    sum[CK_NODE_OBJS + n] != st->meta[ci].total_objects[n]) {
			model_err(m, "%s: node %d's counters say %llu slabs/%llu objects, its slabs are "
				 "%llu/%llu", c->name, n, (unsigned long long)st->meta[ci].nr_slabs[n],
				 (unsigned long long)st->meta[ci].total_objects[n],
				 (unsigned long long)sum[CK_NODE_SLABS + n], (unsigned long long)sum[CK_NODE_OBJS + n]);
			return -EUCLEAN;
		}
	/* SLUB's cpu partial lists: lengths, and every slab marked so is on one */
	uint64_t on_cpu_partial = 0;
	for (unsigned cpu = 0; cpu < m->ncpus && st->impl == SLAB_IMPL_SLUB; cpu++) {
		uint64_t len = 0;
		for (uint32_t id = c->cpu[cpu].partial; id != SLAB_NONE; id = st->slabs[id].next) {
			if (id >= st->nr_slabs || st->slabs[id].cache != ci || st->slabs[id].list != SL_CPU_PARTIAL ||
			    ++len > st->nr_slabs) {
				model_err(m, "%s: CPU %u's partial list is broken", c->name, cpu);
				return -EUCLEAN;
			}
		}
		if (len != c->cpu[cpu].partial_slabs) {
			model_err(m, "%s: CPU %u's partial list holds %llu slabs, counted %u",
				 c->name, cpu, (unsigned long long)len, c->cpu[cpu].partial_slabs);
			return -EUCLEAN;
		}
		on_cpu_partial += len;
	}
	if (sum[CK_MARKED] != on_cpu_partial) {
		model_err(m, "%s: %llu slabs say they are on a cpu partial list, the lists hold "
			 "%llu", c->name, (unsigned long long)sum[CK_MARKED], (unsigned long long)on_cpu_partial);
		return -EUCLEAN;
	}
	/* list counts; each node's partial list holds that node's slabs only */
	struct slab_list_head *ls[MAX_NUMNODES_MODEL + 2] = { &c->full, &c->free };
	for (int k = 0; k < MAX_NUMNODES_MODEL; k++)
		ls[k + 2] = &c->partial[k];
	for (int k = 0; k < MAX_NUMNODES_MODEL + 2; k++) {
		uint64_t n = 0;
		for (uint32_t id = ls[k]->head; id != SLAB_NONE; id = st->slabs[id].next) {
			if (++n > st->nr_slabs)
				break;
			if (k < 2)
				continue;
			/* SLUB: the node of its pages; SLAB: one node, 0 */
			int z = machine_pfn_zone(m, st->slabs[id].pfn);
			unsigned nid = st->impl == SLAB_IMPL_SLUB && z >= 0 ? m->zones[z].nid : 0;
			if (st->slabs[id].node != k - 2 || nid != (unsigned)(k - 2)) {
				model_err(m, "%s: a slab of node %u is on node %d's partial list", c->name, nid, k - 2);
				return -EUCLEAN;
			}
		}
		if (n != ls[k]->count) {
			model_err(m, "%s: a slab list count is %llu, the list holds %llu", c->name,
				 (unsigned long long)ls[k]->count, (unsigned long long)n);
			return -EUCLEAN;
		}
	}
	return 0;
}

int slab_check(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (!st)
		return 0;
	int lr = check_lowmem(m);
	if (lr)
		return lr;
	if (st->ops->check)
		return st->ops->check(m);
	uint64_t *sum = realloc(st->check_scratch, (size_t)(st->nr_caches ? st->nr_caches : 1) * CK_N * sizeof *sum);
	if (!sum) {
		model_err(m, "slab check: out of memory");
		return -ENOMEM;
	}
	st->check_scratch = sum;
	memset(sum, 0, (size_t)st->nr_caches * CK_N * sizeof *sum);
	uint64_t rec = 0, unrec = 0;
	for (uint32_t id = 0; id < st->nr_slabs; id++) {
		if (st->slabs[id].cache == SLAB_NONE)
			continue;
		int r = check_slab(m, id, &sum[(size_t)st->slabs[id].cache * CK_N], &rec, &unrec);
		if (r)
			return r;
	}
	uint32_t live = 0;
	for (uint32_t ci = st->newest_cache; ci != SLAB_NONE; ci = st->caches[ci].older) {
		if (++live > st->nr_live_caches || !st->caches[ci].live ||
		    slab_cache_find(m, st->caches[ci].name) != (int)ci) {
			model_err(m, "the list of caches is broken at %u", ci);
			return -EUCLEAN;
		}
		int r = check_cache(m, ci, &sum[(size_t)ci * CK_N]);
		if (r)
			return r;
	}
	if (live != st->nr_live_caches) {
		model_err(m, "%u live caches counted, the list holds %u", st->nr_live_caches, live);
		return -EUCLEAN;
	}
	for (size_t i = 0; i < st->large_used && m->kp->kv != KV_2_6_32; i++)
		unrec += 1ull << st->large[i].order;
	if (rec != st->reclaimable_pages || unrec != st->unreclaimable_pages) {
		model_err(m, "slab page accounting: %llu/%llu recorded, %llu/%llu found",
			 (unsigned long long)st->reclaimable_pages, (unsigned long long)st->unreclaimable_pages,
			 (unsigned long long)rec, (unsigned long long)unrec);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * What --check looks at after a step (slab_check_step()): the slabs the
 * step's change log names (a new slab, an object handed out or freed, a
 * slab moved between lists, a SLAB refill), each checked whole as
 * slab_check() would, and their caches' counters against each other.  A
 * step that touched more than STEP_SLABS slabs, or whose log dropped
 * entries, gets the full slab_check().  SLOB keeps no slabs: its pages are
 * left to the full check.
 */
#define STEP_SLABS 64

static int check_cache_counters(struct machine *m, uint32_t ci)
{
	struct slab_state *st = m->slab;
	if (ci >= st->nr_caches || !st->caches[ci].live)
		return 0;   /* destroyed in this step */
	const struct kmem_cache *c = &st->caches[ci];
	uint64_t listed = c->full.count + c->free.count;
	for (int n = 0; n < MAX_NUMNODES_MODEL; n++)
		listed += c->partial[n].count;
	if (c->active_objects > c->total_objects || listed > c->nr_slabs || (c->nr_slabs == 0) != (c->total_objects == 0)) {
		model_err(m, "%s: counters disagree: %llu slabs (%llu on the node lists), %llu objects, "
			 "%llu active", c->name, (unsigned long long)c->nr_slabs, (unsigned long long)listed,
			 (unsigned long long)c->total_objects, (unsigned long long)c->active_objects);
		return -EUCLEAN;
	}
	if (slab_cache_find(m, c->name) != (int)ci) {
		model_err(m, "%s: not found by its name", c->name);
		return -EUCLEAN;
	}
	return 0;
}

/* SLAB: every slab on a cache's three lists */
static int check_cache_lists(struct machine *m, uint32_t ci)
{
	struct slab_state *st = m->slab;
	if (ci >= st->nr_caches || !st->caches[ci].live)
		return 0;
	const struct slab_list_head *ls[3] = { &st->caches[ci].partial[0], &st->caches[ci].full, &st->caches[ci].free };
	for (int k = 0; k < 3; k++) {
		uint64_t n = 0;
		for (uint32_t id = ls[k]->head; id != SLAB_NONE; id = st->slabs[id].next) {
			uint64_t used;
			if (id >= st->nr_slabs || st->slabs[id].cache != ci || ++n > ls[k]->count) {
				model_err(m, "%s: a slab list is broken", st->caches[ci].name);
				return -EUCLEAN;
			}
			int r = check_one_slab(m, id, &used);
			if (r)
				return r;
		}
	}
	return 0;
}

int slab_check_step(struct machine *m)
{
	struct slab_state *st = m->slab;
	if (!st || st->ops->check)
		return 0;
	if (m->log.dropped)
		return slab_check(m);
	uint32_t ids[STEP_SLABS], caches[STEP_SLABS];
	unsigned n = 0, nc = 0;
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *ch = &m->log.v[i];
		if (ch->kind != CH_SLAB_NEW && ch->kind != CH_SLAB_LIST && ch->kind != CH_OBJ_ALLOC &&
		    ch->kind != CH_OBJ_FREE && ch->kind != CH_SLAB_REFILL && ch->kind != CH_SLAB_DISCARD)
			continue;
		unsigned k = 0;
		while (k < nc && caches[k] != ch->cache)
			k++;
		if (k == nc) {
			if (nc == STEP_SLABS)
				return slab_check(m);
			caches[nc++] = ch->cache;
		}
		if (ch->kind == CH_SLAB_DISCARD)
			continue;
		if (ch->kind == CH_SLAB_REFILL && ch->pfn2 == SLAB_NONE && ch->mt == 3) {
			/* SLAB's free_block(): a batch back to slabs the log
			 * does not name; every slab of the cache is on its lists */
			int r = check_cache_lists(m, ch->cache);
			if (r)
				return r;
			continue;
		}
		uint32_t id = (uint32_t)ch->pfn2;
		/* a slab discarded later in the step, or its struct reused */
		if (id >= st->nr_slabs || st->slabs[id].cache == SLAB_NONE || st->slabs[id].pfn != ch->pfn)
			continue;
		k = 0;
		while (k < n && ids[k] != id)
			k++;
		if (k < n)
			continue;
		if (n == STEP_SLABS)
			return slab_check(m);
		ids[n++] = id;
	}
	for (unsigned k = 0; k < n; k++) {
		uint64_t used;
		int r = check_one_slab(m, ids[k], &used);
		if (r)
			return r;
	}
	for (unsigned k = 0; k < nc; k++) {
		int r = check_cache_counters(m, caches[k]);
		if (r)
			return r;
	}
	return 0;
}
