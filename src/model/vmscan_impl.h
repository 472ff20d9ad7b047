/*
 * vmscan_impl.h - what vmscan.c shares with the other files of reclaim
 * (list_lru.c, pagecache.c): the quiet stretches of bulk work, the
 * reclaim change log, GFP bits by name.  Not a public header.
 */
#ifndef KMEMSH_VMSCAN_IMPL_H
#define KMEMSH_VMSCAN_IMPL_H

#include "kmemsh/machine.h"
#include "kmemsh/vmscan.h"

/* The per-page or per-object events of bulk work (a fill, a shrinker's
 * scan) are not logged; what reclaim, kswapd and the OOM killer do is, as
 * one event each.  Begin/end nest. */
struct vmscan_quiet {
	bool outer;
};
struct vmscan_quiet vmscan_quiet_begin(struct machine *m);
void vmscan_quiet_end(struct machine *m, struct vmscan_quiet q);

/* A reclaim event into the step's change log; inside a quiet stretch (or
 * with merge) events of one kind merge into one that counts them. */
void vmscan_log(struct machine *m, const struct change *c, bool merge);

/* the profile's GFP bits of a name (0: the profile has no such flag) */
uint32_t vmscan_gfp_bit(const struct machine *m, const char *name);

/* list_lru.c: every shrinkable cache's shrinker unregistered, its lists freed */
void vmscan_shrinkable_destroy(struct machine *m);

#endif
