/*
 * pcpview.c - `show pcp`: every populated zone's per-CPU page lists, CPU
 * by CPU: the counters of struct per_cpu_pages and each non-empty list
 * from its head (the hot end, where the next allocation comes from).
 */
#include <stdio.h>

#include "kmemsh/i18n.h"
#include "kmemsh/pcp.h"
#include "view_int.h"

#define PFNS_SHOWN 8

typedef unsigned long long ull;

struct list_walk {
	uint64_t pfn[PFNS_SHOWN];
	uint64_t n;
};

static int count_pfn(void *arg, uint64_t pfn)
{
	struct list_walk *w = arg;
	if (w->n < PFNS_SHOWN)
		w->pfn[w->n] = pfn;
	w->n++;
	return 0;
}

static const char *list_mt_name(const struct machine *m, unsigned l)
{
	int mt = pcp_list_mt(m, l);
	return mt < 0 ? "Unmovable+Reclaimable" : view_mt_name(m, mt);
}

static void pcp_json(struct out *o, const struct machine *m)
{
	bool old = view_old(m), firstz = true;
	out_printf(o, "{\"enabled\":%s,\"current_cpu\":%u,\"zones\":[", pcp_enabled(m) ? "true" : "false",
		   machine_this_cpu(m));
	for (int z = 0; z < m->nr_zones; z++) {
		if (!view_zone_populated(&m->zones[z]))
			continue;
		/* with --nodes every node has zones of the same names */
		out_puts(o, firstz ? "{" : ",{");
		if (m->nr_nodes > 1)
			out_printf(o, "\"node\":%d,", m->zones[z].nid);
		out_puts(o, "\"zone\":");
		firstz = false;
		out_json_str(o, m->zones[z].name);
		out_puts(o, ",\"cpus\":[");
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			const struct per_cpu_pages *p = pcp_of(m, z, cpu);
			if (!p)
				break;
			out_printf(o, "%s{\"cpu\":%u,\"count\":%d,\"high\":%d,\"batch\":%d", cpu ? "," : "", cpu, p->count,
				   p->high, p->batch);
			if (!old)
				out_printf(o, ",\"high_min\":%d,\"high_max\":%d,\"alloc_factor\":%d,\"free_count\":%d",
					   p->high_min, p->high_max, p->alloc_factor, p->free_count);
			out_puts(o, ",\"lists\":[");
			bool firstl = true;
			for (unsigned l = 0; l < pcp_nr_lists(m); l++) {
				struct list_walk w = { { 0 }, 0 };
				pcp_walk_list(m, z, cpu, l, count_pfn, &w);
				if (!w.n)
					continue;
				out_printf(o, "%s{\"order\":%u,\"migratetype\":", firstl ? "" : ",", pcp_list_order(m, l));
				firstl = false;
				out_json_str(o, list_mt_name(m, l));
				out_printf(o, ",\"blocks\":%llu,\"head\":[", (ull)w.n);
				for (uint64_t i = 0; i < w.n && i < PFNS_SHOWN; i++) {
					if (i)
						out_puts(o, ",");
					view_json_hex(o, w.pfn[i]);
				}
				out_puts(o, "]}");
			}
			out_puts(o, "]}");
		}
		out_puts(o, "]}");
	}
	out_puts(o, "]}\n");
}

void view_pcp(struct out *o, const struct machine *m)
{
	bool old = view_old(m);
	if (o->json) {
		pcp_json(o, m);
		return;
	}
	if (old)
		out_puts(o, "per-CPU page lists (2.6.32): order 0, one list per migratetype, hot end first\n");
	else
		out_printf(o, "per-CPU page lists (6.13): orders 0-3 and %u, one list per order and migratetype, "
			   "hot end first\n", pcp_list_order(m, pcp_nr_lists(m) - 1));
	if (!pcp_enabled(m))
		out_puts(o, "off (set pcp off): every allocation and free goes straight to the buddy lists\n");
	for (int z = 0; z < m->nr_zones; z++) {
		if (!view_zone_populated(&m->zones[z]))
			continue;
		const struct per_cpu_pages *p0 = pcp_of(m, z, 0);
		if (!p0)
			continue;
		if (old)
			out_printf(o, "%s: batch %d, high %d; %llu pages on the lists\n", m->zones[z].label, p0->batch,
				   p0->high, (ull)pcp_zone_pages(m, z));
		else
			out_printf(o, "%s: batch %d, high_min %d, high_max %d; %llu pages on the lists\n",
				   m->zones[z].label, p0->batch, p0->high_min, p0->high_max, (ull)pcp_zone_pages(m, z));
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			const struct per_cpu_pages *p = pcp_of(m, z, cpu);
			if (!p)
				break;
			const char *cur = cpu == machine_this_cpu(m) ? " (current)" : "";
			if (old)
				out_printf(o, "  cpu %u%s: count %d\n", cpu, cur, p->count);
			else
				out_printf(o, "  cpu %u%s: count %d, high %d, alloc_factor %d, free_count %d\n", cpu, cur,
					   p->count, p->high, p->alloc_factor, p->free_count);
			for (unsigned l = 0; l < pcp_nr_lists(m); l++) {
				struct list_walk w = { { 0 }, 0 };
				pcp_walk_list(m, z, cpu, l, count_pfn, &w);
				if (!w.n)
					continue;
				char name[48];
				snprintf(name, sizeof name, "order-%u %s", pcp_list_order(m, l), list_mt_name(m, l));
				out_printf(o, "    %-31s %5llu:", name, (ull)w.n);
				for (uint64_t i = 0; i < w.n && i < PFNS_SHOWN; i++)
					out_printf(o, " 0x%llx", (ull)w.pfn[i]);
				out_puts(o, w.n > PFNS_SHOWN ? " ...\n" : "\n");
			}
		}
	}
}

/* `vmstat_update [N]`: what the vmstat worker's runs did to the pagesets:
 * each zone and CPU whose high or count changed, before and after */
void view_vmstat_update(struct out *o, const struct machine *m, const struct vmstat_update_result *r)
{
	bool decays = !view_old(m) && m->kp->pcp_high_minmax;
	if (o->json) {
		out_printf(o, "{\"vmstat_update\":{\"runs\":%u,\"seconds\":%u,\"decay_pcp_high\":%s,\"freed\":%llu,"
			   "\"work_left\":%d,\"pagesets\":[", r->runs, r->runs, decays ? "true" : "false",
			   (ull)r->freed, r->todo);
	} else {
		out_printf(o, "vmstat_update: %u run%s of each CPU's vmstat worker (%u s of uptime)", r->runs,
			   r->runs == 1 ? "" : "s", r->runs);
		if (!decays) {
			out_printf(o, "; %s has no decay_pcp_high() (6.7 brought it): the pagesets are unchanged\n",
				   m->kp->version);
			return;
		}
		if (!pcp_enabled(m)) {
			/* set pcp off / --pcp off: no pageset holds a page */
			out_printf(o, "; %s\n", _("the per-CPU page lists are off (set pcp off): no pageset to decay"));
			return;
		}
		out_printf(o, ": decay_pcp_high() freed %llu page%s to the buddy lists\n", (ull)r->freed,
			   r->freed == 1 ? "" : "s");
	}
	bool first = true;
	for (int z = 0; decays && z < m->nr_zones; z++) {
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			const struct per_cpu_pages *p = pcp_of(m, z, cpu);
			if (!p)
				break;
			size_t i = (size_t)z * m->ncpus + cpu;
			if (p->high == r->high_before[i] && p->count == r->count_before[i])
				continue;
			if (o->json) {
				out_puts(o, first ? "{" : ",{");
				if (m->nr_nodes > 1)
					out_printf(o, "\"node\":%d,", m->zones[z].nid);
				out_puts(o, "\"zone\":");
				out_json_str(o, m->zones[z].name);
				out_printf(o, ",\"cpu\":%u,\"high\":[%d,%d],\"count\":[%d,%d],\"high_min\":%d}", cpu,
					   r->high_before[i], p->high, r->count_before[i], p->count, p->high_min);
			} else {
				out_printf(o, "  %s cpu %u: high %d -> %d (high_min %d), count %d -> %d\n",
					   m->zones[z].label, cpu, r->high_before[i], p->high, p->high_min,
					   r->count_before[i], p->count);
			}
			first = false;
		}
	}
	if (o->json) {
		out_puts(o, "]}}\n");
		return;
	}
	if (first)
		out_puts(o, "  every pageset's high is at its high_min and its count within it: nothing to decay\n");
	else if (!r->todo)
		out_puts(o, "  every pageset is down to its high_min: the worker would not requeue itself\n");
}
