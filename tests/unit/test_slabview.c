/*
 * test_slabview.c - the slab layer's views: /proc/slabinfo against the
 * kernel's print_slabinfo_header()/cache_show() format and a real
 * kernel's kmalloc geometry, `show slab`, `show object`, the change log's
 * slab events (text, JSON, explain) and the slab lines of /proc/meminfo
 * and /proc/zoneinfo.
 *
 * Real-kernel fixture: the /proc/slabinfo of an x86_64 Linux 6.18 machine
 * with 2 CPUs (Firecracker VM), kmalloc rows (counts vary; the geometry
 * columns are what the allocator computed):
 *   kmalloc-8k            36     36   8192    4    8 : tunables    0    0    0 : slabdata      9      9      0
 *   kmalloc-4k           289    328   4096    8    8 : tunables    0    0    0 : slabdata     41     41      0
 *   kmalloc-2k           288    288   2048   16    8 : tunables    0    0    0 : slabdata     18     18      0
 *   kmalloc-1k           683    704   1024   16    4 : tunables    0    0    0 : slabdata     44     44      0
 *   kmalloc-512          825   1088    512   16    2 : tunables    0    0    0 : slabdata     68     68      0
 *   kmalloc-256          752    752    256   16    1 : tunables    0    0    0 : slabdata     47     47      0
 *   kmalloc-128         3136   3136    128   32    1 : tunables    0    0    0 : slabdata     98     98      0
 *   kmalloc-64          2284   2432     64   64    1 : tunables    0    0    0 : slabdata     38     38      0
 *   kmalloc-32          1907   3712     32  128    1 : tunables    0    0    0 : slabdata     29     29      0
 *   kmalloc-16          2048   2048     16  256    1 : tunables    0    0    0 : slabdata      8      8      0
 *   kmalloc-8           1536   1536      8  512    1 : tunables    0    0    0 : slabdata      3      3      0
 *   kmalloc-192         2415   2415    192   21    1 : tunables    0    0    0 : slabdata    115    115      0
 *   kmalloc-96          3402   3402     96   42    1 : tunables    0    0    0 : slabdata     81     81      0
 * in that order (the newest cache first), after the header lines
 *   slabinfo - version: 2.1
 *   # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables ...
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemsh/buddy.h"
#include "kmemsh/gfp.h"
#include "kmemsh/machine.h"
#include "kmemsh/slab.h"
#include "kmemsh/view.h"

typedef unsigned long long ull;

/* mm/slab_common.c print_slabinfo_header() */
static const char HEADER[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	" : tunables <limit> <batchcount> <sharedfactor>"
	" : slabdata <active_slabs> <num_slabs> <sharedavail>\n";

/* ---- fixture --------------------------------------------------------------- */

#include "view_fixture.h"
#include "fixture.h"

/* boot(), and machine_create() must have set up the version's slab layer */
static int boot_slab(void **state, const struct machine_config *cfg)
{
	if (boot(state, cfg))
		return -1;
	if (!((struct fx *)*state)->m->slab) {
		fprintf(stderr, "machine_create gave no slab layer\n");
		teardown(state);
		return -1;
	}
	return 0;
}

static int setup_slub_2cpu(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 2 };
	return boot_slab(state, &c);
}

static int setup_slub_1cpu(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 1ull << 30, .ncpus = 1 };
	return boot_slab(state, &c);
}

static int setup_slab_1cpu(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30, .ncpus = 1 };
	return boot_slab(state, &c);
}

static int setup_slab_2cpu(void **state)
{
	struct machine_config c = { .arch = "i386", .kernel = "2.6.32", .mem_bytes = 1ull << 30, .ncpus = 2 };
	return boot_slab(state, &c);
}

/* 4G, two fake nodes (CPU 1 on node 1), slub_debug=F: a debug cache has
 * no cpu slabs, so every object comes from a node's partial list or a
 * new slab */
static int setup_slub_2nodes_debug(void **state)
{
	struct machine_config c = { .arch = "x86_64", .kernel = "6.13", .mem_bytes = 4ull << 30, .ncpus = 2,
				    .nr_nodes = 2, .slub_debug = "F" };
	return boot_slab(state, &c);
}

/* ---- helpers ------------------------------------------------------------------- */

static uint64_t kmalloc(struct machine *m, size_t size, const char *flags)
{
	uint64_t a = 0;
	assert_int_equal(slab_kmalloc(m, size, gfp(m, flags), &a), 0);
	assert_true(a > ZERO_SIZE_PTR);
	return a;
}

static const char *slabinfo(struct fx *f, bool json)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	view_slabinfo(&f->o, f->m);
	return f->o.buf ? f->o.buf : "";
}

static const char *show_slab(struct fx *f, const char *cache, bool json)
{
	int c = slab_cache_find(f->m, cache);
	assert_true(c >= 0);
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	view_slab(&f->o, f->m, c);
	return f->o.buf ? f->o.buf : "";
}

static const char *show_object(struct fx *f, uint64_t addr, bool json)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	view_object(&f->o, f->m, addr);
	return f->o.buf ? f->o.buf : "";
}

static const char *changes(struct fx *f, bool json, bool explain)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	f->o.json = json;
	view_changes(&f->o, f->m, NULL, explain);
	return f->o.buf ? f->o.buf : "";
}

/* The explanation of the change log as one line: explain wraps its
 * paragraphs at 78 columns, indented two spaces. */
static const char *explained(struct fx *f)
{
	const char *t = changes(f, false, true);
	size_t n = 0;
	for (const char *p = t; *p && n + 1 < sizeof f->flat; p++) {
		if (*p != '\n') {
			f->flat[n++] = *p;
			continue;
		}
		f->flat[n++] = ' ';
		while (p[1] == ' ')
			p++;
	}
	f->flat[n] = '\0';
	return f->flat;
}

struct row {
	char name[64];
	unsigned long long active_objs, num_objs, active_slabs, num_slabs, sharedavail;
	unsigned objsize, objperslab, limit, batchcount, shared;
	int pagesperslab;
};

/* One /proc/slabinfo row parsed with cache_show()'s format; true when the
 * line is exactly what that format prints for the parsed values. */
static bool parse_row(const char *line, size_t len, struct row *r)
{
	char copy[256], again[256];
	if (len >= sizeof copy)
		return false;
	memcpy(copy, line, len);
	copy[len] = '\0';
	int end = -1;
	if (sscanf(copy, "%63s %llu %llu %u %u %d : tunables %u %u %u : slabdata %llu %llu %llu%n", r->name,
		   &r->active_objs, &r->num_objs, &r->objsize, &r->objperslab, &r->pagesperslab, &r->limit,
		   &r->batchcount, &r->shared, &r->active_slabs, &r->num_slabs, &r->sharedavail, &end) != 12)
		return false;
	if ((size_t)end != len)
		return false;
	snprintf(again, sizeof again, "%-17s %6llu %6llu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6llu %6llu %6llu",
		 r->name, r->active_objs, r->num_objs, r->objsize, r->objperslab, r->pagesperslab, r->limit,
		 r->batchcount, r->shared, r->active_slabs, r->num_slabs, r->sharedavail);
	return strcmp(again, copy) == 0;
}

/* The row of cache `name` in a /proc/slabinfo text; fails the test if absent. */
static struct row find_row(const char *text, const char *name)
{
	struct row r;
	for (const char *p = text; *p; ) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (p[0] != '#' && strncmp(p, "slabinfo", 8) != 0 && parse_row(p, len, &r) &&
		    strcmp(r.name, name) == 0)
			return r;
		p += len + (e != NULL);
	}
	fail_msg("no slabinfo row for %s", name);
	memset(&r, 0, sizeof r);
	return r;
}

/* Position of a row's line in the text, -1 if absent. */
static long row_pos(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return (long)(p - text);
	return -1;
}

/* ---- a small JSON checker (RFC 8259 grammar, no semantics) ------------------------------------ */

struct js {
	const char *p;
	int depth;
};

static void js_ws(struct js *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static bool js_value(struct js *j);

static bool js_string(struct js *j)
{
	if (*j->p != '"')
		return false;
	for (j->p++; *j->p != '"'; j->p++) {
		if ((unsigned char)*j->p < 0x20)
			return false;
		if (*j->p == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int k = 1; k <= 4; k++)
					if (!isxdigit((unsigned char)j->p[k]))
						return false;
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
				return false;
			}
		}
	}
	j->p++;
	return true;
}

static bool js_number(struct js *j)
{
	const char *s = j->p;
	if (*j->p == '-')
		j->p++;
	if (!isdigit((unsigned char)*j->p))
		return false;
	if (*j->p == '0' && isdigit((unsigned char)j->p[1]))
		return false;
	while (isdigit((unsigned char)*j->p))
		j->p++;
	return j->p > s;
}

static bool js_seq(struct js *j, char close, bool object)
{
	j->p++;
	js_ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		js_ws(j);
		if (object) {
			if (!js_string(j))
				return false;
			js_ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!js_value(j))
			return false;
		js_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != close)
			return false;
		j->p++;
		return true;
	}
}

static bool js_value(struct js *j)
{
	bool ok;
	js_ws(j);
	if (++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{': ok = js_seq(j, '}', true); break;
	case '[': ok = js_seq(j, ']', false); break;
	case '"': ok = js_string(j); break;
	case 't': ok = strncmp(j->p, "true", 4) == 0; j->p += ok ? 4 : 0; break;
	case 'f': ok = strncmp(j->p, "false", 5) == 0; j->p += ok ? 5 : 0; break;
	case 'n': ok = strncmp(j->p, "null", 4) == 0; j->p += ok ? 4 : 0; break;
	default: ok = js_number(j); break;
	}
	j->depth--;
	return ok;
}

/* Each line of text is one JSON value. */
static void assert_json_lines(const char *text)
{
	assert_true(*text);
	for (const char *p = text; *p; ) {
		struct js j = { p, 0 };
		if (!js_value(&j))
			fail_msg("not JSON at offset %ld: %.80s", (long)(j.p - text), j.p);
		js_ws(&j);
		p = j.p;
	}
}

/* ---- /proc/slabinfo ------------------------------------------------------------------------ */

static void slabinfo__any_machine__starts_with_the_version_2_1_header(void **state)
{
	struct fx *f = *state;
	const char *t = slabinfo(f, false);
	assert_int_equal(strncmp(t, HEADER, strlen(HEADER)), 0);
}

static void slabinfo__every_row__parses_and_reprints_with_cache_shows_format(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	const char *t = slabinfo(f, false);
	size_t rows = 0;
	const char *p = t + strlen(HEADER);
	while (*p) {
		const char *e = strchr(p, '\n');
		assert_non_null(e);
		struct row r;
		if (!parse_row(p, (size_t)(e - p), &r))
			fail_msg("row not in cache_show() format: %.*s", (int)(e - p), p);
		rows++;
		p = e + 1;
	}
	size_t live = 0;
	for (uint32_t i = 0; i < f->m->slab->nr_caches; i++)
		live += f->m->slab->caches[i].live;
	assert_int_equal(rows, live);
}

/* The real 6.18 machine's kmalloc geometry (see the top of the file):
 * SLUB's calculate_order() with min_objects 4 * (fls(2) + 1) = 12. */
static void slabinfo__x86_64_2_cpus__kmalloc_8_to_8k_match_the_real_kernels_geometry(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name; unsigned objsize, objperslab; int pages; } real[] = {
		{ "kmalloc-8k", 8192, 4, 8 }, { "kmalloc-4k", 4096, 8, 8 }, { "kmalloc-2k", 2048, 16, 8 },
		{ "kmalloc-1k", 1024, 16, 4 }, { "kmalloc-512", 512, 16, 2 }, { "kmalloc-256", 256, 16, 1 },
		{ "kmalloc-128", 128, 32, 1 }, { "kmalloc-64", 64, 64, 1 }, { "kmalloc-32", 32, 128, 1 },
		{ "kmalloc-16", 16, 256, 1 }, { "kmalloc-8", 8, 512, 1 }, { "kmalloc-192", 192, 21, 1 },
		{ "kmalloc-96", 96, 42, 1 },
	};
	const char *t = slabinfo(f, false);
	long prev = -1;
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		struct row r = find_row(t, real[i].name);
		assert_int_equal(r.objsize, real[i].objsize);
		assert_int_equal(r.objperslab, real[i].objperslab);
		assert_int_equal(r.pagesperslab, real[i].pages);
		/* SLUB has no tunables */
		assert_int_equal(r.limit, 0);
		assert_int_equal(r.batchcount, 0);
		assert_int_equal(r.shared, 0);
		/* and in the real kernel's order */
		long pos = row_pos(t, real[i].name);
		assert_true(pos > prev);
		prev = pos;
	}
}

/* SLUB get_slabinfo(): only free objects on the partial lists are
 * subtracted, so a cpu slab's objects all count as active. */
static void slabinfo__kmalloc_200__kmalloc_256_shows_16_active_objects_in_one_slab(void **state)
{
	struct fx *f = *state;
	struct row r = find_row(slabinfo(f, false), "kmalloc-256");
	assert_int_equal(r.num_objs, 0);
	assert_int_equal(r.num_slabs, 0);
	kmalloc(f->m, 200, "GFP_KERNEL");
	r = find_row(slabinfo(f, false), "kmalloc-256");
	assert_int_equal(r.active_objs, 16);
	assert_int_equal(r.num_objs, 16);
	assert_int_equal(r.active_slabs, 1);
	assert_int_equal(r.num_slabs, 1);
	assert_int_equal(r.sharedavail, 0);
}

/* 2.6.32 enable_cpucache(): objects up to 256 bytes get limit 120,
 * batchcount (limit + 1) / 2 = 60, and shared 8 when there is more than
 * one possible CPU. */
static void slabinfo__slab_2_6_32_2_cpus__size_32_has_tunables_120_60_8(void **state)
{
	struct fx *f = *state;
	struct row r = find_row(slabinfo(f, false), "size-32");
	assert_int_equal(r.objsize, 32);
	assert_int_equal(r.limit, 120);
	assert_int_equal(r.batchcount, 60);
	assert_int_equal(r.shared, 8);
	r = find_row(slabinfo(f, false), "size-4096");
	assert_int_equal(r.limit, 24);
	assert_int_equal(r.batchcount, 12);
	assert_int_equal(r.shared, 8);
	/* above PAGE_SIZE: no shared array */
	r = find_row(slabinfo(f, false), "size-8192");
	assert_int_equal(r.limit, 8);
	assert_int_equal(r.batchcount, 4);
	assert_int_equal(r.shared, 0);
}

static void slabinfo__slab_2_6_32_1_cpu__size_32_has_no_shared_factor(void **state)
{
	struct fx *f = *state;
	struct row r = find_row(slabinfo(f, false), "size-32");
	assert_int_equal(r.limit, 120);
	assert_int_equal(r.batchcount, 60);
	assert_int_equal(r.shared, 0);
}

/* SLAB s_show(): a slab whose objects all went to the array cache is full
 * from the slab's point of view, so every object counts as active. */
static void slabinfo__slab_2_6_32_kmalloc__counts_objects_in_the_array_cache_as_active(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	struct row r = find_row(slabinfo(f, false), "size-256");
	assert_int_equal(r.num_slabs, 1);
	assert_int_equal(r.active_slabs, 1);
	assert_int_equal(r.num_objs, r.objperslab);
	assert_int_equal(r.active_objs, r.objperslab);
}

/* kmem_cache_create() adds the cache at the head of slab_caches */
static void slabinfo__a_new_cache__comes_first_and_is_gone_after_destroy(void **state)
{
	struct fx *f = *state;
	int c;
	assert_int_equal(slab_cache_create(f->m, "test_cache", 100, 0, 0, &c), 0);
	const char *t = slabinfo(f, false);
	assert_int_equal(row_pos(t, "test_cache"), (long)strlen(HEADER));
	assert_int_equal(slab_cache_destroy(f->m, c), 0);
	assert_int_equal(row_pos(slabinfo(f, false), "test_cache"), -1);
}

static void slabinfo__json__has_one_entry_per_live_cache_with_the_rows_numbers(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	const char *t = slabinfo(f, true);
	assert_json_lines(t);
	assert_int_equal(strncmp(t, "{\"slabinfo\":[", 13), 0);
	size_t n = 0;
	for (const char *p = t; (p = strstr(p, "\"name\":")) != NULL; p++)
		n++;
	size_t live = 0;
	for (uint32_t i = 0; i < f->m->slab->nr_caches; i++)
		live += f->m->slab->caches[i].live;
	assert_int_equal(n, live);
	assert_non_null(strstr(t, "{\"name\":\"kmalloc-256\",\"active_objs\":16,\"num_objs\":16,\"objsize\":256,"
			       "\"objperslab\":16,\"pagesperslab\":1,\"limit\":0,\"batchcount\":0,\"sharedfactor\":0,"
			       "\"active_slabs\":1,\"num_slabs\":1,\"sharedavail\":0}"));
}

/* SLOB has no /proc/slabinfo (the CLI refuses); the view prints nothing */
static void slabinfo__slob__prints_nothing(void **state)
{
	struct fx *f = *state;
	enum slab_impl impl = f->m->slab->impl;
	f->m->slab->impl = SLAB_IMPL_SLOB;
	assert_string_equal(slabinfo(f, false), "");
	assert_string_equal(slabinfo(f, true), "{\"slabinfo\":[]}\n");
	f->m->slab->impl = impl;
}

/* ---- show slab ---------------------------------------------------------------------------------- */

static void slab__slub_kmalloc_200__shows_the_cpu_slab_and_its_object_map(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = show_slab(f, "kmalloc-256", false);
	char want[160];
	assert_non_null(strstr(t, "kmalloc-256 (slub, kmalloc cache)\n"));
	assert_non_null(strstr(t, "  object_size 256  size 256  align 256"));
	assert_non_null(strstr(t, "  16 objects per slab of order 0 (1 page)"));
	assert_non_null(strstr(t, "  min_partial 5"));
	assert_non_null(strstr(t, "  allocflags __GFP_COMP\n"));
	snprintf(want, sizeof want, "  cpu 0*: cpu slab pfn 0x%llx, 15 free on its freelist\n", (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "  cpu 1: no cpu slab\n"));
	snprintf(want, sizeof want, "  pfn 0x%llx-0x%llx  page 0x%llx  inuse 1/16  cpu slab of CPU 0\n"
		 "    #...............\n", (ull)oi.slab_pfn, (ull)oi.slab_pfn,
		 (ull)machine_pfn_to_vaddr(f->m, oi.slab_pfn));
	assert_non_null(strstr(t, want));
}

static void slab__slub_full_slab__is_listed_after_the_cpu_slab_on_no_list(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 17; i++)
		kmalloc(f->m, 256, "GFP_KERNEL");
	const char *t = show_slab(f, "kmalloc-256", false);
	const char *cpu = strstr(t, "cpu slab of CPU 0\n    #...............\n");
	const char *full = strstr(t, "no list (full: SLUB does not track full slabs)\n    ################\n");
	assert_non_null(cpu);
	assert_non_null(full);
	assert_true(cpu < full);
	assert_non_null(strstr(t, "  partial  0 slabs\n"));
}

/* SLAB: a refill moves a batch of objects into the array cache; they are
 * free for the user ('a') but in use from the slab's view. */
static void slab__slab_2_6_32__marks_objects_in_array_caches_with_a(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	const char *t = show_slab(f, "size-256", false);
	assert_non_null(strstr(t, "size-256 (slab, kmalloc cache)\n"));
	assert_non_null(strstr(t, "  tunables limit 120 batchcount 60 shared 0"));
	assert_non_null(strstr(t, "  cpu 0*: array cache avail 14 limit 120 batchcount 60 touched yes\n"));
	assert_non_null(strstr(t, "  shared: no shared array\n"));
	assert_non_null(strstr(t, "  full     1 slab: 0x"));
	/* LIFO: the last object pushed, index 14, was handed out */
	assert_non_null(strstr(t, "inuse 15/15 (14 in array caches)"));
	assert_non_null(strstr(t, "\n    aaaaaaaaaaaaaa#\n"));
}

static void slab__more_than_64_slabs__lists_64_and_says_how_many_more(void **state)
{
	struct fx *f = *state;
	/* kmalloc-8k: 4 objects per order-3 slab */
	for (int i = 0; i < 4 * 66; i++)
		kmalloc(f->m, 8192, "GFP_KERNEL");
	const char *t = show_slab(f, "kmalloc-8k", false);
	size_t slabs = 0;
	for (const char *p = t; (p = strstr(p, "\n  pfn 0x")) != NULL; p++)
		slabs++;
	assert_int_equal(slabs, 64);
	assert_non_null(strstr(t, "  \xe2\x80\xa6 and 2 more\n"));
	t = show_slab(f, "kmalloc-8k", true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "],\"more\":2}\n"));
}

static void slab__json__is_valid_and_names_the_cpu_slab(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = show_slab(f, "kmalloc-256", true);
	assert_json_lines(t);
	char want[96];
	snprintf(want, sizeof want, "\"cpus\":[{\"cpu\":0,\"current\":true,\"partial\":[],\"slab\":\"0x%llx\",\"freelist\":15",
		 (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "\"list\":\"cpu\",\"cpu\":0,\"inuse\":1,\"objects\":16"));
	assert_non_null(strstr(t, "\"map\":\"#...............\""));
}

static void slab__slab_2_6_32_json__has_tunables_lists_and_shared_array(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	const char *t = show_slab(f, "size-256", true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"limit\":120,\"batchcount\":60,\"shared\":8"));
	assert_non_null(strstr(t, "\"shared_array\":{\"avail\":0,\"limit\":480}"));
	assert_non_null(strstr(t, "\"full\":{\"count\":1,"));
	assert_non_null(strstr(t, "\"in_array_caches\":14"));
}

/* ---- show object ------------------------------------------------------------------------------------ */

static void object__kmalloc_200__shows_requested_200_in_kmalloc_256(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = show_object(f, a, false);
	char want[192];
	snprintf(want, sizeof want, "0x%llx: kmalloc-256, object 0 of the slab at pfn 0x%llx\n", (ull)a,
		 (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "struct page 0x%llx\n", (ull)machine_page_ptr(f->m, oi.slab_pfn));
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "  state     allocated: requested 200 bytes of kmalloc-256's 256-byte objects "
			       "(56 bytes unused)\n"));
	t = show_object(f, a, true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"cache\":\"kmalloc-256\""));
	assert_non_null(strstr(t, "\"index\":0,"));
	assert_non_null(strstr(t, "\"allocated\":true,\"requested\":200,\"object_size\":256,\"size\":256}"));
}

static void object__inside_an_object__gives_the_object_and_the_offset(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 64, "GFP_KERNEL");
	uint64_t b = kmalloc(f->m, 64, "GFP_KERNEL");
	const char *t = show_object(f, b + 10, false);
	/* after the boot's two vm_structs (IRQ stack, HPET) and the first */
	assert_non_null(strstr(t, ": kmalloc-64, object 3 of the slab"));
	assert_non_null(strstr(t, "  offset    0xa (10) into the object\n"));
}

static void object__slub_freed_object__waits_on_the_cpu_slabs_freelist(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	assert_int_equal(slab_kfree(f->m, a), 0);
	const char *t = show_object(f, a, false);
	assert_non_null(strstr(t, "  state     free, on the freelist of CPU 0's cpu slab\n"));
}

static void object__slab_2_6_32_freed_object__waits_in_the_array_cache(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	assert_int_equal(slab_kfree(f->m, a), 0);
	const char *t = show_object(f, a, false);
	assert_non_null(strstr(t, "  state     free, in CPU 0's array cache (entry 14 of 15"));
}

/* a 28-byte struct slab and 15 bufctls at the start of an on-slab SLAB slab */
static void object__slab_2_6_32_management_area__is_not_an_object(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = show_object(f, machine_pfn_to_vaddr(f->m, oi.slab_pfn) + 4, false);
	assert_non_null(strstr(t, ": in a slab of size-256, but not in an object\n"));
	assert_non_null(strstr(t, "management area"));
}

static void object__large_kmalloc__shows_the_order_and_the_requested_size(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 20000, "GFP_KERNEL");
	uint64_t pfn = 0, off = 0;
	assert_int_equal(machine_vaddr_to_pfn(f->m, a, &pfn, &off), 0);
	const char *t = show_object(f, a, false);
	char want[160];
	snprintf(want, sizeof want, "  pages     order-3 block at pfn 0x%llx (32768 bytes)", (ull)pfn);
	assert_non_null(strstr(t, "a large kmalloc (above the largest kmalloc cache)\n"));
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "requested 20000 bytes"));
	t = show_object(f, a + 0x1010, false);
	assert_non_null(strstr(t, "not a slab object\n"));
	snprintf(want, sizeof want, "  inside    the large kmalloc at 0x%llx, 0x1010 bytes in\n", (ull)a);
	assert_non_null(strstr(t, want));
	t = show_object(f, a, true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"large_kmalloc\":true"));
	assert_non_null(strstr(t, "\"order\":3,\"requested\":20000,\"bytes\":32768}"));
}

static void object__page_allocator_memory__is_not_a_slab_object_and_says_what_the_page_is(void **state)
{
	struct fx *f = *state;
	uint64_t pfn;
	assert_int_equal(buddy_alloc_pages(f->m, gfp(f->m, "GFP_KERNEL"), 0, &pfn), 0);
	const char *t = show_object(f, machine_pfn_to_vaddr(f->m, pfn), false);
	assert_non_null(strstr(t, ": not a slab object\n"));
	assert_non_null(strstr(t, "allocated from the page allocator, not a slab"));
	assert_int_equal(buddy_free_pages(f->m, pfn, 0), 0);
	t = show_object(f, machine_pfn_to_vaddr(f->m, pfn), false);
	assert_non_null(strstr(t, "free in the buddy allocator"));
	t = show_object(f, 0x1000, false);
	assert_non_null(strstr(t, "not a direct-mapped (lowmem) kernel address"));
	t = show_object(f, 0x1000, true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"slab_object\":false,\"direct_map\":false"));
}

/* ---- the change log ----------------------------------------------------------------------------------- */

static void changes__kmalloc_200_on_a_fresh_cache__logs_the_new_slab_the_cpu_slab_and_the_object(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = changes(f, false, false);
	char want[3][160];
	snprintf(want[0], sizeof want[0], "  kmalloc-256: new slab: order-0 block at pfn 0x%llx (16 objects) from "
		 "the buddy allocator\n", (ull)oi.slab_pfn);
	snprintf(want[1], sizeof want[1], "  kmalloc-256: slab at pfn 0x%llx became the cpu slab of CPU 0\n",
		 (ull)oi.slab_pfn);
	snprintf(want[2], sizeof want[2], "  kmalloc-256: allocated object 0 (0x%llx) of the slab at pfn 0x%llx\n",
		 (ull)a, (ull)oi.slab_pfn);
	const char *prev = t;
	for (int i = 0; i < 3; i++) {
		const char *p = strstr(t, want[i]);
		if (!p)
			fail_msg("missing: %s in\n%s", want[i], t);
		assert_true(p >= prev);
		prev = p;
	}
	/* the slab's pages come from the buddy allocator first */
	const char *buddy = strstr(t, ": allocated order-0 block at pfn");
	assert_non_null(buddy);
	assert_true(buddy < strstr(t, want[0]));
}

static void changes__second_slab__logs_the_deactivation_of_the_full_cpu_slab(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 16; i++)
		kmalloc(f->m, 256, "GFP_KERNEL");
	changelog_reset(f->m);
	kmalloc(f->m, 256, "GFP_KERNEL");
	const char *t = changes(f, false, false);
	assert_non_null(strstr(t, "is no longer a cpu slab (deactivated)\n"));
	assert_non_null(strstr(explained(f), "SLUB keeps full slabs on no list"));
}

static void changes__slab_2_6_32_kmalloc__logs_the_refill_of_the_array_cache(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	const char *t = changes(f, false, false);
	char want[160];
	snprintf(want, sizeof want, "  size-256: refill: 15 objects from the slab at pfn 0x%llx to CPU 0's array "
		 "cache\n", (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "  size-256: slab at pfn 0x%llx put on the free list\n", (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	snprintf(want, sizeof want, "  size-256: slab at pfn 0x%llx moved from the free list to the full list\n",
		 (ull)oi.slab_pfn);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(explained(f), "cache_alloc_refill() moved 15 free objects"));
}

/* 121 frees into a 120-entry array cache: cache_flusharray() */
static void changes__slab_2_6_32_full_array_cache__explains_the_flush(void **state)
{
	struct fx *f = *state;
	static uint64_t a[130];
	for (int i = 0; i < 130; i++)
		a[i] = kmalloc(f->m, 200, "GFP_KERNEL");
	/* the refills left some objects in the array: fill it to its limit */
	int c = slab_cache_find(f->m, "size-256");
	const struct slab_cpu *ac = &f->m->slab->caches[c].cpu[0];
	int i = 0;
	while (ac->avail < ac->limit)
		assert_int_equal(slab_kfree(f->m, a[i++]), 0);
	changelog_reset(f->m);
	assert_int_equal(slab_kfree(f->m, a[i]), 0);
	const char *t = changes(f, false, false);
	assert_non_null(strstr(t, "  size-256: flush: 60 objects from CPU 0's array cache back to their slabs\n"));
	t = explained(f);
	assert_non_null(strstr(t, "made room first"));
	assert_non_null(strstr(t, "cache_flusharray() gave its 60 oldest"));
	t = changes(f, true, true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"direction\":\"array_to_slabs\",\"objects\":60,\"cpu\":0"));
}

static void changes__large_kmalloc__names_the_size_and_the_order(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	uint64_t a = kmalloc(f->m, 16384, "GFP_KERNEL");
	uint64_t pfn = 0, off = 0;
	assert_int_equal(machine_vaddr_to_pfn(f->m, a, &pfn, &off), 0);
	const char *t = changes(f, false, false);
	char want[160];
	snprintf(want, sizeof want, "  kmalloc: 16384 bytes from the page allocator: order-2 block at pfn 0x%llx\n",
		 (ull)pfn);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(explained(f), "kmalloc(16384) is above the largest kmalloc cache (8192 bytes)"));
	changelog_reset(f->m);
	assert_int_equal(slab_kfree(f->m, a), 0);
	t = changes(f, false, false);
	snprintf(want, sizeof want, "  kfree: order-2 block at pfn 0x%llx (16384 bytes) given back to the page "
		 "allocator\n", (ull)pfn);
	assert_non_null(strstr(t, want));
}

static void changes__explain__says_why_kmalloc_200_used_kmalloc_256_and_what_a_cpu_slab_is(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	kmalloc(f->m, 200, "GFP_KERNEL");
	const char *flat = explained(f);
	assert_non_null(strstr(flat, "kmalloc(200) came from kmalloc-256 (kmalloc-192, the class below, holds "
				     "only 192 bytes) and 56 of the object's 256 bytes go unused"));
	assert_non_null(strstr(flat, "A cpu slab is the slab a CPU allocates from without taking a lock"));
	assert_non_null(strstr(flat, "so SLUB allocated a new slab"));
}

/*
 * 6.13 with CONFIG_SLUB_CPU_PARTIAL: kmalloc-256 (16 objects a slab) keeps
 * cpu_partial_slabs = DIV_ROUND_UP(52 * 2, 16) = 7 slabs on a CPU's
 * partial list, min_partial = 5.  A full slab that gets an object back
 * goes there and stays even when empty; the 8th such slab drains the list
 * to the node, which discards the empty slab once it holds 5; a slab on
 * the node's list that empties is discarded then too.
 */
static void changes__explain__says_why_an_empty_slab_was_kept_or_given_back(void **state)
{
	struct fx *f = *state;
	enum { SLABS = 10 };
	static uint64_t a[SLABS * 16];
	for (int i = 0; i < SLABS * 16; i++)
		a[i] = kmalloc(f->m, 256, "GFP_KERNEL");
	/* empty the first slab: it went on CPU 0's partial list and stays */
	for (int i = 0; i < 15; i++)
		assert_int_equal(slab_kfree(f->m, a[i]), 0);
	changelog_reset(f->m);
	assert_int_equal(slab_kfree(f->m, a[15]), 0);
	assert_non_null(strstr(explained(f), "stays on a CPU's partial list"));
	assert_null(strstr(changes(f, false, false), "given back"));
	/* one free in each of slabs 1..6: the CPU's list holds 7 */
	for (int s = 1; s <= 6; s++)
		assert_int_equal(slab_kfree(f->m, a[s * 16]), 0);
	/* the next full slab drains it: slab 0, empty, is given back */
	changelog_reset(f->m);
	assert_int_equal(slab_kfree(f->m, a[7 * 16]), 0);
	const char *t = changes(f, false, false);
	assert_non_null(strstr(t, "moved from a cpu partial list to the partial list\n"));
	assert_non_null(strstr(t, "given back to the buddy allocator\n"));
	assert_non_null(strstr(explained(f), "(__put_partials())"));
	/* slab 1 is on the node's list now: emptying it discards it */
	for (int i = 17; i < 31; i++)
		assert_int_equal(slab_kfree(f->m, a[i]), 0);
	changelog_reset(f->m);
	assert_int_equal(slab_kfree(f->m, a[31]), 0);
	assert_non_null(strstr(changes(f, false, false), "given back to the buddy allocator\n"));
	assert_non_null(strstr(explained(f), "(discard_slab())"));
	assert_int_equal(machine_check(f->m), 0);
}

static void changes__json__slab_events_are_valid_json_with_their_kinds(void **state)
{
	struct fx *f = *state;
	changelog_reset(f->m);
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	kmalloc(f->m, 16384, "GFP_KERNEL");
	const char *t = changes(f, true, false);
	assert_json_lines(t);
	assert_non_null(strstr(t, "{\"kind\":\"slab_new\",\"cache\":\"kmalloc-256\",\"zone\":"));
	assert_non_null(strstr(t, "\"objects\":16}"));
	assert_non_null(strstr(t, "{\"kind\":\"slab_list\",\"cache\":\"kmalloc-256\""));
	assert_non_null(strstr(t, "\"from\":\"none\",\"to\":\"cpu\",\"cpu\":0}"));
	char want[96];
	snprintf(want, sizeof want, "\"index\":0,\"addr\":\"0x%llx\",\"requested\":200}", (ull)a);
	assert_non_null(strstr(t, want));
	assert_non_null(strstr(t, "{\"kind\":\"large\",\"zone\":"));
	assert_non_null(strstr(t, "\"action\":\"alloc\""));
	t = changes(f, true, true);
	assert_json_lines(t);
	assert_non_null(strstr(t, "\"explanation\":["));
}

/* ---- /proc/meminfo and /proc/zoneinfo --------------------------------------------------------------- */

static ull meminfo_kb(struct fx *f, const char *label)
{
	out_free(&f->o);
	out_init_buf(&f->o);
	view_meminfo(&f->o, f->m);
	const char *p = strstr(f->o.buf, label);
	if (!p)
		fail_msg("no %s in meminfo", label);
	return strtoull(p + strlen(label), NULL, 10);
}

/* NR_SLAB_*_B: slab pages by SLAB_RECLAIM_ACCOUNT; 6.13 counts large
 * kmallocs as unreclaimable slab too */
static void meminfo__6_13__slab_lines_count_slab_pages_and_large_kmallocs(void **state)
{
	struct fx *f = *state;
	/* boot's slab pages: vmalloc_init()'s vmap_area cache, kmalloc-64's
	 * for the vm_structs of the boot's IRQ stack and HPET, and the struct
	 * kmem_cache of each of the 145 caches boot makes (16 a page: 10
	 * pages) and their struct kmem_cache_node (64 a page: 3) */
	const ull boot = 4 + 4 + 10 * 4 + 3 * 4;
	assert_int_equal(meminfo_kb(f, "Slab:"), boot);
	kmalloc(f->m, 200, "GFP_KERNEL");
	assert_int_equal(meminfo_kb(f, "Slab:"), boot + 4);
	assert_int_equal(meminfo_kb(f, "SUnreclaim:"), boot + 4);
	assert_int_equal(meminfo_kb(f, "SReclaimable:"), 0);
	ull avail = meminfo_kb(f, "MemAvailable:"), mfree = meminfo_kb(f, "MemFree:");
	/* kmalloc-rcl-128: one reclaimable page, counted as available (less
	 * min(half of it, the low watermarks) = 0) */
	kmalloc(f->m, 100, "GFP_KERNEL|__GFP_RECLAIMABLE");
	assert_int_equal(meminfo_kb(f, "SReclaimable:"), 4);
	assert_int_equal(meminfo_kb(f, "KReclaimable:"), 4);
	assert_int_equal(meminfo_kb(f, "Slab:"), boot + 8);
	assert_int_equal(meminfo_kb(f, "MemFree:"), mfree - 4);
	assert_int_equal(meminfo_kb(f, "MemAvailable:"), avail);
	kmalloc(f->m, 20000, "GFP_KERNEL");
	assert_int_equal(meminfo_kb(f, "SUnreclaim:"), boot + 4 + 32);
	assert_int_equal(meminfo_kb(f, "Slab:"), boot + 8 + 32);
}

static void zoneinfo__6_13__per_node_stats_count_the_slab_pages(void **state)
{
	struct fx *f = *state;
	kmalloc(f->m, 200, "GFP_KERNEL");
	kmalloc(f->m, 100, "GFP_KERNEL|__GFP_RECLAIMABLE");
	out_init_buf(&f->o);
	view_zoneinfo(&f->o, f->m);
	assert_non_null(strstr(f->o.buf, "\n      nr_slab_reclaimable 1\n"));
	/* and boot's vmap_area slab (vmalloc_init()), kmalloc-64's (the boot
	 * areas' vm_structs), kmem_cache's 10 and kmem_cache_node's 3 (145
	 * caches) */
	assert_non_null(strstr(f->o.buf, "\n      nr_slab_unreclaimable 16\n"));
	out_free(&f->o);
	f->o.json = true;
	view_zoneinfo(&f->o, f->m);
	assert_non_null(strstr(f->o.buf, "\"nr_slab_reclaimable\":1,\"nr_slab_unreclaimable\":16"));
}

/* 2.6.32 counts NR_SLAB_* per zone: the zone of the slab's pages */
static void zoneinfo__2_6_32__zone_stats_count_slab_pages_in_their_zone(void **state)
{
	struct fx *f = *state;
	uint64_t a = kmalloc(f->m, 200, "GFP_KERNEL");
	struct object_info oi;
	slab_object_info(f->m, a, &oi);
	int z = machine_pfn_zone(f->m, oi.slab_pfn);
	assert_true(z >= 0);
	out_init_buf(&f->o);
	view_zoneinfo(&f->o, f->m);
	char head[64];
	snprintf(head, sizeof head, "Node 0, zone %8s", f->m->zones[z].name);
	const char *zone = strstr(f->o.buf, head);
	assert_non_null(zone);
	const char *next = strstr(zone + 1, "Node 0, zone");
	/* with size-32's and size-64's pages, which the boot's HPET area's
	 * vm_struct (32 bytes) and vmap_area (52) took, and kmem_cache's 2:
	 * 38 struct kmem_cache (the 19 general sizes and their DMA twins) of
	 * ALIGN(8 * 4 + 72 + 4, 64) = 128 bytes, 30 to a page, from the same
	 * zone */
	const char *hit = strstr(zone, "\n    nr_slab_unreclaimable 5\n");
	assert_non_null(hit);
	assert_true(!next || hit < next);
	assert_non_null(strstr(f->o.buf, "\n    nr_slab_reclaimable 0\n"));
	assert_int_equal(meminfo_kb(f, "Slab:"), 20);
}

/*
 * cpu_slabs: 6.13 show_slab_objects() (SO_CPU) reads each CPU's cpu slab,
 * "slab = READ_ONCE(c->slab); if (!slab) continue;", and only then its
 * partial list (slub_percpu_partial_read_once(): slab->slabs) - the same
 * in 6.1.192 and 6.12.118.  A cache of 2048-byte objects (16 a slab):
 * CPU 1 takes 17 objects (slab A full, slab B its cpu slab); CPU 0, which
 * never allocated, frees one of A: __slab_free() puts the full slab on
 * CPU 0's partial list (put_cpu_partial()).  CPU 0 has no cpu slab, so
 * its partial slab is not counted: cpu_slabs = 1 (CPU 1's B), not 2,
 * all on node 0.
 */
static void slab_sysfs__cpu_slabs_skips_a_cpu_without_a_cpu_slab(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	int c;
	assert_int_equal(slab_cache_create(m, "u", 2048, 0, 0, &c), 0);
	assert_int_equal(m->slab->caches[c].g.objects, 16);
	uint64_t a, first = 0;
	assert_int_equal(machine_set_cpu(m, 1), 0);
	for (int i = 0; i < 17; i++) {
		assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
		if (i == 0)
			first = a;
	}
	assert_int_equal(machine_set_cpu(m, 0), 0);
	assert_int_equal(slab_cache_free(m, c, first), 0);
	assert_true(m->slab->caches[c].cpu[0].slab == SLAB_NONE);
	assert_int_equal(m->slab->caches[c].cpu[0].partial_slabs, 1);
	out_free(&f->o);
	out_init_buf(&f->o);
	assert_int_equal(view_slab_sysfs(&f->o, m, c, "/sys/kernel/slab/u/cpu_slabs", "cpu_slabs"), 0);
	/* CONFIG_NUMA: " N%d=%lu" for each node with a count */
	assert_string_equal(f->o.buf ? f->o.buf : "", "1 N0=1\n");
	assert_int_equal(machine_check(m), 0);
}

/*
 * /sys/kernel/slab/NAME/{slabs,total_objects,objects,partial,
 * objects_partial,cpu_slabs}: 6.13 show_slab_objects() from each node's
 * kmem_cache_node (nr_slabs, total_objects from inc_slabs_node()) and
 * partial list.  A slub_debug=F cache of 2048-byte objects: 16 a slab.
 * CPU 1 (node 1) takes 96 objects: 6 full slabs there; CPU 0 (node 0)
 * takes 20: a full slab and one with 4; then one object of each node-1
 * slab goes back, putting all six on node 1's partial list.
 *   slabs           2 + 6 = 8
 *   total_objects   32 + 96 = 128
 *   partial         node 0: the slab with 4; node 1: 6
 *   objects         total less the free objects of the partial slabs:
 *                   32 - 12 = 20, 96 - 6 * 1 = 90
 *   objects_partial the partial slabs' objects in use: 4, 6 * 15 = 90
 *   cpu_slabs       none (a debug cache): "0", no node part
 */
static void slab_sysfs__per_node_counts_as_show_slab_objects(void **state)
{
	struct fx *f = *state;
	struct machine *m = f->m;
	int c;
	assert_int_equal(slab_cache_create(m, "t", 2048, 0, 0, &c), 0);
	assert_int_equal(m->slab->caches[c].g.objects, 16);
	uint64_t a, one[6];
	assert_int_equal(machine_set_cpu(m, 1), 0);
	for (int i = 0; i < 96; i++) {
		assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
		if (i % 16 == 15)
			one[i / 16] = a;
	}
	assert_int_equal(machine_set_cpu(m, 0), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(slab_cache_alloc(m, c, gfp(m, "GFP_KERNEL"), &a), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(slab_cache_free(m, c, one[i]), 0);
	static const struct { const char *attr, *want; } files[] = {
		{ "slabs", "8 N0=2 N1=6\n" },
		{ "total_objects", "128 N0=32 N1=96\n" },
		{ "partial", "7 N0=1 N1=6\n" },
		{ "objects", "110 N0=20 N1=90\n" },
		{ "objects_partial", "94 N0=4 N1=90\n" },
		{ "cpu_slabs", "0\n" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		out_free(&f->o);
		out_init_buf(&f->o);
		assert_int_equal(view_slab_sysfs(&f->o, m, c, "/sys/kernel/slab/t/x", files[i].attr), 0);
		assert_string_equal(f->o.buf ? f->o.buf : "", files[i].want);
	}
	assert_int_equal(machine_check(m), 0);
	/* the checker counts each node's slabs against kmem_cache_node's */
	m->slab->meta[c].nr_slabs[1]++;
	assert_int_equal(machine_check(m), -EUCLEAN);
	assert_non_null(strstr(m->err, "node 1's counters say 7 slabs/96 objects, its slabs are 6/96"));
	m->slab->meta[c].nr_slabs[1]--;
	assert_int_equal(machine_check(m), 0);
}

#define T(fn, setup) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(slab_sysfs__per_node_counts_as_show_slab_objects, setup_slub_2nodes_debug),
		T(slabinfo__any_machine__starts_with_the_version_2_1_header, setup_slub_2cpu),
		T(slabinfo__any_machine__starts_with_the_version_2_1_header, setup_slab_1cpu),
		T(slabinfo__every_row__parses_and_reprints_with_cache_shows_format, setup_slub_2cpu),
		T(slabinfo__every_row__parses_and_reprints_with_cache_shows_format, setup_slab_2cpu),
		T(slabinfo__x86_64_2_cpus__kmalloc_8_to_8k_match_the_real_kernels_geometry, setup_slub_2cpu),
		T(slabinfo__kmalloc_200__kmalloc_256_shows_16_active_objects_in_one_slab, setup_slub_2cpu),
		T(slabinfo__slab_2_6_32_2_cpus__size_32_has_tunables_120_60_8, setup_slab_2cpu),
		T(slabinfo__slab_2_6_32_1_cpu__size_32_has_no_shared_factor, setup_slab_1cpu),
		T(slabinfo__slab_2_6_32_kmalloc__counts_objects_in_the_array_cache_as_active, setup_slab_1cpu),
		T(slabinfo__a_new_cache__comes_first_and_is_gone_after_destroy, setup_slub_1cpu),
		T(slabinfo__a_new_cache__comes_first_and_is_gone_after_destroy, setup_slab_1cpu),
		T(slabinfo__json__has_one_entry_per_live_cache_with_the_rows_numbers, setup_slub_2cpu),
		T(slabinfo__slob__prints_nothing, setup_slab_1cpu),
		T(slab__slub_kmalloc_200__shows_the_cpu_slab_and_its_object_map, setup_slub_2cpu),
		T(slab__slub_full_slab__is_listed_after_the_cpu_slab_on_no_list, setup_slub_1cpu),
		T(slab__slab_2_6_32__marks_objects_in_array_caches_with_a, setup_slab_1cpu),
		T(slab__more_than_64_slabs__lists_64_and_says_how_many_more, setup_slub_1cpu),
		T(slab__json__is_valid_and_names_the_cpu_slab, setup_slub_2cpu),
		T(slab__slab_2_6_32_json__has_tunables_lists_and_shared_array, setup_slab_2cpu),
		T(object__kmalloc_200__shows_requested_200_in_kmalloc_256, setup_slub_2cpu),
		T(object__inside_an_object__gives_the_object_and_the_offset, setup_slub_1cpu),
		T(object__slub_freed_object__waits_on_the_cpu_slabs_freelist, setup_slub_1cpu),
		T(slab_sysfs__cpu_slabs_skips_a_cpu_without_a_cpu_slab, setup_slub_2cpu),
		T(object__slab_2_6_32_freed_object__waits_in_the_array_cache, setup_slab_1cpu),
		T(object__slab_2_6_32_management_area__is_not_an_object, setup_slab_1cpu),
		T(object__large_kmalloc__shows_the_order_and_the_requested_size, setup_slub_1cpu),
		T(object__page_allocator_memory__is_not_a_slab_object_and_says_what_the_page_is, setup_slub_1cpu),
		T(changes__kmalloc_200_on_a_fresh_cache__logs_the_new_slab_the_cpu_slab_and_the_object, setup_slub_2cpu),
		T(changes__second_slab__logs_the_deactivation_of_the_full_cpu_slab, setup_slub_1cpu),
		T(changes__slab_2_6_32_kmalloc__logs_the_refill_of_the_array_cache, setup_slab_1cpu),
		T(changes__slab_2_6_32_full_array_cache__explains_the_flush, setup_slab_1cpu),
		T(changes__large_kmalloc__names_the_size_and_the_order, setup_slub_1cpu),
		T(changes__explain__says_why_kmalloc_200_used_kmalloc_256_and_what_a_cpu_slab_is, setup_slub_2cpu),
		T(changes__explain__says_why_an_empty_slab_was_kept_or_given_back, setup_slub_1cpu),
		T(changes__json__slab_events_are_valid_json_with_their_kinds, setup_slub_1cpu),
		T(meminfo__6_13__slab_lines_count_slab_pages_and_large_kmallocs, setup_slub_1cpu),
		T(zoneinfo__6_13__per_node_stats_count_the_slab_pages, setup_slub_1cpu),
		T(zoneinfo__2_6_32__zone_stats_count_slab_pages_in_their_zone, setup_slab_1cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
