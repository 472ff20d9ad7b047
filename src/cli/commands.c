/*
 * commands.c - the command table and its handlers.
 *
 * Commands are named and ordered as the kernel API is (include/linux/gfp.h:
 * alloc_pages(gfp, order), __get_free_pages(gfp, order), free_pages(addr,
 * order) …).  A handler parses typed arguments, calls one model function,
 * and describes what the call did as values in a struct step_result; the
 * runner has view/ render it only when it will be printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/cli.h"
#include "kmemsh/gfp.h"
#include "kmemsh/slab.h"

int cmd_dispatch(struct session *s, const struct cmd *table, int argc, char **argv, struct step_result *r);

/* Will this step's result be printed?  (The runner's test, for details
 * only a view needs.) */
static bool showing(const struct session *s)
{
	return s->show && !s->quiet;
}

/* ---- page allocator --------------------------------------------------------- */

static int alloc_common(struct session *s, const char *fn, const char *gfp_arg, const char *order_arg,
			bool want_addr, uint32_t extra, struct step_result *r)
{
	uint32_t gfp;
	unsigned order = 0;
	if (arg_gfp(s, 1, gfp_arg, &gfp))
		return -1;
	if (order_arg && arg_order(s, 2, order_arg, &order))
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
	if (want_addr && kp->kv == KV_6_13)
		use &= ~kp->gfp_highmem;   /* get_free_pages_noprof(): alloc_pages(gfp & ~__GFP_HIGHMEM) */
	uint64_t pfn;
	int e = buddy_alloc_pages(s->m, use, order, &pfn);
	if (e && e != -ENOMEM && !(e == -EINVAL && order > MAX_ORDER_MODEL)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, fn);
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
	if (want_addr)
		r->value = (struct value){ V_ADDR, machine_pfn_to_vaddr(s->m, pfn) };
	else
		r->value = (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	r->kind = RESULT_BLOCK;
	r->u.block.pfn = pfn;
	r->u.block.order = order;
	r->u.block.highmem_masked = use != gfp;
	return 0;
}

static int c_alloc_pages(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "alloc_pages", argv[1], argv[2], false, 0, r);
}

static int c_alloc_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "alloc_page", argv[1], NULL, false, 0, r);
}

static int c_get_free_pages(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "__get_free_pages", argv[1], argv[2], true, 0, r);
}

static int c_get_free_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	return alloc_common(s, "__get_free_page", argv[1], NULL, true, 0, r);
}

static int c_get_zeroed_page(struct session *s, int argc, char **argv, struct step_result *r)
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
	if (buddy_free_pages(s->m, pfn, order)) {
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
static int c_free_pages(struct session *s, int argc, char **argv, struct step_result *r)
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
static int c_free_pages_page(struct session *s, int argc, char **argv, struct step_result *r)
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

static int c_page_address(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	step_call(r, "page_address");
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	r->value = (struct value){ V_ADDR, machine_pfn_has_vaddr(s->m, pfn) ? machine_pfn_to_vaddr(s->m, pfn) : 0 };
	r->kind = RESULT_PAGE_ADDRESS;
	r->u.block.pfn = pfn;
	return 0;
}

static int c_page_to_pfn(struct session *s, int argc, char **argv, struct step_result *r)
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

static int c_pfn_to_page(struct session *s, int argc, char **argv, struct step_result *r)
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

static int c_virt_to_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, pfn, off;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	if (machine_vaddr_to_pfn(s->m, addr, &pfn, &off)) {
		session_error(s, "argument 1 '%s': %#llx is not a direct-mapped (lowmem) kernel address",
			      argv[1], (unsigned long long)addr);
		return -1;
	}
	step_call(r, "virt_to_page");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_PAGE, machine_page_ptr(s->m, pfn) };
	r->kind = RESULT_VIRT_TO_PAGE;
	r->u.block.pfn = pfn;
	return 0;
}


/* ---- slab layer ---------------------------------------------------------------- */

static int need_slab(struct session *s)
{
	if (!s->m->slab) {
		session_error(s, "this machine has no slab allocator");
		return -1;
	}
	return 0;
}

/* SIZE: bytes, with K/M/G suffixes, or a $variable */
static int arg_size(struct session *s, int idx, const char *text, uint64_t *out)
{
	if (text[0] == '$' || text[0] == '-')
		return arg_u64(s, idx, text, "a size", (uint64_t)1 << 62, out);
	int r = parse_size(text, out);
	if (r) {
		session_error(s, "argument %d '%s': %s (write e.g. 200, 4K, 1M)", idx, text,
			      r == -ERANGE ? "size too large" : "not a size");
		return -1;
	}
	return 0;
}

static int cache_arg(struct session *s, int idx, const char *name)
{
	int c = slab_cache_find(s->m, name);
	if (c >= 0)
		return c;
	/* a destroyed cache is still known by name: say so */
	for (uint32_t i = 0; i < s->m->slab->nr_caches; i++)
		if (strcmp(s->m->slab->caches[i].name, name) == 0) {
			session_error(s, "argument %d: cache '%s' was destroyed (kmem_cache_destroy): using it is a "
				      "use-after-free", idx, name);
			return -1;
		}
	const char *names[512];
	size_t n = 0;
	for (uint32_t i = 0; i < s->m->slab->nr_caches && n < 512; i++)
		if (s->m->slab->caches[i].live)
			names[n++] = s->m->slab->caches[i].name;
	const char *sug = cli_suggest(name, names, n);
	if (sug)
		session_error(s, "argument %d: no cache '%s' (did you mean %s?)", idx, name, sug);
	else
		session_error(s, "argument %d: no cache '%s' (show slabinfo lists them)", idx, name);
	return -1;
}

/* The result describes the object at addr as it is now: call it after an
 * allocation and before a free.  The object is looked up only when the
 * result will be printed. */
static void result_object(struct session *s, struct step_result *r, uint64_t addr)
{
	r->kind = RESULT_OBJECT;
	r->reason = s->m->err;
	r->u.object.addr = addr;
	r->u.object.same = false;
	if (showing(s))
		slab_object_info(s->m, addr, &r->u.object.oi);
}

/* kmalloc-style results: fn(args..., gfp) = addr */
static int kmalloc_common(struct session *s, uint64_t size, const char *gfp_arg, int gfp_idx, uint32_t extra,
			  struct step_result *r)
{
	uint32_t gfp = 0;
	if (need_slab(s))
		return -1;
	if (gfp_arg) {
		if (arg_gfp(s, gfp_idx, gfp_arg, &gfp))
			return -1;
	} else if (gfp_parse(s->m->kp, "GFP_KERNEL", &gfp, NULL)) {
		return -1;
	}
	uint64_t addr;
	if (slab_kmalloc(s->m, (size_t)size, gfp | extra, &addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_arg(r, CA_GFP, gfp & ~extra);   /* kzalloc(size, gfp) shows the caller's gfp */
	r->value = (struct value){ V_ADDR, addr };
	result_object(s, r, addr);
	return 0;
}

static int c_kmalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t size;
	if (arg_size(s, 1, argv[1], &size))
		return -1;
	step_call(r, argv[0]);
	step_arg(r, CA_DEC, size);
	return kmalloc_common(s, size, argc > 2 ? argv[2] : NULL, 2,
			      strcmp(argv[0], "kzalloc") == 0 ? s->m->kp->gfp_zero : 0, r);
}

/* kmalloc_array()/kcalloc(): NULL when n * size overflows */
static int c_kcalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t n, size;
	if (arg_size(s, 1, argv[1], &n) || arg_size(s, 2, argv[2], &size))
		return -1;
	step_call(r, argv[0]);
	step_arg(r, CA_DEC, n);
	step_arg(r, CA_DEC, size);
	uint64_t bytes = n * size;
	unsigned bits = s->m->arch->bits;
	bool overflow = (size && bytes / size != n) || (bits == 32 && bytes > 0xffffffffull);
	if (overflow) {
		r->value = (struct value){ V_ADDR, 0 };
		r->kind = RESULT_MUL_OVERFLOW;
		return 0;
	}
	return kmalloc_common(s, bytes, argc > 3 ? argv[3] : NULL, 3,
			      strcmp(argv[0], "kcalloc") == 0 ? s->m->kp->gfp_zero : 0, r);
}

static int c_krealloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, size, out;
	uint32_t gfp;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr) || arg_size(s, 2, argv[2], &size))
		return -1;
	if (argc > 3 ? arg_gfp(s, 3, argv[3], &gfp) : gfp_parse(s->m->kp, "GFP_KERNEL", &gfp, NULL))
		return -1;
	if (slab_krealloc(s->m, addr, (size_t)size, gfp, &out)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "krealloc");
	step_arg(r, CA_HEX, addr);
	step_arg(r, CA_DEC, size);
	r->value = (struct value){ V_ADDR, out };
	result_object(s, r, out);
	r->u.object.same = out == addr && addr > ZERO_SIZE_PTR;
	return 0;
}

static int c_kfree(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr))
		return -1;
	step_call(r, "kfree");
	step_arg(r, CA_HEX, addr);
	result_object(s, r, addr);
	if (slab_kfree(s->m, addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	if (addr <= ZERO_SIZE_PTR)
		r->kind = RESULT_KFREE_NOOP;
	return 0;
}

static int c_ksize(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	size_t size;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr))
		return -1;
	if (slab_ksize(s->m, addr, &size)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "ksize");
	step_arg(r, CA_HEX, addr);
	r->value = (struct value){ V_NUM, size };
	r->kind = RESULT_KSIZE;
	return 0;
}

/* memset ADDR C N: write into slab memory, overflows and use-after-free
 * included; the allocator's checks see it later */
static int c_memset(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr, c, n;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr) || arg_u64(s, 2, argv[2], "a byte value", 255, &c) ||
	    arg_size(s, 3, argv[3], &n))
		return -1;
	if (slab_memset(s->m, addr, (int)c, n)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "memset");
	step_arg(r, CA_HEX, addr);
	step_arg(r, CA_HEX, c);
	step_arg(r, CA_DEC, n);
	r->value = (struct value){ V_ADDR, addr };
	/* which objects and regions the bytes are in: the layout, which a
	 * memset does not change */
	r->kind = RESULT_SLAB_RANGE;
	r->u.range.addr = addr;
	r->u.range.len = n;
	return 0;
}

/* dump ADDR [LEN]: slab memory as print_hex_dump(DUMP_PREFIX_ADDRESS) shows it */
static int c_dump(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, n = 64;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr) || (argc > 2 && arg_size(s, 2, argv[2], &n)))
		return -1;
	if (n > 65536) {
		session_error(s, "argument 2 '%s': dump shows at most 64K bytes", argv[2]);
		return -1;
	}
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf) {
		session_error(s, "out of memory");
		return -1;
	}
	if (slab_read(s->m, addr, buf, n)) {
		free(buf);
		session_error(s, "%s", s->m->err);
		return -1;
	}
	view_hex_dump(&s->out, s->m, addr, buf, n);
	free(buf);
	r->value = (struct value){ V_ADDR, addr };
	return 0;
}

/* SLAB_* flag names accepted by kmem_cache_create */
static const struct { const char *name; unsigned flag; } slab_flag_names[] = {
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN_F }, { "SLAB_CACHE_DMA", SLAB_CACHE_DMA_F },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32_F }, { "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT_F },
	{ "SLAB_PANIC", SLAB_PANIC_F }, { "SLAB_POISON", SLAB_POISON_F }, { "SLAB_RED_ZONE", SLAB_RED_ZONE_F },
	{ "SLAB_STORE_USER", SLAB_STORE_USER_F }, { "SLAB_CONSISTENCY_CHECKS", SLAB_DEBUG_FREE_F },
	{ "SLAB_DEBUG_FREE", SLAB_DEBUG_FREE_F }, { "SLAB_ACCOUNT", SLAB_ACCOUNT_F },
	{ "SLAB_TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU_F }, { "SLAB_DESTROY_BY_RCU", SLAB_TYPESAFE_BY_RCU_F },
};

static int parse_slab_flags(struct session *s, int idx, const char *text, unsigned *flags)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", text);
	for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		bool found = false;
		for (size_t i = 0; i < sizeof slab_flag_names / sizeof slab_flag_names[0]; i++)
			if (strcmp(tok, slab_flag_names[i].name) == 0) {
				*flags |= slab_flag_names[i].flag;
				found = true;
			}
		if (!found) {
			const char *names[16];
			size_t n = sizeof slab_flag_names / sizeof slab_flag_names[0];
			for (size_t i = 0; i < n; i++)
				names[i] = slab_flag_names[i].name;
			const char *sug = cli_suggest(tok, names, n);
			session_error(s, "argument %d: unknown slab flag '%s'%s%s%s", idx, tok, sug ? " (did you mean " : "",
				      sug ? sug : "", sug ? "?)" : "");
			return -1;
		}
	}
	return 0;
}

static int c_kmem_cache_create(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t size, align = 0;
	unsigned flags = 0;
	int first_flag = 3;
	if (need_slab(s) || arg_size(s, 2, argv[2], &size))
		return -1;
	if (argc > 3 && argv[3][0] >= '0' && argv[3][0] <= '9') {
		if (arg_size(s, 3, argv[3], &align))
			return -1;
		first_flag = 4;
	}
	for (int i = first_flag; i < argc; i++)
		if (parse_slab_flags(s, i, argv[i], &flags))
			return -1;
	if (size > (1u << 30) || align > (1u << 20)) {
		session_error(s, "size or align too large");
		return -1;
	}
	int cache;
	if (slab_cache_create(s->m, argv[1], (unsigned)size, (unsigned)align, flags, &cache)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, "kmem_cache_create");
	step_arg_str(r, CA_STRING, argv[1]);
	step_arg(r, CA_DEC, size);
	step_arg(r, CA_DEC, align);
	r->kind = RESULT_CACHE_CREATED;
	r->u.cache = cache;
	return 0;
}

static int c_kmem_cache_alloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint32_t gfp;
	if (need_slab(s))
		return -1;
	int cache = cache_arg(s, 1, argv[1]);
	if (cache < 0)
		return -1;
	if (argc > 2 ? arg_gfp(s, 2, argv[2], &gfp) : gfp_parse(s->m->kp, "GFP_KERNEL", &gfp, NULL))
		return -1;
	if (strcmp(argv[0], "kmem_cache_zalloc") == 0)
		gfp |= s->m->kp->gfp_zero;
	uint64_t addr;
	if (slab_cache_alloc(s->m, cache, gfp, &addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, argv[0]);
	step_arg_str(r, CA_NAME, argv[1]);
	step_arg(r, CA_GFP, gfp);
	r->value = (struct value){ V_ADDR, addr };
	result_object(s, r, addr);
	return 0;
}

static int c_kmem_cache_free(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (need_slab(s))
		return -1;
	int cache = cache_arg(s, 1, argv[1]);
	if (cache < 0 || arg_addr(s, 2, argv[2], &addr))
		return -1;
	step_call(r, "kmem_cache_free");
	step_arg_str(r, CA_NAME, argv[1]);
	step_arg(r, CA_HEX, addr);
	if (addr)
		result_object(s, r, addr);
	else
		r->kind = RESULT_PLAIN;   /* kmem_cache_free(s, NULL): nothing to describe */
	if (slab_cache_free(s->m, cache, addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	return 0;
}

static int c_kmem_cache_shrink_destroy(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	if (need_slab(s))
		return -1;
	int cache = cache_arg(s, 1, argv[1]);
	if (cache < 0)
		return -1;
	bool destroy = strcmp(argv[0], "kmem_cache_destroy") == 0;
	uint64_t before = s->m->slab->caches[cache].nr_slabs;
	int e = destroy ? slab_cache_destroy(s->m, cache) : slab_cache_shrink(s->m, cache);
	if (e) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, argv[0]);
	step_arg_str(r, CA_NAME, argv[1]);
	r->kind = RESULT_SLABS_FREED;
	r->u.slabs_freed = before - s->m->slab->caches[cache].nr_slabs;
	return 0;
}

static int c_cpu(struct session *s, int argc, char **argv, struct step_result *r)
{
	if (need_slab(s))
		return -1;
	if (argc == 1) {
		r->value = (struct value){ V_NUM, s->m->slab->cpu };
		view_cpu(&s->out, s->m, false);
		return 0;
	}
	uint64_t n;
	if (arg_u64(s, 1, argv[1], "a CPU number", 4095, &n))
		return -1;
	if (slab_set_cpu(s->m, (unsigned)n)) {
		session_error(s, "argument 1: %s (--cpus N)", s->m->err);
		return -1;
	}
	/* a setting's confirmation: -q silences it, but not its JSON form */
	if (s->json || !s->quiet)
		view_cpu(&s->out, s->m, true);
	return 0;
}

/* ---- show ----------------------------------------------------------------------- */

static void set_json(struct session *s)
{
	s->out.json = s->json;
}

#define SHOW_SIMPLE(fname, viewfn) \
	static int fname(struct session *s, int argc, char **argv, struct step_result *r) \
	{ (void)argc; (void)argv; (void)r; set_json(s); viewfn(&s->out, s->m); return 0; }

SHOW_SIMPLE(s_buddyinfo, view_buddyinfo)
SHOW_SIMPLE(s_pagetypeinfo, view_pagetypeinfo)
SHOW_SIMPLE(s_zoneinfo, view_zoneinfo)
SHOW_SIMPLE(s_meminfo, view_meminfo)
SHOW_SIMPLE(s_iomem, view_iomem)
SHOW_SIMPLE(s_zones, view_zones)
SHOW_SIMPLE(s_machine, view_machine)

static int s_page(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	uint64_t pfn;
	/* a struct page pointer or a pfn */
	const struct value *v = argv[1][0] == '$' ? var_get(s, argv[1] + 1) : NULL;
	if (v && v->kind == V_PAGE) {
		if (arg_page(s, 1, argv[1], &pfn))
			return -1;
	} else if (v && v->kind == V_ADDR) {
		uint64_t off;
		if (machine_vaddr_to_pfn(s->m, v->u, &pfn, &off)) {
			session_error(s, "argument 1 '%s': not a direct-mapped address", argv[1]);
			return -1;
		}
	} else {
		uint64_t x;
		if (arg_u64(s, 1, argv[1], "a pfn or struct page pointer", ~0ull, &x))
			return -1;
		if (x < s->m->max_pfn) {
			pfn = x;
		} else if (machine_page_ptr_to_pfn(s->m, x, &pfn)) {
			session_error(s, "argument 1 '%s': neither a pfn below max_pfn (%#llx) nor a struct page "
				      "pointer", argv[1], (unsigned long long)s->m->max_pfn);
			return -1;
		}
	}
	set_json(s);
	view_page(&s->out, s->m, pfn);
	return 0;
}

static int s_free_area(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int z = machine_zone_by_name(s->m, argv[1]);
	if (z < 0 || !s->m->zones[z].present) {
		char list[128] = "";
		for (int i = 0; i < s->m->nr_zones; i++)
			if (s->m->zones[i].present) {
				strcat(list, *list ? ", " : "");
				strcat(list, s->m->zones[i].name);
			}
		session_error(s, "argument 1 '%s': no such populated zone (this machine has %s)", argv[1], list);
		return -1;
	}
	int order = -1;
	if (argc > 2) {
		uint64_t o;
		if (arg_u64(s, 2, argv[2], "an order", MAX_ORDER_MODEL, &o))
			return -1;
		order = (int)o;
	}
	set_json(s);
	view_free_area(&s->out, s->m, z, order);
	return 0;
}

static int s_slabinfo(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (need_slab(s))
		return -1;
	if (s->m->slab->impl == SLAB_IMPL_SLOB) {
		session_error(s, "SLOB has no /proc/slabinfo (the 2.6.32 kernel creates it only for SLAB and SLUB)");
		return -1;
	}
	set_json(s);
	view_slabinfo(&s->out, s->m);
	return 0;
}

static int s_slab(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	if (need_slab(s))
		return -1;
	int cache = cache_arg(s, 1, argv[1]);
	if (cache < 0)
		return -1;
	set_json(s);
	view_slab(&s->out, s->m, cache);
	return 0;
}

static int s_object(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	uint64_t addr;
	if (need_slab(s) || arg_addr(s, 1, argv[1], &addr))
		return -1;
	set_json(s);
	view_object(&s->out, s->m, addr);
	return 0;
}

static int s_vars(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	for (size_t i = 0; i < s->cap_vars; i++)
		if (s->vars[i].name)
			view_var(&s->out, s->vars[i].name, &s->vars[i].v);
	if (s->last.kind != V_NONE)
		view_var(&s->out, "_", &s->last);
	return 0;
}

const struct cmd show_table[] = {
	{ "buddyinfo", "", "/proc/buddyinfo: free blocks per zone and order", 0, 0, s_buddyinfo, "-", NULL },
	{ "free_area", "ZONE [ORDER]", "the free blocks of a zone, per order and migratetype", 1, 2, s_free_area, "zo", NULL },
	{ "iomem", "", "/proc/iomem: the physical address map", 0, 0, s_iomem, "-", NULL },
	{ "machine", "", "the simulated machine: arch, kernel, memory layout", 0, 0, s_machine, "-", NULL },
	{ "meminfo", "", "/proc/meminfo", 0, 0, s_meminfo, "-", NULL },
	{ "object", "ADDR", "what is at a kernel address: cache, slab, object, free or allocated", 1, 1, s_object, "v", NULL },
	{ "page", "PFN|PAGE", "one page: zone, state, block, migratetype, addresses", 1, 1, s_page, "v", NULL },
	{ "pagetypeinfo", "", "/proc/pagetypeinfo: free blocks per migratetype", 0, 0, s_pagetypeinfo, "-", NULL },
	{ "slab", "CACHE", "a cache: geometry, per-CPU state, lists, every slab's object map", 1, 1, s_slab, "k", NULL },
	{ "slabinfo", "", "/proc/slabinfo (version 2.1)", 0, 0, s_slabinfo, "-", NULL },
	{ "vars", "", "the session's variables", 0, 0, s_vars, "-", NULL },
	{ "zoneinfo", "", "/proc/zoneinfo: watermarks, protection, counters", 0, 0, s_zoneinfo, "-", NULL },
	{ "zones", "", "a picture of each zone: free, allocated, reserved", 0, 0, s_zones, "-", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

static int c_show(struct session *s, int argc, char **argv, struct step_result *r)
{
	int rc = cmd_dispatch(s, show_table, argc - 1, argv + 1, r);
	s->cur_cmd = "show";
	return rc;
}

static int c_cat(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	static const struct { const char *path; const char *sub; } files[] = {
		{ "/proc/buddyinfo", "buddyinfo" }, { "/proc/pagetypeinfo", "pagetypeinfo" },
		{ "/proc/zoneinfo", "zoneinfo" }, { "/proc/meminfo", "meminfo" }, { "/proc/iomem", "iomem" },
		{ "/proc/slabinfo", "slabinfo" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(argv[1], files[i].path) == 0) {
			char *sub[2] = { (char *)files[i].sub, NULL };
			return cmd_dispatch(s, show_table, 1, sub, r);
		}
	if (strncmp(argv[1], "/proc/sys/vm/", 13) == 0 && view_sysctl(&s->out, s->m, argv[1] + 13, true) == 0)
		return 0;
	session_error(s, "%s: no such file in the model (try /proc/buddyinfo, /proc/pagetypeinfo, "
		      "/proc/zoneinfo, /proc/meminfo, /proc/iomem, /proc/sys/vm/...)", argv[1]);
	return -1;
}

/* ---- session commands ------------------------------------------------------------ */

static int c_sysctl(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int i = 1;
	if (strcmp(argv[i], "-w") == 0)
		i++;
	if (i >= argc) {
		session_error(s, "missing NAME[=VALUE]");
		return -1;
	}
	if (strcmp(argv[i], "-a") == 0) {
		for (size_t k = 0; machine_sysctl_name_at(s->m, k); k++)
			view_sysctl(&s->out, s->m, machine_sysctl_name_at(s->m, k), false);
		return 0;
	}
	for (; i < argc; i++) {
		char name[128];
		const char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (n >= sizeof name) {
			session_error(s, "'%s': name too long", argv[i]);
			return -1;
		}
		memcpy(name, argv[i], n);
		name[n] = '\0';
		char full[160];
		snprintf(full, sizeof full, "%s%s", strncmp(name, "vm.", 3) ? "vm." : "", name);
		char buf[256];
		if (machine_sysctl_get(s->m, full, buf, sizeof buf)) {
			const char *names[8];
			size_t k = 0;
			for (; k < 8 && machine_sysctl_name_at(s->m, k); k++)
				names[k] = machine_sysctl_name_at(s->m, k);
			const char *sug = cli_suggest(full, names, k);
			if (sug)
				session_error(s, "unknown sysctl '%s' in %s (did you mean %s?)", name,
					      s->m->kp->version, sug);
			else
				session_error(s, "unknown sysctl '%s' in %s (sysctl -a lists them)", name,
					      s->m->kp->version);
			return -1;
		}
		if (eq) {
			int e = machine_sysctl_set(s->m, full, eq + 1);
			if (e == -ERANGE) {
				session_error(s, "%s: value '%s' out of range", full, eq + 1);
				return -1;
			}
			if (e == -E2BIG) {
				session_error(s, "%s: too many values ('%s'; this kernel has %d)", full, eq + 1,
					      s->m->kp->kv == KV_2_6_32 ? s->m->nr_zones - 1 : s->m->nr_zones);
				return -1;
			}
			if (e) {
				session_error(s, "%s: invalid value '%s'", full, eq + 1);
				return -1;
			}
		}
		if (!s->quiet || !eq)
			view_sysctl(&s->out, s->m, full, false);
	}
	return 0;
}

static int onoff(struct session *s, const char *v, bool *dst)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0) {
		*dst = true;
		return 0;
	}
	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0) {
		*dst = false;
		return 0;
	}
	session_error(s, "argument 2 '%s': expected on or off", v);
	return -1;
}

static int c_set(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	struct { const char *name; bool *flag; } opts[] = {
		{ "show", &s->show }, { "explain", &s->explain }, { "check", &s->check_each },
		{ "keep_going", &s->keep_going }, { "json", &s->json }, { "color", &s->out.color },
	};
	size_t n = sizeof opts / sizeof opts[0];
	if (argc == 1) {
		for (size_t i = 0; i < n; i++)
			out_printf(&s->out, "%-12s %s\n", opts[i].name, *opts[i].flag ? "on" : "off");
		out_printf(&s->out, "%-12s %s\n", "slub_debug", s->cfg.slub_debug ? s->cfg.slub_debug : "off");
		return 0;
	}
	if (strcmp(argv[1], "slub_debug") == 0) {
		/* a boot parameter: the machine reboots with it */
		if (argc < 3) {
			out_printf(&s->out, "%-12s %s\n", "slub_debug", s->cfg.slub_debug ? s->cfg.slub_debug : "off");
			return 0;
		}
		unsigned f;
		bool off = strcmp(argv[2], "off") == 0;
		if (!off && (strlen(argv[2]) >= sizeof s->slub_debug || machine_parse_slub_debug(argv[2], &f))) {
			session_error(s, "argument 2 '%s': expected letters of F Z P U, or off", argv[2]);
			return -1;
		}
		struct machine_config cfg = s->cfg;
		char letters[sizeof s->slub_debug];
		snprintf(letters, sizeof letters, "%s", argv[2]);
		cfg.slub_debug = off ? NULL : letters;
		struct machine *nm;
		char err[256];
		if (machine_create(&cfg, &nm, err, sizeof err)) {
			session_error(s, "%s", err);
			return -1;
		}
		machine_destroy(s->m);
		s->m = nm;
		s->m->clock_us = 5000000;
		memcpy(s->slub_debug, letters, sizeof letters);
		s->cfg.slub_debug = off ? NULL : s->slub_debug;
		for (size_t i = 0; i < s->cap_vars; i++) {
			free(s->vars[i].name);
			s->vars[i].name = NULL;
		}
		s->nvars = 0;
		s->last = (struct value){ V_NONE, 0 };
		if (!s->quiet)
			out_printf(&s->out, "rebooted with slub_debug=%s (a boot parameter): a fresh machine, variables "
				   "cleared\n", off ? "off" : letters);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], opts[i].name) == 0) {
			if (argc < 3) {
				out_printf(&s->out, "%-12s %s\n", opts[i].name, *opts[i].flag ? "on" : "off");
				return 0;
			}
			if (onoff(s, argv[2], opts[i].flag))
				return -1;
			if (opts[i].flag == &s->out.color)
				s->err.color = s->out.color;
			s->out.json = s->json;
			return 0;
		}
	const char *names[8];
	for (size_t i = 0; i < n; i++)
		names[i] = opts[i].name;
	const char *sug = cli_suggest(argv[1], names, n);
	session_error(s, "argument 1 '%s': unknown setting%s%s%s (settings: show, explain, check, keep_going, "
		      "json, color, slub_debug)", argv[1], sug ? " (did you mean " : "", sug ? sug : "", sug ? "?)" : "");
	return -1;
}

static int c_echo(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '$' && argv[i][1]) {
			const struct value *v = var_get(s, argv[i] + 1);
			if (!v) {
				session_error(s, "argument %d: no variable '%s'", i, argv[i]);
				return -1;
			}
			if (v->kind == V_NUM)
				out_printf(&s->out, "%s%llu", i > 1 ? " " : "", (unsigned long long)v->u);
			else
				out_printf(&s->out, "%s%#llx", i > 1 ? " " : "", (unsigned long long)v->u);
		} else {
			out_printf(&s->out, "%s%s", i > 1 ? " " : "", argv[i]);
		}
	}
	out_puts(&s->out, "\n");
	return 0;
}

static void help_table(struct session *s, const struct cmd *t, const char *prefix)
{
	for (const struct cmd *c = t; c->name; c++) {
		char syn[96];
		snprintf(syn, sizeof syn, "%s%s%s%s", prefix, c->name, *c->args ? " " : "", c->args);
		out_printf(&s->out, "  %-34s %s\n", syn, c->summary);
	}
}

static int c_help(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	if (argc == 1) {
		out_puts(&s->out, "Commands (kernel argument order; GFP like GFP_KERNEL|__GFP_ZERO or 0xcc0):\n");
		help_table(s, cmd_table, "");
		out_puts(&s->out, "Results can be named: p = __get_free_pages GFP_KERNEL 2; free_pages $p 2 "
			 "($_ is the last result).\n'help CMD' for one command; man kmemsh for everything.\n");
		return 0;
	}
	const struct cmd *c = cmd_find(cmd_table, argv[1], NULL);
	if (!c) {
		session_error(s, "no command '%s' (type help for the list)", argv[1]);
		return -1;
	}
	if (c->sub && argc > 2) {
		const struct cmd *sc = cmd_find(c->sub, argv[2], NULL);
		if (!sc) {
			session_error(s, "no '%s %s' (try help %s)", c->name, argv[2], c->name);
			return -1;
		}
		out_printf(&s->out, "usage: %s %s %s\n  %s\n", c->name, sc->name, sc->args, sc->summary);
		return 0;
	}
	out_printf(&s->out, "usage: %s %s\n  %s\n", c->name, c->args, c->summary);
	if (c->sub) {
		out_puts(&s->out, "subcommands:\n");
		help_table(s, c->sub, "");
	}
	return 0;
}

static int c_source(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		session_error(s, "cannot open '%s': %s", argv[1], strerror(errno));
		return -1;
	}
	int rc = session_run_stream(s, f, argv[1]);
	fclose(f);
	return rc;
}

static int c_dmesg(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	bool clear = false;
	if (argc > 1) {
		if (strcmp(argv[1], "-c") != 0 && strcmp(argv[1], "-C") != 0) {
			session_error(s, "argument 1 '%s': expected -c (print and clear) or -C (clear)", argv[1]);
			return -1;
		}
		clear = true;
	}
	set_json(s);
	if (argc == 1 || strcmp(argv[1], "-c") == 0)
		view_dmesg(&s->out, s->m, s->m->dmesg.start);
	if (clear) {
		for (size_t i = s->m->dmesg.start; i < s->m->dmesg.n; i++) {
			free(s->m->dmesg.v[i].text);
			s->m->dmesg.v[i].text = NULL;
		}
		s->m->dmesg.start = s->m->dmesg.n;
	}
	return 0;
}

static int c_check(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (machine_check(s->m)) {
		session_error(s, "model inconsistent: %s", s->m->err);
		return -1;
	}
	if (!s->quiet)
		view_check(&s->out, s->m);
	return 0;
}

static int c_reset(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	struct machine *nm;
	char err[256];
	if (machine_create(&s->cfg, &nm, err, sizeof err)) {
		session_error(s, "%s", err);
		return -1;
	}
	machine_destroy(s->m);
	s->m = nm;
	s->m->clock_us = 5000000;
	for (size_t i = 0; i < s->cap_vars; i++) {
		free(s->vars[i].name);
		s->vars[i].name = NULL;
	}
	s->nvars = 0;
	s->last = (struct value){ V_NONE, 0 };
	if (!s->quiet)
		out_printf(&s->out, "reset: a fresh %s machine (%s), variables cleared\n", s->m->arch->name,
			   s->m->kp->version);
	return 0;
}

static int c_quit(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	s->quit = true;
	return 0;
}

/* Sorted by name: help and completion list them in this order. */
const struct cmd cmd_table[] = {
	{ "__free_page", "PAGE", "free one page given its struct page pointer", 1, 1, c_free_pages_page, "v", NULL },
	{ "__free_pages", "PAGE ORDER", "free 2^ORDER pages given the struct page pointer", 2, 2, c_free_pages_page, "vo", NULL },
	{ "__get_free_page", "GFP", "allocate one page, return its kernel virtual address", 1, 1, c_get_free_page, "g", NULL },
	{ "__get_free_pages", "GFP ORDER", "allocate 2^ORDER pages, return the kernel virtual address", 2, 2, c_get_free_pages, "go", NULL },
	{ "alloc_page", "GFP", "allocate one page, return its struct page pointer", 1, 1, c_alloc_page, "g", NULL },
	{ "alloc_pages", "GFP ORDER", "allocate 2^ORDER contiguous pages, return the struct page pointer", 2, 2, c_alloc_pages, "go", NULL },
	{ "cat", "FILE", "print a /proc file of the model (/proc/buddyinfo, /proc/zoneinfo ...)", 1, 1, c_cat, "f", NULL },
	{ "check", "", "run the invariant checker over the whole model", 0, 0, c_check, "-", NULL },
	{ "cpu", "[N]", "show or switch the current CPU (per-CPU slabs and array caches)", 0, 1, c_cpu, "-", NULL },
	{ "dmesg", "[-c|-C]", "print the kernel log (-c: print and clear, -C: clear)", 0, 1, c_dmesg, "-", NULL },
	{ "dump", "ADDR [LEN]", "hex dump of slab memory, as print_hex_dump() prints it (LEN defaults to 64)", 1, 2, c_dump, "v-", NULL },
	{ "echo", "[WORD|$VAR]...", "print words and variables", 0, -1, c_echo, "v", NULL },
	{ "exit", "", "leave kmemsh", 0, 0, c_quit, "-", NULL },
	{ "free_page", "ADDR", "free one page given its kernel virtual address", 1, 1, c_free_pages, "v", NULL },
	{ "free_pages", "ADDR ORDER", "free 2^ORDER pages given the kernel virtual address", 2, 2, c_free_pages, "vo", NULL },
	{ "get_zeroed_page", "GFP", "allocate one zeroed page, return its kernel virtual address", 1, 1, c_get_zeroed_page, "g", NULL },
	{ "help", "[COMMAND [SUBCOMMAND]]", "list the commands, or describe one", 0, 2, c_help, "cs", NULL },
	{ "kcalloc", "N SIZE [GFP]", "allocate a zeroed array of N objects of SIZE bytes", 2, 3, c_kcalloc, "--g", NULL },
	{ "kfree", "ADDR", "free memory from kmalloc and friends", 1, 1, c_kfree, "v", NULL },
	{ "kmalloc", "SIZE [GFP]", "allocate SIZE bytes from the kmalloc caches (GFP defaults to GFP_KERNEL)", 1, 2, c_kmalloc, "-g", NULL },
	{ "kmalloc_array", "N SIZE [GFP]", "allocate an array of N objects of SIZE bytes", 2, 3, c_kcalloc, "--g", NULL },
	{ "kmem_cache_alloc", "CACHE [GFP]", "allocate an object from a cache", 1, 2, c_kmem_cache_alloc, "kg", NULL },
	{ "kmem_cache_create", "NAME SIZE [ALIGN] [SLAB_FLAGS]...", "create a cache of SIZE-byte objects", 2, 8, c_kmem_cache_create, "--", NULL },
	{ "kmem_cache_destroy", "CACHE", "destroy a cache (it must be empty)", 1, 1, c_kmem_cache_shrink_destroy, "k", NULL },
	{ "kmem_cache_free", "CACHE ADDR", "free an object back to its cache", 2, 2, c_kmem_cache_free, "kv", NULL },
	{ "kmem_cache_shrink", "CACHE", "give a cache's empty slabs back to the buddy allocator", 1, 1, c_kmem_cache_shrink_destroy, "k", NULL },
	{ "kmem_cache_zalloc", "CACHE [GFP]", "allocate a zeroed object from a cache", 1, 2, c_kmem_cache_alloc, "kg", NULL },
	{ "krealloc", "ADDR SIZE [GFP]", "resize a kmalloc object (same object if it still fits)", 2, 3, c_krealloc, "v-g", NULL },
	{ "ksize", "ADDR", "the usable size of a kmalloc object", 1, 1, c_ksize, "v", NULL },
	{ "kzalloc", "SIZE [GFP]", "kmalloc with __GFP_ZERO", 1, 2, c_kmalloc, "-g", NULL },
	{ "memset", "ADDR C N", "write byte C into N bytes of slab memory (overflows and use-after-free too)", 3, 3, c_memset, "v--", NULL },
	{ "page_address", "PAGE", "the kernel virtual address of a page (NULL for highmem)", 1, 1, c_page_address, "v", NULL },
	{ "page_to_pfn", "PAGE", "the page frame number of a struct page pointer", 1, 1, c_page_to_pfn, "v", NULL },
	{ "pfn_to_page", "PFN", "the struct page pointer of a page frame number", 1, 1, c_pfn_to_page, "v", NULL },
	{ "quit", "", "leave kmemsh", 0, 0, c_quit, "-", NULL },
	{ "reset", "", "boot a fresh machine with the same options; clear variables", 0, 0, c_reset, "-", NULL },
	{ "set", "[SETTING [on|off]]", "show or change a setting: show, explain, check, keep_going, json, color, slub_debug", 0, 2, c_set, "t", NULL },
	{ "show", "WHAT [ARGS]", "show a view of the model (help show lists them)", 1, 3, c_show, "s", show_table },
	{ "source", "FILE", "run the commands in FILE", 1, 1, c_source, "f", NULL },
	{ "sysctl", "[-w] NAME[=VALUE]... | -a", "read or write vm.min_free_kbytes, vm.watermark_scale_factor, vm.lowmem_reserve_ratio", 1, 8, c_sysctl, "y", NULL },
	{ "virt_to_page", "ADDR", "the struct page pointer of a direct-mapped address", 1, 1, c_virt_to_page, "v", NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL },
};

void cli_list_commands(FILE *f)
{
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "%s%s%s\t%s\n", c->name, *c->args ? " " : "", c->args, c->summary);
}
