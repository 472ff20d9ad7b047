/*
 * kasan.c - what a KASAN kernel says about an access: generic KASAN as in
 * Linux 6.13 (mm/kasan/generic.c, report.c, report_generic.c, kasan.h;
 * CONFIG_KASAN_GENERIC on x86_64).
 *
 * Generic KASAN keeps one shadow byte per 8-byte granule: 0 when the
 * whole granule is accessible, k (1..7) when only its first k bytes are,
 * and otherwise a poison value that says why: KASAN_PAGE_FREE (a page in
 * the buddy allocator), KASAN_PAGE_REDZONE (past a large kmalloc),
 * KASAN_SLAB_REDZONE (a slab's redzones and metadata, past an object's
 * requested bytes), KASAN_SLAB_FREE and KASAN_SLAB_FREE_META (a freed
 * object; its first granule marks the free track).  An access is bad when
 * one of its bytes is not accessible; kasan_report() then names the bug
 * from the shadow of the first bad granule and prints the report.
 * Addresses below the shadow-mapped kernel half have no shadow at all and
 * are reported as null-ptr-deref, user-memory-access or
 * wild-memory-access.
 *
 * The shadow is computed from the model's state, not stored.  Where the
 * model is not a KASAN build, this file says how it stands in for one:
 * - The caches have no KASAN metadata or redzones (a KASAN build's
 *   kmalloc-64 has a 96-byte slot), so in the model an object's
 *   neighbour may follow it directly.  An access is judged against the
 *   object holding its first byte, as the missing redzone would judge it:
 *   granules past that object's slot count as KASAN_SLAB_REDZONE.  The
 *   "Memory state" rows show the model's own layout.
 * - There is no quarantine, and every free object reads as freed
 *   (KASAN_SLAB_FREE_META, then KASAN_SLAB_FREE), never as not yet
 *   allocated (KASAN_SLAB_REDZONE).
 * - Every access goes through kasan_report(), as with KASAN_OUTLINE (and
 *   as memset always does); under KASAN_INLINE a plain load or store
 *   through a NULL or non-canonical pointer faults first.  The oops that
 *   follows a wild access is not modelled.
 * - Stack traces: dump_stack() prints only its "CPU: ... Comm:" line;
 *   the reporting function and the one frame of the allocation and free
 *   stacks are kmemsh_command+0x0/0x0 (as in slab_debug.c's tracks); the
 *   task is kmemsh/1.
 * - dump_page() prints its page:, head:, flags: and page_type: lines and
 *   the reason; the raw: lines (struct page words) are left out.  Page
 *   flags use the x86_64 layout with the zone at bit 56 (NODES_SHIFT 6,
 *   SPARSEMEM_VMEMMAP, no last_cpupid field), node 0.
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/slab.h"
#include "memstore_impl.h"

#define KASAN_GRANULE_SIZE 8u
#define KASAN_PAGE_FREE 0xff
#define KASAN_PAGE_REDZONE 0xfe
#define KASAN_SLAB_REDZONE 0xfc
#define KASAN_SLAB_FREE 0xfb
#define KASAN_SLAB_FREE_META 0xfa
#define KASAN_SHADOW_OFFSET 0xdffffc0000000000ull

/* mm/kasan/kasan.h: the "Memory state" rows */
#define META_BYTES_PER_ROW 16
#define META_MEM_BYTES_PER_ROW (META_BYTES_PER_ROW * KASAN_GRANULE_SIZE)
#define META_ROWS_AROUND_ADDR 2

#define PAGE_SIZE 4096u
#define ZONES_PGSHIFT 56                /* 64 - NODES_WIDTH 6 - ZONES_WIDTH 2 */
#define PG_HEAD_BIT 6                   /* enum pageflags, 6.13 */
#define PG_RESERVED_BIT 13

static const char report_rule[] = "==================================================================";
static const char report_ip[] = "kmemsh_command+0x0/0x0";

typedef unsigned long long ull;

/* get_shadow_bug_type(): the poison values the model produces */
static const struct {
	uint8_t shadow;
	const char *bug;
} shadow_bugs[] = {
	{ KASAN_PAGE_REDZONE, "slab-out-of-bounds" },
	{ KASAN_SLAB_REDZONE, "slab-out-of-bounds" },
	{ KASAN_PAGE_FREE, "use-after-free" },
	{ KASAN_SLAB_FREE, "slab-use-after-free" },
	{ KASAN_SLAB_FREE_META, "slab-use-after-free" },
};

/* ---- the shadow --------------------------------------------------------------------- */

/* A page as the shadow sees it, remembered while an access walks it. */
struct shadow_ctx {
	const struct machine *m;
	bool anchored;                  /* granules at and past anchor_end are a redzone */
	uint64_t anchor_end;            /* the end of the slot the access starts in */
	uint64_t pfn;                   /* the page described below; ~0: none */
	int uniform;                    /* the shadow of every granule, or -1 (slab), -2 (large) */
	const struct slab *s;
	const struct kmem_cache *c;
	uint64_t large_end, block_end;  /* large kmalloc: its bytes end, then its pages */
};

static void describe_page(struct shadow_ctx *x, uint64_t pfn)
{
	x->pfn = pfn;
	x->uniform = 0;
	struct mem_access_result r;
	mem_classify(x->m, machine_pfn_to_vaddr(x->m, pfn), &r);
	if (r.kind == MEM_FREE) {
		x->uniform = KASAN_PAGE_FREE;
	} else if (r.kind == MEM_LARGE_KMALLOC) {
		x->uniform = -2;
		x->large_end = r.end;
		x->block_end = machine_pfn_to_vaddr(x->m, r.block_pfn) + ((uint64_t)PAGE_SIZE << r.order);
	} else if (r.kind == MEM_SLAB) {
		struct object_info oi;
		slab_object_info(x->m, machine_pfn_to_vaddr(x->m, pfn), &oi);
		if (oi.slab != SLAB_NONE && !oi.slob) {
			x->uniform = -1;
			x->s = &x->m->slab->slabs[oi.slab];
			x->c = &x->m->slab->caches[x->s->cache];
		}
	}
}

/* the shadow of an object's granule g: kasan_unpoison() of the requested
 * bytes, poison_kmalloc_redzone(), kasan_poison_slab_free() */
static uint8_t slab_shadow(const struct shadow_ctx *x, uint64_t g)
{
	const struct slab *s = x->s;
	unsigned rlp = x->c->g.red_left_pad;
	uint64_t first = s->vaddr + s->base - rlp;
	if (g < first)
		return KASAN_SLAB_REDZONE;
	uint64_t idx = (g - first) / s->size;
	if (idx >= s->objects)
		return KASAN_SLAB_REDZONE;
	uint64_t obj = first + idx * s->size + rlp;
	if (g < obj)
		return KASAN_SLAB_REDZONE;
	if (s->req[idx]) {
		uint64_t end = obj + s->req[idx];
		if (g + KASAN_GRANULE_SIZE <= end)
			return 0;
		return g < end ? (uint8_t)(end - g) : KASAN_SLAB_REDZONE;
	}
	uint64_t fend = obj + ((x->c->g.object_size + KASAN_GRANULE_SIZE - 1) & ~(KASAN_GRANULE_SIZE - 1));
	if (g >= fend)
		return KASAN_SLAB_REDZONE;
	return g == obj ? KASAN_SLAB_FREE_META : KASAN_SLAB_FREE;
}

/* the shadow byte of the granule holding a; anchored: as the access sees it */
static uint8_t shadow(struct shadow_ctx *x, uint64_t a, bool anchored)
{
	uint64_t g = a & ~(uint64_t)(KASAN_GRANULE_SIZE - 1);
	if (anchored && x->anchored && g >= x->anchor_end)
		return KASAN_SLAB_REDZONE;
	uint64_t pfn, off;
	if (machine_vaddr_to_pfn(x->m, g, &pfn, &off))
		return 0;               /* kasan_early_shadow_page: all zeros */
	if (pfn != x->pfn)
		describe_page(x, pfn);
	if (x->uniform >= 0)
		return (uint8_t)x->uniform;
	if (x->uniform == -1)
		return slab_shadow(x, g);
	if (g + KASAN_GRANULE_SIZE <= x->large_end)
		return 0;
	if (g < x->large_end)
		return (uint8_t)(x->large_end - g);
	return g < x->block_end ? KASAN_PAGE_REDZONE : 0;
}

/* addr_has_metadata(): at or above kasan_shadow_to_mem(KASAN_SHADOW_START) */
static bool addr_has_metadata(const struct machine *m, uint64_t a)
{
	uint64_t shadow_start = m->arch->la57 ? 0xffdf000000000000ull : 0xffffec0000000000ull;
	return a >= (shadow_start - KASAN_SHADOW_OFFSET) << 3;
}

/* memory_is_poisoned(): a byte b is bad when its granule's shadow s is
 * nonzero and (s8)(b & 7) >= (s8)s */
/* The granules are counted, not compared with addr + len: an access may
 * end at the top of the address space (mem_access() refuses only ranges
 * that wrap), where addr + len is 0 and the next granule's address is 0. */
static uint64_t nr_granules(uint64_t addr, size_t len)
{
	uint64_t g = addr & ~(uint64_t)(KASAN_GRANULE_SIZE - 1);
	return ((addr + len - 1 - g) >> 3) + 1;
}

static bool poisoned(struct shadow_ctx *x, uint64_t addr, size_t len)
{
	uint64_t last_byte = addr + len - 1;
	uint64_t g = addr & ~(uint64_t)(KASAN_GRANULE_SIZE - 1);
	for (uint64_t n = nr_granules(addr, len); n; n--, g += KASAN_GRANULE_SIZE) {
		int8_t s = (int8_t)shadow(x, g, true);
		if (!s)
			continue;
		uint64_t glast = g + KASAN_GRANULE_SIZE - 1;
		int last = (int)((last_byte < glast ? last_byte : glast) - g);
		if (s < 0 || last >= s)
			return true;
	}
	return false;
}

/* kasan_find_first_bad_addr() */
static uint64_t first_bad_addr(struct shadow_ctx *x, uint64_t addr, size_t len)
{
	uint64_t p = addr;
	for (uint64_t n = (len + KASAN_GRANULE_SIZE - 1) / KASAN_GRANULE_SIZE; n && !shadow(x, p, true); n--)
		p += KASAN_GRANULE_SIZE;
	return p;
}

static const char *shadow_bug_type(struct shadow_ctx *x, uint64_t first_bad)
{
	uint8_t s = shadow(x, first_bad, true);
	/* a partial granule: the next shadow byte tells */
	if (s > 0 && s <= KASAN_GRANULE_SIZE - 1)
		s = shadow(x, (first_bad & ~(uint64_t)(KASAN_GRANULE_SIZE - 1)) + KASAN_GRANULE_SIZE, true);
	if (s < KASAN_GRANULE_SIZE)
		return "out-of-bounds";
	for (size_t i = 0; i < sizeof shadow_bugs / sizeof shadow_bugs[0]; i++)
		if (shadow_bugs[i].shadow == s)
			return shadow_bugs[i].bug;
	return "unknown-crash";
}

/* get_wild_bug_type() */
static const char *wild_bug_type(const struct machine *m, uint64_t addr)
{
	uint64_t task_size = m->arch->la57 ? (1ull << 56) - PAGE_SIZE : (1ull << 47) - PAGE_SIZE;
	if (addr < PAGE_SIZE)
		return "null-ptr-deref";
	if (addr < task_size)
		return "user-memory-access";
	return "wild-memory-access";
}

/* ---- the report ------------------------------------------------------------------------ */

static void blank(struct machine *m)
{
	dmesg_printf(m, "%s", "");
}

/* dump_stack_lvl(): the stack itself is not modelled */
static void dump_stack(struct machine *m)
{
	machine_dump_stack_info(m, machine_this_cpu(m));
}

/* print_track() with stack_depot_print()'s one frame */
static void print_track(struct machine *m, const char *prefix)
{
	dmesg_printf(m, "%s by task %u:", prefix, 1u);
	dmesg_printf(m, " %s", report_ip);
	blank(m);
}

/* describe_object(): the object nearest_obj() finds for addr */
static void describe_object(struct machine *m, struct shadow_ctx *x, uint64_t addr, const char *bug)
{
	const struct slab *s = x->s;
	const struct kmem_cache *c = x->c;
	uint64_t base = s->vaddr + s->base - c->g.red_left_pad;
	uint64_t idx = addr < base ? 0 : (addr - base) / s->size;
	if (idx >= s->objects)
		idx = s->objects - 1;
	uint64_t object = base + idx * s->size + c->g.red_left_pad;

	/* kasan_get_alloc_size(): the accessible bytes from the object's
	 * start, 0 for a freed object (then the object size) */
	size_t alloc_size = 0;
	for (uint64_t g = object; alloc_size < c->g.object_size; g += KASAN_GRANULE_SIZE) {
		uint8_t sh = shadow(x, g, false);
		if (sh == 0) {
			alloc_size += KASAN_GRANULE_SIZE;
			continue;
		}
		if (sh < KASAN_GRANULE_SIZE)
			alloc_size += sh;
		break;
	}
	if (alloc_size > c->g.object_size)
		alloc_size = c->g.object_size;
	if (!alloc_size)
		alloc_size = c->g.object_size;

	/* describe_object_stacks(): the alloc meta outlives the free (no
	 * quarantine evicts it); the free track is there when the first
	 * shadow byte says KASAN_SLAB_FREE_META */
	print_track(m, "Allocated");
	if (shadow(x, object, false) == KASAN_SLAB_FREE_META)
		print_track(m, "Freed");

	dmesg_printf(m, "The buggy address belongs to the object at %016llx", (ull)object);
	dmesg_printf(m, " which belongs to the cache %s of size %u", c->name, c->g.object_size);
	const char *rel_type;
	int rel_bytes;
	if (addr < object) {
		rel_type = "to the left";
		rel_bytes = (int)(object - addr);
	} else if (addr >= object + alloc_size) {
		rel_type = "to the right";
		rel_bytes = (int)(addr - (object + alloc_size));
	} else {
		rel_type = "inside";
		rel_bytes = (int)(addr - object);
	}
	const char *region_state = strcmp(bug, "slab-out-of-bounds") == 0 ? "allocated " :
				   strcmp(bug, "slab-use-after-free") == 0 ? "freed " : "";
	dmesg_printf(m, "The buggy address is located %d bytes %s of", rel_bytes, rel_type);
	dmesg_printf(m, " %s%zu-byte region [%016llx, %016llx)", region_state, alloc_size, (ull)object,
		     (ull)(object + alloc_size));
}

/* dump_page(virt_to_head_page(addr), "kasan: bad access detected") */
static void dump_page(struct machine *m, uint64_t pfn)
{
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	uint64_t index = 0, flags = 0;
	int refcount = 0;
	bool large = false;
	const char *type = NULL, *names = "";
	switch (pi.state) {
	case PS_FREE:
		if (pi.block_pfn == pfn)
			type = "f0(buddy)";
		break;
	case PS_RESERVED:
		refcount = 1;
		flags |= 1ull << PG_RESERVED_BIT;
		names = "reserved|";
		break;
	case PS_ALLOCATED: {
		struct page tmp;
		const struct page *hp = page_peek(m, pi.block_pfn, &tmp);
		if (hp && (hp->flags & PG_comp) && pi.order) {
			/* a compound page: the folio's head stands for it */
			large = true;
			pfn = pi.block_pfn;
			flags |= 1ull << PG_HEAD_BIT;
			names = "head|";
		}
		refcount = pfn == pi.block_pfn;
		if (hp && (hp->flags & PG_table) && pfn == pi.block_pfn)
			type = "f2(table)";
		struct object_info oi;
		slab_object_info(m, machine_pfn_to_vaddr(m, pi.block_pfn), &oi);
		if (oi.slab != SLAB_NONE && !oi.large && pfn == pi.block_pfn) {
			/* struct slab's freelist overlays page->index */
			const struct slab *s = &m->slab->slabs[oi.slab];
			type = "f5(slab)";
			if (s->freelist != SLAB_NONE)
				index = slab_object_addr(m, s, s->freelist);
		}
		break;
	}
	default:
		return;
	}
	int zone = pi.zone >= 0 ? m->zones[pi.zone].idx : 0;
	flags |= (uint64_t)zone << ZONES_PGSHIFT;
	dmesg_printf(m, "page: refcount:%d mapcount:0 mapping:0000000000000000 index:0x%llx pfn:0x%llx", refcount,
		     (ull)index, (ull)pfn);
	if (large)
		dmesg_printf(m, "head: order:%u mapcount:0 entire_mapcount:0 nr_pages_mapped:0 pincount:0", pi.order);
	dmesg_printf(m, "flags: 0x%llx(%snode=0|zone=%d)", (ull)flags, names, zone);
	if (type)
		dmesg_printf(m, "page_type: %s", type);
	dmesg_printf(m, "page dumped because: kasan: bad access detected");
}

static void print_address_description(struct machine *m, struct shadow_ctx *x, uint64_t addr, const char *bug)
{
	dump_stack(m);
	blank(m);
	uint64_t pfn, off;
	if (machine_vaddr_to_pfn(m, addr, &pfn, &off))
		return;
	describe_page(x, pfn);
	if (x->uniform == -1) {         /* kasan_addr_to_slab() */
		describe_object(m, x, addr, bug);
		blank(m);
	}
	struct page_info pi;
	buddy_page_info(m, pfn, &pi);
	if (pi.state == PS_FREE || pi.state == PS_ALLOCATED || pi.state == PS_RESERVED) {
		dmesg_printf(m, "The buggy address belongs to the physical page:");
		dump_page(m, pfn);
		blank(m);
	}
}

/* print_memory_metadata(): five rows of 16 shadow bytes, the middle one
 * holding the first bad address, and a caret under its granule */
static void print_memory_metadata(struct machine *m, struct shadow_ctx *x, uint64_t addr)
{
	uint64_t row = (addr & ~(uint64_t)(META_MEM_BYTES_PER_ROW - 1)) -
		       META_ROWS_AROUND_ADDR * META_MEM_BYTES_PER_ROW;
	dmesg_printf(m, "Memory state around the buggy address:");
	for (int i = -META_ROWS_AROUND_ADDR; i <= META_ROWS_AROUND_ADDR; i++) {
		char line[96];
		int n = snprintf(line, sizeof line, i == 0 ? ">%016llx: " : " %016llx: ", (ull)row);
		for (unsigned j = 0; j < META_BYTES_PER_ROW; j++)
			n += snprintf(line + n, sizeof line - (size_t)n, j ? " %02x" : "%02x",
				      shadow(x, row + j * KASAN_GRANULE_SIZE, false));
		dmesg_printf(m, "%s", line);
		if (row <= addr && addr < row + META_MEM_BYTES_PER_ROW) {
			/* meta_pointer_offset(): 3 + 16 hex digits, 3 per granule */
			int off = 3 + 16 + (int)((addr - row) / KASAN_GRANULE_SIZE) * 3 + 1;
			dmesg_printf(m, "%*c", off, '^');
		}
		row += META_MEM_BYTES_PER_ROW;
	}
}

/* report_enabled(): only the first bug unless kasan_multi_shot */
static bool report_enabled(struct machine *m)
{
	struct memstore *ms = mem_state(m);
	if (!ms || ms->multi_shot)
		return true;
	if (ms->reported)
		return false;
	ms->reported = true;
	return true;
}

bool kasan_check(struct machine *m, uint64_t addr, size_t len, bool write, struct mem_access_result *r)
{
	struct shadow_ctx x = { .m = m, .pfn = ~0ull };
	struct object_info oi;
	if (r->kind == MEM_SLAB) {
		slab_object_info(m, addr, &oi);
		if (oi.found && !oi.slob && oi.slab != SLAB_NONE && oi.index != ~0u) {
			const struct slab *s = &m->slab->slabs[oi.slab];
			x.anchored = true;
			x.anchor_end = oi.object_addr - m->slab->caches[s->cache].g.red_left_pad + s->size;
		}
	}
	const char *bug;
	uint64_t first_bad = addr;
	bool meta = addr_has_metadata(m, addr);
	if (!meta) {
		bug = wild_bug_type(m, addr);
	} else {
		if (!poisoned(&x, addr, len))
			return false;
		first_bad = first_bad_addr(&x, addr, len);
		bug = shadow_bug_type(&x, first_bad);
	}
	r->kasan_bug = bug;
	if (!report_enabled(m))
		return true;
	r->kasan_reported = true;

	bool tainted = m->taint != 0;
	dmesg_printf(m, "%s", report_rule);
	dmesg_printf(m, "BUG: KASAN: %s in %s", bug, report_ip);
	dmesg_printf(m, "%s of size %zu at addr %016llx by task kmemsh/1", write ? "Write" : "Read", len, (ull)addr);
	blank(m);
	if (meta) {
		print_address_description(m, &x, addr, bug);
		print_memory_metadata(m, &x, first_bad);
	} else {
		dump_stack(m);
	}
	dmesg_printf(m, "%s", report_rule);
	/* end_report(): add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE) */
	m->taint |= 1ul << TAINT_BAD_PAGE;
	if (!tainted)
		dmesg_printf(m, "Disabling lock debugging due to kernel taint");
	return true;
}
