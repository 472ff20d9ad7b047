/*
 * fuzz_session.c - libFuzzer harness for the command language.  Every input
 * is a script: a fresh session reads it through the same bounded stream
 * reader a script file or a pipe goes through (session_run_stream(), so NUL
 * bytes, over-long lines, quit and exit are fuzzed too), with keep_going on;
 * afterwards the model must pass the invariant checker.
 *
 * `source` reads only plain names in a directory the harness creates and
 * fills (see harness_files[]): a small script, one that sources itself
 * (the depth limit), one with an over-long line and one with a NUL byte.
 * Lines that mention `replay` are dropped before reading: replay reads any
 * file or standard input (tests/fuzz/fuzz_trace.c fuzzes the replay).  So
 * are lines with "repe" (`repeat` and its prefixes): a million runs of a
 * command is a legitimate request that outlasts the fuzzer's timeout.
 *
 * The machine: the first byte of the input picks one of configs[] (so one
 * run covers all of them and an input always replays on the same machine),
 * unless KMEMSH_FUZZ_ARCH is set: then KMEMSH_FUZZ_ARCH, KMEMSH_FUZZ_SLAB
 * (slub|slab|slob), KMEMSH_FUZZ_SLUB_DEBUG (FZPU letters),
 * KMEMSH_FUZZ_DEBUG_SLAB=1 and KMEMSH_FUZZ_CPUS=N choose it.
 *
 * Built with -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
 * by `make fuzz-ci` (a bounded run on tests/fuzz/corpus/session/) and
 * `make fuzz`.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmemsh/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct machine_config configs[] = {
	{ .arch = "i386", .mem_bytes = 64u << 20 },                                  /* 2.6.32 SLAB */
	{ .arch = "i386", .mem_bytes = 64u << 20, .slab = "slob" },
	{ .arch = "i386", .mem_bytes = 64u << 20, .slab = "slub" },
	{ .arch = "i386", .mem_bytes = 64u << 20, .debug_slab = true, .ncpus = 2 },
	{ .arch = "x86_64", .mem_bytes = 64u << 20 },                                /* 6.13 SLUB */
	{ .arch = "x86_64", .mem_bytes = 64u << 20, .slub_debug = "FZPU", .ncpus = 2 },
	{ .arch = "i386-pae", .mem_bytes = 64u << 20, .ncpus = 2 },
};

static const struct {
	const char *name;
	const char *text;
	size_t len;                     /* 0: strlen(text) */
} harness_files[] = {
	{ "a.kms", "x = kmalloc 100\nkfree $x\np = alloc_pages GFP_KERNEL 1\n", 0 },
	{ "self.kms", "kmalloc 8\nsource self.kms\n", 0 },
	{ "nul.kms", "kmalloc 8\0kfree\nalloc_page GFP_KERNEL\n", 38 },
	{ "long.kms", NULL, 0 },        /* 5000 'k' then a command: filled in below */
};

static char source_dir[] = "/tmp/kmemsh-fuzz-XXXXXX";
static FILE *devnull;

static void remove_files(void)
{
	char path[sizeof source_dir + 32];
	for (size_t i = 0; i < sizeof harness_files / sizeof harness_files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", source_dir, harness_files[i].name);
		unlink(path);
	}
	rmdir(source_dir);
}

static void make_files(void)
{
	if (!mkdtemp(source_dir))
		abort();
	atexit(remove_files);
	char path[sizeof source_dir + 32];
	for (size_t i = 0; i < sizeof harness_files / sizeof harness_files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", source_dir, harness_files[i].name);
		FILE *f = fopen(path, "w");
		if (!f)
			abort();
		if (harness_files[i].text) {
			size_t n = harness_files[i].len ? harness_files[i].len : strlen(harness_files[i].text);
			fwrite(harness_files[i].text, 1, n, f);
		} else {
			for (int k = 0; k < 5000; k++)
				fputc('k', f);
			fputs("\nalloc_page GFP_KERNEL\n", f);
		}
		fclose(f);
	}
}

static bool mentions_replay(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if ((i + 6 <= n && memcmp(p + i, "replay", 6) == 0) || memcmp(p + i, "repe", 4) == 0)
			return true;
	return false;
}

static struct machine_config pick_config(const uint8_t *data, size_t size)
{
	if (!getenv("KMEMSH_FUZZ_ARCH"))
		return configs[(size ? data[0] : 0) % (sizeof configs / sizeof configs[0])];
	const char *cpus = getenv("KMEMSH_FUZZ_CPUS");
	return (struct machine_config){ .arch = getenv("KMEMSH_FUZZ_ARCH"), .mem_bytes = 64u << 20,
					.slab = getenv("KMEMSH_FUZZ_SLAB"),
					.slub_debug = getenv("KMEMSH_FUZZ_SLUB_DEBUG"),
					.debug_slab = getenv("KMEMSH_FUZZ_DEBUG_SLAB") != NULL,
					.ncpus = cpus ? (unsigned)atoi(cpus) : 1 };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session s;
	char err[256];
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
		make_files();
	}
	if (!size)
		return 0;   /* fmemopen() refuses an empty buffer */
	struct machine_config cfg = pick_config(data, size);
	if (session_init(&s, &cfg, err, sizeof err))
		abort();
	out_init_file(&s.out, devnull);
	out_init_file(&s.err, devnull);
	s.keep_going = true;
	s.source_dir = source_dir;
	/* the input without the lines that mention replay */
	char *text = malloc(size);
	if (!text)
		abort();
	size_t len = 0;
	for (size_t at = 0; at < size; ) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
		if (!mentions_replay(data + at, n)) {
			memcpy(text + len, data + at, n);
			len += n;
		}
		at += n;
	}
	if (len) {
		FILE *f = fmemopen(text, len, "r");
		if (!f)
			abort();
		session_run_stream(&s, f, "fuzz");
		fclose(f);
	}
	free(text);
	if (machine_check(s.m)) {
		fprintf(stderr, "model inconsistent: %s\n", s.m->err);
		abort();
	}
	session_free(&s);
	return 0;
}
