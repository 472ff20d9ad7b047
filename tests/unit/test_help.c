/*
 * test_help.c - help that teaches: every command of the table has its
 * help (prototype, kernel source per profile, example, related commands),
 * every example runs, every related name is a command, no "not modelled
 * yet" entry names a command that exists, and gfp decoding tells the
 * profiles apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/cli.h"
#include "kmemsh/gfp.h"
#include "../../src/cli/help_int.h"

static struct session *new_session(const char *arch)
{
	struct session *s = calloc(1, sizeof *s);
	struct machine_config cfg = { .arch = arch };
	char err[256];
	assert_int_equal(session_init(s, &cfg, err, sizeof err), 0);
	out_init_buf(&s->out);
	out_init_buf(&s->err);
	s->src_name = "test";
	return s;
}

static void end_session(struct session *s)
{
	session_free(s);
	free(s);
}

static const char *text(const struct out *o)
{
	return o->buf ? o->buf : "";
}

static void every_command__has_help_with_a_prototype_and_a_group(void **state)
{
	(void)state;
	for (const struct cmd *c = cmd_table; c->name; c++) {
		const struct cmd_doc *d = help_doc(c->name);
		if (!d)
			fail_msg("no help for %s", c->name);
		assert_non_null(d->proto);
		assert_true(*d->proto);
		assert_true(d->group < HG_COUNT);
		/* both kernels or neither: the shell's own commands follow no file */
		assert_true((d->src_new == NULL) == (d->src_old == NULL));
		assert_non_null(d->example);
	}
	/* and no help for a command that does not exist */
	for (const struct cmd_doc *d = cmd_docs; d->name; d++) {
		const struct cmd *c = cmd_find(cmd_table, d->name, NULL);
		if (!c || strcmp(c->name, d->name))
			fail_msg("help for %s, which is no command", d->name);
	}
}

static void every_related_name__is_a_command(void **state)
{
	(void)state;
	for (const struct cmd_doc *d = cmd_docs; d->name; d++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s", d->related);
		for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
			const struct cmd *c = cmd_find(cmd_table, w, NULL);
			if (!c || strcmp(c->name, w))
				fail_msg("help %s: related '%s' is no command", d->name, w);
		}
	}
}

static void not_modelled_entries__name_no_command(void **state)
{
	(void)state;
	for (const struct not_modelled *n = not_modelled; n->name; n++) {
		const struct cmd *c = cmd_find(cmd_table, n->name, NULL);
		if (c && strcmp(c->name, n->name) == 0)
			fail_msg("%s is a command now: drop its not-modelled entry", n->name);
		assert_null(strchr(n->text, '\n'));     /* one line */
	}
}

/* Each example runs on the default machine (i386, 2.6.32) or, for 6.13's
 * calls, on x86_64 with 6.13, and leaves a consistent model. */
static void every_example__runs(void **state)
{
	(void)state;
	for (const struct cmd_doc *d = cmd_docs; d->name; d++) {
		if (!d->example || !*d->example)
			continue;
		const char *arches[] = { "i386", "x86_64" };
		bool ok = false;
		for (int a = 0; a < 2 && !ok; a++) {
			struct session *s = new_session(arches[a]);
			ok = session_run_line(s, d->example) == 0 && machine_check(s->m) == 0;
			end_session(s);
		}
		if (!ok)
			fail_msg("help %s: example '%s' fails on i386 and on x86_64", d->name, d->example);
	}
}

static void unknown_kernel_call__says_not_modelled_not_did_you_mean(void **state)
{
	(void)state;
	struct session *s = new_session("i386");
	assert_int_equal(session_run_line(s, "kvcalloc 4 100"), -1);
	assert_non_null(strstr(text(&s->err), "kvcalloc is not modelled yet"));
	assert_null(strstr(text(&s->err), "did you mean"));
	end_session(s);
}

static void gfp__decodes_for_the_machines_kernel(void **state)
{
	(void)state;
	struct session *s = new_session("i386");
	assert_int_equal(session_run_line(s, "gfp GFP_KERNEL"), 0);
	/* 2.6.32 include/linux/gfp.h: __GFP_WAIT|__GFP_IO|__GFP_FS = 0x10|0x40|0x80 */
	assert_non_null(strstr(text(&s->out), "GFP_KERNEL = 0xd0 in 2.6.32"));
	assert_non_null(strstr(text(&s->out), "__GFP_WAIT"));
	/* 6.13 include/linux/gfp_types.h: __GFP_RECLAIM|__GFP_IO|__GFP_FS = 0xc00|0x40|0x80 */
	assert_non_null(strstr(text(&s->out), "in 6.13:     GFP_KERNEL = 0xcc0"));
	end_session(s);

	s = new_session("x86_64");
	assert_int_equal(session_run_line(s, "help GFP_ATOMIC"), 0);
	assert_non_null(strstr(text(&s->out), "GFP_ATOMIC = 0x820 in 6.13"));
	assert_non_null(strstr(text(&s->out), "may sleep:   no"));
	/* __GFP_HIGH: min/2, ALLOC_NON_BLOCK another quarter: 3/8 (__zone_watermark_ok) */
	assert_non_null(strstr(text(&s->out), "3/8 of the min watermark"));
	assert_int_equal(session_run_line(s, "help GFP_WAIT"), -1);
	assert_non_null(strstr(text(&s->err), "__GFP_DIRECT_RECLAIM"));
	end_session(s);
}

/* help TOPIC reaches the topic: no command has its name (a prefix would
 * win), it prints every paragraph of the topic, and its text fits an
 * 80-column terminal */
static void every_topic__is_reachable_and_fits_80_columns(void **state)
{
	(void)state;
	int n = 0;
	for (const struct help_topic *t = help_topics; t->name; t++, n++) {
		const struct cmd *c = cmd_find(cmd_table, t->name, NULL);
		if (c && strcmp(c->name, t->name) == 0)
			fail_msg("topic %s is also a command", t->name);
		assert_non_null(t->paras[0].text);
		struct session *s = new_session("i386");
		char line[64];
		snprintf(line, sizeof line, "help %s", t->name);
		assert_int_equal(session_run_line(s, line), 0);
		const char *out = text(&s->out);
		assert_true(strlen(out) > 40);
		for (const char *p = out; *p;) {
			size_t len = strcspn(p, "\n");
			if (len > 80)
				fail_msg("topic %s: a line of %zu columns", t->name, len);
			p += len + (p[len] ? 1 : 0);
		}
		/* each paragraph's first word is there, a tagged item with its tag */
		int paras = 0;
		for (const struct help_para *pa = t->paras; pa->text; pa++, paras++) {
			char first[64];
			snprintf(first, sizeof first, "%.*s", (int)strcspn(pa->text, " \n"), pa->text);
			assert_non_null(strstr(out, first));
			if (pa->tag) {
				char tagged[80];
				snprintf(tagged, sizeof tagged, "\n%s%*s%s", pa->tag, pa->indent - (int)strlen(pa->tag), "",
					 first);
				if (!strstr(out, tagged))
					fail_msg("topic %s: no '%s'", t->name, tagged + 1);
			}
		}
		assert_true(paras >= 1);
		end_session(s);
	}
	/* the five at least */
	assert_true(n >= 5);
}

/* help covers every flag of the GFP tables: every name either kernel
 * reads (its own and its trace table's) is explained bit by bit */
static void every_gfp_name__has_help_in_its_kernel(void **state)
{
	(void)state;
	const char *arches[] = { "i386", "x86_64" };   /* 2.6.32 and 6.13 */
	for (int a = 0; a < 2; a++) {
		struct session *s = new_session(arches[a]);
		const char *name;
		for (size_t i = 0; (name = gfp_name_at(s->m->kp, i)); i++) {
			char line[96];
			snprintf(line, sizeof line, "help %s", name);
			out_free(&s->out);
			if (session_run_line(s, line) != 0)
				fail_msg("%s: help %s fails: %s", s->m->kp->version, name, text(&s->err));
			if (strstr(text(&s->out), "not a flag of this kernel") || strstr(text(&s->out), "(no name)"))
				fail_msg("%s: help %s has a bit without a meaning:\n%s", s->m->kp->version, name,
					 text(&s->out));
		}
		end_session(s);
	}
}

/* The views a group's help points to exist: every /proc file is one cat
 * serves, every "show WHAT" a show subcommand. */
static void group_views__name_files_and_views_that_exist(void **state)
{
	(void)state;
	struct session *s = new_session("i386");
	for (int g = 0; g < HG_COUNT; g++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s", help_group_views[g]);
		char *save = NULL, *prev = "";
		for (char *w = strtok_r(buf, " ,;()", &save); w; prev = w, w = strtok_r(NULL, " ,;()", &save)) {
			if (strncmp(w, "/proc/", 6) == 0) {
				bool found = false;
				const char *f;
				for (size_t i = 0; (f = cli_cat_file_at(s->m, i)); i++)
					found |= strcmp(f, w) == 0;
				if (!found)
					fail_msg("group %s: cat does not serve %s", help_groups[g].key, w);
			}
			if (strcmp(prev, "show") == 0) {
				const struct cmd *c = cmd_find(show_table, w, NULL);
				if (!c || strcmp(c->name, w))
					fail_msg("group %s: no show %s", help_groups[g].key, w);
			}
		}
	}
	end_session(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_command__has_help_with_a_prototype_and_a_group),
		cmocka_unit_test(every_related_name__is_a_command),
		cmocka_unit_test(not_modelled_entries__name_no_command),
		cmocka_unit_test(every_example__runs),
		cmocka_unit_test(unknown_kernel_call__says_not_modelled_not_did_you_mean),
		cmocka_unit_test(gfp__decodes_for_the_machines_kernel),
		cmocka_unit_test(every_topic__is_reachable_and_fits_80_columns),
		cmocka_unit_test(every_gfp_name__has_help_in_its_kernel),
		cmocka_unit_test(group_views__name_files_and_views_that_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
