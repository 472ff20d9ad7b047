/*
 * pgtable.h - the kernel's own page tables (init_mm): swapper_pg_dir on
 * i386, init_top_pgt on x86_64, and every lower table.
 *
 * A table is a physical page (a pfn the model accounts for: reserved at
 * boot, taken from the buddy allocator later) holding 1024 four-byte
 * entries (i386) or 512 eight-byte entries (PAE, x86_64), with the x86 bit
 * layout of arch/x86/include/asm/pgtable_types.h.  Only materialised
 * tables exist; they are found by pfn, so a walk reads exactly what the
 * MMU would read: the top table, then the entry's address, level by level.
 *
 * Levels use the kernel's names.  A profile has 2 to 5 real levels; the
 * others are folded (i386: pgd = pmd; PAE: pgd = pud; 4-level: pgd = p4d).
 * Every write goes through one API (set_pte, pte_clear, the level
 * allocators and the TLB flush they imply) and lands in the change log.
 */
#ifndef KMEMSH_PGTABLE_H
#define KMEMSH_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* x86 entry bits (arch/x86/include/asm/pgtable_types.h) */
#define _PAGE_PRESENT   (1ull << 0)
#define _PAGE_RW        (1ull << 1)
#define _PAGE_USER      (1ull << 2)
#define _PAGE_PWT       (1ull << 3)
#define _PAGE_PCD       (1ull << 4)
#define _PAGE_ACCESSED  (1ull << 5)
#define _PAGE_DIRTY     (1ull << 6)
#define _PAGE_PSE       (1ull << 7)         /* in a pmd/pud (or i386 pgd): large page */
#define _PAGE_PAT       (1ull << 7)         /* in a 4 KiB pte */
#define _PAGE_GLOBAL    (1ull << 8)
#define _PAGE_PAT_LARGE (1ull << 12)        /* PAT bit of a 2M/4M/1G entry */
#define _PAGE_NX        (1ull << 63)        /* PAE and x86_64 only */

#define _KERNPG_TABLE   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* the kernel's level names (ptdump's levels 0..4) */
enum pt_level { PTL_PGD, PTL_P4D, PTL_PUD, PTL_PMD, PTL_PTE, PTL_NR };

#define PT_MAX_DEPTH 5

/* Geometry of one profile's tables, top (depth 0) to the pte level. */
struct pt_geometry {
	unsigned levels;                /* real levels: 2, 3, 4 or 5 */
	unsigned entry_bytes;           /* 4 or 8 */
	unsigned shift[PT_MAX_DEPTH];   /* address shift of each depth's index */
	unsigned ptrs[PT_MAX_DEPTH];    /* entries per table */
	enum pt_level name[PT_MAX_DEPTH];       /* the kernel's name of a depth */
	/* The levels 6.13's generic ptdump (mm/ptdump.c on mm/pagewalk.c)
	 * reports for an entry at a depth.  A leaf is noted by the
	 * ptdump_<level>_entry() callback that sees it: with folded levels
	 * every callback down to the real one sees the same entry, and the
	 * leaf test of the folded ones is false, so a leaf is reported at the
	 * lowest folded level (i386: a 4M pgd entry is a "pmd").  A hole is
	 * reported by pte_hole() at real_depth(), which moves a folded level
	 * up to the one above (i386: an empty pgd entry is a "pgd"; x86_64
	 * 4-level with CONFIG_X86_5LEVEL: pgd_none() is false and the p4d
	 * is the pgd entry, so an empty top entry is a "pgd" too). */
	enum pt_level leaf_name[PT_MAX_DEPTH];
	enum pt_level hole_name[PT_MAX_DEPTH];
	bool leaf_ok[PT_MAX_DEPTH];     /* a PSE leaf may sit here */
	unsigned va_bits;               /* 32, 48, 57 */
	uint64_t addr_mask;             /* physical-address bits of an entry */
	bool nx;                        /* the entry has an NX bit */
};

/* A materialised table page. */
struct pt_table {
	uint64_t pfn;
	uint64_t va;                    /* first address its entries map */
	uint8_t depth;
	bool boot;                      /* built at boot (not in PageTables) */
	bool counted;                   /* counted in meminfo PageTables */
	uint16_t used;                  /* present entries */
	unsigned char *e;               /* 4096 bytes of entries */
	/* What the checker needs of the entries, kept by every write (so
	 * that pgtable_check() costs what has changed, not the size of the
	 * direct map): the entries as last written (a write that bypassed
	 * the API shows as a difference), the direct-map leaves by size
	 * class, the entries the checker's rules refuse (bad) or must look
	 * at again (look: a direct-map leaf mapping the wrong address or no
	 * RAM), and a seal over these counts and used. */
	unsigned char *shadow;
	uint16_t dm[3];
	uint16_t bad, look;
	uint32_t seal;
};

/* early table pages: boot's allocator (brk pgt_buf, then memblock);
 * returns a pfn or UINT64_MAX */
typedef uint64_t (*pt_early_alloc_fn)(struct machine *m, void *ctx);

struct pgtable {
	struct pt_geometry g;
	uint64_t top_pfn;               /* swapper_pg_dir / init_top_pgt */
	struct pt_table *t;             /* tables, t[0] is the top */
	size_t nt, capt;
	uint32_t *hash;                 /* pfn -> index + 1, open addressing */
	size_t hcap;
	pt_early_alloc_fn early;        /* non-NULL while booting */
	void *early_ctx;
	/* arch/x86/mm/pat/set_memory.c direct_pages_count[]: direct-map
	 * pages by size (index: 0 = 4K, 1 = 2M/4M, 2 = 1G) */
	uint64_t direct_pages[3];
	int64_t split_skew[3];          /* counts that splits outside the direct map moved */
	uint64_t nr_counted;            /* table pages in NR_PAGETABLE */
	/* the direct map's range the summaries were kept for: its start,
	 * length, and whether its leaves must map RAM (6.x) */
	uint64_t dm_po, dm_span;
	bool dm_ram;
	uint64_t tlb_flushes;
};

/* Set up the geometry and the top table at top_pfn (inside the kernel
 * image); boot tables come from early() until pgtable_boot_done(). */
int pgtable_init(struct machine *m, uint64_t top_pfn, pt_early_alloc_fn early, void *ctx);
void pgtable_boot_done(struct machine *m);
void pgtable_free(struct machine *m);

/* Geometry of a profile (exposed for tests and views). */
void pgtable_geometry(const struct machine *m, struct pt_geometry *g);

/* Entries. */
uint64_t pt_entry_get(const struct pgtable *pt, const struct pt_table *t, unsigned idx);
const struct pt_table *pgtable_table(const struct machine *m, uint64_t pfn);   /* NULL: not a table */
static inline unsigned pt_index(const struct pt_geometry *g, unsigned depth, uint64_t va)
{
	return (unsigned)((va >> g->shift[depth]) & (g->ptrs[depth] - 1));
}
static inline uint64_t pt_level_size(const struct pt_geometry *g, unsigned depth)
{
	return 1ull << g->shift[depth];
}
static inline bool pt_present(uint64_t e)
{
	return e & _PAGE_PRESENT;
}

/*
 * Write the entry mapping va at `depth` (allocating the tables above it:
 * pud_alloc/pmd_alloc/pte_alloc_kernel).  A leaf above the pte depth must
 * carry _PAGE_PSE.  Refuses (-EEXIST) to replace a table by a leaf or to
 * descend through a large page.  0, -ENOMEM, -EINVAL, -EEXIST.
 */
int pgtable_set_entry(struct machine *m, uint64_t va, unsigned depth, uint64_t entry);

/* The kernel's calls. */
int pgtable_pte_alloc_kernel(struct machine *m, uint64_t va);          /* tables down to the pte table */
/* the tables down to the one of `depth` that holds va's entry (p4d_alloc,
 * pud_alloc on init_mm); 0, -EINVAL, -ENOMEM, -EEXIST (a leaf above) */
int pgtable_table_alloc_kernel(struct machine *m, uint64_t va, unsigned depth);
int pgtable_set_pte(struct machine *m, uint64_t va, uint64_t pte);     /* set_pte_at(&init_mm, ...) */
int pgtable_pte_clear(struct machine *m, uint64_t va);                 /* pte_clear(&init_mm, ...) */
void pgtable_flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end);

/*
 * Huge vmap entries (CONFIG_HAVE_ARCH_HUGE_VMAP; mm/vmalloc.c on
 * arch/x86/mm/pgtable.c of 6.13).  pgtable_entry_at: the entry at depth
 * for va, 0 when a table above is missing or a leaf.
 * pmd_free_pte_page() (x86_64; depth: the pmd) / pud_free_pmd_page()
 * (depth: the pud): an empty entry gives 1; an entry pointing to a table
 * is cleared, flush_tlb_kernel_range(va, va + PAGE_SIZE - 1), and the
 * table (for a pud, the pte tables below it first, through a page of
 * GFP_KERNEL for the saved entries) goes back to the buddy allocator: 1;
 * else 0.  The model also says 0 for a table built at boot or one with a
 * present entry.  pmd_clear_huge()/pud_clear_huge(): clear a leaf above
 * the pte level, 1, else 0.  pgtable_vunmap_range: vunmap_range_noflush(),
 * level by level: huge leaves cleared whole, ptes one by one, no table freed.
 */
uint64_t pgtable_entry_at(const struct machine *m, uint64_t va, unsigned depth);
bool pgtable_entry_is_leaf(const struct machine *m, unsigned depth, uint64_t e);
/* whether a kernel table of this depth allocated after boot is counted in
 * NR_PAGETABLE (meminfo PageTables) by the profile's allocator */
bool pgtable_counts_as_pagetable(const struct machine *m, unsigned depth);
int pgtable_pmd_free_pte_page(struct machine *m, uint64_t va, unsigned depth);
int pgtable_pud_free_pmd_page(struct machine *m, uint64_t va, unsigned depth);
int pgtable_clear_huge(struct machine *m, uint64_t va, unsigned depth);
void pgtable_vunmap_range(struct machine *m, uint64_t start, uint64_t end);
/* one page's entry: 6.13 flush_tlb_one_kernel(), 2.6.32 __flush_tlb_one() */
void pgtable_flush_tlb_one(struct machine *m, uint64_t va);
uint64_t pgtable_mk_pte(const struct machine *m, uint64_t pfn, uint64_t prot);

/*
 * Map [va, va+size) to [pa, pa+size) with leaves at leaf_depth (boot:
 * kernel_physical_mapping_init()); direct: count them in direct_pages.
 */
int pgtable_map_range(struct machine *m, uint64_t va, uint64_t pa, uint64_t size,
		      unsigned leaf_depth, uint64_t prot, bool direct);

/*
 * change_page_attr_set_clr() on [va, va + npages*4K): split large leaves
 * the range covers only in part (__split_large_page(), which counts the
 * split in direct_pages as split_page_count() does), then set and clear
 * bits in every leaf of the range.  0, -EFAULT (a page is not mapped),
 * -ENOMEM.
 */
int pgtable_change_attr(struct machine *m, uint64_t va, uint64_t npages, uint64_t set, uint64_t clr);

/* A walk: each level read, and where it ended. */
enum pt_walk_end {
	WALK_MAPPED,            /* reached a leaf: phys is valid */
	WALK_NOT_PRESENT,       /* an entry was not present */
	WALK_NONCANONICAL,      /* x86_64: not a canonical address */
	WALK_OUT_OF_RANGE,      /* i386: above 4 GiB */
};
struct pt_walk_step {
	unsigned depth;
	enum pt_level level;
	unsigned index;
	uint64_t table_pfn;
	uint64_t entry;
	bool leaf;
};
struct pt_walk {
	enum pt_walk_end end;
	int nsteps;
	struct pt_walk_step step[PT_MAX_DEPTH];
	uint64_t phys;                  /* WALK_MAPPED */
	uint64_t page_size;             /* the leaf's size */
};
void pgtable_walk(const struct machine *m, uint64_t va, struct pt_walk *w);

/*
 * Walk [start, end) (end 0: to the top of the address space) in address
 * order as mm/pagewalk.c's walk_page_range_novma() does: descend through
 * every present table entry and call back for every other entry the range
 * meets: an empty one (entry 0), a leaf (a pte, or a large page with
 * _PAGE_PSE, present or not) or one that is neither.  addr is the first
 * address of the entry, or start itself for the first entry when start is
 * not aligned.  eff is the protection the path gives: _PAGE_USER and
 * _PAGE_RW and-ed over every entry from the top down to this one,
 * _PAGE_NX or-ed (ptdump's effective_prot()).  Costs one visit per entry
 * of each materialised table the range meets, whatever the size of RAM.
 */
struct pt_dump_entry {
	uint64_t addr;
	uint64_t entry;
	uint64_t eff;
	unsigned depth;
	bool leaf;
};
typedef void (*pt_note_fn)(void *arg, const struct pt_dump_entry *e);
void pgtable_dump_walk(const struct machine *m, uint64_t start, uint64_t end, pt_note_fn cb, void *arg);

/* The checker: every present entry points at a table we know or at RAM or
 * a device range; 0 or -EUCLEAN with m->err set. */
int pgtable_check(struct machine *m);

/* Host bytes used by page tables */
size_t pgtable_host_bytes(const struct machine *m);

#endif
