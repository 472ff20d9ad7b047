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
/* alloc_pages_node(nid, gfp, order): the zonelist of node nid (nid < 0:
 * NUMA_NO_NODE, the current CPU's node); with __GFP_THISNODE that node's
 * zones only.  -EINVAL also for a node that does not exist. */
int buddy_alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned order, uint64_t *pfn);
/* __alloc_pages(gfp, order, nid, nodemask): node nid's zonelist, only the
 * nodes of nodemask (a bit per node; 0 = NULL, every node).  The memory
 * policies' way in (mempolicy.c); nid must exist. */
int buddy_alloc_pages_nodemask(struct machine *m, int nid, unsigned nodemask, gfp_t gfp, unsigned order,
			       uint64_t *pfn);
/* gfp_zone(): the highest zone type gfp may use on this machine, -1 none */
int buddy_gfp_zone(const struct machine *m, gfp_t gfp);

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
	int pcp_cpu;                    /* free on CPU pcp_cpu - 1's pcp list; 0: on a buddy list */
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

/* The zonelist of the allocation in progress (its preferred node and
 * __GFP_THISNODE; node 0 outside an allocation): its first zone of type
 * highest or below, and the zone after z, -1 at the end; zones are
 * indices in m->zones.  With one node: highest, highest - 1, ..., 0. */
int buddy_zonelist_first(const struct machine *m, int highest);
int buddy_zonelist_next(const struct machine *m, int z, int highest);

/* NUMA nodes (numa.c) */
int numa_emulation(struct machine *m, char *err, size_t errlen);        /* boot: numa=fake=N */
void numa_build_zonelists(struct machine *m);                           /* the nodes' fallback orders */
int numa_pfn_to_nid(const struct machine *m, uint64_t pfn);
/* split_nodes_interleave() of [0, max_addr) into nr_nodes blocks blk[i] =
 * {start, end} (bytes): the number made, -1 too little memory, -2 a node
 * would get a second block */
int numa_split_nodes_interleave(const struct machine *m, uint64_t max_addr, unsigned nr_nodes,
				uint64_t blk[][2]);
void buddy_setup_migrate_reserve(struct machine *m);

/* Boot: hand all free RAM to the buddy allocator as the kernel does. */
void buddy_boot_free(struct machine *m);
/* free_reserved_area(): give reserved RAM in [start_pfn, end_pfn) to the
 * buddy allocator after boot; returns the pages freed */
uint64_t buddy_free_reserved_range(struct machine *m, uint64_t start_pfn, uint64_t end_pfn);
/* gather_bootmem_prealloc() (mm/hugetlb.c): a memblock-reserved gigantic
 * page becomes an allocated compound page the buddy allocator never held:
 * its pages stop being reserved and count as managed
 * (adjust_managed_page_count()), held as blocks of the largest order.
 * [start, end) aligned to that order, reserved, in one zone; else -EINVAL
 * or -EBUSY and nothing changed. */
int buddy_adopt_reserved_range(struct machine *m, uint64_t start_pfn, uint64_t end_pfn, gfp_t gfp);

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

/*
 * Transparent huge pages where they touch the page allocator (watermark.c,
 * 6.13 mm/khugepaged.c): at boot, hugepage_init() -> start_stop_khugepaged()
 * -> set_recommended_min_free_kbytes().  With THP enabled (always or
 * madvise) min_free_kbytes rises, never falls, to
 *   pageblock_nr_pages * nr_zones * (2 + MIGRATE_PCPTYPES^2)
 * (nr_zones: the populated zones GFP_USER may use), capped at 5% of
 * nr_free_buffer_pages(); with THP never it is computed again as
 * calculate_min_free_kbytes() does, from nr_free_buffer_pages().  Then
 * the watermarks.  machine_thp_init(): 0, or -EINVAL with err set when
 * --thp was given to a kernel without THP (2.6.32).
 */
int machine_thp_init(struct machine *m, char *err, size_t errlen);
uint64_t machine_thp_recommended_min_free_kbytes(uint64_t pageblock_nr_pages, unsigned nr_zones,
						 uint64_t nr_free_buffer_pages);
/* nr_free_buffer_pages(): managed pages above the high watermark in the
 * zones GFP_USER may use */
uint64_t machine_nr_free_buffer_pages(const struct machine *m);
const char *machine_thp_name(enum thp_mode t);

/* sysctl vm.* : name without "vm." accepted too.  Returns 0, -ENOENT, -EINVAL. */
int machine_sysctl_set(struct machine *m, const char *name, const char *value);
/* what machine_sysctl_set would return, changing nothing */
int machine_sysctl_check(const struct machine *m, const char *name, const char *value);
int machine_sysctl_get(const struct machine *m, const char *name, char *buf, size_t len);
/* the i-th sysctl this kernel has ("vm.min_free_kbytes"), NULL past the last */
const char *machine_sysctl_name_at(const struct machine *m, size_t i);
/*
 * Why this kernel lacks a vm sysctl the model knows (watermark.c's table):
 * it came in a later version, `since` (vm.watermark_boost_factor on
 * 2.6.32: "5.0"); or, with `from` set, `since` replaced `from` by `to` and
 * this kernel has `has` (vm.percpu_pagelist_fraction on 6.x).  False when
 * the kernel has it, when the model knows no such name, and for
 * vm.zone_reclaim_mode without CONFIG_NUMA.
 */
struct sysctl_absent {
	const char *since;
	const char *from, *to, *has;
};
bool machine_sysctl_absent(const struct machine *m, const char *name, struct sysctl_absent *why);
/* a write below MIN_PERCPU_PAGELIST_HIGH_FRACTION (-EDOM) refuses 0 too
 * (2.6.32's vm.percpu_pagelist_fraction), not only 1 to 7 */
bool machine_sysctl_zero_refused(const char *name);

/*
 * The highatomic reserve (6.x; 2.6.32 has none): high-order atomic
 * allocations (ALLOC_HIGHATOMIC) set pageblocks aside as MIGRATE_HIGHATOMIC
 * (reserve_highatomic_pageblock(), after such an allocation succeeds), up
 * to buddy_highatomic_limit() pages per zone; the slow path gives them
 * back before failing.  buddy_unreserve_highatomic_pageblock(): 6.13
 * unreserve_highatomic_pageblock(ac, force) over the zonelist of highest
 * (a zone type) for an allocation of migratetype mt: true when a
 * pageblock went back to mt.
 */
uint64_t buddy_highatomic_limit(const struct machine *m, const struct zone *zn);
/* What the watermark check of a request without reserve rights leaves out
 * (__zone_watermark_unusable_free()): 6.1 the whole reserve,
 * zone->nr_reserved_highatomic, free or not; 6.13 only the reserve's free
 * pages, zone->nr_free_highatomic.  CH_ZONE_SKIP's val is that number. */
static inline bool buddy_highatomic_unusable_whole_reserve(const struct machine *m)
{
	return m->kp->kv == KV_6_1;
}
bool buddy_unreserve_highatomic_pageblock(struct machine *m, int highest, int mt, bool force);

/* Internal but shared with the checker: zone_watermark_ok(), and
 * __zone_watermark_ok() with the free pages given instead of the zone's
 * (the slow path's retry checks count reclaimable pages as free) */
int buddy_zone_watermark_ok(const struct machine *m, const struct zone *z, unsigned order,
			    uint64_t mark, int highest_zoneidx, unsigned alloc_flags);
int buddy_zone_watermark_ok_free(const struct machine *m, const struct zone *z, unsigned order, uint64_t mark,
				 int highest_zoneidx, unsigned alloc_flags, uint64_t free_pages);

/*
 * Compaction's hands on the free lists (compaction.c; 6.13 only).
 * buddy_find_suitable_fallback: find_suitable_fallback() of zone z's
 *   order list: the fallback type, or -1.
 * buddy_set_page_lru: the allocated block at pfn stands for a page on an
 *   LRU list (a user page compaction may migrate): a Movable allocation
 *   of one page or a compound block; anything else is left alone.
 * buddy_isolate_free_page: __isolate_free_page() of the free block at pfn:
 *   its pages (2^order), 0 when the zone's min watermark forbids it.
 * buddy_free_isolated: give back an isolated block (merging as a free does).
 * buddy_migrate_block: the allocated block at src moves to the isolated
 *   block at dst (same order): descriptor and bytes; src is freed.
 *   0 or -ENOMEM (host memory for the bytes; nothing changed).
 */
int buddy_find_suitable_fallback(const struct machine *m, int z, unsigned order, int mt, bool only_stealable);
void buddy_set_page_lru(struct machine *m, uint64_t pfn);
unsigned buddy_isolate_free_page(struct machine *m, uint64_t pfn);
void buddy_free_isolated(struct machine *m, uint64_t pfn, unsigned order);
/* alloc_pages_exact()'s make_alloc_exact(): keep the first `keep` pages of
 * the allocated block at pfn, free the rest */
int buddy_alloc_exact_trim(struct machine *m, uint64_t pfn, uint64_t keep);
/* split_page(): an allocated non-compound block into order-0 pages */
int buddy_split_page(struct machine *m, uint64_t pfn);
int buddy_migrate_block(struct machine *m, uint64_t src, uint64_t dst);

/* alloc_flags (the kernel's ALLOC_*), in a version-neutral form */
enum {
	AF_WMARK_MIN = 0, AF_WMARK_LOW = 1, AF_WMARK_HIGH = 2, AF_WMARK_MASK = 3,
	AF_NO_WATERMARKS = 1u << 2,
	AF_HIGH = 1u << 3,              /* ALLOC_MIN_RESERVE (6.13) / ALLOC_HIGH (2.6.32) */
	AF_HARDER = 1u << 4,            /* ALLOC_NON_BLOCK (6.13) / ALLOC_HARDER (2.6.32) */
	AF_NOFRAGMENT = 1u << 5,
	AF_HIGHATOMIC = 1u << 6,
	AF_OOM = 1u << 7,               /* ALLOC_OOM (6.x): an OOM victim's (2.6.32: none, TIF_MEMDIE
					 * gives ALLOC_NO_WATERMARKS) */
	AF_RESERVES = AF_HIGH | AF_HARDER | AF_HIGHATOMIC | AF_OOM,     /* ALLOC_RESERVES (6.x) */
};

/* zone_watermark_ok(): the mark less what the reserve flags af let the
 * caller dip into (2.6.32 / 6.x rules); the model's check and the views use it */
uint64_t buddy_effective_min(const struct machine *m, uint64_t mark, unsigned af);

#endif
