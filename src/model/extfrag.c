/*
 * extfrag.c - external fragmentation as the kernel measures it, and the
 * `fragment` helper that makes some to measure.
 *
 * A zone is externally fragmented when its free memory is plentiful but
 * in blocks too small for a request.  Linux 6.13 measures it from the
 * free-area counts alone (mm/vmstat.c): fill_contig_page_info() counts the
 * free pages, the free blocks and how many 2^order blocks they hold; the
 * unusable free space index is the share of free pages that cannot serve
 * an order-N request; the fragmentation index says whether a failing
 * request fails for lack of memory (towards 0) or for fragmentation
 * (towards 1), and is -1 when it would not fail.  Compaction reads the
 * latter (fragmentation_index() against vm.extfrag_threshold) and kcompactd
 * the percentage (extfrag_for_order()).  Both came with compaction in
 * 2.6.35 (Mel Gorman), with the debugfs files extfrag/unusable_index and
 * extfrag/extfrag_index; Linux 2.6.32 has neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/pcp.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/i18n.h"

void extfrag_fill_contig_page_info(const struct zone *z, unsigned suitable_order, struct contig_page_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned order = 0; order < NR_ORDERS; order++) {
		uint64_t blocks = free_area_nr_free(&z->free_area[order]);
		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

int extfrag_unusable_free_index(unsigned order, const struct contig_page_info *info)
{
	/* no free memory is interpreted as all free memory is unusable */
	if (info->free_pages == 0)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 / info->free_pages);
}

int extfrag_fragmentation_index(unsigned order, const struct contig_page_info *info)
{
	if (order > MAX_ORDER_MODEL)    /* WARN_ON_ONCE in the kernel */
		return 0;
	if (!info->free_blocks_total)
		return 0;
	/* only meaningful when a request would fail */
	if (info->free_blocks_suitable)
		return -1000;
	uint64_t requested = 1ull << order;
	uint64_t q = (1000 + info->free_pages * 1000 / requested) / info->free_blocks_total;
	return (int)(1000 - (int64_t)q);
}

unsigned extfrag_for_order(const struct zone *z, unsigned order)
{
	struct contig_page_info info;
	extfrag_fill_contig_page_info(z, order, &info);
	if (info.free_pages == 0)
		return 0;
	return (unsigned)((info.free_pages - (info.free_blocks_suitable << order)) * 100 / info.free_pages);
}

bool extfrag_debugfs_exists(const struct machine *m)
{
	return m->kp->kv != KV_2_6_32;
}

/* ---- fragment ZONE [PATTERN] -------------------------------------------------- */

struct range {
	uint64_t pfn, n;
};

int extfrag_fragment_zone(struct machine *m, int z, gfp_t gfp, const char *pattern, uint64_t *taken,
			  uint64_t *freed)
{
	m->err[0] = '\0';
	size_t len = strlen(pattern);
	if (!len || len > 64 || strspn(pattern, "x.") != len) {
		model_err(m, "a pattern is 1 to 64 characters of 'x' (keep allocated) and '.' (free)");
		return -EINVAL;
	}
	if (z < 0 || z >= m->nr_zones) {
		model_err(m, "no such zone");
		return -EINVAL;
	}
	const struct zone *zn = &m->zones[z];
	if (zn->free_pages > EXTFRAG_FRAGMENT_MAX_PAGES) {
		model_err(m,
			 "zone %s has %llu free pages; fragment takes at most %llu (64 GiB), one page at a time",
			 zn->name, (unsigned long long)zn->free_pages, (unsigned long long)EXTFRAG_FRAGMENT_MAX_PAGES);
		return -E2BIG;
	}
	uint64_t start = zn->start_pfn, end = zn->start_pfn + zn->spanned;
	bool log = m->log.enabled;
	m->log.enabled = false;

	/* 1. take every free page, remembering the runs taken */
	struct range *runs = NULL;
	size_t nruns = 0, cap = 0;
	uint64_t t = 0;
	int rc = 0;
	for (uint64_t pfn = start; pfn < end;) {
		struct page_info pi;
		buddy_page_info(m, pfn, &pi);
		uint64_t next = pi.block_pfn + (1ull << pi.order);
		if (next <= pfn)
			next = pfn + 1;
		if (pi.state != PS_FREE || pi.zone != z) {
			pfn = next;
			continue;
		}
		if (nruns == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct range *nr = realloc(runs, nc * sizeof *nr);
			if (!nr) {
				rc = -ENOMEM;
				break;
			}
			runs = nr;
			cap = nc;
		}
		uint64_t first = pfn;
		for (; pfn < next && pfn < end; pfn++) {
			if (buddy_alloc_pages_at(m, gfp, pfn, 0)) {
				rc = -ENOMEM;
				break;
			}
			buddy_set_page_lru(m, pfn);     /* user pages: compaction may move them */
			t++;
		}
		runs[nruns++] = (struct range){ first, pfn - first };
		if (rc)
			break;
	}

	/* 2. free those whose place in the pattern is '.' (all of them when
	 * step 1 failed: the model is then as it was, up to merging order) */
	uint64_t f = 0;
	for (size_t i = 0; i < nruns; i++)
		for (uint64_t pfn = runs[i].pfn; pfn < runs[i].pfn + runs[i].n; pfn++)
			if (rc || pattern[(pfn - start) % len] == '.') {
				if (buddy_free_pages(m, pfn, 0) == 0)
					f++;
			}
	free(runs);
	/* the pattern is for the buddy lists: the frees the per-CPU lists
	 * kept go back too (drain_all_pages(zone)) */
	pcp_drain_zone(m, z);
	m->log.enabled = log;
	if (rc) {
		model_err(m, "out of host memory");
		return rc;
	}
	*taken = t;
	*freed = f;
	return 0;
}
