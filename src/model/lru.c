/*
 * lru.c - the LRU lists of reclaimable memory (mm/swap.c, mm_inline.h).
 *
 * Memory that reclaim can take back sits on LRU lists: page cache (clean or
 * dirty pages of files) and the anonymous memory of processes.  Each zone
 * keeps four evictable lists (inactive/active x anon/file); new pages go
 * to the head (list_add: folio_add_lru()), reclaim takes from the tail.
 * This file keeps the reclaim state (m->vm), the records of the pages on
 * the lists, the figures the views read (NR_FILE_PAGES, NR_FILE_DIRTY,
 * Committed_AS), the change-log helpers of reclaim's steps, and the
 * checker of the lists against the page flags.
 *
 * Simplification: 6.13 keeps one lruvec per node, the model a list per
 * zone in both versions (2.6.32's layout).
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

#include "vmscan_impl.h"

uint32_t vmscan_gfp_bit(const struct machine *m, const char *name)
{
	gfp_t g;
	return gfp_parse(m->kp, name, &g, NULL) ? 0 : g;
}

/*
 * The user's pages (anonymous, page cache, swapped back in) are folios
 * since 6.0: __folio_alloc() (6.1, behind alloc_page_vma() ->
 * vma_alloc_folio() and filemap_alloc_folio()) and 6.13's
 * folio_alloc_mpol_noprof() / __folio_alloc_noprof() pass gfp |
 * __GFP_COMP to the page allocator, order 0 included (prep_new_page()
 * makes only order > 0 compound).  The real 6.1 trace's user pages read
 * GFP_HIGHUSER_MOVABLE|__GFP_COMP[|__GFP_ZERO].  2.6.32 allocates pages.
 */
gfp_t vmscan_folio_gfp(const struct machine *m, gfp_t gfp)
{
	return m->kp->kv == KV_2_6_32 ? gfp : gfp | m->kp->gfp_comp;
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
	v->gfp_noretry = vmscan_gfp_bit(m, "__GFP_NORETRY");
	v->gfp_retry_mayfail = m->kp->kv != KV_2_6_32 ? vmscan_gfp_bit(m, "__GFP_RETRY_MAYFAIL") : 0;
	v->gfp_repeat = m->kp->kv == KV_2_6_32 ? vmscan_gfp_bit(m, "__GFP_REPEAT") : 0;
	v->gfp_nofail = vmscan_gfp_bit(m, "__GFP_NOFAIL");
	v->gfp_thisnode = vmscan_gfp_bit(m, "__GFP_THISNODE");
	v->gfp_io = vmscan_gfp_bit(m, "__GFP_IO");
	m->vm = v;
	return v;
}

void vmscan_destroy(struct machine *m)
{
	if (!m->vm)
		return;
	vmscan_shrinkable_destroy(m);
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
void vmscan_lru_add(struct vm_state *v, uint32_t i, enum lru_list lru)
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
void vmscan_lru_add_tail(struct vm_state *v, uint32_t i, enum lru_list lru)
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

void vmscan_lru_del(struct vm_state *v, uint32_t i)
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
void vmscan_release_page(struct machine *m, struct vm_state *v, uint32_t i)
{
	struct lru_page *p = &v->pg[i];
	vmscan_lru_del(v, i);
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
int vmscan_add_page(struct machine *m, gfp_t gfp, int task, int file, bool dirty, enum lru_list lru, long ilx)
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
	vmscan_lru_add(v, i, lru);
	return 0;
}

/* The per-page events of a bulk fill are not logged (a 100M read is 25600
 * allocations, each a take, splits and an alloc); what reclaim, kswapd and
 * the OOM killer do is, as one event each.  quiet_begin/end nest. */
struct vmscan_quiet vmscan_quiet_begin(struct machine *m)
{
	struct vm_state *v = m->vm;
	struct vmscan_quiet q = { v->quiet_depth == 0 };
	if (q.outer)
		v->log_on = m->log.enabled;
	v->quiet_depth++;
	m->log.enabled = false;
	return q;
}
void vmscan_quiet_end(struct machine *m, struct vmscan_quiet q)
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
	    c->kind != CH_RECLAIM_RETRY && c->kind != CH_SHRINK_SLAB && c->kind != CH_KCOMPACTD_WAKE &&
	    c->kind != CH_KCOMPACTD)
		return false;
	for (size_t i = l->n; i-- > 0;) {
		struct change *e = &l->v[i];
		if (e->kind == CH_OOM_KILL || e->kind == CH_OOM_NONE || e->kind == CH_NOPAGE)
			return false;
		if (e->kind != c->kind || (c->kind == CH_RECLAIM_RETRY && e->mt != c->mt))
			continue;
		/* kswapdN, kcompactdN: each node's its own */
		if ((c->kind == CH_KSWAPD || c->kind == CH_KSWAPD_WAKE || c->kind == CH_KCOMPACTD_WAKE ||
		     c->kind == CH_KCOMPACTD) && m->zones[e->zone].nid != m->zones[c->zone].nid)
			continue;
		e->addr++;
		if (c->kind == CH_KSWAPD || c->kind == CH_DIRECT_RECLAIM) {
			e->order = c->order < e->order ? c->order : e->order;
			e->pfn += c->pfn;
			e->pfn2 += c->pfn2;
			e->val += c->val;
			e->old += c->old;
			e->obj += c->obj;
			if (c->kind == CH_KSWAPD) {
				e->mt = c->mt;
				/* the largest watermark boost a run began with */
				e->need = c->need > e->need ? c->need : e->need;
				e->tail |= c->tail;
			}
		} else if (c->kind == CH_SHRINK_SLAB) {
			e->val += c->val;
			e->pfn += c->pfn;
			e->pfn2 += c->pfn2;
		} else if (c->kind == CH_KSWAPD_WAKE || c->kind == CH_KCOMPACTD_WAKE) {
			e->order = c->order > e->order ? c->order : e->order;
		} else if (c->kind == CH_KCOMPACTD) {
			e->order = c->order > e->order ? c->order : e->order;
			e->mt = c->mt;
			e->obj += c->obj;
			e->pfn += c->pfn;
			e->pfn2 += c->pfn2;
			e->val += c->val;
			e->old += c->old;
		} else {
			e->val = c->val;
		}
		return true;
	}
	return false;
}

void vmscan_log(struct machine *m, const struct change *c, bool merge)
{
	if (!log_wanted(m))
		return;
	if ((merge || m->vm->quiet_depth) && merge_event(m, c))
		return;
	struct change e = *c;
	e.addr = 1;
	bool saved = m->log.enabled;
	m->log.enabled = true;
	changelog_add(m, &e);
	m->log.enabled = saved;
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
	return vmscan_shrinkable_check(m);
}
