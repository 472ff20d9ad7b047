/*
 * kmapview.c - `show kmap`: the PKMAP slots in use (pkmap_count and the
 * page each maps), last_pkmap_nr, and each CPU's fixmap kmap slots
 * (2.6.32: by km_type; 6.13: the kmap_local stack, bottom first); and
 * `show context`: the task's preempt_count, interrupt flag, RCU depth and
 * the locks it holds.
 */
#include "kmemsh/context.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/highmem.h"
#include "kmemsh/slab.h"
#include "view_int.h"

static const char *page_state(int count)
{
	return count == 1 ? "unused, pte kept until the next flush" : "in use";
}

void view_kmap(struct out *o, const struct machine *m)
{
	const struct highmem_state *h = m->hm;
	const struct kernel_layout *l = &m->layout;
	unsigned per = l->kconfig ? l->kconfig->km_type_nr : 16;
	bool first = true;
	if (o->json) {
		out_puts(o, "{\"pkmap\":[");
		if (h)
			for (unsigned i = 0; i < h->last_pkmap; i++) {
				if (!h->pkmap_count[i])
					continue;
				out_printf(o, "%s{\"slot\":%u,\"addr\":\"%#llx\",\"pkmap_count\":%d,\"pfn\":\"%#llx\"}",
					   first ? "" : ",", i, (ull)(l->pkmap_base + ((uint64_t)i << 12)),
					   h->pkmap_count[i], (ull)h->pkmap_pfn[i]);
				first = false;
			}
		out_printf(o, "],\"last_pkmap_nr\":%u,\"fixmap\":[", h ? h->last_pkmap_nr : 0);
		first = true;
		for (unsigned c = 0; h && c < h->ncpus; c++)
			for (unsigned i = 0; i < per && i < KM_STACK_MAX; i++) {
				if (!h->slot[c][i].used)
					continue;
				out_printf(o, "%s{\"cpu\":%u,\"idx\":%u,\"addr\":\"%#llx\",\"pfn\":\"%#llx\",\"atomic\":%s}",
					   first ? "" : ",", c, i, (ull)highmem_slot_vaddr(m, c, i),
					   (ull)h->slot[c][i].pfn, h->slot[c][i].atomic || view_old(m) ? "true" : "false");
				first = false;
			}
		out_puts(o, "]}\n");
		return;
	}
	if (!l->pkmap_base) {
		out_puts(o, "no HighMem on this machine: kmap() is page_address(), and so are kmap_local_page() "
			    "and kmap_atomic()\n");
		return;
	}
	out_printf(o, "PKMAP: %u slots at %#llx-%#llx (LAST_PKMAP), last_pkmap_nr %u\n", l->last_pkmap,
		   (ull)l->pkmap_base, (ull)(l->pkmap_base + ((uint64_t)l->last_pkmap << 12) - 1),
		   h ? h->last_pkmap_nr : 0);
	unsigned used = 0;
	for (unsigned i = 0; h && i < h->last_pkmap; i++) {
		if (!h->pkmap_count[i])
			continue;
		if (!used++)
			out_puts(o, "  slot  address     pkmap_count  pfn       state\n");
		out_printf(o, "  %4u  %#010llx  %11d  %#-8llx  %s\n", i, (ull)(l->pkmap_base + ((uint64_t)i << 12)),
			   h->pkmap_count[i], (ull)h->pkmap_pfn[i], page_state(h->pkmap_count[i]));
	}
	if (!used)
		out_puts(o, "  no slot in use\n");
	out_printf(o, "fixmap kmap slots: FIX_KMAP_BEGIN %u .. FIX_KMAP_END %u, %u per CPU (%s)\n",
		   l->fix_kmap_begin, l->fix_kmap_end, per, view_old(m) ? "KM_TYPE_NR" : "KM_MAX_IDX");
	unsigned ncpus = m->ncpus ? m->ncpus : 1;
	for (unsigned c = 0; c < ncpus; c++) {
		unsigned n = 0;
		out_printf(o, "  CPU %u:", c);
		for (unsigned i = 0; h && c < h->ncpus && i < per && i < KM_STACK_MAX; i++) {
			const struct km_slot *k = &h->slot[c][i];
			if (!k->used)
				continue;
			out_printf(o, "%s", n++ ? "," : "");
			if (view_old(m))
				out_printf(o, " %s", highmem_km_type_name((int)i));
			else
				out_printf(o, " [%u]%s", i, k->atomic ? " atomic" : "");
			out_printf(o, " %#llx -> pfn %#llx", (ull)highmem_slot_vaddr(m, c, i), (ull)k->pfn);
		}
		if (!n)
			out_puts(o, " none");
		else if (!view_old(m))
			out_printf(o, " (stack depth %d)", h->depth[c]);
		out_puts(o, "\n");
	}
}

void view_context(struct out *o, const struct machine *m)
{
	const struct context_state *c = &m->ctx;
	if (o->json) {
		out_printf(o, "{\"context\":\"%s\",\"preempt_count\":\"%#x\",\"irqs_disabled\":%s,\"rcu_depth\":%d,"
			   "\"may_sleep\":%s,\"locks\":[", context_kind_name(c->kind), c->preempt_count,
			   c->irqs_disabled ? "true" : "false", c->rcu_depth, context_may_sleep(m) ? "true" : "false");
		for (unsigned i = 0; i < c->nlocks; i++) {
			out_puts(o, i ? "," : "");
			out_json_str(o, c->lock[i].name);
		}
		out_puts(o, "],\"mutexes\":[");
		for (unsigned i = 0; i < c->nmutexes; i++) {
			out_puts(o, i ? "," : "");
			out_json_str(o, c->mutex[i].name);
		}
		out_printf(o, "],\"pf_memalloc\":%s,\"vfree_deferred\":%u}\n", c->pf_memalloc ? "true" : "false",
			   vmap_deferred_count(m));
		return;
	}
	out_printf(o, "%s context on CPU %u, pid 1 (kmemsh)\n", context_kind_name(c->kind), machine_this_cpu(m));
	out_printf(o, "  preempt_count  %#x (preempt %u, softirq %u, hardirq %u)\n", c->preempt_count,
		   c->preempt_count & PREEMPT_MASK, (c->preempt_count & SOFTIRQ_MASK) >> 8,
		   (c->preempt_count & HARDIRQ_MASK) >> 16);
	out_printf(o, "  in_atomic()    %d\n", context_in_atomic(m));
	out_printf(o, "  irqs_disabled  %d\n", c->irqs_disabled);
	out_printf(o, "  RCU depth      %d%s\n", c->rcu_depth,
		   view_old(m) && c->rcu_depth ? " (2.6.32's might_sleep does not look at it)" : "");
	out_puts(o, "  locks held    ");
	for (unsigned i = 0; i < c->nlocks; i++)
		out_printf(o, " %s%s", c->lock[i].name, c->lock[i].irqsave ? " (irqsave)" : "");
	out_puts(o, c->nlocks ? "\n" : " none\n");
	out_puts(o, "  mutexes held  ");
	for (unsigned i = 0; i < c->nmutexes; i++)
		out_printf(o, " %s", c->mutex[i].name);
	out_puts(o, c->nmutexes ? "\n" : " none\n");
	if (c->pf_memalloc)
		out_printf(o, "  PF_MEMALLOC    set: allocations %s the min watermarks, and none enters direct reclaim\n",
			   context_pf_memalloc_reserves(m) ? "may go below" : "in a hardirq stay above");
	if (vmap_deferred_count(m))
		out_printf(o, "  vfree_atomic   %u area%s queued, freed when the task can be scheduled\n",
			   vmap_deferred_count(m), vmap_deferred_count(m) == 1 ? "" : "s");
	out_printf(o, "  may sleep      %s\n", context_may_sleep(m) ? "yes" : "no: GFP_KERNEL, kmap() ... get "
		   "\"BUG: sleeping function called from invalid context\"");
}
