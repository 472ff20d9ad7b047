/*
 * profile.c - the machines (arch profiles) and kernel versions (kernel
 * profiles) kmemsh models, as tables.
 *
 * GFP values: 6.13 include/linux/gfp_types.h (config without KASAN_HW_TAGS
 * or LOCKDEP); 6.1 include/linux/gfp_types.h (Debian linux-source-6.1,
 * 6.1.192; the same config); 2.6.32 include/linux/gfp.h (without KMEMCHECK).
 * Print order: 6.13 include/trace/events/mmflags.h __def_gfpflag_names
 * (used by %pGg); 2.6.32 include/trace/events/gfpflags.h show_gfp_flags().
 */
#include <string.h>

#include "kmemsh/profile.h"
#include "kmemsh/slab.h"

#define SLABS(a, b, c) ((1u << (a)) | (1u << (b)) | (1u << (c)))

/* ---- 6.13 ---------------------------------------------------------- */

enum {
	G13_DMA = 0x01, G13_HIGHMEM = 0x02, G13_DMA32 = 0x04, G13_MOVABLE = 0x08,
	G13_RECLAIMABLE = 0x10, G13_HIGH = 0x20, G13_IO = 0x40, G13_FS = 0x80,
	G13_ZERO = 0x100, G13_DIRECT_RECLAIM = 0x400, G13_KSWAPD_RECLAIM = 0x800,
	G13_WRITE = 0x1000, G13_NOWARN = 0x2000, G13_RETRY_MAYFAIL = 0x4000,
	G13_NOFAIL = 0x8000, G13_NORETRY = 0x10000, G13_MEMALLOC = 0x20000,
	G13_COMP = 0x40000, G13_NOMEMALLOC = 0x80000, G13_HARDWALL = 0x100000,
	G13_THISNODE = 0x200000, G13_ACCOUNT = 0x400000, G13_ZEROTAGS = 0x800000,
	G13_RECLAIM = G13_DIRECT_RECLAIM | G13_KSWAPD_RECLAIM,
	G13_ATOMIC = G13_HIGH | G13_KSWAPD_RECLAIM,
	G13_KERNEL = G13_RECLAIM | G13_IO | G13_FS,
	G13_KERNEL_ACCOUNT = G13_KERNEL | G13_ACCOUNT,
	G13_NOWAIT = G13_KSWAPD_RECLAIM | G13_NOWARN,
	G13_NOIO = G13_RECLAIM,
	G13_NOFS = G13_RECLAIM | G13_IO,
	G13_USER = G13_RECLAIM | G13_IO | G13_FS | G13_HARDWALL,
	G13_HIGHUSER = G13_USER | G13_HIGHMEM,
	G13_HIGHUSER_MOVABLE = G13_HIGHUSER | G13_MOVABLE,
	G13_TRANSHUGE_LIGHT = (G13_HIGHUSER_MOVABLE | G13_COMP | G13_NOMEMALLOC | G13_NOWARN) & ~G13_RECLAIM,
	G13_TRANSHUGE = G13_TRANSHUGE_LIGHT | G13_DIRECT_RECLAIM,
};

static const struct gfp_name gfp13_print[] = {
	{ "GFP_TRANSHUGE", G13_TRANSHUGE },
	{ "GFP_TRANSHUGE_LIGHT", G13_TRANSHUGE_LIGHT },
	{ "GFP_HIGHUSER_MOVABLE", G13_HIGHUSER_MOVABLE },
	{ "GFP_HIGHUSER", G13_HIGHUSER },
	{ "GFP_USER", G13_USER },
	{ "GFP_KERNEL_ACCOUNT", G13_KERNEL_ACCOUNT },
	{ "GFP_KERNEL", G13_KERNEL },
	{ "GFP_NOFS", G13_NOFS },
	{ "GFP_ATOMIC", G13_ATOMIC },
	{ "GFP_NOIO", G13_NOIO },
	{ "GFP_NOWAIT", G13_NOWAIT },
	{ "GFP_DMA", G13_DMA },
	{ "__GFP_HIGHMEM", G13_HIGHMEM },
	{ "GFP_DMA32", G13_DMA32 },
	{ "__GFP_HIGH", G13_HIGH },
	{ "__GFP_IO", G13_IO },
	{ "__GFP_FS", G13_FS },
	{ "__GFP_NOWARN", G13_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", G13_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", G13_NOFAIL },
	{ "__GFP_NORETRY", G13_NORETRY },
	{ "__GFP_COMP", G13_COMP },
	{ "__GFP_ZERO", G13_ZERO },
	{ "__GFP_NOMEMALLOC", G13_NOMEMALLOC },
	{ "__GFP_MEMALLOC", G13_MEMALLOC },
	{ "__GFP_HARDWALL", G13_HARDWALL },
	{ "__GFP_THISNODE", G13_THISNODE },
	{ "__GFP_RECLAIMABLE", G13_RECLAIMABLE },
	{ "__GFP_MOVABLE", G13_MOVABLE },
	{ "__GFP_ACCOUNT", G13_ACCOUNT },
	{ "__GFP_WRITE", G13_WRITE },
	{ "__GFP_RECLAIM", G13_RECLAIM },
	{ "__GFP_DIRECT_RECLAIM", G13_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", G13_KSWAPD_RECLAIM },
	{ "__GFP_ZEROTAGS", G13_ZEROTAGS },
	{ NULL, 0 }
};

static const struct gfp_name gfp13_names[] = {
	{ "GFP_ATOMIC", G13_ATOMIC },
	{ "GFP_KERNEL", G13_KERNEL },
	{ "GFP_KERNEL_ACCOUNT", G13_KERNEL_ACCOUNT },
	{ "GFP_NOWAIT", G13_NOWAIT },
	{ "GFP_NOIO", G13_NOIO },
	{ "GFP_NOFS", G13_NOFS },
	{ "GFP_USER", G13_USER },
	{ "GFP_DMA", G13_DMA },
	{ "GFP_DMA32", G13_DMA32 },
	{ "GFP_HIGHUSER", G13_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", G13_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE_LIGHT", G13_TRANSHUGE_LIGHT },
	{ "GFP_TRANSHUGE", G13_TRANSHUGE },
	{ "__GFP_DMA", G13_DMA },
	{ "__GFP_HIGHMEM", G13_HIGHMEM },
	{ "__GFP_DMA32", G13_DMA32 },
	{ "__GFP_MOVABLE", G13_MOVABLE },
	{ "__GFP_RECLAIMABLE", G13_RECLAIMABLE },
	{ "__GFP_HIGH", G13_HIGH },
	{ "__GFP_IO", G13_IO },
	{ "__GFP_FS", G13_FS },
	{ "__GFP_ZERO", G13_ZERO },
	{ "__GFP_DIRECT_RECLAIM", G13_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", G13_KSWAPD_RECLAIM },
	{ "__GFP_RECLAIM", G13_RECLAIM },
	{ "__GFP_WRITE", G13_WRITE },
	{ "__GFP_NOWARN", G13_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", G13_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", G13_NOFAIL },
	{ "__GFP_NORETRY", G13_NORETRY },
	{ "__GFP_MEMALLOC", G13_MEMALLOC },
	{ "__GFP_COMP", G13_COMP },
	{ "__GFP_NOMEMALLOC", G13_NOMEMALLOC },
	{ "__GFP_HARDWALL", G13_HARDWALL },
	{ "__GFP_THISNODE", G13_THISNODE },
	{ "__GFP_ACCOUNT", G13_ACCOUNT },
	{ "__GFP_ZEROTAGS", G13_ZEROTAGS },
	{ NULL, 0 }
};

/* mm/page_alloc.c: migratetype_names[] (CONFIG_CMA off, MEMORY_ISOLATION on) */
static const char *const mt13_names[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

/* mm/page_alloc.c: fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] */
static const int fallbacks13[][3] = {
	[0] = { 2, 1, -1 },     /* UNMOVABLE: RECLAIMABLE, MOVABLE */
	[1] = { 2, 0, -1 },     /* MOVABLE: RECLAIMABLE, UNMOVABLE */
	[2] = { 0, 1, -1 },     /* RECLAIMABLE: UNMOVABLE, MOVABLE */
};

/* mm/page_alloc.c: sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] */
static const int lowmem_ratio13[ZK_COUNT] = {
	[ZK_DMA] = 256, [ZK_DMA32] = 256, [ZK_NORMAL] = 32,
	[ZK_HIGHMEM] = 0, [ZK_MOVABLE] = 0, [ZK_DEVICE] = 0,
};

/* ---- 6.1 ----------------------------------------------------------- */

/*
 * 6.1 include/linux/gfp_types.h: the 6.13 bits plus ___GFP_ATOMIC 0x200
 * (removed in 6.3 by "mm/page_alloc: remove __GFP_ATOMIC", which moved
 * nothing else), so GFP_ATOMIC is __GFP_HIGH|__GFP_ATOMIC|
 * __GFP_KSWAPD_RECLAIM = 0xa20.  ___GFP_SKIP_ZERO, ___GFP_SKIP_KASAN_*
 * (0x1000000-0x4000000) are 0 without CONFIG_KASAN_HW_TAGS, and
 * __GFP_BITS_SHIFT is 27 (+1 with LOCKDEP) whatever the config.  6.1.192's
 * gfp_to_alloc_flags() no longer reads __GFP_ATOMIC (the 6.3 reserve rework
 * was backported to 6.1.y): ALLOC_MIN_RESERVE / ALLOC_NON_BLOCK as 6.13.
 */
enum {
	G61_ATOMIC_BIT = 0x200,
	G61_ATOMIC = G13_HIGH | G61_ATOMIC_BIT | G13_KSWAPD_RECLAIM,
	/* GFP_NOWAIT is __GFP_KSWAPD_RECLAIM alone: 6.12 added __GFP_NOWARN */
	G61_NOWAIT = G13_KSWAPD_RECLAIM,
};

/* include/trace/events/mmflags.h __def_gfpflag_names (6.1) */
static const struct gfp_name gfp61_print[] = {
	{ "GFP_TRANSHUGE", G13_TRANSHUGE },
	{ "GFP_TRANSHUGE_LIGHT", G13_TRANSHUGE_LIGHT },
	{ "GFP_HIGHUSER_MOVABLE", G13_HIGHUSER_MOVABLE },
	{ "GFP_HIGHUSER", G13_HIGHUSER },
	{ "GFP_USER", G13_USER },
	{ "GFP_KERNEL_ACCOUNT", G13_KERNEL_ACCOUNT },
	{ "GFP_KERNEL", G13_KERNEL },
	{ "GFP_NOFS", G13_NOFS },
	{ "GFP_ATOMIC", G61_ATOMIC },
	{ "GFP_NOIO", G13_NOIO },
	{ "GFP_NOWAIT", G61_NOWAIT },
	{ "GFP_DMA", G13_DMA },
	{ "__GFP_HIGHMEM", G13_HIGHMEM },
	{ "GFP_DMA32", G13_DMA32 },
	{ "__GFP_HIGH", G13_HIGH },
	{ "__GFP_ATOMIC", G61_ATOMIC_BIT },
	{ "__GFP_IO", G13_IO },
	{ "__GFP_FS", G13_FS },
	{ "__GFP_NOWARN", G13_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", G13_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", G13_NOFAIL },
	{ "__GFP_NORETRY", G13_NORETRY },
	{ "__GFP_COMP", G13_COMP },
	{ "__GFP_ZERO", G13_ZERO },
	{ "__GFP_NOMEMALLOC", G13_NOMEMALLOC },
	{ "__GFP_MEMALLOC", G13_MEMALLOC },
	{ "__GFP_HARDWALL", G13_HARDWALL },
	{ "__GFP_THISNODE", G13_THISNODE },
	{ "__GFP_RECLAIMABLE", G13_RECLAIMABLE },
	{ "__GFP_MOVABLE", G13_MOVABLE },
	{ "__GFP_ACCOUNT", G13_ACCOUNT },
	{ "__GFP_WRITE", G13_WRITE },
	{ "__GFP_RECLAIM", G13_RECLAIM },
	{ "__GFP_DIRECT_RECLAIM", G13_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", G13_KSWAPD_RECLAIM },
	{ "__GFP_ZEROTAGS", G13_ZEROTAGS },
	{ NULL, 0 }
};

static const struct gfp_name gfp61_names[] = {
	{ "GFP_ATOMIC", G61_ATOMIC },
	{ "GFP_KERNEL", G13_KERNEL },
	{ "GFP_KERNEL_ACCOUNT", G13_KERNEL_ACCOUNT },
	{ "GFP_NOWAIT", G61_NOWAIT },
	{ "GFP_NOIO", G13_NOIO },
	{ "GFP_NOFS", G13_NOFS },
	{ "GFP_USER", G13_USER },
	{ "GFP_DMA", G13_DMA },
	{ "GFP_DMA32", G13_DMA32 },
	{ "GFP_HIGHUSER", G13_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", G13_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE_LIGHT", G13_TRANSHUGE_LIGHT },
	{ "GFP_TRANSHUGE", G13_TRANSHUGE },
	{ "__GFP_DMA", G13_DMA },
	{ "__GFP_HIGHMEM", G13_HIGHMEM },
	{ "__GFP_DMA32", G13_DMA32 },
	{ "__GFP_MOVABLE", G13_MOVABLE },
	{ "__GFP_RECLAIMABLE", G13_RECLAIMABLE },
	{ "__GFP_HIGH", G13_HIGH },
	{ "__GFP_IO", G13_IO },
	{ "__GFP_FS", G13_FS },
	{ "__GFP_ZERO", G13_ZERO },
	{ "__GFP_ATOMIC", G61_ATOMIC_BIT },
	{ "__GFP_DIRECT_RECLAIM", G13_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", G13_KSWAPD_RECLAIM },
	{ "__GFP_RECLAIM", G13_RECLAIM },
	{ "__GFP_WRITE", G13_WRITE },
	{ "__GFP_NOWARN", G13_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", G13_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", G13_NOFAIL },
	{ "__GFP_NORETRY", G13_NORETRY },
	{ "__GFP_MEMALLOC", G13_MEMALLOC },
	{ "__GFP_COMP", G13_COMP },
	{ "__GFP_NOMEMALLOC", G13_NOMEMALLOC },
	{ "__GFP_HARDWALL", G13_HARDWALL },
	{ "__GFP_THISNODE", G13_THISNODE },
	{ "__GFP_ACCOUNT", G13_ACCOUNT },
	{ "__GFP_ZEROTAGS", G13_ZEROTAGS },
	{ NULL, 0 }
};

/* ---- 2.6.32 -------------------------------------------------------- */

enum {
	G32_DMA = 0x01, G32_HIGHMEM = 0x02, G32_DMA32 = 0x04, G32_MOVABLE = 0x08,
	G32_WAIT = 0x10, G32_HIGH = 0x20, G32_IO = 0x40, G32_FS = 0x80,
	G32_COLD = 0x100, G32_NOWARN = 0x200, G32_REPEAT = 0x400,
	G32_NOFAIL = 0x800, G32_NORETRY = 0x1000, G32_COMP = 0x4000,
	G32_ZERO = 0x8000, G32_NOMEMALLOC = 0x10000, G32_HARDWALL = 0x20000,
	G32_THISNODE = 0x40000, G32_RECLAIMABLE = 0x80000,
	G32_ATOMIC = G32_HIGH,
	G32_NOIO = G32_WAIT,
	G32_NOFS = G32_WAIT | G32_IO,
	G32_KERNEL = G32_WAIT | G32_IO | G32_FS,
	G32_TEMPORARY = G32_WAIT | G32_IO | G32_FS | G32_RECLAIMABLE,
	G32_USER = G32_WAIT | G32_IO | G32_FS | G32_HARDWALL,
	G32_HIGHUSER = G32_USER | G32_HIGHMEM,
	G32_HIGHUSER_MOVABLE = G32_HIGHUSER | G32_MOVABLE,
	G32_IOFS = G32_IO | G32_FS,
};

static const struct gfp_name gfp32_print[] = {
	{ "GFP_HIGHUSER_MOVABLE", G32_HIGHUSER_MOVABLE },
	{ "GFP_HIGHUSER", G32_HIGHUSER },
	{ "GFP_USER", G32_USER },
	{ "GFP_TEMPORARY", G32_TEMPORARY },
	{ "GFP_KERNEL", G32_KERNEL },
	{ "GFP_NOFS", G32_NOFS },
	{ "GFP_ATOMIC", G32_ATOMIC },
	{ "GFP_NOIO", G32_NOIO },
	{ "GFP_HIGH", G32_HIGH },
	{ "GFP_WAIT", G32_WAIT },
	{ "GFP_IO", G32_IO },
	{ "GFP_COLD", G32_COLD },
	{ "GFP_NOWARN", G32_NOWARN },
	{ "GFP_REPEAT", G32_REPEAT },
	{ "GFP_NOFAIL", G32_NOFAIL },
	{ "GFP_NORETRY", G32_NORETRY },
	{ "GFP_COMP", G32_COMP },
	{ "GFP_ZERO", G32_ZERO },
	{ "GFP_NOMEMALLOC", G32_NOMEMALLOC },
	{ "GFP_HARDWALL", G32_HARDWALL },
	{ "GFP_THISNODE", G32_THISNODE },
	{ "GFP_RECLAIMABLE", G32_RECLAIMABLE },
	{ "GFP_MOVABLE", G32_MOVABLE },
	{ NULL, 0 }
};

static const struct gfp_name gfp32_names[] = {
	{ "GFP_NOWAIT", 0 },
	{ "GFP_ATOMIC", G32_ATOMIC },
	{ "GFP_NOIO", G32_NOIO },
	{ "GFP_NOFS", G32_NOFS },
	{ "GFP_KERNEL", G32_KERNEL },
	{ "GFP_TEMPORARY", G32_TEMPORARY },
	{ "GFP_USER", G32_USER },
	{ "GFP_HIGHUSER", G32_HIGHUSER },
	{ "GFP_HIGHUSER_MOVABLE", G32_HIGHUSER_MOVABLE },
	{ "GFP_IOFS", G32_IOFS },
	{ "GFP_DMA", G32_DMA },
	{ "GFP_DMA32", G32_DMA32 },
	{ "__GFP_DMA", G32_DMA },
	{ "__GFP_HIGHMEM", G32_HIGHMEM },
	{ "__GFP_DMA32", G32_DMA32 },
	{ "__GFP_MOVABLE", G32_MOVABLE },
	{ "__GFP_WAIT", G32_WAIT },
	{ "__GFP_HIGH", G32_HIGH },
	{ "__GFP_IO", G32_IO },
	{ "__GFP_FS", G32_FS },
	{ "__GFP_COLD", G32_COLD },
	{ "__GFP_NOWARN", G32_NOWARN },
	{ "__GFP_REPEAT", G32_REPEAT },
	{ "__GFP_NOFAIL", G32_NOFAIL },
	{ "__GFP_NORETRY", G32_NORETRY },
	{ "__GFP_COMP", G32_COMP },
	{ "__GFP_ZERO", G32_ZERO },
	{ "__GFP_NOMEMALLOC", G32_NOMEMALLOC },
	{ "__GFP_HARDWALL", G32_HARDWALL },
	{ "__GFP_THISNODE", G32_THISNODE },
	{ "__GFP_RECLAIMABLE", G32_RECLAIMABLE },
	{ NULL, 0 }
};

/* mm/vmstat.c: migratetype_names[] (2.6.32) */
static const char *const mt32_names[] = {
	"Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate",
};

/* mm/page_alloc.c: fallbacks[] (2.6.32); MIGRATE_RESERVE is tried last by
 * __rmqueue() itself, so it is left out here. */
static const int fallbacks32[][3] = {
	[0] = { 1, 2, -1 },     /* UNMOVABLE: RECLAIMABLE, MOVABLE */
	[1] = { 0, 2, -1 },     /* RECLAIMABLE: UNMOVABLE, MOVABLE */
	[2] = { 1, 0, -1 },     /* MOVABLE: RECLAIMABLE, UNMOVABLE */
};

/* mm/page_alloc.c: sysctl_lowmem_reserve_ratio[MAX_NR_ZONES-1] (2.6.32):
 * { DMA 256, DMA32 256, (HIGHMEM config) 32, 32 } indexed by zone. */
static const int lowmem_ratio32[ZK_COUNT] = {
	[ZK_DMA] = 256, [ZK_DMA32] = 256, [ZK_NORMAL] = 32,
	[ZK_HIGHMEM] = 32, [ZK_MOVABLE] = 0, [ZK_DEVICE] = 0,
};

static const struct kernel_profile kernels[] = {
	{
		.version = "2.6.32", .kv = KV_2_6_32,
		.gfp_names = gfp32_names, .gfp_print = gfp32_print,
		.gfp_bits_mask = (1u << 22) - 1,
		.gfp_kernel = G32_KERNEL, .gfp_wait = G32_WAIT, .gfp_high = G32_HIGH, .gfp_nowarn = G32_NOWARN,
		.gfp_nomemalloc = G32_NOMEMALLOC, .gfp_memalloc = 0, .gfp_thisnode = G32_THISNODE,
		.gfp_movable = G32_MOVABLE, .gfp_reclaimable = G32_RECLAIMABLE,
		.gfp_highmem = G32_HIGHMEM, .gfp_dma = G32_DMA, .gfp_dma32 = G32_DMA32,
		.gfp_comp = G32_COMP, .gfp_zero = G32_ZERO, .gfp_fs = G32_FS,
		.gfp_kswapd = 0,
		.nr_migratetypes = 5, .mt_names = mt32_names,
		.mt_unmovable = 0, .mt_reclaimable = 1, .mt_movable = 2,
		.mt_reserve = 3, .mt_highatomic = -1, .mt_isolate = 4,
		.nr_pcptypes = 3, .fallbacks = fallbacks32,
		.boot_free_to_tail = false, .uses_managed = false,
		.present_excludes_memmap = true,
		.min_free_kbytes_max = 65536, .has_promo = false,
		.pcp_high_minmax = false, .movable_wmark_capped = true, .vmap_nodes = false,
		.slab_impls = SLABS(SLAB_IMPL_SLAB, SLAB_IMPL_SLUB, SLAB_IMPL_SLOB),
		.lowmem_reserve_ratio = lowmem_ratio32,
	},
	{
		/* Debian 12's kernel.  Against 6.13: no WMARK_PROMO (6.2, for
		 * memory tiering), no pcp high_min/high_max (6.7), ZONE_MOVABLE
		 * is capped like HighMem only where it is HighMem (is_highmem();
		 * 6.13 __setup_per_zone_wmarks() names ZONE_MOVABLE), SLAB (gone
		 * in 6.8) and SLOB (6.4) still build, one vmap_area free tree
		 * under vmap_area_lock (per-node pools: 6.9), __GFP_ATOMIC. */
		.version = "6.1", .kv = KV_6_1,
		.gfp_names = gfp61_names, .gfp_print = gfp61_print,
		.gfp_bits_mask = (1u << 27) - 1,
		.gfp_kernel = G13_KERNEL, .gfp_wait = G13_DIRECT_RECLAIM, .gfp_high = G13_HIGH, .gfp_nowarn = G13_NOWARN,
		.gfp_nomemalloc = G13_NOMEMALLOC, .gfp_memalloc = G13_MEMALLOC, .gfp_thisnode = G13_THISNODE,
		.gfp_movable = G13_MOVABLE, .gfp_reclaimable = G13_RECLAIMABLE,
		.gfp_highmem = G13_HIGHMEM, .gfp_dma = G13_DMA, .gfp_dma32 = G13_DMA32,
		.gfp_comp = G13_COMP, .gfp_zero = G13_ZERO, .gfp_fs = G13_FS,
		.gfp_kswapd = G13_KSWAPD_RECLAIM,
		/* migratetypes, fallbacks and lowmem_reserve_ratio: 6.1
		 * mm/page_alloc.c has 6.13's */
		.nr_migratetypes = 5, .mt_names = mt13_names,
		.mt_unmovable = 0, .mt_movable = 1, .mt_reclaimable = 2,
		.mt_reserve = -1, .mt_highatomic = 3, .mt_isolate = 4,
		.nr_pcptypes = 3, .fallbacks = fallbacks13,
		.boot_free_to_tail = true, .uses_managed = true,
		.present_excludes_memmap = false,
		.min_free_kbytes_max = 262144, .has_promo = false,
		.pcp_high_minmax = false, .movable_wmark_capped = false, .vmap_nodes = false,
		.slab_impls = SLABS(SLAB_IMPL_SLUB, SLAB_IMPL_SLAB, SLAB_IMPL_SLOB),
		.lowmem_reserve_ratio = lowmem_ratio13,
	},
	{
		.version = "6.13", .kv = KV_6_13,
		.gfp_names = gfp13_names, .gfp_print = gfp13_print,
		.gfp_bits_mask = (1u << 24) - 1,
		.gfp_kernel = G13_KERNEL, .gfp_wait = G13_DIRECT_RECLAIM, .gfp_high = G13_HIGH, .gfp_nowarn = G13_NOWARN,
		.gfp_nomemalloc = G13_NOMEMALLOC, .gfp_memalloc = G13_MEMALLOC, .gfp_thisnode = G13_THISNODE,
		.gfp_movable = G13_MOVABLE, .gfp_reclaimable = G13_RECLAIMABLE,
		.gfp_highmem = G13_HIGHMEM, .gfp_dma = G13_DMA, .gfp_dma32 = G13_DMA32,
		.gfp_comp = G13_COMP, .gfp_zero = G13_ZERO, .gfp_fs = G13_FS,
		.gfp_kswapd = G13_KSWAPD_RECLAIM,
		.nr_migratetypes = 5, .mt_names = mt13_names,
		.mt_unmovable = 0, .mt_movable = 1, .mt_reclaimable = 2,
		.mt_reserve = -1, .mt_highatomic = 3, .mt_isolate = 4,
		.nr_pcptypes = 3, .fallbacks = fallbacks13,
		.boot_free_to_tail = true, .uses_managed = true,
		.present_excludes_memmap = false,
		.min_free_kbytes_max = 262144, .has_promo = true,
		.pcp_high_minmax = true, .movable_wmark_capped = true, .vmap_nodes = true,
		.slab_impls = 1u << SLAB_IMPL_SLUB,
		.lowmem_reserve_ratio = lowmem_ratio13,
	},
};

/* ---- machines ------------------------------------------------------ */

static const enum zone_kind zones_i386[] = { ZK_DMA, ZK_NORMAL, ZK_HIGHMEM, ZK_MOVABLE };
static const enum zone_kind zones_x86_64_old[] = { ZK_DMA, ZK_DMA32, ZK_NORMAL, ZK_MOVABLE };
static const enum zone_kind zones_x86_64[] = { ZK_DMA, ZK_DMA32, ZK_NORMAL, ZK_MOVABLE, ZK_DEVICE };

#define KiB 1024ull
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)
#define TiB (1024ull * GiB)

/*
 * What a pair of rows shares: i386 and i386-pae are one machine with and
 * without CONFIG_X86_PAE, x86_64 and x86_64-la57 one machine with 4- and
 * 5-level paging.  Each row adds what its paging changes.
 */
#define I386_COMMON \
	.bits = 32, .page_shift = 12, \
	.page_offset = 0xC0000000ull, .page_offset_old = 0xC0000000ull, \
	.max_dma_pfn = (16 * MiB) >> 12,        /* arch/x86/include/asm/dma.h MAX_DMA_PFN */ \
	.max_dma32_pfn = 0, \
	.highmem = true, \
	/* MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE with \
	 * VMALLOC_END = PKMAP_BASE (0xff800000) - 2 * PAGE_SIZE and \
	 * __VMALLOC_RESERVE = 128 MiB: 0xff7fe000 - 0xc0000000 - 0x8000000 \
	 * (arch/x86/include/asm/pgtable_32_types.h, 2.6.32); \
	 * layout_compute() has each kernel's own */ \
	.maxmem = 0xff7fe000ull - 0xC0000000ull - 128 * MiB, \
	.pci_hole_start = 0xC0000000ull, \
	.default_mem = 1 * GiB, .min_mem = 16 * MiB, \
	.default_kernel = "2.6.32", \
	.zones_2_6_32 = zones_i386, .nr_zones_2_6_32 = 4, \
	.zones_6_13 = zones_i386, .nr_zones_6_13 = 4, \
	.vmemmap_base = 0, \
	.struct_page_2_6_32 = 32, .struct_page_6_13 = 32, \
	/* 6.1 Debian 686: 262014 present pages less 259824 ("Total pages") \
	 * is 2190 pages of lowmem memmap = 40 (DMA, 4095 spanned) + 2150 \
	 * (Normal, 220158): 40-byte pages (memcg_data; 8-byte aligned for \
	 * SLUB's cmpxchg_double, HAVE_ALIGNED_STRUCT_PAGE) */ \
	.struct_page_6_1 = 40, \
	.kernel_load = 0x1000000ull,            /* CONFIG_PHYSICAL_START */ \
	.kcode = 0x4cb6acull, .krodata = 0, .kdata = 0x24fb94ull, .kbss = 0xa4000ull, \
	/* Debian 6.1 686: "912K init", "Freeing SMP alternatives memory: \
	 * 32K", "percpu: … s103316", "NR_CPUS:32" */ \
	.kinit = 912ull << 10, .ksmp_locks = 32ull << 10, \
	/* 6.1 and 6.13: Debian 6.1.0's 686 build, from the real kernel's \
	 * files (/work/shared/reference/real-kernels/i386-6.1-1G-2cpu): \
	 * iomem.txt "0b000000-0b91bc7f : Kernel code", "0b91c000-0bc38fff : \
	 * Kernel rodata", "0bc39000-0bd70bbf : Kernel data", "0be72000- \
	 * 0bee5fff : Kernel bss", which dmesg.txt's "Memory: … (9327K \
	 * kernel code, 1246K rwdata, 3188K rodata, 912K init, 464K bss" \
	 * agrees with; between the page after _edata (0xbd71000) and bss \
	 * 1028K, of which 912K init and 32K .smp_locks: the other 84K lie \
	 * before __init_begin.  The PAE build has no file here: it takes \
	 * these too. */ \
	.kcode_6x = 0x91bc80ull, .krodata_6x = 0x31d000ull, .kdata_6x = 0x137bc0ull, .kbss_6x = 0x74000ull, \
	.kdata_gap_6x = 84ull << 10, \
	.pcpu_static_size = 103316, .nr_cpus_config = 32, \
	/* Ubuntu 10.04's 2.6.32-30-generic i386 (a PAE-less 686 build): \
	 * "NR_CPUS:8 nr_cpumask_bits:8 nr_cpu_ids:2 nr_node_ids:1", \
	 * "PERCPU: Embedded 14 pages/cpu @c2c00000 s36056 r0 d21288 \
	 * u2097152" */ \
	.pcpu_static_size_2_6_32 = 36056, .nr_cpus_2_6_32 = 8, \
	.reserve_low_64k = true

#define X86_64_COMMON \
	.bits = 64, .page_shift = 12, \
	.page_offset_old = 0xffff880000000000ull, /* __PAGE_OFFSET (2.6.32) */ \
	.max_dma_pfn = (16 * MiB) >> 12, \
	.max_dma32_pfn = (4 * GiB) >> 12,       /* MAX_DMA32_PFN */ \
	.highmem = false, \
	.maxmem = 0, \
	.pci_hole_start = 0xC0000000ull, \
	.default_mem = 4 * GiB, .min_mem = 64 * MiB, .max_mem = 4 * TiB, \
	.default_kernel = "6.13", \
	.zones_2_6_32 = zones_x86_64_old, .nr_zones_2_6_32 = 4, \
	.zones_6_13 = zones_x86_64, .nr_zones_6_13 = 5, \
	.struct_page_2_6_32 = 56, .struct_page_6_13 = 64, .struct_page_6_1 = 64, \
	.pageblock_order = 9,                   /* HPAGE_PMD_ORDER */ \
	.kernel_load = 0x1000000ull, \
	.kcode = 0xb6f1a8ull, .krodata = 0x3a2000ull, .kdata = 0x1f3c80ull, .kbss = 0x11c000ull, \
	/* init as the model always had it (2964K); Debian 6.1 amd64: \
	 * "Freeing SMP alternatives memory: 36K", "percpu: … s217088", \
	 * "NR_CPUS:8192" (CONFIG_MAXSMP) */ \
	.kinit = 2964ull << 10, .ksmp_locks = 36ull << 10, \
	/* Debian 6.1 amd64's own: "Memory: … 2820K init", "Freeing unused \
	 * kernel image (initmem) memory: 2820K" */ \
	.kinit_6_1 = 2820ull << 10, \
	/* "NODE_DATA(0) allocated [mem 0x13edd2000-0x13edfcfff]" */ \
	.node_data_6_1 = 0x2b000, \
	.pcpu_static_size = 217088, .nr_cpus_config = 8192, \
	.reserve_low_64k = false

static const struct arch_profile arches[] = {
	{
		.name = "i386", .pgtable_levels = 2,
		I386_COMMON,
		.max_mem = 3 * GiB,
		.pageblock_order = 10,                  /* HUGETLB_PAGE_ORDER, 4 MiB pages */
	},
	{
		/* i386 with CONFIG_X86_PAE (HIGHMEM64G): 3-level tables, 2 MiB
		 * PMDs, so HPAGE_SHIFT = PMD_SHIFT = 21 and pageblock_order =
		 * HUGETLB_PAGE_ORDER = 21 - 12 = 9 (include/linux/pageblock-flags.h,
		 * arch/x86/include/asm/page_types.h); 36-bit physical addresses
		 * on 32-bit pfns (64 GiB).  struct page stays 32 bytes: its
		 * words are unsigned long / pointers, not PTE-sized.  maxmem is
		 * the 2.6.32 value (PKMAP_BASE 0xff800000 with LAST_PKMAP 512 as
		 * well). */
		.name = "i386-pae", .pgtable_levels = 3, .pae = true,
		I386_COMMON,
		.max_mem = 64 * GiB,
		.pageblock_order = 9,                   /* HUGETLB_PAGE_ORDER, 2 MiB pages */
	},
	{
		.name = "x86_64", .pgtable_levels = 4,
		X86_64_COMMON,
		.page_offset = 0xffff888000000000ull,   /* __PAGE_OFFSET_BASE_L4 (6.13) */
		.vmemmap_base = 0xffffea0000000000ull,  /* __VMEMMAP_BASE_L4 */
	},
	{
		/* x86_64 with 5-level paging (CONFIG_X86_5LEVEL on LA57
		 * hardware): __PAGE_OFFSET_BASE_L5 (page_64_types.h),
		 * __VMEMMAP_BASE_L5 (pgtable_64_types.h).  2.6.32 has no 5-level
		 * paging: layout_compute() refuses that pair, page_offset_old is
		 * the 4-level value only so that the row stays complete. */
		.name = "x86_64-la57", .pgtable_levels = 5, .la57 = true,
		X86_64_COMMON,
		.page_offset = 0xff11000000000000ull,   /* __PAGE_OFFSET_BASE_L5 */
		.vmemmap_base = 0xffd4000000000000ull,  /* __VMEMMAP_BASE_L5 */
	},
};

const struct arch_profile *arch_find(const char *name)
{
	for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++)
		if (strcmp(arches[i].name, name) == 0)
			return &arches[i];
	return NULL;
}

const struct kernel_profile *kernel_find(const char *version)
{
	for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++)
		if (strcmp(kernels[i].version, version) == 0)
			return &kernels[i];
	return NULL;
}

const char *arch_names(void)
{
	return "i386, i386-pae, x86_64, x86_64-la57";
}

const char *kernel_names(void)
{
	return "2.6.32, 6.1, 6.13";
}

/* mm/page_alloc.c: zone_names[] */
const char *zone_kind_name(enum zone_kind k)
{
	static const char *const names[ZK_COUNT] = {
		"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device",
	};
	return (unsigned)k < ZK_COUNT ? names[k] : "?";
}
