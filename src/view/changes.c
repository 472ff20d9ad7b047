/*
 * changes.c - what one step did: the model's change log rendered one line
 * per event in the kernel's vocabulary (take, expand/split, merge,
 * fallback, watermark checks, slow path), or narrated in plain sentences
 * for learners (explain), followed by the /proc/buddyinfo counts that moved.
 *
 * The events come from mm/page_alloc.c's steps as the model performs them:
 * __rmqueue_smallest() takes a block and expand() splits it; the fallback
 * path (__rmqueue_fallback()) may move a pageblock's free blocks and retype
 * it; __free_one_page() merges with free buddies; get_page_from_freelist()
 * skips zones that fail zone_watermark_ok(); __alloc_pages_slowpath()
 * retries against the min watermark.
 *
 * The slab layer adds its own events (slab.c, slub.c, slab_classic.c): a new
 * slab taken from the buddy allocator, an empty one given back, slabs moving
 * between the cpu slab and the partial/full/free lists, objects handed out
 * and freed, SLAB's array-cache refills and flushes, and large kmallocs that
 * go straight to the page allocator.  Explain mode says why: which size
 * class a kmalloc used, what a cpu slab is, why an empty slab was kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/i18n.h"
#include "kmemsh/slab.h"
#include "kmemsh/compaction.h"
#include "view_int.h"

#define WRAP_COLUMNS 78

/*
 * The text form of a step is built in a buffer and written with one
 * out_write per TB_SIZE bytes: a page step prints a dozen lines of splits or
 * merges, and formatting each through printf cost several times the model
 * step itself.  The frequent lines are assembled from pieces with numbers
 * formatted by hand; rare ones go through tb_printf.  A line never passes
 * TB_LINE bytes (names are short, a zone's at most 64 here; tb_printf
 * clamps).
 */
#define TB_SIZE 16384
#define TB_LINE 1024
/* w_hex() writes 16 bytes for the digits it keeps: the spare at the end */
#define TB_HEX_ROOM 16

struct tb {
	struct out *o;
	const struct machine *m;
	size_t n;
	/* zone and migratetype names with their lengths, looked up once per
	 * step (len 0: not yet) */
	const char *zname[MAX_ZONES_MODEL], *mtname[MAX_MIGRATETYPES];
	uint8_t zlen[MAX_ZONES_MODEL], mtlen[MAX_MIGRATETYPES];
	char buf[TB_SIZE + TB_HEX_ROOM];
};

static void tb_flush(struct tb *t)
{
	if (t->n)
		out_write(t->o, t->buf, t->n);
	t->n = 0;
}

/*
 * A line is written through a cursor w that stays in a register (the
 * W_* macros advance the local `w`): tb_begin makes room for TB_LINE
 * bytes, tb_end records what was written.
 */
static inline char *tb_begin(struct tb *t)
{
	if (t->n > TB_SIZE - TB_LINE)
		tb_flush(t);
	return t->buf + t->n;
}

static inline void tb_end(struct tb *t, char *w)
{
	t->n = (size_t)(w - t->buf);
}

static inline char *w_put(char *w, const char *s, size_t n)
{
	memcpy(w, s, n);
	return w + n;
}

/* %llu */
static inline char *w_dec(char *w, ull u)
{
	if (u < 10000)
		return view_dec4(w, (unsigned)u);
	char d[24];
	size_t i = sizeof d;
	do
		d[--i] = (char)('0' + u % 10);
	while (u /= 10);
	return w_put(w, d + i, sizeof d - i);
}

/* %0*llx (no prefix) with width (at most 16) the least width; 16 bytes
 * of room (the buffer has TB_HEX_ROOM spare past its TB_SIZE) */
static inline char *w_hex(char *w, ull u, int width)
{
	int nd = view_hex_digits(u);
	if (nd < width)
		nd = width;
	return view_hex_at(w, u, nd);
}

/* "  Normal: ", the zone of a change (view_zone_name()) */
static inline char *w_zone(struct tb *t, char *w, int z)
{
	w = w_put(w, "  ", 2);
	if (z < 0 || z >= MAX_ZONES_MODEL) {
		const char *n = view_zone_name(t->m, z);
		w = w_put(w, n, strlen(n));
	} else {
		if (!t->zlen[z]) {
			t->zname[z] = view_zone_name(t->m, z);
			size_t n = strlen(t->zname[z]);
			t->zlen[z] = (uint8_t)(n < 64 ? n : 64);
		}
		w = w_put(w, t->zname[z], t->zlen[z]);
	}
	return w_put(w, ": ", 2);
}

/* a migratetype's name (view_mt_name()) */
static inline char *w_mt(struct tb *t, char *w, int mt)
{
	if (mt < 0 || mt >= MAX_MIGRATETYPES) {
		const char *n = view_mt_name(t->m, mt);
		return w_put(w, n, strlen(n));
	}
	if (!t->mtlen[mt]) {
		t->mtname[mt] = view_mt_name(t->m, mt);
		size_t n = strlen(t->mtname[mt]);
		t->mtlen[mt] = (uint8_t)(n < 64 ? n : 64);
	}
	return w_put(w, t->mtname[mt], t->mtlen[mt]);
}

/* "order-3 block at pfn 0x1000" */
static inline char *w_block(char *w, unsigned order, ull pfn)
{
	w = w_put(w, "order-", 6);
	w = w_dec(w, order);
	w = w_put(w, " block at pfn 0x", 16);
	return w_hex(w, pfn, 1);
}

#define W_LIT(lit) (w = w_put(w, lit, sizeof lit - 1))
#define W_STR(s) (w = w_put(w, (s), strlen(s)))
#define W_DEC(u) (w = w_dec(w, (u)))
#define W_HEX(u) (w = w_hex(w, (u), 1))
#define W_HEX0X(u, width) (W_LIT("0x"), w = w_hex(w, (u), (width)))
#define W_ZONE(z) (w = w_zone(t, w, (z)))
#define W_MT(mt) (w = w_mt(t, w, (mt)))
#define W_BLOCK(order, pfn) (w = w_block(w, (order), (pfn)))

static void tb_printf(struct tb *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_printf(struct tb *t, const char *fmt, ...)
{
	char *w = tb_begin(t);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(w, TB_LINE, fmt, ap);
	va_end(ap);
	if (n > 0)
		tb_end(t, w + ((size_t)n < TB_LINE ? (size_t)n : TB_LINE - 1));
}

static const char *const kind_names[] = {
	[CH_TAKE] = "take", [CH_SPLIT] = "split", [CH_MERGE] = "merge", [CH_PUT] = "put",
	[CH_MOVE] = "move", [CH_RETYPE] = "retype", [CH_FALLBACK] = "fallback",
	[CH_ZONE_SKIP] = "zone_skip", [CH_ZONE_FALLBACK] = "zone_fallback",
	[CH_SLOWPATH] = "slowpath", [CH_ALLOC] = "alloc",
	[CH_FREE] = "free", [CH_WMARKS] = "wmarks", [CH_SLAB_NEW] = "slab_new",
	[CH_SLAB_DISCARD] = "slab_discard", [CH_SLAB_LIST] = "slab_list", [CH_OBJ_ALLOC] = "obj_alloc",
	[CH_OBJ_FREE] = "obj_free", [CH_SLAB_REFILL] = "slab_refill", [CH_LARGE] = "large",
	[CH_PT_ALLOC] = "pt_alloc", [CH_PTE_SET] = "pte_set", [CH_PTE_CLEAR] = "pte_clear",
	[CH_PT_SPLIT] = "pt_split", [CH_TLB_FLUSH] = "tlb_flush", [CH_PT_FREE] = "pt_free",
	[CH_VMAP_CLIP] = "vmap_clip", [CH_VMAP_INSERT] = "vmap_insert", [CH_VMAP_LAZY] = "vmap_lazy",
	[CH_VMAP_PURGE] = "vmap_purge",
	[CH_MIGHT_SLEEP] = "might_sleep",
	[CH_VFREE_DEFER] = "vfree_deferred", [CH_VFREE_WORK] = "vfree_work",
	[CH_VMAP_POOL] = "vmap_pool",
	[CH_COMPACT] = "compact", [CH_EXTFRAG] = "mm_page_alloc_extfrag",
	[CH_PCP_REFILL] = "pcp_refill", [CH_PCP_ALLOC] = "pcp_alloc", [CH_PCP_FREE] = "pcp_free",
	[CH_PCP_DRAIN] = "pcp_drain", [CH_WMARK_BOOST] = "watermark_boost", [CH_HIGHATOMIC] = "highatomic",
};

/* a pcp list's name in the change log: "CPU 0's order-0 Movable pcp list" */
static void pcp_list_name(const struct machine *m, const struct change *c, char *buf, size_t len)
{
	snprintf(buf, len, "CPU %llu's order-%u %s pcp list", (ull)c->val, c->order, view_mt_name(m, c->mt));
}

/* the pcp events (pcp.c); a REFILL or DRAIN pair's inner buddy events are
 * folded into counts by view_changes() when both ends are in the log */
/* "CPU 0's order-0 Unmovable pcp list", as pcp_list_name() */
static inline char *w_pcp_list(struct tb *t, char *w, const struct change *c)
{
	W_LIT("CPU ");
	W_DEC((ull)c->val);
	W_LIT("'s order-");
	W_DEC(c->order);
	W_LIT(" ");
	W_MT(c->mt);
	W_LIT(" pcp list");
	return w;
}

static void pcp_event_line(struct tb *t, const struct machine *m, const struct change *c, unsigned takes,
			   unsigned splits, unsigned merges)
{
	/* the two events of every order-0..3 step, written by hand (a
	 * profile of a scripted page session showed vsnprintf at half its
	 * cost); the rest through tb_printf */
	if (c->kind == CH_PCP_ALLOC || c->kind == CH_PCP_FREE) {
		char *w = tb_begin(t);
		W_ZONE(c->zone);
		if (c->kind == CH_PCP_ALLOC)
			W_LIT("took ");
		else
			W_LIT("put ");
		W_BLOCK(c->order, (ull)c->pfn);
		if (c->kind == CH_PCP_ALLOC)
			W_LIT(" from the ");
		else
			W_LIT(" at the ");
		if (c->tail)
			W_LIT("tail (cold end)");
		else
			W_LIT("head");
		W_LIT(" of ");
		w = w_pcp_list(t, w, c);
		if (c->kind == CH_PCP_FREE) {
			W_LIT(": the CPU holds ");
			W_DEC((ull)c->pfn2);
			W_LIT(" pages, high ");
			W_DEC((ull)c->old);
		}
		W_LIT("\n");
		tb_end(t, w);
		return;
	}
	const char *zn = view_zone_name(m, c->zone);
	char l[96];
	pcp_list_name(m, c, l, sizeof l);
	switch (c->kind) {
	case CH_PCP_REFILL:
		if (!c->order2)
			tb_printf(t, "  %s: rmqueue_bulk: %s is empty: fetch %llu blocks\n", zn, l, (ull)c->pfn2);
		else
			tb_printf(t, "  %s: rmqueue_bulk: %llu order-%u blocks from the buddy lists onto %s "
				  "(%u taken from free lists, %u split off)\n", zn, (ull)c->pfn, c->order, l, takes, splits);
		break;
	case CH_PCP_DRAIN:
		if (!c->order2)
			tb_printf(t, "  %s: free_pcppages_bulk: CPU %llu gives %llu pages back\n", zn, (ull)c->val,
				  (ull)c->pfn2);
		else
			tb_printf(t, "  %s: free_pcppages_bulk: CPU %llu gave %llu pages back to the buddy lists "
				  "(%u merges), %llu left on its pcp lists\n", zn, (ull)c->val, (ull)c->pfn, merges,
				  (ull)c->pfn2);
		break;
	default:
		break;
	}
}

static bool is_pcp_event(enum change_kind k)
{
	return k == CH_PCP_REFILL || k == CH_PCP_ALLOC || k == CH_PCP_FREE || k == CH_PCP_DRAIN;
}

static const char *const migrate_mode_names[] = { "async", "sync_light", "sync" };

static const char *kind_name(enum change_kind k)
{
	if (view_is_reclaim_event(k))
		return view_reclaim_kind_name(k);
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] && kind_names[k] ? kind_names[k] : "?";
}

static const char *const wmark_names[NR_WMARK] = { "min", "low", "high", "promo" };

/* The ALLOC_* flags of the slow path, by their name in each version
 * (mm/internal.h 6.13; mm/page_alloc.c 2.6.32). */
static const struct {
	unsigned bit;
	const char *name_13, *name_32;
} alloc_flag_names[] = {
	{ AF_HIGH, "ALLOC_MIN_RESERVE", "ALLOC_HIGH" },
	{ AF_HARDER, "ALLOC_NON_BLOCK", "ALLOC_HARDER" },
	{ AF_HIGHATOMIC, "ALLOC_HIGHATOMIC", NULL },
	{ AF_NOFRAGMENT, "ALLOC_NOFRAGMENT", NULL },
	{ AF_OOM, "ALLOC_OOM", NULL },
	{ AF_NO_WATERMARKS, "ALLOC_NO_WATERMARKS", "ALLOC_NO_WATERMARKS" },
};

static void alloc_flags_str(const struct machine *m, unsigned af, char *buf, size_t len)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof alloc_flag_names / sizeof alloc_flag_names[0]; i++) {
		const char *n = view_old(m) ? alloc_flag_names[i].name_32 : alloc_flag_names[i].name_13;
		if (!n || !(af & alloc_flag_names[i].bit) || pos >= len)
			continue;
		int w = snprintf(buf + pos, len - pos, "%s%s", pos ? "|" : "", n);
		if (w > 0)
			pos += (size_t)w;
	}
}

/* What a CH_ZONE_SKIP event says, in numbers. */
struct skip_info {
	bool no_block;          /* passed the check but rmqueue found nothing */
	const char *mark_name;
	ull mark, eff, reserve;
	long long free, after;  /* free pages; minus the pages the request needs beyond one
				 * and the highatomic ones it may not count */
	ull highatomic;         /* highatomic pages not counted: the reserve's free ones (6.13) */
	bool whole_reserve;     /* or the whole reserve, free or not (6.1) */
	bool short_of_pages;    /* false: enough pages, but not in big enough blocks */
};

static void skip_info(const struct machine *m, const struct change *c, unsigned af, struct skip_info *s)
{
	memset(s, 0, sizeof *s);
	s->free = c->free;
	if (c->wmark >= NR_WMARK || c->zone >= m->nr_zones) {
		s->no_block = true;
		return;
	}
	s->mark_name = wmark_names[c->wmark];
	s->mark = m->zones[c->zone].wmark[c->wmark];
	s->reserve = (ull)c->need >= s->mark ? (ull)c->need - s->mark : 0;
	s->eff = buddy_effective_min(m, s->mark, af);
	s->highatomic = (ull)c->val;
	s->whole_reserve = buddy_highatomic_unusable_whole_reserve(m);
	s->after = c->free - ((1ll << c->order) - 1) - (long long)c->val;
	s->short_of_pages = s->after <= (long long)(s->eff + s->reserve);
}

/* ---- slab layer events ----------------------------------------------------------
 *
 * slab.c, slub.c and slab_classic.c log: CH_SLAB_NEW / CH_SLAB_DISCARD (pfn,
 * order, pfn2 = slab id, obj = objects; DISCARD: mt = the list it left),
 * CH_SLAB_LIST (mt = from, mt2 = to, enum slab_list), CH_OBJ_ALLOC /
 * CH_OBJ_FREE (obj = index, addr), CH_SLAB_REFILL (obj = count, mt = the
 * direction below; pfn only for a slab -> array move) and CH_LARGE (mt2 = 1
 * alloc, 0 free; addr).  Every slab event is done by the current CPU except
 * the deactivation of other CPUs' cpu slabs when a cache is flushed, which
 * is why only moves onto a cpu slab name their CPU.
 */
enum { REFILL_SLAB_TO_ARRAY, REFILL_SHARED_TO_ARRAY, REFILL_ARRAY_TO_SHARED, REFILL_ARRAY_TO_SLABS };

static const char *const refill_names[] = {
	[REFILL_SLAB_TO_ARRAY] = "slab_to_array", [REFILL_SHARED_TO_ARRAY] = "shared_to_array",
	[REFILL_ARRAY_TO_SHARED] = "array_to_shared", [REFILL_ARRAY_TO_SLABS] = "array_to_slabs",
};

static const char *refill_name(unsigned mt)
{
	return mt < sizeof refill_names / sizeof refill_names[0] ? refill_names[mt] : "?";
}

static bool is_slab_event(enum change_kind k)
{
	return k == CH_SLAB_NEW || k == CH_SLAB_DISCARD || k == CH_SLAB_LIST || k == CH_OBJ_ALLOC ||
	       k == CH_OBJ_FREE || k == CH_SLAB_REFILL || k == CH_LARGE;
}

static unsigned cur_cpu(const struct machine *m)
{
	return machine_this_cpu(m);
}

static bool slub(const struct machine *m)
{
	return m->slab && m->slab->impl == SLAB_IMPL_SLUB;
}

static const struct kmem_cache *event_cache(const struct machine *m, const struct change *c)
{
	return m->slab && c->cache < m->slab->nr_caches ? &m->slab->caches[c->cache] : NULL;
}

/* "the partial list", "the cpu slab of CPU 0", "no list" */
static void list_phrase(const struct machine *m, int list, bool to, char *buf, size_t len)
{
	if (list == SL_CPU && to)
		snprintf(buf, len, "the cpu slab of CPU %u", cur_cpu(m));
	else if (list == SL_CPU)
		snprintf(buf, len, "a cpu slab");
	else if (list == SL_CPU_PARTIAL && to)
		snprintf(buf, len, "CPU %u's partial list", cur_cpu(m));
	else if (list == SL_CPU_PARTIAL)
		snprintf(buf, len, "a cpu partial list");
	else if (list == SL_NONE)
		snprintf(buf, len, "no list");
	else
		snprintf(buf, len, "the %s list", view_slab_list_name(list));
}

/* The requested size of the object a CH_OBJ_ALLOC handed out, if it is
 * still allocated now (0 when unknown). */
static size_t requested_now(const struct machine *m, const struct change *c)
{
	struct object_info oi;
	slab_object_info(m, c->addr, &oi);
	if (!oi.found || oi.large || !oi.allocated || oi.index != c->obj || (uint32_t)oi.cache != c->cache)
		return 0;
	return oi.requested;
}

/* The size a large kmalloc asked for, if the block is still allocated. */
static size_t large_size_now(const struct machine *m, const struct change *c)
{
	struct object_info oi;
	slab_object_info(m, c->addr, &oi);
	return oi.found && oi.large && oi.slab_pfn == c->pfn ? oi.large_size : 0;
}

/* SLOB has pages of 2-byte units, not slabs of objects */
static bool slob_event_line(struct tb *t, const struct machine *m, const struct change *c)
{
	if (!m->slab || m->slab->impl != SLAB_IMPL_SLOB)
		return false;
	const char *cn = c->cache < m->slab->nr_caches ? m->slab->caches[c->cache].name : "kmalloc";
	switch (c->kind) {
	case CH_SLAB_NEW:
		tb_printf(t, "  slob: new page at pfn 0x%llx (%u free units of 2 bytes) from the buddy allocator, "
			   "at the head of its list\n", (ull)c->pfn, c->obj);
		return true;
	case CH_SLAB_DISCARD:
		tb_printf(t, "  slob: page at pfn 0x%llx is entirely free: given back to the buddy allocator\n",
			   (ull)c->pfn);
		return true;
	case CH_OBJ_ALLOC:
	case CH_OBJ_FREE:
		tb_printf(t, "  slob: %s %s block at unit %u (0x%llx) of the page at pfn 0x%llx\n", cn,
			   c->kind == CH_OBJ_ALLOC ? "took the first fitting free" : "freed the", c->obj,
			   (ull)c->addr, (ull)c->pfn);
		return true;
	default:
		return false;
	}
}

static void slab_event_line(struct tb *t, const struct machine *m, const struct change *c)
{
	const char *cn = view_cache_name(m, c->cache);
	char a[64], b[64];

	if (slob_event_line(t, m, c))
		return;
	switch (c->kind) {
	case CH_SLAB_NEW:
		tb_printf(t, "  %s: new slab: order-%u block at pfn 0x%llx (%u object%s) from the buddy allocator\n",
			   cn, c->order, (ull)c->pfn, c->obj, c->obj == 1 ? "" : "s");
		break;
	case CH_SLAB_DISCARD:
		tb_printf(t, "  %s: empty slab at pfn 0x%llx (order-%u, %u object%s) given back to the buddy "
			   "allocator\n", cn, (ull)c->pfn, c->order, c->obj, c->obj == 1 ? "" : "s");
		break;
	case CH_SLAB_LIST:
		list_phrase(m, c->mt, false, a, sizeof a);
		list_phrase(m, c->mt2, true, b, sizeof b);
		if (c->mt == SL_CPU && c->mt2 == SL_NONE)
			tb_printf(t, "  %s: slab at pfn 0x%llx is no longer a cpu slab (deactivated)\n", cn, (ull)c->pfn);
		else if (c->mt == SL_NONE && c->mt2 == SL_CPU)
			tb_printf(t, "  %s: slab at pfn 0x%llx became %s\n", cn, (ull)c->pfn, b);
		else if (c->mt == SL_NONE)
			tb_printf(t, "  %s: slab at pfn 0x%llx put on %s\n", cn, (ull)c->pfn, b);
		else
			tb_printf(t, "  %s: slab at pfn 0x%llx moved from %s to %s\n", cn, (ull)c->pfn, a, b);
		break;
	case CH_OBJ_ALLOC:
	case CH_OBJ_FREE: {
		char *w = tb_begin(t);
		W_LIT("  ");
		W_STR(cn);
		W_LIT(": ");
		if (c->kind == CH_OBJ_ALLOC)
			W_LIT("allocated object ");
		else
			W_LIT("freed object ");
		W_DEC(c->obj);
		W_LIT(" (0x");
		W_HEX((ull)c->addr);
		W_LIT(") of the slab at pfn 0x");
		W_HEX((ull)c->pfn);
		W_LIT("\n");
		tb_end(t, w);
		break;
	}
	case CH_SLAB_REFILL: {
		const char *pl = c->obj == 1 ? "" : "s";
		switch (c->mt) {
		case REFILL_SLAB_TO_ARRAY:
			tb_printf(t, "  %s: refill: %u object%s from the slab at pfn 0x%llx to CPU %u's array cache\n",
				   cn, c->obj, pl, (ull)c->pfn, cur_cpu(m));
			break;
		case REFILL_SHARED_TO_ARRAY:
			tb_printf(t, "  %s: refill: %u object%s from the shared array to CPU %u's array cache\n", cn,
				   c->obj, pl, cur_cpu(m));
			break;
		case REFILL_ARRAY_TO_SHARED:
			tb_printf(t, "  %s: flush: %u object%s from CPU %u's array cache to the shared array\n", cn,
				   c->obj, pl, cur_cpu(m));
			break;
		default:
			tb_printf(t, "  %s: flush: %u object%s from CPU %u's array cache back to their slabs\n", cn,
				   c->obj, pl, cur_cpu(m));
			break;
		}
		break;
	}
	case CH_LARGE: {
		ull bytes = (1ull << c->order) << m->arch->page_shift;
		if (c->mt2 != 1) {
			tb_printf(t, "  kfree: order-%u block at pfn 0x%llx (%llu bytes) given back to the page "
				   "allocator\n", c->order, (ull)c->pfn, bytes);
			break;
		}
		size_t req = large_size_now(m, c);
		if (req)
			tb_printf(t, "  kmalloc: %zu bytes from the page allocator: order-%u block at pfn 0x%llx\n", req,
				   c->order, (ull)c->pfn);
		else
			tb_printf(t, "  kmalloc: %llu bytes from the page allocator: order-%u block at pfn 0x%llx\n",
				   bytes, c->order, (ull)c->pfn);
		break;
	}
	default:
		break;
	}
}

static void slab_event_json(struct out *o, const struct machine *m, const struct change *c, bool *f)
{
	if (c->kind != CH_LARGE) {
		view_json_key(o, f, "cache");
		out_json_str(o, view_cache_name(m, c->cache));
	}
	if (c->kind != CH_SLAB_REFILL || c->mt == REFILL_SLAB_TO_ARRAY) {
		view_json_key(o, f, "zone");
		out_json_str(o, view_zone_name(m, c->zone));
		view_json_key(o, f, "pfn");
		view_json_hex(o, c->pfn);
		if (c->kind != CH_SLAB_REFILL)
			out_printf(o, ",\"order\":%u", c->order);
	}
	switch (c->kind) {
	case CH_SLAB_NEW:
		out_printf(o, ",\"objects\":%u", c->obj);
		break;
	case CH_SLAB_DISCARD:
		out_printf(o, ",\"objects\":%u,\"from\":\"%s\"", c->obj, view_slab_list_name(c->mt));
		break;
	case CH_SLAB_LIST:
		out_printf(o, ",\"from\":\"%s\",\"to\":\"%s\"", view_slab_list_name(c->mt), view_slab_list_name(c->mt2));
		if (c->mt2 == SL_CPU)
			out_printf(o, ",\"cpu\":%u", cur_cpu(m));
		break;
	case CH_OBJ_ALLOC:
	case CH_OBJ_FREE:
		out_printf(o, ",\"index\":%u,\"addr\":", c->obj);
		view_json_hex(o, c->addr);
		if (c->kind == CH_OBJ_ALLOC) {
			size_t req = requested_now(m, c);
			if (req)
				out_printf(o, ",\"requested\":%zu", req);
		}
		break;
	case CH_SLAB_REFILL:
		out_printf(o, ",\"direction\":\"%s\",\"objects\":%u,\"cpu\":%u", refill_name(c->mt), c->obj, cur_cpu(m));
		break;
	case CH_LARGE: {
		out_printf(o, ",\"action\":\"%s\",\"addr\":", c->mt2 == 1 ? "alloc" : "free");
		view_json_hex(o, c->addr);
		size_t req = c->mt2 == 1 ? large_size_now(m, c) : 0;
		if (req)
			out_printf(o, ",\"requested\":%zu", req);
		break;
	}
	default:
		break;
	}
}

/* ---- one line per event ------------------------------------------------------ */

static void mark_text(char *buf, size_t len, const struct machine *m, const struct skip_info *s, unsigned af)
{
	if (s->eff == s->mark) {
		snprintf(buf, len, "%s %llu", s->mark_name, s->mark);
		return;
	}
	char flags[96];
	alloc_flags_str(m, af, flags, sizeof flags);
	snprintf(buf, len, "%s %llu (lowered from %llu by %s)", s->mark_name, s->eff, s->mark, flags);
}

/* one event's line; true when it was a page-table event (view_is_pt_event()) */
static bool event_line(struct tb *t, const struct machine *m, const struct change *c, unsigned af)
{
	char buf[160];
	char *w;

	switch (c->kind) {
	case CH_TAKE:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("took ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT(" from the ");
		W_MT(c->mt);
		W_LIT(" list\n");
		tb_end(t, w);
		break;
	case CH_SPLIT:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("split ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT(": upper half 0x");
		W_HEX((ull)c->pfn2);
		W_LIT(" -> order-");
		W_DEC(c->order2);
		W_LIT(" ");
		W_MT(c->mt);
		if (c->tail)
			W_LIT(" list (tail)\n");
		else
			W_LIT(" list (head)\n");
		tb_end(t, w);
		break;
	case CH_MERGE:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("merged pfn 0x");
		W_HEX((ull)c->pfn);
		W_LIT(" with its buddy 0x");
		W_HEX((ull)c->pfn2);
		W_LIT(" -> order ");
		W_DEC(c->order2);
		W_LIT("\n");
		tb_end(t, w);
		break;
	case CH_PUT:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("put ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT(" on the ");
		W_MT(c->mt);
		if (c->tail)
			W_LIT(" list (tail)\n");
		else
			W_LIT(" list (head)\n");
		tb_end(t, w);
		break;
	case CH_MOVE:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("moved free ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT(" from the ");
		W_MT(c->mt);
		W_LIT(" list to the ");
		W_MT(c->mt2);
		W_LIT(" list\n");
		tb_end(t, w);
		break;
	case CH_RETYPE:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("pageblock at pfn 0x");
		W_HEX((ull)c->pfn);
		W_LIT(" retyped ");
		W_MT(c->mt);
		W_LIT(" -> ");
		W_MT(c->mt2);
		W_LIT("\n");
		tb_end(t, w);
		break;
	case CH_HIGHATOMIC:
		/* "  DMA32: reserve_highatomic_pageblock(): pageblock at pfn
		 * 0x2800 Unmovable -> HighAtomic (512 pages), nr_reserved_highatomic
		 * 512 (limit 1024)" */
		if (!c->tail)
			tb_printf(t, "  %s: reserve_highatomic_pageblock(): pageblock at pfn 0x%llx %s -> %s (%llu pages), "
				  "nr_reserved_highatomic %llu (limit %llu)\n", view_zone_name(m, c->zone), (ull)c->pfn,
				  view_mt_name(m, c->mt), view_mt_name(m, c->mt2), (ull)c->pfn2, (ull)c->val, (ull)c->old);
		else
			tb_printf(t, "  %s: unreserve_highatomic_pageblock(%s): pageblock at pfn 0x%llx %s -> %s (%llu pages), "
				  "nr_reserved_highatomic %llu\n", view_zone_name(m, c->zone), c->order2 ? "force" : "no force",
				  (ull)c->pfn, view_mt_name(m, c->mt), view_mt_name(m, c->mt2), (ull)c->pfn2, (ull)c->val);
		break;
	case CH_FALLBACK:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("fallback: ");
		W_MT(c->mt);
		W_LIT(" request took an order-");
		W_DEC(c->order);
		W_LIT(" ");
		W_MT(c->mt2);
		W_LIT(" block at pfn 0x");
		W_HEX((ull)c->pfn);
		W_LIT("\n");
		tb_end(t, w);
		break;
	case CH_ZONE_SKIP: {
		const char *zn = view_zone_name(m, c->zone);
		struct skip_info s;
		skip_info(m, c, af, &s);
		if (s.no_block) {
			tb_printf(t, "  %s: no free block of order %u or more on a list it may use\n", zn, c->order);
			break;
		}
		mark_text(buf, sizeof buf, m, &s, af);
		/* "free 446" or, with a highatomic reserve the request may not
		 * use, "free 446 - 287 highatomic" (6.13: its free pages) or
		 * "free 464 - 512 reserved_highatomic" (6.1: all of it) */
		char fr[64];
		if (s.highatomic)
			snprintf(fr, sizeof fr, "free %lld - %llu %s", s.free, s.highatomic,
				 s.whole_reserve ? "reserved_highatomic" : "highatomic");
		else
			snprintf(fr, sizeof fr, "free %lld", s.free);
		if (c->order == 0)
			tb_printf(t, "  %s: watermark check failed: %s <= %s + lowmem_reserve %llu\n", zn,
				  fr, buf, s.reserve);
		else if (s.short_of_pages)
			tb_printf(t, "  %s: watermark check failed: %s - %llu for order %u <= %s + "
				  "lowmem_reserve %llu\n", zn, fr, (1ull << c->order) - 1, c->order, buf, s.reserve);
		else
			tb_printf(t, "  %s: watermark check failed: %s is above %s + lowmem_reserve %llu "
				  "but not in blocks of order %u or more\n", zn, fr, buf, s.reserve, c->order);
		break;
	}
	case CH_ZONE_FALLBACK:
		tb_printf(t, "  %s: moving on to the next zone in the zonelist\n", view_zone_name(m, c->zone));
		break;
	case CH_SLOWPATH:
		/* AF_OOM with AF_NO_WATERMARKS: 2.6.32's TIF_MEMDIE victim (slowpath.c) */
		if ((c->mt & AF_NO_WATERMARKS) && !(c->mt & AF_OOM)) {
			tb_printf(t, "  slow path: retrying with no watermark at all (ALLOC_NO_WATERMARKS: "
				  "__GFP_MEMALLOC or a PF_MEMALLOC task)\n");
			break;
		}
		alloc_flags_str(m, c->mt, buf, sizeof buf);
		if (c->mt & AF_NO_WATERMARKS)
			tb_printf(t, "  slow path: retrying without watermarks (%s)\n", buf);
		else
			tb_printf(t, "  slow path: retrying with the min watermark%s%s%s\n", *buf ? " (" : "", buf,
				  *buf ? ")" : "");
		break;
	case CH_ALLOC:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("allocated ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT(" (");
		W_MT(c->mt);
		W_LIT(")\n");
		tb_end(t, w);
		break;
	case CH_FREE:
		w = tb_begin(t);
		W_ZONE(c->zone);
		W_LIT("freeing ");
		W_BLOCK(c->order, (ull)c->pfn);
		W_LIT("\n");
		tb_end(t, w);
		break;
	case CH_WMARKS:
		w = tb_begin(t);
		W_LIT("  watermarks recomputed\n");
		tb_end(t, w);
		break;
	/* the frequent ones of the default's families, without its tests */
	case CH_PCP_ALLOC:
	case CH_PCP_FREE:
		pcp_event_line(t, m, c, 0, 0, 0);
		break;
	case CH_OBJ_ALLOC:
	case CH_OBJ_FREE:
		slab_event_line(t, m, c);
		break;
	default:
		if (is_slab_event(c->kind)) {
			slab_event_line(t, m, c);
		} else if (view_is_pt_event(c->kind)) {
			tb_flush(t);
			view_pt_event_line(t->o, m, c);
			return true;
		} else if (view_is_reclaim_event(c->kind)) {
			tb_flush(t);
			view_reclaim_event_line(t->o, m, c);
		} else if (is_pcp_event(c->kind)) {
			pcp_event_line(t, m, c, 0, 0, 0);
		} else if (c->kind == CH_EXTFRAG) {
			/* include/trace/events/kmem.h mm_page_alloc_extfrag's TP_printk */
			tb_printf(t, "  %s: mm_page_alloc_extfrag: page=%0*llx pfn=0x%llx alloc_order=%u fallback_order=%u "
				  "pageblock_order=%u alloc_migratetype=%u fallback_migratetype=%u fragmenting=%d "
				  "change_ownership=%d\n", view_zone_name(m, c->zone), (int)(m->arch->bits / 4),
				  (ull)machine_page_ptr(m, c->pfn),
				  (ull)c->pfn, c->order, c->order2, m->pageblock_order, c->mt, c->mt2,
				  c->order2 < m->pageblock_order, c->tail ? 1 : 0);
		} else if (c->kind == CH_WMARK_BOOST) {
			tb_printf(t, "  %s: watermark boost %llu -> %llu pages (max %llu) after a fragmenting fallback "
				  "(%s request, %s pageblock)\n", view_zone_name(m, c->zone), (ull)c->old, (ull)c->val,
				  (ull)c->pfn2, view_mt_name(m, c->mt), view_mt_name(m, c->mt2));
		} else if (c->kind == CH_COMPACT) {
			tb_printf(t, "  %s: compaction (%s%.0u, %s): %llu pages migrated%s, scanned %llu (migrate) "
				  "and %llu (free): %s\n", view_zone_name(m, c->zone),
				  c->order2 ? "direct, order " : "compact_memory", c->order2 ? c->order2 - 1u : 0u,
				  migrate_mode_names[c->order < 3 ? c->order : 2], (ull)c->pfn,
				  c->pfn2 ? ", some could not move" : "", (ull)c->val, (ull)c->old,
				  compact_result_name((enum compact_result)c->mt));
		} else if (c->kind == CH_MIGHT_SLEEP) {
			tb_printf(t, "  context: this may sleep, in atomic context (preempt_count %#llx%s%s): %s\n",
				  (ull)c->val, c->old ? ", irqs off" : "", c->mt ? ", in an RCU read-side section" : "",
				  c->order ? "BUG report in dmesg" : "no report: the kernel prints it at most once a second");
		} else {
			tb_printf(t, "  (event %d)\n", (int)c->kind);
		}
		break;
	}
	return false;
}

static void event_json(struct out *o, const struct machine *m, const struct change *c, unsigned af)
{
	bool f = true;
	char buf[96];

	out_puts(o, "{");
	view_json_key(o, &f, "kind");
	out_json_str(o, kind_name(c->kind));
	if (is_slab_event(c->kind)) {
		slab_event_json(o, m, c, &f);
		out_puts(o, "}");
		return;
	}
	if (view_is_pt_event(c->kind)) {
		view_pt_event_json(o, m, c, &f);
		out_puts(o, "}");
		return;
	}
	if (view_is_reclaim_event(c->kind)) {
		view_reclaim_event_json(o, m, c, &f);
		out_puts(o, "}");
		return;
	}
	if (c->kind == CH_MIGHT_SLEEP) {
		out_printf(o, ",\"preempt_count\":\"%#llx\",\"irqs_disabled\":%s,\"rcu_depth\":%u,\"reported\":%s}",
			   (ull)c->val, c->old ? "true" : "false", c->mt, c->order ? "true" : "false");
		return;
	}
	if (c->kind != CH_SLOWPATH && c->kind != CH_WMARKS) {
		view_json_key(o, &f, "zone");
		out_json_str(o, view_zone_name(m, c->zone));
	}
	switch (c->kind) {
	case CH_PCP_ALLOC: case CH_PCP_FREE:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"order\":%u,\"migratetype\":", c->order);
		out_json_str(o, view_mt_name(m, c->mt));
		out_printf(o, ",\"cpu\":%llu,\"tail\":%s", (ull)c->val, c->tail ? "true" : "false");
		if (c->kind == CH_PCP_FREE)
			out_printf(o, ",\"count\":%llu,\"high\":%llu", (ull)c->pfn2, (ull)c->old);
		break;
	case CH_PCP_REFILL:
		out_printf(o, ",\"phase\":\"%s\",\"cpu\":%llu,\"order\":%u,\"migratetype\":", c->order2 ? "end" : "begin",
			   (ull)c->val, c->order);
		out_json_str(o, view_mt_name(m, c->mt));
		out_printf(o, ",\"batch\":%llu", (ull)c->pfn2);
		if (c->order2)
			out_printf(o, ",\"taken\":%llu", (ull)c->pfn);
		break;
	case CH_PCP_DRAIN:
		out_printf(o, ",\"phase\":\"%s\",\"cpu\":%llu", c->order2 ? "end" : "begin", (ull)c->val);
		if (c->order2)
			out_printf(o, ",\"freed\":%llu,\"count\":%llu", (ull)c->pfn, (ull)c->pfn2);
		else
			out_printf(o, ",\"to_free\":%llu", (ull)c->pfn2);
		break;
	case CH_TAKE: case CH_ALLOC: case CH_FREE: case CH_PUT: case CH_SPLIT:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"order\":%u,\"migratetype\":", c->order);
		out_json_str(o, view_mt_name(m, c->mt));
		if (c->kind == CH_SPLIT) {
			out_puts(o, ",\"upper_half\":");
			view_json_hex(o, c->pfn2);
			out_printf(o, ",\"order2\":%u", c->order2);
		}
		if (c->kind == CH_SPLIT || c->kind == CH_PUT)
			out_printf(o, ",\"tail\":%s", c->tail ? "true" : "false");
		break;
	case CH_MERGE:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_puts(o, ",\"buddy\":");
		view_json_hex(o, c->pfn2);
		out_printf(o, ",\"order\":%u,\"order2\":%u", c->order, c->order2);
		break;
	case CH_MOVE: case CH_RETYPE:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		if (c->kind == CH_MOVE)
			out_printf(o, ",\"order\":%u", c->order);
		out_puts(o, ",\"from\":");
		out_json_str(o, view_mt_name(m, c->mt));
		out_puts(o, ",\"to\":");
		out_json_str(o, view_mt_name(m, c->mt2));
		break;
	case CH_HIGHATOMIC:
		out_printf(o, ",\"action\":\"%s\"", c->tail ? "unreserve" : "reserve");
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"pages\":%llu,\"order\":%u,\"from\":", (ull)c->pfn2, c->order);
		out_json_str(o, view_mt_name(m, c->mt));
		out_puts(o, ",\"to\":");
		out_json_str(o, view_mt_name(m, c->mt2));
		out_printf(o, ",\"nr_reserved_highatomic\":%llu", (ull)c->val);
		if (c->tail)
			out_printf(o, ",\"force\":%s", c->order2 ? "true" : "false");
		else
			out_printf(o, ",\"limit\":%llu", (ull)c->old);
		break;
	case CH_FALLBACK:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"order\":%u,\"request_order\":%u,\"request_migratetype\":", c->order, c->order2);
		out_json_str(o, view_mt_name(m, c->mt));
		out_puts(o, ",\"fallback_migratetype\":");
		out_json_str(o, view_mt_name(m, c->mt2));
		break;
	case CH_ZONE_SKIP: {
		struct skip_info s;
		skip_info(m, c, af, &s);
		out_printf(o, ",\"order\":%u,\"free\":%lld", c->order, (long long)c->free);
		if (s.highatomic)
			out_printf(o, ",\"%s\":%llu", s.whole_reserve ? "reserved_highatomic" : "highatomic",
				   s.highatomic);
		if (s.no_block) {
			out_puts(o, ",\"reason\":\"no_block\"");
		} else {
			out_printf(o, ",\"reason\":\"watermark\",\"watermark\":\"%s\",\"mark\":%llu,"
				   "\"effective_mark\":%llu,\"lowmem_reserve\":%llu",
				   s.mark_name, s.mark, s.eff, s.reserve);
		}
		break;
	}
	case CH_SLOWPATH:
		alloc_flags_str(m, c->mt, buf, sizeof buf);
		out_printf(o, ",\"order\":%u,\"alloc_flags\":", c->order);
		out_json_str(o, buf);
		break;
	case CH_EXTFRAG:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"alloc_order\":%u,\"fallback_order\":%u,\"pageblock_order\":%u,"
			   "\"alloc_migratetype\":%u,\"fallback_migratetype\":%u,\"fragmenting\":%s,"
			   "\"change_ownership\":%s", c->order, c->order2, m->pageblock_order, c->mt, c->mt2,
			   c->order2 < m->pageblock_order ? "true" : "false", c->tail ? "true" : "false");
		break;
	case CH_WMARK_BOOST:
		view_json_key(o, &f, "pfn");
		view_json_hex(o, c->pfn);
		out_printf(o, ",\"boost_before\":%llu,\"boost\":%llu,\"max_boost\":%llu,\"request_migratetype\":",
			   (ull)c->old, (ull)c->val, (ull)c->pfn2);
		out_json_str(o, view_mt_name(m, c->mt));
		out_puts(o, ",\"pageblock_migratetype\":");
		out_json_str(o, view_mt_name(m, c->mt2));
		break;
	case CH_COMPACT:
		out_printf(o, ",\"order\":%d,\"mode\":\"%s\",\"result\":\"%s\",\"migrated\":%llu,\"failed\":%llu,"
			   "\"migrate_scanned\":%llu,\"free_scanned\":%llu", (int)c->order2 - 1,
			   migrate_mode_names[c->order < 3 ? c->order : 2], compact_result_name((enum compact_result)c->mt),
			   (ull)c->pfn, (ull)c->pfn2, (ull)c->val, (ull)c->old);
		break;
	default:
		break;
	}
	out_puts(o, "}");
}

/* ---- explain: sentences ------------------------------------------------------------ */

struct sb {
	char buf[1536];
	size_t n;
};

static void sb_printf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sb *s, const char *fmt, ...)
{
	if (s->n >= sizeof s->buf - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(s->buf + s->n, sizeof s->buf - s->n, _(fmt), ap);  /* fmt: a msgid */
	va_end(ap);
	if (w > 0)
		s->n += (size_t)w < sizeof s->buf - s->n ? (size_t)w : sizeof s->buf - s->n - 1;
}

/* Print a paragraph wrapped at WRAP_COLUMNS, indented two spaces; in JSON
 * mode it becomes one string of the "explanation" array. */
static void emit(struct out *o, bool *first, const struct sb *s)
{
	if (o->json) {
		if (!*first)
			out_puts(o, ",");
		out_json_str(o, s->buf);
		*first = false;
		return;
	}
	const char *p = s->buf;
	while (*p) {
		size_t room = WRAP_COLUMNS - 2, cut = view_wrap_cut(p, room);
		if (cut == 0) {
			cut = room;
			while (p[cut] && p[cut] != ' ' && !((unsigned char)p[cut] & 0x80))
				cut++;
			while (cut > 1 && ((unsigned char)p[cut] & 0xc0) == 0x80)
				cut--;  /* not inside a UTF-8 character (translations) */
		}
		out_printf(o, "  %.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

static const char *times_word(unsigned k, char *buf, size_t len)
{
	static const char *const words[] = { N_("no times"), N_("once"), N_("twice"), N_("three times"), N_("four times"),
		N_("five times"), N_("six times"), N_("seven times"), N_("eight times"), N_("nine times"), N_("ten times") };
	if (k < sizeof words / sizeof words[0])
		return _(words[k]);
	snprintf(buf, len, _("%u times"), k);
	return buf;
}

static size_t explain_take(const struct machine *m, const struct change *v, size_t i, size_t n,
			   bool after_fallback, struct sb *s)
{
	const struct change *t = &v[i];
	const char *zn = view_zone_name(m, t->zone);
	size_t j = i + 1;
	unsigned k = 0, retyped = 0;
	/* the splits of this block, with the pageblock retypes of a
	 * fallback that took the whole block interleaved */
	while (j < n && (v[j].kind == CH_SPLIT || v[j].kind == CH_RETYPE) && v[j].zone == t->zone) {
		if (v[j].kind == CH_SPLIT)
			k++;
		else
			retyped++;
		j++;
	}
	unsigned want = t->order >= k ? t->order - k : 0;
	char tw[24];

	if ((int)t->mt == m->kp->mt_highatomic)
		sb_printf(s, "This block came from the highatomic reserve: rmqueue_buddy() tries the HighAtomic "
			  "lists first for a high-order atomic request, and last, when all else failed, for any "
			  "request that may not sleep. ");

	if (retyped) {
		const struct change *r = &v[i];
		for (size_t q = i + 1; q < j; q++)
			if (v[q].kind == CH_RETYPE) {
				r = &v[q];
				break;
			}
		sb_printf(s, "It took ownership of the whole block: %u pageblock%s retyped from %s to %s (pfn",
			  retyped, retyped == 1 ? " was" : "s were", view_mt_name(m, r->mt), view_mt_name(m, r->mt2));
		bool firstp = true;
		for (size_t q = i + 1; q < j; q++)
			if (v[q].kind == CH_RETYPE) {
				sb_printf(s, "%s 0x%llx", firstp ? "" : ",", (ull)v[q].pfn);
				firstp = false;
			}
		sb_printf(s, "), so pages freed there later go back to the %s lists. ", view_mt_name(m, r->mt2));
	}
	if (k == 0) {
		sb_printf(s, "%s the order-%u block at pfn 0x%llx off %s's %s free list: exactly the size asked for, "
			  "so nothing had to be split.", after_fallback ? _("It took") : _("The buddy allocator took"),
			  t->order, (ull)t->pfn, zn, view_mt_name(m, t->mt));
		return j;
	}
	if (after_fallback)
		sb_printf(s, "It took the order-%u block at pfn 0x%llx off the %s list and split it in half %s",
			  t->order, (ull)t->pfn, view_mt_name(m, t->mt), times_word(k, tw, sizeof tw));
	else
		sb_printf(s, "The buddy allocator looked for a free block of order %u in %s's %s list, found none "
			  "below order %u, so it split the order-%u block at pfn 0x%llx in half %s", want, zn,
			  view_mt_name(m, t->mt), t->order, t->order, (ull)t->pfn, times_word(k, tw, sizeof tw));
	sb_printf(s, ", keeping the lower half each time and putting each upper half on the free list one order "
		  "down (expand()):");
	bool firsts = true;
	for (size_t q = i + 1; q < j; q++) {
		if (v[q].kind != CH_SPLIT)
			continue;
		sb_printf(s, "%s pfn 0x%llx to order %u", firsts ? "" : ",", (ull)v[q].pfn2, v[q].order2);
		firsts = false;
	}
	sb_printf(s, ".");
	return j;
}

/* boost_watermark(): the boost a fragmenting fallback added */
static void explain_boost(const struct machine *m, const struct change *c, struct sb *s)
{
	sb_printf(s, "The request (%s) took only part of a pageblock of type %s, mixing types there, so the "
		  "allocator boosted %s's watermarks (boost_watermark()): min, low and high each rose by %llu "
		  "pages (the boost is now %llu pages; at most %llu, the larger of a pageblock and the high "
		  "watermark times vm.watermark_boost_factor/10000). With __GFP_KSWAPD_RECLAIM kswapd is woken "
		  "to reclaim that much, so that later requests find free pages of their own type instead of "
		  "falling back again.", view_mt_name(m, c->mt), view_mt_name(m, c->mt2),
		  view_zone_name(m, c->zone), (ull)(c->val - c->old), (ull)c->val, (ull)c->pfn2);
}

static size_t explain_merges(const struct machine *m, const struct change *v, size_t i, size_t n, struct sb *s)
{
	size_t j = i;
	while (j < n && v[j].kind == CH_MERGE)
		j++;
	const struct change *put = j < n && v[j].kind == CH_PUT ? &v[j] : NULL;
	size_t merges = j - i;

	if (merges) {
		sb_printf(s, "Its buddy was free, so the two merged (a block's buddy is the block with bit "
			  "`order` of its pfn flipped):");
		for (size_t q = i; q < j; q++)
			sb_printf(s, "%s pfn 0x%llx with 0x%llx into order %u", q == i ? "" : ",", (ull)v[q].pfn,
				  (ull)v[q].pfn2, v[q].order2);
		sb_printf(s, ".");
	}
	if (!put)
		return j;
	const char *zn = view_zone_name(m, put->zone);
	if (put->order >= MAX_ORDER_MODEL)
		sb_printf(s, "%sAn order-%u block is the largest the buddy allocator keeps, so ", merges ? " " : "",
			  put->order);
	else
		sb_printf(s, "%sIts buddy at pfn 0x%llx is not a free order-%u block, so merging stopped and ",
			  merges ? " " : "", (ull)(put->pfn ^ (1ull << put->order)), put->order);
	sb_printf(s, "the order-%u block at pfn 0x%llx went to the %s of %s's %s list", put->order, (ull)put->pfn,
		  put->tail ? _("tail") : _("head"), zn, view_mt_name(m, put->mt));
	if (put->tail)
		sb_printf(s, " (the tail, because its buddy one order up is free too and they are likely to "
			  "merge soon, so it should not be handed out first)");
	sb_printf(s, ".");
	return j + 1;
}

/* ---- explain: the slab layer -------------------------------------------------------- */

static bool same_slab(const struct change *a, const struct change *b)
{
	return a->pfn2 == b->pfn2 && a->pfn == b->pfn;
}

/* "1 page" / "4 pages, 16 KiB" */
static const char *pages_text(const struct machine *m, unsigned order, char *buf, size_t len)
{
	ull pages = 1ull << order, kib = pages << (m->arch->page_shift - 10);
	snprintf(buf, len, _("%llu page%s, %llu KiB"), pages, pages == 1 ? "" : "s", kib);
	return buf;
}

/* The next smaller kmalloc class of the same kind (same flags), or NULL. */
static const struct kmem_cache *smaller_class(const struct machine *m, const struct kmem_cache *k)
{
	const struct kmem_cache *best = NULL;
	for (uint32_t i = 0; i < m->slab->nr_caches; i++) {
		const struct kmem_cache *c = &m->slab->caches[i];
		if (c->live && c->kmalloc && c->flags == k->flags && c->g.object_size < k->g.object_size &&
		    (!best || c->g.object_size > best->g.object_size))
			best = c;
	}
	return best;
}

/* The largest kmalloc cache's object size (what a large kmalloc is above). */
static unsigned largest_class(const struct machine *m)
{
	unsigned max = 0;
	for (uint32_t i = 0; m->slab && i < m->slab->nr_caches; i++)
		if (m->slab->caches[i].kmalloc && m->slab->caches[i].g.object_size > max)
			max = m->slab->caches[i].g.object_size;
	return max;
}

static void explain_obj_alloc(const struct machine *m, const struct change *c, const struct kmem_cache *k,
			      struct sb *s)
{
	size_t req = requested_now(m, c);
	if (k->kmalloc && req && req < k->g.object_size) {
		const struct kmem_cache *lo = smaller_class(m, k);
		sb_printf(s, "No kmalloc cache has objects of exactly %zu bytes: kmalloc() uses the smallest size "
			  "class that holds the request, so kmalloc(%zu) came from %s", req, req, k->name);
		if (lo)
			sb_printf(s, " (%s, the class below, holds only %u bytes)", lo->name, lo->g.object_size);
		sb_printf(s, " and %zu of the object's %u bytes go unused (ksize() reports %u). ", k->g.object_size - req,
			  k->g.object_size, slub(m) ? k->g.object_size : k->g.size);
	} else if (k->kmalloc && req) {
		sb_printf(s, "kmalloc(%zu) fits the %u-byte objects of %s exactly. ", req, k->g.object_size, k->name);
	}
	if (slub(m))
		sb_printf(s, "%s handed out object %u (0x%llx) of the slab at pfn 0x%llx, the first object on the "
			  "freelist of CPU %u's cpu slab: no lock and no page allocation on this path.", k->name,
			  c->obj, (ull)c->addr, (ull)c->pfn, cur_cpu(m));
	else
		sb_printf(s, "%s handed out object %u (0x%llx) of the slab at pfn 0x%llx, popped off CPU %u's "
			  "array cache (a stack of free objects, last freed first out, so it is likely still in "
			  "the CPU's cache).", k->name, c->obj, (ull)c->addr, (ull)c->pfn, cur_cpu(m));
}

static void explain_obj_free(const struct machine *m, const struct change *v, size_t i, size_t n,
			     const struct kmem_cache *k, struct sb *s)
{
	const struct change *c = &v[i];
	sb_printf(s, "Object %u (0x%llx) of %s was freed. ", c->obj, (ull)c->addr, k->name);
	if (!slub(m)) {
		size_t j = i + 1;
		while (j < n && (v[j].kind == CH_SLAB_LIST || v[j].kind == CH_SLAB_DISCARD) && v[j].cache == c->cache)
			j++;
		if (j < n && v[j].kind == CH_SLAB_REFILL && v[j].cache == c->cache &&
		    (v[j].mt == REFILL_ARRAY_TO_SHARED || v[j].mt == REFILL_ARRAY_TO_SLABS)) {
			sb_printf(s, "SLAB pushes a freed object onto the CPU's array cache; CPU %u's was full, so it "
				  "made room first, as follows.", cur_cpu(m));
			return;
		}
		sb_printf(s, "SLAB pushed it onto CPU %u's array cache: the next allocation from %s on this CPU gets "
			  "it back first, while it is still warm in the CPU cache. Its slab still counts it as in use "
			  "until the array is flushed back to the slabs.", cur_cpu(m), k->name);
		return;
	}
	const struct slab *sl = view_live_slab(m, c->pfn2, c->pfn);
	if (sl && sl->list == SL_CPU && sl->cpu == (int)cur_cpu(m)) {
		sb_printf(s, "Its slab at pfn 0x%llx is this CPU's cpu slab, so the object went onto the cpu "
			  "freelist (the fast path): the next allocation gets it back first.", (ull)c->pfn);
		return;
	}
	sb_printf(s, "Its slab at pfn 0x%llx is not this CPU's cpu slab, so the object went onto the slab's own "
		  "freelist (__slab_free()).", (ull)c->pfn);
	if (sl && sl->list == SL_CPU_PARTIAL) {
		if (sl->inuse == 0)
			sb_printf(s, " The slab is empty now but stays on a CPU's partial list: SLUB looks at slabs there "
				  "again only when that CPU needs a new cpu slab or the list is drained to the node "
				  "(__put_partials()), and only then may an empty one go back to the page allocator.");
		return;
	}
	bool discarded = false;
	for (size_t j = i + 1; j < n; j++)
		if (v[j].kind == CH_SLAB_DISCARD && same_slab(&v[j], c))
			discarded = true;
	if (sl && !discarded && sl->inuse == 0 && sl->list == SL_PARTIAL)
		sb_printf(s, " The slab is empty now but stays on the partial list: SLUB keeps empty slabs while the "
			  "node has fewer than min_partial (%u) partial slabs, so the next allocations need not go "
			  "to the page allocator.", k->min_partial);
}

static void explain_discard(const struct machine *m, const struct change *v, size_t i, const struct kmem_cache *k,
			    struct sb *s)
{
	const struct change *c = &v[i];
	char pg[48];
	pages_text(m, c->order, pg, sizeof pg);
	if (slub(m) && i > 0 && v[i - 1].kind == CH_SLAB_LIST && same_slab(&v[i - 1], c) &&
	    v[i - 1].mt == SL_CPU_PARTIAL)
		sb_printf(s, "The slab at pfn 0x%llx came off a CPU's partial list with no object in use, and the "
			  "node already held min_partial (%u) partial slabs, so __put_partials() gave its order-%u "
			  "block (%s) back to the buddy allocator (discard_slab()).", (ull)c->pfn, k->min_partial,
			  c->order, pg);
	else if (slub(m) && i > 0 && v[i - 1].kind == CH_OBJ_FREE && same_slab(&v[i - 1], c))
		sb_printf(s, "That left the slab at pfn 0x%llx without any object in use. SLUB keeps empty slabs only "
			  "while the node has fewer than min_partial (%u) partial slabs; it had enough, so the slab's "
			  "order-%u block (%s) went back to the buddy allocator (discard_slab()).", (ull)c->pfn,
			  k->min_partial, c->order, pg);
	else if (!slub(m) && c->mt != SL_FREE)
		sb_printf(s, "The slab at pfn 0x%llx became completely free while %s already held more than its "
			  "free_limit (%u) of free objects, so slab_destroy() gave its order-%u block (%s) back to the "
			  "buddy allocator instead of keeping it on the free list.", (ull)c->pfn, k->name,
			  k->free_limit, c->order, pg);
	else
		sb_printf(s, "Shrinking %s (kmem_cache_shrink(), which kmem_cache_destroy() runs too) gave the empty "
			  "slab at pfn 0x%llx, an order-%u block (%s), back to the buddy allocator.", k->name,
			  (ull)c->pfn, c->order, pg);
}

/* A cpu slab deactivated, with what became of it (the next event). */
static size_t explain_deactivate(const struct machine *m, const struct change *v, size_t i, size_t n,
				 const struct kmem_cache *k, struct sb *s)
{
	const struct change *c = &v[i];
	const struct change *nx = i + 1 < n && same_slab(&v[i + 1], c) ? &v[i + 1] : NULL;
	char pg[48];
	if (nx && nx->kind == CH_SLAB_DISCARD) {
		sb_printf(s, "The cpu slab at pfn 0x%llx was flushed (deactivate_slab()). None of its objects is in "
			  "use and the node already holds min_partial (%u) partial slabs, so its order-%u block (%s) "
			  "went back to the buddy allocator.", (ull)c->pfn, k->min_partial, nx->order,
			  pages_text(m, nx->order, pg, sizeof pg));
		return i + 2;
	}
	if (nx && nx->kind == CH_SLAB_LIST && nx->mt == SL_NONE && nx->mt2 == SL_PARTIAL) {
		sb_printf(s, "The cpu slab at pfn 0x%llx was flushed (deactivate_slab()); it still has free objects, "
			  "so it went back onto the node's partial list for any CPU to use.", (ull)c->pfn);
		return i + 2;
	}
	sb_printf(s, "The cpu slab at pfn 0x%llx has no free object left, so it was deactivated "
		  "(deactivate_slab()). SLUB keeps full slabs on no list at all: the slab is found again "
		  "only when one of its objects is freed, through the object's address.", (ull)c->pfn);
	return i + 1;
}

static size_t explain_list(const struct machine *m, const struct change *v, size_t i, size_t n,
			   const struct kmem_cache *k, struct sb *s)
{
	const struct change *c = &v[i];
	unsigned cpu = cur_cpu(m);
	if (c->mt == SL_CPU && c->mt2 == SL_NONE)
		return explain_deactivate(m, v, i, n, k, s);
	if (c->mt2 == SL_CPU) {
		if (c->mt == SL_PARTIAL)
			sb_printf(s, "CPU %u needed a new cpu slab, so SLUB took the slab at pfn 0x%llx from the head of "
				  "the node's partial list (get_partial()) instead of allocating pages. ", cpu, (ull)c->pfn);
		else
			sb_printf(s, "The slab at pfn 0x%llx became CPU %u's cpu slab. ", (ull)c->pfn, cpu);
		sb_printf(s, "A cpu slab is the slab a CPU allocates from without taking a lock: each allocation "
			  "takes the first object off its freelist, and only when that runs dry does SLUB go back to "
			  "the partial list or the page allocator.");
		return i + 1;
	}
	switch (c->mt2) {
	case SL_CPU_PARTIAL:
		if (c->mt == SL_NONE)
			sb_printf(s, "An object was freed into the slab at pfn 0x%llx, which was full and so on no list. "
				  "With CONFIG_SLUB_CPU_PARTIAL, SLUB keeps such a slab on the freeing CPU's own partial "
				  "list (put_cpu_partial()), without taking the node's list lock; that CPU takes it as its "
				  "next cpu slab before looking at the node.", (ull)c->pfn);
		else
			sb_printf(s, "Refilling CPU %u, get_partial_node() also moved the slab at pfn 0x%llx from the "
				  "node's partial list to the CPU's own partial list (up to cpu_partial_slabs / 2 + 1 = %u "
				  "slabs besides the new cpu slab).", cpu, (ull)c->pfn, k->cpu_partial_slabs / 2 + 1);
		return i + 1;
	case SL_PARTIAL:
		if (c->mt == SL_CPU_PARTIAL) {
			sb_printf(s, "The slab at pfn 0x%llx left a CPU's partial list for the tail of the node's "
				  "partial list (__put_partials()). SLUB drains a CPU's list to the node when it already "
				  "holds cpu_partial_slabs (%u) slabs and another full slab gets an object back, and "
				  "when the cache is shrunk or destroyed (flush_all()).", (ull)c->pfn, k->cpu_partial_slabs);
			break;
		}
		if (c->mt == SL_NONE && slub(m))
			sb_printf(s, "An object was freed into the slab at pfn 0x%llx, which was full and so on no "
				  "list; with a free object again it went onto the tail of the node's partial list, where "
				  "the next CPU that needs a slab will find it.", (ull)c->pfn);
		else if (c->mt == SL_FULL)
			sb_printf(s, "An object went back into the full slab at pfn 0x%llx, so it moved to the partial "
				  "list.", (ull)c->pfn);
		else if (c->mt == SL_FREE)
			sb_printf(s, "The slab at pfn 0x%llx has objects in use now, so it moved from the free list to "
				  "the partial list.", (ull)c->pfn);
		else
			sb_printf(s, "The slab at pfn 0x%llx went onto the partial list.", (ull)c->pfn);
		break;
	case SL_FULL:
		sb_printf(s, "The slab at pfn 0x%llx has no free object left, so it moved to the full list.",
			  (ull)c->pfn);
		break;
	case SL_FREE:
		if (c->mt == SL_NONE)
			sb_printf(s, "The new slab at pfn 0x%llx went onto the free list (all its objects are free).",
				  (ull)c->pfn);
		else
			sb_printf(s, "Every object of the slab at pfn 0x%llx is free again, so it moved to the free "
				  "list. SLAB keeps free slabs until the cache holds more than free_limit (%u) free "
				  "objects, so a later refill needs no page allocation.", (ull)c->pfn, k->free_limit);
		break;
	default:
		sb_printf(s, "The slab at pfn 0x%llx moved from the %s list to the %s list.", (ull)c->pfn,
			  view_slab_list_name(c->mt), view_slab_list_name(c->mt2));
		break;
	}
	return i + 1;
}

static void explain_new(const struct machine *m, const struct change *c, const struct kmem_cache *k, struct sb *s)
{
	char pg[48];
	pages_text(m, c->order, pg, sizeof pg);
	if (slub(m))
		sb_printf(s, "%s had no free object at hand (no cpu slab with a free object, nothing on the "
			  "partial list), so SLUB allocated a new slab (allocate_slab()): ", k->name);
	else
		sb_printf(s, "%s had no free object in CPU %u's array cache, the shared array or its slab lists, "
			  "so cache_grow() allocated a new slab: ", k->name, cur_cpu(m));
	sb_printf(s, "the order-%u block (%s) at pfn 0x%llx from the buddy allocator, cut into %u object%s of %u "
		  "bytes.", c->order, pg, (ull)c->pfn, c->obj, c->obj == 1 ? "" : "s", k->g.size);
	if (slub(m) && c->order < k->g.order)
		sb_printf(s, " The preferred order %u was not available without effort, so SLUB fell back to its "
			  "minimum order.", k->g.order);
	const struct slab *sl = view_live_slab(m, c->pfn2, c->pfn);
	if (!slub(m) && sl && k->g.colour > 1)
		sb_printf(s, " Its objects start %u bytes in (slab colouring: successive slabs shift their objects by "
			  "%u bytes so that objects at the same index do not compete for the same CPU cache lines).",
			  sl->colour_off + k->g.slab_mgmt, k->g.colour_off);
}

static void explain_refill(const struct machine *m, const struct change *c, const struct kmem_cache *k,
			   struct sb *s)
{
	unsigned cpu = cur_cpu(m);
	const struct slab_cpu *ac = m->slab && cpu < m->ncpus ? &k->cpu[cpu] : NULL;
	switch (c->mt) {
	case REFILL_SLAB_TO_ARRAY:
		sb_printf(s, "CPU %u's array cache of %s was empty, so cache_alloc_refill() moved %u free objects "
			  "into it from the slab at pfn 0x%llx (partial slabs first, then free ones). It moves up to "
			  "batchcount (%u) objects at a time, at most 16 until the array has been used.", cpu,
			  k->name, c->obj, (ull)c->pfn, ac ? ac->batchcount : k->g.batchcount);
		break;
	case REFILL_SHARED_TO_ARRAY:
		sb_printf(s, "CPU %u's array cache of %s was empty; the shared array, where CPUs leave objects they "
			  "freed, had some, so %u moved over without touching any slab.", cpu, k->name, c->obj);
		break;
	case REFILL_ARRAY_TO_SHARED:
		sb_printf(s, "CPU %u's array cache of %s was full (limit %u), so cache_flusharray() moved its %u "
			  "oldest objects to the shared array, where any CPU can take them.", cpu, k->name,
			  ac ? ac->limit : k->g.limit, c->obj);
		break;
	default:
		sb_printf(s, "CPU %u's array cache of %s was full (limit %u), so cache_flusharray() gave its %u oldest "
			  "objects back to their slabs (free_block()); the slab list changes above come from that.",
			  cpu, k->name, ac ? ac->limit : k->g.limit, c->obj);
		break;
	}
}

static void explain_large(const struct machine *m, const struct change *c, struct sb *s)
{
	char pg[48];
	pages_text(m, c->order, pg, sizeof pg);
	if (c->mt2 != 1) {
		sb_printf(s, "kfree() found no slab at 0x%llx but the pages of a large kmalloc, so it gave the order-%u "
			  "block (%s) at pfn 0x%llx straight back to the page allocator (its steps are above).",
			  (ull)c->addr, c->order, pg, (ull)c->pfn);
		return;
	}
	size_t req = large_size_now(m, c);
	if (req)
		sb_printf(s, "kmalloc(%zu) is above the largest kmalloc cache (%u bytes), ", req, largest_class(m));
	else
		sb_printf(s, "This kmalloc is above the largest kmalloc cache (%u bytes), ", largest_class(m));
	sb_printf(s, "so it bypasses the slab caches: the memory is one compound order-%u block (%s) at pfn "
		  "0x%llx straight from the page allocator. kfree() will recognise it by its page, which belongs "
		  "to no slab, and give it straight back.", c->order, pg, (ull)c->pfn);
}

/* SLAB: where the slab moves of a cache_flusharray() -> free_block() end
 * (the model logs the flush after them): the index of the CH_SLAB_REFILL,
 * or n when the run at i is not such a flush. */
static size_t flush_end(const struct change *v, size_t i, size_t n)
{
	size_t j = i;
	while (j < n && (v[j].kind == CH_SLAB_LIST || v[j].kind == CH_SLAB_DISCARD) && v[j].cache == v[i].cache)
		j++;
	if (j < n && v[j].kind == CH_SLAB_REFILL && v[j].mt == REFILL_ARRAY_TO_SLABS && v[j].cache == v[i].cache)
		return j;
	return n;
}

/* The flush of events [i, e] (e: the CH_SLAB_REFILL) as one paragraph:
 * where each slab ended up. */
static void explain_flush(const struct machine *m, const struct change *v, size_t i, size_t e,
			  const struct kmem_cache *k, struct sb *s)
{
	enum { MAX_SLABS = 64, GONE = -1 };
	struct { uint64_t pfn; int state; } sl[MAX_SLABS];
	size_t ns = 0;
	for (size_t j = i; j < e; j++) {
		size_t q = 0;
		while (q < ns && sl[q].pfn != v[j].pfn)
			q++;
		if (q == ns && ns < MAX_SLABS)
			sl[ns++].pfn = v[j].pfn;
		if (q < ns)
			sl[q].state = v[j].kind == CH_SLAB_DISCARD ? GONE : v[j].mt2;
	}
	unsigned cpu = cur_cpu(m);
	sb_printf(s, "CPU %u's array cache of %s was full (limit %u), so cache_flusharray() gave its %u oldest "
		  "objects back to their slabs (free_block()).", cpu, k->name,
		  cpu < m->ncpus ? k->cpu[cpu].limit : k->g.limit, v[e].obj);
	static const struct { int state; const char *what; } groups[] = {
		{ SL_PARTIAL, "Partly free again, now on the partial list:" },
		{ SL_FULL, "Still full:" },
		{ SL_FREE, "Entirely free and kept on the free list, because the cache holds no more than "
			   "free_limit free objects:" },
		{ GONE, "Entirely free while the cache already held more than free_limit free objects, so "
			"destroyed and given back to the buddy allocator:" },
	};
	bool limit = false;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		bool any = false;
		for (size_t q = 0; q < ns; q++) {
			if (sl[q].state != groups[g].state)
				continue;
			if (!any)
				sb_printf(s, " %s", groups[g].what);
			sb_printf(s, "%s pfn 0x%llx", any ? "," : "", (ull)sl[q].pfn);
			any = true;
		}
		if (any)
			sb_printf(s, ".");
		limit |= any && (groups[g].state == SL_FREE || groups[g].state == GONE);
	}
	if (limit)
		sb_printf(s, " (free_limit of %s: %u.)", k->name, k->free_limit);
}

/* One slab event (or a deactivation and its outcome, or a flush) as sentences. */
static size_t explain_slab(const struct machine *m, const struct change *v, size_t i, size_t n, struct sb *s)
{
	const struct change *c = &v[i];
	if (c->kind == CH_LARGE) {
		explain_large(m, c, s);
		return i + 1;
	}
	const struct kmem_cache *k = event_cache(m, c);
	if (!k)
		return i + 1;
	if (!slub(m) && (c->kind == CH_SLAB_LIST || c->kind == CH_SLAB_DISCARD)) {
		size_t e = flush_end(v, i, n);
		if (e < n) {
			explain_flush(m, v, i, e, k, s);
			return e + 1;
		}
	}
	switch (c->kind) {
	case CH_SLAB_NEW:
		explain_new(m, c, k, s);
		break;
	case CH_SLAB_DISCARD:
		explain_discard(m, v, i, k, s);
		break;
	case CH_SLAB_LIST:
		return explain_list(m, v, i, n, k, s);
	case CH_OBJ_ALLOC:
		explain_obj_alloc(m, c, k, s);
		break;
	case CH_OBJ_FREE:
		explain_obj_free(m, v, i, n, k, s);
		break;
	case CH_SLAB_REFILL:
		explain_refill(m, c, k, s);
		break;
	default:
		break;
	}
	return i + 1;
}

static void explain_events(struct out *o, const struct machine *m, bool *first)
{
	const struct change *v = m->log.v;
	size_t n = m->log.n;
	unsigned af = AF_WMARK_LOW;
	bool after_fallback = false;

	for (size_t i = 0; i < n; ) {
		const struct change *c = &v[i];
		const char *zn = view_zone_name(m, c->zone);
		struct sb s = { .n = 0 };
		s.buf[0] = '\0';
		size_t next = i + 1;
		char buf[1024];

		switch (c->kind) {
		case CH_ZONE_SKIP: {
			struct skip_info k;
			skip_info(m, c, af, &k);
			if (k.no_block) {
				sb_printf(&s, "Zone %s passed the watermark check, but none of the free lists it may "
					  "take from holds a block of order %u or larger, so it was passed over.", zn,
					  c->order);
			} else if (k.short_of_pages) {
				sb_printf(&s, "Zone %s was passed over: it has %lld free pages", zn, k.free);
				if (k.highatomic && k.whole_reserve)
					sb_printf(&s, " (less the whole highatomic reserve, %llu pages free or not, which "
						  "this request may not use: 6.1's watermark check takes off "
						  "nr_reserved_highatomic)", k.highatomic);
				else if (k.highatomic)
					sb_printf(&s, " (%llu of them in the highatomic reserve, which this request may not "
						  "use and the watermark check does not count)", k.highatomic);
				if (c->order)
					sb_printf(&s, " (%lld once the %llu extra pages of an order-%u request are "
						  "counted)", k.after, (1ull << c->order) - 1, c->order);
				sb_printf(&s, ", not more than its %s watermark (%llu", k.mark_name, k.eff);
				if (k.eff != k.mark) {
					alloc_flags_str(m, af, buf, sizeof buf);
					sb_printf(&s, ", lowered from %llu because the request may use reserves: %s",
						  k.mark, buf);
				}
				sb_printf(&s, ") plus the lowmem_reserve it holds back from allocations that could "
					  "have been served by a higher zone (%llu).", k.reserve);
			} else {
				sb_printf(&s, "Zone %s has enough free pages (%lld) above its %s watermark (%llu) plus "
					  "lowmem_reserve (%llu), but not in free blocks of order %u or larger, so it "
					  "was passed over.", zn, k.free, k.mark_name, k.eff, k.reserve, c->order);
			}
			break;
		}
		case CH_ZONE_FALLBACK:
			sb_printf(&s, "Zone %s could not serve the request, so the allocator moved on to the next "
				  "zone of the zonelist.", zn);
			break;
		case CH_SLOWPATH:
			af = c->mt;
			alloc_flags_str(m, c->mt, buf, sizeof buf);
			if (c->mt & AF_OOM) {
				/* an OOM victim's retry (slowpath.c): 6.x ALLOC_OOM, 2.6.32
				 * TIF_MEMDIE's ALLOC_NO_WATERMARKS (logged with AF_OOM) */
				if (!(c->mt & AF_NO_WATERMARKS))
					sb_printf(&s, "The slow path starts over with the OOM victim's alloc flags, %s: "
						  "the min watermark halved, the highatomic reserve usable.", buf);
				else
					sb_printf(&s, "The slow path starts over with the OOM victim's alloc flags, %s: "
						  "no watermark is checked at all.", buf);
				break;
			}
			if (c->mt & AF_NO_WATERMARKS) {
				sb_printf(&s, "Not even the min watermark could be met, but this request may take "
					  "every free page (ALLOC_NO_WATERMARKS: __GFP_MEMALLOC, or a task with "
					  "PF_MEMALLOC set), so the allocator tried once more with no watermark at "
					  "all.");
				break;
			}
			sb_printf(&s, "No zone could give the pages without going below its low watermark, so the "
				  "allocator entered the slow path and tried again against the lower min watermark.");
			if (*buf)
				sb_printf(&s, " This request may also dip below min into the reserves (%s).", buf);
			break;
		case CH_HIGHATOMIC: {
			/* the moves and retypes that carry it out, told with it */
			size_t j = i + 1;
			ull blocks = 0, pages = 0;
			while (j < n && (v[j].kind == CH_MOVE || v[j].kind == CH_RETYPE) && v[j].zone == c->zone) {
				if (v[j].kind == CH_MOVE) {
					blocks++;
					pages += 1ull << v[j].order;
				}
				j++;
			}
			next = j;
			if (!c->tail) {
				sb_printf(&s, "This was a high-order atomic allocation (ALLOC_HIGHATOMIC), so "
					  "reserve_highatomic_pageblock() set the pageblock at pfn 0x%llx aside for such "
					  "allocations: it is %s now instead of %s.", (ull)c->pfn, view_mt_name(m, c->mt2),
					  view_mt_name(m, c->mt));
				if (blocks)
					sb_printf(&s, " Its %llu free blocks (%llu pages) moved to the %s lists; allocations "
						  "without access to the reserves no longer count them as free.", blocks, pages,
						  view_mt_name(m, c->mt2));
				sb_printf(&s, " %s now holds %llu reserved pages; it reserves no more once it holds %llu.",
					  zn, (ull)c->val, (ull)c->old);
			} else {
				sb_printf(&s, "Before giving up, unreserve_highatomic_pageblock() gave the %s pageblock at "
					  "pfn 0x%llx to the allocation's type: it is %s now, and its %llu free blocks "
					  "(%llu pages) moved to the %s lists. %s now holds %llu reserved pages.",
					  view_mt_name(m, c->mt), (ull)c->pfn, view_mt_name(m, c->mt2), blocks, pages,
					  view_mt_name(m, c->mt2), zn, (ull)c->val);
				if (c->order2)
					sb_printf(&s, " (force: the OOM killer is next, so even a zone's last reserved "
						  "pageblock goes.)");
			}
			break;
		}
		case CH_FALLBACK:
			after_fallback = true;
			sb_printf(&s, "%s's %s free lists had no block of order %u or larger, so the allocator fell "
				  "back to another migratetype, as the kernel's fallback table allows: it chose the "
				  "order-%u %s block at pfn 0x%llx (it prefers the largest free block, so that one "
				  "pageblock takes in the foreign allocations).", zn, view_mt_name(m, c->mt),
				  c->order2, c->order, view_mt_name(m, c->mt2), (ull)c->pfn);
			break;
		case CH_MOVE: {
			size_t j = i;
			ull pages = 0;
			while (j < n && v[j].kind == CH_MOVE && v[j].zone == c->zone && v[j].mt2 == c->mt2) {
				pages += 1ull << v[j].order;
				j++;
			}
			if (j - i == 1)
				sb_printf(&s, "It moved the free order-%u block at pfn 0x%llx from the %s list to the %s "
					  "list.", c->order, (ull)c->pfn, view_mt_name(m, c->mt), view_mt_name(m, c->mt2));
			else
				sb_printf(&s, "It claimed the pageblock: its %zu free blocks (%llu pages) moved to the "
					  "%s lists.", j - i, pages, view_mt_name(m, c->mt2));
			next = j;
			break;
		}
		case CH_RETYPE:
			sb_printf(&s, "The pageblock at pfn 0x%llx (%llu pages) is now marked %s instead of %s, so "
				  "pages freed in it later go back to the %s lists.", (ull)c->pfn,
				  1ull << m->pageblock_order, view_mt_name(m, c->mt2), view_mt_name(m, c->mt),
				  view_mt_name(m, c->mt2));
			break;
		case CH_PCP_REFILL: case CH_PCP_DRAIN: {
			/* a batch: its takes and splits, merges and puts as a
			 * count; anything else inside it is told in turn */
			size_t j = i + 1;
			while (!c->order2 && j < n && !(v[j].kind == c->kind && v[j].order2))
				j++;
			if (!c->order2 && j < n) {
				unsigned moved = 0;
				for (size_t q = i + 1; q < j; q++)
					if (v[q].kind == CH_TAKE || v[q].kind == CH_MERGE)
						moved++;
				const struct change *e = &v[j];
				if (c->kind == CH_PCP_REFILL)
					sb_printf(&s, "CPU %llu's per-CPU list for order-%u %s blocks in %s was empty, so "
						  "rmqueue_bulk() filled it from the buddy lists in one go: %llu blocks "
						  "(%u taken off free lists, split down as needed), in physical order.",
						  (ull)e->val, e->order, view_mt_name(m, e->mt), zn, (ull)e->pfn, moved);
				else
					sb_printf(&s, "CPU %llu's per-CPU lists in %s reached their high mark or were "
						  "drained, so free_pcppages_bulk() gave %llu pages back to the buddy lists, "
						  "from the cold ends of the lists in turn; only now did they merge with their "
						  "buddies (%u merges). %llu pages stay on its lists.", (ull)e->val, zn,
						  (ull)e->pfn, moved, (ull)e->pfn2);
				/* what else happened inside the batch: fallbacks */
				bool other = false;
				for (size_t q = i + 1; q < j; q++)
					if (v[q].kind == CH_FALLBACK || v[q].kind == CH_RETYPE || v[q].kind == CH_MOVE ||
					    v[q].kind == CH_EXTFRAG)
						other = true;
				if (other)
					sb_printf(&s, " On the way the allocator fell back to another migratetype's "
						  "blocks (see the change log).");
				for (size_t q = i + 1; q < j; q++)
					if (v[q].kind == CH_WMARK_BOOST && s.n < sizeof s.buf - 1) {
						s.buf[s.n++] = ' ';
						s.buf[s.n] = '\0';
						explain_boost(m, &v[q], &s);
					}
				next = j + 1;
			} else if (c->kind == CH_PCP_REFILL && c->order2) {
				sb_printf(&s, "rmqueue_bulk() put %llu order-%u blocks on CPU %llu's per-CPU list.",
					  (ull)c->pfn, c->order, (ull)c->val);
			}
			break;
		}
		case CH_PCP_ALLOC:
			sb_printf(&s, "The order-%u block at pfn 0x%llx came from the %s of CPU %llu's per-CPU list "
				  "of %s %s blocks, without touching the zone's buddy lists.", c->order, (ull)c->pfn,
				  c->tail ? _("cold end (tail)") : _("head"), (ull)c->val, zn, view_mt_name(m, c->mt));
			break;
		case CH_PCP_FREE:
			sb_printf(&s, "The block went to the %s of CPU %llu's per-CPU list of order-%u %s blocks, "
				  "not to the buddy lists: it does not merge yet, and it is not counted as free "
				  "(NR_FREE_PAGES) while it waits there. The CPU now holds %llu pages; a batch goes "
				  "back to the buddy lists when that reaches high (%llu).", c->tail ? _("cold end (tail)") :
				  _("head"), (ull)c->val, c->order, view_mt_name(m, c->mt), (ull)c->pfn2, (ull)c->old);
			break;
		case CH_TAKE:
			next = explain_take(m, v, i, n, after_fallback, &s);
			break;
		case CH_SPLIT:
			sb_printf(&s, "The order-%u block at pfn 0x%llx was split: its upper half at pfn 0x%llx went on "
				  "the order-%u %s list.", c->order, (ull)c->pfn, (ull)c->pfn2, c->order2,
				  view_mt_name(m, c->mt));
			break;
		case CH_ALLOC:
			sb_printf(&s, "The caller gets the order-%u block at pfn 0x%llx (%llu page%s, %llu KiB) from "
				  "zone %s.", c->order, (ull)c->pfn, 1ull << c->order, c->order ? "s" : "",
				  (1ull << c->order) << (m->arch->page_shift - 10), zn);
			after_fallback = false;
			af = AF_WMARK_LOW;
			break;
		case CH_FREE:
			sb_printf(&s, "Freeing the order-%u block at pfn 0x%llx in zone %s.", c->order, (ull)c->pfn, zn);
			break;
		case CH_MERGE:
		case CH_PUT:
			next = explain_merges(m, v, i, n, &s);
			break;
		case CH_SLAB_NEW: case CH_SLAB_DISCARD: case CH_SLAB_LIST: case CH_OBJ_ALLOC:
		case CH_OBJ_FREE: case CH_SLAB_REFILL: case CH_LARGE:
			next = explain_slab(m, v, i, n, &s);
			break;
		case CH_WMARKS:
			sb_printf(&s, "The zone watermarks (min, low, high) and the lowmem reserves were recomputed; "
				  "they decide when allocations fall back to lower zones, wake kswapd or fail.");
			break;
		case CH_PT_ALLOC: case CH_PT_FREE: case CH_PTE_SET: case CH_PTE_CLEAR: case CH_PT_SPLIT: case CH_TLB_FLUSH:
		case CH_VMAP_CLIP: case CH_VMAP_INSERT: case CH_VMAP_LAZY: case CH_VMAP_PURGE:
		case CH_VFREE_DEFER: case CH_VFREE_WORK: case CH_VMAP_POOL:
			view_pt_event_sentence(buf, sizeof buf, m, c);
			sb_printf(&s, "%s", buf);
			break;
		case CH_KSWAPD_WAKE: case CH_KSWAPD: case CH_DIRECT_RECLAIM: case CH_RECLAIM_RETRY: case CH_SHRINK_SLAB:
		case CH_OOM_KILL: case CH_OOM_NONE: case CH_NOPAGE: case CH_KCOMPACTD_WAKE: case CH_KCOMPACTD:
			view_reclaim_event_sentence(buf, sizeof buf, m, c);
			sb_printf(&s, "%s", buf);
			break;
		case CH_EXTFRAG:
			sb_printf(&s, _("The block handed out came from a %s pageblock (trace event mm_page_alloc_extfrag): "
					"%s, and that pageblock %s."), view_mt_name(m, c->mt2),
				  c->order2 < m->pageblock_order ? _("only part of the pageblock was free, so mixing types "
								      "there fragments memory")
								  : _("a whole free pageblock was taken"),
				  c->tail ? _("now belongs to the request's migratetype") : _("keeps its type"));
			break;
		case CH_WMARK_BOOST:
			explain_boost(m, c, &s);
			break;
		case CH_COMPACT:
			sb_printf(&s, _("Compaction ran on %s: its migrate scanner went up from the zone's start and its "
					"free scanner down from the end, and %llu movable pages were copied into free pages "
					"near the end, so that the free pages they left join into larger blocks (result: %s)."),
				  view_zone_name(m, c->zone), (ull)c->pfn, compact_result_name((enum compact_result)c->mt));
			break;
		case CH_MIGHT_SLEEP:
			sb_printf(&s, "This call may sleep, but the task is in atomic context (it holds a spinlock, runs "
				  "with preemption or interrupts off, or in an interrupt): sleeping here could deadlock "
				  "or corrupt the scheduler, so the kernel %s and then carries on.",
				  c->order ? _("prints \"BUG: sleeping function called from invalid context\"") :
				  _("would report it, but its report is rate-limited to one a second,"));
			break;
		default:
			sb_printf(&s, "(event %d)", (int)c->kind);
			break;
		}
		if (s.n)
			emit(o, first, &s);
		i = next;
	}
	if (m->log.dropped) {
		struct sb s = { .n = 0 };
		sb_printf(&s, "(%zu more events were not recorded.)", m->log.dropped);
		emit(o, first, &s);
	}
}

/* ---- the step as a whole ------------------------------------------------------------- */

/* the snapshot and the comparison run for every order of every zone at
 * each step shown: one counter each (free_area->nr_free) */
static inline uint64_t nr_free_of(const struct free_area *a)
{
	return a->nr_free;
}

/* A zone with no free page has no free block (check.c holds NR_FREE_PAGES
 * to the lists), so its counts are zeros without a look at them. */
void view_snapshot(const struct machine *m, struct nr_free_snapshot *s)
{
	s->machine_gen = m->free_area_gen;
	for (int z = 0; z < m->nr_zones && z < MAX_ZONES_MODEL; z++) {
		s->gen[z] = m->zones[z].free_area_gen;
		if (m->zones[z].free_pages)
			for (int k = 0; k < NR_ORDERS; k++)
				s->nr_free[z][k] = nr_free_of(&m->zones[z].free_area[k]);
		else
			memset(s->nr_free[z], 0, sizeof s->nr_free[z]);
	}
}

/* Every change of a zone's free lists moves its free_area_gen (buddy.c:
 * account(), the split and merge loops, the zone's reset) - the same
 * promise zone_changed() relies on - so a zone whose gen is the one
 * recorded still has the counts recorded. */
void view_snapshot_update(const struct machine *m, struct nr_free_snapshot *s)
{
	if (s->machine_gen == m->free_area_gen)
		return;
	s->machine_gen = m->free_area_gen;
	for (int z = 0; z < m->nr_zones && z < MAX_ZONES_MODEL; z++) {
		if (s->gen[z] == m->zones[z].free_area_gen)
			continue;
		s->gen[z] = m->zones[z].free_area_gen;
		if (m->zones[z].free_pages)
			for (int k = 0; k < NR_ORDERS; k++)
				s->nr_free[z][k] = nr_free_of(&m->zones[z].free_area[k]);
		else
			memset(s->nr_free[z], 0, sizeof s->nr_free[z]);
	}
}

static bool zone_changed(const struct machine *m, const struct nr_free_snapshot *before, int z)
{
	if (before->gen[z] == m->zones[z].free_area_gen)
		return false;
	for (int k = 0; k < NR_ORDERS; k++)
		if (before->nr_free[z][k] != nr_free_of(&m->zones[z].free_area[k]))
			return true;
	return false;
}

static void nr_free_changes(struct out *o, const struct machine *m, const struct nr_free_snapshot *before,
			    bool explain, bool *first_expl)
{
	bool first = true;
	struct sb s = { .n = 0 };

	if (o->json && !explain)
		out_puts(o, ",\"nr_free_changed\":[");
	for (int z = 0; z < m->nr_zones && z < MAX_ZONES_MODEL; z++) {
		if (!before || !zone_changed(m, before, z))
			continue;
		const struct zone *zn = &m->zones[z];
		if (explain && !s.n)
			sb_printf(&s, "Free-list counts (/proc/buddyinfo) changed:");
		else if (explain)
			sb_printf(&s, ";");
		if (explain)
			sb_printf(&s, " %s", zn->label);
		bool firsto = true;
		for (int k = 0; k < NR_ORDERS; k++) {
			ull b = before->nr_free[z][k], a = nr_free_of(&zn->free_area[k]);
			if (a == b)
				continue;
			if (explain) {
				sb_printf(&s, "%s order %d from %llu to %llu", firsto ? "" : ",", k, b, a);
			} else {
				out_printf(o, "%s{\"zone\":", first ? "" : ",");
				out_json_str(o, zn->name);
				out_printf(o, ",\"order\":%d,\"before\":%llu,\"after\":%llu}", k, b, a);
				first = false;
			}
			firsto = false;
		}
	}
	if (explain && s.n) {
		sb_printf(&s, ".");
		emit(o, first_expl, &s);
	}
	if (o->json && !explain)
		out_puts(o, "]");
}

/* The text form: "  buddyinfo Normal: order 0 0->1, order 10 240->239" */
static void nr_free_lines(struct tb *t, const struct machine *m, const struct nr_free_snapshot *before)
{
	if (before->machine_gen == m->free_area_gen)
		return;
	for (int z = 0; z < m->nr_zones && z < MAX_ZONES_MODEL; z++) {
		const struct zone *zn = &m->zones[z];
		if (before->gen[z] == zn->free_area_gen)
			continue;
		bool empty = !zn->free_pages;
		char *w = NULL;
		for (int k = 0; k < NR_ORDERS; k++) {
			ull b = before->nr_free[z][k], a = empty ? 0 : nr_free_of(&zn->free_area[k]);
			if (a == b)
				continue;
			/* NR_ORDERS items of at most 53 bytes (20-digit counts)
			 * after a name of at most 64 fit in one TB_LINE */
			if (!w) {
				w = tb_begin(t);
				W_LIT("  buddyinfo ");
				W_STR(zn->label);
				W_LIT(": order ");
			} else {
				W_LIT(", order ");
			}
			W_DEC((ull)k);
			W_LIT(" ");
			W_DEC(b);
			W_LIT("->");
			W_DEC(a);
		}
		if (w) {
			W_LIT("\n");
			tb_end(t, w);
		}
	}
}

/*
 * The change log of the last step, then the nr_free counts that differ
 * from `before` (may be NULL: no counts).  JSON:
 *   {"changes":[{flat event}...],"dropped":N,"nr_free_changed":[...]}
 * and with explain also "explanation":[sentences].
 */
/*
 * What allocation steps that use the direct map say about the page
 * tables: nothing changed, and the address is plain arithmetic
 * (virt - PAGE_OFFSET = phys).  The first object (or else block) the step
 * handed out is the example; a HighMem block has no address at all.
 */
/* ex: the step's first CH_ALLOC, obj: its first CH_OBJ_ALLOC (either NULL) */
static bool direct_map_pick(const struct machine *m, const struct change *ex, const struct change *obj,
			    uint64_t *va, uint64_t *pfn, bool *high)
{
	if (obj)
		ex = obj;           /* the object the caller holds, rather than its slab's page */
	if (!ex)
		return false;
	*high = false;
	if (ex->kind == CH_OBJ_ALLOC) {
		*va = ex->addr;
		*pfn = (ex->addr - m->layout.page_offset) >> 12;
	} else {
		*pfn = ex->pfn;
		*high = ex->pfn >= m->max_low_pfn;
		*va = machine_pfn_to_vaddr(m, ex->pfn);
	}
	return true;
}

static bool direct_map_example(const struct machine *m, uint64_t *va, uint64_t *pfn, bool *high)
{
	const struct changelog *l = &m->log;
	const struct change *ex = NULL, *obj = NULL;
	for (size_t i = 0; i < l->n; i++) {
		enum change_kind k = l->v[i].kind;
		if (view_is_pt_event(k))
			return false;
		if (!ex && k == CH_ALLOC)
			ex = &l->v[i];
		if (!obj && k == CH_OBJ_ALLOC)
			obj = &l->v[i];
	}
	return direct_map_pick(m, ex, obj, va, pfn, high);
}

/* The text line, from direct_map_pick()'s example */
static void direct_map_line(struct tb *t, const struct machine *m, uint64_t va, uint64_t pfn, bool high)
{
	int width = m->arch->bits == 64 ? 16 : 8;
	ull po = m->layout.page_offset, phys = (ull)va - po;
	char *w = tb_begin(t);
	if (high) {
		W_LIT("  page tables: no entry changed (HighMem pfn 0x");
		W_HEX((ull)pfn);
		W_LIT(" has no kernel address)\n");
	} else {
		W_LIT("  page tables: no entry changed (direct map: ");
		W_HEX0X((ull)va, width);
		W_LIT(" - PAGE_OFFSET ");
		W_HEX0X(po, width);
		W_LIT(" = phys 0x");
		W_HEX(phys);
		W_LIT(")\n");
	}
	tb_end(t, w);
}

/* JSON, or a sentence of the explanation */
static void direct_map_note(struct out *o, const struct machine *m, bool explain, bool *first)
{
	uint64_t va, pfn;
	bool high;
	if (!direct_map_example(m, &va, &pfn, &high))
		return;
	int w = m->arch->bits == 64 ? 16 : 8;
	ull po = m->layout.page_offset, phys = (ull)va - po;
	if (explain) {
		struct sb s;
		s.n = 0;
		s.buf[0] = '\0';
		if (high)
			sb_printf(&s, "The page at pfn 0x%llx is HighMem: it has no kernel virtual address until it is "
				  "mapped with kmap(), and allocating it changed no page-table entry.", (ull)pfn);
		else
			sb_printf(&s, "No page-table entry changed: the memory is in the direct map, which boot mapped "
				  "once for all of lowmem, so its address is the physical address plus PAGE_OFFSET "
				  "(0x%0*llx - 0x%0*llx = 0x%llx).", w, (ull)va, w, po, phys);
		emit(o, first, &s);
		return;
	}
	if (high)
		out_printf(o, ",\"page_tables\":{\"changed\":false,\"highmem_pfn\":\"0x%llx\"}", (ull)pfn);
	else
		out_printf(o, ",\"page_tables\":{\"changed\":false,\"va\":\"0x%llx\",\"phys\":\"0x%llx\"}",
			   (ull)va, phys);
}

void view_changes(struct out *o, const struct machine *m, const struct nr_free_snapshot *before, bool explain)
{
	const struct changelog *l = &m->log;
	unsigned af = AF_WMARK_LOW;

	if (o->json) {
		out_puts(o, "{\"changes\":[");
		for (size_t i = 0; i < l->n; i++) {
			if (i)
				out_puts(o, ",");
			event_json(o, m, &l->v[i], af);
			if (l->v[i].kind == CH_SLOWPATH)
				af = l->v[i].mt;
			else if (l->v[i].kind == CH_ALLOC)
				af = AF_WMARK_LOW;
		}
		out_printf(o, "],\"dropped\":%zu", l->dropped);
		nr_free_changes(o, m, before, false, NULL);
		direct_map_note(o, m, false, NULL);
		if (explain) {
			bool first = true;
			out_puts(o, ",\"explanation\":[");
			explain_events(o, m, &first);
			nr_free_changes(o, m, before, true, &first);
			direct_map_note(o, m, true, &first);
			out_puts(o, "]");
		}
		out_puts(o, "}\n");
		return;
	}
	if (explain) {
		bool first = true;
		explain_events(o, m, &first);
		nr_free_changes(o, m, before, true, &first);
		direct_map_note(o, m, true, &first);
		return;
	}
	struct tb t;
	t.o = o;
	t.m = m;
	t.n = 0;
	memset(t.zlen, 0, sizeof t.zlen);
	memset(t.mtlen, 0, sizeof t.mtlen);
	const struct change *ex = NULL, *obj = NULL;
	bool pt = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct change *c = &l->v[i];
		if ((c->kind == CH_PCP_REFILL || c->kind == CH_PCP_DRAIN) && !c->order2) {
			/* rmqueue_bulk() / free_pcppages_bulk(): the takes and splits,
			 * merges and puts of the batch as counts, anything else as is */
			size_t j = i + 1;
			while (j < l->n && !(l->v[j].kind == c->kind && l->v[j].order2))
				j++;
			if (j < l->n) {
				unsigned takes = 0, splits = 0, merges = 0;
				for (size_t q = i + 1; q < j; q++) {
					enum change_kind k = l->v[q].kind;
					if (k == CH_TAKE)
						takes++;
					else if (k == CH_SPLIT)
						splits++;
					else if (k == CH_MERGE)
						merges++;
					else if (k != CH_PUT)
						event_line(&t, m, &l->v[q], af);
				}
				pcp_event_line(&t, m, &l->v[j], takes, splits, merges);
				i = j;
				continue;
			}
		}
		bool pt_event = event_line(&t, m, c, af);
		if (c->kind == CH_SLOWPATH) {
			af = c->mt;
		} else if (c->kind == CH_ALLOC) {
			af = AF_WMARK_LOW;
			if (!ex)
				ex = c;
		} else if (c->kind == CH_OBJ_ALLOC) {
			if (!obj)
				obj = c;
		} else if (pt_event) {
			pt = true;
		}
	}
	if (l->dropped)
		tb_printf(&t, "  (%zu more events not shown: the change log is full)\n", l->dropped);
	if (before)
		nr_free_lines(&t, m, before);
	uint64_t va, pfn;
	bool high;
	if (!pt && direct_map_pick(m, ex, obj, &va, &pfn, &high))
		direct_map_line(&t, m, va, pfn, high);
	tb_flush(&t);
}

/*
 * `set show brief`: a line per zone whose free lists changed, runs of
 * orders with the same change folded ("order 2-9 +1, order 10 -1"), and
 * how many steps the full log has.  Short enough for any terminal.
 */
void view_changes_brief(struct out *o, const struct machine *m, const struct nr_free_snapshot *before)
{
	for (int z = 0; z < m->nr_zones && z < MAX_ZONES_MODEL; z++) {
		if (!before || !zone_changed(m, before, z))
			continue;
		const struct zone *zn = &m->zones[z];
		long long d[NR_ORDERS];
		for (int k = 0; k < NR_ORDERS; k++)
			d[k] = (long long)free_area_nr_free(&zn->free_area[k]) - (long long)before->nr_free[z][k];
		out_printf(o, "  %s free blocks:", zn->label);
		bool first = true;
		for (int k = 0; k < NR_ORDERS; k++) {
			if (!d[k])
				continue;
			int e = k;
			while (e + 1 < NR_ORDERS && d[e + 1] == d[k])
				e++;
			if (e > k)
				out_printf(o, "%s order %d-%d ", first ? "" : ",", k, e);
			else
				out_printf(o, "%s order %d ", first ? "" : ",", k);
			out_color(o, "1");                      /* the changed counts, highlighted */
			out_printf(o, "%+lld", d[k]);
			out_reset(o);
			if (e > k)
				out_puts(o, " each");
			first = false;
			k = e;
		}
		out_puts(o, "\n");
	}
	size_t n = m->log.n + m->log.dropped;
	if (n)
		out_printf(o, "  (%zu step%s: set show full lists them, set explain on tells why)\n", n,
			   n == 1 ? "" : "s");
}
