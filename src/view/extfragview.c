/*
 * extfragview.c - the kernel's fragmentation indices as debugfs prints
 * them (mm/vmstat.c, v6.13): extfrag/unusable_index (unusable_show_print():
 * "%d.%03d " of unusable_free_index()) and extfrag/extfrag_index
 * (extfrag_show_print(): "%2d.%03d " of __fragmentation_index()), one line
 * per populated zone (walk_zones_in_node(.., assert_populated = true, ..))
 * with the orders 0..MAX_ORDER, after "Node %d, zone %8s ".  The integer
 * division and remainder are C's, so a negative index that is not -1000
 * prints as the kernel prints it ("-500" as " 0.-500").
 */
#include <stdio.h>
#include <stdlib.h>

#include "kmemsh/extfrag.h"
#include "view_int.h"

typedef int index_fn(unsigned order, const struct contig_page_info *info);

static void index_file(struct out *o, const struct machine *m, index_fn *fn, const char *fmt)
{
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		out_printf(o, "Node %d, zone %8s ", z->nid, z->name);
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			struct contig_page_info info;
			extfrag_fill_contig_page_info(z, k, &info);
			int index = fn(k, &info);
			out_printf(o, fmt, index / 1000, index % 1000);
		}
		out_puts(o, "\n");
	}
}

void view_unusable_index(struct out *o, const struct machine *m)
{
	index_file(o, m, extfrag_unusable_free_index, "%d.%03d ");
}

void view_extfrag_index(struct out *o, const struct machine *m)
{
	index_file(o, m, extfrag_fragmentation_index, "%2d.%03d ");
}

/* an index as a JSON number: -0.500, 0.034, -1.000 */
static void json_index(struct out *o, int index)
{
	int a = abs(index);
	out_printf(o, "%s%d.%03d", index < 0 ? "-" : "", a / 1000, a % 1000);
}

static void index_json(struct out *o, const struct machine *m, index_fn *fn)
{
	bool first = true;
	out_puts(o, "[");
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!view_zone_populated(z))
			continue;
		view_json_zone_open(o, z, &first);
		out_puts(o, ",\"index\":[");
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			struct contig_page_info info;
			extfrag_fill_contig_page_info(z, k, &info);
			if (k)
				out_puts(o, ",");
			json_index(o, fn(k, &info));
		}
		out_puts(o, "]}");
	}
	out_puts(o, "]");
}

void view_extfrag(struct out *o, const struct machine *m, int which)
{
	static const struct {
		const char *name;
		index_fn *fn;
		void (*text)(struct out *, const struct machine *);
	} files[] = {
		{ "extfrag_index", extfrag_fragmentation_index, view_extfrag_index },
		{ "unusable_index", extfrag_unusable_free_index, view_unusable_index },
	};
	if (o->json) {
		out_puts(o, "{");
		for (int f = 0; f < 2; f++) {
			if (which >= 0 && which != f)
				continue;
			out_printf(o, "%s\"%s\":", which < 0 && f ? "," : "", files[f].name);
			index_json(o, m, files[f].fn);
		}
		out_puts(o, "}\n");
		return;
	}
	for (int f = 0; f < 2; f++) {
		if (which >= 0 && which != f)
			continue;
		if (which < 0)
			out_printf(o, "%s/sys/kernel/debug/extfrag/%s\n", f ? "\n" : "", files[f].name);
		files[f].text(o, m);
	}
}

/*
 * `fragment ZONE PATTERN`: what it took and freed, and the zone's free
 * blocks per order with both indices, so the order at which requests start
 * to fail is on one screen.
 */
void view_fragment(struct out *o, const struct machine *m, int zi, const char *pattern, uint64_t taken,
		   uint64_t freed)
{
	const struct zone *z = &m->zones[zi];
	if (o->json) {
		out_puts(o, "{\"fragment\":");
		out_json_str(o, z->name);
		out_puts(o, ",\"pattern\":");
		out_json_str(o, pattern);
		out_printf(o, ",\"taken\":%llu,\"freed\":%llu,\"nr_free\":[", (unsigned long long)taken,
			   (unsigned long long)freed);
		view_json_nr_free(o, z);
		for (int f = 0; f < 2; f++) {
			out_puts(o, f ? "],\"unusable_index\":[" : "],\"extfrag_index\":[");
			for (unsigned k = 0; k < NR_ORDERS; k++) {
				struct contig_page_info info;
				extfrag_fill_contig_page_info(z, k, &info);
				if (k)
					out_puts(o, ",");
				json_index(o, f ? extfrag_unusable_free_index(k, &info) : extfrag_fragmentation_index(k, &info));
			}
		}
		out_puts(o, "]}\n");
		return;
	}
	out_printf(o, "fragment %s %s: took %llu free pages (order 0, Movable), freed %llu of them\n", z->label,
		   pattern, (unsigned long long)taken, (unsigned long long)freed);
	out_puts(o, "  order   ");
	for (unsigned k = 0; k < NR_ORDERS; k++)
		out_printf(o, " %7u", k);
	out_puts(o, "\n  nr_free ");
	for (unsigned k = 0; k < NR_ORDERS; k++)
		out_printf(o, " %7llu", (unsigned long long)free_area_nr_free(&z->free_area[k]));
	static const char *const label[2] = { "\n  extfrag ", "\n  unusable" };
	for (int f = 0; f < 2; f++) {
		out_puts(o, label[f]);
		for (unsigned k = 0; k < NR_ORDERS; k++) {
			struct contig_page_info info;
			extfrag_fill_contig_page_info(z, k, &info);
			int index = f ? extfrag_unusable_free_index(k, &info) : extfrag_fragmentation_index(k, &info);
			char cell[16];
			snprintf(cell, sizeof cell, "%d.%03d", index / 1000, index % 1000);
			if (index < 0 && index > -1000)      /* the debugfs text would be " 0.-500" */
				snprintf(cell, sizeof cell, "-0.%03d", -index);
			out_printf(o, " %7s", cell);
		}
	}
	out_puts(o, "\n");
}
