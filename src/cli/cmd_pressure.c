/*
 * cmd_pressure.c - memory pressure: the users of reclaimable memory
 * (`pagecache`, `task`, `anon`, `exit NAME`), `drop_caches` (also `echo N >
 * /proc/sys/vm/drop_caches`), `swapon`/`swapoff`, `kswapd run`, `show
 * reclaim`, and `vmstat_update`, which lets time pass for the vmstat worker.  Reclaim itself happens inside the page allocator (vmscan.h);
 * these commands make the memory it works on.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/pcp.h"
#include "kmemsh/vmscan.h"
#include "cmd_int.h"

static void show(struct session *s, const struct pressure_result *pr)
{
	if (cmd_shown(s)) {
		s->out.json = s->json;
		view_pressure_result(&s->out, s->m, pr);
	}
}

/* SIZE in whole pages */
static int arg_pages(struct session *s, int idx, const char *text, uint64_t *pages)
{
	uint64_t bytes;
	if (arg_size(s, idx, text, &bytes))
		return -1;
	if (!bytes || bytes & 4095) {
		session_error(s, "argument %d '%s': a size of whole pages (a multiple of 4K, at least 4K)", idx, text);
		return -1;
	}
	*pages = bytes >> 12;
	return 0;
}

int cmd_pagecache(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	uint64_t pages;
	if (arg_pages(s, 1, argv[1], &pages))
		return -1;
	const char *file = "file";
	bool dirty = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "dirty") == 0 && !dirty)
			dirty = true;
		else if (i == 2 && strcmp(argv[i], "dirty") != 0)
			file = argv[i];
		else {
			session_error(s, "argument %d '%s': expected a file name, then 'dirty'", i, argv[i]);
			return -1;
		}
	}
	uint64_t added;
	int rc = vmscan_pagecache(s->m, file, pages, dirty, &added);
	if (rc == -EINVAL) {
		session_error(s, "argument 2 '%s': %s", file, s->m->err);
		return -1;
	}
	struct pressure_result pr = { "pagecache", file, added, -1, dirty, -1 };
	show(s, &pr);
	if (rc) {
		session_error(s, "the page cache took %llu of %llu pages, then: %s", (unsigned long long)added,
			      (unsigned long long)pages, s->m->err);
		return -1;
	}
	return 0;
}

int cmd_task(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	bool old = s->m->kp->kv == KV_2_6_32;
	const char *key = old ? "oom_adj=" : "oom_score_adj=";
	long adj = 0;
	if (argc > 2) {
		size_t kl = strlen(key);
		char *end;
		if (strncmp(argv[2], key, kl) != 0) {
			session_error(s, "argument 2 '%s': expected %sN (%s)", argv[2], key,
				      old ? "2.6.32 has oom_adj, -17 to 15" : "-1000 to 1000");
			return -1;
		}
		adj = strtol(argv[2] + kl, &end, 10);
		if (end == argv[2] + kl || *end || adj < -100000 || adj > 100000) {
			session_error(s, "argument 2 '%s': not a number", argv[2]);
			return -1;
		}
	}
	int t = vmscan_task_create(s->m, argv[1], (int)adj);
	if (t < 0) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	struct pressure_result pr = { "task", argv[1], 0, t, 0, -1 };
	show(s, &pr);
	return 0;
}

static int task_arg(struct session *s, int idx, const char *name)
{
	int t = vmscan_task_find(s->m, name);
	if (t < 0)
		session_error(s, "argument %d '%s': no such task (task NAME starts one)", idx, name);
	return t;
}

int cmd_anon(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	int t = task_arg(s, 1, argv[1]);
	uint64_t pages, added;
	if (t < 0 || arg_pages(s, 2, argv[2], &pages))
		return -1;
	int rc = vmscan_anon(s->m, t, pages, &added);
	if (s->m->vm->task[t].alive) {
		struct pressure_result pr = { "anon", argv[1], added, t, 0, -1 };
		show(s, &pr);
	}
	if (rc) {
		session_error(s, "%s faulted in %llu of %llu pages, then: %s", argv[1], (unsigned long long)added,
			      (unsigned long long)pages, s->m->err);
		return -1;
	}
	return 0;
}

/* `exit` leaves kmemsh; `exit NAME` ends a task */
int cmd_exit(struct session *s, int argc, char **argv, struct step_result *r)
{
	if (argc == 1)
		return cmd_quit(s, argc, argv, r);
	int t = task_arg(s, 1, argv[1]);
	if (t < 0)
		return -1;
	uint64_t freed;
	vmscan_task_exit(s->m, t, &freed);
	struct pressure_result pr = { "exit", argv[1], freed, -1, 0, -1 };
	show(s, &pr);
	return 0;
}

static int drop_caches(struct session *s, int idx, const char *text)
{
	uint64_t n, dropped;
	/* any number: the model says the sysctl's range (1 to 4, 2.6.32: 3) */
	if (arg_u64(s, idx, text, "drop_caches", UINT64_MAX, &n))
		return -1;
	if (vmscan_drop_caches(s->m, n > INT_MAX ? INT_MAX : (int)n, &dropped)) {
		session_error(s, "argument %d '%s': %s", idx, text, s->m->err);
		return -1;
	}
	struct pressure_result pr = { "drop_caches", NULL, dropped, -1, (int)n, -1 };
	show(s, &pr);
	return 0;
}

int cmd_drop_caches(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	return drop_caches(s, 1, argv[1]);
}

/* `shrinkable CACHE N`: N objects of a SLAB_RECLAIM_ACCOUNT cache that its
 * shrinker may free (vmscan_shrinkable_add()) */
int cmd_shrinkable(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	uint64_t n, added;
	if (cmd_need_slab(s))
		return -1;
	int cache = cmd_cache_arg(s, 1, argv[1]);
	if (cache < 0 || arg_u64(s, 2, argv[2], "a number of objects", 1ull << 24, &n))
		return -1;
	int rc = vmscan_shrinkable_add(s->m, cache, n, &added);
	if (rc == -EINVAL) {
		session_error(s, "argument 1 '%s': %s", argv[1], s->m->err);
		return -1;
	}
	struct pressure_result pr = { "shrinkable", argv[1], added, -1, cache, -1 };
	show(s, &pr);
	if (rc) {
		session_error(s, "%llu of %llu objects allocated, then: %s", (unsigned long long)added,
			      (unsigned long long)n, s->m->err);
		return -1;
	}
	return 0;
}

int cmd_swapon(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	uint64_t pages;
	if (arg_pages(s, 1, argv[1], &pages))
		return -1;
	if (vmscan_swapon(s->m, pages)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	struct pressure_result pr = { "swapon", NULL, s->m->vm->swap_total, -1, 0, -1 };
	show(s, &pr);
	return 0;
}

int cmd_swapoff(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (vmscan_swapoff(s->m)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	struct pressure_result pr = { "swapoff", NULL, 0, -1, 0, -1 };
	show(s, &pr);
	return 0;
}

int cmd_kswapd(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	if (strcmp(argv[1], "run") != 0) {
		session_error(s, "argument 1 '%s': the only subcommand is 'run'", argv[1]);
		return -1;
	}
	/* kswapd run [NID]: node NID's kswapdN, or every node's */
	int nid = -1;
	if (argc > 2 && cmd_arg_nid(s, 2, argv[2], &nid))
		return -1;
	uint64_t reclaimed;
	int ran = vmscan_kswapd_run(s->m, true, nid, &reclaimed);
	if (ran == -ENOMEM) {
		session_error(s, "out of host memory");
		return -1;
	}
	if (ran < 0) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	struct pressure_result pr = { "kswapd", NULL, reclaimed, -1, ran, nid };
	show(s, &pr);
	return 0;
}

int cmd_show_reclaim(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	s->out.json = s->json;
	view_reclaim(&s->out, s->m);
	return 0;
}

/*
 * vmstat_update [N]: let N intervals of sysctl_stat_interval (HZ: 1 s) pass;
 * in each, every CPU's vmstat worker runs (mm/vmstat.c vmstat_update() ->
 * refresh_cpu_vm_stats(true)), which on 6.13 decays the pagesets' high
 * (pcp_vmstat_update()).  The kernel stops a CPU's worker when a run found
 * nothing to do and vmstat_shepherd() requeues it once its counters change;
 * a decay with work left requeues itself, so running every worker each
 * interval gives the same decay.
 */
int cmd_vmstat_update(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	uint64_t n = 1;
	if (argc > 1 && arg_u64(s, 1, argv[1], "a count", 1000000, &n))
		return -1;
	if (!n) {
		session_error(s, "argument 1 '%s': a count of at least 1", argv[1]);
		return -1;
	}
	struct machine *m = s->m;
	size_t cells = (size_t)m->nr_zones * m->ncpus;
	int *before = calloc(2 * cells + 1, sizeof *before);
	if (!before) {
		session_error(s, "out of host memory");
		return -1;
	}
	for (int z = 0; z < m->nr_zones; z++)
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			const struct per_cpu_pages *p = pcp_of(m, z, cpu);
			before[(size_t)z * m->ncpus + cpu] = p ? p->high : 0;
			before[cells + (size_t)z * m->ncpus + cpu] = p ? p->count : 0;
		}
	struct vmstat_update_result res = { (unsigned)n, 0, 0, before, before + cells };
	for (uint64_t i = 0; i < n; i++) {
		res.todo = 0;
		for (unsigned cpu = 0; cpu < m->ncpus; cpu++) {
			uint64_t freed;
			res.todo += pcp_vmstat_update(m, cpu, &freed);
			res.freed += freed;
		}
		m->clock_us += 1000000;     /* sysctl_stat_interval = HZ */
	}
	if (cmd_shown(s)) {
		s->out.json = s->json;
		view_vmstat_update(&s->out, m, &res);
	}
	free(before);
	return 0;
}
