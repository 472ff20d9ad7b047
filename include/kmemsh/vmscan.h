/*
 * vmscan.h - memory pressure: the users of memory that reclaim can take
 * back (page cache and the anonymous memory of simulated tasks, on the LRU
 * lists), swap, kswapd, direct reclaim and the OOM killer.
 *
 * Kernel files followed (per profile): mm/vmscan.c (shrink_node/shrink_zone,
 * shrink_lruvec, shrink_active_list, shrink_inactive_list, get_scan_count,
 * do_try_to_free_pages, balance_pgdat, wakeup_kswapd), mm/swap.c (the LRU
 * lists), mm/page_alloc.c (__alloc_pages_slowpath's retry rules,
 * should_reclaim_retry, __alloc_pages_may_oom), mm/oom_kill.c (oom_badness
 * or 2.6.32's badness(), select_bad_process, dump_header, dump_tasks,
 * __oom_kill_process), mm/show_mem.c and 2.6.32 lib/show_mem.c +
 * mm/page_alloc.c show_free_areas() (the Mem-Info report),
 * fs/drop_caches.c and mm/show_mem.c: si_mem_available().
 *
 * The state is a plain struct hung off the machine (m->vm, NULL until the
 * first user of memory appears); views read it.  Only the files of
 * reclaim (lru.c, filemap.c, anon.c, vmscan.c, slowpath.c, list_lru.c) and
 * oom_kill.c change it.
 */
#ifndef KMEMSH_VMSCAN_H
#define KMEMSH_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* enum lru_list (include/linux/mmzone.h), the evictable lists */
enum lru_list { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, NR_LRU_LISTS };

#define DEF_PRIORITY 12                 /* mm/vmscan.c (include/linux/mmzone.h) */
#define SWAP_CLUSTER_MAX 32u            /* include/linux/swap.h */
#define MAX_RECLAIM_RETRIES 16          /* mm/internal.h (6.13) */
#define PAGE_ALLOC_COSTLY_ORDER 3       /* include/linux/mmzone.h */
#define OOM_SCORE_ADJ_MIN (-1000)       /* include/uapi/linux/oom.h */
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_DISABLE (-17)               /* 2.6.32 oom_adj */
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15
#define VM_TASKS_MAX 64
#define VM_FILES_MAX 64

/* One page on an LRU list: page cache of a file or anon memory of a task. */
struct lru_page {
	uint32_t next, prev;            /* towards the tail (older) / the head (newer) */
	uint64_t pfn;
	int16_t task;                   /* anon: the owner's index in tasks[]; file: -1 */
	int16_t file;                   /* file: index in files[]; anon: -1 */
	uint8_t lru, zone;
	bool dirty;
};

struct lru_head {
	uint32_t head, tail;            /* head: newest (list_add), tail: reclaimed first */
	uint64_t nr;
};

/* A simulated process: its anonymous memory (one private writable area). */
struct vm_task {
	char comm[16];                  /* TASK_COMM_LEN */
	int pid;
	int oom_score_adj;              /* 6.13; 2.6.32: oom_adj */
	bool alive;
	/* tsk_is_oom_victim() (6.x: signal->oom_mm set by mark_oom_victim();
	 * 2.6.32: TIF_MEMDIE): the OOM killer chose the task while it was
	 * faulting memory in; its memory goes back when it exits, at the end
	 * of that fault */
	bool oom_victim;
	uint64_t start_s;               /* start time in seconds of uptime (2.6.32 badness()) */
	uint64_t total_vm;              /* pages of the area (mm->total_vm) */
	uint64_t anon_rss;              /* MM_ANONPAGES */
	uint64_t swapents;              /* MM_SWAPENTS */
	struct task_mpol mpol;          /* the shell's policy at fork (copy_process(): mpol_dup()) */
};

/* /proc/vmstat event counters this model keeps (mm/vmstat.c names) */
struct vm_events {
	uint64_t pgscan_kswapd, pgscan_direct, pgsteal_kswapd, pgsteal_direct;
	uint64_t pgscan_anon, pgscan_file, pgsteal_anon, pgsteal_file;
	uint64_t pgdeactivate, pgrotated, pswpin, pswpout, nr_vmscan_write;
	uint64_t allocstall[MAX_NR_ZONES_MODEL];   /* 6.13 per zone; 2.6.32 uses [0] */
	/* 2.6.32 counts per zone: pgsteal_<zone>, pgscan_kswapd_<zone>, pgscan_direct_<zone> */
	uint64_t pgsteal_z[MAX_ZONES_MODEL], pgscan_kswapd_z[MAX_ZONES_MODEL], pgscan_direct_z[MAX_ZONES_MODEL];
	uint64_t vmscan_write_z[MAX_ZONES_MODEL];       /* 2.6.32 zone NR_VMSCAN_WRITE */
	uint64_t pageoutrun, kswapd_wakeups, oom_kill, drop_pagecache, drop_slab;
	uint64_t zone_reclaim_failed;   /* node_reclaim() that fell short (PGSCAN_ZONE_RECLAIM_FAILED) */
	/* pgrefill: active-list pages scanned (6.13 total, 2.6.32 per zone);
	 * pgfault: anon pages faulted in; pgread: pages read into the page
	 * cache (pgpgin counts them in kB); nr_dirtied: pages written dirty */
	uint64_t pgrefill, pgrefill_z[MAX_NR_ZONES_MODEL], pgfault, pgread, nr_dirtied;
	uint64_t slabs_scanned;         /* objects the shrinkers were asked to scan */
};

/* ---- shrinkers ------------------------------------------------------------------ */

/*
 * A shrinker (include/linux/shrinker.h; 6.13 mm/shrinker.c, 2.6.32
 * mm/vmscan.c): a cache that can give memory back registers
 * count_objects() and scan_objects() in the one registry
 * (m->shrinkers, in registration order), and shrink_slab() (shrinker.c)
 * asks each one with the profile's formula: 6.13 do_shrink_slab() at a
 * priority, 2.6.32's shrink_slab() from the pages reclaim scanned.  It is
 * called from drop_caches 2 (drop_slab()) and after the LRU lists in
 * each round of direct reclaim, kswapd and node_reclaim.  The registered
 * ones: 6.13's vmap-node shrinker (vmalloc_init()), and the shrinkable
 * caches' (list_lru.c): a SLAB_RECLAIM_ACCOUNT cache's own, the
 * superblock's over the dentry and inode caches (6.x), 2.6.32's dcache and
 * icache shrinkers.  The owner keeps the struct; shrinker_alloc()'s own
 * kzalloc()s (the struct, nr_deferred) are not modelled, as none of the
 * kernel's other boot-time shrinkers is.
 */
#define SHRINK_STOP (~0ul - 1)          /* include/linux/shrinker.h */
#define SHRINK_EMPTY (~0ul - 2)
#define DEFAULT_SEEKS 2
#define SHRINK_BATCH 128                /* mm/shrinker.c (6.13), mm/vmscan.c (2.6.32) */

struct shrink_control {
	gfp_t gfp_mask;
	unsigned long nr_to_scan, nr_scanned;
	int priority;                   /* ours: the caller's, for the change log */
	int nid;                        /* the node shrink_slab() was called for (6.x: every
					 * shrinker sees it; 2.6.32 has none: 0) */
	void *private_data;             /* ours: the shrinker's (the kernel passes the shrinker) */
};

struct shrinker {
	const char *name;
	unsigned long (*count_objects)(struct machine *m, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct machine *m, struct shrink_control *sc);
	int seeks;                      /* shrinker_alloc(): DEFAULT_SEEKS */
	unsigned long batch;            /* 0: SHRINK_BATCH (2.6.32 has no batch: always SHRINK_BATCH) */
	unsigned flags;                 /* SHRINKER_NUMA_AWARE or 0 (shrinker_alloc()'s flags) */
	/* shrinker_alloc(): one counter per node for SHRINKER_NUMA_AWARE
	 * (nr_node_ids of them), else one: [0] (6.13 xchg_nr_deferred() /
	 * add_nr_deferred() use nid 0 for a shrinker that is not NUMA-aware;
	 * 2.6.32 shrinker->nr) */
	unsigned long nr_deferred[MAX_NUMNODES_MODEL];
	void *private_data;
	uint64_t calls;                 /* ours: do_shrink_slab() calls that counted objects */
};

/* shrinker_alloc() + shrinker_register() (seeks = DEFAULT_SEEKS unless
 * set): 0, or -ENOSPC when MACHINE_SHRINKERS_MAX are registered;
 * shrinker_free(): unregister (nothing when it is not registered) */
int shrinker_register(struct machine *m, struct shrinker *s);
void shrinker_free(struct machine *m, struct shrinker *s);

/* What one shrink_slab() did: objects asked to scan (SLABS_SCANNED) and
 * freed (scan_objects()' answers), the kernel's own return value (6.13:
 * the objects freed; 2.6.32: the drops of the shrinkers' counts, which is
 * what its drop_slab() loop tests), and the slab pages given back meanwhile
 * (reclaim_state->reclaimed_slab: every slab page __free_slab() frees). */
struct shrink_result {
	uint64_t scanned, freed, ret, pages;
};
/* include/linux/shrinker.h: count and scan per NUMA node */
#define SHRINKER_NUMA_AWARE (1u << 2)
/* shrink_slab(): every registered shrinker in order, with the profile's
 * formula: 6.13 at `priority` for node nid (shrink_slab(gfp, nid, memcg,
 * priority)); 2.6.32 from `scanned` pages of `lru_pages` (0 scanned
 * counts as SWAP_CLUSTER_MAX; nid is not used).  Adds to *res. */
void shrink_slab(struct machine *m, gfp_t gfp, int nid, int priority, uint64_t scanned, uint64_t lru_pages,
		 struct shrink_result *res);
/* shrink_slab(GFP_KERNEL) at this priority: the objects freed */
unsigned long vmscan_shrink_slab(struct machine *m, int priority);

#define VM_SHRINKERS_MAX 16

/* One node's list of a list_lru (struct list_lru_one), oldest first:
 * obj[head .. head + n) */
struct vm_list_lru_one {
	uint64_t *obj;
	uint64_t head, n, cap;
};

/* A list_lru (mm/list_lru.c) of one slab cache's unused objects: one list
 * per node (lru->node[nid]), each object on the list of its slab page's
 * node (list_lru_add_obj(): page_to_nid(virt_to_page(item))); n is
 * list_lru_count(), the sum over the nodes */
struct vm_list_lru {
	int cache;                      /* the slab cache; -1: none */
	struct vm_list_lru_one node[MAX_NUMNODES_MODEL];
	uint64_t n;
};

/* What a shrinkable cache's shrinker is (list_lru.c):
 * VM_SHR_CACHE   a SLAB_RECLAIM_ACCOUNT cache's own shrinker over one list_lru;
 * VM_SHR_SB      6.x: the superblock's (fs/super.c super_cache_count/scan) over
 *                the dentry list_lru (lru[0]) and the inode one (lru[1]). */
enum vm_shrinker_kind { VM_SHR_NONE, VM_SHR_CACHE, VM_SHR_SB };

/* A shrinker over cached objects on list_lrus, registered in the one
 * registry (m->shrinkers) as every other shrinker is. */
struct vm_shrinker {
	struct shrinker shrinker;       /* in m->shrinkers while kind != VM_SHR_NONE */
	enum vm_shrinker_kind kind;     /* VM_SHR_NONE: a free slot */
	struct vm_list_lru lru[2];
};

struct vm_state {
	struct vm_shrinker shrinker[VM_SHRINKERS_MAX];
	unsigned nshrinker;
	struct lru_page *pg;            /* records; a free record has lru == 0xff */
	uint32_t npg, cap, free_rec;    /* free_rec: a free list through next */
	struct lru_head lru[MAX_ZONES_MODEL][NR_LRU_LISTS];
	uint64_t nr_dirty[MAX_ZONES_MODEL];      /* NR_FILE_DIRTY per zone */
	/* the scan balance's history, per zone (the model's lruvec), [0] anon,
	 * [1] file: 6.x lruvec->anon_cost/file_cost (lru_note_cost()), 2.6.32
	 * zone->reclaim_stat.recent_scanned (get_scan_count() in vmscan.c) */
	uint64_t scan_cost[MAX_ZONES_MODEL][2];
	uint64_t recent_scanned[MAX_ZONES_MODEL][2];

	struct vm_task task[VM_TASKS_MAX];
	unsigned ntask;
	int next_pid;
	int current;                    /* the task whose call runs (anon), -1: the shell */
	char file[VM_FILES_MAX][32];
	unsigned nfile;

	uint64_t swap_total, swap_used; /* pages: total_swap_pages, minus nr_swap_pages */
	bool swapoff_running;           /* swapoff empties the area: nothing new goes to it */

	/* kswapdN, one per node (pgdat->kswapd_order, kswapd_highest_zoneidx,
	 * kswapd_failures): woken by the slow path, runs after the step
	 * (vmscan_kswapd_pending); classzone is a zone type (an index inside
	 * the node) */
	bool kswapd_woken[MAX_NUMNODES_MODEL];
	unsigned kswapd_order[MAX_NUMNODES_MODEL];
	int kswapd_classzone[MAX_NUMNODES_MODEL];
	unsigned kswapd_failures[MAX_NUMNODES_MODEL];
	bool drop_caches_said;
	bool no_fill_skip;              /* tests: read every page of a fill (filemap.c) */
	uint64_t fill_skipped;          /* pages of fills skipped as whole periods */
	/* dirty pages kswapd's boosted reclaim kept (moved to the inactive
	 * head, unwritten): while such pages are dirty, the LRU order matters
	 * to what reclaim does next, and a fill does not skip (filemap.c) */
	uint64_t boost_dirty_kept;
	int quiet_depth;                /* bulk fills log no per-page events (lru.c) */
	bool log_on;                    /* the step's log setting under them */          /* 6.13 drop_caches_sysctl_handler()'s stfu */

	enum vm_retry last_why;         /* why the last vmscan_slowpath() gave up */
	struct vm_events ev;
	/* the GFP bits the retry rules read, resolved from the profile's names
	 * once (0 when the profile has no such flag) */
	uint32_t gfp_noretry, gfp_retry_mayfail, gfp_nofail, gfp_repeat, gfp_thisnode, gfp_io;
};

/* The state, created on first use (NULL only when out of host memory). */
struct vm_state *vmscan_state(struct machine *m);
void vmscan_destroy(struct machine *m);

/* ---- memory users (filemap.c, anon.c) ------------------------------------------------ */

/* Read (clean) or write (dirty) SIZE bytes of FILE into the page cache:
 * pages allocated one by one as the page-cache paths do and added to the
 * inactive file list.  *added pages went in; on a failure part may have.
 * 0, -ENOMEM (m->err), -EINVAL (bad name), -ENOSPC (too many files). */
int vmscan_pagecache(struct machine *m, const char *file, uint64_t pages, bool dirty, uint64_t *added);

/* fork+exec of a task NAME: 0, -EEXIST, -EINVAL (bad name or adj), -ENOSPC */
int vmscan_task_create(struct machine *m, const char *name, int oom_adj);
int vmscan_task_find(const struct machine *m, const char *name);
/* The task faults in `pages` pages of anonymous memory.  0, -ENOMEM (the
 * allocation failed or the task itself was OOM-killed: m->err), -ESRCH. */
int vmscan_anon(struct machine *m, int task, uint64_t pages, uint64_t *added);
/* exit(): the task's memory is freed; *freed pages went back. */
int vmscan_task_exit(struct machine *m, int task, uint64_t *freed);

/* get_scan_count() (6.x) / shrink_zone() + get_scan_ratio() (2.6.32): how
 * many pages of each of zone z's lists reclaim scans at priority, from
 * the list sizes, free swap, vm.swappiness and the zone's scan history
 * (2.6.32 halves recent_scanned here as the kernel does) */
void vmscan_get_scan_count(struct machine *m, int z, int priority, uint64_t nr[NR_LRU_LISTS]);

/* ---- shrinkable caches (list_lru.c) ----------------------------------------- */

/* Allocate n objects of a SLAB_RECLAIM_ACCOUNT cache, unused, onto the
 * list_lru of their shrinker, registering it on first use: the dentry
 * and inode caches' (6.x) go to the superblock's shrinker, any other
 * cache's to a shrinker of its own.  *added objects went in.
 * 0, -EINVAL (not such a cache: m->err), -ENOSPC (too many shrinkers),
 * -ENOMEM (the allocation failed: m->err). */
int vmscan_shrinkable_add(struct machine *m, int cache, uint64_t n, uint64_t *added);
/* shrink_slab() as reclaim calls it (GFP_KERNEL), its step logged: 6.13
 * at `priority`, 2.6.32 with the pages scanned and the LRU pages; the slab
 * pages freed */
uint64_t vmscan_shrink_slab_caches(struct machine *m, int priority, uint64_t scanned, uint64_t lru_pages);
/* the objects of cache on a shrinker's list_lru (0: none) */
uint64_t vmscan_shrinkable_count(const struct machine *m, int cache);
/* the objects of cache on node nid's list (list_lru_count_node()) */
uint64_t vmscan_shrinkable_count_node(const struct machine *m, int cache, unsigned nid);
/* the list_lru holding cache's objects (NULL: none), and its shrinker */
const struct vm_list_lru *vmscan_shrinkable_lru(const struct machine *m, int cache, const struct shrinker **s);
/* whether a shrinker owns the object at addr of cache (kfree would pull it
 * from under its list_lru) */
bool vmscan_shrinker_owns(const struct machine *m, int cache, uint64_t addr);

/* drop_caches (fs/drop_caches.c): 1 page cache, 2 slab, 3 both. 0 or -EINVAL. */
int vmscan_drop_caches(struct machine *m, int what, uint64_t *dropped);

/* swapon / swapoff (one swap area).  swapoff brings every swapped page
 * back (try_to_unuse): -ENOMEM if memory runs out (nothing changed). */
int vmscan_swapon(struct machine *m, uint64_t pages);
int vmscan_swapoff(struct machine *m);

/* ---- reclaim ------------------------------------------------------------------- */

/* kswapd: the slow path wakes the kswapd of each node of its zonelist
 * (wake_all_kswapds() -> wakeup_kswapd(); classzone is the zone type
 * highest_zoneidx, the zonelist m->ac_nid's); the shell runs them after
 * the step.  vmscan_kswapd_run(force, nid) runs balance_pgdat now for node
 * nid, or for every node (woken ones, or all with force) with nid < 0;
 * *reclaimed pages; returns how many kswapds ran. */
/* node_reclaim() for vm.zone_reclaim_mode: reclaim node nid's clean page
 * cache before the allocator leaves a zone of it below its watermark;
 * NODE_RECLAIM_NOSCAN -2, _FULL -1, _SOME 0, _SUCCESS 1 */
int vmscan_node_reclaim(struct machine *m, unsigned nid, gfp_t gfp, unsigned order);
/* gfp: wakeup_kswapd()'s gfp_flags (without __GFP_DIRECT_RECLAIM a balanced
 * node wakes kcompactd instead) */
void vmscan_wakeup_kswapd(struct machine *m, gfp_t gfp, unsigned order, int classzone);
/* rmqueue()'s wakeup_kswapd(zone, 0, 0, zone_idx(zone)) for zone z, whose
 * watermark a fallback boosted (6.x) */
void vmscan_wakeup_kswapd_boosted(struct machine *m, int z);
int vmscan_kswapd_pending(struct machine *m);
int vmscan_kswapd_run(struct machine *m, bool force, int nid, uint64_t *reclaimed);

/* The part of __alloc_pages_slowpath() after the min watermark failed for a
 * caller that may sleep: direct reclaim, the retry rules and the OOM killer.
 * The allocation itself is retried through the callback.  ~0 when it fails
 * (m->err says why when the kernel would give up quietly). */
/* try_compact (NULL: none) is __alloc_pages_direct_compact(), tried after
 * each direct reclaim that did not make the allocation succeed. */
typedef uint64_t (*vmscan_alloc_fn)(struct machine *m, void *ctx, unsigned alloc_flags, int *zone);
/* The slow path's compaction state (6.13): the last direct compaction's
 * result, compact_priority and compaction_retries; NULL on 2.6.32. */
struct compact_retry {
	int result;                     /* enum compact_result */
	int prio;                       /* enum compact_priority */
	int retries;
};
uint64_t vmscan_slowpath(struct machine *m, gfp_t gfp, unsigned order, int classzone, unsigned alloc_flags,
			 vmscan_alloc_fn try_alloc, vmscan_alloc_fn try_compact, void *ctx, struct compact_retry *cr,
			 int *zone);
/* 6.13 mm/page_alloc.c should_compact_retry(): whether to retry after a
 * direct compaction that did not give the page (it may raise *prio and
 * count *retries); only after reclaim made progress. */
bool vmscan_should_compact_retry(const struct machine *m, unsigned order, int classzone, struct compact_retry *cr);

/* __GFP_NOFAIL for a PF_MEMALLOC task, which does not enter direct reclaim:
 * 6.x nopage: tries __alloc_pages_cpuset_fallback(ALLOC_MIN_RESERVE) with
 * try_alloc, then "goto retry" for ever (the one-task model frees nothing
 * meanwhile); 2.6.32 __alloc_pages_high_priority() loops (try_alloc NULL).
 * The pfn, or ~0 with VR_LOOP recorded as the reason.  vmscan_gfp_nofail():
 * whether gfp has __GFP_NOFAIL. */
bool vmscan_gfp_nofail(const struct machine *m, gfp_t gfp);
uint64_t vmscan_nofail_loop(struct machine *m, vmscan_alloc_fn try_alloc, void *ctx, int *zone);

/* After vmscan_slowpath() failed: whether the kernel reaches warn_alloc()
 * (not after a panic, an endless retry or the caller's own OOM kill). */
bool vmscan_nopage_warns(const struct machine *m);
/* current->comm and its pid: the task faulting memory in, else the shell */
const char *vmscan_current(const struct machine *m, int *pid);

/* Figures readers share: pages on LRU lists, dirty, swap, anon. */
uint64_t vmscan_lru_pages(const struct machine *m, int zone, enum lru_list lru);   /* zone -1: all */
uint64_t vmscan_nr_dirty(const struct machine *m, int zone);
uint64_t vmscan_file_pages(const struct machine *m);                              /* NR_FILE_PAGES */
uint64_t vmscan_committed(const struct machine *m);                               /* Committed_AS pages */

/* si_mem_available() (6.13 mm/show_mem.c), in pages, from its inputs: */
int64_t vmscan_si_mem_available(uint64_t free_pages, uint64_t totalreserve, uint64_t wmark_low_sum,
				uint64_t file_lru, uint64_t slab_reclaimable);

/* The invariant checker: LRU lists against the records, PG_lru flags,
 * task counts.  0 or -EUCLEAN (m->err). */
int vmscan_check(struct machine *m);

/* ---- the OOM killer and the Mem-Info report (oom_kill.c) ----------------------- */

/* mm/oom_kill.c 6.13 oom_badness(): LONG_MIN as INT64_MIN when not killable */
int64_t oom_badness(const struct vm_task *t, uint64_t pgtables_pages, uint64_t totalpages);
/* 2.6.32 badness(): total_vm, root's /16, run time, oom_adj shifts */
uint64_t oom_badness_2632(const struct vm_task *t, uint64_t uptime_s);
/* mm_pgtables_bytes() of a task's one area, as the profile's tables map it */
uint64_t oom_pgtables_bytes(const struct machine *m, const struct vm_task *t);
/* select_bad_process(): a task index, or -1 */
int oom_select_bad_process(const struct machine *m);
/* out_of_memory(): reports in dmesg, kills the victim.  1 = killed (or
 * progress pretended), 0 = nothing to kill (the kernel panics). */
int oom_out_of_memory(struct machine *m, gfp_t gfp, unsigned order, int classzone, int *victim);
/* show_mem() in the profile's format, zones above max_zone skipped (6.13) */
void oom_show_mem(struct machine *m, int max_zone);
/* 2.6.32 zone_batchsize() + setup_pageset(): the pcp high and batch */
void vmscan_pcp_2632(const struct machine *m, const struct zone *z, long long *high, long long *batch);
/* totalreserve_pages (mm/page_alloc.c calculate_totalreserve_pages()) */
uint64_t vmscan_totalreserve_pages(const struct machine *m);

#endif
