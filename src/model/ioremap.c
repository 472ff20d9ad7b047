/*
 * ioremap.c - mapping device memory into the kernel's address space.
 *
 * ioremap() allocates no memory: it takes a range of kernel virtual
 * addresses (a VM_IOREMAP vmap area with a guard page) and writes one PTE
 * per page (or, on 6.x x86_64 and PAE, one huge pmd/pud entry per aligned
 * 2M/1G: below) pointing at the device's physical pages, with the cache
 * mode's PAT/PCD/PWT bits.  Only page-table pages may come from the buddy
 * allocator.  The result is an __iomem pointer reached with readl() and
 * friends, never dereferenced.
 *
 * Followed: arch/x86/mm/ioremap.c __ioremap_caller() and iounmap(),
 * arch/x86/mm/pat/memtype.c memtype_reserve()/memtype_free() and
 * is_new_memtype_allowed() (6.13); arch/x86/mm/ioremap.c and pat.c of
 * 2.6.32 (the ISA range returned through the direct map, non-reserved RAM
 * refused without a message, reserve_memtype()).  The PAT MSR is as each
 * kernel programs it (kernel-facts §7.2); MTRRs are not modelled (every
 * range is as if MTRR said what was asked, so pmd_set_huge() never meets a
 * non-uniform range).
 *
 * Huge mappings (6.x; CONFIG_HAVE_ARCH_HUGE_VMAP, selected on x86 "if
 * X86_64 || X86_PAE", came in 4.1): ioremap_page_range() ->
 * vmap_page_range() -> vmap_range_noflush() with ioremap_max_page_shift
 * (mm/vmalloc.c: BITS_PER_LONG - 1, PAGE_SHIFT with "nohugeiomap").  Each
 * pud and pmd range that is whole, with its virtual and physical start
 * aligned to its size, becomes one leaf (vmap_try_huge_pud/pmd()) where
 * the CPU has the page size (arch_vmap_pud_supported(): GBPAGES, x86_64
 * only; arch_vmap_pmd_supported(): PSE), after pud_free_pmd_page() /
 * pmd_free_pte_page() dropped the table an earlier mapping left there
 * (x86-PAE never frees one: "Disable free page handling on x86-PAE", so a
 * pmd with a pte table under it stays a pte mapping).  The leaf is
 * pud_set_huge()/pmd_set_huge(): the pte's protection with
 * protval_4k_2_large() (PAT moved from bit 7 to bit 12) and _PAGE_PSE.
 * iounmap's vunmap_range_noflush() clears a huge leaf whole
 * (pmd_clear_huge()/pud_clear_huge()).  2.6.32 and non-PAE i386: one pte
 * per page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
#include "kmemsh/i18n.h"
#include "kmemsh/iomem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/memstore.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define ISA_START_ADDRESS 0xa0000ull
#define ISA_END_ADDRESS 0x100000ull
/* PAGE_KERNEL_IO = __PAGE_KERNEL: P RW A D NX G (NX dropped where the
 * profile has none, by pgtable_mk_pte) */
#define PAGE_KERNEL_IO (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define CALLER "kmemsh_command+0x0/0x0"         /* %pS of the caller */

typedef unsigned long long ull;

struct memtype {
	uint64_t start, end;            /* [start, end) */
	enum page_cache_mode type;
};

struct ioremap_state {
	const struct ioremap_vmap_ops *ops;
	struct ioremap_area *area;      /* sorted by va */
	unsigned n, cap;
	struct memtype *mt;             /* the memtype reservations, in insertion order */
	unsigned nmt, capmt;
	bool warned_ram, warned_invalid, warned_isa;
};

static const char *const pcm_names[NR_PCM] = {
	[PCM_WB] = "WB", [PCM_WC] = "WC", [PCM_UC_MINUS] = "UC-", [PCM_UC] = "UC", [PCM_WT] = "WT", [PCM_WP] = "WP",
};

/* memtype.c cattr_name() */
static const char *const cattr_names[NR_PCM] = {
	[PCM_WB] = "write-back", [PCM_WC] = "write-combining", [PCM_UC_MINUS] = "uncached-minus",
	[PCM_UC] = "uncached", [PCM_WT] = "write-through", [PCM_WP] = "write-protected",
};

const char *ioremap_pcm_name(unsigned pcm)
{
	return pcm < NR_PCM ? pcm_names[pcm] : "?";
}

/* the PAT slot of each mode, as (PAT, PCD, PWT) bits of a 4 KiB pte */
static const uint64_t pcm_bits[NR_PCM] = {
	[PCM_WB] = 0,
	[PCM_WC] = _PAGE_PWT,
	[PCM_UC_MINUS] = _PAGE_PCD,
	[PCM_UC] = _PAGE_PCD | _PAGE_PWT,
	[PCM_WP] = _PAGE_PAT | _PAGE_PWT,
	[PCM_WT] = _PAGE_PAT | _PAGE_PCD | _PAGE_PWT,
};

uint64_t ioremap_cachemode2protval(const struct machine *m, enum page_cache_mode pcm)
{
	if ((unsigned)pcm >= NR_PCM)
		return 0;
	if (m->kp->kv == KV_2_6_32 && (pcm == PCM_WT || pcm == PCM_WP))
		pcm = PCM_UC_MINUS;
	return pcm_bits[pcm];
}

uint64_t ioremap_area_align(const struct machine *m, uint64_t size)
{
	/* IOREMAP_MAX_ORDER: 2.6.32 7 + PAGE_SHIFT (linux/vmalloc.h); 6.13
	 * arch/x86/include/asm/page_types.h: PUD_SHIFT on x86_64, PMD_SHIFT on
	 * i386 (22, or 21 with PAE) */
	unsigned bit, max;
	if (m->kp->kv == KV_2_6_32) {
		bit = kmemsh_fls64(size);                 /* fls(size) */
		max = 7 + PAGE_SHIFT;
	} else {
		bit = size <= 1 ? 0 : kmemsh_fls64(size - 1); /* get_count_order_long(size) */
		max = m->arch->bits == 64 ? 30 : m->arch->pae ? 21 : 22;
	}
	if (bit > max)
		bit = max;
	if (bit < PAGE_SHIFT)
		bit = PAGE_SHIFT;
	return 1ull << bit;
}

/*
 * The vmap allocator (include/kmemsh/vmalloc.h): get_vm_area_caller(size,
 * VM_IOREMAP, caller) is vmap_area_alloc() with VM_IOREMAP, which applies
 * the alignment rule itself, and area->phys_addr is set as
 * __ioremap_caller sets it.  Tests may put another allocator behind the
 * same ops (ioremap_set_vmap_ops()).
 */
#include "kmemsh/vmalloc.h"

static int vmap_get(struct machine *m, uint64_t size, uint64_t align, uint64_t phys, const char *caller,
		    uint64_t *va, uint64_t *area_size)
{
	struct vm_struct *vm;
	int r = vmap_area_alloc(m, size, align, 0, 0, VM_IOREMAP, caller, &vm);
	if (r)
		return r;
	/* the ptes ioremap writes next map phys_addr + i pages: what the
	 * vmap checker expects of a VM_IOREMAP area */
	vm->phys_addr = phys & ~(uint64_t)(PAGE_SIZE - 1);
	vm->nr_mapped = (unsigned)(get_vm_area_size(vm) / PAGE_SIZE);
	*va = vm->addr;
	*area_size = vm->size;
	return 0;
}

static int vmap_remove(struct machine *m, uint64_t va)
{
	return vmap_area_free(m, va);
}

static const struct ioremap_vmap_ops vmap_ops = { vmap_get, vmap_remove };
#define DEFAULT_VMAP_OPS (&vmap_ops)

static struct ioremap_state *state(struct machine *m)
{
	if (!m->ioremap && (m->ioremap = calloc(1, sizeof *m->ioremap)))
		m->ioremap->ops = DEFAULT_VMAP_OPS;
	return m->ioremap;
}

int ioremap_set_vmap_ops(struct machine *m, const struct ioremap_vmap_ops *ops)
{
	struct ioremap_state *st = state(m);
	if (!st)
		return -ENOMEM;
	st->ops = ops;
	return 0;
}

void ioremap_destroy(struct machine *m)
{
	struct ioremap_state *st = m->ioremap;
	if (!st)
		return;
	free(st->area);
	free(st->mt);
	free(st);
	m->ioremap = NULL;
}

/* ---- memtype reservations (memtype.c) ------------------------------------------ */

static bool old_kernel(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32;
}

/* x86_platform.is_untracked_pat_range(): the ISA range, mapped WB in the direct map */
static bool is_isa_range(uint64_t s, uint64_t e)
{
	return s >= ISA_START_ADDRESS && e <= ISA_END_ADDRESS;
}

/* 2.6.32 printed _PAGE_CACHE_* values (the pte bits); 6.13 the enum */
static unsigned long pcm_print(const struct machine *m, enum page_cache_mode pcm)
{
	return old_kernel(m) ? (unsigned long)pcm_bits[pcm] : (unsigned long)pcm;
}

/* memtype_reserve(start, end, req, &new): 0 and *newt, or -EBUSY */
static int memtype_reserve(struct machine *m, uint64_t start, uint64_t end, enum page_cache_mode req,
			   enum page_cache_mode *newt)
{
	struct ioremap_state *st = m->ioremap;
	if (is_isa_range(start, end)) {
		*newt = PCM_WB;                 /* "Low ISA region is always mapped WB" */
		return 0;
	}
	/* memtype_check_conflict(): the first overlapping entry's type is
	 * taken; every other overlapping entry must agree */
	int found = -1;
	for (unsigned i = 0; i < st->nmt; i++) {
		struct memtype *t = &st->mt[i];
		if (t->end <= start || t->start >= end)
			continue;
		if (found < 0) {
			found = (int)t->type;
			continue;
		}
		if ((int)t->type != found) {
			if (old_kernel(m))
				dmesg_printf(m, "kmemsh:1 conflicting memory types %llx-%llx %s<->%s", (ull)start,
					     (ull)end, cattr_names[found], cattr_names[t->type]);
			else
				dmesg_printf(m, "x86/PAT: kmemsh:1 conflicting memory types %llx-%llx %s<->%s",
					     (ull)start, (ull)end, cattr_names[found], cattr_names[t->type]);
			model_err(m, "memtype_reserve: [%#llx-%#llx) overlaps reservations of "
				 "two types (%s and %s)", (ull)start, (ull)end, cattr_names[found], cattr_names[t->type]);
			return -EBUSY;
		}
	}
	*newt = found < 0 ? req : (enum page_cache_mode)found;
	if (st->nmt == st->capmt) {
		unsigned cap = st->capmt ? 2 * st->capmt : 8;
		struct memtype *v = realloc(st->mt, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		st->mt = v;
		st->capmt = cap;
	}
	st->mt[st->nmt++] = (struct memtype){ start, end, *newt };
	return 0;
}

static void memtype_free(struct machine *m, uint64_t start, uint64_t end)
{
	struct ioremap_state *st = m->ioremap;
	if (is_isa_range(start, end))
		return;
	for (unsigned i = st->nmt; i-- > 0;) {
		if (st->mt[i].start == start && st->mt[i].end == end) {
			memmove(&st->mt[i], &st->mt[i + 1], (st->nmt - i - 1) * sizeof *st->mt);
			st->nmt--;
			return;
		}
	}
	dmesg_printf(m, "x86/PAT: kmemsh:1 freeing invalid memtype [mem %#010llx-%#010llx]", (ull)start,
		     (ull)end - 1);
}

/* is_new_memtype_allowed() */
static bool new_memtype_allowed(const struct machine *m, uint64_t phys, uint64_t size, enum page_cache_mode pcm,
				enum page_cache_mode newp)
{
	if (is_isa_range(phys, phys + size))
		return true;
	if ((pcm == PCM_UC_MINUS && newp == PCM_WB) || (pcm == PCM_WC && newp == PCM_WB))
		return false;
	if (!old_kernel(m) && ((pcm == PCM_WT && newp == PCM_WB) || (pcm == PCM_WT && newp == PCM_WC)))
		return false;
	return true;
}

/* ---- the mappings --------------------------------------------------------------- */

/* "nohugeiomap" on the command line: early_param, set_nohugeiomap() */
unsigned ioremap_max_page_shift(const struct machine *m)
{
	if (old_kernel(m) || (m->arch->bits == 32 && !m->arch->pae) || machine_cmdline_word(m, "nohugeiomap"))
		return PAGE_SHIFT;
	return m->arch->bits - 1;       /* BITS_PER_LONG - 1 */
}

/* protval_4k_2_large() (arch/x86/include/asm/pgtable_types.h) */
static uint64_t protval_4k_2_large(uint64_t v)
{
	return (v & ~(_PAGE_PAT | _PAGE_PAT_LARGE)) | ((v & _PAGE_PAT) << (12 - 7));
}

/* vmap_try_huge_pud()/vmap_try_huge_pmd(): 1 when [addr, end) became one
 * leaf at depth, 0 to go down a level; a negative errno */
static int try_huge(struct machine *m, unsigned depth, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot,
		    unsigned max_shift)
{
	const struct pt_geometry *g = &m->pt->g;
	enum pt_level lv = g->name[depth];
	uint64_t size = pt_level_size(g, depth);
	bool pud = lv == PTL_PUD && m->arch->bits == 64;        /* arch_vmap_pud_supported(): GBPAGES */
	if ((lv != PTL_PMD && !pud) || max_shift < g->shift[depth] || end - addr != size || (addr & (size - 1)) ||
	    (phys & (size - 1)))
		return 0;
	uint64_t e = pgtable_entry_at(m, addr, depth);
	if (e & _PAGE_PRESENT) {
		/* x86-PAE: pmd_free_pte_page() returns pmd_none(*pmd) */
		int freed = m->arch->bits == 32 ? 0 : pud ? pgtable_pud_free_pmd_page(m, addr, depth)
							  : pgtable_pmd_free_pte_page(m, addr, depth);
		if (!freed)
			return 0;
	}
	/* pXd_set_huge(): bail out on a populated non-leaf entry */
	e = pgtable_entry_at(m, addr, depth);
	if ((e & _PAGE_PRESENT) && !pgtable_entry_is_leaf(m, depth, e))
		return 0;
	int r = pgtable_set_entry(m, addr, depth,
				  pgtable_mk_pte(m, phys >> PAGE_SHIFT, protval_4k_2_large(prot) | _PAGE_PSE));
	return r ? r : 1;
}

/* vmap_pXd_range() from the top: a huge leaf where try_huge() allows, else
 * the next level, and at the bottom one pte per page */
static int vmap_level(struct machine *m, unsigned d, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot,
		      unsigned max_shift)
{
	const struct pt_geometry *g = &m->pt->g;
	if (d + 1 == g->levels) {
		int r = pgtable_pte_alloc_kernel(m, addr);
		for (; !r && addr != end; addr += PAGE_SIZE, phys += PAGE_SIZE)
			r = pgtable_set_pte(m, addr, pgtable_mk_pte(m, phys >> PAGE_SHIFT, prot));
		return r;
	}
	uint64_t size = pt_level_size(g, d);
	for (uint64_t a = addr, next; a != end; phys += next - a, a = next) {
		next = (a & ~(size - 1)) + size;        /* pXd_addr_end() */
		if (next - 1 >= end - 1)
			next = end;
		int r = try_huge(m, d, a, next, phys, prot, max_shift);
		if (!r)
			r = vmap_level(m, d + 1, a, next, phys, prot, max_shift);
		if (r < 0)
			return r;
	}
	return 0;
}

int vmap_range_noflush(struct machine *m, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot,
		       unsigned max_page_shift)
{
	if (!m->pt || addr >= end || ((addr | end | phys) & (PAGE_SIZE - 1)))
		return -EINVAL;
	return vmap_level(m, 0, addr, end, phys, prot, max_page_shift);
}

int ioremap_page_range(struct machine *m, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot)
{
	if (!m->pt || addr >= end || ((addr | end | phys) & (PAGE_SIZE - 1)))
		return -EINVAL;
	return vmap_level(m, 0, addr, end, phys, prot, ioremap_max_page_shift(m));
}

static int add_area(struct ioremap_state *st, const struct ioremap_area *a)
{
	if (st->n == st->cap) {
		unsigned cap = st->cap ? 2 * st->cap : 8;
		struct ioremap_area *v = realloc(st->area, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		st->area = v;
		st->cap = cap;
	}
	unsigned i = st->n;
	while (i > 0 && st->area[i - 1].va > a->va) {
		st->area[i] = st->area[i - 1];
		i--;
	}
	st->area[i] = *a;
	st->n++;
	return 0;
}

/* the mapping whose area holds va (guard page included), or -1 */
static int area_index(const struct ioremap_state *st, uint64_t va, bool with_guard)
{
	if (!st)
		return -1;
	for (unsigned i = 0; i < st->n; i++) {
		const struct ioremap_area *a = &st->area[i];
		uint64_t len = with_guard && a->area_size ? a->area_size : a->size;
		if (va >= a->va && va - a->va < len)
			return (int)i;
	}
	return -1;
}

const struct ioremap_area *ioremap_find(const struct machine *m, uint64_t va)
{
	int i = area_index(m->ioremap, va, false);
	return i < 0 ? NULL : &m->ioremap->area[i];
}

unsigned ioremap_count(const struct machine *m)
{
	return m->ioremap ? m->ioremap->n : 0;
}

const struct ioremap_area *ioremap_get(const struct machine *m, unsigned i)
{
	return i < ioremap_count(m) ? &m->ioremap->area[i] : NULL;
}

/*
 * The WARNs of 6.13 __ioremap_caller() in arch/x86/mm/ioremap.c: 207 the
 * WARN_ON_ONCE(1) after "ioremap: invalid physical address", 217 the
 * WARN_ONCE(1, "ioremap on RAM at %pa - %pa\n").  Read in the Debian
 * linux-source-6.12 (6.12.118) copy of the file; a report of the 6.12-rc
 * cycle prints "WARNING: ... at arch/x86/mm/ioremap.c:217
 * __ioremap_caller" too, and no later change to the file was found.  No
 * v6.13 copy was read.  6.1: 201 and 211, read in Debian's
 * linux-source-6.1 (6.1.192).  The 2.6.32 lines are not known (no v2.6.32
 * copy of the file was found): 0, and the report names the file alone.
 */
enum {
	IOREMAP_WARN_INVALID_6_13 = 207, IOREMAP_WARN_RAM_6_13 = 217,
	IOREMAP_WARN_INVALID_6_1 = 201, IOREMAP_WARN_RAM_6_1 = 211,
};

static void warn_once(struct machine *m, bool *once, int line, const char *msg)
{
	if (*once)
		return;
	*once = true;
	char at[40] = "arch/x86/mm/ioremap.c";
	if (line > 0)
		snprintf(at, sizeof at, "arch/x86/mm/ioremap.c:%d", line);
	/* WARN as __warn() (6.13) / warn_slowpath_common() (2.6.32) print it */
	dmesg_printf(m, "------------[ cut here ]------------");
	if (!old_kernel(m)) {
		if (*msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "WARNING: CPU: %u PID: 1 at %s __ioremap_caller+0x0/0x0", machine_this_cpu(m), at);
		dmesg_printf(m, "Modules linked in:");
		machine_dump_stack_info(m, machine_this_cpu(m));
	} else {
		dmesg_printf(m, "WARNING: at %s __ioremap_caller+0x0/0x0()", at);
		if (*msg)
			dmesg_printf(m, "%s", msg);
		dmesg_printf(m, "Modules linked in:");
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
	}
	dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
	m->taint |= 1ul << TAINT_WARN;         /* __warn(): add_taint(TAINT_WARN) after the report */
}

/* phys_addr_valid(): below 1 << x86_phys_bits (QEMU's default CPUs: 40
 * bits on x86_64, 36 on i386 with PAE; a 32-bit phys_addr_t is always valid) */
static bool phys_addr_valid(const struct machine *m, uint64_t phys)
{
	if (m->arch->bits == 32 && !m->arch->pae)
		return true;
	unsigned bits = m->arch->bits == 64 ? 40 : 36;
	return !(phys >> bits);
}

/* RAM the page allocator may hand out: pfn_valid && !PageReserved */
static bool usable_ram(const struct machine *m, uint64_t pfn)
{
	return pfn < m->max_pfn && memmap_pfn_is_ram(&m->memmap, pfn) && !memmap_pfn_is_reserved(&m->memmap, pfn);
}

int ioremap_caller(struct machine *m, uint64_t phys, uint64_t size, enum page_cache_mode pcm, uint64_t *addr,
		   const struct ioremap_area **out)
{
	return ioremap_caller_by(m, phys, size, pcm, CALLER, addr, out);
}

int ioremap_caller_by(struct machine *m, uint64_t phys, uint64_t size, enum page_cache_mode pcm, const char *caller,
		      uint64_t *addr, const struct ioremap_area **out)
{
	struct ioremap_state *st = state(m);
	*addr = 0;
	if (out)
		*out = NULL;
	if (!st)
		return -ENOMEM;
	uint64_t last = phys + size - 1;
	uint64_t phys_max = m->arch->bits == 32 && !m->arch->pae ? 0xffffffffull : ~0ull;
	if (!size || last < phys || last > phys_max) {
		model_err(m, "%s: __ioremap_caller returns NULL (\"Don't allow wraparound or "
			 "zero size\")", !size ? _("size 0") : _("the range wraps around the physical address space"));
		return -EINVAL;
	}
	if (!phys_addr_valid(m, phys)) {
		char msg[160];
		snprintf(msg, sizeof msg, "%s%sioremap: invalid physical address %llx", old_kernel(m) ? "" : caller,
			 old_kernel(m) ? "" : ": ", (ull)phys);
		dmesg_printf(m, "%s", msg);
		warn_once(m, &st->warned_invalid, old_kernel(m) ? 0 : m->kp->kv == KV_6_1 ? IOREMAP_WARN_INVALID_6_1 :
						   IOREMAP_WARN_INVALID_6_13, "");
		model_err(m, "%#llx is beyond the CPU's physical address bits", (ull)phys);
		return -EINVAL;
	}
	/* 2.6.32: "Don't remap the low PCI/ISA area, it's always mapped.." */
	if (old_kernel(m) && is_isa_range(phys, last + 1)) {
		struct ioremap_area a = { .va = m->direct_map + phys, .area_size = 0, .phys = phys, .size = size,
					  .pcm = PCM_WB, .req = pcm };
		if (area_index(st, a.va, false) < 0 && add_area(st, &a))
			return -ENOMEM;
		*addr = a.va;
		if (out)
			*out = &st->area[area_index(st, a.va, false)];
		return 0;
	}
	/* "Don't allow anybody to remap normal RAM that we're using.." */
	if (old_kernel(m)) {
		for (uint64_t pfn = phys >> PAGE_SHIFT; (pfn << PAGE_SHIFT) < (last & PAGE_MASK); pfn++) {
			bool is_ram = pfn < m->max_pfn && memmap_pfn_is_ram(&m->memmap, pfn);
			if (is_ram && usable_ram(m, pfn)) {
				model_err(m, "pfn %#llx is RAM in use: 2.6.32 returns NULL without a "
					 "message", (ull)pfn);
				return -EFAULT;
			}
			if (is_ram)
				warn_once(m, &st->warned_ram, 0, "");
		}
	} else {
		for (uint64_t pfn = phys >> PAGE_SHIFT; pfn <= last >> PAGE_SHIFT; pfn++) {
			if (!usable_ram(m, pfn))
				continue;
			char msg[200];
			int w = m->arch->bits == 32 && !m->arch->pae ? 8 : 16;
			snprintf(msg, sizeof msg, "%s: ioremap on RAM at 0x%0*llx - 0x%0*llx", caller, w, (ull)phys, w,
				 (ull)last);
			warn_once(m, &st->warned_ram, m->kp->kv == KV_6_1 ? IOREMAP_WARN_RAM_6_1 : IOREMAP_WARN_RAM_6_13,
				  msg);
			model_err(m, "[%#llx-%#llx] holds System RAM the page allocator owns (pfn "
				 "%#llx): ioremap on RAM is refused", (ull)phys, (ull)last, (ull)pfn);
			return -EFAULT;
		}
	}
	/* "Mappings have to be page-aligned" */
	uint64_t offset = phys & ~PAGE_MASK;
	phys &= PAGE_MASK;
	size = ((last + 1 + PAGE_SIZE - 1) & PAGE_MASK) - phys;

	enum page_cache_mode req = pcm;	/* what the caller asked for, kept on the area */
	enum page_cache_mode newp;
	int r = memtype_reserve(m, phys, phys + size, pcm, &newp);
	if (r) {
		if (!old_kernel(m))
			dmesg_printf(m, "%s: ioremap memtype_reserve failed %d", caller, r);
		return r;
	}
	if (pcm != newp) {
		if (!new_memtype_allowed(m, phys, size, pcm, newp)) {
			dmesg_printf(m, "%s%sioremap error for 0x%llx-0x%llx, requested 0x%lx, got 0x%lx",
				     old_kernel(m) ? "" : caller, old_kernel(m) ? "" : ": ", (ull)phys, (ull)(phys + size),
				     pcm_print(m, pcm), pcm_print(m, newp));
			memtype_free(m, phys, phys + size);
			model_err(m, "the range is already mapped %s; a %s mapping may not become %s",
				 ioremap_pcm_name(newp), ioremap_pcm_name(pcm), ioremap_pcm_name(newp));
			return -EBUSY;
		}
		pcm = newp;
	}
	uint64_t prot = PAGE_KERNEL_IO | ioremap_cachemode2protval(m, pcm);

	if (!st->ops || !st->ops->get_vm_area) {
		memtype_free(m, phys, phys + size);
		model_err(m, "no vmap allocator on this machine yet: ioremap cannot take a "
			 "VM_IOREMAP area (the checks before get_vm_area_caller() passed)");
		return -ENOSYS;
	}
	uint64_t va, area_size;
	if ((r = st->ops->get_vm_area(m, size, ioremap_area_align(m, size), phys, caller, &va, &area_size))) {
		memtype_free(m, phys, phys + size);
		return r;
	}
	/* ioremap_page_range(); on failure free_vm_area() unmaps what was mapped */
	if ((r = ioremap_page_range(m, va, va + size, phys, prot))) {
		pgtable_vunmap_range(m, va, va + size);
		st->ops->remove_vm_area(m, va);
		memtype_free(m, phys, phys + size);
		model_err(m, "ioremap_page_range: no memory for a page table");
		return r;
	}
	struct ioremap_area a = { va, area_size, phys, size, pcm, req };
	if ((r = add_area(st, &a)))
		return r;
	*addr = va + offset;
	if (out)
		*out = ioremap_find(m, va);
	return 0;
}

int ioremap_iounmap(struct machine *m, uint64_t addr, struct ioremap_area *was)
{
	struct ioremap_state *st = m->ioremap;
	if (was)
		memset(was, 0, sizeof *was);
	const struct kernel_layout *l = &m->layout;
	bool isa = addr >= m->direct_map + ISA_START_ADDRESS && addr < m->direct_map + ISA_END_ADDRESS;
	if (isa && old_kernel(m)) {
		/* 2.6.32: the ISA range was never mapped; drop what ioremap noted */
		int i = area_index(st, addr, false);
		if (i >= 0) {
			if (was)
				*was = st->area[i];
			memmove(&st->area[i], &st->area[i + 1], (st->n - (unsigned)i - 1) * sizeof *st->area);
			st->n--;
		}
		return 0;
	}
	if (addr >= l->page_offset && addr <= l->high_memory) {
		model_err(m, "%#llx is at or below high_memory: iounmap() returns without doing "
			 "anything", (ull)addr);
		return 0;
	}
	uint64_t page = addr & PAGE_MASK;
	int i = area_index(st, page, true);
	if (i < 0) {
		/* %p: the raw pointer (as the model prints every %p), 2 *
		 * sizeof(void *) digits */
		dmesg_printf(m, "iounmap: bad address %0*llx", m->arch->bits == 64 ? 16 : 8, (ull)page);
		model_err(m, "%#llx is not an ioremap'd address: \"iounmap: bad address\" and "
			 "nothing freed", (ull)addr);
		return -EINVAL;
	}
	struct ioremap_area a = st->area[i];
	memtype_free(m, a.phys, a.phys + a.size);
	/* remove_vm_area(): vunmap_range_noflush() clears the ptes; the TLB
	 * flush waits with the lazily freed area (free_vmap_area_noflush) */
	pgtable_vunmap_range(m, a.va, a.va + a.size);
	if (st->ops && st->ops->remove_vm_area)
		st->ops->remove_vm_area(m, a.va);
	memmove(&st->area[i], &st->area[i + 1], (st->n - (unsigned)i - 1) * sizeof *st->area);
	st->n--;
	if (was)
		*was = a;
	return 0;
}

/* ---- the accessors ------------------------------------------------------------- */

static int io_phys(struct machine *m, uint64_t addr, unsigned size, uint64_t *phys)
{
	const struct ioremap_area *a = ioremap_find(m, addr);
	if (!a) {
		model_err(m, "%#llx is not an __iomem address (no ioremap mapping holds it)",
			 (ull)addr);
		return -EFAULT;
	}
	if (addr + size - 1 - a->va >= a->size) {
		model_err(m, "a %u-byte access at %#llx runs past the end of the mapping "
			 "(%#llx + %#llx)", size, (ull)addr, (ull)a->va, (ull)a->size);
		return -EFAULT;
	}
	if (!a->area_size) {            /* 2.6.32 ISA: the direct map */
		*phys = addr - m->direct_map;
		return 0;
	}
	struct pt_walk w;
	pgtable_walk(m, addr, &w);
	if (w.end != WALK_MAPPED) {
		model_err(m, "%#llx: no page-table entry maps it", (ull)addr);
		return -EFAULT;
	}
	*phys = w.phys;
	return 0;
}

int ioremap_read(struct machine *m, uint64_t addr, unsigned size, uint64_t *val, uint64_t *phys)
{
	uint64_t p;
	int r = io_phys(m, addr, size, &p);
	if (r)
		return r;
	if (phys)
		*phys = p;
	return mmio_read(m, p, size, val);
}

int ioremap_write(struct machine *m, uint64_t addr, unsigned size, uint64_t val, uint64_t *phys)
{
	uint64_t p;
	int r = io_phys(m, addr, size, &p);
	if (r)
		return r;
	if (phys)
		*phys = p;
	return mmio_write(m, p, size, val);
}

/* ---- check ---------------------------------------------------------------------- */

int ioremap_check(struct machine *m)
{
	const struct ioremap_state *st = m->ioremap;
	if (!st)
		return 0;
	unsigned tracked = 0;
	for (unsigned i = 0; i < st->n; i++) {
		const struct ioremap_area *a = &st->area[i];
		if (!a->area_size)
			continue;               /* 2.6.32 ISA: the direct map */
		if (!is_isa_range(a->phys, a->phys + a->size))
			tracked++;
		uint64_t want = ioremap_cachemode2protval(m, a->pcm);
		unsigned max_shift = ioremap_max_page_shift(m);
		for (uint64_t o = 0, step; o < a->area_size; o += step) {
			struct pt_walk w;
			pgtable_walk(m, a->va + o, &w);
			bool mapped = w.end == WALK_MAPPED;
			step = PAGE_SIZE;
			if (o >= a->size) {
				if (mapped) {
					model_err(m, "ioremap: the guard page %#llx of the area at %#llx "
						 "is mapped", (ull)(a->va + o), (ull)a->va);
					return -EUCLEAN;
				}
				continue;
			}
			uint64_t e = mapped ? w.step[w.nsteps - 1].entry : 0, sz = mapped ? w.page_size : PAGE_SIZE;
			/* a huge leaf (vmap_try_huge_pXd()): whole inside the
			 * mapping, of a size the profile's rules allow, with the
			 * cache bits moved by protval_4k_2_large() */
			bool huge = sz > PAGE_SIZE;
			uint64_t bits = e & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT);
			if (huge)
				bits = (e & (_PAGE_PCD | _PAGE_PWT)) | ((e & _PAGE_PAT_LARGE) ? _PAGE_PAT : 0);
			bool legal = !huge || (!((a->va + o) & (sz - 1)) && o + sz <= a->size &&
					       (sz == (1ull << 21) || (sz == (1ull << 30) && m->arch->bits == 64)) &&
					       max_shift >= (sz == (1ull << 21) ? 21u : 30u));
			if (!mapped || !legal || w.phys != a->phys + o ||
			    (bits & (_PAGE_PAT | _PAGE_PCD | _PAGE_PWT)) != want) {
				model_err(m, "ioremap: %#llx of the area at %#llx does not map phys "
					 "%#llx %s with a %s", (ull)(a->va + o), (ull)a->va, (ull)(a->phys + o),
					 ioremap_pcm_name(a->pcm), !huge ? _("4K pte") :
					 _("huge entry its alignment and the profile allow"));
				return -EUCLEAN;
			}
			step = sz;
		}
	}
	if (tracked != st->nmt) {
		model_err(m, "ioremap: %u memtype reservations for %u tracked mappings", st->nmt,
			 tracked);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * __memcpy_fromio() / __memcpy_toio() (arch/x86/lib/iomem.c): a byte and a
 * word to align the __iomem side, then 4-byte accesses (rep movsl), then
 * the tail; the other side is ordinary memory (the byte store).  *phys is
 * the device address of the first access, *done the bytes copied.
 */
int ioremap_memcpy(struct machine *m, uint64_t dst, uint64_t src, uint64_t n, bool toio, uint64_t *phys,
		   uint64_t *done)
{
	for (*done = 0; *done < n; ) {
		uint64_t a = (toio ? dst : src) + *done, left = n - *done, v, p;
		unsigned sz = (a & 1) || left == 1 || left == 3 ? 1 : (a & 2) || left == 2 ? 2 : 4;
		int r = toio ? memstore_read(m, src + *done, sz, &v, NULL) : ioremap_read(m, a, sz, &v, &p);
		if (!r)
			r = toio ? ioremap_write(m, a, sz, v, &p) : memstore_write(m, dst + *done, v, sz, NULL);
		if (r)
			return r;
		if (!*done)
			*phys = p;
		*done += sz;
	}
	return 0;
}

const struct ioremap_area *ioremap_find_range(const struct machine *m, uint64_t addr, uint64_t len)
{
	uint64_t last = addr + (len ? len - 1 : 0);
	if (last < addr)
		last = UINT64_MAX;
	for (unsigned i = 0, n = ioremap_count(m); i < n; i++) {
		const struct ioremap_area *io = ioremap_get(m, i);
		if (io->size && io->va <= last && io->va + io->size - 1 >= addr)
			return io;
	}
	return NULL;
}

/* memset_io(): x86's is memset(), byte stores; *phys the first one's
 * device address, *done the bytes written */
int ioremap_memset(struct machine *m, uint64_t addr, uint8_t c, uint64_t n, uint64_t *phys, uint64_t *done)
{
	for (*done = 0; *done < n; (*done)++) {
		uint64_t p;
		int r = ioremap_write(m, addr + *done, 1, c, &p);
		if (r)
			return r;
		if (!*done)
			*phys = p;
	}
	return 0;
}
