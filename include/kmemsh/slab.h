/*
 * slab.h - the slab layer: kmem_cache objects carved out of pages from the
 * buddy allocator, and kmalloc on top of them.
 *
 * One kmem_cache interface, three implementations chosen per machine:
 * SLUB (mm/slub.c; the 6.13 default), SLAB (mm/slab.c; the 2.6.32
 * default) and SLOB (mm/slob.c; 2.6.32).  The common part here owns the
 * caches, the slabs (2^order pages each), the object <-> address mapping
 * and the accounting; each implementation decides which object is handed
 * out and what happens to slabs as they fill and empty.
 */
#ifndef KMEMSH_SLAB_H
#define KMEMSH_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab_geometry.h"

enum slab_impl { SLAB_IMPL_SLUB, SLAB_IMPL_SLAB, SLAB_IMPL_SLOB };

#define SLAB_NONE 0xffffffffu
#define ZERO_SIZE_PTR 16u

/* which list a slab is on */
enum slab_list { SL_NONE, SL_CPU, SL_PARTIAL, SL_FULL, SL_FREE, SL_CPU_PARTIAL };

struct slab {
	uint32_t cache;                 /* index in slab_state.caches; SLAB_NONE = unused */
	uint32_t next, prev;            /* list links (slab ids) */
	uint64_t pfn;                   /* first page */
	uint8_t order;
	uint8_t list;                   /* enum slab_list */
	int16_t cpu;                    /* SLUB: the CPU whose cpu slab this is (frozen), -1 */
	uint32_t objects, inuse;
	uint32_t freelist;              /* first free object (slab freelist), SLAB_NONE = empty */
	uint32_t colour_off;            /* SLAB: bytes before the first object */
	/* cached for the hot paths: object idx starts at vaddr + base + idx * size */
	uint64_t vaddr;                 /* direct-map address of the first page */
	uint32_t base;                  /* colour + management + left red zone */
	uint32_t size;                  /* object stride (the cache's size) */
	uint64_t recip;                 /* UINT64_MAX / size + 1: offset / size by multiplication */
	uint32_t *fp;                   /* next free object per object (free pointer) */
	uint32_t *req;                  /* requested size per object; 0 = free (in fp's block) */
	uint64_t seq;                   /* creation order, for views */
	uint8_t *mem;                   /* the slab's bytes (PAGE_SIZE << order), NULL until
					 * something writes them: debug caches from the start,
					 * others at the first memset */
	uint32_t leaked;                /* SLUB: objects lost to "Marking all objects used" */
	uint8_t node;                   /* the kmem_cache_node whose partial list holds it:
					 * SLUB slab_nid() (its pages' node); SLAB (one
					 * node in the model) 0 */
	/* to 128 bytes on 64-bit hosts (113 used): slabs[id] on the kmalloc/kfree
	 * fast paths is a shift, not a multiply (asserted below) */
	uint8_t pad8_[3];
	uint32_t pad_[3];
};

struct slob_state;
struct slab_ops;

struct slab_list_head {
	uint32_t head, tail;
	uint64_t count;
};

/* SLAB: one entry of an array cache, the object (ac->entry[] in mm/slab.c)
 * with the slab and index that virt_to_slab() and obj_to_index() would
 * give back, kept beside it so that an allocation need not look them up */
struct slab_ac_entry {
	uint64_t obj;
	uint32_t slab, idx;
};

/* SLUB struct kmem_cache_cpu / SLAB struct array_cache, per CPU */
struct slab_cpu {
	uint32_t slab;                  /* SLUB: cpu slab, SLAB_NONE = none */
	uint32_t freelist;              /* SLUB: lockless freelist of the cpu slab */
	uint32_t partial;               /* SLUB: the cpu partial list (linked by next) */
	unsigned partial_slabs;         /* SLUB: its length (the head slab's slab->slabs) */
	/* SLAB: array cache of objects (LIFO) */
	struct slab_ac_entry *entry;
	unsigned avail, limit, batchcount;
	bool touched;
	uint32_t pad_[6];               /* to 64 bytes on 64-bit hosts: cpu[n] is a shift */
};

struct kmem_cache {
	char name[32];
	bool live;                      /* false after kmem_cache_destroy */
	bool zombie;                    /* destroyed with objects left (SLOB leaks them): the
					 * slot keeps its index while blocks name it */
	uint32_t hnext;                 /* next live cache in the name hash bucket */
	uint32_t newer, older;          /* the list of live caches, newest first (slab_caches /
					 * cache_chain); a freed slot's older links the free slots */
	bool kmalloc;                   /* a kmalloc cache */
	bool debug;                     /* SLUB 6.13 kmem_cache_debug(): no cpu slabs; SLAB: a
					 * CONFIG_DEBUG_SLAB cache with debug flags */
	bool stats;                     /* SLAB of a CONFIG_DEBUG_SLAB build: STATS counters */
	bool slow;                      /* SLAB: debug or stats, so the array cache's fast paths
					 * (which do neither) step aside */
	unsigned flags;                 /* SLAB_* */
	struct slab_geometry g;
	gfp_t allocflags;               /* added to the page allocation (GFP_DMA, __GFP_RECLAIMABLE, __GFP_COMP) */
	unsigned min_partial;           /* SLUB */
	unsigned cpu_partial, cpu_partial_slabs;   /* SLUB set_cpu_partial(); 0: no cpu partial lists */
	/* SLUB: each node's struct kmem_cache_node partial list, its count
	 * n->nr_partial; SLAB keeps one node's lists ([0], full, free) */
	struct slab_list_head partial[MAX_NUMNODES_MODEL];
	struct slab_list_head full, free;
	struct slab_cpu *cpu;           /* [ncpus] */
	struct slab_cpu shared;         /* SLAB shared array */
	unsigned colour_next;           /* SLAB */
	unsigned free_limit;            /* SLAB l3->free_limit */
	uint64_t nr_slabs, total_objects, active_objects;
	uint64_t free_objects;          /* SLAB l3->free_objects */
	uint64_t allocs, frees;
	/* SLAB STATS (CONFIG_DEBUG_SLAB): struct kmem_cache's counters */
	struct {
		uint64_t num_active, num_allocations, high_mark, grown, max_freeable;
		uint64_t allochit, allocmiss, freehit, freemiss;
	} counters;
	/* 512 bytes on 64-bit hosts: caches[i] is a shift */
};

/* the hot paths index these arrays; padding (not a union, which would
 * make GCC assume every store may change them) keeps their sizes powers
 * of two on 64-bit hosts */
_Static_assert(sizeof(void *) != 8 || (sizeof(struct slab) == 128 && sizeof(struct slab_cpu) == 64 &&
				       sizeof(struct kmem_cache) == 512),
	       "struct slab, slab_cpu, kmem_cache: padding to be adjusted");

/* A large kmalloc: pages straight from the page allocator. */
struct large_alloc {
	uint64_t pfn;                   /* key; 0 with order 0xff = empty */
	size_t size;
	uint8_t order;
};

/* pfn -> 32-bit value, open addressing with linear probing; value
 * 0xffffffff is a tombstone */
struct pfn_map_slot {
	uint64_t pfn;                   /* ~0: empty slot */
	uint32_t val;
};
struct pfn_map {
	struct pfn_map_slot *slot;
	size_t cap, used;               /* used counts tombstones too */
	uint64_t hot_pfn;               /* the last key looked up, ~0: none */
	uint32_t hot_val;
};

static inline size_t pfn_map_hash(uint64_t pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

/* the value stored for pfn, 0xffffffff when absent */
static inline uint32_t pfn_map_get(const struct pfn_map *pm, uint64_t pfn)
{
	if (!pm->cap)
		return 0xffffffffu;
	size_t h = pfn_map_hash(pfn, pm->cap);
	while (pm->slot[h].pfn != ~0ull) {
		if (pm->slot[h].pfn == pfn)
			return pm->slot[h].val;
		h = (h + 1) & (pm->cap - 1);
	}
	return 0xffffffffu;
}

/* pfn_map_get() that remembers its answer: frees tend to hit the slab of
 * the previous one */
static inline uint32_t pfn_map_lookup(struct pfn_map *pm, uint64_t pfn)
{
	if (pfn == pm->hot_pfn && pm->cap)
		return pm->hot_val;
	uint32_t v = pfn_map_get(pm, pfn);
	pm->hot_pfn = pfn;
	pm->hot_val = v;
	return v;
}

struct slab_state {
	enum slab_impl impl;
	const struct slab_ops *ops;     /* the allocator behind impl (src/model/slab_impl.h) */
	/*
	 * Cache slots.  kmem_cache_destroy() frees a cache's slot as the kernel
	 * frees its struct kmem_cache, and the next kmem_cache_create() takes
	 * the most recently freed one: nr_caches is the most caches there ever
	 * were at once, not how many were ever created.  A freed slot keeps its
	 * name (so using the destroyed cache is named) until it is reused.
	 */
	struct kmem_cache *caches;
	/* SLUB 6.x and 2.6.32 SLAB, beside caches[] (same index; kept out
	 * of struct kmem_cache, which stays 512 bytes): each cache's own
	 * struct kmem_cache, an object of the kmem_cache cache, and (SLUB)
	 * its struct kmem_cache_node per node, objects of kmem_cache_node
	 * (0: none; meta_cache below) */
	struct slab_meta {
		uint64_t obj, node[MAX_NUMNODES_MODEL];
		/* struct kmem_cache_node's nr_slabs and total_objects per node
		 * (6.13 mm/slub.c inc_slabs_node()/dec_slabs_node(), under
		 * CONFIG_SLUB_DEBUG): the slabs of the node's pages, whatever
		 * list they are on; what /sys/kernel/slab/NAME/slabs and
		 * total_objects print per node.  SLAB and SLOB: [0] */
		uint64_t nr_slabs[MAX_NUMNODES_MODEL], total_objects[MAX_NUMNODES_MODEL];
	} *meta;
	uint32_t nr_caches, cap_caches; /* slots in use or freed; allocated */
	uint32_t nr_live_caches;
	uint32_t newest_cache;          /* head of the live list (newer/older), SLAB_NONE = none */
	uint32_t free_caches;           /* freed slots (linked by older), SLAB_NONE = none */
	uint32_t *name_hash;            /* live caches by name: bucket -> first index (hnext) */
	uint32_t name_hash_cap;         /* buckets, a power of two */
	uint64_t *check_scratch;        /* slab_check(): per-cache sums */
	struct slab *slabs;
	uint32_t nr_slabs, cap_slabs;
	uint32_t free_slab_ids;         /* list of unused slab structs (via next) */
	struct pfn_map map;             /* head pfn -> slab id (or tagged large kmalloc) */
	struct large_alloc *large;
	size_t large_cap, large_used;
	uint64_t seq;
	uint64_t reclaimable_pages, unreclaimable_pages;   /* NR_SLAB_*_B in pages */
	unsigned cache_line;            /* L1_CACHE_BYTES */
	/* kmalloc lookup: cache index by type and kmalloc index; -1 = none */
	int kmalloc_cache[4][16];       /* SLUB: [NORMAL, DMA, RECLAIM, CGROUP][index] */
	uint8_t size_index[24];         /* SLUB: kmalloc index of sizes 1..192 by (size - 1) / 8 */
	gfp_t kmalloc_type_mask;        /* SLUB, SLAB: gfp bits that pick a kmalloc type other than normal */
	int classic_cache[4][24];       /* SLAB: [type][class]: 2.6.32 [normal, DMA], 6.1 enum
					 * kmalloc_cache_type [NORMAL, CGROUP, RECLAIM, DMA] */
	unsigned classic_size[24];
	unsigned nr_classic;
	uint8_t classic_start[64];      /* SLAB: first class above 2^(b-1), b = fls(size - 1) */
	uint8_t classic_index[32];      /* SLAB: the class of sizes 1..1024 by (size - 1) / 32 */
	unsigned slub_debug;            /* SLAB_* debug flags applied to every cache */
	struct slob_state *slob;        /* SLOB's pages and lists */
	/* SLUB cache merging: the other names of a merged cache (mm/slab_common.c
	 * __kmem_cache_alias() hands back an existing cache; /sys/kernel/slab
	 * shows each name as a link).  Only --from makes them (snapshot.c). */
	struct slab_alias { char name[32]; uint32_t cache; } *aliases;
	uint32_t nr_aliases, cap_aliases;
	bool bug;                       /* slab_new() hit 2.6.32's BUG_ON(GFP_SLAB_BUG_MASK): refuse the step */
	/* SLUB 6.x kmem_cache_init(): the kmem_cache and kmem_cache_node
	 * caches, from which every cache made afterwards takes its struct
	 * kmem_cache and a struct kmem_cache_node per node; 2.6.32 SLAB's
	 * cache_cache ("kmem_cache", no node cache: its kmem_list3 come from
	 * kmalloc); -1 none (2.6.32 SLUB, 6.1 SLAB, SLOB, --from: the
	 * snapshot's rows are those caches) */
	int meta_cache, meta_node_cache;
};

const char *slab_impl_name(enum slab_impl impl);
int slab_impl_parse(const char *name, enum slab_impl *out);

/* Create the slab layer and its kmalloc caches.  0 or -errno. */
int slab_init(struct machine *m, enum slab_impl impl, unsigned slub_debug);

/* 2.6.32 paths that take pages straight from the page allocator and
 * return page_address() (SLOB, SLUB's kmalloc_large()): a HighMem page
 * has no address, so the kernel returns NULL and leaks the page.  True
 * (m->err set) when gfp would get such a page; fn names the kernel path. */
bool slab_highmem_unmapped(struct machine *m, gfp_t gfp, const char *fn);
void slab_destroy_all(struct machine *m);

/* kmalloc family: 0 and *addr (0 for NULL results, ZERO_SIZE_PTR for
 * kmalloc(0)), or -EINVAL with m->err for refused calls. */
int slab_kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
int slab_kfree(struct machine *m, uint64_t addr);
int slab_ksize(struct machine *m, uint64_t addr, size_t *size);
int slab_krealloc(struct machine *m, uint64_t addr, size_t size, gfp_t gfp, uint64_t *out);

/* kmem_cache API; caches are named by index */
int slab_cache_create(struct machine *m, const char *name, unsigned size, unsigned align,
		      unsigned flags, int *cache);
int slab_cache_find(const struct machine *m, const char *name);
/* kmem_cache_create() with SLUB's cache merging (find_mergeable()): 0 and
 * *cache, with *merged when name became another name of an existing cache;
 * -errno with m->err as slab_cache_create() */
int slab_cache_create_mergeable(struct machine *m, const char *name, unsigned size, unsigned align,
				unsigned flags, int *cache, bool *merged);
/* A merged cache's other name: 0, -EEXIST when the name is a cache or an
 * alias already, -EINVAL (too long, no such cache), -ENOMEM.  alias_find
 * gives the cache a name stands for, -1 none; cache_aliases the names of
 * one cache in the order they were added, up to max, and their count. */
int slab_cache_add_alias(struct machine *m, int cache, const char *name);
/* moves a live cache to the head of the list /proc/slabinfo walks (its
 * first row), as if it were made last */
void slab_cache_make_newest(struct machine *m, int cache);
int slab_alias_find(const struct machine *m, const char *name);
unsigned slab_cache_aliases(const struct machine *m, int cache, const char **names, unsigned max);
int slab_cache_alloc(struct machine *m, int cache, gfp_t gfp, uint64_t *addr);
/* kmem_cache_alloc_bulk(): n objects into addrs, taken as n
 * slab_cache_alloc() calls would take them; 0, or -errno with none taken */
int slab_cache_alloc_bulk(struct machine *m, int cache, gfp_t gfp, size_t n, uint64_t *addrs);
/* kmem_cache_alloc_node() and kmalloc_node(): nid -1 is NUMA_NO_NODE (the
 * plain call); with NUMA nodes, objects from slabs of node nid (SLUB's
 * node_match(), get_partial(node), new slabs from the node's zonelist);
 * -EINVAL for a node that does not exist */
int slab_cache_alloc_node(struct machine *m, int cache, gfp_t gfp, int nid, uint64_t *addr);
int slab_kmalloc_node(struct machine *m, size_t size, gfp_t gfp, int nid, uint64_t *addr);
int slab_cache_free(struct machine *m, int cache, uint64_t addr);
int slab_cache_shrink(struct machine *m, int cache);
int slab_cache_destroy(struct machine *m, int cache);

/* what is at a kernel address */
struct object_info {
	bool found;
	bool large;                     /* a large kmalloc (page allocator) */
	int cache;
	uint32_t slab;
	uint64_t slab_pfn;
	unsigned index;
	uint64_t object_addr;           /* start of the object containing addr */
	int offset;                     /* addr - object_addr; < 0 in the left red zone */
	bool allocated;
	size_t requested;
	size_t large_size;
	unsigned large_order;
	bool slob;                      /* a SLOB block: index = its first unit in the page */
	unsigned slob_units;
};
void slab_object_info(const struct machine *m, uint64_t addr, struct object_info *oi);

/* What kmem_cache_create() returned: the address of the cache's own
 * struct kmem_cache (SLUB, SLAB: an object of the kmem_cache cache; SLOB:
 * a SLOB block); 0 if it has none (a boot cache made before them) */
uint64_t slab_cache_struct_addr(const struct machine *m, int cache);
/* the live cache whose struct kmem_cache is at addr, -1 none */
int slab_cache_by_struct(const struct machine *m, uint64_t addr);

/* true (with a description in buf) if the block at pfn belongs to the
 * slab layer, which the page API must not free */
bool slab_owns_pfn(const struct machine *m, uint64_t pfn, char *buf, size_t len);

/* address of object idx in slab s */
static inline uint64_t slab_object_addr(const struct machine *m, const struct slab *s, unsigned idx)
{
	(void)m;
	return s->vaddr + s->base + (uint64_t)idx * s->size;
}

/*
 * rel / size for rel < 2^32 without a divide instruction, as the kernel's
 * obj_to_index() uses reciprocal_divide(): with recip = floor(2^64 / size)
 * + 1 the high half of rel * recip is the exact quotient (Lemire, Kaser
 * and Kurz, "Faster remainder by direct computation", 2019).
 */
__extension__ typedef unsigned __int128 slab_u128;
static inline uint32_t slab_obj_index(const struct slab *s, uint32_t rel)
{
	return (uint32_t)(((slab_u128)s->recip * rel) >> 64);
}

/* a /proc/slabinfo row (mm/slab_common.c cache_show(); SLUB
 * get_slabinfo(), SLAB s_show()) */
struct slabinfo_row {
	unsigned long long active_objs, num_objs, active_slabs, num_slabs, shared_avail;
	unsigned objsize, objperslab, pagesperslab;
	unsigned limit, batchcount, sharedfactor;
	bool stats;                     /* SLAB with STATS: the globalstat and cpustat columns */
	unsigned long long listallocs, maxobjs, grown, reaped, error, maxfreeable, nodeallocs,
		remotefrees, alienoverflow;
	unsigned long long allochit, allocmiss, freehit, freemiss;
};
void slab_cache_slabinfo(const struct machine *m, int cache, struct slabinfo_row *row);

/* invariants of the slab layer (called by machine_check) */
int slab_check(struct machine *m);
/* the part of them a step touched, as its change log says (--check after
 * each command; machine_check_step()) */
int slab_check_step(struct machine *m);

/*
 * Memory contents.  Only slab memory has contents in the model: what the
 * allocator writes (poison, red zones, free pointers, tracks) and what the
 * user writes with slab_memset().  slab_memset() refuses a range that is
 * not inside one slab; slab_read() fills buf with len bytes at addr.
 * slab_region_span() tells what the bytes from addr are: the run of them
 * (before end and the slab's end) in one region of one object.
 */
int slab_memset(struct machine *m, uint64_t addr, int c, size_t len);
int slab_read(struct machine *m, uint64_t addr, uint8_t *buf, size_t len);

struct slab_span {
	int cache;
	long object;                    /* -1: the slab's head or tail, outside every object */
	long offset;                    /* from the object's start; < 0 before it */
	const char *region;             /* "object", "left red zone", "free pointer", "alloc track", ... */
	bool allocated;                 /* the object is allocated */
	uint64_t len;                   /* bytes in the run */
	uint64_t slab_end;              /* the address after the slab's last byte */
};
int slab_region_span(const struct machine *m, uint64_t addr, uint64_t end, struct slab_span *sp);

/* one line of print_hex_dump(..., DUMP_PREFIX_ADDRESS, 16, 1, buf, len, true):
 * "PREFIXffff888003c1e000: 6b 6b ... 6b  kkkk" (n <= 16 bytes) */
void slab_hex_line(char *out, size_t outlen, const char *prefix, uint64_t addr, const uint8_t *p, size_t n,
		   unsigned ptr_digits);

#endif
