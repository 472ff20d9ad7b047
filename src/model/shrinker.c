/*
 * shrinker.c - shrinkers and shrink_slab() (mm/shrinker.c of Linux 6.13;
 * vmscan.c's drop_slab() calls shrink_slab() each round, with the
 * shrinkable caches').
 *
 * A cache that can give memory back under pressure registers a shrinker:
 * count_objects() says how many objects it could free, scan_objects()
 * frees some.  shrink_slab() asks every registered shrinker at the
 * reclaim's priority; do_shrink_slab() turns the count into a scan target
 * of (freeable >> priority) * 4 / seeks (freeable / 2 when seeks is 0)
 * plus the work left over from earlier calls (nr_deferred >> priority),
 * at most twice freeable, and scans in batches of SHRINK_BATCH - or all
 * at once when the target reaches freeable, the "tight on memory" case.
 * What was asked for and not scanned is deferred to the next call (at
 * most twice freeable).  A shrinker answering SHRINK_STOP ends its scan
 * and scans nothing, so its deferred work only grows.
 *
 * The callbacks are the registering layer's (vmalloc's vmap-node
 * shrinker), reached through the struct as the kernel reaches them: reclaim
 * calls no layer above it by name.
 */
#include <errno.h>

#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

int shrinker_register(struct machine *m, struct shrinker *s)
{
	for (unsigned i = 0; i < m->nr_shrinkers; i++)
		if (m->shrinkers[i] == s)
			return 0;
	if (m->nr_shrinkers == MACHINE_SHRINKERS_MAX)
		return -ENOSPC;
	if (!s->seeks)
		s->seeks = DEFAULT_SEEKS;       /* shrinker_alloc() */
	/* shrinker_register(): list_add_tail_rcu() onto shrinker_list */
	m->shrinkers[m->nr_shrinkers++] = s;
	return 0;
}

void shrinker_free(struct machine *m, struct shrinker *s)
{
	for (unsigned i = 0; i < m->nr_shrinkers; i++)
		if (m->shrinkers[i] == s) {
			for (unsigned j = i + 1; j < m->nr_shrinkers; j++)
				m->shrinkers[j - 1] = m->shrinkers[j];
			m->shrinkers[--m->nr_shrinkers] = NULL;
			return;
		}
}

/* do_shrink_slab() */
static unsigned long do_shrink_slab(struct machine *m, struct shrinker *s, int priority)
{
	struct shrink_control sc = { .priority = priority };
	unsigned long batch = s->batch ? s->batch : SHRINK_BATCH;
	unsigned long freed = 0, scanned = 0, delta, total_scan, nr;
	unsigned long freeable = s->count_objects(m, &sc);

	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return freeable;
	s->calls++;
	nr = s->nr_deferred;                    /* xchg_nr_deferred() */
	s->nr_deferred = 0;
	if (s->seeks) {
		delta = freeable >> priority;
		delta *= 4;
		delta /= (unsigned long)s->seeks;
	} else {
		delta = freeable / 2;
	}
	total_scan = nr >> priority;
	total_scan += delta;
	if (total_scan > 2 * freeable)
		total_scan = 2 * freeable;
	while (total_scan >= batch || total_scan >= freeable) {
		sc.nr_to_scan = total_scan < batch ? total_scan : batch;
		sc.nr_scanned = sc.nr_to_scan;
		unsigned long ret = s->scan_objects(m, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		/* count_vm_events(SLABS_SCANNED, shrinkctl->nr_scanned) */
		struct vm_state *v = vmscan_state(m);
		if (v)
			v->ev.slabs_scanned += sc.nr_scanned;
		total_scan -= sc.nr_scanned;
		scanned += sc.nr_scanned;
	}
	/* next_deferred = max_t(long, nr + delta - scanned, 0), at most 2 * freeable */
	long next = (long)(nr + delta - scanned);
	unsigned long next_deferred = next > 0 ? (unsigned long)next : 0;
	if (next_deferred > 2 * freeable)
		next_deferred = 2 * freeable;
	s->nr_deferred += next_deferred;        /* add_nr_deferred() */
	return freed;
}

/* shrink_slab() of the root memcg: the global shrinker_list in order */
unsigned long vmscan_shrink_slab(struct machine *m, int priority)
{
	unsigned long freed = 0;
	for (unsigned i = 0; i < m->nr_shrinkers; i++) {
		unsigned long ret = do_shrink_slab(m, m->shrinkers[i], priority);
		if (ret == SHRINK_EMPTY)
			ret = 0;
		freed += ret;
	}
	return freed;
}
