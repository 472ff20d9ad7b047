/*
 * complete.c - the tab-completion words that come from the model's state
 * rather than from a table: the live addresses a command takes back (the
 * vmalloc areas for vfree, the vmap areas for vunmap, the ioremap cookies
 * for iounmap, this CPU's kmap_atomic/kmap_local slots for kunmap_atomic
 * and kunmap_local) and 2.6.32's km_type slot names for kmap_atomic.  It
 * only reads the model; repl.c hands the words to readline, and the tests
 * call it directly.
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/cli.h"
#include "kmemsh/highmem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"

struct walk_ctx {
	unsigned long want;             /* VM_* flag an area must have */
	cli_word_fn add;
	void *arg;
};

static void add_addr(cli_word_fn add, void *arg, uint64_t addr)
{
	char w[24];
	snprintf(w, sizeof w, "0x%llx", (unsigned long long)addr);
	add(arg, w);
}

static int busy_area(void *arg, const struct vm_struct *vm)
{
	struct walk_ctx *c = arg;
	if (vm->flags & c->want)
		add_addr(c->add, c->arg, vm->addr);
	return 0;
}

/* the addresses of the kmap slots in use on the current CPU, top first */
static void kmap_slots(const struct machine *m, bool local, cli_word_fn add, void *arg)
{
	const struct highmem_state *h = m->hm;
	unsigned cpu = machine_this_cpu(m);
	if (!h || cpu >= h->ncpus)
		return;
	for (unsigned i = KM_STACK_MAX; i-- > 0;) {
		const struct km_slot *sl = &h->slot[cpu][i];
		if (sl->used && (m->kp->kv == KV_2_6_32 || sl->atomic != local))
			add_addr(add, arg, highmem_slot_vaddr(m, cpu, i));
	}
}

void cli_complete_words(const struct session *s, const char *cmd, char kind, cli_word_fn add, void *arg)
{
	const struct machine *m = s->m;
	if (kind == 'm') {
		/* 2.6.32's enum km_type; 6.13's kmap_atomic() takes no slot */
		if (m->kp->kv != KV_2_6_32)
			return;
		const char *name;
		for (int t = 0; strcmp(name = highmem_km_type_name(t), "?"); t++)
			add(arg, name);
		return;
	}
	if (kind != 'a')
		return;
	if (!strcmp(cmd, "iounmap")) {
		for (unsigned i = 0; i < ioremap_count(m); i++)
			add_addr(add, arg, ioremap_get(m, i)->va);
	} else if (!strcmp(cmd, "kunmap_atomic") || !strcmp(cmd, "kunmap_local")) {
		kmap_slots(m, !strcmp(cmd, "kunmap_local"), add, arg);
	} else {
		struct walk_ctx c = { !strcmp(cmd, "vunmap") ? VM_MAP : VM_ALLOC, add, arg };
		vmap_walk_busy(m, busy_area, &c);
	}
}
