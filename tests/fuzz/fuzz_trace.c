/*
 * fuzz_trace.c - libFuzzer harness for the trace parser and the replay:
 * every line of the input goes through trace_parse_line() (which must only
 * read the bytes it is given and say what each line is), then the whole
 * input is replayed, through the reader (plain or gzip), into a small
 * x86_64 machine, which must pass the invariant checker afterwards.  Each
 * line must also parse to the same event, field by field, as with the
 * parser before the one-pass rewrite (trace_parse_ref.c).  Build
 * and run with `make fuzz FUZZERS=trace` (needs clang; CI: make fuzz-ci); seeds in tests/fuzz/trace-corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmemsh/trace.h"
#include "trace_parse_ref.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_input(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* each line in its own allocation, so ASan sees any read past it */
	const uint8_t *p = data, *end = data + size;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = malloc(len ? len : 1);
		if (!line)
			return 0;
		memcpy(line, p, len);
		struct trace_event ev;
		trace_parse_line(line, len, &ev);
		if (ev.type < TEV_NONE || ev.type > TEV_BAD || (ev.type == TEV_BAD && !ev.why))
			abort();
		if (!trace_parse_same_as_ref(line, len)) {
			fprintf(stderr, "parsed differently from the reference parser: %.*s\n", (int)len, line);
			abort();
		}
		free(line);
		p += len + 1;
	}

	/* the input as a file (the reader opens paths): in tmpfs when there
	 * is one, unlinked first so that no filesystem flushes on truncation */
	if (!path[0]) {
		atexit(remove_input);
		snprintf(path, sizeof path, "%s/kmemsh-fuzz-trace.%d", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
			 (int)getpid());
	}
	unlink(path);
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	/* one machine for many inputs (booting is the slow part); a fresh
	 * one every 256, so that leftovers do not fill it */
	static struct machine *m;
	static unsigned uses;
	char err[256];
	if (m && ++uses % 256 == 0) {
		machine_destroy(m);
		m = NULL;
	}
	if (!m) {
		struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 64u << 20 };
		if (machine_create(&cfg, &m, err, sizeof err))
			abort();
	}
	struct trace_reader *r;
	if (trace_reader_open(&r, path, err, sizeof err) == 0) {
		struct replay_opts o = { .exact_pfn = size & 1 };
		struct replay_report *rep;
		if (replay_run(m, r, &o, &rep, err, sizeof err) == 0)
			replay_report_free(rep);
		trace_reader_close(r);
	}
	if (machine_check(m)) {
		fprintf(stderr, "model inconsistent after replay: %s\n", m->err);
		abort();
	}
	return 0;
}
