/*
 * cmd_frag.c - fragmentation helpers: `fragment ZONE [PATTERN]` (a
 * teaching helper, no kernel call: extfrag_fragment_zone()), `compact
 * [ZONE]` (the kernel's compact_memory: compaction_compact_memory()) and
 * `repeat N COMMAND`, which runs a command N times, each run a step of its
 * own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/compaction.h"
#include "kmemsh/extfrag.h"
#include "kmemsh/gfp.h"
#include "cmd_int.h"

int cmd_fragment(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int z = cmd_populated_zone(s, argv[1]);
	if (z < 0)
		return -1;
	const char *pattern = argc > 2 ? argv[2] : "x.";
	size_t len = strlen(pattern);
	if (!len || len > 64 || strspn(pattern, "x.") != len) {
		session_error(s, "argument 2 '%s': a pattern is 1 to 64 characters of 'x' (keep the page "
			      "allocated) and '.' (free it), repeated along the zone", pattern);
		return -1;
	}
	/* user pages: Movable, what compaction can migrate */
	gfp_t gfp;
	if (gfp_parse(s->m->kp, "GFP_HIGHUSER_MOVABLE", &gfp, NULL)) {
		session_error(s, "GFP_HIGHUSER_MOVABLE is unknown to this kernel profile");
		return -1;
	}
	uint64_t taken = 0, freed = 0;
	if (extfrag_fragment_zone(s->m, z, gfp, pattern, &taken, &freed)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	if (cmd_shown(s)) {
		s->out.json = s->json;
		view_fragment(&s->out, s->m, z, pattern, taken, freed);
	}
	return 0;
}

/* the pfn a variable names: a struct page pointer, a direct-map address or a pfn */
static bool var_pfn(const struct session *s, const struct value *v, uint64_t *pfn)
{
	uint64_t off;
	switch (v->kind) {
	case V_PAGE:
		return machine_page_ptr_to_pfn(s->m, v->u, pfn) == 0;
	case V_ADDR:
		return machine_vaddr_to_pfn(s->m, v->u, pfn, &off) == 0;
	case V_PFN:
		*pfn = v->u;
		return true;
	default:
		return false;
	}
}

/* `compact [ZONE]` and `echo 1 > /proc/sys/vm/compact_memory` (z = -1) */
int cmd_compact_zone(struct session *s, int z)
{
	struct compact_report rep;
	if (compaction_compact_memory(s->m, z, &rep)) {
		session_error(s, "%s", s->m->err);
		return -1;
	}
	/* the variables whose page moved: they keep their value, and say so */
	struct compact_var vars[16];
	size_t nvars = 0;
	for (size_t i = 0; i < s->cap_vars && nvars < 16 && rep.nmoves; i++) {
		const struct var *v = &s->vars[i];
		uint64_t pfn;
		if (!v->name || !var_pfn(s, &v->v, &pfn))
			continue;
		for (size_t k = 0; k < rep.nmoves; k++)
			if (rep.moves[k].from == pfn) {
				vars[nvars++] = (struct compact_var){ v->name, pfn, rep.moves[k].to };
				break;
			}
	}
	if (cmd_shown(s)) {
		s->out.json = s->json;
		view_compact(&s->out, s->m, &rep, vars, nvars);
	}
	compact_report_free(&rep);
	return 0;
}

int cmd_compact(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	int z = -1;
	if (argc > 1 && (z = cmd_populated_zone(s, argv[1])) < 0)
		return -1;
	return cmd_compact_zone(s, z);
}

int cmd_repeat(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	uint64_t n;
	if (arg_u64(s, 1, argv[1], "a count", 1000000, &n))
		return -1;
	/* an unknown command is an error also when N is 0 (a NAME = COMMAND
	 * is left to the statement runner) */
	const char *name = argc > 3 && strcmp(argv[3], "=") == 0 ? argv[4] : argv[2];
	if (argc > 3 && strcmp(argv[3], "=") == 0 && argc < 5) {
		session_error(s, "nothing after '=' (usage: repeat N NAME = COMMAND ARGS)");
		return -1;
	}
	const struct cmd *c = strchr(argv[2], '=') ? NULL : cmd_find(cmd_table, name, NULL);
	if (!strchr(argv[2], '=') && !c) {
		session_error(s, "argument 2 '%s': no such command (help lists them)", name);
		return -1;
	}
	if (c && c->fn == cmd_repeat) {
		session_error(s, "argument 2 '%s': repeat inside repeat is refused (multiply the counts)", name);
		return -1;
	}
	/* nor may a sourced script repeat inside it: the counts would multiply
	 * past the cap, a million million steps from two lines */
	if (s->repeating) {
		session_error(s, "argument 2 '%s': repeat inside repeat is refused (multiply the counts)", "repeat");
		return -1;
	}
	int rc = 0;
	uint64_t i;
	s->repeating = true;
	for (i = 0; i < n && !s->quit && !rc && !repl_interrupted(); i++)
		rc = session_run_words(s, argc - 2, argv + 2) ? -1 : 0;
	s->repeating = false;
	/* Ctrl-C at the prompt stops a long repeat between two runs */
	if (!rc && i < n && !s->quit) {
		session_error(s, "interrupted (Ctrl-C) after %llu of %llu runs", (unsigned long long)i,
			      (unsigned long long)n);
		return -1;
	}
	return rc;
}
