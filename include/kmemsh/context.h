/*
 * context.h - the execution context of the one modelled task (pid 1,
 * "kmemsh"): preempt_count() with its preempt, softirq and hardirq parts,
 * the interrupt flag, the RCU read-side nesting and the spinlocks held,
 * and the check everything that may sleep makes: might_sleep().
 *
 * Configuration stated (kmemsh.7): 6.13 with CONFIG_PREEMPT_COUNT,
 * CONFIG_PREEMPT_RCU, CONFIG_DEBUG_ATOMIC_SLEEP, CONFIG_DEBUG_PREEMPT and
 * CONFIG_DEBUG_SPINLOCK; 2.6.32 with CONFIG_PREEMPT (so spin_lock raises
 * preempt_count and RCU is TREE_PREEMPT_RCU), CONFIG_DEBUG_SPINLOCK_SLEEP
 * and CONFIG_DEBUG_SPINLOCK.
 *
 * The state lives in struct machine (m->ctx); the model writes the
 * kernel's reports into dmesg and never prints.
 */
#ifndef KMEMSH_CONTEXT_H
#define KMEMSH_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "kmemsh/gfp.h"

struct machine;

/* include/linux/preempt.h */
#define PREEMPT_OFFSET  0x1u
#define SOFTIRQ_OFFSET  0x100u
#define HARDIRQ_OFFSET  0x10000u
#define PREEMPT_MASK    0xffu
#define SOFTIRQ_MASK    0xff00u
#define HARDIRQ_MASK    0xf0000u

enum ctx_kind { CTX_PROCESS, CTX_SOFTIRQ, CTX_IRQ };

#define CTX_MAX_LOCKS 16
#define CTX_LOCK_NAME 32

struct ctx_lock {
	char name[CTX_LOCK_NAME];
	bool irqsave;                   /* taken with spin_lock_irqsave */
	bool saved_irqs_disabled;       /* the flags it saved */
	unsigned id;                    /* stable number: its address in .bss */
};

#define CTX_MAX_MUTEXES 16

/* a struct mutex the task holds (CONFIG_DEBUG_MUTEXES: owner = current) */
struct ctx_mutex {
	char name[CTX_LOCK_NAME];
};

struct context_state {
	unsigned preempt_count;         /* preempt_count() */
	bool irqs_disabled;             /* irqs_disabled() */
	bool irq_saved;                 /* irqs_disabled() before `context irq` */
	int rcu_depth;                  /* rcu_read_lock() nesting */
	enum ctx_kind kind;
	struct ctx_lock lock[CTX_MAX_LOCKS];
	unsigned nlocks;
	unsigned next_lock_id;
	bool debug_locks_off;           /* debug_locks_off(): lock debugging reported once */
	uint64_t prev_jiffy;            /* __might_sleep's rate limit (0: never) */
	struct ctx_mutex mutex[CTX_MAX_MUTEXES];        /* mutexes held, in locking order */
	unsigned nmutexes;
	/* what the last might_sleep() did, for the step's result */
	unsigned reports;               /* reports written so far */
	unsigned suppressed;            /* reports the rate limit ate */
	bool pf_memalloc;               /* current->flags & PF_MEMALLOC */
};

/* The context's name as the prompt shows it: "process", "softirq", "irq". */
const char *context_kind_name(enum ctx_kind k);

/* in_atomic(), in_interrupt() as the profile defines them */
bool context_in_atomic(const struct machine *m);
bool context_in_interrupt(const struct machine *m);
/* may this task sleep now?  (might_sleep() stays silent) */
bool context_may_sleep(const struct machine *m);

/*
 * might_sleep() at file:line (the profile's __might_resched() /
 * __might_sleep()): in atomic context writes the report into dmesg,
 * rate-limited to one per second as the kernel does.  Returns true when
 * the context was invalid (reported or rate-limited).
 */
bool context_might_sleep(struct machine *m, const char *file, int line);

/*
 * The allocators' hook: might_alloc(gfp) / might_sleep_if(gfp & __GFP_WAIT)
 * at the entry of the page allocator (page = true) or the slab allocator.
 * CONTEXT_MAYBE_ATOMIC(m) is the hot paths' test before calling it: in
 * plain process context (the usual case) there is nothing to check.
 */
bool context_might_alloc(struct machine *m, gfp_t gfp, bool page);
#define CONTEXT_MAYBE_ATOMIC(m) \
	((m)->ctx.preempt_count | (unsigned)(m)->ctx.irqs_disabled | (unsigned)(m)->ctx.rcu_depth | \
	 (unsigned)(m)->ctx.kind)

/*
 * The allocation is about to really sleep (direct reclaim): schedule()'s
 * schedule_debug() finds preempt_count() above its own preempt_disable()
 * and prints "BUG: scheduling while atomic" (__schedule_bug()).  Nothing
 * when the count is 0 (interrupts off alone are not checked there).
 */
void context_would_schedule(struct machine *m);

/*
 * BUG_ON(in_interrupt()) of fn at file:line (vmalloc's __get_vm_area_node,
 * 2.6.32's vfree, vunmap): in interrupt context writes the kernel's
 * "kernel BUG at file:line!" report into dmesg, sets m->err and returns
 * true; the caller then refuses the call with the model unchanged (the
 * task would die there).  false (nothing written) otherwise.
 */
bool context_bug_on_interrupt(struct machine *m, const char *fn, const char *file, int line);

/* The kernel BUG report of lib/bug.c and die(): "kernel BUG at %s:%d!" */
void context_kernel_bug(struct machine *m, const char *file, int line);
/* die("invalid opcode")'s header line as each kernel and build prints it,
 * the registers' header on 6.x, TAINT_DIE (context.c) */
void context_die_invalid_opcode(struct machine *m, unsigned cpu);

/*
 * Is the task schedulable (preempt_count() 0, interrupts on)?  Work queued
 * from atomic context (6.13 vfree_atomic()'s schedule_work()) runs when it
 * is: the context calls below run it on their way out, as a kworker would
 * be scheduled on this CPU (context_run_work()).
 */
bool context_schedulable(const struct machine *m);
/* run pending work now if the task is schedulable; number of items run */
int context_run_work(struct machine *m);

/*
 * Mutexes (kernel/locking/mutex.c; 2.6.32 kernel/mutex.c), with the
 * configuration stated: CONFIG_DEBUG_MUTEXES=y, no CONFIG_DEBUG_LOCK_ALLOC
 * (no lockdep), in both profiles.  There is one task, so a mutex is held
 * by it or by nobody.
 *  - mutex_lock(): might_sleep(), then takes the mutex (the fast path: an
 *    uncontended mutex does not sleep, so in atomic context the report is
 *    written and the lock still taken).  A mutex the task already holds
 *    would block forever: -EDEADLK, model unchanged.
 *  - mutex_trylock(): no might_sleep(); *got = false when held.
 *  - mutex_unlock() of a mutex not held: the DEBUG_MUTEXES report
 *    (DEBUG_LOCKS_WARN_ON, once per boot: debug_locks_off()), the mutex
 *    stays unlocked: -EINVAL with m->err explaining.
 */
int context_mutex_lock(struct machine *m, const char *name);
int context_mutex_trylock(struct machine *m, const char *name, bool *got);
int context_mutex_unlock(struct machine *m, const char *name);
bool context_mutex_held(const struct machine *m, const char *name);

/* The calls.  0, or -EINVAL with m->err set when the model refuses
 * (the kernel's report, if any, is in dmesg). */
int context_spin_lock(struct machine *m, const char *name, bool irqsave);
int context_spin_unlock(struct machine *m, const char *name, bool irqrestore);
int context_local_irq(struct machine *m, bool disable);
int context_preempt(struct machine *m, bool disable);
int context_rcu_read(struct machine *m, bool lock);
int context_enter(struct machine *m, enum ctx_kind k);

/*
 * PF_MEMALLOC, the task flag of reclaim itself (include/linux/sched.h
 * 0x00000800): its allocations may take every free page, below the min
 * watermarks (ALLOC_NO_WATERMARKS), and never enter direct reclaim, which
 * would recurse.  6.x include/linux/sched/mm.h (since 4.12):
 * memalloc_noreclaim_save() sets it and returns the bit as it was,
 * memalloc_noreclaim_restore(flags) puts that back.  -EINVAL with m->err:
 * 2.6.32 (no such calls), or flags other than 0 and PF_MEMALLOC.
 */
#define PF_MEMALLOC     0x00000800u
int context_memalloc_noreclaim_save(struct machine *m, unsigned *flags);
int context_memalloc_noreclaim_restore(struct machine *m, unsigned flags);
/* current->flags |= PF_MEMALLOC (on) or &= ~PF_MEMALLOC (off), as 2.6.32
 * code sets it (mm/vmscan.c, mm/page_alloc.c __alloc_pages_direct_reclaim()) */
void context_pf_memalloc_set(struct machine *m, bool on);
/* __gfp_pfmemalloc_flags()'s PF_MEMALLOC part: the task's flag counts in
 * task context and in a softirq it serves (in_serving_softirq()), not in a
 * hardirq (2.6.32 gfp_to_alloc_flags(): !in_interrupt() only) */
bool context_pf_memalloc_reserves(const struct machine *m);

/*
 * The blocks `irq { ... }` and `softirq { ... }`: enter k on top of the
 * context the task is in, as the kernel nests them, and leave it again.
 *  - a hardirq arrives whenever interrupts are on, in process context or
 *    in a softirq (irq_enter(): preempt_count + HARDIRQ_OFFSET on top of
 *    __do_softirq()'s SOFTIRQ_OFFSET); with interrupts off none arrives;
 *  - a softirq runs only from process context: one raised in a hardirq
 *    handler runs after it, at irq_exit() (invoke_softirq()), and
 *    __do_softirq() does not run again while in_interrupt().
 * context_block_enter(): 0, or -EINVAL with m->err (nothing changed).
 * context_block_leave(): irq_exit() / the end of __do_softirq(), back to
 * the context below (a softirq or process context); a no-op when the task
 * is not in k (the machine was replaced inside the block).
 */
int context_block_enter(struct machine *m, enum ctx_kind k);
void context_block_leave(struct machine *m, enum ctx_kind k);

/* preempt_count_add/sub as kmap_atomic and pagefault_disable use them */
void context_preempt_add(struct machine *m, unsigned n);
void context_preempt_sub(struct machine *m, unsigned n);

#endif
