/*
 * slabview.c - the slab layer as the user sees it: /proc/slabinfo, one
 * cache with its slabs and per-CPU state (`show slab`), and what is at a
 * kernel address (`show object`), slab memory's bytes (`dump`) and the
 * current CPU (`cpu`).
 *
 * /proc/slabinfo follows mm/slab_common.c (6.13) print_slabinfo_header()
 * and cache_show(); 2.6.32's mm/slab.c and mm/slub.c print the same
 * header (without CONFIG_DEBUG_SLAB statistics) and the same row format.
 * The kernel walks its slab_caches list, to which kmem_cache_create() adds
 * each new cache at the head, so the newest cache comes first.
 *
 * A slab is 2^order pages cut into objects.  SLUB gives each CPU a cpu
 * slab and keeps the other slabs with free objects on a per-node partial
 * list; full slabs are on no list at all.  SLAB (2.6.32) keeps full,
 * partial and free lists per node and a per-CPU array cache of free
 * objects in front of them; an object in an array is free for the user
 * but still counted in its slab's inuse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/slab.h"

unsigned slob_list_pages(const struct machine *m, int list, uint64_t *pfns, unsigned *units, unsigned max);
#include "view_int.h"

#define SLABS_SHOWN 64          /* slabs listed by `show slab` */
#define MAP_COLUMNS 64          /* objects per line of an object map */

/* ---- shared with changes.c ------------------------------------------------ */

const char *view_slab_list_name(int list)
{
	static const char *const names[] = {
		[SL_NONE] = "none", [SL_CPU] = "cpu", [SL_PARTIAL] = "partial", [SL_FULL] = "full",
		[SL_FREE] = "free", [SL_CPU_PARTIAL] = "cpu partial",
	};
	return list >= 0 && (size_t)list < sizeof names / sizeof names[0] ? names[list] : "?";
}

const char *view_cache_name(const struct machine *m, uint32_t cache)
{
	if (!m->slab || cache >= m->slab->nr_caches)
		return "?";
	return m->slab->caches[cache].name;
}

const struct slab *view_live_slab(const struct machine *m, uint32_t id, uint64_t pfn)
{
	if (!m->slab || id >= m->slab->nr_slabs)
		return NULL;
	const struct slab *s = &m->slab->slabs[id];
	return s->cache != SLAB_NONE && s->pfn == pfn ? s : NULL;
}

/* the cache's SLAB_* flags as the kernel holds them: the debug flags a
 * CONFIG_DEBUG_SLAB build forced on, not the model's build marker */
static unsigned shown_flags(const struct kmem_cache *c)
{
	return (c->flags & ~(unsigned)SLAB_DEBUG_BUILD_F) | c->g.debug_flags;
}

/* ---- /proc/slabinfo ----------------------------------------------------------- */

/*
 * A cache name as /proc/slabinfo's first column shows it.  The kernel
 * prints the name raw (cache_show(): "%-17s") and accepts any name, so a
 * name with a blank, or an empty one, would shift the columns.  Here it is
 * written as /proc/mounts writes a mount point (fs/proc_namespace.c
 * mangle(): seq_escape() of " \t\n\\"): a space, tab, newline and
 * backslash in octal (\040 \011 \012 \134), and so are '"', the other
 * control characters (C0, DEL, C1) and bytes that are not UTF-8, one \NNN
 * per byte; the empty name is written "".
 */
static void slabinfo_name(char *buf, size_t len, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0;
	if (!*p) {
		snprintf(buf, len, "\"\"");
		return;
	}
	while (*p && o + 5 < len) {
		uint32_t cp;
		size_t n = out_utf8_seq(p, &cp);
		if (n && cp > 0x20 && cp != '\\' && cp != '"' && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f)) {
			if (o + n >= len)
				break;
			memcpy(buf + o, p, n);
			o += n;
			p += n;
			continue;
		}
		for (size_t i = 0; i < (n ? n : 1) && o + 5 < len; i++)
			o += (size_t)snprintf(buf + o, len - o, "\\%03o", p[i]);
		p += n ? n : 1;
	}
	buf[o] = '\0';
}

/*
 * mm/slab_common.c (6.13):
 *   print_slabinfo_header():
 *     seq_puts(m, "slabinfo - version: 2.1\n");
 *     seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
 *     seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
 *     seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
 *   cache_show():
 *     seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", name, active_objs, num_objs, size,
 *                objects_per_slab, 1 << cache_order);
 *     seq_printf(m, " : tunables %4u %4u %4u", limit, batchcount, shared);
 *     seq_printf(m, " : slabdata %6lu %6lu %6lu", active_slabs, num_slabs, shared_avail);
 * SLOB has no /proc/slabinfo: nothing is printed for it.
 */
void view_slabinfo(struct out *o, const struct machine *m)
{
	const struct slab_state *st = m->slab;
	bool has = st && st->impl != SLAB_IMPL_SLOB;

	/* 2.6.32 SLAB with CONFIG_DEBUG_SLAB (STATS): "(statistics)" and two
	 * more column groups */
	bool stats = has && (st->slub_debug & SLAB_DEBUG_BUILD_F);
	if (o->json)
		out_puts(o, "{\"slabinfo\":[");
	else if (has)
		out_printf(o, "slabinfo - version: 2.1%s\n"
			   "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			   " : tunables <limit> <batchcount> <sharedfactor>"
			   " : slabdata <active_slabs> <num_slabs> <sharedavail>%s\n", stats ? " (statistics)" : "",
			   stats ? " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> "
				   "<nodeallocs> <remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss> "
				   "<freehit> <freemiss>" : "");
	bool first = true;
	/* newest first, as the kernel's slab_caches (cache_chain) list */
	for (uint32_t i = has ? st->newest_cache : SLAB_NONE; i != SLAB_NONE; i = st->caches[i].older) {
		const struct kmem_cache *c = &st->caches[i];
		struct slabinfo_row r;
		slab_cache_slabinfo(m, (int)i, &r);
		if (!o->json) {
			char name[4 * sizeof c->name + 1];
			slabinfo_name(name, sizeof name, c->name);
			out_printf(o, "%-17s %6llu %6llu %6u %4u %4d", name, r.active_objs, r.num_objs, r.objsize,
				   r.objperslab, (int)r.pagesperslab);
			out_printf(o, " : tunables %4u %4u %4u", r.limit, r.batchcount, r.sharedfactor);
			out_printf(o, " : slabdata %6llu %6llu %6llu", r.active_slabs, r.num_slabs, r.shared_avail);
			if (r.stats) {
				/* the source splits the format with a backslash-newline:
				 * four tabs of the next line end up in it */
				out_printf(o, " : globalstat %7llu %6llu %5llu %4llu \t\t\t\t%4llu %4llu %4llu %4llu %4llu",
					   r.listallocs, r.maxobjs, r.grown, r.reaped, r.error, r.maxfreeable,
					   r.nodeallocs, r.remotefrees, r.alienoverflow);
				out_printf(o, " : cpustat %6llu %6llu %6llu %6llu", r.allochit, r.allocmiss, r.freehit,
					   r.freemiss);
			}
			out_puts(o, "\n");
			continue;
		}
		out_puts(o, first ? "{\"name\":" : ",{\"name\":");
		first = false;
		out_json_str(o, c->name);
		out_printf(o, ",\"active_objs\":%llu,\"num_objs\":%llu,\"objsize\":%u,\"objperslab\":%u,"
			   "\"pagesperslab\":%u,\"limit\":%u,\"batchcount\":%u,\"sharedfactor\":%u,"
			   "\"active_slabs\":%llu,\"num_slabs\":%llu,\"sharedavail\":%llu}",
			   r.active_objs, r.num_objs, r.objsize, r.objperslab, r.pagesperslab, r.limit,
			   r.batchcount, r.sharedfactor, r.active_slabs, r.num_slabs, r.shared_avail);
	}
	if (o->json)
		out_puts(o, "]}\n");
}

/* ---- one cache ------------------------------------------------------------------ */

/* Length of a free-object chain through the slab's free pointers. */
static unsigned chain_len(const struct slab *s, uint32_t head)
{
	unsigned n = 0;
	for (uint32_t i = head; i != SLAB_NONE && i < s->objects && n < s->objects; i = s->fp[i])
		n++;
	return n;
}

static bool chain_has(const struct slab *s, uint32_t head, unsigned idx)
{
	unsigned n = 0;
	for (uint32_t i = head; i != SLAB_NONE && i < s->objects && n < s->objects; i = s->fp[i], n++)
		if (i == idx)
			return true;
	return false;
}

/* The index of the object starting at addr in slab s, or -1. */
static long object_index(const struct machine *m, const struct kmem_cache *c, const struct slab *s,
			 uint64_t addr)
{
	uint64_t first = slab_object_addr(m, s, 0);
	if (addr < first || (addr - first) % c->g.size)
		return -1;
	uint64_t idx = (addr - first) / c->g.size;
	return idx < s->objects ? (long)idx : -1;
}

/* SLAB: mark the objects of slab s that sit in array cache a ('a'). */
static unsigned mark_array(const struct machine *m, const struct kmem_cache *c, const struct slab *s,
			   const struct slab_cpu *a, char *map)
{
	unsigned n = 0;
	if (!a->entry)
		return 0;
	for (unsigned i = 0; i < a->avail; i++) {
		long idx = object_index(m, c, s, a->entry[i].obj);
		if (idx >= 0 && !s->req[idx]) {
			map[idx] = 'a';
			n++;
		}
	}
	return n;
}

/* '#' allocated, '.' free; SLAB: 'a' free in an array cache; SLUB: 'x'
 * lost when a failed debug check marked all objects used.  Returns the
 * number of objects in array caches. */
static unsigned object_map(const struct machine *m, const struct kmem_cache *c, const struct slab *s, char *map)
{
	unsigned in_arrays = 0;
	for (uint32_t i = 0; i < s->objects; i++)
		map[i] = s->req[i] ? '#' : '.';
	if (s->leaked) {
		/* the free objects still on the freelist stay '.' */
		for (uint32_t i = 0; i < s->objects; i++)
			if (!s->req[i])
				map[i] = 'x';
		for (uint32_t o = s->freelist; o != SLAB_NONE; o = s->fp[o])
			map[o] = '.';
	}
	map[s->objects] = '\0';
	if (m->slab->impl == SLAB_IMPL_SLAB) {
		in_arrays += mark_array(m, c, s, &c->shared, map);
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
			in_arrays += mark_array(m, c, s, &c->cpu[cpu], map);
	}
	return in_arrays;
}

/*
 * The cache's slabs in the order `show slab` lists them: SLUB cpu slabs
 * (by CPU), then the partial, full and free lists from their heads, then
 * the slabs on no list (SLUB's full slabs) oldest first.  Returns a
 * malloc'ed array of *n ids (NULL when there are none or out of memory).
 */
struct seq_id {
	uint64_t seq;
	uint32_t id;
};

static int by_seq(const void *a, const void *b)
{
	uint64_t x = ((const struct seq_id *)a)->seq, y = ((const struct seq_id *)b)->seq;
	return x < y ? -1 : x > y;
}

static uint32_t *slab_order(const struct machine *m, int cache, size_t *n)
{
	const struct slab_state *st = m->slab;
	const struct kmem_cache *c = &st->caches[cache];
	*n = 0;
	if (!st->nr_slabs)
		return NULL;
	uint32_t *ids = malloc(st->nr_slabs * sizeof *ids);
	unsigned char *seen = calloc(st->nr_slabs, 1);
	if (!ids || !seen) {
		free(ids);
		free(seen);
		return NULL;
	}
	size_t k = 0;
#define TAKE(id) do { \
		uint32_t id_ = (id); \
		if (id_ < st->nr_slabs && !seen[id_] && st->slabs[id_].cache == (uint32_t)cache) { \
			seen[id_] = 1; \
			ids[k++] = id_; \
		} \
	} while (0)
	if (st->impl == SLAB_IMPL_SLUB)
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			if (c->cpu[cpu].slab != SLAB_NONE)
				TAKE(c->cpu[cpu].slab);
			size_t guard = 0;
			for (uint32_t id = c->cpu[cpu].partial; id != SLAB_NONE && id < st->nr_slabs &&
			     guard++ < st->nr_slabs; id = st->slabs[id].next)
				TAKE(id);
		}
	const struct slab_list_head *lists[MAX_NUMNODES_MODEL + 2];
	for (size_t nid = 0; nid < MAX_NUMNODES_MODEL; nid++)      /* each node's, in node order */
		lists[nid] = &c->partial[nid];
	lists[MAX_NUMNODES_MODEL] = &c->full;
	lists[MAX_NUMNODES_MODEL + 1] = &c->free;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
		size_t guard = 0;
		for (uint32_t id = lists[l]->head; id != SLAB_NONE && id < st->nr_slabs && guard++ < st->nr_slabs;
		     id = st->slabs[id].next)
			TAKE(id);
	}
	/* the rest: slabs on no list, oldest first */
	size_t rest = 0;
	for (uint32_t id = 0; id < st->nr_slabs; id++)
		rest += !seen[id] && st->slabs[id].cache == (uint32_t)cache;
	struct seq_id *tail = rest ? malloc(rest * sizeof *tail) : NULL;
	if (tail) {
		size_t t = 0;
		for (uint32_t id = 0; id < st->nr_slabs; id++)
			if (!seen[id] && st->slabs[id].cache == (uint32_t)cache)
				tail[t++] = (struct seq_id){ st->slabs[id].seq, id };
		qsort(tail, rest, sizeof *tail, by_seq);
		for (size_t t2 = 0; t2 < rest; t2++)
			TAKE(tail[t2].id);
		free(tail);
	}
#undef TAKE
	free(seen);
	*n = k;
	return ids;
}

/* Where a slab is: "cpu slab of CPU 0", "partial list", "no list (full)". */
static void slab_where(const struct machine *m, const struct slab *s, char *buf, size_t len)
{
	switch (s->list) {
	case SL_CPU:
		snprintf(buf, len, "cpu slab of CPU %d", s->cpu);
		break;
	case SL_PARTIAL: case SL_FULL: case SL_FREE:
		snprintf(buf, len, "%s list", view_slab_list_name(s->list));
		break;
	case SL_CPU_PARTIAL: {
		unsigned owner = 0;
		const struct kmem_cache *c = &m->slab->caches[s->cache];
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
			for (uint32_t id = c->cpu[cpu].partial, g = 0; id != SLAB_NONE && g < m->slab->nr_slabs;
			     id = m->slab->slabs[id].next, g++)
				if (&m->slab->slabs[id] == s)
					owner = cpu;
		snprintf(buf, len, "partial list of CPU %u", owner);
		break;
	}
	default:
		snprintf(buf, len, "%s", s->leaked ? "no list (given up: \"Marking all objects used\")" :
			 m->slab->impl == SLAB_IMPL_SLUB && s->inuse == s->objects ?
			 "no list (full: SLUB does not track full slabs)" : "no list");
		break;
	}
}

static void gfp_text(const struct machine *m, gfp_t gfp, char *buf, size_t len)
{
	if (!gfp)
		snprintf(buf, len, "none");
	else
		gfp_format(m->kp, gfp, buf, len);
}

static void slab_json(struct out *o, const struct machine *m, const struct kmem_cache *c, const struct slab *s,
		      const char *map, unsigned in_arrays)
{
	out_puts(o, "{\"pfn\":");
	view_json_hex(o, s->pfn);
	out_puts(o, ",\"last_pfn\":");
	view_json_hex(o, s->pfn + (1ull << s->order) - 1);
	out_printf(o, ",\"order\":%u,\"page\":", s->order);
	view_json_hex(o, machine_pfn_to_vaddr(m, s->pfn));
	out_puts(o, ",\"struct_page\":");
	view_json_hex(o, machine_page_ptr(m, s->pfn));
	out_printf(o, ",\"list\":\"%s\"", view_slab_list_name(s->list));
	if (s->list == SL_CPU)
		out_printf(o, ",\"cpu\":%d", s->cpu);
	out_printf(o, ",\"inuse\":%u,\"objects\":%u", s->inuse, s->objects);
	if (m->slab->impl == SLAB_IMPL_SLAB)
		out_printf(o, ",\"in_array_caches\":%u,\"colour_off\":%u", in_arrays, s->colour_off);
	out_puts(o, ",\"first_object\":");
	view_json_hex(o, slab_object_addr(m, s, 0));
	out_puts(o, ",\"map\":");
	out_json_str(o, map);
	out_puts(o, "}");
	(void)c;
}

static void slab_text(struct out *o, const struct machine *m, const struct kmem_cache *c, const struct slab *s,
		      const char *map, unsigned in_arrays)
{
	char where[96];
	slab_where(m, s, where, sizeof where);
	out_printf(o, "  pfn 0x%llx-0x%llx  page 0x%llx  inuse %u/%u", (ull)s->pfn,
		   (ull)(s->pfn + (1ull << s->order) - 1), (ull)machine_pfn_to_vaddr(m, s->pfn), s->inuse, s->objects);
	if (in_arrays)
		out_printf(o, " (%u in array caches)", in_arrays);
	if (m->slab->impl == SLAB_IMPL_SLAB && c->g.colour)
		out_printf(o, "  colour +%u", s->colour_off);
	out_printf(o, "  %s\n", where);
	for (uint32_t i = 0; i < s->objects; i += MAP_COLUMNS)
		out_printf(o, "    %.*s\n", MAP_COLUMNS, map + i);
}

static void cpu_state_text(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_state *st = m->slab;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		const struct slab_cpu *sc = &c->cpu[cpu];
		out_printf(o, "  cpu %u%s: ", cpu, cpu == machine_this_cpu(m) ? "*" : "");
		if (st->impl == SLAB_IMPL_SLAB) {
			out_printf(o, "array cache avail %u limit %u batchcount %u touched %s\n", sc->avail, sc->limit,
				   sc->batchcount, sc->touched ? "yes" : "no");
			continue;
		}
		if (sc->slab == SLAB_NONE || sc->slab >= st->nr_slabs) {
			out_puts(o, "no cpu slab\n");
			continue;
		}
		const struct slab *s = &st->slabs[sc->slab];
		out_printf(o, "cpu slab pfn 0x%llx, %u free on its freelist", (ull)s->pfn, chain_len(s, sc->freelist));
		unsigned remote = chain_len(s, s->freelist);
		if (remote)
			out_printf(o, " + %u freed into the slab by other CPUs", remote);
		out_puts(o, "\n");
	}
	if (st->impl == SLAB_IMPL_SLUB && c->cpu_partial_slabs) {
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			const struct slab_cpu *sc = &c->cpu[cpu];
			out_printf(o, "  cpu %u partial: %u slab%s (drained at %u)", cpu, sc->partial_slabs,
				   sc->partial_slabs == 1 ? "" : "s", c->cpu_partial_slabs);
			unsigned shown = 0;
			for (uint32_t id = sc->partial; id != SLAB_NONE && id < st->nr_slabs && shown < 8;
			     id = st->slabs[id].next, shown++)
				out_printf(o, "%s0x%llx", shown ? ", " : ": ", (ull)st->slabs[id].pfn);
			if (shown < sc->partial_slabs)
				out_puts(o, ", ...");
			out_puts(o, "\n");
		}
	}
	if (st->impl == SLAB_IMPL_SLAB) {
		if (c->shared.entry)
			out_printf(o, "  shared: array avail %u limit %u\n", c->shared.avail, c->shared.limit);
		else
			out_puts(o, "  shared: no shared array\n");
	}
}

static void cpu_state_json(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_state *st = m->slab;
	out_puts(o, ",\"cpus\":[");
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		const struct slab_cpu *sc = &c->cpu[cpu];
		out_printf(o, "%s{\"cpu\":%u,\"current\":%s", cpu ? "," : "", cpu, cpu == machine_this_cpu(m) ? "true" : "false");
		if (st->impl == SLAB_IMPL_SLAB) {
			out_printf(o, ",\"avail\":%u,\"limit\":%u,\"batchcount\":%u,\"touched\":%s}", sc->avail,
				   sc->limit, sc->batchcount, sc->touched ? "true" : "false");
			continue;
		}
		out_puts(o, ",\"partial\":[");
		unsigned k = 0;
		for (uint32_t id = sc->partial; id != SLAB_NONE && id < st->nr_slabs && k < st->nr_slabs;
		     id = st->slabs[id].next, k++) {
			out_puts(o, k ? "," : "");
			view_json_hex(o, st->slabs[id].pfn);
		}
		out_puts(o, "],\"slab\":");
		if (sc->slab == SLAB_NONE || sc->slab >= st->nr_slabs) {
			out_puts(o, "null,\"freelist\":0,\"slab_freelist\":0}");
			continue;
		}
		const struct slab *s = &st->slabs[sc->slab];
		view_json_hex(o, s->pfn);
		out_printf(o, ",\"freelist\":%u,\"slab_freelist\":%u}", chain_len(s, sc->freelist),
			   chain_len(s, s->freelist));
	}
	out_puts(o, "]");
	if (st->impl == SLAB_IMPL_SLAB) {
		out_puts(o, ",\"shared_array\":");
		if (c->shared.entry)
			out_printf(o, "{\"avail\":%u,\"limit\":%u}", c->shared.avail, c->shared.limit);
		else
			out_puts(o, "null");
	}
}

/* SLUB's partial slabs are per node: the count is their sum, the pfns go
 * node by node; with several nodes show slab names every node's
 * nr_partial (N0=... N1=..., JSON "nodes") */
static unsigned partial_lists(const struct machine *m, const struct kmem_cache *c, ull *total)
{
	unsigned nn = m->slab->impl == SLAB_IMPL_SLUB ? m->nr_nodes : 1;
	*total = 0;
	for (unsigned n = 0; n < nn; n++)
		*total += c->partial[n].count;
	return nn;
}

static void lists_json(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_state *st = m->slab;
	ull partial;
	unsigned nn = partial_lists(m, c, &partial);
	out_printf(o, ",\"lists\":{\"partial\":{\"count\":%llu,", partial);
	if (nn > 1) {
		out_puts(o, "\"nodes\":[");
		for (unsigned n = 0; n < nn; n++)
			out_printf(o, "%s%llu", n ? "," : "", (ull)c->partial[n].count);
		out_puts(o, "],");
	}
	out_puts(o, "\"pfns\":[");
	size_t k = 0;
	for (unsigned n = 0; n < nn; n++)
		for (uint32_t id = c->partial[n].head; id != SLAB_NONE && id < st->nr_slabs && k < SLABS_SHOWN;
		     id = st->slabs[id].next, k++) {
			if (k)
				out_puts(o, ",");
			view_json_hex(o, st->slabs[id].pfn);
		}
	out_puts(o, "]}");
	const struct { const char *name; const struct slab_list_head *l; } lists[] = {
		{ "full", &c->full }, { "free", &c->free },
	};
	for (size_t l = 0; st->impl == SLAB_IMPL_SLAB && l < 2; l++) {
		out_printf(o, ",\"%s\":{\"count\":%llu,\"pfns\":[", lists[l].name, (ull)lists[l].l->count);
		k = 0;
		for (uint32_t id = lists[l].l->head; id != SLAB_NONE && id < st->nr_slabs && k < SLABS_SHOWN;
		     id = st->slabs[id].next, k++) {
			if (k)
				out_puts(o, ",");
			view_json_hex(o, st->slabs[id].pfn);
		}
		out_puts(o, "]}");
	}
	out_puts(o, "}");
}

static void lists_text(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_state *st = m->slab;
	ull partial;
	unsigned nn = partial_lists(m, c, &partial);
	out_printf(o, "  %-8s %llu slab%s", "partial", partial, partial == 1 ? "" : "s");
	if (nn > 1)
		for (unsigned n = 0; n < nn; n++)
			out_printf(o, "%sN%u=%llu", n ? " " : " (", n, (ull)c->partial[n].count);
	if (nn > 1)
		out_puts(o, ")");
	size_t k = 0;
	for (unsigned n = 0; n < nn; n++)
		for (uint32_t id = c->partial[n].head; id != SLAB_NONE && id < st->nr_slabs && k < 8;
		     id = st->slabs[id].next, k++)
			out_printf(o, "%s0x%llx", k ? " " : ": ", (ull)st->slabs[id].pfn);
	if (partial > k)
		out_printf(o, " \xe2\x80\xa6 and %llu more", partial - k);
	out_puts(o, "\n");
	const struct { const char *name; const struct slab_list_head *l; } lists[] = {
		{ "full", &c->full }, { "free", &c->free },
	};
	for (size_t l = 0; st->impl == SLAB_IMPL_SLAB && l < 2; l++) {
		ull cnt = lists[l].l->count;
		out_printf(o, "  %-8s %llu slab%s", lists[l].name, cnt, cnt == 1 ? "" : "s");
		k = 0;
		for (uint32_t id = lists[l].l->head; id != SLAB_NONE && id < st->nr_slabs && k < 8;
		     id = st->slabs[id].next, k++)
			out_printf(o, "%s0x%llx", k ? " " : ": ", (ull)st->slabs[id].pfn);
		if (cnt > k)
			out_printf(o, " \xe2\x80\xa6 and %llu more", cnt - k);
		out_puts(o, "\n");
	}
}

/*
 * mm/slub.c's sysfs, show_slab_objects(s, buf, flags) (6.13; 6.1 the same):
 * the total, then, with CONFIG_NUMA (the model's x86_64 6.x kernels),
 * " N%d=%lu" for each node whose share is not 0, and a newline (a real 6.1
 * amd64 kmalloc-32 reads "6 N0=6"; a cache with none reads "0"):
 *   slabs           SO_ALL             node_nr_slabs(n)
 *   total_objects   SO_ALL|SO_TOTAL    node_nr_objs(n)
 *   objects         SO_ALL|SO_OBJECTS  node_nr_objs(n) - count_partial(n, count_free)
 *   partial         SO_PARTIAL         n->nr_partial
 *   objects_partial SO_PARTIAL|SO_OBJECTS  count_partial(n, count_inuse)
 *   cpu_slabs       SO_CPU             per CPU its cpu slab (1, at slab_nid())
 *                                      and its cpu partial list's length
 *                                      (slab->slabs, at the head's node)
 * node_nr_slabs/node_nr_objs are kmem_cache_node's nr_slabs and
 * total_objects (inc_slabs_node()/dec_slabs_node()), so a cpu slab or a
 * cpu partial slab counts as all in use; min_partial_show() "%lu\n".
 */
enum { SO_SLABS, SO_TOTAL, SO_OBJECTS, SO_PARTIAL, SO_PARTIAL_OBJECTS, SO_CPU };

static void slab_objects(const struct machine *m, const struct kmem_cache *c, int what, ull nodes[MAX_NUMNODES_MODEL])
{
	const struct slab_state *st = m->slab;
	const struct slab_meta *meta = &st->meta[c - st->caches];
	for (unsigned n = 0; n < MAX_NUMNODES_MODEL; n++) {
		nodes[n] = 0;
		if (what == SO_SLABS)
			nodes[n] = meta->nr_slabs[n];
		else if (what == SO_TOTAL || what == SO_OBJECTS)
			nodes[n] = meta->total_objects[n];
		else if (what == SO_PARTIAL)
			nodes[n] = c->partial[n].count;
		if (what != SO_OBJECTS && what != SO_PARTIAL_OBJECTS)
			continue;
		/* count_partial(): the node's partial list under its lock */
		uint64_t k = 0;
		for (uint32_t id = c->partial[n].head; id != SLAB_NONE && id < st->nr_slabs && k++ < c->partial[n].count;
		     id = st->slabs[id].next) {
			const struct slab *sl = &st->slabs[id];
			if (what == SO_OBJECTS)
				nodes[n] -= sl->objects - sl->inuse;    /* count_free() */
			else
				nodes[n] += sl->inuse;                  /* count_inuse() */
		}
	}
	if (what != SO_CPU)
		return;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		/* show_slab_objects(): "slab = READ_ONCE(c->slab); if (!slab)
		 * continue;" - a CPU without a cpu slab counts nothing, its
		 * partial list included (6.1.192, 6.12.118) */
		const struct slab_cpu *sc = &c->cpu[cpu];
		if (sc->slab == SLAB_NONE || sc->slab >= st->nr_slabs)
			continue;
		nodes[st->slabs[sc->slab].node] += 1;
		if (sc->partial != SLAB_NONE && sc->partial < st->nr_slabs)
			nodes[st->slabs[sc->partial].node] += sc->partial_slabs;
	}
}

int view_slab_sysfs(struct out *o, const struct machine *m, int cache, const char *path, const char *attr)
{
	static const char *const names[] = {
		[SO_SLABS] = "slabs", [SO_TOTAL] = "total_objects", [SO_OBJECTS] = "objects",
		[SO_PARTIAL] = "partial", [SO_PARTIAL_OBJECTS] = "objects_partial", [SO_CPU] = "cpu_slabs",
	};
	const struct kmem_cache *c = &m->slab->caches[cache];
	char buf[256];
	int what = -1;
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (strcmp(attr, names[i]) == 0)
			what = i;
	if (what >= 0) {
		ull nodes[MAX_NUMNODES_MODEL], total = 0;
		slab_objects(m, c, what, nodes);
		unsigned nn = m->slab->impl == SLAB_IMPL_SLUB ? m->nr_nodes : 1;
		for (unsigned n = 0; n < nn; n++)
			total += nodes[n];
		int len = snprintf(buf, sizeof buf, "%llu", total);
		bool numa = machine_config_numa(m);
		for (unsigned n = 0; numa && n < nn && len > 0 && (size_t)len < sizeof buf; n++)
			if (nodes[n])
				len += snprintf(buf + len, sizeof buf - (size_t)len, " N%u=%llu", n, nodes[n]);
	} else if (strcmp(attr, "min_partial") == 0) {
		snprintf(buf, sizeof buf, "%u", c->min_partial);
	} else {
		return -ENOENT;
	}
	if (o->json) {
		out_puts(o, "{\"sysfs\":");
		out_json_str(o, path);
		out_puts(o, ",\"value\":");
		out_json_str(o, buf);
		out_puts(o, "}\n");
	} else {
		out_printf(o, "%s\n", buf);
	}
	return 0;
}

static void geometry_json(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_geometry *g = &c->g;
	char gfp[256];
	gfp_text(m, c->allocflags, gfp, sizeof gfp);
	out_printf(o, ",\"object_size\":%u,\"size\":%u,\"align\":%u,\"objects_per_slab\":%u,\"order\":%u,"
		   "\"pages_per_slab\":%u,\"left_over\":%u,\"flags\":\"0x%x\",\"allocflags\":",
		   g->object_size, g->size, g->align, g->objects, g->order, 1u << g->order, g->left_over,
		   shown_flags(c));
	out_json_str(o, gfp);
	const char *al[64];
	unsigned nal = slab_cache_aliases(m, (int)(c - m->slab->caches), al, 64);
	out_printf(o, ",\"aliases\":%u,\"alias_names\":[", nal);
	for (unsigned i = 0; i < nal && i < 64; i++) {
		if (i)
			out_puts(o, ",");
		out_json_str(o, al[i]);
	}
	out_puts(o, "]");
	if (m->slab->impl == SLAB_IMPL_SLAB) {
		out_printf(o, ",\"limit\":%u,\"batchcount\":%u,\"shared\":%u,\"free_limit\":%u,\"free_objects\":%llu,"
			   "\"colour\":%u,\"colour_off\":%u,\"colour_next\":%u,\"off_slab\":%s,\"slab_mgmt\":%u",
			   g->limit, g->batchcount, g->shared, c->free_limit, (ull)c->free_objects, g->colour,
			   g->colour_off, c->colour_next, g->off_slab ? "true" : "false", g->slab_mgmt);
		if (m->kp->kv != KV_2_6_32)
			out_printf(o, ",\"objfreelist\":%s,\"freelist_size\":%u", g->objfreelist ? "true" : "false",
				   g->objects);
	} else {
		out_printf(o, ",\"min_partial\":%u,\"free_pointer_offset\":%u,\"inuse\":%u,\"red_left_pad\":%u,"
			   "\"min_order\":%u,\"min_objects\":%u", c->min_partial, g->offset, g->inuse,
			   g->red_left_pad, g->min_order, g->min_objects);
	}
	out_printf(o, ",\"nr_slabs\":%llu,\"total_objects\":%llu,\"active_objects\":%llu,\"allocs\":%llu,"
		   "\"frees\":%llu", (ull)c->nr_slabs, (ull)c->total_objects, (ull)c->active_objects,
		   (ull)c->allocs, (ull)c->frees);
}

static void geometry_text(struct out *o, const struct machine *m, const struct kmem_cache *c)
{
	const struct slab_geometry *g = &c->g;
	char gfp[256];
	gfp_text(m, c->allocflags, gfp, sizeof gfp);
	out_printf(o, "  object_size %u  size %u  align %u  flags 0x%x\n", g->object_size, g->size, g->align,
		   shown_flags(c));
	/* /sys/kernel/slab/NAME/aliases counts the names merged into the cache */
	const char *al[64];
	unsigned nal = slab_cache_aliases(m, (int)(c - m->slab->caches), al, 64);
	if (nal) {
		out_printf(o, "  aliases %u:", nal);
		for (unsigned i = 0; i < nal && i < 64; i++)
			out_printf(o, "%s %s", i ? "," : "", al[i]);
		out_puts(o, nal > 64 ? " \xe2\x80\xa6\n" : "\n");
	}
	if (g->debug_flags)
		out_printf(o, "  CONFIG_DEBUG_SLAB:%s%s%s (the object %u bytes into its slot)\n",
			   (g->debug_flags & SLAB_RED_ZONE_F) ? " red zones" : "",
			   (g->debug_flags & SLAB_POISON_F) ? " poison" : "",
			   (g->debug_flags & SLAB_STORE_USER_F) ? " last user" : "", g->red_left_pad);
	out_printf(o, "  %u objects per slab of order %u (%u page%s), %u bytes left over\n", g->objects, g->order,
		   1u << g->order, g->order ? "s" : "", g->left_over);
	if (m->slab->impl == SLAB_IMPL_SLAB) {
		out_printf(o, "  tunables limit %u batchcount %u shared %u  free_limit %u (free objects %llu)\n",
			   g->limit, g->batchcount, g->shared, c->free_limit, (ull)c->free_objects);
		bool v61 = m->kp->kv != KV_2_6_32;
		out_printf(o, "  colour %u x %u bytes (next %u)  management %s", g->colour, g->colour_off,
			   c->colour_next, g->off_slab ? "off-slab" : v61 && g->objfreelist ? "in a free object" : "on-slab");
		if (v61)        /* 6.1: a freelist_idx_t byte per object, no struct slab */
			out_printf(o, " (%u-byte freelist%s)", g->objects,
				   g->off_slab || g->objfreelist ? "" : " at the slab's end");
		else if (!g->off_slab)
			out_printf(o, " (%u bytes)", g->slab_mgmt);
		out_puts(o, "\n");
	} else {
		out_printf(o, "  min_partial %u  free pointer at offset %u", c->min_partial, g->offset);
		if (g->min_order != g->order)
			out_printf(o, "  fallback order %u (%u objects)", g->min_order, g->min_objects);
		out_puts(o, "\n");
	}
	out_printf(o, "  allocflags %s\n", gfp);
	out_printf(o, "  slabs %llu  objects %llu  active %llu  allocs %llu  frees %llu\n", (ull)c->nr_slabs,
		   (ull)c->total_objects, (ull)c->active_objects, (ull)c->allocs, (ull)c->frees);
}

/*
 * `show slab CACHE`: geometry, per-CPU state, the lists, and every slab
 * (up to SLABS_SHOWN) with an object map.
 */
void view_slab(struct out *o, const struct machine *m, int cache)
{
	const struct slab_state *st = m->slab;
	if (!st || cache < 0 || (uint32_t)cache >= st->nr_caches) {
		if (o->json)
			out_puts(o, "{\"error\":\"no such cache\"}\n");
		else
			out_puts(o, "no such cache\n");
		return;
	}
	const struct kmem_cache *c = &st->caches[cache];
	if (st->impl == SLAB_IMPL_SLOB) {
		/* SLOB keeps no slabs per cache: the pages on its three lists */
		static const char *const names[3] = { "small (< 256 bytes)", "medium (< 1024 bytes)", "large" };
		out_printf(o, "%s (slob)\n  object_size %u  align %u  objects %llu\n", c->name, c->g.object_size,
			   c->g.align, (unsigned long long)c->active_objects);
		out_puts(o, "SLOB keeps no slabs per cache: every cache and kmalloc share the partially free pages\n");
		for (int l = 0; l < 3; l++) {
			uint64_t pfns[64];
			unsigned units[64];
			unsigned k = slob_list_pages(m, l, pfns, units, 64);
			out_printf(o, "  %-22s %u page%s", names[l], k, k == 1 ? "" : "s");
			for (unsigned i = 0; i < k; i++)
				out_printf(o, "%s0x%llx (%u free units)", i ? ", " : ": ", (unsigned long long)pfns[i], units[i]);
			out_puts(o, "\n");
		}
		return;
	}
	bool slab = st->impl == SLAB_IMPL_SLAB;
	size_t n = 0;
	uint32_t *ids = slab_order(m, cache, &n);
	size_t shown = n < SLABS_SHOWN ? n : SLABS_SHOWN;

	if (o->json) {
		out_puts(o, "{\"cache\":");
		out_json_str(o, c->name);
		out_printf(o, ",\"allocator\":\"%s\",\"kmalloc\":%s,\"live\":%s", slab_impl_name(st->impl),
			   c->kmalloc ? "true" : "false", c->live ? "true" : "false");
		geometry_json(o, m, c);
		cpu_state_json(o, m, c);
		lists_json(o, m, c);
		out_puts(o, ",\"slabs\":[");
	} else {
		out_printf(o, "%s (%s%s%s)\n", c->name, slab_impl_name(st->impl), c->kmalloc ? ", kmalloc cache" : "",
			   c->live ? "" : ", destroyed");
		geometry_text(o, m, c);
		cpu_state_text(o, m, c);
		lists_text(o, m, c);
		bool lost = false;
		for (size_t i = 0; i < shown; i++)
			lost |= st->slabs[ids[i]].leaked != 0;
		if (n)
			out_printf(o, "slabs (%s; # allocated, . free%s%s):\n",
				   slab ? "full, partial and free lists from their heads" :
				   m->nr_nodes > 1 ? (c->cpu_partial_slabs ? "cpu slabs and cpu partial lists, each node's "
				   "partial list from its head (node 0 first), then full slabs" : "cpu slabs, each node's "
				   "partial list from its head (node 0 first), then full slabs") :
				   c->cpu_partial_slabs ? "cpu slabs and cpu partial lists, the node's partial list from "
				   "its head, then full slabs" : "cpu slabs, the partial list from its head, then full slabs",
				   slab ? ", a free in an array cache" : "",
				   lost ? ", x lost (\"Marking all objects used\")" : "");
	}
	for (size_t i = 0; i < shown; i++) {
		const struct slab *s = &st->slabs[ids[i]];
		char *map = malloc(s->objects + 1u);
		if (!map)
			break;
		unsigned in_arrays = object_map(m, c, s, map);
		if (o->json) {
			if (i)
				out_puts(o, ",");
			slab_json(o, m, c, s, map, in_arrays);
		} else {
			slab_text(o, m, c, s, map, in_arrays);
		}
		free(map);
	}
	if (o->json)
		out_printf(o, "],\"more\":%zu}\n", n - shown);
	else if (n > shown)
		out_printf(o, "  \xe2\x80\xa6 and %zu more\n", n - shown);
	free(ids);
}

/* ---- what is at an address --------------------------------------------------------- */

/* Where a free object waits to be handed out again. */
static void free_where(const struct machine *m, const struct kmem_cache *c, const struct slab *s, unsigned idx,
		       char *buf, size_t len)
{
	const struct slab_state *st = m->slab;
	uint64_t addr = slab_object_addr(m, s, idx);
	if (st->impl == SLAB_IMPL_SLAB) {
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
			for (unsigned i = 0; c->cpu[cpu].entry && i < c->cpu[cpu].avail; i++)
				if (c->cpu[cpu].entry[i].obj == addr) {
					snprintf(buf, len, "in CPU %u's array cache (entry %u of %u: the next kmalloc on "
						 "that CPU takes the last entry first)", cpu, i, c->cpu[cpu].avail);
					return;
				}
		for (unsigned i = 0; c->shared.entry && i < c->shared.avail; i++)
			if (c->shared.entry[i].obj == addr) {
				snprintf(buf, len, "in the shared array cache");
				return;
			}
		snprintf(buf, len, "on its slab's free list");
		return;
	}
	if (s->cpu >= 0 && (unsigned)s->cpu < m->ncpus && chain_has(s, c->cpu[s->cpu].freelist, idx)) {
		snprintf(buf, len, "on the freelist of CPU %d's cpu slab", s->cpu);
		return;
	}
	if (chain_has(s, s->freelist, idx)) {
		snprintf(buf, len, "on its slab's freelist");
		return;
	}
	snprintf(buf, len, "on no freelist");
}

static const char *page_state_text(const struct page_info *pi)
{
	switch (pi->state) {
	case PS_FREE: return "free in the buddy allocator";
	case PS_ALLOCATED: return "allocated from the page allocator, not a slab";
	case PS_RESERVED: return "reserved";
	case PS_HOLE: return "not RAM (a hole)";
	default: return "beyond the end of memory";
	}
}

/* An allocated block that is a large kmalloc: its address in *head. */
static bool inside_large(const struct machine *m, const struct page_info *pi, uint64_t *head)
{
	if (pi->state != PS_ALLOCATED || !machine_pfn_has_vaddr(m, pi->block_pfn))
		return false;
	struct object_info oi;
	*head = machine_pfn_to_vaddr(m, pi->block_pfn);
	slab_object_info(m, *head, &oi);
	return oi.found && oi.large;
}

static void not_slab(struct out *o, const struct machine *m, uint64_t addr)
{
	uint64_t pfn, off;
	bool direct = machine_vaddr_to_pfn(m, addr, &pfn, &off) == 0;
	struct page_info pi;
	if (direct)
		buddy_page_info(m, pfn, &pi);
	if (o->json) {
		out_puts(o, "{\"addr\":");
		view_json_hex(o, addr);
		out_puts(o, ",\"slab_object\":false,\"direct_map\":");
		out_puts(o, direct ? "true" : "false");
		if (direct) {
			out_puts(o, ",\"pfn\":");
			view_json_hex(o, pfn);
			out_puts(o, ",\"page_state\":");
			out_json_str(o, page_state_text(&pi));
			if (pi.state == PS_FREE || pi.state == PS_ALLOCATED) {
				out_puts(o, ",\"block_pfn\":");
				view_json_hex(o, pi.block_pfn);
				out_printf(o, ",\"order\":%u", pi.order);
			}
			uint64_t head = 0;
			if (inside_large(m, &pi, &head)) {
				out_puts(o, ",\"large_kmalloc\":");
				view_json_hex(o, head);
			}
		}
		out_puts(o, "}\n");
		return;
	}
	if (!direct) {
		out_printf(o, "0x%llx: not a slab object: not a direct-mapped (lowmem) kernel address\n", (ull)addr);
		return;
	}
	out_printf(o, "0x%llx: not a slab object\n", (ull)addr);
	out_printf(o, "  page      pfn 0x%llx, offset 0x%llx, struct page 0x%llx\n", (ull)pfn, (ull)off,
		   (ull)machine_page_ptr(m, pfn));
	if (pi.state == PS_FREE || pi.state == PS_ALLOCATED)
		out_printf(o, "  state     %s (order-%u block at pfn 0x%llx)\n", page_state_text(&pi), pi.order,
			   (ull)pi.block_pfn);
	else
		out_printf(o, "  state     %s\n", page_state_text(&pi));
	uint64_t head = 0;
	if (inside_large(m, &pi, &head))
		out_printf(o, "  inside    the large kmalloc at 0x%llx, 0x%llx bytes in\n", (ull)head, (ull)(addr - head));
}

static void large_object(struct out *o, const struct machine *m, uint64_t addr, const struct object_info *oi)
{
	ull bytes = (1ull << oi->large_order) << m->arch->page_shift;
	if (o->json) {
		out_puts(o, "{\"addr\":");
		view_json_hex(o, addr);
		out_puts(o, ",\"slab_object\":false,\"large_kmalloc\":true,\"pfn\":");
		view_json_hex(o, oi->slab_pfn);
		out_puts(o, ",\"struct_page\":");
		view_json_hex(o, machine_page_ptr(m, oi->slab_pfn));
		out_printf(o, ",\"order\":%u,\"requested\":%zu,\"bytes\":%llu}\n", oi->large_order, oi->large_size, bytes);
		return;
	}
	out_printf(o, "0x%llx: a large kmalloc (above the largest kmalloc cache)\n", (ull)addr);
	out_printf(o, "  pages     order-%u block at pfn 0x%llx (%llu bytes), struct page 0x%llx\n", oi->large_order,
		   (ull)oi->slab_pfn, bytes, (ull)machine_page_ptr(m, oi->slab_pfn));
	out_printf(o, "  state     allocated: requested %zu bytes, straight from the page allocator\n", oi->large_size);
}

/* An address inside a slab but outside its objects. */
static const char *slab_gap_name(const struct machine *m, const struct kmem_cache *c, const struct slab *s,
				 uint64_t addr)
{
	uint64_t off = addr - machine_pfn_to_vaddr(m, s->pfn);
	if (m->kp->kv != KV_2_6_32 && m->slab->impl == SLAB_IMPL_SLAB) {
		/* 6.1 alloc_slabmgmt(): s_mem = the slab + colour; an on-slab
		 * freelist is the last cachep->freelist_size (num) bytes */
		uint64_t slab_bytes = 1ull << (m->arch->page_shift + s->order);
		if (off < s->colour_off)
			return "colour padding before the first object";
		if (!c->g.off_slab && !c->g.objfreelist && off >= slab_bytes - c->g.objects)
			return "the slab's freelist (one freelist_idx_t byte per object, at the slab's end)";
		return "the unused tail of the slab (left over)";
	}
	if (off < s->colour_off)
		return "colour padding before the slab's management area";
	if (off < (uint64_t)s->colour_off + c->g.slab_mgmt)
		return "the slab's management area (struct slab and its kmem_bufctl_t array)";
	if (addr < slab_object_addr(m, s, 0))
		return "padding before the first object";
	return "the unused tail of the slab (left over)";
}

/*
 * `show object ADDR`: the cache, slab and object an address falls in,
 * whether the object is allocated (and how many bytes were asked for) or
 * where it waits when free; a large kmalloc; or what the page is.
 */
/* SLOB: a block in a page of 2-byte units */
static void slob_object(struct out *o, const struct machine *m, uint64_t addr, const struct object_info *oi)
{
	const char *owner = oi->cache >= 0 ? m->slab->caches[oi->cache].name : "kmalloc";
	if (o->json) {
		out_puts(o, "{\"addr\":");
		view_json_hex(o, addr);
		out_puts(o, ",\"slob\":true,\"page_pfn\":");
		view_json_hex(o, oi->slab_pfn);
		if (oi->index == ~0u) {
			out_puts(o, ",\"allocated\":false}\n");
			return;
		}
		out_puts(o, ",\"owner\":");
		out_json_str(o, owner);
		out_printf(o, ",\"unit\":%u,\"units\":%u,\"object\":", oi->index, oi->slob_units);
		view_json_hex(o, oi->object_addr);
		out_printf(o, ",\"offset\":%d,\"requested\":%zu,\"allocated\":true}\n", oi->offset, oi->requested);
		return;
	}
	out_printf(o, "0x%llx: in the SLOB page at pfn 0x%llx (page 0x%llx)\n", (unsigned long long)addr,
		   (unsigned long long)oi->slab_pfn, (unsigned long long)machine_pfn_to_vaddr(m, oi->slab_pfn));
	if (oi->index == ~0u) {
		out_puts(o, "  state     free (on the page's free list)\n");
		return;
	}
	out_printf(o, "  block     units %u-%u (%u bytes) from unit %u, %s\n", oi->index, oi->index + oi->slob_units - 1,
		   oi->slob_units * 2, oi->index, owner);
	out_printf(o, "  object    0x%llx (offset %d)%s\n", (unsigned long long)oi->object_addr, oi->offset,
		   oi->cache < 0 ? "; the size header sits in front of it" : "");
	out_printf(o, "  state     allocated: requested %zu bytes\n", oi->requested);
}

void view_object(struct out *o, const struct machine *m, uint64_t addr)
{
	struct object_info oi;
	slab_object_info(m, addr, &oi);
	if (!oi.found) {
		not_slab(o, m, addr);
		return;
	}
	if (oi.large) {
		large_object(o, m, addr, &oi);
		return;
	}
	if (oi.slob) {
		slob_object(o, m, addr, &oi);
		return;
	}
	const struct slab_state *st = m->slab;
	const struct kmem_cache *c = &st->caches[oi.cache];
	const struct slab *s = &st->slabs[oi.slab];
	uint64_t page = machine_pfn_to_vaddr(m, s->pfn);
	bool inside = oi.index != ~0u;
	/* addresses in an object's left red zone lie before its start */
	long long off = inside ? (long long)(addr - oi.object_addr) : 0;
	char where[160] = "";
	if (inside && !oi.allocated)
		free_where(m, c, s, oi.index, where, sizeof where);

	if (o->json) {
		out_puts(o, "{\"addr\":");
		view_json_hex(o, addr);
		out_puts(o, ",\"slab_object\":true,\"cache\":");
		out_json_str(o, c->name);
		out_puts(o, ",\"slab_pfn\":");
		view_json_hex(o, s->pfn);
		out_printf(o, ",\"slab_order\":%u,\"page\":", s->order);
		view_json_hex(o, page);
		out_puts(o, ",\"struct_page\":");
		view_json_hex(o, machine_page_ptr(m, s->pfn));
		if (!inside) {
			out_puts(o, ",\"index\":null,\"area\":");
			out_json_str(o, slab_gap_name(m, c, s, addr));
			out_puts(o, "}\n");
			return;
		}
		out_printf(o, ",\"index\":%u,\"object\":", oi.index);
		view_json_hex(o, oi.object_addr);
		out_printf(o, ",\"offset\":%lld,\"allocated\":%s", off, oi.allocated ? "true" : "false");
		if (oi.allocated)
			out_printf(o, ",\"requested\":%zu", oi.requested);
		else {
			out_puts(o, ",\"free_in\":");
			out_json_str(o, where);
		}
		out_printf(o, ",\"object_size\":%u,\"size\":%u}\n", c->g.object_size, c->g.size);
		return;
	}
	if (!inside) {
		out_printf(o, "0x%llx: in a slab of %s, but not in an object\n", (ull)addr, c->name);
		out_printf(o, "  slab      pfn 0x%llx (order %u), page 0x%llx, struct page 0x%llx\n", (ull)s->pfn,
			   s->order, (ull)page, (ull)machine_page_ptr(m, s->pfn));
		out_printf(o, "  area      %s\n", slab_gap_name(m, c, s, addr));
		return;
	}
	out_printf(o, "0x%llx: %s, object %u of the slab at pfn 0x%llx\n", (ull)addr, c->name, oi.index, (ull)s->pfn);
	out_printf(o, "  slab      pfn 0x%llx (order %u), page 0x%llx, struct page 0x%llx\n", (ull)s->pfn, s->order,
		   (ull)page, (ull)machine_page_ptr(m, s->pfn));
	out_printf(o, "  object    0x%llx (0x%llx into the slab), size %u", (ull)oi.object_addr,
		   (ull)(oi.object_addr - page), c->g.object_size);
	if (c->g.size != c->g.object_size)
		out_printf(o, " (%u with alignment and metadata)", c->g.size);
	out_puts(o, "\n");
	if (off < 0)
		out_printf(o, "  offset    %lld: in the object's left red zone\n", off);
	else if (off >= c->g.object_size)
		out_printf(o, "  offset    0x%llx (%lld): past the object's %u bytes (padding or debug metadata)\n",
			   (ull)off, off, c->g.object_size);
	else if (off)
		out_printf(o, "  offset    0x%llx (%lld) into the object\n", (ull)off, off);
	if (!oi.allocated) {
		out_printf(o, "  state     free, %s\n", where);
		return;
	}
	out_printf(o, "  state     allocated: requested %zu bytes", oi.requested);
	if (oi.requested < c->g.object_size)
		out_printf(o, " of %s's %u-byte objects (%zu bytes unused)", c->name, c->g.object_size,
			   c->g.object_size - oi.requested);
	out_puts(o, "\n");
}

/* ---- the current CPU ----------------------------------------------- */

void view_cpu(struct out *o, const struct machine *m, bool switched)
{
	/* with NUMA nodes the CPU's node too (cpu_to_node(), numa.c) */
	bool numa = m->nr_nodes > 1;
	unsigned nid = machine_numa_node_id(m);
	if (!switched)
		out_printf(o, numa ? "CPU %u of %u (node %u)\n" : "CPU %u of %u\n", machine_this_cpu(m), m->ncpus, nid);
	else if (o->json && numa)
		out_printf(o, "{\"cpu\":%u,\"node\":%u}\n", machine_this_cpu(m), nid);
	else if (o->json)
		out_printf(o, "{\"cpu\":%u}\n", machine_this_cpu(m));
	else if (numa)
		out_printf(o, "now on CPU %u (node %u)\n", machine_this_cpu(m), nid);
	else
		out_printf(o, "now on CPU %u\n", machine_this_cpu(m));
}

/* ---- memset's description of a range ------------------------------------------------- */

void view_slab_range(const struct machine *m, uint64_t addr, uint64_t len, char *buf, size_t buflen)
{
	buf[0] = '\0';
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
	struct slab_span sp;
	if (!m->slab || slab_region_span(m, addr, end, &sp))
		return;
	const struct kmem_cache *c = &m->slab->caches[sp.cache];
	uint64_t slab_end = sp.slab_end;
	size_t n = (size_t)snprintf(buf, buflen, "%s:", c->name);
	for (int part = 1; n < buflen; part++) {
		if (part > 6) {
			snprintf(buf + n, buflen - n, " ...");
			break;
		}
		const char *sep = part > 1 ? ";" : "";
		if (sp.object >= 0)
			n += (size_t)snprintf(buf + n, buflen - n, "%s object %ld (%s): %llu byte%s at %+ld, %s%s", sep,
					      sp.object, sp.allocated ? "allocated" : "free", (ull)sp.len,
					      sp.len == 1 ? "" : "s", sp.offset,
					      strcmp(sp.region, "object") == 0 ? "in the object" : sp.region,
					      strcmp(sp.region, "free pointer") == 0 && !sp.allocated &&
					      !(c->flags & SLAB_DEBUG_FREE_F) ? " (the kernel would follow the damaged "
					      "pointer on a later allocation)" : "");
		else
			n += (size_t)snprintf(buf + n, buflen - n, "%s %s, %llu byte%s", sep, sp.region, (ull)sp.len,
					      sp.len == 1 ? "" : "s");
		addr += sp.len;
		if (addr >= end || addr >= slab_end || slab_region_span(m, addr, end, &sp))
			break;
	}
}
