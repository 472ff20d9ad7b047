/*
 * compactview.c - what a compaction did (`compact`, `echo 1 >
 * /proc/sys/vm/compact_memory`), and the compaction events as
 * /proc/vmstat names them (mm/vmstat.c vmstat_text[]: compact_migrate_scanned,
 * compact_free_scanned, compact_isolated, compact_stall, compact_fail,
 * compact_success, compact_daemon_wake, compact_daemon_migrate_scanned,
 * compact_daemon_free_scanned, in that order, one "name value" line each).
 */
#include <stdio.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "view_int.h"

#define MOVES_SHOWN 8

static const char *result_words(const struct compact_zone_report *zr)
{
	switch (zr->result) {
	case COMPACT_COMPLETE:
		return "the scanners met: the whole zone was compacted";
	case COMPACT_SUCCESS:
		return "a free block of the order is there";
	case COMPACT_SKIPPED:
		return "not suitable: too few free pages above the watermark, or a failure would not be for "
		       "fragmentation";
	case COMPACT_CONTENDED:
		/* the kernel's COMPACT_CONTENDED of compact_zone() after
		 * migrate_pages() -ENOMEM (compaction_alloc() found no free
		 * page), or the model's own stop when the host had no memory */
		if (zr->host_oom)
			return "stopped: out of host memory";
		return "stopped: no free page to migrate into before the scanners met: migrate_pages() failed "
		       "with -ENOMEM";
	default:
		return compact_result_name(zr->result);
	}
}

/* Pages could not move because the free scanner came upon no free page
 * at all in what it sampled (not because what it took ran out, nor because
 * the min watermark refused what it found) */
static bool free_scanner_found_none(const struct compact_zone_report *zr)
{
	return zr->failed && !zr->free_found && zr->free_scanned;
}

static void json_nr_free(struct out *o, const uint64_t *v)
{
	for (unsigned k = 0; k < NR_ORDERS; k++)
		out_printf(o, "%s%llu", k ? "," : "", (unsigned long long)v[k]);
}

void view_compact(struct out *o, const struct machine *m, const struct compact_report *rep,
		  const struct compact_var *vars, size_t nvars)
{
	if (o->json) {
		out_puts(o, "{\"compact\":[");
		for (int i = 0; i < rep->nzones; i++) {
			const struct compact_zone_report *zr = &rep->zone[i];
			uint64_t after[NR_ORDERS];
			for (unsigned k = 0; k < NR_ORDERS; k++)
				after[k] = free_area_nr_free(&m->zones[zr->zone].free_area[k]);
			out_printf(o, "%s{\"zone\":", i ? "," : "");
			out_json_str(o, m->zones[zr->zone].name);
			out_printf(o, ",\"result\":\"%s\",\"migrate_scanned\":%llu,\"free_scanned\":%llu,"
				   "\"isolated\":%llu,\"migrated\":%llu,\"failed\":%llu,",
				   compact_result_name(zr->result), (unsigned long long)zr->migrate_scanned,
				   (unsigned long long)zr->free_scanned, (unsigned long long)zr->isolated,
				   (unsigned long long)zr->migrated, (unsigned long long)zr->failed);
			out_printf(o, "\"free_isolated\":%llu,\"free_stride_max\":%u,\"free_scanner_found_none\":%s,"
				   "\"nr_free_before\":[", (unsigned long long)zr->free_isolated, zr->free_stride_max,
				   free_scanner_found_none(zr) ? "true" : "false");
			json_nr_free(o, zr->nr_free_before);
			out_puts(o, "],\"nr_free_after\":[");
			json_nr_free(o, after);
			out_puts(o, "]}");
		}
		out_puts(o, "],\"moves\":[");
		for (size_t i = 0; i < rep->nmoves; i++) {
			out_puts(o, i ? ",{\"from\":" : "{\"from\":");
			view_json_hex(o, rep->moves[i].from);
			out_puts(o, ",\"to\":");
			view_json_hex(o, rep->moves[i].to);
			out_printf(o, ",\"order\":%u}", rep->moves[i].order);
		}
		out_puts(o, "],\"variables\":[");
		for (size_t i = 0; i < nvars; i++) {
			out_puts(o, i ? ",{\"name\":" : "{\"name\":");
			out_json_str(o, vars[i].name);
			out_puts(o, ",\"from\":");
			view_json_hex(o, vars[i].from);
			out_puts(o, ",\"to\":");
			view_json_hex(o, vars[i].to);
			out_puts(o, "}");
		}
		out_puts(o, "]}\n");
		return;
	}
	for (int i = 0; i < rep->nzones; i++) {
		const struct compact_zone_report *zr = &rep->zone[i];
		const struct zone *z = &m->zones[zr->zone];
		out_printf(o, "compact %s: %s (%s)\n", z->label, compact_result_name(zr->result),
			   result_words(zr));
		out_printf(o, "  scanned %llu pages (migrate scanner, up from pfn 0x%llx) and %llu (free scanner, "
			   "down from the last pageblock); isolated %llu\n",
			   (unsigned long long)zr->migrate_scanned, (unsigned long long)z->start_pfn,
			   (unsigned long long)zr->free_scanned, (unsigned long long)zr->isolated);
		out_printf(o, "  migrated %llu pages%s", (unsigned long long)zr->migrated, zr->failed ? "" : "\n");
		if (zr->failed)
			out_printf(o, ", %llu could not move (no free page left for them)\n",
				   (unsigned long long)zr->failed);
		/* isolate_freepages(): the stride doubles after each pageblock
		 * where nothing was isolated (free pages between the sampled
		 * pfns are not seen: `fragment`'s x. frees only odd pfns) */
		if (free_scanner_found_none(zr) && zr->free_stride_max > 1)
			out_printf(o, "  the free scanner found no free page in the %llu pfns it sampled "
				   "(isolate_freepages(): after each pageblock with none the stride doubles, here to %u)\n",
				   (unsigned long long)zr->free_scanned, zr->free_stride_max);
		else if (free_scanner_found_none(zr))
			out_printf(o, "  the free scanner found no free page in the %llu pages it scanned\n",
				   (unsigned long long)zr->free_scanned);
		out_puts(o, "  order   ");
		for (unsigned k = 0; k < NR_ORDERS; k++)
			out_printf(o, " %6u", k);
		out_puts(o, "\n  before  ");
		for (unsigned k = 0; k < NR_ORDERS; k++)
			out_printf(o, " %6llu", (unsigned long long)zr->nr_free_before[k]);
		out_puts(o, "\n  after   ");
		for (unsigned k = 0; k < NR_ORDERS; k++)
			out_printf(o, " %6llu", (unsigned long long)free_area_nr_free(&z->free_area[k]));
		out_puts(o, "\n");
	}
	size_t shown = rep->nmoves < MOVES_SHOWN ? rep->nmoves : MOVES_SHOWN;
	for (size_t i = 0; i < shown; i++) {
		const struct compact_move *mv = &rep->moves[i];
		out_printf(o, "  page 0x%llx moved to 0x%llx", (unsigned long long)mv->from, (unsigned long long)mv->to);
		if (mv->order)
			out_printf(o, " (order %u)", mv->order);
		out_puts(o, "\n");
	}
	if (rep->nmoves > shown)
		out_printf(o, "  ... and %zu more moves (whatis pfn PFN says where the page at PFN went)\n",
			   rep->nmoves - shown);
	for (size_t i = 0; i < nvars; i++)
		out_printf(o, "  $%s: its page 0x%llx moved to 0x%llx; $%s still holds the old struct page "
			   "(pfn_to_page 0x%llx names the new one)\n", vars[i].name, (unsigned long long)vars[i].from,
			   (unsigned long long)vars[i].to, vars[i].name, (unsigned long long)vars[i].to);
}

void view_compaction_events(struct out *o, const struct machine *m)
{
	const struct compact_events *e = &m->compact_ev;
	const struct { const char *name; uint64_t v; } rows[] = {
		{ "compact_migrate_scanned", e->migrate_scanned }, { "compact_free_scanned", e->free_scanned },
		{ "compact_isolated", e->isolated }, { "compact_stall", e->stall },
		{ "compact_fail", e->fail }, { "compact_success", e->success },
		{ "compact_daemon_wake", e->daemon_wake }, { "compact_daemon_migrate_scanned", e->daemon_migrate_scanned },
		{ "compact_daemon_free_scanned", e->daemon_free_scanned },
	};
	size_t n = sizeof rows / sizeof rows[0];
	if (o->json) {
		out_puts(o, "{");
		for (size_t i = 0; i < n; i++)
			out_printf(o, "%s\"%s\":%llu", i ? "," : "", rows[i].name, (unsigned long long)rows[i].v);
		out_printf(o, ",\"extfrag_threshold\":%d}\n", m->extfrag_threshold);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out_printf(o, "%s %llu\n", rows[i].name, (unsigned long long)rows[i].v);
}

/* /sys/kernel/mm/transparent_hugepage/ (mm/huge_memory.c enabled_show():
 * the three modes, the current one in brackets; hpage_pmd_size_show():
 * HPAGE_PMD_SIZE, the size of a pageblock on x86) */
void view_thp(struct out *o, const struct machine *m, int which)
{
	static const char *const modes[3] = { "[always] madvise never", "always [madvise] never",
					       "always madvise [never]" };
	const char *enabled = modes[m->thp == THP_MADVISE ? 1 : m->thp == THP_NEVER ? 2 : 0];
	unsigned long long size = 4096ull << m->pageblock_order;
	if (o->json) {
		out_printf(o, "{\"enabled\":\"%s\",\"hpage_pmd_size\":%llu,\"min_free_kbytes\":%u}\n",
			   machine_thp_name(m->thp), size, m->min_free_kbytes);
		return;
	}
	if (which == 0)
		out_printf(o, "%s\n", enabled);
	else if (which == 1)
		out_printf(o, "%llu\n", size);
	else
		out_printf(o, "/sys/kernel/mm/transparent_hugepage/enabled: %s\n"
			   "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size: %llu\n", enabled, size);
}
