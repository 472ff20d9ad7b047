/*
 * bench_kmemsh.c - the performance table (`make bench`).  It prints
 * figures next to a baseline measured in the same run; it never asserts on
 * time (machines here are shared and noisy).
 *
 *   1. model API: order-0 alloc+free pair from a fully merged zone (ten
 *      splits and ten merges, --pcp off), and the same pair through the
 *      per-CPU lists (the default), next to glibc malloc(4096)+free
 *   2. model API: random-order (0..10) alloc/free mix
 *   3. a 1M-line scripted session through the real binary (-q): commands/s
 *   4. boot of --arch x86_64 --mem 1G and --mem 1T, and of each profile's
 *      default machine (goal < 5 ms): wall time and max RSS,
 *      and --from of a real 24 GiB machine's snapshot (run from the top of
 *      the tree, as make bench does),
 *      and host bytes per materialized simulated page
 *   5. page tables: a walk of a direct-map address (a 1G leaf) and of a
 *      4 KiB-mapped one, a virt_to_phys + phys_to_virt round trip, boot's
 *      page-table build at 1 GiB and 1 TiB, host bytes per table page
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kmemsh/buddy.h"
#include "kmemsh/machine.h"
#include "kmemsh/pgtable.h"
#include "kmemsh/physaddr.h"
#include "kmemsh/slab.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct machine *boot_pcp(const char *arch, uint64_t mem, bool pcp_off)
{
	struct machine_config cfg = { .arch = arch, .mem_bytes = mem, .pcp_off = pcp_off };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	m->log.enabled = false;
	return m;
}

static struct machine *boot(const char *arch, uint64_t mem)
{
	return boot_pcp(arch, mem, false);
}

static volatile uintptr_t sink;

static double bench_glibc(size_t size, long n)
{
	double t0 = now();
	for (long i = 0; i < n; i++) {
		void *p = malloc(size);
		sink += (uintptr_t)p;
		free(p);
	}
	return (now() - t0) * 1e9 / (double)n;
}

static double bench_pair(long n, bool pcp)
{
	struct machine *m = boot_pcp("x86_64", 4ull << 30, !pcp);
	uint64_t pfn;
	/* --pcp off: Normal holds only order-10 blocks, so each pair splits ten
	 * times and merges ten times (movable: no migratetype fallback).  With
	 * the per-CPU lists: the first allocation refills the list, then each
	 * pair takes the list's head and puts it back (rmqueue_pcplist(),
	 * free_unref_page_commit()), the kernel's fast path */
	const gfp_t gfp = 0xcc0 | 0x08;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		if (buddy_alloc_pages(m, gfp, 0, &pfn) || buddy_free_pages(m, pfn, 0)) {
			fprintf(stderr, "bench: pair failed: %s\n", m->err);
			exit(1);
		}
	}
	double ns = (now() - t0) * 1e9 / (double)n;
	machine_destroy(m);
	return ns;
}

static double bench_mix(long n)
{
	struct machine *m = boot("x86_64", 4ull << 30);
	enum { LIVE = 512 };
	uint64_t pfn[LIVE];
	unsigned order[LIVE];
	int used[LIVE] = { 0 };
	uint64_t rng = 88172645463325252ull;
	long ops = 0;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		unsigned slot = (unsigned)(rng % LIVE);
		if (used[slot]) {
			buddy_free_pages(m, pfn[slot], order[slot]);
			used[slot] = 0;
		} else {
			order[slot] = (unsigned)((rng >> 20) % 11);
			used[slot] = buddy_alloc_pages(m, 0xcc0, order[slot], &pfn[slot]) == 0;
		}
		ops++;
	}
	double ns = (now() - t0) * 1e9 / (double)ops;
	machine_destroy(m);
	return ns;
}

static double bench_kmalloc(const char *arch, size_t size, long n)
{
	struct machine *m = boot(arch, 4ull << 30 > (3ull << 30) && strcmp(arch, "i386") == 0 ? 1ull << 30 : 4ull << 30);
	gfp_t gfp;
	gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL);
	uint64_t a;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		if (slab_kmalloc(m, size, gfp, &a) || !a || slab_kfree(m, a)) {
			fprintf(stderr, "bench: kmalloc pair failed: %s\n", m->err);
			exit(1);
		}
	}
	double ns = (now() - t0) * 1e9 / (double)n;
	machine_destroy(m);
	return ns;
}

/* host bytes per live object of a cache holding 1M objects */
static double bench_cache_bytes(void)
{
	struct machine *m = boot("x86_64", 4ull << 30);
	int c;
	if (slab_cache_create(m, "bench", 64, 0, 0, &c))
		exit(1);
	gfp_t gfp;
	gfp_parse(m->kp, "GFP_KERNEL", &gfp, NULL);
	size_t before = machine_host_bytes(m);
	struct slab_state *st = m->slab;
	size_t slabs_before = st->cap_slabs * sizeof(struct slab);
	long n = 1000000;
	uint64_t a;
	for (long i = 0; i < n; i++)
		if (slab_cache_alloc(m, c, gfp, &a) || !a)
			exit(1);
	size_t obj_bytes = 0;
	for (uint32_t i = 0; i < st->nr_slabs; i++)
		if (st->slabs[i].cache != SLAB_NONE)
			obj_bytes += st->slabs[i].objects * (sizeof *st->slabs[i].fp + sizeof *st->slabs[i].req);
	size_t total = machine_host_bytes(m) - before + st->cap_slabs * sizeof(struct slab) - slabs_before + obj_bytes +
		       st->map.cap * sizeof *st->map.slot;
	machine_destroy(m);
	return (double)total / (double)n;
}

/* run the binary, return wall seconds and max RSS (KiB) */
static int run_bin(char *const argv[], const char *stdin_path, double *secs, long *rss_kb)
{
	fflush(stdout);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (stdin_path && !freopen(stdin_path, "r", stdin))
			_exit(127);
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*secs = now() - t0;
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ns per walk of n addresses spread over [base, base + span) */
static double bench_walk(const struct machine *m, uint64_t base, uint64_t span, long n)
{
	struct pt_walk w;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		pgtable_walk(m, base + (((uint64_t)i * 0x9e3779b1u) % span & ~7ull), &w);
		sink += (uintptr_t)w.phys;
	}
	return (now() - t0) * 1e9 / (double)n;
}

static double bench_round_trip(struct machine *m, long n)
{
	uint64_t span = m->max_low_pfn << 12, pa, va;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		uint64_t a = m->layout.page_offset + (((uint64_t)i * 0x9e3779b1u) % span);
		if (vm_virt_to_phys(m, a, &pa) || vm_phys_to_virt(m, pa, &va))
			exit(1);
		sink += (uintptr_t)va;
	}
	return (now() - t0) * 1e9 / (double)n;
}

/* machine_create() time, best of five, and its page-table pages */
static double bench_boot(uint64_t mem, size_t *tables)
{
	double best = 1e9;
	for (int k = 0; k < 5; k++) {
		double t0 = now();
		struct machine *m = boot("x86_64", mem);
		double t = now() - t0;
		*tables = m->pt->nt;
		machine_destroy(m);
		if (t < best)
			best = t;
	}
	return best * 1e3;
}

int main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : (getenv("KMEMSH_BIN") ? getenv("KMEMSH_BIN") : "build/kmemsh");
	long n = 2000000;

	printf("%-58s %12s %14s\n", "benchmark", "kmemsh", "baseline");
	/* ratios to glibc: best of five interleaved rounds for both sides, so
	 * that a noisy neighbour does not decide them */
	double glibc = 1e9, pair = 1e9, pcp = 1e9;
	for (int r = 0; r < 5; r++) {
		glibc = fmin(glibc, bench_glibc(4096, n / 2));
		pair = fmin(pair, bench_pair(n / 2, false));
		pcp = fmin(pcp, bench_pair(n / 2, true));
	}
	printf("%-58s %9.1f ns %11.1f ns   (%.2fx glibc; goal <= 3x)\n",
	       "order-0 alloc+free pair, 10 splits + 10 merges (pcp off)", pair, glibc, pair / glibc);
	printf("%-58s %9.1f ns %11.1f ns   (%.2fx glibc; goal <= 2x)\n",
	       "order-0 alloc+free pair through the pcp lists", pcp, glibc, pcp / glibc);
	double mix = bench_mix(n);
	printf("%-58s %9.1f ns %11.1f ns   (glibc malloc(4096)+free pair)\n",
	       "random-order (0..10) alloc/free mix, per operation", mix, glibc);

	/* the kmalloc rows, the same way */
	const size_t ks[] = { 64, 256 };
	for (int i = 0; i < 2; i++) {
		double g = 1e9, k = 1e9, k2 = 1e9;
		for (int r = 0; r < 5; r++) {
			g = fmin(g, bench_glibc(ks[i], n / 2));
			k = fmin(k, bench_kmalloc("x86_64", ks[i], n / 2));
			k2 = fmin(k2, bench_kmalloc("i386", ks[i], n / 2));
		}
		char label[80];
		snprintf(label, sizeof label, "kmalloc+kfree pair, %zu bytes (SLUB, 6.13)", ks[i]);
		printf("%-58s %9.1f ns %11.1f ns   (%.2fx glibc malloc(%zu)+free; goal <= 1.5x)\n", label, k, g, k / g, ks[i]);
		k = k2;
		snprintf(label, sizeof label, "kmalloc+kfree pair, %zu bytes (SLAB, 2.6.32)", ks[i]);
		printf("%-58s %9.1f ns %11.1f ns   (%.2fx glibc malloc(%zu)+free; goal <= 1.5x)\n", label, k, g, k / g, ks[i]);
	}
	printf("%-58s %9.2f B\n", "host bytes per object, 64-byte cache with 1M live objects", bench_cache_bytes());

	/* page tables */
	{
		struct machine *m = boot("x86_64", 4ull << 30);
		double big = 1e9, small = 1e9, hw = 1e9;
		for (int r = 0; r < 5; r++) {
			big = fmin(big, bench_walk(m, m->layout.page_offset + (1ull << 30), 1ull << 30, n / 2));
			/* [1 MiB, 2 MiB) is mapped with 4 KiB pages (split_mem_range()'s head) */
			small = fmin(small, bench_walk(m, m->layout.page_offset + 0x100000, 0x100000, n / 2));
			hw = fmin(hw, bench_glibc(64, n / 2));
		}
		printf("%-58s %9.1f ns %11.1f ns   (glibc malloc(64)+free pair)\n",
		       "walk of a direct-map address (1G leaf, 2 levels)", big, hw);
		printf("%-58s %9.1f ns %11.1f ns   (glibc malloc(64)+free pair)\n",
		       "walk of a 4 KiB-mapped address (4 levels)", small, hw);
		double rt = 1e9;
		for (int r = 0; r < 5; r++)
			rt = fmin(rt, bench_round_trip(m, n / 2));
		printf("%-58s %9.1f ns %11.1f ns   (glibc malloc(64)+free pair)\n",
		       "virt_to_phys + phys_to_virt round trip", rt, hw);
		machine_destroy(m);
		size_t t1, t2;
		double b1 = bench_boot(1ull << 30, &t1), b2 = bench_boot(1ull << 40, &t2);
		printf("%-58s %9.2f ms %11.2f ms   (1 GiB; %.2fx, goal <= 2x; %zu and %zu table pages)\n",
		       "machine_create, x86_64 1 TiB, with page tables", b2, b1, b2 / b1, t2, t1);
		m = boot("x86_64", 1ull << 40);
		printf("%-58s %9.0f B  %11d B    (the kernel's table page)\n", "host bytes per page-table page",
		       (double)pgtable_host_bytes(m) / (double)m->pt->nt, 4096);
		machine_destroy(m);
	}

	/* 1M-line scripted session */
	char script[] = "/tmp/kmemsh-bench-XXXXXX";
	int fd = mkstemp(script);
	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	FILE *f = fdopen(fd, "w");
	long lines = 1000000;
	for (long i = 0; i < lines / 2; i++)
		fprintf(f, "p%ld = alloc_pages GFP_KERNEL %ld\n__free_pages $p%ld %ld\n", i % 1000, i % 4, i % 1000,
			i % 4);
	fclose(f);
	double secs;
	long rss;
	char *script_argv[] = { (char *)bin, "-q", "-a", "x86_64", script, NULL };
	int rc = run_bin(script_argv, NULL, &secs, &rss);
	printf("%-58s %9.0f /s %11s      (exit %d, goal >= 1M commands/s)\n",
	       "1M-line scripted session (alloc_pages/__free_pages, -q)", (double)lines / secs, "", rc);
	unlink(script);

	/* boot */
	const char *mems[] = { "1G", "1T" };
	for (int i = 0; i < 2; i++) {
		char *boot_argv[] = { (char *)bin, "--arch", "x86_64", "--mem", (char *)mems[i], "-c", "quit", NULL };
		double best = 1e9;
		long best_rss = 0;
		for (int k = 0; k < 5; k++) {
			rc = run_bin(boot_argv, NULL, &secs, &rss);
			if (secs < best)
				best = secs;
			best_rss = rss;
		}
		char label[80];
		snprintf(label, sizeof label, "boot: kmemsh --arch x86_64 --mem %s -c quit", mems[i]);
		printf("%-58s %9.2f ms %8ld KiB RSS   (exit %d; goal for 1T: < 20 ms, < 32 MiB)\n", label,
		       best * 1e3, best_rss, rc);
	}

	/* the default machine of each profile, with its whole boot sequence
	 * (reservations, hashes, boot caches, the frees after boot) */
	{
		static const char *const prof[][2] = {
			{ "i386", "2.6.32" }, { "i386", "6.1" }, { "x86_64", "6.1" }, { "x86_64", "6.13" },
		};
		for (int i = 0; i < 4; i++) {
			char *argv_p[] = { (char *)bin, "--arch", (char *)prof[i][0], "--kernel", (char *)prof[i][1],
					   "-c", "quit", NULL };
			double best = 1e9;
			long best_rss = 0;
			for (int k = 0; k < 5; k++) {
				rc = run_bin(argv_p, NULL, &secs, &rss);
				if (secs < best)
					best = secs;
				best_rss = rss;
			}
			char label[80];
			snprintf(label, sizeof label, "boot: kmemsh -a %s -k %s -c quit (default machine)", prof[i][0],
				 prof[i][1]);
			printf("%-58s %9.2f ms %8ld KiB RSS   (exit %d; goal: < 5 ms)\n", label, best * 1e3, best_rss, rc);
		}
	}

	/* --from of a real 24 GiB machine's snapshot (tests/data/snapshots) */
	{
		char *from_argv[] = { (char *)bin, "-q", "--from", "tests/data/snapshots/x86_64-6.18-fc-24G-2cpu",
				      "-c", "quit", NULL };
		double best = 1e9;
		long best_rss = 0;
		for (int k = 0; k < 5; k++) {
			rc = run_bin(from_argv, NULL, &secs, &rss);
			if (secs < best)
				best = secs;
			best_rss = rss;
		}
		printf("%-58s %9.2f ms %8ld KiB RSS   (exit %d; goal: < 50 ms, < 32 MiB)\n",
		       "--from the 24 GiB x86_64 snapshot of tests/data, -c quit", best * 1e3, best_rss, rc);
	}

	/* host bytes per materialized page */
	struct machine *m = boot("x86_64", 1ull << 40);
	size_t before = machine_host_bytes(m);
	uint64_t mat0 = m->materialized;
	uint64_t pfn;
	for (int i = 0; i < 4096; i++)
		if (buddy_alloc_pages(m, 0xcc0, 10, &pfn))
			break;
	size_t after = machine_host_bytes(m);
	uint64_t pages = (m->materialized - mat0) * CHUNK_PAGES;
	printf("%-58s %9.2f B  %11d B    (goal <= 16; the kernel's struct page)\n",
	       "host bytes per materialized simulated page", (double)(after - before) / (double)pages, 64);
	printf("%-58s %9zu KiB\n", "host memory for page descriptors of a fresh 1 TiB machine", before >> 10);
	machine_destroy(m);
	return 0;
}
