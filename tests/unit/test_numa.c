/*
 * test_numa.c - NUMA nodes (--nodes N, numa=fake=N): the fake-NUMA split
 * of memory, per-node zones, watermarks and lowmem_reserve, the nodes'
 * fallback orders, alloc_pages_node() with and without __GFP_THISNODE,
 * the numastat counters.  Expected numbers come from the kernel's
 * algorithms worked by hand (mm/numa_emulation.c split_nodes_interleave(),
 * mm/page_alloc.c build_zonelists(), find_next_best_node(),
 * zone_statistics(), setup_per_zone_lowmem_reserve()), never from kmemsh
 * output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/machine.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/pcp.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"
#include "fixture.h"

static struct machine *boot_nodes(const char *arch, const char *mem, unsigned nodes, unsigned cpus,
				  const uint8_t *dist)
{
	struct machine_config cfg = { .arch = arch, .nr_nodes = nodes, .ncpus = cpus, .numa_dist = dist };
	assert_int_equal(parse_size(mem, &cfg.mem_bytes), 0);
	return boot_cfg(&cfg);
}

/*
 * 4 GiB x86_64: RAM [0x1000, 0x9f000), [0x100000, 0xc0000000),
 * [0x100000000, 0x140000000): 158 + 786176 + 262144 = 1048478 pages,
 * max_addr 0x140000000.  split_nodes_interleave(.., 2):
 *   size = 1048478 / 2 = 524239 pages = 0x7ffcf000; the remainder
 *   0x1ffcf000 & (32M - 1) gives big = 0x1ffcf000 * 2 / 32M = 1;
 *   size &= ~(32M - 1) = 0x7e000000.
 *   node 0: end = size + 32M (big) = 0x80000000; its RAM 2G - 98 pages of
 *   holes >= size; DMA32 and the rest leave room: [0, 0x80000000).
 *   node 1: 0xfe000000 grows by 32M steps over the PCI hole until its RAM
 *   reaches size at 0x13e000000; 32M left < size: to the end,
 *   [0x80000000, 0x140000000).
 */
static void split_4g_two_nodes__as_split_nodes_interleave(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	assert_int_equal(memmap_ram_pages(&m->memmap, 0, m->max_pfn), 1048478);
	assert_int_equal(m->nr_nodes, 2);
	assert_int_equal(m->node[0].emu_start, 0);
	assert_int_equal(m->node[0].emu_end, 0x80000000ull);
	assert_int_equal(m->node[1].emu_start, 0x80000000ull);
	assert_int_equal(m->node[1].emu_end, 0x140000000ull);
	assert_true(dmesg_has_line(m, "Faking node 0 at [mem 0x0000000000000000-0x000000007fffffff] (2048MB)"));
	assert_true(dmesg_has_line(m, "Faking node 1 at [mem 0x0000000080000000-0x000000013fffffff] (3072MB)"));
	/* free_area_init_node(): the nodes' RAM, first and last pfn */
	assert_true(dmesg_has_line(m, "Initmem setup node 0 [mem 0x0000000000001000-0x000000007fffffff]"));
	assert_true(dmesg_has_line(m, "Initmem setup node 1 [mem 0x0000000080000000-0x000000013fffffff]"));
	assert_true(dmesg_has_line(m, "Built 2 zonelists, mobility grouping on.  Total pages: 1048478"));
	assert_true(dmesg_has_line(m, "Policy zone: Normal"));
	machine_destroy(m);
}

/*
 * 1 GiB, 3 nodes: RAM [0x1000, 0x9f000), [0x100000, 0x40000000) = 262046
 * pages; size = 87348 pages = 0x15534000, big = 0x1534000 * 3 / 32M = 1,
 * size = 0x14000000.  node 0 [0, 0x16000000) (one 32M more); node 1
 * [0x16000000, 0x2a000000); node 2 from 0x2a000000: 0x3e000000 would leave
 * 32M < size, so to the end 0x40000000.
 */
static void split_1g_three_nodes__big_node_and_tail(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "1G", 3, 1, NULL);
	assert_int_equal(memmap_ram_pages(&m->memmap, 0, m->max_pfn), 262046);
	uint64_t blk[MAX_NUMNODES_MODEL][2];
	assert_int_equal(numa_split_nodes_interleave(m, m->max_pfn << 12, 3, blk), 3);
	assert_int_equal(blk[0][0], 0);
	assert_int_equal(blk[0][1], 0x16000000ull);
	assert_int_equal(blk[1][1], 0x2a000000ull);
	assert_int_equal(blk[2][1], 0x40000000ull);
	assert_int_equal(m->node[2].emu_start, 0x2a000000ull);
	/* 32 MiB nodes at least: 64 of them do not fit in 1 GiB of RAM less
	 * holes ("Not enough memory for each node") */
	assert_int_equal(numa_split_nodes_interleave(m, m->max_pfn << 12, 64, blk), -1);
	machine_destroy(m);
}

/* zone_spanned_pages_in_node(): the arch's zone ranges clamped to each
 * node; DMA only in node 0, DMA32 in both, Normal only in node 1 */
static void zones__per_node_spans(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	int n = m->nr_node_zones;
	assert_int_equal(m->nr_zones, 2 * n);
	const struct zone *dma0 = &m->zones[0], *dma32_0 = &m->zones[1], *normal0 = &m->zones[2];
	const struct zone *dma1 = &m->zones[n], *dma32_1 = &m->zones[n + 1], *normal1 = &m->zones[n + 2];
	assert_string_equal(dma32_1->name, "DMA32");
	assert_int_equal(dma0->start_pfn, 1);
	assert_int_equal(dma0->spanned, 0x1000 - 1);
	assert_int_equal(dma32_0->start_pfn, 0x1000);
	assert_int_equal(dma32_0->spanned, 0x80000 - 0x1000);
	assert_int_equal(normal0->spanned, 0);
	assert_int_equal(dma1->spanned, 0);
	assert_int_equal(dma32_1->start_pfn, 0x80000);
	assert_int_equal(dma32_1->spanned, 0x80000);
	assert_int_equal(dma32_1->present, 0x40000);            /* 2G..3G */
	assert_int_equal(normal1->start_pfn, 0x100000);
	assert_int_equal(normal1->spanned, 0x40000);
	assert_int_equal(dma32_1->nid, 1);
	assert_int_equal(machine_zone_by_name(m, "1:Normal"), n + 2);
	assert_int_equal(machine_zone_by_name(m, "Normal"), n + 2);   /* node 0 has none */
	machine_destroy(m);
}

/*
 * __setup_per_zone_wmarks(): min_free_kbytes over all nodes' lowmem,
 * each zone's min its managed share; setup_per_zone_lowmem_reserve():
 * sums inside each node only (6.13 ratios DMA 256, DMA32 256).
 */
static void watermarks_and_lowmem_reserve__per_node(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	int n = m->nr_node_zones;
	/* the marks were set at init_per_zone_wmark_min(); the frees at the
	 * end of boot grew managed since: recompute from today's managed, as
	 * a write to min_free_kbytes would */
	machine_setup_wmarks(m);
	uint64_t lowmem = 0;
	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].kind != ZK_MOVABLE && m->zones[i].kind != ZK_DEVICE)
			lowmem += m->zones[i].managed;
	uint64_t pages_min = m->min_free_kbytes >> 2;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_MOVABLE || z->kind == ZK_DEVICE)
			continue;
		assert_int_equal(z->wmark[WMARK_MIN], pages_min * z->managed / lowmem);
	}
	machine_setup_lowmem_reserve(m);
	const struct zone *dma32_0 = &m->zones[1], *dma32_1 = &m->zones[n + 1], *normal1 = &m->zones[n + 2];
	assert_int_equal(dma32_0->lowmem_reserve[ZK_NORMAL], 0);        /* node 0 has no Normal */
	assert_int_equal(dma32_1->lowmem_reserve[ZK_NORMAL], normal1->managed / 256);
	const struct zone *dma0 = &m->zones[0];
	assert_int_equal(dma0->lowmem_reserve[ZK_DMA32], dma32_0->managed / 256);
	assert_int_equal(dma0->lowmem_reserve[ZK_NORMAL], dma32_0->managed / 256);
	machine_destroy(m);
}

/* build_zonelists(): the local node, then the nearest; equal distances
 * take turns through node_load[] (worked by hand for 4 nodes at 20 with
 * CPUs on each: 0 1 2 3, 1 2 3 0, 2 3 0 1, 3 0 1 2) */
static void zonelists__node_load_round_robin(void **state)
{
	(void)state;
	uint8_t d[16];
	for (int i = 0; i < 16; i++)
		d[i] = i / 4 == i % 4 ? 10 : 20;
	struct machine *m = boot_nodes("x86_64", "8G", 4, 4, d);
	static const int8_t want[4][4] = { { 0, 1, 2, 3 }, { 1, 2, 3, 0 }, { 2, 3, 0, 1 }, { 3, 0, 1, 2 } };
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			assert_int_equal(m->node[i].node_order[k], want[i][k]);
	assert_true(dmesg_has_line(m, "Fallback order for Node 1: 1 2 3 0 "));
	for (unsigned c = 0; c < 4; c++)
		assert_int_equal(machine_cpu_to_node(m, c), c);    /* numa_init_array(): round robin */
	machine_destroy(m);
}

/* the default, fake nodes with no SLIT: all at LOCAL_DISTANCE; node 1's
 * list is 1 then 0 (find_next_best_node(): the local node first) */
static void zonelists__fake_nodes_default_distance(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	assert_int_equal(m->node_distance[0][1], 10);
	assert_int_equal(m->node[1].node_order[0], 1);
	assert_int_equal(m->node[1].node_order[1], 0);
	assert_int_equal(m->node[0].node_order[0], 0);
	machine_destroy(m);
}

/* __GFP_THISNODE (ZONELIST_NOFALLBACK) fails once node 1 is below its
 * watermarks; without it the zonelist falls back to node 0, counted as
 * numa_miss on node 0 and numa_foreign on node 1 (zone_statistics()) */
static void alloc_pages_node__thisnode_fails_and_fallback_crosses_nodes(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	gfp_t thisnode = gfp(m, "GFP_NOWAIT|__GFP_THISNODE");
	uint64_t pfn = 0, got = 0;
	int r;
	while ((r = buddy_alloc_pages_node(m, 1, thisnode, 10, &pfn)) == 0) {
		assert_int_equal(pfn_nid(m, pfn), 1);
		got++;
	}
	assert_int_equal(r, -ENOMEM);
	assert_true(got > 400);         /* node 1's 2 GiB of RAM (2G-3G, 4G-5G) in 4 MiB blocks */
	uint64_t miss0 = node_stat(m, 0, NUMA_MISS), foreign1 = node_stat(m, 1, NUMA_FOREIGN);
	assert_int_equal(buddy_alloc_pages_node(m, 1, gfp(m, "GFP_NOWAIT"), 10, &pfn), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(node_stat(m, 0, NUMA_MISS), miss0 + 1);
	assert_int_equal(node_stat(m, 1, NUMA_FOREIGN), foreign1 + 1);
	assert_int_equal(buddy_alloc_pages_node(m, 2, thisnode, 0, &pfn), -EINVAL);
	machine_destroy(m);
}

/* numa_node_id() follows the CPU: local_node on the CPU's node, hit on
 * the preferred node, other_node when the page's node is not the CPU's */
static void counters__local_and_other_follow_the_cpu(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 2, NULL);
	gfp_t k = gfp(m, "GFP_KERNEL");
	uint64_t pfn = 0;
	uint64_t hit1 = node_stat(m, 1, NUMA_HIT), local1 = node_stat(m, 1, NUMA_LOCAL);
	uint64_t other1 = node_stat(m, 1, NUMA_OTHER);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(buddy_alloc_pages(m, k, 0, &pfn), 0);           /* NUMA_NO_NODE: node 1 */
	assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(node_stat(m, 1, NUMA_HIT), hit1 + 1);
	assert_int_equal(node_stat(m, 1, NUMA_LOCAL), local1 + 1);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(buddy_alloc_pages_node(m, 1, k, 0, &pfn), 0);
	assert_int_equal(node_stat(m, 1, NUMA_HIT), hit1 + 2);
	assert_int_equal(node_stat(m, 1, NUMA_OTHER), other1 + 1);
	machine_destroy(m);
}

/* kmem_cache_alloc_node(): an object from a slab on the node asked for */
static void kmalloc_node__object_from_a_slab_of_that_node(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 1, NULL);
	gfp_t k = gfp(m, "GFP_KERNEL");
	uint64_t a = 0, pfn = 0;
	assert_int_equal(slab_kmalloc_node(m, 200, k, 1, &a), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(slab_kmalloc_node(m, 200, k, 0, &a), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(slab_kmalloc_node(m, 64 << 10, k, 1, &a), 0);       /* kmalloc_large_node() */
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(slab_kmalloc_node(m, 200, k, 5, &a), -EINVAL);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static uint64_t node_file_lru(const struct machine *m, int nid)
{
	uint64_t n = 0;
	for (int z = nid * m->nr_node_zones; z < (nid + 1) * m->nr_node_zones; z++)
		n += vmscan_lru_pages(m, z, LRU_INACTIVE_FILE) + vmscan_lru_pages(m, z, LRU_ACTIVE_FILE);
	return n;
}

/* direct reclaim walks the allocation's zonelist (shrink_zones()): a
 * __GFP_THISNODE allocation on node 1 frees node 1's page cache and
 * leaves node 0's alone */
static void direct_reclaim__shrinks_the_preferred_nodes_zones(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "1G", 2, 2, NULL);
	uint64_t added = 0, pfn = 0;
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(vmscan_pagecache(m, "zero", 20000, false, &added), 0);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(vmscan_pagecache(m, "one", 120000, false, &added), 0);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	uint64_t file0 = node_file_lru(m, 0), file1 = node_file_lru(m, 1);
	assert_true(file0 >= 20000);
	gfp_t g = gfp(m, "GFP_KERNEL|__GFP_THISNODE");
	for (int i = 0; i < 20000; i++) {
		assert_int_equal(buddy_alloc_pages_node(m, 1, g, 0, &pfn), 0);
		assert_int_equal(pfn_nid(m, pfn), 1);
	}
	assert_true(node_file_lru(m, 1) < file1);
	assert_int_equal(node_file_lru(m, 0), file0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* mixed traffic over both nodes and both CPUs keeps every invariant
 * machine_check() knows (free lists, counters, slabs); a fixed LCG
 * seed, so the run is the same every time */
static void mixed_traffic__keeps_the_model_consistent(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "1G", 2, 2, NULL);
	gfp_t k = gfp(m, "GFP_KERNEL"), nowait_this = gfp(m, "GFP_NOWAIT|__GFP_THISNODE");
	struct held { uint64_t pfn, addr; unsigned order; } held[256];
	unsigned nheld = 0;
	uint64_t x = 12345;
	for (int i = 0; i < 3000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned r = (unsigned)(x >> 33);
		int nid = (int)(r % 3) - 1;                     /* NUMA_NO_NODE, 0 or 1 */
		if (r % 7 == 0)
			assert_int_equal(machine_set_cpu(m, (r >> 3) & 1), 0);
		if (nheld && (r % 3 == 0 || nheld == 256)) {
			unsigned j = (r >> 5) % nheld;
			if (held[j].addr)
				assert_int_equal(slab_kfree(m, held[j].addr), 0);
			else
				assert_int_equal(buddy_free_pages(m, held[j].pfn, held[j].order), 0);
			held[j] = held[--nheld];
		} else if (r % 2) {
			uint64_t a = 0;
			assert_int_equal(slab_kmalloc_node(m, 8 + (r >> 4) % 3000, k, nid, &a), 0);
			if (a)
				held[nheld++] = (struct held){ 0, a, 0 };
		} else {
			uint64_t pfn = 0;
			unsigned order = (r >> 4) % 4;
			gfp_t g = (r >> 8) % 4 == 0 && nid >= 0 ? nowait_this : k;
			if (buddy_alloc_pages_node(m, nid, g, order, &pfn) == 0)
				held[nheld++] = (struct held){ pfn, 0, order };
		}
	}
	assert_int_equal(machine_check(m), 0);
	while (nheld) {
		nheld--;
		if (held[nheld].addr)
			assert_int_equal(slab_kfree(m, held[nheld].addr), 0);
		else
			assert_int_equal(buddy_free_pages(m, held[nheld].pfn, held[nheld].order), 0);
	}
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* `kswapd run 0` on a machine with nodes: kswapd0 balances node 0 (each
 * node has its own kswapd since the numa2 merge), and its classzone is a
 * zone type of node 0 - the index
 * of zone->lowmem_reserve[] in zone_watermark_ok(), MAX_NR_ZONES long -
 * not the last populated zone of the machine (node 1's Normal is machine
 * zone 6 here, past lowmem_reserve[5]: ASan/UBSan caught the read) */
static void kswapd_run__classzone_is_a_zone_type_of_node_0(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 2, NULL);
	uint64_t added = 0, reclaimed = 0;
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(vmscan_pagecache(m, "one", 20000, false, &added), 0);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	m->log.enabled = true;
	changelog_reset(m);
	assert_int_equal(vmscan_kswapd_run(m, true, 0, &reclaimed), 1);
	bool seen = false;
	for (size_t i = 0; i < m->log.n; i++)
		if (m->log.v[i].kind == CH_KSWAPD) {
			seen = true;
			/* node 0 of 4G is [0, 2G): DMA and DMA32 populated,
			 * Normal and Movable empty: DMA32, type 1 */
			assert_int_equal(m->log.v[i].zone, 1);
		}
	assert_true(seen);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

static void warn_alloc__mems_allowed_lists_every_node(void **state)
{
	(void)state;
	for (unsigned nodes = 2; nodes <= 3; nodes++) {
		struct machine *m = boot_nodes("x86_64", "4G", nodes, 1, NULL);
		uint64_t pfn = 0;
		/* ZONE_DMA is node 0's only: node 1's __GFP_THISNODE zonelist
		 * has none, the allocation fails and warns */
		assert_int_equal(buddy_alloc_pages_node(m, 1, gfp(m, "GFP_DMA|__GFP_THISNODE"), 0, &pfn), -ENOMEM);
		assert_true(dmesg_has(m, "page allocation failure"));
		assert_true(dmesg_has(m, nodes == 2 ? ",cpuset=/,mems_allowed=0-1" : ",cpuset=/,mems_allowed=0-2"));
		machine_destroy(m);
	}
}

/* the i386 kernels have no CONFIG_NUMA; the model takes at most 8 nodes */
static void nodes__refused_where_not_modelled(void **state)
{
	(void)state;
	struct machine *m;
	char err[256];
	struct machine_config cfg = { .arch = "i386", .nr_nodes = 2 };
	assert_int_equal(machine_create(&cfg, &m, err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "CONFIG_NUMA"));
	struct machine_config c2 = { .arch = "x86_64", .nr_nodes = 9 };
	assert_int_equal(machine_create(&c2, &m, err, sizeof err), -EINVAL);
	struct machine_config c3 = { .arch = "x86_64" };
	assert_int_equal(machine_create(&c3, &m, err, sizeof err), 0);
	assert_int_equal(m->nr_nodes, 1);
	assert_int_equal(m->nr_zones, m->nr_node_zones);
	machine_destroy(m);
}

/*
 * One node, CONFIG_NUMA (x86_64): arch/x86/mm/numa.c dummy_numa_init()
 * prints "No NUMA configuration found" and "Faking a node at [mem
 * 0-PFN_PHYS(max_pfn)-1]" (4 GiB on the PC layout: RAM up to 5 GiB, so
 * 0x13fffffff), build_zonelists() "Fallback order for Node 0: 0 " (a
 * trailing space), in the real Debian 6.1 amd64 dmesg's order; i386
 * (no CONFIG_NUMA) prints none of them.  With numa=fake=2 the dummy node
 * comes first, then emu_setup_memblk()'s lines.
 */
static void dmesg__one_node_as_the_real_kernel(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 0, 2, NULL);
	long a = dmesg_find_line(m, "No NUMA configuration found");
	long b = dmesg_find_line(m, "Faking a node at [mem 0x0000000000000000-0x000000013fffffff]");
	long c = dmesg_find_line(m, "Zone ranges:");
	long d = dmesg_find_line(m, "Fallback order for Node 0: 0 ");
	long e = dmesg_find_line(m, "Policy zone: Normal");
	assert_true(a >= 0 && b == a + 1 && c > b && d > c && e > d);
	assert_int_equal(dmesg_find_line(m, "Fallback order for Node 0: 0"), -1);
	machine_destroy(m);
	m = boot_nodes("i386", "1G", 0, 2, NULL);
	assert_int_equal(dmesg_find_line(m, "No NUMA configuration found"), -1);
	assert_int_equal(dmesg_find_line(m, "Fallback order for Node 0: 0 "), -1);
	machine_destroy(m);
	m = boot_nodes("x86_64", "4G", 2, 2, NULL);
	b = dmesg_find_line(m, "Faking a node at [mem 0x0000000000000000-0x000000013fffffff]");
	long f = dmesg_find_line(m, "Faking node 0 at [mem 0x0000000000000000-0x000000007fffffff] (2048MB)");
	assert_true(b >= 0 && f == b + 1);
	machine_destroy(m);
}

/*
 * kswapdN per node: a __GFP_THISNODE allocation on node 1 (its zonelist
 * ZONELIST_NOFALLBACK has node 1 only) that finds node 1's DMA32 at low
 * enters the slow path, and wake_all_kswapds() wakes kswapd1 alone;
 * kswapd1's balance_pgdat() reclaims node 1's page cache until its DMA32
 * is above high (pgdat_balanced()) and leaves node 0's LRU alone.  1G in
 * two fake nodes: [0, 512M) and [512M, 1G), both DMA32 only.
 */
static void kswapd__one_per_node(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "1G", 2, 2, NULL);
	uint64_t added = 0, pfn = 0, rec = 0;
	const int nz = m->nr_node_zones, dma32_1 = nz + m->zone_of_kind[ZK_DMA32];
	const struct zone *z1 = &m->zones[dma32_1];
	assert_int_equal(z1->nid, 1);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(vmscan_pagecache(m, "zero", 20000, false, &added), 0);
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(vmscan_pagecache(m, "one", z1->free_pages / 2, false, &added), 0);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	uint64_t file0 = node_file_lru(m, 0), file1 = node_file_lru(m, 1);
	gfp_t g = gfp(m, "GFP_KERNEL|__GFP_THISNODE");
	while (!m->vm->kswapd_woken[1]) {
		assert_true(z1->free_pages > z1->wmark[WMARK_MIN]);
		assert_int_equal(buddy_alloc_pages_node(m, 1, g, 0, &pfn), 0);
		assert_int_equal(pfn_nid(m, pfn), 1);
	}
	assert_false(m->vm->kswapd_woken[0]);
	assert_true(z1->free_pages <= z1->wmark[WMARK_LOW]);
	/* highest_zoneidx = gfp_zone(GFP_KERNEL) = ZONE_NORMAL, populated or not */
	assert_int_equal(m->vm->kswapd_classzone[1], m->zone_of_kind[ZK_NORMAL]);
	/* after the step: kswapd1 ran, node 1 balanced, node 0 untouched */
	assert_int_equal(vmscan_kswapd_pending(m), 1);
	assert_false(m->vm->kswapd_woken[1]);
	assert_true(z1->free_pages > z1->wmark[WMARK_HIGH]);
	assert_true(node_file_lru(m, 1) < file1);
	assert_int_equal(node_file_lru(m, 0), file0);
	/* kswapd run [NID]: one node's, or each node's */
	assert_int_equal(vmscan_kswapd_run(m, true, 0, &rec), 1);
	assert_int_equal(vmscan_kswapd_run(m, true, -1, &rec), 2);
	assert_int_equal(vmscan_kswapd_run(m, true, 2, &rec), -EINVAL);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * vm.zone_reclaim_mode: 0 by default, 0..INT_MAX (proc_dointvec_minmax,
 * extra1 SYSCTL_ZERO), x86_64 only.  With 1 a node 0 zone at its low
 * watermark gets node_reclaim() before the zonelist moves to node 1:
 * __node_reclaim() reclaims nr_to_reclaim = max(1 << order, 32) = 32 page
 * cache pages from NODE_RECLAIM_PRIORITY, which lifts DMA32 32 pages above
 * where it was, and the page is node 0's.  With 0 the page is node 1's.
 */
static void zone_reclaim_mode__reclaims_locally_before_going_remote(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "1G", 2, 2, NULL);
	char buf[32];
	assert_int_equal(machine_sysctl_get(m, "vm.zone_reclaim_mode", buf, sizeof buf), 0);
	assert_string_equal(buf, "0");
	assert_int_equal(machine_sysctl_set(m, "vm.zone_reclaim_mode", "-1"), -ERANGE);
	assert_int_equal(machine_sysctl_set(m, "vm.zone_reclaim_mode", "x"), -EINVAL);
	assert_int_equal(m->zone_reclaim_mode, 0);
	pcp_set_enabled(m, false);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	const struct zone *z0 = &m->zones[m->zone_of_kind[ZK_DMA32]];
	uint64_t added = 0, pfn = 0;
	/* node 0's page cache down to DMA32's low watermark, then pages until
	 * node 0's DMA is at its mark too and one comes from node 1 */
	assert_int_equal(vmscan_pagecache(m, "zero", z0->free_pages - z0->wmark[WMARK_LOW], false, &added), 0);
	int n = 0;
	do {
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
		assert_true(++n < 100000);
	} while (pfn_nid(m, pfn) == 0);
	uint64_t free0 = z0->free_pages, file0 = node_file_lru(m, 0);
	assert_true(free0 <= z0->wmark[WMARK_LOW]);
	assert_int_equal(machine_sysctl_set(m, "vm.zone_reclaim_mode", "1"), 0);
	uint64_t steal = m->vm->ev.pgsteal_direct;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(m->vm->ev.pgsteal_direct - steal, 32);
	assert_int_equal(node_file_lru(m, 0), file0 - 32);
	assert_int_equal(z0->free_pages, free0 + 32 - 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
	m = boot_nodes("i386", "1G", 0, 1, NULL);
	assert_int_equal(machine_sysctl_set(m, "vm.zone_reclaim_mode", "1"), -ENOENT);
	machine_destroy(m);
}

/*
 * 6.13 zone_highsize(): high_min = low_wmark / nr_split_cpus and high_max
 * = managed / 8 / nr_split_cpus (at least batch * 4), nr_split_cpus the
 * CPUs of the zone's node (cpumask_of_node()), all online CPUs for a node
 * without any.  3 nodes, 2 CPUs round robin: nodes 0 and 1 one CPU each,
 * node 2 none (2); 2 nodes, 4 CPUs: two each.
 */
static void pcp_high__split_over_the_cpus_of_the_zones_node(void **state)
{
	(void)state;
	const unsigned cases[][3] = { { 3, 2, 0 }, { 2, 4, 0 } };
	for (int k = 0; k < 2; k++) {
		unsigned nodes = cases[k][0], cpus = cases[k][1];
		struct machine *m = boot_nodes("x86_64", "4G", nodes, cpus, NULL);
		for (int z = 0; z < m->nr_zones; z++) {
			const struct zone *zn = &m->zones[z];
			if (!zn->managed)
				continue;
			unsigned split = nodes == 3 ? (zn->nid == 2 ? 2 : 1) : 2;
			const struct per_cpu_pages *p = pcp_of(m, z, 0);
			uint64_t lo = zn->wmark[WMARK_LOW] / split, hi = zn->managed / 8 / split;
			uint64_t least = (uint64_t)p->batch * 4;
			assert_int_equal(p->high_min, lo > least ? lo : least);
			assert_int_equal(p->high_max, hi > least ? hi : least);
		}
		machine_destroy(m);
	}
}

/* a slub_debug=F machine of two nodes and two CPUs (CPU 1 on node 1)
 * with a debug cache of 2048-byte objects: no cpu slabs, every allocation
 * from a partial slab or a new one; min_partial ilog2(2048) / 2 = 5 */
static struct machine *boot_debug_cache(int *c)
{
	struct machine_config cfg = { .arch = "x86_64", .nr_nodes = 2, .ncpus = 2, .slub_debug = "F" };
	struct machine *m;
	char err[256];
	assert_int_equal(parse_size("4G", &cfg.mem_bytes), 0);
	if (machine_create(&cfg, &m, err, sizeof err))
		fail_msg("boot: %s", err);
	assert_int_equal(slab_cache_create(m, "t2k", 2048, 8, 0, c), 0);
	assert_true(m->slab->caches[*c].debug);
	assert_int_equal(m->slab->caches[*c].min_partial, 5);
	assert_true(m->slab->caches[*c].g.objects <= 64);
	return m;
}

/* n full slabs of the current CPU's node, their objects in obj[j][i] */
static void fill_slabs(struct machine *m, int c, int n, uint64_t obj[][64])
{
	unsigned objs = m->slab->caches[c].g.objects;
	uint64_t pfn = 0;
	for (int j = 0; j < n; j++)
		for (unsigned i = 0; i < objs; i++) {
			assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &obj[j][i]), 0);
			assert_int_equal(machine_vaddr_to_pfn(m, obj[j][i], &pfn, NULL), 0);
			assert_int_equal(pfn_nid(m, pfn), (int)machine_numa_node_id(m));
		}
}

/*
 * __slab_free()'s "n->nr_partial >= s->min_partial" counts the partial
 * slabs of the slab's own node (get_node(s, slab_nid(slab))): one full
 * slab S on node 1, five on node 0, each of these made partial by one
 * free; then S is emptied.  Node 1 has S alone on the partial list,
 * 1 < 5: S stays (the five of node 0 do not count).
 */
static void slub_min_partial__counted_per_node(void **state)
{
	(void)state;
	int c;
	struct machine *m = boot_debug_cache(&c);
	const struct kmem_cache *kc = &m->slab->caches[c];
	static uint64_t s1[1][64], s0[5][64];
	assert_int_equal(machine_set_cpu(m, 1), 0);
	fill_slabs(m, c, 1, s1);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	fill_slabs(m, c, 5, s0);
	assert_int_equal(kc->nr_slabs, 6);
	for (int j = 0; j < 5; j++)
		assert_int_equal(slab_cache_free(m, c, s0[j][0]), 0);
	assert_int_equal(kc->partial[0].count, 5);
	assert_int_equal(kc->partial[1].count, 0);
	for (unsigned i = 0; i < kc->g.objects; i++)
		assert_int_equal(slab_cache_free(m, c, s1[0][i]), 0);
	assert_int_equal(kc->nr_slabs, 6);
	assert_int_equal(kc->partial[0].count, 5);
	assert_int_equal(kc->partial[1].count, 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * kmem_cache_alloc_node() of a debug cache: 6.13 ___slab_alloc() passes
 * the node to get_partial(s, node) (that node's partial list only) and to
 * new_slab(s, flags, node), kmem_cache_debug() or not; only then does
 * alloc_single_from_partial()/alloc_single_from_new_slab() take the
 * object.  On CPU 0 (node 0), with a partial slab on node 0, node 1's
 * object comes from a new slab on node 1; a second one from that slab.
 * kmem_cache_create() itself (init_kmem_cache_nodes()) allocates each
 * node's struct kmem_cache_node with kmem_cache_alloc_node(..., node).
 */
static void slub_debug_alloc_node__the_nodes_slab(void **state)
{
	(void)state;
	int c;
	struct machine *m = boot_debug_cache(&c);
	const struct kmem_cache *kc = &m->slab->caches[c];
	uint64_t a, b, x, pfn = 0, pfn_b = 0;
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &x), 0);
	assert_int_equal(kc->partial[0].count, 1);
	assert_int_equal(slab_cache_alloc_node(m, c, gfp(m, "GFP_KERNEL"), 1, &a), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(kc->partial[1].count, 1);
	assert_int_equal(slab_cache_alloc_node(m, c, gfp(m, "GFP_KERNEL"), 1, &b), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, b, &pfn_b, NULL), 0);
	assert_int_equal(pfn_b, pfn);
	int kn = m->slab->meta_node_cache;
	assert_true(kn >= 0);
	assert_true(m->slab->caches[kn].debug);
	uint64_t node_obj[2] = { m->slab->meta[c].node[0], m->slab->meta[c].node[1] };
	for (int nid = 0; nid < 2; nid++) {
		assert_int_not_equal(node_obj[nid], 0);
		assert_int_equal(machine_vaddr_to_pfn(m, node_obj[nid], &pfn, NULL), 0);
		assert_int_equal(pfn_nid(m, pfn), nid);
	}
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * get_partial(s, NUMA_NO_NODE): the local node's partial slabs, else
 * get_any_partial(): another node's only while it has more than
 * min_partial.  Node 1 with 6 partial slabs (6 full ones, one object
 * freed from each): an allocation on CPU 0 (node 0, no partial slab)
 * takes node 1's first, which is then full; node 1 has 5, not more than
 * 5: the next allocation makes a new slab on node 0.
 */
static void slub_get_partial__local_node_first_then_over_min_partial(void **state)
{
	(void)state;
	int c;
	struct machine *m = boot_debug_cache(&c);
	const struct kmem_cache *kc = &m->slab->caches[c];
	static uint64_t s1[6][64];
	uint64_t a, pfn = 0;
	assert_int_equal(machine_set_cpu(m, 1), 0);
	fill_slabs(m, c, 6, s1);
	for (int j = 0; j < 6; j++)
		assert_int_equal(slab_cache_free(m, c, s1[j][0]), 0);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(kc->nr_slabs, 6);
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_int_equal(machine_vaddr_to_pfn(m, a, &pfn, NULL), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(kc->nr_slabs, 7);
	/* the new slab of node 0 is partial: the next object comes from it */
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_int_equal(kc->nr_slabs, 7);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* the node of the slab holding obj */
static int obj_nid(struct machine *m, uint64_t obj)
{
	uint64_t pfn = 0;
	assert_int_equal(machine_vaddr_to_pfn(m, obj, &pfn, NULL), 0);
	return pfn_nid(m, pfn);
}

/*
 * Each node's kmem_cache_node keeps its own partial list and nr_partial.
 * Six full slabs on node 1 (CPU 1) and six on node 0 (CPU 0), one object
 * freed from each: free_to_partial_list() puts each at the tail of its
 * node's list, so each list holds its six in order.  Emptying node 1's
 * first slab: node 1 holds 6 >= min_partial 5, discarded (11 slabs, 5 on
 * node 1); its second: 5 >= 5, discarded (10, 4); its third: 4 < 5, kept
 * empty on the list.  Node 0's six are untouched.  Then an allocation on
 * CPU 0 takes the head of node 0's list, the first node-0 slab, whose only
 * free object is the one freed; on CPU 1 the head of node 1's list is the
 * third slab, whose freelist starts at the object freed last.
 */
static void slub_partial_lists__per_node_lists_discard_over_min_partial_per_node(void **state)
{
	(void)state;
	int c;
	struct machine *m = boot_debug_cache(&c);
	const struct kmem_cache *kc = &m->slab->caches[c];
	static uint64_t s1[6][64], s0[6][64];
	unsigned objs = kc->g.objects;
	assert_int_equal(machine_set_cpu(m, 1), 0);
	fill_slabs(m, c, 6, s1);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	fill_slabs(m, c, 6, s0);
	for (int j = 0; j < 6; j++) {
		assert_int_equal(slab_cache_free(m, c, s0[j][0]), 0);
		assert_int_equal(slab_cache_free(m, c, s1[j][0]), 0);
	}
	assert_int_equal(kc->partial[0].count, 6);
	assert_int_equal(kc->partial[1].count, 6);
	for (uint32_t id = kc->partial[1].head; id != SLAB_NONE; id = m->slab->slabs[id].next)
		assert_int_equal(pfn_nid(m, m->slab->slabs[id].pfn), 1);
	static const struct { uint64_t slabs, node1; } after[3] = { { 11, 5 }, { 10, 4 }, { 10, 4 } };
	for (int j = 0; j < 3; j++) {
		for (unsigned i = 1; i < objs; i++)
			assert_int_equal(slab_cache_free(m, c, s1[j][i]), 0);
		assert_int_equal(kc->nr_slabs, after[j].slabs);
		assert_int_equal(kc->partial[1].count, after[j].node1);
		assert_int_equal(kc->partial[0].count, 6);
	}
	uint64_t a;
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_int_equal(a, s0[0][0]);
	assert_int_equal(kc->partial[0].count, 5);      /* full again: off the list */
	assert_int_equal(machine_set_cpu(m, 1), 0);
	assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	assert_int_equal(a, s1[2][objs - 1]);
	assert_int_equal(obj_nid(m, a), 1);
	assert_int_equal(kc->partial[1].count, 4);
	assert_int_equal(machine_check(m), 0);
	/* /sys/kernel/slab/t/partial: the total, then each node holding any
	 * (show_slab_objects(SO_PARTIAL)) */
	struct out o;
	out_init_buf(&o);
	assert_int_equal(view_slab_sysfs(&o, m, c, "/sys/kernel/slab/t/partial", "partial"), 0);
	assert_string_equal(o.buf, "9 N0=5 N1=4\n");
	out_free(&o);
	/* check finds node 1's slabs on node 0's list */
	struct kmem_cache *w = &m->slab->caches[c];
	struct slab_list_head saved = w->partial[0];
	w->partial[0] = w->partial[1];
	assert_int_equal(machine_check(m), -EUCLEAN);
	w->partial[0] = saved;
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* One node, as the real Debian 6.1 amd64 guest (tests' reference
 * slab_sysfs: "kmalloc-32 ... partial=6 N0=6"): six slabs made partial
 * read "6 N0=6"; an i386 kernel (no CONFIG_NUMA) prints the total alone */
static void slab_sysfs_partial__one_node_reads_like_the_real_kernel(void **state)
{
	(void)state;
	static const char *const arch[2] = { "x86_64", "i386" };
	static const char *const want[2] = { "6 N0=6\n", "6\n" };
	for (int a = 0; a < 2; a++) {
		struct machine_config cfg = { .arch = arch[a], .kernel = "6.13", .slub_debug = "F" };
		struct machine *m;
		char err[256];
		if (machine_create(&cfg, &m, err, sizeof err))
			fail_msg("boot: %s", err);
		int c;
		assert_int_equal(slab_cache_create(m, "t2k", 2048, 8, 0, &c), 0);
		static uint64_t obj[6][64];
		fill_slabs(m, c, 6, obj);
		for (int j = 0; j < 6; j++)
			assert_int_equal(slab_cache_free(m, c, obj[j][0]), 0);
		struct out o;
		out_init_buf(&o);
		assert_int_equal(view_slab_sysfs(&o, m, c, "/sys/kernel/slab/t2k/partial", "partial"), 0);
		assert_string_equal(o.buf, want[a]);
		out_free(&o);
		machine_destroy(m);
	}
}

/*
 * hashdist (mm/mm_init.c): HASHDIST_DEFAULT on 64-bit with CONFIG_NUMA,
 * cleared by fixup_hashdist() only when one node has memory.  With two,
 * dcache_init_early()/inode_init_early() return at once, vfs_caches_init()
 * → dcache_init()/inode_init() make the two hashes, and they and every
 * later alloc_large_system_hash() table come from vmalloc_huge().  Sizes
 * by hand, as on one node: 4 GiB gives 524288 8-byte dentry buckets
 * (4 MiB, order 10) and 262144 inode buckets (2 MiB, order 9).
 * __vmalloc_node_range() maps with PMDs when size / num_online_nodes() >=
 * PMD_SIZE (x86_64 selects HAVE_ARCH_HUGE_VMALLOC; PSE): 4 MiB / 2 = 2 MiB,
 * so the dentry hash is two order-9 pages, each alloc_pages() under the
 * boot's interleave policy (numa_policy_init()), one per node, mapped by
 * 2 MiB leaves, "vmalloc hugepage"; 2 MiB / 2 is less, so the inode hash
 * is 512 pages from the bulk allocator's interleave, requests of 100 split
 * 50/50 and the last 12 6/6: 256 per node, 4K ptes, "vmalloc".
 */
static void hashdist__two_nodes_vmalloc_the_hashes_interleaved(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 2, NULL);
	const char *dentry_line = "Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, vmalloc hugepage)";
	const char *inode_line = "Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, vmalloc)";
	const char *mount_line = "Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, vmalloc)";
	assert_true(dmesg_has_line(m, dentry_line));
	assert_true(dmesg_has_line(m, inode_line));
	assert_true(dmesg_has_line(m, mount_line));
	assert_true(dmesg_has_line(m, "futex hash table entries: 512 (order: 3, 32768 bytes, vmalloc)"));
	assert_true(dmesg_has_line(m, "TCP established hash table entries: 32768 (order: 6, 262144 bytes, vmalloc)"));
	/* vfs_caches_init(): dcache_init(), inode_init(), then mnt_init() */
	assert_true(dmesg_find_line(m, dentry_line) < dmesg_find_line(m, inode_line));
	assert_true(dmesg_find_line(m, inode_line) < dmesg_find_line(m, mount_line));
	const struct vm_struct *dentry = NULL, *inode = NULL;
	for (uint64_t a = m->layout.vmalloc_start; a < m->layout.vmalloc_start + (64ull << 20); a += 4096) {
		const struct vm_struct *vm = vmap_find_area(m, a);
		if (!vm || vm->addr != a || strcmp(vm->caller, "alloc_large_system_hash") != 0)
			continue;
		if (get_vm_area_size(vm) == 4ull << 20)
			dentry = vm;
		else if (get_vm_area_size(vm) == 2ull << 20)
			inode = vm;
	}
	assert_non_null(dentry);
	assert_non_null(inode);
	assert_int_equal(dentry->page_order, 9);
	assert_int_equal(dentry->nr_pages, 1024);
	for (unsigned i = 1; i < 512; i++) {
		assert_int_equal(dentry->pages[i], dentry->pages[0] + i);
		assert_int_equal(dentry->pages[512 + i], dentry->pages[512] + i);
	}
	assert_int_not_equal(pfn_nid(m, dentry->pages[0]), pfn_nid(m, dentry->pages[512]));
	struct pt_walk w;
	pgtable_walk(m, dentry->addr + 5 * 4096, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 2ull << 20);
	assert_int_equal(w.phys, (dentry->pages[5]) << 12);
	assert_int_equal(inode->page_order, 0);
	assert_int_equal(inode->nr_pages, 512);
	unsigned per[2] = { 0, 0 };
	for (unsigned i = 0; i < 512; i++)
		per[pfn_nid(m, inode->pages[i])]++;
	assert_int_equal(per[0], 256);
	assert_int_equal(per[1], 256);
	pgtable_walk(m, inode->addr + 7 * 4096, &w);
	assert_int_equal(w.end, WALK_MAPPED);
	assert_int_equal(w.page_size, 4096);
	assert_int_equal(w.phys, inode->pages[7] << 12);
	/* kernel_init() → numa_default_policy() after the initcalls */
	assert_int_equal(m->mpol.mode, MPOL_DEFAULT);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);

	/* one node: fixup_hashdist() clears hashdist, the early hashes are
	 * memblock's and the late ones alloc_pages_exact()'s */
	m = boot_nodes("x86_64", "4G", 0, 2, NULL);
	assert_true(dmesg_has_line(m, "Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, linear)"));
	assert_true(dmesg_has_line(m, "Mount-cache hash table entries: 8192 (order: 4, 65536 bytes, linear)"));
	assert_true(dmesg_has_line(m, "futex hash table entries: 512 (order: 3, 32768 bytes, linear)"));
	machine_destroy(m);
}

/*
 * 6.13 mm/sparse.c sparse_init(): the present sections node by node, and
 * sparse_init_nid() -> sparse_buffer_init(map_count * section_map_size(),
 * nid) -> memmap_alloc(..., nid, exact_nid true): a node's struct pages
 * are on that node.  4 GiB, numa=fake=2: node 0 [0, 2G), node 1 [2G, 3G)
 * and [4G, 5G); the struct page of a pfn of each node maps (through the
 * vmemmap's 2M pages) to memory of the same node.
 */
static void sparse_init__each_nodes_struct_pages_on_that_node(void **state)
{
	(void)state;
	struct machine *m = boot_nodes("x86_64", "4G", 2, 2, NULL);
	static const uint64_t pfns[] = { 0x1000, 0x7ff00, 0x80000, 0xbff00, 0x100000, 0x13ff00 };
	for (size_t i = 0; i < sizeof pfns / sizeof pfns[0]; i++) {
		struct pt_walk w;
		pgtable_walk(m, machine_page_ptr(m, pfns[i]), &w);
		assert_int_equal(w.end, WALK_MAPPED);
		int nid = numa_pfn_to_nid(m, pfns[i]);
		if (numa_pfn_to_nid(m, w.phys >> 12) != nid)
			fail_msg("pfn %#llx (node %d): its struct page is at phys %#llx, node %d", (unsigned long long)pfns[i],
				 nid, (unsigned long long)w.phys, numa_pfn_to_nid(m, w.phys >> 12));
	}
	assert_int_equal(numa_pfn_to_nid(m, 0x1000), 0);
	assert_int_equal(numa_pfn_to_nid(m, 0x100000), 1);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_4g_two_nodes__as_split_nodes_interleave),
		cmocka_unit_test(split_1g_three_nodes__big_node_and_tail),
		cmocka_unit_test(zones__per_node_spans),
		cmocka_unit_test(watermarks_and_lowmem_reserve__per_node),
		cmocka_unit_test(zonelists__node_load_round_robin),
		cmocka_unit_test(zonelists__fake_nodes_default_distance),
		cmocka_unit_test(alloc_pages_node__thisnode_fails_and_fallback_crosses_nodes),
		cmocka_unit_test(counters__local_and_other_follow_the_cpu),
		cmocka_unit_test(kmalloc_node__object_from_a_slab_of_that_node),
		cmocka_unit_test(direct_reclaim__shrinks_the_preferred_nodes_zones),
		cmocka_unit_test(mixed_traffic__keeps_the_model_consistent),
		cmocka_unit_test(kswapd_run__classzone_is_a_zone_type_of_node_0),
		cmocka_unit_test(warn_alloc__mems_allowed_lists_every_node),
		cmocka_unit_test(nodes__refused_where_not_modelled),
		cmocka_unit_test(dmesg__one_node_as_the_real_kernel),
		cmocka_unit_test(slub_partial_lists__per_node_lists_discard_over_min_partial_per_node),
		cmocka_unit_test(slab_sysfs_partial__one_node_reads_like_the_real_kernel),
		cmocka_unit_test(hashdist__two_nodes_vmalloc_the_hashes_interleaved),
		cmocka_unit_test(kswapd__one_per_node),
		cmocka_unit_test(zone_reclaim_mode__reclaims_locally_before_going_remote),
		cmocka_unit_test(pcp_high__split_over_the_cpus_of_the_zones_node),
		cmocka_unit_test(slub_min_partial__counted_per_node),
		cmocka_unit_test(slub_get_partial__local_node_first_then_over_min_partial),
		cmocka_unit_test(slub_debug_alloc_node__the_nodes_slab),
		cmocka_unit_test(sparse_init__each_nodes_struct_pages_on_that_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
