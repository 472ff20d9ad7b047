/*
 * view_int.h - helpers shared by the renderers in src/view/ (not part of
 * the public view.h API).
 */
#ifndef KMEMSH_VIEW_INT_H
#define KMEMSH_VIEW_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/view.h"

typedef unsigned long long ull;

/* populated_zone(): the kernel tests present_pages (include/linux/mmzone.h) */
static inline bool view_zone_populated(const struct zone *z)
{
	return z->present != 0;
}

static inline bool view_old(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32;
}

/* The zone name for a change-log zone index ("?" when out of range). */
const char *view_zone_name(const struct machine *m, int zone);

/* The slab layer (slabview.c): a slab list's name ("partial"; enum
 * slab_list), a cache's name by index ("?" when unknown), and the slab
 * with id `id` if it still exists and still starts at `pfn` (NULL when
 * it was given back since, e.g. later in the same step). */
struct slab;
const char *view_slab_list_name(int list);
const char *view_cache_name(const struct machine *m, uint32_t cache);
const struct slab *view_live_slab(const struct machine *m, uint32_t id, uint64_t pfn);

/* JSON helpers: "key": prefixed by a comma unless first */
void view_json_key(struct out *o, bool *first, const char *key);
void view_json_hex(struct out *o, uint64_t v);       /* "0x1f" as a string */
void view_json_range(struct out *o, uint64_t a, uint64_t b); /* "0xa-0xb" */

/* page-table events in the change log (vmview.c) */
bool view_is_pt_event(enum change_kind k);
void view_pt_event_line(struct out *o, const struct machine *m, const struct change *c);
void view_pt_event_json(struct out *o, const struct machine *m, const struct change *c, bool *f);
void view_pt_event_sentence(char *buf, size_t len, const struct machine *m, const struct change *c);

/* reclaim events in the change log (reclaimview.c) */
bool view_is_reclaim_event(enum change_kind k);
const char *view_reclaim_kind_name(enum change_kind k);
void view_reclaim_event_line(struct out *o, const struct machine *m, const struct change *c);
void view_reclaim_event_json(struct out *o, const struct machine *m, const struct change *c, bool *f);
void view_reclaim_event_sentence(char *buf, size_t len, const struct machine *m, const struct change *c);

/* wrap.c: how many bytes of the paragraph p fit on a line of cols columns,
 * cut before a space or either side of a wide (CJK) character; all of it
 * when it fits, 0 when no cut fits (a word longer than the line). */
size_t view_wrap_cut(const char *p, size_t cols);
/* ... and the columns a string takes at a terminal (a CJK character two) */
size_t view_text_cols(const char *s);

/* show page / whatis: "movable" for an LRU page, "migrated" when
 * compaction moved the page that was at pfn (zones.c) */
void view_page_migration(struct out *o, const struct machine *m, uint64_t pfn, const char *indent, bool colon);

#endif
