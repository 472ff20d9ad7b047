/*
 * buddy.h - the zoned buddy page allocator (mm/page_alloc.c).
 *
 * A buddy system keeps free blocks of 2^order pages on per-order,
 * per-migratetype lists; a block's buddy is found by flipping bit `order`
 * of its pfn, and two free buddies merge into one block of the next order.
 */
#ifndef KMEMSH_BUDDY_H
#define KMEMSH_BUDDY_H

#include <stdint.h>

#include "kmemsh/machine.h"

/*
 * alloc_pages(gfp, order): 0 and *pfn, or
 *   -ENOMEM  no zone could satisfy it (dmesg has the failure warning unless
 *            __GFP_NOWARN; m->err says why)
 *   -EINVAL  bad gfp (GFP_ZONE_BAD) or order > MAX_ORDER (WARN in dmesg)
 */
int buddy_alloc_pages(struct machine *m, gfp_t gfp, unsigned order, uint64_t *pfn);

/*
 * __free_pages(pfn, order): 0, or -EINVAL when pfn is not the head of an
 * allocated block of exactly that order (m->err says what it is instead);
 * the model is unchanged then.
 */
int buddy_free_pages(struct machine *m, uint64_t pfn, unsigned order);

/*
 * alloc_pages() that takes the block at exactly pfn (trace replay with the
 * real physical layout): 0, or -ERANGE (pfn not in this machine's memory),
 * -EBUSY (not all free), -EINVAL (order too big, pfn not aligned to it);
 * m->err says why, the model is unchanged.
 */
int buddy_alloc_pages_at(struct machine *m, gfp_t gfp, uint64_t pfn, unsigned order);

/* What is at pfn: the block containing it. */
enum page_state { PS_NONE, PS_HOLE, PS_RESERVED, PS_FREE, PS_ALLOCATED };
struct page_info {
	enum page_state state;
	uint64_t pfn, block_pfn;        /* the block (free or allocated) containing pfn */
	unsigned order;
	int mt;                         /* free: its list; allocated: gfp's type */
	int pageblock_mt;
	gfp_t gfp;
	int zone;                       /* -1 if none */
	int virgin;                     /* part of an untouched segment */
};
void buddy_page_info(const struct machine *m, uint64_t pfn, struct page_info *pi);

/* Iterate the free blocks of one (zone, order, migratetype) list in list
 * order; cb returns nonzero to stop.  Segments are expanded block by block
 * up to `limit` blocks (0 = no limit). */
typedef int (*free_block_cb)(void *arg, uint64_t pfn, unsigned order, int mt);
void buddy_walk_list(const struct machine *m, int zone, unsigned order, int mt,
		     uint64_t limit, free_block_cb cb, void *arg);

/* Internal to the model (buddy.c, watermark.c, boot.c): zonelist tables,
 * 2.6.32 MIGRATE_RESERVE blocks. */
void buddy_build_zonelists(struct machine *m);
void buddy_setup_migrate_reserve(struct machine *m);

/* Boot: hand all free RAM to the buddy allocator as the kernel does. */
void buddy_boot_free(struct machine *m);
/* free_reserved_area(): give reserved RAM in [start_pfn, end_pfn) to the
 * buddy allocator after boot; returns the pages freed */
uint64_t buddy_free_reserved_range(struct machine *m, uint64_t start_pfn, uint64_t end_pfn);

/* Loading a snapshot (snapshot.c): empty every list, then add blocks at the
 * tails (a block's chunk must have descriptors; a run's chunks none). */
void buddy_clear_free_lists(struct machine *m);
void buddy_load_free_block(struct machine *m, int z, uint64_t pfn, unsigned order, int mt);
void buddy_load_free_run(struct machine *m, int z, uint64_t c0, uint64_t n, int mt);

/*
 * Watermarks, lowmem_reserve and the vm.* sysctls (watermark.c).
 * init_per_zone_wmark_min() runs once at boot; sysctl writes recompute
 * what depends on them.
 */
void machine_init_per_zone_wmark_min(struct machine *m);
unsigned machine_calc_min_free_kbytes(const struct machine *m);
void machine_setup_wmarks(struct machine *m);
void machine_setup_lowmem_reserve(struct machine *m);

/* sysctl vm.* : name without "vm." accepted too.  Returns 0, -ENOENT, -EINVAL. */
int machine_sysctl_set(struct machine *m, const char *name, const char *value);
/* what machine_sysctl_set would return, changing nothing */
int machine_sysctl_check(const struct machine *m, const char *name, const char *value);
int machine_sysctl_get(const struct machine *m, const char *name, char *buf, size_t len);
const char *machine_sysctl_name_at(const struct machine *m, size_t i);

/* Internal but shared with the checker */
int buddy_zone_watermark_ok(const struct machine *m, const struct zone *z, unsigned order,
			    uint64_t mark, int highest_zoneidx, unsigned alloc_flags);

/* alloc_flags (the kernel's ALLOC_*), in a version-neutral form */
enum {
	AF_WMARK_MIN = 0, AF_WMARK_LOW = 1, AF_WMARK_HIGH = 2, AF_WMARK_MASK = 3,
	AF_NO_WATERMARKS = 1u << 2,
	AF_HIGH = 1u << 3,              /* ALLOC_MIN_RESERVE (6.13) / ALLOC_HIGH (2.6.32) */
	AF_HARDER = 1u << 4,            /* ALLOC_NON_BLOCK (6.13) / ALLOC_HARDER (2.6.32) */
	AF_NOFRAGMENT = 1u << 5,
	AF_HIGHATOMIC = 1u << 6,
};

#endif
