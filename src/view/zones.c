/*
 * zones.c - kmemsh's own pictures of the model: the zone map, one page,
 * the free lists of a zone, the machine layout, and the dmesg ring.
 *
 * The zone map is a fixed-width picture: each of ZONE_MAP_COLUMNS columns
 * stands for an equal pfn range of the zone, whatever the machine size.
 * Counting what a column holds costs two memmap range queries plus a walk
 * of the chunks that have page descriptors: an untouched chunk is, by the
 * model's construction, free RAM except where the memmap says hole or
 * reserved.
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/extfrag.h"
#include "kmemsh/compaction.h"
#include "view_int.h"

#define ZONE_MAP_COLUMNS 64
#define FREE_AREA_SHOWN 32      /* blocks listed per free list */
#define RANGES_PER_LINE 4

/* ---- shared helpers ---------------------------------------------------------- */

const char *view_zone_name(const struct machine *m, int zone)
{
	return zone >= 0 && zone < m->nr_zones ? m->zones[zone].label : "?";
}

void view_json_key(struct out *o, bool *first, const char *key)
{
	if (!*first)
		out_puts(o, ",");
	*first = false;
	out_json_str(o, key);
	out_puts(o, ":");
}

void view_json_hex(struct out *o, uint64_t v)
{
	out_printf(o, "\"0x%llx\"", (ull)v);
}

void view_json_range(struct out *o, uint64_t a, uint64_t b)
{
	out_printf(o, "\"0x%llx-0x%llx\"", (ull)a, (ull)b);
}

void view_json_zone_open(struct out *o, const struct zone *z, bool *first)
{
	out_printf(o, "%s{\"node\":%d,\"zone\":", *first ? "" : ",", z->nid);
	*first = false;
	out_json_str(o, z->name);
}

void view_json_nr_free(struct out *o, const struct zone *z)
{
	for (int k = 0; k < NR_ORDERS; k++)
		out_printf(o, "%s%llu", k ? "," : "", (ull)free_area_nr_free(&z->free_area[k]));
}

/* mm/vmstat.c: migratetype_names[] of the modelled version */
const char *view_mt_name(const struct machine *m, int mt)
{
	if (mt < 0 || mt >= m->kp->nr_migratetypes)
		return "?";
	return m->kp->mt_names[mt];
}

/* ---- the zone map ---------------------------------------------------------------- */

struct col_count {
	ull ram, free, alloc, resv;
};

/* Walk one materialized chunk block by block and count the pages of
 * [a, b) that are free, allocated or reserved. */
static void scan_chunk(const struct machine *m, uint64_t c, uint64_t a, uint64_t b, struct col_count *k)
{
	const struct page *pg = m->chunk[c];
	uint64_t base = c << CHUNK_SHIFT;
	uint64_t p = base;

	while (p < base + CHUNK_PAGES && p < b) {
		const struct page *x = &pg[p - base];
		uint64_t n = 1;
		int what;               /* 0 hole, 1 reserved, 2 free, 3 allocated */
		if (x->flags & PG_hole) {
			what = 0;
		} else if (x->flags & PG_reserved) {
			what = 1;
		} else if (x->flags & (PG_buddy | PG_head)) {
			n = 1ull << x->order;
			what = (x->flags & PG_buddy) ? 2 : 3;
		} else {
			what = 3;       /* not a block head: count it as in use */
		}
		uint64_t s = p > a ? p : a, e = p + n < b ? p + n : b;
		if (e > s) {
			ull len = e - s;
			if (what > 0)
				k->ram += len;
			if (what == 1)
				k->resv += len;
			else if (what == 2)
				k->free += len;
			else if (what == 3)
				k->alloc += len;
		}
		p += n;
	}
}

/* What the pages of [a, b) are. */
static void count_range(const struct machine *m, uint64_t a, uint64_t b, struct col_count *k)
{
	memset(k, 0, sizeof *k);
	if (a >= b)
		return;
	ull ram = memmap_ram_pages(&m->memmap, a, b);
	ull resv = memmap_reserved_pages(&m->memmap, a, b);
	/* untouched chunks: RAM that is not reserved is free */
	k->ram = ram;
	k->resv = resv;
	k->free = ram - resv;
	if (!m->materialized)
		return;
	uint64_t c_end = ((b - 1) >> CHUNK_SHIFT) + 1;
	if (c_end > m->nr_chunks)
		c_end = m->nr_chunks;
	/* only the materialized chunks of the range (m->touched is sorted) */
	for (uint64_t t = machine_touched_from(m, a >> CHUNK_SHIFT); t < m->materialized; t++) {
		uint64_t c = m->touched[t];
		if (c >= c_end)
			break;
		uint64_t s = c << CHUNK_SHIFT, e = s + CHUNK_PAGES;
		if (s < a)
			s = a;
		if (e > b)
			e = b;
		ull cram = memmap_ram_pages(&m->memmap, s, e);
		ull cresv = memmap_reserved_pages(&m->memmap, s, e);
		k->ram -= cram;
		k->resv -= cresv;
		k->free -= cram - cresv;
		scan_chunk(m, c, s, e, k);
	}
}

/* One character per column: see the legend in view_zones(). */
static char column_char(const struct col_count *k)
{
	if (k->ram == 0)
		return ' ';
	if (k->free == k->ram)
		return '.';
	if (k->free == 0)
		return k->alloc ? '#' : 'R';
	return k->alloc ? 'o' : 'r';
}

static const char *char_color(char ch)
{
	switch (ch) {
	case '.': return "32";
	case 'o': return "33";
	case '#': return "1;31";
	case 'r': case 'R': return "34";
	default: return NULL;
	}
}

static void zone_map(const struct machine *m, const struct zone *z, char *map)
{
	uint64_t s = z->start_pfn, n = z->spanned;
	for (int c = 0; c < ZONE_MAP_COLUMNS; c++) {
		uint64_t a = s + n * (uint64_t)c / ZONE_MAP_COLUMNS;
		uint64_t b = s + n * (uint64_t)(c + 1) / ZONE_MAP_COLUMNS;
		struct col_count k;
		count_range(m, a, b, &k);
		map[c] = column_char(&k);
	}
	map[ZONE_MAP_COLUMNS] = '\0';
}

static void zones_json(struct out *o, const struct machine *m)
{
	bool firstz = true;
	out_printf(o, "{\"columns\":%d,\"legend\":{\".\":\"free\",\"o\":\"partly allocated\","
		   "\"#\":\"allocated\",\"r\":\"free and reserved\",\"R\":\"reserved\",\" \":\"no RAM\"},"
		   "\"zones\":[", ZONE_MAP_COLUMNS);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		char map[ZONE_MAP_COLUMNS + 1];
		zone_map(m, z, map);
		out_puts(o, firstz ? "{\"zone\":" : ",{\"zone\":");
		firstz = false;
		out_json_str(o, z->name);
		out_puts(o, ",\"start_pfn\":");
		view_json_hex(o, z->start_pfn);
		out_puts(o, ",\"end_pfn\":");
		view_json_hex(o, z->start_pfn + z->spanned);
		out_printf(o, ",\"pages_per_column\":%llu,\"map\":",
			   (ull)((z->spanned + ZONE_MAP_COLUMNS - 1) / ZONE_MAP_COLUMNS));
		out_json_str(o, map);
		out_printf(o, ",\"spanned\":%llu,\"present\":%llu,\"managed\":%llu,\"free\":%llu,"
			   "\"wmark\":{\"min\":%llu,\"low\":%llu,\"high\":%llu",
			   (ull)z->spanned, (ull)z->present, (ull)z->managed, (ull)z->free_pages,
			   (ull)z->wmark[WMARK_MIN], (ull)z->wmark[WMARK_LOW], (ull)z->wmark[WMARK_HIGH]);
		if (m->kp->has_promo)
			out_printf(o, ",\"promo\":%llu", (ull)z->wmark[WMARK_PROMO]);
		if (z->watermark_boost)
			out_printf(o, ",\"boost\":%llu", (ull)z->watermark_boost);
		out_puts(o, "},\"nr_free\":[");
		view_json_nr_free(o, z);
		out_puts(o, "],\"unusable\":[");
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			struct contig_page_info info;
			extfrag_fill_contig_page_info(z, k, &info);
			int u = extfrag_unusable_free_index(k, &info);
			out_printf(o, "%s%d.%03d", k ? "," : "", u / 1000, u % 1000);
		}
		out_printf(o, "],\"allocs\":%llu,\"frees\":%llu,\"failed\":%llu}",
			   (ull)z->allocs, (ull)z->frees, (ull)z->fails);
	}
	out_puts(o, "]}\n");
}

/*
 * `show zones`: per populated zone a map of ZONE_MAP_COLUMNS columns and
 * its numbers.  Every field has a fixed width wide enough for the largest
 * machine modelled (4 TiB = 2^30 pages), so the picture is as wide for
 * 16 MiB as for 4 TiB.
 */
void view_zones(struct out *o, const struct machine *m)
{
	if (o->json) {
		zones_json(o, m);
		return;
	}
	out_printf(o, "zone map: %d columns per zone, each an equal pfn range of the zone\n"
		   "  . free  o partly allocated  # allocated  r free + reserved  R reserved  ' ' no RAM\n",
		   ZONE_MAP_COLUMNS);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		char map[ZONE_MAP_COLUMNS + 1];
		zone_map(m, z, map);
		out_printf(o, "%-8s pfn 0x%09llx-0x%09llx  %10llu pages per column\n", z->label,
			   (ull)z->start_pfn, (ull)(z->start_pfn + z->spanned - 1),
			   (ull)((z->spanned + ZONE_MAP_COLUMNS - 1) / ZONE_MAP_COLUMNS));
		out_puts(o, "  |");
		for (int c = 0; c < ZONE_MAP_COLUMNS; ) {
			const char *col = char_color(map[c]);
			int e = c;
			while (e < ZONE_MAP_COLUMNS && map[e] == map[c])
				e++;
			if (col)
				out_color(o, col);
			out_printf(o, "%.*s", e - c, map + c);
			if (col)
				out_reset(o);
			c = e;
		}
		out_puts(o, "|\n");
		out_printf(o, "  spanned %10llu  present %10llu  managed %10llu  free %10llu\n",
			   (ull)z->spanned, (ull)z->present, (ull)z->managed, (ull)z->free_pages);
		out_printf(o, "  wmark   min %10llu  low %10llu  high %10llu", (ull)z->wmark[WMARK_MIN],
			   (ull)z->wmark[WMARK_LOW], (ull)z->wmark[WMARK_HIGH]);
		if (m->kp->has_promo)
			out_printf(o, "  promo %10llu", (ull)z->wmark[WMARK_PROMO]);
		/* 6.x: the marks above are wmark_pages(), the boost included */
		if (z->watermark_boost)
			out_printf(o, "  (boost %llu)", (ull)z->watermark_boost);
		out_puts(o, "\n  order  ");
		for (int k = 0; k < NR_ORDERS; k++)
			out_printf(o, " %7d", k);
		out_puts(o, "\n  nr_free");
		for (int k = 0; k < NR_ORDERS; k++)
			out_printf(o, " %7llu", (ull)free_area_nr_free(&z->free_area[k]));
		/* mm/vmstat.c unusable_free_index() (debugfs extfrag/unusable_index) */
		out_puts(o, "\n  unusable");
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			struct contig_page_info info;
			extfrag_fill_contig_page_info(z, k, &info);
			int u = extfrag_unusable_free_index(k, &info);
			out_printf(o, k ? "   %d.%03d" : "  %d.%03d", u / 1000, u % 1000);
		}
		out_printf(o, "\n  allocs  %10llu  frees  %10llu  failed %10llu\n", (ull)z->allocs,
			   (ull)z->frees, (ull)z->fails);
	}
}

/* ---- one page ---------------------------------------------------------------------- */

static const char *state_name(enum page_state s)
{
	static const char *const names[] = {
		[PS_NONE] = "none", [PS_HOLE] = "hole", [PS_RESERVED] = "reserved",
		[PS_FREE] = "free", [PS_ALLOCATED] = "allocated",
	};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void view_page(struct out *o, const struct machine *m, uint64_t pfn)
{
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	unsigned shift = m->arch->page_shift;
	uint64_t pb = pfn & ~((1ull << m->pageblock_order) - 1);
	bool mapped = machine_pfn_has_vaddr(m, pfn);
	const struct resource *res = memmap_find_resource(&m->memmap, pfn << shift);
	char gfp[256] = "";

	if (pi.state == PS_ALLOCATED)
		gfp_format(m->kp, pi.gfp, gfp, sizeof gfp);

	if (o->json) {
		out_puts(o, "{\"pfn\":");
		view_json_hex(o, pfn);
		out_puts(o, ",\"phys\":");
		view_json_hex(o, pfn << shift);
		out_printf(o, ",\"state\":\"%s\"", state_name(pi.state));
		if (pi.state == PS_NONE) {
			out_puts(o, ",\"max_pfn\":");
			view_json_hex(o, m->max_pfn);
			out_puts(o, "}\n");
			return;
		}
		out_puts(o, ",\"struct_page\":");
		view_json_hex(o, machine_page_ptr(m, pfn));
		out_puts(o, ",\"vaddr\":");
		if (mapped)
			view_json_hex(o, machine_pfn_to_vaddr(m, pfn));
		else
			out_puts(o, "null");
		out_puts(o, ",\"zone\":");
		if (pi.zone >= 0)
			out_json_str(o, m->zones[pi.zone].name);
		else
			out_puts(o, "null");
		if (pi.state == PS_FREE || pi.state == PS_ALLOCATED) {
			out_puts(o, ",\"block_pfn\":");
			view_json_hex(o, pi.block_pfn);
			out_printf(o, ",\"order\":%u,\"migratetype\":", pi.order);
			out_json_str(o, view_mt_name(m, pi.mt));
		}
		if (pi.state == PS_ALLOCATED) {
			out_puts(o, ",\"gfp\":");
			out_json_str(o, gfp);
		}
		if (pi.pcp_cpu)
			out_printf(o, ",\"pcp_cpu\":%d", pi.pcp_cpu - 1);
		out_puts(o, ",\"pageblock\":");
		view_json_hex(o, pb);
		out_puts(o, ",\"pageblock_migratetype\":");
		out_json_str(o, view_mt_name(m, pi.pageblock_mt));
		out_puts(o, ",\"resource\":");
		if (res)
			out_json_str(o, res->name);
		else
			out_puts(o, "null");
		struct page tmp;
		const struct page *pp = page_peek(m, pfn, &tmp);
		uint64_t to;
		out_printf(o, ",\"movable\":%s", pp && (pp->flags & PG_lru) ? "true" : "false");
		if (compaction_moved_to(m, pfn, &to) == 0) {
			out_puts(o, ",\"moved_to\":");
			view_json_hex(o, to);
		}
		out_puts(o, "}\n");
		return;
	}

	if (pi.state == PS_NONE) {
		out_printf(o, "pfn 0x%llx: beyond the end of memory (max_pfn 0x%llx)\n", (ull)pfn, (ull)m->max_pfn);
		return;
	}
	out_printf(o, "pfn 0x%llx  phys 0x%llx  struct page 0x%llx\n", (ull)pfn, (ull)(pfn << shift),
		   (ull)machine_page_ptr(m, pfn));
	if (mapped)
		out_printf(o, "  virtual   0x%llx (direct map)\n", (ull)machine_pfn_to_vaddr(m, pfn));
	else
		out_puts(o, "  virtual   no kernel mapping (highmem)\n");
	out_printf(o, "  zone      %s\n", pi.zone >= 0 ? m->zones[pi.zone].label : "(none)");
	if (m->nr_nodes > 1)                    /* page_to_nid() */
		out_printf(o, "  node      %d\n", pi.zone >= 0 ? m->zones[pi.zone].nid : numa_pfn_to_nid(m, pfn));
	if (res)
		out_printf(o, "  resource  %s\n", res->name);
	switch (pi.state) {
	case PS_HOLE:
		out_puts(o, "  state     hole: not RAM\n");
		break;
	case PS_RESERVED:
		out_puts(o, "  state     reserved at boot (PG_reserved), never given to the buddy allocator\n");
		break;
	case PS_FREE:
		if (pi.pcp_cpu) {
			/* a free block on a per-CPU list: no buddy list, not in NR_FREE_PAGES */
			out_printf(o, "  state     free, the order-%u block at pfn 0x%llx on CPU %d's %s pcp list "
				   "(not on a buddy list until a drain)\n", pi.order, (ull)pi.block_pfn, pi.pcp_cpu - 1,
				   view_mt_name(m, pi.mt));
			break;
		}
		out_printf(o, "  state     free, in the order-%u block at pfn 0x%llx on the %s list%s\n", pi.order,
			   (ull)pi.block_pfn, view_mt_name(m, pi.mt),
			   pi.virgin ? " (untouched since boot)" : "");
		break;
	case PS_ALLOCATED:
		out_printf(o, "  state     allocated as %s of the order-%u block at pfn 0x%llx, gfp %s\n",
			   pi.block_pfn == pfn ? "the head" : "part", pi.order, (ull)pi.block_pfn, gfp);
		break;
	default:
		break;
	}
	out_printf(o, "  pageblock 0x%llx-0x%llx: %s\n", (ull)pb, (ull)(pb + (1ull << m->pageblock_order) - 1),
		   view_mt_name(m, pi.pageblock_mt));
	view_page_migration(o, m, pfn, "  ", false);
}

void view_page_migration(struct out *o, const struct machine *m, uint64_t pfn, const char *indent, bool colon)
{
	struct page tmp;
	const struct page *p = page_peek(m, pfn, &tmp);
	uint64_t to;
	if (p && (p->flags & PG_lru))
		out_printf(o, "%smovable%s a user page on an LRU list (a Movable alloc_pages): compaction may migrate it\n",
			   indent, colon ? ":" : "  ");
	if (compaction_moved_to(m, pfn, &to) == 0)
		out_printf(o, "%smigrated%s compaction moved the page that was here to pfn 0x%llx\n", indent,
			   colon ? ":" : "", (ull)to);
}

/* ---- free lists ------------------------------------------------------------------------ */

struct walk_acc {
	uint64_t pfn[FREE_AREA_SHOWN];
	unsigned n;
};

static int collect_block(void *arg, uint64_t pfn, unsigned order, int mt)
{
	struct walk_acc *w = arg;
	(void)order;
	(void)mt;
	if (w->n >= FREE_AREA_SHOWN)
		return 1;
	w->pfn[w->n++] = pfn;
	return 0;
}

/* The free blocks of zone `zone`, order `order` (or every order for -1),
 * per migratetype, in list order (head first): mm/page_alloc.c's
 * free_area[order].free_list[mt]. */
void view_free_area(struct out *o, const struct machine *m, int zone, int order)
{
	if (zone < 0 || zone >= m->nr_zones || order < -1 || order > MAX_ORDER_MODEL) {
		if (o->json)
			out_puts(o, "{\"error\":\"no such zone or order\"}\n");
		else
			out_puts(o, "no such zone or order\n");
		return;
	}
	const struct zone *z = &m->zones[zone];
	int lo = order < 0 ? 0 : order, hi = order < 0 ? MAX_ORDER_MODEL : order;
	bool firsto = true;

	if (o->json) {
		out_puts(o, "{\"zone\":");
		out_json_str(o, z->name);
		out_puts(o, ",\"orders\":[");
	} else {
		out_printf(o, "%s free_area (each list from its head):\n", z->label);
	}
	for (int k = lo; k <= hi; k++) {
		const struct free_area *fa = &z->free_area[k];
		ull size = 1ull << k;
		bool firstl = true;
		if (o->json) {
			out_printf(o, "%s{\"order\":%d,\"nr_free\":%llu,\"lists\":[", firsto ? "" : ",", k,
				   (ull)free_area_nr_free(fa));
			firsto = false;
		} else if (!free_area_nr_free(fa)) {
			if (order >= 0)
				out_printf(o, "  order %2d: no free blocks\n", k);
			continue;
		}
		for (int mt = 0; mt < m->kp->nr_migratetypes; mt++) {
			if (!fa->nr_mt[mt])
				continue;
			struct walk_acc w = { .n = 0 };
			buddy_walk_list(m, zone, (unsigned)k, mt, FREE_AREA_SHOWN, collect_block, &w);
			ull more = fa->nr_mt[mt] > w.n ? fa->nr_mt[mt] - w.n : 0;
			if (o->json) {
				out_printf(o, "%s{\"migratetype\":", firstl ? "" : ",");
				firstl = false;
				out_json_str(o, view_mt_name(m, mt));
				out_printf(o, ",\"nr_free\":%llu,\"blocks\":[", (ull)fa->nr_mt[mt]);
				for (unsigned i = 0; i < w.n; i++) {
					if (i)
						out_puts(o, ",");
					view_json_range(o, w.pfn[i], w.pfn[i] + size - 1);
				}
				out_printf(o, "],\"more\":%llu}", more);
				continue;
			}
			out_printf(o, "  order %2d %-12s %llu block%s\n", k, view_mt_name(m, mt),
				   (ull)fa->nr_mt[mt], fa->nr_mt[mt] == 1 ? "" : "s");
			for (unsigned i = 0; i < w.n; i++) {
				out_printf(o, "%s0x%llx-0x%llx", i % RANGES_PER_LINE ? "  " : "    ",
					   (ull)w.pfn[i], (ull)(w.pfn[i] + size - 1));
				if (i % RANGES_PER_LINE == RANGES_PER_LINE - 1 || i + 1 == w.n)
					out_puts(o, "\n");
			}
			if (more)
				out_printf(o, "    \xe2\x80\xa6 and %llu more\n", more);
		}
		if (o->json)
			out_puts(o, "]}");
	}
	if (o->json)
		out_puts(o, "]}\n");
}

/* ---- the machine ---------------------------------------------------------------------------- */

void view_machine(struct out *o, const struct machine *m)
{
	const struct arch_profile *a = m->arch;
	ull ram_pages = memmap_ram_pages(&m->memmap, 0, m->max_pfn);
	ull page_offset = machine_pfn_to_vaddr(m, 0);
	ull memmap_va = machine_page_ptr(m, 0);
	bool vmemmap = a->vmemmap_base != 0;

	if (o->json) {
		out_puts(o, "{\"arch\":");
		out_json_str(o, a->name);
		out_puts(o, ",\"kernel\":");
		out_json_str(o, m->kp->version);
		out_printf(o, ",\"page_size\":%llu,\"pgtable_levels\":%u,\"ram_bytes\":%llu,\"ram_pages\":%llu,"
			   "\"totalram_pages\":%llu,\"totalhigh_pages\":%llu,\"max_pfn\":",
			   1ull << a->page_shift, a->pgtable_levels, ram_pages << a->page_shift, ram_pages,
			   (ull)m->totalram_pages, (ull)m->totalhigh_pages);
		view_json_hex(o, m->max_pfn);
		out_puts(o, ",\"max_low_pfn\":");
		view_json_hex(o, m->max_low_pfn);
		out_puts(o, ",\"page_offset\":");
		view_json_hex(o, page_offset);
		out_printf(o, ",\"memmap\":\"%s\",\"memmap_vaddr\":", vmemmap ? "vmemmap" : "mem_map");
		view_json_hex(o, memmap_va);
		if (!vmemmap) {
			out_puts(o, ",\"mem_map_phys\":");
			view_json_hex(o, m->mem_map_phys);
		}
		out_printf(o, ",\"struct_page_size\":%u,\"pageblock_order\":%u,\"cpus\":%u,"
			   "\"min_free_kbytes\":%u,\"zones\":[",
			   m->struct_page_size, m->pageblock_order, m->ncpus, m->min_free_kbytes);
		for (int i = 0; i < m->nr_zones; i++) {
			const struct zone *z = &m->zones[i];
			out_puts(o, i ? ",{\"zone\":" : "{\"zone\":");
			out_json_str(o, z->name);
			out_puts(o, ",\"start_pfn\":");
			view_json_hex(o, z->start_pfn);
			out_puts(o, ",\"end_pfn\":");
			view_json_hex(o, z->start_pfn + z->spanned);
			out_printf(o, ",\"spanned\":%llu,\"present\":%llu,\"managed\":%llu}", (ull)z->spanned,
				   (ull)z->present, (ull)z->managed);
		}
		out_puts(o, "]}\n");
		return;
	}
	out_printf(o, "arch         %s (%u-level page tables, %llu-byte pages)\n", a->name, a->pgtable_levels,
		   1ull << a->page_shift);
	out_printf(o, "kernel       %s\n", m->kp->version);
	out_printf(o, "RAM          %llu MiB in %zu range%s (%llu pages); totalram_pages %llu",
		   (ram_pages << a->page_shift) >> 20, m->memmap.nram, m->memmap.nram == 1 ? "" : "s",
		   ram_pages, (ull)m->totalram_pages);
	if (a->highmem)
		out_printf(o, ", totalhigh_pages %llu", (ull)m->totalhigh_pages);
	out_puts(o, "\n");
	out_printf(o, "max_pfn      0x%llx   max_low_pfn 0x%llx%s\n", (ull)m->max_pfn, (ull)m->max_low_pfn,
		   m->max_low_pfn < m->max_pfn ? " (above it: highmem, no direct mapping)" : "");
	out_printf(o, "PAGE_OFFSET  0x%llx (direct map of physical 0)\n", page_offset);
	if (vmemmap)
		out_printf(o, "memmap       vmemmap at 0x%llx (SPARSEMEM_VMEMMAP), sizeof(struct page) = %u\n",
			   memmap_va, m->struct_page_size);
	else
		out_printf(o, "memmap       mem_map at 0x%llx (phys 0x%llx, FLATMEM), sizeof(struct page) = %u\n",
			   memmap_va, (ull)m->mem_map_phys, m->struct_page_size);
	out_printf(o, "pageblock    order %u (%llu pages)\n", m->pageblock_order, 1ull << m->pageblock_order);
	out_printf(o, "CPUs         %u\n", m->ncpus);
	out_printf(o, "min_free_kbytes %u\n", m->min_free_kbytes);
	out_puts(o, "zones:\n");
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->spanned) {
			out_printf(o, "  %-8s empty\n", z->label);
			continue;
		}
		out_printf(o, "  %-8s pfn 0x%llx-0x%llx  spanned %llu  present %llu  managed %llu\n", z->label,
			   (ull)z->start_pfn, (ull)(z->start_pfn + z->spanned - 1), (ull)z->spanned,
			   (ull)z->present, (ull)z->managed);
	}
}

/* ---- check ------------------------------------------------------------------------------------ */

void view_check(struct out *o, const struct machine *m)
{
	uint64_t blocks = 0, free = 0;
	for (int z = 0; z < m->nr_zones; z++) {
		free += m->zones[z].free_pages;
		for (int order = 0; order < NR_ORDERS; order++)
			blocks += free_area_nr_free(&m->zones[z].free_area[order]);
	}
	if (o->json)
		out_printf(o, "{\"consistent\":true,\"free_blocks\":%llu,\"free_pages\":%llu,\"allocated_blocks\":%llu}\n",
			   (ull)blocks, (ull)free, (ull)m->nr_alloc_blocks);
	else
		out_printf(o, "check: consistent (%llu free blocks, %llu free pages, %llu allocated blocks)\n",
			   (ull)blocks, (ull)free, (ull)m->nr_alloc_blocks);
}

/* ---- dmesg ------------------------------------------------------------------------------------ */

/* kernel/printk/printk.c: print_time(): "[%5lu.%06lu] " */
void view_dmesg(struct out *o, const struct machine *m, size_t from)
{
	const struct dmesg *d = &m->dmesg;
	if (from < d->start)
		from = d->start;
	if (o->json)
		out_puts(o, "{\"dmesg\":[");
	for (size_t i = from; i < d->n; i++) {
		const struct dmesg_line *l = dmesg_slot(d, i);
		const char *text = l->text ? l->text : "";
		if (o->json) {
			out_printf(o, "%s{\"time_us\":%llu,\"text\":", i == from ? "" : ",", (ull)l->ts_us);
			out_json_str(o, text);
			out_puts(o, "}");
			continue;
		}
		/* the kernel's own complaints stand out in yellow at a terminal; the
		 * text itself stays byte for byte the kernel's */
		out_color(o, "33");
		out_printf(o, "[%5llu.%06llu] %s", (ull)(l->ts_us / 1000000), (ull)(l->ts_us % 1000000), text);
		out_reset(o);
		out_puts(o, "\n");
	}
	if (o->json)
		out_puts(o, "]}\n");
}
