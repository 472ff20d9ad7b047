/*
 * snapshot.c - a real machine's memory state loaded into the model.
 *
 * A booted kernel shows its page allocator in /proc: zoneinfo has each
 * zone's span, present and managed pages, watermarks and protection
 * (lowmem_reserve); buddyinfo the number of free blocks of each order;
 * pagetypeinfo the same per migratetype, and how many pageblocks have each
 * type.  What no file shows is where the free blocks are.  The loader puts
 * them at pfns that a real kernel could have: inside RAM of the right zone
 * that the booted model does not itself hold (image, memmap, page tables,
 * slab pages), blocks of pageblock order and above on whole pageblocks
 * given the block's type, smaller blocks packed into pageblocks of their
 * type, and never two free buddies of one order side by side (the kernel
 * would have merged them).  Every other page of the zones is in use.
 *
 * Followed: the /proc formats of Linux 6.x (mm/vmstat.c zoneinfo_show_print(),
 * frag_show_print(), pagetypeinfo_showfree_print() with its ">100000" cap,
 * pagetypeinfo_showblockcount_print()) and mm/page_alloc.c
 * __setup_per_zone_wmarks() to recover min_free_kbytes.  Called by boot.c as
 * the last step of machine_create(); it calls the page allocator's loading
 * functions (buddy.h) and the core.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/i18n.h"
#include "kmemsh/memblock.h"
#include "kmemsh/slab.h"
#include "kmemsh/snapshot.h"
#include "kmemsh/vmalloc.h"

#define NZ MAX_NR_ZONES_MODEL
#define NMT MAX_MIGRATETYPES
#define FREECOUNT_CAP 100000ull          /* mm/vmstat.c pagetypeinfo_showfree_print() */

const char *const snapshot_paths[SF_COUNT] = {
	[SF_IOMEM] = "proc/iomem",
	[SF_ZONEINFO] = "proc/zoneinfo",
	[SF_BUDDYINFO] = "proc/buddyinfo",
	[SF_PAGETYPEINFO] = "proc/pagetypeinfo",
	[SF_MEMINFO] = "proc/meminfo",
	[SF_SLABINFO] = "proc/slabinfo",
	[SF_VMALLOCINFO] = "proc/vmallocinfo",
	[SF_CPUINFO] = "proc/cpuinfo",
	[SF_VERSION] = "proc/version",
	[SF_MIN_FREE_KBYTES] = "proc/sys/vm/min_free_kbytes",
	[SF_WMARK_SCALE] = "proc/sys/vm/watermark_scale_factor",
	[SF_CMDLINE] = "proc/cmdline",
	[SF_SLAB_SYSFS] = "sys/kernel/slab",
	[SF_FW_MEMMAP] = "sys/firmware/memmap",
};

/* mm/slub.c slab_attrs[]: the geometry, the flags that shape it, the counts */
const char *const snapshot_slab_attrs[] = {
	"object_size", "slab_size", "align", "order", "objs_per_slab", "aliases", "hwcache_align",
	"reclaim_account", "cache_dma", "destroy_by_rcu", "ctor", "min_partial", "cpu_partial",
	"objects", "total_objects", "slabs", "partial", "objects_partial", "cpu_slabs", NULL,
};

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (int i = 0; i < SF_COUNT; i++)
		free(s->text[i]);
	free(s->dir);
	free(s->iomem_built);
	memset(s, 0, sizeof *s);
}

/* ---- errors and notes ------------------------------------------------------ */

static void path_of(const struct snapshot *s, enum snapshot_file f, char *buf, size_t len)
{
	const char *d = s->dir ? s->dir : ".";
	size_t n = strlen(d);
	snprintf(buf, len, "%s%s%s", d, n && d[n - 1] == '/' ? "" : "/", snapshot_paths[f]);
}

static int __attribute__((format(printf, 6, 7)))
fail(char *err, size_t errlen, const struct snapshot *s, enum snapshot_file f, unsigned line, const char *fmt, ...)
{
	char path[512], msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);       /* a msgid: the Makefile names fail */
	va_end(ap);
	path_of(s, f, path, sizeof path);
	if (line)
		snprintf(err, errlen, "%s:%u: %s", path, line, msg);
	else
		snprintf(err, errlen, "%s: %s", path, msg);
	return -EINVAL;
}

static void __attribute__((format(printf, 2, 3))) note(struct snapshot *s, const char *fmt, ...)
{
	size_t n = strlen(s->notes);
	if (n + 2 >= sizeof s->notes)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->notes + n, sizeof s->notes - n - 1, _(fmt), ap);      /* a msgid: the Makefile names note */
	va_end(ap);
	n = strlen(s->notes);
	s->notes[n] = '\n';
	s->notes[n + 1] = '\0';
}

/* ---- lines ------------------------------------------------------------------ */

struct lines {
	const char *p;
	unsigned no;
	char buf[512];
};

/* the next line into l->buf (cut at 511 bytes), false at the end */
static bool next_line(struct lines *l)
{
	if (!l->p || !*l->p)
		return false;
	const char *e = strchr(l->p, '\n');
	size_t n = e ? (size_t)(e - l->p) : strlen(l->p);
	size_t k = n < sizeof l->buf - 1 ? n : sizeof l->buf - 1;
	memcpy(l->buf, l->p, k);
	l->buf[k] = '\0';
	l->p += n + (e ? 1 : 0);
	l->no++;
	return true;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* a decimal number; *p moves past it; false if none */
static bool get_u64(const char **p, uint64_t *v)
{
	const char *q = skip_ws(*p);
	if (!isdigit((unsigned char)*q))
		return false;
	uint64_t x = 0;
	while (isdigit((unsigned char)*q)) {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*q++ - '0');
	}
	*p = q;
	*v = x;
	return true;
}

/* "Node N, zone NAME" at the start of a line; p moves past the name (and a
 * ',' after it) */
static bool zone_head(const char **p, char *name, size_t len)
{
	const char *q = *p;
	uint64_t node;
	if (strncmp(q, "Node", 4))
		return false;
	q += 4;
	if (!get_u64(&q, &node) || *q != ',')
		return false;
	q = skip_ws(q + 1);
	if (strncmp(q, "zone", 4))
		return false;
	q = skip_ws(q + 4);
	size_t n = 0;
	while (*q && *q != ',' && *q != ' ' && *q != '\t' && n + 1 < len)
		name[n++] = *q++;
	name[n] = '\0';
	if (!n || node != 0)
		return false;
	if (*q == ',')
		q++;
	*p = q;
	return true;
}

/* ---- zoneinfo ------------------------------------------------------------- */

struct szone {
	char name[16];
	unsigned line;                  /* "Node 0, zone NAME" */
	uint64_t free, min, low, high, promo, spanned, present, managed, start_pfn, boost;
	bool has_free, has_min, has_low, has_high, has_promo, has_spanned, has_present, has_managed, has_start,
	     has_boost;
	uint64_t prot[NZ];
	int nprot;
	unsigned prot_line;
};

struct sparse {
	bool old;                       /* Linux before 3.8: no 'managed' line, only populated zones */
	struct szone z[NZ];
	int nz;
	/* free blocks per zone (index into z[]), order, migratetype */
	uint64_t cnt[NZ][NR_ORDERS][NMT];
	bool have_cnt[NZ];
	uint64_t blocks[NZ][NMT];       /* pageblocks per type (pagetypeinfo) */
	bool have_blocks[NZ];
	unsigned buddy_line[NZ], ptype_line[NZ];
};

static int parse_zoneinfo(const struct snapshot *s, struct sparse *sp, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_ZONEINFO] };
	struct szone *z = NULL;
	while (next_line(&l)) {
		const char *p = l.buf;
		char name[16];
		if (zone_head(&p, name, sizeof name)) {
			for (int i = 0; i < sp->nz; i++)
				if (!strcmp(sp->z[i].name, name))
					return fail(err, errlen, s, SF_ZONEINFO, l.no, "zone %s again (first at line %u)",
						    name, sp->z[i].line);
			if (sp->nz == NZ)
				return fail(err, errlen, s, SF_ZONEINFO, l.no, "more than %d zones", NZ);
			z = &sp->z[sp->nz++];
			snprintf(z->name, sizeof z->name, "%s", name);
			z->line = l.no;
			continue;
		}
		if (!z)
			continue;
		p = skip_ws(p);
		const struct { const char *key; uint64_t *v; bool *has; } keys[] = {
			{ "pages free", &z->free, &z->has_free }, { "min", &z->min, &z->has_min },
			{ "low", &z->low, &z->has_low }, { "high", &z->high, &z->has_high },
			{ "promo", &z->promo, &z->has_promo }, { "spanned", &z->spanned, &z->has_spanned },
			{ "present", &z->present, &z->has_present }, { "managed", &z->managed, &z->has_managed },
			{ "start_pfn:", &z->start_pfn, &z->has_start }, { "boost", &z->boost, &z->has_boost },
		};
		bool done = false;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			size_t n = strlen(keys[k].key);
			if (strncmp(p, keys[k].key, n) || (p[n] != ' ' && p[n] != '\t'))
				continue;
			const char *q = p + n;
			if (!get_u64(&q, keys[k].v) || *skip_ws(q))
				return fail(err, errlen, s, SF_ZONEINFO, l.no, "'%s' is not followed by a number", keys[k].key);
			*keys[k].has = true;
			done = true;
			break;
		}
		if (done || strncmp(p, "protection:", 11))
			continue;
		const char *q = skip_ws(p + 11);
		if (*q++ != '(')
			return fail(err, errlen, s, SF_ZONEINFO, l.no, "protection: expected '('");
		z->nprot = 0;
		for (;;) {
			uint64_t v;
			if (z->nprot == NZ || !get_u64(&q, &v))
				return fail(err, errlen, s, SF_ZONEINFO, l.no, "protection: expected numbers");
			z->prot[z->nprot++] = v;
			q = skip_ws(q);
			if (*q == ',') {
				q++;
				continue;
			}
			if (*q == ')')
				break;
			return fail(err, errlen, s, SF_ZONEINFO, l.no, "protection: expected ',' or ')'");
		}
		z->prot_line = l.no;
	}
	if (!sp->nz)
		return fail(err, errlen, s, SF_ZONEINFO, 0, "no 'Node 0, zone NAME' line (is this a /proc/zoneinfo?)");
	for (int i = 0; i < sp->nz; i++) {
		z = &sp->z[i];
		/* 2.6.32 zoneinfo_show_print() has no managed line (managed_pages
		 * came in 3.8): its page allocator sizes zones by present_pages,
		 * the pages left after the memmap (free_area_init_core()) */
		if (sp->old && !z->has_managed) {
			z->managed = z->present;
			z->has_managed = true;
		}
		const char *miss = !z->has_free ? "pages free" : !z->has_min ? "min" : !z->has_low ? "low" :
				   !z->has_high ? "high" : !z->has_spanned ? "spanned" : !z->has_present ? "present" :
				   !z->has_managed ? "managed" : !z->prot_line ? "protection" :
				   (z->spanned && !z->has_start) ? "start_pfn" : NULL;
		if (miss)
			return fail(err, errlen, s, SF_ZONEINFO, z->line, "zone %s has no '%s' line (file cut short?)",
				    z->name, miss);
		/* 6.x zoneinfo_show_print(): min, low, high (and promo) are
		 * wmark_pages(), zone->watermark_boost included; what follows
		 * works on the unboosted marks, and the boost is put back on */
		if (z->has_boost && z->boost) {
			if (z->boost > z->min || z->boost > z->low || z->boost > z->high ||
			    (z->has_promo && z->boost > z->promo))
				return fail(err, errlen, s, SF_ZONEINFO, z->line,
					    "zone %s: boost %llu is above its min watermark %llu", z->name,
					    (unsigned long long)z->boost, (unsigned long long)z->min);
			z->min -= z->boost;
			z->low -= z->boost;
			z->high -= z->boost;
			if (z->has_promo)
				z->promo -= z->boost;
		}
	}
	for (int i = 0; i < sp->nz; i++) {
		z = &sp->z[i];
		/* protection has MAX_NR_ZONES values; 2.6.32 walk_zones_in_node()
		 * leaves out the zones that are not populated, 6.x prints them all */
		if (sp->old ? z->nprot != sp->z[0].nprot || z->nprot < sp->nz : z->nprot != sp->nz)
			return fail(err, errlen, s, SF_ZONEINFO, z->prot_line, "protection has %d values for %d zones",
				    z->nprot, sp->old && z->nprot >= sp->nz ? sp->z[0].nprot : sp->nz);
		if (z->managed > z->present || z->present > z->spanned)
			return fail(err, errlen, s, SF_ZONEINFO, z->line,
				    "zone %s: managed %llu, present %llu, spanned %llu do not nest", z->name,
				    (unsigned long long)z->managed, (unsigned long long)z->present,
				    (unsigned long long)z->spanned);
		/* 2.6.32's present_pages leaves out the zone's share of the memmap,
		 * which bootmem put in another zone: free may exceed it, never the span */
		if (z->free > (sp->old ? z->spanned : z->managed))
			return fail(err, errlen, s, SF_ZONEINFO, z->line, "zone %s: %llu pages free of %llu %s",
				    z->name, (unsigned long long)z->free,
				    (unsigned long long)(sp->old ? z->spanned : z->managed), sp->old ? "spanned" : "managed");
	}
	return 0;
}

static int zone_index(const struct sparse *sp, const char *name)
{
	for (int i = 0; i < sp->nz; i++)
		if (strcmp(sp->z[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- buddyinfo, pagetypeinfo ---------------------------------------------------- */

static int parse_buddyinfo(const struct snapshot *s, struct sparse *sp, uint64_t out[NZ][NR_ORDERS],
			   bool have[NZ], char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_BUDDYINFO] };
	bool any = false;
	while (next_line(&l)) {
		const char *p = l.buf;
		char name[16];
		if (!*skip_ws(p))
			continue;
		if (!zone_head(&p, name, sizeof name))
			return fail(err, errlen, s, SF_BUDDYINFO, l.no, "expected 'Node 0, zone NAME' and %d counts",
				    NR_ORDERS);
		int zi = zone_index(sp, name);
		if (zi < 0)
			return fail(err, errlen, s, SF_BUDDYINFO, l.no, "zone %s is not in proc/zoneinfo", name);
		if (have[zi])
			return fail(err, errlen, s, SF_BUDDYINFO, l.no, "zone %s again (first at line %u)", name,
				    sp->buddy_line[zi]);
		for (int o = 0; o < NR_ORDERS; o++)
			if (!get_u64(&p, &out[zi][o]))
				return fail(err, errlen, s, SF_BUDDYINFO, l.no, "zone %s: %d counts expected, %d found%s",
					    name, NR_ORDERS, o, *skip_ws(p) ? "" : _(" (line cut short?)"));
		if (*skip_ws(p))
			return fail(err, errlen, s, SF_BUDDYINFO, l.no, "zone %s: more than %d counts", name, NR_ORDERS);
		have[zi] = true;
		sp->buddy_line[zi] = l.no;
		any = true;
	}
	if (!any)
		return fail(err, errlen, s, SF_BUDDYINFO, 0, "no zone lines (empty or cut short)");
	/* mm/vmstat.c walk_zones_in_node() prints every populated zone
	 * (populated_zone(): present pages); one that zoneinfo has with pages
	 * and buddyinfo does not lost its line */
	for (int i = 0; i < sp->nz; i++)
		if (!have[i] && sp->z[i].has_present && sp->z[i].present)
			return fail(err, errlen, s, SF_BUDDYINFO, l.no, "zone %s (%llu present pages in "
				    "proc/zoneinfo) has no line (file cut short?)", sp->z[i].name,
				    (unsigned long long)sp->z[i].present);
	return 0;
}

/* the model's migratetype of a pagetypeinfo column name; -1 unknown */
static int mt_by_name(const struct machine *m, const char *name)
{
	for (int i = 0; i < m->kp->nr_migratetypes; i++)
		if (strcmp(m->kp->mt_names[i], name) == 0)
			return i;
	if (strcmp(name, "CMA") == 0)
		return m->kp->mt_movable;       /* no MIGRATE_CMA in the model: said in the notes */
	return -1;
}

static int parse_pagetypeinfo(const struct machine *m, const struct snapshot *s, struct sparse *sp,
			      bool over[NZ][NR_ORDERS][NMT], bool *cma, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_PAGETYPEINFO] };
	int cols[NMT * 2], ncols = -1;
	bool seen_order = false;
	while (next_line(&l)) {
		const char *p = l.buf;
		char name[16];
		if (!strncmp(p, "Page block order:", 17)) {
			const char *q = p + 17;
			uint64_t v;
			if (!get_u64(&q, &v))
				return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "expected a number");
			if (v != m->pageblock_order)
				return fail(err, errlen, s, SF_PAGETYPEINFO, l.no,
					    "pageblock order %llu, but %s has pageblock order %u",
					    (unsigned long long)v, m->arch->name, m->pageblock_order);
			seen_order = true;
			continue;
		}
		if (!strncmp(p, "Number of blocks type", 21)) {
			const char *q = p + 21;
			ncols = 0;
			for (;;) {
				q = skip_ws(q);
				if (!*q)
					break;
				size_t n = 0;
				while (q[n] && q[n] != ' ' && q[n] != '\t')
					n++;
				char t[24];
				snprintf(t, sizeof t, "%.*s", (int)n, q);
				q += n;
				if (ncols == NMT * 2)
					return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "too many types");
				cols[ncols] = mt_by_name(m, t);
				if (cols[ncols] < 0)
					return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "migratetype '%s' is not modelled", t);
				if (!strcmp(t, "CMA"))
					*cma = true;
				ncols++;
			}
			continue;
		}
		if (!zone_head(&p, name, sizeof name))
			continue;
		int zi = zone_index(sp, name);
		if (zi < 0)
			return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "zone %s is not in proc/zoneinfo", name);
		p = skip_ws(p);
		if (!strncmp(p, "type", 4)) {
			/* pagetypeinfo_showfree_print(): one type's counts */
			p = skip_ws(p + 4);
			size_t n = 0;
			while (p[n] && p[n] != ' ' && p[n] != '\t')
				n++;
			char t[24];
			snprintf(t, sizeof t, "%.*s", (int)n, p);
			p += n;
			int mt = mt_by_name(m, t);
			if (mt < 0)
				return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "migratetype '%s' is not modelled", t);
			if (!strcmp(t, "CMA"))
				*cma = true;
			for (int o = 0; o < NR_ORDERS; o++) {
				p = skip_ws(p);
				bool ov = *p == '>';
				if (ov)
					p++;
				uint64_t v;
				if (!get_u64(&p, &v))
					return fail(err, errlen, s, SF_PAGETYPEINFO, l.no,
						    "zone %s type %s: %d counts expected, %d found", name, t, NR_ORDERS, o);
				sp->cnt[zi][o][mt] += v;
				if (sp->cnt[zi][o][mt] < v)      /* Movable and CMA both land here */
					sp->cnt[zi][o][mt] = UINT64_MAX;
				over[zi][o][mt] |= ov;
			}
			if (*skip_ws(p))
				return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "zone %s type %s: more than %d counts",
					    name, t, NR_ORDERS);
			sp->have_cnt[zi] = true;
			if (!sp->ptype_line[zi])
				sp->ptype_line[zi] = l.no;
			continue;
		}
		/* pagetypeinfo_showblockcount_print() */
		if (ncols < 0)
			return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "block counts before their header line");
		for (int c = 0; c < ncols; c++) {
			uint64_t v;
			if (!get_u64(&p, &v))
				return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "zone %s: %d block counts expected",
					    name, ncols);
			sp->blocks[zi][cols[c]] += v;
		}
		if (*skip_ws(p))
			return fail(err, errlen, s, SF_PAGETYPEINFO, l.no, "zone %s: more than %d block counts", name, ncols);
		sp->have_blocks[zi] = true;
	}
	if (!seen_order)
		return fail(err, errlen, s, SF_PAGETYPEINFO, 0, "no 'Page block order:' line");
	for (int i = 0; i < sp->nz; i++)
		if (sp->have_cnt[i] != sp->have_blocks[i] && sp->z[i].present)
			return fail(err, errlen, s, SF_PAGETYPEINFO, 0, "zone %s has %s but no %s (file cut short?)",
				    sp->z[i].name, sp->have_cnt[i] ? _("free counts") : _("block counts"),
				    sp->have_cnt[i] ? _("block counts") : _("free counts"));
	return 0;
}

/* The free blocks of every zone: pagetypeinfo (checked against buddyinfo
 * where both are there), else buddyinfo on the Movable lists, else
 * zoneinfo's free pages as blocks of the largest orders. */
static int parse_free_lists(const struct machine *m, struct snapshot *s, struct sparse *sp, char *err, size_t errlen)
{
	static uint64_t bi[NZ][NR_ORDERS];
	static bool over[NZ][NR_ORDERS][NMT];
	bool have_bi[NZ] = { false }, cma = false;
	int r, mov = m->kp->mt_movable;
	memset(bi, 0, sizeof bi);
	memset(over, 0, sizeof over);
	if (s->text[SF_BUDDYINFO] && (r = parse_buddyinfo(s, sp, bi, have_bi, err, errlen)))
		return r;
	if (s->text[SF_PAGETYPEINFO]) {
		if ((r = parse_pagetypeinfo(m, s, sp, over, &cma, err, errlen)))
			return r;
		if (!s->text[SF_BUDDYINFO])
			note(s, "%s %s: the free counts are %s's alone", snapshot_paths[SF_BUDDYINFO],
			     s->why[SF_BUDDYINFO][0] ? s->why[SF_BUDDYINFO] : _("missing"), snapshot_paths[SF_PAGETYPEINFO]);
		if (cma)
			note(s, "%s: CMA pageblocks and free lists loaded as Movable (the model has no MIGRATE_CMA)",
			     snapshot_paths[SF_PAGETYPEINFO]);
		for (int z = 0; z < sp->nz; z++) {
			if (!sp->have_cnt[z]) {
				if (have_bi[z])
					return fail(err, errlen, s, SF_PAGETYPEINFO, 0, "zone %s is in proc/buddyinfo but not here",
						    sp->z[z].name);
				continue;
			}
			for (int o = 0; o < NR_ORDERS; o++) {
				uint64_t sum = 0;
				int nover = 0, which = 0;
				for (int t = 0; t < NMT; t++) {
					sum += sp->cnt[z][o][t];
					if (over[z][o][t])
						nover++, which = t;
				}
				if (nover && (!have_bi[z] || nover > 1))
					return fail(err, errlen, s, SF_PAGETYPEINFO, sp->ptype_line[z],
						    "zone %s order %d: '>%llu' says only that there are more; proc/buddyinfo "
						    "%s the total", sp->z[z].name, o, FREECOUNT_CAP,
						    have_bi[z] ? _("cannot give more than one type's") : _("is needed for"));
				if (nover) {
					uint64_t rest = sum - sp->cnt[z][o][which];
					if (bi[z][o] < rest + FREECOUNT_CAP)
						return fail(err, errlen, s, SF_BUDDYINFO, sp->buddy_line[z],
							    "zone %s order %d: %llu free blocks, fewer than pagetypeinfo's "
							    "'>%llu' and the other types", sp->z[z].name, o,
							    (unsigned long long)bi[z][o], FREECOUNT_CAP);
					sp->cnt[z][o][which] = bi[z][o] - rest;
				} else if (have_bi[z] && sum != bi[z][o]) {
					return fail(err, errlen, s, SF_PAGETYPEINFO, sp->ptype_line[z],
						    "zone %s order %d: the types add up to %llu free blocks, "
						    "proc/buddyinfo:%u has %llu (files read at different times?)",
						    sp->z[z].name, o, (unsigned long long)sum, sp->buddy_line[z],
						    (unsigned long long)bi[z][o]);
				}
			}
		}
		return 0;
	}
	if (s->text[SF_BUDDYINFO]) {
		note(s, "%s %s: free blocks put on the Movable lists, every pageblock Movable",
		     snapshot_paths[SF_PAGETYPEINFO], s->why[SF_PAGETYPEINFO]);
		for (int z = 0; z < sp->nz; z++)
			if (have_bi[z]) {
				for (int o = 0; o < NR_ORDERS; o++)
					sp->cnt[z][o][mov] = bi[z][o];
				sp->have_cnt[z] = true;
			}
		return 0;
	}
	note(s, "%s and %s %s: each zone's free pages (zoneinfo) laid out as blocks of the largest orders",
	     snapshot_paths[SF_BUDDYINFO], snapshot_paths[SF_PAGETYPEINFO], s->why[SF_BUDDYINFO]);
	for (int z = 0; z < sp->nz; z++) {
		uint64_t f = sp->z[z].free;
		sp->cnt[z][MAX_ORDER_MODEL][mov] = f >> MAX_ORDER_MODEL;
		for (int o = 0; o < MAX_ORDER_MODEL; o++)
			sp->cnt[z][o][mov] = (f >> o) & 1;
		sp->have_cnt[z] = true;
	}
	return 0;
}

/* ---- configuration -------------------------------------------------------------- */

/* A line longer than next_line() keeps would be read cut, and a number cut
 * short is still a number: refuse it.  The kernel's lines in these files are
 * short; proc/cpuinfo's flags line is long but only "processor" lines are
 * read, proc/vmallocinfo's per-node counts may be long but only its first
 * fields are read, and proc/iomem has its own parser. */
static int long_lines(const struct snapshot *s, char *err, size_t errlen)
{
	static const enum snapshot_file checked[] = {
		SF_ZONEINFO, SF_BUDDYINFO, SF_PAGETYPEINFO, SF_MEMINFO, SF_SLABINFO, SF_MIN_FREE_KBYTES, SF_WMARK_SCALE,
		SF_SLAB_SYSFS, SF_FW_MEMMAP,
	};
	for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++) {
		const char *p = s->text[checked[i]];
		for (unsigned no = 1; p && *p; no++) {
			size_t n = strcspn(p, "\n");
			if (n >= sizeof ((struct lines *)0)->buf)
				return fail(err, errlen, s, checked[i], no, "line longer than %zu bytes",
					    sizeof ((struct lines *)0)->buf - 1);
			p += n + (p[n] == '\n');
		}
	}
	return 0;
}

/* fs/proc/meminfo.c meminfo_proc_show(): every line "NAME:", blanks, a
 * number, " kB" on most (show_val_kb()); MemTotal and MemFree open it in
 * every version.  Only MemTotal is compared with the zones (snapshot_apply()),
 * but a file without them, or with a line that is not a number, is not a
 * meminfo read whole: refused before anything is built. */
static int check_meminfo(const struct snapshot *s, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_MEMINFO] };
	bool total = false, has_free = false;
	while (next_line(&l)) {
		const char *p = l.buf, *c = strchr(p, ':');
		uint64_t v;
		if (!*skip_ws(p))
			continue;
		if (!c || c == p || memchr(p, ' ', (size_t)(c - p)) || (p = c + 1, !get_u64(&p, &v)) ||
		    (*(p = skip_ws(p)) && strcmp(p, "kB")))
			return fail(err, errlen, s, SF_MEMINFO, l.no, "expected 'NAME: NUMBER' or 'NAME: NUMBER kB'");
		total |= !strncmp(l.buf, "MemTotal:", 9);
		has_free |= !strncmp(l.buf, "MemFree:", 8);
	}
	if (!total || !has_free)
		return fail(err, errlen, s, SF_MEMINFO, 0, "no '%s' line (%s)", !total ? "MemTotal:" : "MemFree:",
			    l.no ? _("file cut short?") : _("empty file"));
	return 0;
}

/* ---- the physical map without proc/iomem's addresses ---------------------------- */

bool snapshot_iomem_zeroed(const char *text)
{
	bool any = false;
	for (const char *p = text; p && *p; ) {
		size_t n = strcspn(p, "\n");
		const char *q = skip_ws(p);
		if (q < p + n) {
			size_t z = strspn(q, "0");
			if (!z || q[z] != '-' || strspn(q + z + 1, "0") == 0 || q[z + 1 + strspn(q + z + 1, "0")] != ' ')
				return false;
			any = true;
		}
		p += n + (p[n] == '\n');
	}
	return any;
}

struct e820e {
	uint64_t start, end;            /* inclusive, as both files print them */
	char type[64];
	unsigned line;                  /* in the snapshot's text, for errors */
};

static int cmp_start(const void *a, const void *b)
{
	const struct e820e *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* take [s, e] out of the RAM entries (e820__range_update()/remove() on
 * E820_TYPE_RAM); a part updated becomes an entry of type to, else it goes */
static int e820_cut_ram(struct e820e *v, int *n, int cap, uint64_t s, uint64_t e, const char *to)
{
	for (int i = 0; i < *n; i++) {
		struct e820e x = v[i];
		if (strcmp(x.type, "System RAM") || x.end < s || x.start > e)
			continue;
		struct e820e part[3];
		int k = 0;
		if (x.start < s)
			part[k] = x, part[k].end = s - 1, k++;
		if (to)
			part[k] = x, part[k].start = x.start > s ? x.start : s, part[k].end = x.end < e ? x.end : e,
			snprintf(part[k].type, sizeof part[k].type, "%s", to), k++;
		if (x.end > e)
			part[k] = x, part[k].start = e + 1, k++;
		if (*n - 1 + k > cap)
			return -1;
		memmove(v + i + k, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
		memcpy(v + i, part, (size_t)k * sizeof *v);
		*n += k - 1;
		i += k - 1;
	}
	return 0;
}

/*
 * proc/iomem as root would have read it, as far as the firmware's table
 * tells: sys/firmware/memmap is e820_table_firmware, the table the
 * firmware gave after e820__update_table() sorted and merged it
 * (e820__memory_setup()).  setup_arch() then edits e820_table, which
 * e820__reserve_resources() shows in /proc/iomem, with trim_bios_range():
 * the first page RAM to reserved (2.6.32 on i386: the first 64 KiB, as the
 * model's own 2.6.32 map; CONFIG_X86_RESERVE_LOW_64K) and 640K-1M taken
 * out of RAM, then e820__update_table() merges what became adjacent.  Not
 * known: where the kernel image is (it goes where the profile puts it)
 * and the devices (left out).
 */
static int iomem_from_fw_memmap(struct snapshot *s, bool old, uint64_t mem_limit, char *err, size_t errlen)
{
	enum { CAP = 1024 + 8 };
	struct e820e *v = calloc(CAP, sizeof *v);
	int n = 0;
	if (!v)
		return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
	struct lines l = { .p = s->text[SF_FW_MEMMAP] };
	while (next_line(&l)) {
		char *e1 = l.buf, *e2 = l.buf;
		unsigned long long a = 0, b = 0;
		if (!*skip_ws(l.buf))
			continue;
		errno = 0;
		if (!strncmp(l.buf, "0x", 2))
			a = strtoull(l.buf, &e1, 16);
		if (e1 != l.buf && *e1 == ' ' && !strncmp(e1 + 1, "0x", 2))
			b = strtoull(e1 + 1, &e2, 16);
		if (n == CAP - 8) {
			free(v);
			return fail(err, errlen, s, SF_FW_MEMMAP, l.no, "more than %d entries", CAP - 8);
		}
		if (e2 == l.buf || *e2 != ' ' || !e2[1] || errno || b < a) {
			free(v);
			return fail(err, errlen, s, SF_FW_MEMMAP, l.no, "expected 'START END TYPE' (0x numbers)");
		}
		v[n].start = a;
		v[n].end = b;
		v[n].line = l.no;
		snprintf(v[n].type, sizeof v[n].type, "%s", e2 + 1);
		n++;
	}
	/* numbered as added (drivers/firmware/memmap.c): hot-added memory
	 * need not follow the boot table's address order */
	qsort(v, (size_t)n, sizeof *v, cmp_start);
	for (int i = 1; i < n; i++)
		if (v[i].start <= v[i - 1].end) {
			unsigned line = v[i].line > v[i - 1].line ? v[i].line : v[i - 1].line;
			free(v);
			return fail(err, errlen, s, SF_FW_MEMMAP, line, "entries overlapping (not a firmware memmap?)");
		}
	const char *resv = old ? "reserved" : "Reserved";
	/* mem= (parse_memopt(), an early_param) went before: RAM from the
	 * limit up out of e820_table, not of e820_table_firmware */
	if ((mem_limit && e820_cut_ram(v, &n, CAP, mem_limit, ~0ull, NULL)) ||
	    e820_cut_ram(v, &n, CAP, 0, (old ? 0x10000 : 0x1000) - 1, resv) ||
	    e820_cut_ram(v, &n, CAP, 0xa0000, 0xfffff, NULL)) {
		free(v);
		return fail(err, errlen, s, SF_FW_MEMMAP, 0, "more than %d entries", CAP - 8);
	}
	size_t cap = (size_t)n * 128 + 1, len = 0;       /* a line: two 16-digit addresses, a type of < 64 */
	char *text = malloc(cap);
	if (!text) {
		free(v);
		return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
	}
	text[0] = '\0';
	for (int i = 0; i < n; i++) {
		int j = i;
		while (j + 1 < n && v[j + 1].start == v[j].end + 1 && !strcmp(v[j + 1].type, v[i].type))
			j++;
		len += (size_t)snprintf(text + len, cap - len, "%08llx-%08llx : %s\n", (unsigned long long)v[i].start,
					(unsigned long long)v[j].end, v[i].type);
		i = j;
	}
	free(v);
	free(s->iomem_built);
	s->iomem_built = text;
	return 0;
}

/*
 * The mem= the snapshot's kernel was booted with, from proc/cmdline as
 * kernel/params.c parse_args() splits it (cmdline.h), 0 if none.  arch/x86/kernel/e820.c
 * parse_memopt(): memparse() of a value starting with a digit; each mem=
 * removes RAM from its size up, so the smallest one wins; 0 or a word
 * ("nopentium", 32-bit only, changes no RAM) removes nothing in 6.x
 * ("Malformed early option 'mem'"), and in 2.6.32 all RAM, which a
 * machine that booted cannot have had.  memmap= edits the table in ways
 * not followed here: said in a note.
 */
static uint64_t cmdline_mem_limit(struct snapshot *s)
{
	uint64_t limit = 0;
	bool memmap = false;
	struct cmdline_iter it;
	char *tok, *val;
	size_t k;
	cmdline_iter_init(&it, s->text[SF_CMDLINE], true);
	while (cmdline_next(&it, &tok, &k, &val)) {
		if (!strncmp(tok, "memmap=", 7))
			memmap = true;
		if (strncmp(tok, "mem=", 4) || !isdigit((unsigned char)tok[4]))
			continue;
		const char *end;
		uint64_t sz = memblock_memparse(tok + 4, &end);
		if (sz && (!limit || sz < limit))
			limit = sz;
	}
	if (memmap)
		note(s, "%s: memmap= is not applied to %s's ranges", snapshot_paths[SF_CMDLINE],
		     snapshot_paths[SF_FW_MEMMAP]);
	return limit;
}

/*
 * Which file gives the physical map, the one place of the rule: proc/iomem,
 * unless every address in it is zero (a user other than root:
 * kernel/resource.c r_show()); then sys/firmware/memmap, which every user
 * reads, built into s->iomem_built as root's proc/iomem would show it (with
 * proc/cmdline's mem=).  0 with *mapf and *map set, or -EINVAL naming the
 * file and line.
 */
static int map_source(struct snapshot *s, enum snapshot_file *mapf, const char **map, char *err, size_t errlen)
{
	int r;
	*mapf = SF_IOMEM;
	if (!s->text[SF_IOMEM])
		return fail(err, errlen, s, SF_IOMEM, 0, "%s (this file is required)",
			    s->why[SF_IOMEM][0] ? s->why[SF_IOMEM] : _("missing"));
	if (snapshot_iomem_zeroed(s->text[SF_IOMEM])) {
		if (!s->text[SF_FW_MEMMAP] || !*s->text[SF_FW_MEMMAP])
			return fail(err, errlen, s, SF_IOMEM, 0, "every address is zero: the kernel shows them to root "
				    "only, and %s, which gives the RAM ranges to every user, is %s; take the snapshot as "
				    "root (sudo kmemsh --snapshot DIR)", snapshot_paths[SF_FW_MEMMAP],
				    s->text[SF_FW_MEMMAP] ? _("empty") : s->why[SF_FW_MEMMAP][0] ? s->why[SF_FW_MEMMAP] :
				    _("missing"));
		const char *v = s->text[SF_VERSION];
		uint64_t limit = cmdline_mem_limit(s);
		if ((r = iomem_from_fw_memmap(s, v && !strncmp(v, "Linux version 2.", 16), limit, err, errlen)))
			return r;
		*mapf = SF_FW_MEMMAP;
		note(s, "%s: every address is zero (not read as root): RAM and reserved ranges from %s as "
		     "setup_arch() edits them (trim_bios_range()); the kernel image where the profile puts it, "
		     "with the profile's sizes; no devices", snapshot_paths[SF_IOMEM], snapshot_paths[SF_FW_MEMMAP]);
		if (limit)
			note(s, "%s: mem=%lluK: the RAM from there up taken out of %s's, as parse_memopt() "
			     "(e820__range_remove()) took it out of the kernel's table", snapshot_paths[SF_CMDLINE],
			     (unsigned long long)(limit >> 10), snapshot_paths[SF_FW_MEMMAP]);
		else if (!s->text[SF_CMDLINE])
			note(s, "%s %s: a mem= the machine was booted with is not known (%s holds all the firmware's RAM)",
			     snapshot_paths[SF_CMDLINE], s->why[SF_CMDLINE][0] ? s->why[SF_CMDLINE] : _("missing"),
			     snapshot_paths[SF_FW_MEMMAP]);
	}
	*map = *mapf == SF_IOMEM ? s->text[SF_IOMEM] : s->iomem_built;
	struct memmap mm;
	char perr[200] = "";
	unsigned line = 0;
	memmap_init(&mm);
	r = memmap_parse_iomem(&mm, *map, perr, sizeof perr);
	memmap_free(&mm);
	if (r) {
		const char *msg = perr;
		if (sscanf(perr, "line %u:", &line) == 1)
			msg = strchr(perr, ':') + 1 + (strchr(perr, ':')[1] == ' ');
		return fail(err, errlen, s, *mapf, *mapf == SF_IOMEM ? line : 0, "%s", msg);
	}
	return 0;
}

int snapshot_iomem_loadable(struct snapshot *s, char *err, size_t errlen)
{
	enum snapshot_file mapf;
	const char *map;
	int r = map_source(s, &mapf, &map, err, errlen);
	return r ? r : mapf == SF_FW_MEMMAP;
}

int snapshot_configure(struct snapshot *s, struct machine_config *cfg, char *err, size_t errlen)
{
	for (int f = SF_IOMEM; f <= SF_ZONEINFO; f++)
		if (!s->text[f])
			return fail(err, errlen, s, (enum snapshot_file)f, 0, "%s (this file is required)",
				    s->why[f][0] ? s->why[f] : _("missing"));
	int r = long_lines(s, err, errlen);
	if (r || (s->text[SF_MEMINFO] && (r = check_meminfo(s, err, errlen))))
		return r;
	/* the physical map first, so that its errors name the file */
	enum snapshot_file mapf;
	const char *map;
	if ((r = map_source(s, &mapf, &map, err, errlen)))
		return r;
	struct sparse *sp = calloc(1, sizeof *sp);
	if (!sp)
		return fail(err, errlen, s, SF_ZONEINFO, 0, "out of memory");
	const char *ver = s->text[SF_VERSION];
	char vline[160] = "";
	unsigned maj = 0, min = 0;
	if (ver) {
		snprintf(vline, sizeof vline, "%.*s", (int)strcspn(ver, "\n"), ver);
		if (sscanf(vline, "Linux version %u.%u", &maj, &min) != 2) {
			free(sp);
			return fail(err, errlen, s, SF_VERSION, 1, "expected 'Linux version X.Y...'");
		}
	}
	sp->old = maj && maj < 3;
	r = parse_zoneinfo(s, sp, err, errlen);
	bool dma32 = zone_index(sp, "DMA32") >= 0, high = zone_index(sp, "HighMem") >= 0;
	free(sp);
	if (r)
		return r;
	/* the arch: its zones say it (x86_64 has DMA32, x86_32 HighMem) */
	if (dma32 && !high)
		cfg->arch = "x86_64";
	else if (high && !dma32)
		cfg->arch = strstr(vline, "pae") ? "i386-pae" : "i386";
	else
		return fail(err, errlen, s, SF_ZONEINFO, 0, "zones %s: neither x86_64 (DMA32) nor x86_32 (HighMem)",
			    dma32 ? _("DMA32 and HighMem") : _("without DMA32 or HighMem"));
	/* the kernel: the nearest profile to proc/version's release */
	if (ver) {
		const char *rel = vline + 14;
		/* 3.x to 6.6 are nearer 6.1 (6.7 brought pcp high_min/high_max,
		 * 6.8 took SLAB away, 6.9 the vmap nodes), 6.7 on 6.13 */
		cfg->kernel = maj < 3 ? "2.6.32" : maj < 6 || (maj == 6 && min <= 6) ? "6.1" : "6.13";
		note(s, "Linux %.*s: modelled as Linux %s, the nearest profile", (int)strcspn(rel, " "), rel, cfg->kernel);
		/* vmap nodes came in 6.9 (vmap_init_nodes()): a kernel before had
		 * one vmap_area tree, and its areas are where that tree put them
		 * (the 6.1 profile has no nodes anyway) */
		if (maj == 6 && min >= 7 && min < 9 && cfg->arch[0] == 'x') {
			cfg->vmap_one_node = true;
			note(s, "Linux %u.%u had no vmap nodes: one vmap node, as its areas were laid out", maj, min);
		}
	} else {
		cfg->kernel = "6.13";
		note(s, "%s %s: modelled as Linux 6.13", snapshot_paths[SF_VERSION], s->why[SF_VERSION]);
	}
	if (maj && maj < 3 && cfg->arch[0] == 'x')
		return fail(err, errlen, s, SF_VERSION, 1, "Linux %u.%u on x86_64: kmemsh models 2.6.32 on i386 only",
			    maj, min);
	/* the CPUs: one "processor" line each */
	unsigned ncpu = 0;
	if (s->text[SF_CPUINFO]) {
		struct lines l = { .p = s->text[SF_CPUINFO] };
		while (next_line(&l)) {
			/* show_cpuinfo(): "processor\t: %u" */
			if (strncmp(l.buf, "processor", 9) || !strchr(l.buf, ':'))
				continue;
			const char *p = strchr(l.buf, ':') + 1;
			uint64_t v;
			if (!get_u64(&p, &v) || *skip_ws(p))
				return fail(err, errlen, s, SF_CPUINFO, l.no, "expected 'processor : NUMBER'");
			ncpu++;
		}
		if (!ncpu)
			return fail(err, errlen, s, SF_CPUINFO, 0, "no 'processor' line");
		if (ncpu > 4096)
			return fail(err, errlen, s, SF_CPUINFO, 0, "%u CPUs: kmemsh models up to 4096", ncpu);
	} else {
		ncpu = 1;
		note(s, "%s %s: 1 CPU", snapshot_paths[SF_CPUINFO], s->why[SF_CPUINFO]);
	}
	cfg->ncpus = ncpu;
	cfg->iomem_text = map;
	cfg->mem_bytes = 0;
	cfg->snapshot = s;
	for (int f = SF_BUDDYINFO; f < SF_COUNT; f++) {
		if (f == SF_VERSION || f == SF_CPUINFO || f == SF_PAGETYPEINFO || f == SF_BUDDYINFO ||
		    f == SF_MIN_FREE_KBYTES)
			continue;               /* said where they are used */
		if (f == SF_WMARK_SCALE && maj && maj < 4)
			continue;               /* the sysctl came in 4.6 */
		if (f == SF_SLABINFO && s->text[SF_SLAB_SYSFS])
			continue;               /* sysfs gives the rows: said in snapshot_apply() */
		if (f == SF_FW_MEMMAP || f == SF_CMDLINE)
			continue;               /* needed only without iomem's addresses: map_source() */
		if (f == SF_SLAB_SYSFS && !s->text[f] && s->text[SF_SLABINFO]) {
			note(s, "%s %s: the caches' object_size, align and merged names unknown", snapshot_paths[f],
			     s->why[f][0] ? s->why[f] : "missing");
			continue;
		}
		if (!s->text[f])
			note(s, "%s %s: not used", snapshot_paths[f], s->why[f][0] ? s->why[f] : _("missing"));

	}
	return 0;
}

/* ---- placing the free blocks ------------------------------------------------------- */

struct pblk {
	uint64_t pfn;
	uint8_t order, mt, zone;
};

struct placer {
	struct machine *m;
	uint64_t pb_pages;              /* pageblock_nr_pages */
	uint8_t *cstate;                /* per chunk: 0 unknown, 1 all RAM the model leaves free, 2 some, 3 none */
	int8_t *pbt;                    /* per pageblock: type given, -1 none */
	int8_t *pbbig;                  /* per pageblock: order of a big free block starting here, -1 none */
	uint8_t *pbused;                /* per pageblock: 0xff a big free block, z + 1 small ones of zone z */
	struct phys_range give[8];      /* reserved by the model's boot, free in the real kernel */
	int ngive;
	int32_t *tidx;                  /* per chunk: its saved bits in tbits, -1 none */
	uint64_t (*tbits)[CHUNK_PAGES / 64];
	struct pblk *v;
	size_t n, cap;
};

static int plan_add(struct placer *pl, uint64_t pfn, unsigned order, int mt, int z)
{
	if (pl->n == pl->cap) {
		size_t nc = pl->cap ? pl->cap * 2 : 1024;
		struct pblk *nv = realloc(pl->v, nc * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		pl->v = nv;
		pl->cap = nc;
	}
	pl->v[pl->n++] = (struct pblk){ pfn, (uint8_t)order, (uint8_t)mt, (uint8_t)z };
	return 0;
}

/*
 * What the booted model reserves but the real kernel had given back by the
 * time of the snapshot, so that its free pages may lie there: the init
 * sections (free_initmem(), "Freeing unused kernel image (initmem)
 * memory"), the text/rodata and rodata/data gaps (x86_64's
 * free_kernel_image_pages() from mark_rodata_ro()), and the swiotlb buffer,
 * which a machine without the need for bounce buffers never allocates.
 * The snapshot's managed counts say what a zone really reserved.
 */
static void find_give(struct placer *pl)
{
	const struct machine *m = pl->m;
	const struct kimage *k = &m->kimage;
	uint64_t pg = 4096;
	uint64_t et = (k->etext + pg - 1) & ~(pg - 1), er = (k->erodata + pg - 1) & ~(pg - 1);
	if (k->rodata > et)
		pl->give[pl->ngive++] = (struct phys_range){ et, k->rodata, "text/rodata gap" };
	if (k->sdata > er && k->erodata > k->etext)
		pl->give[pl->ngive++] = (struct phys_range){ er, k->sdata, "rodata/data gap" };
	if (k->init_end > k->init_begin)
		pl->give[pl->ngive++] = (struct phys_range){ k->init_begin, k->init_end, "initmem" };
	for (size_t i = 0; i < m->memmap.nresv && pl->ngive < 8; i++)
		if (m->memmap.resv[i].name && !strcmp(m->memmap.resv[i].name, "swiotlb buffer"))
			pl->give[pl->ngive++] = m->memmap.resv[i];
}

static bool given(const struct placer *pl, uint64_t pfn)
{
	uint64_t a = pfn << 12;
	for (int i = 0; i < pl->ngive; i++)
		if (a >= pl->give[i].start && a + 4096 <= pl->give[i].end)
			return true;
	return false;
}

/* bits [from, to) of a bitmap set or cleared, a word at a time */
static void set_bits(uint64_t *w, uint64_t from, uint64_t to)
{
	while (from < to) {
		unsigned b = (unsigned)(from % 64);
		uint64_t n = to - from < 64 - b ? to - from : 64 - b;
		w[from / 64] |= (n == 64 ? ~0ull : (1ull << n) - 1) << b;
		from += n;
	}
}

static void clear_bits(uint64_t *w, uint64_t from, uint64_t to)
{
	while (from < to) {
		unsigned b = (unsigned)(from % 64);
		uint64_t n = to - from < 64 - b ? to - from : 64 - b;
		w[from / 64] &= ~((n == 64 ? ~0ull : (1ull << n) - 1) << b);
		from += n;
	}
}

/* set the bits of pfns [s, e) that fall in the chunk starting at base */
static void mark(uint64_t bits[CHUNK_PAGES / 64], uint64_t base, uint64_t s, uint64_t e)
{
	if (s < base)
		s = base;
	if (e > base + CHUNK_PAGES)
		e = base + CHUNK_PAGES;
	if (s < e)
		set_bits(bits, s - base, e - base);
}

/* The pages of chunk c that loaded free blocks may take, as bits: free in
 * the booted model, or reserved by it but given back (find_give()).  Saved
 * for chunks with descriptors before their free lists are cleared
 * (save_touched()). */
static void chunk_bits(const struct placer *pl, uint64_t c, uint64_t bits[CHUNK_PAGES / 64])
{
	const struct machine *m = pl->m;
	memset(bits, 0, CHUNK_PAGES / 8);
	uint64_t base = c << CHUNK_SHIFT;
	if (pl->tidx && pl->tidx[c] >= 0) {
		memcpy(bits, pl->tbits[pl->tidx[c]], CHUNK_PAGES / 8);
		return;
	}
	if (m->chunk[c]) {
		const struct page *pg = m->chunk[c];
		for (unsigned i = 0; i < CHUNK_PAGES; ) {
			unsigned n = 1;
			if (pg[i].flags & (PG_buddy | PG_head))
				n = 1u << pg[i].order;
			if ((pg[i].flags & PG_buddy) ||
			    ((pg[i].flags & (PG_reserved | PG_hole | PG_table)) == PG_reserved && given(pl, base + i)))
				set_bits(bits, i, i + n < CHUNK_PAGES ? i + n : CHUNK_PAGES);
			i += n;
		}
		return;
	}
	/* untouched: RAM and not reserved, or reserved but given back; by
	 * ranges, not page by page */
	uint64_t ram[CHUNK_PAGES / 64] = { 0 }, resv[CHUNK_PAGES / 64] = { 0 }, give[CHUNK_PAGES / 64] = { 0 };
	const struct memmap *mm = &m->memmap;
	for (size_t i = 0; i < mm->nram; i++)
		mark(ram, base, mm->ram[i].start >> 12, mm->ram[i].end >> 12);
	for (size_t i = 0; i < mm->nresv; i++)
		mark(resv, base, mm->resv[i].start >> 12, (mm->resv[i].end + 4095) >> 12);
	for (int i = 0; i < pl->ngive; i++)
		mark(give, base, (pl->give[i].start + 4095) >> 12, pl->give[i].end >> 12);
	for (unsigned i = 0; i < CHUNK_PAGES / 64; i++)
		bits[i] = ram[i] & (~resv[i] | give[i]);
	if (base + CHUNK_PAGES > m->max_pfn)
		clear_bits(bits, (base > m->max_pfn ? base : m->max_pfn) - base, CHUNK_PAGES);
}

static int save_touched(struct placer *pl)
{
	const struct machine *m = pl->m;
	pl->tidx = malloc((m->nr_chunks ? m->nr_chunks : 1) * sizeof *pl->tidx);
	pl->tbits = malloc((m->materialized ? m->materialized : 1) * sizeof *pl->tbits);
	if (!pl->tidx || !pl->tbits)
		return -ENOMEM;
	int32_t n = 0;
	for (uint64_t c = 0; c < m->nr_chunks; c++) {
		pl->tidx[c] = -1;
		if (m->chunk[c] && (uint64_t)n < m->materialized) {
			uint64_t bits[CHUNK_PAGES / 64];
			chunk_bits(pl, c, bits);
			memcpy(pl->tbits[n], bits, sizeof bits);
			pl->tidx[c] = n++;
		}
	}
	return 0;
}

static int chunk_state(struct placer *pl, uint64_t c)
{
	if (pl->cstate[c])
		return pl->cstate[c];
	const struct machine *m = pl->m;
	uint64_t s = c << CHUNK_SHIFT, e = s + CHUNK_PAGES;
	int st;
	uint64_t ram = e <= m->max_pfn ? memmap_ram_pages(&m->memmap, s, e) : 0;
	uint64_t resv = ram ? memmap_reserved_pages(&m->memmap, s, e) : 0;
	if (m->chunk[c] || e > m->max_pfn || (resv && pl->ngive)) {
		uint64_t bits[CHUNK_PAGES / 64];
		chunk_bits(pl, c, bits);
		unsigned n = 0;
		for (unsigned i = 0; i < CHUNK_PAGES / 64; i++)
			n += (unsigned)__builtin_popcountll(bits[i]);
		st = n == CHUNK_PAGES ? 1 : n ? 2 : 3;
	} else {
		st = ram == CHUNK_PAGES && !resv ? 1 : ram > resv ? 2 : 3;
	}
	pl->cstate[c] = (uint8_t)st;
	return st;
}

/* the free pages of [pfn, pfn + n) (n <= CHUNK_PAGES, within one chunk)
 * inside zone [zs, ze), as bits from bit 0 */
static void range_bits(struct placer *pl, uint64_t pfn, uint64_t n, uint64_t zs, uint64_t ze, uint64_t *out)
{
	uint64_t c = pfn >> CHUNK_SHIFT;
	uint64_t bits[CHUNK_PAGES / 64];
	int st = chunk_state(pl, c);
	memset(out, 0, (size_t)((n + 63) / 64) * 8);
	if (st == 3)
		return;
	if (st == 1)
		memset(bits, 0xff, sizeof bits);
	else
		chunk_bits(pl, c, bits);
	/* the pages inside the zone, [lo, hi) of the range, copied a word at
	 * a time from the chunk's bits at off */
	unsigned off = (unsigned)(pfn & (CHUNK_PAGES - 1));
	uint64_t lo = zs > pfn ? zs - pfn : 0, hi = ze < pfn + n ? (ze > pfn ? ze - pfn : 0) : n;
	for (uint64_t i = lo; i < hi; ) {
		uint64_t k = off + i;
		unsigned ib = (unsigned)(i % 64), kb = (unsigned)(k % 64);
		uint64_t take = 64 - (ib > kb ? ib : kb);
		if (take > hi - i)
			take = hi - i;
		uint64_t v = (bits[k / 64] >> kb) & (take == 64 ? ~0ull : (1ull << take) - 1);
		out[i / 64] |= v << ib;
		i += take;
	}
}

static bool all_set(const uint64_t *w, unsigned off, unsigned len)
{
	if (len >= 64) {
		for (unsigned i = off / 64; i < (off + len) / 64; i++)
			if (w[i] != ~0ull)
				return false;
		return true;
	}
	uint64_t mask = ((1ull << len) - 1) << (off % 64);
	return (w[off / 64] & mask) == mask;
}

/* Is pageblock b one that pagetypeinfo_showblockcount_print() counts for
 * the zone?  It steps from start_pfn by pageblock_nr_pages while below the
 * zone's end, so with an unaligned start the last pageblock may be left
 * out. */
static bool counted(const struct machine *m, const struct zone *zn, uint64_t b)
{
	uint64_t PB = 1ull << m->pageblock_order;
	uint64_t steps = (zn->spanned + PB - 1) / PB;
	uint64_t first = zn->start_pfn >> m->pageblock_order;
	uint64_t last = (zn->start_pfn + (steps - 1) * PB) >> m->pageblock_order;
	return zn->spanned && b >= first && b <= last;
}

/* Blocks of order >= pageblock_order: whole free slots, from the top of the
 * zone down, Movable first. */
static int place_big(struct placer *pl, int z, uint64_t cnt[NR_ORDERS][NMT], int64_t budget[NMT],
		     char *err, size_t errlen)
{
	struct machine *m = pl->m;
	const struct zone *zn = &m->zones[z];
	uint64_t zs = zn->start_pfn, ze = zn->start_pfn + zn->spanned;
	unsigned pbo = m->pageblock_order;
	int order_mt[NMT], nt = 0;
	order_mt[nt++] = m->kp->mt_movable;
	for (int t = 0; t < NMT; t++)
		if (t != m->kp->mt_movable)
			order_mt[nt++] = t;
	for (int o = MAX_ORDER_MODEL; o >= (int)pbo; o--) {
		uint64_t S = 1ull << o, want = 0;
		for (int t = 0; t < NMT; t++)
			want += cnt[o][t];
		if (!want)
			continue;
		int ti = 0;
		uint64_t left = cnt[o][order_mt[0]];
		uint64_t top = ze & ~(S - 1);
		for (uint64_t s = top - S; want && top >= S && s >= zs; s -= S) {
			while (!left)
				left = cnt[o][order_mt[++ti]];
			uint64_t b0 = s >> pbo, nb = S >> pbo;
			bool ok = true;
			for (uint64_t b = b0; b < b0 + nb && ok; b++)
				ok = pl->pbt[b] < 0 && !pl->pbused[b];
			if (ok && o < MAX_ORDER_MODEL && pl->pbbig[(s ^ S) >> pbo] == o)
				ok = false;
			if (ok && chunk_state(pl, s >> CHUNK_SHIFT) != 1) {
				uint64_t w[CHUNK_PAGES / 64];
				range_bits(pl, s, S, zs, ze, w);
				ok = all_set(w, 0, (unsigned)S);
			}
			if (ok) {
				int t = order_mt[ti];
				for (uint64_t b = b0; b < b0 + nb; b++) {
					pl->pbt[b] = (int8_t)t;
					pl->pbused[b] = 0xff;
					budget[t] -= counted(m, zn, b);
				}
				pl->pbbig[b0] = (int8_t)o;
				if (plan_add(pl, s, (unsigned)o, t, z))
					return -ENOMEM;
				left--;
				want--;
			}
			if (s < S)
				break;
		}
		if (want) {
			model_err_buf(err, errlen, "zone %s: no room for %llu more free order-%d blocks in the RAM the model "
				 "leaves free (its image, memmap and page tables hold the rest)", zn->name,
				 (unsigned long long)want, o);
			return -EINVAL;
		}
	}
	return 0;
}

/* Pack blocks of orders below pageblock_order into one pageblock: largest
 * first, each where its buddy is not already a free block of its order. */
static int pack_pageblock(struct placer *pl, int z, uint64_t pb, uint64_t rem[NR_ORDERS], int mt, bool *placed_any)
{
	struct machine *m = pl->m;
	const struct zone *zn = &m->zones[z];
	unsigned pbo = m->pageblock_order, PB = 1u << pbo;
	uint64_t base = pb << pbo;
	uint64_t w[CHUNK_PAGES / 64];
	int8_t placed[CHUNK_PAGES];
	range_bits(pl, base, PB, zn->start_pfn, zn->start_pfn + zn->spanned, w);
	memset(placed, -1, sizeof placed);
	*placed_any = false;
	for (int o = (int)pbo - 1; o >= 0; o--) {
		unsigned S = 1u << o;
		for (unsigned off = 0; off < PB && rem[o]; off += S) {
			if (S < 64 && !w[off / 64]) {
				off = (off | 63) + 1 - S;       /* no free page up to the next word */
				continue;
			}
			if (!all_set(w, off, S) || placed[off ^ S] == o)
				continue;
			clear_bits(w, off, off + S);
			placed[off] = (int8_t)o;
			rem[o]--;
			*placed_any = true;
			if (plan_add(pl, base + off, (unsigned)o, mt, z))
				return -ENOMEM;
		}
	}
	return 0;
}

static int place_small(struct placer *pl, int z, uint64_t cnt[NR_ORDERS][NMT], int64_t budget[NMT],
		       unsigned *spilled, char *err, size_t errlen)
{
	struct machine *m = pl->m;
	const struct zone *zn = &m->zones[z];
	uint64_t zs = zn->start_pfn, ze = zn->start_pfn + zn->spanned;
	unsigned pbo = m->pageblock_order;
	uint64_t b0 = zs >> pbo, b1 = (ze - 1) >> pbo;
	for (int t = 0; t < NMT; t++) {
		uint64_t rem[NR_ORDERS] = { 0 }, left = 0;
		for (unsigned o = 0; o < pbo; o++)
			left += rem[o] = cnt[o][t];
		for (int pass = 0; pass < 3 && left; pass++) {
			for (uint64_t b = b0; b <= b1 && left; b++) {
				/* a pageblock another zone shares may take this zone's blocks too */
				if (pl->pbused[b] == 0xff || pl->pbused[b] == z + 1)
					continue;
				if (pass == 0 ? pl->pbt[b] != t : pl->pbt[b] >= 0)
					continue;
				int bt = t;
				bool cnt_b = counted(m, zn, b);
				if (pass == 1 && budget[t] <= 0 && cnt_b)
					continue;
				if (pass == 2 && cnt_b) {
					/* no pageblock of this type left: the type with most to spare */
					for (int u = 0; u < NMT; u++)
						if (budget[u] > budget[bt])
							bt = u;
				}
				bool any;
				if (pack_pageblock(pl, z, b, rem, t, &any))
					return -ENOMEM;
				if (!any)
					continue;
				pl->pbused[b] = (uint8_t)(z + 1);
				if (pl->pbt[b] < 0) {
					pl->pbt[b] = (int8_t)bt;
					budget[bt] -= cnt_b;
				}
				if (bt != t)
					*spilled |= 1u << t;
				left = 0;
				for (unsigned o = 0; o < pbo; o++)
					left += rem[o];
			}
		}
		if (left) {
			model_err_buf(err, errlen, "zone %s: no room for %llu more free %s blocks below order %u in the RAM "
				 "the model leaves free", zn->name, (unsigned long long)left, m->kp->mt_names[t], pbo);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- slab caches ---------------------------------------------------------------------- */

struct srow {
	char name[64];
	unsigned long long active, num, aslabs, nslabs, shared;
	unsigned objsize, perslab, pages, limit, batch, sfactor;
	unsigned line;
	int sys;                        /* its cache in sys/kernel/slab (struct sysent), -1 none */
};

/* the attributes of snapshot_slab_attrs[], in its order */
enum { SA_OBJECT_SIZE, SA_SLAB_SIZE, SA_ALIGN, SA_ORDER, SA_OBJS_PER_SLAB, SA_ALIASES, SA_HWCACHE_ALIGN,
       SA_RECLAIM_ACCOUNT, SA_CACHE_DMA, SA_DESTROY_BY_RCU, SA_CTOR, SA_MIN_PARTIAL, SA_CPU_PARTIAL,
       SA_OBJECTS, SA_TOTAL_OBJECTS, SA_SLABS, SA_PARTIAL, SA_OBJECTS_PARTIAL, SA_CPU_SLABS, SA_N };

/* one entry of sys/kernel/slab: a cache's directory, or a link to one */
struct sysent {
	char name[64], target[64];
	bool link, ctor, used;
	uint64_t v[SA_N];
	bool has[SA_N];
	unsigned line;
};

/*
 * /proc/slabinfo (SLUB): each cache with its geometry (objsize, objects per
 * slab, pages per slab) and contents: num_slabs slabs of allocated objects,
 * of which num_objs - active_objs are free on the node's partial lists
 * (get_slabinfo() counts only those as free).  In two steps: the caches and
 * their geometry first (slab_make()), so that what the vmalloc areas
 * kmalloc lands in caches of the real geometry; then the objects
 * (slab_fill()).  The slab pages come from the buddy allocator before the
 * free lists are laid out, so the free blocks go around them.  Caches are
 * made in reverse order, as slab_caches is listed newest first.  What
 * cannot be reproduced (a name longer than the model keeps, a geometry a
 * cache with slabs already has) is said in the notes.
 */
struct slabload {
	struct srow *rows;
	int *ci;                        /* the model's cache of each row, -1 none */
	size_t n, cap;
	unsigned skipped, odd;
	const char *first_odd;
	struct sysent *sys;             /* sys/kernel/slab, in its text's order */
	size_t nsys;
	unsigned relaid, alias_fail;    /* made with slabinfo's size (calculate_sizes() differs); aliases refused */
};

static void slabload_free(struct slabload *sl)
{
	free(sl->rows);
	free(sl->ci);
	free(sl->sys);
}

static struct srow *row_new(struct slabload *sl)
{
	if (sl->n == sl->cap) {
		size_t nc = sl->cap ? sl->cap * 2 : 256;
		struct srow *nv = realloc(sl->rows, nc * sizeof *nv);
		if (!nv)
			return NULL;
		sl->rows = nv;
		sl->cap = nc;
	}
	memset(&sl->rows[sl->n], 0, sizeof sl->rows[0]);
	sl->rows[sl->n].sys = -1;
	return &sl->rows[sl->n];
}

/* the numbers of a row make a SLUB cache whose slabs fit in the zones */
static bool row_ok(const struct srow *w)
{
	uint64_t objs;
	return w->active <= w->num && w->perslab && w->pages && !(w->pages & (w->pages - 1)) && w->pages <= 1024 &&
	       !__builtin_mul_overflow(w->nslabs, (uint64_t)w->perslab, &objs) && w->num == objs && w->objsize &&
	       (unsigned long long)w->perslab * w->objsize <= 4096ull * w->pages;
}

static int slab_parse(struct snapshot *s, struct slabload *sl, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_SLABINFO] };
	while (next_line(&l)) {
		if (l.no == 1) {
			if (strncmp(l.buf, "slabinfo - version: 2.1", 23))
				return fail(err, errlen, s, SF_SLABINFO, 1, "expected 'slabinfo - version: 2.1'");
			continue;
		}
		if (l.buf[0] == '#' || !*skip_ws(l.buf))
			continue;
		struct srow *w = row_new(sl);
		if (!w)
			return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
		int k = sscanf(l.buf, "%63s %llu %llu %u %u %u : tunables %u %u %u : slabdata %llu %llu %llu", w->name,
			       &w->active, &w->num, &w->objsize, &w->perslab, &w->pages, &w->limit, &w->batch,
			       &w->sfactor, &w->aslabs, &w->nslabs, &w->shared);
		if (k != 12)
			return fail(err, errlen, s, SF_SLABINFO, l.no, "expected NAME and 11 numbers in the 2.1 layout%s",
				    k > 0 && k < 12 ? _(" (line cut short?)") : "");
		if (!row_ok(w))
			return fail(err, errlen, s, SF_SLABINFO, l.no, "%s: the numbers do not make a SLUB cache", w->name);
		w->line = l.no;
		sl->n++;
	}
	/* a booted kernel always has caches (kmem_cache, kmalloc-*) */
	if (!sl->n)
		return fail(err, errlen, s, SF_SLABINFO, l.no, "no cache rows (%s)",
			    l.no ? _("file cut short?") : _("empty file"));
	return 0;
}

static int sys_find(const struct slabload *sl, const char *name)
{
	for (size_t i = 0; i < sl->nsys; i++)
		if (strcmp(sl->sys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* sys/kernel/slab's text (snapshot.h): the entries, each link's target a
 * cache directory */
static int sysfs_parse(struct snapshot *s, struct slabload *sl, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_SLAB_SYSFS] };
	size_t cap = 0;
	while (next_line(&l)) {
		const char *p = skip_ws(l.buf);
		if (!*p)
			continue;
		if (sl->nsys == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct sysent *nv = realloc(sl->sys, nc * sizeof *nv);
			if (!nv)
				return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
			sl->sys = nv;
			cap = nc;
		}
		struct sysent *e = &sl->sys[sl->nsys];
		memset(e, 0, sizeof *e);
		e->line = l.no;
		size_t n = strcspn(p, " \t");
		if (n >= sizeof e->name)
			return fail(err, errlen, s, SF_SLAB_SYSFS, l.no, "a name longer than %zu characters",
				    sizeof e->name - 1);
		memcpy(e->name, p, n);
		p = skip_ws(p + n);
		if (!strncmp(p, "->", 2)) {
			p = skip_ws(p + 2);
			n = strcspn(p, " \t");
			if (!n || n >= sizeof e->target || *skip_ws(p + n))
				return fail(err, errlen, s, SF_SLAB_SYSFS, l.no, "%s: expected '%s -> CACHE'", e->name, e->name);
			memcpy(e->target, p, n);
			e->link = true;
		} else {
			while (*p) {
				n = strcspn(p, " \t");
				const char *eq = memchr(p, '=', n);
				if (!eq)
					return fail(err, errlen, s, SF_SLAB_SYSFS, l.no, "%s: expected ATTRIBUTE=VALUE, found '%.*s'",
						    e->name, (int)n, p);
				for (int a = 0; a < SA_N; a++) {
					if (strlen(snapshot_slab_attrs[a]) != (size_t)(eq - p) ||
					    strncmp(p, snapshot_slab_attrs[a], (size_t)(eq - p)))
						continue;
					const char *q = eq + 1;
					if (a == SA_CTOR) {
						e->ctor = q < p + n;    /* ctor_show(): the function's name, or nothing */
					} else if (!get_u64(&q, &e->v[a]) || q != p + n) {
						return fail(err, errlen, s, SF_SLAB_SYSFS, l.no, "%s: %s=%.*s is not a number",
							    e->name, snapshot_slab_attrs[a], (int)(p + n - eq - 1), eq + 1);
					}
					e->has[a] = true;
				}
				p = skip_ws(p + n);
			}
		}
		if (sys_find(sl, e->name) >= 0)
			return fail(err, errlen, s, SF_SLAB_SYSFS, l.no, "%s again", e->name);
		sl->nsys++;
	}
	for (size_t i = 0; i < sl->nsys; i++) {
		const struct sysent *e = &sl->sys[i];
		int t = e->link ? sys_find(sl, e->target) : 0;
		if (t < 0 || (e->link && sl->sys[t].link))
			return fail(err, errlen, s, SF_SLAB_SYSFS, e->line, "%s -> %s: %s", e->name, e->target,
				    t < 0 ? "no such cache directory" : "a link to a link");
	}
	return 0;
}

/* a cache directory's geometry as a slabinfo row's (true when all there) */
static bool sys_geometry(const struct sysent *d)
{
	return d->has[SA_SLAB_SIZE] && d->has[SA_OBJS_PER_SLAB] && d->has[SA_ORDER] && d->v[SA_ORDER] <= 10;
}

/*
 * proc/slabinfo and sys/kernel/slab together.  Both come from one struct
 * kmem_cache: slabinfo's objsize is sysfs's slab_size (s->size), objperslab
 * objs_per_slab, pagesperslab 1 << order; its active_objs, num_objs and
 * num_slabs are sysfs's objects, total_objects and slabs (mm/slub.c 6.1
 * get_slabinfo() and show_slab_objects() both count the node lists:
 * total_objects less the free objects of the partial slabs).  A geometry
 * they disagree on cannot change while a kernel runs: the files are from
 * two machines, refused.  Counts that differ were read at two moments:
 * slabinfo's win (the one file `show slabinfo` is checked against).  sysfs
 * alone gives what slabinfo does not: object_size, align, the flags that
 * shaped the cache, and the names SLUB merged into it (the links to a
 * ":A-0000896" directory; slabinfo lists such a cache once, under the name
 * it was first created with).  Without slabinfo, sysfs gives the rows.
 */
static int slab_join(struct snapshot *s, struct slabload *sl, char *err, size_t errlen)
{
	unsigned nosys = 0, differ = 0, only = 0, unnamed = 0;
	const char *first_differ = NULL;
	if (s->text[SF_SLABINFO]) {
		for (size_t i = 0; i < sl->n; i++) {
			struct srow *w = &sl->rows[i];
			int e = sys_find(sl, w->name);
			if (e < 0) {
				nosys++;
				continue;
			}
			int d = sl->sys[e].link ? sys_find(sl, sl->sys[e].target) : e;
			struct sysent *D = &sl->sys[d];
			if (D->used) {
				for (size_t j = 0; j < i; j++)
					if (sl->rows[j].sys == d && !strcmp(sl->rows[j].name, w->name))
						return fail(err, errlen, s, SF_SLABINFO, w->line, "%s again (first at line %u)",
							    w->name, sl->rows[j].line);
				for (size_t j = 0; j < i; j++)
					if (sl->rows[j].sys == d)
						return fail(err, errlen, s, SF_SLABINFO, w->line, "%s and %s (line %u) are one "
							    "cache in %s (%s): two rows of one cache", w->name,
							    sl->rows[j].name, sl->rows[j].line, snapshot_paths[SF_SLAB_SYSFS],
							    D->name);
			}
			if (sys_geometry(D) && (D->v[SA_SLAB_SIZE] != w->objsize || D->v[SA_OBJS_PER_SLAB] != w->perslab ||
						(1ull << D->v[SA_ORDER]) != w->pages))
				return fail(err, errlen, s, SF_SLAB_SYSFS, D->line, "%s: slab_size %llu, objs_per_slab %llu, "
					    "order %llu, but %s:%u has %u, %u and %u pages (files from two machines?)",
					    w->name, (unsigned long long)D->v[SA_SLAB_SIZE],
					    (unsigned long long)D->v[SA_OBJS_PER_SLAB], (unsigned long long)D->v[SA_ORDER],
					    snapshot_paths[SF_SLABINFO], w->line, w->objsize, w->perslab, w->pages);
			if ((D->has[SA_OBJECTS] && D->v[SA_OBJECTS] != w->active) ||
			    (D->has[SA_TOTAL_OBJECTS] && D->v[SA_TOTAL_OBJECTS] != w->num) ||
			    (D->has[SA_SLABS] && D->v[SA_SLABS] != w->nslabs)) {
				if (!differ++)
					first_differ = w->name;
			}
			D->used = true;
			w->sys = d;
		}
		for (size_t i = 0; i < sl->nsys; i++)
			only += !sl->sys[i].link && !sl->sys[i].used;
		if (nosys)
			note(s, "%s: %u caches of %s are not there: their object_size, align and aliases unknown",
			     snapshot_paths[SF_SLAB_SYSFS], nosys, snapshot_paths[SF_SLABINFO]);
		if (only)
			note(s, "%s: %u caches not in %s (created or destroyed between the two reads): not made",
			     snapshot_paths[SF_SLAB_SYSFS], only, snapshot_paths[SF_SLABINFO]);
		if (differ)
			note(s, "%s: %u caches (%s first) count other objects than %s (read at another moment): "
			     "%s's counts are loaded", snapshot_paths[SF_SLAB_SYSFS], differ, first_differ,
			     snapshot_paths[SF_SLABINFO], snapshot_paths[SF_SLABINFO]);
		return 0;
	}
	/* no slabinfo: a row per cache directory, named as slabinfo would be */
	unsigned partial = 0;
	for (size_t i = 0; i < sl->nsys; i++) {
		struct sysent *D = &sl->sys[i];
		if (D->link)
			continue;
		if (!sys_geometry(D) || !D->has[SA_OBJECTS] || !D->has[SA_TOTAL_OBJECTS] || !D->has[SA_SLABS]) {
			partial++;
			continue;
		}
		const char *name = D->name;
		if (name[0] == ':') {
			/* the name slabinfo shows is the first cache's, which sysfs does not
			 * say: a kmalloc cache's if one is merged here, else the first link */
			name = NULL;
			for (size_t j = 0; j < sl->nsys; j++)
				if (sl->sys[j].link && !strcmp(sl->sys[j].target, D->name) &&
				    (!name || (strncmp(name, "kmalloc-", 8) && !strncmp(sl->sys[j].name, "kmalloc-", 8))))
					name = sl->sys[j].name;
			if (!name) {
				unnamed++;
				continue;
			}
		}
		struct srow *w = row_new(sl);
		if (!w)
			return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
		snprintf(w->name, sizeof w->name, "%s", name);
		w->active = D->v[SA_OBJECTS];
		w->num = D->v[SA_TOTAL_OBJECTS];
		w->nslabs = w->aslabs = D->v[SA_SLABS];
		w->objsize = (unsigned)D->v[SA_SLAB_SIZE];
		w->perslab = (unsigned)D->v[SA_OBJS_PER_SLAB];
		w->pages = 1u << D->v[SA_ORDER];
		w->line = D->line;
		w->sys = (int)i;
		if (D->v[SA_SLAB_SIZE] > UINT32_MAX || D->v[SA_OBJS_PER_SLAB] > UINT32_MAX || !row_ok(w))
			return fail(err, errlen, s, SF_SLAB_SYSFS, D->line, "%s: the numbers do not make a SLUB cache",
				    D->name);
		D->used = true;
		sl->n++;
	}
	note(s, "%s %s: the caches and their counts are %s's (merged caches named after a kmalloc cache or "
	     "their first name; the order of creation unknown)", snapshot_paths[SF_SLABINFO],
	     s->why[SF_SLABINFO][0] ? s->why[SF_SLABINFO] : "missing", snapshot_paths[SF_SLAB_SYSFS]);
	if (partial)
		note(s, "%s: %u caches without their geometry and counts (unreadable?): not made",
		     snapshot_paths[SF_SLAB_SYSFS], partial);
	if (unnamed)
		note(s, "%s: %u merged caches without a name linking to them: not made", snapshot_paths[SF_SLAB_SYSFS],
		     unnamed);
	return 0;
}

/* the slabs of all rows fit in the zones: they are allocated one object
 * at a time, and a made-up row must not cost time and memory without bound */
static int slab_bound(struct snapshot *s, const struct slabload *sl, uint64_t managed, char *err, size_t errlen)
{
	uint64_t total = 0;
	for (size_t i = 0; i < sl->n; i++) {
		const struct srow *w = &sl->rows[i];
		if (w->nslabs > managed / w->pages || (total += w->nslabs * w->pages) > managed)
			return fail(err, errlen, s, s->text[SF_SLABINFO] ? SF_SLABINFO : SF_SLAB_SYSFS, w->line,
				    "%s: the slabs up to here take more than the zones' %llu managed pages "
				    "(proc/zoneinfo)", w->name, (unsigned long long)managed);
	}
	return 0;
}

static void slab_odd(struct slabload *sl, const char *name)
{
	if (!sl->odd++)
		sl->first_odd = name;
}

/* the SLAB_* flags sysfs shows for a cache (mm/slub.c *_show()) */
static unsigned sys_flags(const struct sysent *d)
{
	unsigned f = 0;
	if (d->v[SA_HWCACHE_ALIGN])
		f |= SLAB_HWCACHE_ALIGN_F;
	if (d->v[SA_RECLAIM_ACCOUNT])
		f |= SLAB_RECLAIM_ACCOUNT_F;
	if (d->v[SA_CACHE_DMA])
		f |= SLAB_CACHE_DMA_F;
	if (d->v[SA_DESTROY_BY_RCU])
		f |= SLAB_TYPESAFE_BY_RCU_F;
	if (d->ctor)
		f |= SLAB_CTOR_F;
	return f;
}

/*
 * A cache the booted model lacks, made as the snapshot's kernel made it:
 * with sysfs, kmem_cache_create(name, object_size, align, flags), which
 * gives slab_size back when the model's calculate_sizes() lays the object
 * out as that kernel did; else (or when it does not) a cache of objects of
 * slabinfo's size, with sysfs's object_size and align kept as what the
 * kernel was asked for.
 */
static int make_cache(struct machine *m, struct slabload *sl, const struct srow *w)
{
	struct slab_state *st = m->slab;
	const struct sysent *d = w->sys >= 0 ? &sl->sys[w->sys] : NULL;
	int ci;
	if (strlen(w->name) >= sizeof st->caches[0].name)
		return -1;
	if (d && d->has[SA_OBJECT_SIZE] && d->has[SA_ALIGN] && d->v[SA_OBJECT_SIZE] &&
	    d->v[SA_OBJECT_SIZE] <= w->objsize && d->v[SA_ALIGN] && d->v[SA_ALIGN] <= 4096 &&
	    !(d->v[SA_ALIGN] & (d->v[SA_ALIGN] - 1))) {
		/* align is s->align, calculate_alignment()'s result: the cache
		 * line of SLAB_HWCACHE_ALIGN is in it already (that kernel's
		 * L1_CACHE_BYTES, not the profile's) */
		unsigned f = sys_flags(d), hw = f & SLAB_HWCACHE_ALIGN_F;
		f &= ~hw;
		if (slab_cache_create(m, w->name, (unsigned)d->v[SA_OBJECT_SIZE], (unsigned)d->v[SA_ALIGN], f, &ci) == 0) {
			if (st->caches[ci].g.size == w->objsize) {
				st->caches[ci].flags |= hw;
				return ci;
			}
			slab_cache_destroy(m, ci);
		}
		/* the flags that only choose the pages (NR_SLAB_RECLAIMABLE,
		 * ZONE_DMA) stay; a ctor or SLAB_TYPESAFE_BY_RCU would move the
		 * free pointer out of objects that are already slab_size */
		if (slab_cache_create(m, w->name, w->objsize, 8, f & (SLAB_RECLAIM_ACCOUNT_F | SLAB_CACHE_DMA_F), &ci))
			return -1;
		sl->relaid++;
		st->caches[ci].flags |= hw;
		st->caches[ci].g.object_size = (unsigned)d->v[SA_OBJECT_SIZE];
		st->caches[ci].g.align = (unsigned)d->v[SA_ALIGN];
		return ci;
	}
	return slab_cache_create(m, w->name, w->objsize, 8, 0, &ci) ? -1 : ci;
}

static void slab_make(struct machine *m, struct slabload *sl)
{
	struct slab_state *st = m->slab;
	for (size_t i = sl->n; i-- > 0; ) {
		struct srow *w = &sl->rows[i];
		int ci = slab_cache_find(m, w->name);
		sl->ci[i] = -1;
		if (ci < 0 && (ci = make_cache(m, sl, w)) < 0) {
			sl->skipped++;
			continue;
		}
		sl->ci[i] = ci;
		/* the names SLUB merged into it: the other links to its directory */
		for (size_t j = 0; w->sys >= 0 && j < sl->nsys; j++) {
			const struct sysent *e = &sl->sys[j];
			if (e->link && !strcmp(e->target, sl->sys[w->sys].name) && strcmp(e->name, w->name) &&
			    slab_cache_add_alias(m, ci, e->name))
				sl->alias_fail++;
		}
		struct kmem_cache *c = &st->caches[ci];
		unsigned order = (unsigned)__builtin_ctz(w->pages);
		if (c->g.size == w->objsize && c->g.objects == w->perslab && c->g.order == order)
			continue;
		if (c->nr_slabs || c->g.size != w->objsize || c->debug)
			continue;               /* slab_fill() finds it odd */
		/* the snapshot kernel's calculate_order() chose this (slub_min_objects
		 * follows nr_cpu_ids and the kernel version) */
		c->g.objects = w->perslab;
		c->g.order = order;
		if (order)
			c->allocflags |= m->kp->gfp_comp;
		c->cpu_partial_slabs = c->cpu_partial ? (c->cpu_partial * 2 + w->perslab - 1) / w->perslab : 0;
	}
	/* the list in the file's order: its last row (slab_caches' first,
	 * kmem_cache) oldest, its first newest; the model's own boot made
	 * some of these (the kmalloc caches) before the others */
	for (size_t i = sl->n; i-- > 0; )
		if (sl->ci[i] >= 0)
			slab_cache_make_newest(m, sl->ci[i]);
}

static int slab_fill(struct machine *m, struct snapshot *s, struct slabload *sl)
{
	struct slab_state *st = m->slab;
	gfp_t gk = m->kp->gfp_wait | m->kp->gfp_fs;     /* the page allocation's zone: GFP_KERNEL's */
	uint64_t *mine = NULL;
	size_t cap = 0;
	for (size_t i = sl->n; i-- > 0; ) {
		struct srow *w = &sl->rows[i];
		int ci = sl->ci[i];
		if (ci < 0)
			continue;
		struct kmem_cache *c = &st->caches[ci];
		if (c->g.size != w->objsize || c->g.objects != w->perslab || (1u << c->g.order) != w->pages) {
			slab_odd(sl, w->name);
			continue;
		}
		/* num_slabs slabs full of objects (some may be others' already).
		 * A cache with no slabs yet takes them at once (kmem_cache_alloc_bulk(),
		 * the same objects as one by one; make bench's --from row) */
		size_t n = 0;
		if (c->nr_slabs == 0 && w->num && w->num <= SIZE_MAX / sizeof *mine) {
			if (w->num > cap) {
				uint64_t *nv = realloc(mine, (size_t)w->num * sizeof *nv);
				if (!nv) {
					free(mine);
					return -ENOMEM;
				}
				mine = nv;
				cap = (size_t)w->num;
			}
			if (slab_cache_alloc_bulk(m, ci, gk, (size_t)w->num, mine) == 0)
				n = (size_t)w->num;
			c = &st->caches[ci];
		}
		unsigned long long guard = w->num + w->perslab + 1;
		while (!(c->nr_slabs == w->nslabs && c->active_objects == c->total_objects) && guard--) {
			uint64_t addr;
			if (c->nr_slabs > w->nslabs || slab_cache_alloc(m, ci, gk, &addr) || !addr)
				break;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 4096;
				uint64_t *nv = realloc(mine, nc * sizeof *nv);
				if (!nv) {
					free(mine);
					return -ENOMEM;
				}
				mine = nv;
				cap = nc;
			}
			mine[n++] = addr;
			c = &st->caches[ci];
		}
		if (c->nr_slabs != w->nslabs || c->total_objects != w->num) {
			slab_odd(sl, w->name);
			continue;
		}
		/* then the free objects of the node's partial lists, from those
		 * just allocated: never a whole slab (an empty one may be
		 * discarded), never on a cpu slab (its free objects count as
		 * active) */
		unsigned long long want = w->num - w->active;
		unsigned saved = c->cpu_partial_slabs;
		c->cpu_partial_slabs = 0;
		for (size_t j = 0; j < n && want; j++) {
			struct object_info oi;
			slab_object_info(m, mine[j], &oi);
			if (!oi.found || oi.large || !oi.allocated)
				continue;
			const struct slab *sb = &st->slabs[oi.slab];
			if (sb->list == SL_CPU || sb->list == SL_CPU_PARTIAL || sb->inuse <= 1)
				continue;
			if (slab_cache_free(m, ci, mine[j]) == 0)
				want--;
		}
		st->caches[ci].cpu_partial_slabs = saved;
		if (want)
			slab_odd(sl, w->name);
	}
	free(mine);
	if (sl->skipped)
		note(s, "%s: %u caches not made (names longer than %zu characters, or refused)",
		     snapshot_paths[SF_SLABINFO], sl->skipped, sizeof st->caches[0].name - 1);
	if (sl->relaid)
		note(s, "%s: %u caches the model lays out otherwise than their kernel (a ctor or free pointer "
		     "offset sysfs does not show, or another version's layout): made with objects of slab_size bytes",
		     snapshot_paths[SF_SLAB_SYSFS], sl->relaid);
	if (sl->alias_fail)
		note(s, "%s: %u merged names not kept as aliases (a cache of that name exists, or longer than %zu "
		     "characters)", snapshot_paths[SF_SLAB_SYSFS], sl->alias_fail, sizeof st->caches[0].name - 1);
	if (sl->odd)
		note(s, "%s: %u caches (%s first) keep the model's geometry or counts: they had slabs before "
		     "loading, or their objects cannot be laid out as the file says", snapshot_paths[SF_SLABINFO],
		     sl->odd, sl->first_odd);
	return 0;
}

/* ---- vmalloc areas ------------------------------------------------------------------------ */

/*
 * /proc/vmallocinfo: each vmalloc area at its own address, with its size
 * (guard page included), caller and pages (__vmalloc_node_range() asked for
 * exactly that range), before the free lists are laid out, so that its
 * pages are in use.  ioremap, vmap and other areas are said in the notes,
 * not made; so is an area outside this machine's vmalloc range (another
 * KASLR base) or one the model cannot put there.
 */
static int load_vmallocinfo(struct machine *m, struct snapshot *s, char *err, size_t errlen)
{
	struct lines l = { .p = s->text[SF_VMALLOCINFO] };
	unsigned made = 0, other = 0, failed = 0;
	gfp_t gk = m->kp->gfp_wait | m->kp->gfp_fs;
	while (next_line(&l)) {
		unsigned long long a, e, size;
		char caller[VMAP_CALLER_MAX + 64];
		int used = 0;
		if (!*skip_ws(l.buf))
			continue;
		if (sscanf(l.buf, "0x%llx-0x%llx %llu %111s%n", &a, &e, &size, caller, &used) != 4)
			return fail(err, errlen, s, SF_VMALLOCINFO, l.no, "expected '0xSTART-0xEND SIZE CALLER ...'");
		if ((e <= a || e - a != size || (a & 4095) || (size & 4095)) && (made || other || failed))
			return fail(err, errlen, s, SF_VMALLOCINFO, l.no, "0x%llx-0x%llx is not %llu page-aligned bytes "
				    "(hashed addresses are so from the first line)", a, e, size);
		if (e <= a || e - a != size || (a & 4095) || (size & 4095)) {
			/* %pK printed hashes, not addresses: lib/vsprintf.c restricted_pointer()
			 * hashes with kptr_restrict=0 unless booted with no_hash_pointers, and
			 * gives real ones with kptr_restrict=1 to a reader with CAP_SYSLOG */
			note(s, "%s:%u: the addresses are hashed, not real (read it as root with "
			     "kernel.kptr_restrict=1, or boot with no_hash_pointers): "
			     "no vmalloc area made", snapshot_paths[SF_VMALLOCINFO], l.no);
			return 0;
		}
		const char *rest = l.buf + used;
		bool is_vmalloc = false, ioremap = false, user = false;
		char word[32];
		int k;
		unsigned long long pages = 0;
		while (sscanf(rest, "%31s%n", word, &k) == 1) {
			rest += k;
			if (!strncmp(word, "pages=", 6))
				pages = strtoull(word + 6, NULL, 10);
			else if (!strcmp(word, "vmalloc"))
				is_vmalloc = true;
			else if (!strcmp(word, "ioremap") || !strcmp(word, "vmap") || !strcmp(word, "vm_map_ram") ||
				 !strcmp(word, "unpurged"))
				ioremap = true;
			else if (!strcmp(word, "user"))
				user = true;
		}
		/* a vmalloc area with its pages (pcpu_get_vm_areas()' percpu chunks have none) */
		if (!is_vmalloc || ioremap || size < 8192 || pages != (size >> 12) - 1) {
			other++;
			continue;
		}
		caller[VMAP_CALLER_MAX - 1] = '\0';
		uint64_t addr = 0;
		if (a < m->layout.vmalloc_start || e > m->layout.vmalloc_end ||
		    vmalloc_node_range(m, size - 4096, 4096, a, e, gk, 0, user ? VM_USERMAP : 0, caller, &addr) ||
		    addr != a)
			failed++;
		else
			made++;
	}
	if (other)
		note(s, "%s: %u vmalloc areas made at their addresses; %u other areas (ioremap, vmap) not made",
		     snapshot_paths[SF_VMALLOCINFO], made, other);
	if (failed)
		note(s, "%s: %u vmalloc areas the model could not put at their address (another KASLR base?)",
		     snapshot_paths[SF_VMALLOCINFO], failed);
	return 0;
}

/* ---- applying ---------------------------------------------------------------------- */

static int cmp_pblk(const void *a, const void *b)
{
	const struct pblk *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* min_free_kbytes from the lowmem zones' min watermarks: the smallest
 * pages_min that __setup_per_zone_wmarks() turns into every one of them */
static int derive_min_free_kbytes(const struct machine *m, const struct sparse *sp, const int map[NZ], uint64_t *out)
{
	uint64_t lowmem = 0, lo = 0, hi = UINT64_MAX;
	for (int i = 0; i < sp->nz; i++) {
		const struct zone *z = &m->zones[map[i]];
		if (z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE)
			lowmem += sp->z[i].managed;
	}
	if (!lowmem)
		return -EINVAL;
	for (int i = 0; i < sp->nz; i++) {
		const struct zone *z = &m->zones[map[i]];
		uint64_t man = sp->z[i].managed, mn = sp->z[i].min;
		if (z->kind == ZK_HIGHMEM || z->kind == ZK_MOVABLE || !man)
			continue;
		/* pages_min * man / lowmem == mn  <=>  pages_min in [ceil(mn*lowmem/man), ceil((mn+1)*lowmem/man)) */
		uint64_t a = (mn * lowmem + man - 1) / man, b = ((mn + 1) * lowmem + man - 1) / man;
		if (a > lo)
			lo = a;
		if (b < hi)
			hi = b;
	}
	if (lo >= hi)
		return -EINVAL;
	*out = lo << 2;
	return 0;
}

int snapshot_apply(struct machine *m, const struct snapshot *cs, char *err, size_t errlen)
{
	struct snapshot *s = (struct snapshot *)cs;      /* notes only */
	struct sparse *sp = calloc(1, sizeof *sp);
	struct placer pl = { .m = m, .pb_pages = 1ull << m->pageblock_order };
	struct slabload sl = { 0 };
	bool log0 = m->log.enabled;
	int map[NZ], r;
	if (!sp)
		return model_err_buf(err, errlen, "out of memory"), -ENOMEM;
	sp->old = !m->kp->uses_managed;
	if ((r = parse_zoneinfo(s, sp, err, errlen)))
		goto out;
	/* the zones: the booted model's spans must be the snapshot's */
	for (int i = 0; i < sp->nz; i++) {
		const struct szone *q = &sp->z[i];
		map[i] = machine_zone_by_name(m, q->name);
		if (map[i] < 0) {
			r = fail(err, errlen, s, SF_ZONEINFO, q->line, "zone %s: %s %s has no such zone", q->name,
				 m->arch->name, m->kp->version);
			goto out;
		}
		const struct zone *z = &m->zones[map[i]];
		if (q->spanned != z->spanned || (q->spanned && q->start_pfn != z->start_pfn) || q->present != z->present) {
			/* less RAM than the firmware's: a mem= boot, whose limit
			 * only proc/cmdline tells */
			if (s->iomem_built && !s->text[SF_CMDLINE] && q->present < z->present)
				r = fail(err, errlen, s, SF_ZONEINFO, q->line,
					 "zone %s: present %llu, but %s gives %s %llu: booted with mem=? %s, which "
					 "would say, is %s", q->name, (unsigned long long)q->present,
					 snapshot_paths[SF_FW_MEMMAP], m->arch->name, (unsigned long long)z->present,
					 snapshot_paths[SF_CMDLINE],
					 s->why[SF_CMDLINE][0] ? s->why[SF_CMDLINE] : _("missing"));
			else
				r = fail(err, errlen, s, SF_ZONEINFO, q->line,
					 "zone %s: start_pfn %llu, spanned %llu, present %llu, but %s gives %s "
					 "start_pfn %llu, spanned %llu, present %llu (files from different machines?)",
					 q->name, (unsigned long long)q->start_pfn, (unsigned long long)q->spanned,
					 (unsigned long long)q->present,
					 snapshot_paths[s->iomem_built ? SF_FW_MEMMAP : SF_IOMEM], m->arch->name,
					 (unsigned long long)z->start_pfn, (unsigned long long)z->spanned,
					 (unsigned long long)z->present);
			goto out;
		}
	}
	/* 2.6.32 prints populated zones only: the others must be empty here too */
	int shown = 0;
	for (int z = 0; z < m->nr_zones; z++) {
		bool in = false;
		for (int i = 0; i < sp->nz; i++)
			in |= map[i] == z;
		shown += in || (sp->old && !m->zones[z].present);
	}
	if (shown != m->nr_zones) {
		r = fail(err, errlen, s, SF_ZONEINFO, 0, "%d zones, %s %s has %d", sp->nz, m->arch->name,
			 m->kp->version, m->nr_zones);
		goto out;
	}
	if (sp->z[0].nprot != m->nr_zones) {
		r = fail(err, errlen, s, SF_ZONEINFO, sp->z[0].prot_line, "protection has %d values, %s %s has %d zones",
			 sp->z[0].nprot, m->arch->name, m->kp->version, m->nr_zones);
		goto out;
	}
	if ((r = parse_free_lists(m, s, sp, err, errlen)))
		goto out;
	for (int i = 0; i < sp->nz; i++) {
		uint64_t pages = 0;
		bool over = false;
		/* a sum that wraps must not pass for a small one */
		for (int o = 0; o < NR_ORDERS; o++)
			for (int t = 0; t < NMT; t++)
				over |= sp->cnt[i][o][t] > UINT64_MAX >> o ||
					__builtin_add_overflow(pages, sp->cnt[i][o][t] << o, &pages);
		uint64_t cap = sp->old ? sp->z[i].spanned : sp->z[i].managed;
		if (over || pages > cap) {
			char what[48] = "2^64 or more free pages";
			if (!over)
				snprintf(what, sizeof what, "%llu free pages", (unsigned long long)pages);
			r = fail(err, errlen, s, s->text[SF_PAGETYPEINFO] ? SF_PAGETYPEINFO : SF_BUDDYINFO,
				 s->text[SF_PAGETYPEINFO] ? sp->ptype_line[i] : sp->buddy_line[i],
				 "zone %s: %s, more than its %llu %s (proc/zoneinfo:%u)", sp->z[i].name,
				 what, (unsigned long long)cap, sp->old ? "spanned" : "managed", sp->z[i].line);
			goto out;
		}
		if (sp->have_blocks[i]) {
			uint64_t nb = 0, want = 0;
			for (int t = 0; t < NMT; t++) {
				nb += sp->blocks[i][t];
				want += m->zones[map[i]].nr_pageblocks[t];
			}
			if (nb > want) {
				r = fail(err, errlen, s, SF_PAGETYPEINFO, 0, "zone %s: %llu pageblocks counted, but the zone "
					 "spans %llu (proc/zoneinfo:%u)", sp->z[i].name, (unsigned long long)nb,
					 (unsigned long long)want, sp->z[i].line);
				goto out;
			}
			/* pfn_to_online_page() skips what is not (yet) initialised or online */
			if (nb < want)
				note(s, "%s: zone %s: %llu pageblocks counted of the %llu it spans (the rest not online or "
				     "not initialised); the free blocks are placed anywhere in the zone",
				     snapshot_paths[SF_PAGETYPEINFO], sp->z[i].name, (unsigned long long)nb,
				     (unsigned long long)want);
		}
	}

	/* the slab caches and vmalloc areas take their pages first: the free
	 * blocks go around them (loading is not a step to log, event by event) */
	bool log = m->log.enabled;
	bool slub = m->slab && m->slab->impl == SLAB_IMPL_SLUB;
	m->log.enabled = false;
	bool slabs = s->text[SF_SLABINFO] || s->text[SF_SLAB_SYSFS];
	if (slabs && !slub)
		note(s, "%s: not loaded: this machine's slab allocator is not SLUB",
		     snapshot_paths[s->text[SF_SLABINFO] ? SF_SLABINFO : SF_SLAB_SYSFS]);
	if (slabs && slub) {
		uint64_t managed = 0;
		for (int i = 0; i < sp->nz; i++)
			managed += sp->z[i].managed;
		if ((s->text[SF_SLABINFO] && ((r = slab_parse(s, &sl, err, errlen)) ||
					      (r = slab_bound(s, &sl, managed, err, errlen)))) ||
		    (s->text[SF_SLAB_SYSFS] && ((r = sysfs_parse(s, &sl, err, errlen)) ||
						(r = slab_join(s, &sl, err, errlen)))) ||
		    (!s->text[SF_SLABINFO] && (r = slab_bound(s, &sl, managed, err, errlen))))
			goto out;
		sl.ci = malloc((sl.n ? sl.n : 1) * sizeof *sl.ci);
		if (!sl.ci) {
			r = -ENOMEM;
			model_err_buf(err, errlen, "out of memory");
			goto out;
		}
		slab_make(m, &sl);
	}
	if (s->text[SF_VMALLOCINFO] && (r = load_vmallocinfo(m, s, err, errlen)))
		goto out;
	if (slabs && slub && (r = slab_fill(m, s, &sl))) {
		model_err_buf(err, errlen, "out of memory");
		goto out;
	}
	m->log.enabled = log;

	/* where the free blocks go */
	pl.cstate = calloc(m->nr_chunks ? m->nr_chunks : 1, 1);
	pl.pbt = malloc(m->nr_pb ? m->nr_pb : 1);
	pl.pbbig = malloc(m->nr_pb ? m->nr_pb : 1);
	pl.pbused = calloc(m->nr_pb ? m->nr_pb : 1, 1);
	if (!pl.cstate || !pl.pbt || !pl.pbbig || !pl.pbused) {
		r = -ENOMEM;
		model_err_buf(err, errlen, "out of memory");
		goto out;
	}
	memset(pl.pbt, -1, m->nr_pb);
	memset(pl.pbbig, -1, m->nr_pb);
	find_give(&pl);
	int64_t budget[NZ][NMT];
	for (int i = 0; i < sp->nz; i++) {
		const struct zone *zn = &m->zones[map[i]];
		for (int t = 0; t < NMT; t++)
			budget[i][t] = sp->have_blocks[i] ? (int64_t)sp->blocks[i][t] : 0;
		if (!sp->have_blocks[i]) {
			uint64_t nb = 0;
			for (int t = 0; t < NMT; t++)
				nb += zn->nr_pageblocks[t];
			budget[i][m->kp->mt_movable] = (int64_t)nb;
		}
	}
	/* A pageblock two zones share (a zone boundary inside it) is counted by
	 * both: give it a type both have, Movable when they can. */
	for (int i = 0; i < sp->nz; i++)
		for (int j = i + 1; j < sp->nz; j++) {
			const struct zone *a = &m->zones[map[i]], *b = &m->zones[map[j]];
			if (!a->spanned || !b->spanned)
				continue;
			uint64_t pb = b->start_pfn >> m->pageblock_order;
			if (((a->start_pfn + a->spanned - 1) >> m->pageblock_order) != pb || pl.pbt[pb] >= 0)
				continue;
			int t = m->kp->mt_movable;
			for (int u = 0; u < NMT && (budget[i][t] <= 0 || budget[j][t] <= 0); u++)
				t = u;
			if (budget[i][t] <= 0 || budget[j][t] <= 0)
				t = m->kp->mt_movable;
			pl.pbt[pb] = (int8_t)t;
			budget[i][t]--;
			budget[j][t]--;
		}
	for (int i = 0; i < sp->nz; i++) {
		int z = map[i];
		const struct zone *zn = &m->zones[z];
		if (!zn->spanned)
			continue;
		unsigned spilled = 0;
		uint64_t first = zn->start_pfn >> m->pageblock_order;
		if ((r = place_big(&pl, z, sp->cnt[i], budget[i], err, errlen)) ||
		    (r = place_small(&pl, z, sp->cnt[i], budget[i], &spilled, err, errlen))) {
			if (r == -ENOMEM)
				model_err_buf(err, errlen, "out of memory");
			goto out;
		}
		for (int t = 0; t < NMT; t++)
			if (spilled >> t & 1)
				note(s, "zone %s: some free %s blocks sit in pageblocks of another type (more than "
				     "its %lld %s pageblocks hold)", zn->name, m->kp->mt_names[t],
				     sp->have_blocks[i] ? (long long)sp->blocks[i][t] : 0ll, m->kp->mt_names[t]);
		/* the other pageblocks with RAM: the types left, lowest pfns first */
		uint64_t last = (zn->start_pfn + zn->spanned - 1) >> m->pageblock_order;
		int t = 0;
		for (uint64_t b = first; b <= last; b++) {
			if (pl.pbt[b] >= 0)
				continue;
			uint64_t ps = b << m->pageblock_order;
			if (!memmap_ram_pages(&m->memmap, ps, ps + pl.pb_pages))
				continue;
			if (!counted(m, zn, b)) {
				pl.pbt[b] = (int8_t)m->kp->mt_movable;
				continue;
			}
			while (t < NMT && budget[i][t] <= 0)
				t++;
			pl.pbt[b] = (int8_t)(t < NMT ? t : m->kp->mt_movable);
			if (t < NMT)
				budget[i][t]--;
		}
	}

	/* From here on the machine changes; nothing above can fail any more
	 * except for host memory, after which the caller destroys it. */
	qsort(pl.v, pl.n, sizeof *pl.v, cmp_pblk);
	if (save_touched(&pl)) {
		r = -ENOMEM;
		model_err_buf(err, errlen, "out of memory");
		goto out;
	}
	buddy_clear_free_lists(m);
	size_t k = 0;
	uint64_t resv_start = 0, resv_end = 0;
	for (uint64_t c = 0; c < m->nr_chunks; c++) {
		uint64_t base = c << CHUNK_SHIFT;
		size_t k0 = k;
		while (k < pl.n && (pl.v[k].pfn >> CHUNK_SHIFT) == c)
			k++;
		int st = pl.cstate[c] ? pl.cstate[c] : chunk_state(&pl, c);
		if (st == 3 && k == k0)
			continue;
		if (k == k0 + 1 && pl.v[k0].order == MAX_ORDER_MODEL && !m->chunk[c] &&
		    !memmap_reserved_pages(&m->memmap, base, base + CHUNK_PAGES)) {
			buddy_load_free_run(m, pl.v[k0].zone, c, 1, pl.v[k0].mt);
			continue;
		}
		if (k == k0 && !m->chunk[c]) {
			/* in use: one reservation for a run of such chunks */
			if (resv_end != base) {
				if (resv_end > resv_start)
					memmap_reserve(&m->memmap, resv_start << 12, resv_end << 12, "in use (snapshot)");
				resv_start = base;
			}
			resv_end = base + CHUNK_PAGES;
			continue;
		}
		uint64_t bits[CHUNK_PAGES / 64];
		chunk_bits(&pl, c, bits);       /* before materializing: what was free */
		if (!m->chunk[c] && !machine_new_chunk(m, c)) {
			r = -ENOMEM;
			model_err_buf(err, errlen, "out of memory");
			goto out;
		}
		struct page *pg = m->chunk[c];
		for (unsigned wi = 0; wi < CHUNK_PAGES / 64; wi++)
			for (uint64_t v = bits[wi]; v; v &= v - 1) {
				unsigned i = wi * 64 + (unsigned)__builtin_ctzll(v);
				pg[i].flags = (uint8_t)((pg[i].flags & ~(PG_buddy | PG_head)) | PG_reserved);
			}
		for (size_t j = k0; j < k; j++) {
			for (uint64_t p = pl.v[j].pfn; p < pl.v[j].pfn + (1ull << pl.v[j].order); p++)
				pg[p - base].flags &= (uint8_t)~PG_reserved;
			buddy_load_free_block(m, pl.v[j].zone, pl.v[j].pfn, pl.v[j].order, pl.v[j].mt);
		}
	}
	if (resv_end > resv_start)
		memmap_reserve(&m->memmap, resv_start << 12, resv_end << 12, "in use (snapshot)");

	/* pageblock types, zone numbers, watermarks */
	for (uint64_t b = 0; b < m->nr_pb; b++)
		if (pl.pbt[b] >= 0)
			m->pb_mt[b] = (uint8_t)(pl.pbt[b] + 1);
	m->totalram_pages = m->totalhigh_pages = 0;
	for (int i = 0; i < sp->nz; i++) {
		const struct szone *q = &sp->z[i];
		struct zone *z = &m->zones[map[i]];
		z->managed = q->managed;
		z->reserved_pages = q->present - q->managed;
		z->wmark[WMARK_MIN] = q->min;
		z->wmark[WMARK_LOW] = q->low;
		z->wmark[WMARK_HIGH] = q->high;
		/* __setup_per_zone_wmarks(): promo = high + the step between the marks */
		z->wmark[WMARK_PROMO] = q->has_promo ? q->promo : m->kp->has_promo ? q->high + (q->high - q->low) : q->high;
		z->watermark_boost = 0;
		if (q->has_boost && m->kp->kv != KV_2_6_32)
			zone_set_watermark_boost(z, q->boost);
		/* lowmem_reserve[] is indexed by zone, every zone of the node */
		for (int j = 0; j < m->nr_zones; j++)
			z->lowmem_reserve[j] = q->prot[j];
		if (sp->have_blocks[i])
			for (int t = 0; t < NMT; t++)
				z->nr_pageblocks[t] = sp->blocks[i][t];
		/* nr_reserved_highatomic is printed nowhere (zoneinfo has no line for
		 * it): the HighAtomic pageblocks say how many pages are reserved */
		z->nr_reserved_highatomic = m->kp->mt_highatomic >= 0
						    ? z->nr_pageblocks[m->kp->mt_highatomic] << m->pageblock_order : 0;
		zone_sync_fast_wmark(z);
		m->totalram_pages += z->managed;
		if (z->kind == ZK_HIGHMEM)
			m->totalhigh_pages += z->managed;
	}
	uint64_t mfk = 0;
	if (s->text[SF_MIN_FREE_KBYTES]) {
		const char *p = s->text[SF_MIN_FREE_KBYTES];
		/* min_free_kbytes_sysctl_handler(): proc_dointvec_minmax, an int from 0 */
		if (!get_u64(&p, &mfk) || (*skip_ws(p) && *skip_ws(p) != '\n') || mfk > 2147483647) {
			r = fail(err, errlen, s, SF_MIN_FREE_KBYTES, 1, "expected a number from 0 to 2147483647");
			goto out;
		}
	} else if (derive_min_free_kbytes(m, sp, map, &mfk) == 0) {
		note(s, "%s %s: %llu, from the zones' min watermarks", snapshot_paths[SF_MIN_FREE_KBYTES],
		     s->why[SF_MIN_FREE_KBYTES][0] ? s->why[SF_MIN_FREE_KBYTES] : _("missing"), (unsigned long long)mfk);
	} else {
		/* the kernel set the marks from the managed counts at boot, which
		 * later frees changed: the marks' sum is pages_min, give or take
		 * a page per zone */
		for (int i = 0; i < sp->nz; i++) {
			const struct zone *z = &m->zones[map[i]];
			if (z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE)
				mfk += sp->z[i].min << 2;
		}
		note(s, "%s %s: about %llu, the lowmem zones' min watermarks added up (set from the managed "
		     "pages of boot time, which no longer give them exactly)", snapshot_paths[SF_MIN_FREE_KBYTES],
		     s->why[SF_MIN_FREE_KBYTES][0] ? s->why[SF_MIN_FREE_KBYTES] : _("missing"), (unsigned long long)mfk);
	}
	m->min_free_kbytes = (unsigned)mfk;
	m->user_min_free_kbytes = (unsigned)mfk;
	if (s->text[SF_WMARK_SCALE]) {
		const char *p = s->text[SF_WMARK_SCALE];
		uint64_t v;
		if (!get_u64(&p, &v) || v < 1 || v > 3000) {
			r = fail(err, errlen, s, SF_WMARK_SCALE, 1, "expected a number from 1 to 3000");
			goto out;
		}
		m->watermark_scale_factor = (unsigned)v;
	}
	if (s->text[SF_MEMINFO]) {
		struct lines l = { .p = s->text[SF_MEMINFO] };
		while (next_line(&l)) {
			uint64_t v;
			const char *p = l.buf + 9;
			if (strncmp(l.buf, "MemTotal:", 9) || !get_u64(&p, &v))
				continue;
			if (v != m->totalram_pages << 2)
				note(s, "%s:%u: MemTotal %llu kB is not the zones' managed pages (%llu kB); "
				     "the model follows zoneinfo", snapshot_paths[SF_MEMINFO], l.no,
				     (unsigned long long)v, (unsigned long long)(m->totalram_pages << 2));
			break;
		}
	}
	changelog_reset(m);
	r = 0;
out:
	m->log.enabled = log0;
	slabload_free(&sl);
	free(pl.cstate);
	free(pl.pbt);
	free(pl.pbbig);
	free(pl.pbused);
	free(pl.v);
	free(pl.tidx);
	free(pl.tbits);
	free(sp);
	return r;
}
