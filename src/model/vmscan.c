/*
 * vmscan.c - the users of reclaimable memory and page reclaim.
 *
 * Memory that reclaim can take back sits on LRU lists: page cache (clean or
 * dirty pages of files) and the anonymous memory of processes.  Each zone
 * keeps four evictable lists (inactive/active x anon/file); new pages go
 * to the head, reclaim takes from the tail.  When free memory runs short
 * the page allocator wakes kswapd, which reclaims in the background until
 * the zones are back above their high watermark, and a caller that may
 * sleep reclaims directly: a priority loop from DEF_PRIORITY (12) down to
 * 0 that scans lru_pages >> priority pages of each list, freeing clean
 * cache at once, writing dirty cache back first and sending anon pages to
 * swap when there is swap.  When that makes no progress the slow path's
 * retry rules decide between another round, the OOM killer and failure.
 *
 * Followed: Linux 6.13 mm/vmscan.c (get_scan_count, shrink_lruvec,
 * shrink_active_list, shrink_inactive_list, do_try_to_free_pages,
 * balance_pgdat, pgdat_balanced, wakeup_kswapd, inactive_is_low),
 * mm/page_alloc.c (__alloc_pages_slowpath, should_reclaim_retry,
 * __alloc_pages_may_oom), mm/swap.c, fs/drop_caches.c; and 2.6.32's
 * mm/vmscan.c (get_scan_ratio, shrink_zone, shrink_list, balance_pgdat,
 * wakeup_kswapd, inactive_anon_is_low, inactive_file_is_low) and
 * mm/page_alloc.c (__alloc_pages_slowpath, should_alloc_retry).
 *
 * Simplifications, each named where it applies: 6.13 keeps one lruvec per
 * node, the model a list per zone in both versions (2.6.32's layout); no
 * page is ever referenced again, so the active lists only age; writeback
 * finishes at once (a dirty page is written when reclaim meets it and is
 * rotated to the tail for the next pass, as folio_rotate_reclaimable()
 * does when the write completes); 2.6.32's scan ratio uses zero
 * recent_scanned/recent_rotated history.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"

#define NIL NODE_NIL
#define REC_FREE 0xff

static uint32_t gfp_bit(const struct machine *m, const char *name)
{
	gfp_t g;
	return gfp_parse(m->kp, name, &g, NULL) ? 0 : g;
}

struct vm_state *vmscan_state(struct machine *m)
{
	if (m->vm)
		return m->vm;
	struct vm_state *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	for (int z = 0; z < MAX_ZONES_MODEL; z++)
		for (int l = 0; l < NR_LRU_LISTS; l++)
			v->lru[z][l] = (struct lru_head){ NIL, NIL, 0 };
	v->free_rec = NIL;
	v->current = -1;
	v->next_pid = 1000;                     /* ours: the shell is PID 1 */
	for (int n = 0; n < MAX_NUMNODES_MODEL; n++)
		v->kswapd_classzone[n] = -1;
	v->gfp_noretry = gfp_bit(m, "__GFP_NORETRY");
	v->gfp_retry_mayfail = m->kp->kv != KV_2_6_32 ? gfp_bit(m, "__GFP_RETRY_MAYFAIL") : 0;
	v->gfp_repeat = m->kp->kv == KV_2_6_32 ? gfp_bit(m, "__GFP_REPEAT") : 0;
	v->gfp_nofail = gfp_bit(m, "__GFP_NOFAIL");
	v->gfp_thisnode = gfp_bit(m, "__GFP_THISNODE");
	v->gfp_io = gfp_bit(m, "__GFP_IO");
	for (int i = 0; i < VM_SHRINKERS_MAX; i++)
		v->shrinker[i].cache = -1;
	m->vm = v;
	return v;
}

void vmscan_destroy(struct machine *m)
{
	if (!m->vm)
		return;
	for (unsigned i = 0; i < m->vm->nshrinker; i++)
		free(m->vm->shrinker[i].obj);
	free(m->vm->pg);
	free(m->vm);
	m->vm = NULL;
}

/* ---- records and lists ------------------------------------------------------- */

static uint32_t rec_new(struct vm_state *v)
{
	if (v->free_rec != NIL) {
		uint32_t i = v->free_rec;
		v->free_rec = v->pg[i].next;
		return i;
	}
	if (v->npg == v->cap) {
		uint32_t cap = v->cap ? v->cap * 2 : 1024;
		if (cap >= NIL)
			return NIL;
		struct lru_page *p = realloc(v->pg, (size_t)cap * sizeof *p);
		if (!p)
			return NIL;
		v->pg = p;
		v->cap = cap;
	}
	return v->npg++;
}

static void rec_free(struct vm_state *v, uint32_t i)
{
	v->pg[i].lru = REC_FREE;
	v->pg[i].next = v->free_rec;
	v->free_rec = i;
}

/* list_add(): at the head */
static void lru_add(struct vm_state *v, uint32_t i, enum lru_list lru)
{
	struct lru_page *p = &v->pg[i];
	struct lru_head *h = &v->lru[p->zone][lru];
	p->lru = (uint8_t)lru;
	p->prev = NIL;
	p->next = h->head;
	if (h->head != NIL)
		v->pg[h->head].prev = i;
	else
		h->tail = i;
	h->head = i;
	h->nr++;
}

/* list_add_tail(): what folio_rotate_reclaimable() does */
static void lru_add_tail(struct vm_state *v, uint32_t i, enum lru_list lru)
{
	struct lru_page *p = &v->pg[i];
	struct lru_head *h = &v->lru[p->zone][lru];
	p->lru = (uint8_t)lru;
	p->next = NIL;
	p->prev = h->tail;
	if (h->tail != NIL)
		v->pg[h->tail].next = i;
	else
		h->head = i;
	h->tail = i;
	h->nr++;
}

static void lru_del(struct vm_state *v, uint32_t i)
{
	struct lru_page *p = &v->pg[i];
	struct lru_head *h = &v->lru[p->zone][p->lru];
	if (p->prev != NIL)
		v->pg[p->prev].next = p->next;
	else
		h->head = p->next;
	if (p->next != NIL)
		v->pg[p->next].prev = p->prev;
	else
		h->tail = p->prev;
	h->nr--;
}

uint64_t vmscan_lru_pages(const struct machine *m, int zone, enum lru_list lru)
{
	const struct vm_state *v = m->vm;
	if (!v)
		return 0;
	if (zone >= 0)
		return v->lru[zone][lru].nr;
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += v->lru[z][lru].nr;
	return n;
}

uint64_t vmscan_nr_dirty(const struct machine *m, int zone)
{
	const struct vm_state *v = m->vm;
	if (!v)
		return 0;
	if (zone >= 0)
		return v->nr_dirty[zone];
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += v->nr_dirty[z];
	return n;
}

uint64_t vmscan_file_pages(const struct machine *m)
{
	return vmscan_lru_pages(m, -1, LRU_INACTIVE_FILE) + vmscan_lru_pages(m, -1, LRU_ACTIVE_FILE);
}

uint64_t vmscan_committed(const struct machine *m)
{
	uint64_t n = 0;
	if (m->vm)
		for (unsigned t = 0; t < m->vm->ntask; t++)
			if (m->vm->task[t].alive)
				n += m->vm->task[t].total_vm;
	return n;
}

/* A page leaves its list and goes back to the buddy allocator. */
static void release_page(struct machine *m, struct vm_state *v, uint32_t i)
{
	struct lru_page *p = &v->pg[i];
	lru_del(v, i);
	if (p->dirty)
		v->nr_dirty[p->zone]--;
	struct page *pd = page_touched(m, p->pfn);
	if (pd)
		pd->flags &= (uint8_t)~(PG_lru | PG_vmscan);
	buddy_free_pages(m, p->pfn, 0);
	rec_free(v, i);
}

/* A new page of a file or a task, allocated and put on its list: the page
 * cache's by folio_alloc() -> alloc_pages() (ilx MPOL_NO_INTERLEAVE_INDEX),
 * a task's by vma_alloc_folio() with the fault's interleave index ilx
 * (get_vma_policy(): vm_pgoff + the page's offset in the VMA; kmemsh's
 * area has no address, its pages are numbered from 0) (mempolicy.c). */
static int add_user_page(struct machine *m, gfp_t gfp, int task, int file, bool dirty, enum lru_list lru,
			 long ilx)
{
	uint64_t pfn;
	int r = ilx == MPOL_NO_INTERLEAVE_INDEX ? buddy_alloc_pages(m, gfp, 0, &pfn)
						: mempolicy_alloc_pages(m, gfp, 0, ilx, &pfn);
	if (r)
		return r;
	struct vm_state *v = m->vm;
	if (task >= 0 && !v->task[task].alive) {
		/* the OOM killer took the owner while its page was found */
		buddy_free_pages(m, pfn, 0);
		return -ESRCH;
	}
	uint32_t i = rec_new(v);
	if (i == NIL) {
		buddy_free_pages(m, pfn, 0);
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	struct lru_page *p = &v->pg[i];
	p->pfn = pfn;
	p->task = (int16_t)task;
	p->file = (int16_t)file;
	p->zone = (uint8_t)machine_pfn_zone(m, pfn);
	p->dirty = dirty;
	if (dirty)
		v->nr_dirty[p->zone]++;
	page_touched(m, pfn)->flags |= PG_lru | PG_vmscan;
	lru_add(v, i, lru);
	return 0;
}

/* The per-page events of a bulk fill are not logged (a 100M read is 25600
 * allocations, each a take, splits and an alloc); what reclaim, kswapd and
 * the OOM killer do is, as one event each.  quiet_begin/end nest. */
struct quiet {
	bool outer;
};
static struct quiet quiet_begin(struct machine *m)
{
	struct vm_state *v = m->vm;
	struct quiet q = { v->quiet_depth == 0 };
	if (q.outer)
		v->log_on = m->log.enabled;
	v->quiet_depth++;
	m->log.enabled = false;
	return q;
}
static void quiet_end(struct machine *m, struct quiet q)
{
	struct vm_state *v = m->vm;
	v->quiet_depth--;
	if (q.outer)
		m->log.enabled = v->log_on;
}

/* whether the step's log wants events (also inside a quiet stretch) */
static bool log_wanted(const struct machine *m)
{
	return m->vm && m->vm->quiet_depth ? m->vm->log_on : m->log.enabled;
}

/* Inside a bulk fill reclaim runs many times; its events are merged into
 * one per kind (addr counts them) unless an OOM kill or a failure came
 * between, so a 200M fault-in shows "direct reclaim, 57 times". */
static bool merge_event(struct machine *m, const struct change *c)
{
	struct changelog *l = &m->log;
	if (c->kind != CH_KSWAPD_WAKE && c->kind != CH_KSWAPD && c->kind != CH_DIRECT_RECLAIM &&
	    c->kind != CH_RECLAIM_RETRY && c->kind != CH_SHRINK_SLAB)
		return false;
	for (size_t i = l->n; i-- > 0;) {
		struct change *e = &l->v[i];
		if (e->kind == CH_OOM_KILL || e->kind == CH_OOM_NONE || e->kind == CH_NOPAGE)
			return false;
		if (e->kind != c->kind || (c->kind == CH_RECLAIM_RETRY && e->mt != c->mt))
			continue;
		/* kswapdN: each node's its own */
		if ((c->kind == CH_KSWAPD || c->kind == CH_KSWAPD_WAKE) && m->zones[e->zone].nid != m->zones[c->zone].nid)
			continue;
		e->addr++;
		if (c->kind == CH_KSWAPD || c->kind == CH_DIRECT_RECLAIM) {
			e->order = c->order < e->order ? c->order : e->order;
			e->pfn += c->pfn;
			e->pfn2 += c->pfn2;
			e->val += c->val;
			e->old += c->old;
			e->obj += c->obj;
			if (c->kind == CH_KSWAPD)
				e->mt = c->mt;
		} else if (c->kind == CH_SHRINK_SLAB) {
			e->val += c->val;
			e->pfn += c->pfn;
			e->pfn2 += c->pfn2;
		} else if (c->kind == CH_KSWAPD_WAKE) {
			e->order = c->order > e->order ? c->order : e->order;
		} else {
			e->val = c->val;
		}
		return true;
	}
	return false;
}

static void vm_log(struct machine *m, const struct change *c)
{
	if (!log_wanted(m))
		return;
	if (m->vm->quiet_depth && merge_event(m, c))
		return;
	struct change e = *c;
	e.addr = 1;
	bool saved = m->log.enabled;
	m->log.enabled = true;
	changelog_add(m, &e);
	m->log.enabled = saved;
}

/* ---- page cache -------------------------------------------------------------------- */

static bool valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n >= max)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s == '/' || *s == '$' || *s == '=' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/*
 * A read larger than memory.  Once the page cache is full, each page read
 * pushes the zones below their low watermark again, kswapd reclaims the
 * oldest cache back to high, and the fill goes on: the kernel cycles
 * through memory for as long as the read lasts (it does not stop, and it
 * keeps no more than fits).  The model's decisions in that cycle (which
 * zone serves an order-0 page, when kswapd wakes and how much it takes)
 * depend only on per-zone counts, so once the counts after a kswapd run
 * repeat exactly, everything from there on repeats with the same period:
 * the fill skips whole periods, adding each period's counter increments
 * (vmstat events, pgalloc, the zones' allocs and frees, the merged change
 * log) as many times as it skips, and reads the rest page by page.  Every
 * count ends as reading each page would leave it (vmstat, meminfo,
 * zoneinfo, the LRU lists); which free pages merged into which blocks is
 * that of the read shortened by the periods skipped, a layout the same
 * counts also reach.  The cost grows with memory, not with the size read.
 */
#define FILL_SIG_MAX 1536
#define FILL_CHECKPOINTS 4096
#define FILL_LOG_FIELDS 6

struct fill_point {
	uint64_t hash, done;
	uint64_t *ctr;                  /* the counters at this point */
};

struct fill_cycle {
	struct fill_point *pt;
	unsigned npt;
	size_t nctr;
	bool off;                       /* gave up (no room, or skipped already) */
};

static uint64_t mix64(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

/* Everything the cycle's decisions read: per zone the free pages, the free
 * blocks per order and type, the pageblock types, the LRU lists and dirty
 * pages; kswapd's state; swap, the tasks, the shrinkers, the slab pages;
 * the per-CPU lists; and the length of the change log and dmesg (a new
 * entry or message breaks the cycle). */
static uint64_t fill_signature(const struct machine *m, const struct vm_state *v)
{
	uint64_t h = 0x243f6a8885a308d3ull;
	const struct kernel_profile *kp = m->kp;
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		h = mix64(h, zn->free_pages);
		for (unsigned o = 0; o < NR_ORDERS; o++)
			for (int mt = 0; mt < kp->nr_migratetypes; mt++)
				h = mix64(h, zn->free_area[o].nr_mt[mt]);
		for (int mt = 0; mt < kp->nr_migratetypes; mt++)
			h = mix64(h, zn->nr_pageblocks[mt]);
		for (int l = 0; l < NR_LRU_LISTS; l++)
			h = mix64(h, v->lru[z][l].nr);
		h = mix64(h, v->nr_dirty[z]);
	}
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		h = mix64(h, v->kswapd_woken[n]);
		h = mix64(h, v->kswapd_order[n]);
		h = mix64(h, (uint64_t)(int64_t)v->kswapd_classzone[n]);
		h = mix64(h, v->kswapd_failures[n]);
	}
	h = mix64(h, v->swap_used);
	for (unsigned t = 0; t < v->ntask; t++)
		h = mix64(mix64(mix64(mix64(h, v->task[t].alive), v->task[t].anon_rss), v->task[t].swapents),
			  v->task[t].mpol.il_prev);
	h = mix64(h, m->mpol.il_prev);  /* interleave_nodes()' place */
	for (unsigned i = 0; i < v->nshrinker; i++)
		h = mix64(mix64(h, v->shrinker[i].n), v->shrinker[i].nr_deferred);
	if (m->slab)
		h = mix64(mix64(h, m->slab->reclaimable_pages), m->slab->unreclaimable_pages);
	h = pcp_signature(m, h, mix64);         /* the per-CPU lists' state */
	h = mix64(h, m->nr_alloc_blocks);
	h = mix64(h, m->log.n);
	h = mix64(h, m->dmesg.n);
	return h;
}

/* The counters a period adds to, in one order: vm_events (all uint64_t),
 * pgalloc, the zones' allocs/frees/fails and numastat counters, the change
 * log's sums. */
static size_t fill_counters(const struct machine *m, const struct vm_state *v, uint64_t *out)
{
	size_t n = 0;
	const uint64_t *ev = (const uint64_t *)&v->ev;
	for (size_t i = 0; i < sizeof v->ev / sizeof(uint64_t); i++)
		out ? (void)(out[n++] = ev[i]) : (void)n++;
	for (int z = 0; z < MAX_ZONES_MODEL; z++) {
		uint64_t f[4] = { m->pgalloc[z], z < m->nr_zones ? m->zones[z].allocs : 0,
				  z < m->nr_zones ? m->zones[z].frees : 0, z < m->nr_zones ? m->zones[z].fails : 0 };
		for (int k = 0; k < 4; k++)
			out ? (void)(out[n++] = f[k]) : (void)n++;
		for (int k = 0; k < NR_NUMA_STAT; k++)
			out ? (void)(out[n++] = z < m->nr_zones ? m->zones[z].numa_stat[k] : 0) : (void)n++;
	}
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		uint64_t f[FILL_LOG_FIELDS] = { c->addr, c->pfn, c->pfn2, c->val, c->old, c->obj };
		for (int k = 0; k < FILL_LOG_FIELDS; k++)
			out ? (void)(out[n++] = f[k]) : (void)n++;
	}
	return n;
}

/* Add times * (to - from) to the counters. */
static void fill_advance(struct machine *m, struct vm_state *v, const uint64_t *from, const uint64_t *to,
			 uint64_t times)
{
	size_t n = 0;
	uint64_t *ev = (uint64_t *)&v->ev;
	for (size_t i = 0; i < sizeof v->ev / sizeof(uint64_t); i++, n++)
		ev[i] += times * (to[n] - from[n]);
	for (int z = 0; z < MAX_ZONES_MODEL; z++) {
		m->pgalloc[z] += times * (to[n] - from[n]);
		n++;
		if (z < m->nr_zones) {
			m->zones[z].allocs += times * (to[n] - from[n]);
			m->zones[z].frees += times * (to[n + 1] - from[n + 1]);
			m->zones[z].fails += times * (to[n + 2] - from[n + 2]);
		}
		n += 3;
		for (int k = 0; k < NR_NUMA_STAT; k++, n++)
			if (z < m->nr_zones)
				m->zones[z].numa_stat[k] += times * (to[n] - from[n]);
	}
	for (size_t i = 0; i < m->log.n; i++) {
		struct change *c = &m->log.v[i];
		c->addr += times * (to[n] - from[n]);
		c->pfn += times * (to[n + 1] - from[n + 1]);
		c->pfn2 += times * (to[n + 2] - from[n + 2]);
		c->val += times * (to[n + 3] - from[n + 3]);
		c->old += times * (to[n + 4] - from[n + 4]);
		c->obj = (uint32_t)(c->obj + times * (to[n + 5] - from[n + 5]));
		n += FILL_LOG_FIELDS;
	}
}

static void fill_cycle_free(struct fill_cycle *fc)
{
	for (unsigned i = 0; i < fc->npt; i++)
		free(fc->pt[i].ctr);
	free(fc->pt);
	memset(fc, 0, sizeof *fc);
}

/* After a kswapd run in a fill, done pages of `pages` read: record the
 * point, or, when the same state was seen before, skip whole periods.
 * Returns the pages skipped. */
static uint64_t fill_cycle_step(struct machine *m, struct vm_state *v, struct fill_cycle *fc, uint64_t done,
				uint64_t pages)
{
	if (fc->off || v->no_fill_skip)
		return 0;
	uint64_t h = fill_signature(m, v);
	size_t nctr = fill_counters(m, v, NULL);
	if (fc->npt && nctr != fc->nctr) {
		/* the change log grew: earlier points cannot be compared */
		for (unsigned i = 0; i < fc->npt; i++)
			free(fc->pt[i].ctr);
		fc->npt = 0;
	}
	fc->nctr = nctr;
	for (unsigned i = fc->npt; i-- > 0;) {
		if (fc->pt[i].hash != h)
			continue;
		uint64_t period = done - fc->pt[i].done;
		uint64_t times = period ? (pages - done) / period : 0;
		fc->off = true;
		if (!times)
			return 0;
		uint64_t *now = malloc(nctr * sizeof *now);
		if (!now)
			return 0;
		fill_counters(m, v, now);
		fill_advance(m, v, fc->pt[i].ctr, now, times);
		free(now);
		v->fill_skipped += times * period;
		return times * period;
	}
	if (fc->npt == FILL_CHECKPOINTS) {
		fc->off = true;
		return 0;
	}
	if (!fc->pt && !(fc->pt = calloc(FILL_CHECKPOINTS, sizeof *fc->pt))) {
		fc->off = true;
		return 0;
	}
	uint64_t *ctr = malloc(nctr * sizeof *ctr);
	if (!ctr) {
		fc->off = true;
		return 0;
	}
	fill_counters(m, v, ctr);
	fc->pt[fc->npt++] = (struct fill_point){ h, done, ctr };
	return 0;
}

int vmscan_pagecache(struct machine *m, const char *file, uint64_t pages, bool dirty, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	if (!valid_name(file, sizeof m->vm->file[0])) {
		model_err(m, "a file name is 1 to 31 printable characters, no '/', '$' or '='");
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	int f = -1;
	for (unsigned i = 0; i < v->nfile; i++)
		if (strcmp(v->file[i], file) == 0)
			f = (int)i;
	if (f < 0) {
		if (v->nfile == VM_FILES_MAX) {
			model_err(m, "at most %d files", VM_FILES_MAX);
			return -ENOSPC;
		}
		f = (int)v->nfile++;
		snprintf(v->file[f], sizeof v->file[f], "%s", file);
	}
	/* The page-cache allocation: 6.13 filemap_alloc_folio(mapping_gfp_mask())
	 * with a regular file's GFP_HIGHUSER_MOVABLE (inode_init_always());
	 * 2.6.32 page_cache_alloc_cold() on the read path (| __GFP_COLD) and
	 * __page_cache_alloc() in grab_cache_page_write_begin() on writes. */
	gfp_t gfp = gfp_bit(m, "GFP_HIGHUSER_MOVABLE");
	if (m->kp->kv == KV_2_6_32 && !dirty)
		gfp |= gfp_bit(m, "__GFP_COLD");
	struct quiet q = quiet_begin(m);
	struct fill_cycle fc = { 0 };
	int r = 0;
	for (uint64_t n = 0; n < pages; n++) {
		/* add_to_page_cache_lru(): the inactive file list */
		r = add_user_page(m, gfp, -1, f, dirty, LRU_INACTIVE_FILE, MPOL_NO_INTERLEAVE_INDEX);
		if (r)
			break;
		(*added)++;
		/* filemap_read() -> readahead -> submit_bio(): PGPGIN; a write
		 * dirties the folio (folio_account_dirtied(): NR_DIRTIED) */
		*(dirty ? &v->ev.nr_dirtied : &v->ev.pgread) += 1;
		if (vmscan_kswapd_pending(m) > 0) {
			uint64_t skipped = fill_cycle_step(m, v, &fc, n + 1, pages);
			n += skipped;
			*added += skipped;
		}
	}
	fill_cycle_free(&fc);
	quiet_end(m, q);
	return r;
}

/* ---- tasks ----------------------------------------------------------------------- */

int vmscan_task_find(const struct machine *m, const char *name)
{
	if (!m->vm)
		return -1;
	for (unsigned t = 0; t < m->vm->ntask; t++)
		if (m->vm->task[t].alive && strcmp(m->vm->task[t].comm, name) == 0)
			return (int)t;
	return -1;
}

int vmscan_task_create(struct machine *m, const char *name, int oom_adj)
{
	m->err[0] = '\0';
	if (!valid_name(name, 16)) {
		model_err(m, "a task name is 1 to 15 printable characters (TASK_COMM_LEN)");
		return -EINVAL;
	}
	bool old = m->kp->kv == KV_2_6_32;
	int lo = old ? OOM_DISABLE : OOM_SCORE_ADJ_MIN, hi = old ? OOM_ADJUST_MAX : OOM_SCORE_ADJ_MAX;
	if (oom_adj < lo || oom_adj > hi) {
		model_err(m, "%s must be %d to %d", old ? "oom_adj" : "oom_score_adj", lo, hi);
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (vmscan_task_find(m, name) >= 0) {
		model_err(m, "a task named %s is running", name);
		return -EEXIST;
	}
	unsigned t;
	for (t = 0; t < v->ntask && v->task[t].alive; t++)
		;
	if (t == VM_TASKS_MAX) {
		model_err(m, "at most %d tasks", VM_TASKS_MAX);
		return -ENOSPC;
	}
	if (t == v->ntask)
		v->ntask++;
	struct vm_task *k = &v->task[t];
	memset(k, 0, sizeof *k);
	snprintf(k->comm, sizeof k->comm, "%s", name);
	k->pid = v->next_pid++;
	k->oom_score_adj = oom_adj;
	k->alive = true;
	k->start_s = m->clock_us / 1000000;
	/* copy_process(): the child gets a copy of the parent's policy
	 * (mpol_dup()) and its il_prev (dup_task_struct()) */
	k->mpol = m->mpol;
	return (int)t;
}

int vmscan_anon(struct machine *m, int t, uint64_t pages, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	struct vm_state *v = m->vm;
	if (!v || t < 0 || (unsigned)t >= v->ntask || !v->task[t].alive)
		return -ESRCH;
	struct vm_task *k = &v->task[t];
	/* mmap() of a private writable area: total_vm grows at once, pages
	 * come as the task touches them (do_anonymous_page(): 6.13
	 * vma_alloc_zeroed_movable_folio(), GFP_HIGHUSER_MOVABLE | __GFP_ZERO;
	 * 2.6.32 alloc_zeroed_user_highpage_movable()).  New anon pages go to
	 * the inactive anon list in 6.13 (folio_add_lru_vma()), to the active
	 * one in 2.6.32 (lru_cache_add_active_or_unevictable()). */
	uint64_t first = k->total_vm;  /* the new pages' place in the area */
	k->total_vm += pages;
	gfp_t gfp = gfp_bit(m, "GFP_HIGHUSER_MOVABLE") | m->kp->gfp_zero;
	enum lru_list lru = m->kp->kv == KV_2_6_32 ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
	int saved = v->current;
	v->current = t;
	int pid = k->pid;
	struct quiet q = quiet_begin(m);
	int r = 0;
	for (uint64_t n = 0; n < pages; n++) {
		r = add_user_page(m, gfp, t, -1, false, lru, (long)(first + n));
		if (!k->alive || k->pid != pid) {
			/* the OOM killer chose this very task: SIGKILL, no return to user */
			model_err(m, "%s (pid %d) was killed by the OOM killer while faulting in "
				 "its memory", k->comm, pid);
			r = -ENOMEM;
			break;
		}
		if (r)
			break;
		k->anon_rss++;
		v->ev.pgfault++;        /* handle_mm_fault(): PGFAULT, one per page touched */
		(*added)++;
		vmscan_kswapd_pending(m);
	}
	quiet_end(m, q);
	v->current = saved;
	return r;
}

/* exit_mmap(): every page of the task back to the allocator, its swap
 * entries freed. */
static uint64_t free_task_memory(struct machine *m, struct vm_state *v, int t)
{
	uint64_t freed = 0;
	for (uint32_t i = 0; i < v->npg; i++)
		if (v->pg[i].lru != REC_FREE && v->pg[i].task == t) {
			release_page(m, v, i);
			freed++;
		}
	struct vm_task *k = &v->task[t];
	v->swap_used -= k->swapents;
	k->swapents = 0;
	k->anon_rss = 0;
	k->alive = false;
	return freed;
}

int vmscan_task_exit(struct machine *m, int t, uint64_t *freed)
{
	struct vm_state *v = m->vm;
	if (!v || t < 0 || (unsigned)t >= v->ntask || !v->task[t].alive)
		return -ESRCH;
	struct quiet q = quiet_begin(m);
	*freed = free_task_memory(m, v, t);
	quiet_end(m, q);
	return 0;
}

/* oom_kill.c: the victim's memory goes back (the OOM reaper and exit) */
uint64_t vmscan_kill_task(struct machine *m, int t);
uint64_t vmscan_kill_task(struct machine *m, int t)
{
	struct quiet q = quiet_begin(m);
	uint64_t n = free_task_memory(m, m->vm, t);
	quiet_end(m, q);
	return n;
}

static uint64_t zone_reclaimable_pages(const struct vm_state *v, int z);

/* ---- slab shrinkers ------------------------------------------------------------------
 *
 * A SLAB_RECLAIM_ACCOUNT cache's objects counted as freeable by a shrinker
 * (as the dentry cache's unused dentries on their list_lru): reclaim asks
 * every shrinker to scan a share of its objects, shrink_slab(); freeing
 * them empties slabs, whose pages go back to the buddy allocator when the
 * slab allocator lets them go (the reclaimed pages count as reclaim's
 * progress, reclaim_state->reclaimed).
 */

static struct vm_shrinker *shrinker_of(const struct vm_state *v, int cache)
{
	for (unsigned i = 0; i < v->nshrinker; i++)
		if (v->shrinker[i].cache == cache)
			return (struct vm_shrinker *)&v->shrinker[i];
	return NULL;
}

uint64_t vmscan_shrinkable_count(const struct machine *m, int cache)
{
	const struct vm_shrinker *s = m->vm ? shrinker_of(m->vm, cache) : NULL;
	return s ? s->n : 0;
}

bool vmscan_shrinker_owns(const struct machine *m, int cache, uint64_t addr)
{
	const struct vm_shrinker *s = m->vm ? shrinker_of(m->vm, cache) : NULL;
	for (uint64_t i = 0; s && i < s->n; i++)
		if (s->obj[s->head + i] == addr)
			return true;
	return false;
}

int vmscan_shrinkable_add(struct machine *m, int cache, uint64_t n, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	const struct slab_state *st = m->slab;
	if (!st || cache < 0 || (uint32_t)cache >= st->nr_caches || !st->caches[cache].live) {
		model_err(m, "no such cache");
		return -EINVAL;
	}
	if (!(st->caches[cache].flags & SLAB_RECLAIM_ACCOUNT_F)) {
		model_err(m, "%s is not a SLAB_RECLAIM_ACCOUNT cache: its pages would not count as reclaimable "
			  "(create one with kmem_cache_create NAME SIZE SLAB_RECLAIM_ACCOUNT, or use a kmalloc-rcl cache)",
			  st->caches[cache].name);
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	/* a destroyed cache's shrinker (its list was empty, or the destroy
	 * would have been refused) is unregistered: its slot is free */
	for (unsigned i = 0; i < v->nshrinker; i++) {
		struct vm_shrinker *d = &v->shrinker[i];
		if (d->cache >= 0 && ((uint32_t)d->cache >= st->nr_caches || !st->caches[d->cache].live)) {
			free(d->obj);
			*d = (struct vm_shrinker){ .cache = -1 };
		}
	}
	struct vm_shrinker *s = shrinker_of(v, cache);
	if (!s) {
		/* register_shrinker() */
		for (unsigned i = 0; i < v->nshrinker && !s; i++)
			if (v->shrinker[i].cache < 0)
				s = &v->shrinker[i];
		if (!s && v->nshrinker == VM_SHRINKERS_MAX) {
			model_err(m, "at most %d shrinkers", VM_SHRINKERS_MAX);
			return -ENOSPC;
		}
		if (!s)
			s = &v->shrinker[v->nshrinker++];
		*s = (struct vm_shrinker){ .cache = cache };
	}
	/* d_alloc(): kmem_cache_alloc(GFP_KERNEL) */
	gfp_t gfp = gfp_bit(m, "GFP_KERNEL");
	struct quiet q = quiet_begin(m);
	int r = 0;
	for (uint64_t k = 0; k < n; k++) {
		if (s->head + s->n == s->cap) {
			if (s->head) {
				memmove(s->obj, s->obj + s->head, s->n * sizeof *s->obj);
				s->head = 0;
			} else {
				uint64_t cap = s->cap ? 2 * s->cap : 64;
				uint64_t *o = realloc(s->obj, cap * sizeof *o);
				if (!o) {
					model_err(m, "out of host memory");
					r = -ENOMEM;
					break;
				}
				s->obj = o;
				s->cap = cap;
			}
		}
		uint64_t addr;
		r = slab_cache_alloc(m, cache, gfp, &addr);
		if (r)
			break;
		/* reclaim inside the allocation may have run this very shrinker */
		if (s->head + s->n == s->cap) {
			memmove(s->obj, s->obj + s->head, s->n * sizeof *s->obj);
			s->head = 0;
		}
		s->obj[s->head + s->n++] = addr;        /* list_lru_add(): the tail */
		(*added)++;
		vmscan_kswapd_pending(m);
	}
	quiet_end(m, q);
	return r;
}

/* The shrinker's scan_objects(): free up to nr objects from the head of the
 * list_lru; the objects freed. */
static uint64_t scan_objects(struct machine *m, struct vm_shrinker *s, uint64_t nr)
{
	uint64_t freed = 0;
	for (; nr && s->n; nr--) {
		uint64_t addr = s->obj[s->head++];
		s->n--;
		if (slab_cache_free(m, s->cache, addr) == 0)
			freed++;
	}
	if (!s->n)
		s->head = 0;
	return freed;
}

struct shrink_result {
	uint64_t scanned, freed, pages;
};

/* 6.13 mm/shrinker.c do_shrink_slab() for one shrinker at `priority` */
static void do_shrink_slab(struct machine *m, struct vm_state *v, struct vm_shrinker *s, int priority,
			   struct shrink_result *res)
{
	uint64_t freeable = s->n;               /* count_objects() */
	if (!freeable)
		return;
	uint64_t nr = s->nr_deferred;           /* xchg_nr_deferred() */
	s->nr_deferred = 0;
	uint64_t delta = (freeable >> priority) * 4 / DEFAULT_SEEKS;
	uint64_t total_scan = (nr >> priority) + delta;
	if (total_scan > 2 * freeable)
		total_scan = 2 * freeable;
	uint64_t scanned = 0;
	/* not less than a batch, unless total_scan exceeds what is there
	 * ("we are really tight on memory") */
	while (total_scan >= SHRINK_BATCH || total_scan >= freeable) {
		uint64_t nr_to_scan = total_scan < SHRINK_BATCH ? total_scan : SHRINK_BATCH;
		res->freed += scan_objects(m, s, nr_to_scan);
		v->ev.slabs_scanned += nr_to_scan;      /* count_vm_events(SLABS_SCANNED, nr_scanned) */
		res->scanned += nr_to_scan;
		total_scan -= nr_to_scan;
		scanned += nr_to_scan;
	}
	/* the work not done is deferred, capped at twice the freeable */
	uint64_t next = nr + delta > scanned ? nr + delta - scanned : 0;
	if (next > 2 * freeable)
		next = 2 * freeable;
	s->nr_deferred += next;                 /* add_nr_deferred() */
}

/* 2.6.32 mm/vmscan.c shrink_slab() for one shrinker */
static void shrink_slab_2632(struct machine *m, struct vm_state *v, struct vm_shrinker *s, uint64_t scanned,
			     uint64_t lru_pages, struct shrink_result *res)
{
	uint64_t max_pass = s->n;               /* (*shrinker->shrink)(0, gfp_mask) */
	uint64_t delta = (4 * scanned) / DEFAULT_SEEKS;
	delta *= max_pass;
	delta /= lru_pages + 1;
	s->nr_deferred += delta;
	if (s->nr_deferred > max_pass * 2)
		s->nr_deferred = max_pass * 2;
	uint64_t total_scan = s->nr_deferred;
	s->nr_deferred = 0;
	while (total_scan >= SHRINK_BATCH) {
		res->freed += scan_objects(m, s, SHRINK_BATCH);
		v->ev.slabs_scanned += SHRINK_BATCH;
		res->scanned += SHRINK_BATCH;
		total_scan -= SHRINK_BATCH;
	}
	s->nr_deferred += total_scan;
}

/* shrink_slab(): every shrinker; the slab pages freed meanwhile are the
 * reclaim_state's.  6.13 takes the priority, 2.6.32 the pages scanned and
 * the LRU pages.  The step is logged when anything was scanned. */
static uint64_t shrink_slab(struct machine *m, struct vm_state *v, int priority, uint64_t scanned,
			    uint64_t lru_pages)
{
	if (!v->nshrinker || !m->slab)
		return 0;
	struct shrink_result res = { 0, 0, 0 };
	uint64_t pages0 = m->slab->reclaimable_pages;
	if (m->kp->kv == KV_2_6_32 && scanned == 0)
		scanned = SWAP_CLUSTER_MAX;
	for (unsigned i = 0; i < v->nshrinker; i++) {
		struct vm_shrinker *s = &v->shrinker[i];
		if (s->cache < 0)
			continue;
		if (m->kp->kv == KV_2_6_32)
			shrink_slab_2632(m, v, s, scanned, lru_pages, &res);
		else
			do_shrink_slab(m, v, s, priority, &res);
	}
	res.pages = pages0 > m->slab->reclaimable_pages ? pages0 - m->slab->reclaimable_pages : 0;
	if (res.scanned)
		vm_log(m, &(struct change){ .kind = CH_SHRINK_SLAB, .val = res.scanned, .pfn = res.freed,
					    .pfn2 = res.pages });
	return res.pages;
}

uint64_t vmscan_shrink_slab_caches(struct machine *m, int priority, uint64_t scanned, uint64_t lru_pages)
{
	return m->vm ? shrink_slab(m, m->vm, priority, scanned, lru_pages) : 0;
}

/* drop_slab(): 6.13 shrink_slab(GFP_KERNEL, nid, memcg, 0) until a round
 * frees little ((freed >> shift++) > 1); 2.6.32 shrink_slab(1000,
 * GFP_KERNEL, 1000) while it frees more than 10 objects.  Each round's
 * shrink_slab() asks every shrinker: the registered ones (shrinker.c, in
 * their registration order: vmalloc_init()'s vmap-node one comes first)
 * and the shrinkable caches', and the loop tests what they all freed.
 * Objects freed. */
static uint64_t drop_slab(struct machine *m, struct vm_state *v)
{
	uint64_t total = 0;
	unsigned shift = 0;
	for (unsigned round = 0; round < 64; round++) {
		uint64_t objs0 = 0, objs1 = 0;
		uint64_t freed = vmscan_shrink_slab(m, 0);
		for (unsigned i = 0; i < v->nshrinker; i++)
			objs0 += v->shrinker[i].cache >= 0 ? v->shrinker[i].n : 0;
		struct quiet q = quiet_begin(m);
		shrink_slab(m, v, 0, 1000, 1000);
		quiet_end(m, q);
		for (unsigned i = 0; i < v->nshrinker; i++)
			objs1 += v->shrinker[i].cache >= 0 ? v->shrinker[i].n : 0;
		freed += objs0 - objs1;
		total += freed;
		if (m->kp->kv == KV_2_6_32 ? freed <= 10 : (freed >> shift++) <= 1)
			break;
	}
	return total;
}

/* ---- drop_caches, swap ------------------------------------------------------------- */

int vmscan_drop_caches(struct machine *m, int what, uint64_t *dropped)
{
	*dropped = 0;
	m->err[0] = '\0';
	/* kernel/sysctl.c: 1..4 in 6.13 (4: stop the message), 1..3 in 2.6.32 */
	int max = m->kp->kv == KV_2_6_32 ? 3 : 4;
	if (what < 1 || what > max) {
		model_err(m, "drop_caches takes 1 to %d (1 page cache, 2 slab, 3 both%s)", max,
			 max == 4 ? ", 4 quiet" : "");
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (what & 1) {
		/* drop_pagecache_sb() -> invalidate_mapping_pages(): clean,
		 * unmapped page cache; dirty pages stay */
		struct quiet q = quiet_begin(m);
		for (uint32_t i = 0; i < v->npg; i++)
			if (v->pg[i].lru != REC_FREE && v->pg[i].file >= 0 && !v->pg[i].dirty) {
				release_page(m, v, i);
				(*dropped)++;
			}
		quiet_end(m, q);
		v->ev.drop_pagecache++;
	}
	if (what & 2) {
		/* drop_slab(): every shrinker at priority 0, each round: the
		 * registered ones (6.13's vmap-node shrinker; 2.6.32 has none
		 * there), then the shrinkable caches' */
		drop_slab(m, v);
		v->ev.drop_slab++;
	}
	/* 6.13 drop_caches_sysctl_handler() */
	if (m->kp->kv != KV_2_6_32) {
		if (!v->drop_caches_said) {
			const char *comm = v->current >= 0 ? v->task[v->current].comm : "kmemsh";
			int pid = v->current >= 0 ? v->task[v->current].pid : 1;
			dmesg_printf(m, "%s (%d): drop_caches: %d", comm, pid, what);
		}
		if (what & 4)
			v->drop_caches_said = true;
	}
	return 0;
}

int vmscan_swapon(struct machine *m, uint64_t pages)
{
	m->err[0] = '\0';
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (v->swap_total) {
		model_err(m, "swap is already on (kmemsh models one swap area)");
		return -EBUSY;
	}
	/* setup_swap_map_and_extents(): page 0 holds the swap header */
	if (pages < 2 || pages > (1ull << 32)) {
		model_err(m, "a swap area is 8K (a header page and one slot) to 16T");
		return -EINVAL;
	}
	v->swap_total = pages - 1;
	v->swap_used = 0;
	return 0;
}

int vmscan_swapoff(struct machine *m)
{
	m->err[0] = '\0';
	struct vm_state *v = m->vm;
	if (!v || !v->swap_total) {
		model_err(m, "no swap area is on");
		return -EINVAL;
	}
	/* try_to_unuse(): every swapped page is read back into memory; when
	 * memory runs out swapoff fails with ENOMEM and the swap area stays on,
	 * the pages read so far stay in memory */
	gfp_t gfp = gfp_bit(m, "GFP_HIGHUSER_MOVABLE");
	enum lru_list lru = m->kp->kv == KV_2_6_32 ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
	/* the area takes no new pages while it is emptied (SWP_WRITEOK
	 * cleared, nr_swap_pages lowered first) */
	v->swapoff_running = true;
	struct quiet q = quiet_begin(m);
	for (unsigned t = 0; t < v->ntask; t++) {
		struct vm_task *k = &v->task[t];
		while (k->alive && k->swapents) {
			/* unuse_pte_range() -> swapin_readahead(): the policy of
			 * current (swapoff's caller, the shell) at the page's place
			 * in its VMA, which kmemsh does not keep: the page is
			 * numbered after the task's resident ones */
			int r = add_user_page(m, gfp, (int)t, -1, false, lru, (long)k->anon_rss);
			if (r == -ESRCH)
				break;          /* the OOM killer chose the owner */
			if (r) {
				quiet_end(m, q);
				v->swapoff_running = false;
				model_err(m, "out of memory with %llu pages still swapped "
					 "out (the swap area stays on)", (unsigned long long)v->swap_used);
				return -ENOMEM;
			}
			if (!k->alive)
				break;
			k->swapents--;
			k->anon_rss++;
			v->swap_used--;
			v->ev.pswpin++;
		}
	}
	quiet_end(m, q);
	v->swapoff_running = false;
	v->swap_total = v->swap_used = 0;
	return 0;
}

/* ---- reclaim ----------------------------------------------------------------------- */

struct scan_control {
	unsigned order;
	int priority;
	bool kswapd;
	uint64_t nr_to_reclaim;
	uint64_t nr_scanned, nr_reclaimed, nr_written, nr_swapped;
};

/* can_reclaim_anon_pages(): only with free swap */
static bool can_reclaim_anon(const struct vm_state *v)
{
	return !v->swapoff_running && v->swap_used < v->swap_total;
}

/* 6.13 inactive_is_low(); 2.6.32 inactive_anon_is_low() (zone->inactive_ratio
 * from calculate_zone_inactive_ratio(): int_sqrt(10 * GB of the zone), at
 * least 1) and inactive_file_is_low() (active > inactive). */
static bool inactive_is_low(const struct machine *m, const struct vm_state *v, int z, enum lru_list inactive)
{
	uint64_t in = v->lru[z][inactive].nr, act = v->lru[z][inactive + 1].nr;
	uint64_t gb;
	if (m->kp->kv == KV_2_6_32) {
		if (inactive == LRU_INACTIVE_FILE)
			return act > in;
		gb = m->zones[z].present >> (30 - 12);
	} else {
		gb = (in + act) >> (30 - 12);
	}
	uint64_t ratio = gb ? int_sqrt(10 * gb) : 1;
	return in * ratio < act;
}

/* shrink_active_list(): pages from the active tail to the inactive head
 * (no page is referenced again in the model, so every one is deactivated) */
static void shrink_active_list(struct vm_state *v, int z, uint64_t nr, enum lru_list active)
{
	for (uint64_t k = 0; k < nr && v->lru[z][active].tail != NIL; k++) {
		uint32_t i = v->lru[z][active].tail;
		lru_del(v, i);
		lru_add(v, i, (enum lru_list)(active - 1));
		v->ev.pgdeactivate++;
		/* PGREFILL: every page isolated from the active list */
		v->ev.pgrefill++;
		v->ev.pgrefill_z[z]++;
	}
}

/* shrink_inactive_list() + shrink_folio_list(): clean file pages are freed,
 * dirty ones written back and rotated to the tail once the batch is done,
 * anon pages added to swap and freed. */
static void shrink_inactive_list(struct machine *m, struct vm_state *v, struct scan_control *sc, int z,
				 uint64_t nr, enum lru_list lru)
{
	bool file = lru == LRU_INACTIVE_FILE;
	uint32_t written[SWAP_CLUSTER_MAX];
	unsigned nw = 0;
	for (uint64_t k = 0; k < nr && v->lru[z][lru].tail != NIL; k++) {
		uint32_t i = v->lru[z][lru].tail;
		struct lru_page *p = &v->pg[i];
		sc->nr_scanned++;
		*(sc->kswapd ? &v->ev.pgscan_kswapd : &v->ev.pgscan_direct) += 1;
		*(sc->kswapd ? &v->ev.pgscan_kswapd_z[z] : &v->ev.pgscan_direct_z[z]) += 1;
		*(file ? &v->ev.pgscan_file : &v->ev.pgscan_anon) += 1;
		if (file && p->dirty) {
			/* pageout(): writeback starts; the page is clean when it
			 * completes and goes to the tail (folio_rotate_reclaimable) */
			lru_del(v, i);
			p->dirty = false;
			v->nr_dirty[z]--;
			v->ev.nr_vmscan_write++;
			v->ev.vmscan_write_z[z]++;
			sc->nr_written++;
			if (nw < SWAP_CLUSTER_MAX)
				written[nw++] = i;
			else
				lru_add(v, i, lru);
			continue;
		}
		if (!file) {
			/* add_to_swap() + pageout() to the swap area */
			if (!can_reclaim_anon(v))
				break;
			struct vm_task *t = &v->task[p->task];
			t->anon_rss--;
			t->swapents++;
			v->swap_used++;
			v->ev.pswpout++;
			sc->nr_swapped++;
		}
		release_page(m, v, i);
		sc->nr_reclaimed++;
		*(sc->kswapd ? &v->ev.pgsteal_kswapd : &v->ev.pgsteal_direct) += 1;
		v->ev.pgsteal_z[z]++;
		*(file ? &v->ev.pgsteal_file : &v->ev.pgsteal_anon) += 1;
	}
	for (unsigned w = 0; w < nw; w++) {
		lru_add_tail(v, written[w], lru);
		v->ev.pgrotated++;
	}
}

/*
 * get_scan_count() (6.13): without free swap only file pages (SCAN_FILE);
 * with plenty of inactive file cache, file only too (cache_trim_mode:
 * inactive file >> priority and the file list not low); at priority 0
 * SCAN_EQUAL; else SCAN_FRACT with swappiness 60 and no reclaim cost yet:
 * anon 60/200, file 140/200 of each list's size >> priority.
 * get_scan_ratio() (2.6.32): no swap -> file only; file + free at or below
 * the high watermark -> anon only; else anon prio 60, file 140 with empty
 * recent_scanned/rotated: anon 100 * 61 / 203 = 30 %, file 70 %.
 */
static void get_scan_count(const struct machine *m, const struct vm_state *v, const struct scan_control *sc, int z,
			   uint64_t nr[NR_LRU_LISTS])
{
	uint64_t num[2] = { 1, 1 }, den = 1;    /* anon, file */
	bool swap = can_reclaim_anon(v);
	if (m->kp->kv == KV_2_6_32) {
		const struct zone *zn = &m->zones[z];
		uint64_t file = v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
		if (!swap) {
			num[0] = 0;
		} else if (file + zn->free_pages <= zn->wmark[WMARK_HIGH]) {
			num[1] = 0;
		} else {
			uint64_t ap = 61, fp = 141;
			num[0] = 100 * ap / (ap + fp + 1);
			num[1] = 100 - num[0];
			den = 100;
		}
	} else if (!swap) {
		num[0] = 0;
	} else if ((v->lru[z][LRU_INACTIVE_FILE].nr >> sc->priority) && !inactive_is_low(m, v, z, LRU_INACTIVE_FILE)) {
		num[0] = 0;
	} else if (sc->priority) {
		num[0] = 60;
		num[1] = 140;
		den = 200;
	}
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		bool file = l >= LRU_INACTIVE_FILE;
		nr[l] = (v->lru[z][l].nr >> sc->priority) * num[file] / den;
	}
}

/* shrink_list(): active lists are aged when their inactive list is low */
static void shrink_list(struct machine *m, struct vm_state *v, struct scan_control *sc, int z, uint64_t nr,
			enum lru_list lru)
{
	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE) {
		if (inactive_is_low(m, v, z, (enum lru_list)(lru - 1)))
			shrink_active_list(v, z, nr, lru);
		return;
	}
	shrink_inactive_list(m, v, sc, z, nr, lru);
}

/* shrink_lruvec() (6.13) / shrink_zone() (2.6.32) */
static void shrink_zone(struct machine *m, struct vm_state *v, struct scan_control *sc, int z)
{
	uint64_t nr[NR_LRU_LISTS];
	get_scan_count(m, v, sc, z, nr);
	/* 6.13: global direct reclaim at DEF_PRIORITY scans the whole target
	 * (proportional_reclaim); 2.6.32 stops once enough is reclaimed below
	 * DEF_PRIORITY */
	bool proportional = m->kp->kv != KV_2_6_32 && !sc->kswapd && sc->priority == DEF_PRIORITY;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		for (int l = 0; l < NR_LRU_LISTS; l++) {
			if (!nr[l])
				continue;
			uint64_t n = nr[l] < SWAP_CLUSTER_MAX ? nr[l] : SWAP_CLUSTER_MAX;
			nr[l] -= n;
			shrink_list(m, v, sc, z, n, (enum lru_list)l);
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim &&
		    (m->kp->kv != KV_2_6_32 ? !proportional : sc->priority < DEF_PRIORITY))
			break;
	}
	/* age the anon lists a little: 6.13 shrink_lruvec() end, 2.6.32
	 * shrink_zone() end */
	if (can_reclaim_anon(v) && inactive_is_low(m, v, z, LRU_INACTIVE_ANON))
		shrink_active_list(v, z, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON);
}

/* do_try_to_free_pages(): the priority loop over the zonelist's zones */
static uint64_t try_to_free_pages(struct machine *m, struct vm_state *v, unsigned order, int classzone,
				  struct scan_control *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->order = order;
	sc->nr_to_reclaim = SWAP_CLUSTER_MAX;
	/* 6.13: __count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx, 1); 2.6.32:
	 * count_vm_event(ALLOCSTALL) */
	v->ev.allocstall[m->kp->kv != KV_2_6_32 ? classzone : 0]++;
	/* 2.6.32: lru_pages, the zonelist's zone_reclaimable_pages() */
	uint64_t lru_pages = 0;
	for (int z = classzone; z >= 0; z--)
		lru_pages += zone_reclaimable_pages(v, z);
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		uint64_t scanned0 = sc->nr_scanned;
		/* shrink_zones(): the zonelist's zones, the preferred node's
		 * first (with NUMA nodes: the allocation's zonelist, buddy.c) */
		for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone))
			if (m->zones[z].present)
				shrink_zone(m, v, sc, z);
		/* 6.x shrink_node_memcgs(): the registered shrinkers after the
		 * LRU lists (6.1's as 6.13's; 2.6.32 registers none) */
		if (m->kp->kv != KV_2_6_32)
			vmscan_shrink_slab(m, sc->priority);
		/* 6.13 shrink_node(): shrink_slab() after the LRU lists, at this
		 * priority; 2.6.32 do_try_to_free_pages(): shrink_slab() with the
		 * pages this priority scanned; the slab pages freed count */
		sc->nr_reclaimed += shrink_slab(m, v, sc->priority, sc->nr_scanned - scanned0, lru_pages);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	if (sc->priority < 0)
		sc->priority = 0;
	return sc->nr_reclaimed;
}

/* ---- kswapd ------------------------------------------------------------------------ */

static bool zone_ok(const struct machine *m, int z, unsigned order, uint64_t mark, int classzone)
{
	return buddy_zone_watermark_ok(m, &m->zones[z], order, mark, classzone, 0);
}

/* 6.13 pgdat_balanced(): any managed zone up to highest_zoneidx above its
 * high watermark.  2.6.32 balance_pgdat()'s test: every populated zone
 * above high (checked against classzone 0). */
static bool pgdat_balanced(const struct machine *m, unsigned nid, unsigned order, int classzone)
{
	bool any = false;
	int z0 = (int)nid * m->nr_node_zones;   /* node nid's zones: z0 + zone type */
	if (m->kp->kv == KV_2_6_32) {
		for (int z = z0; z < z0 + m->nr_node_zones && z < m->nr_zones; z++)
			if (m->zones[z].present && !zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], 0))
				return false;
		return true;
	}
	for (int i = 0; i <= classzone && i < m->nr_node_zones; i++) {
		int z = z0 + i;
		if (!m->zones[z].managed)
			continue;
		any = true;
		if (zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], classzone))
			return true;
	}
	return !any;
}

/*
 * node_reclaim() (mm/vmscan.c, 6.13), called by get_page_from_freelist()
 * with vm.zone_reclaim_mode set when a zone fails its watermark, before the
 * allocation moves on to the next zone of its zonelist (a remote node's):
 * - NODE_RECLAIM_FULL when the node's reclaimable page cache
 *   (node_pagecache_reclaimable(): the file LRU, nothing mapped in the
 *   model, less the dirty pages without RECLAIM_WRITE) is at most
 *   pgdat->min_unmapped_pages (each zone's managed * min_unmapped_ratio 1
 *   / 100, setup_min_unmapped_ratio()); the reclaimable slab side
 *   (min_slab_pages) is not modelled per node;
 * - NODE_RECLAIM_NOSCAN when the caller may not block, or the node has
 *   CPUs and is not the current CPU's node;
 * - else __node_reclaim(): shrink_node() from NODE_RECLAIM_PRIORITY 4 down
 *   until 1 << order pages are reclaimed (nr_to_reclaim at least
 *   SWAP_CLUSTER_MAX); SUCCESS when they are, else zone_reclaim_failed++.
 */
#define RECLAIM_WRITE 2                 /* mm/internal.h */
#define NODE_RECLAIM_PRIORITY 4         /* mm/vmscan.c */
int vmscan_node_reclaim(struct machine *m, unsigned nid, gfp_t gfp, unsigned order)
{
	struct vm_state *v = vmscan_state(m);
	if (!v || nid >= m->nr_nodes)
		return -2;
	const int z0 = (int)nid * m->nr_node_zones;
	uint64_t file = 0, dirty = 0, min_unmapped = 0;
	for (int z = z0; z < z0 + m->nr_node_zones; z++) {
		file += v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
		dirty += v->nr_dirty[z];
		min_unmapped += m->zones[z].managed * 1 / 100;
	}
	uint64_t reclaimable = file;
	if (!(m->zone_reclaim_mode & RECLAIM_WRITE))
		reclaimable -= dirty < reclaimable ? dirty : reclaimable;
	if (reclaimable <= min_unmapped)
		return -1;
	if (!gfp_allow_blocking(m->kp, gfp))
		return -2;
	bool has_cpus = false;
	for (unsigned c = 0; c < m->ncpus; c++)
		has_cpus |= machine_cpu_to_node(m, c) == nid;
	if (has_cpus && nid != machine_numa_node_id(m))
		return -2;
	struct scan_control sc;
	memset(&sc, 0, sizeof sc);
	sc.order = order;
	uint64_t nr_pages = 1ull << order;
	sc.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ? nr_pages : SWAP_CLUSTER_MAX;
	struct quiet q = quiet_begin(m);
	sc.priority = NODE_RECLAIM_PRIORITY;
	do {
		/* shrink_node(): the node's one LRU, which the model keeps per
		 * zone, highest first, until nr_to_reclaim */
		for (int z = z0 + m->nr_node_zones - 1; z >= z0 && sc.nr_reclaimed < sc.nr_to_reclaim; z--)
			if (m->zones[z].present)
				shrink_zone(m, v, &sc, z);
		vmscan_shrink_slab(m, sc.priority);
		sc.nr_reclaimed += shrink_slab(m, v, sc.priority, 0, 0);
	} while (sc.nr_reclaimed < nr_pages && --sc.priority >= 0);
	quiet_end(m, q);
	if (sc.nr_reclaimed >= nr_pages)
		return 1;
	v->ev.zone_reclaim_failed++;
	return 0;
}

/* wakeup_kswapd() for node nid (mm/vmscan.c): classzone a zone type */
static void wakeup_kswapd(struct machine *m, struct vm_state *v, unsigned nid, unsigned order, int classzone)
{
	int z0 = (int)nid * m->nr_node_zones;
	if (m->kp->kv == KV_2_6_32) {
		/* wakeup_kswapd() per zone of the zonelist: not when it is above low */
		bool low = false;
		for (int i = classzone; i >= 0; i--)
			if (m->zones[z0 + i].present && !zone_ok(m, z0 + i, order, m->zones[z0 + i].wmark[WMARK_LOW], 0))
				low = true;
		if (!low)
			return;
	} else if (v->kswapd_failures[nid] >= MAX_RECLAIM_RETRIES || pgdat_balanced(m, nid, order, classzone)) {
		/* "Hopeless node, leave it to direct reclaim", or balanced */
		return;
	}
	bool asleep = !v->kswapd_woken[nid];
	if (asleep || order > v->kswapd_order[nid])
		v->kswapd_order[nid] = order;
	if (asleep || classzone > v->kswapd_classzone[nid])
		v->kswapd_classzone[nid] = classzone;
	v->kswapd_woken[nid] = true;
	if (!asleep)
		return;
	v->ev.kswapd_wakeups++;
	vm_log(m, &(struct change){ .kind = CH_KSWAPD_WAKE, .order = (uint8_t)order, .zone = (uint8_t)(z0 + classzone) });
}

/*
 * wake_all_kswapds() (mm/page_alloc.c): wakeup_kswapd() once for each node
 * whose managed zones the zonelist (of m->ac_nid, one node for
 * __GFP_THISNODE) reaches, in its order; each node's kswapd decides for
 * itself (its own zones balanced or not).
 */
void vmscan_wakeup_kswapd(struct machine *m, unsigned order, int classzone)
{
	struct vm_state *v = vmscan_state(m);
	if (!v)
		return;
	if (m->nr_nodes <= 1) {
		wakeup_kswapd(m, v, 0, order, classzone);
		return;
	}
	int last = -1;
	for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone)) {
		if (!m->zones[z].managed || m->zones[z].nid == last)
			continue;
		last = m->zones[z].nid;
		wakeup_kswapd(m, v, (unsigned)last, order, classzone);
	}
}

/* node nid's highest populated zone type */
static int highest_populated(const struct machine *m, unsigned nid)
{
	for (int i = m->nr_node_zones - 1; i >= 0; i--)
		if (m->zones[(int)nid * m->nr_node_zones + i].present)
			return i;
	return 0;
}

/* balance_pgdat() */
static uint64_t balance_pgdat(struct machine *m, struct vm_state *v, unsigned nid, unsigned order, int classzone,
			      struct change *ev)
{
	const int z0 = (int)nid * m->nr_node_zones;     /* the node's zones: z0 + zone type */
	struct scan_control sc;
	memset(&sc, 0, sizeof sc);
	sc.kswapd = true;
	sc.order = order;
	v->ev.pageoutrun++;
	uint64_t passes = 0;
	bool balanced = false;
	int prio = DEF_PRIORITY;
	if (m->kp->kv != KV_2_6_32) {
		for (sc.priority = DEF_PRIORITY; sc.priority >= 1 && passes < 100000; passes++) {
			if ((balanced = pgdat_balanced(m, nid, order, classzone)))
				break;
			/* kswapd_shrink_node(): nr_to_reclaim is each eligible zone's
			 * high watermark, at least SWAP_CLUSTER_MAX */
			sc.nr_to_reclaim = 0;
			for (int z = z0; z <= z0 + classzone; z++)
				if (m->zones[z].managed)
					sc.nr_to_reclaim += m->zones[z].wmark[WMARK_HIGH] > SWAP_CLUSTER_MAX ?
							    m->zones[z].wmark[WMARK_HIGH] : SWAP_CLUSTER_MAX;
			uint64_t scanned0 = sc.nr_scanned, reclaimed0 = sc.nr_reclaimed;
			sc.nr_to_reclaim += sc.nr_reclaimed;    /* the target of this pass */
			for (int z = z0 + classzone; z >= z0; z--)
				if (m->zones[z].present)
					shrink_zone(m, v, &sc, z);
			vmscan_shrink_slab(m, sc.priority);     /* shrink_node_memcgs() */
			/* kswapd_shrink_node() -> shrink_node(): the shrinkable caches too */
			sc.nr_reclaimed += shrink_slab(m, v, sc.priority, 0, 0);
			bool raise = sc.nr_scanned - scanned0 < sc.nr_to_reclaim - reclaimed0;
			prio = sc.priority;
			if (raise || sc.nr_reclaimed == reclaimed0)
				sc.priority--;
		}
		if (!balanced)
			balanced = pgdat_balanced(m, nid, order, classzone);
		if (!sc.nr_reclaimed)
			v->kswapd_failures[nid]++;
		else
			v->kswapd_failures[nid] = 0;
	} else {
		/* 2.6.32: loop_again until every zone is above high, or a whole
		 * loop reclaims nothing (the zones are all_unreclaimable) */
		sc.nr_to_reclaim = ~0ull;
		bool all_ok = true;
		for (;;) {
			uint64_t loop0 = sc.nr_reclaimed;
			all_ok = true;
			for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
				passes++;
				int end_zone = -1;
				for (int z = m->nr_zones - 1; z >= 0; z--) {
					if (!m->zones[z].present)
						continue;
					if (can_reclaim_anon(v) && inactive_is_low(m, v, z, LRU_INACTIVE_ANON))
						shrink_active_list(v, z, SWAP_CLUSTER_MAX, LRU_ACTIVE_ANON);
					if (!zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], 0)) {
						end_zone = z;
						break;
					}
				}
				prio = sc.priority;
				if (end_zone < 0) {
					all_ok = true;
					break;
				}
				all_ok = true;
				uint64_t before = sc.nr_reclaimed, lru_pages = 0;
				for (int z = 0; z <= end_zone; z++)
					lru_pages += zone_reclaimable_pages(v, z);
				for (int z = 0; z <= end_zone; z++) {
					if (!m->zones[z].present)
						continue;
					uint64_t scanned0 = sc.nr_scanned;
					if (!zone_ok(m, z, order, 8 * m->zones[z].wmark[WMARK_HIGH], end_zone))
						shrink_zone(m, v, &sc, z);
					/* reclaim_state->reclaimed_slab after shrink_slab() */
					sc.nr_reclaimed += shrink_slab(m, v, 0, sc.nr_scanned - scanned0, lru_pages);
					if (!zone_ok(m, z, order, m->zones[z].wmark[WMARK_HIGH], end_zone))
						all_ok = false;
				}
				if (all_ok || sc.nr_reclaimed - before >= SWAP_CLUSTER_MAX)
					break;
			}
			if (all_ok || sc.nr_reclaimed == loop0 || passes > 100000)
				break;
			if (sc.nr_reclaimed - loop0 < SWAP_CLUSTER_MAX)
				order = sc.order = 0;
		}
		balanced = all_ok;
	}
	*ev = (struct change){ .kind = CH_KSWAPD, .order = (uint8_t)prio, .pfn = sc.nr_scanned,
			       .pfn2 = sc.nr_reclaimed, .mt = balanced, .val = passes, .old = sc.nr_written,
			       .zone = (uint8_t)(z0 + classzone), .obj = (uint32_t)sc.nr_swapped };
	return sc.nr_reclaimed;
}

/* kswapd() for node nid: balance_pgdat() at the order and zone it was woken for */
static int kswapd_run_node(struct machine *m, struct vm_state *v, unsigned nid, bool force, uint64_t *reclaimed)
{
	if (!v->kswapd_woken[nid] && !force)
		return 0;
	unsigned order = v->kswapd_woken[nid] ? v->kswapd_order[nid] : 0;
	int classzone = v->kswapd_woken[nid] ? v->kswapd_classzone[nid] : highest_populated(m, nid);
	if (classzone < 0 || classzone >= m->nr_node_zones)
		classzone = highest_populated(m, nid);
	v->kswapd_woken[nid] = false;
	struct change ev;
	struct quiet q = quiet_begin(m);
	*reclaimed += balance_pgdat(m, v, nid, order, classzone, &ev);
	quiet_end(m, q);
	vm_log(m, &ev);
	return 1;
}

int vmscan_kswapd_run(struct machine *m, bool force, int nid, uint64_t *reclaimed)
{
	struct vm_state *v = vmscan_state(m);
	*reclaimed = 0;
	if (!v)
		return -ENOMEM;
	if (nid >= (int)m->nr_nodes) {
		model_err(m, "node %d does not exist (this machine has %u; --nodes N)", nid, m->nr_nodes);
		return -EINVAL;
	}
	if (nid >= 0)
		return kswapd_run_node(m, v, (unsigned)nid, force, reclaimed);
	int ran = 0;
	for (unsigned n = 0; n < m->nr_nodes; n++)
		ran += kswapd_run_node(m, v, n, force, reclaimed);
	return ran;
}

int vmscan_kswapd_pending(struct machine *m)
{
	uint64_t n;
	if (!m->vm)
		return 0;
	return vmscan_kswapd_run(m, false, -1, &n);
}

/* ---- the slow path after the min watermark ----------------------------------------- */

/* zone_reclaimable_pages(): file always, anon with free swap */
static uint64_t zone_reclaimable_pages(const struct vm_state *v, int z)
{
	uint64_t n = v->lru[z][LRU_INACTIVE_FILE].nr + v->lru[z][LRU_ACTIVE_FILE].nr;
	if (can_reclaim_anon(v))
		n += v->lru[z][LRU_INACTIVE_ANON].nr + v->lru[z][LRU_ACTIVE_ANON].nr;
	return n;
}

/* should_reclaim_retry() (6.13) */
static bool should_reclaim_retry(const struct machine *m, const struct vm_state *v, unsigned order, int classzone,
				 unsigned af, bool progress, unsigned *no_progress_loops)
{
	if (progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return false;
	/* for_each_zone_zonelist_nodemask(): the allocation's zonelist */
	for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone)) {
		if (!m->zones[z].present)
			continue;
		/* __zone_watermark_ok(zone, order, min, highest_zoneidx,
		 * alloc_flags, reclaimable + free) */
		static struct zone tmp;
		tmp = m->zones[z];
		tmp.free_pages = zone_reclaimable_pages(v, z) + m->zones[z].free_pages;
		if (buddy_zone_watermark_ok(m, &tmp, order, m->zones[z].wmark[WMARK_MIN], classzone, af))
			return true;
	}
	return false;
}

/*
 * 6.13 mm/page_alloc.c should_compact_retry() (the form since 6.4, without
 * the compaction_withdrawn()/compaction_failed() helpers):
 *   order 0: no;
 *   COMPACT_SKIPPED (too few free order-0 targets): retry when
 *     compaction_zonelist_suitable(): some zone's free plus reclaimable
 *     pages pass __compaction_suitable()'s order-0 check (min, or low for
 *     costly orders, plus compact_gap() = 2 << order);
 *   COMPACT_SUCCESS (blocks were made, the page went to someone else):
 *     retry up to MAX_COMPACT_RETRIES (16) times, a quarter for costly orders;
 *   otherwise (and when those retries run out): raise compact_priority
 *     towards MIN_COMPACT_PRIORITY (sync full; MIN_COMPACT_COSTLY_PRIORITY,
 *     sync light, for costly orders), resetting the retries; no once there.
 */
#define MAX_COMPACT_RETRIES 16          /* mm/page_alloc.c */
bool vmscan_should_compact_retry(const struct machine *m, unsigned order, int classzone, struct compact_retry *cr)
{
	if (!order)
		return false;
	bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	if (cr->result == COMPACT_SKIPPED) {
		const struct vm_state *v = m->vm;
		for (int z = classzone; z >= 0; z--) {
			if (!m->zones[z].present)
				continue;
			static struct zone tmp;
			tmp = m->zones[z];
			tmp.free_pages = (v ? zone_reclaimable_pages(v, z) : 0) + m->zones[z].free_pages;
			uint64_t mark = (costly ? tmp.wmark[WMARK_LOW] : tmp.wmark[WMARK_MIN]) + (2ull << order);
			if (buddy_zone_watermark_ok(m, &tmp, 0, mark, classzone, AF_WMARK_MIN))
				return true;
		}
		return false;
	}
	if (cr->result == COMPACT_SUCCESS) {
		int max_retries = MAX_COMPACT_RETRIES;
		if (costly)
			max_retries /= 4;
		if (++cr->retries <= max_retries)
			return true;
	}
	int min_priority = costly ? COMPACT_PRIO_SYNC_LIGHT : COMPACT_PRIO_SYNC_FULL;
	if (cr->prio > min_priority) {
		cr->prio--;
		cr->retries = 0;
		return true;
	}
	return false;
}

static void log_retry(struct machine *m, enum change_kind kind, enum vm_retry why, uint64_t loops)
{
	vm_log(m, &(struct change){ .kind = kind, .mt = (uint8_t)why, .val = loops });
}

uint64_t vmscan_slowpath(struct machine *m, gfp_t gfp, unsigned order, int classzone, unsigned af,
			 vmscan_alloc_fn try_alloc, vmscan_alloc_fn try_compact, void *ctx, struct compact_retry *cr,
			 int *zone)
{
	struct vm_state *v = vmscan_state(m);
	if (!v)
		return ~0ull;
	const struct kernel_profile *kp = m->kp;
	bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	bool nofail = gfp & v->gfp_nofail;
	unsigned no_progress_loops = 0;
	uint64_t pages_reclaimed = 0;
	int cur = v->current;
	int cur_pid = cur >= 0 ? v->task[cur].pid : 1;
	uint64_t pfn;
	enum vm_retry why = VR_LOOP;
	v->last_why = VR_RECLAIM;
	/* the normal zone's index: __alloc_pages_may_oom() gives up below it */
	int normal = m->zone_of_kind[ZK_NORMAL];

	for (unsigned round = 0; round < 256; round++) {
		/* 6.13 retry: the freelists first, then direct reclaim */
		if (round && kp->kv != KV_2_6_32 && (pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
			return pfn;
		struct scan_control sc;
		struct quiet q = quiet_begin(m);
		uint64_t progress = try_to_free_pages(m, v, order, classzone, &sc);
		quiet_end(m, q);
		vm_log(m, &(struct change){ .kind = CH_DIRECT_RECLAIM, .order = (uint8_t)sc.priority,
						.pfn = sc.nr_scanned, .pfn2 = sc.nr_reclaimed, .val = sc.nr_written,
						.old = sc.nr_swapped, .zone = (uint8_t)classzone });
		/* 2.6.32 __alloc_pages_direct_reclaim(): "if (order != 0)
		 * drain_all_pages();" before trying the free lists */
		if (kp->kv == KV_2_6_32 && order)
			pcp_drain_zone(m, -1);
		if ((pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
			return pfn;
		/* 6.13 __alloc_pages_direct_reclaim(): "If an allocation failed
		 * after direct reclaim, it could be because pages are pinned on
		 * the per-cpu lists": drain_all_pages(NULL), then once more */
		if (kp->kv != KV_2_6_32 && progress && pcp_drain_zone(m, -1) &&
		    (pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
			return pfn;
		/* 6.13 __alloc_pages_slowpath(): __alloc_pages_direct_compact()
		 * follows __alloc_pages_direct_reclaim() */
		if (try_compact && (pfn = try_compact(m, ctx, af, zone)) != ~0ull)
			return pfn;
		if (kp->kv != KV_2_6_32) {
			if (gfp & v->gfp_noretry) {
				why = VR_NORETRY;
				goto nopage;
			}
			/* costly orders fail unless __GFP_RETRY_MAYFAIL and compaction
			 * may run (gfp_compaction_allowed(): __GFP_IO) */
			if (costly && (!(gfp & v->gfp_io) || !(gfp & v->gfp_retry_mayfail))) {
				why = VR_COSTLY;
				goto nopage;
			}
			if (should_reclaim_retry(m, v, order, classzone, af, progress > 0, &no_progress_loops)) {
				log_retry(m, CH_RECLAIM_RETRY, VR_RECLAIM, no_progress_loops);
				continue;
			}
			/* "It doesn't make any sense to retry for the compaction if
			 * the order-0 reclaim is not able to make any progress" */
			if (cr && progress > 0 && vmscan_should_compact_retry(m, order, classzone, cr)) {
				vm_log(m, &(struct change){ .kind = CH_RECLAIM_RETRY, .mt = VR_COMPACT,
							    .val = (uint64_t)cr->retries, .order = (uint8_t)cr->prio });
				continue;
			}
		} else if (progress) {
			pages_reclaimed += progress;
			/* should_alloc_retry() */
			if (!(gfp & v->gfp_noretry) &&
			    (order <= PAGE_ALLOC_COSTLY_ORDER || ((gfp & v->gfp_repeat) && pages_reclaimed < (1ull << order)) ||
			     nofail)) {
				log_retry(m, CH_RECLAIM_RETRY, VR_RECLAIM, pages_reclaimed);
				continue;
			}
			why = (gfp & v->gfp_noretry) ? VR_NORETRY : VR_COSTLY;
			goto nopage;
		} else if (!(gfp & kp->gfp_fs) || (gfp & v->gfp_noretry)) {
			/* 2.6.32 without progress and no OOM killer for this caller:
			 * should_alloc_retry() decides alone */
			if (gfp & v->gfp_noretry) {
				why = VR_NORETRY;
				goto nopage;
			}
			if (order <= PAGE_ALLOC_COSTLY_ORDER || nofail) {
				why = VR_LOOP;          /* congestion_wait() and retry, for ever */
				goto nopage;
			}
			why = VR_COSTLY;
			goto nopage;
		}

		/* __alloc_pages_may_oom(): first one more try at the high mark */
		if ((pfn = try_alloc(m, ctx, AF_WMARK_HIGH, zone)) != ~0ull)
			return pfn;
		if (costly && (kp->kv != KV_2_6_32 || !nofail)) {
			why = VR_NO_OOM;
			goto nopage;
		}
		if (kp->kv != KV_2_6_32) {
			if ((gfp & (v->gfp_retry_mayfail | v->gfp_thisnode)) || (normal >= 0 && classzone < normal)) {
				why = VR_NO_OOM;
				goto nopage;
			}
			if (!(gfp & kp->gfp_fs)) {
				/* out_of_memory() returns true without killing: the
				 * slow path retries, and nothing else in the model
				 * will free memory */
				log_retry(m, CH_RECLAIM_RETRY, VR_NOFS, 0);
				why = VR_LOOP;
				goto nopage;
			}
		}
		if (v->swapoff_running) {
			/* sys_swapoff() runs try_to_unuse() as the OOM killer's
			 * first choice (2.6.32 PF_OOM_ORIGIN, 6.13
			 * set_current_oom_origin()): swapoff is killed and fails,
			 * no task loses its memory for the pages read back */
			why = VR_ORIGIN;
			goto nopage;
		}
		int victim = -1;
		int killed = oom_out_of_memory(m, gfp, order, classzone, &victim);
		if (!killed) {
			vm_log(m, &(struct change){ .kind = CH_OOM_NONE });
			why = VR_PANIC;
			goto nopage;
		}
		if (victim == cur && cur >= 0 && v->task[cur].pid == cur_pid && !v->task[cur].alive) {
			why = VR_VICTIM;
			goto nopage;
		}
		no_progress_loops = 0;
		log_retry(m, CH_RECLAIM_RETRY, VR_OOM, 0);
		if (kp->kv == KV_2_6_32) {
			/* goto restart: kswapd again, then the freelists */
			vmscan_wakeup_kswapd(m, order, classzone);
			if ((pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
				return pfn;
		}
		continue;
nopage:
		if (nofail && why != VR_PANIC && why != VR_VICTIM && why != VR_LOOP && why != VR_ORIGIN) {
			/* 6.13: __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE),
			 * then retry; 2.6.32 should_alloc_retry() says yes */
			if (kp->kv != KV_2_6_32 && (pfn = try_alloc(m, ctx, AF_WMARK_MIN | AF_HIGH, zone)) != ~0ull)
				return pfn;
			log_retry(m, CH_RECLAIM_RETRY, VR_NOFAIL, no_progress_loops);
			why = VR_LOOP;
			continue;
		}
		break;
	}
	log_retry(m, CH_NOPAGE, why, no_progress_loops);
	v->last_why = why;
	static const char *const text[] = {
		[VR_NORETRY] = "__GFP_NORETRY: direct reclaim ran once and did not free enough; no retry, no OOM killer",
		[VR_COSTLY] = "a costly order (above 3): the kernel does not retry it (6.13: unless "
			      "__GFP_RETRY_MAYFAIL; 2.6.32: unless __GFP_REPEAT or __GFP_NOFAIL)",
		[VR_NO_OOM] = "reclaim made no progress and the OOM killer does not act for this request "
			      "(order above 3, __GFP_RETRY_MAYFAIL or __GFP_THISNODE, or a zone below Normal)",
		[VR_VICTIM] = "the OOM killer chose the allocating task itself",
		[VR_PANIC] = "out of memory and no killable task: the kernel panics here",
		[VR_LOOP] = "the kernel would retry this allocation for ever (no progress is possible: nothing "
			    "else frees memory in the model); kmemsh stops and fails it",
		[VR_ORIGIN] = "swapoff is the OOM killer's first choice (oom_task_origin()): it is killed and fails",
	};
	if (why == VR_VICTIM)
		model_err(m, "%s (pid %d) was killed by the OOM killer", v->task[cur].comm, cur_pid);
	else
		model_err(m, "%s", text[why] ? text[why] : "reclaim could not help");
	return ~0ull;
}

bool vmscan_nopage_warns(const struct machine *m)
{
	enum vm_retry w = m->vm ? m->vm->last_why : VR_RECLAIM;
	return w != VR_PANIC && w != VR_LOOP && w != VR_VICTIM && w != VR_ORIGIN;
}

const char *vmscan_current(const struct machine *m, int *pid)
{
	const struct vm_state *v = m->vm;
	if (v && v->current >= 0) {
		*pid = v->task[v->current].pid;
		return v->task[v->current].comm;
	}
	*pid = 1;
	return "kmemsh";
}

/* ---- si_mem_available, totalreserve_pages ------------------------------------------------ */

int64_t vmscan_si_mem_available(uint64_t free_pages, uint64_t totalreserve, uint64_t wmark_low,
				uint64_t pagecache, uint64_t reclaimable)
{
	/* mm/show_mem.c (6.13): si_mem_available() */
	int64_t available = (int64_t)free_pages - (int64_t)totalreserve;
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (int64_t)pagecache;
	reclaimable -= reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low;
	available += (int64_t)reclaimable;
	return available < 0 ? 0 : available;
}

uint64_t vmscan_totalreserve_pages(const struct machine *m)
{
	/* mm/page_alloc.c: calculate_totalreserve_pages(): per zone the largest
	 * lowmem_reserve[] it keeps for higher zones plus its high watermark,
	 * capped at its managed pages (2.6.32: present pages) */
	uint64_t total = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		uint64_t max = 0;
		for (int j = machine_zone_idx(m, z); j < m->nr_node_zones; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += z->wmark[WMARK_HIGH];
		uint64_t cap = m->kp->kv == KV_2_6_32 ? z->present : z->managed;
		if (max > cap)
			max = cap;
		total += max;
	}
	return total;
}

/* ---- the checker ------------------------------------------------------------------- */

#define FAIL(...) do { model_err(m, __VA_ARGS__); return -EUCLEAN; } while (0)

int vmscan_check(struct machine *m)
{
	const struct vm_state *v = m->vm;
	if (!v)
		return 0;
	uint64_t count[MAX_ZONES_MODEL][NR_LRU_LISTS] = { { 0 } }, dirty[MAX_ZONES_MODEL] = { 0 };
	uint64_t anon[VM_TASKS_MAX] = { 0 };
	for (int z = 0; z < m->nr_zones; z++)
		for (int l = 0; l < NR_LRU_LISTS; l++) {
			uint64_t n = 0;
			uint32_t prev = NIL;
			for (uint32_t i = v->lru[z][l].head; i != NIL; i = v->pg[i].next) {
				if (i >= v->npg || v->pg[i].lru != l || v->pg[i].zone != z || v->pg[i].prev != prev)
					FAIL("LRU list %d of zone %s is badly linked at record %u", l, m->zones[z].name, i);
				if (++n > v->npg)
					FAIL("LRU list %d of zone %s loops", l, m->zones[z].name);
				prev = i;
			}
			if (prev != v->lru[z][l].tail || n != v->lru[z][l].nr)
				FAIL("LRU list %d of zone %s counts %llu pages, holds %llu", l, m->zones[z].name,
				     (unsigned long long)v->lru[z][l].nr, (unsigned long long)n);
		}
	for (uint32_t i = 0; i < v->npg; i++) {
		const struct lru_page *p = &v->pg[i];
		if (p->lru == REC_FREE)
			continue;
		count[p->zone][p->lru]++;
		if (p->dirty)
			dirty[p->zone]++;
		struct page tmp;
		const struct page *pd = page_peek(m, p->pfn, &tmp);
		if (!pd || !(pd->flags & PG_head) || (pd->flags & PG_buddy) || pd->order != 0 || (pd->flags & (PG_lru | PG_vmscan)) != (PG_lru | PG_vmscan))
			FAIL("LRU page pfn %#llx is not an allocated order-0 page marked PG_lru",
			     (unsigned long long)p->pfn);
		if (machine_pfn_zone(m, p->pfn) != p->zone)
			FAIL("LRU page pfn %#llx is on a list of the wrong zone", (unsigned long long)p->pfn);
		bool file = p->lru >= LRU_INACTIVE_FILE;
		if (file ? (p->file < 0 || (unsigned)p->file >= v->nfile) :
			   (p->task < 0 || (unsigned)p->task >= v->ntask || !v->task[p->task].alive))
			FAIL("LRU page pfn %#llx has no owner", (unsigned long long)p->pfn);
		if (!file)
			anon[p->task]++;
		if (!file && p->dirty)
			FAIL("anon page pfn %#llx is counted dirty", (unsigned long long)p->pfn);
	}
	uint64_t swapped = 0;
	for (int z = 0; z < m->nr_zones; z++) {
		for (int l = 0; l < NR_LRU_LISTS; l++)
			if (count[z][l] != v->lru[z][l].nr)
				FAIL("zone %s: LRU list %d counts %llu, %llu records are on it", m->zones[z].name, l,
				     (unsigned long long)v->lru[z][l].nr, (unsigned long long)count[z][l]);
		if (dirty[z] != v->nr_dirty[z])
			FAIL("zone %s: NR_FILE_DIRTY %llu, %llu dirty pages", m->zones[z].name,
			     (unsigned long long)v->nr_dirty[z], (unsigned long long)dirty[z]);
	}
	for (unsigned t = 0; t < v->ntask; t++) {
		const struct vm_task *k = &v->task[t];
		if (!k->alive)
			continue;
		if (k->anon_rss != anon[t])
			FAIL("task %s: anon-rss %llu, %llu pages on the LRU lists", k->comm,
			     (unsigned long long)k->anon_rss, (unsigned long long)anon[t]);
		if (k->anon_rss + k->swapents > k->total_vm)
			FAIL("task %s: rss and swap exceed total_vm", k->comm);
		swapped += k->swapents;
	}
	if (swapped != v->swap_used || v->swap_used > v->swap_total)
		FAIL("swap: %llu slots used, tasks hold %llu", (unsigned long long)v->swap_used,
		     (unsigned long long)swapped);
	return 0;
}
