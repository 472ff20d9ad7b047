/*
 * pcp.c - the per-CPU page lists (struct per_cpu_pages) in front of the
 * buddy lists.
 *
 * Taking zone->lock and walking the buddy lists for every page is slow on
 * a machine with many CPUs, so each CPU keeps, per zone, a few lists of
 * free blocks of its own.  An allocation of an order the lists hold takes
 * the first block of its list; an empty list is refilled with `batch`
 * blocks from the buddy lists in one go (rmqueue_bulk()).  A free puts the
 * block at the head of its list (it is cache-hot), and when the CPU holds
 * `high` pages or more, a batch goes back to the buddy lists, taken from
 * the tails of the lists in turn (free_pcppages_bulk()) — only then do the
 * blocks merge with their buddies.  Blocks on these lists are free but in
 * neither /proc/buddyinfo nor NR_FREE_PAGES.
 *
 * Followed:
 *   6.13 mm/page_alloc.c: order_to_pindex(), rmqueue_pcplist(),
 *     __rmqueue_pcplist(), nr_pcp_alloc(), rmqueue_bulk(),
 *     free_unref_page(), free_unref_page_commit(), nr_pcp_high(),
 *     nr_pcp_free(), free_pcppages_bulk(), drain_pages_zone(),
 *     drain_all_pages(), zone_batchsize(), zone_highsize(),
 *     zone_set_pageset_high_and_batch(), per_cpu_pages_init() (pcp->high
 *     starts at 0 and is clamped into [high_min, high_max] on first use),
 *     vm.percpu_pagelist_high_fraction (high_min = high_max = managed /
 *     fraction per CPU; 6.1 too; the sysctl itself is in watermark.c).
 *   6.1 mm/page_alloc.c (before 6.7's high_min/high_max): one fixed
 *     pcp->high, __rmqueue_pcplist()'s plain batch refill (no
 *     alloc_factor), free_unref_page_commit() with nr_pcp_high() and
 *     nr_pcp_free()'s free_factor, drain_pages_zone() in one bulk free.
 *   2.6.32 mm/page_alloc.c (2.6.32.67): buffered_rmqueue()'s order-0
 *     branch, rmqueue_bulk(..., cold), free_hot_cold_page(),
 *     free_pcppages_bulk() (round robin with batch_free), drain_pages(),
 *     zone_batchsize() and setup_pageset() (high = 6 * batch),
 *     setup_pagelist_highmark() for vm.percpu_pagelist_fraction.  Note that
 *     2.6.32 already has one list per migratetype (pcp->lists[
 *     MIGRATE_PCPTYPES], since "page-allocator: split per-cpu list into
 *     one-list-per-migrate-type", 2.6.32-rc1); hot and cold are the two
 *     ends of each list.
 *
 * Compaction's migrated pages go straight back to the buddy lists: the
 * kernel frees them to the pcp lists and compact_zone() drains the local
 * CPU's lists of the zone (lru_add_drain_cpu_zone()) once the migration
 * scanner leaves the block.  The `fragment` helper drains at its end, so
 * that its pattern shows in the buddy lists.
 *
 * ZONE_RECLAIM_ACTIVE (6.1 and 6.13; 2.6.32 has none): kswapd's
 * balance_pgdat() sets it on the node's managed zones up to its
 * highest_zoneidx for the length of its run (set_reclaim_active()/clear_reclaim_active(), mm/vmscan.c); a
 * free while it is set sees a high of at most batch << 2 (nr_pcp_high()),
 * so the pages kswapd frees go back to the buddy lists in batches.  Since
 * kswapd runs inside one step, only its own frees see the flag.
 *
 * decay_pcp_high() runs when time is let pass (`vmstat_update`,
 * pcp_vmstat_update()).  Not modelled: the NUMA drain of a remote zone's
 * pages after pcp->expire runs out (refresh_cpu_vm_stats()), the
 * trylock failures, MIGRATE_ISOLATE.  PCPF_FREE_HIGH_BATCH is taken as set:
 * a CPU's share of its last-level cache is above 3 * batch pages on the
 * x86 machines modelled (zone_pcp_update_cacheinfo()).  The pagesets start
 * at the end of boot (setup_per_cpu_pageset()); boot's own frees went to
 * the buddy lists as under the boot pageset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/buddy.h"
#include "kmemsh/pcp.h"
#include "pcp_int.h"

#define NR_LOWORDER_PCP_LISTS 12        /* MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1) */

struct pcp_state {
	bool enabled;                   /* `set pcp on` (the default) */
	bool old;                       /* 2.6.32 */
	unsigned ncpus, nr_lists, thp_order;
	bool below_high[MAX_ZONES_MODEL];       /* ZONE_BELOW_HIGH (6.13), per machine zone */
	bool reclaim_active[MAX_ZONES_MODEL];   /* ZONE_RECLAIM_ACTIVE (6.x), during balance_pgdat() */
	struct per_cpu_pages *pcp;      /* [zone * ncpus + cpu] */
};

#define CH(m, ...) do { if ((m)->log.enabled) { struct change c_ = { __VA_ARGS__ }; changelog_add((m), &c_); } } while (0)

static inline struct page *pg(const struct machine *m, uint64_t pfn)
{
	return &m->chunk[pfn >> CHUNK_SHIFT][pfn & (CHUNK_PAGES - 1)];
}

static inline struct per_cpu_pages *pcp_at(const struct machine *m, int z, unsigned cpu)
{
	return &m->pcp->pcp[(size_t)z * m->pcp->ncpus + cpu];
}

/* ---- the lists (page->pcp_list: the descriptor's links) ------------------ */

uint64_t pcp_signature(const struct machine *m, uint64_t h, uint64_t (*mix)(uint64_t, uint64_t))
{
	const struct pcp_state *s = m->pcp;
	if (!s)
		return h;
	h = mix(h, s->enabled);
	for (int z = 0; z < m->nr_zones; z++) {
		h = mix(h, s->below_high[z]);
		for (unsigned cpu = 0; cpu < s->ncpus; cpu++) {
			const struct per_cpu_pages *p = pcp_at(m, z, cpu);
			h = mix(mix(mix(h, (uint64_t)p->count), (uint64_t)p->high), (uint64_t)p->free_count);
			h = mix(mix(h, (uint64_t)p->alloc_factor), p->flags);
			if (!p->count)
				continue;
			for (unsigned i = 0; i < s->nr_lists; i++) {
				uint64_t n = 0;
				for (uint32_t pfn = p->lists[i].head; pfn != NODE_NIL; pfn = pg(m, pfn)->next)
					n++;
				h = mix(h, n);
			}
		}
	}
	return h;
}

static void list_add_head(struct machine *m, struct flist *l, uint64_t pfn, struct page *p)
{
	p->prev = NODE_NIL;
	p->next = l->head;
	if (l->head == NODE_NIL)
		l->tail = (uint32_t)pfn;
	else
		pg(m, l->head)->prev = (uint32_t)pfn;
	l->head = (uint32_t)pfn;
}

static void list_add_tail(struct machine *m, struct flist *l, uint64_t pfn, struct page *p)
{
	p->next = NODE_NIL;
	p->prev = l->tail;
	if (l->tail == NODE_NIL)
		l->head = (uint32_t)pfn;
	else
		pg(m, l->tail)->next = (uint32_t)pfn;
	l->tail = (uint32_t)pfn;
}

static inline __attribute__((always_inline)) void list_del(struct machine *m, struct flist *l, struct page *p)
{
	if (p->prev == NODE_NIL)
		l->head = p->next;
	else
		pg(m, p->prev)->next = p->next;
	if (p->next == NODE_NIL)
		l->tail = p->prev;
	else
		pg(m, p->next)->prev = p->prev;
	p->next = p->prev = NODE_NIL;
}

/* ---- geometry ---------------------------------------------------------- */

/* order_to_pindex() (6.13); 2.6.32: the migratetype */
static unsigned order_to_pindex(const struct machine *m, int mt, unsigned order)
{
	if (m->pcp->old)
		return (unsigned)mt;
	if (order > PCP_COSTLY_ORDER)
		return NR_LOWORDER_PCP_LISTS + (mt == m->kp->mt_movable);
	return (unsigned)m->kp->nr_pcptypes * order + (unsigned)mt;
}

unsigned pcp_list_order(const struct machine *m, unsigned pindex)
{
	if (m->pcp->old)
		return 0;
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return m->pcp->thp_order;
	return pindex / (unsigned)m->kp->nr_pcptypes;
}

/* the list's migratetype; -1 for 6.13's THP list that holds every type
 * but Movable */
int pcp_list_mt(const struct machine *m, unsigned pindex)
{
	if (m->pcp->old)
		return (int)pindex;
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return pindex == NR_LOWORDER_PCP_LISTS ? -1 : m->kp->mt_movable;
	return (int)(pindex % (unsigned)m->kp->nr_pcptypes);
}

unsigned pcp_nr_lists(const struct machine *m)
{
	return m->pcp ? m->pcp->nr_lists : 0;
}

bool pcp_allowed_order(const struct machine *m, unsigned order)
{
	if (m->pcp->old)
		return order == 0;
	/* pcp_allowed_order(): costly orders no, HPAGE_PMD_ORDER yes */
	return order <= PCP_COSTLY_ORDER || order == m->pcp->thp_order;
}

bool pcp_enabled(const struct machine *m)
{
	return m->pcp && m->pcp->enabled;
}

const struct per_cpu_pages *pcp_of(const struct machine *m, int z, unsigned cpu)
{
	if (!m->pcp || z < 0 || z >= m->nr_zones || cpu >= m->pcp->ncpus)
		return NULL;
	return pcp_at(m, z, cpu);
}

/* ---- batch and high ------------------------------------------------------ */

static uint64_t rounddown_pow2(uint64_t x)
{
	return x ? 1ull << (kmemsh_fls64(x) - 1) : 0;
}

/* 6.13 zone_batchsize() (CONFIG_MMU) */
int pcp_batchsize_13(uint64_t managed, unsigned page_size)
{
	uint64_t batch = managed >> 10;
	if (batch > (1ull << 20) / page_size)
		batch = (1ull << 20) / page_size;
	batch /= 4;                     /* we effectively *= 4 below */
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow2(batch + batch / 2) - 1;
}

/* 6.13 zone_highsize(): split across nr_split_cpus, the CPUs of the
 * zone's node (zone_nr_split_cpus()), at least batch * 4 */
int pcp_highsize_13(uint64_t low_wmark, uint64_t managed, int batch, unsigned ncpus, int fraction)
{
	uint64_t total = fraction ? managed / (uint64_t)fraction : low_wmark;
	int64_t high = (int64_t)(total / (ncpus ? ncpus : 1));
	if (high < (int64_t)batch << 2)
		high = (int64_t)batch << 2;
	return (int)high;
}

/* 2.6.32 zone_batchsize(): from present pages, capped at 512 KiB worth */
int pcp_batchsize_2632(uint64_t present, unsigned page_size)
{
	uint64_t batch = present / 1024;
	if (batch * page_size > 512 * 1024)
		batch = (512 * 1024) / page_size;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow2(batch + batch / 2) - 1;
}

/* 2.6.32 setup_pagelist_highmark(p, zone->present_pages /
 * percpu_pagelist_fraction), as percpu_pagelist_fraction_sysctl_handler()
 * and process_zones() call it */
void pcp_highmark_2632(uint64_t present, int fraction, unsigned page_shift, int *high, int *batch)
{
	uint64_t h = present / (uint64_t)fraction;
	*high = (int)h;
	*batch = h / 4 > 1 ? (int)(h / 4) : 1;          /* max(1UL, high/4) */
	if (h / 4 > page_shift * 8)
		*batch = (int)(page_shift * 8);
}

/* 6.13 zone_highsize()'s nr_split_cpus: cpumask_weight(cpumask_of_node(
 * zone_to_nid(zone))) + cpu_online (0: zone_pcp_update(zone, 0) after
 * boot), and for a node without CPUs num_online_cpus(); the CPUs' nodes
 * are numa.c's (cpu_to_node()) */
static unsigned zone_nr_split_cpus(const struct machine *m, const struct zone *zn)
{
	unsigned n = 0;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
		n += machine_cpu_to_node(m, cpu) == (unsigned)zn->nid;
	return n ? n : m->ncpus;
}

/* zone_set_pageset_high_and_batch() / 2.6.32 setup_pageset(): the values
 * every CPU's pageset of zone z gets */
static void zone_values(const struct machine *m, const struct zone *zn, int *batch, int *high_min, int *high_max)
{
	unsigned psize = 1u << m->arch->page_shift;
	int fraction = m->pcp_high_fraction;
	if (m->pcp->old) {
		if (fraction) {
			/* process_zones(): setup_pageset(), then, with
			 * vm.percpu_pagelist_fraction set, setup_pagelist_highmark() */
			pcp_highmark_2632(zn->present, fraction, m->arch->page_shift, high_min, batch);
			*high_max = *high_min;
			return;
		}
		int b = pcp_batchsize_2632(zn->present, psize);
		*high_min = *high_max = 6 * b;          /* setup_pageset(): pcp->high = 6 * batch */
		*batch = b > 1 ? b : 1;                 /* pcp->batch = max(1UL, 1 * batch) */
		return;
	}
	int b = pcp_batchsize_13(zn->managed, psize);
	if (b < 1)
		b = 1;                                  /* new_batch = max(1, zone_batchsize(zone)) */
	*batch = b;
	unsigned split = zone_nr_split_cpus(m, zn);
	if (fraction) {
		/* vm.percpu_pagelist_high_fraction: "PCP high is tuned manually,
		 * disable auto-tuning via setting high_min and high_max to the
		 * manual value" (6.13); 6.1's one pcp->high is the same value */
		*high_min = *high_max = pcp_highsize_13(zn->wmark[WMARK_LOW], zn->managed, b, split, fraction);
		return;
	}
	*high_min = pcp_highsize_13(zn->wmark[WMARK_LOW], zn->managed, b, split, 0);
	*high_max = pcp_highsize_13(zn->wmark[WMARK_LOW], zn->managed, b, split,
				    MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	/* 6.1 (before 6.7's high_min/high_max): zone_set_pageset_high_and_batch()
	 * sets one fixed pcp->high = zone_highsize(), the value 6.13 calls
	 * high_min; with high_min == high_max the 6.13 paths below never tune it */
	if (!m->kp->pcp_high_minmax)
		*high_max = *high_min;
}

void pcp_update(struct machine *m)
{
	if (!m->pcp)
		return;
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->managed && !zn->present)
			continue;                       /* unpopulated: the boot pageset */
		int batch, high_min, high_max;
		zone_values(m, zn, &batch, &high_min, &high_max);
		for (unsigned cpu = 0; cpu < m->pcp->ncpus; cpu++) {
			struct per_cpu_pages *p = pcp_at(m, z, cpu);
			p->batch = batch;               /* pageset_update() */
			p->high_min = high_min;
			p->high_max = high_max;
			if (m->pcp->old || !m->kp->pcp_high_minmax)
				p->high = high_min;     /* 2.6.32 and 6.1: pageset_update() sets it */
		}
	}
}

int pcp_setup(struct machine *m)
{
	struct pcp_state *s = calloc(1, sizeof *s);
	unsigned ncpus = m->ncpus ? m->ncpus : 1;
	if (!s)
		return -ENOMEM;
	s->pcp = calloc((size_t)m->nr_zones * ncpus, sizeof *s->pcp);
	if (!s->pcp) {
		free(s);
		return -ENOMEM;
	}
	s->enabled = true;
	s->old = m->kp->kv == KV_2_6_32;
	s->ncpus = ncpus;
	s->nr_lists = s->old ? (unsigned)m->kp->nr_pcptypes : PCP_MAX_LISTS;
	s->thp_order = m->pageblock_order;      /* HPAGE_PMD_ORDER = pageblock_order on x86 */
	for (size_t i = 0; i < (size_t)m->nr_zones * ncpus; i++) {
		struct per_cpu_pages *p = &s->pcp[i];
		for (unsigned l = 0; l < PCP_MAX_LISTS; l++)
			p->lists[l].head = p->lists[l].tail = NODE_NIL;
		p->batch = 1;                   /* BOOT_PAGESET_BATCH; high 0 */
		if (!s->old)
			p->flags = PCPF_FREE_HIGH_BATCH;
	}
	m->pcp = s;
	pcp_update(m);
	return 0;
}

void pcp_destroy(struct machine *m)
{
	if (!m->pcp)
		return;
	free(m->pcp->pcp);
	free(m->pcp);
	m->pcp = NULL;
}

/* ---- draining ------------------------------------------------------------- */

/* a block leaves a pcp list for the buddy lists */
static void give_back(struct machine *m, int z, uint64_t pfn, struct page *p, unsigned order, int mt)
{
	p->gfp = 0;
	buddy_free_one_locked(m, z, pfn, order, mt);
}

/* 6.13 free_pcppages_bulk(): from the tails, list by list round robin,
 * the list of pindex first; each block with its pageblock's type */
static int free_pcppages_bulk_13(struct machine *m, int z, unsigned cpu, int count, unsigned pindex)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	const unsigned nr = m->pcp->nr_lists;
	int freed = 0;
	if (count > pcp->count)
		count = pcp->count;
	CH(m, .kind = CH_PCP_DRAIN, .zone = (uint8_t)z, .pfn2 = (uint64_t)count, .val = cpu);
	pindex = pindex ? pindex - 1 : nr - 1;
	while (count > 0) {
		struct flist *list;
		do {
			if (++pindex > nr - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list->head == NODE_NIL);
		unsigned order = pcp_list_order(m, pindex);
		int nr_pages = 1 << order;
		do {
			uint64_t pfn = list->tail;
			struct page *p = pg(m, pfn);
			list_del(m, list, p);
			count -= nr_pages;
			pcp->count -= nr_pages;
			freed += nr_pages;
			give_back(m, z, pfn, p, order, get_pageblock_mt(m, pfn));
		} while (count > 0 && list->head != NODE_NIL);
	}
	CH(m, .kind = CH_PCP_DRAIN, .zone = (uint8_t)z, .pfn = (uint64_t)freed, .pfn2 = (uint64_t)pcp->count,
	   .order2 = 1, .val = cpu);
	return freed;
}

/* 2.6.32 free_pcppages_bulk(): round robin over the migratetypes with a
 * batch_free count that grows past empty lists, from the tails; each page
 * with its page_private type */
static int free_pcppages_bulk_32(struct machine *m, int z, unsigned cpu, int count)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	const unsigned nr = m->pcp->nr_lists;
	unsigned mt = 0;
	int batch_free = 0, to_free = count < pcp->count ? count : pcp->count;
	int freed = 0;
	CH(m, .kind = CH_PCP_DRAIN, .zone = (uint8_t)z, .pfn2 = (uint64_t)to_free, .val = cpu);
	while (to_free) {
		struct flist *list;
		do {
			batch_free++;
			if (++mt == nr)
				mt = 0;
			list = &pcp->lists[mt];
		} while (list->head == NODE_NIL);
		do {
			uint64_t pfn = list->tail;
			struct page *p = pg(m, pfn);
			list_del(m, list, p);
			freed++;
			give_back(m, z, pfn, p, 0, p->mt);
		} while (--to_free && --batch_free && list->head != NODE_NIL);
	}
	pcp->count -= freed;
	CH(m, .kind = CH_PCP_DRAIN, .zone = (uint8_t)z, .pfn = (uint64_t)freed, .pfn2 = (uint64_t)pcp->count,
	   .order2 = 1, .val = cpu);
	return freed;
}

/* 6.13 drain_pages_zone() / 2.6.32 drain_pages() for one zone */
static uint64_t drain_pages_zone(struct machine *m, unsigned cpu, int z)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	uint64_t freed = 0;
	if (m->pcp->old) {
		if (pcp->count)
			freed += (uint64_t)free_pcppages_bulk_32(m, z, cpu, pcp->count);
		return freed;
	}
	/* 6.1 drain_pages_zone(): free_pcppages_bulk(zone, pcp->count, pcp, 0) */
	if (!m->kp->pcp_high_minmax)
		return pcp->count ? (uint64_t)free_pcppages_bulk_13(m, z, cpu, pcp->count, 0) : 0;
	while (pcp->count) {
		int to_drain = pcp->count;
		if (to_drain > pcp->batch << PCP_BATCH_SCALE_MAX)
			to_drain = pcp->batch << PCP_BATCH_SCALE_MAX;
		freed += (uint64_t)free_pcppages_bulk_13(m, z, cpu, to_drain, 0);
	}
	return freed;
}

/*
 * 6.13 mm/page_alloc.c decay_pcp_high(), called for every populated zone
 * by mm/vmstat.c refresh_cpu_vm_stats(true) from each CPU's vmstat_update()
 * worker every sysctl_stat_interval:
 *   "Decrease pcp->high periodically to try to free possible idle PCP
 *   pages.  And, avoid to free too many pages to control latency.  This
 *   caps pcp->high decrement too."
 *     if (pcp->high > high_min)
 *         pcp->high = max3(pcp->count - (batch << CONFIG_PCP_BATCH_SCALE_MAX),
 *                          pcp->high - (pcp->high >> 3), high_min);
 *     to_drain = pcp->count - pcp->high;
 *     if (to_drain > 0) free_pcppages_bulk(zone, to_drain, pcp, 0);
 * The return value counts the work left (the worker requeues itself while
 * it is not 0).  6.1 and 2.6.32 have no decay_pcp_high() (it came with
 * 6.7's high_min/high_max): nothing happens to their pagesets here.
 */
static int decay_pcp_high(struct machine *m, int z, unsigned cpu, uint64_t *freed)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	int high_min = pcp->high_min, batch = pcp->batch, todo = 0;
	if (pcp->high > high_min) {
		int h = pcp->count - (batch << PCP_BATCH_SCALE_MAX);
		int decayed = pcp->high - (pcp->high >> 3);
		if (decayed > h)
			h = decayed;
		if (high_min > h)
			h = high_min;
		pcp->high = h;
		if (pcp->high > high_min)
			todo++;
	}
	int to_drain = pcp->count - pcp->high;
	if (to_drain > 0) {
		*freed += (uint64_t)free_pcppages_bulk_13(m, z, cpu, to_drain, 0);
		todo++;
	}
	return todo;
}

int pcp_vmstat_update(struct machine *m, unsigned cpu, uint64_t *freed)
{
	*freed = 0;
	struct pcp_state *s = m->pcp;
	if (!s || s->old || !m->kp->pcp_high_minmax || cpu >= s->ncpus)
		return 0;
	int todo = 0;
	/* for_each_populated_zone() */
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present)
			todo += decay_pcp_high(m, z, cpu, freed);
	return todo;
}

uint64_t pcp_drain_zone(struct machine *m, int z)
{
	uint64_t freed = 0;
	if (!m->pcp)
		return 0;
	for (unsigned cpu = 0; cpu < m->pcp->ncpus; cpu++)
		for (int i = 0; i < m->nr_zones; i++)
			if ((z < 0 || i == z) && pcp_at(m, i, cpu)->count)
				freed += drain_pages_zone(m, cpu, i);
	return freed;
}

uint64_t pcp_drain_local(struct machine *m, int z)
{
	uint64_t freed = 0;
	if (!m->pcp)
		return 0;
	unsigned cpu = machine_this_cpu(m);
	for (int i = 0; i < m->nr_zones; i++)
		if ((z < 0 || i == z) && pcp_at(m, i, cpu)->count)
			freed += drain_pages_zone(m, cpu, i);
	return freed;
}

void pcp_set_enabled(struct machine *m, bool on)
{
	if (!m->pcp)
		return;
	if (!on)
		pcp_drain_zone(m, -1);
	m->pcp->enabled = on;
}

void pcp_note_below_high(struct machine *m, int z)
{
	if (m->pcp)
		m->pcp->below_high[z] = true;
}

bool pcp_below_high(const struct machine *m, int z)
{
	return m->pcp && m->pcp->below_high[z];
}

void pcp_set_reclaim_active(struct machine *m, int z, bool on)
{
	if (m->pcp)
		m->pcp->reclaim_active[z] = on;
}

/* ---- allocation -------------------------------------------------------------- */

/* 6.13 nr_pcp_alloc(): how many blocks rmqueue_bulk() fetches */
static int nr_pcp_alloc(struct machine *m, struct per_cpu_pages *pcp, int z, unsigned order)
{
	int base_batch = pcp->batch, high_min = pcp->high_min, high_max = pcp->high_max;
	int high = pcp->high < high_min ? high_min : pcp->high > high_max ? high_max : pcp->high;
	int batch;
	pcp->high = high;
	/* check for PCP disabled or boot pageset */
	if (high < base_batch)
		return 1;
	batch = order ? base_batch : base_batch << pcp->alloc_factor;
	/* if we had larger pcp->high, we could avoid to allocate from zone */
	if (high_min != high_max && !m->pcp->below_high[z]) {
		high = high + batch < high_max ? high + batch : high_max;
		pcp->high = high;
	}
	if (!order) {
		int max_nr_alloc = high - pcp->count - base_batch;
		if (max_nr_alloc < base_batch)
			max_nr_alloc = base_batch;
		/* double the pages allocated each time there is a subsequent
		 * allocation of order-0 pages without any freeing */
		if (batch <= max_nr_alloc && pcp->alloc_factor < PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		if (batch > max_nr_alloc)
			batch = max_nr_alloc;
	}
	/* scale batch relative to order */
	if (batch > 1) {
		batch >>= order;
		if (batch < 2)
			batch = 2;
	}
	return batch;
}

/* 6.1 __rmqueue_pcplist(): a refill takes pcp->batch blocks, scaled to the
 * order when the batch can store pages ("if (batch > 1) batch =
 * max(batch >> order, 2)"); no alloc_factor before 6.7 */
static int nr_pcp_alloc_61(const struct per_cpu_pages *pcp, unsigned order)
{
	int batch = pcp->batch;
	if (batch > 1) {
		batch >>= order;
		if (batch < 2)
			batch = 2;
	}
	return batch;
}

/* rmqueue_bulk(): count blocks from the buddy lists onto the list, in the
 * physical order expand() hands them out (6.13: list_add_tail; 2.6.32: the
 * same order, read from the head when hot, from the tail when cold) */
static int rmqueue_bulk(struct machine *m, int z, unsigned cpu, unsigned order, int count, unsigned pindex,
			int mt, unsigned af, bool cold)
{
	struct flist *list = &pcp_at(m, z, cpu)->lists[pindex];
	int i;
	CH(m, .kind = CH_PCP_REFILL, .zone = (uint8_t)z, .order = (uint8_t)order, .mt = (uint8_t)mt,
	   .pfn2 = (uint64_t)count, .val = cpu);
	for (i = 0; i < count; i++) {
		uint64_t pfn = buddy_rmqueue_locked(m, z, order, mt, af);
		if (pfn == ~0ull)
			break;
		struct page *p = pg(m, pfn);
		p->flags &= (uint8_t)~(PG_buddy | PG_head | PG_comp | PG_lru | PG_vmscan);
		p->order = (uint8_t)order;
		p->mt = (uint8_t)mt;                    /* 2.6.32 set_page_private(page, migratetype) */
		p->gfp = PCP_GFP_MARK | cpu;
		if (cold)
			list_add_head(m, list, pfn, p);
		else
			list_add_tail(m, list, pfn, p);
	}
	CH(m, .kind = CH_PCP_REFILL, .zone = (uint8_t)z, .order = (uint8_t)order, .mt = (uint8_t)mt,
	   .pfn = (uint64_t)i, .pfn2 = (uint64_t)count, .order2 = 1, .val = cpu);
	return i;
}

/* __rmqueue_pcplist() once the list has a block: take its head (2.6.32
 * cold: its tail) */
static inline __attribute__((always_inline)) uint64_t take(struct machine *m, int z, unsigned cpu,
							   struct per_cpu_pages *pcp, struct flist *list,
							   unsigned order, int mt, bool cold)
{
	uint64_t pfn = cold ? list->tail : list->head;
	struct page *p = pg(m, pfn);
	list_del(m, list, p);
	pcp->count -= 1 << order;
	p->gfp = 0;
	CH(m, .kind = CH_PCP_ALLOC, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .mt = (uint8_t)mt,
	   .tail = cold, .val = cpu);
	return pfn;
}

uint64_t pcp_rmqueue_hot(struct machine *m, int z, unsigned order, int mt)
{
	unsigned cpu = machine_this_cpu(m);
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	struct flist *list = &pcp->lists[order_to_pindex(m, mt, order)];
	if (list->head == NODE_NIL)
		return ~0ull;
	if (!m->pcp->old)
		pcp->free_count >>= 1;  /* as pcp_rmqueue() below */
	return take(m, z, cpu, pcp, list, order, mt, false);
}

uint64_t pcp_rmqueue(struct machine *m, int z, unsigned order, int mt, unsigned af, bool cold)
{
	const bool old = m->pcp->old;
	unsigned cpu = machine_this_cpu(m);
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	unsigned pindex = order_to_pindex(m, mt, order);
	struct flist *list = &pcp->lists[pindex];

	if (!old)
		pcp->free_count >>= 1;  /* on allocation, fewer pages are batch freed */
	if (list->head == NODE_NIL) {
		int batch = old ? pcp->batch : m->kp->pcp_high_minmax ? nr_pcp_alloc(m, pcp, z, order)
									: nr_pcp_alloc_61(pcp, order);
		int alloced = rmqueue_bulk(m, z, cpu, order, batch, pindex, mt, af, old && cold);
		pcp->count += alloced << order;
		if (list->head == NODE_NIL)
			return ~0ull;
	}
	return take(m, z, cpu, pcp, list, order, mt, old && cold);
}

/* ---- freeing ------------------------------------------------------------------ */

/* 6.13 nr_pcp_free() */
static int nr_pcp_free(const struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	/* free as much as possible if batch freeing high-order pages */
	if (free_high)
		return pcp->count < batch << PCP_BATCH_SCALE_MAX ? pcp->count : batch << PCP_BATCH_SCALE_MAX;
	/* check for PCP disabled or boot pageset */
	if (high < batch)
		return 1;
	/* leave at least pcp->batch pages on the list; free more after a run
	 * of consecutive frees */
	int min_nr_free = batch, max_nr_free = high - batch;
	int n = pcp->free_count;
	if (n < min_nr_free)
		n = min_nr_free;
	if (n > max_nr_free)
		n = max_nr_free;
	return n;
}

/* 6.13 nr_pcp_high() */
static int nr_pcp_high(struct machine *m, struct per_cpu_pages *pcp, int z, int batch, bool free_high)
{
	int high_min = pcp->high_min, high_max = pcp->high_max;
	int high = pcp->high < high_min ? high_min : pcp->high > high_max ? high_max : pcp->high;
	pcp->high = high;
	if (!high)
		return 0;
	if (free_high) {
		int h = high - (batch << PCP_BATCH_SCALE_MAX);
		pcp->high = h > high_min ? h : high_min;
		return 0;
	}
	/* if reclaim is active, limit the number of pages that can be stored
	 * on pcp lists */
	if (m->pcp->reclaim_active[z]) {
		int free_count = pcp->free_count > batch ? pcp->free_count : batch;
		int h = high - free_count;
		pcp->high = h > high_min ? h : high_min;
		return batch << 2 < pcp->high ? batch << 2 : pcp->high;
	}
	if (high_min == high_max)
		return high;
	if (m->pcp->below_high[z]) {
		int free_count = pcp->free_count > batch ? pcp->free_count : batch;
		int h = high - free_count;
		pcp->high = h > high_min ? h : high_min;
		high = pcp->count > high_min ? pcp->count : high_min;
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;
		/* pcp->high should be large enough to hold batch freed pages */
		if (pcp->high < need_high)
			pcp->high = need_high < high_min ? high_min : need_high > high_max ? high_max : need_high;
	}
	return high;
}

/* ZONE_MOVABLE's index for zone_watermark_ok(..., ZONE_MOVABLE, 0) */
static int movable_idx(const struct machine *m)
{
	int i = m->zone_of_kind[ZK_MOVABLE];
	return i >= 0 ? i : m->nr_node_zones - 1;     /* a zone type: lowmem_reserve[]'s index */
}

/* 6.13 free_unref_page_commit() */
static void free_commit_13(struct machine *m, int z, unsigned cpu, uint64_t pfn, struct page *p, int mt, unsigned order)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	bool free_high = false;
	/* on freeing, reduce the number of pages that are batch allocated */
	pcp->alloc_factor >>= 1;
	unsigned pindex = order_to_pindex(m, mt, order);
	list_add_head(m, &pcp->lists[pindex], pfn, p);
	pcp->count += 1 << order;
	int batch = pcp->batch;
	/* high-order pages other than THP's: limit the number kept when the
	 * CPU is freeing without allocating */
	if (order && order <= PCP_COSTLY_ORDER) {
		free_high = pcp->free_count >= batch && (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			    (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch);
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= (uint8_t)~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1 << order;
	int high = nr_pcp_high(m, pcp, z, batch, free_high);
	CH(m, .kind = CH_PCP_FREE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .mt = (uint8_t)mt,
	   .pfn2 = (uint64_t)pcp->count, .old = (uint64_t)high, .val = cpu);
	if (pcp->count >= high) {
		free_pcppages_bulk_13(m, z, cpu, nr_pcp_free(pcp, batch, high, free_high), pindex);
		const struct zone *zn = &m->zones[z];
		if (m->pcp->below_high[z] &&
		    buddy_zone_watermark_ok(m, zn, 0, zn->wmark[WMARK_HIGH], movable_idx(m), 0))
			m->pcp->below_high[z] = false;
	}
}

/* 6.1 free_unref_page_commit() with its nr_pcp_high() (with
 * ZONE_RECLAIM_ACTIVE set, high is at most batch << 2) and nr_pcp_free():
 * a fixed high; free_high when the CPU has been freeing (free_factor) a
 * high-order page, which drains the whole pcp; otherwise batch <<
 * free_factor, clamped to [batch, high - batch], free_factor growing while
 * that stays below high - batch.  6.1's pcp->free_factor is kept in
 * free_count (rmqueue_pcplist() halves it on allocation, as 6.13 halves
 * free_count). */
static void free_commit_61(struct machine *m, int z, unsigned cpu, uint64_t pfn, struct page *p, int mt, unsigned order)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	unsigned pindex = order_to_pindex(m, mt, order);
	list_add_head(m, &pcp->lists[pindex], pfn, p);
	pcp->count += 1 << order;
	bool free_high = pcp->free_count && order && order <= PCP_COSTLY_ORDER;
	int high = !pcp->high || free_high ? 0 : pcp->high;
	if (m->pcp->reclaim_active[z] && high > pcp->batch << 2)
		high = pcp->batch << 2;
	CH(m, .kind = CH_PCP_FREE, .zone = (uint8_t)z, .pfn = pfn, .order = (uint8_t)order, .mt = (uint8_t)mt,
	   .pfn2 = (uint64_t)pcp->count, .old = (uint64_t)high, .val = cpu);
	if (pcp->count < high)
		return;
	int batch = pcp->batch, n;
	if (free_high) {
		n = pcp->count;
	} else if (high < batch) {
		n = 1;
	} else {
		int min_nr_free = batch, max_nr_free = high - batch;
		n = batch << pcp->free_count;
		if (n < max_nr_free)
			pcp->free_count++;
		n = n < min_nr_free ? min_nr_free : n > max_nr_free ? max_nr_free : n;
	}
	free_pcppages_bulk_13(m, z, cpu, n, pindex);
}

/* 2.6.32 free_hot_cold_page() after its checks */
static void free_hot_cold_32(struct machine *m, int z, unsigned cpu, uint64_t pfn, struct page *p, int mt, bool cold)
{
	struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
	p->mt = (uint8_t)mt;                    /* set_page_private(page, migratetype) */
	/* RESERVE pages go on the Movable list (ISOLATE is not modelled) */
	int list = mt >= m->kp->nr_pcptypes ? m->kp->mt_movable : mt;
	if (cold)
		list_add_tail(m, &pcp->lists[list], pfn, p);
	else
		list_add_head(m, &pcp->lists[list], pfn, p);
	pcp->count++;
	CH(m, .kind = CH_PCP_FREE, .zone = (uint8_t)z, .pfn = pfn, .order = 0, .mt = (uint8_t)list, .tail = cold,
	   .pfn2 = (uint64_t)pcp->count, .old = (uint64_t)pcp->high, .val = cpu);
	if (pcp->count >= pcp->high)
		free_pcppages_bulk_32(m, z, cpu, pcp->batch);
}

bool pcp_free(struct machine *m, int z, uint64_t pfn, struct page *p, unsigned order, bool cold)
{
	if (!pcp_enabled(m) || !pcp_allowed_order(m, order))
		return false;
	unsigned cpu = machine_this_cpu(m);
	int mt = get_pageblock_mt(m, pfn);
	p->flags &= (uint8_t)~(PG_buddy | PG_head | PG_comp | PG_lru | PG_vmscan);
	p->order = (uint8_t)order;
	p->gfp = PCP_GFP_MARK | cpu;
	if (m->pcp->old) {
		free_hot_cold_32(m, z, cpu, pfn, p, mt, cold);
		return true;
	}
	/* free_unref_page(): HIGHATOMIC and CMA go on the Movable list */
	if (mt >= m->kp->nr_pcptypes)
		mt = m->kp->mt_movable;
	p->mt = (uint8_t)mt;
	if (!m->kp->pcp_high_minmax)
		free_commit_61(m, z, cpu, pfn, p, mt, order);
	else
		free_commit_13(m, z, cpu, pfn, p, mt, order);
	return true;
}

/* ---- inspection ---------------------------------------------------------------- */

uint64_t pcp_cpu_pages(const struct machine *m, int z, unsigned cpu)
{
	const struct per_cpu_pages *p = pcp_of(m, z, cpu);
	return p ? (uint64_t)p->count : 0;
}

uint64_t pcp_zone_pages(const struct machine *m, int z)
{
	uint64_t n = 0;
	if (!m->pcp)
		return 0;
	for (int i = 0; i < m->nr_zones; i++)
		if (z < 0 || i == z)
			for (unsigned cpu = 0; cpu < m->pcp->ncpus; cpu++)
				n += (uint64_t)pcp_at(m, i, cpu)->count;
	return n;
}

void pcp_walk_list(const struct machine *m, int z, unsigned cpu, unsigned pindex,
		   int (*cb)(void *arg, uint64_t pfn), void *arg)
{
	const struct per_cpu_pages *p = pcp_of(m, z, cpu);
	if (!p || pindex >= m->pcp->nr_lists)
		return;
	for (uint32_t id = p->lists[pindex].head; id != NODE_NIL; id = pg(m, id)->next)
		if (cb(arg, id))
			return;
}

int pcp_check(struct machine *m, uint64_t *blocks)
{
	*blocks = 0;
	if (!m->pcp)
		return 0;
	for (int z = 0; z < m->nr_zones; z++)
		for (unsigned cpu = 0; cpu < m->pcp->ncpus; cpu++) {
			const struct per_cpu_pages *pcp = pcp_at(m, z, cpu);
			int64_t pages = 0;
			for (unsigned l = 0; l < m->pcp->nr_lists; l++) {
				unsigned order = pcp_list_order(m, l);
				uint32_t prev = NODE_NIL;
				uint64_t n = 0;
				for (uint32_t id = pcp->lists[l].head; id != NODE_NIL; id = pg(m, id)->next) {
					if (id >= m->max_pfn || !m->chunk[id >> CHUNK_SHIFT] || ++n > m->max_pfn) {
						model_err(m, "CPU %u's pcp list %u of zone %s is broken at %#llx", cpu, l,
							  m->zones[z].name, (unsigned long long)id);
						return -EUCLEAN;
					}
					const struct page *p = pg(m, id);
					if (p->prev != prev || !page_on_pcp(p) || page_pcp_cpu(p) != cpu || p->zone != z ||
					    p->order != order || (id & ((1u << order) - 1))) {
						model_err(m, "pfn %#llx on CPU %u's pcp list %u of zone %s is not a free "
							  "order-%u block of that CPU and zone", (unsigned long long)id, cpu, l,
							  m->zones[z].name, order);
						return -EUCLEAN;
					}
					prev = id;
					pages += 1ll << order;
				}
				if (pcp->lists[l].tail != prev) {
					model_err(m, "CPU %u's pcp list %u of zone %s has a wrong tail", cpu, l,
						  m->zones[z].name);
					return -EUCLEAN;
				}
				*blocks += n;
			}
			if (pages != pcp->count) {
				model_err(m, "CPU %u's pcp count of zone %s is %d but its lists hold %lld pages", cpu,
					  m->zones[z].name, pcp->count, (long long)pages);
				return -EUCLEAN;
			}
		}
	return 0;
}
