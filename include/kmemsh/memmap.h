/*
 * memmap.h - the physical memory map: which physical ranges are RAM, which
 * RAM is reserved at boot (kernel image, memmap, firmware pages), and the
 * resource tree shown as /proc/iomem (kernel/resource.c).
 *
 * Ranges are half-open [start, end) in bytes; resources use the kernel's
 * inclusive [start, end].
 */
#ifndef KMEMSH_MEMMAP_H
#define KMEMSH_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

struct phys_range {
	uint64_t start, end;            /* [start, end) */
	const char *name;               /* static string; why it is reserved */
};

struct resource {
	uint64_t start, end;            /* inclusive, as in struct resource */
	char *name;
	unsigned long flags;            /* IORESOURCE_* (iomem.h); 0 until iomem_init() */
	struct resource *parent, *child, *sibling;
};

struct memmap {
	struct phys_range *ram;         /* System RAM, sorted, disjoint */
	size_t nram, cap_ram;
	struct phys_range *resv;        /* reserved RAM (memblock/bootmem), sorted, disjoint */
	size_t nresv, cap_resv;
	struct resource root;           /* "PCI mem" [0, ~0] */
};

void memmap_init(struct memmap *mm);
void memmap_free(struct memmap *mm);

/* Add RAM / a boot reservation; keeps the arrays sorted and merged. */
int memmap_add_ram(struct memmap *mm, uint64_t start, uint64_t end);
int memmap_reserve(struct memmap *mm, uint64_t start, uint64_t end, const char *why);
/* Take [start, end) out of the reservations (memblock_phys_free()). */
int memmap_unreserve(struct memmap *mm, uint64_t start, uint64_t end);
/* mem=: e820__range_remove(limit, ULLONG_MAX - limit, E820_TYPE_RAM, 1):
 * the RAM at and above limit goes, with its "System RAM" resources (and
 * what they hold).  -EINVAL, nothing changed, when a reservation (the
 * kernel image) reaches above it. */
int memmap_remove_ram_above(struct memmap *mm, uint64_t limit);

/* Insert a resource [start, end] (inclusive) named name under the deepest
 * resource that contains it; resources it contains become its children.
 * Returns the new resource or NULL on a partial overlap / no memory. */
struct resource *memmap_add_resource(struct memmap *mm, uint64_t start, uint64_t end, const char *name);

/*
 * Build the RAM ranges and resource tree from the text of a real
 * /proc/iomem.  "System RAM" ranges become RAM; "Kernel code", "Kernel
 * rodata", "Kernel data", "Kernel bss" are reserved; everything else stays
 * in the tree as device/firmware ranges.  On error returns -EINVAL and writes
 * "line N: message" to err.
 */
int memmap_parse_iomem(struct memmap *mm, const char *text, char *err, size_t errlen);

/* Pages: bytes covered by RAM / reserved in [start, end) (in pages, rounded
 * inwards for RAM as the kernel's PFN_UP/PFN_DOWN do). */
uint64_t memmap_ram_pages(const struct memmap *mm, uint64_t start_pfn, uint64_t end_pfn);
uint64_t memmap_reserved_pages(const struct memmap *mm, uint64_t start_pfn, uint64_t end_pfn);

/* Is pfn inside a RAM range / reserved range? */
int memmap_pfn_is_ram(const struct memmap *mm, uint64_t pfn);
int memmap_pfn_is_reserved(const struct memmap *mm, uint64_t pfn);
/* 1 when pfns [pfn, pfn + n) are all RAM (one range of it) and none
 * reserved: what memmap_pfn_is_ram()/_is_reserved() say of each of them */
int memmap_pfns_plain_ram(const struct memmap *mm, uint64_t pfn, uint64_t n);

/* Lowest RAM pfn and end pfn (max_pfn). */
uint64_t memmap_min_pfn(const struct memmap *mm);
uint64_t memmap_max_pfn(const struct memmap *mm);

/* Find the resource (deepest) containing phys, or NULL. */
const struct resource *memmap_find_resource(const struct memmap *mm, uint64_t phys);

#endif
