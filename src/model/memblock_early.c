/*
 * memblock_early.c - the small memblock allocations of a 6.x boot.
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
 * 6.1.192 source read) and 6.13, each by its own code.  No 6.13 kernel
 * was at hand: the 6.13 pieces follow Debian's 6.12.118 source
 * (linux-source-6.12 6.12.118-1~deb12u1) where 6.13 did not change them
 * since, and a memblock=debug boot of its amd64 kernel
 * (tests/data/amd64-6.12-memblock-debug.txt.gz) checks them: the same
 * pieces in the same order as 6.1's, but for 200-byte pcpu chunks (144 in
 * 6.1), 2 cpumasks where 6.1 takes 5, and with KASLR, the cpu_entry_area's
 * random slots.  6.13's own nosave loop is the one before the 2025 fix,
 * which 6.12.118 has as a backport.
 */
#include <stdlib.h>
#include <string.h>

#include "kmemsh/bitops.h"
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

bool memblock_early_allocs(const struct machine *m)
{
	return m->kp->kv >= KV_6_1 && !m->cfg.snapshot;
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
 * paging (asm/sparsemem.h: with CONFIG_X86_5LEVEL, MAX_PHYSMEM_BITS is
 * decided at run time, 52 on a machine with LA57: 1 << 25),
 * SECTIONS_PER_ROOT = PAGE_SIZE / sizeof(struct mem_section) = 4096 / 32
 * (section_mem_map, usage, and with CONFIG_PAGE_EXTENSION page_ext and
 * pad): 4096 roots, 32 KiB (la57: 262144 roots, 2 MiB).  Then
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
#define NR_SECTION_ROOTS(m) ((1ull << ((m)->arch->la57 ? 52 - 27 : 46 - 27)) / SECTIONS_PER_ROOT)
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
	mb_alloc(m, NR_SECTION_ROOTS(m) * lsz(m), SMP_CACHE_BYTES, "mem_section");
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
 *  - e820__register_nosave_regions(max_pfn) (arch/x86/kernel/e820.c; 6.1.176
 *    has the 2025 fix for sub-page regions, 6.13 the loop before it: see
 *    boot_early.c boot_e820_counts()), register_nosave_region()
 *    (kernel/power/snapshot.c) extending the previous region when they
 *    touch, else a struct nosave_region (a list_head, two pfns).
 * The caller counts the tables from the machine's map.  6.13 the same
 * (the 6.12.118 source read: acpi_parse_hpet(), ioapic_setup_resources(),
 * e820__reserve_resources(), firmware_map_add_early(),
 * register_nosave_region(); its memblock=debug log has 6.1's sizes).
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
 * pcpu_alloc_first_chunk() (mm/percpu.c): for the region
 * [tmp_addr, tmp_addr + map_size) of the unit, page aligned around it, the
 * chunk (struct_size(chunk, populated, ...): sizeof(struct pcpu_chunk) +
 * its populated bitmap), alloc_map (one bit per 4-byte
 * PCPU_MIN_ALLOC_SIZE), bound_map (one more bit) and md_blocks (a 32-byte
 * struct pcpu_block_md per page).  sizeof(struct pcpu_chunk)
 * (mm/percpu-internal.h, with CONFIG_MEMCG_KMEM and without
 * CONFIG_PERCPU_STATS): 6.1, 136 bytes on x86_64 and 92 on i386; 6.13 (since
 * 6.5's "re-layout pcpu_chunk structure to reduce false sharing": bound_map
 * moved up, base_addr ____cacheline_aligned_in_smp, obj_exts in
 * obj_cgroups' place) the struct is 64-byte aligned: base_addr at 64,
 * populated[] at 136 (x86_64) or 108 (i386), sizeof 192 or 128.  The real
 * 6.12.118 amd64 kernel's memblock=debug log has the 200-byte chunks
 * (tests/data/amd64-6.12-memblock-debug.txt.gz; 6.1's log: 144).
 */
static uint64_t pcpu_chunk_size(const struct machine *m)
{
	if (m->kp->kv >= KV_6_13)
		return lsz(m) == 8 ? 192 : 128;
	return lsz(m) == 8 ? 136 : 92;
}

static void pcpu_first_chunk_maps(struct machine *m, uint64_t tmp_off, uint64_t map_size)
{
	uint64_t l = lsz(m);
	uint64_t start_offset = tmp_off & (PAGE_SIZE - 1);
	uint64_t region = align_up(start_offset + map_size, PAGE_SIZE), pages = region >> PAGE_SHIFT;
	uint64_t bits = region >> 2, bpl = 8 * l;
	mb_alloc(m, pcpu_chunk_size(m) + align_up(pages, bpl) / bpl * l, SMP_CACHE_BYTES, "pcpu chunk");
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
	int slot = (int)kmemsh_fls64(unit_size) - 5 + 2;
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
 * and setup_cpu_local_masks() (6.1: arch/x86/kernel/cpu/common.c,
 * initialized, callin, callout, sibling_setup; 6.13: arch/x86/kernel/
 * smpboot.c, sibling_setup alone, the others gone with 6.5's hotplug
 * rework; the 6.12.118 source and its memblock=debug log: 2 masks on one
 * node where 6.1's has 5), each alloc_bootmem_cpumask_var(): with
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
	unsigned local = m->kp->kv >= KV_6_13 ? 1 : 4;
	for (unsigned i = 0; i < m->nr_nodes + local; i++)
		mb_alloc(m, size, SMP_CACHE_BYTES, "cpumask");
}

/*
 * trap_init() → setup_cpu_entry_areas() (arch/x86/mm/cpu_entry_area.c):
 * on x86_64 each CPU's struct cpu_entry_area is mapped with set_pte_vaddr()
 * → fill_pud()/fill_pmd()/fill_pte() (arch/x86/mm/init_64.c), which take
 * a page from spp_getpage() (memblock_alloc(PAGE_SIZE, PAGE_SIZE)) for
 * each missing PUD, PMD and PTE table.  CPU n's area starts at
 * CPU_ENTRY_AREA_PER_CPU + cea_offset(n) * CPU_ENTRY_AREA_SIZE, one page
 * after CPU_ENTRY_AREA_BASE (a PGD slot of its own), 59 pages each: gdt,
 * entry stack, tss (5), exception stacks (19: DF, NMI, DB, MCE, VC, VC2 of
 * 8 KiB, each after a guard page, and a top guard), debug store (1) and
 * its buffers (32).  Mapped are the gdt, entry stack, tss and stacks (not
 * the guards); the debug store only on Intel CPUs
 * (percpu_setup_debug_store()), which the real QEMU machines'
 * (AuthenticAMD) are not, and so the model's.
 *
 * cea_offset(n) is n in 6.1, and in 6.13 without KASLR (init_cea_offsets(),
 * since 6.2).  With KASLR (the model's --kaslr) 6.13 draws each CPU's slot
 * with get_random_u32_below(max_cea), max_cea = (CPU_ENTRY_AREA_MAP_SIZE
 * (P4D_SIZE, 512 GiB) - PAGE_SIZE) / CPU_ENTRY_AREA_SIZE, again while it
 * equals the slot of a CPU j <= n: CPU n's own, still 0, is among them, so
 * slot 0 is never drawn.  The areas then lie apart, each with a PMD table
 * and one or two PTE tables of its own: the real 6.12.118 kernel booted
 * with KASLR took 5 pages for 2 CPUs where nokaslr took 3.  The draws are
 * the CRNG's, which a model cannot repeat: a splitmix64 stream of the
 * kaslr seed stands in (layout.c does the same for the memory bases).
 */
#define CEA_PAGES 59ull

static uint64_t cea_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* the number of distinct values of v[0..n) (sorts v) */
static uint64_t distinct(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof v[0], cmp_u64);
	uint64_t d = 0;
	for (size_t i = 0; i < n; i++)
		d += !i || v[i] != v[i - 1];
	return d;
}

/* init_cea_offsets() with KASLR: slot[cpu] for each CPU; false without memory */
static bool cea_random_offsets(const struct machine *m, uint64_t *slot)
{
	const uint64_t max_cea = ((1ull << 39) - PAGE_SIZE) / (CEA_PAGES * PAGE_SIZE);
	/* the slots taken, an open-addressed set (0 = free; slot + 1 held) */
	size_t cap = 16;
	while (cap < 4ull * m->ncpus)
		cap *= 2;
	uint64_t *set = calloc(cap, sizeof *set);
	if (!set)
		return false;
	uint64_t seed = m->cfg.kaslr_seed ^ 0x6365615f6f666673ull;      /* "cea_offs" */
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		for (;;) {
			/* get_random_u32_below(): the high half of a 32x32
			 * product (the kernel's rejection of the biased low
			 * values changes nothing at this ceiling's scale) */
			uint64_t cea = ((cea_splitmix64(&seed) >> 32) * max_cea) >> 32;
			if (cea == 0)
				continue;               /* CPU n's own slot, still 0 */
			size_t h = (size_t)(cea * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
			while (set[h] && set[h] != cea + 1)
				h = (h + 1) & (cap - 1);
			if (set[h])
				continue;               /* a CPU before has it */
			set[h] = cea + 1;
			slot[cpu] = cea;
			break;
		}
	}
	free(set);
	return true;
}

void memblock_cpu_entry_area_tables(struct machine *m)
{
	if (!memblock_early_allocs(m) || m->arch->bits != 64)
		return;
	static const struct { unsigned from, to; } mapped[] = {
		{ 0, 7 }, { 8, 10 }, { 11, 13 }, { 14, 16 }, { 17, 19 }, { 20, 22 }, { 23, 25 },
	};
	/* each area's mapped pages touch at most two PTE and two PMD tables */
	uint64_t *slot = malloc(m->ncpus * sizeof *slot), *pte = malloc(4ull * m->ncpus * sizeof *pte);
	if (!slot || !pte)
		goto out;
	bool random = m->kp->kv >= KV_6_13 && m->cfg.kaslr;
	if (random) {
		if (!cea_random_offsets(m, slot))
			goto out;
	} else {
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++)
			slot[cpu] = cpu;
	}
	size_t n = 0;
	for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
		/* pages from CPU_ENTRY_AREA_BASE; the first and the last
		 * mapped page of an area bound its tables */
		uint64_t first = 1 + CEA_PAGES * slot[cpu] + mapped[0].from;
		uint64_t last = 1 + CEA_PAGES * slot[cpu] + mapped[sizeof mapped / sizeof mapped[0] - 1].to - 1;
		pte[n++] = first >> 9;
		pte[n++] = last >> 9;
	}
	uint64_t ptes = distinct(pte, n);
	for (size_t i = 0; i < n; i++)
		pte[i] >>= 9;                   /* the PMD table holding each PTE table */
	uint64_t pmds = distinct(pte, n);
	/* the PUD table of the slot, then for each PMD table its PTE tables */
	mb_alloc(m, PAGE_SIZE, PAGE_SIZE, "cpu_entry_area tables");
	for (uint64_t i = 0; i < pmds + ptes; i++)
		mb_alloc(m, PAGE_SIZE, PAGE_SIZE, "cpu_entry_area tables");
out:
	free(slot);
	free(pte);
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
