/*
 * memblock.c - what a 6.x kernel reserves at boot before the buddy
 * allocator exists, each sized by the kernel's own formula.
 *
 * memblock keeps two lists, memory (RAM) and reserved; an allocation finds
 * a free gap (top-down by default) and adds it to reserved.  Whatever is
 * still free when mem_init() runs memblock_free_all() becomes the buddy
 * allocator's; what stays reserved is the "reserved" of the Memory: line.
 * Here, in start_kernel()'s order:
 *
 *   setup_log_buf(1)        printk's ring when log_buf_len= asks for more
 *                           than the static __log_buf (kernel/printk/printk.c)
 *   reserve_initrd()        the initramfs the boot loader loaded
 *                           (arch/x86/kernel/setup.c)
 *   arch_reserve_crashkernel()  crashkernel= (kernel/crash_reserve.c)
 *   setup_per_cpu_areas()   the first percpu chunk, one unit per CPU
 *                           (arch/x86/kernel/setup_percpu.c, mm/percpu.c
 *                           pcpu_embed_first_chunk())
 *   vfs_caches_init_early() the dentry and inode hashes
 *                           (fs/dcache.c, fs/inode.c, alloc_large_system_hash()
 *                           in mm/mm_init.c)
 *   mem_init()              the swiotlb bounce buffer (kernel/dma/swiotlb.c)
 *
 * 2.6.32 makes the hashes from bootmem the same way (pidhash_init() and
 * vfs_caches_init_early(), bottom-up from 16 MiB), and, at the end of this
 * file, its own reserve_initrd(), setup_per_cpu_areas() and log_buf_len=
 * from bootmem and, once the buddy allocator is up, mnt_init()'s page and
 * inet_init()'s tables, each with 2.6.32's lines.
 *
 * The memory map itself is reserved by boot.c with the page tables.
 * Followed: Linux 6.13 (6.12 and 6.1 read alongside: the same formulas).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/cmdline.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/memblock.h"
#include "kmemsh/vmalloc.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static uint64_t roundup_pow_of_two(uint64_t v)
{
	uint64_t r = 1;
	while (r < v)
		r <<= 1;
	return r;
}

static unsigned ilog2(uint64_t v)
{
	unsigned r = 0;
	while (v >>= 1)
		r++;
	return r;
}

/* get_order(): the order of the smallest block holding size bytes */
static unsigned get_order(uint64_t size)
{
	unsigned o = 0;
	while ((PAGE_SIZE << o) < size)
		o++;
	return o;
}

/* ---- formulas ---------------------------------------------------------- */

/* mm/mm_init.c: ADAPT_SCALE_BASE 64 GiB, ADAPT_SCALE_SHIFT 2 */
#define ADAPT_SCALE_NPAGES ((64ull << 30) >> PAGE_SHIFT)
#define MAX_PAGE_ORDER 10

void large_system_hash_size(unsigned long_bits, uint64_t bucketsize, uint64_t numentries, int scale,
			    unsigned flags, uint64_t low_limit, uint64_t high_limit,
			    uint64_t nr_kernel_pages, uint64_t nr_all_pages, struct large_hash *out)
{
	uint64_t max = high_limit;
	if (!numentries) {
		/* round applicable memory size up to nearest megabyte */
		numentries = align_up(nr_kernel_pages, MiB / PAGE_SIZE);
		if (long_bits > 32 && !high_limit && !(flags & HASH_2_6_32))
			for (uint64_t adapt = ADAPT_SCALE_NPAGES; adapt < numentries; adapt <<= 2)
				scale++;
		/* limit to 1 bucket per 2^scale bytes of low memory */
		if (scale > PAGE_SHIFT)
			numentries >>= scale - PAGE_SHIFT;
		else
			numentries <<= PAGE_SHIFT - scale;
		if (flags & HASH_SMALL) {
			if (!(numentries >> 4))
				numentries = 1ull << 4;
		} else if (numentries * bucketsize < PAGE_SIZE) {
			numentries = PAGE_SIZE / bucketsize;
		}
	}
	numentries = roundup_pow_of_two(numentries);
	/* limit allocation size to 1/16 total memory by default */
	if (!max)
		max = ((nr_all_pages << PAGE_SHIFT) >> 4) / bucketsize;
	if (max > 0x80000000ull)
		max = 0x80000000ull;
	if (numentries < low_limit)
		numentries = low_limit;
	if (numentries > max)
		numentries = max;
	unsigned log2qty = ilog2(numentries);
	out->entries = 1ull << log2qty;
	out->bytes = bucketsize << log2qty;
	out->order = get_order(out->bytes);
	out->order_ilog2 = (int)ilog2(out->bytes) - PAGE_SHIFT;
	/* with one node hashdist is 0 (fixup_hashdist()); late_hash_lim()
	 * adds memblock_hashdist() for the tables made after the buddy
	 * allocator */
	out->vmalloc = !(flags & HASH_EARLY) && out->order > MAX_PAGE_ORDER;
	out->huge = false;
}

/* include/linux/percpu.h (CONFIG_RANDOM_KMALLOC_CACHES=n) */
#define PERCPU_DYNAMIC_EARLY_SIZE (20ull << 10)
#define PCPU_MIN_UNIT_SIZE (32ull << 10)

/* 2.6.32 (include/linux/percpu.h): PCPU_MIN_UNIT_SIZE PFN_ALIGN(64 << 10),
 * no early-allocation minimum (pcpu_calc_fc_sizes()) */
#define PCPU_MIN_UNIT_SIZE_2_6_32 (64ull << 10)

static void build_alloc_info(uint64_t static_size, uint64_t reserved_size, uint64_t dyn_size, uint64_t early_size,
			     uint64_t min_unit, uint64_t atom_size, unsigned ncpus, struct pcpu_alloc_info *ai)
{
	uint64_t early = dyn_size > early_size ? dyn_size : early_size;
	uint64_t size_sum = align_up(static_size + reserved_size + early, PAGE_SIZE);
	uint64_t min_unit_size = size_sum > min_unit ? size_sum : min_unit;
	uint64_t alloc_size = align_up(min_unit_size, atom_size);
	unsigned max_upa = (unsigned)(alloc_size / min_unit_size);
	while (alloc_size % max_upa || (alloc_size / max_upa) % PAGE_SIZE)
		max_upa--;
	/* the largest units-per-allocation that wastes at most a third of the
	 * CPUs' units and needs no more allocations than a larger one */
	unsigned best = 0, last_allocs = ~0u;
	for (unsigned upa = max_upa; upa; upa--) {
		if (alloc_size % upa || (alloc_size / upa) % PAGE_SIZE)
			continue;
		unsigned allocs = (ncpus + upa - 1) / upa;
		unsigned wasted = allocs * upa - ncpus;
		if (wasted > ncpus / 3)
			continue;
		if (allocs > last_allocs)
			break;
		last_allocs = allocs;
		best = upa;
	}
	ai->static_size = static_size;
	ai->reserved_size = reserved_size;
	ai->dyn_size = size_sum - static_size - reserved_size;
	ai->size_sum = size_sum;
	ai->atom_size = atom_size;
	ai->alloc_size = alloc_size;
	ai->upa = best;
	ai->unit_size = alloc_size / best;
	ai->nr_units = (ncpus + best - 1) / best * best;
}

void pcpu_build_alloc_info(uint64_t static_size, uint64_t reserved_size, uint64_t dyn_size,
			   uint64_t atom_size, unsigned ncpus, struct pcpu_alloc_info *ai)
{
	build_alloc_info(static_size, reserved_size, dyn_size, PERCPU_DYNAMIC_EARLY_SIZE, PCPU_MIN_UNIT_SIZE,
			 atom_size, ncpus, ai);
}

void pcpu_build_alloc_info_2_6_32(uint64_t static_size, uint64_t reserved_size, uint64_t dyn_size,
				  uint64_t atom_size, unsigned ncpus, struct pcpu_alloc_info *ai)
{
	build_alloc_info(static_size, reserved_size, dyn_size, 0, PCPU_MIN_UNIT_SIZE_2_6_32, atom_size, ncpus, ai);
}

/* CONFIG_LOG_BUF_SHIFT 17, CONFIG_LOG_CPU_MAX_BUF_SHIFT 12 (the defaults),
 * LOG_BUF_LEN_MAX 2 GiB */
#define LOG_BUF_STATIC (1ull << 17)
#define LOG_CPU_MAX_BUF (1ull << 12)

uint64_t log_buf_len_for(uint64_t requested, unsigned ncpus)
{
	uint64_t size = requested;
	if (!size && ncpus > 1 && (ncpus - 1) * LOG_CPU_MAX_BUF > LOG_BUF_STATIC / 2)
		size = (ncpus - 1) * LOG_CPU_MAX_BUF + LOG_BUF_STATIC;     /* log_buf_add_cpu() */
	if (size > (1ull << 31))
		size = 1ull << 31;
	if (size)
		size = roundup_pow_of_two(size);
	return size > LOG_BUF_STATIC ? size : 0;
}

/* one descriptor per 32 bytes of text (PRB_AVGBITS 5): struct prb_desc is
 * three longs; struct printk_info two u64, u16, two u8, u32 and 64 bytes of
 * dev_printk_info (88 bytes on both: u64 is 4-aligned on i386) */
uint64_t log_buf_desc_bytes(unsigned long_bits, uint64_t len)
{
	return (len >> 5) * 3 * (long_bits / 8);
}

uint64_t log_buf_info_bytes(unsigned long_bits, uint64_t len)
{
	(void)long_bits;
	return (len >> 5) * 88;
}

/* ---- memblock ---------------------------------------------------------- */

static bool clashes(const struct memmap *mm, uint64_t a, uint64_t size, uint64_t *rs, uint64_t *re)
{
	for (size_t r = 0; r < mm->nresv; r++)
		if (mm->resv[r].start < a + size && mm->resv[r].end > a) {
			*rs = mm->resv[r].start;
			*re = mm->resv[r].end;
			return true;
		}
	return false;
}

uint64_t memblock_alloc_range(struct machine *m, uint64_t size, uint64_t align, uint64_t min, uint64_t max,
			      bool top_down, const char *why)
{
	struct memmap *mm = &m->memmap;
	uint64_t rs, re;
	for (size_t k = 0; k < mm->nram; k++) {
		size_t i = top_down ? mm->nram - 1 - k : k;
		uint64_t s = mm->ram[i].start > min ? mm->ram[i].start : min;
		uint64_t e = mm->ram[i].end < max ? mm->ram[i].end : max;
		if (top_down) {
			while (e > s && e - s >= size) {
				uint64_t a = (e - size) & ~(align - 1);
				if (a < s)
					break;
				if (!clashes(mm, a, size, &rs, &re)) {
					memmap_reserve(mm, a, a + size, why);
					return a;
				}
				e = rs;
			}
		} else {
			uint64_t a = align_up(s, align);
			while (a + size <= e) {
				if (!clashes(mm, a, size, &rs, &re)) {
					memmap_reserve(mm, a, a + size, why);
					return a;
				}
				a = align_up(re, align);
			}
		}
	}
	return ~0ull;
}

uint64_t memblock_free_pages_in(const struct machine *m, uint64_t start_pfn, uint64_t end_pfn)
{
	if (end_pfn <= start_pfn)
		return 0;
	return memmap_ram_pages(&m->memmap, start_pfn, end_pfn) -
	       memmap_reserved_pages(&m->memmap, start_pfn, end_pfn);
}

/* memblock_alloc(): top-down anywhere in the directly mapped RAM */
static uint64_t memblock_alloc(struct machine *m, uint64_t size, uint64_t align, const char *why)
{
	uint64_t limit = (m->arch->highmem ? m->max_low_pfn : m->max_pfn) << PAGE_SHIFT;
	return memblock_alloc_range(m, size, align, 0, limit, true, why);
}

/* ---- the boot steps ------------------------------------------------------ */

void memblock_setup_log_buf(struct machine *m, bool early)
{
	struct boot_state *b = &m->boot;
	if (b->log_buf_len)
		return;                 /* log_buf != __log_buf: done once */
	/* the early call honours log_buf_len=; the second (after the percpu
	 * areas) adds the CPUs' share when there was none */
	/* log_buf_len_update(): a size not above the static buffer sets no
	 * new_log_buf_len, and the CPUs' share still applies */
	uint64_t param = log_buf_len_for(b->log_buf_len_param, 1) ? b->log_buf_len_param : 0;
	uint64_t len = log_buf_len_for(param, early ? 1 : m->ncpus);
	if (!len)
		return;
	if (!early && !param) {
		/* log_buf_add_cpu() */
		dmesg_printf(m, "printk: log_buf_len individual max cpu contribution: %llu bytes", 4096ull);
		dmesg_printf(m, "printk: log_buf_len total cpu_extra contributions: %llu bytes",
			     (unsigned long long)((m->ncpus - 1) * 4096ull));
		dmesg_printf(m, "printk: log_buf_len min size: %llu bytes", (unsigned long long)LOG_BUF_STATIC);
	}
	/* each part that fails is named, and the parts already taken are
	 * given back (err_free_descs, err_free_log_buf) */
	unsigned lb = m->arch->bits;
	uint64_t descs = log_buf_desc_bytes(lb, len), infos = log_buf_info_bytes(lb, len);
	uint64_t text_at = memblock_alloc(m, len, lb / 8, "log_buf");
	if (text_at == ~0ull) {
		dmesg_printf(m, "printk: log_buf_len: %llu text bytes not available", (unsigned long long)len);
		return;
	}
	uint64_t descs_at = memblock_alloc(m, descs, lb / 8, "log_buf descs");
	if (descs_at == ~0ull) {
		dmesg_printf(m, "printk: log_buf_len: %llu desc bytes not available", (unsigned long long)descs);
		memmap_unreserve(&m->memmap, text_at, text_at + len);
		return;
	}
	if (memblock_alloc(m, infos, lb / 8, "log_buf infos") == ~0ull) {
		dmesg_printf(m, "printk: log_buf_len: %llu info bytes not available", (unsigned long long)infos);
		memmap_unreserve(&m->memmap, descs_at, descs_at + descs);
		memmap_unreserve(&m->memmap, text_at, text_at + len);
		return;
	}
	b->log_buf_len = len;
	dmesg_printf(m, "printk: log_buf_len: %llu bytes", (unsigned long long)len);
}

/*
 * The boot loader puts the initramfs at the top of the RAM below 4 GiB
 * (QEMU and GRUB: the highest page-aligned address below the end of the
 * low RAM range), and reserve_initrd() keeps it; x86_32 moves one that is
 * not in lowmem (relocate_initrd()) to a memblock allocation in lowmem.
 */
static int initrd_loaded_at(const struct machine *m, uint64_t size, uint64_t *image, uint64_t *end)
{
	const struct memmap *mm = &m->memmap;
	uint64_t top = 0;
	for (size_t i = 0; i < mm->nram; i++)
		if (mm->ram[i].start < 4 * GiB)
			top = mm->ram[i].end < 4 * GiB ? mm->ram[i].end : 4 * GiB;
	*image = (top - size) & ~(PAGE_SIZE - 1);
	*end = align_up(*image + size, PAGE_SIZE);
	if (size >= top || memblock_free_pages_in(m, *image >> PAGE_SHIFT, *end >> PAGE_SHIFT) !=
			   (*end - *image) >> PAGE_SHIFT)
		return -1;
	return 0;
}

int memblock_reserve_initrd(struct machine *m)
{
	struct boot_state *b = &m->boot;
	uint64_t size = m->cfg.initrd_size;
	if (!size)
		return 0;
	uint64_t image, end;
	if (initrd_loaded_at(m, size, &image, &end))
		return -1;
	dmesg_printf(m, "RAMDISK: [mem %#010llx-%#010llx]", (unsigned long long)image, (unsigned long long)(end - 1));
	uint64_t lowmem = m->max_low_pfn << PAGE_SHIFT;
	if (m->arch->highmem && end > lowmem) {
		/* relocate_initrd(): memblock_phys_alloc_range(area_size,
		 * PAGE_SIZE, 0, PFN_PHYS(max_pfn_mapped)), top-down */
		uint64_t area = align_up(size, PAGE_SIZE);
		/* the old place stays reserved (early_reserve_initrd()) until
		 * the copy is made: the new one cannot overlap it */
		memmap_reserve(&m->memmap, image, end, "initrd (loaded)");
		uint64_t to = memblock_alloc_range(m, area, PAGE_SIZE, 0, lowmem, true, "initrd");
		memmap_unreserve(&m->memmap, image, end);
		if (to == ~0ull)
			return -2;      /* panic("Cannot find place for new RAMDISK of size %lld") */
		dmesg_printf(m, "Allocated new RAMDISK: [mem %#010llx-%#010llx]", (unsigned long long)to,
			     (unsigned long long)(to + size - 1));
		dmesg_printf(m, "Move RAMDISK from [mem %#010llx-%#010llx] to [mem %#010llx-%#010llx]",
			     (unsigned long long)image, (unsigned long long)(image + size - 1),
			     (unsigned long long)to, (unsigned long long)(to + size - 1));
		image = to;
		end = to + area;
	} else {
		memmap_reserve(&m->memmap, image, end, "initrd");
	}
	b->initrd_start = image;
	b->initrd_end = end;
	return 0;
}

/* pcpu_dump_alloc_info() (mm/percpu.c, the same in 2.6.32 and 6.x):
 * allocations per line a power of two that fits 60 columns */
static void pcpu_dump_alloc_info(struct machine *m, const struct pcpu_alloc_info *ai)
{
	unsigned cpu_width = 1;
	for (unsigned v = m->ncpus; v /= 10; )
		cpu_width++;
	unsigned width = ai->upa * (cpu_width + 1) + 1 + 3;
	unsigned apl = 1;
	while (apl * 2 <= (60 / width > 1 ? 60 / width : 1))
		apl *= 2;
	char line[256];
	size_t n = (size_t)snprintf(line, sizeof line, "pcpu-alloc: s%llu r%llu d%llu u%llu alloc=%llu*%llu",
				    (unsigned long long)ai->static_size, (unsigned long long)ai->reserved_size,
				    (unsigned long long)ai->dyn_size, (unsigned long long)ai->unit_size,
				    (unsigned long long)(ai->alloc_size / ai->atom_size), (unsigned long long)ai->atom_size);
	unsigned unit = 0;
	for (unsigned alloc = 0; alloc < ai->nr_units / ai->upa; alloc++) {
		if (!(alloc % apl)) {
			dmesg_printf(m, "%s", line);
			n = (size_t)snprintf(line, sizeof line, "pcpu-alloc: ");
		}
		n += (size_t)snprintf(line + n, sizeof line - n, "[0] ");
		for (unsigned u = 0; u < ai->upa && n < sizeof line; u++, unit++)
			if (unit < m->ncpus)
				n += (size_t)snprintf(line + n, sizeof line - n, "%0*u ", (int)cpu_width, unit);
			else
				n += (size_t)snprintf(line + n, sizeof line - n, "%.*s ", (int)cpu_width, "--------");
	}
	dmesg_printf(m, "%s", line);
}

int memblock_setup_per_cpu_areas(struct machine *m, char *err, size_t errlen)
{
	const struct arch_profile *a = m->arch;
	struct pcpu_alloc_info ai;
	bool x86_64 = a->bits == 64;
	/* arch/x86/kernel/setup_percpu.c: reserved = PERCPU_FIRST_CHUNK_RESERVE
	 * (PERCPU_MODULE_RESERVE, 8 KiB with CONFIG_MODULES, on x86_64; 0 on
	 * x86_32), dyn = PERCPU_MODULE_RESERVE + PERCPU_DYNAMIC_RESERVE (28 KiB
	 * on 64-bit, 20 KiB on 32) - reserved, atom = PMD_SIZE on x86_64 and
	 * PAGE_SIZE on x86_32 */
	uint64_t module = 8 << 10;
	uint64_t reserved = x86_64 ? module : 0;
	uint64_t dyn = module + (x86_64 ? 28 << 10 : 20 << 10) - reserved;
	pcpu_build_alloc_info(a->pcpu_static_size, reserved, dyn, x86_64 ? 2 * MiB : PAGE_SIZE, m->ncpus, &ai);
	dmesg_printf(m, "setup_percpu: NR_CPUS:%u nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:%u",
		     a->nr_cpus_config, m->ncpus, m->ncpus, m->nr_nodes);
	/* pcpu_embed_first_chunk(): each allocation of upa units from
	 * pcpu_fc_alloc() (memblock, above MAX_DMA_ADDRESS), the unused tail
	 * of every unit and the units no CPU has given back */
	uint64_t limit = (a->highmem ? m->max_low_pfn : m->max_pfn) << PAGE_SHIFT;
	unsigned cpu = 0;
	free(m->boot.pcpu_unit);
	m->boot.pcpu_unit = calloc(m->ncpus, sizeof *m->boot.pcpu_unit);
	if (!m->boot.pcpu_unit) {
		model_err_buf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* pcpu_build_alloc_info() → pcpu_alloc_alloc_info(), then
	 * pcpu_embed_first_chunk()'s areas (memblock_early.c) */
	uint64_t ai_size;
	uint64_t ai_at = memblock_pcpu_ai_alloc(m, ai.nr_units, &ai_size);
	uint64_t areas_at = memblock_pcpu_areas_alloc(m);
	/* pcpu_embed_first_chunk() allocates "space for the whole group":
	 * nr_units * unit_size from pcpu_fc_alloc() (the model's one group,
	 * one node; 6.1 and 6.13 alike, as both real logs show).  A --from
	 * snapshot's boot keeps its allocation of alloc_size per upa units,
	 * the same pages when upa units fill the group. */
	bool group = memblock_early_allocs(m);
	uint64_t chunk = group ? ai.nr_units * ai.unit_size : ai.alloc_size;
	unsigned per = group ? ai.nr_units : ai.upa;
	for (unsigned alloc = 0; alloc < ai.nr_units / per; alloc++) {
		uint64_t base = memblock_alloc_range(m, chunk, ai.atom_size, 16 * MiB, limit, true, "percpu");
		if (base == ~0ull)
			base = memblock_alloc_range(m, chunk, ai.atom_size, 0, limit, true, "percpu");
		if (base == ~0ull) {
			/* pcpu_embed_first_chunk() fails: panic("Failed to
			 * initialize percpu areas.") */
			model_err_buf(err, errlen, "--cpus %u: the first percpu chunk (%llu KiB a CPU, %llu MiB "
				      "in all) does not fit in the RAM", m->ncpus,
				      (unsigned long long)(ai.unit_size >> 10),
				      (unsigned long long)((ai.nr_units / ai.upa * ai.alloc_size) >> 20));
			return -ENOMEM;
		}
		for (unsigned u = 0; u < per; u++, cpu++) {
			uint64_t unit = base + u * ai.unit_size;
			if (cpu < m->ncpus)
				m->boot.pcpu_unit[cpu] = unit;  /* __per_cpu_offset[cpu], as a physical address */
			memmap_unreserve(&m->memmap, cpu < m->ncpus ? unit + ai.size_sum : unit, unit + ai.unit_size);
		}
	}
	/* pcpu_setup_first_chunk()'s maps; then out_free: the alloc info and
	 * areas go back; then setup_per_cpu_areas()'s cpumasks */
	memblock_pcpu_setup_first_chunk(m, ai.static_size, ai.reserved_size, ai.dyn_size, ai.unit_size);
	if (ai_at != ~0ull)
		memmap_unreserve(&m->memmap, ai_at, ai_at + ai_size);
	if (areas_at != ~0ull)
		memmap_unreserve(&m->memmap, areas_at, areas_at + PAGE_SIZE);
	memblock_cpumasks(m);
	m->boot.pcpu_pages = (ai.size_sum >> PAGE_SHIFT) * m->ncpus;
	dmesg_printf(m, "percpu: Embedded %llu pages/cpu s%llu r%llu d%llu u%llu",
		     (unsigned long long)(ai.size_sum >> PAGE_SHIFT), (unsigned long long)ai.static_size,
		     (unsigned long long)ai.reserved_size, (unsigned long long)ai.dyn_size,
		     (unsigned long long)ai.unit_size);
	pcpu_dump_alloc_info(m, &ai);
	return 0;
}

/*
 * fs/dcache.c dcache_init_early() and fs/inode.c inode_init_early(): one
 * struct hlist_bl_head / hlist_head (a pointer) per bucket, one bucket per
 * 8 KiB (scale 13) and 16 KiB (scale 14) of lowmem, from memblock.
 */
/*
 * hashdist (mm/mm_init.c): HASHDIST_DEFAULT is CONFIG_NUMA && CONFIG_64BIT
 * (Debian's and the 6.x x86_64 profiles' configs have CONFIG_NUMA), and
 * free_area_init() → fixup_hashdist() clears it when one node has memory
 * (num_node_state(N_MEMORY) == 1).  The hashdist= parameter is not
 * modelled.
 */
bool memblock_hashdist(const struct machine *m)
{
	if (m->arch->bits != 64 || m->kp->kv == KV_2_6_32)
		return false;
	unsigned with_memory = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t present = 0;
		for (int z = 0; z < m->nr_zones; z++)
			if (m->zones[z].nid == (int)nid)
				present += m->zones[z].present;
		if (present)
			with_memory++;
	}
	return with_memory > 1;
}

/* The order alloc_large_system_hash() prints: mainline until late 2025
 * printed ilog2(size) - PAGE_SHIFT (negative below a page, one short of
 * get_order() for a size that is no power of two: MPTCP's 24-byte token
 * buckets); the fix to get_order(size) went to the stable branches then, and
 * Debian's 6.1 (the real logs: "MPTCP token hash table entries: 4096
 * (order: 5, 98304 bytes") has it.  6.13's stable series had ended by then. */
static int hash_order_printed(const struct machine *m, const struct large_hash *h)
{
	return m->kp->kv == KV_6_13 ? h->order_ilog2 : (int)h->order;
}

void memblock_vfs_caches_init_early(struct machine *m)
{
	/* dcache_init_early(), inode_init_early(): "If hashes are distributed
	 * across NUMA nodes, defer hash allocation until vmalloc space is
	 * available" (if (hashdist) return;): vfs_caches_init() makes them */
	if (memblock_hashdist(m))
		return;
	static const struct { const char *name; int scale; } early[] = {
		{ "Dentry cache", 13 }, { "Inode-cache", 14 },
	};
	unsigned lb = m->arch->bits;
	for (size_t i = 0; i < sizeof early / sizeof early[0]; i++) {
		struct large_hash h;
		large_system_hash_size(lb, lb / 8, 0, early[i].scale, HASH_EARLY | HASH_ZERO, 0, 0,
				       m->boot.nr_kernel_pages, m->boot.nr_all_pages, &h);
		/* memblock_alloc(size, SMP_CACHE_BYTES) */
		if (memblock_alloc(m, h.bytes, 64, early[i].name) == ~0ull)
			continue;
		dmesg_printf(m, "%s hash table entries: %llu (order: %d, %llu bytes, %s)", early[i].name,
			     (unsigned long long)h.entries, hash_order_printed(m, &h), (unsigned long long)h.bytes,
			     "linear");
	}
}

/* mem_init() → pci_iommu_alloc() → pci_swiotlb_detect(): on x86_64 with
 * RAM above 4 GiB, the default 64 MiB bounce buffer (IO_TLB_DEFAULT_SIZE)
 * from memblock below 4 GiB, and its bookkeeping: one struct
 * io_tlb_slot (24 bytes) per 2 KiB slot and the areas (one per CPU,
 * rounded to a power of two: "area num"). */
void memblock_swiotlb_init(struct machine *m)
{
	if (m->arch->bits != 64 || m->max_pfn <= (4 * GiB >> PAGE_SHIFT))
		return;
	unsigned nareas = (unsigned)roundup_pow_of_two(m->ncpus);
	dmesg_printf(m, "software IO TLB: area num %u.", nareas);
	uint64_t bytes = 64 * MiB;
	uint64_t at = memblock_alloc_range(m, bytes, PAGE_SIZE, 0, 4 * GiB, true, "swiotlb buffer");
	if (at == ~0ull)
		return;
	m->boot.swiotlb_start = at;
	m->boot.swiotlb_end = at + bytes;
	memblock_alloc(m, align_up((bytes >> 11) * 24, PAGE_SIZE), PAGE_SIZE, "swiotlb slots");
	memblock_swiotlb_areas(m, nareas);
}

/*
 * 2.6.32 start_kernel(): pidhash_init() (kernel/pid.c: one hlist_head per
 * 2^18 bytes, HASH_SMALL, at most 4096) and vfs_caches_init_early()
 * (fs/dcache.c scale 13, fs/inode.c 14), each alloc_bootmem_nopanic():
 * lowmem, bottom-up from MAX_DMA_ADDRESS.  nr_kernel_pages counts the
 * lowmem zones' pages less their memmap (free_area_init_core()).
 */
void bootmem_large_system_hashes(struct machine *m)
{
	static const struct { const char *name; int scale; unsigned flags; uint64_t limit; } tables[] = {
		{ "PID", 18, HASH_EARLY | HASH_SMALL, 4096 },
		{ "Dentry cache", 13, HASH_EARLY, 0 }, { "Inode-cache", 14, HASH_EARLY, 0 },
	};
	unsigned lb = m->arch->bits;
	uint64_t kernel = 0, all = 0;
	for (int i = 0; i < m->nr_zones; i++) {
		all += m->zones[i].present;
		if (m->zones[i].kind != ZK_HIGHMEM && m->zones[i].kind != ZK_MOVABLE)
			kernel += m->zones[i].present;
	}
	m->boot.nr_kernel_pages = kernel;
	m->boot.nr_all_pages = all;
	uint64_t limit = m->max_low_pfn << PAGE_SHIFT;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		struct large_hash h;
		large_system_hash_size(lb, lb / 8, 0, tables[i].scale, tables[i].flags | HASH_2_6_32, 0,
				       tables[i].limit, kernel, all, &h);
		uint64_t at = memblock_alloc_range(m, h.bytes, 64, 16 * MiB, limit, false, tables[i].name);
		if (at == ~0ull)
			at = memblock_alloc_range(m, h.bytes, 64, 0, limit, false, tables[i].name);
		if (at == ~0ull)
			continue;
		dmesg_printf(m, "%s hash table entries: %llu (order: %d, %llu bytes)", tables[i].name,
			     (unsigned long long)h.entries, h.order_ilog2, (unsigned long long)h.bytes);
	}
}

/*
 * The tables sized after the buddy allocator is up (6.13):
 * alloc_large_system_hash() without HASH_EARLY takes alloc_pages_exact()
 * of the table (whole pages of a power-of-two size here, so the block of
 * get_order(size) pages, nothing to trim), GFP_ATOMIC, zeroed with
 * HASH_ZERO.  vfs_caches_init() → mnt_init(): the mount and mountpoint
 * hashes (fs/namespace.c, one hlist_head per 512 KiB of lowmem);
 * futex_init() (kernel/futex/core.c): 256 cache-line buckets per possible
 * CPU, rounded to a power of two, as both limits.
 */
/* One try of alloc_large_system_hash()'s loop: above MAX_PAGE_ORDER or
 * with hashdist, vmalloc_huge(size, gfp) (__vmalloc_node_range() with
 * VM_ALLOW_HUGE_VMAP and NUMA_NO_NODE: on x86_64, which selects
 * HAVE_ARCH_HUGE_VMALLOC, PMD mappings when size / num_online_nodes() is
 * at least PMD_SIZE, and then is_vm_area_hugepages() makes the line say
 * "vmalloc hugepage"; the pages by the task's policy, the boot's
 * interleave), else alloc_pages_exact() (mm/page_alloc.c): the block of
 * get_order(size) pages, then make_alloc_exact() frees the pages past
 * PAGE_ALIGN(size). */
static bool late_hash_alloc(struct machine *m, struct large_hash *h, gfp_t gfp)
{
	h->huge = false;
	if (h->vmalloc) {
		uint64_t addr;
		if (vmalloc_alloc(m, h->bytes, gfp, VM_ALLOC | VM_ALLOW_HUGE_VMAP, "alloc_large_system_hash", &addr))
			return false;
		h->huge = vmalloc_area_is_huge(m, addr);
		return true;
	}
	uint64_t pfn;
	if (buddy_alloc_pages(m, gfp, h->order, &pfn))
		return false;
	uint64_t npages = (h->bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (npages != 1ull << h->order)
		buddy_alloc_exact_trim(m, pfn, npages);
	return true;
}

static int late_hash_lim(struct machine *m, const char *name, uint64_t bucket, uint64_t numentries, int scale,
			 unsigned flags, uint64_t low_limit, uint64_t high_limit, struct large_hash *out)
{
	struct large_hash h;
	large_system_hash_size(m->arch->bits, bucket, numentries, scale, flags, low_limit, high_limit,
			       m->boot.nr_kernel_pages, m->boot.nr_all_pages, &h);
	if (out)
		*out = h;
	gfp_t gfp;
	if (gfp_parse(m->kp, flags & HASH_ZERO ? "GFP_ATOMIC|__GFP_ZERO" : "GFP_ATOMIC", &gfp, NULL))
		return -EINVAL;
	/* The allocation loop: when the table cannot be had, try half as many
	 * buckets, while (!table && size > PAGE_SIZE && --log2qty); with none
	 * left, panic("Failed to allocate %s hash table\n"): -ENOMEM, and the
	 * boot stops there. */
	for (unsigned log2qty = ilog2(h.entries);; log2qty--) {
		h.entries = 1ull << log2qty;
		h.bytes = bucket << log2qty;
		h.order = get_order(h.bytes);
		h.order_ilog2 = (int)ilog2(h.bytes) - PAGE_SHIFT;
		h.vmalloc = h.order > MAX_PAGE_ORDER || memblock_hashdist(m);
		if (late_hash_alloc(m, &h, gfp)) {
			if (out)
				*out = h;
			dmesg_printf(m, "%s hash table entries: %llu (order: %d, %llu bytes, %s)", name,
				     (unsigned long long)h.entries, hash_order_printed(m, &h), (unsigned long long)h.bytes,
				     h.vmalloc ? (h.huge ? "vmalloc hugepage" : "vmalloc") : "linear");
			return 0;
		}
		if (h.bytes <= PAGE_SIZE || log2qty <= 1)
			return -ENOMEM;
	}
}

static int late_hash(struct machine *m, const char *name, uint64_t bucket, uint64_t numentries, int scale,
		     unsigned flags, uint64_t limit)
{
	return late_hash_lim(m, name, bucket, numentries, scale, flags, limit, limit, NULL);
}

/* The table that made alloc_large_system_hash() panic, in m->err */
static int hash_panic(struct machine *m, const char *name)
{
	model_err(m, "the modelled kernel panics at boot: \"Failed to allocate %s hash table\" "
		  "(alloc_large_system_hash(): not even one page with GFP_ATOMIC)", name);
	return -ENOMEM;
}

/*
 * vfs_caches_init() → dcache_init(), inode_init() with hashdist: the hashes
 * vfs_caches_init_early() left out, alloc_large_system_hash("Dentry
 * cache", sizeof(struct hlist_bl_head), dhash_entries, 13, HASH_ZERO, ...)
 * and ("Inode-cache", sizeof(struct hlist_head), ihash_entries, 14,
 * HASH_ZERO, ...): sized as the early ones, vmalloc'ed (fs/dcache.c,
 * fs/inode.c).  Without hashdist nothing (they were made early).
 */
int memblock_vfs_caches_init_hashes(struct machine *m)
{
	if (!memblock_hashdist(m))
		return 0;
	unsigned ptr = m->arch->bits / 8;
	if (late_hash(m, "Dentry cache", ptr, 0, 13, HASH_ZERO, 0))
		return hash_panic(m, "Dentry cache");
	if (late_hash(m, "Inode-cache", ptr, 0, 14, HASH_ZERO, 0))
		return hash_panic(m, "Inode-cache");
	return 0;
}

int memblock_mnt_init_hashes(struct machine *m)
{
	unsigned ptr = m->arch->bits / 8;
	if (late_hash(m, "Mount-cache", ptr, 0, 19, HASH_ZERO, 0))
		return hash_panic(m, "Mount-cache");
	if (late_hash(m, "Mountpoint-cache", ptr, 0, 19, HASH_ZERO, 0))
		return hash_panic(m, "Mountpoint-cache");
	return 0;
}

int memblock_futex_init_hash(struct machine *m)
{
	uint64_t n = roundup_pow_of_two(256ull * m->ncpus);
	if (late_hash(m, "futex", 64, n, 0, 0, n))
		return hash_panic(m, "futex");
	return 0;
}

/*
 * fs/quota/dquot.c dquot_init(), an fs_initcall (fs/ is linked before
 * net/, so it runs before inet_init()): "VFS: Disk quotas dquot_6.6.0"
 * (__DQUOT_VERSION__), the "dquot" cache (boot_caches.c), then
 * __get_free_pages(GFP_KERNEL, 0) for the hash, as many hlist_heads as
 * one page holds (nr_hash = PAGE_SIZE / sizeof(struct hlist_head),
 * dq_hash_bits = ilog2(nr_hash)): 512 on 64-bit, 1024 on 32-bit, and
 * its line ("order %ld" without the colon of alloc_large_system_hash()).
 * Same in 6.1 and 6.13 (CONFIG_QUOTA=y in both profiles' configs).
 */
int memblock_dquot_init(struct machine *m)
{
	dmesg_printf(m, "VFS: Disk quotas dquot_6.6.0");
	gfp_t gfp;
	if (gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL))
		return -EINVAL;
	uint64_t pfn;
	if (buddy_alloc_pages(m, gfp, 0, &pfn)) {
		/* GFP_KERNEL order 0 does not fail: the slow path finds nothing
		 * to reclaim (kswapd is not running yet, no page cache), and
		 * out_of_memory() no task it may kill: "Out of memory and no
		 * killable processes...", panic("System is deadlocked on
		 * memory") (mm/oom_kill.c).  E.g. a hugepages= pool that took
		 * the memory down to init_per_zone_wmark_min()'s watermarks
		 * before hugepage_init() raised them (THP on). */
		model_err(m, "the modelled kernel panics at boot: \"System is deadlocked on memory\" "
			  "(dquot_init(): no page for __get_free_pages(GFP_KERNEL, 0) above the min watermarks, "
			  "nothing to reclaim and no task to kill)");
		return -ENOMEM;
	}
	uint64_t nr_hash = 1ull << ilog2(PAGE_SIZE / (m->arch->bits / 8));
	dmesg_printf(m, "VFS: Dquot-cache hash table entries: %llu (order 0, %llu bytes)",
		     (unsigned long long)nr_hash, (unsigned long long)PAGE_SIZE);
	return 0;
}

void inet_hash_buckets(enum kernel_version kv, unsigned long_bits, struct inet_hash_buckets *b)
{
	unsigned ptr = long_bits / 8;
	/* spinlock_t is 4 bytes without lock debugging (Debian's and the
	 * profiles' configs); hlist_head and hlist_nulls_head one pointer */
	b->ip_idents = 4 + 4;                   /* atomic_t + u32 (ip_tstamps) */
	uint64_t lock_head = (4 + ptr + ptr - 1) / ptr * ptr;  /* a lock, then a pointer */
	b->lhash2 = lock_head;                  /* inet_listen_hashbucket: lock, nulls_head */
	b->perturb = 4;                         /* u32 */
	b->ehash = ptr;                         /* inet_ehash_bucket: hlist_nulls_head */
	b->bhash = 2 * lock_head;               /* 2 * inet_bind_hashbucket {lock, chain}: bhash, bhash2 */
	/* token_bucket: lock, int chain_len, two hlist_nulls_heads */
	b->mptcp = 4 + 4 + 2 * ptr;
	/* udp_hslot: head, int count, lock, __aligned(2 * sizeof(long)) */
	uint64_t a = 2ull * ptr;
	uint64_t hslot = (ptr + 4 + 4 + a - 1) / a * a;
	if (kv >= KV_6_13) {
		/* 6.13 (the 4-tuple hash): hash + hash2 of udp_hslot_main (an
		 * hslot and a u32 hash4_mask, same alignment) + hash4,
		 * udp_hash4_slot_size() = sizeof(struct udp_hslot) */
		uint64_t main = (hslot + 4 + a - 1) / a * a;
		b->udp = hslot + main + hslot;
	} else {
		b->udp = 2 * hslot;             /* 6.1: hash and hash2 */
	}
}

/*
 * inet_init() (net/ipv4/af_inet.c, an fs_initcall, after futex_init()):
 *   ip_init() → ip_rt_init() (net/ipv4/route.c): "IP idents", scale 16,
 *     HASH_ZERO, limits 2048 .. 256 Ki;
 *   tcp_init() (net/ipv4/tcp.c): inet_hashinfo2_init()
 *     (net/ipv4/inet_hashtables.c): "tcp_listen_portaddr_hash", scale 21,
 *     high limit 64 Ki; and "Table-perturb",
 *     INET_TABLE_PERTURB_SIZE (1 << 16) u32s as size and both limits;
 *     "TCP established", scale 17, high 512 Ki; "TCP bind" with the
 *     established count as its size, scale 17, high 64 Ki; then
 *     "TCP: Hash tables configured (established %u bind %u)";
 *     tcp_init() → mptcp_init() → mptcp_token_init() (net/mptcp/token.c):
 *     "MPTCP token", scale 20, HASH_ZERO, high 64 Ki;
 *   udp_init() → udp_table_init() (net/ipv4/udp.c): "UDP", scale 21,
 *     limits UDP_HTABLE_SIZE_MIN 256 .. UDP_HTABLE_SIZE_MAX 64 Ki;
 *   udplite4_register() → udp_table_init(): "UDP-Lite", the same.
 * All after the buddy allocator: alloc_pages_exact(), or vmalloc above
 * MAX_PAGE_ORDER.  The table of CONFIG_INET on both profiles' configs.
 */
int memblock_inet_init_hashes(struct machine *m)
{
	struct inet_hash_buckets b;
	struct large_hash est, bind;
	inet_hash_buckets(m->kp->kv, m->arch->bits, &b);
	static const char *const fail[] = { "IP idents", "tcp_listen_portaddr_hash", "Table-perturb",
					    "TCP established", "TCP bind" };
	int k = 0;
	if (late_hash_lim(m, fail[k], b.ip_idents, 0, 16, HASH_ZERO, 2048, 256 * 1024, NULL) ||
	    late_hash_lim(m, fail[++k], b.lhash2, 0, 21, 0, 0, 64 * 1024, NULL) ||
	    late_hash_lim(m, fail[++k], b.perturb, 1u << 16, 0, 0, 1u << 16, 1u << 16, NULL) ||
	    late_hash_lim(m, fail[++k], b.ehash, 0, 17, 0, 0, 512 * 1024, &est) ||
	    late_hash_lim(m, fail[++k], b.bhash, est.entries, 17, 0, 0, 64 * 1024, &bind))
		return hash_panic(m, fail[k]);
	dmesg_printf(m, "TCP: Hash tables configured (established %llu bind %llu)",
		     (unsigned long long)est.entries, (unsigned long long)bind.entries);
	if (late_hash_lim(m, "MPTCP token", b.mptcp, 0, 20, HASH_ZERO, 0, 64 * 1024, NULL))
		return hash_panic(m, "MPTCP token");
	if (late_hash_lim(m, "UDP", b.udp, 0, 21, 0, 256, 64 * 1024, NULL))
		return hash_panic(m, "UDP");
	if (late_hash_lim(m, "UDP-Lite", b.udp, 0, 21, 0, 256, 64 * 1024, NULL))
		return hash_panic(m, "UDP-Lite");
	return 0;
}

/* lib/vsprintf.c simple_strtoull(s, &e, 0): the base from the prefix
 * (_parse_integer_fixup_radix(): "0x" before a hex digit 16, "0" 8, else
 * 10), then digits below the base; no sign, no blanks, and past 64 bits
 * the value wraps (_parse_integer_limit() only flags the overflow) */
static uint64_t simple_strtoull(const char *s, const char **end)
{
	unsigned base = 10;
	if (s[0] == '0') {
		bool hex = (s[1] == 'x' || s[1] == 'X') && s[2] && strchr("0123456789abcdefABCDEF", s[2]);
		base = hex ? 16 : 8;
		if (hex)
			s += 2;
	}
	uint64_t v = 0;
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	*end = s;
	return v;
}

/* lib/cmdline.c memparse(): a number and an optional K M G T P E */
static uint64_t memparse(const char *s, const char **end)
{
	const char *e;
	uint64_t v = simple_strtoull(s, &e);
	unsigned shift = 0;
	switch (*e) {
	case 'E': case 'e': shift = 60; break;
	case 'P': case 'p': shift = 50; break;
	case 'T': case 't': shift = 40; break;
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	default: break;
	}
	if (shift && e != s) {
		v <<= shift;
		e++;
	}
	*end = e;
	return v;
}

uint64_t memblock_memparse(const char *s, const char **end)
{
	return memparse(s, end);
}

/*
 * parse_crashkernel() (kernel/crash_reserve.c): "SIZE[@OFFSET]",
 * "SIZE,high", or "START-[END]:SIZE[,START-[END]:SIZE...][@OFFSET]", the
 * entry whose range holds the RAM rounded up to 128 MiB.  0, or -EINVAL
 * with the kernel's complaint in why.
 */
int crashkernel_parse(const char *arg, uint64_t system_ram, uint64_t *size, uint64_t *base, bool *high,
		      const char **why)
{
	const char *cur = arg, *t;
	*size = *base = 0;
	*high = false;
	*why = "memory value expected";
	if (strchr(arg, ':')) {
		uint64_t total = align_up(system_ram, 128 * MiB);
		for (;;) {
			uint64_t start = memparse(cur, &t), end = ~0ull, sz;
			if (t == cur)
				return -EINVAL;
			cur = t;
			if (*cur++ != '-') {
				*why = "'-' expected";
				return -EINVAL;
			}
			if (*cur != ':') {
				end = memparse(cur, &t);
				if (t == cur)
					return -EINVAL;
				cur = t;
				if (end <= start) {
					*why = "end <= start";
					return -EINVAL;
				}
			}
			if (*cur++ != ':') {
				*why = "':' expected";
				return -EINVAL;
			}
			sz = memparse(cur, &t);
			if (t == cur)
				return -EINVAL;
			cur = t;
			if (total >= start && total < end && !*size)
				*size = sz;
			if (*cur != ',')
				break;
			cur++;
		}
	} else {
		*size = memparse(cur, &t);
		if (t == cur)
			return -EINVAL;
		cur = t;
		if (strcmp(cur, ",high") == 0) {
			*high = true;
			return 0;
		}
	}
	if (*cur == '@') {
		*base = memparse(cur + 1, &t);
		cur = t;
	}
	if (*cur) {
		*why = "unrecognized char";
		return -EINVAL;
	}
	return 0;
}

/* reserve_crashkernel_generic(): top-down below 4 GiB (512 MiB on 32-bit)
 * in 16 MiB steps, else above it with a low part of max(swiotlb + 8M,
 * 256M) on x86_64; at OFFSET when one is given; "Crash kernel" in iomem */
int memblock_reserve_crashkernel(struct machine *m, char *err, size_t errlen)
{
	const char *arg = m->boot.crashkernel[0] ? m->boot.crashkernel : m->boot.crashkernel_high;
	if (!arg[0])
		return 0;
	uint64_t size, base, low_size = 0;
	bool high;
	const char *why;
	uint64_t ram = memmap_ram_pages(&m->memmap, 0, m->max_pfn) << PAGE_SHIFT;
	if (crashkernel_parse(arg, ram, &size, &base, &high, &why)) {
		model_err_buf(err, errlen, "--cmdline: crashkernel=%s: %s", arg, why);
		return -EINVAL;
	}
	if (!size)
		return 0;
	bool x86_64 = m->arch->bits == 64;
	uint64_t low_max = x86_64 ? 4 * GiB : 512 * MiB, high_max = x86_64 ? 64ull << 40 : 512 * MiB;
	uint64_t sb = 0, se = low_max;
	if (high) {
		sb = low_max;
		se = high_max;
		low_size = x86_64 ? 256 * MiB : 0;
		/* parse_crashkernel_low(): crashkernel=Y,low, else the default */
		if (m->boot.crashkernel_low[0]) {
			const char *t, *lo = m->boot.crashkernel_low;
			low_size = memparse(lo, &t);
			if (t == lo || *t) {
				model_err_buf(err, errlen, "--cmdline: crashkernel=%s,low: %s", lo,
					      t == lo ? "memory value expected" : "unrecognized char");
				return -EINVAL;
			}
		}
	}
	if (base) {
		sb = base;
		se = base + size;
	}
	uint64_t at;
	for (;;) {
		at = memblock_alloc_range(m, size, 16 * MiB, sb, se, true, "crashkernel");
		if (at != ~0ull)
			break;
		if (base) {
			dmesg_printf(m, "crashkernel reservation failed - memory is in use.");
			return 0;
		}
		/* crashkernel=SIZE: low memory first, then high (with a low part) */
		if (!high && se == low_max && low_max != high_max) {
			sb = low_max;
			se = high_max;
			low_size = x86_64 ? 256 * MiB : 0;
			continue;
		}
		/* crashkernel=SIZE,high: high memory first, then low */
		if (high && se == high_max && low_max != high_max) {
			sb = 0;
			se = low_max;
			continue;
		}
		dmesg_printf(m, "cannot allocate crashkernel (size:0x%llx)", (unsigned long long)size);
		return 0;
	}
	if (at >= low_max && low_size) {
		uint64_t low = memblock_alloc_range(m, low_size, 16 * MiB, 0, low_max, true, "crashkernel low");
		if (low == ~0ull) {
			dmesg_printf(m, "cannot allocate crashkernel low memory (size:0x%llx).",
				     (unsigned long long)low_size);
			memmap_unreserve(&m->memmap, at, at + size);
			return 0;
		}
		dmesg_printf(m, "crashkernel low memory reserved: 0x%08llx - 0x%08llx (%llu MB)",
			     (unsigned long long)low, (unsigned long long)(low + low_size),
			     (unsigned long long)(low_size >> 20));
		memmap_add_resource(&m->memmap, low, low + low_size - 1, "Crash kernel");
	}
	dmesg_printf(m, "crashkernel reserved: 0x%016llx - 0x%016llx (%llu MB)", (unsigned long long)at,
		     (unsigned long long)(at + size), (unsigned long long)(size >> 20));
	memmap_add_resource(&m->memmap, at, at + size - 1, "Crash kernel");
	return 0;
}

/* ---- 2.6.32 ------------------------------------------------------------- */

/*
 * 2.6.32 makes its early reservations with early_res and bootmem, not
 * memblock: bootmem's allocations are bottom-up, from the goal
 * (__pa(MAX_DMA_ADDRESS), 16 MiB) and then from 0 (mm/bootmem.c
 * ___alloc_bootmem_nopanic()), in lowmem.  The model's physical map plays
 * both.
 */
static uint64_t bootmem_alloc(struct machine *m, uint64_t size, uint64_t align, const char *why)
{
	uint64_t limit = m->max_low_pfn << PAGE_SHIFT;
	uint64_t a = memblock_alloc_range(m, size, align, 16 * MiB, limit, false, why);
	return a != ~0ull ? a : memblock_alloc_range(m, size, align, 0, limit, false, why);
}

/*
 * 2.6.32 arch/x86/kernel/setup.c reserve_initrd(), before initmem_init():
 * an initrd of half of lowmem or more is dropped ("initrd too large to
 * handle, disabling initrd"); one that ends in lowmem (max_low_pfn_mapped)
 * stays where the loader put it; else relocate_initrd() copies it to
 * find_e820_area(0, end_of_lowmem, ramdisk_size, PAGE_SIZE), the lowest
 * free place (early_res, bottom-up), and frees the old one.
 */
int bootmem_reserve_initrd(struct machine *m)
{
	struct boot_state *b = &m->boot;
	uint64_t size = m->cfg.initrd_size, image, end;
	if (!size)
		return 0;
	if (initrd_loaded_at(m, size, &image, &end))
		return -1;
	uint64_t lowmem = m->max_low_pfn << PAGE_SHIFT;
	if (size >= lowmem >> 1) {
		dmesg_printf(m, "initrd too large to handle, disabling initrd");
		return 0;
	}
	dmesg_printf(m, "RAMDISK: %08llx - %08llx", (unsigned long long)image, (unsigned long long)(image + size));
	if (image + size > lowmem) {
		/* early_res still holds the old place ("RAMDISK") while the
		 * new one is found */
		memmap_reserve(&m->memmap, image, end, "RAMDISK");
		uint64_t to = memblock_alloc_range(m, align_up(size, PAGE_SIZE), PAGE_SIZE, 0, lowmem, false,
						   "NEW RAMDISK");
		memmap_unreserve(&m->memmap, image, end);       /* free_early() */
		if (to == ~0ull)
			return -2;      /* panic("Cannot find place for new RAMDISK of size %lld") */
		dmesg_printf(m, "Allocated new RAMDISK: %08llx - %08llx", (unsigned long long)to,
			     (unsigned long long)(to + size));
		dmesg_printf(m, "Move RAMDISK from %016llx - %016llx to %08llx - %08llx",
			     (unsigned long long)image, (unsigned long long)(image + size - 1),
			     (unsigned long long)to, (unsigned long long)(to + size - 1));
		image = to;
		end = to + align_up(size, PAGE_SIZE);
	} else {
		memmap_reserve(&m->memmap, image, end, "RAMDISK");
	}
	b->initrd_start = image;
	b->initrd_end = end;
	return 0;
}

/* include/linux/percpu.h (2.6.32): PERCPU_MODULE_RESERVE 8 KiB (modules),
 * PERCPU_DYNAMIC_RESERVE 12 KiB on 32-bit (20 KiB on 64-bit) */
#define PERCPU_MODULE_RESERVE_2_6_32 (8ull << 10)
#define PERCPU_DYNAMIC_RESERVE_2_6_32_32BIT (12ull << 10)

/*
 * 2.6.32 setup_per_cpu_areas() (arch/x86/kernel/setup_percpu.c), between
 * the zone messages and build_all_zonelists(): pcpu_embed_first_chunk()
 * (mm/percpu.c) with reserved PERCPU_FIRST_CHUNK_RESERVE (0 on x86_32),
 * dyn = PERCPU_MODULE_RESERVE + PERCPU_DYNAMIC_RESERVE - reserved and atom
 * = PMD_SIZE (cpu_has_pse: 4 MiB, 2 MiB with PAE).  The group's units come
 * in one pcpu_fc_alloc() (__alloc_bootmem_nopanic(size, atom, 16 MiB));
 * each CPU keeps size_sum of its unit, the tails and the units no CPU has
 * go back with free_bootmem().  "PERCPU: Embedded %zu pages/cpu @%p s%zu
 * r%zu d%zu u%zu" shows the chunk's address.
 */
int bootmem_setup_per_cpu_areas(struct machine *m, char *err, size_t errlen)
{
	const struct arch_profile *a = m->arch;
	if (!a->pcpu_static_size_2_6_32 || a->bits != 32)
		return 0;               /* no figures for this build */
	struct pcpu_alloc_info ai;
	uint64_t atom = a->pae ? 2 * MiB : 4 * MiB;
	pcpu_build_alloc_info_2_6_32(a->pcpu_static_size_2_6_32, 0,
				     PERCPU_MODULE_RESERVE_2_6_32 + PERCPU_DYNAMIC_RESERVE_2_6_32_32BIT, atom,
				     m->ncpus, &ai);
	/* nr_cpumask_bits is NR_CPUS without CONFIG_CPUMASK_OFFSTACK */
	dmesg_printf(m, "NR_CPUS:%u nr_cpumask_bits:%u nr_cpu_ids:%u nr_node_ids:%u", a->nr_cpus_2_6_32,
		     a->nr_cpus_2_6_32, m->ncpus, 1u);
	uint64_t size = (uint64_t)ai.nr_units * ai.unit_size;
	uint64_t base = bootmem_alloc(m, size, atom, "percpu");
	if (base == ~0ull) {
		/* pcpu_embed_first_chunk() fails with -ENOMEM; 2.6.32's
		 * setup_per_cpu_areas() then warns "PERCPU: embed allocator
		 * failed" and builds the first chunk of 4K pages in the vmalloc
		 * area (pcpu_page_first_chunk()), which the model does not do */
		model_err_buf(err, errlen, "--cpus %u: the first percpu chunk (%llu KiB a CPU, %llu MiB in all, "
			      "%llu MiB aligned) does not fit in lowmem; 2.6.32 would fall back to "
			      "pcpu_page_first_chunk(), which is not modelled", m->ncpus,
			      (unsigned long long)(ai.unit_size >> 10), (unsigned long long)(size >> 20),
			      (unsigned long long)(atom >> 20));
		return -ENOMEM;
	}
	for (unsigned u = 0; u < ai.nr_units; u++) {
		uint64_t unit = base + u * ai.unit_size;
		memmap_unreserve(&m->memmap, u < m->ncpus ? unit + ai.size_sum : unit, unit + ai.unit_size);
	}
	m->boot.pcpu_pages = (ai.size_sum >> PAGE_SHIFT) * m->ncpus;
	dmesg_printf(m, "PERCPU: Embedded %llu pages/cpu @%08llx s%llu r%llu d%llu u%llu",
		     (unsigned long long)(ai.size_sum >> PAGE_SHIFT), (unsigned long long)(m->direct_map + base),
		     (unsigned long long)ai.static_size, (unsigned long long)ai.reserved_size,
		     (unsigned long long)ai.dyn_size, (unsigned long long)ai.unit_size);
	pcpu_dump_alloc_info(m, &ai);
	return 0;
}

/*
 * 2.6.32 kernel/printk.c log_buf_len_setup(), a __setup() option that
 * parse_args() runs after "Kernel command line:", once for each
 * log_buf_len= in the order given: the size rounded up to a power of two
 * replaces the buffer of the moment (at first the static __log_buf, 1 <<
 * CONFIG_LOG_BUF_SHIFT, 17 in the profiles' configs) when it is larger,
 * from alloc_bootmem() (SMP_CACHE_BYTES aligned), which panics ("Out of
 * memory") when nothing fits.  "log_buf_len: %d".  A buffer replaced by a
 * later, larger one is not given back.  (parse_cmdline() has checked each
 * value.)
 */
int bootmem_log_buf_len(struct machine *m, char *err, size_t errlen)
{
	const char *p = m->cfg.cmdline;
	uint64_t cur = LOG_BUF_STATIC;
	struct cmdline_iter it;
	char *word, *value;
	size_t namelen;
	cmdline_iter_init(&it, p, m->kp->kv != KV_2_6_32);
	while (cmdline_next(&it, &word, &namelen, &value)) {
		size_t n = strlen(word);
		char val[64];
		uint64_t size;
		if (n <= 12 || strncmp(word, "log_buf_len=", 12) || n - 12 >= sizeof val)
			continue;
		memcpy(val, word + 12, n - 12);
		val[n - 12] = '\0';
		if (parse_size(val, &size) || !size)
			continue;
		size = roundup_pow_of_two(size);
		if (size <= cur)
			continue;
		if (bootmem_alloc(m, size, 64, "log_buf") == ~0ull) {
			model_err_buf(err, errlen, "--cmdline: log_buf_len=: bootmem alloc of %llu bytes failed! "
				      "(2.6.32 panics: Out of memory)", (unsigned long long)size);
			return -ENOMEM;
		}
		cur = m->boot.log_buf_len = size;
		dmesg_printf(m, "log_buf_len: %llu", (unsigned long long)size);
	}
	return 0;
}

/*
 * 2.6.32 alloc_large_system_hash() without HASH_EARLY (mm/page_alloc.c):
 * hashdist is 0 without NUMA, so alloc_pages_exact(size, GFP_ATOMIC) when
 * get_order(size) < MAX_ORDER (11), the table halved (--log2qty) while
 * nothing comes back and it is above a page (the kernel then panics:
 * "Failed to allocate %s hash table"); "%s hash table entries: %d (order:
 * %d, %lu bytes)", the order being ilog2(size) - PAGE_SHIFT.
 */
static int late_hash_2_6_32(struct machine *m, const char *name, uint64_t bucket, uint64_t numentries, int scale,
			    uint64_t limit, struct large_hash *out)
{
	struct large_hash h;
	large_system_hash_size(m->arch->bits, bucket, numentries, scale, HASH_2_6_32, 0, limit,
			       m->boot.nr_kernel_pages, m->boot.nr_all_pages, &h);
	gfp_t gfp;
	if (gfp_parse(m->kp, "GFP_ATOMIC", &gfp, NULL))
		return -EINVAL;
	for (unsigned log2qty = ilog2(h.entries);; log2qty--) {
		uint64_t size = bucket << log2qty, pfn;
		unsigned order = get_order(size);
		if (order < 11 && !buddy_alloc_pages(m, gfp, order, &pfn)) {
			uint64_t npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
			if (npages != 1ull << order)
				buddy_alloc_exact_trim(m, pfn, npages);
			h.entries = 1ull << log2qty;
			h.bytes = size;
			h.order_ilog2 = (int)ilog2(size) - PAGE_SHIFT;
			dmesg_printf(m, "%s hash table entries: %llu (order: %d, %llu bytes)", name,
				     (unsigned long long)h.entries, h.order_ilog2, (unsigned long long)h.bytes);
			if (out)
				*out = h;
			return 0;
		}
		if (size <= PAGE_SIZE || log2qty <= 1)
			return -ENOMEM;
	}
}

/* 2.6.32 fs/namespace.c mnt_init(): one page, __get_free_page(GFP_ATOMIC),
 * of struct list_head; "Mount-cache hash table entries: %lu" */
void bootmem_mnt_init_2_6_32(struct machine *m)
{
	gfp_t gfp;
	uint64_t pfn;
	if (gfp_parse(m->kp, "GFP_ATOMIC", &gfp, NULL) || buddy_alloc_pages(m, gfp, 0, &pfn))
		return;
	dmesg_printf(m, "Mount-cache hash table entries: %llu", PAGE_SIZE / (2ull * (m->arch->bits / 8)));
}

/*
 * 2.6.32 inet_init() (net/ipv4/af_inet.c, an fs_initcall):
 *   ip_init() → ip_rt_init() (net/ipv4/route.c): "IP route cache", one
 *     struct rt_hash_bucket (a pointer) per 2^15 bytes of lowmem (2^17
 *     below 128 Ki totalram pages), at most 512 Ki;
 *   tcp_init() (net/ipv4/tcp.c): "TCP established", struct
 *     inet_ehash_bucket (two hlist_nulls_heads), scale 13 (15), at most
 *     512 Ki; "TCP bind", struct inet_bind_hashbucket (a spinlock_t and an
 *     hlist_head), sized by the established count, at most 64 Ki; then
 *     "TCP: Hash tables configured (established %u bind %u)".
 * 2.6.32's UDP and UDP-Lite tables are static arrays (UDP_HTABLE_SIZE 128,
 * net/ipv4/udp.c udp_table_init()): no hash line, no pages.  i386 only:
 * 64-bit builds with CONFIG_NUMA have hashdist (HASHDIST_DEFAULT 1), which
 * __vmalloc()s these tables, beyond MAX_ORDER too; not modelled.
 */
void bootmem_inet_init_2_6_32(struct machine *m)
{
	if (m->arch->bits != 32)
		return;
	unsigned ptr = m->arch->bits / 8;
	bool big = m->totalram_pages >= 128 * 1024;
	struct large_hash est, bind;
	late_hash_2_6_32(m, "IP route cache", ptr, 0, big ? 15 : 17, 512 * 1024, NULL);
	if (late_hash_2_6_32(m, "TCP established", 2ull * ptr, 0, big ? 13 : 15, 512 * 1024, &est))
		return;
	if (late_hash_2_6_32(m, "TCP bind", (4 + ptr - 1) / ptr * ptr + ptr, est.entries, big ? 13 : 15,
			     64 * 1024, &bind))
		return;
	dmesg_printf(m, "TCP: Hash tables configured (established %llu bind %llu)",
		     (unsigned long long)est.entries, (unsigned long long)bind.entries);
}
