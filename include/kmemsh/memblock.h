/*
 * memblock.h - the boot-time reservations a 6.x kernel makes before the
 * buddy allocator takes over, and the formulas that size them.
 *
 * The formulas are pure functions of their inputs (no machine), so a test
 * can feed them a real kernel's configuration and compare with its dmesg.
 * The memblock_* steps take a machine, reserve the memory in its physical
 * map and log the kernel's own line in its dmesg.
 */
#ifndef KMEMSH_MEMBLOCK_H
#define KMEMSH_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/profile.h"

struct machine;

/* ---- formulas ---------------------------------------------------------- */

/* alloc_large_system_hash() flags (include/linux/memblock.h) */
#define HASH_EARLY 0x1u         /* from memblock, before the buddy allocator */
#define HASH_ZERO  0x2u         /* zeroed */
#define HASH_SMALL 0x4u         /* 2.6.32: no page-size minimum, at least 1 << small_shift */
#define HASH_2_6_32 0x100u      /* 2.6.32's formula: no adaptive scale, one limit */

struct large_hash {
	uint64_t entries;       /* 1 << log2qty */
	uint64_t bytes;         /* bucketsize << log2qty */
	unsigned order;         /* get_order(bytes), what 6.x prints */
	int order_ilog2;        /* ilog2(bytes) - PAGE_SHIFT, what 2.6.32 prints (-4 for 256 bytes) */
	bool vmalloc;           /* "vmalloc": above MAX_PAGE_ORDER and not early (or hashdist, late_hash_lim()) */
	bool huge;              /* "vmalloc hugepage": vmalloc_huge() mapped it with PMDs */
};

/*
 * The size alloc_large_system_hash() picks (mm/mm_init.c, 6.13): from
 * nr_kernel_pages (free lowmem pages when the hashes are sized) rounded up
 * to 1 MiB, one bucket per 2^scale bytes (scale grown by one for each
 * quadrupling above 64 GiB on 64-bit), a power of two, at most 1/16 of
 * nr_all_pages' bytes, within [low_limit, high_limit].  numentries != 0 is
 * a size from the command line (dhash_entries= ...).  With HASH_2_6_32,
 * 2.6.32's (mm/page_alloc.c): the same without the adaptive scale, and
 * HASH_SMALL (the PID hash) keeps a table below a page, of at least 16
 * entries (pidhash_shift 4).
 */
void large_system_hash_size(unsigned long_bits, uint64_t bucketsize, uint64_t numentries, int scale,
			    unsigned flags, uint64_t low_limit, uint64_t high_limit,
			    uint64_t nr_kernel_pages, uint64_t nr_all_pages, struct large_hash *out);

/* pcpu_build_alloc_info() for one group of CPUs (no NUMA distances) */
struct pcpu_alloc_info {
	uint64_t static_size, reserved_size, dyn_size;
	uint64_t size_sum;      /* PFN_ALIGN(static + reserved + dyn): the part kept per CPU */
	uint64_t unit_size, atom_size, alloc_size;
	unsigned upa;           /* units per allocation */
	unsigned nr_units;      /* roundup(ncpus, upa) */
};

void pcpu_build_alloc_info(uint64_t static_size, uint64_t reserved_size, uint64_t dyn_size,
			   uint64_t atom_size, unsigned ncpus, struct pcpu_alloc_info *ai);
/* 2.6.32's: a unit of at least 64 KiB, no early-allocation minimum */
void pcpu_build_alloc_info_2_6_32(uint64_t static_size, uint64_t reserved_size, uint64_t dyn_size,
				  uint64_t atom_size, unsigned ncpus, struct pcpu_alloc_info *ai);

/* sizeof(struct prb_desc) and sizeof(struct printk_info) for the arch
 * (kernel/printk/printk_ringbuffer.h) and the log_buf_len the kernel
 * settles on: log_buf_len_update() rounds up to a power of two and keeps
 * only a size above the static __log_buf (1 << CONFIG_LOG_BUF_SHIFT);
 * log_buf_add_cpu() adds 4 KiB for each CPU past the first when that is
 * more than half of it.  0 = the static buffer stays. */
uint64_t log_buf_len_for(uint64_t requested, unsigned ncpus);
uint64_t log_buf_desc_bytes(unsigned long_bits, uint64_t len);
uint64_t log_buf_info_bytes(unsigned long_bits, uint64_t len);

/* lib/cmdline.c memparse(): a number (simple_strtoull(), base 0) and an
 * optional K, M, G, T, P or E; *end after what was read */
uint64_t memblock_memparse(const char *s, const char **end);
/* parse_crashkernel(): the size (0 when no range of the list matches),
 * OFFSET (0 = none) and ",high"; -EINVAL with the kernel's complaint */
int crashkernel_parse(const char *arg, uint64_t system_ram, uint64_t *size, uint64_t *base, bool *high,
		      const char **why);

/* ---- boot steps (6.x) ---------------------------------------------------- */

/* memblock_alloc_range_nid(): size bytes aligned to align in free RAM
 * within [min, max), highest first (top_down) or lowest first; reserved as
 * `why`.  Returns the physical address, or ~0 when nothing fits. */
uint64_t memblock_alloc_range(struct machine *m, uint64_t size, uint64_t align, uint64_t min, uint64_t max,
			      bool top_down, const char *why);

/* free memblock pages in [start_pfn, end_pfn) (for_each_free_mem_range) */
uint64_t memblock_free_pages_in(const struct machine *m, uint64_t start_pfn, uint64_t end_pfn);

void memblock_setup_log_buf(struct machine *m, bool early);     /* setup_log_buf() */
int memblock_reserve_initrd(struct machine *m);                 /* reserve_initrd(): -1 no room where loaded, -2 none in lowmem to move it to */
int memblock_reserve_crashkernel(struct machine *m, char *err, size_t errlen); /* arch_reserve_crashkernel() */
int memblock_setup_per_cpu_areas(struct machine *m, char *err, size_t errlen); /* setup_per_cpu_areas() */
void memblock_vfs_caches_init_early(struct machine *m);         /* dcache/inode hashes */
void memblock_swiotlb_init(struct machine *m);                  /* mem_init(): pci_iommu_alloc() */

/* memblock_early.c: the small allocations of a 6.x boot, in the kernel's
 * order (each does nothing unless memblock_early_allocs()) */
struct e820_counts {
	unsigned e820, firmware;        /* e820_table's and e820_table_firmware's entries */
	unsigned nosave;                /* e820__register_nosave_regions()'s regions */
	unsigned hpet, ioapics;         /* the map's "HPET N" and "IOAPIC N" */
};
void boot_e820_counts(const struct machine *m, struct e820_counts *c); /* boot_early.c: from the machine's map */
bool memblock_early_allocs(const struct machine *m);            /* a 6.x profile's own boot */
void memblock_sparse_init_early(struct machine *m);             /* sparse_init(): mem_section, roots, usemaps */
void memblock_flatmem_usemaps(struct machine *m);               /* setup_usemap() per zone */
void memblock_setup_arch_resources(struct machine *m, const struct e820_counts *c);
void memblock_setup_command_line(struct machine *m);            /* setup_command_line() */
uint64_t memblock_pcpu_ai_alloc(struct machine *m, unsigned nr_units, uint64_t *size);
uint64_t memblock_pcpu_areas_alloc(struct machine *m);
void memblock_pcpu_setup_first_chunk(struct machine *m, uint64_t static_size, uint64_t reserved_size,
				     uint64_t dyn_size, uint64_t unit_size);
void memblock_cpumasks(struct machine *m);                      /* alloc_bootmem_cpumask_var() */
void memblock_cpu_entry_area_tables(struct machine *m);         /* trap_init(): spp_getpage() */
void memblock_swiotlb_areas(struct machine *m, unsigned nareas);

/* after the buddy allocator (6.13): mnt_init()'s and futex_init()'s
 * tables from alloc_pages_exact() */
int memblock_mnt_init_hashes(struct machine *m);
int memblock_futex_init_hash(struct machine *m);
/* hashdist after fixup_hashdist(): 64-bit, CONFIG_NUMA, more than one node with memory */
bool memblock_hashdist(const struct machine *m);
/* vfs_caches_init() → dcache_init(), inode_init(): the hashes made late with hashdist */
int memblock_vfs_caches_init_hashes(struct machine *m);
/* dquot_init(): the quota hash page and its two lines (-ENOMEM: the boot's panic, in m->err) */
int memblock_dquot_init(struct machine *m);

/* the bucket sizes inet_init()'s tables pass to alloc_large_system_hash()
 * on a profile and arch (the structs' sizes, no lock debugging) */
struct inet_hash_buckets {
	uint64_t ip_idents, lhash2, perturb, ehash, bhash, mptcp, udp;
};
void inet_hash_buckets(enum kernel_version kv, unsigned long_bits, struct inet_hash_buckets *b);
/* inet_init(): IP idents, the TCP, MPTCP token, UDP and UDP-Lite hashes */
int memblock_inet_init_hashes(struct machine *m);

/* 2.6.32: pidhash_init() and vfs_caches_init_early() from bootmem */
void bootmem_large_system_hashes(struct machine *m);
/* 2.6.32 reserve_initrd(): -1 no room where loaded, -2 none in lowmem to move it to */
int bootmem_reserve_initrd(struct machine *m);
int bootmem_setup_per_cpu_areas(struct machine *m, char *err, size_t errlen);  /* setup_per_cpu_areas() */
int bootmem_log_buf_len(struct machine *m, char *err, size_t errlen);         /* log_buf_len= */
/* after the buddy allocator: mnt_init()'s page and inet_init()'s tables */
void bootmem_mnt_init_2_6_32(struct machine *m);
void bootmem_inet_init_2_6_32(struct machine *m);

#endif
