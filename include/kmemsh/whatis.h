/*
 * whatis.h - "what is this pointer?": the region of the address space an
 * address falls in and, where the model knows more, what lives there —
 * like crash's `kmem ADDR` and drgn's identify_address().
 *
 * vm_whatis() only reads the model and fills a plain value; view/ says it.
 */
#ifndef KMEMSH_WHATIS_H
#define KMEMSH_WHATIS_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/buddy.h"
#include "kmemsh/layout.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"

enum whatis_what {
	WI_REGION,              /* nothing more than the region is known */
	WI_PAGE,                /* a RAM page of the direct map (or the image mapping) */
	WI_NOT_RAM,             /* direct-mapped, but not RAM (an ISA/BIOS hole) */
	WI_BEYOND_RAM,          /* in the direct map's reach, past the end of RAM */
	WI_STRUCT_PAGE,         /* inside the struct page array (mem_map / vmemmap) */
	WI_FIXMAP,              /* a fixmap slot */
	WI_PKMAP,               /* a persistent kmap slot */
	WI_VMALLOC,             /* a page of a vmap area (vmalloc, vmap, ioremap) */
	WI_VMALLOC_GUARD,       /* the guard page of a vmap area */
	WI_VMALLOC_LAZY,        /* a freed vmap area not yet purged */
	WI_VMALLOC_HOLE,        /* vmalloc space no area holds */
	WI_VMALLOC_POOLED,      /* 6.13: a purged area kept in a vmap node's pool (slot = the node) */
};

struct whatis {
	uint64_t addr;
	struct vm_region region;
	enum whatis_what what;
	bool high_alias;                /* x86_64 kernel text mapping of the image */
	bool highmem_pfn;               /* asked by pfn: a HighMem page, no kernel address */

	/* WI_PAGE, WI_NOT_RAM */
	uint64_t phys, pfn;
	int zone;                       /* -1 if none */
	struct page_info pi;            /* the buddy allocator's view */
	const char *reserved_why;       /* boot reservation's name, or NULL */
	const char *image_section;      /* ".text", ".rodata", ... or NULL */
	const char *resource;           /* the deepest /proc/iomem name, or NULL */
	bool table;                     /* a page-table page */
	enum pt_level table_level;
	bool table_boot;
	bool slab;                      /* a slab page: oi says which object */
	struct object_info oi;

	/* WI_STRUCT_PAGE */
	uint64_t sp_pfn;
	unsigned sp_offset;             /* byte inside that struct page */

	/* WI_FIXMAP / WI_PKMAP */
	unsigned slot;

	/* WI_VMALLOC* */
	uint64_t vm_start, vm_end;      /* the area, guard page included */
	unsigned long vm_flags;
	char vm_caller[48];
	unsigned vm_index, vm_nr_pages;
	uint64_t vm_pfn;                /* the backing pfn (WI_VMALLOC) */

	/* an __iomem address (an ioremap mapping; 2.6.32's ISA ones are in
	 * the direct map): where the mapping goes and what answers there */
	bool io;
	uint64_t io_phys;               /* the physical address addr reaches */
	uint64_t io_start, io_end;      /* the mapping's physical range, page-aligned, end exclusive */
	unsigned io_pcm, io_req;        /* enum page_cache_mode: in the PTEs / asked for */
	const char *io_resource;        /* the deepest /proc/iomem resource holding io_phys, or NULL */
	uint64_t io_res_start, io_res_end;      /* its range (inclusive, as /proc/iomem) */
	const char *io_device;          /* the simulated device decoding io_phys, or NULL */
	uint64_t io_dev_off;            /* io_phys - the device's base */
	const char *io_reg;             /* its register at io_phys ("memory" in a RAM window), or NULL */

	/* what the page tables say */
	struct pt_walk walk;
};

/* The region holding va.  On a 32-bit machine an address above 4 GiB is
 * in none of the layout's regions (unsigned long has 32 bits): it gets a
 * VR_NONCANONICAL region of its own, [4 GiB, 2^64). */
struct vm_region vm_region_of(const struct machine *m, uint64_t va);

/* 0; the address is never refused (every address is something). */
int vm_whatis(const struct machine *m, uint64_t addr, struct whatis *w);

/* Same for a page frame number / a struct page pointer. */
int vm_whatis_pfn(const struct machine *m, uint64_t pfn, struct whatis *w);

#endif
