/*
 * proc.c - the modelled kernel's /proc files, byte for byte in the format
 * of the modelled version (m->kp->kv):
 *
 *   /proc/buddyinfo     mm/vmstat.c: frag_show_print()
 *   /proc/pagetypeinfo  mm/vmstat.c: pagetypeinfo_show() and helpers
 *   /proc/zoneinfo      mm/vmstat.c: zoneinfo_show_print()
 *   /proc/meminfo       fs/proc/meminfo.c: meminfo_proc_show(),
 *                       mm/hugetlb.c: hugetlb_report_meminfo(),
 *                       arch/x86/mm/pat/set_memory.c (6.13) /
 *                       arch/x86/mm/pageattr.c (2.6.32): arch_report_meminfo()
 *   /proc/iomem         kernel/resource.c: r_show()
 *
 * Sources: Linux 6.13.7 and 2.6.32 as summarised in
 * /work/shared/reference/kernel-facts.md §12 and the research notes
 * kernel-formats.md sections A (2.6.32 vmstat, partly reconstructed, marked
 * (R) there), B (2.6.32 meminfo), F (6.13 zoneinfo).  Where the kernel
 * prints statistics the model does not keep (page cache, anon pages, swap
 * ...), the value is 0; the names and their order are the kernel's.  Slab
 * pages come from the slab layer's counters (NR_SLAB_RECLAIMABLE_B and
 * NR_SLAB_UNRECLAIMABLE_B, kept in pages).
 *
 * Kernel configuration assumed where it changes the output (chosen to match
 * a common x86_64 distribution kernel, i.e. the host these notes were
 * checked on): 6.13 with CONFIG_NUMA, CONFIG_SMP, CONFIG_ZSWAP (and
 * ZSMALLOC), CONFIG_SWAP, CONFIG_NUMA_BALANCING, CONFIG_IOMMU_SUPPORT,
 * CONFIG_HUGETLB_PAGE, CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_MEMORY_ISOLATION;
 * without CONFIG_CMA, CONFIG_UNACCEPTED_MEMORY, CONFIG_MEMORY_FAILURE,
 * CONFIG_SHADOW_CALL_STACK, CONFIG_PAGE_OWNER.  2.6.32: SMP, no NUMA, no
 * QUICKLIST, no MEMORY_FAILURE; x86_64 with direct_gbpages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/hugetlb.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"
#include "view_int.h"


/* ---- small kernel helpers ---------------------------------------------- */





/* is_zone_first_populated(): the node's first populated zone */
static bool first_populated(const struct machine *m, int i)
{
	int base = m->zones[i].nid * m->nr_node_zones;
	for (int j = base; j < base + m->nr_node_zones; j++)
		if (view_zone_populated(&m->zones[j]))
			return j == i;
	return false;
}

/* ---- /proc/buddyinfo ----------------------------------------------------- */

/*
 * mm/vmstat.c: frag_show_print() (6.13; the 2.6.32 text is identical):
 *   seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
 *   for (order = 0; order < NR_PAGE_ORDERS; ++order)
 *           seq_printf(m, "%6lu ", free_area_nr_free(&zone->free_area[order]));
 *   seq_putc(m, '\n');
 * walked over populated zones only.
 */
void view_buddyinfo(struct out *o, const struct machine *m)
{
	if (o->json) {
		bool first = true;
		out_puts(o, "{\"zones\":[");
		for (int i = 0; i < m->nr_zones; i++) {
			const struct zone *z = &m->zones[i];
			if (!view_zone_populated(z))
				continue;
			view_json_zone_open(o, z, &first);
			out_puts(o, ",\"nr_free\":[");
			view_json_nr_free(o, z);
			out_puts(o, "]}");
		}
		out_puts(o, "]}\n");
		return;
	}
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		out_printf(o, "Node %d, zone %8s ", z->nid, z->name);
		for (int k = 0; k < NR_ORDERS; k++)
			out_printf(o, "%6llu ", (ull)free_area_nr_free(&z->free_area[k]));
		out_puts(o, "\n");
	}
}

/* ---- /proc/pagetypeinfo ---------------------------------------------------- */

/* 6.13 pagetypeinfo_showfree_print() stops counting a free list at 100000
 * entries and prints ">" before the number; 2.6.32 counts every entry. */
#define FREECOUNT_CAP 100000ull

static void pagetypeinfo_json(struct out *o, const struct machine *m)
{
	const struct kernel_profile *kp = m->kp;
	bool first = true;

	out_printf(o, "{\"pageblock_order\":%u,\"pages_per_block\":%llu,\"free\":[",
		   m->pageblock_order, 1ull << m->pageblock_order);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		for (int mt = 0; mt < kp->nr_migratetypes; mt++) {
			view_json_zone_open(o, z, &first);
			out_puts(o, ",\"type\":");
			out_json_str(o, kp->mt_names[mt]);
			out_puts(o, ",\"counts\":[");
			for (int k = 0; k < NR_ORDERS; k++)
				out_printf(o, "%s%llu", k ? "," : "", (ull)z->free_area[k].nr_mt[mt]);
			out_puts(o, "]}");
		}
	}
	out_puts(o, "],\"blocks\":[");
	first = true;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		view_json_zone_open(o, z, &first);
		out_puts(o, ",\"counts\":{");
		for (int mt = 0; mt < kp->nr_migratetypes; mt++) {
			out_printf(o, "%s", mt ? "," : "");
			out_json_str(o, kp->mt_names[mt]);
			out_printf(o, ":%llu", (ull)z->nr_pageblocks[mt]);
		}
		out_puts(o, "}}");
	}
	out_puts(o, "]}\n");
}

static void pagetypeinfo_node(struct out *o, const struct machine *m, int nid)
{
	const struct kernel_profile *kp = m->kp;

	out_printf(o, "Page block order: %d\n", (int)m->pageblock_order);
	out_printf(o, "Pages per block:  %llu\n", 1ull << m->pageblock_order);
	out_puts(o, "\n");

	/* pagetypeinfo_showfree() */
	out_printf(o, "%-43s ", "Free pages count per migrate type at order");
	for (int k = 0; k < NR_ORDERS; k++)
		out_printf(o, "%6d ", k);
	out_puts(o, "\n");
	for (int i = nid * m->nr_node_zones; i < (nid + 1) * m->nr_node_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		/* pagetypeinfo_showfree_print() */
		for (int mt = 0; mt < kp->nr_migratetypes; mt++) {
			out_printf(o, "Node %4d, zone %8s, type %12s ", z->nid, z->name, kp->mt_names[mt]);
			for (int k = 0; k < NR_ORDERS; k++) {
				ull n = z->free_area[k].nr_mt[mt];
				bool overflow = false;
				if (!view_old(m) && n >= FREECOUNT_CAP) {
					n = FREECOUNT_CAP;
					overflow = true;
				}
				out_printf(o, "%s%6llu ", overflow ? ">" : "", n);
			}
			out_puts(o, "\n");
		}
	}

	/* pagetypeinfo_showblockcount() */
	out_printf(o, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < kp->nr_migratetypes; mt++)
		out_printf(o, "%12s ", kp->mt_names[mt]);
	out_puts(o, "\n");
	for (int i = nid * m->nr_node_zones; i < (nid + 1) * m->nr_node_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		/* pagetypeinfo_showblockcount_print() */
		out_printf(o, "Node %d, zone %8s ", z->nid, z->name);
		for (int mt = 0; mt < kp->nr_migratetypes; mt++)
			out_printf(o, "%12llu ", (ull)z->nr_pageblocks[mt]);
		out_puts(o, "\n");
	}
}

/*
 * mm/vmstat.c: pagetypeinfo_show() -> pagetypeinfo_showfree() and
 * pagetypeinfo_showblockcount() (kernel-facts §12.2; 2.6.32: research
 * notes A.3, reconstructed from the 2.6.24 text plus MIGRATE_TYPES = 5).
 */
void view_pagetypeinfo(struct out *o, const struct machine *m)
{
	if (o->json) {
		pagetypeinfo_json(o, m);
		return;
	}
	/* pagetypeinfo_show() for each node with memory: the whole report,
	 * headers included, once per node */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		pagetypeinfo_node(o, m, (int)nid);
}

/* ---- /proc/zoneinfo -------------------------------------------------------- */

/* 6.13 enum node_stat_item names (mm/vmstat.c vmstat_text[], node part) for
 * the configuration above; research notes F.1 (nr_hugetlb: best estimate
 * for 6.13, see the notes). */
static const char *const node_stats_13[] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
	"nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable",
	"nr_isolated_anon", "nr_isolated_file", "workingset_nodes",
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped",
	"nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
	"nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written",
	"nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages",
	"nr_sec_page_table_pages", "nr_iommu_pages", "nr_swapcached",
	"pgpromote_success", "pgpromote_candidate", "pgdemote_kswapd", "pgdemote_direct",
	"pgdemote_khugepaged", "nr_hugetlb",
};

/* 6.1's list (the real 6.1 zoneinfo files): up to nr_swapcached (no
 * nr_iommu_pages, demotion counters or nr_hugetlb), then pgpromote_success
 * and pgpromote_candidate with CONFIG_NUMA_BALANCING (Debian amd64, not
 * 686) - items 0..41 then 42, 43 of node_stats_13, whose order 6.1 shares */
enum { NS61_SWAPCACHED = 40, NS13_IOMMU = 40 };       /* 6.1's k, 6.13's index */
static size_t node_stats_61_count(const struct machine *m)
{
	return m->arch->bits == 64 ? NS61_SWAPCACHED + 3 : NS61_SWAPCACHED + 1;
}
/* the k-th 6.1 item as an index of node_stats_13 */
static size_t node_stat_61_index(size_t k)
{
	return k >= NS13_IOMMU ? k + 1 : k;
}

/* kmemsh's rows of the node stats of this kernel: the k-th name and value */
static bool node_stat_at(const struct machine *m, size_t k, size_t *idx)
{
	if (m->kp->kv == KV_6_1) {
		if (k >= node_stats_61_count(m))
			return false;
		*idx = node_stat_61_index(k);
		return true;
	}
	if (k >= sizeof node_stats_13 / sizeof node_stats_13[0])
		return false;
	*idx = k;
	return true;
}

enum { NS13_SLAB_RECLAIMABLE = 5, NS13_SLAB_UNRECLAIMABLE = 6, NS13_ANON_PAGES = 17, NS13_FILE_PAGES = 19,
       NS13_DIRTY = 20, NS13_VMSCAN_WRITE = 29, NS13_DIRTIED = 31, NS13_WRITTEN = 32, NS13_PAGETABLE = 38,
       NS13_PGPROMOTE_SUCCESS = 42, NS13_PGPROMOTE_CANDIDATE = 43 };

/* The node's slab pages (one node: the slab layer's totals) and its LRU
 * pages (vmscan.h: NR_LRU_BASE + lru for the first four items). */
/* the node's own LRU and dirty counts with more than one node; the other
 * node stats (file pages, slab, writeback) are machine totals shown on
 * node 0 (kmemsh keeps them per machine) */
static ull node_stat_nid(const struct machine *m, int nid, size_t i)
{
	ull sum = 0;
	for (int z = nid * m->nr_node_zones; z < (nid + 1) * m->nr_node_zones; z++) {
		if (i < NR_LRU_LISTS)
			sum += vmscan_lru_pages(m, z, (enum lru_list)i);
		else if (i == NS13_ANON_PAGES)
			sum += vmscan_lru_pages(m, z, LRU_INACTIVE_ANON) + vmscan_lru_pages(m, z, LRU_ACTIVE_ANON);
		else if (i == NS13_DIRTY)
			sum += vmscan_nr_dirty(m, z);
	}
	return sum;
}

static ull node_stat_13(const struct machine *m, int nid, size_t i)
{
	if (m->nr_nodes > 1 && (i < NR_LRU_LISTS || i == NS13_ANON_PAGES || i == NS13_DIRTY))
		return node_stat_nid(m, nid, i);
	if (nid > 0)
		return 0;
	if (i < NR_LRU_LISTS)
		return vmscan_lru_pages(m, -1, (enum lru_list)i);
	switch (i) {
	case NS13_ANON_PAGES:
		return vmscan_lru_pages(m, -1, LRU_INACTIVE_ANON) + vmscan_lru_pages(m, -1, LRU_ACTIVE_ANON);
	case NS13_FILE_PAGES:
		return vmscan_file_pages(m);
	case NS13_DIRTY:
		return vmscan_nr_dirty(m, -1);
	case NS13_VMSCAN_WRITE:
	case NS13_WRITTEN:      /* the model's only writeback is reclaim's pageout() */
		return m->vm ? m->vm->ev.nr_vmscan_write : 0;
	case NS13_DIRTIED:
		return m->vm ? m->vm->ev.nr_dirtied : 0;
	case NS13_PAGETABLE:    /* NR_PAGETABLE, as meminfo's PageTables */
		return m->pt ? m->pt->nr_counted : 0;
	default:
		break;
	}
	if (!m->slab)
		return 0;
	if (i == NS13_SLAB_RECLAIMABLE)
		return m->slab->reclaimable_pages;
	if (i == NS13_SLAB_UNRECLAIMABLE)
		return m->slab->unreclaimable_pages;
	return 0;
}

/* 6.13 enum zone_stat_item names (with CONFIG_ZSMALLOC) */
enum { ZS13_FREE_PAGES = 0 };
static const char *const zone_stats_13[] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon",
	"nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable",
	"nr_zone_write_pending", "nr_mlock", "nr_bounce", "nr_zspages", "nr_free_cma",
};

/* 6.13 enum numa_stat_item names (CONFIG_NUMA), in machine.h's order */
static const char *const numa_events_13[] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
};

/* 2.6.32 enum zone_stat_item names, non-NUMA (research notes A.4) */
enum { ZS32_FREE_PAGES = 0, ZS32_ANON_PAGES = 7, ZS32_FILE_PAGES = 9, ZS32_DIRTY = 10, ZS32_SLAB_RECLAIMABLE = 12,
       ZS32_SLAB_UNRECLAIMABLE = 13, ZS32_PAGETABLE = 14, ZS32_VMSCAN_WRITE = 18 };
static const char *const zone_stats_32[] = {
	"nr_free_pages", "nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
	"nr_active_file", "nr_unevictable", "nr_mlock", "nr_anon_pages", "nr_mapped",
	"nr_file_pages", "nr_dirty", "nr_writeback", "nr_slab_reclaimable",
	"nr_slab_unreclaimable", "nr_page_table_pages", "nr_kernel_stack", "nr_unstable",
	"nr_bounce", "nr_vmscan_write", "nr_writeback_temp", "nr_isolated_anon",
	"nr_isolated_file", "nr_shmem",
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* 2.6.32 counts slab pages per zone: walk the slabs (and large kmallocs,
 * which the slab layer's unreclaimable counter includes) in zone z. */
static void slab_zone_pages(const struct machine *m, int z, ull *rec, ull *unrec)
{
	const struct slab_state *st = m->slab;
	*rec = *unrec = 0;
	if (!st)
		return;
	for (uint32_t id = 0; id < st->nr_slabs; id++) {
		const struct slab *s = &st->slabs[id];
		if (s->cache == SLAB_NONE || s->cache >= st->nr_caches || machine_pfn_zone(m, s->pfn) != z)
			continue;
		if (st->caches[s->cache].flags & SLAB_RECLAIM_ACCOUNT_F)
			*rec += 1ull << s->order;
		else
			*unrec += 1ull << s->order;
	}
	for (size_t i = 0; i < st->large_used; i++)
		if (machine_pfn_zone(m, st->large[i].pfn) == z)
			*unrec += 1ull << st->large[i].order;
}

static ull zone_stat_32(const struct machine *m, const struct zone *z, size_t i)
{
	ull rec, unrec;
	/* NR_INACTIVE_ANON .. NR_ACTIVE_FILE are items 1-4, in enum lru_list order */
	if (i >= 1 && i <= NR_LRU_LISTS)
		return vmscan_lru_pages(m, z->idx, (enum lru_list)(i - 1));
	switch (i) {
	case ZS32_FREE_PAGES:
		return z->free_pages;
	case ZS32_ANON_PAGES:
		return vmscan_lru_pages(m, z->idx, LRU_INACTIVE_ANON) + vmscan_lru_pages(m, z->idx, LRU_ACTIVE_ANON);
	case ZS32_FILE_PAGES:
		return vmscan_lru_pages(m, z->idx, LRU_INACTIVE_FILE) + vmscan_lru_pages(m, z->idx, LRU_ACTIVE_FILE);
	case ZS32_DIRTY:
		return vmscan_nr_dirty(m, z->idx);
	case ZS32_VMSCAN_WRITE:
		return m->vm ? m->vm->ev.vmscan_write_z[z->idx] : 0;
	case ZS32_SLAB_RECLAIMABLE:
	case ZS32_SLAB_UNRECLAIMABLE:
		slab_zone_pages(m, z->idx, &rec, &unrec);
		return i == ZS32_SLAB_RECLAIMABLE ? rec : unrec;
	default:
		return 0;
	}
}

struct pcp_view {
	long long count, high, batch, high_min, high_max;
	int threshold;
};

/*
 * The pagesets of zone z on one CPU, from the model's per-CPU lists
 * (pcp.c: 6.13 zone_batchsize(), zone_highsize(), pcp->high clamped into
 * [high_min, high_max] on first use and 0 before; 2.6.32 zone_batchsize()
 * and setup_pageset(), high = 6 * batch).  mm/vmstat.c:
 * calculate_normal_threshold() — 6.13 from managed pages, 2.6.32 from
 * present pages.
 */
static void pcp_view_of(const struct machine *m, const struct zone *z, unsigned cpu, struct pcp_view *p)
{
	const struct per_cpu_pages *pc = pcp_of(m, z->idx, cpu);
	bool old = view_old(m);
	p->count = pc ? pc->count : 0;
	p->high = pc ? pc->high : 0;
	p->batch = pc ? pc->batch : 1;
	p->high_min = pc ? pc->high_min : 0;
	p->high_max = pc ? pc->high_max : 0;
	ull mem = (old ? z->present : z->managed) >> (27 - m->arch->page_shift);
	int t = 2 * (int)kmemsh_fls64(m->ncpus) * (1 + (int)kmemsh_fls64(mem));
	p->threshold = t > 125 ? 125 : t;
}

/* 2.6.32 calculate_zone_inactive_ratio() (research notes C.9) */
static unsigned inactive_ratio_32(const struct machine *m, const struct zone *z)
{
	ull gb = z->present >> (30 - m->arch->page_shift);
	return gb ? (unsigned)int_sqrt(10 * gb) : 1;
}

static ull zone_stat_13(const struct machine *m, const struct zone *z, size_t i)
{
	/* NR_ZONE_INACTIVE_ANON .. NR_ZONE_ACTIVE_FILE are items 1-4; item 6,
	 * NR_ZONE_WRITE_PENDING, is dirty plus writeback */
	if (i >= 1 && i <= NR_LRU_LISTS)
		return vmscan_lru_pages(m, z->idx, (enum lru_list)(i - 1));
	if (i == 6)
		return vmscan_nr_dirty(m, z->idx);
	return i == ZS13_FREE_PAGES ? z->free_pages : 0;
}

static ull numa_event_13(const struct machine *m, const struct zone *z, size_t i)
{
	/* zone_statistics(): with one node every allocation from the zone is
	 * a local hit; with more, buddy.c counts them.  NUMA_INTERLEAVE_HIT is
	 * alloc_pages_mpol()'s (6.13 mm/mempolicy.c), counted by mempolicy.c
	 * with one node too (numaview.c's node_numa() reads it alike) */
	if (m->nr_nodes > 1 || i == NUMA_INTERLEAVE_HIT)
		return z->numa_stat[i];
	return i == NUMA_HIT || i == NUMA_LOCAL ? z->allocs : 0;
}

/* mm/vmstat.c: zoneinfo_show_print() (6.13), every configured zone
 * (research notes F.1; kernel-facts §12.3).  6.1's (the real 6.1 files):
 * no "promo" line (6.2), the 6.1 node stats, numa_* lines only with
 * CONFIG_NUMA (x86_64), and pagesets of count, high and batch (high_min
 * and high_max came in 6.7; 6.1's zone_highsize() is 6.13's high_min) */
static void zoneinfo_13(struct out *o, const struct machine *m)
{
	bool v61 = m->kp->kv == KV_6_1;

	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		out_printf(o, "Node %d, zone %8s", z->nid, z->name);
		if (first_populated(m, i)) {
			size_t idx;
			out_puts(o, "\n  per-node stats");
			for (size_t k = 0; node_stat_at(m, k, &idx); k++)
				out_printf(o, "\n      %-12s %llu", node_stats_13[idx], node_stat_13(m, z->nid, idx));
		}
		out_printf(o,
			   "\n  pages free     %llu"
			   "\n        boost    %llu"
			   "\n        min      %llu"
			   "\n        low      %llu"
			   "\n        high     %llu",
			   (ull)z->free_pages, (ull)z->watermark_boost,
			   (ull)z->wmark[WMARK_MIN], (ull)z->wmark[WMARK_LOW],
			   (ull)z->wmark[WMARK_HIGH]);
		if (m->kp->has_promo)
			out_printf(o, "\n        promo    %llu", (ull)z->wmark[WMARK_PROMO]);
		out_printf(o,
			   "\n        spanned  %llu"
			   "\n        present  %llu"
			   "\n        managed  %llu"
			   "\n        cma      %llu",
			   (ull)z->spanned, (ull)z->present, (ull)z->managed, 0ull);
		out_printf(o, "\n        protection: (%lld", (long long)z->lowmem_reserve[0]);
		for (int j = 1; j < m->nr_node_zones; j++)
			out_printf(o, ", %lld", (long long)z->lowmem_reserve[j]);
		out_puts(o, ")");
		/* "If unpopulated, no other information is useful" */
		if (!view_zone_populated(z)) {
			out_puts(o, "\n");
			continue;
		}
		for (size_t k = 0; k < NELEM(zone_stats_13); k++)
			out_printf(o, "\n      %-12s %llu", zone_stats_13[k], zone_stat_13(m, z, k));
		for (size_t k = 0; k < NELEM(numa_events_13) && (!v61 || m->arch->bits == 64); k++)
			out_printf(o, "\n      %-12s %llu", numa_events_13[k], numa_event_13(m, z, k));
		out_puts(o, "\n  pagesets");
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			struct pcp_view p;
			pcp_view_of(m, z, cpu, &p);
			if (!m->kp->pcp_high_minmax)
				out_printf(o,
					   "\n    cpu: %i"
					   "\n              count: %i"
					   "\n              high:  %i"
					   "\n              batch: %i",
					   (int)cpu, (int)p.count, (int)p.high, (int)p.batch);
			else
				out_printf(o,
				   "\n    cpu: %i"
				   "\n              count:    %i"
				   "\n              high:     %i"
				   "\n              batch:    %i"
				   "\n              high_min: %i"
				   "\n              high_max: %i",
				   (int)cpu, (int)p.count, (int)p.high, (int)p.batch,
				   (int)p.high_min, (int)p.high_max);
			out_printf(o, "\n  vm stats threshold: %d", p.threshold);
		}
		out_printf(o,
			   "\n  node_unreclaimable:  %u"
			   "\n  start_pfn:           %llu",
			   0u, (ull)z->start_pfn);
		out_puts(o, "\n");
	}
}

/* mm/vmstat.c: zoneinfo_show_print() (2.6.32, research notes A.4 — (R)
 * reconstructed from 2.6.24 and patches against 2.6.3x), populated zones
 * only */
static void zoneinfo_32(struct out *o, const struct machine *m)
{
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		out_printf(o, "Node %d, zone %8s", z->nid, z->name);
		out_printf(o,
			   "\n  pages free     %llu"
			   "\n        min      %llu"
			   "\n        low      %llu"
			   "\n        high     %llu"
			   "\n        scanned  %llu"
			   "\n        spanned  %llu"
			   "\n        present  %llu",
			   (ull)z->free_pages, (ull)z->wmark[WMARK_MIN], (ull)z->wmark[WMARK_LOW],
			   (ull)z->wmark[WMARK_HIGH], 0ull, (ull)z->spanned, (ull)z->present);
		for (size_t k = 0; k < NELEM(zone_stats_32); k++)
			out_printf(o, "\n    %-12s %llu", zone_stats_32[k], zone_stat_32(m, z, k));
		out_printf(o, "\n        protection: (%llu", (ull)z->lowmem_reserve[0]);
		for (int j = 1; j < m->nr_node_zones; j++)
			out_printf(o, ", %llu", (ull)z->lowmem_reserve[j]);
		out_puts(o, ")\n  pagesets");
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			struct pcp_view p;
			pcp_view_of(m, z, cpu, &p);
			out_printf(o,
				   "\n    cpu: %i"
				   "\n              count: %i"
				   "\n              high:  %i"
				   "\n              batch: %i",
				   (int)cpu, (int)p.count, (int)p.high, (int)p.batch);
			out_printf(o, "\n  vm stats threshold: %d", p.threshold);
		}
		out_printf(o,
			   "\n  all_unreclaimable: %u"
			   "\n  prev_priority:     %i"
			   "\n  start_pfn:         %llu"
			   "\n  inactive_ratio:    %u",
			   0u, 12, (ull)z->start_pfn, inactive_ratio_32(m, z));
		out_puts(o, "\n");
	}
}

static void json_u64(struct out *o, bool *first, const char *key, ull v)
{
	view_json_key(o, first, key);
	out_printf(o, "%llu", v);
}

static void zoneinfo_json(struct out *o, const struct machine *m)
{
	bool old = view_old(m);
	bool firstz = true;

	out_puts(o, "{\"zones\":[");
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		bool pop = view_zone_populated(z);
		bool f = true;
		if (old && !pop)
			continue;
		out_puts(o, firstz ? "{" : ",{");
		firstz = false;
		json_u64(o, &f, "node", (ull)z->nid);
		view_json_key(o, &f, "zone");
		out_json_str(o, z->name);
		view_json_key(o, &f, "populated");
		out_puts(o, pop ? "true" : "false");
		if (!old && first_populated(m, i)) {
			bool g = true;
			size_t idx;
			view_json_key(o, &f, "per_node_stats");
			out_puts(o, "{");
			for (size_t k = 0; node_stat_at(m, k, &idx); k++)
				json_u64(o, &g, node_stats_13[idx], node_stat_13(m, z->nid, idx));
			out_puts(o, "}");
		}
		json_u64(o, &f, "free", z->free_pages);
		if (!old)
			json_u64(o, &f, "boost", z->watermark_boost);
		json_u64(o, &f, "min", z->wmark[WMARK_MIN]);
		json_u64(o, &f, "low", z->wmark[WMARK_LOW]);
		json_u64(o, &f, "high", z->wmark[WMARK_HIGH]);
		if (!old && m->kp->has_promo)
			json_u64(o, &f, "promo", z->wmark[WMARK_PROMO]);
		else if (old)
			json_u64(o, &f, "scanned", 0);
		json_u64(o, &f, "spanned", z->spanned);
		json_u64(o, &f, "present", z->present);
		if (!old) {
			json_u64(o, &f, "managed", z->managed);
			json_u64(o, &f, "cma", 0);
		}
		view_json_key(o, &f, "protection");
		out_puts(o, "[");
		for (int j = 0; j < m->nr_node_zones; j++)
			out_printf(o, "%s%llu", j ? "," : "", (ull)z->lowmem_reserve[j]);
		out_puts(o, "]");
		if (pop) {
			bool g = true;
			view_json_key(o, &f, "stats");
			out_puts(o, "{");
			if (old) {
				for (size_t k = 0; k < NELEM(zone_stats_32); k++)
					json_u64(o, &g, zone_stats_32[k], zone_stat_32(m, z, k));
			} else {
				for (size_t k = 0; k < NELEM(zone_stats_13); k++)
					json_u64(o, &g, zone_stats_13[k], zone_stat_13(m, z, k));
				for (size_t k = 0; k < NELEM(numa_events_13) &&
						   (m->kp->kv != KV_6_1 || m->arch->bits == 64); k++)
					json_u64(o, &g, numa_events_13[k], numa_event_13(m, z, k));
			}
			out_puts(o, "}");
			view_json_key(o, &f, "pagesets");
			out_puts(o, "[");
			for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
				struct pcp_view p;
				pcp_view_of(m, z, cpu, &p);
				out_printf(o, "%s{\"cpu\":%u,\"count\":%lld,\"high\":%lld,\"batch\":%lld",
					   cpu ? "," : "", cpu, p.count, p.high, p.batch);
				if (!old && m->kp->pcp_high_minmax)
					out_printf(o, ",\"high_min\":%lld,\"high_max\":%lld", p.high_min, p.high_max);
				out_printf(o, ",\"vm_stats_threshold\":%d}", p.threshold);
			}
			out_puts(o, "]");
			if (old) {
				json_u64(o, &f, "all_unreclaimable", 0);
				json_u64(o, &f, "prev_priority", 12);
			} else {
				json_u64(o, &f, "node_unreclaimable", 0);
			}
			json_u64(o, &f, "start_pfn", z->start_pfn);
			if (old)
				json_u64(o, &f, "inactive_ratio", inactive_ratio_32(m, z));
		}
		out_puts(o, "}");
	}
	out_puts(o, "]}\n");
}

void view_zoneinfo(struct out *o, const struct machine *m)
{
	if (o->json)
		zoneinfo_json(o, m);
	else if (view_old(m))
		zoneinfo_32(o, m);
	else
		zoneinfo_13(o, m);
}

/* ---- /proc/vmstat ------------------------------------------------------------
 * mm/vmstat.c vmstat_start()/vmstat_show(): one "name value" line per item of
 * vmstat_text[], in its order: the zone stats summed over zones, the NUMA
 * events (CONFIG_NUMA: the 64-bit profiles), the node stats, the vm_stat
 * items (6.13: global_dirty_limits(), the memmap pages) and the events
 * (6.13: per zone pgalloc/allocstall/pgskip; 2.6.32 also pgrefill, pgsteal
 * and pgscan per zone), 6.13 then "nr_unstable 0".  What the model does not
 * keep is 0: the mechanism is not modelled, so the modelled machine never
 * counted it (kmemsh.7, /proc/vmstat, lists which items the model computes).
 */

struct vmstat_emit {
	struct out *o;
	bool first;
};

static void vs_put(struct vmstat_emit *e, const char *name, ull v)
{
	if (e->o->json) {
		json_u64(e->o, &e->first, name, v);
		return;
	}
	out_printf(e->o, "%s %llu\n", name, v);
}

/* items the model never counts, in vmstat_text[] order */
static void vs_zeros(struct vmstat_emit *e, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vs_put(e, names[i], 0);
}

/* TEXTS_FOR_ZONES(prefix): one item per configured zone ("_high" for HighMem) */
/* one counter per zone type, as __count_zid_vm_events() keeps them: vals
 * indexed by zone type, or with by_zone by the machine's zone (node-major,
 * every node's zone of that type summed) */
static void vs_zones_of(struct vmstat_emit *e, const struct machine *m, const char *prefix, const uint64_t *vals,
			bool by_zone)
{
	for (int t = 0; t < m->nr_node_zones; t++) {
		char name[48];
		snprintf(name, sizeof name, "%s_%s", prefix,
			 strcmp(m->zones[t].name, "HighMem") == 0 ? "high" : m->zones[t].name);
		for (char *p = name; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ull v = 0;
		if (vals && by_zone)
			for (int nid = 0; nid < (int)m->nr_nodes; nid++)
				v += vals[nid * m->nr_node_zones + t];
		else if (vals)
			v = vals[t];
		vs_put(e, name, v);
	}
}

static void vs_zones(struct vmstat_emit *e, const struct machine *m, const char *prefix, const uint64_t *vals)
{
	vs_zones_of(e, m, prefix, vals, false);
}

/*
 * mm/page-writeback.c (6.13): global_dirtyable_memory() = free pages less
 * totalreserve_pages, plus the file LRU, less highmem_dirtyable_memory()
 * (vm_highmem_is_dirtyable 0: the zones above Normal, each free less its
 * high watermark plus its file LRU, at most the total), plus 1; then
 * domain_dirty_limits() with the ratios in per-PAGE_SIZE units:
 * thresh = (20 * PAGE_SIZE / 100) * avail / PAGE_SIZE, bg likewise with 10
 * (vm.dirty_ratio 20, vm.dirty_background_ratio 10; bg >= thresh -> thresh/2).
 */
void view_dirty_limits(const struct machine *m, uint64_t *thresh, uint64_t *bg)
{
	ull free = 0, file = vmscan_lru_pages(m, -1, LRU_INACTIVE_FILE) + vmscan_lru_pages(m, -1, LRU_ACTIVE_FILE);
	for (int z = 0; z < m->nr_zones; z++)
		free += m->zones[z].free_pages;
	ull tr = vmscan_totalreserve_pages(m);
	ull x = free - (free < tr ? free : tr) + file;
	if (m->arch->highmem) {
		/* i = ZONE_NORMAL + 1 .. MAX_NR_ZONES - 1 */
		int normal = 0;
		for (int z = 0; z < m->nr_zones; z++)
			if (m->zones[z].kind == ZK_NORMAL)
				normal = z;
		ull h = 0;
		for (int z = 0; z < m->nr_zones; z++) {
			const struct zone *zn = &m->zones[z];
			if (z <= normal || !view_zone_populated(zn))
				continue;
			ull f = zn->free_pages, hw = zn->wmark[WMARK_HIGH];
			h += f - (f < hw ? f : hw) + vmscan_lru_pages(m, z, LRU_INACTIVE_FILE) +
			     vmscan_lru_pages(m, z, LRU_ACTIVE_FILE);
		}
		x -= h < x ? h : x;
	}
	x += 1;
	ull page = 1ull << m->arch->page_shift;
	ull ratio = 20 * page / 100, bg_ratio = 10 * page / 100;
	*thresh = ratio * x / page;
	*bg = bg_ratio * x / page;
	if (*bg >= *thresh)
		*bg = *thresh / 2;
}

/* pgfree: every page the model handed out was freed once before (boot's
 * memblock_free_all() and every free after count PGFREE), and a page
 * compaction migrated was freed without its new copy counting PGALLOC
 * (isolate_freepages() takes it off the lists directly): so
 * PGFREE = NR_FREE_PAGES + sum(PGALLOC) + PGMIGRATE_SUCCESS. */
static ull vs_pgfree(const struct machine *m, ull nr_free)
{
	ull n = nr_free + m->compact_ev.migrated;
	for (int z = 0; z < m->nr_zones; z++)
		n += m->pgalloc[z];
	return n;
}

/* 6.13's vmstat_text[]; 6.1's (the real 6.1 /proc/vmstat files) is the
 * same but for items 6.1 has not yet: the node stats after nr_swapcached
 * but the pgpromote pair (node_stat_at()), nr_memmap_pages and
 * nr_memmap_boot_pages (6.8), pgsteal/pgscan_khugepaged (6.7),
 * thp_underused_split_page (6.12), swpin_zero/swpout_zero (6.12), zswpwb
 * (6.8), the direct_map collapses (6.7); and 6.1 has pgdemote_kswapd and
 * pgdemote_direct as events after pgsteal_direct (node stats since 6.8). */
static void vmstat_13(struct vmstat_emit *e, const struct machine *m)
{
	const bool v61 = m->kp->kv == KV_6_1;
	struct vm_events ev;
	memset(&ev, 0, sizeof ev);
	if (m->vm)
		ev = m->vm->ev;
	bool numa = m->arch->bits == 64;        /* CONFIG_NUMA: the 64-bit distribution kernels */
	ull nr_free = 0;
	for (int z = 0; z < m->nr_zones; z++)
		nr_free += m->zones[z].free_pages;

	/* enum zone_stat_item, global_zone_page_state() */
	for (size_t k = 0; k < NELEM(zone_stats_13); k++) {
		ull sum = 0;
		for (int z = 0; z < m->nr_zones; z++)
			if (view_zone_populated(&m->zones[z]))
				sum += zone_stat_13(m, &m->zones[z], k);
		vs_put(e, zone_stats_13[k], sum);
	}
	if (numa)
		for (size_t k = 0; k < NELEM(numa_events_13); k++) {
			ull sum = 0;
			for (int z = 0; z < m->nr_zones; z++)
				if (view_zone_populated(&m->zones[z]))
					sum += numa_event_13(m, &m->zones[z], k);
			vs_put(e, numa_events_13[k], sum);
		}
	/* enum node_stat_item (pgpromote_*: CONFIG_NUMA_BALANCING, NUMA only) */
	size_t k;
	for (size_t i = 0; node_stat_at(m, i, &k); i++) {
		if (!numa && (k == NS13_PGPROMOTE_SUCCESS || k == NS13_PGPROMOTE_CANDIDATE))
			continue;
		ull sum = 0;    /* global_node_page_state(): every node's */
		for (int nid = 0; nid < (int)m->nr_nodes; nid++)
			sum += node_stat_13(m, nid, k);
		vs_put(e, node_stats_13[k], sum);
	}
	/* enum vm_stat_item */
	uint64_t thresh, bg;
	view_dirty_limits(m, &thresh, &bg);
	vs_put(e, "nr_dirty_threshold", thresh);
	vs_put(e, "nr_dirty_background_threshold", bg);
	if (!v61) {
		vs_put(e, "nr_memmap_pages", 0);        /* memory hot-add only */
		vs_put(e, "nr_memmap_boot_pages", machine_memmap_boot_pages(m));
	}

	/* enum vm_event_item; PGPGIN/PGPGOUT are kB (sectors / 2) */
	ull kb = 1ull << (m->arch->page_shift - 10);
	vs_put(e, "pgpgin", (ev.pgread + ev.pswpin) * kb);
	vs_put(e, "pgpgout", (ev.nr_vmscan_write + ev.pswpout) * kb);
	vs_put(e, "pswpin", ev.pswpin);
	vs_put(e, "pswpout", ev.pswpout);
	vs_zones_of(e, m, "pgalloc", m->pgalloc, true);
	vs_zones(e, m, "allocstall", ev.allocstall);
	vs_zones(e, m, "pgskip", NULL);         /* LRU lists per zone: nothing to skip */
	vs_put(e, "pgfree", vs_pgfree(m, nr_free));
	vs_put(e, "pgactivate", 0);             /* no page is referenced again */
	vs_put(e, "pgdeactivate", ev.pgdeactivate);
	vs_put(e, "pglazyfree", 0);
	vs_put(e, "pgfault", ev.pgfault);
	static const char *const after_fault[] = { "pgmajfault", "pglazyfreed" };
	vs_zeros(e, after_fault, NELEM(after_fault));
	vs_put(e, "pgrefill", ev.pgrefill);
	vs_put(e, "pgreuse", 0);
	vs_put(e, "pgsteal_kswapd", ev.pgsteal_kswapd);
	vs_put(e, "pgsteal_direct", ev.pgsteal_direct);
	if (v61) {
		vs_put(e, "pgdemote_kswapd", 0);        /* no memory tiers */
		vs_put(e, "pgdemote_direct", 0);
	} else {
		vs_put(e, "pgsteal_khugepaged", 0);
	}
	vs_put(e, "pgscan_kswapd", ev.pgscan_kswapd);
	vs_put(e, "pgscan_direct", ev.pgscan_direct);
	if (!v61)
		vs_put(e, "pgscan_khugepaged", 0);
	vs_put(e, "pgscan_direct_throttle", 0);
	vs_put(e, "pgscan_anon", ev.pgscan_anon);
	vs_put(e, "pgscan_file", ev.pgscan_file);
	vs_put(e, "pgsteal_anon", ev.pgsteal_anon);
	vs_put(e, "pgsteal_file", ev.pgsteal_file);
	if (numa)
		vs_put(e, "zone_reclaim_failed", ev.zone_reclaim_failed);
	vs_put(e, "pginodesteal", 0);
	vs_put(e, "slabs_scanned", ev.slabs_scanned);
	static const char *const kswapd_quick[] = { "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
						    "kswapd_high_wmark_hit_quickly" };
	vs_zeros(e, kswapd_quick, NELEM(kswapd_quick));
	vs_put(e, "pageoutrun", ev.pageoutrun);
	vs_put(e, "pgrotated", ev.pgrotated);
	vs_put(e, "drop_pagecache", ev.drop_pagecache);
	vs_put(e, "drop_slab", ev.drop_slab);
	vs_put(e, "oom_kill", ev.oom_kill);
	if (numa) {
		static const char *const numa_bal[] = { "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults",
							"numa_hint_faults_local", "numa_pages_migrated" };
		vs_zeros(e, numa_bal, NELEM(numa_bal));
	}
	vs_put(e, "pgmigrate_success", m->compact_ev.migrated);
	vs_put(e, "pgmigrate_fail", m->compact_ev.migrate_fail);
	static const char *const thp_mig[] = { "thp_migration_success", "thp_migration_fail", "thp_migration_split" };
	vs_zeros(e, thp_mig, NELEM(thp_mig));
	const struct compact_events *c = &m->compact_ev;
	vs_put(e, "compact_migrate_scanned", c->migrate_scanned);
	vs_put(e, "compact_free_scanned", c->free_scanned);
	vs_put(e, "compact_isolated", c->isolated);
	vs_put(e, "compact_stall", c->stall);
	vs_put(e, "compact_fail", c->fail);
	vs_put(e, "compact_success", c->success);
	vs_put(e, "compact_daemon_wake", c->daemon_wake);
	vs_put(e, "compact_daemon_migrate_scanned", c->daemon_migrate_scanned);
	vs_put(e, "compact_daemon_free_scanned", c->daemon_free_scanned);
	static const char *const rest[] = {
		"htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
		"unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
		"unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
		"unevictable_pgs_stranded",
		"thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc",
		"thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback", "thp_file_fallback_charge",
		"thp_file_mapped", "thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
		"thp_underused_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte",
		"thp_scan_exceed_share_pte",
	};
	for (size_t i = 0; i < NELEM(rest); i++) {
		ull v = 0;
		if (!strcmp(rest[i], "htlb_buddy_alloc_success"))
			v = m->hugetlb.buddy_alloc_success;
		else if (!strcmp(rest[i], "htlb_buddy_alloc_fail"))
			v = m->hugetlb.buddy_alloc_fail;
		if (!v61 || strcmp(rest[i], "thp_underused_split_page"))
			vs_put(e, rest[i], v);
	}
	if (m->arch->bits == 64)
		vs_put(e, "thp_split_pud", 0);  /* CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD */
	static const char *const tail[] = {
		"thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback",
		"balloon_inflate", "balloon_deflate", "balloon_migrate",
		"swap_ra", "swap_ra_hit", "swpin_zero", "swpout_zero", "ksm_swpin_copy", "cow_ksm",
		"zswpin", "zswpout", "zswpwb",
		"direct_map_level2_splits", "direct_map_level3_splits", "direct_map_level2_collapses",
		"direct_map_level3_collapses",
		"nr_unstable",          /* vmstat_show(): the deprecated counter after the last item */
	};
	/* not in 6.1's vmstat_text[] */
	static const char *const not61[] = { "swpin_zero", "swpout_zero", "zswpwb", "direct_map_level2_collapses",
					     "direct_map_level3_collapses" };
	for (size_t i = 0; i < NELEM(tail); i++) {
		bool skip = false;
		for (size_t j = 0; v61 && j < NELEM(not61); j++)
			skip |= strcmp(tail[i], not61[j]) == 0;
		if (!skip)
			vs_put(e, tail[i], 0);
	}
}

/* 2.6.32 vmstat_text[] (no CONFIG_NUMA; CONFIG_HUGETLB_PAGE) */
static void vmstat_32(struct vmstat_emit *e, const struct machine *m)
{
	struct vm_events ev;
	memset(&ev, 0, sizeof ev);
	if (m->vm)
		ev = m->vm->ev;
	ull nr_free = 0;
	for (int z = 0; z < m->nr_zones; z++)
		nr_free += m->zones[z].free_pages;
	/* enum zone_stat_item, global_page_state() */
	for (size_t k = 0; k < NELEM(zone_stats_32); k++) {
		ull sum = 0;
		if (k == ZS32_PAGETABLE)
			sum = m->pt ? m->pt->nr_counted : 0;
		else
			for (int z = 0; z < m->nr_zones; z++)
				if (view_zone_populated(&m->zones[z]))
					sum += zone_stat_32(m, &m->zones[z], k);
		vs_put(e, zone_stats_32[k], sum);
	}
	ull kb = 1ull << (m->arch->page_shift - 10);
	vs_put(e, "pgpgin", (ev.pgread + ev.pswpin) * kb);
	vs_put(e, "pgpgout", (ev.nr_vmscan_write + ev.pswpout) * kb);
	vs_put(e, "pswpin", ev.pswpin);
	vs_put(e, "pswpout", ev.pswpout);
	vs_zones_of(e, m, "pgalloc", m->pgalloc, true);
	vs_put(e, "pgfree", vs_pgfree(m, nr_free));
	vs_put(e, "pgactivate", 0);
	vs_put(e, "pgdeactivate", ev.pgdeactivate);
	vs_put(e, "pgfault", ev.pgfault);
	vs_put(e, "pgmajfault", 0);
	vs_zones(e, m, "pgrefill", ev.pgrefill_z);
	vs_zones(e, m, "pgsteal", ev.pgsteal_z);
	vs_zones(e, m, "pgscan_kswapd", ev.pgscan_kswapd_z);
	vs_zones(e, m, "pgscan_direct", ev.pgscan_direct_z);
	vs_put(e, "pginodesteal", 0);
	vs_put(e, "slabs_scanned", ev.slabs_scanned);
	vs_put(e, "kswapd_steal", ev.pgsteal_kswapd);
	vs_put(e, "kswapd_inodesteal", 0);
	vs_put(e, "pageoutrun", ev.pageoutrun);
	vs_put(e, "allocstall", ev.allocstall[0]);
	vs_put(e, "pgrotated", ev.pgrotated);
	/* HTLB_BUDDY_PGALLOC(_FAIL): 2.6.32 alloc_fresh_huge_page() */
	vs_put(e, "htlb_buddy_alloc_success", m->hugetlb.buddy_alloc_success);
	vs_put(e, "htlb_buddy_alloc_fail", m->hugetlb.buddy_alloc_fail);
	static const char *const rest[] = {
		"unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued",
		"unevictable_pgs_mlocked", "unevictable_pgs_munlocked", "unevictable_pgs_cleared",
		"unevictable_pgs_stranded", "unevictable_pgs_mlockfreed",
	};
	vs_zeros(e, rest, NELEM(rest));
}

void view_vmstat(struct out *o, const struct machine *m)
{
	struct vmstat_emit e = { o, true };
	if (o->json)
		out_puts(o, "{");
	if (view_old(m))
		vmstat_32(&e, m);
	else
		vmstat_13(&e, m);
	if (o->json)
		out_puts(o, "}\n");
}

/* ---- /proc/meminfo ---------------------------------------------------------- */

enum mi_kind {
	MI_KB,          /* "%-16s%8lu kB\n": show_val_kb() / seq_printf("...:%8lu kB") */
	MI_COUNT,       /* hugetlb_report_meminfo(): "HugePages_Total:   %5lu\n" */
	MI_KB5,         /* "HardwareCorrupted: %5lu kB\n" (its own seq_printf()) */
};

struct mi_line {
	const char *label;      /* with the colon */
	ull value;              /* kB for MI_KB, a count for MI_COUNT */
	enum mi_kind kind;
};

#define MI_MAX 80

struct mi_table {
	struct mi_line v[MI_MAX];
	int n;
};

static void mi_add(struct mi_table *t, const char *label, ull value, enum mi_kind kind)
{
	if (t->n < MI_MAX)
		t->v[t->n++] = (struct mi_line){ label, value, kind };
}

/*
 * VMALLOC_TOTAL >> 10 (kernel-facts §6.1, research notes D.4):
 *   x86_64: VMALLOC_SIZE_TB 32 with VMALLOC_END inclusive -> 32 TiB - 1 byte
 *           (2.6.32: 0xffffe1ffffffffff - 0xffffc20000000000, the same)
 *   i386:   VMALLOC_END - VMALLOC_START, VMALLOC_END = PKMAP_BASE - 2 pages
 *           = 0xff7fe000 (= PAGE_OFFSET + MAXMEM + __VMALLOC_RESERVE, the
 *           arch profile's maxmem), VMALLOC_START = high_memory + 8 MiB
 *           (pgtable_32_types.h)
 */
static ull vmalloc_total_kb(const struct machine *m)
{
	if (m->arch->bits == 64)
		return ((32ull << 40) - 1) >> 10;
	/* VMALLOC_TOTAL = VMALLOC_END - VMALLOC_START (include/linux/vmalloc.h),
	 * from the profile's own layout: VMALLOC_END = PKMAP_BASE - 2*PAGE_SIZE
	 * moves with the fixmap (6.x: below the LDT and cpu_entry_area), so it
	 * is not 2.6.32's PAGE_OFFSET + MAXMEM + 128M (Debian 6.1 i386, 1G:
	 * 122880 kB, real-kernels/i386-6.1-1G-2cpu/meminfo.txt) */
	ull vmalloc_start = m->layout.vmalloc_start, vmalloc_end = m->layout.vmalloc_end;
	return vmalloc_end > vmalloc_start ? (vmalloc_end - vmalloc_start) >> 10 : 0;
}

static void meminfo_table(const struct machine *m, struct mi_table *t)
{
	bool old = view_old(m);
	bool highmem = m->arch->highmem;
	unsigned kshift = m->arch->page_shift - 10;
	ull totalram = m->totalram_pages, freeram = 0, freehigh = 0;

	for (int i = 0; i < m->nr_zones; i++) {
		freeram += m->zones[i].free_pages;
		if (m->zones[i].kind == ZK_HIGHMEM)
			freehigh += m->zones[i].free_pages;
	}
	ull totalhigh = m->totalhigh_pages;
	ull srec = m->slab ? m->slab->reclaimable_pages : 0;
	ull sunrec = m->slab ? m->slab->unreclaimable_pages : 0;
#define K(x) ((ull)(x) << kshift)
	t->n = 0;
	mi_add(t, "MemTotal:", K(totalram), MI_KB);
	mi_add(t, "MemFree:", K(freeram), MI_KB);
	ull act_anon = vmscan_lru_pages(m, -1, LRU_ACTIVE_ANON), inact_anon = vmscan_lru_pages(m, -1, LRU_INACTIVE_ANON);
	ull act_file = vmscan_lru_pages(m, -1, LRU_ACTIVE_FILE), inact_file = vmscan_lru_pages(m, -1, LRU_INACTIVE_FILE);
	if (!old) {
		/* mm/show_mem.c: si_mem_available(): free pages minus
		 * totalreserve_pages, plus the page cache and the reclaimable
		 * slab each less min(half of it, the zones' low watermarks) */
		ull wmark_low = 0;
		for (int i = 0; i < m->nr_zones; i++)
			wmark_low += m->zones[i].wmark[WMARK_LOW];
		int64_t avail = vmscan_si_mem_available(freeram, vmscan_totalreserve_pages(m), wmark_low,
							act_file + inact_file, srec);
		mi_add(t, "MemAvailable:", K(avail), MI_KB);
	}
	mi_add(t, "Buffers:", 0, MI_KB);
	/* Cached: NR_FILE_PAGES - swap cache - buffers (the swap cache and
	 * buffers are empty in the model) */
	mi_add(t, "Cached:", K(vmscan_file_pages(m)), MI_KB);
	mi_add(t, "SwapCached:", 0, MI_KB);
	mi_add(t, "Active:", K(act_anon + act_file), MI_KB);
	mi_add(t, "Inactive:", K(inact_anon + inact_file), MI_KB);
	mi_add(t, "Active(anon):", K(act_anon), MI_KB);
	mi_add(t, "Inactive(anon):", K(inact_anon), MI_KB);
	mi_add(t, "Active(file):", K(act_file), MI_KB);
	mi_add(t, "Inactive(file):", K(inact_file), MI_KB);
	mi_add(t, "Unevictable:", 0, MI_KB);
	mi_add(t, "Mlocked:", 0, MI_KB);
	if (highmem) {
		mi_add(t, "HighTotal:", K(totalhigh), MI_KB);
		mi_add(t, "HighFree:", K(freehigh), MI_KB);
		mi_add(t, "LowTotal:", K(totalram - totalhigh), MI_KB);
		mi_add(t, "LowFree:", K(freeram - freehigh), MI_KB);
	}
	ull swap_total = m->vm ? m->vm->swap_total : 0, swap_used = m->vm ? m->vm->swap_used : 0;
	mi_add(t, "SwapTotal:", K(swap_total), MI_KB);
	mi_add(t, "SwapFree:", K(swap_total - swap_used), MI_KB);
	if (!old) {
		mi_add(t, "Zswap:", 0, MI_KB);
		mi_add(t, "Zswapped:", 0, MI_KB);
	}
	mi_add(t, "Dirty:", K(vmscan_nr_dirty(m, -1)), MI_KB);
	mi_add(t, "Writeback:", 0, MI_KB);
	/* NR_ANON_MAPPED (6.13) / NR_ANON_PAGES (2.6.32): the anon pages in memory */
	mi_add(t, "AnonPages:", K(act_anon + inact_anon), MI_KB);
	mi_add(t, "Mapped:", 0, MI_KB);
	mi_add(t, "Shmem:", 0, MI_KB);
	/* KReclaimable: SReclaimable + NR_KERNEL_MISC_RECLAIMABLE (none) */
	if (!old)
		mi_add(t, "KReclaimable:", K(srec), MI_KB);
	mi_add(t, "Slab:", K(srec + sunrec), MI_KB);
	mi_add(t, "SReclaimable:", K(srec), MI_KB);
	mi_add(t, "SUnreclaim:", K(sunrec), MI_KB);
	mi_add(t, "KernelStack:", 0, MI_KB);
	/* NR_PAGETABLE: the table pages counted by their constructors (6.13:
	 * kernel pud/pmd tables allocated after boot; see pgtable.c) */
	mi_add(t, "PageTables:", K(m->pt->nr_counted), MI_KB);
	if (!old)
		mi_add(t, "SecPageTables:", 0, MI_KB);
	mi_add(t, "NFS_Unstable:", 0, MI_KB);
	mi_add(t, "Bounce:", 0, MI_KB);
	mi_add(t, "WritebackTmp:", 0, MI_KB);
	/* mm/util.c: vm_commit_limit(): (totalram - hugetlb) * overcommit_ratio
	 * (50) / 100 + total_swap_pages; Committed_AS: vm_committed_as, what
	 * the tasks' private writable mappings charged */
	mi_add(t, "CommitLimit:", K(totalram * 50 / 100 + swap_total), MI_KB);
	mi_add(t, "Committed_AS:", K(vmscan_committed(m)), MI_KB);
	ull vtotal = vmalloc_total_kb(m);
	mi_add(t, "VmallocTotal:", vtotal, MI_KB);
	/* 6.13: K(vmalloc_nr_pages()), the pages of VM_ALLOC areas; 2.6.32
	 * get_vmalloc_info(): the sizes of the live vm_structs (guard pages
	 * included) and the largest gap between them; 6.13's VmallocChunk is
	 * always 0 */
	struct vmalloc_totals vt;
	vmap_totals(m, &vt);
	mi_add(t, "VmallocUsed:", old ? vt.used_bytes >> 10 : K(vt.used_pages), MI_KB);
	mi_add(t, "VmallocChunk:", old ? vt.largest_chunk >> 10 : 0, MI_KB);
	if (!old) {
		mi_add(t, "Percpu:", 0, MI_KB);
		/* CONFIG_MEMORY_FAILURE: Debian 6.1 has it (its meminfo shows
		 * the line); the 6.13 configuration modelled has not */
		if (m->kp->kv == KV_6_1)
			mi_add(t, "HardwareCorrupted:", 0, MI_KB5);
		mi_add(t, "AnonHugePages:", 0, MI_KB);
		mi_add(t, "ShmemHugePages:", 0, MI_KB);
		mi_add(t, "ShmemPmdMapped:", 0, MI_KB);
		mi_add(t, "FileHugePages:", 0, MI_KB);
		mi_add(t, "FilePmdMapped:", 0, MI_KB);
	}
	/* hugetlb_report_meminfo(): the default hstate (the PMD size unless
	 * default_hugepagesz= named another), then every size's pages */
	const struct hstate_m *dh = hugetlb_default_hstate(m);
	mi_add(t, "HugePages_Total:", dh ? dh->nr_huge_pages : 0, MI_COUNT);
	mi_add(t, "HugePages_Free:", dh ? dh->free_huge_pages : 0, MI_COUNT);
	mi_add(t, "HugePages_Rsvd:", 0, MI_COUNT);
	mi_add(t, "HugePages_Surp:", 0, MI_COUNT);
	mi_add(t, "Hugepagesize:", K(1ull << (dh ? dh->order : m->arch->pageblock_order)), MI_KB);
	if (!old)
		mi_add(t, "Hugetlb:", hugetlb_total_kb(m), MI_KB);
	/* arch_report_meminfo() */
	/* arch/x86/mm/pat/set_memory.c: arch_report_meminfo(): the direct
	 * map's pages by size, as boot's page tables and later splits left
	 * them (direct_pages_count[]) */
	const uint64_t *dp = m->pt->direct_pages;
	mi_add(t, "DirectMap4k:", dp[0] << 2, MI_KB);
	if (m->arch->bits == 64 || m->arch->pae)
		mi_add(t, "DirectMap2M:", dp[1] << 11, MI_KB);
	else
		mi_add(t, "DirectMap4M:", dp[1] << 12, MI_KB);
	if (m->gbpages)
		mi_add(t, "DirectMap1G:", dp[2] << 20, MI_KB);
#undef K
}

void view_meminfo(struct out *o, const struct machine *m)
{
	struct mi_table t;
	meminfo_table(m, &t);
	if (o->json) {
		bool first = true;
		out_puts(o, "{");
		for (int i = 0; i < t.n; i++) {
			char key[32];
			snprintf(key, sizeof key, "%s", t.v[i].label);
			key[strcspn(key, ":")] = '\0';
			json_u64(o, &first, key, t.v[i].value);
		}
		out_puts(o, "}\n");
		return;
	}
	for (int i = 0; i < t.n; i++) {
		if (t.v[i].kind == MI_COUNT)
			out_printf(o, "%-19s%5llu\n", t.v[i].label, t.v[i].value);
		else if (t.v[i].kind == MI_KB5)
			out_printf(o, "%s %5llu kB\n", t.v[i].label, t.v[i].value);
		else
			out_printf(o, "%-16s%8llu kB\n", t.v[i].label, t.v[i].value);
	}
}

/* ---- /proc/vmallocinfo ---------------------------------------------------------
 * 6.13 mm/vmalloc.c vmalloc_info_show() (one vmap node: the busy list in
 * address order, then the lazily freed areas as "unpurged vm_area");
 * 2.6.32 s_show() over vmlist.  Sizes include the guard page. */

struct vi_ctx {
	struct out *o;
	const struct machine *m;
	bool first;
};

static int vi_area(void *arg, const struct vm_struct *v)
{
	struct vi_ctx *c = arg;
	const struct machine *m = c->m;
	bool old = view_old(m);
	int w = m->arch->bits == 64 ? 16 : 8;
	if (c->o->json) {
		out_printf(c->o, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"size\":%llu,\"caller\":",
			   c->first ? "" : ",", (ull)v->addr, (ull)(v->addr + v->size), (ull)v->size);
		out_json_str(c->o, v->caller);
		out_printf(c->o, ",\"pages\":%u,\"flags\":\"0x%lx\"}", v->nr_pages, v->flags);
		c->first = false;
		return 0;
	}
	out_printf(c->o, "0x%0*llx-0x%0*llx %7llu", w, (ull)v->addr, w, (ull)(v->addr + v->size), (ull)v->size);
	if (v->caller[0])
		out_printf(c->o, " %s", v->caller);
	if (v->nr_pages)
		out_printf(c->o, " pages=%u", v->nr_pages);
	if (v->phys_addr) {
		if (old)
			out_printf(c->o, " phys=%llx", (ull)v->phys_addr);
		else
			out_printf(c->o, " phys=0x%0*llx", m->arch->bits == 64 || m->arch->pae ? 16 : 8,
				   (ull)v->phys_addr);
	}
	if (v->flags & VM_IOREMAP)
		out_puts(c->o, " ioremap");
	if (!old && (v->flags & VM_SPARSE))
		out_puts(c->o, " sparse");
	if (v->flags & VM_ALLOC)
		out_puts(c->o, " vmalloc");
	if (v->flags & VM_MAP)
		out_puts(c->o, " vmap");
	if (v->flags & VM_USERMAP)
		out_puts(c->o, " user");
	if (!old && (v->flags & VM_DMA_COHERENT))
		out_puts(c->o, " dma-coherent");
	if (v->flags & VM_VPAGES)
		out_puts(c->o, " vpages");
	/* show_numa_info(): CONFIG_NUMA on x86_64, the pages per node
	 * (page_to_nid()), nodes with none left out */
	if (m->arch->bits == 64 && v->nr_pages && !(v->flags & VM_UNINITIALIZED)) {
		if (m->nr_nodes > 1 && v->pages) {
			unsigned counters[MAX_NUMNODES_MODEL] = { 0 };
			for (unsigned k = 0; k < v->nr_pages; k++) {
				int z = machine_pfn_zone(m, v->pages[k]);
				counters[z >= 0 ? m->zones[z].nid : 0]++;
			}
			for (unsigned nid = 0; nid < m->nr_nodes; nid++)
				if (counters[nid])
					out_printf(c->o, " N%u=%u", nid, counters[nid]);
		} else {
			out_printf(c->o, " N0=%u", v->nr_pages);
		}
	}
	out_puts(c->o, "\n");
	return 0;
}

static int vi_lazy(void *arg, uint64_t start, uint64_t end)
{
	struct vi_ctx *c = arg;
	int w = c->m->arch->bits == 64 ? 16 : 8;
	if (c->o->json) {
		out_printf(c->o, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"size\":%llu,\"unpurged\":true}",
			   c->first ? "" : ",", (ull)start, (ull)end, (ull)(end - start));
		c->first = false;
		return 0;
	}
	out_printf(c->o, "0x%0*llx-0x%0*llx %7llu unpurged vm_area\n", w, (ull)start, w, (ull)end, (ull)(end - start));
	return 0;
}

void view_vmallocinfo(struct out *o, const struct machine *m)
{
	struct vi_ctx c = { o, m, true };
	if (o->json)
		out_puts(o, "[");
	vmap_walk_busy(m, vi_area, &c);
	if (!view_old(m))
		vmap_walk_lazy(m, vi_lazy, &c);
	if (o->json)
		out_puts(o, "]\n");
}

/* ---- /proc/iomem -------------------------------------------------------------- */

/* kernel/resource.c: MAX_IORES_LEVEL — deeper entries print at this depth */
#define MAX_IORES_LEVEL 5

/* The next resource in r_next() order: child first, then sibling, then the
 * parent's sibling. */
static const struct resource *next_resource(const struct resource *root, const struct resource *p, int *depth)
{
	if (p->child) {
		(*depth)++;
		return p->child;
	}
	while (!p->sibling && p->parent && p->parent != root) {
		p = p->parent;
		(*depth)--;
	}
	return p->sibling;
}

/*
 * kernel/resource.c: r_show() (6.13; 2.6.32 the same):
 *   seq_printf(m, "%*s%0*llx-%0*llx : %s\n", depth * 2, "",
 *              width, start, width, end, r->name ? r->name : "<BAD>");
 * width = 8 for iomem (root->end >= 0x10000); children indented two spaces
 * per level.  Read as root, so the addresses are shown.
 */
void view_iomem(struct out *o, const struct machine *m)
{
	const struct resource *root = &m->memmap.root;
	int width = root->end < 0x10000 ? 4 : 8;
	int depth = 0;
	bool first = true;

	if (o->json)
		out_puts(o, "{\"resources\":[");
	for (const struct resource *r = root->child; r; r = next_resource(root, r, &depth)) {
		int d = depth < MAX_IORES_LEVEL ? depth : MAX_IORES_LEVEL;
		const char *name = r->name ? r->name : "<BAD>";
		if (o->json) {
			out_printf(o, "%s{\"start\":", first ? "" : ",");
			view_json_hex(o, r->start);
			out_puts(o, ",\"end\":");
			view_json_hex(o, r->end);
			out_printf(o, ",\"depth\":%d,\"name\":", depth);
			out_json_str(o, name);
			out_puts(o, "}");
			first = false;
			continue;
		}
		out_printf(o, "%*s%0*llx-%0*llx : %s\n", d * 2, "", width, (ull)r->start, width,
			   (ull)r->end, name);
	}
	if (o->json)
		out_puts(o, "]}\n");
}

/* ---- /proc/sys/vm ------------------------------------------------------------------------ */

int view_sysctl(struct out *o, const struct machine *m, const char *name, bool value_only)
{
	char buf[256];
	if (machine_sysctl_get(m, name, buf, sizeof buf))
		return -ENOENT;
	if (o->json) {
		/* {"sysctl":NAME,"value":TEXT}: the value as /proc/sys prints it
		 * (lowmem_reserve_ratio is a list of numbers) */
		out_puts(o, "{\"sysctl\":");
		out_json_str(o, name);
		out_puts(o, ",\"value\":");
		out_json_str(o, buf);
		out_puts(o, "}\n");
	} else if (value_only) {
		out_printf(o, "%s\n", buf);
	} else {
		out_printf(o, "%s = %s\n", name, buf);
	}
	return 0;
}
