/*
 * cmd_replay.c - replay FILE|- [--exact-pfn] [--no-pages] [--timeline FILE.csv] [--top N] [--json]
 *
 * Replays a kernel allocation trace (src/trace/) into the session's
 * machine, which keeps the replayed state to explore afterwards, and has
 * view/ render the report.  At a terminal, a progress line goes to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_int.h"
#include "kmemsh/trace.h"

static void progress(void *arg, uint64_t events, uint64_t done, uint64_t total, double seconds)
{
	(void)arg;
	char buf[160];
	view_replay_progress(buf, sizeof buf, events, done, total, seconds);
	fputs(buf, stderr);
	fflush(stderr);
}

int cmd_replay(struct session *s, int argc, char **argv, struct step_result *r)
{
	(void)r;
	struct replay_opts o = { 0 };
	const char *path = NULL, *csv = NULL;
	unsigned long top = 10;
	bool json = s->json;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--exact-pfn") == 0) {
			o.exact_pfn = true;
		} else if (strcmp(a, "--no-pages") == 0) {
			o.no_pages = true;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--timeline") == 0 || strcmp(a, "--top") == 0) {
			if (i + 1 == argc) {
				session_error(s, "%s needs a value", a);
				return -1;
			}
			if (strcmp(a, "--timeline") == 0) {
				csv = argv[++i];
			} else {
				char *end;
				errno = 0;
				top = strtoul(argv[++i], &end, 10);
				if (*end || end == argv[i] || errno || top == 0 || top > 100000) {
					session_error(s, "--top %s: expected a number from 1 to 100000", argv[i]);
					return -1;
				}
			}
		} else if (a[0] == '-' && a[1]) {
			session_error(s, "unknown option '%s' (try help replay)", a);
			return -1;
		} else if (path) {
			session_error(s, "one trace at a time ('%s' and '%s')", path, a);
			return -1;
		} else {
			path = a;
		}
	}
	if (!path) {
		session_error(s, "which trace? (a file, or - for standard input)");
		return -1;
	}
	if (cmd_need_slab(s))
		return -1;
	char jailed[4096];
	if (s->source_dir) {
		/* the fuzzer's jail, as for `source` */
		if (strcmp(path, "-") == 0 || strchr(path, '/') || path[0] == '.') {
			session_error(s, "'%s': only files in %s may be replayed here", path, s->source_dir);
			return -1;
		}
		snprintf(jailed, sizeof jailed, "%s/%s", s->source_dir, path);
		path = jailed;
	}
	FILE *cf = NULL;
	if (csv && !(cf = fopen(csv, "w"))) {
		session_error(s, "cannot write '%s': %s", csv, strerror(errno));
		return -1;
	}
	char err[512];
	struct trace_reader *tr;
	if (strcmp(path, "-") == 0)
		out_flush(&s->out);
	if (trace_reader_open(&tr, path, err, sizeof err)) {
		session_error(s, "%s", err);
		if (cf)
			fclose(cf);
		return -1;
	}
	bool bar = !s->quiet && isatty(STDERR_FILENO);
	if (bar)
		o.progress = progress;
	struct replay_report *rep;
	int rc = replay_run(s->m, tr, &o, &rep, err, sizeof err);
	trace_reader_close(tr);
	if (bar)
		fputs("\r\033[K", stderr);
	if (rc) {
		session_error(s, "%s", err);
		if (cf)
			fclose(cf);
		return -1;
	}
	int ret = 0;
	if (cf) {
		struct out co;
		out_init_file(&co, cf);
		view_replay_timeline_csv(&co, s->m, rep);
		out_free(&co);
		if (fclose(cf)) {
			session_error(s, "cannot write '%s': %s", csv, strerror(errno));
			ret = -1;
		}
	}
	s->out.json = json;
	view_replay(&s->out, s->m, rep, (unsigned)top);
	s->out.json = s->json;
	replay_report_free(rep);
	return ret;
}
