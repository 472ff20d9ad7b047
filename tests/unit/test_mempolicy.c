/*
 * test_mempolicy.c - a task's NUMA memory policy (set_mempolicy()) and
 * the allocations that follow it: alloc_pages(), the page cache, a task's
 * anonymous faults and vmalloc's bulk pages.  The expected node sequences
 * are worked by hand from 6.13 mm/mempolicy.c: do_set_mempolicy() starts
 * il_prev at MAX_NUMNODES - 1 (1023), interleave_nodes() takes
 * next_node_in(il_prev, nodes) and stores it, interleave_nid() takes the
 * (ilx % nnodes)-th node, alloc_pages_bulk_array_interleave() splits a
 * request evenly (the first nr % nodes nodes one page more),
 * vm_area_alloc_pages() asks for 100 pages at a time.  The machine: 4 GiB
 * x86_64 in two fake nodes (test_numa.c): node 0 has DMA and DMA32, node
 * 1 DMA32 and Normal; CPU 0 is on node 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/machine.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/vmscan.h"
#include "fixture.h"

static struct machine *boot(const char *kernel, unsigned nodes)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = kernel, .nr_nodes = nodes, .ncpus = 2 };
	assert_int_equal(parse_size("4G", &cfg.mem_bytes), 0);
	return boot_cfg(&cfg);
}

/* the node of the next alloc_pages() */
static int next_nid(struct machine *m, const char *flags)
{
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, flags), 0, &pfn), 0);
	return pfn_nid(m, pfn);
}

/* interleave over 0-1: il_prev 1023 -> next_node_in() wraps to 0, then
 * 1, 0, 1; each page from the node asked for is an interleave_hit there */
static void interleave__alloc_pages_round_robin_from_the_first_node(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x3, true), 0);
	assert_int_equal(m->mpol.il_prev, 1023);
	uint64_t ih0 = node_stat(m, 0, NUMA_INTERLEAVE_HIT), ih1 = node_stat(m, 1, NUMA_INTERLEAVE_HIT);
	const int want[] = { 0, 1, 0, 1, 0 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(next_nid(m, "GFP_KERNEL"), want[i]);
	assert_int_equal(m->mpol.il_prev, 0);
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih0, 3);
	assert_int_equal(node_stat(m, 1, NUMA_INTERLEAVE_HIT) - ih1, 2);
	/* alloc_pages_node() names its node: no policy, il_prev stays */
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages_node(m, -1, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(m->mpol.il_prev, 0);
	/* __GFP_THISNODE: alloc_pages_noprof() takes the default policy */
	assert_int_equal(next_nid(m, "GFP_KERNEL|__GFP_THISNODE"), 0);
	assert_int_equal(m->mpol.il_prev, 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * GFP_DMA under interleave 0-1: node 1 has no DMA zone, so the second
 * page (nid 1) comes from node 0's DMA through node 1's zonelist, whose
 * first zone for ZONE_DMA is node 0's DMA (zonerefs hold populated zones
 * only): a numa_hit on node 0 (the preferred zone's node), no foreign,
 * and no interleave_hit (page_to_nid() 0 != 1).
 */
static void interleave__page_from_another_node_is_no_interleave_hit(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x3, true), 0);
	uint64_t ih0 = node_stat(m, 0, NUMA_INTERLEAVE_HIT), ih1 = node_stat(m, 1, NUMA_INTERLEAVE_HIT);
	uint64_t hit0 = node_stat(m, 0, NUMA_HIT), fo1 = node_stat(m, 1, NUMA_FOREIGN);
	assert_int_equal(next_nid(m, "GFP_DMA"), 0);
	assert_int_equal(next_nid(m, "GFP_DMA"), 0);
	assert_int_equal(m->mpol.il_prev, 1);
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih0, 1);
	assert_int_equal(node_stat(m, 1, NUMA_INTERLEAVE_HIT) - ih1, 0);
	assert_int_equal(node_stat(m, 0, NUMA_HIT) - hit0, 2);
	assert_int_equal(node_stat(m, 1, NUMA_FOREIGN) - fo1, 0);
	machine_destroy(m);
}

/* interleave over 0,2 of three nodes: 0, 2, 0 (node 1 never) */
static void interleave__skips_nodes_outside_the_mask(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 3);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x5, true), 0);
	const int want[] = { 0, 2, 0, 2 };
	for (int i = 0; i < 4; i++)
		assert_int_equal(next_nid(m, "GFP_KERNEL"), want[i]);
	char buf[64];
	mpol_to_str(buf, sizeof buf, &m->mpol);
	assert_string_equal(buf, "interleave:0,2");
	machine_destroy(m);
}

/*
 * MPOL_BIND 1 from CPU 0: GFP_KERNEL (gfp_zone Normal >= policy_zone
 * Normal) walks node 0's zonelist with nodemask {1}: node 1, a numa_hit
 * there (the preferred zone is node 1's first) and other_node (CPU 0 is
 * on node 0).  GFP_DMA32 is below policy_zone: apply_policy_zone() says
 * no nodemask, so the local node 0.
 */
static void bind__restricts_only_allocations_up_to_policy_zone(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	assert_int_equal(mempolicy_set(m, MPOL_BIND, 0x2, true), 0);
	uint64_t hit1 = node_stat(m, 1, NUMA_HIT), oth1 = node_stat(m, 1, NUMA_OTHER);
	assert_int_equal(next_nid(m, "GFP_KERNEL"), 1);
	assert_int_equal(node_stat(m, 1, NUMA_HIT) - hit1, 1);
	assert_int_equal(node_stat(m, 1, NUMA_OTHER) - oth1, 1);
	assert_int_equal(next_nid(m, "GFP_DMA32"), 0);
	machine_destroy(m);
}

/*
 * MPOL_BIND 1 with node 1 exhausted: GFP_NOWAIT fails rather than leave
 * the nodemask; GFP_ATOMIC (non-blocking, __GFP_HIGH: no ALLOC_CPUSET)
 * has its nodemask reset in the slow path and takes a page of node 0.
 */
static void bind__atomic_ignores_the_nodemask_when_the_nodes_are_full(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	uint64_t pfn;
	gfp_t fill = gfp(m, "GFP_ATOMIC|__GFP_THISNODE|__GFP_NOWARN");
	for (int o = 10; o >= 0; o--)
		while (buddy_alloc_pages_node(m, 1, fill, (unsigned)o, &pfn) == 0)
			assert_int_equal(pfn_nid(m, pfn), 1);
	assert_int_equal(mempolicy_set(m, MPOL_BIND, 0x2, true), 0);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_NOWAIT|__GFP_NOWARN"), 0, &pfn), -ENOMEM);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_ATOMIC|__GFP_NOWARN"), 0, &pfn), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	/* MPOL_PREFERRED 1 falls back without any reset: the zonelist */
	assert_int_equal(mempolicy_set(m, MPOL_PREFERRED, 0x2, true), 0);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_NOWAIT|__GFP_NOWARN"), 0, &pfn), 0);
	assert_int_equal(pfn_nid(m, pfn), 0);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* MPOL_PREFERRED 1 and MPOL_PREFERRED_MANY 1 from CPU 0: node 1 while it
 * has memory; MPOL_LOCAL and MPOL_DEFAULT: the CPU's node */
static void preferred__first_node_then_the_zonelist(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	assert_int_equal(mempolicy_set(m, MPOL_PREFERRED, 0x2, true), 0);
	assert_int_equal(next_nid(m, "GFP_KERNEL"), 1);
	assert_int_equal(mempolicy_set(m, MPOL_PREFERRED_MANY, 0x2, true), 0);
	assert_int_equal(next_nid(m, "GFP_KERNEL"), 1);
	assert_int_equal(mempolicy_set(m, MPOL_LOCAL, 0, false), 0);
	assert_int_equal(next_nid(m, "GFP_KERNEL"), 0);
	assert_int_equal(machine_set_cpu(m, 1), 0);            /* node 1 */
	assert_int_equal(mempolicy_set(m, MPOL_DEFAULT, 0, false), 0);
	assert_int_equal(next_nid(m, "GFP_KERNEL"), 1);
	machine_destroy(m);
}

/* mpol_new(), mpol_set_nodemask(), mpol_new_preferred() */
static void set_mempolicy__checks_as_mpol_new(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	char buf[64];
	/* MPOL_PREFERRED keeps the first node only */
	assert_int_equal(mempolicy_set(m, MPOL_PREFERRED, 0x3, true), 0);
	assert_int_equal(m->mpol.nodes, 0x1);
	mpol_to_str(buf, sizeof buf, &m->mpol);
	assert_string_equal(buf, "prefer:0");
	/* an empty preferred nodemask is MPOL_LOCAL */
	assert_int_equal(mempolicy_set(m, MPOL_PREFERRED, 0, false), 0);
	assert_int_equal(m->mpol.mode, MPOL_LOCAL);
	mpol_to_str(buf, sizeof buf, &m->mpol);
	assert_string_equal(buf, "local");
	assert_int_equal(mempolicy_set(m, MPOL_BIND, 0x3, true), 0);
	/* refused, the policy unchanged: nodes for MPOL_DEFAULT, none for
	 * MPOL_BIND, only nodes that are not online */
	assert_int_equal(mempolicy_set(m, MPOL_DEFAULT, 0x1, true), -EINVAL);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0, false), -EINVAL);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0, true), -EINVAL);
	assert_int_equal(mempolicy_set(m, MPOL_WEIGHTED_INTERLEAVE, 0x3, true), -EINVAL);
	assert_int_equal(m->mpol.mode, MPOL_BIND);
	mpol_to_str(buf, sizeof buf, &m->mpol);
	assert_string_equal(buf, "bind:0-1");
	assert_int_equal(mpol_mode_parse("MPOL_PREFERRED_MANY"), MPOL_PREFERRED_MANY);
	assert_int_equal(mpol_mode_parse("interleave"), -1);
	machine_destroy(m);
	m = boot("2.6.32", 0);
	assert_int_equal(mempolicy_set(m, MPOL_BIND, 0x1, true), -ENOSYS);
	machine_destroy(m);
}

/*
 * The page cache (folio_alloc() -> alloc_pages(), NO_INTERLEAVE_INDEX)
 * interleaves with il_prev; a task's anonymous faults take interleave_nid()
 * at the page's place in its area (0, 1, 2, ...) and leave il_prev alone.
 * A task forked before set_mempolicy() keeps the default policy.
 */
static void interleave__page_cache_by_il_prev_anon_by_offset(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	int before = vmscan_task_create(m, "before", 0);
	assert_true(before >= 0);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x3, true), 0);
	int after = vmscan_task_create(m, "after", 0);
	assert_true(after >= 0);
	assert_int_equal(m->vm->task[after].mpol.mode, MPOL_INTERLEAVE);
	assert_int_equal(m->vm->task[before].mpol.mode, MPOL_DEFAULT);
	uint64_t ih0 = node_stat(m, 0, NUMA_INTERLEAVE_HIT), ih1 = node_stat(m, 1, NUMA_INTERLEAVE_HIT);
	uint64_t added;
	assert_int_equal(vmscan_pagecache(m, "f", 5, false, &added), 0);
	assert_int_equal(added, 5);
	/* 0, 1, 0, 1, 0 */
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih0, 3);
	assert_int_equal(node_stat(m, 1, NUMA_INTERLEAVE_HIT) - ih1, 2);
	assert_int_equal(m->mpol.il_prev, 0);
	/* the task's pages 0..3: nodes 0, 1, 0, 1; then 4..6: 0, 1, 0 */
	assert_int_equal(vmscan_anon(m, after, 4, &added), 0);
	assert_int_equal(vmscan_anon(m, after, 3, &added), 0);
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih0, 3 + 4);
	assert_int_equal(node_stat(m, 1, NUMA_INTERLEAVE_HIT) - ih1, 2 + 3);
	assert_int_equal(m->vm->task[after].mpol.il_prev, 1023);
	assert_int_equal(m->mpol.il_prev, 0);
	/* the other task: every page local (CPU 0: node 0), no interleave */
	uint64_t loc0 = node_stat(m, 0, NUMA_LOCAL);
	assert_int_equal(vmscan_anon(m, before, 4, &added), 0);
	assert_int_equal(node_stat(m, 0, NUMA_LOCAL) - loc0, 4);
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih0, 7);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/*
 * vmalloc() with interleave 0-1: alloc_pages_bulk_array_interleave()
 * splits each request of vm_area_alloc_pages() over the nodes in the
 * order interleave_nodes() gives, X then the other, Y.  3 pages: X gets
 * 3/2 + 1 = 2, Y 1.  250 pages: requests of 100, 100, 50, each split
 * evenly: pages [0, 50) X, [50, 100) Y, [100, 150) X, [150, 200) Y,
 * [200, 225) X, [225, 250) Y.  (X depends on what alloc_pages() calls
 * the area's own allocations made before.)
 */
static void interleave__vmalloc_bulk_splits_each_request(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 2);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x3, true), 0);
	uint64_t a, pfn;
	assert_int_equal(vmalloc_alloc(m, 3 * 4096, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	int nid[250];
	for (int i = 0; i < 3; i++) {
		assert_int_equal(vmap_vmalloc_to_pfn(m, a + (uint64_t)i * 4096, &pfn), 0);
		nid[i] = pfn_nid(m, pfn);
	}
	assert_int_equal(nid[1], nid[0]);
	assert_int_equal(nid[2], !nid[0]);
	assert_int_equal(vmalloc_alloc(m, 250 * 4096, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	for (int i = 0; i < 250; i++) {
		assert_int_equal(vmap_vmalloc_to_pfn(m, a + (uint64_t)i * 4096, &pfn), 0);
		nid[i] = pfn_nid(m, pfn);
	}
	const int start[] = { 0, 50, 100, 150, 200, 225, 250 };
	for (int k = 0; k < 6; k++)
		for (int i = start[k]; i < start[k + 1]; i++)
			assert_int_equal(nid[i], k % 2 ? !nid[0] : nid[0]);
	assert_int_equal(machine_check(m), 0);
	machine_destroy(m);
}

/* one node (6.13 x86_64 without --nodes): interleave over node 0 counts
 * interleave_hit, the only node */
static void interleave__one_node_counts_interleave_hit(void **state)
{
	(void)state;
	struct machine *m = boot(NULL, 0);
	assert_int_equal(mempolicy_set(m, MPOL_INTERLEAVE, 0x1, true), 0);
	uint64_t ih = node_stat(m, 0, NUMA_INTERLEAVE_HIT);
	for (int i = 0; i < 3; i++)
		assert_int_equal(next_nid(m, "GFP_KERNEL"), 0);
	assert_int_equal(node_stat(m, 0, NUMA_INTERLEAVE_HIT) - ih, 3);
	/* nodes that are not online are dropped (mpol_set_nodemask()) */
	assert_int_equal(mempolicy_set(m, MPOL_BIND, 0x2, true), -EINVAL);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interleave__alloc_pages_round_robin_from_the_first_node),
		cmocka_unit_test(interleave__page_from_another_node_is_no_interleave_hit),
		cmocka_unit_test(interleave__skips_nodes_outside_the_mask),
		cmocka_unit_test(bind__restricts_only_allocations_up_to_policy_zone),
		cmocka_unit_test(bind__atomic_ignores_the_nodemask_when_the_nodes_are_full),
		cmocka_unit_test(preferred__first_node_then_the_zonelist),
		cmocka_unit_test(set_mempolicy__checks_as_mpol_new),
		cmocka_unit_test(interleave__page_cache_by_il_prev_anon_by_offset),
		cmocka_unit_test(interleave__vmalloc_bulk_splits_each_request),
		cmocka_unit_test(interleave__one_node_counts_interleave_hit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
