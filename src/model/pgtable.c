/*
 * pgtable.c - the kernel's page tables as model state.
 *
 * x86 page tables are a tree of 4 KiB pages: the top table (swapper_pg_dir
 * on i386, init_top_pgt on x86_64) holds entries that point at the next
 * level's table, down to the pte level whose entries map 4 KiB pages; an
 * entry with _PAGE_PSE at the pmd (or pud) level maps a large page itself.
 * The geometry per profile is arch/x86/include/asm/pgtable-2level_types.h
 * (10/10/12), pgtable-3level_types.h (PAE: 2/9/9/12) and
 * pgtable_64_types.h (9/9/9/9/12, LA57 9/9/9/9/9/12).
 *
 * Tables live in a pfn-keyed hash, so a walk follows the physical
 * addresses in the entries exactly as the MMU does.  Writes go through
 * set_entry(), which allocates missing levels the way pud_alloc(),
 * pmd_alloc() and pte_alloc_kernel() do (early tables from boot's
 * allocator, later ones from the buddy allocator with GFP_PGTABLE_KERNEL)
 * and logs every entry written.  change_attr() is set_memory.c's
 * change_page_attr_set_clr(): it splits a large page that a range covers
 * only in part (__split_large_page()) and keeps direct_pages_count[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/memmap.h"
#include "kmemsh/pgtable.h"

#define PT_PAGE 4096u

/* _PAGE_TABLE: what pmd_populate_kernel()/pud_populate() write for a lower
 * table (arch/x86/include/asm/pgalloc.h); PAE's top entries (PDPTEs) hold
 * only the present bit (pgtable-3level.h pud_populate()). */
#define _PAGE_TABLE (_KERNPG_TABLE | _PAGE_USER)

void pgtable_geometry(const struct machine *m, struct pt_geometry *g)
{
	const struct arch_profile *a = m->arch;
	memset(g, 0, sizeof *g);
	if (a->bits == 32 && !a->pae) {
		/* 2-level: the pgd entry is the (folded) pmd; PSE maps 4 MiB */
		*g = (struct pt_geometry){
			.levels = 2, .entry_bytes = 4, .va_bits = 32,
			.shift = { 22, 12 }, .ptrs = { 1024, 1024 },
			.name = { PTL_PGD, PTL_PTE }, .leaf_name = { PTL_PMD, PTL_PTE },
			.hole_name = { PTL_PGD, PTL_PTE },
			.leaf_ok = { true, true }, .addr_mask = 0xfffff000ull, .nx = false,
		};
	} else if (a->bits == 32) {
		/* PAE: 4 PDPTEs (pud folded into pgd), 2 MiB pmd leaves */
		*g = (struct pt_geometry){
			.levels = 3, .entry_bytes = 8, .va_bits = 32,
			.shift = { 30, 21, 12 }, .ptrs = { 4, 512, 512 },
			.name = { PTL_PGD, PTL_PMD, PTL_PTE }, .leaf_name = { PTL_PUD, PTL_PMD, PTL_PTE },
			.hole_name = { PTL_PGD, PTL_PMD, PTL_PTE },
			.leaf_ok = { false, true, true }, .addr_mask = 0x000ffffffffff000ull, .nx = true,
		};
	} else if (!a->la57) {
		/* 4-level; with CONFIG_X86_5LEVEL the p4d is folded at run time
		 * (pgtable_l5_enabled() false): pgd_none() is always false, so an
		 * empty top entry is found by p4d_none() in walk_p4d_range(), whose
		 * depth real_depth(1) is 0 since PTRS_PER_P4D (ptrs_per_p4d) is 1:
		 * the hole is a "pgd" (as without CONFIG_X86_5LEVEL) */
		*g = (struct pt_geometry){
			.levels = 4, .entry_bytes = 8, .va_bits = 48,
			.shift = { 39, 30, 21, 12 }, .ptrs = { 512, 512, 512, 512 },
			.name = { PTL_PGD, PTL_PUD, PTL_PMD, PTL_PTE },
			.leaf_name = { PTL_P4D, PTL_PUD, PTL_PMD, PTL_PTE },
			.hole_name = { PTL_PGD, PTL_PUD, PTL_PMD, PTL_PTE },
			.leaf_ok = { false, true, true, true }, .addr_mask = 0x000ffffffffff000ull, .nx = true,
		};
	} else {
		*g = (struct pt_geometry){
			.levels = 5, .entry_bytes = 8, .va_bits = 57,
			.shift = { 48, 39, 30, 21, 12 }, .ptrs = { 512, 512, 512, 512, 512 },
			.name = { PTL_PGD, PTL_P4D, PTL_PUD, PTL_PMD, PTL_PTE },
			.leaf_name = { PTL_PGD, PTL_P4D, PTL_PUD, PTL_PMD, PTL_PTE },
			.hole_name = { PTL_PGD, PTL_P4D, PTL_PUD, PTL_PMD, PTL_PTE },
			.leaf_ok = { false, false, true, true, true }, .addr_mask = 0x000ffffffffff000ull, .nx = true,
		};
	}
}

/* ---- table store ------------------------------------------------------- */

uint64_t pt_entry_get(const struct pgtable *pt, const struct pt_table *t, unsigned idx)
{
	if (pt->g.entry_bytes == 4) {
		uint32_t v;
		memcpy(&v, t->e + idx * 4u, 4);
		return v;
	}
	uint64_t v;
	memcpy(&v, t->e + idx * 8u, 8);
	return v;
}

static bool is_leaf(const struct pgtable *pt, unsigned depth, uint64_t e);
static int size_index(const struct pgtable *pt, unsigned depth);
static uint64_t entry_va(const struct pgtable *pt, const struct pt_table *t, unsigned i);
static struct pt_table *find_table(const struct pgtable *pt, uint64_t pfn);

/*
 * The direct map's range as the checker sees it: from PAGE_OFFSET, its
 * leaves reach at most to the end of its last large page: 1 GiB on x86_64
 * (nothing else lives in its 64 TiB), a pmd on i386, where vmalloc, pkmap
 * and fixmap entries follow high_memory.
 */
static void dm_range(const struct machine *m, uint64_t *po, uint64_t *span)
{
	const struct pgtable *pt = m->pt;
	uint64_t end = (m->arch->bits == 64 ? m->max_pfn : m->max_low_pfn) << 12;
	uint64_t big = m->arch->bits == 64 ? 1ull << 30 : pt_level_size(&pt->g, pt->g.levels - 2);
	*po = m->layout.page_offset;
	*span = (end + big - 1) & ~(big - 1);
	if (m->layout.vmalloc_start > *po && *span > m->layout.vmalloc_start - *po)
		*span = m->layout.vmalloc_start - *po;
}

/* How the checker's rules see a present entry i of t (pgtable_check()
 * applies the same rules to the entries themselves): EC_BAD, a leaf
 * beyond the physical address space or a table entry that points at no
 * table of the next depth; EC_LOOK, a direct-map leaf that maps another
 * address than its own or no RAM (6.x; a known range may still justify
 * it, which the checker decides when it looks).  *dm: the size class of a
 * direct-map leaf, else -1. */
enum { EC_BAD = 1, EC_LOOK = 2 };
static inline unsigned leaf_class(const struct machine *m, uint64_t va, unsigned depth, uint64_t e, int *dm,
				  bool all_ram)
{
	const struct pgtable *pt = m->pt;
	unsigned c = (e & pt->g.addr_mask) >> 12 >= (1ull << (52 - 12)) ? EC_BAD : 0;
	if (va - pt->dm_po >= pt->dm_span || va < pt->dm_po)
		return c;
	uint64_t size = pt_level_size(&pt->g, depth);
	uint64_t phys = e & pt->g.addr_mask & ~(size - 1);
	*dm = size_index(pt, depth);
	if (phys != va - pt->dm_po ||
	    (pt->dm_ram && !all_ram && phys >= 0x100000 && !memmap_ram_pages(&m->memmap, phys >> 12, (phys + size) >> 12)))
		c |= EC_LOOK;
	return c;
}

static unsigned entry_class(const struct machine *m, const struct pt_table *t, unsigned i, uint64_t e, int *dm)
{
	const struct pgtable *pt = m->pt;
	uint64_t pfn = (e & pt->g.addr_mask) >> 12;
	if (!is_leaf(pt, t->depth, e)) {
		const struct pt_table *nt = find_table(pt, pfn);
		return !nt || nt->depth != t->depth + 1 ? EC_BAD : 0;
	}
	return leaf_class(m, entry_va(pt, t, i), t->depth, e, dm, false);
}

/* A check word over the summary, so that a summary changed behind
 * entry_put() is seen too. */
static uint32_t table_seal(const struct pt_table *t)
{
	return (uint32_t)(t->used ^ (uint32_t)t->bad << 11 ^ (uint32_t)t->look << 22 ^ (uint32_t)t->dm[0] << 5 ^
			  (uint32_t)t->dm[1] << 16 ^ (uint32_t)t->dm[2] << 27 ^ (uint32_t)t->depth << 13) ^ 0x5bd1e995u;
}

static inline void account(const struct machine *m, struct pt_table *t, unsigned idx, uint64_t v, int sign)
{
	t->used = (uint16_t)(t->used + sign);
	if (!pt_present(v))
		return;
	int dm = -1;
	unsigned c = entry_class(m, t, idx, v, &dm);
	if (dm >= 0)
		t->dm[dm] = (uint16_t)(t->dm[dm] + sign);
	if (c & EC_BAD)
		t->bad = (uint16_t)(t->bad + sign);
	if (c & EC_LOOK)
		t->look = (uint16_t)(t->look + sign);
}

/* Every write of an entry: the entry, its shadow, the table's summary
 * (its seal left to the caller: entry_put(), or a loop that writes many
 * entries of one table and seals it once). */
static inline bool entry_write(struct machine *m, struct pt_table *t, unsigned idx, uint64_t v)
{
	struct pgtable *pt = m->pt;
	uint64_t old;
	if (pt->g.entry_bytes == 4) {
		uint32_t o, w = (uint32_t)v;
		memcpy(&o, t->e + idx * 4u, 4);
		memcpy(t->e + idx * 4u, &w, 4);
		memcpy(t->shadow + idx * 4u, &w, 4);
		old = o;
		v = w;
	} else {
		memcpy(&old, t->e + idx * 8u, 8);
		memcpy(t->e + idx * 8u, &v, 8);
		memcpy(t->shadow + idx * 8u, &v, 8);
	}
	/* only the flags changed (change_attr()'s writes): the rules see the
	 * same entry */
	if (old && v && !((old ^ v) & (pt->g.addr_mask | _PAGE_PRESENT | _PAGE_PSE)))
		return false;
	if (old)
		account(m, t, idx, old, -1);
	if (v)
		account(m, t, idx, v, +1);
	return old || v;
}

/* entry_write() of a leaf at va into an empty slot (map_range(), a split's
 * new table), without computing va again; all_ram: the caller knows that
 * the leaf maps only RAM. */
static inline void leaf_write_new(struct machine *m, struct pt_table *t, unsigned idx, uint64_t va, uint64_t e,
				  bool all_ram)
{
	const struct pgtable *pt = m->pt;
	if (pt->g.entry_bytes == 4) {
		uint32_t w = (uint32_t)e;
		memcpy(t->e + idx * 4u, &w, 4);
		memcpy(t->shadow + idx * 4u, &w, 4);
		e = w;
	} else {
		memcpy(t->e + idx * 8u, &e, 8);
		memcpy(t->shadow + idx * 8u, &e, 8);
	}
	if (!e)
		return;
	t->used++;
	int dm = -1;
	unsigned c = pt_present(e) ? leaf_class(m, va, t->depth, e, &dm, all_ram) : 0;
	if (dm >= 0)
		t->dm[dm]++;
	if (c & EC_BAD)
		t->bad++;
	if (c & EC_LOOK)
		t->look++;
}

static void entry_put(struct machine *m, struct pt_table *t, unsigned idx, uint64_t v)
{
	if (entry_write(m, t, idx, v))
		t->seal = table_seal(t);
}

static size_t hash_slot(uint64_t pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static struct pt_table *find_table(const struct pgtable *pt, uint64_t pfn)
{
	for (size_t i = hash_slot(pfn, pt->hcap);; i = (i + 1) & (pt->hcap - 1)) {
		uint32_t v = pt->hash[i];
		if (!v)
			return NULL;
		if (pt->t[v - 1].pfn == pfn)
			return &pt->t[v - 1];
	}
}

const struct pt_table *pgtable_table(const struct machine *m, uint64_t pfn)
{
	return m->pt ? find_table(m->pt, pfn) : NULL;
}

/* (Re)build the pfn index with nc slots. */
static int hash_fill(struct pgtable *pt, size_t nc)
{
	uint32_t *nh = calloc(nc, sizeof *nh);
	if (!nh)
		return -ENOMEM;
	for (size_t k = 0; k < pt->nt; k++) {
		size_t i = hash_slot(pt->t[k].pfn, nc);
		while (nh[i])
			i = (i + 1) & (nc - 1);
		nh[i] = (uint32_t)(k + 1);
	}
	free(pt->hash);
	pt->hash = nh;
	pt->hcap = nc;
	return 0;
}

static int hash_grow(struct pgtable *pt)
{
	return hash_fill(pt, pt->hcap ? pt->hcap * 2 : 64);
}

/* Add a zeroed table page at pfn; returns its index or -ENOMEM. */
static long table_add(struct pgtable *pt, uint64_t pfn, unsigned depth, uint64_t va)
{
	if ((pt->nt + 1) * 2 > pt->hcap && hash_grow(pt))
		return -ENOMEM;
	if (pt->nt == pt->capt) {
		size_t nc = pt->capt ? pt->capt * 2 : 16;
		struct pt_table *nt = realloc(pt->t, nc * sizeof *nt);
		if (!nt)
			return -ENOMEM;
		pt->t = nt;
		pt->capt = nc;
	}
	unsigned char *e = calloc(2, PT_PAGE);         /* the entries, then their shadow */
	if (!e)
		return -ENOMEM;
	struct pt_table *t = &pt->t[pt->nt];
	*t = (struct pt_table){ .pfn = pfn, .va = va, .depth = (uint8_t)depth, .e = e, .shadow = e + PT_PAGE };
	t->seal = table_seal(t);
	size_t i = hash_slot(pfn, pt->hcap);
	while (pt->hash[i])
		i = (i + 1) & (pt->hcap - 1);
	pt->hash[i] = (uint32_t)(pt->nt + 1);
	return (long)pt->nt++;
}

/* ---- logging ------------------------------------------------------------ */

static void log_entry(struct machine *m, enum change_kind kind, uint64_t va, unsigned depth,
		      uint64_t table, uint64_t val, uint64_t old)
{
	if (!m->log.enabled || m->pt->early)
		return;
	struct change c = { .kind = kind, .addr = va, .order = (uint8_t)depth, .pfn = table,
			    .val = val, .old = old };
	changelog_add(m, &c);
}

/* ---- set up ------------------------------------------------------------- */

/* pte_alloc_one_kernel()/pmd_alloc_one(): GFP_PGTABLE_KERNEL (6.13:
 * GFP_KERNEL | __GFP_ZERO) or PGALLOC_GFP (2.6.32: GFP_KERNEL |
 * __GFP_REPEAT | __GFP_ZERO, __GFP_NOTRACK being 0 without kmemcheck) */
static gfp_t pgtable_gfp(const struct machine *m)
{
	gfp_t g = 0;
	size_t bad;
	const char *text = m->kp->kv == KV_2_6_32 ? "GFP_KERNEL|__GFP_REPEAT|__GFP_ZERO" : "GFP_KERNEL|__GFP_ZERO";
	if (gfp_parse(m->kp, text, &g, &bad))
		gfp_parse(m->kp, "GFP_KERNEL|__GFP_ZERO", &g, &bad);
	return g;
}

int pgtable_init(struct machine *m, uint64_t top_pfn, pt_early_alloc_fn early, void *ctx)
{
	struct pgtable *pt = calloc(1, sizeof *pt);
	if (!pt)
		return -ENOMEM;
	pgtable_geometry(m, &pt->g);
	pt->early = early;
	pt->early_ctx = ctx;
	pt->top_pfn = top_pfn;
	m->pt = pt;
	dm_range(m, &pt->dm_po, &pt->dm_span);
	pt->dm_ram = m->kp->kv != KV_2_6_32;
	long k = table_add(pt, top_pfn, 0, 0);
	if (k < 0) {
		pgtable_free(m);
		return -ENOMEM;
	}
	pt->t[k].boot = true;
	return 0;
}

void pgtable_boot_done(struct machine *m)
{
	m->pt->early = NULL;
	m->pt->early_ctx = NULL;
}

void pgtable_free(struct machine *m)
{
	struct pgtable *pt = m->pt;
	if (!pt)
		return;
	for (size_t k = 0; k < pt->nt; k++)
		free(pt->t[k].e);
	free(pt->t);
	free(pt->hash);
	free(pt);
	m->pt = NULL;
}

size_t pgtable_host_bytes(const struct machine *m)
{
	const struct pgtable *pt = m->pt;
	if (!pt)
		return 0;
	return sizeof *pt + pt->capt * sizeof *pt->t + pt->nt * 2 * PT_PAGE + pt->hcap * sizeof *pt->hash;
}

/* ---- allocation of lower tables -------------------------------------------- */

/*
 * Whether a kernel table of this depth, allocated after boot, is counted
 * in NR_PAGETABLE (meminfo PageTables): only where its allocator runs a
 * page-table constructor that adds NR_PAGETABLE.
 * 6.13 include/asm-generic/pgalloc.h: pmd_alloc_one() runs
 * pagetable_pmd_ctor() and __pud_alloc_one() pagetable_pud_ctor(), for
 * init_mm too; __pte_alloc_one_kernel() is a bare pagetable_alloc(), no
 * pagetable_pte_ctor(); x86's p4d_alloc_one() (asm/pgalloc.h) is a bare
 * get_zeroed_page() (pagetable_p4d_ctor() came in 6.14).
 * 6.1: pmd_alloc_one() runs pgtable_pmd_page_ctor(); __pud_alloc_one() is
 * get_zeroed_page(), pte_alloc_one_kernel() __get_free_page().
 * 2.6.32 arch/x86: pte_alloc_one_kernel() (mm/pgtable.c), pmd_alloc_one()
 * and pud_alloc_one() (asm/pgalloc.h) are bare page allocations; only the
 * user pte_alloc_one() runs pgtable_page_ctor().
 */
bool pgtable_counts_as_pagetable(const struct machine *m, unsigned depth)
{
	const struct pgtable *pt = m->pt;
	if (!pt || depth >= pt->g.levels || depth + 1 == pt->g.levels)
		return false;
	switch (pt->g.name[depth]) {
	case PTL_PMD:
		return m->kp->kv >= KV_6_1;
	case PTL_PUD:
		return m->kp->kv >= KV_6_13;
	default:
		return false;
	}
}

/* A new zeroed table for `depth`, mapping from va: its index, or -ENOMEM. */
static long new_table(struct machine *m, unsigned depth, uint64_t va)
{
	struct pgtable *pt = m->pt;
	uint64_t pfn;
	bool boot = pt->early != NULL;
	if (boot) {
		pfn = pt->early(m, pt->early_ctx);
		if (pfn == UINT64_MAX)
			return -ENOMEM;
	} else {
		int r = buddy_alloc_pages(m, pgtable_gfp(m), 0, &pfn);
		if (r)
			return r;
	}
	long k = table_add(pt, pfn, depth, va);
	if (k < 0) {
		if (!boot)
			buddy_free_pages(m, pfn, 0);
		return k;
	}
	struct page *pg = page_touched(m, pfn);
	if (pg)
		pg->flags |= PG_table;
	pt->t[k].boot = boot;
	if (!boot && pgtable_counts_as_pagetable(m, depth)) {
		pt->t[k].counted = true;
		pt->nr_counted++;
	}
	if (!boot && m->log.enabled) {
		struct change c = { .kind = CH_PT_ALLOC, .pfn = pfn, .order = (uint8_t)depth, .addr = va };
		changelog_add(m, &c);
	}
	return k;
}

static uint64_t table_entry_for(const struct pgtable *pt, unsigned depth, uint64_t pfn)
{
	if (pt->g.levels == 3 && depth == 0)
		return (pfn << 12) | _PAGE_PRESENT;
	return (pfn << 12) | _PAGE_TABLE;
}

static bool is_leaf(const struct pgtable *pt, unsigned depth, uint64_t e)
{
	return depth + 1 == pt->g.levels || (pt->g.leaf_ok[depth] && (e & _PAGE_PSE));
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* The table of `depth` that holds va's entry, allocating the missing levels
 * above when alloc; NULL with *err. */
static struct pt_table *table_for(struct machine *m, uint64_t va, unsigned depth, bool alloc, int *err)
{
	struct pgtable *pt = m->pt;
	struct pt_table *t = &pt->t[0];
	for (unsigned d = 0; d < depth; d++) {
		unsigned idx = pt_index(&pt->g, d, va);
		uint64_t e = pt_entry_get(pt, t, idx);
		if (!pt_present(e)) {
			if (!alloc) {
				*err = -ENOENT;
				return NULL;
			}
			uint64_t tva = align_down(va, pt_level_size(&pt->g, d));
			size_t ti = (size_t)(t - pt->t);
			long k = new_table(m, d + 1, tva);
			if (k < 0) {
				*err = (int)k;
				return NULL;
			}
			t = &pt->t[ti];         /* the array may have moved */
			uint64_t ne = table_entry_for(pt, d, pt->t[k].pfn);
			entry_put(m, t, idx, ne);
			log_entry(m, CH_PTE_SET, tva, d, t->pfn, ne, 0);
			t = &pt->t[k];
			continue;
		}
		if (is_leaf(pt, d, e)) {
			*err = -EEXIST;
			return NULL;
		}
		t = find_table(pt, (e & pt->g.addr_mask) >> 12);
		if (!t) {
			*err = -EUCLEAN;
			return NULL;
		}
	}
	return t;
}

int pgtable_set_entry(struct machine *m, uint64_t va, unsigned depth, uint64_t entry)
{
	struct pgtable *pt = m->pt;
	if (!pt || depth >= pt->g.levels)
		return -EINVAL;
	if (depth + 1 < pt->g.levels && pt_present(entry) && !(entry & _PAGE_PSE))
		return -EINVAL;         /* tables are written by the level allocators */
	if (depth + 1 < pt->g.levels && (entry & _PAGE_PSE) && !pt->g.leaf_ok[depth])
		return -EINVAL;
	int err = 0;
	struct pt_table *t = table_for(m, va, depth, true, &err);
	if (!t)
		return err;
	unsigned idx = pt_index(&pt->g, depth, va);
	uint64_t old = pt_entry_get(pt, t, idx);
	if (pt_present(old) && !is_leaf(pt, depth, old))
		return -EEXIST;
	entry_put(m, t, idx, entry);
	log_entry(m, entry ? CH_PTE_SET : CH_PTE_CLEAR, align_down(va, pt_level_size(&pt->g, depth)),
		  depth, t->pfn, entry, old);
	return 0;
}

int pgtable_pte_alloc_kernel(struct machine *m, uint64_t va)
{
	int err = 0;
	if (!m->pt)
		return -EINVAL;
	return table_for(m, va, m->pt->g.levels - 1, true, &err) ? 0 : err;
}

int pgtable_table_alloc_kernel(struct machine *m, uint64_t va, unsigned depth)
{
	int err = 0;
	if (!m->pt || depth >= m->pt->g.levels)
		return -EINVAL;
	return table_for(m, va, depth, true, &err) ? 0 : err;
}

uint64_t pgtable_mk_pte(const struct machine *m, uint64_t pfn, uint64_t prot)
{
	uint64_t e = (pfn << 12) | prot;
	if (!m->pt->g.nx)
		e &= ~_PAGE_NX;
	if (m->pt->g.entry_bytes == 4)
		e &= 0xffffffffull;
	return e;
}

int pgtable_set_pte(struct machine *m, uint64_t va, uint64_t pte)
{
	if (!m->pt)
		return -EINVAL;
	return pgtable_set_entry(m, va, m->pt->g.levels - 1, pte);
}

int pgtable_pte_clear(struct machine *m, uint64_t va)
{
	struct pgtable *pt = m->pt;
	int err = 0;
	if (!pt)
		return -EINVAL;
	struct pt_table *t = table_for(m, va, pt->g.levels - 1, false, &err);
	if (!t)
		return err == -ENOENT ? 0 : err;
	unsigned idx = pt_index(&pt->g, pt->g.levels - 1, va);
	uint64_t old = pt_entry_get(pt, t, idx);
	if (!old)
		return 0;
	entry_put(m, t, idx, 0);
	log_entry(m, CH_PTE_CLEAR, align_down(va, 4096), pt->g.levels - 1, t->pfn, 0, old);
	return 0;
}

/* ---- huge vmap entries and the tables they replace --------------------------------- */

uint64_t pgtable_entry_at(const struct machine *m, uint64_t va, unsigned depth)
{
	const struct pgtable *pt = m->pt;
	if (!pt || depth >= pt->g.levels)
		return 0;
	const struct pt_table *t = &pt->t[0];
	for (unsigned d = 0;; d++) {
		uint64_t e = pt_entry_get(pt, t, pt_index(&pt->g, d, va));
		if (d == depth)
			return e;
		if (!pt_present(e) || is_leaf(pt, d, e) || !(t = find_table(pt, (e & pt->g.addr_mask) >> 12)))
			return 0;
	}
}

bool pgtable_entry_is_leaf(const struct machine *m, unsigned depth, uint64_t e)
{
	return m->pt && depth < m->pt->g.levels && pt_present(e) && is_leaf(m->pt, depth, e);
}

/* free_page() of a table page (with pagetable_pmd_dtor() when it was
 * counted in NR_PAGETABLE): out of the index, PG_table dropped, back to
 * the buddy allocator.  The index is rebuilt in place (no allocation). */
static void table_release(struct machine *m, struct pt_table *t)
{
	struct pgtable *pt = m->pt;
	uint64_t pfn = t->pfn, va = t->va;
	unsigned depth = t->depth;
	if (t->counted)
		pt->nr_counted--;
	free(t->e);
	*t = pt->t[--pt->nt];
	memset(pt->hash, 0, pt->hcap * sizeof *pt->hash);
	for (size_t k = 0; k < pt->nt; k++) {
		size_t i = hash_slot(pt->t[k].pfn, pt->hcap);
		while (pt->hash[i])
			i = (i + 1) & (pt->hcap - 1);
		pt->hash[i] = (uint32_t)(k + 1);
	}
	struct page *pg = page_touched(m, pfn);
	if (pg)
		pg->flags &= ~PG_table;
	if (m->log.enabled) {
		struct change c = { .kind = CH_PT_FREE, .pfn = pfn, .order = (uint8_t)depth, .addr = va };
		changelog_add(m, &c);
	}
	buddy_free_pages(m, pfn, 0);
}

/* The table an entry at depth points to, if the model may free it: built
 * after boot (a boot table's page came from memblock) and with no present
 * entry (the range it maps is a free vmap range, unmapped already). */
static struct pt_table *freeable_lower(const struct pgtable *pt, unsigned depth, uint64_t e)
{
	if (!pt_present(e) || is_leaf(pt, depth, e))
		return NULL;
	struct pt_table *lt = find_table(pt, (e & pt->g.addr_mask) >> 12);
	if (!lt || lt->boot)
		return NULL;
	/* a pte table: no pte left; a pmd table (pud_free_pmd_page()):
	 * only entries that point to such pte tables */
	for (unsigned i = 0; lt->used && i < pt->g.ptrs[depth + 1]; i++) {
		uint64_t le = pt_entry_get(pt, lt, i);
		if (le && (depth + 2 == pt->g.levels || !freeable_lower(pt, depth + 1, le)))
			return NULL;
	}
	return lt;
}

static void clear_entry(struct machine *m, struct pt_table *t, unsigned idx, uint64_t va, unsigned depth)
{
	uint64_t old = pt_entry_get(m->pt, t, idx);
	entry_put(m, t, idx, 0);
	log_entry(m, CH_PTE_CLEAR, align_down(va, pt_level_size(&m->pt->g, depth)), depth, t->pfn, 0, old);
}

int pgtable_pmd_free_pte_page(struct machine *m, uint64_t va, unsigned depth)
{
	struct pgtable *pt = m->pt;
	int err = 0;
	if (!pt || depth + 2 != pt->g.levels)
		return 0;
	struct pt_table *t = table_for(m, va, depth, false, &err);
	if (!t)
		return 0;
	unsigned idx = pt_index(&pt->g, depth, va);
	uint64_t e = pt_entry_get(pt, t, idx);
	struct pt_table *lt = freeable_lower(pt, depth, e);
	if (!lt)
		return !pt_present(e);
	uint64_t lpfn = lt->pfn;
	clear_entry(m, t, idx, va, depth);
	pgtable_flush_tlb_kernel_range(m, va, va + 4096 - 1);   /* "INVLPG to clear all paging-structure caches" */
	table_release(m, find_table(pt, lpfn));
	return 1;
}

int pgtable_pud_free_pmd_page(struct machine *m, uint64_t va, unsigned depth)
{
	struct pgtable *pt = m->pt;
	int err = 0;
	if (!pt || depth + 3 != pt->g.levels)
		return 0;
	struct pt_table *t = table_for(m, va, depth, false, &err);
	if (!t)
		return 0;
	unsigned idx = pt_index(&pt->g, depth, va);
	uint64_t e = pt_entry_get(pt, t, idx);
	struct pt_table *lt = freeable_lower(pt, depth, e);
	if (!lt)
		return !pt_present(e);
	size_t ti = (size_t)(t - pt->t);
	/* the pmd entries must be tables the model may free, too */
	uint64_t lpfn = lt->pfn, pte_pfn[512];
	unsigned n = 0;
	for (unsigned i = 0; i < pt->g.ptrs[depth + 1]; i++) {
		uint64_t pe = pt_entry_get(pt, lt, i);
		if (!pe)
			continue;
		pte_pfn[n++] = freeable_lower(pt, depth + 1, pe)->pfn;    /* checked above */
	}
	/* pmd_sv = (pmd_t *)__get_free_page(GFP_KERNEL): the saved entries */
	uint64_t sv;
	if (buddy_alloc_pages(m, m->kp->gfp_kernel, 0, &sv))
		return 0;
	lt = find_table(pt, lpfn);
	uint64_t step = pt_level_size(&pt->g, depth + 1);
	for (unsigned i = 0; i < pt->g.ptrs[depth + 1]; i++)
		if (pt_entry_get(pt, lt, i))
			clear_entry(m, lt, i, align_down(va, pt_level_size(&pt->g, depth)) + i * step, depth + 1);
	clear_entry(m, &pt->t[ti], idx, va, depth);
	pgtable_flush_tlb_kernel_range(m, va, va + 4096 - 1);
	for (unsigned i = 0; i < n; i++)
		table_release(m, find_table(pt, pte_pfn[i]));
	buddy_free_pages(m, sv, 0);
	table_release(m, find_table(pt, lpfn));
	return 1;
}

int pgtable_clear_huge(struct machine *m, uint64_t va, unsigned depth)
{
	struct pgtable *pt = m->pt;
	int err = 0;
	if (!pt || depth + 1 >= pt->g.levels)
		return 0;
	struct pt_table *t = table_for(m, va, depth, false, &err);
	if (!t)
		return 0;
	unsigned idx = pt_index(&pt->g, depth, va);
	uint64_t e = pt_entry_get(pt, t, idx);
	if (!pt_present(e) || !is_leaf(pt, depth, e))
		return 0;
	clear_entry(m, t, idx, va, depth);
	return 1;
}

static void vunmap_level(struct machine *m, uint64_t addr, uint64_t end, unsigned d)
{
	struct pgtable *pt = m->pt;
	uint64_t size = pt_level_size(&pt->g, d);
	for (uint64_t a = addr, next; a != end; a = next) {
		next = align_down(a, size) + size;              /* pXd_addr_end() */
		if (next - 1 >= end - 1)
			next = end;
		if (d + 1 == pt->g.levels) {
			pgtable_pte_clear(m, a);
			continue;
		}
		uint64_t e = pgtable_entry_at(m, a, d);
		if (!pt_present(e))
			continue;               /* pXd_none_or_clear_bad() */
		if (is_leaf(pt, d, e)) {
			pgtable_clear_huge(m, a, d);    /* pmd_clear_huge()/pud_clear_huge() */
			continue;
		}
		vunmap_level(m, a, next, d + 1);
	}
}

void pgtable_vunmap_range(struct machine *m, uint64_t start, uint64_t end)
{
	if (m->pt && start < end)
		vunmap_level(m, start, end, 0);
}

void pgtable_flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end)
{
	m->pt->tlb_flushes++;
	if (m->log.enabled && !m->pt->early) {
		struct change c = { .kind = CH_TLB_FLUSH, .addr = start, .val = end };
		changelog_add(m, &c);
	}
}

void pgtable_flush_tlb_one(struct machine *m, uint64_t va)
{
	m->pt->tlb_flushes++;
	if (m->log.enabled && !m->pt->early) {
		struct change c = { .kind = CH_TLB_FLUSH, .addr = va, .val = va + 4096, .order = 1 };
		changelog_add(m, &c);
	}
}

/* direct_pages_count[] index of a leaf at depth */
static int size_index(const struct pgtable *pt, unsigned depth)
{
	unsigned s = pt->g.shift[depth];
	return s == 12 ? 0 : (s == 30 ? 2 : 1);
}

int pgtable_map_range(struct machine *m, uint64_t va, uint64_t pa, uint64_t size,
		      unsigned leaf_depth, uint64_t prot, bool direct)
{
	struct pgtable *pt = m->pt;
	uint64_t step = pt_level_size(&pt->g, leaf_depth);
	bool large = leaf_depth + 1 < pt->g.levels;
	if ((va | pa | size) & (step - 1))
		return -EINVAL;
	if (large && !pt->g.leaf_ok[leaf_depth])
		return -EINVAL;
	/* the leaf table is looked up once per table, not once per entry */
	uint64_t span = leaf_depth ? pt_level_size(&pt->g, leaf_depth - 1) : 0;
	struct pt_table *t = NULL;
	uint64_t t_base = 0;
	for (uint64_t off = 0; off < size; off += step) {
		uint64_t a = va + off;
		if (!t || !span || align_down(a, span) != t_base) {
			int err = 0;
			if (t)
				t->seal = table_seal(t);
			t = table_for(m, a, leaf_depth, true, &err);
			if (!t)
				return err;
			t_base = span ? align_down(a, span) : 0;
		}
		unsigned idx = pt_index(&pt->g, leaf_depth, a);
		uint64_t old = pt_entry_get(pt, t, idx);
		if (pt_present(old) && !is_leaf(pt, leaf_depth, old)) {
			t->seal = table_seal(t);
			return -EEXIST;
		}
		uint64_t e = pgtable_mk_pte(m, (pa + off) >> 12, prot | (large ? _PAGE_PSE : 0));
		if (old)
			entry_write(m, t, idx, e);
		else
			leaf_write_new(m, t, idx, a, e, false);
		log_entry(m, CH_PTE_SET, a, leaf_depth, t->pfn, e, old);
		if (direct)
			pt->direct_pages[size_index(pt, leaf_depth)]++;
	}
	if (t)
		t->seal = table_seal(t);
	return 0;
}

/* ---- walk ---------------------------------------------------------------------- */

static bool canonical(const struct pt_geometry *g, uint64_t va)
{
	if (g->va_bits == 32)
		return va <= 0xffffffffull;
	uint64_t top = va >> (g->va_bits - 1);
	return top == 0 || top == (~0ull >> (g->va_bits - 1));
}

void pgtable_walk(const struct machine *m, uint64_t va, struct pt_walk *w)
{
	const struct pgtable *pt = m->pt;
	memset(w, 0, sizeof *w);
	if (!canonical(&pt->g, va)) {
		w->end = pt->g.va_bits == 32 ? WALK_OUT_OF_RANGE : WALK_NONCANONICAL;
		return;
	}
	const struct pt_table *t = &pt->t[0];
	for (unsigned d = 0; d < pt->g.levels; d++) {
		struct pt_walk_step *s = &w->step[w->nsteps++];
		s->depth = d;
		s->level = pt->g.name[d];
		s->index = pt_index(&pt->g, d, va);
		s->table_pfn = t->pfn;
		s->entry = pt_entry_get(pt, t, s->index);
		if (!pt_present(s->entry)) {
			w->end = WALK_NOT_PRESENT;
			return;
		}
		if (is_leaf(pt, d, s->entry)) {
			uint64_t size = pt_level_size(&pt->g, d);
			uint64_t base = s->entry & pt->g.addr_mask & ~(size - 1);
			s->leaf = true;
			w->end = WALK_MAPPED;
			w->page_size = size;
			w->phys = base + (va & (size - 1));
			return;
		}
		t = find_table(pt, (s->entry & pt->g.addr_mask) >> 12);
		if (!t) {                       /* cannot happen: checked by pgtable_check */
			w->end = WALK_NOT_PRESENT;
			return;
		}
	}
}

/* ---- change_page_attr ------------------------------------------------------------ */

/* __split_large_page(): a table of the next depth with the same mapping;
 * 2M/4M -> 4K moves PAT_LARGE to PAT and drops PSE; GLOBAL is set on
 * present entries; the large entry becomes a table entry (_KERNPG_TABLE). */
/*
 * Does __split_large_page() count this split in direct_pages_count[]
 * (split_page_count())?  6.13: when virt_addr_valid(address) and the pfn
 * is in the direct map — on x86_64 that includes the kernel image
 * mapping, so splitting the image's 2M pages moves DirectMap2M to
 * DirectMap4k too; 2.6.32: only for direct-map addresses.
 */
static bool split_counted(const struct machine *m, uint64_t va, bool *in_direct)
{
	const struct kernel_layout *l = &m->layout;
	uint64_t end = (m->arch->bits == 64 ? m->max_pfn : m->max_low_pfn) << 12;
	*in_direct = va >= l->page_offset && va - l->page_offset < end;
	if (*in_direct || m->kp->kv == KV_2_6_32)
		return *in_direct;
	if (m->arch->bits == 64 && l->start_kernel_map && va >= l->start_kernel_map &&
	    va - l->start_kernel_map < l->kernel_image_size)
		return ((va - l->start_kernel_map) >> 12) < m->max_pfn;
	return false;
}

static int split_large(struct machine *m, struct pt_table *t, unsigned idx, unsigned depth, uint64_t va)
{
	struct pgtable *pt = m->pt;
	uint64_t e = pt_entry_get(pt, t, idx);
	uint64_t size = pt_level_size(&pt->g, depth);
	uint64_t base_va = align_down(va, size);
	size_t ti = (size_t)(t - pt->t);
	long k;
	/* split_large_page(): alloc_pages(GFP_KERNEL, 0), not zeroed and not
	 * counted as a page table */
	if (pt->early) {
		k = new_table(m, depth + 1, base_va);
	} else {
		uint64_t pfn;
		int r = buddy_alloc_pages(m, m->kp->gfp_kernel, 0, &pfn);
		if (r)
			return r;
		k = table_add(pt, pfn, depth + 1, base_va);
		if (k < 0) {
			buddy_free_pages(m, pfn, 0);
			return (int)k;
		}
		struct page *pg = page_touched(m, pfn);
		if (pg)
			pg->flags |= PG_table;
	}
	if (k < 0)
		return (int)k;
	t = &pt->t[ti];
	struct pt_table *nt = &pt->t[k];
	unsigned nd = depth + 1;
	bool to_4k = nd + 1 == pt->g.levels;
	uint64_t step = pt_level_size(&pt->g, nd);
	/* the large entry's flags: everything below its page size (so
	 * _PAGE_PAT_LARGE, bit 12, too) and NX */
	uint64_t prot = e & ~(pt->g.addr_mask & ~(size - 1));
	uint64_t phys = e & pt->g.addr_mask & ~(size - 1);
	if (to_4k) {
		bool pat = prot & _PAGE_PAT_LARGE;
		prot &= ~(_PAGE_PSE | _PAGE_PAT_LARGE);
		if (pat)
			prot |= _PAGE_PAT;
	}
	if (prot & _PAGE_PRESENT)
		prot |= _PAGE_GLOBAL;
	/* the pieces of a large page that maps only RAM map only RAM */
	bool all_ram = memmap_ram_pages(&m->memmap, phys >> 12, (phys + size) >> 12) == size >> 12;
	for (unsigned i = 0; i < pt->g.ptrs[nd]; i++)
		leaf_write_new(m, nt, i, base_va + i * step, pgtable_mk_pte(m, (phys + i * step) >> 12, prot), all_ram);
	nt->seal = table_seal(nt);
	uint64_t te = (nt->pfn << 12) | _KERNPG_TABLE;
	entry_put(m, t, idx, te);
	if (m->log.enabled && !pt->early) {
		struct change c = { .kind = CH_PT_SPLIT, .addr = base_va, .order = (uint8_t)depth,
				    .pfn = nt->pfn, .val = te, .old = e };
		changelog_add(m, &c);
	}
	bool in_direct;
	if (split_counted(m, base_va, &in_direct)) {
		pt->direct_pages[size_index(pt, depth)]--;
		pt->direct_pages[size_index(pt, nd)] += pt->g.ptrs[nd];
		if (!in_direct) {
			/* counted, though these leaves are not the direct map's */
			pt->split_skew[size_index(pt, depth)]--;
			pt->split_skew[size_index(pt, nd)] += pt->g.ptrs[nd];
		}
	}
	return 0;
}

/* The leaf mapping va: its table, index and depth; false if unmapped. */
static bool leaf_of(struct machine *m, uint64_t va, struct pt_table **tp, unsigned *idxp, unsigned *dp)
{
	struct pgtable *pt = m->pt;
	struct pt_table *t = &pt->t[0];
	for (unsigned d = 0; d < pt->g.levels; d++) {
		unsigned idx = pt_index(&pt->g, d, va);
		uint64_t e = pt_entry_get(pt, t, idx);
		if (!pt_present(e))
			return false;
		if (is_leaf(pt, d, e)) {
			*tp = t;
			*idxp = idx;
			*dp = d;
			return true;
		}
		t = find_table(pt, (e & pt->g.addr_mask) >> 12);
		if (!t)
			return false;
	}
	return false;
}

int pgtable_change_attr(struct machine *m, uint64_t va, uint64_t npages, uint64_t set, uint64_t clr)
{
	struct pgtable *pt = m->pt;
	uint64_t end = va + npages * 4096;
	struct pt_table *t;
	unsigned idx, d;
	if (!pt->g.nx) {
		set &= ~_PAGE_NX;
		clr &= ~_PAGE_NX;
	}
	/* refuse before changing anything */
	for (uint64_t a = va; a < end; ) {
		if (!leaf_of(m, a, &t, &idx, &d))
			return -EFAULT;
		a = align_down(a, pt_level_size(&pt->g, d)) + pt_level_size(&pt->g, d);
	}
	for (uint64_t a = va; a < end; ) {
		leaf_of(m, a, &t, &idx, &d);
		uint64_t size = pt_level_size(&pt->g, d);
		uint64_t base = align_down(a, size);
		uint64_t e = pt_entry_get(pt, t, idx);
		uint64_t ne = (e & ~clr) | set;
		if (ne == e) {                  /* nothing to change: no split */
			a = base + size;
			continue;
		}
		if (d + 1 < pt->g.levels && (a != base || end - a < size)) {
			int r = split_large(m, t, idx, d, a);
			if (r)
				return r;
			continue;               /* look again at the smaller leaf */
		}
		entry_put(m, t, idx, ne);
		log_entry(m, CH_PTE_SET, base, d, t->pfn, ne, e);
		a = base + size;
	}
	pgtable_flush_tlb_kernel_range(m, va, end);
	return 0;
}

/* ---- dump walk --------------------------------------------------------------------- */

/* What the MMU makes of a path: U/S and R/W must be set at every level,
 * NX at any level forbids execution (dump_pagetables.c effective_prot()). */
static uint64_t path_prot(uint64_t eff, uint64_t e)
{
	return (eff & e & (_PAGE_USER | _PAGE_RW)) | ((eff | e) & _PAGE_NX);
}

static void dump_table(const struct machine *m, const struct pt_table *t, uint64_t base, uint64_t eff_in,
		       uint64_t start, uint64_t end, pt_note_fn cb, void *arg)
{
	const struct pgtable *pt = m->pt;
	unsigned d = t->depth;
	uint64_t size = pt_level_size(&pt->g, d);
	for (unsigned i = 0; i < pt->g.ptrs[d]; i++) {
		uint64_t a = base + (uint64_t)i * size;
		if (pt->g.va_bits == 48 && d == 0 && i >= 256)
			a |= 0xffff000000000000ull;             /* sign extension */
		else if (pt->g.va_bits == 57 && d == 0 && i >= 256)
			a |= 0xfe00000000000000ull;
		uint64_t last = a + size - 1;
		if (last < start || (end && a >= end))
			continue;
		uint64_t e = pt_entry_get(pt, t, i);
		uint64_t eff = d ? path_prot(eff_in, e) : e & (_PAGE_USER | _PAGE_RW | _PAGE_NX);
		if (pt_present(e) && !is_leaf(pt, d, e)) {
			const struct pt_table *nt = find_table(pt, (e & pt->g.addr_mask) >> 12);
			if (nt)
				dump_table(m, nt, a, eff, start, end, cb, arg);
			continue;
		}
		struct pt_dump_entry de = {
			.addr = a < start ? start : a, .entry = e, .eff = e ? eff : 0, .depth = d,
			.leaf = d + 1 == pt->g.levels || (pt->g.leaf_ok[d] && (e & _PAGE_PSE)),
		};
		cb(arg, &de);
	}
}

void pgtable_dump_walk(const struct machine *m, uint64_t start, uint64_t end, pt_note_fn cb, void *arg)
{
	if (!m->pt)
		return;
	dump_table(m, &m->pt->t[0], 0, 0, start, end, cb, arg);
}

/* ---- checker ---------------------------------------------------------------------- */

/* The first va a table entry maps (top-level entries sign-extended). */
static uint64_t entry_va(const struct pgtable *pt, const struct pt_table *t, unsigned i)
{
	uint64_t a = (t->depth ? t->va : 0) + (uint64_t)i * pt_level_size(&pt->g, t->depth);
	if (t->depth == 0 && pt->g.va_bits > 32 && i >= pt->g.ptrs[0] / 2)
		a |= ~0ull << (pt->g.va_bits - 1);
	return a;
}

/*
 * The direct map: its leaves, counted by size, are direct_pages_count[];
 * every RAM page below its end translates to itself; on 6.x every leaf maps
 * RAM or a range the resource tree knows (the ISA range is mapped whole),
 * while 2.6.32 maps everything below its end, unlisted holes too.
 *
 * The leaves of one table, counted into n[]; 0, or -EUCLEAN with the
 * message in err.
 */
static int check_dm_table(const struct machine *m, const struct pt_table *t, uint64_t po, uint64_t span,
			  uint64_t n[3], char *err, size_t errlen)
{
	const struct pgtable *pt = m->pt;
	for (unsigned i = 0; i < pt->g.ptrs[t->depth]; i++) {
		uint64_t e = pt_entry_get(pt, t, i);
		if (!pt_present(e) || !is_leaf(pt, t->depth, e))
			continue;
		uint64_t va = entry_va(pt, t, i);
		if (va < po || va - po >= span)
			continue;
		uint64_t size = pt_level_size(&pt->g, t->depth);
		uint64_t phys = e & pt->g.addr_mask & ~(size - 1);
		if (phys != va - po) {
			model_err_buf(err, errlen, "direct map: 0x%llx maps phys 0x%llx, not 0x%llx",
				 (unsigned long long)va, (unsigned long long)phys, (unsigned long long)(va - po));
			return -EUCLEAN;
		}
		/* 2.6.32 maps [0, max_low_pfn) holes and all; 6.x only
		 * RAM (and the ISA range whole) */
		if (m->kp->kv != KV_2_6_32 && phys >= 0x100000 &&
		    !memmap_ram_pages(&m->memmap, phys >> 12, (phys + size) >> 12) &&
		    !memmap_find_resource(&m->memmap, phys)) {
			model_err_buf(err, errlen, "direct map: 0x%llx maps phys 0x%llx, neither RAM nor a "
				 "known range", (unsigned long long)va, (unsigned long long)phys);
			return -EUCLEAN;
		}
		n[size_index(pt, t->depth)]++;
	}
	return 0;
}

/* The generic rules for one table's entries: used counted right, leaves
 * inside the physical address space, table entries pointing at a table
 * of the next depth. */
static int check_entries(struct machine *m, const struct pt_table *t)
{
	const struct pgtable *pt = m->pt;
	unsigned d = t->depth;
	unsigned used = 0;
	for (unsigned i = 0; i < pt->g.ptrs[d]; i++) {
		uint64_t e = pt_entry_get(pt, t, i);
		if (e)
			used++;
		if (!pt_present(e))
			continue;
		uint64_t pfn = (e & pt->g.addr_mask) >> 12;
		if (is_leaf(pt, d, e)) {
			if (pfn >= (1ull << (52 - 12))) {
				model_err(m, "entry %#llx maps beyond the physical address space",
					 (unsigned long long)e);
				return -EUCLEAN;
			}
			continue;
		}
		const struct pt_table *nt = find_table(pt, pfn);
		if (!nt || nt->depth != d + 1) {
			model_err(m,
				 "table entry %#llx (depth %u, index %u of table pfn %#llx) points at no table",
				 (unsigned long long)e, d, i, (unsigned long long)t->pfn);
			return -EUCLEAN;
		}
	}
	if (used != t->used) {
		model_err(m, "table pfn %#llx: %u entries used, %u counted",
			 (unsigned long long)t->pfn, used, t->used);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * Every table: in the index, an allocated table page, and its entries as
 * the rules want them.  A table whose entries are as the API last wrote
 * them (the shadow) and whose summary is sealed is judged by its summary:
 * the entries the rules would refuse were counted when written, so only a
 * table with such an entry (bad, look) is read again, and the direct map's
 * leaves are counted from the summaries (a 1 TiB machine's 1024 1 GiB
 * leaves cost two tables' counts, not 1024 entries).  A table written
 * behind the API, or whose summary was, is read whole as before.  The
 * generic rules' messages come before the direct map's, as they did when
 * these were two walks.
 */
int pgtable_check(struct machine *m)
{
	const struct pgtable *pt = m->pt;
	if (!pt)
		return 0;
	uint64_t po, span;
	dm_range(m, &po, &span);
	bool same_range = po == pt->dm_po && span == pt->dm_span && pt->dm_ram == (m->kp->kv != KV_2_6_32);
	uint64_t counted = 0;
	uint64_t n[3] = { 0, 0, 0 };
	char dm_err[sizeof m->err];
	dm_err[0] = 0;
	for (size_t k = 0; k < pt->nt; k++) {
		const struct pt_table *t = &pt->t[k];
		if (find_table(pt, t->pfn) != t) {
			model_err(m, "page table at pfn %#llx is not in the table index",
				 (unsigned long long)t->pfn);
			return -EUCLEAN;
		}
		if (t->counted)
			counted++;
		if (k) {
			struct page tmp;
			const struct page *pg = page_peek(m, t->pfn, &tmp);
			if (!t->boot && (!pg || !(pg->flags & PG_table) || (pg->flags & PG_buddy))) {
				model_err(m, "page-table page pfn %#llx is not an allocated table page",
					 (unsigned long long)t->pfn);
				return -EUCLEAN;
			}
		}
		bool summed = same_range && t->seal == table_seal(t) && !memcmp(t->e, t->shadow, PT_PAGE);
		if (!summed || t->bad) {
			int r = check_entries(m, t);
			if (r)
				return r;
		}
		if (dm_err[0])
			continue;
		if (summed && !t->look) {
			for (int i = 0; i < 3; i++)
				n[i] += t->dm[i];
		} else {
			check_dm_table(m, t, po, span, n, dm_err, sizeof dm_err);
		}
	}
	if (dm_err[0]) {
		model_err(m, "%s", dm_err);
		return -EUCLEAN;
	}
	for (int i = 0; i < 3; i++)
		if ((int64_t)n[i] + pt->split_skew[i] != (int64_t)pt->direct_pages[i]) {
			model_err(m, "direct map: %llu leaves of size class %d, DirectMap counts %llu",
				 (unsigned long long)n[i], i, (unsigned long long)pt->direct_pages[i]);
			return -EUCLEAN;
		}
	uint64_t end = (m->arch->bits == 64 ? m->max_pfn : m->max_low_pfn) << 12;
	for (size_t i = 0; i < m->memmap.nram; i++) {
		uint64_t s = (m->memmap.ram[i].start + 4095) & ~4095ull, e = m->memmap.ram[i].end & ~4095ull;
		if (e > end)
			e = end;
		for (uint64_t a = s; a < e; a = (a == s && e - 4096 > s) ? e - 4096 : e) {
			struct pt_walk w;
			pgtable_walk(m, po + a, &w);
			if (w.end != WALK_MAPPED || w.phys != a) {
				model_err(m, "direct map: RAM at phys 0x%llx is not mapped at 0x%llx",
					 (unsigned long long)a, (unsigned long long)(po + a));
				return -EUCLEAN;
			}
		}
	}
	if (counted != pt->nr_counted) {
		model_err(m, "PageTables counts %llu tables, %llu are counted",
			 (unsigned long long)pt->nr_counted, (unsigned long long)counted);
		return -EUCLEAN;
	}
	return 0;
}
