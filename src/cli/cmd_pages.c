/*
 * cmd_pages.c - the page allocator's commands: alloc_pages() and its
 * relatives, __free_pages()/free_pages(), and the conversions between a
 * struct page pointer, a pfn and a direct-map address.
 *
 * Commands are named and ordered as the kernel API is (include/linux/gfp.h:
 * alloc_pages(gfp, order), __get_free_pages(gfp, order), free_pages(addr,
 * order) ...).  Each result is a block (pfn, order) or a conversion's pfn;
 * view_result() says which zone and how the addresses relate.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "kmemsh/highmem.h"
#include "kmemsh/buddy.h"
#include "kmemsh/mempolicy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/vmalloc.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/slab.h"
#include "cmd_int.h"

#define NO_NODE_CALL (-2)   /* alloc_common(): not an _node call */

/* alloc_pages_node()'s NID argument: a node number, or NUMA_NO_NODE / -1 */
int cmd_arg_nid(struct session *s, int idx, const char *text, int *nid)
{
	if (strcmp(text, "NUMA_NO_NODE") == 0 || strcmp(text, "-1") == 0) {
		*nid = -1;
		return 0;
	}
	uint64_t v;
	if (arg_u64(s, idx, text, "a node number", MAX_NUMNODES_MODEL - 1, &v))
		return -1;
	if (v >= s->m->nr_nodes) {
		session_error(s, "argument %d: node %llu does not exist (this machine has %u; --nodes N)", idx,
			      (unsigned long long)v, s->m->nr_nodes);
		return -1;
	}
	*nid = (int)v;
	return 0;
}

/*
 * set_mempolicy MODE [NODES]: set_mempolicy(2) for the shell's task, NODES
 * a node list as numactl and /proc print one ("0-1", "0,2"; nodes up to
 * MAX_NUMNODES - 1, those not online dropped as mpol_set_nodemask() drops
 * them).  The policy is shown as mpol_to_str() writes it (mempolicy.c).
 */
int cmd_set_mempolicy(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int mode = mpol_mode_parse(argv[1]);
	if (mode < 0) {
		session_error(s, "argument 1 '%s': MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, "
			      "MPOL_LOCAL or MPOL_PREFERRED_MANY", argv[1]);
		return -1;
	}
	unsigned online = 0;
	bool named = false;
	if (argc > 2) {
		const char *p = argv[2];
		for (;;) {
			char *end;
			unsigned long a = strtoul(p, &end, 10), b = a;
			if (end == p || *p == '-' || *p == '+')
				goto bad;
			if (*end == '-') {
				const char *q = end + 1;
				b = strtoul(q, &end, 10);
				if (end == q || *q == '-' || *q == '+' || b < a)
					goto bad;
			}
			if (b >= MPOL_MAX_NUMNODES) {
				session_error(s, "argument 2 '%s': node %lu is above MAX_NUMNODES - 1 (%d): EINVAL",
					      argv[2], b, MPOL_MAX_NUMNODES - 1);
				return -1;
			}
			named = true;
			for (unsigned long n = a; n <= b && n < s->m->nr_nodes; n++)
				online |= 1u << n;
			if (!*end)
				break;
			if (*end != ',')
				goto bad;
			p = end + 1;
		}
	}
	if (mempolicy_set(s->m, mode, online, named)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	/* a setting's confirmation: -q silences it, but not its JSON form */
	if (s->json || !s->quiet)
		view_mempolicy(&s->out, s->m);
	return 0;
bad:
	session_error(s, "argument 2 '%s': a node list such as 0-1 or 0,2", argv[2]);
	return -1;
}

static int alloc_common_node(struct session *s, const char *fn, int nid, const char *gfp_arg, const char *order_arg,
			     bool want_addr, uint32_t extra, struct step_result *r)
{
	uint32_t gfp;
	unsigned order = 0;
	int a0 = nid == NO_NODE_CALL ? 0 : 1;       /* the node is argument 1 */
	if (arg_gfp(s, 1 + a0, gfp_arg, &gfp))
		return -1;
	if (order_arg && arg_order(s, 2 + a0, order_arg, &order))
		return -1;
	gfp |= extra;

	const struct kernel_profile *kp = s->m->kp;
	if (want_addr && (gfp & kp->gfp_highmem)) {
		if (kp->kv == KV_2_6_32) {
			session_error(s, "__GFP_HIGHMEM is not allowed: a highmem page has no permanent kernel "
				      "address (2.6.32 __get_free_pages: VM_BUG_ON((gfp_mask & __GFP_HIGHMEM) != 0))");
			return -1;
		}
	}
	uint32_t use = gfp;
	if (want_addr && kp->kv != KV_2_6_32)
		use &= ~kp->gfp_highmem;   /* get_free_pages_noprof(): alloc_pages(gfp & ~__GFP_HIGHMEM) */
	uint64_t pfn;
	/* alloc_pages() follows the task's memory policy, alloc_pages_node()
	 * (even with NUMA_NO_NODE) does not (mempolicy.c) */
	int e = nid == NO_NODE_CALL ? buddy_alloc_pages(s->m, use, order, &pfn)
				    : buddy_alloc_pages_node(s->m, nid, use, order, &pfn);
	if (e && e != -ENOMEM && !(e == -EINVAL && order > MAX_ORDER_MODEL)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, fn);
	if (nid == -1)
		step_arg_str(r, CA_NAME, "NUMA_NO_NODE");
	else if (nid != NO_NODE_CALL)
		step_arg(r, CA_DEC, (uint64_t)nid);
	step_arg(r, CA_GFP, gfp);
	if (order_arg)
		step_arg(r, CA_DEC, order);
	if (e) {
		/* the kernel returns NULL */
		r->value = (struct value){ want_addr ? V_ADDR : V_PAGE, 0 };
		r->kind = RESULT_NO_PAGE;
		r->reason = s->m->err;
		return 0;
	}
	if (want_addr) {
		r->value = (struct value){ V_ADDR, machine_pfn_to_vaddr(s->m, pfn) };
	} else {
		/* alloc_pages(): kmemsh's user pages, which a Movable gfp puts on
		 * an LRU list for compaction to migrate (compaction.h) */
		buddy_set_page_lru(s->m, pfn);
		r->value = (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	}
	r->kind = RESULT_BLOCK;
	r->u.block.pfn = pfn;
	r->u.block.order = order;
	r->u.block.highmem_masked = use != gfp;
	return 0;
}

static int alloc_common(struct session *s, const char *fn, const char *gfp_arg, const char *order_arg,
			bool want_addr, uint32_t extra, struct step_result *r)
{
	return alloc_common_node(s, fn, NO_NODE_CALL, gfp_arg, order_arg, want_addr, extra, r);
}

/* alloc_pages_node(nid, gfp, order) (include/linux/gfp.h): the zonelist of
 * node nid, NUMA_NO_NODE for the current CPU's node */
int cmd_alloc_pages_node(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	int nid;
	if (cmd_arg_nid(s, 1, argv[1], &nid))
		return -1;
	return alloc_common_node(s, "alloc_pages_node", nid, argv[2], argv[3], false, 0, r);
}

int cmd_alloc_pages(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "alloc_pages", argv[1], argv[2], false, 0, r);
}

int cmd_alloc_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "alloc_page", argv[1], NULL, false, 0, r);
}

int cmd_get_free_pages(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "__get_free_pages", argv[1], argv[2], true, 0, r);
}

int cmd_get_free_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "__get_free_page", argv[1], NULL, true, 0, r);
}

int cmd_get_zeroed_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	/* get_zeroed_page(gfp) = __get_free_page(gfp | __GFP_ZERO) */
	return alloc_common(s, "get_zeroed_page", argv[1], NULL, true, s->m->kp->gfp_zero, r);
}

/* The call is already in r; free the block and describe it. */
static int free_common(struct session *s, uint64_t pfn, unsigned order, struct step_result *r)
{
	char what[128];
	if (slab_owns_pfn(s->m, pfn, what, sizeof what)) {
		session_error(s, "pfn %#llx is %s; refused",
			      (unsigned long long)pfn, what);
		return -1;
	}
	/* a table of init_mm that the page-table allocators took from the
	 * buddy allocator: freeing it would leave entries pointing at a free
	 * page */
	if (pgtable_table(s->m, pfn)) {
		session_error(s, "pfn %#llx is one of the kernel's page-table pages (init_mm); refused",
			      (unsigned long long)pfn);
		return -1;
	}
	/* a page of a vmalloc() area: vfree() frees it; freeing it here would
	 * leave the area mapping a free page */
	unsigned long kind;
	uint64_t area = vmap_area_mapping_pfn(s->m, pfn, 1ull << order, &kind);
	if (area && kind == VM_ALLOC) {
		session_error(s, "pfn %#llx is a page of the vmalloc area at %#llx (vfree frees it); refused",
			      (unsigned long long)pfn, (unsigned long long)area);
		return -1;
	}
	/* a page a live vmap() area maps: freed, the area would map a free
	 * page (the kernel lets a buggy caller do it; vunmap first) */
	if (area) {
		session_error(s, "pfn %#llx is mapped by the vmap area at %#llx (vunmap it first); refused",
			      (unsigned long long)pfn, (unsigned long long)area);
		return -1;
	}
	if (buddy_free_pages(s->m, pfn, order)) {
		uint64_t to;
		if (compaction_moved_to(s->m, pfn, &to) == 0)
			session_error(s, "%s; compaction moved the page that was here to pfn %#llx", s->m->err,
				      (unsigned long long)to);
		else
			session_error(s, "%s", s->m->err);
		return -1;
	}
	r->kind = RESULT_BLOCK;
	r->u.block.pfn = pfn;
	r->u.block.order = order;
	r->u.block.highmem_masked = false;
	return 0;
}

/* free_pages(addr, order): addr 0 is ignored; otherwise virt_to_page(addr) */
static int addr_to_pfn(struct session *s, int idx, const char *text, uint64_t addr, uint64_t *pfn)
{
	uint64_t off;
	if (machine_vaddr_to_pfn(s->m, addr, pfn, &off)) {
		session_error(s, "argument %d '%s': %#llx is not a direct-mapped (lowmem) kernel address "
			      "(virt_addr_valid() fails)", idx, text, (unsigned long long)addr);
		return -1;
	}
	if (off) {
		session_error(s, "argument %d '%s': %#llx is not page aligned (the page starts at %#llx)", idx,
			      text, (unsigned long long)addr, (unsigned long long)(addr - off));
		return -1;
	}
	return 0;
}

/* free_pages ADDR ORDER, free_page ADDR */
int cmd_free_pages(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, pfn;
	unsigned order = 0;
	bool with_order = argc > 2;
	if (arg_addr(s, 1, argv[1], &addr) || (with_order && arg_order(s, 2, argv[2], &order)))
		return -1;
	if (addr && addr_to_pfn(s, 1, argv[1], addr, &pfn))
		return -1;
	step_call(r, with_order ? "free_pages" : "free_page");
	step_arg(r, CA_HEX, addr);
	if (with_order)
		step_arg(r, CA_DEC, order);
	if (addr == 0) {
		r->kind = RESULT_FREE_NULL;
		return 0;
	}
	return free_common(s, pfn, order, r);
}

/* __free_pages PAGE ORDER, __free_page PAGE */
int cmd_free_pages_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t pfn;
	unsigned order = 0;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	if (argc > 2 && arg_order(s, 2, argv[2], &order))
		return -1;
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	if (argc > 2)
		step_arg(r, CA_DEC, order);
	return free_common(s, pfn, order, r);
}

int cmd_page_address(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	step_call(r, "page_address");
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	r->value = (struct value){ V_ADDR, highmem_page_address(s->m, pfn) };
	r->kind = RESULT_PAGE_ADDRESS;
	r->u.block.pfn = pfn;
	return 0;
}

int cmd_page_to_pfn(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	step_call(r, "page_to_pfn");
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	r->value = (struct value){ V_PFN, pfn };
	r->kind = RESULT_PAGE_TO_PFN;
	r->u.block.pfn = pfn;
	return 0;
}

int cmd_pfn_to_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn;
	if (arg_pfn(s, 1, argv[1], &pfn))
		return -1;
	step_call(r, "pfn_to_page");
	step_arg(r, CA_HEX, pfn);
	r->value = (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	r->kind = RESULT_PFN_TO_PAGE;
	r->u.block.pfn = pfn;
	return 0;
}

