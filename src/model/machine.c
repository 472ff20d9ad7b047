/*
 * machine.c - building and booting a simulated machine.
 *
 * Boot follows the kernel's order: the firmware map (e820) says what is
 * RAM; the boot allocator reserves the kernel image and the memmap; zones
 * are laid out from the arch's DMA/DMA32/lowmem limits
 * (arch/x86/mm/init.c: zone_sizes_init()); the remaining RAM is freed to
 * the buddy allocator (buddy_boot_free()); then min_free_kbytes, the
 * watermarks and lowmem_reserve are computed (mm/page_alloc.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kmemsh/buddy.h"
#include "kmemsh/machine.h"
#include "kmemsh/memstore.h"
#include "kmemsh/slab.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)
#define SECTION_PAGES_X86_64 (1ull << (27 - PAGE_SHIFT))   /* SECTION_SIZE_BITS 27 */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- sizes ----------------------------------------------------------- */

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s)
		return -EINVAL;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -EINVAL;
	}
	if (shift && (*end == 'B' || *end == 'b'))
		end++;
	else if (shift && (*end == 'i') && (end[1] == 'B'))
		end += 2;
	if (*end)
		return -EINVAL;
	if (shift && v > (~0ull >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

/* ---- dmesg and change log ------------------------------------------- */

void dmesg_printf(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);

	struct dmesg *d = &m->dmesg;
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 256;
		struct dmesg_line *nv = realloc(d->v, nc * sizeof *nv);
		if (!nv)
			return;
		d->v = nv;
		d->cap = nc;
	}
	char *t = strdup(buf);
	if (!t)
		return;
	d->v[d->n].ts_us = m->clock_us;
	d->v[d->n].text = t;
	d->n++;
	/* keep the ring bounded like the kernel's log buffer */
	if (d->n - d->start > 4096) {
		free(d->v[d->start].text);
		d->v[d->start].text = NULL;
		d->start++;
		if (d->seen < d->start)
			d->seen = d->start;
	}
}

void changelog_reset(struct machine *m)
{
	m->log.n = 0;
	m->log.dropped = 0;
}

void changelog_add(struct machine *m, const struct change *c)
{
	struct changelog *l = &m->log;
	if (!l->enabled)
		return;
	if (l->n == l->cap) {
		if (l->cap >= 65536) {
			l->dropped++;
			return;
		}
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct change *nv = realloc(l->v, nc * sizeof *nv);
		if (!nv) {
			l->dropped++;
			return;
		}
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *c;
}

/* ---- page descriptors ------------------------------------------------ */

static void init_chunk(const struct machine *m, struct page *pg, uint64_t chunk)
{
	uint64_t base = chunk << CHUNK_SHIFT;
	for (unsigned i = 0; i < CHUNK_PAGES; i++) {
		uint64_t pfn = base + i;
		struct page *p = &pg[i];
		p->next = p->prev = NODE_NIL;
		p->gfp = 0;
		p->order = 0;
		p->mt = 0;
		int z = machine_pfn_zone(m, pfn);
		p->zone = (uint8_t)(z < 0 ? 0xff : z);
		if (!memmap_pfn_is_ram(&m->memmap, pfn))
			p->flags = PG_hole | PG_reserved;
		else if (memmap_pfn_is_reserved(&m->memmap, pfn))
			p->flags = PG_reserved;
		else
			p->flags = 0;
	}
}

/* Look at a page without materializing; untouched chunks are synthesized
 * into *tmp. */
const struct page *page_peek(const struct machine *m, uint64_t pfn, struct page *tmp)
{
	uint64_t c = pfn >> CHUNK_SHIFT;
	if (pfn >= m->max_pfn || c >= m->nr_chunks)
		return NULL;
	if (m->chunk[c])
		return &m->chunk[c][pfn & (CHUNK_PAGES - 1)];
	memset(tmp, 0, sizeof *tmp);
	tmp->next = tmp->prev = NODE_NIL;
	int z = machine_pfn_zone(m, pfn);
	tmp->zone = (uint8_t)(z < 0 ? 0xff : z);
	if (!memmap_pfn_is_ram(&m->memmap, pfn)) {
		tmp->flags = PG_hole | PG_reserved;
	} else if (memmap_pfn_is_reserved(&m->memmap, pfn)) {
		tmp->flags = PG_reserved;
	} else if ((pfn & (CHUNK_PAGES - 1)) == 0) {
		/* head of an untouched free MAX_ORDER block */
		tmp->flags = PG_buddy;
		tmp->order = MAX_ORDER_MODEL;
		tmp->mt = (uint8_t)get_pageblock_mt(m, pfn);
	}
	return tmp;
}

/* Materializing an untouched chunk that is free (inside a segment) must
 * split the segment: done by buddy.c, which owns the lists. */

struct page *pfn_to_page(struct machine *m, uint64_t pfn)
{
	uint64_t c = pfn >> CHUNK_SHIFT;
	if (pfn >= m->max_pfn || c >= m->nr_chunks)
		return NULL;
	if (!m->chunk[c] && !buddy_materialize(m, c))
		return NULL;
	return &m->chunk[c][pfn & (CHUNK_PAGES - 1)];
}

/* Allocate and initialise descriptors for chunk c (no list changes). */
struct page *machine_new_chunk(struct machine *m, uint64_t c)
{
	struct page *pg = malloc(CHUNK_PAGES * sizeof *pg);
	if (!pg)
		return NULL;
	init_chunk(m, pg, c);
	m->chunk[c] = pg;
	m->materialized++;
	return pg;
}

void set_pageblock_mt(struct machine *m, uint64_t pfn, int mt)
{
	uint64_t i = pfn >> m->pageblock_order;
	if (i >= m->nr_pb)
		return;
	int old = get_pageblock_mt(m, pfn);
	if (old == mt)
		return;
	m->pb_mt[i] = (uint8_t)(mt + 1);
	/* pageblock counts for /proc/pagetypeinfo, per zone the block starts in */
	int z = machine_pfn_zone(m, pfn);
	if (z >= 0) {
		struct zone *zn = &m->zones[z];
		if (zn->nr_pageblocks[old])
			zn->nr_pageblocks[old]--;
		zn->nr_pageblocks[mt]++;
	}
	struct change c = { .kind = CH_RETYPE, .zone = (uint8_t)(z < 0 ? 0 : z),
			    .pfn = i << m->pageblock_order, .mt = (uint8_t)old, .mt2 = (uint8_t)mt };
	changelog_add(m, &c);
}

/* ---- addresses -------------------------------------------------------- */

static uint64_t page_offset(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32 ? m->arch->page_offset_old : m->arch->page_offset;
}

uint64_t machine_page_ptr(const struct machine *m, uint64_t pfn)
{
	if (m->arch->vmemmap_base)
		return m->arch->vmemmap_base + pfn * m->struct_page_size;
	/* FLATMEM: mem_map[] is a lowmem array, addressed through the direct map */
	return page_offset(m) + m->mem_map_phys + pfn * m->struct_page_size;
}

int machine_page_ptr_to_pfn(const struct machine *m, uint64_t ptr, uint64_t *pfn)
{
	uint64_t base = machine_page_ptr(m, 0);
	if (ptr < base)
		return -EFAULT;
	uint64_t off = ptr - base;
	if (off % m->struct_page_size)
		return -EINVAL;
	uint64_t p = off / m->struct_page_size;
	if (p >= m->max_pfn)
		return -EFAULT;
	*pfn = p;
	return 0;
}

bool machine_pfn_has_vaddr(const struct machine *m, uint64_t pfn)
{
	return pfn < m->max_low_pfn;
}

int machine_pfn_zone(const struct machine *m, uint64_t pfn)
{
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->spanned && pfn >= z->start_pfn && pfn < z->start_pfn + z->spanned)
			return i;
	}
	return -1;
}

int machine_zone_by_name(const struct machine *m, const char *name)
{
	for (int i = 0; i < m->nr_zones; i++)
		if (strcasecmp(m->zones[i].name, name) == 0)
			return i;
	return -1;
}

/* ---- physical map ----------------------------------------------------- */

/* The e820 map of a PC with `mem` bytes: low 640 KiB, the ISA hole, RAM
 * from 1 MiB up to the PCI hole, the rest above 4 GiB. */
static int build_default_map(struct machine *m)
{
	struct memmap *mm = &m->memmap;
	const struct arch_profile *a = m->arch;
	bool old = m->kp->kv == KV_2_6_32;
	const char *resv = old ? "reserved" : "Reserved";
	uint64_t low_start = a->reserve_low_64k && old ? 0x10000 : (old ? 0 : PAGE_SIZE);
	uint64_t mem = m->mem_bytes;
	uint64_t below = mem < a->pci_hole_start ? mem : a->pci_hole_start;
	uint64_t above = mem > a->pci_hole_start ? mem - a->pci_hole_start : 0;

	if (low_start)
		memmap_add_resource(mm, 0, low_start - 1, resv);
	memmap_add_ram(mm, low_start, 0x9fc00);
	memmap_add_resource(mm, low_start, 0x9fbff, "System RAM");
	memmap_add_resource(mm, 0x9fc00, 0x9ffff, resv);
	memmap_add_resource(mm, 0xa0000, 0xbffff, old ? "Video RAM area" : "PCI Bus 0000:00");
	memmap_add_resource(mm, 0xc0000, 0xc99ff, "Video ROM");
	memmap_add_resource(mm, 0xf0000, 0xfffff, resv);
	memmap_add_resource(mm, 0xf0000, 0xfffff, "System ROM");
	memmap_add_ram(mm, 0x100000, below);
	memmap_add_resource(mm, 0x100000, below - 1, "System RAM");

	uint64_t pci_start = below > 0xC0000000ull ? below : (a->bits == 32 ? align_up(below, 256 * MiB) : 0xC0000000ull);
	if (pci_start < 0xfec00000ull)
		memmap_add_resource(mm, pci_start, 0xfebfffffull, "PCI Bus 0000:00");
	memmap_add_resource(mm, 0xfd000000ull, 0xfdffffffull, "0000:00:02.0");
	memmap_add_resource(mm, 0xfebc0000ull, 0xfebdffffull, "0000:00:03.0");
	memmap_add_resource(mm, 0xfebc0000ull, 0xfebdffffull, "e1000");
	memmap_add_resource(mm, 0xfebf0000ull, 0xfebf0fffull, "0000:00:02.0");
	memmap_add_resource(mm, 0xfec00000ull, 0xfec003ffull, "IOAPIC 0");
	memmap_add_resource(mm, 0xfed00000ull, 0xfed003ffull, "HPET 0");
	memmap_add_resource(mm, 0xfee00000ull, 0xfee00fffull, "Local APIC");
	memmap_add_resource(mm, 0xfffc0000ull, 0xffffffffull, resv);
	if (above) {
		memmap_add_ram(mm, 4 * GiB, 4 * GiB + above);
		memmap_add_resource(mm, 4 * GiB, 4 * GiB + above - 1, "System RAM");
	}

	/* The kernel image (arch/x86/kernel/setup.c code/data/bss resources),
	 * at CONFIG_PHYSICAL_START, or at 1 MiB (the old default) when RAM is
	 * too small for that. */
	uint64_t load = a->kernel_load;
	if (below < load + 16 * MiB)
		load = 1 * MiB;
	uint64_t code = load, code_end = code + a->kcode;
	uint64_t ro = 0, ro_end = 0, data, data_end, bss, bss_end;
	if (!old && a->krodata) {
		ro = align_up(code_end, 2 * MiB);
		ro_end = ro + a->krodata;
		data = align_up(ro_end, 2 * MiB);
	} else {
		data = code_end;
	}
	data_end = data + a->kdata;
	/* init sections and per-cpu data sit between data and bss */
	bss = align_up(data_end + (old ? 0x9f000 : 0x2e5000), PAGE_SIZE);
	bss_end = bss + a->kbss;
	memmap_add_resource(mm, code, code_end - 1, "Kernel code");
	if (ro_end)
		memmap_add_resource(mm, ro, ro_end - 1, "Kernel rodata");
	memmap_add_resource(mm, data, data_end - 1, "Kernel data");
	memmap_add_resource(mm, bss, bss_end - 1, "Kernel bss");
	memmap_reserve(mm, code & ~(PAGE_SIZE - 1), align_up(bss_end, PAGE_SIZE), "kernel image");
	return 0;
}

/* memblock-style allocation of `size` bytes aligned to `align`, highest
 * free RAM first below `limit` (6.13), or lowest at/above `goal` (2.6.32
 * bootmem).  Returns the physical address or ~0. */
static uint64_t boot_alloc(struct machine *m, uint64_t size, uint64_t align,
			   uint64_t goal, uint64_t limit, bool top_down, const char *why)
{
	struct memmap *mm = &m->memmap;
	if (top_down) {
		for (size_t i = mm->nram; i-- > 0; ) {
			uint64_t s = mm->ram[i].start, e = mm->ram[i].end;
			if (e > limit)
				e = limit;
			if (s < goal)
				s = goal;
			while (e > s && e - s >= size) {
				uint64_t a = (e - size) & ~(align - 1);
				if (a < s)
					break;
				/* does it collide with a reservation? */
				uint64_t clash = 0;
				for (size_t r = 0; r < mm->nresv; r++)
					if (mm->resv[r].start < a + size && mm->resv[r].end > a)
						clash = mm->resv[r].start;
				if (!clash) {
					memmap_reserve(mm, a, a + size, why);
					return a;
				}
				e = clash;
			}
		}
	} else {
		for (size_t i = 0; i < mm->nram; i++) {
			uint64_t s = mm->ram[i].start, e = mm->ram[i].end;
			if (s < goal)
				s = goal;
			if (e > limit)
				e = limit;
			uint64_t a = align_up(s, align);
			while (a + size <= e) {
				uint64_t clash_end = 0;
				for (size_t r = 0; r < mm->nresv; r++)
					if (mm->resv[r].start < a + size && mm->resv[r].end > a)
						clash_end = mm->resv[r].end;
				if (!clash_end) {
					memmap_reserve(mm, a, a + size, why);
					return a;
				}
				a = align_up(clash_end, align);
			}
		}
	}
	return ~0ull;
}

/* ---- zones ------------------------------------------------------------ */

static void layout_zones(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	const enum zone_kind *kinds = m->kp->kv == KV_2_6_32 ? a->zones_2_6_32 : a->zones_6_13;
	int n = m->kp->kv == KV_2_6_32 ? a->nr_zones_2_6_32 : a->nr_zones_6_13;
	uint64_t min_pfn = m->min_pfn, max_pfn = m->max_pfn;

	m->max_low_pfn = max_pfn;
	if (a->maxmem && max_pfn > (a->maxmem >> PAGE_SHIFT))
		m->max_low_pfn = a->maxmem >> PAGE_SHIFT;

	for (int k = 0; k < ZK_COUNT; k++)
		m->zone_of_kind[k] = -1;
	m->nr_zones = n;
	/* arch/x86/mm/init.c: zone_sizes_init(): max_zone_pfns[] */
	uint64_t prev_end = min_pfn;
	for (int i = 0; i < n; i++) {
		struct zone *z = &m->zones[i];
		memset(z, 0, sizeof *z);
		for (int o = 0; o < NR_ORDERS; o++)
			for (int t = 0; t < MAX_MIGRATETYPES; t++)
				z->free_area[o].list[t].head = z->free_area[o].list[t].tail = NODE_NIL;
		z->kind = kinds[i];
		z->name = zone_kind_name(kinds[i]);
		z->idx = i;
		m->zone_of_kind[kinds[i]] = i;
		uint64_t end;
		switch (kinds[i]) {
		case ZK_DMA: end = a->max_dma_pfn < m->max_low_pfn ? a->max_dma_pfn : m->max_low_pfn; break;
		case ZK_DMA32: end = a->max_dma32_pfn < m->max_low_pfn ? a->max_dma32_pfn : m->max_low_pfn; break;
		case ZK_NORMAL: end = m->max_low_pfn; break;
		case ZK_HIGHMEM: end = max_pfn; break;
		default: end = 0; break;         /* Movable (no kernelcore=), Device */
		}
		if (end && end > prev_end) {
			z->start_pfn = prev_end;
			z->spanned = end - prev_end;
			prev_end = end;
		} else {
			z->start_pfn = 0;
			z->spanned = 0;
		}
		/* zone_spanned_pages_in_node(): the arch range clamped to the node
		 * [first RAM pfn, max_pfn); holes inside stay spanned */
		if (z->spanned)
			z->present = memmap_ram_pages(&m->memmap, z->start_pfn, z->start_pfn + z->spanned);
	}
}

/* Reserve the memmap the kernel allocates at boot. */
static void reserve_memmap(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t sp = m->struct_page_size;

	if (!a->vmemmap_base) {
		/* FLATMEM: one mem_map for the node, from pfn 0 aligned down to
		 * MAX_ORDER_NR_PAGES up to the end aligned up
		 * (mm/page_alloc.c: alloc_node_mem_map()) */
		uint64_t start = m->min_pfn & ~(uint64_t)(CHUNK_PAGES - 1);
		uint64_t end = align_up(m->max_pfn, CHUNK_PAGES);
		uint64_t size = align_up((end - start) * sp, PAGE_SIZE);
		uint64_t at;
		/* bootmem: lowest free memory above MAX_DMA_ADDRESS, memblock:
		 * top-down below the lowmem limit; both retry from address 0 */
		at = boot_alloc(m, size, PAGE_SIZE, 16 * MiB, m->max_low_pfn << PAGE_SHIFT, !old, "mem_map");
		if (at == ~0ull)
			at = boot_alloc(m, size, PAGE_SIZE, 0, m->max_low_pfn << PAGE_SHIFT, !old, "mem_map");
		m->mem_map_phys = at == ~0ull ? 0 : at;
		return;
	}
	/* SPARSEMEM_VMEMMAP: PMD-sized blocks of struct pages per present
	 * section (mm/sparse-vmemmap.c: vmemmap_populate_hugepages()) */
	uint64_t sections = 0;
	for (uint64_t s = 0; s < align_up(m->max_pfn, SECTION_PAGES_X86_64) / SECTION_PAGES_X86_64; s++)
		if (memmap_ram_pages(&m->memmap, s * SECTION_PAGES_X86_64, (s + 1) * SECTION_PAGES_X86_64))
			sections++;
	uint64_t bytes = sections * SECTION_PAGES_X86_64 * sp;
	uint64_t blocks = (bytes + 2 * MiB - 1) / (2 * MiB);
	m->mem_map_phys = 0;
	for (uint64_t b = 0; b < blocks; b++) {
		if (old)
			boot_alloc(m, 2 * MiB, 2 * MiB, 16 * MiB, m->max_pfn << PAGE_SHIFT, false, "vmemmap");
		else
			boot_alloc(m, 2 * MiB, 2 * MiB, 16 * MiB, m->max_pfn << PAGE_SHIFT, true, "vmemmap");
	}
}

static void reserve_boot_memory(struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;

	if (!old) {
		/* arch/x86/realmode/init.c: reserve_real_mode() — the whole
		 * first 1 MiB is reserved unconditionally (5.13+) */
		memmap_reserve(&m->memmap, 0, 1 * MiB, "first 1 MiB");
		/* kernel/dma/swiotlb.c: 64 MiB bounce buffer below 4 GiB when
		 * RAM reaches above it (pci_swiotlb_detect) */
		if (m->arch->bits == 64 && m->max_pfn > (4 * GiB >> PAGE_SHIFT))
			boot_alloc(m, 64 * MiB, PAGE_SIZE, 0, 4 * GiB, true, "swiotlb buffer");
	}
	reserve_memmap(m);
}

static void account_zones(struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;
	m->totalram_pages = m->totalhigh_pages = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		uint64_t end = z->start_pfn + z->spanned;
		uint64_t resv = memmap_reserved_pages(&m->memmap, z->start_pfn, end);
		if (old) {
			/* free_area_init_core(): present = realsize - memmap pages */
			z->memmap_pages = align_up(z->spanned * m->struct_page_size, PAGE_SIZE) >> PAGE_SHIFT;
			if (z->present >= z->memmap_pages)
				z->present -= z->memmap_pages;
		}
		z->reserved_pages = resv;
		z->managed = memmap_ram_pages(&m->memmap, z->start_pfn, end) - resv;
		m->totalram_pages += z->managed;
		if (z->kind == ZK_HIGHMEM)
			m->totalhigh_pages += z->managed;
	}
}

/* ---- watermarks ------------------------------------------------------- */

static uint64_t zone_pages_for_wmark(const struct machine *m, const struct zone *z)
{
	return m->kp->uses_managed ? z->managed : z->present;
}

/* lib/math/int_sqrt.c */
uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0, b = 1ull << 62;
	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
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
 * 6.13 __setup_per_zone_wmarks() / 2.6.32 setup_per_zone_wmarks():
 *   tmp = pages_min * pages(zone) / lowmem_pages
 *   highmem/movable: min = clamp(pages/1024, SWAP_CLUSTER_MAX, 128)
 *   6.13: tmp = max(tmp >> 2, mult_frac(managed, wsf, 10000));
 *         low = min + tmp, high = low + tmp, promo = high + tmp
 *   2.6.32: low = min + tmp/4, high = min + tmp/2
 */
void machine_setup_wmarks(struct machine *m)
{
	uint64_t pages_min = m->min_free_kbytes >> (PAGE_SHIFT - 10);
	uint64_t lowmem = 0;
	bool old = m->kp->kv == KV_2_6_32;

	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind != ZK_HIGHMEM && z->kind != ZK_MOVABLE)
			lowmem += zone_pages_for_wmark(m, z);
	}
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		uint64_t pages = zone_pages_for_wmark(m, z);
		uint64_t tmp = lowmem ? pages_min * pages / lowmem : 0;
		uint64_t minw;
		if (z->kind == ZK_HIGHMEM || z->kind == ZK_MOVABLE) {
			minw = pages / 1024;
			if (minw < 32)
				minw = 32;
			if (minw > 128)
				minw = 128;
		} else {
			minw = tmp;
		}
		z->wmark[WMARK_MIN] = minw;
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
			z->wmark[WMARK_PROMO] = z->wmark[WMARK_HIGH] + step;
		}
	}
	/* 2.6.32 setup_per_zone_wmarks() ends with setup_zone_migrate_reserve() */
	if (m->kp->mt_reserve >= 0 && m->chunk)
		buddy_setup_migrate_reserve(m);
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
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *lower = &m->zones[i];
		int ratio = m->lowmem_reserve_ratio[i];
		uint64_t sum = 0;
		for (int j = 0; j < MAX_NR_ZONES_MODEL; j++)
			lower->lowmem_reserve[j] = 0;
		if (old && ratio < 1)
			ratio = m->lowmem_reserve_ratio[i] = 1;   /* the kernel writes it back */
		bool clear = !old && (ratio == 0 || lower->managed == 0);
		for (int j = i + 1; j < m->nr_zones; j++) {
			sum += zone_pages_for_wmark(m, &m->zones[j]);
			lower->lowmem_reserve[j] = clear ? 0 : sum / (uint64_t)ratio;
		}
	}
}

/* ---- sysctl ----------------------------------------------------------- */

static const char *const sysctl_names[] = {
	"vm.min_free_kbytes", "vm.watermark_scale_factor", "vm.lowmem_reserve_ratio", NULL,
};

/*
 * print_tainted() (kernel/panic.c): one character per taint flag, 'G'
 * (not proprietary) first; 19 flags in 6.13 (TAINT_FLAGS_COUNT), 11 in
 * 2.6.32.  The model only ever sets TAINT_BAD_PAGE ('B', bit 5).
 */
const char *machine_print_tainted(const struct machine *m)
{
	if (!(m->taint & (1ul << TAINT_BAD_PAGE)))
		return "Not tainted";
	return m->kp->kv == KV_2_6_32 ? "Tainted: G    B     " : "Tainted: G    B             ";
}

/* The i-th sysctl this kernel has (vm.watermark_scale_factor came in 4.6). */
const char *machine_sysctl_name_at(const struct machine *m, size_t i)
{
	for (size_t k = 0; sysctl_names[k]; k++) {
		if (!m->kp->has_promo && strcmp(sysctl_names[k], "vm.watermark_scale_factor") == 0)
			continue;
		if (i-- == 0)
			return sysctl_names[k];
	}
	return NULL;
}

static const char *sysctl_norm(const char *name)
{
	if (strncmp(name, "vm.", 3) == 0)
		return name + 3;
	if (strncmp(name, "vm/", 3) == 0)
		return name + 3;
	return name;
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

int machine_sysctl_set(struct machine *m, const char *name, const char *value)
{
	const char *n = sysctl_norm(name);
	long v;

	if (strcmp(n, "min_free_kbytes") == 0) {
		/* min_free_kbytes_sysctl_handler: proc_dointvec_minmax with min 0 */
		int r = parse_int(value, 0, 2147483647L, &v);
		if (r)
			return r;
		m->min_free_kbytes = (unsigned)v;
		m->user_min_free_kbytes = (unsigned)v;
		machine_setup_wmarks(m);
		return 0;
	}
	if (strcmp(n, "watermark_scale_factor") == 0) {
		if (!m->kp->has_promo)
			return -ENOENT;
		/* extra1 = SYSCTL_ONE, extra2 = 3000 */
		int r = parse_int(value, 1, 3000, &v);
		if (r)
			return r;
		m->watermark_scale_factor = (unsigned)v;
		machine_setup_wmarks(m);
		return 0;
	}
	if (strcmp(n, "lowmem_reserve_ratio") == 0) {
		int vals[MAX_NR_ZONES_MODEL];
		int count = m->kp->kv == KV_2_6_32 ? m->nr_zones - 1 : m->nr_zones;
		const char *p = value;
		int k = 0;
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
			if (k >= count)
				return -E2BIG;
			vals[k++] = (int)x;
			p = end;
		}
		if (k == 0)
			return -EINVAL;
		/* proc_dointvec writes the values given, leaves the rest */
		for (int i = 0; i < k; i++)
			m->lowmem_reserve_ratio[i] = vals[i];
		machine_setup_lowmem_reserve(m);
		return 0;
	}
	return -ENOENT;
}

int machine_sysctl_get(const struct machine *m, const char *name, char *buf, size_t len)
{
	const char *n = sysctl_norm(name);
	if (strcmp(n, "min_free_kbytes") == 0) {
		snprintf(buf, len, "%u", m->min_free_kbytes);
		return 0;
	}
	if (strcmp(n, "watermark_scale_factor") == 0 && m->kp->has_promo) {
		snprintf(buf, len, "%u", m->watermark_scale_factor);
		return 0;
	}
	if (strcmp(n, "lowmem_reserve_ratio") == 0) {
		int count = m->kp->kv == KV_2_6_32 ? m->nr_zones - 1 : m->nr_zones;
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

/* ---- boot messages ------------------------------------------------------ */

static unsigned rounddown_pow_of_two(unsigned long x)
{
	unsigned long r = 1;
	while (r * 2 <= x)
		r *= 2;
	return (unsigned)r;
}

/* 2.6.32 zone_batchsize() */
static unsigned batchsize_old(uint64_t present)
{
	uint64_t batch = present / 1024;
	if (batch * PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

static void boot_messages_old(struct machine *m)
{
	if (m->arch->highmem) {
		/* arch/x86/mm/init_32.c: initmem_init() */
		uint64_t high = m->max_pfn > m->max_low_pfn ? m->max_pfn - m->max_low_pfn : 0;
		dmesg_printf(m, "%lluMB HIGHMEM available.", (unsigned long long)(high >> 8));
		dmesg_printf(m, "%lluMB LOWMEM available.", (unsigned long long)(m->max_low_pfn >> 8));
	}
	/* mm/page_alloc.c: free_area_init_nodes() (2.6.32) */
	dmesg_printf(m, "Zone PFN ranges:");
	uint64_t lo = m->min_pfn;
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_MOVABLE)
			continue;
		uint64_t hi = z->spanned ? z->start_pfn + z->spanned : lo;
		if (z->kind == ZK_HIGHMEM)
			hi = m->max_pfn > lo ? m->max_pfn : lo;
		dmesg_printf(m, "  %-8s %#010llx -> %#010llx", z->name,
			     (unsigned long long)lo, (unsigned long long)hi);
		lo = hi;
	}
	dmesg_printf(m, "Movable zone start PFN for each node");
	dmesg_printf(m, "early_node_map[%zu] active PFN ranges", m->memmap.nram);
	for (size_t r = 0; r < m->memmap.nram; r++)
		dmesg_printf(m, "  %3d: %#010llx -> %#010llx", 0,
			     (unsigned long long)(m->memmap.ram[r].start >> PAGE_SHIFT),
			     (unsigned long long)(m->memmap.ram[r].end >> PAGE_SHIFT));
	uint64_t total = memmap_ram_pages(&m->memmap, 0, m->max_pfn);
	dmesg_printf(m, "On node 0 totalpages: %llu", (unsigned long long)total);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		if (z->memmap_pages)
			dmesg_printf(m, "  %s zone: %llu pages used for memmap", z->name,
				     (unsigned long long)z->memmap_pages);
		if (i == 0)
			dmesg_printf(m, "  %s zone: %u pages reserved", z->name, 0u);
		dmesg_printf(m, "  %s zone: %llu pages, LIFO batch:%u", z->name,
			     (unsigned long long)z->present, batchsize_old(z->present));
	}
	uint64_t vm_total = 0;
	for (int i = 0; i < m->nr_zones; i++)
		vm_total += m->zones[i].present;
	/* build_all_zonelists(): grouping is off below pageblock_nr_pages *
	 * MIGRATE_TYPES pages */
	m->mobility_disabled = vm_total < (1ull << m->pageblock_order) * 5;
	dmesg_printf(m, "Built 1 zonelists in Zone order, mobility grouping %s.  Total pages: %llu",
		     m->mobility_disabled ? "off" : "on", (unsigned long long)vm_total);
}

/* mm/mm_init.c: init_unavailable_range() accounting for memmap_init() */
static void unavailable_ranges(struct machine *m)
{
	uint64_t hole = 0;
	int last_zone = 0;
	for (size_t r = 0; r < m->memmap.nram; r++) {
		uint64_t rs = m->memmap.ram[r].start >> PAGE_SHIFT, re = m->memmap.ram[r].end >> PAGE_SHIFT;
		for (int i = 0; i < m->nr_zones; i++) {
			const struct zone *z = &m->zones[i];
			if (!z->present)
				continue;
			uint64_t zs = z->start_pfn, ze = z->start_pfn + z->spanned;
			uint64_t s = rs < zs ? zs : (rs > ze ? ze : rs);
			uint64_t e = re < zs ? zs : (re > ze ? ze : re);
			last_zone = i;
			if (s >= e)
				continue;
			if (hole < s) {
				uint64_t cnt = 0;
				for (uint64_t p = hole; p < s; ) {
					/* pfn_valid(): section has a memmap (SPARSEMEM) */
					uint64_t sec = p / SECTION_PAGES_X86_64;
					uint64_t sec_end = (sec + 1) * SECTION_PAGES_X86_64;
					bool valid = !m->arch->vmemmap_base ||
						memmap_ram_pages(&m->memmap, sec * SECTION_PAGES_X86_64, sec_end) > 0;
					uint64_t stop = sec_end < s ? sec_end : s;
					if (valid)
						cnt += stop - p;
					p = stop;
				}
				if (cnt)
					dmesg_printf(m, "On node 0, zone %s: %llu pages in unavailable ranges",
						     z->name, (unsigned long long)cnt);
			}
			hole = e;
		}
	}
	(void)last_zone;
}

static void boot_messages_new(struct machine *m)
{
	/* mm/mm_init.c: free_area_init() */
	dmesg_printf(m, "Zone ranges:");
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (z->kind == ZK_MOVABLE)
			continue;
		if (!z->spanned)
			dmesg_printf(m, "  %-8s empty", z->name);
		else
			dmesg_printf(m, "  %-8s [mem %#018llx-%#018llx]", z->name,
				     (unsigned long long)(z->start_pfn << PAGE_SHIFT),
				     (unsigned long long)(((z->start_pfn + z->spanned) << PAGE_SHIFT) - 1));
	}
	dmesg_printf(m, "Movable zone start for each node");
	dmesg_printf(m, "Early memory node ranges");
	for (size_t r = 0; r < m->memmap.nram; r++)
		dmesg_printf(m, "  node %3d: [mem %#018llx-%#018llx]", 0,
			     (unsigned long long)m->memmap.ram[r].start,
			     (unsigned long long)(m->memmap.ram[r].end - 1));
	dmesg_printf(m, "Initmem setup node 0 [mem %#018llx-%#018llx]",
		     (unsigned long long)(m->min_pfn << PAGE_SHIFT),
		     (unsigned long long)((m->max_pfn << PAGE_SHIFT) - 1));
	unavailable_ranges(m);
	uint64_t vm_total = 0;
	for (int i = 0; i < m->nr_zones; i++)
		vm_total += m->zones[i].present;
	/* build_all_zonelists(): off below pageblock_nr_pages * MIGRATE_TYPES */
	m->mobility_disabled = vm_total < (1ull << m->pageblock_order) * 6;
	dmesg_printf(m, "Built 1 zonelists, mobility grouping %s.  Total pages: %llu",
		     m->mobility_disabled ? "off" : "on", (unsigned long long)vm_total);
	int policy = m->zone_of_kind[ZK_HIGHMEM] >= 0 && m->zones[m->zone_of_kind[ZK_HIGHMEM]].present
		     ? m->zone_of_kind[ZK_HIGHMEM] : m->zone_of_kind[ZK_NORMAL];
	dmesg_printf(m, "Policy zone: %s", m->zones[policy].name);
	if (m->arch->highmem) {
		uint64_t high = m->max_pfn > m->max_low_pfn ? m->max_pfn - m->max_low_pfn : 0;
		dmesg_printf(m, "%lluMB HIGHMEM available.", (unsigned long long)(high >> 8));
		dmesg_printf(m, "%lluMB LOWMEM available.", (unsigned long long)(m->max_low_pfn >> 8));
	}
}

static uint64_t nr_free_pages(const struct machine *m)
{
	uint64_t f = 0;
	for (int i = 0; i < m->nr_zones; i++)
		f += m->zones[i].free_pages;
	return f;
}

static void memory_message(struct machine *m)
{
	const struct arch_profile *a = m->arch;
	uint64_t phys = memmap_ram_pages(&m->memmap, 0, m->max_pfn);
	unsigned long long freek = (unsigned long long)nr_free_pages(m) << 2;
	if (m->kp->kv == KV_2_6_32) {
		/* arch/x86/mm/init_32.c (init_64.c): mem_init() */
		/* reserved: RAM pages below max_low_pfn still PageReserved */
		uint64_t reserved = memmap_reserved_pages(&m->memmap, 0, m->max_low_pfn);
		int hz = m->zone_of_kind[ZK_HIGHMEM];
		if (a->highmem && hz >= 0 && m->zones[hz].spanned)
			dmesg_printf(m, "Initializing HighMem for node 0 (%08llx:%08llx)",
				     (unsigned long long)m->zones[hz].start_pfn,
				     (unsigned long long)(m->zones[hz].start_pfn + m->zones[hz].spanned));
		if (a->highmem)
			dmesg_printf(m, "Memory: %lluk/%lluk available (%lluk kernel code, %lluk reserved, "
				     "%lluk data, %lluk init, %lluk highmem)",
				     freek, (unsigned long long)(m->max_pfn << 2),
				     (unsigned long long)(m->kcode >> 10), (unsigned long long)(reserved << 2),
				     (unsigned long long)(m->kdata >> 10), 636ull,
				     (unsigned long long)(m->totalhigh_pages << 2));
		else
			dmesg_printf(m, "Memory: %lluk/%lluk available (%lluk kernel code, %lluk absent, "
				     "%lluk reserved, %lluk data, %lluk init)",
				     freek, (unsigned long long)(m->max_pfn << 2),
				     (unsigned long long)(m->kcode >> 10),
				     (unsigned long long)((m->max_pfn - phys) << 2),
				     (unsigned long long)(reserved << 2),
				     (unsigned long long)(m->kdata >> 10), 636ull);
		return;
	}
	/* mm/mm_init.c: mem_init_print_info() */
	char high[64] = "";
	if (a->highmem)
		snprintf(high, sizeof high, ", %lluK highmem", (unsigned long long)(m->totalhigh_pages << 2));
	dmesg_printf(m, "Memory: %lluK/%lluK available (%lluK kernel code, %lluK rwdata, %lluK rodata, "
		     "%lluK init, %lluK bss, %lluK reserved, 0K cma-reserved%s)",
		     freek, (unsigned long long)(phys << 2),
		     (unsigned long long)(m->kcode >> 10), (unsigned long long)(m->kdata >> 10),
		     (unsigned long long)(m->krodata >> 10), 2964ull,
		     (unsigned long long)(m->kbss >> 10),
		     (unsigned long long)((phys - m->totalram_pages) << 2), high);
}

/* Kernel image section sizes from the resource tree (setup_arch()'s
 * code/rodata/data/bss resources), falling back to the arch profile. */
static uint64_t res_size(const struct resource *r, const char *name)
{
	for (; r; r = r->sibling) {
		if (r->name && strcmp(r->name, name) == 0)
			return r->end - r->start + 1;
		uint64_t v = res_size(r->child, name);
		if (v)
			return v;
	}
	return 0;
}

static void image_sizes(struct machine *m)
{
	const struct resource *root = m->memmap.root.child;
	m->kcode = res_size(root, "Kernel code");
	m->krodata = res_size(root, "Kernel rodata");
	m->kdata = res_size(root, "Kernel data");
	m->kbss = res_size(root, "Kernel bss");
	if (!m->kcode) {
		m->kcode = m->arch->kcode;
		m->krodata = m->arch->krodata;
		m->kdata = m->arch->kdata;
		m->kbss = m->arch->kbss;
	}
}

/* slub_debug= letters (mm/slub.c parse_slub_debug_flags()) */
int machine_parse_slub_debug(const char *text, unsigned *flags)
{
	unsigned f = 0;
	if (!*text || strcmp(text, "1") == 0 || strcmp(text, "-") == 0) {
		/* "slub_debug" alone: every check (F Z P U) */
		*flags = SLAB_DEBUG_FREE_F | SLAB_RED_ZONE_F | SLAB_POISON_F | SLAB_STORE_USER_F;
		return 0;
	}
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case 'f': case 'F': f |= SLAB_DEBUG_FREE_F; break;
		case 'z': case 'Z': f |= SLAB_RED_ZONE_F; break;
		case 'p': case 'P': f |= SLAB_POISON_F; break;
		case 'u': case 'U': f |= SLAB_STORE_USER_F; break;
		case 'o': case 'O': case '-': break;
		default: return -EINVAL;
		}
	}
	*flags = f;
	return 0;
}

/* The slab allocator: SLAB is 2.6.32's default, SLUB the only one in 6.13. */
static int setup_slab(struct machine *m, char *err, size_t errlen)
{
	enum slab_impl impl = m->kp->kv == KV_2_6_32 ? SLAB_IMPL_SLAB : SLAB_IMPL_SLUB;
	unsigned dbg = 0;
	if (m->cfg.slab && slab_impl_parse(m->cfg.slab, &impl)) {
		snprintf(err, errlen, "--slab %s: expected slub, slab or slob", m->cfg.slab);
		return -EINVAL;
	}
	if (m->kp->kv == KV_6_13 && impl != SLAB_IMPL_SLUB) {
		snprintf(err, errlen, "--slab %s: Linux 6.13 has only SLUB (SLOB was removed in 6.4, SLAB in 6.8)",
			 slab_impl_name(impl));
		return -EINVAL;
	}
	if (m->cfg.slub_debug) {
		if (impl != SLAB_IMPL_SLUB) {
			snprintf(err, errlen, "--slub-debug needs SLUB (this machine uses %s)", slab_impl_name(impl));
			return -EINVAL;
		}
		if (machine_parse_slub_debug(m->cfg.slub_debug, &dbg)) {
			snprintf(err, errlen, "--slub-debug=%s: expected letters of F Z P U", m->cfg.slub_debug);
			return -EINVAL;
		}
	}
	if (m->cfg.debug_slab) {
		if (impl != SLAB_IMPL_SLAB) {
			snprintf(err, errlen, "--debug-slab is CONFIG_DEBUG_SLAB, a build of SLAB (2.6.32); this machine "
				 "uses %s", slab_impl_name(impl));
			return -EINVAL;
		}
		dbg = SLAB_DEBUG_BUILD_F;
	}
	int r = slab_init(m, impl, dbg);
	if (r) {
		snprintf(err, errlen, "slab allocator: %s", m->err[0] ? m->err : strerror(-r));
		return r;
	}
	return 0;
}

/* ---- create / destroy ----------------------------------------------------- */

int machine_create(const struct machine_config *cfg, struct machine **out, char *err, size_t errlen)
{
	struct machine *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	m->cfg = *cfg;
	m->arch = arch_find(cfg->arch ? cfg->arch : "i386");
	if (!m->arch) {
		snprintf(err, errlen, "unknown architecture '%s' (known: %s)", cfg->arch, arch_names());
		free(m);
		return -EINVAL;
	}
	m->kp = kernel_find(cfg->kernel ? cfg->kernel : m->arch->default_kernel);
	if (!m->kp) {
		snprintf(err, errlen, "unknown kernel version '%s' (known: %s)", cfg->kernel, kernel_names());
		free(m);
		return -EINVAL;
	}
	m->direct_map = page_offset(m);
	m->ncpus = cfg->ncpus ? cfg->ncpus : 1;
	if (m->ncpus > 4096) {
		snprintf(err, errlen, "--cpus %u: at most 4096 CPUs", m->ncpus);
		free(m);
		return -EINVAL;
	}
	m->struct_page_size = m->kp->kv == KV_2_6_32 ? m->arch->struct_page_2_6_32 : m->arch->struct_page_6_13;
	m->pageblock_order = m->arch->pageblock_order;
	m->log.enabled = true;
	memmap_init(&m->memmap);

	if (cfg->iomem_text) {
		m->iomem_copy = strdup(cfg->iomem_text);
		char perr[200];
		if (memmap_parse_iomem(&m->memmap, cfg->iomem_text, perr, sizeof perr)) {
			snprintf(err, errlen, "--iomem: %s", perr);
			machine_destroy(m);
			return -EINVAL;
		}
		m->mem_bytes = memmap_ram_pages(&m->memmap, 0, ~0ull >> PAGE_SHIFT) << PAGE_SHIFT;
		if (memmap_max_pfn(&m->memmap) > (m->arch->max_mem >> PAGE_SHIFT) + (1ull << 20)) {
			snprintf(err, errlen, "--iomem: RAM reaches beyond what %s models", m->arch->name);
			machine_destroy(m);
			return -EINVAL;
		}
	} else {
		m->mem_bytes = cfg->mem_bytes ? cfg->mem_bytes : m->arch->default_mem;
		if (m->mem_bytes < m->arch->min_mem || m->mem_bytes > m->arch->max_mem) {
			snprintf(err, errlen, "--mem %llu%s: %s models %lluM to %lluG of RAM",
				 (unsigned long long)(m->mem_bytes >> 20), "M", m->arch->name,
				 (unsigned long long)(m->arch->min_mem >> 20),
				 (unsigned long long)(m->arch->max_mem >> 30));
			machine_destroy(m);
			return -EINVAL;
		}
		m->mem_bytes &= ~(PAGE_SIZE - 1);
		build_default_map(m);
	}

	m->min_pfn = memmap_min_pfn(&m->memmap);
	m->max_pfn = memmap_max_pfn(&m->memmap);
	image_sizes(m);
	if (m->arch->bits == 32 && m->max_pfn > (4 * GiB >> PAGE_SHIFT)) {
		snprintf(err, errlen, "RAM above 4 GiB cannot be used by a non-PAE i386 kernel");
		machine_destroy(m);
		return -EINVAL;
	}
	layout_zones(m);
	reserve_boot_memory(m);
	account_zones(m);

	m->nr_chunks = (m->max_pfn + CHUNK_PAGES - 1) >> CHUNK_SHIFT;
	m->chunk = calloc(m->nr_chunks ? m->nr_chunks : 1, sizeof *m->chunk);
	m->nr_pb = (m->max_pfn + (1ull << m->pageblock_order) - 1) >> m->pageblock_order;
	m->pb_mt = calloc(m->nr_pb ? m->nr_pb : 1, 1);
	if (!m->chunk || !m->pb_mt) {
		snprintf(err, errlen, "out of memory");
		machine_destroy(m);
		return -ENOMEM;
	}
	/* every pageblock starts MIGRATE_MOVABLE (memmap_init_range).  Count
	 * them as pagetypeinfo_showblockcount_print() does: from the zone's
	 * start pfn in steps of pageblock_nr_pages, skipping (SPARSEMEM)
	 * sections without a memmap. */
	for (int i = 0; i < m->nr_zones; i++) {
		struct zone *z = &m->zones[i];
		uint64_t nr = 1ull << m->pageblock_order, n = 0;
		for (uint64_t pfn = z->start_pfn; pfn < z->start_pfn + z->spanned; pfn += nr) {
			if (m->arch->vmemmap_base) {
				uint64_t sec = pfn / SECTION_PAGES_X86_64;
				if (!memmap_ram_pages(&m->memmap, sec * SECTION_PAGES_X86_64,
						      (sec + 1) * SECTION_PAGES_X86_64)) {
					/* skip to the next section */
					uint64_t next = (sec + 1) * SECTION_PAGES_X86_64;
					pfn += (next - pfn - 1) / nr * nr;
					continue;
				}
			}
			n++;
		}
		z->nr_pageblocks[m->kp->mt_movable] = n;
	}

	m->watermark_scale_factor = 10;
	for (int i = 0; i < m->nr_zones; i++)
		m->lowmem_reserve_ratio[i] = m->kp->lowmem_reserve_ratio[m->zones[i].kind];

	if (m->kp->kv == KV_2_6_32)
		boot_messages_old(m);
	else
		boot_messages_new(m);

	buddy_build_zonelists(m);
	buddy_boot_free(m);

	m->min_free_kbytes = machine_calc_min_free_kbytes(m);
	machine_setup_wmarks(m);
	machine_setup_lowmem_reserve(m);
	memory_message(m);
	if (setup_slab(m, err, errlen)) {
		machine_destroy(m);
		return -EINVAL;
	}
	changelog_reset(m);
	m->dmesg.seen = m->dmesg.n;
	*out = m;
	return 0;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	slab_destroy_all(m);
	memstore_destroy(m);
	if (m->chunk)
		for (uint64_t c = 0; c < m->nr_chunks; c++)
			free(m->chunk[c]);
	free(m->chunk);
	free(m->seg);
	free(m->pb_mt);
	for (size_t i = m->dmesg.start; i < m->dmesg.n; i++)
		free(m->dmesg.v[i].text);
	free(m->dmesg.v);
	free(m->log.v);
	memmap_free(&m->memmap);
	free(m->iomem_copy);
	free(m);
}

size_t machine_host_bytes(const struct machine *m)
{
	return (size_t)(m->materialized * CHUNK_PAGES * sizeof(struct page) +
			m->nr_chunks * sizeof(struct page *) + m->cap_seg * sizeof(struct segment) + m->nr_pb);
}
