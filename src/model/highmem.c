/*
 * highmem.c - kmap: temporary kernel addresses for HighMem pages.
 *
 * Persistent kmaps (mm/highmem.c, the same in 2.6.32 and 6.13): LAST_PKMAP
 * ptes at PKMAP_BASE, one pte table.  pkmap_count[nr] is 0 for an unused,
 * flushed slot, 1 for an unused slot whose pte is still there (the TLB may
 * still hold it) and n for n - 1 users.  kmap_high() of a page not mapped
 * yet scans from last_pkmap_nr + 1 for a slot with count 0; when the scan
 * wraps to slot 0, flush_all_zero_pkmaps() clears every count-1 slot's pte
 * and flushes the whole PKMAP range once.  When every slot is in use the
 * task sleeps on pkmap_map_wait until a kunmap(); the model, with one task,
 * refuses instead and says so.  A mapped page's address is remembered by
 * set_page_address(), so page_address() of it is its pkmap address.
 *
 * Atomic kmaps live in the fixmap, KM slots per CPU from FIX_KMAP_BEGIN:
 * 2.6.32 arch/x86/mm/highmem_32.c kmap_atomic(page, type) uses slot
 * type + KM_TYPE_NR * cpu, one per km_type; 6.13 mm/highmem.c
 * kmap_local_page() pushes a per-task stack (kmap_local_idx_push(), slot
 * idx + KM_MAX_IDX * cpu) and kunmap_local() pops it: unmapping anything
 * but the top WARNs once and still clears the top slot's pte (x86's
 * kmap_get_pte() uses the index, not the address).  kmap_atomic() is
 * kmap_local plus preempt_disable() (2.6.32: pagefault_disable(), which
 * raises preempt_count too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/context.h"
#include "kmemsh/highmem.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"

/* PAGE_KERNEL (kmap_prot); pgtable_mk_pte drops NX where there is none */
#define KMAP_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)

/* 2.6.32 include/asm-generic/kmap_types.h */
static const char *const km_type_names[] = {
	"KM_BOUNCE_READ", "KM_SKB_SUNRPC_DATA", "KM_SKB_DATA_SOFTIRQ", "KM_USER0", "KM_USER1",
	"KM_BIO_SRC_IRQ", "KM_BIO_DST_IRQ", "KM_PTE0", "KM_PTE1", "KM_IRQ0", "KM_IRQ1",
	"KM_SOFTIRQ0", "KM_SOFTIRQ1", "KM_SYNC_ICACHE", "KM_SYNC_DCACHE", "KM_UML_USERCOPY",
	"KM_IRQ_PTE", "KM_NMI", "KM_NMI_PTE",
};
#define NR_KM_NAMES (sizeof km_type_names / sizeof km_type_names[0])

int highmem_km_type(const char *name)
{
	for (unsigned i = 0; i < NR_KM_NAMES; i++)
		if (!strcmp(name, km_type_names[i]))
			return (int)i;
	return -1;
}

const char *highmem_km_type_name(int type)
{
	return type >= 0 && (unsigned)type < NR_KM_NAMES ? km_type_names[type] : "?";
}

static bool old_kernel(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32;
}

static unsigned cur_cpu(const struct machine *m)
{
	return machine_this_cpu(m);
}

/* slots per CPU: KM_TYPE_NR (2.6.32) or KM_MAX_IDX (6.13) */
static unsigned km_per_cpu(const struct machine *m)
{
	unsigned n = m->layout.kconfig ? m->layout.kconfig->km_type_nr : 16;
	return n < KM_STACK_MAX ? n : KM_STACK_MAX;
}

bool highmem_page(const struct machine *m, uint64_t pfn)
{
	return m->layout.pkmap_base && pfn >= m->max_low_pfn && pfn < m->max_pfn;
}

/* Whether a kmap user holds the HighMem page at pfn mapped: a PKMAP slot
 * with users (pkmap_count > 1) or a CPU's fixmap slot.  The mapper holds a
 * reference, so compaction leaves the page where it is (m->page_pinned). */
static bool kmap_pinned(const struct machine *m, uint64_t pfn)
{
	const struct highmem_state *h = m->hm;
	if (!h || !highmem_page(m, pfn))
		return false;
	for (unsigned i = 0; i < h->last_pkmap; i++)
		if (h->pkmap_count[i] > 1 && h->pkmap_pfn[i] == pfn)
			return true;
	for (unsigned c = 0; c < h->ncpus; c++)
		for (unsigned i = 0; i < KM_STACK_MAX; i++)
			if (h->slot[c][i].used && h->slot[c][i].pfn == pfn)
				return true;
	return false;
}

static struct highmem_state *state(struct machine *m)
{
	if (m->hm)
		return m->hm;
	struct highmem_state *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->last_pkmap = m->layout.last_pkmap ? m->layout.last_pkmap : 1;
	h->ncpus = m->ncpus ? m->ncpus : 1;
	h->pkmap_count = calloc(h->last_pkmap, sizeof *h->pkmap_count);
	h->pkmap_pfn = calloc(h->last_pkmap, sizeof *h->pkmap_pfn);
	h->slot = calloc(h->ncpus, sizeof *h->slot);
	h->depth = calloc(h->ncpus, sizeof *h->depth);
	if (!h->pkmap_count || !h->pkmap_pfn || !h->slot || !h->depth) {
		m->hm = h;
		highmem_free(m);
		return NULL;
	}
	m->hm = h;
	m->page_pinned = kmap_pinned;
	return h;
}

void highmem_free(struct machine *m)
{
	struct highmem_state *h = m->hm;
	if (!h)
		return;
	free(h->pkmap_count);
	free(h->pkmap_pfn);
	free(h->slot);
	free(h->depth);
	free(h);
	m->hm = NULL;
	m->page_pinned = NULL;
}

static uint64_t pkmap_addr(const struct machine *m, unsigned nr)
{
	return m->layout.pkmap_base + ((uint64_t)nr << 12);
}

/* the pkmap slot holding pfn, or -1 (page_address_htable) */
static int pkmap_slot_of(const struct machine *m, uint64_t pfn)
{
	const struct highmem_state *h = m->hm;
	if (!h)
		return -1;
	for (unsigned i = 0; i < h->last_pkmap; i++)
		if (h->pkmap_count[i] > 0 && h->pkmap_pfn[i] == pfn)
			return (int)i;
	return -1;
}

uint64_t highmem_page_address(const struct machine *m, uint64_t pfn)
{
	if (machine_pfn_has_vaddr(m, pfn))
		return machine_pfn_to_vaddr(m, pfn);
	int nr = pkmap_slot_of(m, pfn);
	return nr < 0 ? 0 : pkmap_addr(m, (unsigned)nr);
}

uint64_t highmem_slot_vaddr(const struct machine *m, unsigned cpu, unsigned idx)
{
	return layout_fix_to_virt(&m->layout, m->layout.fix_kmap_begin + idx + km_per_cpu(m) * cpu);
}

/*
 * The mm/highmem.c lines of the BUG()s below.  6.13: read in the mainline
 * mm/highmem.c of the index's Kingxukai/linux (blob of commit
 * 0291023e7330da28f2f7453c87c2ab7082d8360f, a tree whose Makefile says
 * 6.17-rc3): kunmap_high() BUG_ON(!vaddr) 370 and its "case 0: BUG();"
 * 380, kmap_local_idx_push() BUG_ON(idx >= KM_MAX_IDX) 479,
 * __kmap_local_pfn_prot() BUG_ON(!pte_none(ptep_get(kmap_pte))) 564 and
 * kunmap_local_indexed()'s WARN_ON_ONCE(addr != __fix_to_virt(...)) 622.
 * That WARN is at 622 in reports of 6.12.0-rc4 and of 6.16.0 too, so no
 * line above it moved between 6.12 and 6.17 and these are 6.13's lines.
 * (The previous values 330/343/535/573 fit no version; the Debian
 * 6.12.118 copy has each one line lower - 371/381/480/565, WARN 623 -
 * after a stable backport.)  2.6.32: kunmap_high() BUG_ON(!vaddr) 262 and
 * BUG() 270, not checked (no copy of the 2.6.32 file was found).  6.1:
 * Debian's linux-source-6.1 (6.1.192) mm/highmem.c, BUG_ON(!vaddr) 358,
 * BUG() 368, BUG_ON(idx >= KM_MAX_IDX) 467, BUG_ON(!pte_none(*kmap_pte))
 * 552, the unmap-order WARN_ON_ONCE() 610.
 */
#define HM_KUNMAP_NOADDR_6_13   370
#define HM_KUNMAP_ZERO_6_13     380
#define HM_LOCAL_PUSH_6_13      479
#define HM_LOCAL_PTE_6_13       564
#define HM_KUNMAP_NOADDR_2_6_32 262
#define HM_KUNMAP_ZERO_2_6_32   270
#define HM_KUNMAP_NOADDR_6_1    358
#define HM_KUNMAP_ZERO_6_1      368
#define HM_LOCAL_PUSH_6_1       467
#define HM_LOCAL_PTE_6_1        552
#define HM_LOCAL_ORDER_6_1      610

/* the line of a mm/highmem.c check in this kernel: 2.6.32's, 6.1's, 6.13's */
static int hm_line(const struct machine *m, int v2_6_32, int v6_1, int v6_13)
{
	return old_kernel(m) ? v2_6_32 : m->kp->kv == KV_6_1 ? v6_1 : v6_13;
}

/* ---- persistent kmaps ------------------------------------------------------------------------ */

static void flush_all_zero_pkmaps(struct machine *m, struct kmap_result *r)
{
	struct highmem_state *h = m->hm;
	bool need_flush = false;
	for (unsigned i = 0; i < h->last_pkmap; i++) {
		if (h->pkmap_count[i] != 1)
			continue;
		h->pkmap_count[i] = 0;
		pgtable_pte_clear(m, pkmap_addr(m, i));
		h->pkmap_pfn[i] = 0;            /* set_page_address(page, NULL) */
		need_flush = true;
	}
	if (need_flush) {
		pgtable_flush_tlb_kernel_range(m, pkmap_addr(m, 0), pkmap_addr(m, h->last_pkmap));
		h->flushes++;
		r->flushed = true;
	}
}

/* map_new_virtual(): -EAGAIN where the kernel would sleep */
static int map_new_virtual(struct machine *m, uint64_t pfn, struct kmap_result *r)
{
	struct highmem_state *h = m->hm;
	unsigned count = h->last_pkmap;
	for (;;) {
		h->last_pkmap_nr = (h->last_pkmap_nr + 1) & (h->last_pkmap - 1);
		if (!h->last_pkmap_nr) {
			flush_all_zero_pkmaps(m, r);
			count = h->last_pkmap;
		}
		if (!h->pkmap_count[h->last_pkmap_nr])
			break;
		if (--count)
			continue;
		model_err(m, "all %u PKMAP slots are in use: kmap_high() would sleep "
			 "(TASK_UNINTERRUPTIBLE on pkmap_map_wait) until some kunmap() frees one; this model has no "
			 "other task to do that, so it refuses", h->last_pkmap);
		return -EAGAIN;
	}
	unsigned nr = h->last_pkmap_nr;
	int err = pgtable_set_pte(m, pkmap_addr(m, nr), pgtable_mk_pte(m, pfn, KMAP_PROT));
	if (err) {
		model_err(m, "cannot write the pkmap pte (%d)", err);
		return err;
	}
	h->pkmap_count[nr] = 1;
	h->pkmap_pfn[nr] = pfn;                 /* set_page_address() */
	return 0;
}

static void lowmem_result(const struct machine *m, uint64_t pfn, struct kmap_result *r)
{
	r->pfn = pfn;
	r->addr = machine_pfn_to_vaddr(m, pfn);
	r->highmem = false;
}

int highmem_kmap(struct machine *m, uint64_t pfn, struct kmap_result *r)
{
	memset(r, 0, sizeof *r);
	r->type = KM_NO_TYPE;
	m->err[0] = '\0';
	/* kmap(): might_sleep().  2.6.32's arch/x86/mm/highmem_32.c lines
	 * (kmap() might_sleep() 7, kunmap() BUG() 16, kmap_atomic_prot()
	 * BUG_ON(!pte_none()) 45) were checked against a 2.6.32.21 copy of the
	 * file (a study copy whose two added comment lines were discounted).
	 * 6.13 include/linux/highmem-internal.h: kmap() might_sleep() 44 and
	 * kunmap() might_sleep() 55, read in a torvalds/linux copy of the
	 * file from between 6.0 (it has is_kmap_addr()) and 6.15 (kmap() at
	 * line 40 there and in later versions).  The 6.13 mm/highmem.c BUG
	 * lines (see HM_* below) are read in a mainline copy; 2.6.32's
	 * mm/highmem.c (262, 270) could not be checked: no copy of that
	 * version was found (the 2.6.32 trees in the index are annotated
	 * study copies or hold other files). */
	if (old_kernel(m))
		r->slept_report = context_might_sleep(m, "arch/x86/mm/highmem_32.c", 7);
	else
		r->slept_report = context_might_sleep(m, "include/linux/highmem-internal.h", 44);
	if (!highmem_page(m, pfn)) {
		lowmem_result(m, pfn, r);
		return 0;
	}
	struct highmem_state *h = state(m);
	if (!h) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	r->pfn = pfn;
	r->highmem = true;
	int nr = pkmap_slot_of(m, pfn);       /* kmap_high(): page_address(page) */
	if (nr >= 0) {
		r->reused = true;
	} else {
		int err = map_new_virtual(m, pfn, r);
		if (err)
			return err;
		nr = (int)h->last_pkmap_nr;
	}
	h->pkmap_count[nr]++;
	r->nr = (unsigned)nr;
	r->count = h->pkmap_count[nr];
	r->addr = pkmap_addr(m, (unsigned)nr);
	return 0;
}

int highmem_kunmap(struct machine *m, uint64_t pfn, struct kmap_result *r)
{
	memset(r, 0, sizeof *r);
	r->type = KM_NO_TYPE;
	m->err[0] = '\0';
	r->pfn = pfn;
	if (old_kernel(m)) {
		if (context_in_interrupt(m)) {
			context_kernel_bug(m, "arch/x86/mm/highmem_32.c", 16);
			model_err(m, "kunmap() in interrupt context: 2.6.32 BUG()s "
				 "(if (in_interrupt()) BUG())");
			return -EINVAL;
		}
	} else {
		r->slept_report = context_might_sleep(m, "include/linux/highmem-internal.h", 55);
	}
	if (!highmem_page(m, pfn))
		return 0;                       /* lowmem: nothing to undo */
	r->highmem = true;
	int nr = pkmap_slot_of(m, pfn);
	if (nr < 0) {
		/* kunmap_high(): BUG_ON(!vaddr) */
		context_kernel_bug(m, "mm/highmem.c",
				   hm_line(m, HM_KUNMAP_NOADDR_2_6_32, HM_KUNMAP_NOADDR_6_1, HM_KUNMAP_NOADDR_6_13));
		model_err(m, "pfn %#llx is not kmapped: kunmap_high() finds no address "
			 "(BUG_ON(!vaddr))", (unsigned long long)pfn);
		return -EINVAL;
	}
	struct highmem_state *h = m->hm;
	if (h->pkmap_count[nr] == 1) {
		/* switch (--pkmap_count[nr]) { case 0: BUG(); } */
		context_kernel_bug(m, "mm/highmem.c",
				   hm_line(m, HM_KUNMAP_ZERO_2_6_32, HM_KUNMAP_ZERO_6_1, HM_KUNMAP_ZERO_6_13));
		model_err(m, "pfn %#llx has no kmap() user left (pkmap_count 1): one kunmap() "
			 "too many, kunmap_high() BUG()s", (unsigned long long)pfn);
		return -EINVAL;
	}
	h->pkmap_count[nr]--;
	r->nr = (unsigned)nr;
	r->count = h->pkmap_count[nr];
	r->addr = pkmap_addr(m, (unsigned)nr);
	return 0;
}

/* ---- atomic and local kmaps ------------------------------------------------------------------ */

int highmem_kmap_atomic(struct machine *m, uint64_t pfn, int type, bool local, struct kmap_result *r)
{
	memset(r, 0, sizeof *r);
	r->type = type;
	m->err[0] = '\0';
	if (!local)
		context_preempt_add(m, PREEMPT_OFFSET); /* preempt_disable(); pagefault_disable() */
	if (!highmem_page(m, pfn)) {
		lowmem_result(m, pfn, r);
		return 0;
	}
	struct highmem_state *h = state(m);
	if (!h) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	unsigned cpu = cur_cpu(m) < h->ncpus ? cur_cpu(m) : 0;
	unsigned idx;
	if (old_kernel(m)) {
		if (type < 0 || (unsigned)type >= km_per_cpu(m)) {
			model_err(m, "2.6.32's kmap_atomic() needs a km_type (KM_USER0 ...)");
			if (!local)
				context_preempt_sub(m, PREEMPT_OFFSET);
			return -EINVAL;
		}
		idx = (unsigned)type;
		if (h->slot[cpu][idx].used) {
			/* BUG_ON(!pte_none(*(kmap_pte-idx))) */
			context_kernel_bug(m, "arch/x86/mm/highmem_32.c", 45);
			model_err(m, "slot %s of CPU %u is still mapped (pfn %#llx): one "
				 "kmap_atomic() per km_type per CPU at a time; BUG_ON(!pte_none(...))",
				 highmem_km_type_name(type), cpu, (unsigned long long)h->slot[cpu][idx].pfn);
			return -EBUSY;
		}
	} else {
		/* kmap_local_idx_push(): idx += KM_INCR (1 without
		 * DEBUG_KMAP_LOCAL), then BUG_ON(idx >= KM_MAX_IDX); the slot used
		 * is idx - 1, so only KM_MAX_IDX - 1 local kmaps fit and the last
		 * fixmap slot of a CPU is never used */
		if ((unsigned)h->depth[cpu] + 1 >= km_per_cpu(m)) {
			context_kernel_bug(m, "mm/highmem.c", hm_line(m, 0, HM_LOCAL_PUSH_6_1, HM_LOCAL_PUSH_6_13));
			model_err(m, "CPU %u already holds %u local kmaps: the next one makes the index %u, and "
				 "kmap_local_idx_push() BUGs on idx >= KM_MAX_IDX (%u)", cpu, (unsigned)h->depth[cpu],
				 (unsigned)h->depth[cpu] + 1, km_per_cpu(m));
			return -ENOSPC;
		}
		idx = (unsigned)h->depth[cpu]++;
		if (h->slot[cpu][idx].used) {
			/* left behind by an out-of-order kunmap_local(): BUG_ON(!pte_none()) */
			h->depth[cpu]--;
			context_kernel_bug(m, "mm/highmem.c", hm_line(m, 0, HM_LOCAL_PTE_6_1, HM_LOCAL_PTE_6_13));
			model_err(m, "the next kmap_local slot of CPU %u still maps pfn %#llx "
				 "(left by an out-of-order kunmap_local): BUG_ON(!pte_none(...))", cpu,
				 (unsigned long long)h->slot[cpu][idx].pfn);
			return -EBUSY;
		}
	}
	uint64_t va = highmem_slot_vaddr(m, cpu, idx);
	int err = pgtable_set_pte(m, va, pgtable_mk_pte(m, pfn, KMAP_PROT));
	if (err) {
		model_err(m, "cannot write the fixmap pte (%d)", err);
		return err;
	}
	h->slot[cpu][idx] = (struct km_slot){ .used = true, .atomic = !local, .pfn = pfn };
	r->pfn = pfn;
	r->highmem = true;
	r->nr = idx;
	r->addr = va;
	return 0;
}

/* the CPU and index of a fixmap kmap slot address, or -1 */
static int slot_of_addr(const struct machine *m, uint64_t addr, unsigned *cpu, unsigned *idx)
{
	const struct kernel_layout *l = &m->layout;
	if (!l->fix_kmap_end && !l->fix_kmap_begin)
		return -1;
	uint64_t lo = layout_fix_to_virt(l, l->fix_kmap_end), hi = layout_fix_to_virt(l, l->fix_kmap_begin);
	addr &= ~4095ull;
	if (addr < lo || addr > hi)
		return -1;
	unsigned i = (unsigned)((hi - addr) >> 12), per = km_per_cpu(m);
	*cpu = i / per;
	*idx = i % per;
	return 0;
}

/*
 * 6.13 kunmap_local_indexed(): WARN_ON_ONCE(addr != __fix_to_virt(
 * FIX_KMAP_BEGIN + idx)) is mm/highmem.c:622 in the mainline kernels on
 * both sides of 6.13 - a 6.12.0-rc4 report and a 6.16.0 syzbot report both
 * print "WARNING: ... at mm/highmem.c:622 kunmap_local_indexed" (the
 * Debian 6.12.118 copy has it at 623, one line lower after a stable
 * backport); 6.1's is line 610 (HM_LOCAL_ORDER_6_1).
 */
static void warn_once_unmap_order(struct machine *m)
{
	int line = hm_line(m, 0, HM_LOCAL_ORDER_6_1, 622);
	if (m->hm->warned_order)
		return;
	m->hm->warned_order = true;             /* WARN_ON_ONCE's state */
	dmesg_printf(m, "------------[ cut here ]------------");
	dmesg_printf(m, "WARNING: CPU: %u PID: 1 at mm/highmem.c:%d kunmap_local_indexed+0x0/0x0", cur_cpu(m), line);
	machine_dump_stack_info(m, cur_cpu(m));
	dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
	m->taint |= 1ul << TAINT_WARN;         /* __warn(): add_taint(TAINT_WARN) after the report */
}

int highmem_kunmap_atomic(struct machine *m, uint64_t addr, int type, bool local, struct kmap_result *r)
{
	memset(r, 0, sizeof *r);
	r->type = type;
	m->err[0] = '\0';
	r->addr = addr;
	unsigned cpu, idx;
	struct highmem_state *h = m->hm;
	if (slot_of_addr(m, addr, &cpu, &idx)) {
		/* a lowmem page's direct-map address: nothing was mapped */
		uint64_t pfn;
		if (machine_vaddr_to_pfn(m, addr, &pfn, NULL) == 0) {
			if (!local)
				context_preempt_sub(m, PREEMPT_OFFSET);
			r->pfn = pfn;
			return 0;
		}
		model_err(m, "%#llx is neither a kmap_atomic/kmap_local slot nor a lowmem "
			 "address", (unsigned long long)addr);
		return -EINVAL;
	}
	r->highmem = true;
	if (!h || cpu >= h->ncpus) {
		model_err(m, "%#llx: no kmap in this slot", (unsigned long long)addr);
		return -EINVAL;
	}
	if (old_kernel(m)) {
		/* kunmap_atomic(kvaddr, type): clears only when vaddr is this CPU's slot of type */
		unsigned want = type >= 0 ? (unsigned)type : idx;
		if (type < 0 && h->slot[cpu][idx].used)
			r->type = (int)idx;
		if (cpu != cur_cpu(m) || want != idx) {
			model_err(m, "%#llx is slot %s of CPU %u, not %s of CPU %u: kunmap_atomic() "
				 "leaves the pte alone (only CONFIG_DEBUG_HIGHMEM would check)", (unsigned long long)addr,
				 highmem_km_type_name((int)idx), cpu, highmem_km_type_name((int)want), cur_cpu(m));
			context_preempt_sub(m, PREEMPT_OFFSET);
			return -EINVAL;
		}
		r->pfn = h->slot[cpu][idx].pfn;
		uint64_t va = highmem_slot_vaddr(m, cpu, idx);
		pgtable_pte_clear(m, va);               /* kpte_clear_flush() */
		pgtable_flush_tlb_one(m, va);
		h->slot[cpu][idx].used = false;
		r->nr = idx;
		context_preempt_sub(m, PREEMPT_OFFSET); /* pagefault_enable() */
		return 0;
	}
	if (cpu != cur_cpu(m) || h->depth[cpu] == 0) {
		model_err(m, "%#llx is not in CPU %u's kmap_local stack", (unsigned long long)addr,
			 cur_cpu(m));
		return -EINVAL;
	}
	unsigned top = (unsigned)h->depth[cpu] - 1;
	if (top != idx)
		warn_once_unmap_order(m);       /* WARN_ON_ONCE(addr != __fix_to_virt(FIX_KMAP_BEGIN + idx)) */
	/* x86 kmap_get_pte() takes the top index: that slot's pte is cleared */
	bool was_atomic = h->slot[cpu][top].atomic;
	r->pfn = h->slot[cpu][top].pfn;
	pgtable_pte_clear(m, highmem_slot_vaddr(m, cpu, top));
	uint64_t va = addr & ~4095ull;
	pgtable_flush_tlb_one(m, va);           /* arch_kmap_local_post_unmap(): flush_tlb_one_kernel(vaddr) */
	h->slot[cpu][top].used = false;
	h->depth[cpu]--;
	r->nr = top;
	r->reused = top != idx;                 /* out of order */
	if (!local || was_atomic)
		context_preempt_sub(m, PREEMPT_OFFSET);
	if (top != idx)
		model_err(m, "out of order: %#llx is slot %u but the top of CPU %u's stack is "
			 "slot %u; the kernel WARNs once, clears the top slot's pte (pfn %#llx) and pops it, "
			 "and %#llx stays mapped", (unsigned long long)addr, idx, cpu, top,
			 (unsigned long long)r->pfn, (unsigned long long)addr);
	return 0;
}

int highmem_lookup(const struct machine *m, uint64_t addr, enum kmap_how *how, uint64_t *pfn,
		   unsigned *cpu, int *count)
{
	const struct highmem_state *h = m->hm;
	if (!h)
		return -ENOENT;
	const struct kernel_layout *l = &m->layout;
	if (l->pkmap_base && addr >= l->pkmap_base && addr < pkmap_addr(m, h->last_pkmap)) {
		unsigned nr = (unsigned)((addr - l->pkmap_base) >> 12);
		if (h->pkmap_count[nr] < 2)
			return -ENOENT;
		*how = KMAP_PKMAP;
		*pfn = h->pkmap_pfn[nr];
		*cpu = 0;
		*count = h->pkmap_count[nr];
		return 0;
	}
	unsigned c, idx;
	if (slot_of_addr(m, addr, &c, &idx) || c >= h->ncpus || !h->slot[c][idx].used)
		return -ENOENT;
	*how = h->slot[c][idx].atomic || old_kernel(m) ? KMAP_ATOMIC : KMAP_LOCAL;
	*pfn = h->slot[c][idx].pfn;
	*cpu = c;
	*count = (int)idx;
	return 0;
}

static uint64_t pte_pfn_at(const struct machine *m, uint64_t va)
{
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	return w.end == WALK_MAPPED ? w.phys >> 12 : UINT64_MAX;
}

int highmem_check(struct machine *m)
{
	const struct highmem_state *h = m->hm;
	if (!h || !m->pt)
		return 0;
	for (unsigned i = 0; i < h->last_pkmap; i++) {
		uint64_t got = pte_pfn_at(m, pkmap_addr(m, i));
		uint64_t want = h->pkmap_count[i] ? h->pkmap_pfn[i] : UINT64_MAX;
		if (got != want) {
			model_err(m, "PKMAP slot %u: pkmap_count %d but its pte maps pfn %#llx "
				 "(expected %#llx)", i, h->pkmap_count[i], (unsigned long long)got,
				 (unsigned long long)want);
			return -EUCLEAN;
		}
		if (h->pkmap_count[i] && pkmap_slot_of(m, h->pkmap_pfn[i]) != (int)i) {
			model_err(m, "pfn %#llx holds two PKMAP slots", (unsigned long long)h->pkmap_pfn[i]);
			return -EUCLEAN;
		}
	}
	for (unsigned c = 0; c < h->ncpus; c++)
		for (unsigned i = 0; i < km_per_cpu(m); i++) {
			const struct km_slot *k = &h->slot[c][i];
			if (k->used && pte_pfn_at(m, highmem_slot_vaddr(m, c, i)) != k->pfn) {
				model_err(m, "CPU %u kmap slot %u: its pte does not map pfn %#llx", c, i,
					 (unsigned long long)k->pfn);
				return -EUCLEAN;
			}
		}
	return 0;
}
