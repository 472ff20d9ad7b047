/*
 * init_mapping.c - the kernel page tables boot builds: the direct map, the
 * kernel image mapping, the vmemmap and the fixmap/pkmap tables, and the
 * protections mark_rodata_ro() gives the image afterwards.
 *
 * The direct map follows arch/x86/mm/init.c.  6.13: init_mem_mapping()
 * maps the ISA range [0, 1 MiB) whatever the holes, then
 * memory_map_top_down() maps the memblock memory ranges from the top of
 * RAM down in growing steps (PMD_SIZE, then << (PMD_SHIFT-PAGE_SHIFT-1)
 * each time as much was mapped); each piece goes through split_mem_range()
 * (a 4 KiB head to the first PMD boundary, large pages, 1 GiB pages on
 * 1 GiB-aligned parts when direct_gbpages, a 4 KiB tail; on x86_32 the
 * first PMD of memory is never large) and adjust_range_page_size_mask()
 * (a small-page piece whose whole PMD or PUD is memory is promoted).
 * 2.6.32 maps [0, max_low_pfn) in one init_memory_mapping() call and, on
 * x86_64, [4 GiB, max_pfn) in a second one, holes included.
 * kernel_physical_mapping_init() (init_32.c / init_64.c) writes the
 * entries and counts them in direct_pages_count[] (update_page_count()),
 * which meminfo's DirectMap lines print.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/init_mapping.h"
#include "kmemsh/machine.h"
#include "kmemsh/memmap.h"
#include "kmemsh/pgtable.h"

#define PAGE_KERNEL_4K  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_EXEC_4K (PAGE_KERNEL_4K & ~_PAGE_NX)

struct map_range {
	uint64_t start, end;            /* physical, [start, end) */
	unsigned depth;                 /* leaf depth: pte, pmd or pud */
};

#define MAX_MR 8

static uint64_t rdown(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static uint64_t rup(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* memblock_is_region_memory(): [start, end) lies inside one RAM range */
static bool region_is_memory(const struct machine *m, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < m->memmap.nram; i++) {
		uint64_t s = rup(m->memmap.ram[i].start, 4096), e = rdown(m->memmap.ram[i].end, 4096);
		if (start >= s && end <= e)
			return true;
	}
	return false;
}

static int save_mr(struct map_range *mr, int n, uint64_t s, uint64_t e, unsigned depth)
{
	if (s < e && n < MAX_MR)
		mr[n++] = (struct map_range){ s, e, depth };
	return n;
}

/* split_mem_range(): pieces of [start, end) by the page size they get */
static int split_mem_range(const struct machine *m, struct map_range *mr, uint64_t start, uint64_t end)
{
	const struct pt_geometry *g = &m->pt->g;
	bool x86_64 = m->arch->bits == 64;
	unsigned pte_d = g->levels - 1, pmd_d = g->levels - 2;
	uint64_t pmd = pt_level_size(g, pmd_d);
	uint64_t pud = x86_64 ? pt_level_size(g, g->levels - 3) : 0;
	unsigned pud_d = g->levels - 3;
	int n = 0;
	uint64_t pos = start, e;

	/* head up to the first PMD boundary; never a large page in the
	 * first PMD of memory on x86_32 (fixed-size MTRRs live there) */
	if (!x86_64 && pos == 0)
		e = pmd;
	else
		e = rup(pos, pmd);
	if (e > end)
		e = end;
	if (pos < e) {
		n = save_mr(mr, n, pos, e, pte_d);
		pos = e;
	}
	/* PMD-sized pages */
	uint64_t s = rup(pos, pmd);
	if (!x86_64) {
		e = rdown(end, pmd);
	} else {
		e = rup(pos, pud);
		if (e > rdown(end, pmd))
			e = rdown(end, pmd);
	}
	if (s < e) {
		n = save_mr(mr, n, s, e, pmd_d);    /* cpu_has_pse: every modelled CPU */
		pos = e;
	}
	if (x86_64) {
		/* 1 GiB pages */
		s = rup(pos, pud);
		e = rdown(end, pud);
		if (s < e) {
			n = save_mr(mr, n, s, e, m->gbpages ? pud_d : pmd_d);
			pos = e;
		}
		/* the PMD-sized tail below the last 1 GiB boundary */
		s = rup(pos, pmd);
		e = rdown(end, pmd);
		if (s < e) {
			n = save_mr(mr, n, s, e, pmd_d);
			pos = e;
		}
	}
	/* 4 KiB tail */
	n = save_mr(mr, n, pos, end, pte_d);

	/* adjust_range_page_size_mask() (6.x; not in 2.6.32) */
	if (m->kp->kv != KV_2_6_32) {
		for (int i = 0; i < n; i++) {
			if (mr[i].depth == pte_d) {
				uint64_t rs = rdown(mr[i].start, pmd), re = rup(mr[i].end, pmd);
				bool ok = x86_64 || (re >> 12) <= m->max_low_pfn;
				if (ok && region_is_memory(m, rs, re))
					mr[i].depth = pmd_d;
			}
			if (x86_64 && m->gbpages && mr[i].depth != pud_d) {
				uint64_t rs = rdown(mr[i].start, pud), re = rup(mr[i].end, pud);
				if (region_is_memory(m, rs, re))
					mr[i].depth = pud_d;
			}
		}
	}
	/* merge neighbours of the same page size */
	for (int i = 0; n > 1 && i < n - 1; i++) {
		if (mr[i].end != mr[i + 1].start || mr[i].depth != mr[i + 1].depth)
			continue;
		mr[i].end = mr[i + 1].end;
		memmove(&mr[i + 1], &mr[i + 2], (size_t)(n - 2 - i) * sizeof *mr);
		n--;
		i--;
	}
	return n;
}

static bool in_kernel_text(const struct machine *m, uint64_t phys_start, uint64_t phys_end)
{
	/* is_x86_32_kernel_text(): _text <= addr <= __init_end; 2.6.32's
	 * is_kernel_text() starts at PAGE_OFFSET, so everything below the
	 * image is executable too */
	uint64_t text = m->kp->kv == KV_2_6_32 ? 0 : m->kimage.text;
	return phys_end > text && phys_start <= m->kimage.init_end;
}

/* What va's entry at `depth` is: 0 none (or not reached), 1 a leaf there,
 * 2 a lower table there */
static int entry_state(const struct machine *m, uint64_t va, unsigned depth)
{
	struct pt_walk w;
	pgtable_walk(m, va, &w);
	if ((unsigned)w.nsteps <= depth || !pt_present(w.step[depth].entry))
		return 0;
	return w.step[depth].leaf ? 1 : 2;
}

/*
 * kernel_physical_mapping_init() for [start, end) with leaves at `depth`.
 * A large-page piece maps the whole large pages it touches (a piece that
 * adjust_range_page_size_mask() promoted need not be aligned); an entry
 * already present is kept: a large page as it is, a lower table by
 * mapping the piece inside it at the next level (phys_pud_init() ->
 * phys_pmd_init() -> phys_pte_init()).  x86_32 maps the image (_text to
 * __init_end) executable, everything else PAGE_KERNEL.
 */
static int map_phys(struct machine *m, uint64_t start, uint64_t end, unsigned depth)
{
	const struct pt_geometry *g = &m->pt->g;
	uint64_t step = pt_level_size(g, depth);
	for (uint64_t a = rdown(start, step); a < end; a += step) {
		uint64_t va = m->layout.page_offset + a;
		int st = entry_state(m, va, depth);
		if (st == 1)
			continue;
		if (st == 2) {
			uint64_t s = a > start ? a : start, e = a + step < end ? a + step : end;
			int r = map_phys(m, s, e, depth + 1);
			if (r)
				return r;
			continue;
		}
		uint64_t prot = PAGE_KERNEL_4K;
		if (m->arch->bits == 32 && in_kernel_text(m, a, a + step))
			prot = PAGE_KERNEL_EXEC_4K;
		int r = pgtable_map_range(m, va, a, step, depth, prot, true);
		if (r)
			return r;
	}
	return 0;
}

/* init_memory_mapping(start, end); add_pfn_range_mapped() raises
 * max_pfn_mapped to its end */
static int init_memory_mapping(struct machine *m, uint64_t start, uint64_t end)
{
	struct map_range mr[MAX_MR];
	int n = split_mem_range(m, mr, start, end);
	for (int i = 0; i < n; i++) {
		int e = map_phys(m, mr[i].start, mr[i].end, mr[i].depth);
		if (e)
			return e;
	}
	if (end >> 12 > m->boot.max_pfn_mapped)
		m->boot.max_pfn_mapped = end >> 12;
	return 0;
}

/* init_range_memory_mapping(): the memblock memory inside [rs, re) */
static int init_range_memory_mapping(struct machine *m, uint64_t rs, uint64_t re, uint64_t *mapped)
{
	for (size_t i = 0; i < m->memmap.nram; i++) {
		uint64_t s = rup(m->memmap.ram[i].start, 4096), e = rdown(m->memmap.ram[i].end, 4096);
		if (s < rs)
			s = rs;
		if (e > re)
			e = re;
		if (s >= e)
			continue;
		/* 6.x: if it holds the brk pgt_buf, its tables come from
		 * memblock: can_use_brk_pgt = max(start, pgt_buf_end) >=
		 * min(end, pgt_buf_top) */
		uint64_t lo = s > m->boot.pgt_buf_end ? s : m->boot.pgt_buf_end;
		uint64_t hi = e < m->boot.pgt_buf_top ? e : m->boot.pgt_buf_top;
		m->boot.pgt_no_brk = lo < hi;
		int r = init_memory_mapping(m, s, e);
		m->boot.pgt_no_brk = false;
		if (r)
			return r;
		*mapped += e - s;
	}
	return 0;
}

/* memblock_phys_alloc_range(PMD_SIZE, PMD_SIZE, start, end) probe: the
 * highest PMD-aligned PMD of RAM below end that nothing has reserved */
static uint64_t top_free_pmd(const struct machine *m, uint64_t start, uint64_t end, uint64_t pmd)
{
	for (size_t i = m->memmap.nram; i-- > 0; ) {
		uint64_t s = m->memmap.ram[i].start, e = m->memmap.ram[i].end;
		if (e > end)
			e = end;
		if (s < start)
			s = start;
		for (uint64_t a = rdown(e, pmd); a >= s + 0 && a + pmd <= e && a >= rup(s, pmd); a -= pmd) {
			if (memmap_reserved_pages(&m->memmap, a >> 12, (a + pmd) >> 12) == 0)
				return a;
			if (a < pmd)
				break;
		}
	}
	return rdown(end, pmd);
}

/* memory_map_top_down(map_start, map_end) */
static int memory_map_top_down(struct machine *m, uint64_t map_start, uint64_t map_end)
{
	const struct pt_geometry *g = &m->pt->g;
	unsigned pmd_d = g->levels - 2;
	uint64_t pmd = pt_level_size(g, pmd_d);
	uint64_t real_end = top_free_pmd(m, map_start, map_end, pmd) + pmd;
	if (real_end > map_end)
		real_end = map_end;
	uint64_t step = pmd, last = real_end, mapped = 0;
	m->boot.max_pfn_mapped = 0;             /* "will get exact value next" */
	m->boot.min_pfn_mapped = real_end >> 12;
	while (last > map_start) {
		uint64_t start;
		if (last > step) {
			start = rdown(last - 1, step);
			if (start < map_start)
				start = map_start;
		} else {
			start = map_start;
		}
		int r = init_range_memory_mapping(m, start, last, &mapped);
		if (r)
			return r;
		last = start;
		m->boot.min_pfn_mapped = last >> 12;
		if (mapped >= step)
			step <<= g->shift[pmd_d] - 12 - 1;      /* get_new_step_size() */
	}
	if (real_end < map_end)
		return init_range_memory_mapping(m, real_end, map_end, &mapped);
	return 0;
}

int init_mem_mapping(struct machine *m)
{
	uint64_t end = (m->arch->bits == 64 ? m->max_pfn : m->max_low_pfn) << 12;
	if (m->kp->kv == KV_2_6_32) {
		/* setup_arch(): init_memory_mapping(0, max_low_pfn << PAGE_SHIFT),
		 * and on x86_64 [4 GiB, max_pfn) too */
		uint64_t low = m->max_low_pfn << 12;
		if (m->arch->bits == 64 && m->max_pfn > (1ull << 20)) {
			/* e820_end_of_low_ram_pfn(): the end of RAM below 4 GiB,
			 * 4 GiB itself when a range runs across it */
			low = 0;
			for (size_t i = 0; i < m->memmap.nram; i++) {
				uint64_t s = m->memmap.ram[i].start, e = rdown(m->memmap.ram[i].end, 4096);
				if (s >= (1ull << 32))
					continue;
				if (e > (1ull << 32)) {
					low = 1ull << 32;
					break;
				}
				if (e > low)
					low = e;
			}
		}
		int r = init_memory_mapping(m, 0, low);
		if (!r && m->arch->bits == 64 && m->max_pfn > (1ull << 20))
			r = init_memory_mapping(m, 1ull << 32, m->max_pfn << 12);
		return r;
	}
	int r = init_memory_mapping(m, 0, 0x100000);    /* the ISA range, holes and all */
	if (!r)
		r = memory_map_top_down(m, 0x100000, end);
	return r;
}

/* ---- the rest of the kernel's boot-time tables ----------------------------- */

/* page_table_range_init(): pte tables for [start, end) (fixmap, pkmap) */
static int table_range_init(struct machine *m, uint64_t start, uint64_t end)
{
	uint64_t pmd = pt_level_size(&m->pt->g, m->pt->g.levels - 2);
	for (uint64_t a = rdown(start, pmd); a < end && a >= rdown(start, pmd); a += pmd) {
		int r = pgtable_pte_alloc_kernel(m, a);
		if (r)
			return r;
		if (a + pmd < a)
			break;
	}
	return 0;
}

/* x86_64: the high kernel mapping of head_64.S's level2_kernel_pgt after
 * cleanup_highmap(): 2 MiB __PAGE_KERNEL_LARGE_EXEC pages from _text
 * (rounded down) to roundup(_brk_end, PMD_SIZE) */
static int map_kernel_image(struct machine *m)
{
	if (m->arch->bits != 64)
		return 0;
	uint64_t pmd = 2ull << 20;
	uint64_t s = rdown(m->kimage.text, pmd), e = rup(m->kimage.brk_end, pmd);
	uint64_t prot = PAGE_KERNEL_EXEC_4K;
	return pgtable_map_range(m, m->layout.start_kernel_map + s, s, e - s, m->pt->g.levels - 2, prot, false);
}

int init_kernel_tables(struct machine *m)
{
	const struct kernel_layout *l = &m->layout;
	int r = map_kernel_image(m);
	if (r)
		return r;
	if (m->arch->bits == 32) {
		/* early_ioremap_page_table_range_init() / 2.6.32 pagetable_init():
		 * pte tables for the whole fixmap, then permanent_kmaps_init() */
		r = table_range_init(m, l->fixaddr_tot_start ? l->fixaddr_tot_start : l->fixaddr_start,
				     l->fixaddr_top);
		if (!r && l->pkmap_base)
			r = table_range_init(m, l->pkmap_base, l->pkmap_base + (uint64_t)l->last_pkmap * 4096);
	} else {
		/* level1_fixmap_pgt: the fixmap's pte table(s) */
		r = table_range_init(m, l->fixaddr_start, l->fixaddr_top);
	}
	return r;
}

/*
 * vmemmap_populate_hugepages() for the struct pages of [spfn, epfn): 2 MiB
 * PAGE_KERNEL_LARGE blocks taken in order from one buffer, as
 * sparse_init_nid() hands them out of sparse_buffer_init()'s single
 * allocation; alloc(m, bytes, ctx) gives the buffer's physical address.  A
 * block the previous range already mapped (struct pages of two ranges
 * sharing a 2 MiB block) is kept.
 */
int init_vmemmap(struct machine *m, uint64_t spfn, uint64_t epfn,
		 uint64_t (*alloc)(struct machine *, uint64_t, void *), void *ctx)
{
	const struct pt_geometry *g = &m->pt->g;
	unsigned pmd_d = g->levels - 2;
	uint64_t pmd = pt_level_size(g, pmd_d);
	uint64_t vs = rdown(m->layout.vmemmap_base + spfn * m->struct_page_size, pmd);
	uint64_t ve = rup(m->layout.vmemmap_base + epfn * m->struct_page_size, pmd);
	if (vs < ve && entry_state(m, vs, pmd_d) == 1)
		vs += pmd;
	if (vs >= ve)
		return 0;
	uint64_t p = alloc(m, ve - vs, ctx);
	if (p == UINT64_MAX)
		return -ENOMEM;
	return pgtable_map_range(m, vs, p, ve - vs, pmd_d, PAGE_KERNEL_4K, false);
}

/*
 * mark_rodata_ro() and free_initmem(): what the image's protections do to
 * the direct map.  x86_32 (init_32.c): set_pages_ro() on [_text,
 * __end_rodata) in the direct map itself, then mark_nxdata_nx() with NX.
 * x86_64 (init_64.c): set_memory_ro() on [_text, __end_rodata_hpage_align)
 * of the high mapping, whose direct-map alias cpa_process_alias() changes
 * too, then set_memory_nx() (no alias) and free_kernel_image_pages() of the
 * text/rodata and rodata/data gaps: set_memory_rw() there, alias included.
 */
/* [phys_s, phys_e) of the image: the start rounded up (PFN_ALIGN()), the
 * end rounded up too, or down for free_init_pages()'s ranges (`inner`) */
static int cpa_range(struct machine *m, uint64_t phys_s, uint64_t phys_e, uint64_t set, uint64_t clr, bool high,
		     bool inner)
{
	phys_s = rup(phys_s, 4096);
	phys_e = inner ? rdown(phys_e, 4096) : rup(phys_e, 4096);
	if (phys_e <= phys_s)
		return 0;
	uint64_t n = (phys_e - phys_s) >> 12;
	int r = 0;
	if (high)
		r = pgtable_change_attr(m, m->layout.start_kernel_map + phys_s, n, set, clr);
	/* the direct-map alias (never made executable or NX by an alias) */
	if (!r && (!high || (set | clr) != _PAGE_NX)) {
		uint64_t s2 = set & ~_PAGE_NX, c2 = clr & ~_PAGE_NX;
		if (!high) {
			s2 = set;
			c2 = clr;
		}
		if (s2 | c2)
			r = pgtable_change_attr(m, m->layout.page_offset + phys_s, n, s2, c2);
	}
	return r;
}

static int cpa(struct machine *m, uint64_t phys_s, uint64_t phys_e, uint64_t set, uint64_t clr, bool high)
{
	return cpa_range(m, phys_s, phys_e, set, clr, high, false);
}

/* free_init_pages(): set_memory_nx() then set_memory_rw() on the pages
 * wholly inside [begin, end); 2.6.32's makes them writable only (the NX
 * came with the NX protection of kernel data, 2.6.37) */
static int free_init_pages(struct machine *m, uint64_t begin, uint64_t end, bool high)
{
	int r = m->kp->kv == KV_2_6_32 ? 0 : cpa_range(m, begin, end, _PAGE_NX, 0, high, true);
	return r ? r : cpa_range(m, begin, end, _PAGE_RW, 0, high, true);
}

/*
 * free_initmem() (runs before mark_readonly()): on x86_64 6.x first
 * mem_encrypt_free_decrypted_mem(), then free_init_pages() of the init
 * sections, each making its range NX and RW.
 *
 * .bss..decrypted (CONFIG_AMD_MEM_ENCRYPT, which Debian's amd64 kernels
 * set) is the PMD-aligned last 2 MiB of bss, so its end is __bss_stop; an
 * image whose bss ends on a 2 MiB boundary is taken to have it.  Its used
 * part is 12 KiB in Debian 6.1 amd64 ("Freeing unused decrypted memory:
 * 2036K"); the model assumes that size.
 */
#define DECRYPTED_USED (12ull << 10)

int free_initmem(struct machine *m)
{
	const struct kimage *k = &m->kimage;
	bool high = m->arch->bits == 64;
	int r = 0;
	uint64_t pmd = 2ull << 20;
	if (high && m->kp->kv != KV_2_6_32 && !(k->ebss & (pmd - 1)) && k->ebss - pmd >= k->bss)
		r = free_init_pages(m, k->ebss - pmd + DECRYPTED_USED, k->ebss, true);
	return r ? r : free_init_pages(m, k->init_begin, k->init_end, high);
}

int mark_rodata_ro(struct machine *m)
{
	const struct kimage *k = &m->kimage;
	if (m->arch->bits == 32) {
		int r = cpa(m, k->text, k->erodata, 0, _PAGE_RW, false);
		/* mark_nxdata_nx() is 2.6.37's */
		if (!r && m->pt->g.nx && m->kp->kv != KV_2_6_32)
			r = cpa(m, k->etext, (k->init_end + (2ull << 20)) & ~((2ull << 20) - 1), _PAGE_NX, 0, false);
		return r;
	}
	uint64_t hp = 2ull << 20;
	int r = cpa(m, k->text, rup(k->erodata, hp), 0, _PAGE_RW, true);
	if (!r)
		r = cpa(m, k->etext, rup(k->brk_end, hp), _PAGE_NX, 0, true);
	/* free_kernel_image_pages() -> free_init_pages(): set_memory_nx()
	 * and set_memory_rw() */
	if (!r && k->rodata > k->etext)
		r = free_init_pages(m, k->etext, k->rodata, true);
	if (!r && k->sdata > k->erodata)
		r = free_init_pages(m, k->erodata, k->sdata, true);
	return r;
}
