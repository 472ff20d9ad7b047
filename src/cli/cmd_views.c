/*
 * cmd_views.c - the commands that show the model: `show WHAT` (its own
 * sub-table, show_table in commands.c), `cat FILE` for the /proc files,
 * sysctl, dmesg and check.  Each asks view/ to render; none formats text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/pcp.h"
#include "kmemsh/slab.h"
#include "cmd_int.h"

static void set_json(struct session *s)
{
	s->out.json = s->json;
}

#define SHOW_SIMPLE(fname, viewfn) \
	int fname(struct session *s, int argc, char **argv, struct step_result *r) \
	{ (void)argc; (void)argv; (void)r; set_json(s); viewfn(&s->out, s->m); return 0; }

SHOW_SIMPLE(cmd_show_buddyinfo, view_buddyinfo)
SHOW_SIMPLE(cmd_show_pagetypeinfo, view_pagetypeinfo)
SHOW_SIMPLE(cmd_show_zoneinfo, view_zoneinfo)
SHOW_SIMPLE(cmd_show_meminfo, view_meminfo)
SHOW_SIMPLE(cmd_show_vmstat, view_vmstat)
SHOW_SIMPLE(cmd_show_iomem, view_iomem)
SHOW_SIMPLE(cmd_show_zones, view_zones)
SHOW_SIMPLE(cmd_show_pcp, view_pcp)
SHOW_SIMPLE(cmd_show_machine, view_machine)
SHOW_SIMPLE(cmd_show_layout, view_layout)
SHOW_SIMPLE(cmd_show_vmallocinfo, view_vmallocinfo)
SHOW_SIMPLE(cmd_show_vmap, view_vmap)

/* show compaction: the compact_* events, which 2.6.32 does not have */
int cmd_show_compaction(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (!compaction_exists(s->m)) {
		session_error(s, "Linux %s has no memory compaction (it came in 2.6.35)", s->m->kp->version);
		return -1;
	}
	set_json(s);
	view_compaction_events(&s->out, s->m);
	return 0;
}

/* show thp [enabled|hpage_pmd_size]: 6.13 only */
int cmd_show_thp(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int which = -1;
	if (argc > 1) {
		if (strcmp(argv[1], "enabled") == 0) {
			which = 0;
		} else if (strcmp(argv[1], "hpage_pmd_size") == 0) {
			which = 1;
		} else {
			session_error(s, "argument 1 '%s': enabled or hpage_pmd_size", argv[1]);
			return -1;
		}
	}
	if (s->m->thp == THP_NONE) {
		session_error(s, "Linux %s has no transparent huge pages (they came in 2.6.38)", s->m->kp->version);
		return -1;
	}
	set_json(s);
	view_thp(&s->out, s->m, which);
	return 0;
}

/* show numa [distances]: numastat, or numactl --hardware (numaview.c) */
int cmd_show_numa(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	bool hw = false;
	if (argc > 1) {
		if (strcmp(argv[1], "distances") != 0) {
			session_error(s, "argument 1 '%s': distances or nothing", argv[1]);
			return -1;
		}
		hw = true;
	}
	if (s->m->arch->bits != 64 || s->m->kp->kv != KV_6_13) {
		session_error(s, "this machine's kernel is built without CONFIG_NUMA (NUMA is modelled on x86_64 6.13)");
		return -1;
	}
	set_json(s);
	if (hw)
		view_numa_hardware(&s->out, s->m);
	else
		view_numastat(&s->out, s->m);
	return 0;
}

/* show extfrag [extfrag_index|unusable_index]: the debugfs files, which
 * Linux 2.6.32 does not have */
int cmd_show_extfrag(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	static const char *const names[] = { "extfrag_index", "unusable_index" };
	int which = -1;
	for (int k = 0; argc > 1 && k < 2; k++)
		if (strcmp(argv[1], names[k]) == 0)
			which = k;
	if (argc > 1 && which < 0) {
		session_error(s, "argument 1 '%s': extfrag_index or unusable_index", argv[1]);
		return -1;
	}
	if (!extfrag_debugfs_exists(s->m)) {
		session_error(s, "Linux %s has no /sys/kernel/debug/extfrag: the fragmentation indices came with "
			      "compaction in 2.6.35 (show zones prints the unusable index all the same)",
			      s->m->kp->version);
		return -1;
	}
	set_json(s);
	view_extfrag(&s->out, s->m, which);
	return 0;
}

/* show pgtable [START [END]]: the ptdump text, the lines whose run meets
 * [START, END) */
int cmd_show_pgtable(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	uint64_t start = 0, end = 0;
	if ((argc > 1 && arg_addr(s, 1, argv[1], &start)) || (argc > 2 && arg_addr(s, 2, argv[2], &end)))
		return -1;
	if (argc > 2 && end <= start) {
		session_error(s, "argument 2 '%s': the end must lie above the start", argv[2]);
		return -1;
	}
	view_ptdump(&s->out, s->m, start, end);
	return 0;
}

int cmd_show_page(struct session *s, int argc, char **argv, struct step_result *r)
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

/* A ZONE argument: the index of a populated zone, or -1 with the error said */
int cmd_populated_zone(struct session *s, const char *name)
{
	int z = machine_zone_by_name(s->m, name);
	if (z >= 0 && s->m->zones[z].present)
		return z;
	char list[128] = "";
	for (int i = 0; i < s->m->nr_zones; i++)
		if (s->m->zones[i].present) {
			strcat(list, *list ? ", " : "");
			strcat(list, s->m->zones[i].label);
		}
	session_error(s, "argument 1 '%s': no such populated zone (this machine has %s)", name, list);
	return -1;
}

int cmd_show_free_area(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int z = cmd_populated_zone(s, argv[1]);
	if (z < 0)
		return -1;
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

int cmd_show_slabinfo(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (cmd_need_slab(s))
		return -1;
	if (s->m->slab->impl == SLAB_IMPL_SLOB) {
		/* mm/slab_common.c: slabinfo needs CONFIG_SLAB or CONFIG_SLUB_DEBUG */
		session_error(s, "SLOB has no /proc/slabinfo (the %s kernel creates it only for SLAB and SLUB)",
			      s->m->kp->version);
		return -1;
	}
	set_json(s);
	view_slabinfo(&s->out, s->m);
	return 0;
}

int cmd_show_slab(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	if (cmd_need_slab(s))
		return -1;
	int cache = cmd_cache_arg(s, 1, argv[1]);
	if (cache < 0)
		return -1;
	set_json(s);
	view_slab(&s->out, s->m, cache);
	return 0;
}

int cmd_show_object(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	uint64_t addr;
	if (cmd_need_slab(s) || arg_addr(s, 1, argv[1], &addr))
		return -1;
	set_json(s);
	view_object(&s->out, s->m, addr);
	return 0;
}

int cmd_show_vars(struct session *s, int argc, char **argv, struct step_result *r)
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

int cmd_show(struct session *s, int argc, char **argv, struct step_result *r)
{
	int rc = cmd_dispatch(s, show_table, argc - 1, argv + 1, r);
	s->cur_cmd = "show";
	return rc;
}

/* The files `cat` serves: /proc views, and the page-table dump under both
 * kernels' names (cli_cat_file_at offers the machine's kernel's only) */
static const struct { const char *path; const char *sub; enum kernel_version only; bool one; } cat_files[] = {
	{ "/proc/buddyinfo", "buddyinfo", 0, false }, { "/proc/pagetypeinfo", "pagetypeinfo", 0, false },
	{ "/proc/zoneinfo", "zoneinfo", 0, false }, { "/proc/meminfo", "meminfo", 0, false },
	{ "/proc/iomem", "iomem", 0, false }, { "/proc/slabinfo", "slabinfo", 0, false },
	{ "/proc/vmallocinfo", "vmallocinfo", 0, false }, { "/proc/vmstat", "vmstat", 0, false },
	/* debugfs, CONFIG_COMPACTION: 6.x only (show extfrag says why not on 2.6.32) */
	{ "/sys/kernel/debug/extfrag/extfrag_index", "extfrag extfrag_index", KV_6_13, true },
	{ "/sys/kernel/debug/extfrag/unusable_index", "extfrag unusable_index", KV_6_13, true },
	/* CONFIG_PTDUMP_DEBUGFS: 6.13's name and 2.6.32's */
	{ "/sys/kernel/debug/page_tables/kernel", "pgtable", KV_6_13, true },
	/* CONFIG_TRANSPARENT_HUGEPAGE: 6.13 only */
	{ "/sys/kernel/mm/transparent_hugepage/enabled", "thp enabled", KV_6_13, true },
	{ "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "thp hpage_pmd_size", KV_6_13, true },
	{ "/sys/kernel/debug/kernel_page_tables", "pgtable", KV_2_6_32, true },
};
#define NR_CAT_FILES (sizeof cat_files / sizeof cat_files[0])

/* KV_6_13 in the table stands for the 6.x kernels (6.1 has them too) */
static bool cat_file_is(size_t k, enum kernel_version kv)
{
	return (cat_files[k].only == KV_2_6_32) == (kv == KV_2_6_32);
}

const char *cli_cat_file_at(const struct machine *m, size_t i)
{
	static char sysctl_path[16][96];       /* one per sysctl: completion keeps the pointers */
	for (size_t k = 0; k < NR_CAT_FILES; k++) {
		if (cat_files[k].one && !cat_file_is(k, m->kp->kv))
			continue;
		if (i-- == 0)
			return cat_files[k].path;
	}
	const char *name = i < 16 ? machine_sysctl_name_at(m, i) : NULL;
	if (!name)
		return NULL;
	snprintf(sysctl_path[i], sizeof sysctl_path[i], "/proc/sys/vm/%s", name);
	return sysctl_path[i];
}

/* /sys/kernel/slab/NAME/ATTR: SLUB's sysfs (mm/slub.c), a cache by its
 * name or an alias */
static int cat_slab_sysfs(struct session *s, const char *path)
{
	char name[64];
	const char *p = path + 17, *slash = strchr(p, '/');
	if (s->m->slab->impl != SLAB_IMPL_SLUB) {
		session_error(s, "%s: no such file: /sys/kernel/slab is SLUB's, and this machine runs %s", path,
			      slab_impl_name(s->m->slab->impl));
		return -1;
	}
	int cache = -1;
	if (slash && (size_t)(slash - p) < sizeof name && slash > p) {
		memcpy(name, p, (size_t)(slash - p));
		name[slash - p] = '\0';
		cache = slab_cache_find(s->m, name);
		if (cache < 0)
			cache = slab_alias_find(s->m, name);
	}
	if (cache < 0 || view_slab_sysfs(&s->out, s->m, cache, path, slash + 1)) {
		session_error(s, "%s: no such file in the model (it serves /sys/kernel/slab/NAME/slabs, objects, "
			      "total_objects, partial, objects_partial, cpu_slabs and min_partial)", path);
		return -1;
	}
	return 0;
}

int cmd_cat(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	for (size_t i = 0; i < NR_CAT_FILES; i++) {
		if (strcmp(argv[1], cat_files[i].path))
			continue;
		/* the page-table dump's file exists under the modelled kernel's name only */
		if (cat_files[i].one && !cat_file_is(i, s->m->kp->kv) && strcmp(cat_files[i].sub, "pgtable") == 0) {
			const char *ours = "";
			for (size_t k = 0; k < NR_CAT_FILES; k++)
				if (cat_files[k].one && cat_file_is(k, s->m->kp->kv) &&
				    strcmp(cat_files[k].sub, "pgtable") == 0)
					ours = cat_files[k].path;
			session_error(s, "%s: no such file in Linux %s (its page-table dump is %s)", argv[1],
				      s->m->kp->version, ours);
			return -1;
		}
		/* "WHAT [ARG]": the show subcommand and its argument */
		char word[64];
		snprintf(word, sizeof word, "%s", cat_files[i].sub);
		char *arg = strchr(word, ' ');
		if (arg)
			*arg++ = '\0';
		char *sub[3] = { word, arg, NULL };
		return cmd_dispatch(s, show_table, arg ? 2 : 1, sub, r);
	}
	if (strncmp(argv[1], "/proc/sys/vm/", 13) == 0 && view_sysctl(&s->out, s->m, argv[1] + 13, true) == 0)
		return 0;
	if (strncmp(argv[1], "/sys/kernel/slab/", 17) == 0)
		return cat_slab_sysfs(s, argv[1]);
	struct sysctl_absent why;
	if (strncmp(argv[1], "/proc/sys/vm/", 13) == 0 && machine_sysctl_absent(s->m, argv[1] + 13, &why) &&
	    !why.from) {
		session_error(s, "%s: no such file in Linux %s (it came in %s)", argv[1], s->m->kp->version,
			      why.since);
		return -1;
	}
	char list[1024];
	size_t len = 0;
	const char *f;
	for (size_t i = 0; (f = cli_cat_file_at(s->m, i)) && strncmp(f, "/proc/sys/", 10) && len < sizeof list - 100; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", f);
	session_error(s, "%s: no such file in the model (it serves %s, /proc/sys/vm/...)", argv[1], list);
	return -1;
}

static int sysctl_arg(struct session *s, const char *arg, bool apply);

int cmd_sysctl(struct session *s, int argc, char **argv, struct step_result *r)
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
	/* all or nothing: every NAME and VALUE is checked before any is written */
	for (int pass = 0; pass < 2; pass++)
		for (int j = i; j < argc; j++)
			if (sysctl_arg(s, argv[j], pass == 1))
				return -1;
	return 0;
}

/* One NAME[=VALUE] of sysctl: check it (apply false), or write and show it. */
static int sysctl_arg(struct session *s, const char *arg, bool apply)
{
	char name[128];
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	if (n >= sizeof name) {
		session_error(s, "'%s': name too long", arg);
		return -1;
	}
	memcpy(name, arg, n);
	name[n] = '\0';
	char full[160];
	snprintf(full, sizeof full, "%s%s", strncmp(name, "vm.", 3) ? "vm." : "", name);
	char buf[256];
	/* vm.compact_memory (mode 0200): writing 1 compacts every zone */
	if (strcmp(full, "vm.compact_memory") == 0 && compaction_exists(s->m)) {
		if (!eq) {
			session_error(s, "%s: permission denied (the file is write-only: echo 1 > "
				      "/proc/sys/vm/compact_memory)", full);
			return -1;
		}
		if (strcmp(eq + 1, "1") != 0) {
			session_error(s, "%s: invalid value '%s' (only 1 is accepted)", full, eq + 1);
			return -1;
		}
		return apply ? cmd_compact_zone(s, -1) : 0;
	}
	if (machine_sysctl_get(s->m, full, buf, sizeof buf)) {
		struct sysctl_absent why;
		if (machine_sysctl_absent(s->m, full, &why)) {
			if (why.from)
				session_error(s, "unknown sysctl '%s' in %s: %s replaced %s with %s; this kernel has %s",
					      name, s->m->kp->version, why.since, why.from, why.to, why.has);
			else
				session_error(s, "%s: no such sysctl in Linux %s (it came in %s)", full,
					      s->m->kp->version, why.since);
			return -1;
		}
		const char *names[16];
		size_t k = 0;
		for (; k < 16 && machine_sysctl_name_at(s->m, k); k++)
			names[k] = machine_sysctl_name_at(s->m, k);
		const char *sug = cli_suggest(full, names, k);
		if (sug)
			session_error(s, "unknown sysctl '%s' in %s (did you mean %s?)", name, s->m->kp->version, sug);
		else
			session_error(s, "unknown sysctl '%s' in %s (sysctl -a lists them)", name, s->m->kp->version);
		return -1;
	}
	if (eq) {
		int e = apply ? machine_sysctl_set(s->m, full, eq + 1) : machine_sysctl_check(s->m, full, eq + 1);
		if (e == -ERANGE) {
			session_error(s, "%s: value '%s' out of range", full, eq + 1);
			return -1;
		}
		if (e == -EDOM) {
			/* the pcp fraction's minimum (the kernel answers EINVAL) */
			if (machine_sysctl_zero_refused(full))
				session_error(s, "%s: invalid value '%s': it must be at least %d (EINVAL; the boot "
					      "value 0 cannot be written back)", full, eq + 1,
					      MIN_PERCPU_PAGELIST_HIGH_FRACTION);
			else
				session_error(s, "%s: invalid value '%s': 0 (the default) or at least %d (EINVAL)",
					      full, eq + 1, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
			return -1;
		}
		if (e == -E2BIG) {
			session_error(s, "%s: too many values ('%s'; this kernel has %d)", full, eq + 1,
				      s->m->kp->kv == KV_2_6_32 ? s->m->nr_node_zones - 1 : s->m->nr_node_zones);
			return -1;
		}
		if (e) {
			session_error(s, "%s: invalid value '%s'", full, eq + 1);
			return -1;
		}
	}
	if (apply && (!s->quiet || !eq))
		view_sysctl(&s->out, s->m, full, false);
	return 0;
}

int cmd_sysctl_write(struct session *s, const char *name, const char *value)
{
	char arg[256];
	snprintf(arg, sizeof arg, "%s=%s", name, value);
	if (sysctl_arg(s, arg, false))
		return -1;
	return sysctl_arg(s, arg, true);
}

int cmd_dmesg(struct session *s, int argc, char **argv, struct step_result *r)
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
			free(dmesg_slot(&s->m->dmesg, i)->text);
			dmesg_slot(&s->m->dmesg, i)->text = NULL;
		}
		s->m->dmesg.start = s->m->dmesg.n;
	}
	return 0;
}

int cmd_check(struct session *s, int argc, char **argv, struct step_result *r)
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
