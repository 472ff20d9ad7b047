/*
 * test_context.c - every rule of the modelled context: what counts as
 * atomic in each profile, the exact lines of __might_resched() (6.13) and
 * __might_sleep() (2.6.32), the once-a-second rate limit, GFP_ATOMIC and
 * GFP_NOWAIT staying silent, the allocator hooks, irq/softirq context,
 * spin_lock_irqsave's saved flags, and the lock debugging reports
 * (recursion, already unlocked, preempt_count underflow), each once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/context.h"
#include "kmemsh/highmem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"
#include "fixture.h"

static struct machine *boot(const char *kernel)
{
	struct machine_config cfg = { .kernel = kernel };
	cfg.pcp_off = true;      /* pure buddy: these tests assert immediate merging */
	struct machine *m = boot_cfg(&cfg);
	m->clock_us = 5000000;
	return m;
}

static int setup_old(void **state)
{
	*state = boot("2.6.32");
	return 0;
}

static int setup_new(void **state)
{
	*state = boot("6.13");
	return 0;
}

static int teardown(void **state)
{
	machine_destroy(*state);
	return 0;
}

static void might_alloc_6_13__gfp_kernel_under_spin_lock__prints_might_resched_lines(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_true(context_might_alloc(m, gfp(m, "GFP_KERNEL"), false));
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_string_equal(dmesg_text(m, i),
			    "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:321");
	assert_string_equal(dmesg_text(m, i + 1),
			    "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: kmemsh");
	assert_string_equal(dmesg_text(m, i + 2), "preempt_count: 1, expected: 0");
	assert_string_equal(dmesg_text(m, i + 3), "RCU nest depth: 0, expected: 0");
}

static void might_alloc_2_6_32__gfp_kernel_irqs_off__prints_might_sleep_lines(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_local_irq(m, true), 0);
	assert_true(context_might_alloc(m, gfp(m, "GFP_KERNEL"), true));
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_non_null(strstr(dmesg_text(m, i), "invalid context at mm/page_alloc.c:"));
	assert_string_equal(dmesg_text(m, i + 1), "in_atomic(): 0, irqs_disabled(): 1, pid: 1, name: kmemsh");
	assert_int_equal(dmesg_find(m, "preempt_count:"), -1);
}

static void might_alloc__gfp_atomic_and_gfp_nowait__are_silent(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_spin_lock(m, "l", true), 0);
	assert_false(context_might_alloc(m, gfp(m, "GFP_ATOMIC"), true));
	assert_false(context_might_alloc(m, gfp(m, "GFP_NOWAIT"), false));
	assert_int_equal(dmesg_find(m, "BUG: sleeping"), -1);
}

static void might_alloc__process_context__is_silent(void **state)
{
	struct machine *m = *state;
	assert_false(context_might_alloc(m, gfp(m, "GFP_KERNEL"), true));
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(context_spin_unlock(m, "l", false), 0);
	assert_false(context_might_alloc(m, gfp(m, "GFP_KERNEL"), true));
	assert_int_equal(dmesg_find(m, "BUG"), -1);
}

static void might_sleep__second_report_within_a_second__is_rate_limited(void **state)
{
	struct machine *m = *state;
	context_preempt(m, true);
	assert_true(context_might_sleep(m, "f.c", 1));
	m->clock_us += 500000;
	assert_true(context_might_sleep(m, "f.c", 2));
	assert_int_equal(m->ctx.reports, 1);
	assert_int_equal(m->ctx.suppressed, 1);
	m->clock_us += 600000;
	assert_true(context_might_sleep(m, "f.c", 3));
	assert_int_equal(m->ctx.reports, 2);
}

static void rcu_read_lock__6_13_reports_its_nest_depth__2_6_32_does_not_look(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_rcu_read(m, true), 0);
	bool old = m->kp->kv == KV_2_6_32;
	assert_int_equal(context_might_alloc(m, gfp(m, "GFP_KERNEL"), false), !old);
	if (!old)
		assert_true(dmesg_find(m, "RCU nest depth: 1, expected: 0") >= 0);
	assert_int_equal(context_rcu_read(m, false), 0);
	assert_int_equal(context_rcu_read(m, false), -EINVAL);
}

static void context_irq__raises_hardirq_count_disables_irqs_and_process_restores(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(m->ctx.preempt_count, HARDIRQ_OFFSET);
	assert_true(m->ctx.irqs_disabled);
	assert_true(context_in_interrupt(m));
	assert_true(context_might_alloc(m, gfp(m, "GFP_KERNEL"), false));
	assert_true(dmesg_find(m, "preempt_count: 10000, expected: 0") >= 0);
	assert_true(dmesg_find(m, "irqs_disabled(): 1") >= 0);
	assert_int_equal(context_enter(m, CTX_SOFTIRQ), -EINVAL);
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_false(m->ctx.irqs_disabled);
	assert_int_equal(context_enter(m, CTX_SOFTIRQ), 0);
	assert_int_equal(m->ctx.preempt_count, SOFTIRQ_OFFSET);
	assert_false(m->ctx.irqs_disabled);
}

static void context_irq__with_irqs_disabled__is_refused(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_local_irq(m, true), 0);
	assert_int_equal(context_enter(m, CTX_IRQ), -EINVAL);
	assert_int_equal(m->ctx.kind, CTX_PROCESS);
}

static void spin_lock_irqsave__restores_the_saved_flag(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_spin_lock(m, "a", true), 0);
	assert_true(m->ctx.irqs_disabled);
	assert_int_equal(context_spin_lock(m, "b", true), 0);
	assert_int_equal(context_spin_unlock(m, "b", true), 0);
	assert_true(m->ctx.irqs_disabled);              /* b saved "off" */
	assert_int_equal(context_spin_unlock(m, "a", true), 0);
	assert_false(m->ctx.irqs_disabled);
	assert_int_equal(m->ctx.preempt_count, 0);
}

static void spin_lock__held_lock__is_recursion_and_refused(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_spin_lock(m, "a", false), 0);
	assert_int_equal(context_spin_lock(m, "a", false), -EDEADLK);
	assert_true(dmesg_find(m, "BUG: spinlock recursion on CPU#0, kmemsh/1") >= 0);
	assert_int_equal(m->ctx.preempt_count, 1);
}

static void spin_unlock__not_held__reports_already_unlocked_once(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_spin_unlock(m, "x", false), -EINVAL);
	long i = dmesg_find(m, "BUG: spinlock already unlocked on CPU#0, kmemsh/1");
	assert_true(i >= 0);
	assert_non_null(strstr(dmesg_text(m, i + 1), ".magic: dead4ead, .owner: <none>/-1, .owner_cpu: -1"));
	/* lock debugging is off now: neither a second bug nor the underflow warning is printed */
	size_t n = m->dmesg.n;
	assert_int_equal(context_spin_unlock(m, "y", false), -EINVAL);
	assert_int_equal(m->dmesg.n, n);
	assert_int_equal(m->ctx.preempt_count, 0);
}

static void preempt_enable__underflow__warns_debug_locks_warn_on_once(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_preempt(m, false), -EINVAL);
	assert_true(dmesg_find(m, "DEBUG_LOCKS_WARN_ON(val > preempt_count())") >= 0);
	bool old = m->kp->kv == KV_2_6_32;
	assert_true(dmesg_find(m, old ? "sub_preempt_count" : "preempt_count_sub") >= 0);
	assert_int_equal(m->ctx.preempt_count, 0);
}

static void kmalloc_and_alloc_pages__in_atomic_context__report_and_still_allocate(void **state)
{
	struct machine *m = *state;
	uint64_t addr, pfn;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(slab_kmalloc(m, 64, gfp(m, "GFP_KERNEL"), &addr), 0);
	assert_true(dmesg_find(m, "BUG: sleeping function called from invalid context") >= 0);
	m->clock_us += 2000000;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(m->ctx.reports, 2);
}

static void alloc_pages__would_reclaim_under_a_spinlock__is_scheduling_while_atomic(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	gfp_t g = gfp(m, "GFP_KERNEL");
	int r = 0;
	for (int i = 0; i < 4096 && r == 0; i++)
		r = buddy_alloc_pages(m, g, 10, &pfn);
	assert_int_not_equal(r, 0);
	assert_true(dmesg_find(m, "BUG: scheduling while atomic: kmemsh/1/0x00000002") >= 0);
}

/* 6.13 schedule_debug(): __schedule_bug(); preempt_count_set(PREEMPT_DISABLED)
 * and add_taint(TAINT_WARN): one report, then the task runs on with the
 * count at 0 (the lock still held), so the unlock underflows.  2.6.32
 * resets nothing: still atomic after the report. */
static void scheduling_while_atomic__6_13_resets_the_count_2_6_32_does_not(void **state)
{
	struct machine *m = *state;
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t pfn;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	gfp_t g = gfp(m, "GFP_KERNEL");
	int r = 0;
	for (int i = 0; i < 4096 && r == 0; i++)
		r = buddy_alloc_pages(m, g, 10, &pfn);
	assert_true(dmesg_count(m, "BUG: scheduling while atomic") >= 1);
	if (old) {
		assert_int_equal(m->ctx.preempt_count, PREEMPT_OFFSET);
		return;
	}
	assert_int_equal(dmesg_count(m, "BUG: scheduling while atomic"), 1);
	assert_int_equal(m->ctx.preempt_count, 0);
	assert_true(m->taint & (1ul << TAINT_WARN));
	size_t before = m->dmesg.n;
	assert_int_equal(context_spin_unlock(m, "l", false), 0);
	assert_true(m->dmesg.n > before);
	assert_true(dmesg_find(m, "DEBUG_LOCKS_WARN_ON(val > preempt_count())") >= (long)before);
	assert_int_equal(m->ctx.preempt_count, 0);
}

static void alloc_pages__would_reclaim_in_process_context__is_not_a_scheduling_bug(void **state)
{
	struct machine *m = *state;
	uint64_t pfn;
	gfp_t g = gfp(m, "GFP_KERNEL");
	int r = 0;
	for (int i = 0; i < 4096 && r == 0; i++)
		r = buddy_alloc_pages(m, g, 10, &pfn);
	assert_int_not_equal(r, 0);
	assert_int_equal(dmesg_find(m, "scheduling while atomic"), -1);
}


/* ---- vmalloc, vfree, vunmap, vmap in atomic context ------------------------------------------ */

static int count_area(void *arg, const struct vm_struct *vm)
{
	(void)vm;
	(*(unsigned *)arg)++;
	return 0;
}

static unsigned busy_areas(const struct machine *m)
{
	unsigned n = 0;
	vmap_walk_busy(m, count_area, &n);
	return n;
}

static uint64_t free_pages(const struct machine *m)
{
	uint64_t n = 0;
	for (int z = 0; z < m->nr_zones; z++)
		n += m->zones[z].free_pages;
	return n;
}

static void vmalloc_6_13__gfp_kernel_under_spin_lock__reports_at_the_vm_struct_kzalloc_and_allocates(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	assert_true(a != 0);
	/* __get_vm_area_node(): kzalloc_node() of the vm_struct comes before
	 * alloc_vmap_area()'s might_sleep(), which the rate limit then eats */
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_string_equal(dmesg_text(m, i),
			    "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:321");
	assert_int_equal(m->ctx.reports, 1);
	assert_true(m->ctx.suppressed >= 1);
}

static void vmalloc_6_13__gfp_atomic_under_spin_lock__reports_alloc_vmap_area_might_sleep(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(vmalloc_node_range(m, 4096, 4096, m->layout.vmalloc_start, m->layout.vmalloc_end,
					    gfp(m, "GFP_ATOMIC"), 0, 0, "t+0x0/0x0", &a), 0);
	/* the vm_struct's kzalloc(GFP_ATOMIC) is silent; alloc_vmap_area()'s
	 * might_sleep() is not conditional on the gfp */
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_string_equal(dmesg_text(m, i), "BUG: sleeping function called from invalid context at mm/vmalloc.c:1972");
}

static void vmalloc__in_irq__is_bug_on_in_interrupt_and_changes_nothing(void **state)
{
	struct machine *m = *state;
	uint64_t a = 1, before_free = free_pages(m);
	unsigned before_busy = busy_areas(m);
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), -EPERM);
	assert_int_equal(a, 0);
	long i = dmesg_find(m, "kernel BUG at mm/vmalloc.c:");
	assert_true(i >= 1);
	assert_string_equal(dmesg_text(m, i - 1), "------------[ cut here ]------------");
	assert_int_equal(dmesg_find(m, "sleeping function"), -1);
	assert_int_equal(busy_areas(m), before_busy);
	assert_int_equal(free_pages(m), before_free);
	assert_non_null(strstr(m->err, "BUG_ON(in_interrupt())"));
}

static void vfree_6_13__in_irq__is_deferred_until_the_task_can_be_scheduled(void **state)
{
	struct machine *m = *state;
	uint64_t a, b;
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	assert_int_equal(vmalloc_alloc(m, 4096, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &b), 0);
	uint64_t before = free_pages(m);
	/* interrupts come in while a spinlock is held: the work must wait for spin_unlock() */
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vfree_area(m, a), 0);
	assert_int_equal(vfree_area(m, b), 0);
	assert_int_equal(vfree_area(m, 0), 0);
	assert_int_equal(vmap_deferred_count(m), 2);
	assert_true(vmap_is_deferred(m, a));
	assert_non_null(vmap_find_area(m, a));          /* still mapped */
	assert_int_equal(free_pages(m), before);
	assert_int_equal(dmesg_find(m, "sleeping function"), -1);       /* vfree_atomic() is silent */
	/* queued twice, or vfree'd in the meantime: refused */
	assert_int_equal(vfree_area(m, a), -EINVAL);
	assert_int_equal(vmap_deferred_count(m), 2);
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_int_equal(vmap_deferred_count(m), 2);    /* preempt_count 1: no kworker yet */
	assert_int_equal(vfree_area(m, a), -EINVAL);
	assert_int_equal(context_spin_unlock(m, "l", false), 0);
	assert_int_equal(vmap_deferred_count(m), 0);
	assert_null(vmap_find_area(m, a));
	assert_null(vmap_find_area(m, b));
	assert_int_equal(free_pages(m), before + 3);
}

static void vfree_6_13__deferred_work__runs_as_a_kworker_without_this_tasks_rcu_section(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(vmalloc_alloc(m, 4096, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	assert_int_equal(context_rcu_read(m, true), 0);
	assert_int_equal(context_enter(m, CTX_SOFTIRQ), 0);
	assert_int_equal(vfree_area(m, a), 0);
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_int_equal(vmap_deferred_count(m), 0);
	assert_null(vmap_find_area(m, a));
	assert_int_equal(dmesg_find(m, "sleeping function"), -1);
	assert_int_equal(m->ctx.rcu_depth, 1);
}

static void vfree_2_6_32__in_irq__is_bug_and_changes_nothing(void **state)
{
	struct machine *m = *state;
	uint64_t a;
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	uint64_t before = free_pages(m);
	assert_int_equal(context_enter(m, CTX_SOFTIRQ), 0);
	assert_int_equal(vfree_area(m, a), -EPERM);
	assert_true(dmesg_find(m, "kernel BUG at mm/vmalloc.c:") >= 0);
	assert_true(dmesg_find(m, "invalid opcode: 0000 [#1] SMP ") >= 0);
	assert_non_null(vmap_find_area(m, a));
	assert_int_equal(free_pages(m), before);
	assert_int_equal(vmap_deferred_count(m), 0);
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_int_equal(vfree_area(m, a), 0);
	assert_null(vmap_find_area(m, a));
}

static void vfree_and_vunmap__under_spin_lock__report_and_free(void **state)
{
	struct machine *m = *state;
	uint64_t a, pfn, v;
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), 0);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
	assert_int_equal(context_local_irq(m, true), 0);
	assert_int_equal(vfree_area(m, a), 0);
	assert_null(vmap_find_area(m, a));
	if (m->kp->kv == KV_2_6_32) {
		/* 2.6.32 vfree() has no might_sleep(): the report is vunmap()'s */
		assert_int_equal(m->ctx.reports, 0);
		assert_int_equal(vunmap_area(m, v), 0);
		assert_int_equal(m->ctx.reports, 1);
	} else {
		assert_int_equal(m->ctx.reports, 1);
		unsigned eaten = m->ctx.suppressed;
		assert_int_equal(vunmap_area(m, v), 0);
		assert_true(m->ctx.suppressed > eaten);
	}
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_non_null(strstr(dmesg_text(m, i), " at mm/vmalloc.c:"));
	assert_null(vmap_find_area(m, v));
}

static void vunmap__in_irq__is_bug_in_both_kernels(void **state)
{
	struct machine *m = *state;
	uint64_t pfn, v;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vunmap_area(m, v), -EPERM);
	assert_true(dmesg_find(m, "kernel BUG at mm/vmalloc.c:") >= 0);
	assert_non_null(vmap_find_area(m, v));
}

/* ---- mutexes --------------------------------------------------------------------------------- */

static void mutex_lock__in_atomic_context__reports_and_takes_it(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_preempt(m, true), 0);
	assert_int_equal(context_mutex_lock(m, "big"), 0);
	assert_true(context_mutex_held(m, "big"));
	long i = dmesg_find(m, "BUG: sleeping function");
	assert_true(i >= 0);
	assert_non_null(strstr(dmesg_text(m, i), m->kp->kv == KV_6_13 ? " at kernel/locking/mutex.c:" :
			       " at kernel/mutex.c:"));
}

static void mutex_lock__in_process_context__is_silent(void **state)
{
	struct machine *m = *state;
	size_t n = m->dmesg.n;
	assert_int_equal(context_mutex_lock(m, "big"), 0);
	assert_int_equal(m->dmesg.n, n);
}

static void mutex_lock__held__is_self_deadlock_and_refused(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_mutex_lock(m, "big"), 0);
	size_t n = m->dmesg.n;
	assert_int_equal(context_mutex_lock(m, "big"), -EDEADLK);
	assert_int_equal(m->ctx.nmutexes, 1);
	assert_int_equal(m->dmesg.n, n);
	assert_non_null(strstr(m->err, "already held"));
}

static void mutex_trylock__returns_0_when_held_and_never_reports(void **state)
{
	struct machine *m = *state;
	bool got;
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(context_mutex_trylock(m, "a", &got), 0);
	assert_true(got);
	assert_int_equal(context_mutex_trylock(m, "a", &got), 0);
	assert_false(got);
	assert_int_equal(dmesg_find(m, "sleeping function"), -1);
	assert_int_equal(m->ctx.nmutexes, 1);
}

static void mutex_unlock__not_held__debug_mutexes_warns_once(void **state)
{
	struct machine *m = *state;
	assert_int_equal(context_mutex_unlock(m, "nobody"), -EINVAL);
	long i = dmesg_find(m, "DEBUG_LOCKS_WARN_ON(");
	assert_true(i >= 0);
	if (m->kp->kv == KV_6_13) {
		assert_string_equal(dmesg_text(m, i), "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)");
		assert_non_null(strstr(dmesg_text(m, i + 1), "at kernel/locking/mutex.c:"));
		assert_non_null(strstr(dmesg_text(m, i + 1), " __mutex_unlock_slowpath+0x0/0x0"));
	} else {
		assert_string_equal(dmesg_text(m, i), "DEBUG_LOCKS_WARN_ON(lock->owner != current_thread_info())");
		assert_non_null(strstr(dmesg_text(m, i - 2), "WARNING: at kernel/mutex-debug.c:"));
		assert_non_null(strstr(dmesg_text(m, i - 2), " debug_mutex_unlock+0x0/0x0()"));
	}
	size_t n = m->dmesg.n;
	assert_int_equal(context_mutex_unlock(m, "nobody"), -EINVAL);
	assert_int_equal(m->dmesg.n, n);        /* debug_locks_off(): once */
	assert_int_equal(context_mutex_lock(m, "x"), 0);
	assert_int_equal(context_mutex_unlock(m, "x"), 0);
	assert_int_equal(m->ctx.nmutexes, 0);
}

/* 6.13 kmap()/kunmap() are might_sleep() in include/linux/highmem-internal.h
 * (lines 44 and 55); 2.6.32's kmap() in arch/x86/mm/highmem_32.c:7 and
 * its kunmap() does not sleep (it BUG()s in interrupt context only) */
static void kmap_and_kunmap__under_spin_lock__report_at_their_might_sleep(void **state)
{
	struct machine *m = *state;
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t pfn;
	struct kmap_result r;
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_HIGHUSER"), 0, &pfn), 0);
	assert_int_equal(context_spin_lock(m, "l", false), 0);
	assert_int_equal(highmem_kmap(m, pfn, &r), 0);
	assert_true(dmesg_find(m, old ? "invalid context at arch/x86/mm/highmem_32.c:7" :
			       "invalid context at include/linux/highmem-internal.h:44") >= 0);
	m->clock_us += 2000000;                 /* past the once-a-second rate limit */
	assert_int_equal(highmem_kunmap(m, pfn, &r), 0);
	if (old)
		assert_int_equal(dmesg_find(m, "invalid context at arch/x86/mm/highmem_32.c:1"), -1);
	else
		assert_true(dmesg_find(m, "invalid context at include/linux/highmem-internal.h:55") >= 0);
}

/* ---- taint ----------------------------------------------------------------------------------- */

/* print_tainted(): 11 letters on 2.6.32 (tnts[]), 19 on 6.13 (taint_flags[]) */
static void print_tainted__bug_then_warn__adds_d_then_w_in_bit_order(void **state)
{
	struct machine *m = *state;
	bool old = m->kp->kv == KV_2_6_32;
	uint64_t a = 1, pfn, v;
	assert_string_equal(machine_print_tainted(m), "Not tainted");
	assert_int_equal(context_enter(m, CTX_IRQ), 0);
	assert_int_equal(vmalloc_alloc(m, 8192, gfp(m, "GFP_KERNEL"), 0, "t+0x0/0x0", &a), -EPERM);
	assert_int_equal(context_enter(m, CTX_PROCESS), 0);
	assert_string_equal(machine_print_tainted(m), old ? "Tainted: G      D   " : "Tainted: G      D           ");
	/* the oops's own report was printed before the taint was added */
	long bug = dmesg_find(m, "kernel BUG at mm/vmalloc.c:");
	assert_true(bug >= 0);
	assert_int_equal(dmesg_find(m, "Tainted:"), -1);
	assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &pfn), 0);
	assert_int_equal(vmap_pages(m, &pfn, 1, VM_MAP, "t+0x0/0x0", &v), 0);
	assert_int_equal(vunmap_area(m, v + 4096 * 64), -EINVAL);
	long warn = dmesg_find(m, "nonexistent vm area");
	assert_true(warn > bug);
	/* the WARN's own report: tainted D, and on 6.13 dump_stack_print_info()'s verbose line */
	assert_true(dmesg_find(m, old ? "Pid: 1, comm: kmemsh Tainted: G      D    " :
			       "Comm: kmemsh Tainted: G      D            6.13.7") > bug);
	if (!old)
		assert_true(dmesg_find(m, "Tainted: [D]=DIE") > bug);
	assert_string_equal(machine_print_tainted(m), old ? "Tainted: G      D W " : "Tainted: G      D W         ");
}

/* irq { } / softirq { } blocks: nested as the kernel nests them, and each
 * leave restores exactly the context below */
static void context_blocks__nest_as_the_kernel_does_and_leave_restores(void **state)
{
	struct machine *m = *state;
	struct context_state *c = &m->ctx;
	/* a hardirq in a softirq: both counts, interrupts off, then back */
	assert_int_equal(context_block_enter(m, CTX_SOFTIRQ), 0);
	assert_int_equal(c->preempt_count, SOFTIRQ_OFFSET);
	assert_int_equal(context_block_enter(m, CTX_IRQ), 0);
	assert_int_equal(c->preempt_count, SOFTIRQ_OFFSET + HARDIRQ_OFFSET);
	assert_int_equal(c->kind, CTX_IRQ);
	assert_true(c->irqs_disabled);
	assert_true(context_in_interrupt(m));
	/* no softirq inside the hardirq, no second hardirq (irqs are off) */
	assert_int_equal(context_block_enter(m, CTX_SOFTIRQ), -EINVAL);
	assert_non_null(strstr(m->err, "irq_exit()"));
	assert_int_equal(context_block_enter(m, CTX_IRQ), -EINVAL);
	assert_int_equal(c->preempt_count, SOFTIRQ_OFFSET + HARDIRQ_OFFSET);
	context_block_leave(m, CTX_IRQ);
	assert_int_equal(c->kind, CTX_SOFTIRQ);
	assert_int_equal(c->preempt_count, SOFTIRQ_OFFSET);
	assert_false(c->irqs_disabled);
	/* softirqs do not nest */
	assert_int_equal(context_block_enter(m, CTX_SOFTIRQ), -EINVAL);
	assert_non_null(strstr(m->err, "do not nest"));
	context_block_leave(m, CTX_SOFTIRQ);
	assert_int_equal(c->kind, CTX_PROCESS);
	assert_int_equal(c->preempt_count, 0);
	/* with interrupts off no hardirq arrives; a leave of a context the task
	 * is not in changes nothing */
	assert_int_equal(context_local_irq(m, true), 0);
	assert_int_equal(context_block_enter(m, CTX_IRQ), -EINVAL);
	assert_non_null(strstr(m->err, "interrupts are disabled"));
	context_block_leave(m, CTX_IRQ);
	assert_int_equal(c->preempt_count, 0);
	assert_true(c->irqs_disabled);
	assert_int_equal(context_local_irq(m, false), 0);
	assert_int_equal(context_block_enter(m, CTX_IRQ), 0);
	context_block_leave(m, CTX_IRQ);
	assert_int_equal(c->kind, CTX_PROCESS);
	assert_int_equal(c->preempt_count, 0);
	assert_false(c->irqs_disabled);
}

/*
 * The file:line of each kernel's reports, read in that kernel's source:
 * 6.1 in Debian's linux-source-6.1 (6.1.192; the reference machines run
 * 6.1.176, whose kernel/locking/mutex.c and include/linux/sched/mm.h
 * 6.1.y has not changed since): mutex_lock()'s might_sleep() 283,
 * __mutex_unlock_slowpath()'s MUTEX_WARN_ON(__owner_task(owner) !=
 * current) 918, might_alloc()'s might_sleep_if() 274.  6.13 and 2.6.32:
 * the lines context.c derives (no copy of those versions' files was
 * found; context.c says how each was placed).
 */
static void report_lines__each_kernels_own(void **state)
{
	(void)state;
	static const struct { const char *kernel, *lock, *unlock, *alloc, *kunmap, *preempt, *ram, *die; } k[] = {
		{ "6.1", " at kernel/locking/mutex.c:283", " at kernel/locking/mutex.c:918 ",
		  " at include/linux/sched/mm.h:274", "kernel BUG at mm/highmem.c:358!", " at kernel/sched/core.c:5750 ",
		  " at arch/x86/mm/ioremap.c:211 ", "invalid opcode: 0000 [#1] PREEMPT SMP" },
		{ "6.13", " at kernel/locking/mutex.c:258", " at kernel/locking/mutex.c:927 ",
		  " at include/linux/sched/mm.h:321", "kernel BUG at mm/highmem.c:370!", " at kernel/sched/core.c:5818 ",
		  " at arch/x86/mm/ioremap.c:217 ", "Oops: invalid opcode: 0000 [#1] PREEMPT SMP" },
		{ "2.6.32", " at kernel/mutex.c:94", " at kernel/mutex-debug.c:78 ", " at mm/slab.c:3049",
		  "kernel BUG at mm/highmem.c:262!", " at kernel/sched.c:5206 ", NULL, "invalid opcode: 0000 [#1] SMP " },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct machine *m = boot(k[i].kernel);
		assert_int_equal(context_preempt(m, true), 0);
		assert_int_equal(context_mutex_lock(m, "big"), 0);
		long l = dmesg_find(m, "BUG: sleeping function");
		assert_true(l >= 0);
		if (!strstr(dmesg_text(m, l), k[i].lock))
			fail_msg("%s: '%s', want '%s'", k[i].kernel, dmesg_text(m, l), k[i].lock);
		assert_int_equal(context_mutex_unlock(m, "big"), 0);
		assert_int_equal(context_preempt(m, false), 0);
		machine_destroy(m);
		m = boot(k[i].kernel);
		assert_int_equal(context_mutex_unlock(m, "nobody"), -EINVAL);
		l = dmesg_find(m, k[i].unlock);
		if (l < 0)
			fail_msg("%s: no '%s' WARNING", k[i].kernel, k[i].unlock);
		machine_destroy(m);
		m = boot(k[i].kernel);
		assert_int_equal(context_preempt(m, true), 0);
		assert_true(context_might_alloc(m, gfp(m, "GFP_KERNEL"), false));
		l = dmesg_find(m, "BUG: sleeping function");
		assert_true(l >= 0);
		if (!strstr(dmesg_text(m, l), k[i].alloc))
			fail_msg("%s: '%s', want '%s'", k[i].kernel, dmesg_text(m, l), k[i].alloc);
		machine_destroy(m);
		/* kunmap() of a HighMem page nobody kmapped: kunmap_high()'s
		 * BUG_ON(!vaddr) (i386, the tests' default arch) */
		m = boot(k[i].kernel);
		uint64_t pfn;
		struct kmap_result r;
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_HIGHUSER"), 0, &pfn), 0);
		assert_int_equal(highmem_kunmap(m, pfn, &r), -EINVAL);
		l = dmesg_find(m, k[i].kunmap);
		if (l < 0)
			fail_msg("%s: no '%s'", k[i].kernel, k[i].kunmap);
		/* die("invalid opcode"): __die_header()'s line.  "Oops: " came
		 * in 6.11; " PTI"/" NOPTI" needs CONFIG_PAGE_TABLE_ISOLATION,
		 * which depends on X86_64 || X86_PAE (arch/x86/Kconfig, 6.1):
		 * none on the non-PAE i386 of these tests; CONFIG_PREEMPTION
		 * (Debian's PREEMPT_DYNAMIC) gives " PREEMPT" */
		assert_string_equal(dmesg_text(m, l + 1), k[i].die);
		/* preempt_enable() with a zero count: preempt_count_sub()'s WARN */
		context_preempt_sub(m, 1);
		if (dmesg_find(m, k[i].preempt) < 0)
			fail_msg("%s: no '%s'", k[i].kernel, k[i].preempt);
		/* ioremap of a page the page allocator gave out: 6.x
		 * __ioremap_caller()'s "ioremap on RAM" WARN_ONCE (2.6.32
		 * refuses without a message) */
		uint64_t va, lowpfn;
		if (!k[i].ram) {
			machine_destroy(m);
			continue;
		}
		assert_int_equal(buddy_alloc_pages(m, gfp(m, "GFP_KERNEL"), 0, &lowpfn), 0);
		assert_int_equal(ioremap_caller(m, lowpfn << 12, 4096, PCM_UC_MINUS, &va, NULL), -EFAULT);
		if (dmesg_find(m, k[i].ram) < 0)
			fail_msg("%s: no '%s'", k[i].kernel, k[i].ram);
		machine_destroy(m);
	}
}

/* __die_header() (arch/x86/kernel/dumpstack.c, 6.1.192 and 6.12.118):
 * "%s: %04lx [#%d]%s%s%s%s%s" with " PREEMPT", " SMP", [" DEBUG_PAGEALLOC"],
 * " KASAN" for IS_ENABLED(CONFIG_KASAN), then " PTI"/" NOPTI": a KASAN
 * x86_64 kernel's BUG reads "... PREEMPT SMP KASAN NOPTI" */
static void die_header__names_kasan_between_smp_and_nopti(void **state)
{
	(void)state;
	static const struct { const char *kernel, *die; } k[] = {
		{ "6.13", "Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI" },
		{ "6.1", "invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI" },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct machine_config cfg = { .arch = "x86_64", .kernel = k[i].kernel, .kasan = true };
		assert_int_equal(parse_size("256M", &cfg.mem_bytes), 0);
		struct machine *m = boot_cfg(&cfg);
		context_kernel_bug(m, "mm/slub.c", 545);
		long l = dmesg_find(m, "kernel BUG at mm/slub.c:545!");
		assert_true(l >= 0);
		assert_string_equal(dmesg_text(m, (size_t)l + 1), k[i].die);
		machine_destroy(m);
	}
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(die_header__names_kasan_between_smp_and_nopti),
		T(might_alloc_6_13__gfp_kernel_under_spin_lock__prints_might_resched_lines, setup_new),
		T(might_alloc_2_6_32__gfp_kernel_irqs_off__prints_might_sleep_lines, setup_old),
		T(might_alloc__gfp_atomic_and_gfp_nowait__are_silent, setup_old),
		T(might_alloc__gfp_atomic_and_gfp_nowait__are_silent, setup_new),
		T(might_alloc__process_context__is_silent, setup_new),
		T(might_sleep__second_report_within_a_second__is_rate_limited, setup_new),
		T(rcu_read_lock__6_13_reports_its_nest_depth__2_6_32_does_not_look, setup_new),
		T(rcu_read_lock__6_13_reports_its_nest_depth__2_6_32_does_not_look, setup_old),
		T(context_irq__raises_hardirq_count_disables_irqs_and_process_restores, setup_new),
		T(context_irq__with_irqs_disabled__is_refused, setup_old),
		T(context_blocks__nest_as_the_kernel_does_and_leave_restores, setup_new),
		T(context_blocks__nest_as_the_kernel_does_and_leave_restores, setup_old),
		T(spin_lock_irqsave__restores_the_saved_flag, setup_old),
		T(spin_lock__held_lock__is_recursion_and_refused, setup_new),
		T(spin_unlock__not_held__reports_already_unlocked_once, setup_old),
		T(spin_unlock__not_held__reports_already_unlocked_once, setup_new),
		T(preempt_enable__underflow__warns_debug_locks_warn_on_once, setup_old),
		T(preempt_enable__underflow__warns_debug_locks_warn_on_once, setup_new),
		T(kmalloc_and_alloc_pages__in_atomic_context__report_and_still_allocate, setup_old),
		T(kmalloc_and_alloc_pages__in_atomic_context__report_and_still_allocate, setup_new),
		T(alloc_pages__would_reclaim_under_a_spinlock__is_scheduling_while_atomic, setup_old),
		T(alloc_pages__would_reclaim_under_a_spinlock__is_scheduling_while_atomic, setup_new),
		T(scheduling_while_atomic__6_13_resets_the_count_2_6_32_does_not, setup_new),
		T(scheduling_while_atomic__6_13_resets_the_count_2_6_32_does_not, setup_old),
		T(alloc_pages__would_reclaim_in_process_context__is_not_a_scheduling_bug, setup_new),
		T(vmalloc_6_13__gfp_kernel_under_spin_lock__reports_at_the_vm_struct_kzalloc_and_allocates, setup_new),
		T(vmalloc_6_13__gfp_atomic_under_spin_lock__reports_alloc_vmap_area_might_sleep, setup_new),
		T(vmalloc__in_irq__is_bug_on_in_interrupt_and_changes_nothing, setup_old),
		T(vmalloc__in_irq__is_bug_on_in_interrupt_and_changes_nothing, setup_new),
		T(vfree_6_13__in_irq__is_deferred_until_the_task_can_be_scheduled, setup_new),
		T(vfree_6_13__deferred_work__runs_as_a_kworker_without_this_tasks_rcu_section, setup_new),
		T(vfree_2_6_32__in_irq__is_bug_and_changes_nothing, setup_old),
		T(vfree_and_vunmap__under_spin_lock__report_and_free, setup_old),
		T(vfree_and_vunmap__under_spin_lock__report_and_free, setup_new),
		T(kmap_and_kunmap__under_spin_lock__report_at_their_might_sleep, setup_old),
		T(kmap_and_kunmap__under_spin_lock__report_at_their_might_sleep, setup_new),
		T(print_tainted__bug_then_warn__adds_d_then_w_in_bit_order, setup_old),
		T(print_tainted__bug_then_warn__adds_d_then_w_in_bit_order, setup_new),
		T(vunmap__in_irq__is_bug_in_both_kernels, setup_old),
		T(vunmap__in_irq__is_bug_in_both_kernels, setup_new),
		T(mutex_lock__in_atomic_context__reports_and_takes_it, setup_old),
		T(mutex_lock__in_atomic_context__reports_and_takes_it, setup_new),
		T(mutex_lock__in_process_context__is_silent, setup_new),
		T(mutex_lock__held__is_self_deadlock_and_refused, setup_old),
		T(mutex_trylock__returns_0_when_held_and_never_reports, setup_new),
		T(mutex_unlock__not_held__debug_mutexes_warns_once, setup_old),
		T(mutex_unlock__not_held__debug_mutexes_warns_once, setup_new),
	};
	const struct CMUnitTest lines[] = { cmocka_unit_test(report_lines__each_kernels_own) };
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	return r + cmocka_run_group_tests(lines, NULL, NULL);
}
