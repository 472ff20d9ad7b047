/*
 * reclaimview.c - memory pressure shown: the reclaim steps of the change
 * log (kswapd woken and run, direct reclaim, retries, the OOM killer) as
 * lines, JSON and `set explain on` sentences; the results of the memory
 * users' commands; and `show reclaim`: the LRU lists per zone, swap, the
 * tasks with their OOM badness, and the /proc/vmstat counters the model
 * keeps (mm/vmstat.c vmstat_text[] names).
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/compaction.h"
#include "kmemsh/i18n.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmscan.h"
#include "view_int.h"

bool view_is_reclaim_event(enum change_kind k)
{
	return k >= CH_KSWAPD_WAKE && k <= CH_NOPAGE;
}

static const char *task_comm(const struct machine *m, uint32_t slot)
{
	return m->vm && slot < m->vm->ntask ? m->vm->task[slot].comm : "?";
}

static const char *why_text(const struct machine *m, enum vm_retry w)
{
	bool old = view_old(m);
	switch (w) {
	case VR_RECLAIM:
		return old ? "should_alloc_retry(): an order of 3 or less is retried"
			   : "should_reclaim_retry(): free + reclaimable pages would still meet the min watermark";
	case VR_OOM: return "the OOM killer freed memory";
	case VR_NOFS: return "out_of_memory() kills nothing without __GFP_FS and reports progress";
	case VR_NOFAIL: return "__GFP_NOFAIL: the allocation may not fail";
	case VR_NORETRY: return "__GFP_NORETRY";
	case VR_COSTLY: return old ? "should_alloc_retry() says no for an order above 3"
				  : "a costly order (above 3) without __GFP_RETRY_MAYFAIL";
	case VR_NO_PROGRESS: return "no progress";
	case VR_NO_OOM: return "the OOM killer is not for this request";
	case VR_VICTIM: return "the allocating task was the OOM victim";
	case VR_PANIC: return "no killable task: the kernel panics";
	case VR_LOOP: return "the kernel would retry for ever; kmemsh stops";
	case VR_ORIGIN: return "the OOM killer chooses swapoff itself (oom_task_origin())";
	case VR_COMPACT: return "should_compact_retry(): direct compaction may still succeed";
	case VR_HIGHATOMIC: return "should_reclaim_retry(): before OOM, a highatomic pageblock was given back";
	case VR_OOM_VICTIM: return old ? "the allocating task is the OOM victim: TIF_MEMDIE gives it ALLOC_NO_WATERMARKS"
				       : "the allocating task is the OOM victim: ALLOC_OOM (half the min watermark)";
	}
	return "?";
}

static const char *kcompactd_waker(unsigned by)
{
	switch ((enum kcompactd_waker)by) {
	case KCOMPACTD_BY_KSWAPD_SLEEP: return "by kswapd going to sleep";
	case KCOMPACTD_BY_BOOST: return "by kswapd after boosted reclaim, for a pageblock";
	case KCOMPACTD_BY_WAKEUP_KSWAPD: return "the node is balanced and the caller cannot reclaim";
	}
	return "?";
}

void view_reclaim_event_line(struct out *o, const struct machine *m, const struct change *c)
{
	switch (c->kind) {
	case CH_KSWAPD_WAKE:
		out_printf(o, "  kswapd%d woken: order %u, zones up to %s%s", m->zones[c->zone].nid, c->order,
			   view_zone_name(m, c->zone), c->tail ? " (its watermark was boosted)" : "");
		if (c->addr > 1)
			out_printf(o, " (%llu times)", (ull)c->addr);
		out_puts(o, "\n");
		break;
	case CH_KSWAPD:
		out_printf(o, "  kswapd%d ran", m->zones[c->zone].nid);
		if (c->addr > 1)
			out_printf(o, " %llu times", (ull)c->addr);
		if (c->need)
			out_printf(o, " with a watermark boost of %s%lld pages (%s, boost cleared)",
				   c->addr > 1 ? "up to " : "", (long long)c->need,
				   c->tail ? "boosted reclaim: no writeback, no swap" : "imbalanced: normal reclaim");
		out_printf(o, ": scanned %llu, reclaimed %llu pages (%llu written back, %u swapped out), "
			   "down to priority %u: %s\n", (ull)c->pfn, (ull)c->pfn2, (ull)c->old, c->obj, c->order,
			   c->mt ? "balanced at the high watermark" : "not balanced, kswapd gives up for now");
		break;
	case CH_KCOMPACTD_WAKE:
		out_printf(o, "  kcompactd%d woken: order %u, zones up to %s (%s)", m->zones[c->zone].nid, c->order,
			   view_zone_name(m, c->zone), kcompactd_waker(c->mt));
		if (c->addr > 1)
			out_printf(o, " (%llu times)", (ull)c->addr);
		out_puts(o, "\n");
		break;
	case CH_KCOMPACTD:
		out_printf(o, "  kcompactd%d ran", m->zones[c->zone].nid);
		if (c->addr > 1)
			out_printf(o, " %llu times", (ull)c->addr);
		out_printf(o, ": order %u, zones up to %s, sync light: %u zone%s compacted, %llu pages migrated%s, "
			   "scanned %llu (migrate) and %llu (free): %s\n", c->order, view_zone_name(m, c->zone), c->obj,
			   c->obj == 1 ? "" : "s", (ull)c->pfn, c->pfn2 ? ", some could not move" : "", (ull)c->val,
			   (ull)c->old, c->obj ? compact_result_name((enum compact_result)c->mt)
					       : "no zone where compaction could help");
		break;
	case CH_DIRECT_RECLAIM:
		out_printf(o, "  direct reclaim");
		if (c->addr > 1)
			out_printf(o, " (%llu stalls)", (ull)c->addr);
		out_printf(o, ": priority %d down to %u, scanned %llu, reclaimed %llu pages (%llu written back, "
			   "%llu swapped out)\n", DEF_PRIORITY, c->order, (ull)c->pfn, (ull)c->pfn2, (ull)c->val,
			   (ull)c->old);
		break;
	case CH_RECLAIM_RETRY:
		out_printf(o, "  retry: %s", why_text(m, (enum vm_retry)c->mt));
		if (c->addr > 1)
			out_printf(o, " (%llu times)", (ull)c->addr);
		out_puts(o, "\n");
		break;
	case CH_SHRINK_SLAB:
		out_printf(o, "  shrink_slab");
		if (c->addr > 1)
			out_printf(o, " (%llu times)", (ull)c->addr);
		out_printf(o, ": scanned %llu objects, freed %llu, %llu slab pages back to the page allocator\n",
			   (ull)c->val, (ull)c->pfn, (ull)c->pfn2);
		break;
	case CH_OOM_KILL:
		if (c->mt)
			out_printf(o, "  OOM killer: killed %s (pid %u), the allocating task: its memory goes back "
				   "when it exits\n", task_comm(m, c->cache), c->obj);
		else
			out_printf(o, "  OOM killer: killed %s (pid %u), %llu pages freed\n", task_comm(m, c->cache),
				   c->obj, (ull)c->val);
		break;
	case CH_OOM_NONE:
		out_printf(o, "  OOM killer: no task to kill\n");
		break;
	case CH_NOPAGE:
		out_printf(o, "  slow path gives up: %s\n", why_text(m, (enum vm_retry)c->mt));
		break;
	default:
		break;
	}
}

static const char *const kind_json[] = {
	[CH_KSWAPD_WAKE - CH_KSWAPD_WAKE] = "kswapd_wake", [CH_KSWAPD - CH_KSWAPD_WAKE] = "kswapd",
	[CH_KCOMPACTD_WAKE - CH_KSWAPD_WAKE] = "kcompactd_wake", [CH_KCOMPACTD - CH_KSWAPD_WAKE] = "kcompactd",
	[CH_DIRECT_RECLAIM - CH_KSWAPD_WAKE] = "direct_reclaim", [CH_RECLAIM_RETRY - CH_KSWAPD_WAKE] = "retry",
	[CH_SHRINK_SLAB - CH_KSWAPD_WAKE] = "shrink_slab",
	[CH_OOM_KILL - CH_KSWAPD_WAKE] = "oom_kill", [CH_OOM_NONE - CH_KSWAPD_WAKE] = "oom_none",
	[CH_NOPAGE - CH_KSWAPD_WAKE] = "nopage",
};

const char *view_reclaim_kind_name(enum change_kind k)
{
	return view_is_reclaim_event(k) ? kind_json[k - CH_KSWAPD_WAKE] : "?";
}

void view_reclaim_event_json(struct out *o, const struct machine *m, const struct change *c, bool *f)
{
	switch (c->kind) {
	case CH_KSWAPD_WAKE:
		view_json_key(o, f, "order");
		out_printf(o, "%u,\"highest_zone\":", c->order);
		out_json_str(o, view_zone_name(m, c->zone));
		if (c->tail)
			out_puts(o, ",\"boosted\":true");
		break;
	case CH_KSWAPD: case CH_DIRECT_RECLAIM:
		view_json_key(o, f, "times");
		out_printf(o, "%llu", (ull)c->addr);
		view_json_key(o, f, "priority");
		out_printf(o, "%u,\"scanned\":%llu,\"reclaimed\":%llu,\"written\":%llu,\"swapped\":%llu", c->order,
			   (ull)c->pfn, (ull)c->pfn2, (ull)(c->kind == CH_KSWAPD ? c->old : c->val),
			   (ull)(c->kind == CH_KSWAPD ? c->obj : c->old));
		if (c->kind == CH_KSWAPD)
			out_printf(o, ",\"balanced\":%s,\"boost\":%lld,\"boosted_reclaim\":%s", c->mt ? "true" : "false",
				   (long long)c->need, c->tail ? "true" : "false");
		break;
	case CH_SHRINK_SLAB:
		view_json_key(o, f, "times");
		out_printf(o, "%llu,\"scanned\":%llu,\"freed\":%llu,\"pages\":%llu", (ull)c->addr, (ull)c->val,
			   (ull)c->pfn, (ull)c->pfn2);
		break;
	case CH_KCOMPACTD_WAKE: case CH_KCOMPACTD:
		view_json_key(o, f, "node");
		out_printf(o, "%d,\"times\":%llu,\"order\":%u,\"highest_zone\":", m->zones[c->zone].nid, (ull)c->addr,
			   c->order);
		out_json_str(o, view_zone_name(m, c->zone));
		if (c->kind == CH_KCOMPACTD_WAKE) {
			out_puts(o, ",\"by\":");
			out_json_str(o, kcompactd_waker(c->mt));
		} else {
			out_printf(o, ",\"mode\":\"sync_light\",\"zones\":%u,\"result\":\"%s\",\"migrated\":%llu,"
				   "\"failed\":%llu,\"migrate_scanned\":%llu,\"free_scanned\":%llu", c->obj,
				   c->obj ? compact_result_name((enum compact_result)c->mt) : "none", (ull)c->pfn,
				   (ull)c->pfn2, (ull)c->val, (ull)c->old);
		}
		break;
	case CH_RECLAIM_RETRY: case CH_NOPAGE:
		view_json_key(o, f, "why");
		out_json_str(o, why_text(m, (enum vm_retry)c->mt));
		break;
	case CH_OOM_KILL:
		view_json_key(o, f, "task");
		out_json_str(o, task_comm(m, c->cache));
		out_printf(o, ",\"pid\":%u,\"freed\":%llu", c->obj, (ull)c->val);
		break;
	default:
		break;
	}
}

void view_reclaim_event_sentence(char *buf, size_t len, const struct machine *m, const struct change *c)
{
	bool old = view_old(m);
	switch (c->kind) {
	case CH_KSWAPD_WAKE:
		if (c->tail)
			snprintf(buf, len, _("The zone's watermark was just boosted, so kswapd, the background "
					     "reclaim thread, is woken (zones up to %s) though the zone may be above "
					     "its low watermark (rmqueue() wakes it once the page is taken); it runs "
					     "after this command."),
				 view_zone_name(m, c->zone));
		else
			snprintf(buf, len, _("A zone fell below its low watermark, so the allocator woke kswapd, the "
					     "background reclaim thread (order %u, zones up to %s); it runs after this "
					     "command, while the caller goes on."), c->order, view_zone_name(m, c->zone));
		break;
	case CH_KSWAPD:
		snprintf(buf, len, _("kswapd ran balance_pgdat(): from priority %d down it scanned %llu pages of the "
				     "LRU lists and reclaimed %llu (clean page cache freed, %llu dirty pages written "
				     "back first, %u anonymous pages sent to swap); %s"),
			 DEF_PRIORITY, (ull)c->pfn, (ull)c->pfn2, (ull)c->old, c->obj,
			 c->mt ? _("the zones are back above their high watermark, and it sleeps again.")
			       : _("it could not bring the zones back to their high watermark."));
		if (c->need) {
			size_t n = strlen(buf);
			snprintf(buf + n, len - n, " %s", c->tail ?
				 _("The zones' watermarks were boosted, so it reclaimed in boosted mode: up to as many "
				   "pages as the boost, clean page cache only (no writeback, no swap: the boost is to "
				   "relieve pressure, not to start I/O), stopping when a round frees nothing; then it "
				   "took the boost off the watermarks.") :
				 _("The zones' watermarks were boosted but a zone was below its boosted high "
				   "watermark, so it ignored the boost for normal reclaim, and took it off the "
				   "watermarks at the end."));
		}
		break;
	case CH_KCOMPACTD_WAKE:
		if (c->mt == KCOMPACTD_BY_BOOST)
			snprintf(buf, len, _("kswapd's boosted reclaim has made room, so it woke kcompactd, the "
					     "background compaction thread, to defragment pageblocks (order %u, zones "
					     "up to %s); it runs after kswapd."), c->order, view_zone_name(m, c->zone));
		else if (c->mt == KCOMPACTD_BY_WAKEUP_KSWAPD)
			snprintf(buf, len, _("The node is above its high watermark, so kswapd has nothing to do, but "
					     "the order-%u request may have failed for fragmentation and its caller "
					     "cannot reclaim or compact itself: wakeup_kswapd() woke kcompactd, the "
					     "background compaction thread, instead (zones up to %s); it runs after "
					     "this command."), c->order, view_zone_name(m, c->zone));
		else
			snprintf(buf, len, _("kswapd balanced the node and, going to sleep, woke kcompactd, the "
					     "background compaction thread: \"We have freed the memory, now we should "
					     "compact it to make allocation of the requested order possible\" (order %u, "
					     "zones up to %s); compaction_suitable() says compaction may help there."),
				 c->order, view_zone_name(m, c->zone));
		break;
	case CH_KCOMPACTD:
		if (!c->obj)
			snprintf(buf, len, _("kcompactd ran (kcompactd_do_work(), order %u) but found no zone where "
					     "compaction is suitable any more."), c->order);
		else
			snprintf(buf, len, _("kcompactd ran kcompactd_do_work(): for order %u it compacted %u zone(s) up "
					     "to %s at MIGRATE_SYNC_LIGHT, migrating %llu pages (scanned %llu by the "
					     "migrate scanner and %llu by the free scanner; /proc/vmstat counts them "
					     "as compact_daemon_*); the last result: %s."),
				 c->order, c->obj, view_zone_name(m, c->zone), (ull)c->pfn, (ull)c->val, (ull)c->old,
				 compact_result_name((enum compact_result)c->mt));
		break;
	case CH_DIRECT_RECLAIM:
		snprintf(buf, len, _("The caller may sleep, so it reclaimed memory itself (direct reclaim, an "
				     "allocation stall): scanning lru_pages >> priority pages of each list from "
				     "priority %d down to %u, it scanned %llu pages and reclaimed %llu (%llu written "
				     "back, %llu swapped out)."),
			 DEF_PRIORITY, c->order, (ull)c->pfn, (ull)c->pfn2, (ull)c->val, (ull)c->old);
		break;
	case CH_SHRINK_SLAB:
		snprintf(buf, len, _("Reclaim also asked the slab shrinkers to free objects (shrink_slab()): they scanned "
				     "%llu objects of SLAB_RECLAIM_ACCOUNT caches and freed %llu, and %llu slab pages "
				     "that emptied went back to the page allocator."),
			 (ull)c->val, (ull)c->pfn, (ull)c->pfn2);
		break;
	case CH_RECLAIM_RETRY:
		switch ((enum vm_retry)c->mt) {
		case VR_OOM:
			snprintf(buf, len, "%s", _("The OOM killer freed the victim's memory, so the allocation is "
						   "tried again."));
			break;
		case VR_NOFS:
			snprintf(buf, len, "%s", _("Without __GFP_FS the OOM killer does not act, but out_of_memory() "
						   "reports progress, so the kernel keeps retrying."));
			break;
		case VR_NOFAIL:
			snprintf(buf, len, "%s", _("__GFP_NOFAIL: the allocation may not fail, so the slow path "
						   "starts over."));
			break;
		case VR_HIGHATOMIC:
			snprintf(buf, len, "%s", _("should_reclaim_retry() found no zone that reclaim could bring to "
						   "its min watermark; before the OOM killer it exhausts the highatomic "
						   "reserve, and since a pageblock came back, the slow path tries again."));
			break;
		case VR_OOM_VICTIM:
			snprintf(buf, len, "%s", old ?
				 _("The OOM killer chose the allocating task itself and set TIF_MEMDIE on it, so "
				   "gfp_to_alloc_flags() now gives it ALLOC_NO_WATERMARKS: the slow path starts over and "
				   "may take the zones' last free pages, since the task is about to exit and free its "
				   "memory.") :
				 _("The OOM killer chose the allocating task itself (mark_oom_victim()), so "
				   "__gfp_pfmemalloc_flags() gives it ALLOC_OOM: it retries at half the min watermark "
				   "and may use the highatomic reserve, since it is about to exit and free its memory; "
				   "if that fails too, the slow path gives up rather than loop."));
			break;
		case VR_COMPACT:
			snprintf(buf, len, _("should_compact_retry(): reclaim made progress and compaction may still "
					     "make the block (compact_priority now %u, compaction retries %llu), so the "
					     "slow path tries again."),
				 c->order, (ull)c->val);
			break;
		default:
			if (old)
				snprintf(buf, len, "%s", _("Reclaim made progress and should_alloc_retry() retries "
							   "every order up to 3, so the allocation is tried again."));
			else
				snprintf(buf, len, _("should_reclaim_retry(): the zone's free pages plus what reclaim "
						     "could still free would meet the min watermark (no-progress "
						     "rounds: %llu of %d), so the slow path tries again."),
					 (ull)c->val, MAX_RECLAIM_RETRIES);
			break;
		}
		break;
	case CH_OOM_KILL:
		if (c->mt)
			snprintf(buf, len, _("Reclaim could not free enough memory, so the OOM killer chose the task "
					     "with the highest badness, %s (pid %u): the very task that is allocating. "
					     "It is killed, and its memory goes back when it exits, at the end of "
					     "this fault."),
				 task_comm(m, c->cache), c->obj);
		else
			snprintf(buf, len, _("Reclaim could not free enough memory, so the OOM killer chose the task "
					     "with the highest badness, %s (pid %u), killed it and freed its %llu "
					     "pages."),
				 task_comm(m, c->cache), c->obj, (ull)c->val);
		break;
	case CH_OOM_NONE:
		snprintf(buf, len, "%s", _("The OOM killer found no task it may kill: a real kernel panics here."));
		break;
	case CH_NOPAGE:
		snprintf(buf, len, _("The slow path gives up (%s), and the allocation fails."),
			 why_text(m, (enum vm_retry)c->mt));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

/* ---- command results ---------------------------------------------------------- */

void view_pressure_result(struct out *o, const struct machine *m, const struct pressure_result *r)
{
	const struct vm_state *v = m->vm;
	if (o->json) {
		out_printf(o, "{\"%s\":{", r->what);
		bool f = true;
		if (r->name) {
			view_json_key(o, &f, "name");
			out_json_str(o, r->name);
		}
		view_json_key(o, &f, strcmp(r->what, "shrinkable") == 0 ? "objects" : "pages");
		out_printf(o, "%llu", (ull)r->pages);
		if (r->task >= 0 && v) {
			out_printf(o, ",\"pid\":%d,\"total_vm\":%llu,\"rss\":%llu,\"swapents\":%llu",
				   v->task[r->task].pid, (ull)v->task[r->task].total_vm, (ull)v->task[r->task].anon_rss,
				   (ull)v->task[r->task].swapents);
		}
		out_puts(o, "}}\n");
		return;
	}
	if (strcmp(r->what, "pagecache") == 0) {
		out_printf(o, "pagecache %s: %llu %s pages added to the inactive file list (%llu kB)\n", r->name,
			   (ull)r->pages, r->flag ? "dirty" : "clean", (ull)r->pages << 2);
	} else if (strcmp(r->what, "task") == 0) {
		out_printf(o, "task %s: pid %d, %s %d\n", r->name, v->task[r->task].pid,
			   view_old(m) ? "oom_adj" : "oom_score_adj", v->task[r->task].oom_score_adj);
	} else if (strcmp(r->what, "anon") == 0) {
		const struct vm_task *k = &v->task[r->task];
		out_printf(o, "anon %s: %llu pages faulted in; total-vm %llu kB, anon-rss %llu kB, swap %llu kB\n",
			   r->name, (ull)r->pages, (ull)k->total_vm << 2, (ull)k->anon_rss << 2, (ull)k->swapents << 2);
	} else if (strcmp(r->what, "exit") == 0) {
		out_printf(o, "exit %s: %llu pages freed\n", r->name, (ull)r->pages);
	} else if (strcmp(r->what, "drop_caches") == 0) {
		/* fs/drop_caches.c: 1 the page cache, 2 the slab shrinkers
		 * (drop_slab(), told by the shrink_slab line after), 4 only
		 * silences the handler's pr_info() */
		if (r->flag & 1)
			out_printf(o, "drop_caches %d: %llu clean page-cache pages dropped\n", r->flag, (ull)r->pages);
		else if (r->flag & 2)
			out_printf(o, "drop_caches %d: the slab shrinkers ran (drop_slab())\n", r->flag);
		else
			out_printf(o, "drop_caches %d: nothing dropped; the kernel's drop_caches message is off from "
				   "now on\n", r->flag);
	} else if (strcmp(r->what, "swapon") == 0) {
		out_printf(o, "swapon: %llu swap slots (%llu kB; page 0 is the swap header)\n", (ull)r->pages,
			   (ull)r->pages << 2);
	} else if (strcmp(r->what, "swapoff") == 0) {
		out_puts(o, "swapoff: every swapped page is back in memory\n");
	} else if (strcmp(r->what, "kswapd") == 0) {
		if (r->nid >= 0 || m->nr_nodes <= 1)
			out_printf(o, "kswapd%d: %s, %llu pages reclaimed\n", r->nid > 0 ? r->nid : 0,
				   r->flag ? "ran" : "was not woken", (ull)r->pages);
		else
			out_printf(o, "kswapd0-%u: %d ran, %llu pages reclaimed\n", m->nr_nodes - 1, r->flag,
				   (ull)r->pages);
	} else if (strcmp(r->what, "shrinkable") == 0) {
		/* 2.6.32 has no list_lru (3.12): a shrinker keeps its own LRU list */
		out_printf(o, "shrinkable %s: %llu objects added to its shrinker's %s (%llu there); "
			   "SReclaimable %llu kB\n", r->name, (ull)r->pages,
			   m->kp->kv == KV_2_6_32 ? "LRU list" : "list_lru", (ull)vmscan_shrinkable_count(m, r->flag),
			   m->slab ? (ull)m->slab->reclaimable_pages << 2 : 0ull);
	}
}

/* ---- show reclaim -------------------------------------------------------------- */

/* TEXTS_FOR_ZONES(): the zone's name in lower case, "high" for HighMem */
static void zone_counter_name(char *buf, size_t len, const char *prefix, const char *zone)
{
	snprintf(buf, len, "%s_%s", prefix, strcmp(zone, "HighMem") == 0 ? "high" : zone);
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static void counter(struct out *o, bool *f, const char *name, uint64_t v)
{
	if (o->json) {
		view_json_key(o, f, name);
		out_printf(o, "%llu", (ull)v);
	} else {
		out_printf(o, "%s %llu\n", name, (ull)v);
	}
}

void view_reclaim(struct out *o, const struct machine *m)
{
	const struct vm_state *v = m->vm;
	static const char *const lru_names[NR_LRU_LISTS] = { "inactive_anon", "active_anon", "inactive_file",
							       "active_file" };
	bool old = view_old(m);
	uint64_t total = m->totalram_pages + (v ? v->swap_total : 0);
	if (o->json) {
		out_puts(o, "{\"zones\":[");
		bool fz = true;
		for (int z = 0; z < m->nr_zones; z++) {
			if (!m->zones[z].present)
				continue;
			out_printf(o, "%s{\"zone\":", fz ? "" : ",");
			fz = false;
			out_json_str(o, m->zones[z].name);
			for (int l = 0; l < NR_LRU_LISTS; l++)
				out_printf(o, ",\"%s\":%llu", lru_names[l], (ull)vmscan_lru_pages(m, z, (enum lru_list)l));
			out_printf(o, ",\"dirty\":%llu}", (ull)vmscan_nr_dirty(m, z));
		}
		out_printf(o, "],\"swap_total\":%llu,\"swap_used\":%llu,\"kswapd\":[", (ull)(v ? v->swap_total : 0),
			   (ull)(v ? v->swap_used : 0));
		for (unsigned n = 0; n < m->nr_nodes; n++) {
			bool w = v && v->kswapd_woken[n];
			out_printf(o, "%s{\"node\":%u,\"woken\":%s,\"order\":%u,\"highest_zone\":", n ? "," : "", n,
				   w ? "true" : "false", w ? v->kswapd_order[n] : 0);
			if (w)
				out_json_str(o, m->zones[(int)n * m->nr_node_zones + v->kswapd_classzone[n]].name);
			else
				out_puts(o, "null");
			out_printf(o, ",\"failures\":%u}", v ? v->kswapd_failures[n] : 0);
		}
		out_puts(o, "],\"tasks\":[");
		bool ft = true;
		for (unsigned t = 0; v && t < v->ntask; t++) {
			const struct vm_task *k = &v->task[t];
			if (!k->alive)
				continue;
			out_printf(o, "%s{\"pid\":%d,\"name\":", ft ? "" : ",", k->pid);
			ft = false;
			out_json_str(o, k->comm);
			out_printf(o, ",\"total_vm\":%llu,\"rss\":%llu,\"swapents\":%llu,\"oom_adj\":%d,\"badness\":%lld}",
				   (ull)k->total_vm, (ull)k->anon_rss, (ull)k->swapents, k->oom_score_adj,
				   old ? (long long)oom_badness_2632(k, m->clock_us / 1000000)
				       : (long long)oom_badness(k, oom_pgtables_bytes(m, k) >> 12, total));
		}
		out_puts(o, "],\"vmstat\":{");
	} else {
		out_printf(o, "%-8s %13s %13s %13s %13s %9s\n", "zone", "inactive_anon", "active_anon", "inactive_file",
			   "active_file", "dirty");
		for (int z = 0; z < m->nr_zones; z++) {
			if (!m->zones[z].present)
				continue;
			out_printf(o, "%-8s", m->zones[z].label);
			for (int l = 0; l < NR_LRU_LISTS; l++)
				out_printf(o, " %13llu", (ull)vmscan_lru_pages(m, z, (enum lru_list)l));
			out_printf(o, " %9llu\n", (ull)vmscan_nr_dirty(m, z));
		}
		if (v && v->swap_total)
			out_printf(o, "swap: %llu of %llu slots used\n", (ull)v->swap_used, (ull)v->swap_total);
		else
			out_puts(o, "swap: off\n");
		/* each node's kswapdN: pgdat->kswapd_order, kswapd_highest_zoneidx,
		 * kswapd_failures (MAX_RECLAIM_RETRIES: hopeless, direct reclaim only) */
		for (unsigned n = 0; n < m->nr_nodes; n++) {
			unsigned fl = v ? v->kswapd_failures[n] : 0;
			if (v && v->kswapd_woken[n])
				out_printf(o, "kswapd%u: woken, order %u, zones up to %s", n, v->kswapd_order[n],
					   view_zone_name(m, (int)n * m->nr_node_zones + v->kswapd_classzone[n]));
			else
				out_printf(o, "kswapd%u: asleep", n);
			if (old)        /* 2.6.32 has no kswapd_failures (zone->all_unreclaimable) */
				out_puts(o, "\n");
			else
				out_printf(o, ", kswapd_failures %u%s\n", fl, fl >= MAX_RECLAIM_RETRIES ? " (hopeless)" : "");
		}
		bool any = false;
		for (unsigned t = 0; v && t < v->ntask; t++) {
			const struct vm_task *k = &v->task[t];
			if (!k->alive)
				continue;
			if (!any)
				out_printf(o, "%7s %-15s %9s %9s %9s %6s %9s\n", "pid", "name", "total_vm", "rss", "swapents",
					   old ? "adj" : "adj", old ? "badness" : "badness");
			any = true;
			long long b = old ? (long long)oom_badness_2632(k, m->clock_us / 1000000)
					  : (long long)oom_badness(k, oom_pgtables_bytes(m, k) >> 12, total);
			out_printf(o, "%7d %-15s %9llu %9llu %9llu %6d %9lld\n", k->pid, k->comm, (ull)k->total_vm,
				   (ull)k->anon_rss, (ull)k->swapents, k->oom_score_adj, b);
		}
		if (!any)
			out_puts(o, "tasks: none\n");
		for (unsigned i = 0; v && m->slab && i < v->nshrinker; i++) {
			const struct vm_shrinker *sh = &v->shrinker[i];
			const struct vm_list_lru *l = sh->lru;
			/* nr_deferred: the sum of the shrinker's counters (one for
			 * a shrinker that is not NUMA-aware) */
			unsigned long long def = 0;
			for (unsigned n = 0; n < MAX_NUMNODES_MODEL; n++)
				def += sh->shrinker.nr_deferred[n];
			/* 2.6.32 include/linux/mm.h struct shrinker: "long nr; objs
			 * pending delete", over the cache's own LRU list */
			if (sh->kind == VM_SHR_CACHE && l[0].cache >= 0 && (uint32_t)l[0].cache < m->slab->nr_caches)
				out_printf(o, "shrinker %s: %llu objects on its %s, %s %llu\n",
					   m->slab->caches[l[0].cache].name, (ull)l[0].n, old ? "LRU list" : "list_lru",
					   old ? "nr" : "nr_deferred", def);
			else if (sh->kind == VM_SHR_SB)
				out_printf(o, "shrinker sb (super_cache_scan): %llu dentries and %llu inodes on its "
					   "list_lrus, nr_deferred %llu\n", (ull)l[0].n, (ull)l[1].n, def);
			else
				continue;
			/* the list_lrus' per-node lists (list_lru_count_node()) */
			for (unsigned n = 0; m->nr_nodes > 1 && n < m->nr_nodes && n < MAX_NUMNODES_MODEL; n++)
				if (sh->kind == VM_SHR_SB)
					out_printf(o, "  node %u: %llu dentries, %llu inodes, nr_deferred %llu\n", n,
						   (ull)l[0].node[n].n, (ull)l[1].node[n].n, (ull)sh->shrinker.nr_deferred[n]);
				else
					out_printf(o, "  node %u: %llu objects\n", n, (ull)l[0].node[n].n);
		}
	}
	struct vm_events e;
	memset(&e, 0, sizeof e);
	if (v)
		e = v->ev;
	bool f = true;
	if (!o->json)
		out_puts(o, "vmstat:\n");
	counter(o, &f, "nr_vmscan_write", e.nr_vmscan_write);
	counter(o, &f, "pgdeactivate", e.pgdeactivate);
	counter(o, &f, "pgrotated", e.pgrotated);
	counter(o, &f, "pswpin", e.pswpin);
	counter(o, &f, "pswpout", e.pswpout);
	if (old) {
		/* 2.6.32 vmstat_text[]: TEXTS_FOR_ZONES(...) per configured zone */
		static const char *const per_zone[3] = { "pgsteal", "pgscan_kswapd", "pgscan_direct" };
		const uint64_t *vals[3] = { e.pgsteal_z, e.pgscan_kswapd_z, e.pgscan_direct_z };
		for (int k = 0; k < 3; k++)
			for (int z = 0; z < m->nr_zones; z++) {
				char name[48];
				zone_counter_name(name, sizeof name, per_zone[k], m->zones[z].name);
				counter(o, &f, name, vals[k][z]);
			}
		counter(o, &f, "kswapd_steal", e.pgsteal_kswapd);
		counter(o, &f, "pageoutrun", e.pageoutrun);
		counter(o, &f, "allocstall", e.allocstall[0]);
	} else {
		/* vm events count zone types, whatever the node */
		for (int z = 0; z < m->nr_node_zones; z++) {
			char name[48];
			zone_counter_name(name, sizeof name, "allocstall", m->zones[z].name);
			counter(o, &f, name, e.allocstall[z]);
		}
		counter(o, &f, "pgsteal_kswapd", e.pgsteal_kswapd);
		counter(o, &f, "pgsteal_direct", e.pgsteal_direct);
		counter(o, &f, "pgscan_kswapd", e.pgscan_kswapd);
		counter(o, &f, "pgscan_direct", e.pgscan_direct);
		counter(o, &f, "pgscan_anon", e.pgscan_anon);
		counter(o, &f, "pgscan_file", e.pgscan_file);
		counter(o, &f, "pgsteal_anon", e.pgsteal_anon);
		counter(o, &f, "pgsteal_file", e.pgsteal_file);
		counter(o, &f, "pageoutrun", e.pageoutrun);
		counter(o, &f, "drop_pagecache", e.drop_pagecache);
		counter(o, &f, "drop_slab", e.drop_slab);
		counter(o, &f, "oom_kill", e.oom_kill);
	}
	if (o->json)
		out_puts(o, "}}\n");
}
