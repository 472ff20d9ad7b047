/*
 * result.c - the result line of a step: "call = value  [note]", or one
 * JSON object {"call", "result", "kind", "note"}.
 *
 * A handler describes what its kernel call did as values (struct
 * step_result in view.h); this file turns them into words, and only when
 * the runner will print them.  The call is rebuilt from its typed
 * arguments (a gfp_t is printed as the kernel prints it), the value as the
 * kernel's C would show it (NULL for a failed allocation), and the note
 * from the details of the result's kind: the block and zone for the page
 * allocator, the object and cache for the slab layer, and the model's own
 * message for a NULL result.  One note function per kind, in one table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/context.h"
#include "kmemsh/gfp.h"
#include "kmemsh/highmem.h"
#include "kmemsh/slab.h"
#include "kmemsh/memview.h"
#include "view_int.h"

#define PAGE_SHIFT 12

/* A line being built: appends are clamped to the buffer, which is a C
 * string only once line_str() ends it. */
struct line {
	char *p;
	size_t n, cap;
};

/* what does not fit is cut (out of line: a line of a step is far shorter
 * than its buffer, and the clamp in the way made GCC copy every constant
 * piece a byte at a time) */
static __attribute__((noinline, cold)) void put_clamped(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - 1 - l->n)
		n = l->cap - 1 - l->n;
	memcpy(l->p + l->n, s, n);
	l->n += n;
}

static inline void put(struct line *l, const char *s, size_t n)
{
	if (__builtin_expect(n > l->cap - 1 - l->n, 0)) {
		put_clamped(l, s, n);
		return;
	}
	memcpy(l->p + l->n, s, n);
	l->n += n;
}

static inline const char *line_str(struct line *l)
{
	l->p[l->n] = '\0';
	return l->p;
}

static inline void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* the room put_dec() and put_hex() write in without a clamp: the most
 * digits of a uint64_t, "0x" and a byte to spare */
#define NUM_ROOM 24

static void put_dec(struct line *l, uint64_t u)
{
	if (u < 10000 && __builtin_expect(l->cap - 1 - l->n >= NUM_ROOM, 1)) {
		/* an order, a size, an object's index: no loop */
		l->n = (size_t)(view_dec4(l->p + l->n, (unsigned)u) - l->p);
		return;
	}
	char d[NUM_ROOM];
	size_t i = sizeof d;
	do
		d[--i] = (char)('0' + u % 10);
	while (u /= 10);
	put(l, d + i, sizeof d - i);
}

/* printf's %#llx: 0x1f, and 0 for zero */
static void put_hex(struct line *l, uint64_t u)
{
	if (!u) {
		put(l, "0", 1);
		return;
	}
	int nd = view_hex_digits(u);
	if (__builtin_expect(l->cap - 1 - l->n >= NUM_ROOM, 1)) {
		/* straight into the line */
		memcpy(l->p + l->n, "0x", 2);
		l->n = (size_t)(view_hex_at(l->p + l->n + 2, u, nd) - l->p);
		return;
	}
	char h[2 + 16];
	memcpy(h, "0x", 2);
	view_hex_at(h + 2, u, nd);
	put(l, h, 2 + (size_t)nd);
}

static void lprintf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lprintf(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->p + l->n, l->cap - l->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->n += (size_t)n < l->cap - l->n ? (size_t)n : l->cap - 1 - l->n;
}

/* ---- values ---------------------------------------------------------------------- */

static const char *const kind_names[] = {
	[V_NONE] = "none", [V_NUM] = "number", [V_ADDR] = "address", [V_PAGE] = "page", [V_PFN] = "pfn",
	[V_PHYS] = "phys",
};

const char *view_value_kind_name(enum val_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "none";
}

static void put_value(struct line *l, const struct value *v)
{
	switch (v->kind) {
	case V_NONE: puts_(l, "void"); break;
	case V_NUM: put_dec(l, v->u); break;
	case V_PFN: case V_PHYS: put_hex(l, v->u); break;
	case V_ADDR:
	case V_PAGE:
		if (v->u)
			put_hex(l, v->u);
		else
			puts_(l, "NULL");
		break;
	}
}

void view_var(struct out *o, const char *name, const struct value *v)
{
	if (o->json) {
		out_puts(o, "{\"var\":");
		out_json_str(o, name);
		out_puts(o, ",\"kind\":");
		out_json_str(o, view_value_kind_name(v->kind));
		out_printf(o, ",\"value\":\"%#llx\"}\n", (ull)v->u);
		return;
	}
	out_printf(o, "$%-16s %-8s %#llx\n", name, view_value_kind_name(v->kind), (ull)v->u);
}

/* ---- the call --------------------------------------------------------------------- */

static void put_call(struct line *l, const struct machine *m, const struct step_result *r)
{
	puts_(l, r->fn);
	if (strchr(r->fn, ' '))
		return;                 /* a statement: current->flags |= PF_MEMALLOC */
	put(l, "(", 1);
	for (unsigned i = 0; i < r->nargs; i++) {
		const struct call_arg *a = &r->arg[i];
		if (i)
			put(l, ", ", 2);
		switch (a->kind) {
		case CA_DEC: put_dec(l, a->u); break;
		case CA_HEX: put_hex(l, a->u); break;
		case CA_NAME: puts_(l, a->s); break;
		case CA_STRING:
			put(l, "\"", 1);
			puts_(l, a->s);
			put(l, "\"", 1);
			break;
		case CA_GFP: {
			char g[256];
			int n = gfp_format(m->kp, (gfp_t)a->u, g, sizeof g);
			if (n == 0)
				put(l, "0", 1);
			else if ((size_t)n < sizeof g)
				put(l, g, (size_t)n);
			else
				puts_(l, g);
			break;
		}
		}
	}
	put(l, ")", 1);
}

/* ---- notes, one per kind ------------------------------------------------------------ */

typedef void note_fn(struct line *l, const struct machine *m, const struct step_result *r);

static void note_block(struct line *l, const struct machine *m, const struct step_result *r)
{
	int z = machine_pfn_zone(m, r->u.block.pfn);
	puts_(l, "pfn ");
	put_hex(l, r->u.block.pfn);
	put(l, ", ", 2);
	puts_(l, z < 0 ? "no zone" : m->zones[z].label);
	puts_(l, ", order ");
	put_dec(l, r->u.block.order);
	if (r->u.block.highmem_masked)
		puts_(l, "; __GFP_HIGHMEM masked off as get_free_pages() does");
}

static void note_no_page(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	puts_(l, r->reason ? r->reason : "");
}

static void note_free_null(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	(void)r;
	puts_(l, "addr 0: free_pages() does nothing");
}

static void note_page_address(struct line *l, const struct machine *m, const struct step_result *r)
{
	if (r->value.u && highmem_page(m, r->u.block.pfn))
		lprintf(l, "pfn %#llx is highmem, kmapped: its PKMAP address (set_page_address())", (ull)r->u.block.pfn);
	else if (r->value.u)
		lprintf(l, "pfn %#llx, direct map: PAGE_OFFSET + (pfn << PAGE_SHIFT)", (ull)r->u.block.pfn);
	else
		lprintf(l, "pfn %#llx is highmem: no permanent kernel mapping (use kmap)", (ull)r->u.block.pfn);
}

static void note_page_to_pfn(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	lprintf(l, "%llu; physical address %#llx", (ull)r->u.block.pfn, (ull)(r->u.block.pfn << PAGE_SHIFT));
}

static void note_pfn_to_page(struct line *l, const struct machine *m, const struct step_result *r)
{
	lprintf(l, "%s + %llu * sizeof(struct page) (%u bytes)", m->arch->vmemmap_base ? "vmemmap" : "mem_map",
		(ull)r->u.block.pfn, m->struct_page_size);
}

static void note_virt_to_page(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	puts_(l, "pfn ");
	put_hex(l, r->u.block.pfn);
}

static void note_object(struct line *l, const struct machine *m, const struct step_result *r)
{
	const struct object_info *oi = &r->u.object.oi;
	uint64_t addr = r->u.object.addr;
	if (addr == ZERO_SIZE_PTR) {
		puts_(l, "ZERO_SIZE_PTR: kmalloc(0) hands out no memory");
	} else if (!addr) {
		puts_(l, r->reason && *r->reason ? r->reason : "allocation failed");
	} else if (oi->large) {
		lprintf(l, "above the largest kmalloc cache: order-%u pages at pfn %#llx from the page allocator",
			oi->large_order, (ull)oi->slab_pfn);
	} else if (oi->slob && oi->index != ~0u) {
		lprintf(l, "SLOB block of %u units (%u bytes) at unit %u of the page at pfn %#llx%s%s", oi->slob_units,
			oi->slob_units * 2, oi->index, (ull)oi->slab_pfn,
			oi->cache >= 0 ? ", cache " : ", kmalloc with a size header",
			oi->cache >= 0 ? m->slab->caches[oi->cache].name : "");
	} else if (oi->found && oi->index != ~0u) {
		puts_(l, m->slab->caches[oi->cache].name);
		puts_(l, ", object ");
		put_dec(l, oi->index);
		puts_(l, " of the slab at pfn ");
		put_hex(l, oi->slab_pfn);
	}
	if (r->u.object.same)
		puts_(l, "; it still fits: same object");
}

static void note_kfree_noop(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	lprintf(l, "kfree(%s) does nothing", r->u.object.addr ? "ZERO_SIZE_PTR" : "NULL");
}

static void note_mul_overflow(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	(void)r;
	puts_(l, "n * size overflows size_t: check_mul_overflow() makes it return NULL");
}

static void note_ksize(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	(void)r;
	puts_(l, "the usable size of the object");
}

static void note_slab_range(struct line *l, const struct machine *m, const struct step_result *r)
{
	char where[512];
	view_slab_range(m, r->u.range.addr, r->u.range.len, where, sizeof where);
	puts_(l, where);
	/* a use-after-free or an overflow that nothing checks: say so */
	struct object_info oi;
	slab_object_info(m, r->u.range.addr, &oi);
	if (!oi.found || oi.large || oi.slob || oi.cache < 0)
		return;
	const struct kmem_cache *c = &m->slab->caches[oi.cache];
	bool outside = oi.offset < 0 || (uint64_t)oi.offset + r->u.range.len > c->g.object_size;
	if ((oi.allocated && !outside) || (c->flags & (SLAB_POISON_F | SLAB_RED_ZONE_F)))
		return;
	lprintf(l, "; nothing checks this %s here: %s", oi.allocated ? "overflow" : "use-after-free",
		m->slab->impl == SLAB_IMPL_SLUB ? "--slub-debug would report it" :
		m->slab->impl == SLAB_IMPL_SLAB ? "--debug-slab would report it" : "SLOB has no checks");
}

static void note_cache_created(struct line *l, const struct machine *m, const struct step_result *r)
{
	const struct kmem_cache *c = &m->slab->caches[r->u.cache];
	if (m->slab->impl == SLAB_IMPL_SLOB)
		lprintf(l, "SLOB: %u-byte blocks aligned to %u from the shared SLOB pages; the cache's struct is "
			"SLOB memory too", c->g.size, c->g.align);
	else
		lprintf(l, "objects of %u bytes, %u per slab of %u page%s", c->g.size, c->g.objects,
			1u << c->g.order, c->g.order ? "s" : "");
}

static void note_slabs_freed(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	lprintf(l, "%llu slab%s given back to the buddy allocator", (ull)r->u.slabs_freed,
		r->u.slabs_freed == 1 ? "" : "s");
}

static void note_translate(struct line *l, const struct machine *m, const struct step_result *r)
{
	lprintf(l, "pfn %#llx; ", (ull)(r->u.xlate.phys >> 12));
	if (r->u.xlate.image)
		lprintf(l, "kernel image mapping: %#llx - __START_KERNEL_map %#llx + phys_base 0",
			(ull)r->u.xlate.va, (ull)m->layout.start_kernel_map);
	else
		lprintf(l, "direct map: %#llx - PAGE_OFFSET %#llx = %#llx", (ull)r->u.xlate.va,
			(ull)m->layout.page_offset, (ull)r->u.xlate.phys);
}

static void note_valid(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	puts_(l, r->reason ? r->reason : "");
}

static void note_mem(struct line *l, const struct machine *m, const struct step_result *r)
{
	char buf[256];
	view_mem_where(m, &r->u.mem.res, r->u.mem.addr, r->u.mem.len, buf, sizeof buf);
	puts_(l, buf);
}

static void put_pfns(struct line *l, const struct step_result *r)
{
	for (unsigned i = 0; i < r->u.vm.nr_pfn; i++)
		lprintf(l, "%s%#llx", i ? " " : "", (ull)r->u.vm.pfn[i]);
	if (r->u.vm.nr_pages > r->u.vm.nr_pfn)
		puts_(l, " ...");
}

static void note_vmalloc(struct line *l, const struct machine *m, const struct step_result *r)
{
	if (!r->value.u) {
		puts_(l, r->reason && *r->reason ? r->reason : "allocation failed");
		return;
	}
	lprintf(l, "vmap area %#llx-%#llx (%llu bytes%s); %u page%s at pfn ", (ull)r->u.vm.start, (ull)r->u.vm.end,
		(ull)(r->u.vm.end - r->u.vm.start), r->u.vm.guard ? " with the guard page" : ", no guard page",
		r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s");
	put_pfns(l, r);
	if (r->u.vm.zone >= 0 && r->u.vm.zone < m->nr_zones)
		lprintf(l, " (%s)", m->zones[r->u.vm.zone].label);
	if (r->u.vm.nr_pages > 1)
		puts_(l, r->u.vm.contiguous ? ", physically contiguous by chance" : ", physically scattered");
	unsigned ptes = r->u.vm.nr_pages - r->u.vm.nr_huge, pmds = r->u.vm.nr_huge / 512;
	if (pmds)
		lprintf(l, "; %u huge PMD entr%s written (2M pages of split order-9 blocks)", pmds,
			pmds == 1 ? "y" : "ies");
	if (ptes || !pmds)
		lprintf(l, "; %u PTE%s written", ptes, ptes == 1 ? "" : "s");
	if (r->u.vm.vpages)
		puts_(l, "; the pages array is vmalloc'ed too");
}

static void note_vfree(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	if (r->u.vm.deferred) {
		lprintf(l, "vmap area %#llx-%#llx: in %s context vfree() defers to vfree_atomic(): nothing freed "
			"yet, the work frees it when the task can be scheduled", (ull)r->u.vm.start, (ull)r->u.vm.end,
			context_kind_name(m->ctx.kind));
		return;
	}
	unsigned ptes = r->u.vm.nr_pages - r->u.vm.nr_huge, pmds = r->u.vm.nr_huge / 512;
	lprintf(l, "vmap area %#llx-%#llx: ", (ull)r->u.vm.start, (ull)r->u.vm.end);
	if (pmds)
		lprintf(l, "%u huge PMD entr%s%s", pmds, pmds == 1 ? "y" : "ies", ptes ? " and " : "");
	if (ptes || !pmds)
		lprintf(l, "%u PTE%s", ptes, ptes == 1 ? "" : "s");
	puts_(l, " cleared");
	if (r->u.vm.nr_pfn)
		lprintf(l, ", %u page%s freed", r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s");
	puts_(l, r->u.vm.lazy ? "; the area waits on the purge list (TLB flush deferred)"
	      : "; the lazy areas were purged");
}

static void note_vmalloc_to(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	if (!r->value.u && r->value.kind == V_PAGE)
		puts_(l, r->reason ? r->reason : "not mapped");
	else
		lprintf(l, "pfn %#llx, found by walking the page tables", (ull)r->u.vm.pfn[0]);
}

static void note_purge(struct line *l, const struct machine *m, const struct step_result *r)
{
	(void)m;
	lprintf(l, "%u lazily freed area%s purged", r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s");
}

static void note_io(struct line *l, const struct machine *m, const struct step_result *r)
{
	char buf[512];
	view_io_note(m, r, buf, sizeof buf);
	puts_(l, buf);
}

/* "; preempt_count 0x1, irqs off" */
static void put_context(struct line *l, const struct machine *m)
{
	const struct context_state *c = &m->ctx;
	lprintf(l, "preempt_count %#x", c->preempt_count);
	if (c->irqs_disabled)
		puts_(l, ", irqs off");
	if (c->rcu_depth)
		lprintf(l, ", RCU depth %d", c->rcu_depth);
	if (c->nlocks) {
		puts_(l, ", holding");
		for (unsigned i = 0; i < c->nlocks; i++)
			lprintf(l, " %s", c->lock[i].name);
	}
	if (c->pf_memalloc)
		puts_(l, ", PF_MEMALLOC");
	if (!context_may_sleep(m))
		puts_(l, ": atomic, may not sleep");
}

static void put_users(struct line *l, int count)
{
	if (count <= 0)
		lprintf(l, "pkmap_count %d: unused", count);
	else if (count == 1)
		puts_(l, "pkmap_count 1: no user, the pte stays until the next wrap's flush_all_zero_pkmaps()");
	else
		lprintf(l, "pkmap_count %d: %d user%s", count, count - 1, count == 2 ? "" : "s");
}

static void note_kmap(struct line *l, const struct machine *m, const struct step_result *r)
{
	const struct kmap_result *k = &r->u.kmap;
	bool unmap = r->fn && r->fn[0] == 'k' && r->fn[1] == 'u';
	bool pkmap = r->fn && (!strcmp(r->fn, "kmap") || !strcmp(r->fn, "kunmap"));
	if (!k->highmem) {
		if (m->layout.pkmap_base)
			lprintf(l, "pfn %#llx is lowmem: %s", (ull)k->pfn,
				unmap ? "nothing was mapped" : "page_address(), no pte written");
		else
			lprintf(l, "pfn %#llx: no HighMem on this machine, %s", (ull)k->pfn,
				unmap ? "nothing to undo" : "kmap is page_address()");
	} else if (pkmap && !unmap) {
		if (k->reused)
			lprintf(l, "pfn %#llx already mapped at PKMAP slot %u: ", (ull)k->pfn, k->nr);
		else
			lprintf(l, "pfn %#llx (HighMem) mapped at PKMAP slot %u (kmap_prot): ", (ull)k->pfn, k->nr);
		put_users(l, k->count);
		if (k->flushed)
			puts_(l, "; the scan wrapped: flush_all_zero_pkmaps() cleared the unused slots and flushed the TLB");
	} else if (pkmap) {
		lprintf(l, "PKMAP slot %u: ", k->nr);
		put_users(l, k->count);
	} else {
		unsigned cpu = machine_this_cpu(m);
		lprintf(l, "pfn %#llx %s ", (ull)k->pfn, unmap ? "unmapped from" : "(HighMem) mapped at");
		if (k->type >= 0)
			lprintf(l, "CPU %u's %s slot", cpu, highmem_km_type_name(k->type));
		else
			lprintf(l, "CPU %u's kmap_local slot %u", cpu, k->nr);
		unsigned per = m->layout.kconfig ? m->layout.kconfig->km_type_nr : 16;
		lprintf(l, " (FIX_KMAP_BEGIN + %u)", k->nr + per * cpu);
		if (unmap)
			puts_(l, ", TLB entry flushed");
		if (r->reason && *r->reason)
			lprintf(l, "; %s", r->reason);
	}
	if (m->ctx.preempt_count || m->ctx.irqs_disabled) {
		puts_(l, "; ");
		put_context(l, m);
	}
}

static void note_context(struct line *l, const struct machine *m, const struct step_result *r)
{
	if (r->reason && *r->reason)
		lprintf(l, "%s; ", r->reason);
	lprintf(l, "%s context, ", context_kind_name(m->ctx.kind));
	put_context(l, m);
}


static note_fn *const notes[NR_RESULT_KINDS] = {
	[RESULT_VMALLOC] = note_vmalloc,
	[RESULT_VFREE] = note_vfree,
	[RESULT_VMALLOC_TO] = note_vmalloc_to,
	[RESULT_PURGE] = note_purge,
	[RESULT_BLOCK] = note_block,
	[RESULT_NO_PAGE] = note_no_page,
	[RESULT_FREE_NULL] = note_free_null,
	[RESULT_PAGE_ADDRESS] = note_page_address,
	[RESULT_PAGE_TO_PFN] = note_page_to_pfn,
	[RESULT_PFN_TO_PAGE] = note_pfn_to_page,
	[RESULT_VIRT_TO_PAGE] = note_virt_to_page,
	[RESULT_OBJECT] = note_object,
	[RESULT_KFREE_NOOP] = note_kfree_noop,
	[RESULT_MUL_OVERFLOW] = note_mul_overflow,
	[RESULT_KSIZE] = note_ksize,
	[RESULT_SLAB_RANGE] = note_slab_range,
	[RESULT_CACHE_CREATED] = note_cache_created,
	[RESULT_SLABS_FREED] = note_slabs_freed,
	[RESULT_TRANSLATE] = note_translate,
	[RESULT_VALID] = note_valid,
	[RESULT_MEM] = note_mem,
	[RESULT_IO] = note_io,
	[RESULT_KMAP] = note_kmap,
	[RESULT_CONTEXT] = note_context,
};

/* ---- the line ----------------------------------------------------------------------- */

void view_result(struct out *o, const struct machine *m, const struct step_result *r)
{
	if (!r->fn)
		return;
	char cbuf[2048], nbuf[1024];
	struct line call = { cbuf, 0, sizeof cbuf }, note = { nbuf, 0, sizeof nbuf };
	cbuf[0] = nbuf[0] = '\0';
	put_call(&call, m, r);
	if ((unsigned)r->kind < NR_RESULT_KINDS && notes[r->kind])
		notes[r->kind](&note, m, r);

	if (o->json) {
		char vbuf[32];
		struct line val = { vbuf, 0, sizeof vbuf };
		vbuf[0] = '\0';
		put_value(&val, &r->value);
		out_puts(o, "{\"call\":");
		out_json_str(o, line_str(&call));
		out_puts(o, ",\"result\":");
		out_json_str(o, line_str(&val));
		out_puts(o, ",\"kind\":");
		out_json_str(o, view_value_kind_name(r->value.kind));
		if (note.n) {
			out_puts(o, ",\"note\":");
			out_json_str(o, line_str(&note));
		}
		out_puts(o, "}\n");
		return;
	}
	/* the call line, with the value coloured: green, or red for NULL */
	const struct value *v = &r->value;
	bool ok = v->u || v->kind == V_NONE || v->kind == V_NUM || v->kind == V_PFN || v->kind == V_PHYS;
	if (v->kind == V_NONE && strchr(r->fn, ' '))
		goto note;              /* a statement has no value */
	put(&call, " = ", 3);
	if (o->color)
		puts_(&call, ok ? "\033[1;32m" : "\033[1;31m");
	put_value(&call, v);
	if (o->color)
		puts_(&call, "\033[0m");
note:
	if (note.n) {
		put(&call, "  [", 3);
		put(&call, nbuf, note.n);
		put(&call, "]", 1);
	}
	put(&call, "\n", 1);
	out_write(o, cbuf, call.n);
}
