/*
 * numaview.c - the NUMA nodes as the user-space tools show them:
 * numastat's per-node table of the kernel's NUMA counters
 * (/sys/devices/system/node/nodeN/numastat, which node_read_numastat()
 * fills from sum_zone_numa_event_state(); numactl's numastat prints
 * "%-16s" names and "%16s" columns, header "node0", "node1", ...), and
 * `numactl --hardware`: each node's CPUs, size and free memory
 * (/sys/devices/system/node/nodeN/meminfo MemTotal and MemFree, printed
 * in MB) and the distance table as numactl.c's print_distances() prints
 * the SLIT (node_distance(), /sys/devices/system/node/nodeN/distance).
 */
#include <stdio.h>

#include "kmemsh/mempolicy.h"
#include "view_int.h"

/* the node's counter: the sum over its zones (sum_zone_numa_event_state()) */
static ull node_numa(const struct machine *m, unsigned nid, int item)
{
	ull sum = 0;
	for (int z = (int)nid * m->nr_node_zones; z < (int)(nid + 1) * m->nr_node_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (m->nr_nodes > 1 || item == NUMA_INTERLEAVE_HIT)
			sum += zn->numa_stat[item];
		else if (item == NUMA_HIT || item == NUMA_LOCAL)
			sum += zn->allocs;      /* one node: every allocation is a local hit */
	}
	return sum;
}

/* the shell's memory policy as mpol_to_str() writes it (numa_maps'
 * "default", "interleave:0-1", "prefer:1", "bind:0"), with il_prev, the
 * node interleave_nodes() took last (MAX_NUMNODES - 1 before the first) */
static void mempolicy_line(struct out *o, const struct machine *m)
{
	char pol[64];
	mpol_to_str(pol, sizeof pol, &m->mpol);
	if (o->json)
		out_printf(o, "\"mempolicy\":\"%s\",\"il_prev\":%u", pol, m->mpol.il_prev);
	else if (m->mpol.mode == MPOL_INTERLEAVE)
		out_printf(o, "mempolicy: %s il_prev=%u\n", pol, m->mpol.il_prev);
	else
		out_printf(o, "mempolicy: %s\n", pol);
}

void view_mempolicy(struct out *o, const struct machine *m)
{
	if (o->json)
		out_puts(o, "{");
	mempolicy_line(o, m);
	if (o->json)
		out_puts(o, "}\n");
}

void view_numastat(struct out *o, const struct machine *m)
{
	/* numastat's names for the kernel's numa_hit ... other_node */
	static const struct { const char *name; int item; } rows[] = {
		{ "numa_hit", NUMA_HIT }, { "numa_miss", NUMA_MISS }, { "numa_foreign", NUMA_FOREIGN },
		{ "interleave_hit", NUMA_INTERLEAVE_HIT }, { "local_node", NUMA_LOCAL }, { "other_node", NUMA_OTHER },
	};
	if (o->json) {
		out_puts(o, "{\"nodes\":[");
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			out_printf(o, "%s{\"node\":%u", nid ? "," : "", nid);
			for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
				out_printf(o, ",\"%s\":%llu", rows[k].name, node_numa(m, nid, rows[k].item));
			out_puts(o, "}");
		}
		out_puts(o, "],");
		mempolicy_line(o, m);
		out_puts(o, "}\n");
		return;
	}
	out_printf(o, "%-16s", "");
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		char h[16];
		snprintf(h, sizeof h, "node%u", nid);
		out_printf(o, "%16s", h);
	}
	out_puts(o, "\n");
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		out_printf(o, "%-16s", rows[k].name);
		for (unsigned nid = 0; nid < m->nr_nodes; nid++)
			out_printf(o, "%16llu", node_numa(m, nid, rows[k].item));
		out_puts(o, "\n");
	}
	mempolicy_line(o, m);
}

void view_numa_hardware(struct out *o, const struct machine *m)
{
	if (o->json) {
		out_puts(o, "{\"nodes\":[");
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			ull total = 0, freep = 0;
			for (int z = (int)nid * m->nr_node_zones; z < (int)(nid + 1) * m->nr_node_zones; z++) {
				total += m->zones[z].managed;
				freep += m->zones[z].free_pages;
			}
			out_printf(o, "%s{\"node\":%u,\"cpus\":[", nid ? "," : "", nid);
			bool first = true;
			for (unsigned c = 0; c < m->ncpus; c++)
				if (machine_cpu_to_node(m, c) == nid) {
					out_printf(o, "%s%u", first ? "" : ",", c);
					first = false;
				}
			out_printf(o, "],\"size_kb\":%llu,\"free_kb\":%llu,\"distances\":[", total << 2, freep << 2);
			for (unsigned j = 0; j < m->nr_nodes; j++)
				out_printf(o, "%s%u", j ? "," : "", m->node_distance[nid][j]);
			out_puts(o, "]}");
		}
		out_puts(o, "]}\n");
		return;
	}
	/* numactl --hardware */
	if (m->nr_nodes > 1)
		out_printf(o, "available: %u nodes (0-%u)\n", m->nr_nodes, m->nr_nodes - 1);
	else
		out_puts(o, "available: 1 nodes (0)\n");
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		ull total = 0, freep = 0;
		for (int z = (int)nid * m->nr_node_zones; z < (int)(nid + 1) * m->nr_node_zones; z++) {
			total += m->zones[z].managed;
			freep += m->zones[z].free_pages;
		}
		out_printf(o, "node %u cpus:", nid);
		for (unsigned c = 0; c < m->ncpus; c++)
			if (machine_cpu_to_node(m, c) == nid)
				out_printf(o, " %u", c);
		out_puts(o, "\n");
		/* MemTotal and MemFree in kB, shown >> 10 */
		out_printf(o, "node %u size: %llu MB\n", nid, (total << 2) >> 10);
		out_printf(o, "node %u free: %llu MB\n", nid, (freep << 2) >> 10);
	}
	/* print_distances(): "node " then "% 3d " per node; rows "% 3d: " */
	out_puts(o, "node distances:\nnode ");
	for (unsigned j = 0; j < m->nr_nodes; j++)
		out_printf(o, "% 3d ", (int)j);
	out_puts(o, "\n");
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		out_printf(o, "% 3d: ", (int)i);
		for (unsigned j = 0; j < m->nr_nodes; j++)
			out_printf(o, "% 3d ", (int)m->node_distance[i][j]);
		out_puts(o, "\n");
	}
}
