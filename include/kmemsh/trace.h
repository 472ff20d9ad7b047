/*
 * trace.h - kernel allocation traces: the ftrace text parser, the reader
 * (plain or gzip, file or stdin) and the replay of a trace through the model.
 *
 * The parser reads one line of the tracefs text format (`trace` and
 * `trace_pipe`, with or without the header), of `trace-cmd report` and of
 * `perf script`: TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS.  The event
 * formats are the kernel's TP_printk() of include/trace/events/kmem.h and
 * vmalloc.h: 6.x (hashed or raw pointers, call_site as %pS, name=, node=,
 * accounted=), 4.x/5.x (no name=) and 2.6.32 (call_site=%lx, decimal pfn,
 * mm_page_free_direct and mm_pagevec_free).
 *
 * The replay maps traced pointers and pfns to model objects and pages,
 * creates caches on the fly from kmem_cache_alloc's name and bytes_alloc,
 * and fills a struct replay_report (plain values) that view/ renders.
 */
#ifndef KMEMSH_TRACE_H
#define KMEMSH_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* the events the replay knows; EM() keeps the enum and its names together */
#define TRACE_EVENTS \
	EM(TEV_KMALLOC, "kmalloc") \
	EM(TEV_KMALLOC_NODE, "kmalloc_node") \
	EM(TEV_KFREE, "kfree") \
	EM(TEV_CACHE_ALLOC, "kmem_cache_alloc") \
	EM(TEV_CACHE_ALLOC_NODE, "kmem_cache_alloc_node") \
	EM(TEV_CACHE_FREE, "kmem_cache_free") \
	EM(TEV_PAGE_ALLOC, "mm_page_alloc") \
	EM(TEV_PAGE_FREE, "mm_page_free") \
	EM(TEV_PAGE_FREE_BATCHED, "mm_page_free_batched") \
	EM(TEV_PAGE_ALLOC_ZONE_LOCKED, "mm_page_alloc_zone_locked") \
	EM(TEV_PAGE_PCPU_DRAIN, "mm_page_pcpu_drain") \
	EM(TEV_PAGE_ALLOC_EXTFRAG, "mm_page_alloc_extfrag") \
	EM(TEV_ALLOC_VMAP_AREA, "alloc_vmap_area") \
	EM(TEV_FREE_VMAP_AREA_NOFLUSH, "free_vmap_area_noflush") \
	EM(TEV_PURGE_VMAP_AREA_LAZY, "purge_vmap_area_lazy") \
	EM(TEV_OTHER, "other")

#define EM(e, s) e,
enum trace_ev {
	TEV_NONE = -1,          /* not an event: blank or comment line */
	TRACE_EVENTS
	TEV_BAD,                /* not a trace line, or a known event without its fields */
	TEV_NR = TEV_BAD
};
#undef EM

const char *trace_ev_name(enum trace_ev ev);

struct trace_str {
	const char *p;
	uint32_t len;
};

/* which fields a line had */
enum {
	TF_PTR = 1u << 0, TF_PFN = 1u << 1, TF_ORDER = 1u << 2, TF_REQ = 1u << 3, TF_ALLOC = 1u << 4,
	TF_GFP = 1u << 5, TF_NAME = 1u << 6, TF_SITE = 1u << 7, TF_TS = 1u << 8, TF_CPU = 1u << 9,
	/* vmalloc events (include/trace/events/vmalloc.h) */
	TF_VA_START = 1u << 10, TF_VA_SIZE = 1u << 11, TF_VA_ALIGN = 1u << 12, TF_VA_RANGE = 1u << 13,
	TF_VA_FAILED = 1u << 14, TF_VA_LAZY = 1u << 15, TF_VA_PURGED = 1u << 16,
	/* per-CPU list and fallback events: percpu_refill=; extfrag's fields */
	TF_PCP_REFILL = 1u << 17, TF_EXTFRAG = 1u << 18,
	/* ptr= was "(ptrval)": hashed, but printed before the kernel's hash key
	 * was set (parse.c ptrval_token()); ptr is then 0 */
	TF_PTRVAL = 1u << 19,
};

/*
 * The page events the replay counts but does not replay
 * (include/trace/events/kmem.h, the same fields in 2.6.32, 6.1 and 6.18;
 * pfn and order are in trace_event.pfn/.order, extfrag's alloc_order in .order):
 *   mm_page_alloc_zone_locked  "page=%p pfn=0x%lx order=%u migratetype=%d percpu_refill=%d"
 *   mm_page_pcpu_drain         "page=%p pfn=0x%lx order=%d migratetype=%d"
 *   mm_page_alloc_extfrag      "page=%p pfn=0x%lx alloc_order=%d fallback_order=%d
 *                               pageblock_order=%d alloc_migratetype=%d
 *                               fallback_migratetype=%d fragmenting=%d change_ownership=%d"
 */
struct trace_pcp {
	unsigned percpu_refill;         /* zone_locked: 1 = taken to refill a per-CPU list */
	unsigned fallback_order, fragmenting, change_ownership;        /* extfrag */
};

/*
 * The vmalloc events' fields (include/trace/events/vmalloc.h, 5.13 on):
 *   alloc_vmap_area         "va_start: %lu size=%lu align=%lu vstart=0x%lx vend=0x%lx failed=%d"
 *                           (va_start in decimal; size includes the guard page)
 *   free_vmap_area_noflush  "va_start=0x%lx nr_lazy=%lu nr_lazy_max=%lu" (pages)
 *   purge_vmap_area_lazy    "start=0x%lx end=0x%lx num_purged=%u"
 * va_start is in trace_event.ptr (start= of the purge too).
 */
struct trace_vmap {
	uint64_t size, align, vstart, vend;
	uint64_t nr_lazy, nr_lazy_max;
	uint64_t end, num_purged;
	unsigned failed;
};

struct trace_event {
	enum trace_ev type;
	unsigned has;                   /* TF_* */
	int cpu;
	uint64_t ts_ns;
	uint64_t ptr;                   /* kmem events: ptr (0 for NULL / (null) / (nil)) */
	uint64_t pfn;                   /* page events; ~0 when the kernel traced no page */
	uint64_t bytes_req, bytes_alloc;
	unsigned order;
	struct trace_str site;          /* call_site as printed: "func+0x1a/0x40" or "c10a2b3c" */
	struct trace_str name;          /* kmem_cache_alloc/free name= (free: 6.1 has it; alloc: 6.18) */
	struct trace_str gfp;           /* gfp_flags= */
	struct trace_str event;         /* the event's name as written (also for TEV_OTHER) */
	const char *why;                /* TEV_BAD: what is wrong with the line */
	struct trace_vmap va;           /* vmalloc events only (set when type is one) */
	struct trace_pcp pg;            /* the three events above only (set when type is one) */
};

/* Parse one line (without its newline; it need not be NUL-terminated).
 * Strings in ev point into line. */
void trace_parse_line(const char *line, size_t len, struct trace_event *ev);

/*
 * The reader: plain or gzip input (told by the magic bytes, not the name),
 * from a file or from stdin ("-").  Lines longer than TRACE_LINE_MAX are
 * not returned whole: trace_reader_next() gives 2 for them and skips to
 * the newline.
 */
#define TRACE_LINE_MAX 65536
struct trace_reader;
int trace_reader_open(struct trace_reader **r, const char *path, char *err, size_t errlen);
/* 1: a line in *line, *len; 2: an overlong line (skipped), 0: end of input */
int trace_reader_next(struct trace_reader *r, const char **line, size_t *len);
uint64_t trace_reader_lineno(const struct trace_reader *r);
/* false: no line handed out now holds a NUL byte (no need to look) */
bool trace_reader_may_have_nul(const struct trace_reader *r);
bool trace_reader_gzip(const struct trace_reader *r);
/* bytes of the input consumed so far and its size (0 when unknown, a pipe) */
void trace_reader_progress(const struct trace_reader *r, uint64_t *done, uint64_t *total);
/* after the end: NULL, or why the input ended early ("unexpected end of file") */
const char *trace_reader_error(const struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

/* ---- replay ------------------------------------------------------------------ */

struct replay_counts {
	uint64_t seen, replayed, preexisting, skipped, failed;
};

/* a line that could not be replayed, with why */
struct replay_problem {
	uint64_t line;
	char what[640];
};
#define REPLAY_PROBLEMS 16

struct replay_cache_stat {
	char name[32];
	char freed_as[32];              /* a nameless cache (kmem_cache_alloc before 6.18): the
					 * name= its objects were first freed with; "" none */
	bool freed_as_more;             /* ... and other names too */
	int cache;                      /* model cache index; -1: large kmalloc (pages) */
	unsigned size;                  /* bytes per object in the model */
	uint64_t allocs, frees, live, peak_live, live_bytes, peak_bytes;
	uint64_t req_bytes, alloc_bytes;   /* summed over allocations: traced bytes_req, bytes_alloc */
};

struct replay_site_stat {
	char site[64];
	uint64_t allocs, frees, live, live_bytes;
	uint64_t req_bytes, alloc_bytes;
};

struct replay_sample {
	uint64_t ts_ns;
	uint64_t free_pages;
	uint64_t live_objects, live_bytes;
	uint64_t slab_pages;            /* pages the model's slab layer holds */
	unsigned unusable_milli;        /* unusable free index at pageblock order, all zones, x1000 */
};

struct replay_report {
	/* input */
	uint64_t lines, events, comments;
	bool gzip;
	char input_error[128];          /* the reader's; "": read to the end */
	uint64_t bad_lines, overlong_lines, nul_lines, crlf_lines, backwards_ts;
	uint64_t other_events;
	/* tracefs' header "# entries-in-buffer/entries-written: %lu/%lu"
	 * (kernel/trace/trace.c print_event_info()): more written than in the
	 * buffer means the per-CPU ring buffers overran and lost the oldest
	 * events; 0/0: no such header */
	uint64_t entries_in_buffer, entries_written;
	/* perf script --show-lost-events: "PERF_RECORD_LOST lost %lu" lines
	 * (tools/perf/util/event.c perf_event__fprintf_lost()), the events
	 * perf's ring buffer had no room for, and how many such lines */
	uint64_t perf_lost, perf_lost_records;
	/* the CPU whose first event came last, and how long after the trace's
	 * first event (an overrun CPU's buffer starts later); -1: none */
	int late_cpu;
	uint64_t late_cpu_after_ns;
	struct replay_counts ev[TEV_NR];
	/* what happened to the traced objects */
	uint64_t kfree_null, dup_frees, realloc_live, trace_failed_allocs, gfp_unknown;
	uint64_t kfree_zero;            /* kfree(ZERO_SIZE_PTR): raw 0x10, or hashed (replay.c zero_size_ptr()) */
	uint64_t ptrval;                /* slab events whose ptr= was "(ptrval)": skipped (kmalloc: checked) */
	uint64_t pages_companion;       /* mm_page_free_batched of a page mm_page_free already freed */
	/* mm_page_alloc of pages the slab layer's own replay stands for (the
	 * model allocates those itself): a large kmalloc's compound page, and
	 * a slab page an object lies in (raw pointers) or that came just before
	 * it on its CPU with new_slab()'s gfp (hashed pointers, or raw ones
	 * before the direct map's base is known); their pages are given back,
	 * and the page's mm_page_free is not replayed */
	uint64_t paired_large, paired_large_pages;
	uint64_t paired_slab, paired_slab_pages;
	uint64_t paired_slab_ordered;   /* of paired_slab: by the order of events */
	/* the model's allocator is SLAB, and so SLAB's rule (replay.c
	 * slab_classic_rule): of the pairs by the order of events, those whose
	 * page had only the caller's flags and __GFP_COMP (the caller's own
	 * alloc_pages() would look the same: ambiguous), and the pages of
	 * SLAB's look just before an object whose cache's order or flags they
	 * do not fit (not paired) */
	bool slab_classic;
	uint64_t slab_classic_plain, slab_classic_unfit;
	uint64_t paired_frees;
	/* raw 64-bit pointers: the direct map's base (page_offset_base) found
	 * from the trace when KASLR moved it; 0: not found (or not moved) */
	uint64_t direct_map_base;
	/* counted, not replayed (the model has no per-CPU page lists; see replay.c) */
	uint64_t pcp_refill_pages, pcp_direct_pages;   /* mm_page_alloc_zone_locked, by percpu_refill */
	uint64_t pcp_drain_pages;                      /* mm_page_pcpu_drain */
	uint64_t extfrag_fragmenting, extfrag_change_ownership;
	/* fidelity: the model's size class for bytes_req against the traced bytes_alloc */
	uint64_t size_checked, size_mismatch, order_checked, order_mismatch;
	struct replay_problem mismatch[REPLAY_PROBLEMS];
	unsigned nmismatch;
	/* vmalloc: each alloc_vmap_area's area as the model placed it against the
	 * traced one (size with the guard page, and whether at the traced address),
	 * the traced range outside the model's vmalloc range (the model's used),
	 * lazy_max_pages() against nr_lazy_max, areas purged by the traced purges
	 * (num_purged) and by the model's at the same events, and the purges the
	 * model made itself (vmap_lazy_nr over lazy_max_pages() in a free) */
	uint64_t vmap_checked, vmap_size_mismatch, vmap_same_addr, vmap_range_model;
	uint64_t vmap_lazy_checked, vmap_lazy_max_mismatch, vmap_lazy_max_traced, vmap_lazy_max_model;
	uint64_t vmap_purged_traced, vmap_purged_model, vmap_model_purges;
	uint64_t live_vmaps, live_vmap_bytes;
	/* --exact-pfn */
	bool exact_pfn;
	uint64_t pfn_exact, pfn_outside, pfn_busy;
	/* lines with problems (bad, overlong, NUL, backwards time, duplicate free, failed) */
	struct replay_problem problem[REPLAY_PROBLEMS];
	unsigned nproblem;
	uint64_t problems;
	/* caches (by model cache) and call sites */
	struct replay_cache_stat *caches;
	size_t ncaches;
	struct replay_site_stat *sites;
	size_t nsites;
	uint64_t live_objects, live_bytes, live_pages;
	/* the timeline */
	struct replay_sample *samples;
	size_t nsamples;
	uint64_t sample_step_ns;
	uint64_t first_ts, last_ts;
	/* the host */
	double seconds;
	uint64_t host_bytes;            /* the replay's maps */
	uint64_t max_live_objects;      /* peak of the live traced objects */
	uint64_t max_live_traced;       /* peak of live objects + allocated page blocks */
};

struct replay_opts {
	bool exact_pfn;                 /* carve the traced pfn and order out of the free lists */
	bool no_pages;                  /* replay only the slab events */
	/* called every 65536 lines with the events so far and the input's
	 * bytes read and size (a progress bar); NULL: none */
	void (*progress)(void *arg, uint64_t events, uint64_t done, uint64_t total, double seconds);
	void *progress_arg;
};

/* Replay everything r gives into m.  0 and *out (free it with
 * replay_report_free), or -errno with err set (no memory). */
int replay_run(struct machine *m, struct trace_reader *r, const struct replay_opts *o,
	       struct replay_report **out, char *err, size_t errlen);
void replay_report_free(struct replay_report *rep);

#endif
