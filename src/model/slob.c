/*
 * slob.c - SLOB, the Simple List Of Blocks (mm/slob.c, Linux 2.6.32 and 6.1).
 *
 * SLOB is a first-fit heap for small systems.  Each SLOB page keeps an
 * address-ordered list of free blocks measured in 2-byte units
 * (SLOB_UNIT); partially free pages sit on one of three lists by the size
 * they serve (< 256 bytes, < 1024 bytes, the rest).  An allocation scans
 * its list for a page with enough free units, takes the first block that
 * fits (splitting off a head fragment when it must be aligned), and then
 * rotates the list so the next search starts at that page (Knuth's next
 * fit).  kmalloc() puts the size in a header of ARCH_KMALLOC_MINALIGN bytes
 * before the object; sizes of a page or more go straight to the page
 * allocator.  Freeing coalesces with the neighbouring free blocks; a page
 * that becomes entirely free goes back to the buddy allocator.  There are
 * no per-cache slabs and no /proc/slabinfo; a kmem_cache is just a size and
 * alignment (and its own struct is itself SLOB memory).
 *
 * 6.1's SLOB (removed in 6.4) is the same heap; its kmalloc header is
 * max(ARCH_KMALLOC_MINALIGN, arch_slab_minalign()) = 8 bytes on both
 * arches, a power-of-two kmalloc is aligned to its size (the block placed
 * so that block + header is: slob_page_alloc()'s align_offset), a cache's
 * alignment comes from mm/slab_common.c calculate_alignment() and its size
 * is rounded to SLOB units (plus struct slob_rcu for SLAB_TYPESAFE_BY_RCU),
 * and a large kmalloc of order 0 is not a compound page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/i18n.h"
#include "slab_impl.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define SLOB_UNIT 2u
#define SLOB_UNITS(size) (((size) + SLOB_UNIT - 1) / SLOB_UNIT)
#define PAGE_UNITS SLOB_UNITS(PAGE_SIZE)
#define SLOB_BREAK1 256
#define SLOB_BREAK2 1024
#define NO_LIST 0xffu

struct slob_block {
	uint16_t start, units;
};

struct slob_alloc_rec {
	uint16_t start, units;          /* the block handed out (header included) */
	uint32_t requested;             /* bytes asked for */
	int32_t cache;                  /* -1: kmalloc */
	uint16_t offset;                /* object address - block address (the kmalloc header) */
};

struct slob_page {
	uint64_t pfn;
	bool live;
	uint8_t list;                   /* 0 small, 1 medium, 2 large, NO_LIST when full */
	uint32_t next, prev;            /* list links (page ids) */
	unsigned units;                 /* free units */
	struct slob_block *free;        /* address order */
	unsigned nfree, cap_free;
	struct slob_alloc_rec *objs;
	unsigned nobjs, cap_objs;
};

struct slob_state {
	struct slob_page *pages;
	uint32_t npages, cap_pages;
	uint32_t head[3], tail[3];
	struct pfn_map map;             /* pfn -> page id (UINT32_MAX: freed) */
	unsigned minalign;              /* max(ARCH_KMALLOC_MINALIGN, ARCH_SLAB_MINALIGN) */
	unsigned cache_struct;          /* sizeof(struct kmem_cache) in SLOB */
	uint32_t *cache_block;          /* per cache: its struct's address (low 32 bits unused) */
	uint64_t *cache_addr;
	size_t ncache_addr;
};

static struct slob_state *S(const struct machine *m)
{
	return m->slab->slob;
}

/* ---- pfn map (the slab layer's, see slab.c) ------------------------------- */

static int map_set(struct slob_state *s, uint64_t pfn, uint32_t id)
{
	return pfn_map_put(&s->map, pfn, id);
}

static uint32_t map_find(const struct slob_state *s, uint64_t pfn)
{
	return pfn_map_get(&s->map, pfn);
}

/* ---- page lists -------------------------------------------------------------- */

static void list_add_head(struct slob_state *s, uint32_t id, int list)
{
	struct slob_page *sp = &s->pages[id];
	sp->list = (uint8_t)list;
	sp->prev = UINT32_MAX;
	sp->next = s->head[list];
	if (s->head[list] != UINT32_MAX)
		s->pages[s->head[list]].prev = id;
	else
		s->tail[list] = id;
	s->head[list] = id;
}

static void list_remove(struct slob_state *s, uint32_t id)
{
	struct slob_page *sp = &s->pages[id];
	if (sp->list == NO_LIST)
		return;
	int l = sp->list;
	if (sp->prev != UINT32_MAX)
		s->pages[sp->prev].next = sp->next;
	else
		s->head[l] = sp->next;
	if (sp->next != UINT32_MAX)
		s->pages[sp->next].prev = sp->prev;
	else
		s->tail[l] = sp->prev;
	sp->list = NO_LIST;
	sp->next = sp->prev = UINT32_MAX;
}

/* list_move_tail(slob_list, prev->next): the list now starts at id */
static void rotate_to(struct slob_state *s, int l, uint32_t id)
{
	if (s->head[l] == id)
		return;
	/* splice: [head .. prev(id)] goes after the tail */
	uint32_t old_head = s->head[l], old_tail = s->tail[l], before = s->pages[id].prev;
	s->pages[old_tail].next = old_head;
	s->pages[old_head].prev = old_tail;
	s->pages[before].next = UINT32_MAX;
	s->pages[id].prev = UINT32_MAX;
	s->head[l] = id;
	s->tail[l] = before;
}

static int list_for_size(size_t size)
{
	return size < SLOB_BREAK1 ? 0 : size < SLOB_BREAK2 ? 1 : 2;
}

/* ---- blocks within a page -------------------------------------------------------- */

static int free_insert(struct slob_page *sp, unsigned at, struct slob_block b)
{
	if (sp->nfree == sp->cap_free) {
		unsigned nc = sp->cap_free ? sp->cap_free * 2 : 8;
		struct slob_block *nv = realloc(sp->free, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		sp->free = nv;
		sp->cap_free = nc;
	}
	memmove(&sp->free[at + 1], &sp->free[at], (sp->nfree - at) * sizeof *sp->free);
	sp->free[at] = b;
	sp->nfree++;
	return 0;
}

static void free_remove(struct slob_page *sp, unsigned at)
{
	memmove(&sp->free[at], &sp->free[at + 1], (sp->nfree - at - 1) * sizeof *sp->free);
	sp->nfree--;
}

/* slob_page_alloc(): first fit with alignment (in bytes) of the block's
 * byte `offset` (6.1's align_offset: kmalloc's header; 2.6.32 aligns the
 * block itself, the same place when the header is the alignment); unit
 * index or -1 */
static int page_alloc(struct slob_state *s, uint32_t id, size_t size, unsigned align, unsigned offset)
{
	struct slob_page *sp = &s->pages[id];
	unsigned units = SLOB_UNITS((unsigned)size);
	for (unsigned i = 0; i < sp->nfree; i++) {
		unsigned cur = sp->free[i].start, avail = sp->free[i].units, delta = 0;
		if (align) {
			unsigned byte = cur * SLOB_UNIT;
			unsigned aligned = (byte + offset + align - 1) / align * align - offset;
			delta = (aligned - byte) / SLOB_UNIT;
		}
		if (avail < units + delta)
			continue;
		if (delta) {
			/* fragment the head to align: a free block of delta units
			 * stays in front */
			sp->free[i].units = (uint16_t)delta;
			if (free_insert(sp, i + 1, (struct slob_block){ (uint16_t)(cur + delta), (uint16_t)(avail - delta) }))
				return -1;
			i++;
			cur += delta;
			avail -= delta;
		}
		if (avail == units)
			free_remove(sp, i);   /* exact fit: unlink */
		else
			sp->free[i] = (struct slob_block){ (uint16_t)(cur + units), (uint16_t)(avail - units) };
		sp->units -= units;
		if (!sp->units)
			list_remove(s, id);   /* clear_slob_page_free() */
		return (int)cur;
	}
	return -1;
}

static uint32_t page_new(struct machine *m, gfp_t gfp, int list)
{
	struct slob_state *s = S(m);
	uint64_t pfn;
	/* slob_new_pages(gfp & ~__GFP_ZERO, 0) */
	if (slab_highmem_unmapped(m, gfp, "slob_new_pages()"))
		return UINT32_MAX - 1;
	if (buddy_alloc_pages(m, gfp & ~m->kp->gfp_zero, 0, &pfn))
		return UINT32_MAX;
	uint32_t id = UINT32_MAX;
	for (uint32_t i = 0; i < s->npages; i++)
		if (!s->pages[i].live) {
			id = i;
			break;
		}
	if (id == UINT32_MAX) {
		if (s->npages == s->cap_pages) {
			uint32_t nc = s->cap_pages ? s->cap_pages * 2 : 64;
			struct slob_page *nv = realloc(s->pages, nc * sizeof *nv);
			if (!nv) {
				buddy_free_pages(m, pfn, 0);
				return UINT32_MAX;
			}
			s->pages = nv;
			s->cap_pages = nc;
		}
		id = s->npages++;
	}
	struct slob_page *sp = &s->pages[id];
	memset(sp, 0, sizeof *sp);
	sp->pfn = pfn;
	sp->live = true;
	sp->list = NO_LIST;
	sp->units = PAGE_UNITS;
	if (free_insert(sp, 0, (struct slob_block){ 0, (uint16_t)PAGE_UNITS }) || map_set(s, pfn, id)) {
		free(sp->free);
		sp->live = false;
		buddy_free_pages(m, pfn, 0);
		return UINT32_MAX;
	}
	list_add_head(s, id, list);   /* set_slob_page_free(sp, slob_list) */
	slab_log(m, CH_SLAB_NEW, -1, SLAB_NONE, pfn, 0, PAGE_UNITS, 0, SL_NONE, SL_PARTIAL);
	return id;
}

static void page_release(struct machine *m, uint32_t id)
{
	struct slob_state *s = S(m);
	struct slob_page *sp = &s->pages[id];
	list_remove(s, id);
	slab_log(m, CH_SLAB_DISCARD, -1, SLAB_NONE, sp->pfn, 0, 0, 0, SL_PARTIAL, SL_NONE);
	buddy_free_pages(m, sp->pfn, 0);
	map_set(s, sp->pfn, UINT32_MAX);
	free(sp->free);
	free(sp->objs);
	memset(sp, 0, sizeof *sp);
	sp->list = NO_LIST;
}

static int rec_add(struct slob_page *sp, struct slob_alloc_rec r)
{
	if (sp->nobjs == sp->cap_objs) {
		unsigned nc = sp->cap_objs ? sp->cap_objs * 2 : 16;
		struct slob_alloc_rec *nv = realloc(sp->objs, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		sp->objs = nv;
		sp->cap_objs = nc;
	}
	sp->objs[sp->nobjs++] = r;
	return 0;
}

/*
 * slob_alloc(): returns the block's page and unit, or -ENOMEM / NULL
 * (page id UINT32_MAX) when no page could be had.
 */
static int slob_alloc(struct machine *m, size_t size, gfp_t gfp, unsigned align, unsigned offset, uint32_t *pid,
		      int *unit)
{
	struct slob_state *s = S(m);
	int l = list_for_size(size);
	for (uint32_t id = s->head[l]; id != UINT32_MAX; id = s->pages[id].next) {
		if (s->pages[id].units < SLOB_UNITS((unsigned)size))
			continue;
		int u = page_alloc(s, id, size, align, offset);
		if (u < 0)
			continue;
		/* start the next search here (Knuth vol 1, 2.5); a page that
		 * just became full has left the list already */
		if (s->pages[id].list == l)
			rotate_to(s, l, id);
		*pid = id;
		*unit = u;
		return 0;
	}
	uint32_t id = page_new(m, gfp, l);
	if (id == UINT32_MAX - 1)
		return -EINVAL;         /* a HighMem page: slab_highmem_unmapped() */
	if (id == UINT32_MAX) {
		*pid = UINT32_MAX;
		return 0;
	}
	*pid = id;
	*unit = page_alloc(s, id, size, align, offset);
	return 0;
}

/* slob_free(): coalesce into the page's free list; an entirely free page
 * goes back to the page allocator */
static void slob_free(struct machine *m, uint32_t id, unsigned start, size_t size)
{
	struct slob_state *s = S(m);
	struct slob_page *sp = &s->pages[id];
	unsigned units = SLOB_UNITS((unsigned)size);
	if (sp->units + units == PAGE_UNITS) {
		page_release(m, id);
		return;
	}
	if (sp->list == NO_LIST) {
		/* the page is about to become partially free */
		sp->units = units;
		sp->nfree = 0;
		free_insert(sp, 0, (struct slob_block){ (uint16_t)start, (uint16_t)units });
		list_add_head(s, id, list_for_size(size));
		return;
	}
	sp->units += units;
	unsigned i = 0;
	while (i < sp->nfree && sp->free[i].start < start)
		i++;
	struct slob_block b = { (uint16_t)start, (uint16_t)units };
	if (i < sp->nfree && b.start + b.units == sp->free[i].start) {
		b.units = (uint16_t)(b.units + sp->free[i].units);
		free_remove(sp, i);
	}
	if (i > 0 && sp->free[i - 1].start + sp->free[i - 1].units == b.start) {
		sp->free[i - 1].units = (uint16_t)(sp->free[i - 1].units + b.units);
		return;
	}
	free_insert(sp, i, b);
}

/* ---- the kmalloc and kmem_cache front end ----------------------------------------- */

/* kmem_cache_init(): SLOB's lists, no kmalloc caches */
static int setup(struct machine *m)
{
	struct slob_state *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	m->slab->slob = s;
	for (int l = 0; l < 3; l++)
		s->head[l] = s->tail[l] = UINT32_MAX;
	/* ARCH_KMALLOC_MINALIGN / ARCH_SLAB_MINALIGN default to
	 * __alignof__(unsigned long) in 2.6.32's slob.c; 6.1's
	 * __do_kmalloc_node(): max(ARCH_KMALLOC_MINALIGN, arch_slab_minalign()),
	 * both __alignof__(unsigned long long), 8 with GCC on i386 too */
	bool v2632 = m->kp->kv == KV_2_6_32;
	s->minalign = v2632 ? m->arch->bits / 8 : 8;
	/* 2.6.32: struct kmem_cache { unsigned size, align; unsigned long
	 * flags; const char *name; void (*ctor)(void *); }.  6.1 mm/slab.h
	 * (CONFIG_SLOB): object_size, size, align, flags, useroffset,
	 * usersize, name, refcount, ctor, list: 44 bytes on i386, 64 on
	 * x86_64; kmem_cache_boot's align is ARCH_KMALLOC_MINALIGN (8) */
	if (v2632)
		s->cache_struct = m->arch->bits == 64 ? 32 : 20;
	else
		s->cache_struct = m->arch->bits == 64 ? 64 : 44;
	return 0;
}

static void teardown(struct machine *m)
{
	struct slob_state *s = m->slab ? m->slab->slob : NULL;
	if (!s)
		return;
	for (uint32_t i = 0; i < s->npages; i++) {
		free(s->pages[i].free);
		free(s->pages[i].objs);
	}
	free(s->pages);
	pfn_map_free(&s->map);
	free(s->cache_addr);
	free(s);
	m->slab->slob = NULL;
}

static uint64_t block_addr(const struct machine *m, const struct slob_page *sp, unsigned unit)
{
	return machine_pfn_to_vaddr(m, sp->pfn) + (uint64_t)unit * SLOB_UNIT;
}

/* allocate `size` bytes aligned to `align` with an `offset`-byte header */
static int alloc_block(struct machine *m, size_t size, gfp_t gfp, unsigned align, unsigned header,
		       size_t requested, int cache, uint64_t *addr)
{
	uint32_t id;
	int unit;
	int r = slob_alloc(m, size, gfp, align, header, &id, &unit);
	if (r)
		return r;
	if (id == UINT32_MAX || unit < 0) {
		*addr = 0;
		return 0;
	}
	struct slob_page *sp = &S(m)->pages[id];
	struct slob_alloc_rec rec = { (uint16_t)unit, (uint16_t)SLOB_UNITS((unsigned)size), (uint32_t)requested,
				      cache, (uint16_t)header };
	if (rec_add(sp, rec))
		return -ENOMEM;
	*addr = block_addr(m, sp, (unsigned)unit) + header;
	if (cache >= 0)
		m->slab->caches[cache].active_objects++;
	slab_log(m, CH_OBJ_ALLOC, cache < 0 ? -1 : cache, SLAB_NONE, sp->pfn, 0, (uint32_t)unit, *addr, 0, 0);
	return 0;
}

/* the allocation record behind an address, or NULL */
static struct slob_alloc_rec *find_rec(const struct machine *m, uint64_t addr, uint32_t *pid)
{
	uint64_t pfn = 0, off = 0;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return NULL;
	uint32_t id = map_find(S(m), pfn);
	if (id == UINT32_MAX)
		return NULL;
	struct slob_page *sp = &S(m)->pages[id];
	*pid = id;
	for (unsigned i = 0; i < sp->nobjs; i++) {
		struct slob_alloc_rec *r = &sp->objs[i];
		uint64_t a = block_addr(m, sp, r->start);
		if (addr >= a && addr < a + (uint64_t)r->units * SLOB_UNIT)
			return r;
	}
	return NULL;
}

static bool owns(const struct machine *m, uint64_t addr)
{
	uint64_t pfn = 0, off = 0;
	if (!m->slab || !m->slab->slob || machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return false;
	return map_find(S(m), pfn) != UINT32_MAX;
}

/* __kmalloc_node() */
static int do_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	unsigned minalign = S(m)->minalign;
	if (size == 0) {
		*addr = ZERO_SIZE_PTR;
		return 0;
	}
	if (size < PAGE_SIZE - minalign) {
		/* 6.1: "For power of two sizes, guarantee natural alignment" */
		unsigned align = minalign;
		if (m->kp->kv != KV_2_6_32 && !(size & (size - 1)) && size > minalign)
			align = (unsigned)size;
		return alloc_block(m, size + minalign, gfp, align, minalign, size, -1, addr);
	}
	/* a page or more: the page allocator, size kept in page->private;
	 * 6.1 adds __GFP_COMP only "if (likely(order))" */
	unsigned order = slab_get_order(size);
	uint64_t pfn;
	if (slab_highmem_unmapped(m, gfp, "__kmalloc_node() -> slob_new_pages()"))
		return -EINVAL;
	gfp_t comp = m->kp->kv == KV_2_6_32 || order ? m->kp->gfp_comp : 0;
	int r = buddy_alloc_pages(m, gfp | comp, order, &pfn);
	if (r == -EINVAL && order <= MAX_ORDER_MODEL)
		return r;
	if (r) {
		*addr = 0;
		return 0;
	}
	if (slab_large_add(m, pfn, size, order)) {
		buddy_free_pages(m, pfn, order);
		return -ENOMEM;
	}
	*addr = machine_pfn_to_vaddr(m, pfn);
	slab_log(m, CH_LARGE, -1, SLAB_NONE, pfn, order, 0, *addr, 0, 1);
	return 0;
}

/* kfree() (cache -1), kmem_cache_free(): 0 freed, -ENOENT not SLOB
 * memory, -EINVAL refused (m->err) */
static int free_block(struct machine *m, uint64_t addr, int cache)
{
	uint32_t id;
	struct slob_alloc_rec *r = find_rec(m, addr, &id);
	if (!r) {
		if (!owns(m, addr))
			return -ENOENT;
		model_err(m, "%#llx is not an allocated SLOB block (a double free? SLOB keeps no "
			 "checks: the kernel would corrupt its free list): refused", (unsigned long long)addr);
		return -EINVAL;
	}
	struct slob_page *sp = &S(m)->pages[id];
	uint64_t obj = block_addr(m, sp, r->start) + r->offset;
	if (addr != obj) {
		model_err(m, "%#llx is inside the SLOB block at %#llx, not its start: refused",
			 (unsigned long long)addr, (unsigned long long)obj);
		return -EINVAL;
	}
	if (r->cache >= 0 && !m->slab->caches[r->cache].live) {
		/* its cache was destroyed with it inside: SLOB leaks it, and no free is right */
		model_err(m, "%#llx was allocated from cache %s, destroyed since with this "
			 "object still in it (SLOB leaked the block; a later cache of that name is another "
			 "cache): refused", (unsigned long long)addr, m->slab->caches[r->cache].name);
		return -EINVAL;
	}
	if (r->cache != cache) {
		model_err(m, "%#llx was allocated %s%s%s; SLOB does not check, but this is a "
			 "bug: refused", (unsigned long long)addr, r->cache < 0 ? _("by kmalloc") : _("from cache "),
			 r->cache < 0 ? "" : m->slab->caches[r->cache].name,
			 cache < 0 ? _(" (use kmem_cache_free)") : _(" (use kfree)"));
		return -EINVAL;
	}
	unsigned start = r->start;
	/* kfree(): slob_free(m, *m + align); kmem_cache_free(): slob_free(b, c->size) */
	size_t size = cache < 0 ? r->requested + r->offset : m->slab->caches[cache].g.size;
	if (cache >= 0)
		m->slab->caches[cache].active_objects--;
	slab_log(m, CH_OBJ_FREE, cache < 0 ? -1 : cache, SLAB_NONE, sp->pfn, 0, start, addr, 0, 0);
	*r = sp->objs[--sp->nobjs];
	slob_free(m, id, start, size);
	return 0;
}

/* ksize() of a block: SLOB_UNITS(*m) * SLOB_UNIT of its size header */
static size_t ksize(const struct machine *m, const struct object_info *oi)
{
	(void)m;
	return SLOB_UNITS(oi->requested) * SLOB_UNIT;
}

/* a cache is a size and an alignment */
static int geometry(const struct machine *m, unsigned size, unsigned align, unsigned flags,
		    struct slab_geometry *g)
{
	(void)m;
	(void)flags;
	memset(g, 0, sizeof *g);
	g->object_size = g->size = size;
	g->align = align;
	return 0;
}

/* 6.1 mm/slab_common.c calculate_alignment(): SLAB_HWCACHE_ALIGN halves
 * the line while the object fits in half; at least arch_slab_minalign()
 * (8), a multiple of the word */
static unsigned calculate_alignment_61(const struct machine *m, unsigned flags, unsigned align, unsigned size)
{
	if (flags & SLAB_HWCACHE_ALIGN_F) {
		unsigned ralign = m->slab->cache_line;
		while (size <= ralign / 2)
			ralign /= 2;
		if (align < ralign)
			align = ralign;
	}
	if (align < 8)
		align = 8;
	unsigned word = m->arch->bits / 8;
	return (align + word - 1) / word * word;
}

/* kmem_cache_create(): the struct is SLOB memory; 2.6.32's alignment
 * (the line with SLAB_HWCACHE_ALIGN, at least ARCH_SLAB_MINALIGN), or
 * 6.1's (calculate_alignment(), then __kmem_cache_create(): room for
 * struct slob_rcu after an RCU-freed object, the size in whole units) */
static int cache_init(struct machine *m, int cache)
{
	struct slob_state *s = S(m);
	struct kmem_cache *c = &m->slab->caches[cache];
	unsigned align, size = c->g.object_size;
	if (m->kp->kv == KV_2_6_32) {
		align = (c->flags & SLAB_HWCACHE_ALIGN_F) ? m->slab->cache_line : 0;
		if (align < s->minalign)
			align = s->minalign;
		if (align < c->g.align)
			align = c->g.align;
	} else {
		align = calculate_alignment_61(m, c->flags, c->g.align, size);
		if (c->flags & SLAB_TYPESAFE_BY_RCU_F)
			size += m->arch->bits == 64 ? 24 : 12;   /* struct slob_rcu { rcu_head; int size; } */
		size = SLOB_UNITS(size) * SLOB_UNIT;
	}
	c->g.align = align;
	c->g.size = size;
	c->g.objects = 0;
	c->g.order = size >= PAGE_SIZE ? slab_get_order(size) : 0;
	uint64_t addr;
	int r = alloc_block(m, s->cache_struct, 0xd0 /* GFP_KERNEL */, s->minalign, 0, s->cache_struct, -2, &addr);
	if (r)
		return r;
	if ((size_t)cache >= s->ncache_addr) {
		size_t n = (size_t)cache + 16;
		uint64_t *nv = realloc(s->cache_addr, n * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		for (size_t i = s->ncache_addr; i < n; i++)
			nv[i] = 0;
		s->cache_addr = nv;
		s->ncache_addr = n;
	}
	s->cache_addr[cache] = addr;
	return 0;
}

/* kmem_cache_destroy() does not look for objects: they simply leak; the
 * cache's own struct is freed */
static int destroy(struct machine *m, int cache)
{
	struct slob_state *s = S(m);
	if ((size_t)cache < s->ncache_addr && s->cache_addr[cache])
		free_block(m, s->cache_addr[cache], -2);
	return 0;
}

/* the cache's struct kmem_cache: the block cache_init() took */
static uint64_t cache_struct(const struct machine *m, int cache)
{
	const struct slob_state *s = S(m);
	return (size_t)cache < s->ncache_addr ? s->cache_addr[cache] : 0;
}

/* kmem_cache_alloc_node() */
static int cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr, size_t requested)
{
	struct kmem_cache *c = &m->slab->caches[cache];
	if (c->g.size < PAGE_SIZE)
		return alloc_block(m, c->g.size, gfp, c->g.align, 0, requested, cache, addr);
	uint64_t pfn;
	if (slab_highmem_unmapped(m, gfp, "kmem_cache_alloc_node() -> slob_new_pages()"))
		return -EINVAL;
	if (buddy_alloc_pages(m, gfp, c->g.order, &pfn)) {
		*addr = 0;
		return 0;
	}
	if (slab_large_add(m, pfn, requested, c->g.order)) {
		buddy_free_pages(m, pfn, c->g.order);
		return -ENOMEM;
	}
	*addr = machine_pfn_to_vaddr(m, pfn);
	return 0;
}

/* what is at addr in a SLOB page: the block holding it, or nothing */
static void block_info(const struct machine *m, uint64_t addr, struct object_info *oi)
{
	uint32_t id;
	struct slob_alloc_rec *r = find_rec(m, addr, &id);
	if (!r) {
		if (!owns(m, addr))
			return;
		uint64_t pfn = 0, off = 0;
		machine_vaddr_to_pfn(m, addr, &pfn, &off);
		oi->found = true;
		oi->slob = true;
		oi->slab_pfn = pfn;
		oi->index = ~0u;
		return;
	}
	const struct slob_page *sp = &S(m)->pages[id];
	oi->found = true;
	oi->slob = true;
	oi->cache = r->cache;
	oi->slab_pfn = sp->pfn;
	oi->index = r->start;
	oi->object_addr = block_addr(m, sp, r->start) + r->offset;
	oi->offset = (int)((int64_t)addr - (int64_t)oi->object_addr);
	oi->allocated = true;
	oi->requested = r->requested;
	oi->slob_units = r->units;
}

static int check_page(struct machine *m, struct slob_page *sp);

/*
 * The SLOB pages and blocks against the buddy allocator's view and the
 * caches' counters: every live page is an allocated order-0 block the pfn
 * map finds; its units are all accounted for (free + blocks handed out =
 * the page); each live cache has as many blocks as it counts objects.
 */
static int check(struct machine *m)
{
	struct slob_state *s = S(m);
	uint32_t nc = m->slab->nr_caches;
	uint64_t *per_cache = nc ? calloc(nc, sizeof *per_cache) : NULL;
	if (nc && !per_cache) {
		model_err(m, "SLOB check: out of memory");
		return -ENOMEM;
	}
	int r = 0;
	for (uint32_t id = 0; id < s->npages && !r; id++) {
		struct slob_page *sp = &s->pages[id];
		if (!sp->live)
			continue;
		unsigned held = 0;
		for (unsigned i = 0; i < sp->nobjs; i++) {
			held += sp->objs[i].units;
			int32_t c = sp->objs[i].cache;
			if (c >= 0 && (uint32_t)c < nc)
				per_cache[c]++;
		}
		if (held + sp->units != PAGE_UNITS) {
			model_err(m, "SLOB page %#llx: %u units handed out + %u free != %u units in the "
				 "page", (unsigned long long)sp->pfn, held, sp->units, (unsigned)PAGE_UNITS);
			r = -EUCLEAN;
		} else if (map_find(s, sp->pfn) != id) {
			model_err(m, "SLOB page %#llx: not found by its pfn", (unsigned long long)sp->pfn);
			r = -EUCLEAN;
		} else {
			r = check_page(m, sp);
		}
	}
	for (uint32_t c = 0; c < nc && !r; c++) {
		const struct kmem_cache *kc = &m->slab->caches[c];
		if (kc->live && per_cache[c] != kc->active_objects) {
			model_err(m, "SLOB cache %s: %llu objects counted, %llu blocks in the pages",
				 kc->name, (unsigned long long)kc->active_objects, (unsigned long long)per_cache[c]);
			r = -EUCLEAN;
		}
	}
	free(per_cache);
	return r;
}

static int check_page(struct machine *m, struct slob_page *sp)
{
	{
		static uint8_t used[PAGE_UNITS];
		memset(used, 0, sizeof used);
		unsigned free_units = 0;
		for (unsigned i = 0; i < sp->nfree; i++) {
			struct slob_block b = sp->free[i];
			if (i && sp->free[i - 1].start + sp->free[i - 1].units >= b.start) {
				model_err(m, "SLOB page %#llx: free blocks out of order or not coalesced",
					 (unsigned long long)sp->pfn);
				return -EUCLEAN;
			}
			for (unsigned u = b.start; u < (unsigned)b.start + b.units && u < PAGE_UNITS; u++)
				used[u]++;
			free_units += b.units;
		}
		for (unsigned i = 0; i < sp->nobjs; i++)
			for (unsigned u = sp->objs[i].start; u < (unsigned)sp->objs[i].start + sp->objs[i].units && u < PAGE_UNITS; u++)
				used[u]++;
		if (free_units != sp->units) {
			model_err(m, "SLOB page %#llx: %u free units recorded, %u on its free list",
				 (unsigned long long)sp->pfn, sp->units, free_units);
			return -EUCLEAN;
		}
		for (unsigned u = 0; u < PAGE_UNITS; u++)
			if (used[u] > 1) {
				model_err(m, "SLOB page %#llx: unit %u is both free and allocated (or twice)",
					 (unsigned long long)sp->pfn, u);
				return -EUCLEAN;
			}
		if ((sp->units == 0) != (sp->list == NO_LIST)) {
			model_err(m, "SLOB page %#llx: on a list: %s, free units %u",
				 (unsigned long long)sp->pfn, sp->list == NO_LIST ? _("no") : _("yes"), sp->units);
			return -EUCLEAN;
		}
		struct page_info pi;
		buddy_page_info(m, sp->pfn, &pi);
		if (pi.state != PS_ALLOCATED || pi.block_pfn != sp->pfn) {
			model_err(m, "SLOB page %#llx is not an allocated page", (unsigned long long)sp->pfn);
			return -EUCLEAN;
		}
	}
	return 0;
}

/* for views: pages on each list */
unsigned slob_list_pages(const struct machine *m, int list, uint64_t *pfns, unsigned *units, unsigned max)
{
	const struct slob_state *s = S(m);
	unsigned n = 0;
	for (uint32_t id = s->head[list]; id != UINT32_MAX && n < max; id = s->pages[id].next, n++) {
		pfns[n] = s->pages[id].pfn;
		units[n] = s->pages[id].units;
	}
	return n;
}

const struct slab_ops slob_ops = {
	.setup = setup,
	.teardown = teardown,
	.geometry = geometry,
	.cache_init = cache_init,
	.destroy = destroy,
	.cache_struct = cache_struct,
	.kmalloc = do_kmalloc,
	.alloc = cache_alloc,
	.ksize = ksize,
	.free_block = free_block,
	.block_info = block_info,
	.owns = owns,
	.check = check,
};
