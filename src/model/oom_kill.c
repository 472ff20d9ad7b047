/*
 * oom_kill.c - the OOM killer and the kernel's Mem-Info report.
 *
 * When reclaim cannot free memory for an allocation that may not fail
 * quietly, the kernel picks the task whose death frees the most memory
 * (oom_badness(): its resident and swapped pages and page tables, moved by
 * oom_score_adj in thousandths of memory; 2.6.32's badness(): the task's
 * virtual size, shrunk for root, long-running and CPU-heavy tasks and
 * shifted by oom_adj), writes a report to the kernel log and kills it;
 * its memory goes back at once (exit and the OOM reaper).
 *
 * Followed: Linux 6.13 mm/oom_kill.c (oom_badness, oom_evaluate_task,
 * dump_header, dump_task(s), dump_oom_victim, __oom_kill_process,
 * out_of_memory, oom_reap_task_mm's message) and mm/show_mem.c
 * (__show_mem, show_free_areas; mm/swap_state.c show_swap_cache_info);
 * 2.6.32 mm/oom_kill.c (badness, select_bad_process, oom_kill_process,
 * dump_tasks with vm.oom_dump_tasks, off by default), lib/show_mem.c and
 * mm/page_alloc.c show_free_areas().  Kernel configuration as the model's
 * other reports assume it: CONFIG_NUMA, CONFIG_CPUSETS and CONFIG_MEMCG on
 * x86_64 6.13 ("Node 0 ", cpuset=/, global_oom), THP built in, no CMA,
 * MEMORY_FAILURE only on 6.1 (as meminfo's HardwareCorrupted line); 2.6.32
 * without NUMA.  Not modelled: the "Unreclaimable slab info" table
 * (should_dump_unreclaim_slab()).
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/pcp.h"
#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

#define K(x) ((unsigned long long)(x) << 2)

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

uint64_t oom_pgtables_bytes(const struct machine *m, const struct vm_task *t)
{
	/* mm_pgtables_bytes(): the PTE, PMD and PUD tables counted by
	 * mm_inc_nr_ptes/pmds/puds() (folded levels count nothing), for one
	 * area of total_vm pages starting on a table boundary */
	uint64_t n = t->total_vm;
	if (!n)
		return 0;
	uint64_t tables;
	unsigned levels = m->arch->pgtable_levels;
	if (levels == 2) {
		tables = div_up(n, 1024);
	} else if (levels == 3) {
		/* PAE: the four PMDs pgd_alloc() preallocates are counted */
		tables = div_up(n, 512) + 4;
	} else {
		tables = div_up(n, 512) + div_up(n, 512ull * 512) + div_up(n, 512ull * 512 * 512);
	}
	return tables << 12;
}

int64_t oom_badness(const struct vm_task *t, uint64_t pgtables_pages, uint64_t totalpages)
{
	/* 6.13 oom_badness() */
	if (!t->alive || t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return INT64_MIN;
	int64_t points = (int64_t)(t->anon_rss + t->swapents + pgtables_pages);
	int64_t adj = t->oom_score_adj;
	adj *= (int64_t)(totalpages / 1000);
	return points + adj;
}

uint64_t oom_badness_2632(const struct vm_task *t, uint64_t uptime_s)
{
	/* 2.6.32 badness(): no children, no CPU time in the model; every task
	 * runs as root (CAP_SYS_ADMIN: / 4, CAP_SYS_RAWIO: / 4) on the one node */
	if (!t->alive || t->oom_score_adj == OOM_DISABLE)
		return 0;
	uint64_t points = t->total_vm;
	uint64_t run_time = uptime_s >= t->start_s ? (uptime_s - t->start_s) >> 10 : 0;
	if (run_time)
		points /= int_sqrt(int_sqrt(run_time));
	points /= 4;
	points /= 4;
	int adj = t->oom_score_adj;
	if (adj > 0) {
		if (!points)
			points = 1;
		points <<= adj;
	} else if (adj < 0) {
		points >>= -adj;
	}
	return points;
}

static uint64_t totalpages(const struct machine *m)
{
	/* oom_control.totalpages for CONSTRAINT_NONE: totalram + total_swap_pages */
	return m->totalram_pages + (m->vm ? m->vm->swap_total : 0);
}

int oom_select_bad_process(const struct machine *m)
{
	const struct vm_state *v = m->vm;
	if (!v)
		return -1;
	int chosen = -1;
	if (m->kp->kv == KV_2_6_32) {
		/* select_bad_process(): the first task with the most points;
		 * a task with 0 points is chosen when none was yet */
		uint64_t best = 0, up = m->clock_us / 1000000;
		for (unsigned t = 0; t < v->ntask; t++) {
			const struct vm_task *k = &v->task[t];
			if (!k->alive || k->oom_score_adj == OOM_DISABLE)
				continue;
			uint64_t p = oom_badness_2632(k, up);
			if (p > best || chosen < 0) {
				chosen = (int)t;
				best = p;
			}
		}
		return chosen;
	}
	/* oom_evaluate_task(): a later task with equal points replaces the chosen
	 * one (points < chosen_points is skipped) */
	int64_t best = INT64_MIN;
	uint64_t total = totalpages(m);
	for (unsigned t = 0; t < v->ntask; t++) {
		const struct vm_task *k = &v->task[t];
		int64_t p = oom_badness(k, oom_pgtables_bytes(m, k) >> 12, total);
		if (p == INT64_MIN || p < best)
			continue;
		chosen = (int)t;
		best = p;
	}
	return chosen;
}

/* ---- show_mem ------------------------------------------------------------------ */

struct line {
	char buf[1024];
	size_t n;
};

static void lp(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lp(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (l->n < sizeof l->buf) {
		int r = vsnprintf(l->buf + l->n, sizeof l->buf - l->n, fmt, ap);
		if (r > 0)
			l->n += (size_t)r;
		if (l->n >= sizeof l->buf)
			l->n = sizeof l->buf - 1;
	}
	va_end(ap);
}

static uint64_t lru(const struct machine *m, int z, enum lru_list l)
{
	return vmscan_lru_pages(m, z, l);
}

static uint64_t total_free(const struct machine *m)
{
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += m->zones[z].free_pages;
	return n;
}

static void free_area_line(struct machine *m, int z, bool node, bool types)
{
	const struct zone *zn = &m->zones[z];
	struct line l = { .n = 0 };
	uint64_t total = 0;
	if (node)
		lp(&l, "Node %d ", zn->nid);
	lp(&l, "%s: ", zn->name);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		uint64_t n = free_area_nr_free(&zn->free_area[o]);
		total += n << o;
		lp(&l, "%llu*%llukB ", (unsigned long long)n, K(1ull << o));
		if (types && n) {
			/* show_migration_types(): U M E H I of the non-empty lists
			 * (types[] indexed by enum migratetype; without CONFIG_CMA,
			 * as the real Debian kernels' pagetypeinfo shows, Isolate
			 * follows HighAtomic) */
			static const char letters[] = "UMEHI";
			char t[8];
			int k = 0;
			for (int mt = 0; mt < MAX_MIGRATETYPES && mt < 5; mt++)
				if (zn->free_area[o].nr_mt[mt])
					t[k++] = letters[mt];
			t[k] = '\0';
			lp(&l, "(%s) ", t);
		}
	}
	lp(&l, "= %llukB", K(total));
	dmesg_printf(m, "%s", l.buf);
}

static void show_mem_13(struct machine *m, int max_zone)
{
	const struct vm_state *v = m->vm;
	uint64_t srec = m->slab ? m->slab->reclaimable_pages : 0, sun = m->slab ? m->slab->unreclaimable_pages : 0;
	uint64_t pt = m->pt ? m->pt->nr_counted : 0;
	uint64_t dirty = vmscan_nr_dirty(m, -1);
	dmesg_printf(m, "Mem-Info:");
	/* printk with embedded newlines: one log line each */
	dmesg_printf(m, "active_anon:%llu inactive_anon:%llu isolated_anon:0",
		     (unsigned long long)lru(m, -1, LRU_ACTIVE_ANON), (unsigned long long)lru(m, -1, LRU_INACTIVE_ANON));
	dmesg_printf(m, " active_file:%llu inactive_file:%llu isolated_file:0",
		     (unsigned long long)lru(m, -1, LRU_ACTIVE_FILE), (unsigned long long)lru(m, -1, LRU_INACTIVE_FILE));
	dmesg_printf(m, " unevictable:0 dirty:%llu writeback:0", (unsigned long long)dirty);
	dmesg_printf(m, " slab_reclaimable:%llu slab_unreclaimable:%llu", (unsigned long long)srec,
		     (unsigned long long)sun);
	dmesg_printf(m, " mapped:0 shmem:0 pagetables:%llu", (unsigned long long)pt);
	dmesg_printf(m, " sec_pagetables:0 bounce:0");
	dmesg_printf(m, " kernel_misc_reclaimable:0");
	/* show_free_areas(): free_pcp sums every CPU's pcp->count */
	dmesg_printf(m, " free:%llu free_pcp:%llu free_cma:0", (unsigned long long)total_free(m),
		     (unsigned long long)pcp_zone_pages(m, -1));
	/* show_free_areas(): each node's line (with more than one node its
	 * own LRU pages; page tables and the rest are counted on node 0) */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t aa = 0, ia = 0, af = 0, inf = 0, d = 0;
		if (m->nr_nodes == 1) {
			aa = lru(m, -1, LRU_ACTIVE_ANON), ia = lru(m, -1, LRU_INACTIVE_ANON);
			af = lru(m, -1, LRU_ACTIVE_FILE), inf = lru(m, -1, LRU_INACTIVE_FILE), d = dirty;
		} else {
			for (int z = (int)nid * m->nr_node_zones; z < (int)(nid + 1) * m->nr_node_zones; z++) {
				aa += lru(m, z, LRU_ACTIVE_ANON), ia += lru(m, z, LRU_INACTIVE_ANON);
				af += lru(m, z, LRU_ACTIVE_FILE), inf += lru(m, z, LRU_INACTIVE_FILE);
				d += vmscan_nr_dirty(m, z);
			}
		}
		dmesg_printf(m, "Node %u active_anon:%llukB inactive_anon:%llukB active_file:%llukB inactive_file:%llukB "
			     "unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:%llukB writeback:0kB "
			     "shmem:0kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:0kB "
			     "pagetables:%llukB sec_pagetables:0kB all_unreclaimable? %s", nid,
			     K(aa), K(ia), K(af), K(inf), K(d), nid ? 0 : K(pt),
			     v && v->kswapd_failures[nid] >= MAX_RECLAIM_RETRIES ? "yes" : "no");
	}
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->present || machine_zone_idx(m, zn) > max_zone)
			continue;
		/* show_free_areas(): " boost:%lukB", K(zone->watermark_boost), min/low/high
		 * as min_wmark_pages() etc., the boost included, and
		 * " reserved_highatomic:%luKB", K(zone->nr_reserved_highatomic) (6.13 and 6.1) */
		dmesg_printf(m, "Node %d %s free:%llukB boost:%llukB min:%llukB low:%llukB high:%llukB "
			     "reserved_highatomic:%lluKB active_anon:%llukB inactive_anon:%llukB active_file:%llukB "
			     "inactive_file:%llukB unevictable:0kB writepending:%llukB present:%llukB managed:%llukB "
			     "mlocked:0kB bounce:0kB free_pcp:%llukB local_pcp:%llukB free_cma:0kB",
			     zn->nid, zn->name, K(zn->free_pages), K(zn->watermark_boost), K(zn->wmark[WMARK_MIN]),
			     K(zn->wmark[WMARK_LOW]), K(zn->wmark[WMARK_HIGH]), K(zn->nr_reserved_highatomic),
			     K(lru(m, z, LRU_ACTIVE_ANON)), K(lru(m, z, LRU_INACTIVE_ANON)),
			     K(lru(m, z, LRU_ACTIVE_FILE)), K(lru(m, z, LRU_INACTIVE_FILE)), K(vmscan_nr_dirty(m, z)),
			     K(zn->present), K(zn->managed), K(pcp_zone_pages(m, z)),
			     K(pcp_cpu_pages(m, z, machine_this_cpu(m))));
		struct line l = { .n = 0 };
		lp(&l, "lowmem_reserve[]:");
		for (int j = 0; j < m->nr_node_zones; j++)
			lp(&l, " %llu", (unsigned long long)zn->lowmem_reserve[j]);
		dmesg_printf(m, "%s", l.buf);
	}
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present && machine_zone_idx(m, &m->zones[z]) <= max_zone)
			free_area_line(m, z, true, true);
	/* hugetlb_show_meminfo_node(): every hstate, per node (without
	 * hstates, --from: the two sizes boot registers) */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		const struct hugetlb_state *hs = &m->hugetlb;
		if (!hs->nr_hstates) {
			if (m->gbpages)
				dmesg_printf(m, "Node %u hugepages_total=0 hugepages_free=0 hugepages_surp=0 "
					     "hugepages_size=1048576kB", nid);
			dmesg_printf(m, "Node %u hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=%llukB",
				     nid, K(1ull << m->arch->pageblock_order));
		}
		for (unsigned i = 0; i < hs->nr_hstates; i++)
			dmesg_printf(m, "Node %u hugepages_total=%llu hugepages_free=%llu hugepages_surp=0 "
				     "hugepages_size=%llukB", nid, (unsigned long long)hs->h[i].nr_node[nid],
				     (unsigned long long)hs->h[i].free_node[nid], K(1ull << hs->h[i].order));
	}
	dmesg_printf(m, "%llu total pagecache pages", (unsigned long long)vmscan_file_pages(m));
	uint64_t st = v ? v->swap_total : 0, su = v ? v->swap_used : 0;
	dmesg_printf(m, "0 pages in swap cache");
	dmesg_printf(m, "Free swap  = %llukB", K(st - su));
	dmesg_printf(m, "Total swap = %llukB", K(st));
	uint64_t total = 0, reserved = 0, high = 0;
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->present)
			continue;
		total += zn->present;
		reserved += zn->present - zn->managed;
		if (zn->kind == ZK_HIGHMEM || zn->kind == ZK_MOVABLE)
			high += zn->present;
	}
	dmesg_printf(m, "%llu pages RAM", (unsigned long long)total);
	dmesg_printf(m, "%llu pages HighMem/MovableOnly", (unsigned long long)high);
	dmesg_printf(m, "%llu pages reserved", (unsigned long long)reserved);
	/* #ifdef CONFIG_MEMORY_FAILURE: Debian's 6.1 has it (its meminfo's
	 * HardwareCorrupted line), the 6.13 configuration modelled has not
	 * (view/proc.c's meminfo) */
	if (m->kp->kv == KV_6_1)
		dmesg_printf(m, "0 pages hwpoisoned");
}

/* 2.6.32 zone_batchsize() + setup_pageset(): hi 6 * batch, btch max(1, batch) */
void vmscan_pcp_2632(const struct machine *m, const struct zone *z, long long *high, long long *batch)
{
	unsigned long long b = z->present / 1024;
	if (b * 4096 > 512 * 1024)
		b = (512 * 1024) / 4096;
	b /= 4;
	if (b < 1)
		b = 1;
	unsigned long long s = b + b / 2;
	long long bt = (long long)(1ull << (kmemsh_fls64(s) - 1)) - 1;
	(void)m;
	*high = 6 * bt;
	*batch = bt < 1 ? 1 : bt;
}

static void show_mem_32(struct machine *m)
{
	const struct vm_state *v = m->vm;
	uint64_t srec = m->slab ? m->slab->reclaimable_pages : 0, sun = m->slab ? m->slab->unreclaimable_pages : 0;
	uint64_t pt = m->pt ? m->pt->nr_counted : 0;
	uint64_t dirty = vmscan_nr_dirty(m, -1);
	dmesg_printf(m, "Mem-Info:");
	for (int z = 0; z < m->nr_zones; z++) {
		if (!m->zones[z].present)
			continue;
		dmesg_printf(m, "%s per-cpu:", m->zones[z].name);
		/* 2.6.32 show_free_areas(): pcp.high, pcp.batch, pcp.count */
		for (unsigned c = 0; c < m->ncpus; c++) {
			const struct per_cpu_pages *p = pcp_of(m, z, c);
			long long hi, bt;
			vmscan_pcp_2632(m, &m->zones[z], &hi, &bt);
			dmesg_printf(m, "CPU %4u: hi:%5lld, btch:%4lld usd:%4d", c, p ? p->high : hi, p ? p->batch : bt,
				     p ? p->count : 0);
		}
	}
	dmesg_printf(m, "active_anon:%llu inactive_anon:%llu isolated_anon:0",
		     (unsigned long long)lru(m, -1, LRU_ACTIVE_ANON), (unsigned long long)lru(m, -1, LRU_INACTIVE_ANON));
	dmesg_printf(m, " active_file:%llu inactive_file:%llu isolated_file:0",
		     (unsigned long long)lru(m, -1, LRU_ACTIVE_FILE), (unsigned long long)lru(m, -1, LRU_INACTIVE_FILE));
	dmesg_printf(m, " unevictable:0 dirty:%llu writeback:0 unstable:0", (unsigned long long)dirty);
	dmesg_printf(m, " free:%llu slab_reclaimable:%llu slab_unreclaimable:%llu", (unsigned long long)total_free(m),
		     (unsigned long long)srec, (unsigned long long)sun);
	dmesg_printf(m, " mapped:0 shmem:0 pagetables:%llu bounce:0", (unsigned long long)pt);
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		if (!zn->present)
			continue;
		/* per-zone slab and page-table counts are not kept: the whole
		 * machine's go to the zone that holds them all on i386, Normal */
		bool normal = zn->kind == ZK_NORMAL;
		dmesg_printf(m, "%s free:%llukB min:%llukB low:%llukB high:%llukB active_anon:%llukB "
			     "inactive_anon:%llukB active_file:%llukB inactive_file:%llukB unevictable:0kB "
			     "isolated(anon):0kB isolated(file):0kB present:%llukB mlocked:0kB dirty:%llukB "
			     "writeback:0kB mapped:0kB shmem:0kB slab_reclaimable:%llukB slab_unreclaimable:%llukB "
			     "kernel_stack:0kB pagetables:%llukB unstable:0kB bounce:0kB writeback_tmp:0kB "
			     "pages_scanned:0 all_unreclaimable? no",
			     zn->name, K(zn->free_pages), K(zn->wmark[WMARK_MIN]), K(zn->wmark[WMARK_LOW]),
			     K(zn->wmark[WMARK_HIGH]), K(lru(m, z, LRU_ACTIVE_ANON)), K(lru(m, z, LRU_INACTIVE_ANON)),
			     K(lru(m, z, LRU_ACTIVE_FILE)), K(lru(m, z, LRU_INACTIVE_FILE)), K(zn->present),
			     K(vmscan_nr_dirty(m, z)), normal ? K(srec) : 0, normal ? K(sun) : 0, normal ? K(pt) : 0);
		struct line l = { .n = 0 };
		lp(&l, "lowmem_reserve[]:");
		for (int j = 0; j < m->nr_node_zones; j++)
			lp(&l, " %llu", (unsigned long long)zn->lowmem_reserve[j]);
		dmesg_printf(m, "%s", l.buf);
	}
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].present)
			free_area_line(m, z, false, false);
	dmesg_printf(m, "%llu total pagecache pages", (unsigned long long)vmscan_file_pages(m));
	/* show_swap_cache_info() */
	uint64_t st = v ? v->swap_total : 0, su = v ? v->swap_used : 0;
	uint64_t out = v ? v->ev.pswpout : 0, in = v ? v->ev.pswpin : 0;
	dmesg_printf(m, "0 pages in swap cache");
	dmesg_printf(m, "Swap cache stats: add %llu, delete %llu, find 0/0", (unsigned long long)out,
		     (unsigned long long)out);
	(void)in;
	dmesg_printf(m, "Free swap  = %llukB", K(st - su));
	dmesg_printf(m, "Total swap = %llukB", K(st));
	/* lib/show_mem.c: every valid pfn of the node; FLATMEM: all of them */
	uint64_t total = m->max_pfn, high = 0;
	for (int z = 0; z < m->nr_zones; z++)
		if (m->zones[z].kind == ZK_HIGHMEM)
			high += m->zones[z].spanned;
	dmesg_printf(m, "%llu pages RAM", (unsigned long long)total);
	if (m->arch->highmem)
		dmesg_printf(m, "%llu pages HighMem", (unsigned long long)high);
	/* PageReserved: every page never given to the buddy allocator;
	 * page_count 1: the head of each allocated block */
	dmesg_printf(m, "%llu pages reserved", (unsigned long long)(total - m->totalram_pages));
	dmesg_printf(m, "0 pages shared");
	dmesg_printf(m, "%llu pages non-shared", (unsigned long long)m->nr_alloc_blocks);
}

void oom_show_mem(struct machine *m, int max_zone)
{
	if (m->kp->kv == KV_2_6_32)
		show_mem_32(m);
	else
		show_mem_13(m, max_zone);
}

/* ---- out_of_memory ------------------------------------------------------------------ */

static void dump_stack_current(struct machine *m)
{
	const struct vm_state *v = m->vm;
	int cur = v ? v->current : -1;
	const char *comm = cur >= 0 ? v->task[cur].comm : "kmemsh";
	int pid = cur >= 0 ? v->task[cur].pid : 1;
	if (m->kp->kv == KV_2_6_32)
		dmesg_printf(m, "Pid: %d, comm: %.20s %s 2.6.32 #1", pid, comm, machine_print_tainted(m));
	else
		machine_dump_stack_info_task(m, machine_this_cpu(m), pid, comm);
}

static void dump_tasks_13(struct machine *m)
{
	const struct vm_state *v = m->vm;
	dmesg_printf(m, "Tasks state (memory values in pages):");
	dmesg_printf(m, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents "
		     "oom_score_adj name");
	for (unsigned t = 0; v && t < v->ntask; t++) {
		const struct vm_task *k = &v->task[t];
		if (!k->alive)
			continue;
		dmesg_printf(m, "[%7d] %5d %5d %8llu %8llu %8llu %8llu %9llu %8lld %8llu         %5d %s", k->pid, 0,
			     k->pid, (unsigned long long)k->total_vm, (unsigned long long)k->anon_rss,
			     (unsigned long long)k->anon_rss, 0ull, 0ull, (long long)oom_pgtables_bytes(m, k),
			     (unsigned long long)k->swapents, k->oom_score_adj, k->comm);
	}
}

int oom_out_of_memory(struct machine *m, gfp_t gfp, unsigned order, int classzone, int *victim)
{
	struct vm_state *v = vmscan_state(m);
	*victim = -1;
	if (!v)
		return 0;
	int cur = v->current;
	int cur_adj = cur >= 0 ? v->task[cur].oom_score_adj : 0;
	const char *comm = cur >= 0 ? v->task[cur].comm : "kmemsh";
	int chosen = oom_select_bad_process(m);
	char names[256];
	gfp_format(m->kp, gfp, names, sizeof names);
	bool old = m->kp->kv == KV_2_6_32;

	if (old) {
		if (chosen < 0) {
			dmesg_printf(m, "Kernel panic - not syncing: Out of memory and no killable processes...");
			return 0;
		}
		/* oom_kill_process(): the report, then the kill */
		struct vm_task *k = &v->task[chosen];
		uint64_t points = oom_badness_2632(k, m->clock_us / 1000000);
		/* "if (printk_ratelimit()) dump_header(...)": the state the
		 * nopage report shares (printk_ratelimit_state, 5*HZ, 10) */
		if (machine_ratelimit(m, &m->nopage_rs, 5000000, 10, "oom_kill_process")) {
			dmesg_printf(m, "%s invoked oom-killer: gfp_mask=0x%x, order=%u, oom_adj=%d", comm, gfp, order,
				     cur_adj);
			dmesg_printf(m, "%s cpuset=/ mems_allowed=0", comm);
			dump_stack_current(m);
			oom_show_mem(m, m->nr_zones - 1);
		}
		dmesg_printf(m, "Out of memory: kill process %d (%s) score %llu or a child", k->pid, k->comm,
			     (unsigned long long)points);
		dmesg_printf(m, "Killed process %d (%s)", k->pid, k->comm);
	} else {
		/* out_of_memory() with no victim: dump_header(), then the panic;
		 * oom_kill_process(): "if (__ratelimit(&oom_rs)) { dump_header(oc);
		 * dump_oom_victim(oc, victim); }" (oom_rs: 5*HZ, burst 10) */
		bool report = chosen < 0 || machine_ratelimit(m, &m->oom_rs, 5000000, 10, "oom_kill_process");
		if (report) {
			dmesg_printf(m, "%s invoked oom-killer: gfp_mask=%#x(%s), order=%u, oom_score_adj=%d", comm, gfp,
				     names, order, cur_adj);
			dump_stack_current(m);
			/* __show_mem(SHOW_MEM_FILTER_NODES, nodemask, gfp_zone(gfp_mask)) */
			oom_show_mem(m, classzone);
			dump_tasks_13(m);
		}
		if (chosen < 0) {
			dmesg_printf(m, "Out of memory and no killable processes...");
			dmesg_printf(m, "Kernel panic - not syncing: System is deadlocked on memory");
			return 0;
		}
		struct vm_task *k = &v->task[chosen];
		char mems[16];
		if (report)
			dmesg_printf(m, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=%s,"
				     "global_oom,task_memcg=/,task=%s,pid=%d,uid=0",
				     machine_mems_allowed(m, mems, sizeof mems), k->comm, k->pid);
		dmesg_printf(m, "Out of memory: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, file-rss:0kB, "
			     "shmem-rss:0kB, UID:0 pgtables:%llukB oom_score_adj:%d", k->pid, k->comm,
			     K(k->total_vm), K(k->anon_rss), (unsigned long long)(oom_pgtables_bytes(m, k) >> 10),
			     k->oom_score_adj);
	}
	struct vm_task *k = &v->task[chosen];
	int pid = k->pid;
	char victim_comm[16];
	snprintf(victim_comm, sizeof victim_comm, "%s", k->comm);
	v->ev.oom_kill++;
	uint64_t freed = 0;
	if (chosen == cur) {
		/* mark_oom_victim() (2.6.32: TIF_MEMDIE) on the allocating task
		 * itself: SIGKILL is pending, its memory goes back when it exits
		 * (exit_mmap()) on its way out of this fault; its allocation
		 * retries with the victim's reserves (slowpath.c).  6.x: the
		 * reaper's timer (OOM_REAPER_DELAY, 2 s) finds MMF_OOM_SKIP set by
		 * then and reports nothing. */
		k->oom_victim = true;
	} else {
		freed = vmscan_kill_task(m, chosen);
		if (!old)
			/* oom_reap_task_mm(): the anon memory torn down */
			dmesg_printf(m, "oom_reaper: reaped process %d (%s), now anon-rss:0kB, file-rss:0kB, "
				     "shmem-rss:0kB", pid, victim_comm);
	}
	*victim = chosen;
	bool on = v->quiet_depth ? v->log_on : m->log.enabled;
	if (on) {
		bool saved = m->log.enabled;
		m->log.enabled = true;
		changelog_add(m, &(struct change){ .kind = CH_OOM_KILL, .obj = (uint32_t)pid, .val = freed,
						   .mt = chosen == cur, .cache = (uint32_t)chosen });
		m->log.enabled = saved;
	}
	return 1;
}
