/*
 * machine.h - one simulated machine: its profiles, physical memory map,
 * zones with their buddy free lists, sysctls, dmesg and change log.
 *
 * struct machine is the core of the model (core.c): state every layer
 * reads and writes, and functions that call no allocator.  The page
 * allocator's own API, watermarks and sysctls included, is in buddy.h;
 * machine_create and machine_destroy (boot.c) are here because they make
 * and unmake the struct.
 *
 * Everything hangs off struct machine; there is no global state.  The model
 * never prints: it changes state, returns 0 or a negative errno, writes
 * kernel-style lines into the dmesg ring and appends events to the change
 * log.  view/ renders all of it.
 *
 * Scale: per-page descriptors (struct page, 16 bytes) exist only for
 * "chunks" (MAX_ORDER-aligned blocks of 1024 pages) that have been touched.
 * An untouched chunk of RAM is a free order-10 block that lives inside a
 * segment: one free-list entry standing for a run of such blocks.  A 1 TiB
 * machine therefore boots with a few segments instead of 2^28 pages.
 */
#ifndef KMEMSH_MACHINE_H
#define KMEMSH_MACHINE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/layout.h"
#include "kmemsh/memmap.h"
#include "kmemsh/profile.h"

#define CHUNK_SHIFT MAX_ORDER_MODEL
#define CHUNK_PAGES (1u << CHUNK_SHIFT)

/* List node ids: a pfn, or SEG_BIT | segment index.  NIL ends a list. */
#define NODE_NIL 0xffffffffu
#define NODE_SEG 0x80000000u

/* struct page flags (ours; named after the kernel's PG_* and PageBuddy). */
enum {
	PG_buddy = 1u << 0,     /* head of a free block on a free list */
	PG_reserved = 1u << 1,  /* never given to the buddy allocator */
	PG_head = 1u << 2,      /* head of an allocated block */
	PG_hole = 1u << 3,      /* not RAM (hole inside a touched chunk) */
	PG_comp = 1u << 4,      /* allocated with __GFP_COMP */
	PG_vmscan = 1u << 5,    /* with PG_lru: a page of reclaim's records (page cache or a
				 * task's anon page, vmscan.h): only reclaim (src/model/lru.c) frees it */
	PG_table = 1u << 6,     /* a page-table page (PageTable / ptdesc) */
	PG_lru = 1u << 7,       /* allocated head on an LRU list: a page of reclaim's records
				 * (with PG_vmscan), or a user page a Movable alloc_pages gave
				 * (buddy_set_page_lru); compaction may migrate the latter */
};

struct page {
	uint32_t next, prev;    /* free-list links while PG_buddy */
	uint32_t gfp;           /* allocated head: its gfp mask */
	uint8_t flags;
	uint8_t order;          /* free: buddy order; allocated head: order */
	uint8_t mt;             /* free: list migratetype; allocated: gfp's */
	uint8_t zone;           /* zone index */
};

/* A run of untouched, free, MAX_ORDER blocks on one free list. */
struct segment {
	uint32_t next, prev;
	uint64_t first_chunk;   /* chunk index (pfn >> CHUNK_SHIFT) of the run */
	uint64_t count;         /* blocks still in the run; 0 = dead */
	uint8_t zone, mt;
	bool descending;        /* list order: true = highest pfn first */
};

struct flist {
	uint32_t head, tail;
};

struct free_area {
	struct flist list[MAX_MIGRATETYPES];
	uint64_t nr_mt[MAX_MIGRATETYPES];       /* blocks per type */
	uint64_t nr_free;                       /* blocks of this order, all types (the kernel's
						 * free_area->nr_free; check holds it to nr_mt) */
};

static inline uint64_t free_area_nr_free(const struct free_area *a)
{
	return a->nr_free;
}

/* numastat's counters (mm/vmstat.c numa_stat_item, zone_statistics()) */
enum numa_stat_item { NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER,
		      NR_NUMA_STAT };

enum { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

struct zone {
	enum zone_kind kind;
	const char *name;
	int idx;                        /* index in machine->zones: node-major, the
					 * kernel's zone enum order inside a node */
	int nid;                        /* the node (pg_data_t) the zone belongs to */
	char label[16];                 /* views: the name, "1:Normal" with more than one node */
	uint64_t start_pfn, spanned, present, managed;
	uint64_t free_pages;            /* NR_FREE_PAGES */
	/* wmark_pages(): the kernel's _watermark[] plus watermark_boost, kept
	 * summed so that every reader compares with the effective mark; the
	 * unboosted mark is zone_raw_wmark() */
	uint64_t wmark[NR_WMARK];
	/* 6.x watermark boosting (buddy.c boost_watermark(), vmscan.c
	 * balance_pgdat()): pages added to every mark after a fragmenting
	 * fallback, until kswapd's boosted reclaim takes them off.  2.6.32 has
	 * none (0). */
	uint64_t watermark_boost;
	uint64_t lowmem_reserve[MAX_NR_ZONES_MODEL];
	uint64_t memmap_pages;          /* 2.6.32: pages used for memmap */
	uint64_t reserved_pages;        /* present - managed */
	struct free_area free_area[NR_ORDERS];
	/* bumped wherever a free_area's nr_free changes, so that a view can
	 * tell the zones whose buddyinfo a step left alone without reading it */
	uint64_t free_area_gen;
	uint64_t nr_pageblocks[MAX_MIGRATETYPES];
	uint64_t allocs, frees, fails;  /* counters for show zones */
	uint64_t numa_stat[NR_NUMA_STAT]; /* zone_statistics() (numa.c; with more than one node) */
	/* 6.x: the pages of the pageblocks set aside as MIGRATE_HIGHATOMIC
	 * (reserve_highatomic_pageblock(), buddy.c); 2.6.32 has none */
	uint64_t nr_reserved_highatomic;
	/* the watermarks as the order-0 shortcut of the watermark check
	 * compares them (watermark_ok() in buddy.c, zone_watermark_fast()'s
	 * first test): wmark[], or past any free count while the zone holds a
	 * highatomic reserve, whose free pages a caller without reserve rights
	 * may not count, so that the full __zone_watermark_ok() runs;
	 * zone_sync_fast_wmark() keeps them */
	uint64_t wmark_fast[NR_WMARK];
};

/* wmark_fast[] from wmark[] and the highatomic reserve: call after either
 * changes */
static inline void zone_sync_fast_wmark(struct zone *z)
{
	for (int i = 0; i < NR_WMARK; i++)
		z->wmark_fast[i] = z->nr_reserved_highatomic ? UINT64_MAX / 4 : z->wmark[i];
}

/* zone->watermark_boost = boost, with wmark[] (wmark_pages()) following */
static inline void zone_set_watermark_boost(struct zone *z, uint64_t boost)
{
	for (int i = 0; i < NR_WMARK; i++)
		z->wmark[i] = z->wmark[i] - z->watermark_boost + boost;
	z->watermark_boost = boost;
	zone_sync_fast_wmark(z);        /* the marks changed: the highatomic fast copy follows */
}

/* zone->_watermark[i]: the mark without the boost */
static inline uint64_t zone_raw_wmark(const struct zone *z, int i)
{
	return z->wmark[i] - z->watermark_boost;
}

/* Change log: what one step did, in order. */
enum change_kind {
	CH_TAKE,        /* block removed from a free list to be handed out */
	CH_SPLIT,       /* expand(): upper half put on a lower-order list */
	CH_MERGE,       /* block merged with its buddy */
	CH_PUT,         /* block added to a free list (after merging) */
	CH_MOVE,        /* free block moved to another migratetype list */
	CH_RETYPE,      /* pageblock migratetype changed */
	CH_FALLBACK,    /* migratetype fallback: took a block of another type */
	CH_ZONE_SKIP,   /* zone failed its watermark check (free, need; val = the highatomic
			 * pages not counted for this request: the reserve's free ones, or
			 * all of it, buddy_highatomic_unusable_whole_reserve()) */
	CH_ZONE_FALLBACK, /* zonelist moved on to a lower zone */
	CH_SLOWPATH,    /* entered the slow path with the min watermark */
	CH_ALLOC,       /* allocation succeeded */
	CH_FREE,        /* block freed */
	CH_WMARKS,      /* watermarks recomputed */
	CH_SLAB_NEW,    /* a new slab: pages from the buddy allocator */
	CH_SLAB_DISCARD,/* an empty slab given back to the buddy allocator */
	CH_SLAB_LIST,   /* a slab moved between lists (mt = enum slab_list from, mt2 = to) */
	CH_OBJ_ALLOC,   /* an object handed out */
	CH_OBJ_FREE,    /* an object freed */
	CH_SLAB_REFILL, /* SLAB: objects moved between slabs and a per-CPU array */
	CH_LARGE,       /* kmalloc above the largest cache: pages straight from the page allocator */
	CH_PT_ALLOC,    /* a page-table page allocated (pfn; order = depth; addr = first va it maps) */
	CH_PTE_SET,     /* an entry written (addr = va, order = depth, pfn = table, val = new, old) */
	CH_PTE_CLEAR,   /* an entry cleared (same fields) */
	CH_PT_SPLIT,    /* a large page split into a lower table (addr, order = depth, pfn = new table) */
	CH_TLB_FLUSH,   /* flush_tlb_kernel_range(addr, val) */
	CH_PT_FREE,     /* a page-table page freed (pfn; order = depth; addr = first va it mapped) */
	CH_VMAP_CLIP,   /* free vmap block [addr, val) cut by va_clip (mt = fit type) for [pfn, pfn2) */
	CH_VMAP_INSERT, /* vmap area [addr, val) inserted into the busy tree of node pfn (6.13; pfn2 = nr_vmap_nodes) */
	CH_VMAP_LAZY,   /* vmap area [addr, val) unmapped, on the purge list (pfn = vmap_lazy_nr, pfn2 = lazy max) */
	CH_VMAP_PURGE,  /* lazily freed area [addr, val) purged; 6.13: merged into free block [pfn, pfn2) */
	CH_MIGHT_SLEEP, /* might_sleep() in atomic context (val = preempt_count, old = irqs_disabled,
			 * mt = RCU depth, order = 1 reported / 0 rate-limited) */
	CH_VFREE_DEFER, /* 6.13 vfree_atomic(): area [addr, val) queued (pfn = queue length,
			 * mt = 1 when schedule_work() was called) */
	CH_VFREE_WORK,  /* delayed_vfree_work() runs vfree(addr) */
	CH_VMAP_POOL,   /* 6.13 node pools: [addr, val), mt = enum vmap_pool_event (vmalloc.h) */
	/* memory pressure (vmscan.c, slowpath.c, oom_kill.c; rendered by reclaimview.c) */
	CH_KSWAPD_WAKE, /* wakeup_kswapd(): order, zone = classzone; tail: by rmqueue() for a
			 * boosted watermark */
	CH_KSWAPD,      /* balance_pgdat(): order = last priority, pfn = scanned, pfn2 = reclaimed,
			 * mt = 1 balanced, val = passes; need = the watermark boost it
			 * began with (nr_boost_reclaim; merged: the largest), tail = it
			 * reclaimed in boosted mode */
	CH_KCOMPACTD_WAKE, /* 6.x wakeup_kcompactd(): order, zone = node's zone of type
			    * highest_zoneidx, mt = the waker (enum kcompactd_waker) */
	CH_KCOMPACTD,   /* kcompactd_do_work(): order, zone as above, mt = the last zone's
			 * enum compact_result, obj = zones compacted, pfn = pages migrated,
			 * pfn2 = failed, val = migrate scanned, old = free scanned */
	CH_DIRECT_RECLAIM, /* try_to_free_pages(): order = last priority, pfn = scanned,
			    * pfn2 = reclaimed, val = written back, old = swapped out */
	CH_RECLAIM_RETRY,  /* the slow path retries: val = no_progress_loops, mt = enum vm_retry */
	CH_SHRINK_SLAB, /* shrink_slab(): val = objects scanned, pfn = objects freed, pfn2 = slab pages freed */
	CH_OOM_KILL,    /* the OOM killer: obj = pid, val = pages freed, mt = 1 current task */
	CH_OOM_NONE,    /* out_of_memory() found no task to kill (panic) */
	CH_NOPAGE,      /* the slow path gives up: mt = enum vm_retry (why) */
	CH_EXTFRAG,     /* 6.13 trace mm_page_alloc_extfrag: pfn handed out, order = alloc order,
			 * order2 = fallback order, mt = alloc type, mt2 = fallback type,
			 * tail = change_ownership */
	CH_COMPACT,     /* compaction ran on a zone (zone, order2 = order + 1 (0: compact_memory),
			 * order = migrate mode (0 async, 1 sync light, 2 sync),
			 * mt = enum compact_result, pfn = pages migrated, pfn2 = failed,
			 * val = migrate scanned, old = free scanned) */
	/* per-CPU page lists (pcp.c; val = the CPU).  REFILL and DRAIN come in
	 * pairs around the buddy events they cause: order2 0 begins, 1 ends */
	CH_PCP_REFILL,  /* rmqueue_bulk(): pfn = blocks taken (end), pfn2 = asked for, order, mt = list type */
	CH_PCP_ALLOC,   /* a block taken from a pcp list (pfn, order, mt; tail: the cold end) */
	CH_PCP_FREE,    /* a block put on a pcp list (pfn, order, mt; tail: the cold end;
			 * pfn2 = count after, old = high) */
	CH_PCP_DRAIN,   /* free_pcppages_bulk(): begin: pfn2 = pages to free; end: pfn = pages
			 * given back, pfn2 = count left */
	CH_HIGHATOMIC,  /* 6.x highatomic reserve: tail 0 reserve_highatomic_pageblock(), 1
			 * unreserve_highatomic_pageblock(); pfn = first pageblock, pfn2 = pages
			 * added or taken, mt = type before, mt2 = type after, val =
			 * nr_reserved_highatomic after, old = the limit (reserve), order2 =
			 * force (unreserve), order = the free block's or allocation's order */
	CH_WMARK_BOOST, /* 6.x boost_watermark() after a fragmenting fallback: old = boost before,
			 * val = after, pfn2 = max_boost, mt = the request's type, mt2 = the
			 * pageblock's, pfn = the block's pfn */
};

/* why the slow path retries or gives up (CH_RECLAIM_RETRY / CH_NOPAGE .mt) */
enum vm_retry {
	VR_RECLAIM,     /* should_reclaim_retry() / should_alloc_retry(): try again */
	VR_OOM,         /* the OOM killer freed memory: try again */
	VR_NOFS,        /* out_of_memory() pretends progress for !__GFP_FS */
	VR_NOFAIL,      /* __GFP_NOFAIL loops */
	VR_NORETRY,     /* __GFP_NORETRY: no retry */
	VR_COSTLY,      /* costly order without __GFP_RETRY_MAYFAIL (6.13) / beyond should_alloc_retry */
	VR_NO_PROGRESS, /* MAX_RECLAIM_RETRIES loops without progress and no OOM for this request */
	VR_NO_OOM,      /* the OOM killer is not for this request (order, zone, flags) */
	VR_VICTIM,      /* the caller was the OOM victim */
	VR_PANIC,       /* no killable task: the kernel panics */
	VR_LOOP,        /* the kernel would retry forever; kmemsh stops */
	VR_ORIGIN,      /* swapoff is the OOM killer's first choice (oom_task_origin()) */
	VR_COMPACT,     /* should_compact_retry(): compaction again (val = retries, order = priority) */
	VR_HIGHATOMIC,  /* should_reclaim_retry(): a highatomic pageblock was given back before OOM */
	VR_OOM_VICTIM,  /* the OOM killer chose the allocating task: it retries with its reserves
			 * (6.x ALLOC_OOM, 2.6.32 TIF_MEMDIE's ALLOC_NO_WATERMARKS) */
};

struct change {
	enum change_kind kind;
	uint8_t zone, order, order2, mt, mt2;
	uint8_t wmark;                  /* CH_ZONE_SKIP: which mark */
	bool tail;
	uint64_t pfn, pfn2;
	int64_t free, need;             /* CH_ZONE_SKIP numbers */
	uint32_t cache, obj;            /* slab events: cache index, object index / count */
	uint64_t addr;                  /* slab events: object address; page tables: va */
	uint64_t val, old;              /* page tables: the entry written and the one before */
};

struct changelog {
	struct change *v;
	size_t n, cap;
	size_t dropped;                 /* entries not kept (cap reached) */
	bool enabled;
};

struct dmesg_line {
	uint64_t ts_us;
	char *text;
};

/* The kernel log: a ring of DMESG_RING lines, as the kernel's log buffer
 * is bounded.  Line numbers count every line ever written; lines [start, n)
 * are kept, line i in slot i % DMESG_RING (dmesg_slot()). */
#define DMESG_RING 4096
struct dmesg {
	struct dmesg_line *v;
	size_t n, cap, start;           /* ring: lines [start, n) are kept */
	size_t seen;                    /* lines already shown to the user */
};

static inline struct dmesg_line *dmesg_slot(const struct dmesg *d, size_t i)
{
	return &d->v[i & (DMESG_RING - 1)];
}

struct snapshot;

/* transparent_hugepage= (6.13; 2.6.32 has no THP) */
enum thp_mode { THP_DEFAULT, THP_ALWAYS, THP_MADVISE, THP_NEVER, THP_NONE /* the kernel has none */ };

struct machine_config {
	const char *arch;               /* NULL = "i386" */
	const char *kernel;             /* NULL = the arch's default */
	uint64_t mem_bytes;             /* 0 = the arch's default */
	const char *iomem_text;         /* contents of a /proc/iomem, or NULL */
	unsigned ncpus;                 /* 0 = 1 */
	const char *slab;               /* "slub", "slab", "slob"; NULL = the kernel's default */
	const char *slub_debug;         /* slub_debug= letters (F Z P U), NULL = off */
	bool debug_slab;                /* SLAB built with CONFIG_DEBUG_SLAB (2.6.32) */
	uint64_t vmalloc_size;          /* vmalloc= (i386); 0 = the default */
	bool nogbpages;                 /* nogbpages: no 1 GiB direct-map pages */
	bool kaslr;                     /* x86_64: randomise the memory bases */
	uint64_t kaslr_seed;
	bool kasan;                     /* built with CONFIG_KASAN (generic) */
	bool vmap_one_node;             /* 6.13: one vmap node whatever the CPUs (--from a kernel before 6.9) */
	enum thp_mode thp;              /* --thp; THP_DEFAULT: as Debian builds it (always) */
	const struct snapshot *snapshot; /* --from: the state to load after boot (snapshot.h), or NULL */
	const char *cmdline;            /* --cmdline: the kernel command line, or NULL */
	uint64_t initrd_size;           /* --initrd: bytes of initramfs the boot loader loaded, 0 = none */
	const char *image;              /* --image: "code=SIZE,init=SIZE,..." or NULL = the profile's */
	unsigned nr_nodes;              /* --nodes: numa=fake=N; 0 = no emulation (one node) */
	const uint8_t *numa_dist;       /* numa=fake=N:d,d,...: nr_nodes^2 distances, NULL = the kernel's */
	bool pcp_off;                   /* --pcp off: no per-CPU page lists (pure buddy, for teaching) */
};

#define MAX_NUMNODES_MODEL 8

/* What boot reserved and freed (memblock.c, boot.c), for the boot messages
 * and the views. */
struct boot_state {
	uint64_t log_buf_len_param;     /* log_buf_len= from the command line, 0 = none */
	uint64_t vmalloc_param;         /* vmalloc= from the command line (i386), 0 = none */
	uint64_t mem_limit;             /* mem= (the lowest given), 0 = none */
	bool e820_userdef;              /* a mem= was given: "user-defined physical RAM map:" */
	char crashkernel[64];           /* crashkernel= from the command line, "" = none */
	char crashkernel_high[64];      /* the last crashkernel=...,high (used when no plain one) */
	char crashkernel_low[64];       /* the last crashkernel=...,low, without ",low" */
	bool slub_debug_param;          /* slub_debug[=...] on the command line (SLUB builds follow it) */
	unsigned slub_debug_flags;      /* its SLAB_* debug flags (0: "slub_debug=-", off) */
	uint64_t log_buf_len;           /* the memblock log buffer, 0 = the static __log_buf */
	uint64_t initrd_start, initrd_end; /* physical, page aligned; 0 = none */
	uint64_t nr_kernel_pages, nr_all_pages; /* calc_nr_kernel_pages() */
	uint64_t pcpu_pages;            /* the first percpu chunk's pages kept for the CPUs */
	uint64_t *pcpu_unit;            /* [ncpus] each CPU's unit of the first chunk (physical),
					 * NULL until 6.x setup_per_cpu_areas(); freed with the machine */
	uint64_t swiotlb_start, swiotlb_end;
	uint64_t node_data_phys[MAX_NUMNODES_MODEL]; /* 6.1 alloc_node_data(): each pg_data_t, 0 = none */
	uint64_t kinit;                 /* __init_begin..__init_end (bytes) */
	/* arch/x86/mm/init.c (6.x): the brk's pgt_buf, physical [pgt_buf_end,
	 * pgt_buf_top) still unused; while init_mem_mapping() runs
	 * (pgt_mapping), alloc_low_pages() takes memblock pages in
	 * [min_pfn_mapped, max_pfn_mapped) when the brk is full or
	 * !can_use_brk_pgt (pgt_no_brk: the range being mapped holds the
	 * pgt_buf); pgt_vmemmap: vmemmap_alloc_block_zero()'s tables */
	uint64_t pgt_buf_end, pgt_buf_top;
	uint64_t min_pfn_mapped, max_pfn_mapped;
	bool pgt_mapping, pgt_no_brk, pgt_vmemmap;
	/* the build's image section sizes (the profile's or --image's) */
	uint64_t img_code, img_rodata, img_data, img_bss, img_init, img_smp_locks;
	uint64_t img_data_gap;          /* from the page after _edata to __init_begin (the profile's) */
};

#define MACHINE_SHRINKERS_MAX 24        /* vmap-node, and VM_SHRINKERS_MAX (vmscan.h) */
/*
 * NUMA nodes (6.13 x86_64 with --nodes N: the kernel's fake NUMA, numa.c).
 * Each node is a pg_data_t with its own set of zones: machine->zones holds
 * them node-major, zones [nid * nr_node_zones, (nid + 1) * nr_node_zones).
 * Without --nodes there is one node and everything is as before.
 */
#define MAX_ZONES_MODEL (MAX_NR_ZONES_MODEL * MAX_NUMNODES_MODEL)

/* mm/hugetlb.c: the huge page sizes (hstates), in the order they were
 * registered, and their boot-time pools (hugetlb.c) */
#define HUGE_MAX_HSTATE 2               /* arch/x86/include/asm/page.h */
#define HUGETLB_BOOT_MAX 4096           /* boot-time gigantic pages: x86_64's 4 TiB of RAM in 1 GiB ones */
struct hstate_m {
	unsigned order;
	uint64_t max_huge_pages;        /* hugepages= for this size */
	uint64_t nr_huge_pages, free_huge_pages;
	uint64_t nr_node[MAX_NUMNODES_MODEL], free_node[MAX_NUMNODES_MODEL];
	unsigned next_nid_to_alloc;     /* for_each_node_mask_to_alloc(): the node tried next */
};
struct hugetlb_state {
	unsigned nr_hstates;            /* 0: none registered (2.6.32, --from) */
	int default_idx;                /* default_hstate_idx */
	struct hstate_m h[HUGE_MAX_HSTATE];
	uint64_t buddy_alloc_success, buddy_alloc_fail; /* HTLB_BUDDY_PGALLOC(_FAIL) */
	uint64_t default_max_param;     /* default_hstate_max_huge_pages: hugepages= before any size */
	uint64_t boot_pfn[HUGETLB_BOOT_MAX]; /* huge_boot_pages: the gigantic pages memblock gave */
	unsigned nr_boot, boot_hstate[HUGETLB_BOOT_MAX];
	bool parsed_default;            /* parsed_default_hugepagesz */
};


struct pglist {
	uint64_t node_start_pfn, node_end_pfn;  /* the node's RAM: first pfn, last pfn + 1 */
	uint64_t emu_start, emu_end;            /* the fake node's block (bytes, [start, end)) */
	/* the node order of the node's zonelist (build_zonelists()) */
	int8_t node_order[MAX_NUMNODES_MODEL];
};

/*
 * A task's NUMA memory policy (include/linux/mempolicy.h struct mempolicy,
 * the uapi modes of include/uapi/linux/mempolicy.h) and the task_struct
 * field interleaving advances (il_prev): set_mempolicy() sets them,
 * mempolicy.c applies them.  nodes is a nodemask of the model's nodes.
 */
enum mpol_mode { MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL,
		 MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE, MPOL_MAX };
struct task_mpol {
	uint8_t mode;                   /* enum mpol_mode; MPOL_DEFAULT: current->mempolicy NULL */
	uint8_t nodes;                  /* pol->nodes */
	uint16_t il_prev;               /* current->il_prev: the last interleave node */
};

struct slab_state;
struct pgtable;
struct memstore;
struct vmap_state;
struct shrinker;
struct iomem_state;
struct ioremap_state;
struct highmem_state;
struct pcp_state;

struct machine {
	const struct arch_profile *arch;
	const struct kernel_profile *kp;
	struct machine_config cfg;
	char *iomem_copy;
	unsigned ncpus;
	unsigned this_cpu;              /* smp_processor_id(): the CPU the task runs on (`cpu N`) */
	uint64_t mem_bytes;
	struct memmap memmap;

	int nr_zones;                   /* nr_nodes * nr_node_zones */
	struct zone zones[MAX_ZONES_MODEL];
	/* bumped with every zone's free_area_gen: a step that left all the
	 * free lists alone (a pcp hit) is told without a look at each zone */
	uint64_t free_area_gen;
	int nr_node_zones;              /* zones per node: the kernel's MAX_NR_ZONES */
	unsigned nr_nodes;              /* online nodes (1 without --nodes) */
	struct pglist node[MAX_NUMNODES_MODEL];
	uint8_t node_distance[MAX_NUMNODES_MODEL][MAX_NUMNODES_MODEL]; /* the SLIT */
	/* the allocation in progress (struct alloc_context): its preferred
	 * node, and its gfp mask: __GFP_THISNODE keeps it on that node, and
	 * __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD (buddy.c) */
	int ac_nid;
	gfp_t ac_gfp;
	/* and its nodemask (ac->nodemask): the nodes the zonelist walk may
	 * use, 0 = NULL, every node (a memory policy's, mempolicy.c) */
	unsigned ac_nodemask;
	/* the shell's task_struct: its memory policy (set_mempolicy) */
	struct task_mpol mpol;
	/* the node a _node call of the slab layer (kmalloc_node,
	 * kmem_cache_alloc_node) passes down: while it runs, page allocations
	 * given NUMA_NO_NODE use this node's zonelist; -1 otherwise */
	int node_arg;
	int zone_of_kind[ZK_COUNT];     /* -1 if not configured */

	uint64_t min_pfn, max_pfn, max_low_pfn;
	uint64_t direct_map;            /* PAGE_OFFSET of the profile: __va(0) */
	unsigned pageblock_order;
	unsigned struct_page_size;
	bool mobility_disabled;         /* page_group_by_mobility_disabled */
	/* per zone-modifier bits (DMA 1, HIGHMEM 2, DMA32 4, MOVABLE 8): the
	 * zonelist start, the lowmem_reserve index and ALLOC_NOFRAGMENT, all
	 * fixed once the zones are laid out (-2: GFP_ZONE_BAD, -1: no zone) */
	int8_t zl_highest[16], zl_classzone[16];
	bool zl_nofragment[16];
	uint64_t mem_map_phys;          /* FLATMEM mem_map physical address */
	uint64_t kernel_start, kernel_end; /* physical image range */
	uint64_t kcode, krodata, kdata, kbss; /* image section sizes (bytes) */
	struct kimage kimage;           /* the image's sections (physical) */
	struct boot_state boot;
	struct hugetlb_state hugetlb;
	struct kernel_layout layout;    /* the virtual address map */
	bool gbpages;                   /* direct_gbpages: 1 GiB direct-map pages */

	/* page descriptors */
	struct page **chunk;            /* [nr_chunks], NULL = untouched */
	uint64_t nr_chunks, materialized;
	/* the materialized chunks' indices in ascending order ([materialized]
	 * of [cap_touched]): what check, show zones and machine_destroy visit,
	 * so that their cost follows the chunks touched, not the RAM */
	uint64_t *touched, cap_touched;
	struct segment *seg;
	uint32_t nr_seg, cap_seg;
	uint8_t *pb_mt;                 /* pageblock type + 1; 0 = boot default */
	uint64_t nr_pb;

	/* sysctls (vm.*) */
	unsigned min_free_kbytes;
	unsigned user_min_free_kbytes;  /* 0 = not set by the user */
	unsigned watermark_scale_factor;
	int watermark_boost_factor;     /* vm.watermark_boost_factor (6.x: 15000; 2.6.32 has none) */
	int lowmem_reserve_ratio[MAX_NR_ZONES_MODEL];
	int extfrag_threshold;          /* vm.extfrag_threshold (6.13: 500) */
	int zone_reclaim_mode;          /* vm.zone_reclaim_mode (CONFIG_NUMA: x86_64), 0 */
	int vfs_cache_pressure;         /* vm.vfs_cache_pressure (fs/dcache.c), 100 */
	int pcp_high_fraction;          /* vm.percpu_pagelist_high_fraction (6.x) or
	                                 * 2.6.32's vm.percpu_pagelist_fraction, 0 */
	int swappiness;                 /* vm.swappiness (mm/vmscan.c vm_swappiness), 60: the
					 * anon side of reclaim's scan balance (get_scan_count()) */
	int compact_unevictable_allowed;   /* vm.compact_unevictable_allowed (6.x), 1 */
	enum thp_mode thp;              /* transparent hugepages: always, madvise, never; THP_NONE on 2.6.32 */

	/* compaction (compaction.h): /proc/vmstat's compact_* events, and
	 * where migrated pages went (NULL until something moved) */
	struct compact_events {
		uint64_t migrate_scanned, free_scanned, isolated;
		uint64_t stall, fail, success;
		uint64_t migrated, migrate_fail;        /* pgmigrate_success / _fail (pages) */
		/* kcompactd (6.x): KCOMPACTD_WAKE (its runs), _MIGRATE_SCANNED, _FREE_SCANNED */
		uint64_t daemon_wake, daemon_migrate_scanned, daemon_free_scanned;
	} compact_ev;
	/* kcompactdN per node (6.x pgdat->kcompactd_max_order,
	 * kcompactd_highest_zoneidx, a zone type; woken: it was woken and runs
	 * after the step, as kswapd does) */
	struct kcompactd_state {
		bool init, woken;
		unsigned max_order;
		int highest_zoneidx;
	} kcompactd[MAX_NUMNODES_MODEL];
	struct compaction_state *compaction;
	/* the per-CPU page lists (pcp.h), NULL until the end of boot */
	struct pcp_state *pcp;
	/* whether something above the page allocator holds the page at pfn
	 * mapped (kmap): installed by that layer; NULL = nothing does */
	bool (*page_pinned)(const struct machine *m, uint64_t pfn);

	/* totals */
	uint64_t totalram_pages, totalhigh_pages;
	uint64_t nr_alloc_blocks;
	uint64_t pgalloc[MAX_ZONES_MODEL];     /* /proc/vmstat pgalloc_<zone>: pages handed out */

	struct slab_state *slab;        /* the slab layer, NULL until slab_init() */
	struct pgtable *pt;             /* the kernel's page tables, NULL until built */
	struct memstore *mem;           /* page contents (memstore.h), NULL until used */
	struct vmap_state *vmap;        /* vmap areas (vmalloc.h), NULL until used */
	struct iomem_state *iomem;      /* busy rules and device registers (iomem.h) */
	struct ioremap_state *ioremap;  /* ioremap'd areas (ioremap.h), NULL until used */
	struct highmem_state *hm;       /* kmap state (highmem.h), NULL until first used */
	struct context_state ctx;       /* the task's context (context.h) */
	struct vm_state *vm;            /* LRU, tasks, swap, kswapd (vmscan.h), NULL until used */
	/* the shrinkers registered (shrinker_register(), vmscan.h) for
	 * shrink_slab() to call; each owned by the layer that registered it */
	struct shrinker *shrinkers[MACHINE_SHRINKERS_MAX];
	unsigned nr_shrinkers;

	struct dmesg dmesg;
	struct changelog log;
	uint64_t clock_us;              /* the modelled uptime */
	/* lib/ratelimit.c states (machine_ratelimit()): 6.13 warn_alloc()'s
	 * nopage_rs and oom_kill_process()'s oom_rs; 2.6.32's nopage report
	 * and oom_kill_process() both ask printk_ratelimit(), one shared
	 * printk_ratelimit_state (nopage_rs here) */
	struct model_ratelimit { uint64_t begin_us; unsigned printed, missed; bool begun; } nopage_rs, oom_rs;
	unsigned long taint;            /* add_taint() bits (TAINT_BAD_PAGE = 5) */
	bool warned_order_once;         /* WARN_ON_ONCE state */
	bool warned_nofail_memalloc;    /* WARN_ON_ONCE(current->flags & PF_MEMALLOC) for __GFP_NOFAIL */
	unsigned die_counter;           /* oopses so far (die_counter) */

	char err[512];                  /* detail for the last failure (model_err) */
};

/*
 * Bringing a machine up and down (boot.c, the model's top layer).
 * machine_create boots a machine as cfg says and gives it to the caller, who
 * frees it with machine_destroy; on failure it returns a negative errno with
 * err set, and *out is untouched.  machine_parse_slub_debug checks a
 * slub_debug= value (letters -> SLAB_* flags; 0 or -EINVAL).
 */
int machine_create(const struct machine_config *cfg, struct machine **out, char *err, size_t errlen);
void machine_destroy(struct machine *m);
int machine_parse_slub_debug(const char *text, unsigned *flags);

/* The invariant checker (check.c, above the slab layer): 0 if consistent,
 * else -EUCLEAN with m->err set. */
int machine_check(struct machine *m);
/* The part of it a step touched, for --check after each command
 * (check_step.c): O(1) counters and what the change log names; the log
 * must have been on for the step.  0 or -EUCLEAN with m->err. */
int machine_check_step(struct machine *m);

/* The core (core.c): the state above, read and written by every layer. */

/* Parse "1G", "512M", "16384K", "4096" (bytes), "1T", and decimal fractions
 * that make whole bytes ("3.5G", "1.5K"; not "0.3K"). 0 or -EINVAL/-ERANGE. */
int parse_size(const char *s, uint64_t *out);

/* dmesg: append a kernel-style line (printf format, no trailing newline). */
void dmesg_printf(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* lib/ratelimit.c ___ratelimit() on the modelled clock: true when a
 * report may print (burst reports per interval); when a later call finds
 * the interval over, "FUNC: N callbacks suppressed" goes to dmesg first.
 * 2.6.32's version restarts the interval at the next call (begin = 0),
 * 6.x's at this one (begin = jiffies). */
bool machine_ratelimit(struct machine *m, struct model_ratelimit *rs, uint64_t interval_us, unsigned burst,
		       const char *func);

/* The one-line error of the failure being returned, in m->err: fmt is a
 * msgid (an xgettext keyword in the Makefile's pot target), translated into
 * the user's language (kmemsh/i18n.h) and formatted; the kernel's own words
 * go to dmesg instead and are never translated.  model_err_cat appends to
 * m->err; model_err_buf writes into a caller's buffer (boot's errors, before
 * there is a machine).  All return what snprintf returns. */
int model_err(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int model_err_cat(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int model_err_buf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* change log */
void changelog_reset(struct machine *m);
void changelog_add(struct machine *m, const struct change *c);

/* Page descriptors.  page_peek returns a touched chunk's descriptor, or one
 * synthesized into *tmp for an untouched chunk; NULL for a pfn past max_pfn.
 * machine_new_chunk gives chunk c its descriptors (no list changes: the page
 * allocator calls it, and keeps its free lists right). */
const struct page *page_peek(const struct machine *m, uint64_t pfn, struct page *tmp);
/* the descriptor of pfn if its chunk is materialized (every allocated
 * page's is), else NULL */
struct page *page_touched(struct machine *m, uint64_t pfn);
struct page *machine_new_chunk(struct machine *m, uint64_t c);
/* the index in m->touched of the first materialized chunk >= c
 * (m->materialized when there is none) */
uint64_t machine_touched_from(const struct machine *m, uint64_t c);

/* pageblock migratetype (get_pageblock_migratetype) */
static inline int get_pageblock_mt(const struct machine *m, uint64_t pfn)
{
	uint64_t i = pfn >> m->pageblock_order;
	if (i >= m->nr_pb || m->pb_mt[i] == 0)
		return m->kp->mt_movable;
	return m->pb_mt[i] - 1;
}
void set_pageblock_mt(struct machine *m, uint64_t pfn, int mt);

/* Address conversions in the modelled kernel's terms. */
uint64_t machine_page_ptr(const struct machine *m, uint64_t pfn);        /* struct page * */
int machine_page_ptr_to_pfn(const struct machine *m, uint64_t ptr, uint64_t *pfn);
bool machine_pfn_has_vaddr(const struct machine *m, uint64_t pfn);      /* lowmem */
/* an early_param() flag such as "nohugeiomap": the word alone, somewhere
 * on the kernel command line (--cmdline) */
bool machine_cmdline_word(const struct machine *m, const char *word);
/* each word of the kernel command line as parse_args() splits it
 * (cmdline.h: quotes taken out, up to "--"), in order, to fn(arg, word,
 * its length) until fn returns true: whether one did */
bool machine_cmdline_any(const struct machine *m, bool (*fn)(void *arg, const char *word, size_t len), void *arg);

/* __va(pfn << PAGE_SHIFT); inline because every slab operation converts */
static inline uint64_t machine_pfn_to_vaddr(const struct machine *m, uint64_t pfn)
{
	return m->direct_map + (pfn << 12);
}

/* __pa() of a direct-map address: its pfn and offset, or -EFAULT if it
 * is not a lowmem direct-map address */
static inline int machine_vaddr_to_pfn(const struct machine *m, uint64_t va, uint64_t *pfn, uint64_t *offset)
{
	if (va < m->direct_map || ((va - m->direct_map) >> 12) >= m->max_low_pfn)
		return -EFAULT;
	*pfn = (va - m->direct_map) >> 12;
	if (offset)
		*offset = (va - m->direct_map) & 0xfff;
	return 0;
}

/* zone lookup: index of the zone spanning pfn, or -1 */
int machine_pfn_zone(const struct machine *m, uint64_t pfn);
/* nr_memmap_boot_pages: pages of struct pages the boot allocated (boot.c) */
uint64_t machine_memmap_boot_pages(const struct machine *m);
/* the zone's type inside its node (zone_idx()) */
static inline int machine_zone_idx(const struct machine *m, const struct zone *z)
{
	return z->idx - z->nid * m->nr_node_zones;
}
/* cpu_to_node(): the CPU's node (round robin, numa.c) */
unsigned machine_cpu_to_node(const struct machine *m, unsigned cpu);
/* numa_node_id(): the node of the CPU the task runs on */
static inline unsigned machine_numa_node_id(const struct machine *m)
{
	return machine_cpu_to_node(m, m->this_cpu);
}
/* CONFIG_NUMA: the model's x86_64 6.x kernels (Debian's amd64 builds have
 * it, its i386 ones not; 2.6.32 is modelled without it) */
static inline bool machine_config_numa(const struct machine *m)
{
	return m->arch->bits == 64 && m->kp->kv != KV_2_6_32;
}
int machine_zone_by_name(const struct machine *m, const char *name);
/* cpuset_print_current_mems_allowed()'s "mems_allowed=%*pbl": every node
 * with memory (no cpuset: the root cpuset's), as a bitmap list, "0" or
 * "0-1" (numa.c) */
const char *machine_mems_allowed(const struct machine *m, char *buf, size_t len);

enum { TAINT_BAD_PAGE = 5, TAINT_DIE = 7, TAINT_WARN = 9 };
const char *machine_print_tainted(const struct machine *m);   /* "Not tainted", "Tainted: G    B ..." */
/* 6.13 dump_stack_print_info(): the "CPU: N UID: 0 PID: 1 Comm: kmemsh ..."
 * line and, when tainted, "Tainted: [D]=DIE, [W]=WARN" */
void machine_dump_stack_info(struct machine *m, unsigned cpu);
/* the same for another task (pid, comm): the OOM killer's caller */
void machine_dump_stack_info_task(struct machine *m, unsigned cpu, int pid, const char *comm);

/*
 * smp_processor_id(): the CPU the one modelled task runs on.  It lives in
 * the core so that every layer reads it (the page allocator's reports as
 * well as the slab layer's per-CPU state); `cpu N` moves the task.
 * machine_set_cpu(): 0, or -EINVAL with m->err set when there is no CPU N.
 */
static inline unsigned machine_this_cpu(const struct machine *m)
{
	return m->this_cpu;
}
int machine_set_cpu(struct machine *m, unsigned cpu);

/* lib/math/int_sqrt.c: floor(sqrt(x)) */
uint64_t int_sqrt(uint64_t x);

/* Host bytes used for page descriptors and segments. */
size_t machine_host_bytes(const struct machine *m);

#endif
