/*
 * memblock_early.c - the small memblock allocations of a 6.1 boot.
 *
 * Besides the large pieces memblock.c and boot.c reserve (the memmap, the
 * log buffer, the percpu chunk, the hashes, swiotlb), setup_arch() and
 * start_kernel() take dozens of small ones: tens of bytes to a few pages,
 * each memblock_alloc(size, SMP_CACHE_BYTES) top-down, packed 64-byte
 * aligned into shared pages.  Whatever page one of them touches stays
 * reserved, so together they hold 15 pages of a 4 GiB amd64 machine and
 * 2 of a 1 GiB i386 one.  They are listed here in the kernel's order, as
 * a memblock=debug boot of the real Debian 6.1 kernels logs them
 * (tests/data/{amd64,i386}-6.1-memblock-debug.txt.gz):
 *
 *   sparse_init()              mem_section's root array, each root's
 *                              sections, the node's usemaps (x86_64)
 *   free_area_init_core()      each zone's pageblock bitmap (FLATMEM: i386)
 *   setup_arch()               the HPET's and IO-APICs' resources, the e820
 *                              table's resources and firmware map entries,
 *                              the hibernation nosave regions
 *   setup_command_line()       saved_command_line and static_command_line
 *   setup_per_cpu_areas()      pcpu_embed_first_chunk()'s alloc info and
 *                              areas (freed again), pcpu_setup_first_chunk()'s
 *                              maps, the first chunks' bitmaps, and x86_64's
 *                              off-stack cpumasks
 *   trap_init()                the page tables of the cpu_entry_area (x86_64)
 *   swiotlb_init_remap()       the io_tlb areas (x86_64 with RAM above 4 GiB)
 *
 * Structure sizes follow from each structure's fields for the arch (long
 * and pointer 8 or 4 bytes, phys_addr_t 8 with PAE) and agree with the
 * sizes the real logs print.  Followed: Linux 6.1 (Debian 6.1.176; the
 * 6.1.192 source read); where 6.13 differs it is said.  The 6.13 profile
 * does not take these yet (its boot has no real kernel to check against).
 */
#include <string.h>

#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define MiB (1024ull * 1024)
#define SMP_CACHE_BYTES 64      /* 1 << CONFIG_X86_L1_CACHE_SHIFT (6, both Debian configs) */

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static unsigned fls64(uint64_t v)
{
	unsigned n = 0;
	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

bool memblock_early_allocs(const struct machine *m)
{
	return m->kp->kv == KV_6_1 && !m->cfg.snapshot;
}

/* sizeof(long) and of pointers; sizeof(phys_addr_t) (resource_size_t) */
static uint64_t lsz(const struct machine *m)
{
	return m->arch->bits / 8;
}

static uint64_t physsz(const struct machine *m)
{
	return m->arch->bits == 64 || m->arch->pae ? 8 : 4;
}

/* sizeof(struct resource): start, end (resource_size_t), name, flags,
 * desc, parent, sibling, child (include/linux/ioport.h) */
static uint64_t resource_size(const struct machine *m)
{
	return 2 * physsz(m) + 6 * lsz(m);
}

/* memblock_alloc(size, align): top-down below memblock.current_limit (the
 * direct map: lowmem on i386) */
static uint64_t mb_alloc(struct machine *m, uint64_t size, uint64_t align, const char *why)
{
	uint64_t limit = (m->arch->highmem ? m->max_low_pfn : m->max_pfn) << PAGE_SHIFT;
	if (!size)
		return ~0ull;
	return memblock_alloc_range(m, size, align, PAGE_SIZE, limit, true, why);
}

/* ---- sparse_init() (x86_64: SPARSEMEM_EXTREME, SPARSEMEM_VMEMMAP) ------- */

/*
 * mm/sparse.c, 6.1 and 6.13 alike.  memory_present(): the first call
 * allocates mem_section, sizeof(struct mem_section *) * NR_SECTION_ROOTS
 * aligned to 1 << INTERNODE_CACHE_SHIFT, where NR_SECTION_ROOTS =
 * NR_MEM_SECTIONS / SECTIONS_PER_ROOT, NR_MEM_SECTIONS = 1 <<
 * (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS) = 1 << (46 - 27) with 4-level
 * paging (CONFIG_X86_5LEVEL decides at run time: 52 bits on a CPU with
 * LA57, which the model's machines lack), SECTIONS_PER_ROOT = PAGE_SIZE /
 * sizeof(struct mem_section) = 4096 / 32 (section_mem_map, usage, and with
 * CONFIG_PAGE_EXTENSION page_ext and pad): 4096 roots, 32 KiB.  Then
 * sparse_index_init() → sparse_index_alloc() for each root a present
 * section falls in: SECTIONS_PER_ROOT * sizeof(struct mem_section), one
 * page, memblock_alloc_node(SMP_CACHE_BYTES).
 *
 * sparse_init_nid() → sparse_early_usemaps_alloc_pgdat_section()
 * (CONFIG_MEMORY_HOTREMOVE): mem_section_usage_size() * map_count, from
 * the section that holds the node's pg_data_t ([goal, goal + 128 MiB)),
 * else anywhere.  mem_section_usage_size() = sizeof(struct
 * mem_section_usage) (its rcu_head, 16 bytes, which came with 6.8 and the
 * stable 6.1 backport the real 6.1.176 has, and the subsection bitmap,
 * 64 bits) + usemap_size() (SECTION_BLOCKFLAGS_BITS = 2^(27 - 12 - 9)
 * pageblocks * NR_PAGEBLOCK_BITS 4, in longs: 32 bytes) = 56 bytes;
 * map_count, the node's present sections.  All before the vmemmap buffer.
 */
#define SECTION_PAGES (1ull << (27 - PAGE_SHIFT))
#define SECTIONS_PER_ROOT (PAGE_SIZE / 32)
#define NR_SECTION_ROOTS ((1ull << (46 - 27)) / SECTIONS_PER_ROOT)
#define MEM_SECTION_USAGE_SIZE (16 + 8 + 32)

/* the present sections of [spfn, epfn): sections holding RAM */
static uint64_t present_sections_in(const struct machine *m, uint64_t spfn, uint64_t epfn, uint64_t *roots)
{
	const struct memmap *mm = &m->memmap;
	uint64_t n = 0, last = ~0ull, last_root = ~0ull;
	for (size_t i = 0; i < mm->nram; i++) {
		uint64_t s = mm->ram[i].start >> PAGE_SHIFT, e = mm->ram[i].end >> PAGE_SHIFT;
		if (s < spfn)
			s = spfn;
		if (e > epfn)
			e = epfn;
		if (e <= s)
			continue;
		for (uint64_t sec = s / SECTION_PAGES; sec <= (e - 1) / SECTION_PAGES; sec++) {
			if (sec == last)
				continue;
			last = sec;
			n++;
			if (roots && sec / SECTIONS_PER_ROOT != last_root) {
				last_root = sec / SECTIONS_PER_ROOT;
				(*roots)++;
			}
		}
	}
	return n;
}

void memblock_sparse_init_early(struct machine *m)
{
	if (!memblock_early_allocs(m) || !m->arch->vmemmap_base)
		return;
	/* memblocks_present() → memory_present(): the root array, then the
	 * roots in address order */
	mb_alloc(m, NR_SECTION_ROOTS * lsz(m), SMP_CACHE_BYTES, "mem_section");
	uint64_t roots = 0;
	present_sections_in(m, 0, ~0ull >> PAGE_SHIFT, &roots);
	for (uint64_t r = 0; r < roots; r++)
		mb_alloc(m, SECTIONS_PER_ROOT * 32, SMP_CACHE_BYTES, "mem_section root");
	/* sparse_init_nid() for each node: its usemaps */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t s = m->nr_nodes > 1 ? m->node[nid].emu_start >> PAGE_SHIFT : 0;
		uint64_t e = m->nr_nodes > 1 ? m->node[nid].emu_end >> PAGE_SHIFT : m->max_pfn;
		uint64_t n = present_sections_in(m, s, e, NULL);
		if (!n)
			continue;
		uint64_t size = MEM_SECTION_USAGE_SIZE * n;
		uint64_t goal = m->boot.node_data_phys[nid] & ~((SECTION_PAGES << PAGE_SHIFT) - 1);
		uint64_t a = ~0ull;
		if (m->boot.node_data_phys[nid])
			a = memblock_alloc_range(m, size, SMP_CACHE_BYTES, goal, goal + (SECTION_PAGES << PAGE_SHIFT),
						 true, "usemap");
		if (a == ~0ull)
			mb_alloc(m, size, SMP_CACHE_BYTES, "usemap");
	}
}

/* ---- free_area_init_core() → setup_usemap() (FLATMEM: i386) ------------- */

/*
 * mm/page_alloc.c (6.1; mm/mm_init.c in 6.13, the same) setup_usemap():
 * without SPARSEMEM each zone with pages gets its pageblock bitmap,
 * usemap_size(zone_start_pfn, spanned): the pageblocks from the block that
 * holds zone_start_pfn to the zone's end, NR_PAGEBLOCK_BITS (4) each,
 * rounded up to longs, memblock_alloc_node(SMP_CACHE_BYTES), in zone
 * order after the node's mem_map.
 */
void memblock_flatmem_usemaps(struct machine *m)
{
	if (!memblock_early_allocs(m) || m->arch->vmemmap_base)
		return;
	uint64_t pb = 1ull << m->pageblock_order, bits_per_long = 8 * lsz(m);
	for (int i = 0; i < m->nr_zones; i++) {
		const struct zone *z = &m->zones[i];
		if (!z->spanned)
			continue;
		uint64_t size = align_up(z->spanned + (z->start_pfn & (pb - 1)), pb) >> m->pageblock_order;
		size = align_up(size * 4, bits_per_long) / 8;
		mb_alloc(m, size, SMP_CACHE_BYTES, "zone usemap");
	}
}

/* ---- setup_arch(): resources and the nosave regions --------------------- */

/*
 * In setup_arch()'s order:
 *  - acpi_boot_init() → acpi_parse_hpet() (arch/x86/kernel/acpi/boot.c):
 *    sizeof(struct resource) + HPET_RESOURCE_NAME_SIZE (9), with an HPET;
 *  - io_apic_init_mappings() → ioapic_setup_resources()
 *    (arch/x86/kernel/apic/io_apic.c): (IOAPIC_RESOURCE_NAME_SIZE (11) +
 *    sizeof(struct resource)) * nr_ioapics, when there is one;
 *  - e820__reserve_resources() (arch/x86/kernel/e820.c): one struct
 *    resource per e820_table entry, then firmware_map_add_early()
 *    (drivers/firmware/memmap.c) per e820_table_firmware entry, a struct
 *    firmware_map_entry: start, end (u64), type, list, and a struct kobject
 *    (name, entry, parent, kset, ktype, sd, kref, state bits): 24 + 10
 *    longs;
 *  - e820__register_nosave_regions(max_pfn) (arch/x86/kernel/e820.c, as
 *    the 2025 fix for sub-page regions left it, which 6.1.176 has: the real
 *    i386 log has 2 regions, the older loop would make a third of the
 *    reserved [0x3ffe0000-0x3fffffff]; 6.13.0 has the older one): the gaps
 *    before each RAM entry and after the last up to max_pfn,
 *    register_nosave_region()
 *    (kernel/power/snapshot.c) extending the previous region when they
 *    touch, else a struct nosave_region (a list_head, two pfns).
 * The caller counts the tables from the machine's map.
 */
void memblock_setup_arch_resources(struct machine *m, const struct e820_counts *c)
{
	if (!memblock_early_allocs(m))
		return;
	uint64_t res = resource_size(m), l = lsz(m);
	if (c->hpet)
		mb_alloc(m, res + 9, SMP_CACHE_BYTES, "hpet resource");
	if (c->ioapics)
		mb_alloc(m, (11 + res) * c->ioapics, SMP_CACHE_BYTES, "ioapic resources");
	mb_alloc(m, res * c->e820, SMP_CACHE_BYTES, "e820 resources");
	for (unsigned i = 0; i < c->firmware; i++)
		mb_alloc(m, 24 + 10 * l, SMP_CACHE_BYTES, "firmware map");
	for (unsigned i = 0; i < c->nosave; i++)
		mb_alloc(m, 4 * l, SMP_CACHE_BYTES, "nosave region");
}

/* ---- start_kernel() ------------------------------------------------------ */

/*
 * init/main.c setup_command_line() (6.1 and 6.13): saved_command_line and
 * static_command_line, strlen(boot_command_line) + 1 bytes each (no
 * bootconfig, no extra init args), SMP_CACHE_BYTES aligned.
 * print_unknown_bootoptions() allocates and frees again, which leaves
 * memblock as it was.
 */
void memblock_setup_command_line(struct machine *m)
{
	if (!memblock_early_allocs(m))
		return;
	uint64_t len = (m->cfg.cmdline ? strlen(m->cfg.cmdline) : 0) + 1;
	mb_alloc(m, len, SMP_CACHE_BYTES, "saved_command_line");
	mb_alloc(m, len, SMP_CACHE_BYTES, "static_command_line");
}

/*
 * mm/percpu.c pcpu_alloc_alloc_info() (from pcpu_build_alloc_info()):
 * PFN_ALIGN(ai_size) page aligned, ai_size = struct pcpu_alloc_info (six
 * size_t, __ai_size, nr_groups: 64 bytes on x86_64, 32 on i386) + a
 * struct pcpu_group_info (nr_units, base_offset, cpu_map: 24 or 12) per
 * group + an unsigned int per unit.  The model has one group (one node).
 */
uint64_t memblock_pcpu_ai_alloc(struct machine *m, unsigned nr_units, uint64_t *size)
{
	uint64_t l = lsz(m);
	*size = align_up(8 * l + 3 * l + 4ull * nr_units, PAGE_SIZE);
	if (!memblock_early_allocs(m))
		return ~0ull;
	return mb_alloc(m, *size, PAGE_SIZE, "pcpu alloc info");
}

/* pcpu_embed_first_chunk(): areas, PFN_ALIGN(nr_groups * sizeof(void *)) */
uint64_t memblock_pcpu_areas_alloc(struct machine *m)
{
	if (!memblock_early_allocs(m))
		return ~0ull;
	return mb_alloc(m, align_up(lsz(m), PAGE_SIZE), SMP_CACHE_BYTES, "pcpu areas");
}

/*
 * pcpu_alloc_first_chunk() (mm/percpu.c; 6.13 the same, its chunk's
 * obj_exts in obj_cgroups' place): for the region
 * [tmp_addr, tmp_addr + map_size) of the unit, page aligned around it, the
 * chunk (struct pcpu_chunk, 136 bytes on x86_64 and 92 on i386 with
 * CONFIG_MEMCG_KMEM and without CONFIG_PERCPU_STATS, + its populated
 * bitmap), alloc_map (one bit per 4-byte PCPU_MIN_ALLOC_SIZE), bound_map
 * (one more bit) and md_blocks (a 32-byte struct pcpu_block_md per page).
 */
static void pcpu_first_chunk_maps(struct machine *m, uint64_t tmp_off, uint64_t map_size)
{
	uint64_t l = lsz(m);
	uint64_t start_offset = tmp_off & (PAGE_SIZE - 1);
	uint64_t region = align_up(start_offset + map_size, PAGE_SIZE), pages = region >> PAGE_SHIFT;
	uint64_t bits = region >> 2, bpl = 8 * l;
	mb_alloc(m, (l == 8 ? 136 : 92) + align_up(pages, bpl) / bpl * l, SMP_CACHE_BYTES, "pcpu chunk");
	mb_alloc(m, align_up(bits, bpl) / bpl * l, SMP_CACHE_BYTES, "pcpu alloc_map");
	mb_alloc(m, align_up(bits + 1, bpl) / bpl * l, SMP_CACHE_BYTES, "pcpu bound_map");
	mb_alloc(m, pages * 32, SMP_CACHE_BYTES, "pcpu md_blocks");
}

/*
 * pcpu_setup_first_chunk(): group_offsets and group_sizes (a long per
 * group), unit_map (an int per CPU id) and unit_off (a long per CPU id),
 * the chunk lists (pcpu_nr_slots = __pcpu_size_to_slot(unit_size) + 4:
 * max(fls(size) - 5 + 2, 1) and the sidelined, free and to-depopulate
 * slots; a list_head each), then the first chunk of the static and
 * reserved area (when reserved_size) and the dynamic one.
 */
void memblock_pcpu_setup_first_chunk(struct machine *m, uint64_t static_size, uint64_t reserved_size,
				     uint64_t dyn_size, uint64_t unit_size)
{
	if (!memblock_early_allocs(m))
		return;
	uint64_t l = lsz(m);
	mb_alloc(m, l, SMP_CACHE_BYTES, "pcpu group_offsets");
	mb_alloc(m, l, SMP_CACHE_BYTES, "pcpu group_sizes");
	mb_alloc(m, 4ull * m->ncpus, SMP_CACHE_BYTES, "pcpu unit_map");
	mb_alloc(m, l * m->ncpus, SMP_CACHE_BYTES, "pcpu unit_off");
	int slot = (int)fls64(unit_size) - 5 + 2;
	if (slot < 1)
		slot = 1;
	mb_alloc(m, (uint64_t)(slot + 4) * 2 * l, SMP_CACHE_BYTES, "pcpu chunk lists");
	pcpu_first_chunk_maps(m, static_size, reserved_size ? reserved_size : dyn_size);
	if (reserved_size)
		pcpu_first_chunk_maps(m, static_size + reserved_size, dyn_size);
}

/*
 * arch/x86/kernel/setup_percpu.c setup_per_cpu_areas(), its end:
 * setup_node_to_cpumask_map() (arch/x86/mm/numa.c, a mask per node id)
 * and setup_cpu_local_masks() (arch/x86/kernel/cpu/common.c: initialized,
 * callin, callout, sibling_setup), each alloc_bootmem_cpumask_var(): with
 * CONFIG_CPUMASK_OFFSTACK (Debian amd64's MAXSMP; not i386's) a
 * memblock_alloc(cpumask_size(), SMP_CACHE_BYTES), cpumask_size() =
 * BITS_TO_LONGS(nr_cpumask_bits) longs, nr_cpumask_bits = nr_cpu_ids in
 * 6.1 (6.13: bitmap_size(large_cpumask_bits), which is nr_cpu_ids too when
 * NR_CPUS > 4 * BITS_PER_LONG, as Debian's 8192).
 */
void memblock_cpumasks(struct machine *m)
{
	if (!memblock_early_allocs(m) || m->arch->bits != 64)
		return;
	uint64_t size = (m->ncpus + 63) / 64 * 8;
	for (unsigned i = 0; i < m->nr_nodes + 4; i++)
		mb_alloc(m, size, SMP_CACHE_BYTES, "cpumask");
}

/*
 * trap_init() → setup_cpu_entry_areas() (arch/x86/mm/cpu_entry_area.c):
 * on x86_64 each CPU's struct cpu_entry_area is mapped with set_pte_vaddr()
 * → fill_pud()/fill_pmd()/fill_pte() (arch/x86/mm/init_64.c), which take
 * a page from spp_getpage() (memblock_alloc(PAGE_SIZE, PAGE_SIZE)) for
 * each missing PUD, PMD and PTE table.  6.1 lays the areas out in CPU
 * order from CPU_ENTRY_AREA_PER_CPU, one page after CPU_ENTRY_AREA_BASE
 * (a PGD slot of its own), 59 pages each: gdt, entry stack, tss (5),
 * exception stacks (19: DF, NMI, DB, MCE, VC, VC2 of 8 KiB, each after a
 * guard page, and a top guard), debug store (1) and its buffers (32).
 * Mapped are the gdt, entry stack, tss and stacks (not the guards); the
 * debug store only on Intel CPUs (percpu_setup_debug_store()), which the
 * real QEMU machines' (AuthenticAMD) are not, and so the model's.
 * 6.13 (6.2 on) places each CPU's area at a random slot with KASLR
 * (init_cea_offsets(): a random slot of the 512 GiB per CPU), so its
 * tables differ; with nokaslr the layout is 6.1's.
 */
void memblock_cpu_entry_area_tables(struct machine *m)
{
	if (!memblock_early_allocs(m) || m->arch->bits != 64)
		return;
	static const struct { unsigned from, to; } mapped[] = {
		{ 0, 7 }, { 8, 10 }, { 11, 13 }, { 14, 16 }, { 17, 19 }, { 20, 22 }, { 23, 25 },
	};
	uint64_t last_pmd = ~0ull, last_pte = ~0ull, pmds = 0, ptes = 0;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
		for (size_t r = 0; r < sizeof mapped / sizeof mapped[0]; r++)
			for (unsigned p = mapped[r].from; p < mapped[r].to; p++) {
				uint64_t page = 1 + 59ull * cpu + p;    /* from CPU_ENTRY_AREA_BASE */
				if (page >> 9 != last_pte) {
					last_pte = page >> 9;
					ptes++;
				}
				if (page >> 18 != last_pmd) {
					last_pmd = page >> 18;
					pmds++;
				}
			}
	/* the PUD table of the slot, then for each PMD table its PTE tables:
	 * in address order, as the CPUs are set up */
	mb_alloc(m, PAGE_SIZE, PAGE_SIZE, "cpu_entry_area tables");
	for (uint64_t i = 0; i < pmds + ptes; i++)
		mb_alloc(m, PAGE_SIZE, PAGE_SIZE, "cpu_entry_area tables");
}

/*
 * kernel/dma/swiotlb.c swiotlb_init_remap() (6.1.176 as 6.13): after the
 * slots, mem->areas, a struct io_tlb_area (used, index, lock: 16 bytes on
 * x86_64) per area, SMP_CACHE_BYTES aligned.
 */
void memblock_swiotlb_areas(struct machine *m, unsigned nareas)
{
	if (!memblock_early_allocs(m))
		return;
	mb_alloc(m, 16ull * nareas, SMP_CACHE_BYTES, "swiotlb areas");
}
