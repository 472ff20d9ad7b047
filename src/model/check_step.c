/*
 * check_step.c - what --check verifies after each command
 * (machine_check_step()), between the full checks of machine_check().
 *
 * The full checker walks every free list, page, slab, page table and
 * vmap area: its cost grows with the model's state, and run after every
 * command of a long script it would cost O(state) per command.  After a
 * step this checks what stays O(1), or is bounded by what the step did:
 *
 * - per zone, the free-area counters add up to NR_FREE_PAGES and that is
 *   no more than the zone's managed pages (orders x migratetypes reads);
 * - in the slab layer, the slabs and caches the step's change log names
 *   (slab_check_step()).
 *
 * The driver (session.c) runs machine_check() every CHECK_FULL_EVERY
 * commands and at the end of the run, so that anything this misses is
 * still found.
 */
#include <errno.h>
#include <stdio.h>

#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"

static int check_zone_counters(struct machine *m)
{
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		uint64_t free_pages = 0;
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			uint64_t blocks = 0;
			for (int mt = 0; mt < MAX_MIGRATETYPES; mt++)
				blocks += zn->free_area[o].nr_mt[mt];
			if (blocks != zn->free_area[o].nr_free) {
				model_err(m, "zone %s order %u: nr_free %llu, the migratetypes "
					 "count %llu blocks", zn->name, o, (unsigned long long)zn->free_area[o].nr_free,
					 (unsigned long long)blocks);
				return -EUCLEAN;
			}
			free_pages += blocks << o;
		}
		if (free_pages != zn->free_pages || zn->free_pages > zn->managed) {
			model_err(m, "zone %s: NR_FREE_PAGES %llu, the free areas count %llu "
				 "pages, %llu managed", zn->name, (unsigned long long)zn->free_pages,
				 (unsigned long long)free_pages, (unsigned long long)zn->managed);
			return -EUCLEAN;
		}
	}
	return 0;
}

int machine_check_step(struct machine *m)
{
	int r = check_zone_counters(m);
	if (!r)
		r = slab_check_step(m);
	return r;
}
