/*
 * slab_geometry.c - how the slab allocators lay out a cache.
 *
 * A slab is 2^order contiguous pages cut into equal objects.  When a cache
 * is created the allocator decides, once, how big each object really is
 * (the requested size rounded up to a word and to the alignment, plus any
 * debugging metadata), where the free pointer lives, and how many pages a
 * slab takes: enough for several objects so that the allocator rarely
 * goes back to the page allocator, but not so many that high orders are
 * needed, and with little left over at the end.
 *
 * SLUB (mm/slub.c, 6.13 and 2.6.32): calculate_sizes() builds the object
 * layout, calculate_order() picks the smallest order (up to
 * slub_max_order 3) that wastes at most 1/16 of the slab while holding
 * min_objects = 4 * (fls(nr_cpus) + 1) objects, then accepts more waste.
 * Classic SLAB (mm/slab.c, 2.6.32): kmem_cache_create() aligns the
 * object, keeps the slab management (struct slab and one kmem_bufctl_t
 * per object) on the slab or, for objects of PAGE_SIZE/8 and more, off
 * it, calculate_slab_order() stops at order slab_break_gfp_order unless
 * more than 1/8 is wasted, the left-over bytes become cache colours, and
 * enable_cpucache() sizes the per-CPU arrays.
 *
 * Pure functions of the formulas: no machine state.
 */
#include <errno.h>
#include <stddef.h>

#include "kmemsh/bitops.h"
#include "kmemsh/slab_geometry.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)

/* ARCH_SLAB_MINALIGN (SLUB) and ARCH_KMALLOC_MINALIGN:
 * __alignof__(unsigned long long), which GCC makes 8 on i386 too */
#define SLAB_MINALIGN 8u
/* KMALLOC_MAX_SIZE with MAX_ORDER 11 and 4 KiB pages: the largest object
 * kmem_cache_create() takes (SLAB) and order 10 holds (SLUB) */
#define KMALLOC_MAX_SIZE (4u << 20)
#define KMALLOC_MAX_ORDER 10

/* SLUB tunables at their defaults (no slub_min_order= etc.) */
#define SLUB_MIN_ORDER 0u
#define SLUB_MAX_ORDER 3u       /* PAGE_ALLOC_COSTLY_ORDER */

/* What differs between the two SLUB versions. */
struct slub_version {
	unsigned max_objs_per_page;     /* page->objects is u16 (2.6.32), slab->objects u15 */
	unsigned highest_order;         /* MAX_ORDER - 1 (2.6.32), MAX_PAGE_ORDER (6.13) */
};

static const struct slub_version slub_6_13 = { 32767, 10 };
static const struct slub_version slub_2_6_32 = { 65535, 10 };

static const unsigned slub_known_flags =
	SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_KMALLOC_F |
	SLAB_HWCACHE_ALIGN_F | SLAB_CACHE_DMA_F | SLAB_CACHE_DMA32_F | SLAB_STORE_USER_F |
	SLAB_PANIC_F | SLAB_TYPESAFE_BY_RCU_F | SLAB_RECLAIM_ACCOUNT_F | SLAB_ACCOUNT_F |
	SLAB_CTOR_F | SLAB_NOMERGE_F;

/* 2.6.32 mm/slab.c CREATE_MASK without DEBUG, plus the model-only bits
 * that do not change a SLAB cache */
static const unsigned slab_classic_flags =
	SLAB_HWCACHE_ALIGN_F | SLAB_CACHE_DMA_F | SLAB_RECLAIM_ACCOUNT_F | SLAB_PANIC_F |
	SLAB_TYPESAFE_BY_RCU_F | SLAB_KMALLOC_F | SLAB_CTOR_F | SLAB_DEBUG_BUILD_F |
	SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F | SLAB_NOMERGE_F | SLAB_BOOT_CACHE_F;


static bool is_power_of_2(unsigned x)
{
	return x && !(x & (x - 1));
}

static unsigned align_up(unsigned x, unsigned a)
{
	return (x + a - 1) & ~(a - 1);
}

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

unsigned slab_get_order(size_t size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return kmemsh_fls64((unsigned long long)(size - 1) >> PAGE_SHIFT);
}

static unsigned order_objects(unsigned order, unsigned size)
{
	return (PAGE_SIZE << order) / size;
}

/* ---- SLUB ------------------------------------------------------------ */

/*
 * calculate_alignment() (mm/slab_common.c 6.13, mm/slub.c 2.6.32): a
 * cache-line-aligned cache of small objects is aligned to the smallest
 * power-of-two fraction of the line that still holds one object.
 */
static unsigned calculate_alignment(unsigned flags, unsigned align, unsigned size,
				    unsigned ptr_size, unsigned cache_line)
{
	if (flags & SLAB_HWCACHE_ALIGN_F) {
		unsigned ralign = cache_line;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max_u(align, ralign);
	}
	align = max_u(align, SLAB_MINALIGN);
	return align_up(align, ptr_size);
}

/*
 * sizeof(struct track), the SLAB_STORE_USER record kept twice (alloc and
 * free) after each object.  2.6.32: { unsigned long addr; int cpu; int
 * pid; unsigned long when; }.  6.13 adds a depot_stack_handle_t (u32)
 * after addr under CONFIG_STACKDEPOT, which CONFIG_SLUB_DEBUG selects on
 * x86: 8 + 4 + 4 + 4 (+ 4 padding) + 8 = 32 bytes on x86_64, 20 on i386.
 */
unsigned slub_track_size(bool old, unsigned ptr_size)
{
	unsigned ints = old ? 2 : 3;    /* [handle,] cpu, pid */

	return align_up(ptr_size + 4 * ints, ptr_size) + ptr_size;
}

/* 6.13 calc_slab_order(): the smallest order from min_order whose
 * leftover is at most 1/fract_leftover of the slab (max_order + 1 if
 * none) */
static unsigned calc_slab_order(unsigned size, unsigned min_order, unsigned max_order,
				unsigned fract_leftover)
{
	unsigned order;

	for (order = min_order; order <= max_order; order++) {
		unsigned slab_size = PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* 6.13 calculate_order(); -1 where the kernel returns -ENOSYS */
static int calculate_order_6_13(unsigned size, unsigned nr_cpus)
{
	const struct slub_version *v = &slub_6_13;
	unsigned min_objects = 4 * (kmemsh_fls64(nr_cpus) + 1);
	unsigned max_objects = max_u(order_objects(SLUB_MAX_ORDER, size), 1);
	unsigned min_order;

	min_objects = min_u(min_objects, max_objects);
	min_order = max_u(SLUB_MIN_ORDER,
			  slab_get_order((size_t)min_objects * size));
	if (order_objects(min_order, size) > v->max_objs_per_page)
		return (int)slab_get_order((size_t)size * v->max_objs_per_page) - 1;

	for (unsigned fraction = 16; fraction > 1; fraction /= 2) {
		unsigned order = calc_slab_order(size, min_order, SLUB_MAX_ORDER, fraction);

		if (order <= SLUB_MAX_ORDER)
			return (int)order;
	}
	unsigned order = slab_get_order(size);
	return order <= v->highest_order ? (int)order : -1;
}

/*
 * 6.1 calculate_order() (mm/slub.c of Debian's 6.1.192): as 2.6.32's, for
 * each min_objects from the CPU-derived value down to 2 the fractions 16,
 * 8 and 4, each calc_slab_order() starting at get_order(min_objects *
 * size); then one object up to slub_max_order, then below MAX_ORDER (11).
 * 6.8 replaced the min_objects loop with 6.13's single min_order.
 */
static unsigned calc_slab_order_6_1(unsigned size, unsigned min_objects, unsigned max_order,
				    unsigned fract_leftover)
{
	if (order_objects(SLUB_MIN_ORDER, size) > slub_6_13.max_objs_per_page)
		return slab_get_order((size_t)size * slub_6_13.max_objs_per_page) - 1;
	unsigned order = max_u(SLUB_MIN_ORDER, slab_get_order((size_t)min_objects * size));
	for (; order <= max_order; order++) {
		unsigned slab_size = PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

static int calculate_order_6_1(unsigned size, unsigned nr_cpus)
{
	unsigned min_objects = 4 * (kmemsh_fls64(nr_cpus) + 1);
	unsigned max_objects = order_objects(SLUB_MAX_ORDER, size);
	unsigned order;

	min_objects = min_u(min_objects, max_objects);
	while (min_objects > 1) {
		for (unsigned fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order_6_1(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= SLUB_MAX_ORDER)
				return (int)order;
		}
		min_objects--;
	}
	order = calc_slab_order_6_1(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= SLUB_MAX_ORDER)
		return (int)order;
	order = calc_slab_order_6_1(size, 1, slub_6_13.highest_order + 1, 1);
	return order <= slub_6_13.highest_order ? (int)order : -1;
}

/* 2.6.32 slab_order(): like calc_slab_order() but starting from the order
 * that holds min_objects */
static int slab_order_2_6_32(unsigned size, unsigned min_objects, unsigned max_order,
			     unsigned fract_leftover)
{
	const struct slub_version *v = &slub_2_6_32;
	int order;

	if (order_objects(SLUB_MIN_ORDER, size) > v->max_objs_per_page)
		return (int)slab_get_order((size_t)size * v->max_objs_per_page) - 1;

	order = (int)kmemsh_fls64((unsigned long long)min_objects * size - 1) - PAGE_SHIFT;
	if (order < (int)SLUB_MIN_ORDER)
		order = (int)SLUB_MIN_ORDER;
	for (; order <= (int)max_order; order++) {
		unsigned long long slab_size = (unsigned long long)PAGE_SIZE << order;

		if (slab_size < (unsigned long long)min_objects * size)
			continue;
		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* 2.6.32 calculate_order(): for each min_objects from the CPU-derived
 * value down to 2, try 1/16, 1/8 and 1/4 waste; then one object up to
 * slub_max_order, then up to MAX_ORDER - 1 */
static int calculate_order_2_6_32(unsigned size, unsigned nr_cpus)
{
	const struct slub_version *v = &slub_2_6_32;
	unsigned min_objects = 4 * (kmemsh_fls64(nr_cpus) + 1);
	unsigned max_objects = order_objects(SLUB_MAX_ORDER, size);
	int order;

	min_objects = min_u(min_objects, max_objects);
	while (min_objects > 1) {
		for (unsigned fraction = 16; fraction >= 4; fraction /= 2) {
			order = slab_order_2_6_32(size, min_objects, SLUB_MAX_ORDER, fraction);
			if (order <= (int)SLUB_MAX_ORDER)
				return order;
		}
		min_objects--;
	}
	order = slab_order_2_6_32(size, 1, SLUB_MAX_ORDER, 1);
	if (order <= (int)SLUB_MAX_ORDER)
		return order;
	order = slab_order_2_6_32(size, 1, v->highest_order + 1, 1);
	return order <= (int)v->highest_order ? order : -1;
}

/*
 * calculate_sizes(): the object layout.  From the object's start:
 *   the object, padded to a word (one more word of right red zone when
 *   the padding is empty and SLAB_RED_ZONE is set)          -> inuse
 *   the free pointer, when the object itself must not be overwritten on
 *   free (RCU, poisoning, a constructor; 6.13 also a red-zoned object
 *   smaller than a word, or a red-zoned kmalloc cache keeping the
 *   requested size); otherwise it lives inside the free object
 *   two struct tracks with SLAB_STORE_USER (+ the kmalloc request size)
 *   one word of padding with SLAB_RED_ZONE, and in 6.13 the left red
 *   zone, which really sits before the object
 *   padding to the alignment                                 -> size
 */
static void calculate_sizes(unsigned object_size, unsigned align, unsigned flags, bool old, bool v61,
			    unsigned ptr_size, struct slab_geometry *g)
{
	unsigned size = align_up(object_size, ptr_size);
	bool red = flags & SLAB_RED_ZONE_F;
	bool store_user = flags & SLAB_STORE_USER_F;
	bool orig_size = store_user && (flags & SLAB_KMALLOC_F);   /* slub_debug_orig_size() */

	if (red && size == object_size)
		size += ptr_size;
	g->inuse = size;

	bool outside = (flags & (SLAB_TYPESAFE_BY_RCU_F | SLAB_POISON_F | SLAB_CTOR_F)) ||
		       (!old && red && (object_size < ptr_size || (orig_size && !v61)));
	if (outside) {
		g->offset = size;
		size += ptr_size;
	} else if (old) {
		g->offset = 0;
	} else {
		g->offset = (object_size / 2) & ~(ptr_size - 1);
	}

	if (store_user) {
		size += 2 * slub_track_size(old, ptr_size);
		if (!old && (flags & SLAB_KMALLOC_F))
			size += 4;      /* sizeof(unsigned int): the requested size */
	}
	g->red_left_pad = 0;
	if (red) {
		size += ptr_size;
		if (!old) {
			g->red_left_pad = align_up(ptr_size, align);
			size += g->red_left_pad;
		}
	}
	g->size = align_up(size, align);
}

int slub_geometry_ex(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, bool old,
		     unsigned ptr_size, unsigned cache_line, struct slab_geometry *g)
{
	return slub_geometry_kv(size, align, flags, nr_cpus, old ? KV_2_6_32 : KV_6_13, ptr_size, cache_line, g);
}

/* 6.1's SLUB: 6.13's layout (6.1.192 keeps the kmalloc request size with
 * SLAB_STORE_USER too) but for the free pointer of a red-zoned kmalloc
 * cache, which stays inside the object, and calculate_order_6_1() */
int slub_geometry_kv(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, enum kernel_version kv,
		     unsigned ptr_size, unsigned cache_line, struct slab_geometry *g)
{
	bool old = kv == KV_2_6_32, v61 = kv == KV_6_1;
	if (!g || size == 0 || size > KMALLOC_MAX_SIZE || (align && !is_power_of_2(align)) ||
	    align > KMALLOC_MAX_SIZE || (flags & ~slub_known_flags) || nr_cpus == 0 ||
	    (ptr_size != 4 && ptr_size != 8) || !is_power_of_2(cache_line) ||
	    cache_line > PAGE_SIZE)
		return -EINVAL;

	struct slab_geometry r = { .object_size = size };

	r.align = calculate_alignment(flags, align, size, ptr_size, cache_line);
	calculate_sizes(size, r.align, flags, old, v61, ptr_size, &r);
	if (r.size > KMALLOC_MAX_SIZE)
		return -EINVAL;

	int order = old ? calculate_order_2_6_32(r.size, nr_cpus)
			: v61 ? calculate_order_6_1(r.size, nr_cpus) : calculate_order_6_13(r.size, nr_cpus);
	if (order < 0)
		return -EINVAL;
	r.order = (unsigned)order;
	r.objects = order_objects(r.order, r.size);
	r.min_order = slab_get_order(r.size);
	r.min_objects = order_objects(r.min_order, r.size);
	r.left_over = (PAGE_SIZE << r.order) - r.objects * r.size;
	*g = r;
	return 0;
}

int slub_geometry(unsigned size, unsigned align, unsigned flags, unsigned nr_cpus, bool old,
		  struct slab_geometry *g)
{
	return slub_geometry_ex(size, align, flags, nr_cpus, old, old ? 4 : 8, 64, g);
}

/* ---- classic SLAB (2.6.32) ------------------------------------------- */

/* sizeof(struct slab): list_head, colouroff, s_mem, inuse, free, nodeid
 * = 4+4+4+4+4+4+2 -> 28 on i386, 8+8+8+8+4+4+2 -> 48 on x86_64 */
static unsigned struct_slab_size(unsigned ptr_size)
{
	return align_up(2 * ptr_size + ptr_size + ptr_size + 4 + 4 + 2, ptr_size);
}

#define BUFCTL_SIZE 4u          /* sizeof(kmem_bufctl_t): unsigned int */

/* cache_estimate(): objects in a slab of 2^order pages and the bytes
 * left over, management included when it is on the slab */
static void cache_estimate(unsigned order, unsigned size, unsigned align, bool off_slab,
			   unsigned slab_hdr, unsigned *num, unsigned *left_over)
{
	unsigned slab_size = PAGE_SIZE << order;
	unsigned nr, mgmt;

	if (off_slab) {
		nr = slab_size / size;
		mgmt = 0;
	} else {
		nr = (slab_size - slab_hdr) / (size + BUFCTL_SIZE);
		if (align_up(slab_hdr + nr * BUFCTL_SIZE, align) + nr * size > slab_size)
			nr--;
		mgmt = align_up(slab_hdr + nr * BUFCTL_SIZE, align);
	}
	*num = nr;
	*left_over = slab_size - nr * size - mgmt;
}

/* calculate_slab_order(): the first order holding an object, then larger
 * ones while the slab wastes more than 1/8, stopping at
 * slab_break_gfp_order; reclaimable caches never go above the first */
static unsigned calculate_slab_order(unsigned size, unsigned align, unsigned flags, bool off_slab,
				     unsigned break_order, unsigned slab_hdr, unsigned *num,
				     unsigned *order)
{
	unsigned left_over = 0;

	*num = 0;
	*order = 0;
	for (unsigned gfporder = 0; gfporder <= KMALLOC_MAX_ORDER; gfporder++) {
		unsigned n, rem;

		cache_estimate(gfporder, size, align, off_slab, slab_hdr, &n, &rem);
		if (!n)
			continue;
		/* off-slab bufctls must fit in an object of this cache's size
		 * (a possible loop in cache_grow() otherwise) */
		if (off_slab && n > (size - slab_hdr) / BUFCTL_SIZE)
			break;
		*num = n;
		*order = gfporder;
		left_over = rem;
		if (flags & SLAB_RECLAIM_ACCOUNT_F)
			break;
		if (gfporder >= break_order)
			break;
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

/* enable_cpucache(): per-CPU array limit by object size (first row whose
 * bound the size exceeds) */
static const struct {
	unsigned above;
	unsigned limit;
} cpucache_limits[] = {
	{ 131072, 1 },
	{ PAGE_SIZE, 8 },
	{ 1024, 24 },
	{ 256, 54 },
	{ 0, 120 },
};

static void enable_cpucache(unsigned size, unsigned nr_cpus, struct slab_geometry *g)
{
	for (size_t i = 0; i < sizeof cpucache_limits / sizeof cpucache_limits[0]; i++) {
		if (size > cpucache_limits[i].above) {
			g->limit = cpucache_limits[i].limit;
			break;
		}
	}
	g->batchcount = (g->limit + 1) / 2;
	g->shared = (size <= PAGE_SIZE && nr_cpus > 1) ? 8 : 0;
}

int slab_classic_geometry_ex(unsigned size, unsigned align, unsigned flags, unsigned cache_line,
			     bool big_ram, unsigned nr_cpus, bool bootstrapped, unsigned ptr_size,
			     struct slab_geometry *g)
{
	if (!g || (ptr_size != 4 && ptr_size != 8) || size < ptr_size ||
	    size > KMALLOC_MAX_SIZE || (align && !is_power_of_2(align)) || align > PAGE_SIZE ||
	    (flags & ~slab_classic_flags) || !is_power_of_2(cache_line) ||
	    cache_line > PAGE_SIZE || nr_cpus == 0)
		return -EINVAL;

	const unsigned word = ptr_size;         /* BYTES_PER_WORD */
	const unsigned slab_hdr = struct_slab_size(ptr_size);
	struct slab_geometry r = { .object_size = size };
	unsigned ralign;
	const bool debug = flags & SLAB_DEBUG_BUILD_F;
	/* REDZONE_ALIGN: max(BYTES_PER_WORD, __alignof__(unsigned long long)),
	 * 8 with GCC on both arches */
	const unsigned redzone_align = max_u(word, 8);

	if (!debug && (flags & (SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F)))
		return -EINVAL;
	if (flags & SLAB_BOOT_CACHE_F) {
		/* 2.6.32 mm/slab.c kmem_cache_init(), step 1: cache_cache.
		 * buffer_size = ALIGN(size, cache_line_size()); then "for
		 * (order = 0; order < MAX_ORDER; order++) { cache_estimate(order,
		 * buffer_size, cache_line_size(), 0, &left_over, &num); if (num)
		 * break; }" - on-slab (flags 0), no waste test; colour =
		 * left_over / colour_off (cache_line_size()); slab_size =
		 * ALIGN(num * sizeof(kmem_bufctl_t) + sizeof(struct slab),
		 * cache_line_size()).  kmem_cache_init_late()'s enable_cpucache()
		 * gives it its tunables as any other cache. */
		r.size = align_up(size, cache_line);
		r.align = cache_line;
		for (unsigned order = 0; order < 11 && !r.objects; order++) {
			cache_estimate(order, r.size, cache_line, false, slab_hdr, &r.objects, &r.left_over);
			r.order = order;
		}
		if (!r.objects)
			return -EINVAL;
		r.slab_mgmt = align_up(r.objects * BUFCTL_SIZE + slab_hdr, cache_line);
		r.colour_off = cache_line;
		r.colour = r.left_over / r.colour_off;
		enable_cpucache(r.size, nr_cpus, &r);
		if (debug && r.limit > 32) {
			r.limit = 32;
			r.batchcount = (r.limit + 1) / 2;
		}
		*g = r;
		return 0;
	}

	if (debug) {
		/* FORCED_DEBUG: red zone and last user unless that pushes a big
		 * object over its power of two; poison unless RCU-freed */
		if (size < 4096 || kmemsh_fls64(size - 1) == kmemsh_fls64(size - 1 + redzone_align + 16))
			flags |= SLAB_RED_ZONE_F | SLAB_STORE_USER_F;
		if (!(flags & SLAB_TYPESAFE_BY_RCU_F))
			flags |= SLAB_POISON_F;
	}
	size = align_up(size, word);
	if (flags & SLAB_HWCACHE_ALIGN_F) {
		ralign = cache_line;
		while (size <= ralign / 2)
			ralign /= 2;
	} else {
		ralign = word;
	}
	if (flags & SLAB_STORE_USER_F)
		ralign = word;
	if (flags & SLAB_RED_ZONE_F) {
		ralign = redzone_align;
		size = align_up(size, redzone_align);
	}
	/* ARCH_SLAB_MINALIGN is 0 on x86; then the caller's alignment */
	if (ralign < align)
		ralign = align;
	/* "disable debug if necessary" */
	if (ralign > 8)
		flags &= ~(SLAB_RED_ZONE_F | SLAB_STORE_USER_F);
	r.align = ralign;
	if (debug) {
		/* cachep->obj_size = size; two 64-bit red zone words around
		 * the object, the last user's return address after them */
		r.object_size = size;
		if (flags & SLAB_RED_ZONE_F) {
			r.red_left_pad = 8;
			size += 16;
		}
		if (flags & SLAB_STORE_USER_F)
			size += (flags & SLAB_RED_ZONE_F) ? redzone_align : word;
	}
	r.debug_flags = debug ? flags & (SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F) : 0;

	/* slab_early_init: the first general caches must be on-slab */
	bool off_slab = size >= (PAGE_SIZE >> 3) && bootstrapped;
	size = align_up(size, r.align);

	unsigned break_order = big_ram ? 1 : 0;   /* BREAK_GFP_ORDER_HI / _LO */
	unsigned left_over = calculate_slab_order(size, r.align, flags, off_slab, break_order,
						  slab_hdr, &r.objects, &r.order);
	if (!r.objects)
		return -EINVAL;                 /* "couldn't create cache" */

	unsigned slab_size = align_up(r.objects * BUFCTL_SIZE + slab_hdr, r.align);
	/* management that fits in the leftover moves on-slab, at the
	 * expense of colours */
	if (off_slab && left_over >= slab_size) {
		off_slab = false;
		left_over -= slab_size;
	}

	r.size = size;
	r.off_slab = off_slab;
	r.slab_mgmt = off_slab ? 0 : slab_size;
	r.left_over = left_over;
	r.colour_off = max_u(cache_line, r.align);
	r.colour = left_over / r.colour_off;
	enable_cpucache(size, nr_cpus, &r);
	if (debug && r.limit > 32) {
		/* enable_cpucache() under DEBUG: "if (limit > 32) limit = 32" */
		r.limit = 32;
		r.batchcount = (r.limit + 1) / 2;
	}
	*g = r;
	return 0;
}

int slab_classic_geometry(unsigned size, unsigned align, unsigned flags, unsigned cache_line,
			  bool big_ram, unsigned nr_cpus, bool bootstrapped, struct slab_geometry *g)
{
	return slab_classic_geometry_ex(size, align, flags, cache_line, big_ram, nr_cpus,
					bootstrapped, 4, g);
}

/* ---- kmalloc size classes -------------------------------------------- */

/* 6.13 mm/slab_common.c kmalloc_size_index[] (2.6.32 SLUB size_index[]):
 * the index for sizes 1..192 in steps of 8 */
static const unsigned char kmalloc_size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,         /* 8 .. 64 */
	1, 1, 1, 1, 7, 7, 7, 7,         /* 72 .. 128: 96 then 128 */
	2, 2, 2, 2, 2, 2, 2, 2,         /* 136 .. 192 */
};

#define KMALLOC_SHIFT_HIGH 13           /* PAGE_SHIFT + 1: kmalloc-8k */

/* 6.13 kmalloc_info[].name short sizes, by index */
static const char *const kmalloc_short[KMALLOC_SHIFT_HIGH + 1] = {
	NULL, "96", "192", "8", "16", "32", "64", "128", "256", "512", "1k", "2k", "4k", "8k",
};

int slub_kmalloc_index(size_t size)
{
	if (size == 0)
		return 0;
	if (size <= 192)
		return kmalloc_size_index[(size - 1) / 8];
	if (size > (1u << KMALLOC_SHIFT_HIGH))
		return -1;
	return (int)kmemsh_fls64(size - 1);
}

const char *slub_kmalloc_short_size(int index)
{
	if (index < 1 || index > KMALLOC_SHIFT_HIGH)
		return NULL;
	return kmalloc_short[index];
}

/* 2.6.32 include/linux/kmalloc_sizes.h with 4 KiB pages and
 * KMALLOC_MAX_SIZE = 1 << min(MAX_ORDER + PAGE_SHIFT - 1, 25) = 4 MiB */
static const struct {
	struct kmalloc_class c;
	unsigned l1_below;              /* present only if L1_CACHE_BYTES < this; 0: always */
} classic_sizes[] = {
	{ { "size-32", 32 }, 0 },
	{ { "size-64", 64 }, 0 },
	{ { "size-96", 96 }, 64 },
	{ { "size-128", 128 }, 0 },
	{ { "size-192", 192 }, 128 },
	{ { "size-256", 256 }, 0 },
	{ { "size-512", 512 }, 0 },
	{ { "size-1024", 1024 }, 0 },
	{ { "size-2048", 2048 }, 0 },
	{ { "size-4096", 4096 }, 0 },
	{ { "size-8192", 8192 }, 0 },
	{ { "size-16384", 16384 }, 0 },
	{ { "size-32768", 32768 }, 0 },
	{ { "size-65536", 65536 }, 0 },
	{ { "size-131072", 131072 }, 0 },
	{ { "size-262144", 262144 }, 0 },
	{ { "size-524288", 524288 }, 0 },
	{ { "size-1048576", 1048576 }, 0 },
	{ { "size-2097152", 2097152 }, 0 },
	{ { "size-4194304", 4194304 }, 0 },
};

size_t slab_classic_sizes(unsigned cache_line, struct kmalloc_class *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof classic_sizes / sizeof classic_sizes[0] && n < max; i++) {
		if (classic_sizes[i].l1_below && cache_line >= classic_sizes[i].l1_below)
			continue;
		out[n++] = classic_sizes[i].c;
	}
	return n;
}

/* ---- SLAB of 6.1 --------------------------------------------------------- */

/*
 * 6.1 mm/slab.c with 4 KiB pages: FREELIST_BYTE_INDEX ((PAGE_SIZE >> 8) <=
 * SLAB_OBJ_MIN_SIZE, 16 <= 16), so freelist_idx_t is one byte,
 * SLAB_OBJ_MAX_NUM 255 and objects are at least SLAB_OBJ_MIN_SIZE
 * (min(KMALLOC_MIN_SIZE 32, 16) = 16) bytes.
 */
#define FREELIST_IDX_SIZE 1u
#define SLAB_OBJ_MAX_NUM 255u
#define SLAB_OBJ_MIN_SIZE 16u
#define KMALLOC_MAX_CACHE_SIZE_61 8192u          /* 1 << KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1) */
/* include/linux/slab.h under CONFIG_SLAB: KMALLOC_SHIFT_LOW 5, so
 * KMALLOC_MIN_SIZE 32 (SLUB's is 8) */
#define KMALLOC_SHIFT_LOW_61 5
#define KMALLOC_MIN_SIZE_61 (1u << KMALLOC_SHIFT_LOW_61)

/* the management kinds calculate_slab_order() is asked about (6.1's
 * CFLGS_OBJFREELIST_SLAB and CFLGS_OFF_SLAB, or neither) */
enum mgmt61 { MGMT_ON_SLAB, MGMT_OBJFREELIST, MGMT_OFF_SLAB };

/* 6.1 cache_estimate(): with the freelist in an object or off the slab
 * all of the slab holds objects; on the slab, each object also has its
 * byte of freelist at the slab's end (no alignment: the freelist is last) */
static unsigned cache_estimate_61(unsigned order, unsigned size, enum mgmt61 mgmt, unsigned *left_over)
{
	unsigned slab_size = PAGE_SIZE << order;
	unsigned per = mgmt == MGMT_ON_SLAB ? size + FREELIST_IDX_SIZE : size;

	*left_over = slab_size % per;
	return slab_size / per;
}

/* 6.1 calculate_slab_order(); *num 0 when no order fits.  An off-slab
 * freelist (num bytes) comes from kmalloc_slab(num): that cache must
 * exist, be on-slab itself, and be at most half this cache's size;
 * above KMALLOC_MAX_CACHE_SIZE it is whole pages. */
static unsigned calculate_slab_order_61(unsigned size, unsigned cache_size, unsigned flags, enum mgmt61 mgmt,
					unsigned max_order, const struct slab61_kmalloc *km, unsigned *num,
					unsigned *order)
{
	unsigned left_over = 0;

	*num = 0;
	*order = 0;
	for (unsigned gfporder = 0; gfporder <= KMALLOC_MAX_ORDER; gfporder++) {
		unsigned remainder;
		unsigned n = cache_estimate_61(gfporder, size, mgmt, &remainder);

		if (!n)
			continue;
		if (n > SLAB_OBJ_MAX_NUM)
			break;
		if (mgmt == MGMT_OFF_SLAB) {
			unsigned freelist_size = n * FREELIST_IDX_SIZE, fl_cache_size;

			if (freelist_size > KMALLOC_MAX_CACHE_SIZE_61) {
				fl_cache_size = PAGE_SIZE << slab_get_order(freelist_size);
			} else {
				int i = slab61_kmalloc_index(freelist_size);

				if (!km || i < 0 || !km->size[i])
					continue;       /* kmalloc_slab(): not created yet */
				if (km->off_slab[i])
					continue;       /* "possible looping condition" */
				fl_cache_size = km->size[i];
			}
			/* "freelist_cache->size > cachep->size / 2": cachep->size is
			 * still create_cache()'s object_size here (__kmem_cache_create()
			 * stores the aligned size only at done:) */
			if (fl_cache_size > cache_size / 2)
				continue;       /* not enough benefit */
		}
		*num = n;
		*order = gfporder;
		left_over = remainder;
		if (flags & SLAB_RECLAIM_ACCOUNT_F)
			break;
		if (gfporder >= max_order)
			break;
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

int slab61_geometry(unsigned size, unsigned align, unsigned flags, unsigned cache_line, bool big_ram,
		    unsigned nr_cpus, unsigned ptr_size, const struct slab61_kmalloc *km, struct slab_geometry *g)
{
	static const unsigned known = SLAB_HWCACHE_ALIGN_F | SLAB_CACHE_DMA_F | SLAB_CACHE_DMA32_F | SLAB_RECLAIM_ACCOUNT_F |
				      SLAB_PANIC_F | SLAB_TYPESAFE_BY_RCU_F | SLAB_KMALLOC_F | SLAB_CTOR_F |
				      SLAB_NOMERGE_F | SLAB_ACCOUNT_F;
	/* (kmem_cache_sanity_check()'s size >= sizeof(void *) is
	 * CONFIG_DEBUG_VM, which Debian's build does not set) */
	if (!g || (ptr_size != 4 && ptr_size != 8) || size == 0 || size > KMALLOC_MAX_SIZE ||
	    (align && !is_power_of_2(align)) || align > KMALLOC_MAX_SIZE || (flags & ~known) ||
	    !is_power_of_2(cache_line) || cache_line > PAGE_SIZE || nr_cpus == 0)
		return -EINVAL;

	struct slab_geometry r = { .object_size = size };
	/* mm/slab_common.c calculate_alignment(): SLAB_HWCACHE_ALIGN halves
	 * the line while the object fits in half; at least
	 * arch_slab_minalign() (ARCH_SLAB_MINALIGN, __alignof__(unsigned long
	 * long) = 8), a multiple of the word */
	r.align = calculate_alignment(flags, align, size, ptr_size, cache_line);
	/* __kmem_cache_create(): size = ALIGN(size, BYTES_PER_WORD); "if
	 * (ralign < cachep->align) ralign = cachep->align"; colour_off =
	 * max(cache_line_size(), align); size = ALIGN(size, align), and not
	 * below SLAB_OBJ_MIN_SIZE with a byte freelist index */
	unsigned sz = align_up(align_up(size, ptr_size), r.align);
	if (sz < SLAB_OBJ_MIN_SIZE)
		sz = align_up(SLAB_OBJ_MIN_SIZE, r.align);
	r.size = sz;
	r.colour_off = max_u(cache_line, r.align);

	/* kmem_cache_init(): slab_max_order = SLAB_MAX_ORDER_HI (1) with
	 * more than 32 MiB of RAM, else SLAB_MAX_ORDER_LO (0) */
	unsigned max_order = big_ram ? 1 : 0;
	unsigned left = 0;
	/* set_objfreelist_slab_cache(): not with a constructor or
	 * SLAB_TYPESAFE_BY_RCU (nor init_on_free, off by default), and only
	 * when the freelist fits in one object (object_size) */
	if (!(flags & (SLAB_CTOR_F | SLAB_TYPESAFE_BY_RCU_F))) {
		left = calculate_slab_order_61(sz, size, flags, MGMT_OBJFREELIST, max_order, km, &r.objects, &r.order);
		if (r.objects && r.objects * FREELIST_IDX_SIZE <= size)
			r.objfreelist = true;
	}
	/* set_off_slab_cache(): unless the leftover would hold the freelist */
	if (!r.objfreelist) {
		left = calculate_slab_order_61(sz, size, flags, MGMT_OFF_SLAB, max_order, km, &r.objects, &r.order);
		if (r.objects && left < r.objects * FREELIST_IDX_SIZE)
			r.off_slab = true;
	}
	/* set_on_slab_cache(): the freelist at the end of the slab */
	if (!r.objfreelist && !r.off_slab) {
		left = calculate_slab_order_61(sz, size, flags, MGMT_ON_SLAB, max_order, km, &r.objects, &r.order);
		if (!r.objects)
			return -EINVAL;         /* -E2BIG */
	}
	/* s_mem = the slab's start + colour: no management before the
	 * objects in any of the three (cachep->freelist_size = num) */
	r.slab_mgmt = 0;
	r.left_over = left;
	r.colour = left / r.colour_off;
	enable_cpucache(sz, nr_cpus, &r);
	*g = r;
	return 0;
}

int slab61_kmalloc_index(size_t size)
{
	/* kmalloc_slab(): size_index[] as setup_kmalloc_cache_index_table()
	 * leaves it for KMALLOC_MIN_SIZE 32 (sizes 8..24 -> index 5,
	 * KMALLOC_SHIFT_LOW), else fls(size - 1); NULL (-1) above
	 * KMALLOC_MAX_CACHE_SIZE */
	if (size == 0)
		return 0;
	if (size <= 192) {
		unsigned elem = (unsigned)(size - 1) / 8;     /* size_index_elem() */
		/* "for (i = 8; i < KMALLOC_MIN_SIZE; i += 8)
		 *	size_index[size_index_elem(i)] = KMALLOC_SHIFT_LOW;" */
		if (elem < (KMALLOC_MIN_SIZE_61 - 1) / 8)
			return KMALLOC_SHIFT_LOW_61;
		return kmalloc_size_index[elem];
	}
	if (size > KMALLOC_MAX_CACHE_SIZE_61)
		return -1;
	return (int)kmemsh_fls64(size - 1);
}
