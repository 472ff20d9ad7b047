/*
 * mempolicy.c - a task's NUMA memory policy: which node an allocation
 * that names none comes from.
 *
 * set_mempolicy(2) gives the calling task a policy: MPOL_DEFAULT (none:
 * the local node), MPOL_LOCAL, MPOL_PREFERRED (one node first), MPOL_BIND
 * (only these nodes), MPOL_INTERLEAVE (round robin over the nodes) or
 * MPOL_PREFERRED_MANY (these nodes first, then any).  alloc_pages(),
 * folio_alloc() for the page cache, a fault of anonymous memory and
 * vmalloc's bulk pages take the policy of current; alloc_pages_node() and
 * the slab's _node calls name their node and do not.  The policy becomes a
 * preferred node and a nodemask for __alloc_pages() (policy_nodemask());
 * interleaving advances current->il_prev (interleave_nodes()) or, for a
 * fault, takes the node from the page's place in its VMA
 * (interleave_nid()), and counts NUMA_INTERLEAVE_HIT when the page came
 * from the node it asked for (alloc_pages_mpol()).
 *
 * Followed: Linux 6.13 mm/mempolicy.c (do_set_mempolicy(), mpol_new(),
 * mpol_set_nodemask(), mpol_new_preferred(), get_task_policy(),
 * policy_nodemask(), apply_policy_zone(), interleave_nodes(),
 * interleave_nid(), alloc_pages_mpol(), alloc_pages_preferred_many(),
 * alloc_pages_noprof(), alloc_pages_bulk_array_mempolicy_noprof(),
 * alloc_pages_bulk_array_interleave(),
 * alloc_pages_bulk_array_preferred_many(), mpol_to_str()),
 * mm/vmalloc.c vm_area_alloc_pages() (requests of 100 pages).
 * MPOL_WEIGHTED_INTERLEAVE is not modelled: without the sysfs weights
 * (/sys/kernel/mm/mempolicy/weighted_interleave/nodeN, 1 by default) it
 * places pages as MPOL_INTERLEAVE does.  Neither are the mode flags
 * (MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES), mbind() or
 * set_mempolicy_home_node(): kmemsh has no VMAs a policy could bind to.
 * Part of the page allocator (layer 3).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/vmscan.h"

/* the uapi names, in enum mpol_mode order */
static const char *const mode_names[MPOL_MAX] = {
	"MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
	"MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE",
};

/* mpol_to_str()'s policy_modes[] */
static const char *const policy_modes[MPOL_MAX] = {
	"default", "prefer", "bind", "interleave", "local", "prefer (many)", "weighted interleave",
};

int mpol_mode_parse(const char *name)
{
	for (int k = 0; k < MPOL_MAX; k++)
		if (strcmp(name, mode_names[k]) == 0)
			return k;
	return -1;
}

const char *mpol_mode_name(unsigned mode)
{
	return mode < MPOL_MAX ? mode_names[mode] : "?";
}

/* mpol_to_str(): the mode's name, then ":" and the nodes as
 * bitmap_list_string() prints them ("0-1", "0,2") unless there are none */
void mpol_to_str(char *buf, size_t len, const struct task_mpol *p)
{
	unsigned nodes = p->mode == MPOL_DEFAULT || p->mode == MPOL_LOCAL ? 0 : p->nodes;
	int n = snprintf(buf, len, "%s", policy_modes[p->mode < MPOL_MAX ? p->mode : 0]);
	const char *sep = ":";
	for (unsigned a = 0; a < MAX_NUMNODES_MODEL && n >= 0 && (size_t)n < len; a++) {
		if (!(nodes >> a & 1u))
			continue;
		unsigned b = a;
		while (b + 1 < MAX_NUMNODES_MODEL && (nodes >> (b + 1) & 1u))
			b++;
		if (b > a)
			n += snprintf(buf + n, len - (size_t)n, "%s%u-%u", sep, a, b);
		else
			n += snprintf(buf + n, len - (size_t)n, "%s%u", sep, a);
		sep = ",";
		a = b;
	}
}

const struct task_mpol *mempolicy_current(const struct machine *m)
{
	const struct vm_state *v = m->vm;
	if (v && v->current >= 0 && (unsigned)v->current < v->ntask)
		return &v->task[v->current].mpol;
	return &m->mpol;
}

static bool numa_configured(const struct machine *m)
{
	/* CONFIG_NUMA: kmemsh models it on x86_64 6.13 (numa.c) */
	return m->arch->bits == 64 && m->kp->kv == KV_6_13;
}

int mempolicy_set(struct machine *m, int mode, unsigned online, bool named)
{
	m->err[0] = '\0';
	if (m->kp->kv == KV_2_6_32) {
		model_err(m, "kmemsh's 2.6.32 machines have one node and no --nodes: memory policies are "
			     "modelled on x86_64 6.13");
		return -ENOSYS;
	}
	if (!numa_configured(m)) {
		model_err(m, "this machine's kernel is built without CONFIG_NUMA: set_mempolicy() "
			     "fails with ENOSYS (NUMA is modelled on x86_64 6.13)");
		return -ENOSYS;
	}
	if (mode < 0 || mode >= MPOL_MAX) {
		model_err(m, "mode %d is not a policy (EINVAL)", mode);
		return -EINVAL;
	}
	if (mode == MPOL_WEIGHTED_INTERLEAVE) {
		model_err(m, "MPOL_WEIGHTED_INTERLEAVE is not modelled (with the default weights of 1 it "
			     "places pages as MPOL_INTERLEAVE)");
		return -EINVAL;
	}
	/* mpol_new() */
	if (mode == MPOL_DEFAULT) {
		if (named) {
			model_err(m, "MPOL_DEFAULT takes no nodes (mpol_new(): EINVAL)");
			return -EINVAL;
		}
		m->mpol = (struct task_mpol){ MPOL_DEFAULT, 0, m->mpol.il_prev };     /* mempolicy NULL */
		return 0;
	}
	if (mode == MPOL_PREFERRED && !named)
		mode = MPOL_LOCAL;      /* an empty preferred nodemask means local allocation */
	if (mode == MPOL_LOCAL) {
		if (named) {
			model_err(m, "MPOL_LOCAL takes no nodes (mpol_new(): EINVAL)");
			return -EINVAL;
		}
		m->mpol = (struct task_mpol){ MPOL_LOCAL, 0, m->mpol.il_prev };
		return 0;
	}
	if (!named) {
		model_err(m, "%s needs a nodemask (mpol_new(): EINVAL)", mode_names[mode]);
		return -EINVAL;
	}
	/* mpol_set_nodemask(): the nodes & cpuset_current_mems_allowed &
	 * node_states[N_MEMORY]; the mode's create() refuses an empty mask */
	online &= (1u << m->nr_nodes) - 1;
	if (!online) {
		model_err(m, "none of these nodes is online (this machine has %u; --nodes N): EINVAL",
			  m->nr_nodes);
		return -EINVAL;
	}
	unsigned nodes = online;
	if (mode == MPOL_PREFERRED)
		nodes &= -nodes;        /* mpol_new_preferred(): first_node() only */
	m->mpol.mode = (uint8_t)mode;
	m->mpol.nodes = (uint8_t)nodes;
	/* do_set_mempolicy(): an interleave policy starts at MAX_NUMNODES - 1,
	 * so its first page comes from the first node of the mask */
	if (mode == MPOL_INTERLEAVE)
		m->mpol.il_prev = MPOL_MAX_NUMNODES - 1;
	return 0;
}

/*
 * numa_policy_init() (mm/mempolicy.c, start_kernel()): the boot's policy,
 * MPOL_INTERLEAVE over the nodes with at least 16 MiB present
 * (node_present_pages()), or the largest node when none has; do_set_mempolicy()
 * starts it at il_prev MAX_NUMNODES - 1.  kernel_init() inherits it (the
 * initcalls run under it) until numa_default_policy() makes it
 * MPOL_DEFAULT again, il_prev left where interleaving put it.  Only with
 * CONFIG_NUMA (kmemsh: x86_64 6.13).
 */
void mempolicy_boot_interleave(struct machine *m)
{
	if (!numa_configured(m))
		return;
	unsigned nodes = 0, prefer = 0;
	uint64_t largest = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		uint64_t present = 0;
		for (int z = 0; z < m->nr_zones; z++)
			if (m->zones[z].nid == (int)nid)
				present += m->zones[z].present;
		if (largest < present) {
			largest = present;
			prefer = nid;
		}
		if ((present << 12) >= (16ull << 20))
			nodes |= 1u << nid;
	}
	if (!nodes)
		nodes = 1u << prefer;
	m->mpol = (struct task_mpol){ MPOL_INTERLEAVE, (uint8_t)nodes, MPOL_MAX_NUMNODES - 1 };
}

void mempolicy_boot_default(struct machine *m)
{
	if (!numa_configured(m))
		return;
	m->mpol.mode = MPOL_DEFAULT;
	m->mpol.nodes = 0;
}

/* next_node_in(): the next node of mask after n, wrapping to the first */
static unsigned next_node_in(unsigned n, unsigned mask)
{
	for (unsigned k = n + 1; k < MAX_NUMNODES_MODEL; k++)
		if (mask >> k & 1u)
			return k;
	for (unsigned k = 0; k < MAX_NUMNODES_MODEL; k++)
		if (mask >> k & 1u)
			return k;
	return MPOL_MAX_NUMNODES;
}

static unsigned nodes_weight(unsigned mask)
{
	unsigned w = 0;
	for (; mask; mask &= mask - 1)
		w++;
	return w;
}

/* interleave_nodes(): the next node after current->il_prev */
static unsigned interleave_nodes(struct task_mpol *p)
{
	unsigned nid = next_node_in(p->il_prev, p->nodes);
	if (nid < MPOL_MAX_NUMNODES)
		p->il_prev = (uint16_t)nid;
	return nid;
}

/* interleave_nid(): the (ilx % nnodes)-th node of the mask */
static unsigned interleave_nid(const struct machine *m, const struct task_mpol *p, long ilx)
{
	unsigned nnodes = nodes_weight(p->nodes);
	if (!nnodes)
		return machine_numa_node_id(m);
	unsigned target = (unsigned)((unsigned long)ilx % nnodes), nid = next_node_in(MPOL_MAX_NUMNODES, p->nodes);
	for (unsigned i = 0; i < target; i++)
		nid = next_node_in(nid, p->nodes);
	return nid;
}

/*
 * apply_policy_zone(): MPOL_BIND restricts only allocations that may use
 * policy_zone, the highest populated zone type below ZONE_MOVABLE
 * (check_highest_zone() in build_zonerefs_node()), ZONE_MOVABLE if none
 * of the policy's nodes has such memory (node_states[N_HIGH_MEMORY])
 */
static bool apply_policy_zone(const struct machine *m, unsigned nodes, gfp_t gfp)
{
	int policy_zone = 0, movable = -1;
	bool normal = false;    /* a policy node in node_states[N_HIGH_MEMORY] */
	for (int z = 0; z < m->nr_zones; z++) {
		const struct zone *zn = &m->zones[z];
		int t = machine_zone_idx(m, zn);
		if (zn->kind == ZK_MOVABLE) {
			movable = t;
			continue;
		}
		if (!zn->present)
			continue;
		if (t > policy_zone)
			policy_zone = t;
		if (nodes >> zn->nid & 1u)
			normal = true;
	}
	if (!normal && movable >= 0)
		policy_zone = movable;
	return buddy_gfp_zone(m, gfp) >= policy_zone;
}

static int alloc_mpol(struct machine *m, struct task_mpol *p, gfp_t gfp, unsigned order, long ilx, uint64_t *pfn)
{
	const struct kernel_profile *kp = m->kp;
	int nid = (int)machine_numa_node_id(m);
	unsigned nodemask = 0;
	/* policy_nodemask() */
	switch (p->mode) {
	case MPOL_PREFERRED:
		nid = (int)next_node_in(MPOL_MAX_NUMNODES, p->nodes);      /* first_node() */
		break;
	case MPOL_PREFERRED_MANY:
		nodemask = p->nodes;
		break;
	case MPOL_BIND:
		if (apply_policy_zone(m, p->nodes, gfp))
			nodemask = p->nodes;
		break;
	case MPOL_INTERLEAVE:
		nid = (int)(ilx == MPOL_NO_INTERLEAVE_INDEX ? interleave_nodes(p) : interleave_nid(m, p, ilx));
		break;
	default:
		break;
	}
	if (p->mode == MPOL_PREFERRED_MANY) {
		/* alloc_pages_preferred_many(): the policy's nodes without
		 * direct reclaim and quietly, then every node */
		gfp_t pgfp = (gfp | kp->gfp_nowarn) & ~(kp->gfp_wait | 0x8000u /* __GFP_NOFAIL */);
		if (buddy_alloc_pages_nodemask(m, nid, nodemask, pgfp, order, pfn) == 0)
			return 0;
		return buddy_alloc_pages_nodemask(m, nid, 0, gfp, order, pfn);
	}
	int r = buddy_alloc_pages_nodemask(m, nid, nodemask, gfp, order, pfn);
	/* alloc_pages_mpol(): NUMA_INTERLEAVE_HIT when the page is on the
	 * node interleaving chose */
	if (!r && p->mode == MPOL_INTERLEAVE) {
		int z = machine_pfn_zone(m, *pfn);
		if (z >= 0 && m->zones[z].nid == nid)
			m->zones[z].numa_stat[NUMA_INTERLEAVE_HIT]++;
	}
	return r;
}

/* alloc_pages_noprof(): the default policy in interrupt context and for
 * __GFP_THISNODE, else get_task_policy(current) */
static inline __attribute__((always_inline)) struct task_mpol *task_policy(struct machine *m, gfp_t gfp)
{
	if (context_in_interrupt(m) || (m->kp->gfp_thisnode && (gfp & m->kp->gfp_thisnode)))
		return NULL;
	struct task_mpol *p = (struct task_mpol *)mempolicy_current(m);
	return p->mode == MPOL_DEFAULT || p->mode == MPOL_LOCAL ? NULL : p;
}

bool mempolicy_none(struct machine *m, gfp_t gfp)
{
	return !task_policy(m, gfp);
}

int mempolicy_alloc_pages(struct machine *m, gfp_t gfp, unsigned order, long ilx, uint64_t *pfn)
{
	struct task_mpol *p = task_policy(m, gfp);
	/* default_policy (MPOL_LOCAL) and preferred_node_policy[numa_node_id()]
	 * both allocate from the local node, with no nodemask: what
	 * alloc_pages_node(numa_node_id(), ...) does, so through its fast path */
	if (!p)
		return buddy_alloc_pages_node(m, (int)machine_numa_node_id(m), gfp, order, pfn);
	return alloc_mpol(m, p, gfp, order, ilx, pfn);
}

/* __alloc_pages_bulk(gfp, nid, nodemask, n): n pages one by one (kmemsh
 * takes each through the allocator; the kernel's bulk path counts no
 * NUMA_INTERLEAVE_HIT either); the number it got */
static unsigned bulk(struct machine *m, gfp_t gfp, int nid, unsigned nodemask, unsigned n, uint64_t *pfn)
{
	unsigned got = 0;
	while (got < n && buddy_alloc_pages_nodemask(m, nid, nodemask, gfp, 0, &pfn[got]) == 0)
		got++;
	return got;
}

/* alloc_pages_bulk_array_mempolicy_noprof() */
static unsigned bulk_mempolicy(struct machine *m, gfp_t gfp, unsigned nr, uint64_t *pfn)
{
	const struct kernel_profile *kp = m->kp;
	struct task_mpol *p = task_policy(m, gfp);
	int nid = (int)machine_numa_node_id(m);
	if (!p)
		return bulk(m, gfp, nid, 0, nr, pfn);
	if (p->mode == MPOL_INTERLEAVE) {
		/* alloc_pages_bulk_array_interleave(): nr split evenly over the
		 * nodes, the first nr % nodes requests one page more, each
		 * request's node from interleave_nodes() */
		unsigned nodes = nodes_weight(p->nodes), per = nr / nodes, delta = nr - nodes * per, total = 0;
		for (unsigned i = 0; i < nodes; i++) {
			unsigned want = per + (delta ? 1 : 0);
			if (delta)
				delta--;
			total += bulk(m, gfp, (int)interleave_nodes(p), 0, want, pfn + total);
		}
		return total;
	}
	if (p->mode == MPOL_PREFERRED_MANY) {
		/* alloc_pages_bulk_array_preferred_many() */
		gfp_t pgfp = (gfp | kp->gfp_nowarn) & ~(kp->gfp_wait | 0x8000u /* __GFP_NOFAIL */);
		unsigned got = bulk(m, pgfp, nid, p->nodes, nr, pfn);
		if (got < nr)
			got += bulk(m, gfp, nid, 0, nr - got, pfn + got);
		return got;
	}
	unsigned nodemask = 0;
	if (p->mode == MPOL_PREFERRED)
		nid = (int)next_node_in(MPOL_MAX_NUMNODES, p->nodes);
	else if (p->mode == MPOL_BIND && apply_policy_zone(m, p->nodes, gfp))
		nodemask = p->nodes;
	return bulk(m, gfp, nid, nodemask, nr, pfn);
}

unsigned mempolicy_alloc_bulk(struct machine *m, gfp_t gfp, unsigned nr, uint64_t *pfn)
{
	/* vm_area_alloc_pages(): "A maximum allowed request is hard-coded and
	 * is 100 pages per call"; a short request ends the bulk path (the
	 * single-page fallback after it is not modelled) */
	unsigned got = 0;
	while (got < nr) {
		unsigned want = nr - got < 100 ? nr - got : 100;
		unsigned n = bulk_mempolicy(m, gfp, want, pfn + got);
		got += n;
		if (n != want)
			break;
	}
	return got;
}

/*
 * mempolicy_slab_node(): where SLUB's get_any_partial() starts its
 * zonelist: the local node (numa_mem_id()) outside task context or
 * without a policy, the preferred node, the next interleave node
 * (interleave_nodes(), advancing il_prev), or for MPOL_BIND and
 * MPOL_PREFERRED_MANY the first node of the policy's in the local node's
 * zonelist for gfp_zone(GFP_KERNEL) (first_zones_zonelist())
 */
int mempolicy_slab_node(struct machine *m)
{
	int node = (int)machine_numa_node_id(m);
	if (context_in_interrupt(m))
		return node;
	struct task_mpol *p = (struct task_mpol *)mempolicy_current(m);
	switch (p->mode) {
	case MPOL_PREFERRED:
		return (int)next_node_in(MPOL_MAX_NUMNODES, p->nodes);
	case MPOL_INTERLEAVE:
		return (int)interleave_nodes(p);
	case MPOL_BIND:
	case MPOL_PREFERRED_MANY: {
		int highest = buddy_gfp_zone(m, 0);   /* gfp_zone(GFP_KERNEL): no zone modifier */
		for (unsigned k = 0; k < m->nr_nodes; k++) {
			int nid = m->node[node].node_order[k];
			if (nid < 0)
				break;
			if (!(p->nodes >> nid & 1u))
				continue;
			for (int t = 0; t <= highest; t++)
				if (m->zones[nid * m->nr_node_zones + t].present)
					return nid;
		}
		return node;
	}
	default:
		return node;
	}
}
