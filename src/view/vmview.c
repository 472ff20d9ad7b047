/*
 * vmview.c - the virtual side of the machine: `show layout` (the address
 * map as a table and a fixed-width picture), `walk` (one translation level
 * by level), `whatis`, and the change-log lines of page-table events (an
 * entry written or cleared, a table page allocated, a large page split, a
 * TLB flush), with the direct-map note that allocation steps carry.
 *
 * Entry flags are decoded in the columns of the kernel's ptdump
 * (arch/x86/mm/dump_pagetables.c printk_prot()).
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/highmem.h"
#include "kmemsh/i18n.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/layout.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/whatis.h"
#include "view_int.h"

static const char *const level_names[PTL_NR] = { "pgd", "p4d", "pud", "pmd", "pte" };

const char *view_level_name(enum pt_level l)
{
	return (unsigned)l < PTL_NR ? level_names[l] : "?";
}

/*
 * An entry's bits in ptdump's columns.  Bit 12 is _PAGE_PAT_LARGE only in a
 * leaf (PSE) pmd/pud; in an entry that points to a table it is part of the
 * table's address (ptdump never meets those: note_page() sees only leaves).
 */
void view_prot_text(char *buf, size_t len, uint64_t pr, enum pt_level level)
{
	if (!(pr & _PAGE_PRESENT)) {
		snprintf(buf, len, "%s", "not present");
		return;
	}
	snprintf(buf, len, "%s%s%s%s%s%s%s%s", pr & _PAGE_USER ? "USR " : "    ", pr & _PAGE_RW ? "RW " : "ro ",
		 pr & _PAGE_PWT ? "PWT " : "    ", pr & _PAGE_PCD ? "PCD " : "    ",
		 level <= PTL_PMD && (pr & _PAGE_PSE) ? "PSE " : "    ",
		 (level == PTL_PTE && (pr & _PAGE_PAT)) ||
		 ((level == PTL_PMD || level == PTL_PUD) && (pr & _PAGE_PSE) && (pr & _PAGE_PAT_LARGE)) ? "PAT " : "    ",
		 pr & _PAGE_GLOBAL ? "GLB " : "    ", pr & _PAGE_NX ? "NX" : "x ");
}

/* "4K", "2M", "1G", "512G" */
static const char *size_text(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "BKMGTPE";
	const char *u = units;
	while (size && !(size & 1023) && u[1]) {
		size >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%c", (ull)size, *u);
	return buf;
}

/* "887.99M": the largest unit, two decimals unless exact */
static const char *size_approx(char *buf, size_t len, uint64_t size)
{
	static const char units[] = "BKMGTPE";
	int u = 0;
	while (u < 6 && size >> (10 * (u + 1)))
		u++;
	uint64_t unit = 1ull << (10 * u);
	if (size % unit == 0)
		snprintf(buf, len, "%llu%c", (ull)(size / unit), units[u]);
	else
		snprintf(buf, len, "%.2f%c", (double)size / (double)unit, units[u]);
	return buf;
}

static int hexw(const struct machine *m)
{
	return m->arch->bits == 64 ? 16 : 8;
}

/* ---- change-log events ----------------------------------------------------- */

bool view_is_pt_event(enum change_kind k)
{
	return k == CH_PT_ALLOC || k == CH_PT_FREE || k == CH_PTE_SET || k == CH_PTE_CLEAR || k == CH_PT_SPLIT || k == CH_TLB_FLUSH ||
	       k == CH_VMAP_CLIP || k == CH_VMAP_INSERT || k == CH_VMAP_LAZY || k == CH_VMAP_PURGE ||
	       k == CH_VFREE_DEFER || k == CH_VFREE_WORK || k == CH_VMAP_POOL;
}

static const char *const fit_names[] = { "NOTHING_FIT", "FL_FIT_TYPE", "LE_FIT_TYPE", "RE_FIT_TYPE", "NE_FIT_TYPE" };

static const char *fit_name(unsigned t)
{
	return t < 5 ? fit_names[t] : "?";
}

static const char *purger_name(uint32_t by)
{
	return by == VMAP_PURGER_DRAIN ? "drain_vmap_area_work() (lazy pages past lazy_max_pages())" :
	       by == VMAP_PURGER_ALLOC ? "reclaim_and_purge_vmap_areas() (an allocation found no space)" :
					 "purge_vmap_area_lazy()";
}

/* vmap events (the vmap allocator's trees), as one line */
static void vmap_event_line(struct out *o, const struct machine *m, const struct change *c)
{
	int w = hexw(m);
	switch (c->kind) {
	case CH_VMAP_CLIP:
		out_printf(o, "  vmap: free block 0x%0*llx-0x%0*llx, %s for 0x%0*llx-0x%0*llx", w, (ull)c->addr, w,
			   (ull)c->val, fit_name(c->mt), w, (ull)c->pfn, w, (ull)c->pfn2);
		if (c->mt == 1)
			out_printf(o, ": block removed from the free tree\n");
		else if (c->mt == 2)
			out_printf(o, ": block shrinks to 0x%0*llx-0x%0*llx\n", w, (ull)c->pfn2, w, (ull)c->val);
		else if (c->mt == 3)
			out_printf(o, ": block shrinks to 0x%0*llx-0x%0*llx\n", w, (ull)c->addr, w, (ull)c->pfn);
		else
			out_printf(o, ": block splits into 0x%0*llx-0x%0*llx and 0x%0*llx-0x%0*llx\n", w, (ull)c->addr, w,
				   (ull)c->pfn, w, (ull)c->pfn2, w, (ull)c->val);
		break;
	case CH_VMAP_INSERT:
		out_printf(o, "  vmap: area 0x%0*llx-0x%0*llx (%llu bytes) inserted into the busy tree", w,
			   (ull)c->addr, w, (ull)c->val, (ull)(c->val - c->addr));
		if (c->pfn2 > 1)
			out_printf(o, " of node %llu (addr_to_node(): addr / 0x10000 %% %llu)", (ull)c->pfn, (ull)c->pfn2);
		out_puts(o, "\n");
		break;
	case CH_VMAP_POOL:
		if (c->mt == VMAP_POOL_ADD)
			out_printf(o, "  vmap: purged 0x%0*llx-0x%0*llx, kept in node %llu's pool of %llu-page areas "
				   "(%llu there)\n", w, (ull)c->addr, w, (ull)c->val, (ull)c->pfn,
				   (ull)((c->val - c->addr) >> 12), (ull)c->pfn2);
		else if (c->mt == VMAP_POOL_TAKE)
			out_printf(o, "  vmap: node_alloc() took 0x%0*llx-0x%0*llx from node %llu's pool of %llu-page areas "
				   "(%llu left); no free-tree search\n", w, (ull)c->addr, w, (ull)c->val, (ull)c->pfn,
				   (ull)((c->val - c->addr) >> 12), (ull)c->pfn2);
		else if (c->mt == VMAP_POOL_DECAY)
			out_printf(o, "  vmap: pool decay: 0x%0*llx-0x%0*llx leaves node %llu's pool of %llu-page areas "
				   "(%llu left)\n", w, (ull)c->addr, w, (ull)c->val, (ull)c->pfn,
				   (ull)((c->val - c->addr) >> 12), (ull)c->pfn2);
		else if (c->mt == VMAP_POOL_SHRINK)
			out_printf(o, "  vmap: vmap-node shrinker (shrink_slab() at priority %llu): pooled areas counted %llu, "
				   "every pool emptied\n", (ull)c->pfn2, (ull)c->pfn);
		else if (c->mt == VMAP_POOL_SHRUNK)
			out_printf(o, "  vmap: shrinker: 0x%0*llx-0x%0*llx leaves node %llu's pool of %llu-page areas\n", w,
				   (ull)c->addr, w, (ull)c->val, (ull)c->pfn, (ull)((c->val - c->addr) >> 12));
		else if (c->mt == VMAP_PURGE_PLAN)
			out_printf(o, "  vmap: __purge_vmap_area_lazy() on CPU %u, %s: %llu node%s to purge, vmap_lazy_nr %llu / "
				   "lazy_max_pages() %llu -> nr_purge_helpers clamp(%llu, 1, %llu) - 1 = %llu\n", c->obj,
				   purger_name(c->cache), (ull)c->pfn, c->pfn == 1 ? "" : "s", (ull)c->old, (ull)c->val, (ull)(c->old / c->val),
				   (ull)c->pfn, (ull)c->pfn2);
		else if (c->mt == VMAP_PURGE_QUEUE)
			out_printf(o, c->cache == VMAP_PURGE_WORK ?
				   "  vmap: node %llu's purge_work queued for a helper: schedule_work(), CPU %llu being "
				   "offline (the kworker of CPU %llu)\n" :
				   "  vmap: node %llu's purge_work queued for a helper: schedule_work_on(%llu), the kworker "
				   "of CPU %llu\n", (ull)c->pfn, (ull)c->pfn, (ull)c->pfn2);
		else if (c->mt == VMAP_PURGE_NODE && c->cache == VMAP_PURGE_SELF)
			out_printf(o, "  vmap: purge_vmap_node(node %llu), %u area%s, by the purging task itself on CPU %llu\n",
				   (ull)c->pfn, c->obj, c->obj == 1 ? "" : "s", (ull)c->pfn2);
		else if (c->mt == VMAP_PURGE_NODE)
			out_printf(o, "  vmap: purge_vmap_node(node %llu), %u area%s, by the helper kworker on CPU %llu; "
				   "flush_work() waits for it\n", (ull)c->pfn, c->obj, c->obj == 1 ? "" : "s", (ull)c->pfn2);
		else
			out_printf(o, "  vmap: decayed 0x%0*llx-0x%0*llx back to the free tree, merged into free block "
				   "0x%0*llx-0x%0*llx\n", w, (ull)c->addr, w, (ull)c->val, w, (ull)c->pfn, w, (ull)c->pfn2);
		break;
	case CH_VMAP_LAZY:
		out_printf(o, "  vmap: area 0x%0*llx-0x%0*llx on the purge list, TLB flush deferred (vmap_lazy_nr %llu of "
			   "lazy_max_pages %llu)\n", w, (ull)c->addr, w, (ull)c->val, (ull)c->pfn, (ull)c->pfn2);
		break;
	case CH_VFREE_DEFER:
		out_printf(o, "  vmap: vfree_atomic(): area 0x%0*llx-0x%0*llx added to CPU %u's vfree_deferred llist "
			   "(%llu waiting)%s; it stays mapped until the work runs\n", w, (ull)c->addr, w, (ull)c->val,
			   machine_this_cpu(m), (ull)c->pfn, c->mt ? ", schedule_work(delayed_vfree_work)" : "");
		break;
	case CH_VFREE_WORK:
		out_printf(o, "  vmap: delayed_vfree_work() runs in process context: vfree(0x%0*llx)\n", w, (ull)c->addr);
		break;
	case CH_VMAP_PURGE:
		if (m->kp->kv != KV_2_6_32)
			out_printf(o, "  vmap: purged 0x%0*llx-0x%0*llx, merged into free block 0x%0*llx-0x%0*llx\n", w,
				   (ull)c->addr, w, (ull)c->val, w, (ull)c->pfn, w, (ull)c->pfn2);
		else
			out_printf(o, "  vmap: purged 0x%0*llx-0x%0*llx, removed from the vmap_area tree\n", w,
				   (ull)c->addr, w, (ull)c->val);
		break;
	default:
		break;
	}
}

static void vmap_event_sentence(char *buf, size_t len, const struct machine *m, const struct change *c)
{
	int w = hexw(m);
	switch (c->kind) {
	case CH_VMAP_CLIP:
		snprintf(buf, len, _("find_vmap_lowest_match() chose the lowest free block that fits, 0x%0*llx-0x%0*llx, "
			 "and va_clip() cut 0x%0*llx-0x%0*llx out of it (%s)."), w, (ull)c->addr, w, (ull)c->val, w,
			 (ull)c->pfn, w, (ull)c->pfn2, fit_name(c->mt));
		break;
	case CH_VMAP_INSERT:
		snprintf(buf, len, _("The new vmap area 0x%0*llx-0x%0*llx went into the busy tree; its last page is "
			 "the guard page unless VM_NO_GUARD."), w, (ull)c->addr, w, (ull)c->val);
		break;
	case CH_VMAP_LAZY:
		snprintf(buf, len, _("Area 0x%0*llx-0x%0*llx is unmapped but not reusable yet: it waits for the "
			 "purge (%llu of %llu lazy pages), whose one TLB flush covers all."), w, (ull)c->addr, w,
			 (ull)c->val, (ull)c->pfn, (ull)c->pfn2);
		break;
	case CH_VFREE_DEFER:
		snprintf(buf, len, _("vfree() was called in interrupt context, where it must not sleep, so it handed the "
			 "area 0x%0*llx-0x%0*llx to vfree_atomic(): a lock-free list and a work item; the area is "
			 "freed later, in process context."), w, (ull)c->addr, w, (ull)c->val);
		break;
	case CH_VFREE_WORK:
		snprintf(buf, len, _("The task can be scheduled again, so the work queued by vfree_atomic() runs: "
			 "delayed_vfree_work() calls vfree(0x%0*llx) in process context."), w, (ull)c->addr);
		break;
	case CH_VMAP_PURGE:
		snprintf(buf, len, _("purge_vmap_area_lazy() gave 0x%0*llx-0x%0*llx back to the free space."), w,
			 (ull)c->addr, w, (ull)c->val);
		break;
	case CH_VMAP_POOL:
		if (c->mt == VMAP_POOL_ADD)
			snprintf(buf, len, _("The purge kept 0x%0*llx-0x%0*llx, a free area of %llu pages, in the pool of "
				 "vmap node %llu instead of merging it into the free tree: the next allocation of "
				 "exactly this size on that node's CPU gets it back at once."), w, (ull)c->addr, w,
				 (ull)c->val, (ull)((c->val - c->addr) >> 12), (ull)c->pfn);
		else if (c->mt == VMAP_POOL_TAKE)
			snprintf(buf, len, _("node_alloc() found a free area of exactly this size in the pool of vmap "
				 "node %llu, this CPU's node, and took it: 0x%0*llx-0x%0*llx, with the vmap_area it "
				 "already had; the free tree was not searched."), (ull)c->pfn, w, (ull)c->addr, w,
				 (ull)c->val);
		else if (c->mt == VMAP_POOL_DECAY)
			snprintf(buf, len, _("Before purging, decay_va_pool_node() took 0x%0*llx-0x%0*llx out of the pool "
				 "of vmap node %llu (a quarter of each pool goes, all of a pool of fewer than four)."), w,
				 (ull)c->addr, w, (ull)c->val, (ull)c->pfn);
		else if (c->mt == VMAP_POOL_SHRINK)
			snprintf(buf, len, _("Memory pressure ran the vmap-node shrinker (shrink_slab() at priority %llu): "
				 "vmap_node_shrink_count() found areas kept in the node pools (count: %llu), and "
				 "vmap_node_shrink_scan() gives every one of them back to the free tree."), (ull)c->pfn2,
				 (ull)c->pfn);
		else if (c->mt == VMAP_POOL_SHRUNK)
			snprintf(buf, len, _("The shrinker took 0x%0*llx-0x%0*llx out of the pool of vmap node %llu."), w,
				 (ull)c->addr, w, (ull)c->val, (ull)c->pfn);
		else if (c->mt == VMAP_PURGE_PLAN && c->pfn2)
			snprintf(buf, len, _("%llu vmap nodes have areas to purge. With %llu lazy pages, %llu times "
				 "lazy_max_pages() (%llu), the purge takes %llu helper%s: one per full lazy_max_pages() "
				 "beyond the first, at most one per node but one."), (ull)c->pfn, (ull)c->old,
				 (ull)(c->old / c->val), (ull)c->val, (ull)c->pfn2, c->pfn2 == 1 ? "" : "s");
		else if (c->mt == VMAP_PURGE_PLAN && c->pfn == 1)
			snprintf(buf, len, _("One vmap node has areas to purge: the purging task does it itself, asking no "
				 "helper."));
		else if (c->mt == VMAP_PURGE_PLAN)
			snprintf(buf, len, _("%llu vmap nodes have areas to purge. %llu lazy pages are less than twice "
				 "lazy_max_pages() (%llu), so no helper is asked for: the purging task does every node "
				 "itself."), (ull)c->pfn, (ull)c->old, (ull)c->val);
		else if (c->mt == VMAP_PURGE_QUEUE)
			snprintf(buf, len, _("Node %llu's purge is handed to a helper: its purge_work goes to the "
				 "workqueue of CPU %llu, which runs it in parallel."), (ull)c->pfn, (ull)c->pfn2);
		else if (c->mt == VMAP_PURGE_NODE && c->cache == VMAP_PURGE_SELF)
			snprintf(buf, len, _("The purging task on CPU %llu purges node %llu's %u area%s itself."),
				 (ull)c->pfn2, (ull)c->pfn, c->obj, c->obj == 1 ? "" : "s");
		else if (c->mt == VMAP_PURGE_NODE)
			snprintf(buf, len, _("The helper kworker on CPU %llu purges node %llu's %u area%s; the purging "
				 "task waits for it with flush_work() before it returns."), (ull)c->pfn2, (ull)c->pfn,
				 c->obj, c->obj == 1 ? "" : "s");
		else
			snprintf(buf, len, _("The decayed areas 0x%0*llx-0x%0*llx went back to the free tree."), w,
				 (ull)c->addr, w, (ull)c->val);
		break;
	default:
		break;
	}
}

static enum pt_level depth_level(const struct machine *m, unsigned depth)
{
	return m->pt && depth < m->pt->g.levels ? m->pt->g.leaf_name[depth] : PTL_PTE;
}

void view_pt_event_line(struct out *o, const struct machine *m, const struct change *c)
{
	char prot[64], sz[24];
	int w = hexw(m);
	enum pt_level lv = depth_level(m, c->order);
	switch (c->kind) {
	case CH_VMAP_CLIP: case CH_VMAP_INSERT: case CH_VMAP_LAZY: case CH_VMAP_PURGE:
	case CH_VFREE_DEFER: case CH_VFREE_WORK: case CH_VMAP_POOL:
		vmap_event_line(o, m, c);
		break;
	case CH_PT_ALLOC:
		out_printf(o, "  page tables: new %s table at pfn 0x%llx for 0x%0*llx (from the buddy allocator)\n",
			   view_level_name(m->pt->g.name[c->order]), (ull)c->pfn, w, (ull)c->addr);
		break;
	case CH_PT_FREE:
		out_printf(o, "  page tables: freed the %s table at pfn 0x%llx that mapped 0x%0*llx (back to the buddy "
			   "allocator)\n", view_level_name(m->pt->g.name[c->order]), (ull)c->pfn, w, (ull)c->addr);
		break;
	case CH_PTE_SET:
		view_prot_text(prot, sizeof prot, c->val, lv);
		out_printf(o, "  page tables: %s 0x%0*llx -> 0x%0*llx  %s%s\n", view_level_name(lv), w, (ull)c->addr,
			   m->pt && m->pt->g.entry_bytes == 4 ? 8 : 16, (ull)c->val, prot,
			   c->old ? " (replaced an entry)" : "");
		break;
	case CH_PTE_CLEAR:
		out_printf(o, "  page tables: %s 0x%0*llx cleared (was 0x%llx)\n", view_level_name(lv), w,
			   (ull)c->addr, (ull)c->old);
		break;
	case CH_PT_SPLIT:
		out_printf(o, "  page tables: split the %s page at 0x%0*llx into a table at pfn 0x%llx\n",
			   size_text(sz, sizeof sz, m->pt ? pt_level_size(&m->pt->g, c->order) : 0), w, (ull)c->addr,
			   (ull)c->pfn);
		break;
	case CH_TLB_FLUSH:
		if (c->order == 1)      /* pgtable_flush_tlb_one() */
			out_printf(o, "  page tables: %s(0x%0*llx)\n", view_old(m) ? "__flush_tlb_one" :
				   "flush_tlb_one_kernel", w, (ull)c->addr);
		else
			out_printf(o, "  page tables: flush_tlb_kernel_range(0x%0*llx, 0x%0*llx)\n", w, (ull)c->addr, w,
				   (ull)c->val);
		break;
	default:
		break;
	}
}

void view_pt_event_json(struct out *o, const struct machine *m, const struct change *c, bool *f)
{
	view_json_key(o, f, "va");
	view_json_hex(o, c->addr);
	if (c->kind == CH_VFREE_WORK)
		return;
	if (c->kind == CH_VFREE_DEFER) {
		view_json_key(o, f, "end");
		view_json_hex(o, c->val);
		out_printf(o, ",\"queued\":%llu,\"schedule_work\":%s", (ull)c->pfn, c->mt ? "true" : "false");
		return;
	}
	if (c->kind == CH_VMAP_CLIP || c->kind == CH_VMAP_INSERT || c->kind == CH_VMAP_LAZY ||
	    c->kind == CH_VMAP_PURGE) {
		view_json_key(o, f, "end");
		view_json_hex(o, c->val);
		if (c->kind == CH_VMAP_CLIP) {
			view_json_key(o, f, "fit");
			out_json_str(o, fit_name(c->mt));
		}
		if (c->kind != CH_VMAP_INSERT) {
			view_json_key(o, f, c->kind == CH_VMAP_LAZY ? "vmap_lazy_nr" : "area_start");
			view_json_hex(o, c->pfn);
			view_json_key(o, f, c->kind == CH_VMAP_LAZY ? "lazy_max_pages" : "area_end");
			view_json_hex(o, c->pfn2);
		}
		return;
	}
	if (c->kind == CH_VMAP_POOL) {
		static const char *const ev[] = { "pool_add", "pool_take", "pool_decay", "pool_reclaim", "pool_shrink",
						  "pool_shrunk", "purge_plan", "purge_queue", "purge_node" };
		static const char *const how[] = { "self", "schedule_work_on", "schedule_work" };
		if (c->mt >= VMAP_PURGE_PLAN) {
			view_json_key(o, f, "event");
			out_json_str(o, c->mt < 9 ? ev[c->mt] : "?");
			if (c->mt == VMAP_PURGE_PLAN)
				out_printf(o, ",\"cpu\":%u,\"vmap_lazy_nr\":%llu,\"lazy_max_pages\":%llu,\"nodes\":%llu,"
					   "\"helpers\":%llu,\"by\":", c->obj, (ull)c->old, (ull)c->val, (ull)c->pfn,
					   (ull)c->pfn2);
			else
				out_printf(o, ",\"node\":%llu,\"cpu\":%llu,\"areas\":%u,\"how\":", (ull)c->pfn, (ull)c->pfn2,
					   c->obj);
			static const char *const by[] = { "purge_vmap_area_lazy", "drain_vmap_area_work",
							  "reclaim_and_purge_vmap_areas" };
			out_json_str(o, c->mt == VMAP_PURGE_PLAN ? (c->cache < 3 ? by[c->cache] : "?") :
					(c->cache < 3 ? how[c->cache] : "?"));
			return;
		}
		view_json_key(o, f, "end");
		view_json_hex(o, c->val);
		view_json_key(o, f, "event");
		out_json_str(o, c->mt < 6 ? ev[c->mt] : "?");
		if (c->mt == VMAP_POOL_SHRINK) {
			out_printf(o, ",\"pooled\":%llu,\"priority\":%llu", (ull)c->pfn, (ull)c->pfn2);
		} else if (c->mt == VMAP_POOL_RECLAIM) {
			view_json_key(o, f, "area_start");
			view_json_hex(o, c->pfn);
			view_json_key(o, f, "area_end");
			view_json_hex(o, c->pfn2);
		} else {
			out_printf(o, ",\"node\":%llu,\"pool_len\":%llu", (ull)c->pfn, (ull)c->pfn2);
		}
		return;
	}
	if (c->kind == CH_TLB_FLUSH) {
		view_json_key(o, f, "end");
		view_json_hex(o, c->val);
		return;
	}
	view_json_key(o, f, "level");
	out_json_str(o, view_level_name((c->kind == CH_PT_ALLOC || c->kind == CH_PT_FREE) && m->pt ? m->pt->g.name[c->order]
					: depth_level(m, c->order)));
	view_json_key(o, f, "table_pfn");
	view_json_hex(o, c->pfn);
	if (c->kind == CH_PTE_SET || c->kind == CH_PTE_CLEAR || c->kind == CH_PT_SPLIT) {
		view_json_key(o, f, "entry");
		view_json_hex(o, c->val);
		view_json_key(o, f, "old");
		view_json_hex(o, c->old);
	}
}

/* One sentence for explain mode. */
void view_pt_event_sentence(char *buf, size_t len, const struct machine *m, const struct change *c)
{
	char sz[24];
	int w = hexw(m);
	enum pt_level lv = depth_level(m, c->order);
	switch (c->kind) {
	case CH_VMAP_CLIP: case CH_VMAP_INSERT: case CH_VMAP_LAZY: case CH_VMAP_PURGE:
	case CH_VFREE_DEFER: case CH_VFREE_WORK: case CH_VMAP_POOL:
		vmap_event_sentence(buf, len, m, c);
		break;
	case CH_PT_ALLOC:
		snprintf(buf, len, _("No %s table covered 0x%0*llx yet, so the kernel took a page from the buddy "
			 "allocator (pfn 0x%llx) for one (%s_alloc())."), view_level_name(m->pt->g.name[c->order]), w,
			 (ull)c->addr, (ull)c->pfn, view_level_name(m->pt->g.name[c->order]));
		break;
	case CH_PT_FREE:
		snprintf(buf, len, _("The %s table at pfn 0x%llx, which mapped from 0x%0*llx, is no longer needed: the "
			 "entry above it was cleared and its page went back to the buddy allocator."),
			 view_level_name(m->pt->g.name[c->order]), (ull)c->pfn, w, (ull)c->addr);
		break;
	case CH_PTE_SET:
		snprintf(buf, len, _("The %s entry for 0x%0*llx now holds 0x%llx: %s."), view_level_name(lv), w,
			 (ull)c->addr, (ull)c->val,
			 (unsigned)c->order + 1 < (m->pt ? m->pt->g.levels : 0u) && !(c->val & _PAGE_PSE)
			 ? _("it points at the next table") : _("it maps the page"));
		break;
	case CH_PTE_CLEAR:
		snprintf(buf, len, _("The %s entry for 0x%0*llx was cleared: the address no longer translates."),
			 view_level_name(lv), w, (ull)c->addr);
		break;
	case CH_PT_SPLIT:
		snprintf(buf, len, _("The %s page at 0x%0*llx was split into a table of smaller pages (pfn 0x%llx) "
			 "so that part of it can change its protection."),
			 size_text(sz, sizeof sz, m->pt ? pt_level_size(&m->pt->g, c->order) : 0), w, (ull)c->addr,
			 (ull)c->pfn);
		break;
	case CH_TLB_FLUSH:
		snprintf(buf, len, _("The TLB entries for 0x%0*llx-0x%0*llx were flushed, so no CPU keeps using the "
			 "old translation."), w, (ull)c->addr, w, (ull)c->val);
		break;
	default:
		snprintf(buf, len, _("(event %d)"), (int)c->kind);
		break;
	}
}

/* ---- show vmap: the vmap allocator's trees ------------------------------------------- */

enum { VMAP_SHOW_MAX = 48 };

struct tree_ctx {
	struct out *o;
	const struct machine *m;
	size_t shown;
	bool free_tree, first;
};

static int tree_node(void *arg, const struct vmap_tree_node *n)
{
	struct tree_ctx *c = arg;
	int w = hexw(c->m);
	if (c->shown++ >= VMAP_SHOW_MAX)
		return 1;
	if (c->o->json) {
		out_printf(c->o, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"depth\":%u,\"color\":\"%s\"",
			   c->first ? "" : ",", (ull)n->start, (ull)n->end, n->depth, n->red ? "red" : "black");
		if (c->free_tree)
			out_printf(c->o, ",\"subtree_max_size\":\"0x%llx\"", (ull)n->subtree_max);
		out_puts(c->o, "}");
		c->first = false;
		return 0;
	}
	unsigned ind = n->depth < 24 ? n->depth : 24;
	out_printf(c->o, "  %*s%s 0x%0*llx-0x%0*llx %#llx", (int)(2 * ind), "", n->red ? "R" : "B", w, (ull)n->start, w,
		   (ull)n->end, (ull)(n->end - n->start));
	if (c->free_tree)
		out_printf(c->o, "  subtree_max_size %#llx", (ull)n->subtree_max);
	if (n->lazy)
		out_puts(c->o, "  (lazily freed)");
	out_puts(c->o, "\n");
	return 0;
}

static void show_tree(struct out *o, const struct machine *m, int which, unsigned node, const char *title)
{
	struct tree_ctx c = { o, m, 0, which == 1, true };
	size_t n = vmap_walk_tree(m, which, node, NULL, NULL);
	if (o->json) {
		out_printf(o, "\"%s\":{\"nodes\":%zu,\"tree\":[", title, n);
		vmap_walk_tree(m, which, node, tree_node, &c);
		out_puts(o, "]}");
		return;
	}
	out_printf(o, "%s (%zu node%s; pre-order, indented by depth, R/B colour):\n", title, n, n == 1 ? "" : "s");
	vmap_walk_tree(m, which, node, tree_node, &c);
	if (n > VMAP_SHOW_MAX)
		out_printf(o, "  ... %zu more\n", n - VMAP_SHOW_MAX);
}

/* at most this many vmap nodes' trees and pools are drawn */
enum { VMAP_NODES_SHOWN = 8, VMAP_POOLS_SHOWN = 8 };

/* each vmap node's busy (which 0) or lazy (2) tree that is not empty */
static void show_node_trees(struct out *o, const struct machine *m, int which, const char *what)
{
	unsigned nr = vmap_nr_nodes(m), shown = 0, more = 0;
	char title[48];
	if (o->json)
		out_printf(o, "\"%s trees\":[", what);
	for (unsigned i = 0; i < nr; i++) {
		if (!vmap_walk_tree(m, which, i, NULL, NULL))
			continue;
		if (shown == VMAP_NODES_SHOWN) {
			more++;
			continue;
		}
		snprintf(title, sizeof title, "node %u %s tree", i, what);
		if (o->json)
			out_printf(o, "%s{\"node\":%u,", shown ? "," : "", i);
		show_tree(o, m, which, i, title);
		if (o->json)
			out_puts(o, "}");
		shown++;
	}
	if (o->json)
		out_puts(o, "]");
	else if (!shown)
		out_printf(o, "%s trees: all %u empty\n", what, nr);
	else if (more)
		out_printf(o, "  ... %u more node%s with a %s tree\n", more, more == 1 ? "" : "s", what);
}

/* the pools, one run per (node, size): its length and its first areas */
struct pool_ctx {
	struct out *o;
	const struct machine *m;
	unsigned node, pages, in_run, runs, node_runs, nodes_shown, more_nodes;
	bool any;
};

static void pool_run_end(struct pool_ctx *c)
{
	if (c->in_run && !c->o->json)
		out_puts(c->o, c->in_run > 2 ? ", ...)" : ")");
	else if (c->in_run)
		out_puts(c->o, "]}");
	c->in_run = 0;
}

static int pool_area(void *arg, unsigned node, unsigned pages, unsigned long len, uint64_t start, uint64_t end)
{
	struct pool_ctx *c = arg;
	int w = hexw(c->m);
	bool new_node = !c->any || node != c->node, new_run = new_node || pages != c->pages;
	if (new_run)
		pool_run_end(c);
	if (new_node) {
		if (c->any && !c->o->json && c->nodes_shown <= VMAP_NODES_SHOWN)
			out_puts(c->o, "\n");
		c->nodes_shown++;
		c->node_runs = 0;
		if (c->nodes_shown <= VMAP_NODES_SHOWN && !c->o->json)
			out_printf(c->o, "  node %u:", node);
		else if (c->nodes_shown > VMAP_NODES_SHOWN)
			c->more_nodes++;
	}
	c->node = node;
	c->pages = pages;
	c->any = true;
	if (c->nodes_shown > VMAP_NODES_SHOWN)
		return 0;
	if (new_run) {
		if (c->node_runs++ == VMAP_POOLS_SHOWN) {
			if (!c->o->json)
				out_puts(c->o, " ...");
			return 0;
		}
		if (c->node_runs > VMAP_POOLS_SHOWN + 1)
			return 0;
		if (c->o->json)
			out_printf(c->o, "%s{\"node\":%u,\"pages\":%u,\"len\":%lu,\"areas\":[", c->runs ? "," : "",
				   node, pages, len);
		else
			out_printf(c->o, "%s %u page%s x%lu (", c->node_runs > 1 ? "," : "", pages, pages == 1 ? "" : "s",
				   len);
		c->runs++;
		c->in_run = 0;
	}
	if (c->node_runs > VMAP_POOLS_SHOWN)
		return 0;
	if (c->o->json) {
		if (c->in_run < 16)
			out_printf(c->o, "%s[\"0x%llx\",\"0x%llx\"]", c->in_run ? "," : "", (ull)start, (ull)end);
		c->in_run++;
		return 0;
	}
	if (c->in_run < 2)
		out_printf(c->o, "%s0x%0*llx", c->in_run ? " " : "", w, (ull)start);
	c->in_run++;
	return 0;
}

static void show_pools(struct out *o, const struct machine *m)
{
	struct pool_ctx c = { o, m, 0, 0, 0, 0, 0, 0, 0, false };
	if (o->json)
		out_puts(o, "\"pools\":[");
	else
		out_puts(o, "node pools (freed areas of 1 to 256 pages kept for node_alloc(); size xlen (head first)):\n");
	vmap_walk_pools(m, pool_area, &c);
	pool_run_end(&c);
	if (o->json) {
		out_puts(o, "]");
		return;
	}
	if (!c.any)
		out_puts(o, "  all empty");
	out_puts(o, "\n");
	if (c.more_nodes)
		out_printf(o, "  ... %u more node%s with pools\n", c.more_nodes, c.more_nodes == 1 ? "" : "s");
}

void view_vmap(struct out *o, const struct machine *m)
{
	bool old = m->kp->kv == KV_2_6_32;
	unsigned nr = vmap_nr_nodes(m);
	if (o->json)
		out_puts(o, "{");
	if (old) {
		show_tree(o, m, 0, 0, "vmap_area_root");
	} else if (nr == 1) {
		show_tree(o, m, 0, 0, "busy tree");
		out_puts(o, o->json ? "," : "");
		show_tree(o, m, 1, 0, "free_vmap_area_root");
		out_puts(o, o->json ? "," : "");
		show_tree(o, m, 2, 0, "lazy tree");
	} else {
		if (o->json)
			out_printf(o, "\"nr_vmap_nodes\":%u,\"vmap_zone_size\":%llu,", nr, (ull)vmap_zone_size(m));
		else
			out_printf(o, "%u vmap nodes (one per possible CPU); an address belongs to node "
				   "(addr / vmap_zone_size %#llx) %% %u\n", nr, (ull)vmap_zone_size(m), nr);
		show_node_trees(o, m, 0, "busy");
		out_puts(o, o->json ? "," : "");
		show_tree(o, m, 1, 0, "free_vmap_area_root");
		out_puts(o, o->json ? "," : "");
		show_node_trees(o, m, 2, "lazy");
		out_puts(o, o->json ? "," : "");
		show_pools(o, m);
	}
	if (o->json)
		out_puts(o, "}\n");
	else
		out_printf(o, "vmap_lazy_nr %llu pages waiting, lazy_max_pages() %llu\n",
			   (ull)vmap_lazy_nr(m), (ull)vmap_lazy_max_pages(m));
}

/* ---- walk ------------------------------------------------------------------------ */

void view_walk(struct out *o, const struct machine *m, uint64_t va, const struct pt_walk *wk)
{
	const struct pgtable *pt = m->pt;
	int w = hexw(m), ew = pt->g.entry_bytes * 2;
	char prot[64], sz[24];
	struct vm_region region = vm_region_of(m, va);
	const struct vm_region *r = &region;
	if (o->json) {
		out_printf(o, "{\"va\":\"0x%llx\",\"region\":", (ull)va);
		out_json_str(o, layout_kind_name(r->kind));
		out_puts(o, ",\"steps\":[");
		for (int i = 0; i < wk->nsteps; i++) {
			const struct pt_walk_step *s = &wk->step[i];
			out_printf(o, "%s{\"level\":\"%s\",\"index\":%u,\"table_pfn\":\"0x%llx\",\"entry\":\"0x%llx\","
				   "\"leaf\":%s}", i ? "," : "", view_level_name(s->level), s->index, (ull)s->table_pfn,
				   (ull)s->entry, s->leaf ? "true" : "false");
		}
		out_puts(o, "],\"result\":");
		if (wk->end == WALK_MAPPED)
			out_printf(o, "{\"phys\":\"0x%llx\",\"page_size\":%llu}}\n", (ull)wk->phys, (ull)wk->page_size);
		else
			out_printf(o, "\"%s\"}\n", wk->end == WALK_NOT_PRESENT ? "not present" :
				   wk->end == WALK_OUT_OF_RANGE ? "beyond the address space" : "not canonical");
		return;
	}
	out_printf(o, "walk 0x%0*llx (%s) in init_mm: top table at pfn 0x%llx\n", w, (ull)va,
		   wk->end == WALK_OUT_OF_RANGE ? "above 4G" : layout_kind_name(r->kind), (ull)pt->top_pfn);
	if (wk->end == WALK_OUT_OF_RANGE) {
		out_puts(o, "  beyond the 32-bit address space: the CPU has no such address\n");
		return;
	}
	if (wk->end == WALK_NONCANONICAL) {
		out_printf(o, "  not a canonical address: bits %u-63 must all equal bit %u, so the CPU faults "
			   "before any table is read\n", pt->g.va_bits - 1, pt->g.va_bits - 1);
		return;
	}
	for (int i = 0; i < wk->nsteps; i++) {
		const struct pt_walk_step *s = &wk->step[i];
		enum pt_level lv = s->leaf ? pt->g.leaf_name[s->depth] : s->level;
		uint64_t tva = m->layout.page_offset + (s->table_pfn << 12) + (uint64_t)s->index * pt->g.entry_bytes;
		out_printf(o, "  %-3s[%4u]  table pfn 0x%llx, entry at 0x%0*llx: 0x%0*llx", view_level_name(s->level),
			   s->index, (ull)s->table_pfn, w, (ull)tva, ew, (ull)s->entry);
		if (!pt_present(s->entry)) {
			out_puts(o, "  not present\n");
			break;
		}
		/* a table entry: only its own bits (PSE/PAT mean nothing there,
		 * and bit 12 is the table's address) */
		view_prot_text(prot, sizeof prot, s->leaf ? s->entry : s->entry & (_PAGE_PRESENT | _PAGE_RW |
				_PAGE_USER | _PAGE_PWT | _PAGE_PCD | _PAGE_GLOBAL | _PAGE_NX), s->leaf ? lv : PTL_PTE);
		if (s->leaf) {
			out_printf(o, "  %s  %s page\n", prot, size_text(sz, sizeof sz, wk->page_size));
		} else {
			uint64_t next = (s->entry & pt->g.addr_mask) >> 12;
			out_printf(o, "  %s  -> table pfn 0x%llx\n", prot, (ull)next);
		}
	}
	switch (wk->end) {
	case WALK_MAPPED:
		out_printf(o, "  = phys 0x%llx (pfn 0x%llx) through a %s page\n", (ull)wk->phys,
			   (ull)(wk->phys >> 12), size_text(sz, sizeof sz, wk->page_size));
		break;
	case WALK_NOT_PRESENT: {
		const struct pt_walk_step *s = &wk->step[wk->nsteps - 1];
		if (r->kind == VR_USER)
			out_printf(o, "  = not mapped: a user address, and init_mm maps no user memory\n");
		else
			out_printf(o, "  = not mapped: the %s entry is empty (%s of address space per entry)\n",
				   view_level_name(pt->g.hole_name[s->depth]),
				   size_text(sz, sizeof sz, pt_level_size(&pt->g, s->depth)));
		break;
	}
	default:
		break;
	}
}

/* ---- whatis ---------------------------------------------------------------------------- */

static void page_state_text(const struct machine *m, const struct whatis *w, char *buf, size_t len)
{
	const struct page_info *pi = &w->pi;
	switch (pi->state) {
	case PS_FREE:
		snprintf(buf, len, "free in the buddy allocator: order-%u block at pfn 0x%llx on the %s list",
			 pi->order, (ull)pi->block_pfn, view_mt_name(m, pi->mt));
		break;
	case PS_ALLOCATED:
		snprintf(buf, len, "allocated: order-%u block at pfn 0x%llx", pi->order, (ull)pi->block_pfn);
		break;
	case PS_RESERVED:
		snprintf(buf, len, "reserved (never given to the buddy allocator)%s%s", w->reserved_why ? ": " : "",
			 w->reserved_why ? w->reserved_why : "");
		break;
	case PS_HOLE:
		snprintf(buf, len, "a hole in RAM");
		break;
	default:
		snprintf(buf, len, "no page descriptor");
		break;
	}
}

/* whatis of a kmap address: the page it maps now */
static void kmap_line(struct out *o, const struct machine *m, uint64_t addr)
{
	enum kmap_how how;
	uint64_t pfn;
	unsigned cpu;
	int n;
	if (highmem_lookup(m, addr, &how, &pfn, &cpu, &n))
		return;
	if (how == KMAP_PKMAP)
		out_printf(o, "  kmap() of page %#llx (pfn %#llx, HighMem): pkmap_count %d, %d user%s\n",
			   (ull)machine_page_ptr(m, pfn), (ull)pfn, n, n - 1, n == 2 ? "" : "s");
	else if (view_old(m))
		out_printf(o, "  kmap_atomic() of page %#llx (pfn %#llx, HighMem): CPU %u's %s slot\n",
			   (ull)machine_page_ptr(m, pfn), (ull)pfn, cpu, highmem_km_type_name(n));
	else
		out_printf(o, "  %s() of page %#llx (pfn %#llx, HighMem): CPU %u's kmap_local slot %d\n",
			   how == KMAP_ATOMIC ? "kmap_atomic" : "kmap_local_page", (ull)machine_page_ptr(m, pfn),
			   (ull)pfn, cpu, n);
}

/* whatis of an __iomem address: the mapping, then what answers at its
 * physical address (the resource tree, the device's register file) */
static void iomem_json(struct out *o, const struct whatis *wi)
{
	out_printf(o, ",\"iomem\":{\"phys\":\"0x%llx\",\"mapping\":\"0x%llx-0x%llx\",\"cache_mode\":\"%s\","
		   "\"requested\":\"%s\",\"resource\":", (ull)wi->io_phys, (ull)wi->io_start, (ull)(wi->io_end - 1),
		   ioremap_pcm_name(wi->io_pcm), ioremap_pcm_name(wi->io_req));
	if (wi->io_resource)
		out_json_str(o, wi->io_resource);
	else
		out_puts(o, "null");
	out_puts(o, ",\"device\":");
	if (wi->io_device) {
		out_json_str(o, wi->io_device);
		out_printf(o, ",\"offset\":\"0x%llx\",\"register\":", (ull)wi->io_dev_off);
		if (wi->io_reg)
			out_json_str(o, wi->io_reg);
		else
			out_puts(o, "null");
	} else {
		out_puts(o, "null");
	}
	out_puts(o, "}");
}

static void iomem_text(struct out *o, const struct whatis *wi)
{
	out_printf(o, "  __iomem: ioremap of phys 0x%llx-0x%llx, cache mode %s", (ull)wi->io_start,
		   (ull)(wi->io_end - 1), ioremap_pcm_name(wi->io_pcm));
	if (wi->io_req != wi->io_pcm)
		out_printf(o, " (%s asked; the memtype reservation gave %s)", ioremap_pcm_name(wi->io_req),
			   ioremap_pcm_name(wi->io_pcm));
	out_puts(o, "; reach it with readl()/writel(), not plain loads\n");
	out_printf(o, "  phys 0x%llx: ", (ull)wi->io_phys);
	if (wi->io_resource)
		out_printf(o, "%s [0x%llx-0x%llx]", wi->io_resource[0] ? wi->io_resource : "(unnamed resource)",
			   (ull)wi->io_res_start, (ull)wi->io_res_end);
	else
		out_puts(o, "no resource in /proc/iomem");
	/* the device's own name only when the resource does not already say it */
	const char *dev = !wi->io_device ? NULL : wi->io_resource && !strcmp(wi->io_resource, wi->io_device)
			  ? "" : wi->io_device;
	if (dev && wi->io_reg && !strcmp(wi->io_reg, "memory"))
		out_printf(o, ", %s%smemory +0x%llx\n", dev, dev[0] ? " " : "", (ull)wi->io_dev_off);
	else if (dev && wi->io_reg)
		out_printf(o, ", %s%sregister %s (+0x%llx)\n", dev, dev[0] ? " " : "", wi->io_reg, (ull)wi->io_dev_off);
	else if (dev)
		out_printf(o, ", %s%s+0x%llx: no register there (reads give all ones)\n", dev, dev[0] ? " " : "",
			   (ull)wi->io_dev_off);
	else
		out_puts(o, ": no register file modelled there (reads give all ones, as from an absent device)\n");
}

void view_whatis(struct out *o, const struct machine *m, const struct whatis *wi)
{
	int w = hexw(m);
	char buf[200];
	if (o->json) {
		out_printf(o, "{\"addr\":\"0x%llx\",\"region\":", (ull)wi->addr);
		out_json_str(o, layout_kind_name(wi->region.kind));
		out_puts(o, ",\"what\":");
		out_json_str(o, wi->region.what);
		if (wi->what == WI_PAGE || wi->what == WI_NOT_RAM) {
			out_printf(o, ",\"phys\":\"0x%llx\",\"pfn\":\"0x%llx\"", (ull)wi->phys, (ull)wi->pfn);
			if (wi->what == WI_PAGE) {
				page_state_text(m, wi, buf, sizeof buf);
				out_puts(o, ",\"page\":");
				out_json_str(o, buf);
			}
			if (wi->slab && wi->oi.slob) {
				/* a SLOB page: a block (a cache's or kmalloc's) or free space */
				out_puts(o, ",\"slob\":true");
				if (wi->oi.index != ~0u) {
					out_puts(o, ",\"cache\":");
					out_json_str(o, wi->oi.cache >= 0 ? view_cache_name(m, (uint32_t)wi->oi.cache)
								   : "kmalloc");
					out_printf(o, ",\"object\":\"0x%llx\",\"offset\":%d", (ull)wi->oi.object_addr,
						   wi->oi.offset);
				}
				out_printf(o, ",\"allocated\":%s", wi->oi.index != ~0u ? "true" : "false");
			} else if (wi->slab) {
				out_puts(o, ",\"cache\":");
				out_json_str(o, view_cache_name(m, (uint32_t)wi->oi.cache));
				out_printf(o, ",\"object\":\"0x%llx\",\"offset\":%d", (ull)wi->oi.object_addr, wi->oi.offset);
			}
			if (wi->table)
				out_printf(o, ",\"page_table\":\"%s\"", view_level_name(wi->table_level));
		}
		if (wi->what == WI_VMALLOC || wi->what == WI_VMALLOC_GUARD || wi->what == WI_VMALLOC_LAZY ||
		    wi->what == WI_VMALLOC_POOLED) {
			out_printf(o, ",\"vmap_area\":\"0x%llx-0x%llx\",\"state\":\"%s\"", (ull)wi->vm_start,
				   (ull)wi->vm_end, wi->what == WI_VMALLOC ? "mapped" : wi->what == WI_VMALLOC_GUARD
				   ? "guard" : wi->what == WI_VMALLOC_LAZY ? "lazily freed" : "pooled");
			if (wi->what == WI_VMALLOC_POOLED)
				out_printf(o, ",\"vmap_node\":%u", wi->slot);
			if (wi->what == WI_VMALLOC || wi->what == WI_VMALLOC_GUARD) {
				out_puts(o, ",\"caller\":");
				out_json_str(o, wi->vm_caller);
			}
			if (wi->what == WI_VMALLOC)
				out_printf(o, ",\"index\":%u,\"pfn\":\"0x%llx\"", wi->vm_index, (ull)wi->vm_pfn);
		}
		if (wi->io)
			iomem_json(o, wi);
		if (wi->what == WI_STRUCT_PAGE)
			out_printf(o, ",\"struct_page_of_pfn\":\"0x%llx\",\"offset\":%u", (ull)wi->sp_pfn, wi->sp_offset);
		out_puts(o, "}\n");
		return;
	}
	if (wi->highmem_pfn)
		out_printf(o, "pfn 0x%llx: a HighMem page: no permanent kernel address (kmap() maps it)\n",
			   (ull)wi->pfn);
	else
		out_printf(o, "0x%0*llx: %s (0x%0*llx-0x%0*llx)\n", w, (ull)wi->addr, wi->region.what, w,
			   (ull)wi->region.start, w, (ull)wi->region.last);
	switch (wi->what) {
	case WI_PAGE:
		out_printf(o, "  %s: phys 0x%llx, pfn 0x%llx, zone %s\n",
			   wi->highmem_pfn ? "physical page" : wi->high_alias
			   ? "kernel image mapping (__pa = va - __START_KERNEL_map)" : "direct map (__pa = va - PAGE_OFFSET)",
			   (ull)wi->phys, (ull)wi->pfn, wi->zone >= 0 ? m->zones[wi->zone].label : "none");
		page_state_text(m, wi, buf, sizeof buf);
		out_printf(o, "  page: %s\n", buf);
		view_page_migration(o, m, wi->pfn, "  ", true);
		if (wi->image_section)
			out_printf(o, "  kernel image: %s\n", wi->image_section);
		if (wi->table)
			out_printf(o, "  a page-table page: a %s table of init_mm%s\n", view_level_name(wi->table_level),
				   wi->table_boot ? ", built at boot" : "");
		if (wi->slab && wi->oi.slob && wi->oi.index == ~0u)
			out_puts(o, "  slob: free space of the SLOB page (on its free list)\n");
		else if (wi->slab && wi->oi.slob)
			out_printf(o, "  slob: %s block of %u units (%u bytes) from unit %u, object at 0x%0*llx "
				   "(allocated), offset %d\n", wi->oi.cache >= 0 ? view_cache_name(m, (uint32_t)wi->oi.cache)
				   : "kmalloc", wi->oi.slob_units, wi->oi.slob_units * 2, wi->oi.index, w,
				   (ull)wi->oi.object_addr, wi->oi.offset);
		else if (wi->slab && !wi->oi.large)
			out_printf(o, "  slab: %s object %u at 0x%0*llx (%s), offset %d\n",
				   view_cache_name(m, (uint32_t)wi->oi.cache), wi->oi.index, w, (ull)wi->oi.object_addr,
				   wi->oi.allocated ? "allocated" : "free", wi->oi.offset);
		else if (wi->slab)
			out_printf(o, "  a large kmalloc of %zu bytes (order %u) at 0x%0*llx\n", wi->oi.large_size,
				   wi->oi.large_order, w, (ull)wi->oi.object_addr);
		break;
	case WI_NOT_RAM: {
		bool mapped = wi->walk.end == WALK_MAPPED;
		bool partial = wi->resource && strcmp(wi->resource, "System RAM") == 0;
		if (partial)
			out_printf(o, "  phys 0x%llx: a page only partly System RAM, which the kernel does not use "
				   "(RAM ranges count whole pages: PFN_UP of the start, PFN_DOWN of the end)%s\n",
				   (ull)wi->phys, mapped ? "; direct-mapped" : "; not mapped");
		else
			out_printf(o, "  %s: phys 0x%llx is not RAM%s%s\n",
				   mapped ? "direct-mapped (the range is mapped whole)" : "not mapped",
				   (ull)wi->phys, wi->resource ? ": " : "", wi->resource ? wi->resource : "");
		break;
	}
	case WI_BEYOND_RAM:
		out_printf(o, "  reserved for the direct map, beyond the end of RAM (phys 0x%llx): not mapped\n",
			   (ull)wi->phys);
		break;
	case WI_STRUCT_PAGE:
		out_printf(o, "  the struct page of pfn 0x%llx (+%u bytes into its %u-byte descriptor)\n",
			   (ull)wi->sp_pfn, wi->sp_offset, m->struct_page_size);
		break;
	case WI_FIXMAP:
		out_printf(o, "  fixmap slot %u (__fix_to_virt(%u))\n", wi->slot, wi->slot);
		break;
	case WI_PKMAP:
		out_printf(o, "  pkmap slot %u of %u (PKMAP_NR)\n", wi->slot, m->layout.last_pkmap);
		break;
	case WI_VMALLOC:
	case WI_VMALLOC_GUARD:
		out_printf(o, "  %svmap area 0x%0*llx-0x%0*llx (%llu bytes, %s), caller %s\n",
			   wi->what == WI_VMALLOC_GUARD ? "guard page of the " : "", w, (ull)wi->vm_start, w,
			   (ull)wi->vm_end, (ull)(wi->vm_end - wi->vm_start),
			   (wi->vm_flags & VM_ALLOC) ? "vmalloc" : (wi->vm_flags & VM_IOREMAP) ? "ioremap" : "vmap",
			   wi->vm_caller[0] ? wi->vm_caller : "?");
		if (wi->what == WI_VMALLOC)
			out_printf(o, "  page %u of %u, backed by %spfn 0x%llx\n", wi->vm_index, wi->vm_nr_pages,
				   wi->io ? "device " : "", (ull)wi->vm_pfn);
		else
			out_puts(o, "  never mapped, so running off the end of the area faults\n");
		break;
	case WI_VMALLOC_LAZY:
		out_printf(o, "  freed vmalloc area 0x%0*llx-0x%0*llx (lazily, not yet purged): its entries are "
			   "cleared, the range is reused after the purge\n", w, (ull)wi->vm_start, w, (ull)wi->vm_end);
		break;
	case WI_VMALLOC_HOLE:
		out_puts(o, "  no vmap area holds this address\n");
		break;
	case WI_VMALLOC_POOLED:
		out_printf(o, "  freed vmalloc area 0x%0*llx-0x%0*llx, purged and kept in vmap node %u's pool for the "
			   "next allocation of its size: free, but not in the free tree\n", w, (ull)wi->vm_start, w,
			   (ull)wi->vm_end, wi->slot);
		break;
	default:
		break;
	}
	if (wi->io)
		iomem_text(o, wi);
	if (wi->what == WI_PKMAP || wi->what == WI_FIXMAP)
		kmap_line(o, m, wi->addr);
	if (!wi->highmem_pfn && wi->region.kind != VR_USER && wi->region.kind != VR_NONCANONICAL &&
	    wi->region.kind != VR_DIRECT) {
		if (wi->walk.end == WALK_MAPPED && wi->walk.page_size > 4096 && wi->region.kind == VR_VMALLOC && m->pt) {
			/* a huge ioremap leaf (vmap_try_huge_pmd/pud()) */
			char sz[24];
			const struct pt_walk_step *s = &wi->walk.step[wi->walk.nsteps - 1];
			out_printf(o, "  mapped: phys 0x%llx through a %s %s entry (PSE)\n", (ull)wi->walk.phys,
				   size_text(sz, sizeof sz, wi->walk.page_size),
				   view_level_name(m->pt->g.leaf_name[s->depth]));
		} else if (wi->walk.end == WALK_MAPPED)
			out_printf(o, "  mapped: phys 0x%llx\n", (ull)wi->walk.phys);
		else if (wi->walk.end == WALK_NOT_PRESENT)
			out_puts(o, "  not mapped by the page tables\n");
	}
}

/* ---- show layout -------------------------------------------------------------------- */

static const char kind_letter[] = {
	[VR_USER] = 'u', [VR_HOLE] = ' ', [VR_NONCANONICAL] = '~', [VR_DIRECT] = 'D', [VR_DIRECT_SPARE] = 'd',
	[VR_LDT] = 'L', [VR_VMALLOC] = 'V', [VR_VMEMMAP] = 'M', [VR_KASAN] = 'S', [VR_CPU_ENTRY] = 'C',
	[VR_ESPFIX] = 'E', [VR_EFI] = 'e', [VR_KERNEL_TEXT] = 'T', [VR_MODULES] = 'm', [VR_PKMAP] = 'K',
	[VR_FIXMAP] = 'F', [VR_VSYSCALL] = 'v',
};

static unsigned log2u(uint64_t v)
{
	unsigned n = 0;
	while (v >>= 1)
		n++;
	return n;
}

void view_layout(struct out *o, const struct machine *m)
{
	const struct kernel_layout *l = &m->layout;
	int w = hexw(m);
	char sz[24];
	if (o->json) {
		out_puts(o, "{\"regions\":[");
		for (int i = 0; i < l->nregions; i++) {
			const struct vm_region *r = &l->region[i];
			out_printf(o, "%s{\"start\":\"0x%llx\",\"end\":\"0x%llx\",\"kind\":", i ? "," : "", (ull)r->start,
				   (ull)r->last);
			out_json_str(o, layout_kind_name(r->kind));
			out_puts(o, ",\"what\":");
			out_json_str(o, r->what);
			out_puts(o, "}");
		}
		out_printf(o, "],\"page_offset\":\"0x%llx\",\"high_memory\":\"0x%llx\",\"vmalloc_start\":\"0x%llx\","
			   "\"vmalloc_end\":\"0x%llx\"}\n", (ull)l->page_offset, (ull)l->high_memory,
			   (ull)l->vmalloc_start, (ull)l->vmalloc_end);
		return;
	}
	out_printf(o, "%-*s  %-*s  %8s  %s\n", w + 2, "start", w + 2, "end", "size", "what");
	for (int i = 0; i < l->nregions; i++) {
		const struct vm_region *r = &l->region[i];
		uint64_t size = r->last - r->start + 1;
		out_printf(o, "0x%0*llx  0x%0*llx  %8s  %s\n", w, (ull)r->start, w, (ull)r->last,
			   size ? size_approx(sz, sizeof sz, size) : "16E", r->what);
	}
	/* the picture: each region's width grows with log2 of its size, so a
	 * 4 KiB page and 128 TiB of user space both show */
	enum { COLS = 72 };
	unsigned weight[LAYOUT_MAX_REGIONS], total = 0;
	for (int i = 0; i < l->nregions; i++) {
		uint64_t size = l->region[i].last - l->region[i].start + 1;
		unsigned lg = size ? log2u(size) : 64;
		weight[i] = lg > 11 ? lg - 11 : 1;
		total += weight[i];
	}
	char pic[COLS * 2 + 1];
	size_t p = 0;
	for (int i = 0; i < l->nregions && p < COLS * 2; i++) {
		unsigned cols = weight[i] * COLS / (total ? total : 1);
		if (cols == 0)
			cols = 1;
		for (unsigned c = 0; c < cols && p < COLS * 2; c++)
			pic[p++] = kind_letter[l->region[i].kind];
	}
	pic[p] = '\0';
	out_printf(o, "\n|%s|\n", pic);
	out_printf(o, "0x%0*llx%*s0x%0*llx  (widths grow with log2 of the size)\n", w, 0ull, (int)(p - (size_t)w * 2 - 2),
		   "", w, m->arch->bits == 64 ? ~0ull : 0xffffffffull);
	out_puts(o, "legend: u user  D direct map  d direct-map reserve  V vmalloc  K pkmap  F fixmap  M vmemmap\n"
		    "        T kernel text  m modules  C cpu_entry_area  L LDT  E espfix  e EFI  S KASAN  v vsyscall\n"
		    "        ~ non-canonical  (blank) hole\n");
	char sz2[24];
	out_printf(o, "\n%s: PAGE_OFFSET 0x%0*llx .. high_memory 0x%0*llx (%s, max_low_pfn 0x%llx)\n",
		   m->arch->bits == 32 ? "lowmem" : "direct map", w, (ull)l->page_offset, w, (ull)l->high_memory,
		   size_approx(sz, sizeof sz, l->high_memory - l->page_offset), (ull)m->max_low_pfn);
	struct vmalloc_totals vt;
	vmap_totals(m, &vt);
	out_printf(o, "vmalloc: 0x%0*llx .. 0x%0*llx (%s), %llu bytes in use (guard pages included)\n", w,
		   (ull)l->vmalloc_start, w, (ull)l->vmalloc_end,
		   size_approx(sz2, sizeof sz2, l->vmalloc_end - l->vmalloc_start), (ull)vt.used_bytes);
	if (l->pkmap_base)
		out_printf(o, "pkmap: 0x%0*llx, LAST_PKMAP %u slots, 0 in use\n", w, (ull)l->pkmap_base, l->last_pkmap);
	out_printf(o, "fixmap: 0x%0*llx .. 0x%0*llx, %u permanent slots (%u with the boot-time ones)\n", w,
		   (ull)l->fixaddr_start, w, (ull)l->fixaddr_top, l->end_of_permanent_fixed, l->end_of_fixed);
	if (l->kaslr)
		out_printf(o, "KASLR: memory bases randomised with seed %llu\n", (ull)l->kaslr_seed);
}
