/*
 * mempolicy.h - a task's NUMA memory policy (6.13 mm/mempolicy.c):
 * set_mempolicy() for the shell's task, and the allocations without a
 * node that follow it (alloc_pages(), a VMA fault, vmalloc's bulk pages).
 * The policy itself is a plain value in machine.h (struct task_mpol).
 */
#ifndef KMEMSH_MEMPOLICY_H
#define KMEMSH_MEMPOLICY_H

#include <stddef.h>
#include <stdint.h>

#include "kmemsh/machine.h"

#define MPOL_NO_INTERLEAVE_INDEX (-1L)  /* NO_INTERLEAVE_INDEX: (pgoff_t)-1 */
#define MPOL_MAX_NUMNODES 1024          /* MAX_NUMNODES, CONFIG_NODES_SHIFT=10 */

/* "MPOL_BIND" -> MPOL_BIND; -1 for a name that is none of the modes */
int mpol_mode_parse(const char *name);
const char *mpol_mode_name(unsigned mode);
/* mpol_to_str(): "default", "interleave:0-1", "prefer:1", "prefer (many):0-1" */
void mpol_to_str(char *buf, size_t len, const struct task_mpol *p);
/* the policy of current: a task's while it faults, else the shell's */
const struct task_mpol *mempolicy_current(const struct machine *m);

/*
 * set_mempolicy(mode, nodemask) for the shell's task (do_set_mempolicy()):
 * online is the nodemask the caller gave of nodes below
 * MAX_NUMNODES_MODEL, which is cut to the machine's nodes here
 * (mpol_set_nodemask()'s nodes & mems_allowed); named says whether the
 * caller named any node at all (mpol_new()'s empty-mask checks).  0, or -EINVAL with m->err set (model
 * unchanged); -ENOSYS without CONFIG_NUMA (2.6.32, 32-bit).
 */
int mempolicy_set(struct machine *m, int mode, unsigned online, bool named);
/* numa_policy_init(): the boot's interleave policy; numa_default_policy(): back to MPOL_DEFAULT */
void mempolicy_boot_interleave(struct machine *m);
void mempolicy_boot_default(struct machine *m);

/*
 * alloc_pages_mpol(gfp, order, pol, ilx, numa_node_id()) with current's
 * policy as alloc_pages() takes it (the default one in interrupt context
 * or for __GFP_THISNODE); ilx MPOL_NO_INTERLEAVE_INDEX or a VMA fault's
 * interleave index.  Returns as buddy_alloc_pages().
 */
int mempolicy_alloc_pages(struct machine *m, gfp_t gfp, unsigned order, long ilx, uint64_t *pfn);
/* alloc_pages() takes no policy for this request (the default one: the
 * local node, no nodemask): in interrupt context, for __GFP_THISNODE, or
 * under MPOL_DEFAULT or MPOL_LOCAL */
bool mempolicy_none(struct machine *m, gfp_t gfp);
/* vm_area_alloc_pages() with NUMA_NO_NODE (6.13): order-0 pages in
 * requests of 100 to alloc_pages_bulk_array_mempolicy_noprof(); the
 * number of pages put in pfn[] (fewer than nr: memory ran out) */
unsigned mempolicy_alloc_bulk(struct machine *m, gfp_t gfp, unsigned nr, uint64_t *pfn);
/* mempolicy_slab_node(): the node SLUB's get_any_partial() starts from */
int mempolicy_slab_node(struct machine *m);

#endif
