/*
 * replayview.c - what a trace replay did: events by type, fidelity, caches,
 * call sites, internal fragmentation, the final buddyinfo and unusable
 * index, and the timeline (text, JSON, CSV), plus the progress line.
 *
 * The unusable index is debugfs extfrag/unusable_index as mm/vmstat.c
 * prints it (unusable_show_print(): "%d.%03d" of unusable_free_index()).
 */
#include <stdlib.h>
#include <string.h>

#include "kmemsh/extfrag.h"
#include "kmemsh/i18n.h"
#include "kmemsh/pcp.h"
#include "kmemsh/trace.h"
#include "view_int.h"

/* mm/vmstat.c unusable_free_index(), x1000, for one zone (extfrag.c) */
static unsigned zone_unusable(const struct zone *z, unsigned order)
{
	struct contig_page_info info;
	extfrag_fill_contig_page_info(z, order, &info);
	return (unsigned)extfrag_unusable_free_index(order, &info);
}

/* indices of sites or caches, largest key first, then by name */
struct sort_ent {
	uint64_t key;
	const char *name;
	size_t i;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct sort_ent *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* key: 0 live bytes, 1 allocations, 2 waste (sites); caches by peak bytes */
static size_t *sorted(const struct replay_report *rep, size_t n, int key, bool sites)
{
	struct sort_ent *e = malloc((n ? n : 1) * sizeof *e);
	size_t *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!e || !ix) {
		free(e);
		free(ix);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		e[i].i = i;
		if (sites) {
			const struct replay_site_stat *s = &rep->sites[i];
			e[i].key = key == 0 ? s->live_bytes : key == 1 ? s->allocs : s->alloc_bytes - s->req_bytes;
			e[i].name = s->site;
		} else {
			e[i].key = rep->caches[i].peak_bytes;
			e[i].name = rep->caches[i].name;
		}
	}
	qsort(e, n, sizeof *e, cmp_ent);
	for (size_t i = 0; i < n; i++)
		ix[i] = e[i].i;
	free(e);
	return ix;
}

/* s in a column of w terminal columns, right-aligned (left: left-aligned)
 * and, but for the first, after one space: headers are the shell's words,
 * and a translation's wide characters take two columns */
static void col(struct out *o, const char *s, size_t w, bool left, bool first)
{
	size_t n = view_text_cols(s);
	if (!first)
		out_puts(o, " ");
	if (left)
		out_puts(o, s);
	for (; n < w; n++)
		out_puts(o, " ");
	if (!left)
		out_puts(o, s);
}

static bool vmap_seen(const struct replay_report *rep)
{
	return rep->ev[TEV_ALLOC_VMAP_AREA].seen || rep->ev[TEV_FREE_VMAP_AREA_NOFLUSH].seen ||
	       rep->ev[TEV_PURGE_VMAP_AREA_LAZY].seen;
}

static void text_counts(struct out *o, const struct replay_report *rep)
{
	out_puts(o, "  ");
	col(o, _("event"), 26, true, true);
	col(o, _("seen"), 10, false, false);
	col(o, _("replayed"), 10, false, false);
	col(o, _("pre-existing"), 11, false, false);
	col(o, _("skipped"), 10, false, false);
	col(o, _("failed"), 8, false, false);
	out_puts(o, "\n");
	for (int t = 0; t < TEV_NR; t++) {
		const struct replay_counts *c = &rep->ev[t];
		if (!c->seen)
			continue;
		out_printf(o, "  %-26s %10llu %10llu %11llu %10llu %8llu\n", trace_ev_name((enum trace_ev)t),
			   (ull)c->seen, (ull)c->replayed, (ull)c->preexisting, (ull)c->skipped, (ull)c->failed);
	}
}

/* title: a msgid */
static void text_problems(struct out *o, const char *title, const struct replay_problem *p, unsigned n,
			  uint64_t total)
{
	if (!total)
		return;
	if (total > n)
		out_printf(o, _("%s (%llu, the first %u):\n"), _(title), (ull)total, n);
	else
		out_printf(o, _("%s (%llu):\n"), _(title), (ull)total);
	for (unsigned i = 0; i < n; i++)
		out_printf(o, _("  line %llu: %s\n"), (ull)p[i].line, p[i].what);
}

/* top rows of the timeline, evenly spaced over the samples, the first and
 * the last (the end) among them; the figures are the CSV's */
static void text_timeline(struct out *o, const struct machine *m, const struct replay_report *rep, unsigned top)
{
	size_t n = rep->nsamples, rows = n < top ? n : top;
	if (!rows)
		return;
	static const char *const hdr[] = { N_("seconds"), N_("free_kb"), N_("live_objects"), N_("live_bytes"),
					   N_("slab_kb") };
	static const unsigned char w[] = { 15, 11, 12, 11, 9 };
	out_puts(o, "  ");
	for (size_t i = 0; i < sizeof w; i++)
		col(o, _(hdr[i]), w[i], i == 0, i == 0);
	char unusable[32];
	snprintf(unusable, sizeof unusable, _("unusable_order%u"), m->pageblock_order);
	col(o, unusable, 15, false, false);
	out_puts(o, "\n");
	for (size_t k = 0; k < rows; k++) {
		const struct replay_sample *s = &rep->samples[rows > 1 ? k * (n - 1) / (rows - 1) : n - 1];
		out_printf(o, "  %-15.6f %11llu %12llu %11llu %9llu %11u.%03u\n", (double)s->ts_ns / 1e9,
			   (ull)s->free_pages * 4, (ull)s->live_objects, (ull)s->live_bytes, (ull)s->slab_pages * 4,
			   s->unusable_milli / 1000, s->unusable_milli % 1000);
	}
}

static void text_report(struct out *o, const struct machine *m, const struct replay_report *rep, unsigned top)
{
	out_printf(o, _("replay: %llu lines (%s), %llu events in %.3f s of trace\n"), (ull)rep->lines,
		   rep->gzip ? "gzip" : _("plain"), (ull)rep->events,
		   rep->last_ts > rep->first_ts ? (double)(rep->last_ts - rep->first_ts) / 1e9 : 0.0);
	if (rep->input_error[0])
		out_printf(o, _("  input ended early: %s (line %llu)\n"), rep->input_error, (ull)rep->lines);
	text_counts(o, rep);
	out_printf(o, _("  lines: %llu comments, %llu not trace lines, %llu overlong, %llu with NUL bytes, "
			"%llu CRLF, %llu timestamps going back\n"), (ull)rep->comments, (ull)rep->bad_lines,
		   (ull)rep->overlong_lines, (ull)rep->nul_lines, (ull)rep->crlf_lines, (ull)rep->backwards_ts);
	if (rep->entries_written > rep->entries_in_buffer) {
		out_printf(o, _("  lost: %llu of the %llu events written were overwritten (header: "
				"entries-in-buffer/entries-written; the ring buffer overran: per_cpu/cpu*/stats)"),
			   (ull)(rep->entries_written - rep->entries_in_buffer), (ull)rep->entries_written);
		if (rep->late_cpu >= 0 && rep->late_cpu_after_ns)
			out_printf(o, _("; CPU %d's events begin %.3f s after the first"), rep->late_cpu,
				   (double)rep->late_cpu_after_ns / 1e9);
		out_puts(o, _(": frees of what was lost count as pre-existing or freed again\n"));
	}
	if (rep->perf_lost) {
		out_printf(o, _("  lost: %llu events perf lost (%llu PERF_RECORD_LOST lines of perf script "
				"--show-lost-events; perf's ring buffer overran: perf report --stats)"),
			   (ull)rep->perf_lost, (ull)rep->perf_lost_records);
		out_puts(o, _(": frees of what was lost count as pre-existing or freed again\n"));
	}
	out_printf(o, _("  frees: %llu of NULL, %llu of ZERO_SIZE_PTR, %llu again with no traced allocation between; "
			"%llu allocations reused a live pointer; %llu allocations failed in the traced kernel; %llu "
			"mm_page_free_batched after mm_page_free\n"),
		   (ull)rep->kfree_null, (ull)rep->kfree_zero, (ull)rep->dup_frees, (ull)rep->realloc_live,
		   (ull)rep->trace_failed_allocs, (ull)rep->pages_companion);
	if (rep->ptrval)
		out_printf(o, _("  pointers: %llu slab events with ptr=(ptrval), skipped: the kernel prints hashed "
				"pointers so until its random number generator is ready, and the trace was read before "
				"(kmallocs still have their size class checked)\n"), (ull)rep->ptrval);
	if (rep->ev[TEV_PAGE_ALLOC].seen)
		out_printf(o, _("  slab pages: %llu mm_page_alloc of large kmallocs (%llu pages) and %llu of new slabs "
				"(%llu pages) paired with their object, whose replay allocates them: not replayed, nor "
				"their %llu mm_page_free\n"),
			   (ull)rep->paired_large, (ull)rep->paired_large_pages, (ull)rep->paired_slab,
			   (ull)rep->paired_slab_pages, (ull)rep->paired_frees);
	if (rep->slab_classic && (rep->paired_slab_ordered || rep->slab_classic_unfit))
		/* 2.6.32's kmem_getpages() adds no __GFP_COMP (only without an MMU) */
		out_printf(o,
			   view_old(m)
				   ? _("    %llu of the new slabs paired by the order of events (SLAB: a page of the "
				       "object's cache order with kmem_getpages()'s gfp_flags just before it on its CPU), "
				       "%llu by the object's address; %llu had only the caller's flags, as the caller's "
				       "own alloc_pages() would (ambiguous); %llu pages of that look not paired (the "
				       "object after them is of another order or flags)\n")
				   : _("    %llu of the new slabs paired by the order of events (SLAB: a page of the "
				       "object's cache order with kmem_getpages()'s gfp_flags just before it on its CPU), "
				       "%llu by the object's address; %llu had only the caller's flags and __GFP_COMP, as "
				       "the caller's own alloc_pages() would (ambiguous); %llu pages of that look not "
				       "paired (the object after them is of another order or flags)\n"),
			   (ull)rep->paired_slab_ordered, (ull)(rep->paired_slab - rep->paired_slab_ordered),
			   (ull)rep->slab_classic_plain, (ull)rep->slab_classic_unfit);
	else if (rep->paired_slab_ordered)
		out_printf(o, _("    %llu of the new slabs paired by the order of events (new_slab()'s gfp_flags just "
				"before the object on its CPU), %llu by the object's address\n"),
			   (ull)rep->paired_slab_ordered, (ull)(rep->paired_slab - rep->paired_slab_ordered));
	if (rep->direct_map_base)
		out_printf(o, _("    direct map (KASLR) at 0x%llx, found from the objects and pfns of paired slab "
				"pages\n"), (ull)rep->direct_map_base);
	/* each page a refill or a drain moves has its own mm_page_alloc and
	 * mm_page_free, which are replayed; the model's lists (unless --pcp
	 * off) fill and drain by rmqueue_bulk() and free_pcppages_bulk() */
	if ((rep->ev[TEV_PAGE_ALLOC_ZONE_LOCKED].seen || rep->ev[TEV_PAGE_PCPU_DRAIN].seen) && pcp_enabled(m))
		out_printf(o, _("  per-CPU page lists: %llu pages refilled them, %llu taken straight from the buddy "
				"lists (mm_page_alloc_zone_locked), %llu drained back (mm_page_pcpu_drain); not "
				"replayed: each page's own mm_page_alloc and mm_page_free are, and the model's per-CPU "
				"lists fill and drain by their own rules\n"),
			   (ull)rep->pcp_refill_pages, (ull)rep->pcp_direct_pages, (ull)rep->pcp_drain_pages);
	else if (rep->ev[TEV_PAGE_ALLOC_ZONE_LOCKED].seen || rep->ev[TEV_PAGE_PCPU_DRAIN].seen)
		out_printf(o, _("  per-CPU page lists: %llu pages refilled them, %llu taken straight from the buddy "
				"lists (mm_page_alloc_zone_locked), %llu drained back (mm_page_pcpu_drain); not "
				"replayed: the model has no per-CPU lists (--pcp off) and replays each page's own "
				"mm_page_alloc and mm_page_free\n"),
			   (ull)rep->pcp_refill_pages, (ull)rep->pcp_direct_pages, (ull)rep->pcp_drain_pages);
	if (rep->ev[TEV_PAGE_ALLOC_EXTFRAG].seen)
		out_printf(o, _("  fallbacks: %llu mm_page_alloc_extfrag, %llu fragmenting, %llu changed a "
				"pageblock's migratetype; not replayed: the model takes its own fallbacks in the "
				"mm_page_alloc that follows\n"),
			   (ull)rep->ev[TEV_PAGE_ALLOC_EXTFRAG].seen, (ull)rep->extfrag_fragmenting,
			   (ull)rep->extfrag_change_ownership);
	if (rep->gfp_unknown)
		out_printf(o, _("  %llu gfp_flags strings had names this kernel does not know (dropped)\n"),
			   (ull)rep->gfp_unknown);
	if (rep->exact_pfn)
		out_printf(o, _("  --exact-pfn: %llu at the traced pfn, %llu outside this machine's memory, "
				"%llu not free here (placed by the model)\n"),
			   (ull)rep->pfn_exact, (ull)rep->pfn_outside, (ull)rep->pfn_busy);
	out_printf(o, _("fidelity: %llu kmalloc size classes checked, %llu mismatches; "
			"%llu large kmalloc orders checked, %llu mismatches\n"),
		   (ull)rep->size_checked, (ull)rep->size_mismatch, (ull)rep->order_checked, (ull)rep->order_mismatch);
	text_problems(o, N_("mismatches"), rep->mismatch, rep->nmismatch, rep->size_mismatch);
	if (vmap_seen(rep)) {
		out_printf(o, _("vmalloc: %llu areas checked, %llu size mismatches (guard page included), %llu at "
				"the traced address, %llu in the model's vmalloc range instead of the traced one; %llu "
				"still live, %llu bytes\n"),
			   (ull)rep->vmap_checked, (ull)rep->vmap_size_mismatch, (ull)rep->vmap_same_addr,
			   (ull)rep->vmap_range_model, (ull)rep->live_vmaps, (ull)rep->live_vmap_bytes);
		if (rep->vmap_lazy_checked)
			out_printf(o, _("  lazy_max_pages: traced %llu, model %llu (%llu of %llu frees differ)\n"),
				   (ull)rep->vmap_lazy_max_traced, (ull)rep->vmap_lazy_max_model,
				   (ull)rep->vmap_lazy_max_mismatch, (ull)rep->vmap_lazy_checked);
		out_printf(o, _("  purges: %llu traced, %llu areas purged by them (num_purged), %llu by the model "
				"there; %llu purges the model made itself\n"),
			   (ull)rep->ev[TEV_PURGE_VMAP_AREA_LAZY].seen, (ull)rep->vmap_purged_traced,
			   (ull)rep->vmap_purged_model, (ull)rep->vmap_model_purges);
	}
	text_problems(o, N_("problems"), rep->problem, rep->nproblem, rep->problems);

	out_puts(o, _("caches (by peak bytes; the model's object size):\n"));
	static const char *const chdr[] = { N_("cache"), N_("size"), N_("allocs"), N_("frees"), N_("live"),
					    N_("peak"), N_("live_bytes"), N_("peak_bytes"), N_("waste") };
	static const unsigned char cw[] = { 34, 6, 9, 9, 9, 9, 11, 11, 10 };
	out_puts(o, "  ");
	for (size_t i = 0; i < sizeof cw; i++)
		col(o, _(chdr[i]), cw[i], i == 0, i == 0);
	out_puts(o, "\n");
	size_t *ix = sorted(rep, rep->ncaches, 0, false);
	for (size_t k = 0; ix && k < rep->ncaches && k < top; k++) {
		const struct replay_cache_stat *c = &rep->caches[ix[k]];
		char name[80];
		if (c->freed_as[0])
			snprintf(name, sizeof name, "%s (%s%s)", c->name, c->freed_as, c->freed_as_more ? ",..." : "");
		else
			snprintf(name, sizeof name, "%s", c->name);
		out_printf(o, "  %-34s %6u %9llu %9llu %9llu %9llu %11llu %11llu %10llu\n", name, c->size,
			   (ull)c->allocs, (ull)c->frees, (ull)c->live, (ull)c->peak_live, (ull)c->live_bytes,
			   (ull)c->peak_bytes, (ull)(c->alloc_bytes - c->req_bytes));
	}
	if (rep->ncaches > top)
		out_printf(o, _("  ... %zu more\n"), rep->ncaches - top);
	free(ix);

	static const char *const by[] = {
		N_("call sites by live bytes:\n"), N_("call sites by allocations:\n"),
		N_("call sites by waste (bytes_alloc - bytes_req):\n"),
	};
	static const char *const shdr[] = { N_("call_site"), N_("allocs"), N_("live"), N_("live_bytes"), N_("waste") };
	static const unsigned char sw[] = { 44, 9, 9, 11, 11 };
	for (int key = 0; key < 3; key++) {
		out_puts(o, _(by[key]));
		out_puts(o, "  ");
		for (size_t i = 0; i < sizeof sw; i++)
			col(o, _(shdr[i]), sw[i], i == 0, i == 0);
		out_puts(o, "\n");
		ix = sorted(rep, rep->nsites, key, true);
		for (size_t k = 0; ix && k < rep->nsites && k < top; k++) {
			const struct replay_site_stat *s = &rep->sites[ix[k]];
			out_printf(o, "  %-44s %9llu %9llu %11llu %11llu\n", s->site, (ull)s->allocs, (ull)s->live,
				   (ull)s->live_bytes, (ull)(s->alloc_bytes - s->req_bytes));
		}
		free(ix);
	}
	out_printf(o, _("live at the end: %llu objects, %llu bytes; %llu traced pages\n"), (ull)rep->live_objects,
		   (ull)rep->live_bytes, (ull)rep->live_pages);
	/* the kernel's files, their rows as the kernel prints them */
	out_puts(o, _("buddyinfo:\n"));
	view_buddyinfo(o, m);
	out_puts(o, _("unusable_index:\n"));
	view_unusable_index(o, m);
	out_printf(o, _("timeline: %zu samples, every %.3f ms of trace time (--timeline FILE.csv writes them)\n"),
		   rep->nsamples, (double)rep->sample_step_ns / 1e6);
	text_timeline(o, m, rep, top);
}

static void json_counts(struct out *o, const struct replay_counts *c)
{
	out_printf(o, "{\"seen\":%llu,\"replayed\":%llu,\"preexisting\":%llu,\"skipped\":%llu,\"failed\":%llu}",
		   (ull)c->seen, (ull)c->replayed, (ull)c->preexisting, (ull)c->skipped, (ull)c->failed);
}

static void json_problems(struct out *o, const struct replay_problem *p, unsigned n)
{
	out_puts(o, "[");
	for (unsigned i = 0; i < n; i++) {
		out_printf(o, "%s{\"line\":%llu,\"what\":", i ? "," : "", (ull)p[i].line);
		out_json_str(o, p[i].what);
		out_puts(o, "}");
	}
	out_puts(o, "]");
}

static void json_report(struct out *o, const struct machine *m, const struct replay_report *rep, unsigned top)
{
	out_printf(o, "{\"lines\":%llu,\"gzip\":%s,\"events\":%llu,\"first_ts_ns\":%llu,\"last_ts_ns\":%llu,",
		   (ull)rep->lines, rep->gzip ? "true" : "false", (ull)rep->events, (ull)rep->first_ts,
		   (ull)rep->last_ts);
	out_puts(o, "\"input_error\":");
	if (rep->input_error[0])
		out_json_str(o, rep->input_error);
	else
		out_puts(o, "null");
	out_puts(o, ",\"by_event\":{");
	bool first = true;
	for (int t = 0; t < TEV_NR; t++) {
		if (!rep->ev[t].seen)
			continue;
		out_printf(o, "%s\"%s\":", first ? "" : ",", trace_ev_name((enum trace_ev)t));
		json_counts(o, &rep->ev[t]);
		first = false;
	}
	out_printf(o, "},\"lines_by_kind\":{\"comments\":%llu,\"bad\":%llu,\"overlong\":%llu,\"nul\":%llu,"
		   "\"crlf\":%llu,\"backwards_ts\":%llu},", (ull)rep->comments, (ull)rep->bad_lines,
		   (ull)rep->overlong_lines, (ull)rep->nul_lines, (ull)rep->crlf_lines, (ull)rep->backwards_ts);
	out_printf(o, "\"perf_lost\":%llu,\"perf_lost_records\":%llu,", (ull)rep->perf_lost, (ull)rep->perf_lost_records);
	out_printf(o, "\"entries_in_buffer\":%llu,\"entries_written\":%llu,\"late_cpu\":%d,\"late_cpu_after_ns\":%llu,",
		   (ull)rep->entries_in_buffer, (ull)rep->entries_written, rep->late_cpu, (ull)rep->late_cpu_after_ns);
	out_printf(o, "\"kfree_null\":%llu,\"kfree_zero_size_ptr\":%llu,\"ptrval\":%llu,\"duplicate_frees\":%llu,"
		   "\"reused_live\":%llu,\"traced_failed_allocs\":%llu,\"free_batched_companions\":%llu,"
		   "\"gfp_unknown\":%llu,", (ull)rep->kfree_null, (ull)rep->kfree_zero, (ull)rep->ptrval,
		   (ull)rep->dup_frees, (ull)rep->realloc_live, (ull)rep->trace_failed_allocs, (ull)rep->pages_companion,
		   (ull)rep->gfp_unknown);
	out_printf(o, "\"paired\":{\"large_kmalloc\":%llu,\"large_kmalloc_pages\":%llu,\"slab\":%llu,"
		   "\"slab_pages\":%llu,\"slab_by_order\":%llu,\"frees\":%llu,\"direct_map_base\":%llu",
		   (ull)rep->paired_large, (ull)rep->paired_large_pages, (ull)rep->paired_slab,
		   (ull)rep->paired_slab_pages, (ull)rep->paired_slab_ordered, (ull)rep->paired_frees,
		   (ull)rep->direct_map_base);
	if (rep->slab_classic)  /* SLAB's rule (replay.c slab_classic_rule) */
		out_printf(o, ",\"slab_classic\":{\"ambiguous\":%llu,\"unfit\":%llu}", (ull)rep->slab_classic_plain,
			   (ull)rep->slab_classic_unfit);
	out_puts(o, "},");
	out_printf(o, "\"pcp\":{\"refill_pages\":%llu,\"direct_pages\":%llu,\"drain_pages\":%llu},"
		   "\"extfrag\":{\"fragmenting\":%llu,\"change_ownership\":%llu},", (ull)rep->pcp_refill_pages,
		   (ull)rep->pcp_direct_pages, (ull)rep->pcp_drain_pages, (ull)rep->extfrag_fragmenting,
		   (ull)rep->extfrag_change_ownership);
	if (rep->exact_pfn)
		out_printf(o, "\"exact_pfn\":{\"exact\":%llu,\"outside\":%llu,\"busy\":%llu},", (ull)rep->pfn_exact,
			   (ull)rep->pfn_outside, (ull)rep->pfn_busy);
	out_printf(o, "\"fidelity\":{\"size_checked\":%llu,\"size_mismatches\":%llu,\"order_checked\":%llu,"
		   "\"order_mismatches\":%llu,\"examples\":", (ull)rep->size_checked, (ull)rep->size_mismatch,
		   (ull)rep->order_checked, (ull)rep->order_mismatch);
	json_problems(o, rep->mismatch, rep->nmismatch);
	out_printf(o, "},\"vmalloc\":{\"checked\":%llu,\"size_mismatches\":%llu,\"same_addr\":%llu,"
		   "\"model_range\":%llu,\"live\":%llu,\"live_bytes\":%llu,\"lazy_checked\":%llu,"
		   "\"lazy_max_traced\":%llu,\"lazy_max_model\":%llu,\"lazy_max_mismatches\":%llu,"
		   "\"purged_traced\":%llu,\"purged_model\":%llu,\"model_purges\":%llu",
		   (ull)rep->vmap_checked, (ull)rep->vmap_size_mismatch, (ull)rep->vmap_same_addr,
		   (ull)rep->vmap_range_model, (ull)rep->live_vmaps, (ull)rep->live_vmap_bytes,
		   (ull)rep->vmap_lazy_checked, (ull)rep->vmap_lazy_max_traced, (ull)rep->vmap_lazy_max_model,
		   (ull)rep->vmap_lazy_max_mismatch, (ull)rep->vmap_purged_traced, (ull)rep->vmap_purged_model,
		   (ull)rep->vmap_model_purges);
	out_printf(o, "},\"problems\":%llu,\"problem_lines\":", (ull)rep->problems);
	json_problems(o, rep->problem, rep->nproblem);
	out_puts(o, ",\"caches\":[");
	size_t *ix = sorted(rep, rep->ncaches, 0, false);
	for (size_t k = 0; ix && k < rep->ncaches && k < top; k++) {
		const struct replay_cache_stat *c = &rep->caches[ix[k]];
		out_printf(o, "%s{\"name\":", k ? "," : "");
		out_json_str(o, c->name);
		if (c->freed_as[0]) {
			out_puts(o, ",\"freed_as\":");
			out_json_str(o, c->freed_as);
			out_printf(o, ",\"freed_as_more\":%s", c->freed_as_more ? "true" : "false");
		}
		out_printf(o, ",\"size\":%u,\"allocs\":%llu,\"frees\":%llu,\"live\":%llu,\"peak_live\":%llu,"
			   "\"live_bytes\":%llu,\"peak_bytes\":%llu,\"bytes_req\":%llu,\"bytes_alloc\":%llu}",
			   c->size, (ull)c->allocs, (ull)c->frees, (ull)c->live, (ull)c->peak_live, (ull)c->live_bytes,
			   (ull)c->peak_bytes, (ull)c->req_bytes, (ull)c->alloc_bytes);
	}
	free(ix);
	static const char *const keys[] = { "sites_by_live_bytes", "sites_by_allocs", "sites_by_waste" };
	for (int key = 0; key < 3; key++) {
		out_printf(o, "],\"%s\":[", keys[key]);
		ix = sorted(rep, rep->nsites, key, true);
		for (size_t k = 0; ix && k < rep->nsites && k < top; k++) {
			const struct replay_site_stat *s = &rep->sites[ix[k]];
			out_printf(o, "%s{\"call_site\":", k ? "," : "");
			out_json_str(o, s->site);
			out_printf(o, ",\"allocs\":%llu,\"frees\":%llu,\"live\":%llu,\"live_bytes\":%llu,"
				   "\"bytes_req\":%llu,\"bytes_alloc\":%llu}", (ull)s->allocs, (ull)s->frees,
				   (ull)s->live, (ull)s->live_bytes, (ull)s->req_bytes, (ull)s->alloc_bytes);
		}
		free(ix);
	}
	out_printf(o, "],\"live_objects\":%llu,\"live_bytes\":%llu,\"live_pages\":%llu,\"zones\":[",
		   (ull)rep->live_objects, (ull)rep->live_bytes, (ull)rep->live_pages);
	first = true;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		view_json_zone_open(o, z, &first);
		out_puts(o, ",\"nr_free\":[");
		view_json_nr_free(o, z);
		out_puts(o, "],\"unusable_index\":[");
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			unsigned u = zone_unusable(z, k);
			out_printf(o, "%s%u.%03u", k ? "," : "", u / 1000, u % 1000);
		}
		out_puts(o, "]}");
	}
	out_printf(o, "],\"timeline_step_ns\":%llu,\"timeline\":[", (ull)rep->sample_step_ns);
	for (size_t i = 0; i < rep->nsamples; i++) {
		const struct replay_sample *s = &rep->samples[i];
		out_printf(o, "%s{\"ts_ns\":%llu,\"free_pages\":%llu,\"live_objects\":%llu,\"live_bytes\":%llu,"
			   "\"slab_pages\":%llu,\"unusable\":%u.%03u}", i ? "," : "", (ull)s->ts_ns, (ull)s->free_pages,
			   (ull)s->live_objects, (ull)s->live_bytes, (ull)s->slab_pages, s->unusable_milli / 1000,
			   s->unusable_milli % 1000);
	}
	out_puts(o, "]}\n");
}

void view_replay(struct out *o, const struct machine *m, const struct replay_report *rep, unsigned top)
{
	if (o->json)
		json_report(o, m, rep, top);
	else
		text_report(o, m, rep, top);
}

void view_replay_timeline_csv(struct out *o, const struct machine *m, const struct replay_report *rep)
{
	out_printf(o, "seconds,free_kb,live_objects,live_bytes,slab_kb,unusable_order%u\n", m->pageblock_order);
	for (size_t i = 0; i < rep->nsamples; i++) {
		const struct replay_sample *s = &rep->samples[i];
		out_printf(o, "%.6f,%llu,%llu,%llu,%llu,%u.%03u\n", (double)s->ts_ns / 1e9, (ull)s->free_pages * 4,
			   (ull)s->live_objects, (ull)s->live_bytes, (ull)s->slab_pages * 4, s->unusable_milli / 1000,
			   s->unusable_milli % 1000);
	}
}

void view_replay_progress(char *buf, size_t len, uint64_t events, uint64_t done, uint64_t total, double seconds)
{
	if (len < 2) {
		if (len)
			buf[0] = '\0';
		return;
	}
	/* back to the line's start, then the line (a msgid without the \r) */
	buf[0] = '\r';
	buf++;
	len--;
	double rate = seconds > 0 ? (double)events / seconds : 0;
	if (total && done <= total) {
		double frac = (double)done / (double)total;
		int w = (int)(frac * 30);
		char bar[31];
		for (int i = 0; i < 30; i++)
			bar[i] = i < w ? '#' : '.';
		bar[30] = '\0';
		double eta = frac > 0 ? seconds * (1 - frac) / frac : 0;
		snprintf(buf, len, _("replay [%s] %3.0f%% %llu events, %.2fM events/s, ETA %.0f s "), bar,
			 frac * 100, (ull)events, rate / 1e6, eta);
	} else {
		snprintf(buf, len, _("replay %llu events, %.2fM events/s "), (ull)events, rate / 1e6);
	}
}
