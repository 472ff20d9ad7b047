/*
 * cmd_highmem.c - temporary mappings of pages (kmap/kunmap, kmap_atomic/
 * kunmap_atomic, kmap_local_page/kunmap_local, `show kmap`) and the task's
 * context (spin_lock and friends, local_irq_*, preempt_*, rcu_read_*,
 * `context`, `show context`).
 */
#include <string.h>

#include "kmemsh/context.h"
#include "kmemsh/highmem.h"
#include "cmd_int.h"

static int refused(struct session *s)
{
	session_error(s, "%s", s->m->err);
	return -1;
}

static bool old(const struct session *s)
{
	return s->m->kp->kv == KV_2_6_32;
}

/* kmap PAGE, kunmap PAGE */
int cmd_kmap(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	uint64_t pfn;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	bool unmap = !strcmp(argv[0], "kunmap");
	struct kmap_result k;
	int e = unmap ? highmem_kunmap(s->m, pfn, &k) : highmem_kmap(s->m, pfn, &k);
	if (e)
		return refused(s);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	r->value = unmap ? (struct value){ V_NONE, 0 } : (struct value){ V_ADDR, k.addr };
	r->kind = RESULT_KMAP;
	r->u.kmap = k;
	return 0;
}

/* 2.6.32's km_type argument: required for kmap_atomic, optional for
 * kunmap_atomic (default: the slot the address is); 6.13 takes none */
static int km_type_arg(struct session *s, int argc, char **argv, bool required, int *type)
{
	*type = KM_NO_TYPE;
	if (!old(s)) {
		if (argc > 2) {
			session_error(s, "argument 2 '%s': 6.13's kmap_atomic() takes no km_type (2.6.32's does)", argv[2]);
			return -1;
		}
		return 0;
	}
	if (argc < 3) {
		if (!required)
			return 0;
		session_error(s, "2.6.32's kmap_atomic(page, type) needs a km_type: KM_USER0, KM_USER1, KM_IRQ0 ...");
		return -1;
	}
	*type = highmem_km_type(argv[2]);
	if (*type < 0) {
		session_error(s, "argument 2 '%s': not a km_type (KM_BOUNCE_READ ... KM_NMI_PTE)", argv[2]);
		return -1;
	}
	return 0;
}

/* kmap_local_page()/kunmap_local() came with 5.11 (include/linux/highmem-internal.h);
 * 2.6.32 has only kmap() and kmap_atomic(page, km_type) */
static int local_missing(struct session *s, const char *fn)
{
	if (s->m->kp->kv != KV_2_6_32)
		return 0;
	session_error(s, "%s() is not in Linux %s (added in 5.11; use kmap_atomic PAGE KM_USER0)", fn,
		      s->m->kp->version);
	return -1;
}

/* kmap_atomic PAGE [KM_TYPE], kmap_local_page PAGE */
int cmd_kmap_atomic(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t pfn;
	bool local = !strcmp(argv[0], "kmap_local_page");
	int type = KM_NO_TYPE;
	if (local && local_missing(s, argv[0]))
		return -1;
	if (arg_page(s, 1, argv[1], &pfn))
		return -1;
	if (!local && km_type_arg(s, argc, argv, true, &type))
		return -1;
	struct kmap_result k;
	if (highmem_kmap_atomic(s->m, pfn, type, local, &k))
		return refused(s);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, machine_page_ptr(s->m, pfn));
	if (type >= 0)
		step_arg_str(r, CA_NAME, argv[2]);
	r->value = (struct value){ V_ADDR, k.addr };
	r->kind = RESULT_KMAP;
	r->u.kmap = k;
	return 0;
}

/* kunmap_atomic ADDR [KM_TYPE], kunmap_local ADDR */
int cmd_kunmap_atomic(struct session *s, int argc, char **argv, struct step_result *r)
{
	uint64_t addr;
	bool local = !strcmp(argv[0], "kunmap_local");
	int type = KM_NO_TYPE;
	if (local && local_missing(s, argv[0]))
		return -1;
	if (arg_addr(s, 1, argv[1], &addr))
		return -1;
	if (!local && km_type_arg(s, argc, argv, false, &type))
		return -1;
	struct kmap_result k;
	if (highmem_kunmap_atomic(s->m, addr, type, local, &k))
		return refused(s);
	step_call(r, argv[0]);
	step_arg(r, CA_HEX, addr);
	if (argc > 2)
		step_arg_str(r, CA_NAME, argv[2]);
	r->value = (struct value){ V_NONE, 0 };
	r->kind = RESULT_KMAP;
	r->u.kmap = k;
	r->reason = s->m->err;
	return 0;
}

int cmd_show_kmap(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	view_kmap(&s->out, s->m);
	return 0;
}

/* ---- context --------------------------------------------------------------------------------- */

static int context_done(struct session *s, char **argv, int e, struct step_result *r, bool named)
{
	if (e && e != -EINVAL)
		return refused(s);
	step_call(r, argv[0]);
	if (named)
		step_arg_str(r, CA_NAME, argv[1]);
	r->value = (struct value){ V_NONE, 0 };
	r->kind = RESULT_CONTEXT;
	r->reason = s->m->err;
	return 0;
}

/* spin_lock NAME, spin_lock_irqsave NAME, spin_unlock NAME, spin_unlock_irqrestore NAME */
int cmd_spin_lock(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	const char *fn = argv[0];
	bool unlock = strstr(fn, "unlock") != NULL;
	bool irq = strstr(fn, "irq") != NULL;
	int e = unlock ? context_spin_unlock(s->m, argv[1], irq) : context_spin_lock(s->m, argv[1], irq);
	if (e == -EDEADLK)
		return refused(s);
	return context_done(s, argv, e, r, true);
}

/* mutex_lock NAME, mutex_trylock NAME, mutex_unlock NAME */
int cmd_mutex(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	const char *fn = argv[0];
	bool got = false, trylock = !strcmp(fn, "mutex_trylock");
	int e;
	if (trylock)
		e = context_mutex_trylock(s->m, argv[1], &got);
	else if (!strcmp(fn, "mutex_lock"))
		e = context_mutex_lock(s->m, argv[1]);
	else
		e = context_mutex_unlock(s->m, argv[1]);
	/* an unlock of a mutex not held is reported and goes on; anything
	 * else that fails is refused with the model unchanged */
	if (e && !(e == -EINVAL && !strcmp(fn, "mutex_unlock")))
		return refused(s);
	context_done(s, argv, e, r, true);
	if (trylock)
		r->value = (struct value){ V_NUM, got };
	return 0;
}

/* local_irq_disable, local_irq_enable, preempt_disable, preempt_enable,
 * rcu_read_lock, rcu_read_unlock */
int cmd_context_call(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	const char *fn = argv[0];
	int e;
	if (!strncmp(fn, "local_irq_", 10))
		e = context_local_irq(s->m, !strcmp(fn, "local_irq_disable"));
	else if (!strncmp(fn, "preempt_", 8))
		e = context_preempt(s->m, !strcmp(fn, "preempt_disable"));
	else
		e = context_rcu_read(s->m, !strcmp(fn, "rcu_read_lock"));
	if (e && !strncmp(fn, "local_irq_", 10))
		return refused(s);
	if (e && !strcmp(fn, "rcu_read_unlock"))
		return refused(s);
	return context_done(s, argv, e, r, false);
}

/* memalloc_noreclaim_save: PF_MEMALLOC on, the old bit returned;
 * memalloc_noreclaim_restore FLAGS: the saved bit back */
int cmd_memalloc_noreclaim(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	unsigned old_flags = 0;
	int e;
	if (!strcmp(argv[0], "memalloc_noreclaim_save")) {
		e = context_memalloc_noreclaim_save(s->m, &old_flags);
	} else {
		uint64_t flags;
		if (arg_u64(s, 1, argv[1], "flags", UINT32_MAX, &flags))
			return -1;
		e = context_memalloc_noreclaim_restore(s->m, (unsigned)flags);
	}
	if (e)
		return refused(s);
	context_done(s, argv, 0, r, false);
	if (argc == 1)
		r->value = (struct value){ V_NUM, old_flags };
	return 0;
}

/* current->flags |= PF_MEMALLOC, current->flags &= ~PF_MEMALLOC: the
 * flag set directly, as 2.6.32 code does (it has no
 * memalloc_noreclaim_save()); 6.x code may still write it so */
int cmd_current_flags(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	bool set = !strcmp(argv[1], "|=") && !strcmp(argv[2], "PF_MEMALLOC");
	bool clear = !strcmp(argv[1], "&=") && !strcmp(argv[2], "~PF_MEMALLOC");
	if (!set && !clear) {
		session_error(s, "kmemsh models only PF_MEMALLOC (usage: "
				   "current->flags |= PF_MEMALLOC, or &= ~PF_MEMALLOC)");
		return -1;
	}
	context_pf_memalloc_set(s->m, set);
	context_done(s, argv, 0, r, false);
	/* a C statement, shown as written (no call, no value) */
	r->fn = set ? "current->flags |= PF_MEMALLOC" : "current->flags &= ~PF_MEMALLOC";
	return 0;
}

/* context [irq|softirq|process] */
int cmd_context(struct session *s, int argc, char **argv, struct step_result *r)
{
	if (argc == 1) {
		view_context(&s->out, s->m);
		return 0;
	}
	if (s->ctx_blocks) {
		session_error(s, "inside an irq { } or softirq { } block: its '}' leaves the context");
		return -1;
	}
	static const char *const names[] = { "process", "softirq", "irq" };
	for (int k = CTX_PROCESS; k <= CTX_IRQ; k++) {
		if (strcmp(argv[1], names[k]))
			continue;
		if (context_enter(s->m, (enum ctx_kind)k))
			return refused(s);
		return context_done(s, argv, 0, r, true);
	}
	session_error(s, "argument 1 '%s': irq, softirq or process", argv[1]);
	return -1;
}

int cmd_show_context(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	view_context(&s->out, s->m);
	return 0;
}
