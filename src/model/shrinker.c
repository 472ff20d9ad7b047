/*
 * shrinker.c - the shrinker registry and shrink_slab() (mm/shrinker.c of
 * Linux 6.13; 2.6.32's register_shrinker() and shrink_slab() in
 * mm/vmscan.c).
 *
 * A cache that can give memory back under pressure registers a shrinker:
 * count_objects() says how many objects it could free, scan_objects()
 * frees some.  shrink_slab() asks every registered shrinker in turn, in
 * the order they registered, with the profile's arithmetic:
 *
 * 6.13 do_shrink_slab(): a scan target of (freeable >> priority) * 4 /
 * seeks (freeable / 2 when seeks is 0) plus the work left over from
 * earlier calls (nr_deferred >> priority), at most twice freeable,
 * scanned in batches of the shrinker's batch (SHRINK_BATCH 128 unless it
 * set one) - or all at once when the target reaches freeable, the "tight
 * on memory" case.  What was asked for and not scanned is deferred to the
 * next call (at most twice freeable).  A shrinker answering SHRINK_STOP
 * ends its scan and scans nothing, so its deferred work only grows.
 *
 * 2.6.32 shrink_slab(): delta = (4 * scanned / seeks) * max_pass /
 * (lru_pages + 1) objects added to shrinker->nr (at most twice max_pass),
 * scanned in whole batches of SHRINK_BATCH; the remainder stays in nr.
 * Its return value is the drop of each shrinker's count over a batch.
 *
 * The slab pages freed while the shrinkers run are reclaim's progress
 * (6.13 __free_slab() -> mm_account_reclaimed_pages(); 2.6.32 __free_slab()
 * adds to current->reclaim_state->reclaimed_slab): every slab page, of
 * any cache.
 *
 * The callbacks are the registering layer's (vmalloc's vmap-node
 * shrinker, the shrinkable caches of list_lru.c), reached through the
 * struct as the kernel reaches them: reclaim calls no layer above it by
 * name.
 */
#include <errno.h>

#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
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

static bool empty(unsigned long count)
{
	return count == 0 || count == SHRINK_EMPTY;
}

/* 6.13 mm/shrinker.c do_shrink_slab() for node nid: the shrinker's
 * callbacks see nid (shrink_slab()'s sc.nid); its deferred work is
 * nr_deferred[nid] when it is SHRINKER_NUMA_AWARE, else nr_deferred[0]
 * (xchg_nr_deferred(), add_nr_deferred()) */
static void do_shrink_slab(struct machine *m, struct shrinker *s, gfp_t gfp, int nid, int priority,
			   struct shrink_result *res)
{
	struct shrink_control sc = { .gfp_mask = gfp, .priority = priority, .nid = nid,
				     .private_data = s->private_data };
	unsigned dn = (s->flags & SHRINKER_NUMA_AWARE) && nid > 0 && nid < MAX_NUMNODES_MODEL ? (unsigned)nid : 0;
	unsigned long batch = s->batch ? s->batch : SHRINK_BATCH;
	unsigned long freed = 0, scanned = 0, delta, total_scan, nr;
	unsigned long freeable = s->count_objects(m, &sc);

	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return;
	s->calls++;
	nr = s->nr_deferred[dn];                /* xchg_nr_deferred() */
	s->nr_deferred[dn] = 0;
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
		res->scanned += sc.nr_scanned;
		total_scan -= sc.nr_scanned;
		scanned += sc.nr_scanned;
		/* The model's own step, not the kernel's: once a scan freed
		 * nothing and the shrinker counts nothing, every batch left
		 * would scan an empty cache and free nothing (each scan_objects
		 * here is a no-op on an empty cache, and the gfp_mask that could
		 * stop it is the same for every batch).  Those batches are
		 * counted as the loop would count them - whole batches, then
		 * what is left if it is still at least freeable - instead of
		 * being run: at a large vm.vfs_cache_pressure the loop is
		 * billions of batches long. */
		if (ret == 0 && empty(s->count_objects(m, &sc))) {
			unsigned long rest = total_scan / batch * batch;
			if (total_scan - rest >= freeable)
				rest = total_scan;
			if (v)
				v->ev.slabs_scanned += rest;
			res->scanned += rest;
			total_scan -= rest;
			scanned += rest;
			break;
		}
	}
	/* next_deferred = max_t(long, nr + delta - scanned, 0), at most 2 * freeable */
	long next = (long)(nr + delta - scanned);
	unsigned long next_deferred = next > 0 ? (unsigned long)next : 0;
	if (next_deferred > 2 * freeable)
		next_deferred = 2 * freeable;
	s->nr_deferred[dn] += next_deferred;    /* add_nr_deferred() */
	res->freed += freed;
	res->ret += freed;
}

/* count_objects() as 2.6.32's (*shrinker->shrink)(0, gfp_mask) answers it */
static unsigned long count_2632(struct machine *m, struct shrinker *s, struct shrink_control *sc)
{
	unsigned long n = s->count_objects(m, sc);
	return n == SHRINK_EMPTY ? 0 : n;
}

/* 2.6.32 mm/vmscan.c shrink_slab(), the loop's body for one shrinker */
static void shrink_slab_2632(struct machine *m, struct shrinker *s, gfp_t gfp, uint64_t scanned,
			     uint64_t lru_pages, struct shrink_result *res)
{
	struct shrink_control sc = { .gfp_mask = gfp, .private_data = s->private_data };
	uint64_t max_pass = count_2632(m, s, &sc);
	uint64_t delta = (4 * scanned) / (uint64_t)s->seeks;
	delta *= max_pass;
	delta /= lru_pages + 1;                 /* do_div(delta, lru_pages + 1) */
	s->nr_deferred[0] += delta;
	/* never try to free more than twice the estimate of freeable entries */
	if (s->nr_deferred[0] > max_pass * 2)
		s->nr_deferred[0] = max_pass * 2;
	uint64_t total_scan = s->nr_deferred[0];
	s->nr_deferred[0] = 0;
	if (max_pass)
		s->calls++;
	while (total_scan >= SHRINK_BATCH) {
		unsigned long nr_before = count_2632(m, s, &sc);
		sc.nr_to_scan = SHRINK_BATCH;
		sc.nr_scanned = SHRINK_BATCH;
		unsigned long freed = s->scan_objects(m, &sc);
		if (freed == SHRINK_STOP)       /* shrink_ret == -1 */
			break;
		unsigned long shrink_ret = count_2632(m, s, &sc);
		if (shrink_ret < nr_before)
			res->ret += nr_before - shrink_ret;
		res->freed += freed;
		struct vm_state *v = vmscan_state(m);
		if (v)
			v->ev.slabs_scanned += SHRINK_BATCH;    /* count_vm_events(SLABS_SCANNED, this_scan) */
		res->scanned += SHRINK_BATCH;
		total_scan -= SHRINK_BATCH;
	}
	s->nr_deferred[0] += total_scan;
}

static uint64_t slab_pages(const struct machine *m)
{
	return m->slab ? m->slab->reclaimable_pages + m->slab->unreclaimable_pages : 0;
}

/*
 * 6.x: shrink_slab(gfp, nid, memcg, priority) is called for one node at a
 * time: by shrink_node_memcgs() for each node a direct reclaim round
 * reaches (shrink_zones()), by node N's kswapd (balance_pgdat() ->
 * kswapd_shrink_node() -> shrink_node()) and node_reclaim() for their
 * node, and by drop_slab() for every online node.  Every shrinker is
 * asked with that nid: a SHRINKER_NUMA_AWARE one (fs/super.c
 * alloc_super()'s sb shrinker, over list_lrus with a list per node)
 * counts and scans node nid's objects only, with nr_deferred[nid]; one
 * that is not NUMA-aware counts what it counts whatever the node (the
 * vmap-node shrinker, a cache's own shrinker over all its lists) and has
 * the one nr_deferred[0], so on an N-node machine a direct reclaim round
 * asks it N times.  (In 6.13 the nid = 0 for shrinkers that are not
 * NUMA-aware stands only in xchg_nr_deferred() / add_nr_deferred(): the
 * older shrink_slab()'s "if (!(shrinker->flags & SHRINKER_NUMA_AWARE))
 * sc.nid = 0;" is gone, though the comment above shrink_slab() still says
 * they "receive a node id of 0".)
 * 2.6.32's shrink_slab() has no node.
 */
void shrink_slab(struct machine *m, gfp_t gfp, int nid, int priority, uint64_t scanned, uint64_t lru_pages,
		 struct shrink_result *res)
{
	uint64_t pages0 = slab_pages(m);
	bool old = m->kp->kv == KV_2_6_32;
	if (old && scanned == 0)
		scanned = SWAP_CLUSTER_MAX;
	/* 6.13: the root memcg's global shrinker_list; 2.6.32: shrinker_list */
	for (unsigned i = 0; i < m->nr_shrinkers; i++) {
		if (old)
			shrink_slab_2632(m, m->shrinkers[i], gfp, scanned, lru_pages, res);
		else
			do_shrink_slab(m, m->shrinkers[i], gfp, nid, priority, res);
	}
	uint64_t pages1 = slab_pages(m);
	res->pages += pages0 > pages1 ? pages0 - pages1 : 0;
}

unsigned long vmscan_shrink_slab(struct machine *m, int priority)
{
	struct shrink_result res = { 0, 0, 0, 0 };
	shrink_slab(m, m->kp->gfp_kernel, 0, priority, 0, 0, &res);      /* node 0's */
	return res.freed;
}
