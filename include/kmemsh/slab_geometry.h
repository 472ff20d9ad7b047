/*
 * slab_geometry.h - how the slab allocators size their caches: kmalloc
 * size classes, object layout, slab order and objects per slab.  Pure
 * functions of the kernel's formulas (no machine state), so they can be
 * checked against the kernel directly.
 *
 * SLUB: mm/slub.c calculate_sizes() / calculate_order() (6.13 and the
 *       older 2.6.32 loop), mm/slab_common.c kmalloc_info[] / size_index.
 * SLAB: mm/slab.c (2.6.32) cache_estimate() / calculate_slab_order(),
 *       colouring, enable_cpucache() tunables, include/linux/kmalloc_sizes.h.
 */
#ifndef KMEMSH_SLAB_GEOMETRY_H
#define KMEMSH_SLAB_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/profile.h"

/* SLAB_* cache flags.  These are model inputs; the values are the classic
 * ones of include/linux/slab.h (2.6.32 and every kernel up to 6.8).  From
 * 6.9 the kernel numbers them from `enum _slab_flag_bits` instead
 * (SLAB_RED_ZONE is bit 1 there, and later bits depend on the config), so
 * do not compare these values with a 6.13 kernel's. */
enum {
	SLAB_DEBUG_FREE_F = 0x00000100u,   /* SLAB_CONSISTENCY_CHECKS / SLAB_DEBUG_FREE */
	SLAB_RED_ZONE_F = 0x00000400u,
	SLAB_POISON_F = 0x00000800u,
	SLAB_KMALLOC_F = 0x00001000u,      /* a kmalloc cache (6.13; with SLAB_STORE_USER it keeps
					    * the requested size, 4 more bytes per object) */
	SLAB_HWCACHE_ALIGN_F = 0x00002000u,
	SLAB_CACHE_DMA_F = 0x00004000u,
	SLAB_CACHE_DMA32_F = 0x00008000u,
	SLAB_STORE_USER_F = 0x00010000u,
	SLAB_PANIC_F = 0x00040000u,
	SLAB_TYPESAFE_BY_RCU_F = 0x00080000u,
	SLAB_RECLAIM_ACCOUNT_F = 0x00020000u,
	SLAB_ACCOUNT_F = 0x04000000u,
	/* Not a kernel flag: the cache has a constructor (the kernel takes it
	 * as the ctor argument).  SLUB then keeps the free pointer after the
	 * object. */
	SLAB_CTOR_F = 0x20000000u,
	/* Not a kernel flag: SLAB (2.6.32) of a CONFIG_DEBUG_SLAB build.
	 * FORCED_DEBUG then adds SLAB_RED_ZONE | SLAB_STORE_USER (unless that
	 * crosses a power of two for objects of 4096 bytes or more) and
	 * SLAB_POISON (unless SLAB_DESTROY_BY_RCU) to every cache. */
	SLAB_DEBUG_BUILD_F = 0x40000000u,
	/* Not a kernel flag: slab_unmergeable() holds for the cache whatever
	 * its other flags (a usercopy region, s->usersize; or a ctor or
	 * SLAB_NEVER_MERGE flag the model's row does not name).  Changes no
	 * layout. */
	SLAB_NOMERGE_F = 0x10000000u,
	/* Not a kernel flag: SLAB's own cache of struct kmem_cache, laid out
	 * by 2.6.32 kmem_cache_init() itself rather than by
	 * kmem_cache_create(): the size rounded up to cache_line_size(), the
	 * first order that holds an object, management on the slab.  Only
	 * the first-order rule differs from calculate_slab_order(). */
	SLAB_BOOT_CACHE_F = 0x08000000u,
};

/* A cache's geometry, as the allocator computes it at creation. */
struct slab_geometry {
	unsigned object_size;   /* what the user asked for (s->object_size / buffer_size) */
	unsigned size;          /* bytes per object in the slab, alignment and metadata included */
	unsigned align;
	unsigned offset;        /* SLUB: free pointer offset inside the object (s->offset) */
	unsigned inuse;         /* SLUB: end of the object and its right red zone (s->inuse) */
	unsigned red_left_pad;  /* SLUB 6.13: left red zone with SLAB_RED_ZONE; SLAB
				 * (CONFIG_DEBUG_SLAB): obj_offset, the red zone word
				 * before the object */
	unsigned order;         /* slab = 2^order pages */
	unsigned objects;       /* objects per slab */
	unsigned min_order, min_objects; /* SLUB s->min (fallback when the order fails) */
	unsigned left_over;     /* bytes of a slab not used by objects (nor, in SLAB, by
				 * on-slab management); filled for both allocators */
	/* SLAB (2.6.32) only; zero for SLUB */
	bool off_slab;          /* struct slab + bufctls kept in another cache (6.1: the
				 * freelist, a byte per object: cachep->freelist_size) */
	bool objfreelist;       /* 6.1 OBJFREELIST_SLAB: the freelist in a free object;
				 * neither: at the slab's end (6.1) or start (2.6.32) */
	unsigned slab_mgmt;     /* bytes of management at the start of an on-slab slab
				 * (0 when off-slab) */
	unsigned colour;        /* number of colours */
	unsigned colour_off;    /* bytes per colour step */
	unsigned limit, batchcount, shared;   /* per-CPU array tunables */
	unsigned debug_flags;   /* SLAB (CONFIG_DEBUG_SLAB): the SLAB_RED_ZONE, SLAB_POISON and
				 * SLAB_STORE_USER the cache ended up with */
};

/*
 * SLUB calculate_sizes() + calculate_order() for a cache of `size` bytes,
 * alignment `align` and SLAB_* `flags`, with `nr_cpus` CPUs (min_objects
 * = 4 * (fls(nr_cpus) + 1)), slub_max_order 3.  old = the 2.6.32 code.
 * slub_debug flags (SLAB_RED_ZONE/POISON/STORE_USER) change the layout as
 * calculate_sizes() does (CONFIG_SLUB_DEBUG on; 6.13 with STACKDEPOT, so
 * struct track is 32 bytes on x86_64).  `align` is the creator's: the
 * function applies calculate_alignment() (SLAB_HWCACHE_ALIGN, minimum 8)
 * itself; kmalloc caches pass max(8, 1 << (ffs(size) - 1)) as 6.13's
 * create_boot_cache() does, 2.6.32 passes 8.  `nr_cpus` is what the
 * kernel feeds to fls(): num_present_cpus() (nr_cpu_ids if that is 1) in
 * 6.13, nr_cpu_ids in 2.6.32.  Returns 0, or -EINVAL for a size of 0,
 * over 4 MiB or needing an order above 10, an alignment that is not a
 * power of two (or above 4 MiB), unknown flags or no CPUs.
 *
 * slub_geometry() assumes the version's usual arch: 64-bit pointers for
 * 6.13 (x86_64), 32-bit for 2.6.32 (i386), and a 64-byte cache line.
 * slub_geometry_ex() takes them: `ptr_size` 4 or 8 (sizeof(void *): word
 * alignment, free pointer, red zone words, struct track) and `cache_line`
 * (cache_line_size(), a power of two).
 */
int slub_geometry(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, bool old,
		  struct slab_geometry *g);
int slub_geometry_ex(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, bool old,
		     unsigned ptr_size, unsigned cache_line, struct slab_geometry *g);
/* the same for any kernel profile (slub_geometry_ex(): 2.6.32 or 6.13) */
int slub_geometry_kv(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, enum kernel_version kv,
		     unsigned ptr_size, unsigned cache_line, struct slab_geometry *g);

/*
 * SLAB (2.6.32) kmem_cache_create() sizing: word alignment, HWCACHE
 * alignment with the L1 cache line (`cache_line`), off-slab decision,
 * calculate_slab_order() with slab_break_gfp_order (1 when RAM > 32 MiB)
 * up to KMALLOC_MAX_ORDER 10, colouring and enable_cpucache() tunables
 * for `nr_cpus` (num_possible_cpus()).  `bootstrapped` is false for the
 * first kmalloc caches (slab_early_init: they are created on-slab).
 * kmalloc caches pass align 8 (ARCH_KMALLOC_MINALIGN) and
 * SLAB_HWCACHE_ALIGN (ARCH_KMALLOC_FLAGS).  Only the non-debug build
 * (CONFIG_DEBUG_SLAB off, as distributions shipped it): SLAB_RED_ZONE,
 * SLAB_POISON and SLAB_STORE_USER give -EINVAL unless `flags` has
 * SLAB_DEBUG_BUILD_F (the debug build's sizing), as do flags outside the
 * non-debug CREATE_MASK (SLAB_KMALLOC_F and SLAB_CTOR_F are accepted and
 * change nothing), a size below a word or over 4 MiB (KMALLOC_MAX_SIZE),
 * an alignment that is not a power of two or is above PAGE_SIZE, no CPUs,
 * and a cache no order up to 10 can hold (an on-slab 4 MiB object).
 *
 * slab_classic_geometry() is i386 (4-byte words, 28-byte struct slab);
 * slab_classic_geometry_ex() takes `ptr_size` 4 or 8 (x86_64: 8-byte
 * words, 48-byte struct slab).
 */
int slab_classic_geometry(unsigned size, unsigned align, unsigned flags, unsigned cache_line,
			  bool big_ram, unsigned nr_cpus, bool bootstrapped, struct slab_geometry *g);
int slab_classic_geometry_ex(unsigned size, unsigned align, unsigned flags, unsigned cache_line,
			     bool big_ram, unsigned nr_cpus, bool bootstrapped, unsigned ptr_size,
			     struct slab_geometry *g);

/*
 * SLAB of 6.1 (mm/slab.c __kmem_cache_create() after mm/slab_common.c
 * calculate_alignment()): the object aligned (SLAB_HWCACHE_ALIGN halves
 * `cache_line` while the object fits in half; at least 8), at least 16
 * bytes; then set_objfreelist_slab_cache(), set_off_slab_cache() and
 * set_on_slab_cache() in turn, each with calculate_slab_order() (up to
 * slab_max_order: 1 when `big_ram`, more than 32 MiB) and a one-byte
 * freelist index (at most 255 objects a slab); colours of max(cache_line,
 * align) bytes; enable_cpucache()'s tunables as 2.6.32's.  An off-slab
 * freelist comes from a kmalloc cache: `km` says which exist so far
 * (kmalloc_caches[KMALLOC_NORMAL][index]: size 0 when not created), and
 * whether each is off-slab itself; NULL: none yet.  No CONFIG_DEBUG_SLAB
 * (its flags give -EINVAL), no init_on_free.  -EINVAL also for the
 * arguments slab_classic_geometry_ex() refuses (but alignments up to 4
 * MiB: a kmalloc cache is aligned to its size).
 */
struct slab61_kmalloc {
	unsigned size[14];      /* s->size of kmalloc_caches[KMALLOC_NORMAL][i], 0: none yet */
	bool off_slab[14];
};
int slab61_geometry(unsigned size, unsigned align, unsigned flags, unsigned cache_line, bool big_ram,
		    unsigned nr_cpus, unsigned ptr_size, const struct slab61_kmalloc *km, struct slab_geometry *g);
/* 6.1 SLAB kmalloc_slab()'s index: 0 for size 0; 5 (kmalloc-32) up to
 * 32 bytes, 1 (96) and 2 (192) from size_index[], else fls(size - 1);
 * -1 above KMALLOC_MAX_CACHE_SIZE (8 KiB: the page allocator's) */
int slab61_kmalloc_index(size_t size);

/* kmalloc size classes */
struct kmalloc_class {
	const char *name;       /* "kmalloc-96", "size-192" */
	unsigned size;
};

/* 6.13: index for a size (kmalloc_slab()): 0 for size 0, else the
 * kmalloc_info[] index (1 = 96, 2 = 192, n = 2^n); -1 above 8 KiB.
 * 2.6.32 SLUB's get_slab() uses the same size_index[] table. */
int slub_kmalloc_index(size_t size);
/* 6.13 kmalloc_info[index] short size: "8", "96", "1k", "8k"; the cache
 * names are a type prefix ("kmalloc-", "dma-kmalloc-", "kmalloc-rcl-",
 * "kmalloc-cg-") followed by it.  NULL for an index outside 1..13. */
const char *slub_kmalloc_short_size(int index);
/* 2.6.32 SLUB: names "kmalloc-%d" (decimal), largest cache 2*PAGE_SIZE */
/* 2.6.32 SLAB: general caches from include/linux/kmalloc_sizes.h for L1
 * `cache_line`: size-32 .. size-131072, then (KMALLOC_MAX_SIZE = 4 MiB
 * with MAX_ORDER 11 and 4 KiB pages) size-262144 .. size-4194304;
 * size-96 only when L1 < 64, size-192 when L1 < 128.  (2.6.18 stopped at
 * size-131072.)  Writes at most `max` classes, smallest first; returns
 * the number written. */
size_t slab_classic_sizes(unsigned cache_line, struct kmalloc_class *out, size_t max);

/* sizeof(struct track) of SLAB_STORE_USER: 32 bytes on x86_64 6.13 (with
 * the stack depot handle), 20 on i386 6.13, 16 on i386 2.6.32 */
unsigned slub_track_size(bool old, unsigned ptr_size);

/* get_order(): the smallest order with PAGE_SIZE << order >= size (0 for
 * size 0, where the kernel's get_order() is undefined) */
unsigned slab_get_order(size_t size);

#endif
