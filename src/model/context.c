/*
 * context.c - process, softirq and hardirq context, preemption, the
 * interrupt flag, RCU read-side sections and spinlocks of the one modelled
 * task, and might_sleep(): the check that turns "this may sleep" into the
 * kernel's "BUG: sleeping function called from invalid context" report.
 *
 * Follows 6.13 kernel/sched/core.c (__might_resched(), preempt_count_sub()
 * with CONFIG_DEBUG_PREEMPT), kernel/locking/spinlock_debug.c, and 2.6.32
 * kernel/sched.c (__might_sleep(), sub_preempt_count()) and
 * lib/spinlock_debug.c.  The reports are warnings: the call goes on as the
 * kernel's does.  Both kernels rate-limit the sleep report to one per
 * second (prev_jiffy), and lock debugging reports only its first bug
 * (debug_locks_off()).
 */
#include <stdio.h>
#include <string.h>

#include "kmemsh/context.h"
#include "kmemsh/i18n.h"
#include "kmemsh/machine.h"
#include "kmemsh/memstore.h"
#include "kmemsh/slab.h"
#include "kmemsh/vmalloc.h"

#define HZ 1000u                        /* jiffies per second of the modelled clock */
#define SPINLOCK_MAGIC 0xdead4eadu

static bool old_kernel(const struct machine *m)
{
	return m->kp->kv == KV_2_6_32;
}

static unsigned cur_cpu(const struct machine *m)
{
	return machine_this_cpu(m);
}

const char *context_kind_name(enum ctx_kind k)
{
	static const char *const name[] = { "process", "softirq", "irq" };
	return name[k];
}

bool context_in_atomic(const struct machine *m)
{
	return m->ctx.preempt_count != 0;
}

bool context_in_interrupt(const struct machine *m)
{
	return (m->ctx.preempt_count & (HARDIRQ_MASK | SOFTIRQ_MASK)) != 0;
}

/* 6.13 resched_offsets_ok(0): preempt_count() + (rcu_preempt_depth() << 8)
 * == 0; 2.6.32 preempt_count_equals(0) knows no RCU depth */
bool context_may_sleep(const struct machine *m)
{
	unsigned nested = m->ctx.preempt_count;
	if (!old_kernel(m))
		nested += (unsigned)m->ctx.rcu_depth << 8;
	return nested == 0 && !m->ctx.irqs_disabled;
}

static uint64_t jiffies(const struct machine *m)
{
	return m->clock_us / (1000000u / HZ);
}

/*
 * Where preemption was first disabled, for "Preemption disabled at:":
 * preempt_latency_start() records get_lock_parent_ip(), the caller of the
 * lock or preempt function, which is the command's own code
 * (kmemsh_command, as the slab tracks name it), or the irq entry.
 */
static const char *preempt_disabler(const struct machine *m)
{
	const struct context_state *c = &m->ctx;
	if (c->preempt_count & HARDIRQ_MASK)
		return "irq_enter_rcu";
	if (c->preempt_count & SOFTIRQ_MASK)
		return "handle_softirqs";
	return "kmemsh_command";
}

bool context_might_sleep(struct machine *m, const char *file, int line)
{
	struct context_state *c = &m->ctx;
	if (context_may_sleep(m))
		return false;
	uint64_t j = jiffies(m);
	bool limited = c->prev_jiffy && j < c->prev_jiffy + HZ;
	bool seen = false;      /* one event per step: the slab allocator's page allocation checks again */
	for (size_t i = 0; i < m->log.n && !seen; i++)
		seen = m->log.v[i].kind == CH_MIGHT_SLEEP;
	if (m->log.enabled && !seen) {
		struct change ev = { .kind = CH_MIGHT_SLEEP, .val = c->preempt_count, .old = c->irqs_disabled,
				     .mt = (uint8_t)c->rcu_depth, .order = !limited };
		changelog_add(m, &ev);
	}
	if (limited) {
		c->suppressed++;
		return true;
	}
	c->prev_jiffy = j ? j : 1;
	c->reports++;
	dmesg_printf(m, "BUG: sleeping function called from invalid context at %s:%d", file, line);
	if (old_kernel(m)) {
		dmesg_printf(m, "in_atomic(): %d, irqs_disabled(): %d, pid: 1, name: kmemsh",
			     context_in_atomic(m), c->irqs_disabled);
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
		return true;
	}
	dmesg_printf(m, "in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: 1, name: kmemsh",
		     context_in_atomic(m), c->irqs_disabled);
	dmesg_printf(m, "preempt_count: %x, expected: 0", c->preempt_count);
	dmesg_printf(m, "RCU nest depth: %d, expected: 0", c->rcu_depth);
	if (c->preempt_count)
		dmesg_printf(m, "Preemption disabled at:");
	if (c->preempt_count)
		dmesg_printf(m, "[<%s>] %s+0x0/0x0", m->arch->bits == 64 ? "0000000000000000" : "00000000",
			     preempt_disabler(m));
	machine_dump_stack_info(m, cur_cpu(m));
	return true;
}

/*
 * Where each kernel's allocators check: 6.x might_alloc() in
 * include/linux/sched/mm.h for both, its might_sleep_if() at line 274 in
 * 6.1 (Debian's linux-source-6.1, 6.1.192) and 321 in 6.13 (the
 * Debian linux-source-6.12 copy of the header has it there, and so does a
 * 6.14.0-rc6 report, "invalid context at include/linux/sched/mm.h:321");
 * 2.6.32 might_sleep_if(gfp_mask & __GFP_WAIT) in __alloc_pages_nodemask()
 * and in the slab allocator's allocation entry.  The 2.6.32 lines
 * (mm/page_alloc.c 1968, mm/slab.c 3049, mm/slub.c 1721, mm/slob.c 478)
 * could not be checked: no v2.6.32 copy of these files was found among
 * the stored sources, nor a 2.6.32 report naming them.  (Checked again
 * for issue 8: the 2.6.32 trees in the index are partial or annotated
 * study copies - zybsyzlz/linux-2.6.32 adds Chinese comment lines, so
 * its numbering is not the kernel's - and kernel.org, git.kernel.org,
 * snapshot.debian.org and archive.debian.org are not reachable from
 * here; Debian's pool has no 2.6.32 source.)
 */
bool context_might_alloc(struct machine *m, gfp_t gfp, bool page)
{
	if (!gfp_allow_blocking(m->kp, gfp))
		return false;
	if (!old_kernel(m))
		return context_might_sleep(m, "include/linux/sched/mm.h", m->kp->kv == KV_6_1 ? 274 : 321);
	if (page)
		return context_might_sleep(m, "mm/page_alloc.c", 1968);
	const char *slab = m->cfg.slab ? m->cfg.slab : "slab";
	if (!strcmp(slab, "slub"))
		return context_might_sleep(m, "mm/slub.c", 1721);
	if (!strcmp(slab, "slob"))
		return context_might_sleep(m, "mm/slob.c", 478);
	return context_might_sleep(m, "mm/slab.c", 3049);
}

void context_would_schedule(struct machine *m)
{
	if (!m->ctx.preempt_count)
		return;
	/* schedule() has done its own preempt_disable(): the count shown is one more */
	dmesg_printf(m, "BUG: scheduling while atomic: kmemsh/1/0x%08x", m->ctx.preempt_count + 1);
	dmesg_printf(m, "Modules linked in:");
	if (old_kernel(m)) {
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
		return;
	}
	dmesg_printf(m, "Preemption disabled at:");
	dmesg_printf(m, "[<%s>] %s+0x0/0x0", m->arch->bits == 64 ? "0000000000000000" : "00000000",
		     preempt_disabler(m));
	machine_dump_stack_info(m, cur_cpu(m));
	m->taint |= 1ul << TAINT_WARN;         /* 6.13 __schedule_bug(): add_taint(TAINT_WARN, ...) */
	/* 6.13 schedule_debug(): __schedule_bug(prev); preempt_count_set(
	 * PREEMPT_DISABLED), and __schedule() returns with preemption back on:
	 * the task leaves its atomic section with the count at 0 (its locks
	 * still held), so the report comes once and the next unlock
	 * underflows.  2.6.32's schedule_debug() resets nothing and reports
	 * every schedule().  In irq/softirq context the reset would also drop
	 * the hardirq/softirq bits, which the block's end could then not take
	 * off: the model keeps them and reports again. */
	if (m->ctx.kind == CTX_PROCESS)
		m->ctx.preempt_count = 0;
}

/* ---- preemption ------------------------------------------------------------------------------ */

void context_preempt_add(struct machine *m, unsigned n)
{
	m->ctx.preempt_count += n;
}

/* DEBUG_LOCKS_WARN_ON(): once per boot, then lock debugging is off */
static void debug_locks_warn(struct machine *m, const char *cond, const char *fn, const char *file, int line)
{
	if (m->ctx.debug_locks_off)
		return;
	m->ctx.debug_locks_off = true;
	dmesg_printf(m, "------------[ cut here ]------------");
	if (old_kernel(m)) {
		dmesg_printf(m, "WARNING: at %s:%d %s+0x0/0x0()", file, line, fn);
		dmesg_printf(m, "Hardware name: kmemsh");
		dmesg_printf(m, "DEBUG_LOCKS_WARN_ON(%s)", cond);
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
	} else {
		dmesg_printf(m, "DEBUG_LOCKS_WARN_ON(%s)", cond);
		dmesg_printf(m, "WARNING: CPU: %u PID: 1 at %s:%d %s+0x0/0x0", cur_cpu(m), file, line, fn);
		machine_dump_stack_info(m, cur_cpu(m));
	}
	dmesg_printf(m, "---[ end trace 0000000000000000 ]---");
	m->taint |= 1ul << TAINT_WARN;         /* __warn(): add_taint(TAINT_WARN) after the report */
}

/* preempt_count_sub() / sub_preempt_count(): an underflow is warned about
 * and the count is left alone.  The lines (6.13 kernel/sched/core.c 5818,
 * 2.6.32 kernel/sched.c 5206) are not checked: no copy of either version
 * was found (the Debian 6.12.118 core.c has the DEBUG_LOCKS_WARN_ON() at
 * 5858).  6.1: 5750, read in Debian's linux-source-6.1 (6.1.192). */
void context_preempt_sub(struct machine *m, unsigned n)
{
	if (n > m->ctx.preempt_count) {
		if (old_kernel(m))
			debug_locks_warn(m, "val > preempt_count()", "sub_preempt_count", "kernel/sched.c", 5206);
		else
			debug_locks_warn(m, "val > preempt_count()", "preempt_count_sub", "kernel/sched/core.c",
					 m->kp->kv == KV_6_1 ? 5750 : 5818);
		return;
	}
	m->ctx.preempt_count -= n;
}

int context_preempt(struct machine *m, bool disable)
{
	m->err[0] = '\0';
	if (disable) {
		context_preempt_add(m, PREEMPT_OFFSET);
		return 0;
	}
	if (!(m->ctx.preempt_count & PREEMPT_MASK))
		model_err(m, "preempt_enable() without preempt_disable(): the count would go "
			 "below zero (CONFIG_DEBUG_PREEMPT warns once and leaves it)");
	context_preempt_sub(m, PREEMPT_OFFSET);
	context_run_work(m);    /* preempt_enable(): a preemption point */
	return m->err[0] ? -EINVAL : 0;
}

/* ---- PF_MEMALLOC ------------------------------------------------------------------------------ */

int context_memalloc_noreclaim_save(struct machine *m, unsigned *flags)
{
	m->err[0] = '\0';
	if (old_kernel(m)) {
		model_err(m, "Linux 2.6.32 has no memalloc_noreclaim_save() (it came in 4.12; 2.6.32 code sets "
			 "current->flags |= PF_MEMALLOC itself)");
		return -EINVAL;
	}
	*flags = m->ctx.pf_memalloc ? PF_MEMALLOC : 0;
	m->ctx.pf_memalloc = true;
	return 0;
}

int context_memalloc_noreclaim_restore(struct machine *m, unsigned flags)
{
	m->err[0] = '\0';
	if (old_kernel(m)) {
		model_err(m, "Linux 2.6.32 has no memalloc_noreclaim_restore() (it came in 4.12)");
		return -EINVAL;
	}
	if (flags & ~PF_MEMALLOC) {
		model_err(m, "flags %#x: memalloc_noreclaim_save() returns 0 or PF_MEMALLOC (%#x)", flags, PF_MEMALLOC);
		return -EINVAL;
	}
	m->ctx.pf_memalloc = flags != 0;
	return 0;
}

void context_pf_memalloc_set(struct machine *m, bool on)
{
	m->err[0] = '\0';
	m->ctx.pf_memalloc = on;
}

bool context_pf_memalloc_reserves(const struct machine *m)
{
	if (!m->ctx.pf_memalloc)
		return false;
	if (old_kernel(m))
		return !context_in_interrupt(m);
	return !context_in_interrupt(m) || (m->ctx.preempt_count & SOFTIRQ_OFFSET);
}

/* ---- interrupts and RCU ---------------------------------------------------------------------- */

int context_local_irq(struct machine *m, bool disable)
{
	m->err[0] = '\0';
	if (!disable && (m->ctx.preempt_count & HARDIRQ_MASK)) {
		/* nothing stops it, but lockdep would say so: keep the model honest */
		model_err(m, "local_irq_enable() in a hardirq handler: handlers run with "
			 "interrupts off and must leave them off");
		return -EINVAL;
	}
	m->ctx.irqs_disabled = disable;
	context_run_work(m);
	return 0;
}

int context_rcu_read(struct machine *m, bool lock)
{
	m->err[0] = '\0';
	if (lock) {
		m->ctx.rcu_depth++;
		return 0;
	}
	if (m->ctx.rcu_depth == 0) {
		model_err(m, "rcu_read_unlock() outside an RCU read-side critical section: the "
			 "nesting would go negative (only CONFIG_PROVE_RCU warns)");
		return -EINVAL;
	}
	m->ctx.rcu_depth--;
	return 0;
}

/* irq_enter()/irq_exit(), __do_softirq()'s SOFTIRQ_OFFSET */
int context_enter(struct machine *m, enum ctx_kind k)
{
	struct context_state *c = &m->ctx;
	m->err[0] = '\0';
	if (k == c->kind)
		return 0;
	if (k != CTX_PROCESS && c->kind != CTX_PROCESS) {
		model_err(m, "already in %s context: go back to process context first",
			 context_kind_name(c->kind));
		return -EINVAL;
	}
	switch (k) {
	case CTX_IRQ:
		if (c->irqs_disabled) {
			model_err(m, "interrupts are disabled on CPU %u: no interrupt can arrive "
				 "until local_irq_enable()", cur_cpu(m));
			return -EINVAL;
		}
		c->preempt_count += HARDIRQ_OFFSET;
		c->irq_saved = c->irqs_disabled;
		c->irqs_disabled = true;
		break;
	case CTX_SOFTIRQ:
		c->preempt_count += SOFTIRQ_OFFSET;
		break;
	case CTX_PROCESS:
		if (c->kind == CTX_IRQ) {
			c->preempt_count -= HARDIRQ_OFFSET;
			c->irqs_disabled = c->irq_saved;
		} else {
			c->preempt_count -= SOFTIRQ_OFFSET;
		}
		break;
	}
	c->kind = k;
	context_run_work(m);    /* irq_exit(): the kworker can be scheduled now */
	return 0;
}

int context_block_enter(struct machine *m, enum ctx_kind k)
{
	struct context_state *c = &m->ctx;
	m->err[0] = '\0';
	if (k == CTX_IRQ) {
		if (c->irqs_disabled) {
			model_err(m, "interrupts are disabled on CPU %u: no interrupt can arrive %s",
				 cur_cpu(m), c->kind == CTX_IRQ ? _("(a hardirq handler runs with them off)") :
				 _("until local_irq_enable()"));
			return -EINVAL;
		}
		c->preempt_count += HARDIRQ_OFFSET;
		c->irq_saved = c->irqs_disabled;
		c->irqs_disabled = true;
		c->kind = CTX_IRQ;
		return 0;
	}
	if (k == CTX_SOFTIRQ) {
		if (c->kind == CTX_IRQ) {
			model_err(m, "softirqs do not run inside a hardirq handler: raised there, "
				 "they run after it, at irq_exit() (invoke_softirq())");
			return -EINVAL;
		}
		if (c->kind == CTX_SOFTIRQ) {
			model_err(m, "softirqs do not nest: __do_softirq() does not run again while "
				 "in_interrupt()");
			return -EINVAL;
		}
		c->preempt_count += SOFTIRQ_OFFSET;
		c->kind = CTX_SOFTIRQ;
		return 0;
	}
	model_err(m, "a block enters irq or softirq context");
	return -EINVAL;
}

void context_block_leave(struct machine *m, enum ctx_kind k)
{
	struct context_state *c = &m->ctx;
	if (c->kind != k)
		return;
	if (k == CTX_IRQ && (c->preempt_count & HARDIRQ_MASK)) {
		c->preempt_count -= HARDIRQ_OFFSET;
		c->irqs_disabled = c->irq_saved;
		c->kind = (c->preempt_count & SOFTIRQ_MASK) ? CTX_SOFTIRQ : CTX_PROCESS;
	} else if (k == CTX_SOFTIRQ && (c->preempt_count & SOFTIRQ_MASK)) {
		c->preempt_count -= SOFTIRQ_OFFSET;
		c->kind = CTX_PROCESS;
	} else {
		return;
	}
	context_run_work(m);    /* irq_exit(): the kworker can be scheduled now */
}

/* ---- spinlocks ------------------------------------------------------------------------------- */

static int find_lock(const struct context_state *c, const char *name)
{
	for (unsigned i = 0; i < c->nlocks; i++)
		if (!strcmp(c->lock[i].name, name))
			return (int)i;
	return -1;
}

/* a stable slot in .bss for a lock's name (FNV-1a), so it prints the same
 * address whether held or not */
static unsigned lock_id(const char *name)
{
	uint32_t h = 2166136261u;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h % 4096;
}

/* the lock's name as %pS (6.13) or its address as %p (2.6.32) would give it */
static void lock_ref(const struct machine *m, const char *name, unsigned id, char *buf, size_t len)
{
	if (!old_kernel(m))
		snprintf(buf, len, "%s+0x0/0x%x", name, m->arch->bits == 64 ? 0x18 : 0x10);
	else
		snprintf(buf, len, "%08llx", (unsigned long long)(m->direct_map + m->kimage.bss + 16ull * id));
}

/* spin_bug(): "BUG: spinlock %s on CPU#%d, %s/%d" and the lock's state */
static void spin_bug(struct machine *m, const char *msg, const char *name, unsigned id, bool owned)
{
	if (m->ctx.debug_locks_off)
		return;
	m->ctx.debug_locks_off = true;
	char ref[96];
	lock_ref(m, name, id, ref, sizeof ref);
	dmesg_printf(m, "BUG: spinlock %s on CPU#%u, kmemsh/1", msg, cur_cpu(m));
	dmesg_printf(m, " lock: %s, .magic: %08x, .owner: %s/%d, .owner_cpu: %d", ref, SPINLOCK_MAGIC,
		     owned ? "kmemsh" : "<none>", owned ? 1 : -1, owned ? (int)cur_cpu(m) : -1);
	if (old_kernel(m))
		dmesg_printf(m, "Pid: 1, comm: kmemsh %s 2.6.32 #1", machine_print_tainted(m));
	else
		machine_dump_stack_info(m, cur_cpu(m));
}

int context_spin_lock(struct machine *m, const char *name, bool irqsave)
{
	struct context_state *c = &m->ctx;
	m->err[0] = '\0';
	if (strlen(name) >= CTX_LOCK_NAME) {
		model_err(m, "lock name longer than %d characters", CTX_LOCK_NAME - 1);
		return -EINVAL;
	}
	int i = find_lock(c, name);
	if (i >= 0) {
		/* debug_spin_lock_before(): owner == current */
		spin_bug(m, "recursion", name, lock_id(name), true);
		model_err(m, "%s is already held by this task: spinning on it would never end "
			 "(a self-deadlock; lock debugging reports \"spinlock recursion\")", name);
		return -EDEADLK;
	}
	if (c->nlocks == CTX_MAX_LOCKS) {
		model_err(m, "the model holds at most %d locks", CTX_MAX_LOCKS);
		return -ENOSPC;
	}
	struct ctx_lock *l = &c->lock[c->nlocks++];
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
	l->id = lock_id(name);
	l->irqsave = irqsave;
	l->saved_irqs_disabled = c->irqs_disabled;
	if (irqsave)
		c->irqs_disabled = true;
	context_preempt_add(m, PREEMPT_OFFSET);
	return 0;
}

int context_spin_unlock(struct machine *m, const char *name, bool irqrestore)
{
	struct context_state *c = &m->ctx;
	m->err[0] = '\0';
	int i = find_lock(c, name);
	if (i < 0) {
		/* debug_spin_unlock(): !raw_spin_is_locked(lock) */
		spin_bug(m, "already unlocked", name, lock_id(name), false);
		model_err(m, "%s is not held: the kernel reports \"spinlock already unlocked\" "
			 "(once: lock debugging then turns itself off), unlocks anyway and lowers preempt_count", name);
		context_preempt_sub(m, PREEMPT_OFFSET);
		return -EINVAL;
	}
	struct ctx_lock l = c->lock[i];
	memmove(&c->lock[i], &c->lock[i + 1], (c->nlocks - (unsigned)i - 1) * sizeof c->lock[0]);
	c->nlocks--;
	if (irqrestore)
		c->irqs_disabled = l.saved_irqs_disabled;
	context_preempt_sub(m, PREEMPT_OFFSET);
	context_run_work(m);
	return 0;
}

/* ---- BUG_ON() and deferred work -------------------------------------------------------------- */

/*
 * die("invalid opcode") after a BUG(): arch/x86/kernel/dumpstack.c
 * __die_header()'s "%s: %04lx [#%d]%s%s%s%s%s" - 6.11 put "Oops: " before
 * the trap name; " PREEMPT" for CONFIG_PREEMPTION (the Debian and distro
 * PREEMPT_DYNAMIC builds); " PTI" / " NOPTI" only with
 * CONFIG_PAGE_TABLE_ISOLATION, which "depends on (X86_64 || X86_PAE)"
 * (arch/x86/Kconfig, 6.1), so the non-PAE i386 kernels print neither;
 * NOPTI: QEMU's default x86_64 CPU has no Meltdown (the real amd64 6.1
 * machine's cpuinfo), and i386-pae is printed the same, unchecked.
 * " KASAN" (IS_ENABLED(CONFIG_KASAN): --kasan) comes between " SMP" and
 * " NOPTI" in 6.1.192 and 6.12.118 alike (no " DEBUG_PAGEALLOC": the
 * model has no debug_pagealloc).
 * 2.6.32's die() printed "%s: %04lx [#%d] " and " SMP " (with a trailing
 * blank) on the same line.  Then 6.x's show_regs() header (CPU, Comm,
 * Tainted).  Taints the kernel with TAINT_DIE.
 */
void context_die_invalid_opcode(struct machine *m, unsigned cpu)
{
	if (old_kernel(m)) {
		dmesg_printf(m, "invalid opcode: 0000 [#%u] SMP ", ++m->die_counter);
	} else {
		bool pti = m->arch->bits == 64 || m->arch->pae;
		dmesg_printf(m, "%sinvalid opcode: 0000 [#%u] PREEMPT SMP%s%s", m->kp->kv == KV_6_1 ? "" : "Oops: ",
			     ++m->die_counter, memstore_kasan(m) ? " KASAN" : "", pti ? " NOPTI" : "");
		machine_dump_stack_info(m, cpu);
	}
	m->taint |= 1ul << TAINT_DIE;
}

/* lib/bug.c report_bug(): CUT_HERE and "kernel BUG at %s:%u!", then
 * die("invalid opcode") */
void context_kernel_bug(struct machine *m, const char *file, int line)
{
	dmesg_printf(m, "------------[ cut here ]------------");
	dmesg_printf(m, "kernel BUG at %s:%d!", file, line);
	context_die_invalid_opcode(m, cur_cpu(m));
}

bool context_bug_on_interrupt(struct machine *m, const char *fn, const char *file, int line)
{
	if (!context_in_interrupt(m))
		return false;
	context_kernel_bug(m, file, line);
	model_err(m, "%s() in %s context: the kernel BUG()s at %s:%d "
		 "(BUG_ON(in_interrupt())) and the task dies; refused, nothing changed", fn,
		 context_kind_name(m->ctx.kind), file, line);
	return true;
}

bool context_schedulable(const struct machine *m)
{
	return m->ctx.preempt_count == 0 && !m->ctx.irqs_disabled;
}

int context_run_work(struct machine *m)
{
	if (!context_schedulable(m) || !vmap_deferred_count(m))
		return 0;
	return vmap_run_deferred(m);
}

/* ---- mutexes --------------------------------------------------------------------------------- */

/*
 * Report sites (CONFIG_DEBUG_MUTEXES, no lockdep).  6.13: mutex_lock()'s
 * might_sleep() in kernel/locking/mutex.c and __mutex_unlock_slowpath()'s
 * MUTEX_WARN_ON(__owner_task(owner) != current), which is
 * DEBUG_LOCKS_WARN_ON() with DEBUG_MUTEXES.  2.6.32: mutex_lock()'s
 * might_sleep() in kernel/mutex.c; the unlock goes through the slow path
 * (asm-generic/mutex-null.h with DEBUG_MUTEXES) to debug_mutex_unlock()
 * in kernel/mutex-debug.c: DEBUG_LOCKS_WARN_ON(lock->owner !=
 * current_thread_info()).
 * No copy of kernel/locking/mutex.c of v6.13 was found, so its lines are
 * not checked against that version.  6.13 mutex_lock()'s might_sleep() is
 * placed at 258: reports of 6.14-rc7 and 6.14.0 print "invalid context at
 * kernel/locking/mutex.c:258" (283 in 6.0 - 6.12, as the Debian 6.12.118
 * copy has it), and the commit that moved those 25 lines out of the file,
 * "locking/mutex: Expose __mutex_owner()", was queued in tip sched/core
 * in October 2024, for the 6.13 merge window.  The unlock WARN's 927 is
 * left as it was (6.12.118 has the MUTEX_WARN_ON() at 930, 6.13's is not
 * known; 930 - 25 = 905 if nothing else moved, which is not known either).
 * 2.6.32 mutex_lock()'s might_sleep() is line 94: the index's
 * project-magpie/linux-sh4-2.6.32.y kernel/mutex.c (blob of commit
 * 0c0a8cbd01fed13220de5f3f0b7356842c4cadc6, STLinux's 2.6.32.y) has it at
 * 98, below a five-line "#ifdef CONFIG_KPTRACE_SYNC ... #endif" that
 * STLinux put in place of mainline's one line "void __sched
 * mutex_lock(struct mutex *lock)": 98 - 4 = 94, and a 2.6.35.6 (Fedora
 * 14) report prints "invalid context at kernel/mutex.c:94" too.  (It was
 * 92 here before, which is mutex_lock()'s fastpath call in 2.6.24/2.6.26.)
 * 2.6.32 kernel/mutex-debug.c debug_mutex_unlock()'s
 * DEBUG_LOCKS_WARN_ON(lock->owner != current_thread_info()) at 78: the
 * index's thepasto/liquid_chocolate_ics_kernel copy (blob of commit
 * 17254759718325b8b2666890875f460da3894450, a vendor 2.6.3x tree) has it
 * at 79 below one line that looks added by the vendor (a stray
 * "EXPORT_SYMBOL(debug_mutex_set_owner);" at 36, after
 * debug_mutex_lock_common(), exporting a function the file no longer
 * has), so 78 if that line is the only change; not checked against
 * v2.6.32 itself.
 */
#define MUTEX_LOCK_LINE_6_13   258
#define MUTEX_UNLOCK_LINE_6_13 927
/* 6.1: Debian's linux-source-6.1 (6.1.192) kernel/locking/mutex.c,
 * mutex_lock()'s might_sleep() at 283 and __mutex_unlock_slowpath()'s
 * MUTEX_WARN_ON(__owner_task(owner) != current) at 918 (6.1.176, the
 * reference kernels', has the same file: 6.1.y changed nothing above
 * those lines since) */
#define MUTEX_LOCK_LINE_6_1    283
#define MUTEX_UNLOCK_LINE_6_1  918
#define MUTEX_LOCK_LINE_2_6_32 94
#define MUTEX_UNLOCK_LINE_2_6_32 78

static int find_mutex(const struct context_state *c, const char *name)
{
	for (unsigned i = 0; i < c->nmutexes; i++)
		if (!strcmp(c->mutex[i].name, name))
			return (int)i;
	return -1;
}

bool context_mutex_held(const struct machine *m, const char *name)
{
	return find_mutex(&m->ctx, name) >= 0;
}

static int mutex_name_ok(struct machine *m, const char *name)
{
	if (strlen(name) >= CTX_LOCK_NAME) {
		model_err(m, "mutex name longer than %d characters", CTX_LOCK_NAME - 1);
		return -EINVAL;
	}
	if (m->ctx.nmutexes == CTX_MAX_MUTEXES && find_mutex(&m->ctx, name) < 0) {
		model_err(m, "the model holds at most %d mutexes", CTX_MAX_MUTEXES);
		return -ENOSPC;
	}
	return 0;
}

static void mutex_take(struct machine *m, const char *name)
{
	struct ctx_mutex *x = &m->ctx.mutex[m->ctx.nmutexes++];
	memset(x, 0, sizeof *x);
	snprintf(x->name, sizeof x->name, "%s", name);
}

int context_mutex_lock(struct machine *m, const char *name)
{
	m->err[0] = '\0';
	int e = mutex_name_ok(m, name);
	if (e)
		return e;
	if (find_mutex(&m->ctx, name) >= 0) {
		/* the owner waits for itself: TASK_UNINTERRUPTIBLE forever (only
		 * lockdep would name it; the hung task detector fires after 120 s) */
		model_err(m, "%s is already held by this task: mutex_lock() would wait for "
			 "itself for ever (a self-deadlock; without lockdep the kernel says nothing until the hung "
			 "task detector); refused, nothing changed", name);
		return -EDEADLK;
	}
	/* mutex_lock(): might_sleep() first, in both kernels */
	if (old_kernel(m))
		context_might_sleep(m, "kernel/mutex.c", MUTEX_LOCK_LINE_2_6_32);
	else
		context_might_sleep(m, "kernel/locking/mutex.c",
				    m->kp->kv == KV_6_1 ? MUTEX_LOCK_LINE_6_1 : MUTEX_LOCK_LINE_6_13);
	mutex_take(m, name);
	return 0;
}

int context_mutex_trylock(struct machine *m, const char *name, bool *got)
{
	m->err[0] = '\0';
	*got = false;
	int e = mutex_name_ok(m, name);
	if (e)
		return e;
	if (find_mutex(&m->ctx, name) >= 0)
		return 0;       /* held: mutex_trylock() returns 0 */
	mutex_take(m, name);
	*got = true;
	return 0;
}

int context_mutex_unlock(struct machine *m, const char *name)
{
	struct context_state *c = &m->ctx;
	m->err[0] = '\0';
	if (strlen(name) >= CTX_LOCK_NAME) {
		model_err(m, "mutex name longer than %d characters", CTX_LOCK_NAME - 1);
		return -E2BIG;
	}
	int i = find_mutex(c, name);
	if (i < 0) {
		if (old_kernel(m))
			debug_locks_warn(m, "lock->owner != current_thread_info()", "debug_mutex_unlock",
					 "kernel/mutex-debug.c", MUTEX_UNLOCK_LINE_2_6_32);
		else
			debug_locks_warn(m, "__owner_task(owner) != current", "__mutex_unlock_slowpath",
					 "kernel/locking/mutex.c",
					 m->kp->kv == KV_6_1 ? MUTEX_UNLOCK_LINE_6_1 : MUTEX_UNLOCK_LINE_6_13);
		model_err(m, "%s is not held by this task (nobody holds it): CONFIG_DEBUG_MUTEXES "
			 "reports it (once: lock debugging then turns itself off) and the mutex stays unlocked", name);
		return -EINVAL;
	}
	memmove(&c->mutex[i], &c->mutex[i + 1], (c->nmutexes - (unsigned)i - 1) * sizeof c->mutex[0]);
	c->nmutexes--;
	return 0;
}
