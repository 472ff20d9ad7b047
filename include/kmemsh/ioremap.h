/*
 * ioremap.h - mapping device memory into the kernel's address space:
 * ioremap() and its cache-mode variants, iounmap(), the cache modes and
 * their PTE bits, the memtype reservations that keep two mappings of one
 * physical range from disagreeing (arch/x86/mm/ioremap.c,
 * arch/x86/mm/pat/memtype.c), and the __iomem side of the MMIO accessors.
 *
 * The virtual area comes from the vmap allocator through struct
 * ioremap_vmap_ops (get_vm_area_caller(size, VM_IOREMAP, caller) and
 * remove_vm_area()): by default vmalloc.h's vmap_area_alloc() and
 * vmap_area_free() when the tree has them (ioremap.c checks with
 * __has_include); without an allocator, ioremap stops with -ENOSYS after
 * the checks that come before the area in __ioremap_caller.
 * State: m->ioremap, made on first use, freed by ioremap_destroy().
 */
#ifndef KMEMSH_IOREMAP_H
#define KMEMSH_IOREMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/machine.h"

/* arch/x86/include/asm/pgtable_types.h: enum page_cache_mode (6.13 values) */
enum page_cache_mode {
	PCM_WB, PCM_WC, PCM_UC_MINUS, PCM_UC, PCM_WT, PCM_WP, NR_PCM
};

/* "WB", "WC", "UC-", "UC", "WT", "WP" */
const char *ioremap_pcm_name(unsigned pcm);

/*
 * cachemode2protval(): the PAT/PCD/PWT bits of a 4 KiB PTE for a cache
 * mode, with the PAT MSR each profile programs (6.13: pat_bp_init()'s
 * full table WB WC UC- UC WB WP UC- WT; 2.6.32: WB WC UC- UC WB WC UC- UC,
 * which has no WT or WP: they fall back to UC-).
 */
uint64_t ioremap_cachemode2protval(const struct machine *m, enum page_cache_mode pcm);

/*
 * The alignment __get_vm_area_node() gives a VM_IOREMAP area of size
 * bytes (without the guard page): 6.13 1 << clamp(get_count_order(size),
 * PAGE_SHIFT, IOREMAP_MAX_ORDER) with x86's IOREMAP_MAX_ORDER (PUD_SHIFT
 * on x86_64, PMD_SHIFT on i386); 2.6.32 1 << clamp(fls(size), PAGE_SHIFT,
 * 7 + PAGE_SHIFT), one bit more for a power of two.
 */
uint64_t ioremap_area_align(const struct machine *m, uint64_t size);

/*
 * ioremap_max_page_shift (mm/vmalloc.c): BITS_PER_LONG - 1 where
 * CONFIG_HAVE_ARCH_HUGE_VMAP is set (6.x x86_64 and PAE), PAGE_SHIFT
 * without it (non-PAE i386, 2.6.32) or with "nohugeiomap" in --cmdline.
 */
unsigned ioremap_max_page_shift(const struct machine *m);

/*
 * ioremap_page_range(addr, end, phys, prot) -> vmap_range_noflush(): map
 * [addr, end) to phys with huge pud/pmd leaves where the rules allow
 * (see ioremap.c) and ptes elsewhere.  0, -EINVAL (unaligned), -ENOMEM.
 */
int ioremap_page_range(struct machine *m, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot);
/* vmap_range_noflush() (mm/vmalloc.c): [addr, end) to [phys, ...) with
 * leaves up to 1 << max_page_shift where aligned (vmap_try_huge_pXd());
 * __vmap_pages_range_noflush() calls it per huge page of a huge vmalloc */
int vmap_range_noflush(struct machine *m, uint64_t addr, uint64_t end, uint64_t phys, uint64_t prot,
		       unsigned max_page_shift);

/* The vmap allocator ioremap takes its areas from. */
struct ioremap_vmap_ops {
	/* get_vm_area_caller(size, VM_IOREMAP, caller) with the alignment
	 * above: size is page-aligned, without the guard page; *va the area's
	 * start, *area_size its size with the guard page. 0 or -ENOMEM. */
	int (*get_vm_area)(struct machine *m, uint64_t size, uint64_t align, uint64_t phys, const char *caller,
			   uint64_t *va, uint64_t *area_size);
	/* remove_vm_area(va) + kfree: 0 or -ENOENT */
	int (*remove_vm_area)(struct machine *m, uint64_t va);
};
/* Install the allocator (NULL: none).  ops must outlive the machine. */
int ioremap_set_vmap_ops(struct machine *m, const struct ioremap_vmap_ops *ops);

/* One live ioremap mapping. */
struct ioremap_area {
	uint64_t va, area_size;         /* the vmap area, guard page included */
	uint64_t phys, size;            /* page-aligned physical range mapped */
	enum page_cache_mode pcm;       /* what the PTEs carry (after memtype_reserve) */
	enum page_cache_mode req;       /* what was asked for */
};

/*
 * __ioremap_caller(phys, size, pcm): 0 and *addr (the area's start +
 * phys's offset in its page), or the kernel's NULL with m->err saying why
 * and its messages in dmesg: -EINVAL size 0 or a wrapping range;
 * -EFAULT a range with ordinary RAM in it ("ioremap on RAM" WARN, once);
 * -EBUSY memtype conflict; -ENOSYS no vmap allocator; -ENOMEM.  *out (may
 * be NULL) the mapping.
 */
int ioremap_caller(struct machine *m, uint64_t phys, uint64_t size, enum page_cache_mode pcm, uint64_t *addr,
		   const struct ioremap_area **out);
/* The same for a named caller: caller is the %pS text __ioremap_caller's
 * caller argument prints as (vmallocinfo, the WARN and error lines);
 * ioremap_caller() passes "kmemsh_command+0x0/0x0". */
int ioremap_caller_by(struct machine *m, uint64_t phys, uint64_t size, enum page_cache_mode pcm, const char *caller,
		      uint64_t *addr, const struct ioremap_area **out);
/*
 * iounmap(addr): clears the PTEs, frees the memtype and the area.  As the
 * kernel: an address at or below high_memory returns silently (0), the
 * ISA direct-map range WARNs; an address that is no ioremap area prints
 * "iounmap: bad address" (-EINVAL).  *was (may be NULL) the mapping.
 */
int ioremap_iounmap(struct machine *m, uint64_t addr, struct ioremap_area *was);

/* The ioremap mapping containing va (guard page excluded), or NULL. */
const struct ioremap_area *ioremap_find(const struct machine *m, uint64_t va);
/* The first mapping that meets [addr, addr + len) (len 0: one byte), or
 * NULL; cost by the number of mappings, not by len. */
const struct ioremap_area *ioremap_find_range(const struct machine *m, uint64_t addr, uint64_t len);
/* Mappings in address order: n and the i-th. */
unsigned ioremap_count(const struct machine *m);
const struct ioremap_area *ioremap_get(const struct machine *m, unsigned i);

/*
 * The __iomem accessors: readX/writeX on an address inside an ioremap
 * mapping reach the physical address the page tables give, and so the
 * device register (iomem.h).  -EFAULT (m->err) when addr is not an
 * __iomem address or the access crosses the mapping's end; *phys (may be
 * NULL) the physical address reached.
 */
int ioremap_read(struct machine *m, uint64_t addr, unsigned size, uint64_t *val, uint64_t *phys);
int ioremap_write(struct machine *m, uint64_t addr, unsigned size, uint64_t val, uint64_t *phys);
/* memset_io(); *done: bytes written (where it stopped on an error) */
int ioremap_memset(struct machine *m, uint64_t addr, uint8_t c, uint64_t n, uint64_t *phys, uint64_t *done);
/* memcpy_fromio (toio false) / memcpy_toio in the kernel's pieces; *done:
 * bytes copied (where it stopped on an error) */
int ioremap_memcpy(struct machine *m, uint64_t dst, uint64_t src, uint64_t n, bool toio, uint64_t *phys,
		   uint64_t *done);

/* check: every mapping's pages carry its physical pages and cache bits,
 * its guard page is unmapped, one memtype per tracked mapping; 0 or
 * -EUCLEAN with m->err */
int ioremap_check(struct machine *m);

void ioremap_destroy(struct machine *m);

#endif
