/*
 * bench_vmalloc.c - vmalloc figures for `make bench` (printed, never
 * asserted):
 *
 *   1. vmalloc+vfree of 16 KiB and of 1 MiB through the model API
 *      (x86_64, 6.13: area, pages, PTEs, lazy purge when due), next to a
 *      glibc mmap+munmap of the same size in the same run
 *   2. vmap-area lookup (find_vm_area) with 1k, 10k and 100k live areas,
 *      so that the log-n growth of the busy tree shows
 *   3. ioremap+iounmap of one page of the e1000's registers (x86_64, 6.13)
 *      and kmap+kunmap of a HighMem page (i386, 2.6.32), next to the same
 *      glibc mmap+munmap of a page
 *   4. 6.13's vmap node pools: vmalloc+vfree pairs of 4 KiB and 16 KiB on
 *      a 2-CPU x86_64 machine (2 vmap nodes), next to the same pairs on the
 *      same machine with the node layer off (cfg.vmap_one_node: one node,
 *      no pools, as a kernel before 6.9), best of 3 interleaved rounds.
 *      The pairs free lazily, so every lazy_max_pages() (16384 pages on 2
 *      CPUs) a purge puts the areas into the pool of their size and the
 *      allocations after it take them back with node_alloc(), skipping the
 *      free-tree search, va_clip() and the vmap_area object; without pools
 *      the purge merges each one back into the free tree.  The share of
 *      allocations served from a pool is printed with the times, so the
 *      figure says what the pool fast path buys in the model (and it is
 *      the model's cost, not the kernel's: the kernel's gain is mostly the
 *      lock contention of the global free tree, which one thread does not
 *      have).
 */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/buddy.h"
#include "kmemsh/highmem.h"
#include "kmemsh/ioremap.h"
#include "kmemsh/vmalloc.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct machine *boot(void)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30 };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	m->log.enabled = false;
	return m;
}

static double mmap_pair(int n)
{
	double t0 = now();
	for (int i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			exit(1);
		p[0] = 1;
		munmap((void *)p, 4096);
	}
	return (now() - t0) / n * 1e9;
}

static void io_and_kmap_pairs(int n)
{
	struct machine *m = boot();
	double t0 = now();
	for (int i = 0; i < n; i++) {
		uint64_t a;
		if (ioremap_caller(m, 0xfebc0000ull, 4096, PCM_UC_MINUS, &a, NULL) ||
		    ioremap_iounmap(m, a, NULL)) {
			fprintf(stderr, "bench: ioremap failed: %s\n", m->err);
			exit(1);
		}
	}
	double io = (now() - t0) / n * 1e9;
	machine_destroy(m);
	struct machine_config cfg = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30 };
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err))
		exit(1);
	m->log.enabled = false;
	gfp_t g = 0;
	gfp_parse(m->kp, "GFP_HIGHUSER", &g, NULL);
	uint64_t pfn;
	if (buddy_alloc_pages(m, g, 0, &pfn))
		exit(1);
	t0 = now();
	for (int i = 0; i < n; i++) {
		struct kmap_result r;
		if (highmem_kmap(m, pfn, &r) || highmem_kunmap(m, pfn, &r)) {
			fprintf(stderr, "bench: kmap failed: %s\n", m->err);
			exit(1);
		}
	}
	double km = (now() - t0) / n * 1e9;
	machine_destroy(m);
	double mm = mmap_pair(n);
	printf("ioremap+iounmap, one page         %8.0f ns/pair   (glibc mmap+munmap of a page: %6.0f ns)\n", io, mm);
	printf("kmap+kunmap of a HighMem page     %8.0f ns/pair   (glibc mmap+munmap of a page: %6.0f ns)\n", km, mm);
}

static void pair(uint64_t size, int n)
{
	struct machine *m = boot();
	gfp_t g = 0;
	gfp_parse(m->kp, "GFP_KERNEL", &g, NULL);
	double t0 = now();
	for (int i = 0; i < n; i++) {
		uint64_t a;
		if (vmalloc_alloc(m, size, g, 0, "bench+0x0/0x0", &a) || vfree_area(m, a)) {
			fprintf(stderr, "bench: vmalloc failed: %s\n", m->err);
			exit(1);
		}
	}
	double model = (now() - t0) / n * 1e9;
	t0 = now();
	for (int i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			exit(1);
		munmap((void *)p, size);
	}
	double host = (now() - t0) / n * 1e9;
	printf("vmalloc+vfree %7llu KiB   %10.0f ns/pair   (glibc mmap+munmap: %6.0f ns)\n",
	       (unsigned long long)(size >> 10), model, host);
	machine_destroy(m);
}

static void lookup(unsigned areas)
{
	struct machine *m = boot();
	uint64_t *addr = malloc(areas * sizeof *addr);
	if (!addr)
		exit(1);
	for (unsigned i = 0; i < areas; i++) {
		struct vm_struct *vm;
		if (vmap_area_alloc(m, 4096, 4096, 0, 0, VM_MAP, "bench+0x0/0x0", &vm)) {
			fprintf(stderr, "bench: vmap_area_alloc: %s\n", m->err);
			exit(1);
		}
		addr[i] = vm->addr;
	}
	enum { N = 1000000 };
	uint64_t x = 1, hits = 0;
	double t0 = now();
	for (int i = 0; i < N; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		hits += vmap_find_area(m, addr[(x >> 33) % areas] + 100) != NULL;
	}
	double t = (now() - t0) / N * 1e9;
	printf("find_vm_area with %6u areas   %6.1f ns   (%llu found)\n", areas, t, (unsigned long long)hits);
	free(addr);
	machine_destroy(m);
}

/* 6.13 x86_64, 2 CPUs; one_node: the vmap node layer off */
static struct machine *boot_pools(bool one_node)
{
	struct machine_config cfg = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30, .ncpus = 2,
				      .vmap_one_node = one_node };
	struct machine *m;
	char err[256];
	if (machine_create(&cfg, &m, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	m->log.enabled = false;
	return m;
}

struct pool_run {
	double ns;
	unsigned long hits;     /* allocations node_alloc() served from a pool */
};

/* n vmalloc+vfree pairs after n warm-up pairs (so that the pools have been
 * filled by a purge); hits are counted from the change log of a second,
 * logged run of the same pairs */
static struct pool_run pools_pairs(uint64_t size, int n, bool one_node, bool count)
{
	struct machine *m = boot_pools(one_node);
	struct pool_run r = { 0, 0 };
	gfp_t g = 0;
	gfp_parse(m->kp, "GFP_KERNEL", &g, NULL);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && count) {
			m->log.enabled = true;
		}
		double t0 = now();
		for (int i = 0; i < n; i++) {
			uint64_t a;
			if (count && pass == 1)
				changelog_reset(m);
			if (vmalloc_alloc(m, size, g, 0, "bench+0x0/0x0", &a) || vfree_area(m, a)) {
				fprintf(stderr, "bench: vmalloc failed: %s\n", m->err);
				exit(1);
			}
			if (count && pass == 1)
				for (size_t k = 0; k < m->log.n; k++)
					r.hits += m->log.v[k].kind == CH_VMAP_POOL && m->log.v[k].mt == VMAP_POOL_TAKE;
		}
		if (pass == 1 && !count)
			r.ns = (now() - t0) / n * 1e9;
	}
	machine_destroy(m);
	return r;
}

static void pools_row(uint64_t size, int n)
{
	double best[2] = { 1e30, 1e30 };
	for (int round = 0; round < 3; round++)
		for (int off = 0; off < 2; off++) {
			struct pool_run r = pools_pairs(size, n, off, false);
			if (r.ns < best[off])
				best[off] = r.ns;
		}
	unsigned long hits = pools_pairs(size, n, false, true).hits;
	double t0 = now();
	for (int i = 0; i < n; i++) {
		volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			exit(1);
		p[0] = 1;
		munmap((void *)p, size);
	}
	double host = (now() - t0) / n * 1e9;
	printf("vmalloc+vfree %3llu KiB, 2 vmap nodes %7.0f ns/pair (%4.1f%% from a node pool); one node, no "
	       "pools %7.0f ns/pair   (glibc mmap+munmap: %5.0f ns)\n", (unsigned long long)(size >> 10), best[0],
	       100.0 * (double)hits / n, best[1], host);
}

int main(void)
{
	pair(16 << 10, 20000);
	pair(1 << 20, 500);
	lookup(1000);
	lookup(10000);
	lookup(100000);
	io_and_kmap_pairs(20000);
	pools_row(4 << 10, 40000);
	pools_row(16 << 10, 40000);
	return 0;
}
