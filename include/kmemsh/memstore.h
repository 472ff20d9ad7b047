/*
 * memstore.h - the contents of the memory the model has handed out, and
 * the checks a kernel access to it passes on the way (KASAN's, on a
 * kernel built with it).
 *
 * Bytes live where their owner keeps them.  Slab memory (objects, red
 * zones, free pointers, tracks) belongs to the slab layer (slab_read(),
 * slab_memset()); every other page the page allocator has handed out, a
 * block from alloc_pages()/__get_free_pages() or the pages of a large
 * kmalloc, keeps its bytes here: a pfn-keyed hash of 4 KiB buffers, one
 * per page that has been written and nothing for the others.  A page's
 * buffer is dropped when the page goes back to the buddy allocator
 * (memstore_free_pages(), called by buddy_free_pages()), so a page handed
 * out again starts fresh.
 *
 * Fresh pages read as the kernel leaves them.  With __GFP_ZERO
 * (get_zeroed_page(), kzalloc) or init_on_alloc they are zeros; 6.13 is
 * modelled as Debian builds it, CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y (its 6.1
 * kernels boot with "mem auto-init: stack:all(zero), heap alloc:on, heap
 * free:off"), so every page is zeroed there unless init_on_alloc is
 * turned off.  Otherwise (2.6.32, which has no init_on_alloc, or 6.13
 * with init_on_alloc=0) a page holds whatever its last owner left, which
 * the model does not keep: it reads as MEM_PAGE_POISON, the kernel's own
 * PAGE_POISON byte (include/linux/poison.h, what page poisoning writes
 * into free pages), recognisable at once and distinct from the slab
 * poisons (0x6b, 0x5a, 0xa5) and red zones (0xbb, 0xcc).
 *
 * Every access names the bytes [addr, addr + len) of a kernel virtual
 * address.  Only direct-map addresses of memory the model handed out can
 * be read or written; anything else is refused with a one-line error in
 * m->err and the model unchanged.  On a KASAN kernel (6.13 on x86_64,
 * modelled as CONFIG_KASAN_GENERIC; i386 has no KASAN and 2.6.32 predates
 * it) an access KASAN would catch also writes KASAN's report into dmesg,
 * in mm/kasan/report.c's format: use-after-free (a free page),
 * slab-use-after-free, slab-out-of-bounds (past an object's requested
 * bytes or a large kmalloc's), null-ptr-deref, user-memory-access and
 * wild-memory-access.  Like the kernel, only the first report is printed
 * unless kasan_multi_shot is set.  See kasan.c for what the reports leave
 * out.
 */
#ifndef KMEMSH_MEMSTORE_H
#define KMEMSH_MEMSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"

#define MEM_PAGE_POISON 0xaa            /* PAGE_POISON: unzeroed fresh pages */
#define MEM_PAGE_POISON_STR "0xaa"
#define MEM_MAX_LEN (1u << 22)          /* the longest access: 4 MiB, KMALLOC_MAX_SIZE */

/* What an address is (its first byte). */
enum mem_kind {
	MEM_NONE,               /* not classified (bad arguments) */
	MEM_PAGES,              /* an allocated block: alloc_pages(), __get_free_pages() */
	MEM_LARGE_KMALLOC,      /* the pages of a kmalloc above the largest cache */
	MEM_SLAB,               /* slab memory: objects, red zones, metadata (SLOB pages too) */
	MEM_FREE,               /* a page free in the buddy allocator */
	MEM_RESERVED,           /* reserved at boot: the kernel image, boot allocations */
	MEM_PGTABLE,            /* a page-table page */
	MEM_HOLE,               /* a direct-map address with no RAM behind it */
	MEM_VMALLOC,            /* a vmap area's pages (vmalloc, vmap), reached through its PTEs */
	MEM_NOT_DIRECT,         /* a kernel address outside the direct map (fixmap, unmapped vmalloc, ...) */
	MEM_USER,               /* user space, the NULL page included */
	MEM_NONCANONICAL,       /* x86_64: the non-canonical hole; i386: above 4 GiB */
};

/* What is wrong with an access. */
enum mem_bug {
	MEM_OK,                 /* allowed */
	MEM_OUT_OF_BOUNDS,      /* before or past the allocation holding its first byte */
	MEM_USE_AFTER_FREE,     /* a free page or a free slab object */
	MEM_BAD_ADDRESS,        /* the NULL page, user space, non-canonical, a hole, not direct-mapped */
	MEM_NO_CONTENTS,        /* handed out, but the model keeps no bytes for it (reserved, page
				 * tables, SLOB) */
};

struct mem_access_result {
	enum mem_kind kind;
	enum mem_bug bug;
	const char *kasan_bug;          /* the bug type of KASAN's report ("slab-out-of-bounds"), or
					 * NULL where KASAN would not report (or is not built in) */
	bool kasan_reported;            /* the report is in dmesg (false: not the first bug) */
	uint64_t pfn;                   /* direct map: the page of addr */
	uint64_t block_pfn;             /* the buddy block holding addr (allocated or free) */
	unsigned order;
	gfp_t gfp;                      /* allocated block: its gfp mask */
	uint64_t start, end;            /* the allocation holding addr, [start, end): the block, the
					 * large kmalloc's bytes, the object's requested bytes; 0 if none */
	int cache;                      /* slab memory: the cache, else -1 */
	long object;                    /* slab memory: the object (-1 outside every object) */
	bool allocated;                 /* slab memory: the object is allocated */
	bool zeroed;                    /* pages: unwritten bytes read as zeros, else MEM_PAGE_POISON */
};

/*
 * Classify the access of len bytes at addr (a write if `write`) and check
 * it as the modelled kernel would: 0 when it is allowed, -EFAULT when it is
 * refused (m->err says why in one line; KASAN's report is in dmesg where a
 * KASAN kernel reports), -EINVAL for a length outside 1..MEM_MAX_LEN.
 * Nothing but dmesg (and the taint a KASAN report adds) changes.
 */
int mem_access(struct machine *m, uint64_t addr, size_t len, bool write, struct mem_access_result *res);

/*
 * Loads and stores as kernel code does them (checked by mem_access();
 * refused accesses change nothing).  size is 1, 2, 4 or 8; values are
 * little-endian.  res may be NULL.
 */
int memstore_read(struct machine *m, uint64_t addr, unsigned size, uint64_t *val,
		  struct mem_access_result *res);
int memstore_write(struct machine *m, uint64_t addr, uint64_t value, unsigned size,
		   struct mem_access_result *res);

/* A checked read of len bytes into buf (memcpy from kernel memory). */
int mem_readbuf(struct machine *m, uint64_t addr, uint8_t *buf, size_t len, struct mem_access_result *res);

/*
 * memset(addr, c, len), the `memset` command: checked like a store, except
 * that inside slab memory it writes past an object and into free objects,
 * as the kernel's memset does, for the slab layer's debug checks to find
 * later (on a KASAN kernel the report comes first, and the write still
 * lands as with kasan.fault=report).  The range must stay in one slab.
 * res (may be NULL) describes the range, for view_mem_where().
 */
int mem_memset(struct machine *m, uint64_t addr, int c, size_t len, struct mem_access_result *res);

/*
 * What a debugger would show (`dump`): the bytes of any handed-out memory
 * the model keeps, red zones and free slab objects included; no KASAN
 * check and no report.  The range must stay inside one block or slab.
 * res (may be NULL) says what addr is.
 */
int mem_peek(struct machine *m, uint64_t addr, uint8_t *buf, size_t len, struct mem_access_result *res);

/*
 * Settings, as boot parameters would give them.  KASAN (CONFIG_KASAN:
 * machines booted with --kasan, where the modelled kernel can have it:
 * 6.13 on x86_64) and init_on_alloc
 * (6.13 only; on by default) return -EINVAL where the kernel has no such
 * option; kasan_multi_shot prints every report instead of the first.
 */
bool memstore_kasan(const struct machine *m);
int memstore_set_kasan(struct machine *m, bool on);
int memstore_set_kasan_multi_shot(struct machine *m, bool on);
bool memstore_init_on_alloc(const struct machine *m);
int memstore_set_init_on_alloc(struct machine *m, bool on);

/* __free_pages(): forget the contents of the freed pages (buddy.c calls
 * it; inline so an untouched store costs one test) */
void memstore_drop(struct machine *m, uint64_t pfn, unsigned order);
/* migration (compaction): the bytes of the 2^order pages at `from` move to
 * `to`; 0, or -ENOMEM (out of host memory, nothing changed) */
int memstore_migrate(struct machine *m, uint64_t from, uint64_t to, unsigned order);
static inline void memstore_free_pages(struct machine *m, uint64_t pfn, unsigned order)
{
	if (m->mem)
		memstore_drop(m, pfn, order);
}

/* every stored page belongs to an allocated block outside the slab layer
 * (machine_check); 0 or -EUCLEAN with m->err */
int memstore_check(struct machine *m);

/* pages with stored contents, and the host bytes they and the table use */
size_t memstore_nr_pages(const struct machine *m);
size_t memstore_host_bytes(const struct machine *m);

void memstore_destroy(struct machine *m);

#endif
