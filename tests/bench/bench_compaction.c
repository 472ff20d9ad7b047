/*
 * bench_compaction.c - compaction figures for `make bench` (printed, never
 * asserted): an x86_64 6.13 machine whose Normal zone is 4 GiB, fully
 * fragmented by `fragment Normal xx.` (one page in three free: every free
 * block has order 0), compacted to the end as compact_memory does: the
 * time, the pages scanned and migrated, and pages migrated per second.
 *
 * Next to it, the baseline measured in the same run: as many order-0
 * alloc+free pairs through the buddy allocator of the same zone as pages
 * were migrated (a migration takes a target page and frees its source),
 * pairs per second.
 *
 * Not "x." (every other page): the top pageblocks of Normal hold boot
 * reservations, so the free scanner, finding nothing to isolate there,
 * doubles its stride to COMPACT_CLUSTER_MAX (32) as isolate_freepages()
 * does, and from then on probes only even pfns, which "x." keeps
 * allocated: it isolates nothing, as the kernel would with that layout.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
	/* RAM above 4 GiB is the Normal zone: 7 GiB of RAM puts 4 GiB there
	 * (the PCI hole keeps the rest below 4 GiB, in DMA32) */
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 7ull << 30 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	m->log.enabled = false;
	int z = machine_zone_by_name(m, "Normal");
	gfp_t gfp;
	if (z < 0 || gfp_parse(m->kp, "GFP_HIGHUSER_MOVABLE", &gfp, NULL)) {
		fprintf(stderr, "bench: no Normal zone\n");
		return 1;
	}
	uint64_t taken, freed;
	double t0 = now();
	if (extfrag_fragment_zone(m, z, gfp, "xx.", &taken, &freed)) {
		fprintf(stderr, "bench: %s\n", m->err);
		return 1;
	}
	double t1 = now();
	struct compact_report rep;
	if (compaction_compact_memory(m, z, &rep)) {
		fprintf(stderr, "bench: %s\n", m->err);
		return 1;
	}
	double t2 = now();
	const struct compact_zone_report *zr = &rep.zone[0];
	printf("compaction of a fully fragmented %.2f GiB Normal zone (%llu of %llu pages free, all order 0):\n",
	       (double)m->zones[z].spanned / 262144.0, (unsigned long long)freed,
	       (unsigned long long)m->zones[z].spanned);
	printf("  fragment: %.3f s; compact: %.3f s, %s\n", t1 - t0, t2 - t1, compact_result_name(zr->result));
	printf("  scanned %llu (migrate) + %llu (free), migrated %llu pages: %.2f M pages migrated/s\n",
	       (unsigned long long)zr->migrate_scanned, (unsigned long long)zr->free_scanned,
	       (unsigned long long)zr->migrated, (double)zr->migrated / (t2 - t1) / 1e6);
	unsigned long long after[NR_ORDERS];
	for (unsigned k = 0; k < NR_ORDERS; k++)
		after[k] = (unsigned long long)free_area_nr_free(&m->zones[z].free_area[k]);
	printf("  free blocks after, orders 0-10:");
	for (unsigned k = 0; k < NR_ORDERS; k++)
		printf(" %llu", after[k]);
	printf("\n");
	/* the baseline: as many buddy alloc+free pairs as pages migrated */
	uint64_t pairs = zr->migrated ? zr->migrated : 1, pfn;
	double t3 = now();
	for (uint64_t i = 0; i < pairs; i++)
		if (buddy_alloc_pages(m, gfp, 0, &pfn) || buddy_free_pages(m, pfn, 0)) {
			fprintf(stderr, "bench: baseline pair failed: %s\n", m->err);
			return 1;
		}
	double t4 = now();
	printf("%-58s %12s %14s\n", "benchmark", "kmemsh", "baseline");
	printf("%-58s %8.3f s  %11.3f s    (%llu pages; baseline: as many order-0 alloc+free pairs)\n",
	       "compaction of a fully fragmented 4 GiB zone: time", t2 - t1, t4 - t3, (unsigned long long)pairs);
	printf("%-58s %7.2f M/s %10.2f M/s   (pages migrated/s; baseline: alloc+free pairs/s)\n",
	       "compaction of a fully fragmented 4 GiB zone: migrated/s", (double)zr->migrated / (t2 - t1) / 1e6,
	       (double)pairs / (t4 - t3) / 1e6);
	compact_report_free(&rep);
	int bad = machine_check(m);
	if (bad)
		fprintf(stderr, "bench: check: %s\n", m->err);
	machine_destroy(m);
	return bad ? 1 : 0;
}
