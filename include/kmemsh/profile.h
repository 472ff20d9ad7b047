/*
 * profile.h - the machines and kernel versions kmemsh can model.
 *
 * An arch profile is the hardware and the kernel's address-space constants
 * (page size, PAGE_OFFSET, DMA limits, lowmem limit, where struct pages
 * live).  A kernel profile is the behaviour that differs between kernel
 * versions (GFP bit values and names, migratetypes, watermark formulas,
 * free-list insertion, message formats).  Both are constant tables: adding
 * a machine means adding a row, not a branch.
 */
#ifndef KMEMSH_PROFILE_H
#define KMEMSH_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

/* Kernel zone types, in the kernel's enum order (include/linux/mmzone.h). */
enum zone_kind {
	ZK_DMA,
	ZK_DMA32,
	ZK_NORMAL,
	ZK_HIGHMEM,
	ZK_MOVABLE,
	ZK_DEVICE,
	ZK_COUNT
};

#define MAX_NR_ZONES_MODEL 5
#define NR_ORDERS 11          /* orders 0..10 in both profiles */
#define MAX_ORDER_MODEL 10    /* the largest order a block can have */
#define MAX_MIGRATETYPES 6

/* In release order, so that `kv >= KV_6_1` reads "6.1 or later". */
enum kernel_version {
	KV_2_6_32,
	KV_6_1,
	KV_6_13,
};


struct gfp_name {
	const char *name;
	uint32_t value;
};

struct kernel_profile {
	const char *version;            /* "2.6.32" */
	enum kernel_version kv;

	/* GFP: every name accepted on input (composites and __GFP_*), and the
	 * ordered table the kernel prints with (first match wins). */
	const struct gfp_name *gfp_names;
	const struct gfp_name *gfp_print;
	uint32_t gfp_bits_mask;         /* __GFP_BITS_MASK */
	uint32_t gfp_kernel;            /* GFP_KERNEL */
	uint32_t gfp_wait;              /* bit meaning "may sleep" (__GFP_WAIT / __GFP_DIRECT_RECLAIM) */
	uint32_t gfp_high, gfp_nowarn, gfp_nomemalloc, gfp_memalloc;
	uint32_t gfp_thisnode;           /* __GFP_THISNODE */
	uint32_t gfp_movable, gfp_reclaimable, gfp_highmem, gfp_dma, gfp_dma32;
	uint32_t gfp_comp, gfp_zero, gfp_fs, gfp_kswapd;

	/* Migratetypes: names printed by /proc/pagetypeinfo, in enum order. */
	int nr_migratetypes;            /* printed ones (incl. Isolate) */
	const char *const *mt_names;
	int mt_unmovable, mt_movable, mt_reclaimable;
	int mt_reserve;                 /* 2.6.32 MIGRATE_RESERVE, else -1 */
	int mt_highatomic;              /* 6.13 MIGRATE_HIGHATOMIC, else -1 */
	int mt_isolate;
	int nr_pcptypes;                /* MIGRATE_PCPTYPES */
	const int (*fallbacks)[3];      /* fallbacks[mt][0..2], -1 ends */

	bool boot_free_to_tail;         /* 6.13 FPI_TO_TAIL at boot */
	bool uses_managed;              /* watermarks from managed (6.13) or present (2.6.32) */
	bool present_excludes_memmap;   /* 2.6.32 free_area_init_core() */
	unsigned min_free_kbytes_max;   /* 65536 (2.6.32) or 262144 (6.13) */
	bool has_promo;                 /* WMARK_PROMO (6.1 has none) */
	bool pcp_high_minmax;           /* pcp high_min/high_max (6.7 on) */
	bool movable_wmark_capped;      /* ZONE_MOVABLE's min capped like HighMem
	                                 * even when movable_zone is not HighMem (6.13) */
	bool vmap_nodes;                /* per-node vmap pools (6.9 on) */
	unsigned slab_impls;            /* allocators the kernel offers: bit per slab_impl */
	const int *lowmem_reserve_ratio; /* indexed by zone_kind */
};

struct arch_profile {
	const char *name;               /* "i386" */
	unsigned bits;                  /* 32 or 64 */
	unsigned page_shift;
	unsigned pgtable_levels;         /* 2 (i386), 3 (PAE), 4, 5 (LA57) */
	bool pae;                       /* CONFIG_X86_PAE: 64-bit entries, NX, 2 MiB large pages */
	bool la57;                      /* 5-level paging (CONFIG_X86_5LEVEL with la57 hardware) */
	uint64_t page_offset;           /* PAGE_OFFSET: start of the direct map (6.13) */
	uint64_t page_offset_old;       /* PAGE_OFFSET in 2.6.32 */
	uint64_t max_dma_pfn;           /* MAX_DMA_PFN */
	uint64_t max_dma32_pfn;         /* MAX_DMA32_PFN, 0 without ZONE_DMA32 */
	bool highmem;                   /* CONFIG_HIGHMEM (x86_32) */
	uint64_t maxmem;                /* lowmem limit in bytes (x86_32 MAXMEM), 0 = none */
	uint64_t pci_hole_start;        /* RAM above this moves above 4 GiB */
	uint64_t default_mem, min_mem, max_mem;
	const char *default_kernel;
	/* zones the kernel configures, in enum order (per kernel version) */
	const enum zone_kind *zones_2_6_32;
	int nr_zones_2_6_32;
	const enum zone_kind *zones_6_13;       /* 6.1 configures the same zones */
	int nr_zones_6_13;
	uint64_t vmemmap_base;          /* SPARSEMEM_VMEMMAP base, 0 = FLATMEM mem_map */
	unsigned struct_page_2_6_32;    /* sizeof(struct page) per kernel */
	unsigned struct_page_6_13;
	unsigned struct_page_6_1;       /* Debian 12's 686: 40 (memcg_data, aligned to 8) */
	unsigned pageblock_order;       /* pageblock_order with hugetlb */
	uint64_t kernel_load;           /* CONFIG_PHYSICAL_START */
	/* kernel image sizes (bytes) for the iomem "Kernel code/data/bss" entries */
	uint64_t kcode, krodata, kdata, kbss;
	/* 6.x builds (inputs, from Debian 12's 6.1 kernels of the arch, whose
	 * dmesg shows them): __init_begin..__init_end, the .smp_locks section
	 * after it, the static per-CPU data (percpu: "s…"), CONFIG_NR_CPUS */
	uint64_t kinit, ksmp_locks;
	/* the 6.x image when it differs from the 2.6.32 one above (0: the
	 * same): code, rodata, data, bss, and what lies from the page after
	 * _edata to __init_begin (the BUG table, the vvar page) */
	uint64_t kcode_6x, krodata_6x, kdata_6x, kbss_6x, kdata_gap_6x;
	uint64_t kinit_6_1;
	uint64_t node_data_6_1;         /* CONFIG_NUMA: roundup(sizeof(pg_data_t), PAGE_SIZE), 0 = static */             /* 6.1's init when it differs (Debian amd64: 2820K), else 0 */
	uint64_t pcpu_static_size;
	unsigned nr_cpus_config;
	/* the 2.6.32 build's static per-CPU data ("PERCPU: ... s…") and
	 * CONFIG_NR_CPUS; 0 = its per-CPU areas are not modelled */
	uint64_t pcpu_static_size_2_6_32;
	unsigned nr_cpus_2_6_32;
	bool reserve_low_64k;           /* 2.6.32 CONFIG_X86_RESERVE_LOW_64K */
};

const struct arch_profile *arch_find(const char *name);
const struct kernel_profile *kernel_find(const char *version);
/* Names for --help and error messages: "i386, x86_64" */
const char *arch_names(void);
const char *kernel_names(void);

const char *zone_kind_name(enum zone_kind k);

#endif
