/*
 * anon.c - the simulated processes: their anonymous memory and the swap
 * area (6.13 mm/memory.c do_anonymous_page(), kernel/exit.c exit_mmap();
 * mm/swapfile.c swapon, swapoff's try_to_unuse()).
 *
 * A task owns one private writable area; each page it faults in goes on
 * the anon LRU list (6.13 the inactive one, 2.6.32 the active one);
 * reclaim may send it to swap; exit and the OOM killer give everything
 * back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"

#include "vmscan_impl.h"

/* ---- tasks ----------------------------------------------------------------------- */

int vmscan_task_find(const struct machine *m, const char *name)
{
	if (!m->vm)
		return -1;
	for (unsigned t = 0; t < m->vm->ntask; t++)
		if (m->vm->task[t].alive && strcmp(m->vm->task[t].comm, name) == 0)
			return (int)t;
	return -1;
}

int vmscan_task_create(struct machine *m, const char *name, int oom_adj)
{
	m->err[0] = '\0';
	if (!vmscan_valid_name(name, 16)) {
		model_err(m, "a task name is 1 to 15 printable characters (TASK_COMM_LEN)");
		return -EINVAL;
	}
	bool old = m->kp->kv == KV_2_6_32;
	int lo = old ? OOM_DISABLE : OOM_SCORE_ADJ_MIN, hi = old ? OOM_ADJUST_MAX : OOM_SCORE_ADJ_MAX;
	if (oom_adj < lo || oom_adj > hi) {
		model_err(m, "%s must be %d to %d", old ? "oom_adj" : "oom_score_adj", lo, hi);
		return -EINVAL;
	}
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (vmscan_task_find(m, name) >= 0) {
		model_err(m, "a task named %s is running", name);
		return -EEXIST;
	}
	unsigned t;
	for (t = 0; t < v->ntask && v->task[t].alive; t++)
		;
	if (t == VM_TASKS_MAX) {
		model_err(m, "at most %d tasks", VM_TASKS_MAX);
		return -ENOSPC;
	}
	if (t == v->ntask)
		v->ntask++;
	struct vm_task *k = &v->task[t];
	memset(k, 0, sizeof *k);
	snprintf(k->comm, sizeof k->comm, "%s", name);
	k->pid = v->next_pid++;
	k->oom_score_adj = oom_adj;
	k->alive = true;
	k->start_s = m->clock_us / 1000000;
	/* copy_process(): the child gets a copy of the parent's policy
	 * (mpol_dup()) and its il_prev (dup_task_struct()) */
	k->mpol = m->mpol;
	return (int)t;
}

static uint64_t free_task_memory(struct machine *m, struct vm_state *v, int t);

int vmscan_anon(struct machine *m, int t, uint64_t pages, uint64_t *added)
{
	*added = 0;
	m->err[0] = '\0';
	struct vm_state *v = m->vm;
	if (!v || t < 0 || (unsigned)t >= v->ntask || !v->task[t].alive)
		return -ESRCH;
	struct vm_task *k = &v->task[t];
	/* mmap() of a private writable area: total_vm grows at once, pages
	 * come as the task touches them (do_anonymous_page(): 6.13
	 * vma_alloc_zeroed_movable_folio(), GFP_HIGHUSER_MOVABLE | __GFP_ZERO,
	 * a folio: | __GFP_COMP; 2.6.32 alloc_zeroed_user_highpage_movable()).
	 * New anon pages go to the inactive anon list in 6.13 (folio_add_lru_vma()), to the active
	 * one in 2.6.32 (lru_cache_add_active_or_unevictable()). */
	uint64_t first = k->total_vm;  /* the new pages' place in the area */
	k->total_vm += pages;
	gfp_t gfp = vmscan_folio_gfp(m, vmscan_gfp_bit(m, "GFP_HIGHUSER_MOVABLE") | m->kp->gfp_zero);
	enum lru_list lru = m->kp->kv == KV_2_6_32 ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
	int saved = v->current;
	v->current = t;
	int pid = k->pid;
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	int r = 0;
	for (uint64_t n = 0; n < pages; n++) {
		r = vmscan_add_page(m, gfp, t, -1, false, lru, (long)(first + n));
		if (k->oom_victim) {
			/* the OOM killer chose this very task: the fault ends (with
			 * the page its ALLOC_OOM / TIF_MEMDIE retry got, or none),
			 * SIGKILL is taken on the way back to user space, and
			 * do_exit() frees its memory (exit_mmap()) */
			if (!r) {
				k->anon_rss++;
				v->ev.pgfault++;
			}
			free_task_memory(m, v, t);
			model_err(m, "%s (pid %d) was killed by the OOM killer while faulting in "
				 "its memory", k->comm, pid);
			r = -ENOMEM;
			break;
		}
		if (r)
			break;
		k->anon_rss++;
		v->ev.pgfault++;        /* handle_mm_fault(): PGFAULT, one per page touched */
		(*added)++;
		vmscan_kswapd_pending(m);
	}
	vmscan_quiet_end(m, q);
	v->current = saved;
	return r;
}

/* exit_mmap(): every page of the task back to the allocator, its swap
 * entries freed. */
static uint64_t free_task_memory(struct machine *m, struct vm_state *v, int t)
{
	uint64_t freed = 0;
	for (uint32_t i = 0; i < v->npg; i++)
		if (v->pg[i].lru != REC_FREE && v->pg[i].task == t) {
			vmscan_release_page(m, v, i);
			freed++;
		}
	struct vm_task *k = &v->task[t];
	v->swap_used -= k->swapents;
	k->swapents = 0;
	k->anon_rss = 0;
	k->alive = false;
	k->oom_victim = false;
	return freed;
}

int vmscan_task_exit(struct machine *m, int t, uint64_t *freed)
{
	struct vm_state *v = m->vm;
	if (!v || t < 0 || (unsigned)t >= v->ntask || !v->task[t].alive)
		return -ESRCH;
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	*freed = free_task_memory(m, v, t);
	vmscan_quiet_end(m, q);
	return 0;
}

uint64_t vmscan_kill_task(struct machine *m, int t)
{
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	uint64_t n = free_task_memory(m, m->vm, t);
	vmscan_quiet_end(m, q);
	return n;
}

/* ---- the swap area ------------------------------------------------------------- */

int vmscan_swapon(struct machine *m, uint64_t pages)
{
	m->err[0] = '\0';
	struct vm_state *v = vmscan_state(m);
	if (!v) {
		model_err(m, "out of host memory");
		return -ENOMEM;
	}
	if (v->swap_total) {
		model_err(m, "swap is already on (kmemsh models one swap area)");
		return -EBUSY;
	}
	/* setup_swap_map_and_extents(): page 0 holds the swap header */
	if (pages < 2 || pages > (1ull << 32)) {
		model_err(m, "a swap area is 8K (a header page and one slot) to 16T");
		return -EINVAL;
	}
	v->swap_total = pages - 1;
	v->swap_used = 0;
	return 0;
}

int vmscan_swapoff(struct machine *m)
{
	m->err[0] = '\0';
	struct vm_state *v = m->vm;
	if (!v || !v->swap_total) {
		model_err(m, "no swap area is on");
		return -EINVAL;
	}
	/* try_to_unuse(): every swapped page is read back into memory; when
	 * memory runs out swapoff fails with ENOMEM and the swap area stays on,
	 * the pages read so far stay in memory.  The pages: 6.13
	 * __read_swap_cache_async() -> folio_alloc_mpol(), 6.1
	 * vma_alloc_folio(), folios (| __GFP_COMP); 2.6.32 alloc_page_vma() */
	gfp_t gfp = vmscan_folio_gfp(m, vmscan_gfp_bit(m, "GFP_HIGHUSER_MOVABLE"));
	enum lru_list lru = m->kp->kv == KV_2_6_32 ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
	/* the area takes no new pages while it is emptied (SWP_WRITEOK
	 * cleared, nr_swap_pages lowered first) */
	v->swapoff_running = true;
	struct vmscan_quiet q = vmscan_quiet_begin(m);
	for (unsigned t = 0; t < v->ntask; t++) {
		struct vm_task *k = &v->task[t];
		while (k->alive && k->swapents) {
			/* unuse_pte_range() -> swapin_readahead(): the policy of
			 * current (swapoff's caller, the shell) at the page's place
			 * in its VMA, which kmemsh does not keep: the page is
			 * numbered after the task's resident ones */
			int r = vmscan_add_page(m, gfp, (int)t, -1, false, lru, (long)k->anon_rss);
			if (r == -ESRCH)
				break;          /* the OOM killer chose the owner */
			if (r) {
				vmscan_quiet_end(m, q);
				v->swapoff_running = false;
				model_err(m, "out of memory with %llu pages still swapped "
					 "out (the swap area stays on)", (unsigned long long)v->swap_used);
				return -ENOMEM;
			}
			if (!k->alive)
				break;
			k->swapents--;
			k->anon_rss++;
			v->swap_used--;
			v->ev.pswpin++;
		}
	}
	vmscan_quiet_end(m, q);
	v->swapoff_running = false;
	v->swap_total = v->swap_used = 0;
	return 0;
}
