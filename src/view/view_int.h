/*
 * view_int.h - helpers shared by the renderers in src/view/ (not part of
 * the public view.h API).
 */
#ifndef KMEMSH_VIEW_INT_H
#define KMEMSH_VIEW_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kmemsh/view.h"

typedef unsigned long long ull;

/* populated_zone(): the kernel tests present_pages (include/linux/mmzone.h) */
static inline bool view_zone_populated(const struct zone *z)
{
	return z->present != 0;
}

/*
 * Hex digits in a few word operations rather than a digit (or a byte) at
 * a time: 32 bits are spread a nibble to a byte, and a nibble above 9
 * gets 'a' - '0' - 10 more.  The hot lines of a shown step print pfns and
 * 16-digit addresses.  view_hex8() stores the 8 digits of x at d, most
 * significant first.
 */
static inline void view_hex8(char *d, uint32_t x32)
{
	uint64_t x = x32;
	x = (x | x << 16) & 0x0000ffff0000ffffull;
	x = (x | x << 8) & 0x00ff00ff00ff00ffull;
	x = (x | x << 4) & 0x0f0f0f0f0f0f0f0full;
	x += 0x3030303030303030ull + (((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull) * 0x27;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	x = __builtin_bswap64(x);
	memcpy(d, &x, 8);
#else
	for (int k = 0; k < 8; k++)
		d[k] = (char)(x >> (56 - 8 * k));
#endif
}

/* the hex digits of u (at least one) */
static inline int view_hex_digits(uint64_t u)
{
	return u ? (67 - __builtin_clzll(u)) / 4 : 1;
}

/* the last nd (1..16) hex digits of u at w, which has room for 16 bytes
 * (the bytes past the digits are scribbled on); the end of the digits */
static inline char *view_hex_at(char *w, uint64_t u, int nd)
{
	if (nd <= 8) {
		view_hex8(w, (uint32_t)u << (4 * (8 - nd) & 31));
	} else {
		u <<= 4 * (16 - nd) & 63;
		view_hex8(w, (uint32_t)(u >> 32));
		view_hex8(w + 8, (uint32_t)u);
	}
	return w + nd;
}

/* %u of u < 10000 at w (four bytes of room); the end of the digits */
static inline char *view_dec4(char *w, unsigned u)
{
	/* the decimal digits of 0..99, two by two */
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	if (u < 10) {
		w[0] = (char)('0' + u);
		return w + 1;
	}
	if (u < 100) {
		memcpy(w, pairs + 2 * u, 2);
		return w + 2;
	}
	if (u < 1000) {
		w[0] = (char)('0' + u / 100);
		memcpy(w + 1, pairs + 2 * (u % 100), 2);
		return w + 3;
	}
	memcpy(w, pairs + 2 * (u / 100), 2);
	memcpy(w + 2, pairs + 2 * (u % 100), 2);
	return w + 4;
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
/* a populated zone's object opened: {"node":N,"zone":NAME, after a comma
 * unless *first; and its free block counts per order, n0,n1,...
 * (buddyinfo's row, without the brackets) */
void view_json_zone_open(struct out *o, const struct zone *z, bool *first);
void view_json_nr_free(struct out *o, const struct zone *z);

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
