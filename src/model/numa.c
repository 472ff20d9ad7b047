/*
 * numa.c - NUMA nodes: the fake-NUMA split of memory into nodes, the node
 * distance table (SLIT), the CPUs' nodes and the nodes' zonelists.
 *
 * A NUMA machine's memory belongs to nodes; each node (pg_data_t) has its
 * own zones, and an allocation walks a zonelist that tries the zones of
 * the preferred node first, then those of the other nodes in the order of
 * their distance.  kmemsh models the kernel's NUMA emulation: with
 * `--nodes N` (the kernel's numa=fake=N) the RAM of a machine without a
 * SRAT is cut into N nodes as split_nodes_interleave() cuts it.
 *
 * Followed: Linux 6.13 mm/numa_emulation.c (split_nodes_interleave(),
 * emu_setup_memblk(), mem_hole_size(), numa_emulation()'s distance table),
 * arch/x86/mm/numa.c (numa_init_array(): CPUs round robin over the online
 * nodes), mm/page_alloc.c (build_zonelists(), find_next_best_node(),
 * node_load[]).  Part of the page allocator (layer 3): it reads the core
 * and the physical map and calls no allocator.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/i18n.h"

#define PAGE_SHIFT 12
#define FAKE_NODE_MIN_SIZE (32ull << 20)        /* mm/numa_emulation.c */
#define LOCAL_DISTANCE 10                       /* include/linux/topology.h */
#define REMOTE_DISTANCE 20
#define MAX_NUMNODES_KERNEL 1024                /* Debian amd64: CONFIG_NODES_SHIFT=10 */
#define PENALTY_FOR_NODE_WITH_CPUS 1            /* mm/page_alloc.c */

/* mem_hole_size(): the bytes of [start, end) that are not RAM
 * (absent_pages_in_range() over memblock.memory) */
static uint64_t mem_hole_size(const struct machine *m, uint64_t start, uint64_t end)
{
	uint64_t spfn = (start + (1ull << PAGE_SHIFT) - 1) >> PAGE_SHIFT;      /* PFN_UP */
	uint64_t epfn = end >> PAGE_SHIFT;                                      /* PFN_DOWN */
	if (spfn >= epfn)
		return 0;
	return (epfn - spfn - memmap_ram_pages(&m->memmap, spfn, epfn)) << PAGE_SHIFT;
}

/*
 * split_nodes_interleave(ei, pi, 0, max_addr, nr_nodes) on a machine with
 * one physical node [0, max_addr): every fake node gets size = RAM /
 * nr_nodes rounded down to FAKE_NODE_MIN_SIZE (the first "big" ones one
 * FAKE_NODE_MIN_SIZE more, the remainder consolidated), grown in
 * FAKE_NODE_MIN_SIZE steps over holes; a node reaches the end of DMA32 if
 * less than FAKE_NODE_MIN_SIZE of it would be left, and the end of memory
 * if less than size would be left.  The blocks, [start, end) in bytes, go
 * to blk[]; the return value is their number, or -1 ("Not enough memory
 * for each node"), or -2 (a node would get two blocks: not modelled).
 */
int numa_split_nodes_interleave(const struct machine *m, uint64_t max_addr, unsigned nr_nodes,
				uint64_t blk[][2])
{
	uint64_t size = max_addr - mem_hole_size(m, 0, max_addr);
	size = (uint64_t)((size >> PAGE_SHIFT) / nr_nodes) << PAGE_SHIFT;
	uint64_t big = ((size & (FAKE_NODE_MIN_SIZE - 1)) * nr_nodes) / FAKE_NODE_MIN_SIZE;
	size &= ~(FAKE_NODE_MIN_SIZE - 1);
	if (!size)
		return -1;
	uint64_t dma32_end = m->arch->max_dma32_pfn << PAGE_SHIFT;        /* PFN_PHYS(MAX_DMA32_PFN) */
	uint64_t start = 0, limit = max_addr;
	unsigned nid = 0;
	while (start < limit) {
		uint64_t end = start + size;
		if (nid < big)
			end += FAKE_NODE_MIN_SIZE;
		while (end - start - mem_hole_size(m, start, end) < size) {
			end += FAKE_NODE_MIN_SIZE;
			if (end > limit) {
				end = limit;
				break;
			}
		}
		if (end < dma32_end && dma32_end - end - mem_hole_size(m, end, dma32_end) < FAKE_NODE_MIN_SIZE)
			end = dma32_end;
		if (end >= limit || limit - end - mem_hole_size(m, end, limit) < size)
			end = limit;
		if (nid >= nr_nodes)
			return -2;              /* emu_setup_memblk(nid++ % nr_nodes): a second block */
		blk[nid][0] = start;
		blk[nid][1] = end < limit ? end : limit;
		start = blk[nid][1];
		nid++;
	}
	return (int)nid;
}

unsigned machine_cpu_to_node(const struct machine *m, unsigned cpu)
{
	/* numa_init_array(): no SRAT names the CPUs' nodes, so they go round
	 * robin over the online nodes */
	return m->nr_nodes > 1 ? cpu % m->nr_nodes : 0;
}

/*
 * numa=fake=N at boot (x86_numa_init() → numa_init() → numa_emulation()):
 * the nodes' blocks and RAM ranges, "Faking node" lines, and the distance
 * table: with no SLIT every fake node maps to physical node 0, so
 * numa_emulation() sets LOCAL_DISTANCE between all of them unless
 * numa=fake=N:d,d,... gives the distances (cfg->numa_dist).
 * 0, or -EINVAL with err set.
 */
int numa_emulation(struct machine *m, char *err, size_t errlen)
{
	unsigned n = m->cfg.nr_nodes ? m->cfg.nr_nodes : 1;
	uint64_t blk[MAX_NUMNODES_MODEL][2];

	m->nr_nodes = 1;
	m->node_arg = -1;
	memset(m->node, 0, sizeof m->node);
	m->node[0].emu_start = 0;
	m->node[0].emu_end = m->max_pfn << PAGE_SHIFT;
	m->node_distance[0][0] = LOCAL_DISTANCE;
	if (m->cfg.nr_nodes >= 1) {
		int r = numa_split_nodes_interleave(m, m->max_pfn << PAGE_SHIFT, n, blk);
		if (r == -1) {
			model_err_buf(err, errlen, "--nodes %u: not enough memory for each node (the kernel "
						     "prints \"Not enough memory for each node.  NUMA emulation "
						     "disabled.\")", n);
			return -EINVAL;
		}
		if (r < 0) {
			model_err_buf(err, errlen, "--nodes %u: the kernel would give a node two blocks of "
						     "memory here, which kmemsh does not model", n);
			return -EINVAL;
		}
		if ((unsigned)r < n) {
			model_err_buf(err, errlen, "--nodes %u: the kernel's split (split_nodes_interleave()) "
						     "makes only %d nodes of this memory", n, r);
			return -EINVAL;
		}
		m->nr_nodes = n;
		for (unsigned i = 0; i < n; i++) {
			m->node[i].emu_start = blk[i][0];
			m->node[i].emu_end = blk[i][1];
			/* emu_setup_memblk() */
			dmesg_printf(m, "Faking node %u at [mem 0x%016llx-0x%016llx] (%lluMB)", i,
				     (unsigned long long)blk[i][0], (unsigned long long)(blk[i][1] - 1),
				     (unsigned long long)((blk[i][1] - blk[i][0]) >> 20));
		}
		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < n; j++)
				m->node_distance[i][j] = m->cfg.numa_dist ? m->cfg.numa_dist[i * n + j]
					: LOCAL_DISTANCE;       /* physi == physj: LOCAL_DISTANCE */
	}
	/* get_pfn_range_for_nid(): the node's first and last RAM pfn */
	for (unsigned i = 0; i < m->nr_nodes; i++) {
		struct pglist *pg = &m->node[i];
		uint64_t s = pg->emu_start >> PAGE_SHIFT, e = pg->emu_end >> PAGE_SHIFT;
		pg->node_start_pfn = pg->node_end_pfn = 0;
		for (size_t r = 0; r < m->memmap.nram; r++) {
			uint64_t rs = m->memmap.ram[r].start >> PAGE_SHIFT, re = m->memmap.ram[r].end >> PAGE_SHIFT;
			if (rs < s)
				rs = s;
			if (re > e)
				re = e;
			if (rs >= re)
				continue;
			if (!pg->node_end_pfn)
				pg->node_start_pfn = rs;
			pg->node_end_pfn = re;
		}
	}
	return 0;
}

/* the node whose block holds pfn (early_pfn_to_nid()) */
int numa_pfn_to_nid(const struct machine *m, uint64_t pfn)
{
	uint64_t a = pfn << PAGE_SHIFT;
	for (unsigned i = 0; i < m->nr_nodes; i++)
		if (a >= m->node[i].emu_start && a < m->node[i].emu_end)
			return (int)i;
	return 0;
}

static bool node_has_cpus(const struct machine *m, unsigned nid)
{
	for (unsigned c = 0; c < m->ncpus; c++)
		if (machine_cpu_to_node(m, c) == nid)
			return true;
	return false;
}

/* find_next_best_node(): the local node first, then the nearest unused
 * node, "prefer the next node" (+1 below us), nodes with CPUs penalised,
 * node_load[] breaking ties */
static int find_next_best_node(const struct machine *m, unsigned node, bool *used, const int *node_load)
{
	if (!used[node]) {
		used[node] = true;
		return (int)node;
	}
	int best = -1;
	long min_val = LONG_MAX;
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		if (used[n])
			continue;
		long val = m->node_distance[node][n];
		val += n < node;
		if (node_has_cpus(m, n))
			val += PENALTY_FOR_NODE_WITH_CPUS;
		val *= MAX_NUMNODES_KERNEL;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best = (int)n;
		}
	}
	if (best >= 0)
		used[best] = true;
	return best;
}

/*
 * __build_all_zonelists() → build_zonelists() for every node, node_load[]
 * cleared once before: a node that starts a new distance group gets one
 * more load, so that equally distant nodes take turns in the nodes'
 * fallback orders.  The zones of each node go in from the highest down
 * (build_zonerefs_node()); buddy.c walks them.
 */
void numa_build_zonelists(struct machine *m)
{
	int node_load[MAX_NUMNODES_MODEL] = { 0 };
	for (unsigned local = 0; local < m->nr_nodes; local++) {
		bool used[MAX_NUMNODES_MODEL] = { false };
		unsigned prev = local, nr = 0;
		int node;
		while ((node = find_next_best_node(m, local, used, node_load)) >= 0) {
			if (m->node_distance[local][node] != m->node_distance[local][prev])
				node_load[node] += 1;
			m->node[local].node_order[nr++] = (int8_t)node;
			prev = (unsigned)node;
		}
		for (; nr < MAX_NUMNODES_MODEL; nr++)
			m->node[local].node_order[nr] = -1;
	}
}

/* kernel/cgroup/cpuset.c cpuset_print_current_mems_allowed(): the task's
 * mems_allowed, with no cpuset the root's, node_states[N_MEMORY]: every
 * fake node has memory; lib/vsprintf.c bitmap_list_string() prints a run
 * of nodes as "first-last" */
const char *machine_mems_allowed(const struct machine *m, char *buf, size_t len)
{
	if (m->nr_nodes > 1)
		snprintf(buf, len, "0-%u", m->nr_nodes - 1);
	else
		snprintf(buf, len, "0");
	return buf;
}
