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
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "view_int.h"

#define WRAP_COLUMNS 78

static const char *const kind_names[] = {
	[CH_TAKE] = "take", [CH_SPLIT] = "split", [CH_MERGE] = "merge", [CH_PUT] = "put",
	[CH_MOVE] = "move", [CH_RETYPE] = "retype", [CH_FALLBACK] = "fallback",
	[CH_ZONE_SKIP] = "zone_skip", [CH_ZONE_FALLBACK] = "zone_fallback",
	[CH_SLOWPATH] = "slowpath", [CH_RECLAIM] = "reclaim", [CH_ALLOC] = "alloc",
	[CH_FREE] = "free", [CH_WMARKS] = "wmarks",
};

static const char *kind_name(enum change_kind k)
{
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

/* zone_watermark_ok(): how far the reserve flags lower the mark */
static ull effective_mark(const struct machine *m, ull mark, unsigned af)
{
	long long min = (long long)mark;
	if (view_old(m)) {
		if (af & AF_HIGH)
			min -= min / 2;
		if (af & AF_HARDER)
			min -= min / 4;
	} else if (af & AF_HIGH) {
		min -= min / 2;
		if (af & AF_HARDER)
			min -= min / 4;
	}
	return (ull)min;
}

/* What a CH_ZONE_SKIP event says, in numbers. */
struct skip_info {
	bool no_block;          /* passed the check but rmqueue found nothing */
	const char *mark_name;
	ull mark, eff, reserve;
	long long free, after;  /* free pages; minus the pages the request needs beyond one */
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
	s->eff = effective_mark(m, s->mark, af);
	s->after = c->free - ((1ll << c->order) - 1);
	s->short_of_pages = s->after <= (long long)(s->eff + s->reserve);
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

static void event_line(struct out *o, const struct machine *m, const struct change *c, unsigned af)
{
	const char *zn = view_zone_name(m, c->zone);
	char buf[160];

	switch (c->kind) {
	case CH_TAKE:
		out_printf(o, "  %s: took order-%u block at pfn 0x%llx from the %s list\n", zn, c->order,
			   (ull)c->pfn, view_mt_name(m, c->mt));
		break;
	case CH_SPLIT:
		out_printf(o, "  %s: split order-%u block at pfn 0x%llx: upper half 0x%llx -> order-%u %s list (%s)\n",
			   zn, c->order, (ull)c->pfn, (ull)c->pfn2, c->order2, view_mt_name(m, c->mt),
			   c->tail ? "tail" : "head");
		break;
	case CH_MERGE:
		out_printf(o, "  %s: merged pfn 0x%llx with its buddy 0x%llx -> order %u\n", zn, (ull)c->pfn,
			   (ull)c->pfn2, c->order2);
		break;
	case CH_PUT:
		out_printf(o, "  %s: put order-%u block at pfn 0x%llx on the %s list (%s)\n", zn, c->order,
			   (ull)c->pfn, view_mt_name(m, c->mt), c->tail ? "tail" : "head");
		break;
	case CH_MOVE:
		out_printf(o, "  %s: moved free order-%u block at pfn 0x%llx from the %s list to the %s list\n", zn,
			   c->order, (ull)c->pfn, view_mt_name(m, c->mt), view_mt_name(m, c->mt2));
		break;
	case CH_RETYPE:
		out_printf(o, "  %s: pageblock at pfn 0x%llx retyped %s -> %s\n", zn, (ull)c->pfn,
			   view_mt_name(m, c->mt), view_mt_name(m, c->mt2));
		break;
	case CH_FALLBACK:
		out_printf(o, "  %s: fallback: %s request took an order-%u %s block at pfn 0x%llx\n", zn,
			   view_mt_name(m, c->mt), c->order, view_mt_name(m, c->mt2), (ull)c->pfn);
		break;
	case CH_ZONE_SKIP: {
		struct skip_info s;
		skip_info(m, c, af, &s);
		if (s.no_block) {
			out_printf(o, "  %s: no free block of order %u or more on a list it may use\n", zn, c->order);
			break;
		}
		mark_text(buf, sizeof buf, m, &s, af);
		if (c->order == 0)
			out_printf(o, "  %s: watermark check failed: free %lld <= %s + lowmem_reserve %llu\n", zn,
				   s.free, buf, s.reserve);
		else if (s.short_of_pages)
			out_printf(o, "  %s: watermark check failed: free %lld - %llu for order %u <= %s + "
				   "lowmem_reserve %llu\n", zn, s.free, (1ull << c->order) - 1, c->order, buf, s.reserve);
		else
			out_printf(o, "  %s: watermark check failed: free %lld is above %s + lowmem_reserve %llu "
				   "but not in blocks of order %u or more\n", zn, s.free, buf, s.reserve, c->order);
		break;
	}
	case CH_ZONE_FALLBACK:
		out_printf(o, "  %s: moving on to the next zone in the zonelist\n", zn);
		break;
	case CH_SLOWPATH:
		alloc_flags_str(m, c->mt, buf, sizeof buf);
		out_printf(o, "  slow path: retrying with the min watermark%s%s%s\n", *buf ? " (" : "", buf,
			   *buf ? ")" : "");
		break;
	case CH_RECLAIM:
		out_puts(o, "  the modelled kernel would now reclaim (not modelled yet)\n");
		break;
	case CH_ALLOC:
		out_printf(o, "  %s: allocated order-%u block at pfn 0x%llx (%s)\n", zn, c->order, (ull)c->pfn,
			   view_mt_name(m, c->mt));
		break;
	case CH_FREE:
		out_printf(o, "  %s: freeing order-%u block at pfn 0x%llx\n", zn, c->order, (ull)c->pfn);
		break;
	case CH_WMARKS:
		out_puts(o, "  watermarks recomputed\n");
		break;
	default:
		out_printf(o, "  (event %d)\n", (int)c->kind);
		break;
	}
}

static void event_json(struct out *o, const struct machine *m, const struct change *c, unsigned af)
{
	bool f = true;
	char buf[96];

	out_puts(o, "{");
	view_json_key(o, &f, "kind");
	out_json_str(o, kind_name(c->kind));
	if (c->kind != CH_SLOWPATH && c->kind != CH_RECLAIM && c->kind != CH_WMARKS) {
		view_json_key(o, &f, "zone");
		out_json_str(o, view_zone_name(m, c->zone));
	}
	switch (c->kind) {
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
	case CH_RECLAIM:
		out_printf(o, ",\"order\":%u", c->order);
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
	int w = vsnprintf(s->buf + s->n, sizeof s->buf - s->n, fmt, ap);
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
		size_t room = WRAP_COLUMNS - 2, len = strlen(p), cut = len;
		if (len > room) {
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0) {
				cut = room;
				while (p[cut] && p[cut] != ' ')
					cut++;
			}
		}
		out_printf(o, "  %.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

static const char *times_word(unsigned k, char *buf, size_t len)
{
	static const char *const words[] = { "no times", "once", "twice", "three times", "four times",
		"five times", "six times", "seven times", "eight times", "nine times", "ten times" };
	if (k < sizeof words / sizeof words[0])
		return words[k];
	snprintf(buf, len, "%u times", k);
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
			  "so nothing had to be split.", after_fallback ? "It took" : "The buddy allocator took",
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
		  put->tail ? "tail" : "head", zn, view_mt_name(m, put->mt));
	if (put->tail)
		sb_printf(s, " (the tail, because its buddy one order up is free too and they are likely to "
			  "merge soon, so it should not be handed out first)");
	sb_printf(s, ".");
	return j + 1;
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
		char buf[160];

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
			sb_printf(&s, "No zone could give the pages without going below its low watermark, so the "
				  "allocator entered the slow path and tried again against the lower min watermark "
				  "(a real kernel would also wake kswapd to reclaim in the background).");
			alloc_flags_str(m, c->mt, buf, sizeof buf);
			if (*buf)
				sb_printf(&s, " This request may also dip below min into the reserves (%s).", buf);
			break;
		case CH_RECLAIM:
			sb_printf(&s, "Even the min watermark could not be met. A real kernel would now reclaim "
				  "memory (direct reclaim, compaction, at last the OOM killer); kmemsh does not model "
				  "reclaim yet, so the allocation fails.");
			break;
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
		case CH_WMARKS:
			sb_printf(&s, "The zone watermarks (min, low, high) and the lowmem reserves were recomputed; "
				  "they decide when allocations fall back to lower zones, wake kswapd or fail.");
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

void view_snapshot(const struct machine *m, struct nr_free_snapshot *s)
{
	memset(s, 0, sizeof *s);
	for (int z = 0; z < m->nr_zones && z < MAX_NR_ZONES_MODEL; z++)
		for (int k = 0; k < NR_ORDERS; k++)
			s->nr_free[z][k] = free_area_nr_free(&m->zones[z].free_area[k]);
}

static bool zone_changed(const struct machine *m, const struct nr_free_snapshot *before, int z)
{
	for (int k = 0; k < NR_ORDERS; k++)
		if (before->nr_free[z][k] != free_area_nr_free(&m->zones[z].free_area[k]))
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
	for (int z = 0; z < m->nr_zones && z < MAX_NR_ZONES_MODEL; z++) {
		if (!before || !zone_changed(m, before, z))
			continue;
		const struct zone *zn = &m->zones[z];
		if (explain && !s.n)
			sb_printf(&s, "Free-list counts (/proc/buddyinfo) changed:");
		else if (explain)
			sb_printf(&s, ";");
		if (explain)
			sb_printf(&s, " %s", zn->name);
		else if (!o->json)
			out_printf(o, "  buddyinfo %s:", zn->name);
		bool firsto = true;
		for (int k = 0; k < NR_ORDERS; k++) {
			ull b = before->nr_free[z][k], a = free_area_nr_free(&zn->free_area[k]);
			if (a == b)
				continue;
			if (explain) {
				sb_printf(&s, "%s order %d from %llu to %llu", firsto ? "" : ",", k, b, a);
			} else if (o->json) {
				out_printf(o, "%s{\"zone\":", first ? "" : ",");
				out_json_str(o, zn->name);
				out_printf(o, ",\"order\":%d,\"before\":%llu,\"after\":%llu}", k, b, a);
				first = false;
			} else {
				out_printf(o, "%s order %d %llu->%llu", firsto ? "" : ",", k, b, a);
			}
			firsto = false;
		}
		if (!explain && !o->json)
			out_puts(o, "\n");
	}
	if (explain && s.n) {
		sb_printf(&s, ".");
		emit(o, first_expl, &s);
	}
	if (o->json && !explain)
		out_puts(o, "]");
}

/*
 * The change log of the last step, then the nr_free counts that differ
 * from `before` (may be NULL: no counts).  JSON:
 *   {"changes":[{flat event}...],"dropped":N,"nr_free_changed":[...]}
 * and with explain also "explanation":[sentences].
 */
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
		if (explain) {
			bool first = true;
			out_puts(o, ",\"explanation\":[");
			explain_events(o, m, &first);
			nr_free_changes(o, m, before, true, &first);
			out_puts(o, "]");
		}
		out_puts(o, "}\n");
		return;
	}
	if (explain) {
		bool first = true;
		explain_events(o, m, &first);
		nr_free_changes(o, m, before, true, &first);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		event_line(o, m, &l->v[i], af);
		if (l->v[i].kind == CH_SLOWPATH)
			af = l->v[i].mt;
		else if (l->v[i].kind == CH_ALLOC)
			af = AF_WMARK_LOW;
	}
	if (l->dropped)
		out_printf(o, "  (%zu more events not shown: the change log is full)\n", l->dropped);
	nr_free_changes(o, m, before, false, NULL);
}
