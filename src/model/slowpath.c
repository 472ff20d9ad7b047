/*
 * slowpath.c - the allocator's slow path after the min watermark failed
 * (6.13 mm/page_alloc.c __alloc_pages_slowpath(), should_reclaim_retry(),
 * should_compact_retry(), __alloc_pages_may_oom(); 2.6.32
 * __alloc_pages_slowpath(), should_alloc_retry()), and the figures the
 * page allocator derives from reclaimable memory (si_mem_available(),
 * calculate_totalreserve_pages()).
 *
 * A caller that may sleep reclaims directly (vmscan.c), compacts for
 * costly orders (compaction.c) and retries by the kernel's rules; when
 * nothing makes progress the OOM killer (oom_kill.c) runs, or the
 * allocation fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

/* ---- the slow path after the min watermark ----------------------------------------- */

/* the allocation's ac->migratetype (gfp_migratetype(); Unmovable with
 * mobility grouping off) */
static int alloc_migratetype(const struct machine *m, gfp_t gfp)
{
	return m->mobility_disabled ? m->kp->mt_unmovable : gfp_migratetype(m->kp, gfp);
}

/* should_reclaim_retry() (6.13; 6.1.192 has the same since "mm:
 * page_alloc: unreserve highatomic page blocks before oom" was backported):
 * when it would say no, "Before OOM, exhaust highatomic_reserve":
 * unreserve_highatomic_pageblock(ac, true), and retry if that gave a
 * pageblock back */
static bool should_reclaim_retry(struct machine *m, const struct vm_state *v, gfp_t gfp, unsigned order,
				 int classzone, unsigned af, bool progress, unsigned *no_progress_loops,
				 enum vm_retry *why)
{
	*why = VR_RECLAIM;
	if (progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops <= MAX_RECLAIM_RETRIES) {
		/* for_each_zone_zonelist_nodemask(): the allocation's zonelist */
		for (int z = buddy_zonelist_first(m, classzone); z >= 0; z = buddy_zonelist_next(m, z, classzone)) {
			if (!m->zones[z].present)
				continue;
			/* __zone_watermark_ok(zone, order, min, highest_zoneidx,
			 * alloc_flags, reclaimable + free) */
			const struct zone *zn = &m->zones[z];
			uint64_t available = vmscan_zone_reclaimable_pages(v, z) + zn->free_pages;
			if (buddy_zone_watermark_ok_free(m, zn, order, zn->wmark[WMARK_MIN], classzone, af, available))
				return true;
		}
	}
	*why = VR_HIGHATOMIC;
	return buddy_unreserve_highatomic_pageblock(m, classzone, alloc_migratetype(m, gfp), true);
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
			const struct zone *zn = &m->zones[z];
			uint64_t available = (v ? vmscan_zone_reclaimable_pages(v, z) : 0) + zn->free_pages;
			uint64_t mark = (costly ? zn->wmark[WMARK_LOW] : zn->wmark[WMARK_MIN]) + (2ull << order);
			if (buddy_zone_watermark_ok_free(m, zn, 0, mark, classzone, AF_WMARK_MIN, available))
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

static const char loop_text[] = "the kernel would retry this allocation for ever (no progress is possible: "
				"nothing else frees memory in the model); kmemsh stops and fails it";

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
		struct vmscan_quiet q = vmscan_quiet_begin(m);
		uint64_t progress = vmscan_try_to_free_pages(m, v, gfp, order, classzone, &sc);
		vmscan_quiet_end(m, q);
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
		 * the per-cpu lists or in high alloc reserves. Shrink them and
		 * try again": unreserve_highatomic_pageblock(ac, false),
		 * drain_all_pages(NULL), then once more (when either changed
		 * something: else the retry would find what the try above found) */
		if (kp->kv != KV_2_6_32 && progress) {
			bool unreserved = buddy_unreserve_highatomic_pageblock(m, classzone, alloc_migratetype(m, gfp),
									       false);
			bool drained = pcp_drain_zone(m, -1) != 0;
			if ((unreserved || drained) && (pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
				return pfn;
		}
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
			enum vm_retry retry_why;
			if (should_reclaim_retry(m, v, gfp, order, classzone, af, progress > 0, &no_progress_loops,
						 &retry_why)) {
				log_retry(m, CH_RECLAIM_RETRY, retry_why, no_progress_loops);
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
		if (cur >= 0 && v->task[cur].oom_victim) {
			/* 6.x: the victim came back here after its ALLOC_OOM retry:
			 * out_of_memory() finds task_will_free_mem(current), marks it
			 * again and reports progress without a kill; then "Avoid
			 * allocations with no watermarks from looping endlessly":
			 * tsk_is_oom_victim(current) with ALLOC_OOM -> nopage */
			why = VR_VICTIM;
			goto nopage;
		}
		int victim = -1;
		int killed = oom_out_of_memory(m, gfp, order, classzone, &victim);
		if (!killed) {
			vm_log(m, &(struct change){ .kind = CH_OOM_NONE });
			why = VR_PANIC;
			goto nopage;
		}
		no_progress_loops = 0;
		if (victim == cur && cur >= 0 && v->task[cur].oom_victim) {
			/* the allocating task is the victim */
			if (kp->kv == KV_2_6_32) {
				/* goto restart: gfp_to_alloc_flags() now has
				 * ALLOC_NO_WATERMARKS (TIF_MEMDIE, unless __GFP_NOMEMALLOC);
				 * the freelists without it first, then at rebalance
				 * __alloc_pages_high_priority(); failing that, "Avoid
				 * allocations with no watermarks from looping endlessly":
				 * TIF_MEMDIE without __GFP_NOFAIL -> nopage */
				vmscan_wakeup_kswapd(m, gfp, order, classzone);
				if ((pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
					return pfn;
				if (!(gfp & kp->gfp_nomemalloc)) {
					log_retry(m, CH_RECLAIM_RETRY, VR_OOM_VICTIM, 0);
					/* AF_OOM marks the victim's retry for the view
					 * (2.6.32 has no ALLOC_OOM: not printed) */
					vm_log(m, &(struct change){ .kind = CH_SLOWPATH, .order = (uint8_t)order,
								    .mt = (uint8_t)(AF_NO_WATERMARKS | AF_OOM) });
					if ((pfn = try_alloc(m, ctx, AF_NO_WATERMARKS, zone)) != ~0ull)
						return pfn;
				}
				/* __alloc_pages_high_priority() loops for ever with
				 * __GFP_NOFAIL */
				why = nofail ? VR_LOOP : VR_VICTIM;
				goto nopage;
			}
			/* 6.x: "tsk_is_oom_victim(current) && (alloc_flags & ALLOC_OOM
			 * || (gfp_mask & __GFP_NOMEMALLOC))" -> nopage; else retry,
			 * where __gfp_pfmemalloc_flags() gives ALLOC_OOM
			 * (oom_reserves_allowed()) and the alloc flags become
			 * ALLOC_OOM alone at the min watermark
			 * (gfp_to_alloc_flags_cma(gfp_mask, reserve_flags)) */
			if (gfp & kp->gfp_nomemalloc) {
				why = VR_VICTIM;
				goto nopage;
			}
			af = AF_WMARK_MIN | AF_OOM;
			m->ac_nodemask = 0;     /* "reserve_flags": ac->nodemask = NULL */
			log_retry(m, CH_RECLAIM_RETRY, VR_OOM_VICTIM, 0);
			vm_log(m, &(struct change){ .kind = CH_SLOWPATH, .order = (uint8_t)order, .mt = (uint8_t)af });
			continue;
		}
		log_retry(m, CH_RECLAIM_RETRY, VR_OOM, 0);
		if (kp->kv == KV_2_6_32) {
			/* goto restart: kswapd again, then the freelists */
			vmscan_wakeup_kswapd(m, gfp, order, classzone);
			if ((pfn = try_alloc(m, ctx, af, zone)) != ~0ull)
				return pfn;
		}
		continue;
nopage:
		if (nofail && why == VR_VICTIM && kp->kv != KV_2_6_32) {
			/* 6.x: "Avoid allocations with no watermarks from looping
			 * endlessly" only leads to nopage, where __GFP_NOFAIL tries
			 * __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE) and goes
			 * back to retry; the victim comes back here each time, for
			 * ever (2.6.32 above: __alloc_pages_high_priority() loops) */
			if ((pfn = try_alloc(m, ctx, AF_WMARK_MIN | AF_HIGH, zone)) != ~0ull)
				return pfn;
			log_retry(m, CH_RECLAIM_RETRY, VR_NOFAIL, no_progress_loops);
			why = VR_LOOP;
			break;
		}
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
		[VR_LOOP] = loop_text,
		[VR_ORIGIN] = "swapoff is the OOM killer's first choice (oom_task_origin()): it is killed and fails",
	};
	if (why == VR_VICTIM)
		model_err(m, "%s (pid %d) was killed by the OOM killer", v->task[cur].comm, cur_pid);
	else
		model_err(m, "%s", text[why] ? text[why] : "reclaim could not help");
	return ~0ull;
}

bool vmscan_gfp_nofail(const struct machine *m, gfp_t gfp)
{
	const struct vm_state *v = m->vm;
	return v && (gfp & v->gfp_nofail);
}

uint64_t vmscan_nofail_loop(struct machine *m, vmscan_alloc_fn try_alloc, void *ctx, int *zone)
{
	struct vm_state *v = vmscan_state(m);
	uint64_t pfn;
	if (!v)
		return ~0ull;
	if (try_alloc && (pfn = try_alloc(m, ctx, AF_WMARK_MIN | AF_HIGH, zone)) != ~0ull)
		return pfn;
	log_retry(m, CH_RECLAIM_RETRY, VR_NOFAIL, 0);
	log_retry(m, CH_NOPAGE, VR_LOOP, 0);
	v->last_why = VR_LOOP;
	model_err(m, "%s", loop_text);
	return ~0ull;
}

bool vmscan_nopage_warns(const struct machine *m)
{
	enum vm_retry w = m->vm ? m->vm->last_why : VR_RECLAIM;
	/* an OOM victim's failure warns: 6.13 nopage -> fail: warn_alloc();
	 * 2.6.32 nopage: "page allocation failure" */
	return w != VR_PANIC && w != VR_LOOP && w != VR_ORIGIN;
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
		/* "we treat the high watermark as reserved pages": as of the
		 * last setup_per_zone_lowmem_reserve(), when no boost was in */
		max += zone_raw_wmark(z, WMARK_HIGH);
		uint64_t cap = m->kp->kv == KV_2_6_32 ? z->present : z->managed;
		if (max > cap)
			max = cap;
		total += max;
	}
	return total;
}
