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
		out_printf(o, "Node 0, zone %8s ", z->name);
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
		out_puts(o, first ? "{\"node\":0,\"zone\":" : ",{\"node\":0,\"zone\":");
		first = false;
		out_json_str(o, z->name);
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
