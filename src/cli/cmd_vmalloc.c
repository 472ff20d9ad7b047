/*
 * cmd_vmalloc.c - vmalloc and friends (mm/vmalloc.c, mm/util.c):
 * vmalloc, vzalloc, vmalloc_node, vmalloc_32, vmalloc_user, __vmalloc,
 * vfree, vmap, vunmap, kvmalloc, kvzalloc, kvfree, vmalloc_to_page,
 * vmalloc_to_pfn, is_vmalloc_addr and vm_unmap_aliases.
 *
 * Each allocating command accepts a trailing caller=NAME: the symbol
 * /proc/vmallocinfo prints with %pS (default: the command name, printed
 * as the kernel prints a symbol, "vmalloc+0x0/0x0").
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "cmd_int.h"

#define PAGE_SIZE 4096ull

static bool is_2632(const struct session *s)
{
	return s->m->kp->kv == KV_2_6_32;
}

/* Take caller=NAME off the end of argv; the default is "FN+0x0/0x0". */
static void take_caller(int *argc, char **argv, const char *fn, char *buf, size_t len)
{
	if (*argc > 1 && strncmp(argv[*argc - 1], "caller=", 7) == 0) {
		const char *c = argv[*argc - 1] + 7;
		snprintf(buf, len, strchr(c, '+') ? "%s" : "%s+0x0/0x0", c);
		(*argc)--;
		return;
	}
	snprintf(buf, len, "%s+0x0/0x0", fn);
}

/* A call that does not exist in the modelled kernel. */
static int not_in(struct session *s, const char *fn, const char *since)
{
	session_error(s, "%s() is not in Linux %s (added in %s)", fn, s->m->kp->version, since);
	return -1;
}

static gfp_t named_gfp(struct session *s, const char *text)
{
	gfp_t g = 0;
	gfp_parse(s->m->kp, text, &g, NULL);
	return g;
}

/* the pages of a huge vmalloc (vm->page_order) that pmd leaves map */
static unsigned huge_mapped(const struct machine *m, const struct vm_struct *vm)
{
	unsigned n = 0, per = 1u << vm->page_order;
	if (!vm->page_order || !m->pt)
		return 0;
	for (unsigned i = 0; i + per <= vm->nr_mapped; i += per) {
		unsigned d = m->pt->g.levels - 2;
		if (pgtable_entry_is_leaf(m, d, pgtable_entry_at(m, vm->addr + (uint64_t)i * 4096, d)))
			n += per;
	}
	return n;
}

static void fill_area(struct session *s, struct step_result *r, uint64_t addr)
{
	const struct vm_struct *vm = vmap_find_area(s->m, addr);
	r->kind = RESULT_VMALLOC;
	r->reason = s->m->err;
	r->u.vm.zone = -1;
	if (!vm)
		return;
	r->u.vm.start = vm->addr;
	r->u.vm.end = vm->addr + vm->size;
	r->u.vm.nr_pages = vm->nr_mapped;
	r->u.vm.nr_huge = huge_mapped(s->m, vm);
	r->u.vm.guard = !(vm->flags & VM_NO_GUARD);
	r->u.vm.vpages = (vm->flags & VM_VPAGES) != 0;
	r->u.vm.highmem = vm->highmem;
	r->u.vm.contiguous = true;
	if (vm->nr_mapped)
		r->u.vm.zone = machine_pfn_zone(s->m, vm->pages[0]);
	/* one pass: the first pfns, contiguity, and the zone, named only when
	 * every page is in it (vmap() of caller-chosen pages may mix zones) */
	for (unsigned i = 0; i < vm->nr_mapped; i++) {
		if (i < 4)
			r->u.vm.pfn[r->u.vm.nr_pfn++] = vm->pages[i];
		if (i && vm->pages[i] != vm->pages[i - 1] + 1)
			r->u.vm.contiguous = false;
		if (i && r->u.vm.zone >= 0 && machine_pfn_zone(s->m, vm->pages[i]) != r->u.vm.zone)
			r->u.vm.zone = -1;
	}
}

static int do_vmalloc(struct session *s, struct step_result *r, uint64_t size, gfp_t gfp, uint64_t align,
		      unsigned long flags, const char *caller)
{
	uint64_t addr = 0;
	int e = vmalloc_node_range(s->m, size, align, s->m->layout.vmalloc_start, s->m->layout.vmalloc_end, gfp, 0,
				   flags, caller, &addr);
	if ((e == -EINVAL && size) || e == -EPERM) {  /* -EPERM: BUG_ON(in_interrupt()), the task died */
		session_error(s, "%s", s->m->err);
		return -1;
	}
	r->value = (struct value){ V_ADDR, addr };
	fill_area(s, r, addr);
	return 0;
}

/* vmalloc SIZE, vzalloc SIZE, vmalloc_32 SIZE, vmalloc_user SIZE, vmalloc_node SIZE NID */
int cmd_vmalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	char caller[VMAP_CALLER_MAX];
	const char *fn = argv[0];
	uint64_t size;
	int nid = -1;
	take_caller(&argc, argv, fn, caller, sizeof caller);
	if (argc < 2) {
		session_error(s, "usage: %s SIZE", fn);
		return -1;
	}
	if (arg_size(s, 1, argv[1], &size))
		return -1;
	bool node = strcmp(fn, "vmalloc_node") == 0;
	if (node) {
		if (argc < 3 || cmd_arg_nid(s, 2, argv[2], &nid))
			return -1;
	} else if (argc > 2) {
		session_error(s, "%s takes SIZE [caller=NAME]", fn);
		return -1;
	}
	const struct kernel_profile *kp = s->m->kp;
	gfp_t gfp = named_gfp(s, "GFP_KERNEL") | (is_2632(s) ? kp->gfp_highmem : 0);
	unsigned long flags = 0;
	if (strcmp(fn, "vzalloc") == 0) {
		if (is_2632(s))
			return not_in(s, fn, "2.6.37");
		gfp |= kp->gfp_zero;
	} else if (strcmp(fn, "vmalloc_32") == 0) {
		/* GFP_VMALLOC32: GFP_DMA32 | GFP_KERNEL on 64-bit; on 32-bit
		 * GFP_KERNEL in 2.6.32 and GFP_DMA32 | GFP_KERNEL in 6.13 (since
		 * 4.17: "GFP_DMA32 should do the right thing and use the normal
		 * zone"), which keeps __vmalloc_area_node() from adding
		 * __GFP_HIGHMEM */
		gfp = named_gfp(s, "GFP_KERNEL") | (s->m->arch->bits == 64 || !is_2632(s) ? kp->gfp_dma32 : 0);
	} else if (strcmp(fn, "vmalloc_user") == 0) {
		gfp |= kp->gfp_zero;
		flags = VM_USERMAP;
	}
	step_call(r, fn);
	step_arg(r, CA_DEC, size);
	if (node && nid < 0)
		step_arg_str(r, CA_NAME, "NUMA_NO_NODE");
	else if (node)
		step_arg(r, CA_DEC, (uint64_t)nid);
	if (!node)
		return do_vmalloc(s, r, size, gfp, PAGE_SIZE, flags, caller);
	/* vmalloc_node(size, node): the pages from node's zonelist */
	vmalloc_set_node(s->m, nid);
	int e = do_vmalloc(s, r, size, gfp, PAGE_SIZE, flags, caller);
	vmalloc_set_node(s->m, -1);
	return e;
}

/* __vmalloc SIZE GFP (2.6.32: __vmalloc(size, gfp, PAGE_KERNEL)) */
int cmd___vmalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	char caller[VMAP_CALLER_MAX];
	uint64_t size;
	gfp_t gfp;
	take_caller(&argc, argv, "__vmalloc", caller, sizeof caller);
	if (argc != 3) {
		session_error(s, "usage: __vmalloc SIZE GFP [caller=NAME]");
		return -1;
	}
	if (arg_size(s, 1, argv[1], &size) || arg_gfp(s, 2, argv[2], &gfp))
		return -1;
	step_call(r, "__vmalloc");
	step_arg(r, CA_DEC, size);
	step_arg(r, CA_GFP, gfp);
	if (is_2632(s))
		step_arg_str(r, CA_NAME, "PAGE_KERNEL");
	return do_vmalloc(s, r, size, gfp, PAGE_SIZE, 0, caller);
}

static int vfree_common(struct session *s, int argc, char **argv, struct step_result *r, bool pages)
{
	(void)argc;
	uint64_t addr;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	uint64_t base = vmap_free_target(s->m, addr);     /* 6.13: the area containing addr */
	const struct vm_struct *vm = vmap_find_area(s->m, base);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_NONE, 0 };
	if (!addr) {
		/* the context checks come before the NULL test in the kernel */
		if (pages ? vfree_area(s->m, 0) : vunmap_area(s->m, 0)) {
			session_error(s, "%s", s->m->err);
			return -1;
		}
		r->kind = RESULT_VALID;
		r->reason = pages ? "vfree(NULL) does nothing" : "vunmap(NULL) does nothing";
		return 0;
	}
	if (vm && vm->addr == base) {
		r->u.vm.start = vm->addr;
		r->u.vm.end = vm->addr + vm->size;
		r->u.vm.nr_pages = vm->nr_mapped;
		r->u.vm.nr_huge = huge_mapped(s->m, vm);
		r->u.vm.nr_pfn = pages && (vm->flags & VM_ALLOC) ? 1 : 0;
	}
	if ((pages ? vfree_area(s->m, addr) : vunmap_area(s->m, addr))) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	struct vmap_range lr;
	r->kind = RESULT_VFREE;
	r->u.vm.deferred = pages && vmap_is_deferred(s->m, base);
	r->u.vm.lazy = vmap_find_lazy(s->m, base, &lr) == 0;
	return 0;
}

int cmd_vfree(struct session *s, int argc, char **argv, struct step_result *r)
{
	return vfree_common(s, argc, argv, r, true);
}

int cmd_vunmap(struct session *s, int argc, char **argv, struct step_result *r)
{
	return vfree_common(s, argc, argv, r, false);
}

/* vmap PAGE... [VM_* flags] [caller=NAME] */
static const struct {
	const char *name;
	unsigned long flag;
} vm_flag_names[] = {
	{ "VM_IOREMAP", VM_IOREMAP }, { "VM_ALLOC", VM_ALLOC }, { "VM_MAP", VM_MAP }, { "VM_USERMAP", VM_USERMAP },
	{ "VM_NO_GUARD", VM_NO_GUARD }, { "VM_MAP_PUT_PAGES", VM_MAP_PUT_PAGES },
};

int cmd_vmap(struct session *s, int argc, char **argv, struct step_result *r)
{
	char caller[VMAP_CALLER_MAX];
	uint64_t pfns[64];
	unsigned n = 0;
	unsigned long flags = 0;
	bool any_flag = false;
	take_caller(&argc, argv, "vmap", caller, sizeof caller);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "VM_", 3) == 0) {
			size_t k;
			for (k = 0; k < sizeof vm_flag_names / sizeof vm_flag_names[0]; k++)
				if (strcmp(argv[i], vm_flag_names[k].name) == 0)
					break;
			if (k == sizeof vm_flag_names / sizeof vm_flag_names[0]) {
				session_error(s, "argument %d '%s': unknown vm flag (VM_MAP, VM_USERMAP, VM_NO_GUARD, "
					      "VM_MAP_PUT_PAGES, VM_IOREMAP, VM_ALLOC)", i, argv[i]);
				return -1;
			}
			if (vm_flag_names[k].flag == VM_MAP_PUT_PAGES && is_2632(s))
				return not_in(s, "VM_MAP_PUT_PAGES", "5.8");
			/* VM_NO_GUARD came with 4.0 (2.6.32 always adds the guard page) */
			if (vm_flag_names[k].flag == VM_NO_GUARD && is_2632(s))
				return not_in(s, "VM_NO_GUARD", "4.0");
			flags |= vm_flag_names[k].flag;
			any_flag = true;
			continue;
		}
		if (n == sizeof pfns / sizeof pfns[0]) {
			session_error(s, "vmap: at most %zu pages", sizeof pfns / sizeof pfns[0]);
			return -1;
		}
		if (arg_page(s, i, argv[i], &pfns[n]))
			return -1;
		n++;
	}
	if (!n) {
		session_error(s, "usage: vmap PAGE... [VM_* flags] [caller=NAME]");
		return -1;
	}
	if (!any_flag)
		flags = VM_MAP;
	uint64_t addr = 0;
	int e = vmap_pages(s->m, pfns, n, flags, caller, &addr);
	if (e == -EINVAL || e == -EPERM) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "vmap");
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfns[0]));
	step_arg(r, CA_DEC, n);
	step_arg(r, CA_HEX, flags);
	step_arg_str(r, CA_NAME, "PAGE_KERNEL");
	r->value = (struct value){ V_ADDR, addr };
	fill_area(s, r, addr);
	return 0;
}

/* kvmalloc SIZE [GFP], kvzalloc SIZE [GFP] (mm/util.c kvmalloc_node) */
int cmd_kvmalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	char caller[VMAP_CALLER_MAX];
	const char *fn = argv[0];
	const struct kernel_profile *kp = s->m->kp;
	uint64_t size;
	gfp_t gfp;
	take_caller(&argc, argv, fn, caller, sizeof caller);
	if (is_2632(s))
		return not_in(s, fn, "4.12");
	if (argc < 2 || argc > 3) {
		session_error(s, "usage: %s SIZE [GFP] [caller=NAME]", fn);
		return -1;
	}
	if (arg_size(s, 1, argv[1], &size))
		return -1;
	if (argc > 2 ? arg_gfp(s, 2, argv[2], &gfp) : (gfp = named_gfp(s, "GFP_KERNEL"), 0))
		return -1;
	if (cmd_need_slab(s))
		return -1;
	step_call(r, fn);
	step_arg(r, CA_DEC, size);
	step_arg(r, CA_GFP, gfp);
	if (strcmp(fn, "kvzalloc") == 0)
		gfp |= kp->gfp_zero;
	/* kmalloc_gfp_adjust(): above a page, don't try hard and don't warn */
	gfp_t kgfp = gfp;
	if (size > PAGE_SIZE) {
		kgfp |= kp->gfp_nowarn;
		if (!(kgfp & named_gfp(s, "__GFP_RETRY_MAYFAIL")))
			kgfp |= named_gfp(s, "__GFP_NORETRY");
		kgfp &= ~named_gfp(s, "__GFP_NOFAIL");
	}
	uint64_t addr = 0;
	if (slab_kmalloc(s->m, (size_t)size, kgfp, &addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	if (addr || size <= PAGE_SIZE || !gfp_allow_blocking(kp, gfp)) {
		r->value = (struct value){ V_ADDR, addr };
		r->kind = RESULT_OBJECT;
		r->reason = addr ? NULL : "kmalloc failed and vmalloc needs a blocking gfp";
		r->u.object.addr = addr;
		r->u.object.same = false;
		if (cmd_shown(s))
			slab_object_info(s->m, addr, &r->u.object.oi);
		return 0;
	}
	/* the vmalloc fallback; __GFP_NORETRY/__GFP_NOWARN were only for kmalloc */
	return do_vmalloc(s, r, size, gfp, PAGE_SIZE, VM_ALLOW_HUGE_VMAP, caller);
}

/* kvfree ADDR: vfree for vmalloc addresses, else kfree */
int cmd_kvfree(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr;
	if (is_2632(s))
		return not_in(s, "kvfree", "3.15");
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	if (addr && vmap_is_vmalloc_addr(s->m, addr)) {
		int e = vfree_common(s, argc, argv, r, true);
		r->fn = "kvfree";
		return e;
	}
	if (cmd_need_slab(s))
		return -1;
	step_call(r, "kvfree");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_NONE, 0 };
	if (cmd_shown(s))
		slab_object_info(s->m, addr, &r->u.object.oi);
	if (slab_kfree(s->m, addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	r->kind = !addr ? RESULT_KFREE_NOOP : RESULT_OBJECT;
	r->u.object.addr = addr;
	return 0;
}

/* vmalloc_to_page ADDR, vmalloc_to_pfn ADDR */
int cmd_vmalloc_to_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, pfn = 0;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	bool to_pfn = strcmp(argv[0], "vmalloc_to_pfn") == 0;
	int e = vmap_vmalloc_to_pfn(s->m, addr, &pfn);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, addr);
	r->kind = RESULT_VMALLOC_TO;
	r->u.vm.pfn[0] = pfn;
	if (e) {
		snprintf(s->m->err, sizeof s->m->err, "%#llx is not mapped: no PTE", (unsigned long long)addr);
		r->reason = s->m->err;
		r->value = (struct value){ to_pfn ? V_PFN : V_PAGE, 0 };
		return 0;
	}
	r->value = to_pfn ? (struct value){ V_PFN, pfn } : (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	return 0;
}

/* is_vmalloc_addr ADDR */
int cmd_is_vmalloc_addr(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	bool yes = vmap_is_vmalloc_addr(s->m, addr);
	step_call(r, "is_vmalloc_addr");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_NUM, yes };
	r->kind = RESULT_VALID;
	snprintf(s->m->err, sizeof s->m->err, "%s VMALLOC_START %#llx .. VMALLOC_END %#llx", yes ? "inside" : "outside",
		 (unsigned long long)s->m->layout.vmalloc_start, (unsigned long long)s->m->layout.vmalloc_end);
	r->reason = s->m->err;
	return 0;
}

/* vm_unmap_aliases: purge the lazily freed areas now */
int cmd_vm_unmap_aliases(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	int n = vmap_purge_lazy(s->m);
	if (n < 0) {
		session_error(s, "out of host memory");
		return -1;
	}
	step_call(r, "vm_unmap_aliases");
	r->value = (struct value){ V_NONE, 0 };
	r->kind = RESULT_PURGE;
	r->u.vm.nr_pages = (unsigned)n;
	return 0;
}
