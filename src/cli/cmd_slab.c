/*
 * cmd_slab.c - the slab layer's commands: the kmalloc family (kmalloc,
 * kzalloc, kcalloc, kmalloc_array, krealloc, ksize, kfree), the kmem_cache
 * API, writing and reading slab memory (memset, dump) and the current CPU.
 *
 * An allocation's or a free's result is the object: its address and, when
 * the result will be printed, what the slab layer says it is (its cache,
 * slab and index, a SLOB block, or a large kmalloc), taken after an
 * allocation and before a free.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/gfp.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmscan.h"
#include "cmd_int.h"

int cmd_need_slab(struct session *s)
{
	if (!s->m->slab) {
		session_error(s, "this machine has no slab allocator");
		return -1;
	}
	return 0;
}

/* A cache named by the struct kmem_cache * kmem_cache_create returned: a
 * variable holding it or the address itself. */
static int cache_by_struct(struct session *s, int idx, const char *text)
{
	uint64_t a;
	if (arg_addr(s, idx, text, &a))
		return -1;
	int c = slab_cache_by_struct(s->m, a);
	if (c >= 0)
		return c;
	session_error(s, "argument %d '%s': %#llx is not the struct kmem_cache of a live cache", idx, text,
		      (unsigned long long)a);
	return -1;
}

int cmd_cache_arg(struct session *s, int idx, const char *name)
{
	if (name[0] == '$' || (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')))
		return cache_by_struct(s, idx, name);
	int c = slab_cache_find(s->m, name);
	if (c >= 0)
		return c;
	/* a merged cache's other name is the same struct kmem_cache */
	if ((c = slab_alias_find(s->m, name)) >= 0)
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
	if (cmd_shown(s))
		slab_object_info(s->m, addr, &r->u.object.oi);
}

/* kmalloc-style results: fn(args..., gfp) = addr */
static int kmalloc_common(struct session *s, uint64_t size, const char *gfp_arg, int gfp_idx, uint32_t extra,
			  struct step_result *r)
{
	uint32_t gfp = 0;
	if (cmd_need_slab(s))
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

/* kmalloc_node SIZE GFP NID, kmem_cache_alloc_node CACHE GFP NID */
int cmd_alloc_node(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	bool cache_call = strcmp(argv[0], "kmem_cache_alloc_node") == 0;
	uint64_t size = 0;
	uint32_t gfp;
	int nid, cache = -1;
	if (cmd_need_slab(s))
		return -1;
	if (cache_call) {
		if ((cache = cmd_cache_arg(s, 1, argv[1])) < 0)
			return -1;
	} else if (arg_size(s, 1, argv[1], &size)) {
		return -1;
	}
	if (arg_gfp(s, 2, argv[2], &gfp) || cmd_arg_nid(s, 3, argv[3], &nid))
		return -1;
	uint64_t addr;
	int e = cache_call ? slab_cache_alloc_node(s->m, cache, gfp, nid, &addr)
			   : slab_kmalloc_node(s->m, (size_t)size, gfp, nid, &addr);
	if (e) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	step_call(r, argv[0]);
	if (cache_call)
		step_arg_str(r, CA_NAME, argv[1]);
	else
		step_arg(r, CA_DEC, size);
	step_arg(r, CA_GFP, gfp);
	if (nid < 0)
		step_arg_str(r, CA_NAME, "NUMA_NO_NODE");
	else
		step_arg(r, CA_DEC, (uint64_t)nid);
	r->value = (struct value){ V_ADDR, addr };
	result_object(s, r, addr);
	return 0;
}

int cmd_kmalloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t size;
	if (arg_size(s, 1, argv[1], &size))
		return -1;
	step_call(r, argv[0]);
	step_arg(r, CA_DEC, size);
	bool zero = argv[0][1] == 'z' && strcmp(argv[0], "kzalloc") == 0;     /* kmalloc's letter first */
	return kmalloc_common(s, size, argc > 2 ? argv[2] : NULL, 2, zero ? s->m->kp->gfp_zero : 0, r);
}

/* kmalloc_array()/kcalloc(): NULL when n * size overflows */
int cmd_kcalloc(struct session *s, int argc, char **argv, struct step_result *r)
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

int cmd_krealloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr, size, out;
	uint32_t gfp;
	if (cmd_need_slab(s) || arg_addr(s, 1, argv[1], &addr) || arg_size(s, 2, argv[2], &size))
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

/* An object on a shrinker's list_lru belongs to the shrinker: freeing it
 * behind its back would leave the list naming a free (later reused) object. */
static int shrinker_object(struct session *s, int idx, const char *text, uint64_t addr)
{
	/* no shrinker registered: no list to own it (the lookup is not made) */
	if (!s->m->vm || !s->m->vm->nshrinker)
		return 0;
	struct object_info oi;
	slab_object_info(s->m, addr, &oi);
	if (!oi.found || oi.large || !oi.allocated || oi.object_addr != addr ||
	    !vmscan_shrinker_owns(s->m, oi.cache, addr))
		return 0;
	session_error(s, "argument %d '%s': the object is on %s's shrinker list; reclaim or drop_caches 2 frees it",
		      idx, text, s->m->slab->caches[oi.cache].name);
	return -1;
}

int cmd_kfree(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (cmd_need_slab(s) || arg_addr(s, 1, argv[1], &addr) || shrinker_object(s, 1, argv[1], addr))
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

int cmd_ksize(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	size_t size;
	if (cmd_need_slab(s) || arg_addr(s, 1, argv[1], &addr))
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

int cmd_kmem_cache_create(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t size, align = 0;
	unsigned flags = 0;
	int first_flag = 3;
	if (cmd_need_slab(s) || arg_size(s, 2, argv[2], &size))
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
	/* the struct kmem_cache * it returns; none where the model keeps no
	 * struct for it (2.6.32 SLUB kmallocs it: not modelled) */
	uint64_t addr = slab_cache_struct_addr(s->m, cache);
	if (addr)
		r->value = (struct value){ V_ADDR, addr };
	return 0;
}

int cmd_kmem_cache_alloc(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint32_t gfp;
	if (cmd_need_slab(s))
		return -1;
	int cache = cmd_cache_arg(s, 1, argv[1]);
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

int cmd_kmem_cache_free(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t addr;
	if (cmd_need_slab(s))
		return -1;
	int cache = cmd_cache_arg(s, 1, argv[1]);
	if (cache < 0 || arg_addr(s, 2, argv[2], &addr) || shrinker_object(s, 2, argv[2], addr))
		return -1;
	step_call(r, "kmem_cache_free");
	step_arg_str(r, CA_NAME, argv[1]);
	step_arg(r, CA_HEX, addr);
	if (addr)
		result_object(s, r, addr);
	else
		r->kind = RESULT_NONE;   /* kmem_cache_free(s, NULL): nothing to describe */
	if (slab_cache_free(s->m, cache, addr)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	return 0;
}

int cmd_kmem_cache_shrink_destroy(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	if (cmd_need_slab(s))
		return -1;
	int cache = cmd_cache_arg(s, 1, argv[1]);
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

int cmd_cpu(struct session *s, int argc, char **argv, struct step_result *r)
{
	if (cmd_need_slab(s))
		return -1;
	if (argc == 1) {
		r->value = (struct value){ V_NUM, machine_this_cpu(s->m) };
		view_cpu(&s->out, s->m, false);
		return 0;
	}
	uint64_t n;
	if (arg_u64(s, 1, argv[1], "a CPU number", 4095, &n))
		return -1;
	if (machine_set_cpu(s->m, (unsigned)n)) {
		session_error(s, "argument 1: %s (--cpus N)", s->m->err);
		return -1;
	}
	/* a setting's confirmation: -q silences it, but not its JSON form */
	if (s->json || !s->quiet)
		view_cpu(&s->out, s->m, true);
	return 0;
}
