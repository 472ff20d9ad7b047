/*
 * cmd_frag.c - fragmentation helpers: `fragment ZONE [PATTERN]` (a
 * teaching helper, no kernel call: extfrag_fragment_zone()) and `repeat N
 * COMMAND`, which runs a command N times, each run a step of its own.
 */
#include <errno.h>
#include <string.h>

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
