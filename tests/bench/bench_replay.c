/*
 * bench_replay.c - trace replay figures for `make bench` (printed, never
 * asserted):
 *
 *   1. replay of the whole sample trace, decompressed to a file first, in
 *      events per second (wall and CPU time, best of 3, a fresh 4 GiB
 *      2-CPU x86_64 machine each time), and of the gzip file itself
 *   2. in the same run, `zcat` of the same trace to /dev/null, and `awk`
 *      counting the lines of the decompressed file: what reading it costs
 *      without a model
 *   3. host memory: bytes of the replay's maps per live traced object (at
 *      the peak)
 *
 * The trace: $KMEMSH_BENCH_TRACE, else ../shared/traces/kmem-ftrace-sample.txt.gz
 * (the sample, x86_64 6.18), else the slice in tests/data/.
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "kmemsh/machine.h"
#include "kmemsh/trace.h"

static double now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double children_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec * 1e-6;
}

struct run {
	double wall, cpu;
	uint64_t events, host_bytes, max_live, max_traced;
};

static struct run replay_once(const char *path)
{
	struct machine_config cfg = { .arch = "x86_64", .mem_bytes = 4ull << 30, .ncpus = 2 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	struct trace_reader *r;
	if (trace_reader_open(&r, path, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	struct replay_opts o = { 0 };
	struct replay_report *rep;
	double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (replay_run(m, r, &o, &rep, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	struct run out = { .wall = now(CLOCK_MONOTONIC) - w0, .cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0,
			   .events = rep->events, .host_bytes = rep->host_bytes, .max_live = rep->max_live_objects,
			   .max_traced = rep->max_live_traced };
	replay_report_free(rep);
	trace_reader_close(r);
	machine_destroy(m);
	return out;
}

static struct run best_of(const char *path, int n)
{
	struct run best = replay_once(path);
	for (int i = 1; i < n; i++) {
		struct run r = replay_once(path);
		if (r.wall < best.wall)
			best = r;
	}
	return best;
}

/* wall and CPU seconds of a shell command (best of n) */
static void time_cmd(const char *cmd, int n, double *wall, double *cpu)
{
	*wall = *cpu = 1e9;
	for (int i = 0; i < n; i++) {
		double c0 = children_cpu(), w0 = now(CLOCK_MONOTONIC);
		if (system(cmd) != 0) {
			fprintf(stderr, "bench: '%s' failed\n", cmd);
			*wall = *cpu = 0;
			return;
		}
		double w = now(CLOCK_MONOTONIC) - w0, c = children_cpu() - c0;
		if (w < *wall)
			*wall = w;
		if (c < *cpu)
			*cpu = c;
	}
}

int main(void)
{
	const char *gz = getenv("KMEMSH_BENCH_TRACE");
	if (!gz || access(gz, R_OK))
		gz = access("../shared/traces/kmem-ftrace-sample.txt.gz", R_OK) == 0
			     ? "../shared/traces/kmem-ftrace-sample.txt.gz"
			     : "tests/data/kmem-x86_64-6.18-head20k.txt.gz";
	char plain[] = "/tmp/kmemsh-bench-trace.XXXXXX";
	int fd = mkstemp(plain);
	gzFile in = gzopen(gz, "rb");
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!in || !out) {
		fprintf(stderr, "bench: cannot read %s or write %s\n", gz, plain);
		return 1;
	}
	static char buf[1 << 16];
	int n;
	uint64_t bytes = 0;
	while ((n = gzread(in, buf, sizeof buf)) > 0) {
		fwrite(buf, 1, (size_t)n, out);
		bytes += (uint64_t)n;
	}
	gzclose(in);
	fclose(out);

	printf("trace: %s (%.1f MB decompressed)\n", gz, (double)bytes / 1e6);
	struct run p = best_of(plain, 3), g = best_of(gz, 3);
	printf("  %-44s %8.3f s wall %8.3f s cpu  %6.2fM events/s (wall) %6.2fM events/s (cpu)  (goal >= 5M)\n",
	       "replay, plain file:", p.wall, p.cpu, (double)p.events / p.wall / 1e6, (double)p.events / p.cpu / 1e6);
	printf("  %-44s %8.3f s wall %8.3f s cpu  %6.2fM events/s (wall) %6.2fM events/s (cpu)\n",
	       "replay, gzip file:", g.wall, g.cpu, (double)g.events / g.wall / 1e6, (double)g.events / g.cpu / 1e6);
	char cmd[512];
	double w, c;
	snprintf(cmd, sizeof cmd, "zcat '%s' > /dev/null", gz);
	time_cmd(cmd, 3, &w, &c);
	printf("  %-44s %8.3f s wall %8.3f s cpu  (replay of the plain file is %.2fx its time, goal < 1x)\n",
	       "zcat alone, same trace:", w, c, w > 0 ? p.wall / w : 0);
	snprintf(cmd, sizeof cmd, "awk 'END { print NR }' '%s' > /dev/null", plain);
	time_cmd(cmd, 3, &w, &c);
	printf("  %-44s %8.3f s wall %8.3f s cpu\n", "awk counting its lines (plain file):", w, c);
	printf("  host memory: %llu bytes of maps; at the peak %llu live traced objects and page blocks "
	       "(%llu objects): %.0f bytes per live traced thing\n",
	       (unsigned long long)p.host_bytes, (unsigned long long)p.max_traced, (unsigned long long)p.max_live,
	       p.max_traced ? (double)p.host_bytes / (double)p.max_traced : 0.0);
	unlink(plain);
	return 0;
}
