/*
 * view.h - everything a user sees is rendered here, from the model's
 * state, its dmesg ring and its change log.  view/ only reads the model.
 *
 * The /proc renderers are byte-compatible with the modelled kernel version
 * (m->kp->kv) so tools written for /proc read them.  Each renderer has a
 * JSON form, chosen by out->json.
 */
#ifndef KMEMSH_VIEW_H
#define KMEMSH_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kmemsh/buddy.h"
#include "kmemsh/iomem.h"
#include "kmemsh/highmem.h"
#include "kmemsh/machine.h"
#include "kmemsh/memstore.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"

/* An output sink: a stream, or a growing memory buffer (tests). */
struct out {
	FILE *f;                /* NULL: append to buf */
	char *buf;
	size_t len, cap;
	bool color;             /* ANSI colour allowed */
	bool json;              /* render JSON instead of text */
	unsigned char utf8_due; /* continuation bytes a cut UTF-8 sequence still owes */
	bool hold;              /* FILE: keep text in buf until out_flush() (out_hold()) */
};

void out_init_file(struct out *o, FILE *f);
void out_init_buf(struct out *o);
/* out_free() writes what a held FILE output still keeps, then frees */
void out_free(struct out *o);
/*
 * A FILE output that keeps its text in its own buffer and writes it in
 * large blocks (a shown step is a dozen appends; a FILE write each cost
 * more than rendering them): the holder calls out_flush() wherever the
 * text must be out - before a prompt, an error, a read and at the end.
 */
void out_hold(struct out *o);
/* write what is held and fflush the FILE (a plain FILE output: fflush) */
void out_flush(struct out *o);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_puts(struct out *o, const char *s);
void out_write(struct out *o, const char *s, size_t n);
/*
 * JSON string literal (quotes and escapes added).  The text is always
 * valid UTF-8 JSON: '"', '\\' and the controls U+0000-U+001F, U+007F and
 * U+0080-U+009F are escaped (\n, \t, \r, \" and \\, else \u00XX); every
 * byte that is not part of a valid UTF-8 sequence (a stray continuation
 * byte, 0xc0/0xc1/0xf5-0xff, an overlong form, a surrogate) becomes
 * \ufffd, the replacement character, one per byte.
 */
void out_json_str(struct out *o, const char *s);
/* Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there
 * are not one (overlong forms, surrogates and code points above U+10FFFF
 * included); *cp gets the code point. */
size_t out_utf8_seq(const unsigned char *p, uint32_t *cp);
/* colour helpers: no-ops unless o->color */
void out_color(struct out *o, const char *ansi);  /* e.g. "1;32" */
void out_reset(struct out *o);

/* /proc files of the modelled kernel */
void view_buddyinfo(struct out *o, const struct machine *m);
void view_pagetypeinfo(struct out *o, const struct machine *m);
void view_zoneinfo(struct out *o, const struct machine *m);
void view_meminfo(struct out *o, const struct machine *m);
/* /proc/vmstat in the modelled kernel's vmstat_text[] order */
void view_vmstat(struct out *o, const struct machine *m);
/* global_dirty_limits(): nr_dirty_threshold and nr_dirty_background_threshold */
void view_dirty_limits(const struct machine *m, uint64_t *thresh, uint64_t *bg);
void view_iomem(struct out *o, const struct machine *m);
/* /proc/vmallocinfo in the modelled kernel's format (proc.c) */
void view_vmallocinfo(struct out *o, const struct machine *m);
/* `show vmap`: the vmap allocator's red-black trees, bounded (vmview.c) */
void view_vmap(struct out *o, const struct machine *m);
/* a vm sysctl: "vm.min_free_kbytes = 3798", or only "3798" (value_only,
 * as cat /proc/sys/vm/min_free_kbytes prints it); -ENOENT if there is none */
int view_sysctl(struct out *o, const struct machine *m, const char *name, bool value_only);

/* kmemsh's own pictures */
/* debugfs extfrag/unusable_index and extfrag/extfrag_index of each
 * populated zone (extfragview.c); view_extfrag: `show extfrag`, both files
 * under their names (which -1), or only one (0 extfrag_index, 1
 * unusable_index) as cat prints it */
void view_unusable_index(struct out *o, const struct machine *m);
void view_extfrag_index(struct out *o, const struct machine *m);
void view_extfrag(struct out *o, const struct machine *m, int which);
/* `fragment ZONE PATTERN`: pages taken and freed, the zone's nr_free and
 * both indices per order */
/* memory pressure (reclaimview.c): a memory user's command result, and
 * `show reclaim` (LRU lists, swap, tasks and their badness, vmstat) */
struct pressure_result {
	const char *what;               /* the command: pagecache, task, anon, ... */
	const char *name;               /* file or task name, or NULL */
	uint64_t pages;
	int task;                       /* the task's slot, -1 none */
	int flag;                       /* pagecache: dirty; drop_caches: N; kswapd: how many ran */
	int nid;                        /* kswapd run: its node, -1 every node's */
};
void view_pressure_result(struct out *o, const struct machine *m, const struct pressure_result *r);
void view_reclaim(struct out *o, const struct machine *m);

void view_fragment(struct out *o, const struct machine *m, int zone, const char *pattern, uint64_t taken,
		   uint64_t freed);
/* `compact [ZONE]`: each zone's run (result, scanned, migrated, nr_free
 * before and after), the first moves, and the session variables whose page
 * moved (compactview.c); `show compaction`: the compact_* events as
 * /proc/vmstat prints them */
struct compact_report;
struct compact_var {
	const char *name;
	uint64_t from, to;
};
void view_compact(struct out *o, const struct machine *m, const struct compact_report *rep,
		  const struct compact_var *vars, size_t nvars);
void view_compaction_events(struct out *o, const struct machine *m);
/* `show thp`: /sys/kernel/mm/transparent_hugepage/enabled and hpage_pmd_size
 * (which -1: both, named; 0 or 1: one file's text, as cat prints it) */
void view_thp(struct out *o, const struct machine *m, int which);
/* `show numa`: numastat's table of the nodes' NUMA counters; `show numa
 * distances`: numactl --hardware (CPUs, size, free, the distance table) */
void view_numastat(struct out *o, const struct machine *m);
void view_numa_hardware(struct out *o, const struct machine *m);
/* set_mempolicy's confirmation: the shell's policy (numaview.c) */
void view_mempolicy(struct out *o, const struct machine *m);
/* a trace replay's report (trace.h), its timeline as CSV, the progress line */
struct replay_report;
void view_replay(struct out *o, const struct machine *m, const struct replay_report *rep, unsigned top);
void view_replay_timeline_csv(struct out *o, const struct machine *m, const struct replay_report *rep);
void view_replay_progress(char *buf, size_t len, uint64_t events, uint64_t done, uint64_t total, double seconds);

void view_zones(struct out *o, const struct machine *m);       /* fixed-width map per zone + numbers */
/* `show pcp`: each populated zone's per-CPU page lists, CPU by CPU (pcpview.c) */
void view_pcp(struct out *o, const struct machine *m);
/* `vmstat_update [N]`: runs of the vmstat worker on every CPU; the
 * pagesets' high and count before ([zone * ncpus + cpu]), pages freed,
 * the work pcp_vmstat_update() reported left after the last run */
struct vmstat_update_result {
	unsigned runs;
	uint64_t freed;
	int todo;
	const int *high_before, *count_before;
};
void view_vmstat_update(struct out *o, const struct machine *m, const struct vmstat_update_result *r);
void view_page(struct out *o, const struct machine *m, uint64_t pfn);
void view_free_area(struct out *o, const struct machine *m, int zone, int order); /* order -1: all */
void view_machine(struct out *o, const struct machine *m);     /* `show machine`: arch, kernel, layout */
/* `check` after machine_check() passed: the free blocks, free pages and
 * allocated blocks it counted */
void view_check(struct out *o, const struct machine *m);

/* dmesg lines [from, m->dmesg.n), kernel style "[%5lu.%06lu] text" */
void view_dmesg(struct out *o, const struct machine *m, size_t from);

/*
 * What one step changed: the change log (splits, merges, fallbacks,
 * watermark refusals ...) then the free-list counts that differ from
 * `before` (nr_free per zone and order, captured before the step).
 * explain: narrate the same steps in plain sentences for learners.
 */
struct nr_free_snapshot {
	uint64_t nr_free[MAX_ZONES_MODEL][NR_ORDERS];
	uint64_t gen[MAX_ZONES_MODEL];       /* zone->free_area_gen: unchanged, nothing to compare */
	uint64_t machine_gen;                /* m->free_area_gen: unchanged, no zone to look at */
};
void view_snapshot(const struct machine *m, struct nr_free_snapshot *s);
/* s, an earlier view_snapshot() of the same machine, brought up to date:
 * only zones whose free_area_gen moved are copied again */
void view_snapshot_update(const struct machine *m, struct nr_free_snapshot *s);
void view_changes(struct out *o, const struct machine *m, const struct nr_free_snapshot *before, bool explain);
/* set show brief: a line per zone whose free lists changed, and how many steps the log has */
void view_changes_brief(struct out *o, const struct machine *m, const struct nr_free_snapshot *before);

/*
 * The slab layer (slabview.c).  view_slabinfo: /proc/slabinfo version 2.1,
 * newest cache first, nothing for SLOB.  view_slab: `show slab`, a cache's
 * geometry, per-CPU state, lists and slabs (the first 64, each with an
 * object map: '#' allocated, '.' free, 'a' free in a SLAB array cache).
 * view_object: `show object`, what is at a kernel address.
 */
void view_slabinfo(struct out *o, const struct machine *m);
void view_slab(struct out *o, const struct machine *m, int cache);
/* /sys/kernel/slab/NAME/ATTR of a SLUB cache: "partial" (the partial
 * slabs, " N%d=%lu" per node holding any on a CONFIG_NUMA kernel) and
 * "min_partial"; -ENOENT for another attribute */
int view_slab_sysfs(struct out *o, const struct machine *m, int cache, const char *path, const char *attr);
void view_object(struct out *o, const struct machine *m, uint64_t addr);
/* `cpu`: "CPU 1 of 4"; after a switch: "now on CPU 1" (JSON {"cpu":1}) */
void view_cpu(struct out *o, const struct machine *m, bool switched);
/* which objects and regions len bytes of slab memory from addr cover, as
 * one line ("kmalloc-64: object 0 (allocated): 4 bytes at +60, ...") */
void view_slab_range(const struct machine *m, uint64_t addr, uint64_t len, char *buf, size_t buflen);

/*
 * Values and results (result.c).
 *
 * A value is what a step returns and a $NAME holds.  A step_result is
 * what one kernel call did, as values: the call with its arguments, the
 * value it returned, and the details the result line's note is made of.
 * Handlers fill it and never format text; the runner asks view_result()
 * to render it ("call = value  [note]", or a JSON object) only when the
 * result will be printed, so -q and `set show off` cost no formatting.
 *
 * kind says which member of the union holds the details.  A subsystem
 * adds its kinds (one enumerator and one union member each) and their
 * notes in the table in result.c.  Strings point into the statement being
 * run or into the model (reason: m->err); they are read before the next
 * statement runs.  Details only a view needs (object.oi) may be left out
 * when the result will not be printed.
 */
enum val_kind {
	V_NONE,         /* no result */
	V_NUM,          /* a plain number */
	V_ADDR,         /* a kernel virtual address (void *, unsigned long) */
	V_PAGE,         /* a struct page pointer */
	V_PFN,          /* a page frame number */
	V_PHYS,         /* a physical address (phys_addr_t) */
};

struct value {
	enum val_kind kind;
	uint64_t u;
};

/* "number", "address", "page", "pfn" ("none" for V_NONE) */
const char *view_value_kind_name(enum val_kind k);

/* One argument of the call, as the result line shows it. */
enum call_arg_kind {
	CA_DEC,         /* 200 */
	CA_HEX,         /* %#llx: 0xf7000e80 (0 stays 0) */
	CA_GFP,         /* a gfp_t as the kernel prints it: GFP_KERNEL|__GFP_ZERO (0 for none) */
	CA_NAME,        /* a name as typed: kmalloc-64 */
	CA_STRING,      /* a C string literal: "foo" */
};

struct call_arg {
	enum call_arg_kind kind;
	uint64_t u;
	const char *s;                  /* CA_NAME, CA_STRING */
};

#define STEP_MAX_ARGS 4

enum result_kind {
	RESULT_NONE,            /* no details: the result line, if any, has no note */
	/* the page allocator */
	RESULT_BLOCK,           /* block: the 2^order block at pfn that was allocated or freed */
	RESULT_NO_PAGE,         /* the allocation returned NULL: reason */
	RESULT_FREE_NULL,       /* free_pages(0, ...) does nothing */
	RESULT_PAGE_ADDRESS,    /* block.pfn: its direct-map address, or NULL for highmem */
	RESULT_PAGE_TO_PFN,     /* block.pfn, and its physical address */
	RESULT_PFN_TO_PAGE,     /* block.pfn: its struct page in mem_map or vmemmap */
	RESULT_VIRT_TO_PAGE,    /* block.pfn */
	/* the slab layer */
	RESULT_OBJECT,          /* object: what the address is (an object of a cache, a SLOB block,
				 * a large kmalloc), ZERO_SIZE_PTR, or NULL for reason */
	RESULT_KFREE_NOOP,      /* kfree(NULL), kfree(ZERO_SIZE_PTR): object.addr */
	RESULT_MUL_OVERFLOW,    /* kmalloc_array()/kcalloc(): n * size overflowed */
	RESULT_KSIZE,           /* the value is the usable size */
	RESULT_SLAB_RANGE,      /* range: the objects and regions of slab memory written */
	RESULT_CACHE_CREATED,   /* cache: its geometry */
	RESULT_SLABS_FREED,     /* slabs_freed: slabs given back to the buddy allocator */
	/* the address space */
	RESULT_TRANSLATE,       /* xlate: a virtual address and the physical one it translates to */
	RESULT_VALID,           /* virt_addr_valid(): reason says why */
	RESULT_MEM,             /* mem: an access to memory contents (read, write, memset of pages) */
	/* vmalloc */
	RESULT_VMALLOC,         /* vm: the area handed out (or NULL: reason) */
	RESULT_VFREE,           /* vm: the area unmapped and put on the purge list */
	RESULT_VMALLOC_TO,      /* vm.start: the address looked up, vm.pfn[0] its pfn */
	RESULT_PURGE,           /* vm.nr_pages: areas purged */
	/* device memory */
	RESULT_IO,              /* io: a resource request or release, an ioremap, an MMIO access */
	/* highmem and context */
	RESULT_KMAP,            /* kmap: what a kmap/kunmap call mapped or unmapped; reason: an
				 * out-of-order kunmap_local's story */
	RESULT_CONTEXT,         /* the context after the call (m->ctx); reason: the model's words */
	NR_RESULT_KINDS
};

struct step_result {
	/* the call: fn(arg, ...); fn NULL when the step shows no result line */
	const char *fn;
	unsigned nargs;
	struct call_arg arg[STEP_MAX_ARGS];

	struct value value;             /* what the call returned ($_) */
	enum result_kind kind;
	const char *reason;             /* the model's words for a NULL result (m->err) */
	union {
		struct {
			uint64_t pfn;
			unsigned order;
			bool highmem_masked;    /* get_free_pages() dropped __GFP_HIGHMEM */
		} block;
		struct {
			uint64_t addr;
			struct object_info oi;  /* taken after an allocation, before a free; only
						 * when the result will be printed */
			bool same;              /* krealloc: it still fits, the same object */
		} object;
		struct {
			uint64_t addr, len;
		} range;
		int cache;
		uint64_t slabs_freed;
		struct {
			uint64_t va, phys;
			bool image;             /* x86_64 kernel text mapping, not the direct map */
		} xlate;
		struct {
			uint64_t addr, len;
			struct mem_access_result res;
		} mem;
		struct {
			uint64_t start, end;    /* the vmap area, guard page included */
			unsigned nr_pages;      /* pages mapped */
			unsigned nr_pfn;        /* pfns kept below (at most 4) */
			unsigned nr_huge;       /* of nr_pages, mapped by 2M pmd leaves (512 each) */
			uint64_t pfn[4];
			bool contiguous;        /* the pages happen to be physically contiguous */
			bool guard;
			bool vpages;            /* the pages array was vmalloc'ed */
			bool lazy;              /* vfree: waits on the purge list */
			bool deferred;          /* vfree from interrupt: queued by vfree_atomic() */
			int zone;               /* the pages' zone; -1 when they span zones */
			bool highmem;           /* the pages were asked for with __GFP_HIGHMEM */
		} vm;
		struct io_result io;
		struct kmap_result kmap;
	} u;
};

/* The note of a RESULT_IO step (ioview.c). */
void view_io_note(const struct machine *m, const struct step_result *r, char *buf, size_t len);

/* Building the call: step_call(r, "kmalloc"); step_arg(r, CA_DEC, 200); ... */
static inline void step_call(struct step_result *r, const char *fn)
{
	r->fn = fn;
	r->nargs = 0;
}

static inline void step_arg(struct step_result *r, enum call_arg_kind kind, uint64_t u)
{
	if (r->nargs < STEP_MAX_ARGS)
		r->arg[r->nargs++] = (struct call_arg){ kind, u, NULL };
}

static inline void step_arg_str(struct step_result *r, enum call_arg_kind kind, const char *s)
{
	if (r->nargs < STEP_MAX_ARGS)
		r->arg[r->nargs++] = (struct call_arg){ kind, 0, s };
}

/* `set explain on`: the numbered story of a vmalloc/vmap/vfree/vunmap,
 * ioremap/iounmap or kmap step, ahead of the event-by-event explanation
 * (story.c); nothing for other steps and in JSON. */
void view_story(struct out *o, const struct machine *m, const struct step_result *r);

/* The result line of a step (nothing when r->fn is NULL). */
void view_result(struct out *o, const struct machine *m, const struct step_result *r);

/* `show vars`: one variable, "$name   kind   0x..." */
void view_var(struct out *o, const char *name, const struct value *v);

/* Short names used in output */
const char *view_mt_name(const struct machine *m, int mt);

/*
 * The virtual side (vmview.c): `show layout`, `walk`, `whatis`, and the
 * change-log lines of page-table events.  Entry flags use ptdump's
 * columns.
 */
struct pt_walk;
struct whatis;
void view_layout(struct out *o, const struct machine *m);
void view_walk(struct out *o, const struct machine *m, uint64_t va, const struct pt_walk *w);
void view_whatis(struct out *o, const struct machine *m, const struct whatis *w);
const char *view_level_name(enum pt_level l);
void view_prot_text(char *buf, size_t len, uint64_t prot, enum pt_level level);

/*
 * `show pgtable` (ptdump.c): the kernel page tables in the format of the
 * modelled kernel's page-table dump (6.13 /sys/kernel/debug/page_tables/
 * kernel, 2.6.32 /sys/kernel/debug/kernel_page_tables), address markers
 * from m->layout.  [start, end) selects the lines whose run meets it (end
 * 0: the whole address space); JSON: one object per run.
 */
void view_ptdump(struct out *o, const struct machine *m, uint64_t start, uint64_t end);

/* `show kmap` (kmapview.c): the PKMAP slots in use, last_pkmap_nr, and each
 * CPU's kmap_atomic / kmap_local slots; `show context`: the task's context. */
void view_kmap(struct out *o, const struct machine *m);
void view_context(struct out *o, const struct machine *m);

#endif
