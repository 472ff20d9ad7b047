/*
 * cmd_session.c - the shell's own commands: settings (set), echo, help,
 * source, reset and quit.  Their words are the shell's, not the model's,
 * so they print them here; help reads the one command table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_int.h"
#include "kmemsh/pcp.h"

static int onoff(struct session *s, const char *v, bool *dst)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0) {
		*dst = true;
		return 0;
	}
	if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0) {
		*dst = false;
		return 0;
	}
	session_error(s, "argument 2 '%s': expected on or off", v);
	return -1;
}

/*
 * A fresh machine booted with cfg in place of the session's, as after
 * session_init() (the prompt 5 s after boot), and no variables: their
 * values are addresses in the old machine.  On failure the old machine
 * stays and the error is reported.
 */
static int reboot(struct session *s, const struct machine_config *cfg)
{
	struct machine *nm;
	char err[256];
	if (machine_create(cfg, &nm, err, sizeof err)) {
		session_error(s, "%s", err);
		return -1;
	}
	machine_destroy(s->m);
	s->m = nm;
	s->snap_valid = false;          /* the free counts were the old machine's */
	s->m->clock_us = 5000000;
	for (size_t i = 0; i < s->cap_vars; i++) {
		free(s->vars[i].name);
		s->vars[i].name = NULL;
	}
	s->nvars = 0;
	s->last = (struct value){ V_NONE, 0 };
	return 0;
}

/* set slub_debug [LETTERS|off]: a boot parameter, so the machine reboots
 * with it */
static int set_slub_debug(struct session *s, int argc, char **argv)
{
	if (argc < 3) {
		out_printf(&s->out, "%-12s %s\n", "slub_debug", s->cfg.slub_debug ? s->cfg.slub_debug : "off");
		return 0;
	}
	unsigned f;
	bool off = strcmp(argv[2], "off") == 0;
	if (!off && (strlen(argv[2]) >= sizeof s->slub_debug || machine_parse_slub_debug(argv[2], &f))) {
		session_error(s, "argument 2 '%s': expected letters of F Z P U, or off", argv[2]);
		return -1;
	}
	struct machine_config cfg = s->cfg;
	char letters[sizeof s->slub_debug];
	snprintf(letters, sizeof letters, "%s", argv[2]);
	cfg.slub_debug = off ? NULL : letters;
	if (reboot(s, &cfg))
		return -1;
	memcpy(s->slub_debug, letters, sizeof letters);
	s->cfg.slub_debug = off ? NULL : s->slub_debug;
	if (!s->quiet)
		out_printf(&s->out, "rebooted with slub_debug=%s (a boot parameter): a fresh machine, variables "
			   "cleared\n", off ? "off" : letters);
	return 0;
}

int cmd_set(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	struct { const char *name; bool *flag; } opts[] = {
		{ "show", &s->show }, { "explain", &s->explain }, { "check", &s->check_each },
		{ "keep_going", &s->keep_going }, { "json", &s->json }, { "color", &s->out.color },
	};
	size_t n = sizeof opts / sizeof opts[0];
	if (argc == 1) {
		for (size_t i = 0; i < n; i++)
			out_printf(&s->out, "%-12s %s\n", opts[i].name, opts[i].flag == &s->show && s->show ?
				   (s->brief ? "brief" : "full") : *opts[i].flag ? "on" : "off");
		out_printf(&s->out, "%-12s %s\n", "slub_debug", s->cfg.slub_debug ? s->cfg.slub_debug : "off");
		out_printf(&s->out, "%-12s %s\n", "pcp", pcp_enabled(s->m) ? "on" : "off");
		out_printf(&s->out, "%-12s %u\n", "width", s->width);
		return 0;
	}
	if (strcmp(argv[1], "slub_debug") == 0)
		return set_slub_debug(s, argc, argv);
	/* set pcp on|off: the per-CPU page lists (off drains them) */
	if (strcmp(argv[1], "pcp") == 0) {
		bool on = pcp_enabled(s->m);
		if (argc < 3) {
			out_printf(&s->out, "%-12s %s\n", "pcp", on ? "on" : "off");
			return 0;
		}
		if (onoff(s, argv[2], &on))
			return -1;
		pcp_set_enabled(s->m, on);
		s->cfg.pcp_off = !on;           /* reset keeps it */
		return 0;
	}
	/* set width [N]: the brief form wraps at N columns (0: never) */
	if (strcmp(argv[1], "width") == 0) {
		if (argc < 3) {
			out_printf(&s->out, "%-12s %u\n", "width", s->width);
			return 0;
		}
		uint64_t w;
		if (arg_u64(s, 2, argv[2], "width", 1000, &w))
			return -1;
		if (w && w < 40) {
			session_error(s, "argument 2 '%s': a width of 40 columns or more, or 0 (no wrapping)", argv[2]);
			return -1;
		}
		s->width = (unsigned)w;
		return 0;
	}
	/* set show brief|full|off (on is full) */
	if (strcmp(argv[1], "show") == 0 && argc == 3 && (strcmp(argv[2], "brief") == 0 || strcmp(argv[2], "full") == 0)) {
		s->show = true;
		s->brief = argv[2][0] == 'b';
		return 0;
	}
	if (strcmp(argv[1], "show") == 0 && argc == 2) {
		out_printf(&s->out, "%-12s %s\n", "show", s->show ? (s->brief ? "brief" : "full") : "off");
		return 0;
	}
	if (strcmp(argv[1], "show") == 0 && argc == 3 && strcmp(argv[2], "on") == 0)
		s->brief = false;
	if (strcmp(argv[1], "show") == 0 && argc == 3 && strcmp(argv[2], "off") && strcmp(argv[2], "on")) {
		session_error(s, "argument 2 '%s': expected brief, full (or on) or off", argv[2]);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], opts[i].name) == 0) {
			if (argc < 3) {
				out_printf(&s->out, "%-12s %s\n", opts[i].name, *opts[i].flag ? "on" : "off");
				return 0;
			}
			if (onoff(s, argv[2], opts[i].flag))
				return -1;
			if (opts[i].flag == &s->out.color)
				s->err.color = s->out.color;
			s->out.json = s->json;
			return 0;
		}
	const char *names[8];
	for (size_t i = 0; i < n; i++)
		names[i] = opts[i].name;
	const char *sug = cli_suggest(argv[1], names, n);
	session_error(s, "argument 1 '%s': unknown setting%s%s%s (settings: show, explain, check, keep_going, "
		      "json, color, slub_debug, pcp, width)", argv[1], sug ? " (did you mean " : "", sug ? sug : "", sug ? "?)" : "");
	return -1;
}

/* `echo VALUE > /proc/sys/vm/NAME`: the write a shell's redirection makes */
static int echo_to_file(struct session *s, int argc, char **argv, const char *file)
{
	if (argc != 2) {
		session_error(s, "echo > FILE writes one word (echo VALUE > /proc/sys/vm/NAME)");
		return -1;
	}
	if (strncmp(file, "/proc/sys/vm/", 13) != 0 || !file[13] || strchr(file + 13, '/')) {
		session_error(s, "%s: kmemsh writes only the files of /proc/sys/vm/", file);
		return -1;
	}
	/* drop_caches is a trigger (fs/drop_caches.c), not a stored value */
	if (strcmp(file + 13, "drop_caches") == 0)
		return cmd_drop_caches(s, 2, (char *[]){ argv[0], argv[1], NULL }, NULL);
	return cmd_sysctl_write(s, file + 13, argv[1]);
}

int cmd_echo(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	if (argc >= 3 && strcmp(argv[argc - 2], ">") == 0)
		return echo_to_file(s, argc - 2, argv, argv[argc - 1]);
	if (argc >= 2 && argv[argc - 1][0] == '>' && argv[argc - 1][1])
		return echo_to_file(s, argc - 1, argv, argv[argc - 1] + 1);
	/* the words first, so that an unknown $VAR prints nothing */
	char words[64][32];
	for (int i = 1; i < argc && i <= 64; i++) {
		if (argv[i][0] != '$' || !argv[i][1])
			continue;
		const struct value *v = var_get(s, argv[i] + 1);
		if (!v) {
			session_error(s, "argument %d: no variable '%s'", i, argv[i]);
			return -1;
		}
		if (v->kind == V_NONE) {
			session_error(s, "argument %d: %s has no value yet: no command has returned a result", i, argv[i]);
			return -1;
		}
		snprintf(words[i - 1], sizeof words[i - 1], v->kind == V_NUM ? "%llu" : "%#llx",
			 (unsigned long long)v->u);
	}
	/* JSON: {"echo":[WORD...]}, each $VAR as the text it prints */
	if (s->out.json)
		out_puts(&s->out, "{\"echo\":[");
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i][0] == '$' && argv[i][1] && i <= 64 ? words[i - 1] : argv[i];
		if (s->out.json) {
			if (i > 1)
				out_puts(&s->out, ",");
			out_json_str(&s->out, w);
		} else {
			out_printf(&s->out, "%s%s", i > 1 ? " " : "", w);
		}
	}
	out_puts(&s->out, s->out.json ? "]}\n" : "\n");
	return 0;
}

/* `source FILE`: a regular file or a pipe, read by the script reader.  A
 * directory, a device (/dev/zero) or a socket is refused before reading;
 * with s->source_dir set (the fuzzer) only plain names in that directory. */
int cmd_source(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)r;
	const char *path = argv[1];
	char jailed[4096];
	if (s->source_dir) {
		if (!*path || strchr(path, '/') || strcmp(path, ".") == 0 || strcmp(path, "..") == 0) {
			session_error(s, "'%s': only files in %s may be sourced here", path, s->source_dir);
			return -1;
		}
		snprintf(jailed, sizeof jailed, "%s/%s", s->source_dir, path);
		path = jailed;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		session_error(s, "cannot open '%s': %s", argv[1], strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		session_error(s, "'%s' is not a regular file or a pipe", argv[1]);
		fclose(f);
		return -1;
	}
	int rc = session_run_stream(s, f, argv[1]);
	fclose(f);
	/* each sourced statement showed its changes; the source step itself
	 * shows none (the log still holds the last statement's) */
	changelog_reset(s->m);
	return rc;
}

int cmd_reset(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	if (reboot(s, &s->cfg))
		return -1;
	if (!s->quiet)
		out_printf(&s->out, "reset: a fresh %s machine (%s), variables cleared\n", s->m->arch->name,
			   s->m->kp->version);
	return 0;
}

int cmd_quit(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)argc;
	(void)argv;
	(void)r;
	s->quit = true;
	return 0;
}
