/*
 * fuzz_session.c - libFuzzer harness for the command language: every input
 * is run as lines against a small machine; afterwards the model must pass
 * the invariant checker.  Build and run with `make fuzz` (needs clang).
 * KMEMSH_FUZZ_SLAB=slab|slob picks the slab allocator (default SLAB), and
 * KMEMSH_FUZZ_ARCH=x86_64 the 6.13 machine with SLUB, and
 * KMEMSH_FUZZ_SLUB_DEBUG=FZPU (with x86_64) slub_debug, whose checks read
 * what memset writes; KMEMSH_FUZZ_DEBUG_SLAB=1 SLAB's CONFIG_DEBUG_SLAB;
 * KMEMSH_FUZZ_CPUS=N the number of CPUs (per-CPU slabs and partial lists).
 * `replay` lines are skipped: they read files or stdin (tests/fuzz/fuzz_trace.c
 * fuzzes the replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct session s;
	static int ready;
	char err[256];
	if (!ready) {
		struct machine_config cfg = { .arch = getenv("KMEMSH_FUZZ_ARCH") ? getenv("KMEMSH_FUZZ_ARCH") : "i386",
					      .mem_bytes = 64u << 20, .slab = getenv("KMEMSH_FUZZ_SLAB"),
					      .slub_debug = getenv("KMEMSH_FUZZ_SLUB_DEBUG"),
					      .debug_slab = getenv("KMEMSH_FUZZ_DEBUG_SLAB") != NULL,
					      .ncpus = getenv("KMEMSH_FUZZ_CPUS") ? (unsigned)atoi(getenv("KMEMSH_FUZZ_CPUS")) : 1 };
		if (session_init(&s, &cfg, err, sizeof err))
			abort();
		out_init_buf(&s.out);
		out_init_buf(&s.err);
		s.keep_going = true;
		s.src_name = "fuzz";
		ready = 1;
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* no files, no reset loops: keep the harness hermetic */
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "source") || strstr(line, "quit") || strstr(line, "exit") || strstr(line, "replay"))
			continue;
		session_run_line(&s, line);
		s.out.len = s.err.len = 0;
	}
	free(text);
	if (machine_check(s.m)) {
		fprintf(stderr, "model inconsistent: %s\n", s.m->err);
		abort();
	}
	return 0;
}
