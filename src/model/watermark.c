/*
 * watermark.c - zone watermarks, lowmem_reserve and the vm.* sysctls that
 * tune them (mm/page_alloc.c).
 *
 * Each zone has three marks (four in 6.13, with WMARK_PROMO): an allocation
 * may take a zone's pages only while its free pages stay above the mark it
 * is held to, plus the zone's lowmem_reserve for the zone the request could
 * have been served from.  min_free_kbytes grows with the square root of
 * lowmem and is shared out between the zones by size; lowmem_reserve keeps
 * a fraction of the higher zones' size free in each lower zone.  Writing
 * one of the sysctls recomputes what depends on it, as the kernel's
 * handlers do.
 *
 * Followed: Linux 6.13 and 2.6.32, both in mm/page_alloc.c
 * (init_per_zone_wmark_min(), setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve(), min_free_kbytes_sysctl_handler(),
 * watermark_scale_factor_sysctl_handler(),
 * lowmem_reserve_ratio_sysctl_handler()).  The 6.x watermark boost that
 * rides on the marks is buddy.c's (boost_watermark()) and vmscan.c's
 * (balance_pgdat()); here only its sysctl, and setup clearing it.  Part of
 * the page allocator (layer 3): it calls buddy.c and the core, nothing
 * above.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/pcp.h"

#define PAGE_SHIFT 12

/* ---- watermarks ------------------------------------------------------- */

/* the pages a zone's share is reckoned on: managed (6.13) or present (2.6.32) */
static uint64_t zone_pages_for_wmark(const struct machine *m, const struct zone *z)
{
	return m->kp->uses_managed ? z->managed : z->present;
}

/*
 * mm/page_alloc.c: calculate_min_free_kbytes() (6.13) / init_per_zone_wmark_min()
 * (2.6.32): int_sqrt(lowmem_kbytes * 16) clamped to [128, 262144] (6.13)
 * or [128, 65536] (2.6.32), where lowmem_kbytes = nr_free_buffer_pages()
 * = Σ (pages - high_wmark) over zones up to gfp_zone(GFP_USER), with the
 * high watermark still 0 at the first call.
 */
unsigned machine_calc_min_free_kbytes(const struct machine *m)
{
	uint64_t pages = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_HIGHMEM || z->kind == ZK_MOVABLE || z->kind == ZK_DEVICE)
			continue;
		pages += zone_pages_for_wmark(m, z);
	}
	uint64_t v = int_sqrt(pages * 4 * 16);
	if (v < 128)
		v = 128;
	if (v > m->kp->min_free_kbytes_max)
		v = m->kp->min_free_kbytes_max;
	return (unsigned)v;
}

/*
 * 6.13 and 6.1 __setup_per_zone_wmarks() / 2.6.32 setup_per_zone_wmarks():
 *   tmp = pages_min * pages(zone) / lowmem_pages
 *   highmem/movable: min = clamp(pages/1024, SWAP_CLUSTER_MAX, 128)
 *   6.x: tmp = max(tmp >> 2, mult_frac(managed, wsf, 10000));
 *         watermark_boost = 0;
 *         low = min + tmp, high = low + tmp, promo = high + tmp (6.1 sets
 *         no promo; it is kept equal to high there, and not shown)
 *   2.6.32: low = min + tmp/4, high = min + tmp/2
 */
void machine_setup_wmarks(struct machine *m)
{
	uint64_t pages_min = m->min_free_kbytes >> (PAGE_SHIFT - 10);
	uint64_t lowmem = 0;
	bool old = m->kp->kv == KV_2_6_32;

	/* 6.1 tests is_highmem() alone, and ZONE_MOVABLE is highmem there
	 * only when movable_zone (find_usable_zone_for_movable(): the highest
	 * populated zone below it) is ZONE_HIGHMEM (include/linux/mmzone.h
	 * is_highmem_idx()); so an x86_64 Movable zone gets min = tmp */
	bool movable_high = m->kp->movable_wmark_capped;
	if (!movable_high) {
		int mz = -1;
		for (int i = 0; i < m->nr_zones; i++)
			if (m->zones[i].kind < ZK_MOVABLE && m->zones[i].present)
				mz = i;
		movable_high = mz >= 0 && m->zones[mz].kind == ZK_HIGHMEM;
	}
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind != ZK_HIGHMEM && (z->kind != ZK_MOVABLE || !movable_high))
			lowmem += zone_pages_for_wmark(m, z);
	}
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		uint64_t pages = zone_pages_for_wmark(m, z);
		uint64_t tmp = lowmem ? pages_min * pages / lowmem : 0;
		uint64_t minw;
		if (z->kind == ZK_HIGHMEM || (z->kind == ZK_MOVABLE && movable_high)) {
			minw = pages / 1024;
			if (minw < 32)
				minw = 32;
			if (minw > 128)
				minw = 128;
		} else {
			minw = tmp;
		}
		z->wmark[WMARK_MIN] = minw;
		z->watermark_boost = 0;         /* 6.x; 2.6.32 never has one */
		if (old) {
			z->wmark[WMARK_LOW] = minw + (tmp >> 2);
			z->wmark[WMARK_HIGH] = minw + (tmp >> 1);
			z->wmark[WMARK_PROMO] = z->wmark[WMARK_HIGH];
		} else {
			uint64_t step = tmp >> 2;
			uint64_t wsf = pages / 10000 * m->watermark_scale_factor +
				       pages % 10000 * m->watermark_scale_factor / 10000; /* mult_frac */
			if (wsf > step)
				step = wsf;
			z->wmark[WMARK_LOW] = minw + step;
			z->wmark[WMARK_HIGH] = z->wmark[WMARK_LOW] + step;
			z->wmark[WMARK_PROMO] = z->wmark[WMARK_HIGH] + (m->kp->has_promo ? step : 0);
		}
		zone_sync_fast_wmark(z);
	}
	/* 2.6.32 setup_per_zone_wmarks() ends with setup_zone_migrate_reserve() */
	if (m->kp->mt_reserve >= 0 && m->chunk)
		buddy_setup_migrate_reserve(m);
	/* 6.13 setup_per_zone_wmarks(): "the watermark size have changed so
	 * update the pcpu batch and high limits", zone_pcp_update() */
	pcp_update(m);
	struct change c = { .kind = CH_WMARKS };
	changelog_add(m, &c);
}

/*
 * 6.13 setup_per_zone_lowmem_reserve(): for lower zone i and upper zone j,
 *   lowmem_reserve[j] = Σ managed(i+1..j) / ratio[i]  (0 if ratio 0 or zone i empty)
 * 2.6.32: the same sums over present pages (a ratio below 1 is forced to 1).
 */
void machine_setup_lowmem_reserve(struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;
	int nzk = m->nr_node_zones;
	/* for_each_online_pgdat(): the sums stay inside each node, indexed by
	 * zone type */
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *lower = &m->zones[i];
		int zi = machine_zone_idx(m, lower), base = i - zi;
		int ratio = m->lowmem_reserve_ratio[zi];
		uint64_t sum = 0;
		for (int j = 0; j < MAX_NR_ZONES_MODEL; j++)
			lower->lowmem_reserve[j] = 0;
		if (old && ratio < 1)
			ratio = m->lowmem_reserve_ratio[zi] = 1;  /* the kernel writes it back */
		bool clear = !old && (ratio == 0 || lower->managed == 0);
		for (int j = zi + 1; j < nzk; j++) {
			sum += zone_pages_for_wmark(m, &m->zones[base + j]);
			lower->lowmem_reserve[j] = clear ? 0 : sum / (uint64_t)ratio;
		}
	}
}

/*
 * init_per_zone_wmark_min(): the sysctls start at the kernel's static
 * values (watermark_scale_factor = 10, sysctl_lowmem_reserve_ratio[]),
 * then min_free_kbytes, the watermarks and lowmem_reserve are computed
 * from the zones' sizes.
 */
void machine_init_per_zone_wmark_min(struct machine *m)
{
	m->watermark_scale_factor = 10;
	/* 6.1 kernel/sysctl.c / 6.13 mm/page_alloc.c: watermark_boost_factor
	 * __read_mostly = 15000 (5.0 on; the real 6.1 machines show 15000) */
	m->watermark_boost_factor = m->kp->kv == KV_2_6_32 ? 0 : 15000;
	m->extfrag_threshold = 500;     /* mm/compaction.c sysctl_extfrag_threshold */
	m->vfs_cache_pressure = 100;    /* fs/dcache.c sysctl_vfs_cache_pressure (2.6.32 too) */
	m->pcp_high_fraction = 0;       /* percpu_pagelist_high_fraction / 2.6.32 percpu_pagelist_fraction */
	m->swappiness = 60;             /* mm/vmscan.c "int vm_swappiness = 60" (2.6.32 too) */
	/* mm/compaction.c sysctl_compact_unevictable_allowed =
	 * CONFIG_COMPACT_UNEVICTABLE_DEFAULT: 1 unless PREEMPT_RT */
	m->compact_unevictable_allowed = 1;
	for (int i = 0; i < m->nr_node_zones; i++)
		m->lowmem_reserve_ratio[i] = m->kp->lowmem_reserve_ratio[m->zones[i].kind];
	m->min_free_kbytes = machine_calc_min_free_kbytes(m);
	machine_setup_wmarks(m);
	machine_setup_lowmem_reserve(m);
}

/* ---- transparent huge pages (mm/khugepaged.c) -------------------------- */

#define MIGRATE_PCPTYPES_13 3           /* Unmovable, Movable, Reclaimable */

const char *machine_thp_name(enum thp_mode t)
{
	static const char *const names[] = { "always", "always", "madvise", "never", "none" };
	return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* the zones gfp_zone(GFP_USER) reaches: all but HighMem, Movable, Device */
static bool user_zone(const struct zone *z)
{
	return z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE && z->kind != ZK_DEVICE;
}

/* mm/page_alloc.c nr_free_zone_pages(gfp_zone(GFP_USER)) */
uint64_t machine_nr_free_buffer_pages(const struct machine *m)
{
	uint64_t sum = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (user_zone(z) && z->managed > z->wmark[WMARK_HIGH])
			sum += z->managed - z->wmark[WMARK_HIGH];
	}
	return sum;
}

/* set_recommended_min_free_kbytes(): 2 free pageblocks per zone, and
 * MIGRATE_PCPTYPES^2 more for fallbacks; at most 5% of lowmem */
uint64_t machine_thp_recommended_min_free_kbytes(uint64_t pageblock_nr_pages, unsigned nr_zones,
						 uint64_t nr_free_buffer_pages)
{
	uint64_t rec = pageblock_nr_pages * nr_zones * 2;
	rec += pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES_13 * MIGRATE_PCPTYPES_13;
	if (rec > nr_free_buffer_pages / 20)
		rec = nr_free_buffer_pages / 20;
	return rec << (12 - 10);
}

int machine_thp_init(struct machine *m, char *err, size_t errlen)
{
	enum thp_mode want = m->cfg.thp;
	if (m->kp->kv == KV_2_6_32) {
		if (want != THP_DEFAULT) {
			model_err_buf(err, errlen, "--thp: Linux %s has no transparent huge pages (they came in 2.6.38)",
				 m->kp->version);
			return -EINVAL;
		}
		m->thp = THP_NONE;
		return 0;
	}
	/* Debian builds CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS=y: its 6.1 i386
	 * kernel, booted without transparent_hugepage=, shows "[always]" */
	m->thp = want == THP_DEFAULT ? THP_ALWAYS : want;
	if (m->thp == THP_NEVER) {
		/* !hugepage_pmd_enabled(): calculate_min_free_kbytes() again,
		 * now over the pages above the high watermarks */
		uint64_t v = int_sqrt(machine_nr_free_buffer_pages(m) * 4 * 16);
		m->min_free_kbytes = (unsigned)(v < 128 ? 128 : v > m->kp->min_free_kbytes_max ? m->kp->min_free_kbytes_max : v);
	} else {
		unsigned nr_zones = 0;
		for (int i = 0; i < m->nr_zones; i++)
			if (m->zones[i].present && user_zone(&m->zones[i]))
				nr_zones++;
		uint64_t rec = machine_thp_recommended_min_free_kbytes(1ull << m->pageblock_order, nr_zones,
								       machine_nr_free_buffer_pages(m));
		/* "raising min_free_kbytes from ... to help transparent hugepage
		 * allocations" is printed only when the user set it (at boot
		 * user_min_free_kbytes is -1) */
		if (rec > m->min_free_kbytes)
			m->min_free_kbytes = (unsigned)rec;
	}
	machine_setup_wmarks(m);
	return 0;
}

/* ---- sysctl ----------------------------------------------------------- */

/*
 * The vm sysctls the model knows, in `sysctl -a` order, and which kernels
 * have each: from `since` on (NULL: every modelled kernel), and, for one
 * that `replaced_by` took the place of, until that one's `since`; `numa`:
 * only with CONFIG_NUMA (machine_config_numa()).  `zero_refused`: every
 * value below MIN_PERCPU_PAGELIST_HIGH_FRACTION is EINVAL (-EDOM), 0 too
 * (2.6.32 kernel/sysctl.c min_percpu_pagelist_fract); without it 0, the
 * default, is allowed.  sysctl -a, completion, reads, writes and the
 * errors that explain a missing one all come from this table.
 */
static const struct sysctl_row {
	const char *name;
	const char *since;
	const char *replaced_by;
	bool numa;
	bool zero_refused;
} sysctls[] = {
	{ "vm.min_free_kbytes", NULL, NULL, false, false },
	{ "vm.watermark_scale_factor", "4.6", NULL, false, false },
	{ "vm.lowmem_reserve_ratio", NULL, NULL, false, false },
	{ "vm.extfrag_threshold", "2.6.35", NULL, false, false },                /* with compaction */
	{ "vm.zone_reclaim_mode", NULL, NULL, true, false },
	{ "vm.vfs_cache_pressure", NULL, NULL, false, false },
	{ "vm.percpu_pagelist_high_fraction", "5.14", NULL, false, false },
	{ "vm.percpu_pagelist_fraction", NULL, "vm.percpu_pagelist_high_fraction", false, true },
	{ "vm.swappiness", NULL, NULL, false, false },
	{ "vm.compact_unevictable_allowed", "4.1", NULL, false, false },
	{ "vm.watermark_boost_factor", "5.0", NULL, false, false },              /* with boosting */
};
#define NR_SYSCTLS (sizeof sysctls / sizeof sysctls[0])

/* "2.6.35" -> 0x020623: a version that compares as a number */
static unsigned version_code(const char *v)
{
	unsigned code = 0;
	for (int part = 0; part < 3; part++) {
		char *end;
		code = code << 8 | (unsigned)strtoul(v, &end, 10);
		v = *end == '.' ? end + 1 : end;
	}
	return code;
}

static const char *sysctl_norm(const char *name)
{
	if (strncmp(name, "vm.", 3) == 0)
		return name + 3;
	if (strncmp(name, "vm/", 3) == 0)
		return name + 3;
	return name;
}

/* the row of NAME ("vm." or "vm/" optional), or NULL */
static const struct sysctl_row *sysctl_row(const char *name)
{
	const char *n = sysctl_norm(name);
	for (size_t k = 0; k < NR_SYSCTLS; k++)
		if (strcmp(n, sysctls[k].name + 3) == 0)
			return &sysctls[k];
	return NULL;
}

static bool kernel_since(const struct machine *m, const char *since)
{
	return !since || version_code(m->kp->version) >= version_code(since);
}

static bool sysctl_exists(const struct machine *m, const struct sysctl_row *r)
{
	if (!r || !kernel_since(m, r->since) || (r->numa && !machine_config_numa(m)))
		return false;
	return !r->replaced_by || !kernel_since(m, sysctl_row(r->replaced_by)->since);
}

/* The i-th sysctl this kernel has. */
const char *machine_sysctl_name_at(const struct machine *m, size_t i)
{
	for (size_t k = 0; k < NR_SYSCTLS; k++)
		if (sysctl_exists(m, &sysctls[k]) && i-- == 0)
			return sysctls[k].name;
	return NULL;
}

bool machine_sysctl_absent(const struct machine *m, const char *name, struct sysctl_absent *why)
{
	const struct sysctl_row *r = sysctl_row(name);
	if (!r || sysctl_exists(m, r) || (r->numa && !machine_config_numa(m)))
		return false;
	*why = (struct sysctl_absent){ .since = r->since };
	/* one side of a rename: the old name on a newer kernel, the new one
	 * on an older kernel */
	const struct sysctl_row *old = r->replaced_by ? r : NULL;
	for (size_t k = 0; !old && k < NR_SYSCTLS; k++)
		if (sysctls[k].replaced_by && strcmp(sysctls[k].replaced_by, r->name) == 0)
			old = &sysctls[k];
	if (old) {
		const struct sysctl_row *to = sysctl_row(old->replaced_by);
		*why = (struct sysctl_absent){ .since = to->since, .from = old->name, .to = to->name,
					       .has = r == old ? to->name : old->name };
	}
	return true;
}

bool machine_sysctl_zero_refused(const char *name)
{
	const struct sysctl_row *r = sysctl_row(name);
	return r && r->zero_refused;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (v < lo || v > hi)
		return -ERANGE;
	*out = v;
	return 0;
}

/* One sysctl write, parsed: validated before anything is applied, so that
 * `sysctl -w A=1 B=x` can refuse the whole line with nothing changed. */
struct sysctl_write {
	enum { SW_MIN_FREE_KBYTES, SW_WATERMARK_SCALE_FACTOR, SW_LOWMEM_RESERVE_RATIO, SW_EXTFRAG_THRESHOLD,
	       SW_ZONE_RECLAIM_MODE, SW_VFS_CACHE_PRESSURE, SW_PCP_HIGH_FRACTION, SW_SWAPPINESS,
	       SW_COMPACT_UNEVICTABLE, SW_WATERMARK_BOOST_FACTOR } which;
	long v;
	int vals[MAX_NR_ZONES_MODEL];
	int k;
};

static int sysctl_parse(const struct machine *m, const char *name, const char *value, struct sysctl_write *w)
{
	const char *n = sysctl_norm(name);
	if (!sysctl_exists(m, sysctl_row(n)))
		return -ENOENT;
	if (strcmp(n, "min_free_kbytes") == 0) {
		/* min_free_kbytes_sysctl_handler: proc_dointvec_minmax with min 0 */
		w->which = SW_MIN_FREE_KBYTES;
		return parse_int(value, 0, 2147483647L, &w->v);
	}
	if (strcmp(n, "watermark_scale_factor") == 0) {
		/* extra1 = SYSCTL_ONE, extra2 = 3000 */
		w->which = SW_WATERMARK_SCALE_FACTOR;
		return parse_int(value, 1, 3000, &w->v);
	}
	if (strcmp(n, "extfrag_threshold") == 0) {
		/* mm/compaction.c vm_compaction[]: proc_dointvec_minmax, 0 .. 1000 */
		w->which = SW_EXTFRAG_THRESHOLD;
		return parse_int(value, 0, 1000, &w->v);
	}
	if (strcmp(n, "zone_reclaim_mode") == 0) {
		/* mm/vmscan.c vmscan_sysctl_table: proc_dointvec_minmax, extra1
		 * SYSCTL_ZERO (RECLAIM_ZONE 1, RECLAIM_WRITE 2, RECLAIM_UNMAP 4) */
		w->which = SW_ZONE_RECLAIM_MODE;
		return parse_int(value, 0, 2147483647L, &w->v);
	}
	if (strcmp(n, "vfs_cache_pressure") == 0) {
		w->which = SW_VFS_CACHE_PRESSURE;
		/* 2.6.32 kernel/sysctl.c vm_table: proc_dointvec, whose
		 * extra1 = &zero is never read (only proc_dointvec_minmax reads
		 * extra1/extra2), so a negative value is stored as given; the
		 * model refuses values outside int (2.6.32's proc_dointvec
		 * would truncate them). 2.6.32 has no named dentry/inode
		 * caches in the model: the value is kept and shown, and
		 * changes nothing. */
		if (m->kp->kv == KV_2_6_32)
			return parse_int(value, -2147483647L - 1, 2147483647L, &w->v);
		/* 6.13: kernel/sysctl.c vm_table, proc_dointvec_minmax,
		 * extra1 SYSCTL_ZERO (the entry moved to fs/dcache.c
		 * vm_dcache_sysctls only in 6.14, "fs: dcache: move the sysctl
		 * to fs/dcache.c"); 6.1 is modelled the same */
		return parse_int(value, 0, 2147483647L, &w->v);
	}
	if (strcmp(n, "percpu_pagelist_high_fraction") == 0) {
		/* 6.x percpu_pagelist_high_fraction_sysctl_handler():
		 * proc_dointvec_minmax with extra1 SYSCTL_ZERO, then "Sanity
		 * checking to avoid pcp imbalance": 1 to 7 are refused with
		 * EINVAL and the old value kept (-EDOM here, for the message) */
		w->which = SW_PCP_HIGH_FRACTION;
		int r = parse_int(value, 0, 2147483647L, &w->v);
		if (r)
			return r;
		return w->v && w->v < MIN_PERCPU_PAGELIST_HIGH_FRACTION ? -EDOM : 0;
	}
	if (strcmp(n, "percpu_pagelist_fraction") == 0) {
		/* 2.6.32 kernel/sysctl.c vm_table: proc_dointvec_minmax with
		 * extra1 = &min_percpu_pagelist_fract (8), so everything below 8,
		 * 0 too, is EINVAL (-EDOM here): the boot value 0 cannot be
		 * written back (3.16 allowed it) */
		w->which = SW_PCP_HIGH_FRACTION;
		int r = parse_int(value, -2147483647L - 1, 2147483647L, &w->v);
		if (r)
			return r;
		return w->v < MIN_PERCPU_PAGELIST_HIGH_FRACTION ? -EDOM : 0;
	}
	if (strcmp(n, "swappiness") == 0) {
		/* proc_dointvec_minmax, extra1 SYSCTL_ZERO; extra2 6.x
		 * SYSCTL_TWO_HUNDRED (kernel/sysctl.c vm_table, 200 since 5.8's
		 * "mm: allow swappiness that prefers reclaiming anon over the
		 * file workingset"), 2.6.32 &one_hundred */
		w->which = SW_SWAPPINESS;
		return parse_int(value, 0, m->kp->kv == KV_2_6_32 ? 100 : 200, &w->v);
	}
	if (strcmp(n, "compact_unevictable_allowed") == 0) {
		/* mm/compaction.c vm_compaction[] (6.13; kernel/sysctl.c in
		 * 6.1): proc_dointvec_minmax(_warn_RT_change), 0 .. 1 */
		w->which = SW_COMPACT_UNEVICTABLE;
		return parse_int(value, 0, 1, &w->v);
	}
	if (strcmp(n, "watermark_boost_factor") == 0) {
		/* 6.1 kernel/sysctl.c vm_table / 6.13 mm/page_alloc.c
		 * page_alloc_sysctl_table: proc_dointvec_minmax, extra1
		 * SYSCTL_ZERO, no upper bound; nothing is recomputed (a boost
		 * already in place stays) */
		w->which = SW_WATERMARK_BOOST_FACTOR;
		return parse_int(value, 0, 2147483647L, &w->v);
	}
	if (strcmp(n, "lowmem_reserve_ratio") == 0) {
		int count = m->kp->kv == KV_2_6_32 ? m->nr_node_zones - 1 : m->nr_node_zones;
		const char *p = value;
		w->which = SW_LOWMEM_RESERVE_RATIO;
		w->k = 0;
		while (*p) {
			while (*p == ' ' || *p == '\t' || *p == ',')
				p++;
			if (!*p)
				break;
			char *end;
			errno = 0;
			long x = strtol(p, &end, 10);
			if (end == p || errno || x < 0 || x > 2147483647L)
				return -EINVAL;
			if (w->k >= count)
				return -E2BIG;
			w->vals[w->k++] = (int)x;
			p = end;
		}
		if (w->k == 0)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

static void sysctl_apply(struct machine *m, const struct sysctl_write *w)
{
	switch (w->which) {
	case SW_MIN_FREE_KBYTES:
		m->min_free_kbytes = (unsigned)w->v;
		m->user_min_free_kbytes = (unsigned)w->v;
		machine_setup_wmarks(m);
		break;
	case SW_WATERMARK_SCALE_FACTOR:
		m->watermark_scale_factor = (unsigned)w->v;
		machine_setup_wmarks(m);
		break;
	case SW_EXTFRAG_THRESHOLD:
		m->extfrag_threshold = (int)w->v;
		break;
	case SW_ZONE_RECLAIM_MODE:
		m->zone_reclaim_mode = (int)w->v;
		break;
	case SW_VFS_CACHE_PRESSURE:
		m->vfs_cache_pressure = (int)w->v;
		break;
	case SW_PCP_HIGH_FRACTION:
		/* 6.x: "No change?" returns; else zone_set_pageset_high_and_batch()
		 * for every populated zone.  2.6.32 sets every online CPU's
		 * pageset of every populated zone with setup_pagelist_highmark()
		 * whatever the old value.  Neither drains: a list above its new
		 * high is drained by its next free. */
		if (m->kp->kv != KV_2_6_32 && m->pcp_high_fraction == (int)w->v)
			break;
		m->pcp_high_fraction = (int)w->v;
		pcp_update(m);
		break;
	case SW_SWAPPINESS:
		m->swappiness = (int)w->v;
		break;
	case SW_COMPACT_UNEVICTABLE:
		m->compact_unevictable_allowed = (int)w->v;
		break;
	case SW_WATERMARK_BOOST_FACTOR:
		m->watermark_boost_factor = (int)w->v;
		break;
	case SW_LOWMEM_RESERVE_RATIO:
		/* proc_dointvec writes the values given, leaves the rest */
		for (int i = 0; i < w->k; i++)
			m->lowmem_reserve_ratio[i] = w->vals[i];
		machine_setup_lowmem_reserve(m);
		break;
	}
}

int machine_sysctl_check(const struct machine *m, const char *name, const char *value)
{
	struct sysctl_write w;
	return sysctl_parse(m, name, value, &w);
}

int machine_sysctl_set(struct machine *m, const char *name, const char *value)
{
	struct sysctl_write w;
	int r = sysctl_parse(m, name, value, &w);
	if (r)
		return r;
	sysctl_apply(m, &w);
	return 0;
}

int machine_sysctl_get(const struct machine *m, const char *name, char *buf, size_t len)
{
	const char *n = sysctl_norm(name);
	if (!sysctl_exists(m, sysctl_row(n)))
		return -ENOENT;
	if (strcmp(n, "min_free_kbytes") == 0) {
		snprintf(buf, len, "%u", m->min_free_kbytes);
		return 0;
	}
	if (strcmp(n, "watermark_scale_factor") == 0) {
		snprintf(buf, len, "%u", m->watermark_scale_factor);
		return 0;
	}
	if (strcmp(n, "extfrag_threshold") == 0) {
		snprintf(buf, len, "%d", m->extfrag_threshold);
		return 0;
	}
	if (strcmp(n, "zone_reclaim_mode") == 0) {
		snprintf(buf, len, "%d", m->zone_reclaim_mode);
		return 0;
	}
	if (strcmp(n, "vfs_cache_pressure") == 0) {
		snprintf(buf, len, "%d", m->vfs_cache_pressure);
		return 0;
	}
	if (strcmp(n, "percpu_pagelist_fraction") == 0 || strcmp(n, "percpu_pagelist_high_fraction") == 0) {
		snprintf(buf, len, "%d", m->pcp_high_fraction);
		return 0;
	}
	if (strcmp(n, "swappiness") == 0) {
		snprintf(buf, len, "%d", m->swappiness);
		return 0;
	}
	if (strcmp(n, "compact_unevictable_allowed") == 0) {
		snprintf(buf, len, "%d", m->compact_unevictable_allowed);
		return 0;
	}
	if (strcmp(n, "watermark_boost_factor") == 0) {
		snprintf(buf, len, "%d", m->watermark_boost_factor);
		return 0;
	}
	if (strcmp(n, "lowmem_reserve_ratio") == 0) {
		int count = m->kp->kv == KV_2_6_32 ? m->nr_node_zones - 1 : m->nr_node_zones;
		size_t pos = 0;
		buf[0] = '\0';
		for (int i = 0; i < count && pos < len; i++) {
			int w = snprintf(buf + pos, len - pos, "%s%d", i ? "\t" : "", m->lowmem_reserve_ratio[i]);
			if (w < 0)
				break;
			pos += (size_t)w;
		}
		return 0;
	}
	return -ENOENT;
}

