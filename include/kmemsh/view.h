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
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"

/* An output sink: a stream, or a growing memory buffer (tests). */
struct out {
	FILE *f;                /* NULL: append to buf */
	char *buf;
	size_t len, cap;
	bool color;             /* ANSI colour allowed */
	bool json;              /* render JSON instead of text */
};

void out_init_file(struct out *o, FILE *f);
void out_init_buf(struct out *o);
void out_free(struct out *o);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_puts(struct out *o, const char *s);
/* JSON string literal (quotes and escapes added) */
void out_json_str(struct out *o, const char *s);
/* colour helpers: no-ops unless o->color */
void out_color(struct out *o, const char *ansi);  /* e.g. "1;32" */
void out_reset(struct out *o);

/* /proc files of the modelled kernel */
void view_buddyinfo(struct out *o, const struct machine *m);
void view_pagetypeinfo(struct out *o, const struct machine *m);
void view_zoneinfo(struct out *o, const struct machine *m);
void view_meminfo(struct out *o, const struct machine *m);
void view_iomem(struct out *o, const struct machine *m);

/* kmemsh's own pictures */
void view_zones(struct out *o, const struct machine *m);       /* fixed-width map per zone + numbers */
void view_page(struct out *o, const struct machine *m, uint64_t pfn);
void view_free_area(struct out *o, const struct machine *m, int zone, int order); /* order -1: all */
void view_machine(struct out *o, const struct machine *m);     /* `show machine`: arch, kernel, layout */

/* dmesg lines [from, m->dmesg.n), kernel style "[%5lu.%06lu] text" */
void view_dmesg(struct out *o, const struct machine *m, size_t from);

/*
 * What one step changed: the change log (splits, merges, fallbacks,
 * watermark refusals ...) then the free-list counts that differ from
 * `before` (nr_free per zone and order, captured before the step).
 * explain: narrate the same steps in plain sentences for learners.
 */
struct nr_free_snapshot {
	uint64_t nr_free[MAX_NR_ZONES_MODEL][NR_ORDERS];
};
void view_snapshot(const struct machine *m, struct nr_free_snapshot *s);
void view_changes(struct out *o, const struct machine *m, const struct nr_free_snapshot *before, bool explain);

/*
 * The slab layer (slabview.c).  view_slabinfo: /proc/slabinfo version 2.1,
 * newest cache first, nothing for SLOB.  view_slab: `show slab`, a cache's
 * geometry, per-CPU state, lists and slabs (the first 64, each with an
 * object map: '#' allocated, '.' free, 'a' free in a SLAB array cache).
 * view_object: `show object`, what is at a kernel address.
 */
void view_slabinfo(struct out *o, const struct machine *m);
void view_slab(struct out *o, const struct machine *m, int cache);
void view_object(struct out *o, const struct machine *m, uint64_t addr);
/* which objects and regions len bytes of slab memory from addr cover, as
 * one line ("kmalloc-64: object 0 (allocated): 4 bytes at +60, ...") */
void view_slab_range(const struct machine *m, uint64_t addr, uint64_t len, char *buf, size_t buflen);

/* Short names used in output */
const char *view_mt_name(const struct machine *m, int mt);

/*
 * The virtual side (vmview.c): `show layout`, `walk`, `whatis`, and the
 * change-log lines of page-table events with the direct-map note of
 * allocation steps.  Entry flags use ptdump's columns.
 */
struct pt_walk;
struct whatis;
void view_layout(struct out *o, const struct machine *m);
void view_walk(struct out *o, const struct machine *m, uint64_t va, const struct pt_walk *w);
void view_whatis(struct out *o, const struct machine *m, const struct whatis *w);
void view_direct_map_note(struct out *o, const struct machine *m, bool explain);
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

#endif
