/*
 * memstore.c - the contents of pages the page allocator has handed out,
 * and what a kernel access to an address finds there.
 *
 * The store is sparse: a pfn-keyed hash (open addressing, linear probing,
 * backward-shift deletion) of 4 KiB buffers, one per page that has been
 * written (pagestore.c, core state).  An unwritten page reads as its
 * allocation left it: zeros with __GFP_ZERO or init_on_alloc
 * (post_alloc_hook()'s kernel_init_pages() in 6.13, prep_zero_page() in
 * 2.6.32), else MEM_PAGE_POISON.
 *
 * An address is classified by what owns its page, from the buddy
 * allocator's and the slab layer's own state: an allocated block, the
 * pages of a large kmalloc, a slab (whose bytes the slab layer keeps), a
 * free page, a reserved or page-table page, a hole, or no direct-map
 * address at all.  An access is judged against the allocation holding its
 * first byte, as KASAN's redzones judge it; kasan.c adds KASAN's own view
 * on a KASAN kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/i18n.h"
#include "kmemsh/layout.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "memstore_impl.h"

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

typedef unsigned long long ull;

/* ---- settings ------------------------------------------------------------------------ */

/* KASAN needs HAVE_ARCH_KASAN (x86_64 only) and came in 4.0 */
static bool kasan_possible(const struct machine *m)
{
	return m->kp->kv != KV_2_6_32 && m->arch->bits == 64;
}

/* a kernel built with CONFIG_KASAN (--kasan; Debian's kernels are not),
 * unless a setting changed it since */
bool kasan_enabled(const struct machine *m)
{
	if (!kasan_possible(m))
		return false;
	if (m->mem && m->mem->kasan >= 0)
		return m->mem->kasan != 0;
	return m->cfg.kasan;
}

bool memstore_kasan(const struct machine *m)
{
	return kasan_enabled(m);
}

int memstore_set_kasan(struct machine *m, bool on)
{
	m->err[0] = '\0';
	if (on && !kasan_possible(m)) {
		model_err(m, "KASAN needs Linux 4.0 or later on x86_64 (x86_32 has no KASAN); "
			 "this machine runs %s on %s", m->kp->version, m->arch->name);
		return -EINVAL;
	}
	if (!mem_state(m))
		return -ENOMEM;
	m->mem->kasan = on;
	return 0;
}

int memstore_set_kasan_multi_shot(struct machine *m, bool on)
{
	if (!mem_state(m))
		return -ENOMEM;
	m->mem->multi_shot = on;
	return 0;
}

bool memstore_init_on_alloc(const struct machine *m)
{
	return m->kp->kv != KV_2_6_32 && (!m->mem || m->mem->init_on_alloc != 0);
}

int memstore_set_init_on_alloc(struct machine *m, bool on)
{
	m->err[0] = '\0';
	if (on && m->kp->kv == KV_2_6_32) {
		model_err(m, "init_on_alloc came in Linux 5.3; this machine runs %s",
			 m->kp->version);
		return -EINVAL;
	}
	if (!mem_state(m))
		return -ENOMEM;
	m->mem->init_on_alloc = on;
	return 0;
}

/* want_init_on_alloc(gfp): the page allocator zeroed the block */
static bool fresh_zeroed(const struct machine *m, gfp_t gfp)
{
	return (gfp & m->kp->gfp_zero) || memstore_init_on_alloc(m);
}

/* ---- what an address is ------------------------------------------------------------- */

/* a kernel address the direct map does not cover, or none at all */
static enum mem_kind outside_kind(const struct machine *m, uint64_t addr)
{
	if (m->arch->bits == 32)
		return addr >> 32 ? MEM_NONCANONICAL : addr < m->direct_map ? MEM_USER : MEM_NOT_DIRECT;
	/* x86_64: 47 (57) bits of user space, the non-canonical hole, then
	 * the kernel half */
	unsigned va_bits = m->arch->la57 ? 57 : 48;
	uint64_t half = 1ull << (va_bits - 1);
	if (addr < half)
		return MEM_USER;
	if (addr < ~(half - 1))
		return MEM_NONCANONICAL;
	/* the direct map's own region (with KASLR it is sized to the RAM) */
	enum vm_region_kind k = layout_region_of(&m->layout, addr)->kind;
	if (k == VR_DIRECT || k == VR_DIRECT_SPARE)
		return MEM_HOLE;
	return MEM_NOT_DIRECT;
}

void mem_classify(const struct machine *m, uint64_t addr, struct mem_access_result *r)
{
	memset(r, 0, sizeof *r);
	r->cache = -1;
	r->object = -1;
	uint64_t pfn, off;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off)) {
		r->kind = outside_kind(m, addr);
		/* vmalloc and vmap: the area's mapped pages, guard page excluded */
		const struct vm_struct *vm = r->kind == MEM_NOT_DIRECT ? vmap_find_area(m, addr) : NULL;
		if (vm && !(vm->flags & VM_IOREMAP)) {
			r->kind = MEM_VMALLOC;
			r->start = vm->addr;
			r->end = vm->addr + (uint64_t)vm->nr_mapped * PAGE_SIZE;
			uint64_t i = (addr - vm->addr) >> PAGE_SHIFT;
			if (i < vm->nr_mapped) {
				struct page_info pi;
				r->pfn = r->block_pfn = vm->pages[i];
				buddy_page_info(m, r->pfn, &pi);
				r->gfp = pi.gfp;
				r->zeroed = vm->zero || fresh_zeroed(m, pi.gfp);
			}
		}
		return;
	}
	r->pfn = pfn;
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	r->block_pfn = pi.block_pfn;
	r->order = pi.order;
	switch (pi.state) {
	case PS_NONE:
	case PS_HOLE:
		r->kind = MEM_HOLE;
		return;
	case PS_RESERVED:
		r->kind = MEM_RESERVED;
		return;
	case PS_FREE:
		r->kind = MEM_FREE;
		return;
	case PS_ALLOCATED:
		break;
	}
	r->gfp = pi.gfp;
	struct page tmp;
	const struct page *hp = page_peek(m, pi.block_pfn, &tmp);
	if (hp && (hp->flags & PG_table)) {
		r->kind = MEM_PGTABLE;
		return;
	}
	uint64_t head = machine_pfn_to_vaddr(m, pi.block_pfn);
	char why[128];
	if (!slab_owns_pfn(m, pi.block_pfn, why, sizeof why)) {
		r->kind = MEM_PAGES;
		r->start = head;
		r->end = head + ((uint64_t)PAGE_SIZE << pi.order);
		r->zeroed = fresh_zeroed(m, pi.gfp);
		return;
	}
	struct object_info oi;
	slab_object_info(m, head, &oi);
	if (oi.large) {
		r->kind = MEM_LARGE_KMALLOC;
		r->start = head;
		r->end = head + oi.large_size;
		r->zeroed = fresh_zeroed(m, pi.gfp);
		return;
	}
	r->kind = MEM_SLAB;
	slab_object_info(m, addr, &oi);
	r->cache = oi.cache;
	if (!oi.found || oi.slob || oi.index == ~0u)
		return;
	r->object = oi.index;
	r->allocated = oi.allocated;
	if (oi.allocated) {
		r->start = oi.object_addr;
		r->end = oi.object_addr + oi.requested;
	}
}

/* the allocation rules: is [addr, addr + len) inside what holds addr? */
static enum mem_bug judge(const struct machine *m, const struct mem_access_result *r, uint64_t addr, size_t len)
{
	switch (r->kind) {
	case MEM_NONE:
	case MEM_HOLE:
	case MEM_NOT_DIRECT:
	case MEM_USER:
	case MEM_NONCANONICAL:
		return MEM_BAD_ADDRESS;
	case MEM_RESERVED:
	case MEM_PGTABLE:
		return MEM_NO_CONTENTS;
	case MEM_FREE:
		return MEM_USE_AFTER_FREE;
	case MEM_SLAB:
		if (m->slab->impl == SLAB_IMPL_SLOB)
			return MEM_NO_CONTENTS;
		if (r->object >= 0 && !r->allocated)
			return MEM_USE_AFTER_FREE;
		break;
	case MEM_PAGES:
	case MEM_LARGE_KMALLOC:
	case MEM_VMALLOC:
		break;
	}
	return addr >= r->start && addr < r->end && len <= r->end - addr ? MEM_OK : MEM_OUT_OF_BOUNDS;
}

/* the one-line error for a refused access */
static void explain(struct machine *m, const struct mem_access_result *r, uint64_t addr, size_t len)
{
	const char *cache = r->cache >= 0 ? m->slab->caches[r->cache].name : "?";
	int k = 0;
	switch (r->kind) {
	case MEM_NONE:
		k = model_err(m, "%#llx: nothing to access", (ull)addr);
		break;
	case MEM_USER:
		if (addr < PAGE_SIZE)
			k = model_err(m, "%#llx is in the NULL page: a NULL pointer dereference, the kernel "
				     "would oops", (ull)addr);
		else
			k = model_err(m, "%#llx is a user-space address: the model maps no user process",
				     (ull)addr);
		break;
	case MEM_NONCANONICAL:
		if (m->arch->bits == 32)
			k = model_err(m, "%#llx is beyond the 32-bit address space", (ull)addr);
		else
			k = model_err(m, "%#llx is non-canonical: the CPU would raise a general protection "
				     "fault", (ull)addr);
		break;
	case MEM_NOT_DIRECT:
		k = model_err(m, "%#llx is not in the direct map: only memory the page allocator handed "
			     "out has contents in the model", (ull)addr);
		break;
	case MEM_HOLE:
		k = model_err(m, "%#llx is not RAM: the direct map has no page there", (ull)addr);
		break;
	case MEM_RESERVED:
		k = model_err(m, "%#llx is reserved at boot (pfn %#llx): the model keeps no contents for it",
			     (ull)addr, (ull)r->pfn);
		break;
	case MEM_PGTABLE:
		k = model_err(m, "%#llx is a page-table page (pfn %#llx): its entries are the model's page "
			     "tables, see walk", (ull)addr, (ull)r->pfn);
		break;
	case MEM_FREE:
		k = model_err(m, "%#llx is free in the buddy allocator (the free order-%u block at pfn "
			     "%#llx): use-after-free", (ull)addr, r->order, (ull)r->block_pfn);
		break;
	case MEM_PAGES:
		k = model_err(m, "%#llx + %zu runs %llu bytes past the end of the order-%u block at pfn "
			     "%#llx: out-of-bounds", (ull)addr, len, (ull)(addr + len - r->end), r->order,
			     (ull)r->block_pfn);
		break;
	case MEM_VMALLOC:
		k = model_err(m, "%#llx + %zu is outside the %llu mapped bytes of the vmap area at %#llx "
			     "(its guard page follows them, unmapped): out-of-bounds, the kernel would oops",
			     (ull)addr, len, (ull)(r->end - r->start), (ull)r->start);
		break;
	case MEM_LARGE_KMALLOC:
		k = model_err(m, "%#llx + %zu is outside the %llu bytes of the large kmalloc at %#llx: "
			     "out-of-bounds", (ull)addr, len, (ull)(r->end - r->start), (ull)r->start);
		break;
	case MEM_SLAB:
		if (r->bug == MEM_NO_CONTENTS)
			k = model_err(m, "%#llx is SLOB memory: its contents are not modelled", (ull)addr);
		else if (r->object < 0)
			k = model_err(m, "%#llx is in a slab of %s but outside every object: out-of-bounds",
				     (ull)addr, cache);
		else if (!r->allocated)
			k = model_err(m, "%#llx is in free object %ld of %s: use-after-free", (ull)addr,
				     r->object, cache);
		else
			k = model_err(m, "%#llx + %zu is outside the %llu bytes requested from object %ld of "
				     "%s at %#llx: out-of-bounds", (ull)addr, len, (ull)(r->end - r->start),
				     r->object, cache, (ull)r->start);
		break;
	}
	if (r->kasan_bug && k > 0 && (size_t)k < sizeof m->err)
		model_err_cat(m, r->kasan_reported ? _("; KASAN: %s (report in dmesg)") :
			 _("; KASAN: %s (not reported: KASAN reports only its first bug without "
			 "kasan_multi_shot)"), r->kasan_bug);
}

/* classify, judge, let KASAN see it: 0 or -EFAULT with m->err */
static int check(struct machine *m, uint64_t addr, size_t len, bool write, struct mem_access_result *r)
{
	mem_classify(m, addr, r);
	r->bug = judge(m, r, addr, len);
	if (kasan_enabled(m) && r->kind != MEM_VMALLOC)  /* KASAN_VMALLOC shadows are not modelled */
		kasan_check(m, addr, len, write, r);
	if (r->bug == MEM_OK && !r->kasan_bug)
		return 0;
	if (r->bug == MEM_OK)   /* only KASAN objects: cannot happen with consistent shadows */
		r->bug = MEM_OUT_OF_BOUNDS;
	explain(m, r, addr, len);
	return -EFAULT;
}

static int bad_len(struct machine *m, uint64_t addr, size_t len)
{
	if (len == 0 || len > MEM_MAX_LEN) {
		model_err(m, "length %zu: expected 1 to %u bytes", len, MEM_MAX_LEN);
		return -EINVAL;
	}
	if (addr + len - 1 < addr) {
		model_err(m, "%#llx + %zu wraps around the end of the address space",
			 (ull)addr, len);
		return -EFAULT;
	}
	return 0;
}

int mem_access(struct machine *m, uint64_t addr, size_t len, bool write, struct mem_access_result *res)
{
	struct mem_access_result tmp;
	if (!res)
		res = &tmp;
	memset(res, 0, sizeof *res);
	res->cache = -1;
	res->object = -1;
	m->err[0] = '\0';
	int r = bad_len(m, addr, len);
	return r ? r : check(m, addr, len, write, res);
}

/* ---- moving bytes ---------------------------------------------------------------------- */

/* the pfn behind addr: the direct map's, or a vmap area's page */
static uint64_t addr_pfn(const struct machine *m, const struct mem_access_result *r, uint64_t addr)
{
	if (r->kind == MEM_VMALLOC) {
		const struct vm_struct *vm = vmap_find_area(m, addr);
		return vm->pages[(addr - vm->addr) >> PAGE_SHIFT];
	}
	return (addr - m->direct_map) >> PAGE_SHIFT;
}

/* len bytes at addr, inside one allocated block (pages, a large kmalloc or
 * a vmap area) */
static void pages_read(const struct machine *m, const struct mem_access_result *r, uint64_t addr, uint8_t *buf,
		       size_t len)
{
	uint8_t fresh = r->zeroed ? 0 : MEM_PAGE_POISON;
	while (len) {
		uint64_t pfn = addr_pfn(m, r, addr);
		size_t off = (size_t)(addr & (PAGE_SIZE - 1)), n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		const uint8_t *b = pagestore_find(m, pfn);
		if (b)
			memcpy(buf, b + off, n);
		else
			memset(buf, fresh, n);
		addr += n;
		buf += n;
		len -= n;
	}
}

/* store src (or, when src is NULL, the byte c) into one allocated block */
static int pages_write(struct machine *m, const struct mem_access_result *r, uint64_t addr, const uint8_t *src,
		       int c, size_t len)
{
	uint8_t fresh = r->zeroed ? 0 : MEM_PAGE_POISON;
	/* every buffer first, so running out of host memory stores nothing */
	for (uint64_t a = addr & ~(uint64_t)(PAGE_SIZE - 1); a < addr + len; a += PAGE_SIZE)
		if (!pagestore_get(m, addr_pfn(m, r, a), fresh)) {
			model_err(m, "out of host memory");
			return -ENOMEM;
		}
	while (len) {
		uint8_t *b = pagestore_find(m, addr_pfn(m, r, addr));
		size_t off = (size_t)(addr & (PAGE_SIZE - 1)), n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		if (src) {
			memcpy(b + off, src, n);
			src += n;
		} else {
			memset(b + off, c, n);
		}
		addr += n;
		len -= n;
	}
	return 0;
}

static int read_bytes(struct machine *m, const struct mem_access_result *r, uint64_t addr, uint8_t *buf,
		      size_t len)
{
	if (r->kind == MEM_SLAB)
		return slab_read(m, addr, buf, len);
	pages_read(m, r, addr, buf, len);
	return 0;
}

static int write_bytes(struct machine *m, const struct mem_access_result *r, uint64_t addr, const uint8_t *src,
		       int c, size_t len)
{
	if (r->kind != MEM_SLAB)
		return pages_write(m, r, addr, src, c, len);
	if (!src)
		return slab_memset(m, addr, c, len);
	for (size_t i = 0; i < len; i++) {
		int e = slab_memset(m, addr + i, src[i], 1);
		if (e)
			return e;
	}
	return 0;
}

/* a new load or store (no error yet) of a size read and write take */
static int check_size(struct machine *m, unsigned size)
{
	m->err[0] = '\0';
	if (size == 1 || size == 2 || size == 4 || size == 8)
		return 0;
	model_err(m, "size %u: expected 1, 2, 4 or 8 bytes", size);
	return -EINVAL;
}

int memstore_read(struct machine *m, uint64_t addr, unsigned size, uint64_t *val, struct mem_access_result *res)
{
	uint8_t b[8];
	int e = check_size(m, size);
	if (e || (e = mem_readbuf(m, addr, b, size, res)))
		return e;
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*val = v;
	return 0;
}

/* mem_readbuf()'s counterpart: len bytes from src stored at addr */
static int writebuf(struct machine *m, uint64_t addr, const uint8_t *src, size_t len,
		    struct mem_access_result *res)
{
	struct mem_access_result tmp;
	if (!res)
		res = &tmp;
	int e = mem_access(m, addr, len, true, res);
	return e ? e : write_bytes(m, res, addr, src, 0, len);
}

int memstore_write(struct machine *m, uint64_t addr, uint64_t value, unsigned size, struct mem_access_result *res)
{
	int e = check_size(m, size);
	if (e)
		return e;
	if (size < 8 && value >> (8 * size)) {
		model_err(m, size == 1 ? N_("value %#llx does not fit in %u byte") :
			 N_("value %#llx does not fit in %u bytes"), (ull)value, size);
		return -EINVAL;
	}
	uint8_t b[8];
	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(value >> (8 * i));
	return writebuf(m, addr, b, size, res);
}

int mem_readbuf(struct machine *m, uint64_t addr, uint8_t *buf, size_t len, struct mem_access_result *res)
{
	struct mem_access_result tmp;
	if (!res)
		res = &tmp;
	int e = mem_access(m, addr, len, false, res);
	return e ? e : read_bytes(m, res, addr, buf, len);
}

int mem_memset(struct machine *m, uint64_t addr, int c, size_t len, struct mem_access_result *res)
{
	struct mem_access_result tmp;
	if (!res)
		res = &tmp;
	int e = mem_access(m, addr, len, true, res);
	if (e == -EFAULT && res->kind == MEM_SLAB &&
	    (res->bug == MEM_OUT_OF_BOUNDS || res->bug == MEM_USE_AFTER_FREE)) {
		/* the kernel's memset writes there: the slab layer's checks
		 * (or KASAN's report, already in dmesg) tell; the slab layer
		 * still refuses a range that leaves the slab */
		e = slab_memset(m, addr, c, len);
		if (!e)
			m->err[0] = '\0';
		return e;
	}
	return e ? e : write_bytes(m, res, addr, NULL, c, len);
}

int mem_peek(struct machine *m, uint64_t addr, uint8_t *buf, size_t len, struct mem_access_result *res)
{
	struct mem_access_result tmp;
	if (!res)
		res = &tmp;
	memset(res, 0, sizeof *res);
	m->err[0] = '\0';
	int e = bad_len(m, addr, len);
	if (e)
		return e;
	mem_classify(m, addr, res);
	res->bug = judge(m, res, addr, len);
	switch (res->kind) {
	case MEM_SLAB:
		return slab_read(m, addr, buf, len);
	case MEM_PAGES:
	case MEM_LARGE_KMALLOC: {
		/* a debugger sees the whole block, past a kmalloc's end too */
		uint64_t start = machine_pfn_to_vaddr(m, res->block_pfn);
		uint64_t end = start + ((uint64_t)PAGE_SIZE << res->order);
		if (len <= end - addr) {
			pages_read(m, res, addr, buf, len);
			return 0;
		}
		struct mem_access_result blk = *res;
		blk.kind = MEM_PAGES;
		blk.start = start;
		blk.end = end;
		explain(m, &blk, addr, len);
		return -EFAULT;
	}
	case MEM_VMALLOC:
		/* the mapped pages, up to the guard page */
		if (res->bug == MEM_OK) {
			pages_read(m, res, addr, buf, len);
			return 0;
		}
		break;
	default:
		break;
	}
	explain(m, res, addr, len);
	return -EFAULT;
}

/* ---- invariants -------------------------------------------------------------------------- */

int memstore_check(struct machine *m)
{
	const struct memstore *ms = m->mem;
	if (!ms)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < ms->cap; i++) {
		if (!ms->slot[i].buf)
			continue;
		n++;
		uint64_t pfn = ms->slot[i].pfn;
		struct mem_access_result r;
		if (!machine_pfn_has_vaddr(m, pfn)) {
			/* HighMem: written through a vmalloc or vmap mapping */
			struct page_info pi;
			buddy_page_info(m, pfn, &pi);
			r.kind = pi.state == PS_ALLOCATED ? MEM_PAGES : MEM_FREE;
		} else {
			mem_classify(m, machine_pfn_to_vaddr(m, pfn), &r);
		}
		if (r.kind != MEM_PAGES && r.kind != MEM_LARGE_KMALLOC) {
			model_err(m, "memstore: pfn %#llx has stored contents but is not an "
				 "allocated page block (kind %d)", (ull)pfn, (int)r.kind);
			return -EUCLEAN;
		}
		if (pagestore_find(m, pfn) != ms->slot[i].buf) {
			model_err(m, "memstore: pfn %#llx is stored where a lookup does not "
				 "find it", (ull)pfn);
			return -EUCLEAN;
		}
	}
	if (n != ms->count) {
		model_err(m, "memstore: %zu pages stored, %zu counted", n, ms->count);
		return -EUCLEAN;
	}
	return 0;
}
