/*
 * highmem.h - temporary kernel mappings of pages: the persistent kmap
 * (PKMAP) slots of mm/highmem.c, 2.6.32's kmap_atomic() km_type slots and
 * 6.13's kmap_local_page()/kmap_atomic() per-CPU slot stack, both in the
 * fixmap.
 *
 * HighMem pages (i386 above max_low_pfn) have no permanent kernel address;
 * these calls give them one for a while by writing a pte.  A lowmem page
 * (every page on x86_64) is returned at its direct-map address and nothing
 * is written.  The state is struct highmem_state, m->hm, made on first use
 * and freed by machine_destroy().
 */
#ifndef KMEMSH_HIGHMEM_H
#define KMEMSH_HIGHMEM_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define KM_STACK_MAX 40                 /* >= KM_TYPE_NR (19) and KM_MAX_IDX (16) */
#define KM_NO_TYPE (-1)

enum kmap_how { KMAP_PKMAP, KMAP_ATOMIC, KMAP_LOCAL };

/* One fixmap kmap slot of a CPU (2.6.32: index = km_type; 6.13: stack depth). */
struct km_slot {
	bool used;
	bool atomic;                    /* 6.13: kmap_atomic (preemption off), not kmap_local */
	uint64_t pfn;
};

struct highmem_state {
	unsigned last_pkmap;            /* LAST_PKMAP */
	int *pkmap_count;               /* [LAST_PKMAP] */
	uint64_t *pkmap_pfn;            /* [LAST_PKMAP]: the page mapped there (valid while count > 0) */
	unsigned last_pkmap_nr;
	uint64_t flushes;               /* flush_all_zero_pkmaps() that flushed */
	unsigned ncpus;
	struct km_slot (*slot)[KM_STACK_MAX];   /* [ncpus] */
	int *depth;                     /* 6.13: kmap_ctrl.idx per CPU */
	bool warned_order;              /* kunmap_local's WARN_ON_ONCE has fired */
};

/* What a kmap call did (for the step's result). */
struct kmap_result {
	uint64_t addr;                  /* the address returned */
	uint64_t pfn;
	bool highmem;                   /* a HighMem page: a pte was written */
	bool reused;                    /* kmap: the page was already mapped (pkmap_count++) */
	bool flushed;                   /* kmap: the scan wrapped and flush_all_zero_pkmaps() flushed */
	unsigned nr;                    /* pkmap slot, or fixmap kmap index */
	int count;                      /* pkmap_count[nr] after the call */
	int type;                       /* 2.6.32 km_type, or KM_NO_TYPE */
	bool slept_report;              /* might_sleep() reported (or was rate-limited) */
};

/* 2.6.32's enum km_type names (asm-generic/kmap_types.h); -1 if unknown */
int highmem_km_type(const char *name);
const char *highmem_km_type_name(int type);

/* Is pfn a HighMem page (PageHighMem)? */
bool highmem_page(const struct machine *m, uint64_t pfn);

/* page_address(): the direct-map address, a kmapped HighMem page's pkmap
 * address (set_page_address), else 0 (NULL). */
uint64_t highmem_page_address(const struct machine *m, uint64_t pfn);

/*
 * The calls.  0, or a negative errno with m->err set:
 * kmap: -EAGAIN when every PKMAP slot is busy (the kernel would sleep on
 * pkmap_map_wait until a kunmap; the model refuses);
 * kunmap: -EINVAL for a HighMem page not kmapped (BUG_ON(!vaddr));
 * kmap_atomic: -EBUSY when the slot is in use (BUG_ON(!pte_none)), -ENOSPC
 * when the stack is full; kunmap_local/kunmap_atomic: -EINVAL for an
 * address that is no kmap slot.
 */
int highmem_kmap(struct machine *m, uint64_t pfn, struct kmap_result *r);
int highmem_kunmap(struct machine *m, uint64_t pfn, struct kmap_result *r);
int highmem_kmap_atomic(struct machine *m, uint64_t pfn, int type, bool local, struct kmap_result *r);
int highmem_kunmap_atomic(struct machine *m, uint64_t addr, int type, bool local, struct kmap_result *r);

/* Which kmap maps addr: 0 with *how, *pfn, *cpu, *count (pkmap_count or 0)
 * filled; -ENOENT if none. */
int highmem_lookup(const struct machine *m, uint64_t addr, enum kmap_how *how, uint64_t *pfn,
		   unsigned *cpu, int *count);

/* The fixmap index FIX_KMAP_BEGIN + idx of a CPU's slot, and its address. */
uint64_t highmem_slot_vaddr(const struct machine *m, unsigned cpu, unsigned idx);

/* The checker: every PKMAP slot with a count maps its page and one without
 * maps nothing, no page holds two PKMAP slots, every fixmap kmap slot in
 * use maps its page; 0 or -EUCLEAN with m->err set. */
int highmem_check(struct machine *m);

void highmem_free(struct machine *m);

#endif
