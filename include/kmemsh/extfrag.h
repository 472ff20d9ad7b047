/*
 * extfrag.h - external fragmentation, measured the way the kernel measures
 * it (mm/vmstat.c, v6.13: fill_contig_page_info(), unusable_free_index(),
 * __fragmentation_index(), extfrag_for_order()), and the `fragment` helper
 * that creates a fragmentation pattern in a zone.
 *
 * The indices are x1000, as the kernel keeps them ("0.034" is 34).  They
 * read only the zone's nr_free per order, so they are the same numbers for
 * a booted machine and for one loaded from a real /proc/buddyinfo.
 */
#ifndef KMEMSH_EXTFRAG_H
#define KMEMSH_EXTFRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* mm/vmstat.c struct contig_page_info */
struct contig_page_info {
	uint64_t free_pages;            /* free base pages */
	uint64_t free_blocks_total;     /* free blocks of any order */
	uint64_t free_blocks_suitable;  /* blocks of 2^suitable_order pages the free blocks hold */
};

/* fill_contig_page_info(zone, suitable_order, info) */
void extfrag_fill_contig_page_info(const struct zone *z, unsigned suitable_order, struct contig_page_info *info);
/* unusable_free_index(): 0 (all free memory usable at this order) .. 1000
 * (none; also when nothing is free) */
int extfrag_unusable_free_index(unsigned order, const struct contig_page_info *info);
/* __fragmentation_index(): -1000 when a block of the order is free (the
 * request would not fail), 0 when nothing is free or order > MAX_ORDER;
 * else 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks_total,
 * towards 0 when a failure would be for lack of memory, towards 1000 when
 * for fragmentation.  It goes below 0 when there are few free blocks (one
 * free order-0 page and order 1: -500), as in the kernel. */
int extfrag_fragmentation_index(unsigned order, const struct contig_page_info *info);
/* extfrag_for_order(): the percentage of free pages in blocks below order
 * (kcompactd's fragmentation score of a zone, at COMPACTION_HPAGE_ORDER) */
unsigned extfrag_for_order(const struct zone *z, unsigned order);

/* Whether the modelled kernel has /sys/kernel/debug/extfrag: it came with
 * compaction in 2.6.35 (CONFIG_DEBUG_FS and CONFIG_COMPACTION), so 6.13
 * has it and 2.6.32 does not. */
bool extfrag_debugfs_exists(const struct machine *m);

/*
 * `fragment ZONE [PATTERN]`, a teaching helper and no kernel call: every
 * free page of zone z is allocated, one page at a time (order 0, with gfp:
 * its migratetype is the pages'), then the pages whose position in the
 * pattern is '.' are freed again, the pattern repeating along the zone's
 * pfns (pattern[(pfn - zone start) % len]); 'x' keeps the page allocated.
 * The default "x." frees every other page: no two free pages are buddies,
 * so every free block is order 0 and any order >= 1 request must fail.
 * Pages taken are counted in the zone's allocs, freed ones in its frees.
 * Returns 0 with *taken and *freed set, -EINVAL for a bad pattern, -E2BIG
 * when the zone has more than EXTFRAG_FRAGMENT_MAX_PAGES free pages (every
 * page taken gets a descriptor: bounded host memory) (m->err says why; the
 * model is unchanged).  The change log is not written: the
 * step is as large as the zone.
 */
#define EXTFRAG_FRAGMENT_MAX_PAGES (1ull << 24)
int extfrag_fragment_zone(struct machine *m, int z, gfp_t gfp, const char *pattern, uint64_t *taken,
			  uint64_t *freed);

#endif
