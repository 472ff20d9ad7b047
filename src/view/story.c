/*
 * story.c - `set explain on`: the story of a vmalloc, vmap, vfree,
 * vunmap, ioremap, iounmap or kmap step, told as the numbered steps a
 * learner follows through mm/vmalloc.c, arch/x86/mm/ioremap.c and
 * mm/highmem.c, one sentence each.  The numbers come from the step's
 * result and its change log; the event-by-event explanation follows it
 * ("In detail").  Text only: JSON keeps its "explanation" array.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/highmem.h"
#include "kmemsh/i18n.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "view_int.h"

#define STORY_COLUMNS 78

struct story {
	struct out *o;
	unsigned n;                     /* steps told */
};

/* "   3. sentence", wrapped with a hanging indent */
static void step(struct story *st, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, _(fmt), ap);   /* fmt is a msgid (xgettext keyword) */
	va_end(ap);
	if (!st->n++)
		out_puts(st->o, _("  The story, step by step:\n"));
	const char *p = buf;
	bool first = true;
	while (*p) {
		size_t room = STORY_COLUMNS - 6, cut = view_wrap_cut(p, room);
		if (!cut) {
			cut = room;
			while (cut > 1 && ((unsigned char)p[cut] & 0xc0) == 0x80)
				cut--;          /* not inside a UTF-8 character (translations) */
		}
		if (first)
			out_printf(st->o, "  %2u. %.*s\n", st->n, (int)cut, p);
		else
			out_printf(st->o, "      %.*s\n", (int)cut, p);
		first = false;
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* the heading of the event-by-event explanation that follows, only when
 * the step's change log has something for it (session.c shows it then) */
static void end(struct story *st, const struct machine *m)
{
	if (st->n && (m->log.n || m->log.dropped))
		out_puts(st->o, _("  In detail:\n"));
}

static int hexw(const struct machine *m)
{
	return m->arch->bits == 64 ? 16 : 8;
}

/* What the step's change log holds, counted. */
struct tally {
	unsigned pt_tables, ptes_cleared, purged;
	unsigned pt_counted, pt_ptes;   /* of pt_tables: counted in PageTables, pte-level */
	unsigned ptes, huge, huge_cleared, pt_freed;    /* leaves written at the pte level / above it */
	uint64_t huge_size;             /* the size of a huge leaf written or cleared */
	unsigned pooled, decayed;       /* 6.13 node pools: areas kept by the purge, areas decayed */
	const struct change *pool_take; /* node_alloc() took the area from a pool */
	const struct change *plan;      /* 6.13 __purge_vmap_area_lazy()'s helpers (more than one node) */
	unsigned objs, objs_freed;
	char caches[160];               /* "kmalloc-64, vmap_area" in order of first use */
	int clip;                       /* fit type of the va_clip(), 0 none */
};

static void tally_log(const struct machine *m, struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < m->log.n; i++) {
		const struct change *c = &m->log.v[i];
		switch (c->kind) {
		case CH_PT_ALLOC:
			t->pt_tables++;
			t->pt_counted += pgtable_counts_as_pagetable(m, c->order);
			t->pt_ptes += m->pt && c->order + 1u == m->pt->g.levels;
			break;
		case CH_PTE_CLEAR:
			t->ptes_cleared++;
			if (m->pt && c->order + 1u < m->pt->g.levels && (c->old & _PAGE_PSE)) {
				t->huge_cleared++;
				t->huge_size = pt_level_size(&m->pt->g, c->order);
			}
			break;
		case CH_PTE_SET:
			if (m->pt && c->order + 1u == m->pt->g.levels) {
				t->ptes++;
			} else if (m->pt && (c->val & _PAGE_PSE)) {
				t->huge++;
				t->huge_size = pt_level_size(&m->pt->g, c->order);
			}
			break;
		case CH_PT_FREE: t->pt_freed++; break;
		case CH_VMAP_PURGE: t->purged++; break;
		case CH_VMAP_POOL:
			if (c->mt == VMAP_POOL_ADD)
				t->pooled++;
			else if (c->mt == VMAP_POOL_DECAY)
				t->decayed++;
			else if (c->mt == VMAP_POOL_TAKE)
				t->pool_take = c;
			else if (c->mt == VMAP_PURGE_PLAN)
				t->plan = c;
			break;
		case CH_VMAP_CLIP: t->clip = c->mt; break;
		case CH_OBJ_FREE: t->objs_freed++; break;
		case CH_OBJ_ALLOC: {
			t->objs++;
			const char *name = view_cache_name(m, c->cache);
			size_t len = strlen(t->caches);
			const char *hit = strstr(t->caches, name);
			bool seen = hit && (hit[strlen(name)] == ',' || !hit[strlen(name)]) &&
				    (hit == t->caches || hit[-1] == ' ');
			if (!seen && len + strlen(name) + 3 < sizeof t->caches)
				snprintf(t->caches + len, sizeof t->caches - len, "%s%s", len ? ", " : "", name);
			break;
		}
		default:
			break;
		}
	}
}

static const char *const fit_names[] = { "NOTHING_FIT", "FL_FIT_TYPE", "LE_FIT_TYPE", "RE_FIT_TYPE",
					 "NE_FIT_TYPE" };
static const char *const fit_words[] = {
	"", N_("the whole block was used and left the free tree"),
	N_("the block kept its upper part"), N_("the block kept its lower part"),
	N_("the block was split in two around it") };

/* The page-table pages a step took, and whether meminfo's PageTables
 * counts them: see pgtable_counts_as_pagetable() for each profile's
 * allocators. */
static void tables_clause(char *buf, size_t len, const struct tally *t)
{
	unsigned n = t->pt_tables;
	char why[200];
	if (!n) {
		snprintf(buf, len, _("into page tables that were already there"));
		return;
	}
	if (t->pt_counted == n)
		snprintf(why, sizeof why, n == 1 ? _("counted in PageTables: its allocator runs the page-table "
			 "constructor") : _("all counted in PageTables: their allocators run the page-table constructor"));
	else if (t->pt_counted)
		snprintf(why, sizeof why, _("%u of them counted in PageTables, those whose allocator runs the page-table "
			 "constructor; pte_alloc_one_kernel() runs none"), t->pt_counted);
	else if (t->pt_ptes == n)
		snprintf(why, sizeof why, _("not counted in PageTables: pte_alloc_one_kernel() runs no page-table "
			 "constructor"));
	else
		snprintf(why, sizeof why, _("not counted in PageTables: this kernel's allocators of kernel page tables "
			 "run no page-table constructor"));
	snprintf(buf, len, _("after taking %u page-table page%s from the buddy allocator for the table%s that "
		 "%s missing (%s)"), n, n == 1 ? "" : "s", n == 1 ? "" : "s", n == 1 ? "was" : "were", why);
}

static void story_vmalloc(struct story *st, const struct machine *m, const struct step_result *r)
{
	struct tally t;
	tally_log(m, &t);
	int w = hexw(m);
	bool vmap = !strcmp(r->fn, "vmap");
	unsigned long long bytes = r->u.vm.end - r->u.vm.start;
	char tab[400];
	if (vmap)
		step(st, "vmap() maps %u page%s the caller already has; it allocates none, it only needs %llu "
		     "bytes of kernel address space%s.", r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s", bytes,
		     r->u.vm.guard ? _(", the last page of it a guard page") : "");
	else
		step(st, "%s(%llu) rounds the size up to whole pages, %u of them, and asks for %llu bytes of kernel "
		     "address space%s.", r->fn, (ull)r->arg[0].u, r->u.vm.nr_pages, bytes,
		     r->u.vm.guard ? _(": one more page, the guard page, which is never mapped") : "");
	if (t.caches[0])
		step(st, "The area's bookkeeping comes from the slab allocator: the struct vm_struct that describes "
		     "it, the struct vmap_area that holds its place in the address space%s (%u object%s, from %s).",
		     vmap || !r->u.vm.nr_pages ? "" : _(" and the array of page pointers"), t.objs, t.objs == 1 ? "" : "s",
		     t.caches);
	if (view_old(m))
		step(st, "alloc_vmap_area() walked the areas in address order and took the first gap of %llu bytes "
		     "(first fit): 0x%0*llx-0x%0*llx, now in the busy rbtree and list.", bytes, w, (ull)r->u.vm.start,
		     w, (ull)r->u.vm.end);
	else if (t.pool_take)
		step(st, "alloc_vmap_area() asked node_alloc() first: this CPU's vmap node %llu kept, in its pool of "
		     "%llu-page areas, an area freed and purged earlier, 0x%0*llx-0x%0*llx, and it was taken as it was, "
		     "with its vmap_area: no search of the free tree, even if a lower free block would fit; the area "
		     "went into the busy tree of the node of its address.", (ull)t.pool_take->pfn,
		     (ull)((r->u.vm.end - r->u.vm.start) >> 12), w, (ull)r->u.vm.start, w, (ull)r->u.vm.end);
	else if (t.clip > 0 && t.clip < 5)
		step(st, "alloc_vmap_area() searched the free tree for the lowest free block that fits "
		     "(find_vmap_lowest_match(), guided by each subtree's largest free size) and cut 0x%0*llx-0x%0*llx "
		     "out of it: %s, %s; the area went into the busy tree.", w, (ull)r->u.vm.start, w,
		     (ull)r->u.vm.end, fit_names[t.clip], fit_words[t.clip][0] ? _(fit_words[t.clip]) : "");
	if (!vmap && r->u.vm.nr_huge) {
		/* 6.x kvmalloc's VM_ALLOW_HUGE_VMAP fallback (mm/vmalloc.c) */
		unsigned pmds = r->u.vm.nr_huge / 512;
		step(st, "VM_ALLOW_HUGE_VMAP and at least 2 MiB per node: __vmalloc_node_range() rounded the area to "
		     "2 MiB and aligned it to 2 MiB, and vm_area_alloc_pages() took %u order-9 block%s (the first at "
		     "pfn 0x%llx), split_page()d each into 512 order-0 pages that vfree() gives back one by one.",
		     pmds, pmds == 1 ? "" : "s", (ull)r->u.vm.pfn[0]);
	} else if (!vmap && r->u.vm.nr_pages) {
		char pfns[96] = "";
		for (unsigned i = 0; i < r->u.vm.nr_pfn && i < 4; i++) {
			size_t l = strlen(pfns);
			snprintf(pfns + l, sizeof pfns - l, "%s0x%llx", i ? ", " : "", (ull)r->u.vm.pfn[i]);
		}
		step(st, "__vmalloc_area_node() took the %u page%s %s (order 0 each, %s): pfn %s%s from %s; %s.",
		     r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s",
		     view_old(m) ? _("one at a time with alloc_page()") : _("from the page allocator's bulk path, page by "
		     "page"), !r->u.vm.highmem ? _("without __GFP_HIGHMEM, so never from HighMem") :
		     m->layout.pkmap_base ? _("with __GFP_HIGHMEM, so HighMem is tried first") :
		     _("with __GFP_HIGHMEM, which x86_64 ignores: it has no HighMem"), pfns,
		     r->u.vm.nr_pages > r->u.vm.nr_pfn ?
		     ", ..." : "", r->u.vm.zone >= 0 ? view_zone_name(m, r->u.vm.zone) : _("the zones"),
		     r->u.vm.nr_pages == 1 ? _("one page needs no neighbours") : r->u.vm.contiguous ?
		     _("they happen to be physically contiguous, which vmalloc never promises") :
		     _("they are scattered in physical memory, as vmalloc allows"));
	}
	tables_clause(tab, sizeof tab, &t);
	unsigned huge_pmds = r->u.vm.nr_huge / 512, ptes = r->u.vm.nr_pages - r->u.vm.nr_huge;
	if (huge_pmds)
		step(st, "vmap_pages_range() wrote %u huge PMD entr%s (PSE, 2 MiB each, no pte table under them) "
		     "and %u PTE%s, %s.", huge_pmds, huge_pmds == 1 ? "y" : "ies", ptes, ptes == 1 ? "" : "s", tab);
	else
		step(st, "%s wrote %u PTE%s, one per page, %s.", view_old(m) ? "map_vm_area()" : "vmap_pages_range()",
		     r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ? "" : "s", tab);
	char what[48];
	snprintf(what, sizeof what, r->u.vm.nr_pages == 1 ? _("one page, which is") : _("%u pages that are"),
		 r->u.vm.nr_pages);
	step(st, "The caller gets 0x%0*llx: %s contiguous in virtual addresses only%s.", w,
	     (ull)r->value.u, what, r->u.vm.guard ?
	     _("; an access past the end lands on the unmapped guard page and faults") : "");
}

/* 6.13 __purge_vmap_area_lazy(): the nodes shared with helper kworkers */
static void purge_helpers_step(struct story *st, const struct tally *t)
{
	const struct change *p = t->plan;
	if (!p || !p->pfn2)
		return;
	step(st, "With %llu lazy pages, %llu times lazy_max_pages(), the purge asked for %llu helper%s "
	     "(clamp(%llu, 1, %llu nodes) - 1): the first node%s in node order went to the kworker of the CPU "
	     "of the same number (schedule_work_on()), the purging task did the other node%s itself and then "
	     "waited for the helpers (flush_work()).", (ull)p->old, (ull)(p->old / p->val), (ull)p->pfn2,
	     p->pfn2 == 1 ? "" : "s", (ull)(p->old / p->val), (ull)p->pfn, p->pfn2 == 1 ? "" : "s",
	     p->pfn - p->pfn2 == 1 ? "" : "s");
}

static void story_vfree(struct story *st, const struct machine *m, const struct step_result *r)
{
	struct tally t;
	tally_log(m, &t);
	int w = hexw(m);
	bool pages = !strcmp(r->fn, "vfree") || !strcmp(r->fn, "kvfree");
	if (r->u.vm.deferred) {
		step(st, "vfree() was called in interrupt context, where it may not sleep, so vfree_atomic() only "
		     "queued the area on this CPU's list and scheduled a work item.");
		step(st, "The area stays mapped and its pages allocated until delayed_vfree_work() runs vfree() in "
		     "process context.");
		return;
	}
	step(st, "%s(0x%0*llx) found the area in the busy tree (remove_vm_area()).", r->fn, w, (ull)r->arg[0].u);
	step(st, "It cleared the area's %u PTE%s but did not flush the TLB: the flush is deferred to the purge.",
	     t.ptes_cleared, t.ptes_cleared == 1 ? "" : "s");
	if (pages)
		step(st, "It gave the %u page%s back to the buddy allocator one by one, then the page array and the "
		     "vm_struct back to the slab allocator (%u object%s freed).", r->u.vm.nr_pages, r->u.vm.nr_pages == 1 ?
		     "" : "s", t.objs_freed, t.objs_freed == 1 ? "" : "s");
	else
		step(st, "vunmap() frees no page: they belong to the caller, who mapped them with vmap(); only the "
		     "vm_struct went back to the slab allocator.");
	if (!t.purged && t.pooled)
		step(st, "The lazily freed areas now exceeded lazy_max_pages(), so purge_vmap_area_lazy() ran, with one "
		     "TLB flush over their whole range.");
	if (t.purged)
		step(st, "The lazily freed areas now exceeded lazy_max_pages(), so purge_vmap_area_lazy() ran: one TLB "
		     "flush over their whole range, and %u area%s went back to the free space%s.", t.purged,
		     t.purged == 1 ? "" : "s", view_old(m) ? "" : _(", merged with their free neighbours"));
	if (t.pooled)
		step(st, "%u area%s of at most 256 pages, allocated over the whole vmalloc range, went instead into the "
		     "pool of its size of the vmap node of the CPU that allocated it, to serve the next allocation "
		     "of that size there at once.", t.pooled, t.pooled == 1 ? "" : "s");
	purge_helpers_step(st, &t);
	if (t.decayed)
		step(st, "Before that, %u area%s left the node pools (decay_va_pool_node(): a quarter of each pool, "
		     "all of a pool of fewer than four) and went back to the free space.", t.decayed,
		     t.decayed == 1 ? "" : "s");
	if (!t.purged && !t.pooled && r->u.vm.lazy)
		step(st, "Its address range waits on the purge list (vmap_lazy_nr %llu of lazy_max_pages() %llu): it is "
		     "not reused until a purge flushes the TLB for all waiting areas at once.",
		     (ull)vmap_lazy_nr(m), (ull)vmap_lazy_max_pages(m));
}

static void story_io(struct story *st, const struct machine *m, const struct step_result *r)
{
	const struct io_result *io = &r->u.io;
	struct tally t;
	tally_log(m, &t);
	int w = hexw(m);
	unsigned pages = (unsigned)((io->end + 1 - io->start) >> 12);
	char tab[400];
	if (io->op == IO_IOREMAP) {
		if (io->direct) {
			/* 2.6.32 __ioremap_caller(): the ISA test comes before the RAM test */
			step(st, "2.6.32 never remaps the ISA range 0xa0000-0xfffff: it is always mapped in the direct "
			     "map, so %s() returns phys_to_virt(), 0x%0*llx, before it looks for RAM, and takes no "
			     "area.", r->fn, w, (ull)r->value.u);
			return;
		}
		step(st, "%s() first checks that [0x%llx-0x%llx] is no RAM the page allocator owns: ioremap maps "
		     "device memory, it never allocates memory.", r->fn, (ull)io->start, (ull)io->end);
		step(st, "It page-aligns the range (%u page%s) and reserves its memory type with %s(): %s%s%s.",
		     pages, pages == 1 ? "" : "s", view_old(m) ? "reserve_memtype" : "memtype_reserve",
		     ioremap_pcm_name(io->pcm), io->req != io->pcm ? _(", not the ") : "",
		     io->req != io->pcm ? ioremap_pcm_name(io->req) : "");
		if (io->req != io->pcm)
			step(st, "The %s that was asked for is not what the range got: %s() returned the type an "
			     "earlier mapping holds, and ioremap uses it.", ioremap_pcm_name(io->req),
			     view_old(m) ? "reserve_memtype" : "memtype_reserve");
		/* __get_vm_area_node(): align from the requested size, then
		 * size += PAGE_SIZE for the guard page */
		step(st, "get_vm_area_caller() takes a VM_IOREMAP area in the vmalloc space, 0x%0*llx-0x%0*llx, "
		     "aligned to %llu KiB: %s of the %u mapped page%s, clamped to PAGE_SIZE..IOREMAP_MAX_ORDER; "
		     "__get_vm_area_node() chooses the alignment before it adds the guard page, so the guard page "
		     "does not count. Its vm_struct and vmap_area come from %s.", w, (ull)io->va, w,
		     (ull)io->va_end, (ull)(ioremap_area_align(m, (uint64_t)pages << 12) >> 10),
		     view_old(m) ? "1 << fls(size)" : "1 << get_count_order_long(size)", pages, pages == 1 ? "" : "s",
		     t.caches[0] ? t.caches : _("the slab allocator"));
		tables_clause(tab, sizeof tab, &t);
		if (!t.huge) {
			step(st, "ioremap_page_range() writes %u PTE%s that point%s at the device's own physical pages, "
			     "with the cache bits of %s, %s.", pages, pages == 1 ? "" : "s", pages == 1 ? "s" : "",
			     ioremap_pcm_name(io->pcm), tab);
		} else {
			char sz[16];
			snprintf(sz, sizeof sz, "%lluM", (ull)(t.huge_size >> 20));
			if (t.huge_size >= 1ull << 30)
				snprintf(sz, sizeof sz, "%lluG", (ull)(t.huge_size >> 30));
			if (t.pt_freed)
				step(st, "Where a huge entry could go, an earlier mapping had left %u page-table page%s "
				     "below it: %s cleared the entry, flushed the TLB for its first page and gave the "
				     "page%s back to the buddy allocator.", t.pt_freed, t.pt_freed == 1 ? "" : "s",
				     t.huge_size >= 1ull << 30 ? "pud_free_pmd_page()" : "pmd_free_pte_page()",
				     t.pt_freed == 1 ? "" : "s");
			step(st, "ioremap_page_range() maps the range's %u page%s with %u %s huge entr%s (each "
			     "%s-aligned in both virtual and physical address, so vmap_try_huge_%s() may use it) and "
			     "%u PTE%s, all with the cache bits of %s (in a huge entry the PAT bit is bit 12), %s; a "
			     "huge entry needs no PTE table below it.", pages, pages == 1 ? "" : "s", t.huge,
			     sz, t.huge == 1 ? "y" : "ies", sz, t.huge_size >= 1ull << 30 ? "pud" : "pmd", t.ptes,
			     t.ptes == 1 ? "" : "s", ioremap_pcm_name(io->pcm), tab);
		}
		step(st, "No page of memory was allocated for the mapping itself; the caller gets 0x%0*llx, an "
		     "__iomem cookie to read and write only with readl()/writel() and friends.", w, (ull)r->value.u);
		return;
	}
	if (io->op == IO_IOUNMAP && io->direct) {
		step(st, "2.6.32's iounmap() returns at once for an address in the ISA range 0xa0000-0xfffff: "
		     "ioremap() handed out the direct-map address there, so no area, PTE or memory type was set up "
		     "and there is nothing to undo.");
		return;
	}
	if (io->op == IO_IOUNMAP) {
		step(st, "iounmap() finds the ioremap area and frees its memory-type reservation.");
		if (t.huge_cleared)
			step(st, "It clears the area's %u huge entr%s whole (pmd_clear_huge()/pud_clear_huge()) and "
			     "%u PTE%s, and frees the area and its vm_struct; no memory page is freed, because none "
			     "was allocated.", t.huge_cleared, t.huge_cleared == 1 ? "y" : "ies",
			     t.ptes_cleared - t.huge_cleared, t.ptes_cleared - t.huge_cleared == 1 ? "" : "s");
		else
			step(st, "It clears the area's %u PTE%s and frees the area and its vm_struct; no memory page is "
			     "freed, because none was allocated.", t.ptes_cleared, t.ptes_cleared == 1 ? "" : "s");
		purge_helpers_step(st, &t);
	}
}

static void story_kmap(struct story *st, const struct machine *m, const struct step_result *r)
{
	const struct kmap_result *k = &r->u.kmap;
	int w = hexw(m);
	bool unmap = !strncmp(r->fn, "kunmap", 6);
	bool persistent = !strcmp(r->fn, "kmap") || !strcmp(r->fn, "kunmap");
	if (!k->highmem) {
		step(st, "The page at pfn 0x%llx is %s: it has a permanent kernel address in the direct map, so %s() "
		     "%s.", (ull)k->pfn, m->layout.pkmap_base ? _("lowmem") : _("in the direct map (x86_64 has no HighMem)"),
		     r->fn, unmap ? _("has nothing to undo") : _("returns page_address() and writes no PTE"));
		return;
	}
	if (persistent && !unmap) {
		step(st, "The page at pfn 0x%llx is HighMem: it has no kernel address until something maps it.",
		     (ull)k->pfn);
		if (k->reused) {
			step(st, "It is already mapped at PKMAP slot %u, so kmap_high() only counts one more user "
			     "(pkmap_count %d).", k->nr, k->count);
		} else {
			if (k->flushed)
				step(st, "The scan of pkmap_count[] wrapped around, so flush_all_zero_pkmaps() first "
				     "unmapped every slot nobody uses any more (count 1) and flushed the TLB once.");
			step(st, "map_new_virtual() took the next free PKMAP slot, %u, and wrote its PTE: the page is "
			     "at 0x%0*llx, pkmap_count %d (1 for the mapping, 1 per user).", k->nr, w, (ull)k->addr,
			     k->count);
		}
		step(st, "kmap() may sleep (when all slots are busy it waits for a kunmap()), so it is for process "
		     "context only; the mapping lasts until kunmap().");
		return;
	}
	if (persistent) {
		step(st, "kunmap() drops one user of PKMAP slot %u: pkmap_count is now %d.", k->nr, k->count);
		step(st, "At 1 the slot stays mapped and is not reused yet: its PTE and TLB entry are cleared only when "
		     "a later kmap() wraps around and flush_all_zero_pkmaps() runs.");
		return;
	}
	if (!unmap) {
		step(st, "The page at pfn 0x%llx is HighMem, so %s() maps it at this CPU's %s: fixmap slot %u, 0x%0*llx.",
		     (ull)k->pfn, r->fn, view_old(m) ? _("slot for the km_type given") : _("next kmap_local slot"), k->nr, w,
		     (ull)k->addr);
		step(st, "It writes that slot's PTE%s; the mapping is private to this CPU and never sleeps.",
		     !strcmp(r->fn, "kmap_atomic") ? _(" and disables preemption and page faults until the unmap") :
		     _(" and disables migration (preemption stays on)"));
		return;
	}
	step(st, "%s() clears the slot's PTE and flushes that one TLB entry%s.", r->fn,
	     view_old(m) ? "" : _("; slots are a stack, so the last one mapped must go first"));
}

void view_story(struct out *o, const struct machine *m, const struct step_result *r)
{
	struct story st = { o, 0 };
	if (o->json || !r->fn)
		return;
	switch (r->kind) {
	case RESULT_VMALLOC:
		if (r->u.vm.end > r->u.vm.start)
			story_vmalloc(&st, m, r);
		break;
	case RESULT_VFREE:
		story_vfree(&st, m, r);
		break;
	case RESULT_PURGE: {
		struct tally t;
		tally_log(m, &t);
		/* 6.13: an area the purge keeps in its node's pool is purged
		 * too (CH_VMAP_POOL ADD instead of CH_VMAP_PURGE) */
		unsigned purged = t.purged + t.pooled;
		if (!purged) {
			step(&st, "No area waits on the purge list: there is nothing to flush.");
			break;
		}
		step(&st, "%s() does not wait for lazy_max_pages(): it purges now.", r->fn);
		step(&st, "One TLB flush covers the whole range of the %u lazily freed area%s, instead of one flush "
		     "per vfree()/vunmap().", purged, purged == 1 ? "" : "s");
		if (t.purged)
			step(&st, "The areas' address ranges go back to the free space%s, so they can be handed out again.",
			     view_old(m) ? _(" (they leave the vmap_area rbtree)") :
					   _(", merged with the free blocks next to them"));
		purge_helpers_step(&st, &t);
		if (t.pooled)
			step(&st, "Areas allocated over the whole vmalloc range and at most 256 pages long (%u here) go "
			     "into the pool of their size of their vmap node instead (purge_vmap_node()), ready for the "
			     "next allocation of that size on that node's CPU.", t.pooled);
		break;
	}
	case RESULT_IO:
		story_io(&st, m, r);
		break;
	case RESULT_KMAP:
		story_kmap(&st, m, r);
		break;
	default:
		break;
	}
	end(&st, m);
}
